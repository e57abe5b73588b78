import SoeLanguage

// A streaming CSV reader for batch input: RFC 4180 files and what Danish Excel writes.
// It works on bytes in one reusable buffer and makes each field's String once, because a national
// batch is a million rows and memory must not grow with the file.

/// How fields are separated. Quoting is always `"` with `""` for a literal quote, in every dialect.
public struct CSVDialect: Sendable, Equatable {
    /// The byte between fields: `,`, `;` or tab. A quote, CR or LF cannot be a separator.
    public var separator: UInt8

    /// Makes a dialect with the given separator byte.
    public init(separator: UInt8) {
        self.separator = separator
    }

    /// RFC 4180: comma-separated.
    public static let rfc4180 = CSVDialect(separator: UInt8(ascii: ","))
    /// What Excel writes with a Danish locale: semicolon-separated, because the comma is the decimal mark.
    /// Decimal commas stay in the field text; turning them into numbers is the caller's concern.
    public static let excelDanish = CSVDialect(separator: UInt8(ascii: ";"))
    /// Tab-separated, as spreadsheets copy to the clipboard.
    public static let tab = CSVDialect(separator: UInt8(ascii: "\t"))
}

/// Why one record could not be read. The reader goes on with the next record after it.
public struct CSVError: Error, Sendable, Equatable, BilingualMessage {
    /// What is wrong, lower case, no full stop.
    public var message: String
    /// The same in Danish, for `--lang da`.
    public var danish: String?
    /// 1-based physical line of the problem.
    public var line: Int
    /// 1-based column on that line, counted in Unicode scalars.
    public var column: Int
    /// 1-based record index of the failed record, as in `CSVRecord.number`.
    public var number: Int

    /// Makes an error.
    public init(message: String, danish: String? = nil, line: Int, column: Int, number: Int) {
        (self.message, self.danish, self.line, self.column, self.number) = (message, danish, line, column, number)
    }
}

/// Bounds that keep one bad record (a quote that never closes, a binary file) from taking unbounded memory.
public struct CSVLimits: Sendable, Equatable {
    /// Most bytes in one record, quotes included and its line break excluded.
    public let maxRecordBytes: Int
    /// Most fields in one record.
    public let maxFields: Int

    /// Makes limits. Values are clamped to at least 1, and the record size to at most 1 TiB so the
    /// buffer arithmetic cannot overflow.
    public init(maxRecordBytes: Int = 1 << 20, maxFields: Int = 10_000) {
        self.maxRecordBytes = Swift.min(Swift.max(1, maxRecordBytes), 1 << 40)
        self.maxFields = Swift.max(1, maxFields)
    }

    /// 1 MiB per record and 10,000 fields: far beyond any real input row, small enough to stay flat.
    public static let standard = CSVLimits()
}

/// Reads records one at a time from a `ByteSource`, holding at most one record's bytes plus a chunk.
///
/// A UTF-8 byte-order mark at the very start is skipped. Records end at LF, CRLF or a lone CR outside
/// quotes; a final line break does not make an empty record. An error in one record does not stop the
/// reader: it resumes after the next line break outside quotes.
public struct CSVReader<Source: ByteSource>: Sequence, IteratorProtocol {
    /// The dialect in use: the one given, or the one detected from the first line once it is read.
    public private(set) var dialect: CSVDialect?
    /// Whether the input began with a UTF-8 byte-order mark, as Excel's "CSV UTF-8" does.
    public private(set) var hadByteOrderMark = false
    /// The bounds in force.
    public let limits: CSVLimits

    private var source: Source
    private var buffer: [UInt8]
    private var start = 0, end = 0
    /// The room a refill reads into, as `read(into:)` asks for it: the size of the reader's own
    /// buffer, doubled for a long record. An array a source lends (`ByteSource.lend`) may be larger,
    /// and reads still ask for this much, so that they stop where reads into the reader's own
    /// buffer stop: which records come before a read error depends on it.
    private var capacity: Int
    private var atEndOfInput = false, begun = false, skipping = false
    private var line = 1, number = 0, fieldCountHint = 16
    /// Bytes of the source dropped from the front of `buffer`: `consumed + start` is the source
    /// offset of the next record.
    private var consumed = 0
    private var scratch: [UInt8] = []
    /// The storage of the records returned, reused while no caller holds the last record.
    private var recordBytes: [UInt8] = []
    private var recordBounds: [Int] = []
    /// `Specials.flags` of each 8 bytes of `buffer` (word k for bytes 8k..<8k+8), for
    /// `flagSeparator`, computed for the whole buffer at once rather than record by record: valid
    /// from the word of `start` up to `flaggedBytes`, a multiple of 8 that a refill which moves the
    /// bytes sets back to the word of the new `start` (0 when they move to the front).
    /// Words past the last one flagged are never read, so a new array is left as the allocator
    /// gives it: zeroing it cost each chunk of a `--jobs` batch about 100 instructions a row. With
    /// `firstBufferFill` (tests) its words are filled with that byte, as the first buffer is.
    private var flags: [UInt64] = []
    private let flagsFill: UInt64?
    private var flaggedBytes = 0
    /// The `end` the flags were last computed up to, -1 after a refill that moved the bytes. The
    /// flags are computed again when `end` is another: asking for `flaggedBytes < end` computed the
    /// last word again for every record wherever `end` is not a multiple of 8, as it mostly is in
    /// a lent array (`ByteSource.lend`), about 140 instructions a row.
    private var flaggedEnd = -1
    private var flagSeparator: UInt8 = 0
    /// Whether records go to `CSVScanner` first; false reads every record with
    /// `CSVCheckingScanner` alone, as the tests do to compare the two.
    var fastScanning = true
    /// Whether the fast scanner tries its loop for plain records first (`CSVScanner.plainFields`);
    /// false reads every record with its loop for any record, as the tests do to compare the two.
    var plainScanning = true
    /// The records the fast scanner read itself, for tests.
    private(set) var recordsScannedFast = 0
    /// The refills a source lent its array for (`ByteSource.lend`), for tests.
    private(set) var lends = 0
    /// Where the record `next()` last returned lies in `buffer`, line break included.
    private var lastRecord = 0..<0
    /// What could be read of the record whose error `next()` last returned: its fields, decoded
    /// leniently, and the lines it took; nil for a record too long to keep. Valid until `next()`
    /// is called again.
    public private(set) var salvaged: CSVSalvage?
    /// A read error met while looking ahead, returned by the next `next()`.
    private var deferredFailure: CSVError?

    /// Reads `source`. With no dialect, the first line decides: the most frequent of `,` `;` and tab
    /// outside quotes, a tie going to `,` (then `;`), so a one-column file is read as RFC 4180.
    public init(source: Source, dialect: CSVDialect? = nil, limits: CSVLimits = .standard) {
        self.init(source: source, dialect: dialect, limits: limits, firstBufferFill: nil)
    }

    /// `init(source:dialect:limits:)` with the first buffer's bytes filled with `firstBufferFill`
    /// before the first read, or left as the allocator gave them (nil, as a batch reads). The reader
    /// looks only at bytes its reads put into the buffer (below `end`), so their first value does
    /// not matter, and not writing them spares a short file, one firm from a cold start, the 65,536
    /// zeros the buffer was filled with: 65,000 instructions and 16 page faults (docs/benchmark.md,
    /// "Steps of wave 3, session 11: cold start in time"). The tests fill it with hostile bytes and
    /// compare everything a caller sees with a zeroed buffer (`CSVFirstBufferTests`).
    init(source: Source, dialect: CSVDialect?, limits: CSVLimits, firstBufferFill: UInt8?) {
        self.source = source
        self.dialect = dialect
        self.limits = limits
        self.flagsFill = firstBufferFill.map { UInt64($0) &* 0x0101_0101_0101_0101 }
        let size = Swift.min(1 << 16, limits.maxRecordBytes + 3)
        self.capacity = size
        self.buffer = [UInt8](unsafeUninitializedCapacity: size) { bytes, initialized in
            if let firstBufferFill { bytes.initialize(repeating: firstBufferFill) }
            initialized = size
        }
    }

    /// Reads `source` from a record's start inside a file whose first line decided `dialect`: no
    /// byte-order mark is looked for, and lines and records are counted from `line` and `records`
    /// (a chunk of a batch, `BatchRunner.runInChunks`, read before the counts before it are known,
    /// counts from 1 and 0 and the batch adds them on).
    /// `line` and `records`: the line the first record starts on and the records before it.
    init(continuing source: Source, dialect: CSVDialect, line: Int = 1, records: Int = 0) {
        self.init(source: source, dialect: dialect)
        (begun, self.line, number) = (true, line, records)
    }

    /// The source offset of the next record, once `settle()` has passed a record too long to keep.
    var offset: Int { consumed + start }
    /// The physical line the next record starts on.
    var nextLine: Int { line }
    /// The records read so far, failed ones and the header included.
    var recordsRead: Int { number }
    /// The source the reader reads.
    var inspectedSource: Source { source }

    /// Passes over the rest of a record too long to keep now rather than at the next `next()`, so
    /// that `offset` is where the next record starts; a read error is kept for `next()` to return.
    mutating func settle() {
        guard skipping else { return }
        skipping = false
        if let failure = skipRecord() { deferredFailure = failure }
    }

    /// The next record or the error that replaced it; nil at the end of input.
    public mutating func next() -> Result<CSVRecord, CSVError>? {
        switch advance() {
        case nil: return nil
        case .scanned(let fields, let line, let number, let plain)?:
            var record = CSVRecord(bytes: recordBytes, bounds: recordBounds, count: fields, line: line, number: number)
            record.plainSeparator = plain
            return .success(record)
        case .record(let record)?: return .success(record)
        case .failure(let error)?: return .failure(error)
        }
    }

    /// `next()` into a record the caller keeps from row to row (a batch), without reference
    /// counting per record: a record the fast scanner read trades its two arrays with `record`'s
    /// (`CSVRecord.exchange`), and the next is written into those. `next()` puts the reader's
    /// arrays into a new record, two retains, and the caller's dropping it two releases, per row.
    /// Returns nil at the end of input, `.record` when `record` holds the next record, or the
    /// error that replaced it (then `record` is unchanged).
    mutating func next(into record: inout CSVRecord) -> CSVStep? {
        switch advance() {
        case nil: return nil
        case .scanned(let fields, let line, let number, let plain)?:
            record.exchange(bytes: &recordBytes, bounds: &recordBounds, count: fields, line: line, number: number, plainSeparator: plain)
            return .record
        case .record(let made)?:
            record = made
            return .record
        case .failure(let error)?: return .failure(error)
        }
    }

    /// What `advance()` read.
    private enum Advance {
        /// A record the fast scanner wrote into `recordBytes` and `recordBounds`: its field count,
        /// first line and number, and the separator when its plain loop read it, else 0
        /// (`CSVRecord.plainSeparator`).
        case scanned(fields: Int, line: Int, number: Int, plain: UInt8)
        /// A record the checking scanner made.
        case record(CSVRecord)
        case failure(CSVError)
    }

    /// Reads the next record for `next()` and `next(into:)`; nil at the end of input.
    @inline(__always)
    private mutating func advance() -> Advance? {
        // Assigned only when set: dropping a nil value still calls the runtime's release, per row.
        if salvaged != nil { salvaged = nil }
        if let failure = deferredFailure {
            deferredFailure = nil
            return .failure(failure)
        }
        if !begun {
            begun = true
            while end - start < 3 && !atEndOfInput {
                if let failure = refill() { return .failure(failure) }
            }
            if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF {
                hadByteOrderMark = true
                start += 3
            }
        }
        if skipping {
            skipping = false
            if let failure = skipRecord() { return .failure(failure) }
        }
        while true {
            if start == end && atEndOfInput { return nil }
            if start < end && dialect == nil { dialect = detect() }
            guard start < end, let separator = dialect?.separator else {
                if let failure = refill() { return .failure(failure) }
                continue
            }
            let context = CSVCheckingScanner.Context(
                start: start, end: end, atEndOfInput: atEndOfInput, separator: separator,
                limits: limits, line: line, number: number + 1, fieldCountHint: fieldCountHint)
            var fields = 0
            var fast = CSVScanner.Outcome.declined
            if fastScanning {
                if flaggedEnd != end || flagSeparator != separator { flag(separator) }
                fast = CSVScanner.scan(
                    buffer, flags: flags, context, bytes: &recordBytes, bounds: &recordBounds, fieldCount: &fields,
                    plain: plainScanning)
            }
            switch fast {
            case .record(let next, let lines, let plain):
                number += 1
                recordsScannedFast &+= 1
                let first = line
                lastRecord = start..<next
                (start, line, fieldCountHint) = (next, line + lines, fields)
                return .scanned(fields: fields, line: first, number: number, plain: plain ? separator : 0)
            case .needMore:
                if let failure = refill() { return .failure(failure) }
                continue
            case .declined:
                break
            }
            switch checkingScan(context) {
            case .needMore:
                if let failure = refill() { return .failure(failure) }
            case .record(let fields, let next, let lines):
                number += 1
                let record = CSVRecord(fields: fields, line: line, number: number)
                lastRecord = start..<next
                (start, line, fieldCountHint) = (next, line + lines, fields.count)
                return .record(record)
            case .failed(let error, let next, let lines):
                salvaged = CSVSalvage.read(buffer, start..<next, lineBreaks: lines, separator: separator)
                (number, start, line) = (number + 1, next, line + lines)
                return .failure(error)
            case .tooLong(let openQuoteLine):
                salvaged = nil
                number += 1
                skipping = true
                var message = "record is longer than \(limits.maxRecordBytes) bytes"
                var danish = "posten er længere end \(limits.maxRecordBytes) bytes"
                if let openQuoteLine {
                    message += " (quote opened at line \(openQuoteLine) is still open)"
                    danish += " (anførselstegnet i linje \(openQuoteLine) er stadig åbent)"
                }
                return .failure(CSVError(message: message, danish: danish, line: line, column: 1, number: number))
            }
        }
    }

    /// The raw bytes of the record `next()` last returned, quotes as written and without its line
    /// break, so a caller can hash exactly what was in the file. Valid until `next()` is called again.
    public func withLastRecordBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var range = lastRecord.clamped(to: 0..<buffer.count)
        while let last = range.last, buffer[last] == 0x0A || buffer[last] == 0x0D { range = range.lowerBound..<last }
        return buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// The records already read into the buffer after the last one `next()` returned, without
    /// consuming them: the sniff window a caller may look at before reading on. Nothing is read
    /// from the source for it, so a failing source fails in `next()` as before; at most the
    /// buffer's bytes (64 KiB at first) are looked at, and records that failed are left out.
    public func lookAhead() -> [[String]] {
        guard let dialect else { return [] }
        var records: [[String]] = []
        var position = start
        var scratch: [UInt8] = []
        while position < end {
            let context = CSVCheckingScanner.Context(
                start: position, end: end, atEndOfInput: atEndOfInput, separator: dialect.separator,
                limits: limits, line: line, number: number + 1, fieldCountHint: fieldCountHint)
            switch CSVCheckingScanner.scan(buffer, context, &scratch) {
            case .record(let fields, let next, _):
                records.append(fields)
                position = next
            case .failed(_, let next, _):
                position = next
            case .needMore, .tooLong:
                return records
            }
        }
        return records
    }

    /// `lookAhead()`, reading on until it holds `count` records, the input ends or the first
    /// buffer is full: for a decision that needs the next record whole (a template's row of
    /// descriptions under the header), however short the source's reads were (a pipe; the
    /// Windows-1252 decoder stops a read at its first letter). It waits only for bytes the batch
    /// needs next anyway, so results still stream. A read error is kept for `next()` to return.
    public mutating func lookAhead(atLeast count: Int) -> [[String]] {
        var records = lookAhead()
        while records.count < count && !atEndOfInput && deferredFailure == nil && end - start < capacity {
            if let failure = refill() {
                deferredFailure = failure
                break
            }
            records = lookAhead()
        }
        return records
    }

    /// Computes the flags of the buffer's bytes up to `end` not yet flagged for `separator`: after
    /// a refill, the bytes read (and those moved to the front); the last word again while it is
    /// not full, as more bytes may come into it.
    private mutating func flag(_ separator: UInt8) {
        var from = flagSeparator == separator ? flaggedBytes &>> 3 : 0
        let words = (end &+ 7) &>> 3
        if flags.count < words {
            growFlags(to: words)
            // From the record's word, not from 0: the flags before it are never read, and in an
            // array lent with its room in front (`ByteSource.lend`) the bytes there are none of the input's.
            from = start &>> 3
        }
        // The flags are moved out while they are written, and the closure reads no property: the
        // buffer lent to it while `self` is written would otherwise be retained and released.
        var written: [UInt64] = []
        swap(&written, &flags)
        let end = self.end
        buffer.withUnsafeBufferPointer { bytes in
            written.withUnsafeMutableBufferPointer { out in
                Specials.fill(UnsafeBufferPointer(rebasing: bytes[..<end]), words: from..<words, separator: separator, into: out)
            }
        }
        swap(&written, &flags)
        (flaggedBytes, flaggedEnd, flagSeparator) = (end & ~7, end, separator)
    }

    /// Makes room for `words` flags, by doubling as the bytes read grow; to be flagged again from the
    /// start. Out of line: it runs a few times a reader, beside a loop that runs for every record.
    @inline(never)
    private mutating func growFlags(to words: Int) {
        let count = Swift.max(words, Swift.min(2 &* flags.count, (buffer.count &+ 7) &>> 3))
        let fill = flagsFill
        flags = [UInt64](unsafeUninitializedCapacity: count) { words, initialized in
            if let fill { words.initialize(repeating: fill) }
            initialized = count
        }
    }

    /// Keeps the unread bytes, makes room, and reads at least as many new bytes as were pending, so a
    /// record that spans many pipe reads is rescanned a logarithmic number of times, not once per read.
    ///
    /// A source that holds the bytes in an array of its own (a file read ahead) lends it instead
    /// (`ByteSource.lend`): the unread bytes stay where they are or go in front of the new ones,
    /// and the records are read in the source's array. Copying every byte of the input into this
    /// buffer was about 100 instructions a row (`rep movsb`, counted per byte; docs/benchmark.md,
    /// "Steps of session 26"). Each lend stops where a read would, so the records are the same.
    private mutating func refill() -> CSVError? {
        let pending = end - start
        var added = 0
        while pending < capacity {
            let held = end - start
            let lent: Range<Int>?
            let before = buffer.withUnsafeBufferPointer { $0.baseAddress }
            do {
                lent = try source.lend(&buffer, keeping: start..<end, ask: capacity - held)
            } catch {
                return failedRead(error)
            }
            guard let lent else { break }
            lends &+= 1
            // Bytes that moved, or an array of the source's: flagged again from the record's word.
            if lent.lowerBound != start || buffer.withUnsafeBufferPointer({ $0.baseAddress }) != before {
                (flaggedBytes, flaggedEnd) = (lent.lowerBound & ~7, -1)
            }
            consumed += start - lent.lowerBound
            (start, end) = (lent.lowerBound, lent.upperBound)
            if lent.count == held {
                atEndOfInput = true
                return nil
            }
            added += lent.count - held
            if added >= pending || end - start == capacity { return nil }
        }
        if start > 0 {
            let from = start
            let held = end - start
            consumed += from
            (flaggedBytes, flaggedEnd) = (0, -1)
            buffer.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress, held > 0 else { return }
                base.copyMemory(from: base + from, byteCount: held)
            }
            (start, end) = (0, held)
        }
        if end == capacity {
            capacity = Swift.max(capacity, Swift.min(capacity * 2, limits.maxRecordBytes + 3))
        }
        if buffer.count < capacity { buffer.append(contentsOf: repeatElement(0, count: capacity - buffer.count)) }
        while end < capacity {
            let (from, to) = (end, capacity)
            let result = buffer.withUnsafeMutableBytes { raw in
                Result { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[from..<to])) }
            }
            switch result {
            case .success(let count) where count > 0:
                end += count
                added += count
                if added >= pending { return nil }
            case .success:
                atEndOfInput = true
                return nil
            case .failure(let error):
                return failedRead(error)
            }
        }
        return nil
    }

    /// Ends the input at a read error: the rest of the input cannot be trusted, so it ends here with one error.
    private mutating func failedRead(_ error: Error) -> CSVError {
        (atEndOfInput, start, number) = (true, end, number + 1)
        return CSVError(
            message: "could not read input: \(error)", danish: "kunne ikke læse input: \(error)",
            line: line, column: 1, number: number)
    }

    /// Counts separators on the first line outside quotes; nil when that line is not all buffered yet.
    private func detect() -> CSVDialect? {
        var commas = 0
        var semicolons = 0
        var tabs = 0
        var inQuotes = false
        let stop = Swift.min(end, start + limits.maxRecordBytes + 2)
        var i = start
        scanning: while i < stop {
            switch buffer[i] {
            case UInt8(ascii: "\""): inQuotes.toggle()
            case UInt8(ascii: ",") where !inQuotes: commas += 1
            case UInt8(ascii: ";") where !inQuotes: semicolons += 1
            case UInt8(ascii: "\t") where !inQuotes: tabs += 1
            case 0x0A where !inQuotes, 0x0D where !inQuotes: break scanning
            default: break
            }
            i += 1
        }
        if i == end && !atEndOfInput { return nil }
        if semicolons > commas && semicolons >= tabs { return .excelDanish }
        return tabs > commas && tabs > semicolons ? .tab : .rfc4180
    }

    /// Passes over the rest of a record too long to keep, discarding bytes as it goes so memory stays flat.
    private mutating func skipRecord() -> CSVError? {
        let separator = dialect?.separator ?? UInt8(ascii: ",")
        let quote = UInt8(ascii: "\"")
        var state = CSVSkipState.fieldStart
        var i = start
        while true {
            // A CR decides nothing until the byte after it is known, so it is kept while reading on.
            if i == end || (buffer[i] == 0x0D && i + 1 == end && !atEndOfInput) {
                start = i
                if i == end && atEndOfInput { return nil }
                if let failure = refill() { return failure }
                i = start
                continue
            }
            let byte = buffer[i]
            let lineBreak = byte == 0x0A || (byte == 0x0D && (i + 1 == end || buffer[i + 1] != 0x0A))
            switch state {
            case .quoted:
                if byte == quote { state = .quoteInQuoted }
                if lineBreak { line += 1 }
                i += 1
            case .quoteInQuoted:
                if byte == quote { (state, i) = (.quoted, i + 1) } else { state = .unquoted }
            case .fieldStart, .unquoted:
                if byte == 0x0A || byte == 0x0D {
                    line += 1
                    start = lineBreak ? i + 1 : i + 2
                    return nil
                }
                state = byte == quote && state == .fieldStart ? .quoted : byte == separator ? .fieldStart : .unquoted
                i += 1
            }
        }
    }

    /// Scans one record from `start` with the scanner that words errors, for a record the fast
    /// scanner declined. Nothing is committed, so when the buffer runs out the same record is
    /// scanned again after a refill; that happens about once per chunk.
    private mutating func checkingScan(_ context: CSVCheckingScanner.Context) -> CSVCheckingScanner.Outcome {
        var local: [UInt8] = []
        swap(&local, &scratch)
        defer { swap(&local, &scratch) }
        return CSVCheckingScanner.scan(buffer, context, &local)
    }
}

/// Where a skipped record's scan is: only quoting matters when nothing is kept.
private enum CSVSkipState { case fieldStart, unquoted, quoted, quoteInQuoted }
