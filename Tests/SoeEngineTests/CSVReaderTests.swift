import Foundation
import SoeEngine
import SoeLanguage
import SoeLint
import SoeTestSupport
import Testing

/// Hands out 1 to 5 bytes at a time, chosen by a seeded generator, the way a slow pipe does, to shake
/// out chunk-boundary bugs reproducibly.
private struct CSVTrickleSource: ByteSource {
    var bytes: [UInt8]
    var random: SplitMix64
    var offset = 0

    init(bytes: [UInt8], seed: UInt64 = 1) {
        self.bytes = bytes
        random = SplitMix64(seed: seed)
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = Swift.min(1 + random.next(5), buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        for k in 0..<count { buffer[k] = bytes[offset + k] }
        offset += count
        return count
    }
}

/// Gives some bytes, then fails as a disk read would.
private struct CSVFailingSource: ByteSource {
    var served = false
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if served { throw ByteSourceError(message: "input/output error", code: 5) }
        served = true
        let bytes = Array("a,b\n1,2\n3,".utf8)
        for (k, byte) in bytes.enumerated() { buffer[k] = byte }
        return bytes.count
    }
}

private func readAllRecords<S: ByteSource>(_ reader: CSVReader<S>) -> [Result<CSVRecord, CSVError>] {
    Array(reader)
}

private func csvResults(_ text: String, _ dialect: CSVDialect? = nil, limits: CSVLimits = .standard) -> [Result<CSVRecord, CSVError>] {
    readAllRecords(CSVReader(source: ArraySource(Array(text.utf8)), dialect: dialect, limits: limits))
}

/// Fields of each record, with errors as their message so one comparison shows both.
private func csvRows(_ text: String, _ dialect: CSVDialect? = nil, limits: CSVLimits = .standard) -> [[String]] {
    csvResults(text, dialect, limits: limits).map { result in
        switch result {
        case .success(let record): record.fields
        case .failure(let error): ["error: \(error.message) @\(error.line):\(error.column)"]
        }
    }
}

private func csvFixturesDirectory() -> URL {
    URL(fileURLWithPath: TestPaths.conformance)
}

private let csvSpectrumCases = [
    "comma_in_quotes", "empty", "empty_crlf", "escaped_quotes", "json", "newlines", "newlines_crlf",
    "quotes_and_newlines", "simple", "simple_crlf", "utf8",
]

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("csv-spectrum conformance", arguments: csvSpectrumCases)
    func spectrum(name: String) throws {
        let base = csvFixturesDirectory().appendingPathComponent("csv-spectrum")
        let csv = try Data(contentsOf: base.appendingPathComponent("csvs/\(name).csv"))
        let json = try Data(contentsOf: base.appendingPathComponent("json/\(name).json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: String]])
        var reader = CSVReader(source: ArraySource([UInt8](csv)))
        var records: [CSVRecord] = []
        while let result = reader.next() { records.append(try result.get()) }
        #expect(reader.dialect == .rfc4180)
        let header = try #require(records.first).fields
        let maps = records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.fields)) }
        #expect(maps == expected)
        #expect(records.dropFirst().allSatisfy { $0.fields.count == header.count })
    }

    @Test("Danish Excel: byte-order mark, semicolons, decimal commas")
    func danishExcel() {
        let text = "\u{FEFF}cvr;navn;omsætning;andel\r\n12345678;\"Café Ø; og Co\";\"1.234,50\";0,75\r\n87654321;Åbo ApS;99,9;\"\"\r\n"
        var reader = CSVReader(source: ArraySource(Array(text.utf8)))
        let all = Array(reader.prefix(3)).compactMap { try? $0.get().fields }
        #expect(
            all == [
                ["cvr", "navn", "omsætning", "andel"],
                ["12345678", "Café Ø; og Co", "1.234,50", "0,75"],
                ["87654321", "Åbo ApS", "99,9", ""],
            ])
        reader = CSVReader(source: ArraySource(Array(text.utf8)))
        _ = reader.next()
        #expect(reader.hadByteOrderMark)
        #expect(reader.dialect == .excelDanish)
        #expect(reader.next().map { (try? $0.get())?.line } == 2)
    }

    @Test("the dialect is detected from the first line outside quotes")
    func detection() {
        func detected(_ text: String) -> CSVDialect? {
            var reader = CSVReader(source: ArraySource(Array(text.utf8)))
            _ = reader.next()
            return reader.dialect
        }
        #expect(detected("a;b;c\n1,5;2;3\n") == .excelDanish)
        #expect(detected("a,b,c\n") == .rfc4180)
        #expect(detected("a\tb\tc\n") == .tab)
        #expect(detected("a;b,c\n") == .rfc4180)  // a tie goes to the comma
        #expect(detected("\"x,y,z\";b\n") == .excelDanish)  // separators inside quotes do not count
        #expect(detected("one column\n1,5\n") == .rfc4180)
        #expect(detected("") == nil)
        var fixed = CSVReader(source: ArraySource(Array("a,b;c\n".utf8)), dialect: .excelDanish)
        #expect(fixed.next().map { (try? $0.get())?.fields } == ["a,b", "c"])
    }

    @Test("an error in one record does not stop the reader")
    func errorThenGoodRows() {
        let text = "a,b,c\n1,\"x\"y,3\n4,5,6\nab\"c,8,9\n7,8,9\n\"q\" ,\"r\"\n10,11,12\n"
        #expect(
            csvRows(text) == [
                ["a", "b", "c"],
                ["error: unexpected character after closing quote @2:6"],
                ["4", "5", "6"],
                ["error: quote inside an unquoted field @4:3"],
                ["7", "8", "9"],
                ["error: unexpected character after closing quote @6:4"],
                ["10", "11", "12"],
            ])
        let numbers = csvResults(text).map { result in
            switch result {
            case .success(let record): record.number
            case .failure(let error): error.number
            }
        }
        #expect(numbers == Array(1...7))
    }

    @Test("a quote that never closes is reported at end of input")
    func unclosedQuote() {
        let all = csvResults("a,b\n1,2\n3,\"open\n4,5\n")
        #expect(all.count == 3)
        #expect(
            all.last.flatMap { if case .failure(let error) = $0 { error } else { nil } }
                == CSVError(
                    message:
                        "quote opened at line 3 never closes: lines 3 to 4 (2 lines), to the end of the input, are one unfinished field",
                    danish:
                        "anførselstegnet i linje 3 lukkes aldrig: linje 3 til 4 (2 linjer), til slutningen af input, er ét ufærdigt felt",
                    line: 3, column: 3, number: 3))
        // On the last line, nothing else is taken; without a final line break, the same.
        #expect(
            csvResults("a,b\n1,\"open\n").last.flatMap { if case .failure(let error) = $0 { error.message } else { nil } }
                == "quote opened at line 2 never closes")
        #expect(
            csvResults("a,b\n1,\"open\n2,3").last.flatMap { if case .failure(let error) = $0 { error.message } else { nil } }
                == "quote opened at line 2 never closes: lines 2 to 3 (2 lines), to the end of the input, are one unfinished field")
    }

    @Test("records end at LF, CRLF or a lone CR; a final line break adds no record")
    func lineBreaks() {
        #expect(csvRows("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
        #expect(csvRows("a,b\r1,2\r3,4") == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(csvRows("a,b\n1,2\r\n3,4\r5,6\n") == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(csvRows("a\n\nb\n") == [["a"], [""], ["b"]])  // an empty line is one empty field
        #expect(csvRows("a,\n,\n") == [["a", ""], ["", ""]])
        #expect(csvRows("a,b") == [["a", "b"]])
        #expect(csvRows("") == [])
        #expect(csvRows("\u{FEFF}") == [])
        let lines = csvResults("h\r1\r\n2\n3\r").compactMap { try? $0.get().line }
        #expect(lines == [1, 2, 3, 4])
    }

    @Test("line numbers count line breaks inside quoted fields")
    func lineNumbers() throws {
        let text = "a,b\n\"one\ntwo\",x\n\"three\r\nfour\rfive\",y\nlast,z\n\"bad\" x,1\n"
        let all = csvResults(text)
        let lines = all.map { result in
            switch result {
            case .success(let record): record.line
            case .failure(let error): error.line
            }
        }
        #expect(lines == [1, 2, 4, 7, 8])
        #expect(try all[2].get().fields == ["three\r\nfour\rfive", "y"])
    }

    @Test("columns count characters, and invalid UTF-8 names its field")
    func utf8() {
        #expect(csvRows("ææ,\"ø\"x\n") == [["error: unexpected character after closing quote @1:7"]])
        let bytes: [UInt8] = Array("a,b,c\n1,2,".utf8) + [0xC3, 0x28] + Array("\n4,5,6\n".utf8)
        let all = readAllRecords(CSVReader(source: ArraySource(bytes)))
        #expect(all.count == 3)
        if case .failure(let error) = all[1] {
            #expect(
                error
                    == CSVError(
                        message: "invalid UTF-8 in field 3 (saved as Windows-1252? save the file as UTF-8)",
                        danish: "ugyldig UTF-8 i felt 3 (gemt som Windows-1252? gem filen som UTF-8)", line: 2, column: 5, number: 2))
        } else {
            Issue.record("expected an error, got \(all[1])")
        }
        #expect((try? all[2].get().fields) == ["4", "5", "6"])
        // Overlong forms, surrogates, values past U+10FFFF and truncated sequences are all refused.
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE0, 0x80, 0x80], [0xE2, 0x82], [0xFF]] {
            let result = CSVReader(source: ArraySource(bad + [0x0A])).first { _ in true }
            #expect((try? result?.get()) == nil, "\(bad)")
        }
        let emoji = readAllRecords(CSVReader(source: ArraySource([0xF0, 0x9F, 0x98, 0x80, 0x2C, 0xF4, 0x8F, 0xBF, 0xBF])))
        #expect(emoji.compactMap { try? $0.get().fields } == [["😀", "\u{10FFFF}"]])
    }

    @Test("records over the limits are refused and the reader goes on")
    func limits() {
        let small = CSVLimits(maxRecordBytes: 16, maxFields: 3)
        let long = String(repeating: "x", count: 40)
        #expect(
            csvRows("a,b\n\(long),1\n1,2\n", limits: small)
                == [["a", "b"], ["error: record is longer than 16 bytes @2:1"], ["1", "2"]])
        #expect(
            csvRows("a,b\n\"\(long)\n\(long)\",1\n1,2\n", limits: small) == [
                ["a", "b"], ["error: record is longer than 16 bytes (quote opened at line 2 is still open) @2:1"], ["1", "2"],
            ])
        #expect(csvRows("a\n1,2,3,4\n5\n", limits: small) == [["a"], ["error: record has more than 3 fields @2:7"], ["5"]])
        // Exactly at the limit is fine, even with a CRLF straddling it.
        let exact = String(repeating: "y", count: 16)
        #expect(csvRows("\(exact)\r\n\(exact)", limits: small) == [[exact], [exact]])
        let lines = csvResults("h\n\"\(long)\r\n\(long)\",1\r\n2\n", limits: small).map { result in
            switch result {
            case .success(let record): record.line
            case .failure(let error): error.line
            }
        }
        #expect(lines == [1, 2, 4])
    }

    @Test("a failing source ends the input with one error")
    func readFailure() {
        let all = readAllRecords(CSVReader(source: CSVFailingSource()))
        #expect(all.count == 3)
        if case .failure(let error) = all.last {
            #expect(error.message == "could not read input: input/output error")
        } else {
            Issue.record("expected a read error")
        }
    }

    @Test("reading a few bytes at a time gives the same records as all at once")
    func smallChunks() throws {
        var inputs = [
            "a,b,c\n1,\"x\"\"y\"\"\",3\r\n\"multi\r\nline\",\"\",\"\"\"\"\r\rlast,\"q\"x,z\n\"open",
            "\u{FEFF}h;i\r\n\"1,5\";2\r\n\r\n;\n",
            "a\r",
            "é,ø\n\"æ\r\",å\r\n",
        ]
        for name in csvSpectrumCases {
            let url = csvFixturesDirectory().appendingPathComponent("csv-spectrum/csvs/\(name).csv")
            inputs.append(String(decoding: try Data(contentsOf: url), as: UTF8.self))
        }
        for limits in [CSVLimits.standard, CSVLimits(maxRecordBytes: 9, maxFields: 3)] {
            for text in inputs {
                let whole = readAllRecords(CSVReader(source: ArraySource(Array(text.utf8)), limits: limits))
                for seed in UInt64(1)...5 {
                    let trickled = readAllRecords(CSVReader(source: CSVTrickleSource(bytes: Array(text.utf8), seed: seed), limits: limits))
                    #expect(trickled == whole, "\(text.debugDescription)")
                }
            }
        }
    }

    @Test("10,000 generated rows stream from a file descriptor")
    func manyRows() throws {
        var text = "id;name;amount\n"
        for row in 1...10_000 {
            text += row % 7 == 0 ? "\(row);\"Firm \(row);\nApS\";\(row),5\r\n" : "\(row);Firm \(row);\(row),25\n"
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        var count = 0
        var expectedLine = 2
        var reader = CSVReader(source: FileDescriptorSource(fileHandle: handle))
        _ = reader.next()
        while let result = reader.next() {
            let record = try result.get()
            count += 1
            #expect(record.number == count + 1)
            #expect(record.line == expectedLine)
            let name = count % 7 == 0 ? "Firm \(count);\nApS" : "Firm \(count)"
            let amount = count % 7 == 0 ? "\(count),5" : "\(count),25"
            if record.fields != ["\(count)", name, amount] {
                Issue.record("row \(count): \(record.fields)")
                break
            }
            expectedLine += count % 7 == 0 ? 2 : 1
        }
        #expect(count == 10_000)
        #expect(reader.dialect == .excelDanish)
    }

    @Test("random inputs: the reader agrees with a plain reference parser, however the bytes arrive")
    func randomInputs() {
        let pieces: [[UInt8]] = [
            [0x61], [0x62], [0x2C], [0x2C], [0x22], [0x22], [0x0D], [0x0A], [0x0D, 0x0A], [0xC3, 0xA6], [0xC3], [0x3B],
        ]
        var generator = SplitMix64(seed: 42)
        func random() -> Int { generator.next(1 << 31) }
        var mismatches = 0
        for round in 0..<10_000 {
            var bytes: [UInt8] = round % 10 == 0 ? [0xEF, 0xBB, 0xBF] : []
            for _ in 0..<(random() % 40) { bytes += pieces[random() % pieces.count] }
            let whole = Array(CSVReader(source: ArraySource(bytes), dialect: .rfc4180))
            let trickled = Array(CSVReader(source: CSVTrickleSource(bytes: bytes, seed: UInt64(round)), dialect: .rfc4180))
            let small = CSVLimits(maxRecordBytes: 1 + random() % 8, maxFields: 2 + random() % 3)
            let smallWhole = Array(CSVReader(source: ArraySource(bytes), limits: small))
            let smallTrickled = Array(CSVReader(source: CSVTrickleSource(bytes: bytes, seed: UInt64(round)), limits: small))
            let summary = whole.map { result in
                switch result {
                case .success(let record): "\(record.line):" + record.fields.joined(separator: "|")
                case .failure: "error"
                }
            }
            if summary != naiveCSVParse(bytes) || trickled != whole || smallTrickled != smallWhole {
                mismatches += 1
                if mismatches <= 3 { Issue.record("input \(bytes): \(summary) vs \(naiveCSVParse(bytes))") }
            }
        }
        #expect(mismatches == 0)
    }
}

/// A deliberately naive RFC 4180 parser, byte by byte with no buffering tricks, to check the fast one
/// against: "line:field|field" per record, "error" for a record the reader must refuse.
private func naiveCSVParse(_ b: [UInt8]) -> [String] {
    let quote = UInt8(ascii: "\"")
    let comma = UInt8(ascii: ",")
    let cr: UInt8 = 0x0D
    let lf: UInt8 = 0x0A
    let n = b.count
    var out: [String] = []
    var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    func isBreak(_ j: Int) -> Bool { b[j] == lf || (b[j] == cr && !(j + 1 < n && b[j + 1] == lf)) }
    while i < n {
        let line = 1 + (0..<i).filter(isBreak).count
        var fields: [String] = []
        var error = false
        while true {
            var field: [UInt8] = []
            if i < n && b[i] == quote {
                i += 1
                while true {
                    if i == n { return out + ["error"] }
                    if b[i] == quote && i + 1 < n && b[i + 1] == quote {
                        field.append(quote)
                        i += 2
                        continue
                    }
                    if b[i] == quote {
                        i += 1
                        break
                    }
                    field.append(b[i])
                    i += 1
                }
                while i < n && b[i] != comma && b[i] != cr && b[i] != lf {
                    error = true
                    i += 1
                }
            } else {
                while i < n && b[i] != comma && b[i] != cr && b[i] != lf {
                    if b[i] == quote { error = true }
                    field.append(b[i])
                    i += 1
                }
            }
            if let text = String(validating: field, as: UTF8.self) { fields.append(text) } else { error = true }
            if i == n { break }
            if b[i] == comma {
                i += 1
                continue
            }
            i += b[i] == cr && i + 1 < n && b[i + 1] == lf ? 2 : 1
            break
        }
        out.append(error ? "error" : "\(line):" + fields.joined(separator: "|"))
    }
    return out
}
