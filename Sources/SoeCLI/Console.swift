import Dispatch
import SoeLanguage
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a command writes: standard output and standard error, or buffers in tests.
///
/// A write to the process's own streams is a plain write(2), never a `FileHandle` (which traps when
/// the stream is closed or the pipe broken). The first failure on standard output is kept
/// (`outputFailure`), later output is dropped, and `SoeCommand` turns it into exit code 5: with a
/// message when standard output is closed or full, quietly when its reader went away (`| head`).
/// A failure on standard error cannot be reported anywhere; the exit code still tells.
public final class Console: @unchecked Sendable {
    private let writeOut: (String) -> Int32
    /// Bytes to standard output as they are, with no text made of them (a batch's results).
    private let writeOutBytes: ([UInt8]) -> Int32
    private let writeError: (String) -> Int32
    /// Whether standard error is a terminal (progress lines are shown only then).
    public let errorIsTerminal: Bool
    /// The `errno` of the first failed write to standard output, or 0.
    public private(set) var outputFailure: Int32 = 0

    /// A console that writes through the given functions, which cannot fail (tests).
    public init(out: @escaping (String) -> Void, error: @escaping (String) -> Void, errorIsTerminal: Bool = false) {
        writeOut = { text in
            out(text)
            return 0
        }
        writeOutBytes = { bytes in
            out(String(decoding: bytes, as: UTF8.self))
            return 0
        }
        writeError = { text in
            error(text)
            return 0
        }
        self.errorIsTerminal = errorIsTerminal
    }

    init(descriptors errorIsTerminal: Bool) {
        writeOut = { text in Console.writeAll(1, text) }
        writeOutBytes = { bytes in bytes.withUnsafeBytes { Console.writeAll(1, $0) } }
        writeError = { text in Console.writeAll(2, text) }
        self.errorIsTerminal = errorIsTerminal
    }

    /// The process's own standard output and standard error.
    public static func standard() -> Console {
        Console(descriptors: isatty(2) == 1)
    }

    /// Writes every byte of `text` to `fd`; 0, or the `errno` of the failure.
    static func writeAll(_ fd: Int32, _ text: String) -> Int32 {
        var text = text
        return text.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Writes every byte of `buffer` to `fd`; 0, or the `errno` of the failure.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32 {
        guard var base = buffer.baseAddress else { return 0 }
        var remaining = buffer.count
        while remaining > 0 {
            let written = write(fd, base, remaining)
            if written < 0 {
                if errno == EINTR && !Interruption.requested { continue }
                return errno
            }
            remaining -= written
            base += written
        }
        return 0
    }

    /// Lines owed to standard error before anything written after `putFirst`, and what standard
    /// error was given meanwhile (see `putFirst`); nil when nothing is owed.
    private let owed = Mutex<OwedLines?>(nil)
    /// Whether `owed` holds lines, read without the lock on every write.
    private let isOwing = Atomic<Bool>(false)

    /// The most bytes of standard error held back while owed lines are worked out; past it a write
    /// waits for them.
    static let heldLimit = 64 * 1024

    private struct OwedLines {
        /// Whether the lines are ready (`lines` would not wait).
        var ready: @Sendable () -> Bool
        /// The lines, each ending in a line feed; waits until they are worked out.
        var lines: @Sendable () -> [String]
        var held: [String] = []
        var heldBytes = 0
    }

    /// Owes standard error `lines` (each ending in a line feed) before anything written from now
    /// on, while they are worked out elsewhere (`soe evaluate`'s lint errors, on a thread of their
    /// own beside the evaluation). Until they are ready, what is written to standard error is held
    /// back in order (up to `heldLimit` bytes); `settle()` writes them, then what was held: called
    /// by the thread that works them out as soon as they are (a batch reading a pipe may write
    /// nothing more for a long time), by a write to standard output, a write to standard error
    /// once they are ready or past the limit, and by the command before it returns. What reaches
    /// each stream, and in which order the two streams are written, is what it would be had the
    /// lines been written here.
    func putFirst(ready: @escaping @Sendable () -> Bool, lines: @escaping @Sendable () -> [String]) {
        settle()
        owed.withLock { $0 = OwedLines(ready: ready, lines: lines) }
        isOwing.store(true, ordering: .releasing)
    }

    /// Writes the owed lines and what was held back, waiting for the lines if need be; nothing
    /// when nothing is owed. Every command that owes lines settles before it returns. Safe from
    /// any thread: a write on another thread waits on the lock until all of it is written, and
    /// `isOwing` turns false only after, so no write passes the owed lines.
    public func settle() {
        guard isOwing.load(ordering: .acquiring) else { return }
        owed.withLock { owed in
            guard let pending = owed else { return }
            owed = nil
            for line in pending.lines() { _ = writeError(line) }
            for text in pending.held { _ = writeError(text) }
            isOwing.store(false, ordering: .releasing)
        }
    }

    /// Writes to standard output as is (nothing, once a write to it has failed).
    public func out(_ text: String) {
        settle()
        guard outputFailure == 0 else { return }
        outputFailure = writeOut(text)
    }
    /// Writes to standard error as is.
    public func error(_ text: String) {
        if isOwing.load(ordering: .acquiring) {
            let held = owed.withLock { owed -> Bool in
                guard var pending = owed, !pending.ready(), pending.heldBytes + text.utf8.count <= Console.heldLimit else {
                    return false
                }
                owed = nil
                pending.held.append(text)
                pending.heldBytes += text.utf8.count
                owed = pending
                return true
            }
            if held { return }
            settle()
        }
        _ = writeError(text)
    }
    /// Writes bytes to standard output as they are (nothing, once a write to it has failed): a
    /// batch's results, which are UTF-8 already, without a text made of them first.
    public func out(bytes: [UInt8]) {
        settle()
        guard outputFailure == 0 else { return }
        outputFailure = writeOutBytes(bytes)
    }
    /// Writes a line to standard output.
    public func outLine(_ text: String = "") { out(text + "\n") }
    /// Writes a line to standard error.
    public func errorLine(_ text: String) { error(text + "\n") }

    /// Whether standard output failed because nobody reads it any more (a broken pipe), which ends
    /// a run quietly, as `soe … | head -1` expects.
    public var outputPipeBroken: Bool { outputFailure == EPIPE }

    /// What went wrong with standard output, for the message: "it is closed", "no space left on device".
    public var outputFailureReason: String { StandardStreams.reason(1, code: outputFailure) }
}

/// Collects a command's output in memory, for tests.
public final class CapturedConsole: @unchecked Sendable {
    public private(set) var out = ""
    public private(set) var error = ""
    /// A serial queue as the lock: `NSLock` is Foundation's, which `soe` does not link.
    private let lock = DispatchQueue(label: "soe.captured-console")
    public init() {}
    public var console: Console {
        Console(
            out: { [self] text in lock.sync { out += text } },
            error: { [self] text in lock.sync { error += text } })
    }
}
