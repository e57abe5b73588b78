import SoeLanguage

/// A condition in disjunctive normal form: any of the conjunctions holds. `[]` is "never",
/// `[[]]` is "always".
typealias Conjunction = [Literal]
typealias NormalForm = [Conjunction]

/// Turns the yes/no formulas of a rule set into normal forms over `Literal`s, for the checks that
/// reason about conditions (unreachable outcomes, impossible and always-true conditions, gaps,
/// unguarded divisions).
///
/// # Design
///
/// **Negation is pushed to the atoms.** `normalForm(node, positive:)` computes the form of a
/// formula or of its negation directly (`not (a and b)` is `not a or not b`), so a negation never
/// has to be multiplied out after the fact.
///
/// **Criteria and yes/no values are expanded** where they are used, and their forms are cached
/// by node, so an outcome that uses `eligible` costs one lookup.
///
/// **The size of a form is bounded** (`maxConjunctions`, `maxLiterals`). A formula whose form
/// would be larger is kept as one opaque yes/no atom instead. That is the "give up" of the
/// analysis: an atom is a free variable, so the analysis can still reason about the formula as a
/// whole (`c and not c` is still a contradiction), and it never claims more than is true. The
/// cost of normalizing a rule set is therefore linear in its size.
///
/// **Contradictory conjunctions are dropped** as they are built (`ConstraintStore`), so an empty
/// form means the condition can never hold, given the declared ranges of the inputs.
final class ConditionAnalysis {
    static let maxConjunctions = 64
    static let maxLiterals = 64

    let ruleSet: RuleSet
    let space: ConditionSpace
    var ranges: RangeAnalysis
    var terms: [LinearTerm] = []
    var termIndex: [String: Int32] = [:]
    private var keys: [String?]
    private var forms: [Int: NormalForm] = [:]

    init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        let ranges = RangeAnalysis(ruleSet: ruleSet)
        self.ranges = ranges
        space = ConditionSpace(parameterRanges: ruleSet.parameters.indices.map { ranges.range(ofParameter: $0) })
        keys = Array(repeating: nil, count: ruleSet.nodes.count)
    }

    /// Computes the forms of criteria and yes/no values and the ranges of numeric values in
    /// evaluation order, so that expanding a reference never recurses through a long chain.
    func prepare() {
        for definition in ruleSet.evaluationOrder {
            switch definition {
            case .criterion(let index):
                _ = normalForm(ruleSet.criteria[index].root, positive: true)
                _ = normalForm(ruleSet.criteria[index].root, positive: false)
            case .value(let index):
                let value = ruleSet.values[index]
                if value.type == .bool {
                    _ = normalForm(value.root, positive: true)
                    _ = normalForm(value.root, positive: false)
                } else if value.type.isNumeric {
                    _ = ranges.range(ofValue: index)
                }
            }
        }
    }

    /// The normal form of a yes/no formula (`positive`) or of its negation.
    func normalForm(_ index: Int32, positive: Bool) -> NormalForm {
        let cacheKey = Int(index) * 2 + (positive ? 1 : 0)
        if let known = forms[cacheKey] { return known }
        let computed = build(index, positive: positive) ?? [[atom(index, positive: positive)]]
        forms[cacheKey] = computed
        return computed
    }

    /// An empty conjunction of literals, for the solver.
    func store() -> ConstraintStore { ConstraintStore(space: space) }

    /// Whether a conjunction can hold at all.
    func isSatisfiable(_ conjunction: Conjunction) -> Bool {
        var store = store()
        return store.add(conjunction)
    }

    /// The literals every conjunction of a form shares: what is certainly true when it holds.
    func commonLiterals(_ form: NormalForm) -> [Literal] {
        guard var common = form.first else { return [] }
        for conjunction in form.dropFirst() {
            common = common.filter { conjunction.contains($0) }
            if common.isEmpty { break }
        }
        return common
    }

    private func build(_ index: Int32, positive: Bool) -> NormalForm? {
        let node = ruleSet.nodes[Int(index)]
        switch node.op {
        case .constant:
            guard case .bool(let value) = ruleSet.constant(of: node) else { return nil }
            return value == positive ? [[]] : []
        case .input:
            let name = ruleSet.inputs[Int(node.a)].name
            let variable = space.variables.variable("b:i\(node.a)", kind: .flag, text: name)
            return [[.flag(variable, positive)]]
        case .criterion:
            return normalForm(ruleSet.criteria[Int(node.a)].root, positive: positive)
        case .value:
            return normalForm(ruleSet.values[Int(node.a)].root, positive: positive)
        case .not:
            return normalForm(node.a, positive: !positive)
        case .and, .or:
            let children = (0..<Int(node.listCount)).map { ruleSet.lists[Int(node.listStart) + $0] }
            let forms = children.map { normalForm($0, positive: positive) }
            return (node.op == .and) == positive ? conjoin(forms) : disjoin(forms)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            return comparison(index, node, positive: positive)
        case .member:
            return member(index, node, positive: positive)
        case .isKnown:
            let variable = space.variables.variable(
                "known:" + structuralKey(node.a), kind: .flag,
                text: nodeText(node.a) + " is known")
            return [[.flag(variable, positive != node.flag)]]
        case .ifThenElse:
            let whenTrue = conjoin([normalForm(node.a, positive: true), normalForm(node.b, positive: positive)])
            let whenFalse = conjoin([normalForm(node.a, positive: false), normalForm(node.c, positive: positive)])
            guard let whenTrue, let whenFalse else { return nil }
            return disjoin([whenTrue, whenFalse])
        case .parameter, .negate, .add, .subtract, .multiply, .divide, .minimum, .maximum:
            return nil
        }
    }

    private func comparison(_ index: Int32, _ node: ExpressionNode, positive: Bool) -> NormalForm? {
        guard let relation = Relation(node.op) else { return nil }
        let operandType = ruleSet.nodes[Int(node.a)].type
        if operandType == .bool {
            let same = (relation == .equal) == positive
            let both = conjoin([normalForm(node.a, positive: true), normalForm(node.b, positive: same)])
            let neither = conjoin([normalForm(node.a, positive: false), normalForm(node.b, positive: !same)])
            guard let both, let neither else { return nil }
            return disjoin([both, neither])
        }
        guard operandType.isNumeric || operandType == .date else { return nil }
        switch comparisonLiteral(node.a, relation, node.b) {
        case .constant(let holds): return holds == positive ? [[]] : []
        case .opaque: return nil
        case .literal(let literal):
            let chosen = positive ? literal : space.variables.negate(literal)
            // A test the declared range decides is a constant: `x <= 100 %` for `max 100 %`.
            if store().entails(chosen) { return [[]] }
            return isSatisfiable([chosen]) ? [[chosen]] : []
        }
    }

    private func member(_ index: Int32, _ node: ExpressionNode, positive: Bool) -> NormalForm? {
        let subject = ruleSet.nodes[Int(node.a)]
        guard subject.op == .input, case .choice(let set) = subject.type, set < ruleSet.choiceSets.count else { return nil }
        let members = ruleSet.choiceSets[set]
        let domain: UInt64 = members.count >= 64 ? ~0 : (UInt64(1) << UInt64(members.count)) - 1
        let variable = space.variables.variable(
            "ch:i\(subject.a)", kind: .choice(domain: domain, members: members),
            text: ruleSet.inputs[Int(subject.a)].name)
        let inside = positive != node.flag
        let mask = inside ? node.mask & domain : domain & ~node.mask
        if mask == 0 { return [] }
        if mask == domain { return [[]] }
        return [[.choice(variable, mask)]]
    }

    /// An opaque yes/no atom standing for a formula, in the given polarity.
    private func atom(_ index: Int32, positive: Bool) -> Literal {
        let variable = space.variables.variable("f:" + structuralKey(index), kind: .flag, text: nodeText(index))
        return .flag(variable, positive)
    }

    /// All of the forms: the product of their conjunctions, dropping contradictions; nil when too large.
    func conjoin(_ parts: [NormalForm]) -> NormalForm? {
        var result: NormalForm = [[]]
        for part in parts {
            var next: NormalForm = []
            for left in result {
                for right in part {
                    var merged = left
                    for literal in right where !merged.contains(literal) { merged.append(literal) }
                    if merged.count > ConditionAnalysis.maxLiterals { return nil }
                    if isSatisfiable(merged) { next.append(merged) }
                    if next.count > ConditionAnalysis.maxConjunctions { return nil }
                }
            }
            result = next
            if result.isEmpty { return [] }
        }
        return result
    }

    /// Any of the forms; nil when too large.
    func disjoin(_ parts: [NormalForm]) -> NormalForm? {
        var result: NormalForm = []
        for part in parts {
            for conjunction in part where !result.contains(conjunction) {
                if conjunction.isEmpty { return [[]] }
                result.append(conjunction)
                if result.count > ConditionAnalysis.maxConjunctions { return nil }
            }
        }
        return result
    }

    /// A key that is equal for formulas written the same way, for opaque atoms and terms.
    func structuralKey(_ index: Int32) -> String {
        if let known = keys[Int(index)] { return known }
        let node = ruleSet.nodes[Int(index)]
        let key: String
        switch node.op {
        case .constant:
            key =
                switch ruleSet.constant(of: node) {
                case .number(let value): "k\(node.type.displayName):\(value.reduced())"
                case .bool(let value): "k:\(value)"
                case .date(let day): "k:\(day)"
                case .text(let text): "k:" + JSONOutput.quoted(text)
                case .choice(let choice): "k:choice\(choice)"
                case nil: "k:?\(index)"
                }
        case .input: key = "i\(node.a)"
        case .parameter: key = "p\(node.a)"
        case .value: key = "v\(node.a)"
        case .criterion: key = "c\(node.a)"
        default:
            var parts: [String] = []
            for child in NodeWalk.children(of: index, in: ruleSet) { parts.append(structuralKey(child)) }
            key = "\(node.op)[\(node.mask),\(node.flag)](" + parts.joinedText(separator: ",") + ")"
        }
        keys[Int(index)] = key
        return key
    }

    /// The formula as written.
    func nodeText(_ index: Int32) -> String {
        let node = ruleSet.nodes[Int(index)]
        guard Int(node.fileIndex) < ruleSet.files.count else { return "?" }
        return ruleSet.files[Int(node.fileIndex)].source.text(node.range)
    }
}

/// The children of a formula node, for every walk over formulas.
enum NodeWalk {
    static func children(of index: Int32, in ruleSet: RuleSet) -> [Int32] {
        let node = ruleSet.nodes[Int(index)]
        switch node.op {
        case .constant, .input, .parameter, .value, .criterion:
            return []
        case .negate, .not, .member, .isKnown:
            return [node.a]
        case .ifThenElse:
            return [node.a, node.b, node.c]
        case .and, .or, .minimum, .maximum:
            return (0..<Int(node.listCount)).map { ruleSet.lists[Int(node.listStart) + $0] }
        case .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            return [node.a, node.b]
        }
    }
}
