import SoeLanguage

/// What a rule set's formulas read, worked out once per rule set for the counterfactual search:
/// the inputs each formula node reads (directly or through values and criteria), and the inputs
/// the outcome conditions up to each outcome read. A firm's analysis used to walk the formulas for
/// this per firm and per input.
struct AnalysisPlan: Sendable {
    /// The inputs each node reads, by node index.
    let nodeInputs: [InputSet]
    /// The inputs each value and criterion reads.
    let definitions: DefinitionInputs
    /// For each outcome, the inputs its condition and every condition before it read: an input
    /// outside this set cannot change a firm decided by that outcome.
    let conditionsUpTo: [InputSet]
    /// The inputs any outcome condition or criterion reads.
    let conditionReads: InputSet
    /// For each rule of the classification, its outcome name's index.
    let outcomeNames: [Int]
    /// The conditions compiled into forms, per day (their parameters' values).
    let compiled = CompiledCache()

    init(_ ruleSet: RuleSet) {
        let definitions = DefinitionInputs(ruleSet)
        // The rule set's arrays read once: through the class, each read would retain and release.
        let (nodes, lists) = (ruleSet.nodes, ruleSet.lists)
        var memo = [InputSet?](repeating: nil, count: nodes.count)
        func reads(_ index: Int32) -> InputSet {
            if let known = memo[Int(index)] { return known }
            let node = nodes[Int(index)]
            var set = InputSet()
            switch node.op {
            case .input: set.insert(Int(node.a))
            case .constant, .parameter: break
            case .value: set = definitions.values[Int(node.a)]
            case .criterion: set = definitions.criteria[Int(node.a)]
            case .and, .or, .minimum, .maximum:
                for offset in 0..<Int(node.listCount) { set = set.union(reads(lists[Int(node.listStart) + offset])) }
            case .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual,
                .member, .ifThenElse, .isKnown:
                // The children one by one: a literal array of the three would be allocated per node.
                if node.a >= 0 { set = set.union(reads(node.a)) }
                if node.b >= 0 { set = set.union(reads(node.b)) }
                if node.c >= 0 { set = set.union(reads(node.c)) }
            }
            memo[Int(index)] = set
            return set
        }
        nodeInputs = nodes.indices.map { reads(Int32($0)) }
        self.definitions = definitions
        var upTo: [InputSet] = []
        var sum = InputSet()
        for outcome in ruleSet.outcomes {
            if let condition = outcome.condition { sum = sum.union(nodeInputs[Int(condition)]) }
            upTo.append(sum)
        }
        conditionsUpTo = upTo
        var all = sum
        for criterion in ruleSet.criteria { all = all.union(nodeInputs[Int(criterion.root)]) }
        conditionReads = all
        outcomeNames = ruleSet.outcomeNameIndices
    }
}

/// A number as a function of the one moved input `t`, all else equal: `(a + b·t)`, or a ratio
/// `(a + b·t) / (c + d·t)` when `ratio` is set.
struct LinePart {
    var a: Exact
    var b: Exact
    var ratio: (c: Exact, d: Exact)?

    static func constant(_ value: Exact) -> LinePart { LinePart(a: value, b: .zero) }
    var constantValue: Exact? { ratio == nil && b.isZero ? a : nil }
}

/// What a formula is along the line of one moved input.
enum LineForm {
    /// It does not read the moved input: the firm's own result.
    case fixed(Evaluated)
    /// A number, exactly one of these forms wherever it is defined (several after an `if`, `min`
    /// or `max` whose choice depends on the moved input).
    case parts([LinePart])
    /// A yes/no, choice, date or text that changes only at breakpoints already noted.
    case steps
}

/// The breakpoints of one input for a decided firm, found in one cheap pass over the formulas that
/// read it: where a comparison that is linear in the input (or a ratio of linear forms compared
/// with a constant) changes its answer, where a divisor is zero, and where two arguments of `min`
/// or `max` cross. Between two breakpoints nothing the outcome depends on changes, so the search
/// need only try them. A formula of any other shape (a product of two forms in the input, a value
/// that is undefined beside the input) sets `exact` to false, and the search takes the general
/// bounds walk instead: this pass is a fast path, never a different answer.
struct LineWalk {
    let evaluator: Evaluator
    let plan: AnalysisPlan
    private(set) var input: Int
    var breakpoints: [Exact] = []
    var exact = true
    var values: [LineForm?]
    var criteria: [LineForm?]
    /// The most pieces a number may have before the pass gives up.
    static let pieceLimit = 8

    init(evaluator: Evaluator, plan: AnalysisPlan, input: Int) {
        self.evaluator = evaluator
        self.plan = plan
        self.input = input
        values = Array(repeating: nil, count: evaluator.valueRoots.count)
        criteria = Array(repeating: nil, count: evaluator.criterionRoots.count)
    }

    /// Ready for another input of the same firm, keeping the memory of the last.
    mutating func reset(input: Int) {
        self.input = input
        breakpoints.removeAll(keepingCapacity: true)
        exact = true
        for index in values.indices { values[index] = nil }
        for index in criteria.indices { criteria[index] = nil }
    }

    /// Walks every outcome condition; false when the pass cannot give exact breakpoints.
    mutating func walkConditions() -> Bool {
        for condition in evaluator.outcomeConditions where condition >= 0 {
            _ = form(condition)
            if !exact { return false }
        }
        return true
    }

    mutating func form(_ index: Int32) -> LineForm {
        guard exact else { return .steps }
        let node = evaluator.nodes[Int(index)]
        guard plan.nodeInputs[Int(index)].contains(input) else { return .fixed(firmValue(index, node)) }
        switch node.op {
        case .constant, .parameter:
            return .fixed(firmValue(index, node))
        case .input:
            return .parts([LinePart(a: .zero, b: .one)])
        case .value:
            let value = Int(node.a)
            if let memo = values[value] { return memo }
            let result = form(evaluator.valueRoots[value])
            values[value] = result
            return result
        case .criterion:
            let criterion = Int(node.a)
            if let memo = criteria[criterion] { return memo }
            let result = form(evaluator.criterionRoots[criterion])
            criteria[criterion] = result
            return result
        case .not, .member, .isKnown:
            _ = form(node.a)
            return .steps
        case .and, .or:
            for offset in 0..<Int(node.listCount) { _ = form(evaluator.lists[Int(node.listStart) + offset]) }
            return .steps
        case .negate:
            return map(form(node.a)) { LineWalk.scaled($0, by: Exact(integer: -1)) }
        case .add, .subtract, .multiply, .divide:
            return arithmetic(node.op, form(node.a), form(node.b))
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            let (left, right) = (form(node.a), form(node.b))
            if isNumeric(node.a) { crossings(left, right) }
            return .steps
        case .ifThenElse:
            let condition = form(node.a)
            if case .fixed(let value) = condition {
                switch value {
                case .known(.bool(true)): return form(node.b)
                case .known(.bool(false)): return form(node.c)
                case .known, .unknown: return giveUp()
                }
            }
            let (yes, no) = (form(node.b), form(node.c))
            guard isNumeric(index) else { return .steps }
            return pieces([yes, no])
        case .minimum, .maximum:
            var forms: [LineForm] = []
            for offset in 0..<Int(node.listCount) { forms.append(form(evaluator.lists[Int(node.listStart) + offset])) }
            for i in forms.indices { for j in forms.indices where i < j { crossings(forms[i], forms[j]) } }
            return pieces(forms)
        }
    }

    func isNumeric(_ index: Int32) -> Bool {
        switch evaluator.nodes[Int(index)].type {
        case .money, .percent, .count, .number: true
        case .bool, .date, .text, .choice: false
        }
    }

    mutating func giveUp() -> LineForm {
        exact = false
        return .steps
    }

    /// The firm's own result of a node that does not read the moved input.
    func firmValue(_ index: Int32, _ node: ExpressionNode) -> Evaluated {
        switch node.op {
        case .constant: return .known(evaluator.constants[Int(node.a)])
        case .parameter: return evaluator.parameterResults[Int(node.a)]
        case .value: return evaluator.valueResult(Int(node.a))
        case .criterion: return evaluator.criterionResult(Int(node.a))
        case .input, .not, .negate, .and, .or, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual,
            .greater, .greaterEqual, .member, .ifThenElse, .minimum, .maximum, .isKnown:
            return evaluator.evaluate(index)
        }
    }

    /// The parts of a numeric form; nil (and the pass gives up) for an undefined or non-numeric one.
    mutating func parts(_ form: LineForm) -> [LinePart]? {
        switch form {
        case .parts(let parts): return parts
        case .fixed(.known(.number(let value))): return [.constant(value)]
        case .fixed, .steps:
            exact = false
            return nil
        }
    }

    mutating func map(_ form: LineForm, _ transform: (LinePart) -> LinePart?) -> LineForm {
        guard let items = parts(form) else { return .steps }
        var result: [LinePart] = []
        for item in items {
            guard let mapped = transform(item) else { return giveUp() }
            result.append(mapped)
        }
        return .parts(result)
    }

    mutating func pieces(_ forms: [LineForm]) -> LineForm {
        var result: [LinePart] = []
        for form in forms {
            guard let items = parts(form) else { return .steps }
            result += items
        }
        guard result.count <= LineWalk.pieceLimit else { return giveUp() }
        return .parts(result)
    }

    mutating func arithmetic(_ op: NodeOp, _ left: LineForm, _ right: LineForm) -> LineForm {
        guard let lefts = parts(left), let rights = parts(right) else { return .steps }
        guard lefts.count * rights.count <= LineWalk.pieceLimit else { return giveUp() }
        var result: [LinePart] = []
        for l in lefts {
            for r in rights {
                guard let combined = combine(op, l, r) else { return giveUp() }
                result.append(combined)
            }
        }
        return .parts(result)
    }

    /// `l op r` for one part each; nil when the result has no exact form here.
    mutating func combine(_ op: NodeOp, _ l: LinePart, _ r: LinePart) -> LinePart? {
        switch op {
        case .add, .subtract:
            let right = op == .subtract ? LineWalk.scaled(r, by: Exact(integer: -1)) : r
            guard let right else { return nil }
            if l.ratio == nil, right.ratio == nil {
                guard let a = l.a.adding(right.a), let b = l.b.adding(right.b) else { return nil }
                return LinePart(a: a, b: b)
            }
            // A ratio plus a constant stays a ratio: n/d + k = (n + k·d)/d.
            if let k = right.constantValue, let ratio = l.ratio { return LineWalk.shifted(l, ratio, by: k) }
            if let k = l.constantValue, let ratio = right.ratio { return LineWalk.shifted(right, ratio, by: k) }
            return nil
        case .multiply:
            if let k = r.constantValue { return LineWalk.scaled(l, by: k) }
            if let k = l.constantValue { return LineWalk.scaled(r, by: k) }
            return nil
        case .divide:
            if let k = r.constantValue {
                guard !k.isZero, let inverse = Exact.one.dividing(k) else { return nil }
                return LineWalk.scaled(l, by: inverse)
            }
            guard l.ratio == nil, r.ratio == nil else { return nil }
            // Undefined where the divisor is zero: a point the search must try.
            note(r.a, r.b)
            return LinePart(a: l.a, b: l.b, ratio: (r.a, r.b))
        case .constant, .input, .parameter, .value, .criterion, .not, .negate, .equal, .notEqual, .less, .lessEqual, .greater,
            .greaterEqual, .and, .or, .member, .ifThenElse, .minimum, .maximum, .isKnown:
            return nil
        }
    }

    static func scaled(_ part: LinePart, by factor: Exact) -> LinePart? {
        guard let a = part.a.multiplying(factor), let b = part.b.multiplying(factor) else { return nil }
        if factor.isZero { return .constant(.zero) }
        return LinePart(a: a, b: b, ratio: part.ratio)
    }

    static func shifted(_ part: LinePart, _ ratio: (c: Exact, d: Exact), by k: Exact) -> LinePart? {
        guard let kc = ratio.c.multiplying(k), let kd = ratio.d.multiplying(k), let a = part.a.adding(kc), let b = part.b.adding(kd)
        else { return nil }
        return LinePart(a: a, b: b, ratio: ratio)
    }

    /// Notes where two numeric forms are equal, for every pair of their parts; gives up where a
    /// pair has no linear difference.
    mutating func crossings(_ left: LineForm, _ right: LineForm) {
        guard let lefts = parts(left), let rights = parts(right) else { return }
        for l in lefts {
            for r in rights {
                if l.ratio == nil, r.ratio == nil {
                    guard let a = l.a.subtracting(r.a), let b = l.b.subtracting(r.b) else {
                        exact = false
                        return
                    }
                    note(a, b)
                } else if let ratio = l.ratio, let k = r.constantValue {
                    // n/d − k changes sign where n − k·d does, or where d is zero (noted at the division).
                    guard let negated = k.negated(), let shifted = LineWalk.shifted(l, ratio, by: negated) else {
                        exact = false
                        return
                    }
                    note(shifted.a, shifted.b)
                } else if let ratio = r.ratio, let k = l.constantValue {
                    guard let negated = k.negated(), let shifted = LineWalk.shifted(r, ratio, by: negated) else {
                        exact = false
                        return
                    }
                    note(shifted.a, shifted.b)
                } else {
                    exact = false
                    return
                }
            }
        }
    }

    /// Notes where `a + b·t` is zero, when `b` is not.
    mutating func note(_ a: Exact, _ b: Exact) {
        guard !b.isZero else { return }
        guard let negated = a.negated(), let point = negated.dividing(b) else {
            exact = false
            return
        }
        breakpoints.append(point)
    }
}
