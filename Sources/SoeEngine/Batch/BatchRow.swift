import SoeLanguage

/// One input row of a batch, read and bound to every rule set, ready to evaluate.
///
/// A runner keeps one `BatchRow` and overwrites it for each row, so the value arrays are reused
/// rather than reallocated. A row is either evaluated or rejected under each rule set: row-level
/// problems (a bad CVR number, a missing fiscal year, a broken CSV record) reject it under all of
/// them; a bad value for an input rejects it only under the rule sets that declare that input.
struct BatchRow {
    /// The row number reported: the CSV record number (the header is row 1, as in a spreadsheet)
    /// or the JSON Lines line number.
    var number = 0
    /// The physical line where the row starts.
    var line = 0
    /// The row's id, name and CVR number as bytes (`texts`), kept so from the record to the
    /// result: the common result row copies them straight to the output, and a `String` is made
    /// only where one is asked for (a JSON result, a trace, a message). Making the three `String`s
    /// per row cost about 900 instructions, a sixteenth of a row.
    var id: String? {
        get { text(idSpan) }
        set {
            idSpan = store(newValue)
            textsPlainFor = 0
        }
    }
    var name: String? {
        get { text(nameSpan) }
        set {
            nameSpan = store(newValue)
            textsPlainFor = 0
        }
    }
    var cvr: String? {
        get { text(cvrSpan) }
        set {
            cvrSpan = store(newValue)
            cvrIsDigits = false
        }
    }
    /// The bytes of `id`, `name` and `cvr`, end to end from the start; past `textsUsed` they mean
    /// nothing (the storage is kept from row to row).
    private(set) var texts: [UInt8] = []
    private(set) var textsUsed = 0
    /// Where `id`, `name` and `cvr` are in `texts`; `TextSpan.none` for nil.
    private(set) var idSpan = TextSpan.none
    private(set) var nameSpan = TextSpan.none
    private(set) var cvrSpan = TextSpan.none
    /// Whether `cvr`'s text is known to be eight ASCII digits: set by `setIdentity` for the
    /// binder's plain CVR number (`CSVRowBinder.plainCVRIndex`), false after every other way
    /// `cvr` is set and after `reset`. The result writers then copy it as one word, with no
    /// check for quotes (`BatchResultWriter.writeCVR`); false only means "not known".
    private(set) var cvrIsDigits = false
    /// Not 0 when the id's and the name's texts are known to hold no quote, no byte at or below CR
    /// (no line break), no byte above 0x7F, and not this byte: the separator of the record they
    /// were read from by the reader's plain loop (`CSVRecord.plainSeparator`), told to
    /// `setIdentity` as the row's first texts. 0 after any other way the id or name is set and
    /// after `reset`. A result writer whose separator is this byte writes them with the formula
    /// guard alone (`BatchResultWriter.writeUnquoted`).
    private(set) var textsPlainFor: UInt8 = 0
    /// `BatchCellReader.cvrIndex` of `cvr` when the binder read it from the cell's bytes, so that
    /// the duplicate check does not read the string again; nil to read it from `cvr`.
    var cvrIndex: Int?
    var fiscalYear: Int?
    var closingDay: Day?
    /// Problems that reject the row under every rule set, as "field: reason".
    var rowErrors: [String] = []
    /// For each rule set, the problems with its inputs.
    var ruleSetErrors: [[String]]
    /// For each rule set, its inputs by input index; nil = missing.
    var values: [[Scalar?]]
    /// With one rule set, its inputs as the program's registers (`Slot`), each what `Program.load`
    /// makes of `values[0]`'s input: written by the binder's straight store
    /// (`CSVRowBinder.readCells(_:number:into:registers:)`) as it reads each cell, so that the
    /// evaluator copies them rather than converting every `Scalar?` again (issue 16). Meaningful
    /// only while `registersBound`; empty with several rule sets. After the row's first decision, a
    /// register file of the evaluator's program that the two trade per row (`RegisterFile`), the
    /// inputs' registers from its `base`.
    var registers: RegisterFile
    /// Whether `registers` holds this row's inputs: set by the straight store, cleared by `reset`,
    /// so that a row bound any other way (a salvaged record, JSON Lines, several rule sets) is
    /// loaded from `values` as before.
    var registersBound = false
    /// Whether an earlier row had the same CVR number and fiscal year.
    var duplicate = false
    /// The firm as read, kept only for JSON Lines, where binding and traces start from it.
    var firm: Firm?
    /// Whether `id`, `cvr` and `name` were read from a record that could not be read whole (the
    /// wrong number of fields, not UTF-8, a quote that never closes): a guess by position, which
    /// the result marks in its `warning` column.
    var identityUnverified = false
    /// The physical lines the row took in the input; more than 1 for a quoted line break, or for a
    /// broken record that swallowed the lines after it.
    var lines = 1
    /// The cells of the carried columns (`BatchLayout.carriedColumns`) as written; empty for a
    /// record that could not be read whole, or from JSON Lines.
    var carried: [String] = []

    init(ruleSets: [RuleSet]) {
        ruleSetErrors = Array(repeating: [], count: ruleSets.count)
        values = ruleSets.map { Array(repeating: nil, count: $0.inputs.count) }
        registers = RegisterFile(slots: ruleSets.count == 1 ? Array(repeating: .unsettled, count: ruleSets[0].inputs.count) : [])
    }

    /// Forgets the previous row, keeping the arrays' storage. Inlined into the binder, where a
    /// call cost its 16 instructions of saved registers per row.
    @inline(__always)
    mutating func reset(number: Int, line: Int) {
        (self.number, self.line) = (number, line)
        (idSpan, nameSpan, cvrSpan, textsUsed) = (.none, .none, .none, 0)
        (cvrIndex, fiscalYear, closingDay) = (nil, nil, nil)
        (cvrIsDigits, textsPlainFor) = (false, 0)
        // Only JSON Lines and traces set the firm: the common row skips destroying an absent one.
        if firm != nil { firm = nil }
        (duplicate, identityUnverified, lines, registersBound) = (false, false, 1, false)
        if !carried.isEmpty { carried.removeAll(keepingCapacity: true) }
        if !rowErrors.isEmpty { rowErrors.removeAll() }
        // Looked at before any is emptied: the loop's writes check the outer array's uniqueness
        // first, per row, even when it empties nothing.
        if ruleSetErrors.contains(where: { !$0.isEmpty }) {
            for index in ruleSetErrors.indices where !ruleSetErrors[index].isEmpty { ruleSetErrors[index].removeAll() }
        }
    }

    /// Trades `texts` with `other`: a writer moves the row's texts out to lend them to a closure
    /// or a call and back, which lending them from an `inout` row costs a retain and a release.
    mutating func exchangeTexts(with other: inout [UInt8]) {
        swap(&texts, &other)
    }

    /// The text at `span` of `texts`, or nil for `TextSpan.none`.
    private func text(_ span: TextSpan) -> String? {
        guard span.start >= 0 else { return nil }
        return texts.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[span.start..<span.end]), as: UTF8.self) }
    }

    /// Copies a text's bytes to the end of `texts` and says where they are.
    private mutating func store(_ value: String?) -> TextSpan {
        guard var value else { return .none }
        return value.withUTF8 { store(bytes: $0) }
    }

    /// Copies bytes to the end of `texts` and says where they are. The storage grows only when a
    /// row's texts are longer than any before; then it is copied, with what is already stored.
    @inline(__always)
    mutating func store(bytes: UnsafeBufferPointer<UInt8>) -> TextSpan {
        let (start, end) = (textsUsed, textsUsed + bytes.count)
        if texts.count < end {
            var grown = [UInt8](repeating: 0, count: Swift.max(end, 2 * texts.count, 256))
            grown.withUnsafeMutableBufferPointer { target in
                texts.withUnsafeBufferPointer { old in _ = target.update(fromContentsOf: old[0..<start]) }
            }
            texts = grown
        }
        if let source = bytes.baseAddress, bytes.count > 0 {
            texts.withUnsafeMutableBufferPointer { target in
                // An id, a CVR number, most names: a few words, not a call to `memcpy`.
                ShortCopy.anyLength(from: source, to: target.baseAddress! + start, count: bytes.count)
            }
        }
        textsUsed = end
        return TextSpan(start: start, end: end)
    }

    /// `setID`, `setName` and `setCVR` in that order, for each text given (nil: not set), with one
    /// check of the storage's room and uniqueness for the three, where each `store` made its own
    /// (about 56 instructions a text). `cvrIsDigits`: the caller has checked that `cvr` is eight
    /// ASCII digits (`CSVRowBinder.plainCVRIndex` read it), which `BatchRow.cvrIsDigits` then says.
    /// `plainFor`: the record's `plainSeparator`, which the row keeps (`textsPlainFor`) when these
    /// are its first texts.
    mutating func setIdentity(
        id: UnsafeBufferPointer<UInt8>?, name: UnsafeBufferPointer<UInt8>?, cvr: UnsafeBufferPointer<UInt8>?,
        cvrIsDigits digits: Bool = false, plainFor: UInt8 = 0
    ) {
        let start = textsUsed
        let end = start + (id?.count ?? 0) + (name?.count ?? 0) + (cvr?.count ?? 0)
        if texts.count < end {
            var grown = [UInt8](repeating: 0, count: Swift.max(end, 2 * texts.count, 256))
            grown.withUnsafeMutableBufferPointer { target in
                texts.withUnsafeBufferPointer { old in _ = target.update(fromContentsOf: old[0..<start]) }
            }
            texts = grown
        }
        var (idAt, nameAt, cvrAt) = (TextSpan.none, TextSpan.none, TextSpan.none)
        texts.withUnsafeMutableBufferPointer { target in
            let base = target.baseAddress.unsafelyUnwrapped
            var at = start
            @inline(__always) func put(_ bytes: UnsafeBufferPointer<UInt8>) -> TextSpan {
                let from = at
                if let source = bytes.baseAddress, bytes.count > 0 {
                    ShortCopy.anyLength(from: source, to: base + from, count: bytes.count)
                }
                at = from + bytes.count
                return TextSpan(start: from, end: at)
            }
            if let id { idAt = put(id) }
            if let name { nameAt = put(name) }
            if let cvr { cvrAt = put(cvr) }
        }
        if id != nil { idSpan = idAt }
        if name != nil { nameSpan = nameAt }
        if let cvr {
            cvrSpan = cvrAt
            cvrIsDigits = digits && cvr.count == 8
        }
        textsPlainFor = start == 0 ? plainFor : 0
        textsUsed = end
    }

    /// Sets the id from a field's bytes.
    mutating func setID(bytes: UnsafeBufferPointer<UInt8>) {
        idSpan = store(bytes: bytes)
        textsPlainFor = 0
    }
    /// Sets the name from a field's bytes.
    mutating func setName(bytes: UnsafeBufferPointer<UInt8>) {
        nameSpan = store(bytes: bytes)
        textsPlainFor = 0
    }
    /// Sets the CVR number from a field's bytes, which must be the number as it is written out.
    mutating func setCVR(bytes: UnsafeBufferPointer<UInt8>) {
        cvrSpan = store(bytes: bytes)
        cvrIsDigits = false
    }

    /// Whether the row cannot be evaluated under the rule set at `index`.
    func isRejected(under index: Int) -> Bool { !rowErrors.isEmpty || !ruleSetErrors[index].isEmpty }

    /// Why the row was rejected under the rule set at `index`: every problem, separated by "; ".
    func rejection(under index: Int) -> String {
        (rowErrors + ruleSetErrors[index]).joinedText(separator: "; ")
    }

    /// Writes a cell's value into an input's slot, as `slot.pointee = value` does. Only a text
    /// holds a reference; any other old value (a number, yes/no, choice, date or missing) leaves
    /// nothing to destroy, so the slot is written over without the outlined destroy of the old
    /// `Scalar?` that an assignment calls for every cell.
    @inline(__always)
    static func put(_ value: consuming Scalar?, into slot: UnsafeMutablePointer<Scalar?>) {
        // Every case named, so that a new kind of value must be placed: one holding a reference
        // belongs with `.text`.
        switch slot.pointee {
        case .text?: slot.pointee = value
        case .number?, .bool?, .choice?, .date?, nil: slot.initialize(to: value)
        }
    }

    /// Checks the fiscal year against the closing date and settles the closing day, as `FirmReader` does.
    /// `unreadableEnd`: the row gives a closing date that cannot be read (rejected for it): then it
    /// has no closing day, rather than the 31 December of its year, which the result would show as
    /// if the firm had given it.
    mutating func settleFiscalYear(end: Day?, unreadableEnd: Bool = false, words: BatchWords) {
        if let year = fiscalYear, let end, end.year != year && end.year != year + 1 {
            rowErrors.append(words.closingDateOutsideYear(end, year))
        }
        closingDay = unreadableEnd ? nil : end ?? fiscalYear.flatMap { Day(year: $0, month: 12, day: 31) }
        if fiscalYear == nil { fiscalYear = closingDay?.year }
    }
}

/// Where one of a row's texts is in `BatchRow.texts`: `start..<end`, or `start` -1 for none.
struct TextSpan: Equatable {
    var start: Int
    var end: Int
    static let none = TextSpan(start: -1, end: -1)
    var count: Int { end - start }
}

/// Reads CSV records into `BatchRow`s using a checked `BatchLayout`.
struct CSVRowBinder {
    let layout: BatchLayout
    let style: NumberStyle
    /// The language of the rejections.
    let words: BatchWords
    /// One slot per reading: the error text when the cell cannot be read.
    private var readErrors: [String?]
    /// The rule set inputs each reading feeds: for reading `r`, the pairs at
    /// `targetStarts[r]..<targetStarts[r + 1]` of `targetRuleSets` and `targetInputs`.
    private let targetStarts: [Int]
    private let targetRuleSets: [Int32]
    private let targetInputs: [Int32]
    /// The rule set inputs that no column holds: missing in every row.
    private let unreadRuleSets: [Int32]
    private let unreadInputs: [Int32]
    /// The readings' hot parts and choices, by reading index (see `BatchReading.Hot`).
    private let hot: [BatchReading.Hot]
    /// Each reading's number fast path, decided once for the style, `--percent` and the guard.
    private let plans: [BatchCellReader.NumberPlan]
    /// Each reading's column and its targets (`first...last` of `targetRuleSets` and
    /// `targetInputs`, none when `last < first`), read together for each cell.
    private let spots: [CellSpot]
    struct CellSpot {
        let column: Int
        let first: Int
        let last: Int
        /// With one rule set, the input the cell feeds when it feeds exactly one (the usual
        /// batch), else -1: `readCells(_:number:into:registers:)` stores its value there itself.
        let only: Int
        let isNumber: Bool
        let isBool: Bool
        /// The cell's usual form, read by one word in `readCells(_:number:into:registers:)` before anything
        /// else is looked at (`general` when it feeds no single input, or has no such form).
        let shape: CellShape
        /// The decimal mark of a `money` cell.
        let mark: UInt8
    }
    /// The usual cell of a reading of one rule set feeding one input, decided once per header:
    /// read from one load of eight bytes when the record has them (`NumberPlan.wordDigits`,
    /// `wordMoney`, `wordPoints`, `BatchCellReader.yesNoWord`). A cell not in that form, or too near the
    /// record's storage's end, is read as before: each of these gives exactly the value the
    /// plan or `yesNo` gives, or declines.
    enum CellShape: UInt8 {
        case general
        /// A plain count (`NumberPlan.wholeOnly`): one to eight digits, the value over 1.
        case count
        /// A plain plan with two decimals at most (money, `min 0 kr` or no bounds): one to
        /// eight digits, the mark and two digits, the value over 100 (0/1 when zero).
        case money
        /// Yes/no.
        case bool
        /// A percent read as points (no `--percent fraction`), its bounds `boundsAreSmall`: one
        /// to eight digits, the value over 100, checked against the bounds.
        case points

        /// The shape of a reading's cell, by its plan (of any reading) and whether it is yes/no.
        init(_ plan: BatchCellReader.NumberPlan, isBool: Bool) {
            if plan.isNumber && plan.boundsAreSmall && plan.plain && plan.wholeOnly {
                self = .count
            } else if plan.isNumber && plan.boundsAreSmall && plan.plain && plan.maxPlaces == 2 {
                self = .money
            } else if plan.isNumber && plan.boundsAreSmall && plan.scalesPercent {
                self = .points
            } else {
                self = isBool ? .bool : .general
            }
        }
    }
    /// Whether a row of one rule set is read by `readCells(_:number:into:registers:)`, which stores each
    /// cell straight into the input it feeds; false reads it as a row of several rule sets is
    /// read, as the tests do to compare the two.
    var storesStraight = true
    /// Whether `readErrors` may hold an error: false after a row with no unreadable cell, so that
    /// the next row's cells read fast need not look at their slots.
    private var readErrorsPending = false
    private let choices: [[String]]
    /// For a detected dialect: what the sniff window showed about the decimal mark, so that an
    /// ambiguous cell such as `3.600` is never read by a guess the file contradicts.
    let decimalGuard: DecimalMarkGuard?
    /// How a percent written without `%` is read (`--percent`); nil refuses one that could be a fraction.
    let percent: PercentReading?
    /// For rows read from a workbook: its sheet, so that a cell's problem names the cell the
    /// caseworker sees (`market_sales (Ark1!E4)`), not only the column.
    var sheetPlace: SheetPlace?
    /// The fiscal year cell of the last row whose cell was four bytes long and read as a year: its
    /// bytes as a little-endian word, with bit 32 set (0 before the first, which no cell is), and
    /// the year `BatchCellReader.year(bytes:)` read from them. A batch's rows nearly always share
    /// their fiscal year: an equal cell is not read again (docs/benchmark.md, "Steps of session 24").
    private var lastYearCell: UInt64 = 0
    private var lastYear = 0
    /// The 31 December of `lastClosingYear`, which `settleFiscalYear` makes the closing day of a
    /// row with a fiscal year and no closing date; nil for a year that has none (`Int.min` before
    /// the first, whose day is nil too).
    private var lastClosingYear = Int.min
    private var lastClosingDay: Day?

    init(
        layout: BatchLayout, style: NumberStyle, language: Language, decimalGuard: DecimalMarkGuard? = nil,
        percent: PercentReading? = nil
    ) {
        self.layout = layout
        self.style = style
        self.percent = percent
        self.decimalGuard = decimalGuard
        words = BatchWords(language)
        hot = layout.readings.map(\.hot)
        plans = layout.readings.map {
            BatchCellReader.NumberPlan($0.hot, style: style, percent: percent, refusingAmbiguous: decimalGuard != nil)
        }
        choices = layout.readings.map(\.choices)
        readErrors = Array(repeating: nil, count: layout.readings.count)
        var starts = [0]
        var ruleSets: [Int32] = []
        var inputs: [Int32] = []
        var unreadRuleSets: [Int32] = []
        var unreadInputs: [Int32] = []
        for reading in layout.readings.indices {
            for (ruleSet, map) in layout.inputReadings.enumerated() {
                for (input, source) in map.enumerated() where source == reading {
                    ruleSets.append(Int32(ruleSet))
                    inputs.append(Int32(input))
                }
            }
            starts.append(ruleSets.count)
        }
        for (ruleSet, map) in layout.inputReadings.enumerated() {
            for (input, source) in map.enumerated() where source < 0 {
                unreadRuleSets.append(Int32(ruleSet))
                unreadInputs.append(Int32(input))
            }
        }
        (targetStarts, targetRuleSets, targetInputs) = (starts, ruleSets, inputs)
        let plans = self.plans
        spots = layout.readings.indices.map { index in
            let reading = layout.readings[index]
            let (first, last) = (starts[index], starts[index + 1] - 1)
            let only = layout.inputReadings.count == 1 && first == last ? Int(inputs[first]) : -1
            return CellSpot(
                column: reading.column, first: first, last: last, only: only, isNumber: reading.kind.isNumber,
                isBool: reading.kind == .bool, shape: only >= 0 ? CellShape(plans[index], isBool: reading.kind == .bool) : .general,
                mark: plans[index].mark)
        }
        (self.unreadRuleSets, self.unreadInputs) = (unreadRuleSets, unreadInputs)
    }

    /// Whether a record has no data at all: an empty line, or only separators, as spreadsheets
    /// leave below a table. Such records are skipped rather than rejected.
    static func isBlank(_ fields: [String]) -> Bool {
        fields.allSatisfy { $0.isEmpty }
    }

    /// `isBlank` of a record, read from its bytes.
    static func isBlank(_ record: CSVRecord) -> Bool { record.isAllEmpty }

    /// The firm-year of a record, as `bind` would set `row.cvr` and `row.fiscalYear` (the CVR number's
    /// index and the year), for a duplicate check made before binding; nil when `bind` would leave
    /// either unset. A parallel batch checks duplicates with it on the reading thread, in input order.
    func duplicateKey(_ record: CSVRecord) -> (cvrIndex: Int, year: Int)? {
        guard record.count == layout.columns.count, let column = layout.cvrColumn, !record.isBlank(column) else { return nil }
        var index: Int?
        if record.withField(column, BatchCellReader.isPlainCVR) {
            index = record.withField(column, BatchCellReader.cvrIndex(bytes:))
        } else if case .success(let cvr) = BatchCellReader.cvr(record[column]) {
            index = BatchCellReader.cvrIndex(cvr)
        }
        guard let index else { return nil }
        var year: Int?
        if let column = layout.fiscalYearColumn, !record.isBlank(column) {
            year =
                record.withField(column, BatchCellReader.year(bytes:))
                ?? BatchCellReader.year(trimming: record[column])
        }
        // Without a readable fiscal year, `settleFiscalYear` takes the year of the closing date.
        if year == nil, let column = layout.fiscalYearEndColumn, !record.isBlank(column) {
            year = CellForms.day(record[column])?.year
        }
        return year.map { (index, $0) }
    }

    /// `BatchCellReader.cvrIndex(bytes:)` of a CVR number written as exactly eight digits with a
    /// valid check digit (`BatchCellReader.isPlainCVR`), nil for any other cell: both from the
    /// eight bytes read as one word, where the two calls cost about 230 instructions a row and a
    /// loop over the bytes about 100. The digits are checked and valued by
    /// `NumberPlan.leadingDigits` (all eight digits, the first not 0: a value of at least 10^7;
    /// the first seven are the value over 10); the check sum with the weights (2, 7, 6, 5, 4, 3,
    /// 2, 1) by two multiplications: the digits at even and at odd places each spread to 16-bit
    /// lanes, first place lowest, and multiplied by their weights in the lanes' reverse order, so
    /// that the top lane collects the weighted sum (no lane of a product exceeds 4 × 9 × 7, so
    /// nothing carries between lanes).
    @inline(__always)
    static func plainCVRIndex(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count == 8, let base = bytes.baseAddress else { return nil }
        let word = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self))
        let (run, value) = BatchCellReader.NumberPlan.leadingDigits(word)
        guard run == 8, value >= 10_000_000 else { return nil }
        let digits = word ^ 0x3030_3030_3030_3030
        let even = digits & 0x00FF_00FF_00FF_00FF
        let odd = (digits &>> 8) & 0x00FF_00FF_00FF_00FF
        // Places 0, 2, 4, 6 weigh 2, 6, 4, 2; places 1, 3, 5, 7 weigh 7, 5, 3, 1.
        let sum = ((even &* 0x0002_0006_0004_0002) &>> 48) &+ ((odd &* 0x0007_0005_0003_0001) &>> 48)
        guard sum % 11 == 0 else { return nil }
        return Int(truncatingIfNeeded: value / 10) &- 1_000_000
    }

    /// A column's name in a problem: with the cell reference when the rows come from a sheet.
    func columnName(_ column: Int, row: BatchRow) -> String {
        columnName(column, number: row.number)
    }

    /// `columnName` for the row of record `number`.
    func columnName(_ column: Int, number: Int) -> String {
        guard let sheetPlace else { return layout.columns[column] }
        return "\(layout.columns[column]) (\(sheetPlace.cell(column: column, record: number)))"
    }

    /// Fills `row` from a record. Every problem is recorded; none stops the batch.
    mutating func bind(_ record: CSVRecord, into row: inout BatchRow) {
        guard bindIdentity(record, into: &row) else { return }
        bindCells(record, into: &row)
    }

    /// The first half of `bind`: resets `row` and binds the identity (carried columns, id, name,
    /// CVR number, fiscal year), so that the one-thread batch can start fetching the duplicate
    /// check's word (`FirmYearSet.prefetch`) before the cells are read. False when the record was
    /// salvaged whole (wrong field count): then the row is bound and `bindCells` must not follow.
    /// Inlined where it is called, so that the record's fields are lent to
    /// `bindIdentity(_:_:into:)` by a closure small enough to be inlined too: the work in a
    /// closure of its own took a second call per row, with its saved registers.
    @inline(__always)
    mutating func bindIdentity(_ record: CSVRecord, into row: inout BatchRow) -> Bool {
        record.withFields { fields in bindIdentity(record, fields, into: &row) }
    }

    /// `bindIdentity(_:into:)` with the record's fields (`CSVRecord.withFields`).
    @inline(never)
    private mutating func bindIdentity(_ record: CSVRecord, _ fields: CSVFields, into row: inout BatchRow) -> Bool {
        row.reset(number: record.number, line: record.line)
        guard record.count == layout.columns.count else {
            let fields = record.fields
            row.rowErrors.append(words.fieldCount(found: fields.count, header: layout.columns.count))
            salvage(CSVSalvage(fields: fields, lines: 1), into: &row)
            return false
        }
        for column in layout.carriedColumns { row.carried.append(record[column]) }
        // The id, name and CVR number are kept as bytes (`BatchRow.texts`), with no `String` made;
        // the fields through one lending of the record's arrays (`CSVRecord.withFields`).
        var yearProblem = false
        var (id, name, cvr): (UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?, UnsafeBufferPointer<UInt8>?)
        if let column = layout.idColumn, !fields.isEmpty(column) { id = fields[column] }
        if let column = layout.nameColumn {
            // Blank as `CSVRecord.isBlank` says: empty, or spaces and tabs only.
            let bytes = fields[column]
            if !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { name = bytes }
        }
        // A plain CVR number (eight digits) is never blank, so it is looked for first.
        var plain: Int?
        if let column = layout.cvrColumn {
            plain = CSVRowBinder.plainCVRIndex(fields[column])
            if plain != nil { cvr = fields[column] }
        }
        // The three texts stored at once, in this order, as `setID`, `setName` and `setCVR` would.
        row.setIdentity(id: id, name: name, cvr: cvr, cvrIsDigits: plain != nil, plainFor: record.plainSeparator)
        if let column = layout.cvrColumn {
            if let plain {
                row.cvrIndex = plain
            } else if !BatchCellReader.isBlank(bytes: fields[column]) {
                switch BatchCellReader.cvr(record[column]) {
                case .success(let valid): row.cvr = valid
                case .failure(let failure):
                    row.rowErrors.append(
                        words.field(sheetPlace == nil ? "cvr" : columnName(column, row: row), failure.text(words.language)))
                }
            }
        }
        if let column = layout.fiscalYearColumn {
            // A blank cell is no year, so the year is looked for first and blankness only after.
            let bytes = fields[column]
            // Four bytes as the last row's four (what `year(bytes:)` reads depends on them
            // alone): its year again.
            let cell: UInt64 =
                bytes.count == 4
                ? UInt64(UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped).loadUnaligned(as: UInt32.self)) | 1 << 32 : 0
            if cell != 0 && cell == lastYearCell {
                row.fiscalYear = lastYear
            } else if let year = BatchCellReader.year(bytes: bytes) {
                row.fiscalYear = year
                if cell != 0 { (lastYearCell, lastYear) = (cell, year) }
            } else if let year = BatchCellReader.year(trimming: record[column]) {
                // Spaces around the year, as around any other cell, are not part of it.
                row.fiscalYear = year
            } else if !BatchCellReader.isBlank(bytes: bytes) {
                row.rowErrors.append(words.badYear(record[column]))
                yearProblem = true
            }
        }
        var end: Day?
        var unreadableEnd = false
        if let column = layout.fiscalYearEndColumn, !record.isBlank(column) {
            end = CellForms.day(record[column])
            if end == nil {
                (yearProblem, unreadableEnd) = (true, true)
                row.rowErrors.append(words.badClosingDate(record[column]))
            }
        }
        if end == nil && !unreadableEnd, let year = row.fiscalYear {
            // `settleFiscalYear` with no closing date given: the 31 December of the year, kept
            // from the last row of the same year rather than made again per row.
            if year != lastClosingYear { (lastClosingYear, lastClosingDay) = (year, Day(year: year, month: 12, day: 31)) }
            row.closingDay = lastClosingDay
        } else {
            row.settleFiscalYear(end: end, unreadableEnd: unreadableEnd, words: words)
        }
        if row.closingDay == nil && !yearProblem {
            row.rowErrors.append(words.yearMissing)
        }
        return true
    }

    /// The second half of `bind`, after `bindIdentity` returned true: reads the record's cells into
    /// the row's inputs. Inlined where it is called, with the row of one rule set read by the
    /// straight store (`readCells(_:number:into:registers:)`) here and any other row by
    /// `bindCellsInGeneral`: as a call of its own around `readCells`, it saved its registers and
    /// passed `readCells`'s arguments again, per row.
    @inline(__always)
    mutating func bindCells(_ record: CSVRecord, into row: inout BatchRow) {
        // Each cell is read once and its value written straight to every rule set input it feeds,
        // through a pointer to the inputs' storage: with one rule set (the usual batch) straight
        // into its array, otherwise into the array of arrays, so that no write checks the outer
        // array's uniqueness (nor, with one rule set, the inner one's).
        let number = row.number
        // The writes through a pointer are not bounds-checked: the row must be made for the
        // layout's rule sets (one check a row where each write used to check).
        precondition(
            row.values.count == layout.inputReadings.count
                && (row.values.count != 1 || row.values[0].count == layout.inputReadings[0].count),
            "a batch row made for other rule sets than its layout")
        let base = row.registers.base
        guard row.values.count == 1 && storesStraight && base >= 0 && row.registers.slots.count - base >= row.values[0].count else {
            return bindCellsInGeneral(record, into: &row)
        }
        var failed = false
        row.values[0].withUnsafeMutableBufferPointer { inputs in
            row.registers.slots.withUnsafeMutableBufferPointer { slots in
                let registers = slots.baseAddress.unsafelyUnwrapped + base
                failed = readCells(record, number: number, into: inputs.baseAddress.unsafelyUnwrapped, registers: registers)
                // The inputs no column holds: missing, and so `.none`.
                for target in unreadInputs.indices { registers[Int(unreadInputs[target])].kind = .none }
            }
        }
        row.registersBound = true
        for target in unreadRuleSets.indices { row.values[Int(unreadRuleSets[target])][Int(unreadInputs[target])] = nil }
        if failed { appendReadErrors(to: &row) }
    }

    /// `bindCells` of a row that the straight store does not read: of several rule sets, or with
    /// `storesStraight` off, each value handed to every input it feeds by `readCells(_:number:store:)`.
    @inline(never)
    private mutating func bindCellsInGeneral(_ record: CSVRecord, into row: inout BatchRow) {
        let number = row.number
        var failed = false
        if row.values.count == 1 {
            row.values[0].withUnsafeMutableBufferPointer { inputs in
                failed = readCells(record, number: number) { _, input, value in
                    BatchRow.put(value, into: inputs.baseAddress.unsafelyUnwrapped + Int(input))
                }
            }
        } else {
            row.values.withUnsafeMutableBufferPointer { sets in
                failed = readCells(record, number: number) { ruleSet, input, value in sets[Int(ruleSet)][Int(input)] = value }
            }
        }
        for target in unreadRuleSets.indices { row.values[Int(unreadRuleSets[target])][Int(unreadInputs[target])] = nil }
        if failed { appendReadErrors(to: &row) }
    }

    /// The row's problems with its cells (`readErrors`), in the order of each rule set's inputs, as
    /// the rejection lists them.
    @inline(never)
    private func appendReadErrors(to row: inout BatchRow) {
        for ruleSet in layout.inputReadings.indices {
            for reading in layout.inputReadings[ruleSet] where reading >= 0 {
                if let error = readErrors[reading] { row.ruleSetErrors[ruleSet].append(error) }
            }
        }
    }

    /// Reads every reading's cell of a bound record and hands each value to `store` once for every
    /// rule set input it feeds (rule set, input, value); records each reading's problem in
    /// `readErrors`. Whether any cell failed. The record's bytes and the readings are looked at
    /// through pointers, so that no reading (with its bounds) is copied per cell.
    @inline(__always)
    private mutating func readCells(_ record: CSVRecord, number: Int, store: (Int32, Int32, consuming Scalar?) -> Void) -> Bool {
        let hot = self.hot
        let pending = readErrorsPending
        var failed = false
        record.bytes.withUnsafeBufferPointer { bytes in
            record.bounds.withUnsafeBufferPointer { bounds in
                hot.withUnsafeBufferPointer { readings in
                    plans.withUnsafeBufferPointer { plans in
                        spots.withUnsafeBufferPointer { spots in
                            targetRuleSets.withUnsafeBufferPointer { ruleSets in
                                targetInputs.withUnsafeBufferPointer { inputs in
                                    // Checked once here, so that the loop's reads need no checks.
                                    precondition(plans.count == readings.count && spots.count == readings.count)
                                    for index in 0..<readings.count {
                                        let spot = spots.baseAddress.unsafelyUnwrapped + index
                                        let column = spot.pointee.column
                                        let (from, to) = (bounds[2 &* column], bounds[2 &* column &+ 1])
                                        let (first, last) = (spot.pointee.first, spot.pointee.last)
                                        // A number in a plain form, the usual cell, as a plain `Exact`
                                        // by the reading's plan: no `Scalar` is made until the input's
                                        // own slot takes it, and after a row with no error a cell
                                        // read so has no error slot to look at.
                                        if spot.pointee.isNumber, to > from,
                                            let number = BatchCellReader.NumberPlan.read(
                                                plans.baseAddress.unsafelyUnwrapped + index, bytes.baseAddress.unsafelyUnwrapped + from,
                                                count: to &- from)
                                        {
                                            if first <= last {
                                                for target in first..<last { store(ruleSets[target], inputs[target], .number(number)) }
                                                store(ruleSets[last], inputs[last], .number(number))
                                            }
                                            if pending && readErrors[index] != nil { readErrors[index] = nil }
                                            continue
                                        }
                                        // A yes/no in one of its words, as `quick` would read it.
                                        if spot.pointee.isBool, to > from,
                                            let flag = BatchCellReader.yesNo(bytes.baseAddress.unsafelyUnwrapped + from, count: to &- from)
                                        {
                                            if first <= last {
                                                for target in first..<last { store(ruleSets[target], inputs[target], .bool(flag)) }
                                                store(ruleSets[last], inputs[last], .bool(flag))
                                            }
                                            if pending && readErrors[index] != nil { readErrors[index] = nil }
                                            continue
                                        }
                                        let cell = UnsafeBufferPointer(rebasing: bytes[from..<to])
                                        let (value, problem) = otherCell(cell, record, index)
                                        // The last input a cell feeds (with one rule set, the only one) takes the
                                        // value itself rather than a copy, so that the loop has no copy to destroy.
                                        if first <= last {
                                            for target in first..<last { store(ruleSets[target], inputs[target], value) }
                                            store(ruleSets[last], inputs[last], consume value)
                                        }
                                        if let problem {
                                            failed = true
                                            readErrors[index] = problemText(problem, column: column, number: number)
                                        } else if readErrors[index] != nil {
                                            readErrors[index] = nil
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Every reading's slot was set or cleared above: with no problem in this row, all are empty.
        readErrorsPending = failed
        return failed
    }

    /// `readCells` for a row of one rule set, whose inputs are at `inputs`: one loop over the
    /// readings' flat `spots`, each number or yes/no cell in a plain form stored straight into
    /// the one input it feeds (`CellSpot.only`); any other cell, and a cell that feeds no input
    /// or several, by `otherCell(_:_:number:into:registers:)`, as `readCells` reads it. Each input
    /// it stores is also written to its register at `registers`, as `Program.load` would make it
    /// from the input (a count or money read by word straight from its digits and scale, a percent
    /// read by word from its `Exact`'s parts, which fit in words, any other number by `Slot.of`).
    /// Whether any cell failed.
    private mutating func readCells(
        _ record: CSVRecord, number: Int, into inputs: UnsafeMutablePointer<Scalar?>, registers: UnsafeMutablePointer<Slot>
    ) -> Bool {
        let pending = readErrorsPending
        var failed = false
        let count = spots.count
        // Checked once here, so that the loop's reads need no checks: every reading's column is
        // one of the record's (`bind` checked its field count against the header's).
        precondition(plans.count == count && readErrors.count == count && record.count == layout.columns.count)
        record.bytes.withUnsafeBufferPointer { bytes in
            let byteCount = bytes.count
            record.bounds.withUnsafeBufferPointer { bounds in
                plans.withUnsafeBufferPointer { plans in
                    spots.withUnsafeBufferPointer { spots in
                        let (cells, edges, rules) = (
                            spots.baseAddress.unsafelyUnwrapped, bounds.baseAddress.unsafelyUnwrapped, plans.baseAddress.unsafelyUnwrapped
                        )
                        var index = 0
                        while index < count {
                            let spot = cells + index
                            let column = spot.pointee.column
                            let (from, to) = (edges[2 &* column], edges[2 &* column &+ 1])
                            // The usual form by one word, when eight bytes from the cell's start
                            // are the record's storage's: a shaped reading feeds one input
                            // (`only`), and its word reads decline an empty cell themselves.
                            if spot.pointee.shape != .general && from &+ 8 <= byteCount {
                                let cell = bytes.baseAddress.unsafelyUnwrapped + from
                                let only = spot.pointee.only
                                switch spot.pointee.shape {
                                case .count:
                                    if let digits = BatchCellReader.NumberPlan.wordDigits(cell, count: to &- from) {
                                        BatchRow.put(.number(Exact(raw: Int128(digits), 1)), into: inputs + only)
                                        // Below 10^8: both parts fit in words.
                                        registers[only] = Slot(numerator: Int64(truncatingIfNeeded: digits), denominator: 1, kind: .number)
                                        if pending && readErrors[index] != nil { readErrors[index] = nil }
                                        index &+= 1
                                        continue
                                    }
                                case .money:
                                    if let cents = BatchCellReader.NumberPlan.wordMoney(cell, count: to &- from, mark: spot.pointee.mark) {
                                        // As the plan makes it: zero is 0/1, anything else the digits over 100.
                                        BatchRow.put(
                                            .number(cents == 0 ? Exact(raw: 0, 1) : Exact(raw: Int128(cents), 100)), into: inputs + only)
                                        // Below 10^10 over 100 (0/1 when zero): both parts fit in words.
                                        registers[only] = Slot(
                                            numerator: Int64(truncatingIfNeeded: cents), denominator: cents == 0 ? 1 : 100, kind: .number)
                                        if pending && readErrors[index] != nil { readErrors[index] = nil }
                                        index &+= 1
                                        continue
                                    }
                                case .bool:
                                    if let flag = BatchCellReader.yesNoWord(cell, count: to &- from) {
                                        BatchRow.put(.bool(flag), into: inputs + only)
                                        registers[only] = .of(flag)
                                        if pending && readErrors[index] != nil { readErrors[index] = nil }
                                        index &+= 1
                                        continue
                                    }
                                case .points:
                                    if let value = BatchCellReader.NumberPlan.wordPoints(rules + index, cell, count: to &- from) {
                                        BatchRow.put(.number(value), into: inputs + only)
                                        // Below 10^8 over 100: both parts fit in words.
                                        registers[only] = Slot(
                                            numerator: Int64(truncatingIfNeeded: value.numerator),
                                            denominator: Int64(truncatingIfNeeded: value.denominator), kind: .number)
                                        if pending && readErrors[index] != nil { readErrors[index] = nil }
                                        index &+= 1
                                        continue
                                    }
                                case .general: break
                                }
                            }
                            let only = spot.pointee.only
                            if only >= 0 && to > from {
                                let cell = bytes.baseAddress.unsafelyUnwrapped + from
                                if spot.pointee.isNumber,
                                    let value = BatchCellReader.NumberPlan.read(rules + index, cell, count: to &- from)
                                {
                                    BatchRow.put(.number(value), into: inputs + only)
                                    // A percent's denominator may not fit (10^18 × 100): `.none` then, as the load makes it.
                                    registers[only] = .of(value)
                                    if pending && readErrors[index] != nil { readErrors[index] = nil }
                                    index &+= 1
                                    continue
                                }
                                if spot.pointee.isBool, let flag = BatchCellReader.yesNo(cell, count: to &- from) {
                                    BatchRow.put(.bool(flag), into: inputs + only)
                                    registers[only] = .of(flag)
                                    if pending && readErrors[index] != nil { readErrors[index] = nil }
                                    index &+= 1
                                    continue
                                }
                            }
                            if otherCell(
                                UnsafeBufferPointer(rebasing: bytes[from..<to]), record, index, number: number, into: inputs,
                                registers: registers)
                            {
                                failed = true
                            }
                            index &+= 1
                        }
                    }
                }
            }
        }
        readErrorsPending = failed
        return failed
    }

    /// A cell of a row of one rule set that `readCells(_:number:into:registers:)` does not store itself:
    /// read by `otherCell` and stored into every input it feeds, each input's register made from it
    /// by `Program.load` itself, its problem recorded or its error slot cleared, as `readCells`
    /// does. Whether it failed. Out of the loop, which stays small.
    @inline(never)
    private mutating func otherCell(
        _ cell: UnsafeBufferPointer<UInt8>, _ record: CSVRecord, _ index: Int, number: Int, into inputs: UnsafeMutablePointer<Scalar?>,
        registers: UnsafeMutablePointer<Slot>
    ) -> Bool {
        let spot = spots[index]
        let (value, problem) = otherCell(cell, record, index)
        if spot.first <= spot.last {
            for target in spot.first..<spot.last { BatchRow.put(value, into: inputs + Int(targetInputs[target])) }
            BatchRow.put(consume value, into: inputs + Int(targetInputs[spot.last]))
            for target in spot.first...spot.last {
                let input = Int(targetInputs[target])
                Program.load(UnsafeBufferPointer(start: inputs + input, count: 1), into: registers + input, count: 1)
            }
        }
        if let problem {
            readErrors[index] = problemText(problem, column: spot.column, number: number)
            return true
        }
        if readErrors[index] != nil { readErrors[index] = nil }
        return false
    }

    /// A cell the loop of `readCells` does not read itself (blank, or in a form its plans
    /// decline): blank, a number or yes/no in a plain form straight from the bytes, any other
    /// cell as text, as it has always been read. Out of the loop, which stays small.
    @inline(never)
    private func otherCell(_ cell: UnsafeBufferPointer<UInt8>, _ record: CSVRecord, _ index: Int) -> (Scalar?, CellError?) {
        switch BatchCellReader.quick(cell, hot[index], style: style, percent: percent, guarded: decimalGuard != nil) {
        case .blank: return (nil, nil)
        case .value(let found): return (found, nil)
        case .text: return read(record, index)
        }
    }

    /// A cell's problem as the rejection words it, naming the column.
    @inline(never)
    private func problemText(_ problem: CellError, column: Int, number: Int) -> String {
        words.field(columnName(column, number: number), problem.text(words.language))
    }

    /// The cell of reading `index` read as text: the decimal-mark guard first, then blank, the
    /// common forms, and `CellReader` for everything else.
    private func read(_ record: CSVRecord, _ index: Int) -> (Scalar?, CellError?) {
        let reading = hot[index]
        let text = record[reading.column]
        if let decimalGuard, reading.kind.isNumber, let refusal = refusal(text, record, decimalGuard, reading.kind) {
            return (nil, refusal)
        }
        guard !BatchCellReader.isBlank(text) else { return (nil, nil) }
        // Only a `one of` cell needs its choices: loading them for every cell would retain
        // and release the array each time.
        let value =
            reading.kind == .choice
            ? choices[index].firstIndex(of: text).map(Scalar.choice)
            : BatchCellReader.fast(text, reading, choices: [], style: style, percent: percent)
        if let value { return (value, nil) }
        switch BatchCellReader.slow(text, layout.readings[index], style: style, percent: percent) {
        case .success(let slow): return (slow, nil)
        case .failure(let failure): return (nil, withDialectHint(failure, text))
        }
    }

    /// Sets a rejected row's id, CVR number and name from what could be read of its record, at the
    /// header's positions, marked as unverified: a caseworker needs them to find the row. A CVR
    /// number is kept only when it is valid, an id or a name only when it is a short single line
    /// (`CSVSalvage.value`). Nothing else of the row is used.
    func salvage(_ salvaged: CSVSalvage?, into row: inout BatchRow) {
        guard let salvaged else { return }
        row.lines = salvaged.lines
        let id = salvaged.value(at: layout.idColumn)
        let name = salvaged.value(at: layout.nameColumn)
        var cvr: String?
        if let text = salvaged.value(at: layout.cvrColumn), case .success(let valid) = BatchCellReader.cvr(text) { cvr = valid }
        guard id != nil || name != nil || cvr != nil else { return }
        (row.id, row.name, row.cvr, row.identityUnverified) = (id, name, cvr, true)
    }

    /// Why an ambiguous number cannot be read in the detected dialect, or nil: the row's own numeric
    /// cells are looked at only when the cell is ambiguous, which keeps the common path free.
    func refusal(_ text: String, _ record: CSVRecord, _ decimalGuard: DecimalMarkGuard, _ kind: BatchReading.Kind) -> CellError? {
        guard DecimalMark.isAmbiguous(text) else { return nil }
        // A count with the dialect's decimal mark is refused whatever the dialect (it has no
        // decimals): the dialect's name would settle nothing, so the count's own refusal is given.
        if kind == .count, let refusal = CellReader.countWithDecimalMark(CellForms.trimmed(text), style: decimalGuard.style) {
            return refusal
        }
        var row = DecimalMarkGuard(style: decimalGuard.style, dialect: decimalGuard.dialect)
        for reading in hot where reading.kind.isNumber { row.observe(record[reading.column]) }
        return decimalGuard.refusal(text, row: row, percent: kind == .percent)
    }

    /// A cell refused in a detected `excel-da` file that a decimal point would read: the message
    /// says which dialect reads it, since the `;` alone does not say how numbers are written.
    func withDialectHint(_ failure: CellError, _ text: String) -> CellError {
        guard decimalGuard?.style == .danishComma, DecimalMark.evidence(text) == .point else { return failure }
        let name = BatchDialect.semicolonPoint.name
        return CellError(
            failure.message + "; if the file writes decimal points, give --dialect \(name)",
            da: failure.danish.map { $0 + "; skriver filen decimalpunktum, så angiv --dialect \(name)" })
    }

    /// What a trace of a bound row needs, for row by row and parallel batches alike. Streamed, the
    /// record's place and the hash of its bytes, returned for the session: the stream writes the
    /// place straight from the columns and no `Firm` is made. Otherwise the `Firm` a full trace
    /// describes, set on the row, and nil. Nil too, with no hash computed, for a row without a
    /// closing day, which has no trace.
    func prepareTrace(
        of record: CSVRecord, _ row: inout BatchRow, streamed: Bool, sourceName: String,
        sha256: () -> String
    ) -> (sha256: String, number: Int, line: Int)? {
        guard let day = row.closingDay else { return nil }
        let hash = sha256()
        if streamed { return (hash, record.number, record.line) }
        row.firm = firm(for: record, row: row, closingDay: day, source: "\(sourceName) row \(record.number)", sha256: hash)
        return nil
    }

    /// The firm a trace describes: its identity and each declared input's cell with its column.
    func firm(for record: CSVRecord, row: BatchRow, closingDay: Day, source: String, sha256: String) -> Firm {
        var fields: [String: Firm.Field] = [:]
        for reading in layout.readings where fields[layout.columns[reading.column]] == nil {
            let name = layout.columns[reading.column]
            let text = reading.column < record.count ? record[reading.column] : ""
            fields[name] = Firm.Field(
                cell: BatchCellReader.isBlank(text) ? .null : .text(text), pointer: name,
                line: record.line, column: reading.column + 1)
        }
        return Firm(
            source: source, sha256: sha256, name: row.name, cvr: row.cvr, fiscalYear: row.fiscalYear,
            closingDay: closingDay, fields: fields)
    }
}

extension BatchLayout {
    /// Where each input of the rule set at `index` came from, for a trace.
    func sources(ruleSet index: Int, firm: Firm) -> [Firm.Field?] {
        inputReadings[index].map { reading in
            reading < 0 ? nil : firm.fields[columns[readings[reading].column]]
        }
    }
}

/// Where a workbook's rows came from, to name a cell as a spreadsheet does (`Ark1!E4`): the CSV
/// made from the sheet keeps its columns in order from A, and record 1 is the header row.
public struct SheetPlace: Sendable, Equatable {
    /// The sheet's name as a reference writes it (quoted when needed).
    public var sheet: String
    /// The sheet row of the header.
    public var headerRow: Int

    public init(sheet: String, headerRow: Int) {
        (self.sheet, self.headerRow) = (sheet, headerRow)
    }

    /// The reference of the cell in a 0-based column of a CSV record.
    func cell(column: Int, record: Int) -> String {
        "\(sheet)!\(XlsxSheetReader.columnName(column + 1))\(record + headerRow - 1)"
    }
}
