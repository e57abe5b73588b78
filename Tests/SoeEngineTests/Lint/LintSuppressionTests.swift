import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// `# soe:ignore CODE -- reason`: where it applies, that it needs a reason and a real code, and
/// that one suppressing nothing is reported with a fix that removes it.
@Suite("lint: suppression comments (L901, L902, L903)")
struct LintSuppressionTests {
    /// An outcome with a gap (L104) reported on the line of `low`.
    static func file(before: String = "", trailing: String = "") -> String {
        LintFixture.file(
            """
            classify
              high "H" when x > 50 %
            \(before.isEmpty ? "" : "  " + before + "\n")  low "L" when x < 40 %\(trailing.isEmpty ? "" : " " + trailing)
              otherwise z "Z"
            criterion unused_on_purpose "U"
              cite "c"
              = lf is aps and y and n > 3 and m > 0 kr and profit > 0 kr and start > 2015-01-01 and s > 1 %
            """)
    }

    static func codes(_ report: LintReport) -> [String] { report.findings.map(\.code).filter { $0 != "L301" } }

    @Test("a comment on the line before suppresses, and keeps the finding with its reason")
    func lineBefore() {
        let report = LintFixture.lint(LintSuppressionTests.file(before: "# soe:ignore L104 -- the band is assessed case by case"))
        #expect(LintSuppressionTests.codes(report) == [])
        #expect(report.suppressed.map(\.diagnostic.code) == ["L104"])
        #expect(report.suppressed.first?.reason == "the band is assessed case by case")
    }

    @Test("a comment at the end of the line suppresses")
    func trailing() {
        let report = LintFixture.lint(LintSuppressionTests.file(trailing: "# soe:ignore L104 -- assessed case by case"))
        #expect(LintSuppressionTests.codes(report) == [])
        #expect(report.suppressed.count == 1)
    }

    @Test("several codes in one comment, separated by commas or spaces")
    func severalCodes() {
        let report = LintFixture.lint(LintSuppressionTests.file(trailing: "# soe:ignore L104, L101 -- assessed case by case"))
        #expect(LintSuppressionTests.codes(report) == ["L902"], "L101 is not reported there")
        let unused = report.findings.first { $0.code == "L902" }
        #expect(unused?.message == "nothing is reported as L101 on line 14, so the suppression is not needed")
        #expect(unused?.fixIts.isEmpty == true, "the comment is still needed for L104, so it must not be removed")
    }

    @Test(
        "a suppression without a reason is a finding and suppresses nothing",
        arguments: [
            "# soe:ignore L104", "# soe:ignore L104 --", "# soe:ignore L104 --   ",
        ])
    func withoutReason(_ comment: String) {
        let report = LintFixture.lint(LintSuppressionTests.file(before: comment))
        #expect(LintSuppressionTests.codes(report).sorted() == ["L104", "L901"])
        #expect(report.suppressed.isEmpty)
    }

    @Test(
        "a code that is not a lint check, a language error, a suppression finding or no code",
        arguments: [
            ("# soe:ignore L14 -- why", "'L14' is not a lint check; did you mean 'L104'?"),
            ("# soe:ignore E201 -- why", "'E201' is a language error, which cannot be suppressed"),
            ("# soe:ignore L902 -- why", "'L902' is a finding about suppressions, which cannot be suppressed"),
            ("# soe:ignore -- why", "the suppression names no code"),
            ("# soe:ignore L104, L14 -- why", "'L14' is not a lint check"),
        ])
    func invalidCode(_ comment: String, _ message: String) {
        let report = LintFixture.lint(LintSuppressionTests.file(before: comment))
        #expect(LintSuppressionTests.codes(report).sorted() == ["L104", "L903"], "an invalid suppression suppresses nothing")
        #expect(
            report.findings.contains { $0.code == "L903" && $0.message.hasPrefix(message) },
            "\(report.findings.map(\.message))")
    }

    @Test("an unused suppression is reported with a fix that removes its line")
    func unused() throws {
        let text = LintFixture.file(
            """
            classify
              # soe:ignore L101 -- kept from an older version
              high "H" when x > 50 %
              otherwise z "Z"
            """)
        let report = LintFixture.lint(text)
        let finding = try #require(report.findings.first { $0.code == "L902" })
        let fix = try #require(finding.fixIts.first)
        var bytes = Array(text.utf8)
        bytes.replaceSubrange(fix.range, with: Array(fix.replacement.utf8))
        let fixed = String(decoding: bytes, as: UTF8.self)
        #expect(!fixed.contains("soe:ignore"))
        #expect(fixed.contains("classify\n  high \"H\" when x > 50 %\n"))
    }

    @Test("a suppression two lines above does not reach the finding")
    func tooFarAway() {
        let report = LintFixture.lint(
            LintFixture.file(
                """
                classify
                  high "H" when x > 50 %
                  # soe:ignore L104 -- assessed case by case

                  low "L" when x < 40 %
                  otherwise z "Z"
                """))
        #expect(report.findings.contains { $0.code == "L104" })
        #expect(report.findings.contains { $0.code == "L902" })
    }

    @Test(
        "ordinary comments and look-alikes are not suppressions",
        arguments: [
            "# soe:ignored L104 -- no", "# see soe:ignore L104 -- no", "# soe:ignore-all -- no",
        ])
    func notASuppression(_ comment: String) {
        let report = LintFixture.lint(LintSuppressionTests.file(before: comment))
        #expect(LintSuppressionTests.codes(report) == ["L104"])
    }

    @Test("with language errors, no suppression is called unused")
    func languageErrors() {
        let report = Linter.lint(sources: [
            SourceFile(
                path: "t.rules",
                text: LintFixture.file(
                    """
                    # soe:ignore L301 -- the checks do not run on a file with errors
                    classify
                      high "H" when unknown_name > 50 %
                      otherwise z "Z"
                    """))
        ])
        #expect(report.hasLanguageErrors)
        #expect(report.findings.map(\.code) == ["E201"])
    }
}
