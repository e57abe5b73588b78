import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The explanation traces of the minimal samples, in Danish, English and JSON, kept as golden
/// files: any change to what an auditor reads shows up as a reviewable diff.
@Suite("trace goldens")
struct TraceGoldenTests {
    /// A fixed engine version, so that a version bump does not rewrite every golden trace.
    static let engineVersion = "0.0.0-golden"
    static let rulePath = "samples/minimal/minimal.rules"

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        let path = TestPaths.root + "/" + relativePath
        return Array(try #require(FileManager.default.contents(atPath: path), "cannot read \(path)"))
    }

    /// Loads the minimal rule set, reads a firm and builds its trace, with paths relative to the
    /// package root so that goldens do not depend on the checkout.
    static func trace(firmPath: String, firmBytes: [UInt8]? = nil) throws -> Trace {
        let loaded = RuleLoader.load([SourceFile(path: rulePath, bytes: try bytes(rulePath))])
        #expect(loaded.diagnostics.isEmpty)
        let ruleSet = try #require(loaded.ruleSets.first)
        let firm = try FirmReader.readJSON(
            try firmBytes ?? bytes(firmPath), source: firmPath,
            knownInputs: Set(ruleSet.inputs.map(\.name))
        ).get()
        let bound = try firm.bind(to: ruleSet).get()
        var evaluator = Evaluator(ruleSet: ruleSet)
        let decision = evaluator.evaluate(inputs: bound.values, on: firm.closingDay)
        return TraceBuilder.build(
            evaluator: evaluator, decision: decision, firm: firm, bound: bound,
            engineVersion: engineVersion)
    }

    struct Sample: Sendable, CustomTestStringConvertible {
        var name: String
        var status: String
        var testDescription: String { "\(name) (\(status))" }
    }

    static let samples = [
        Sample(name: "cafe", status: "determined"),
        Sample(name: "incomplete", status: "undetermined"),
    ]

    @Test("text traces in Danish and English, and the JSON trace, match their golden files", arguments: samples)
    func goldens(_ sample: Sample) throws {
        let trace = try Self.trace(firmPath: "samples/minimal/\(sample.name).json")
        expectGolden(TextTraceRenderer.render(trace, language: .danish), "traces/minimal_\(sample.name).da.txt")
        expectGolden(TextTraceRenderer.render(trace, language: .english), "traces/minimal_\(sample.name).en.txt")
        let json = JSONTraceRenderer.render(trace) + "\n"
        expectGolden(json, "traces/minimal_\(sample.name).json")
        #expect(json.contains(#""status": "\#(sample.status)""#))
    }

    @Test("the decisions the goldens show, asserted directly")
    func decisions() throws {
        let cafe = try Self.trace(firmPath: "samples/minimal/cafe.json")
        #expect(cafe.decision.outcome.map { cafe.outcomes[$0].name } == "social_economy")
        #expect(cafe.outcomes.map(\.status) == [.doesNotApply, .applies, .notReached, .notReached])
        #expect(cafe.parameters.first?.value == .number(Exact(numerator: 2, denominator: 5) ?? .zero))

        let incomplete = try Self.trace(firmPath: "samples/minimal/incomplete.json")
        #expect(incomplete.decision.outcome == nil)
        #expect(incomplete.decision.missing.indices.map { incomplete.inputs[$0].name } == ["market_sales", "social_purpose"])
        #expect(incomplete.decision.possibleOutcomes.map { incomplete.outcomes[$0].name } == ["social_economy", "other_actor", "ordinary"])
        #expect(incomplete.outcomes.map(\.status) == [.doesNotApply, .unknown, .unknown, .unknown])
        // Fiscal year 2018: the first of the parameter's two values.
        #expect(incomplete.parameters.first?.value == .number(Exact(numerator: 1, denominator: 4) ?? .zero))
    }

    @Test("a fiscal year before the rule set came into force: the trace says so and tries no outcome")
    func notInForce() throws {
        let firm = Array(#"{"name": "Gammel Café", "fiscal_year": 2010, "legal_form": "aps", "social_purpose": true}"#.utf8)
        let trace = try Self.trace(firmPath: "old.json", firmBytes: firm)
        #expect(trace.decision.notInForceOn == Day(year: 2010, month: 12, day: 31))
        #expect(trace.outcomes.allSatisfy { $0.status == .notReached })
        expectGolden(TextTraceRenderer.render(trace, language: .english), "traces/minimal_not_in_force.en.txt")
        expectGolden(JSONTraceRenderer.render(trace) + "\n", "traces/minimal_not_in_force.json")
    }

    @Test("the same input twice gives byte-identical JSON")
    func deterministic() throws {
        for sample in Self.samples {
            let first = JSONTraceRenderer.render(try Self.trace(firmPath: "samples/minimal/\(sample.name).json"))
            let second = JSONTraceRenderer.render(try Self.trace(firmPath: "samples/minimal/\(sample.name).json"))
            #expect(Array(first.utf8) == Array(second.utf8))
        }
    }

    /// The member `key` of a JSON object, or nil.
    static func member(_ node: JSONNode?, _ key: String) -> JSONNode? {
        guard case .object(let members)? = node?.value else { return nil }
        return members.first { $0.key == key }?.value
    }

    static func string(_ node: JSONNode?) -> String? {
        if case .string(let text)? = node?.value { return text }
        return nil
    }

    @Test("the JSON trace parses, names its schema, and carries the hashes an auditor checks")
    func schemaAndHashes() throws {
        let ruleBytes = try Self.bytes(Self.rulePath)
        let firmBytes = try Self.bytes("samples/minimal/cafe.json")
        let json = JSONTraceRenderer.render(try Self.trace(firmPath: "samples/minimal/cafe.json"))
        let root = try JSONReader.parse(Array(json.utf8)).get()

        guard case .object(let members) = root.value else {
            Issue.record("the trace is not a JSON object")
            return
        }
        #expect(
            members.map(\.key) == [
                "schema", "engine", "rule_set", "input", "result", "outcomes", "criteria", "values",
                "parameters", "inputs",
            ])
        #expect(Self.string(Self.member(root, "schema")) == "soe-trace/1")
        #expect(Self.string(Self.member(Self.member(root, "engine"), "version")) == Self.engineVersion)

        let ruleSet = Self.member(root, "rule_set")
        let fileHash = SHA256.hex(ruleBytes)
        guard case .array(let files)? = Self.member(ruleSet, "files")?.value else {
            Issue.record("rule_set.files is not an array")
            return
        }
        #expect(files.count == 1)
        #expect(Self.string(Self.member(files.first, "path")) == Self.rulePath)
        #expect(Self.string(Self.member(files.first, "sha256")) == fileHash)
        // The rule set's hash covers each file's hash and base name, not where it is stored.
        #expect(Self.string(Self.member(ruleSet, "sha256")) == SHA256.hex(Array("\(fileHash)  minimal.rules\n".utf8)))
        #expect(Self.string(Self.member(Self.member(root, "input"), "sha256")) == SHA256.hex(firmBytes))
        #expect(Self.string(Self.member(Self.member(root, "result"), "outcome")) == "social_economy")
    }
}
