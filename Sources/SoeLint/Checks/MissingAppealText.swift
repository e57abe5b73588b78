import SoeLanguage

/// L404: a rule set whose letters are decisions but that gives them no text on how to appeal.
struct MissingAppealText: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L404",
        name: "MissingAppealText",
        severity: .warning,
        summary: "a rule set whose letters are decisions but that gives no `letter appeal` text",
        whatItDoes: """
            Reports a rule set whose header says `letter kind decision` and has no `letter appeal "…"`, \
            at the `letter kind` line. Only the rule set's own header counts: a rule set that `builds \
            on` another inherits neither its letter kind nor its letter texts.
            """,
        whyItMatters: """
            A letter headed "Afgørelse" is a decision in the sense of forvaltningsloven, and a written \
            decision that can be appealed must say to whom, how and by when (klagevejledning, \
            forvaltningsloven § 25). The engine does not invent a right of appeal, so without the rule \
            set's own text the letter says nothing about it, and a caseworker who sends it sends a \
            decision without klagevejledning. Only the authority that writes the rule set knows where \
            its decisions are appealed.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01
              letter kind decision

            input public_ownership: percent "Offentlig ejerandel, direkte og indirekte"
              min 0 % max 100 %

            classify
              public_controlled "Offentligt kontrolleret" when public_ownership >= 50 %
              otherwise independent "Uafhængig"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01
              letter kind decision
              letter appeal "Afgørelsen kan påklages til Eksempel Klagenævn inden fire uger efter, at virksomheden har modtaget den. Klagen sendes til os; vi genvurderer sagen, før vi sender den videre."

            input public_ownership: percent "Offentlig ejerandel, direkte og indirekte"
              min 0 % max 100 %

            classify
              public_controlled "Offentligt kontrolleret" when public_ownership >= 50 %
              otherwise independent "Uafhængig"
            """),
        limits: """
            The check cannot tell whether a decision can be appealed to another authority, which is \
            when § 25 asks for klagevejledning; where it cannot, say so in `letter appeal` all the same \
            (that there is no administrative appeal, and where the firm may turn instead), or suppress \
            the finding with the reason. Letters that are assessments (`letter kind assessment`, and \
            every rule set that does not say) are not reported: they claim no decision, and their \
            `letter appeal` text, when given, says how the firm may comment before one.
            """,
        danishSummary: "et regelsæt, hvis breve er afgørelser, men som ikke har en `letter appeal`-tekst")

    func check(_ context: LintContext) {
        guard context.ruleSet.letterKind == .decision, context.ruleSet.letterTexts[.appeal] == nil else { return }
        // At the `letter kind decision` line of the rule set's own file, where the fix goes.
        var span = context.leafFile.map { SourceSpan(file: $0, range: 0..<0) }
        if let leaf = context.syntax.last ?? nil, let kind = leaf.header?.letterKind {
            span = SourceSpan(file: leaf.file, range: kind.range)
        }
        context.report(
            MissingAppealText.self,
            "the letters of this rule set are decisions (letter kind decision) but it gives no appeal text: a written decision must say how to appeal it (klagevejledning, forvaltningsloven § 25); add 'letter appeal \"…\"' naming where to appeal, how and by when, or make the letters assessments (letter kind assessment)",
            da:
                "dette regelsæts breve er afgørelser (letter kind decision), men det har ingen klagetekst: en skriftlig afgørelse skal vejlede om klageadgang (klagevejledning, forvaltningsloven § 25); tilføj 'letter appeal \"…\"' med klageinstans, fremgangsmåde og frist, eller gør brevene til vurderinger (letter kind assessment)",
            at: span)
    }
}
