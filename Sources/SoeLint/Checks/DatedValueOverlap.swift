import SoeLanguage

/// L502: two values of a parameter whose written periods overlap.
struct DatedValueOverlap: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L502",
        name: "DatedValueOverlap",
        severity: .error,
        summary: "two values of a parameter whose written periods overlap",
        whatItDoes: """
            Reports two values of one parameter that start on the same day (or both have no `from`), \
            and a value whose `until` date reaches past the start of a later value. A value with no \
            `until` followed by a later value is the normal way to write a change and is not reported: \
            it lasts until the later value starts. Two different values from the same day are an \
            error, which `soe check` refuses, naming the one the evaluator would use; the other \
            overlaps are warnings.
            """,
        whyItMatters: """
            The evaluator resolves an overlap by a rule (the value with the latest start wins; between \
            two with the same start, the order in the file decides), but the rule file then says two \
            things about the same days. An auditor reading `= 35 % … until 2019-12-31` will believe \
            35 % applied in 2019 when it did not.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input dividend_share: percent "Udbytte i forhold til resultat efter skat"

            parameter dividend_cap: percent "Højeste udbytte"
              law "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = 35 % from 2015-01-01 until 2019-12-31
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
              = 35 % from 2015-01-01 until 2018-12-31
              = 30 % from 2019-01-01

            classify
              limited "Begrænset udbytte" when dividend_share <= dividend_cap
              otherwise unlimited "Ubegrænset udbytte"
            """),
        related: ["L501", "L505"],
        danishSummary: "to værdier af en parameter, hvis skrevne perioder overlapper")

    func check(_ context: LintContext) {
        for parameter in context.ruleSet.parameters {
            let values = ValuePeriods(parameter).values
            for (position, earlier) in values.enumerated() {
                for later in values.dropFirst(position + 1) {
                    if earlier.from == later.from {
                        let start = earlier.from.map { "from \($0)" } ?? "without a 'from' date"
                        let fra = earlier.from.map { "fra \($0)" } ?? "uden en 'from'-dato"
                        let english = ValueFormatter(language: .english, choiceSets: [])
                        let danish = ValueFormatter(language: .danish, choiceSets: [])
                        let same = english.format(earlier.value, as: parameter.type) == english.format(later.value, as: parameter.type)
                        // The one the evaluator takes on that day (`ParameterDefinition.value(on:)`), of all
                        // the parameter's values, named by its line.
                        let day = earlier.from ?? Day(year: 1, month: 1, day: 1)!
                        let used = parameter.value(on: day) ?? later
                        let line = used.span.start.line
                        context.report(
                            DatedValueOverlap.self,
                            same
                                ? "two values of the parameter '\(parameter.name)' both apply \(start), and are the same; delete one"
                                : "two values of the parameter '\(parameter.name)' both apply \(start) (\(english.format(earlier.value, as: parameter.type)) and \(english.format(later.value, as: parameter.type))): the value on line \(line), \(english.format(used.value, as: parameter.type)), is used; delete the one that does not apply, or give them periods of their own",
                            da: same
                                ? "to værdier af parameteren '\(parameter.name)' gælder begge \(fra) og er ens; slet den ene"
                                : "to værdier af parameteren '\(parameter.name)' gælder begge \(fra) (\(danish.format(earlier.value, as: parameter.type)) og \(danish.format(later.value, as: parameter.type))): værdien i linje \(line), \(danish.format(used.value, as: parameter.type)), bruges; slet den, der ikke gælder, eller giv dem hver sin periode",
                            at: later.span, severity: same ? .warning : .error,
                            notes: [
                                DiagnosticNote(message: "the other value is here", danish: "den anden værdi står her", span: earlier.span)
                            ])
                    } else if let until = earlier.until, let from = later.from, !(until < from) {
                        // The evaluator's rule is plain here (the later start wins): a warning.
                        context.report(
                            DatedValueOverlap.self,
                            "this value of the parameter '\(parameter.name)' is written to last until \(until), but a later value starts on \(from) and replaces it",
                            da:
                                "denne værdi af parameteren '\(parameter.name)' skal efter teksten gælde til \(until), men en senere værdi begynder \(from) og afløser den",
                            at: earlier.span, severity: .warning,
                            notes: [
                                DiagnosticNote(message: "the later value is here", danish: "den senere værdi står her", span: later.span)
                            ])
                    }
                }
            }
        }
    }
}
