import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The bundled rule sets and sample firms (issue 3): every sample gives the outcome it says it
/// expects under every rule set, every criterion and threshold carries its source, and the
/// samples together reach every outcome of every rule set.
@Suite("bundled rule sets and samples")
struct RuleSetTests {
    static let loaded: RuleLoader.Result? = {
        guard case .success(let result) = RuleLoader.load(path: TestPaths.rules) else { return nil }
        return result
    }()

    static var samplePaths: [String] {
        guard case .success(let paths) = FileSystem.list(TestPaths.samples, extension: ".json") else { return [] }
        return paths
    }

    /// The expected outcome per rule set, from the sample's `_expected` field.
    static func expectations(_ bytes: [UInt8]) -> [String: String] {
        guard case .success(let node) = JSONReader.parse(bytes), case .object(let members) = node.value,
            let expected = members.first(where: { $0.key == "_expected" }), case .object(let pairs) = expected.value.value
        else { return [:] }
        var result: [String: String] = [:]
        for pair in pairs {
            if case .string(let outcome) = pair.value.value { result[pair.key] = outcome }
        }
        return result
    }

    /// What a decision is called in `_expected`: the outcome's name, `undetermined` or `not_in_force`.
    static func observed(_ decision: Decision, _ ruleSet: RuleSet) -> String {
        if let index = decision.outcome { return ruleSet.outcomes[index].name }
        return decision.notInForceOn != nil ? "not_in_force" : "undetermined"
    }

    @Test("the bundled rules check without errors and hold the three rule sets")
    func rulesCheck() throws {
        let loaded = try #require(Self.loaded)
        #expect(loaded.diagnostics.filter { $0.severity == .error }.isEmpty)
        #expect(Set(loaded.ruleSets.map(\.name)) == ["rsv_2014", "anden_aktoer", "haderslev_2021"])
        let haderslev = try #require(loaded.ruleSets.first { $0.name == "haderslev_2021" })
        #expect(haderslev.ancestry == ["rsv_2014"], "Haderslev builds on the national rule set instead of copying it")
        #expect(haderslev.files.count == 2)
    }

    @Test("every sample gives its expected outcome under every rule set", arguments: samplePaths)
    func sampleOutcome(path: String) throws {
        let loaded = try #require(Self.loaded)
        let bytes = try #require(try? FileSystem.read(path).get())
        let expected = Self.expectations(bytes)
        #expect(Set(expected.keys) == Set(loaded.ruleSets.map(\.name)), "\(path) states an expectation per rule set")
        let knownInputs = Set(loaded.ruleSets.flatMap { $0.inputs.map(\.name) })
        let firm = try FirmReader.readJSON(bytes, source: path, knownInputs: knownInputs).get()
        if let cvr = firm.cvr { #expect(try CVR.validate(cvr).get() == cvr) }
        for ruleSet in loaded.ruleSets {
            let bound = try firm.bind(to: ruleSet).get()
            var evaluator = Evaluator(ruleSet: ruleSet)
            let decision = evaluator.evaluate(inputs: bound.values, on: firm.closingDay)
            #expect(Self.observed(decision, ruleSet) == expected[ruleSet.name], "\(path) under \(ruleSet.name)")
            if !decision.isDetermined && decision.notInForceOn == nil {
                #expect(!decision.missing.isEmpty || !decision.problems.isEmpty, "an undetermined result names what is missing")
            }
        }
    }

    @Test("the samples reach every outcome of every rule set, and undetermined")
    func samplesCoverEveryOutcome() throws {
        let loaded = try #require(Self.loaded)
        var seen: [String: Set<String>] = [:]
        for path in Self.samplePaths {
            let bytes = try #require(try? FileSystem.read(path).get())
            for (ruleSet, outcome) in Self.expectations(bytes) { seen[ruleSet, default: []].insert(outcome) }
        }
        for ruleSet in loaded.ruleSets {
            let wanted = Set(ruleSet.outcomes.map(\.name)).union(["undetermined"])
            let missing = wanted.subtracting(seen[ruleSet.name] ?? [])
            #expect(missing.isEmpty, "no sample reaches \(missing.sorted()) under \(ruleSet.name)")
        }
        #expect(Self.samplePaths.count >= 15)
    }

    @Test("every criterion cites its source and every threshold says whether it is law, guidance or policy")
    func everythingIsCited() throws {
        let loaded = try #require(Self.loaded)
        for ruleSet in loaded.ruleSets {
            for criterion in ruleSet.criteria {
                let cite = criterion.cite?.danish ?? ""
                #expect(!cite.trimmingSpaces().isEmpty, "\(ruleSet.name): criterion \(criterion.name) has no citation")
            }
            for parameter in ruleSet.parameters {
                #expect(parameter.basis != nil, "\(ruleSet.name): parameter \(parameter.name) is not marked law, guidance or policy")
                let citation = parameter.citation?.danish ?? ""
                #expect(
                    !citation.trimmingSpaces().isEmpty,
                    "\(ruleSet.name): parameter \(parameter.name) has no citation or justification")
            }
            for input in ruleSet.inputs {
                #expect(input.description != nil, "\(ruleSet.name): input \(input.name) has no description")
            }
            for outcome in ruleSet.outcomes {
                #expect(outcome.label?.english != nil, "\(ruleSet.name): outcome \(outcome.name) has no English gloss")
                #expect(outcome.reason != nil, "\(ruleSet.name): outcome \(outcome.name) has no reason text")
            }
        }
    }

    @Test("the numbers the law sets are marked law, with the values the law gives")
    func lawNumbers() throws {
        let loaded = try #require(Self.loaded)
        let rsv = try #require(loaded.ruleSets.first { $0.name == "rsv_2014" })
        let cases: [(String, Exact, String)] = [
            ("dividend_cap", Exact(numerator: 35, denominator: 100)!, "§ 5, stk. 2: dividend at most 35 %"),
            ("return_margin", Exact(numerator: 15, denominator: 100)!, "§ 5, stk. 2: discount rate + 15 points"),
        ]
        for (name, value, note) in cases {
            let parameter = try #require(rsv.parameters.first { $0.name == name })
            #expect(parameter.basis == .law, "\(note)")
            #expect(parameter.values.first?.value == .number(value), "\(note)")
        }
        let policy = try #require(rsv.parameters.first { $0.name == "commercial_share_min" })
        #expect(policy.basis == .policy, "the law sets no share for 'erhvervsdrivende'")
    }
}
