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

    /// The outcomes each analysis calls unreachable, with their covering outcomes, for each rule set.
    static func unreachable(_ result: RuleLoader.Result, coversEverything: Bool) -> [[Int: [Int]]] {
        result.ruleSets.map { ruleSet in
            let context = LintContext(ruleSet: ruleSet, syntax: [])
            return OutcomeCoverage.analyse(
                forms: context.outcomeForms, analysis: context.conditions, coversEverything: coversEverything
            ).unreachable
        }
    }

    @Test(
        "the coverage analysis without 'covers everything' (the error checks' lint) finds the same unreachable outcomes, on examples, rule files and 300 generated classifications"
    )
    func coverageWithoutCoversEverything() throws {
        var results = Self.examples.map { ($0.label, RuleLoader.load($0.sources)) }
        for path in Self.ruleFiles {
            if case .success(let result) = RuleLoader.load(paths: [path]) { results.append((path, result)) }
        }
        // Outcomes that cover every case together before a later one: it is unreachable only by
        // the search for whether the outcomes so far cover everything, run after each outcome but
        // the last.
        let together = """
            ruleset together "Tilsammen"
              in force from 2015-01-01

            input share: percent "Andel" min 0 % max 100 %
            input staff: count "Ansatte" min 0
            input flag: yes/no "Flag"

            classify
              high "Høj" when share >= 60 %
              many "Mange" when share < 60 % and staff >= 3
              few "Få" when share < 60 % and staff <= 2
              flagged "Flag" when flag
              otherwise rest "Resten"
            """
        results.append(("together", RuleLoader.load([SourceFile(path: "together.rules", text: together + "\n")])))
        for outcomes in [1, 2, 3, 30] {
            let text = SyntheticRules.thresholdLadder(outcomes: outcomes)
            results.append(("ladder \(outcomes)", RuleLoader.load([SourceFile(path: "ladder.rules", text: text)])))
        }
        var found = 0
        for (label, result) in results where !result.hasErrors {
            let full = Self.unreachable(result, coversEverything: true)
            found += full.reduce(0) { $0 + $1.count }
            #expect(Self.unreachable(result, coversEverything: false) == full, "\(label)")
        }
        #expect(found >= 3, "the examples and rule files have unreachable outcomes to compare")
        let loaded = try #require(results.first { $0.0 == "together" }?.1)
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.map { $0.message })")
        #expect(Self.unreachable(loaded, coversEverything: false) == [[3: [0, 1, 2]]])
        // In generated classifications too, with the earlier outcomes each finding names: the
        // variables of a conjunction are visited in their order in it, not in a `Set`'s, which
        // changed from one analysis to the next (every `Set` hashes with a seed of its own).
        var generated = 0
        for seed in 0..<300 {
            let text = SyntheticRules.ruleFile(criteria: 2 + seed % 5, outcomes: 2 + seed % 9, seed: UInt64(seed))
            let result = RuleLoader.load([SourceFile(path: "generated.rules", text: text)])
            guard !result.hasErrors else { continue }
            let full = Self.unreachable(result, coversEverything: true)
            generated += full.reduce(0) { $0 + $1.count }
            #expect(Self.unreachable(result, coversEverything: false) == full, "generated \(seed)")
        }
        #expect(generated >= 100, "the generated classifications have unreachable outcomes to compare")
    }

    /// An auditor reruns lint years later and must read the same report: the findings of every
    /// check, with the earlier outcomes an L101 finding names, are the same on every analysis of
    /// the same rules (they were not: a `Set`'s order decided them).
    @Test("lint's findings are the same on every run of the same rules, on 300 generated classifications")
    func sameFindingsEveryRun() {
        var compared = 0
        for seed in 0..<300 {
            let text = SyntheticRules.ruleFile(criteria: 2 + seed % 5, outcomes: 2 + seed % 9, seed: UInt64(seed))
            let result = RuleLoader.load([SourceFile(path: "generated.rules", text: text)])
            guard !result.hasErrors else { continue }
            let first = Self.printed(Linter.lint([result]).findings)
            compared += first.count
            for _ in 0..<2 {
                #expect(Self.printed(Linter.lint([result]).findings) == first, "generated \(seed)")
                #expect(
                    Self.unreachable(result, coversEverything: true) == Self.unreachable(result, coversEverything: true),
                    "generated \(seed)")
            }
        }
        #expect(compared >= 300, "the generated classifications have findings to compare")
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
