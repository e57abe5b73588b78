// Where `--output PATH` really writes. A file is written atomically: a temporary file beside it is
// renamed over it, so that it is complete or absent. That rename is right for a file and wrong for
// anything else: renamed over `/dev/null` it turns the null device into a plain file (it did, once,
// on the project's own machine), and renamed over `/dev/stdout` it replaces the link, not the
// output. So the path is looked at first.
#if canImport(Glibc)
    import SoeLanguage
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How an output path is written.
public enum OutputTarget: Equatable, Sendable {
    /// A file (existing or not), its symbolic links resolved: written atomically, by a rename over it.
    case file(String)
    /// A character device or a FIFO (`/dev/null`, a named pipe): opened and written straight through.
    /// A FIFO blocks until something reads it, as in the shell.
    case stream(String)
    /// One of the process's own descriptors (`/dev/stdout`, `/dev/stderr`, `/dev/fd/N`,
    /// `/proc/self/fd/N`): written through a duplicate, so that its position and append mode hold.
    case descriptor(Int32)
    /// Not to be written, with the reason: a folder, a block device (a typo must not write onto a
    /// disk), a socket, or another path under `/dev` or `/proc` (but a file in `/dev/shm`).
    case refused(String)

    /// Looks at `path` and says how to write it.
    public static func of(_ path: String) -> OutputTarget {
        if let fd = descriptorNumber(path) { return .descriptor(fd) }
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFCHR, S_IFIFO: return .stream(path)
            case S_IFBLK: return .refused("it is a block device")
            case S_IFSOCK: return .refused("it is a socket")
            // Said before the batch runs, not by the rename after it: name a file in the folder.
            case S_IFDIR: return .refused("it is a folder; name a file in it")
            default: break
            }
        }
        let resolved = resolvingLinks(path)
        // `/dev/shm` is a file system for files (shared memory, a tmpfs): a file there is a file.
        if resolved.hasPrefix(sharedMemory), resolved.count > sharedMemory.count { return .file(resolved) }
        if resolved.hasPrefix("/dev/") || resolved.hasPrefix("/proc/") || resolved.hasPrefix("/sys/") {
            return .refused("it is not a regular file")
        }
        return .file(resolved)
    }

    /// The one folder under `/dev` that holds plain files.
    static let sharedMemory = "/dev/shm/"

    /// For `.descriptor` and `.stream`, a descriptor open for writing (the caller closes it); nil
    /// with `errno` set when it cannot be opened, and for the other cases.
    public func open() -> Int32? {
        switch self {
        case .descriptor(let number):
            let fd = dup(number)
            return fd >= 0 ? fd : nil
        case .stream(let path):
            return FileSystem.openDescriptor(path, O_WRONLY)
        case .file, .refused:
            return nil
        }
    }

    /// The descriptor a path names, for the paths that name one of the process's own.
    static func descriptorNumber(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                return Int32(path.dropFirst(prefix.count))
            }
            return nil
        }
    }

    /// The path with every symbolic link on it followed: by `realpath` when the file exists, else
    /// link by link, so that a link to a file not yet written names that file (up to 32 links).
    static func resolvingLinks(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        var current = path
        for _ in 0..<32 {
            var buffer = [CChar](repeating: 0, count: 4097)
            let count = readlink(current, &buffer, 4096)
            guard count > 0 else { return current }
            let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : FileSystem.directory(of: current) + "/" + target
        }
        return current
    }
}

extension FileSystem {
    /// Writes a file so that it is either complete or absent: the bytes go to a temporary file in
    /// the same folder, which is then renamed over the target. A reader never sees half a file.
    /// A device, a pipe or standard output is written straight through (see `OutputTarget`).
    public static func writeAtomically(_ bytes: [UInt8], to given: String) -> Result<Void, ToolError> {
        let path: String
        let target = OutputTarget.of(given)
        switch target {
        case .refused(let reason):
            return .failure(ToolError("cannot write \(given): \(reason)"))
        case .descriptor, .stream:
            guard let fd = target.open() else { return .failure(ToolError("cannot write \(given): \(lastError())")) }
            defer { close(fd) }
            if let failure = bytes.withUnsafeBytes({ BatchIO.writeAll(fd, $0, name: given) }) { return .failure(failure) }
            return .success(())
        case .file(let resolved):
            path = resolved
        }
        let folder = directory(of: path)
        guard isDirectory(folder) else { return .failure(ToolError("cannot write \(given): the folder \(folder) does not exist")) }
        guard access(folder, W_OK) == 0 else {
            return .failure(ToolError("cannot write \(given): the folder \(folder) is not writable"))
        }
        if isDirectory(path) { return .failure(ToolError("cannot write \(given): it is a folder")) }
        // The same temporary file as a batch's, so one left by a killed run is recognised.
        switch AtomicFileSink.create(path) {
        case .failure(let failure): return .failure(failure)
        case .success(let sink):
            if let failure = sink.write(bytes) {
                sink.discard()
                return .failure(failure)
            }
            if let failure = sink.commit() { return .failure(failure) }
            return .success(())
        }
    }
}
