import SoeLanguage
import Synchronization

/// The outcome conditions and criteria of a rule set written once as signs of affine forms in the
/// inputs, for the counterfactual search (docs/bounds.md, "Counterfactuals").
///
/// Each comparison `l op r` whose sides are sums of inputs times constants becomes the sign of one
/// form, an atom (`l − r`); a share `n / d` compared with a constant `k` becomes the sign of
/// `n − k·d` times that of `d`; an `if` or a `min`/`max` becomes a choice between compiled
/// comparisons. For a firm, each atom's value is computed once; moving one input `t` moves the
/// atoms that read it along lines, each changing sign at one breakpoint, `t₀ − value / slope`. The
/// outcome at any candidate value is then read from which side of each breakpoint it lies on,
/// without evaluating the firm again. What the compiler cannot write so (a product of two inputs,
/// a date, a choice) stays `opaque`: an input that an opaque formula reads takes the general search.
///
/// Parameters are constants for a day, so the compiled conditions are made per rule set and day
/// (`CompiledCache`), once.
struct CompiledConditions: Sendable {
    var bools: [CompiledBool] = []
    var lists: [Int32] = []
    var atoms: [Lin] = []
    /// For each input, the atoms that read it and the input's coefficient there.
    var atomsOfInput: [[(atom: Int32, slope: Exact)]]
    /// The compiled condition of each outcome by priority; -1 for the fallback.
    var conditions: [Int32] = []
    /// The compiled result of each criterion.
    var criteria: [Int32] = []
    /// For each compiled yes/no, the inputs its opaque parts read: a moved input among them leaves
    /// the compiled answer to the evaluator.
    var opaqueReads: [InputSet] = []
    /// The inputs any outcome condition's or criterion's opaque part reads.
    var conditionsOpaque = InputSet()
    var criteriaOpaque: [InputSet] = []
    /// Whether each atom is read by an outcome condition (and not only by a criterion): only those
    /// give breakpoints, the others only answer which criteria a change flips.
    var conditionAtoms: [Bool] = []
    /// Whether any formula was left opaque (the firm then asks the evaluator for their results).
    var hasOpaque = false
    /// The inputs each outcome condition and each criterion reads through its atoms, yes/no inputs
    /// and opaque parts: one that does not read the moved input keeps the firm's answer.
    var conditionInputs: [InputSet] = []
    var criterionInputs: [InputSet] = []

    init(_ evaluator: Evaluator, plan: AnalysisPlan) {
        atomsOfInput = Array(repeating: [], count: evaluator.inputs.count)
        var compiler = Compiler(evaluator: evaluator, plan: plan, result: self)
        for condition in evaluator.outcomeConditions {
            compiler.result.conditions.append(condition >= 0 ? compiler.bool(condition) : -1)
        }
        for root in evaluator.criterionRoots { compiler.result.criteria.append(compiler.bool(root)) }
        self = compiler.result
        for condition in conditions where condition >= 0 { conditionsOpaque = conditionsOpaque.union(opaqueReads[Int(condition)]) }
        criteriaOpaque = criteria.map { opaqueReads[Int($0)] }
        for (index, atom) in atoms.enumerated() {
            for term in atom.terms { atomsOfInput[term.input].append((Int32(index), term.coefficient)) }
        }
        hasOpaque = bools.contains { if case .opaque = $0 { true } else { false } }
        conditionAtoms = Array(repeating: false, count: atoms.count)
        var seen = Array(repeating: false, count: bools.count)
        for condition in conditions where condition >= 0 { markAtoms(condition, &seen) }
        var memo = [InputSet?](repeating: nil, count: bools.count)
        conditionInputs = conditions.map { $0 >= 0 ? inputsRead($0, &memo) : InputSet() }
        criterionInputs = criteria.map { inputsRead($0, &memo) }
    }

    /// The inputs a compiled yes/no reads.
    func inputsRead(_ index: Int32, _ memo: inout [InputSet?]) -> InputSet {
        if let known = memo[Int(index)] { return known }
        var set = opaqueReads[Int(index)]
        switch bools[Int(index)] {
        case .constant, .opaque: break
        case .input(let input): set.insert(Int(input))
        case .sign(let atom, _): for term in atoms[Int(atom)].terms { set.insert(term.input) }
        case .ratio(let numerator, let denominator, _):
            for term in atoms[Int(numerator)].terms + atoms[Int(denominator)].terms { set.insert(term.input) }
        case .not(let child): set = set.union(inputsRead(child, &memo))
        case .and(let start, let count), .or(let start, let count):
            for offset in 0..<Int(count) { set = set.union(inputsRead(lists[Int(start) + offset], &memo)) }
        case .choose(let condition, let yes, let no, _):
            set = set.union(inputsRead(condition, &memo)).union(inputsRead(yes, &memo)).union(inputsRead(no, &memo))
        }
        memo[Int(index)] = set
        return set
    }

    mutating func markAtoms(_ index: Int32, _ seen: inout [Bool]) {
        guard !seen[Int(index)] else { return }
        seen[Int(index)] = true
        switch bools[Int(index)] {
        case .constant, .input, .opaque: return
        case .sign(let atom, _): conditionAtoms[Int(atom)] = true
        case .ratio(let numerator, let denominator, _):
            conditionAtoms[Int(numerator)] = true
            conditionAtoms[Int(denominator)] = true
        case .not(let child): markAtoms(child, &seen)
        case .and(let start, let count), .or(let start, let count):
            for offset in 0..<Int(count) { markAtoms(lists[Int(start) + offset], &seen) }
        case .choose(let condition, let yes, let no, _):
            markAtoms(condition, &seen)
            markAtoms(yes, &seen)
            markAtoms(no, &seen)
        }
    }
}

/// The compiled conditions of each day a rule set has been asked about, shared by the copies of
/// one evaluator (a batch's workers each have their own copy).
final class CompiledCache: Sendable {
    private let entries = Mutex<Entries>(Entries())
    /// The counterfactual search's plan and block, kept from firm to firm by the evaluator (and its
    /// copies) this cache belongs to (h-cf20). Here, not in `Evaluator`, so that the evaluator's
    /// size and the batch's per-row path stay as they were.
    let reuse = SearchReuse()
    /// This cache among all made in the process (never two alike, unlike an address, which a
    /// cache made after another's end may take): what `SearchReuse` compares.
    let id = CompiledCache.made.wrappingAdd(1, ordering: .relaxed).newValue
    private static let made = Atomic<UInt64>(0)

    /// The plans by day, and the last one asked for: a batch or a benchmark asks for one day over
    /// and over, and comparing a day costs less than hashing it.
    struct Entries {
        var table: [Day: CompiledPlan] = [:]
        var last: (day: Day, plan: CompiledPlan)?
    }

    func conditions(for evaluator: Evaluator, day: Day, plan: AnalysisPlan) -> CompiledConditions {
        self.plan(for: evaluator, day: day, plan: plan).conditions
    }

    /// The compiled conditions with what the flat search needs per input (`CompiledPlan`).
    func plan(for evaluator: Evaluator, day: Day, plan: AnalysisPlan) -> CompiledPlan {
        let known = entries.withLock { entries -> CompiledPlan? in
            if let last = entries.last, last.day == day { return last.plan }
            guard let found = entries.table[day] else { return nil }
            entries.last = (day, found)
            return found
        }
        if let known { return known }
        let compiled = CompiledPlan(evaluator, plan: plan)
        entries.withLock { entries in
            // A long batch over many fiscal years keeps a handful, not one per day ever seen.
            if entries.table.count >= 16 { entries.table.removeAll() }
            entries.table[day] = compiled
            entries.last = (day, compiled)
        }
        return compiled
    }
}

/// Walks the formula nodes once, writing each in compiled form.
private struct Compiler {
    let evaluator: Evaluator
    let plan: AnalysisPlan
    var result: CompiledConditions
    var values: [CompiledNumber??]
    var criteria: [Int32?]
    /// The most leaves a compiled number may have before it is left opaque.
    static let leafLimit = 8

    init(evaluator: Evaluator, plan: AnalysisPlan, result: CompiledConditions) {
        self.evaluator = evaluator
        self.plan = plan
        self.result = result
        values = Array(repeating: nil, count: evaluator.valueRoots.count)
        criteria = Array(repeating: nil, count: evaluator.criterionRoots.count)
    }

    mutating func add(_ bool: CompiledBool, reads: InputSet = InputSet()) -> Int32 {
        result.bools.append(bool)
        result.opaqueReads.append(reads)
        return Int32(result.bools.count - 1)
    }

    mutating func atom(_ form: Lin) -> Int32 {
        if let known = result.atoms.firstIndex(of: form) { return Int32(known) }
        result.atoms.append(form)
        return Int32(result.atoms.count - 1)
    }

    func reads(_ index: Int32) -> InputSet { result.opaqueReads[Int(index)] }

    mutating func opaque(_ node: Int32) -> Int32 { add(.opaque(node: node), reads: plan.nodeInputs[Int(node)]) }

    /// A yes/no node, compiled.
    mutating func bool(_ index: Int32) -> Int32 {
        let node = evaluator.nodes[Int(index)]
        switch node.op {
        case .constant:
            guard case .bool(let flag) = evaluator.constants[Int(node.a)] else { return opaque(index) }
            return add(.constant(flag ? .yes : .no))
        case .input:
            guard evaluator.ruleSet.inputs[Int(node.a)].type == .bool else { return opaque(index) }
            return add(.input(node.a))
        case .criterion:
            let criterion = Int(node.a)
            if let known = criteria[criterion] { return known }
            let compiled = bool(evaluator.criterionRoots[criterion])
            criteria[criterion] = compiled
            return compiled
        case .not:
            let child = bool(node.a)
            return add(.not(child), reads: reads(child))
        case .and, .or:
            var children: [Int32] = []
            var union = InputSet()
            for offset in 0..<Int(node.listCount) {
                let child = bool(evaluator.lists[Int(node.listStart) + offset])
                children.append(child)
                union = union.union(reads(child))
            }
            let start = Int32(result.lists.count)
            result.lists += children
            let count = Int32(children.count)
            return add(node.op == .and ? .and(start: start, count: count) : .or(start: start, count: count), reads: union)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            guard let test = SignTest(node.op), isNumeric(node.a), let left = number(node.a), let right = number(node.b),
                let compiled = compare(left, right, test)
            else { return opaque(index) }
            return compiled
        case .ifThenElse:
            // Only a condition that is never unknown for known inputs: the evaluator's `if` with an
            // unknown condition can still be known, which a choice cannot say.
            let condition = bool(node.a)
            guard total(condition) else { return opaque(index) }
            let (yes, no) = (bool(node.b), bool(node.c))
            return add(
                .choose(condition: condition, then: yes, otherwise: no, strict: false),
                reads: reads(condition).union(reads(yes)).union(reads(no)))
        case .parameter, .value, .member, .isKnown, .negate, .add, .subtract, .multiply, .divide, .minimum, .maximum:
            return opaque(index)
        }
    }

    /// Whether a compiled yes/no is known whenever the inputs are.
    func total(_ index: Int32) -> Bool {
        switch result.bools[Int(index)] {
        case .constant(let value): return value == .yes || value == .no
        case .sign, .input: return true
        case .ratio, .opaque: return false
        case .not(let child): return total(child)
        case .and(let start, let count), .or(let start, let count):
            return (0..<Int(count)).allSatisfy { total(result.lists[Int(start) + $0]) }
        case .choose(let condition, let yes, let no, _): return total(condition) && total(yes) && total(no)
        }
    }

    func isNumeric(_ index: Int32) -> Bool {
        switch evaluator.nodes[Int(index)].type {
        case .money, .percent, .count, .number: true
        case .bool, .date, .text, .choice: false
        }
    }

    /// A numeric node, compiled; nil when it has no compiled form.
    mutating func number(_ index: Int32) -> CompiledNumber? {
        let node = evaluator.nodes[Int(index)]
        switch node.op {
        case .constant:
            guard case .number(let value) = evaluator.constants[Int(node.a)] else { return nil }
            return .line(.constant(value))
        case .parameter:
            guard case .known(.number(let value)) = evaluator.parameterResults[Int(node.a)] else { return nil }
            return .line(.constant(value))
        case .input:
            return .line(.input(Int(node.a)))
        case .value:
            let value = Int(node.a)
            if let known = values[value] { return known }
            let compiled = number(evaluator.valueRoots[value])
            values[value] = .some(compiled)
            return compiled
        case .negate:
            return number(node.a).flatMap { scale($0, by: Exact(integer: -1)) }
        case .add, .subtract, .multiply, .divide:
            guard let left = number(node.a), let right = number(node.b) else { return nil }
            return arithmetic(node.op, left, right)
        case .ifThenElse:
            let condition = bool(node.a)
            guard total(condition), let yes = number(node.b), let no = number(node.c) else { return nil }
            return limited(.choose(condition: condition, then: yes, otherwise: no, strict: false))
        case .minimum, .maximum:
            // max(a, b) is `if a >= b then a else b`, unknown when either is (as the evaluator's).
            var best: CompiledNumber?
            for offset in 0..<Int(node.listCount) {
                let item = evaluator.lists[Int(node.listStart) + offset]
                guard isNumeric(item), let next = number(item) else { return nil }
                guard let current = best else {
                    best = next
                    continue
                }
                guard let keeps = compare(current, next, node.op == .maximum ? .nonNegative : .nonPositive) else { return nil }
                best = limited(.choose(condition: keeps, then: current, otherwise: next, strict: true))
                if best == nil { return nil }
            }
            return best
        case .criterion, .not, .and, .or, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .member, .isKnown:
            return nil
        }
    }

    func limited(_ number: CompiledNumber) -> CompiledNumber? { number.leaves <= Compiler.leafLimit ? number : nil }

    mutating func arithmetic(_ op: NodeOp, _ left: CompiledNumber, _ right: CompiledNumber) -> CompiledNumber? {
        // A choice on either side: the operation on each branch.
        if case .choose(let condition, let yes, let no, let strict) = left {
            guard let a = arithmetic(op, yes, right), let b = arithmetic(op, no, right) else { return nil }
            return limited(.choose(condition: condition, then: a, otherwise: b, strict: strict))
        }
        if case .choose(let condition, let yes, let no, let strict) = right {
            guard let a = arithmetic(op, left, yes), let b = arithmetic(op, left, no) else { return nil }
            return limited(.choose(condition: condition, then: a, otherwise: b, strict: strict))
        }
        switch op {
        case .add, .subtract:
            let sign = Exact(integer: op == .add ? 1 : -1)
            switch (left, right) {
            case (.line(let l), .line(let r)): return l.adding(r, times: sign).map { .line($0) }
            // n/d ± k = (n ± k·d)/d: defined exactly where n/d is.
            case (.ratio(let n, let d), .line(let r)):
                guard let k = r.constantValue?.multiplying(sign), let shifted = n.adding(d, times: k) else { return nil }
                return .ratio(shifted, d)
            case (.line(let l), .ratio(let n, let d)):
                // k ± n/d = (k·d ± n)/d.
                guard let k = l.constantValue, let signed = n.scaled(by: sign), let shifted = signed.adding(d, times: k) else {
                    return nil
                }
                return .ratio(shifted, d)
            case (.ratio, .ratio), (.choose, _), (_, .choose): return nil
            }
        case .multiply:
            if case .line(let r) = right, let k = r.constantValue { return scale(left, by: k) }
            if case .line(let l) = left, let k = l.constantValue { return scale(right, by: k) }
            return nil
        case .divide:
            guard case .line(let r) = right else { return nil }
            if let k = r.constantValue {
                // Division by a constant 0 is undefined everywhere: the evaluator's to say.
                guard !k.isZero, let inverse = Exact.one.dividing(k) else { return nil }
                return scale(left, by: inverse)
            }
            guard case .line(let n) = left else { return nil }
            return .ratio(n, r)
        case .constant, .input, .parameter, .value, .criterion, .not, .negate, .equal, .notEqual, .less, .lessEqual, .greater,
            .greaterEqual, .and, .or, .member, .ifThenElse, .minimum, .maximum, .isKnown:
            return nil
        }
    }

    /// `k × number`; a ratio keeps its divisor, so it stays undefined where that is zero even for k = 0.
    func scale(_ number: CompiledNumber, by factor: Exact) -> CompiledNumber? {
        switch number {
        case .line(let form): return form.scaled(by: factor).map { .line($0) }
        case .ratio(let n, let d):
            guard let scaled = n.scaled(by: factor) else { return nil }
            return .ratio(scaled, d)
        case .choose(let condition, let yes, let no, let strict):
            guard let a = scale(yes, by: factor), let b = scale(no, by: factor) else { return nil }
            return .choose(condition: condition, then: a, otherwise: b, strict: strict)
        }
    }

    /// `left op right` as a compiled yes/no; nil when it has no compiled form.
    mutating func compare(_ left: CompiledNumber, _ right: CompiledNumber, _ test: SignTest) -> Int32? {
        if case .choose(let condition, let yes, let no, let strict) = left {
            guard let a = compare(yes, right, test), let b = compare(no, right, test) else { return nil }
            return add(.choose(condition: condition, then: a, otherwise: b, strict: strict), reads: reads(condition))
        }
        if case .choose(let condition, let yes, let no, let strict) = right {
            guard let a = compare(left, yes, test), let b = compare(left, no, test) else { return nil }
            return add(.choose(condition: condition, then: a, otherwise: b, strict: strict), reads: reads(condition))
        }
        switch (left, right) {
        case (.line(let l), .line(let r)):
            guard let difference = l.adding(r, times: Exact(integer: -1)) else { return nil }
            return add(.sign(atom: atom(difference), test: test))
        case (.ratio(let n, let d), .line(let r)):
            // n/d op k: the sign of (n − k·d)/d.
            guard let k = r.constantValue, let negated = k.negated(), let shifted = n.adding(d, times: negated) else { return nil }
            return add(.ratio(numerator: atom(shifted), denominator: atom(d), test: test))
        case (.line(let l), .ratio(let n, let d)):
            guard let k = l.constantValue, let negated = k.negated(), let shifted = n.adding(d, times: negated) else { return nil }
            return add(.ratio(numerator: atom(shifted), denominator: atom(d), test: test.mirrored))
        case (.ratio, .ratio), (.choose, _), (_, .choose):
            return nil
        }
    }
}

extension CompiledConditions {
    /// Each atom's value for a firm's inputs, and its sign (-1, 0, 1); nil when an input an atom
    /// reads is not a number or a value overflows. `CompiledFirm` and `CompiledSearch` both start
    /// from these, so that their breakpoints are the same numbers.
    func atomValues(_ inputs: [Scalar?]) -> (values: [Exact], signs: [Int8])? {
        var values: [Exact] = []
        values.reserveCapacity(atoms.count)
        var signs: [Int8] = []
        signs.reserveCapacity(atoms.count)
        for atom in atoms {
            var value = atom.constant
            for term in atom.terms {
                guard case .number(let x) = inputs[term.input], let product = term.coefficient.multiplying(x),
                    let sum = value.adding(product)
                else { return nil }
                value = sum
            }
            values.append(value)
            signs.append(value.isZero ? 0 : (value.isNegative ? -1 : 1))
        }
        return (values, signs)
    }

    /// The outcome the conditions give, read in priority order: the first whose answer is yes (the
    /// fallback, -1, always applies); `.some(nil)` when an unknown comes first (undetermined); nil
    /// when an answer must be asked of the evaluator. `answer(index, condition)` is the answer of
    /// outcome `index`'s compiled condition. `CompiledFirm` and `CompiledSearch` both decide so.
    @inline(__always)
    func firstOutcome(_ answer: (Int, Int32) -> Kleene) -> Int?? {
        for (index, condition) in conditions.enumerated() {
            guard condition >= 0 else { return .some(index) }
            switch answer(index, condition) {
            case .yes: return .some(index)
            case .no: continue
            case .unknown: return .some(nil)
            case .ask: return nil
            }
        }
        return .some(nil)
    }
}
