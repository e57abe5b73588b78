import SoeLanguage
import Synchronization

/// What one evaluator's counterfactual searches reuse from firm to firm (h-cf20), held by its
/// `CompiledCache`: the plan last found, with the cache (by its `id`) and day it was found for, so
/// that the next firm of the same rule set and day takes it without the cache's lock; and the
/// search's block (`SearchStorage`), kept for the next firm instead of freed and allocated again
/// (about 680 instructions a firm).
///
/// The plan is immutable once made (its tables have their own lock), so holding it is safe; it is
/// taken only where the cache (by its `id`, which no other cache has) and the day are the ones it
/// was found for. The block's memory holds nothing that a search reads before it writes it, as with
/// a block just allocated; the atoms' `Exact` values are emptied when the block is taken, and its
/// lists of indices (`SearchStorage.list(of:)`) are kept on purpose: each holds the indices of its
/// set, whatever the firm. A block too small for the plan is replaced.
///
/// Copies of an evaluator share it, so a firm's search takes it by an atomic flag, a lock that is
/// tried and never waited for: a search that finds it taken (another thread, with a copy of the same
/// evaluator, in its search) looks the plan up in the cache and makes a block of its own, as every
/// search did before. Its state is touched only between `take` and `give`: hence `@unchecked`.
final class SearchReuse: @unchecked Sendable {
    private let busy = Atomic<Bool>(false)
    private var cache: UInt64 = 0
    private var day: Day?
    private var plan: CompiledPlan?
    private var block: SearchStorage?

    init() {}

    /// Takes it for one firm's search: false where another search holds it.
    @inline(__always)
    func take() -> Bool { busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged }

    /// Gives it back after the search.
    @inline(__always)
    func give() { busy.store(false, ordering: .releasing) }

    /// The compiled plan of `analysis`'s rule set for `day`: the last one found where the cache and
    /// the day are the same, else the cache's (then kept).
    func plan(for evaluator: borrowing Evaluator, day: Day, analysis: AnalysisPlan) -> CompiledPlan {
        if let plan, cache == analysis.compiled.id, self.day == day { return plan }
        let found = analysis.compiled.plan(for: evaluator, day: day, plan: analysis)
        (cache, self.day, plan) = (analysis.compiled.id, day, found)
        return found
    }

    /// A block of at least `bytes` bytes: the last one where it is large enough (its `values`
    /// emptied), else a new one (then kept).
    func block(bytes: Int) -> SearchStorage {
        if let block, block.bytes >= bytes {
            if !block.values.isEmpty { block.values = [] }
            return block
        }
        let made = SearchStorage(bytes: bytes)
        block = made
        return made
    }
}
