import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// `soe check` never says "no errors" of rules in which lint finds an error; `soe evaluate` runs
/// them as they are and warns.
@Suite("check tells the truth")
struct CheckTruthTests {
    static let unreachable = """
        ruleset u "U"
          in force from 2020-01-01
        input x: percent "X"
        classify
          a "A" when x > 50 %
          b "B" when x > 75 %
          otherwise z "Z"

        """

    @Test("an unreachable outcome is an error of soe check: exit 3, L101 shown, never 'no errors'")
    func checkReportsLintErrors() throws {
        let folder = try ScratchFolder()
        let path = try folder.write("u.rules", Self.unreachable)
        for format in ["human", "short", "json"] {
            let result = try runSoe(["check", "--format", format, path])
            #expect(result.exitCode == 3, "\(format)")
            #expect(result.stdout.contains("L101"), "\(format): \(result.stdout)")
            #expect(!result.stdout.contains("no errors"), "\(format)")
        }
        // The same file without the unreachable outcome checks.
        try folder.edit("u.rules", replacing: "  b \"B\" when x > 75 %\n", with: "")
        let fixed = try runSoe(["check", path])
        #expect(fixed.exitCode == 0)
        #expect(fixed.stdout.contains("no errors"))
    }

    @Test("a suppressed lint error (# soe:ignore with a reason) is not reported by check")
    func suppressionRespected() throws {
        let folder = try ScratchFolder()
        let text = Self.unreachable.replacing(
            "  b \"B\" when x > 75 %", with: "  b \"B\" when x > 75 %  # soe:ignore L101 -- kept for the next revision")
        let path = try folder.write("u.rules", text)
        let result = try runSoe(["check", path])
        #expect(result.exitCode == 0, "\(result.stdout)")
    }

    @Test("soe evaluate warns of a lint error on standard error, in Danish or English, and decides as before")
    func evaluateWarns() throws {
        let folder = try ScratchFolder()
        let path = try folder.write("u.rules", Self.unreachable)
        let firm = try folder.write("firm.json", "{\"name\": \"F\", \"fiscal_year\": 2024, \"x\": 60}")
        let english = try runSoe(["evaluate", "--rules", path, "--lang", "en", "--brief", firm])
        #expect(english.exitCode == 0, "\(english.stderr)")
        #expect(english.stderr.contains("soe evaluate: warning: soe lint finds an error in the rules"))
        #expect(english.stderr.contains("[L101]"))
        #expect(english.stderr.split(separator: "\n").count == 1, "one line per problem: \(english.stderr)")
        let danish = try runSoe(["evaluate", "--rules", path, "--lang", "da", "--brief", firm])
        #expect(danish.stderr.contains("soe evaluate: advarsel: soe lint finder en fejl i reglerne"))
        // The results are those of the rules as written.
        try folder.edit("u.rules", replacing: "  b \"B\" when x > 75 %\n", with: "")
        let clean = try runSoe(["evaluate", "--rules", path, "--lang", "en", "--brief", firm])
        #expect(clean.stderr.isEmpty)
        #expect(clean.stdout == english.stdout)
        #expect(clean.exitCode == english.exitCode)
    }
}
