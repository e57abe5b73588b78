import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// L102 (impossible), L103 (always true) and L104 (gap between thresholds), table-driven.
@Suite("lint: constant conditions and gaps (L102, L103, L104)")
struct LintConditionChecksTests {
    static let constantCases: [LintCase] = [
        LintCase(
            "two bounds that exclude each other",
            """
            criterion weird "W"
              cite "c"
              = x > 10 % and x < 5 %
            classify
              a "A" when weird
              otherwise z "Z"
            """, expect: ["L102"], absent: ["L103"], messages: ["the condition of the criterion 'weird' can never be true"]),
        LintCase(
            "two choices at once",
            """
            classify
              a "A" when lf is aps and lf is fond
              otherwise z "Z"
            """, expect: ["L102"], messages: ["the condition of the outcome 'a' can never be true"]),
        LintCase(
            "below a declared minimum",
            """
            classify
              a "A" when m < 0 kr
              otherwise z "Z"
            """, expect: ["L102"]),
        LintCase(
            "either side of a threshold is possible",
            """
            classify
              a "A" when x > 10 % or x < 5 %
              otherwise z "Z"
            """, absent: ["L102", "L103"]),
        LintCase(
            "only a part of the condition is impossible",
            """
            classify
              a "A" when y or (x > 10 % and x < 5 %)
              otherwise z "Z"
            """, expect: ["L102"], messages: ["this part of the condition of the outcome 'a' can never be true"]),
        LintCase(
            "an outcome using an impossible criterion is not reported again",
            """
            criterion weird "W"
              cite "c"
              = lf is aps and lf is as
            classify
              a "A" when weird and y
              otherwise z "Z"
            """, expect: ["L102"], messages: ["criterion 'weird'"]),
        LintCase(
            "an 'if' whose condition is never true",
            """
            value amount "V" = if m < 0 kr then 0 kr else m
            classify
              a "A" when amount > 5 kr
              otherwise z "Z"
            """, expect: ["L102"], messages: ["its 'then' branch is never used"]),
        LintCase(
            "a test and its opposite",
            """
            classify
              a "A" when profit >= 0 kr or profit < 0 kr
              otherwise z "Z"
            """, expect: ["L103"], messages: ["is always true, so no later outcome can apply"]),
        LintCase(
            "a choice or its negation",
            """
            criterion any_form "F"
              cite "c"
              = lf is aps or lf is not aps
            classify
              a "A" when any_form and y
              otherwise z "Z"
            """, expect: ["L103"], messages: ["criterion 'any_form' is always true"]),
        LintCase(
            "at most the declared maximum",
            """
            classify
              a "A" when y and x <= 100 %
              otherwise z "Z"
            """, expect: ["L103"], messages: ["this part of the condition"]),
        LintCase(
            "below the maximum is a real test",
            """
            classify
              a "A" when x <= 90 %
              otherwise z "Z"
            """, absent: ["L102", "L103"]),
        LintCase(
            "a count is never negative",
            """
            classify
              a "A" when n >= 0
              otherwise z "Z"
            """, expect: ["L103"], messages: ["the condition of the outcome 'a' is always true"]),
    ]

    @Test("impossible and always-true conditions", arguments: constantCases)
    func constant(_ testCase: LintCase) {
        testCase.run()
    }

    static let gapCases: [LintCase] = [
        LintCase(
            "a band between two thresholds",
            """
            classify
              high "H" when x > 50 %
              low "L" when x < 40 %
              otherwise z "Z"
            """, expect: ["L104"], messages: ["no outcome but the fallback 'z' applies when 40 % <= x <= 50 %"]),
        LintCase(
            "exactly the threshold",
            """
            classify
              high "H" when s > 50 %
              low "L" when s < 50 %
              otherwise z "Z"
            """, expect: ["L104"], messages: ["applies when s = 50 %"]),
        LintCase(
            "thresholds that meet leave no gap",
            """
            classify
              high "H" when s > 50 %
              low "L" when s <= 50 %
              otherwise z "Z"
            """, absent: ["L104"]),
        LintCase(
            "a third outcome filling the band",
            """
            classify
              high "H" when x > 50 %
              low "L" when x < 40 %
              middle "M" when x >= 40 % and x <= 50 %
              otherwise z "Z"
            """, absent: ["L104"]),
        LintCase(
            "whole numbers: n > 2 and n < 3 leave no count between",
            """
            classify
              many "M" when n > 2
              few "F" when n < 3
              otherwise z "Z"
            """, absent: ["L104"]),
        LintCase(
            "whole numbers: n > 3 and n < 2 leave 2 and 3",
            """
            classify
              many "M" when n > 3
              few "F" when n < 2
              otherwise z "Z"
            """, expect: ["L104"], messages: ["2 <= n <= 3"]),
        LintCase(
            "a band outside the declared range is no gap",
            """
            classify
              high "H" when x >= 100 %
              low "L" when x < 0 %
              otherwise z "Z"
            """, absent: ["L104"]),
        LintCase(
            "the same other conditions: a gap among eligible firms",
            """
            classify
              high "H" when y and x > 50 %
              low "L" when y and x < 40 %
              otherwise z "Z"
            """, expect: ["L104"], messages: ["and the other conditions of 'low' hold"]),
        LintCase(
            "a broader outcome covers the band",
            """
            classify
              high "H" when x > 50 %
              low "L" when x < 40 %
              rest "R" when lf is one of aps, as, fond, forening
              otherwise z "Z"
            """, absent: ["L104"]),
    ]

    @Test("gaps between thresholds", arguments: gapCases)
    func gap(_ testCase: LintCase) {
        testCase.run()
    }
}
