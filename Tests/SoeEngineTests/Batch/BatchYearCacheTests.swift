import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The fiscal year and closing day the binder keeps from the last row (issue 16, docs/benchmark.md
/// "Steps of session 24"): a row's fiscal year cell equal to the last four-byte cell read as a year
/// is not read again, and the 31 December of a year is not made again per row. Every row must be
/// bound as a binder that has bound nothing before it binds it.
@Suite("batch: the fiscal year kept from row to row")
struct BatchYearCacheTests {
    static func layout(closingDates: Bool) throws -> (BatchLayout, [RuleSet]) {
        let ruleSets = [BatchFixtures.ruleSets()[0]]
        var header = ruleSets[0].inputs.map(\.name) + ["id", "name", "cvr", "fiscal_year"]
        if closingDates { header.append("fiscal_year_end") }
        return (try BatchLayout.check(header: header, ruleSets: ruleSets).get(), ruleSets)
    }

    static func record(_ layout: BatchLayout, number: Int, year: String, end: String = "") -> CSVRecord {
        let fields = layout.columns.map { column -> String in
            switch column {
            case "id": "F\(number)"
            case "name": "Firma \(number) ApS"
            case "cvr": "13748136"
            case "fiscal_year": year
            case "fiscal_year_end": end
            default: "1"
            }
        }
        return CSVRecord(fields: fields, line: number, number: number)
    }

    /// Runs of one year, a changed cell right after an equal one, cells that are no year (out of
    /// range, a letter, spaces around, four bytes of letters) between years, with and without a
    /// closing date column: each row against a fresh binder's.
    @Test("each row after others is bound as a fresh binder binds it", arguments: [false, true])
    func asFresh(closingDates: Bool) throws {
        let (layout, ruleSets) = try Self.layout(closingDates: closingDates)
        let cells = [
            "2024", "2025", "2023", "1899", "1900", "9999", "0000", "20x4", "2O24", "2024 ", " 2024", "", " ", "24", "ÆØ", "12024",
            "2024\t",
        ]
        let ends = ["", "", "2024-12-31", "2025-06-30", "2022-12-31", "x"]
        var random = SplitMix64(seed: 2_401 + (closingDates ? 1 : 0))
        var binder = CSVRowBinder(layout: layout, style: .point, language: .english)
        var row = BatchRow(ruleSets: ruleSets)
        var (year, changed, kept) = ("2024", 0, 0)
        for number in 2..<4_000 {
            if random.chance(1, in: 3) {
                let next = random.pick(cells)
                if next != year { changed += 1 }
                year = next
            } else {
                kept += 1
            }
            let record = Self.record(layout, number: number, year: year, end: closingDates ? random.pick(ends) : "")
            var fresh = CSVRowBinder(layout: layout, style: .point, language: .english)
            var expected = BatchRow(ruleSets: ruleSets)
            #expect(binder.bindIdentity(record, into: &row) == fresh.bindIdentity(record, into: &expected))
            #expect(row.fiscalYear == expected.fiscalYear, "row \(number): \(year)")
            #expect(row.closingDay == expected.closingDay, "row \(number): \(year)")
            #expect(row.rowErrors == expected.rowErrors, "row \(number): \(year)")
        }
        #expect(changed > 800 && kept > 2_000, "\(changed) changed, \(kept) kept")
    }

    /// A fixed sequence, its years and closing days spelt out: a kept year is never given to the
    /// next row whose cell differs, nor to one whose cell is no year.
    @Test("a changed cell after an equal one gets its own year and closing day")
    func sequence() throws {
        let (layout, ruleSets) = try Self.layout(closingDates: false)
        var binder = CSVRowBinder(layout: layout, style: .point, language: .english)
        var row = BatchRow(ruleSets: ruleSets)
        let cells = ["2024", "2024", "2025", "2025", "1899", "2024", "20x4", "2024", "2023", " 2023", "2023"]
        let years: [Int?] = [2024, 2024, 2025, 2025, nil, 2024, nil, 2024, 2023, 2023, 2023]
        for (offset, cell) in cells.enumerated() {
            _ = binder.bindIdentity(Self.record(layout, number: offset + 2, year: cell), into: &row)
            #expect(row.fiscalYear == years[offset], "\(offset): \(cell)")
            #expect(row.closingDay == years[offset].flatMap { Day(year: $0, month: 12, day: 31) }, "\(offset): \(cell)")
            #expect(row.rowErrors.isEmpty == (years[offset] != nil), "\(offset): \(cell) \(row.rowErrors)")
        }
    }
}
