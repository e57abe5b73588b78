import SoeLanguage

/// L501: days between two periods of a parameter's values on which no value applies.
struct DatedValueGap: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L501",
        name: "DatedValueGap",
        severity: .warning,
        summary: "days between two periods of a parameter's values on which no value applies",
        whatItDoes: """
            Puts a parameter's dated values on a calendar and reports the days between two periods \
            that no value covers: a value that ends (`until`) on 2017-12-31 and the next that starts \
            (`from`) on 2019-01-01 leave 2018 without a value. A value with no `until` lasts until the \
            next one starts, so it never leaves a gap.
            """,
        whyItMatters: """
            For a fiscal year that closes inside the gap the parameter has no value: every test that \
            uses it is undecided and the firm's result is "undetermined", with a problem an auditor \
            will have to explain. It is usually an `until` date typed for the wrong year.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input dividend_share: percent "Udbytte i forhold til resultat efter skat"

            parameter dividend_cap: percent "Højeste udbytte"
              law "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = 35 % from 2015-01-01 until 2017-12-31
              = 30 % from 2019-01-01

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
              = 30 % from 2019-01-01

            classify
              limited "Begrænset udbytte" when dividend_share <= dividend_cap
              otherwise unlimited "Ubegrænset udbytte"
            """),
        limits: """
            Days before the first value and after the last one are the rule set's period, not a gap \
            between values: see `L504`.
            """,
        related: ["L502", "L504"],
        danishSummary: "dage mellem to perioder af en parameters værdier, hvor ingen værdi gælder")

    func check(_ context: LintContext) {
        for parameter in context.ruleSet.parameters {
            let periods = ValuePeriods(parameter)
            for gap in periods.gaps {
                let period = gap.first == gap.last ? "on \(gap.first)" : "from \(gap.first) to \(gap.last)"
                let periode = gap.first == gap.last ? "den \(gap.first)" : "fra \(gap.first) til \(gap.last)"
                let next = gap.last.next.flatMap { periods.value(startingOn: $0) }
                var notes: [DiagnosticNote] = []
                if let before = periods.value(endingBefore: gap.first) {
                    notes.append(
                        DiagnosticNote(
                            message: "the value before the gap ends on \(gap.first.previous.map { "\($0)" } ?? "?")",
                            danish: "værdien før hullet slutter den \(gap.first.previous.map { "\($0)" } ?? "?")",
                            span: before.span))
                }
                context.report(
                    DatedValueGap.self,
                    "the parameter '\(parameter.name)' has no value \(period), between two of its periods",
                    da: "parameteren '\(parameter.name)' har ingen værdi \(periode), mellem to af sine perioder",
                    at: next?.span ?? parameter.span, notes: notes)
            }
        }
    }
}
