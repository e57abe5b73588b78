import Foundation
import SoeTestSupport
import Testing

@testable import SoeLanguage

/// The parser's and the checker's short ways (keywords compared as `StaticString`s, long words
/// taken as names at once, the checker's tables given their room at once and long names not
/// looked up among the built-in ones, the outcome names made once with the rule set) must give
/// what the general ways give: the same syntax trees, rule sets and diagnostics.
@Suite("parser and checker: the fast paths against the general way")
struct FrontEndFastPathTests {
    /// What a diagnostic says and where, as text to compare.
    static func describe(_ diagnostics: [Diagnostic]) -> [String] {
        LexerFastPathTests.describe(diagnostics)
    }

    /// Everything of a checked rule set that a later stage reads, as text to compare.
    static func describe(_ ruleSet: RuleSet?) -> String {
        guard let ruleSet else { return "no rule set" }
        var lines: [String] = [ruleSet.name, "\(ruleSet.title)", "\(String(describing: ruleSet.source))", "\(ruleSet.ancestry)"]
        lines += ruleSet.inputs.map { "input \($0.name) \($0.type) \(String(describing: $0.minimum)) \(String(describing: $0.maximum))" }
        lines += ruleSet.parameters.map { "parameter \($0.name) \($0.type) \($0.span.range)" }
        lines += ruleSet.values.map { "value \($0.name) \($0.span.range)" }
        lines += ruleSet.criteria.map { "criterion \($0.name) \($0.span.range)" }
        lines += ruleSet.outcomes.map { "outcome \($0.name) \(String(describing: $0.condition)) \($0.route) \($0.routes)" }
        lines.append("\(ruleSet.nodes.map { "\($0)" })")
        lines.append("\(ruleSet.lists) \(ruleSet.constants) \(ruleSet.choiceSets) \(ruleSet.evaluationOrder)")
        lines.append("\(ruleSet.outcomeNames) \(ruleSet.outcomeNameIndices) \(String(describing: ruleSet.borderline))")
        return lines.joined(separator: "\n")
    }

    /// Parses and checks one file both ways and compares; returns the number of tokens.
    static func expectSame(_ file: SourceFile, _ label: String) -> Int {
        let fast = Parser.parse(file, fastPaths: true)
        let general = Parser.parse(file, fastPaths: false)
        var fastTree = ""
        var generalTree = ""
        dump(fast.syntax, to: &fastTree, maxDepth: 200)
        dump(general.syntax, to: &generalTree, maxDepth: 200)
        #expect(fastTree == generalTree, "\(label): syntax trees differ")
        #expect(describe(fast.diagnostics) == describe(general.diagnostics), "\(label): parse diagnostics differ")
        let checkedFast = Checker.check([general.syntax], ancestry: [], fastPaths: true)
        let checkedGeneral = Checker.check([general.syntax], ancestry: [], fastPaths: false)
        #expect(describe(checkedFast.diagnostics) == describe(checkedGeneral.diagnostics), "\(label): checker diagnostics differ")
        #expect(describe(checkedFast.ruleSet) == describe(checkedGeneral.ruleSet), "\(label): rule sets differ")
        return fastTree.count
    }

    /// Pieces that steer the parser and the checker: every keyword the parser asks about, the
    /// built-in names as definitions, words one letter longer or shorter than a keyword, words
    /// that equal a keyword only as text, formulas of every level.
    static let pieces: [String] = [
        " or ", " and ", " not ", " if ", " then ", " else ", " is ", " is not ", " known", " missing", " one of ", " of ",
        " yes", " no", " true", " false", " truex", " fals", " none of ", " all of ", " any of ", " min(", " max(", " min ", " max ",
        " kr", " %", " (", ")", ",", " = ", " < ", " + ", " - ", " * ", " / ", " 12", " 1.5", " \"tekst\"", " en \"text\"",
        "\ninput min: money\n", "\ninput kr: count\n", "\nvalue max = 1\n", "\ncriterion mini = yes\n", "\nvalue krr = 2\n",
        "\nparameter m\u{0069}n: count = 3\n", "\nvalue e\u{301}n = 1\n", "\ninput \u{212A}r: money\n", "\noverride value a = 1\n",
        "\ninput x: one of known, missing, not, a, a\n", " otherwise", " when", " reason", " cite", " from", " until",
        " a_rather_long_name", " omsaetning", " ifs", " thenx", " elsewhere", " nothing", " order", " andes", " isn",
    ]

    static func corpus() -> [SourceFile] {
        var texts = RuleFileCorpus.files(fuzzCorpus: true)
        var random = SplitMix64(seed: 1614)
        RuleFileCorpus.appendGenerated(to: &texts, random: &random)
        return texts
    }

    @Test("the same syntax trees, rule sets and diagnostics on every rule file, generated files and mutated files")
    func sameAsGeneral() {
        let texts = Self.corpus()
        #expect(texts.count > 290)
        var compared = 0
        for file in texts { compared += Self.expectSame(file, file.path) }
        // Written files with pieces put in at random places (mostly between words), and files of pieces alone.
        var random = SplitMix64(seed: 1615)
        let written = texts.prefix(70).map { String(decoding: $0.bytes, as: UTF8.self) }
        for round in 0..<1_500 {
            var text: String
            if round % 3 == 0 {
                text = "ruleset r\n"
                for _ in 0..<random.next(40) { text += random.pick(Self.pieces) }
            } else {
                var bytes = Array(random.pick(written).utf8)
                for _ in 0..<(1 + random.next(6)) {
                    var at = random.next(bytes.count + 1)
                    while at < bytes.count, bytes[at] != UInt8(ascii: " "), bytes[at] != 0x0A { at += 1 }
                    bytes.insert(contentsOf: Array(random.pick(Self.pieces).utf8), at: at)
                }
                text = String(decoding: bytes, as: UTF8.self)
            }
            compared += Self.expectSame(SourceFile(path: "mutated.rules", text: text), "mutated \(round): \(text.prefix(300))")
        }
        #expect(compared > 1_000_000, "\(compared) characters of syntax trees compared")
    }

    /// Every keyword the parser asks about, as the parser writes it.
    static let keywords: [StaticString] = [
        "and", "borderline", "builds", "cite", "else", "en", "force", "from", "if", "in", "is", "known", "kr", "letter", "max", "min",
        "missing", "no", "not", "of", "on", "one", "or", "otherwise", "override", "reason", "ruleset", "source", "then", "tone",
        "until", "version", "when",
    ]

    @Test("a keyword compared as a StaticString equals spells, on every token and on odd bytes and ranges")
    func spellsKeyword() {
        var compared = 0
        for file in Self.corpus().prefix(120) {
            for token in Lexer.tokenize(file).tokens where token.kind == .word {
                for word in Self.keywords {
                    #expect(
                        Parser.spellsKeyword(file.bytes, token.range, word) == Parser.spells(file.bytes, token.range, word.description),
                        "\(file.path) \(token.range) \(word)")
                    compared += 1
                }
            }
        }
        var random = SplitMix64(seed: 92)
        let pieces: [[UInt8]] = [Array("en".utf8), Array("kr".utf8), Array("e\u{301}".utf8), [0xFF], [0xC3], [0x20], Array("o".utf8)]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.next(5) { bytes += random.pick(pieces) }
            let lower = random.next(bytes.count + 3) - 1
            let range = lower..<(lower + random.next(8))
            let word = random.pick(Self.keywords)
            #expect(Parser.spellsKeyword(bytes, range, word) == Parser.spells(bytes, range, word.description), "\(bytes) \(range) \(word)")
            compared += 1
        }
        #expect(compared > 100_000)
    }

    @Test("the outcome names made in one pass equal those of their definition, by comparison and by table")
    func outcomeNaming() {
        var random = SplitMix64(seed: 93)
        let file = SourceFile(path: "x.rules", text: "ruleset x\n")
        let names = ["a", "b", "ab", "ba", "yes", "no", "e\u{301}", "é", "Ø", "\u{212A}", "K", "long_outcome_name", ""]
        for round in 0..<3_000 {
            let outcomes = (0..<random.next(round % 10 == 0 ? 120 : 20)).map { number in
                OutcomeDefinition(
                    name: round % 10 == 0 ? "o\(random.next(60))" : random.pick(names), label: nil, reason: nil, tone: nil,
                    condition: number % 2 == 0 ? nil : Int32(number), span: SourceSpan(file: file, range: 0..<1))
            }
            let expected = RuleSet.outcomeNamingByDefinition(outcomes)
            for limit in [0, 1, 2, 5, 32, 1_000] {
                let made = RuleSet.outcomeNaming(outcomes, linearLimit: limit)
                #expect(made.names == expected.names && made.indices == expected.indices, "\(outcomes.map(\.name)) limit \(limit)")
            }
        }
    }

    /// The two length shortcuts rest on facts of the language's word lists: `parseWordPrimary`
    /// takes a word longer than five bytes as a name without its switch, and the checker looks up
    /// only names of at most three bytes among the built-in names. A new word beyond those lengths
    /// would be skipped silently; this test reads the switch's words from the parser's source.
    @Test("no word the primary parser names is longer than five bytes, and no built-in name longer than three")
    func lengthShortcutsHold() throws {
        let source = try String(contentsOfFile: TestPaths.root + "/Sources/SoeLanguage/Parser/Parser+Expressions.swift", encoding: .utf8)
        let start = try #require(source.range(of: "mutating func parseWordPrimary"))
        let end = try #require(source.range(of: "\n    }\n", range: start.upperBound..<source.endIndex))
        let body = source[start.upperBound..<end.lowerBound]
        var words: [String] = []
        for line in body.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).hasPrefix("case \"") {
            words += line.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
        #expect(words.count >= 15, "the switch's words were found: \(words)")
        #expect(words.allSatisfy { $0.utf8.count <= 5 }, "\(words.filter { $0.utf8.count > 5 })")
        #expect(!Checker.builtinNames.isEmpty && Checker.builtinNames.keys.allSatisfy { $0.utf8.count <= 3 })
        #expect(Set(Checker.builtinNames.keys) == Set(Checker.builtinNamesDanish.keys))
    }
}
