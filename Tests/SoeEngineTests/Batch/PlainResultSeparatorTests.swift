import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The one-pointer long result row (`BatchResultWriter.plainCSVResult`, taken by
/// `BatchResultWriter.decided` by one stored flag, its head and tail pieces looked up only where
/// they are used, the CVR number's word written inline) against the general path, under every
/// separator a dialect has, on generated rows whose ids, names and CVR numbers need quotes under
/// one separator and not another, start like formulas, are of every short length `ShortCopy` and
/// `writePlain` tell apart, repeat (the duplicate warning) or are missing.
@Suite("batch: the one-pointer long row under every separator writes what the general path writes")
struct PlainResultSeparatorTests {
    static let separators: [Character] = [",", ";", "\t"]

    /// A CSV field as a spreadsheet writes it: quoted when it holds the separator, a quote or a line break.
    static func field(_ text: String, _ separator: Character) -> String {
        guard text.contains(separator) || text.contains("\"") || text.contains("\n") || text.contains("\r") else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// An id, a name and a CVR number for row `row`: mostly plain, else one of the odd ones.
    static func identity(_ row: Int, _ random: inout SplitMix64) -> (id: String, name: String, cvr: String) {
        let odd = random.next(3) == 0
        guard odd else { return ("F\(row)", "Firma \(row) ApS", PlainResultRowTests.validCVR(&random)) }
        let ids = [
            "F\(row)", "", "F;\(row)", "F,\(row)", "F\t\(row)", "-\(row)", "=\(row)", "@\(row)", "+\(row)", "\(row)",
            "id with \"quote\" \(row)", String(repeating: "i", count: 1 + random.next(40)),
        ]
        let names = [
            "A", "Ab", "Abc ApS", "Firma 12", "Firma 1234 ApS", "Firma 12345 ApS", "Firma 123456 ApS A/S",
            "Smith, Jones & Co", "Smith; Jones & Co", "Tab\tCo", "Say \"hi\" ApS", "=SUM(A1)", "+45 Rengøring", "-minus",
            "@kontor", "Ærø Café ApS", "Lang " + String(repeating: "ø", count: 40), String(repeating: "n", count: 33),
            " leading space", "Line\nbreak",
        ]
        let cvrs = ["13748136", "", "1234", "13906513", "13748137", "1374813a", "137481360", PlainResultRowTests.validCVR(&random)]
        return (random.pick(ids), random.pick(names), random.pick(cvrs))
    }

    /// Rows for the bundled `anden_aktoer` rule set (whole amounts, which read alike under every
    /// dialect's decimal mark), some repeating an earlier row's CVR number and year.
    static func andenAktoerInput(rows: Int, separator: Character, seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        let header = [
            "id", "name", "cvr", "fiscal_year", "own_cvr", "public_ownership", "market_sales", "municipal_employment_services",
            "other_public_contracts", "grants", "ordinary_employees", "fleksjob", "loentilskud", "skaanejob", "smaajob",
            "virksomhedspraktik",
        ]
        var lines = [header.joined(separator: String(separator))]
        var seen: [String] = []
        for row in 1...rows {
            var (id, name, cvr) = identity(row, &random)
            if !seen.isEmpty, random.next(10) == 0 { cvr = random.pick(seen) }
            seen.append(cvr)
            let money = { (random: inout SplitMix64) in String(random.next(5_000_000)) }
            var cells = [id, name, cvr, random.next(12) == 0 ? "2019" : "2024", random.pick(["true", "false", "true"])]
            cells.append(random.pick(["0", "0", "25", "50", "100"]))
            for _ in 0..<4 { cells.append(money(&random)) }
            for _ in 0..<6 { cells.append(String(random.next(30))) }
            lines.append(cells.map { field($0, separator) }.joined(separator: String(separator)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Rows for `BatchFixtures`' rule sets, with the same identities.
    static func fixturesInput(rows: Int, separator: Character, seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        var lines = [BatchFixtures.header.replacingOccurrences(of: ",", with: String(separator))]
        for row in 1...rows {
            let (id, name, cvr) = identity(row, &random)
            let cells = [
                id, name, cvr, random.pick(["2024", "2024", "2016", "2019"]), random.pick(["aps", "forening", "enkeltmandsvirksomhed"]),
                String(random.next(100_000)), String(random.next(100_000)), String(random.next(20)), String(random.next(100)),
                random.pick(["true", "false"]), random.pick(["", "bemærk"]),
            ]
            lines.append(cells.map { field($0, separator) }.joined(separator: String(separator)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The sample batch's firms (`samples/batch/firms.csv`, which has no quoted field), each
    /// repeated with generated identities, for every bundled rule set: among them outcomes whose
    /// criteria are not kept per answers (the plan's walk, the tail with the reason copied after
    /// them). Decimal commas under `;`, the separator Excel's Danish dialect is detected by.
    static func sampleInput(copies: Int, separator: Character, seed: UInt64) throws -> String {
        var random = SplitMix64(seed: seed)
        let sample = try String(contentsOfFile: TestPaths.root + "/samples/batch/firms.csv", encoding: .utf8)
        // The file's lines end in CRLF, one `Character` in Swift.
        let records = sample.split(whereSeparator: \.isNewline).map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        var lines = [records[0].joined(separator: String(separator))]
        for copy in 0..<copies {
            for (index, record) in records.dropFirst().enumerated() {
                let (id, name, cvr) = identity(copy * records.count + index, &random)
                let rest = record.dropFirst(3).map { separator == ";" ? $0.replacingOccurrences(of: ".", with: ",") : $0 }
                lines.append(([id, name, cvr] + rest).map { field($0, separator) }.joined(separator: String(separator)))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("the bundled rule sets and the fixtures', with ',', ';' and tab: the same bytes either way")
    func everySeparator() throws {
        guard case .success(let loaded) = RuleLoader.load(path: TestPaths.rules) else {
            Issue.record("the bundled rules do not load")
            return
        }
        let andenAktoer = loaded.ruleSets.filter { $0.name == "anden_aktoer" }
        #expect(andenAktoer.count == 1)
        for (offset, separator) in Self.separators.enumerated() {
            let seed = 2026_12_05 + UInt64(offset)
            let batches: [(String, [RuleSet])] = [
                (Self.andenAktoerInput(rows: 1_200, separator: separator, seed: seed), andenAktoer),
                (Self.fixturesInput(rows: 1_200, separator: separator, seed: seed), BatchFixtures.ruleSets()),
                (try Self.sampleInput(copies: 150, separator: separator, seed: seed), loaded.ruleSets),
            ]
            for (input, ruleSets) in batches {
                let general = PlainResultRowTests.run(input, ruleSets: ruleSets, plain: false, jobs: 1, language: .english)
                let plain = PlainResultRowTests.run(input, ruleSets: ruleSets, plain: true, jobs: 1, language: .english)
                #expect(plain == general, "the one-pointer rows differ (separator \(separator.asciiValue ?? 0))")
                // The comparison means something only if most results are decided ones, some of them duplicates.
                let sep = String(separator)
                let lines = general.split(separator: "\n")
                let decided = lines.filter { $0.contains("\(sep)determined\(sep)") }
                #expect(decided.count > 800, "too few decided rows: \(decided.count) (separator \(separator.asciiValue ?? 0))")
                #expect(lines.contains { $0.contains("\(sep)determined\(sep)") && $0.contains("same CVR number") })
                #expect(lines.contains { $0.contains("\(sep)\"") }, "no quoted field")
            }
        }
    }
}
