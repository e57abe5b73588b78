import Dispatch
import SoeLanguage

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
        writeError = { text in
            error(text)
            return 0
        }
        self.errorIsTerminal = errorIsTerminal
    }

    init(descriptors errorIsTerminal: Bool) {
        writeOut = { text in Console.writeAll(1, text) }
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
        return text.withUTF8 { buffer in
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
    }

    /// Writes to standard output as is (nothing, once a write to it has failed).
    public func out(_ text: String) {
        guard outputFailure == 0 else { return }
        outputFailure = writeOut(text)
    }
    /// Writes to standard error as is.
    public func error(_ text: String) { _ = writeError(text) }
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
