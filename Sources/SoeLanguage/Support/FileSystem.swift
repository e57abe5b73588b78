import Foundation

/// A failure of the tool itself rather than of a rule or a firm: a file that cannot be read or
/// written, a bad flag. It has its own exit code (see `ExitCode`).
public struct ToolError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reading and listing files, kept in one place so the engine's other stages never touch the disk.
public enum FileSystem {
    /// The whole file, or a tool error naming the path. `-` reads standard input.
    public static func read(_ path: String, limit: Int = 1 << 30) -> Result<[UInt8], ToolError> {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            return .success([UInt8](data))
        }
        // Opened once and read from that descriptor: the reason it cannot be opened is the
        // system's own (`errno`), not a guess, and a pipe is not opened twice.
        guard let fd = openDescriptor(path, O_RDONLY) else {
            return .failure(ToolError("cannot read \(path): \(openProblem(path, errno))"))
        }
        defer { _ = close(fd) }
        var status = stat()
        if fstat(fd, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind == S_IFDIR { return .failure(ToolError("cannot read \(path): it is a folder")) }
            if kind == S_IFREG && Int(status.st_size) > limit {
                return .failure(ToolError("cannot read \(path): \(status.st_size) bytes is more than the limit of \(limit)"))
            }
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { readDescriptor(fd, $0) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ToolError("cannot read \(path): \(openProblem(path, errno))"))
            }
            if count == 0 { return .success(bytes) }
            bytes += chunk[0..<count]
            if bytes.count > limit {
                return .failure(ToolError("cannot read \(path): more than the limit of \(limit) bytes"))
            }
        }
    }

    /// Reads into `buffer` from a descriptor: the count, 0 at the end, or -1 with `errno` set.
    static func readDescriptor(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        #if canImport(Darwin)
            return Darwin.read(fd, base, buffer.count)
        #elseif canImport(Musl)
            return Musl.read(fd, base, buffer.count)
        #else
            return Glibc.read(fd, base, buffer.count)
        #endif
    }

    /// A file's size in bytes, without reading it; nil when it cannot be told (no such file, `-`).
    public static func size(of path: String) -> Int? {
        guard path != "-", let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return attributes[.size] as? Int
    }

    /// Whether the path is an existing folder.
    public static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
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

    /// Why `path` could not be opened, from the `errno` of the failed `open`, with the fix when
    /// there is one: a name that is not UTF-8 or a symbolic-link loop is not "no such file".
    public static func openProblem(_ path: String, _ code: Int32) -> String {
        switch code {
        case ENOENT:
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

    /// Whether anything exists at the path.
    public static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// The files in a folder with the given extension, sorted by name so that output is stable.
    public static func list(_ folder: String, extension suffix: String) -> Result<[String], ToolError> {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            return .failure(ToolError("cannot list the folder \(folder)"))
        }
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        return .success(names.filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }.sorted().map { base + $0 })
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
    var index = 0
    let count = bytes.count
    while index < count {
        let byte = bytes[index]
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
            let next = bytes[index + offset]
            guard next & 0xC0 == 0x80 else { return index }
            scalar = scalar << 6 | UInt32(next & 0x3F)
        }
        if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return index }
        index += length
    }
    return nil
}
