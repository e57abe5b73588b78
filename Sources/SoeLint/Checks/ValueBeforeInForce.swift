import SoeLanguage

/// L503: a parameter value dated before the rule set comes into force.
struct ValueBeforeInForce: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L503",
        name: "ValueBeforeInForce",
        severity: .note,
        summary: "a parameter value dated before the rule set comes into force",
        whatItDoes: """
            Compares the `from` date of each value written in a rule file with the `in force from` \
            date of that file's rule set, and reports values that start earlier, or that end before the \
            rule set comes into force at all. Values inherited from a rule set this one builds on are \
            compared with their own rule set's date, when that one is linted.
            """,
        whyItMatters: """
            No firm is classified under a rule set before it is in force, so the earlier part of the \
            period is never used. A value that ends before the rule set starts is never used at all. \
            Either the date of the value or the date of the rule set is wrong, and an auditor comparing \
            the rule file with the law will stop at it.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input dividend_share: percent "Udbytte i forhold til resultat efter skat"

            parameter dividend_cap: percent "Højeste udbytte"
              law "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = 35 % from 2014-06-25

            classify
              limited "Begrænset udbytte" when dividend_share <= dividend_cap
              otherwise unlimited "Ubegrænset udbytte"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input dividend_share: percent "Udbytte i forhold til resultat efter skat"

            parameter dividend_cap: percent "Højeste udbytte"
              law "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = 35 % from 2015-01-01

            classify
              limited "Begrænset udbytte" when dividend_share <= dividend_cap
              otherwise unlimited "Ubegrænset udbytte"
            """),
        limits: """
            A note: dating a value from the day the law was passed rather than the day it took effect \
            is harmless for the result. A rule set without `in force from` is not checked.
            """,
        related: ["L504"],
        danishSummary: "en parameterværdi dateret før regelsættet træder i kraft")

    func check(_ context: LintContext) {
        guard let inForce = context.ruleSet.inForceFrom, let leaf = context.leafFile else { return }
        for parameter in context.ruleSet.parameters {
            for value in parameter.values where value.span.file.path == leaf.path {
                guard let from = value.from, from < inForce else { continue }
                if let until = value.until, until < inForce {
                    context.report(
                        ValueBeforeInForce.self,
                        "this value of the parameter '\(parameter.name)' ends on \(until), before the rule set is in force (\(inForce)), so it is never used",
                        da:
                            "denne værdi af parameteren '\(parameter.name)' slutter \(until), før regelsættet træder i kraft (\(inForce)), så den bruges aldrig",
                        at: value.span)
                } else {
                    context.report(
                        ValueBeforeInForce.self,
                        "this value of the parameter '\(parameter.name)' starts on \(from), before the rule set is in force (\(inForce))",
                        da: "denne værdi af parameteren '\(parameter.name)' begynder \(from), før regelsættet træder i kraft (\(inForce))",
                        at: value.span)
                }
            }
        }
    }
}
