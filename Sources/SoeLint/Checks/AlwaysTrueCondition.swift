import SoeLanguage

/// L103: a criterion, an outcome or a part of a condition that is true for every firm.
struct AlwaysTrueCondition: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L103",
        name: "AlwaysTrueCondition",
        severity: .warning,
        summary: "a condition that is true for every firm",
        whatItDoes: """
            Finds criteria, outcome conditions, yes/no values, parts of conditions and `if` conditions \
            that hold for every value their inputs can take: `x >= 0 kr or x < 0 kr`, \
            `legal_form is aps or legal_form is not aps`, or `public_ownership <= 100 %` for an input \
            declared with `max 100 %`. The declared `min` and `max` of the inputs count: a firm whose \
            data is outside them is rejected before any rule runs.
            """,
        whyItMatters: """
            A test that always passes does not test anything, but the trace shows it as a criterion the \
            firm "met", with a law paragraph beside it. Either the threshold is wrong, the comparison \
            points the wrong way, or the test is not needed. An outcome that always applies makes every \
            later outcome unreachable.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input dividend: money "Udbytte" min 0 kr

            criterion no_dividend "Intet udbytte"
              cite "§ 5, stk. 2"
              = dividend >= 0 kr

            classify
              reinvests "Geninvesterer overskuddet" when no_dividend
              otherwise other "Anden virksomhed"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input dividend: money "Udbytte" min 0 kr

            criterion no_dividend "Intet udbytte"
              cite "§ 5, stk. 2"
              = dividend = 0 kr

            classify
              reinvests "Geninvesterer overskuddet" when no_dividend
              otherwise other "Anden virksomhed"
            """),
        limits: """
            "Always" means for complete data: with a missing input the condition is still unknown, which \
            is what `x is known` is for. A test written only to require that a value is known should \
            say `is known`. As for `L102`, only the outermost constant formula is reported.
            """,
        related: ["L101", "L102"],
        danishSummary: "en betingelse, der er opfyldt for alle virksomheder")

    func check(_ context: LintContext) {
        let ruleSet = context.ruleSet
        for item in context.constantConditions.items where item.alwaysTrue {
            let owner = ConstantConditions.describe(item.owner, in: ruleSet)
            let ejer = ConstantConditions.describeDanish(item.owner, in: ruleSet)
            let notes = ConstantConditions.rangeNotes(item.node, context: context)
            if item.isIfCondition {
                context.report(
                    AlwaysTrueCondition.self,
                    "this 'if' condition in the \(owner) is always true, so its 'else' branch is never used",
                    da: "denne 'if'-betingelse i \(ejer) er altid opfyldt, så 'else'-grenen bruges aldrig",
                    at: context.span(ofNode: item.node), notes: notes)
            } else if item.isWhole {
                var allNotes = [
                    DiagnosticNote(message: "the condition is here", danish: "betingelsen står her", span: context.span(ofNode: item.node))
                ]
                allNotes += notes
                var message = "the condition of the \(owner) is always true"
                var danish = "betingelsen for \(ejer) er altid opfyldt"
                if case .outcome = item.owner {
                    message += ", so no later outcome can apply"
                    danish += ", så intet senere udfald kan komme i brug"
                }
                context.report(
                    AlwaysTrueCondition.self, message, da: danish,
                    at: ConstantConditions.nameSpan(item.owner, in: ruleSet), notes: allNotes)
            } else {
                context.report(
                    AlwaysTrueCondition.self, "this part of the condition of the \(owner) is always true",
                    da: "denne del af betingelsen for \(ejer) er altid opfyldt",
                    at: context.span(ofNode: item.node), notes: notes)
            }
        }
    }
}
