import SoeLanguage

/// L102: a criterion, an outcome or a part of a condition that can never be true.
struct ImpossibleCondition: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L102",
        name: "ImpossibleCondition",
        severity: .error,
        summary: "a condition that can never be true",
        whatItDoes: """
            Finds criteria, outcome conditions, yes/no values, parts of conditions joined by `and`, `or` \
            and `not`, and `if` conditions that no firm can satisfy: `x > 10 % and x < 5 %`, \
            `legal_form is aps and legal_form is fond`, or `dividend < 0 kr` for an input declared with \
            `min 0 kr`. The condition is analysed in the same normal form as for `L101`, so criteria \
            used inside it count with their own conditions.

            Only the outermost impossible formula is reported, and a condition that is impossible \
            because it uses an impossible criterion is not reported again: the criterion is the cause.
            """,
        whyItMatters: """
            A criterion that can never be met makes every outcome that requires it unreachable, and the \
            trace will show "not met" for every firm as if the firm had failed a legal test. It is \
            almost always a slip: `and` written for `or`, a comparison turned the wrong way, or a \
            percent threshold typed as a different number than the law says.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input legal_form: one of aps, as, fond, forening "Virksomhedsform"

            criterion company "Selskab"
              cite "§ 4"
              = legal_form is aps and legal_form is as

            classify
              company_case "Selskab" when company
              otherwise other "Anden virksomhed"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input legal_form: one of aps, as, fond, forening "Virksomhedsform"

            criterion company "Selskab"
              cite "§ 4"
              = legal_form is aps or legal_form is as

            classify
              company_case "Selskab" when company
              otherwise other "Anden virksomhed"
            """),
        limits: """
            Comparisons between two different sums, and non-linear formulas, are treated as unrelated \
            quantities, so some impossible conditions are not found; a finding is always real for \
            complete data. A condition that is impossible only on some dates (a parameter whose value \
            changes) is not reported.
            """,
        related: ["L101", "L103"],
        danishSummary: "en betingelse, der aldrig kan være opfyldt")

    func check(_ context: LintContext) {
        let ruleSet = context.ruleSet
        for item in context.constantConditions.items where !item.alwaysTrue {
            let owner = ConstantConditions.describe(item.owner, in: ruleSet)
            let ejer = ConstantConditions.describeDanish(item.owner, in: ruleSet)
            let notes = ConstantConditions.rangeNotes(item.node, context: context)
            if item.isIfCondition {
                context.report(
                    ImpossibleCondition.self,
                    "this 'if' condition in the \(owner) can never be true, so its 'then' branch is never used",
                    da: "denne 'if'-betingelse i \(ejer) kan aldrig være opfyldt, så 'then'-grenen bruges aldrig",
                    at: context.span(ofNode: item.node), notes: notes)
            } else if item.isWhole {
                var allNotes = [
                    DiagnosticNote(message: "the condition is here", danish: "betingelsen står her", span: context.span(ofNode: item.node))
                ]
                allNotes += notes
                context.report(
                    ImpossibleCondition.self, "the condition of the \(owner) can never be true",
                    da: "betingelsen for \(ejer) kan aldrig være opfyldt",
                    at: ConstantConditions.nameSpan(item.owner, in: ruleSet), notes: allNotes)
            } else {
                context.report(
                    ImpossibleCondition.self, "this part of the condition of the \(owner) can never be true",
                    da: "denne del af betingelsen for \(ejer) kan aldrig være opfyldt",
                    at: context.span(ofNode: item.node), notes: notes)
            }
        }
    }
}
