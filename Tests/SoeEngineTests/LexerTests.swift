import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The lexer: tokens with byte ranges and layout flags, comments kept, and every bad character
/// reported without stopping.
@Suite("lexer")
struct LexerTests {
    /// A token as a test reads it: its kind and the source text it covers.
    struct Lexeme: Equatable, CustomStringConvertible {
        var kind: TokenKind
        var text: String
        init(_ kind: TokenKind, _ text: String) {
            self.kind = kind
            self.text = text
        }
        var description: String { "\(kind)(\(text))" }
    }

    static func lex(_ text: String) -> (lexemes: [Lexeme], tokens: [Token], comments: [SoeLanguage.Comment], diagnostics: [Diagnostic]) {
        let file = SourceFile(path: "test.rules", text: text)
        let (tokens, comments, diagnostics) = Lexer.tokenize(file)
        let lexemes = tokens.dropLast().map { Lexeme($0.kind, file.text($0.range)) }
        return (lexemes, tokens, comments, diagnostics)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var note: String
        var source: String
        var expected: [(TokenKind, String)]
        var testDescription: String { note }
    }

    static let cases: [Case] = [
        Case(
            note: "a declaration head", source: "input market_sales: money",
            expected: [(.word, "input"), (.word, "market_sales"), (.colon, ":"), (.word, "money")]),
        Case(
            note: "words may use æ, ø, å and start with _", source: "værdi_ø Åbenrå _intern",
            expected: [(.word, "værdi_ø"), (.word, "Åbenrå"), (.word, "_intern")]),
        Case(
            note: "digits continue a word but do not start one", source: "år2024 2024år",
            expected: [(.word, "år2024"), (.number, "2024"), (.word, "år")]),
        Case(
            note: "_ groups digits inside a number", source: "1_000_000 kr",
            expected: [(.number, "1_000_000"), (.word, "kr")]),
        Case(
            note: "a number has at most one decimal point", source: "12.5 % 0.05",
            expected: [(.number, "12.5"), (.percent, "%"), (.number, "0.05")]),
        Case(
            note: "a trailing _ is not part of the number", source: "100_",
            expected: [(.number, "100"), (.word, "_")]),
        Case(
            note: "YYYY-MM-DD is one date token", source: "from 2015-01-01 until 2019-12-31",
            expected: [(.word, "from"), (.date, "2015-01-01"), (.word, "until"), (.date, "2019-12-31")]),
        Case(
            note: "the lexer takes any YYYY-MM-DD shape; the parser checks the calendar", source: "2023-02-30",
            expected: [(.date, "2023-02-30")]),
        Case(
            note: "a date followed by a digit is arithmetic, not a date", source: "2015-01-011",
            expected: [(.number, "2015"), (.minus, "-"), (.number, "01"), (.minus, "-"), (.number, "011")]),
        Case(
            note: "ASCII comparison signs", source: "= != <> < <= > >=",
            expected: [
                (.equal, "="), (.notEqual, "!="), (.notEqual, "<>"), (.less, "<"), (.lessEqual, "<="),
                (.greater, ">"), (.greaterEqual, ">="),
            ]),
        Case(
            note: "signs typed from Word or a Danish keyboard", source: "a ≥ b ≤ c ≠ d × e − f",
            expected: [
                (.word, "a"), (.greaterEqual, "≥"), (.word, "b"), (.lessEqual, "≤"), (.word, "c"),
                (.notEqual, "≠"), (.word, "d"), (.star, "×"), (.word, "e"), (.minus, "−"), (.word, "f"),
            ]),
        Case(
            note: "arithmetic and punctuation", source: "min(a, b) + c * d / e - 1",
            expected: [
                (.word, "min"), (.leftParen, "("), (.word, "a"), (.comma, ","), (.word, "b"), (.rightParen, ")"),
                (.plus, "+"), (.word, "c"), (.star, "*"), (.word, "d"), (.slash, "/"), (.word, "e"),
                (.minus, "-"), (.number, "1"),
            ]),
        Case(
            note: "yes/no is three tokens", source: "yes/no",
            expected: [(.word, "yes"), (.slash, "/"), (.word, "no")]),
        Case(
            note: "a comment is trivia", source: "a # b c\nd",
            expected: [(.word, "a"), (.word, "d")]),
        Case(note: "an empty file has only the end", source: "  \n\t\n", expected: []),
    ]

    @Test("tokens and their source text", arguments: cases)
    func tokens(_ testCase: Case) {
        let result = Self.lex(testCase.source)
        #expect(result.lexemes == testCase.expected.map { Lexeme($0.0, $0.1) })
        #expect(result.diagnostics.isEmpty)
        #expect(result.tokens.last?.kind == .endOfFile)
    }

    @Test("every token carries its exact byte range")
    func ranges() {
        let result = Self.lex("x >= 10 %  # c")
        #expect(result.tokens.map(\.range) == [0..<1, 2..<4, 5..<7, 8..<9, 14..<14])
        // ø is two bytes in UTF-8: ranges are bytes, columns are characters.
        let danish = Self.lex("ø ≥ 1")
        #expect(danish.tokens.map(\.range) == [0..<2, 3..<6, 7..<8, 8..<8])
        let file = SourceFile(path: "t", text: "ø ≥ 1")
        #expect(file.location(of: 3) == SourceLocation(line: 1, column: 3))
        #expect(file.location(of: 7) == SourceLocation(line: 1, column: 5))
    }

    @Test("text in quotes: escapes resolved, æøå kept, the range includes the quotes")
    func strings() {
        let result = Self.lex(#""Omsætning \"fra\" salg \\ øvrigt" """#)
        #expect(result.diagnostics.isEmpty)
        #expect(result.tokens.map(\.kind) == [.string, .string, .endOfFile])
        #expect(result.tokens[0].text == #"Omsætning "fra" salg \ øvrigt"#)
        #expect(result.tokens[1].text == "")
        // Any other backslash is kept as written.
        #expect(Self.lex(#""a\nb""#).tokens[0].text == #"a\nb"#)
    }

    /// A text opened with a straight quote that never ends: its first double typographic quote,
    /// whichever its first byte (0xC2 for « and », 0xE2 for the others), is taken as its end with
    /// E009; the single ones are not (the lexer looks for them only at 0xC2 and 0xE2 bytes).
    @Test(
        "a straight-quoted text that never ends closes at its first double typographic quote, of either first byte",
        arguments: ["”", "“", "„", "»", "«", "’", "‘", "‚"])
    func typographicEndOfUnterminatedText(quote: String) {
        let single = ["’", "‘", "‚"].contains(quote)
        let source = "input x: money \"Omsætning æ\(quote) fra salg\nvalue v = 1"
        let result = Self.lex(source)
        let string = result.tokens[4]
        #expect(string.kind == .string)
        if single {
            #expect(result.diagnostics.map(\.code) == ["E003"])
            #expect(string.text == "Omsætning æ\(quote) fra salg")
        } else {
            #expect(result.diagnostics.map(\.code) == ["E009"])
            #expect(string.text == "Omsætning æ")
            let start = Array("input x: money \"Omsætning æ".utf8).count
            #expect(result.diagnostics.first?.span?.range == start..<(start + quote.utf8.count))
        }
    }

    /// The text token as `lexString` made it byte by byte before it copied plain runs at once: the
    /// general path, kept here to compare with (the text, where the token ends, and the code of its
    /// diagnostic, if any).
    static func referenceText(_ bytes: [UInt8], from open: Int) -> (text: String, end: Int, code: String?) {
        var index = open + 1
        var content: [UInt8] = []
        var typographic: (quote: TypographicQuote, offset: Int, contentCount: Int)?
        while index < bytes.count {
            let byte = bytes[index]
            if typographic == nil, let quote = TypographicQuote(bytes, at: index), !quote.single {
                typographic = (quote, index, content.count)
            }
            if byte == UInt8(ascii: "\"") { return (String(decoding: content, as: UTF8.self), index + 1, nil) }
            if byte == 0x0A || byte == 0x0D { break }
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count,
                bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\")
            {
                content.append(bytes[index + 1])
                index += 2
                continue
            }
            content.append(byte)
            index += 1
        }
        if let (quote, offset, count) = typographic {
            return (String(decoding: content[..<count], as: UTF8.self), offset + quote.length, "E009")
        }
        return (String(decoding: content, as: UTF8.self), index, "E003")
    }

    @Test("a text copied a plain run at a time is the text read byte by byte, on generated texts")
    func plainRunsAsByteByByte() {
        let pieces = [
            "a", "Z", " ", "æ", "ø", "å", "€", "é", "\"", "\\", "\\\"", "\\\\", "\\n", "\n", "\r", "\r\n", "«", "»", "“", "”", "„",
            "‘", "’", "‚", "\u{C2}\u{A0}", "\u{2014}", "\u{2019}s", "\t", "%", "1,5",
        ]
        var random = SplitMix64(seed: 16)
        var compared = 0
        for _ in 0..<3000 {
            let length = Int.random(in: 0...12, using: &random)
            let body = (0..<length).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
            let source = "value v = \"" + body + (Bool.random(using: &random) ? "\"\n" : "")
            let bytes = Array(source.utf8)
            let open = Array("value v = ".utf8).count
            let result = Self.lex(source)
            guard let token = result.tokens.first(where: { $0.kind == .string }), token.range.lowerBound == open else {
                Issue.record("no text token in \(source.debugDescription)")
                continue
            }
            let expected = Self.referenceText(bytes, from: open)
            #expect(token.text == expected.text, "\(source.debugDescription)")
            #expect(token.range.upperBound == expected.end, "\(source.debugDescription)")
            let codes = result.diagnostics.filter {
                $0.span?.range.lowerBound ?? 0 >= open && $0.span?.range.lowerBound ?? 0 < expected.end
            }
            .map(\.code)
            #expect(codes.first == expected.code, "\(source.debugDescription): \(codes)")
            compared += 1
        }
        #expect(compared == 3000)
    }

    @Test("an unterminated text ends at the line break, with a fix-it, and lexing goes on")
    func unterminatedString() {
        let result = Self.lex("input x: money \"Omsætning\nvalue v = 1")
        #expect(result.diagnostics.map(\.code) == ["E003"])
        #expect(result.diagnostics.first?.message == "text in quotes does not end on this line")
        #expect(result.diagnostics.first?.span?.range == 15..<26)
        #expect(result.diagnostics.first?.fixIts.map(\.replacement) == ["\""])
        #expect(result.diagnostics.first?.fixIts.map(\.range) == [26..<26])
        let string = result.tokens[4]
        #expect(string.kind == .string && string.text == "Omsætning")
        // The next line is still a declaration at the margin.
        #expect(result.lexemes.dropFirst(5).map(\.text) == ["value", "v", "=", "1"])
        #expect(result.tokens[5].atMargin)
    }

    @Test("an unexpected character is reported and skipped; the layout of its place is kept")
    func unexpectedCharacter() {
        let result = Self.lex("a @ b\n€input x")
        #expect(result.diagnostics.map(\.code) == ["E002", "E002"])
        #expect(result.diagnostics.map(\.message) == ["unexpected character '@'", "unexpected character '€'"])
        #expect(result.diagnostics.map { $0.span?.range } == [2..<3, 6..<9])
        #expect(result.lexemes == [Lexeme(.word, "a"), Lexeme(.word, "b"), Lexeme(.word, "input"), Lexeme(.word, "x")])
        // `input` follows the bad character in column 1, so it still starts a declaration.
        #expect(result.tokens[2].startsLine && result.tokens[2].atMargin)
        // A lone `!` is not `!=`.
        #expect(Self.lex("a ! b").diagnostics.map(\.code) == ["E002"])
    }

    @Test("comments are kept with their trimmed text and range, for lint suppressions")
    func comments() {
        let result = Self.lex("# soe:ignore L201 -- reason  \ninput x: money #  tail\n#\n")
        #expect(result.comments.map(\.text) == ["soe:ignore L201 -- reason", "tail", ""])
        #expect(result.comments.map(\.range) == [0..<29, 45..<52, 53..<54])
        #expect(result.lexemes.count == 4)
    }

    @Test("startsLine marks the first token of a line; atMargin only when it is in column 1")
    func layoutFlags() {
        let result = Self.lex("a b\n  c d\n\te\n\n# note\nf")
        let flags = result.tokens.map { ($0.startsLine ? "S" : "-") + ($0.atMargin ? "M" : "-") }
        //                 a     b     c     d     e     f     end
        #expect(flags == ["SM", "--", "S-", "--", "S-", "SM", "SM"])
    }

    @Test("a byte-order mark at the start is skipped silently")
    func byteOrderMark() {
        let file = SourceFile(path: "bom.rules", bytes: [0xEF, 0xBB, 0xBF] + Array("ruleset x".utf8))
        let (tokens, _, diagnostics) = Lexer.tokenize(file)
        #expect(diagnostics.isEmpty)
        #expect(tokens.map(\.kind) == [.word, .word, .endOfFile])
        #expect(tokens[0].range == 3..<10)
        #expect(tokens[0].atMargin)
        // Only at the very start: elsewhere it is a character with no meaning.
        let later = SourceFile(path: "bom.rules", bytes: Array("a ".utf8) + [0xEF, 0xBB, 0xBF])
        #expect(Lexer.tokenize(later).diagnostics.map(\.code) == ["E002"])
    }

    @Test("CR LF and lone CR end lines like LF, for tokens and for line numbers")
    func lineEndings() {
        let result = Self.lex("a\r\n  b\r\nc\rd")
        #expect(result.lexemes.map(\.text) == ["a", "b", "c", "d"])
        #expect(result.tokens.map(\.atMargin) == [true, false, true, true, true])
        let file = SourceFile(path: "t", text: "a\r\n  b\r\nc\rd")
        #expect(file.location(of: 5) == SourceLocation(line: 2, column: 3))
        #expect(file.location(of: 8) == SourceLocation(line: 3, column: 1))
        #expect(file.location(of: 10) == SourceLocation(line: 4, column: 1))
        #expect(file.lineText(2) == "  b")
        // A comment ends at CR as well.
        #expect(Self.lex("# x\r\ny").comments.map(\.text) == ["x"])
    }
}
