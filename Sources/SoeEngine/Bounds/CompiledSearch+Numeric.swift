import SoeLanguage

/// What the search found for one input of a decided firm.
enum InputAnswer {
    /// Not searched: missing, or a type with no counterfactual (a date, a text).
    case skip
    case unmovable, inconclusive
    case changes([Counterfactual])
    /// The input's changes were appended to the caller's list (`CompiledSearch.answer`): no array
    /// per input.
    case appended
}

extension CompiledSearch {
    /// One step of the search in one direction, as `Probe.SearchResult`, or `ask` when the
    /// compiled conditions cannot answer a candidate. The change `found` is already appended to the
    /// caller's list: a step is a plain tag, not a counterfactual copied out of each call.
    enum Step {
        case found
        case none, unsettled, ask
    }

    /// The search for one input; nil where the compiled conditions cannot answer for it (the caller
    /// then runs `Probe`). `upTo`: the inputs the conditions up to the firm's outcome read.
    /// The changes found are appended to `changes` (`.appended`); where it gives nil, `changes` is as
    /// it was.
    mutating func answer(_ index: Int, _ value: Scalar, upTo: InputSet, into changes: inout [Counterfactual]) -> InputAnswer? {
        let type = plan.types[index]
        switch (type, value) {
        case (.money, .number(let number)), (.percent, .number(let number)), (.count, .number(let number)),
            (.number, .number(let number)):
            return answer(index, number: number, upTo: upTo, into: &changes)
        case (.bool, .bool(let current)):
            if conditionsOpaque.contains(index) { return nil }
            // The flip's answer from the plan's table where it has it (h-cf16): no move, no formula
            // read again.
            var key: KeptMemo.FlipKey?
            if memoizes {
                makeFirmKey()
                let made = KeptMemo.FlipKey(
                    low: firmKey.low, high: firmKey.high, input: Int32(truncatingIfNeeded: index),
                    outcome: Int32(truncatingIfNeeded: outcome))
                switch Unmanaged.passUnretained(plan.keptMemo)._withUnsafeGuaranteedRef({ $0.flip(made) }) {
                case .ask: return nil
                case .unmovable: return .unmovable
                case .change(let changed, let criteria):
                    changes.append(
                        Counterfactual(
                            input: index, from: value, to: .bool(!current), change: nil, beyond: false, outcome: changed, criteria: criteria
                        ))
                    return .appended
                case nil: key = made
                }
            }
            _ = move(index, from: nil)
            flag = !current
            switch alternative(index, from: value, to: .bool(!current), number: nil, change: nil) {
            case nil:
                if let key { plan.keptMemo.note(key, .ask) }
                return nil
            case .some(nil):
                if let key { plan.keptMemo.note(key, .unmovable) }
                return .unmovable
            case .some(let change?):
                if let key { plan.keptMemo.note(key, .change(outcome: change.outcome, criteria: change.criteria)) }
                changes.append(change)
                return .appended
            }
        case (.choice, .choice):
            return nil
        case (.money, _), (.percent, _), (.count, _), (.number, _), (.bool, _), (.choice, _), (.date, _), (.text, _):
            return .skip
        }
    }

    /// `answer` for an input whose value is a number, read by the caller out of the firm's inputs
    /// in place (no copy of the `Scalar` made and destroyed per input, as `answer` takes it).
    @inline(__always)
    mutating func answer(_ index: Int, number: Exact, upTo: InputSet, into changes: inout [Counterfactual]) -> InputAnswer? {
        let type = plan.types[index]
        switch type {
        case .money, .percent, .count, .number:
            guard let range = plan.ranges[index] else { return .skip }
            // An input that no condition up to the deciding one reads cannot change the outcome.
            if !upTo.contains(index) { return .unmovable }
            if conditionsOpaque.contains(index) { return nil }
            return numeric(index, value: number, range: range, type: type, into: &changes)
        case .bool, .choice, .date, .text:
            return .skip
        }
    }

    /// `Probe.numeric` with the compiled conditions: the breakpoints in order, each segment's
    /// inside value and each breakpoint tried nearest first, in each direction.
    mutating func numeric(_ index: Int, value: Exact, range: RangeCheck, type: ValueType, into changes: inout [Counterfactual])
        -> InputAnswer?
    {
        // The directions kept, from the plan's table before the move where it has them (h-cf16):
        // both kept, the input is unmovable with no move, filter or sort.
        let ahead = memoizes ? keptAhead(index, value: value, range: range) : Self.aheadUnknown
        if ahead == 3 { return .unmovable }
        guard move(index, from: value) else { return nil }
        let (onBreakpoint, lower) = filter(value: value, range: range)
        // Where the table lacks the answer, the check runs here (and notes it) even for an input
        // settled just below, so that the next firm with the same key finds it ahead.
        var known: UInt8? = ahead >= 0 ? UInt8(ahead) : nil
        if ahead == Self.aheadMissing { known = keptDirections(value: value, range: range) }
        // No breakpoint within the range and none at the value: every outcome condition keeps its
        // answer over the whole range, so every candidate the search would try (the range's ends)
        // gives the firm's outcome, when the compiled conditions give it at the firm's values.
        if incremental && sortedCount == 0 && !onBreakpoint && range.contains(value), case .some(let now) = firmOutcome,
            same(now, outcome)
        {
            return .unmovable
        }
        // The directions in which no candidate can change the outcome (the firm's other inputs hold
        // it whatever signs the moved atoms take): their search would find nothing.
        let kept = known ?? keptDirections(value: value, range: range)
        if kept == 3 { return .unmovable }
        // Below the value: a prefix; above it: the rest (the value itself is not among them). Equal
        // points lie on the same side, so the unique points below are those the first `lower`
        // sorted points leave.
        uniqueCount = 0
        var below = 0
        for entry in 0..<sortedCount {
            let point = sorted[entry]
            if !(uniqueCount > 0 && exactOrder(unique[uniqueCount - 1], point) == 0) {
                unique[uniqueCount] = point
                uniqueCount += 1
            }
            if entry == lower - 1 { below = uniqueCount }
        }
        let start = changes.count
        var unsettled = false
        let (points, count) = (unique, uniqueCount)
        for pass in 0..<2 {
            let up = pass == 0
            if kept & (up ? 1 : 2) != 0 { continue }
            switch search(index, value, range, points, count, below, up: up, type: type, besideKept: !onBreakpoint, into: &changes) {
            case .found, .none: break
            case .unsettled: unsettled = true
            case .ask:
                changes.removeSubrange(start...)
                return nil
            }
        }
        if changes.count > start { return .appended }
        return unsettled ? .inconclusive : .unmovable
    }

    /// The breakpoints within the range (`range.contains`), other than the value, into `sorted`
    /// in order: whether one lies at the value, and how many of those kept lie below it. Notes which
    /// breakpoints lie outside the range (`outside`) for `keptDirections`.
    mutating func filter(value: Exact, range: RangeCheck) -> (onBreakpoint: Bool, lower: Int) {
        // Where the value is not itself a breakpoint, the segments beside it hold the outcome it has.
        // One comparison with the value per breakpoint serves both that question and the filter.
        var onBreakpoint = false
        sortedCount = 0
        // How many of the points kept lie below the value: after the sort, a prefix.
        var lower = 0
        var outside: UInt64 = 0
        for entry in 0..<breakpointCount {
            let point = breakpoints[entry]
            let order = exactOrder(point, value)
            if order == 0 {
                onBreakpoint = true
                continue
            }
            // A range from a closed 0 (an amount, a count) is the numerator's sign, read here: the
            // call to `contains` was not inlined (about 130 instructions a firm on the screening).
            guard range.fromZero ? point.numerator >= 0 : range.contains(point) else {
                if entry < 64 { outside |= 1 << UInt64(entry) }
                continue
            }
            if order < 0 { lower += 1 }
            // Inserted in order, after any equal point: the order the standard library's (stable)
            // sort gives, so the same first of equal points is kept below.
            var slot = sortedCount
            sortedCount += 1
            while slot > 0 && exactOrder(sorted[slot - 1], point) > 0 {
                sorted[slot] = sorted[slot - 1]
                slot -= 1
            }
            sorted[slot] = point
        }
        // A point at the value lies within the range where the value does (not marked outside).
        self.outside = outside
        outsideKnown = breakpointCount <= 64
        return (onBreakpoint, lower)
    }

    /// `Probe.search` for exact breakpoints: the `count` of `points` ascending, those below the value
    /// first.
    mutating func search(
        _ index: Int, _ value: Exact, _ range: RangeCheck, _ points: UnsafeMutablePointer<Exact>, _ count: Int, _ below: Int, up: Bool,
        type: ValueType, besideKept: Bool, into changes: inout [Counterfactual]
    ) -> Step {
        // The declared end in this direction, read out of the range's plain fields (no copy of an
        // `Interval`'s optional ends per search).
        let hasEnd = up ? range.hasHigh : range.hasLow
        let endValue = up ? range.high : range.low
        let endClosed = up ? range.highClosed : range.lowClosed
        // A value already beyond its declared range in this direction has nowhere to go. Below a
        // range from a closed 0 (`RangeCheck.fromZero`), that is a value at or below 0: the
        // numerator's sign, as `contains` reads it.
        if hasEnd {
            if up {
                if !(exactOrder(value, endValue) < 0) { return .none }
            } else if incremental && range.fromZero {
                if value.numerator <= 0 { return .none }
            } else if !(exactOrder(endValue, value) < 0) {
                return .none
            }
        }
        let ahead = up ? count - below : below
        var previous = value
        for position in 0..<(ahead + (hasEnd ? 1 : 0)) {
            let point: Exact
            if position < ahead {
                point = up ? points[below + position] : points[below - 1 - position]
            } else {
                point = endValue
            }
            // `previous` is the value only before the first point: the points exclude the value, and
            // the range's end, the last point, lies strictly beyond it (the guard above).
            let fromValue = incremental ? position == 0 : exactOrder(previous, value) == 0
            if !(besideKept && fromValue) {
                let result = segment(index, value, from: previous, to: point, up: up, type: type, into: &changes)
                if case .none = result {} else { return result }
            }
            // Only the range's end itself can be an open end not to be tried: a breakpoint equal to
            // the end lies within the range (they are filtered by it), so that end is closed.
            let tried: Bool
            if incremental {
                tried = position < ahead || endClosed
            } else {
                let isEnd = hasEnd && exactOrder(point, endValue) == 0
                tried = !isEnd || endClosed
            }
            if tried, Probe.onGrid(point, type), let change = point.subtracting(value) {
                switch alternativeNumber(index, from: value, to: point, change: change, into: &changes) {
                case .none: break
                case let result: return result
                }
            }
            previous = point
        }
        guard !hasEnd else { return .none }
        // No breakpoint ahead and none at the value: the whole ray keeps the outcome.
        if besideKept && (incremental ? ahead == 0 : exactOrder(previous, value) == 0) { return .none }
        // The ray past the last breakpoint is constant: one value in it decides.
        let step = incremental ? Self.rayStep(past: previous, type) : Probe.rayStep(past: previous, type)
        guard let far = up ? previous.adding(step) : previous.subtracting(step) else { return .unsettled }
        return segment(index, value, from: previous, to: far, up: up, type: type, into: &changes)
    }

    /// `Probe.rayStep(past:_:)` where the point's parts fit in 64 bits, without `Exact`'s general
    /// comparisons: `max(1, |previous|)`, and for a count at least 2 (two steps; for money two øre
    /// are always less than 1 kr). The same value in the same parts: `Exact.one` where 1 is not
    /// below `|previous|`, `2/1` for a count below 2 (`1 + 1` in `Exact`), else `|previous|` as it
    /// is written. `Probe.rayStep` itself elsewhere.
    @inline(__always)
    static func rayStep(past previous: Exact, _ type: ValueType) -> Exact {
        let (n, d) = (previous.numerator, previous.denominator)
        guard Int128(Int64(truncatingIfNeeded: n)) == n, Int128(Int64(truncatingIfNeeded: d)) == d else {
            return Probe.rayStep(past: previous, type)
        }
        // The denominator is positive: `1 < |n| / d` is `d < |n|`.
        let magnitude = n < 0 ? Exact(raw: -n, d) : previous
        let size = d < magnitude.numerator ? magnitude : Exact.one
        if type == .count && size.numerator < 2 &* size.denominator { return Exact(raw: 2, 1) }
        return size
    }

    /// `Probe.segment` and `Probe.probeInside` for a segment where the outcome is constant.
    mutating func segment(
        _ index: Int, _ value: Exact, from: Exact, to: Exact, up: Bool, type: ValueType, into changes: inout [Counterfactual]
    ) -> Step {
        guard let inside = Probe.interior(from, to, up: up, type: type) else { return .none }
        guard let change = inside.subtracting(value) else { return .unsettled }
        if Probe.step(type) != nil {
            return alternativeNumber(index, from: value, to: inside, change: change, into: &changes)
        }
        // No smallest step: every value past `from` changes it, `from` itself does not.
        guard let changed = outcome(at: inside) else { return .ask }
        guard !same(changed, outcome), let limit = from.subtracting(value) else { return .none }
        return alternativeNumber(index, from: value, to: inside, change: limit, beyond: true, falling: !up, into: &changes)
    }

    /// `alternative` for a number moved from `value` to `point`: the counterfactual, when the
    /// outcome changes, appended to `changes` (`.found`), its values made only then; `.none` when it
    /// does not change; `.ask` when the compiled conditions cannot tell.
    mutating func alternativeNumber(
        _ index: Int, from value: Exact, to point: Exact, change: Exact, beyond: Bool = false, falling: Bool = false,
        into changes: inout [Counterfactual]
    ) -> Step {
        guard let changed = outcome(at: point) else { return .ask }
        if same(changed, outcome) { return .none }
        guard let flipped = flippedCriteria() else { return .ask }
        let shown: Exact
        if beyond, let limit = value.adding(change) {
            shown = limit
        } else {
            shown = point
        }
        changes.append(
            Counterfactual(
                input: index, from: .number(value), to: .number(shown), change: change, beyond: beyond, outcome: changed, criteria: flipped,
                falling: falling)
        )
        return .found
    }
}

/// An input's declared range read out of its `Interval` once per input, for the many breakpoints
/// checked against it: `Interval.contains`, by `exactOrder`, without copying the interval's optional
/// ends per check.
struct RangeCheck: Sendable {
    let low: Exact
    let high: Exact
    let hasLow: Bool
    let hasHigh: Bool
    let lowClosed: Bool
    let highClosed: Bool

    init(_ domain: Interval) {
        low = domain.lower.value ?? .zero
        high = domain.upper.value ?? .zero
        hasLow = domain.lower.value != nil
        hasHigh = domain.upper.value != nil
        lowClosed = domain.lower.closed
        highClosed = domain.upper.closed
        fromZero = hasLow && lowClosed && !hasHigh && low.numerator == 0
        tame = (!hasLow || CompiledSearch.tame(low)) && (!hasHigh || CompiledSearch.tame(high))
    }

    /// Whether each end the range has is tame (`CompiledSearch.tame`), as `keptDirections` and
    /// `keptAhead` require: made once with the range (per rule set and day), not per input
    /// searched (h-cf19).
    let tame: Bool

    /// Whether the range is that of an amount or a count (`min 0`, closed, no upper end): then
    /// `contains` is the numerator's sign (the denominator is always positive).
    let fromZero: Bool

    @inline(__always)
    func contains(_ value: Exact) -> Bool {
        if fromZero { return value.numerator >= 0 }
        if hasLow {
            let order = exactOrder(value, low)
            if order < 0 || (order == 0 && !lowClosed) { return false }
        }
        if hasHigh {
            let order = exactOrder(high, value)
            if order < 0 || (order == 0 && !highClosed) { return false }
        }
        return true
    }

    /// `contains` for the value `numerator / denominator` (`denominator > 0`) where both parts and
    /// the range's ends are tame (`tame`, below 2^40 in magnitude): each cross product is then
    /// below 2^81, so it is compared in 128 bits with no overflow check, no `Exact` made and no
    /// call (`keptAhead`, h-cf19). The same comparisons as `contains`.
    @inline(__always)
    func containsTame(numerator: Int64, denominator: Int64) -> Bool {
        if fromZero { return numerator >= 0 }
        let (n, d) = (Int128(numerator), Int128(denominator))
        if hasLow {
            let (value, end) = (n &* low.denominator, low.numerator &* d)
            if value < end || (value == end && !lowClosed) { return false }
        }
        if hasHigh {
            let (end, value) = (high.numerator &* d, n &* high.denominator)
            if end < value || (end == value && !highClosed) { return false }
        }
        return true
    }
}
