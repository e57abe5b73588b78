import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The wide layout's fast path against its general one: a determined result's group of cells
/// (result, reason, deciding criteria, missing, status) made once per rule set, outcome and the
/// deciding plan's answers and copied (`WideResultWriter.keepGroup`), and the whole row written
/// through one pointer (`plainRow`), against the rows collected into cells, as an xlsx row is
/// (`BatchOptions.plainResultRows = false`). The rows have no carried column, which the one-pointer
/// row leaves to the general path; `RowTextsTests.wideRowsDirect` covers rows with one.
@Suite("batch: wide rows from kept groups equal the rows collected into cells")
struct WideKeptRowsTests {
    /// `BatchFixtures`' rule sets with texts that need quotes or the formula guard in a CSV cell,
    /// and letters beyond ASCII: quotes, both separators, a formula start on the criterion that
    /// comes first, combining accents and emoji. (A rule text cannot hold a line break: the lexer
    /// ends a text at the line; the rows' own texts hold them.)
    static func hostile() -> [RuleSet] {
        let alpha = BatchFixtures.alpha
            .replacingOccurrences(of: "\"Juridisk person\"", with: "\"=Juridisk \\\"person\\\"\"")
            .replacingOccurrences(of: "\"Mindst halvdelen fra salg\"", with: "\"Mindst halvdelen, fra salg; ja\"")
            .replacingOccurrences(of: "\"Har ansatte\"", with: "\"Har ansatte 🚀 e\u{301} æøå\"")
            .replacingOccurrences(of: "\"God\" en \"Good\"", with: "\"God; \\\"bedst\\\"\" en \"Good, \\\"best\\\"\"")
            .replacingOccurrences(
                of: "when all of commercial, staffed, owned, checked",
                with:
                    "when all of commercial, staffed, owned, checked\n    reason \"Alt, \\\"opfyldt\\\"; æ\" en \"All met, \\\"yes\\\"; ø\""
            )
            .replacingOccurrences(
                of: "otherwise other \"Anden\" en \"Other\"",
                with: "otherwise other \"-Anden\" en \"+Other\"\n    reason \"@kontor: ikke opfyldt\" en \"Ærø: not met\"")
        let result = loadRules([("alpha.rules", alpha), ("beta.rules", RowTextsTests.hostileBeta(first: "Mest \\\"salg\\\""))])
        #expect(!result.hasErrors, "the hostile test rules do not check: \(result.diagnostics.map(\.message))")
        return result.ruleSets
    }

    /// Rows for `BatchFixtures`' rule sets without a carried column: `RowTextsTests.input`'s (awkward
    /// and plain ids and names, blank, spaced and missing CVR numbers), then rows that are
    /// undetermined, rejected, before the rule sets' periods, duplicated, or with odd cells.
    static func input(separator: Character, seed: UInt64) -> String {
        let (generated, _) = RowTextsTests.input(rows: 500, separator: separator, seed: seed)
        var lines = generated.split(separator: "\n").map(String.init)
        var random = SplitMix64(seed: seed &+ 100)
        let decimal = separator == ";" ? "," : "."
        for number in 0..<300 {
            let id = random.pick(RowTextsTests.awkward + ["X\(number)", "", "=1+1", "Y\(number)", "Z\(number)"])
            let name = random.pick(RowTextsTests.awkward + ["Firma \(number) ApS", "Firma \(number) ApS", ""])
            let fields = [
                id, name, random.pick(["13748136", "", "1374813", "13 74 81 36", "13748136"]),
                random.pick(["2024", "2024", "2012", "", "år"]), random.pick(["aps", "forening", "enkeltmandsvirksomhed", "", "aps"]),
                random.pick(["100\(decimal)00", "", "abc", "0", "100\(decimal)00"]), random.pick(["80\(decimal)00", "", "1\(decimal)5"]),
                random.pick(["1", "", "-2", "3"]), random.pick(["10", "60", "", "10"]), random.pick(["true", "false", "", "måske"]),
                random.pick(["", "a note"]),
            ]
            lines.append(fields.map { RowTextsTests.cell($0, separator: separator) }.joined(separator: String(separator)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(
        "with the borderline column: groups kept per answers and borderline input equal the rows collected into cells",
        arguments: [Character(","), ";"])
    func borderline(separator: Character) throws {
        let input = Self.input(separator: separator, seed: separator == "," ? 93 : 94)
        guard case .success(let loaded) = RuleLoader.load(path: TestPaths.rules) else {
            Issue.record("the bundled rules do not load")
            return
        }
        // The limit test's firms, on and beside every threshold of the screening, many of them borderline.
        let limitFirms = LimitAgreementTests.firms(800).replacingOccurrences(of: ", ApS\"", with: " ApS\"")
        let cases: [(String, [RuleSet], Language)] = [
            (input, BatchFixtures.ruleSets(), .english), (input, Self.hostile(), .danish), (limitFirms, loaded.ruleSets, .danish),
            (limitFirms, loaded.ruleSets, .english),
        ]
        for (firms, rules, language) in cases {
            var flagged = 0
            for share in [Exact(raw: 1, 2), Exact(raw: 1, 50)] {
                // Every outcome's groups kept, and (with one thread) a budget that keeps only some.
                for (jobs, budget) in [(1, DecidingPlan.keptSlotBudget), (2, DecidingPlan.keptSlotBudget), (1, 60)] {
                    let direct = RowTextsTests.run(
                        firms, format: .csv, plain: true, jobs: jobs, layout: .wide, language: language, ruleSets: rules,
                        borderline: share, keptSlotBudget: budget)
                    let collected = RowTextsTests.run(
                        firms, format: .csv, plain: false, jobs: jobs, layout: .wide, language: language, ruleSets: rules,
                        borderline: share)
                    #expect(direct == collected, "\(language), \(share), --jobs \(jobs), budget \(budget)")
                    // A row flagged under a rule set names one of its inputs in its borderline cell.
                    let names = rules.flatMap { $0.inputs.map { $0.description?.text(language) ?? $0.name } }
                    flagged += direct.split(separator: "\n").filter { line in names.contains { line.contains($0) } }.count
                }
            }
            #expect(flagged > 0, "no row flagged borderline (\(language))")
        }
    }

    @Test("BatchFixtures' rule sets, plain and hostile, both languages, one and two threads", arguments: [Character(","), ";"])
    func fixtures(separator: Character) {
        let input = Self.input(separator: separator, seed: separator == "," ? 91 : 92)
        for (language, rules) in [
            (Language.english, BatchFixtures.ruleSets()), (.danish, BatchFixtures.ruleSets()), (.english, Self.hostile()),
            (.danish, Self.hostile()),
        ] {
            for jobs in [1, 2] {
                let direct = RowTextsTests.run(
                    input, format: .csv, plain: true, jobs: jobs, layout: .wide, language: language, ruleSets: rules)
                let collected = RowTextsTests.run(
                    input, format: .csv, plain: false, jobs: jobs, layout: .wide, language: language, ruleSets: rules)
                #expect(direct == collected, "\(language), --jobs \(jobs)")
                #expect(direct.split(separator: "\n").count > 800)
                for expected in ["undetermined", "rejected", "determined", "not_in_force"] {
                    #expect(direct.contains(expected), "no \(expected) row in the test's output")
                }
            }
        }
    }

    /// The bundled `anden_aktoer` rule set on firms like the limit's, whose `ordinary` results name
    /// up to five criteria depending on the firm (the plan's probes), with some cells left blank.
    @Test("the bundled anden_aktoer rule set on generated firms, both languages", arguments: [Character(","), ";"])
    func andenAktoer(separator: Character) throws {
        let path = "rules/anden_aktoer.rules"
        let loaded = RuleLoader.load([SourceFile(path: path, bytes: try RecordFixtures.bytes(path))])
        #expect(!loaded.hasErrors)
        let columns = [
            "id", "name", "cvr", "fiscal_year", "own_cvr", "public_ownership", "market_sales", "municipal_employment_services",
            "other_public_contracts", "grants", "ordinary_employees", "fleksjob", "loentilskud", "skaanejob", "smaajob",
            "virksomhedspraktik",
        ]
        var random = SplitMix64(seed: separator == "," ? 93 : 94)
        let decimal = separator == ";" ? "," : "."
        var lines = [columns.joined(separator: String(separator))]
        for number in 1...1500 {
            func money() -> String { random.next(12) == 0 ? "" : "\(random.next(5_000_000))\(decimal)\(10 + random.next(90))" }
            func count() -> String { random.next(15) == 0 ? "" : String(random.next(30)) }
            let cvr = random.next(20) == 0 ? "13748136" : String(10_000_000 + random.next(89_999_999))
            var fields = [
                random.next(30) == 0 ? random.pick(RowTextsTests.awkward) : "F\(number)",
                random.next(30) == 0 ? random.pick(RowTextsTests.awkward) : "Firma \(number) ApS", cvr,
                random.pick(["2024", "2024", "2024", "2018", ""]), random.pick(["true", "true", "false", ""]),
                random.pick(["0", "0", "60", "49", ""]),
            ]
            fields += [money(), money(), money(), money()]
            fields += (0..<6).map { _ in count() }
            lines.append(fields.map { RowTextsTests.cell($0, separator: separator) }.joined(separator: String(separator)))
        }
        let input = lines.joined(separator: "\n") + "\n"
        for language in [Language.english, .danish] {
            let direct = RowTextsTests.run(
                input, format: .csv, plain: true, jobs: 1, layout: .wide, language: language, ruleSets: loaded.ruleSets)
            let collected = RowTextsTests.run(
                input, format: .csv, plain: false, jobs: 1, layout: .wide, language: language, ruleSets: loaded.ruleSets)
            #expect(direct == collected, "\(language)")
            #expect(direct.split(separator: "\n").count > 1500)
        }
    }
}
