import Foundation
import SoeTestSupport
import Testing

/// Paths where two pieces of this wave met (batch records beside the escaping of data; the
/// duplicate rule set check beside the seal), each found in review of the merge.
@Suite("merged paths: records of a batch and verify keep the hardening")
struct MergedPathsTests {
    @Test("a rejected row's id in a batch of records is shown escaped on standard error, never obeyed")
    func rejectedRowIdEscaped() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let batch = try String(contentsOfFile: TestPaths.samples + "/batch/firms.csv", encoding: .utf8)
        // The second firm gets a hostile id and a market_sales cell that cannot be read.
        let hostile = batch.replacingOccurrences(of: "S002,", with: "\"S002\u{1B}[31mRED\nFAKE\",")
            .replacingOccurrences(of: "500000.00,2400000.00", with: "five hundred,2400000.00")
        #expect(hostile != batch)
        let file = try scratch.write("firms.csv", hostile)
        let run = try runSoe(["evaluate", "--rules", TestPaths.rules, "--format", "record", file])
        #expect(run.exitCode == 4)
        #expect(run.stderr.contains("S002\\u{1B}[31mRED\\nFAKE"))
        #expect(!holdsRawControl(run.stderr))
        #expect(!run.stderr.split(separator: "\n").contains { $0.hasPrefix("FAKE") })
        scratch.expectNothingLost()
    }

    @Test("an edited record is named even when duplicate rule sets (E307) stop its re-evaluation")
    func editedRecordWithDuplicateRules() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let firm = try scratch.write(
            "firm.json", Array(try Data(contentsOf: URL(fileURLWithPath: TestPaths.samples + "/kaffekollektivet.json"))))
        let rules = try String(contentsOfFile: TestPaths.rules + "/rsv_2014.rules", encoding: .utf8)
        try scratch.write("rsv_2014.rules", rules)
        let made = try runSoe(["evaluate", "--rules", scratch.path + "/rsv_2014.rules", "--format", "record", firm])
        #expect(made.exitCode == 0)
        let edited = made.stdout.replacingOccurrences(of: "\"outcome\": \"social_economy\"", with: "\"outcome\": \"ordinary\"")
        #expect(edited != made.stdout)
        let record = try scratch.write("record.json", edited)
        let duplicates = scratch.path + "/dup"
        try FileManager.default.createDirectory(atPath: duplicates, withIntermediateDirectories: true)
        try rules.write(toFile: duplicates + "/a.rules", atomically: false, encoding: .utf8)
        try rules.write(toFile: duplicates + "/b.rules", atomically: false, encoding: .utf8)
        let run = try runSoe(["verify", record, "--rules", duplicates, firm])
        #expect(run.exitCode == 3)
        #expect(run.stdout.contains("record edited"))
        #expect(run.stderr.contains("E307"))
    }
}
