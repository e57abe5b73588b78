import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Issue 6's catalogue of bad batch input, one case per line of the list: each through the real
/// `soe` binary, asserting the exit code and the message a caseworker reads. No case may crash,
/// stop the batch early, or lose a row without saying so.
@Suite("bad input catalogue: batches")
struct BatchBadInputCatalogueTests {
    static let rules = """
        ruleset t "Test" en "Test"
          source "test"
          in force from 2015-01-01
        input market_sales: money "Salg" min 0 kr
        input staff: count "Ansatte"
        criterion big "Stor" cite "test" = market_sales > 1000 kr
        classify
          large "Stor" when big reason "r"
          otherwise small "Lille" reason "r"
        """
    static let header = "name,cvr,fiscal_year,market_sales,staff\n"

    struct Case: Sendable, CustomTestStringConvertible {
        var note: String
        var csv: String
        var exitCode: Int32
        /// Text that must appear on standard output (the results) or standard error.
        var stdout: [String]
        var stderr: [String]
        /// Text that must appear in neither.
        var absent: [String] = []
        var testDescription: String { note }
    }

    static let cases: [Case] = [
        Case(
            note: "duplicate CVR rows: both evaluated, the second flagged",
            csv: header
                + "A,13748136,2024,2000,3\nB,13748136,2024,10,1\n", exitCode: 0,
            stdout: ["3,,13748136,B,2024,t,determined,small,Lille,big=no,,,an earlier row has the same CVR number and fiscal year,"],
            stderr: ["1 duplicate of CVR number and fiscal year flagged", "(= 2 rows)"]),
        Case(
            note: "a missing header: the first row is data", csv: "A,13748136,2024,2000,3\n", exitCode: 4,
            stdout: [], stderr: ["is not a header: none of its names is an input of the rule sets", "no row was evaluated"]),
        Case(
            note: "a row with too few columns is rejected, the next is read",
            csv: header
                + "A,13748136,2024,2000\nC,13748136,2022,5,1\n", exitCode: 4,
            stdout: [
                "2,,13748136,A,,t,rejected,,,,,,\"id, cvr and name were read from a row that could not be read whole",
                "the row has 4 fields; the header has 5", "3,,13748136,C,2022,t,determined,small",
            ],
            stderr: ["2 rows read", "(1 rejected)"]),
        Case(
            note: "a row with too many columns is rejected with a hint", csv: header + "B,13748136,2023,10,1,9\n", exitCode: 4,
            stdout: ["the row has 6 fields; the header has 5 (a separator inside a value that is not in quotes?)"],
            stderr: ["(= 1 row)"]),
        Case(
            note: "a quote that never closes is a rejected row with the line it opened on",
            csv: header
                + "\"A,13748136,2024,2000,3\n", exitCode: 4,
            stdout: ["2,,,,,t,rejected", "quote opened at line 2 never closes"], stderr: ["1 row read"]),
        Case(
            note: "the lines after a quote that never closes are named as taken by it",
            csv: header
                + "\"A,13748136,2024,2000,3\nB,14381651,2024,2000,3\nC,14460845,2024,2000,3\n", exitCode: 4,
            stdout: [
                "2,,,,,t,rejected",
                "quote opened at line 2 never closes: lines 2 to 4 (3 lines), to the end of the input, are one unfinished field",
            ],
            stderr: ["1 row read", "1 rejected row took 3 lines"]),
        Case(
            note: "an empty file has no header", csv: "", exitCode: 4,
            stdout: [], stderr: ["the input is empty; a batch CSV starts with a header row"]),
        Case(
            note: "a header and no rows: an empty result with its header, nothing rejected", csv: header, exitCode: 0,
            stdout: ["row,id,cvr,name,fiscal_year,rule_set,status"], stderr: ["0 rows read"]),
        Case(
            note: "an invalid CVR check digit rejects only that row",
            csv: header
                + "A,13748137,2024,2000,3\nB,13748136,2024,2000,3\n", exitCode: 4,
            stdout: ["not a valid CVR number", "3,,13748136,B,2024,t,determined,large"], stderr: ["(1 rejected)"]),
        // Session 20, from the hostile inputs' trial: a NUL byte, quoted or not, rejects its row
        // (it was written raw into the results); the next row is read.
        Case(
            note: "a NUL byte in a name rejects that row, named with its field; the next row is read",
            csv: header + "A\u{0}B,13748136,2024,2000,3\nC,14381651,2024,5,1\n", exitCode: 4,
            stdout: [
                "line 2, column 2: NUL byte (U+0000) in field 1: a CSV file holds none (a damaged file, or one that is not text?)",
                "3,,14381651,C,2024,t,determined,small",
            ],
            stderr: ["2 rows read", "(1 rejected)"]),
        Case(
            note: "a NUL byte inside a quoted field rejects that row too",
            csv: header + "\"A\u{0}\",13748136,2024,2000,3\n", exitCode: 4,
            stdout: ["NUL byte (U+0000) in field 1"], stderr: ["(1 rejected)"]),
        // A byte-order mark at the start of a row (two files joined) would make the id another
        // than the one shown; the file's own mark, at its start, is read as ever.
        Case(
            note: "a byte-order mark at the start of a data row rejects that row",
            csv: "\u{FEFF}" + header + "\u{FEFF}A,13748136,2024,2000,3\nC,14381651,2024,5,1\n", exitCode: 4,
            stdout: [
                "field 1 starts with a byte-order mark (U+FEFF), which belongs only at the start of a file (were two files joined into one?); delete it",
                // The rejected row's name is kept without the mark.
                "2,,13748136,A,,t,rejected",
                "3,,14381651,C,2024,t,determined,small",
            ],
            stderr: ["(1 rejected)"]),
        Case(
            note: "a byte-order mark at the start of a later field rejects that row too",
            csv: header + "Ærø,13748136,2024,\u{FEFF}2000,3\n", exitCode: 4,
            stdout: ["field 4 starts with a byte-order mark (U+FEFF)"], stderr: ["(1 rejected)"]),
        Case(
            note:
                "a fiscal year across two calendar years: the closing date is the way to give it; spaces around a year are not part of it",
            csv: header + "A,13748136,2024/25,2000,3\nB,14381651, 2024 ,5,1\n", exitCode: 4,
            stdout: [
                "a fiscal year across two calendar years (2024 to 2025) is given by its closing date: leave fiscal_year out and give fiscal_year_end, such as 2025-06-30",
                "3,,14381651,B,2024,t,determined,small",
            ],
            stderr: ["(1 rejected)"]),
        Case(
            note: "a closing date in the American order, and a spreadsheet's day number: each said as what it is, with the date to write",
            csv:
                "name,cvr,fiscal_year_end,market_sales,staff\nA,13748136,06/30/2024,2000,3\nB,14381651,45473,5,1\nC,14460845,2024-02-30,5,1\n",
            exitCode: 4,
            stdout: [
                "found \"\"06/30/2024\"\": \"\"06/30/2024\"\" puts the month first, as American programs write dates; write 2024-06-30",
                "45473 is a spreadsheet's day number for 2024-06-30, not a date; format the cell as a date, or write 2024-06-30",
                "there is no day 30 in month 2 of 2024, which has 29 days",
            ],
            stderr: ["(3 rejected)"]),
        Case(
            note: "a header name with an invisible character is named with its code point",
            csv: "name,cvr,fiscal_year,market_sales\u{200B},staff\nA,13748136,2024,2000,3\n", exitCode: 4,
            stdout: [],
            stderr: [
                "column 4 'market_sales\u{200B}' holds an invisible character (U+200B) that makes it another name than 'market_sales'; write 'market_sales'"
            ]),
        Case(
            note:
                "a dash for a minus, a minus after the number, wide digits, a percent for an amount, a CVR number with DK: each with its fix",
            csv: header
                + "A,13748136,2024,–5,3\nB,14381651,2024,5-,3\nC,14460845,2024,５,3\nD,14621815,2024,50 %,3\nE,DK13748136,2023,5,3\n"
                + "F,14381651,2023,\"1.250,-\",3\n",
            exitCode: 4,
            stdout: [
                "',-' after whole kroner is not read: write 1250 or 1250.00",
                "write the minus sign as -, not as a dash: -5", "write the minus sign before the number: -5",
                "write the digits 0 to 9 as a keyboard types them (5), not digits of another script or width",
                "an amount is in kroner, not in percent: write the amount, as 1250 kr",
                "leave out the country prefix DK, which the VAT number has; write 13748136",
            ],
            stderr: ["(6 rejected)"]),
        Case(
            note: "soe's own results given back as firms: said as such",
            csv: "row,id,cvr,name,fiscal_year,rule_set,status,outcome,label\n2,,13748136,A,2024,t,determined,small,Lille\n", exitCode: 4,
            stdout: [], stderr: ["the header row is that of soe's results (long layout), not of a file of firms"]),
        Case(
            note: "a ';' file whose first rows write decimal points: one warning before the rows, then each refused cell",
            csv: "name;cvr;fiscal_year;market_sales;staff\nA;13748136;2024;2000.50;3\n", exitCode: 4,
            stdout: ["give --dialect semicolon-point"],
            stderr: [
                "warning: the file was read as excel-da (decimal comma) from its separator, but its first rows write decimal points (\"2000.50\") and no decimal comma, so their amounts will be refused; if the file writes decimal points, give --dialect semicolon-point"
            ]),
        Case(
            note:
                "a ',' file whose first rows write Danish numbers (LibreOffice's Danish sheet saved with ','): one warning, save it with ';'",
            csv: "name,cvr,fiscal_year,market_sales,staff\nA,13748136,2024,\"2.000,50\",3\n", exitCode: 4,
            stdout: [],
            stderr: [
                "warning: the file separates its fields with ',' (read as rfc4180, decimal point), but its first rows write numbers the Danish way (\"2.000,50\") and no decimal point, so their amounts will be refused; save the file with ';' between the fields"
            ]),
        Case(
            note: "a header in capitals: each column gets its did-you-mean, not 'the first row is not a header'",
            csv: "NAME,CVR,FISCAL_YEAR,MARKET_SALES,STAFF\nA,13748136,2024,2000,3\n", exitCode: 4,
            stdout: [],
            stderr: ["column 4 'MARKET_SALES': no rule set declares an input 'MARKET_SALES'; did you mean 'market_sales'?"],
            absent: ["is not a header"]),
        Case(
            note: "an input no outcome reads, held by no column: nothing to add, so nothing said (it decides nothing)",
            csv: "name,cvr,fiscal_year,market_sales\nA,13748136,2024,2000\n", exitCode: 0,
            stdout: [], stderr: [], absent: ["no column for the input"]),
        Case(
            note: "an input no column holds, of a rule set in force for no row: nothing to add",
            csv: "name,cvr,fiscal_year,market_sales\nA,13748136,2010,2000\n", exitCode: 0,
            stdout: ["not_in_force"], stderr: [], absent: ["no column for the input"]),
        Case(
            note: "a count 8.000 with no other number to show the mark: the count's refusal, not a --dialect that settles nothing",
            csv: "name,cvr,fiscal_year,market_sales,staff\nA,13748136,2024,2000,8.000\n", exitCode: 4,
            stdout: ["\"\"8.000\"\" could be 8000 (a point between thousands) or 8 (a decimal point); a count is a whole number"],
            stderr: [], absent: ["give --dialect"]),
        Case(
            note: "a ',' file whose amounts are written with English thousands (\"1,250\"): no word of saving it with ';'",
            csv: "name,cvr,fiscal_year,market_sales,staff\nA,13748136,2024,\"1,250\",3\n", exitCode: 4,
            stdout: [], stderr: [], absent: ["save the file with ';'"]),
    ]

    @Test("each bad batch gives its message and exit code", arguments: cases)
    func badBatch(_ testCase: Case) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-catalogue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = folder.appendingPathComponent("t.rules").path
        let input = folder.appendingPathComponent("firms.csv").path
        try Self.rules.write(toFile: rules, atomically: true, encoding: .utf8)
        try testCase.csv.write(toFile: input, atomically: true, encoding: .utf8)
        let result = try runSoe(["evaluate", "--layout", "long", "--rules", rules, input, "--no-progress"])
        #expect(result.exitCode == testCase.exitCode, "\(result.stderr)")
        for text in testCase.stdout { #expect(result.stdout.contains(text), "stdout lacks: \(text)\n\(result.stdout)") }
        for text in testCase.stderr { #expect(result.stderr.contains(text), "stderr lacks: \(text)\n\(result.stderr)") }
        for text in testCase.absent { #expect(!(result.stdout + result.stderr).contains(text), "not expected: \(text)\n\(result.stderr)") }
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test("a header and no rows, as JSON Lines to a file: an empty file (zero documents), exit 0, the input unchanged")
    func noRowsAsJSONLines() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-catalogue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let rules = folder.appendingPathComponent("t.rules").path
        let output = folder.appendingPathComponent("results.jsonl").path
        try Self.rules.write(toFile: rules, atomically: true, encoding: .utf8)
        // As the cli fuzz target met it: the data on standard input, the rules named twice.
        let result = try runSoe(
            [
                "evaluate", "--rules", rules, "--output", output, "--rules", rules, "--input-format", "csv", "--format", "jsonl", "-",
                "--no-progress",
            ],
            stdin: Self.header)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.contains("0 rows read from <stdin>"), "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: output) == Data(), "a batch of no rows is zero JSON documents")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(left == ["results.jsonl", "t.rules"], "no temporary file left: \(left)")
    }

    /// Rows made on the fly, so ten million of them need no file and no memory.
    struct GeneratedRows: ByteSource {
        let count: Int
        var produced = -1
        var pending: [UInt8] = []
        var offset = 0

        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            var written = 0
            while written < buffer.count {
                if offset == pending.count {
                    guard produced < count else { break }
                    pending =
                        produced < 0
                        ? Array(BatchBadInputCatalogueTests.header.utf8)
                        : Array("F\(produced),13748136,2024,\(produced % 2000),\(produced % 7)\n".utf8)
                    produced += 1
                    offset = 0
                }
                let take = min(buffer.count - written, pending.count - offset)
                pending.withUnsafeBytes { bytes in
                    buffer.baseAddress?.advanced(by: written).copyMemory(from: bytes.baseAddress!.advanced(by: offset), byteCount: take)
                }
                offset += take
                written += take
            }
            return written
        }
    }

    /// Counts result lines and throws the bytes away.
    final class CountingSink: BatchSink {
        var lines = 0
        func write(_ bytes: [UInt8]) -> ToolError? {
            for byte in bytes where byte == 0x0A { lines += 1 }
            return nil
        }
    }

    /// Minutes in a debug build, so it runs in CI (`CI=true`) and on demand (`SOE_LONG_TESTS=1`).
    static let longTests =
        ProcessInfo.processInfo.environment["CI"] != nil
        || ProcessInfo.processInfo.environment["SOE_LONG_TESTS"] == "1"

    @Test(
        "a file of ten million rows: every row has a result and the counts add up",
        .enabled(if: longTests, "takes minutes in a debug build; set SOE_LONG_TESTS=1 (CI sets CI=true)"))
    func tenMillionRows() throws {
        let ruleSet = try #require(checkRules(Self.rules).0)
        let rows = 10_000_000
        let sink = CountingSink()
        let end = BatchRunner(ruleSets: [ruleSet], options: BatchOptions(sourceName: "generated"))
            .run(GeneratedRows(count: rows), to: sink)
        guard case .finished(let summary) = end else {
            Issue.record("the batch did not finish: \(end)")
            return
        }
        #expect(summary.rowsRead == rows)
        #expect(summary.isBalanced)
        #expect(summary.rowsRejected == 0)
        // Rows 1000..1999 of every 2,000 have sales above 1,000 kr.
        #expect(summary.ruleSets[0].outcomes == [rows / 2 - rows / 2000, rows / 2 + rows / 2000])
        #expect(summary.duplicates == rows - 1, "one CVR number and fiscal year throughout")
        #expect(sink.lines == rows + 1, "a header line and one result per row")
    }
}
