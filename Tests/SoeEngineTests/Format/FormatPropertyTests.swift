import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The formatter's promises (see `FormatProperties`) on every rule file the project has: the
/// bundled rules, the test fixtures, the fuzz corpus, and generated rule sets.
@Suite("soe fmt: properties over every rule file")
struct FormatPropertyTests {
    @Test("the bundled rule sets: idempotent, same meaning, same comments, same decisions on every sample")
    func bundledRules() throws {
        let paths = FormatProperties.ruleFiles(under: TestPaths.rules)
        #expect(paths.count >= 3)
        var formatted: [SourceFile] = []
        for path in paths {
            let text = try FormatProperties.text(path)
            let once = try #require(FormatProperties.check(text, path: path))
            formatted.append(SourceFile(path: path, text: once))
        }
        let before = RuleLoader.load(paths.map { SourceFile(path: $0, text: (try? FormatProperties.text($0)) ?? "") })
        let after = RuleLoader.load(formatted)
        #expect(!before.hasErrors && !after.hasErrors)
        #expect(before.ruleSets.map(\.name) == after.ruleSets.map(\.name))
        let samples = try FileManager.default.contentsOfDirectory(atPath: TestPaths.samples).filter { $0.hasSuffix(".json") }.sorted()
        #expect(samples.count > 10)
        for sample in samples {
            let bytes = Array(try FormatProperties.text(TestPaths.samples + "/" + sample).utf8)
            #expect(decisions(bytes, before.ruleSets) == decisions(bytes, after.ruleSets), "\(sample)")
        }
    }

    /// The decision of each rule set for a firm file, as text; nil when the firm does not read.
    func decisions(_ bytes: [UInt8], _ ruleSets: [RuleSet]) -> [String]? {
        guard case .success(let (firm, bound)) = FirmReader.read(bytes, source: "firm.json", ruleSets: ruleSets) else { return nil }
        return zip(ruleSets, bound).map { ruleSet, inputs in
            var evaluator = Evaluator(ruleSet: ruleSet)
            return "\(ruleSet.name): \(evaluator.evaluate(inputs: inputs.values, on: firm.closingDay))"
        }
    }

    @Test("every rule file among the test fixtures and the fuzz corpus")
    func fixturesAndCorpus() throws {
        let paths =
            FormatProperties.ruleFiles(under: TestPaths.root + "/Tests/SoeEngineTests")
            + FormatProperties.ruleFiles(under: TestPaths.root + "/Tests/Fuzz/corpus")
        #expect(paths.count > 5)
        var formatted = 0
        for path in paths {
            let bytes = try #require(FileManager.default.contents(atPath: path))
            // Only files that are text: a fixture of bad bytes is the loader's business.
            guard firstInvalidUTF8(Array(bytes)) == nil else { continue }
            if FormatProperties.check(String(decoding: bytes, as: UTF8.self), path: path) != nil { formatted += 1 }
        }
        #expect(formatted > 3, "only \(formatted) of \(paths.count) files formatted")
    }

    @Test("generated rule sets: synthetic ones and the fuzz generator's, which check before and after")
    func generated() throws {
        var texts = [SyntheticRules.thresholdLadder(outcomes: 30)]
        for seed in 1...5 as ClosedRange<UInt64> { texts.append(SyntheticRules.ruleFile(criteria: 20, outcomes: 8, seed: seed)) }
        var random = SplitMix64(seed: 13)
        for _ in 0..<300 {
            var generator = RuleGenerator((0..<512).map { _ in UInt8.random(in: 0...255, using: &random) })
            texts.append(generator.generate().rules)
        }
        for (number, text) in texts.enumerated() {
            let once = try #require(FormatProperties.check(text, path: "generated\(number).rules"))
            let before = RuleLoader.load([SourceFile(path: "g.rules", text: text)])
            let after = RuleLoader.load([SourceFile(path: "g.rules", text: once)])
            #expect(before.hasErrors == after.hasErrors, "generated \(number)")
            #expect(before.ruleSets.first?.nodes.count == after.ruleSets.first?.nodes.count)
        }
    }
}
