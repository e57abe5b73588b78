import SoeLanguage

/// Which outcomes can never decide because earlier outcomes apply whenever they would.
///
/// # How
///
/// Outcome `j` is unreachable when its condition implies the disjunction of the conditions
/// before it. With conditions in normal form, that holds when every conjunction `A` of `j` is
/// *covered*: `A ∧ ¬B₁ ∧ … ∧ ¬Bₖ` is contradictory for some earlier conjunctions `Bᵢ`.
///
/// - **Fast path**: one earlier conjunction `B` follows from `A` (each literal of `B` is entailed
///   by `A`, a per-variable test). This is the common case: `fond when legal_form is fond` after
///   `foundation when legal_form is one of fond, erhvervsdrivende_fond`.
/// - **Search**: otherwise, the earlier conjunctions that can hold together with `A` are combined
///   by a small backtracking search over the clauses `¬Bᵢ` (`x > 50 %` is covered by `x >= 60 %`
///   and `x < 60 %` together). The search has a step budget and a limit on the number of
///   conjunctions it considers; running out means "not shown", never a finding.
///
/// # Cost
///
/// Earlier conjunctions are indexed by their *rarest* variable (the one fewest conjunctions of the
/// rule set use). A conjunction `B` can only follow from `A` when all of `B`'s variables occur in
/// `A`, so looking up `A`'s variables in that index finds every candidate for the fast path, and
/// in a rule set where outcomes test different things each lookup returns a handful. The work per
/// outcome is bounded by the size of its form, the candidates and the search budget, which keeps
/// the whole analysis near linear in the number of outcomes instead of quadratic or exponential.
/// The worst case was thousands of outcomes that all test one variable (a ladder of thresholds,
/// `o_i when s < i kr`): every earlier one was a candidate, so the cost grew with the square of
/// the number of outcomes (20,000 steps took 27 s). Conjunctions filed under a numeric variable by
/// a constant bound are therefore kept in a `ThresholdIndex`, which hands out only those that can
/// hold together with `A` (until the search has all the candidates it can use) and then only those
/// that can follow from it: a few per outcome, in the order a full scan would meet them, so the
/// findings are the same. `soe-bench scaling` shows the time per doubling.
struct OutcomeCoverage {
    /// The most earlier conjunctions the search combines.
    static let maxCandidates = 24
    /// The most search steps per conjunction.
    static let searchBudget = 400
    /// The most earlier conjunctions looked at for one conjunction: bounds the worst case (thousands
    /// of outcomes that all test the same variable) to linear growth beyond this size.
    static let maxScanned = 10_000

    private struct Entry {
        var outcome: Int
        var literals: Conjunction
    }

    private let analysis: ConditionAnalysis
    private var entries: [Entry] = []
    private var byVariable: [Int32: [Int]] = [:]
    /// Entries filed under a numeric variable by a constant upper (`x < c`) or lower (`x > c`)
    /// bound on it, instead of in `byVariable`.
    private var uppers: [Int32: ThresholdIndex] = [:]
    private var lowers: [Int32: ThresholdIndex] = [:]
    /// Every entry under each of its variables, for the search; only short lists are used.
    private var byAnyVariable: [Int32: [Int]] = [:]
    /// Set once the earlier outcomes together cover every case: all later ones are unreachable.
    private var exhaustive: [Int]?
    private var frequency: [Int32: Int] = [:]
    private var stamps: [Int] = []
    private var stamp = 0
    private var alwaysApplies: Int?

    /// What the analysis found for a classification.
    struct Result {
        /// For each unreachable outcome, the earlier outcomes that cover it.
        var unreachable: [Int: [Int]]
        /// Whether the outcomes before the fallback are shown to cover every case.
        var coversEverything: Bool
    }

    /// Analyses the outcomes' forms, in priority order (nil for the fallback).
    ///
    /// Without `coversEverything` the result's `coversEverything` is not computed (it is false):
    /// the search for whether the outcomes so far cover every case is then skipped after the last
    /// outcome, where only that answer needs it; `unreachable` is the same. For `soe evaluate`,
    /// whose lint runs the error checks only and not `ClassificationGap`, the one that asks
    /// (docs/benchmark.md, "Steps of wave 3, session 8").
    static func analyse(forms: [NormalForm?], analysis: ConditionAnalysis, coversEverything: Bool = true) -> Result {
        var coverage = OutcomeCoverage(analysis: analysis)
        for form in forms {
            for conjunction in form ?? [] {
                for variable in Set(conjunction.map(\.variable)) { coverage.frequency[variable, default: 0] += 1 }
            }
        }
        let last = forms.lastIndex { $0.map { !$0.isEmpty } ?? false }
        var result: [Int: [Int]] = [:]
        for (outcome, form) in forms.enumerated() {
            guard let form, !form.isEmpty else { continue }
            if let covering = coverage.covering(form) { result[outcome] = covering }
            coverage.add(form, outcome: outcome)
            if coversEverything || outcome != last { coverage.checkExhaustive() }
        }
        guard coversEverything else { return Result(unreachable: result, coversEverything: false) }
        return Result(unreachable: result, coversEverything: coverage.alwaysApplies != nil || coverage.exhaustive != nil)
    }

    private init(analysis: ConditionAnalysis) {
        self.analysis = analysis
    }

    private mutating func add(_ form: NormalForm, outcome: Int) {
        for conjunction in form {
            // The rarest variable; among equally rare ones, one with a constant bound, which the
            // threshold index can file.
            func rank(_ variable: Int32) -> (Int, Int, Int32) {
                (frequency[variable] ?? 0, OutcomeCoverage.thresholdKey(conjunction, variable) == nil ? 1 : 0, variable)
            }
            guard let key = conjunction.map(\.variable).min(by: { rank($0) < rank($1) }) else {
                alwaysApplies = alwaysApplies ?? outcome
                continue
            }
            switch OutcomeCoverage.thresholdKey(conjunction, key) {
            case (let value, true)?: uppers[key, default: ThresholdIndex()].append(entry: entries.count, key: value)
            case (let value, false)?: lowers[key, default: ThresholdIndex()].append(entry: entries.count, key: value)
            case nil: byVariable[key, default: []].append(entries.count)
            }
            for variable in Set(conjunction.map(\.variable)) { byAnyVariable[variable, default: []].append(entries.count) }
            entries.append(Entry(outcome: outcome, literals: conjunction))
            stamps.append(0)
        }
    }

    /// How a conjunction is filed under `variable` in a threshold index: the key and whether in the
    /// upper list (`x < c`, `x <= c`: key c) or the lower list (`x > c`, `x >= c`: key -c); nil
    /// when it has no constant bound of that kind on the variable.
    static func thresholdKey(_ conjunction: Conjunction, _ variable: Int32) -> (key: Exact, upper: Bool)? {
        for literal in conjunction {
            guard case .compare(variable, let relation, let bound) = literal, bound.isConstant else { continue }
            switch relation {
            case .less, .lessEqual: return (bound.offset, true)
            case .greater, .greaterEqual:
                if let negated = bound.offset.negated() { return (negated, false) }
            case .equal, .notEqual: continue
            }
        }
        return nil
    }

    /// In a small classification, whether the outcomes so far cover every case together
    /// (`x >= 60 %`, `x < 60 % and n >= 3`, `x < 60 % and n <= 2`).
    private mutating func checkExhaustive() {
        guard exhaustive == nil, alwaysApplies == nil, entries.count >= 2, entries.count <= OutcomeCoverage.maxCandidates else { return }
        let clauses = entries.map { $0.literals.map { analysis.space.variables.negate($0) } }
        var budget = OutcomeCoverage.searchBudget
        if OutcomeCoverage.refute(analysis.store(), clauses, budget: &budget) == true {
            exhaustive = Array(Set(entries.map(\.outcome))).sorted()
        }
    }

    /// The earlier outcomes that together cover every conjunction of the form, or nil.
    private mutating func covering(_ form: NormalForm) -> [Int]? {
        if let always = alwaysApplies { return [always] }
        if let exhaustive { return exhaustive }
        var outcomes: Set<Int> = []
        for conjunction in form {
            guard let found = cover(conjunction) else { return nil }
            outcomes.formUnion(found)
        }
        return outcomes.sorted()
    }

    private mutating func cover(_ conjunction: Conjunction) -> Set<Int>? {
        var store = analysis.store()
        guard store.add(conjunction) else { return [] }
        stamp += 1
        var candidates: [Entry] = []
        var scanned = 0
        let variables = OutcomeCoverage.variables(of: conjunction)
        for variable in variables {
            for index in byVariable[variable] ?? [] where stamps[index] != stamp {
                stamps[index] = stamp
                scanned += 1
                if scanned > OutcomeCoverage.maxScanned { return nil }
                let entry = entries[index]
                if entry.literals.allSatisfy({ store.entails($0) }) { return [entry.outcome] }
                if candidates.count <= OutcomeCoverage.maxCandidates, entry.literals.allSatisfy({ store.admits($0) }) {
                    candidates.append(entry)
                }
            }
            if let found = scanThresholds(variable, store: store, candidates: &candidates, scanned: &scanned) { return found }
            if scanned > OutcomeCoverage.maxScanned { return nil }
        }
        // The search may also use conjunctions with variables `A` does not have (`n >= 3 and flag`
        // and `n <= 2 and flag` cover `flag`), found through short lists only.
        for variable in variables {
            guard let list = byAnyVariable[variable], list.count <= 2 * OutcomeCoverage.maxCandidates else { continue }
            for index in list where stamps[index] != stamp {
                stamps[index] = stamp
                let entry = entries[index]
                if candidates.count <= OutcomeCoverage.maxCandidates, entry.literals.allSatisfy({ store.admits($0) }) {
                    candidates.append(entry)
                }
            }
        }
        guard candidates.count >= 2, candidates.count <= OutcomeCoverage.maxCandidates else { return nil }
        let clauses = candidates.map { $0.literals.map { analysis.space.variables.negate($0) } }
        var budget = OutcomeCoverage.searchBudget
        guard OutcomeCoverage.refute(store, clauses, budget: &budget) == true else { return nil }
        return Set(candidates.map(\.outcome))
    }

    /// The conjunction's variables, each once, in the order they first appear in it. Not a `Set`'s
    /// order: that changes from one `Set` to the next (each hashes with a seed of its own), and the
    /// order decides which earlier outcomes a finding names and where the search's budget ends, so
    /// the same rules could be reported differently from run to run.
    static func variables(of conjunction: Conjunction) -> [Int32] {
        var seen: Set<Int32> = []
        var variables: [Int32] = []
        for literal in conjunction where seen.insert(literal.variable).inserted { variables.append(literal.variable) }
        return variables
    }

    /// The threshold lists of `variable`, looked at as a scan of `byVariable` would, but only at
    /// the entries that can matter: those that can hold together with the conjunction while the
    /// search still takes candidates, then those that can follow from it. Returns the covering
    /// outcome when one entry follows.
    private mutating func scanThresholds(
        _ variable: Int32, store: ConstraintStore, candidates: inout [Entry], scanned: inout Int
    ) -> Set<Int>? {
        guard uppers[variable] != nil || lowers[variable] != nil,
            case .numeric(let state) = store.states[variable] ?? store.initialState(variable)
        else { return nil }
        let isInteger = analysis.space.variables.numeric(variable)?.isInteger ?? false
        for (index, upper) in [(uppers[variable], true), (lowers[variable], false)] {
            guard let index else { continue }
            let query = ThresholdQuery.make(state, upperList: upper, isInteger: isInteger)
            var position = 0
            while true {
                let collecting = candidates.count <= OutcomeCoverage.maxCandidates
                guard let next = index.next(from: position, collecting ? query.admits : query.entails) else { break }
                position = next + 1
                let entryIndex = index.entries[next]
                guard stamps[entryIndex] != stamp else { continue }
                stamps[entryIndex] = stamp
                scanned += 1
                if scanned > OutcomeCoverage.maxScanned { return nil }
                let entry = entries[entryIndex]
                if entry.literals.allSatisfy({ store.entails($0) }) { return [entry.outcome] }
                if collecting, entry.literals.allSatisfy({ store.admits($0) }) { candidates.append(entry) }
            }
        }
        return nil
    }

    /// Whether `store ∧ clauses` is contradictory: true (shown), false (a world satisfies it), or
    /// nil (the budget ran out). Each clause is a disjunction of literals.
    static func refute(_ store: ConstraintStore, _ clauses: [[Literal]], budget: inout Int) -> Bool? {
        var branch: [Literal]?
        for clause in clauses {
            var open: [Literal] = []
            var satisfied = false
            for literal in clause {
                if store.entails(literal) {
                    satisfied = true
                    break
                }
                if store.admits(literal) { open.append(literal) }
            }
            if satisfied { continue }
            if open.isEmpty { return true }
            if branch == nil || open.count < (branch?.count ?? 0) { branch = open }
        }
        guard let branch else { return false }
        for literal in branch {
            budget -= 1
            if budget < 0 { return nil }
            var next = store
            guard next.add(literal) else { continue }
            switch refute(next, clauses, budget: &budget) {
            case .some(true): continue
            case .some(false): return false
            case .none: return nil
            }
        }
        return true
    }
}
