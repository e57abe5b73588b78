import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// L201 (threshold out of range), L202 (percent written as a fraction), L203 (unguarded division).
@Suite("lint: numbers, units and divisions (L201, L202, L203)")
struct LintNumberChecksTests {
    static let rangeCases: [LintCase] = [
        LintCase(
            "a share above 100 %",
            """
            value share "Andel" = if m = 0 kr then 0 % else profit / m
            classify
              a "A" when share >= 150 %
              otherwise z "Z"
            """, expect: ["L201"], messages: ["the threshold '150 %' for 'share' is above 100 %"]),
        LintCase(
            "an unbounded percent input may exceed 100 %",
            """
            classify
              a "A" when s >= 150 %
              otherwise z "Z"
            """, absent: ["L201"]),
        LintCase(
            "a negative amount against a non-negative input",
            """
            classify
              a "A" when m > -100 kr
              otherwise z "Z"
            """, expect: ["L201"], messages: ["is a negative amount"]),
        LintCase(
            "a negative amount against an amount that may be negative",
            """
            classify
              a "A" when profit > -100 kr
              otherwise z "Z"
            """, absent: ["L201"]),
        LintCase(
            "a fraction compared with a count",
            """
            classify
              a "A" when n >= 2.5
              otherwise z "Z"
            """, expect: ["L201"], messages: ["is not a whole number, but a count is"]),
        LintCase(
            "a parameter above 100 % compared with a bounded share",
            """
            parameter cap: percent "c"
              policy "p"
              = 120 % from 2015-01-01
            classify
              a "A" when x <= cap
              otherwise z "Z"
            """, expect: ["L201"], messages: ["the parameter 'cap' is 120 %, which is above 100 %"]),
        LintCase(
            "a parameter above 100 % compared only with an unbounded percent",
            """
            parameter cap: percent "c"
              policy "p"
              = 120 % from 2015-01-01
            classify
              a "A" when s <= cap
              otherwise z "Z"
            """, absent: ["L201"]),
        LintCase(
            "a parameter above 100 % used in arithmetic",
            """
            parameter factor: percent "f"
              policy "p"
              = 150 % from 2015-01-01
            classify
              a "A" when profit <= factor * m
              otherwise z "Z"
            """, expect: ["L201"]),
    ]

    @Test("thresholds out of range", arguments: rangeCases)
    func range(_ testCase: LintCase) {
        testCase.run()
    }

    static let unitCases: [LintCase] = [
        LintCase(
            "a percent literal below one percent",
            """
            classify
              a "A" when x >= 0.5 %
              otherwise z "Z"
            """, expect: ["L202"], messages: ["'0.5 %' is less than one percent; if the fraction 0.5 is meant, write '50 %'"]),
        LintCase(
            "a whole percent",
            """
            classify
              a "A" when x >= 50 %
              otherwise z "Z"
            """, absent: ["L202"]),
        LintCase(
            "a percent input with max 1 %",
            """
            input fraction_share: percent "f" min 0 % max 1 %
            classify
              a "A" when fraction_share >= 0.5 % and y
              otherwise z "Z"
            """, expect: ["L202"], messages: ["max 1 %"]),
    ]

    @Test("unit slips the checker accepts", arguments: unitCases)
    func units(_ testCase: LintCase) {
        testCase.run()
    }

    static let divisionCases: [LintCase] = [
        LintCase(
            "a bare division",
            """
            classify
              a "A" when profit / m > 50 %
              otherwise z "Z"
            """, expect: ["L203"], messages: ["'profit / m' divides by 'm', which can be zero"]),
        LintCase(
            "guarded by 'if … = 0 then … else'",
            """
            classify
              a "A" when (if m = 0 kr then 0 % else profit / m) > 50 %
              otherwise z "Z"
            """, absent: ["L203"]),
        LintCase(
            "guarded by 'if … > 0 then'",
            """
            classify
              a "A" when (if m > 0 kr then profit / m else 0 %) > 50 %
              otherwise z "Z"
            """, absent: ["L203"]),
        LintCase(
            "guarded by a sibling 'and'",
            """
            classify
              a "A" when m > 0 kr and profit / m > 50 %
              otherwise z "Z"
            """, absent: ["L203"]),
        LintCase(
            "guarded by a sibling 'or' that covers zero",
            """
            classify
              a "A" when m = 0 kr or profit / m > 50 %
              otherwise z "Z"
            """, absent: ["L203"]),
        LintCase(
            "a wrong guard does not count",
            """
            classify
              a "A" when m >= 0 kr and profit / m > 50 %
              otherwise z "Z"
            """, expect: ["L203"]),
        LintCase(
            "an input declared above zero",
            """
            input employees: count "e" min 1
            classify
              a "A" when n / employees > 50 %
              otherwise z "Z"
            """, absent: ["L203"]),
        LintCase(
            "max with a positive amount",
            """
            classify
              a "A" when profit / max(1 kr, m) > 50 %
              otherwise z "Z"
            """, absent: ["L203"]),
        LintCase(
            "a parameter that is never zero",
            """
            parameter divisor: number "d"
              policy "p"
              = 4 from 2015-01-01
            classify
              a "A" when profit / divisor > 5 kr
              otherwise z "Z"
            """, absent: ["L203"]),
        LintCase(
            "a value guarded everywhere it is used",
            """
            value share "Andel" = profit / m
            criterion has_income "H"
              cite "c"
              = m > 0 kr
            criterion large "L"
              cite "c"
              = share > 50 %
            classify
              a "A" when has_income and large
              otherwise z "Z"
            """, absent: ["L203"]),
        LintCase(
            "a value guarded in one use but not another",
            """
            value share "Andel" = profit / m
            classify
              a "A" when m > 0 kr and share > 50 %
              b "B" when share < 10 %
              otherwise z "Z"
            """, expect: ["L203"]),
    ]

    @Test("divisions and their guards", arguments: divisionCases)
    func division(_ testCase: LintCase) {
        testCase.run()
    }

    static let constantCases: [LintCase] = [
        LintCase(
            "a product of two constants beyond the exact range",
            """
            classify
              a "A" when m > 99999999999999999999 kr * 99999999999999999999
              otherwise z "Z"
            """, expect: ["L204"], messages: ["'99999999999999999999 kr * 99999999999999999999' is beyond the range"]),
        LintCase(
            "only the smallest part that overflows, through a value",
            """
            value big = 99999999999999999999 kr * 99999999999999999999
            value bigger = big + 1 kr
            classify
              a "A" when m > bigger
              otherwise z "Z"
            """, expect: ["L204"], messages: ["'99999999999999999999 kr * 99999999999999999999'"]),
        LintCase(
            "a parameter whose value from a later day makes the product overflow",
            """
            parameter scale: money
              = 1 kr from 2015-01-01
              = 99999999999999999999 kr from 2024-01-01
            classify
              a "A" when m > scale * 99999999999999999999
              otherwise z "Z"
            """, expect: ["L204"], messages: ["'scale * 99999999999999999999'"]),
        LintCase(
            "a later day's parameter value through max and a value",
            """
            parameter scale: money
              = 1 kr from 2015-01-01
              = 99999999999999999999 kr from 2024-01-01
            value floor = max(scale, 2 kr)
            classify
              a "A" when m > floor * 99999999999999999999
              otherwise z "Z"
            """, expect: ["L204"], messages: ["'floor * 99999999999999999999'"]),
        LintCase(
            "large constants within the range, and a product that reads an input",
            """
            classify
              a "A" when m > 99999999999999999999 kr * 1000 and m * 99999999999999999999 > 1 kr
              otherwise z "Z"
            """, absent: ["L204"]),
        LintCase(
            "a division by a constant zero is not an overflow",
            """
            classify
              a "A" when m > 5 kr / 0
              otherwise z "Z"
            """, absent: ["L204"]),
    ]

    @Test("formulas of constants and parameters beyond the exact range", arguments: constantCases)
    func constants(_ testCase: LintCase) {
        testCase.run()
    }

    @Test("what L204 reports, the evaluator cannot compute: the firm is undetermined, and soe evaluate warns")
    func constantOverflowIsUndetermined() throws {
        let folder = try ScratchFolder()
        let rules = try folder.write(
            "t.rules",
            """
            ruleset t "Test"
              in force from 2015-01-01
            input m: money "M" min 0 kr
            classify
              a "A" when m > 99999999999999999999 kr * 99999999999999999999
              otherwise z "Z"

            """)
        let firm = try folder.write("f.json", #"{"name": "x", "fiscal_year": 2024, "m": "5.00"}"#)
        let run = try runSoe(["evaluate", "--rules", rules, firm])
        #expect(run.stdout.contains("Undetermined"), "\(run.stdout)")
        #expect(run.stdout.contains("the number is outside the exact range"))
        #expect(run.stderr.contains("[L204]"), "\(run.stderr)")
        let check = try runSoe(["check", rules])
        #expect(check.exitCode == 3)
    }
}
