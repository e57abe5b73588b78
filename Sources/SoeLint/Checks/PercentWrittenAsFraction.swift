import SoeLanguage

/// L202: a percent that looks like a fraction written with a percent sign: `0.5 %` for 50 %.
struct PercentWrittenAsFraction: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L202",
        name: "PercentWrittenAsFraction",
        severity: .warning,
        summary: "a percent that looks like a fraction written with a percent sign, such as `0.5 %` for 50 %",
        whatItDoes: """
            The checker already rejects a bare number where a percent belongs (`share >= 50`, `E205`). \
            It cannot reject `0.5 %`, which is a valid percent: half of one percent. This check reports \
            the unit slips it accepts:

            - a percent literal in a formula, or a percent parameter value, above 0 % and below 1 % \
            (`0.5 %`, `0.35 %`), which is how a fraction (0.5, 0.35) reads when a percent sign is \
            added to it;
            - a percent input declared with `max 1 %`, which suggests that its author thinks of \
            shares as fractions from 0 to 1, while firm data gives percents in percentage points \
            (`50` means 50 %).
            """,
        whyItMatters: """
            Spreadsheets and statistics give shares as fractions (0.35), the law and the rule language \
            as percents (35 %). A threshold of `0.35 %` instead of `35 %` lets almost every firm through \
            a test meant to stop most of them, and nothing in the trace looks wrong at a glance.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input profit_after_tax: money "Resultat efter skat"
            input dividend: money "Udbytte" min 0 kr

            parameter dividend_cap: percent "Højeste udbytte i forhold til resultat efter skat"
              law "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = 0.35 % from 2015-01-01

            criterion limited_dividend "Begrænset udbytte"
              cite "§ 5, stk. 2"
              = dividend <= max(0 kr, dividend_cap * profit_after_tax)

            classify
              soe "Socialøkonomisk virksomhed" when limited_dividend
              otherwise ordinary "Ordinær virksomhed"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input profit_after_tax: money "Resultat efter skat"
            input dividend: money "Udbytte" min 0 kr

            parameter dividend_cap: percent "Højeste udbytte i forhold til resultat efter skat"
              law "Lov nr. 711 af 25. juni 2014, § 5, stk. 2"
              = 35 % from 2015-01-01

            criterion limited_dividend "Begrænset udbytte"
              cite "§ 5, stk. 2"
              = dividend <= max(0 kr, dividend_cap * profit_after_tax)

            classify
              soe "Socialøkonomisk virksomhed" when limited_dividend
              otherwise ordinary "Ordinær virksomhed"
            """),
        limits: """
            A threshold below one percent can be meant (a tolerance of 0.5 %); suppress the finding \
            with the reason. No fix is offered, because which number was meant is not certain.
            """,
        related: ["E205", "L201"],
        danishSummary: "en procent, der ligner en brøk skrevet med procenttegn, fx `0.5 %` for 50 %")

    func check(_ context: LintContext) {
        let ruleSet = context.ruleSet
        for (index, node) in ruleSet.nodes.enumerated() where node.op == .constant && node.type == .percent {
            guard case .number(let value) = ruleSet.constant(of: node), PercentWrittenAsFraction.looksLikeFraction(value) else { continue }
            let written = context.text(ofNode: Int32(index))
            context.report(
                PercentWrittenAsFraction.self,
                "'\(written)' is less than one percent; if the fraction \(PercentWrittenAsFraction.points(value)) is meant, write '\(PercentWrittenAsFraction.meant(value))'",
                da:
                    "'\(written)' er mindre end én procent; hvis brøken \(PercentWrittenAsFraction.points(value)) er ment, så skriv '\(PercentWrittenAsFraction.meant(value))'",
                at: context.span(ofNode: Int32(index)))
        }
        for parameter in ruleSet.parameters where parameter.type == .percent {
            for dated in parameter.values {
                guard case .number(let value) = dated.value, PercentWrittenAsFraction.looksLikeFraction(value) else { continue }
                context.report(
                    PercentWrittenAsFraction.self,
                    "the parameter '\(parameter.name)' is \(formatted(value, as: .percent)), less than one percent; if the fraction \(PercentWrittenAsFraction.points(value)) is meant, write '\(PercentWrittenAsFraction.meant(value))'",
                    da:
                        "parameteren '\(parameter.name)' er \(formatted(value, as: .percent)), mindre end én procent; hvis brøken \(PercentWrittenAsFraction.points(value)) er ment, så skriv '\(PercentWrittenAsFraction.meant(value))'",
                    at: dated.span)
            }
        }
        for input in ruleSet.inputs where input.type == .percent {
            guard let maximum = input.maximum, !maximum.isNegative, !maximum.isZero,
                !(Exact(numerator: 1, denominator: 100).map { $0 < maximum } ?? true)
            else { continue }
            context.report(
                PercentWrittenAsFraction.self,
                "the input '\(input.name)' is a percent with max \(formatted(maximum, as: .percent)); firm data gives percents in percentage points (50 means 50 %), so 'max 100 %' is probably meant",
                da:
                    "inputtet '\(input.name)' er en procent med max \(formatted(maximum, as: .percent)); virksomhedsdata angiver procenter i procentpoint (50 betyder 50 %), så der menes sandsynligvis 'max 100 %'",
                at: input.span)
        }
    }

    /// Above 0 % and below 1 %.
    static func looksLikeFraction(_ value: Exact) -> Bool {
        guard let onePercent = Exact(numerator: 1, denominator: 100) else { return false }
        return Exact.zero < value && value < onePercent
    }

    /// The number as written before the percent sign: 0.35 for 0.35 %.
    static func points(_ value: Exact) -> String {
        (value.multiplying(Exact(integer: 100)) ?? value).exactText()
    }

    /// What the author probably meant: the written number as a fraction, in percent.
    static func meant(_ value: Exact) -> String {
        formatted(value.multiplying(Exact(integer: 100)) ?? value, as: .percent)
    }
}
