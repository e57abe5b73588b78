import Foundation
import SoeTestSupport
import Testing

@testable import SoeLanguage

/// The lexer's fast paths (a text without escapes found eight bytes at a time, the ASCII run of a
/// word, a number of digits alone) must give the tokens, comments and diagnostics of the general
/// way, which `Lexer.tokenize(_:fastPaths: false)` takes for every token.
@Suite("lexer: the fast paths against the general way")
struct LexerFastPathTests {
    /// What a diagnostic says and where, as text to compare.
    static func describe(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { diagnostic in
            let fixes = diagnostic.fixIts.map { "\($0.range) \($0.replacement) \($0.message)" }.joined(separator: "|")
            let notes = diagnostic.notes.map(\.message).joined(separator: "|")
            return
                "\(diagnostic.code) \(diagnostic.span?.range.description ?? "-") \(diagnostic.message) \(diagnostic.danish ?? "-") \(notes) \(fixes)"
        }
    }

    static func expectSame(_ file: SourceFile, _ label: String) -> Int {
        let fast = Lexer.tokenize(file, fastPaths: true)
        let general = Lexer.tokenize(file, fastPaths: false)
        #expect(fast.tokens == general.tokens, "\(label): tokens differ")
        #expect(fast.comments == general.comments, "\(label): comments differ")
        #expect(describe(fast.diagnostics) == describe(general.diagnostics), "\(label): diagnostics differ")
        return fast.tokens.count
    }

    /// The bytes that steer the lexer: quotes of both kinds, escapes, line breaks, letters that
    /// need two bytes, a combining mark, number marks, an exponent, bytes that are not UTF-8.
    static let pieces: [[UInt8]] = [
        Array("\"".utf8), Array("\\".utf8), Array("\\\"".utf8), Array("\\\\".utf8), [0x0A], [0x0D], [0x0D, 0x0A], Array(" ".utf8),
        Array("\t".utf8), Array("a".utf8), Array("Z".utf8), Array("_".utf8), Array("7".utf8), Array("0".utf8), Array(".".utf8),
        Array(",".utf8), Array("e".utf8), Array("E".utf8), Array("+".utf8), Array("-".utf8), Array("æ".utf8), Array("Å".utf8),
        Array("\u{030A}".utf8), Array("“".utf8), Array("”".utf8), Array("„".utf8), Array("‘".utf8), Array("«".utf8),
        Array("»".utf8), Array("§".utf8), Array("≥".utf8), Array("×".utf8), Array("#".utf8), Array("=".utf8), Array("(".utf8),
        [0xFF], [0xC3], [0xE2, 0x80], [0xC2], [0x80], [0x00], Array("kr".utf8), Array("%".utf8), Array("2019-01-01".utf8),
        Array("1_000".utf8), Array("1.000".utf8), Array("1,5".utf8), Array("1e3".utf8),
    ]

    @Test("the same tokens, comments and diagnostics on every rule file, generated files and mutated bytes")
    func sameAsGeneral() throws {
        var tokens = 0
        var files = 0
        var texts = RuleFileCorpus.files(fuzzCorpus: true)
        #expect(texts.count > 50)
        var random = SplitMix64(seed: 1613)
        RuleFileCorpus.appendGenerated(to: &texts, random: &random)
        for file in texts {
            tokens += Self.expectSame(file, file.path)
            files += 1
        }
        // Each written file with pieces put in at random places, and files of pieces alone.
        let written = texts.prefix(70).map(\.bytes)
        for round in 0..<3_000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = []
                for _ in 0..<random.next(40) { bytes += random.pick(Self.pieces) }
            } else {
                bytes = random.pick(written)
                for _ in 0..<(1 + random.next(6)) {
                    let at = random.next(bytes.count + 1)
                    bytes.insert(contentsOf: random.pick(Self.pieces), at: at)
                }
                if round % 5 == 0, !bytes.isEmpty {
                    bytes = Array(bytes[random.next(bytes.count)...])
                }
            }
            tokens += Self.expectSame(SourceFile(path: "mutated.rules", bytes: bytes), "mutated \(round): \(bytes.prefix(200))")
            files += 1
        }
        #expect(files > 3_000 && tokens > 100_000, "\(files) files, \(tokens) tokens")
    }

    @Test("a text's end found eight bytes at a time equals the byte-by-byte search, at every length and offset")
    func plainTextEnd() {
        var random = SplitMix64(seed: 77)
        let alphabet: [UInt8] = [
            0x22, 0x5C, 0x0A, 0x0D, 0x61, 0x20, 0xC3, 0xB8, 0xE2, 0x80, 0x9C, 0x00, 0xFF, 0x21, 0x23, 0x5B, 0x5D, 0x2C, 0x09, 0x1B, 0x1F,
        ]
        for _ in 0..<20_000 {
            let count = random.next(40)
            // Mostly plain bytes, so that runs longer than eight bytes come up.
            let bytes = (0..<count).map { _ in random.next(4) == 0 ? random.pick(alphabet) : UInt8(0x61 + random.next(26)) }
            let from = random.next(count + 1)
            var expected: Int?
            for index in from..<count {
                if bytes[index] == 0x22 {
                    expected = index
                    break
                }
                // A backslash, a line break, a tab or a control character: the general way's.
                if bytes[index] == 0x5C || bytes[index] < 0x20 { break }
            }
            #expect(Lexer.plainTextEnd(bytes, from: from) == expected, "\(bytes) from \(from)")
        }
        for byte in 0...255 {
            let value = UInt8(byte)
            let word = UInt64(value) << (8 * UInt64(byte % 8)) | 0x6161_6161_6161_6161 & ~(0xFF << (8 * UInt64(byte % 8)))
            #expect(Lexer.hasTextStop(word) == (value == 0x22 || value == 0x5C || value < 0x20), "\(byte)")
            #expect(
                Lexer.isASCIIWordByte(value)
                    == (value < 0x80
                        && (Character(Unicode.Scalar(value)).isLetter || Character(Unicode.Scalar(value)).isNumber || value == 0x5F)),
                "\(byte)")
        }
    }
}

/// `SourceFile.lineStarts` is made at its first use, by whichever thread asks first, and is then
/// the table `SourceFile.lineStarts(of:)` gives; parsing and checking a file without findings
/// never asks for it.
@Suite("source file: the line table made at first use")
struct LazyLineStartsTests {
    @Test("the same line table, lines and locations, asked for first from several threads at once")
    func sameTable() async {
        var random = SplitMix64(seed: 4242)
        let pieces: [[UInt8]] = [
            Array("ab".utf8), Array("abcdefghij".utf8), [0x0A], [0x0D], [0x0D, 0x0A], Array("ø".utf8), [0xEF, 0xBB, 0xBF],
        ]
        for _ in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<random.next(30) { bytes += random.pick(pieces) }
            let file = SourceFile(path: "t.rules", bytes: bytes)
            let expected = SourceFile.lineStarts(of: bytes)
            let offsets = (0..<8).map { _ in random.next(bytes.count + 2) }
            let tables = await withTaskGroup(of: ([Int], [SoeLanguage.SourceLocation]).self) { group in
                for _ in 0..<4 {
                    group.addTask { (file.lineStarts, offsets.map { file.location(of: $0) }) }
                }
                var all: [([Int], [SoeLanguage.SourceLocation])] = []
                for await table in group { all.append(table) }
                return all
            }
            let reference = SourceFile(path: "r.rules", bytes: bytes)
            for (table, locations) in tables {
                #expect(table == expected, "\(bytes)")
                #expect(
                    locations == offsets.map { Self.location(of: $0, in: bytes, starts: expected, textStart: reference.textStart) },
                    "\(bytes)")
            }
            for line in 0...(expected.count + 1) {
                #expect(file.lineText(line) == Self.lineText(line, in: bytes, starts: expected, textStart: reference.textStart))
            }
        }
    }

    @Test("loading, parsing and checking a rule file without findings leaves the line table unmade; a diagnostic makes it")
    func notMadeWithoutFindings() throws {
        let path = TestPaths.root + "/rules/anden_aktoer.rules"
        guard case .success(let bytes) = FileSystem.read(path, limit: 1 << 24) else {
            Issue.record("cannot read \(path)")
            return
        }
        let file = SourceFile(path: path, bytes: bytes)
        let result = RuleLoader.load([file], library: .none)
        #expect(!result.hasErrors)
        #expect(!file.hasMadeLineStarts)
        let broken = SourceFile(path: "b.rules", text: "ruleset x \"X\"\ninput a: yes/no\nflag = a +\n")
        let rendered = RuleLoader.load([broken], library: .none).diagnostics.map { DiagnosticRenderer.oneLine($0) }
        #expect(!rendered.isEmpty)
        #expect(broken.hasMadeLineStarts)
    }

    /// The line and column of an offset, found by the table given.
    static func location(of offset: Int, in bytes: [UInt8], starts: [Int], textStart: Int) -> SoeLanguage.SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        let line = starts.lastIndex { $0 <= clamped } ?? 0
        var column = 1
        var index = line == 0 ? min(textStart, clamped) : starts[line]
        while index < clamped {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SoeLanguage.SourceLocation(line: line + 1, column: column)
    }

    static func lineText(_ line: Int, in bytes: [UInt8], starts: [Int], textStart: Int) -> String {
        guard line >= 1, line <= starts.count else { return "" }
        let start = line == 1 ? textStart : starts[line - 1]
        var end = line < starts.count ? starts[line] : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
