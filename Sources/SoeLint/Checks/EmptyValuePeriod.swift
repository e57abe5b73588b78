import SoeLanguage

/// L505: a parameter value whose `until` date is before its `from` date.
struct EmptyValuePeriod: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L505",
        name: "EmptyValuePeriod",
        severity: .error,
        summary: "a parameter value that ends before it starts",
        whatItDoes: """
            Reports a dated value written as `from A until B` with B before A. Such a value applies on \
            no day at all.
            """,
        whyItMatters: """
            The value is silently ignored by the evaluator, so the threshold a reader sees in the file \
            is not the one applied; the intended period is usually a swapped pair of dates or a year \
            typed wrong. An error, as a rule set's own period written so is (E217): `soe check` and \
            `soe evaluate` refuse the file until the dates are put right.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input dividend_share: percent "Udbytte i forhold til resultat efter skat"

            parameter dividend_cap: percent "Højeste udbytte"
              law "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = 35 % from 2015-01-01 until 2014-12-31
              = 35 % from 2015-01-01

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
              = 35 % from 2015-01-01 until 2024-12-31
              = 35 % from 2025-01-01

            classify
              limited "Begrænset udbytte" when dividend_share <= dividend_cap
              otherwise unlimited "Ubegrænset udbytte"
            """),
        related: ["L501", "L502"],
        danishSummary: "en parameterværdi, der slutter, før den begynder")

    func check(_ context: LintContext) {
        for parameter in context.ruleSet.parameters {
            for value in parameter.values {
                guard let from = value.from, let until = value.until, until < from else { continue }
                context.report(
                    EmptyValuePeriod.self,
                    "this value of the parameter '\(parameter.name)' ends on \(until), before it starts on \(from), so it never applies; swap the dates or correct the wrong one",
                    da:
                        "denne værdi af parameteren '\(parameter.name)' slutter \(until), før den begynder \(from), så den gælder aldrig; byt om på datoerne, eller ret den forkerte",
                    at: value.span)
            }
        }
    }
}
