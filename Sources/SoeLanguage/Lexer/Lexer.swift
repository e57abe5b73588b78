/// Turns a rule file's bytes into tokens.
///
/// The lexer never stops: an unexpected character is reported and skipped, an unterminated string
/// ends at the line break. Words are any run of letters (including æ, ø, å and other Unicode
/// letters), digits and `_` that starts with a letter or `_`. Numbers allow `_` between digits
/// (`1_000_000`) and one decimal point. `YYYY-MM-DD` is a date. `#` starts a comment to the end
/// of the line.
public struct Lexer {
    public let file: SourceFile
    let bytes: [UInt8]
    var index = 0
    private var lineStart = true
    private var marginColumn = true
    public internal(set) var diagnostics = DiagnosticBag()
    public private(set) var comments: [Comment] = []
    /// Whether the byte-wise fast paths run (a text without escapes, an ASCII run of a word, a
    /// number of digits alone); without them every token takes the general way, which the tests
    /// compare them with (`LexerFastPathTests`). The tokens, comments and diagnostics are the same.
    var fastPaths = true

    public init(file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
    }

    /// Lexes the whole file; the last token is always `endOfFile`.
    public static func tokenize(_ file: SourceFile) -> (tokens: [Token], comments: [Comment], diagnostics: [Diagnostic]) {
        tokenize(file, fastPaths: true)
    }

    /// Lexes the whole file, with or without the fast paths (the same tokens either way).
    static func tokenize(_ file: SourceFile, fastPaths: Bool) -> (tokens: [Token], comments: [Comment], diagnostics: [Diagnostic]) {
        var lexer = Lexer(file: file)
        lexer.fastPaths = fastPaths
        var tokens: [Token] = []
        // About one token per 20 bytes in the bundled rule files: room for most of them at once
        // instead of growing the array by doubling from 1.
        tokens.reserveCapacity(file.bytes.count / 24 + 1)
        // The token is moved into the array, not copied (its text retained) and then destroyed:
        // nothing reads it after the append (0.07 M instructions of a one-firm run's lexing).
        while true {
            let token = lexer.next()
            let isEnd = token.kind == .endOfFile
            tokens.append(token)
            if isEnd { break }
        }
        return (tokens, lexer.comments, lexer.diagnostics.items)
    }

    func span(_ range: Range<Int>) -> SourceSpan { SourceSpan(file: file, range: range) }

    /// The next token, skipping blanks, line breaks and comments.
    public mutating func next() -> Token {
        // A loop, not recursion: a file of a million stray characters must not overflow the stack.
        while true {
            if let token = nextToken() { return token }
        }
    }

    /// The next token, or nil after reporting and skipping an unexpected character.
    private mutating func nextToken() -> Token? {
        skipTrivia()
        let start = index
        let startsLine = lineStart
        let atMargin = lineStart && marginColumn
        lineStart = false
        guard index < bytes.count else {
            return Token(kind: .endOfFile, range: start..<start, startsLine: true, atMargin: true)
        }
        func make(_ kind: TokenKind, _ length: Int, text: String = "") -> Token {
            index = start + length
            return Token(kind: kind, range: start..<index, startsLine: startsLine, atMargin: atMargin, text: text)
        }
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "("): return make(.leftParen, 1)
        case UInt8(ascii: ")"): return make(.rightParen, 1)
        case UInt8(ascii: ","): return make(.comma, 1)
        case UInt8(ascii: ":"): return make(.colon, 1)
        case UInt8(ascii: "="): return make(.equal, 1)
        case UInt8(ascii: "+"): return make(.plus, 1)
        case UInt8(ascii: "-"): return make(.minus, 1)
        case UInt8(ascii: "*"): return make(.star, 1)
        case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
            // `// note`, as in C or JavaScript: no formula writes two slashes, so it is a comment
            // meant, reported with its fix and skipped as one, so that no error follows from it.
            let slashes = span(start..<(start + 2))
            diagnostics.error(
                .unexpectedCharacter, "'//' starts no comment in a rule file; a comment starts with '#'",
                da: "'//' indleder ingen kommentar i en regelfil; en kommentar begynder med '#'", at: slashes,
                fixIts: [FixIt(message: "write '#'", danish: "skriv '#'", range: start..<(start + 2), replacement: "#")])
            var end = start
            while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
            return skipped(to: end, startsLine: startsLine, atMargin: atMargin)
        case UInt8(ascii: "/"): return make(.slash, 1)
        case UInt8(ascii: "%"): return make(.percent, 1)
        case UInt8(ascii: "!") where peek(1) == UInt8(ascii: "="): return make(.notEqual, 2)
        case UInt8(ascii: "<"):
            if peek(1) == UInt8(ascii: "=") { return make(.lessEqual, 2) }
            if peek(1) == UInt8(ascii: ">") { return make(.notEqual, 2) }
            return make(.less, 1)
        case UInt8(ascii: ">"):
            return peek(1) == UInt8(ascii: "=") ? make(.greaterEqual, 2) : make(.greater, 1)
        case UInt8(ascii: "\""):
            return lexString(start: start, startsLine: startsLine, atMargin: atMargin)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return lexNumberOrDate(start: start, startsLine: startsLine, atMargin: atMargin)
        default:
            break
        }
        // Multi-byte signs that people type from Word or a Danish keyboard.
        if let (kind, length) = unicodeOperator() { return make(kind, length) }
        if isWordStart(at: index) { return lexWord(start: start, startsLine: startsLine, atMargin: atMargin) }
        if let quote = TypographicQuote(bytes, at: index) {
            return lexTypographicText(quote, start: start, startsLine: startsLine, atMargin: atMargin)
        }
        let length = scalarLength(at: index)
        let shown = file.text(start..<(start + length))
        if (byte == 0xC2 && peek(1) == 0xA0) || (byte == 0xE2 && peek(1) == 0x80 && peek(2) == 0xAF) {
            // A no-break space (U+00A0) or narrow one (U+202F), as a word processor puts before
            // `%` or between digit groups: it shows as a space, and is named, with the space to write.
            let code = byte == 0xC2 ? "U+00A0" : "U+202F"
            let width = byte == 0xC2 ? 2 : 3
            diagnostics.error(
                .unexpectedCharacter, "a no-break space (\(code)), which shows as a space; write an ordinary space",
                da: "et hårdt mellemrum (\(code)), der ser ud som et mellemrum; skriv et almindeligt mellemrum",
                at: span(start..<(start + width)),
                fixIts: [FixIt(message: "write a space", danish: "skriv et mellemrum", range: start..<(start + width), replacement: " ")])
            return skipped(to: start + width, startsLine: startsLine, atMargin: atMargin)
        }
        if byte == UInt8(ascii: "."), index + 1 < bytes.count, (0x30...0x39).contains(bytes[index + 1]),
            start == 0 || !(0x30...0x39).contains(bytes[start - 1])
        {
            // `.5`: a decimal without its whole part.
            var end = index + 1
            while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
            let digits = file.text((start + 1)..<end)
            diagnostics.error(
                .unexpectedCharacter, "'.\(digits)' has no digit before its point; write 0.\(digits)",
                da: "'.\(digits)' har intet ciffer før punktummet; skriv 0.\(digits)", at: span(start..<end),
                fixIts: [FixIt(message: "write 0.\(digits)", danish: "skriv 0.\(digits)", range: start..<end, replacement: "0.\(digits)")])
            // Read as the number it stands for, so that parsing goes on without a second error.
            index = end
            return Token(kind: .number, range: start..<end, startsLine: startsLine, atMargin: atMargin, text: "0.\(digits)")
        }
        if byte == UInt8(ascii: "."), start >= 2, bytes[start - 2] | 0x20 == UInt8(ascii: "k"), bytes[start - 1] | 0x20 == UInt8(ascii: "r")
        {
            // `100000 kr.`, as Danish writes the abbreviation: the unit is `kr`, without a point.
            diagnostics.error(
                .unexpectedCharacter, "unexpected character '.' after 'kr'; the unit is written 'kr', without a point: delete it",
                da: "uventet tegn '.' efter 'kr'; enheden skrives 'kr' uden punktum: slet det", at: span(start..<(start + 1)),
                fixIts: [FixIt(message: "delete the point", danish: "slet punktummet", range: start..<(start + 1), replacement: "")])
            return skipped(to: start + 1, startsLine: startsLine, atMargin: atMargin)
        }
        if let scalar = shown.unicodeScalars.first, shown.unicodeScalars.count == 1,
            scalar.properties.generalCategory == .format || scalar.properties.generalCategory == .control
                || (scalar.properties.isWhitespace && scalar != " ")
        {
            // A character that shows as nothing (a zero-width space, a second byte-order mark): named
            // by its code point, since quoting it shows ''.
            let code = Lexer.code(scalar)
            diagnostics.error(
                .unexpectedCharacter,
                "a character that shows as nothing or as a space (\(code)), as a copy from a web page or a word processor leaves it; delete it",
                da:
                    "et tegn, der ikke ses eller ligner et mellemrum (\(code)), som en kopi fra en hjemmeside eller et tekstbehandlingsprogram efterlader; slet det",
                at: span(start..<(start + length)),
                fixIts: [FixIt(message: "delete it", danish: "slet det", range: start..<(start + length), replacement: "")])
            return skipped(to: start + length, startsLine: startsLine, atMargin: atMargin)
        }
        diagnostics.error(
            .unexpectedCharacter, "unexpected character '\(shown)'", da: "uventet tegn '\(shown)'", at: span(start..<(start + length)))
        return skipped(to: start + length, startsLine: startsLine, atMargin: atMargin)
    }

    /// Past a reported character (or run of them) to `end`, keeping the layout flags of this
    /// position for the next token: the report is made, and lexing goes on.
    private mutating func skipped(to end: Int, startsLine: Bool, atMargin: Bool) -> Token? {
        index = end
        lineStart = startsLine
        marginColumn = atMargin
        return nil
    }

    func peek(_ offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private mutating func skipTrivia() {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                index += 1
                lineStart = true
                marginColumn = true
            } else if byte == 0x20 || byte == 0x09 {
                index += 1
                if lineStart { marginColumn = false }
            } else if byte == UInt8(ascii: "#") {
                let start = index
                while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
                let raw = file.text((start + 1)..<index)
                comments.append(Comment(range: start..<index, text: raw.trimmingSpaces()))
            } else if byte == 0xEF, index == 0, peek(1) == 0xBB, peek(2) == 0xBF {
                // A byte-order mark, as Windows editors write it: harmless, skipped silently.
                index += 3
            } else {
                return
            }
        }
    }

    private func unicodeOperator() -> (TokenKind, Int)? {
        // ≥ E2 89 A5, ≤ E2 89 A4, ≠ E2 89 A0, − (minus sign) E2 88 92, × C3 97
        if bytes[index] == 0xE2, let b1 = peek(1), let b2 = peek(2) {
            if b1 == 0x89 && b2 == 0xA5 { return (.greaterEqual, 3) }
            if b1 == 0x89 && b2 == 0xA4 { return (.lessEqual, 3) }
            if b1 == 0x89 && b2 == 0xA0 { return (.notEqual, 3) }
            if b1 == 0x88 && b2 == 0x92 { return (.minus, 3) }
        }
        if bytes[index] == 0xC3, peek(1) == 0x97 { return (.star, 2) }
        return nil
    }

    private mutating func lexString(start: Int, startsLine: Bool, atMargin: Bool) -> Token {
        index += 1
        if fastPaths, let end = Lexer.plainTextEnd(bytes, from: index) {
            // A text without a backslash or a line break before its closing quote: the general
            // way below would copy every byte between the quotes and stop at that quote.
            let token = Token(
                kind: .string, range: start..<(end + 1), startsLine: startsLine, atMargin: atMargin,
                text: String(decoding: bytes[index..<end], as: UTF8.self))
            index = end + 1
            return token
        }
        var content: [UInt8] = []
        // A typographic quote inside a text that never ends is almost always its intended end.
        var typographic: (quote: TypographicQuote, offset: Int, contentCount: Int)?
        while index < bytes.count {
            // A run of bytes that are none of the ones looked at below is copied at once: for each
            // of them the loop would only append it.
            var end = index
            while end < bytes.count, !Lexer.endsPlainText(bytes[end]) { end += 1 }
            if end > index {
                content.append(contentsOf: bytes[index..<end])
                index = end
                continue
            }
            let byte = bytes[index]
            // Every typographic quote starts with 0xC2 or 0xE2: most bytes of a text skip the look.
            if typographic == nil, byte == 0xC2 || byte == 0xE2, let quote = TypographicQuote(bytes, at: index), !quote.single {
                typographic = (quote, index, content.count)
            }
            if byte == UInt8(ascii: "\"") {
                index += 1
                return Token(
                    kind: .string, range: start..<index, startsLine: startsLine, atMargin: atMargin,
                    text: String(decoding: content, as: UTF8.self))
            }
            if byte == 0x0A || byte == 0x0D { break }
            if byte < 0x20 && byte != 0x09 {
                // A control character (a NUL from a damaged file, an escape code) is shown by no
                // text, and would reach letters and records unseen: reported, and left out.
                let hex = String(byte, radix: 16, uppercase: true)
                let code = "U+" + String(repeating: "0", count: 4 - hex.count) + hex
                diagnostics.error(
                    .unexpectedCharacter,
                    "a control character (\(code)) inside text in quotes, which no text shows; delete it",
                    da: "et kontroltegn (\(code)) inde i en tekst i anførselstegn, som ingen tekst viser; slet det",
                    at: span(index..<(index + 1)),
                    fixIts: [FixIt(message: "delete it", danish: "slet det", range: index..<(index + 1), replacement: "")])
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\\"), let escaped = peek(1), escaped == UInt8(ascii: "\"") || escaped == UInt8(ascii: "\\") {
                content.append(escaped)
                index += 2
                continue
            }
            content.append(byte)
            index += 1
        }
        if let (quote, offset, count) = typographic {
            let text = String(decoding: content[..<count], as: UTF8.self)
            diagnostics.error(
                .typographicQuote,
                "this text ends with a typographic quote \(quote.written), as a word processor writes it; "
                    + "rule files close a text with a straight quote: \"\(text)\"",
                da: "denne tekst slutter med et typografisk anførselstegn \(quote.written), som et tekstbehandlingsprogram skriver det; "
                    + "i regelfiler afsluttes en tekst med et lige anførselstegn: \"\(text)\"",
                at: span(offset..<(offset + quote.length)),
                fixIts: [FixIt(message: "write '\"'", danish: "skriv '\"'", range: offset..<(offset + quote.length), replacement: "\"")])
            index = offset + quote.length
            return Token(kind: .string, range: start..<index, startsLine: startsLine, atMargin: atMargin, text: text)
        }
        diagnostics.error(
            .unterminatedString, "text in quotes does not end on this line", da: "teksten i anførselstegn slutter ikke på denne linje",
            at: span(start..<index),
            fixIts: [FixIt(message: "close the text with '\"'", danish: "afslut teksten med '\"'", range: index..<index, replacement: "\"")]
        )
        return Token(
            kind: .string, range: start..<index, startsLine: startsLine, atMargin: atMargin,
            text: String(decoding: content, as: UTF8.self))
    }

    /// The offset of the quote that closes a text whose content starts at `from`, when no
    /// backslash or byte below 0x20 (LF, CR, a tab, a control character) comes before it; nil
    /// otherwise (no such quote, or one of those bytes first). Eight bytes are tested at a time
    /// while none of them is one of those.
    static func plainTextEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBytes { raw -> Int? in
            let count = raw.count
            var index = start
            while index &+ 8 <= count, !hasTextStop(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index &+= 8
            }
            while index < count {
                let byte = raw[index]
                if byte == UInt8(ascii: "\"") { return index }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                index &+= 1
            }
            return nil
        }
    }

    /// Whether one of the eight bytes of `word` is a quote, a backslash or below 0x20 (LF, CR,
    /// a tab or another control character): a byte `b` is below 0x20 when `b - 0x20` borrows, and
    /// the lowest such byte of a word always shows (`(x - 0x20…20) & ~x & 0x80…80`).
    @inline(__always) static func hasTextStop(_ word: UInt64) -> Bool {
        let below = (word &- 0x2020_2020_2020_2020) & ~word & 0x8080_8080_8080_8080
        return ByteLanes.equal(word, 0x22) | ByteLanes.equal(word, 0x5C) | below != 0
    }

    /// The bytes `lexString` looks at one by one: the quote, the backslash, the bytes below 0x20
    /// (the line breaks, a tab, the control characters) and the first bytes of the typographic quotes.
    @inline(__always)
    static func endsPlainText(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte == 0xC2 || byte == 0xE2
    }

    func isDigit(_ offset: Int) -> Bool {
        guard let byte = peek(offset) else { return false }
        return byte >= 0x30 && byte <= 0x39
    }

    private mutating func lexNumberOrDate(start: Int, startsLine: Bool, atMargin: Bool) -> Token {
        // YYYY-MM-DD: four digits, dash, two digits, dash, two digits, not followed by a digit.
        if (0..<4).allSatisfy({ isDigit($0) }), peek(4) == UInt8(ascii: "-"), isDigit(5), isDigit(6),
            peek(7) == UInt8(ascii: "-"), isDigit(8), isDigit(9), !isDigit(10)
        {
            index += 10
            return Token(kind: .date, range: start..<index, startsLine: startsLine, atMargin: atMargin)
        }
        return lexNumber(start: start, startsLine: startsLine, atMargin: atMargin)
    }

    // MARK: Unicode words

    func scalarLength(at offset: Int) -> Int {
        let byte = bytes[offset]
        let length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
        return min(length, bytes.count - offset)
    }

    func scalar(at offset: Int) -> Unicode.Scalar? {
        let length = scalarLength(at: offset)
        var iterator = bytes[offset..<(offset + length)].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let value) = decoder.decode(&iterator) { return value }
        return nil
    }

    func isWordStart(at offset: Int) -> Bool {
        let byte = bytes[offset]
        if byte < 0x80 {
            return (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
        }
        return scalar(at: offset)?.properties.isAlphabetic ?? false
    }

    func isWordContinue(at offset: Int) -> Bool {
        let byte = bytes[offset]
        if byte < 0x80 { return isWordStart(at: offset) || (byte >= 0x30 && byte <= 0x39) }
        return isWordStart(at: offset)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (no Foundation needed).
    @inlinable
    public func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
