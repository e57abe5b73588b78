import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The common CSV result row is written through one buffer (`BatchResultWriter+Plain.swift`)
/// instead of piece by piece. Its bytes must be the general path's, whatever the row: these tests
/// run the same batches with that path on and off and compare every byte.
@Suite("batch: the one-buffer result row writes what the general path writes")
struct PlainResultRowTests {
    /// A generated batch for `BatchFixtures`' rule sets: mostly plain, decided rows, and among them
    /// names and ids that need quoting or a formula guard, Danish letters, long names, missing and
    /// unreadable cells, repeated CVR numbers, years before a rule set is in force.
    static func generatedInput(rows: Int, seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        func pick<T>(_ choices: [T]) -> T { choices[Int(random.next() % UInt64(choices.count))] }
        func roll(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        let names = [
            "Firma", "Ærø Café ApS", "Bager \"\"Brød\"\"", "Smith, Jones & Co", "=SUM(A1)", "+45 Rengøring",
            "Lang " + String(repeating: "ø", count: 300), "Tab\there", "Plain Name ApS", "@kontor",
        ]
        var lines = [BatchFixtures.header]
        for row in 1...rows {
            let plain = roll(4) != 0
            var name = plain ? "Firma \(row)" : pick(names)
            if name.contains(",") || name.contains("\"") || name.contains("\t") { name = "\"\(name)\"" }
            let id = plain ? "F\(row)" : pick(["F\(row)", "", "\"F,\(row)\"", "-\(row)"])
            let cvr = plain ? validCVR(&random) : pick(["13748136", "", "1234", "13906513", "13748137"])
            let year = plain ? "2024" : pick(["2024", "2016", "2019", "", "20x4"])
            let legal = pick(["aps", "forening", "enkeltmandsvirksomhed", plain ? "aps" : ""])
            let turnover = plain ? "\(roll(100_000)).\(roll(90) + 10)" : pick(["0", "", "1000.00", "-5", "1.000"])
            let sales = plain ? "\(roll(100_000)).\(roll(90) + 10)" : pick(["0", "", "800.00", "abc"])
            let staff = plain ? String(roll(20)) : pick(["0", "", "2.5", "3"])
            let share = plain ? String(roll(100)) : pick(["10", "", "150", "49"])
            let audited = plain ? pick(["true", "false"]) : pick(["true", "", "ja", "maybe"])
            let note = plain ? "" : pick(["", "bemærk", "\"a, b\""])
            lines.append([id, name, cvr, year, legal, turnover, sales, staff, share, audited, note].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CVR number whose check digit is right (weights 2, 7, 6, 5, 4, 3, 2, 1; the sum divisible by 11).
    static func validCVR(_ random: inout SplitMix64) -> String {
        while true {
            let digits = [1 + Int(random.next() % 9)] + (0..<6).map { _ in Int(random.next() % 10) }
            let sum = zip(digits, [2, 7, 6, 5, 4, 3, 2]).reduce(0) { $0 + $1.0 * $1.1 }
            let check = (11 - sum % 11) % 11
            if check < 10 { return (digits + [check]).map(String.init).joined() }
        }
    }

    static func run(
        _ input: String, ruleSets: [RuleSet], plain: Bool, jobs: Int, language: Language, borderline: Exact? = nil,
        keptSlotBudget: Int = DecidingPlan.keptSlotBudget
    ) -> String {
        var options = BatchOptions(language: language, sourceName: "firms.csv")
        options.plainResultRows = plain
        options.borderline = borderline
        options.keptSlotBudget = keptSlotBudget
        options.jobs = jobs
        options.blockSize = 7
        let sink = MemorySink()
        _ = BatchRunner(ruleSets: ruleSets, options: options).run(ArraySource(Array(input.utf8)), to: sink)
        return sink.text
    }

    @Test("3,000 generated rows, one thread and two, Danish and English: the same bytes either way")
    func generatedRows() {
        let input = Self.generatedInput(rows: 3_000, seed: 2026_12_03)
        let ruleSets = BatchFixtures.ruleSets()
        for language in [Language.english, .danish] {
            for jobs in [1, 2] {
                let general = Self.run(input, ruleSets: ruleSets, plain: false, jobs: jobs, language: language)
                let plain = Self.run(input, ruleSets: ruleSets, plain: true, jobs: jobs, language: language)
                #expect(plain == general, "the one-buffer rows differ (\(language), jobs \(jobs))")
                // The comparison means something only if most results are the plain kind.
                let decided = general.split(separator: "\n").filter { $0.contains(",determined,") }
                #expect(decided.count > 3_000, "too few decided rows to exercise the plain path: \(decided.count)")
            }
        }
    }

    @Test("with the borderline column: the one-buffer row and its cell before the line feed, as the general path writes them")
    func borderlineColumn() throws {
        // 50 % flags many rows, 2 % few; both leave rows with an empty cell.
        let shares = [Exact(raw: 1, 2), Exact(raw: 1, 50)]
        let generated = Self.generatedInput(rows: 1_500, seed: 2026_12_05)
        guard case .success(let loaded) = RuleLoader.load(path: TestPaths.rules) else {
            Issue.record("the bundled rules do not load")
            return
        }
        // The limit test's firms, on and beside every threshold of the screening; names without
        // the comma, so that most rows take the one-buffer path.
        let limitFirms = LimitAgreementTests.firms(1_500).replacingOccurrences(of: ", ApS\"", with: " ApS\"")
        let excel = try String(contentsOfFile: TestPaths.root + "/samples/batch/firms-excel-da.csv", encoding: .utf8)
        let cases: [(String, [RuleSet], String)] = [
            ("generated", BatchFixtures.ruleSets(), generated), ("limit's firms", loaded.ruleSets, limitFirms),
            ("Danish Excel sample", loaded.ruleSets, excel),
        ]
        for (name, ruleSets, input) in cases {
            var flagged = 0
            for share in shares {
                for (language, jobs) in [(Language.english, 1), (.danish, 2)] {
                    let general = Self.run(input, ruleSets: ruleSets, plain: false, jobs: jobs, language: language, borderline: share)
                    let plain = Self.run(input, ruleSets: ruleSets, plain: true, jobs: jobs, language: language, borderline: share)
                    #expect(plain == general, "the one-buffer rows with a borderline cell differ (\(name), \(share), jobs \(jobs))")
                    // Rows whose borderline cell names an input do not end with the separator.
                    let lines = general.split(separator: "\n").dropFirst()
                    flagged += lines.filter { !($0.hasSuffix(",") || $0.hasSuffix(";")) }.count
                    #expect(lines.contains { $0.hasSuffix(",") || $0.hasSuffix(";") }, "no row without a borderline input (\(name))")
                }
            }
            #expect(flagged > 0, "no row flagged borderline (\(name))")
        }
    }

    @Test("results kept per outcome and answers within a budget: past it, the general path writes the same bytes")
    func keptSlotBudget() throws {
        let input = Self.generatedInput(rows: 600, seed: 2026_12_06)
        let ruleSets = BatchFixtures.ruleSets()
        let general = Self.run(input, ruleSets: ruleSets, plain: false, jobs: 1, language: .english)
        // None kept, a few outcomes kept, every one kept.
        for budget in [0, 6, 40, DecidingPlan.keptSlotBudget] {
            let plain = Self.run(input, ruleSets: ruleSets, plain: true, jobs: 1, language: .english, keptSlotBudget: budget)
            #expect(plain == general, "budget \(budget)")
        }
        // The writers' tables stay within the budget.
        for budget in [0, 6, 40] {
            let long = BatchResultWriter(ruleSets: ruleSets, format: .csv, separator: 0x2C, language: .english, keptSlotBudget: budget)
            #expect(long.decidedRowBase.allSatisfy { $0 < 0 } == (budget == 0))
            #expect(long.keptSlots <= budget)
            let wide = BatchResultWriter(
                ruleSets: ruleSets, format: .csv, separator: 0x2C, language: .english, borderline: Exact(raw: 1, 50), layout: .wide,
                keptSlotBudget: budget)
            #expect(wide.wideKeptSlots <= budget)
        }
    }

    @Test("the bundled rule sets over the sample batch: the same bytes either way")
    func bundledSample() throws {
        guard case .success(let loaded) = RuleLoader.load(path: TestPaths.rules) else {
            Issue.record("the bundled rules do not load")
            return
        }
        let input = try String(contentsOfFile: TestPaths.root + "/samples/batch/firms.csv", encoding: .utf8)
        for language in [Language.english, .danish] {
            let general = Self.run(input, ruleSets: loaded.ruleSets, plain: false, jobs: 1, language: language)
            let plain = Self.run(input, ruleSets: loaded.ruleSets, plain: true, jobs: 1, language: language)
            #expect(plain == general)
            #expect(general.split(separator: "\n").count > 3)
        }
    }
}
