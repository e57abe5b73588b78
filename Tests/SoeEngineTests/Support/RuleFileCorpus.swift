import Foundation
import SoeTestSupport

@testable import SoeLanguage

/// The rule files the front end's fast paths are compared on (the lexer's, the parser's words, the
/// parser's and checker's paths): the bundled ones, the fuzz corpus's, and generated ones.
enum RuleFileCorpus {
    /// Every bundled rule file, and with `fuzzCorpus` every file of `Tests/Fuzz/corpus/rules`.
    static func files(fuzzCorpus: Bool) -> [SourceFile] {
        var texts: [SourceFile] = []
        for path in LintErrorChecksTests.ruleFiles {
            if case .success(let bytes) = FileSystem.read(path, limit: 1 << 24) { texts.append(SourceFile(path: path, bytes: bytes)) }
        }
        guard fuzzCorpus else { return texts }
        let corpus = TestPaths.root + "/Tests/Fuzz/corpus/rules"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? [] {
            if case .success(let bytes) = FileSystem.read(corpus + "/" + name, limit: 1 << 24) {
                texts.append(SourceFile(path: name, bytes: bytes))
            }
        }
        return texts
    }

    /// 40 synthetic rule files and 200 of the fuzz targets' type-directed generator, drawn from
    /// `random` (which the caller may go on drawing from).
    static func appendGenerated(to texts: inout [SourceFile], random: inout SplitMix64) {
        for seed in 0..<40 {
            texts.append(
                SourceFile(path: "synthetic.rules", text: SyntheticRules.ruleFile(criteria: 2 + seed % 7, outcomes: 3, seed: UInt64(seed))))
        }
        for _ in 0..<200 {
            var generator = RuleGenerator((0..<256).map { _ in UInt8(random.next(256)) })
            texts.append(SourceFile(path: "generated.rules", text: generator.generate().rules))
        }
    }
}
