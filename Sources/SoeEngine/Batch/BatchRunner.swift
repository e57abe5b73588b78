import SoeLanguage

// Batch evaluation: many firms from CSV or JSON Lines, one result per row and rule set, in input
// order, streamed so that memory stays flat however many rows there are.
//
// The loop is read row → bind to every rule set → evaluate → append the result to a buffer →
// flush the buffer every 256 KiB. What lives across rows is fixed in size: the reader's buffer, one
// `BatchRow` whose arrays are overwritten, one `Evaluator` per rule set, the output buffer, and the
// duplicate check (`FirmYearSet`, sized by fiscal years, not rows). A trace is written only when
// traces are asked for: by default as a `soe-trace-stream/3` row straight into the buffer. A bad row never stops the batch and is never dropped: it becomes a
// `rejected` result with its row number and reason, and the summary's counts must add up.

/// Evaluates a batch of firms under rule sets.
public struct BatchRunner {
    public let ruleSets: [RuleSet]
    public let options: BatchOptions
    /// Output is flushed to the sink when the buffer holds this much: 256 KiB, so that a file of
    /// 234 MB is handed to the writing thread in 900 buffers, written in as many system calls, not
    /// 3,600 of 64 KiB (docs/benchmark.md, "system calls and the writing thread").
    static let flushThreshold = 1 << 18

    /// One `soe-trace-stream/3` writer per rule set when traces are streamed, else none. Built
    /// once here and shared by the session and every worker of `--jobs`: a header is the same for
    /// all of them, and building it (every formula node as JSON) cost more than a short batch.
    let streams: [TraceStreamWriter]

    public init(ruleSets: [RuleSet], options: BatchOptions) {
        self.init(ruleSets: ruleSets, options: options, streams: nil)
    }

    /// `streams`: the writers of another runner over the same rule sets (a workbook's rows), or nil
    /// to build them.
    init(ruleSets: [RuleSet], options: BatchOptions, streams: [TraceStreamWriter]?) {
        self.ruleSets = ruleSets
        var options = options
        if options.outputFormat == .record {
            // A record holds the whole trace, built from the row's firm; records are made row by row.
            (options.traces, options.traceFormat, options.jobs) = (true, .full, 1)
        }
        self.options = options
        let streamed = options.traces && options.traceFormat == .stream && options.outputFormat == .jsonl
        var made = !streamed ? [] : streams ?? ruleSets.map { TraceStreamWriter(ruleSet: $0, engineVersion: SoeVersion.current) }
        for index in made.indices { made[index].asOf = options.asOf }
        self.streams = made
    }

    /// Reads every row of `source`, writes the results to `sink`, and says how the batch ended.
    public func run<Source: ByteSource>(_ source: Source, to sink: BatchSink, hooks: BatchHooks = BatchHooks()) -> BatchEnd {
        let failure = ReadFailure()
        // The first bytes say whether the input is of the kind asked for at all: a compressed file,
        // UTF-16 text, or a JSON array given as JSON Lines is refused whole, with what it is.
        // A CSV batch of one evaluating thread reads a regular file ahead on a thread of its own
        // (ReadAheadSource.swift); `--jobs` reads a regular file in chunks on its workers instead.
        let ahead = options.inputFormat == .csv && options.jobs <= 1 ? options.readAhead : .never
        let sniffed = SniffedSource(
            FailureRecordingSource(source: ReadAheadSource(ErasedSource(source), policy: ahead), failure: failure))
        switch options.inputFormat {
        case .csv:
            if let finding = InputSniffer.container(sniffed.head, what: "CSV", whole: false) { return .notBatchInput(finding) }
            // Windows-1252, as spreadsheets save "CSV" with Western European settings, is decoded;
            // the first failure of the decoding (a byte of neither encoding) ends the batch.
            let decoded = TextEncodingSource(sniffed, language: options.language, notice: hooks.encoding)
            return runCSV(
                FailureRecordingSource(source: decoded, failure: failure), failure, sink, hooks,
                byteOrderMark: Self.windows1252(head: sniffed.head))
        case .jsonl:
            if let finding = InputSniffer.container(sniffed.head, what: "JSON Lines", whole: false) ?? InputSniffer.jsonLines(sniffed.head)
            {
                return .notBatchInput(finding)
            }
            return runJSONLines(sniffed, failure, sink, hooks)
        case .xlsx:
            return runWorkbook(sniffed, failure, sink, hooks)
        }
    }

    /// `byteOrderMark`: whether CSV results get a byte-order mark though the input had none: for a
    /// Windows-1252 input (`windows1252(head:)`) and a workbook's rows. `resultSeparator`: the CSV
    /// results' separator where it is not the input's (a workbook's rows, which are read as
    /// `rfc4180`).
    func runCSV<Source: ByteSource>(
        _ source: Source, _ failure: ReadFailure, _ sink: BatchSink,
        _ hooks: BatchHooks, byteOrderMark: Bool = false, resultSeparator: UInt8? = nil
    ) -> BatchEnd {
        var reader = CSVReader(source: source, dialect: options.dialect?.csv)
        let header: [String]
        switch reader.next() {
        case nil:
            if let message = failure.message { return .inputFailed(message, BatchSummary(ruleSets: ruleSets)) }
            return .headerRejected([
                BatchHeaderError(
                    column: 0,
                    message:
                        "the input is empty; a batch CSV starts with a header row that names its columns",
                    danish: "inputtet er tomt; en batch-CSV begynder med en overskriftsrække, der navngiver kolonnerne")
            ])
        case .failure(let error)?:
            if let message = failure.message { return .inputFailed(message, BatchSummary(ruleSets: ruleSets)) }
            return .headerRejected([
                BatchHeaderError(
                    column: 0, message: BatchWords(.english).broken(error),
                    danish: BatchWords(.danish).broken(error))
            ])
        case .success(let record)?:
            header = record.fields
        }
        let separator = reader.dialect?.separator ?? CSVDialect.rfc4180.separator
        let dialect = options.dialect ?? BatchDialect.forSeparator(separator)
        hooks.dialect(BatchDialectReport(dialect: dialect, detected: options.dialect == nil, byteOrderMark: reader.hadByteOrderMark))
        let layout: BatchLayout
        switch BatchLayout.check(header: header, ruleSets: ruleSets, otherInputs: options.otherInputs) {
        case .failure(let errors): return .headerRejected(errors.errors)
        case .success(let checked): layout = checked
        }
        // `soe diff` writes rows of changes, which carry no columns of the caseworker's own.
        let carried = options.diff == nil ? layout.carriedNotice : layout.uncarriedNotice
        let notes = layout.unusedColumns + (carried.map { [$0] } ?? [])
        if !notes.isEmpty { hooks.headerWarnings(notes) }
        var decimalGuard: DecimalMarkGuard?
        if options.dialect == nil {
            let (sniffed, notice) = DecimalMarkGuard.sniffed(reader.lookAhead(), layout: layout, dialect: dialect)
            decimalGuard = sniffed
            if let notice { hooks.headerWarnings([notice]) }
        }
        var binder = CSVRowBinder(
            layout: layout, style: dialect.numbers, language: options.language, decimalGuard: decimalGuard, percent: options.percent)
        binder.sheetPlace = options.sheetPlace
        if let skipped = Self.skipTemplateDescriptions(&reader, layout: layout, ruleSets: ruleSets) { hooks.headerWarnings([skipped]) }
        var session = BatchSession(
            ruleSets: ruleSets, options: options, separator: resultSeparator ?? separator, firm: ResultFirmColumns(layout: layout),
            streams: streams
        ) { index, firm in
            layout.sources(ruleSet: index, firm: firm)
        }
        if !session.streams.isEmpty {
            session.csvPlaces = ruleSets.indices.map { index in
                TraceStreamWriter.CSVPlaces(
                    columns: layout.inputReadings[index].map { $0 < 0 ? nil : layout.readings[$0].column },
                    names: layout.columns, sourceName: options.sourceName)
            }
        }
        session.recordHooks = hooks
        session.summary.missingColumns = layout.missingInputNames
        // The results keep the input's byte-order mark; a Windows-1252 input (Excel's and
        // LibreOffice's plain "CSV") and a workbook get one too, so that the same programs, which
        // read UTF-8 without a mark as their code page, show the results' æøå as they showed the
        // input's. Danish results always get one: their column names and texts have æøå
        // (`Række`, `Ordinær virksomhed`) whatever the input had, and they are read by people in
        // a spreadsheet program, as the Danish template is (docs/formats.md, "CSV dialect").
        session.start(byteOrderMark: reader.hadByteOrderMark || byteOrderMark || options.language == .danish)
        if options.jobs > 1 {
            // A regular file is read in chunks by the workers themselves; anything else by one thread.
            if let file = chunkableFile(reader, failure) {
                return runInChunks(
                    reader, file: file, failure, sink, hooks, layout: layout, style: dialect.numbers, decimalGuard: decimalGuard,
                    session: &session)
            }
            return runInParallel(
                &reader, failure, sink, hooks, layout: layout, style: dialect.numbers, decimalGuard: decimalGuard, session: &session)
        }
        var row = BatchRow(ruleSets: ruleSets)
        // One record from row to row, whose arrays the reader trades with its own: no reference
        // counting per record (`CSVReader.next(into:)`).
        var record = CSVRecord(fields: [], line: 0, number: 0)
        while let step = reader.next(into: &record) {
            if let message = failure.message { return session.end(.inputFailed(message, session.summary), sink) }
            switch consume step {
            case .failure(let error):
                row.reset(number: error.number, line: error.line)
                row.rowErrors.append(session.words.broken(error))
                binder.salvage(reader.salvaged, into: &row)
            case .record:
                if CSVRowBinder.isBlank(record) {
                    session.summary.blankRowsSkipped += 1
                    continue
                }
                // The duplicate check's word is fetched while the cells are read (`FirmYearSet.prefetch`).
                if binder.bindIdentity(record, into: &row) {
                    session.duplicates.prefetch(row)
                    binder.bindCells(record, into: &row)
                }
                if options.traces {
                    session.csvRecord = binder.prepareTrace(
                        of: record, &row, streamed: !session.csvPlaces.isEmpty,
                        sourceName: options.sourceName
                    ) {
                        reader.withLastRecordBytes { SHA256.hex(Array($0)) }
                    }
                }
            }
            if let problems = options.rowProblems[row.number] { row.rowErrors += problems.map { $0.text(options.language) } }
            if let end = session.process(&row, sink: sink, hooks: hooks) { return end }
        }
        if let message = failure.message { return session.end(.inputFailed(message, session.summary), sink) }
        return session.end(.finished(session.summary), sink)
    }

    private func runJSONLines<Source: ByteSource>(
        _ source: Source, _ failure: ReadFailure, _ sink: BatchSink,
        _ hooks: BatchHooks
    ) -> BatchEnd {
        var reader = JSONLinesReader(source: source)
        var binder = JSONLinesBinder(
            ruleSets: ruleSets, knownInputs: Set(ruleSets.flatMap { $0.inputs.map(\.name) }),
            sourceName: options.sourceName, hashLines: options.traces,
            words: BatchWords(options.language))
        binder.percent = options.percent
        let ruleSets = self.ruleSets
        var session = BatchSession(
            ruleSets: ruleSets, options: options, separator: CSVDialect.rfc4180.separator, streams: streams
        ) { index, firm in
            guard case .success(let bound) = firm.bind(to: ruleSets[index], percent: options.percent) else { return [] }
            return bound.sources
        }
        session.recordHooks = hooks
        session.start(byteOrderMark: options.language == .danish)
        var row = BatchRow(ruleSets: ruleSets)
        while let item = reader.next() {
            switch item {
            case .failed(let error, _):
                return session.end(.inputFailed("could not read input: \(error.message)", session.summary), sink)
            case .tooLong(let number, let limit):
                row.reset(number: number, line: number)
                row.rowErrors.append(session.words.lineTooLong(limit))
            case .line(let bytes, let number):
                if JSONLinesBinder.isBlank(bytes) {
                    session.summary.blankRowsSkipped += 1
                    continue
                }
                binder.bind(bytes, number: number, into: &row)
            }
            if let end = session.process(&row, sink: sink, hooks: hooks) { return end }
        }
        return session.end(.finished(session.summary), sink)
    }
}

/// The state of one batch run: evaluators, the output buffer, the counts and the duplicate check.
struct BatchSession {
    let ruleSets: [RuleSet]
    let options: BatchOptions
    /// The language of the reasons and the warning.
    let words: BatchWords
    var evaluators: [Evaluator]
    var writer: BatchResultWriter
    /// The buffer's size at which `process` flushes it, or first gives it its full room
    /// (`flushOrGrow`): half the first room, then `BatchRunner.flushThreshold`.
    var flushAt = BatchResultWriter.firstRoom / 2
    var summary: BatchSummary
    var duplicates = FirmYearSet()
    /// Where each input of a rule set came from, for traces.
    let traceSources: (Int, Firm) -> [Firm.Field?]
    /// One `soe-trace-stream/3` writer per rule set when traces are streamed, else none.
    let streams: [TraceStreamWriter]
    /// With streamed traces from CSV: where each rule set's inputs come from, and the current
    /// record's hash, number and line (nil when it has no trace).
    var csvPlaces: [TraceStreamWriter.CSVPlaces] = []
    var csvRecord: (sha256: String, number: Int, line: Int)?
    /// With records: where rejections go, and the records when they are not written.
    var recordHooks = BatchHooks()
    /// With `BatchOptions.diff`: writes the changed firms.
    var diffWriter: DiffRowWriter?
    /// Whether a row's register file is traded with the evaluator (`RegisterFile`) rather than its
    /// inputs' registers copied: on one thread only, where there are two files, the row's and the
    /// evaluator's. With `--jobs 2` every row of the chunks in flight (about 1,400) would hold a
    /// whole register file, 4.7 MB more for the limit's rule set and more for a larger one.
    let tradesRegisterFiles: Bool

    /// `streams`: the runner's writers (`BatchRunner.streams`), empty when traces are not streamed.
    init(
        ruleSets: [RuleSet], options: BatchOptions, separator: UInt8, firm: ResultFirmColumns = .standard,
        streams: [TraceStreamWriter], traceSources: @escaping (Int, Firm) -> [Firm.Field?]
    ) {
        self.ruleSets = ruleSets
        self.options = options
        words = BatchWords(options.language)
        tradesRegisterFiles = options.jobs <= 1
        // With traces (and so records) every node's value is written for every firm: the program
        // then computes the nodes a fused operation passes over too, rather than leave them to
        // `evaluate(_:)`, as `RecordVerifier` and `RuleTestRunner` do for their traces.
        evaluators = ruleSets.map { Evaluator(ruleSet: $0, compiled: true, fusing: !options.traces) }
        writer = BatchResultWriter(
            ruleSets: ruleSets, format: options.outputFormat, separator: separator,
            language: options.language, borderline: options.borderline, layout: options.layout, firm: firm,
            longPiecesWhenWide: options.longPiecesWhenWide, keptSlotBudget: options.keptSlotBudget)
        writer.plainRows = options.plainResultRows
        summary = BatchSummary(ruleSets: ruleSets)
        self.traceSources = traceSources
        self.streams = streams
        if options.jobs > 1 {
            // The sessions of a batch on several threads write chunks of hundreds of rows and hand
            // their buffers on (`BatchChunkRelay`, `BatchParallel`): the full room from the start,
            // as before, not grown by doubling in each worker.
            writer.bytes.reserveCapacity(BatchResultWriter.flushRoom)
            flushAt = BatchRunner.flushThreshold
        }
        if let setup = options.diff {
            let tally = DiffTally(old: Array(ruleSets.prefix(setup.pairs)), new: Array(ruleSets.dropFirst(setup.pairs)))
            diffWriter = DiffRowWriter(format: setup.format, separator: separator, language: options.language, tables: tally.tables)
            summary.diff = tally
        }
    }

    /// The stream's header lines, when traces are streamed; written before the first result.
    mutating func start(byteOrderMark: Bool) {
        if let diffWriter {
            diffWriter.header(into: &writer.bytes)
            return
        }
        writer.header(byteOrderMark: byteOrderMark)
        writer.traceHeaders(streams, csv: csvPlaces)
    }

    /// Evaluates one row under every rule set and writes its results. Returns how the batch ends
    /// when it must stop here (output failure, interruption), nil to go on. Inlined into the
    /// row's loop: as a call, it saved its registers and wrote its optional result (an ending,
    /// 104 bytes) through memory for every row, to be tested by the loop.
    @inline(__always)
    mutating func process(_ row: inout BatchRow, sink: BatchSink, hooks: BatchHooks) -> BatchEnd? {
        // The duplicate check waits for the first rule set's verdict (`evaluate(_:marking:)`).
        evaluate(&row, marking: true)
        if writer.bytes.count >= flushAt, let error = flushOrGrow(sink) {
            return .outputFailed(error, summary)
        }
        if summary.rowsRead % 256 == 0 {
            if summary.rowsRead % BatchHooks.progressInterval == 0 { hooks.progress(summary.rowsRead) }
            if hooks.shouldStop() { return end(.interrupted(summary), sink) }
        }
        return nil
    }

    /// Flags a row whose CVR number and fiscal year an earlier row had. Rows must come in input order.
    mutating func markDuplicate(_ row: inout BatchRow) {
        if let key = BatchSession.firmYear(of: row) { row.duplicate = isDuplicate(cvrIndex: key.cvrIndex, year: key.year) }
    }

    /// The firm-year a bound row is checked for duplicates by, row by row and in chunks alike: the
    /// index the binder read from the cell's bytes, else the CVR number's (a `String` made only for
    /// a number that was not written as eight plain digits, or read from JSON), with the fiscal year.
    @inline(__always)
    static func firmYear(of row: BatchRow) -> (cvrIndex: Int, year: Int)? {
        guard let year = row.fiscalYear, let index = row.cvrIndex ?? row.cvr.flatMap(BatchCellReader.cvrIndex) else { return nil }
        return (index, year)
    }

    /// Records a firm-year, counts it when an earlier row had it, and says whether one did.
    mutating func isDuplicate(cvrIndex: Int, year: Int) -> Bool {
        let seen = duplicates.insert(cvrIndex: cvrIndex, year: year)
        if seen { summary.duplicates += 1 }
        summary.duplicateCheckIncomplete = duplicates.overflowed
        return seen
    }

    /// Evaluates one bound row under every rule set, appends its results to the writer's buffer and
    /// counts them. `marking`: the row is also checked for duplicates (`markDuplicate`), as late as
    /// its results allow: after the first rule set's verdict, before anything is written. The check's
    /// word (`FirmYearSet.prefetch`, asked for when the row's identity was bound) is then read after
    /// the cells and the decision rather than before the decision, so that a cache miss on the 1.1 MB
    /// map has that much longer to be served. Rows evaluated in chunks were checked by the relay.
    /// Inlined into `process` and the chunks' loops: a call saved its registers per row.
    @inline(__always)
    mutating func evaluate(_ row: inout BatchRow, marking: Bool = false) {
        if let setup = options.diff {
            if marking { markDuplicate(&row) }
            evaluateDiff(&row, setup: setup)
            return
        }
        summary.rowsRead += 1
        let rejected = evaluateRuleSets(&row, marking: marking)
        // Only the wide layout ends a row; asked here, the call does not copy the row for nothing.
        if writer.isWide { writer.endRow(&row) }
        if rejected { summary.rowsRejected += 1 }
        if rejected && row.lines > 1 {
            summary.multiLineRejected += 1
            summary.multiLineRejectedLines += row.lines
        }
        // Assigned only when set: dropping even a nil value calls the runtime's release, per row.
        if csvRecord != nil { csvRecord = nil }
    }

    /// `evaluate(_:)` under every rule set. Returns whether the row was rejected under any.
    private mutating func evaluateRuleSets(_ row: inout BatchRow, marking: Bool) -> Bool {
        var rejected = false
        var marking = marking
        for index in ruleSets.indices {
            guard !row.isRejected(under: index), let closing = row.closingDay else {
                if marking {
                    markDuplicate(&row)
                    marking = false
                }
                rejected = true
                writeRejected(&row, ruleSet: index)
                continue
            }
            let day = options.asOf ?? closing
            // The row's array goes to the evaluator, which hands back its previous one: from here on
            // the firm's inputs are `evaluators[index].inputs`.
            // A row bound by the straight store brings its inputs' registers too (`BatchRow.registers`),
            // in a register file that it trades with the evaluator.
            assert(
                !row.registersBound
                    || row.registers.slots.withUnsafeBufferPointer { slots in
                        slots.baseAddress.map { Program.registersMatch(row.values[index], $0 + row.registers.base) } ?? true
                    },
                "a row's registers no longer stand for its inputs: an input was written after binding")
            let outcome: Int
            if row.registersBound && tradesRegisterFiles {
                outcome = evaluators[index].programOutcome(taking: &row.values[index], file: &row.registers, on: day)
            } else if row.registersBound {
                let base = row.registers.base
                outcome = row.registers.slots.withUnsafeBufferPointer { slots in
                    evaluators[index].programOutcome(taking: &row.values[index], registers: slots.baseAddress.map { $0 + base }, on: day)
                }
            } else {
                outcome = evaluators[index].programOutcome(taking: &row.values[index], registers: nil, on: day)
            }
            if marking {
                markDuplicate(&row)
                marking = false
            }
            // The common case: decided by the program, no trace. It is what the general path below
            // does for it (status determined, no reason, no trace), without making a `Decision`,
            // whose box the runtime releases when it is dropped, even when there is none. Taken
            // with the plain result rows, so that turning those off (`BatchOptions.plainResultRows`,
            // as tests do) runs the general path alone.
            if outcome >= 0, writer.plainRows, !options.traces, csvPlaces.isEmpty {
                writer.decided(&row, ruleSet: index, outcome: outcome, evaluator: &evaluators[index])
                summary.count(.determined, outcome: outcome, ruleSet: index)
                continue
            }
            writeGeneral(&row, ruleSet: index, outcome: outcome, day: day, closing: closing)
        }
        if marking { markDuplicate(&row) }
        return rejected
    }

    /// A row rejected under a rule set: its result (or its record's rejection) and its count. Out
    /// of line, as is `writeGeneral`, so that the common row's loop keeps a small frame.
    @inline(never)
    private mutating func writeRejected(_ row: inout BatchRow, ruleSet index: Int) {
        let reason = row.isRejected(under: index) ? row.rejection(under: index) : words.yearMissing
        if options.outputFormat == .record {
            recordHooks.rejected(BatchRejection(place: place(of: row), ruleSet: ruleSets[index].name, reason: reason))
            summary.count(.rejected, outcome: nil, ruleSet: index)
            return
        }
        writer.rejected(row, ruleSet: index, reason: reason)
        summary.count(.rejected, outcome: nil, ruleSet: index)
    }

    /// Everything but the common case of `evaluateRuleSets`: a row the program did not decide
    /// (`outcome` -1, the decision then made by `Evaluator.undecided(on:)`), traces, records, plain
    /// result rows turned off. Writes the row's result under the rule set and counts it.
    @inline(never)
    private mutating func writeGeneral(_ row: inout BatchRow, ruleSet index: Int, outcome: Int, day: Day, closing: Day) {
        let decision = evaluators[index].decision(after: outcome, on: day)
        if options.traces { evaluators[index].settleEverything() }
        let status: BatchStatus
        var reason: String?
        if decision.notInForceOn != nil {
            status = .notInForce
            reason = words.notInForce(ruleSets[index], day, asOf: options.asOf != nil)
        } else if decision.isDetermined {
            status = .determined
        } else {
            status = .undetermined
            if !decision.problems.isEmpty {
                reason = decision.problems.map { words.problem($0, ruleSets[index]) }.joinedText(separator: "; ")
            }
        }
        var trace: JSONOutput?
        if !csvPlaces.isEmpty, let record = csvRecord {
            writer.result(
                &row, ruleSet: index, status: status, decision: decision, evaluator: &evaluators[index],
                reason: reason, trace: nil, open: true)
            streams[index].appendRow(
                into: &writer.bytes, inPlace: &evaluators[index], decision: decision,
                places: csvPlaces[index], number: record.number, line: record.line,
                sha256: record.sha256, name: row.name, cvr: row.cvr, fiscalYear: row.fiscalYear,
                // The firm's own closing date, as the full trace gives it; an `--as-of` day is
                // the evaluation's, which the row states only where it decides (not in force).
                closingDay: closing)
            writer.closeResult()
            summary.count(status, outcome: decision.outcome, ruleSet: index)
            return
        }
        if options.traces, let firm = row.firm {
            let sources = traceSources(index, firm)
            if !streams.isEmpty {
                writer.result(
                    &row, ruleSet: index, status: status, decision: decision, evaluator: &evaluators[index],
                    reason: reason, trace: nil, open: true)
                streams[index].appendRow(
                    into: &writer.bytes, evaluator: evaluators[index], decision: decision,
                    firm: firm, bound: BoundInputs(values: evaluators[index].inputs, sources: sources))
                writer.closeResult()
                summary.count(status, outcome: decision.outcome, ruleSet: index)
                return
            }
            let bound = BoundInputs(values: evaluators[index].inputs, sources: sources)
            if let handOver = recordHooks.rowBound {
                // One row decided as one firm: its firm and inputs, for the caller to evaluate.
                handOver(place(of: row), index, firm, bound)
                summary.count(status, outcome: decision.outcome, ruleSet: index)
                return
            }
            var built = TraceBuilder.build(
                evaluator: evaluators[index], decision: decision, firm: firm, bound: bound,
                engineVersion: SoeVersion.current)
            if options.recordsPercent { built.percentReading = options.percent }
            built.asOf = options.asOf
            if options.outputFormat == .record {
                let (record, line) = DecisionRecord.sealedLine(DecisionRecord.body(built, batch: place(of: row)))
                if let made = recordHooks.recordMade {
                    made(record, line, place(of: row))
                } else {
                    writer.bytes.append(contentsOf: line)
                    writer.bytes.append(0x0A)
                }
                summary.count(status, outcome: decision.outcome, ruleSet: index)
                return
            }
            trace = JSONTraceRenderer.document(built)
        }
        writer.result(
            &row, ruleSet: index, status: status, decision: decision, evaluator: &evaluators[index],
            reason: reason, trace: trace)
        summary.count(status, outcome: decision.outcome, ruleSet: index)
    }

    /// The row's place in the batch, for its record.
    func place(of row: BatchRow) -> BatchPlace {
        BatchPlace(source: options.sourceName, row: row.number, line: row.line, id: row.id)
    }

    /// Writes what is buffered (whole results only) and returns `end`, or the output failure.
    mutating func end(_ end: BatchEnd, _ sink: BatchSink) -> BatchEnd {
        assert(summary.isBalanced, "batch counts do not add up to the rows read")
        if case .finished = end { writer.footer() }
        if let error = flushLast(sink) { return .outputFailed(error, summary) }
        return end
    }

    /// The last buffer, handed to the sink as it is and not emptied for more: nothing follows it.
    /// `write(emptying:)` to a sink that keeps the buffer (`BackgroundSink` before its thread
    /// starts: the only buffer of a batch of a few hundred rows) made a new buffer of the same room
    /// in its place, 320 KB from `mmap`, only to free it again (docs/benchmark.md, "Steps of wave 3,
    /// session 13: cold start, system calls").
    mutating func flushLast(_ sink: BatchSink) -> ToolError? {
        guard !writer.bytes.isEmpty else { return nil }
        let last = writer.bytes
        writer.bytes = []
        return sink.write(last)
    }

    /// At `flushAt` bytes, between rows: the first time (a batch of more than a few rows), the
    /// buffer gets room for a flush's worth at once (`BatchResultWriter.flushRoom`), so that it
    /// does not grow by doubling from its first room; from then on it is flushed at
    /// `BatchRunner.flushThreshold`, as before.
    mutating func flushOrGrow(_ sink: BatchSink) -> ToolError? {
        guard flushAt == BatchRunner.flushThreshold else {
            writer.bytes.reserveCapacity(BatchResultWriter.flushRoom)
            flushAt = BatchRunner.flushThreshold
            return nil
        }
        return flush(sink)
    }

    mutating func flush(_ sink: BatchSink) -> ToolError? {
        guard !writer.bytes.isEmpty else { return nil }
        // Swapped for an empty buffer: a writing thread hands back one it wrote (BackgroundSink).
        return sink.write(emptying: &writer.bytes)
    }

}

/// The first read error of a batch's input, shared by reference because the source is inside the reader.
final class ReadFailure {
    var message: String?
}

/// The caller's source behind an existential, so that the batch's reader and its loop are of one
/// type whatever the source is. `run` is public and generic: the command line, in another module,
/// calls its unspecialized body, which ran the reader (`CSVReader.next(into:)`, its fields at
/// offsets read from the type's metadata) and `runCSV`'s row loop unspecialized too, about 100
/// instructions a row (docs/benchmark.md, "Steps of session 26"). Only the reads that pass the ring
/// (a short file's, a pipe's, the first ones) go through the existential, one call each.
struct ErasedSource: ByteSource {
    var source: any ByteSource

    init(_ source: some ByteSource) {
        self.source = source
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try source.read(into: buffer)
    }

    mutating func lend(_ buffer: inout [UInt8], keeping: Range<Int>, ask: Int) throws -> Range<Int>? {
        try source.lend(&buffer, keeping: keeping, ask: ask)
    }

    var positional: PositionalFile? { source.positional }
}

/// Passes reads through and remembers the first failure, so that a disk error ends the batch with
/// an I/O error instead of looking like one bad row.
struct FailureRecordingSource<Source: ByteSource>: ByteSource {
    var source: Source
    let failure: ReadFailure

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        do {
            return try source.read(into: buffer)
        } catch {
            if failure.message == nil { failure.message = "could not read input: \(error)" }
            throw error
        }
    }

    mutating func lend(_ buffer: inout [UInt8], keeping: Range<Int>, ask: Int) throws -> Range<Int>? {
        do {
            return try source.lend(&buffer, keeping: keeping, ask: ask)
        } catch {
            if failure.message == nil { failure.message = "could not read input: \(error)" }
            throw error
        }
    }
}

extension FailureRecordingSource {
    var positional: PositionalFile? { source.positional }
}

extension BatchRunner {
    /// A filled-in template saved as CSV keeps the template's row of descriptions, which is no firm:
    /// read past it, with the notice that says so; nil (and nothing read) when row 2 is a firm.
    /// Batches and rule tests alike.
    static func skipTemplateDescriptions<Source: ByteSource>(
        _ reader: inout CSVReader<Source>, layout: BatchLayout, ruleSets: [RuleSet]
    ) -> BatchHeaderWarning? {
        guard let second = reader.lookAhead(atLeast: 1).first,
            SheetTemplate.isDescriptionRow(second, columns: layout.columns, ruleSets: ruleSets)
        else { return nil }
        _ = reader.next()
        return BatchHeaderWarning(
            column: 0,
            message: "row 2 holds the template's descriptions of the columns; it is skipped",
            danish: "række 2 rummer skabelonens beskrivelser af kolonnerne; den springes over")
    }

    /// Whether the first bytes of a CSV batch (its sniffed head: the first read, 4 KiB of a file,
    /// or what came with the header line from a pipe) show it to be Windows-1252: their first byte
    /// above 0x7F starts no UTF-8 sequence and is one Windows-1252 defines, as `TextEncodingSource`
    /// decides when it meets that byte. False for ASCII so far, for UTF-8, and where the head ends
    /// inside a sequence.
    static func windows1252(head: [UInt8]) -> Bool {
        guard let first = head.firstIndex(where: { $0 >= 0x80 }) else { return false }
        if TextEncodingSource<ArraySource>.utf8Sequence(head[first...]) > 0 { return false }
        // A lead byte (0xC2 to 0xF4) whose sequence the head cuts short may still be UTF-8.
        if head.count - first < 4, (0xC2...0xF4).contains(head[first]), head[(first + 1)...].allSatisfy({ $0 & 0xC0 == 0x80 }) {
            return false
        }
        return InputSniffer.windows1252(head[first]) != nil
    }
}
