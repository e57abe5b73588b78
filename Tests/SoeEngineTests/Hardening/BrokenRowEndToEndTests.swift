import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// Class 9 of issue 17: a quote that never closes swallows the lines after it, and a row with the
/// wrong number of fields or bytes that are not UTF-8 is rejected; each must be counted as the
/// lines it took, and must keep the id, CVR number and name a caseworker needs to find it, marked
/// as unverified. Good rows give the same results as before. Each test runs the built binary.
@Suite("broken CSV rows: lines accounted for, identity kept (end to end)")
struct BrokenRowEndToEndTests {
    static let rules = TestPaths.rules + "/rsv_2014.rules"
    static let firms = TestPaths.samples + "/batch/firms.csv"

    /// The sample batch's header and rows.
    func sample() throws -> (header: String, rows: [String]) {
        let text = try String(contentsOfFile: Self.firms, encoding: .utf8)
        // The sample has CRLF line breaks, which Swift reads as one character.
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        return (lines[0], Array(lines.dropFirst()))
    }

    /// The results of a batch as CSV rows (RFC 4180, quoted line breaks kept).
    func results(_ csv: String) -> [[String]] {
        var rows: [[String]] = []
        var reader = CSVReader(source: ArraySource(Array(csv.utf8)), dialect: .rfc4180)
        while let item = reader.next() {
            if case .success(let record) = item { rows.append(record.fields) }
        }
        return rows
    }

    func column(_ rows: [[String]], _ name: String) -> [String] {
        guard let index = rows.first?.firstIndex(of: name) else { return [] }
        return rows.dropFirst().map { index < $0.count ? $0[index] : "" }
    }

    @Test("an unclosed quote: the rejected row and the summary say how many lines it took")
    func unclosedQuote() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let (header, rows) = try sample()
        // Row 3's name opens a quote that never closes: rows 4 and after are swallowed by it.
        var broken = rows
        broken[1] = broken[1].replacingOccurrences(of: ",Kursuscentret", with: ",\"Kursuscentret")
        let text = ([header] + broken).joined(separator: "\n") + "\n"
        let input = try scratch.write("firms.csv", text)
        let run = try runSoe(["evaluate", "--layout", "long", "--rules", TestPaths.rules, "--ruleset", "rsv_2014", "--no-progress", input])
        #expect(run.exitCode == 4)
        let swallowed = rows.count - 1
        let results = results(run.stdout)
        #expect(column(results, "row") == ["2", "3"])
        let reason = column(results, "reason").last ?? ""
        #expect(reason.contains("quote opened at line 3 never closes: lines 3 to \(rows.count + 1) (\(swallowed) lines)"))
        // The lines are accounted for: 1 header + 1 good row + the lines of the rejected row.
        #expect(run.stderr.contains("2 rows read from"))
        #expect(run.stderr.contains("1 rejected row took \(swallowed) lines"))
        #expect(1 + 1 + swallowed == text.split(separator: "\n").count)
        // The row before the quote keeps what could be read of it: its id, marked as unverified.
        #expect(column(results, "id").last == "S002")
        #expect(column(results, "warning").last?.hasPrefix("id, cvr and name were read from a row") == true)
        scratch.expectNothingLost()
    }

    @Test("a row with the wrong number of fields keeps its id, CVR number and name, marked; good rows are unchanged")
    func wrongFieldCount() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let (header, rows) = try sample()
        var broken = rows
        broken[2] = broken[2] + ",extra"  // one field too many, at the end
        let good = try scratch.write("good.csv", ([header] + rows).joined(separator: "\n") + "\n")
        let bad = try scratch.write("bad.csv", ([header] + broken).joined(separator: "\n") + "\n")
        let goodRun = try runSoe(["evaluate", "--layout", "long", "--rules", TestPaths.rules, "--no-progress", good])
        let badRun = try runSoe(["evaluate", "--layout", "long", "--rules", TestPaths.rules, "--no-progress", bad])
        #expect(goodRun.exitCode == 0)
        #expect(badRun.exitCode == 4)
        let before = results(goodRun.stdout)
        let after = results(badRun.stdout)
        #expect(before.count == after.count)
        let rowColumn = before.first?.firstIndex(of: "row") ?? 0
        for (old, new) in zip(before, after) where old[rowColumn] != "4" { #expect(old == new) }
        let fields = rows[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rejected = after.filter { $0[rowColumn] == "4" }
        #expect(!rejected.isEmpty)
        for result in rejected {
            let named = Dictionary(uniqueKeysWithValues: zip(after[0], result))
            #expect(named["id"] == fields[0])
            #expect(named["name"] == fields[1])
            #expect(named["cvr"] == fields[2])
            #expect(named["status"] == "rejected")
            #expect(named["warning"]?.contains("read from a row that could not be read whole") == true)
            #expect(named["reason"]?.contains("the row has \(fields.count + 1) fields") == true)
        }
        // The same with --jobs: identical bytes.
        let parallel = try runSoe(["evaluate", "--layout", "long", "--rules", TestPaths.rules, "--no-progress", "--jobs", "3", bad])
        #expect(parallel.stdout == badRun.stdout)
        scratch.expectNothingLost()
    }

    @Test("a row of a UTF-8 file that is not UTF-8 keeps its id and CVR number, and its name decoded with U+FFFD, marked")
    func badEncoding() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let (header, rows) = try sample()
        let fields = rows[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var bytes = Array((header + "\n").utf8)
        // A UTF-8 'ø' first makes the file UTF-8 (a file whose first letter above ASCII is
        // Windows-1252 is read as Windows-1252: DanishSpreadsheetTests); then 'æ' in Windows-1252.
        let nameBytes = Array((fields[1] + "ø").utf8) + [0xE6]
        var row = Array((fields[0] + ",").utf8) + nameBytes
        row += Array(("," + fields[2...].joined(separator: ",") + "\n").utf8)
        bytes += row
        let input = try scratch.write("enc.csv", bytes)
        let run = try runSoe(["evaluate", "--layout", "long", "--rules", TestPaths.rules, "--ruleset", "rsv_2014", "--no-progress", input])
        #expect(run.exitCode == 4)
        let results = results(run.stdout)
        #expect(column(results, "id") == [fields[0]])
        #expect(column(results, "cvr") == [fields[2]])
        #expect(column(results, "name") == [fields[1] + "ø\u{FFFD}"])
        #expect(column(results, "reason").first?.contains("invalid UTF-8 in field 2") == true)
        #expect(column(results, "warning").first?.contains("read from a row") == true)
        #expect(run.stderr.contains("1 row read"))
        scratch.expectNothingLost()
    }

    @Test("an invalid CVR number in a broken row is not kept")
    func invalidCVRNotKept() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let input = try scratch.write("cvr.csv", "id,name,cvr,fiscal_year\nX1,Navn,12345678,2024,extra\n")
        let run = try runSoe(["evaluate", "--layout", "long", "--rules", Self.rules, "--no-progress", input])
        #expect(run.exitCode == 4)
        let results = results(run.stdout)
        #expect(column(results, "id") == ["X1"])
        #expect(column(results, "cvr") == [""])
        #expect(column(results, "name") == ["Navn"])
        scratch.expectNothingLost()
    }
}

extension BrokenRowEndToEndTests {
    @Test("a JSON Lines line that is not UTF-8 keeps its id and name, decoded with U+FFFD, marked")
    func jsonLinesBadEncoding() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        var bytes = Array("{\"id\":\"L1\",\"name\":\"Kaffe".utf8) + [0xE6] + Array("\",\"cvr\":\"13748136\",\"fiscal_year\":2024}\n".utf8)
        bytes += Array("{\"id\":\"L2\",\"name\":\"Godt\",\"cvr\":\"13906513\",\"fiscal_year\":2024}\n".utf8)
        let input = try scratch.write("enc.jsonl", bytes)
        let run = try runSoe(["evaluate", "--layout", "long", "--rules", Self.rules, "--format", "jsonl", "--no-progress", input])
        #expect(run.exitCode == 4)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let first = lines.first.map(String.init) ?? ""
        #expect(first.contains("\"id\":\"L1\""))
        #expect(first.contains("\"cvr\":\"13748136\""))
        #expect(first.contains("\"name\":\"Kaffe\u{FFFD}\""))
        #expect(first.contains("read from a row that could not be read whole"))
        #expect(first.contains("invalid UTF-8"))
        #expect(lines.last?.contains("\"warning\":null") == true)
        #expect(run.stderr.contains("2 rows read"))
        scratch.expectNothingLost()
    }
}
