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
}
