import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// `soe verify` of an array of records checks element by element on every core (`RecordArrayVerifier`):
/// the same findings, in the file's order, and a malformed element reported as before.
@Suite("soe verify: an array of records, element by element")
struct ArrayVerifyTests {
    /// Firm files that differ in one figure, and the array of their records under every bundled rule set.
    static func array(firms: Int, in folder: ScratchFolder) throws -> (record: String, firms: [String], text: String) {
        let template = String(decoding: try RecordFixtures.bytes("samples/kaffekollektivet.json"), as: UTF8.self)
        var paths: [String] = []
        for index in 0..<firms {
            let text = template.replacingOccurrences(
                of: "\"market_sales\": \"4200000.00\"", with: "\"market_sales\": \"\(4_200_000 + index).00\"")
            paths.append(try folder.write("firm-\(index).json", text))
        }
        let made = try runSoe(["evaluate", "--rules", "rules", "--format", "record"] + paths)
        #expect(made.exitCode == 0, "\(made.stderr)")
        return (try folder.write("records.json", made.stdout), paths, made.stdout)
    }

    @Test("every record of a 120-record array verifies, reported in the file's order")
    func clean() throws {
        let folder = try ScratchFolder()
        let (record, firms, text) = try Self.array(firms: 40, in: folder)
        let run = try runSoe(["verify", record, "--rules", "rules"] + firms)
        #expect(run.exitCode == 0, "\(run.stderr)")
        let heads = run.stdout.split(separator: "\n").filter { $0.hasPrefix("verified: ") }
        #expect(heads.count == 120)
        for (index, head) in heads.enumerated() { #expect(head.contains("(record \(index + 1)):"), "\(head)") }
        #expect(try folder.read("records.json") == text)
    }

    @Test("an edited record in the middle is named by its number; a malformed one is reported as the whole file is")
    func findings() throws {
        let folder = try ScratchFolder()
        let (record, firms, text) = try Self.array(firms: 40, in: folder)
        // Record 77 is firm 25 under the third rule set; its firm's sales, as recorded, are changed.
        var records = try DecisionRecord.readAny(Array(text.utf8)).get()
        #expect(records.count == 120)
        let target = records[76]
        let firmName = try #require(target.inputSource.split(separator: "/").last.map(String.init))
        #expect(firmName == "firm-25.json")
        try folder.edit(firmName, replacing: "\"4200025.00\"", with: "\"4300025.00\"")
        let changed = try runSoe(["verify", record, "--rules", "rules"] + firms)
        #expect(changed.exitCode == 1)
        let failing = changed.stdout.split(separator: "\n").filter { $0.hasPrefix("NOT VERIFIED") }
        #expect(failing.count == 3, "the firm's three records: \(failing)")
        #expect(failing.contains { $0.contains("(record 77)") }, "\(failing)")
        #expect(changed.stdout.contains("input changed"))
        records.removeAll()

        // A duplicate key in the fifth record: the message the whole-document reader gives, exit 4.
        var lines = text.components(separatedBy: "\n")
        let schemaLines = lines.indices.filter { lines[$0].contains("\"schema\": \"soe-record/1\"") }
        let fifth = schemaLines[4]
        lines[fifth] = lines[fifth] + "\n    \"schema\": \"soe-record/1\","
        let broken = try folder.write("broken.json", lines.joined(separator: "\n"))
        let malformed = try runSoe(["verify", broken, "--rules", "rules"] + firms)
        #expect(malformed.exitCode == 4, "\(malformed.stderr)")
        #expect(malformed.stderr.contains("record 5: ") || malformed.stderr.contains("appears twice"), "\(malformed.stderr)")
        #expect(malformed.stdout.isEmpty, "nothing is reported as verified before the file is known to read")

        // A record whose firm file is not given: a usage error naming it, as before.
        let missing = try runSoe(["verify", record, "--rules", "rules"] + firms.dropLast())
        #expect(missing.exitCode == 2)
        #expect(missing.stderr.contains("no input given for record 118"), "\(missing.stderr)")
        // With the files given and the name wanted: several are matched by name.
        let wanted = try #require(firms.last.map { ($0 as NSString).lastPathComponent })
        #expect(missing.stderr.contains("each is matched to the records by its name"), "\(missing.stderr)")
        #expect(missing.stderr.contains("more) is named \(wanted); give that firm's file under that name"), "\(missing.stderr)")
    }
}
