import Foundation

/// Where a command writes: standard output and standard error, or buffers in tests.
public final class Console: @unchecked Sendable {
    private let writeOut: (String) -> Void
    private let writeError: (String) -> Void
    /// Whether standard error is a terminal (progress lines are shown only then).
    public let errorIsTerminal: Bool

    public init(out: @escaping (String) -> Void, error: @escaping (String) -> Void, errorIsTerminal: Bool = false) {
        writeOut = out
        writeError = error
        self.errorIsTerminal = errorIsTerminal
    }

    /// The process's own standard output and standard error.
    public static func standard() -> Console {
        Console(
            out: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
            error: { text in FileHandle.standardError.write(Data(text.utf8)) },
            errorIsTerminal: isatty(2) == 1)
    }

    /// Writes to standard output as is.
    public func out(_ text: String) { writeOut(text) }
    /// Writes to standard error as is.
    public func error(_ text: String) { writeError(text) }
    /// Writes a line to standard output.
    public func outLine(_ text: String = "") { writeOut(text + "\n") }
    /// Writes a line to standard error.
    public func errorLine(_ text: String) { writeError(text + "\n") }
}

/// Collects a command's output in memory, for tests.
public final class CapturedConsole: @unchecked Sendable {
    public private(set) var out = ""
    public private(set) var error = ""
    private let lock = NSLock()
    public init() {}
    public var console: Console {
        Console(
            out: { [self] text in lock.withLock { out += text } },
            error: { [self] text in lock.withLock { error += text } })
    }
}
