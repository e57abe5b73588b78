// Writing one row of `soe-trace-stream/1` (format in TraceStream.swift). This is the hot path of a
// batch with traces: no `Trace`, no `JSONOutput`, no intermediate strings for the common values
// (yes/no, whole numbers, amounts in øre); everything is appended to the caller's buffer.

extension TraceStreamWriter {
    /// Appends the row of a decision the evaluator has just made for `firm` (no line break).
    public func appendRow(into bytes: inout [UInt8], evaluator: Evaluator, decision: Decision, firm: Firm,
                          bound: BoundInputs) {
        appendRow(into: &bytes, evaluator: evaluator, decision: decision, source: firm.source, sha256: firm.sha256,
                  name: firm.name, cvr: firm.cvr, fiscalYear: firm.fiscalYear, closingDay: firm.closingDay,
                  values: bound.values, sources: bound.sources)
    }

    /// Appends a row from the pieces of a firm, for callers (batches) that do not make a `Firm`.
    public func appendRow(into bytes: inout [UInt8], evaluator: Evaluator, decision: Decision, source: String,
                          sha256: String, name: String?, cvr: String?, fiscalYear: Int?, closingDay: Day,
                          values: [Scalar?], sources: [Firm.Field?]) {
        appendRow(into: &bytes, evaluator: evaluator, decision: decision, sha256: sha256, name: name, cvr: cvr,
                  fiscalYear: fiscalYear, closingDay: closingDay, values: values,
                  source: { JSONOutput.appendQuoted(source, to: &$0) },
                  place: { index, bytes in
                      guard index < sources.count, let field = sources[index] else { return }
                      bytes.append(UInt8(ascii: ","))
                      JSONOutput.appendQuoted(field.pointer, to: &bytes)
                      bytes.append(UInt8(ascii: ","))
                      TraceStreamWriter.appendInteger(Int64(field.line), to: &bytes)
                      bytes.append(UInt8(ascii: ","))
                      TraceStreamWriter.appendInteger(Int64(field.column), to: &bytes)
                  })
    }

    /// Where the inputs of a CSV batch come from: for each input of the rule set, its column (1-based)
    /// and the `,"name",` that precedes the line number in the row, escaped once for the whole batch.
    public struct CSVPlaces: Sendable {
        let columns: [(fragment: [UInt8], column: Int)?]
        /// `"SOURCE row `, escaped, without the closing quote.
        let sourcePrefix: [UInt8]

        /// `columns[i]` is the 0-based column of input `i`, or nil when the CSV has none;
        /// `names[c]` the name of column `c`; `sourceName` the input's name ("firms.csv").
        public init(columns: [Int?], names: [String], sourceName: String) {
            self.columns = columns.map { column in
                guard let column, column < names.count else { return nil }
                var fragment: [UInt8] = [UInt8(ascii: ",")]
                JSONOutput.appendQuoted(names[column], to: &fragment)
                fragment.append(UInt8(ascii: ","))
                return (fragment, column + 1)
            }
            var prefix: [UInt8] = []
            JSONOutput.appendQuoted(sourceName + " row ", to: &prefix)
            prefix.removeLast()
            sourcePrefix = prefix
        }
    }

    /// Appends the row of a CSV record (`SOURCE row NUMBER`, on `line`) whose inputs come from the
    /// columns of `places`: nothing of the firm is made, only bytes.
    public func appendRow(into bytes: inout [UInt8], evaluator: Evaluator, decision: Decision, places: CSVPlaces,
                          number: Int, line: Int, sha256: String, name: String?, cvr: String?, fiscalYear: Int?,
                          closingDay: Day, values: [Scalar?]) {
        appendRow(into: &bytes, evaluator: evaluator, decision: decision, sha256: sha256, name: name, cvr: cvr,
                  fiscalYear: fiscalYear, closingDay: closingDay, values: values,
                  source: { bytes in
                      bytes += places.sourcePrefix
                      TraceStreamWriter.appendInteger(Int64(number), to: &bytes)
                      bytes.append(UInt8(ascii: "\""))
                  },
                  place: { index, bytes in
                      guard index < places.columns.count, let place = places.columns[index] else { return }
                      bytes += place.fragment
                      TraceStreamWriter.appendInteger(Int64(line), to: &bytes)
                      bytes.append(UInt8(ascii: ","))
                      TraceStreamWriter.appendInteger(Int64(place.column), to: &bytes)
                  })
    }

    /// The row; `source` writes the input's source as a JSON string, `place` the `,FIELD,LINE,COLUMN`
    /// of an input that has a source.
    private func appendRow(into bytes: inout [UInt8], evaluator: Evaluator, decision: Decision, sha256: String,
                           name: String?, cvr: String?, fiscalYear: Int?, closingDay: Day, values: [Scalar?],
                           source: (inout [UInt8]) -> Void, place: (Int, inout [UInt8]) -> Void) {
        bytes += rowPrefix
        source(&bytes)
        bytes += ",\"sha256\":".utf8
        JSONOutput.appendQuoted(sha256, to: &bytes)
        bytes += ",\"name\":".utf8
        TraceStreamWriter.appendOptional(name, to: &bytes)
        bytes += ",\"cvr\":".utf8
        TraceStreamWriter.appendOptional(cvr, to: &bytes)
        bytes += ",\"fiscal_year\":".utf8
        if let fiscalYear { TraceStreamWriter.appendInteger(Int64(fiscalYear), to: &bytes) } else { bytes += "null".utf8 }
        bytes += ",\"closing_date\":".utf8
        TraceStreamWriter.appendDay(closingDay, to: &bytes)

        let evaluated = decision.notInForceOn == nil
        bytes += "},\"result\":{\"status\":".utf8
        if !evaluated {
            bytes += "\"not_in_force\"".utf8
        } else {
            bytes += (decision.isDetermined ? "\"determined\"" : "\"undetermined\"").utf8
        }
        bytes += ",\"outcome\":".utf8
        if let outcome = decision.outcome { TraceStreamWriter.appendInteger(Int64(outcome), to: &bytes) } else { bytes += "null".utf8 }
        bytes += ",\"missing\":".utf8
        TraceStreamWriter.appendIndices(decision.missing, to: &bytes)
        bytes += ",\"possible_outcomes\":[".utf8
        for (position, outcome) in decision.possibleOutcomes.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            TraceStreamWriter.appendInteger(Int64(outcome), to: &bytes)
        }
        bytes += "],\"problems\":[".utf8
        for (position, problem) in decision.problems.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "["))
            JSONOutput.appendQuoted(problem.kind.rawValue, to: &bytes)
            bytes.append(UInt8(ascii: ","))
            TraceStreamWriter.appendInteger(Int64(problem.node), to: &bytes)
            bytes.append(UInt8(ascii: "]"))
        }

        bytes += "]},\"parameters\":[".utf8
        for index in datedValueRanges.indices {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard evaluated, let chosen = evaluator.parameterChoices[index],
                  let position = datedValueRanges[index].firstIndex(of: chosen.span.range) else {
                bytes += "null".utf8
                continue
            }
            TraceStreamWriter.appendInteger(Int64(position), to: &bytes)
        }

        bytes += "],\"inputs\":[".utf8
        for (index, type) in inputTypes.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "["))
            if let value = index < values.count ? values[index] : nil {
                TraceStreamWriter.append(.known(value), type, to: &bytes)
            } else {
                bytes += "null".utf8
            }
            place(index, &bytes)
            bytes.append(UInt8(ascii: "]"))
        }

        bytes += "],\"criteria\":[".utf8
        for index in 0..<criterionCount {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            TraceStreamWriter.append(evaluated ? evaluator.criterionResult(index) : .unknown(Unknown()), .bool, to: &bytes)
        }
        bytes += "],\"values\":[".utf8
        for (index, type) in valueTypes.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            TraceStreamWriter.append(evaluated ? evaluator.valueResult(index) : .unknown(Unknown()), type, to: &bytes)
        }
        bytes += "],\"nodes\":[".utf8
        for (index, type) in nodeTypes.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard traced[index] else {
                bytes += "null".utf8
                continue
            }
            TraceStreamWriter.append(evaluator.evaluate(Int32(index)), type, to: &bytes)
        }
        bytes += "]}".utf8
    }

    /// One VALUE of the format: exact text as `soe-trace/1` writes it, or the unknown marker.
    static func append(_ evaluated: Evaluated, _ type: ValueType, to bytes: inout [UInt8]) {
        switch evaluated {
        case .known(.bool(let value)): bytes += (value ? "true" : "false").utf8
        case .known(.number(let value)): appendExact(value, money: type == .money, to: &bytes)
        case .known(.date(let day)): appendDay(day, to: &bytes)
        case .known(.text(let text)): JSONOutput.appendQuoted(text, to: &bytes)
        case .known(.choice(let index)): appendInteger(Int64(index), to: &bytes)
        case .unknown(let unknown):
            bytes += "{\"missing\":".utf8
            appendIndices(unknown.missing, to: &bytes)
            if let problem = unknown.problem {
                bytes += ",\"problem\":".utf8
                JSONOutput.appendQuoted(problem.kind.rawValue, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// The same text as `Exact.exactText(minPlaces:)` in quotes; whole numbers and hundredths (øre,
    /// the common case) without making a String.
    static func appendExact(_ value: Exact, money: Bool, to bytes: inout [UInt8]) {
        let numerator = value.numerator, denominator = value.denominator
        if (denominator == 1 || denominator == 100), let small = Int64(exactly: numerator), small > Int64.min {
            bytes.append(UInt8(ascii: "\""))
            if small < 0 { bytes.append(UInt8(ascii: "-")) }
            let magnitude = small.magnitude
            if denominator == 1 {
                appendDigits(magnitude, to: &bytes)
                if money { bytes += ".00".utf8 }
            } else {
                let cents = magnitude % 100
                appendDigits(magnitude / 100, to: &bytes)
                // exactText prints as many places as the reduced denominator needs, at least two for money.
                if money || cents % 10 != 0 {
                    bytes.append(UInt8(ascii: "."))
                    bytes.append(UInt8(ascii: "0") + UInt8(cents / 10))
                    bytes.append(UInt8(ascii: "0") + UInt8(cents % 10))
                } else if cents != 0 {
                    bytes.append(UInt8(ascii: "."))
                    bytes.append(UInt8(ascii: "0") + UInt8(cents / 10))
                }
            }
            bytes.append(UInt8(ascii: "\""))
            return
        }
        appendReduced(value.reduced(), money: money, to: &bytes)
    }

    /// `exactText` of a reduced value: a fraction `n/d`, or a decimal with as many places as the
    /// denominator needs (at least two for money); digits written directly when they fit 64 bits.
    static func appendReduced(_ value: Exact, money: Bool, to bytes: inout [UInt8]) {
        let denominator = UInt128(value.denominator)
        let twos = denominator.trailingZeroBitCount
        var rest = denominator >> twos, fives = 0
        while rest % 5 == 0 { rest /= 5; fives += 1 }
        let magnitude = value.numerator.magnitude
        if rest != 1 {
            if let top = UInt64(exactly: magnitude), let bottom = UInt64(exactly: denominator) {
                bytes.append(UInt8(ascii: "\""))
                if value.numerator < 0 { bytes.append(UInt8(ascii: "-")) }
                appendDigits(top, to: &bytes)
                bytes.append(UInt8(ascii: "/"))
                appendDigits(bottom, to: &bytes)
                bytes.append(UInt8(ascii: "\""))
                return
            }
        } else {
            let places = max(twos, fives, money ? 2 : 0)
            if places <= 18 {
                let scale = UInt128(Exact.powersOfTen[places])
                let (scaled, overflow) = magnitude.multipliedReportingOverflow(by: scale / denominator)
                if !overflow, let whole = UInt64(exactly: scaled / scale), let fraction = UInt64(exactly: scaled % scale) {
                    bytes.append(UInt8(ascii: "\""))
                    if value.numerator < 0 { bytes.append(UInt8(ascii: "-")) }
                    appendDigits(whole, to: &bytes)
                    if places > 0 {
                        bytes.append(UInt8(ascii: "."))
                        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: places)
                        var remaining = fraction
                        for position in stride(from: places - 1, through: 0, by: -1) {
                            digits[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                            remaining /= 10
                        }
                        bytes += digits
                    }
                    bytes.append(UInt8(ascii: "\""))
                    return
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
        bytes += value.exactText(minPlaces: money ? 2 : 0).utf8
        bytes.append(UInt8(ascii: "\""))
    }

    static func appendOptional(_ text: String?, to bytes: inout [UInt8]) {
        if let text { JSONOutput.appendQuoted(text, to: &bytes) } else { bytes += "null".utf8 }
    }

    /// The members of an input set as a JSON array of indices.
    static func appendIndices(_ set: InputSet, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for (offset, word) in [set.words.0, set.words.1, set.words.2, set.words.3].enumerated() where word != 0 {
            var rest = word
            while rest != 0 {
                if !first { bytes.append(UInt8(ascii: ",")) }
                appendDigits(UInt64(offset * 64 + rest.trailingZeroBitCount), to: &bytes)
                rest &= rest - 1
                first = false
            }
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// `"YYYY-MM-DD"`, as `Day.description` writes it for the years a fiscal year can have.
    static func appendDay(_ day: Day, to bytes: inout [UInt8]) {
        guard (1000...9999).contains(day.year) else {
            JSONOutput.appendQuoted(day.description, to: &bytes)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        appendDigits(UInt64(day.year), to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        bytes.append(UInt8(ascii: "0") + UInt8(day.month / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(day.month % 10))
        bytes.append(UInt8(ascii: "-"))
        bytes.append(UInt8(ascii: "0") + UInt8(day.day / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(day.day % 10))
        bytes.append(UInt8(ascii: "\""))
    }

    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, to: &bytes)
    }

    /// Decimal digits of a non-negative integer, without making a String.
    static func appendDigits(_ value: UInt64, to bytes: inout [UInt8]) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            bytes.append(contentsOf: raw[(24 - count)...])
        }
    }
}
