import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// "Not in force" in the JSON trace in its own words, with both ends of the period; records made
/// before traces carried those words still verify, byte for byte as they are.
@Suite("not in force: the JSON trace's words, and records made before them")
struct NotInForceRecordTests {
    static let folder = "Tests/SoeEngineTests/Fixtures/records-before"
    static let rules = folder + "/period.rules"

    @Test("the JSON trace of a rule set not in force says so in Danish and English, with the start and the end of its period")
    func jsonWords() throws {
        let run = try runSoe(["evaluate", "--rules", Self.rules, Self.folder + "/late.json", "--format", "json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let trace = JSONOutput(try #require(try? JSONReader.parse(Array(run.stdout.utf8)).get()))
        let words = try #require(trace.at("result", "not_in_force"))
        #expect(words.member("in_force_from") == .string("2015-01-01"))
        #expect(words.member("in_force_until") == .string("2019-12-31"))
        #expect(words.member("on") == .string("2024-12-31"))
        #expect(words.at("label", "da") == .string("Gælder ikke"))
        #expect(words.at("label", "en") == .string("Not in force"))
        let danish = try #require(words.at("reason", "da")?.stringValue)
        #expect(danish.contains("regnskabsåret 2024") && danish.contains("fra 01.01.2015 til 31.12.2019"), "\(danish)")
        let english = try #require(words.at("reason", "en")?.stringValue)
        #expect(english.contains("from 2015-01-01 until 2019-12-31"), "\(english)")
        // A decided firm's trace has no such member.
        let decided = try runSoe(["evaluate", "--rules", "samples/minimal/minimal.rules", "samples/minimal/cafe.json", "--format", "json"])
        #expect(decided.exitCode == 0)
        #expect(!decided.stdout.contains("\"not_in_force\": {"))
    }

    @Test("records made before the words verify byte for byte as they are: one firm, and a batch")
    func oldRecordsVerify() throws {
        let single = Self.folder + "/late.record.json"
        let batch = Self.folder + "/late.records.jsonl"
        let before = (try RecordFixtures.bytes(single), try RecordFixtures.bytes(batch))
        #expect(!String(decoding: before.0, as: UTF8.self).contains("\"not_in_force\": {"), "the fixture is of the old form")

        let one = try runSoe(["verify", single, "--rules", Self.rules, Self.folder + "/late.json"])
        #expect(one.exitCode == 0, "\(one.stdout)\(one.stderr)")
        #expect(one.stdout.hasPrefix("verified:") && one.stdout.contains("not_in_force"), "\(one.stdout)")
        let many = try runSoe(["verify", batch, "--rules", Self.rules, Self.folder + "/late.csv"])
        #expect(many.exitCode == 0, "\(many.stdout)\(many.stderr)")
        #expect(many.stderr.contains("2 of 2 records verified"), "\(many.stderr)")
        #expect(try RecordFixtures.bytes(single) == before.0 && RecordFixtures.bytes(batch) == before.1, "the records are untouched")

        // A record made now carries the words, differs from the old one only by them, and verifies too.
        let made = try runSoe(["evaluate", "--rules", Self.rules, Self.folder + "/late.json", "--format", "record"])
        #expect(made.exitCode == 0)
        #expect(made.stdout.contains("\"not_in_force\": {") && made.stdout.contains("i kraft fra 01.01.2015 til 31.12.2019"))
        let scratch = try ScratchFolder()
        let now = try scratch.write("now.record.json", made.stdout)
        let verified = try runSoe(["verify", now, "--rules", Self.rules, Self.folder + "/late.json"])
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
    }

    @Test("an old record edited to another period does not verify: the words are left out, the period is not")
    func oldRecordStillChecked() throws {
        let scratch = try ScratchFolder()
        let text = String(decoding: try RecordFixtures.bytes(Self.folder + "/late.record.json"), as: UTF8.self)
        let edited = text.replacingOccurrences(of: "\"in_force_until\": \"2019-12-31\"", with: "\"in_force_until\": \"2029-12-31\"")
        #expect(edited != text)
        let record = try scratch.write("edited.json", edited)
        let run = try runSoe(["verify", record, "--rules", Self.rules, Self.folder + "/late.json"])
        #expect(run.exitCode == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("NOT VERIFIED") && run.stdout.contains("record edited"), "\(run.stdout)")
    }

    @Test("with --as-of, a batch's trace stream expands to the words of the trace written directly")
    func streamAsOf() throws {
        let loaded = RuleLoader.load([SourceFile(path: Self.rules, bytes: try RecordFixtures.bytes(Self.rules))])
        let input = try RecordFixtures.bytes(Self.folder + "/late.csv")
        func run(_ traceFormat: BatchTraceFormat) -> [[UInt8]] {
            var options = BatchOptions(
                inputFormat: .csv, outputFormat: .jsonl, traces: true, traceFormat: traceFormat, sourceName: "late.csv")
            options.asOf = Day(iso: "2030-06-30")
            let sink = MemorySink()
            _ = BatchRunner(ruleSets: loaded.ruleSets, options: options).run(ArraySource(input), to: sink)
            return sink.bytes.split(separator: 0x0A).map(Array.init)
        }
        let full = run(.full)
        let streamed = run(.stream)
        try #require(streamed.count == full.count + 1)
        let marker = Array(",\"trace\":".utf8)
        var compared = 0
        for (fullLine, streamLine) in zip(full, streamed.dropFirst()) {
            guard let cut = TraceStreamTests.find(marker, in: fullLine) else { continue }
            let document = try TraceStream.expand(header: streamed[0], row: streamLine).get()
            let expected = String(decoding: fullLine[(cut + marker.count)..<(fullLine.count - 1)], as: UTF8.self)
            #expect(document.serialized(pretty: false) == expected)
            #expect(expected.contains("\"on\":\"2030-06-30\"") && expected.contains("(what-if)"), "\(expected.prefix(300))")
            compared += 1
        }
        #expect(compared == 2)
    }
}
