import SoeLanguage
import SoeTestSupport
import Testing

@testable import SoeEngine

/// `DiffRunner` and `DiffExplainer` on the small rule set of `DiffFixtures`: each kind of first
/// difference, the transition counts, and the four output formats.
@Suite struct DiffTests {
    static func run(_ format: DiffFormat, language: Language = .english, jobs: Int = 1, asOf: Day? = nil) -> (String, BatchEnd) {
        let pairing = RuleSetPairing.match(old: DiffFixtures.oldRules, new: DiffFixtures.newRules)
        var options = BatchOptions(language: language, sourceName: "firms.csv")
        (options.jobs, options.blockSize, options.asOf) = (jobs, 2, asOf)
        let context = DiffContext(
            oldRules: "old/", newRules: "new/", source: "firms.csv", asOf: asOf, onlyOld: [], onlyNew: [],
            hashes: zip(pairing.old, pairing.new).map { ($0.sha256, $1.sha256) }, language: language)
        let sink = MemorySink()
        let end = DiffRunner(pairing: pairing, options: options, format: format)
            .run(ArraySource(Array(DiffFixtures.firms.utf8)), to: sink, context: context)
        return (sink.text, end)
    }

    static func summary(_ end: BatchEnd) -> BatchSummary? {
        if case .finished(let summary) = end { return summary }
        return nil
    }

    @Test func everyVersionLoads() {
        #expect(DiffFixtures.oldRules.count == DiffFixtures.changes.count)
        #expect(DiffFixtures.newRules.count == DiffFixtures.changes.count)
    }

    @Test func textGolden() {
        let (text, end) = Self.run(.text)
        #expect(Self.summary(end) != nil)
        expectGolden(text, "diff/kinds.txt")
    }

    @Test func danishTextGolden() {
        expectGolden(Self.run(.text, language: .danish).0, "diff/kinds-da.txt")
    }

    @Test func csvGolden() { expectGolden(Self.run(.csv).0, "diff/kinds.csv") }

    @Test func jsonGolden() {
        let (text, _) = Self.run(.json)
        expectGolden(text, "diff/kinds.json")
        // The document is JSON, whole.
        if case .failure(let error) = JSONReader.parse(Array(text.utf8)) { Issue.record("not JSON: \(error)") }
    }

    @Test func htmlGolden() {
        let (page, _) = Self.run(.html)
        expectGolden(page, "diff/kinds.html")
        #expect(!page.contains("<script"))
    }

    /// Each kind of first difference is found for the firm built to show it.
    @Test func eachKindIsExplained() {
        let (csv, _) = Self.run(.csv)
        let rows = csv.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        func kind(_ id: String, _ ruleSet: String) -> String? { rows.first { $0[1] == id && $0[3] == ruleSet }?[6] }
        #expect(kind("F1", "p_parameter") == "parameter")
        #expect(kind("F2", "c_condition") == "condition")
        #expect(kind("F3", "k_criterion") == "criterion")
        #expect(kind("F7", "v_value") == "value")
        #expect(kind("F2", "n_new_outcome") == "outcome_added")
        #expect(kind("F4", "r_removed_outcome") == "outcome_removed")
        #expect(kind("F3", "i_new_input") == "criterion")
        #expect(kind("F5", "x_range") == "rejected")
        #expect(kind("F1", "f_in_force") == "in_force")
        #expect(kind("F1", "o_order") == "outcome_order")
        // The parameter's old and new values, and what they did.
        let parameter = rows.first { $0[1] == "F1" && $0[3] == "p_parameter" }
        #expect(parameter?[8] == "100.00 kr" && parameter?[9] == "150.00 kr")
        #expect(parameter?[7].contains("double_sales 120.00 kr no longer ≥ sales_min") == true)
    }

    /// A new version that raises a threshold and adds a part to an outcome's `all of`: a firm that
    /// now fails through the threshold is explained by the threshold, not by the part added (which
    /// it meets); a firm that fails the part added is explained by that part.
    @Test func aPartAddedIsNotBlamedForAThreshold() throws {
        var before = DiffFixtures.Version(name: "t_two_changes")
        before.large = "all of big, staffed"
        var after = DiffFixtures.Version(name: "t_two_changes", salesMin: "150 kr")
        after.large = "all of big, staffed, staff > 2"
        let old = RuleLoader.load([SourceFile(path: "old/t.rules", text: DiffFixtures.text(before))]).ruleSets
        let new = RuleLoader.load([SourceFile(path: "new/t.rules", text: DiffFixtures.text(after))]).ruleSets
        let pairing = RuleSetPairing.match(old: old, new: new)
        let options = BatchOptions(language: .english, sourceName: "firms.csv")
        let context = DiffContext(
            oldRules: "old/", newRules: "new/", source: "firms.csv", asOf: nil, onlyOld: [], onlyNew: [],
            hashes: zip(pairing.old, pairing.new).map { ($0.sha256, $1.sha256) }, language: .english)
        let sink = MemorySink()
        // T1 meets `staff > 2` (3 staff) but its doubled sales of 120 kr fall below the new 150 kr;
        // T2 passes the new threshold (200 kr) but has 2 staff.
        let firms = "id,name,fiscal_year,sales,staff,flag\nT1,Tærskel ApS,2024,60,3,true\nT2,To ansatte ApS,2024,100,2,true\n"
        _ = DiffRunner(pairing: pairing, options: options, format: .text).run(ArraySource(Array(firms.utf8)), to: sink, context: context)
        let lines = sink.text.split(separator: "\n").map(String.init)
        let t1 = try #require(lines.firstIndex { $0.contains("T1 · Tærskel ApS · t_two_changes: large → small") }, "\(sink.text)")
        #expect(lines[t1 + 1].contains("sales_min 100.00 kr → 150.00 kr: double_sales 120.00 kr no longer ≥ sales_min"), "\(sink.text)")
        let t2 = try #require(lines.firstIndex { $0.contains("T2 · To ansatte ApS · t_two_changes: large → small") })
        #expect(lines[t2 + 1].contains("the condition of outcome large changed"), "\(sink.text)")
        #expect(lines[t2 + 1].hasSuffix("the part added, staff > 2: no"), "\(sink.text)")
    }

    /// Every row is counted once under each rule set, and the totals add up to the rows read.
    @Test func transitionCountsAddUp() throws {
        let summary = try #require(Self.summary(Self.run(.csv).1))
        let diff = try #require(summary.diff)
        #expect(summary.rowsRead == 7)
        for table in diff.tables { #expect(table.counts.reduce(0, +) == 7, "\(table.name)") }
        let totals = DiffTotals(summary)
        #expect(totals.read == totals.changed + totals.unchanged + totals.rejected)
        #expect(totals.rejected == 2)  // F6 has no fiscal year; F5 is outside x_range's new range
        let parameter = try #require(diff.tables.first { $0.name == "p_parameter" })
        let large = try #require(parameter.oldStates.firstIndex(of: "large"))
        let small = try #require(parameter.newStates.firstIndex(of: "small"))
        #expect(parameter.count(old: large, new: small) == 1)
        #expect(parameter.isChange(old: large, new: small))
        #expect(summary.isBalanced)
    }

    /// Several threads write the same bytes and count the same, in the same order.
    @Test func parallelIsTheSame() {
        for format in DiffFormat.allCases {
            let (one, endOne) = Self.run(format)
            let (many, endMany) = Self.run(format, jobs: 3)
            #expect(one == many, "\(format)")
            #expect(Self.summary(endOne) == Self.summary(endMany))
        }
    }

    /// `asOf` moves every firm to another date: before the rules are in force, nothing is.
    @Test func asOfMovesTheDate() throws {
        let summary = try #require(Self.summary(Self.run(.csv, asOf: Day(year: 2019, month: 6, day: 30)).1))
        let table = try #require(summary.diff?.tables.first { $0.name == "p_parameter" })
        let notInForce = try #require(table.oldStates.firstIndex(of: "not_in_force"))
        #expect(table.count(old: notInForce, new: notInForce) == 6)
    }

    @Test func pairingReportsOneSidedRuleSets() {
        let old = DiffFixtures.oldRules
        let pairing = RuleSetPairing.match(old: Array(old.prefix(3)), new: Array(DiffFixtures.newRules.dropFirst(1)))
        #expect(pairing.old.map(\.name) == ["c_condition", "k_criterion"])
        #expect(pairing.onlyOld == ["p_parameter"])
        #expect(pairing.onlyNew.count == DiffFixtures.changes.count - 3)
    }
}
