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
        guard let base = p.baseAddress else { return .declined }
        let raw = UnsafeRawPointer(base)
        let separator = c.separator
        // As in `CSVCheckingScanner`: bytes past the limit are never looked at.
        let stop = Swift.min(c.end, c.start + c.limits.maxRecordBytes + 2)
        let limited = stop < c.end
        let eof = c.atEndOfInput && !limited
        // Running out of buffer: wait for more, unless the record is already too long.
        let short: Found = limited ? .declined : .needMore
        let most = 2 * c.limits.maxFields
        let pattern = Specials(separator: separator)
        var count = 0
        var lines = 0
        var i = c.start
        // The special bytes (separator, quote, CR, LF) among the 8 bytes from `window`, one bit
        // each; a bit is cleared once its byte has been dealt with.
        var window = i
        var pending = pattern.mask(raw, at: window, stop: stop)
        while true {
            // The next special byte at or after `i`, or `stop`.
            var q = stop
            while true {
                if pending != 0 {
                    q = window &+ pending.trailingZeroBitCount &>> 3
                    pending &= pending &- 1
                    break
                }
                window &+= 8
                if window >= stop { break }
                pending = pattern.mask(raw, at: window, stop: stop)
            }
            var fieldStart = i
            var fieldEnd = q
            if q < stop && p[q] == quote {
                // A quote inside an unquoted field is an error the checking scanner words.
                guard q == i else { return .declined }
                // A quoted field: read byte by byte to its closing quote, counting line breaks.
                var j = q + 1
                while true {
                    if j == stop { return eof ? .declined : short }
                    let byte = p[j]
                    if byte == quote {
                        if j + 1 < stop && p[j + 1] == quote { return .declined }
                        break
                    }
                    if byte == lf || (byte == cr && !(j + 1 < stop && p[j + 1] == lf)) { lines += 1 }
                    j += 1
                }
                (fieldStart, fieldEnd) = (q + 1, j)
                i = j + 1
                (window, pending) = (i, pattern.mask(raw, at: i, stop: stop))
                q = i
                if i < stop {
                    let byte = p[i]
                    guard byte == separator || byte == lf || byte == cr else { return .declined }
                    pending &= pending &- 1
                }
            }
            i = q
            if i == stop && !eof { return short }
            if count == most { return .declined }
            if count == b.count { return .grow }
            b[count] = fieldStart &- c.start
            b[count &+ 1] = fieldEnd &- c.start
            count &+= 2
            var next = i
            if i < stop {
                let byte = p[i]
                if byte == separator {
                    i &+= 1
                    continue
                }
                if byte == cr && i + 1 == stop && !eof { return short }
                next = byte == cr && i + 1 < stop && p[i + 1] == lf ? i + 2 : i + 1
                lines += 1
            }
            if i - c.start > c.limits.maxRecordBytes { return .declined }
            let record = UnsafeBufferPointer(rebasing: p[c.start..<i])
            if !isASCII(record, raw, from: c.start) && !fieldsAreUTF8(record, UnsafeBufferPointer(rebasing: b[..<count])) {
                return .declined
            }
            written = count
            return .record(next: next, lines: lines, length: i - c.start)
        }
    }

    /// Whether no byte of the record is 0x80 or above, eight bytes at a time.
    @inline(__always)
    private static func isASCII(_ record: UnsafeBufferPointer<UInt8>, _ raw: UnsafeRawPointer, from start: Int) -> Bool {
        var k = 0
        var seen: UInt64 = 0
        while k + 8 <= record.count {
            seen |= raw.loadUnaligned(fromByteOffset: start + k, as: UInt64.self)
            k += 8
        }
        while k < record.count {
            seen |= UInt64(record[k])
            k += 1
        }
        return seen & 0x8080_8080_8080_8080 == 0
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

/// Finds the bytes that end or quote a field (separator, quote, CR, LF) in eight bytes at once.
struct Specials {
    let separator: UInt64, quote: UInt64, lf: UInt64, cr: UInt64
    static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    static let ones: UInt64 = 0x0101_0101_0101_0101

    init(separator: UInt8) {
        self.separator = UInt64(separator) &* Specials.ones
        quote = UInt64(CSVScanner.quote) &* Specials.ones
        lf = UInt64(CSVScanner.lf) &* Specials.ones
        cr = UInt64(CSVScanner.cr) &* Specials.ones
    }

    /// The high bit of each byte that is not zero; exact for every byte (no borrow between bytes).
    @inline(__always)
    static func nonZero(_ x: UInt64) -> UInt64 { ((x & low7) &+ low7) | x }

    /// One bit (the high bit of its byte's place) for each special byte among the 8 bytes from
    /// `at`, counting only bytes before `stop`. Memory is little-endian, so byte k is bits 8k..<8k+8.
    @inline(__always)
    func mask(_ raw: UnsafeRawPointer, at: Int, stop: Int) -> UInt64 {
        if at + 8 <= stop {
            let word = raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            let all =
                Specials.nonZero(word ^ separator) & Specials.nonZero(word ^ quote) & Specials.nonZero(word ^ lf)
                & Specials.nonZero(word ^ cr)
            return ~all & ~Specials.low7
        }
        var bits: UInt64 = 0
        var k = 0
        while at + k < stop {
            let byte = raw.load(fromByteOffset: at + k, as: UInt8.self)
            if UInt64(byte) &* Specials.ones == separator || byte == CSVScanner.quote || byte == CSVScanner.lf
                || byte == CSVScanner.cr
            {
                bits |= 0x80 << UInt64(8 * k)
            }
            k += 1
        }
        return bits
    }
}
