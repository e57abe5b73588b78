import SoeLanguage

/// Evaluates the formulas of one firm over a box: some inputs (the missing ones, or the one a
/// counterfactual varies) range over intervals or sets, the others have the firm's values. It
/// walks the same nodes as `Evaluator.evaluate(_:)`, operator by operator, and for every operator
/// gives a set of values that holds every value `evaluate(_:)` would give at a point of the box.
///
/// Numbers carry an exact affine form over the varying inputs where the formula is linear, or a
/// ratio of two such forms, so that an input used twice is not treated as two independent
/// values: `a - a` is exactly 0, and `a / (a + b) > 50 %` is decided as `a - b > 0` when `a + b`
/// is positive. Where no exact form exists, interval arithmetic over-approximates; a comparison
/// the interval cannot settle stays unsettled ("unknown"), never guessed.
struct BoundsWalk {
    let evaluator: Evaluator
    let nodes: [ExpressionNode]
    let lists: [Int32]
    let constants: [Scalar]
    /// The interval of each varying numeric input, by input index; nil for an input with its value.
    let box: [Interval?]
    /// Every varying input, numeric or not.
    let varying: InputSet
    /// Whether the varying inputs are missing (bounds) rather than given and moved (counterfactuals):
    /// `is known` of a missing input stays no, of a moved one depends on its value.
    let varyingAreMissing: Bool
    var values: [Bound?]
    var criteria: [Bound?]
    /// The inputs each value and criterion reads, directly or through others: one that reads no
    /// varying input has the firm's own result, which is taken instead of walking it again.
    let reads: DefinitionInputs?
    /// Where a comparison of a linear form in one varying input changes its answer: the points a
    /// counterfactual search tries.
    var breakpoints: [Exact] = []
    /// Set when a comparison that depends on a varying input had no exact form: the breakpoints
    /// may then be incomplete.
    var inexact = false

    init(evaluator: Evaluator, box: [Interval?], varying: InputSet, missing: Bool = true, reads: DefinitionInputs? = nil) {
        self.evaluator = evaluator
        self.reads = reads
        varyingAreMissing = missing
        nodes = evaluator.nodes
        lists = evaluator.lists
        constants = evaluator.constants
        self.box = box
        self.varying = varying
        values = Array(repeating: nil, count: evaluator.ruleSet.values.count)
        criteria = Array(repeating: nil, count: evaluator.ruleSet.criteria.count)
    }

    /// The bound of a known value.
    static func known(_ scalar: Scalar) -> Bound {
        switch scalar {
        case .number(let value): .number(NumberBound(range: .point(value), form: .constant(value)))
        case .bool(let value): .truth(Truth(value))
        case .date, .text, .choice: Bound(kind: .scalar(scalar))
        }
    }

    static func of(_ evaluated: Evaluated, type: ValueType) -> Bound {
        switch evaluated {
        case .known(let scalar): return known(scalar)
        case .unknown: return failed(type)
        }
    }

    /// A value that is never defined, of a type.
    static func failed(_ type: ValueType) -> Bound {
        switch type {
        case .money, .percent, .count, .number: .failedNumber
        case .bool: .truth(.unknown)
        case .date, .text, .choice: Bound(kind: .anyValue, mayFail: true)
        }
    }

    mutating func bound(_ index: Int32) -> Bound {
        let node = nodes[Int(index)]
        switch node.op {
        case .constant:
            return BoundsWalk.known(constants[Int(node.a)])
        case .input:
            return input(Int(node.a), type: node.type)
        case .parameter:
            return BoundsWalk.of(evaluator.parameterResults[Int(node.a)], type: node.type)
        case .value:
            let value = Int(node.a)
            if let memo = values[value] { return memo }
            if let reads, !reads.values[value].intersects(varying) {
                return BoundsWalk.of(evaluator.valueResult(value), type: node.type)
            }
            let result = bound(evaluator.valueRoots[value])
            values[value] = result
            return result
        case .criterion:
            let criterion = Int(node.a)
            if let memo = criteria[criterion] { return memo }
            if let reads, !reads.criteria[criterion].intersects(varying) {
                return BoundsWalk.of(evaluator.criterionResult(criterion), type: .bool)
            }
            let result = bound(evaluator.criterionRoots[criterion])
            criteria[criterion] = result
            return result
        case .not:
            let operand = bound(node.a)
            return .truth(operand.truth.negated, depends: operand.depends)
        case .negate:
            return arithmetic(.negate, bound(node.a), BoundsWalk.known(.number(.zero)))
        case .and, .or:
            var parts: [Truth] = []
            var depends = InputSet()
            for offset in 0..<Int(node.listCount) {
                let part = bound(lists[Int(node.listStart) + offset])
                guard case .truth(let truth) = part.kind else { continue }
                parts.append(truth)
                depends = depends.union(part.depends)
            }
            return .truth(Truth.junction(parts, decisive: node.op == .or), depends: depends)
        case .add, .subtract, .multiply, .divide:
            return arithmetic(node.op, bound(node.a), bound(node.b))
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            return compare(node.op, bound(node.a), bound(node.b))
        case .member:
            return member(node, bound(node.a))
        case .isKnown:
            // `is known` asks about the data given, not about the values it could have: for
            // missing inputs it is answered as `evaluate(_:)` answers it for the firm as it is.
            if varyingAreMissing { return .truth(Truth(evaluator.evaluate(node.a).isKnown != node.flag)) }
            let operand = bound(node.a)
            guard !operand.depends.isEmpty else { return .truth(Truth(evaluator.evaluate(node.a).isKnown != node.flag)) }
            // A moved input is given: its formula is known wherever it is defined.
            var truth = Truth()
            let (defined, undefined): (Bool, Bool)
            switch operand.kind {
            case .number(let number): (defined, undefined) = (!number.range.isEmpty, operand.mayFail)
            case .truth(let values): (defined, undefined) = (!values.isDisjoint(with: .either), values.contains(.unknown))
            case .scalar, .choices, .anyValue: (defined, undefined) = (true, operand.mayFail)
            }
            if defined { truth.insert(Truth(!node.flag)) }
            if undefined { truth.insert(Truth(node.flag)) }
            return .truth(truth, depends: operand.depends)
        case .ifThenElse:
            return conditional(node)
        case .minimum, .maximum:
            return extremum(node)
        }
    }

    func input(_ index: Int, type: ValueType) -> Bound {
        guard varying.contains(index) else {
            guard let value = evaluator.inputs[index] else { return BoundsWalk.failed(type) }
            return BoundsWalk.known(value)
        }
        var depends = InputSet()
        depends.insert(index)
        switch type {
        case .money, .percent, .count, .number:
            guard let interval = box[index] else { return .anyNumber(depends: depends) }
            return .number(NumberBound(range: interval, form: .variable(index)), depends: depends)
        case .bool:
            return .truth(.either, depends: depends)
        case .choice(let set):
            let count = evaluator.ruleSet.choiceSets[set].count
            let mask: UInt64 = count >= 64 ? ~0 : (UInt64(1) << UInt64(count)) - 1
            return Bound(kind: .choices(mask), depends: depends)
        case .date, .text:
            return Bound(kind: .anyValue, depends: depends)
        }
    }

    func member(_ node: ExpressionNode, _ operand: Bound) -> Bound {
        var truth = Truth()
        switch operand.kind {
        case .scalar(.choice(let choice)):
            let isIn = choice >= 0 && choice < 64 && node.mask & (UInt64(1) << UInt64(choice)) != 0
            truth = Truth(isIn != node.flag)
        case .choices(let mask):
            if mask & node.mask != 0 { truth.insert(Truth(!node.flag)) }
            if mask & ~node.mask != 0 { truth.insert(Truth(node.flag)) }
        case .truth(let operandTruth):
            // Never a choice (the checker sees to that); only whether it is defined matters.
            if !operandTruth.isDisjoint(with: .either) { truth = Truth(node.flag) }
            if operandTruth.contains(.unknown) { truth.insert(.unknown) }
        case .scalar, .number:
            truth = Truth(node.flag)
        case .anyValue:
            truth = .either
        }
        if operand.mayFail { truth.insert(.unknown) }
        return .truth(truth, depends: operand.depends)
    }
}

/// The inputs each value and criterion of a rule set reads, directly or through other values and
/// criteria (computed once per firm's analysis; a walk over the formulas).
struct DefinitionInputs: Sendable {
    var values: [InputSet]
    var criteria: [InputSet]

    init(_ ruleSet: RuleSet) {
        var walk = Walk(
            ruleSet, values: [InputSet?](repeating: nil, count: ruleSet.values.count),
            criteria: [InputSet?](repeating: nil, count: ruleSet.criteria.count))
        for value in ruleSet.values.indices where walk.values[value] == nil { walk.values[value] = walk.reads(walk.valueRoots[value]) }
        for criterion in ruleSet.criteria.indices where walk.criteria[criterion] == nil {
            walk.criteria[criterion] = walk.reads(walk.criterionRoots[criterion])
        }
        self.values = walk.values.map { $0 ?? InputSet() }
        self.criteria = walk.criteria.map { $0 ?? InputSet() }
    }

    /// The walk over the formulas: each value's and criterion's inputs found once and kept.
    struct Walk {
        // The rule set's arrays read once: through the class, each read would retain and release.
        let nodes: [ExpressionNode]
        let lists: [Int32]
        let valueRoots: [Int32]
        let criterionRoots: [Int32]
        var values: [InputSet?]
        var criteria: [InputSet?]

        init(_ ruleSet: RuleSet, values: [InputSet?], criteria: [InputSet?]) {
            (nodes, lists, valueRoots, criterionRoots) = (
                ruleSet.nodes, ruleSet.lists, ruleSet.values.map(\.root), ruleSet.criteria.map(\.root)
            )
            self.values = values
            self.criteria = criteria
        }

        /// The inputs a formula reads, through the values and criteria it names.
        mutating func reads(_ index: Int32) -> InputSet {
            let node = nodes[Int(index)]
            switch node.op {
            case .input: return InputSet(Int(node.a))
            case .constant, .parameter: return InputSet()
            case .value:
                if let known = values[Int(node.a)] { return known }
                let found = reads(valueRoots[Int(node.a)])
                values[Int(node.a)] = found
                return found
            case .criterion:
                if let known = criteria[Int(node.a)] { return known }
                let found = reads(criterionRoots[Int(node.a)])
                criteria[Int(node.a)] = found
                return found
            case .and, .or, .minimum, .maximum:
                var set = InputSet()
                for offset in 0..<Int(node.listCount) { set = set.union(reads(lists[Int(node.listStart) + offset])) }
                return set
            case .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual,
                .member, .ifThenElse, .isKnown:
                var set = InputSet()
                // The children one by one: a literal array of the three would be allocated per node.
                if node.a >= 0 { set = set.union(reads(node.a)) }
                if node.b >= 0 { set = set.union(reads(node.b)) }
                if node.c >= 0 { set = set.union(reads(node.c)) }
                return set
            }
        }
    }

    /// The inputs the outcomes' conditions read: what the classification can depend on.
    static func classificationReads(_ ruleSet: RuleSet) -> InputSet {
        var walk = Walk(
            ruleSet, values: [InputSet?](repeating: nil, count: ruleSet.values.count),
            criteria: [InputSet?](repeating: nil, count: ruleSet.criteria.count))
        var set = InputSet()
        for outcome in ruleSet.outcomes { if let condition = outcome.condition { set = set.union(walk.reads(condition)) } }
        return set
    }
}

extension InputSet {
    /// Whether the two sets share an input.
    func intersects(_ other: InputSet) -> Bool {
        words.0 & other.words.0 | words.1 & other.words.1 | words.2 & other.words.2 | words.3 & other.words.3 != 0
    }
}
