import Synchronization

/// The kept-direction check's answers (`CompiledSearch.keptByPosition`), per rule set and day
/// (held by its `CompiledPlan`), so that the check is a lookup for a firm whose state the table
/// has seen (h-cf16).
///
/// The check's answer for an input is a function of: the input (its list of formulas, their
/// positions, the moved atoms' slopes: the plan's), which moved atoms get sets (`freed`: those the
/// conditions read whose zero can be reached), every atom's sign at the firm's values, the answers
/// of the formulas that read no atom (the yes/no inputs and the opaque formulas: every other
/// formula's answer follows from those and the signs), and the firm's outcome. The key is all of
/// them, whole: the signs and answers packed two bits each into two words (`FirmKey`), so a plan
/// whose atoms and such formulas number more than 64 has no table (`keyed` false).
///
/// A batch's workers share the plan, so the table is behind a lock; it holds at most `capacity / 2`
/// answers and is emptied when full (bounded memory; an answer computed again is the same).
final class KeptMemo: Sendable {
    /// The formulas whose answers go into the key besides the signs: yes/no inputs and opaque ones.
    let leaves: [Int32]
    /// Whether the signs and those answers fit in the key (at most 64 of them).
    let keyed: Bool
    private let table = Mutex(OpenTable<Key, UInt8>())

    static let capacity = 4096

    init(tables: SearchTables) {
        var leaves: [Int32] = []
        for index in 0..<tables.boolCount {
            switch tables.bools[index] {
            case .input, .opaque: leaves.append(Int32(index))
            case .constant, .sign, .ratio, .not, .and, .or, .choose: break
            }
        }
        self.leaves = leaves
        keyed = tables.atomCount + leaves.count <= 64
        width = tables.boolCount
        states = keyed && tables.boolCount <= Self.widest
    }

    /// One firm's signs and leaf answers, two bits each: entry `i` (the atoms first, then the
    /// leaves) at bits `2 × (i mod 32)` of word `i / 32`.
    struct FirmKey: Equatable {
        var low: UInt64 = 0
        var high: UInt64 = 0
    }

    /// The firm's key; only where `keyed`.
    func firmKey(atomCount: Int, signs: UnsafeMutablePointer<Int8>, answers: UnsafeMutablePointer<Kleene>) -> FirmKey {
        var key = FirmKey()
        var entry = 0
        @inline(__always) func put(_ bits: UInt64) {
            if entry < 32 { key.low |= bits << UInt64(2 * entry) } else { key.high |= bits << UInt64(2 * (entry - 32)) }
            entry += 1
        }
        for atom in 0..<atomCount {
            // A sign is -1, 0 or 1 (`integralValues`, `atomValues`): two bits, 0 to 2.
            assert((-1...1).contains(signs[atom]), "a sign outside -1...1 would spill into the next entries")
            put(UInt64(UInt8(bitPattern: signs[atom] &+ 1)))
        }
        for leaf in leaves { put(UInt64(answers[Int(leaf)].rawValue)) }
        return key
    }

    /// The whole key of one check.
    struct Key: Equatable {
        var firm = FirmKey()
        var freed: UInt64 = 0
        var input: Int32 = -1
        var outcome: Int32 = -1

        var hash: Int {
            var h = firm.low &* 0x9E37_79B9_7F4A_7C15
            h ^= firm.high &* 0xC2B2_AE3D_27D4_EB4F
            h ^= freed &* 0x1656_67B1_9E37_79F9
            h ^= (UInt64(UInt32(bitPattern: input)) << 32 | UInt64(UInt32(bitPattern: outcome))) &* 0x27D4_EB2F_1656_67C5
            return KeptMemo.finish(h)
        }
    }

    /// The answer noted for `key`, if any.
    func answer(_ key: Key) -> UInt8? {
        let hash = key.hash
        return table.withLock { $0.value(for: key, hash: hash) }
    }

    /// Notes the answer for `key`; the table is emptied first when it is half full.
    func note(_ key: Key, _ kept: UInt8) {
        let hash = key.hash
        _ = table.withLock { $0.note(key, kept, hash: hash) }
    }

    /// How many answers the table holds (tests).
    var count: Int { table.withLock { $0.count } }

    /// A yes/no input's flip (`CompiledSearch.answer`): a function of the same firm key, the input
    /// and the outcome (the flipped input's own answer is a leaf of the key where a formula reads
    /// it; where none does, the flip changes nothing the conditions read).
    struct FlipKey: Equatable {
        let low: UInt64
        let high: UInt64
        let input: Int32
        let outcome: Int32
    }

    /// What the compiled conditions make of a flip: nil where they cannot tell (`ask`), else the
    /// outcome and flipped criteria where it changes the outcome, or `unmovable`.
    enum Flip {
        case ask, unmovable
        case change(outcome: Int?, criteria: [Int])
    }

    private let flips = Mutex(OpenTable<FlipKey, Flip>())

    static func hash(_ key: FlipKey) -> Int {
        var h = key.low &* 0x9E37_79B9_7F4A_7C15
        h ^= key.high &* 0xC2B2_AE3D_27D4_EB4F
        h ^= (UInt64(UInt32(bitPattern: key.input)) << 32 | UInt64(UInt32(bitPattern: key.outcome))) &* 0x27D4_EB2F_1656_67C5
        return finish(h)
    }

    /// The last steps of MurmurHash3's `fmix64`, over the sum of the key's products. A product's
    /// low bits depend only on its word's low bits, and the slot is the hash's low 12 bits, so
    /// without them keys that differ only in their high entries (entries 22 to 31 of a word: on a
    /// plan with many atoms, the yes/no answers) all fell into one slot and every lookup walked
    /// the cluster under the lock. The shifts bring every bit down into the slot's bits.
    @inline(__always) static func finish(_ value: UInt64) -> Int {
        var h = value
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return Int(truncatingIfNeeded: h)
    }

    func flip(_ key: FlipKey) -> Flip? {
        let hash = Self.hash(key)
        return flips.withLock { $0.value(for: key, hash: hash) }
    }

    /// Notes a flip's answer; the table is emptied first when it is half full.
    func note(_ key: FlipKey, _ flip: Flip) {
        let hash = Self.hash(key)
        _ = flips.withLock { $0.note(key, flip, hash: hash) }
    }

    /// How many flips the table holds (tests).
    var flipCount: Int { flips.withLock { $0.count } }

    /// The firm's answer of every compiled yes/no (`CompiledSearch.firm`), by its firm key alone
    /// (h-cf18): each formula's answer is read from its parts' answers and the atoms' signs, so
    /// that every answer follows from the signs and the leaves' answers, which the key holds whole.
    /// A row of `boolCount` answers per key; no table where a row would be wide (`states` false).
    private let rows = Mutex(AnswerRows())
    /// Whether the firms' answers are kept (`keyed`, and at most `widest` formulas).
    let states: Bool
    let width: Int
    static let widest = 512

    /// Copies the answers noted for `key` into `answers`; false where the table has none.
    func state(_ key: FirmKey, into answers: UnsafeMutablePointer<Kleene>) -> Bool {
        let (hash, width, answers) = (Self.hash(key), width, Row(pointer: answers))
        return rows.withLock { $0.read(key, hash: hash, width: width, into: answers.pointer) }
    }

    /// Notes the firm's answers for `key`; the table is emptied first when it is half full.
    func note(_ key: FirmKey, state answers: UnsafeMutablePointer<Kleene>) {
        let (hash, width, answers) = (Self.hash(key), width, Row(pointer: answers))
        rows.withLock { $0.note(key, hash: hash, width: width, from: answers.pointer) }
    }

    /// The caller's row of answers, read or written only under the table's lock by the one caller
    /// that holds it.
    struct Row: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Kleene>
    }

    /// How many firms' answers the table holds (tests).
    var stateCount: Int { rows.withLock { $0.index.count } }

    static func hash(_ key: FirmKey) -> Int {
        finish(key.low &* 0x9E37_79B9_7F4A_7C15 ^ key.high &* 0xC2B2_AE3D_27D4_EB4F)
    }
}

/// `KeptMemo`'s rows of firms' answers: an `OpenTable` from the firm key to a row, and the rows,
/// `capacity / 2` of `width` answers, made on the first note; emptied with the table, so a row's
/// place is the table's count when it is noted.
struct AnswerRows {
    var index = OpenTable<KeptMemo.FirmKey, Int32>()
    var rows: [Kleene] = []

    func read(_ key: KeptMemo.FirmKey, hash: Int, width: Int, into answers: UnsafeMutablePointer<Kleene>) -> Bool {
        guard let row = index.value(for: key, hash: hash) else { return false }
        rows.withUnsafeBufferPointer { rows in
            guard let base = rows.baseAddress else { return }
            answers.update(from: base + Int(row) * width, count: width)
        }
        return true
    }

    mutating func note(_ key: KeptMemo.FirmKey, hash: Int, width: Int, from answers: UnsafeMutablePointer<Kleene>) {
        if rows.isEmpty { rows = Array(repeating: .no, count: KeptMemo.capacity / 2 * width) }
        let row = index.nextPlace
        guard index.note(key, Int32(row), hash: hash) else { return }
        rows.withUnsafeMutableBufferPointer { rows in
            guard let base = rows.baseAddress else { return }
            (base + row * width).update(from: answers, count: width)
        }
    }
}

/// The tables of `KeptMemo`: open addressing with linear probing over `KeptMemo.capacity` slots,
/// made on the first answer noted and emptied when half full, so that a probe always meets an empty
/// slot and the memory stays bounded. The caller gives the key's hash and holds the lock.
struct OpenTable<Key: Equatable, Value> {
    private var entries: [(key: Key, value: Value)?] = []
    private(set) var count = 0

    func value(for key: Key, hash: Int) -> Value? {
        guard !entries.isEmpty else { return nil }
        let mask = KeptMemo.capacity - 1
        var slot = hash & mask
        while let entry = entries[slot] {
            if entry.key == key { return entry.value }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Notes `value` for `key`, emptying the table first when it is half full; false (and nothing
    /// changed but the emptying) where the key is already there.
    @discardableResult
    mutating func note(_ key: Key, _ value: Value, hash: Int) -> Bool {
        if entries.isEmpty || count >= KeptMemo.capacity / 2 {
            entries = Array(repeating: nil, count: KeptMemo.capacity)
            count = 0
        }
        let mask = KeptMemo.capacity - 1
        var slot = hash & mask
        while let entry = entries[slot] {
            if entry.key == key { return false }
            slot = (slot + 1) & mask
        }
        entries[slot] = (key, value)
        count += 1
        return true
    }

    /// The count a new key's entry will be noted at (`note` empties the table first when it is
    /// empty or half full): below `capacity / 2`, each place used by one entry since the emptying.
    var nextPlace: Int { entries.isEmpty || count >= KeptMemo.capacity / 2 ? 0 : count }
}
