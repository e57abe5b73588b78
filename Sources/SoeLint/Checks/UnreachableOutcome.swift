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

            An outcome reached by several rules (its name written again, each with its own `when` and \
            `reason`) is judged rule by rule: a rule that can never decide is reported as a warning \
            while another rule for the outcome can, and as an error when none of its rules can.
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
        related: ["L102", "L103"],
        danishSummary: "et udfald, der aldrig kan blive resultatet, fordi tidligere udfald gælder, hver gang det ville gælde")

    func check(_ context: LintContext) {
        let forms = context.outcomeForms
        let covered = context.coverage.unreachable
        let outcomes = context.ruleSet.outcomes
        // An outcome reached by several rules is unreachable only when none of its rules can
        // decide: one rule that never decides is a finding of its own, a warning while the outcome
        // can still be reached by another.
        var reachable = Set<String>()
        for (index, outcome) in outcomes.enumerated() where covered[index] == nil || outcome.condition == nil {
            reachable.insert(outcome.name)
        }
        for (index, covering) in covered.sorted(by: { $0.key < $1.key }) {
            guard let condition = outcomes[index].condition else { continue }
            let outcome = outcomes[index]
            let alwaysApplies = covering.count == 1 && forms[covering[0]]?.contains { $0.isEmpty } == true
            var notes = covering.prefix(3).map { other in
                DiagnosticNote(
                    message: alwaysApplies
                        ? "\(Self.rule(outcomes[other], .english)) always applies" : "\(Self.rule(outcomes[other], .english)) comes first",
                    danish: alwaysApplies
                        ? "\(Self.rule(outcomes[other], .danish)) gælder altid" : "\(Self.rule(outcomes[other], .danish)) kommer først",
                    span: outcomes[other].span)
            }
            notes.append(
                DiagnosticNote(
                    message: "the condition that is never decisive is here",
                    danish: "den betingelse, der aldrig bliver afgørende, står her",
                    span: context.span(ofNode: condition)))
            let (english, danish) = (Self.subject(covering, outcomes, .english), Self.subject(covering, outcomes, .danish))
            let verb = covering.count == 1 ? "applies" : "apply"
            if outcome.routes > 1 && reachable.contains(outcome.name) {
                context.report(
                    UnreachableOutcome.self,
                    "\(Self.rule(outcome, .english)) never decides: \(english) \(verb) first whenever it would; "
                        + "the outcome is still reached by its other rules, so remove this rule or change its condition",
                    da: "\(Self.rule(outcome, .danish)) bliver aldrig afgørende: \(danish) gælder først, hver gang den ville gælde; "
                        + "udfaldet nås stadig ad sine andre regler, så fjern denne regel, eller ret dens betingelse",
                    at: outcome.span, severity: .warning, notes: notes)
            } else if outcome.routes > 1 {
                context.report(
                    UnreachableOutcome.self,
                    "the outcome '\(outcome.name)' can never be the result: none of its \(outcome.routes) rules ever decides; "
                        + "for \(Self.rule(outcome, .english)), \(english) \(verb) first whenever it would",
                    da:
                        "udfaldet '\(outcome.name)' kan aldrig blive resultatet: ingen af dets \(outcome.routes) regler bliver nogensinde afgørende; "
                        + "for \(Self.rule(outcome, .danish)) gælder \(danish) først, hver gang den ville gælde",
                    at: outcome.span, notes: notes)
            } else {
                context.report(
                    UnreachableOutcome.self,
                    "the outcome '\(outcome.name)' can never be the result: \(english) \(verb) first whenever it would",
                    da: "udfaldet '\(outcome.name)' kan aldrig blive resultatet: \(danish) gælder først, hver gang det ville gælde",
                    at: outcome.span, notes: notes)
            }
        }
    }

    /// `'aktor'`, or for one of several rules of an outcome `the 2nd rule for 'aktor'`.
    static func rule(_ outcome: OutcomeDefinition, _ language: Language) -> String {
        guard outcome.routes > 1 else { return "'\(outcome.name)'" }
        let ordinal = Words.ordinal(outcome.route, language)
        return language == .danish ? "\(ordinal) regel for '\(outcome.name)'" : "the \(ordinal) rule for '\(outcome.name)'"
    }

    /// The earlier rules that cover one, at most three named: `'a', 'b' and 2 more`.
    static func subject(_ covering: [Int], _ outcomes: [OutcomeDefinition], _ language: Language) -> String {
        let names = covering.map { rule(outcomes[$0], language) }
        let and = language == .danish ? "og" : "and"
        let first = names.prefix(3).joined(separator: names.count == 2 ? " \(and) " : ", ")
        guard names.count > 3 else { return first }
        return language == .danish ? "\(first) og \(names.count - 3) andre" : "\(first) and \(names.count - 3) more"
    }
}
