import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// Every record or error of `bytes`, read with the fast scanner or with the checking scanner alone.
private func records(
    _ bytes: [UInt8], fast: Bool, chunk: Int, limits: CSVLimits = .standard, dialect: CSVDialect? = nil
) -> [Result<CSVRecord, CSVError>] {
    var reader = CSVReader(
        source: PieceSource(bytes: bytes, size: chunk, most: 5, random: SplitMix64(seed: 3)), dialect: dialect, limits: limits)
    reader.fastScanning = fast
    var all: [Result<CSVRecord, CSVError>] = []
    while let item = reader.next() { all.append(item) }
    return all
}

/// The fast scanner (`CSVScanner`) finds a record's fields as byte ranges and the batch reads
/// numbers from the bytes; both must give exactly what the string path gives, or hand the case to it.
@Suite("CSV byte path: fields as byte ranges, numbers read from bytes")
struct CSVBytePathTests {
    @Test("quotes, escaped quotes, CRLF, a byte-order mark and empty fields read as written, in any chunks")
    func forms() throws {
        let text =
            "\u{FEFF}id,name,x\r\n1,\"Firma, A/S\",\r\n2,\"Citat \"\"x\"\" IVS\",3.5\r\n,,\r\n3,\"to\nlinjer\",\"\"\r\n4,Grønne,\"\"\n5,,"
        let expected = [
            ["id", "name", "x"], ["1", "Firma, A/S", ""], ["2", "Citat \"x\" IVS", "3.5"], ["", "", ""], ["3", "to\nlinjer", ""],
            ["4", "Grønne", ""], ["5", "", ""],
        ]
        for chunk in [1 << 16, 0, 1, 2, 3, 7] {
            for fast in [true, false] {
                let all = records(Array(text.utf8), fast: fast, chunk: chunk)
                let fields = all.map { (try? $0.get())?.fields ?? ["error"] }
                #expect(fields == expected, "chunk \(chunk), fast \(fast)")
                #expect(all.compactMap { try? $0.get().line } == [1, 2, 3, 4, 5, 7, 8], "chunk \(chunk), fast \(fast)")
            }
        }
        let record = try records(Array(text.utf8), fast: true, chunk: 0)[2].get()
        #expect(record.count == 3 && record[1] == "Citat \"x\" IVS" && record.isEmpty(2) == false && record.isBlank(0) == false)
        #expect(try records(Array(text.utf8), fast: true, chunk: 0)[3].get().isAllEmpty)
    }

    @Test("records longer than the first buffer, crossing refills anywhere: the same as the checking scanner")
    func crossingRefills() {
        var random = SplitMix64(seed: 11)
        var text = "id,name,amount\n"
        for row in 0..<3_000 {
            let name = String(repeating: "æb", count: random.next(40))
            let quoted = random.chance(1, in: 3) ? "\"\(name), \(row)\"" : name
            text += "\(row),\(quoted),\(random.next(1_000_000)).\(random.next(100))\(random.chance(1, in: 2) ? "\r\n" : "\n")"
        }
        text += "9," + String(repeating: "x", count: 70_000) + ",1\n10,y,2\n"
        let bytes = Array(text.utf8)
        let reference = records(bytes, fast: false, chunk: 1 << 16)
        #expect(reference.count == 3_003)
        for chunk in [1 << 16, 4_093, 0] {
            let fast = records(bytes, fast: true, chunk: chunk)
            #expect(fast == reference, "chunk \(chunk)")
            // Every record is held, as a parallel batch holds a round: the one after the long
            // record must not share (and copy) its 70,000 bytes.
            #expect(((try? fast.last?.get())?.bytes.count ?? 0) <= 1_024, "chunk \(chunk)")
        }
    }

    @Test("random bytes: the fast scanner gives exactly the checking scanner's records and errors, with places")
    func randomAgreement() {
        let pieces: [[UInt8]] = [
            [0x61], [0x31], [0x2C], [0x2C], [0x3B], [0x09], [0x22], [0x22], [0x0D], [0x0A], [0x0D, 0x0A], [0xC3, 0xA6],
            [0xC3], [0xFF], [0xE2, 0x88, 0x92], Array("12345678".utf8),
        ]
        var random = SplitMix64(seed: 2026)
        var mismatches = 0
        for round in 0..<6_000 {
            var bytes: [UInt8] = round % 10 == 0 ? [0xEF, 0xBB, 0xBF] : []
            for _ in 0..<random.next(60) { bytes += pieces[random.next(pieces.count)] }
            let limits =
                round % 3 == 0 ? CSVLimits(maxRecordBytes: 1 + random.next(20), maxFields: 1 + random.next(5)) : .standard
            let dialect: CSVDialect? = round % 4 == 0 ? nil : [CSVDialect.rfc4180, .excelDanish, .tab][random.next(3)]
            let reference = records(bytes, fast: false, chunk: 1 << 16, limits: limits, dialect: dialect)
            for chunk in [1 << 16, 0] where records(bytes, fast: true, chunk: chunk, limits: limits, dialect: dialect) != reference {
                mismatches += 1
                if mismatches <= 3 { Issue.record("input \(bytes), chunk \(chunk), limits \(limits)") }
            }
        }
        #expect(mismatches == 0)
    }

    /// Cell texts: plain numbers mostly, and every way out of the plain form.
    static func cellText(_ random: inout SplitMix64) -> String {
        let alphabet = ["0", "1", "2", "3", "5", "9", "0", "7", ".", ",", "-", "+", " ", "%", "e", "k", "r", "æ", "\u{00A0}", "\t"]
        if random.chance(1, in: 2) {
            var text = random.chance(1, in: 6) ? "-" : ""
            for _ in 0..<(1 + random.next(12)) { text += String(random.next(10)) }
            if random.chance(2, in: 3) {
                text += random.chance(1, in: 2) ? "." : ","
                for _ in 0..<random.next(5) { text += String(random.next(10)) }
            }
            return text
        }
        return (0..<random.next(10)).map { _ in alphabet[random.next(alphabet.count)] }.joined()
    }

    @Test("numbers and yes/no from bytes: CellReader's value, never a guess the decimal-mark guard refuses, or deferred")
    func quickAgreesWithCellReader() {
        var random = SplitMix64(seed: 16)
        let readings = BatchCellReaderTests.readings()
        var (values, deferred, mismatches) = (0, 0, 0)
        for _ in 0..<4_000 {
            var text = CSVBytePathTests.cellText(&random)
            if random.chance(1, in: 20) { text = ["true", "ja", "nej", "0", "1", "yes", "Ja", ""][random.next(8)] }
            for (name, reading) in readings {
                for style in [NumberStyle.point, .danishComma] {
                    for percent in [nil] + PercentReading.allCases.map(Optional.some) {
                        for guarded in [false, true] {
                            var copy = text
                            let quick = copy.withUTF8 {
                                BatchCellReader.quick($0, reading.hot, style: style, percent: percent, guarded: guarded)
                            }
                            switch quick {
                            case .blank:
                                if !BatchCellReader.isBlank(text) { mismatches += 1 }
                            case .value(let value):
                                values += 1
                                let reference = CellReader.read(
                                    .text(text), as: reading.input, choices: reading.choiceSets, style: style, percent: percent)
                                let refused = guarded && reading.kind.isNumber && DecimalMark.ambiguous(text) != nil
                                if describe(reference) != describe(.success(value)) || refused {
                                    mismatches += 1
                                    if mismatches <= 3 { Issue.record("\(name) \(style) \(String(describing: percent)) \"\(text)\"") }
                                }
                            case .text:
                                deferred += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(mismatches == 0)
        #expect(values > 10_000 && deferred > 10_000)
    }

    /// The value with its exact representation, so an equal value built differently would show.
    func describe(_ result: Result<Scalar?, CellError>) -> String {
        switch result {
        case .success(.number(let value)?): "number \(value.numerator)/\(value.denominator)"
        case .success(let value): "\(String(describing: value))"
        case .failure(let error): "error \(error)"
        }
    }

    @Test("the ambiguity check from bytes agrees with the reading of the text whenever it answers")
    func ambiguityFromBytes() {
        var random = SplitMix64(seed: 36)
        var answered = 0
        for _ in 0..<20_000 {
            var text = random.chance(1, in: 3) ? "\(1 + random.next(999)).\(random.next(10))\(random.next(10))\(random.next(10))" : ""
            if text.isEmpty { text = CSVBytePathTests.cellText(&random) }
            var copy = text
            guard let fast = copy.withUTF8(DecimalMark.isAmbiguous(bytes:)) else { continue }
            answered += 1
            #expect(fast == (DecimalMark.ambiguous(text) != nil), "\"\(text)\"")
        }
        #expect(answered > 15_000)
    }
}
