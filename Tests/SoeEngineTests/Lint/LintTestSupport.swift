import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Helpers for the lint tests: a common preamble of inputs, and table rows of
/// "this rule file should (not) produce these codes".
enum LintFixture {
    /// A header and one input of each kind the analysis distinguishes.
    static let preamble = """
        ruleset t "Test"
          in force from 2015-01-01

        input x: percent "bounded share" min 0 % max 100 %
        input s: percent "unbounded percent"
        input n: count "count"
        input m: money "non-negative amount" min 0 kr
        input profit: money "amount that may be negative"
        input lf: one of aps, as, fond, forening "legal form"
        input y: yes/no "yes/no"
        input start: date "date"

        """

    /// The preamble, then the given declarations.
    static func file(_ body: String) -> String { preamble + body + "\n" }

    /// Lints rule text and returns the report; a rule file that does not check is a test failure.
    static func lint(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> LintReport {
        let report = Linter.lint(sources: [SourceFile(path: "t.rules", text: text)])
        #expect(
            !report.hasLanguageErrors, "does not check: \(report.findings.map(DiagnosticRenderer.oneLine))",
            sourceLocation: sourceLocation)
        return report
    }
}

/// One case of a table-driven lint test.
struct LintCase: CustomTestStringConvertible, Sendable {
    /// What the case shows, as the test's name.
    let note: String
    let text: String
    /// Codes that must be reported.
    let expected: [String]
    /// Codes that must not be reported.
    let absent: [String]
    /// Substrings the findings of the expected codes must contain (one finding per text).
    let messages: [String]

    init(_ note: String, _ body: String, expect expected: [String] = [], absent: [String] = [], messages: [String] = []) {
        self.note = note
        self.text = LintFixture.file(body)
        self.expected = expected
        self.absent = absent
        self.messages = messages
    }

    var testDescription: String { note }

    /// Runs the case: every expected code reported, no absent code reported, every message found.
    func run(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let report = LintFixture.lint(text, sourceLocation: sourceLocation)
        let lines = report.findings.map(DiagnosticRenderer.oneLine)
        for code in expected {
            #expect(
                report.findings.contains { $0.code == code }, "\(note): \(code) expected in \(lines)",
                sourceLocation: sourceLocation)
        }
        for code in absent {
            #expect(
                !report.findings.contains { $0.code == code }, "\(note): \(code) not expected in \(lines)",
                sourceLocation: sourceLocation)
        }
        for message in messages {
            #expect(
                report.findings.contains { $0.message.contains(message) }, "\(note): '\(message)' expected in \(lines)",
                sourceLocation: sourceLocation)
        }
    }
}
