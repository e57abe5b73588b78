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

    /// `|change| / |from|`, the size a borderline flag compares; nil when `from` is 0 or not a number.
    public var relativeChange: Exact? {
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
    var rankKey: Exact? {
        guard let change, case .number(let value) = from, !value.isZero else { return nil }
        @inline(__always) func small(_ part: Int128) -> Int64? {
            let narrow = Int64(truncatingIfNeeded: part)
            return Int128(narrow) == part && narrow != .min ? narrow : nil
        }
        guard let c = small(change.numerator), let cd = small(change.denominator), let v = small(value.numerator),
            let vd = small(value.denominator)
        else { return relativeChange }
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
        counterfactuals(of: decision, fastPath: true)
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
    /// compare the two.
    func counterfactuals(
        of decision: Decision, fastPath: Bool, compiled: Bool = true, flat useFlat: Bool = true, integral: Bool = true,
        incremental: Bool = true, positions: Bool = true
    ) -> Counterfactuals? {
        guard let outcome = decision.outcome, let day else { return nil }
        // The flat search under the compiled conditions first; `Probe` for an input it cannot
        // answer for, made on first need (its results are the same, input by input).
        var flat: CompiledSearch?
        if fastPath && compiled && useFlat {
            let plan = analysisPlan.compiled.plan(for: self, day: day, plan: analysisPlan)
            flat = CompiledSearch(
                plan, evaluator: self, reads: analysisPlan.conditionReads, outcome: outcome, names: analysisPlan.outcomeNames,
                integral: integral, incremental: incremental, positions: positions)
        }
        let upTo = analysisPlan.conditionsUpTo[outcome]
        var probe: Probe?
        // Room for every input at once: growing these one append at a time reallocates them.
        var changes: [Counterfactual] = []
        changes.reserveCapacity(2 * inputs.count)
        var unmovable: [Int] = []
        unmovable.reserveCapacity(inputs.count)
        var inconclusive: [Int] = []
        for index in inputs.indices {
            guard let value = inputs[index] else { continue }
            var answer = flat?.answer(index, value, upTo: upTo, into: &changes)
            if answer == nil {
                if probe == nil {
                    probe = Probe(evaluator: self, day: day, outcome: outcome, fastPath: fastPath, compiled: compiled)
                }
                answer = probe?.answer(index, value, type: ruleSet.inputs[index].type)
            }
            switch answer {
            case .changes(let found)?: changes += found
            case .unmovable?: unmovable.append(index)
            case .inconclusive?: inconclusive.append(index)
            case .appended?, .skip?, nil: continue
            }
        }
        Self.rank(&changes)
        return Counterfactuals(outcome: outcome, changes: changes, unmovable: unmovable, inconclusive: inconclusive)
    }

    /// Sorts the changes by relative change, smallest first, those without one (nil `rankKey`) last,
    /// equal ones in the order found: a stable sort, in place, each key computed once. An insertion
    /// sort (a firm has a few changes): the standard library's stable sort gives the same order, as
    /// the keys compare by value (`rankedBySort` is that sort, which tests compare this with).
    static func rank(_ changes: inout [Counterfactual]) {
        let count = changes.count
        guard count > 1 else { return }
        // The keys in memory of the call's own (no array allocated per firm).
        withUnsafeTemporaryAllocation(of: Exact?.self, capacity: count) { keys in
            changes.withUnsafeMutableBufferPointer { changes in
                for index in 0..<count { keys.initializeElement(at: index, to: changes[index].rankKey) }
                for next in 1..<count {
                    let key = keys[next]
                    guard let key else { continue }
                    var slot = next
                    while slot > 0, keys[slot - 1].map({ key < $0 }) ?? true { slot -= 1 }
                    // Moved down by swaps of neighbours in the arrays' memory: the same order as
                    // shifting the others up, without copying a change (and retaining what it holds)
                    // per step.
                    var position = next
                    while position > slot {
                        changes.swapAt(position, position - 1)
                        keys.swapAt(position, position - 1)
                        position -= 1
                    }
                }
            }
            _ = keys.deinitialize()
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
