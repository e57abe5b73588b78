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
///
/// What it reads per candidate is plain memory: the plan's tables (`SearchTables`, owned by the
/// plan) and the firm's own state, carved out of one block (`SearchStorage`, freed when the last
/// copy of the search goes, or kept for the caller's next firm by its `SearchReuse`). A copy of the
/// search shares that state: the search is made, used and dropped by one caller
/// (`Evaluator.counterfactuals(of:)`), never copied to be used twice.
struct CompiledSearch {
    let plan: CompiledPlan
    let tables: SearchTables
    let storage: SearchStorage
    let conditionsOpaque: InputSet
    let inputs: [Scalar?]
    let outcome: Int
    let names: [Int]
    /// Whether each atom's value is held in whole numbers (`IntegralAtom`): `totals[a]` over
    /// `scale × denominators[a]`, with `denominators[a]` the common denominator of the firm's inputs
    /// the atom reads. Then the breakpoints are small fractions, compared in 64 or 128 bits.
    var whole = false
    let totals: UnsafeMutablePointer<Int128>
    let denominators: UnsafeMutablePointer<Int128>
    /// Each atom's sign at the firm's values, and at the candidate (moved atoms only differ).
    let signs: UnsafeMutablePointer<Int8>
    let current: UnsafeMutablePointer<Int8>
    /// Each compiled yes/no at the firm's values, and at the candidate (dependents only differ).
    let firm: UnsafeMutablePointer<Kleene>
    let answers: UnsafeMutablePointer<Kleene>
    /// The moved input; each atom it moves (`MovingAtom`: in whole numbers the atom times `scale ×
    /// denominator` is `rest + gain × t` in the moved input's value `t`, so its sign at `t = n / m`
    /// is that of `rest × m + gain × n`), and the zeros of those the outcome conditions read.
    var moved = -1
    let moving: UnsafeMutablePointer<MovingAtom>
    var movingCount = 0
    let breakpoints: UnsafeMutablePointer<Exact>
    var breakpointCount = 0
    /// The breakpoints within the input's range, ascending and without repeats.
    let sorted: UnsafeMutablePointer<Exact>
    var sortedCount = 0
    let unique: UnsafeMutablePointer<Exact>
    var uniqueCount = 0
    /// The moved input's list of dependent formulas (`plan.dependents[moved]`), and where it has
    /// positions, its sets of positions per atom bit and its limits per outcome.
    var list: UnsafeMutablePointer<Int32>
    var listCount = 0
    var positionBits: UnsafeMutablePointer<PositionBits>
    var limits: UnsafeMutablePointer<Int>
    /// The candidate value of a yes/no input.
    var flag = false
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
    /// Which breakpoints (by their place, below 64) lie outside the range, as `filter` found, and
    /// whether it has since the last `move` (`keptDirections` reads them instead of comparing again).
    var outside: UInt64 = 0
    var outsideKnown = false
    var dirty = PositionBits()
    /// Whether a candidate has been read since the last `move`: until one is, `current` and
    /// `answers` hold the firm's own signs and answers, and the next `move` need not restore them
    /// (an input settled at once reads none).
    var touched = false
    /// False where the firm's state could not be made (an atom's value overflows): then the search
    /// must not be used (`init(checked:…)`; the failable init gives nil).
    let usable: Bool
    /// The signs each atom can take in each direction of the moved input (`Reach`: three bits up,
    /// three down), and the answers each compiled yes/no can take (four bits up, four down); 0 for
    /// the firm's own, where the moved input does not reach them (`keptDirections`).
    let reach: UnsafeMutablePointer<UInt8>
    let possible: UnsafeMutablePointer<UInt8>
    /// Whether a direction in which no candidate can change the outcome is left unsearched
    /// (`keptDirections`); `settle: false` searches it, the reference tests compare this with.
    let settles: Bool
    /// Whether the check reads and notes its answers in the plan's table (`KeptMemo`, h-cf16);
    /// `memo: false` computes every one (the reference tests compare the table with).
    let memoizes: Bool
    /// The firm's key in that table, made on the first check that needs it.
    var firmKey = KeptMemo.FirmKey()
    var firmKeyMade = false
    /// Whether `firm`, `answers`, `firmOutcome` and the sets' zeros are made (`makeState`): until
    /// then `firm` holds only the leaves' answers.
    var stateMade = false

    /// The firm's compiled state; nil where `Probe` would not use the compiled conditions for it (an
    /// input they read is missing, or an atom's value overflows).
    /// `integral: false` computes with `Exact` even where the atoms have whole forms: tests compare
    /// the two.
    /// `incremental: false` reads every formula again per candidate and searches every input (the
    /// reference for the incremental reading and the early answers: tests compare the two); it also
    /// keeps the moves in 128 bits, the walk's comparisons with the value and the range's end, the
    /// criteria's check per criterion, the firm's state restored after every input and
    /// `Probe.rayStep`, as they were before the 64-bit and shorter paths (`MoveStepTests`).
    init?(
        _ plan: CompiledPlan, evaluator: borrowing Evaluator, reads: InputSet, outcome: Int, names: [Int],
        integral useIntegral: Bool = true,
        incremental: Bool = true,
        positions: Bool = true,
        settle: Bool = true,
        memo: Bool = true
    ) {
        guard Self.applies(plan, inputs: evaluator.inputs, reads: reads) else { return nil }
        self.init(
            checked: plan, evaluator: evaluator, outcome: outcome, names: names, integral: useIntegral, incremental: incremental,
            positions: positions, settle: settle, memo: memo)
        guard usable else { return nil }
    }

    /// Whether the plan's conditions are ordered and the firm has every input they read: the checks
    /// before `init(checked:…)`.
    static func applies(_ plan: CompiledPlan, inputs: [Scalar?], reads: InputSet) -> Bool {
        guard plan.ordered else { return false }
        // Read through the array's buffer: no copy of each `Scalar?` made and destroyed.
        return inputs.withUnsafeBufferPointer { buffer in
            // The missing check first: a decided firm's inputs are all given, so the set is read
            // for none of them (reading it first cost about 100 instructions a firm more).
            for index in buffer.indices {
                if case .none = buffer[index], reads.contains(index) { return false }
            }
            return true
        }
    }

    /// The firm's compiled state where `applies` holds; `usable` false where an atom's value
    /// overflows. Not failable, so that the search is made where it is held (the failable init's
    /// result was copied out of an `Optional`, about 900 instructions a firm).
    /// `reuse`, where `taken` (the caller took it; never nil then): the caller's `SearchReuse`,
    /// whose block the search uses, else a block of its own.
    init(
        checked plan: CompiledPlan, evaluator: borrowing Evaluator, outcome: Int, names: [Int],
        integral useIntegral: Bool = true,
        incremental: Bool = true,
        positions: Bool = true,
        settle: Bool = true,
        memo: Bool = true,
        reuse: SearchReuse? = nil,
        taken: Bool = false
    ) {
        let inputs = evaluator.inputs
        let tables = plan.tables
        let atomCount = tables.atomCount
        let boolCount = tables.boolCount
        // One block for the firm's state: the wide parts first, then the narrow ones.
        var layout = StorageLayout()
        let totalsAt = layout.take(Int128.self, atomCount)
        let denominatorsAt = layout.take(Int128.self, atomCount)
        let partsAt = layout.take(Int128.self, 2 * inputs.count)
        let breakpointsAt = layout.take(Exact.self, atomCount)
        let sortedAt = layout.take(Exact.self, atomCount)
        let uniqueAt = layout.take(Exact.self, atomCount)
        let movingAt = layout.take(MovingAtom.self, atomCount)
        let firmAt = layout.take(Kleene.self, boolCount)
        let answersAt = layout.take(Kleene.self, boolCount)
        let signsAt = layout.take(Int8.self, atomCount)
        let currentAt = layout.take(Int8.self, atomCount)
        let reachAt = layout.take(UInt8.self, atomCount)
        let possibleAt = layout.take(UInt8.self, boolCount)
        let storage = taken ? reuse.unsafelyUnwrapped.block(bytes: layout.size) : SearchStorage(bytes: layout.size)
        totals = storage.bind(totalsAt, Int128.self, atomCount)
        denominators = storage.bind(denominatorsAt, Int128.self, atomCount)
        let parts = storage.bind(partsAt, Int128.self, 2 * inputs.count)
        breakpoints = storage.bind(breakpointsAt, Exact.self, atomCount)
        sorted = storage.bind(sortedAt, Exact.self, atomCount)
        unique = storage.bind(uniqueAt, Exact.self, atomCount)
        moving = storage.bind(movingAt, MovingAtom.self, atomCount)
        firm = storage.bind(firmAt, Kleene.self, boolCount)
        answers = storage.bind(answersAt, Kleene.self, boolCount)
        signs = storage.bind(signsAt, Int8.self, atomCount)
        current = storage.bind(currentAt, Int8.self, atomCount)
        reach = storage.bind(reachAt, UInt8.self, atomCount)
        possible = storage.bind(possibleAt, UInt8.self, boolCount)
        self.storage = storage
        self.tables = tables
        list = tables.dependents
        positionBits = tables.positions
        limits = tables.limits
        let isWhole =
            useIntegral && tables.integral
            && Self.integralValues(tables, inputs, parts: parts, totals: totals, denominators: denominators, signs: signs)
        // Whole numbers: the breakpoints are the same values as `Exact` gives, in small parts.
        whole = isWhole
        var usable = true
        if !isWhole {
            // The same arithmetic as `CompiledFirm`, so that breakpoints are the same numbers.
            if let atomValues = plan.conditions.atomValues(inputs) {
                storage.values = atomValues.values
                for (atom, sign) in atomValues.signs.enumerated() { signs[atom] = sign }
            } else {
                usable = false
            }
        }
        self.usable = usable
        self.plan = plan
        conditionsOpaque = plan.conditions.conditionsOpaque
        self.inputs = inputs
        self.outcome = outcome
        self.names = names
        self.incremental = incremental
        self.positions = positions
        settles = settle && incremental && isWhole
        memoizes = memo && plan.keptMemo.keyed
        guard usable else { return }
        current.update(from: signs, count: atomCount)
        // Here only the leaves' answers (the yes/no inputs and the opaque formulas, which the
        // evaluator answers): with the signs they are the firm's key in the plan's tables, and every
        // other formula's answer follows from them (`makeState`, at the first `move`).
        let firm = self.firm
        for leaf in plan.keptMemo.leaves {
            let index = Int(leaf)
            switch tables.bools[index] {
            case .opaque(let node):
                switch evaluator.evaluate(node) {
                case .known(.bool(true)): firm[index] = .yes
                case .known(.bool(false)): firm[index] = .no
                case .known: firm[index] = .ask
                case .unknown: firm[index] = .unknown
                }
            case .input(let input):
                // `truth` with no input moved.
                firm[index] = Self.answer(of: inputs[Int(input)])
            case .constant, .sign, .ratio, .not, .and, .or, .choose:
                break
            }
        }
    }

    /// A yes/no input's answer for its value, as `truth` reads it.
    @inline(__always)
    static func answer(of value: Scalar?) -> Kleene {
        switch value {
        case .bool(true): .yes
        case .bool(false): .no
        case nil: .unknown
        case .number, .choice, .date, .text: .ask
        }
    }

    /// The firm's answer of every compiled yes/no, the candidates' answers and the firm's outcome
    /// by the compiled conditions, made once, at the first `move` (h-cf18): a firm whose every
    /// input the plan's tables settle before the move (`keptAhead`, the flips) needs none of them.
    /// Read from the plan's table of firms' answers where it has the firm's key (the answers are a
    /// function of it: the signs and the leaves' answers), else computed in order, each formula
    /// after its parts, and noted. `memo: false` computes them.
    mutating func makeState() {
        stateMade = true
        let (tables, firm, current) = (self.tables, self.firm, self.current)
        let memo = Unmanaged.passUnretained(plan.keptMemo)
        var noted = false
        if memoizes && plan.keptMemo.states {
            makeFirmKey()
            let key = firmKey
            noted = memo._withUnsafeGuaranteedRef { $0.state(key, into: firm) }
        }
        if !noted {
            // A leaf's `formula` is its own answer, made in `init`.
            for index in 0..<tables.boolCount { firm[index] = Self.formula(index, tables, current, firm) }
            if memoizes && plan.keptMemo.states { plan.keptMemo.note(firmKey, state: firm) }
        }
        answers.update(from: firm, count: tables.boolCount)
        firmOutcome = Self.firstOutcome(tables, firm)
        // 0: the firm's own sets (`keptDirections`).
        if settles {
            reach.initialize(repeating: 0, count: tables.atomCount)
            possible.initialize(repeating: 0, count: tables.boolCount)
        }
    }

    /// `CompiledConditions.firstOutcome` over the answers in `table`.
    @inline(__always)
    static func firstOutcome(_ tables: SearchTables, _ table: UnsafeMutablePointer<Kleene>) -> Int?? {
        for index in 0..<tables.outcomeCount {
            let condition = tables.outcomeConditions[index]
            guard condition >= 0 else { return .some(index) }
            switch table[Int(condition)] {
            case .yes: return .some(index)
            case .no: continue
            case .unknown: return .some(nil)
            case .ask: return nil
            }
        }
        return .some(nil)
    }

    /// One compiled yes/no from its parts' answers in `table` and the current signs.
    @inline(__always)
    func truth(_ index: Int, in table: UnsafeMutablePointer<Kleene>) -> Kleene {
        switch tables.bools[index] {
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
            return Self.formula(index, tables, current, table)
        }
    }

    /// `truth` for a formula a moved number can change (one that reads an atom: a sign, a ratio,
    /// or a formula over those), from its parts' answers in `table` and the atoms' signs in
    /// `current`. A yes/no input or an opaque formula (which reads no atom, so no moved number
    /// changes it) keeps its answer.
    @inline(__always)
    static func formula(
        _ index: Int, _ tables: SearchTables, _ current: UnsafeMutablePointer<Int8>, _ table: UnsafeMutablePointer<Kleene>
    ) -> Kleene {
        switch tables.bools[index] {
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
            return junction(start, count, decisive: .no, tables.lists, table)
        case .or(let start, let count):
            return junction(start, count, decisive: .yes, tables.lists, table)
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
    static func junction(
        _ start: Int32, _ count: Int32, decisive: Kleene, _ lists: UnsafeMutablePointer<Int32>, _ table: UnsafeMutablePointer<Kleene>
    ) -> Kleene {
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

    /// Each atom's value for the firm in whole numbers, as arrays (the tests' view of the same
    /// computation): the total (the atom times its scale and the common denominator of the inputs
    /// it reads), that denominator, and the sign; nil when an input the atoms read is not a number
    /// or a product does not fit in 128 bits.
    /// `narrow` as in the pointers' version.
    static func integralValues(_ tables: SearchTables, _ inputs: [Scalar?], narrow: Bool = true) -> (
        totals: [Int128], denominators: [Int128], signs: [Int8]
    )? {
        guard tables.integral else { return nil }
        let count = tables.atomCount
        var totals = [Int128](repeating: 0, count: count)
        var denominators = [Int128](repeating: 0, count: count)
        var signs = [Int8](repeating: 0, count: count)
        var parts = [Int128](repeating: 0, count: 2 * inputs.count)
        let fits = parts.withUnsafeMutableBufferPointer { parts in
            totals.withUnsafeMutableBufferPointer { totals in
                denominators.withUnsafeMutableBufferPointer { denominators in
                    signs.withUnsafeMutableBufferPointer { signs in
                        guard let p = parts.baseAddress, let t = totals.baseAddress, let d = denominators.baseAddress,
                            let s = signs.baseAddress
                        else { return count == 0 }
                        return integralValues(tables, inputs, parts: p, totals: t, denominators: d, signs: s, narrow: narrow)
                    }
                }
            }
        }
        return fits ? (totals, denominators, signs) : nil
    }

    /// Each atom's value for the firm in whole numbers, written into `totals`, `denominators` and
    /// `signs` (one entry per atom); false when an input the atoms read is not a number or a product
    /// does not fit in 128 bits. `parts` is room for two whole numbers per input.
    ///
    /// `narrow: false` computes an atom whose inputs do not share their denominator in 128 bits
    /// even where `whole64` could (the reference tests compare `whole64` with).
    static func integralValues(
        _ tables: SearchTables, _ inputs: [Scalar?], parts: UnsafeMutablePointer<Int128>, totals: UnsafeMutablePointer<Int128>,
        denominators: UnsafeMutablePointer<Int128>, signs: UnsafeMutablePointer<Int8>, narrow: Bool = true
    ) -> Bool {
        // Each input's parts read out of its `Scalar` once, not once per atom and term; a
        // denominator of 0 marks an input that is not a number.
        // Whether every input's parts fit in 64 bits: with the plan's whole coefficients
        // (`SearchTables.small`), an atom whose inputs share their denominator is then a sum of
        // products of two 64-bit numbers, none of which can overflow (only the sum is checked).
        // Read through the array's buffer: no copy of each `Scalar?` made and destroyed.
        let small = inputs.withUnsafeBufferPointer { buffer in
            var small = tables.small
            for index in buffer.indices {
                if case .number(let x)? = buffer[index] {
                    parts[2 * index] = x.numerator
                    parts[2 * index + 1] = x.denominator
                    small =
                        small && Int128(Int64(truncatingIfNeeded: x.numerator)) == x.numerator
                        && Int128(Int64(truncatingIfNeeded: x.denominator)) == x.denominator
                } else {
                    parts[2 * index] = 0
                    parts[2 * index + 1] = 0
                }
            }
            return small
        }
        atoms: for atom in 0..<tables.atomCount {
            let (first, end) = (tables.termStarts[atom], tables.termStarts[atom + 1])
            if small && first < end {
                let common = parts[2 * Int(tables.termInputs[first]) + 1]
                guard common != 0 else { return false }
                var total = tables.constants[atom] &* common
                var shared = true
                for term in first..<end {
                    let input = 2 * Int(tables.termInputs[term])
                    guard parts[input + 1] == common else {
                        shared = false
                        break
                    }
                    // Both parts fit in 64 bits (`small`): one widening multiplication.
                    let product =
                        Int128(Int64(truncatingIfNeeded: tables.termCoefficients[term])) &* Int128(Int64(truncatingIfNeeded: parts[input]))
                    let (sum, overflow) = total.addingReportingOverflow(product)
                    guard !overflow else {
                        shared = false
                        break
                    }
                    total = sum
                }
                if shared {
                    totals[atom] = total
                    denominators[atom] = common
                    signs[atom] = total == 0 ? 0 : (total < 0 ? -1 : 1)
                    continue atoms
                }
                // Inputs over different denominators (amounts reduced to 1/20, 1/4, 1/100 øre…): the
                // same least common multiple and total as below, in 64 bits where no step overflows.
                if narrow, let (total, common) = Self.whole64(atom, first, end, tables, parts) {
                    totals[atom] = Int128(total)
                    denominators[atom] = Int128(common)
                    signs[atom] = total == 0 ? 0 : (total < 0 ? -1 : 1)
                    continue atoms
                }
            }
            // The common denominator: the inputs' own one when they share it (money in øre).
            var common: Int128 = 1
            for term in first..<end {
                let denominator = parts[2 * Int(tables.termInputs[term]) + 1]
                guard denominator != 0 else { return false }
                if term == first {
                    common = denominator
                } else if denominator == 1 {
                    // lcm(common, 1) is common: a zero amount (0/1, as a batch's cell makes it)
                    // beside amounts in øre (over 100) needs no gcd and no division.
                    continue
                } else if common == 1 {
                    common = denominator
                } else if denominator != common {
                    let divisor = Int128(Exact.gcd(UInt128(common), UInt128(denominator)))
                    let (next, overflow) = (common / divisor).multipliedReportingOverflow(by: denominator)
                    guard !overflow else { return false }
                    common = next
                }
            }
            var (total, overflow) = Self.product(tables.constants[atom], common)
            guard !overflow else { return false }
            for term in first..<end {
                let input = 2 * Int(tables.termInputs[term])
                let (numerator, denominator) = (parts[input], parts[input + 1])
                var (product, o1) = Self.product(tables.termCoefficients[term], numerator)
                var o2 = false
                if denominator == 1 {
                    (product, o2) = Self.product(product, common)
                } else if denominator != common {
                    (product, o2) = Self.product(product, common / denominator)
                }
                let (sum, o3) = total.addingReportingOverflow(product)
                guard !o1 && !o2 && !o3 else { return false }
                total = sum
            }
            totals[atom] = total
            denominators[atom] = common
            signs[atom] = total == 0 ? 0 : (total < 0 ? -1 : 1)
        }
        return true
    }

    /// An atom's total and common denominator as the 128-bit path of `integralValues` computes them
    /// (the least common multiple of its inputs' denominators, in the terms' order, and the sum of
    /// each term times the common denominator over the input's), in 64 bits: for `small` tables
    /// and inputs, where every input the atom reads is a number. Nil where a step overflows (the
    /// 128-bit path then takes the atom) or an input is not a number (the 128-bit path says so).
    /// The least common multiple is the same number whatever the order, and each product and sum
    /// the same integer, so the result is that of the 128-bit path: `IntegralAtomTests` compares
    /// the two. On the screening, whose amounts reduce to denominators from 1 to 100, the 128-bit
    /// path cost about 190 instructions a firm more (h-cf25).
    @inline(__always)
    static func whole64(
        _ atom: Int, _ first: Int, _ end: Int, _ tables: SearchTables, _ parts: UnsafeMutablePointer<Int128>
    ) -> (total: Int64, common: Int64)? {
        var common: Int64 = 1
        for term in first..<end {
            // Positive (an `Exact`'s denominator), 0 for an input that is not a number.
            let denominator = Int64(truncatingIfNeeded: parts[2 * Int(tables.termInputs[term]) + 1])
            guard denominator != 0 else { return nil }
            if term == first {
                common = denominator
            } else if denominator == 1 {
                continue
            } else if common == 1 {
                common = denominator
            } else if denominator != common {
                let divisor = Int64(
                    truncatingIfNeeded: Exact.gcd(UInt64(truncatingIfNeeded: common), UInt64(truncatingIfNeeded: denominator)))
                let (next, overflow) = (common / divisor).multipliedReportingOverflow(by: denominator)
                guard !overflow else { return nil }
                common = next
            }
        }
        var (total, overflow) = Int64(truncatingIfNeeded: tables.constants[atom]).multipliedReportingOverflow(by: common)
        guard !overflow else { return nil }
        for term in first..<end {
            let input = 2 * Int(tables.termInputs[term])
            let (numerator, denominator) = (Int64(truncatingIfNeeded: parts[input]), Int64(truncatingIfNeeded: parts[input + 1]))
            var (product, o1) = Int64(truncatingIfNeeded: tables.termCoefficients[term]).multipliedReportingOverflow(by: numerator)
            var o2 = false
            if denominator != common { (product, o2) = product.multipliedReportingOverflow(by: common / denominator) }
            let (sum, o3) = total.addingReportingOverflow(product)
            guard !o1 && !o2 && !o3 else { return nil }
            total = sum
        }
        return (total, common)
    }

    /// `move` in whole numbers: each atom the input moves is `rest + gain × t`, zero at
    /// `−rest / gain`, the same value as `origin − value / slope`; false when a part does not fit.
    /// A moved atom's line `rest + gain·t` in 64 bits, for a value whose denominator is the
    /// atom's (`common`) and whose numerator fits in 64 bits: nil where the atom's total does not
    /// fit, a step overflows, or a part is `Int64.min`. `moveWhole` records it; `keptAhead` reads
    /// the same line ahead of the move, so the two must not differ.
    @inline(__always)
    static func line64(total: Int128, coefficient: Int64, numerator: Int64, common: Int128) -> (rest: Int64, gain: Int64)? {
        let total64 = Int64(truncatingIfNeeded: total)
        guard Int128(total64) == total else { return nil }
        let (moved, o1) = coefficient.multipliedReportingOverflow(by: numerator)
        let (rest, o2) = total64.subtractingReportingOverflow(moved)
        let (gain, o3) = coefficient.multipliedReportingOverflow(by: Int64(truncatingIfNeeded: common))
        guard !(o1 || o2 || o3), rest != .min, gain != .min else { return nil }
        return (rest, gain)
    }

    mutating func moveWhole(_ input: Int, from origin: Exact) -> Bool {
        // Where the coefficients (`SearchTables.small`) and the value's parts fit in 64 bits and the
        // value's denominator is the atom's, each product is of two 64-bit numbers: no overflow but
        // that of the subtraction, checked, and no scaling (as below, the same numbers).
        let small =
            tables.small && Int128(Int64(truncatingIfNeeded: origin.numerator)) == origin.numerator
            && Int128(Int64(truncatingIfNeeded: origin.denominator)) == origin.denominator
        for entry in tables.inputAtomStarts[input]..<tables.inputAtomStarts[input + 1] {
            let atom = tables.inputAtoms[entry]
            let coefficient = tables.inputCoefficients[entry]
            let a = Int(atom)
            let common = denominators[a]
            // In 64 bits where the atom's total fits too: the same `rest` and `gain` as the 128-bit
            // products below whenever no 64-bit step overflows (else those take it).
            if small && origin.denominator == common && incremental,
                let (rest, gain) = Self.line64(
                    total: totals[a], coefficient: tables.inputCoefficients64[entry],
                    numerator: Int64(truncatingIfNeeded: origin.numerator), common: common)
            {
                recordSmall(atom, rest: rest, gain: gain)
                continue
            }
            if small && origin.denominator == common {
                let (rest, overflow) = totals[a].subtractingReportingOverflow(coefficient &* origin.numerator)
                let gain = coefficient &* common
                guard !overflow, rest != .min, gain != .min else { return false }
                recordWhole(atom, rest: rest, gain: gain)
                continue
            }
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
            recordWhole(atom, rest: rest, gain: gain)
        }
        return true
    }

    /// A moved atom of `moveWhole`, `rest + gain × t`, and its zero as a breakpoint when a
    /// condition reads the atom.
    @inline(__always)
    private mutating func recordWhole(_ atom: Int32, rest: Int128, gain: Int128) {
        let point = gain > 0 ? Exact(raw: -rest, gain) : Exact(raw: rest, -gain)
        moving[movingCount] = MovingAtom(atom: atom, slope: gain > 0 ? 1 : -1, rest: rest, gain: gain, point: point, whole: true)
        movingCount += 1
        if tables.conditionAtoms[Int(atom)] {
            breakpoints[breakpointCount] = point
            breakpointCount += 1
        }
    }

    /// `recordWhole` for `rest` and `gain` in 64 bits (neither `Int64.min`, so each negation fits):
    /// the same record and breakpoint, its parts written without 128-bit checks.
    @inline(__always)
    private mutating func recordSmall(_ atom: Int32, rest: Int64, gain: Int64) {
        let point = gain > 0 ? Exact(raw: Int128(-rest), Int128(gain)) : Exact(raw: Int128(rest), Int128(-gain))
        moving[movingCount] = MovingAtom(atom: atom, slope: gain > 0 ? 1 : -1, rest64: rest, gain64: gain, point: point)
        movingCount += 1
        if tables.conditionAtoms[Int(atom)] {
            breakpoints[breakpointCount] = point
            breakpointCount += 1
        }
    }

    /// Whether two results (by rule index; nil when undetermined) are the same outcome.
    func same(_ a: Int?, _ b: Int?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return names[a] == names[b]
    }

    /// Moves `input`, at `value` for a number: the breakpoints of the outcome conditions; nil when
    /// one cannot be computed exactly.
    mutating func move(_ input: Int, from value: Exact?) -> Bool {
        if !stateMade { makeState() }
        if touched || !incremental {
            for position in 0..<listCount {
                let index = Int(list[position])
                answers[index] = firm[index]
            }
            for entry in 0..<movingCount {
                let atom = Int(moving[entry].atom)
                current[atom] = signs[atom]
            }
        }
        touched = false
        movingCount = 0
        breakpointCount = 0
        moved = input
        list = tables.dependents + tables.dependentStarts[input]
        listCount = tables.dependentStarts[input + 1] - tables.dependentStarts[input]
        (fresh, stale) = (Int.max, 0)
        let slot = tables.positionSlots[input]
        byPosition = positions && incremental && slot >= 0
        if slot >= 0 {
            positionBits = tables.positions + 64 * slot
            limits = tables.limits + tables.outcomeCount * slot
        }
        dirty = PositionBits()
        outsideKnown = false
        guard let origin = value else { return true }
        if whole { return moveWhole(input, from: origin) }
        for (atom, slope) in plan.conditions.atomsOfInput[input] {
            // The atom is value + slope·(t − origin): zero at origin − value/slope.
            guard let offset = storage.values[Int(atom)].dividing(slope), let point = origin.subtracting(offset) else { return false }
            moving[movingCount] = MovingAtom(atom: atom, slope: slope.isNegative ? -1 : 1, rest: 0, gain: 0, point: point, whole: false)
            movingCount += 1
            if tables.conditionAtoms[Int(atom)] {
                breakpoints[breakpointCount] = point
                breakpointCount += 1
            }
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
        touched = true
        guard let value else { return outcomeOfFlag() }
        guard incremental else { return outcomeReadAgain(at: value) }
        var change: UInt64 = 0
        // Where the value's parts and the atom's fit in 64 bits, the sign is that of two products of
        // 64-bit numbers, each below 2^126 in magnitude, so that their sum fits in 128 bits: no
        // overflow to check (`sign(of:at:)` checks it per product otherwise).
        let (n, m) = (Int64(truncatingIfNeeded: value.numerator), Int64(truncatingIfNeeded: value.denominator))
        let small = Int128(n) == value.numerator && Int128(m) == value.denominator
        for entry in 0..<movingCount {
            let atom = moving[entry]
            let sign: Int8
            if small && atom.small {
                let sum = Int128(atom.rest64) &* Int128(m) &+ Int128(atom.gain64) &* Int128(n)
                sign = sum == 0 ? 0 : (sum < 0 ? -1 : 1)
            } else {
                sign = self.sign(of: atom, at: value)
            }
            if sign != current[Int(atom.atom)] {
                current[Int(atom.atom)] = sign
                change |= CompiledPlan.bit(atom.atom)
            }
        }
        if byPosition { return outcomeByPosition(change) }
        stale |= change
        let (tables, list, listCount, current, table) = (self.tables, self.list, self.listCount, self.current, self.answers)
        var position = 0
        var result: Int?? = .some(nil)
        outcomes: for index in 0..<tables.outcomeCount {
            let condition = tables.outcomeConditions[index]
            guard condition >= 0 else {
                result = .some(index)
                break
            }
            while position < listCount {
                let formula = Int(list[position])
                guard formula <= Int(condition) else { break }
                // Before `fresh` a formula lacks only this candidate's changes; from it on, `stale`.
                if tables.masks[formula] & (position < fresh ? change : stale) != 0 {
                    table[formula] = Self.formula(formula, tables, current, table)
                }
                position += 1
            }
            if let found = Self.verdict(table[Int(condition)], outcome: index) {
                result = found
                break outcomes
            }
        }
        if position >= listCount {
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
        let (tables, list, bits, limits, current, table) = (self.tables, self.list, positionBits, self.limits, self.current, answers)
        var dirty = self.dirty
        var marks = change
        while marks != 0 {
            dirty.formUnion(bits[marks.trailingZeroBitCount])
            marks &= marks &- 1
        }
        var result: Int?? = .some(nil)
        outcomes: for index in 0..<tables.outcomeCount {
            let condition = tables.outcomeConditions[index]
            guard condition >= 0 else {
                result = .some(index)
                break
            }
            while let position = dirty.popFirst(below: limits[index]) {
                let formula = Int(list[position])
                table[formula] = Self.formula(formula, tables, current, table)
            }
            if let found = Self.verdict(table[Int(condition)], outcome: index) {
                result = found
                break outcomes
            }
        }
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
        for entry in 0..<movingCount { current[Int(moving[entry].atom)] = sign(of: moving[entry], at: value) }
        return outcomeOfFlag()
    }

    /// The moved input's formulas read to the end (the criteria after the outcome).
    mutating func complete() {
        let (tables, list, current, table) = (self.tables, self.list, self.current, answers)
        if byPosition {
            guard !dirty.isEmpty else { return }
            var dirty = self.dirty
            while let position = dirty.popFirst(below: Int.max) {
                let formula = Int(list[position])
                table[formula] = Self.formula(formula, tables, current, table)
            }
            self.dirty = dirty
            return
        }
        guard fresh != Int.max else { return }
        for position in fresh..<listCount {
            let formula = Int(list[position])
            if tables.masks[formula] & stale != 0 { table[formula] = Self.formula(formula, tables, current, table) }
        }
        (fresh, stale) = (Int.max, 0)
    }

    /// The outcome with the moved yes/no input at `flag`: every formula that reads it read again.
    mutating func outcomeOfFlag() -> Int?? {
        complete()
        for position in 0..<listCount {
            let index = Int(list[position])
            answers[index] = truth(index, in: answers)
        }
        return Self.firstOutcome(tables, answers)
    }

    /// The criteria that differ at the candidate from the firm; nil when the compiled conditions
    /// cannot tell (as `CompiledFirm.flippedCriteria`).
    /// The list of a set met before (for this firm or, on a reused block, an earlier one) is shared
    /// from the block (`SearchStorage.list(of:)`, h-cf20) instead of allocated per change;
    /// `incremental: false` makes each list (`flippedList`).
    mutating func flippedCriteria() -> [Int]? {
        complete()
        guard incremental else { return flippedList() }
        // A criterion read opaquely over the moved input makes the loop below give nil, at it or at
        // an earlier criterion: so does the union, checked once (`incremental: false` checks each).
        if plan.criteriaOpaqueAny.contains(moved) { return nil }
        let (criteria, count, firm, answers) = (tables.criteria, tables.criterionCount, self.firm, self.answers)
        // The flipped criteria as bits (indices below 64; past them, the list made at once).
        var flipped: UInt64 = 0
        for index in 0..<count {
            let criterion = Int(criteria[index])
            let now = firm[criterion]
            guard now == .yes || now == .no else { return nil }
            let then = answers[criterion]
            guard then == .yes || then == .no else { return nil }
            if then != now {
                guard index < 64 else { return flippedList() }
                flipped |= 1 << UInt64(index)
            }
        }
        return flipped == 0 ? [] : storage.list(of: flipped)
    }

    /// `flippedCriteria`'s list made by appending each flipped criterion, as before h-cf20.
    mutating func flippedList() -> [Int]? {
        if incremental && plan.criteriaOpaqueAny.contains(moved) { return nil }
        var flipped: [Int] = []
        for (index, criterion) in plan.conditions.criteria.enumerated() {
            if !incremental && plan.conditions.criteriaOpaque[index].contains(moved) { return nil }
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

/// The memory of one firm's search state: one block, freed with the last search that holds it, or
/// kept by the caller's `SearchReuse` for its next firm's search (h-cf20).
final class SearchStorage {
    let base: UnsafeMutableRawPointer
    /// Its size (a reused block serves a plan that needs no more: `SearchReuse.block`).
    let bytes: Int
    /// Each atom's value for the firm, where the search computes with `Exact` (`whole` false):
    /// held here, not by the search, so that the search's copy and destruction retain and release
    /// one reference fewer (h-cf19).
    var values: [Exact] = []
    /// Lists of indices made from sets of them as bits (a change's flipped criteria,
    /// `CompiledSearch.flippedCriteria`; a firm's unmovable inputs, `FoundChanges.result`), by
    /// their set: a set met before, for this firm or on a reused block an earlier one, shares its
    /// list instead of allocating one (h-cf20). 16 places, a set's by its hash; a new set replaces
    /// the one in its place. Set 0 (the empty list) is never placed, so a place holding 0 is empty.
    @exclusivity(unchecked) private var listSets = [UInt64](repeating: 0, count: 16)
    @exclusivity(unchecked) private var lists = [[Int]](repeating: [], count: 16)

    /// The indices in `set` (not 0), ascending: the list of its place where it holds the same set,
    /// else made (and placed).
    func list(of set: UInt64) -> [Int] {
        let place = Int(truncatingIfNeeded: (set &* 0x9E37_79B9_7F4A_7C15) >> 60)
        if listSets[place] == set { return lists[place] }
        let list = Self.makeList(of: set)
        listSets[place] = set
        lists[place] = list
        return list
    }

    /// The indices in `set`, ascending, in a new list.
    static func makeList(of set: UInt64) -> [Int] {
        var list: [Int] = []
        list.reserveCapacity(set.nonzeroBitCount)
        var rest = set
        while rest != 0 {
            list.append(rest.trailingZeroBitCount)
            rest &= rest &- 1
        }
        return list
    }

    init(bytes: Int) {
        self.bytes = max(bytes, 16)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.bytes, alignment: 16)
    }

    deinit { base.deallocate() }

    /// `count` values of `type` at byte `offset` (from `StorageLayout.take`).
    @inline(__always)
    func bind<T>(_ offset: Int, _ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        (base + offset).bindMemory(to: type, capacity: max(count, 1))
    }
}

/// Where each array of a `SearchStorage` block lies: each at its type's alignment, after the last.
struct StorageLayout {
    var size = 0

    mutating func take<T>(_ type: T.Type, _ count: Int) -> Int {
        let alignment = MemoryLayout<T>.alignment
        let offset = (size + alignment - 1) / alignment * alignment
        size = offset + MemoryLayout<T>.stride * max(count, 1)
        return offset
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
    /// Whether `rest` and `gain` fit in 64 bits (whole numbers only), and they so.
    let small: Bool
    let rest64: Int64
    let gain64: Int64

    init(atom: Int32, slope: Int8, rest: Int128, gain: Int128, point: Exact, whole: Bool) {
        self.atom = atom
        self.slope = slope
        self.rest = rest
        self.gain = gain
        self.point = point
        rest64 = Int64(truncatingIfNeeded: rest)
        gain64 = Int64(truncatingIfNeeded: gain)
        small = whole && Int128(rest64) == rest && Int128(gain64) == gain
    }

    /// A record in whole numbers whose parts fit in 64 bits: what `init(… whole: true)` makes of
    /// them, without the checks.
    @inline(__always)
    init(atom: Int32, slope: Int8, rest64: Int64, gain64: Int64, point: Exact) {
        self.atom = atom
        self.slope = slope
        rest = Int128(rest64)
        gain = Int128(gain64)
        self.point = point
        self.rest64 = rest64
        self.gain64 = gain64
        small = true
    }
}
