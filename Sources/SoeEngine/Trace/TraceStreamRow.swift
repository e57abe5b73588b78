import SoeLanguage

// Writing one row of `soe-trace-stream/3` (format in TraceStream.swift). This is the hot path of a
// batch with traces: no `Trace`, no `JSONOutput`, no intermediate strings for the common values,
// and, once the evaluator has settled everything, no `Evaluated` for what its program settled:
// the row is written from the program's registers through a `ByteWriter`.

extension TraceStreamWriter {
    /// Appends the row of a decision the evaluator has just made for `firm` (no line break).
    public func appendRow(
        into bytes: inout [UInt8], evaluator: borrowing Evaluator, decision: Decision, firm: Firm,
        bound: BoundInputs
    ) {
        appendRow(
            into: &bytes, evaluator: evaluator, decision: decision, source: firm.source, sha256: firm.sha256,
            name: firm.name, cvr: firm.cvr, fiscalYear: firm.fiscalYear, closingDay: firm.closingDay,
            values: bound.values, sources: bound.sources)
    }

    /// Appends a row from the pieces of a firm, for callers (batches) that do not make a `Firm`.
    public func appendRow(
        into bytes: inout [UInt8], evaluator: borrowing Evaluator, decision: Decision, source: String,
        sha256: String, name: String?, cvr: String?, fiscalYear: Int?, closingDay: Day,
        values: [Scalar?], sources: [Firm.Field?]
    ) {
        // The private writer takes the evaluator in place (see the CSV variant); this public entry,
        // used per firm rather than per batch row, pays one copy for it.
        var evaluator = copy evaluator
        ByteWriter.write(into: &bytes) { writer in
            appendRow(
                into: &writer, evaluator: &evaluator, decision: decision, sha256: sha256, name: name, cvr: cvr,
                fiscalYear: fiscalYear, closingDay: closingDay, values: values,
                source: { $0.quoted(source) },
                place: { index, writer in
                    if index < sources.count, let field = sources[index] {
                        writer.byte(UInt8(ascii: ","))
                        writer.quoted(field.pointer)
                        writer.byte(UInt8(ascii: ","))
                        writer.integer(Int64(field.line))
                        writer.byte(UInt8(ascii: ","))
                        writer.integer(Int64(field.column))
                    }
                    writer.byte(UInt8(ascii: "]"))
                })
        }
    }

    /// Where the inputs of a CSV batch come from: for each input of the rule set, its column's name
    /// and number, the same in every row, so they are written once, in the header's `fields`; a row
    /// gives only its line.
    public struct CSVPlaces: Sendable {
        /// `,"fields":[…]`, the member the header line ends with.
        let fieldsMember: [UInt8]
        /// `"SOURCE row `, escaped, without the closing quote.
        let sourcePrefix: [UInt8]

        /// `columns[i]` is the 0-based column of input `i`, or nil when the CSV has none;
        /// `names[c]` the name of column `c`; `sourceName` the input's name ("firms.csv").
        public init(columns: [Int?], names: [String], sourceName: String) {
            var member: [UInt8] = Array(",\"fields\":[".utf8)
            for (index, column) in columns.enumerated() {
                if index > 0 { member.append(UInt8(ascii: ",")) }
                guard let column, column < names.count else {
                    member += "null".utf8
                    continue
                }
                member.append(UInt8(ascii: "["))
                JSONOutput.appendQuoted(names[column], to: &member)
                member += ",\(column + 1)]".utf8
            }
            member.append(UInt8(ascii: "]"))
            fieldsMember = member
            var prefix: [UInt8] = []
            JSONOutput.appendQuoted(sourceName + " row ", to: &prefix)
            prefix.removeLast()
            sourcePrefix = prefix
        }
    }

    /// The header line of a CSV batch's stream: `headerLine` with the columns of the inputs in
    /// `fields`, which the rows' inputs then leave out.
    public func headerLine(csv places: CSVPlaces) -> [UInt8] {
        guard headerLine.last == UInt8(ascii: "}") else { return headerLine }
        // Copied as slices: `dropLast()` on the array picked Sequence's, one byte at a time, and
        // was a seventh of the batch fuzz target's time (a header is tens of kilobytes).
        var line: [UInt8] = []
        line.reserveCapacity(headerLine.count + places.fieldsMember.count)
        line += headerLine[..<(headerLine.count - 1)]
        line += places.fieldsMember
        line.append(UInt8(ascii: "}"))
        return line
    }

    /// Appends the row of a CSV record (`SOURCE row NUMBER`, on `line`) whose inputs come from the
    /// columns of `places`: nothing of the firm is made, only bytes.
    public func appendRow(
        into bytes: inout [UInt8], evaluator: Evaluator, decision: Decision, places: CSVPlaces,
        number: Int, line: Int, sha256: String, name: String?, cvr: String?, fiscalYear: Int?,
        closingDay: Day, values: [Scalar?]
    ) {
        var evaluator = evaluator
        appendRow(
            into: &bytes, inPlace: &evaluator, decision: decision, places: places, number: number, line: line,
            sha256: sha256, name: name, cvr: cvr, fiscalYear: fiscalYear, closingDay: closingDay, values: values)
    }

    /// The same, for a batch, whose evaluators live in an array beside the output buffer: taken
    /// `inout` (it is not changed) and captured by the closures below by reference, the evaluator is
    /// never copied, where a copy would retain and release each of its arrays per row and rule set,
    /// arrays that the threads of a parallel batch share. `values` defaults to the evaluator's inputs.
    func appendRow(
        into bytes: inout [UInt8], inPlace evaluator: inout Evaluator, decision: Decision, places: CSVPlaces,
        number: Int, line: Int, sha256: String, name: String?, cvr: String?, fiscalYear: Int?,
        closingDay: Day, values: [Scalar?]? = nil
    ) {
        let values = values ?? evaluator.inputs
        ByteWriter.write(into: &bytes) { writer in
            appendRow(
                into: &writer, evaluator: &evaluator, decision: decision, sha256: sha256, name: name,
                cvr: cvr, fiscalYear: fiscalYear, closingDay: closingDay, line: line, values: values,
                source: { writer in
                    writer.raw(places.sourcePrefix)
                    writer.integer(Int64(number))
                    writer.byte(UInt8(ascii: "\""))
                },
                place: { _, writer in writer.byte(UInt8(ascii: "]")) })
        }
    }

    /// The row; `source` writes the input's source as a JSON string, `place` the `,FIELD,LINE,COLUMN`
    /// of an input that has a source and the `]` that closes every input. `line` is the CSV
    /// record's line, whose fields the header gives.
    private func appendRow(
        into writer: inout ByteWriter, evaluator: inout Evaluator, decision: Decision, sha256: String,
        name: String?, cvr: String?, fiscalYear: Int?, closingDay: Day, line: Int? = nil, values: [Scalar?],
        source: (inout ByteWriter) -> Void, place: (Int, inout ByteWriter) -> Void
    ) {
        let layout = self.layout
        writer.raw(layout.rowPrefix)
        source(&writer)
        writer.raw(",\"sha256\":")
        writer.quoted(sha256)
        writer.raw(",\"name\":")
        writer.optional(name)
        writer.raw(",\"cvr\":")
        writer.optional(cvr)
        writer.raw(",\"fiscal_year\":")
        if let fiscalYear { writer.integer(Int64(fiscalYear)) } else { writer.raw("null") }
        writer.raw(",\"closing_date\":")
        writer.day(closingDay)
        if let line {
            writer.raw(",\"line\":")
            writer.integer(Int64(line))
        }

        let evaluated = decision.notInForceOn == nil
        writer.raw("},\"result\":{\"status\":")
        if let day = decision.notInForceOn {
            writer.raw("\"not_in_force\"")
            // The day it was judged on, only when it is not the closing date (`--as-of`): the
            // expansion then says the same as the trace written directly.
            if day != closingDay {
                writer.raw(",\"on\":")
                writer.day(day)
            }
        } else if decision.isDetermined {
            writer.raw("\"determined\"")
        } else {
            writer.raw("\"undetermined\"")
        }
        if let asOf {
            writer.raw(",\"as_of\":")
            writer.day(asOf)
        }
        writer.raw(",\"outcome\":")
        if let outcome = decision.outcome { writer.integer(Int64(outcome)) } else { writer.raw("null") }
        writer.raw(",\"missing\":")
        writer.indices(decision.missing)
        writer.raw(",\"possible_outcomes\":[")
        for (position, outcome) in decision.possibleOutcomes.enumerated() {
            if position > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.integer(Int64(outcome))
        }
        writer.raw("],\"problems\":[")
        for (position, problem) in decision.problems.enumerated() {
            if position > 0 { writer.byte(UInt8(ascii: ",")) }
            writer.byte(UInt8(ascii: "["))
            writer.quoted(problem.kind.rawValue)
            writer.byte(UInt8(ascii: ","))
            writer.integer(Int64(problem.node))
            writer.byte(UInt8(ascii: "]"))
        }

        writer.raw("]},\"parameters\":[")
        evaluator.parameterChoices.withUnsafeBufferPointer { choices in
            for index in layout.datedValueRanges.indices {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                guard evaluated, index < choices.count, let range = choices[index]?.span.range,
                    let position = layout.datedValueRanges[index].firstIndex(of: range)
                else {
                    writer.raw("null")
                    continue
                }
                writer.integer(Int64(position))
            }
        }

        writer.raw("],\"inputs\":[")
        values.withUnsafeBufferPointer { values in
            for (index, money) in layout.inputMoney.enumerated() {
                writer.raw(index > 0 ? ",[" : "[")
                if index < values.count {
                    // Matched in place: a number, yes/no or choice is written without copying the scalar.
                    switch values[index] {
                    case .number(let number)?: writer.exact(number, money: money)
                    case .bool(let flag)?: flag ? writer.raw("true") : writer.raw("false")
                    case .choice(let choice)?: writer.integer(Int64(choice))
                    case let other?: writer.value(.known(other), money: money)
                    case nil: writer.raw("null")
                    }
                } else {
                    writer.raw("null")
                }
                place(index, &writer)
            }
        }

        writer.raw("],\"criteria\":[")
        guard evaluated else {
            // Not in force: nothing was decided, and every formula node is written as computed.
            for index in 0..<layout.criterionCount {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                writer.value(.unknown(Unknown()), money: false)
            }
            writer.raw("],\"values\":[")
            for (index, money) in layout.valueMoney.enumerated() {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                writer.value(.unknown(Unknown()), money: money)
            }
            writer.raw("],\"nodes\":[")
            for (position, computed) in layout.computed.enumerated() {
                if position > 0 { writer.byte(UInt8(ascii: ",")) }
                writer.value(evaluator.evaluate(computed.node), money: computed.money)
            }
            writer.raw("]}")
            return
        }
        appendResults(into: &writer, &evaluator)
        writer.raw("]}")
    }

    /// The criteria, values and computed nodes of an evaluated row. Once the whole program has run
    /// (`Evaluator.settleEverything()`), a result the program settled is written straight from its
    /// register, without making an `Evaluated`; the rest, and everything when the program stopped
    /// early, come from `criterionResult(_:)`, `valueResult(_:)` and `evaluate(_:)`.
    private func appendResults(into writer: inout ByteWriter, _ evaluator: inout Evaluator) {
        let layout = self.layout
        let program = evaluator.program.flatMap { evaluator.executed == $0.operations.count ? $0 : nil }
        evaluator.slots.withUnsafeBufferPointer { slots in
            for index in 0..<layout.criterionCount {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                if let program, writer.settled(slots[Int(program.criterionSlots[index])], money: false) { continue }
                writer.value(evaluator.criterionResult(index), money: false)
            }
            writer.raw("],\"values\":[")
            for (index, money) in layout.valueMoney.enumerated() {
                if index > 0 { writer.byte(UInt8(ascii: ",")) }
                if let program, writer.settled(slots[Int(program.valueSlots[index])], money: money) { continue }
                writer.value(evaluator.valueResult(index), money: money)
            }
            writer.raw("],\"nodes\":[")
            for (position, computed) in layout.computedNonRoot.enumerated() {
                if position > 0 { writer.byte(UInt8(ascii: ",")) }
                // A formula node's register is the node's own index (see `ProgramCompiler`).
                if program != nil, writer.settled(slots[Int(computed.node)], money: computed.money) { continue }
                writer.value(evaluator.evaluate(computed.node), money: computed.money)
            }
        }
    }
}
