#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// Where the CSV reader's bytes come from. Kept apart from the parser so tests can feed bytes in
// awkward pieces and the command line can feed a file descriptor without the whole file in memory.
#if canImport(Glibc)
    import SoeLanguage
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stream of bytes read in pieces, so a reader never needs a whole file in memory.
public protocol ByteSource {
    /// Copies up to `buffer.count` bytes into `buffer` and returns how many; 0 means the end of input.
    /// A source may return fewer bytes than asked for at any time (a pipe does), so callers loop.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int

    /// The regular file this source's bytes are, as they are, from a known offset on, so that a
    /// batch can read any part of them again (the chunks of `--jobs`, the lines before a message);
    /// nil (the default) for a pipe, bytes in memory or bytes decoded. A requirement, not a cast:
    /// a dynamic cast to a protocol of a wrapped source's type costs the runtime a search of every
    /// conformance in the binary, about 95,000 instructions a wrapper on a cold start.
    var positional: PositionalFile? { get }

    /// `read(into:)` without the copy, for a source that holds the bytes in an array of its own (a
    /// file read ahead, `ReadAheadSource`): `buffer[keeping]` (bytes the caller has not used yet)
    /// are followed by the next bytes of the source, as many as `read(into:)` would have put into
    /// `ask` bytes of room, in `buffer` itself or in an array of the source's that `buffer` is
    /// then (the source may keep a reference to it, so the caller's next write copies it).
    /// Returns where the kept bytes and the new ones lie, the new ones last (none: the end of
    /// input), or nil (the default) when the source lends nothing this time: then nothing was
    /// read, `buffer` is as it was, and `read(into:)` serves.
    mutating func lend(_ buffer: inout [UInt8], keeping: Range<Int>, ask: Int) throws -> Range<Int>?
}

extension ByteSource {
    /// Not a regular file read as it is.
    public var positional: PositionalFile? { nil }

    /// Lends nothing: every read copies.
    public mutating func lend(_ buffer: inout [UInt8], keeping: Range<Int>, ask: Int) throws -> Range<Int>? { nil }
}

/// A read that failed below the CSV level, with the operating system's error number when there is one.
public struct ByteSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, lower case, no full stop.
    public var message: String
    /// The `errno` value, or 0 when the failure did not come from the operating system.
    public var code: Int32

    /// Makes an error from a message and an optional `errno` value.
    public init(message: String, code: Int32 = 0) {
        self.message = message
        self.code = code
    }

    /// The message, so that interpolating the error reads naturally in a CSV error.
    public var description: String { message }
}

/// Reads an open file descriptor with read(2). The descriptor is not closed: whoever opened it owns it.
public struct FileDescriptorSource: ByteSource {
    /// The descriptor read from.
    public let fd: Int32
    // A FileHandle closes its descriptor when it is deallocated, so one passed in is kept alive here
    // for as long as the source is.
    private let owner: AnyObject?
    /// The file offset of the first byte this source serves, or -1 when `fd` cannot seek (a pipe):
    /// what lets a batch read a regular file's bytes again from any offset (`PositionalFile`).
    private let origin: Int

    /// Reads `fd`, which must stay open while the source is used.
    public init(fd: Int32) {
        self.fd = fd
        self.owner = nil
        self.origin = PositionalFile.offset(of: fd)
    }

    /// Reads `fd` and keeps `owner` alive for as long as the source is, so that an owner that closes
    /// the descriptor when it goes (a `FileHandle`) does not close it under the reader.
    public init(fd: Int32, keepingAlive owner: AnyObject) {
        self.fd = fd
        self.owner = owner
        self.origin = PositionalFile.offset(of: fd)
    }

    /// Reads once, retrying when a signal interrupts the call before any byte arrived, unless the
    /// signal asks the run to stop (`Interruption`): then, and before every read once it has, the
    /// read fails with "interrupted", so that no loop over an endless input outlives a SIGTERM.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if Interruption.requested { throw ByteSourceError(message: "interrupted", code: EINTR) }
            #if canImport(Darwin)
                let count = Darwin.read(fd, base, buffer.count)
            #elseif canImport(Musl)
                let count = Musl.read(fd, base, buffer.count)
            #else
                let count = Glibc.read(fd, base, buffer.count)
            #endif
            if count >= 0 { return count }
            let code = errno
            if code == EINTR { continue }
            let reason = fd <= 2 ? StandardStreams.reason(fd, code: code) : String(cString: strerror(code)).lowercased()
            throw ByteSourceError(message: fd == 0 ? "standard input: \(reason)" : reason, code: code)
        }
    }
}

extension FileDescriptorSource {
    /// The descriptor's file when it is a regular file (`PositionalFile.init`).
    public var positional: PositionalFile? { PositionalFile(fd: fd, origin: origin) }
}

/// A regular file read with pread(2), from the offset of a source's first byte: what a source
/// whose bytes are the file's as they are gives (`ByteSource.positional`). Public only as that
/// requirement's type; its parts are the engine's.
public struct PositionalFile: @unchecked Sendable {
    let fd: Int32
    /// The file offset of the source's byte 0.
    let origin: Int
    /// The file's size in the source's offsets (from `origin`), when it was looked at.
    let size: Int
    /// Whether the source may still decide, at the first byte above 0x7F, to decode the rest
    /// (`TextEncodingSource`): the batch must look at that byte before reading the file in pieces.
    var encodingUndecided = false

    /// Nil unless `fd` is a regular file and `origin` a real offset.
    init?(fd: Int32, origin: Int) {
        guard origin >= 0 else { return nil }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) >= origin else { return nil }
        (self.fd, self.origin, self.size) = (fd, origin, Int(status.st_size) - origin)
    }

    /// The current offset of `fd`, or -1 when it cannot seek.
    static func offset(of fd: Int32) -> Int {
        Int(lseek(fd, 0, SEEK_CUR))
    }

    /// Whether the byte above 0x7F at source offset `offset` begins a UTF-8 sequence: what
    /// `TextEncodingSource` decides the file's encoding by, at the file's first such byte.
    func beginsUTF8(at offset: Int) throws -> Bool {
        var sequence = [UInt8](repeating: 0, count: 4)
        let read = try sequence.withUnsafeMutableBytes { try self.read(at: offset, into: $0) }
        return TextEncodingSource<ArraySource>.utf8Sequence(sequence[0..<read]) > 0
    }

    /// Reads up to `buffer.count` bytes at source offset `offset`; 0 at the end of the file.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if Interruption.requested { throw ByteSourceError(message: "interrupted", code: EINTR) }
            let count = pread(fd, base, buffer.count, off_t(origin + offset))
            if count >= 0 { return count }
            let code = errno
            if code == EINTR { continue }
            throw ByteSourceError(message: String(cString: strerror(code)).lowercased(), code: code)
        }
    }
}

/// A positional file's bytes from one offset on, read in order: one chunk's reader.
///
/// With the chunk's planned end (`limit`), a read stops there, and past it asks for `pastLimit`
/// bytes at a time: the reader's buffer is as large as a chunk, so whole reads fetched most of the
/// next chunk's bytes (read again by its own reader) to finish one record, and `--jobs 2`'s readers
/// fetched the file from the kernel about twice. A source may always return fewer bytes than asked
/// for, so what the reader makes of the bytes is the same.
///
/// With `highBytes`, it also notes the offset of the first byte above 0x7F it serves, for a batch
/// whose file has still to decide its encoding there (`ChunkRelay`).
struct PositionalFileSource: ByteSource {
    let file: PositionalFile
    var offset: Int
    var limit = Int.max
    static let pastLimit = 1 << 12
    let highBytes: HighByteWatch?

    init(file: PositionalFile, offset: Int, limit: Int = Int.max, highBytes: HighByteWatch? = nil) {
        (self.file, self.offset, self.limit, self.highBytes) = (file, offset, limit, highBytes)
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let before = limit - offset
        let ask = Swift.min(buffer.count, before > 0 ? before : PositionalFileSource.pastLimit)
        let count = try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<ask]))
        if let highBytes, highBytes.first == nil, let found = HighByteWatch.first(in: UnsafeRawBufferPointer(rebasing: buffer[..<count])) {
            highBytes.first = offset + found
        }
        offset += count
        return count
    }
}

/// The source offset of the first byte above 0x7F a chunk's reader was served, if any.
final class HighByteWatch {
    var first: Int?

    /// The index of the first byte above 0x7F in `bytes`: sixty-four bytes at a time while none is
    /// (eight words, one test), then eight, then one.
    static func first(in bytes: UnsafeRawBufferPointer) -> Int? {
        let count = bytes.count
        var index = 0
        while index + 64 <= count {
            var words: UInt64 = 0
            for offset in stride(from: 0, to: 64, by: 8) {
                words |= bytes.loadUnaligned(fromByteOffset: index + offset, as: UInt64.self)
            }
            if words & 0x8080_8080_8080_8080 != 0 { break }
            index += 64
        }
        while index + 8 <= count {
            if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < count {
            if bytes[index] >= 0x80 { return index }
            index += 1
        }
        return nil
    }
}

/// Bytes already in memory: tests, or standard input that had to be read whole for another reason.
public struct ArraySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    /// Serves `bytes` from the start.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Copies the next bytes, as many as fit.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { all in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[offset..<(offset + count)]))
        }
        offset += count
        return count
    }
}
