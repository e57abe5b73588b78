import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The batch's fast paths for binding (issue 16, docs/benchmark.md "Steps of wave 3, session 5"):
/// the numbers read from a cell's bytes, the percent built without a division, and the values
/// written through a pointer to the row's storage (one rule set) or to its array of arrays (more),
/// checked against the general paths on generated values, edge values included.
@Suite("batch binding: the fast paths agree with the general ones on generated values")
struct BatchBindingFastPathTests {
    /// A number's text: up to 18 digits, up to `maxPlaces` decimals, either sign, in either style,
    /// sometimes with thousands separators (which the fast path declines) or leading zeros.
    static func numberText(_ random: inout SplitMix64, maxPlaces: Int, style: NumberStyle) -> String {
        let digits = Int(random.next() % 18) + 1
        let places = min(maxPlaces, Int(random.next() % 19), 18 - min(digits, 17))
        var whole = String(random.next() % 10 == 0 ? 0 : Int(random.next() % 9) + 1)
        for _ in 1..<max(1, digits - places) { whole.append(String(random.next() % 10)) }
        var fraction = ""
        for _ in 0..<places { fraction.append(String(random.next() % 10)) }
        let mark = style == .point ? "." : ","
        if random.next() % 8 == 0 && whole.count > 3 {
            // Thousands separators: the general path's form.
            let separator = style == .point ? "," : "."
            var grouped = ""
            for (offset, character) in whole.reversed().enumerated() {
                if offset > 0 && offset % 3 == 0 { grouped.append(separator) }
                grouped.append(character)
            }
            whole = String(grouped.reversed())
        }
        let sign = random.next() % 5 == 0 ? "-" : ""
        return sign + whole + (fraction.isEmpty ? "" : mark + fraction)
    }

    /// Edge values: zero in its forms, one øre, the most digits the fast path takes and one more,
    /// negatives, a decimal comma, thousands separators, the ambiguous `1.000`.
    static let edges = [
        "0", "-0", "0.00", "0,00", "0.01", "0,01", "-0.01", "1", "100", "100.00", "100,5", "999999999999999999",
        "-999999999999999999", "9999999999999999.99", "9999999999999999,99", "99999999999999999.9", "9999999999999999999",
        "0.000000000000000001", "0,000000000000000001", "1.000", "1,000", "1.000,50", "1,000.50", "12.345.678,90",
        "-12.500", "-12,5", "50", "50.5", "0.5", "0,5", "1.5", "101", "-1",
    ]

    /// `BatchCellReader.read` (the fast path first) against `CellReader.read` alone, value and
    /// representation, for every number kind, both styles and every percent reading.
    @Test(
        "generated and edge numbers: the fast path gives CellReader's value and representation",
        arguments: [NumberStyle.point, .danishComma])
    func numbersAgree(style: NumberStyle) {
        var random = SplitMix64(seed: style == .point ? 16 : 61)
        let readings = BatchCellReaderTests.readings().filter { $0.1.kind.isNumber }
        #expect(readings.count >= 3, "the fixtures have money, count and percent inputs")
        var fastHits = 0
        for (name, reading) in readings {
            let maxPlaces = reading.kind == .money ? 2 : (reading.kind == .count ? 0 : 18)
            var texts = BatchBindingFastPathTests.edges
            for _ in 0..<400 { texts.append(BatchBindingFastPathTests.numberText(&random, maxPlaces: maxPlaces, style: style)) }
            for text in texts {
                for percent in [nil] + PercentReading.allCases.map(Optional.some) {
                    let batch = BatchCellReader.read(text, reading, style: style, percent: percent)
                    let reference = CellReader.read(
                        .text(text), as: reading.input, choices: reading.choiceSets, style: style, percent: percent)
                    #expect(describe(batch) == describe(reference), "\(name) \(style) \(String(describing: percent)) \"\(text)\"")
                    if BatchCellReader.fast(text, reading.hot, choices: [], style: style, percent: percent) != nil { fastHits += 1 }
                }
            }
        }
        // The comparison is worth something only if the fast path took most of the cells.
        #expect(fastHits > 1000, "the fast path read \(fastHits) cells")
    }

    /// The percent fast path builds the value as the division by 100 does: the same numerator and
    /// denominator, zero included.
    @Test("a percent read fast is the number over 100 with the division's representation")
    func percentRepresentation() {
        let reading = BatchCellReaderTests.readings().first { $0.1.kind == .percent }
        #expect(reading != nil)
        guard let hot = reading?.1.hot else { return }
        for text in ["0", "1", "10", "12.5", "99.99", "100", "0.00000000000000001", "33.333333333333333"] {
            guard let parsed = BatchCellReader.decimal(text, decimalMark: UInt8(ascii: "."), maxPlaces: 18),
                let expected = parsed.dividing(Exact(integer: 100))
            else {
                Issue.record("\(text) does not parse")
                continue
            }
            let fast = BatchCellReader.fast(text, hot, choices: [], style: .point, percent: .points)
            guard case .number(let value)? = fast else {
                Issue.record("\(text) was declined")
                continue
            }
            #expect(value.numerator == expected.numerator && value.denominator == expected.denominator, "\(text)")
        }
    }

    /// A row bound for one rule set (written straight into its inputs) and for two (through the
    /// array of arrays) gives the first rule set the same results, on generated rows with edge values,
    /// blanks and bad cells among them.
    @Test("one rule set and two: the same results for the first, row by row")
    func oneAndTwoRuleSetsAgree() {
        let ruleSets = BatchFixtures.ruleSets()
        guard let alpha = ruleSets.first(where: { $0.name == "alpha" }) else {
            Issue.record("no alpha")
            return
        }
        var random = SplitMix64(seed: 1616)
        var lines = [BatchFixtures.header]
        let forms = ["aps", "forening", "enkeltmandsvirksomhed", "", "APS"]
        let flags = ["true", "false", "ja", "nej", "", "maybe"]
        func money() -> String {
            switch random.next() % 6 {
            case 0: return ""
            case 1: return BatchBindingFastPathTests.edges[Int(random.next() % UInt64(BatchBindingFastPathTests.edges.count))]
            default: return BatchBindingFastPathTests.numberText(&random, maxPlaces: 2, style: .point)
            }
        }
        for index in 0..<300 {
            let staff = random.next() % 7 == 0 ? "-3" : String(random.next() % 60)
            let share = ["0", "10", "49.99", "50", "100", "100.01", "0.5", ""][Int(random.next() % 8)]
            let fields = [
                "F\(index)", "Firma \(index)", "13748136", "2024", forms[Int(random.next() % UInt64(forms.count))],
                "\"\(money())\"", "\"\(money())\"", staff, share, flags[Int(random.next() % UInt64(flags.count))], "",
            ]
            lines.append(fields.joined(separator: ","))
        }
        let input = lines.joined(separator: "\n") + "\n"
        // Alone, alpha carries beta's `note` column through; the columns of the decision compare.
        let columns = ["row", "id", "cvr", "name", "fiscal_year", "rule_set", "status", "outcome", "criteria", "missing", "reason"]
        func decisions(_ output: String) -> [[String]] {
            BatchFixtures.rows(output).filter { BatchFixtures.field($0, "rule_set") == "alpha" }.map { row in
                columns.map { BatchFixtures.field(row, $0) }
            }
        }
        let one = decisions(BatchFixtures.run(input, ruleSets: [alpha]).output)
        let two = decisions(BatchFixtures.run(input, ruleSets: ruleSets).output)
        #expect(one.count == 300)
        #expect(one == two)
        let statuses = Set(one.map { $0[6] })
        #expect(statuses.count >= 2, "both decided and rejected rows: \(statuses)")
    }

    func describe(_ result: Result<Scalar?, CellError>) -> String {
        switch result {
        case .success(nil): return "missing"
        case .success(.number(let value)?): return "number \(value.numerator)/\(value.denominator)"
        case .success(let value?): return "\(value)"
        case .failure(let error): return "error \(error)"
        }
    }
}

/// The binder reads a number cell with `BatchCellReader.number(bytes:)` and stores its value
/// straight into the inputs it feeds (issue 16, docs/benchmark.md "Steps of wave 3, session 7").
/// Each bound value, row by row, must be `BatchCellReader.read`'s (which `BatchCellReaderTests`
/// holds to `CellReader`'s), value and representation; a cell it cannot read leaves the row rejected.
@Suite("batch binding: a number cell stored straight from its bytes")
struct BatchNumberCellTests {
    @Test("generated rows, both rule sets, both styles: every bound number is the reader's", arguments: [NumberStyle.point, .danishComma])
    func boundNumbersAreTheReaders(style: NumberStyle) throws {
        let ruleSets = BatchFixtures.ruleSets()
        let header = BatchFixtures.header.split(separator: ",").map(String.init)
        let layout = try BatchLayout.check(header: header, ruleSets: ruleSets).get()
        var binder = CSVRowBinder(layout: layout, style: style, language: .english)
        var row = BatchRow(ruleSets: ruleSets)
        var random = SplitMix64(seed: style == .point ? 707 : 770)
        let edges = BatchBindingFastPathTests.edges
        var compared = 0
        var stored = 0
        for number in 1...600 {
            var fields = ["F\(number)", "Firma \(number)", "13748136", "2024", "aps"]
            for column in 5..<header.count {
                let kind = layout.readings.first { $0.column == column }?.kind
                switch random.next() % 5 {
                case 0: fields.append(edges[Int(random.next() % UInt64(edges.count))])
                case 1: fields.append(["", " ", "x", "1e3", "12 %", "-", "7,5", "7.5"][Int(random.next() % 8)])
                default:
                    let places = kind == .money ? 2 : (kind == .count ? 0 : 3)
                    fields.append(BatchBindingFastPathTests.numberText(&random, maxPlaces: places, style: style))
                }
            }
            binder.bind(CSVRecord(fields: fields, line: number + 1, number: number), into: &row)
            for (ruleSet, map) in layout.inputReadings.enumerated() {
                for (input, source) in map.enumerated() where source >= 0 {
                    let reading = layout.readings[source]
                    guard reading.kind.isNumber else { continue }
                    let text = fields[reading.column]
                    switch BatchCellReader.read(text, reading, style: style) {
                    case .success(let expected):
                        #expect(
                            describe(row.values[ruleSet][input]) == describe(expected),
                            "row \(number) \(reading.input.name) \"\(text)\"")
                        compared += 1
                        if expected != nil { stored += 1 }
                    case .failure:
                        #expect(row.isRejected(under: ruleSet), "row \(number) \(reading.input.name) \"\(text)\" must reject the row")
                    }
                }
            }
        }
        // Worth something only if most cells were numbers the binder stored.
        #expect(stored > 1000, "\(stored) numbers stored of \(compared) compared")
    }

    /// Numerator and denominator as written, so that a value equal but built otherwise differs.
    func describe(_ value: Scalar?) -> String {
        guard let value else { return "missing" }
        if case .number(let exact) = value { return "\(exact.numerator)/\(exact.denominator)" }
        return "\(value)"
    }
}
