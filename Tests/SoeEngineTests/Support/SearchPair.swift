import SoeLanguage

@testable import SoeEngine

/// A decided firm's search made twice from one plan: as the evaluator makes it, and with one of its
/// steps turned off (`memo: false`, `positions: false`), for the tests that hold a step to the path
/// without it. Nil where the firm has no outcome or day, or the compiled conditions cannot search it.
struct SearchPair {
    let plan: CompiledPlan
    var usual: CompiledSearch
    var without: CompiledSearch

    init?(_ evaluator: Evaluator, _ decision: Decision, positions: Bool = true, memo: Bool = true) {
        guard let outcome = decision.outcome, let day = evaluator.day else { return nil }
        let analysis = evaluator.analysisPlan
        let plan = analysis.compiled.plan(for: evaluator, day: day, plan: analysis)
        guard
            let usual = CompiledSearch(
                plan, evaluator: evaluator, reads: analysis.conditionReads, outcome: outcome, names: analysis.outcomeNames),
            let without = CompiledSearch(
                plan, evaluator: evaluator, reads: analysis.conditionReads, outcome: outcome, names: analysis.outcomeNames,
                positions: positions, memo: memo)
        else { return nil }
        (self.plan, self.usual, self.without) = (plan, usual, without)
    }
}
