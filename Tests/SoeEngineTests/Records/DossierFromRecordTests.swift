import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// `soe dossier`: the HTML dossier made from decision records alone, showing each record's seal,
/// and refusing a record whose seal does not match.
@Suite("a dossier made from a record")
struct DossierFromRecordTests {
    static let period = "Tests/SoeEngineTests/Fixtures/records-before/period.rules"
    static let late = "Tests/SoeEngineTests/Fixtures/records-before/late.json"

    /// A decided, an undetermined and a not-in-force decision.
    static func threeStates() throws -> [Trace] {
        let notInForce = try RecordFixtures.trace(
            rules: [(period, RecordFixtures.bytes(period))], firm: RecordFixtures.bytes(late), source: late)
        return [try RecordFixtures.kaffekollektivet(), try RecordFixtures.undetermined(), notInForce]
    }

    /// The records' body as the trace read back from them writes it again: nothing lost.
    static func expectRoundTrip(_ records: [StoredRecord], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for record in records {
            switch record.trace() {
            case .failure(let failure):
                Issue.record("record \(record.index + 1) does not read back: \(failure)", sourceLocation: sourceLocation)
            case .success(let trace):
                let body = DecisionRecord.body(trace, batch: BatchPlace(record.body.member("batch")))
                #expect(
                    DecisionRecord.seal(body) == record.computedSeal, "record \(record.index + 1) written again differs",
                    sourceLocation: sourceLocation)
                #expect(trace.recordSeal == record.computedSeal, sourceLocation: sourceLocation)
            }
        }
    }

    @Test("the dossier of three recorded decisions matches its golden files, Danish and English, with each record's seal")
    func golden() throws {
        let text = DecisionRecord.render(try Self.threeStates())
        let records = try DecisionRecord.readAny(Array(text.utf8)).get()
        #expect(records.count == 3)
        let traces = try records.map { try $0.trace().get() }
        for language in [Language.danish, .english] {
            let html = HTMLDossier.render(traces, language: language)
            for record in records { #expect(html.contains(record.computedSeal), "the dossier shows the record's seal") }
            expectGolden(html, "records/dossier-from-record.\(language.rawValue).html")
        }
        // The not-in-force decision says so, with both dates, and shows no parameter table.
        let english = HTMLDossier.render([traces[2]], language: .english)
        #expect(english.contains("Not in force") && english.contains("in force from 2015-01-01 until 2019-12-31"))
        #expect(!english.contains("class=\"parameters\""))
    }

    @Test("a record read back is written again byte for byte: every sample firm under every bundled rule set")
    func roundTripSamples() throws {
        let samples = try FileManager.default.contentsOfDirectory(atPath: TestPaths.root + "/samples").filter { $0.hasSuffix(".json") }
            .sorted()
        #expect(samples.count >= 10)
        for sample in samples {
            let made = try runSoe([
                "evaluate", "--rules", "rules", "samples/" + sample, "--format", "record", "--decision-date", "2025-03-01",
            ])
            #expect([0, 4].contains(made.exitCode), "\(sample): \(made.stderr)")
            guard made.exitCode == 0 else { continue }
            Self.expectRoundTrip(try DecisionRecord.readAny(Array(made.stdout.utf8)).get())
        }
        let routes = try runSoe([
            "evaluate", "--rules", "Tests/SoeEngineTests/Fixtures/routes/routes.rules",
            "Tests/SoeEngineTests/Fixtures/routes/placements.json",
            "--format", "record",
        ])
        if routes.exitCode == 0 { Self.expectRoundTrip(try DecisionRecord.readAny(Array(routes.stdout.utf8)).get()) }
    }

    @Test("soe dossier on one record, an array and a batch's JSON Lines: each decision with its seal, the files untouched")
    func endToEnd() throws {
        let folder = try ScratchFolder()
        let single = try runSoe(["evaluate", "--rules", "rules/rsv_2014.rules", "samples/kaffekollektivet.json", "--format", "record"])
        let array = try runSoe(["evaluate", "--rules", "rules", "samples/kaffekollektivet.json", "--format", "record"])
        let batch = try runSoe(["evaluate", "--rules", "rules/rsv_2014.rules", "samples/batch/firms.csv", "--format", "record"])
        #expect(single.exitCode == 0 && array.exitCode == 0)
        #expect(batch.stdout.split(separator: "\n").count >= 5, "\(batch.stderr)")
        for (name, made, count) in [("one.json", single.stdout, 1), ("array.json", array.stdout, 3), ("batch.jsonl", batch.stdout, 0)] {
            let path = try folder.write(name, made)
            let seals = made.split(separator: "record_sha256").dropFirst().map { $0.drop { !$0.isHexDigit }.prefix(64) }
            #expect(count == 0 || seals.count == count)
            for language in ["da", "en"] {
                let output = folder.path + "/\(name).\(language).html"
                let run = try runSoe(["dossier", path, "--lang", language, "--output", output])
                #expect(run.exitCode == 0, "\(name): \(run.stderr)")
                let html = try folder.read("\(name).\(language).html")
                #expect(html.hasPrefix("<!DOCTYPE html>"))
                for seal in seals { #expect(html.contains(String(seal)), "\(name): the dossier shows seal \(seal)") }
                #expect(html.contains(language == "da" ? "Afgørelsespostens segl" : "Seal of the decision record"))
            }
            #expect(try folder.read(name) == made, "the record file is untouched")
        }
        // To standard output when --output is not given.
        let out = try runSoe(["dossier", folder.path + "/one.json", "--lang", "en"])
        #expect(out.exitCode == 0 && out.stdout.contains("Kaffekollektivet"))
    }

    @Test("a record that seals an analysis (soe-trace/2) gives a dossier naming that schema, and reads back with the analysis as it was")
    func recordWithAnalysis() throws {
        let folder = try ScratchFolder()
        let made = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", "samples/enkeltmand.json", "--format", "record"])
        #expect(made.exitCode == 0, "\(made.stderr)")
        #expect(made.stdout.contains("\"schema\": \"soe-trace/2\"") && made.stdout.contains("\"analysis\""))
        let records = try DecisionRecord.readAny(Array(made.stdout.utf8)).get()
        Self.expectRoundTrip(records)
        let path = try folder.write("analysed.json", made.stdout)
        let run = try runSoe(["dossier", path, "--lang", "en", "--output", folder.path + "/analysed.html"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let html = try folder.read("analysed.html")
        #expect(html.contains("<th>Format</th><td>soe-trace/2</td>"), "the format row names the record's trace schema")
        #expect(html.contains("· soe-trace/2</p>") && !html.contains("soe-trace/1"), "the footer too")
        #expect(try folder.read("analysed.json") == made.stdout)
    }

    @Test("a record whose seal does not match is refused with a clear message, and nothing is written")
    func brokenSeal() throws {
        let folder = try ScratchFolder()
        let made = try runSoe(["evaluate", "--rules", "rules/rsv_2014.rules", "samples/kaffekollektivet.json", "--format", "record"])
        let edited = made.stdout.replacingOccurrences(of: "\"fiscal_year\": 2024", with: "\"fiscal_year\": 2023")
        #expect(edited != made.stdout)
        let path = try folder.write("edited.json", edited)
        let output = folder.path + "/out.html"
        for language in ["en", "da"] {
            let run = try runSoe(["dossier", path, "--lang", language, "--output", output])
            #expect(run.exitCode == 1, "\(run.stderr)")
            #expect(
                run.stderr.contains(language == "en" ? "edited after it was sealed" : "ændret, efter at den blev forseglet"),
                "\(run.stderr)")
            #expect(run.stderr.contains("soe verify") && run.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: output), "no dossier was written")
        }
        #expect(try folder.read("edited.json") == edited)

        // Not records at all, a record of another schema, and a line of a batch file that is not a record.
        let firm = try runSoe(["dossier", "samples/kaffekollektivet.json"])
        #expect(firm.exitCode == 4 && firm.stderr.contains("not a decision record"), "\(firm.stderr)")
        let lines = made.stdout.replacingOccurrences(of: "\n", with: "") + "\n{\"schema\": \"x\"}\n"
        let mixed = try runSoe(["dossier", try folder.write("mixed.jsonl", lines)])
        #expect(mixed.exitCode == 4 && mixed.stderr.contains("line 2"), "\(mixed.stderr)")
        let usage = try runSoe(["dossier"])
        #expect(usage.exitCode == 2)
        let same = try runSoe(["dossier", path, "--output", path])
        #expect(same.exitCode == 2, "the record is never the output")
        #expect(try folder.read("edited.json") == edited)
    }
}
