import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// `soe evaluate` and `soe check` print the lint findings of error severity, and find them by
/// running only the checks that can report one (`Linter.errors`, `LintRegistry.errorChecks`).
/// That is the same as linting everything and keeping the errors only while no check reports a
/// finding above its default severity; both are held here, on every check's examples and on
/// every rule file of the repository.
@Suite("lint: the error findings from the error checks alone")
struct LintErrorChecksTests {
    /// A finding as the commands print it, with its notes, for comparing two lists.
    static func printed(_ findings: [Diagnostic]) -> [String] {
        findings.map { DiagnosticRenderer.annotated($0) + " | " + DiagnosticRenderer.annotated($0, language: .danish) }
    }

    /// What the full lint finds of error severity.
    static func fullErrors(_ result: RuleLoader.Result) -> [Diagnostic] {
        Linter.lint([result]).findings.filter { $0.severity == .error && $0.code.hasPrefix("L") }
    }

    /// Every check's examples, triggering and not, as sources.
    static let examples: [(label: String, sources: [SourceFile])] = LintRegistry.documentation.flatMap { doc in
        [("\(doc.code) triggering", doc.triggering.sources), ("\(doc.code) non-triggering", doc.nonTriggering.sources)]
    }

    /// Every `.rules` file in the repository (bundled rules, samples, fixtures, golden files, fuzz corpus).
    static let ruleFiles: [String] = {
        var files: [String] = []
        for folder in ["rules", "samples", "Tests"] {
            let base = TestPaths.root + "/" + folder
            guard let walker = FileManager.default.enumerator(atPath: base) else { continue }
            while let path = walker.nextObject() as? String {
                if path.hasSuffix(".rules") { files.append(base + "/" + path) }
            }
        }
        return files.sorted()
    }()

    @Test("the error checks are exactly those whose default severity is error, and include L101 and L102")
    func errorChecks() {
        let codes = LintRegistry.errorChecks.map { $0.documentation.code }
        #expect(codes.contains("L101") && codes.contains("L102"))
        #expect(codes == LintRegistry.ruleSetChecks.filter { $0.documentation.severity == .error }.map { $0.documentation.code })
        #expect(codes.count < LintRegistry.ruleSetChecks.count, "the warnings' checks do not run for evaluate")
    }

    @Test("no check reports a finding above its default severity, on any example or rule file")
    func noFindingAboveDefault() {
        var defaults: [String: Severity] = [:]
        for check in LintRegistry.checks { defaults[check.documentation.code] = check.documentation.severity }
        var results = Self.examples.map { ($0.label, RuleLoader.load($0.sources)) }
        for path in Self.ruleFiles {
            if case .success(let result) = RuleLoader.load(paths: [path]) { results.append((path, result)) }
        }
        #expect(results.count > 60)
        var seen = 0
        for (label, result) in results {
            for finding in Linter.lint([result]).findings where finding.code.hasPrefix("L") {
                seen += 1
                guard let level = defaults[finding.code] else {
                    Issue.record("\(label): \(finding.code) is no check's code")
                    continue
                }
                #expect(finding.severity <= level, "\(label): \(DiagnosticRenderer.oneLine(finding)) is above \(level)")
            }
        }
        #expect(seen > 50, "the examples produce findings to judge")
    }

    @Test("the error checks alone give the full lint's errors on every check's examples")
    func sameOnExamples() {
        var errors = 0
        for (label, sources) in Self.examples {
            let result = RuleLoader.load(sources)
            guard !result.hasErrors, !result.ruleSets.isEmpty else { continue }
            let full = Self.fullErrors(result)
            errors += full.count
            #expect(Self.printed(Linter.errors([result])) == Self.printed(full), "\(label)")
        }
        #expect(errors >= 2, "the L101 and L102 examples report errors")
    }

    @Test("the error checks alone give the full lint's errors on every rule file of the repository")
    func sameOnRuleFiles() {
        var linted = 0
        for path in Self.ruleFiles {
            guard case .success(let result) = RuleLoader.load(paths: [path]), !result.hasErrors, !result.ruleSets.isEmpty else {
                continue
            }
            linted += 1
            #expect(Self.printed(Linter.errors([result])) == Self.printed(Self.fullErrors(result)), "\(path)")
        }
        #expect(linted >= 10)
    }

    @Test("a suppressed error stays suppressed, and one not suppressed is kept, with the error checks alone")
    func suppression() throws {
        let doc = try #require(LintRegistry.documentation(for: "L101"))
        let result = RuleLoader.load(doc.triggering.sources)
        let found = Linter.errors([result])
        let first = try #require(found.first { $0.code == "L101" })
        let span = try #require(first.span)
        var lines = String(decoding: span.file.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        let line = span.start.line - 1
        lines.insert("# soe:ignore L101 -- the example keeps it", at: line)
        let suppressed = RuleLoader.load([SourceFile(path: span.file.path, text: lines.joined(separator: "\n"))])
        let after = Linter.errors([suppressed])
        #expect(after.filter { $0.code == "L101" }.count == found.filter { $0.code == "L101" }.count - 1)
        #expect(Self.printed(after) == Self.printed(Self.fullErrors(suppressed)))
    }
}
