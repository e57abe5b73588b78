import Dispatch
import SoeLanguage
import SoeMemoryHints

// Where batch results go. A batch writes as it reads, so its output is never held whole in memory;
// to a named file it still appears complete or not at all (`AtomicFileSink`).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A destination for batch output, written in chunks.
public protocol BatchSink: AnyObject {
    /// Writes every byte, or returns why it could not.
    func write(_ bytes: [UInt8]) -> ToolError?
    /// Writes every byte as `write` does and leaves `bytes` empty for the next ones: its room kept,
    /// or (`BackgroundSink`) swapped for a buffer already written, so that a batch handing its
    /// buffers to another thread allocates none per flush.
    func write(emptying bytes: inout [UInt8]) -> ToolError?
    /// From now on, writes on the threads that call `write`, once everything handed over before is
    /// written; the first failure so far. For a batch whose writing already runs beside its
    /// evaluation, on its own workers (the chunks of `--jobs`, `ChunkRelay.write`), where a writing
    /// thread of the sink's own (`BackgroundSink`) only competes with them for the processors.
    func writeOnCallingThreads() -> ToolError?
}

extension BatchSink {
    public func write(emptying bytes: inout [UInt8]) -> ToolError? {
        let error = write(bytes)
        bytes.removeAll(keepingCapacity: true)
        return error
    }

    /// Every sink but `BackgroundSink` writes on the calling thread.
    public func writeOnCallingThreads() -> ToolError? { nil }
}

/// Collects output in memory, for tests and small batches.
public final class MemorySink: BatchSink {
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ bytes: [UInt8]) -> ToolError? {
        self.bytes += bytes
        return nil
    }
    /// The output as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Writes to an open file descriptor (standard output, say); the descriptor is not closed.
public final class FileDescriptorSink: BatchSink {
    public let fd: Int32
    /// The name used in error messages.
    public let name: String

    public init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }

    public func write(_ bytes: [UInt8]) -> ToolError? {
        bytes.withUnsafeBytes { raw in BatchIO.writeAll(fd, raw, name: name) }
    }
}

/// Writes a file so that it is either complete or absent: the bytes go to a hidden temporary file
/// in the target's folder (so the final rename cannot cross file systems), named
/// `.NAME.soe-tmp-PID-XXXXXX` (see `TemporaryFiles`), which `commit` renames over the target; a
/// file replaced keeps its permissions. `discard`, or dropping the sink without committing, removes the temporary file.
///
/// A device, a pipe or one of the process's own descriptors (`/dev/null`, a FIFO, `/dev/stdout`) is
/// written straight through instead (see `OutputTarget`): renaming a file over it would replace the
/// device or the link with a plain file.
public final class AtomicFileSink: BatchSink {
    /// The file that `commit` creates or replaces (symbolic links resolved).
    public let path: String
    /// The temporary file being written; nil when the target is written straight through.
    public let temporaryPath: String?
    /// Whether the target appears whole or not at all; false when it is written straight through,
    /// where what was written before a failure has already gone out.
    public var isAtomic: Bool { temporaryPath != nil }
    private var fd: Int32
    private var finished = false
    /// The bytes written so far, and how many of them the kernel was asked to start writing to
    /// disk (`BatchIO.startWriteback`).
    private var written = 0
    private(set) var writebackAsked = 0
    /// How often, in bytes written, the kernel is asked to start writing the temporary file out.
    static let writebackInterval = 8 << 20
    /// The end of the temporary file's blocks reserved ahead of its writes (`BatchIO.reserveBlocks`),
    /// and whether to go on reserving (not after a file system said no).
    private(set) var reservedUpTo = 0
    private var reserving = true
    /// How far ahead blocks are reserved, once a file has passed `writebackInterval`: a one-firm file
    /// never asks. On ext4, 234 MB written in 256 KiB writes took 0.050 s in the kernel with blocks
    /// reserved 32 MB at a time, against 0.061 to 0.066 s (docs/benchmark.md, "Steps of wave 3,
    /// session 15"): each page written otherwise reserves its block itself (`ext4_da_write_begin`).
    static let reserveStep = 32 << 20

    /// Creates the temporary file beside `path` (or opens a special file), or says why it cannot.
    public static func create(_ given: String) -> Result<AtomicFileSink, ToolError> {
        let path: String
        switch OutputTarget.of(given) {
        case .refused(let reason):
            return .failure(ToolError("cannot write \(given): \(reason)"))
        case .file(let resolved):
            path = resolved
        case let target:
            guard let fd = target.open() else { return .failure(ToolError("cannot write \(given): \(FileSystem.lastError())")) }
            return .success(AtomicFileSink(path: given, temporaryPath: nil, fd: fd))
        }
        var template = Array(TemporaryFiles.template(for: path).utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard fd >= 0 else { return .failure(ToolError("cannot write \(path): \(FileSystem.lastError())")) }
        // Held while the file is written: a run in another PID namespace (a container on a shared
        // volume) whose process id this one cannot see is told apart from a killed run by its lock
        // (`TemporaryFiles.sweep`). A file system without locks leaves only the process id to go by.
        // Blocking: a sweep's look holds the lock only for an instant, and must not leave this file
        // unlocked for its whole life.
        _ = flock(fd, LOCK_EX)
        // mkstemp makes the file private (0600). A file replaced keeps its permissions (a report
        // shared with a group stays shared); a new one gets those a new file would have.
        var existing = stat()
        if stat(path, &existing) == 0 && existing.st_mode & S_IFMT == S_IFREG {
            _ = fchmod(fd, existing.st_mode & 0o7777)
        } else {
            let mask = umask(0)
            umask(mask)
            _ = fchmod(fd, 0o666 & ~mask)
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // A signal that ends the run removes it (see Interruption).
        Interruption.register(temporary: temporary)
        return .success(AtomicFileSink(path: path, temporaryPath: temporary, fd: fd))
    }

    private init(path: String, temporaryPath: String?, fd: Int32) {
        self.path = path
        self.temporaryPath = temporaryPath
        self.fd = fd
    }

    public func write(_ bytes: [UInt8]) -> ToolError? {
        guard !finished else { return ToolError("cannot write \(path): the output is already closed") }
        if reserving && temporaryPath != nil && written >= Self.writebackInterval && written + bytes.count > reservedUpTo {
            // Only a hint as well: a file system without it is not asked again, and a reservation
            // that fails for want of space leaves the write to say so.
            let from = Swift.max(reservedUpTo, written)
            if BatchIO.reserveBlocks(fd, from: from, count: Self.reserveStep) == 0 {
                reservedUpTo = from + Self.reserveStep
            } else {
                reserving = false
            }
        }
        if let error = bytes.withUnsafeBytes({ raw in BatchIO.writeAll(fd, raw, name: path) }) { return error }
        written += bytes.count
        // The bytes go to disk while the batch runs, not all in `commit`'s fsync at the end: every
        // few MB the kernel is asked to start writing out the whole pages written since the last
        // time (the page being written stays open). Only a hint: the fsync still waits for every
        // byte and reports any error.
        if temporaryPath != nil && written - writebackAsked >= Self.writebackInterval {
            let upTo = written & ~4095
            BatchIO.startWriteback(fd, from: writebackAsked, to: upTo)
            writebackAsked = upTo
        }
        return nil
    }

    /// Flushes the temporary file to disk and renames it over the target; on failure it is removed.
    public func commit() -> ToolError? {
        guard !finished else { return nil }
        finished = true
        guard let temporaryPath else {
            let closed = close(fd) == 0
            fd = -1
            return closed ? nil : ToolError("cannot write \(path): \(FileSystem.lastError())")
        }
        // Blocks reserved past the end are released: truncating to its own size frees them.
        if reservedUpTo > written { _ = ftruncate(fd, off_t(written)) }
        let synced = fsync(fd) == 0 || errno == EINVAL
        let syncError = FileSystem.lastError()
        let closed = close(fd) == 0
        fd = -1
        guard synced, closed else {
            unlink(temporaryPath)
            Interruption.register(temporary: nil)
            return ToolError("cannot write \(path): \(synced ? FileSystem.lastError() : syncError)")
        }
        guard rename(temporaryPath, path) == 0 else {
            let message = FileSystem.lastError()
            unlink(temporaryPath)
            Interruption.register(temporary: nil)
            return ToolError("cannot write \(path): \(message)")
        }
        Interruption.register(temporary: nil)
        return nil
    }

    /// Removes the temporary file; the target is left as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        close(fd)
        fd = -1
        if let temporaryPath {
            unlink(temporaryPath)
            Interruption.register(temporary: nil)
        }
    }

    deinit { discard() }
}

/// The system calls shared by the sinks.
enum BatchIO {
    /// Asks the kernel to start writing the file's bytes from `from` to `to` to disk without waiting
    /// for them (Linux: `sync_file_range` with `SYNC_FILE_RANGE_WRITE`, through the C target
    /// `SoeMemoryHints`); elsewhere nothing. Returns the call's result (0, or -1 with `errno`), which
    /// the sinks ignore: the fsync that makes the file durable reports every error.
    @discardableResult
    static func startWriteback(_ fd: Int32, from: Int, to: Int) -> Int32 {
        guard to > from else { return 0 }
        return soe_start_writeback(fd, Int64(from), Int64(to - from))
    }

    /// Reserves the file's blocks from `from` for `count` bytes without changing its size (Linux:
    /// `fallocate` with `FALLOC_FL_KEEP_SIZE`, through `SoeMemoryHints`); elsewhere -1. Returns the
    /// call's result: 0, or -1 with `errno`.
    static func reserveBlocks(_ fd: Int32, from: Int, count: Int) -> Int32 {
        soe_reserve_blocks(fd, Int64(from), Int64(count))
    }

    /// Writes all bytes, retrying short writes and interrupted calls.
    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, name: String) -> ToolError? {
        guard var base = raw.baseAddress else { return nil }
        var remaining = raw.count
        while remaining > 0 {
            #if canImport(Darwin)
                let written = Darwin.write(fd, base, remaining)
            #elseif canImport(Musl)
                let written = Musl.write(fd, base, remaining)
            #else
                let written = Glibc.write(fd, base, remaining)
            #endif
            if written < 0 {
                // A signal stops a write blocked on a pipe nobody reads, when the run is to stop.
                if errno == EINTR && !Interruption.requested { continue }
                return ToolError("cannot write \(name): \(FileSystem.lastError())")
            }
            remaining -= written
            base += written
        }
        return nil
    }
}

/// Writes through another sink on a thread of its own, so that the kernel's work of taking the
/// bytes (copying them into the page cache, gigabytes for a batch with traces) runs on the other
/// core while the batch makes the next ones. The order of the bytes is kept; at most `depth`
/// buffers wait or are being written, so memory stays flat when the disk is slower than the batch.
///
/// The thread starts at the second write: the first buffer is held until then. A batch whose
/// output is one buffer (under `BatchRunner.flushThreshold`, a few hundred rows) is written by
/// `finish` on the caller's thread, with no thread, no dispatch queue and no hand-over: a thread
/// cost a one-firm run more than its evaluation (docs/benchmark.md, "Cold start of one firm").
///
/// The hand-over is a queue under a lock (`Handover`), not a dispatch per buffer: a buffer handed
/// over is appended under the lock, and the writing thread, asleep when it has nothing to write,
/// is woken only when `wakeAt` buffers wait (or the caller must wait for room, or `finish`); awake,
/// it writes every buffer waiting before it sleeps again. So a batch that makes its output slower
/// than the disk takes it wakes the thread once every `wakeAt` buffers, not once a buffer
/// (docs/benchmark.md, "system calls and the writing thread").
///
/// A write that fails is reported by a later `write` and by `finish`, and nothing after it is
/// written. Call `finish` before committing the target: it waits until every byte is written.
/// Until then the target belongs to the writing thread: the caller keeps it only to commit or
/// discard it after `finish`, which is what makes the `@unchecked Sendable` below true.
public final class BackgroundSink: BatchSink, @unchecked Sendable {
    // @unchecked: `target` is used only on the writing thread, one buffer at a time (or by `finish`
    // on the caller's thread when no thread was started), the hand-over's state only under its
    // lock, and `held` and `handover` by one caller at a time: the batch's one thread, or with
    // `--jobs`, the worker that writes the chunks ready, one after another under the relay's lock
    // (`ChunkRelay.write`), so each hand-over is ordered by it. After `writeOnCallingThreads` the
    // same callers, one at a time, write to `target` themselves (`Handover.put` once it has ended).
    private let target: BatchSink
    private let depth: Int
    private let wakeAt: Int
    /// The first buffer, until a second one starts the thread.
    private var held: [UInt8]?
    /// The queue shared with the writing thread, made at the second write.
    private var handover: Handover?
    /// The failure of the only buffer, written by `finish` when no thread was started, or of a
    /// write after such a `finish`.
    private var failure: ToolError?
    /// Whether `finish` ran with no thread started: later writes are written on the caller's
    /// thread at once, as after a thread's `finish` (`Handover.put`), not held.
    private var finishedAlone = false

    /// Writes through `target`, with at most `depth` buffers waiting or being written, the
    /// writing thread woken when `wakeAt` wait (at most `depth`; by default half of it).
    public init(_ target: BatchSink, depth: Int = 8, wakeAt: Int? = nil) {
        self.target = target
        self.depth = max(1, depth)
        self.wakeAt = min(max(1, wakeAt ?? depth / 2), max(1, depth))
    }

    /// Hands the bytes to the writing thread and returns at once (after waiting for room); returns
    /// the error of an earlier write, if one failed. The first buffer is only held.
    public func write(_ bytes: [UInt8]) -> ToolError? {
        guard let handover else {
            if finishedAlone {
                // Nothing after a failure; else written here, after what `finish` wrote.
                if let failure { return failure }
                failure = target.write(bytes)
                return failure
            }
            guard let first = held else {
                held = bytes
                return nil
            }
            let started = Handover(target: target, depth: depth, wakeAt: wakeAt)
            handover = started
            held = nil
            _ = started.put(first)
            return started.put(bytes)
        }
        return handover.put(bytes)
    }

    /// `write`, with `bytes` swapped for an empty buffer the writing thread is done with (or a new
    /// one as large) once the thread has started.
    public func write(emptying bytes: inout [UInt8]) -> ToolError? {
        guard let handover else {
            let error = write(bytes)
            bytes.removeAll(keepingCapacity: true)
            return error
        }
        return handover.put(swapping: &bytes)
    }

    /// `finish`: the writing thread, if one started, writes what waits and ends, and every later
    /// `write` is written on its caller's thread, as after `finish` (`Handover.put`). On two
    /// processors, `--jobs 2` on 1,000,000 firms took 0.287 s instead of 0.335 s (medians of 11)
    /// with its workers writing (docs/benchmark.md, "Steps of wave 3, session 15").
    public func writeOnCallingThreads() -> ToolError? {
        finish()
    }

    /// Whether writes go on their callers' threads: after `finish` (or `writeOnCallingThreads`). For tests.
    var writesOnCallingThreads: Bool {
        finishedAlone || handover?.hasEnded == true
    }

    /// Waits until every buffer handed over is written; the first error, if one failed. A buffer
    /// still held (the only one) is written here, on the caller's thread.
    public func finish() -> ToolError? {
        guard let handover else {
            finishedAlone = true
            if let only = held {
                held = nil
                if let error = target.write(only) { failure = error }
            }
            return failure
        }
        return handover.finish()
    }

    /// How often the writing thread was woken (0 before it starts), for tests.
    var threadWakes: Int { handover?.counts.wakes ?? 0 }
    /// How many buffers written by the thread came back to the caller (`write(emptying:)`), for tests.
    var buffersHandedBack: Int { handover?.counts.handedBack ?? 0 }

    deinit {
        // Dropped without `finish` (a failure elsewhere): the thread writes what waits and ends.
        handover?.close()
    }
}

/// The queue between a `BackgroundSink`'s caller and its writing thread: buffers in order, how many
/// are waiting or being written, the first failure, and who sleeps. One mutex guards it all; the
/// caller sleeps on `room` (full, or waiting for the end), the thread on `work` (nothing to write).
final class Handover: @unchecked Sendable {
    // @unchecked: every stored property below but `target`, `depth` and `wakeAt` (constants) and
    // `lock`, `work` and `room` (the primitives themselves) is touched only with `lock` held;
    // `target` only by the writing thread, and once it has ended, by the caller (`put`).
    private let target: BatchSink
    private let depth: Int
    private let wakeAt: Int
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let work = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let room = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The buffers handed over and not yet taken by the thread, in order, each with whether the
    /// caller gave it up (`put(swapping:)`), so that it may be emptied and handed back.
    private var queue: [Piece] = []
    /// Buffers written and emptied, their room kept, for `put(swapping:)` to hand back: at most
    /// `depth`, so the memory of a batch is `2 * depth + 1` buffers at most.
    private var spare: [[UInt8]] = []

    struct Piece {
        var bytes: [UInt8]
        let recycled: Bool
    }
    /// Buffers handed over and not yet written (waiting, or taken and being written).
    private var pending = 0
    private var failure: ToolError?
    private var threadSleeps = false
    private var callerSleeps = false
    /// No more buffers come (`finish` or the sink dropped); the thread ends once the queue is empty.
    private var closing = false
    private var ended = false
    /// How often the thread was woken, and how many buffers `put(swapping:)` handed back, for tests.
    private var wakes = 0
    private var handedBack = 0

    /// Starts the writing thread.
    init(target: BatchSink, depth: Int, wakeAt: Int) {
        (self.target, self.depth, self.wakeAt) = (target, depth, wakeAt)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(work, nil)
        pthread_cond_init(room, nil)
        // One block on a queue of its own (which Dispatch gives a thread of its own, with the
        // process's signals blocked, as every Dispatch thread), for the whole batch: the writing loop.
        DispatchQueue(label: "soe.batch.output").async { self.run() }
    }

    deinit {
        pthread_cond_destroy(room)
        pthread_cond_destroy(work)
        pthread_mutex_destroy(lock)
        room.deallocate()
        work.deallocate()
        lock.deallocate()
    }

    /// Appends `bytes` once fewer than `depth` buffers are pending; the first failure instead, once
    /// one is known. Wakes the thread only when it sleeps and `wakeAt` buffers wait, or to make room.
    func put(_ bytes: [UInt8]) -> ToolError? {
        var given = bytes
        return put(&given, recycled: false)
    }

    /// `put`, taking the caller's buffer and leaving in its place an empty one, with its room, that
    /// the thread wrote before; a new one, as large, when none is spare yet.
    func put(swapping bytes: inout [UInt8]) -> ToolError? {
        put(&bytes, recycled: true)
    }

    private func put(_ bytes: inout [UInt8], recycled: Bool) -> ToolError? {
        pthread_mutex_lock(lock)
        while failure == nil && pending >= depth {
            if wakesThread() { pthread_cond_signal(work) }
            callerSleeps = true
            pthread_cond_wait(room, lock)
        }
        if let failure {
            pthread_mutex_unlock(lock)
            return failure
        }
        if ended {
            // After `finish` the thread is gone: written here, after everything it wrote.
            pthread_mutex_unlock(lock)
            let error = target.write(bytes)
            if recycled { bytes.removeAll(keepingCapacity: true) }
            if let error {
                // Kept, so that nothing is written after it and `finish` reports it again.
                pthread_mutex_lock(lock)
                if failure == nil { failure = error }
                pthread_mutex_unlock(lock)
            }
            return error
        }
        var piece = Piece(bytes: [], recycled: recycled)
        if recycled, let written = spare.popLast() {
            piece.bytes = written
            handedBack += 1
        }
        swap(&piece.bytes, &bytes)
        let room = piece.bytes.capacity
        queue.append(piece)
        pending += 1
        let wake = queue.count >= wakeAt && wakesThread()
        pthread_mutex_unlock(lock)
        // Signalled after the lock is let go: a thread woken with it held would at once wait for it.
        if wake { pthread_cond_signal(work) }
        if recycled && bytes.capacity == 0 { bytes.reserveCapacity(room) }
        return nil
    }

    /// No more buffers: waits until the thread has written (or, after a failure, dropped) every
    /// one and ended; the first failure.
    func finish() -> ToolError? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        closing = true
        if wakesThread() { pthread_cond_signal(work) }
        while !ended {
            callerSleeps = true
            pthread_cond_wait(room, lock)
        }
        return failure
    }

    /// No more buffers, and nobody waits for the end: the thread ends once the queue is empty.
    func close() {
        pthread_mutex_lock(lock)
        closing = true
        let wake = wakesThread()
        pthread_mutex_unlock(lock)
        if wake { pthread_cond_signal(work) }
    }

    /// Whether the thread has ended (after `finish`).
    var hasEnded: Bool {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return ended
    }

    /// How often the thread was woken so far, and how many written buffers were handed back, for tests.
    var counts: (wakes: Int, handedBack: Int) {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return (wakes, handedBack)
    }

    /// Whether the thread sleeps and is to be signalled on `work`; it is marked awake here, so that
    /// it is signalled once (the buffers handed over before it runs do not signal it again). `lock` held.
    private func wakesThread() -> Bool {
        guard threadSleeps else { return false }
        threadSleeps = false
        wakes += 1
        return true
    }

    /// Whether the caller sleeps and is to be signalled on `room`, once. `lock` held.
    private func wakesCaller() -> Bool {
        guard callerSleeps else { return false }
        callerSleeps = false
        return true
    }

    /// The writing thread: takes every buffer waiting, writes them in order outside the lock
    /// (none after a failure), and sleeps when there are none, until `closing`.
    private func run() {
        var taken: [Piece] = []
        pthread_mutex_lock(lock)
        while true {
            if queue.isEmpty {
                if closing { break }
                threadSleeps = true
                pthread_cond_wait(work, lock)
                threadSleeps = false
                continue
            }
            swap(&taken, &queue)
            var failed = failure != nil
            pthread_mutex_unlock(lock)
            // The lock is taken again only after the last one, or at a failure (to stop the caller
            // at once): a caller faster than the disk never waits for it.
            for index in taken.indices where !failed {
                if let error = target.write(taken[index].bytes) {
                    failed = true
                    pthread_mutex_lock(lock)
                    if failure == nil { failure = error }
                    let wake = wakesCaller()
                    pthread_mutex_unlock(lock)
                    if wake { pthread_cond_signal(room) }
                }
                // Emptied with its room kept, for the caller to fill again; the thread's last
                // reference to it, unless the caller kept one (`put` without swapping).
                if taken[index].recycled { taken[index].bytes.removeAll(keepingCapacity: true) }
            }
            let written = taken.count
            pthread_mutex_lock(lock)
            for index in taken.indices where taken[index].recycled && taken[index].bytes.isEmpty && spare.count < depth {
                spare.append([])
                swap(&spare[spare.count - 1], &taken[index].bytes)
            }
            pending -= written
            // A caller waiting for room (the disk slower than the batch) is woken when there is
            // room for `wakeAt` buffers, not for each one; outside the lock, as in `put`.
            let wake = (pending <= depth - wakeAt || failure != nil) && wakesCaller()
            pthread_mutex_unlock(lock)
            // The buffers not kept are freed outside the lock.
            taken.removeAll(keepingCapacity: true)
            if wake { pthread_cond_signal(room) }
            pthread_mutex_lock(lock)
        }
        ended = true
        let wake = wakesCaller()
        pthread_mutex_unlock(lock)
        // `self` is kept alive by this block until it returns, so `room` is still there.
        if wake { pthread_cond_signal(room) }
    }
}
