import Foundation
import SoeTestSupport
import Testing

@testable import SoeCLI
@testable import SoeEngine
@testable import SoeLanguage

/// The analysis sealed in a decision record: `soe evaluate --format record` writes it (the trace is
/// `soe-trace/2`), `soe verify` computes it again and compares it like the rest, and records made
/// before (a `soe-trace/1` trace, no analysis) verify as they always did.
@Suite("bounds: the analysis in decision records")
struct RecordAnalysisTests {
    typealias Firms = AnalysisRenderingTests

    /// A scratch folder with the bundled screening, one firm and its record made by the CLI.
    struct Archive {
        let folder: ScratchFolder
        var rules: String { folder.path + "/anden_aktoer.rules" }
        var input: String { folder.path + "/firm.json" }
        var record: String { folder.path + "/firm.record.json" }

        init(_ firm: String, borderline: String? = nil) throws {
            folder = try ScratchFolder()
            try folder.copy("rules/anden_aktoer.rules")
            try folder.write("firm.json", firm)
            let flags = borderline.map { ["--borderline", $0] } ?? []
            let (code, _, error) = runInProcess(["evaluate", "--rules", rules, "--format", "record", "--output", record] + flags + [input])
            #expect(code == .success, "\(error)")
        }

        var arguments: [String] { ["verify", record, "--rules", rules, input] }

        func document() throws -> JSONOutput {
            let stored = try #require(try DecisionRecord.read(Array(try folder.read("firm.record.json").utf8)).get().first)
            return stored.body
        }
    }

    @Test("an undetermined firm's record seals the bounds and the settling inputs, and verifies")
    func undeterminedVerifies() throws {
        let archive = try Archive(Firms.issueFirm)
        let record = try archive.document()
        #expect(record.at("trace", "schema") == .string("soe-trace/2"))
        #expect(record.at("decision", "status") == .string("undetermined"))
        let ruledOut = record.at("trace", "analysis", "bounds", "ruled_out")
        #expect(ruledOut == .array([.string("anden_aktoer")]))
        let (code, out, error) = runInProcess(archive.arguments)
        #expect(code == .success, "\(out)\(error)")
        #expect(out.hasPrefix("verified: "), "\(out)")
    }

    @Test("a firm decided by the bounds: the record says so (decided_by_bounds), with its grounds, and verifies")
    func decidedByBoundsVerifies() throws {
        let archive = try Archive(Firms.decidedByBounds)
        let record = try archive.document()
        #expect(record.at("decision", "status") == .string("decided_by_bounds"))
        #expect(record.at("decision", "outcome") == .string("ordinary"))
        #expect(record.at("trace", "analysis", "bounds", "outcome") == .string("ordinary"))
        let (code, out, error) = runInProcess(archive.arguments)
        #expect(code == .success, "\(out)\(error)")
    }

    @Test("a decided firm on the threshold: counterfactuals and the borderline share sealed; verify uses the recorded share")
    func borderlineVerifies() throws {
        let archive = try Archive(Firms.onThreshold, borderline: "2 %")
        let record = try archive.document()
        #expect(record.at("trace", "analysis", "borderline", "share") == .string("0.02"))
        #expect(record.at("trace", "analysis", "borderline", "flagged") == .bool(true))
        guard case .array(let changes)? = record.at("trace", "analysis", "counterfactuals", "changes") else {
            Issue.record("no counterfactuals in the record")
            return
        }
        #expect(changes.count > 2)
        // No --borderline given to verify: the share comes from the record.
        let (code, out, error) = runInProcess(archive.arguments)
        #expect(code == .success, "\(out)\(error)")
    }

    @Test("an edited counterfactual with a recomputed seal is found: the analysis is computed again and compared")
    func editedAnalysisFound() throws {
        let archive = try Archive(Firms.onThreshold, borderline: "2 %")
        let text = try archive.folder.read("firm.record.json")
        // One øre more: the nearest change is now wrong, and the seal is made to match the edit.
        let edited = text.replacingOccurrences(of: "\"exact\": \"500000.01\"", with: "\"exact\": \"500000.02\"")
        #expect(edited != text)
        let stored = try #require(try DecisionRecord.read(Array(edited.utf8)).get().first)
        let members = stored.members.filter { $0.0 != DecisionRecord.sealKey }
        try archive.folder.write("firm.record.json", DecisionRecord.sealed(members).serialized(pretty: true))
        let (code, out, _) = runInProcess(archive.arguments)
        #expect(code == .findings)
        #expect(out.contains("NOT VERIFIED"), "\(out)")
        #expect(out.contains("explanation changed"), "\(out)")
    }

    @Test("a record whose analysis was removed, relabelled soe-trace/1 and resealed: verified, with today's analysis beside it")
    func removedAnalysisIsTold() throws {
        let archive = try Archive(Firms.onThreshold, borderline: "2 %")
        let stored = try #require(try DecisionRecord.read(Array(try archive.folder.read("firm.record.json").utf8)).get().first)
        // What an old record looks like: the analysis taken out of the trace, the schema relabelled, the seal made again.
        let stripped = stored.members.compactMap { key, value -> (String, JSONOutput)? in
            guard key != DecisionRecord.sealKey else { return nil }
            guard key == "trace", case .object(let fields) = value else { return (key, value) }
            return (key, .object(fields.compactMap { $0.0 == "analysis" ? nil : ($0.0 == "schema" ? ($0.0, .string("soe-trace/1")) : $0) }))
        }
        try archive.folder.write("firm.record.json", DecisionRecord.sealed(stripped).serialized(pretty: true))
        let (code, out, error) = runInProcess(archive.arguments)
        // Nothing in the record tells it from one made before the engine wrote an analysis: it verifies,
        // and the note says what was not recorded, with the change that would overturn the decision.
        #expect(code == .success, "\(out)\(error)")
        #expect(out.hasPrefix("verified: "), "\(out)")
        #expect(out.contains("note: the record holds no analysis (its trace is soe-trace/1)"), "\(out)")
        #expect(out.contains("its analysis was removed"), "\(out)")
        let today = "The analysis today: the nearest change: market_sales would have to fall by 0.01 kr, to 499,999.99 kr"
        #expect(out.contains(today + ", for the firm to be Other actor"), "\(out)")
        let (_, json, _) = runInProcess(archive.arguments + ["--format", "json"])
        #expect(json.contains("\"analysis_not_recorded\":\"the nearest change: market_sales"), "\(json)")
        // The record as made, with its analysis: no note.
        let fresh = try Archive(Firms.onThreshold, borderline: "2 %")
        let (_, plain, _) = runInProcess(fresh.arguments)
        #expect(plain.hasPrefix("verified: ") && !plain.contains("note:"), "\(plain)")
    }

    @Test("a batch's records, which never hold an analysis, verify without the note")
    func batchRecordsGetNoNote() throws {
        let folder = try ScratchFolder()
        try folder.copy("samples/batch/firms.csv")
        try folder.copy("rules/anden_aktoer.rules")
        let (rules, firms, records) = (folder.path + "/anden_aktoer.rules", folder.path + "/firms.csv", folder.path + "/r.jsonl")
        let (made, _, error) = runInProcess(["evaluate", "--rules", rules, firms, "--format", "record", "--output", records])
        #expect(made == .success, "\(error)")
        let (code, json, _) = runInProcess(["verify", records, "--rules", rules, firms, "--format", "json"])
        #expect(code == .success, "\(json)")
        #expect(json.contains("\"verified\":true") && !json.contains("analysis_not_recorded"), "\(json)")
    }

    @Test("records made before the analysis (soe-trace/1) verify byte for byte as before, end to end")
    func oldRecordVerifies() throws {
        // The golden record is made without the analysis, as every record before this change.
        let golden = "Tests/SoeEngineTests/Golden/records/kaffekollektivet.record.json"
        let text = try String(contentsOfFile: TestPaths.root + "/" + golden, encoding: .utf8)
        #expect(text.contains("\"schema\": \"soe-trace/1\""))
        #expect(!text.contains("\"analysis\""))
        let run = try runSoe(["verify", golden, "--rules", "rules/rsv_2014.rules", "samples/kaffekollektivet.json"])
        #expect(run.exitCode == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("verified: "), "\(run.stdout)")
        #expect(run.stdout.contains("note: the record holds no analysis"), "\(run.stdout)")
        // And the library still writes exactly those bytes for a trace without an analysis.
        expectGolden(DecisionRecord.render([try RecordFixtures.kaffekollektivet()]), "records/kaffekollektivet.record.json")
    }
}
