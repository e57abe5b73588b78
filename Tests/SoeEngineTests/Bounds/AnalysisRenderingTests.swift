import Foundation
import SoeTestSupport
import Testing

@testable import SoeCLI
@testable import SoeEngine
@testable import SoeLanguage

/// Borderline flags, the `borderline` header line, and the analysis in text, JSON (`soe-trace/2`)
/// and batch results.
@Suite("bounds: borderline flags and renderings")
struct AnalysisRenderingTests {
    static let issueFirm =
        #"{"name": "Kaffe ApS", "fiscal_year": 2024, "own_cvr": true, "public_ownership": 0, "market_sales": "1250000.00", "municipal_employment_services": "300000.00", "other_public_contracts": null, "grants": "0", "#
        + BoundsTests.staff + "}"
    static let onThreshold =
        #"{"name": "Tærskel ApS", "fiscal_year": 2024, "own_cvr": true, "public_ownership": 0, "market_sales": "500000.00", "municipal_employment_services": "500000.00", "other_public_contracts": 0, "grants": 0, "#
        + BoundsTests.staff + "}"
    static let farFromIt =
        #"{"name": "Langt fra ApS", "fiscal_year": 2024, "own_cvr": true, "public_ownership": 0, "market_sales": "900000.00", "municipal_employment_services": "100000.00", "other_public_contracts": 0, "grants": 0, "#
        + BoundsTests.staff + "}"

    /// Grants missing (`min 0 kr`): whatever they are, market sales stay under half the revenue
    /// (at most 42.86 %) and employment services under half (at most 28.57 %): an ordinary business.
    static let decidedByBounds =
        #"{"name": "Grænse ApS", "fiscal_year": 2024, "own_cvr": true, "public_ownership": 0, "market_sales": "300000.00", "municipal_employment_services": "200000.00", "other_public_contracts": "200000.00", "grants": null, "#
        + BoundsTests.staff + "}"

    /// The trace `soe evaluate` makes for a firm under the bundled screening.
    static func trace(_ firmText: String, borderline: Exact? = nil) throws -> Trace {
        let text = try String(contentsOfFile: TestPaths.rules + "/anden_aktoer.rules", encoding: .utf8)
        let loaded = loadRules([("rules/anden_aktoer.rules", text)])
        let ruleSet = try #require(loaded.ruleSets.first)
        let firm = try FirmReader.readJSON(Array(firmText.utf8), source: "firm.json", knownInputs: Set(ruleSet.inputs.map(\.name))).get()
        let bound = try firm.bind(to: ruleSet).get()
        var evaluator = Evaluator(ruleSet: ruleSet)
        let decision = evaluator.evaluate(inputs: bound.values, on: firm.closingDay)
        evaluator.settleEverything()
        var trace = TraceBuilder.build(evaluator: evaluator, decision: decision, firm: firm, bound: bound, engineVersion: "test")
        trace.analysis = evaluator.analysis(of: decision, borderline: borderline)
        return trace
    }

    static let twoPercent = Exact(numerator: 2, denominator: 100) ?? .zero

    @Test("a firm on the threshold is borderline at 2 %, naming the input; one far from it is not")
    func borderline() throws {
        let near = try #require(try Self.trace(Self.onThreshold, borderline: Self.twoPercent).analysis)
        let flagged = try #require(near.borderline)
        #expect(["municipal_employment_services", "market_sales"].contains(try Self.trace(Self.onThreshold).inputs[flagged.input].name))
        let far = try #require(try Self.trace(Self.farFromIt, borderline: Self.twoPercent).analysis)
        #expect(far.borderline == nil)
        #expect(far.borderlineShare == Self.twoPercent)
    }

    @Test("the header line 'borderline 2 %' is the rule set's default; a share outside 0–100 % or in kroner is refused")
    func headerLine() {
        let base = "ruleset t \"T\"\n  in force from 2015-01-01\n  borderline BORDER\ninput a: money\nclassify\n  otherwise o \"O\"\n"
        let (ruleSet, diagnostics) = checkRules(base.replacingOccurrences(of: "BORDER", with: "2 %"))
        #expect(diagnostics.isEmpty)
        #expect(ruleSet?.borderline == Self.twoPercent)
        let (_, tooLarge) = checkRules(base.replacingOccurrences(of: "BORDER", with: "200 %"))
        #expect(tooLarge.contains { $0.message.contains("from 0 % to 100 %") })
        let (_, kroner) = checkRules(base.replacingOccurrences(of: "BORDER", with: "2 kr"))
        #expect(!kroner.isEmpty)
    }

    @Test("--borderline reads '2 %', '2%' and '2', and refuses what is not a share")
    func parseShare() throws {
        for text in ["2 %", "2%", "2", " 2 % "] { #expect(try BorderlineShare.parse(text).get() == Self.twoPercent) }
        for text in ["", "x", "-1 %", "101 %"] {
            guard case .failure(let error) = BorderlineShare.parse(text) else {
                Issue.record("'\(text)' was read")
                continue
            }
            #expect(error.text(.danish).contains("andel"))
        }
    }

    @Test("text: the issue case shows what would settle it and what the limits rule out (English and Danish)")
    func textUndetermined() throws {
        let trace = try Self.trace(Self.issueFirm)
        expectGolden(TextTraceRenderer.render(trace, language: .english), "bounds/issue_case.en.txt")
        expectGolden(TextTraceRenderer.render(trace, language: .danish), "bounds/issue_case.da.txt")
    }

    @Test("text: a decided firm on the threshold shows what would change it and the borderline flag")
    func textDecided() throws {
        let trace = try Self.trace(Self.onThreshold, borderline: Self.twoPercent)
        expectGolden(TextTraceRenderer.render(trace, language: .english), "bounds/on_threshold.en.txt")
    }

    @Test("JSON: soe-trace/2 with the analysis; the flat missing list stays; without an analysis soe-trace/1 as before")
    func json() throws {
        let trace = try Self.trace(Self.issueFirm)
        let document = JSONTraceRenderer.render(trace)
        expectGolden(document, "bounds/issue_case.json")
        #expect(document.contains("\"schema\": \"soe-trace/2\""))
        var plain = trace
        plain.analysis = nil
        #expect(JSONTraceRenderer.render(plain).contains("\"schema\": \"soe-trace/1\""))
        #expect(!JSONTraceRenderer.render(plain).contains("\"analysis\""))
    }

    @Test("decided by the bounds: the result, its grounds and the missing data, in text (English and Danish) and JSON")
    func decidedByBoundsRendering() throws {
        let trace = try Self.trace(Self.decidedByBounds)
        #expect(trace.decision.outcome == nil, "the data alone does not decide it")
        let ordinary = try #require(trace.outcomes.firstIndex { $0.name == "ordinary" })
        #expect(trace.decidedByBounds == ordinary)
        let english = TextTraceRenderer.render(trace, language: .english)
        expectGolden(english, "bounds/decided_by_bounds.en.txt")
        expectGolden(TextTraceRenderer.render(trace, language: .danish), "bounds/decided_by_bounds.da.txt")
        #expect(english.contains("Result: Ordinary business (decided by the declared limits of the missing data)"))
        #expect(english.contains("grants at least 0.00 kr"))
        #expect(english.contains("Missing: grants"), "the missing data still listed")
        let summary = TextSummary.render([trace], language: .danish)
        #expect(summary.contains("Ordinær virksomhed (afgjort ud fra de erklærede grænser for de manglende data)"))
        let document = JSONTraceRenderer.render(trace)
        expectGolden(document, "bounds/decided_by_bounds.json")
        #expect(document.contains("\"status\": \"decided_by_bounds\""))
        #expect(document.contains("\"outcome\": \"ordinary\""))
        // Without the analysis (a record's soe-trace/1), the data alone: undetermined, as before.
        var plain = trace
        plain.analysis = nil
        let before = JSONTraceRenderer.render(plain)
        #expect(before.contains("\"status\": \"undetermined\""))
        #expect(!TextTraceRenderer.render(plain, language: .english).contains("decided by the declared limits"))
        let run = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", "--lang", "en", "-"], stdin: Self.decidedByBounds)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("anden_aktoer  Ordinary business (decided by the declared limits of the missing data)"))
        #expect(run.stdout.contains("Grounds: every value the missing data could take"))
    }

    @Test("an undetermined firm the bounds do not settle keeps the status undetermined")
    func notDecidedByBounds() throws {
        let trace = try Self.trace(Self.issueFirm)
        #expect(trace.decidedByBounds == nil)
        #expect(JSONTraceRenderer.render(trace).contains("\"status\": \"undetermined\""))
    }

    @Test("end to end: soe evaluate --borderline, and a batch's borderline column")
    func endToEnd() throws {
        let text = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", "--borderline", "2 %", "-"], stdin: Self.onThreshold)
        #expect(text.exitCode == 0)
        #expect(text.stdout.contains("Borderline (≤ 2"))
        #expect(text.stdout.contains("would have to rise by 0.01 kr"))
        // The summary says it under the result, so --brief, which is the summary alone, does too.
        let brief = try runSoe(
            ["evaluate", "--rules", "rules/anden_aktoer.rules", "--borderline", "2 %", "--brief", "-"], stdin: Self.onThreshold)
        let summary = brief.stdout.split(separator: "\n").map(String.init)
        #expect(summary.count == 3, "\(brief.stdout)")
        #expect(summary.last?.hasPrefix("                Borderline (≤ 2 %): ") == true, "\(brief.stdout)")
        #expect(summary.last?.contains("would have to fall by 0.01 kr, to 499,999.99 kr") == true, "\(brief.stdout)")
        let far = try runSoe(
            ["evaluate", "--rules", "rules/anden_aktoer.rules", "--borderline", "2 %", "--brief", "-"], stdin: Self.issueFirm)
        #expect(!far.stdout.contains("Borderline"), "not borderline: nothing added")
        let json = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", "--format", "json", "-"], stdin: Self.issueFirm)
        #expect(json.exitCode == 0)
        #expect(json.stdout.contains("\"ruled_out\": [\n") && json.stdout.contains("\"anden_aktoer\""))
        let wrong = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", "--borderline", "lots", "-"], stdin: Self.onThreshold)
        #expect(wrong.exitCode == 2)
        #expect(wrong.stderr.contains("--borderline"))
        let csv = """
            name,fiscal_year,own_cvr,public_ownership,market_sales,municipal_employment_services,other_public_contracts,grants,ordinary_employees,fleksjob,loentilskud,skaanejob,smaajob,virksomhedspraktik
            Tærskel ApS,2024,yes,0,500000.00,500000.00,0,0,8,2,0,1,2,1
            Langt fra ApS,2024,yes,0,900000.00,100000.00,0,0,8,2,0,1,2,1

            """
        let batch = try runSoe(
            [
                "evaluate", "--layout", "long", "--rules", "rules/anden_aktoer.rules", "--input-format", "csv", "--borderline", "2%",
                "--no-progress", "-",
            ],
            stdin: csv)
        #expect(batch.exitCode == 0, "\(batch.stderr)")
        let lines = batch.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "header and both rows, none lost")
        #expect(lines.first?.hasSuffix(",reason,borderline") == true)
        #expect(lines.dropFirst().first.map { $0.hasSuffix(",municipal_employment_services") || $0.hasSuffix(",market_sales") } == true)
        #expect(lines.last?.hasSuffix(",") == true, "not borderline: an empty cell")
        let plain = try runSoe(
            ["evaluate", "--layout", "long", "--rules", "rules/anden_aktoer.rules", "--input-format", "csv", "--no-progress", "-"],
            stdin: csv)
        #expect(plain.stdout.split(separator: "\n").first?.hasSuffix(",reason") == true, "no column unless asked for")
    }
}
