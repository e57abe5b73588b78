import SoeLanguage

/// Who uses what: for every formula node, the definition it belongs to; for every input,
/// parameter, value and criterion, the nodes that refer to it; and which definitions an outcome
/// can reach at all.
///
/// Walks are iterative, so a long formula cannot exhaust the stack.
final class UsageAnalysis {
    /// A definition that owns formulas or can be referred to.
    enum Owner: Hashable, Sendable {
        case input(Int)
        case parameter(Int)
        case value(Int)
        case criterion(Int)
        case outcome(Int)
    }

    let ruleSet: RuleSet
    /// The definition each node's formula belongs to (nil for nodes no formula reaches).
    private(set) var owners: [Owner?]
    /// The nodes that refer to each definition, in node order.
    private(set) var references: [Owner: [Int32]] = [:]
    /// The definitions some outcome depends on, directly or through others.
    private(set) var reachable: Set<Owner> = []

    init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        owners = Array(repeating: nil, count: ruleSet.nodes.count)
        for (index, value) in ruleSet.values.enumerated() { walk(value.root, owner: .value(index)) }
        for (index, criterion) in ruleSet.criteria.enumerated() { walk(criterion.root, owner: .criterion(index)) }
        for (index, outcome) in ruleSet.outcomes.enumerated() {
            if let condition = outcome.condition { walk(condition, owner: .outcome(index)) }
        }
        computeReachable()
    }

    /// The root formula of a definition, if it has one.
    func root(of owner: Owner) -> Int32? {
        switch owner {
        case .value(let index): ruleSet.values[index].root
        case .criterion(let index): ruleSet.criteria[index].root
        case .outcome(let index): ruleSet.outcomes[index].condition
        case .input, .parameter: nil
        }
    }

    /// What a leaf node refers to.
    func referent(of index: Int32) -> Owner? {
        let node = ruleSet.nodes[Int(index)]
        switch node.op {
        case .input: return .input(Int(node.a))
        case .parameter: return .parameter(Int(node.a))
        case .value: return .value(Int(node.a))
        case .criterion: return .criterion(Int(node.a))
        case .constant, .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual,
            .and, .or, .member, .ifThenElse, .minimum, .maximum, .isKnown:
            return nil
        }
    }

    /// Every node of a formula, parents before children.
    func nodes(from root: Int32) -> [Int32] {
        var result: [Int32] = []
        var stack = [root]
        while let index = stack.popLast() {
            guard index >= 0, Int(index) < ruleSet.nodes.count else { continue }
            result.append(index)
            stack.append(contentsOf: NodeWalk.children(of: index, in: ruleSet).reversed())
        }
        return result
    }

    private func walk(_ root: Int32, owner: Owner) {
        for index in nodes(from: root) {
            owners[Int(index)] = owner
            if let target = referent(of: index) { references[target, default: []].append(index) }
        }
    }

    private func computeReachable() {
        var queue: [Owner] = ruleSet.outcomes.indices.map { .outcome($0) }
        while let owner = queue.popLast() {
            guard let root = root(of: owner) else { continue }
            for index in nodes(from: root) {
                guard let target = referent(of: index), !reachable.contains(target) else { continue }
                reachable.insert(target)
                queue.append(target)
            }
        }
    }
}

extension RuleSet {
    /// The value of a constant node; nil when the node is not a valid constant (the checker never
    /// returns such a model, but the linter does not rely on it).
    func constant(of node: ExpressionNode) -> Scalar? {
        guard node.op == .constant, node.a >= 0, Int(node.a) < constants.count else { return nil }
        return constants[Int(node.a)]
    }
}
