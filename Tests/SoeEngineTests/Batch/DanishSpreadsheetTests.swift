import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// CSV files a real spreadsheet program wrote: LibreOffice, headless, with Danish settings
/// (`.ci/make-danish-fixtures.sh`), from the firms of the hand-made `samples/batch/firms.csv`.
/// Each export must decide every firm exactly as the clean CSV does, with no row rejected.
@Suite("Danish spreadsheet exports, end to end")
struct DanishSpreadsheetTests {
    static let folder = "Tests/SoeEngineTests/Fixtures/spreadsheets/"

    /// `id rule_set → status outcome` for every result line of a JSON Lines batch.
    static func outcomes(_ stdout: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for line in stdout.split(separator: "\n") {
            guard case .object(let members) = try JSONReader.parse(Array(line.utf8)).get().value else { continue }
            func text(_ key: String) -> String {
                guard let value = members.first(where: { $0.key == key })?.value.value else { return "?" }
                switch value {
                case .string(let string): return string
                case .null: return "-"
                default: return "\(value)"
                }
            }
            result["\(text("id")) \(text("rule_set"))"] = "\(text("status")) \(text("outcome"))"
        }
        return result
    }

    static func reference() throws -> [String: String] {
        let clean = try runSoe(["evaluate", "--rules", "rules/", "samples/batch/firms.csv", "--format", "jsonl"])
        #expect(clean.exitCode == 0)
        return try outcomes(clean.stdout)
    }

    @Test(
        "every export decides every firm as the clean CSV does, no row rejected",
        arguments: ["da-som-vist.csv", "da-raa.csv", "da-windows-1252.csv", "da-alle-former.csv"])
    func sameDecisions(file: String) throws {
        let result = try runSoe(["evaluate", "--rules", "rules/", Self.folder + file, "--format", "jsonl"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("\"rejected\""))
        let reference = try Self.reference()
        #expect(reference.count == 24)
        #expect(try Self.outcomes(result.stdout) == reference)
        #expect(result.stderr.contains("8 rows read"))
        #expect(result.stderr.contains("Windows-1252") == (file == "da-windows-1252.csv"))
    }

    @Test("the Windows-1252 export keeps its Danish letters, and says once that it was read as Windows-1252, in Danish too")
    func windows1252Letters() throws {
        let result = try runSoe(["evaluate", "--rules", "rules/", Self.folder + "da-windows-1252.csv", "--lang", "da"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("Byens Grønne Hænder A/S"))
        #expect(result.stdout.contains("Æblehaven Socialøkonomi ApS"))
        let notices = result.stderr.components(separatedBy: "læses som Windows-1252").count - 1
        #expect(notices == 1, "\(result.stderr)")
        // The results (UTF-8) carry a byte-order mark, which the programs that wrote the
        // Windows-1252 file need to read them as UTF-8; with several threads too. A UTF-8 file
        // without a mark gives results without one, as before.
        for jobs in ["1", "2"] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-1252-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let run = try runSoe([
                "evaluate", "--rules", "rules/", Self.folder + "da-windows-1252.csv", "--jobs", jobs, "--output", folder + "/r.csv",
            ])
            #expect(run.exitCode == 0)
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/r.csv")))
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "jobs \(jobs)")
            #expect(String(decoding: bytes, as: UTF8.self).contains("Byens Grønne Hænder A/S"))
        }
        let plain = try runSoe(["evaluate", "--rules", "rules/", "samples/batch/firms.csv"])
        #expect(!plain.stdout.hasPrefix("\u{FEFF}"))
        // What the first bytes must show: a Windows-1252 letter, not UTF-8, not a sequence cut short.
        let head = Array("id;name\n1;Gr".utf8)
        #expect(BatchRunner.windows1252(head: head + [0xF8, 0x6E]))
        #expect(!BatchRunner.windows1252(head: head + [0xC3, 0xB8, 0x6E]), "UTF-8 ø")
        #expect(!BatchRunner.windows1252(head: head + [0xC3]), "a sequence the head cuts short")
        #expect(BatchRunner.windows1252(head: head + [0xF8]), "ø as the head's last byte: no UTF-8 sequence starts with 0xF8")
        #expect(!BatchRunner.windows1252(head: head + [0x81]), "a byte neither encoding has: the batch stops anyway")
        #expect(!BatchRunner.windows1252(head: head), "ASCII so far")
    }

    @Test("percentages exported as plain fractions are refused with both readings, and read with --percent fraction")
    func fractions() throws {
        let refused = try runSoe(["evaluate", "--rules", "rules/", Self.folder + "da-broek.csv", "--format", "jsonl"])
        #expect(refused.exitCode == 4)
        #expect(
            refused.stdout.contains(
                "discount_rate: 0,036 could be 3,6 % (a fraction, as a raw spreadsheet export writes it) or 0,036 % (percentage points)"))
        let read = try runSoe(["evaluate", "--rules", "rules/", Self.folder + "da-broek.csv", "--format", "jsonl", "--percent", "fraction"])
        #expect(read.exitCode == 0, "\(read.stderr)")
        #expect(try Self.outcomes(read.stdout) == Self.reference())
    }

    @Test("a JSON firm follows the percent rule too: 0.3 without % is refused, and read as 30 % with --percent fraction")
    func jsonPercent() throws {
        let firm = try String(contentsOfFile: TestPaths.root + "/samples/haderslev_kommune.json", encoding: .utf8)
        guard firm.contains("\"public_ownership\": 30,") else {
            Issue.record("the sample no longer holds public_ownership 30")
            return
        }
        // The rule is for the whole file: the discount rate, 3.6 as percentage points, gets its sign.
        let fraction = firm.replacingOccurrences(of: "\"public_ownership\": 30,", with: "\"public_ownership\": 0.3,")
            .replacingOccurrences(of: "\"discount_rate\": \"3.6\"", with: "\"discount_rate\": \"3.6 %\"")
        let refused = try runSoe(["evaluate", "--rules", "rules/", "-"], stdin: fraction)
        #expect(refused.exitCode == 4)
        #expect(refused.stderr.contains("public_ownership: 0.3 could be 30 % (a fraction"))
        let read = try runSoe(["evaluate", "--rules", "rules/", "--percent", "fraction", "-"], stdin: fraction)
        let original = try runSoe(["evaluate", "--rules", "rules/", "-"], stdin: firm)
        #expect(read.exitCode == original.exitCode)
        // The same decisions and values; only the input's hash differs.
        func withoutHash(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.contains("sha256") } }
        #expect(withoutHash(read.stdout) == withoutHash(original.stdout))
        #expect(read.stdout.contains("public_ownership = 30 %"))
        // Left in points beside the fractions, the discount rate would be 360 %: refused, not read.
        let half = firm.replacingOccurrences(of: "\"public_ownership\": 30,", with: "\"public_ownership\": 0.3,")
        let mixed = try runSoe(["evaluate", "--rules", "rules/", "--percent", "fraction", "-"], stdin: half)
        #expect(mixed.exitCode == 4)
        #expect(mixed.stderr.contains("discount_rate: 3.6 read as a fraction (--percent fraction) is 360 %"), "\(mixed.stderr)")
    }

    @Test("a cell refused names the column, the text as found (its % kept) and a percent example for a percent")
    func refusalNamesTheType() throws {
        let header = "id;name;cvr;fiscal_year;public_ownership;market_sales;fiscal_year_end"
        let csv = header + "\nA;Firma;13748136;2024;ca.\u{00A0}5\u{00A0}%;mange kr.;31/12/2024\n"
        let result = try runSoe(
            ["evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "--input-format", "csv", "-"], stdin: csv)
        #expect(result.exitCode == 4)
        #expect(result.stdout.contains("public_ownership: \"\"ca.\u{00A0}5\u{00A0}%\"\" is not a percent, such as 12,5 %"))
        #expect(result.stdout.contains("market_sales: \"\"mange kr.\"\" is not an amount in kroner, such as 4.200.000,50 kr."))
        #expect(result.stdout.contains("(or \"\"DD-MM-YYYY\"\"), found \"\"31/12/2024\"\""))
        // The closing date the row gave could not be read: its column is left empty, not filled
        // with the 31 December of the fiscal year as if the firm had given that.
        #expect(result.stdout.contains("\n2;A;Firma;13748136;2024;;Rejected;"), "\(result.stdout)")
    }

    @Test("a file of neither encoding stops with the line and the byte, exit 5")
    func neitherEncoding() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-neither-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("firms.csv").path
        let bytes =
            Array("id;name;cvr;fiscal_year\nA;Caf".utf8) + [0xE9] + Array(";13748136;2024\nB;X".utf8) + [0x81] + Array(";;2024\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let result = try runSoe(["evaluate", "--rules", "rules/", path])
        #expect(result.exitCode == 5, "\(result.stderr)")
        #expect(result.stderr.contains("the file is neither UTF-8 nor Windows-1252: byte 0x81 at line 3"))
    }

    @Test("soe schema: the bundled rules' JSON Schema, in English and Danish", arguments: ["en", "da"])
    func schemaGolden(language: String) throws {
        let result = try runSoe(["schema", "--rules", "rules/", "--lang", language])
        #expect(result.exitCode == 0)
        expectGolden(result.stdout, "schema/bundled.\(language).json")
    }

    @Test("soe schema refuses an unknown rule set and a missing --rules")
    func schemaUsage() throws {
        let unknown = try runSoe(["schema", "--rules", "rules/", "--ruleset", "nope"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("no rule set 'nope'"))
        let missing = try runSoe(["schema"])
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("--rules is required"))
    }
}
