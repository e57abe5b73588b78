import SoeLanguage

/// L506: a parameter value without a `from` date written after a dated value of the same parameter.
struct UndatedValueAfterDated: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L506",
        name: "UndatedValueAfterDated",
        severity: .error,
        summary: "a parameter value without a `from` date written after a dated one",
        whatItDoes: """
            Reports a value with no `from` date (and no `until`) that the rule file writes below a \
            value of the same parameter that has one. A value without a `from` date counts as starting \
            before every dated value, wherever it is written: it applies only on the days no dated value \
            covers. When every day the rule set is in force is covered, the value is never used, and \
            the finding is an error; otherwise it is a warning that names the first day it applies.
            """,
        whyItMatters: """
            A value written below another reads as the one that replaces it, the way a change is \
            written (`= 50 % from 2019-01-01`, then `= 40 % from 2025-01-01`). Without its date, the new \
            value does not replace the old one: the evaluator keeps the dated value, and the threshold a \
            reader sees last in the file is not the one applied. Give the value the day it starts, or, if \
            it is the value that applied before the dated ones, write it above them.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input dividend_share: percent "Udbytte i forhold til resultat efter skat"

            parameter dividend_cap: percent "Højeste udbytte"
              law "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = 35 % from 2015-01-01
              = 30 %

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
              = 30 % from 2025-01-01

            classify
              limited "Begrænset udbytte" when dividend_share <= dividend_cap
              otherwise unlimited "Ubegrænset udbytte"
            """),
        related: ["L502", "L503"],
        danishSummary: "en parameterværdi uden 'from'-dato skrevet efter en dateret værdi")

    func check(_ context: LintContext) {
        for parameter in context.ruleSet.parameters {
            // In the order the file writes them; inherited values are their own file's matter.
            let written = parameter.values.sorted { $0.span.range.lowerBound < $1.span.range.lowerBound }
            guard let firstStart = parameter.values.compactMap(\.from).min() else { continue }
            var dated: DatedValue?
            for value in written {
                guard value.from == nil, value.until == nil else {
                    if dated == nil { dated = value }
                    continue
                }
                guard let above = dated, value.span.file.path == above.span.file.path else { continue }
                let english = ValueFormatter(language: .english, choiceSets: [])
                let danish = ValueFormatter(language: .danish, choiceSets: [])
                let shown = english.format(value.value, as: parameter.type)
                let vist = danish.format(value.value, as: parameter.type)
                let line = above.span.start.line
                // The value as the file writes it (`= 40 %`), for the fix.
                let source = value.span.file.text(value.span.range).trimmingSpaces()
                // The first day the rule set is in force that no dated value covers: the value is
                // used there (`ParameterDefinition.value(on:)`), and on no day when there is none.
                let uncovered = UndatedValueAfterDated.firstUncoveredDay(parameter, from: context.ruleSet.inForceFrom)
                let inForceUntil = context.ruleSet.inForceUntil
                let neverUsed =
                    context.ruleSet.inForceFrom != nil && (uncovered.map { day in inForceUntil.map { $0 < day } ?? false } ?? true)
                let inForce = context.ruleSet.inForceFrom.map { "\($0)" } ?? ""
                let when: (String, String)
                if neverUsed {
                    when = (
                        ", and every day the rule set is in force (from \(inForce)) is covered, so it is never used",
                        ", og hver dag, regelsættet gælder (fra \(inForce)), er dækket, så den bruges aldrig"
                    )
                } else if context.ruleSet.inForceFrom != nil, let day = uncovered {
                    when = (", the first of them in force being \(day)", ", den første af dem i kraft er \(day)")
                } else {
                    when = (", such as the days before \(firstStart)", ", fx dagene før \(firstStart)")
                }
                context.report(
                    UndatedValueAfterDated.self,
                    "this value of the parameter '\(parameter.name)', \(shown), has no 'from' date, so it does not replace the value on line \(line): it applies only on days no dated value covers"
                        + when.0
                        + "; give it the day it starts (\(source) from DATE), or write it above the dated values if it is the value before them",
                    da:
                        "denne værdi af parameteren '\(parameter.name)', \(vist), har ingen 'from'-dato, så den afløser ikke værdien i linje \(line): den gælder kun på dage, ingen dateret værdi dækker"
                        + when.1
                        + "; giv den dagen, den gælder fra (\(source) from DATO), eller skriv den over de daterede værdier, hvis det er værdien før dem",
                    at: value.span, severity: neverUsed ? .error : .warning,
                    notes: [DiagnosticNote(message: "the dated value is here", danish: "den daterede værdi står her", span: above.span)])
            }
        }
    }

    /// The first day from `start` that no value with a `from` date covers; nil when every day
    /// from `start` on is covered. Without a `start`, the day before the first dated value starts
    /// (the days before it are not covered).
    static func firstUncoveredDay(_ parameter: ParameterDefinition, from start: Day?) -> Day? {
        let dated = ValuePeriods(parameter, datedOnly: true)
        guard let day = start ?? dated.values.first?.from?.previous else { return nil }
        return dated.firstUncovered(onOrAfter: day)
    }
}
