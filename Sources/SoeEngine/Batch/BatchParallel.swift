// A CSV batch on several threads (`BatchOptions.jobs` > 1), with the same output, byte for byte,
// as row by row.
//
// Reading stays on one thread: a CSV record can only be found after the one before it. The batch
// goes in rounds. The reading thread reads up to `jobs × blockSize` records and hands each worker
// a block of consecutive ones. The workers bind their blocks side by side. Then, back on one
// thread and in input order, each bound row is checked against the earlier firm-years (a
// duplicate depends on every row before it). Then the workers evaluate and format their blocks side
// by side, each into its own buffer, with its own evaluators and its own counts. Last, on one
// thread, the buffers go to the sink in block order and the counts are added to the batch's.
// So results stay in input order, the duplicate check sees the rows in input order, and what a
// worker writes depends only on its rows, never on timing. Memory stays flat: each worker keeps
// `blockSize` rows and one buffer, reused from round to round.

import Dispatch

/// One thread's share of a parallel batch: its own binder, rows, evaluators, writer and counts.
struct BatchWorker {
    var binder: CSVRowBinder
    var session: BatchSession
    var rows: [BatchRow]
    /// This round's records: a record with its bytes when traces need their hash, or a broken record.
    var items: [Item] = []
    /// Per row of this round: where its trace says it came from, when traces are streamed from CSV.
    var places: [(sha256: String, number: Int, line: Int)?]

    enum Item {
        case record(CSVRecord, bytes: [UInt8]?)
        case broken(CSVError)
    }

    /// Binds this round's records into `rows`, as the row-by-row loop does.
    mutating func bind(options: BatchOptions) {
        for (position, item) in items.enumerated() {
            places[position] = nil
            switch item {
            case .broken(let error):
                rows[position].reset(number: error.number, line: error.line)
                rows[position].rowErrors.append("line \(error.line), column \(error.column): \(error.message)")
            case .record(let record, let bytes):
                binder.bind(record, into: &rows[position])
                guard options.traces, let day = rows[position].closingDay else { continue }
                let hash = SHA256.hex(bytes ?? [])
                if session.csvPlaces.isEmpty {
                    rows[position].firm = binder.firm(for: record, row: rows[position], closingDay: day,
                                                      source: "\(options.sourceName) row \(record.number)", sha256: hash)
                } else {
                    places[position] = (hash, record.number, record.line)
                }
            }
        }
    }

    /// Evaluates and formats this round's rows into the worker's buffer and counts.
    mutating func evaluate() {
        for position in items.indices {
            session.csvRecord = places[position]
            session.evaluate(&rows[position])
        }
    }
}

/// Lets the workers' buffer cross into `concurrentPerform`, where each iteration touches only its
/// own worker.
private struct WorkerBuffer: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<BatchWorker>
}

extension BatchRunner {
    /// The CSV rows after the header, on `options.jobs` threads; `session` has written the header.
    func runInParallel<Source: ByteSource>(_ reader: inout CSVReader<Source>, _ failure: ReadFailure, _ sink: BatchSink,
                                           _ hooks: BatchHooks, layout: BatchLayout, style: NumberStyle,
                                           session: inout BatchSession) -> BatchEnd {
        // Rows per worker per round (`BatchOptions.blockSize`, 512): enough that a round's
        // hand-over costs little against its work, few enough that memory stays a few megabytes.
        let jobs = max(1, options.jobs), ruleSets = self.ruleSets, blockSize = max(1, options.blockSize)
        var workers: [BatchWorker] = (0..<jobs).map { _ in
            var worker = BatchSession(ruleSets: ruleSets, options: options, separator: session.writer.separator) { index, firm in
                layout.sources(ruleSet: index, firm: firm)
            }
            worker.csvPlaces = session.csvPlaces
            return BatchWorker(binder: CSVRowBinder(layout: layout, style: style), session: worker,
                               rows: Array(repeating: BatchRow(ruleSets: ruleSets), count: blockSize),
                               places: Array(repeating: nil, count: blockSize))
        }
        let keepBytes = options.traces
        var finished = false
        while !finished {
            // Read a round, in input order: block after block.
            var count = 0
            for index in workers.indices { workers[index].items.removeAll(keepingCapacity: true) }
            while count < jobs * blockSize {
                guard let item = reader.next() else {
                    finished = true
                    break
                }
                if let message = failure.message { return session.end(.inputFailed(message, session.summary), sink) }
                let worker = count / blockSize
                switch item {
                case .failure(let error):
                    workers[worker].items.append(.broken(error))
                case .success(let record):
                    if CSVRowBinder.isBlank(record.fields) {
                        session.summary.blankRowsSkipped += 1
                        continue
                    }
                    let bytes = keepBytes ? reader.withLastRecordBytes { Array($0) } : nil
                    workers[worker].items.append(.record(record, bytes: bytes))
                }
                count += 1
            }
            if let message = failure.message { return session.end(.inputFailed(message, session.summary), sink) }
            guard count > 0 else { break }
            let busy = (count + blockSize - 1) / blockSize
            let options = self.options
            workers.withUnsafeMutableBufferPointer { buffer in
                let shared = WorkerBuffer(base: buffer)
                DispatchQueue.concurrentPerform(iterations: busy) { shared.base[$0].bind(options: options) }
                // The duplicate check in input order, on this thread.
                for worker in 0..<busy {
                    for position in shared.base[worker].items.indices { session.markDuplicate(&shared.base[worker].rows[position]) }
                }
                DispatchQueue.concurrentPerform(iterations: busy) { shared.base[$0].evaluate() }
            }
            // The results in block order, then the counts.
            if let error = session.flush(sink) { return .outputFailed(error, session.summary) }
            let before = session.summary.rowsRead
            for worker in 0..<busy {
                session.summary.take(&workers[worker].session.summary)
                if let error = workers[worker].session.flush(sink) { return .outputFailed(error, session.summary) }
            }
            let after = session.summary.rowsRead
            if before / BatchHooks.progressInterval != after / BatchHooks.progressInterval { hooks.progress(after) }
            if !finished && hooks.shouldStop() { return session.end(.interrupted(session.summary), sink) }
        }
        if let message = failure.message { return session.end(.inputFailed(message, session.summary), sink) }
        return session.end(.finished(session.summary), sink)
    }
}
