import SoeLanguage

/// Earlier conjunctions filed under one numeric variable by a constant bound they put on it, so
/// that `OutcomeCoverage` can skip those that cannot matter instead of comparing every one.
///
/// # Why
///
/// A ladder of thresholds (`o_i when s < i kr`, thousands of steps, as tariff tables are written)
/// files every outcome under `s`. Comparing each new outcome with every earlier one made the
/// analysis quadratic: 20,000 steps took 27 s. Yet a conjunction `B` with `s < c` can only follow
/// from `A` when `A` bounds `s` below `c` from above, and can only hold together with `A` when `A`
/// leaves `s` room below `c`. Filed by `c`, the conjunctions that pass each of these necessary
/// tests are found in logarithmic time, in the order they were added.
///
/// # Soundness
///
/// The index only *skips* conjunctions that a necessary condition rules out; every conjunction it
/// returns is still tested exactly (`ConstraintStore.entails` and `admits`), and in the same order
/// as a full scan, so the analysis finds what it found before.
struct ThresholdIndex {
    /// The entries (indexes into `OutcomeCoverage`'s entries), in the order they were added.
    private(set) var entries: [Int] = []
    /// Each entry's key: the bound for an upper list (`x < c` → c), its negation for a lower list
    /// (`x > c` → -c), so that in both lists a larger key is a weaker literal.
    private var keys: [Exact] = []
    /// A max tree over `keys`: node `n` holds the largest key of its leaves, leaves at `capacity…`.
    private var tree: [Exact?] = []
    private var capacity = 0

    /// Files an entry under a key; entries must come in the order of their outcomes.
    mutating func append(entry: Int, key: Exact) {
        if entries.count == capacity { grow() }
        entries.append(entry)
        keys.append(key)
        var node = capacity + entries.count - 1
        tree[node] = key
        node /= 2
        while node >= 1 {
            if let current = tree[node], !(current < key) { break }
            tree[node] = key
            node /= 2
        }
    }

    /// Doubles the leaves and rebuilds the tree: amortized constant time per entry.
    private mutating func grow() {
        capacity = max(16, capacity * 2)
        tree = Array(repeating: nil, count: 2 * capacity)
        for (position, key) in keys.enumerated() { tree[capacity + position] = key }
        for node in stride(from: capacity - 1, through: 1, by: -1) { tree[node] = larger(tree[2 * node], tree[2 * node + 1]) }
    }

    private func larger(_ a: Exact?, _ b: Exact?) -> Exact? {
        guard let a else { return b }
        guard let b else { return a }
        return a < b ? b : a
    }

    /// The first position at or after `start` whose key is at least `minimum` (every key counts
    /// when `minimum` is nil), or nil when there is none.
    func next(from start: Int, atLeast minimum: Exact?) -> Int? {
        guard start < entries.count else { return nil }
        guard let minimum else { return start }
        return find(node: 1, low: 0, high: capacity, from: start, minimum: minimum)
    }

    private func find(node: Int, low: Int, high: Int, from start: Int, minimum: Exact) -> Int? {
        guard high > start, let top = tree[node], !(top < minimum) else { return nil }
        if high - low == 1 { return low }
        let middle = (low + high) / 2
        return find(node: 2 * node, low: low, high: middle, from: start, minimum: minimum)
            ?? find(node: 2 * node + 1, low: middle, high: high, from: start, minimum: minimum)
    }
}

/// Which entries of a list a conjunction needs to look at.
enum ThresholdBound {
    /// Every entry: nothing can be ruled out.
    case all
    /// The entries whose key is at least this value.
    case atLeast(Exact)
    /// None: no entry can pass.
    case none
}

/// The two constant bounds that make a literal on a numeric variable matter: below which key an
/// entry can no longer hold together with the conjunction (`admits`), and below which it cannot
/// follow from it (`entails`).
struct ThresholdQuery {
    var admits: ThresholdBound
    var entails: ThresholdBound

    /// The query for an upper list (`x < c`, keys c) or a lower list (`x > c`, keys -c) under a
    /// conjunction whose state on the variable is `state`.
    ///
    /// - An entry `x < c` holds together with `x ≥ L` only if c ≥ L: the bound for `admits`.
    /// - It follows from `x ≤ U` only if c ≥ U; on whole numbers only if c ≥ U − 1 (`n < 6` gives
    ///   `n ≤ 5`). Without an upper bound nothing follows; a bound that names a parameter can
    ///   entail more than its constant part says, so then nothing is ruled out.
    /// The lower list is the mirror image, with keys and bounds negated.
    static func make(_ state: NumericState, upperList: Bool, isInteger: Bool) -> ThresholdQuery {
        let near = upperList ? state.lower?.value : state.upper?.value.negated()
        let far = upperList ? state.upper?.value : state.lower?.value.negated()
        let symbolic = upperList ? !state.symbolicUppers.isEmpty : !state.symbolicLowers.isEmpty
        let admits: ThresholdBound = near.map { .atLeast($0) } ?? .all
        let entails: ThresholdBound
        if symbolic {
            entails = .all
        } else if let far {
            if isInteger {
                entails = far.subtracting(Exact.one).map { .atLeast($0) } ?? .all
            } else {
                entails = .atLeast(far)
            }
        } else {
            entails = .none
        }
        return ThresholdQuery(admits: admits, entails: entails)
    }
}

extension ThresholdIndex {
    /// The first position at or after `start` that `bound` lets through, or nil.
    func next(from start: Int, _ bound: ThresholdBound) -> Int? {
        switch bound {
        case .all: next(from: start, atLeast: nil)
        case .atLeast(let minimum): next(from: start, atLeast: minimum)
        case .none: nil
        }
    }
}
