import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// A folder inside the package's `.build`, named by relative path, so that the built binary
/// (which runs from the package root) records the same paths on every run and the text output can
/// be compared with a golden file. Removed when the test is done with it.
final class PackageScratch {
    /// The folder relative to the package root, as given to `soe`.
    let relative: String
    var path: String { TestPaths.root + "/" + relative }

    init(_ name: String) throws {
        relative = ".build/test-scratch/\(name)"
        try? FileManager.default.removeItem(atPath: TestPaths.root + "/" + relative)
        try FileManager.default.createDirectory(atPath: TestPaths.root + "/" + relative, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Copies a file of the package in; returns its relative path.
    @discardableResult
    func copy(_ file: String, as name: String? = nil) throws -> String {
        let target = relative + "/" + (name ?? URL(fileURLWithPath: file).lastPathComponent)
        try Data(try RecordFixtures.bytes(file)).write(to: URL(fileURLWithPath: TestPaths.root + "/" + target))
        return target
    }

    func read(_ name: String) throws -> String {
        String(decoding: try #require(FileManager.default.contents(atPath: path + "/" + name)), as: UTF8.self)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + name))
        return relative + "/" + name
    }

    /// Replaces text in a file; the replacement must happen.
    func edit(_ name: String, replacing old: String, with new: String) throws {
        let text = try read(name)
        #expect(text.contains(old), "\(name) does not contain \(old)")
        try write(name, text.replacing(old, with: new))
    }
}

/// Records for a batch (`--format record` on a CSV): one sealed record per row and rule set, and
/// `soe verify` of the whole file against the batch, naming each change by line and firm id.
@Suite("batch records: written per row, verified against the batch")
struct BatchRecordTests {
    /// The sample batch and the rules, copied, with the records written.
    static func batch(_ name: String) throws -> (PackageScratch, rules: String, firms: String, records: String) {
        let folder = try PackageScratch(name)
        try FileManager.default.createDirectory(atPath: folder.path + "/rules", withIntermediateDirectories: true)
        for file in ["anden_aktoer.rules", "haderslev_2021.rules", "rsv_2014.rules"] {
            try folder.copy("rules/" + file, as: "rules/" + file)
        }
        let firms = try folder.copy("samples/batch/firms.csv")
        let records = folder.relative + "/records.jsonl"
        let written = try runSoe(["evaluate", "--rules", folder.relative + "/rules", "--format", "record", "--output", records, firms])
        #expect(written.exitCode == 0, "\(written.stderr)")
        return (folder, folder.relative + "/rules", firms, records)
    }

    @Test("one sealed soe-record/1 per row and rule set, each naming its row; a clean batch verifies")
    func clean() throws {
        let (folder, rules, firms, records) = try Self.batch("batch-clean")
        let lines = try folder.read("records.jsonl").split(separator: "\n")
        #expect(lines.count == 8 * 3, "8 rows × 3 rule sets")
        for (index, line) in lines.enumerated() {
            let record = try #require(try DecisionRecord.read(Array(line.utf8)).get().first)
            #expect(record.isIntact)
            let place = try #require(BatchPlace(record.body.member("batch")))
            #expect(place.row == index / 3 + 2, "rows in order, the header being row 1")
            #expect(place.id == "S00\(index / 3 + 1)")
        }
        let verified = try runSoe(["verify", records, "--rules", rules, firms])
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stderr.contains("24 of 24 records verified"))
        expectGolden(verified.stdout, "records/verify-batch-clean.golden")
    }

    @Test("records made with --rules . in the rules' folder, rule sets in any order, verify from there and from above")
    func rulesHereInAnyOrder() throws {
        let folder = try PackageScratch("batch-here")
        for file in ["anden_aktoer.rules", "haderslev_2021.rules", "rsv_2014.rules"] { try folder.copy("rules/" + file) }
        try folder.copy("samples/batch/firms.csv")
        let orders = [
            [String](), ["--ruleset", "rsv_2014", "--ruleset", "anden_aktoer"], ["--ruleset", "haderslev_2021", "--ruleset", "rsv_2014"],
        ]
        for (number, order) in orders.enumerated() {
            let records = "r\(number).jsonl"
            let made = try runSoe(
                ["evaluate", "--rules", "."] + order + ["firms.csv", "--format", "record", "--output", records], directory: folder.path)
            #expect(made.exitCode == 0, "\(made.stderr)")
            let count = try folder.read(records).split(separator: "\n").count
            #expect(count == 8 * (order.isEmpty ? 3 : 2))
            for (rules, place) in [(".", folder.path), ("./", folder.path), (folder.relative, TestPaths.root)] {
                let prefix = place == TestPaths.root ? folder.relative + "/" : ""
                let verified = try runSoe(["verify", prefix + records, "--rules", rules, prefix + "firms.csv"], directory: place)
                #expect(verified.exitCode == 0, "\(order) \(rules): \(verified.stdout)\(verified.stderr)")
                #expect(verified.stderr.contains("\(count) of \(count) records verified\n"), "\(order) \(rules): \(verified.stderr)")
                #expect(!verified.stderr.contains("without a record"))
            }
        }
    }

    @Test("verified with one rule set's file of three: its records verify, the others' are 'rule set gone', none 'a second record'")
    func twoRuleSetsMissing() throws {
        let (folder, _, firms, records) = try Self.batch("batch-two-missing")
        try FileManager.default.createDirectory(atPath: folder.path + "/only", withIntermediateDirectories: true)
        try folder.copy("rules/rsv_2014.rules", as: "only/rsv_2014.rules")
        let verified = try runSoe(["verify", records, "--rules", folder.relative + "/only", firms])
        #expect(verified.exitCode == 1)
        #expect(verified.stderr.contains("8 of 24 records verified, 16 NOT VERIFIED\n"), "\(verified.stderr)")
        #expect(!verified.stderr.contains("not a record") && !verified.stdout.contains("a second record"), "\(verified.stdout)")
        #expect(verified.stdout.components(separatedBy: "rule set gone: no rule set named").count == 17)
    }

    @Test("a record line repeated, next to itself or at the end: a second record for its row, not a row missing")
    func lineRepeated() throws {
        let (folder, rules, firms, records) = try Self.batch("batch-line-repeated")
        let lines = try folder.read("records.jsonl").split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 6)
        for (name, changed) in [
            ("next", lines[..<4] + [lines[3]] + lines[4...]),
            ("end", lines.dropLast() + [lines[3], ""]),
        ] {
            try folder.write("records.jsonl", changed.joined(separator: "\n"))
            let verified = try runSoe(["verify", records, "--rules", rules, firms])
            #expect(verified.exitCode == 4, "a line not a record is exit 4, as any: \(name)")
            #expect(!verified.stdout.contains("row missing"), "\(name): \(verified.stdout)")
            let second = verified.stdout.components(separatedBy: "\n").filter { $0.contains("a second record for") }
            #expect(second.count == 1 && second[0].contains("a line repeated, or"), "\(name): \(verified.stdout)")
            #expect(verified.stderr.contains("24 of 24 records verified, 1 line not a record"), "\(name): \(verified.stderr)")
        }
    }

    @Test("a record's row edited and resealed: the record contradicts itself and is called edited, not the batch")
    func rowMemberResealed() throws {
        let (folder, rules, firms, records) = try Self.batch("batch-row-resealed")
        var lines = try folder.read("records.jsonl").split(separator: "\n").map(String.init)
        // Row 4's first record (three rule sets a row, from row 2) made to name row 5, and sealed
        // again as a forger would.
        #expect(lines[6].contains(#""row":4"#))
        let stored = try #require(try DecisionRecord.read(Array(lines[6].utf8)).get().first)
        let forged = stored.members.filter { $0.0 != "record_sha256" }.map { key, value -> (String, JSONOutput) in
            guard key == "batch", case .object(let fields) = value else { return (key, value) }
            return (key, .object(fields.map { $0.0 == "row" ? ($0.0, .number("5")) : $0 }))
        }
        lines[6] = DecisionRecord.sealed(forged).serialized(pretty: false)
        try folder.write("records.jsonl", lines.joined(separator: "\n") + "\n")
        let verified = try runSoe(["verify", records, "--rules", rules, firms])
        #expect(verified.exitCode == 4, "\(verified.stderr)")
        let out = verified.stdout
        #expect(
            out.contains(
                "(the record contradicts itself: its batch member names row 5, but its input was read from row 4 (input.source "),
            "\(out)")
        #expect(!out.contains("were rows deleted, added or moved"), "\(out)")
        // The advice is about the record, not the batch.
        #expect(out.contains("  - the record was changed: verify the archive's own copy"), "\(out)")
        #expect(!out.contains("  - the firm data differs"), "\(out)")
        // The genuine record of row 5 is not checked twice, and the message says why either may be.
        #expect(out.contains("a second record for") && out.contains("the row of one of the two records changed"), "\(out)")
    }

    @Test("a row deleted from the batch: the rows below are named with the id recorded and the id they hold now")
    func rowDeleted() throws {
        let (folder, rules, firms, records) = try Self.batch("batch-row-deleted")
        let text = try folder.read("firms.csv")
        // The sample's lines end in CR LF, one `Character` each.
        let lines = text.split(whereSeparator: \.isNewline)
        let kept = lines.filter { !$0.hasPrefix("S004,") }
        #expect(kept.count + 1 == lines.count)
        try folder.write("firms.csv", kept.joined(separator: "\r\n") + "\r\n")
        let verified = try runSoe(["verify", records, "--rules", rules, firms])
        #expect(verified.exitCode == 1)
        #expect(verified.stdout.contains("firms.csv row 5, id S004 (given as \(firms) row 5, id S005)"), "\(verified.stdout)")
        #expect(
            verified.stdout.contains("(the row holds another firm than the one recorded: were rows deleted, added or moved in the batch?)"))
    }

    @Test("an edited record line, a changed firm row and a changed rule file are each named by line and id")
    func changes() throws {
        let (folder, rules, firms, records) = try Self.batch("batch-changes")
        let original = try folder.read("records.jsonl")
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[4] = lines[4].replacing("\"fiscal_year\":2024", with: "\"fiscal_year\":2023")
        try folder.write("records.jsonl", lines.joined(separator: "\n"))
        let edited = try runSoe(["verify", records, "--rules", rules, firms])
        #expect(edited.exitCode == 1)
        #expect(edited.stdout.contains("NOT VERIFIED: \(records) line 5 (\(firms) row 3, id S002): 1 finding"))
        #expect(edited.stdout.contains("fiscal year: recorded 2023, now 2024"))
        #expect(edited.stderr.contains("23 of 24 records verified, 1 NOT VERIFIED"))
        try folder.write("records.jsonl", original)

        try folder.edit("firms.csv", replacing: "S004,Hannes Hjemmebag,14460845,2024,", with: "S004,Hannes Hjemmebag,14460845,2023,")
        let row = try runSoe(["verify", records, "--rules", rules, firms])
        #expect(row.exitCode == 1)
        #expect(row.stdout.contains("input changed: \(firms) row 5, id S004: recorded sha256"))
        #expect(row.stderr.contains("21 of 24 records verified, 3 NOT VERIFIED"))
        try folder.copy("samples/batch/firms.csv")

        try folder.edit("rules/anden_aktoer.rules", replacing: "= 50 % from 2019-01-01", with: "= 60 % from 2019-01-01")
        let rule = try runSoe(["verify", records, "--rules", rules, firms])
        #expect(rule.exitCode == 1)
        #expect(rule.stdout.contains("rule file changed: \(rules)/anden_aktoer.rules: recorded sha256"))
        #expect(rule.stdout.contains("parameter market_share_min: recorded 50 %, now 60 %"))
        #expect(!rule.stdout.contains("/parameters/"), "names, not pointers")
        // The verified records are one line each, as in the clean batch: the golden file keeps the rest.
        let findings = [edited.stdout, row.stdout, rule.stdout].map { output in
            output.split(separator: "\n").filter { !$0.hasPrefix("verified: ") }.joined(separator: "\n")
        }
        expectGolden(findings.joined(separator: "\n\n") + "\n", "records/verify-batch-changes.golden")

        let json = try runSoe(["verify", records, "--rules", rules, firms, "--format", "json"])
        #expect(json.exitCode == 1)
        #expect(json.stdout.contains("\"path\":\"/parameters/"), "the pointers stay in --format json")
    }

    @Test("a rejected row gets no record but a line on standard error, and does not fail verification")
    func rejected() throws {
        let folder = try PackageScratch("batch-rejected")
        try FileManager.default.createDirectory(atPath: folder.path + "/rules", withIntermediateDirectories: true)
        for file in ["anden_aktoer.rules", "haderslev_2021.rules", "rsv_2014.rules"] {
            try folder.copy("rules/" + file, as: "rules/" + file)
        }
        let rules = folder.relative + "/rules"
        let csv = String(decoding: try RecordFixtures.bytes("samples/batch/firms.csv"), as: UTF8.self)
        let firms = try folder.write(
            "firms.csv", csv.replacing("S003,Byens Grønne Hænder A/S,14381651", with: "S003,Byens Grønne Hænder A/S,1438165"))
        let records = folder.relative + "/records.jsonl"
        let written = try runSoe(["evaluate", "--rules", rules, "--format", "record", "--output", records, firms])
        #expect(written.exitCode == 4)
        for ruleSet in ["anden_aktoer", "haderslev_2021", "rsv_2014"] {
            #expect(
                written.stderr.contains("\(firms) row 4, id S003: no record under \(ruleSet), the row was rejected: cvr:"),
                "\(written.stderr)")
        }
        #expect(try folder.read("records.jsonl").split(separator: "\n").count == 7 * 3)
        let verified = try runSoe(["verify", records, "--rules", rules, firms])
        #expect(verified.exitCode == 0, "\(verified.stdout)")
        #expect(verified.stderr.contains("21 of 21 records verified"))
    }

    @Test("a deleted record line is noted, a record of a row the batch lost is named")
    func missing() throws {
        let (folder, rules, firms, records) = try Self.batch("batch-missing")
        var lines = try folder.read("records.jsonl").split(separator: "\n").map(String.init)
        lines.remove(at: 3)
        try folder.write("records.jsonl", lines.joined(separator: "\n") + "\n")
        let verified = try runSoe(["verify", records, "--rules", rules, firms])
        #expect(verified.exitCode == 0, "the records there are still stand: \(verified.stdout)")
        #expect(verified.stdout.contains("note: \(firms) row 3, id S002 has no record under anden_aktoer"))

        // The batch without its last row.
        let bytes = try RecordFixtures.bytes("samples/batch/firms.csv")
        let lastRow = try #require(bytes.dropLast().lastIndex(of: 0x0A))
        try folder.write("firms.csv", String(decoding: bytes[...lastRow], as: UTF8.self))
        let lost = try runSoe(["verify", records, "--rules", rules, firms])
        #expect(lost.exitCode == 1, "\(lost.stdout)\(lost.stderr)")
        #expect(lost.stdout.contains("row missing: the batch input has no \(firms) row 9, id S008"))
    }

    @Test("a note names the batch file given, and the recorded name when the batch was moved")
    func noteNamesGivenFile() throws {
        let (folder, rules, firms, records) = try Self.batch("batch-moved")
        var lines = try folder.read("records.jsonl").split(separator: "\n").map(String.init)
        lines.remove(at: 3)
        try folder.write("records.jsonl", lines.joined(separator: "\n") + "\n")
        let original = try folder.read("firms.csv")
        let moved = try folder.write("archive-firms.csv", original)
        let verified = try runSoe(["verify", records, "--rules", rules, moved])
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(
            verified.stdout.contains("note: \(moved) row 3, id S002 (recorded as \(firms)) has no record under anden_aktoer"),
            "\(verified.stdout)")
        let json = try runSoe(["verify", records, "--rules", rules, moved, "--format", "json"])
        #expect(json.stdout.contains("\"row\":\"\(moved) row 3, id S002\",\"rule_set\":\"anden_aktoer\",\"recorded_source\":\"\(firms)\""))
        #expect(try folder.read("archive-firms.csv") == original, "the input is untouched")
    }

    @Test("records are made row by row: --jobs with --format record is a usage error")
    func jobs() throws {
        let result = try runSoe(["evaluate", "--rules", "rules", "--format", "record", "--jobs", "2", "samples/batch/firms.csv"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--jobs applies to csv and jsonl results"))
    }
}
