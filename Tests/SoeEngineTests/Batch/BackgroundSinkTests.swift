import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// `BackgroundSink` writes on a thread of its own: the bytes must arrive in order and whole, a
/// failure must not be lost, and no more than `depth` buffers may wait.
@Suite("background writing of batch output")
struct BackgroundSinkTests {
    /// A sink that records what it gets, can be held shut, and fails from a given write on.
    final class Recorder: BatchSink, @unchecked Sendable {
        private let lock = NSLock()
        private var received: [UInt8] = []
        private var calls = 0
        private var writers: [pthread_t] = []
        let failFrom: Int?
        let gate = DispatchSemaphore(value: 0)
        let gated: Bool

        init(failFrom: Int? = nil, gated: Bool = false) {
            (self.failFrom, self.gated) = (failFrom, gated)
        }

        func write(_ bytes: [UInt8]) -> ToolError? {
            if gated { gate.wait() }
            return lock.withLock {
                calls += 1
                writers.append(pthread_self())
                if let failFrom, calls >= failFrom { return ToolError("disk full") }
                received += bytes
                return nil
            }
        }

        var bytes: [UInt8] { lock.withLock { received } }
        var writes: Int { lock.withLock { calls } }
        /// The thread of each write, in order.
        var threads: [pthread_t] { lock.withLock { writers } }
    }

    @Test("one buffer is held, then written by finish on the caller's thread: no thread for a small batch")
    func oneBuffer() {
        let target = Recorder()
        let sink = BackgroundSink(target)
        #expect(sink.write(Array("only\n".utf8)) == nil)
        #expect(target.writes == 0, "held until a second buffer or finish")
        #expect(sink.finish() == nil)
        #expect(target.bytes == Array("only\n".utf8))
        #expect(target.threads.count == 1 && pthread_equal(target.threads[0], pthread_self()) != 0)
        #expect(sink.finish() == nil, "a second finish writes nothing more")
        #expect(target.writes == 1)
    }

    @Test("a second buffer starts the writing thread, which writes the held one first")
    func secondBufferStartsThread() {
        let target = Recorder()
        let sink = BackgroundSink(target)
        #expect(sink.write(Array("first\n".utf8)) == nil)
        #expect(sink.write(Array("second\n".utf8)) == nil)
        #expect(sink.finish() == nil)
        #expect(target.bytes == Array("first\nsecond\n".utf8))
        #expect(target.threads.count == 2)
        #expect(target.threads.allSatisfy { pthread_equal($0, pthread_self()) == 0 }, "both written by the writing thread")
    }

    @Test("the failure of the only buffer is reported by finish")
    func onlyBufferFails() {
        let target = Recorder(failFrom: 1)
        let sink = BackgroundSink(target)
        #expect(sink.write(Array("only\n".utf8)) == nil)
        #expect(sink.finish()?.message == "disk full")
        #expect(target.bytes.isEmpty)
    }

    @Test("finish with nothing written writes nothing")
    func nothingWritten() {
        let target = Recorder()
        let sink = BackgroundSink(target)
        #expect(sink.finish() == nil)
        #expect(target.writes == 0)
    }

    @Test("every byte arrives, in order, once finish returns")
    func order() {
        let target = Recorder()
        let sink = BackgroundSink(target, depth: 3)
        var expected: [UInt8] = []
        for index in 0..<2_000 {
            let piece = Array("row \(index)\n".utf8)
            expected += piece
            #expect(sink.write(piece) == nil)
        }
        #expect(sink.finish() == nil)
        #expect(target.bytes == expected)
    }

    @Test("a failed write is reported by a later write and by finish, and nothing after it is written")
    func failure() {
        let target = Recorder(failFrom: 3)
        let sink = BackgroundSink(target, depth: 2)
        var reported: ToolError?
        for index in 0..<200 where reported == nil {
            reported = sink.write(Array("piece \(index)\n".utf8))
            if reported == nil && index >= 2 { Thread.sleep(forTimeInterval: 0.001) }
        }
        #expect(reported?.message == "disk full")
        #expect(sink.finish()?.message == "disk full")
        #expect(target.bytes == Array("piece 0\npiece 1\n".utf8))
        #expect(target.writes == 3, "no write is tried after the first failure")
    }

    @Test("a failure of the last write is reported by finish, which the command checks before committing")
    func lastWriteFails() {
        let target = Recorder(failFrom: 2)
        let sink = BackgroundSink(target)
        #expect(sink.write(Array("first\n".utf8)) == nil)
        #expect(sink.write(Array("last\n".utf8)) == nil, "handed over; the failure is not known yet")
        #expect(sink.finish()?.message == "disk full")
        #expect(target.bytes == Array("first\n".utf8))
    }

    @Test("no more than depth buffers wait while the target is slow")
    func bounded() {
        let target = Recorder(gated: true)
        let sink = BackgroundSink(target, depth: 2)
        let returned = NSLock()
        nonisolated(unsafe) var done = 0
        let producer = Thread {
            for _ in 0..<10 {
                _ = sink.write([1, 2, 3])
                returned.withLock { done += 1 }
            }
        }
        producer.start()
        // The writing thread holds one buffer at the shut gate; depth 2 lets two writes return,
        // and no third while the gate stays shut.
        let start = Date()
        while returned.withLock({ done }) < 2 && Date().timeIntervalSince(start) < 10 { Thread.sleep(forTimeInterval: 0.01) }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(returned.withLock { done } == 2)
        for _ in 0..<10 { target.gate.signal() }
        while returned.withLock({ done }) < 10 { Thread.sleep(forTimeInterval: 0.01) }
        #expect(sink.finish() == nil)
        #expect(target.bytes.count == 30)
    }

    // The hand-over under a lock (`Handover`): a thread woken every `wakeAt` buffers, not every one.

    /// Pieces of every length from 0 to a few hundred bytes, each with its index in it, so that a
    /// piece lost, doubled or out of order changes the bytes.
    static func pieces(_ count: Int) -> [[UInt8]] {
        (0..<count).map { index in Array("<\(index)>".utf8) + Array(repeating: UInt8(97 + index % 26), count: index * 37 % 300) }
    }

    @Test("every depth and wake count keeps every byte in order, empty buffers included")
    func orderAtEveryDepth() {
        let pieces = Self.pieces(300) + [[], [], Array("end\n".utf8)]
        for depth in 1...6 {
            for wakeAt in 1...depth {
                let target = Recorder()
                let sink = BackgroundSink(target, depth: depth, wakeAt: wakeAt)
                for piece in pieces { #expect(sink.write(piece) == nil) }
                #expect(sink.finish() == nil)
                #expect(target.bytes == pieces.flatMap { $0 }, "depth \(depth), woken at \(wakeAt)")
                #expect(target.writes == pieces.count, "one write of the target per buffer, in the order given")
            }
        }
    }

    @Test("a failure at the 1st, 2nd ... nth write: the buffers before it written, none after, reported by finish")
    func failureAtEveryWrite() {
        let pieces = Self.pieces(12)
        for failing in 1...12 {
            for (depth, wakeAt) in [(1, 1), (2, 1), (4, 2), (8, 4), (8, 8)] {
                let target = Recorder(failFrom: failing)
                let sink = BackgroundSink(target, depth: depth, wakeAt: wakeAt)
                var reported: ToolError?
                for piece in pieces where reported == nil { reported = sink.write(piece) }
                #expect(reported == nil || reported?.message == "disk full", "a later write reports the failure, if any")
                #expect(sink.finish()?.message == "disk full", "failing at write \(failing), depth \(depth)")
                #expect(target.bytes == pieces.prefix(failing - 1).flatMap { $0 })
                #expect(target.writes == failing, "no write is tried after the first failure")
            }
        }
    }

    @Test("a caller waiting for room is woken with the failure when the write it waits behind fails")
    func failureWakesWaitingCaller() {
        let target = Recorder(failFrom: 1, gated: true)
        let sink = BackgroundSink(target, depth: 2, wakeAt: 1)
        let returned = NSLock()
        nonisolated(unsafe) var results: [ToolError?] = []
        let producer = Thread {
            for index in 0..<3 {
                let result = sink.write([UInt8(index)])
                returned.withLock { results.append(result) }
            }
        }
        producer.start()
        // Two buffers go in (one held, then both handed over at the second); the third waits for room.
        let start = Date()
        while returned.withLock({ results.count }) < 2 && Date().timeIntervalSince(start) < 10 {
            Thread.sleep(forTimeInterval: 0.01)
        }
        target.gate.signal()
        while returned.withLock({ results.count }) < 3 && Date().timeIntervalSince(start) < 20 {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(returned.withLock { results.count } == 3, "the waiting write returned")
        #expect(returned.withLock { results.last??.message } == "disk full")
        target.gate.signal()
        #expect(sink.finish()?.message == "disk full")
        #expect(target.writes == 1 && target.bytes.isEmpty)
    }

    @Test("the writing thread is woken once every wakeAt buffers, not once a buffer")
    func fewWakes() {
        let target = Recorder()
        let sink = BackgroundSink(target, depth: 8, wakeAt: 4)
        let pieces = Self.pieces(40)
        // The pauses let the thread write everything and sleep between buffers, so that a thread
        // woken per buffer would be woken about 40 times.
        for piece in pieces {
            #expect(sink.write(piece) == nil)
            Thread.sleep(forTimeInterval: 0.002)
        }
        #expect(sink.finish() == nil)
        #expect(target.bytes == pieces.flatMap { $0 })
        // One wake per 4 buffers (the first two go in together), and one by finish.
        #expect(sink.threadWakes <= 40 / 4 + 1, "woken \(sink.threadWakes) times")
        #expect(sink.threadWakes >= 1)
    }

    @Test("a sink dropped without finish: the thread writes what waits, in order, and ends")
    func droppedWithoutFinish() {
        let target = Recorder()
        let pieces = Self.pieces(50)
        do {
            let sink = BackgroundSink(target, depth: 8, wakeAt: 8)
            for piece in pieces { #expect(sink.write(piece) == nil) }
        }
        let expected = pieces.flatMap { $0 }
        let start = Date()
        while target.bytes.count < expected.count && Date().timeIntervalSince(start) < 20 {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(target.bytes == expected)
    }

    @Test("the temporary file gets every byte through the writing thread, with writeback asked every few MB")
    func atomicFileThroughThread() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-bgsink-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/out.csv"
        let file = try AtomicFileSink.create(path).get()
        let sink = BackgroundSink(file)
        var expected: [UInt8] = []
        // Pieces of odd lengths, past two writeback intervals and a page's remainder.
        let interval = AtomicFileSink.writebackInterval
        var index = 0
        while expected.count < 2 * interval + 12_345 {
            let piece = Array(repeating: UInt8(48 + index % 10), count: 65_536 + index % 4_099)
            expected += piece
            #expect(sink.write(piece) == nil)
            index += 1
        }
        #expect(sink.finish() == nil)
        #expect(file.writebackAsked % 4_096 == 0 && file.writebackAsked >= interval)
        #expect(expected.count - file.writebackAsked < interval + 4_096 + 69_635, "asked again once an interval more was written")
        #expect(file.commit() == nil)
        #expect(FileManager.default.contents(atPath: path).map { [UInt8]($0) } == expected)
    }

    @Test("blocks are reserved ahead of a large file's writes and released past its end at commit; a small file reserves none")
    func reservedBlocks() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-reserve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let interval = AtomicFileSink.writebackInterval
        // Reserving starts with the first write past the writeback interval: a file just past it
        // may reserve or not; one far past it has reserved beyond its end.
        for size in [5_000, interval + 1, 2 * interval + AtomicFileSink.reserveStep + 777_777] {
            let path = folder + "/out-\(size).csv"
            let file = try AtomicFileSink.create(path).get()
            var expected: [UInt8] = []
            var index = 0
            while expected.count < size {
                let piece = Array(repeating: UInt8(65 + index % 26), count: Swift.min(size - expected.count, 262_144 + index % 977))
                expected += piece
                #expect(file.write(piece) == nil)
                index += 1
            }
            let reserved = file.reservedUpTo
            if size < interval {
                #expect(reserved == 0, "a small file reserves nothing")
            } else if size > 2 * interval {
                #if os(Linux)
                    // Every Linux file system the tests run on (ext4, xfs, tmpfs, btrfs) reserves.
                    #expect(reserved >= size, "\(size) bytes: reserved up to \(reserved)")
                #endif
            }
            #expect(file.commit() == nil)
            #expect(FileManager.default.contents(atPath: path).map { [UInt8]($0) } == expected, "\(size) bytes")
            var status = stat()
            #expect(stat(path, &status) == 0)
            #expect(Int(status.st_size) == size)
            // What was reserved past the end is released: the blocks cover the bytes, give or take a
            // file system's own rounding, not the 32 MB step.
            #expect(Int(status.st_blocks) * 512 < size + (1 << 20), "\(size) bytes in \(Int(status.st_blocks) * 512) bytes of blocks")
        }
    }

    @Test("buffers handed over by swapping come back empty, their room kept, and every byte arrives in order")
    func swappedBuffers() {
        let pieces = Self.pieces(400)
        for (depth, wakeAt) in [(1, 1), (2, 1), (3, 2), (8, 4)] {
            let target = Recorder()
            let sink = BackgroundSink(target, depth: depth, wakeAt: wakeAt)
            // As a batch does: one buffer, filled, handed over, filled again.
            var buffer: [UInt8] = []
            var swapped = 0
            for (index, piece) in pieces.enumerated() {
                buffer += piece
                // Mixed with plain writes (a page, a sheet), whose buffers are not handed back.
                if index % 7 == 3 {
                    #expect(sink.write(buffer) == nil)
                    buffer.removeAll()
                } else {
                    #expect(sink.write(emptying: &buffer) == nil)
                    #expect(buffer.isEmpty, "handed back empty")
                    swapped += 1
                }
            }
            #expect(sink.finish() == nil)
            #expect(target.bytes == pieces.flatMap { $0 }, "depth \(depth), woken at \(wakeAt)")
            // Most buffers swapped are ones the thread wrote (not the first few: the held one, and
            // those handed over before it wrote any); the plain writes' are not handed back.
            #expect(sink.buffersHandedBack >= swapped / 2, "\(sink.buffersHandedBack) of \(swapped) handed back")
        }
    }

    @Test("a failure at the nth write with swapped buffers: the same bytes before it, none after")
    func failureWithSwappedBuffers() {
        let pieces = Self.pieces(10)
        for failing in 1...10 {
            let target = Recorder(failFrom: failing)
            let sink = BackgroundSink(target, depth: 4, wakeAt: 2)
            var reported: ToolError?
            var buffer: [UInt8] = []
            for piece in pieces where reported == nil {
                buffer += piece
                reported = sink.write(emptying: &buffer)
            }
            #expect(sink.finish()?.message == "disk full")
            #expect(target.bytes == pieces.prefix(failing - 1).flatMap { $0 })
            #expect(target.writes == failing)
        }
    }

    @Test("a write after finish is written after everything before it, on the caller's thread")
    func writeAfterFinish() {
        let target = Recorder()
        let sink = BackgroundSink(target, depth: 1, wakeAt: 1)
        let pieces = Self.pieces(6)
        for piece in pieces.prefix(4) { #expect(sink.write(piece) == nil) }
        #expect(sink.finish() == nil)
        #expect(sink.write(pieces[4]) == nil)
        var last = pieces[5]
        #expect(sink.write(emptying: &last) == nil)
        #expect(last.isEmpty)
        #expect(sink.finish() == nil)
        #expect(target.bytes == pieces.flatMap { $0 })
        #expect(pthread_equal(target.threads.last!, pthread_self()) != 0)
    }

    @Test("a write after a finish that started no thread is written at once, in order, on the caller's thread")
    func writeAfterFinishWithoutThread() {
        let target = Recorder()
        let sink = BackgroundSink(target)
        let pieces = Self.pieces(4)
        #expect(sink.write(pieces[0]) == nil)
        #expect(sink.finish() == nil)
        #expect(sink.write(pieces[1]) == nil)
        #expect(target.bytes == pieces.prefix(2).flatMap { $0 }, "written by the write itself, not held for a finish")
        var third = pieces[2]
        #expect(sink.write(emptying: &third) == nil)
        #expect(third.isEmpty)
        #expect(sink.write(pieces[3]) == nil)
        #expect(sink.finish() == nil)
        #expect(target.bytes == pieces.flatMap { $0 })
        #expect(target.threads.allSatisfy { pthread_equal($0, pthread_self()) != 0 }, "no thread started after finish")
    }

    @Test("after a finish, a failed write stops the writes after it, and finish reports it, with or without a thread")
    func failureAfterFinish() {
        for buffersBefore in [1, 4] {
            // The first write after `finish` is the target's write number `failing`.
            let failing = buffersBefore + 1
            let target = Recorder(failFrom: failing)
            let sink = BackgroundSink(target, depth: 1, wakeAt: 1)
            let pieces = Self.pieces(buffersBefore + 3)
            for piece in pieces.prefix(buffersBefore) { #expect(sink.write(piece) == nil) }
            #expect(sink.finish() == nil)
            #expect(sink.write(pieces[buffersBefore])?.message == "disk full", "\(buffersBefore) before")
            #expect(sink.write(pieces[buffersBefore + 1])?.message == "disk full", "\(buffersBefore) before")
            #expect(target.writes == failing, "no write is tried after the failure (\(buffersBefore) before)")
            #expect(sink.finish()?.message == "disk full", "\(buffersBefore) before")
            #expect(target.bytes == pieces.prefix(buffersBefore).flatMap { $0 })
        }
    }

    @Test("writing on the calling threads: what waits is written first, then each write on its caller's thread")
    func writeOnCallingThreads() {
        for started in [false, true] {
            let target = Recorder()
            let sink = BackgroundSink(target, depth: 2, wakeAt: 2)
            let pieces = Self.pieces(7)
            for piece in pieces.prefix(started ? 3 : 1) { #expect(sink.write(piece) == nil) }
            #expect(!sink.writesOnCallingThreads)
            #expect(sink.writeOnCallingThreads() == nil)
            #expect(sink.writesOnCallingThreads)
            let before = target.writes
            #expect(target.bytes == pieces.prefix(started ? 3 : 1).flatMap { $0 }, "started \(started)")
            for (index, piece) in pieces.dropFirst(started ? 3 : 1).enumerated() {
                var given = piece
                #expect(sink.write(emptying: &given) == nil)
                #expect(given.isEmpty)
                #expect(target.writes == before + index + 1, "written at once, started \(started)")
            }
            #expect(target.bytes == pieces.flatMap { $0 }, "started \(started)")
            let callers = target.threads.dropFirst(before)
            #expect(callers.count == pieces.count - (started ? 3 : 1))
            #expect(callers.allSatisfy { pthread_equal($0, pthread_self()) != 0 }, "started \(started)")
            #expect(sink.finish() == nil)
        }
    }

    @Test("a chunked --jobs batch writes on its workers: the sink's thread ends before the chunks, the bytes are one thread's")
    func chunkedBatchWritesOnWorkers() throws {
        let rows = (0..<400).map { BatchFixtures.goodRow(id: "F\($0)", year: String(2020 + $0 % 5)) }
        let bytes = Array((BatchFixtures.header + "\n" + rows.joined(separator: "\n") + "\n").utf8)
        func run(jobs: Int, traces: Bool = false) throws -> (bytes: [UInt8], onCallers: Bool, threads: Set<UInt>) {
            try withFileDescriptor(bytes) { fd in
                let target = Recorder()
                let sink = BackgroundSink(target, depth: 2, wakeAt: 1)
                let runner = BatchRunner(
                    ruleSets: BatchFixtures.ruleSets(), options: BatchChunkTests.options(jobs: jobs, blockSize: 2, traces: traces))
                _ = runner.run(FileDescriptorSource(fd: fd), to: sink)
                let onCallers = sink.writesOnCallingThreads
                #expect(sink.finish() == nil)
                return (target.bytes, onCallers, Set(target.threads.map { UInt($0) }))
            }
        }
        let one = try run(jobs: 1)
        #expect(!one.onCallers, "one thread keeps the sink's writing thread")
        let two = try run(jobs: 2)
        #expect(two.onCallers, "the chunks' workers write")
        #expect(two.bytes == one.bytes)
        #expect(two.threads.count >= 2, "the header by this thread, the chunks by the workers")
        // With traces the chunks go in rounds, written by this thread between them: the sink keeps its thread.
        let traced = try run(jobs: 2, traces: true)
        #expect(!traced.onCallers)
    }
}
