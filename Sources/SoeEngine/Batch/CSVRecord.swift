// A CSV record as bytes: the fields, unquoted, in one byte array, and where each one starts and
// ends. A batch reads numbers straight from the bytes and makes a `String` only for a cell that is
// text (an id, a name, a carried column) or that must be worded in an error; a record of `[String]`
// cost an allocation and a UTF-8 check per field, a tenth of a batch's time.

/// One record and where it started, so a caller can say "row 17, line 18".
public struct CSVRecord: Sendable {
    /// The fields' bytes, unquoted and valid UTF-8; field `i` is `bytes[bounds[2 * i]..<bounds[2 * i + 1]]`.
    /// The reader keeps the same storage from record to record while no caller holds the last one,
    /// so it may hold bytes past the record's own.
    private(set) var bytes: [UInt8]
    /// Two offsets into `bytes` per field, where it starts and where it ends; only the first
    /// `2 * count` mean anything.
    private(set) var bounds: [Int]
    /// The number of fields. A completely empty line is one empty field; the caller decides whether to skip it.
    public let count: Int
    /// 1-based physical line where the record starts; line breaks inside quoted fields count.
    public var line: Int
    /// 1-based record index, the header being 1. Failed records count too, so numbers stay true to the file.
    public var number: Int

    /// Makes a record of the given fields.
    public init(fields: [String], line: Int, number: Int) {
        var bytes: [UInt8] = []
        var bounds: [Int] = []
        for field in fields {
            bounds.append(bytes.count)
            bytes.append(contentsOf: field.utf8)
            bounds.append(bytes.count)
        }
        self.init(bytes: bytes, bounds: bounds, count: fields.count, line: line, number: number)
    }

    /// Makes a record of bytes the reader has checked are UTF-8, and the first `count` fields'
    /// offsets into them.
    init(bytes: [UInt8], bounds: [Int], count: Int, line: Int, number: Int) {
        (self.bytes, self.bounds, self.count, self.line, self.number) = (bytes, bounds, count, line, number)
    }

    /// The fields as text, unquoted: one `String` each, made on every call.
    public var fields: [String] { (0..<count).map { self[$0] } }

    /// The text of the field at `index` (0-based, below `count`).
    public subscript(index: Int) -> String {
        withField(index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of the field at `index` (0-based, below `count`), unquoted.
    @inline(__always)
    public func withField<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let (from, to) = (bounds[2 * index], bounds[2 * index + 1])
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[from..<to])) }
    }

    /// Whether the field at `index` is empty.
    public func isEmpty(_ index: Int) -> Bool { bounds[2 * index] == bounds[2 * index + 1] }

    /// Whether the field at `index` is empty or spaces and tabs only: a blank cell.
    public func isBlank(_ index: Int) -> Bool {
        withField(index) { field in field.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
    }

    /// Whether every field is empty: an empty line, or only separators.
    public var isAllEmpty: Bool {
        var index = 0
        while index < 2 * count {
            if bounds[index] != bounds[index + 1] { return false }
            index += 2
        }
        return true
    }
}

extension CSVRecord: Equatable {
    /// Records are equal when their fields hold the same bytes and they start at the same place.
    public static func == (left: CSVRecord, right: CSVRecord) -> Bool {
        guard left.count == right.count, left.line == right.line, left.number == right.number else { return false }
        for index in 0..<left.count {
            let same = left.withField(index) { a in right.withField(index) { b in a.elementsEqual(b) } }
            if !same { return false }
        }
        return true
    }
}
