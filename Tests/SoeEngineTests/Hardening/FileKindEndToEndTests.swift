import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// Class 7 of issue 17, the file-level messages: each wrong kind of file gets its real reason and
/// the fix, never "no such file" or "not valid JSON" alone. Each test runs the built binary.
@Suite("files of the wrong kind get their real reason (end to end)")
struct FileKindEndToEndTests {
    static let rules = TestPaths.rules + "/rsv_2014.rules"
    static let sample = TestPaths.samples + "/kaffekollektivet.json"

    func sampleBytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.sample))) }

    @Test("a file name that is not UTF-8 is not reported as missing")
    func nameNotUTF8() throws {
        let scratch = try HardeningScratch()
        defer { scratch.remove() }
        // Made by the shell from the raw bytes of the name: the test's own strings cannot hold them.
        let touch = Process()
        touch.executableURL = URL(fileURLWithPath: "/bin/sh")
        touch.arguments = ["-c", "touch \"$(printf 'bad\\377.json')\""]
        touch.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        try touch.run()
        touch.waitUntilExit()
        #expect(touch.terminationStatus == 0)
        let run = try runSoe(["evaluate", "--rules", Self.rules, scratch.path + "/bad\u{FFFD}.json"])
        #expect(run.exitCode == 5)
        #expect(run.stderr.contains("not valid UTF-8"))
        #expect(run.stderr.contains("rename it"))
        #expect(!run.stderr.contains("no such file"))
        #expect(run.stdout.isEmpty)
    }

    @Test("a symbolic-link loop says so, for a firm file and for a batch")
    func linkLoop() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/a.json", withDestinationPath: "b.json")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/b.json", withDestinationPath: "a.json")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/a.csv", withDestinationPath: "a.csv")
        for name in ["a.json", "b.json", "a.csv"] { scratch.remember(name) }
        for name in ["a.json", "a.csv"] {
            let run = try runSoe(["evaluate", "--rules", Self.rules, scratch.path + "/" + name])
            #expect(run.exitCode == 5)
            #expect(run.stderr.contains("symbolic links"))
            #expect(run.stderr.contains("fix or remove the link"))
            #expect(!run.stderr.contains("no such file"))
            #expect(run.stdout.isEmpty)
        }
        // A rule file given as a loop, too.
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/x.rules", withDestinationPath: "x.rules")
        scratch.remember("x.rules")
        let rules = try runSoe(["evaluate", "--rules", scratch.path + "/x.rules", Self.sample])
        #expect(rules.exitCode == 5)
        #expect(rules.stderr.contains("symbolic links"))
        scratch.expectNothingLost()
    }

    @Test("a dangling link, a missing file and a folder are told apart")
    func missingAndFolder() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/gone.json", withDestinationPath: "nowhere.json")
        scratch.remember("gone.json")
        let dangling = try runSoe(["evaluate", "--rules", Self.rules, scratch.path + "/gone.json"])
        #expect(dangling.exitCode == 5)
        #expect(dangling.stderr.contains("symbolic link to a file that does not exist"))
        let missing = try runSoe(["evaluate", "--rules", Self.rules, scratch.path + "/missing.json"])
        #expect(missing.exitCode == 5)
        #expect(missing.stderr.contains("no such file"))
        let folder = try runSoe(["evaluate", "--rules", Self.rules, scratch.path])
        #expect(folder.exitCode == 5)
        #expect(folder.stderr.contains("folder"))
        scratch.expectNothingLost()
    }

    @Test(
        "UTF-16 with and without a byte-order mark, and Windows-1252, are named, with save as UTF-8",
        arguments: [
            ("utf16", "UTF-16 (little-endian, with a byte-order mark)"),
            ("utf16be", "UTF-16 (big-endian, with a byte-order mark)"),
            ("utf16le", "UTF-16 (little-endian, without a byte-order mark)"),
            ("cp1252", "Windows-1252"),
        ])
    func encodings(encoding: String, expected: String) throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let text = String(decoding: try sampleBytes(), as: UTF8.self).replacingOccurrences(of: "Kaffekollektivet", with: "Kaffe Bæk")
        let bytes: [UInt8]
        switch encoding {
        case "utf16": bytes = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case "utf16be": bytes = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case "utf16le": bytes = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        default: bytes = [UInt8](text.data(using: .windowsCP1252) ?? Data())
        }
        #expect(!bytes.isEmpty)
        let firm = try scratch.write("firm.json", bytes)
        let run = try runSoe(["evaluate", "--rules", Self.rules, firm])
        #expect(run.exitCode == 4)
        #expect(run.stderr.contains(expected))
        #expect(run.stderr.contains("save"))
        #expect(run.stderr.contains("UTF-8"))
        #expect(run.stdout.isEmpty)
        let danish = try runSoe(["evaluate", "--rules", Self.rules, "--lang", "da", firm])
        #expect(danish.exitCode == 4)
        #expect(danish.stderr.contains("gem"))
        scratch.expectNothingLost()
    }

    /// Excel for Mac's "Comma Separated Values" of the sample batch: Mac Roman, lines ending in a
    /// carriage return alone, a firm named with an 'ø' (0xBF, Windows-1252's '¿').
    @Test("Excel for Mac's \"CSV\" (Mac Roman) is refused with both readings and the fix, in both languages, nothing written")
    func macRoman() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let text = try String(contentsOfFile: TestPaths.samples + "/batch/firms.csv", encoding: .utf8)
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        lines[2] = lines[2].replacingOccurrences(of: "ApS", with: "Bjørn ApS")
        let bytes = lines.joined(separator: "\r").unicodeScalars.map { $0 == "ø" ? UInt8(0xBF) : UInt8($0.value) }
        #expect(bytes.contains(0xBF) && !bytes.contains(0x0A))
        let firms = try scratch.write("firms.csv", bytes)
        let output = scratch.path + "/results.csv"
        let run = try runSoe(["evaluate", "--rules", TestPaths.rules, firms, "--no-progress", "--output", output])
        #expect(run.exitCode == 5)
        #expect(run.stderr.contains("byte 0xBF at line 3 is 'ø' in Mac Roman and '¿' in Windows-1252"), "\(run.stderr)")
        #expect(run.stderr.contains("save it as \"CSV UTF-8\""))
        let danish = try runSoe(["evaluate", "--rules", TestPaths.rules, "--lang", "da", "--no-progress", firms])
        #expect(danish.exitCode == 5)
        #expect(danish.stderr.contains("i linje 3 er 'ø' i Mac Roman"), "\(danish.stderr)")
        scratch.expectNothingLost()
    }

    /// Workbooks a caseworker has that are not .xlsx: a real Excel 97-2003 file (LibreOffice's
    /// "Excel 97-2003" of xlsx-firms.fods), the LibreOffice workbook protected by a password
    /// (msoffcrypto-tool, as Excel stores it: an OLE compound file with the stream
    /// EncryptedPackage; .ci/make-xlsx-fixtures.sh says how both are made), an empty file, a
    /// flat OpenDocument spreadsheet and soe's own HTML overview.
    @Test(
        "an .xls, a password-protected .xlsx, an empty .xlsx, a .fods and an HTML page are named as what they are, with the fix",
        arguments: [
            (
                "xlsx-firms.xls",
                "the file is an Excel 97-2003 workbook (.xls, an OLE compound file), not JSON; save it as an Excel Workbook (.xlsx)"
            ),
            ("xlsx-firms.xls:as.xlsx", "the file is an Excel 97-2003 workbook (.xls, an OLE compound file), not an .xlsx workbook"),
            (
                "xlsx-firms.xls:as.csv",
                "the file is an Excel 97-2003 workbook (.xls) or a workbook protected by a password (an OLE compound file), not CSV"
            ),
            ("xlsx-password.xlsx", "the workbook is protected by a password (encrypted)"),
            (":empty.xlsx", "the file is empty (0 bytes), not an .xlsx workbook"),
            (":sheet.fods", "the file is an OpenDocument spreadsheet saved as flat XML (.fods), not JSON"),
            (":overview.csv", "the file is a web page (HTML), such as soe's own overview, not CSV"),
        ])
    func otherWorkbooks(file: String, expected: String) throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let parts = file.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let bytes: [UInt8]
        switch parts[0] {
        case "":
            bytes =
                parts[1].hasSuffix(".fods")
                ? Array(
                    #"<?xml version="1.0" encoding="UTF-8"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">"#
                        .utf8)
                : parts[1].hasSuffix(".csv") ? Array("<!DOCTYPE html>\n<html lang=\"da\"><head>".utf8) : []
        default: bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixtures + "/spreadsheets/" + parts[0])))
        }
        let name = parts.count > 1 ? parts[1] : parts[0]
        let path = try scratch.write(name, bytes)
        let run = try runSoe(["evaluate", "--rules", Self.rules, path])
        #expect(run.exitCode != 0)
        #expect(run.stderr.contains(expected), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let danish = try runSoe(["evaluate", "--rules", Self.rules, "--lang", "da", path])
        #expect(!danish.stderr.contains(expected), "\(danish.stderr)")
        scratch.expectNothingLost()
    }

    @Test("a CSV piped to - without --input-format is named as CSV, with the flag")
    func csvOnStandardInput() throws {
        let csv = "id,name,cvr,fiscal_year\n1,Kaffe,13748136,2024\n"
        let run = try runSoe(["evaluate", "--rules", Self.rules, "-"], stdin: csv)
        #expect(run.exitCode == 4)
        #expect(run.stderr.contains("looks like CSV"))
        #expect(run.stderr.contains("--input-format csv"))
        #expect(run.stdout.isEmpty)
        // With the flag, the same input is a batch.
        let batch = try runSoe(["evaluate", "--rules", Self.rules, "--input-format", "csv", "--no-progress", "-"], stdin: csv)
        #expect(batch.exitCode == 0)
        #expect(batch.stderr.contains("1 row read"))
        // JSON Lines on standard input is named too.
        let lines = "{\"name\":\"A\",\"fiscal_year\":2024}\n{\"name\":\"B\",\"fiscal_year\":2024}\n"
        let jsonl = try runSoe(["evaluate", "--rules", Self.rules, "-"], stdin: lines)
        #expect(jsonl.exitCode == 4)
        #expect(jsonl.stderr.contains("JSON Lines"))
        #expect(jsonl.stderr.contains("--input-format jsonl"))
        #expect(jsonl.stdout.isEmpty)
        // Text after one object, on its own line, is text after the value: not a batch.
        let trailing = try runSoe(["evaluate", "--rules", Self.rules, "-"], stdin: "{\"name\":\"A\",\"fiscal_year\":2024}xyz\n")
        #expect(trailing.exitCode == 4)
        #expect(!trailing.stderr.contains("JSON Lines"), "\(trailing.stderr)")
        #expect(trailing.stderr.contains("unexpected text after the JSON value"), "\(trailing.stderr)")
    }

    @Test("a gzip file is named as compressed, as a firm file, as a CSV batch and on standard input")
    func gzip() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let bytes: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0x4B, 0x4C, 0x4A, 0x06, 0]
        let single = try scratch.write("firm.json.gz", bytes)
        let batch = try scratch.write("firms.csv", bytes)
        let lines = try scratch.write("firms.jsonl", bytes)
        for (path, what) in [(single, "not JSON"), (batch, "not CSV"), (lines, "not JSON Lines")] {
            let run = try runSoe(["evaluate", "--rules", Self.rules, path])
            #expect(run.exitCode == 4)
            #expect(run.stderr.contains("gzip-compressed"))
            #expect(run.stderr.contains(what))
            #expect(run.stderr.contains("decompress it first"))
            #expect(run.stdout.isEmpty)
        }
        let output = scratch.path + "/out.csv"
        let run = try runSoe(["evaluate", "--rules", Self.rules, batch, "--output", output])
        #expect(run.exitCode == 4)
        #expect(!FileManager.default.fileExists(atPath: output))
        scratch.expectNothingLost()
    }

    @Test("a JSON array and pretty-printed JSON saved as .jsonl are named, with one object per line")
    func jsonArrayAsLines() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let firm = String(decoding: try sampleBytes(), as: UTF8.self)
        let array = try scratch.write("array.jsonl", "[\n" + firm + ",\n" + firm + "\n]\n")
        let pretty = try scratch.write("pretty.jsonl", firm)
        let arrayRun = try runSoe(["evaluate", "--rules", Self.rules, array])
        #expect(arrayRun.exitCode == 4)
        #expect(arrayRun.stderr.contains("JSON array, not JSON Lines"))
        #expect(arrayRun.stderr.contains("one firm object per line"))
        #expect(arrayRun.stdout.isEmpty)
        let prettyRun = try runSoe(["evaluate", "--rules", Self.rules, pretty])
        #expect(prettyRun.exitCode == 4)
        #expect(prettyRun.stderr.contains("pretty-printed JSON"))
        #expect(prettyRun.stderr.contains("one object on one line"))
        scratch.expectNothingLost()
    }

    @Test("a decision record given as firm data is refused, pointing to soe verify")
    func recordAsFirmData() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let made = try runSoe(["evaluate", "--rules", Self.rules, "--format", "record", Self.sample])
        #expect(made.exitCode == 0)
        let record = try scratch.write("record.json", made.stdout)
        let run = try runSoe(["evaluate", "--rules", Self.rules, record])
        #expect(run.exitCode == 4)
        #expect(run.stderr.contains("decision record (soe-record/1), not firm data"))
        #expect(run.stderr.contains("soe verify"))
        #expect(run.stdout.isEmpty)
        // A record on one line of a JSON Lines batch is a rejected row, with the same reason.
        let line = made.stdout.replacingOccurrences(of: "\n", with: "")
        let lines = try scratch.write("records.jsonl", line + "\n")
        let batch = try runSoe(["evaluate", "--rules", Self.rules, "--no-progress", lines])
        #expect(batch.exitCode == 4)
        #expect(batch.stderr.contains("decision record") || batch.stdout.contains("decision record"))
        scratch.expectNothingLost()
    }

    @Test("the same data error 100,000 times prints 100 lines and one line with the count")
    func repeatedErrors() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let members = Array(repeating: "\"market_sales\":1", count: 100_000).joined(separator: ",")
        let firm = try scratch.write("repeated.json", "{\"name\":\"x\",\"fiscal_year\":2024," + members + "}")
        let run = try runSoe(["evaluate", "--rules", Self.rules, firm])
        #expect(run.exitCode == 4)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == DisplayText.repeatedMessageLimit + 1)
        #expect(lines.last?.contains("99899 more errors; only the first 100 are shown") == true)
        #expect(lines.first?.contains("appears more than once") == true)
        scratch.expectNothingLost()
    }

    @Test("a batch header with 300 unknown columns prints 100 errors and one line with the count")
    func repeatedHeaderErrors() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        // Names close to an input's (market_sales): a column of one's own would be carried, not refused.
        let columns = (1...300).map { "market_sales_\($0)" }.joined(separator: ",")
        let input = try scratch.write("wide.csv", "id,fiscal_year," + columns + "\n1,2024" + String(repeating: ",", count: 300) + "\n")
        let run = try runSoe(["evaluate", "--rules", Self.rules, input])
        #expect(run.exitCode == 4)
        let lines = run.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(lines.count == DisplayText.repeatedMessageLimit + 1)
        #expect(lines.last?.hasSuffix("error: 200 more problems; only the first 100 are shown") == true)
        #expect(run.stderr.contains("the header row has 300 problems"))
        #expect(run.stdout.isEmpty)
        scratch.expectNothingLost()
    }

    @Test("a megabyte value is quoted cut short, with the bytes left out")
    func megabyteValue() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let huge = String(repeating: "9", count: 1_000_000) + "x"
        let firm = try scratch.write("huge.json", "{\"name\":\"x\",\"fiscal_year\":2024,\"market_sales\":\"\(huge)\"}")
        let run = try runSoe(["evaluate", "--rules", Self.rules, firm])
        #expect(run.exitCode == 4)
        #expect(run.stderr.utf8.count < 1_000)
        #expect(run.stderr.contains(String(repeating: "9", count: 60) + "… (+999941 bytes)"))
        #expect(run.stderr.contains("market_sales"))
        // And as a key: an unknown field name of a megabyte.
        let key = String(repeating: "k", count: 1_000_000)
        let keyed = try scratch.write("key.json", "{\"name\":\"x\",\"fiscal_year\":2024,\"\(key)\":1}")
        let keyRun = try runSoe(["evaluate", "--rules", Self.rules, keyed])
        #expect(keyRun.exitCode == 0)
        #expect(keyRun.stderr.utf8.count < 1_000)
        #expect(keyRun.stderr.contains("(+999940 bytes)"))
        scratch.expectNothingLost()
    }
}
