import Testing

@testable import SoeEngine

/// A chunk's records kept in one arena (`CSVRecordArena`) and loaded back one at a time into one
/// reused record (`CSVRecord.load`) must be the records the reader gave, field for field, with
/// their lines and numbers, however the chunks are cut.
@Suite("records of a chunk in one arena: the reader's records")
struct CSVRecordArenaTests {
    /// A reproducible generator (SplitMix64), so that a failure can be run again.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// Hostile CSV: quoted fields with doubled quotes, separators and line breaks (LF and CRLF),
    /// empty fields and lines, fields of spaces, non-ASCII text, records of different lengths, a
    /// long field, and with `byteOrderMark` a UTF-8 byte-order mark first.
    static func hostile(seed: UInt64, records: Int, byteOrderMark: Bool) -> [UInt8] {
        var random = Generator(state: seed)
        let pieces = ["a", "Firma", "æøå", "€", " ", "1.234,50", "", "x y", "\u{1F600}", "0"]
        var text = byteOrderMark ? "\u{FEFF}" : ""
        for _ in 0..<records {
            let breakAtEnd = random.below(3) == 0 ? "\r\n" : "\n"
            if random.below(15) == 0 {
                text += breakAtEnd
                continue
            }
            let fields = 1 + random.below(18)
            var line: [String] = []
            for _ in 0..<fields {
                var field = (0..<random.below(4)).map { _ in pieces[random.below(pieces.count)] }.joined()
                if random.below(40) == 0 { field = String(repeating: "lang", count: 300) }
                switch random.below(6) {
                case 0:
                    let inner = ["\"\"", ",", "\n", "\r\n", ";"][random.below(5)]
                    field = "\"" + field + inner + field + "\""
                case 1: field = "\"" + field + "\""
                default: break
                }
                line.append(field)
            }
            text += line.joined(separator: ",") + breakAtEnd
        }
        return Array(text.utf8)
    }

    /// A record with storage of its own, equal to `record`.
    static func copy(_ record: CSVRecord) -> CSVRecord {
        CSVRecord(fields: record.fields, line: record.line, number: record.number)
    }

    /// The fields read as `CSVRowBinder` reads them: straight through `bytes` and `bounds`.
    static func rawFields(_ record: CSVRecord) -> [[UInt8]] {
        (0..<record.count).map { Array(record.bytes[record.bounds[2 * $0]..<record.bounds[2 * $0 + 1]]) }
    }

    static func expectEqual(_ loaded: CSVRecord, _ expected: CSVRecord, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(loaded == expected, "record \(expected.number)", sourceLocation: sourceLocation)
        #expect(loaded.count == expected.count, sourceLocation: sourceLocation)
        #expect(rawFields(loaded) == rawFields(expected), "record \(expected.number)", sourceLocation: sourceLocation)
    }

    @Test("every record of generated hostile CSV, stored in one arena, loads back as the reader gave it", arguments: [1, 2, 3, 4])
    func wholeFile(seed: UInt64) {
        let bytes = CSVRecordArenaTests.hostile(seed: seed, records: 400, byteOrderMark: seed % 2 == 0)
        var reader = CSVReader(source: ArraySource(bytes), dialect: .rfc4180)
        var arena = CSVRecordArena()
        var kept: [(first: Int, record: CSVRecord)] = []
        while let item = reader.next() {
            guard case .success(let record) = item else { continue }
            kept.append((arena.append(record), CSVRecordArenaTests.copy(record)))
        }
        #expect(kept.count > 300)
        var loaded = CSVRecord(fields: [], line: 0, number: 0)
        // In order, then backwards, so that the reused record grows and shrinks.
        for (first, record) in kept + kept.reversed() {
            loaded.load(arena, first: first, count: record.count, line: record.line, number: record.number)
            CSVRecordArenaTests.expectEqual(loaded, record)
        }
    }

    @Test("chunks read from records' starts with limits inside quoted fields, one reused arena: the whole file's records")
    func chunks() throws {
        for seed: UInt64 in 10..<16 {
            let bytes = CSVRecordArenaTests.hostile(seed: seed, records: 300, byteOrderMark: false)
            var whole = CSVReader(source: ArraySource(bytes), dialect: .rfc4180)
            var expected: [CSVRecord?] = []
            while let item = whole.next() {
                switch item {
                case .success(let record): expected.append(CSVRecordArenaTests.copy(record))
                case .failure: expected.append(nil)
                }
            }
            var random = Generator(state: seed)
            var arena = CSVRecordArena()
            var (start, lines, records) = (0, 0, 0)
            var seen: [CSVRecord?] = []
            // Records loaded from earlier chunks, which must not change when the arena is reused.
            var earlier: [CSVRecord] = []
            while start < bytes.count {
                let limit = start + 1 + random.below(200)
                var reader = CSVReader(continuing: ArraySource(Array(bytes[start...])), dialect: .rfc4180)
                arena.removeAll()
                var stored: [(first: Int, count: Int, line: Int, number: Int)?] = []
                while start + reader.offset < limit, let item = reader.next() {
                    switch item {
                    case .success(let record):
                        stored.append((arena.append(record), record.count, record.line, record.number))
                    case .failure: stored.append(nil)
                    }
                    reader.settle()
                }
                var loaded = CSVRecord(fields: [], line: 0, number: 0)
                for item in stored {
                    guard let item else {
                        seen.append(nil)
                        continue
                    }
                    loaded.load(arena, first: item.first, count: item.count, line: item.line + lines, number: item.number + records)
                    seen.append(loaded)
                }
                if let last = seen.last, let last { earlier.append(last) }
                (start, lines, records) = (start + reader.offset, lines + reader.nextLine - 1, records + reader.recordsRead)
            }
            try #require(seen.count == expected.count, "seed \(seed): \(seen.count) records against \(expected.count)")
            for (found, wanted) in zip(seen, expected) {
                #expect((found == nil) == (wanted == nil))
                if let found, let wanted { CSVRecordArenaTests.expectEqual(found, wanted) }
            }
            #expect(earlier.count > 10)
            for record in earlier { CSVRecordArenaTests.expectEqual(record, expected[record.number - 1]!) }
        }
    }
}
