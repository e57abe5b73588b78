import SoeLanguage

// The wide layout of batch results, for people: one row per firm, its own columns first (as the
// input had them), then for each rule set the result, the reason, the deciding criteria and the
// missing data, in words of the batch's language. The same cells go to CSV or to an xlsx sheet.

/// The firm's own columns of a result row, in the input's order: the identity a batch reads and
/// the columns it carries through (`BatchLayout.carriedColumns`).
public struct ResultFirmColumns: Sendable {
    enum Column: Sendable, Equatable {
        case id, name, cvr, fiscalYear, fiscalYearEnd
        /// The row's carried cell at this index (`BatchRow.carried`).
        case carried(Int)
    }

    let columns: [Column]
    /// The carried columns' names as the header wrote them, in order.
    let carriedNames: [String]

    /// What JSON Lines input gives: id, name, CVR number and fiscal year, nothing carried.
    static let standard = ResultFirmColumns(columns: [.id, .name, .cvr, .fiscalYear], carriedNames: [])

    init(columns: [Column], carriedNames: [String]) {
        self.columns = columns
        self.carriedNames = carriedNames
    }

    /// The columns of a checked CSV header, in its order.
    init(layout: BatchLayout) {
        var columns: [Column] = []
        for index in layout.columns.indices {
            if index == layout.idColumn {
                columns.append(.id)
            } else if index == layout.nameColumn {
                columns.append(.name)
            } else if index == layout.cvrColumn {
                columns.append(.cvr)
            } else if index == layout.fiscalYearColumn {
                columns.append(.fiscalYear)
            } else if index == layout.fiscalYearEndColumn {
                columns.append(.fiscalYearEnd)
            } else if let carried = layout.carriedColumns.firstIndex(of: index) {
                columns.append(.carried(carried))
            }
        }
        self.columns = columns
        carriedNames = layout.carriedColumns.map { layout.columns[$0] }
    }
}

/// Formats wide result rows: the results of a row's rule sets are collected, then written as one row.
struct WideResultWriter {
    let xlsx: Bool
    let separator: UInt8
    let language: Language
    let firm: ResultFirmColumns
    private let names: [String]
    private let labels: [[String]]
    private let reasons: [[String]]
    private let criteria: [[String]]
    private let inputs: [[String]]
    /// Each rule set's period in force, for the sentence that says why it did not apply.
    private let periods: [(from: Day?, until: Day?)]
    let borderline: Bool
    /// Each rule set's deciding criteria as the criteria cell lists them, `name: no` and
    /// `name: yes`, made once rather than per row.
    private let criterionTexts: [[(no: String, yes: String)]]
    /// The current row's cells for each rule set, emptied (keeping their storage) when it is written.
    private var cells: [[SheetCell]]
    /// A CSV row's group of cells for each rule set already as the bytes `csvRow` writes for it, each
    /// cell after a separator, for a determined result without a reason of its own (`written`);
    /// else its `cells` are written. Kept from row to row.
    private var groups: [[UInt8]]
    private var written: [Bool]
    /// Per rule set and outcome, the label's and the reason's cells as `appendCSVText` writes them;
    /// per rule set and criterion, `name: no` and `name: yes` as bytes, and whether they need
    /// neither quotes nor the formula guard.
    private let labelBytes: [[[UInt8]]]
    private let reasonBytes: [[[UInt8]]]
    private let criterionBytes: [[(no: [UInt8], yes: [UInt8])]]
    private let criterionPlain: [[(no: Bool, yes: Bool)]]
    /// The row's cells for an xlsx sheet, reused from row to row.
    private var line: [SheetCell] = []
    private var found: [Int] = []
    private let words: Words
    /// Each rule set's deciding criteria per outcome (`DecidingPlan`), the long layout writer's own.
    private let plans: [DecidingPlan]
    /// The same plans, for the per-row path to borrow without a retain and release per row (as
    /// `Evaluator.unretainedProgram`): `plans`, which lives as long as the writer, keeps them alive.
    private let unretainedPlans: [Unmanaged<DecidingPlan>]
    /// A determined result's group of cells, as `determinedGroup` writes it, kept per rule set,
    /// outcome, the plan's answers for the outcome's probes and, with the borderline column, the
    /// borderline input (none, or one of the rule set's inputs):
    /// `kept[keptBase[keptOutcomeBase[r] + outcome] + answers × keptStride[r] + cell]`, where `cell`
    /// is 0 for no borderline input and `input + 1` for one, a piece of `pool`, empty until first
    /// met; a base of -1 for an outcome whose criteria are not kept per answers.
    private var pool: [UInt8] = []
    private var kept: [Range<Int>] = []
    private var keptBase: [Int] = []
    private var keptOutcomeBase: [Int] = []
    /// Per rule set, the kept groups per answers: 1, or with the borderline column one more than
    /// the rule set's inputs.
    private var keptStride: [Int] = []
    /// How many groups `kept` has room for (tests: within `DecidingPlan.keptSlotBudget`).
    var keptSlots: Int { kept.count }
    /// The current row's kept group per rule set (`rowKept`), and how many of its rule sets have one.
    private var rowGroups: [Range<Int>]
    private var rowKept: [Bool]
    private var keptCount = 0
    /// Whether the firm's columns are only id, name, CVR number and fiscal year, which the one-buffer
    /// row (`plainRow`) writes.
    private let standardColumns: Bool
    /// The warning cell as `csvRow` writes it, by `2 × unverified + duplicate`, as pieces of
    /// `pool`: a range is read per row without the retain and release a copied array costs.
    private let warningPieces: [Range<Int>]
    /// Where a row is written by `plainRow` before it is appended to the output in one piece.
    private var buffer: [UInt8] = []

    init(
        ruleSets: [RuleSet], xlsx: Bool, separator: UInt8, language: Language, firm: ResultFirmColumns, borderline: Bool,
        plans: [DecidingPlan]? = nil, keptSlotBudget: Int = DecidingPlan.keptSlotBudget
    ) {
        (self.xlsx, self.separator, self.language, self.firm, self.borderline) = (xlsx, separator, language, firm, borderline)
        self.plans = plans ?? ruleSets.map(DecidingPlan.init)
        unretainedPlans = self.plans.map { Unmanaged.passUnretained($0) }
        words = Words.of(language)
        names = ruleSets.map(\.name)
        labels = ruleSets.map { $0.outcomes.map { $0.label?.text(language) ?? $0.name } }
        reasons = ruleSets.map { $0.outcomes.map { $0.reason?.text(language) ?? "" } }
        criteria = ruleSets.map { $0.criteria.map { $0.text?.text(language) ?? $0.name } }
        let words = Words.of(language)
        criterionTexts = criteria.map { names in names.map { ("\($0): \(words.no)", "\($0): \(words.yes)") } }
        inputs = ruleSets.map { $0.inputs.map { $0.description?.text(language) ?? $0.name } }
        periods = ruleSets.map { ($0.inForceFrom, $0.inForceUntil) }
        cells = ruleSets.map { _ in [] }
        groups = ruleSets.map { _ in [] }
        written = ruleSets.map { _ in false }
        func csv(_ text: String) -> [UInt8] {
            var bytes: [UInt8] = []
            BatchResultWriter.appendCSVText(text, separator: separator, to: &bytes)
            return bytes
        }
        labelBytes = labels.map { $0.map(csv) }
        reasonBytes = reasons.map { $0.map(csv) }
        criterionBytes = criterionTexts.map { $0.map { (Array($0.no.utf8), Array($0.yes.utf8)) } }
        func plain(_ bytes: [UInt8]) -> Bool {
            !bytes.contains { $0 == separator || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        }
        criterionPlain = criterionBytes.map { $0.map { (plain($0.no), plain($0.yes)) } }
        rowGroups = ruleSets.map { _ in 0..<0 }
        rowKept = ruleSets.map { _ in false }
        standardColumns = firm.columns.allSatisfy { [.id, .name, .cvr, .fiscalYear].contains($0) }
        let batchWords = BatchWords(language)
        var warnings: [Range<Int>] = []
        for texts in [[], [batchWords.duplicate], [batchWords.unverifiedIdentity], [batchWords.unverifiedIdentity, batchWords.duplicate]] {
            let bytes = csv(texts.joinedText(separator: "; "))
            pool += bytes
            warnings.append(pool.count - bytes.count..<pool.count)
        }
        warningPieces = warnings
        for (index, plan) in self.plans.enumerated() {
            keptOutcomeBase.append(keptBase.count)
            let stride = borderline ? ruleSets[index].inputs.count + 1 : 1
            keptStride.append(stride)
            for probes in plan.probeCounts {
                guard !xlsx, probes >= 0, kept.count + (1 << probes) * stride <= keptSlotBudget else {
                    keptBase.append(-1)
                    continue
                }
                keptBase.append(kept.count)
                kept += repeatElement(0..<0, count: (1 << probes) * stride)
            }
        }
    }

    /// The header row: the row number, the firm's columns, each rule set's group, the warning.
    func headerCells() -> [SheetCell] {
        let danish = language == .danish
        var header = [danish ? "Række" : "Row"]
        for column in firm.columns {
            switch column {
            case .id: header.append("Id")
            case .name: header.append(danish ? "Navn" : "Name")
            case .cvr: header.append(danish ? "CVR-nummer" : "CVR number")
            case .fiscalYear: header.append(danish ? "Regnskabsår" : "Fiscal year")
            case .fiscalYearEnd: header.append(danish ? "Regnskabsårets slutdato" : "Fiscal year end")
            case .carried(let index): header.append(firm.carriedNames[index])
            }
        }
        for name in names {
            let group =
                danish
                ? ["Resultat", "Begrundelse", "Afgørende kriterier", "Mangler", "Status"] + (borderline ? ["Grænsetilfælde"] : [])
                : ["Result", "Reason", "Deciding criteria", "Missing", "Status"] + (borderline ? ["Borderline"] : [])
            header += group.map { "\($0) (\(name))" }
        }
        header.append(danish ? "Advarsel" : "Warning")
        return header.map(SheetCell.text)
    }

    /// The header row; in xlsx, the sheet's start with it: frozen, with widths from the headings.
    func header(into bytes: inout [UInt8], byteOrderMark: Bool) {
        let header = headerCells()
        if xlsx {
            let widths = header.map { cell -> Int in
                if case .text(let text) = cell { return text.count + 2 }
                return 10
            }
            bytes += XLSXWriter.sheetStart(widths: widths, frozenRows: 1)
            XLSXWriter.appendRow(header, style: .header, to: &bytes)
        } else {
            if byteOrderMark { bytes += [0xEF, 0xBB, 0xBF] }
            csvRow(header, into: &bytes)
        }
    }

    /// The end of the sheet (xlsx); nothing for CSV.
    func footer(into bytes: inout [UInt8]) {
        if xlsx { bytes += XLSXWriter.sheetEnd() }
    }

    /// Keeps the result of the current row under the rule set at `index` when it is decided, with
    /// no reason of its own, in a CSV sheet (`result(…, direct: true)`): as a kept group, or
    /// written directly. Returns false, having done nothing, for xlsx.
    mutating func decided(ruleSet index: Int, outcome: Int, evaluator: inout Evaluator, borderlineInput: Int?) -> Bool {
        guard !xlsx else { return false }
        let base = keptBase[keptOutcomeBase[index] + outcome]
        if base >= 0 {
            // The plan is borrowed, not retained and released per row: `plans` keeps it alive.
            let answers = unretainedPlans[index]._withUnsafeGuaranteedRef { $0.answers(outcome: outcome, evaluator: &evaluator) }
            // With the borderline column, one group per answers and borderline input.
            let slot = borderline ? base + answers * keptStride[index] + (borderlineInput.map { $0 + 1 } ?? 0) : base + answers
            if kept[slot].isEmpty { keepGroup(slot, ruleSet: index, outcome: outcome, answers: answers, borderlineInput: borderlineInput) }
            rowGroups[index] = kept[slot]
            if !rowKept[index] {
                rowKept[index] = true
                keptCount += 1
            }
            return true
        }
        determinedGroup(ruleSet: index, outcome: outcome, evaluator: evaluator, borderlineInput: borderlineInput)
        return true
    }

    /// Keeps the result of the current row under the rule set at `index`.
    mutating func result(
        ruleSet index: Int, status: BatchStatus, decision: Decision, evaluator: inout Evaluator, reason: String?,
        borderlineInput: Int?, closingDay: Day?, fiscalYear: Int?, direct: Bool = false
    ) {
        if direct, status == .determined, reason == nil, let outcome = decision.outcome,
            decided(ruleSet: index, outcome: outcome, evaluator: &evaluator, borderlineInput: borderlineInput)
        {
            return
        }
        let danish = language == .danish
        // Written into the rule set's own cells, which keep their storage from row to row.
        var group: [SheetCell] = []
        swap(&group, &cells[index])
        defer { swap(&group, &cells[index]) }
        group.removeAll(keepingCapacity: true)
        switch status {
        case .determined:
            let outcome = decision.outcome ?? 0
            group.append(.text(labels[index][outcome]))
            group.append(text(reason ?? reasons[index][outcome]))
            DecidingCriteria.collect(outcome: outcome, evaluator: evaluator, into: &found)
            // `name: yes; name: no`, as `joinedText(separator: "; ")` of the pieces gives it.
            var listed = ""
            for (position, criterion) in found.enumerated() {
                if position > 0 { listed += "; " }
                listed += evaluator.criterionIsTrue(criterion) ? criterionTexts[index][criterion].yes : criterionTexts[index][criterion].no
            }
            group.append(text(listed))
            group.append(.empty)
        case .undetermined:
            group.append(.text(words.undetermined))
            group.append(
                text(
                    reason
                        ?? (danish ? "Kan ikke afgøres uden de manglende oplysninger" : "Cannot be decided without the missing data")))
            group.append(.empty)
            let missing = inputs[index].indices.filter { decision.missing.contains($0) }.map { inputs[index][$0] }
            group.append(text(missing.joinedText(separator: "; ")))
        case .notInForce:
            group.append(.text(words.notInForceResult))
            // The sentence a single firm's summary gives, for people, rather than the long layout's note.
            let sentence = closingDay.map {
                words.notInForceSentence(
                    fiscalYear: fiscalYear, closing: $0, from: periods[index].from, until: periods[index].until)
            }
            group.append(text(sentence ?? reason ?? ""))
            group += [.empty, .empty]
        case .rejected:
            swap(&group, &cells[index])
            rejected(ruleSet: index, reason: reason ?? "")
            swap(&group, &cells[index])
            return
        }
        group.append(.text(status.rawValue))
        if borderline { group.append(borderlineInput.map { .text(inputs[index][$0]) } ?? .empty) }
    }

    /// Keeps the rejection of the current row under the rule set at `index`, with why.
    mutating func rejected(ruleSet index: Int, reason: String) {
        var group: [SheetCell] = [.text(language == .danish ? "Afvist" : "Rejected"), text(reason), .empty, .empty]
        group.append(.text(BatchStatus.rejected.rawValue))
        if borderline { group.append(.empty) }
        cells[index] = group
    }

    /// Writes the row with the results kept since the last one.
    /// A CSV row is written cell by cell as it comes (`direct`), or, as an xlsx row always is,
    /// collected into cells first (the reference the direct path is tested against).
    mutating func endRow(_ row: BatchRow, warning: String?, direct: Bool = true, into bytes: inout [UInt8]) {
        if !xlsx && direct {
            csvRow(row, warning: warning, into: &bytes)
            return
        }
        var line: [SheetCell] = []
        swap(&line, &self.line)
        defer { swap(&line, &self.line) }
        line.removeAll(keepingCapacity: true)
        line.append(.integer(row.number))
        for column in firm.columns {
            switch column {
            case .id: line.append(text(row.id ?? ""))
            case .name: line.append(text(row.name ?? ""))
            case .cvr: line.append(text(row.cvr ?? ""))
            case .fiscalYear: line.append(row.fiscalYear.map(SheetCell.integer) ?? .empty)
            case .fiscalYearEnd: line.append(text(row.closingDay.map { "\($0)" } ?? ""))
            case .carried(let index): line.append(text(index < row.carried.count ? row.carried[index] : ""))
            }
        }
        for index in cells.indices {
            line += cells[index]
            cells[index].removeAll(keepingCapacity: true)
        }
        line.append(text(warning ?? ""))
        if xlsx {
            XLSXWriter.appendRow(line, to: &bytes)
        } else {
            csvRow(line, into: &bytes)
        }
    }

    /// The CSV row of `endRow`: the cells `csvRow(_:into:)` would write for the same row, written
    /// as they come, with the row's id, name and CVR number copied from its bytes when they need
    /// neither quotes nor the formula guard.
    private mutating func csvRow(_ row: BatchRow, warning: String?, into bytes: inout [UInt8]) {
        defer { keptCount = 0 }
        BatchResultWriter.appendInteger(row.number, to: &bytes)
        for column in firm.columns {
            bytes.append(separator)
            switch column {
            case .id: appendText(row, row.idSpan, into: &bytes)
            case .name: appendText(row, row.nameSpan, into: &bytes)
            case .cvr: appendText(row, row.cvrSpan, into: &bytes)
            case .fiscalYear: if let year = row.fiscalYear { BatchResultWriter.appendInteger(year, to: &bytes) }
            case .fiscalYearEnd: appendCell(text(row.closingDay.map { "\($0)" } ?? ""), into: &bytes)
            case .carried(let index): appendCell(text(index < row.carried.count ? row.carried[index] : ""), into: &bytes)
            }
        }
        for index in cells.indices {
            if rowKept[index] {
                rowKept[index] = false
                pool.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[rowGroups[index]])) }
                continue
            }
            if written[index] {
                bytes += groups[index]
                groups[index].removeAll(keepingCapacity: true)
                written[index] = false
                continue
            }
            for cell in cells[index] {
                bytes.append(separator)
                appendCell(cell, into: &bytes)
            }
            cells[index].removeAll(keepingCapacity: true)
        }
        bytes.append(separator)
        appendCell(text(warning ?? ""), into: &bytes)
        bytes.append(0x0A)
    }

    /// A determined result's group of cells under the rule set at `index`, as the bytes `csvRow`
    /// writes for the cells `result` makes: the label, the outcome's reason, the deciding criteria
    /// (`name: yes; name: no`, copied piece by piece when no piece needs quotes, the first does not
    /// start a formula and the separator is not in `; `; else the joined text as `appendCSVText`
    /// writes it), no missing data, the status, and the borderline input where that column is.
    private mutating func determinedGroup(ruleSet index: Int, outcome: Int, evaluator: borrowing Evaluator, borderlineInput: Int?) {
        var out: [UInt8] = []
        swap(&out, &groups[index])
        defer { swap(&out, &groups[index]) }
        out.removeAll(keepingCapacity: true)
        out.append(separator)
        out += labelBytes[index][outcome]
        out.append(separator)
        out += reasonBytes[index][outcome]
        out.append(separator)
        // The criteria as codes, `2 × criterion + value`: by the rule set's plan, or for a
        // condition too large for one by the walk.
        let plan = plans[index]
        if plan.general[outcome] {
            DecidingCriteria.collect(outcome: outcome, evaluator: evaluator, into: &found)
            for position in found.indices {
                let criterion = found[position]
                found[position] = 2 * criterion + (evaluator.criterionIsTrue(criterion) ? 1 : 0)
            }
        } else {
            plan.run(outcome: outcome, evaluator: evaluator, base: 0, into: &found)
        }
        appendCriteria(ruleSet: index, codes: found, to: &out)
        out.append(separator)
        out.append(separator)
        BatchResultWriter.appendCSVText(BatchStatus.determined.rawValue, separator: separator, to: &out)
        if borderline {
            out.append(separator)
            if let input = borderlineInput { BatchResultWriter.appendCSVText(inputs[index][input], separator: separator, to: &out) }
        }
        written[index] = true
    }

    /// The deciding criteria's cell, each criterion given as `2 × criterion + value`: the
    /// `name: yes; name: no` text `result` makes, as `appendCSVText` writes it; copied piece by
    /// piece when no piece needs quotes, the first does not start a formula and the separator is
    /// not in `; `.
    private func appendCriteria(ruleSet index: Int, codes: [Int], to out: inout [UInt8]) {
        var plain = separator != UInt8(ascii: ";") && separator != UInt8(ascii: " ")
        for (position, code) in codes.enumerated() where plain {
            let (criterion, yes) = (code >> 1, code & 1 == 1)
            plain = yes ? criterionPlain[index][criterion].yes : criterionPlain[index][criterion].no
            if position == 0, plain {
                let first = yes ? criterionBytes[index][criterion].yes.first : criterionBytes[index][criterion].no.first
                plain = !(first.map(BatchResultWriter.startsFormula) ?? false)
            }
        }
        if plain {
            for (position, code) in codes.enumerated() {
                if position > 0 { out += [UInt8(ascii: ";"), UInt8(ascii: " ")] }
                out += code & 1 == 1 ? criterionBytes[index][code >> 1].yes : criterionBytes[index][code >> 1].no
            }
        } else {
            var listed = ""
            for (position, code) in codes.enumerated() {
                if position > 0 { listed += "; " }
                listed += code & 1 == 1 ? criterionTexts[index][code >> 1].yes : criterionTexts[index][code >> 1].no
            }
            BatchResultWriter.appendCSVText(listed, separator: separator, to: &out)
        }
    }

    /// Makes the group kept at `kept[slot]`: the cells `determinedGroup` writes for the outcome,
    /// with the criteria the plan gives for the answers the slot stands for, at the end of `pool`.
    private mutating func keepGroup(_ slot: Int, ruleSet index: Int, outcome: Int, answers: Int, borderlineInput: Int?) {
        var out: [UInt8] = [separator]
        out += labelBytes[index][outcome]
        out.append(separator)
        out += reasonBytes[index][outcome]
        out.append(separator)
        appendCriteria(ruleSet: index, codes: plans[index].criteria(outcome: outcome, answers: answers), to: &out)
        out.append(separator)
        out.append(separator)
        BatchResultWriter.appendCSVText(BatchStatus.determined.rawValue, separator: separator, to: &out)
        // The borderline cell, as `determinedGroup` writes it.
        if borderline {
            out.append(separator)
            if let input = borderlineInput { BatchResultWriter.appendCSVText(inputs[index][input], separator: separator, to: &out) }
        }
        pool += out
        kept[slot] = pool.count - out.count..<pool.count
    }

    /// Writes the row in one piece when every rule set's result is a kept group and the firm's
    /// columns are the standard ones whose texts need neither quotes nor the formula guard: the
    /// bytes `csvRow` writes, copied through one pointer. Returns false, having written nothing,
    /// otherwise (or for a row longer than 64 KiB): then `endRow` writes it.
    mutating func plainRow(
        texts rowTexts: [UInt8], number: Int, id: TextSpan, name: TextSpan, cvr: TextSpan, cvrDigits: Bool = false, plainFor: UInt8 = 0,
        year: Int?, unverified: Bool, duplicate: Bool, into bytes: inout [UInt8]
    ) -> Bool {
        guard !xlsx, standardColumns, keptCount == rowKept.count else { return false }
        let warning = warningPieces[(unverified ? 2 : 0) + (duplicate ? 1 : 0)]
        // Two integers of at most 20 characters, a separator per column, 8 bytes of room past a
        // short text (`writePlain`), the newline.
        var most = 52 + warning.count + firm.columns.count
        most += Swift.max(id.count, 0) + Swift.max(cvr.count, 0) + Swift.max(name.count, 0)
        for group in rowGroups { most += group.count }
        guard most <= 1 << 16 else { return false }
        if buffer.count < most { buffer = [UInt8](repeating: 0, count: Swift.max(most, 2 * buffer.count, 1024)) }
        var out: [UInt8] = []
        swap(&out, &buffer)
        let (separator, columns, groups) = (self.separator, firm.columns, rowGroups)
        // The id and name need no quotes when the row says so for this writer's separator.
        let unquoted = plainFor != 0 && plainFor == separator
        let written: Int? = rowTexts.withUnsafeBufferPointer { texts in
            pool.withUnsafeBufferPointer { pool in
                out.withUnsafeMutableBufferPointer { out -> Int? in
                    guard let start = out.baseAddress, let source = pool.baseAddress else { return nil }
                    var p = BatchResultWriter.writeInteger(number, at: start)
                    for column in columns {
                        p.pointee = separator
                        p += 1
                        switch column {
                        case .id:
                            let written =
                                unquoted
                                ? BatchResultWriter.writeUnquoted(texts, id, at: p)
                                : BatchResultWriter.writePlain(texts, id, at: p, separator: separator)
                            guard let end = written else {
                                return nil
                            }
                            p = end
                        case .name:
                            let written =
                                unquoted
                                ? BatchResultWriter.writeUnquoted(texts, name, at: p)
                                : BatchResultWriter.writePlain(texts, name, at: p, separator: separator)
                            guard let end = written else {
                                return nil
                            }
                            p = end
                        case .cvr:
                            guard let end = BatchResultWriter.writeCVR(texts, cvr, digits: cvrDigits, at: p, separator: separator) else {
                                return nil
                            }
                            p = end
                        case .fiscalYear:
                            if let year { p = BatchResultWriter.writeInteger(year, at: p) }
                        case .fiscalYearEnd, .carried:
                            return nil
                        }
                    }
                    for group in groups {
                        p.update(from: source + group.lowerBound, count: group.count)
                        p += group.count
                    }
                    p.pointee = separator
                    p += 1
                    p.update(from: source + warning.lowerBound, count: warning.count)
                    p += warning.count
                    p.pointee = 0x0A
                    return p + 1 - start
                }
            }
        }
        swap(&out, &buffer)
        guard let written else { return false }
        buffer.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<written])) }
        for index in rowKept.indices where rowKept[index] { rowKept[index] = false }
        keptCount = 0
        return true
    }

    /// One of the row's texts, as `appendCSVText` writes the string it holds.
    private func appendText(_ row: BatchRow, _ span: TextSpan, into bytes: inout [UInt8]) {
        guard span.start >= 0, span.count > 0 else { return }
        row.texts.withUnsafeBufferPointer { texts in
            let raw = UnsafeBufferPointer(rebasing: texts[span.start..<span.end])
            if BatchResultWriter.isPlainCSV(raw, separator: separator) {
                bytes.append(contentsOf: raw)
            } else {
                // The string `row.id` (`name`, `cvr`) gives: the same bytes, decoded as UTF-8.
                BatchResultWriter.appendCSVText(String(decoding: raw, as: UTF8.self), separator: separator, to: &bytes)
            }
        }
    }

    /// A cell as `csvRow(_:into:)` writes it.
    private func appendCell(_ cell: SheetCell, into bytes: inout [UInt8]) {
        switch cell {
        case .empty: break
        case .text(let value): BatchResultWriter.appendCSVText(value, separator: separator, to: &bytes)
        case .integer(let value): BatchResultWriter.appendInteger(value, to: &bytes)
        case .number(let value, _): bytes += value.utf8
        }
    }

    private func text(_ value: String) -> SheetCell { value.isEmpty ? .empty : .text(value) }

    /// A CSV row: text protected from being read as a formula (`BatchResultWriter.appendCSVText`).
    private func csvRow(_ cells: [SheetCell], into bytes: inout [UInt8]) {
        for (position, cell) in cells.enumerated() {
            if position > 0 { bytes.append(separator) }
            appendCell(cell, into: &bytes)
        }
        bytes.append(0x0A)
    }
}
