// A CSV batch of a regular file in chunks (`BatchRunner.runInChunks`) without traces: each worker
// reads its chunk and binds every record straight into its rows, as the row-by-row loop does, with
// no copy of the records kept between reading and binding.
//
// The batch goes in rounds of `jobs` chunks planned as in `runInChunks` (BatchChunks.swift). A
// worker reads and binds its chunk counting lines and records from 1 and 0, from the planned start.
// Then the chunks of a round take turns in input order (`ChunkRelay`): the first chunk of a round
// goes when the round starts (the rounds before it are done), each other one when the chunk before
// it has had its turn. In its turn a chunk, alone: checks that it began where the reader of the
// chunk before it ended (so it began at a record's start, where one reader of the whole file would
// have been too); when it did not, or a record of it failed (an error's words may name lines), it
// is read and bound again from there with the true counts; otherwise it adds the lines and records
// before it to its rows' lines and numbers; adds each row's problems found before the batch; and
// checks each row's firm-year against the batch's one set, from the bound row as `markDuplicate`
// does row by row. It hands on where it ended and the counts. Then it evaluates and formats its
// rows into its own buffer, while the next chunk has its turn. The main thread plans the next
// round and writes the last round's buffers in chunk order.
//
// So every record is read by a reader that started at a record's start with the counts of the
// whole file, duplicates are checked in input order with row by row's own key, and results are
// written in input order: the output is that of one thread. A turn waits only for an earlier
// chunk's, which Dispatch started first, so the turns cannot wait in a circle.

import Dispatch
import SoeLanguage

/// What the chunks of a round hand on to each other in input order, each in its turn.
final class ChunkRelay: @unchecked Sendable {
    /// Where the next chunk's records begin, and the lines and records before it.
    var next: Int
    var lines: Int
    var records: Int
    /// Whether the input ended (its end reached, or a read error) in a chunk's turn.
    var finished = false
    var failure: String?
    /// The batch's firm-years, checked in input order.
    var duplicates = FirmYearSet()
    /// This round's blank lines and duplicates, counted when the round is.
    var blanks = 0
    var duplicateCount = 0
    /// `turns[i]` lets the round's chunk `i` have its turn (its chunk `i - 1` signals it).
    let turns: [DispatchSemaphore]

    init(next: Int, lines: Int, records: Int, jobs: Int) {
        (self.next, self.lines, self.records) = (next, lines, records)
        turns = (0..<jobs).map { _ in DispatchSemaphore(value: 0) }
    }
}

/// What a worker read of its chunk.
struct ChunkBinding {
    /// The planned start and limit (`Int.max`: to the end of the file).
    var start = 0
    var limit = 0
    /// The rows bound, where its reader stopped, the lines and records it passed, the blank lines
    /// among them, whether a record failed, and a read error that stopped it.
    var count = 0
    var end = 0
    var lines = 0
    var records = 0
    var blanks = 0
    var broke = false
    var failure: String?
}

extension BatchWorker {
    /// Reads `chunk`'s records from `start` until one ends at or past its limit, or the input ends,
    /// counting from `counted`, and binds each into `rows` as the row-by-row loop does.
    mutating func readAndBind(
        _ chunk: inout ChunkBinding, from start: Int, file: PositionalFile, dialect: CSVDialect, ruleSets: [RuleSet],
        counted: (lines: Int, records: Int)
    ) {
        (chunk.count, chunk.blanks, chunk.broke, chunk.failure) = (0, 0, false, nil)
        let recorded = ReadFailure()
        var reader = CSVReader(
            continuing: FailureRecordingSource(source: PositionalFileSource(file: file, offset: start), failure: recorded),
            dialect: dialect, line: counted.lines + 1, records: counted.records)
        while start + reader.offset < chunk.limit {
            // As one thread: a record that arrives with a read failure is not used.
            guard recorded.message == nil, let item = reader.next(), recorded.message == nil else { break }
            if chunk.count == rows.count { rows.append(BatchRow(ruleSets: ruleSets)) }
            switch consume item {
            case .failure(let error):
                rows[chunk.count].reset(number: error.number, line: error.line)
                rows[chunk.count].rowErrors.append(session.words.broken(error))
                binder.salvage(reader.salvaged, into: &rows[chunk.count])
                chunk.broke = true
                chunk.count += 1
            case .success(let record):
                if CSVRowBinder.isBlank(record) {
                    chunk.blanks += 1
                } else {
                    binder.bind(record, into: &rows[chunk.count])
                    chunk.count += 1
                }
            }
            reader.settle()
        }
        chunk.failure = recorded.message
        (chunk.end, chunk.lines, chunk.records) =
            (start + reader.offset, reader.nextLine - 1 - counted.lines, reader.recordsRead - counted.records)
    }

    /// The chunk's turn, alone and in input order (see the top of this file): makes its rows those
    /// of one reader of the whole file, checks their firm-years, and hands on to the next chunk.
    mutating func takeTurn(
        _ chunk: inout ChunkBinding, relay: ChunkRelay, file: PositionalFile, dialect: CSVDialect, ruleSets: [RuleSet],
        options: BatchOptions
    ) {
        guard !relay.finished else {
            chunk.count = 0
            return
        }
        let (lines, records) = (relay.lines, relay.records)
        if chunk.start != relay.next || chunk.broke {
            // The plan guessed wrong (the chunk did not begin at a record), or a record's error
            // names lines: read again from where the last chunk ended, with the true counts.
            chunk.start = relay.next
            readAndBind(&chunk, from: chunk.start, file: file, dialect: dialect, ruleSets: ruleSets, counted: (lines, records))
        } else if lines != 0 || records != 0 {
            for position in 0..<chunk.count {
                rows[position].number += records
                rows[position].line += lines
            }
        }
        let hasProblems = !options.rowProblems.isEmpty
        for position in 0..<chunk.count {
            if hasProblems, let problems = options.rowProblems[rows[position].number] {
                rows[position].rowErrors += problems.map { $0.text(options.language) }
            }
            if let key = BatchSession.firmYear(of: rows[position]) {
                let seen = relay.duplicates.insert(cvrIndex: key.cvrIndex, year: key.year)
                rows[position].duplicate = seen
                if seen { relay.duplicateCount += 1 }
            }
        }
        relay.blanks += chunk.blanks
        relay.lines += chunk.lines
        relay.records += chunk.records
        relay.next = chunk.end
        if let failure = chunk.failure {
            relay.failure = failure
            relay.finished = true
        } else if chunk.limit == Int.max {
            relay.finished = true
        }
    }

    /// Evaluates and formats the chunk's rows into the worker's buffer and counts.
    mutating func evaluateBound(_ count: Int) {
        for position in 0..<count { session.evaluate(&rows[position]) }
    }
}

/// Lets the workers and their chunks cross into the worker threads, where each touches only its own
/// (and the relay in its turn).
private struct RelayShared: @unchecked Sendable {
    let workers: UnsafeMutableBufferPointer<BatchWorker>
    let chunks: UnsafeMutableBufferPointer<ChunkBinding>
}

extension BatchRunner {
    /// `runInChunks` without traces: the workers read and bind their chunks in one pass (see the
    /// top of this file).
    func runInChunksBound(
        file: PositionalFile, dialect: CSVDialect, start: Int, lines: Int, records: Int, _ failure: ReadFailure,
        _ sink: BatchSink, _ hooks: BatchHooks, layout: BatchLayout, style: NumberStyle, decimalGuard: DecimalMarkGuard?,
        session: inout BatchSession
    ) -> BatchEnd {
        let options = self.options
        let ruleSets = self.ruleSets
        let jobs = max(1, options.jobs)
        let chunkBytes = max(1, options.blockSize) * 128
        var workers = makeWorkers(jobs, rows: 0, layout: layout, style: style, decimalGuard: decimalGuard, session: session)
        var planner = BatchChunkPlanner(file: file)
        let relay = ChunkRelay(next: start, lines: lines, records: records, jobs: jobs)
        swap(&relay.duplicates, &session.duplicates)
        defer { swap(&relay.duplicates, &session.duplicates) }

        func ranges(from start: Int) -> [(start: Int, limit: Int)] {
            planner.ranges(from: start, jobs: jobs, chunkBytes: chunkBytes)
        }
        // The next round planned while the workers run this one, from where this one's plan ends,
        // used when the round ends where planned.
        var speculated: (start: Int, ranges: [(start: Int, limit: Int)])?

        var chunks = Array(repeating: ChunkBinding(), count: jobs)
        var pending = RoundOutput(jobs: jobs)
        if let error = session.flush(sink) { return .outputFailed(error, session.summary) }
        let group = DispatchGroup()
        while true {
            let planned = speculated.flatMap { $0.start == relay.next ? $0.ranges : nil } ?? ranges(from: relay.next)
            speculated = nil
            let busy = planned.count
            for index in 0..<jobs {
                let range: (start: Int, limit: Int) = index < busy ? planned[index] : (relay.next, relay.next)
                (chunks[index].start, chunks[index].limit, chunks[index].count) = (range.start, range.limit, 0)
            }
            let plannedEnd = planned.last?.limit ?? Int.max
            (relay.blanks, relay.duplicateCount) = (0, 0)
            var outputError: ToolError?
            workers.withUnsafeMutableBufferPointer { workerBuffer in
                chunks.withUnsafeMutableBufferPointer { chunkBuffer in
                    let shared = RelayShared(workers: workerBuffer, chunks: chunkBuffer)
                    for index in 0..<busy {
                        DispatchQueue.global().async(group: group) {
                            let start = shared.chunks[index].start
                            shared.workers[index].readAndBind(
                                &shared.chunks[index], from: start, file: file, dialect: dialect, ruleSets: ruleSets,
                                counted: (0, 0))
                            if index > 0 { relay.turns[index].wait() }
                            shared.workers[index].takeTurn(
                                &shared.chunks[index], relay: relay, file: file, dialect: dialect, ruleSets: ruleSets,
                                options: options)
                            if index + 1 < busy { relay.turns[index + 1].signal() }
                            shared.workers[index].evaluateBound(shared.chunks[index].count)
                        }
                    }
                    // While the workers run this round: write the last round's results, plan the next.
                    outputError = pending.write(to: sink)
                    if plannedEnd < Int.max { speculated = (plannedEnd, ranges(from: plannedEnd)) }
                    // Never leave while a worker runs: it writes into `workers` and `chunks`.
                    group.wait()
                }
            }
            if let outputError { return .outputFailed(outputError, session.summary) }
            for index in 0..<jobs { workers[index].bound = index < busy ? chunks[index].count : 0 }
            pending.take(
                from: &workers, 0..<jobs, blanks: relay.blanks, duplicates: relay.duplicateCount,
                overflowed: relay.duplicates.overflowed, into: &session, hooks)
            if let message = relay.failure, failure.message == nil { failure.message = message }
            if relay.finished { break }
            if hooks.shouldStop() {
                if let error = pending.write(to: sink) { return .outputFailed(error, session.summary) }
                return session.end(.interrupted(session.summary), sink)
            }
        }
        if let error = pending.write(to: sink) { return .outputFailed(error, session.summary) }
        if let message = failure.message { return session.end(.inputFailed(message, session.summary), sink) }
        return session.end(.finished(session.summary), sink)
    }
}
