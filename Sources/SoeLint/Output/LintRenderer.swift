import SoeLanguage

/// Renders a lint report for people (`human`), editors (`short`) and machines (`json`); SARIF
/// has its own renderer. The diagnostics themselves are drawn by `DiagnosticRenderer`, exactly as
/// `soe check` draws them.
public enum LintRenderer {
    /// The output formats of `soe lint --format`.
    public enum Format: String, CaseIterable, Sendable {
        case human, short, json, sarif
    }

    /// The whole output of `soe lint` in a format, ending with a line break. Messages, notes and
    /// fixes are in `language`, except in SARIF, which stays English like the check descriptions
    /// it carries (code-scanning services show them side by side).
    public static func render(_ report: LintReport, as format: Format, language: Language = .english) -> String {
        switch format {
        case .human: human(report, language: language)
        case .short: short(report, language: language)
        case .json: json(report, language: language).serialized(pretty: true) + "\n"
        case .sarif: SARIFRenderer.log(report).serialized(pretty: true) + "\n"
        }
    }

    /// Each finding as an annotated snippet with a caret, then the summary line.
    public static func human(_ report: LintReport, language: Language = .english) -> String {
        var text = ""
        for finding in report.findings { text += DiagnosticRenderer.annotated(finding, language: language) + "\n\n" }
        return text + report.summary(language) + "\n"
    }

    /// One line per finding, `file:line:col: severity: message [CODE]`, then the summary line.
    public static func short(_ report: LintReport, language: Language = .english) -> String {
        var text = ""
        for finding in report.findings { text += DiagnosticRenderer.oneLine(finding, language: language) + "\n" }
        return text + report.summary(language) + "\n"
    }

    /// The report as one JSON object (schema `soe-lint/1`).
    public static func json(_ report: LintReport, language: Language = .english) -> JSONOutput {
        let suppressed: [JSONOutput] = report.suppressed.map { item in
            guard case .object(var fields) = DiagnosticRenderer.json(item.diagnostic, language: language) else { return .null }
            fields.append(("reason", .string(item.reason)))
            fields.append(("comment", DiagnosticRenderer.location(item.comment)))
            return .object(fields)
        }
        return .object([
            ("schema", .string("soe-lint/1")),
            ("engine", .object([("name", .string("soe")), ("version", .string(SoeVersion.current))])),
            ("rule_sets", .array(report.ruleSets.map { .string($0) })),
            ("files", .array(report.files.map { .string($0) })),
            ("findings", .array(report.findings.map { DiagnosticRenderer.json($0, language: language) })),
            ("suppressed", .array(suppressed)),
            (
                "summary",
                .object([
                    ("errors", .number(String(report.count(.error)))),
                    ("warnings", .number(String(report.count(.warning)))),
                    ("notes", .number(String(report.count(.note)))),
                    ("suppressed", .number(String(report.suppressed.count))),
                ])
            ),
        ])
    }
}
