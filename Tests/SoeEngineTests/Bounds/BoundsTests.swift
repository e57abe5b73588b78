import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// Bounds for missing inputs: exact intervals from the declared `min`/`max`, through the formulas.
@Suite("bounds: deciding more with missing inputs")
struct BoundsTests {
    /// The bundled screening, with one firm given as JSON members besides `fiscal_year`.
    static func screening(_ members: String) throws -> (RuleSet, Evaluator, Decision) {
        let text = try String(contentsOfFile: TestPaths.rules + "/anden_aktoer.rules", encoding: .utf8)
        return try evaluate([("anden_aktoer.rules", text)], members)
    }

    static func evaluate(_ files: [(String, String)], _ members: String) throws -> (RuleSet, Evaluator, Decision) {
        let loaded = loadRules(files)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(DiagnosticRenderer.oneLine))")
        let ruleSet = try #require(loaded.ruleSets.first)
        let firm = "{\"fiscal_year\": 2024\(members.isEmpty ? "" : ", ")\(members)}"
        let parsed = try FirmReader.readJSON(Array(firm.utf8), source: "firm.json", knownInputs: Set(ruleSet.inputs.map(\.name))).get()
        let bound = try parsed.bind(to: ruleSet).get()
        var evaluator = Evaluator(ruleSet: ruleSet)
        let decision = evaluator.evaluate(inputs: bound.values, on: parsed.closingDay)
        return (ruleSet, evaluator, decision)
    }

    /// A small rule set over inputs `a` (money, min 0 kr), `b` (money), `n` (count), `p` (yes/no).
    static func small(_ body: String, _ members: String) throws -> (RuleSet, Evaluator, Decision) {
        let text = """
            ruleset t "Test"
              in force from 2015-01-01
            input a: money min 0 kr
            input b: money
            input n: count
            input p: yes/no
            \(body)
            classify
              yes_outcome "Ja" when c
              otherwise no_outcome "Nej"

            """
        return try evaluate([("t.rules", text)], members)
    }

    static func names(_ indices: [Int], _ ruleSet: RuleSet) -> [String] { indices.map { ruleSet.outcomes[$0].name } }

    static let staff = #""ordinary_employees": 8, "fleksjob": 2, "loentilskud": 0, "skaanejob": 1, "smaajob": 2, "virksomhedspraktik": 1"#

    @Test("the case from the issue: other revenue missing, declared min 0 kr, rules out anden aktør")
    func issueCase() throws {
        let (ruleSet, evaluator, decision) = try Self.screening(
            #""own_cvr": true, "public_ownership": 0, "market_sales": "1250000.00", "municipal_employment_services": "300000.00", "other_public_contracts": null, "grants": "0", "#
                + Self.staff)
        #expect(decision.outcome == nil)
        #expect(Self.names(decision.possibleOutcomes, ruleSet).contains("anden_aktoer"))
        let bounds = try #require(evaluator.bounds(of: decision))
        #expect(Self.names(bounds.ruledOut, ruleSet) == ["anden_aktoer"])
        #expect(!Self.names(bounds.possibleOutcomes, ruleSet).contains("anden_aktoer"))
        #expect(bounds.missing == decision.missing, "the missing input still counts as missing")
        let share = try #require(ruleSet.values.firstIndex { $0.name == "employment_services_share" })
        let range = try #require(bounds.valueRanges[share])
        // 300,000 / 1,550,000 = 6/31 = 19.35… %, reached when the other revenue is 0 kr.
        #expect(range.upper == IntervalEnd(value: Exact(numerator: 6, denominator: 31), closed: true))
        #expect(range.lower.value == .zero && !range.lower.closed)
    }

    @Test("with all revenue missing nothing is ruled out: the share could be anything from 0 to 100 %")
    func allRevenueMissing() throws {
        let (_, evaluator, decision) = try Self.screening(#""own_cvr": true, "public_ownership": 0, "# + Self.staff)
        let bounds = try #require(evaluator.bounds(of: decision))
        #expect(bounds.outcome == nil && bounds.ruledOut.isEmpty)
    }

    @Test("an input used twice in one formula: a / (a + b) < 100 % whenever b > 0, a ≥ 0")
    func sharedInput() throws {
        let (ruleSet, evaluator, decision) = try Self.small("criterion c \"C\" = a / (a + b) < 100 %", #""b": "100.00""#)
        #expect(decision.outcome == nil)
        let bounds = try #require(evaluator.bounds(of: decision))
        #expect(bounds.outcome.map { ruleSet.outcomes[$0].name } == "yes_outcome")
    }

    @Test("an input used twice is not two independent values: a − a = 0 kr is decided")
    func sharedInputCancels() throws {
        let (ruleSet, evaluator, decision) = try Self.small("criterion c \"C\" = a - a + b = b", #""b": "5.00""#)
        let bounds = try #require(evaluator.bounds(of: decision))
        #expect(bounds.outcome.map { ruleSet.outcomes[$0].name } == "yes_outcome")
    }

    @Test("a share above a threshold with the input used twice stays open when it can go either way")
    func sharedInputOpen() throws {
        let (ruleSet, evaluator, decision) = try Self.small("criterion c \"C\" = a / (a + b) > 50 %", #""b": "100.00""#)
        let bounds = try #require(evaluator.bounds(of: decision))
        #expect(bounds.outcome == nil)
        #expect(Self.names(bounds.possibleOutcomes, ruleSet) == ["yes_outcome", "no_outcome"])
        #expect(bounds.settling.map(\.inputs) == [[0]])
    }

    @Test("a divisor that may be zero is never decided")
    func divisorMayBeZero() throws {
        let (_, evaluator, decision) = try Self.small("criterion c \"C\" = b / a > 0 %", #""b": "100.00""#)
        let bounds = try #require(evaluator.bounds(of: decision))
        #expect(bounds.outcome == nil)
    }

    @Test("a count is never negative, and a declared minimum bounds a sum")
    func naturalRange() throws {
        let (ruleSet, evaluator, decision) = try Self.small("criterion c \"C\" = n >= 0 and a + 1 kr > 0 kr", "")
        #expect(decision.outcome == nil)
        let bounds = try #require(evaluator.bounds(of: decision))
        #expect(bounds.outcome.map { ruleSet.outcomes[$0].name } == "yes_outcome")
    }

    @Test("an if on a missing input with equal-signed branches is decided; is known answers for the data as given")
    func conditionalAndIsKnown() throws {
        let (ruleSet, evaluator, decision) = try Self.small(
            "value v \"V\" = if p then a + 1 kr else 2 kr\ncriterion c \"C\" = v > 0 kr and a is missing", "")
        let bounds = try #require(evaluator.bounds(of: decision))
        #expect(bounds.outcome.map { ruleSet.outcomes[$0].name } == "yes_outcome")
    }

    @Test("market_sales alone decides between anden aktør and social economy")
    func settlingSet() throws {
        let (ruleSet, evaluator, decision) = try Self.screening(
            #""own_cvr": true, "public_ownership": 0, "municipal_employment_services": "300000.00", "other_public_contracts": 0, "grants": 0, "#
                + Self.staff)
        let bounds = try #require(evaluator.bounds(of: decision))
        let first = try #require(bounds.settling.first)
        #expect(first.inputs.map { ruleSet.inputs[$0].name } == ["market_sales"])
        #expect(ruleSet.outcomes[first.outcome].name == "anden_aktoer")
        #expect(Self.names(first.alternatives, ruleSet).first == "social_economy")
        #expect(first.settlesAll)
    }

    @Test("several missing inputs: each step's own inputs first, then all of them")
    func settlingRanked() throws {
        let (ruleSet, evaluator, decision) = try Self.screening(
            #""own_cvr": true, "market_sales": "100.00", "municipal_employment_services": 0, "other_public_contracts": 0, "grants": 0, "ordinary_employees": 8, "loentilskud": 0, "virksomhedspraktik": 0"#
        )
        let bounds = try #require(evaluator.bounds(of: decision))
        let sets = bounds.settling.map { $0.inputs.map { ruleSet.inputs[$0].name } }
        #expect(sets.first == ["public_ownership"])
        #expect(bounds.settling.last?.settlesAll == true)
        #expect(sets.last?.count == 4)
    }
}
