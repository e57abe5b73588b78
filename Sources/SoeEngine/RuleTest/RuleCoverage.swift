import SoeLanguage

// What the tests of a rule set reached, derived from the traces of their decisions: the trace
// already holds the value of every sub-formula, and the rule set says which formula node each
// part of the trace is, so the evaluator's per-firm path is not touched at all (no recorder, no
// flag to test). Evaluation order is replayed from the values: `and` stops at its first `no`,
// `or` at its first `yes`, `if` takes one branch, and outcomes after the deciding one are not
// tried. An operand that evaluation did not reach is not covered, whatever its value would be.

/// The parts of one rule set that coverage counts, found from the outcome conditions: a
/// criterion, value or parameter that no outcome uses, directly or through others, is not
/// counted (nothing a test does can reach it), and is listed as unused instead.
struct RuleCoverageModel {
    let ruleSet: RuleSet
    /// Yes/no nodes counted both ways: each operand of `and`/`or` (`all of`/`any of` members),
    /// the operand of `not`, and every comparison, `is one of` and `is known`.
    var conditions: [Int32] = []
    /// `if … then … else` nodes.
    var branches: [Int32] = []
    /// Criteria, values and parameters some outcome uses.
    var criteria: [Int] = []
    var values: [Int] = []
    var parameters: [Int] = []
    /// Every node some outcome reaches, for line coverage.
    var nodes: [Int32] = []

    init(_ ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        var seenNodes = Set<Int32>()
        var seenConditions = Set<Int32>()
        var seenDefinitions = Set<Definition>()
        var seenParameters = Set<Int>()
        func markCondition(_ node: Int32) {
            if seenConditions.insert(node).inserted { conditions.append(node) }
        }
        func visit(_ index: Int32) {
            guard seenNodes.insert(index).inserted else { return }
            nodes.append(index)
            let node = ruleSet.nodes[Int(index)]
            switch node.op {
            case .criterion:
                if seenDefinitions.insert(.criterion(Int(node.a))).inserted {
                    criteria.append(Int(node.a))
                    visit(ruleSet.criteria[Int(node.a)].root)
                }
            case .value:
                if seenDefinitions.insert(.value(Int(node.a))).inserted {
                    values.append(Int(node.a))
                    visit(ruleSet.values[Int(node.a)].root)
                }
            case .parameter:
                if seenParameters.insert(Int(node.a)).inserted { parameters.append(Int(node.a)) }
            case .and, .or:
                for child in RuleCoverageModel.children(node, ruleSet) {
                    markCondition(child)
                    visit(child)
                }
            case .not:
                markCondition(node.a)
                visit(node.a)
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .member, .isKnown:
                markCondition(index)
                for child in RuleCoverageModel.children(node, ruleSet) { visit(child) }
            case .ifThenElse:
                branches.append(index)
                for child in RuleCoverageModel.children(node, ruleSet) { visit(child) }
            case .constant, .input, .negate, .add, .subtract, .multiply, .divide, .minimum, .maximum:
                for child in RuleCoverageModel.children(node, ruleSet) { visit(child) }
            }
        }
        for outcome in ruleSet.outcomes {
            if let condition = outcome.condition { visit(condition) }
        }
        conditions.sort()
        branches.sort()
        criteria.sort()
        values.sort()
        parameters.sort()
    }

    /// The child nodes of a node, in the order `TraceBuilder.explain` lists them.
    static func children(_ node: ExpressionNode, _ ruleSet: RuleSet) -> [Int32] {
        switch node.op {
        case .constant, .input, .parameter, .value, .criterion:
            return []
        case .and, .or, .minimum, .maximum:
            let start = Int(node.listStart)
            return (0..<Int(node.listCount)).map { ruleSet.lists[start + $0] }
        case .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .member,
            .ifThenElse, .isKnown:
            return [node.a, node.b, node.c].filter { $0 >= 0 }
        }
    }

    /// Whether a node is a condition whatever holds it: a comparison, `is one of`, `is known`.
    static func countsItself(_ op: NodeOp) -> Bool {
        switch op {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .member, .isKnown: true
        default: false
        }
    }

    /// `file:line:column` of a node.
    func place(_ index: Int32) -> SourcePlace {
        let node = ruleSet.nodes[Int(index)]
        return SourcePlace(SourceSpan(file: ruleSet.files[Int(node.fileIndex)].source, range: node.range))
    }
}

/// A place in a rule file, for reports and lcov.
struct SourcePlace: Comparable {
    let path: String
    let line: Int
    let column: Int

    init(_ span: SourceSpan) {
        path = span.file.path
        line = span.start.line
        column = span.start.column
    }

    var description: String { "\(path):\(line):\(column)" }

    static func < (lhs: SourcePlace, rhs: SourcePlace) -> Bool {
        (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
    }
}

/// The counts of one rule set's coverage: how often each part was reached, and how.
struct RuleCoverageCounts {
    let model: RuleCoverageModel
    /// Decisions made (traces recorded), not counting rule sets not in force.
    var evaluations = 0
    /// By outcome position: how often it decided, and how often it was tried.
    var decided: [Int]
    var tried: [Int]
    /// By criterion index: how often evaluation reached it with each result.
    var criterionTrue: [Int], criterionFalse: [Int], criterionUnknown: [Int]
    /// By condition node: how often evaluation reached it true, false.
    var conditionTrue: [Int32: Int] = [:], conditionFalse: [Int32: Int] = [:]
    /// By `if` node: how often it took its `then`, its `else`.
    var branchThen: [Int32: Int] = [:], branchElse: [Int32: Int] = [:]
    /// By parameter, by dated value: how often a decision used it.
    var selected: [[Int]]
    /// By node: how often evaluation reached it.
    var nodeHits: [Int32: Int] = [:]
    var criterionHits: [Int], valueHits: [Int]

    init(_ model: RuleCoverageModel) {
        self.model = model
        let ruleSet = model.ruleSet
        decided = Array(repeating: 0, count: ruleSet.outcomes.count)
        tried = decided
        criterionTrue = Array(repeating: 0, count: ruleSet.criteria.count)
        (criterionFalse, criterionUnknown, criterionHits) = (criterionTrue, criterionTrue, criterionTrue)
        valueHits = Array(repeating: 0, count: ruleSet.values.count)
        selected = ruleSet.parameters.map { Array(repeating: 0, count: $0.values.count) }
    }

    /// Adds what one decision reached, replaying evaluation over the trace's values.
    mutating func record(_ trace: Trace) {
        guard trace.decision.notInForceOn == nil else { return }
        evaluations += 1
        let ruleSet = model.ruleSet
        var visited = Set<Definition>()
        var usedParameters = Set<Int>()
        for (index, outcome) in ruleSet.outcomes.enumerated() {
            let step = trace.outcomes[index]
            guard step.status != .notReached else { continue }
            tried[index] += 1
            if trace.decision.outcome == index { decided[index] += 1 }
            if let condition = outcome.condition, let explanation = step.condition {
                walk(condition, explanation, trace, &visited, &usedParameters)
            }
        }
        for parameter in usedParameters {
            let step = trace.parameters[parameter]
            guard step.value != nil else { continue }
            let values = ruleSet.parameters[parameter].values
            if let chosen = values.indices.first(where: { TraceBuilder.place(values[$0].span) == step.at }) {
                selected[parameter][chosen] += 1
            }
        }
    }

    /// One node as evaluation reached it: counted, then its operands as far as evaluation went.
    mutating func walk(
        _ index: Int32, _ explanation: Explanation, _ trace: Trace, _ visited: inout Set<Definition>,
        _ parameters: inout Set<Int>
    ) {
        nodeHits[index, default: 0] += 1
        let ruleSet = model.ruleSet
        let node = ruleSet.nodes[Int(index)]
        let children = RuleCoverageModel.children(node, ruleSet)
        guard children.count == explanation.children.count else { return }
        func count(_ child: Int32, _ result: Evaluated) {
            // A comparison counts itself when it is walked; counting it here too would count it twice.
            if child != index, RuleCoverageModel.countsItself(ruleSet.nodes[Int(child)].op) { return }
            switch result.bool {
            case true?: conditionTrue[child, default: 0] += 1
            case false?: conditionFalse[child, default: 0] += 1
            case nil: break
            }
        }
        switch node.op {
        case .criterion:
            let criterion = Int(node.a)
            guard visited.insert(.criterion(criterion)).inserted else { return }
            let step = trace.criteria[criterion]
            criterionHits[criterion] += 1
            switch step.result.bool {
            case true?: criterionTrue[criterion] += 1
            case false?: criterionFalse[criterion] += 1
            case nil: criterionUnknown[criterion] += 1
            }
            walk(ruleSet.criteria[criterion].root, step.formula, trace, &visited, &parameters)
        case .value:
            let value = Int(node.a)
            guard visited.insert(.value(value)).inserted else { return }
            valueHits[value] += 1
            walk(ruleSet.values[value].root, trace.values[value].formula, trace, &visited, &parameters)
        case .parameter:
            parameters.insert(Int(node.a))
        case .and, .or:
            // Kleene's `and` stops at its first `no`, `or` at its first `yes`; unknowns go on.
            let decisive = node.op == .or
            for (child, part) in zip(children, explanation.children) {
                count(child, part.result)
                walk(child, part, trace, &visited, &parameters)
                if part.result.bool == decisive { break }
            }
        case .not:
            count(children[0], explanation.children[0].result)
            walk(children[0], explanation.children[0], trace, &visited, &parameters)
        case .ifThenElse:
            walk(children[0], explanation.children[0], trace, &visited, &parameters)
            switch explanation.children[0].result.bool {
            case true?:
                branchThen[index, default: 0] += 1
                walk(children[1], explanation.children[1], trace, &visited, &parameters)
            case false?:
                branchElse[index, default: 0] += 1
                walk(children[2], explanation.children[2], trace, &visited, &parameters)
            case nil:
                walk(children[1], explanation.children[1], trace, &visited, &parameters)
                walk(children[2], explanation.children[2], trace, &visited, &parameters)
            }
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .member, .isKnown:
            count(index, explanation.result)
            for (child, part) in zip(children, explanation.children) { walk(child, part, trace, &visited, &parameters) }
        case .constant, .input, .negate, .add, .subtract, .multiply, .divide, .minimum, .maximum:
            for (child, part) in zip(children, explanation.children) { walk(child, part, trace, &visited, &parameters) }
        }
    }
}
