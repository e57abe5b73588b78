import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Every check's examples, as SwiftLint runs its rules' examples: the triggering example must
/// produce the check's code, the other one must not. The examples are the documentation, so this
/// also keeps the documentation honest.
@Suite("lint: every check's examples")
struct LintExamplesTests {
    static let checks = LintRegistry.documentation

    @Test("the triggering example produces the check's code", arguments: checks.map(\.code))
    func triggeringExample(code: String) throws {
        let doc = try #require(LintRegistry.documentation(for: code))
        let report = Linter.lint(sources: doc.triggering.sources)
        #expect(!report.hasLanguageErrors, "the example must check: \(report.findings.map(DiagnosticRenderer.oneLine))")
        #expect(
            report.findings.contains { $0.code == code },
            "\(code) not reported; found \(report.findings.map(DiagnosticRenderer.oneLine))")
    }

    @Test("the non-triggering example does not produce the check's code", arguments: checks.map(\.code))
    func nonTriggeringExample(code: String) throws {
        let doc = try #require(LintRegistry.documentation(for: code))
        let report = Linter.lint(sources: doc.nonTriggering.sources)
        #expect(!report.hasLanguageErrors, "the example must check: \(report.findings.map(DiagnosticRenderer.oneLine))")
        #expect(
            !report.findings.contains { $0.code == code },
            "\(code) reported: \(report.findings.map(DiagnosticRenderer.oneLine))")
    }

    /// "Use instead" must be exemplary: a rule file that lints clean, apart from a few checks
    /// whose good example necessarily shows something else (see the note per code).
    @Test("the non-triggering example lints clean", arguments: checks.map(\.code))
    func nonTriggeringIsClean(code: String) throws {
        let doc = try #require(LintRegistry.documentation(for: code))
        let report = Linter.lint(sources: doc.nonTriggering.sources)
        #expect(report.findings.isEmpty, "\(report.findings.map(DiagnosticRenderer.oneLine))")
    }

    @Test("codes are unique, in order, and grouped as the registry says")
    func codesAreWellFormed() {
        let codes = LintExamplesTests.checks.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(codes == codes.sorted())
        for doc in LintExamplesTests.checks {
            #expect(doc.code.count == 4 && doc.code.hasPrefix("L"), "\(doc.code)")
            #expect(doc.name.first?.isUppercase == true && !doc.name.contains(" "), "\(doc.name)")
            #expect(
                doc.summary.first?.isLowercase == true && !doc.summary.hasSuffix("."), "summary of \(doc.code): lower case, no full stop")
            for related in doc.related {
                #expect(
                    LintRegistry.documentation(for: related) != nil || DiagnosticCode(rawValue: related) != nil,
                    "\(doc.code) refers to unknown \(related)")
            }
        }
    }

    @Test("every finding message is lower case without a full stop")
    func messagesFollowTheStyle() {
        for doc in LintExamplesTests.checks {
            for finding in Linter.lint(sources: doc.triggering.sources).findings {
                #expect(finding.message.first.map { !$0.isUppercase } ?? false, "\(finding.message)")
                #expect(!finding.message.hasSuffix("."), "\(finding.message)")
            }
        }
    }
}
