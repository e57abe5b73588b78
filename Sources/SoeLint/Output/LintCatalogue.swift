import SoeLanguage

/// The documentation of the lint checks, generated from their data: `soe lint --explain CODE`
/// prints one check's section, `soe lint --catalogue` the whole of `docs/lint-checks.md`.
///
/// Each section follows ruff's rule pages: what it does, why it matters, an example and what to
/// write instead. The example's findings are produced by running the linter on it, so the
/// documentation shows the messages exactly as `soe lint` prints them.
public enum LintCatalogue {
    /// Where the catalogue lives in the repository.
    public static let path = "docs/lint-checks.md"
    /// The command that regenerates it, for the message of the test that finds it out of date.
    public static let regenerateCommand = "swift run soe lint --catalogue > docs/lint-checks.md"

    /// The whole catalogue as Markdown.
    public static func markdown() -> String {
        var lines: [String] = [
            "# Lint checks",
            "",
            "<!-- Generated from the checks in Sources/SoeLint/Checks by `\(regenerateCommand)`. Do not edit: a test fails when this file is out of date. -->",
            "",
            "`soe lint` reports everything `soe check` reports (the language errors `E…`, listed at the end), and then runs the checks below on every rule set that checks. `soe lint --explain CODE` prints one section of this page.",
            "",
            "Each finding has a severity. `soe lint` exits with 1 when a finding is at or above `--fail-level` (`warning` unless given; `error`, `warning` or `note`), with 3 when a rule file has language errors, and with 0 otherwise.",
            "",
            "A finding is suppressed by a comment that says why, on the line before it or at the end of its line:",
            "",
            "```",
            "  # soe:ignore L104 -- andele fra 40 % til 50 % vurderes konkret af sagsbehandleren",
            "  soe \"Socialøkonomisk virksomhed\" when municipal_share < 40 %",
            "```",
            "",
            "Several codes may be listed (`# soe:ignore L201, L202 -- why`). A suppression without a reason, with a code that is not a lint check, or that suppresses nothing is itself a finding (`L901`–`L903`).",
            "",
            "| code | name | severity | what it finds |",
            "|---|---|---|---|",
        ]
        for doc in LintRegistry.documentation {
            lines.append(
                "| [\(doc.code)](#\(doc.code.lowercased())-\(doc.name.lowercased())) | \(doc.name) | \(doc.severity.rawValue) | \(doc.summary) |"
            )
        }
        lines.append("")
        for doc in LintRegistry.documentation {
            lines.append(section(doc, level: 2))
        }
        lines += [
            "## Language errors",
            "",
            languageErrorHelp,
            "",
            "| code | name | what it finds |",
            "|---|---|---|",
        ]
        for code in DiagnosticCode.allCases {
            lines.append("| \(code.rawValue) | \(name(of: code)) | \(code.summary) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What `soe lint --explain` prints for a code: a check's section, or a language error's summary.
    public static func explain(_ code: String) -> String? {
        if let doc = LintRegistry.documentation(for: code) { return section(doc, level: 1) }
        if let error = DiagnosticCode(rawValue: code.uppercased()) {
            return "# \(error.rawValue) \(name(of: error))\n\n\(capitalized(error.summary)). A language error.\n\n\(languageErrorHelp)\n"
        }
        return nil
    }

    static let languageErrorHelp = """
        These are the errors of `soe check`, which `soe lint` reports unchanged. A rule file with an \
        error has no checked rule set, so the lint checks do not run on it and `soe lint` exits with 3. \
        Language errors cannot be suppressed.
        """

    /// One check's documentation in ruff's sections, with headings at the given level.
    public static func section(_ doc: LintCheckDocumentation, level: Int = 2) -> String {
        let heading = String(repeating: "#", count: level)
        let sub = heading + "#"
        var lines = [
            "\(heading) \(doc.code) \(doc.name)",
            "",
            "\(capitalized(doc.summary)). Severity: \(doc.severity.rawValue).",
            "",
            "\(sub) What it does",
            "",
            doc.whatItDoes,
            "",
            "\(sub) Why it matters",
            "",
            doc.whyItMatters,
            "",
            "\(sub) Example",
            "",
        ]
        lines += exampleLines(doc.triggering)
        let findings = findingLines(doc.triggering, code: doc.code)
        if !findings.isEmpty {
            lines += ["`soe lint --format short` reports:", "", "```"] + findings + ["```", ""]
        }
        lines += ["\(sub) Use instead", ""]
        lines += exampleLines(doc.nonTriggering)
        if let limits = doc.limits {
            lines += ["\(sub) Limits", "", limits, ""]
        }
        if !doc.related.isEmpty {
            lines += ["\(sub) Related", "", doc.related.map { "`\($0)`" }.joined(separator: ", "), ""]
        }
        return lines.joined(separator: "\n")
    }

    static func exampleLines(_ example: LintExample) -> [String] {
        var lines: [String] = []
        for file in example.files {
            if example.files.count > 1 { lines += ["`\(file.name)`:", ""] }
            lines += ["```", file.text, "```", ""]
        }
        return lines
    }

    /// The one-line findings of the check's own code for an example.
    static func findingLines(_ example: LintExample, code: String) -> [String] {
        Linter.lint(sources: example.sources).findings.filter { $0.code == code }.map { DiagnosticRenderer.oneLine($0) }
    }

    /// `unknownName` → `UnknownName`, the name of a language error in SARIF and the catalogue.
    static func name(of code: DiagnosticCode) -> String {
        capitalized(String(describing: code))
    }

    static func capitalized(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
