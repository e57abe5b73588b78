import SoeLanguage
import SoeMemoryHints

/// What a batch did, counted as it went: printed at the end so a clerk can check that nothing was
/// lost. Under every rule set, the outcomes plus undetermined, not in force and rejected add up to
/// the rows read (`isBalanced`); the runner checks this, and so do the tests.
public struct BatchSummary: Sendable, Equatable {
    /// The counts under one rule set.
    public struct RuleSetCounts: Sendable, Equatable {
        public let name: String
        /// Outcome names in priority order (an outcome reached by several rules once, at its
        /// first), and how many rows had each.
        public let outcomeNames: [String]
        public internal(set) var outcomes: [Int]
        /// For each rule of the classification, the index of its outcome name in `outcomeNames`.
        let nameOfRule: [Int]
        public internal(set) var undetermined = 0
        public internal(set) var notInForce = 0
        public internal(set) var rejected = 0

        /// Every row counted under this rule set, whatever happened to it.
        public var total: Int { outcomes.reduce(0, +) + undetermined + notInForce + rejected }

        init(ruleSet: RuleSet) {
            name = ruleSet.name
            outcomeNames = ruleSet.outcomeNames
            nameOfRule = ruleSet.outcomeNameIndices
            outcomes = Array(repeating: 0, count: outcomeNames.count)
        }
    }

    /// Data rows read: every row after the header that is not blank, whether evaluated or rejected.
    public internal(set) var rowsRead = 0
    /// Rows with no data at all (an empty line, or only separators), skipped and not counted as read.
    public internal(set) var blankRowsSkipped = 0
    /// Rows rejected under at least one rule set.
    public internal(set) var rowsRejected = 0
    /// Rejected rows that took more than one line of the input (a quote that never closes takes
    /// every line after it), and the lines they took: each such line is accounted for here.
    public internal(set) var multiLineRejected = 0
    public internal(set) var multiLineRejectedLines = 0
    /// Rows whose CVR number and fiscal year an earlier row already had.
    public internal(set) var duplicates = 0
    /// True when so many fiscal years appeared that later ones were not checked for duplicates.
    public internal(set) var duplicateCheckIncomplete = false
    public internal(set) var ruleSets: [RuleSetCounts]
    /// For each rule set, the inputs no column of the batch holds (`BatchLayout.missingInputNames`).
    public internal(set) var missingColumns: [[String]] = []
    /// A diff's transition tables and changed rows (`DiffRunner`); nil for a plain batch.
    public internal(set) var diff: DiffTally?

    init(ruleSets: [RuleSet]) {
        self.ruleSets = ruleSets.map(RuleSetCounts.init)
    }

    /// Adds the rows a parallel worker counted (rows read and rejected, and the results under each
    /// rule set) to these counts, and sets the worker's back to zero. Duplicates and blank rows
    /// are counted in input order by the runner, never by a worker.
    mutating func take(_ other: inout BatchSummary) {
        rowsRead += other.rowsRead
        rowsRejected += other.rowsRejected
        multiLineRejected += other.multiLineRejected
        multiLineRejectedLines += other.multiLineRejectedLines
        (other.multiLineRejected, other.multiLineRejectedLines) = (0, 0)
        for index in ruleSets.indices where index < other.ruleSets.count {
            for outcome in ruleSets[index].outcomes.indices {
                ruleSets[index].outcomes[outcome] += other.ruleSets[index].outcomes[outcome]
                other.ruleSets[index].outcomes[outcome] = 0
            }
            ruleSets[index].undetermined += other.ruleSets[index].undetermined
            ruleSets[index].notInForce += other.ruleSets[index].notInForce
            ruleSets[index].rejected += other.ruleSets[index].rejected
            (other.ruleSets[index].undetermined, other.ruleSets[index].notInForce, other.ruleSets[index].rejected) = (0, 0, 0)
        }
        (other.rowsRead, other.rowsRejected) = (0, 0)
        if var ours = diff, var theirs = other.diff {
            ours.take(&theirs)
            (diff, other.diff) = (ours, theirs)
        }
    }

    /// Whether the counts of every rule set add up to the rows read.
    public var isBalanced: Bool { ruleSets.allSatisfy { $0.total == rowsRead } }

    /// Counts one result under the rule set at `index`.
    mutating func count(_ status: BatchStatus, outcome: Int?, ruleSet index: Int) {
        switch status {
        case .determined:
            if let outcome { ruleSets[index].outcomes[ruleSets[index].nameOfRule[outcome]] += 1 }
        case .undetermined: ruleSets[index].undetermined += 1
        case .notInForce: ruleSets[index].notInForce += 1
        case .rejected: ruleSets[index].rejected += 1
        }
    }

    /// The summary for standard error: a line for the batch, then one per rule set that spells out
    /// the sum, e.g. `rsv_2014: social_economy 2, ordinary 1, undetermined 1, rejected 1 (= 5 rows)`.
    public func lines(source: String, language: Language = .english) -> [String] {
        BatchWords(language).summary(self, source: source)
    }
}

/// The firm-years a batch has seen, to flag a second row with the same CVR number and fiscal year.
///
/// Exact and flat: a valid CVR number is fixed by its first seven digits (the eighth is the check
/// digit), so every possible firm fits one bit in a 9,000,000-bit map (1.1 MB) per fiscal year met.
/// The map is made of pages of 2^18 firms (32 KiB), each allocated when a firm in it is first met,
/// so that a batch of a few rows does not clear megabytes (the fuzzer runs thousands of those a
/// second) and a large one costs the same as one flat map. Memory depends on the number of distinct
/// fiscal years and CVR ranges, never on the number of rows. Past `maxYears` distinct years the set
/// stops tracking new years and says so (`overflowed`).
struct FirmYearSet {
    /// How many distinct fiscal years are tracked, at most (about 70 MB).
    static let maxYears = 64
    static let possibleFirms = 9_000_000
    /// Firms per page: 2^18, one page 4,096 words.
    private static let pageShift = 18
    private static let wordsPerPage = 1 << (pageShift - 6)
    private static let pagesPerYear = (possibleFirms + (1 << pageShift) - 1) >> pageShift

    private var years: [Int] = []
    /// For each tracked year and page of firms, where the page starts in `bits`, or -1 before its
    /// first firm: one index computation and one lookup, no nested array's uniqueness check.
    private var pageStarts: [Int] = []
    /// The allocated pages, end to end.
    private var bits: [UInt64] = []
    /// The index of the year last looked up, as rows of one year usually come together. Before the
    /// first, a year no row can have (`Int.min`), so that no year, however odd, finds index -1.
    private var lastYear = Int.min, lastIndex = -1
    /// Whether a year could not be tracked because `maxYears` were already.
    private(set) var overflowed = false

    /// Asks the processor to fetch the word `insert(cvrIndex:year:)` will read for this firm-year,
    /// without waiting for it: called as soon as a row's CVR number and fiscal year are bound, the
    /// cache miss (random CVR numbers over a 1.1 MB map) is served while the rest of the row is read,
    /// instead of holding up every later instruction in `insert`. Only a hint: nothing changes, and
    /// a year other than the last one looked up, or a page not yet allocated, is let be.
    @inline(__always)
    func prefetch(cvrIndex: Int, year: Int) {
        guard year == lastYear, cvrIndex >= 0, cvrIndex < FirmYearSet.possibleFirms else { return }
        let start = pageStarts.withUnsafeBufferPointer { $0[lastIndex * FirmYearSet.pagesPerYear + cvrIndex >> FirmYearSet.pageShift] }
        guard start >= 0 else { return }
        bits.withUnsafeBufferPointer { words in
            soe_prefetch_for_write(words.baseAddress.unsafelyUnwrapped + start + (cvrIndex & ((1 << FirmYearSet.pageShift) - 1)) >> 6)
        }
    }

    /// `prefetch(cvrIndex:year:)` for a row whose CVR number and year are bound (`BatchRow.cvrIndex`,
    /// `fiscalYear`); nothing for one without, whose key `BatchSession.firmYear` may still find from
    /// its text, too slow for a hint.
    @inline(__always)
    func prefetch(_ row: BatchRow) {
        if let index = row.cvrIndex, let year = row.fiscalYear { prefetch(cvrIndex: index, year: year) }
    }

    /// Records a firm-year; true when it had been seen before. `cvrIndex` comes from `BatchCellReader.cvrIndex`.
    mutating func insert(cvrIndex: Int, year: Int) -> Bool {
        guard cvrIndex >= 0, cvrIndex < FirmYearSet.possibleFirms else { return false }
        let slot: Int
        if year == lastYear {
            slot = lastIndex
        } else if let found = years.firstIndex(of: year) {
            slot = found
        } else {
            guard years.count < FirmYearSet.maxYears else {
                overflowed = true
                return false
            }
            years.append(year)
            pageStarts.append(contentsOf: repeatElement(-1, count: FirmYearSet.pagesPerYear))
            slot = years.count - 1
        }
        (lastYear, lastIndex) = (year, slot)
        let page = slot * FirmYearSet.pagesPerYear + cvrIndex >> FirmYearSet.pageShift
        var start = pageStarts[page]
        if start < 0 {
            start = bits.count
            // A page that does not fit: room for every page of the years met so far (at least
            // twice the room there was), not a doubling per page, which copied 63 pages (2 MB) in
            // 6 reallocations for a batch that meets all 35 of a year, about 2 M instructions
            // (docs/benchmark.md, "Steps of session 24"). A batch within one page allocates that
            // page alone, as before; the room past the pages in use is not written.
            if start > 0 && start &+ FirmYearSet.wordsPerPage > bits.capacity {
                bits.reserveCapacity(
                    Swift.max(years.count * FirmYearSet.pagesPerYear * FirmYearSet.wordsPerPage, 2 * bits.capacity))
            }
            bits.append(contentsOf: repeatElement(0, count: FirmYearSet.wordsPerPage))
            pageStarts[page] = start
        }
        let word = start + (cvrIndex & ((1 << FirmYearSet.pageShift) - 1)) >> 6
        let bit = UInt64(1) << UInt64(cvrIndex & 63)
        return bits.withUnsafeMutableBufferPointer { words in
            let seen = words[word] & bit != 0
            words[word] |= bit
            return seen
        }
    }
}
