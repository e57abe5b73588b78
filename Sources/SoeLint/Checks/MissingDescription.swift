import SoeLanguage

/// L403: an input without a description of what a caseworker must supply.
struct MissingDescription: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L403",
        name: "MissingDescription",
        severity: .note,
        summary: "an input without a description of what to supply",
        whatItDoes: """
            Reports every input declared without a description in quotes.
            """,
        whyItMatters: """
            Inputs are what a caseworker collects from the firm's accounts and the municipality's \
            contract data. The name `mes` or `public_share` does not say which figure is meant (with or \
            without VAT? which year? owned directly or indirectly?), and the list of missing data that \
            the engine prints when it cannot decide shows the description. A name alone invites each \
            caseworker to guess differently.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input public_ownership: percent
              min 0 % max 100 %

            classify
              public_controlled "Offentligt kontrolleret" when public_ownership >= 50 %
              otherwise independent "Uafhængig"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input public_ownership: percent "Offentlig ejerandel, direkte og indirekte" en "Public ownership share"
              min 0 % max 100 %

            classify
              public_controlled "Offentligt kontrolleret" when public_ownership >= 50 %
              otherwise independent "Uafhængig"
            """),
        limits: "A note, not a warning: a rule set is correct without descriptions, only harder to use.",
        danishSummary: "et input uden en beskrivelse af, hvad der skal oplyses")

    func check(_ context: LintContext) {
        for input in context.ruleSet.inputs where input.description == nil || input.description?.danish.isEmpty == true {
            context.report(
                MissingDescription.self,
                "the input '\(input.name)' has no description of what to supply; add one in quotes after the type",
                da: "inputtet '\(input.name)' har ingen beskrivelse af, hvad der skal oplyses; tilføj en i anførselstegn efter typen",
                at: input.span)
        }
    }
}
