import SoeLanguage

/// L201: a threshold outside the range its unit allows: a percent above 100 or below 0, a
/// negative amount, a count with a fraction.
struct ThresholdOutOfRange: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L201",
        name: "ThresholdOutOfRange",
        severity: .warning,
        summary: "a threshold outside the range its unit allows",
        whatItDoes: """
            Looks at the numbers a formula is compared with (literals such as `150 %` and the values of \
            parameters) and reports those outside the natural range of their unit: a percent above \
            100 % or below 0 %, a negative amount of money, and a fraction compared with a count \
            (`employees >= 2.5`).

            A threshold is not reported when the other side of the comparison can really go there: an \
            input with no `max` (an annual return may be 150 %) or no `min` (a profit may be \
            -100.000 kr), or a sum of such inputs. A ratio (`a / b`) is taken to be a share, between \
            0 % and 100 %. A parameter is exempt only when every place that compares with it is.
            """,
        whyItMatters: """
            A share above 100 % is never reached and a negative amount is never undercut, so the test \
            is decided before any firm is seen; a count of 2.5 employees means 3 in practice. Each is \
            usually a typing slip (`150 %` for `15 %`, `-` left from a copied formula) that changes \
            who qualifies.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input market_sales: money "Omsætning fra salg" min 0 kr
            input total_income: money "Samlede indtægter" min 0 kr

            value market_share "Andel fra salg" =
              if total_income = 0 kr then 0 % else market_sales / total_income

            criterion commercial "Erhvervsdrivende"
              cite "§ 5, stk. 1, nr. 2"
              = market_share >= 150 %

            classify
              soe "Socialøkonomisk virksomhed" when commercial
              otherwise ordinary "Ordinær virksomhed"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input market_sales: money "Omsætning fra salg" min 0 kr
            input total_income: money "Samlede indtægter" min 0 kr

            value market_share "Andel fra salg" =
              if total_income = 0 kr then 0 % else market_sales / total_income

            criterion commercial "Erhvervsdrivende"
              cite "§ 5, stk. 1, nr. 2"
              = market_share >= 15 %

            classify
              soe "Socialøkonomisk virksomhed" when commercial
              otherwise ordinary "Ordinær virksomhed"
            """),
        limits: """
            A parameter used only in arithmetic (`dividend_cap * profit_after_tax`) is checked against \
            its unit alone. Percent values between 0 % and 1 % that look like a fraction typed as a \
            percent are `L202`.
            """,
        related: ["L202", "E205"],
        danishSummary: "en tærskel uden for det område, dens enhed tillader")

    func check(_ context: LintContext) {
        let ruleSet = context.ruleSet
        var ranges = context.conditions.ranges
        // For each parameter: the other sides it is compared with, and whether it is used otherwise.
        var comparedWith: [Int: [Int32]] = [:]
        for node in ruleSet.nodes where Relation(node.op) != nil {
            guard ruleSet.nodes[Int(node.a)].type.isNumeric else { continue }
            for (side, other) in [(node.a, node.b), (node.b, node.a)] {
                let sideNode = ruleSet.nodes[Int(side)]
                if sideNode.op == .parameter {
                    comparedWith[Int(sideNode.a), default: []].append(other)
                    continue
                }
                guard let value = ThresholdOutOfRange.literalValue(side, in: ruleSet) else { continue }
                let otherType = ruleSet.nodes[Int(other)].type
                guard let problem = ThresholdOutOfRange.problem(value, type: sideNode.type, comparedType: otherType),
                    !ThresholdOutOfRange.isExempt(problem, other: other, ranges: &ranges)
                else { continue }
                context.report(
                    ThresholdOutOfRange.self,
                    "the threshold '\(context.text(ofNode: side))' for '\(context.text(ofNode: other))' \(problem.message)",
                    da: "tærsklen '\(context.text(ofNode: side))' for '\(context.text(ofNode: other))' \(problem.danish)",
                    at: context.span(ofNode: side))
            }
        }
        for (index, parameter) in ruleSet.parameters.enumerated() where parameter.type.isNumeric {
            let sites = comparedWith[index] ?? []
            let uses = context.usage.references[.parameter(index)]?.count ?? 0
            let comparedTypes = Set(sites.map { ruleSet.nodes[Int($0)].type })
            for dated in parameter.values {
                guard case .number(let value) = dated.value else { continue }
                let problems = (comparedTypes.isEmpty ? [ValueType.number] : Array(comparedTypes)).compactMap {
                    ThresholdOutOfRange.problem(value, type: parameter.type, comparedType: $0)
                }
                guard let problem = problems.first else { continue }
                let exempt =
                    uses > 0 && sites.count == uses
                    && sites.allSatisfy { ThresholdOutOfRange.isExempt(problem, other: $0, ranges: &ranges) }
                if exempt { continue }
                context.report(
                    ThresholdOutOfRange.self,
                    "the parameter '\(parameter.name)' is \(formatted(value, as: parameter.type)), which \(problem.message)",
                    da: "parameteren '\(parameter.name)' er \(formatted(value, as: parameter.type)), hvilket \(problem.danish)",
                    at: dated.span)
            }
        }
    }

    /// What is wrong with a threshold.
    enum Problem {
        case aboveWhole, belowZeroPercent, negativeAmount, fractionalCount

        var message: String {
            switch self {
            case .aboveWhole: "is above 100 %, more than the whole"
            case .belowZeroPercent: "is a negative percent"
            case .negativeAmount: "is a negative amount"
            case .fractionalCount: "is not a whole number, but a count is"
            }
        }

        /// The same in Danish.
        var danish: String {
            switch self {
            case .aboveWhole: "er over 100 %, mere end det hele"
            case .belowZeroPercent: "er en negativ procent"
            case .negativeAmount: "er et negativt beløb"
            case .fractionalCount: "er ikke et helt tal, men det er et antal"
            }
        }
    }

    static func problem(_ value: Exact, type: ValueType, comparedType: ValueType) -> Problem? {
        if comparedType == .count && !value.isInteger { return .fractionalCount }
        switch type {
        case .percent:
            if Exact.one < value { return .aboveWhole }
            if value.isNegative { return .belowZeroPercent }
        case .money:
            if value.isNegative { return .negativeAmount }
        default:
            break
        }
        return nil
    }

    /// Whether the other side of the comparison can really take such a value.
    static func isExempt(_ problem: Problem, other: Int32, ranges: inout RangeAnalysis) -> Bool {
        guard let range = ranges.range(of: other) else { return false }
        switch problem {
        case .aboveWhole: return range.upper.map { Exact.one < $0 } ?? true
        case .belowZeroPercent, .negativeAmount: return range.lower.map { $0.isNegative } ?? true
        case .fractionalCount: return false
        }
    }

    /// The value of a number literal, possibly negated.
    static func literalValue(_ index: Int32, in ruleSet: RuleSet) -> Exact? {
        let node = ruleSet.nodes[Int(index)]
        switch node.op {
        case .constant:
            if case .number(let value) = ruleSet.constant(of: node) { return value }
            return nil
        case .negate:
            return literalValue(node.a, in: ruleSet).flatMap { $0.negated() }
        case .input, .parameter, .value, .criterion, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual,
            .greater, .greaterEqual, .and, .or, .member, .ifThenElse, .minimum, .maximum, .isKnown:
            return nil
        }
    }
}
