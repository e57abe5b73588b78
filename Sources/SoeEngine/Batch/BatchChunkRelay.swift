// A CSV batch of a regular file in chunks (`BatchRunner.runInChunks`) without traces: each worker
// reads its chunk and binds every record straight into its rows, as the row-by-row loop does, with
// no copy of the records kept between reading and binding.
//
// No rounds: the chunks are numbered in input order and `jobs` workers take them one after the
// other, each the next chunk as soon as it is done with its last (`ChunkRelay.take`). Taking a
// chunk, under a lock, plans it from where the chunk before it was planned to end, as
// `runInChunks` plans (BatchChunks.swift). A worker reads and binds its chunk counting lines and
// records from 1 and 0, from the planned start. Then the chunks take turns in input order: chunk
// k's turn comes when chunk k - 1 has had its. In its turn a chunk, alone: checks that it began
// where the reader of the chunk before it ended (so it began at a record's start, where one reader
// of the whole file would have been too); when it did not, or a record of it failed (an error's
// words may name lines), it is read and bound again from there with the true counts; otherwise it
// adds the lines and records before it to its rows' lines and numbers; adds each row's problems
// found before the batch; and checks each row's firm-year against the batch's one set, from the
// bound row as `markDuplicate` does row by row. It hands on where it ended and the counts; when it
// ended elsewhere than planned, the chunks not yet taken are planned again from there (a guess
// made from a record's start, as a round's plan was). While no byte above 0x7F has decided the
// file's encoding (none in what the header's reader read), each reader notes the first it is
// served, and the first chunk's turn to meet one decides as `TextEncodingSource` would: a UTF-8
// sequence leaves the file as the readers read it; anything else ends the chunks there, unwritten,
// and the batch goes on from that chunk's start on one reader that decodes or refuses
// (`ChunkRelay.handedOff`, `runInChunks`). Then it evaluates and formats its rows, and
// swaps the results (buffer and counts) into its slot, and marks it evaluated (`ChunkRelay.write`).
// Unless another worker is writing, it becomes the writer: while the next chunk to write is
// evaluated, it counts it, hands its slot back and writes its buffer to the sink (outside the lock,
// so a worker that finishes meanwhile only marks its chunk, for the writer to find when it looks
// again). So a chunk is written in input order by one worker at a time, with no thread woken for
// it. The writing stops for good after the chunk in whose turn the input ended, at a write error,
// or when asked to stop; then no chunk is taken any more. The main thread only waits for the
// workers, and ends the batch.
//
// Slots: chunk k uses slot k % `slots`: its binding, and its results swapped out of the worker's
// session when evaluated; each worker keeps its rows and evaluators. A worker takes a chunk only
// with a free slot, one whose chunk was written, so at most `slots` chunks are read, evaluated or
// waiting to be written at a time and memory stays flat. Chunk k + `slots` can only be taken once
// chunk k is written, so no two chunks ever share a slot or a turn's signal.
//
// So every record is read by a reader that started at a record's start with the counts of the
// whole file, duplicates are checked in input order with row by row's own key, and results are
// written in input order: the output is that of one thread. Nothing waits in a circle: a turn
// waits only for an earlier chunk's, every chunk taken is held by a running worker until it is
// evaluated (a worker holds one chunk at a time and waits for a slot only between chunks), and
// the writer never waits for a chunk. Every chunk taken up to the one that ends the input is
// written: a writer stops only when it sees the next chunk not evaluated, and that chunk's worker
// marks it later and then writes (or sees a writer, which looks again before it stops).

import Dispatch
import SoeLanguage

/// What the chunks hand on to each other in input order, each in its turn, and what the workers
/// and the writer share to take chunks and hand them on (see the top of this file).
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
    /// Whether the file's first byte above 0x7F is still to come: the turns look at each chunk's
    /// first one until one begins a UTF-8 sequence (the file is UTF-8, read as it is) or does not
    /// (the file is to be decoded from there: `handedOff`).
    var encodingUndecided: Bool
    /// Whether the batch goes on from `next`, with `lines` and `records` before it, on one reader
    /// that decides the encoding there, as a reader of the whole file would have.
    var handedOff = false

    /// Chunk k's slot is k % `slots`. `turns[slot]` lets chunk k have its turn (chunk k - 1 signals
    /// it); `free` holds a token per free slot.
    let slots: Int
    let turns: [DispatchSemaphore]
    let free = DispatchSemaphore(value: 0)

    /// The writing (guarded by `writing`): which slots hold a chunk evaluated and not yet written,
    /// the next chunk to write, whether a worker is writing (the writer: the only one to touch
    /// `bytes`, the sink and the hooks), the counts of the chunks written, the buffer swapped with a
    /// slot's, and how the batch ended (set once, by the writing of its last chunk).
    let writing = DispatchSemaphore(value: 0)
    var evaluated: [Bool]
    var written = 0
    var writer = false
    var counts: BatchSummary
    var bytes: [UInt8] = []
    var outcome: Outcome?

    enum Outcome {
        case ended
        case interrupted
        case outputFailed(ToolError)
    }

    /// Guards the plan: where the next chunk to take begins (nil once a chunk reaches the end of
    /// the file), how many chunks were taken, and whether the batch stopped.
    private let lock = DispatchSemaphore(value: 0)
    private var planner: BatchChunkPlanner
    private var planned: Int?
    private var taken = 0
    private var stopped = false
    private let chunkBytes: Int

    /// `counts` starts as `zero`, a worker's counts before its first row. `countsQuotes` makes the
    /// plan count quotes from the first chunk on (tests of the counting plan).
    init(
        file: PositionalFile, next: Int, lines: Int, records: Int, jobs: Int, chunkBytes: Int, zero: BatchSummary,
        countsQuotes: Bool = false
    ) {
        (self.next, self.lines, self.records, self.chunkBytes) = (next, lines, records, chunkBytes)
        encodingUndecided = file.encodingUndecided
        // The plan cuts at the first line feed past each chunk's size, until a reader ends elsewhere
        // than planned (`replan`): then it counts quotes for the rest of the file (BatchChunks.swift).
        (planner, planned, slots, counts) = (BatchChunkPlanner(file: file, countsQuotes: countsQuotes), next, 2 * jobs, zero)
        turns = (0..<slots).map { _ in DispatchSemaphore(value: 0) }
        evaluated = Array(repeating: false, count: slots)
        // Semaphores start at 0 and are signalled up: Dispatch traps when one is freed below its start.
        for _ in 0..<slots { free.signal() }
        lock.signal()
        writing.signal()
    }

    /// The next chunk in input order, its number and planned range, once a slot is free for it;
    /// nil when the plan has reached the end of the file or the batch stopped.
    func take() -> (index: Int, start: Int, limit: Int)? {
        free.wait()
        lock.wait()
        defer { lock.signal() }
        guard !stopped, let start = planned else { return nil }
        let limit = planner.ranges(from: start, jobs: 1, chunkBytes: chunkBytes)[0].limit
        planned = limit == Int.max ? nil : limit
        taken += 1
        return (taken - 1, start, limit)
    }

    /// In a chunk's turn, when its reader ended at `end`, elsewhere than planned: plans the chunks
    /// not yet taken again from `end`, a record's start, so that a wrong guess does not make every
    /// later chunk read again in its turn. The next chunk then begins at `end` when the plan is
    /// behind it, else at the plan's cut at or past where it would have begun (the chunks taken
    /// meanwhile read up to there, and are read again in their turns if need be).
    func replan(from end: Int) {
        lock.wait()
        defer { lock.signal() }
        // A line feed the plan took for a record's end was not one (a quoted field holds line
        // breaks, or a stray quote misleads the count): from here on the plan counts quotes.
        planner.countsQuotes = true
        guard let planned else { return }
        if end >= planned {
            self.planned = end
        } else if let cut = try? planner.boundary(from: end, target: planned - 1) {
            self.planned = cut
        }
    }

    /// Whether the plan counts quotes (for tests): from the first chunk that ended elsewhere than planned.
    var countsQuotes: Bool {
        lock.wait()
        defer { lock.signal() }
        return planner.countsQuotes
    }

    /// No chunk is taken any more; wakes every worker waiting for a slot.
    func stop() {
        lock.wait()
        stopped = true
        lock.signal()
        for _ in 0..<slots { free.signal() }
    }

    /// The chunk in `slot` is evaluated. Unless another worker is the writer, this one becomes it:
    /// counts and writes every chunk evaluated from the next one to write on, in input order,
    /// handing each slot back as it goes, and stops when the next is not evaluated (its worker, or
    /// the one that finishes the last chunk before it, writes it). The chunk whose turn ended the
    /// input, a write error or `shouldStop` ends the batch.
    func write(
        _ slot: Int, _ chunks: UnsafeMutableBufferPointer<ChunkBinding>, _ outside: RelayOutside, rowsBefore: Int
    ) {
        writing.wait()
        evaluated[slot] = true
        // Another worker is writing: it looks again before it stops, and writes this one in turn.
        guard !writer else {
            writing.signal()
            return
        }
        writer = true
        while outcome == nil && evaluated[written % slots] {
            let slot = written % slots
            evaluated[slot] = false
            let before = rowsBefore + counts.rowsRead
            counts.blankRowsSkipped += chunks[slot].blanks
            counts.duplicates += chunks[slot].duplicates
            counts.duplicateCheckIncomplete = counts.duplicateCheckIncomplete || chunks[slot].overflowed
            counts.take(&chunks[slot].summary!)
            swap(&bytes, &chunks[slot].output)
            let ended = chunks[slot].ended
            written += 1
            // The slot is free once its results are out: the next chunk taken may fill it now.
            free.signal()
            // The sink and the hooks outside the lock: a worker that finishes meanwhile only marks
            // its chunk, and a sink that makes this one wait (a write to the file) holds up no other.
            writing.signal()
            let after = rowsBefore + counts.rowsRead
            if before / BatchHooks.progressInterval != after / BatchHooks.progressInterval { outside.hooks.progress(after) }
            var ending: Outcome?
            if !bytes.isEmpty, let error = outside.sink.write(emptying: &bytes) {
                ending = .outputFailed(error)
            } else if ended {
                ending = .ended
            } else if outside.hooks.shouldStop() {
                ending = .interrupted
            }
            bytes.removeAll(keepingCapacity: true)
            writing.wait()
            outcome = ending
        }
        writer = false
        let over = outcome != nil
        writing.signal()
        if over { stop() }
    }
}

/// The sink and the hooks, used only in the writing, by one worker at a time (`ChunkRelay.write`)
/// while this thread waits for the workers.
struct RelayOutside: @unchecked Sendable {
    let sink: BatchSink
    let hooks: BatchHooks
}

/// A slot: what a worker read of its chunk, what the chunk's turn counted, and its results.
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
    /// The offset of the first byte above 0x7F its reader was served, when the encoding is undecided.
    var firstHighByte: Int?
    /// What its turn counted: the blank lines and duplicates among its rows, whether the
    /// duplicate check overflowed, and whether the input ended in or before its turn.
    var duplicates = 0
    var overflowed = false
    var ended = false
    /// Its results, formatted, and their counts, swapped out of its worker's session for the
    /// writer (which takes the counts, leaving them zero, and hands back an empty buffer).
    var output: [UInt8] = []
    var summary: BatchSummary?
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
        let highBytes = file.encodingUndecided ? HighByteWatch() : nil
        defer { chunk.firstHighByte = highBytes?.first }
        var reader = CSVReader(
            continuing: FailureRecordingSource(
                source: PositionalFileSource(file: file, offset: start, limit: chunk.limit, highBytes: highBytes),
                failure: recorded),
            dialect: dialect, line: counted.lines + 1, records: counted.records)
        // One record from row to row, whose arrays the reader trades with its own: no reference
        // counting per record (`CSVReader.next(into:)`).
        var record = CSVRecord(fields: [], line: 0, number: 0)
        while start + reader.offset < chunk.limit {
            // As one thread: a record that arrives with a read failure is not used.
            guard recorded.message == nil, let step = reader.next(into: &record), recorded.message == nil else { break }
            if chunk.count == rows.count { rows.append(BatchRow(ruleSets: ruleSets)) }
            switch consume step {
            case .failure(let error):
                rows[chunk.count].reset(number: error.number, line: error.line)
                rows[chunk.count].rowErrors.append(session.words.broken(error))
                binder.salvage(reader.salvaged, into: &rows[chunk.count])
                chunk.broke = true
                chunk.count += 1
            case .record:
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
            (chunk.count, chunk.blanks, chunk.duplicates, chunk.ended) = (0, 0, 0, true)
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
        if relay.encodingUndecided, let high = chunk.firstHighByte {
            // The file's first byte above 0x7F (the chunks before this one had none, nor had the
            // header's reader): a UTF-8 sequence makes the file UTF-8, as its readers read it;
            // anything else is for one reader to decode or refuse from this chunk's start on.
            if (try? file.beginsUTF8(at: high)) == true {
                relay.encodingUndecided = false
            } else {
                (chunk.count, chunk.blanks, chunk.duplicates, chunk.ended) = (0, 0, 0, true)
                chunk.overflowed = relay.duplicates.overflowed
                (relay.handedOff, relay.finished) = (true, true)
                relay.stop()
                return
            }
        }
        let hasProblems = !options.rowProblems.isEmpty
        chunk.duplicates = 0
        // The set is moved out of the relay for the turn and back after it: read through the
        // relay (a class), every call copied the set, three retains and releases of its arrays a
        // row, atomic, in the one part of `--jobs` that runs alone (about 6 % of its time).
        var seenBefore = FirmYearSet()
        swap(&seenBefore, &relay.duplicates)
        // The duplicate check's words are fetched a few rows ahead (`FirmYearSet.prefetch`), so
        // that their cache misses overlap instead of coming one after the other.
        let ahead = 8
        for position in 0..<min(ahead, chunk.count) { seenBefore.prefetch(rows[position]) }
        for position in 0..<chunk.count {
            if position + ahead < chunk.count { seenBefore.prefetch(rows[position + ahead]) }
            if hasProblems, let problems = options.rowProblems[rows[position].number] {
                rows[position].rowErrors += problems.map { $0.text(options.language) }
            }
            if let key = BatchSession.firmYear(of: rows[position]) {
                let seen = seenBefore.insert(cvrIndex: key.cvrIndex, year: key.year)
                rows[position].duplicate = seen
                if seen { chunk.duplicates += 1 }
            }
        }
        swap(&seenBefore, &relay.duplicates)
        relay.lines += chunk.lines
        relay.records += chunk.records
        relay.next = chunk.end
        if let failure = chunk.failure {
            relay.failure = failure
            relay.finished = true
        } else if chunk.limit == Int.max {
            relay.finished = true
        } else if chunk.end != chunk.limit {
            relay.replan(from: chunk.end)
        }
        (chunk.overflowed, chunk.ended) = (relay.duplicates.overflowed, relay.finished)
        if relay.finished { relay.stop() }
    }

    /// Evaluates and formats the chunk's rows into the worker's buffer and counts.
    mutating func evaluateBound(_ count: Int) {
        for position in 0..<count { session.evaluate(&rows[position]) }
    }
}

/// Lets the workers and the slots' chunks cross into the worker threads, where each touches only
/// its worker and the slot of the chunk it holds (and the relay in its turn), and the writer only
/// the slot of the chunk it waited for.
private struct RelayShared: @unchecked Sendable {
    let workers: UnsafeMutableBufferPointer<BatchWorker>
    let chunks: UnsafeMutableBufferPointer<ChunkBinding>
}

extension BatchRunner {
    /// How `runInChunksBound` ended: the batch's end, or the place from which one reader is to go
    /// on, deciding the encoding at the file's first byte above 0x7F (`ChunkRelay.handedOff`).
    enum ChunksEnd {
        case ended(BatchEnd)
        case handedOff(next: Int, lines: Int, records: Int)
    }

    /// `runInChunks` without traces: the workers read and bind their chunks in one pass, and this
    /// thread writes them in input order (see the top of this file).
    func runInChunksBound(
        file: PositionalFile, dialect: CSVDialect, start: Int, lines: Int, records: Int, _ failure: ReadFailure,
        _ sink: BatchSink, _ hooks: BatchHooks, layout: BatchLayout, style: NumberStyle, decimalGuard: DecimalMarkGuard?,
        session: inout BatchSession
    ) -> ChunksEnd {
        let options = self.options
        let ruleSets = self.ruleSets
        let jobs = max(1, options.jobs)
        var workers = makeWorkers(jobs, rows: 0, layout: layout, style: style, decimalGuard: decimalGuard, session: session)
        let zero = workers[0].session.summary
        let relay = ChunkRelay(
            file: file, next: start, lines: lines, records: records, jobs: jobs, chunkBytes: max(1, options.blockSize) * 128,
            zero: zero)
        var chunks = Array(repeating: ChunkBinding(summary: zero), count: relay.slots)
        swap(&relay.duplicates, &session.duplicates)
        defer { swap(&relay.duplicates, &session.duplicates) }
        if let error = session.flush(sink) { return .ended(.outputFailed(error, session.summary)) }
        // The worker that writes does so outside the relay's lock, beside the others' evaluation:
        // a writing thread of the sink's own would only take turns with the workers for the
        // processors (on two, 14 % of the run: docs/benchmark.md, "Steps of wave 3, session 15").
        if let error = sink.writeOnCallingThreads() { return .ended(.outputFailed(error, session.summary)) }

        let group = DispatchGroup()
        let rowsBefore = session.summary.rowsRead
        let outside = RelayOutside(sink: sink, hooks: hooks)
        workers.withUnsafeMutableBufferPointer { workerBuffer in
            chunks.withUnsafeMutableBufferPointer { chunkBuffer in
                let shared = RelayShared(workers: workerBuffer, chunks: chunkBuffer)
                for worker in 0..<jobs {
                    DispatchQueue.global().async(group: group) {
                        while let (index, start, limit) = relay.take() {
                            let slot = index % relay.slots
                            (shared.chunks[slot].start, shared.chunks[slot].limit) = (start, limit)
                            shared.workers[worker].readAndBind(
                                &shared.chunks[slot], from: start, file: file, dialect: dialect, ruleSets: ruleSets,
                                counted: (0, 0))
                            if index > 0 { relay.turns[slot].wait() }
                            shared.workers[worker].takeTurn(
                                &shared.chunks[slot], relay: relay, file: file, dialect: dialect, ruleSets: ruleSets,
                                options: options)
                            relay.turns[(index + 1) % relay.slots].signal()
                            shared.workers[worker].evaluateBound(shared.chunks[slot].count)
                            swap(&shared.chunks[slot].output, &shared.workers[worker].session.writer.bytes)
                            swap(&shared.chunks[slot].summary!, &shared.workers[worker].session.summary)
                            relay.write(slot, shared.chunks, outside, rowsBefore: rowsBefore)
                        }
                    }
                }
                // Never leave while a worker runs: it writes into `workers` and `chunks`.
                group.wait()
            }
        }
        session.summary.take(&relay.counts)
        session.summary.blankRowsSkipped += relay.counts.blankRowsSkipped
        session.summary.duplicates += relay.counts.duplicates
        session.summary.duplicateCheckIncomplete = session.summary.duplicateCheckIncomplete || relay.counts.duplicateCheckIncomplete
        switch relay.outcome {
        case .outputFailed(let error): return .ended(.outputFailed(error, session.summary))
        case .interrupted: return .ended(session.end(.interrupted(session.summary), sink))
        case .ended, nil:
            // Every chunk taken is written, up to the one whose turn ended the input.
            assert(relay.outcome != nil, "the workers left before the batch's last chunk was written")
            if relay.handedOff { return .handedOff(next: relay.next, lines: relay.lines, records: relay.records) }
            if let message = relay.failure, failure.message == nil { failure.message = message }
        }
        if let message = failure.message { return .ended(session.end(.inputFailed(message, session.summary), sink)) }
        return .ended(session.end(.finished(session.summary), sink))
    }
}
