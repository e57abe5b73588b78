// A CSV record as bytes: the fields, unquoted, in one byte array, and where each one starts and
// ends. A batch reads numbers straight from the bytes and makes a `String` only for a cell that is
// text (an id, a name, a carried column) or that must be worded in an error; a record of `[String]`
// cost an allocation and a UTF-8 check per field, a tenth of a batch's time.

/// What `CSVReader.next(into:)` read: the next record, into the caller's, or the error that
/// replaced it. The record's case holds nothing, so that dropping a step releases nothing.
enum CSVStep {
    case record
    case failure(CSVError)
}

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
    public private(set) var count: Int
    /// 1-based physical line where the record starts; line breaks inside quoted fields count.
    public var line: Int
    /// 1-based record index, the header being 1. Failed records count too, so numbers stay true to the file.
    public var number: Int
    /// The input's separator when the reader's plain loop read the record (`CSVScanner`'s
    /// `plainFields`): then no field holds a quote, a byte at or below CR (no line break), a byte
    /// above 0x7F, or this separator. 0 when that is not known (any other way a record is made).
    var plainSeparator: UInt8 = 0

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

    /// Makes this record the one a reader wrote into `bytes` and `bounds`, trading arrays with it:
    /// the reader writes its next record into this record's previous storage. Moving arrays in
    /// and out retains and releases nothing (`CSVReader.next(into:)`).
    mutating func exchange(bytes: inout [UInt8], bounds: inout [Int], count: Int, line: Int, number: Int, plainSeparator: UInt8 = 0) {
        swap(&self.bytes, &bytes)
        swap(&self.bounds, &bounds)
        (self.count, self.line, self.number, self.plainSeparator) = (count, line, number, plainSeparator)
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

    /// Lends the record's fields to `body` through pointers (`CSVFields`), for a caller that reads
    /// several: the bounds array's size is checked once here, not at every access as `withField`
    /// and `isEmpty` check it (with the closure and the slice around each, about 45 instructions a
    /// field). The fields are what `withField` gives.
    @inline(__always)
    func withFields<R>(_ body: (CSVFields) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { bytes in
            try bounds.withUnsafeBufferPointer { bounds in
                precondition(bounds.count >= 2 * count, "a record's bounds hold fewer fields than its count")
                return try body(CSVFields(bytes: bytes.baseAddress, bounds: bounds.baseAddress, count: count))
            }
        }
    }

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

/// A record's fields lent through pointers (`CSVRecord.withFields`): field `i` is what
/// `CSVRecord.withField(i)` gives, for `i` below `count` (checked).
struct CSVFields {
    let bytes: UnsafePointer<UInt8>?
    let bounds: UnsafePointer<Int>?
    let count: Int

    /// The bytes of the field at `index`.
    @inline(__always)
    subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "a field past the record's")
        // `count` above 0: `withFields` checked that the bounds hold it.
        let edges = bounds.unsafelyUnwrapped
        let (from, to) = (edges[2 &* index], edges[2 &* index &+ 1])
        // No bytes (every field empty): the field is empty, as `withField`'s is.
        guard let bytes else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: bytes + from, count: to &- from)
    }

    /// Whether the field at `index` is empty.
    @inline(__always)
    func isEmpty(_ index: Int) -> Bool { self[index].isEmpty }
}

/// The records of one chunk of a batch (`BatchRunner.runInChunks`) in one byte buffer and one
/// offsets buffer, so that handing a chunk's records from the thread that read them to the one that
/// binds them allocates nothing per record: a record kept as itself holds two arrays of its own,
/// allocated by the reading thread and freed by another. A record comes back out with
/// `CSVRecord.load(_:first:count:line:number:)`.
struct CSVRecordArena {
    /// The fields' bytes of every record, one after another; only the first `byteCount` mean
    /// anything (the rest is room, so that appending writes through a pointer).
    private(set) var bytes: [UInt8] = []
    /// Two offsets into `bytes` per field, the records one after another; only the first
    /// `boundCount` mean anything.
    private(set) var bounds: [Int] = []
    private(set) var byteCount = 0
    private(set) var boundCount = 0

    /// Empties the arena, keeping its storage.
    mutating func removeAll() { (byteCount, boundCount) = (0, 0) }

    /// Appends the record's fields; returns where its offsets start in `bounds`.
    mutating func append(_ record: CSVRecord) -> Int {
        let first = boundCount
        let offsets = 2 &* record.count
        guard offsets > 0 else { return first }
        record.bytes.withUnsafeBufferPointer { from in
            record.bounds.withUnsafeBufferPointer { fromBounds in
                var (low, high) = (Int.max, 0)
                var index = 0
                while index < offsets {
                    low = Swift.min(low, fromBounds[index])
                    high = Swift.max(high, fromBounds[index &+ 1])
                    index &+= 2
                }
                let length = Swift.max(0, high - low)
                if bytes.count < byteCount &+ length {
                    bytes += repeatElement(0, count: Swift.max(byteCount &+ length, 2 &* bytes.count, 4096) - bytes.count)
                }
                if bounds.count < boundCount &+ offsets {
                    bounds += repeatElement(0, count: Swift.max(boundCount &+ offsets, 2 &* bounds.count, 512) - bounds.count)
                }
                let (byteStart, shift) = (byteCount, byteCount &- low)
                if length > 0, let source = from.baseAddress {
                    bytes.withUnsafeMutableBufferPointer { to in
                        (to.baseAddress! + byteStart).update(from: source + low, count: length)
                    }
                }
                bounds.withUnsafeMutableBufferPointer { to in
                    for index in 0..<offsets { to[first &+ index] = fromBounds[index] &+ shift }
                }
                (byteCount, boundCount) = (byteStart &+ length, first &+ offsets)
            }
        }
        return first
    }
}

extension CSVRecord {
    /// Makes this record the one `arena` holds with offsets from `first`, reusing this record's
    /// offsets storage (when no copy of the record holds it) and sharing the arena's bytes.
    mutating func load(_ arena: CSVRecordArena, first: Int, count: Int, line: Int, number: Int) {
        bytes = arena.bytes
        if bounds.count < 2 &* count { bounds += repeatElement(0, count: 2 &* count - bounds.count) }
        arena.bounds.withUnsafeBufferPointer { from in
            bounds.withUnsafeMutableBufferPointer { to in
                for index in 0..<2 &* count { to[index] = from[first &+ index] }
            }
        }
        (self.count, self.line, self.number, plainSeparator) = (count, line, number, 0)
    }

    /// Lets go of the bytes, so that the arena they came from can be reused in place.
    mutating func dropBytes() { bytes = [] }
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
