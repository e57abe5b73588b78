import SoeLanguage

/// L301: an input, parameter, derived value or criterion that no outcome depends on.
struct UnusedDefinition: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L301",
        name: "UnusedDefinition",
        severity: .warning,
        summary: "an input, parameter, value or criterion that no outcome depends on",
        whatItDoes: """
            Follows the references from every outcome's condition through criteria and derived values \
            down to inputs and parameters, and reports each definition that is not reached: never used \
            at all, or used only by other definitions that no outcome uses.
            """,
        whyItMatters: """
            An input nobody uses still has to be collected from the firm, and a caseworker will ask for \
            it. A criterion nobody uses looks, to a reader of the rule file, like a legal test that is \
            applied when it is not, which is the most common way a change to the rules goes wrong: a \
            criterion is rewritten under a new name and the outcome still uses the old one.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input purpose_in_statutes: yes/no "Socialt formål i vedtægterne"
            input stakeholder_involvement: yes/no "Interessenter inddrages"

            criterion social_purpose "Socialt formål"
              cite "§ 5, stk. 1, nr. 1"
              = purpose_in_statutes
            criterion inclusive "Inddragende ledelse"
              cite "§ 5, stk. 1, nr. 4"
              = stakeholder_involvement

            classify
              soe "Socialøkonomisk virksomhed" when social_purpose
              otherwise ordinary "Ordinær virksomhed"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input purpose_in_statutes: yes/no "Socialt formål i vedtægterne"
            input stakeholder_involvement: yes/no "Interessenter inddrages"

            criterion social_purpose "Socialt formål"
              cite "§ 5, stk. 1, nr. 1"
              = purpose_in_statutes
            criterion inclusive "Inddragende ledelse"
              cite "§ 5, stk. 1, nr. 4"
              = stakeholder_involvement

            classify
              soe "Socialøkonomisk virksomhed" when all of social_purpose, inclusive
              otherwise ordinary "Ordinær virksomhed"
            """),
        limits: """
            No fix is offered: removing an input changes which keys firm data may have. A rule set \
            meant only as a base for others may define criteria it does not use itself; suppress those \
            findings with that reason. A rule set that builds on another is not told about inherited \
            definitions it does not use: leaving them out is its choice, and it cannot remove them.
            """,
        danishSummary: "et input, en parameter, en værdi eller et kriterium, som intet udfald afhænger af")

    func check(_ context: LintContext) {
        let ruleSet = context.ruleSet
        let usage = context.usage
        var unused: [(UsageAnalysis.Owner, String, String, SourceSpan)] = []
        for (index, input) in ruleSet.inputs.enumerated() { unused.append((.input(index), "input", input.name, input.span)) }
        for (index, parameter) in ruleSet.parameters.enumerated() {
            unused.append((.parameter(index), "parameter", parameter.name, parameter.span))
        }
        for (index, value) in ruleSet.values.enumerated() { unused.append((.value(index), "value", value.name, value.span)) }
        for (index, criterion) in ruleSet.criteria.enumerated() {
            unused.append((.criterion(index), "criterion", criterion.name, criterion.span))
        }
        for (owner, kind, name, span) in unused where !usage.reachable.contains(owner) {
            let users = (usage.references[owner] ?? []).compactMap { usage.owners[Int($0)] }
            var names: [String] = []
            for user in users {
                let userName = UnusedDefinition.name(of: user, in: ruleSet)
                if !names.contains(userName) { names.append(userName) }
            }
            if names.isEmpty {
                context.report(
                    UnusedDefinition.self, "the \(kind) '\(name)' is never used",
                    da: "\(UnusedDefinition.danish(kind)) '\(name)' bruges aldrig", at: span)
            } else {
                let list =
                    names.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 3 ? " and \(names.count - 3) more" : "")
                context.report(
                    UnusedDefinition.self,
                    "the \(kind) '\(name)' is used only by \(list), which no outcome depends on",
                    da: "\(UnusedDefinition.danish(kind)) '\(name)' bruges kun af "
                        + names.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
                        + (names.count > 3 ? " og \(names.count - 3) andre" : "")
                        + ", som intet udfald afhænger af",
                    at: span)
            }
        }
    }

    /// A kind of definition in Danish, in the definite form: `inputtet`, `parameteren`.
    static func danish(_ kind: String) -> String {
        switch kind {
        case "input": "inputtet"
        case "parameter": "parameteren"
        case "value": "værdien"
        case "criterion": "kriteriet"
        default: kind
        }
    }

    static func name(of owner: UsageAnalysis.Owner, in ruleSet: RuleSet) -> String {
        switch owner {
        case .input(let index): ruleSet.inputs[index].name
        case .parameter(let index): ruleSet.parameters[index].name
        case .value(let index): ruleSet.values[index].name
        case .criterion(let index): ruleSet.criteria[index].name
        case .outcome(let index): ruleSet.outcomes[index].name
        }
    }
}
