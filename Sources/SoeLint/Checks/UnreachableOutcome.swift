import SoeLanguage

/// L101: an outcome that can never be the result, because earlier outcomes apply whenever it would.
struct UnreachableOutcome: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L101",
        name: "UnreachableOutcome",
        severity: .error,
        summary: "an outcome that can never be the result, because earlier outcomes apply whenever it would",
        whatItDoes: """
            Outcomes are tried in order and the first that applies wins. This check proves, by analysing \
            the conditions rather than by trying firms, that an outcome's condition implies the condition \
            of one earlier outcome, or of several earlier outcomes together. Such an outcome is never the \
            result for a firm whose data is complete.

            The conditions are brought into a normal form over yes/no inputs, choice tests and \
            comparisons of one number with a constant or a parameter, with criteria expanded, and the \
            declared `min`/`max` of the inputs taken into account. A parameter counts with every value \
            it has in any period, so a finding holds on every date.
            """,
        whyItMatters: """
            An unreachable outcome is a rule that the policy text promises and the engine never applies: \
            usually two outcomes in the wrong order (the specific case must come before the general one) \
            or a threshold that was changed in one place and not in the other. Caseworkers cannot see it, \
            because no firm ever gets that result.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input municipal_share: percent "Andel af omsætningen fra kommunale ydelser"
              min 0 % max 100 %

            classify
              aktor "Anden aktør" when municipal_share > 50 %
              mainly_municipal "Overvejende kommunal" when municipal_share > 75 %
              otherwise soe "Socialøkonomisk virksomhed"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input municipal_share: percent "Andel af omsætningen fra kommunale ydelser"
              min 0 % max 100 %

            classify
              mainly_municipal "Overvejende kommunal" when municipal_share > 75 %
              aktor "Anden aktør" when municipal_share > 50 %
              otherwise soe "Socialøkonomisk virksomhed"
            """),
        limits: """
            The analysis gives up rather than guess: a condition too large for the normal form (more \
            than 64 alternatives or 64 tests) is treated as an opaque yes/no, different sums and \
            non-linear formulas (`a * b`, `a / b`) are unrelated quantities, and the search that \
            combines several earlier outcomes has a step budget. Giving up means no finding, never a \
            wrong one. With missing data the engine may still list the outcome among the possible \
            ones; it is never the decided result. The `otherwise` outcome is not reported: a \
            classification whose outcomes cover every case explicitly is good practice.
            """,
        related: ["L102", "L103"])

    func check(_ context: LintContext) {
        let forms = context.outcomeForms
        let covered = context.coverage.unreachable
        let outcomes = context.ruleSet.outcomes
        for (index, covering) in covered.sorted(by: { $0.key < $1.key }) {
            guard let condition = outcomes[index].condition else { continue }
            let names = covering.map { "'\(outcomes[$0].name)'" }
            let first = names.prefix(3).joined(separator: names.count == 2 ? " and " : ", ")
            let subject = names.count > 3 ? "\(first) and \(names.count - 3) more" : first
            let verb = names.count == 1 ? "applies" : "apply"
            let alwaysApplies = covering.count == 1 && forms[covering[0]]?.contains { $0.isEmpty } == true
            var notes = covering.prefix(3).map { other in
                DiagnosticNote(
                    message: alwaysApplies ? "'\(outcomes[other].name)' always applies" : "'\(outcomes[other].name)' comes first",
                    span: outcomes[other].span)
            }
            notes.append(DiagnosticNote(message: "the condition that is never decisive is here", span: context.span(ofNode: condition)))
            context.report(
                UnreachableOutcome.self,
                "the outcome '\(outcomes[index].name)' can never be the result: \(subject) \(verb) first whenever it would",
                at: outcomes[index].span, notes: notes)
        }
    }
}
