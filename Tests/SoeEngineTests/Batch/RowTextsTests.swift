import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// A row's id, name and CVR number are kept as bytes (`BatchRow.texts`) from the record to the
/// result, and written straight from them when they need no quoting. These tests hold the bytes
/// path to what the `String` path writes: `appendCSVText` and `JSONOutput.appendQuoted` of the
/// texts as they were read.
@Suite("batch: the row's id, name and CVR number as bytes")
struct RowTextsTests {
    @Test("texts set from strings and bytes read back whole, also when the storage grows")
    func storage() {
        var row = BatchRow(ruleSets: [])
        #expect(row.id == nil && row.name == nil && row.cvr == nil)
        row.id = "F1"
        let long = String(repeating: "Ærø ", count: 400)
        row.name = long
        #expect(row.id == "F1", "the id was lost when the storage grew for the name")
        #expect(row.name == long)
        Array("13748136".utf8).withUnsafeBufferPointer { row.setCVR(bytes: $0) }
        #expect(row.cvr == "13748136")
        #expect(row.texts[row.idSpan.start..<row.idSpan.end].elementsEqual("F1".utf8))
        row.name = ""
        #expect(row.name == "", "an empty name is not a missing one")
        row.reset(number: 2, line: 3)
        #expect(row.id == nil && row.name == nil && row.cvr == nil)
        #expect(row.idSpan == .none && row.cvrSpan == .none)
        Array("=F2".utf8).withUnsafeBufferPointer { row.setID(bytes: $0) }
        Array("Smith, \"Jones\"\n& Co 🚀".utf8).withUnsafeBufferPointer { row.setName(bytes: $0) }
        #expect(row.id == "=F2")
        #expect(row.name == "Smith, \"Jones\"\n& Co 🚀")
    }

    @Test("a plain CVR number's index in one pass equals the check and the index read apart")
    func plainCVRIndex() {
        var random = SplitMix64(seed: 65)
        var valid = 0
        for round in 0..<60_000 {
            var bytes: [UInt8]
            switch round % 3 {
            case 0: bytes = Array(PlainResultRowTests.validCVR(&random).utf8)
            case 1: bytes = (0..<8).map { _ in UInt8(ascii: "0") + UInt8(random.next(10)) }
            default: bytes = (0..<random.next(11)).map { _ in random.pick(Array("0123456789 /:a".utf8)) }
            }
            bytes.withUnsafeBufferPointer { cell in
                let expected = BatchCellReader.isPlainCVR(cell) ? BatchCellReader.cvrIndex(bytes: cell) : nil
                #expect(CSVRowBinder.plainCVRIndex(cell) == expected, "\(String(decoding: cell, as: UTF8.self))")
                if expected != nil { valid += 1 }
            }
        }
        #expect(valid > 20_000)
    }

    @Test("the eight-bytes-at-a-time plainness check equals appendCSVText's, at every position")
    func plainCheck() {
        var random = SplitMix64(seed: 66)
        let alphabet = Array("abcæø 1=+-@\t\r\n\",;'".utf8)
        var quoted = 0
        for _ in 0..<20_000 {
            let length = random.next(40)
            // Mostly letters, now and then one of the bytes that matter, anywhere in the text.
            var text = (0..<length).map { _ in random.next(8) == 0 ? random.pick(alphabet) : UInt8(ascii: "a") + UInt8(random.next(26)) }
            if !text.isEmpty, random.next(3) == 0 { text[random.next(text.count)] = random.pick(Array("\",;\n\r".utf8)) }
            // Valid UTF-8, as a record's bytes are: the two-byte letters' halves stay together.
            let string = String(decoding: text, as: UTF8.self)
            let bytes = Array(string.utf8)
            for separator in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")] {
                var expected: [UInt8] = []
                BatchResultWriter.appendCSVText(string, separator: separator, to: &expected)
                let plain = bytes.withUnsafeBufferPointer { BatchResultWriter.isPlainCSV($0, separator: separator) }
                #expect(plain == (expected == bytes), "\(string)")
                if !plain { quoted += 1 }
            }
        }
        #expect(quoted > 10_000)
    }

    /// Ids and names a caseworker's file may hold: every character the CSV writer treats
    /// specially, at the start and inside, and letters beyond ASCII.
    static let awkward = [
        "Plain", "=SUM(A1)", "+45 22 33", "-5", "@kontor", "\tTab", "Smith, Jones", "Semi;colon", "Bager \"Brød\"",
        "Line\nbreak", "Carriage\rreturn", "Ærø Café", "naïve 🚀 日本", "e\u{301}", "'quoted'", "  spaced  ", "a=b", "x@y",
    ]

    /// A CSV cell as a spreadsheet writes it: quoted when it holds the separator, a quote or a line break.
    static func cell(_ text: String, separator: Character) -> String {
        guard text.contains(separator) || text.contains("\"") || text.contains("\n") || text.contains("\r") else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A batch for `BatchFixtures`' rule sets whose ids and names are drawn from `awkward`, some
    /// blank, whose CVR numbers are plain, spaced or missing; with the texts each row should show.
    static func input(rows: Int, separator: Character, seed: UInt64) -> (text: String, rows: [(id: String?, name: String?, cvr: String?)]) {
        var random = SplitMix64(seed: seed)
        var lines = [BatchFixtures.header.replacingOccurrences(of: ",", with: String(separator))]
        var expected: [(id: String?, name: String?, cvr: String?)] = []
        for number in 1...rows {
            let id = random.next(5) == 0 ? "" : random.pick(awkward) + "\(number)"
            let name = random.next(6) == 0 ? random.pick(["", "   "]) : random.pick(awkward) + " \(number)"
            let plainCVR = PlainResultRowTests.validCVR(&random)
            let cvr: String
            let shown: String?
            switch random.next(4) {
            case 0: (cvr, shown) = ("", nil)
            case 1:
                // Written with spaces: read as the same number, shown as its eight digits.
                let digits = Array(plainCVR)
                cvr = String(digits[0..<2]) + " " + String(digits[2..<4]) + " " + String(digits[4..<6]) + " " + String(digits[6..<8])
                shown = plainCVR
            default: (cvr, shown) = (plainCVR, plainCVR)
            }
            let decimal = separator == ";" ? "," : "."
            let fields = [
                id, name, cvr, "2024", random.pick(["aps", "forening", "enkeltmandsvirksomhed"]),
                "\(random.next(1000))\(decimal)00", "\(random.next(1000))\(decimal)00", String(random.next(5)),
                String(random.next(100)), random.pick(["true", "false"]), "",
            ]
            lines.append(fields.map { cell($0, separator: separator) }.joined(separator: String(separator)))
            let blankName = name.allSatisfy { $0 == " " }
            expected.append((id.isEmpty ? nil : id, blankName ? nil : name, shown))
        }
        return (lines.joined(separator: "\n") + "\n", expected)
    }

    static func run(
        _ input: String, format: BatchOutputFormat, plain: Bool, jobs: Int, layout: BatchResultLayout = .long,
        language: Language = .english, ruleSets: [RuleSet] = BatchFixtures.ruleSets(), borderline: Exact? = nil,
        keptSlotBudget: Int = DecidingPlan.keptSlotBudget
    ) -> String {
        var options = BatchOptions(language: language, sourceName: "firms.csv")
        options.plainResultRows = plain
        options.borderline = borderline
        options.keptSlotBudget = keptSlotBudget
        (options.jobs, options.blockSize, options.outputFormat, options.layout) = (jobs, 5, format, layout)
        let sink = MemorySink()
        _ = BatchRunner(ruleSets: ruleSets, options: options).run(ArraySource(Array(input.utf8)), to: sink)
        return sink.text
    }

    /// The wide layout's CSV row is written cell by cell as it comes; the reference collects the
    /// row into cells first, as an xlsx row is. Awkward ids and names, a carried column, and rows
    /// that are undetermined (a blank cell), rejected (a cell that is no number), before the rule
    /// sets' periods (2012), duplicated (the same CVR number and year) or with an unchecked identity.
    @Test("wide CSV rows written as they come equal the rows collected into cells", arguments: [Character(","), ";"])
    func wideRowsDirect(separator: Character) {
        let (generated, _) = Self.input(rows: 400, separator: separator, seed: separator == "," ? 71 : 72)
        var lines = generated.split(separator: "\n").map(String.init)
        lines[0] += "\(separator)comment"
        var random = SplitMix64(seed: separator == "," ? 73 : 74)
        let decimal = separator == ";" ? "," : "."
        for index in 1..<lines.count {
            let comment = random.pick(Self.awkward + ["", "", "plain note"])
            lines[index] += String(separator) + Self.cell(comment, separator: separator)
        }
        for number in 0..<200 {
            let id = random.pick(Self.awkward + ["X\(number)", "", "=1+1"])
            let fields = [
                id, random.pick(Self.awkward), random.pick(["13748136", "", "1374813", "13 74 81 36"]),
                random.pick(["2024", "2012", "", "år"]), random.pick(["aps", "forening", "enkeltmandsvirksomhed", ""]),
                random.pick(["100\(decimal)00", "", "abc", "0"]), random.pick(["80\(decimal)00", "", "1\(decimal)5"]),
                random.pick(["1", "", "-2"]), random.pick(["10", "60", ""]), random.pick(["true", "false", "", "måske"]),
                random.pick(["", "a note"]), random.pick(Self.awkward + [""]),
            ]
            lines.append(fields.map { Self.cell($0, separator: separator) }.joined(separator: String(separator)))
        }
        let input = lines.joined(separator: "\n") + "\n"
        // The criteria's, labels' and reasons' own texts as hostile as the rows': a formula start,
        // the separators; the first criterion plain, so that only a later piece needs quotes.
        let hostile = loadRules([
            ("alpha.rules", BatchFixtures.alpha), ("beta.rules", Self.hostileBeta(first: "=Mest salg")),
        ]).ruleSets
        let commaLater = loadRules([
            ("alpha.rules", BatchFixtures.alpha.replacingOccurrences(of: "\"Har ansatte\"", with: "\"Har, ansatte\"")),
            ("beta.rules", Self.hostileBeta(first: "Mest salg")),
        ]).ruleSets
        #expect(hostile.count == 2 && commaLater.count == 2, "the hostile test rules do not check")
        for (language, rules) in [
            (Language.english, BatchFixtures.ruleSets()), (.danish, BatchFixtures.ruleSets()), (.danish, hostile), (.danish, commaLater),
        ] {
            for jobs in [1, 2] {
                let direct = Self.run(input, format: .csv, plain: true, jobs: jobs, layout: .wide, language: language, ruleSets: rules)
                let collected = Self.run(input, format: .csv, plain: false, jobs: jobs, layout: .wide, language: language, ruleSets: rules)
                #expect(direct == collected, "\(language), --jobs \(jobs)")
                #expect(direct.split(separator: "\n").count > 600)
                for expected in ["undetermined", "rejected", "determined"] {
                    #expect(direct.contains(expected), "no \(expected) row in the test's output")
                }
            }
        }
    }

    /// `BatchFixtures.beta` with texts that need quotes or the formula guard in a CSV cell.
    static func hostileBeta(first: String) -> String {
        BatchFixtures.beta
            .replacingOccurrences(of: "\"Mest salg\"", with: "\"\(first)\"")
            .replacingOccurrences(of: "\"Sælger\" en \"Seller\"", with: "\"Sælger; ja\" en \"Seller, yes\"")
    }

    @Test(
        "CSV results show each row's texts as the String path writes them, on the one-buffer and the general path",
        arguments: [Character(","), ";"])
    func csvColumns(separator: Character) {
        let (input, rows) = Self.input(rows: 600, separator: separator, seed: separator == "," ? 61 : 62)
        let byte = UInt8(ascii: separator.unicodeScalars.first!)
        for plain in [true, false] {
            for jobs in [1, 2] {
                let output = Self.run(input, format: .csv, plain: plain, jobs: jobs)
                var missing = 0
                for (index, row) in rows.enumerated() {
                    var prefix: [UInt8] = Array("\n\(index + 2)".utf8)
                    for text in [row.id, row.cvr, row.name] {
                        prefix.append(byte)
                        if let text { BatchResultWriter.appendCSVText(text, separator: byte, to: &prefix) }
                    }
                    prefix.append(byte)
                    if !output.contains(String(decoding: prefix, as: UTF8.self)) { missing += 1 }
                }
                #expect(missing == 0, "\(missing) rows without their texts (plain \(plain), jobs \(jobs))")
            }
        }
        // The two paths agree byte for byte, and the awkward texts did reach the general writer.
        let general = Self.run(input, format: .csv, plain: false, jobs: 1)
        #expect(Self.run(input, format: .csv, plain: true, jobs: 1) == general)
        #expect(general.contains("\"'=SUM(A1)"), "no formula guard was exercised")
        #expect(general.contains("\"Line\nbreak"), "no line break was exercised")
    }

    @Test("JSON Lines results show each row's texts as JSONOutput quotes them")
    func jsonColumns() {
        let (input, rows) = Self.input(rows: 300, separator: ",", seed: 63)
        let output = Self.run(input, format: .jsonl, plain: true, jobs: 1)
        for (index, row) in rows.enumerated() {
            var expected: [UInt8] = Array("{\"row\":\(index + 2),\"id\":".utf8)
            for (key, text) in [("", row.id), (",\"cvr\":", row.cvr), (",\"name\":", row.name)] {
                expected += key.utf8
                if let text { JSONOutput.appendQuoted(text, to: &expected) } else { expected += "null".utf8 }
            }
            #expect(output.contains(String(decoding: expected, as: UTF8.self)), "row \(index + 2)")
        }
    }

    @Test("the wide layout shows each row's texts as the String path writes them")
    func wideLayout() {
        let (input, rows) = Self.input(rows: 200, separator: ",", seed: 64)
        var options = BatchOptions(language: .danish, sourceName: "firms.csv")
        options.layout = .wide
        let sink = MemorySink()
        _ = BatchRunner(ruleSets: BatchFixtures.ruleSets(), options: options).run(ArraySource(Array(input.utf8)), to: sink)
        var missing = 0
        for (index, row) in rows.enumerated() {
            // The wide row starts with the row number, then the id, name and CVR number.
            var prefix: [UInt8] = Array("\n\(index + 2),".utf8)
            for text in [row.id, row.name, row.cvr] {
                if let text { BatchResultWriter.appendCSVText(text, separator: UInt8(ascii: ","), to: &prefix) }
                prefix.append(UInt8(ascii: ","))
            }
            if !sink.text.contains(String(decoding: prefix, as: UTF8.self)) { missing += 1 }
        }
        #expect(missing == 0, "\(missing) wide rows without their texts")
    }
}
