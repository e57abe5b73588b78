import SoeLanguage

/// L901: a `# soe:ignore` comment that does not say why.
struct SuppressionWithoutReason: SuppressionCheck {
    static let documentation = LintCheckDocumentation(
        code: "L901",
        name: "SuppressionWithoutReason",
        severity: .warning,
        summary: "a suppression comment that does not give a reason",
        whatItDoes: """
            A suppression is written `# soe:ignore CODE -- reason`, on the line before the finding or at \
            the end of its line. This check reports one with no `--` or nothing after it. Such a comment \
            does not suppress anything, so the finding it was meant for is reported too.
            """,
        whyItMatters: """
            Overruling a check is a decision about the rules, and the people who read a rule file later \
            (the next policy officer, an auditor) need to know why it was taken. "The engine said so" is \
            not an answer a municipality can give when a classification is appealed.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input municipal_share: percent "Andel af omsætningen fra kommunale ydelser"
              min 0 % max 100 %

            classify
              aktor "Anden aktør" when municipal_share > 50 %
              # soe:ignore L104
              soe "Socialøkonomisk virksomhed" when municipal_share < 40 %
              otherwise unclear "Kræver vurdering"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input municipal_share: percent "Andel af omsætningen fra kommunale ydelser"
              min 0 % max 100 %

            classify
              aktor "Anden aktør" when municipal_share > 50 %
              # soe:ignore L104 -- andele fra 40 % til 50 % vurderes konkret af sagsbehandleren
              soe "Socialøkonomisk virksomhed" when municipal_share < 40 %
              otherwise unclear "Kræver vurdering"
            """),
        limits: "Findings about suppression comments (`L9xx`) cannot themselves be suppressed.",
        related: ["L902", "L903"],
        danishSummary: "en undertrykkelseskommentar uden begrundelse")

    func check(_ suppressions: [SuppressionComment], report: (Diagnostic) -> Void) {
        for comment in suppressions where comment.problems.contains(.missingReason) && !comment.codes.isEmpty {
            let codes = comment.codes.joined(separator: ", ")
            report(
                Diagnostic(
                    code: Self.documentation.code, severity: Self.documentation.severity,
                    message: "the suppression of \(codes) gives no reason, so it suppresses nothing; write '# soe:ignore \(codes) -- why'",
                    danish:
                        "undertrykkelsen af \(codes) giver ingen begrundelse og undertrykker derfor intet; skriv '# soe:ignore \(codes) -- hvorfor'",
                    span: comment.span))
        }
    }
}
