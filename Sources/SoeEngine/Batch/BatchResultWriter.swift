import SoeLanguage

// Batch results as bytes: one row per input row and rule set, in input order, as CSV or JSON Lines.
// Every text that depends only on the rule set (names, labels, criteria lists) is escaped once,
// up front, so writing a determined result copies bytes and formats two integers.

/// The format of batch results.
public enum BatchOutputFormat: String, Sendable, CaseIterable {
    /// One CSV row per result, with a header row (`BatchResultWriter.columns`).
    case csv
    /// One JSON object per line, with the same fields; with traces, a `trace` member as well (and,
    /// for `soe-trace-stream/3`, one header line per rule set first).
    case jsonl
    /// One sealed decision record (`soe-record/1`, with a `batch` member naming the row) per line,
    /// for each row and rule set that has a decision; a rejected row has no record and is reported
    /// through `BatchHooks.rejected`. `soe verify` checks such a file against the batch input.
    case record
    /// An .xlsx workbook of one sheet, in the wide layout (`WideResultWriter`): the runner writes
    /// the sheet's XML, which an `XLSXSink` packs into the workbook when the batch is done.
    case xlsx
}

/// What happened to one row under one rule set.
public enum BatchStatus: String, Sendable, CaseIterable {
    case determined, undetermined
    case notInForce = "not_in_force"
    case rejected

    /// The position in `allCases`, without searching it per result.
    var ordinal: Int {
        switch self {
        case .determined: 0
        case .undetermined: 1
        case .notInForce: 2
        case .rejected: 3
        }
    }
}

/// Formats results into a byte buffer that the runner flushes to its sink.
struct BatchResultWriter {
    /// The result columns, in order; JSON Lines results have the same keys in the same order.
    static let columns = [
        "row", "id", "cvr", "name", "fiscal_year", "rule_set", "status", "outcome", "label",
        "criteria", "missing", "possible_outcomes", "warning", "reason",
    ]

    /// Texts of one rule set, escaped for the output format. A class, so that taking a rule set's
    /// texts for a result retains one reference, not each array.
    final class RuleSetTexts {
        let name: [UInt8]
        let outcomes: [[UInt8]]
        let labels: [[UInt8]]
        /// Each criterion with its value as a list item, for no and for yes: `eligible=no` in CSV,
        /// `"eligible":false` in JSON (the list is an object there).
        let criteria: [(no: [UInt8], yes: [UInt8])]
        /// Names as list items: JSON string literals, or in CSV the bare names, which need no
        /// quoting because names are words (the lexer's rule) and lists are space-separated.
        let inputs: [[UInt8]]
        let outcomeItems: [[UInt8]]
        /// Each outcome's reason in the batch's language, escaped; empty for an outcome without one.
        let reasons: [[UInt8]]

        init(
            name: [UInt8], outcomes: [[UInt8]], labels: [[UInt8]], criteria: [(no: [UInt8], yes: [UInt8])],
            inputs: [[UInt8]], outcomeItems: [[UInt8]], reasons: [[UInt8]]
        ) {
            (self.name, self.outcomes, self.labels, self.criteria) = (name, outcomes, labels, criteria)
            (self.inputs, self.outcomeItems, self.reasons) = (inputs, outcomeItems, reasons)
        }
    }

    /// The buffered output; the session appends streamed trace rows to it directly, between
    /// `result(…, open: true)` and `closeResult()`, so that nothing is copied on the way.
    var bytes: [UInt8] = []
    /// The room `bytes` gets at first: under the allocator's threshold for `mmap` (128 KB).
    static let firstRoom = 1 << 14
    /// The room of a flush's worth and the row that passes it (`BatchRunner.flushThreshold`).
    static let flushRoom = BatchRunner.flushThreshold + (1 << 16)
    /// The deciding criteria of the result being written, reused from row to row.
    var found: [Int] = []
    /// The formatted columns shared by a row's results, and the row they belong to.
    private var prefix: [UInt8] = []
    private var prefixRow = -1
    let format: BatchOutputFormat
    let separator: UInt8
    let texts: [RuleSetTexts]
    private let statusTexts: [[UInt8]]
    private let duplicateText: [UInt8]
    /// The warning of a rejected row whose identity is a guess, alone and with the duplicate warning.
    private let unverifiedText: [UInt8]
    private let unverifiedDuplicateText: [UInt8]
    /// Every piece of a result that depends only on the rule set, its status and outcome, formatted
    /// once into one array: a result then appends a few slices of it, with no reference counting
    /// per piece. `headPieces[headBase[r] + status × (outcomes + 1) + outcome or outcomes]` is
    /// the columns from `rule_set` to the `criteria` key; `criterionPieces[criterionBase[r] + 2 ×
    /// criterion + value]` a deciding criterion; `plainTails` the columns after `criteria` of a
    /// result with nothing missing, no reason and no trace, without and with the duplicate warning.
    private(set) var pool: [UInt8] = []
    private(set) var headPieces: [Range<Int>] = []
    private(set) var headBase: [Int] = []
    private(set) var criterionPieces: [Range<Int>] = []
    private(set) var criterionBase: [Int] = []
    private var plainTails: [Range<Int>] = []
    /// `reasonTails[reasonTailBase[r] + 2 × outcome + duplicate]`: the plain tail of a decided result
    /// with its outcome's reason.
    private(set) var reasonTails: [Range<Int>] = []
    private(set) var reasonTailBase: [Int] = []
    /// Each rule set's deciding criteria, worked out once per outcome (`DecidingPlan`).
    let plans: [DecidingPlan]
    /// The same plans, for the per-row path to borrow without a retain and release per row (as
    /// `Evaluator.unretainedProgram`): `plans`, which lives as long as the writer, keeps them alive.
    let unretainedPlans: [Unmanaged<DecidingPlan>]
    /// For a CSV writer, per rule set and outcome (`outcomeBase[r] + outcome`), where that
    /// outcome's decided results start in `decidedRows`, or -1 when its criteria are not kept per
    /// answers (`DecidingPlan.probeCounts`).
    private(set) var outcomeBase: [Int] = []
    private(set) var decidedRowBase: [Int] = []
    /// `decidedRows[decidedRowBase[outcomeBase[r] + outcome] + 2 × answers + duplicate]`: a decided
    /// CSV result from `rule_set` to its end in one piece of `pool` (head, criteria, plain tail with
    /// the reason), for the probes' answers; empty until first met.
    var decidedRows: [Range<Int>] = []
    /// Where a plain CSV result is written before it is appended to `bytes` (`plainCSVResult`),
    /// with a compiler before Swift 6.2; from 6.2 on it is written into `bytes` itself.
    var line: [UInt8] = []
    /// Whether that path, and the wide layout's direct CSV row, are taken at all
    /// (`BatchOptions.plainResultRows`).
    var plainRows = true
    /// The borderline share of each rule set (`--borderline`, else the rule set's own), when the
    /// `borderline` column is written at all; nil for a rule set with none.
    private let borderlineShares: [Exact?]
    /// Whether results have the `borderline` column: only when a share was asked for, so that a
    /// batch without one writes what it always wrote.
    let borderlineColumn: Bool
    /// The names of the columns carried through from the input (`BatchLayout.carriedColumns`),
    /// written after the result's own columns, as the input had them.
    let carriedNames: [String]
    /// The wide layout's writer, when results are wide (CSV with `layout: .wide`, and xlsx).
    private var wide: WideResultWriter?
    /// Whether results are wide (CSV in the wide layout, or xlsx): only then does `endRow` write.
    /// Stored, as `plainLongCSV` is: `wide != nil`, asked per row, copied the optional writer out
    /// (an outlined copy, about 15 instructions a row).
    let isWide: Bool
    /// Whether `decided` may take the one-pointer long row (`plainCSVResult`), `plainRows` aside:
    /// long CSV results without the `borderline` column and carried columns.
    let plainLongCSV: Bool
    /// Whether `decided` may take the one-pointer long row and then add the `borderline` cell
    /// before its line feed: long CSV results with the `borderline` column and no carried columns.
    let plainBorderlineCSV: Bool
    /// Whether the long layout's texts and pieces (`texts`, `pool` and the pieces' ranges) were
    /// made: always for long results; for wide ones only when asked (`init`), as nothing reads them.
    let longPieces: Bool
    /// The batch's words, for the wide layout's warning column.
    private let words: BatchWords
    /// Per rule set, each rule's outcome name index: an outcome reached by several rules is listed
    /// once among the possible outcomes.
    private let outcomeNameIndices: [[Int]]

    /// A writer for the rule sets; CSV uses `separator` (the input's, so results open where the input did).
    /// A wide writer hands every result to its `WideResultWriter` and never reads the long layout's
    /// texts and pieces, so it leaves them unmade (about 0.1 M instructions of a one-firm run)
    /// unless `longPiecesWhenWide` asks for them (tests, `BatchOptions.longPiecesWhenWide`).
    init(
        ruleSets: [RuleSet], format: BatchOutputFormat, separator: UInt8, language: Language, borderline: Exact? = nil,
        layout: BatchResultLayout = .long, firm: ResultFirmColumns = .standard, longPiecesWhenWide: Bool = false,
        keptSlotBudget: Int = DecidingPlan.keptSlotBudget
    ) {
        self.format = format
        borderlineShares = ruleSets.map { borderline ?? $0.borderline }
        borderlineColumn = borderlineShares.contains { $0 != nil }
        carriedNames = format == .record ? [] : firm.carriedNames
        words = BatchWords(language)
        plans = ruleSets.map(DecidingPlan.init)
        unretainedPlans = plans.map { Unmanaged.passUnretained($0) }
        if format == .xlsx || (format == .csv && layout == .wide) {
            wide = WideResultWriter(
                ruleSets: ruleSets, xlsx: format == .xlsx, separator: separator, language: language, firm: firm,
                borderline: borderlineColumn, plans: plans, keptSlotBudget: keptSlotBudget)
        }
        outcomeNameIndices = ruleSets.map(\.outcomeNameIndices)
        isWide = wide != nil
        plainLongCSV = format == .csv && wide == nil && !borderlineColumn && carriedNames.isEmpty
        plainBorderlineCSV = format == .csv && wide == nil && borderlineColumn && carriedNames.isEmpty
        self.separator = separator
        // Room for a few rows (`firstRoom`), from the heap: a batch of one firm writes about 600
        // bytes, and room for a flush's worth (`flushRoom`) came from `mmap` and went back by
        // `munmap` in every run. A longer batch's session gives the buffer that room when half the
        // first room is used (`BatchSession.flushOrGrow`), and it keeps it after each flush.
        bytes.reserveCapacity(BatchResultWriter.firstRoom)
        longPieces = wide == nil || longPiecesWhenWide
        guard longPieces else {
            (statusTexts, duplicateText, unverifiedText, unverifiedDuplicateText, texts) = ([], [], [], [], [])
            return
        }
        let escaper = BatchResultWriter.escaper(format: format, separator: separator)
        statusTexts = BatchStatus.allCases.map { escaper($0.rawValue) }
        duplicateText = escaper(BatchWords(language).duplicate)
        unverifiedText = escaper(BatchWords(language).unverifiedIdentity)
        unverifiedDuplicateText = escaper(BatchWords(language).unverifiedIdentity + "; " + BatchWords(language).duplicate)
        texts = ruleSets.map { ruleSet in
            RuleSetTexts(
                name: escaper(ruleSet.name),
                outcomes: ruleSet.outcomes.map { escaper($0.name) },
                labels: ruleSet.outcomes.map { escaper($0.label?.text(language) ?? $0.name) },
                criteria: ruleSet.criteria.map { criterion in
                    (BatchResultWriter.valued(criterion.name, false, format), BatchResultWriter.valued(criterion.name, true, format))
                },
                inputs: ruleSet.inputs.map { BatchResultWriter.item($0.name, format) },
                outcomeItems: ruleSet.outcomes.map { BatchResultWriter.item($0.name, format) },
                reasons: ruleSet.outcomes.map { outcome in
                    guard let reason = outcome.reason?.text(language) else { return [] }
                    var out: [UInt8] = []
                    if format == .jsonl {
                        JSONOutput.appendQuoted(reason, to: &out)
                    } else {
                        BatchResultWriter.appendCSVText(reason, separator: separator, to: &out)
                    }
                    return out
                })
        }
        for (index, ruleSet) in ruleSets.enumerated() {
            headBase.append(headPieces.count)
            for status in BatchStatus.allCases {
                for outcome in Array(ruleSet.outcomes.indices) + [nil] {
                    head(ruleSet: index, status: status, outcome: outcome)
                    headPieces.append(pooled())
                }
            }
            criterionBase.append(criterionPieces.count)
            for criterion in texts[index].criteria {
                pool += criterion.no
                criterionPieces.append(pool.count - criterion.no.count..<pool.count)
                pool += criterion.yes
                criterionPieces.append(pool.count - criterion.yes.count..<pool.count)
            }
        }
        for duplicate in [false, true] {
            tail(duplicate: duplicate, ruleSet: 0, missing: InputSet(), possible: [], reason: nil)
            if format == .jsonl { bytes.append(UInt8(ascii: "}")) }
            bytes.append(0x0A)
            plainTails.append(pooled())
        }
        // The same for each outcome with its reason, so that a decided result stays a few slices.
        for (index, texts) in texts.enumerated() {
            reasonTailBase.append(reasonTails.count)
            for reason in texts.reasons {
                for duplicate in [false, true] {
                    tail(
                        duplicate: duplicate, ruleSet: index, missing: InputSet(), possible: [], reason: nil,
                        escapedReason: reason.isEmpty ? nil : reason)
                    if format == .jsonl { bytes.append(UInt8(ascii: "}")) }
                    bytes.append(0x0A)
                    reasonTails.append(pooled())
                }
            }
        }
        // Room for each decided CSV result kept per outcome and answers, made as met.
        for plan in plans {
            outcomeBase.append(decidedRowBase.count)
            for probes in plan.probeCounts {
                guard format == .csv, wide == nil, probes >= 0, decidedRows.count + (2 << probes) <= keptSlotBudget else {
                    decidedRowBase.append(-1)
                    continue
                }
                decidedRowBase.append(decidedRows.count)
                decidedRows += repeatElement(0..<0, count: 2 << probes)
            }
        }
    }

    /// Makes the decided result kept at `decidedRows[slot]`: the head, the criteria for the
    /// answers the slot stands for, the tail, as one piece at the end of `pool`.
    mutating func keepDecidedRow(
        _ slot: Int, _ plan: DecidingPlan, ruleSet index: Int, outcome: Int, head: Range<Int>, tail: Range<Int>
    ) {
        let answers = (slot - decidedRowBase[outcomeBase[index] + outcome]) >> 1
        var piece = Array(pool[head])
        for (position, code) in plan.criteria(outcome: outcome, answers: answers).enumerated() {
            if position > 0 { piece.append(UInt8(ascii: " ")) }
            piece += pool[criterionPieces[criterionBase[index] + code]]
        }
        piece += pool[tail]
        pool += piece
        decidedRows[slot] = pool.count - piece.count..<pool.count
    }

    /// Moves what was written to `bytes` to the end of `pool` and returns where it is.
    private mutating func pooled() -> Range<Int> {
        let start = pool.count
        pool += bytes
        bytes.removeAll(keepingCapacity: true)
        return start..<pool.count
    }

    /// Appends a piece of `pool` to `bytes`.
    @inline(__always)
    private mutating func append(_ piece: Range<Int>) {
        pool.withUnsafeBufferPointer { pool in bytes.append(contentsOf: UnsafeBufferPointer(rebasing: pool[piece])) }
    }

    /// Escapes a text once for the format: a JSON string literal, or a CSV field quoted when needed.
    private static func escaper(format: BatchOutputFormat, separator: UInt8) -> (String) -> [UInt8] {
        { text in
            var out: [UInt8] = []
            if format == .jsonl { JSONOutput.appendQuoted(text, to: &out) } else { appendCSV(text, separator: separator, to: &out) }
            return out
        }
    }

    /// One name as a list item.
    private static func item(_ name: String, _ format: BatchOutputFormat) -> [UInt8] {
        var out: [UInt8] = []
        if format == .jsonl { JSONOutput.appendQuoted(name, to: &out) } else { out += name.utf8 }
        return out
    }

    /// A criterion with its value as a list item.
    private static func valued(_ name: String, _ value: Bool, _ format: BatchOutputFormat) -> [UInt8] {
        var out: [UInt8] = []
        if format == .jsonl {
            JSONOutput.appendQuoted(name, to: &out)
            out += (value ? ":true" : ":false").utf8
        } else {
            out += (name + (value ? "=yes" : "=no")).utf8
        }
        return out
    }

    /// The CSV header row (after a byte-order mark when asked for), or the start of the xlsx
    /// sheet; nothing for JSON Lines.
    mutating func header(byteOrderMark: Bool) {
        if let wide {
            wide.header(into: &bytes, byteOrderMark: byteOrderMark)
            return
        }
        guard format == .csv else { return }
        if byteOrderMark { bytes += [0xEF, 0xBB, 0xBF] }
        for (index, column) in BatchResultWriter.columns.enumerated() {
            if index > 0 { bytes.append(separator) }
            bytes += column.utf8
        }
        if borderlineColumn {
            bytes.append(separator)
            bytes += "borderline".utf8
        }
        for name in carriedNames {
            bytes.append(separator)
            BatchResultWriter.appendCSVText(name, separator: separator, to: &bytes)
        }
        bytes.append(0x0A)
    }

    /// Ends a row after its results under every rule set: writes the wide row; nothing for long results.
    /// The one-pointer row is given the row's parts rather than the row, which would be copied
    /// again for that call (320 bytes); the general path is a function of its own. The row is
    /// `inout`, though not changed, so that the caller's row is lent rather than copied (about 65
    /// instructions a row); nothing here changes it.
    mutating func endRow(_ row: inout BatchRow) {
        guard wide != nil else { return }
        if plainRows {
            // The row's texts are moved out for the call and back, rather than lent from the
            // `inout` row, which costs a retain and a release per row.
            var texts: [UInt8] = []
            row.exchangeTexts(with: &texts)
            let written =
                wide?.plainRow(
                    texts: texts, number: row.number, id: row.idSpan, name: row.nameSpan, cvr: row.cvrSpan, cvrDigits: row.cvrIsDigits,
                    plainFor: row.textsPlainFor, year: row.fiscalYear, unverified: row.identityUnverified, duplicate: row.duplicate,
                    into: &bytes) == true
            row.exchangeTexts(with: &texts)
            if written { return }
        }
        endRowInGeneral(row)
    }

    /// `endRow` when the one-pointer row is not taken.
    @inline(never)
    private mutating func endRowInGeneral(_ row: BatchRow) {
        var warnings: [String] = []
        if row.identityUnverified { warnings.append(words.unverifiedIdentity) }
        if row.duplicate { warnings.append(words.duplicate) }
        wide?.endRow(row, warning: warnings.isEmpty ? nil : warnings.joinedText(separator: "; "), direct: plainRows, into: &bytes)
    }

    /// Ends the output of a batch that finished: the end of the xlsx sheet; nothing otherwise.
    mutating func footer() {
        wide?.footer(into: &bytes)
    }

    /// The carried columns of a row, after the result's own: CSV cells, or a JSON `carried` object.
    private mutating func carriedCells(_ row: BatchRow) {
        guard !carriedNames.isEmpty else { return }
        if format == .jsonl {
            bytes += ",\"carried\":{".utf8
            for (index, name) in carriedNames.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONOutput.appendQuoted(name, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                JSONOutput.appendQuoted(index < row.carried.count ? row.carried[index] : "", to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
            return
        }
        for index in carriedNames.indices {
            bytes.append(separator)
            if index < row.carried.count { text(row.carried[index], false) }
        }
    }

    /// `result` of a row the rule set's program decided, with no reason or trace: the plain CSV
    /// result when it can be, else `result` itself. Inlined where the session calls it, for one
    /// call a row fewer.
    @inline(__always)
    mutating func decided(_ row: inout BatchRow, ruleSet index: Int, outcome: Int, evaluator: inout Evaluator) {
        // The long CSV layout first, by one stored flag: `wide != nil` copied the optional wide
        // writer out (an outlined copy, about 15 instructions a row), and the format, the
        // borderline and carried columns were tested per row.
        if plainLongCSV {
            if plainRows, plainCSVResult(&row, ruleSet: index, outcome: outcome, evaluator: &evaluator) { return }
        } else if plainBorderlineCSV {
            if plainRows, plainBorderlineResult(&row, ruleSet: index, outcome: outcome, evaluator: &evaluator) { return }
        } else if wide != nil {
            // Without the borderline column, no borderline input, as `result` gives the wide writer.
            if plainRows {
                let taken =
                    borderlineColumn
                    ? wideBorderlineResult(ruleSet: index, outcome: outcome, evaluator: &evaluator)
                    : wide?.decided(ruleSet: index, outcome: outcome, evaluator: &evaluator, borderlineInput: nil) == true
                if taken { return }
            }
        }
        result(
            &row, ruleSet: index, status: .determined, decision: Decision(outcome: outcome), evaluator: &evaluator, reason: nil,
            trace: nil)
    }

    /// How many results the long layout's table has room for (tests: within the budget).
    var keptSlots: Int { decidedRows.count }
    /// How many groups the wide writer's table has room for; 0 without one (tests).
    var wideKeptSlots: Int { wide?.keptSlots ?? 0 }

    /// `decided` with the borderline column in the long CSV layout: the plain row, which ends with
    /// its reason and line feed, and the borderline cell put before the line feed, where `result`
    /// writes it (nothing follows it but the line feed: no carried columns). False, having written
    /// nothing, where the plain row cannot be written. Not inlined: the rows without the column
    /// carry none of it.
    @inline(never)
    mutating func plainBorderlineResult(_ row: inout BatchRow, ruleSet index: Int, outcome: Int, evaluator: inout Evaluator) -> Bool {
        guard plainCSVResult(&row, ruleSet: index, outcome: outcome, evaluator: &evaluator) else { return false }
        bytes.removeLast()
        borderlineCell(borderlineInput(of: Decision(outcome: outcome), ruleSet: index, evaluator: &evaluator), ruleSet: index)
        bytes.append(0x0A)
        return true
    }

    /// `decided` with the borderline column in the wide layout: the borderline input as `result`
    /// finds it, handed to the wide writer, which keeps the group per answers and that input. False
    /// for a workbook, whose rows the wide writer leaves to `result`. Not inlined, as above.
    @inline(never)
    mutating func wideBorderlineResult(ruleSet index: Int, outcome: Int, evaluator: inout Evaluator) -> Bool {
        guard format != .xlsx else { return false }
        let input = borderlineInput(of: Decision(outcome: outcome), ruleSet: index, evaluator: &evaluator)
        return wide?.decided(ruleSet: index, outcome: outcome, evaluator: &evaluator, borderlineInput: input) == true
    }

    /// The result of a row that was not evaluated under the rule set, with the reason.
    mutating func rejected(_ row: BatchRow, ruleSet index: Int, reason: String) {
        if wide != nil {
            wide?.rejected(ruleSet: index, reason: reason)
            return
        }
        let json = format == .jsonl
        startResult(row, ruleSet: index, status: .rejected, outcome: nil)
        if json { bytes += "{}".utf8 }
        tail(
            duplicate: row.duplicate, ruleSet: index, missing: InputSet(), possible: [], reason: reason,
            unverified: row.identityUnverified)
        if borderlineColumn { borderlineCell(nil, ruleSet: index) }
        carriedCells(row)
        if json { bytes.append(UInt8(ascii: "}")) }
        bytes.append(0x0A)
    }

    /// The input a determined decision's borderline cell names under the rule set's share (the
    /// batch's `--borderline` or the rule set's default): nil with no share, or when no change of
    /// at most that share in one input overturns it.
    private func borderlineInput(of decision: Decision, ruleSet index: Int, evaluator: inout Evaluator) -> Int? {
        borderlineShares[index].flatMap { evaluator.borderline(of: decision, within: $0)?.input }
    }

    /// The `borderline` column: the input a small change of which would overturn the decision.
    private mutating func borderlineCell(_ input: Int?, ruleSet index: Int) {
        let json = format == .jsonl
        key("borderline", json)
        if let input { bytes += texts[index].inputs[input] } else if json { bytes += "null".utf8 }
    }

    /// One evaluated result; `reason` for a rule set not in force and for undetermined rows with a
    /// problem, `trace` only with full traces on. With `open`, the result stops after `"trace":`
    /// for the caller to append the streamed trace row into `bytes` and then call `closeResult()`.
    /// The evaluator is passed in place (`inout`, though nothing changes it), never copied: a copy
    /// would retain and release each of its arrays, per row and rule set. The row is `inout` for the
    /// same reason (nothing changes it): passed by value from the caller's row, it was copied, about
    /// 70 instructions a row and rule set.
    mutating func result(
        _ row: inout BatchRow, ruleSet index: Int, status: BatchStatus, decision: Decision,
        evaluator: inout Evaluator, reason: String?, trace: JSONOutput?, open: Bool = false
    ) {
        if wide != nil {
            let input =
                status == .determined && borderlineColumn ? borderlineInput(of: decision, ruleSet: index, evaluator: &evaluator) : nil
            wide?.result(
                ruleSet: index, status: status, decision: decision, evaluator: &evaluator, reason: reason, borderlineInput: input,
                closingDay: row.closingDay, fiscalYear: row.fiscalYear, direct: plainRows)
            return
        }
        let json = format == .jsonl
        let outcome = status == .determined ? decision.outcome : nil
        if plainRows, let outcome, format == .csv, status == .determined, reason == nil, trace == nil, !open, !borderlineColumn,
            carriedNames.isEmpty, plainCSVResult(&row, ruleSet: index, outcome: outcome, evaluator: &evaluator)
        {
            return
        }
        startResult(row, ruleSet: index, status: status, outcome: outcome)
        // A decided result's reason is its outcome's (every decided row carries one, if the rule set gives it).
        let outcomeReason = outcome.map { texts[index].reasons[$0] } ?? []
        if let outcome {
            DecidingCriteria.collect(outcome: outcome, evaluator: evaluator, into: &found)
            let base = criterionBase[index]
            if json { bytes.append(UInt8(ascii: "{")) }
            for position in found.indices {
                if position > 0 { bytes.append(json ? UInt8(ascii: ",") : UInt8(ascii: " ")) }
                let criterion = found[position]
                let known = evaluator.criterionIsTrue(criterion)
                append(criterionPieces[base + 2 * criterion + (known ? 1 : 0)])
            }
            if json { bytes.append(UInt8(ascii: "}")) }
        } else if json {
            bytes += "{}".utf8
        }
        let undetermined = status == .undetermined
        if reason == nil && trace == nil && !open && !undetermined && !borderlineColumn && carriedNames.isEmpty {
            if let outcome {
                append(reasonTails[reasonTailBase[index] + 2 * outcome + (row.duplicate ? 1 : 0)])
            } else {
                append(plainTails[row.duplicate ? 1 : 0])
            }
            return
        }
        tail(
            duplicate: row.duplicate, ruleSet: index, missing: undetermined ? decision.missing : InputSet(),
            possible: undetermined ? distinctByName(decision.possibleOutcomes, ruleSet: index) : [], reason: reason,
            escapedReason: reason == nil && !outcomeReason.isEmpty ? outcomeReason : nil)
        if borderlineColumn {
            borderlineCell(
                status == .determined ? borderlineInput(of: decision, ruleSet: index, evaluator: &evaluator) : nil, ruleSet: index)
        }
        carriedCells(row)
        if let trace {
            bytes += ",\"trace\":".utf8
            trace.write(into: &bytes, pretty: false)
        }
        if open && json {
            bytes += ",\"trace\":".utf8
            return
        }
        if json { bytes.append(UInt8(ascii: "}")) }
        bytes.append(0x0A)
    }

    /// The columns up to and including the `criteria` key: the row's own (formatted once per row),
    /// then the rule set's piece for the status and outcome.
    private mutating func startResult(_ row: BatchRow, ruleSet index: Int, status: BatchStatus, outcome: Int?) {
        if prefixRow != row.number || prefix.isEmpty { startRow(row) }
        bytes += prefix
        let outcomes = texts[index].outcomes.count
        let statusIndex = status.ordinal
        append(headPieces[headBase[index] + statusIndex * (outcomes + 1) + (outcome ?? outcomes)])
    }

    /// The columns from `rule_set` to the `criteria` key (made once per rule set, status and outcome).
    private mutating func head(ruleSet index: Int, status: BatchStatus, outcome: Int?) {
        let texts = self.texts[index]
        let json = format == .jsonl
        key("rule_set", json)
        bytes += texts.name
        key("status", json)
        bytes += statusTexts[status.ordinal]
        key("outcome", json)
        if let outcome { bytes += texts.outcomes[outcome] } else if json { bytes += "null".utf8 }
        key("label", json)
        if let outcome { bytes += texts.labels[outcome] } else if json { bytes += "null".utf8 }
        key("criteria", json)
    }

    /// The rules with each outcome name once, at the first of them.
    private func distinctByName(_ rules: [Int], ruleSet index: Int) -> [Int] {
        let names = outcomeNameIndices[index]
        var seen = Set<Int>()
        return rules.filter { seen.insert(names[$0]).inserted }
    }

    /// The columns after `criteria`: missing, possible outcomes, warning, reason.
    private mutating func tail(
        duplicate: Bool, ruleSet index: Int, missing: InputSet, possible: [Int], reason: String?,
        unverified: Bool = false, escapedReason: [UInt8]? = nil
    ) {
        let json = format == .jsonl
        key("missing", json)
        if missing.isEmpty {
            bytes += json ? "[]".utf8 : "".utf8
        } else {
            let texts = self.texts[index]
            names(texts.inputs.indices.lazy.filter { missing.contains($0) }.map { texts.inputs[$0] }, json)
        }
        key("possible_outcomes", json)
        if possible.isEmpty {
            bytes += json ? "[]".utf8 : "".utf8
        } else {
            let texts = self.texts[index]
            names(possible.map { texts.outcomeItems[$0] }, json)
        }
        key("warning", json)
        if unverified {
            bytes += duplicate ? unverifiedDuplicateText : unverifiedText
        } else if duplicate {
            bytes += duplicateText
        } else if json {
            bytes += "null".utf8
        }
        key("reason", json)
        if let escapedReason { bytes += escapedReason } else { text(reason, json) }
    }

    /// The header lines of `soe-trace-stream/3`, one per rule set, before the first result; from a
    /// CSV, each with the columns of its inputs (`places`, by rule set).
    mutating func traceHeaders(_ streams: [TraceStreamWriter], csv places: [TraceStreamWriter.CSVPlaces]) {
        for (index, stream) in streams.enumerated() {
            bytes += index < places.count ? stream.headerLine(csv: places[index]) : stream.headerLine
            bytes.append(0x0A)
        }
    }

    /// Ends a result left open by `result(…, open: true)` once its `trace` member is written.
    mutating func closeResult() {
        bytes.append(UInt8(ascii: "}"))
        bytes.append(0x0A)
    }

    /// Formats the columns that are the same for every rule set (row, id, cvr, name, fiscal year)
    /// once per row, so the CSV quoting check and JSON escaping run once, not once per rule set.
    private mutating func startRow(_ row: BatchRow) {
        let json = format == .jsonl
        swap(&bytes, &prefix)
        bytes.removeAll(keepingCapacity: true)
        begin(json)
        key("row", json, first: true)
        integer(row.number)
        key("id", json)
        text(row, row.idSpan, json)
        key("cvr", json)
        text(row, row.cvrSpan, json)
        key("name", json)
        text(row, row.nameSpan, json)
        key("fiscal_year", json)
        if let year = row.fiscalYear { integer(year) } else if json { bytes += "null".utf8 }
        swap(&bytes, &prefix)
        prefixRow = row.number
    }

    private mutating func names(_ items: some Sequence<[UInt8]>, _ json: Bool) {
        if json { bytes.append(UInt8(ascii: "[")) }
        var first = true
        for item in items {
            if !first { bytes.append(json ? UInt8(ascii: ",") : UInt8(ascii: " ")) }
            bytes += item
            first = false
        }
        if json { bytes.append(UInt8(ascii: "]")) }
    }

    private mutating func begin(_ json: Bool) {
        if json { bytes.append(UInt8(ascii: "{")) }
    }

    private mutating func key(_ name: StaticString, _ json: Bool, first: Bool = false) {
        if json {
            if !first { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            bytes += "\":".utf8
        } else if !first {
            bytes.append(separator)
        }
    }

    /// One of a row's texts (`BatchRow.texts` at `span`), as `text(_:_:)` writes it: in CSV
    /// straight from its bytes when they need no quotes nor formula guard, else from a `String`.
    private mutating func text(_ row: BatchRow, _ span: TextSpan, _ json: Bool) {
        if !json && span.start >= 0 {
            let plain = row.texts.withUnsafeBufferPointer { texts in
                let raw = UnsafeBufferPointer(rebasing: texts[span.start..<span.end])
                guard BatchResultWriter.isPlainCSV(raw, separator: separator) else { return false }
                bytes.append(contentsOf: raw)
                return true
            }
            if plain { return }
        }
        text(span.start < 0 ? nil : row.texts.withUnsafeBufferPointer { String(decoding: $0[span.start..<span.end], as: UTF8.self) }, json)
    }

    private mutating func text(_ value: String?, _ json: Bool) {
        guard let value else {
            if json { bytes += "null".utf8 }
            return
        }
        if json {
            JSONOutput.appendQuoted(value, to: &bytes)
        } else {
            BatchResultWriter.appendCSVText(value, separator: separator, to: &bytes)
        }
    }

    /// A CSV field of text from data or rule files. A spreadsheet would run a cell such as
    /// `=HYPERLINK(…)` as a formula (CSV injection): a leading apostrophe makes it text, and quotes
    /// show that the cell was changed.
    static func appendCSVText(_ value: String, separator: UInt8, to bytes: inout [UInt8]) {
        // The common case in one pass over contiguous bytes: no formula start, nothing to quote.
        let plain = value.utf8.withContiguousStorageIfAvailable { raw -> Bool in
            if let first = raw.first, startsFormula(first) { return false }
            for byte in raw where byte == separator || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D { return false }
            bytes.append(contentsOf: raw)
            return true
        }
        if plain == true { return }
        if let first = value.utf8.first, startsFormula(first) {
            appendCSV("'" + value, separator: separator, to: &bytes, quoted: true)
        } else {
            appendCSV(value, separator: separator, to: &bytes)
        }
    }

    /// The first characters with which a spreadsheet reads a cell as a formula: `=`, `+`, `-`, `@`,
    /// tab and carriage return (OWASP's list for CSV injection).
    @inline(__always)
    static func startsFormula(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: true
        default: false
        }
    }

    /// A non-negative or negative integer in decimal, without making a String.
    private mutating func integer(_ value: Int) { BatchResultWriter.appendInteger(value, to: &bytes) }

    /// An integer in decimal, digit by digit into `bytes`: no String, no buffer in between (a
    /// tuple of digits and a slice of it cost ten times as many instructions per number).
    @inline(__always)
    static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor &*= 10 }
        repeat {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        } while divisor > 0
    }

    /// A CSV field: as is, or in quotes with quotes doubled when it holds the separator, a quote or
    /// a line break (RFC 4180), or when `quoted` asks for them.
    static func appendCSV(_ text: String, separator: UInt8, to bytes: inout [UInt8], quoted: Bool = false) {
        // The common case, a native string with nothing to quote, as one scan and one copy of its bytes.
        if !quoted,
            let done = text.utf8.withContiguousStorageIfAvailable({ raw -> Bool in
                for byte in raw where byte == separator || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D { return false }
                bytes.append(contentsOf: raw)
                return true
            }), done
        {
            return
        }
        let utf8 = text.utf8
        let needsQuotes = quoted || utf8.contains { $0 == separator || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            bytes += utf8
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for byte in utf8 {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
