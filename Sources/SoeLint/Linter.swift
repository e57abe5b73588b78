import SoeLanguage

/// `soe lint` as a library: load and check the rule files, run every check on every rule set
/// that checked, apply the `# soe:ignore` comments, and report.
///
///     load → check (E-codes) → rule-set checks (L1xx–L6xx) → suppressions → suppression checks (L9xx)
///
/// The language errors of `soe check` are part of the report. A rule set with errors has no
/// checked model, so the lint checks cannot look at it; its errors are reported and the command
/// exits with 3, as `soe check` does.
public enum Linter {
    /// Lints rule files or folders as `soe lint` does; a tool error means a file could not be read.
    public static func lint(paths: [String], library: RuleLibrary = .none) -> Result<LintReport, ToolError> {
        // One load for every path, so that two files declaring the same rule set are found however
        // they were given, and a file given twice is linted once.
        switch RuleLoader.load(paths: paths, library: library) {
        case .failure(let failure): return .failure(failure)
        case .success(let result): return .success(lint([result]))
        }
    }

    /// Lints rule files already in memory (tests, examples, benchmarks).
    public static func lint(sources: [SourceFile]) -> LintReport {
        lint([RuleLoader.load(sources)])
    }

    /// Lints what the loader produced.
    public static func lint(_ results: [RuleLoader.Result]) -> LintReport {
        lint(results, checks: LintRegistry.ruleSetChecks, suppressionChecks: LintRegistry.suppressionChecks)
    }

    /// The lint findings of error severity in what the loader produced, after `# soe:ignore`
    /// comments: exactly those of `lint(results)`, in its order, found by running only the checks
    /// that can report an error (`LintRegistry.errorChecks`). What `soe evaluate` and `soe check`
    /// print; the other checks cost a one-firm evaluation more than its evaluation
    /// (docs/benchmark.md, "Cold start of one firm").
    public static func errors(_ results: [RuleLoader.Result]) -> [Diagnostic] {
        lint(results, checks: LintRegistry.errorChecks, suppressionChecks: []).findings.filter {
            $0.severity == .error && $0.code.hasPrefix("L")
        }
    }

    /// Lints with the given checks; the suppression checks run after the suppressions are applied.
    static func lint(
        _ results: [RuleLoader.Result], checks: [any RuleSetCheck.Type], suppressionChecks: [any SuppressionCheck.Type]
    ) -> LintReport {
        var diagnostics: [Diagnostic] = []
        var ruleSetNames: [String] = []
        var files: [String: RuleFileSyntax] = [:]
        var fileOrder: [String] = []
        var lintFindings: [(diagnostic: Diagnostic, isOwn: Bool)] = []
        for result in results {
            diagnostics += result.diagnostics
            for syntax in result.files where files[syntax.file.path] == nil {
                files[syntax.file.path] = syntax
                fileOrder.append(syntax.file.path)
            }
            for ruleSet in result.ruleSets {
                ruleSetNames.append(ruleSet.name)
                let syntax = ruleSet.files.map { info in result.files.first { $0.file.path == info.path } }
                for finding in inContext(lint(ruleSet, syntax: syntax, checks: checks), of: ruleSet, leaf: syntax.last ?? nil) {
                    lintFindings.append(finding)
                }
            }
        }
        // A finding the base rule set makes itself is reported as its own, without the note that
        // names a rule set building on it.
        let own = Set(lintFindings.filter(\.isOwn).map { key($0.diagnostic) })
        diagnostics += lintFindings.filter { $0.isOwn || !own.contains(key($0.diagnostic)) }.map(\.diagnostic)
        let hasLanguageErrors = diagnostics.contains { $0.severity == .error && $0.code.hasPrefix("E") }
        var comments: [SuppressionComment] = []
        let suppressible = LintRegistry.suppressibleCodes
        for path in fileOrder {
            if let syntax = files[path] { comments += SuppressionComment.scan(syntax, suppressible: suppressible) }
        }
        var visible: [Diagnostic] = []
        var suppressed: [SuppressedFinding] = []
        for diagnostic in RuleLoader.deduplicated(diagnostics) {
            if let index = suppressor(of: diagnostic, in: comments) {
                comments[index].usedCodes.insert(diagnostic.code)
                suppressed.append(
                    SuppressedFinding(
                        diagnostic: diagnostic, reason: comments[index].reason ?? "",
                        comment: comments[index].span))
            } else {
                visible.append(diagnostic)
            }
        }
        // When a rule set did not check, its findings are unknown, so no suppression can be called unused.
        let judged = hasLanguageErrors ? comments.filter { !$0.isValid } : comments
        for check in suppressionChecks {
            check.init().check(judged) { visible.append($0) }
        }
        return LintReport(
            findings: Diagnostic.sortedForOutput(visible), suppressed: suppressed,
            ruleSets: ruleSetNames, files: fileOrder, hasLanguageErrors: hasLanguageErrors)
    }

    /// Runs every rule-set check on one checked rule set.
    public static func lint(_ ruleSet: RuleSet, syntax: [RuleFileSyntax?]) -> [Diagnostic] {
        lint(ruleSet, syntax: syntax, checks: LintRegistry.ruleSetChecks)
    }

    /// Runs the given rule-set checks on one checked rule set.
    static func lint(_ ruleSet: RuleSet, syntax: [RuleFileSyntax?], checks: [any RuleSetCheck.Type]) -> [Diagnostic] {
        let context = LintContext(ruleSet: ruleSet, syntax: syntax)
        context.needsCoversEverything = checks.contains { ObjectIdentifier($0) == ObjectIdentifier(ClassificationGap.self) }
        for check in checks {
            check.init().check(context)
        }
        return context.findings
    }

    /// Places the findings of a rule set that builds on others. A finding in the rule set's own
    /// file is its own. One in a base file holds only because of what this rule set changed (an
    /// override, a shorter period): it gets a note naming this rule set, unless it is about a
    /// definition this rule set merely does not use, which is its choice and not a mistake.
    static func inContext(
        _ findings: [Diagnostic], of ruleSet: RuleSet,
        leaf: RuleFileSyntax?
    ) -> [(diagnostic: Diagnostic, isOwn: Bool)] {
        guard let leafPath = ruleSet.files.last?.path else { return [] }
        return findings.compactMap { finding in
            guard let path = finding.span?.file.path, path != leafPath else { return (finding, true) }
            if finding.code == UnusedDefinition.documentation.code { return nil }
            var placed = finding
            let header = leaf.flatMap { syntax in syntax.header.map { SourceSpan(file: syntax.file, range: $0.name.range) } }
            placed.notes.append(
                DiagnosticNote(
                    message: "found in the rule set '\(ruleSet.name)', which builds on this file",
                    danish: "fundet i regelsættet '\(ruleSet.name)', som bygger på denne fil", span: header))
            return (placed, false)
        }
    }

    /// What makes two findings the same one, for deduplication.
    static func key(_ diagnostic: Diagnostic) -> String {
        "\(diagnostic.code)|\(diagnostic.span?.file.path ?? "")|\(diagnostic.span?.range.lowerBound ?? -1)|\(diagnostic.message)"
    }

    /// The valid suppression comment that covers a lint finding, if any.
    static func suppressor(of diagnostic: Diagnostic, in comments: [SuppressionComment]) -> Int? {
        guard diagnostic.code.hasPrefix("L"), let span = diagnostic.span else { return nil }
        let line = span.start.line
        return comments.firstIndex { comment in
            comment.isValid && comment.targetLine == line && comment.span.file.path == span.file.path
                && comment.codes.contains(diagnostic.code)
        }
    }
}

/// What `soe lint` found: the findings to show, those suppressed, and what was linted.
public struct LintReport: Sendable {
    /// Findings not suppressed, sorted by file and position: language errors and lint findings.
    public let findings: [Diagnostic]
    /// Findings a `# soe:ignore` comment silenced, with the reason given.
    public let suppressed: [SuppressedFinding]
    /// The rule sets that checked and were linted.
    public let ruleSets: [String]
    /// Every rule file read, including those found through `builds on`.
    public let files: [String]
    /// Whether a rule file has language errors (exit code 3).
    public let hasLanguageErrors: Bool

    /// How many findings have this severity.
    public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }

    /// Whether a finding is at or above a severity, which makes `soe lint` exit with 1.
    public func hasFindings(atOrAbove level: Severity) -> Bool { findings.contains { $0.severity >= level } }

    /// `3 findings (1 error, 2 warnings), 1 suppressed`, or `no findings`.
    public var summary: String { summary(.english) }

    /// The summary line in a language: `3 fund (1 fejl, 2 advarsler), 1 undertrykt` in Danish.
    public func summary(_ language: Language) -> String {
        let danish = language == .danish
        var parts: [String] = []
        for severity in Severity.allCases.reversed() {
            let count = count(severity)
            guard count > 0 else { continue }
            if danish {
                let word: String
                switch severity {
                case .error: word = "fejl"
                case .warning: word = count == 1 ? "advarsel" : "advarsler"
                case .note: word = count == 1 ? "bemærkning" : "bemærkninger"
                }
                parts.append("\(count) \(word)")
            } else {
                parts.append("\(count) \(severity.rawValue)\(count == 1 ? "" : "s")")
            }
        }
        var text: String
        if danish {
            text = findings.isEmpty ? "ingen fund" : "\(findings.count) fund (\(parts.joined(separator: ", ")))"
            if !suppressed.isEmpty { text += ", \(suppressed.count) undertrykt" }
        } else {
            text =
                findings.isEmpty
                ? "no findings" : "\(findings.count) finding\(findings.count == 1 ? "" : "s") (\(parts.joined(separator: ", ")))"
            if !suppressed.isEmpty { text += ", \(suppressed.count) suppressed" }
        }
        return text
    }
}
