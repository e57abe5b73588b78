// DEFLATE decompression (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks. Every
// malformed stream is an error that says what is wrong, and the output is bounded while it grows
// (`UnpackLimits`): the size and ratio caps are checked every 64 KiB of output, so a crafted
// stream of a few kilobytes that would inflate to gigabytes is refused after about a megabyte.
//
// Decoding is by table lookup: each Huffman tree becomes a table indexed by its longest code's
// worth of (bit-reversed) input bits, so one symbol costs one lookup, not a walk bit by bit.

/// Inflates raw DEFLATE data.
public enum Inflate {
    /// How often, in output bytes, the caps are checked.
    static let checkInterval = 1 << 16

    /// The inflated bytes of `input`, at most `limit` of them, and no more than `ratio` times the
    /// input bytes consumed once past `ratioFloor`; `expected` (the size the archive declares) only
    /// sizes the first buffer.
    public static func inflate(
        _ input: ArraySlice<UInt8>, expected: Int = 0, limits: UnpackLimits = UnpackLimits(), limit: Int? = nil
    ) throws(SheetError) -> [UInt8] {
        let cap = limit ?? limits.entryBytes
        var state = InflateState(input: input, cap: cap, ratio: limits.ratio, ratioFloor: limits.ratioFloor)
        state.output.reserveCapacity(min(max(expected, 1024), cap, 64 << 20))
        try state.run()
        return state.output
    }
}

/// A Huffman code as a lookup table: `entries[bits & mask]` is `symbol << 4 | length`, 0 for
/// bits that start no code (only in a tree with a single code).
struct HuffmanTable {
    var entries: [UInt16]
    var bits: Int

    init(entries: [UInt16], bits: Int) {
        (self.entries, self.bits) = (entries, bits)
    }

    /// Builds the table of canonical codes with the given lengths (0 = symbol unused). An
    /// over-subscribed set of lengths is an error; so is an incomplete one, except a single code
    /// (RFC 1951 allows one distance code), whose other half decodes to an error.
    init(lengths: ArraySlice<UInt8>, what: String) throws(SheetError) {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0
        var left = 1
        for length in 1...15 {
            left = left * 2 - counts[length]
            if left < 0 {
                throw SheetError(
                    "the \(what) code lengths are over-subscribed (more codes than bits allow)",
                    da: "\(what)-kodelængderne er overtegnede (flere koder, end bittene tillader)")
            }
        }
        let used = counts.reduce(0, +)
        if left > 0 && !(used == 1 && counts[1] == 1) && used > 0 {
            throw SheetError(
                "the \(what) code lengths are incomplete (some bit patterns start no code)",
                da: "\(what)-kodelængderne er ufuldstændige (nogle bitmønstre indleder ingen kode)")
        }
        let maxLength = (1...15).last { counts[$0] > 0 } ?? 1
        bits = maxLength
        entries = [UInt16](repeating: 0, count: 1 << maxLength)
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + counts[length - 1]) << 1
            next[length] = code
        }
        for (offset, length) in lengths.enumerated() where length > 0 {
            let length = Int(length)
            let canonical = next[length]
            next[length] += 1
            var reversed = 0
            for bit in 0..<length where canonical & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            let entry = UInt16(offset << 4 | length)
            var index = reversed
            while index < entries.count {
                entries[index] = entry
                index += 1 << length
            }
        }
    }
}

/// The decoder's state: the input bits, the output so far and the caps.
struct InflateState {
    let input: ArraySlice<UInt8>
    var position: Int
    var bitBuffer: UInt64 = 0
    var bitCount = 0
    var output: [UInt8] = []
    let cap: Int
    let ratio: Int
    let ratioFloor: Int
    var nextCheck = Inflate.checkInterval

    init(input: ArraySlice<UInt8>, cap: Int, ratio: Int, ratioFloor: Int) {
        self.input = input
        position = input.startIndex
        (self.cap, self.ratio, self.ratioFloor) = (cap, ratio, ratioFloor)
    }

    static let truncated = SheetError(
        "the compressed data ends in the middle (the file is truncated or damaged)",
        da: "de komprimerede data slutter midt i (filen er afkortet eller beskadiget)")

    /// Fills the bit buffer with whole bytes while there is room and input.
    @inline(__always) mutating func refill() {
        while bitCount <= 56 && position < input.endIndex {
            bitBuffer |= UInt64(input[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
    }

    @inline(__always) mutating func bits(_ count: Int) throws(SheetError) -> Int {
        if bitCount < count {
            refill()
            if bitCount < count { throw Self.truncated }
        }
        let value = Int(bitBuffer & ((1 << UInt64(count)) - 1))
        bitBuffer >>= UInt64(count)
        bitCount -= count
        return value
    }

    @inline(__always) mutating func decode(_ table: HuffmanTable) throws(SheetError) -> Int {
        if bitCount < table.bits { refill() }
        let entry = table.entries[Int(bitBuffer & ((1 << UInt64(table.bits)) - 1))]
        let length = Int(entry & 15)
        if length == 0 {
            throw SheetError(
                "the compressed data holds a bit pattern that is no code", da: "de komprimerede data har et bitmønster, der ikke er en kode"
            )
        }
        if length > bitCount { throw Self.truncated }
        bitBuffer >>= UInt64(length)
        bitCount -= length
        return Int(entry >> 4)
    }

    /// The caps, checked every `Inflate.checkInterval` bytes of output and at the end.
    mutating func checkCaps() throws(SheetError) {
        if output.count > cap {
            throw SheetError(
                "the entry inflates to more than \(cap >> 20) MiB, the limit (a zip bomb, or a far too large sheet)",
                da: "posten udpakkes til mere end \(cap >> 20) MiB, grænsen (en zip-bombe eller et alt for stort ark)")
        }
        let consumed = max(1, position - input.startIndex)
        if output.count > ratioFloor && output.count / consumed > ratio {
            throw SheetError(
                "the entry inflates more than \(ratio) times its compressed size (a zip bomb?); refused",
                da: "posten udpakkes til mere end \(ratio) gange sin komprimerede størrelse (en zip-bombe?); afvist")
        }
        nextCheck = output.count + Inflate.checkInterval
    }

    mutating func run() throws(SheetError) {
        var last = false
        while !last {
            last = try bits(1) == 1
            switch try bits(2) {
            case 0: try storedBlock()
            case 1: try huffmanBlock(Self.fixedLiterals, Self.fixedDistances)
            case 2:
                let (literals, distances) = try dynamicTables()
                try huffmanBlock(literals, distances)
            default:
                throw SheetError(
                    "the compressed data has a block of the reserved type 3",
                    da: "de komprimerede data har en blok af den reserverede type 3")
            }
            if output.count >= nextCheck { try checkCaps() }
        }
        try checkCaps()
    }

    mutating func storedBlock() throws(SheetError) {
        // To the byte boundary, then LEN and its complement NLEN.
        _ = try bits(bitCount & 7)
        let length = try bits(16)
        let complement = try bits(16)
        guard length == ~complement & 0xFFFF else {
            throw SheetError(
                "a stored block's length does not match its check", da: "en ukomprimeret bloks længde passer ikke med dens kontrol")
        }
        var remaining = length
        while remaining > 0 && bitCount >= 8 {
            output.append(UInt8(try bits(8)))
            remaining -= 1
        }
        guard input.endIndex - position >= remaining else { throw Self.truncated }
        output.append(contentsOf: input[position..<position + remaining])
        position += remaining
        if output.count >= nextCheck { try checkCaps() }
    }

    static let lengthBase: [Int] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
        16385, 24577,
    ]
    static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    // The fixed codes of RFC 1951 3.2.6; the lengths are valid, so building them cannot fail.
    static let fixedLiterals: HuffmanTable = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for index in 144..<256 { lengths[index] = 9 }
        for index in 256..<280 { lengths[index] = 7 }
        return (try? HuffmanTable(lengths: lengths[...], what: "fixed")) ?? HuffmanTable.empty
    }()
    // 32 codes of 5 bits, of which 30 and 31 stand for no distance (refused when met).
    static let fixedDistances: HuffmanTable =
        (try? HuffmanTable(lengths: [UInt8](repeating: 5, count: 32)[...], what: "fixed")) ?? HuffmanTable.empty

    mutating func huffmanBlock(_ literals: HuffmanTable, _ distances: HuffmanTable) throws(SheetError) {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let index = symbol - 257
            guard index < 29 else {
                throw SheetError(
                    "the compressed data uses the invalid length code \(symbol)",
                    da: "de komprimerede data bruger den ugyldige længdekode \(symbol)")
            }
            let length = Self.lengthBase[index] + (try bits(Self.lengthExtra[index]))
            let distanceCode = try decode(distances)
            guard distanceCode < 30 else {
                throw SheetError(
                    "the compressed data uses the invalid distance code \(distanceCode)",
                    da: "de komprimerede data bruger den ugyldige afstandskode \(distanceCode)")
            }
            let distance = Self.distanceBase[distanceCode] + (try bits(Self.distanceExtra[distanceCode]))
            guard distance <= output.count else {
                throw SheetError(
                    "the compressed data refers \(distance) bytes back, before its start",
                    da: "de komprimerede data henviser \(distance) byte tilbage, før deres begyndelse")
            }
            var from = output.count - distance
            for _ in 0..<length {
                output.append(output[from])
                from += 1
            }
            if output.count >= nextCheck { try checkCaps() }
        }
    }

    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    mutating func dynamicTables() throws(SheetError) -> (HuffmanTable, HuffmanTable) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw SheetError(
                "a block declares \(literalCount) length codes and \(distanceCount) distance codes, more than DEFLATE has",
                da: "en blok angiver \(literalCount) længdekoder og \(distanceCount) afstandskoder, flere end DEFLATE har")
        }
        var codeLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengths[Self.codeLengthOrder[index]] = UInt8(try bits(3)) }
        let lengthCode = try HuffmanTable(lengths: codeLengths[...], what: "code-length")
        var lengths = [UInt8](repeating: 0, count: literalCount + distanceCount)
        var index = 0
        while index < lengths.count {
            let symbol = try decode(lengthCode)
            var repeatCount = 1
            var value: UInt8
            switch symbol {
            case 0...15: value = UInt8(symbol)
            case 16:
                guard index > 0 else {
                    throw SheetError(
                        "a code length repeats the previous one, but there is none",
                        da: "en kodelængde gentager den forrige, men der er ingen")
                }
                value = lengths[index - 1]
                repeatCount = 3 + (try bits(2))
            case 17:
                value = 0
                repeatCount = 3 + (try bits(3))
            default:
                value = 0
                repeatCount = 11 + (try bits(7))
            }
            guard index + repeatCount <= lengths.count else {
                throw SheetError("the code lengths run past the codes declared", da: "kodelængderne løber ud over de angivne koder")
            }
            for _ in 0..<repeatCount {
                lengths[index] = value
                index += 1
            }
        }
        guard lengths[256] > 0 else {
            throw SheetError("a block has no end-of-block code", da: "en blok har ingen slut-på-blok-kode")
        }
        return (
            try HuffmanTable(lengths: lengths[0..<literalCount], what: "literal/length"),
            try HuffmanTable(lengths: lengths[literalCount...], what: "distance")
        )
    }
}

extension HuffmanTable {
    /// A table that decodes nothing: never used, the fallback of a fixed table that cannot fail.
    static let empty = HuffmanTable(entries: [0, 0], bits: 1)
}
