import SoeLanguage

/// L204: a formula of constants and parameters whose value is beyond the range the engine
/// computes exactly, so that no firm whose result needs it can be decided.
struct ConstantOutOfRange: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L204",
        name: "ConstantOutOfRange",
        severity: .error,
        summary: "a formula of constants and parameters whose value is beyond the range computed exactly",
        whatItDoes: """
            Computes every part of a formula that reads no input (constants, parameters and the \
            values made of them) with each parameter's values, date by date, and reports the \
            smallest part whose value the engine cannot hold exactly: a sum, product or quotient \
            whose numerator or denominator passes about 1.7 × 10^38.
            """,
        whyItMatters: """
            The engine computes with exact fractions and never rounds a decision: a number it cannot \
            hold is no number. A threshold such as `99999999999999999999 kr * 99999999999999999999` \
            (a digit pasted twice, an amount in øre multiplied as kroner) leaves every firm whose \
            result needs it undetermined, whatever its data, though `soe check` found nothing wrong.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input turnover: money "Omsætning" min 0 kr

            value limit "Grænse" = 99999999999999999999 kr * 99999999999999999999

            classify
              large "Stor virksomhed" when turnover > limit
              otherwise small "Lille virksomhed"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input turnover: money "Omsætning" min 0 kr

            value limit "Grænse" = 100000 kr * 1000

            classify
              large "Stor virksomhed" when turnover > limit
              otherwise small "Lille virksomhed"
            """),
        limits: """
            Only parts that read no input are computed; a formula that overflows for some firms' \
            data shows in their traces ("the number is outside the exact range"). A parameter's \
            values are combined date by date: at each day one of them starts, and with the values \
            that have no date. A division by zero is not this check's finding.
            """,
        danishSummary: "en formel af konstanter og parametre, hvis værdi ligger uden for det område, der regnes eksakt")

    func check(_ context: LintContext) {
        let ruleSet = context.ruleSet
        var found: Set<Int32> = []
        for day in Self.days(ruleSet) {
            var fold = ConstantFold(ruleSet: ruleSet, day: day)
            for index in ruleSet.nodes.indices { _ = fold.value(Int32(index)) }
            found.formUnion(fold.overflows)
            // Without a part that computes with a parameter, every day gives the same values.
            if !fold.computesWithParameter { break }
        }
        for node in found.sorted() {
            let text = context.text(ofNode: node)
            context.report(
                ConstantOutOfRange.self,
                "'\(text)' is beyond the range the engine computes exactly, so no firm whose result needs it can be decided",
                da:
                    "'\(text)' ligger uden for det område, motoren regner eksakt, så ingen virksomhed, hvis resultat afhænger af den, kan afgøres",
                at: context.span(ofNode: node),
                notes: [
                    DiagnosticNote(
                        message: "check its numbers: a digit too many, or an amount in øre used as kroner?",
                        danish: "tjek tallene: et ciffer for meget, eller et beløb i øre brugt som kroner?", span: nil)
                ])
        }
    }

    /// The days whose parameter values are combined: each day a dated value starts, and nil for
    /// the values without a date (or, for a parameter with none, its first).
    static func days(_ ruleSet: RuleSet) -> [Day?] {
        var days: Set<Day> = []
        for parameter in ruleSet.parameters {
            for value in parameter.values { if let from = value.from { days.insert(from) } }
        }
        return [nil] + days.sorted().map { Optional($0) }
    }
}

/// The exact value of each node that reads no input, on one day: nil for a node that reads an
/// input (or a criterion, a comparison, a condition) or whose value could not be made.
struct ConstantFold {
    let ruleSet: RuleSet
    let day: Day?
    /// Per node: 0 not yet computed (or being computed), 1 a value in `values`, 2 none.
    private var state: [UInt8]
    private var values: [Exact]
    /// Per node: whether its value reads a parameter.
    private var readsParameter: [Bool]
    /// The nodes whose parts have values and whose own value is beyond the exact range.
    private(set) var overflows: Set<Int32> = []
    /// Whether an operation had values for its parts and one of them read a parameter.
    private(set) var computesWithParameter = false

    init(ruleSet: RuleSet, day: Day?) {
        self.ruleSet = ruleSet
        self.day = day
        state = Array(repeating: 0, count: ruleSet.nodes.count)
        values = Array(repeating: .zero, count: ruleSet.nodes.count)
        readsParameter = Array(repeating: false, count: ruleSet.nodes.count)
    }

    mutating func value(_ index: Int32) -> Exact? {
        let at = Int(index)
        switch state[at] {
        case 1: return values[at]
        case 2: return nil
        default: break
        }
        state[at] = 2
        guard let made = compute(index) else { return nil }
        values[at] = made
        state[at] = 1
        return made
    }

    private mutating func compute(_ index: Int32) -> Exact? {
        let node = ruleSet.nodes[Int(index)]
        switch node.op {
        case .constant:
            guard case .number(let value) = ruleSet.constants[Int(node.a)] else { return nil }
            return value
        case .parameter:
            guard case .number(let value)? = parameterValue(ruleSet.parameters[Int(node.a)]) else { return nil }
            readsParameter[Int(index)] = true
            return value
        case .value:
            let root = ruleSet.values[Int(node.a)].root
            let made = value(root)
            readsParameter[Int(index)] = readsParameter[Int(root)]
            return made
        case .negate:
            guard let operand = value(node.a) else { return nil }
            return checked(operand.negated(), at: index)
        case .add, .subtract, .multiply, .divide:
            guard let left = value(node.a), let right = value(node.b) else { return nil }
            switch node.op {
            case .add: return checked(left.adding(right), at: index)
            case .subtract: return checked(left.subtracting(right), at: index)
            case .multiply: return checked(left.multiplying(right), at: index)
            default:
                // A division by zero is not an overflow.
                if right.isZero { return nil }
                return checked(left.dividing(right), at: index)
            }
        case .minimum, .maximum:
            var best: Exact?
            for child in NodeWalk.children(of: index, in: ruleSet) {
                guard let next = value(child) else { return nil }
                if readsParameter[Int(child)] { readsParameter[Int(index)] = true }
                if let current = best {
                    let less = Exact.order(next, current) < 0
                    best = (node.op == .minimum) == less ? next : current
                } else {
                    best = next
                }
            }
            return best
        case .input, .criterion, .not, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and, .or, .member,
            .ifThenElse, .isKnown:
            return nil
        }
    }

    /// The result of an operation whose parts have values: nil (and noted) where it overflows.
    private mutating func checked(_ result: Exact?, at index: Int32) -> Exact? {
        let node = ruleSet.nodes[Int(index)]
        if readsParameter[Int(node.a)] || (node.op != .negate && readsParameter[Int(node.b)]) {
            readsParameter[Int(index)] = true
            computesWithParameter = true
        }
        if result == nil { overflows.insert(index) }
        return result
    }

    /// The parameter's value in force on `day`: of the dated values that start by then (and have
    /// not ended), the one that starts last, as a later value replaces an earlier one; else the one
    /// without a date. With no day, the one without a date, else the first.
    func parameterValue(_ parameter: ParameterDefinition) -> Scalar? {
        if let day {
            var latest: DatedValue?
            for value in parameter.values {
                guard let from = value.from, from <= day, value.until.map({ day <= $0 }) ?? true else { continue }
                if latest.flatMap(\.from).map({ $0 <= from }) ?? true { latest = value }
            }
            if let latest { return latest.value }
        }
        return (parameter.values.first { $0.from == nil } ?? parameter.values.first)?.value
    }
}
