import SoeLanguage

// What a formula means: `Evaluator.evaluate(_:)`, the one definition that the compiled program
// (Evaluator+Program.swift) must agree with, and that decides whatever the program leaves open.
// Missing data and undefined results flow by Kleene's logic (see `Evaluated`).

extension Evaluator {
    /// Evaluates one node of the current firm's formulas. Public so that the trace can show the
    /// value of every sub-formula, computed by the same code that decided.
    public func evaluate(_ index: Int32) -> Evaluated {
        // Once the whole program has run for this firm, a formula node's register holds its plain
        // known value when it has one (the program never settles a different value), so the tree
        // walk stops there: settling or tracing a firm then only descends into what the program
        // left open, not into every sub-formula below it. A reference's or constant's own node is
        // never a target, so its register stays `.none` and it is read below as always.
        if let settled = settledSlot(index) { return .known(settled.scalar) }
        let node = nodes[Int(index)]
        switch node.op {
        case .constant:
            return .known(constants[Int(node.a)])
        case .input:
            if let value = inputs[Int(node.a)] { return .known(value) }
            return .unknown(Unknown(missing: InputSet(Int(node.a))))
        case .parameter:
            return parameterResults[Int(node.a)]
        case .value:
            return valueResult(Int(node.a))
        case .criterion:
            return criterionResult(Int(node.a))
        case .not:
            switch evaluate(node.a) {
            case .known(.bool(let value)): return .known(.bool(!value))
            case let other: return other
            }
        case .negate:
            switch evaluate(node.a) {
            case .known(.number(let value)):
                guard let negated = value.negated() else { return overflow(index) }
                return .known(.number(negated))
            case let other: return other
            }
        case .and, .or:
            return junction(node, stopOn: node.op == .or)
        case .add, .subtract, .multiply, .divide:
            return arithmetic(node, index)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            return compare(node)
        case .member:
            switch evaluate(node.a) {
            case .known(.choice(let choice)):
                let isIn = choice >= 0 && choice < 64 && node.mask & (UInt64(1) << UInt64(choice)) != 0
                return .known(.bool(isIn != node.flag))
            case .known: return .known(.bool(node.flag))
            case let other: return other
            }
        case .isKnown:
            let known = evaluate(node.a).isKnown
            return .known(.bool(known != node.flag))
        case .ifThenElse:
            return conditional(node)
        case .minimum, .maximum:
            return extremum(node)
        }
    }

    /// The register of a formula node when the whole program has run for the current firm and
    /// settled it; nil otherwise (and always without a program).
    @inline(__always)
    func settledSlot(_ index: Int32) -> Slot? {
        // Borrowed without a retain: this runs for every node a trace or a settle pass visits.
        guard let operations = unretainedProgram?._withUnsafeGuaranteedRef({ $0.operations.count }),
            executed == operations
        else { return nil }
        let slot = slots[Int(index)]
        return slot.kind == .none ? nil : slot
    }

    func overflow(_ index: Int32) -> Evaluated {
        .unknown(Unknown(problem: Problem(kind: .overflow, node: index)))
    }

    /// `and`/`or` over any number of conditions, in Kleene logic: a deciding value wins over unknowns.
    func junction(_ node: ExpressionNode, stopOn decisive: Bool) -> Evaluated {
        var unknown: Unknown?
        let start = Int(node.listStart)
        for offset in 0..<Int(node.listCount) {
            switch evaluate(lists[start + offset]) {
            case .known(.bool(let value)):
                if value == decisive { return .known(.bool(decisive)) }
            case .known:
                continue
            case .unknown(let other):
                unknown = unknown.map { $0.merged(with: other) } ?? other
            }
        }
        if let unknown { return .unknown(unknown) }
        return .known(.bool(!decisive))
    }

    /// Both operands as numbers, or the merged unknown of those that are not known.
    func arithmetic(_ node: ExpressionNode, _ index: Int32) -> Evaluated {
        let left = evaluate(node.a)
        let right = evaluate(node.b)
        // Sequential matches rather than a switch over the pair: a tuple of enums with a String
        // inside is copied and destroyed through the runtime's generic witnesses.
        guard case .known(let x) = left, case .known(let y) = right else { return Evaluator.mergedUnknown(left, right) }
        guard case .number(let a) = x, case .number(let b) = y else { return .unknown(Unknown()) }
        let result: Exact?
        switch node.op {
        case .add: result = a.adding(b)
        case .subtract: result = a.subtracting(b)
        case .multiply: result = a.multiplying(b)
        case .divide:
            if b.isZero { return .unknown(Unknown(problem: Problem(kind: .divisionByZero, node: index))) }
            result = a.dividing(b)
        // Not arithmetic: `evaluate(_:)` never sends these here; listed so that a new operator must be placed.
        case .constant, .input, .parameter, .value, .criterion, .negate, .not, .equal, .notEqual, .less, .lessEqual, .greater,
            .greaterEqual, .and, .or, .member, .ifThenElse, .minimum, .maximum, .isKnown:
            return .unknown(Unknown())
        }
        guard let result else { return overflow(index) }
        return .known(.number(result))
    }

    /// The unknown of two operands when at least one is unknown: both merged, or the one that is.
    static func mergedUnknown(_ left: Evaluated, _ right: Evaluated) -> Evaluated {
        if case .unknown(let a) = left {
            if case .unknown(let b) = right { return .unknown(a.merged(with: b)) }
            return left
        }
        return right
    }

    func compare(_ node: ExpressionNode) -> Evaluated {
        let left = evaluate(node.a)
        let right = evaluate(node.b)
        guard case .known(let a) = left, case .known(let b) = right else { return Evaluator.mergedUnknown(left, right) }
        let order: Int
        if case .number(let x) = a, case .number(let y) = b {
            order = x < y ? -1 : (x == y ? 0 : 1)
        } else if case .date(let x) = a, case .date(let y) = b {
            order = x < y ? -1 : (x == y ? 0 : 1)
        } else {
            order = a == b ? 0 : 1
        }
        let result: Bool
        switch node.op {
        case .equal: result = order == 0
        case .notEqual: result = order != 0
        case .less: result = order < 0
        case .lessEqual: result = order <= 0
        case .greater: result = order > 0
        case .greaterEqual: result = order >= 0
        // Not comparisons: `evaluate(_:)` never sends these here; listed so that a new operator must be placed.
        case .constant, .input, .parameter, .value, .criterion, .negate, .not, .add, .subtract, .multiply, .divide, .and, .or, .member,
            .ifThenElse, .minimum, .maximum, .isKnown:
            return .unknown(Unknown())
        }
        return .known(.bool(result))
    }

    /// `if c then a else b`: with `c` unknown the result is still known when both branches agree.
    func conditional(_ node: ExpressionNode) -> Evaluated {
        switch evaluate(node.a) {
        case .known(.bool(true)): return evaluate(node.b)
        case .known: return evaluate(node.c)
        case .unknown(let unknown):
            let thenValue = evaluate(node.b)
            let elseValue = evaluate(node.c)
            if case .known(let a) = thenValue, case .known(let b) = elseValue, a == b { return thenValue }
            var merged = unknown
            if case .unknown(let other) = thenValue { merged = merged.merged(with: other) }
            if case .unknown(let other) = elseValue { merged = merged.merged(with: other) }
            return .unknown(merged)
        }
    }

    func extremum(_ node: ExpressionNode) -> Evaluated {
        var best: Exact?
        var unknown: Unknown?
        let start = Int(node.listStart)
        for offset in 0..<Int(node.listCount) {
            switch evaluate(lists[start + offset]) {
            case .known(.number(let value)):
                if let current = best {
                    best = node.op == .minimum ? Exact.minimum(current, value) : Exact.maximum(current, value)
                } else {
                    best = value
                }
            case .known: continue
            case .unknown(let other): unknown = unknown.map { $0.merged(with: other) } ?? other
            }
        }
        if let unknown { return .unknown(unknown) }
        guard let best else { return .unknown(Unknown()) }
        return .known(.number(best))
    }
}
