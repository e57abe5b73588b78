// Signals and the standard streams, set up once when `soe` starts (see `Interruption.install`).
//
// SIGINT, SIGTERM and SIGHUP are noted by a handler. Most of a run is short and holds nothing to
// clean up, so there the handler removes the temporary output file, if one is being written, says
// "interrupted" and ends the process with exit code 6 at once. A batch cooperates instead (it
// stops between rows, reports its counts and removes its partial output), and so does every
// reading loop: a signal makes a blocked `read` return, and the loop gives up.
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's answer to SIGINT, SIGTERM and SIGHUP, and the temporary file that must not outlive it.
public enum Interruption {
    /// The exit code of a run ended by a signal (`ExitCode.interrupted`).
    public static let exitCode: Int32 = 6
    /// The signal received, or 0. Written by the handler, on whichever thread the signal lands,
    /// and read by every thread of a batch (`--jobs` workers check `requested` between rows): an
    /// atomic, so that the read is defined and sees the handler's write. Its operations are plain
    /// atomic instructions, safe in a signal handler; `install` makes it before any handler can run.
    static let received = Atomic<Int32>(0)
    /// The signal received, or 0.
    public static var signalNumber: Int32 { received.load(ordering: .relaxed) }
    /// Whether a signal asked the run to stop.
    public static var requested: Bool { received.load(ordering: .relaxed) != 0 }
    /// Above 0 while a part of the run stops by itself when `requested` (a batch); the handler then
    /// only notes the signal. Changed by the thread that runs the batch, read by the handler on any
    /// thread: an atomic for the same reason as `received`.
    static let cooperatingCount = Atomic<Int32>(0)
    /// The temporary output file being written, as a C string the handler can remove; set while
    /// `temporaryIsSet` is 1. Allocated once, so the handler never allocates.
    nonisolated(unsafe) static var temporaryPath: UnsafeMutablePointer<CChar> = {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(PATH_MAX) + 1)
        pointer.initialize(repeating: 0, count: Int(PATH_MAX) + 1)
        return pointer
    }()
    nonisolated(unsafe) static var temporaryIsSet: Int32 = 0
    nonisolated(unsafe) static var installed = false

    /// Installs the handlers for SIGINT, SIGTERM and SIGHUP, ignores SIGPIPE (a closed pipe is then
    /// an error of the write, reported or ended quietly by the caller) and SIGXFSZ (a file past
    /// `ulimit -f` is then the write's EFBIG), unblocks those signals (a
    /// process started from a thread that blocks them inherits the mask) and puts a placeholder on
    /// each closed standard stream (see `StandardStreams`). Called once, by the `soe` executable.
    public static func install() {
        StandardStreams.occupyClosed()
        _ = temporaryPath
        received.store(0, ordering: .relaxed)
        cooperatingCount.store(0, ordering: .relaxed)
        let handler: @convention(c) (Int32) -> Void = { number in
            Interruption.received.store(number, ordering: .relaxed)
            guard Interruption.cooperatingCount.load(ordering: .relaxed) == 0 else { return }
            if Interruption.temporaryIsSet != 0 { unlink(Interruption.temporaryPath) }
            let message: StaticString = "soe: interrupted by a signal; stopped, nothing more was written (exit code 6)\n"
            _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
            _exit(Interruption.exitCode)
        }
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            #if canImport(Darwin)
                action.__sigaction_u.__sa_handler = handler
            #else
                action.__sigaction_handler.sa_handler = handler
            #endif
            sigemptyset(&action.sa_mask)
            // No SA_RESTART: a read blocked on a silent pipe returns EINTR, so the loop can stop.
            action.sa_flags = 0
            sigaction(number, &action, nil)
            sigaddset(&signals, number)
        }
        signal(SIGPIPE, SIG_IGN)
        // A file past the size limit (`ulimit -f`): the write fails with EFBIG, which the writer
        // reports ("file too large") and cleans up after, instead of a silent death by SIGXFSZ
        // that left its temporary file behind.
        signal(SIGXFSZ, SIG_IGN)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        installed = true
    }

    /// Runs `body` with the handler only noting signals: `body` checks `requested` and stops by itself.
    public static func cooperating<T>(_ body: () throws -> T) rethrows -> T {
        cooperatingCount.add(1, ordering: .relaxed)
        defer { cooperatingCount.subtract(1, ordering: .relaxed) }
        return try body()
    }

    /// Names the temporary file the handler removes if a signal ends the run; nil when there is none.
    public static func register(temporary path: String?) {
        temporaryIsSet = 0
        guard let path, installed else { return }
        let bytes = Array(path.utf8)
        guard bytes.count <= Int(PATH_MAX) else { return }
        for (index, byte) in bytes.enumerated() { temporaryPath[index] = CChar(bitPattern: byte) }
        temporaryPath[bytes.count] = 0
        temporaryIsSet = 1
    }
}

/// Standard input, output and error as `soe` found them when it started.
///
/// A stream closed by the shell (`<&-`, `>&-`, `2>&-`) leaves its descriptor free, and the next
/// file opened would take it: output meant for the screen would go into a rule file opened for
/// reading, or into the temporary output. So each closed one gets a placeholder, `/dev/null`
/// opened the wrong way round (standard input for writing, the others for reading), on which every
/// read or write fails with EBADF, and the failure is reported as "standard output is closed".
public enum StandardStreams {
    nonisolated(unsafe) public private(set) static var closedAtStart: Set<Int32> = []

    static func occupyClosed() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            closedAtStart.insert(fd)
            let placeholder = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY)
            if placeholder >= 0 && placeholder != fd {
                _ = dup2(placeholder, fd)
                _ = close(placeholder)
            }
        }
    }

    /// The name of a standard stream in messages.
    public static func name(_ fd: Int32) -> String {
        switch fd {
        case 0: "standard input"
        case 1: "standard output"
        default: "standard error"
        }
    }

    /// Why an operation on a standard stream failed, in words: "it is closed" when it was closed
    /// when `soe` started, else the system's text for `code`.
    public static func reason(_ fd: Int32, code: Int32) -> String {
        if closedAtStart.contains(fd) && code == EBADF { return "it is closed" }
        return String(cString: strerror(code)).lowercased()
    }
}
