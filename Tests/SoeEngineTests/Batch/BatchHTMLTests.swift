import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// `soe evaluate --format html` on a batch: one well-formed page with the counts per outcome and
/// rule set, and a row per firm and rule set.
@Suite("batch HTML overview")
struct BatchHTMLTests {
    @Test("the sample batch as an HTML overview, in Danish")
    func sampleBatch() throws {
        let result = try runSoe([
            "evaluate", "--rules", "rules/", "samples/batch/firms.csv", "--format", "html",
            "--lang", "da", "--no-progress",
        ])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(XHTMLChecker.check(result.stdout) == [])
        #expect(result.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(!result.stdout.contains("<script"), "readable without scripts")
        #expect(!result.stdout.contains("http://") && !result.stdout.contains("https://"), "no external assets")
        // 8 firms under 3 rule sets: a row per firm with a column per rule set, and rsv_2014's two
        // social-economy firms are 2 of 8.
        #expect(result.stdout.components(separatedBy: "firms.csv række ").count - 1 == 8)
        #expect(!result.stdout.contains("samples/batch/"), "the file's name without its folder")
        #expect(result.stdout.contains(">25,0 % <"))
        #expect(
            result.stdout.contains("<td>I alt</td><td>8 virksomheder × 3 regelsæt</td><td class=\"num\">24</td>"),
            "the total counts results, and says so")
        #expect(result.stderr.contains("8 rækker læst"))
    }

    @Test("--trace cannot go with an HTML overview")
    func traceIsUsage() throws {
        let result = try runSoe(["evaluate", "--rules", "rules/", "samples/batch/firms.csv", "--format", "html", "--trace"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--trace writes JSON traces, so it needs --format jsonl, not html"))
    }
}
