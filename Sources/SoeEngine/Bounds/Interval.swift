import SoeLanguage

/// One end of an interval: an exact value that is included (closed) or not (open), or no value at
/// all, which means the interval is unbounded on that side.
public struct IntervalEnd: Sendable, Equatable {
    /// nil: unbounded (−∞ for a lower end, +∞ for an upper end).
    public var value: Exact?
    /// Whether the value itself belongs to the interval; always false when unbounded.
    public var closed: Bool

    public static let unbounded = IntervalEnd(value: nil, closed: false)
    static func closed(_ value: Exact) -> IntervalEnd { IntervalEnd(value: value, closed: true) }
}

/// A set of exact rationals between two ends, each open, closed or unbounded: the values a
/// formula can take when some of its inputs are missing. Every operation over-approximates (the
/// result contains every value the operation can give on members of its operands), which is what
/// makes the bounds sound; an operation that would overflow the exact range gives nil, and the
/// caller then knows nothing.
public struct Interval: Sendable, Equatable {
    public var lower: IntervalEnd
    public var upper: IntervalEnd

    public init(lower: IntervalEnd, upper: IntervalEnd) {
        self.lower = lower
        self.upper = upper
    }

    /// Every number.
    public static let all = Interval(lower: .unbounded, upper: .unbounded)
    /// No number: the formula never has a value (it always fails).
    public static let empty = Interval(lower: .closed(.one), upper: .closed(.zero))

    /// Exactly one value.
    public static func point(_ value: Exact) -> Interval { Interval(lower: .closed(value), upper: .closed(value)) }

    /// From an optional minimum to an optional maximum, both included.
    public static func between(_ minimum: Exact?, _ maximum: Exact?) -> Interval {
        Interval(
            lower: minimum.map { .closed($0) } ?? .unbounded,
            upper: maximum.map { .closed($0) } ?? .unbounded)
    }

    public var isEmpty: Bool {
        guard let low = lower.value, let high = upper.value else { return false }
        if high < low { return true }
        return low == high && !(lower.closed && upper.closed)
    }

    /// The single value, when the interval holds exactly one.
    public var point: Exact? {
        guard let low = lower.value, let high = upper.value, low == high, lower.closed, upper.closed else { return nil }
        return low
    }

    public func contains(_ value: Exact) -> Bool {
        if let low = lower.value, value < low || (value == low && !lower.closed) { return false }
        if let high = upper.value, high < value || (value == high && !upper.closed) { return false }
        return true
    }

    /// Whether some member is above zero, equal to zero, below zero: a comparison of two numbers
    /// is read off the interval of their difference.
    var signs: (negative: Bool, zero: Bool, positive: Bool) {
        if isEmpty { return (false, false, false) }
        let negative = lower.value.map { $0 < .zero } ?? true
        let positive = upper.value.map { .zero < $0 } ?? true
        return (negative, contains(.zero), positive)
    }

    /// The signs of `x - y` for x in this interval and y in the other, read off the ends without
    /// subtracting (so that no overflow can get in the way): below zero when some x is below some y.
    func differenceSigns(_ other: Interval) -> (negative: Bool, zero: Bool, positive: Bool) {
        if isEmpty || other.isEmpty { return (false, false, false) }
        func below(_ a: IntervalEnd, _ b: IntervalEnd) -> Bool {
            guard let x = a.value, let y = b.value else { return true }
            return x < y
        }
        let negative = below(lower, other.upper)
        let positive = below(other.lower, upper)
        let low = Interval.inner(lower, other.lower, lowerSide: true)
        let high = Interval.inner(upper, other.upper, lowerSide: false)
        return (negative, !Interval(lower: low, upper: high).isEmpty, positive)
    }

    public func negated() -> Interval? {
        if isEmpty { return self }
        var result = Interval(lower: upper, upper: lower)
        if let value = upper.value {
            guard let negated = value.negated() else { return nil }
            result.lower.value = negated
        }
        if let value = lower.value {
            guard let negated = value.negated() else { return nil }
            result.upper.value = negated
        }
        return result
    }

    public func adding(_ other: Interval) -> Interval? {
        if isEmpty || other.isEmpty { return .empty }
        func combine(_ a: IntervalEnd, _ b: IntervalEnd) -> IntervalEnd? {
            guard let x = a.value, let y = b.value else { return .unbounded }
            guard let sum = x.adding(y) else { return nil }
            return IntervalEnd(value: sum, closed: a.closed && b.closed)
        }
        guard let low = combine(lower, other.lower), let high = combine(upper, other.upper) else { return nil }
        return Interval(lower: low, upper: high)
    }

    public func subtracting(_ other: Interval) -> Interval? {
        guard let negated = other.negated() else { return nil }
        return adding(negated)
    }

    /// Every member times an exact factor.
    public func scaled(by factor: Exact) -> Interval? {
        if isEmpty { return self }
        if factor.isZero { return .point(.zero) }
        func scale(_ end: IntervalEnd) -> IntervalEnd? {
            guard let value = end.value else { return .unbounded }
            guard let product = value.multiplying(factor) else { return nil }
            return IntervalEnd(value: product, closed: end.closed)
        }
        guard let low = scale(lower), let high = scale(upper) else { return nil }
        return factor.isNegative ? Interval(lower: high, upper: low) : Interval(lower: low, upper: high)
    }

    /// The product of two intervals: the extremes are among the four products of their ends
    /// (with 0 × ∞ read as 0, the limit the members approach).
    public func multiplying(_ other: Interval) -> Interval? {
        if isEmpty || other.isEmpty { return .empty }
        if let factor = other.point { return scaled(by: factor) }
        if let factor = point { return other.scaled(by: factor) }
        var low: Candidate?
        var high: Candidate?
        for a in [(lower, -1), (upper, 1)] {
            for b in [(other.lower, -1), (other.upper, 1)] {
                guard let candidate = Candidate.product(a.0, a.1, b.0, b.1) else { return nil }
                low = low.map { Candidate.lesser($0, candidate) } ?? candidate
                high = high.map { Candidate.greater($0, candidate) } ?? candidate
            }
        }
        guard let low, let high else { return nil }
        return Interval(lower: low.end(isLower: true), upper: high.end(isLower: false))
    }

    /// 1 / x for every member, when no member is zero; nil when one may be (or on overflow).
    public func reciprocal() -> Interval? {
        if isEmpty { return self }
        let (negative, zero, positive) = signs
        guard !zero, !(negative && positive) else { return nil }
        func invert(_ end: IntervalEnd) -> IntervalEnd? {
            guard let value = end.value else { return IntervalEnd(value: .zero, closed: false) }
            if value.isZero { return .unbounded }
            guard let inverse = Exact.one.dividing(value) else { return nil }
            return IntervalEnd(value: inverse, closed: end.closed)
        }
        guard let low = invert(upper), let high = invert(lower) else { return nil }
        return Interval(lower: low, upper: high)
    }

    /// The smallest interval holding both.
    public func hull(_ other: Interval) -> Interval {
        if isEmpty { return other }
        if other.isEmpty { return self }
        return Interval(
            lower: Interval.outer(lower, other.lower, lowerSide: true), upper: Interval.outer(upper, other.upper, lowerSide: false))
    }

    /// The interval of `min(a, b)` (or `max` with `maximum`) for members a, b of the two intervals.
    public func extremum(_ other: Interval, maximum: Bool) -> Interval {
        if isEmpty || other.isEmpty { return .empty }
        if maximum {
            return Interval(
                lower: Interval.inner(lower, other.lower, lowerSide: true), upper: Interval.outer(upper, other.upper, lowerSide: false))
        }
        return Interval(
            lower: Interval.outer(lower, other.lower, lowerSide: true), upper: Interval.inner(upper, other.upper, lowerSide: false))
    }

    /// The end further out of two ends on the same side.
    static func outer(_ a: IntervalEnd, _ b: IntervalEnd, lowerSide: Bool) -> IntervalEnd {
        guard let x = a.value, let y = b.value else { return .unbounded }
        if x == y { return IntervalEnd(value: x, closed: a.closed || b.closed) }
        return (x < y) == lowerSide ? a : b
    }

    /// The end further in of two ends on the same side.
    static func inner(_ a: IntervalEnd, _ b: IntervalEnd, lowerSide: Bool) -> IntervalEnd {
        guard let x = a.value else { return b }
        guard let y = b.value else { return a }
        if x == y { return IntervalEnd(value: x, closed: a.closed && b.closed) }
        return (x < y) == lowerSide ? b : a
    }

    /// Whole numbers only: the ends rounded inwards (a count can only take whole values).
    func integral() -> Interval {
        var result = self
        if let low = lower.value {
            var ceiling = low.numerator / low.denominator
            if low.numerator > 0 && low.numerator % low.denominator != 0 { ceiling += 1 }
            if !lower.closed && Exact(integer: ceiling) == low { ceiling += 1 }
            result.lower = .closed(Exact(integer: ceiling))
        }
        if let high = upper.value {
            var floor = high.numerator / high.denominator
            if high.numerator < 0 && high.numerator % high.denominator != 0 { floor -= 1 }
            if !upper.closed && Exact(integer: floor) == high { floor -= 1 }
            result.upper = .closed(Exact(integer: floor))
        }
        return result
    }
}

/// One product of two interval ends, on the extended line.
struct Candidate {
    /// -1: −∞, 1: +∞, 0: finite `value`.
    var infinity: Int
    var value: Exact
    var closed: Bool

    static func product(_ a: IntervalEnd, _ aSide: Int, _ b: IntervalEnd, _ bSide: Int) -> Candidate? {
        switch (a.value, b.value) {
        case (let x?, let y?):
            guard let product = x.multiplying(y) else { return nil }
            // A closed zero times anything in the other interval is a zero that is reached.
            let closed = (a.closed && b.closed) || (x.isZero && a.closed) || (y.isZero && b.closed)
            return Candidate(infinity: 0, value: product, closed: closed)
        case (let x?, nil):
            if x.isZero { return Candidate(infinity: 0, value: .zero, closed: a.closed) }
            return Candidate(infinity: x.isNegative ? -bSide : bSide, value: .zero, closed: false)
        case (nil, let y?):
            if y.isZero { return Candidate(infinity: 0, value: .zero, closed: b.closed) }
            return Candidate(infinity: y.isNegative ? -aSide : aSide, value: .zero, closed: false)
        case (nil, nil):
            return Candidate(infinity: aSide * bSide, value: .zero, closed: false)
        }
    }

    static func lesser(_ a: Candidate, _ b: Candidate) -> Candidate {
        if a.infinity != b.infinity { return a.infinity < b.infinity ? a : b }
        if a.infinity != 0 || a.value == b.value { return Candidate(infinity: a.infinity, value: a.value, closed: a.closed || b.closed) }
        return a.value < b.value ? a : b
    }

    static func greater(_ a: Candidate, _ b: Candidate) -> Candidate {
        if a.infinity != b.infinity { return a.infinity > b.infinity ? a : b }
        if a.infinity != 0 || a.value == b.value { return Candidate(infinity: a.infinity, value: a.value, closed: a.closed || b.closed) }
        return a.value < b.value ? b : a
    }

    func end(isLower: Bool) -> IntervalEnd {
        infinity == 0 ? IntervalEnd(value: value, closed: closed) : .unbounded
    }
}
