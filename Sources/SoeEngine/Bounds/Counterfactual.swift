import SoeLanguage

/// The nearest value of one input that changes a decided firm's outcome, all else equal.
public struct Counterfactual: Sendable, Equatable {
    /// The input, by index.
    public let input: Int
    /// Its value now.
    public let from: Scalar
    /// The nearest value that gives another outcome (for money to the øre, for a count a whole
    /// number); with `beyond`, the value the input must pass.
    public let to: Scalar
    /// For a number, `to − from`; nil for yes/no and choices.
    public let change: Exact?
    /// For a percent or number: no nearest value exists, every value beyond `to` (strictly above
    /// when rising, below when falling) changes the outcome, and none between.
    public let beyond: Bool
    /// The outcome at `to`, by index; nil when it is undetermined there.
    public let outcome: Int?
    /// The criteria whose result differs at `to`, by index.
    public let criteria: [Int]
    /// For a change `beyond` a firm's own value (`change` 0: a percent on its threshold), whether the
    /// values that change the outcome lie below it; the sign of `change` says it for any other.
    public let falling: Bool

    public init(
        input: Int, from: Scalar, to: Scalar, change: Exact?, beyond: Bool, outcome: Int?, criteria: [Int], falling: Bool = false
    ) {
        self.input = input
        self.from = from
        self.to = to
        self.change = change
        self.beyond = beyond
        self.outcome = outcome
        self.criteria = criteria
        // Only where the change's sign cannot say it.
        self.falling = beyond && change?.isZero == true && falling
    }

    /// Whether the change goes up: by its sign, or for a change of 0 beyond the firm's own value,
    /// by `falling`; nil for yes/no and choices.
    public var rising: Bool? {
        guard let change else { return nil }
        return change.isZero ? !falling : !change.isNegative
    }

    /// `|change| / |from|`, the size a borderline flag compares; nil when `from` is 0 or not a number.
    public var relativeChange: Exact? { Self.relativeChange(change: change, from: from) }

    /// `relativeChange` of a change's two fields.
    static func relativeChange(change: Exact?, from: Scalar) -> Exact? {
        guard let change, case .number(let value) = from, !value.isZero else { return nil }
        let magnitude = change.isNegative ? change.negated() : change
        let base = value.isNegative ? value.negated() : value
        guard let magnitude, let base else { return nil }
        return magnitude.dividing(base)
    }
}

extension Counterfactual {
    /// `relativeChange` for ranking: the same value, `|change| × denominator(from)` over
    /// `denominator(change) × |numerator(from)|`, without reducing it (the ranking only compares
    /// values); `relativeChange` itself where a part does not fit in 64 bits.
    var rankKey: Exact? { Self.rankKey(change: change, from: from) }

    /// `rankKey` of a change's two fields, read where the change lies.
    @inline(__always)
    static func rankKey(change: Exact?, from: Scalar) -> Exact? {
        guard let change, case .number(let value) = from, !value.isZero else { return nil }
        @inline(__always) func small(_ part: Int128) -> Int64? {
            let narrow = Int64(truncatingIfNeeded: part)
            return Int128(narrow) == part && narrow != .min ? narrow : nil
        }
        guard let c = small(change.numerator), let cd = small(change.denominator), let v = small(value.numerator),
            let vd = small(value.denominator)
        else { return relativeChange(change: change, from: from) }
        // Each product of two parts below 2^63 in magnitude fits in 128 bits.
        let numerator = Int128(c.magnitude) &* Int128(vd)
        let denominator = Int128(cd) &* Int128(v.magnitude)
        return Exact(raw: numerator, denominator)
    }
}

/// What would change a decided firm's outcome: per input, the nearest change in each direction.
public struct Counterfactuals: Sendable, Equatable {
    /// The outcome now, by index.
    public let outcome: Int
    /// Every change found, smallest relative change first (changes from 0, and yes/no and choice
    /// changes, after those with a relative size).
    public let changes: [Counterfactual]
    /// Inputs that no value within their bounds moves: proven over the whole range.
    public let unmovable: [Int]
    /// Inputs for which the search could not settle the nearest change (a formula that is not
    /// linear in the input, where the exact search gave up): said, not guessed.
    public let inconclusive: [Int]

    /// The smallest change of one input that changes the outcome; nil when no single input can.
    public var smallest: Counterfactual? { changes.first }
}

extension Evaluator {
    /// The counterfactuals of the current firm (after `evaluate(inputs:on:)` decided it); nil when
    /// the firm is not decided.
    public func counterfactuals(of decision: Decision) -> Counterfactuals? {
        counterfactuals(of: decision, fastPath: true, reuse: analysisPlan.compiled.reuse)
    }

    /// `fastPath: false` is the general search alone (a bounds walk per input over its whole
    /// range): the reference that tests compare the fast path with. `compiled: false` leaves out
    /// the compiled conditions, so that the fast path finds breakpoints by the line pass and
    /// evaluates each candidate: the search as it was before them, which tests compare them with.
    ///
    /// `flat: false` runs the compiled conditions through `Probe` (`CompiledFirm`) instead of the
    /// flat search (`CompiledSearch`): tests compare the two. `integral: false` runs the flat search
    /// in `Exact` where its atoms have whole-number forms (`IntegralAtom`): tests compare the two.
    /// `incremental: false` reads every formula the moved input reaches again for each candidate and
    /// searches every input, as the flat search did before it read candidates incrementally and
    /// settled inputs with no breakpoint in their range at once: tests compare the two.
    /// `positions: false` reads a candidate's formulas by walking the moved input's list with masks
    /// instead of by the positions of the changed atoms (`CompiledPlan.positionsOfBit`): tests
    /// compare the two. `settle: false` searches every direction, also those in which no candidate
    /// can change the outcome (`CompiledSearch.keptDirections`): tests compare the two. `memo: false`
    /// computes every such check instead of reading the plan's table of their answers (`KeptMemo`):
    /// tests compare the two. `reuse`: the plan and the search's block kept from the last firm
    /// (`SearchReuse`, h-cf20), where it is not taken; none looks the plan up in the cache and makes
    /// a block for the firm: tests compare the two.
    func counterfactuals(
        of decision: Decision, fastPath: Bool, compiled: Bool = true, flat useFlat: Bool = true, integral: Bool = true,
        incremental: Bool = true, positions: Bool = true, settle: Bool = true, memo: Bool = true, reuse: SearchReuse? = nil
    ) -> Counterfactuals? {
        guard let outcome = decision.outcome, let day else { return nil }
        let upTo = analysisPlan.conditionsUpTo[outcome]
        var found = FoundChanges(inputs: inputs.count)
        // `Probe`, for an input the flat search cannot answer for (or every input where there is
        // none), made on first need and held by reference: a `Probe?` and a `CompiledSearch?` held
        // here were destroyed per firm through the generic `Optional` witnesses (about 850
        // instructions a firm, though the probe is almost never made).
        var probe: ProbeBox?
        // The flat search under the compiled conditions first; `Probe` for an input it cannot
        // answer for (its results are the same, input by input).
        if fastPath && compiled && useFlat {
            // The last firm's plan and block, where no other search holds them (h-cf20).
            let taken = reuse?.take() ?? false
            defer { if taken { reuse?.give() } }
            let plan =
                taken
                ? reuse.unsafelyUnwrapped.plan(for: self, day: day, analysis: analysisPlan)
                : analysisPlan.compiled.plan(for: self, day: day, plan: analysisPlan)
            // Checked first, then made where it is held (not copied out of an `Optional`).
            if CompiledSearch.applies(plan, inputs: inputs, reads: analysisPlan.conditionReads) {
                var flat = CompiledSearch(
                    checked: plan, evaluator: self, outcome: outcome, names: analysisPlan.outcomeNames, integral: integral,
                    incremental: incremental, positions: positions, settle: settle, memo: memo, reuse: reuse, taken: taken)
                if flat.usable {
                    let given = inputs
                    for index in given.indices {
                        // A number read in place, through the array's buffer: no copy of the
                        // `Scalar?` made and destroyed per input (an outlined copy and destroy each).
                        let number: Exact? = given.withUnsafeBufferPointer { buffer in
                            if case .number(let number)? = buffer[index] { number } else { nil }
                        }
                        if let number {
                            if let answer = flat.answer(index, number: number, upTo: upTo, into: &found.changes) {
                                found.note(answer, index)
                            } else {
                                found.note(
                                    probed(
                                        &probe, index, .number(number), day: day, outcome: outcome, fastPath: fastPath, compiled: compiled),
                                    index)
                            }
                            continue
                        }
                        guard let value = given[index] else { continue }
                        if let answer = flat.answer(index, value, upTo: upTo, into: &found.changes) {
                            found.note(answer, index)
                        } else {
                            found.note(
                                probed(&probe, index, value, day: day, outcome: outcome, fastPath: fastPath, compiled: compiled), index)
                        }
                    }
                    return found.result(outcome, storage: flat.storage)
                }
            }
        }
        for index in inputs.indices {
            guard let value = inputs[index] else { continue }
            found.note(probed(&probe, index, value, day: day, outcome: outcome, fastPath: fastPath, compiled: compiled), index)
        }
        return found.result(outcome)
    }

    /// `Probe`'s answer for one input, the probe made on first need.
    @inline(never)
    func probed(
        _ probe: inout ProbeBox?, _ index: Int, _ value: Scalar, day: Day, outcome: Int, fastPath: Bool, compiled: Bool
    ) -> InputAnswer {
        let box: ProbeBox
        if let made = probe {
            box = made
        } else {
            box = ProbeBox(Probe(evaluator: self, day: day, outcome: outcome, fastPath: fastPath, compiled: compiled))
            probe = box
        }
        return box.probe.answer(index, value, type: ruleSet.inputs[index].type)
    }

    /// Sorts the changes by relative change, smallest first, those without one (nil `rankKey`) last,
    /// equal ones in the order found: a stable sort, in place, each key computed once. An insertion
    /// sort (a firm has a few changes): the standard library's stable sort gives the same order, as
    /// the keys compare by value (`rankedBySort` is that sort, which tests compare this with).
    ///
    /// The insertion sort moves the keys and the changes' positions only, in memory of the call's own;
    /// the changes are then moved once each into their places (a cycle at a time, one held aside),
    /// and not at all where they are in order, instead of swapped along with their keys.
    static func rank(_ changes: inout [Counterfactual]) {
        let count = changes.count
        guard count > 1 else { return }
        withUnsafeTemporaryAllocation(of: Exact?.self, capacity: count) { keys in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { order in
                changes.withUnsafeMutableBufferPointer { changes in
                    guard let base = changes.baseAddress else { return }
                    for index in 0..<count {
                        // Read in place: the change's two fields, not a copy of the change.
                        keys.initializeElement(at: index, to: Counterfactual.rankKey(change: base[index].change, from: base[index].from))
                        order.initializeElement(at: index, to: index)
                    }
                    var moved = false
                    for next in 1..<count {
                        guard let key = keys[next] else { continue }
                        var slot = next
                        while slot > 0, keys[slot - 1].map({ key < $0 }) ?? true { slot -= 1 }
                        guard slot < next else { continue }
                        moved = true
                        // The positions before `next` are a permutation of them, so the change at
                        // `next` is still the one found there.
                        var position = next
                        while position > slot {
                            keys[position] = keys[position - 1]
                            order[position] = order[position - 1]
                            position -= 1
                        }
                        keys[slot] = key
                        order[slot] = next
                    }
                    _ = keys.deinitialize()
                    guard moved else { return }
                    // Place `order[position]`'s change at `position`, cycle by cycle.
                    for start in 0..<count where order[start] != start {
                        let held = (base + start).move()
                        var position = start
                        while true {
                            let source = order[position]
                            order[position] = position
                            if source == start {
                                (base + position).initialize(to: held)
                                break
                            }
                            (base + position).moveInitialize(from: base + source, count: 1)
                            position = source
                        }
                    }
                }
            }
        }
    }

    /// The ranking as it was: the standard library's stable sort of the indices by key.
    static func rankedBySort(_ changes: [Counterfactual]) -> [Counterfactual] {
        let keys = changes.map(\.rankKey)
        return changes.indices.sorted { a, b in
            switch (keys[a], keys[b]) {
            case (let x?, let y?): return x == y ? a < b : x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }.map { changes[$0] }
    }
}

/// `Probe`, held by reference in `Evaluator.counterfactuals(of:)`: nil costs nothing to destroy.
final class ProbeBox {
    var probe: Probe
    init(_ probe: Probe) { self.probe = probe }
}

/// What the search found for one firm, input by input: the changes, and the inputs that are
/// unmovable or inconclusive, in the firm's own order.
struct FoundChanges {
    var changes: [Counterfactual] = []
    /// The unmovable inputs below 64 as bits, and those from 64 on in order: the list is made (or,
    /// from the search's block, shared: `SearchStorage.list(of:)`, h-cf20) in `result`, the inputs
    /// being noted in ascending order, each once.
    var unmovableBits: UInt64 = 0
    var unmovable: [Int] = []
    var inconclusive: [Int] = []
    let inputs: Int

    init(inputs: Int) {
        self.inputs = inputs
        // Room for a firm's usual changes at once (3 a firm on the screening, at most 2 per number
        // and 1 per yes/no or choice): 5 fit in the allocator's smallest, cached sizes, where room
        // for every input (24 on the screening, 4 kB) did not.
        changes.reserveCapacity(min(5, 2 * inputs))
    }

    @inline(__always)
    mutating func note(_ answer: InputAnswer, _ index: Int) {
        switch answer {
        case .appended, .skip: break
        case .changes(let found): changes += found
        case .unmovable:
            if index < 64 {
                unmovableBits |= 1 << UInt64(index)
            } else {
                // Room for every input at the first.
                if unmovable.isEmpty { unmovable.reserveCapacity(inputs - 64) }
                unmovable.append(index)
            }
        case .inconclusive: inconclusive.append(index)
        }
    }

    /// The result: the changes ranked; the unmovable inputs' list shared from `storage` where there
    /// is one (the flat search's block), else made.
    mutating func result(_ outcome: Int, storage: SearchStorage? = nil) -> Counterfactuals {
        Evaluator.rank(&changes)
        var list: [Int]
        if unmovableBits == 0 {
            list = []
        } else if let storage {
            list = storage.list(of: unmovableBits)
        } else {
            list = SearchStorage.makeList(of: unmovableBits)
        }
        if !unmovable.isEmpty { list += unmovable }
        return Counterfactuals(outcome: outcome, changes: changes, unmovable: list, inconclusive: inconclusive)
    }
}
