import SoeLanguage

/// The closed range of numbers a formula can take, as far as the declared `min`/`max` of the
/// inputs and the values of the parameters tell: the interval analysis behind the checks that ask
/// "can this divisor be zero?", "is this threshold outside what the value can reach?" and "what
/// values does this input take at all?".
///
/// A missing end means "no limit is known". The analysis over-approximates: the real values of a
/// formula always lie inside its range, so a range that excludes zero proves a divisor is never
/// zero. Ratios (divisions) are deliberately not bounded (`range(of:)` gives nil): a share is
/// conceptually between 0 % and 100 %, and the threshold check relies on that instead.
struct ValueRange: Equatable, Sendable {
    var lower: Exact?
    var upper: Exact?

    static let unbounded = ValueRange(lower: nil, upper: nil)

    static func point(_ value: Exact) -> ValueRange { ValueRange(lower: value, upper: value) }

    func contains(_ value: Exact) -> Bool {
        if let lower, value < lower { return false }
        if let upper, upper < value { return false }
        return true
    }

    /// The smallest range holding both.
    func hull(_ other: ValueRange) -> ValueRange {
        let low: Exact? = if let a = lower, let b = other.lower { Exact.minimum(a, b) } else { nil }
        let high: Exact? = if let a = upper, let b = other.upper { Exact.maximum(a, b) } else { nil }
        return ValueRange(lower: low, upper: high)
    }

    func adding(_ other: ValueRange) -> ValueRange {
        ValueRange(
            lower: lower.flatMap { a in other.lower.flatMap { a.adding($0) } },
            upper: upper.flatMap { a in other.upper.flatMap { a.adding($0) } })
    }

    func negated() -> ValueRange {
        ValueRange(lower: upper.flatMap { $0.negated() }, upper: lower.flatMap { $0.negated() })
    }

    /// Interval multiplication: exact when both ranges are bounded; with an open end only the
    /// sign-safe case of two non-negative ranges is kept.
    func multiplying(_ other: ValueRange) -> ValueRange {
        if let a = lower, let b = upper, let c = other.lower, let d = other.upper {
            let products = [a.multiplying(c), a.multiplying(d), b.multiplying(c), b.multiplying(d)]
            let known = products.compactMap { $0 }
            guard known.count == 4, let first = known.first else { return .unbounded }
            return ValueRange(
                lower: known.dropFirst().reduce(first, Exact.minimum),
                upper: known.dropFirst().reduce(first, Exact.maximum))
        }
        if let a = lower, let c = other.lower, !a.isNegative, !c.isNegative {
            let high: Exact? = if let b = upper, let d = other.upper { b.multiplying(d) } else { nil }
            return ValueRange(lower: a.multiplying(c), upper: high)
        }
        return .unbounded
    }
}

/// Computes `ValueRange`s for the nodes of a checked rule set, remembering derived values.
struct RangeAnalysis {
    let ruleSet: RuleSet
    private var valueRanges: [Int: ValueRange?] = [:]

    init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
    }

    /// The range of an input, from its declared bounds; counts are never negative (the firm
    /// reader rejects negative counts).
    func range(ofInput index: Int) -> ValueRange {
        let input = ruleSet.inputs[index]
        var range = ValueRange(lower: input.minimum, upper: input.maximum)
        if input.type == .count, range.lower.map({ $0 < Exact.zero }) ?? true { range.lower = Exact.zero }
        return range
    }

    /// The hull of every value a numeric parameter has on any date; nil when it has none.
    func range(ofParameter index: Int) -> ValueRange? {
        var result: ValueRange?
        for dated in ruleSet.parameters[index].values {
            guard case .number(let value) = dated.value else { return nil }
            result = result.map { $0.hull(.point(value)) } ?? .point(value)
        }
        return result
    }

    /// The range of a derived value, computed once. Calling this in evaluation order keeps the
    /// recursion shallow however long a chain of values is.
    mutating func range(ofValue value: Int) -> ValueRange? {
        if let known = valueRanges[value] { return known }
        valueRanges[value] = .some(nil)  // values are acyclic; this only guards against surprises
        let computed = range(of: ruleSet.values[value].root)
        valueRanges[value] = computed
        return computed
    }

    /// The range of a numeric formula, or nil when nothing can be said (ratios, non-numbers).
    mutating func range(of index: Int32) -> ValueRange? {
        let nodes = ruleSet.nodes
        guard index >= 0, Int(index) < nodes.count else { return nil }
        let node = nodes[Int(index)]
        switch node.op {
        case .constant:
            if case .number(let value) = ruleSet.constant(of: node) { return .point(value) }
            return nil
        case .input:
            return ruleSet.inputs[Int(node.a)].type.isNumeric ? range(ofInput: Int(node.a)) : nil
        case .parameter:
            return range(ofParameter: Int(node.a))
        case .value:
            return range(ofValue: Int(node.a))
        case .negate:
            return range(of: node.a)?.negated()
        case .add:
            guard let a = range(of: node.a), let b = range(of: node.b) else { return nil }
            return a.adding(b)
        case .subtract:
            guard let a = range(of: node.a), let b = range(of: node.b) else { return nil }
            return a.adding(b.negated())
        case .multiply:
            guard let a = range(of: node.a), let b = range(of: node.b) else { return nil }
            return a.multiplying(b)
        case .minimum, .maximum:
            var parts: [ValueRange] = []
            for offset in 0..<Int(node.listCount) {
                guard let part = range(of: ruleSet.lists[Int(node.listStart) + offset]) else { return nil }
                parts.append(part)
            }
            return node.op == .minimum ? RangeAnalysis.minimum(parts) : RangeAnalysis.maximum(parts)
        case .ifThenElse:
            guard let a = range(of: node.b), let b = range(of: node.c) else { return nil }
            return a.hull(b)
        case .criterion, .not, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and, .or, .member, .isKnown:
            return nil
        }
    }

    /// min(a, b, …) lies between the smallest lower bound and the smallest upper bound.
    static func minimum(_ parts: [ValueRange]) -> ValueRange? {
        guard let first = parts.first else { return nil }
        return parts.dropFirst().reduce(first) { result, part in
            let low: Exact? = if let a = result.lower, let b = part.lower { Exact.minimum(a, b) } else { nil }
            let high: Exact? =
                switch (result.upper, part.upper) {
                case (let a?, let b?): Exact.minimum(a, b)
                case (let a?, nil): a
                case (nil, let b): b
                }
            return ValueRange(lower: low, upper: high)
        }
    }

    /// max(a, b, …) lies between the largest lower bound and the largest upper bound.
    static func maximum(_ parts: [ValueRange]) -> ValueRange? {
        guard let first = parts.first else { return nil }
        return parts.dropFirst().reduce(first) { result, part in
            let low: Exact? =
                switch (result.lower, part.lower) {
                case (let a?, let b?): Exact.maximum(a, b)
                case (let a?, nil): a
                case (nil, let b): b
                }
            let high: Exact? = if let a = result.upper, let b = part.upper { Exact.maximum(a, b) } else { nil }
            return ValueRange(lower: low, upper: high)
        }
    }
}
