import SoeLanguage

/// L203: a division whose divisor can be zero and is not guarded.
struct UnguardedDivision: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L203",
        name: "UnguardedDivision",
        severity: .warning,
        summary: "a division whose divisor can be zero and is not guarded",
        whatItDoes: """
            Finds divisions `a / b` where `b` can be zero. A divisor is guarded when one of these holds:

            - its range excludes zero: a constant other than zero, a parameter none of whose values is \
            zero, an input declared with `min` above zero, or a formula of such parts \
            (`max(1 kr, total)`);
            - the division is in the `else` branch of `if b = 0 kr then … else …`, or the `then` \
            branch of `if b > 0 kr then … else …`;
            - it is joined by `and` to a test that rules zero out (`total > 0 kr and share >= 50 %`), or \
            by `or` to one that covers zero (`total = 0 kr or share >= 50 %`): the engine then decides \
            without the division.

            A division inside a derived value or a criterion is also guarded when every place that \
            uses the value or criterion is guarded in one of these ways.
            """,
        whyItMatters: """
            A division by zero gives no value: the engine reports a problem and the firm's result can \
            become "undetermined" although all its data was given. A firm with no income at all is not \
            a rare case; the rule file should say what it means.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input market_sales: money "Omsætning fra salg" min 0 kr
            input total_income: money "Samlede indtægter" min 0 kr

            criterion commercial "Erhvervsdrivende"
              cite "§ 5, stk. 1, nr. 2"
              = market_sales / total_income >= 25 %

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

            criterion commercial "Erhvervsdrivende"
              cite "§ 5, stk. 1, nr. 2"
              = total_income > 0 kr and market_sales / total_income >= 25 %

            classify
              soe "Socialøkonomisk virksomhed" when commercial
              otherwise ordinary "Ordinær virksomhed"
            """),
        limits: """
            The guard must test the divisor as written (the same input, value or sum): a test of \
            `a + b > 0 kr` does not guard a division by a value `total` defined as `a + b`. Uses are \
            followed through at most six levels of values and criteria.
            """,
        danishSummary: "en division, hvis divisor kan være nul og ikke er sikret")

    func check(_ context: LintContext) {
        var walk = GuardWalk(context: context)
        walk.run()
        let ruleSet = context.ruleSet
        for (division, guardContext) in walk.divisions {
            let divisor = ruleSet.nodes[Int(division)].b
            if walk.isGuarded(divisor, by: guardContext) { continue }
            if let owner = context.usage.owners[Int(division)],
                walk.isGuardedAtUses(of: owner, divisor: divisor, context: guardContext ?? [], depth: 0, visited: [])
            {
                continue
            }
            let divisorText = context.text(ofNode: divisor)
            let zero = formatted(Exact.zero, as: ruleSet.nodes[Int(divisor)].type)
            context.report(
                UnguardedDivision.self,
                "'\(context.text(ofNode: division))' divides by '\(divisorText)', which can be zero",
                da: "'\(context.text(ofNode: division))' dividerer med '\(divisorText)', som kan være nul",
                at: context.span(ofNode: divisor),
                notes: [
                    DiagnosticNote(
                        message: "guard it, as in 'if \(divisorText) = \(zero) then … else …' or '\(divisorText) > \(zero) and …'",
                        danish: "sikr den, fx med 'if \(divisorText) = \(zero) then … else …' eller '\(divisorText) > \(zero) and …'",
                        span: nil)
                ])
        }
    }
}

/// Walks every formula and records, for each division and each use of a value or criterion,
/// the literals known to hold there (from enclosing `if` branches and sibling `and`/`or` tests).
/// A nil context marks a place that no firm reaches.
struct GuardWalk {
    let context: LintContext
    private(set) var divisions: [(Int32, [Literal]?)] = []
    private(set) var useContexts: [Int32: [Literal]?] = [:]

    init(context: LintContext) {
        self.context = context
    }

    mutating func run() {
        let usage = context.usage
        for index in context.ruleSet.values.indices { walk(usage.root(of: .value(index))) }
        for index in context.ruleSet.criteria.indices { walk(usage.root(of: .criterion(index))) }
        for index in context.ruleSet.outcomes.indices { walk(usage.root(of: .outcome(index))) }
    }

    private mutating func walk(_ root: Int32?) {
        guard let root else { return }
        let ruleSet = context.ruleSet
        let analysis = context.conditions
        var stack: [(Int32, [Literal]?)] = [(root, [])]
        while let (index, known) = stack.popLast() {
            let node = ruleSet.nodes[Int(index)]
            switch node.op {
            case .value, .criterion:
                useContexts[index] = known
            case .divide:
                divisions.append((index, known))
                stack.append((node.a, known))
                stack.append((node.b, known))
            case .and, .or:
                let children = NodeWalk.children(of: index, in: ruleSet)
                let facts: [[Literal]?] =
                    children.count > 32
                    ? []
                    : children.map { child in
                        let form = analysis.normalForm(child, positive: node.op == .and)
                        return form.isEmpty ? nil : analysis.commonLiterals(form)
                    }
                for (position, child) in children.enumerated() {
                    var local = known
                    for (other, fact) in facts.enumerated() where other != position {
                        if let fact { local? += fact } else { local = nil }
                    }
                    stack.append((child, local))
                }
            case .ifThenElse:
                let whenTrue = analysis.normalForm(node.a, positive: true)
                let whenFalse = analysis.normalForm(node.a, positive: false)
                stack.append((node.a, known))
                stack.append((node.b, whenTrue.isEmpty ? nil : known.map { $0 + analysis.commonLiterals(whenTrue) }))
                stack.append((node.c, whenFalse.isEmpty ? nil : known.map { $0 + analysis.commonLiterals(whenFalse) }))
            case .constant, .input, .parameter, .negate, .not, .add, .subtract, .multiply, .equal, .notEqual, .less, .lessEqual, .greater,
                .greaterEqual, .member, .minimum, .maximum, .isKnown:
                for child in NodeWalk.children(of: index, in: ruleSet) { stack.append((child, known)) }
            }
        }
    }

    /// Whether the divisor cannot be zero where these literals hold.
    func isGuarded(_ divisor: Int32, by known: [Literal]?) -> Bool {
        guard let known else { return true }
        let analysis = context.conditions
        if let range = analysis.ranges.range(of: divisor),
            range.lower.map({ Exact.zero < $0 }) == true || range.upper.map({ $0 < Exact.zero }) == true
        {
            return true
        }
        let linear = analysis.linear(divisor)
        if linear.terms.isEmpty {
            guard linear.parameters.count == 1, let (parameter, scale) = linear.parameters.first else {
                return !linear.constant.isZero && linear.parameters.isEmpty
            }
            return context.ruleSet.parameters[Int(parameter)].values.allSatisfy { dated in
                guard case .number(let value) = dated.value,
                    let total = value.multiplying(scale).flatMap({ $0.adding(linear.constant) })
                else { return false }
                return !total.isZero
            }
        }
        guard case .literal(let nonZero) = analysis.literal(linear, .notEqual) else { return false }
        var store = analysis.store()
        guard store.add(known) else { return true }
        return store.entails(nonZero)
    }

    /// Whether every use of the definition that holds the division is guarded.
    func isGuardedAtUses(
        of owner: UsageAnalysis.Owner, divisor: Int32, context known: [Literal], depth: Int,
        visited: Set<UsageAnalysis.Owner>
    ) -> Bool {
        switch owner {
        case .value, .criterion: break
        default: return false
        }
        guard depth < 6, let uses = context.usage.references[owner], !uses.isEmpty else { return false }
        for use in uses {
            guard let local = useContexts[use] else { continue }
            guard let here = local else { continue }
            let combined = known + here
            if isGuarded(divisor, by: combined) { continue }
            guard let user = context.usage.owners[Int(use)], !visited.contains(user),
                isGuardedAtUses(
                    of: user, divisor: divisor, context: combined, depth: depth + 1,
                    visited: visited.union([owner]))
            else { return false }
        }
        return true
    }
}
