import SoeLanguage

/// L902: a `# soe:ignore` comment for a finding that is not there.
struct UnusedSuppression: SuppressionCheck {
    static let documentation = LintCheckDocumentation(
        code: "L902",
        name: "UnusedSuppression",
        severity: .warning,
        summary: "a suppression comment for a finding that is not reported there",
        whatItDoes: """
            Reports a valid `# soe:ignore CODE -- reason` comment when no finding with that code is \
            reported on the line it applies to (the next line, or its own line when it follows code). \
            The fix removes the comment. When a rule file has language errors the checks did not run, \
            so no suppression is called unused.
            """,
        whyItMatters: """
            A suppression outlives the problem it excused: the rule is fixed or moved, the comment \
            stays, and later it silently hides a new, different finding on that line. It also tells \
            the reader that something is wrong where nothing is.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input municipal_share: percent "Andel af omsætningen fra kommunale ydelser"
              min 0 % max 100 %

            classify
              aktor "Anden aktør" when municipal_share > 50 %
              # soe:ignore L104 -- andele fra 40 % til 50 % vurderes konkret
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
              soe "Socialøkonomisk virksomhed" when municipal_share <= 50 %
              otherwise unclear "Kræver vurdering"
            """),
        related: ["L901", "L903"],
        danishSummary: "en undertrykkelseskommentar for et fund, der ikke rapporteres dér")

    func check(_ suppressions: [SuppressionComment], report: (Diagnostic) -> Void) {
        for comment in suppressions where comment.isValid {
            let unused = comment.codes.filter { !comment.usedCodes.contains($0) }
            guard !unused.isEmpty else { continue }
            let all = unused.count == comment.codes.count
            let list = unused.joined(separator: ", ")
            report(
                Diagnostic(
                    code: Self.documentation.code, severity: Self.documentation.severity,
                    message: "nothing is reported as \(list) on line \(comment.targetLine), so the suppression is not needed",
                    danish: "intet rapporteres som \(list) på linje \(comment.targetLine), så undertrykkelsen er unødvendig",
                    span: comment.span, fixIts: all ? [comment.removal] : []))
        }
    }
}
