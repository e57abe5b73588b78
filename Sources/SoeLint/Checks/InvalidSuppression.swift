import SoeLanguage

/// L903: a `# soe:ignore` comment that names no code, an unknown code, or one that cannot be suppressed.
struct InvalidSuppression: SuppressionCheck {
    static let documentation = LintCheckDocumentation(
        code: "L903",
        name: "InvalidSuppression",
        severity: .warning,
        summary: "a suppression comment that names no code, an unknown code, or one that cannot be suppressed",
        whatItDoes: """
            Reports `# soe:ignore` comments whose codes are not lint checks: a typo (`L10` for `L104`), \
            a language error (`E201`: a rule file with errors is not run at all, so it cannot be \
            silenced), a finding about suppressions (`L9xx`), or no code at all. Such a comment does not \
            suppress anything, not even its valid codes.
            """,
        whyItMatters: """
            A suppression that silently does nothing leaves the author believing a finding was dealt \
            with; one that silently did more than intended would hide problems. Being strict about the \
            codes keeps every suppression meaning exactly what it says.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input municipal_share: percent "Andel af omsætningen fra kommunale ydelser"
              min 0 % max 100 %

            classify
              aktor "Anden aktør" when municipal_share > 50 %
              # soe:ignore L14 -- andele fra 40 % til 50 % vurderes konkret
              soe "Socialøkonomisk virksomhed" when municipal_share <= 50 %
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
              # soe:ignore L104 -- andele fra 40 % til 50 % vurderes konkret
              soe "Socialøkonomisk virksomhed" when municipal_share < 40 %
              otherwise unclear "Kræver vurdering"
            """),
        related: ["L901", "L902"],
        danishSummary:
            "en undertrykkelseskommentar, der ikke nævner en kode, nævner en ukendt kode eller en kode, der ikke kan undertrykkes")

    func check(_ suppressions: [SuppressionComment], report: (Diagnostic) -> Void) {
        for comment in suppressions {
            for problem in comment.problems {
                let message: String
                let danish: String
                switch problem {
                case .noCode:
                    message = "the suppression names no code; write '# soe:ignore L… -- why'"
                    danish = "undertrykkelsen nævner ingen kode; skriv '# soe:ignore L… -- hvorfor'"
                case .unknownCode(let code):
                    let suggestion = closestWord(to: code, in: LintRegistry.suppressibleCodes.sorted())
                    message =
                        "'\(code)' is not a lint check" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                        + ", so the suppression suppresses nothing"
                    danish =
                        "'\(code)' er ikke et lint-tjek" + (suggestion.map { "; mente du '\($0)'?" } ?? "")
                        + ", så undertrykkelsen undertrykker intet"
                case .notSuppressible(let code):
                    message =
                        code.hasPrefix("E")
                        ? "'\(code)' is a language error, which cannot be suppressed; fix the rule file"
                        : "'\(code)' is a finding about suppressions, which cannot be suppressed"
                    danish =
                        code.hasPrefix("E")
                        ? "'\(code)' er en sprogfejl, som ikke kan undertrykkes; ret regelfilen"
                        : "'\(code)' er et fund om undertrykkelser, som ikke kan undertrykkes"
                case .missingReason:
                    continue
                }
                report(
                    Diagnostic(
                        code: Self.documentation.code, severity: Self.documentation.severity,
                        message: message, danish: danish, span: comment.span))
            }
        }
    }
}
