import SoeTestSupport
import Testing

@testable import SoeLanguage

/// `Parser.spells` compares a keyword with a token's bytes instead of decoding the token into a
/// `String`: the answer must be the texts' comparison on every token and range.
@Suite("parser: a keyword compared with a token's bytes")
struct ParserWordTests {
    /// Every word the parser asks about, and words that take the general way.
    static let words: [String] =
        [
            "and", "borderline", "builds", "cite", "else", "en", "force", "from", "if", "in", "is", "known", "kr", "letter",
            "max", "min", "missing", "no", "not", "of", "on", "one", "or", "otherwise", "override", "reason", "ruleset",
            "source", "then", "tone", "until", "version", "when", "input", "parameter", "value", "criterion", "classify",
        ] + ["", "Kr", "K", "kr ", "æ", "ø", "e\u{301}n", "én", "\u{212A}r", "tone_", "en1", "EN"]

    static func general(_ bytes: [UInt8], _ range: Range<Int>, _ word: String) -> Bool {
        let lower = max(0, min(range.lowerBound, bytes.count))
        let upper = max(lower, min(range.upperBound, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self) == word
    }

    @Test("spells equals comparing the decoded text, on every token of written and generated rule files and on odd bytes")
    func spellsEqualsTextComparison() {
        var files = RuleFileCorpus.files(fuzzCorpus: false)
        var random = SplitMix64(seed: 91)
        RuleFileCorpus.appendGenerated(to: &files, random: &random)
        // Words a keyword's text equals only by canonical equivalence, or not at all.
        let odd = "input \u{212A}r kr\u{301} k\u{301}r e\u{301}n én EN en_ en1 \u{FB01}rom from\u{200D} tone\u{0}x é\u{301}"
        files.append(SourceFile(path: "odd.rules", text: odd + "\n"))
        var compared = 0
        var keywords = 0
        for file in files {
            for token in Lexer.tokenize(file).tokens where token.kind == .word {
                for word in Self.words {
                    let expected = Self.general(file.bytes, token.range, word)
                    #expect(Parser.spells(file.bytes, token.range, word) == expected, "\(file.path) \(token.range) \(word)")
                    compared += 1
                    if expected { keywords += 1 }
                }
            }
        }
        #expect(compared > 100_000 && keywords > 1_000, "\(compared) comparisons, \(keywords) keywords found")
        // Any bytes and ranges, ranges past the end included (clamped as `SourceFile.text` does).
        let pieces: [[UInt8]] = [
            Array("en".utf8), Array("kr".utf8), Array("e\u{301}".utf8), [0xFF], [0xC3], [0xE2, 0x84, 0xAA], [0x20], Array("o".utf8),
        ]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.next(5) { bytes += random.pick(pieces) }
            let lower = random.next(bytes.count + 3) - 1
            let range = lower..<(lower + random.next(8))
            let word = random.pick(Self.words + ["enen", "kren", "o", "oo"])
            #expect(Parser.spells(bytes, range, word) == Self.general(bytes, range, word), "\(bytes) \(range) \(word)")
        }
    }
}
