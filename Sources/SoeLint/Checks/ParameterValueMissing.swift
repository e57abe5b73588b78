import SoeLanguage

/// L504: a parameter with no value for part of the period the rule set is in force.
struct ParameterValueMissing: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L504",
        name: "ParameterValueMissing",
        severity: .warning,
        summary: "a parameter with no value for part of the period the rule set is in force",
        whatItDoes: """
            Compares the days a parameter's values cover with the period the rule set claims to cover \
            (`in force from … until …`): reports a first value that starts after the rule set comes into \
            force, and a last value that ends (`until`) while the rule set is still in force. Gaps \
            between two values are `L501`. In a rule set that builds on another, inherited values are \
            compared with the period of the rule set being linted.
            """,
        whyItMatters: """
            A rule set in force from 2015 promises a decision for the fiscal year 2015. If a threshold \
            only has a value from 2016, every firm whose year closes in 2015 gets "undetermined", with a \
            "no parameter value" problem that no caseworker can fix by supplying data.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input dividend_share: percent "Udbytte i forhold til resultat efter skat"

            parameter dividend_cap: percent "Højeste udbytte"
              law "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = 35 % from 2016-01-01

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
        limits: "A rule set without `in force from` claims no start, so only the end is checked.",
        related: ["L501", "L503"],
        danishSummary: "en parameter uden værdi i en del af den periode, regelsættet gælder")

    func check(_ context: LintContext) {
        let ruleSet = context.ruleSet
        for parameter in ruleSet.parameters {
            let coverage = ValuePeriods(parameter).coverage
            guard let first = coverage.first, let last = coverage.last else { continue }
            if let start = ruleSet.inForceFrom, let firstDay = first.from, start < firstDay {
                let end = firstDay.previous.map { "\($0)" } ?? "?"
                if let until = ruleSet.inForceUntil, until < firstDay {
                    context.report(
                        ParameterValueMissing.self,
                        "the parameter '\(parameter.name)' has no value while the rule set is in force (\(start) to \(until))",
                        da: "parameteren '\(parameter.name)' har ingen værdi, mens regelsættet gælder (\(start) til \(until))",
                        at: parameter.span)
                    continue
                }
                context.report(
                    ParameterValueMissing.self,
                    "the rule set is in force from \(start), but the parameter '\(parameter.name)' has no value from \(start) to \(end)",
                    da: "regelsættet gælder fra \(start), men parameteren '\(parameter.name)' har ingen værdi fra \(start) til \(end)",
                    at: parameter.span,
                    notes: parameter.values.first.map {
                        [
                            DiagnosticNote(
                                message: "its first value starts on \(firstDay)", danish: "dens første værdi begynder \(firstDay)",
                                span: $0.span)
                        ]
                    }
                        ?? [])
            }
            if let lastDay = last.until {
                if let until = ruleSet.inForceUntil, !(lastDay < until) { continue }
                if let start = ruleSet.inForceFrom, lastDay < start {
                    context.report(
                        ParameterValueMissing.self,
                        "the rule set is in force from \(start), but every value of the parameter '\(parameter.name)' ends before that, the last on \(lastDay)",
                        da:
                            "regelsættet gælder fra \(start), men alle værdier af parameteren '\(parameter.name)' slutter før, den sidste \(lastDay)",
                        at: parameter.span)
                    continue
                }
                let claim = ruleSet.inForceUntil.map { "until \($0)" } ?? "with no end date"
                let periode = ruleSet.inForceUntil.map { "til \($0)" } ?? "uden slutdato"
                context.report(
                    ParameterValueMissing.self,
                    "the rule set is in force \(claim), but the parameter '\(parameter.name)' has no value after \(lastDay)",
                    da: "regelsættet gælder \(periode), men parameteren '\(parameter.name)' har ingen værdi efter \(lastDay)",
                    at: parameter.span)
            }
        }
    }
}
