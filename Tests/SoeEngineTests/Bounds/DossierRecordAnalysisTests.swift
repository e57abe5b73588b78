import Foundation
import SoeTestSupport
import Testing

@testable import SoeCLI
@testable import SoeEngine
@testable import SoeLanguage

/// The analysis sealed in a record, shown by the dossier made from the record (`soe dossier`): the
/// same bounds, settling inputs, counterfactuals and borderline flag as the dossier `soe evaluate
/// --format html` made at the time. A record does not say which outcomes are good news, so the
/// outcome colours are the only difference allowed.
@Suite("bounds: the analysis in a dossier made from a record")
struct DossierRecordAnalysisTests {
    typealias Archive = RecordAnalysisTests.Archive
    typealias Firms = AnalysisRenderingTests

    /// The page with every outcome colour made neutral (the style sheet's too), as a dossier from a
    /// record shows them.
    static func neutral(_ html: String) -> String {
        html.replacingOccurrences(of: "tone-favourable", with: "tone-neutral")
            .replacingOccurrences(of: "tone-unfavourable", with: "tone-neutral")
    }

    /// The dossier of the record at `path`, made in process as `soe dossier` makes it.
    static func dossier(ofRecordsIn text: String, _ language: Language) throws -> (html: String, traces: [Trace]) {
        let traces = try DecisionRecord.readAny(Array(text.utf8)).get().map { try $0.trace().get() }
        return (HTMLDossier.render(traces, language: language), traces)
    }

    @Test(
        "every sample under every bundled rule set, with and without a borderline share, in both languages: the dossier from the record is the evaluation's",
        arguments: [nil, "2 %", "40 %"])
    func samplesAsEvaluated(borderline: String?) throws {
        let samples = try FileManager.default.contentsOfDirectory(atPath: TestPaths.root + "/samples").filter { $0.hasSuffix(".json") }
            .sorted()
        #expect(samples.count >= 10)
        let flags = borderline.map { ["--borderline", $0] } ?? []
        var analysed = 0
        var counterfactuals = 0
        var settling = 0
        for sample in samples {
            let path = "samples/" + sample
            let record = try runSoe(["evaluate", "--rules", "rules", path, "--format", "record"] + flags)
            guard record.exitCode == 0 else { continue }
            for language in [Language.english, .danish] {
                let code = language == .danish ? "da" : "en"
                let evaluated = try runSoe(["evaluate", "--rules", "rules", path, "--format", "html", "--lang", code] + flags)
                #expect(evaluated.exitCode == 0, "\(sample): \(evaluated.stderr)")
                let (html, traces) = try Self.dossier(ofRecordsIn: record.stdout, language)
                #expect(
                    Self.neutral(html) == Self.neutral(evaluated.stdout),
                    "\(sample) (\(code), \(borderline ?? "no share")): the dossier differs")
                for trace in traces where trace.analysis != nil {
                    analysed += 1
                    if trace.analysis?.counterfactuals?.changes.isEmpty == false { counterfactuals += 1 }
                    if trace.analysis?.bounds?.settling.isEmpty == false { settling += 1 }
                }
            }
        }
        // The comparison is not empty: analyses with changes and with settling sets were shown.
        #expect(analysed > 40 && counterfactuals > 20 && settling > 0, "\(analysed), \(counterfactuals), \(settling)")
    }

    @Test(
        "the issue's firm, a firm decided by the bounds and a firm on the threshold flagged at 2 %: the analysis decoded is the analysis computed"
    )
    func decodedIsComputed() throws {
        for (firm, share) in [(Firms.issueFirm, nil), (Firms.decidedByBounds, nil), (Firms.onThreshold, "2 %"), (Firms.farFromIt, "2 %")] {
            let archive = try Archive(firm, borderline: share)
            let flags = share.map { ["--borderline", $0] } ?? []
            let (code, json, error) = runInProcess(["evaluate", "--rules", archive.rules, "--format", "json"] + flags + [archive.input])
            #expect(code == .success, "\(error)")
            let (_, traces) = try Self.dossier(ofRecordsIn: try archive.folder.read("firm.record.json"), .english)
            let trace = try #require(traces.first)
            let analysis = try #require(trace.analysis, "the record's analysis is decoded")
            // Written again from the decoding, the analysis is the one the evaluation wrote.
            let rewritten = JSONTraceRenderer.analysisObject(
                analysis, trace, ValueFormatter(language: .english, choiceSets: trace.choiceSets))
            let written = try #require(JSONOutput(try JSONReader.parse(Array(json.utf8)).get()).member("analysis"))
            #expect(rewritten == written, "\(JSONDifference.compact(rewritten))")
            #expect(trace.decidedByBounds == (firm == Firms.decidedByBounds ? trace.recordedBoundsOutcome : nil))
        }
    }

    @Test("a record whose analysis names an input the trace does not define is refused by the dossier, with the name")
    func undefinedNameRefused() throws {
        let archive = try Archive(Firms.onThreshold, borderline: "2 %")
        let text = try archive.folder.read("firm.record.json")
        let edited = text.replacingOccurrences(of: "\"unmovable\": [\n", with: "\"unmovable\": [\n\"no_such_input\",\n")
        #expect(edited != text)
        let stored = try #require(try DecisionRecord.read(Array(edited.utf8)).get().first)
        let members = stored.members.filter { $0.0 != DecisionRecord.sealKey }
        try archive.folder.write("firm.record.json", DecisionRecord.sealed(members).serialized(pretty: true))
        let (code, _, error) = runInProcess(["dossier", archive.record, "--lang", "en"])
        #expect(code == .dataError)
        #expect(error.contains("the trace names the input 'no_such_input' but does not define it"), "\(error)")
    }
}
