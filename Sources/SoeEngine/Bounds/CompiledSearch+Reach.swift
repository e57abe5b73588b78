import SoeLanguage

/// The sets of values the flat search's state can take as the moved input runs in one direction:
/// per atom, the signs it can take (one bit each: −1, 0, +1), and per compiled yes/no, the answers
/// it can take (one bit per `Kleene` value), for both directions at once: an atom's signs up in
/// bits 0-2 and down in bits 3-5; an answer's values up in bits 0-3 and down in bits 4-7.
///
/// Each formula's set is computed from its parts' sets as `CompiledSearch.formula` computes its
/// answer from theirs, so that it holds every answer `formula` can give for signs in the atoms'
/// sets (it may hold more: the sets forget which signs go together). When an outcome's condition
/// can only be no and the next only yes, every candidate of that direction gives that outcome.
enum Reach {
    /// The answer bits of each `Kleene` value, in both halves.
    static let no: UInt8 = 0x11
    static let yes: UInt8 = 0x22
    static let unknown: UInt8 = 0x44
    static let ask: UInt8 = 0x88

    /// A sign's bit (−1, 0, +1 as 1, 2, 4).
    @inline(__always)
    static func bit(_ sign: Int8) -> UInt8 { 1 << UInt8(truncatingIfNeeded: sign + 1) }

    /// A moved atom's signs at the candidates, up in the low three bits and down in the next three:
    /// `slope × (t − point)` keeps `slope` on the side its zero lies behind (`sign` is `slope` or 0
    /// when moving up, `−slope` or 0 when moving down) and can take any sign where it must cross zero.
    @inline(__always)
    static func moved(sign: Int8, slope: Int8) -> UInt8 {
        let up: UInt8 = sign == -slope ? 7 : bit(slope)
        let down: UInt8 = sign == slope ? 7 : bit(-slope)
        return up | down << 3
    }

    /// The firm's own sign of an atom, in both directions.
    @inline(__always)
    static func firm(_ sign: Int8) -> UInt8 { bit(sign) &* 9 }

    /// The firm's own answer of a formula, in both directions.
    @inline(__always)
    static func firm(_ answer: Kleene) -> UInt8 { (1 << answer.rawValue) &* 0x11 }

    /// An atom's set: the firm's own sign where `reach` holds 0 (the moved input does not move it).
    @inline(__always)
    static func atom(_ reach: UnsafeMutablePointer<UInt8>, _ signs: UnsafeMutablePointer<Int8>, _ atom: Int) -> UInt8 {
        let set = reach[atom]
        return set != 0 ? set : firm(signs[atom])
    }

    /// A formula's set: the firm's own answer where `sets` holds 0 (not read for this input).
    @inline(__always)
    static func answer(_ sets: UnsafeMutablePointer<UInt8>, _ firm: UnsafeMutablePointer<Kleene>, _ formula: Int) -> UInt8 {
        let set = sets[formula]
        return set != 0 ? set : self.firm(firm[formula])
    }

    /// The signs (as bits) that pass a test.
    @inline(__always)
    static func passing(_ test: SignTest) -> UInt8 {
        switch test {
        case .positive: 4
        case .nonNegative: 6
        case .zero: 2
        case .nonZero: 5
        case .negative: 1
        case .nonPositive: 3
        }
    }

    /// The answers of a sign test over the signs `signs` (three bits), in one half (bits 0-3).
    @inline(__always)
    static func tested(_ signs: UInt8, _ pass: UInt8) -> UInt8 {
        (signs & pass != 0 ? 2 : 0) | (signs & ~pass & 7 != 0 ? 1 : 0)
    }

    /// The signs of `−s` for the signs `s`.
    @inline(__always)
    static func mirrored(_ signs: UInt8) -> UInt8 { (signs & 2) | ((signs & 1) << 2) | ((signs & 4) >> 2) }

    /// `CompiledBool.ratio` in one half: unknown where the divisor can be 0, else the test on the
    /// signs of the products.
    @inline(__always)
    static func ratio(_ numerator: UInt8, _ denominator: UInt8, _ pass: UInt8) -> UInt8 {
        var products: UInt8 = 0
        if denominator & 4 != 0 { products |= numerator }
        if denominator & 1 != 0 { products |= mirrored(numerator) }
        return (denominator & 2 != 0 ? 4 : 0) | (products == 0 ? 0 : tested(products, pass))
    }
}

extension CompiledSearch {
    /// The largest magnitude of a part (of the value, a moved atom's `rest` and `gain`, the range's
    /// ends) for which `keptDirections` answers, 2^40: with parts below it no step of the search can
    /// overflow (the breakpoints, the ray's far end, a segment's inside value and the change are all
    /// well inside 128 bits), so a direction whose candidates all keep the outcome gives
    /// `Step.none`, never `.unsettled`.
    @inline(__always)
    static func tame(_ value: Exact) -> Bool {
        value.numerator > -(1 << 40) && value.numerator < 1 << 40 && value.denominator < 1 << 40
    }

    @inline(__always)
    static func tame(_ part: Int64) -> Bool { UInt64(bitPattern: part &+ (1 << 40)) < 1 << 41 }

    /// The directions from the firm's `value` in which every candidate the search would try keeps
    /// the outcome (bit 0: up, bit 1: down), after `move`: the search of such a direction finds
    /// nothing, so it need not run. Each moved atom is `slope × (t − point)` in sign, `s` at the
    /// firm's value: up (every candidate lies above the value) it keeps `slope` where `s` is `slope`
    /// or 0 (its zero lies at or below the value), and can take any sign where `s` is `−slope`;
    /// down alike. The formulas the moved input reaches get the answers their parts' signs allow
    /// (`Reach`), read in order as far as the outcomes need; a direction is kept when the outcomes
    /// before the firm's can only be no and the first that can be anything else can only be yes and
    /// is the firm's. 0 where a part is not tame (`tame`) or the search is not in whole numbers.
    /// (A moved atom's `gain` is never 0: an `Affine` holds no zero coefficient, so every moved atom
    /// does cross zero at its `point`.)
    ///
    /// `reach` and `possible` hold 0 for the firm's own sets (`Reach.atom`, `Reach.answer`), so
    /// that a firm's state needs no more than zeroing, and are zeroed again after each input.
    mutating func keptDirections(value: Exact, range: RangeCheck) -> UInt8 {
        guard settles, range.tame, Self.tame(value) else { return 0 }
        let (moving, movingCount, reach, signs) = (self.moving, self.movingCount, self.reach, self.signs)
        // With the value within its range every candidate is too, so an atom whose zero lies outside
        // the range keeps the firm's sign at every candidate (0 in `reach`).
        let inRange = range.contains(value)
        if byPosition { return keptByPosition(inRange: inRange, range: range) }
        for entry in 0..<movingCount {
            let atom = Int(moving[entry].atom)
            guard moving[entry].small, Self.tame(moving[entry].rest64), Self.tame(moving[entry].gain64) else {
                for written in 0..<entry { reach[Int(moving[written].atom)] = 0 }
                return 0
            }
            if inRange && !range.contains(moving[entry].point) { continue }
            reach[atom] = Reach.moved(sign: signs[atom], slope: moving[entry].slope)
        }
        let (bools, lists, conditions, outcomes) = (tables.bools, tables.lists, tables.outcomeConditions, tables.outcomeCount)
        let (list, listCount, sets, firm) = (self.list, self.listCount, possible, self.firm)
        var position = 0
        // Per direction: 0 open, 1 kept, 2 not kept.
        var up = 0
        var down = 0
        for index in 0..<outcomes {
            let condition = conditions[index]
            let answers: UInt8
            if condition < 0 {
                answers = Reach.yes
            } else {
                while position < listCount {
                    let formula = Int(list[position])
                    guard formula <= Int(condition) else { break }
                    sets[formula] = Self.reachable(formula, bools, lists, reach, signs, sets, firm)
                    position += 1
                }
                answers = Reach.answer(sets, firm, Int(condition))
            }
            // Both halves no: the next outcome. Else each half settles its direction.
            if answers == Reach.no { continue }
            Self.settle(answers, kept: same(index, outcome) ? 1 : 2, up: &up, down: &down)
            if up != 0 && down != 0 { break }
        }
        // The firm's own sets again (0), for the next input.
        for entry in 0..<position { sets[Int(list[entry])] = 0 }
        for entry in 0..<movingCount { reach[Int(moving[entry].atom)] = 0 }
        return (up == 1 ? 1 : 0) | (down == 1 ? 2 : 0)
    }

    /// The rest of `keptDirections` by position (`CompiledPlan.positionsOfBit`): only the formulas
    /// of the moved input's list that read an atom of `freed` (the moved atoms given sets) get a
    /// set, in order, as far as the outcomes need; every other formula of the list reads no moved
    /// atom that can change its sign, so its set is the firm's own answer (0 in `possible`). The
    /// same sets as the walk of the whole list wherever a formula's set from its parts' firm sets
    /// is the firm's answer, and exactly what a candidate read by position sees where not.
    ///
    /// Only atoms an outcome condition reads (`conditionAtoms`) get sets: the conditions' answers
    /// read no other. Whether an atom's zero lies within the range is read from `filter` (`outside`,
    /// in the breakpoints' order, which is the order of the moved atoms the conditions read) where it
    /// ran since the `move`.
    mutating func keptByPosition(inRange: Bool, range: RangeCheck) -> UInt8 {
        let (moving, movingCount, reach, signs, conditionAtoms) = (
            self.moving, self.movingCount, self.reach, self.signs, tables.conditionAtoms
        )
        for entry in 0..<movingCount {
            guard moving[entry].small, Self.tame(moving[entry].rest64), Self.tame(moving[entry].gain64) else { return 0 }
        }
        let known = outsideKnown
        var place = 0
        // The atoms given sets (not held), as `CompiledPlan.bit`s: only the formulas that read one
        // of them get a set; the rest keep the firm's answer (0 in `possible`), as a candidate's
        // reading by position keeps it for the formulas no changed sign marks.
        var freed: UInt64 = 0
        for entry in 0..<movingCount {
            let atom = Int(moving[entry].atom)
            guard conditionAtoms[atom] else { continue }
            defer { place += 1 }
            // With the value within its range every candidate is too, so an atom whose zero lies
            // outside the range keeps the firm's sign at every candidate (0 in `reach`).
            if inRange && (known ? outside & (1 << UInt64(place)) != 0 : !range.contains(moving[entry].point)) { continue }
            reach[atom] = Reach.moved(sign: signs[atom], slope: moving[entry].slope)
            freed |= CompiledPlan.bit(moving[entry].atom)
        }
        // The answer, where the plan's table has seen this input with these freed atoms, signs,
        // leaf answers and outcome (`KeptMemo`; at most 64 atoms, so `freed` names each one).
        guard memoizes else { return keptFrom(freed: freed) }
        let memo = plan.keptMemo
        makeFirmKey()
        let key = KeptMemo.Key(
            firm: firmKey, freed: freed, input: Int32(truncatingIfNeeded: moved), outcome: Int32(truncatingIfNeeded: outcome))
        if let kept = memo.answer(key) {
            for entry in 0..<movingCount { reach[Int(moving[entry].atom)] = 0 }
            return kept
        }
        let kept = keptFrom(freed: freed)
        memo.note(key, kept)
        return kept
    }

    /// The kept-direction check's answer for `input` at `value` read from the plan's table before
    /// `move` (h-cf16): the same key as `keptByPosition` makes after it (the freed atoms, from each
    /// moved atom's line in 64 bits as `moveWhole` computes it, and its zero as its record holds it),
    /// so that an input the table settles needs no move, filter or sort. `aheadMissing` where the
    /// check would run but the table has no answer yet (the caller then runs it, which notes it);
    /// `aheadUnknown` where the check would not run by position, or a line leaves `moveWhole`'s
    /// 64-bit path or the check's limit (`tame`), or the table is not used.
    mutating func keptAhead(_ input: Int, value origin: Exact, range: RangeCheck) -> Int {
        guard settles, memoizes, positions, range.tame, tables.positionSlots[input] >= 0, tables.small, Self.tame(origin) else {
            return Self.aheadUnknown
        }
        // `origin` and the range are tame, so `containsTame` holds for them.
        let (n, conditionAtoms, totals, denominators) = (
            Int64(truncatingIfNeeded: origin.numerator), tables.conditionAtoms, totals, denominators
        )
        let inRange = range.containsTame(numerator: n, denominator: Int64(truncatingIfNeeded: origin.denominator))
        var freed: UInt64 = 0
        for entry in tables.inputAtomStarts[input]..<tables.inputAtomStarts[input + 1] {
            let atom = tables.inputAtoms[entry]
            let a = Int(atom)
            let common = denominators[a]
            guard origin.denominator == common,
                let (rest, gain) = Self.line64(
                    total: totals[a], coefficient: tables.inputCoefficients64[entry], numerator: n, common: common),
                Self.tame(rest), Self.tame(gain)
            else { return Self.aheadUnknown }
            guard conditionAtoms[a] else { continue }
            if inRange && range.fromZero {
                // The zero `−rest / gain` (`recordSmall`) lies in a range from a closed 0 where its
                // numerator, `−rest` or `rest` by the sign of `gain` (never 0), is not negative.
                if gain > 0 ? rest > 0 : rest < 0 { continue }
            } else if inRange {
                // The record's zero (`recordSmall`), against the range as `keptByPosition` reads it
                // (`contains`): its parts are tame (checked above), so `containsTame` gives the same.
                if !range.containsTame(numerator: gain > 0 ? -rest : rest, denominator: gain > 0 ? gain : -gain) { continue }
            }
            freed |= CompiledPlan.bit(atom)
        }
        makeFirmKey()
        let key = KeptMemo.Key(
            firm: firmKey, freed: freed, input: Int32(truncatingIfNeeded: input), outcome: Int32(truncatingIfNeeded: outcome))
        // The table read through the plan's own reference, guaranteed for the call (the search holds
        // the plan): no retain and release of it per lookup (h-cf18).
        guard let kept = Unmanaged.passUnretained(plan.keptMemo)._withUnsafeGuaranteedRef({ $0.answer(key) }) else {
            return Self.aheadMissing
        }
        return Int(kept)
    }

    /// The firm's key in the plan's table (`KeptMemo.firmKey`), made once per firm.
    @inline(__always)
    mutating func makeFirmKey() {
        guard !firmKeyMade else { return }
        firmKey = plan.keptMemo.firmKey(atomCount: tables.atomCount, signs: signs, answers: firm)
        firmKeyMade = true
    }

    static let aheadUnknown = -1
    static let aheadMissing = -2

    /// `keptByPosition`'s reading of the formulas, once `reach` holds the sets of the atoms in
    /// `freed`: the directions kept; `possible` and `reach` zeroed again.
    mutating func keptFrom(freed: UInt64) -> UInt8 {
        let (moving, movingCount, reach, signs) = (self.moving, self.movingCount, self.reach, self.signs)
        let (bools, lists, conditions, outcomes) = (tables.bools, tables.lists, tables.outcomeConditions, tables.outcomeCount)
        let (list, bits, limits, sets, firm) = (self.list, positionBits, self.limits, possible, self.firm)
        var marked = PositionBits()
        var marks = freed
        while marks != 0 {
            marked.formUnion(bits[marks.trailingZeroBitCount])
            marks &= marks &- 1
        }
        var pending = marked
        // Per direction: 0 open, 1 kept, 2 not kept.
        var up = 0
        var down = 0
        for index in 0..<outcomes {
            let condition = conditions[index]
            let answers: UInt8
            if condition < 0 {
                answers = Reach.yes
            } else {
                while let position = pending.popFirst(below: limits[index]) {
                    let formula = Int(list[position])
                    sets[formula] = Self.reachable(formula, bools, lists, reach, signs, sets, firm)
                }
                answers = Reach.answer(sets, firm, Int(condition))
            }
            // Both halves no: the next outcome. Else each half settles its direction.
            if answers == Reach.no { continue }
            Self.settle(answers, kept: same(index, outcome) ? 1 : 2, up: &up, down: &down)
            if up != 0 && down != 0 { break }
        }
        // The firm's own sets again (0), for the next input: those given a set are the marked
        // positions no longer pending.
        var given = PositionBits(low: marked.low & ~pending.low, high: marked.high & ~pending.high)
        while let position = given.popFirst(below: Int.max) { sets[Int(list[position])] = 0 }
        for entry in 0..<movingCount { reach[Int(moving[entry].atom)] = 0 }
        return (up == 1 ? 1 : 0) | (down == 1 ? 2 : 0)
    }

    /// Settles the directions still open (`up`, `down`: 0 open, 1 kept, 2 not kept) by an outcome's
    /// answers in both directions (`Reach`: up in the low four bits, down in the high four): a
    /// direction where the outcome can only be no stays open for the next outcome; one where it can
    /// only be yes gets `kept` (1 when the outcome is the firm's, else 2); one where it can be
    /// either gets 2. Shared by the walk of the whole list and the reading by position.
    @inline(__always)
    static func settle(_ answers: UInt8, kept: Int, up: inout Int, down: inout Int) {
        if up == 0 {
            let half = answers & 0x0F
            if half == 2 { up = kept } else if half != 1 { up = 2 }
        }
        if down == 0 {
            let half = answers >> 4
            if half == 2 { down = kept } else if half != 1 { down = 2 }
        }
    }

    /// `formula` over sets: every answer the formula can give, in both directions at once, from
    /// the signs its atoms can take (`reach`) and the answers its parts can give (`sets`).
    @inline(__always)
    static func reachable(
        _ index: Int, _ bools: UnsafeMutablePointer<CompiledBool>, _ lists: UnsafeMutablePointer<Int32>,
        _ reach: UnsafeMutablePointer<UInt8>, _ signs: UnsafeMutablePointer<Int8>, _ sets: UnsafeMutablePointer<UInt8>,
        _ firm: UnsafeMutablePointer<Kleene>
    ) -> UInt8 {
        switch bools[index] {
        case .constant(let value):
            return Reach.firm(value)
        case .sign(let atom, let test):
            let signs = Reach.atom(reach, signs, Int(atom))
            let pass = Reach.passing(test)
            return Reach.tested(signs & 7, pass) | Reach.tested(signs >> 3, pass) << 4
        case .ratio(let numerator, let denominator, let test):
            let (n, d) = (Reach.atom(reach, signs, Int(numerator)), Reach.atom(reach, signs, Int(denominator)))
            let pass = Reach.passing(test)
            return Reach.ratio(n & 7, d & 7, pass) | Reach.ratio(n >> 3, d >> 3, pass) << 4
        case .input, .opaque:
            return Reach.firm(firm[index])
        case .not(let child):
            let value = Reach.answer(sets, firm, Int(child))
            return (value & 0xCC) | ((value & Reach.no) << 1) | ((value & Reach.yes) >> 1)
        case .and(let start, let count):
            return junction(start, count, decisive: Reach.no, other: Reach.yes, lists, sets, firm)
        case .or(let start, let count):
            return junction(start, count, decisive: Reach.yes, other: Reach.no, lists, sets, firm)
        case .choose(let condition, let yes, let no, let strict):
            let given = Reach.answer(sets, firm, Int(condition))
            // Per half, all four bits where the condition can take the value, none where not.
            @inline(__always) func whole(_ bits: UInt8) -> UInt8 {
                let hit = given & bits
                return (hit & 0x0F != 0 ? 0x0F : 0) | (hit & 0xF0 != 0 ? 0xF0 : 0)
            }
            var result: UInt8 = 0
            if given & Reach.yes != 0 { result |= Reach.answer(sets, firm, Int(yes)) & whole(Reach.yes) }
            if given & Reach.no != 0 { result |= Reach.answer(sets, firm, Int(no)) & whole(Reach.no) }
            if given & (Reach.unknown | Reach.ask) != 0 {
                result |= (whole(Reach.unknown) & (strict ? Reach.unknown : Reach.ask)) | (whole(Reach.ask) & Reach.ask)
            }
            return result
        }
    }

    /// `junction` over sets: the decisive answer where a part can give it, ask or unknown where a
    /// part can, and the other answer where every part can give it.
    @inline(__always)
    static func junction(
        _ start: Int32, _ count: Int32, decisive: UInt8, other: UInt8, _ lists: UnsafeMutablePointer<Int32>,
        _ sets: UnsafeMutablePointer<UInt8>, _ firm: UnsafeMutablePointer<Kleene>
    ) -> UInt8 {
        var any: UInt8 = 0
        var every = other
        for offset in 0..<Int(count) {
            let value = Reach.answer(sets, firm, Int(lists[Int(start) + offset]))
            any |= value
            every &= value
        }
        return (any & (decisive | Reach.unknown | Reach.ask)) | every
    }
}
