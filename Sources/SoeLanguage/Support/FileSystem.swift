// No Foundation in the engine: loading it (and ICU with it) cost a one-firm run more than the
// run's own work. Files are looked at with the system's calls.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failure of the tool itself rather than of a rule or a firm: a file that cannot be read or
/// written, a bad flag. It has its own exit code (see `ExitCode`).
public struct ToolError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Which file a path names: its device and inode (see `FileSystem.identity`).
public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64
}

/// Reading and listing files, kept in one place so the engine's other stages never touch the disk.
public enum FileSystem {
    /// The most any whole-file read takes (256 MiB), unless the caller gives a smaller limit: a
    /// firm file (`firmFileLimit`), a rule file (`RuleLoader.maxFileSize`).
    public static let maxFileSize = 256 << 20
    /// The most a single firm's JSON takes, from a file or from standard input (16 MiB); a real one
    /// is a few hundred bytes, and a batch goes in CSV or JSON Lines, which are read as a stream.
    public static let firmFileLimit = 16 << 20

    /// The whole file, or a tool error naming the path. `-` reads standard input. Reading stops at
    /// `limit` bytes, however the file looks from outside (a pipe, `/dev/zero` or a file still
    /// growing has no size to check first), and at a signal (see `Interruption`).
    ///
    /// `start`, when given, judges the bytes of the first read (up to 64 KiB; from a pipe, however
    /// few came): a problem it gives ends the read there, so that a file of the wrong kind is
    /// refused without being read to the limit. It must say nothing where those bytes cannot tell.
    public static func read(_ path: String, limit: Int = maxFileSize, start: ((UnsafeRawBufferPointer) -> String?)? = nil)
        -> Result<[UInt8], ToolError>
    {
        if path == "-" { return readAll(0, name: StandardStreams.name(0), limit: limit, start: start) }
        // Opened once and read from that descriptor: the reason it cannot be opened is the
        // system's own (`errno`), not a guess, and a pipe is not opened twice.
        guard let fd = openDescriptor(path, O_RDONLY) else {
            return .failure(ToolError("cannot read \(path.isEmpty ? "''" : path): \(openProblem(path, errno))"))
        }
        defer { close(fd) }
        var status = stat()
        if fstat(fd, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind == S_IFDIR { return .failure(ToolError("cannot read \(path): it is a folder")) }
            if let problem = deviceProblem(fd, status) { return .failure(ToolError("cannot read \(path): \(problem)")) }
            if kind == S_IFREG && Int(status.st_size) > limit {
                return .failure(ToolError("cannot read \(path): \(status.st_size) bytes is more than the limit of \(limitText(limit))"))
            }
        }
        return readAll(fd, name: path, limit: limit, start: start)
    }

    /// Why a named input that is a device is not read: `/dev/zero` and `/dev/urandom` give bytes
    /// without end (read to a limit, they cost its memory and time before the refusal), and a disk
    /// is no file of data. A terminal and `/dev/null` (an empty input) are read; standard input
    /// (`-`) is never asked about, so that `soe … - < /dev/zero` is the shell's choice. Nil for
    /// anything that is not a device.
    public static func deviceProblem(_ fd: Int32, _ status: stat) -> String? {
        switch status.st_mode & S_IFMT {
        case S_IFCHR:
            var null = stat()
            if isatty(fd) != 0 || (stat("/dev/null", &null) == 0 && null.st_rdev == status.st_rdev) { return nil }
            return "it is a device, not a file (a device such as /dev/zero gives bytes without end); give a file, or - for standard input"
        case S_IFBLK:
            return "it is a block device (a disk), not a file"
        default:
            return nil
        }
    }

    /// `deviceProblem(_:_:)` of an open descriptor, looked at with `fstat`; nil when it cannot be.
    public static func deviceProblem(_ fd: Int32) -> String? {
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        return deviceProblem(fd, status)
    }

    /// A limit in messages: "16777216 bytes (16 MiB)".
    public static func limitText(_ limit: Int) -> String {
        limit >= 1 << 20 && limit % (1 << 20) == 0 ? "\(limit) bytes (\(limit >> 20) MiB)" : "\(limit) bytes"
    }

    /// Reads a descriptor to its end, at most `limit` bytes; the buffer grows with what comes, so a
    /// small input costs little. A signal ends the read (`Interruption.requested`).
    static func readAll(_ fd: Int32, name: String, limit: Int, start: ((UnsafeRawBufferPointer) -> String?)? = nil)
        -> Result<[UInt8], ToolError>
    {
        var bytes: [UInt8] = []
        // Not zeroed: the system writes what it reads, and the pages a small file never reaches are
        // never touched (a zeroed 64 KiB was 16 page faults of a one-firm run).
        let chunk = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 16)
        defer { chunk.deallocate() }
        while true {
            if Interruption.requested { return .failure(ToolError("cannot read \(name): interrupted")) }
            let count = systemRead(fd, UnsafeMutableRawPointer(chunk.baseAddress), chunk.count)
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                let reason = fd <= 2 ? StandardStreams.reason(fd, code: code) : String(cString: strerror(code)).lowercased()
                return .failure(ToolError("cannot read \(name): \(reason)"))
            }
            if count == 0 { return .success(bytes) }
            if bytes.isEmpty, let start, let problem = start(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: chunk[..<count]))) {
                return .failure(ToolError("cannot read \(name): \(problem)"))
            }
            guard bytes.count + count <= limit else {
                let hint = fd == 0 ? "; many firms go in a CSV or JSON Lines batch (--input-format), which is read as a stream" : ""
                return .failure(ToolError("cannot read \(name): it holds more than \(limitText(limit)), the limit\(hint)"))
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[..<count]))
        }
    }

    /// A file's size in bytes, without reading it; nil when it cannot be told (no such file, `-`).
    public static func size(of path: String) -> Int? {
        // `lstat`, as Foundation's `attributesOfItem` did: a link's own size.
        var info = stat()
        guard path != "-", lstat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// Whether the path names an existing regular file (symbolic links followed); false for `-`.
    public static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return path != "-" && stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// Whether the path is an existing folder.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// A descriptor for `path` opened with `flags` (`O_RDONLY`, `O_WRONLY`), or nil with `errno` set:
    /// the one place that names each platform's `open`.
    public static func openDescriptor(_ path: String, _ flags: Int32) -> Int32? {
        #if canImport(Darwin)
            let fd = Darwin.open(path, flags)
        #elseif canImport(Musl)
            let fd = Musl.open(path, flags)
        #else
            let fd = Glibc.open(path, flags)
        #endif
        return fd >= 0 ? fd : nil
    }

    /// read(2), the one place that names each platform's.
    static func systemRead(_ fd: Int32, _ base: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Darwin)
            Darwin.read(fd, base, count)
        #elseif canImport(Musl)
            Musl.read(fd, base, count)
        #else
            Glibc.read(fd, base, count)
        #endif
    }

    /// Why `path` could not be opened, from the `errno` of the failed `open`, with the fix when
    /// there is one: a name that is not UTF-8 or a symbolic-link loop is not "no such file".
    public static func openProblem(_ path: String, _ code: Int32) -> String {
        switch code {
        case ENOENT:
            if path.isEmpty {
                return
                    "the file name is empty (an empty argument, such as an unset variable in \"$FILE\"); give a file name, or - for standard input"
            }
            if path.unicodeScalars.contains("\u{FFFD}") {
                return
                    "the file name is not valid UTF-8 (its bad bytes are shown as \u{FFFD}), so the file cannot be named; rename it with a UTF-8 name"
            }
            var status = stat()
            if lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK {
                return "it is a symbolic link to a file that does not exist; fix or remove the link"
            }
            return "no such file"
        case ELOOP:
            return "too many levels of symbolic links (a link that leads back to itself?); fix or remove the link"
        case EACCES, EPERM:
            return "permission denied (the file, or a folder on its path, may not be read by this user)"
        case EISDIR:
            return "it is a folder"
        case ENOTDIR:
            return "a part of the path is a file, not a folder"
        case ENAMETOOLONG:
            return "the name is too long for the file system"
        case EILSEQ:
            return "the file name is not valid in the file system's encoding; rename it with a UTF-8 name"
        default:
            return String(cString: strerror(code)).lowercased()
        }
    }

    /// The current `errno` as lower-case text ("no such file or directory").
    public static func lastError() -> String {
        String(cString: strerror(errno)).lowercased()
    }

    /// The device and inode of the file a path names, symbolic links followed; nil when there is
    /// none. Two paths name the same file, whatever links lead to it, exactly when these are equal.
    public static func identity(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// The device and inode of an open descriptor (standard input redirected from a file, say).
    public static func identity(descriptor fd: Int32) -> FileIdentity? {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Whether anything exists at the path.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The names in a folder (without `.` and `..`), in the order the system gives them; nil when
    /// it cannot be listed.
    public static func names(in folder: String) -> [String]? {
        names(in: folder) { _ in true }
    }

    /// The names in a folder (without `.` and `..`) whose bytes `keep` accepts, in the order the
    /// system gives them; nil when it cannot be listed. A name `keep` refuses is never made into a
    /// `String`, so a search through a folder of thousands of files costs little more than the
    /// system's listing.
    public static func names(in folder: String, where keep: (UnsafeRawBufferPointer) -> Bool) -> [String]? {
        // The name is read where the system put it, not copied out of the entry first.
        guard let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name), let directory = opendir(folder) else {
            return nil
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let start = UnsafeRawPointer(entry) + offset
            let bytes = UnsafeRawBufferPointer(start: start, count: strlen(start.assumingMemoryBound(to: CChar.self)))
            if bytes.count <= 2 && bytes.allSatisfy({ $0 == 0x2E }) { continue }
            if keep(bytes) { names.append(String(decoding: bytes, as: UTF8.self)) }
        }
        return names
    }

    /// The files in a folder with the given extension, sorted by name so that output is stable.
    public static func list(_ folder: String, extension suffix: String) -> Result<[String], ToolError> {
        guard let names = names(in: folder) else {
            return .failure(ToolError("cannot list the folder \(folder)"))
        }
        return list(folder, extension: suffix, names: names)
    }

    /// `list(_:extension:)` of the folder's names already listed (`names(in:)`).
    public static func list(_ folder: String, extension suffix: String, names: [String]) -> Result<[String], ToolError> {
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        // In any letter case: `Kommune.RULES`, as a Windows program may save it, is a rule file too.
        let wanted = suffix.lowercased()
        let files = names.filter { $0.lowercased().hasSuffix(wanted) && !$0.hasPrefix(".") }.sorted().map { base + $0 }
        // A named pipe, a device or a socket under a rule file's name would be read until it
        // ends, which may be never: refused by what it is, before anything is read.
        for file in files {
            if let kind = specialKind(file) {
                return .failure(
                    ToolError(
                        "\(file) is \(kind), not a file; a folder of rules holds rule files only: remove it or give the files one by one"))
            }
        }
        return .success(files)
    }

    /// What a path is when it is neither a regular file nor a folder (following links): "a named
    /// pipe (FIFO)", "a device", "a socket"; nil for a regular file, a folder or nothing there.
    public static func specialKind(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFSOCK: return "a socket"
        default: return "a device"
        }
    }

    /// The folder part of a path ("rules" for "rules/rsv_2014.rules", "." for a bare name).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

}

/// The offset of the first byte that breaks UTF-8, or nil if the bytes are valid UTF-8.
public func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBytes { raw -> Int? in
        var index = 0
        let count = raw.count
        while index < count {
            // Eight ASCII bytes at a time (none has its high bit set): most of a rule file.
            while index &+ 8 <= count, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index &+= 8
            }
            guard index < count else { break }
            let byte = raw[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch byte {
            case 0xC2...0xDF:
                length = 2
                minimum = 0x80
                scalar = UInt32(byte & 0x1F)
            case 0xE0...0xEF:
                length = 3
                minimum = 0x800
                scalar = UInt32(byte & 0x0F)
            case 0xF0...0xF4:
                length = 4
                minimum = 0x10000
                scalar = UInt32(byte & 0x07)
            default: return index
            }
            guard index + length <= count else { return index }
            for offset in 1..<length {
                let next = raw[index + offset]
                guard next & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return index }
            index += length
        }
        return nil
    }
}
