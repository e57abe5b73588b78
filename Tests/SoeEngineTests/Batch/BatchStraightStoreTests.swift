import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// A row of one rule set, the usual batch, is read by `CSVRowBinder.readCells(_:number:into:)`,
/// which stores each plain number or yes/no cell straight into the one input it feeds (issue 16,
/// docs/benchmark.md "Steps of wave 3, session 9: binding"). It must bind every record exactly as
/// the general loop does (`storesStraight` false, the loop of rows of several rule sets): the same
/// values with the same representation, the same problems in the same order, the same texts, year
/// and closing day, row after row (so that no error or value is left over from an earlier row).
/// The records come from generated hostile CSV: quotes, separators and line breaks in quotes,
/// CRLF and CR, empty and blank cells, overlong cells, bytes that are not UTF-8, a byte-order
/// mark, ragged rows, numbers of every form the readers know and many they refuse.
@Suite("batch binding: a row of one rule set stored straight equals the general loop's")
struct BatchStraightStoreTests {
    /// Cells a caseworker's file may hold in any column: blank, refused, yes/no words, choices,
    /// dates, texts needing quotes, an overlong number, a cell that is not UTF-8 (`\u{FFFD}` marks
    /// where the generator writes a 0xFF byte).
    static let awkward = [
        "", " ", "\t", "  ", "x", "1e3", "12 %", "12%", "-", "+5", "7,5", "7.5", "1.000", "1,000", "1.000,50", "0", "-0", "00",
        "true", "false", "yes", "no", "ja", "nej", "1", "TRUE", "Ja", "måske", "aps", "forening", "enkeltmandsvirksomhed", "APS",
        "2024-12-31", "31-12-2024", "2024", "1899", "99999", "13748136", "13748137", "1374 8136", "=1+1", "a,b", "a;b",
        "quote \"inside\"", "line\nbreak", "cr\rbreak", String(repeating: "9", count: 40), String(repeating: "1", count: 19),
        "0.000000000000000001", "999999999999999999", "\u{FFFD}", "ø\u{FFFD}", "50", "50,5", "100", "101",
    ]

    /// One cell as a spreadsheet writes it (quoted when it must be, and now and then when it need
    /// not be), as bytes; `\u{FFFD}` becomes a lone 0xFF byte, which is not UTF-8.
    static func cell(_ text: String, separator: UInt8, _ random: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            if scalar == "\u{FFFD}" { bytes.append(0xFF) } else { bytes += Array(String(scalar).utf8) }
        }
        let needs = bytes.contains { $0 == separator || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard needs || random.chance(1, in: 12) else { return bytes }
        return [0x22] + bytes.flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] } + [0x22]
    }

    /// A generated round: its binder (the decimal-mark guard on two rounds of four, a `--percent`
    /// reading drawn on one round of three) and the records read without error from a file for
    /// `header` (`file`), the header's record skipped. For the tests that bind such files.
    static func round(
        _ round: Int, header: [String], layout: BatchLayout, style: NumberStyle, dialect: CSVDialect, _ random: inout SplitMix64
    ) -> (binder: CSVRowBinder, records: [CSVRecord]) {
        let guarded = round % 4 >= 2 ? DecimalMarkGuard(style: style, dialect: "test") : nil
        let percent: PercentReading? = round % 3 == 1 ? random.pick(PercentReading.allCases) : nil
        let binder = CSVRowBinder(layout: layout, style: style, language: .english, decimalGuard: guarded, percent: percent)
        let bytes = file(header: header, layout: layout, style: style, separator: dialect.separator, &random)
        var reader = CSVReader(source: ArraySource(bytes), dialect: dialect)
        _ = reader.next()
        var records: [CSVRecord] = []
        while let item = reader.next() {
            if case .success(let record) = item { records.append(record) }
        }
        return (binder, records)
    }

    /// A file for `header`: rows of numbers in the style's form, plain and edge values and
    /// awkward cells, some rows with a field too many or too few, line ends of every kind.
    static func file(header: [String], layout: BatchLayout, style: NumberStyle, separator: UInt8, _ random: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = random.chance(1, in: 3) ? [0xEF, 0xBB, 0xBF] : []
        bytes += Array(header.joined(separator: String(UnicodeScalar(separator))).utf8) + [0x0A]
        let mark = style == .point ? "." : ","
        for number in 0..<120 {
            var fields: [String] = []
            // A row in three holds only cells that read: plain numbers, yes/no words, choices.
            let clean = random.chance(1, in: 3)
            for (column, name) in header.enumerated() {
                let reading = layout.readings.first { $0.column == column }
                let text: String
                switch name {
                case "id" where clean: text = "F\(number)"
                case "name" where clean: text = "Firma \(number)"
                case "cvr" where clean: text = "13748136"
                case "fiscal_year" where clean: text = "2024"
                case "fiscal_year_end" where clean: text = random.pick(["", "2024-12-31"])
                case _ where clean && reading != nil:
                    switch reading?.kind {
                    case .money?, .number?: text = "\(random.next(1_000_000))\(mark)\(random.next(90) + 10)"
                    case .count?: text = "\(random.next(60))"
                    case .percent?: text = "\(2 + random.next(98))"
                    case .bool?: text = random.pick(["true", "false", "ja", "nej"])
                    case .choice?: text = random.pick(reading?.choices ?? [""])
                    default: text = "note \(number)"
                    }
                case _ where clean: text = "comment"
                case "id": text = random.chance(1, in: 6) ? random.pick(awkward) : "F\(number)"
                case "name": text = random.chance(1, in: 4) ? random.pick(awkward) : "Firma \(number) ApS"
                case "cvr": text = random.chance(1, in: 4) ? random.pick(awkward) : random.pick(["13748136", "21659509", "10150817"])
                case "fiscal_year": text = random.chance(1, in: 5) ? random.pick(awkward) : random.pick(["2024", "2023", "2019"])
                case "fiscal_year_end": text = random.pick(["", "2024-12-31", "2025-06-30", "2019-12-31", "31-12-2024", "x"])
                default:
                    if let reading, reading.kind.isNumber, random.chance(3, in: 5) {
                        let places = reading.kind == .money ? 2 : (reading.kind == .count ? 0 : 3)
                        text =
                            random.chance(1, in: 4)
                            ? random.pick(BatchBindingFastPathTests.edges)
                            : BatchBindingFastPathTests.numberText(&random, maxPlaces: places, style: style)
                    } else if let reading, reading.kind == .bool, random.chance(2, in: 3) {
                        text = random.pick(["true", "false", "ja", "nej", "yes", "no", "1", "0"])
                    } else {
                        text = random.pick(awkward)
                    }
                }
                fields.append(text)
            }
            // Ragged rows now and then: a field too many or too few.
            if !clean && random.chance(1, in: 15) { fields.append("extra") }
            if !clean && random.chance(1, in: 15) && fields.count > 1 { fields.removeLast() }
            for (index, text) in fields.enumerated() {
                if index > 0 { bytes.append(separator) }
                bytes += cell(text, separator: separator, &random)
            }
            bytes += random.pick([[0x0A], [0x0D, 0x0A], [0x0D], [0x0A]])
        }
        return bytes
    }

    /// All a bound row holds, numbers by numerator and denominator, so that an equal value built
    /// another way differs.
    static func describe(_ row: BatchRow) -> String {
        let values = row.values.map { inputs in
            inputs.map { value -> String in
                guard let value else { return "missing" }
                if case .number(let exact) = value { return "\(exact.numerator)/\(exact.denominator)" }
                return "\(value)"
            }
        }
        return """
            \(row.number) \(row.line) id \(String(describing: row.id)) name \(String(describing: row.name)) \
            cvr \(String(describing: row.cvr)) \(String(describing: row.cvrIndex)) year \(String(describing: row.fiscalYear)) \
            \(String(describing: row.closingDay)) unverified \(row.identityUnverified) carried \(row.carried) \
            row errors \(row.rowErrors) input errors \(row.ruleSetErrors) values \(values)
            """
    }

    @Test(
        "generated hostile CSV, each rule set alone, both dialects, with and without the decimal-mark guard: the same rows",
        arguments: [0, 1])
    func straightEqualsGeneral(ruleSet index: Int) throws {
        let ruleSets = [BatchFixtures.ruleSets()[index]]
        var random = SplitMix64(seed: 9_160 + UInt64(index))
        var compared = 0
        var stored = 0
        var rejected = 0
        for round in 0..<12 {
            let (style, dialect) = round % 2 == 0 ? (NumberStyle.point, CSVDialect.rfc4180) : (.danishComma, .excelDanish)
            // The rule set's inputs and the metadata columns in a random order, now and then a
            // closing date and a comment column.
            var header = ruleSets[0].inputs.map(\.name) + ["id", "name", "cvr", "fiscal_year"]
            if round % 3 == 0 { header.append("fiscal_year_end") }
            if round % 4 == 1 { header.append("_comment") }
            for position in header.indices.reversed() { header.swapAt(position, random.next(position + 1)) }
            let layout = try BatchLayout.check(header: header, ruleSets: ruleSets).get()
            var (straight, records) = Self.round(round, header: header, layout: layout, style: style, dialect: dialect, &random)
            var general = straight
            general.storesStraight = false
            var (rowA, rowB) = (BatchRow(ruleSets: ruleSets), BatchRow(ruleSets: ruleSets))
            for record in records {
                straight.bind(record, into: &rowA)
                general.bind(record, into: &rowB)
                let (a, b) = (Self.describe(rowA), Self.describe(rowB))
                #expect(a == b, "round \(round), record \(record.number)")
                compared += 1
                stored += rowA.values[0].filter { $0 != nil }.count
                if !rowA.ruleSetErrors[0].isEmpty || !rowA.rowErrors.isEmpty { rejected += 1 }
            }
        }
        // Worth something only if many values were stored, and many rows had a problem.
        #expect(compared > 1_000, "\(compared) rows compared")
        #expect(stored > 2 * compared, "\(stored) values stored in \(compared) rows")
        #expect(rejected > 100 && rejected < compared - 100, "\(rejected) of \(compared) rows with a problem")
    }
}
