import SoeLanguage

/// One decided firm under its rule set's compiled conditions: each atom's value for the firm,
/// computed once, and for the input being moved, each atom it moves with its breakpoint. The
/// outcome and the criteria at a candidate value are read from which side of each breakpoint the
/// value lies, with no new evaluation; where the compiled form cannot tell (an `if` whose
/// condition is unknown, a criterion that is unknown), the answer is `.ask`, and the search asks
/// the evaluator instead.
struct CompiledFirm {
    let compiled: CompiledConditions
    /// The compiled yes/no formulas and their lists, held directly so that reading them costs no
    /// reference counting per node.
    let bools: [CompiledBool]
    let lists: [Int32]
    let inputs: [Scalar?]
    /// Each atom's value and sign for the firm.
    var values: [Exact]
    var signs: [Int8]
    /// The moved input, -1 for none; for each atom it moves, the sign of its slope (else 0) and
    /// the value of the input where the atom is zero.
    var moved = -1
    var slopes: [Int8]
    var points: [Exact]
    var movedAtoms: [Int32] = []
    /// The candidate value of the moved input.
    var candidate = Scalar.bool(false)
    /// The opaque formulas' results for the firm, by compiled index (the evaluator's, computed
    /// once; a rule set the compiler writes wholly in forms has none).
    var opaque: [Kleene]
    /// The criteria and the outcome conditions for the firm: a condition or criterion that does
    /// not read the moved input keeps this answer, and is not evaluated again per candidate.
    var firmCriteria: [Kleene] = []
    var firmConditions: [Kleene] = []
    /// The breakpoints of the moved input, kept from input to input so that their memory is reused.
    var breakpoints: [Exact] = []

    /// The firm's compiled state; nil when an input the conditions or criteria read is missing (the
    /// compiled forms take every input as known) or a value overflows.
    init?(_ compiled: CompiledConditions, evaluator: Evaluator, reads: InputSet) {
        let inputs = evaluator.inputs
        for index in inputs.indices where inputs[index] == nil && reads.contains(index) { return nil }
        self.compiled = compiled
        bools = compiled.bools
        lists = compiled.lists
        self.inputs = inputs
        // The same arithmetic in both, so that breakpoints are the same numbers.
        guard let atomValues = compiled.atomValues(inputs) else { return nil }
        (values, signs) = atomValues
        slopes = Array(repeating: 0, count: compiled.atoms.count)
        points = Array(repeating: .zero, count: compiled.atoms.count)
        opaque = Array(repeating: .ask, count: compiled.hasOpaque ? compiled.bools.count : 0)
        if compiled.hasOpaque {
            for (index, bool) in compiled.bools.enumerated() {
                guard case .opaque(let node) = bool else { continue }
                switch evaluator.evaluate(node) {
                case .known(.bool(true)): opaque[index] = .yes
                case .known(.bool(false)): opaque[index] = .no
                case .known: opaque[index] = .ask
                case .unknown: opaque[index] = .unknown
                }
            }
        }
        var firm: [Kleene] = []
        for criterion in compiled.criteria { firm.append(truth(criterion)) }
        firmCriteria = firm
        var conditions: [Kleene] = []
        for condition in compiled.conditions { conditions.append(condition >= 0 ? truth(condition) : .yes) }
        firmConditions = conditions
    }

    /// Moves `input` (a yes/no, or a number at `value`): returns the breakpoints, the values where
    /// an atom it moves is zero; nil when one cannot be computed exactly.
    mutating func move(_ input: Int, from value: Scalar) -> [Exact]? {
        for atom in movedAtoms { slopes[Int(atom)] = 0 }
        movedAtoms.removeAll(keepingCapacity: true)
        moved = input
        candidate = value
        breakpoints.removeAll(keepingCapacity: true)
        guard case .number(let origin) = value else { return [] }
        for (atom, slope) in compiled.atomsOfInput[input] {
            // The atom is value + slope·(t − origin): zero at origin − value/slope.
            guard let offset = values[Int(atom)].dividing(slope), let point = origin.subtracting(offset) else { return nil }
            slopes[Int(atom)] = slope.isNegative ? -1 : 1
            points[Int(atom)] = point
            movedAtoms.append(atom)
            if compiled.conditionAtoms[Int(atom)] { breakpoints.append(point) }
        }
        return breakpoints
    }

    @inline(__always)
    func sign(_ atom: Int32) -> Int {
        let slope = Int(slopes[Int(atom)])
        guard slope != 0, case .number(let t) = candidate else { return Int(signs[Int(atom)]) }
        return slope * Exact.order(t, points[Int(atom)])
    }

    /// The outcome at the candidate value: `.some(index)`, `.some(nil)` when undetermined, nil to ask
    /// the evaluator.
    func outcome() -> Int?? {
        compiled.firstOutcome { index, condition in
            compiled.conditionInputs[index].contains(moved) ? truth(condition) : firmConditions[index]
        }
    }

    /// The criteria whose result at the candidate value differs from the firm's; nil to ask the
    /// evaluator (a criterion unknown on either side, whose unknowns may differ in what they name).
    func flippedCriteria() -> [Int]? {
        var flipped: [Int] = []
        for (index, criterion) in compiled.criteria.enumerated() {
            // A criterion with a formula the compiler left opaque over the moved input: the evaluator's.
            if compiled.criteriaOpaque[index].contains(moved) { return nil }
            let now = firmCriteria[index]
            guard now == .yes || now == .no else { return nil }
            if !compiled.criterionInputs[index].contains(moved) { continue }
            let then = truth(criterion)
            guard then == .yes || then == .no else { return nil }
            if then != now { flipped.append(index) }
        }
        return flipped
    }

    /// A compiled yes/no at the candidate value, in Kleene's logic as the evaluator has it.
    func truth(_ index: Int32) -> Kleene {
        switch bools[Int(index)] {
        case .constant(let value):
            return value
        case .sign(let atom, let test):
            return test.holds(sign(atom)) ? .yes : .no
        case .ratio(let numerator, let denominator, let test):
            let divisor = sign(denominator)
            guard divisor != 0 else { return .unknown }
            return test.holds(sign(numerator) * divisor) ? .yes : .no
        case .input(let input):
            let value = Int(input) == moved ? candidate : inputs[Int(input)]
            switch value {
            case .bool(true): return .yes
            case .bool(false): return .no
            case nil: return .unknown
            case .number, .choice, .date, .text: return .ask
            }
        case .not(let child):
            switch truth(child) {
            case .yes: return .no
            case .no: return .yes
            case let other: return other
            }
        case .and(let start, let count):
            return junction(start, count, decisive: .no)
        case .or(let start, let count):
            return junction(start, count, decisive: .yes)
        case .choose(let condition, let yes, let no, let strict):
            switch truth(condition) {
            case .yes: return truth(yes)
            case .no: return truth(no)
            case .unknown: return strict ? .unknown : .ask
            case .ask: return .ask
            }
        case .opaque:
            return opaque[Int(index)]
        }
    }

    /// `and` / `or`: a deciding answer wins over unknowns, as in the evaluator; an answer that
    /// must be asked for is asked unless another decides.
    func junction(_ start: Int32, _ count: Int32, decisive: Kleene) -> Kleene {
        var open = Kleene.no
        for offset in 0..<Int(count) {
            let value = truth(lists[Int(start) + offset])
            if value == decisive { return decisive }
            if value == .ask { open = .ask } else if value == .unknown && open != .ask { open = .unknown }
        }
        if open != .no { return open }
        return decisive == .yes ? .no : .yes
    }
}
