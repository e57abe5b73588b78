import Dispatch

// Where batch results go. A batch writes as it reads, so its output is never held whole in memory;
// to a named file it still appears complete or not at all (`AtomicFileSink`).
#if canImport(Glibc)
    import SoeLanguage
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
        return bytes.withUnsafeBytes { raw in BatchIO.writeAll(fd, raw, name: path) }
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
/// buffers wait, so memory stays flat when the disk is slower than the batch.
///
/// The thread starts at the second write: the first buffer is held until then. A batch whose
/// output is one buffer (under `BatchRunner.flushThreshold`, a few hundred rows) is written by
/// `finish` on the caller's thread, with no thread, no dispatch queue and no hand-over: a thread
/// cost a one-firm run more than its evaluation (docs/benchmark.md, "Cold start of one firm").
///
/// A write that fails is reported by a later `write` and by `finish`, and nothing after it is
/// written. Call `finish` before committing the target: it waits until every byte is written.
/// Until then the target belongs to the writing thread: the caller keeps it only to commit or
/// discard it after `finish`, which is what makes the `@unchecked Sendable` below true.
public final class BackgroundSink: BatchSink, @unchecked Sendable {
    // @unchecked: `target` is used only on `writes`, one buffer at a time (or by `finish` on the
    // caller's thread when no thread was started), `failure` only on `state`, and `held` and
    // `queues` by one caller at a time: the batch's one thread, or with `--jobs`, the worker that
    // writes the chunks ready, one after another under the relay's lock (`ChunkRelay.write`), so
    // each hand-over is ordered by it.
    private let target: BatchSink
    private let depth: Int
    /// The first buffer, until a second one starts the thread.
    private var held: [UInt8]?
    /// The writing thread's queues, made at the second write.
    private var queues: Queues?
    private var failure: ToolError?

    /// The serial queue that writes, the one that guards `failure`, and the room for buffers.
    private struct Queues {
        let writes = DispatchQueue(label: "soe.batch.output")
        let state = DispatchQueue(label: "soe.batch.output.state")
        let room: DispatchSemaphore
    }

    /// Writes through `target`, with at most `depth` buffers waiting.
    public init(_ target: BatchSink, depth: Int = 4) {
        self.target = target
        self.depth = max(1, depth)
    }

    /// Hands the bytes to the writing thread and returns at once (after waiting for room); returns
    /// the error of an earlier write, if one failed. The first buffer is only held.
    public func write(_ bytes: [UInt8]) -> ToolError? {
        guard let queues else {
            guard let first = held else {
                held = bytes
                return nil
            }
            let started = Queues(room: DispatchSemaphore(value: depth))
            queues = started
            held = nil
            _ = handOver(first, started)
            return handOver(bytes, started)
        }
        return handOver(bytes, queues)
    }

    private func handOver(_ bytes: [UInt8], _ queues: Queues) -> ToolError? {
        if let failed = queues.state.sync(execute: { failure }) { return failed }
        queues.room.wait()
        queues.writes.async {
            defer { queues.room.signal() }
            guard queues.state.sync(execute: { self.failure }) == nil else { return }
            if let error = self.target.write(bytes) { queues.state.sync { self.failure = error } }
        }
        return nil
    }

    /// Waits until every buffer handed over is written; the first error, if one failed. A buffer
    /// still held (the only one) is written here, on the caller's thread.
    public func finish() -> ToolError? {
        guard let queues else {
            if let only = held {
                held = nil
                if let error = target.write(only) { failure = error }
            }
            return failure
        }
        queues.writes.sync {}
        return queues.state.sync { failure }
    }
}
