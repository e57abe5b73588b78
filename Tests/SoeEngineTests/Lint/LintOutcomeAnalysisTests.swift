import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The condition analysis behind L101 (unreachable outcome), one case per kind of reasoning, and
/// the cases where a careless analysis would report something false.
@Suite("lint: unreachable outcomes (L101)")
struct LintOutcomeAnalysisTests {
    static let cases: [LintCase] = [
        LintCase(
            "a narrower threshold after a wider one is unreachable",
            """
            classify
              a "A" when x > 50 %
              b "B" when x > 75 %
              otherwise z "Z"
            """, expect: ["L101"], messages: ["the outcome 'b' can never be the result: 'a' applies first"]),
        LintCase(
            "the narrower one first is fine",
            """
            classify
              b "B" when x > 75 %
              a "A" when x > 50 %
              otherwise z "Z"
            """, absent: ["L101"]),
        LintCase(
            "a choice inside an earlier set of choices",
            """
            classify
              company "Selskab" when lf is one of aps, as
              private "ApS" when lf is aps
              otherwise z "Z"
            """, expect: ["L101"]),
        LintCase(
            "a set of choices after one of them is fine",
            """
            classify
              private "ApS" when lf is aps
              company "Selskab" when lf is one of aps, as
              otherwise z "Z"
            """, absent: ["L101"]),
        LintCase(
            "several earlier outcomes together cover a later one",
            """
            classify
              high "H" when x >= 60 %
              low_y "LY" when x < 60 % and y
              low_n "LN" when x < 60 % and not y
              later "L" when x > 10 %
              otherwise z "Z"
            """, expect: ["L101"], messages: ["'high', 'low_y', 'low_n' apply first"]),
        LintCase(
            "criteria are expanded, negations pushed inward",
            """
            criterion eligible "Kan registreres"
              cite "§ 4"
              = lf is not fond and y
            classify
              not_eligible "Nej" when not eligible
              fond "Fond" when lf is fond
              otherwise z "Z"
            """, expect: ["L101"], messages: ["'fond' can never be the result"]),
        LintCase(
            "a parameter above a constant on every date",
            """
            parameter q: percent "q"
              policy "p"
              = 60 % from 2015-01-01
              = 70 % from 2020-01-01
            classify
              a "A" when x > 50 %
              b "B" when x > q
              otherwise z "Z"
            """, expect: ["L101"]),
        LintCase(
            "a parameter whose values straddle the constant: not unreachable on every date",
            """
            parameter q: percent "q"
              policy "p"
              = 50 % from 2015-01-01
              = 80 % from 2020-01-01
            classify
              a "A" when x > q
              b "B" when x > 60 %
              otherwise z "Z"
            """, absent: ["L101"]),
        LintCase(
            "the same parameter on both sides is compared exactly",
            """
            parameter q: percent "q"
              policy "p"
              = 50 % from 2015-01-01
              = 80 % from 2020-01-01
            classify
              a "A" when x >= q
              b "B" when x > q
              otherwise z "Z"
            """, expect: ["L101"]),
        LintCase(
            "counts are whole numbers: n >= 3 and n <= 2 cover everything",
            """
            classify
              many "M" when n >= 3
              few "F" when n <= 2
              seven "S" when n = 7 and y
              otherwise z "Z"
            """, expect: ["L101"], messages: ["'seven' can never be the result"]),
        LintCase(
            "amounts are not whole numbers: 2.5 kr lies between 2 kr and 3 kr",
            """
            classify
              many "M" when m >= 3 kr
              few "F" when m <= 2 kr
              between "B" when m > 2.5 kr
              otherwise z "Z"
            """, absent: ["L101"]),
        LintCase(
            "dates are ordered",
            """
            classify
              before_2020 "F" when start < 2020-01-01
              before_2019 "E" when start < 2019-01-01
              otherwise z "Z"
            """, expect: ["L101"]),
        LintCase(
            "the same non-linear formula written twice is the same quantity",
            """
            classify
              a "A" when m * x > 5 kr
              b "B" when m * x > 10 kr
              otherwise z "Z"
            """, expect: ["L101"]),
        LintCase(
            "different sums are unrelated quantities: no claim",
            """
            classify
              a "A" when m + profit > 0 kr
              b "B" when m > 0 kr
              otherwise z "Z"
            """, absent: ["L101"]),
        LintCase(
            "'is known' is not assumed to follow from a value",
            """
            classify
              a "A" when y is known
              b "B" when y
              otherwise z "Z"
            """, absent: ["L101"]),
        LintCase(
            "an outcome that always applies makes every later one unreachable",
            """
            classify
              all_firms "Alle" when x <= 100 %
              b "B" when y
              otherwise z "Z"
            """, expect: ["L101", "L103"], messages: ["'all_firms' applies first"]),
        LintCase(
            "an impossible outcome is reported as impossible, not unreachable",
            """
            classify
              a "A" when y
              b "B" when y and x > 10 % and x < 5 %
              otherwise z "Z"
            """, expect: ["L102"], absent: ["L101"]),
        LintCase(
            "yes/no compared with yes is the yes/no itself",
            """
            classify
              a "A" when y = yes
              b "B" when y and n > 3
              otherwise z "Z"
            """, expect: ["L101"]),
    ]

    @Test("outcome analysis", arguments: cases)
    func outcome(_ testCase: LintCase) {
        testCase.run()
    }

    @Test("a large classification with many unreachable outcomes is analysed without claiming too much")
    func largeClassification() throws {
        let text = SyntheticRules.ruleFile(criteria: 1_000, outcomes: 1_000)
        let report = Linter.lint(sources: [SourceFile(path: "synthetic.rules", text: text)])
        #expect(!report.hasLanguageErrors)
        let unreachable = report.findings.filter { $0.code == "L101" }.count
        #expect(unreachable > 0 && unreachable < 1_000, "\(unreachable) unreachable")
    }
}
