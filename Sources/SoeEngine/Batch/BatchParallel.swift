// A CSV batch on several threads (`BatchOptions.jobs` > 1), with the same output, byte for byte,
// as row by row.
//
// Reading stays on one thread: a CSV record can only be found after the one before it. The batch
// goes in rounds of `jobs` blocks of `blockSize` consecutive records. The reading thread reads a
// round and checks each record's firm-year against the earlier ones, in input order, with
// `CSVRowBinder.duplicateKey` (what `bind` will make of the CVR number and fiscal year). Then the
// workers take one block each and bind, evaluate and format it into their own buffers, with
// their own evaluators and counts, while the reading thread writes the previous round's results
// to the sink, in block order, and reads the next round. A round's counts are added to the
// batch's when it is done. So
// results stay in input order, the duplicate check sees the rows in input order, and what a
// worker writes depends only on its rows, never on timing. Memory stays flat: each worker keeps
// `blockSize` rows and one buffer, reused from round to round, and two rounds of records exist at
// a time.

import Dispatch
import SoeLanguage

/// One thread's share of a parallel batch: its own binder, rows, evaluators, writer and counts.
struct BatchWorker {
    var binder: CSVRowBinder
    var session: BatchSession
    var rows: [BatchRow]
    /// This round's records, each with whether an earlier row had its firm-year.
    var items: [Item] = []
    /// With chunks (`runInChunks`): the lines and records before the items' chunk, added to their
    /// lines and numbers, and whether an earlier row had each item's firm-year (empty otherwise).
    var numbering = (lines: 0, records: 0)
    var duplicates: [Bool] = []

    /// With chunks: the records of `items`' `.stored` cases, swapped in with the items.
    var arena = CSVRecordArena()
    /// The record a `.stored` item is loaded into, reused from row to row.
    var stored = CSVRecord(fields: [], line: 0, number: 0)

    enum Item {
        /// A record, with its bytes when traces need their hash.
        case record(CSVRecord, bytes: [UInt8]?, duplicate: Bool)
        /// A record kept in the worker's `arena` from offset `first` (chunks), with its bytes when
        /// traces need their hash.
        case stored(first: Int, count: Int, line: Int, number: Int, bytes: [UInt8]?)
        /// A record that could not be read, with what could be read of it.
        case broken(CSVError, CSVSalvage?)
    }

    /// Binds, evaluates and formats this round's records into the worker's buffer and counts, as
    /// the row-by-row loop does.
    mutating func run(options: BatchOptions) {
        for position in items.indices {
            session.csvRecord = nil
            switch items[position] {
            case .broken(var error, let salvaged):
                (error.line, error.number) = (error.line + numbering.lines, error.number + numbering.records)
                rows[position].reset(number: error.number, line: error.line)
                rows[position].rowErrors.append(session.words.broken(error))
                binder.salvage(salvaged, into: &rows[position])
            case .stored(let first, let count, let line, let number, let bytes):
                stored.load(arena, first: first, count: count, line: line + numbering.lines, number: number + numbering.records)
                bind(stored, bytes: bytes, duplicate: duplicates.isEmpty ? false : duplicates[position], at: position, options: options)
            case .record(var record, let bytes, var duplicate):
                (record.line, record.number) = (record.line + numbering.lines, record.number + numbering.records)
                if !duplicates.isEmpty { duplicate = duplicates[position] }
                bind(record, bytes: bytes, duplicate: duplicate, at: position, options: options)
            }
            if let problems = options.rowProblems[rows[position].number] {
                rows[position].rowErrors += problems.map { $0.text(options.language) }
            }
            session.evaluate(&rows[position])
        }
        // The arena goes back to a chunk to be read into: no record may share its bytes then.
        stored.dropBytes()
    }

    /// Binds a record (with its firm-year's duplicate found before) into `rows[position]`, with
    /// its trace's start when traces are asked for.
    @inline(__always)
    private mutating func bind(_ record: CSVRecord, bytes: [UInt8]?, duplicate: Bool, at position: Int, options: BatchOptions) {
        binder.bind(record, into: &rows[position])
        rows[position].duplicate = duplicate
        // The duplicate was decided from `duplicateKey` before binding; in debug builds (the
        // tests), every row checks that the key is what `bind` made of the CVR number and year.
        assert(
            {
                let row = rows[position]
                let key = binder.duplicateKey(record)
                let bound = row.cvr.flatMap(BatchCellReader.cvrIndex).flatMap { index in row.fiscalYear.map { (index, $0) } }
                return bound?.0 == key?.cvrIndex && bound?.1 == key?.year
            }(), "duplicateKey disagrees with bind on row \(record.number)")
        if options.traces {
            session.csvRecord = binder.prepareTrace(
                of: record, &rows[position], streamed: !session.csvPlaces.isEmpty,
                sourceName: options.sourceName
            ) { SHA256.hex(bytes ?? []) }
        }
    }
}

/// Lets the workers' buffer cross into the worker threads, where each touches only its own worker
/// and the reading thread touches none until they are done.
private struct WorkerBuffer: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<BatchWorker>
}

/// A finished round's results, one buffer per worker in input order, written to the sink while
/// the workers run the next round: the hand-over both parallel schemes (rounds of blocks, chunks)
/// make between rounds, so that they count and write a round alike.
struct RoundOutput {
    var buffers: [[UInt8]]
    /// How many of `buffers` belong to the round (the rest are empty).
    var count = 0

    init(jobs: Int) { buffers = Array(repeating: [], count: jobs) }

    /// Counts the finished round whole, with its blank lines and duplicates, in `session`, takes
    /// each worker's counts and output in input order (a worker without items has none), and
    /// reports progress when the round passed an interval.
    mutating func take(
        from workers: inout [BatchWorker], _ indices: Range<Int>, blanks: Int, duplicates: Int, overflowed: Bool,
        into session: inout BatchSession, _ hooks: BatchHooks
    ) {
        session.summary.blankRowsSkipped += blanks
        session.summary.duplicates += duplicates
        session.summary.duplicateCheckIncomplete = session.summary.duplicateCheckIncomplete || overflowed
        let before = session.summary.rowsRead
        for index in indices where !workers[index].items.isEmpty {
            session.summary.take(&workers[index].session.summary)
            swap(&buffers[index], &workers[index].session.writer.bytes)
        }
        count = indices.upperBound
        let after = session.summary.rowsRead
        if before / BatchHooks.progressInterval != after / BatchHooks.progressInterval { hooks.progress(after) }
    }

    /// Writes the round's buffers in order and empties them; the first output error stops it.
    mutating func write(to sink: BatchSink) -> ToolError? {
        defer { count = 0 }
        for index in 0..<count where !buffers[index].isEmpty {
            if let error = sink.write(emptying: &buffers[index]) { return error }
        }
        return nil
    }
}

extension BatchRunner {
    /// `jobs` workers, each with its own session (sharing `session`'s streams and column places),
    /// binder and `rows` reusable rows: what both parallel schemes (rounds of blocks, chunks) give
    /// each thread.
    func makeWorkers(
        _ jobs: Int, rows: Int, layout: BatchLayout, style: NumberStyle, decimalGuard: DecimalMarkGuard?, session: BatchSession
    ) -> [BatchWorker] {
        let options = self.options
        let ruleSets = self.ruleSets
        return (0..<jobs).map { _ in
            var worker = BatchSession(
                ruleSets: ruleSets, options: options, separator: session.writer.separator, firm: ResultFirmColumns(layout: layout),
                streams: session.streams
            ) { index, firm in
                layout.sources(ruleSet: index, firm: firm)
            }
            worker.csvPlaces = session.csvPlaces
            var binder = CSVRowBinder(
                layout: layout, style: style, language: options.language, decimalGuard: decimalGuard, percent: options.percent)
            binder.sheetPlace = options.sheetPlace
            return BatchWorker(
                binder: binder, session: worker, rows: Array(repeating: BatchRow(ruleSets: ruleSets), count: rows))
        }
    }

    /// The CSV rows after the header, on `options.jobs` threads; `session` has written the header.
    func runInParallel<Source: ByteSource>(
        _ reader: inout CSVReader<Source>, _ failure: ReadFailure, _ sink: BatchSink,
        _ hooks: BatchHooks, layout: BatchLayout, style: NumberStyle, decimalGuard: DecimalMarkGuard?,
        session: inout BatchSession
    ) -> BatchEnd {
        // Rows per worker per round (`BatchOptions.blockSize`, 512): enough that a round's
        // hand-over costs little against its work, few enough that memory stays a few megabytes.
        let options = self.options
        let jobs = max(1, options.jobs)
        let blockSize = max(1, options.blockSize)
        var workers = makeWorkers(
            jobs, rows: blockSize, layout: layout, style: style, decimalGuard: decimalGuard, session: session)
        let keyBinder = CSVRowBinder(
            layout: layout, style: style, language: options.language, decimalGuard: decimalGuard, percent: options.percent)
        let keepBytes = options.traces
        var finished = false

        /// Reads the next round into `round` (one block per worker), checking duplicates in input
        /// order; returns how many records it read, and the blank lines and duplicates among them,
        /// which are counted when the round is, so that a round read ahead and never evaluated
        /// counts nothing. A record that arrives after a read failure is not used, as row by row.
        func readRound(into round: inout [[BatchWorker.Item]]) -> (records: Int, blanks: Int, duplicates: Int, overflowed: Bool) {
            var count = 0
            var blanks = 0
            var duplicates = 0
            for index in round.indices { round[index].removeAll(keepingCapacity: true) }
            while count < jobs * blockSize {
                guard failure.message == nil, let item = reader.next(), failure.message == nil else {
                    finished = true
                    break
                }
                switch item {
                case .failure(let error):
                    round[count / blockSize].append(.broken(error, reader.salvaged))
                case .success(let record):
                    if CSVRowBinder.isBlank(record) {
                        blanks += 1
                        continue
                    }
                    var duplicate = false
                    if let key = keyBinder.duplicateKey(record) {
                        duplicate = session.duplicates.insert(cvrIndex: key.cvrIndex, year: key.year)
                        if duplicate { duplicates += 1 }
                    }
                    let bytes = keepBytes ? reader.withLastRecordBytes { Array($0) } : nil
                    round[count / blockSize].append(.record(record, bytes: bytes, duplicate: duplicate))
                }
                count += 1
            }
            return (count, blanks, duplicates, session.duplicates.overflowed)
        }

        var next = Array(repeating: [BatchWorker.Item](), count: jobs)
        var pending = RoundOutput(jobs: jobs)
        if let error = session.flush(sink) { return .outputFailed(error, session.summary) }
        var read = readRound(into: &next)
        let group = DispatchGroup()
        while read.records > 0 || read.blanks > 0 {
            let busy = (read.records + blockSize - 1) / blockSize
            let running = read
            for worker in 0..<busy { swap(&workers[worker].items, &next[worker]) }
            var outputError: ToolError?
            workers.withUnsafeMutableBufferPointer { buffer in
                let shared = WorkerBuffer(base: buffer)
                for worker in 0..<busy {
                    DispatchQueue.global().async(group: group) { shared.base[worker].run(options: options) }
                }
                // While the workers run this round: write the last round's results, read the next round.
                outputError = pending.write(to: sink)
                if outputError == nil { read = finished ? (0, 0, 0, false) : readRound(into: &next) }
                // Never leave while a worker runs: it writes into `workers`.
                group.wait()
            }
            if let outputError { return .outputFailed(outputError, session.summary) }
            pending.take(
                from: &workers, 0..<busy, blanks: running.blanks, duplicates: running.duplicates, overflowed: running.overflowed,
                into: &session, hooks)
            if read.records > 0 && hooks.shouldStop() {
                if let error = pending.write(to: sink) { return .outputFailed(error, session.summary) }
                return session.end(.interrupted(session.summary), sink)
            }
        }
        if let error = pending.write(to: sink) { return .outputFailed(error, session.summary) }
        if let message = failure.message { return session.end(.inputFailed(message, session.summary), sink) }
        return session.end(.finished(session.summary), sink)
    }
}
