import SoeLanguage

/// The search for the nearest value of one input that changes the outcome.
///
/// The bounds walk over the input's whole range gives the breakpoints: the values where a
/// comparison that is linear in the input (or a ratio of linear forms) changes its answer. When
/// every comparison that depends on the input is of that kind, the outcome is constant between
/// consecutive breakpoints, so trying each breakpoint and one value inside each segment, in order
/// of distance, finds the nearest change exactly; every candidate is checked by evaluating the
/// firm with the changed value. Where a comparison is not linear, each segment is first proven
/// constant by the bounds walk over it, and where that cannot tell, halved (an exact bisection on
/// rationals, to the øre for money and to the unit for counts) until it can; a search that does
/// not finish within its budget says so rather than guessing.
struct Probe {
    var evaluator: Evaluator
    var original: Evaluator
    let day: Day
    let outcome: Int
    var inputs: [Scalar?]
    /// The array handed to the evaluator in exchange for its own (`evaluate(taking:)`), so that a
    /// candidate costs no copy of the inputs; `handDirty` is the one index where the array in hand
    /// may differ from the firm's inputs, `evaluatorDirty` the same for the evaluator's.
    var hand: [Scalar?] = []
    var handDirty: Int?
    var evaluatorDirty: Int?
    var criteria: [Evaluated] = []
    /// Bounds walks and bisection steps left for the current input.
    var budget = 0
    /// What each value and criterion reads, so that a walk skips what the moved input cannot change.
    let reads: DefinitionInputs
    /// For each rule of the classification, its outcome name's index: a change from one rule of an
    /// outcome to another rule of the same outcome does not change the outcome.
    let names: [Int]

    /// What the rule set's formulas read, worked out once per rule set.
    let plan: AnalysisPlan
    /// The line pass, kept from input to input so that its memory is reused; made on first need.
    var line: LineWalk?
    /// Whether the per-rule-set plan, the compiled conditions and the line pass may be used; false
    /// runs the general search alone, the reference the fast path is tested against.
    let fastPath: Bool
    /// The firm under the compiled conditions; nil when they do not apply to it.
    var compiled: CompiledFirm?
    /// Whether the input being searched is answered by `compiled`.
    var compiledInput = false
    /// Whether the evaluator has settled every value and criterion of the firm (the general search
    /// and the evaluator's answers need it; the compiled search does not).
    var prepared = false

    init(evaluator: Evaluator, day: Day, outcome: Int, fastPath: Bool = true, compiled useCompiled: Bool = true) {
        self.fastPath = fastPath
        self.evaluator = evaluator
        original = evaluator
        self.day = day
        self.outcome = outcome
        inputs = evaluator.inputs
        plan = evaluator.analysisPlan
        reads = plan.definitions
        names = plan.outcomeNames
        if fastPath && useCompiled {
            let conditions = plan.compiled.conditions(for: evaluator, day: day, plan: plan)
            compiled = CompiledFirm(conditions, evaluator: evaluator, reads: plan.conditionReads)
        }
    }

    /// Every value and criterion of the firm computed once, in one pass of the program: the walks
    /// read the firm's results of what the moved input does not touch, and classification alone
    /// stops at the deciding outcome.
    mutating func prepare() {
        guard !prepared else { return }
        prepared = true
        var settled = original
        settled.settleEverything()
        evaluator = settled
        original = settled
        hand = Array(settled.inputs)
        criteria = settled.criterionResults
        line = LineWalk(evaluator: settled, plan: plan, input: 0)
    }

    /// Whether the compiled conditions answer for `input`: none of their opaque formulas reads it.
    func compiledAnswers(_ input: Int) -> Bool {
        guard let compiled else { return false }
        return !compiled.compiled.conditionsOpaque.contains(input)
    }

    /// Whether two results (by rule index; nil when undetermined) are the same outcome.
    func same(_ a: Int?, _ b: Int?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return names[a] == names[b]
    }

    enum NumericResult {
        case unmovable, inconclusive
        case changes([Counterfactual])
    }

    enum SearchResult {
        case found(Counterfactual)
        case none
        case unsettled
    }

    /// The outcome with one input changed; nil when undetermined.
    mutating func outcomeWith(_ index: Int, _ value: Scalar) -> Int? {
        if compiledInput, compiled != nil {
            compiled?.candidate = value
            if let answer = compiled?.outcome() { return answer }
        }
        prepare()
        if let dirty = handDirty { hand[dirty] = inputs[dirty] }
        hand[index] = value
        let outcome = evaluator.evaluate(taking: &hand, on: day).outcome
        // Now the evaluator holds the changed array, and the hand its previous one.
        (handDirty, evaluatorDirty) = (evaluatorDirty, index)
        return outcome
    }

    /// The counterfactual of a change to `value`, when it changes the outcome.
    mutating func alternative(
        _ index: Int, from: Scalar, to value: Scalar, change: Exact? = nil, beyond: Bool = false, falling: Bool = false
    ) -> Counterfactual? {
        var changed: Int?
        var flipped: [Int]
        if compiledInput, compiled != nil, let answer = compiledAlternative(value) {
            (changed, flipped) = answer
            guard !same(changed, outcome) else { return nil }
        } else {
            // The evaluator's own answer (the compiled conditions asked for it, or do not apply).
            let wasCompiled = compiledInput
            compiledInput = false
            changed = outcomeWith(index, value)
            compiledInput = wasCompiled
            guard !same(changed, outcome) else { return nil }
            evaluator.settleEverything()
            // `evaluate` just ran with the changed value: its criteria are the changed firm's.
            flipped = criteria.indices.filter { evaluator.criterionResult($0) != criteria[$0] }
        }
        let shown: Scalar
        if beyond, case .number(let number) = from, let change, let limit = number.adding(change) {
            shown = .number(limit)
        } else {
            shown = value
        }
        return Counterfactual(
            input: index, from: from, to: shown, change: change, beyond: beyond, outcome: changed, criteria: flipped, falling: falling)
    }

    mutating func numeric(_ index: Int, value: Exact, domain: Interval, type: ValueType) -> NumericResult {
        // An input that no condition up to the deciding one reads cannot change the outcome.
        if fastPath && !plan.conditionsUpTo[outcome].contains(index) { return .unmovable }
        var points: [Exact]
        let exact: Bool
        compiledInput = false
        if compiledAnswers(index), let found = compiled?.move(index, from: .number(value)) {
            // The compiled conditions: the breakpoints are where an atom the input moves is zero.
            compiledInput = true
            points = found
            exact = true
        } else if fastPath, prepareLine(index), line?.walkConditions() == true, let found = line?.breakpoints {
            // The line pass: exact breakpoints from one pass over the formulas that read the input.
            points = found
            exact = true
        } else {
            prepare()
            var box = [Interval?](repeating: nil, count: inputs.count)
            box[index] = domain
            var walk = BoundsWalk(evaluator: original, box: box, varying: InputSet(index), missing: false, reads: reads)
            let settled = decided(&walk)
            // Every condition's breakpoints, not only those of the conditions tried before one stayed
            // open: a later outcome's threshold may be the nearer change.
            for condition in original.outcomeConditions where condition >= 0 { _ = walk.bound(condition) }
            if same(settled, outcome) { return .unmovable }
            points = walk.breakpoints
            exact = !walk.inexact
        }
        // Where the value is not itself a breakpoint, the segments beside it hold the outcome it has.
        let onBreakpoint = points.contains(value)
        points = points.filter { domain.contains($0) && $0 != value }
        points.sort(by: <)
        var unique: [Exact] = []
        for point in points where unique.last != point { unique.append(point) }
        var found: [Counterfactual] = []
        var unsettled = false
        for up in [true, false] {
            budget = 200
            let ahead = up ? unique.filter { value < $0 } : unique.filter { $0 < value }.reversed()
            switch search(index, value, domain, ahead, up: up, exact: exact, type: type, besideKept: exact && !onBreakpoint) {
            case .found(let change): found.append(change)
            case .none: break
            case .unsettled: unsettled = true
            }
        }
        if !found.isEmpty { return .changes(found) }
        return unsettled ? .inconclusive : .unmovable
    }

    /// The search for one input, as `Evaluator.counterfactuals(of:)` runs it.
    mutating func answer(_ index: Int, _ value: Scalar, type: ValueType) -> InputAnswer {
        switch (type, value) {
        case (.money, .number(let number)), (.percent, .number(let number)), (.count, .number(let number)),
            (.number, .number(let number)):
            guard let domain = Evaluator.domain(of: evaluator.ruleSet.inputs[index]) else { return .skip }
            switch numeric(index, value: number, domain: domain, type: type) {
            case .unmovable: return .unmovable
            case .inconclusive: return .inconclusive
            case .changes(let found): return .changes(found)
            }
        case (.bool, .bool(let flag)):
            _ = moveCompiled(index, to: value)
            guard let change = alternative(index, from: value, to: .bool(!flag)) else { return .unmovable }
            return .changes([change])
        case (.choice(let set), .choice(let current)):
            _ = moveCompiled(index, to: value)
            for member in evaluator.ruleSet.choiceSets[set].indices where member != current {
                if let change = alternative(index, from: value, to: .choice(member)) { return .changes([change]) }
            }
            return .unmovable
        case (.money, _), (.percent, _), (.count, _), (.number, _), (.bool, _), (.choice, _), (.date, _), (.text, _):
            return .skip
        }
    }

    /// Readies the line pass for `index`; true when it is there.
    mutating func prepareLine(_ index: Int) -> Bool {
        prepare()
        line?.reset(input: index)
        return line != nil
    }

    /// A yes/no or choice input moved to `value` under the compiled conditions; false when they
    /// do not answer for it.
    mutating func moveCompiled(_ index: Int, to value: Scalar) -> Bool {
        compiledInput = false
        guard compiledAnswers(index), compiled?.move(index, from: value) != nil else { return false }
        compiledInput = true
        return true
    }

    /// The outcome and the criteria that differ at `value` from the compiled conditions; nil to ask
    /// the evaluator.
    mutating func compiledAlternative(_ value: Scalar) -> (Int?, [Int])? {
        compiled?.candidate = value
        guard let outcome = compiled?.outcome() else { return nil }
        if same(outcome, self.outcome) { return (outcome, []) }
        guard let flipped = compiled?.flippedCriteria() else { return nil }
        return (outcome, flipped)
    }

    /// The outcome the bounds walk decides over its box, if it decides one.
    func decided(_ walk: inout BoundsWalk) -> Int? {
        for (index, condition) in original.outcomeConditions.enumerated() {
            guard condition >= 0 else { return index }
            let truth = walk.bound(condition).truth
            if truth == .yes { return index }
            if truth != .no { return nil }
        }
        return nil
    }

    /// The nearest change in one direction, trying the breakpoints `ahead` in order of distance.
    /// `besideKept`: the outcome is known to be constant between the value and the first point
    /// (the value is not a breakpoint and the breakpoints are exact), so that segment is not probed.
    mutating func search(
        _ index: Int, _ value: Exact, _ domain: Interval, _ ahead: [Exact], up: Bool, exact: Bool, type: ValueType,
        besideKept: Bool = false
    ) -> SearchResult {
        let end = up ? domain.upper : domain.lower
        // A value already beyond its declared range in this direction has nowhere to go.
        if let limit = end.value, up ? !(value < limit) : !(limit < value) { return .none }
        var previous = value
        for point in ahead + (end.value.map { [$0] } ?? []) {
            if !(besideKept && previous == value) {
                let result = segment(index, value, from: previous, to: point, up: up, exact: exact, type: type, depth: 0)
                if case .none = result {} else { return result }
            }
            let isEnd = point == end.value
            if !isEnd || end.closed, Probe.onGrid(point, type), let change = point.subtracting(value),
                let found = alternative(index, from: .number(value), to: .number(point), change: change)
            {
                return .found(found)
            }
            previous = point
        }
        guard end.value == nil else { return .none }
        // No breakpoint ahead and none at the value: the whole ray keeps the outcome.
        if besideKept && previous == value { return .none }
        // The ray past the last breakpoint: constant when exact; else searched in doubling steps.
        var step = Probe.rayStep(past: previous, type)
        for _ in 0..<(exact ? 1 : 40) {
            guard let far = up ? previous.adding(step) : previous.subtracting(step) else { return .unsettled }
            let result = segment(index, value, from: previous, to: far, up: up, exact: exact, type: type, depth: 0)
            if case .none = result {} else { return result }
            if exact { return .none }
            if let change = far.subtracting(value), let found = alternative(index, from: .number(value), to: .number(far), change: change) {
                return .found(found)
            }
            previous = far
            guard let doubled = step.multiplying(Exact(integer: 2)) else { return .unsettled }
            step = doubled
        }
        return .unsettled
    }

    /// The nearest change strictly between `from` and `to`.
    mutating func segment(_ index: Int, _ value: Exact, from: Exact, to: Exact, up: Bool, exact: Bool, type: ValueType, depth: Int)
        -> SearchResult
    {
        guard let inside = Probe.interior(from, to, up: up, type: type) else { return .none }
        if exact {
            return probeInside(index, value, from: from, inside: inside, type: type)
        }
        budget -= 1
        guard budget > 0, depth < 64 else { return .unsettled }
        var box = [Interval?](repeating: nil, count: inputs.count)
        let (low, high) = up ? (from, to) : (to, from)
        box[index] = Interval(lower: IntervalEnd(value: low, closed: false), upper: IntervalEnd(value: high, closed: false))
        if type == .count, let whole = box[index]?.integral() { box[index] = whole }
        var walk = BoundsWalk(evaluator: original, box: box, varying: InputSet(index), missing: false, reads: reads)
        if let settled = decided(&walk) {
            // Constant over the segment: it all keeps the outcome, or it all changes it.
            return same(settled, outcome) ? .none : probeInside(index, value, from: from, inside: inside, type: type)
        }
        if Probe.step(type) != nil, Probe.interior(inside, to, up: up, type: type) == nil {
            // One whole step left in the segment: its value decides.
            return probeInside(index, value, from: from, inside: inside, type: type)
        }
        // Not proven constant: halve, nearer half first, then the midpoint itself.
        guard let sum = from.adding(to), let middle = sum.dividing(Exact(integer: 2)) else { return .unsettled }
        let near = segment(index, value, from: from, to: middle, up: up, exact: false, type: type, depth: depth + 1)
        if case .none = near {} else { return near }
        if Probe.onGrid(middle, type), let change = middle.subtracting(value),
            let found = alternative(index, from: .number(value), to: .number(middle), change: change)
        {
            return .found(found)
        }
        return segment(index, value, from: middle, to: to, up: up, exact: false, type: type, depth: depth + 1)
    }

    /// One value inside a segment where the outcome is constant: the whole segment changes or not.
    mutating func probeInside(_ index: Int, _ value: Exact, from: Exact, inside: Exact, type: ValueType) -> SearchResult {
        guard let change = inside.subtracting(value) else { return .unsettled }
        if Probe.step(type) != nil {
            guard let found = alternative(index, from: .number(value), to: .number(inside), change: change) else { return .none }
            return .found(found)
        }
        // No smallest step: every value past `from` changes it, `from` itself does not.
        guard !same(outcomeWith(index, .number(inside)), outcome), let limit = from.subtracting(value) else { return .none }
        guard
            let found = alternative(
                index, from: .number(value), to: .number(inside), change: limit, beyond: true, falling: inside < value)
        else { return .none }
        return .found(found)
    }

    /// The step of a type's values: an øre for money, one for a count; nil for percent and number.
    /// How far past the last breakpoint `previous` the searches look for a value of the ray beyond
    /// it: as far as `previous` is from zero, at least 1, and at least two of the type's steps, so
    /// that a value on the type's grid lies strictly between `previous` and the far end. (With 1
    /// alone, a count's ray past 0 or 1, say `n > 0` at `n = 0`, held no whole number strictly
    /// inside, and the input was wrongly called unmovable.)
    static func rayStep(past previous: Exact, _ type: ValueType) -> Exact {
        let size = Exact.maximum(Exact.one, previous.isNegative ? (previous.negated() ?? .one) : previous)
        guard let grid = step(type), let twice = grid.adding(grid) else { return size }
        return Exact.maximum(size, twice)
    }

    static func step(_ type: ValueType) -> Exact? {
        switch type {
        case .money: Exact(øre: 1)
        case .count: .one
        case .percent, .number, .bool, .date, .text, .choice: nil
        }
    }

    /// The number of steps in one unit of a type: 100 øre in a krone, one for a count; nil for
    /// percent and number.
    @inline(__always)
    static func stepsPerUnit(_ type: ValueType) -> Int128? {
        switch type {
        case .money: 100
        case .count: 1
        case .percent, .number, .bool, .date, .text, .choice: nil
        }
    }

    /// `value / step` as a whole numerator over the value's denominator, where both parts fit in
    /// 64 bits (so the product cannot overflow): the parts `Exact.dividing` gives, without it.
    @inline(__always)
    static func steps(_ value: Exact, _ perUnit: Int128) -> Int128? {
        @inline(__always) func fits(_ part: Int128) -> Bool { Int128(Int64(truncatingIfNeeded: part)) == part }
        guard fits(value.numerator), fits(value.denominator) else { return nil }
        return value.numerator &* perUnit
    }

    static func onGrid(_ value: Exact, _ type: ValueType) -> Bool {
        // In whole steps: `value / step` is whole when the denominator divides the steps.
        if let perUnit = stepsPerUnit(type), let count = steps(value, perUnit) { return count % value.denominator == 0 }
        return onGridByDivision(value, type)
    }

    /// `onGrid` by `Exact` division: where a part passes 64 bits, and the reference tests compare
    /// the whole steps with.
    static func onGridByDivision(_ value: Exact, _ type: ValueType) -> Bool {
        guard let step = step(type) else { return true }
        guard let ratio = value.dividing(step) else { return false }
        return ratio.isInteger
    }

    /// A value strictly between `from` and `to` (in the search direction): the first step past
    /// `from` for money and counts, the midpoint otherwise; nil when there is none.
    static func interior(_ from: Exact, _ to: Exact, up: Bool, type: ValueType) -> Exact? {
        if let perUnit = stepsPerUnit(type), let count = steps(from, perUnit) {
            // In whole steps, as below: `from / step` is `count / from.denominator`, and the
            // candidate the whole number of steps over `perUnit` (`Exact(integer:) × step`'s parts).
            let whole = count % from.denominator == 0
            let floor = count / from.denominator - (count < 0 && !whole ? 1 : 0)
            let next: Int128 = up ? floor + 1 : (whole ? floor - 1 : floor)
            let candidate = Exact(raw: next, perUnit)
            return (up ? candidate < to : to < candidate) ? candidate : nil
        }
        return interiorByDivision(from, to, up: up, type: type)
    }

    /// `interior` by `Exact` division: where a part passes 64 bits, and the reference tests compare
    /// the whole steps with (the same value in the same parts).
    static func interiorByDivision(_ from: Exact, _ to: Exact, up: Bool, type: ValueType) -> Exact? {
        guard let step = step(type) else {
            guard let sum = from.adding(to) else { return nil }
            return sum.dividing(Exact(integer: 2))
        }
        guard let ratio = from.dividing(step) else { return nil }
        let floor = ratio.numerator / ratio.denominator - (ratio.numerator < 0 && !ratio.isInteger ? 1 : 0)
        let next: Int128 = up ? floor + 1 : (ratio.isInteger ? floor - 1 : floor)
        guard let candidate = Exact(integer: next).multiplying(step) else { return nil }
        return (up ? candidate < to : to < candidate) ? candidate : nil
    }
}
