import SoeLanguage

// The byte writer of `soe-trace-stream/3` rows (format in TraceStream.swift), and the exact text
// of numbers, days and values as `soe-trace/1` writes them.
//
// A row is a few hundred small pieces: keys, digits, `true`/`false`. Appending each piece to the
// caller's `[UInt8]` costs a uniqueness check and a capacity check per append, and a generic
// `append(contentsOf:)` for each literal, which made up much of the time to write a row. So a row
// is written into a buffer on the stack with plain stores, and copied into the caller's array
// with one `append` whenever the buffer is full and at the end. Every piece of bounded size asks
// for `room` first; a string of any length is copied whole when it needs no escape and fits, and
// otherwise goes through `JSONOutput.appendQuoted`, the one definition of JSON escaping.

/// Writes bytes into a stack buffer, flushing into `bytes` (the caller's array, moved in for the
/// duration, not copied).
struct ByteWriter {
    var bytes: [UInt8]
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    var used = 0
    /// The last few fractions reduced, as (numerator, denominator, gcd): a share such as a value
    /// of `market_sales / total` is shown again as the node under the value's `if`, and the gcd
    /// is the dear part of writing it.
    var reducedFractions:
        (
            (UInt64, UInt64, UInt64), (UInt64, UInt64, UInt64), (UInt64, UInt64, UInt64),
            (UInt64, UInt64, UInt64)
        ) = ((0, 0, 1), (0, 0, 1), (0, 0, 1), (0, 0, 1))
    var nextFraction = 0

    /// The room that a number, a day or an index needs at most: a fraction of two 64-bit
    /// magnitudes with sign and quotes is 43 bytes; a decimal on the 64-bit path at most 44.
    static let pieceRoom = 64

    /// Runs `body` with a writer that appends to `bytes`.
    @inline(__always)
    static func write(into bytes: inout [UInt8], _ body: (inout ByteWriter) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer in
            var writer = ByteWriter(bytes: [], base: buffer.baseAddress!, capacity: buffer.count)
            swap(&writer.bytes, &bytes)
            body(&writer)
            writer.flush()
            swap(&writer.bytes, &bytes)
        }
    }

    /// Makes sure that `count` more bytes fit in the buffer (`count` at most its capacity).
    @inline(__always)
    mutating func room(_ count: Int) {
        if used &+ count > capacity { flush() }
    }

    mutating func flush() {
        guard used > 0 else { return }
        bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: used))
        used = 0
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        room(1)
        base[used] = value
        used &+= 1
    }

    /// A literal piece of the format, such as `],"values":[`.
    @inline(__always)
    mutating func raw(_ text: StaticString) {
        let count = text.utf8CodeUnitCount
        room(count)
        (base + used).initialize(from: text.utf8Start, count: count)
        used &+= count
    }

    /// Bytes made once, such as the escaped name of a column.
    @inline(__always)
    mutating func raw(_ piece: UnsafeBufferPointer<UInt8>) {
        let count = piece.count
        guard count <= capacity else {
            flush()
            bytes.append(contentsOf: piece)
            return
        }
        room(count)
        guard let start = piece.baseAddress else { return }
        let target = base + used
        if count >= 8, count <= 16 {
            // The usual piece (`,"grants",`): two overlapping 8-byte moves instead of a call to memmove.
            let raw = UnsafeRawPointer(start)
            let into = UnsafeMutableRawPointer(target)
            let head = raw.loadUnaligned(as: UInt64.self)
            let tail = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            into.storeBytes(of: head, as: UInt64.self)
            into.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        } else if count < 8 {
            for offset in 0..<count { target[offset] = start[offset] }
        } else {
            target.initialize(from: start, count: count)
        }
        used &+= count
    }

    mutating func raw(_ piece: [UInt8]) {
        piece.withUnsafeBufferPointer { raw($0) }
    }

    /// A JSON string, as `JSONOutput.appendQuoted` writes it.
    mutating func quoted(_ text: String) {
        var text = text
        let done: Bool? = text.withUTF8 { utf8 in
            guard utf8.count &+ 2 <= capacity else { return false }
            for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            room(utf8.count &+ 2)
            base[used] = UInt8(ascii: "\"")
            if let start = utf8.baseAddress { (base + used + 1).initialize(from: start, count: utf8.count) }
            base[used &+ 1 &+ utf8.count] = UInt8(ascii: "\"")
            used &+= utf8.count &+ 2
            return true
        }
        if done == true { return }
        flush()
        JSONOutput.appendQuoted(text, to: &bytes)
    }

    mutating func optional(_ text: String?) {
        if let text { quoted(text) } else { raw("null") }
    }

    mutating func integer(_ value: Int64) {
        room(ByteWriter.pieceRoom)
        if value < 0 {
            base[used] = UInt8(ascii: "-")
            used &+= 1
        }
        digits(value.magnitude)
    }

    /// The decimal digits of a number (room already made).
    @inline(__always)
    mutating func digits(_ value: UInt64) {
        fixedDigits(value, count: ByteWriter.digitCount(value))
    }

    /// How many decimal digits `value` has (1 for 0).
    @inline(__always)
    static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var limit: UInt64 = 10
        while value >= limit {
            count &+= 1
            if count == 20 { break }
            limit &*= 10
        }
        return count
    }

    /// Exactly `count` digits of `value`, with leading zeros (room already made); two digits at a
    /// time from a table, as a division is the expensive part.
    @inline(__always)
    mutating func fixedDigits(_ value: UInt64, count: Int) {
        // "00" "01" … "99": a literal, so no lazily made global to check on every call.
        let pairs: StaticString = """
            00010203040506070809101112131415161718192021222324252627282930313233343536373839\
            40414243444546474849505152535455565758596061626364656667686970717273747576777879\
            8081828384858687888990919293949596979899
            """
        let table = pairs.utf8Start
        var rest = value
        var position = used &+ count
        while position &- used >= 2 {
            let pair = Int(truncatingIfNeeded: rest % 100) &* 2
            rest /= 100
            position &-= 2
            base[position] = table[pair]
            base[position &+ 1] = table[pair &+ 1]
        }
        if position > used { base[used] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10) }
        used &+= count
    }

    /// `"YYYY-MM-DD"`, as `Day.description` writes it for the years a fiscal year can have.
    mutating func day(_ day: Day) {
        guard (1000...9999).contains(day.year) else { return quoted(day.description) }
        room(ByteWriter.pieceRoom)
        base[used] = UInt8(ascii: "\"")
        used &+= 1
        fixedDigits(UInt64(day.year), count: 4)
        base[used] = UInt8(ascii: "-")
        used &+= 1
        fixedDigits(UInt64(day.month), count: 2)
        base[used] = UInt8(ascii: "-")
        used &+= 1
        fixedDigits(UInt64(day.day), count: 2)
        base[used] = UInt8(ascii: "\"")
        used &+= 1
    }

    /// The members of an input set as a JSON array of indices.
    mutating func indices(_ set: InputSet) {
        byte(UInt8(ascii: "["))
        var first = true
        for offset in 0..<4 {
            // The words one by one, not as an array literal: that would allocate for every unknown.
            let word = offset == 0 ? set.words.0 : offset == 1 ? set.words.1 : offset == 2 ? set.words.2 : set.words.3
            var rest = word
            while rest != 0 {
                room(ByteWriter.pieceRoom)
                if !first {
                    base[used] = UInt8(ascii: ",")
                    used &+= 1
                }
                digits(UInt64(offset * 64 + rest.trailingZeroBitCount))
                rest &= rest - 1
                first = false
            }
        }
        byte(UInt8(ascii: "]"))
    }

    /// One VALUE of the format: exact text as `soe-trace/1` writes it, or the unknown marker.
    mutating func value(_ evaluated: Evaluated, money: Bool) {
        switch evaluated {
        case .known(.bool(let flag)): flag ? raw("true") : raw("false")
        case .known(.number(let number)): exact(number, money: money)
        case .known(.date(let day)): self.day(day)
        case .known(.text(let text)): quoted(text)
        case .known(.choice(let index)): integer(Int64(index))
        case .unknown(let unknown):
            raw("{\"missing\":")
            indices(unknown.missing)
            if let problem = unknown.problem {
                raw(",\"problem\":")
                quoted(problem.kind.rawValue)
            }
            byte(UInt8(ascii: "}"))
        }
    }

    /// A register's value when the program settled it, as `value(_:money:)` writes the same known
    /// value; false (nothing written) for `.none`.
    @inline(__always)
    mutating func settled(_ slot: Slot, money: Bool) -> Bool {
        switch slot.kind {
        case .none: return false
        case .bool: slot.bits != 0 ? raw("true") : raw("false")
        case .number: exact(slot.number, money: money)
        case .choice: integer(Int64(slot.bits))
        }
        return true
    }
}
