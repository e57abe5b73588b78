// The fast record scanner: finds a well-formed record's field boundaries eight bytes at a time and
// copies the record's bytes once into the record's own reusable array, making no `String`.
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
        /// The record's bytes and bounds are in the arrays given; it ends before `next`.
        case record(next: Int, lines: Int)
        /// The buffer ends before the record does, and more input may come.
        case needMore
        /// Not a case this scanner reads: `CSVCheckingScanner` decides.
        case declined
    }

    static let quote = UInt8(ascii: "\"")
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    /// Scans the record at `c.start` of `buffer`. On `.record`, `bytes` begins with the record's
    /// bytes, line break excluded, and the first `2 * fieldCount` entries of `bounds` are each
    /// field's start and end in them. Both arrays only grow, so they are reused from record to
    /// record (while no caller still holds the last record, which shares them).
    static func scan(
        _ buffer: [UInt8], _ c: CSVCheckingScanner.Context, bytes: inout [UInt8], bounds: inout [Int], fieldCount: inout Int
    ) -> Outcome {
        // The arrays are reused while no caller holds the last record; a caller that does (a
        // parallel batch keeps a round of records) makes the next write copy them whole, so after
        // a record of many fields or bytes they are made small again, and memory stays flat.
        let wanted = Swift.max(32, 2 * (c.fieldCountHint + 1))
        if bounds.count < 32 || bounds.count > 4 * wanted { bounds = Array(repeating: 0, count: wanted) }
        while true {
            var written = 0
            let found = buffer.withUnsafeBufferPointer { p in
                bounds.withUnsafeMutableBufferPointer { b in fields(p, c, into: b, written: &written) }
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
                return .record(next: next, lines: lines)
            }
        }
    }

    private enum Found {
        case record(next: Int, lines: Int, length: Int)
        case needMore, declined
        /// More fields than `bounds` holds: it grows and the record is scanned again.
        case grow
    }

    private static func fields(
        _ p: UnsafeBufferPointer<UInt8>, _ c: CSVCheckingScanner.Context, into b: UnsafeMutableBufferPointer<Int>,
        written: inout Int
    ) -> Found {
        guard let base = p.baseAddress, let out = b.baseAddress else { return .declined }
        let raw = UnsafeRawPointer(base)
        let separator = c.separator
        let start = c.start
        // As in `CSVCheckingScanner`: bytes past the limit are never looked at.
        let stop = Swift.min(c.end, start + c.limits.maxRecordBytes + 2)
        let limited = stop < c.end
        let eof = c.atEndOfInput && !limited
        // Running out of buffer: wait for more, unless the record is already too long.
        let short: Found = limited ? .declined : .needMore
        let most = 2 * c.limits.maxFields
        let room = Swift.min(most, b.count)
        let pattern = Specials(separator: separator)
        let capacity = p.count
        var count = 0
        var lines = 0
        var fieldStart = start
        // After a quoted field's closing quote: where its text ends (before that quote), else -1.
        var quotedEnd = -1
        // The 8 bytes from `window` (bytes at or past `stop` read as 0), and one bit (the high bit
        // of the byte's place) for each byte among them that may end or quote a field, cleared as
        // each is dealt with. `seen` is every byte passed, or'ed, for the ASCII check.
        var window = start
        var (word, pending) = pattern.load(raw, at: window, stop: stop, capacity: capacity)
        var seen: UInt64 = 0
        while true {
            // The next byte that may be special, or `stop`.
            while pending == 0 {
                seen |= word
                window &+= 8
                if window >= stop {
                    // The buffer ends inside the record: the record ends here only at the end of input.
                    if !eof { return short }
                    if count == room { return count == most ? .declined : .grow }
                    out[count] = fieldStart &- start
                    out[count &+ 1] = (quotedEnd < 0 ? stop : quotedEnd) &- start
                    count &+= 2
                    if stop - start > c.limits.maxRecordBytes { return .declined }
                    return finish(raw, start: start, end: stop, next: stop, lines: lines, seen: seen, out, count, &written)
                }
                (word, pending) = pattern.load(raw, at: window, stop: stop, capacity: capacity)
            }
            let q = window &+ (pending.trailingZeroBitCount &>> 3)
            pending &= pending &- 1
            let byte = base[q]
            if byte == separator {
                if count == room { return count == most ? .declined : .grow }
                out[count] = fieldStart &- start
                out[count &+ 1] = (quotedEnd < 0 ? q : quotedEnd) &- start
                count &+= 2
                (fieldStart, quotedEnd) = (q &+ 1, -1)
                continue
            }
            if byte == quote {
                // A quote inside an unquoted field is an error the checking scanner words.
                guard q == fieldStart else { return .declined }
                // A quoted field: on through the same words to its closing quote, counting line
                // breaks; separators inside it are text.
                while true {
                    while pending == 0 {
                        seen |= word
                        window &+= 8
                        if window >= stop { return eof ? .declined : short }
                        (word, pending) = pattern.load(raw, at: window, stop: stop, capacity: capacity)
                    }
                    let j = window &+ (pending.trailingZeroBitCount &>> 3)
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
                    if inner == lf || (inner == cr && !(j + 1 < stop && base[j + 1] == lf)) { lines &+= 1 }
                }
                continue
            }
            if byte == lf || byte == cr {
                if count == room { return count == most ? .declined : .grow }
                out[count] = fieldStart &- start
                out[count &+ 1] = (quotedEnd < 0 ? q : quotedEnd) &- start
                count &+= 2
                if byte == cr && q + 1 == stop && !eof { return short }
                let next = byte == cr && q + 1 < stop && base[q + 1] == lf ? q + 2 : q + 1
                lines &+= 1
                if q - start > c.limits.maxRecordBytes { return .declined }
                // Only the record's own bytes of the last word count for the ASCII check.
                seen |= word & Specials.low(q &- window)
                return finish(raw, start: start, end: q, next: next, lines: lines, seen: seen, out, count, &written)
            }
            // Any other byte the word test flags (a control byte below CR) is part of the field.
        }
    }

    /// A record found: checks that its bytes are UTF-8 (at once when `seen` shows no byte above
    /// 0x7F, else field by field) and hands it over.
    @inline(__always)
    private static func finish(
        _ raw: UnsafeRawPointer, start: Int, end: Int, next: Int, lines: Int, seen: UInt64, _ out: UnsafeMutablePointer<Int>,
        _ count: Int, _ written: inout Int
    ) -> Found {
        if seen & 0x8080_8080_8080_8080 != 0 {
            let record = UnsafeBufferPointer(start: raw.assumingMemoryBound(to: UInt8.self) + start, count: end - start)
            if !fieldsAreUTF8(record, UnsafeBufferPointer(start: out, count: count)) { return .declined }
        }
        written = count
        return .record(next: next, lines: lines, length: end - start)
    }

    /// Whether each field is valid UTF-8, checked field by field as `CSVCheckingScanner` does, so
    /// that a byte sequence split by a separator is judged the same way.
    private static func fieldsAreUTF8(_ record: UnsafeBufferPointer<UInt8>, _ bounds: UnsafeBufferPointer<Int>) -> Bool {
        var index = 0
        while index < bounds.count {
            if !isUTF8(UnsafeBufferPointer(rebasing: record[bounds[index]..<bounds[index + 1]])) { return false }
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

/// Finds the bytes that may end or quote a field in eight bytes at once: the separator, the quote,
/// and every byte below 0x0E (among them LF, CR and tab), so three tests, not four; the few other
/// control bytes flagged are passed over by the scanner. Exact for every byte: no borrow or carry
/// crosses from one byte to the next.
struct Specials {
    let separator: UInt64, quote: UInt64
    static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    static let high: UInt64 = 0x8080_8080_8080_8080
    static let ones: UInt64 = 0x0101_0101_0101_0101
    /// Added to a byte's low seven bits, carries into its high bit when the byte is 0x0E or more.
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

    /// The high bit of each byte that is the separator, the quote or below 0x0E.
    @inline(__always)
    func flags(_ word: UInt64) -> UInt64 {
        let notBelow = ((word & Specials.low7) &+ Specials.belowCR) | word
        return ~(notBelow & Specials.nonZero(word ^ separator) & Specials.nonZero(word ^ quote)) & Specials.high
    }

    /// The 8 bytes from `at` (little-endian: byte k is bits 8k..<8k+8), those at or past `stop`
    /// read as 0 and not flagged, and their flags. `capacity` is how many bytes may be read from
    /// `raw`: up to it a whole word is loaded at once.
    @inline(__always)
    func load(_ raw: UnsafeRawPointer, at: Int, stop: Int, capacity: Int) -> (word: UInt64, flags: UInt64) {
        var word: UInt64
        if at &+ 8 <= capacity {
            word = raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)
        } else {
            word = 0
            var k = 0
            while at &+ k < capacity {
                word |= UInt64(raw.load(fromByteOffset: at &+ k, as: UInt8.self)) &<< UInt64(8 &* k)
                k &+= 1
            }
        }
        if at &+ 8 <= stop { return (word, flags(word)) }
        let kept = Specials.low(stop &- at)
        word &= kept
        return (word, flags(word) & kept)
    }
}
