import Foundation
import SoeTestSupport
import Testing

@testable import SoeCLI
@testable import SoeEngine
@testable import SoeLanguage

/// The analysis in the HTML dossier: an undetermined firm, a firm decided by the bounds, and a
/// decided firm with its counterfactuals and borderline flag, in English and Danish.
@Suite("bounds: the analysis in the HTML dossier")
struct DossierAnalysisTests {
    typealias Firms = AnalysisRenderingTests

    @Test("undetermined: what would settle it, by description, and what the limits rule out (English and Danish)")
    func undetermined() throws {
        let trace = try Firms.trace(Firms.issueFirm)
        let english = HTMLDossier.render([trace], language: .english)
        expectGolden(english, "html/bounds_issue_case.en.html")
        expectGolden(HTMLDossier.render([trace], language: .danish), "html/bounds_issue_case.da.html")
        #expect(english.contains("<h2>Missing data that would settle it</h2>"))
        #expect(english.contains("(<code>other_public_contracts</code>) alone decides between"))
        #expect(english.contains("ruled out: Other actor (anden aktør)"))
        #expect(!english.contains("<script"))
    }

    @Test("decided by the bounds: the outcome, the note and its grounds in the outcome box; the missing data still listed")
    func decidedByBounds() throws {
        let trace = try Firms.trace(Firms.decidedByBounds)
        let english = HTMLDossier.render([trace], language: .english)
        let danish = HTMLDossier.render([trace], language: .danish)
        expectGolden(english, "html/bounds_decided_by_bounds.en.html")
        expectGolden(danish, "html/bounds_decided_by_bounds.da.html")
        #expect(english.contains("<div class=\"outcome bounded"))
        #expect(english.contains("(decided by the declared limits of the missing data)"))
        #expect(english.contains("<code>grants</code>): at least 0.00 kr"))
        #expect(english.contains("<h2>Missing data</h2>"))
        #expect(danish.contains("afgjort ud fra de erklærede grænser for de manglende data"))
    }

    @Test("decided: every single-input change in the input's unit, and the borderline flag (English and Danish)")
    func decided() throws {
        let trace = try Firms.trace(Firms.onThreshold, borderline: Firms.twoPercent)
        let english = HTMLDossier.render([trace], language: .english)
        let danish = HTMLDossier.render([trace], language: .danish)
        expectGolden(english, "html/bounds_on_threshold.en.html")
        expectGolden(danish, "html/bounds_on_threshold.da.html")
        #expect(english.contains("would have to rise by 0.01 kr, to 500,000.01 kr"))
        #expect(english.contains("<p class=\"borderline flagged\"><strong>Borderline (≤ 2"))
        #expect(danish.contains("skulle stige med 0,01 kr, til 500.000,01 kr"))
        let far = HTMLDossier.render([try Firms.trace(Firms.farFromIt, borderline: Firms.twoPercent)], language: .english)
        #expect(far.contains("Not borderline (≤ 2"))
    }

    @Test("a decided firm no single change can move says so, and names the inputs no value moves")
    func noSingleChange() throws {
        var trace = try Firms.trace(Firms.farFromIt)
        let outcome = try #require(trace.decision.outcome)
        // The case of CounterfactualTests.unmovable, on this firm: no change found, two inputs proven unmovable.
        trace.analysis?.counterfactuals = Counterfactuals(outcome: outcome, changes: [], unmovable: [0, 6], inconclusive: [])
        let danish = HTMLDossier.render([trace], language: .danish)
        #expect(danish.contains("<p class=\"no-change\">Ingen ændring af ét enkelt input inden for dets grænser ændrer resultatet.</p>"))
        #expect(danish.contains("Ingen værdi inden for grænserne ændrer resultatet: Har eget CVR-nummer (<code>own_cvr</code>) og "))
        #expect(!danish.contains("<table class=\"changes\">"))
    }

    @Test("the record seal in a dossier with the analysis is that of the record, which seals the analysis too")
    func sealUnchanged() throws {
        let trace = try Firms.trace(Firms.issueFirm)
        let seal = DecisionRecord.seal(DecisionRecord.body(trace))
        let html = HTMLDossier.render([trace], language: .english)
        #expect(html.contains(seal))
        var plain = trace
        plain.analysis = nil
        #expect(!html.contains(DecisionRecord.seal(DecisionRecord.body(plain))))
        #expect(html.contains("soe-trace/2"))
    }

    @Test("end to end: soe evaluate --format html shows the analysis; nothing is written as a script")
    func endToEnd() throws {
        let run = try runSoe(
            ["evaluate", "--rules", "rules/anden_aktoer.rules", "--format", "html", "--lang", "da", "--borderline", "2 %", "-"],
            stdin: Firms.onThreshold)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("<h2>Hvad der ville ændre det (ét input ad gangen)</h2>"))
        #expect(run.stdout.contains("Grænsetilfælde (≤ 2"))
        #expect(!run.stdout.contains("<script"))
        let undetermined = try runSoe(
            ["evaluate", "--rules", "rules/anden_aktoer.rules", "--format", "html", "--lang", "en", "-"], stdin: Firms.issueFirm)
        #expect(undetermined.exitCode == 0, "\(undetermined.stderr)")
        #expect(undetermined.stdout.contains("<h2>Missing data that would settle it</h2>"))
    }

    @Test("the batch HTML overview marks a borderline row with the input's description; a row far from it has no mark")
    func batchOverview() throws {
        let csv = """
            name,fiscal_year,own_cvr,public_ownership,market_sales,municipal_employment_services,other_public_contracts,grants,ordinary_employees,fleksjob,loentilskud,skaanejob,smaajob,virksomhedspraktik
            Tærskel ApS,2024,yes,0,500000.00,500000.00,0,0,8,2,0,1,2,1
            Langt fra ApS,2024,yes,0,900000.00,100000.00,0,0,8,2,0,1,2,1

            """
        let run = try runSoe(
            [
                "evaluate", "--rules", "rules/anden_aktoer.rules", "--input-format", "csv", "--format", "html", "--borderline", "2 %",
                "--lang", "da", "--no-progress", "-",
            ],
            stdin: csv)
        #expect(run.exitCode == 0, "\(run.stderr)")
        let marks = run.stdout.components(separatedBy: "<div class=\"detail borderline-mark\">Grænsetilfælde: ").count - 1
        #expect(marks == 1, "one borderline row of two")
        #expect(run.stdout.contains("Langt fra ApS"), "no row lost")
    }
}
