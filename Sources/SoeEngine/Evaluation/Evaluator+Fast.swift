// The evaluator's fast lane: the same formulas over a value type with no reference inside.
//
// `Evaluated` can hold text, so every copy of it goes through outlined code that checks for a
// string to retain, and a batch makes hundreds of such copies per firm. Most formulas, for most
// firms, only ever see known numbers, yes/no values, choices and dates. For those, `fast` computes
// the result over `FastValue` (plain bytes) with the same `Exact` operations in the same order as
// `evaluate(_:)`. Whenever the answer would not be a plain known value (a missing input, a
// division by zero, an overflow, text, `is known`), it returns nil and the caller evaluates that
// definition with `evaluate(_:)`, which remains the one definition of what a formula means. So the
// fast lane can only ever give the same known value, never a different one; a test checks every
// stored result against `evaluate(_:)` on generated firms.

/// A known value without text: what most nodes compute, copied without reference counting.
enum FastValue: Equatable {
    case number(Exact)
    case bool(Bool)
    case choice(Int)
    case date(Day)

    /// The fast form of a scalar; nil for text and for missing values.
    init?(_ scalar: Scalar?) {
        switch scalar {
        case .number(let value)?: self = .number(value)
        case .bool(let value)?: self = .bool(value)
        case .choice(let value)?: self = .choice(value)
        case .date(let value)?: self = .date(value)
        case .text?, nil: return nil
        }
    }

    /// The fast form of a known result; nil for text and unknowns.
    init?(_ evaluated: Evaluated) {
        guard case .known(let scalar) = evaluated else { return nil }
        self.init(scalar)
    }

    var scalar: Scalar {
        switch self {
        case .number(let value): .number(value)
        case .bool(let value): .bool(value)
        case .choice(let value): .choice(value)
        case .date(let value): .date(value)
        }
    }

    /// `Scalar`'s equality for these cases: numbers by value, different kinds never equal.
    static func == (lhs: FastValue, rhs: FastValue) -> Bool {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.choice(let a), .choice(let b)): a == b
        case (.date(let a), .date(let b)): a == b
        default: false
        }
    }
}

extension Evaluator {
    /// The node's value when it is a plain known value, computed as `evaluate(_:)` would; nil
    /// when `evaluate(_:)` must decide (see the file comment).
    func fast(_ index: Int32) -> FastValue? {
        let node = nodes[Int(index)]
        switch node.op {
        case .constant: return fastConstants[Int(node.a)]
        case .input: return fastInputs[Int(node.a)]
        case .parameter: return fastParameters[Int(node.a)]
        case .value: return fastValues[Int(node.a)]
        case .criterion: return fastCriteria[Int(node.a)]
        case .not:
            guard let value = fast(node.a) else { return nil }
            if case .bool(let flag) = value { return .bool(!flag) }
            return value
        case .negate:
            guard let value = fast(node.a) else { return nil }
            guard case .number(let number) = value else { return value }
            return number.negated().map(FastValue.number)
        case .and, .or:
            let decisive = node.op == .or
            let start = Int(node.listStart)
            for offset in 0..<Int(node.listCount) {
                guard let value = fast(lists[start + offset]) else { return nil }
                if case .bool(let flag) = value, flag == decisive { return .bool(decisive) }
            }
            return .bool(!decisive)
        case .add, .subtract, .multiply, .divide:
            guard case .number(let a)? = fast(node.a), case .number(let b)? = fast(node.b) else { return nil }
            switch node.op {
            case .add: return a.adding(b).map(FastValue.number)
            case .subtract: return a.subtracting(b).map(FastValue.number)
            case .multiply: return a.multiplying(b).map(FastValue.number)
            default: return b.isZero ? nil : a.dividing(b).map(FastValue.number)
            }
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            guard let a = fast(node.a), let b = fast(node.b) else { return nil }
            let order: Int
            if case .number(let x) = a, case .number(let y) = b {
                order = x < y ? -1 : (x == y ? 0 : 1)
            } else if case .date(let x) = a, case .date(let y) = b {
                order = x < y ? -1 : (x == y ? 0 : 1)
            } else {
                order = a == b ? 0 : 1
            }
            switch node.op {
            case .equal: return .bool(order == 0)
            case .notEqual: return .bool(order != 0)
            case .less: return .bool(order < 0)
            case .lessEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .member:
            guard let value = fast(node.a) else { return nil }
            guard case .choice(let choice) = value else { return .bool(node.flag) }
            let isIn = choice >= 0 && choice < 64 && node.mask & (UInt64(1) << UInt64(choice)) != 0
            return .bool(isIn != node.flag)
        case .isKnown:
            // Whether the operand is known, when this lane gives up, is for `evaluate(_:)` to say.
            return nil
        case .ifThenElse:
            guard let condition = fast(node.a) else { return nil }
            if case .bool(true) = condition { return fast(node.b) }
            return fast(node.c)
        case .minimum, .maximum:
            var best: Exact?
            let start = Int(node.listStart)
            for offset in 0..<Int(node.listCount) {
                guard let value = fast(lists[start + offset]) else { return nil }
                guard case .number(let number) = value else { continue }
                if let current = best {
                    best = node.op == .minimum ? Exact.minimum(current, number) : Exact.maximum(current, number)
                } else {
                    best = number
                }
            }
            return best.map(FastValue.number)
        }
    }
}
