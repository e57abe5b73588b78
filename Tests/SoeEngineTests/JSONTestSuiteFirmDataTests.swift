import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Issue 6: every document of JSONTestSuite given as firm data gives a clean result. `y_` documents
/// parse and then pass or fail the firm checks with a clear message; `n_` documents are rejected as
/// "not valid JSON" with a line and column; `i_` documents may go either way; none crashes.
@Suite("JSONTestSuite as firm data")
struct JSONTestSuiteFirmDataTests {
    static let folder = TestPaths.conformance + "/jsontestsuite/test_parsing"

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test("all 318 documents: accepted or refused with a reason, as their prefix says")
    func everyDocument() throws {
        let ruleSet = try #require(RuleSetTests.loaded?.ruleSets.first { $0.name == "rsv_2014" })
        #expect(Self.files.count == 318)
        var counts = (accepted: 0, refusedAsJSON: 0, refusedAsFirm: 0)
        for name in Self.files {
            let bytes = try #require(FileManager.default.contents(atPath: Self.folder + "/" + name)).map { $0 }
            switch FirmReader.read(bytes, source: name, ruleSets: [ruleSet]) {
            case .success:
                counts.accepted += 1
                #expect(!name.hasPrefix("n_"), "\(name) is not JSON but was accepted as a firm")
            case .failure(let errors):
                #expect(!errors.errors.isEmpty, "\(name) was refused without a reason")
                for error in errors.errors {
                    #expect(!error.message.isEmpty && error.line >= 1 && error.column >= 1, "\(name): \(error)")
                }
                // Refused as JSON: with the position, or, for a file of another kind (not UTF-8,
                // UTF-16, CSV-like, several values), with what it is instead (`InputSniffer`).
                let kinds = ["not valid JSON: ", "the file is ", "this looks like CSV", "there is more than one JSON value"]
                let notJSON = errors.errors.contains { error in kinds.contains { error.message.hasPrefix($0) } }
                if name.hasPrefix("n_") {
                    #expect(notJSON, "\(name) must be refused as JSON, with the position: \(errors.errors)")
                    counts.refusedAsJSON += 1
                } else if name.hasPrefix("y_") {
                    #expect(!notJSON, "\(name) is valid JSON and must not be refused as JSON")
                    counts.refusedAsFirm += 1
                } else if notJSON {
                    counts.refusedAsJSON += 1
                } else {
                    counts.refusedAsFirm += 1
                }
            }
        }
        // No y_ document is a whole firm (none has a fiscal year), so all are refused by the firm checks.
        #expect(counts.accepted == 0)
        #expect(counts.refusedAsJSON + counts.refusedAsFirm == 318)
        #expect(counts.refusedAsJSON >= 188, "every n_ document, and the i_ documents the reader refuses")
    }
}
