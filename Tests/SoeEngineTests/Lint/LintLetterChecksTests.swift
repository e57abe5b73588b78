import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// L404: a rule set whose letters are decisions must give them a text on how to appeal.
@Suite("lint: letters that are decisions (L404)")
struct LintLetterChecksTests {
    static func rules(_ header: String) -> String {
        """
        ruleset t "Test"
          in force from 2015-01-01
        \(header)
        input x: percent "Andel" min 0 % max 100 %
        classify
          a "A" when x > 50 %
          otherwise z "Z"

        """
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var note: String
        var header: String
        var reported: Bool
        var testDescription: String { note }
    }

    static let cases = [
        Case(note: "decisions without an appeal text", header: "  letter kind decision", reported: true),
        Case(
            note: "decisions with a contact text but no appeal text",
            header: "  letter kind decision\n  letter contact \"Ring til os\"", reported: true),
        Case(
            note: "decisions with an appeal text",
            header: "  letter kind decision\n  letter appeal \"Klag til Ankestyrelsen inden fire uger\"",
            reported: false),
        Case(note: "assessments, said", header: "  letter kind assessment", reported: false),
        Case(note: "assessments by default", header: "", reported: false),
        Case(
            note: "decisions, suppressed with a reason",
            header: "  # soe:ignore L404 -- afgørelsen kan ikke påklages administrativt\n  letter kind decision", reported: false),
    ]

    @Test("L404 is reported for decisions without 'letter appeal', and only for them", arguments: cases)
    func reported(_ sample: Case) throws {
        let report = LintFixture.lint(Self.rules(sample.header))
        let found = report.findings.filter { $0.code == "L404" }
        #expect(found.count == (sample.reported ? 1 : 0), "\(report.findings.map(DiagnosticRenderer.oneLine))")
        #expect(report.findings.filter { $0.code != "L404" }.isEmpty, "\(report.findings.map(DiagnosticRenderer.oneLine))")
    }

    @Test("the finding is at the 'letter kind' line, a warning, names § 25 and the fix, in both languages")
    func finding() throws {
        let report = LintFixture.lint(Self.rules("  letter kind decision"))
        let finding = try #require(report.findings.first { $0.code == "L404" })
        #expect(finding.severity == .warning)
        #expect(
            DiagnosticRenderer.oneLine(finding).hasPrefix(
                "t.rules:3:3: warning: the letters of this rule set are decisions (letter kind decision) but it gives no appeal text"),
            "\(DiagnosticRenderer.oneLine(finding))")
        #expect(finding.message.contains("forvaltningsloven § 25") && finding.message.contains("add 'letter appeal \"…\"'"))
        let danish = try #require(finding.danish)
        #expect(danish.contains("klagevejledning, forvaltningsloven § 25") && danish.contains("tilføj 'letter appeal \"…\"'"))
    }

    @Test("a rule set that builds on one with decisions and an appeal text: its own 'letter kind decision' needs its own appeal text")
    func buildsOn() throws {
        let base = Self.rules("  letter kind decision\n  letter appeal \"Klag til nævnet\"").replacingOccurrences(
            of: "ruleset t \"Test\"", with: "ruleset base \"Base\"")
        let local = "ruleset local \"Lokal\" builds on base\n  in force from 2020-01-01\n  letter kind decision\n"
        let sources = [SourceFile(path: "base.rules", text: base), SourceFile(path: "local.rules", text: local)]
        let report = Linter.lint(sources: sources)
        #expect(!report.hasLanguageErrors, "\(report.findings.map(DiagnosticRenderer.oneLine))")
        let found = report.findings.filter { $0.code == "L404" }.map(DiagnosticRenderer.oneLine)
        #expect(found.count == 1 && found.first?.hasPrefix("local.rules:3:3: warning: ") == true, "\(found)")
        // Inheriting nothing either way: the base's kind does not make the local rule set's letters decisions.
        let plain = Linter.lint(sources: [
            sources[0], SourceFile(path: "local.rules", text: "ruleset local \"Lokal\" builds on base\n  in force from 2020-01-01\n"),
        ])
        #expect(!plain.findings.contains { $0.code == "L404" }, "\(plain.findings.map(DiagnosticRenderer.oneLine))")
    }

    @Test("soe lint reports L404 in SARIF, with the rule's documentation, and explains it")
    func commandLine() throws {
        let folder = try ScratchFolder()
        try folder.write("t.rules", Self.rules("  letter kind decision"))
        let sarif = try runSoe(["lint", "--format", "sarif", folder.path + "/t.rules"])
        #expect(sarif.exitCode == 1, "a warning fails at the default level: \(sarif.stderr)")
        let compact = sarif.stdout.filter { !$0.isWhitespace }
        #expect(compact.contains("\"ruleId\":\"L404\""), "\(sarif.stdout)")
        #expect(compact.contains("\"id\":\"L404\",\"name\":\"MissingAppealText\""), "\(sarif.stdout)")
        let explained = try runSoe(["lint", "--explain", "L404"])
        #expect(explained.exitCode == 0 && explained.stdout.contains("MissingAppealText"), "\(explained.stdout)")
    }
}
