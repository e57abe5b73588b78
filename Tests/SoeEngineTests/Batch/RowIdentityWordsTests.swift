import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The row's identity bound by words (issue 16, docs/benchmark.md "Steps of wave 3, session 12:
/// the row's identity by words"): short copies without `memcpy` (`ShortCopy`), the CVR number's
/// check and index from one word (`CSVRowBinder.plainCVRIndex`), the record's fields lent once
/// (`CSVRecord.withFields`) and the three texts stored at once (`BatchRow.setIdentity`), each
/// against the general path it replaced.
@Suite("batch: the row's identity by words")
struct RowIdentityWordsTests {
    /// Every count `ShortCopy` takes, from every source offset in a word, to every target offset:
    /// the same bytes as a byte loop, and no byte written outside the count.
    @Test("a short copy writes the count's bytes and nothing else, at every count and offset")
    func shortCopyAsLoop() {
        var random = SplitMix64(seed: 1_213)
        let source = (0..<64).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        for count in 0...ShortCopy.most {
            for from in 0..<8 {
                for to in 0..<8 {
                    var target = [UInt8](repeating: 0xEE, count: 64)
                    source.withUnsafeBufferPointer { source in
                        target.withUnsafeMutableBufferPointer { target in
                            ShortCopy.copy(from: source.baseAddress! + from, to: target.baseAddress! + to, count: count)
                        }
                    }
                    #expect(
                        Array(target[to..<(to + count)]) == Array(source[from..<(from + count)]), "count \(count) from \(from) to \(to)")
                    #expect(
                        target[..<to].allSatisfy { $0 == 0xEE } && target[(to + count)...].allSatisfy { $0 == 0xEE },
                        "count \(count) wrote outside")
                }
            }
        }
    }

    /// `plainCVRIndex` against `isPlainCVR` and `cvrIndex`, the checks it replaced, on every byte
    /// value at every place of valid CVR numbers, and on every number of leading places of a few.
    @Test("the CVR number's word check equals the byte check at every place and byte value")
    func plainCVRIndexEveryByte() {
        var random = SplitMix64(seed: 1_214)
        var (valid, refused) = (0, 0)
        for _ in 0..<40 {
            let cvr = Array(PlainResultRowTests.validCVR(&random).utf8)
            for place in 0..<8 {
                for byte in 0...255 {
                    var bytes = cvr
                    bytes[place] = UInt8(byte)
                    bytes.withUnsafeBufferPointer { cell in
                        let expected = BatchCellReader.isPlainCVR(cell) ? BatchCellReader.cvrIndex(bytes: cell) : nil
                        #expect(CSVRowBinder.plainCVRIndex(cell) == expected, "\(bytes)")
                        if expected == nil { refused += 1 } else { valid += 1 }
                    }
                }
            }
            // The shorter and longer cells a CVR number's bytes make: never plain.
            for length in 0...12 {
                let bytes = Array((cvr + cvr)[0..<length])
                bytes.withUnsafeBufferPointer { cell in
                    let expected = BatchCellReader.isPlainCVR(cell) ? BatchCellReader.cvrIndex(bytes: cell) : nil
                    #expect(CSVRowBinder.plainCVRIndex(cell) == expected, "\(bytes)")
                }
            }
        }
        // The extremes: the smallest and largest eight-digit numbers, and all eight digits alike.
        for text in ["10000000", "99999999", "00000000", "11111111", "99999990", "10000004"]
            + (0...9).map({ String(repeating: "\($0)", count: 8) })
        {
            Array(text.utf8).withUnsafeBufferPointer { cell in
                let expected = BatchCellReader.isPlainCVR(cell) ? BatchCellReader.cvrIndex(bytes: cell) : nil
                #expect(CSVRowBinder.plainCVRIndex(cell) == expected, "\(text)")
            }
        }
        // Each place of each number keeps it valid only with its own digit: 40 × 8 valid cells.
        #expect(valid >= 320 && refused > 50_000, "\(valid) valid, \(refused) refused")
    }

    /// `CSVRecord.withFields` against `withField` and `isEmpty` on generated records: empty
    /// records, all-empty fields, fields of every length.
    @Test("the fields lent at once are the fields lent one by one")
    func fieldsAsWithField() {
        var random = SplitMix64(seed: 1_215)
        for round in 0..<2_000 {
            let count = 1 + random.next(20)
            let fields = (0..<count).map { _ in
                round % 5 == 0
                    ? "" : String(decoding: (0..<random.next(12)).map { _ in UInt8(ascii: "a") + UInt8(random.next(26)) }, as: UTF8.self)
            }
            let record = CSVRecord(fields: fields, line: 2, number: 2)
            record.withFields { lent in
                #expect(lent.count == record.count)
                for index in 0..<record.count {
                    let expected = record.withField(index) { Array($0) }
                    #expect(Array(lent[index]) == expected, "field \(index) of \(fields)")
                    #expect(lent.isEmpty(index) == record.isEmpty(index))
                }
            }
        }
    }

    /// `setIdentity` against `setID`, `setName` and `setCVR` in turn: any of the three given or
    /// not, empty texts, texts of every length up to past `ShortCopy.most`, storage that grows.
    @Test("the three texts stored at once are stored as one by one")
    func setIdentityAsOneByOne() {
        var random = SplitMix64(seed: 1_216)
        var (a, b) = (BatchRow(ruleSets: []), BatchRow(ruleSets: []))
        for round in 0..<20_000 {
            if round % 7 == 0 {
                a.reset(number: round, line: round)
                b.reset(number: round, line: round)
            }
            func text() -> [UInt8]? {
                guard random.next(4) != 0 else { return nil }
                let length = random.next(3) == 0 ? random.next(80) : random.next(ShortCopy.most + 2)
                return (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
            let (id, name, cvr) = (text(), text(), text())
            func lend(_ bytes: [UInt8]?, _ body: (UnsafeBufferPointer<UInt8>?) -> Void) {
                guard let bytes else { return body(nil) }
                bytes.withUnsafeBufferPointer { body($0) }
            }
            lend(id) { id in lend(name) { name in lend(cvr) { cvr in a.setIdentity(id: id, name: name, cvr: cvr) } } }
            if let id { id.withUnsafeBufferPointer { b.setID(bytes: $0) } }
            if let name { name.withUnsafeBufferPointer { b.setName(bytes: $0) } }
            if let cvr { cvr.withUnsafeBufferPointer { b.setCVR(bytes: $0) } }
            #expect(a.idSpan == b.idSpan && a.nameSpan == b.nameSpan && a.cvrSpan == b.cvrSpan, "round \(round)")
            #expect(a.textsUsed == b.textsUsed)
            #expect(a.texts[0..<a.textsUsed] == b.texts[0..<b.textsUsed], "round \(round)")
        }
    }

    /// `bindIdentity` against the way it bound a row before (each field lent on its own, each
    /// text stored on its own, the CVR number checked by `isPlainCVR` and `cvrIndex`), kept here,
    /// on generated records with hostile ids, names, CVR numbers, years and closing dates.
    @Test("a row's identity bound by words equals the identity bound field by field")
    func bindIdentityAsBefore() throws {
        let ruleSets = [BatchFixtures.ruleSets()[0]]
        var random = SplitMix64(seed: 1_217)
        var (compared, withCVR, withErrors) = (0, 0, 0)
        for round in 0..<8 {
            var header = ruleSets[0].inputs.map(\.name) + ["id", "name", "cvr", "fiscal_year"]
            if round % 2 == 1 { header.append("fiscal_year_end") }
            if round % 4 == 3 { header.append("note") }
            for position in header.indices.reversed() { header.swapAt(position, random.next(position + 1)) }
            let layout = try BatchLayout.check(header: header, ruleSets: ruleSets).get()
            var binder = CSVRowBinder(layout: layout, style: .point, language: round % 3 == 0 ? .danish : .english)
            if round % 4 == 2 { binder.sheetPlace = SheetPlace(sheet: "Ark1", headerRow: 1) }
            var (rowA, rowB) = (BatchRow(ruleSets: ruleSets), BatchRow(ruleSets: ruleSets))
            for number in 2..<800 {
                let fields = header.map { column -> String in
                    switch column {
                    case "id": return random.pick(Self.ids(&random))
                    case "name": return random.pick(Self.names(&random))
                    case "cvr": return random.pick(Self.cvrs(&random))
                    case "fiscal_year":
                        return random.pick([
                            "2024", "", " ", "\t", "1899", "1900", "9999", "10000", "24", "2024 ", " 2024", "år", "-2024", "+2024", "2 024",
                        ])
                    case "fiscal_year_end": return random.pick(["", "2024-12-31", "2025-06-30", "2022-12-31", "31-12-2024", "x", " "])
                    default: return random.pick(["", "0", "12", "x", "1.000,50"])
                    }
                }
                let record = CSVRecord(fields: fields, line: number, number: number)
                let boundA = binder.bindIdentity(record, into: &rowA)
                let boundB = Self.bindIdentityAsBefore(binder, record, into: &rowB)
                #expect(boundA == boundB)
                #expect(BatchStraightStoreTests.describe(rowA) == BatchStraightStoreTests.describe(rowB), "\(fields)")
                #expect(rowA.idSpan == rowB.idSpan && rowA.nameSpan == rowB.nameSpan && rowA.cvrSpan == rowB.cvrSpan, "\(fields)")
                // The writers copy a CVR number the row says is eight digits without a check:
                // it must be, and it is said of every plain one.
                let digits = rowA.cvr.map { $0.utf8.count == 8 && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } } ?? false
                #expect(!rowA.cvrIsDigits || digits, "\(fields)")
                #expect(rowA.cvrIsDigits == (rowA.cvrIndex != nil), "\(fields)")
                compared += 1
                if rowA.cvrIndex != nil { withCVR += 1 }
                if !rowA.rowErrors.isEmpty { withErrors += 1 }
            }
        }
        #expect(compared > 6_000 && withCVR > 1_000 && withErrors > 1_000, "\(compared) \(withCVR) \(withErrors)")
    }

    /// A row's CVR number is said to be eight digits only while the text stored is the one
    /// `setIdentity` was told of: setting it any other way, or resetting the row, forgets it.
    @Test("the row forgets that its CVR number is eight digits when the number is set another way")
    func cvrDigitsForgotten() {
        var row = BatchRow(ruleSets: [])
        let cvr = Array("13748136".utf8)
        cvr.withUnsafeBufferPointer { row.setIdentity(id: nil, name: nil, cvr: $0, cvrIsDigits: true) }
        #expect(row.cvrIsDigits && row.cvr == "13748136")
        row.cvr = "DK 1374 8136"
        #expect(!row.cvrIsDigits)
        cvr.withUnsafeBufferPointer { row.setIdentity(id: nil, name: nil, cvr: $0, cvrIsDigits: true) }
        cvr.withUnsafeBufferPointer { row.setCVR(bytes: $0) }
        #expect(!row.cvrIsDigits)
        cvr.withUnsafeBufferPointer { row.setIdentity(id: nil, name: nil, cvr: $0, cvrIsDigits: true) }
        row.reset(number: 3, line: 3)
        #expect(!row.cvrIsDigits && row.cvr == nil)
        // Told of a text that is not eight bytes long, the row does not believe it.
        Array("1374813".utf8).withUnsafeBufferPointer { row.setIdentity(id: nil, name: nil, cvr: $0, cvrIsDigits: true) }
        #expect(!row.cvrIsDigits)
        // Given no CVR number, the row keeps what it knew.
        cvr.withUnsafeBufferPointer { row.setIdentity(id: nil, name: nil, cvr: $0, cvrIsDigits: true) }
        Array("F1".utf8).withUnsafeBufferPointer { row.setIdentity(id: $0, name: nil, cvr: nil, cvrIsDigits: false) }
        #expect(row.cvrIsDigits && row.cvr == "13748136")
    }

    /// `writeCVR` against `writePlain`: for a CVR number of eight digits said to be digits, the
    /// same bytes (and nothing past them); for any text not said to be digits, `writePlain`'s
    /// answer; at every start of a buffer of other texts, with every separator.
    @Test("a CVR number known to be digits is written as writePlain writes it")
    func writeCVRAsWritePlain() {
        var random = SplitMix64(seed: 1_218)
        var (known, other) = (0, 0)
        for _ in 0..<3_000 {
            let digits = random.next(2) == 0
            let cvr =
                digits
                ? Array(PlainResultRowTests.validCVR(&random).utf8)
                : (0..<random.next(12)).map { _ in random.pick(Array("0123456789 ,;\"=-a".utf8)) }
            let before = (0..<random.next(20)).map { _ in UInt8(ascii: "a") + UInt8(random.next(26)) }
            let after = (0..<random.next(3)).map { _ in UInt8(ascii: "z") }
            let texts = before + cvr + after
            let span = TextSpan(start: before.count, end: before.count + cvr.count)
            for separator in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")] {
                func written(_ write: (UnsafeBufferPointer<UInt8>, UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>?) -> [UInt8]?
                {
                    var target = [UInt8](repeating: 0xEE, count: 48)
                    let end: Int? = texts.withUnsafeBufferPointer { texts in
                        target.withUnsafeMutableBufferPointer { target in
                            write(texts, target.baseAddress! + 4).map { $0 - (target.baseAddress! + 4) }
                        }
                    }
                    guard let end else { return nil }
                    #expect(target[0..<4].allSatisfy { $0 == 0xEE })
                    return Array(target[4..<(4 + end)])
                }
                let plain = written { BatchResultWriter.writePlain($0, span, at: $1, separator: separator) }
                let fast = written { BatchResultWriter.writeCVR($0, span, digits: digits, at: $1, separator: separator) }
                #expect(fast == plain, "\(cvr) digits \(digits) separator \(separator)")
                if digits {
                    #expect(fast == cvr)
                    known += 1
                } else {
                    other += 1
                }
            }
        }
        #expect(known > 4_000 && other > 4_000)
    }

    /// A record the reader says its plain loop read (`CSVRecord.plainSeparator`) holds no quote,
    /// no byte at or below CR, no byte above 0x7F and not the separator in any field, read with
    /// `next(into:)` and with `next()`, on generated files of plain and hostile records (quoted
    /// fields with separators, quotes and line breaks, CRLF, tabs, bytes above 0x7F, long records
    /// past a buffer's end), with both separators; and most plain records are said to be.
    @Test("a record said to be read by the plain loop holds nothing a result would quote")
    func plainRecordsHoldNothingToQuote() {
        var random = SplitMix64(seed: 1_219)
        var (plain, other) = (0, 0)
        for round in 0..<40 {
            let separator = round % 2 == 0 ? UInt8(ascii: ",") : UInt8(ascii: ";")
            var file: [UInt8] = []
            for _ in 0..<(200 + random.next(400)) {
                let fields = 1 + random.next(6)
                for field in 0..<fields {
                    if field > 0 { file.append(separator) }
                    switch random.next(12) {
                    case 0: file += Array("\"a\(Character(UnicodeScalar(separator)))b\"".utf8)
                    case 1: file += Array("\"say \"\"hi\"\"\"".utf8)
                    case 2: file += Array("\"two\nlines\"".utf8)
                    case 3: file += Array("tab\there".utf8)
                    case 4: file += Array("Ærø".utf8)
                    case 5: file += Array(repeating: UInt8(ascii: "x"), count: random.next(3000))
                    default: file += (0..<random.next(12)).map { _ in random.pick(Array("abcXYZ019 =+-@/:.".utf8)) }
                    }
                }
                file += random.next(5) == 0 ? [0x0D, 0x0A] : [0x0A]
            }
            let dialect = CSVDialect(separator: separator)
            func check(_ record: CSVRecord) {
                guard record.plainSeparator != 0 else {
                    other += 1
                    return
                }
                plain += 1
                #expect(record.plainSeparator == separator)
                for index in 0..<record.count {
                    record.withField(index) { bytes in
                        let bad = bytes.first { $0 == 0x22 || $0 <= 0x0D || $0 >= 0x80 || $0 == separator }
                        #expect(bad == nil, "record \(record.number) field \(index): \(Array(bytes))")
                    }
                }
            }
            var reader = CSVReader(source: ArraySource(file), dialect: dialect)
            var record = CSVRecord(fields: [], line: 0, number: 0)
            while let step = reader.next(into: &record) {
                if case .record = step { check(record) }
            }
            var again = CSVReader(source: ArraySource(file), dialect: dialect)
            while let item = again.next() {
                if case .success(let record) = item { check(record) }
            }
        }
        #expect(plain > 5_000 && other > 5_000, "\(plain) plain, \(other) other")
    }

    /// `writeUnquoted` against `writePlain` on texts that hold nothing to quote (letters, digits,
    /// spaces, punctuation, formula starts first or later): the same bytes, or both nil; and the
    /// row keeps what its record said only for texts `setIdentity` stored first.
    @Test("a text known to need no quotes is written as writePlain writes it")
    func writeUnquotedAsWritePlain() {
        var random = SplitMix64(seed: 1_220)
        var (written, refused) = (0, 0)
        for _ in 0..<4_000 {
            let texts = (0..<(1 + random.next(60))).map { _ in random.pick(Array("abcXYZ019 =+-@/:.'".utf8)) }
            let start = random.next(texts.count)
            let span = TextSpan(start: start, end: start + random.next(texts.count - start + 1))
            for separator in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "|")] {
                func write(_ body: (UnsafeBufferPointer<UInt8>, UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>?) -> [UInt8]? {
                    var target = [UInt8](repeating: 0xEE, count: 96)
                    let end: Int? = texts.withUnsafeBufferPointer { texts in
                        target.withUnsafeMutableBufferPointer { target in
                            body(texts, target.baseAddress! + 4).map { $0 - (target.baseAddress! + 4) }
                        }
                    }
                    guard let end else { return nil }
                    #expect(target[0..<4].allSatisfy { $0 == 0xEE })
                    return Array(target[4..<(4 + end)])
                }
                let expected = write { BatchResultWriter.writePlain($0, span, at: $1, separator: separator) }
                let fast = write { BatchResultWriter.writeUnquoted($0, span, at: $1) }
                #expect(fast == expected, "\(Array(texts[span.start..<span.end]))")
                if fast == nil { refused += 1 } else { written += 1 }
            }
        }
        #expect(written > 5_000 && refused > 1_000, "\(written) written, \(refused) refused")
        // The row forgets what the record said when the id or the name is set any other way.
        var row = BatchRow(ruleSets: [])
        let bytes = Array("F1".utf8)
        func identity(_ row: inout BatchRow) { bytes.withUnsafeBufferPointer { row.setIdentity(id: $0, name: $0, cvr: nil, plainFor: 44) } }
        identity(&row)
        #expect(row.textsPlainFor == 44)
        row.id = "a,b"
        #expect(row.textsPlainFor == 0)
        row.reset(number: 2, line: 2)
        identity(&row)
        row.name = "x"
        #expect(row.textsPlainFor == 0)
        row.reset(number: 3, line: 3)
        identity(&row)
        bytes.withUnsafeBufferPointer { row.setID(bytes: $0) }
        #expect(row.textsPlainFor == 0)
        row.reset(number: 4, line: 4)
        identity(&row)
        bytes.withUnsafeBufferPointer { row.setName(bytes: $0) }
        #expect(row.textsPlainFor == 0)
        row.reset(number: 5, line: 5)
        identity(&row)
        row.reset(number: 6, line: 6)
        #expect(row.textsPlainFor == 0)
        // Not the row's first texts: what the record said is not about the ones before.
        row.id = "=x"
        bytes.withUnsafeBufferPointer { row.setIdentity(id: nil, name: $0, cvr: nil, plainFor: 44) }
        #expect(row.textsPlainFor == 0)
    }

    static func ids(_ random: inout SplitMix64) -> [String] {
        let letters = String(decoding: (0..<random.next(40)).map { _ in UInt8(ascii: "A") + UInt8(random.next(26)) }, as: UTF8.self)
        return [
            "", "F1", "F\(random.next(10_000_000))", " ", "\t", "=1+1", "a,b", "say \"hi\"", "Ærø", letters,
            String(repeating: "x", count: 32), String(repeating: "y", count: 33),
        ]
    }

    static func names(_ random: inout SplitMix64) -> [String] {
        [
            "", " ", "  \t ", "\t", "Firma \(random.next(10_000_000)) ApS", "Smith, \"Jones\" & Co", "Ærø Kaffe 🚀", " leading",
            "trailing\t",
            String(repeating: "n", count: 16), String(repeating: "m", count: 31), String(repeating: "o", count: 32),
            String(repeating: "p", count: 33), String(repeating: "q", count: 70),
        ]
    }

    static func cvrs(_ random: inout SplitMix64) -> [String] {
        let valid = PlainResultRowTests.validCVR(&random)
        var wrongCheck = Array(valid.utf8)
        wrongCheck[7] = UInt8(ascii: "0") + UInt8((Int(wrongCheck[7] - 0x30) + 1 + random.next(9)) % 10)
        let digits = (0..<8).map { _ in String(random.next(10)) }.joined()
        return [
            valid, valid, valid, String(decoding: wrongCheck, as: UTF8.self), digits, "0" + String(valid.dropFirst()),
            String(valid.dropLast()), valid + "1",
            " " + valid, valid + " ", "DK" + valid, String(valid.prefix(4)) + " " + String(valid.dropFirst(4)), "", " ", "\t", "1374813/",
            "1374813:", "abcdefgh", "12.345.678",
        ]
    }

    /// `CSVRowBinder.bindIdentity` as it was before the words (a3655d7): the reference.
    static func bindIdentityAsBefore(_ binder: CSVRowBinder, _ record: CSVRecord, into row: inout BatchRow) -> Bool {
        let (layout, words) = (binder.layout, binder.words)
        row.reset(number: record.number, line: record.line)
        guard record.count == layout.columns.count else { return false }
        for column in layout.carriedColumns { row.carried.append(record[column]) }
        if let column = layout.idColumn, !record.isEmpty(column) { record.withField(column) { row.setID(bytes: $0) } }
        if let column = layout.nameColumn {
            record.withField(column) { bytes in
                if !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { row.setName(bytes: bytes) }
            }
        }
        if let column = layout.cvrColumn {
            let plain: Int? = record.withField(column) { bytes in
                guard BatchCellReader.isPlainCVR(bytes), let index = BatchCellReader.cvrIndex(bytes: bytes) else { return nil }
                row.setCVR(bytes: bytes)
                return index
            }
            if let plain {
                row.cvrIndex = plain
            } else if !record.isBlank(column) {
                switch BatchCellReader.cvr(record[column]) {
                case .success(let valid): row.cvr = valid
                case .failure(let failure):
                    row.rowErrors.append(
                        words.field(binder.sheetPlace == nil ? "cvr" : binder.columnName(column, row: row), failure.text(words.language)))
                }
            }
        }
        var yearProblem = false
        if let column = layout.fiscalYearColumn {
            // Since session 20, spaces around a year are not part of it (as around any other cell).
            if let year = BatchCellReader.year(record[column].trimmingSpaces()) {
                row.fiscalYear = year
            } else if !record.isBlank(column) {
                yearProblem = true
                row.rowErrors.append(words.badYear(record[column]))
            }
        }
        var end: Day?
        var unreadableEnd = false
        if let column = layout.fiscalYearEndColumn, !record.isBlank(column) {
            end = CellForms.day(record[column])
            if end == nil {
                yearProblem = true
                unreadableEnd = true
                row.rowErrors.append(words.badClosingDate(record[column]))
            }
        }
        row.settleFiscalYear(end: end, unreadableEnd: unreadableEnd, words: words)
        if row.closingDay == nil && !yearProblem { row.rowErrors.append(words.yearMissing) }
        return true
    }
}
