import Dispatch
import SoeLanguage
import SoeMemoryHints

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// A batch of one evaluating thread (`--jobs 1`) already writes on a thread of its own
// (`BackgroundSink`); its reading, read(2) of 64 KiB at a time into the CSV reader's buffer, was
// on the evaluating thread, the critical path on two cores: the kernel's copy of every byte
// (`filemap_read`, `_copy_to_iter`), about 4 % of a run's samples. Here a thread reads a regular
// file ahead into a small ring of buffers (4 × 256 KiB), one read(2) per buffer, and the
// evaluating thread only copies the bytes out of them (docs/benchmark.md, "Steps of wave 3,
// session 14: reading ahead").
//
// Kept as they were:
// - a read error is served where it happened: the bytes before it first, then the same error,
//   thrown by `read` on the evaluating thread (the thread never touches the batch's `ReadFailure`);
// - `Interruption`: `read` checks it before serving anything, as `FileDescriptorSource` does
//   before every read(2), and the thread's own reads stop at it;
// - pipes and standard input from a terminal or a pipe are read as before, on the evaluating
//   thread: a read of a pipe can wait for ever, and a signal would not wake a thread blocked in it,
//   so no thread may be left in one. A regular file's read(2) never waits for a writer;
// - a process that may run on one processor only (`taskset`, a container's CPU set) reads directly:
//   there the thread would only take turns with the evaluating one;
// - a short input pays nothing: the thread starts only after a direct read of at least
//   `ReadAhead.minimumAsk` bytes came back full (the file goes on), and only then is the file
//   looked at (one fstat); one firm's file ends within its first read and never starts it;
// - no thread outlives the source: dropping it (the batch's end, however it ends) closes the
//   ring and waits until the thread has left it.

/// When a `ReadAheadSource` reads on a thread of its own.
enum ReadAhead: Sendable, Equatable {
    /// Never: every read is the source's, on the caller's thread.
    case never
    /// When the source is a regular file (`ByteSource.positional`) and a direct read of at
    /// least `minimumAsk` bytes came back full.
    case regularFiles
    /// From the second read on, once the first served a byte, whatever the source is: for tests,
    /// which read generated sources in awkward pieces through the ring.
    case always

    /// The least a direct read must ask for, and get, before the thread starts (`regularFiles`):
    /// the CSV reader's first read asks for its whole buffer (64 KiB, less the sniffed head), the
    /// sniffing's for 4 KiB, which never starts it.
    static let minimumAsk = 1 << 14

    /// Whether this process may use more than one processor at once (its affinity, which `taskset`
    /// and a container's CPU set limit, and its control groups' CPU quota, which `docker run --cpus`
    /// and a Kubernetes CPU limit set): on one, the reading thread only takes turns with the
    /// evaluating one, and the copy out of the ring is a cost with no gain (pinned to one core, 2 %
    /// slower in wall clock), so `regularFiles` reads directly there.
    static let spareProcessor = worthAThread(processors: processors)

    /// The processors this process may use at once (`usableProcessors`), read once: its affinity
    /// and its control groups' quota, which do not change while a batch runs.
    static let processors = usableProcessors(affinity: availableProcessors(), quota: CPUQuota.processors())

    /// Whether `processors` leave a core for the reading thread.
    static func worthAThread(processors: Int) -> Bool { processors > 1 }

    /// The processors this process may run on (`soe_available_processors`).
    static func availableProcessors() -> Int { Int(soe_available_processors()) }

    /// The processors a process may use at once: those it may run on, no more than its CPU quota
    /// allows (`CPUQuota.processors`, nil for none).
    static func usableProcessors(affinity: Int, quota: Int?) -> Int { quota.map { min(affinity, $0) } ?? affinity }
}

/// Serves a source's bytes, read ahead on a thread of its own once the input has shown itself long
/// (see the top of this file); until then, and with `ReadAhead.never`, reads pass straight through.
struct ReadAheadSource<Source: ByteSource>: ByteSource {
    private var source: Source?
    private let policy: ReadAhead
    private let bufferSize: Int
    private let buffers: Int
    private let minimumAsk: Int
    /// Room in front of each buffer's bytes for the bytes a lend keeps (`lend`): the unread end of
    /// a record and of the buffer before, the reader's first buffer at most.
    private let headroom: Int
    /// Whether the last direct read says the input goes on: it asked for at least `minimumAsk` bytes
    /// and got them all (`regularFiles`), or served any (`always`).
    private var lastReadFull = false
    /// The ring, once the thread has started; its owner closes it when the source is dropped.
    private var owner: ReadAheadOwner?
    /// The buffer taken from the ring, its bytes up to `filled`, served up to `served` (both from
    /// `headroom` on). Once lent, the CSV reader's buffer is the same array.
    private var current: [UInt8] = []
    private var filled = 0
    private var served = 0
    /// Whether the thread started (for tests).
    var readsAhead: Bool { owner != nil }

    /// Reads `source`, ahead on a thread by `policy`, into `buffers` buffers of `bufferSize` bytes,
    /// each with `headroom` bytes of room in front for what a lend keeps.
    init(
        _ source: Source, policy: ReadAhead, bufferSize: Int = 1 << 18, buffers: Int = 4,
        minimumAsk: Int = ReadAhead.minimumAsk, headroom: Int = 1 << 16
    ) {
        self.headroom = Swift.max(0, headroom)
        self.source = source
        self.policy = policy
        self.bufferSize = Swift.max(1, bufferSize)
        self.buffers = Swift.max(2, buffers)
        self.minimumAsk = Swift.max(1, minimumAsk)
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let owner else {
            if lastReadFull, startsThread(), let ring = self.owner?.ring {
                return try readRing(ring, into: buffer)
            }
            let count = try source!.read(into: buffer)
            switch policy {
            case .never: break
            case .regularFiles: lastReadFull = buffer.count >= minimumAsk && count == buffer.count
            case .always: lastReadFull = count > 0
            }
            return count
        }
        return try readRing(owner.ring, into: buffer)
    }

    /// Fills `buffer` from the ring as a read(2) of a regular file fills it: whole, taking the next
    /// filled buffer (and handing the spent one back) as often as it takes; short only where the
    /// input ends or fails, and a failure after some bytes thrown by the next read. The CSV reader
    /// drops the record a failing refill was reading, so which rows come before an error depends on
    /// where reads stop; stopping where a file's reads would keeps them the same.
    private mutating func readRing(_ ring: ReadAheadRing, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        if Interruption.requested { throw ByteSourceError(message: "interrupted", code: EINTR) }
        var copied = 0
        while copied < buffer.count {
            if served == filled {
                switch ring.take(handingBack: &current) {
                case .bytes(let count):
                    (filled, served) = (headroom + count, headroom)
                case .end:
                    (filled, served) = (0, 0)
                    return copied
                case .failure(let error):
                    (filled, served) = (0, 0)
                    if copied > 0 { return copied }
                    throw error
                }
            }
            let from = served
            let count = Swift.min(buffer.count - copied, filled - from)
            current.withUnsafeBytes { all in
                if let start = all.baseAddress { (base + copied).copyMemory(from: start + from, byteCount: count) }
            }
            served = from + count
            copied += count
        }
        return copied
    }

    /// `read(into:)` without the copy: the CSV reader reads its records in the ring's buffer
    /// (`ByteSource.lend`). The new bytes are those `readRing` would copy into `ask` bytes, and
    /// stop where it would stop (at the end of `ask`, the input's end or a failure): when the
    /// current buffer holds them, `buffer` is that buffer, the kept bytes in place in front of
    /// them when it already was (the common case: nothing is copied) or copied in front; when
    /// they go on into the next buffer, the kept bytes and the current buffer's last ones are
    /// copied in front of the next one's (its headroom), and the current one goes back to the ring.
    /// Nil, with nothing read, when the ask or the kept bytes do not fit (a long record), or while
    /// the source reads directly.
    mutating func lend(_ buffer: inout [UInt8], keeping: Range<Int>, ask: Int) throws -> Range<Int>? {
        let kept = keeping.count
        guard ask > 0, ask <= bufferSize, kept <= headroom else { return nil }
        if owner == nil {
            guard lastReadFull, startsThread() else { return nil }
        }
        guard let ring = owner?.ring else { return nil }
        if Interruption.requested { throw ByteSourceError(message: "interrupted", code: EINTR) }
        let available = filled - served
        if available < ask {
            guard kept + available <= headroom else { return nil }
            var next: [UInt8] = []
            switch ring.take(handingBack: &next) {
            case .bytes(let count):
                // The kept bytes and the current buffer's last ones in front of the next buffer's.
                let at = headroom - available - kept
                let tail = served..<filled
                next.withUnsafeMutableBytes { into in
                    guard let to = into.baseAddress else { return }
                    buffer.withUnsafeBytes { from in
                        if kept > 0, let from = from.baseAddress { (to + at).copyMemory(from: from + keeping.lowerBound, byteCount: kept) }
                    }
                    current.withUnsafeBytes { from in
                        if available > 0, let from = from.baseAddress {
                            (to + at + kept).copyMemory(from: from + tail.lowerBound, byteCount: available)
                        }
                    }
                }
                // The caller's array let go first, so that the ring gets the current one back unshared.
                buffer = next
                ring.handBack(&current)
                current = next
                (filled, served) = (headroom + count, headroom + Swift.min(ask - available, count))
                return at..<served
            // Served where `readRing` stops: the current buffer's last bytes first (below), and the
            // end or the failure, which the ring gives again, at the next call.
            case .end:
                if available == 0 { return keeping }
            case .failure(let error):
                if available == 0 { throw error }
            }
        }
        let count = Swift.min(ask, available)
        let shared = keeping.upperBound == served && Self.sameArray(buffer, current)
        if !shared {
            let at = served - kept
            current.withUnsafeMutableBytes { into in
                buffer.withUnsafeBytes { from in
                    if kept > 0, let to = into.baseAddress, let from = from.baseAddress {
                        (to + at).copyMemory(from: from + keeping.lowerBound, byteCount: kept)
                    }
                }
            }
            buffer = current
            served += count
            return at..<served
        }
        served += count
        return keeping.lowerBound..<served
    }

    /// Whether two arrays are one storage.
    private static func sameArray(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
    }

    /// Starts the thread when the policy allows it for this source; false to go on reading directly.
    private mutating func startsThread() -> Bool {
        guard let source else { return false }
        if policy == .regularFiles {
            guard ReadAhead.spareProcessor, source.positional != nil else {
                lastReadFull = false
                return false
            }
        }
        self.source = nil
        owner = ReadAheadOwner(ring: ReadAheadRing(source, bufferSize: bufferSize, buffers: buffers, headroom: headroom))
        return true
    }
}

extension ReadAheadSource {
    /// The source's file while nothing was read ahead; nil once the thread has started, as the
    /// file's offset is then the thread's, ahead of what was served.
    var positional: PositionalFile? { owner == nil ? source?.positional : nil }
}

/// Closes the ring when the source that holds it goes, and waits for the thread to leave it.
/// Apart from the ring, which the thread holds too, so that the source's going is seen.
final class ReadAheadOwner {
    let ring: ReadAheadRing

    init(ring: ReadAheadRing) {
        self.ring = ring
    }

    deinit {
        ring.close()
    }
}

/// The buffers between the reading thread and the caller: filled ones in order, empty ones for the
/// thread, and how the input ended. One mutex guards it all; the caller sleeps on `data`, the
/// thread on `room`.
final class ReadAheadRing: @unchecked Sendable {
    // @unchecked: `source` is used only by the thread, every other stored property but the
    // constants and the primitives only with `lock` held.
    enum Taken {
        case bytes(Int)
        case end
        case failure(Error)
    }

    /// Not generic over the source: a thread's block made in a generic class captures the type.
    /// One call through the existential per buffer read costs nothing that counts.
    private var source: any ByteSource
    /// Each buffer's size: `headroom` bytes of room, then the bytes read.
    private let bufferSize: Int
    private let headroom: Int
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let data = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let room = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Buffers read, in order, with how many bytes each holds.
    private var filledBuffers: [(bytes: [UInt8], count: Int)] = []
    /// Buffers for the thread to read into.
    private var empty: [[UInt8]]
    /// Set by the thread after its last buffer: the input's end (nil) or its error.
    private var finished = false
    private var failure: Error?
    /// The caller has gone: the thread reads no more and leaves.
    private var closing = false
    /// The thread has left the ring.
    private var left = false
    private var callerSleeps = false
    private var threadSleeps = false

    /// Starts the thread, with `buffers` empty buffers of `headroom` bytes of room and `bufferSize`
    /// bytes to read into (not written before the thread reads into them).
    init(_ source: any ByteSource, bufferSize: Int, buffers: Int, headroom: Int) {
        self.source = source
        let size = headroom + bufferSize
        (self.bufferSize, self.headroom) = (size, headroom)
        empty = (0..<buffers).map { _ in
            [UInt8](unsafeUninitializedCapacity: size) { _, initialized in initialized = size }
        }
        pthread_mutex_init(lock, nil)
        pthread_cond_init(data, nil)
        pthread_cond_init(room, nil)
        // A queue of its own, which Dispatch gives a thread of its own with the process's signals
        // blocked (as `Handover`'s): a signal lands on the batch's thread, whose handler only notes it.
        DispatchQueue(label: "soe.batch.input").async { self.run() }
    }

    deinit {
        pthread_cond_destroy(room)
        pthread_cond_destroy(data)
        pthread_mutex_destroy(lock)
        room.deallocate()
        data.deallocate()
        lock.deallocate()
    }

    /// Hands `spent` back (when it is a buffer) and takes the next filled buffer into it, waiting
    /// for the thread when none is ready; the end or the error once every filled one was taken.
    /// The bytes taken are at `headroom..<headroom + count`.
    func take(handingBack spent: inout [UInt8]) -> Taken {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        giveBack(&spent)
        while filledBuffers.isEmpty && !finished {
            callerSleeps = true
            pthread_cond_wait(data, lock)
        }
        guard !filledBuffers.isEmpty else {
            if let failure { return .failure(failure) }
            return .end
        }
        // At most `buffers` are ever waiting: taking the first moves the others up, no more.
        var next = filledBuffers.removeFirst()
        swap(&spent, &next.bytes)
        return .bytes(next.count)
    }

    /// Hands `spent` back (when it is a buffer) without taking another.
    func handBack(_ spent: inout [UInt8]) {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        giveBack(&spent)
    }

    /// `spent` to the empty buffers, when it is one, waking the thread; with `lock` held.
    private func giveBack(_ spent: inout [UInt8]) {
        guard spent.count == bufferSize else { return }
        empty.append([])
        swap(&empty[empty.count - 1], &spent)
        if threadSleeps {
            threadSleeps = false
            pthread_cond_signal(room)
        }
    }

    /// The caller's end: the thread stops after the read it is in, and this waits until it has left.
    func close() {
        pthread_mutex_lock(lock)
        closing = true
        if threadSleeps {
            threadSleeps = false
            pthread_cond_signal(room)
        }
        while !left {
            callerSleeps = true
            pthread_cond_wait(data, lock)
        }
        pthread_mutex_unlock(lock)
    }

    /// The thread: fills an empty buffer (read until it is full, the input ends or fails), hands it
    /// over, and sleeps while none is empty, until the input ends or the caller closes the ring.
    private func run() {
        pthread_mutex_lock(lock)
        while !closing {
            guard var buffer = empty.popLast() else {
                threadSleeps = true
                pthread_cond_wait(room, lock)
                continue
            }
            pthread_mutex_unlock(lock)
            var count = 0
            var ended = false
            var error: Error?
            buffer.withUnsafeMutableBytes { raw in
                while headroom + count < raw.count {
                    do {
                        let read = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[(headroom + count)...]))
                        if read == 0 {
                            ended = true
                            break
                        }
                        count += read
                    } catch let caught {
                        error = caught
                        break
                    }
                }
            }
            pthread_mutex_lock(lock)
            if count > 0 { filledBuffers.append((bytes: buffer, count: count)) } else { empty.append(buffer) }
            if ended || error != nil { (finished, failure) = (true, error) }
            if callerSleeps {
                callerSleeps = false
                pthread_cond_signal(data)
            }
            if finished { break }
        }
        left = true
        if callerSleeps {
            callerSleeps = false
            pthread_cond_signal(data)
        }
        pthread_mutex_unlock(lock)
    }
}
