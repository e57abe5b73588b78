import SoeEngine
import SoeLanguage
import SoeLint

/// `soe lint`: check rule files for a policy officer's mistakes. The work is `Linter` in the
/// library; this maps flags to it, prints, and chooses the exit code.
enum LintCommand {
    static let help = """
        Usage: soe lint [--format human|short|json|sarif] [--fail-level error|warning|note] [--lang da|en] <rules>...
               soe lint --explain CODE
               soe lint --catalogue

        Checks rule files (a file, or every .rules file in a folder, and the rule sets they build on)
        for mistakes: everything 'soe check' reports, then the lint checks listed in
        docs/lint-checks.md (unreachable outcomes, impossible conditions, gaps between thresholds,
        thresholds out of range, unguarded divisions, unused definitions, missing citations,
        dated values, redundant overrides). A rule set built upon is looked for as 'soe check' says:
        next to the file, in SOE_RULES_PATH, then among the bundled rule sets.

        Options:
          --format human        annotated source excerpt with a caret (default)
          --format short        one line per finding: file:line:col: severity: message [CODE]
          --format json         one JSON object (schema soe-lint/1)
          --format sarif        SARIF 2.1.0, for code-scanning services and editors
          --fail-level LEVEL    exit with 1 when a finding is at or above LEVEL: error, warning
                                (default) or note
          --lang da|en          language of messages, notes and help (default: from LC_ALL,
                                LC_MESSAGES or LANG, else en); codes are the same in both;
                                SARIF stays English
          --explain CODE        print the documentation of a check (L101) or language error (E201)
          --catalogue           print the documentation of every check, as in docs/lint-checks.md
          --help                show this help

        A finding is suppressed by a comment that gives a reason, on the line before it or at the
        end of its line:
          # soe:ignore L104 -- reason

        Exit codes: 0 no finding at or above the fail level, 1 findings at or above it, 2 usage,
        3 a rule file has language errors, 5 a file cannot be read.
        """

    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        let parsed: Arguments
        let format: LintRenderer.Format
        let failLevel: Severity
        let language: Language
        do {
            parsed = try Arguments(
                arguments, valued: ["--format", "--fail-level", "--explain", "--lang"],
                switches: ["--help", "--catalogue"])
            let formatName = try parsed.choice("--format", LintRenderer.Format.allCases.map(\.rawValue), default: "human")
            format = LintRenderer.Format(rawValue: formatName) ?? .human
            let levelName = try parsed.choice("--fail-level", ["error", "warning", "note"], default: "warning")
            failLevel = Severity(rawValue: levelName) ?? .warning
            language = try SoeCommand.language(parsed.options["--lang"], environment: environment)
        } catch {
            return SoeCommand.usage(error, command: "lint", console: console)
        }
        if parsed.switches.contains("--help") {
            console.out(help + "\n")
            return .success
        }
        if let code = parsed.options["--explain"] {
            guard let text = LintCatalogue.explain(code) else {
                let known = LintRegistry.documentation.map(\.code) + LintRegistry.documentation.map(\.name)
                let suggestion = closestWord(to: code, in: known)
                return SoeCommand.usage(
                    UsageError(
                        "no lint check or language error is called '\(code)'"
                            + (suggestion.map { "; did you mean '\($0)'?" } ?? "")),
                    command: "lint", console: console)
            }
            console.out(text)
            return .success
        }
        if parsed.switches.contains("--catalogue") {
            console.out(LintCatalogue.markdown())
            return .success
        }
        guard !parsed.positionals.isEmpty else {
            return SoeCommand.usage(UsageError("give at least one rule file or folder"), command: "lint", console: console)
        }
        switch Linter.lint(paths: parsed.positionals, library: RuleLibrary.standard(environment: environment)) {
        case .failure(let failure):
            console.error("soe lint: \(failure.message)\n")
            return .ioError
        case .success(let report):
            // Files in a folder that look meant as rule files and are not read, on standard error
            // (the report on standard output stays JSON or SARIF where asked for).
            for path in parsed.positionals where FileSystem.isDirectory(path) {
                for file in SkippedRuleFile.find(in: path) { console.errorLine(DisplayText.line("soe lint: \(file.text(language))")) }
            }
            console.out(LintRenderer.render(report, as: format, language: language))
            if report.hasLanguageErrors { return .rulesError }
            return report.hasFindings(atOrAbove: failLevel) ? .findings : .success
        }
    }
}
