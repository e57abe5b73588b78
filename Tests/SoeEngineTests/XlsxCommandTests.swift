import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine

/// End to end: `soe evaluate` on .xlsx workbooks, run as a caseworker runs it.
@Suite("soe evaluate on .xlsx")
struct XlsxCommandTests {
    static let folder = TestPaths.fixtures + "/spreadsheets"
    static let workbook = folder + "/xlsx-firms.xlsx"
    static let shown = folder + "/xlsx-firms-shown.csv"
    static let raw = folder + "/xlsx-firms-raw.csv"

    /// A fresh temporary folder for files a test writes.
    func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("soe-xlsx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test("a first sheet with no cells names the other sheets and --sheet, rather than 'the input is empty'")
    func emptyFirstSheet() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let firms: [[XlsxMaker.Cell]] = [[.shared("id"), .shared("fiscal_year")], [.shared("S1"), .number("2024")]]
        try write(XlsxMaker(sheets: [("Ark1", []), ("Firmaer", firms)]).bytes(), folder + "/two.xlsx")
        let run = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", folder + "/two.xlsx"])
        #expect(run.exitCode != 0)
        #expect(
            run.stderr.contains("the sheet 'Ark1' has no cells; the workbook's other sheets are 'Firmaer': give --sheet NAME"),
            "\(run.stderr)")
        let chosen = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", "--sheet", "Firmaer", folder + "/two.xlsx"])
        #expect(chosen.stderr.contains("1 row read"), "\(chosen.stderr)")
    }

    @Test("the same workbook archived as ZIP64 (Info-ZIP's zip -fz) gives the same results, byte for byte")
    func zip64Workbook() throws {
        let plain = try runSoe(["evaluate", "--rules", "rules/", Self.workbook])
        let wide = try runSoe(["evaluate", "--rules", "rules/", Self.folder + "/xlsx-firms-zip64.xlsx"])
        #expect(plain.exitCode == 0 && wide.exitCode == 0, "\(wide.stderr)")
        #expect(wide.stdout == plain.stdout && wide.stdout.contains("S030"))
    }

    @Test("the LibreOffice workbook and its CSV exports give the same result for every firm, in every output format")
    func sameAsCSV() throws {
        for extra in [
            ["--format", "csv"], ["--format", "jsonl"], ["--format", "jsonl", "--lang", "da"], ["--format", "html", "--title", "T"],
        ] {
            let fromSheet = try runSoe(["evaluate", "--rules", "rules/"] + extra + [Self.workbook])
            #expect(fromSheet.exitCode == 0, "\(extra): \(fromSheet.stderr)")
            #expect(fromSheet.stderr.contains("30 rows read") || fromSheet.stderr.contains("30 rækker læst"), "\(fromSheet.stderr)")
            for csv in [Self.shown, Self.raw] {
                let fromCSV = try runSoe(["evaluate", "--rules", "rules/"] + extra + [csv])
                #expect(fromCSV.exitCode == 0)
                // The HTML overview names the input file under each firm; nothing else may differ.
                let name = { (path: String) in String(path.split(separator: "/").last ?? "") }
                var sheetOut = fromSheet.stdout.replacingOccurrences(of: name(Self.workbook), with: "INPUT")
                // CSV results of a workbook carry a byte-order mark (they go back to a spreadsheet
                // program); the CSV exports here have none, so theirs do not.
                if extra == ["--format", "csv"] {
                    #expect(sheetOut.hasPrefix("\u{FEFF}") && !fromCSV.stdout.hasPrefix("\u{FEFF}"))
                    sheetOut.removeFirst()
                }
                #expect(sheetOut == fromCSV.stdout.replacingOccurrences(of: name(csv), with: "INPUT"), "\(extra) \(csv)")
            }
        }
        // Records hold the input's hash, which differs; the outcomes do not.
        let outcomes = { (text: String) in
            text.split(separator: "\n").map { line in
                line.contains("\"outcome\":null")
                    ? "null" : String(line.split(separator: "\"outcome\":").dropFirst().first?.prefix(30) ?? "")
            }
        }
        let sheetRecords = try runSoe(["evaluate", "--rules", "rules/", "--format", "record", Self.workbook])
        let csvRecords = try runSoe(["evaluate", "--rules", "rules/", "--format", "record", Self.shown])
        #expect(sheetRecords.exitCode == 0)
        #expect(sheetRecords.stdout.split(separator: "\n").count == 90)
        #expect(outcomes(sheetRecords.stdout) == outcomes(csvRecords.stdout))
        // Several threads: the same bytes.
        let one = try runSoe(["evaluate", "--rules", "rules/", Self.workbook])
        let three = try runSoe(["evaluate", "--rules", "rules/", "--jobs", "3", Self.workbook])
        #expect(one.stdout == three.stdout)
        #expect(one.stderr.contains("soe evaluate: sheet 'Virksomheder' (1 of 1), 1900 date system"))
        // The money stored as 4200000.0000000009 and 0.30000000000000004 read as 4200000 and 0.30.
        let trace = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "rsv_2014", "--format", "jsonl", "--trace", Self.workbook])
        #expect(trace.exitCode == 0)
        #expect(!trace.stdout.contains("0000000009") && !trace.stdout.contains("30000000000000004"))
    }

    @Test("an error cell rejects its row, naming the sheet and cell, and no row is lost")
    func errorCell() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rows: [[XlsxMaker.Cell]] = [
            ["id", "name", "cvr", "fiscal_year_end", "market_sales", "public_ownership"].map { .shared($0) },
            [
                .shared("S1"), .shared("Kaffe ApS"), .number("13748136"), .number("45657", style: 2), .number("100000"),
                .number("0.1", style: 1),
            ],
            [.shared("S2"), .shared("Bage ApS"), .number("13906513"), .number("45657", style: 2), .error("#DIV/0!"), .number("0")],
            [.shared("S3"), .inline("Løbe ApS"), .number("14381651"), .number("45657", style: 2), .number("1.005"), .number("0")],
        ]
        let path = folder + "/firmaer.xlsx"
        try write(XlsxMaker(sheets: [("Ark1", rows)]).bytes(), path)
        let result = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", path])
        #expect(result.exitCode == 4)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[2].contains("rejected") && lines[2].contains("Ark1!E3: the cell holds the spreadsheet error #DIV/0!"))
        // 1.005 kr has three decimals: refused, naming the input and the cell, with the sheet's fix.
        #expect(
            lines[3].contains("rejected")
                && lines[3].contains("market_sales (Ark1!E4): the number cell holds 1.005, more than two decimals")
                && lines[3].contains("=ROUND(…, 2)"), "\(lines[3])")
        #expect(lines[1].contains(",S1,") && !lines[1].contains("rejected"))
        #expect(result.stderr.contains("rejected 2 (= 3 rows)"))
        let danish = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "--lang", "da", path])
        #expect(danish.stdout.contains("Ark1!E3: cellen indeholder regnearksfejlen #DIV/0!"))
    }

    @Test("CSV results of a workbook open in columns: `;` and a byte-order mark in Danish, `,` and a mark in English")
    func resultSeparatorByLanguage() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/firmaer.xlsx"
        try write(try Data(contentsOf: URL(fileURLWithPath: Self.workbook)).map { $0 }, path)
        let headers = ["da wide": "Række;Id;Navn;", "da long": "row;id;cvr;", "en wide": "Row,Id,Name,", "en long": "row,id,cvr,"]
        for language in ["da", "en"] {
            for layout in ["wide", "long"] {
                let header = headers["\(language) \(layout)"] ?? ""
                let output = folder + "/results-\(language)-\(layout).csv"
                let run = try runSoe(["evaluate", "--rules", "rules/", "--lang", language, "--layout", layout, "--output", output, path])
                #expect(run.exitCode == 0 || run.exitCode == 4, "\(run.stderr)")
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
                #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "\(language) \(layout)")
                let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
                #expect(text.hasPrefix(header), "\(language) \(layout): \(text.prefix(80))")
                // Every line has the same number of separators outside quotes as the header.
                let separator: Character = language == "da" ? ";" : ","
                func fields(_ line: Substring) -> Int {
                    var (count, quoted) = (1, false)
                    for character in line {
                        if character == "\"" { quoted.toggle() } else if character == separator && !quoted { count += 1 }
                    }
                    return count
                }
                let lines = text.split(separator: "\n")
                #expect(lines.count > 2 && Set(lines.map(fields)).count == 1, "\(language) \(layout)")
            }
        }
    }

    @Test("a formula whose value was never computed rejects its row, naming the cell: it is not read as a blank")
    func uncomputedFormula() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rows: [[XlsxMaker.Cell]] = [
            ["id", "name", "cvr", "fiscal_year_end", "market_sales", "public_ownership"].map { .shared($0) },
            [.shared("S1"), .shared("Kaffe ApS"), .number("13748136"), .number("45657", style: 2), .uncomputed("Ark2!A1"), .number("0")],
            [.shared("S2"), .shared("Bage ApS"), .number("13906513"), .number("45657", style: 2), .number("100000"), .number("0")],
        ]
        let path = folder + "/formler.xlsx"
        try write(XlsxMaker(sheets: [("Ark1", rows)]).bytes(), path)
        let result = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "--layout", "long", path])
        #expect(result.exitCode == 4)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(
            lines[1].contains("rejected") && lines[1].contains("Ark1!E2: the cell holds a formula whose value was never computed"),
            "\(lines[1])")
        #expect(!lines[1].contains("undetermined"), "not read as missing data")
        #expect(!lines[2].contains("rejected"))
        let danish = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "--lang", "da", "--layout", "long", path])
        #expect(danish.stdout.contains("Ark1!E2: cellen indeholder en formel, hvis værdi aldrig er beregnet"))
    }

    @Test("--sheet picks a sheet; an unknown one lists the sheets; a workbook is found by its first bytes")
    func sheets() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let firms: [[XlsxMaker.Cell]] = [
            ["id", "cvr", "fiscal_year", "own_cvr"].map { .shared($0) },
            [.shared("S1"), .number("13748136"), .number("2024"), .bool(true)],
        ]
        var maker = XlsxMaker(sheets: [("Noter", [[.shared("Sagsbehandler: Åse")]]), ("Firmaer 2024", firms)])
        maker.deflated = true
        maker.date1904 = true
        let path = folder + "/firmaer.xlsx"
        try write(maker.bytes(), path)
        let picked = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "--sheet", "Firmaer 2024", path])
        #expect(picked.exitCode == 0, "\(picked.stderr)")
        #expect(picked.stderr.contains("sheet 'Firmaer 2024' (2 of 2), 1904 date system"))
        #expect(picked.stdout.contains(",S1,13748136,"))
        let unknown = try runSoe(["evaluate", "--rules", "rules/", "--sheet", "Firms", path])
        #expect(unknown.exitCode == 4)
        #expect(unknown.stderr.contains("the workbook has no sheet named 'Firms'; its sheets are 'Noter', 'Firmaer 2024'"))
        #expect(unknown.stdout.isEmpty)
        // No extension: the ZIP signature says it is a workbook.
        let plain = folder + "/export"
        try FileManager.default.copyItem(atPath: path, toPath: plain)
        let sniffed = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "--sheet", "Firmaer 2024", plain])
        #expect(sniffed.stdout == picked.stdout)
        // Named .csv but a workbook: said so, with the way to read it.
        let misnamed = folder + "/firmaer.csv"
        try FileManager.default.copyItem(atPath: path, toPath: misnamed)
        let wrong = try runSoe(["evaluate", "--rules", "rules/", misnamed])
        #expect(wrong.exitCode == 4)
        #expect(wrong.stderr.contains("--input-format xlsx"))
        // Named .xlsx but text.
        let text = folder + "/text.xlsx"
        try write(Array("id,cvr\n".utf8), text)
        let notZip = try runSoe(["evaluate", "--rules", "rules/", text])
        #expect(notZip.exitCode == 4)
        #expect(notZip.stderr.contains("not an .xlsx workbook"))
    }

    @Test("records made from a workbook verify against it with soe verify")
    func verify() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let records = folder + "/records.jsonl"
        let made = try runSoe(["evaluate", "--rules", "rules/", "--format", "record", "--output", records, Self.workbook])
        #expect(made.exitCode == 0)
        let verified = try runSoe(["verify", records, "--rules", "rules/", Self.workbook])
        #expect(verified.exitCode == 0, "\(verified.stdout) \(verified.stderr)")
        #expect(verified.stdout.contains("90"), "\(verified.stdout)")
    }

    @Test("what does not start as a ZIP archive is refused at its first bytes, not read to the limit; an .ods is named")
    func notAWorkbook() throws {
        // Zeros without end on standard input: before, read to 256 MiB and refused as too large.
        // (A device named as the input is refused as a device: `DamagedTextTests.namedDevice`.)
        let scratch = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let zero = try Hardening.shell(
            "cat /dev/zero | \"$SOE\" evaluate --rules '\(TestPaths.root)/rules/' --input-format xlsx -", in: scratch, timeout: 60)
        #expect(zero.exitCode == 4, "\(zero.stderr)")
        #expect(zero.stderr.contains("is not an .xlsx workbook (it does not start as a ZIP archive does)"), "\(zero.stderr)")
        #expect(!zero.stderr.contains("larger than"))
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ods = ZipMaker.archive([
            ZipMaker.Entry("mimetype", Array("application/vnd.oasis.opendocument.spreadsheet".utf8)),
            ZipMaker.Entry("content.xml", Array("<office:document-content/>".utf8)),
        ])
        try write(ods, folder + "/firmaer.ods")
        let result = try runSoe(["evaluate", "--rules", "rules/", "--input-format", "xlsx", folder + "/firmaer.ods"])
        #expect(result.exitCode == 4)
        #expect(result.stderr.contains("the file is an OpenDocument spreadsheet (.ods), which soe does not read; save it from LibreOffice"))
        let danish = try runSoe(["evaluate", "--rules", "rules/", "--input-format", "xlsx", "--lang", "da", folder + "/firmaer.ods"])
        #expect(danish.stderr.contains("filen er et OpenDocument-regneark (.ods)"), "\(danish.stderr)")
    }

    @Test("the sheet's rows are counted as written, across writes, and more than a sheet holds fails the output")
    func sheetRowLimit() throws {
        var carry: [UInt8] = []
        #expect(XLSXSink.rowStarts(in: Array("<row><c/></row><ro".utf8), carry: &carry) == 1)
        #expect(XLSXSink.rowStarts(in: Array("w></row><".utf8), carry: &carry) == 1, "a tag split between writes")
        #expect(XLSXSink.rowStarts(in: Array("r".utf8), carry: &carry) == 0)
        #expect(XLSXSink.rowStarts(in: Array("ow>".utf8), carry: &carry) == 1, "a tag split over three writes")
        #expect(XLSXSink.rowStarts(in: Array("<t>&lt;row&gt;</t>".utf8), carry: &carry) == 0, "an escaped text is no row")
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sink = try XLSXSink.create(beside: folder + "/big.xlsx", sheetName: "Ark1").get()
        defer { sink.close() }
        let block = Array(String(repeating: "<row><c/></row>", count: 1 << 16).utf8)
        for _ in 0..<(XlsxSheetReader.maxRow >> 16) { #expect(sink.write(block) == nil) }
        #expect(sink.rows == XlsxSheetReader.maxRow, "exactly a full sheet is written")
        let over = sink.write(Array("<row></row>".utf8))
        #expect(
            over?.message.contains("more rows than an .xlsx sheet holds (1048576, the header included)") == true,
            "\(String(describing: over))")
    }

    @Test("--sheet with CSV, and --dialect with a workbook, are usage errors")
    func usage() throws {
        let sheet = try runSoe(["evaluate", "--rules", "rules/", "--sheet", "Ark1", Self.shown])
        #expect(sheet.exitCode == 2)
        #expect(sheet.stderr.contains("--sheet names a sheet of an .xlsx workbook"))
        let dialect = try runSoe(["evaluate", "--rules", "rules/", "--dialect", "excel-da", Self.workbook])
        #expect(dialect.exitCode == 2)
        #expect(dialect.stderr.contains("--dialect applies to CSV input, not an .xlsx workbook"))
        let format = try runSoe(["evaluate", "--rules", "rules/", "--input-format", "ods", Self.workbook])
        #expect(format.exitCode == 2)
        #expect(format.stderr.contains("csv, jsonl, xlsx"))
    }
}
