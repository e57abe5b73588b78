import SoeLanguage

/// L401: a criterion without a citation of the law, guidance or policy it comes from.
struct MissingCitation: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L401",
        name: "MissingCitation",
        severity: .warning,
        summary: "a criterion without a citation of where it comes from",
        whatItDoes: """
            Reports every criterion that has no `cite "…"` clause naming the paragraph of the law, the \
            guidance or the policy decision it encodes.
            """,
        whyItMatters: """
            The trace shows each criterion beside its citation, and that is what lets an auditor check \
            the decision against the law years later, or a firm appeal it. A criterion without one is a \
            rule nobody can trace back to its authority.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input own_cvr: yes/no "Har eget CVR-nummer"

            criterion eligible "Eget CVR-nummer"
              = own_cvr

            classify
              registrable "Kan registreres" when eligible
              otherwise other "Kan ikke registreres"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input own_cvr: yes/no "Har eget CVR-nummer"

            criterion eligible "Eget CVR-nummer"
              cite "Lov nr. 711 af 25. juni 2014, § 4"
              = own_cvr

            classify
              registrable "Kan registreres" when eligible
              otherwise other "Kan ikke registreres"
            """),
        limits: "The check does not judge whether a citation is right, only that there is one.",
        related: ["L402"],
        danishSummary: "et kriterium uden henvisning til, hvor det kommer fra")

    func check(_ context: LintContext) {
        for criterion in context.ruleSet.criteria where criterion.cite == nil || criterion.cite?.danish.isEmpty == true {
            context.report(
                MissingCitation.self,
                "the criterion '\(criterion.name)' does not cite where it comes from; add 'cite \"§ …\"'",
                da: "kriteriet '\(criterion.name)' henviser ikke til, hvor det kommer fra; tilføj 'cite \"§ …\"'",
                at: criterion.span)
        }
    }
}
