// A CSV batch of a regular file on several threads, each reading its own part of the file, with
// the same output, byte for byte, as row by row.
//
// `runInParallel` reads on one thread; with the reader fast, that thread and the hand-over cost as
// much as the workers gain. Here the workers read too. The batch goes in rounds of `jobs` chunks
// of about `BatchOptions.blockSize` × 128 bytes each. The main thread plans a round: from the
// offset where the last round's records ended, each chunk ends just after the first line feed past
// its size with an even number of quotes since the chunk's start (RFC 4180: a quote opens or
// closes a quoted field, a doubled quote does both), where a record most likely ends. Each worker
// evaluates its chunk of the last round, then reads its chunk of this round with a reader of its
// own from the chunk's offset, counting lines and records from 1 and 0, and takes each record's
// firm-year key. Then the main thread, alone, in input order: checks that each chunk's reader
// ended exactly where the next chunk begins (so the next chunk began at a record's start, where
// one reader of the whole file would have been too, and read what it would have read); adds the
// lines and records of the chunks before to each record's line and number; checks the firm-years
// against the batch's one duplicate set; and writes the last round's results in chunk order.
// A chunk whose reader ended elsewhere than planned (a broken record that the quote count read
// otherwise than the reader) is dropped with the chunks after it, and the next round starts where
// that reader ended: the plan is a guess, the readers decide.
//
// So every record is read by a reader that started at a record's start with the counts of the
// whole file, duplicates are checked in input order, and results are written in input order:
// the output is that of one thread. Memory stays flat: two rounds of chunks at a time.
//
// Without traces (and a sheet's cell names) the workers read and bind in one pass instead, with no
// rounds: each takes the next chunk as soon as it is done, the chunks take turns in input order for
// what the main thread does here between rounds, and the worker that finishes a chunk writes the
// chunks ready in input order (`runInChunksBound`, BatchChunkRelay.swift).
//
// Not for: a pipe (no offsets), a file decoded from Windows-1252 (offsets move); those keep
// `runInParallel`. A file still to decide its encoding at its first byte above 0x7F is read in
// chunks until a chunk meets that byte: UTF-8 goes on in chunks; anything else hands the rest, from
// that chunk's start, to `runInParallel` on one reader that decodes or refuses it
// (`decodingRest`; here in `take`, without traces in the chunks' turns, `ChunkRelay.encodingUndecided`).

import Dispatch
import SoeLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One chunk of a round: where it begins and should end, and what its worker read of it.
struct BatchChunk {
    /// The source offsets of its first byte and of where the plan expects its last record to end;
    /// `Int.max` reads to the end of the file.
    var start = 0
    var limit = 0
    /// The records (and broken records) read, blank lines left out, numbered from the chunk.
    var items: [BatchWorker.Item] = []
    /// The records of `items`, in one buffer (`.stored` items), handed to the worker with them.
    var arena = CSVRecordArena()
    /// Each item's firm-year, when it is a record that has one.
    var keys: [(cvrIndex: Int, year: Int)?] = []
    var blanks = 0
    /// Where its reader stopped, the lines and records it passed, and a read error that stopped it.
    var end = 0
    var lines = 0
    var records = 0
    var failure: String?
    /// The lines and records before the chunk that its reader counted from: 0 when read on a
    /// worker, the true counts when read again on the main thread.
    var counted = (lines: 0, records: 0)
    /// Whether a record failed: its error may name lines in its words, so the chunk is read again
    /// with the true counts rather than have numbers added on.
    var broke = false
    /// The offset of the first byte above 0x7F its reader was served, when the file's encoding is
    /// undecided (`PositionalFile.encodingUndecided`).
    var firstHighByte: Int?

    /// Reads the chunk's records from `start` until a record ends at or past `limit`, or the input
    /// ends, counting from `counted`.
    mutating func read(
        _ file: PositionalFile, dialect: CSVDialect, keyBinder: CSVRowBinder, keepBytes: Bool,
        counted: (lines: Int, records: Int) = (0, 0)
    ) {
        items.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        arena.removeAll()
        (blanks, failure, broke, self.counted) = (0, nil, false, counted)
        let recorded = ReadFailure()
        let highBytes = file.encodingUndecided ? HighByteWatch() : nil
        defer { firstHighByte = highBytes?.first }
        var reader = CSVReader(
            continuing: FailureRecordingSource(
                source: PositionalFileSource(file: file, offset: start, limit: limit, highBytes: highBytes), failure: recorded),
            dialect: dialect, line: counted.lines + 1, records: counted.records)
        while start + reader.offset < limit {
            // As one thread: a record that arrives with a read failure is not used.
            guard recorded.message == nil, let item = reader.next(), recorded.message == nil else { break }
            switch item {
            case .failure(let error):
                items.append(.broken(error, reader.salvaged))
                keys.append(nil)
                broke = true
            case .success(let record):
                if CSVRowBinder.isBlank(record) {
                    blanks += 1
                } else {
                    let bytes = keepBytes ? reader.withLastRecordBytes { Array($0) } : nil
                    let first = arena.append(record)
                    items.append(.stored(first: first, count: record.count, line: record.line, number: record.number, bytes: bytes))
                    keys.append(keyBinder.duplicateKey(record))
                }
            }
            reader.settle()
        }
        failure = recorded.message
        (end, lines, records) = (start + reader.offset, reader.nextLine - 1 - counted.lines, reader.recordsRead - counted.records)
    }
}

/// Finds where chunks end: the first line feed at or past a given offset with an even number of
/// quotes since a record's start; or, while `countsQuotes` is false, the first line feed at or past
/// it, whatever the quotes before it.
struct BatchChunkPlanner {
    let file: PositionalFile
    /// Whether a cut counts the quotes from the chunk's start, which reads the whole chunk once more
    /// and is right for a file with line breaks inside quoted fields; else the cut is the first line
    /// feed at or past the target, read from there, which is right for every file without them.
    /// Either is a guess that the chunks' readers check (see BatchChunkRelay.swift), so neither can
    /// change a result, only how often a chunk is read again in its turn.
    var countsQuotes: Bool
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    init(file: PositionalFile, countsQuotes: Bool = true) {
        self.file = file
        self.countsQuotes = countsQuotes
    }

    /// Where up to `jobs` chunks from `start` end, each about `chunkBytes` long, by the
    /// quote-parity plan; a chunk that reaches the end of the file ends at `Int.max` and is the
    /// last. A read error here is met again by the chunk's reader, where one thread meets it.
    mutating func ranges(from start: Int, jobs: Int, chunkBytes: Int) -> [(start: Int, limit: Int)] {
        var ranges: [(start: Int, limit: Int)] = []
        var start = start
        for _ in 0..<jobs {
            let limit = (try? boundary(from: start, target: start + chunkBytes)) ?? Int.max
            ranges.append((start, limit))
            if limit == Int.max { break }
            start = limit
        }
        return ranges
    }

    /// The offset just after the first line feed at or past `target` with an even number of
    /// quotes from `start` to it; nil when the file ends first.
    mutating func boundary(from start: Int, target: Int) throws -> Int? {
        guard countsQuotes else { return try lineFeed(from: max(start, target)) }
        var odd: UInt64 = 0
        var position = start
        while true {
            let file = self.file
            let count = try buffer.withUnsafeMutableBytes { try file.read(at: position, into: $0) }
            if count == 0 { return nil }
            let found: Int? = buffer.withUnsafeBytes { raw in
                var index = 0
                // Before the target only the quotes' parity matters: sixteen bytes at a time, each
                // lane of `flips` turning over at every quote in its column; their sum's parity is
                // the quotes'.
                let plain = min(count, max(0, target - position))
                var flips = SIMD16<UInt8>()
                let quotes = SIMD16<UInt8>(repeating: 0x22)
                while index + 16 <= plain {
                    let bytes = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                    flips ^= SIMD16<UInt8>().replacing(with: 1, where: bytes .== quotes)
                    index += 16
                }
                odd ^= UInt64(flips.wrappedSum() & 1)
                while index < plain {
                    if raw[index] == 0x22 { odd ^= 1 }
                    index += 1
                }
                while index < count {
                    let byte = raw[index]
                    if byte == 0x22 {
                        odd ^= 1
                    } else if byte == 0x0A && odd == 0 {
                        return index
                    }
                    index += 1
                }
                return nil
            }
            if let found { return position + found + 1 }
            position += count
        }
    }

    /// The offset just after the first line feed at or past `target`; nil when the file ends first.
    /// Reads a short window first: a record is seldom longer.
    private mutating func lineFeed(from target: Int) throws -> Int? {
        var position = target
        var window = 1 << 10
        while true {
            let file = self.file
            let count = try buffer.withUnsafeMutableBytes { try file.read(at: position, into: .init(rebasing: $0[..<window])) }
            if count == 0 { return nil }
            let found = buffer.withUnsafeBytes { raw in
                memchr(raw.baseAddress.unsafelyUnwrapped, 0x0A, count).map { raw.baseAddress.unsafelyUnwrapped.distance(to: $0) }
            }
            if let found { return position + found + 1 }
            position += count
            window = buffer.count
        }
    }
}

/// Lets the chunks cross into the worker threads, where each touches only its own.
private struct ChunkBuffer: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<BatchChunk>
}

/// Lets the workers' buffer cross into the worker threads, where each touches only its own.
private struct ChunkWorkers: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<BatchWorker>
}

extension BatchRunner {
    /// The input as chunks of a regular file, or nil when it is not one that can be read so (see
    /// the top of this file): the caller then runs `runInParallel`.
    func chunkableFile<Source: ByteSource>(_ reader: CSVReader<Source>, _ failure: ReadFailure) -> PositionalFile? {
        guard failure.message == nil, reader.dialect != nil,
            let file = reader.inspectedSource.positional
        else { return nil }
        // A file whose encoding is still undecided is read in chunks too: the chunks' readers note
        // the first byte above 0x7F they meet, and the chunks, in input order, decide there
        // (`ChunkRelay.encodingUndecided`, `runInChunks`'s `take`).
        return file
    }

    /// The rows from `next` on, after the rows before it were written: a chunk met the file's first
    /// byte above 0x7F, and it is not UTF-8. From that chunk's start (a record's), with `lines` and
    /// `records` before it, one reader decides, decoding Windows-1252 or refusing the byte with its
    /// line, as the reader of the whole file would have.
    func decodingRest(
        file: PositionalFile, from next: Int, lines: Int, records: Int, dialect: CSVDialect, _ failure: ReadFailure,
        _ sink: BatchSink, _ hooks: BatchHooks, layout: BatchLayout, style: NumberStyle, decimalGuard: DecimalMarkGuard?,
        session: inout BatchSession
    ) -> BatchEnd {
        let decoded = TextEncodingSource(
            PositionalFileSource(file: file, offset: next), language: options.language, notice: hooks.encoding, line: lines + 1)
        var rest = CSVReader(
            continuing: FailureRecordingSource(source: decoded, failure: failure), dialect: dialect, line: lines + 1,
            records: records)
        return runInParallel(
            &rest, failure, sink, hooks, layout: layout, style: style, decimalGuard: decimalGuard, session: &session)
    }

    /// The CSV rows after the header, read in chunks of `file` on `options.jobs` threads;
    /// `session` has written the header and `reader` read it.
    func runInChunks<Source: ByteSource>(
        _ reader: CSVReader<Source>, file: PositionalFile, _ failure: ReadFailure, _ sink: BatchSink,
        _ hooks: BatchHooks, layout: BatchLayout, style: NumberStyle, decimalGuard: DecimalMarkGuard?,
        session: inout BatchSession
    ) -> BatchEnd {
        let options = self.options
        let ruleSets = self.ruleSets
        let jobs = max(1, options.jobs)
        let chunkBytes = max(1, options.blockSize) * 128
        guard let dialect = reader.dialect else { return session.end(.finished(session.summary), sink) }
        // Without traces or a sheet's cell names, nothing a row's binding writes depends on the
        // lines and records before it: the workers read and bind in one pass (BatchChunkRelay.swift).
        if !options.traces && options.sheetPlace == nil {
            switch runInChunksBound(
                file: file, dialect: dialect, start: reader.offset, lines: reader.nextLine - 1, records: reader.recordsRead,
                failure, sink, hooks, layout: layout, style: style, decimalGuard: decimalGuard, session: &session)
            {
            case .ended(let end):
                return end
            case .handedOff(let next, let lines, let records):
                return decodingRest(
                    file: file, from: next, lines: lines, records: records, dialect: dialect, failure, sink, hooks, layout: layout,
                    style: style, decimalGuard: decimalGuard, session: &session)
            }
        }
        var workers = makeWorkers(jobs, rows: 0, layout: layout, style: style, decimalGuard: decimalGuard, session: session)
        let keyBinder = CSVRowBinder(
            layout: layout, style: style, language: options.language, decimalGuard: decimalGuard, percent: options.percent)
        let keepBytes = options.traces
        // The plan cuts at the first line feed past each chunk's size until a chunk ends elsewhere
        // than planned; from then on it counts quotes, as the relay's does (`ChunkRelay.replan`).
        var planner = BatchChunkPlanner(file: file, countsQuotes: false)
        // Where the next round starts, and the lines and records before it.
        var next = reader.offset
        var lineBase = reader.nextLine - 1
        var numberBase = reader.recordsRead
        var finished = false
        // Until a chunk meets the file's first byte above 0x7F (see `ChunkRelay.encodingUndecided`);
        // where it is not UTF-8, the rounds end before that chunk and one reader goes on from it.
        var encodingUndecided = file.encodingUndecided
        var handOff: (next: Int, lines: Int, records: Int)?

        func ranges(from start: Int) -> [(start: Int, limit: Int)] {
            planner.ranges(from: start, jobs: jobs, chunkBytes: chunkBytes)
        }
        // The next round planned while the workers run this one, from where this one's plan ends,
        // used when every chunk of this one ended where planned.
        var speculated: (start: Int, ranges: [(start: Int, limit: Int)])?
        var plannedEnd = Int.max

        /// Plans the next round's chunks from `next`; false when there is nothing left to read.
        /// A chunk planned has `limit` > `start`; the others are empty.
        func plan(_ chunks: inout [BatchChunk]) -> Bool {
            for index in 0..<jobs { (chunks[index].start, chunks[index].limit) = (next, next) }
            plannedEnd = Int.max
            guard !finished else { return false }
            let planned = speculated.flatMap { $0.start == next ? $0.ranges : nil } ?? ranges(from: next)
            speculated = nil
            for (index, range) in planned.enumerated() { (chunks[index].start, chunks[index].limit) = range }
            plannedEnd = planned.last?.limit ?? Int.max
            return true
        }

        /// Plans the round after the one being read, assuming it ends where planned.
        func speculate() {
            if plannedEnd < Int.max { speculated = (plannedEnd, ranges(from: plannedEnd)) }
        }

        /// Takes the chunks read, in order, up to the first that did not begin at a record's start:
        /// numbers them in the file, checks duplicates, hands them to the workers. Returns the
        /// blank lines and duplicates among them, counted when the round is.
        typealias Round = (records: Int, blanks: Int, duplicates: Int, overflowed: Bool)
        let none: Round = (0, 0, 0, false)
        func take(_ chunks: inout [BatchChunk]) -> Round {
            var (records, blanks, duplicates) = (0, 0, 0)
            var valid = true
            for index in 0..<jobs {
                workers[index].items.removeAll(keepingCapacity: true)
                guard valid, chunks[index].limit > chunks[index].start else { continue }
                var chunk = chunks[index]
                if chunk.broke {
                    chunk.read(
                        file, dialect: dialect, keyBinder: keyBinder, keepBytes: keepBytes, counted: (lineBase, numberBase))
                }
                if encodingUndecided, let high = chunk.firstHighByte {
                    // The file's first byte above 0x7F: UTF-8 leaves the file as the readers read it.
                    if (try? file.beginsUTF8(at: high)) == true {
                        encodingUndecided = false
                    } else {
                        handOff = (next, lineBase, numberBase)
                        (finished, valid) = (true, false)
                        continue
                    }
                }
                // The worker adds the counts before the chunk as it binds; here only the
                // firm-years, in input order.
                workers[index].numbering = (lineBase - chunk.counted.lines, numberBase - chunk.counted.records)
                workers[index].duplicates.removeAll(keepingCapacity: true)
                for key in chunk.keys {
                    var duplicate = false
                    if let key {
                        duplicate = session.duplicates.insert(cvrIndex: key.cvrIndex, year: key.year)
                        if duplicate { duplicates += 1 }
                    }
                    workers[index].duplicates.append(duplicate)
                }
                swap(&workers[index].items, &chunk.items)
                swap(&workers[index].arena, &chunk.arena)
                chunks[index] = chunk
                records += workers[index].items.count
                blanks += chunk.blanks
                lineBase += chunk.lines
                numberBase += chunk.records
                next = chunk.end
                if let message = chunk.failure {
                    if failure.message == nil { failure.message = message }
                    finished = true
                    valid = false
                } else if chunk.limit == Int.max {
                    finished = true
                    valid = false
                } else if chunk.end != chunk.limit {
                    // The plan guessed wrong: the chunks after this one did not begin at a record.
                    // A line feed it took for a record's end was not one: count quotes from here on.
                    valid = false
                    planner.countsQuotes = true
                }
            }
            return (records, blanks, duplicates, session.duplicates.overflowed)
        }

        var chunks = Array(repeating: BatchChunk(), count: jobs)
        var pending = RoundOutput(jobs: jobs)
        if let error = session.flush(sink) { return .outputFailed(error, session.summary) }
        let group = DispatchGroup()

        /// Runs the workers: each evaluates its items (`evaluate`), then reads its planned chunk;
        /// meanwhile this thread writes the last round's results.
        func runRound(evaluate: Bool, read: Bool) -> ToolError? {
            var outputError: ToolError?
            let runOptions = options
            workers.withUnsafeMutableBufferPointer { workerBuffer in
                chunks.withUnsafeMutableBufferPointer { chunkBuffer in
                    let shared = ChunkWorkers(base: workerBuffer)
                    let planned = ChunkBuffer(base: chunkBuffer)
                    for index in 0..<jobs {
                        let evaluates = evaluate && !shared.base[index].items.isEmpty
                        let reads = read && planned.base[index].limit > planned.base[index].start
                        guard evaluates || reads else { continue }
                        if evaluates {
                            let needed = shared.base[index].items.count
                            if shared.base[index].rows.count < needed {
                                shared.base[index].rows += Array(
                                    repeating: BatchRow(ruleSets: ruleSets), count: needed - shared.base[index].rows.count)
                            }
                        }
                        DispatchQueue.global().async(group: group) {
                            if evaluates { shared.base[index].run(options: runOptions) }
                            if reads {
                                planned.base[index].read(
                                    file, dialect: dialect, keyBinder: shared.base[index].binder, keepBytes: keepBytes)
                            }
                        }
                    }
                    outputError = pending.write(to: sink)
                    if read { speculate() }
                    // Never leave while a worker runs: it writes into `workers` and `chunks`.
                    group.wait()
                }
            }
            return outputError
        }

        // The first round is read alone; from then on, each round's reading goes with the last
        // round's evaluation.
        var reading = plan(&chunks)
        if reading, let error = runRound(evaluate: false, read: true) { return .outputFailed(error, session.summary) }
        var current = reading ? take(&chunks) : none
        while current.records > 0 || current.blanks > 0 {
            reading = plan(&chunks)
            if let error = runRound(evaluate: true, read: reading) { return .outputFailed(error, session.summary) }
            pending.take(
                from: &workers, 0..<jobs, blanks: current.blanks, duplicates: current.duplicates, overflowed: current.overflowed,
                into: &session, hooks)
            current = reading ? take(&chunks) : none
            if current.records > 0 && hooks.shouldStop() {
                if let error = pending.write(to: sink) { return .outputFailed(error, session.summary) }
                return session.end(.interrupted(session.summary), sink)
            }
        }
        if let error = pending.write(to: sink) { return .outputFailed(error, session.summary) }
        if let handOff {
            return decodingRest(
                file: file, from: handOff.next, lines: handOff.lines, records: handOff.records, dialect: dialect, failure, sink,
                hooks, layout: layout, style: style, decimalGuard: decimalGuard, session: &session)
        }
        if let message = failure.message { return session.end(.inputFailed(message, session.summary), sink) }
        return session.end(.finished(session.summary), sink)
    }
}
