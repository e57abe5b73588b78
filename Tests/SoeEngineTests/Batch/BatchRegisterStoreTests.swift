import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// A row of one rule set bound by the straight store also holds its inputs as the program's
/// registers (`BatchRow.registers`), written as each cell is read, and the program copies them
/// instead of loading the inputs (issue 16, docs/benchmark.md "Steps of wave 3, session 13: a
/// number cell's way into the registers"). Every register must be what `Program.load` makes of the
/// row's `values[0]`: the same kind, and the same numerator and denominator for a number (the
/// numerator for a yes/no or choice), on generated hostile CSV and on edge cells (zero, one øre,
/// eight and eighteen digits, percent points, counts, a percent whose denominator does not fit:
/// 17 decimals over 100, 10^19).
@Suite("batch binding: the registers the straight store writes equal Program.load's")
struct BatchRegisterStoreTests {
    /// Whether two registers hold the same input for every reader: `.none` holds nothing, a
    /// yes/no or choice its word, a number both words.
    static func same(_ a: Slot, _ b: Slot) -> Bool {
        guard a.kind == b.kind else { return false }
        switch a.kind {
        case .none: return true
        case .bool, .choice: return a.numerator == b.numerator
        case .number: return a.numerator == b.numerator && a.denominator == b.denominator
        }
    }

    /// `Program.load` of a row's inputs, into registers that start as another firm's would.
    static func loaded(_ inputs: [Scalar?]) -> [Slot] {
        var registers = Array(repeating: Slot(numerator: 77, denominator: 3, kind: .number), count: inputs.count)
        registers.withUnsafeMutableBufferPointer { target in
            inputs.withUnsafeBufferPointer { Program.load($0, into: target.baseAddress.unsafelyUnwrapped, count: inputs.count) }
        }
        return registers
    }

    /// Compares a bound row's registers with `Program.load`'s; counts what was compared by kind.
    static func check(_ row: BatchRow, _ context: String, _ kinds: inout [Slot.Kind: Int]) {
        #expect(row.registersBound, "\(context): not bound straight")
        guard row.registersBound else { return }
        let expected = loaded(row.values[0])
        let registers = Array(row.registers.slots.dropFirst(row.registers.base).prefix(expected.count))
        #expect(registers.count == expected.count)
        for (input, (got, want)) in zip(registers, expected).enumerated() {
            #expect(
                same(got, want),
                "\(context), input \(input) \(String(describing: row.values[0][input])): \(got) against \(want)")
            kinds[want.kind, default: 0] += 1
        }
    }

    @Test("generated hostile CSV, each rule set alone, both dialects, guard and --percent: the registers", arguments: [0, 1])
    func generatedRows(ruleSet index: Int) throws {
        let ruleSets = [BatchFixtures.ruleSets()[index]]
        var random = SplitMix64(seed: 15_160 + UInt64(index))
        var kinds: [Slot.Kind: Int] = [:]
        var rows = 0
        for round in 0..<12 {
            let (style, dialect) = round % 2 == 0 ? (NumberStyle.point, CSVDialect.rfc4180) : (.danishComma, .excelDanish)
            var header = ruleSets[0].inputs.map(\.name) + ["id", "name", "cvr", "fiscal_year"]
            // Now and then an input no column holds.
            if round % 5 == 2 { header.removeFirst() }
            for position in header.indices.reversed() { header.swapAt(position, random.next(position + 1)) }
            let layout = try BatchLayout.check(header: header, ruleSets: ruleSets).get()
            var (binder, records) = BatchStraightStoreTests.round(
                round, header: header, layout: layout, style: style, dialect: dialect, &random)
            var row = BatchRow(ruleSets: ruleSets)
            for record in records {
                binder.bind(record, into: &row)
                // A record with the wrong field count is salvaged, not bound straight.
                guard record.count == layout.columns.count else {
                    #expect(!row.registersBound)
                    continue
                }
                Self.check(row, "round \(round), record \(record.number)", &kinds)
                rows += 1
            }
        }
        #expect(rows > 1_000, "\(rows) rows")
        // Beta has two money inputs and a text; alpha every kind.
        #expect(kinds[.number, default: 0] > rows, "\(kinds)")
        #expect(kinds[.none, default: 0] > rows / 4, "\(kinds)")
        if index == 0 {
            #expect(kinds[.number, default: 0] > 2 * rows, "\(kinds)")
            #expect(kinds[.bool, default: 0] > rows / 4, "\(kinds)")
            #expect(kinds[.choice, default: 0] > rows / 10, "\(kinds)")
        }
    }

    /// Edge cells for every number reading of the first fixture (money, count, percent), each in
    /// both styles and under every `--percent`: read by word, by the plan, or declined.
    static let edgeCells = [
        "0", "-0", "00", "0.00", "0,00", "0.01", "0,01", "0.10", "1", "9", "10", "99", "100", "12345678", "99999999", "100000000",
        "99999999.99", "99999999,99", "12345678.90", "999999999.99", "999999999999999999", "99999999999999999.9",
        "0.000000000000000001", "0,000000000000000001", "0.00000000000000001", "0,00000000000000001", "0.00000000000000009",
        "0,00000000000000009", "0.0000000000000001", "50", "50.5", "50,5", "0.5", "0,5", "1.5", "101", "-1", "-0.01", "1.000",
        "1,000", " 5", "5 ", "", "x", "ja", "nej", "true", "false", "aps", "2024-12-31", "9223372036854775807",
        "9223372036854775808", "922337203685477580.7",
    ]

    @Test("edge cells in every number, yes/no and choice column, both styles, every --percent: the registers")
    func edgeRows() throws {
        let ruleSets = [BatchFixtures.ruleSets()[0]]
        let header = ruleSets[0].inputs.map(\.name) + ["id", "cvr", "fiscal_year"]
        var kinds: [Slot.Kind: Int] = [:]
        var random = SplitMix64(seed: 15_161)
        for style in [NumberStyle.point, .danishComma] {
            let dialect = style == .point ? CSVDialect.rfc4180 : .excelDanish
            for percent in [nil] + PercentReading.allCases.map(Optional.some) {
                let layout = try BatchLayout.check(header: header, ruleSets: ruleSets).get()
                var binder = CSVRowBinder(layout: layout, style: style, language: .english, percent: percent)
                var row = BatchRow(ruleSets: ruleSets)
                var text = header.joined(separator: String(UnicodeScalar(dialect.separator))) + "\n"
                // Each edge cell in every input column once, the other columns random edges; then
                // the last row short (`8` only), so that the word reads meet the storage's end.
                for (number, edge) in Self.edgeCells.enumerated() {
                    var fields = ruleSets[0].inputs.indices.map { _ in random.pick(Self.edgeCells) }
                    fields[number % fields.count] = edge
                    for column in fields.indices where random.chance(1, in: 3) { fields[column] = edge }
                    fields += ["F\(number)", "13748136", "2024"]
                    text +=
                        fields.map { BatchStraightStoreTests.cell($0, separator: dialect.separator, &random) }
                        .map { String(decoding: $0, as: UTF8.self) }.joined(separator: String(UnicodeScalar(dialect.separator))) + "\n"
                }
                text += Array(repeating: "8", count: ruleSets[0].inputs.count).joined(separator: String(UnicodeScalar(dialect.separator)))
                text +=
                    "\(String(UnicodeScalar(dialect.separator)))F\(String(UnicodeScalar(dialect.separator)))13748136\(String(UnicodeScalar(dialect.separator)))2024"
                var reader = CSVReader(source: ArraySource(Array(text.utf8)), dialect: dialect)
                _ = reader.next()
                while let item = reader.next() {
                    guard case .success(let record) = item else { continue }
                    binder.bind(record, into: &row)
                    Self.check(row, "\(style) \(String(describing: percent)) record \(record.number)", &kinds)
                }
            }
        }
        #expect(kinds[.number, default: 0] > 300, "\(kinds)")
        #expect(kinds[.none, default: 0] > 100, "\(kinds)")
    }

    @Test("a batch's decisions with the rows' registers equal those with the inputs loaded, program registers too")
    func evaluatorAgrees() throws {
        let ruleSets = [BatchFixtures.ruleSets()[0]]
        var random = SplitMix64(seed: 15_162)
        let header = ruleSets[0].inputs.map(\.name) + ["id", "name", "cvr", "fiscal_year"]
        let layout = try BatchLayout.check(header: header, ruleSets: ruleSets).get()
        var binder = CSVRowBinder(layout: layout, style: .point, language: .english)
        var row = BatchRow(ruleSets: ruleSets)
        var (copied, loaded) = (Evaluator(ruleSet: ruleSets[0]), Evaluator(ruleSet: ruleSets[0]))
        guard let day = Day(year: 2024, month: 12, day: 31), let program = copied.program else {
            Issue.record("no program")
            return
        }
        var decided = 0
        let bytes = BatchStraightStoreTests.file(header: header, layout: layout, style: .point, separator: 0x2C, &random)
        var reader = CSVReader(source: ArraySource(bytes), dialect: .rfc4180)
        _ = reader.next()
        while let item = reader.next() {
            guard case .success(let record) = item else { continue }
            binder.bind(record, into: &row)
            guard row.registersBound else { continue }
            var (a, b) = (row.values[0], row.values[0])
            let first = row.registers.slots.withUnsafeBufferPointer {
                copied.programOutcome(taking: &a, registers: $0.baseAddress.map { $0 + row.registers.base }, on: day)
            }
            let second = loaded.programOutcome(taking: &b, registers: nil, on: day)
            #expect(first == second, "record \(record.number)")
            let (one, other) = (copied.decision(after: first, on: day), loaded.decision(after: second, on: day))
            #expect("\(one)" == "\(other)", "record \(record.number)")
            if first >= 0 { decided += 1 }
            for input in 0..<program.inputCount {
                let (x, y) = (copied.slots[program.inputBase + input], loaded.slots[program.inputBase + input])
                #expect(Self.same(x, y), "record \(record.number), input \(input): \(x) against \(y)")
            }
        }
        #expect(decided > 20, "\(decided) decided by the program")
    }
}
