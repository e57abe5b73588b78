import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// A record made with `--percent` states the reading (`percent_reading`) and verifies without the
/// flag; a record made before records stated it verifies with the same `--percent`.
@Suite("soe verify: --percent and percent_reading")
struct VerifyPercentTests {
    /// Kaffekollektivet with a public ownership of 0.3 without a sign: ambiguous without --percent.
    static func firm(_ folder: ScratchFolder) throws -> String {
        let text = String(decoding: try RecordFixtures.bytes("samples/kaffekollektivet.json"), as: UTF8.self)
        #expect(text.contains("\"public_ownership\": 0,"))
        return try folder.write("firm.json", text.replacing("\"public_ownership\": 0,", with: "\"public_ownership\": 0.3,"))
    }

    @Test("a firm's record made with --percent points states it and verifies without the flag; another flag is refused")
    func statedReading() throws {
        let folder = try ScratchFolder()
        let firm = try Self.firm(folder)
        let made = try runSoe(["evaluate", "--rules", "rules/", "--percent", "points", "--format", "record", firm])
        #expect(made.exitCode == 0, "\(made.stderr)")
        #expect(made.stdout.contains("\"percent_reading\": \"points\""))
        let record = try folder.write("record.json", made.stdout)

        let verified = try runSoe(["verify", record, "--rules", "rules/", firm])
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        let same = try runSoe(["verify", record, "--rules", "rules/", "--percent", "points", firm])
        #expect(same.exitCode == 0, "\(same.stdout)\(same.stderr)")
        let other = try runSoe(["verify", record, "--rules", "rules/", "--percent", "fraction", firm])
        #expect(other.exitCode == 2, "\(other.stdout)\(other.stderr)")
        #expect(other.stderr.contains("was made with --percent points"), "\(other.stderr)")
        #expect(try folder.read("record.json") == made.stdout)

        // Made without --percent, a record has no percent_reading: its bytes are what they were.
        let plain = try runSoe(["evaluate", "--rules", "rules/", "--format", "record", "samples/kaffekollektivet.json"])
        #expect(plain.exitCode == 0)
        #expect(!plain.stdout.contains("percent_reading"))
    }

    @Test("a record made before records stated the reading verifies with the same --percent, and not without")
    func olderRecord() throws {
        let folder = try ScratchFolder()
        let firm = try Self.firm(folder)
        let made = try runSoe(["evaluate", "--rules", "rules/rsv_2014.rules", "--percent", "points", "--format", "record", firm])
        #expect(made.exitCode == 0, "\(made.stderr)")
        // The record as this wave's first records were: without percent_reading, sealed again.
        let node = try JSONReader.parse(Array(made.stdout.utf8)).get()
        guard case .object(let members) = JSONOutput(node) else {
            Issue.record("a record is an object")
            return
        }
        let body = members.filter { $0.0 != DecisionRecord.percentReadingKey && $0.0 != DecisionRecord.sealKey }
        #expect(body.count == members.count - 2)
        let record = try folder.write("record.json", DecisionRecord.sealed(body).serialized(pretty: true) + "\n")

        let without = try runSoe(["verify", record, "--rules", "rules/rsv_2014.rules", firm])
        #expect(without.exitCode == 4, "\(without.stdout)\(without.stderr)")
        #expect(without.stderr.contains("public_ownership"), "\(without.stderr)")
        let with = try runSoe(["verify", record, "--rules", "rules/rsv_2014.rules", "--percent", "points", firm])
        #expect(with.exitCode == 0, "\(with.stdout)\(with.stderr)")
    }

    @Test("batch records made with --percent verify without the flag, and refuse another")
    func batch() throws {
        let folder = try ScratchFolder()
        let csv = String(decoding: try RecordFixtures.bytes("samples/batch/firms.csv"), as: UTF8.self)
        let row = "S001,Kaffekollektivet ApS,13748136,2024,aps,true,true,true,beskaeftigelse,4200000.00,300000.00,0.00,200000.00,0,"
        #expect(csv.contains(row))
        let firms = try folder.write("firms.csv", csv.replacing(row, with: String(row.dropLast(2)) + "0.3,"))
        let records = folder.path + "/records.jsonl"
        let refused = try runSoe(["evaluate", "--rules", "rules/", "--format", "record", "--output", records, firms])
        #expect(refused.exitCode == 4, "0.3 without a sign is ambiguous: \(refused.stderr)")
        let made = try runSoe(["evaluate", "--rules", "rules/", "--percent", "points", "--format", "record", "--output", records, firms])
        #expect(made.exitCode == 0, "\(made.stderr)")
        #expect(try folder.read("records.jsonl").contains("\"percent_reading\":\"points\""))

        let verified = try runSoe(["verify", records, "--rules", "rules/", firms])
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        let count = try folder.read("records.jsonl").split(separator: "\n").count
        #expect(verified.stderr.contains("\(count) of \(count) records verified"), "\(verified.stderr)")
        #expect(!verified.stdout.contains("NOT VERIFIED"), "\(verified.stdout)")
        let other = try runSoe(["verify", records, "--rules", "rules/", "--percent", "fraction", firms])
        #expect(other.exitCode == 2)
        #expect(other.stderr.contains("was made with --percent points"), "\(other.stderr)")
    }
}
