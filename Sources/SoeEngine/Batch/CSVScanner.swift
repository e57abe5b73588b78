// The fast record scanner: finds a well-formed record's field boundaries from flags the reader
// computes for its whole buffer at once, eight bytes to a word, and copies the record's bytes once
// into the record's own reusable array, making no `String`.
//
// It handles what nearly every record is: unquoted fields, and quoted fields without an escaped
// quote. Anything else (an escaped `""`, a quote inside an unquoted field, a character after a
// closing quote, too many fields, a record too long, bytes that are not UTF-8, a quote still open
// at the end of input) it declines, and `CSVCheckingScanner`, the scanner that has always read
// records, scans the same bytes and decides the record or words its error. So what a record means,
// and every error with its place, stays that scanner's; this one only finds the common case sooner.

/// Scans one well-formed record into byte offsets, or declines.
enum CSVScanner {
    enum Outcome {
        /// The record's bytes and bounds are in the arrays given; it ends before `next`. `plain`:
        /// read by `plainFields`, so no field holds a quote, a byte at or below CR, a byte above
        /// 0x7F or the separator.
        case record(next: Int, lines: Int, plain: Bool)
        /// The buffer ends before the record does, and more input may come.
        case needMore
        /// Not a case this scanner reads: `CSVCheckingScanner` decides.
        case declined
    }

    static let quote = UInt8(ascii: "\"")
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    /// Scans the record at `c.start` of `buffer`. `flags` holds `Specials.flags` of each 8 bytes of
    /// `buffer` from its start (word k for bytes 8k..<8k+8), for `c.separator`, at least through the
    /// word of byte `c.end - 1`. On `.record`, `bytes` begins with the record's bytes, line break
    /// excluded, and the first `2 * fieldCount` entries of `bounds` are each field's start and end
    /// in them. Both arrays only grow, so they are reused from record to record (while no caller
    /// still holds the last record, which shares them).
    static func scan(
        _ buffer: [UInt8], flags: [UInt64], _ c: CSVCheckingScanner.Context, bytes: inout [UInt8], bounds: inout [Int],
        fieldCount: inout Int, plain: Bool = true
    ) -> Outcome {
        // The arrays are reused while no caller holds the last record; a caller that does (a
        // parallel batch keeps a round of records) makes the next write copy them whole, so after
        // a record of many fields or bytes they are made small again, and memory stays flat.
        let wanted = Swift.max(32, 2 * (c.fieldCountHint + 1))
        if bounds.count < 32 || bounds.count > 4 * wanted { bounds = Array(repeating: 0, count: wanted) }
        while true {
            var written = 0
            var plainRead = false
            let found = buffer.withUnsafeBufferPointer { p in
                flags.withUnsafeBufferPointer { f in
                    bounds.withUnsafeMutableBufferPointer { b in
                        fields(p, f, c, into: b, written: &written, plain: plain, plainRead: &plainRead)
                    }
                }
            }
            switch found {
            case .grow:
                bounds.append(contentsOf: repeatElement(0, count: bounds.count))
                continue
            case .needMore: return .needMore
            case .declined: return .declined
            case .record(let next, let lines, let length):
                fieldCount = written / 2
                if bytes.count < length || bytes.count > 4 * Swift.max(length, 256) {
                    bytes = Array(repeating: 0, count: Swift.max(length, 256))
                }
                buffer.withUnsafeBytes { source in
                    bytes.withUnsafeMutableBytes { target in
                        target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[c.start..<c.start + length]))
                    }
                }
                return .record(next: next, lines: lines, plain: plainRead)
            }
        }
    }

    private enum Found {
        case record(next: Int, lines: Int, length: Int)
        case needMore, declined
        /// More fields than `bounds` holds: it grows and the record is scanned again.
        case grow
    }

    /// The fields of the record at `c.start`: by `plainFields` when it reads the record (and
    /// `plain`, false only in the tests), else by `anyFields`. `plainRead`: whether `plainFields`
    /// read it.
    private static func fields(
        _ p: UnsafeBufferPointer<UInt8>, _ f: UnsafeBufferPointer<UInt64>, _ c: CSVCheckingScanner.Context,
        into b: UnsafeMutableBufferPointer<Int>, written: inout Int, plain: Bool, plainRead: inout Bool
    ) -> Found {
        if plain, let found = plainFields(p, f, c, into: b, written: &written) {
            plainRead = true
            return found
        }
        plainRead = false
        return anyFields(p, f, c, into: b, written: &written)
    }

    /// `anyFields` for the record nearly every record is: unquoted fields of bytes below 0x80,
    /// ending in a line break, in the buffer whole, within the limits. It follows the same flags
    /// and writes the same bounds, but with nothing to remember of quotes or of bytes above 0x7F
    /// it has fewer values to keep across the loop. At the first byte of any other kind (a
    /// quote, a byte above 0x7F, a control byte), at the end of the buffer, or at a limit, it
    /// gives up (nil) and `anyFields` scans the record from its start, deciding it as it always has.
    @inline(__always)
    private static func plainFields(
        _ p: UnsafeBufferPointer<UInt8>, _ f: UnsafeBufferPointer<UInt64>, _ c: CSVCheckingScanner.Context,
        into b: UnsafeMutableBufferPointer<Int>, written: inout Int
    ) -> Found? {
        guard let base = p.baseAddress, let out = b.baseAddress, let flags = f.baseAddress else { return nil }
        let separator = c.separator
        let start = c.start
        // As in `anyFields`: bytes past the limit are never looked at.
        let stop = Swift.min(c.end, start + c.limits.maxRecordBytes + 2)
        guard stop > start, (stop &- 1) &>> 3 < f.count else { return nil }
        let room = Swift.min(2 &* c.limits.maxFields, b.count)
        // Places are counted from the record's start, as the bounds hold them, so that a field's
        // ends are stored as they are found.
        let record = base + start
        var count = 0
        var fieldStart = 0
        var index = start &>> 3
        // The place of the first byte of flags word `index` (below 0 when the record starts inside it).
        var wordAt = (index &<< 3) &- start
        let last = (stop &- 1) &>> 3
        var pending = flags[index] & ~Specials.low(start & 7)
        if index == last { pending &= Specials.low(stop &- (last &<< 3)) }
        while true {
            while pending == 0 {
                // The end of the buffer (or of what may be looked at) inside the record: `anyFields` decides.
                if index == last { return nil }
                index &+= 1
                wordAt &+= 8
                pending = flags[index]
                if index == last { pending &= Specials.low(stop &- (last &<< 3)) }
            }
            let q = wordAt &+ (pending.trailingZeroBitCount &>> 3)
            pending &= pending &- 1
            let byte = record[q]
            guard count &+ 2 <= room else { return nil }
            if byte == separator {
                out[count] = fieldStart
                out[count &+ 1] = q
                count &+= 2
                fieldStart = q &+ 1
                continue
            }
            guard byte == lf || byte == cr else { return nil }
            // A CR as the buffer's last byte may be the first half of a CRLF still to come; a
            // record past the limit is the checking scanner's to word.
            guard start &+ q &+ 1 < stop || byte == lf, q <= c.limits.maxRecordBytes else { return nil }
            out[count] = fieldStart
            out[count &+ 1] = q
            count &+= 2
            let next = byte == cr && record[q &+ 1] == lf ? start &+ q &+ 2 : start &+ q &+ 1
            written = count
            return .record(next: next, lines: 1, length: q)
        }
    }

    /// Scans the fields of the record at `c.start`, any record `CSVScanner` reads, or declines.
    private static func anyFields(
        _ p: UnsafeBufferPointer<UInt8>, _ f: UnsafeBufferPointer<UInt64>, _ c: CSVCheckingScanner.Context,
        into b: UnsafeMutableBufferPointer<Int>, written: inout Int
    ) -> Found {
        guard let base = p.baseAddress, let out = b.baseAddress, let flags = f.baseAddress else { return .declined }
        let separator = c.separator
        let start = c.start
        // As in `CSVCheckingScanner`: bytes past the limit are never looked at.
        let stop = Swift.min(c.end, start + c.limits.maxRecordBytes + 2)
        guard stop > start, (stop &- 1) &>> 3 < f.count else { return .declined }
        let limited = stop < c.end
        let eof = c.atEndOfInput && !limited
        // Running out of buffer: wait for more, unless the record is already too long.
        let short: Found = limited ? .declined : .needMore
        let room = Swift.min(2 * c.limits.maxFields, b.count)
        var count = 0
        var lines = 0
        var fieldStart = start
        // After a quoted field's closing quote: where its text ends (before that quote), else -1.
        var quotedEnd = -1
        // Whether a byte above 0x7F was passed: then the fields are checked to be UTF-8.
        var high = false
        // The flags of the word holding the next bytes, one bit (the high bit of the byte's place)
        // per byte that may be special, cleared as each is dealt with; none before `start` or at
        // or past `stop`.
        var index = start &>> 3
        let last = (stop &- 1) &>> 3
        var pending = flags[index] & ~Specials.low(start & 7)
        if index == last { pending &= Specials.low(stop &- (last &<< 3)) }
        while true {
            // The next byte that may be special, or `stop`.
            while pending == 0 {
                if index == last {
                    // The buffer ends inside the record: the record ends here only at the end of input.
                    if !eof { return short }
                    if count == room { return count == 2 * c.limits.maxFields ? .declined : .grow }
                    out[count] = fieldStart &- start
                    out[count &+ 1] = (quotedEnd < 0 ? stop : quotedEnd) &- start
                    count &+= 2
                    if stop - start > c.limits.maxRecordBytes { return .declined }
                    return finish(base, start: start, end: stop, next: stop, lines: lines, high: high, out, count, &written)
                }
                index &+= 1
                pending = flags[index]
                if index == last { pending &= Specials.low(stop &- (last &<< 3)) }
            }
            let q = (index &<< 3) &+ (pending.trailingZeroBitCount &>> 3)
            pending &= pending &- 1
            let byte = base[q]
            if byte == separator {
                if count == room { return count == 2 * c.limits.maxFields ? .declined : .grow }
                out[count] = fieldStart &- start
                out[count &+ 1] = (quotedEnd < 0 ? q : quotedEnd) &- start
                count &+= 2
                (fieldStart, quotedEnd) = (q &+ 1, -1)
                continue
            }
            if byte == quote {
                // A quote inside an unquoted field is an error the checking scanner words.
                guard q == fieldStart else { return .declined }
                // A quoted field: on through the same flags to its closing quote, counting line
                // breaks; separators inside it are text.
                while true {
                    while pending == 0 {
                        if index == last { return eof ? .declined : short }
                        index &+= 1
                        pending = flags[index]
                        if index == last { pending &= Specials.low(stop &- (last &<< 3)) }
                    }
                    let j = (index &<< 3) &+ (pending.trailingZeroBitCount &>> 3)
                    pending &= pending &- 1
                    let inner = base[j]
                    if inner == quote {
                        // An escaped quote is the checking scanner's.
                        if j + 1 < stop && base[j + 1] == quote { return .declined }
                        (fieldStart, quotedEnd) = (q &+ 1, j)
                        if j + 1 < stop {
                            let after = base[j + 1]
                            guard after == separator || after == lf || after == cr else { return .declined }
                        } else if !eof {
                            return short
                        }
                        break
                    }
                    if inner == lf || (inner == cr && !(j + 1 < stop && base[j + 1] == lf)) {
                        lines &+= 1
                    } else if inner >= 0x80 {
                        high = true
                    } else if inner == 0 {
                        // A NUL byte is the checking scanner's to word.
                        return .declined
                    }
                }
                continue
            }
            if byte == lf || byte == cr {
                if count == room { return count == 2 * c.limits.maxFields ? .declined : .grow }
                out[count] = fieldStart &- start
                out[count &+ 1] = (quotedEnd < 0 ? q : quotedEnd) &- start
                count &+= 2
                if byte == cr && q + 1 == stop && !eof { return short }
                let next = byte == cr && q + 1 < stop && base[q + 1] == lf ? q + 2 : q + 1
                lines &+= 1
                if q - start > c.limits.maxRecordBytes { return .declined }
                return finish(base, start: start, end: q, next: next, lines: lines, high: high, out, count, &written)
            }
            // Any other byte flagged is part of the field: a byte above 0x7F (noted, for the UTF-8
            // check) or a control byte below CR; a NUL byte is the checking scanner's to word.
            if byte >= 0x80 { high = true } else if byte == 0 { return .declined }
        }
    }

    /// A record found: checks that its fields are UTF-8 when a byte above 0x7F was passed, and
    /// hands it over.
    @inline(__always)
    private static func finish(
        _ base: UnsafePointer<UInt8>, start: Int, end: Int, next: Int, lines: Int, high: Bool, _ out: UnsafeMutablePointer<Int>,
        _ count: Int, _ written: inout Int
    ) -> Found {
        if high
            && !fieldsAreUTF8(UnsafeBufferPointer(start: base + start, count: end - start), UnsafeBufferPointer(start: out, count: count))
        {
            return .declined
        }
        written = count
        return .record(next: next, lines: lines, length: end - start)
    }

    /// Whether each field is valid UTF-8, checked field by field as `CSVCheckingScanner` does, so
    /// that a byte sequence split by a separator is judged the same way, and starts with no
    /// byte-order mark (`CSVCheckingScanner.startsWithByteOrderMark`), which that scanner words.
    private static func fieldsAreUTF8(_ record: UnsafeBufferPointer<UInt8>, _ bounds: UnsafeBufferPointer<Int>) -> Bool {
        var index = 0
        while index < bounds.count {
            let field = UnsafeBufferPointer(rebasing: record[bounds[index]..<bounds[index + 1]])
            if !isUTF8(field) || CSVCheckingScanner.startsWithByteOrderMark(field) { return false }
            index += 2
        }
        return true
    }

    /// Whether the bytes are UTF-8, by the standard library's own parser.
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.contains(where: { $0 >= 0x80 }) else { return true }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}

/// Flags the bytes that may end or quote a field, or need the UTF-8 check, eight at once: the
/// separator, the quote, every byte below 0x0E (among them LF, CR and tab) and every byte above
/// 0x7F; three tests and an or, not four tests, and no separate pass for the UTF-8 check. The
/// scanner passes over the other control bytes flagged. Exact for every byte: no borrow or carry
/// crosses from one byte to the next.
struct Specials {
    let separator: UInt64, quote: UInt64
    static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    static let high: UInt64 = 0x8080_8080_8080_8080
    static let ones: UInt64 = 0x0101_0101_0101_0101
    /// Added to a byte's low seven bits, carries into its high bit when they are 0x0E or more.
    static let belowCR: UInt64 = (0x80 - 0x0E) &* ones

    init(separator: UInt8) {
        self.separator = UInt64(separator) &* Specials.ones
        quote = UInt64(CSVScanner.quote) &* Specials.ones
    }

    /// The high bit of each byte that is not zero.
    @inline(__always)
    static func nonZero(_ x: UInt64) -> UInt64 { ((x & low7) &+ low7) | x }

    /// The bytes of a word below byte `count` (0 to 8); the others cleared.
    @inline(__always)
    static func low(_ count: Int) -> UInt64 { count >= 8 ? ~0 : (1 &<< UInt64(8 &* count)) &- 1 }

    /// The high bit of each byte (byte k of memory is bits 8k..<8k+8) that is the separator, the
    /// quote, below 0x0E or above 0x7F.
    @inline(__always)
    func flags(_ word: UInt64) -> UInt64 {
        let notBelow = (word & Specials.low7) &+ Specials.belowCR
        return (~(notBelow & Specials.nonZero(word ^ separator) & Specials.nonZero(word ^ quote)) | word) & Specials.high
    }

    /// Writes the flags of the words `from..<to` of `bytes` (word k is bytes 8k..<8k+8; bytes past
    /// the end read as 0) into `flags`.
    static func fill(
        _ bytes: UnsafeBufferPointer<UInt8>, words range: Range<Int>, separator: UInt8, into flags: UnsafeMutableBufferPointer<UInt64>
    ) {
        guard let base = bytes.baseAddress, let out = flags.baseAddress, !range.isEmpty else { return }
        precondition(range.upperBound <= flags.count && range.lowerBound >= 0, "flags out of range")
        let raw = UnsafeRawPointer(base)
        let pattern = Specials(separator: separator)
        let whole = Swift.min(range.upperBound, bytes.count &>> 3)
        var index = range.lowerBound
        while index < whole {
            out[index] = pattern.flags(raw.loadUnaligned(fromByteOffset: index &<< 3, as: UInt64.self))
            index &+= 1
        }
        while index < range.upperBound {
            var word: UInt64 = 0
            var k = 0
            while (index &<< 3) &+ k < bytes.count && k < 8 {
                word |= UInt64(base[(index &<< 3) &+ k]) &<< UInt64(8 &* k)
                k &+= 1
            }
            out[index] = pattern.flags(word)
            index &+= 1
        }
    }
}
