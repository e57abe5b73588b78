import SoeLanguage

/// The compiled conditions of a rule set for one day, with what the counterfactual search needs
/// per input worked out once (docs/bounds.md, "Counterfactuals"): which compiled yes/no formulas
/// a moved input can change, in an order where every formula comes after the formulas it reads,
/// and each input's type and declared range. Shared by reference, so a firm takes it with one
/// retain instead of copying every array of the compiled conditions.
final class CompiledPlan: Sendable {
    let conditions: CompiledConditions
    /// For each input, the compiled yes/no formulas whose answer can change when it moves (an atom
    /// that reads it, the input itself, or a formula that reads one of those), ascending; empty for
    /// every input when `ordered` is false.
    let dependents: [[Int32]]
    /// Whether every compiled yes/no comes after the ones it reads (the compiler appends a formula
    /// after its parts, so this holds; the flat search is not used where it does not).
    let ordered: Bool
    let types: [ValueType]
    let domains: [Interval?]

    init(_ evaluator: Evaluator, plan: AnalysisPlan) {
        let conditions = CompiledConditions(evaluator, plan: plan)
        self.conditions = conditions
        types = evaluator.ruleSet.inputs.map(\.type)
        domains = evaluator.ruleSet.inputs.map { Evaluator.domain(of: $0) }
        let inputCount = evaluator.inputs.count
        var ordered = true
        var dependents = [[Int32]](repeating: [], count: inputCount)
        // For each compiled yes/no, the inputs that change it, found in one forward pass.
        var reads = [InputSet](repeating: InputSet(), count: conditions.bools.count)
        for (index, bool) in conditions.bools.enumerated() {
            var set = InputSet()
            func child(_ other: Int32) {
                if Int(other) >= index { ordered = false } else { set = set.union(reads[Int(other)]) }
            }
            switch bool {
            case .constant, .opaque: break
            case .input(let input): set.insert(Int(input))
            case .sign(let atom, _): for term in conditions.atoms[Int(atom)].terms { set.insert(term.input) }
            case .ratio(let numerator, let denominator, _):
                for term in conditions.atoms[Int(numerator)].terms { set.insert(term.input) }
                for term in conditions.atoms[Int(denominator)].terms { set.insert(term.input) }
            case .not(let inner): child(inner)
            case .and(let start, let count), .or(let start, let count):
                for offset in 0..<Int(count) { child(conditions.lists[Int(start) + offset]) }
            case .choose(let condition, let yes, let no, _):
                child(condition)
                child(yes)
                child(no)
            }
            reads[index] = set
            for input in 0..<inputCount where set.contains(input) { dependents[input].append(Int32(index)) }
        }
        self.ordered = ordered
        self.dependents = ordered ? dependents : Array(repeating: [], count: inputCount)
    }
}
