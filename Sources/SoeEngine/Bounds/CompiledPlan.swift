import SoeLanguage

/// The compiled conditions of a rule set for one day, with what the counterfactual search needs
/// per input worked out once (docs/bounds.md, "Counterfactuals"): which compiled yes/no formulas
/// a moved input can change, in an order where every formula comes after the formulas it reads,
/// and each input's type and declared range. Shared by reference, so a firm takes it with one
/// retain instead of copying every array of the compiled conditions.
final class CompiledPlan: Sendable {
    let conditions: CompiledConditions
    /// The tables below that the flat search reads per firm, input and candidate, flat, in memory
    /// the plan owns (`SearchTables`).
    let tables: SearchTables
    /// For each input, the compiled yes/no formulas whose answer can change when it moves (an atom
    /// that reads it, the input itself, or a formula that reads one of those), ascending; empty for
    /// every input when `ordered` is false.
    let dependents: [[Int32]]
    /// Whether every compiled yes/no comes after the ones it reads (the compiler appends a formula
    /// after its parts, so this holds; the flat search is not used where it does not).
    let ordered: Bool
    let types: [ValueType]
    let domains: [Interval?]
    /// Each input's declared range read out of `domains` once per rule set and day (`RangeCheck`),
    /// for the flat search's breakpoints: not once per firm and input.
    let ranges: [RangeCheck?]
    /// Each atom in whole numbers (`IntegralAtom`), and for each input the atoms that read it with
    /// its whole coefficient there; nil when a coefficient does not fit (the search then computes
    /// with `Exact`, as before).
    let integral: [IntegralAtom]?
    let integralOfInput: [[(atom: Int32, coefficient: Int128)]]
    /// For each compiled yes/no, the atoms whose signs its answer reads (through its parts), one bit
    /// per atom, atoms from 63 on sharing the last bit: a candidate recomputes a formula only where
    /// an atom whose sign changed since the last candidate is among them (`CompiledSearch`).
    let atomMasks: [UInt64]
    /// Each outcome's compiled condition and each criterion's compiled result, as in `conditions`,
    /// held here so that the search reads them without going through the compiled conditions.
    let outcomeConditions: [Int32]
    /// For each input whose list of `dependents` has at most 128 formulas, for each atom bit (as in
    /// `atomMasks`), the positions in that list of the formulas that read it, as 128 bits: a
    /// candidate marks the positions of the atoms whose signs changed and reads again only those
    /// (`CompiledSearch.outcome(at:)`), without walking the list. Empty for a longer list (the walk
    /// over the list by masks then reads it).
    let positionsOfBit: [[PositionBits]]
    /// For each input with `positionsOfBit`, for each outcome, how many formulas of the input's list
    /// come at or before that outcome's compiled condition (0 for an outcome without one): the
    /// positions a candidate must have read before it reads that condition.
    let conditionLimits: [[Int]]
    /// The inputs that any criterion reads through a formula the compiler left opaque (the union of
    /// `CompiledConditions.criteriaOpaque`): for an input outside it, no criterion needs the
    /// evaluator, so the flat search's criteria skip the check per criterion.
    let criteriaOpaqueAny: InputSet
    /// The kept-direction check's answers seen so far (`KeptMemo`, h-cf16).
    let keptMemo: KeptMemo

    /// The bit of an atom in `atomMasks`.
    @inline(__always)
    static func bit(_ atom: Int32) -> UInt64 { 1 << UInt64(min(Int(atom), 63)) }

    init(_ evaluator: Evaluator, plan: AnalysisPlan) {
        let conditions = CompiledConditions(evaluator, plan: plan)
        self.conditions = conditions
        criteriaOpaqueAny = conditions.criteriaOpaque.reduce(InputSet()) { $0.union($1) }
        types = evaluator.ruleSet.inputs.map(\.type)
        domains = evaluator.ruleSet.inputs.map { Evaluator.domain(of: $0) }
        ranges = domains.map { $0.map(RangeCheck.init) }
        let inputCount = evaluator.inputs.count
        var integral: [IntegralAtom]? = []
        var integralOfInput = [[(atom: Int32, coefficient: Int128)]](repeating: [], count: inputCount)
        for (index, atom) in conditions.atoms.enumerated() {
            guard let whole = IntegralAtom(atom) else {
                integral = nil
                break
            }
            integral?.append(whole)
            for term in whole.terms { integralOfInput[Int(term.input)].append((Int32(index), term.coefficient)) }
        }
        self.integral = integral
        self.integralOfInput = integral == nil ? Array(repeating: [], count: inputCount) : integralOfInput
        var ordered = true
        var dependents = [[Int32]](repeating: [], count: inputCount)
        // For each compiled yes/no, the inputs that change it, found in one forward pass.
        var reads = [InputSet](repeating: InputSet(), count: conditions.bools.count)
        var masks = [UInt64](repeating: 0, count: conditions.bools.count)
        for (index, bool) in conditions.bools.enumerated() {
            var set = InputSet()
            var mask: UInt64 = 0
            func child(_ other: Int32) {
                if Int(other) >= index {
                    ordered = false
                } else {
                    set = set.union(reads[Int(other)])
                    mask |= masks[Int(other)]
                }
            }
            switch bool {
            case .constant, .opaque: break
            case .input(let input): set.insert(Int(input))
            case .sign(let atom, _):
                for term in conditions.atoms[Int(atom)].terms { set.insert(term.input) }
                mask = Self.bit(atom)
            case .ratio(let numerator, let denominator, _):
                for term in conditions.atoms[Int(numerator)].terms { set.insert(term.input) }
                for term in conditions.atoms[Int(denominator)].terms { set.insert(term.input) }
                mask = Self.bit(numerator) | Self.bit(denominator)
            case .not(let inner): child(inner)
            case .and(let start, let count), .or(let start, let count):
                for offset in 0..<Int(count) { child(conditions.lists[Int(start) + offset]) }
            case .choose(let condition, let yes, let no, _):
                child(condition)
                child(yes)
                child(no)
            }
            reads[index] = set
            masks[index] = mask
            for input in 0..<inputCount where set.contains(input) { dependents[input].append(Int32(index)) }
        }
        self.ordered = ordered
        atomMasks = masks
        outcomeConditions = conditions.conditions
        self.dependents = ordered ? dependents : Array(repeating: [], count: inputCount)
        var positionsOfBit = [[PositionBits]](repeating: [], count: inputCount)
        var conditionLimits = [[Int]](repeating: [], count: inputCount)
        for (input, list) in self.dependents.enumerated() where !list.isEmpty && list.count <= 128 {
            var table = [PositionBits](repeating: PositionBits(), count: 64)
            for (position, formula) in list.enumerated() {
                var mask = masks[Int(formula)]
                while mask != 0 {
                    table[mask.trailingZeroBitCount].insert(position)
                    mask &= mask &- 1
                }
            }
            positionsOfBit[input] = table
            conditionLimits[input] = conditions.conditions.map { condition in
                condition < 0 ? 0 : list.lazy.filter { $0 <= condition }.count
            }
        }
        self.positionsOfBit = positionsOfBit
        self.conditionLimits = conditionLimits
        tables = SearchTables(
            conditions: conditions, dependents: self.dependents, masks: masks, positionsOfBit: positionsOfBit,
            conditionLimits: conditionLimits, integral: self.integral, integralOfInput: self.integralOfInput)
        keptMemo = KeptMemo(tables: tables)
    }

    deinit { tables.deallocate() }
}

/// The plan's tables that the flat search reads for every firm, input and candidate, copied once
/// per rule set and day into memory the plan owns (allocated in `CompiledPlan.init`, freed in its
/// `deinit`), as plain pointers: reading them costs no reference counting and no uniqueness check,
/// as reading an array held in a struct does. A search holds its plan, so the memory outlives every
/// read; nothing writes it after the plan is made. Every element is a plain value.
struct SearchTables: @unchecked Sendable {
    let bools: UnsafeMutablePointer<CompiledBool>
    let boolCount: Int
    let lists: UnsafeMutablePointer<Int32>
    /// `CompiledPlan.atomMasks`.
    let masks: UnsafeMutablePointer<UInt64>
    let outcomeConditions: UnsafeMutablePointer<Int32>
    let outcomeCount: Int
    /// `CompiledConditions.criteria`: each criterion's compiled yes/no.
    let criteria: UnsafeMutablePointer<Int32>
    let criterionCount: Int
    /// `CompiledPlan.dependents`: input `i`'s list is `dependents[dependentStarts[i] ..< dependentStarts[i + 1]]`.
    let dependentStarts: UnsafeMutablePointer<Int>
    let dependents: UnsafeMutablePointer<Int32>
    /// For each input with `CompiledPlan.positionsOfBit`, its slot (else -1): its 64 sets of
    /// positions are `positions[64 × slot ..< 64 × slot + 64]`, its `conditionLimits`
    /// `limits[outcomeCount × slot ..< outcomeCount × (slot + 1)]`.
    let positionSlots: UnsafeMutablePointer<Int>
    let positions: UnsafeMutablePointer<PositionBits>
    let limits: UnsafeMutablePointer<Int>
    /// `CompiledConditions.conditionAtoms`.
    let conditionAtoms: UnsafeMutablePointer<Bool>
    let atomCount: Int
    /// `CompiledPlan.integral` (when `integral` is true): atom `a`'s constant, and its terms at
    /// `termStarts[a] ..< termStarts[a + 1]`.
    let integral: Bool
    let constants: UnsafeMutablePointer<Int128>
    let termStarts: UnsafeMutablePointer<Int>
    let termInputs: UnsafeMutablePointer<Int32>
    let termCoefficients: UnsafeMutablePointer<Int128>
    /// `CompiledPlan.integralOfInput`: input `i`'s atoms at `inputAtomStarts[i] ..< inputAtomStarts[i + 1]`.
    let inputAtomStarts: UnsafeMutablePointer<Int>
    let inputAtoms: UnsafeMutablePointer<Int32>
    let inputCoefficients: UnsafeMutablePointer<Int128>
    /// `inputCoefficients` in 64 bits (truncated; exact where `small`), for the moves' 64-bit path.
    let inputCoefficients64: UnsafeMutablePointer<Int64>
    /// Whether every whole constant and coefficient fits in 64 bits.
    let small: Bool

    init(
        conditions: CompiledConditions, dependents: [[Int32]], masks: [UInt64], positionsOfBit: [[PositionBits]],
        conditionLimits: [[Int]], integral: [IntegralAtom]?, integralOfInput: [[(atom: Int32, coefficient: Int128)]]
    ) {
        func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
            // `deallocate` frees the tables without deinitializing them: only plain values, which
            // hold no reference to release, may be stored here.
            precondition(_isPOD(T.self), "SearchTables holds only plain values")
            let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
            _ = UnsafeMutableBufferPointer(start: pointer, count: array.count).initialize(from: array)
            return pointer
        }
        func starts(_ counts: [Int]) -> [Int] {
            var result = [0]
            for count in counts { result.append(result[result.count - 1] + count) }
            return result
        }
        bools = copy(conditions.bools)
        boolCount = conditions.bools.count
        lists = copy(conditions.lists)
        self.masks = copy(masks)
        outcomeConditions = copy(conditions.conditions)
        outcomeCount = conditions.conditions.count
        criteria = copy(conditions.criteria)
        criterionCount = conditions.criteria.count
        dependentStarts = copy(starts(dependents.map(\.count)))
        self.dependents = copy(dependents.flatMap { $0 })
        var slots: [Int] = []
        var flatPositions: [PositionBits] = []
        var flatLimits: [Int] = []
        for (input, table) in positionsOfBit.enumerated() {
            guard !table.isEmpty else {
                slots.append(-1)
                continue
            }
            slots.append(flatPositions.count / 64)
            flatPositions += table
            flatLimits += conditionLimits[input]
        }
        positionSlots = copy(slots)
        positions = copy(flatPositions)
        limits = copy(flatLimits)
        conditionAtoms = copy(conditions.conditionAtoms)
        atomCount = conditions.atoms.count
        self.integral = integral != nil
        let atoms = integral ?? []
        constants = copy(atoms.map(\.constant))
        termStarts = copy(starts(atoms.map(\.terms.count)))
        termInputs = copy(atoms.flatMap { $0.terms.map(\.input) })
        termCoefficients = copy(atoms.flatMap { $0.terms.map(\.coefficient) })
        inputAtomStarts = copy(starts(integralOfInput.map(\.count)))
        inputAtoms = copy(integralOfInput.flatMap { $0.map(\.atom) })
        inputCoefficients = copy(integralOfInput.flatMap { $0.map(\.coefficient) })
        inputCoefficients64 = copy(integralOfInput.flatMap { $0.map { Int64(truncatingIfNeeded: $0.coefficient) } })
        @inline(__always) func fits(_ value: Int128) -> Bool { Int128(Int64(truncatingIfNeeded: value)) == value }
        small = atoms.allSatisfy { atom in fits(atom.constant) && atom.terms.allSatisfy { fits($0.coefficient) } }
    }

    func deallocate() {
        bools.deallocate()
        lists.deallocate()
        masks.deallocate()
        outcomeConditions.deallocate()
        criteria.deallocate()
        dependentStarts.deallocate()
        dependents.deallocate()
        positionSlots.deallocate()
        positions.deallocate()
        limits.deallocate()
        conditionAtoms.deallocate()
        constants.deallocate()
        termStarts.deallocate()
        termInputs.deallocate()
        termCoefficients.deallocate()
        inputAtomStarts.deallocate()
        inputAtoms.deallocate()
        inputCoefficients.deallocate()
        inputCoefficients64.deallocate()
    }
}

/// A set of positions below 128 in an input's list of dependent formulas, as two words.
struct PositionBits: Sendable, Equatable {
    var low: UInt64 = 0
    var high: UInt64 = 0

    var isEmpty: Bool { low | high == 0 }

    mutating func insert(_ position: Int) {
        if position < 64 { low |= 1 << UInt64(position) } else { high |= 1 << UInt64(position - 64) }
    }

    mutating func formUnion(_ other: PositionBits) {
        low |= other.low
        high |= other.high
    }

    /// The lowest position, if any, removed.
    @inline(__always)
    mutating func popFirst(below limit: Int) -> Int? {
        let position: Int
        if low != 0 {
            position = low.trailingZeroBitCount
        } else if high != 0 {
            position = 64 + high.trailingZeroBitCount
        } else {
            return nil
        }
        guard position < limit else { return nil }
        if position < 64 { low &= low &- 1 } else { high &= high &- 1 }
        return position
    }
}

/// An atom times a positive whole `scale` (the least common multiple of its constant's and
/// coefficients' denominators in lowest terms): whole coefficients, so that for a firm whose inputs
/// share a denominator `q` the atom's value is one whole number over `scale × q`, its breakpoints
/// small fractions, and the sign at a candidate two products of whole numbers
/// (`CompiledSearch`), instead of `Exact` arithmetic on ever larger parts.
struct IntegralAtom: Sendable, Equatable {
    let scale: Int128
    let constant: Int128
    /// By input, as in the atom's `Lin`.
    let terms: [IntegralTerm]

    /// Nil when a part does not fit in 128 bits.
    init?(_ atom: Lin) {
        var scale: Int128 = 1
        let parts = [atom.constant.reduced()] + atom.terms.map { $0.coefficient.reduced() }
        for part in parts where part.denominator != scale {
            let common = Int128(Exact.gcd(UInt128(scale), UInt128(part.denominator)))
            let (next, overflow) = (scale / common).multipliedReportingOverflow(by: part.denominator)
            guard !overflow else { return nil }
            scale = next
        }
        @inline(__always) func whole(_ part: Exact) -> Int128? {
            let (value, overflow) = part.numerator.multipliedReportingOverflow(by: scale / part.denominator)
            return overflow ? nil : value
        }
        guard let constant = whole(parts[0]) else { return nil }
        var terms: [IntegralTerm] = []
        terms.reserveCapacity(atom.terms.count)
        for (offset, term) in atom.terms.enumerated() {
            guard let coefficient = whole(parts[offset + 1]) else { return nil }
            terms.append(IntegralTerm(input: Int32(term.input), coefficient: coefficient))
        }
        self.scale = scale
        self.constant = constant
        self.terms = terms
    }
}

struct IntegralTerm: Sendable, Equatable {
    let input: Int32
    let coefficient: Int128
}
