// The temporary files that keep `--output` whole (see `AtomicFileSink`) carry the writing process's
// id in their names, `.NAME.soe-tmp-PID-XXXXXX`, so that one left behind by a run that was killed
// (SIGKILL, a power cut: nothing can clean up then) is recognisable, and the next run that writes
// into the same folder can tell a stale one, whose process is gone, from one still being written.
#if canImport(Glibc)
    import SoeLanguage
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Names, finds and removes `soe`'s temporary output files.
public enum TemporaryFiles {
    /// What marks a temporary file of `soe` in its name.
    public static let marker = ".soe-tmp-"

    /// The `mkstemp` template for a temporary file beside `path`: hidden, named after the target
    /// and this process.
    /// The target's name is cut (at a character's end) where the whole name would pass the 255
    /// bytes a file name may have: a legal output name of 240 bytes must not fail for its temporary
    /// file's. The sweep reads the process from the name's end, so a cut name is still recognised.
    public static func template(for path: String) -> String {
        let folder = FileSystem.directory(of: path)
        var base = Substring(path.split(separator: "/").last.map(String.init) ?? path)
        let suffix = "\(marker)\(getpid())-XXXXXX"
        while 1 + base.utf8.count + suffix.utf8.count > maxNameBytes, !base.isEmpty { base = base.dropLast() }
        return "\(folder)/.\(base)\(suffix)"
    }

    /// The longest file name most file systems take (`NAME_MAX`).
    static let maxNameBytes = 255

    /// A temporary file found in a folder.
    public struct Found: Sendable, Equatable {
        /// The file's path.
        public var path: String
        /// The process that wrote it.
        public var process: Int32
        /// Whether it was removed (its process is gone); false when that process still runs.
        public var removed: Bool
    }

    /// The process id in a temporary file's name, or nil when the name is not one of ours.
    public static func process(inName name: String) -> Int32? {
        guard name.hasPrefix("."), let end = lastEnd(of: marker, in: name) else { return nil }
        let rest = name[end...]
        guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0 else { return nil }
        guard rest[rest.index(after: dash)...].count == 6 else { return nil }
        return pid
    }

    /// Removes the temporary files in `folder` whose process is gone, and lists those whose process
    /// still runs (another `soe` writing there now, or, rarely, a new process with a reused id), or
    /// whose writer's lock is held (a process of another PID namespace, which `kill` cannot see).
    /// Only plain files are touched, never a link or a folder; this process's own are left alone.
    public static func sweep(folder: String) -> [Found] {
        // Only names that start with "." and hold the marker can be ours; the others (a results
        // folder may hold thousands of files) are skipped by their bytes, unsorted.
        let marker = Array(Self.marker.utf8)
        let candidates = FileSystem.names(in: folder) { name in
            name.first == 0x2E && contains(marker, in: name)
        }
        guard let names = candidates else { return [] }
        var found: [Found] = []
        for name in names.sorted() {
            guard let pid = process(inName: name), pid != getpid() else { continue }
            let path = (folder.hasSuffix("/") ? folder : folder + "/") + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            let running = kill(pid, 0) == 0 || errno == EPERM || isLocked(path)
            if running {
                found.append(Found(path: path, process: pid, removed: false))
            } else if unlink(path) == 0 {
                found.append(Found(path: path, process: pid, removed: true))
            }
        }
        return found
    }

    /// Whether another process holds the lock its writer takes on a temporary file: a run whose
    /// process id is not in this PID namespace (another container on a shared folder) is still
    /// writing. The lock taken here to look is let go when the file is closed.
    static func isLocked(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        // A file this process may not open (another user's, mode 600) cannot be told: left, as if
        // locked. One that is gone is not.
        guard fd >= 0 else { return errno != ENOENT }
        defer { close(fd) }
        return flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK
    }

    /// Whether `marker` occurs in `bytes` (the standard library's search for a run of elements).
    static func contains(_ marker: [UInt8], in bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.contains(marker)
    }

    /// Where the last occurrence of `marker` in `name` ends, or nil when there is none.
    private static func lastEnd(of marker: String, in name: String) -> String.Index? {
        var found: String.Index?
        var start = name.startIndex
        while let range = name[start...].firstRange(of: marker) {
            found = range.upperBound
            start = name.index(after: range.lowerBound)
        }
        return found
    }
}
