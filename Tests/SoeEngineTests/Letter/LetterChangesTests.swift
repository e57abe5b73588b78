import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// A decision letter says what would change the decision, in words a firm reads: the smallest
/// changes of one figure, by its description, in the firm's own units; never an identifier.
@Suite("letter: what would change the assessment")
struct LetterChangesTests {
    @Test("a firm on the threshold: the letter names the figure, how far it must go, and the result then (Danish and English)")
    func onThreshold() throws {
        var trace = try AnalysisRenderingTests.trace(AnalysisRenderingTests.onThreshold)
        trace.decisionDate = Day(year: 2025, month: 3, day: 14)
        let danish = LetterText.render([trace], language: .danish)
        let english = LetterText.render([trace], language: .english)
        expectGolden(danish, "letter/changes.da.txt")
        expectGolden(english, "letter/changes.en.txt")
        let flat = LetterTests.flat(english)
        #expect(flat.contains("What would change the assessment"))
        // The nearest value as a value (session 20): "at least" claimed every larger figure.
        #expect(flat.contains("were 500,000.01 kr instead of 500,000.00 kr, the firm would be assessed as other actor (anden aktør)"))
        #expect(
            LetterTests.flat(danish).contains(
                "var 500.000,01 kr i stedet for 500.000,00 kr, ville virksomheden blive vurderet som anden aktør"))
        #expect(!flat.contains("were at least") && !LetterTests.flat(danish).contains("var mindst"))
        // No identifier from the rule file.
        #expect(!flat.contains("municipal_employment_services"))
        #expect(!flat.contains("market_sales"))
    }

    @Test("without the analysis (a letter made from the trace of a record made before records sealed it) there is no such section")
    func withoutAnalysis() throws {
        var trace = try AnalysisRenderingTests.trace(AnalysisRenderingTests.onThreshold)
        trace.analysis = nil
        #expect(!LetterText.render([trace], language: .english).contains("What would change"))
    }

    @Test("soe evaluate --format letter shows it end to end")
    func endToEnd() throws {
        let run = try runSoe(
            ["evaluate", "--rules", "rules/anden_aktoer.rules", "--lang", "da", "--format", "letter", "-"],
            stdin: AnalysisRenderingTests.onThreshold)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(LetterTests.flat(run.stdout).contains("Hvad der ville ændre vurderingen"))
        #expect(LetterTests.flat(run.stdout).contains("ville virksomheden blive vurderet som"))
    }
}
