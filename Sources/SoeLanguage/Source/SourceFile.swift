import Synchronization

/// A rule file's text, kept as UTF-8 bytes; every token and node points into it by byte range.
///
/// Line and column are computed only when a diagnostic is rendered (STYLE habit 3), from a table of
/// line starts built once per file.
public final class SourceFile: Sendable {
    /// The path as the user gave it, shown in diagnostics.
    public let path: String
    /// The file's bytes. Guaranteed valid UTF-8 when produced by `SourceFile.load`/`init(path:text:)`.
    public let bytes: [UInt8]
    /// The byte offset at which each line starts; `lineStarts[0] == 0`. Made at the first use and
    /// kept: only a diagnostic's line and column, a suppression comment and a trace's place need it,
    /// and a run that shows none of them (a rule file loaded without findings for a batch) does not
    /// scan its rules for line breaks.
    public var lineStarts: [Int] {
        madeLineStarts.withLock { made in
            if let made { return made }
            let starts = Self.lineStarts(of: bytes)
            made = starts
            return starts
        }
    }
    private let madeLineStarts = Mutex<[Int]?>(nil)
    /// Whether `lineStarts` has been made (for the tests of its laziness).
    var hasMadeLineStarts: Bool { madeLineStarts.withLock { $0 != nil } }
    /// Where the text starts: 3 after a UTF-8 byte-order mark, which is not text, else 0.
    public let textStart: Int
    /// The SHA-256 of `bytes`, once computed.
    private let digest = Mutex<String?>(nil)

    /// The SHA-256 of the file's bytes, as lowercase hex: computed at the first use and kept, so
    /// that a run that shows no hash (a batch without traces or records) does not hash its rules.
    public var sha256: String {
        digest.withLock { cached in
            if let cached { return cached }
            let made = SHA256.hex(bytes)
            cached = made
            return made
        }
    }

    /// The file as diagnostics name it: `<stdin>` for `-` (standard input), else the path.
    public var displayName: String { path == "-" ? "<stdin>" : path }

    /// Wraps bytes that are already known to be the file's content.
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        self.textStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The byte offset at which each line starts: 0, and the offset after each line break. CR LF
    /// counts as one line break; a lone CR is a line break too.
    static func lineStarts(of bytes: [UInt8]) -> [Int] {
        var starts = [0]
        bytes.withUnsafeBytes { raw in
            let count = raw.count
            var index = 0
            while index < count {
                // Eight bytes at a time while none of them is CR or LF.
                while index &+ 8 <= count, !hasLineBreak(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                    index &+= 8
                }
                guard index < count else { break }
                let byte = raw[index]
                if byte == 0x0A {
                    starts.append(index + 1)
                } else if byte == 0x0D {
                    if index + 1 < count, raw[index + 1] == 0x0A { index += 1 }
                    starts.append(index + 1)
                }
                index += 1
            }
        }
        return starts
    }

    /// Whether one of the eight bytes of `word` is CR or LF.
    @inline(__always) static func hasLineBreak(_ word: UInt64) -> Bool {
        ByteLanes.equal(word, 0x0A) | ByteLanes.equal(word, 0x0D) != 0
    }

    /// Convenience for tests and generated rule files.
    public convenience init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// The 1-based line and column of a byte offset; the column counts Unicode scalars, so `ø` is one column.
    public func location(of offset: Int) -> SourceLocation {
        let lineStarts = lineStarts
        let clamped = max(0, min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        var column = 1
        // On the first line, columns count from after a byte-order mark, as editors count them.
        var index = low == 0 ? min(textStart, clamped) : lineStarts[low]
        while index < clamped {
            // Count only the lead bytes of UTF-8 sequences.
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourceLocation(line: low + 1, column: column)
    }

    /// The text of a 1-based line without its line break, for the snippet under a diagnostic.
    public func lineText(_ line: Int) -> String {
        let lineStarts = lineStarts
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = line == 1 ? textStart : lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The source text covered by a byte range.
    public func text(_ range: Range<Int>) -> String {
        let lower = max(0, min(range.lowerBound, bytes.count))
        let upper = max(lower, min(range.upperBound, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }
}

/// A 1-based line and column, for people and editors.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// A byte range in one source file: what a diagnostic or a trace step points at.
public struct SourceSpan: Sendable {
    public let file: SourceFile
    public let range: Range<Int>
    public init(file: SourceFile, range: Range<Int>) {
        self.file = file
        self.range = range
    }
    /// Where the span starts, as line and column.
    public var start: SourceLocation { file.location(of: range.lowerBound) }
}

/// Eight bytes at a time: the scans of the lexer and the line table read a word of the file and
/// ask whether any of its bytes is one they stop at.
public enum ByteLanes {
    /// The word's bytes equal to `byte`, each marked by its high bit (and possibly a high bit above
    /// a marked byte, which only a caller asking *which* byte would mind): a byte `b` equals `c`
    /// when `b ^ c` is zero, and a word has a zero byte exactly when `(x - 0x01…01) & ~x &
    /// 0x80…80` is not zero. Callers test the result (or the union of several) against zero.
    @inlinable @inline(__always) public static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & 0x8080_8080_8080_8080
    }
}
