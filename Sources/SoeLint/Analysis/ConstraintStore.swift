import SoeLanguage

/// The solver of the condition analysis: a conjunction of literals, kept per variable, that knows
/// when it has become contradictory.
///
/// Because the variables of the analysis are independent (see `Literal`), a conjunction is
/// satisfiable exactly when the literals on each variable are, and adding a literal only has to
/// look at the state of its own variable: a yes/no value, a set of choices, or the lower and upper
/// bounds and excluded values of a numeric variable. Each check is therefore a few comparisons,
/// which is what lets the linter compare thousands of outcomes.
///
/// The solver is sound for "contradiction": it reports one only when no date and no firm can
/// satisfy the literals. Bounds that name a parameter are compared through the range of the
/// parameter's values over all its periods, so a comparison holds on every date or is not used.
final class ConditionSpace {
    let variables = VariableTable()
    /// The hull of each parameter's values, nil for non-numeric parameters.
    let parameterRanges: [ValueRange?]

    init(parameterRanges: [ValueRange?]) {
        self.parameterRanges = parameterRanges
    }

    /// The values a bound can take over all dates; nil when unknown.
    ///
    /// The usual bound is the parameter itself (`share > share_max`: scale 1, offset 0), whose
    /// values are its range as it is: what `scaled(_:by:)` gives for a range with both ends in
    /// order (1 × x + 0 = x; a parameter's range is the hull of its values, so always), without
    /// its exact products and an array each time: 80,000 of the 1.1 M instructions of the lint
    /// errors of a one-firm `soe evaluate` (docs/benchmark.md, "Steps of wave 3, session 10: cold
    /// start").
    func range(of bound: Bound) -> ValueRange? {
        if bound.isConstant { return .point(bound.offset) }
        guard Int(bound.parameter) < parameterRanges.count, let values = parameterRanges[Int(bound.parameter)] else { return nil }
        if bound.offset.isZero, bound.scale == Exact.one, let low = values.lower, let high = values.upper, !(high < low) {
            return values
        }
        return ConditionSpace.scaled(values, by: bound)
    }

    /// `scale × values + offset` by interval arithmetic: the general way of `range(of:)`.
    static func scaled(_ values: ValueRange, by bound: Bound) -> ValueRange {
        ValueRange.point(bound.scale).multiplying(values).adding(.point(bound.offset))
    }

    /// Whether `a >= b` (or `a > b` when `strict`) on every date.
    func surely(_ a: Bound, atLeast b: Bound, strict: Bool) -> Bool {
        if a.parameter == b.parameter && (a.isConstant || a.scale == b.scale) {
            return strict ? b.offset < a.offset : !(a.offset < b.offset)
        }
        guard let lowA = range(of: a)?.lower, let highB = range(of: b)?.upper else { return false }
        return strict ? highB < lowA : !(lowA < highB)
    }
}

/// What a conjunction says about one numeric variable: the tightest constant bounds inline
/// (the common case, which then needs no allocation), bounds that name a parameter, and the
/// values it must differ from.
struct NumericState: Sendable {
    var lower: (value: Exact, strict: Bool)?
    var upper: (value: Exact, strict: Bool)?
    var symbolicLowers: [(bound: Bound, strict: Bool)] = []
    var symbolicUppers: [(bound: Bound, strict: Bool)] = []
    var excluded: [Bound] = []

    mutating func addLower(_ bound: Bound, strict: Bool) {
        guard bound.isConstant else { return symbolicLowers.append((bound, strict)) }
        let value = bound.offset
        if let current = lower, value < current.value || (value == current.value && current.strict) { return }
        lower = (value, strict)
    }

    mutating func addUpper(_ bound: Bound, strict: Bool) {
        guard bound.isConstant else { return symbolicUppers.append((bound, strict)) }
        let value = bound.offset
        if let current = upper, current.value < value || (value == current.value && current.strict) { return }
        upper = (value, strict)
    }

    /// Every lower bound, constant or not.
    var lowers: [(bound: Bound, strict: Bool)] {
        lower.map { [(Bound.constant($0.value), $0.strict)] + symbolicLowers } ?? symbolicLowers
    }

    /// Every upper bound, constant or not.
    var uppers: [(bound: Bound, strict: Bool)] {
        upper.map { [(Bound.constant($0.value), $0.strict)] + symbolicUppers } ?? symbolicUppers
    }
}

/// What a conjunction says about one variable.
enum VariableState: Sendable {
    case free
    case flag(Bool)
    case choice(UInt64)
    case numeric(NumericState)
}

/// A satisfiable conjunction of literals, or the knowledge that adding one made it contradictory.
struct ConstraintStore {
    let space: ConditionSpace
    private(set) var states: [Int32: VariableState] = [:]

    init(space: ConditionSpace) {
        self.space = space
    }

    /// Adds a literal; false when the conjunction has become contradictory (the store is then unusable).
    mutating func add(_ literal: Literal) -> Bool {
        var state = states[literal.variable] ?? initialState(literal.variable)
        let ok = apply(literal, to: &state)
        states[literal.variable] = state
        return ok
    }

    /// Adds literals in order; false at the first contradiction.
    mutating func add(_ literals: [Literal]) -> Bool {
        for literal in literals where !add(literal) { return false }
        return true
    }

    /// Whether the literal holds in every world this conjunction allows.
    func entails(_ literal: Literal) -> Bool {
        var state = states[literal.variable] ?? initialState(literal.variable)
        return !apply(space.variables.negate(literal), to: &state)
    }

    /// Whether the literal can hold together with this conjunction.
    func admits(_ literal: Literal) -> Bool {
        var state = states[literal.variable] ?? initialState(literal.variable)
        return apply(literal, to: &state)
    }

    /// A variable's state before any literal: its declared domain, if it has one.
    func initialState(_ variable: Int32) -> VariableState {
        guard variable >= 0, Int(variable) < space.variables.count else { return .free }
        switch space.variables.kinds[Int(variable)] {
        case .flag: return .free
        case .choice(let domain, _): return .choice(domain)
        case .numeric(let info):
            var state = NumericState()
            if let low = info.domain?.lower { state.lower = (low, false) }
            if let high = info.domain?.upper { state.upper = (high, false) }
            return .numeric(state)
        }
    }

    func apply(_ literal: Literal, to state: inout VariableState) -> Bool {
        switch literal {
        case .flag(_, let value):
            if case .flag(let current) = state { return current == value }
            state = .flag(value)
            return true
        case .choice(_, let mask):
            let current: UInt64 = if case .choice(let known) = state { known } else { ~0 }
            let remaining = current & mask
            state = .choice(remaining)
            return remaining != 0
        case .compare(let variable, let relation, let bound):
            var numeric: NumericState = if case .numeric(let known) = state { known } else { NumericState() }
            switch relation {
            case .less: numeric.addUpper(bound, strict: true)
            case .lessEqual: numeric.addUpper(bound, strict: false)
            case .greater: numeric.addLower(bound, strict: true)
            case .greaterEqual: numeric.addLower(bound, strict: false)
            case .equal:
                numeric.addLower(bound, strict: false)
                numeric.addUpper(bound, strict: false)
            case .notEqual: numeric.excluded.append(bound)
            }
            state = .numeric(numeric)
            return isSatisfiable(numeric, isInteger: space.variables.numeric(variable)?.isInteger ?? false)
        }
    }

    func isSatisfiable(_ state: NumericState, isInteger: Bool) -> Bool {
        // Bounds that name a parameter, against every bound on the other side.
        if !state.symbolicLowers.isEmpty || !state.symbolicUppers.isEmpty {
            let lowers = state.lowers
            let uppers = state.uppers
            for low in lowers {
                for high in uppers
                where !(low.bound.isConstant && high.bound.isConstant)
                    && space.surely(low.bound, atLeast: high.bound, strict: !(low.strict || high.strict))
                {
                    return false
                }
            }
            // A variable pinned to one value by equal bounds cannot also differ from it.
            for low in lowers where !low.strict {
                for high in uppers where !high.strict && high.bound == low.bound && state.excluded.contains(low.bound) {
                    return false
                }
            }
        }
        guard let low = state.lower, let high = state.upper else { return true }
        if isInteger {
            // Narrowed to whole numbers: `n > 2 and n < 3` holds for no count.
            let first = low.strict ? low.value.floorValue().adding(Exact.one) : low.value.ceilValue()
            let last = high.strict ? high.value.ceilValue().subtracting(Exact.one) : high.value.floorValue()
            guard let first, let last else { return true }
            if last < first { return false }
            if first == last, state.excluded.contains(.constant(first)) { return false }
            return true
        }
        if high.value < low.value { return false }
        if low.value == high.value {
            if low.strict || high.strict { return false }
            if state.excluded.contains(.constant(low.value)) { return false }
        }
        return true
    }
}

extension Exact {
    /// The largest whole number not above this value.
    func floorValue() -> Exact {
        let quotient = numerator / denominator
        let adjusted = (numerator % denominator != 0 && numerator < 0) ? quotient - 1 : quotient
        return Exact(integer: adjusted)
    }

    /// The smallest whole number not below this value.
    func ceilValue() -> Exact {
        let quotient = numerator / denominator
        let adjusted = (numerator % denominator != 0 && numerator > 0) ? quotient + 1 : quotient
        return Exact(integer: adjusted)
    }
}
