import SoeTestSupport
import Testing

@testable import SoeEngine

/// Every record or error of `bytes`: with the word scanner first (`fast`), or with the
/// byte-at-a-time `CSVCheckingScanner` alone, the scanner that read every record before.
/// With `plain` false, the word scanner reads every record with its loop for any record
/// (`CSVScanner.anyFields`), not trying its loop for plain records first.
private func read(
    _ bytes: [UInt8], fast: Bool, plain: Bool = true, chunk: Int = 1 << 16, limits: CSVLimits = .standard, dialect: CSVDialect? = nil
) -> [Result<CSVRecord, CSVError>] {
    readCounting(bytes, fast: fast, plain: plain, chunk: chunk, limits: limits, dialect: dialect).items
}

/// `read`, and how many records the word scanner read itself.
private func readCounting(
    _ bytes: [UInt8], fast: Bool, plain: Bool = true, chunk: Int = 1 << 16, limits: CSVLimits = .standard, dialect: CSVDialect? = nil
) -> (items: [Result<CSVRecord, CSVError>], scannedFast: Int) {
    var reader = CSVReader(source: PieceSource(bytes: bytes, size: chunk), dialect: dialect, limits: limits)
    reader.fastScanning = fast
    reader.plainScanning = plain
    var all: [Result<CSVRecord, CSVError>] = []
    while let item = reader.next() { all.append(item) }
    return (all, reader.recordsScannedFast)
}

/// `CSVScanner` finds separators, quotes and line ends eight bytes at a time and hands anything it
/// does not read to the checking scanner; what a batch reads must not depend on which one read it,
/// on where a byte falls in a word, or on where the source's reads end.
@Suite("CSV word scanner: the same records and errors as the byte-at-a-time scanner")
struct CSVWordScannerTests {
    /// The word test's flags, byte by byte: the separator, the quote, every byte below 0x0E and every byte above 0x7F.
    static func flagged(_ byte: UInt8, separator: UInt8) -> Bool { byte == separator || byte == 0x22 || byte < 0x0E || byte >= 0x80 }

    @Test("the word test flags exactly the separator, the quote, the bytes below 0x0E and above 0x7F, in every lane")
    func wordFlags() {
        var random = SplitMix64(seed: 77)
        var wrong = 0
        for separator in [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09] {
            let pattern = Specials(separator: separator)
            for value in 0...255 {
                for lane in 0..<8 {
                    // The other lanes random, and also their worst neighbours (0x00, 0x7F, 0x80, 0xFF).
                    for fill: UInt8? in [nil, 0x00, 0x7F, 0x80, 0xFF, 0x0D, 0x0E] {
                        var lanes = (0..<8).map { _ in fill ?? UInt8(random.next(256)) }
                        lanes[lane] = UInt8(value)
                        let word = lanes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
                        let flags = pattern.flags(word)
                        for k in 0..<8 {
                            let bit = flags >> UInt64(8 * k + 7) & 1 == 1
                            if bit != Self.flagged(lanes[k], separator: separator) || flags & ~Specials.high != 0 { wrong += 1 }
                        }
                    }
                }
            }
        }
        #expect(wrong == 0)
    }

    @Test("flags of a buffer, whole words and a short last one, from any word on: as byte by byte")
    func fill() {
        var random = SplitMix64(seed: 31)
        var wrong = 0
        for _ in 0..<400 {
            let bytes = (0..<random.next(70)).map { _ in UInt8(random.next(256)) }
            let words = (bytes.count + 7) / 8
            let from = words == 0 ? 0 : random.next(words + 1)
            var flags = [UInt64](repeating: 0xDEAD, count: words + 1)
            bytes.withUnsafeBufferPointer { b in
                flags.withUnsafeMutableBufferPointer { Specials.fill(b, words: from..<words, separator: 0x3B, into: $0) }
            }
            for index in 0..<flags.count {
                guard index >= from && index < words else {
                    if flags[index] != 0xDEAD { wrong += 1 }
                    continue
                }
                for k in 0..<8 {
                    // Past the end, a byte reads as 0, which is flagged.
                    let byte = 8 * index + k < bytes.count ? bytes[8 * index + k] : 0
                    if (flags[index] >> UInt64(8 * k + 7) & 1 == 1) != Self.flagged(byte, separator: 0x3B) { wrong += 1 }
                }
            }
        }
        #expect(wrong == 0)
    }

    /// The bytes a hostile field is made of.
    static let hostile: [[UInt8]] = [
        [0x2C], [0x3B], [0x09], [0x22], [0x22, 0x22], [0x0A], [0x0D], [0x0D, 0x0A], [0x00], [0x01], [0x0B], [0x0C],
        [0x0E], [0x7F], [0xC3, 0xA6], [0xE2, 0x88, 0x92], [0xF0, 0x9F, 0x98, 0x80], [0xC3], [0xFF], [0x80],
    ]

    @Test("every special byte at every place modulo 16 of a record and of the buffer, in every dialect")
    func everyPlace() {
        var mismatches = 0
        for dialect in [CSVDialect.rfc4180, .excelDanish, .tab] {
            for lead in 0..<16 {
                for place in 0..<20 {
                    for piece in Self.hostile {
                        // A header, then `lead` bytes of padding so the record starts at every offset
                        // of a word, then a field with the piece `place` bytes in, plain or quoted.
                        let header = Array("a,b".utf8) + [0x0A]
                        let padding = [UInt8](repeating: 0x78, count: lead) + [dialect.separator]
                        let field = [UInt8](repeating: 0x79, count: place) + piece + [0x7A, 0x7A]
                        let quoted = [0x22] + field + [0x22]
                        for body in [field, quoted] {
                            for ending: [UInt8] in [[0x0A], [0x0D, 0x0A], [0x0D], []] {
                                let bytes = header + padding + body + ending + Array("1,2".utf8) + ending
                                let reference = read(bytes, fast: false, dialect: dialect)
                                for (chunk, plain) in [(1 << 16, true), (0, true), (1 << 16, false)]
                                where read(bytes, fast: true, plain: plain, chunk: chunk, dialect: dialect) != reference {
                                    mismatches += 1
                                    if mismatches <= 3 { Issue.record("input \(bytes), chunk \(chunk), dialect \(dialect)") }
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("generated hostile files: long fields, control bytes, CR alone, NUL, quotes, limits; every chunking agrees")
    func hostileFiles() {
        var random = SplitMix64(seed: 4_221)
        var mismatches = 0
        // The records the word scanner read itself: the test must reach it, not only its refusals.
        var readFast = 0
        for round in 0..<2_500 {
            var bytes: [UInt8] = round % 7 == 0 ? [0xEF, 0xBB, 0xBF] : []
            for _ in 0..<random.next(40) {
                if random.chance(1, in: 4) {
                    // A long plain run, of a length around a word's multiples.
                    let length = [7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 200][random.next(13)]
                    bytes += [UInt8](repeating: UInt8(0x61 + random.next(26)), count: length)
                } else if random.chance(1, in: 3) {
                    // A quoted field with a piece inside.
                    bytes +=
                        [0x22] + [UInt8](repeating: 0x71, count: random.next(12)) + Self.hostile[random.next(Self.hostile.count)]
                        + [0x22]
                } else {
                    bytes += Self.hostile[random.next(Self.hostile.count)]
                }
            }
            let limits =
                round % 5 == 0 ? CSVLimits(maxRecordBytes: 1 + random.next(70), maxFields: 1 + random.next(8)) : .standard
            let dialect: CSVDialect? = round % 4 == 0 ? nil : [CSVDialect.rfc4180, .excelDanish, .tab][random.next(3)]
            let reference = read(bytes, fast: false, limits: limits, dialect: dialect)
            let fast = readCounting(bytes, fast: true, limits: limits, dialect: dialect)
            readFast += fast.scannedFast
            for (chunk, plain) in [(1 << 16, true), (0, true), (3, true), (1 << 16, false), (3, false)]
            where read(bytes, fast: true, plain: plain, chunk: chunk, limits: limits, dialect: dialect) != reference {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record(
                        "input \(bytes), plain \(plain), chunk \(chunk), limits \(limits), dialect \(String(describing: dialect))")
                }
            }
        }
        #expect(mismatches == 0)
        #expect(readFast > 1_000)
    }

    @Test("well-formed files are read by the word scanner itself, not handed on: fields and line numbers as written")
    func wellFormed() throws {
        // Quoted separators and line breaks, CR alone, CRLF, empty and long fields, non-ASCII:
        // nothing here is declined, so these records are the word scanner's own.
        let text =
            "id;navn;x\r1;\"a;b\r\nc\";\u{1}\r\n2;\(String(repeating: "ø", count: 40));\"\"\n3;;\r;\"\n\";"
            + String(repeating: "z", count: 70)
        let bytes = Array(text.utf8)
        var reader = CSVReader(source: PieceSource(bytes: bytes, size: 1 << 16), dialect: .excelDanish)
        var fields: [[String]] = []
        var lines: [Int] = []
        while let item = reader.next() {
            let record = try item.get()
            fields.append(record.fields)
            lines.append(record.line)
        }
        #expect(
            fields == [
                ["id", "navn", "x"], ["1", "a;b\r\nc", "\u{1}"], ["2", String(repeating: "ø", count: 40), ""], ["3", "", ""],
                ["", "\n", String(repeating: "z", count: 70)],
            ])
        #expect(lines == [1, 2, 4, 5, 6])
        #expect(reader.recordsScannedFast == 5)
        #expect(read(bytes, fast: false, dialect: .excelDanish) == read(bytes, fast: true, dialect: .excelDanish))
    }

    @Test("a NUL byte, quoted or not, and a byte-order mark at a field's start are declined and worded; the next record is read")
    func nulAndMark() throws {
        let text = "id;navn\n1;a\u{0}b\n2;\"c\u{0}\"\n\u{FEFF}3;d\n4;\u{FEFF}e\n5;x\u{FEFF}\n"
        var reader = CSVReader(source: PieceSource(bytes: Array(text.utf8), size: 1 << 16), dialect: .excelDanish)
        var seen: [String] = []
        while let item = reader.next() {
            switch item {
            case .success(let record): seen.append(record.fields.joined(separator: "|"))
            case .failure(let error): seen.append("line \(error.line), column \(error.column): \(error.message)")
            }
        }
        #expect(
            seen == [
                "id|navn",
                "line 2, column 4: NUL byte (U+0000) in field 2: a CSV file holds none (a damaged file, or one that is not text?)",
                "line 3, column 5: NUL byte (U+0000) in field 2: a CSV file holds none (a damaged file, or one that is not text?)",
                "line 4, column 1: field 1 starts with a byte-order mark (U+FEFF), which belongs only at the start of a file (were two files joined into one?); delete it",
                "line 5, column 3: field 2 starts with a byte-order mark (U+FEFF), which belongs only at the start of a file (were two files joined into one?); delete it",
                // Inside a field, U+FEFF is a (zero-width) character of the text.
                "5|x\u{FEFF}",
            ])
        let bytes = Array(text.utf8)
        #expect(read(bytes, fast: false, dialect: .excelDanish) == read(bytes, fast: true, dialect: .excelDanish))
    }

    @Test(
        "rows of many short and empty fields, plain and not, around the bounds' size and the limits: the plain loop, the loop for any record and the checking scanner agree"
    )
    func manyShortFields() {
        var random = SplitMix64(seed: 8_117)
        var mismatches = 0
        var readFast = 0
        for round in 0..<1_500 {
            let dialect = [CSVDialect.rfc4180, .excelDanish, .tab][round % 3]
            var bytes: [UInt8] = round % 11 == 0 ? [0xEF, 0xBB, 0xBF] : []
            for _ in 0..<(1 + random.next(6)) {
                // Up to 70 fields: more than the 16 a record's bounds hold at first, and runs of
                // empty fields (separator after separator) long enough to fill whole words.
                let fields = 1 + random.next(70)
                for field in 0..<fields {
                    if field > 0 { bytes.append(dialect.separator) }
                    switch random.next(10) {
                    case 0..<5: break
                    case 5..<8: bytes += (0..<(1 + random.next(3))).map { _ in UInt8(0x61 + random.next(26)) }
                    case 8:
                        // A quoted field, now and then holding the separator or a line break.
                        bytes += [0x22] + [UInt8](repeating: 0x71, count: random.next(4))
                        if random.chance(1, in: 2) { bytes += random.pick([[dialect.separator], [0x0A], [0x0D, 0x0A], [0x22, 0x22]]) }
                        bytes += [0x22]
                    default: bytes += Self.hostile[random.next(Self.hostile.count)]
                    }
                }
                bytes += random.pick([[0x0A], [0x0D, 0x0A], [0x0D], []])
            }
            let limits =
                round % 4 == 0 ? CSVLimits(maxRecordBytes: 8 + random.next(120), maxFields: 1 + random.next(40)) : .standard
            let reference = read(bytes, fast: false, limits: limits, dialect: dialect)
            let fast = readCounting(bytes, fast: true, limits: limits, dialect: dialect)
            readFast += fast.scannedFast
            // The plain loop first (the default) and the loop for any record alone, each in
            // every chunking, against the checking scanner.
            for plain in [true, false] {
                for chunk in [1 << 16, 0, 5]
                where read(bytes, fast: true, plain: plain, chunk: chunk, limits: limits, dialect: dialect) != reference {
                    mismatches += 1
                    if mismatches <= 3 {
                        Issue.record("input \(bytes), plain \(plain), chunk \(chunk), limits \(limits), dialect \(dialect)")
                    }
                }
            }
        }
        #expect(mismatches == 0)
        #expect(readFast > 2_000)
    }

    @Test("the encoding check's line count, eight bytes at a time: the CSV reader's lines, as byte by byte, in any pieces")
    func lineBreaks() {
        var random = SplitMix64(seed: 909)
        var wrong = 0
        var crossings = 0
        for round in 0..<3_000 {
            let length = random.next(600)
            // Dense line breaks (all of them, in some rounds): line feeds, carriage returns alone
            // and both in a row, among other bytes.
            let density = [0, 1, 4, 100][round % 4]
            let breaks: [[UInt8]] = [[0x0A], [0x0D], [0x0D, 0x0A], [0x0A, 0x0D], [0x0D, 0x0D]]
            var bytes: [UInt8] = []
            while bytes.count < length {
                if density == 100 || (density > 0 && random.chance(1, in: density)) {
                    bytes += breaks[random.next(breaks.count)]
                } else {
                    bytes.append(UInt8(random.next(0x100)))
                }
            }
            // The reference: a line feed, or a carriage return not followed by one (`CSVReader`).
            var expected = 0
            for index in bytes.indices {
                let byte = bytes[index]
                if byte == 0x0A || (byte == 0x0D && (index + 1 == bytes.count || bytes[index + 1] != 0x0A)) { expected += 1 }
            }
            // Counted whole, and in pieces cut anywhere (a CR at one piece's end, its LF at the next's start).
            var afterCR = false
            let whole = bytes.withUnsafeBufferPointer { LineBreaks.count($0, afterCR: &afterCR) }
            var pieces = 0
            afterCR = false
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 1 + random.next(40))
                if bytes[end - 1] == 0x0D && end < bytes.count && bytes[end] == 0x0A { crossings += 1 }
                pieces += bytes.withUnsafeBufferPointer {
                    LineBreaks.count(UnsafeBufferPointer(rebasing: $0[start..<end]), afterCR: &afterCR)
                }
                start = end
            }
            if whole != expected || pieces != expected { wrong += 1 }
        }
        #expect(wrong == 0)
        #expect(crossings > 100)
    }
}

extension CSVWordScannerTests {
    /// The plain loop counts a record's places from its start (session 13); a CR that is the
    /// buffer's last byte is still the end of a record only at the end of input, whatever the
    /// record's place in the buffer: the source's reads end at every byte of files of CRLF (and
    /// CR) records of every length after others, so that a record not at the buffer's start ends
    /// at its last byte.
    @Test("a CR as the buffer's last byte, after other records in it: read as the byte-at-a-time scanner reads it")
    func crAtTheBuffersEnd() {
        var mismatches = 0
        var scannedFast = 0
        for ending: [UInt8] in [[0x0D, 0x0A], [0x0D]] {
            for width in 1...6 {
                var bytes = Array("a,b".utf8) + ending
                for row in 0..<12 { bytes += Array("\(String(repeating: "x", count: width + row % 3)),\(row)".utf8) + ending }
                let reference = read(bytes, fast: false)
                for chunk in 1...48 {
                    let (items, fast) = readCounting(bytes, fast: true, chunk: chunk)
                    scannedFast += fast
                    if items != reference {
                        mismatches += 1
                        if mismatches <= 3 { Issue.record("input \(bytes), chunk \(chunk)") }
                    }
                }
            }
        }
        #expect(mismatches == 0)
        #expect(scannedFast > 1000, "\(scannedFast) records read by the word scanner")
    }
}
