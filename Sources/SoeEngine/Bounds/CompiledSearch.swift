import SoeLanguage

/// `Exact.order`, with one more integer tier before the 256-bit products: the breakpoints' parts
/// often pass 64 bits (sums of amounts over different denominators are not reduced), while both
/// cross products still fit in 128. Exact either way: a product that overflows takes `Exact.order`.
@inline(__always)
func exactOrder(_ lhs: Exact, _ rhs: Exact) -> Int {
    if lhs.denominator == rhs.denominator {
        return lhs.numerator < rhs.numerator ? -1 : (lhs.numerator == rhs.numerator ? 0 : 1)
    }
    @inline(__always) func fits(_ value: Int128) -> Bool { Int128(Int64(truncatingIfNeeded: value)) == value }
    if fits(lhs.numerator) && fits(rhs.numerator) && fits(lhs.denominator) && fits(rhs.denominator) {
        // Both products below 2^126 in magnitude: no overflow.
        let l = lhs.numerator &* rhs.denominator
        let r = rhs.numerator &* lhs.denominator
        return l < r ? -1 : (l == r ? 0 : 1)
    }
    let (l, o1) = lhs.numerator.multipliedReportingOverflow(by: rhs.denominator)
    let (r, o2) = rhs.numerator.multipliedReportingOverflow(by: lhs.denominator)
    if !o1 && !o2 { return l < r ? -1 : (l == r ? 0 : 1) }
    return Exact.order(lhs, rhs)
}

/// The counterfactual search of one decided firm under its rule set's compiled conditions, flat:
/// the search `Probe` makes with the compiled conditions (the same candidates in the same order,
/// the same exact arithmetic), without its general machinery.
///
/// The firm's answer for every compiled yes/no is computed once. For a candidate value of the
/// moved input only the atoms it moves get a new sign, and only the formulas that read them
/// (`CompiledPlan.dependents`, in an order where each comes after its parts) a new answer, each
/// from its parts' answers, with no recursion. Wherever the compiled conditions cannot answer
/// (`Kleene.ask`, an opaque formula over the moved input, a breakpoint or step that overflows),
/// the search gives `nil` for that input and the caller runs `Probe` for it, which asks the
/// evaluator: the results are those of `Probe` either way.
struct CompiledSearch {
    let plan: CompiledPlan
    let bools: [CompiledBool]
    let lists: [Int32]
    let atomsOfInput: [[(atom: Int32, slope: Exact)]]
    let conditionAtoms: [Bool]
    let conditions: [Int32]
    let criteria: [Int32]
    let criteriaOpaque: [InputSet]
    let conditionsOpaque: InputSet
    let inputs: [Scalar?]
    let outcome: Int
    let names: [Int]
    /// Each atom's value for the firm, where the search computes with `Exact` (`whole` false).
    var values: [Exact] = []
    /// Whether each atom's value is held in whole numbers (`IntegralAtom`): `totals[a]` over
    /// `scale × denominators[a]`, with `denominators[a]` the common denominator of the firm's inputs
    /// the atom reads. Then the breakpoints are small fractions, compared in 64 or 128 bits.
    var whole = false
    var totals: [Int128] = []
    var denominators: [Int128] = []
    /// Each atom's sign at the firm's values, and at the candidate (moved atoms only differ).
    var signs: [Int8]
    var current: [Int8]
    /// Each compiled yes/no at the firm's values, and at the candidate (dependents only differ).
    var firm: [Kleene]
    var answers: [Kleene]
    /// The moved input; each atom it moves (`MovingAtom`: in whole numbers the atom times `scale ×
    /// denominator` is `rest + gain × t` in the moved input's value `t`, so its sign at `t = n / m`
    /// is that of `rest × m + gain × n`), and the zeros of those the outcome conditions read.
    var moved = -1
    var moving: [MovingAtom] = []
    var breakpoints: [Exact] = []
    /// The breakpoints within the input's range, ascending and without repeats: kept from input to
    /// input so that their memory is reused.
    var sorted: [Exact] = []
    var unique: [Exact] = []
    /// The candidate value of a yes/no input.
    var flag = false
    /// `CompiledPlan.atomMasks`: a candidate reads again only the formulas of the moved input
    /// (`plan.dependents[moved]`) that read an atom whose sign changed.
    let masks: [UInt64]
    /// How far `answers` is up to date with `current`: the moved input's formulas before position
    /// `fresh` in its list hold every sign change so far; those from it on may lack the changes of
    /// the atoms in `stale` (a candidate reads them only as far as its outcome needs).
    var fresh = Int.max
    var stale: UInt64 = 0
    /// The outcome the compiled conditions give at the firm's own values.
    var firmOutcome: Int?? = nil
    let incremental: Bool
    /// `positions: false` walks the moved input's list by masks even where `plan.positionsOfBit`
    /// has its positions (the walk before them, which tests compare them with).
    let positions: Bool
    /// Whether the moved input's formulas are read by position (`plan.positionsOfBit`): then
    /// `dirty` holds the positions in its list of the formulas that lack a sign change so far
    /// (instead of `fresh` and `stale`).
    var byPosition = false
    var dirty = PositionBits()

    /// The firm's compiled state; nil where `Probe` would not use the compiled conditions for it (an
    /// input they read is missing, or an atom's value overflows).
    /// `integral: false` computes with `Exact` even where the atoms have whole forms: tests compare
    /// the two.
    /// `incremental: false` reads every formula again per candidate and searches every input (the
    /// reference for the incremental reading and the early answers: tests compare the two).
    init?(
        _ plan: CompiledPlan, evaluator: borrowing Evaluator, reads: InputSet, outcome: Int, names: [Int],
        integral useIntegral: Bool = true,
        incremental: Bool = true,
        positions: Bool = true
    ) {
        guard plan.ordered else { return nil }
        // The compiled conditions' arrays read from the plan one by one: a copy of the whole
        // struct would retain and release every one of them per firm.
        let inputs = evaluator.inputs
        for index in inputs.indices where inputs[index] == nil && reads.contains(index) { return nil }
        if useIntegral, let integral = plan.integral, let atomTotals = Self.integralValues(integral, inputs) {
            // Whole numbers: the breakpoints are the same values as `Exact` gives, in small parts.
            whole = true
            (totals, denominators, signs) = atomTotals
        } else {
            // The same arithmetic as `CompiledFirm`, so that breakpoints are the same numbers.
            guard let atomValues = plan.conditions.atomValues(inputs) else { return nil }
            (values, signs) = atomValues
        }
        self.plan = plan
        bools = plan.conditions.bools
        lists = plan.conditions.lists
        atomsOfInput = plan.conditions.atomsOfInput
        conditionAtoms = plan.conditions.conditionAtoms
        conditions = plan.conditions.conditions
        criteria = plan.conditions.criteria
        criteriaOpaque = plan.conditions.criteriaOpaque
        conditionsOpaque = plan.conditions.conditionsOpaque
        self.inputs = inputs
        self.outcome = outcome
        self.names = names
        masks = plan.atomMasks
        self.incremental = incremental
        self.positions = positions
        current = signs
        // Room for every atom at once: the breakpoints of one input are at most one per atom.
        moving.reserveCapacity(plan.conditions.atoms.count)
        breakpoints.reserveCapacity(plan.conditions.atoms.count)
        sorted.reserveCapacity(plan.conditions.atoms.count)
        unique.reserveCapacity(plan.conditions.atoms.count)
        firm = Array(repeating: .ask, count: bools.count)
        answers = []
        for index in bools.indices {
            let answer: Kleene
            if case .opaque(let node) = bools[index] {
                switch evaluator.evaluate(node) {
                case .known(.bool(true)): answer = .yes
                case .known(.bool(false)): answer = .no
                case .known: answer = .ask
                case .unknown: answer = .unknown
                }
            } else {
                answer = truth(index, in: firm)
            }
            firm[index] = answer
        }
        answers = firm
        let table = firm
        firmOutcome = plan.conditions.firstOutcome { _, condition in table[Int(condition)] }
    }

    /// One compiled yes/no from its parts' answers in `table` and the current signs.
    @inline(__always)
    func truth(_ index: Int, in table: [Kleene]) -> Kleene {
        switch bools[index] {
        case .input(let input):
            if Int(input) == moved { return flag ? .yes : .no }
            switch inputs[Int(input)] {
            case .bool(true): return .yes
            case .bool(false): return .no
            case nil: return .unknown
            case .number, .choice, .date, .text: return .ask
            }
        case .opaque:
            return firm[index]
        case .constant, .sign, .ratio, .not, .and, .or, .choose:
            return Self.formula(index, bools, lists, current, table)
        }
    }

    /// `truth` for a formula a moved number can change (one that reads an atom: a sign, a ratio,
    /// or a formula over those), from its parts' answers in `table` and the atoms' signs in
    /// `current`. A static function over the arrays it reads: called from the incremental loop, a
    /// method would copy the whole search per call. A yes/no input or an opaque formula (which
    /// reads no atom, so no moved number changes it) keeps its answer.
    @inline(__always)
    static func formula(_ index: Int, _ bools: [CompiledBool], _ lists: [Int32], _ current: [Int8], _ table: [Kleene]) -> Kleene {
        switch bools[index] {
        case .constant(let value):
            return value
        case .sign(let atom, let test):
            return test.holds(Int(current[Int(atom)])) ? .yes : .no
        case .ratio(let numerator, let denominator, let test):
            let divisor = Int(current[Int(denominator)])
            guard divisor != 0 else { return .unknown }
            return test.holds(Int(current[Int(numerator)]) * divisor) ? .yes : .no
        case .input, .opaque:
            return table[index]
        case .not(let child):
            switch table[Int(child)] {
            case .yes: return .no
            case .no: return .yes
            case let other: return other
            }
        case .and(let start, let count):
            return junction(start, count, decisive: .no, lists, table)
        case .or(let start, let count):
            return junction(start, count, decisive: .yes, lists, table)
        case .choose(let condition, let yes, let no, let strict):
            switch table[Int(condition)] {
            case .yes: return table[Int(yes)]
            case .no: return table[Int(no)]
            case .unknown: return strict ? .unknown : .ask
            case .ask: return .ask
            }
        }
    }

    /// `and` / `or` as `CompiledFirm.junction` has them.
    @inline(__always)
    static func junction(_ start: Int32, _ count: Int32, decisive: Kleene, _ lists: [Int32], _ table: [Kleene]) -> Kleene {
        var open = Kleene.no
        for offset in 0..<Int(count) {
            let value = table[Int(lists[Int(start) + offset])]
            if value == decisive { return decisive }
            if value == .ask { open = .ask } else if value == .unknown && open != .ask { open = .unknown }
        }
        if open != .no { return open }
        return decisive == .yes ? .no : .yes
    }

    /// `a × b`, with overflow reported: one 64-bit product where both fit in 64 bits (the parts of
    /// amounts in øre and of small coefficients), which cannot overflow 128 bits; else the 128-bit
    /// product, whose overflow check costs a call.
    @inline(__always)
    static func product(_ a: Int128, _ b: Int128) -> (partialValue: Int128, overflow: Bool) {
        let (a64, b64) = (Int64(truncatingIfNeeded: a), Int64(truncatingIfNeeded: b))
        if Int128(a64) == a && Int128(b64) == b { return (Int128(a64) &* Int128(b64), false) }
        return a.multipliedReportingOverflow(by: b)
    }

    /// Each atom's value for the firm in whole numbers: the total (the atom times its scale and the
    /// common denominator of the inputs it reads), that denominator, and the sign; nil when an input
    /// the atoms read is not a number or a product does not fit in 128 bits.
    static func integralValues(_ atoms: [IntegralAtom], _ inputs: [Scalar?]) -> (totals: [Int128], denominators: [Int128], signs: [Int8])? {
        var totals: [Int128] = []
        totals.reserveCapacity(atoms.count)
        var denominators: [Int128] = []
        denominators.reserveCapacity(atoms.count)
        var signs: [Int8] = []
        signs.reserveCapacity(atoms.count)
        // Each input's parts read out of its `Scalar` once, not once per atom and term; a
        // denominator of 0 marks an input that is not a number.
        var parts = [(numerator: Int128, denominator: Int128)](repeating: (0, 0), count: inputs.count)
        for index in inputs.indices {
            if case .number(let x) = inputs[index] { parts[index] = (x.numerator, x.denominator) }
        }
        for atom in atoms {
            // The common denominator: the inputs' own one when they share it (money in øre).
            var common: Int128 = 1
            for (offset, term) in atom.terms.enumerated() {
                let x = parts[Int(term.input)]
                guard x.denominator != 0 else { return nil }
                if offset == 0 {
                    common = x.denominator
                } else if x.denominator != common {
                    let divisor = Int128(Exact.gcd(UInt128(common), UInt128(x.denominator)))
                    let (next, overflow) = (common / divisor).multipliedReportingOverflow(by: x.denominator)
                    guard !overflow else { return nil }
                    common = next
                }
            }
            var (total, overflow) = Self.product(atom.constant, common)
            guard !overflow else { return nil }
            for term in atom.terms {
                let x = parts[Int(term.input)]
                var (product, o1) = Self.product(term.coefficient, x.numerator)
                var o2 = false
                if x.denominator != common { (product, o2) = Self.product(product, common / x.denominator) }
                let (sum, o3) = total.addingReportingOverflow(product)
                guard !o1 && !o2 && !o3 else { return nil }
                total = sum
            }
            totals.append(total)
            denominators.append(common)
            signs.append(total == 0 ? 0 : (total < 0 ? -1 : 1))
        }
        return (totals, denominators, signs)
    }

    /// `move` in whole numbers: each atom the input moves is `rest + gain × t`, zero at
    /// `−rest / gain`, the same value as `origin − value / slope`; false when a part does not fit.
    mutating func moveWhole(_ input: Int, from origin: Exact) -> Bool {
        for (atom, coefficient) in plan.integralOfInput[input] {
            let a = Int(atom)
            let common = denominators[a]
            // The firm's own value of the input: its denominator divides the common one.
            var (moved, o1) = Self.product(coefficient, origin.numerator)
            var o2 = false
            if origin.denominator != common {
                guard common % origin.denominator == 0 else { return false }
                (moved, o2) = Self.product(moved, common / origin.denominator)
            }
            let (rest, o3) = totals[a].subtractingReportingOverflow(moved)
            let (gain, o4) = Self.product(coefficient, common)
            guard !o1 && !o2 && !o3 && !o4, rest != .min, gain != .min else { return false }
            let point = gain > 0 ? Exact(raw: -rest, gain) : Exact(raw: rest, -gain)
            moving.append(MovingAtom(atom: atom, slope: gain > 0 ? 1 : -1, rest: rest, gain: gain, point: point))
            if conditionAtoms[a] { breakpoints.append(point) }
        }
        return true
    }

    /// Whether two results (by rule index; nil when undetermined) are the same outcome.
    func same(_ a: Int?, _ b: Int?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return names[a] == names[b]
    }

    /// Moves `input`, at `value` for a number: the breakpoints of the outcome conditions; nil when
    /// one cannot be computed exactly.
    mutating func move(_ input: Int, from value: Exact?) -> Bool {
        if moved >= 0 {
            for index in plan.dependents[moved] { answers[Int(index)] = firm[Int(index)] }
        }
        for atom in moving { current[Int(atom.atom)] = signs[Int(atom.atom)] }
        moving.removeAll(keepingCapacity: true)
        breakpoints.removeAll(keepingCapacity: true)
        moved = input
        (fresh, stale) = (Int.max, 0)
        byPosition = positions && incremental && !plan.positionsOfBit[input].isEmpty
        dirty = PositionBits()
        guard let origin = value else { return true }
        if whole { return moveWhole(input, from: origin) }
        for (atom, slope) in atomsOfInput[input] {
            // The atom is value + slope·(t − origin): zero at origin − value/slope.
            guard let offset = values[Int(atom)].dividing(slope), let point = origin.subtracting(offset) else { return false }
            moving.append(MovingAtom(atom: atom, slope: slope.isNegative ? -1 : 1, rest: 0, gain: 0, point: point))
            if conditionAtoms[Int(atom)] { breakpoints.append(point) }
        }
        return true
    }

    /// The outcome with the moved input at `value` (a number) or `flag` (a yes/no): `.some(index)`,
    /// `.some(nil)` when undetermined, nil when the compiled conditions cannot tell.
    ///
    /// Incremental: only the moved atoms whose sign differs from the last candidate's mark the
    /// formulas that read them, and the formulas are read again in order only as far as the first
    /// outcome whose condition holds (or cannot be told); `complete()` reads the rest when the
    /// criteria are needed. Each formula comes after its parts, so one reads the same answers as
    /// when every formula is read again.
    mutating func outcome(at value: Exact?) -> Int?? {
        guard let value else { return outcomeOfFlag() }
        guard incremental else { return outcomeReadAgain(at: value) }
        var change: UInt64 = 0
        for atom in moving {
            let sign = self.sign(of: atom, at: value)
            if sign != current[Int(atom.atom)] {
                current[Int(atom.atom)] = sign
                change |= CompiledPlan.bit(atom.atom)
            }
        }
        if byPosition { return outcomeByPosition(change) }
        stale |= change
        var table = answers
        answers = []
        let list = plan.dependents[moved]
        let (bools, lists, current, masks) = (self.bools, self.lists, self.current, self.masks)
        var position = 0
        var result: Int?? = .some(nil)
        outcomes: for (index, condition) in plan.outcomeConditions.enumerated() {
            guard condition >= 0 else {
                result = .some(index)
                break
            }
            while position < list.count {
                let formula = Int(list[position])
                guard formula <= Int(condition) else { break }
                // Before `fresh` a formula lacks only this candidate's changes; from it on, `stale`.
                if masks[formula] & (position < fresh ? change : stale) != 0 {
                    table[formula] = Self.formula(formula, bools, lists, current, table)
                }
                position += 1
            }
            if let found = Self.verdict(table[Int(condition)], outcome: index) {
                result = found
                break outcomes
            }
        }
        answers = table
        if position >= list.count {
            (fresh, stale) = (Int.max, 0)
        } else {
            fresh = position
        }
        return result
    }

    /// What an outcome's condition, once read, makes of the walk over the outcomes: nil to read
    /// the next outcome (the condition is no); otherwise what `outcome(at:)` answers: this
    /// outcome (yes), an unknown outcome (`.some(nil)`), or nil for a formula the search cannot
    /// answer (ask). The walk by masks and the walk by positions both end so.
    @inline(__always)
    static func verdict(_ answer: Kleene, outcome index: Int) -> Int??? {
        switch answer {
        case .yes: .some(.some(index))
        case .no: nil
        case .unknown: .some(.some(nil))
        case .ask: .some(nil)
        }
    }

    /// `outcome(at:)` by position: the positions of the formulas reading an atom whose sign changed
    /// (`change`) are marked in `dirty`, and read again in order, only those, only as far as the
    /// first outcome whose condition holds (or cannot be told); the rest stay marked for a later
    /// candidate or `complete()`. The same formulas get the same answers as the walk by masks.
    mutating func outcomeByPosition(_ change: UInt64) -> Int?? {
        let bits = plan.positionsOfBit[moved]
        var dirty = self.dirty
        var marks = change
        while marks != 0 {
            dirty.formUnion(bits[marks.trailingZeroBitCount])
            marks &= marks &- 1
        }
        var table = answers
        answers = []
        let list = plan.dependents[moved]
        let limits = plan.conditionLimits[moved]
        let (bools, lists, current) = (self.bools, self.lists, self.current)
        var result: Int?? = .some(nil)
        outcomes: for (index, condition) in plan.outcomeConditions.enumerated() {
            guard condition >= 0 else {
                result = .some(index)
                break
            }
            while let position = dirty.popFirst(below: limits[index]) {
                let formula = Int(list[position])
                table[formula] = Self.formula(formula, bools, lists, current, table)
            }
            if let found = Self.verdict(table[Int(condition)], outcome: index) {
                result = found
                break outcomes
            }
        }
        answers = table
        self.dirty = dirty
        return result
    }

    /// A moved atom's sign at `value`: in whole numbers `rest × m + gain × n` for `value = n / m`;
    /// from the breakpoint, exactly, in `Exact` or where a product does not fit in 128 bits.
    @inline(__always)
    func sign(of atom: MovingAtom, at value: Exact) -> Int8 {
        if whole {
            let (x, o1) = Self.product(atom.rest, value.denominator)
            let (y, o2) = Self.product(atom.gain, value.numerator)
            let (sum, o3) = x.addingReportingOverflow(y)
            if !(o1 || o2 || o3) { return sum == 0 ? 0 : (sum < 0 ? -1 : 1) }
        }
        return Int8(Int(atom.slope) * exactOrder(value, atom.point))
    }

    /// The outcome as the search read it before it was incremental: the moved atoms' signs, then every
    /// formula of the moved input read again, then the conditions in order.
    mutating func outcomeReadAgain(at value: Exact) -> Int?? {
        for atom in moving { current[Int(atom.atom)] = sign(of: atom, at: value) }
        return outcomeOfFlag()
    }

    /// The moved input's formulas read to the end (the criteria after the outcome).
    mutating func complete() {
        if byPosition {
            guard !dirty.isEmpty else { return }
            var table = answers
            answers = []
            let list = plan.dependents[moved]
            let (bools, lists, current) = (self.bools, self.lists, self.current)
            while let position = dirty.popFirst(below: Int.max) {
                let formula = Int(list[position])
                table[formula] = Self.formula(formula, bools, lists, current, table)
            }
            answers = table
            return
        }
        guard fresh != Int.max else { return }
        var table = answers
        answers = []
        let list = plan.dependents[moved]
        let (bools, lists, current, masks) = (self.bools, self.lists, self.current, self.masks)
        for position in fresh..<list.count {
            let formula = Int(list[position])
            if masks[formula] & stale != 0 { table[formula] = Self.formula(formula, bools, lists, current, table) }
        }
        answers = table
        (fresh, stale) = (Int.max, 0)
    }

    /// The outcome with the moved yes/no input at `flag`: every formula that reads it read again.
    mutating func outcomeOfFlag() -> Int?? {
        complete()
        var table = answers
        answers = []
        for index in plan.dependents[moved] { table[Int(index)] = truth(Int(index), in: table) }
        answers = table
        return plan.conditions.firstOutcome { _, condition in table[Int(condition)] }
    }

    /// The criteria that differ at the candidate from the firm; nil when the compiled conditions
    /// cannot tell (as `CompiledFirm.flippedCriteria`).
    mutating func flippedCriteria() -> [Int]? {
        complete()
        var flipped: [Int] = []
        for (index, criterion) in criteria.enumerated() {
            if criteriaOpaque[index].contains(moved) { return nil }
            let now = firm[Int(criterion)]
            guard now == .yes || now == .no else { return nil }
            let then = answers[Int(criterion)]
            guard then == .yes || then == .no else { return nil }
            if then != now { flipped.append(index) }
        }
        return flipped
    }

    /// The counterfactual of the candidate `to`, when it changes the outcome; `.some(nil)` when it
    /// does not; nil when the compiled conditions cannot tell.
    mutating func alternative(_ index: Int, from: Scalar, to value: Scalar, number: Exact?, change: Exact?, beyond: Bool = false)
        -> Counterfactual??
    {
        guard let changed = outcome(at: number) else { return nil }
        if same(changed, outcome) { return .some(nil) }
        guard let flipped = flippedCriteria() else { return nil }
        let shown: Scalar
        if beyond, case .number(let start) = from, let change, let limit = start.adding(change) {
            shown = .number(limit)
        } else {
            shown = value
        }
        return .some(
            Counterfactual(input: index, from: from, to: shown, change: change, beyond: beyond, outcome: changed, criteria: flipped))
    }
}

/// An atom the moved input moves: its slope's sign and its zero (the breakpoint), and in whole
/// numbers (`CompiledSearch.whole`) the atom times `scale × denominator` as `rest + gain × t`. One
/// record per atom, written once per input, instead of one entry in each of four per-atom arrays.
struct MovingAtom {
    let atom: Int32
    let slope: Int8
    let rest: Int128
    let gain: Int128
    let point: Exact
}
