/// The parser: tokens in, a whole syntax tree and a list of diagnostics out.
///
/// # Design
///
/// Rule files are written by policy staff by trial and error, so the parser's job is less to
/// accept correct files than to explain incorrect ones, all of them at once. Three decisions follow.
///
/// **It never throws and never stops.** Where something is missing it reports a diagnostic, puts a
/// placeholder node in the tree (`ExpressionSyntax.missing`, an empty name) and goes on, so the
/// checker still sees every declaration and can report its own findings.
///
/// **The left margin bounds declarations.** Every declaration starts with a keyword in column 1
/// and continues on indented lines. Any token in column 1 therefore ends the current declaration,
/// however confused the parser is inside it. That is the recovery point: one broken formula costs
/// one declaration, never the rest of the file. Inside a declaration, line breaks are blanks, so a
/// long formula may be wrapped freely on indented lines.
///
/// **Keywords are contextual.** Only `and or not if then else yes no true false` are reserved.
/// Words like `is`, `of`, `from`, `min` are keywords only where the grammar expects them, so that a
/// legal-form value may be called `as` or `is` (A/S, I/S) without quoting.
///
/// Every loop asserts progress (see `ProgressGuard`), and expression nesting is limited
/// (`Parser.maxDepth`) so that 100,000 opening parentheses give a diagnostic, not a stack overflow.
///
/// # Grammar (informal)
///
///     file        = header { declaration }
///     header      = "ruleset" NAME [TEXT] ["builds" "on" NAME] { "source" TEXT | "version" TEXT
///                   | "in" "force" "from" DATE ["until" DATE] }
///     declaration = ["override"] ( input | parameter | value | criterion | classify )
///     input       = "input" NAME ":" type { TEXT | "min" expr | "max" expr }
///     parameter   = "parameter" NAME [":" type] { TEXT | ("law"|"guidance"|"policy") TEXT
///                   | "=" expr ["from" DATE] ["until" DATE] }
///     value       = "value" NAME { TEXT | "=" expr }
///     criterion   = "criterion" NAME { TEXT | "cite" TEXT | "=" expr }
///     classify    = "classify" { ["otherwise"] NAME { TEXT | "when" expr | "reason" TEXT } }
///     TEXT        = STRING ["en" STRING]
///     type        = "money" | "percent" | "count" | "number" | "yes/no" | "date" | "text"
///                 | "one" "of" NAME { "," NAME }
///     expr        = "if" expr "then" expr "else" expr | or
///     or          = and { "or" and }          and = not { "and" not }
///     not         = "not" not | comparison
///     comparison  = sum [ ("="|"!="|"<"|"<="|">"|">=") sum
///                       | "is" ["not"] ( "known" | "missing" | NAME | "one" "of" NAME {"," NAME} ) ]
///     sum         = product { ("+"|"-") product }     product = unary { ("*"|"/") unary }
///     unary       = "-" unary | primary
///     primary     = NUMBER ["%" | "kr"] | DATE | STRING | "yes" | "no" | NAME | "(" expr ")"
///                 | ("min"|"max") "(" expr { "," expr } ")" | ("all"|"any"|"none") "of" not { "," not }
public struct Parser {
    /// The deepest nesting of formulas the language accepts.
    public static let maxDepth = 200
    /// The most pairs of parentheses that nest within `maxDepth`: a pair is a formula again
    /// (`parseExpression`), whose `not` and unary levels are entered too, so it takes 3 levels,
    /// and so does the innermost formula.
    public static let maxParentheses = maxDepth / 3 - 1
    /// Words that can never be names.
    public static let reservedWords: Set<String> = ["and", "or", "not", "if", "then", "else", "yes", "no", "true", "false"]
    static let declarationKeywords = ["input", "parameter", "value", "criterion", "classify"]

    let file: SourceFile
    var tokens: [Token]
    var position = 0
    var depth = 0
    /// True while a parameter's value is read: an `=` that starts a line begins the next value
    /// (`= 50 %`, then `= 40 % from 2025-01-01`), never a comparison with the one before.
    var inParameterValue = false
    var diagnostics = DiagnosticBag()
    /// The offset of the last error, so that one broken spot yields one message.
    var lastErrorOffset = -1
    /// Whether keywords are compared by the short ways (`spellsKeyword`, the length test of
    /// `parseWordPrimary`); false takes the general way everywhere, for the tests.
    var fastPaths = true
    /// Where a date written the Danish way was reported with its fix (`expectDate`).
    var danishDates: [Range<Int>] = []

    init(file: SourceFile, tokens: [Token]) {
        self.file = file
        self.tokens = tokens
    }

    /// Parses a whole rule file. Lexer diagnostics come first in the returned list.
    public static func parse(_ file: SourceFile) -> (syntax: RuleFileSyntax, diagnostics: [Diagnostic]) {
        parse(file, fastPaths: true)
    }

    /// `parse(_:)`, the lexer's and the parser's fast paths on or off (for the tests).
    static func parse(_ file: SourceFile, fastPaths: Bool) -> (syntax: RuleFileSyntax, diagnostics: [Diagnostic]) {
        let lexed = Lexer.tokenize(file, fastPaths: fastPaths)
        var parser = Parser(file: file, tokens: lexed.tokens)
        parser.fastPaths = fastPaths
        var syntax = parser.parseFile()
        syntax.comments = lexed.comments
        // A date written the Danish way is one error with its fix (`expectDate`), not also the
        // lexer's about its pieces (`1.1.2024` is no number, `1. januar` has a stray point).
        let lexical = lexed.diagnostics.filter { diagnostic in
            guard let at = diagnostic.span?.range.lowerBound else { return true }
            return !parser.danishDates.contains { $0.contains(at) }
        }
        return (syntax, lexical + parser.diagnostics.items)
    }

    // MARK: Token helpers

    var current: Token { tokens[position] }
    // `atEnd`, `atBoundary` and `isWord` read the fields they need from the array, not a copy of
    // the whole token with its text (a retain and a release each time, asked at every level of
    // every formula: 0.1 M instructions of a one-firm run's parse).
    var atEnd: Bool { tokens[position].kind == .endOfFile }
    /// True where the current declaration ends: a token in column 1, or the end of the file.
    var atBoundary: Bool { tokens[position].kind == .endOfFile || tokens[position].atMargin }

    func peek(_ offset: Int = 1) -> Token {
        tokens[min(position + offset, tokens.count - 1)]
    }

    func text(of token: Token) -> String { file.text(token.range) }

    /// Whether the token is the word `word`: its text is `word`. Without making the text: see
    /// `spells`.
    func isWord(_ word: StaticString) -> Bool {
        guard tokens[position].kind == .word else { return false }
        return spells(tokens[position].range, word)
    }

    /// Whether `token` is the word `word`.
    func isWord(_ word: StaticString, _ token: Token) -> Bool {
        token.kind == .word && spells(token.range, word)
    }

    func spells(_ range: Range<Int>, _ word: StaticString) -> Bool {
        if fastPaths { return Parser.spellsKeyword(file.bytes, range, word) }
        return Parser.spells(file.bytes, range, word.description)
    }

    /// `spells` for a keyword, which is a word of lowercase ASCII letters written in the parser's
    /// code: its bytes are at hand (`StaticString`), so that the test that it is such a word, and
    /// the `String` machinery to get at its bytes, are left out (a keyword asked about at every
    /// level of every formula: 0.05 M instructions of a one-firm run's parse).
    static func spellsKeyword(_ bytes: [UInt8], _ range: Range<Int>, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        let letters = word.utf8Start
        assert((0..<count).allSatisfy { letters[$0] >= UInt8(ascii: "a") && letters[$0] <= UInt8(ascii: "z") })
        let lower = max(0, min(range.lowerBound, bytes.count))
        let upper = max(lower, min(range.upperBound, bytes.count))
        guard upper - lower == count else { return false }
        for offset in 0..<count where bytes[lower + offset] != letters[offset] { return false }
        return true
    }

    /// Whether the bytes of `range` (clamped to `bytes` as `SourceFile.text` clamps it), read as
    /// text, equal `word`. A word of lowercase ASCII letters, as every keyword is, is compared
    /// byte by byte: as text it equals only the same bytes (no other text is canonically
    /// equivalent to it: no character decomposes into lowercase ASCII letters alone), so the
    /// answer is the one the texts' comparison gives, without decoding the token into a `String`
    /// each time the parser asks (a sixth of the parse of a one-firm run, docs/benchmark.md, "Steps
    /// of wave 3, session 10: cold start"). Any other word is compared as text.
    static func spells(_ bytes: [UInt8], _ range: Range<Int>, _ word: String) -> Bool {
        let lower = max(0, min(range.lowerBound, bytes.count))
        let upper = max(lower, min(range.upperBound, bytes.count))
        let byBytes: Bool?? = word.utf8.withContiguousStorageIfAvailable { letters -> Bool? in
            guard letters.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else { return nil }
            guard upper - lower == letters.count else { return false }
            for offset in 0..<letters.count where bytes[lower + offset] != letters[offset] { return false }
            return true
        }
        if let answer = byBytes ?? nil { return answer }
        return String(decoding: bytes[lower..<upper], as: UTF8.self) == word
    }

    @discardableResult
    mutating func advance() -> Token {
        let token = current
        if !atEnd { position += 1 }
        return token
    }

    func span(_ range: Range<Int>) -> SourceSpan { SourceSpan(file: file, range: range) }

    /// Describes a token for a message: `'kr'`, `text in quotes`, `end of file`.
    func describe(_ token: Token) -> String {
        switch token.kind {
        case .endOfFile: "end of file"
        case .string: "text in quotes"
        default: "'\(text(of: token))'"
        }
    }

    mutating func error(
        _ code: DiagnosticCode, _ message: String, da danish: String? = nil, at range: Range<Int>,
        fixIts: [FixIt] = [], notes: [DiagnosticNote] = []
    ) {
        guard range.lowerBound != lastErrorOffset else { return }
        lastErrorOffset = range.lowerBound
        diagnostics.error(code, message, da: danish, at: span(range), notes: notes, fixIts: fixIts)
    }

    /// Skips to the next line start (or declaration boundary), after an error inside a declaration.
    mutating func skipRestOfLine() {
        advance()
        while !atBoundary && !current.startsLine { advance() }
    }

    /// Skips the rest of the current declaration.
    mutating func skipToBoundary() {
        while !atBoundary { advance() }
    }

    /// The range from `start` to the end of the last consumed token.
    func rangeFrom(_ start: Int) -> Range<Int> {
        let end = position > 0 ? tokens[position - 1].range.upperBound : start
        return start..<max(start, end)
    }

    // MARK: Names, texts, dates

    /// Expects a name; reports and returns an empty name at the current position if there is none.
    mutating func expectName(_ what: String, allowReserved: Bool = false) -> NameSyntax {
        if current.kind == .word && !atBoundary {
            let token = advance()
            let name = text(of: token)
            if !allowReserved && Parser.reservedWords.contains(name) {
                error(
                    .reservedName, "'\(name)' is a reserved word and cannot be used as \(what)",
                    da: "'\(name)' er et reserveret ord og kan ikke bruges som \(Parser.danish(what))", at: token.range)
            }
            return NameSyntax(text: name, range: token.range)
        }
        error(
            .expectedName, "expected \(what), found \(describe(current))",
            da: "her skal stå \(Parser.danish(what)), men der står \(describeDanish(current))", at: current.range)
        return NameSyntax(text: "", range: current.range.lowerBound..<current.range.lowerBound)
    }

    /// Where to point when something is missing: at the token found, or, when the declaration has
    /// ended, just after its last token, so the caret stands on the line that lacks something.
    var missingSpot: Range<Int> {
        guard atBoundary, position > 0 else { return current.range }
        let end = tokens[position - 1].range.upperBound
        return end..<end
    }

    /// Describes what was found instead, for a message: at a boundary, the end of the line.
    var foundInstead: String { atBoundary && !atEnd ? "the end of the declaration" : describe(current) }

    /// Expects a punctuation token; reports if it is missing, without consuming anything.
    @discardableResult
    mutating func expect(_ kind: TokenKind, _ shown: String) -> Bool {
        if current.kind == kind && !atBoundary {
            advance()
            return true
        }
        let at = position > 0 ? tokens[position - 1].range.upperBound : 0
        error(
            .expectedToken, "expected '\(shown)', found \(foundInstead)",
            da: "her mangler '\(shown)'; der står \(foundInsteadDanish)", at: missingSpot,
            fixIts: [FixIt(message: "insert '\(shown)'", danish: "indsæt '\(shown)'", range: at..<at, replacement: shown)])
        return false
    }

    /// A text in quotes with an optional `en "…"` gloss. The current token must be a string.
    mutating func parseText() -> TextSyntax {
        let token = advance()
        reportIfEmpty(token)
        var english: String?
        var end = token.range.upperBound
        if isWord("en"), peek().kind == .string, !atBoundary {
            advance()
            let gloss = advance()
            reportIfEmpty(gloss)
            english = gloss.text
            end = gloss.range.upperBound
        }
        return TextSyntax(text: token.text, english: english, range: token.range.lowerBound..<end)
    }

    /// E011 for a text in quotes that is empty or only spaces and tabs (`reason ""`): a label, a
    /// reason, a citation or a gloss that says nothing reaches a letter as nothing. A text that
    /// never closes is E003's alone.
    mutating func reportIfEmpty(_ token: Token) {
        guard token.text.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 }), token.range.count >= 2,
            file.bytes[token.range.upperBound - 1] == UInt8(ascii: "\"")
        else { return }
        error(
            .emptyText, "this text in quotes is empty; write what it should say, or leave out the clause where it may be left out",
            da: "denne tekst i anførselstegn er tom; skriv, hvad den skal sige, eller udelad leddet, hvor det kan udelades",
            at: token.range)
    }

    /// Expects a text in quotes after a clause keyword.
    mutating func expectText(after keyword: String) -> TextSyntax? {
        if current.kind == .string && !atBoundary { return parseText() }
        error(
            .expectedToken, "expected text in quotes after '\(keyword)', found \(describe(current))",
            da: "efter '\(keyword)' skal der stå en tekst i anførselstegn, men der står \(describeDanish(current))", at: current.range)
        return nil
    }

    /// Expects a date token and validates it as a calendar date.
    mutating func expectDate(after keyword: String) -> DateSyntax? {
        guard current.kind == .date && !atBoundary else {
            // A date written the Danish way (`01-01-2024`, `1.1.2024`, `1. januar 2024`): the same
            // date as the language writes it, with a fix-it.
            if !atBoundary,
                let (written, day) = Self.danishDate(in: file.bytes, at: current.range.lowerBound)
                    ?? Self.unpaddedDate(in: file.bytes, at: current.range.lowerBound)
            {
                let range = current.range.lowerBound..<(current.range.lowerBound + written)
                error(
                    .malformedDate,
                    "expected a date (YYYY-MM-DD) after '\(keyword)', found '\(file.text(range))'; write \(day)",
                    da: "efter '\(keyword)' skal der stå en dato (ÅÅÅÅ-MM-DD), men der står '\(file.text(range))'; skriv \(day)", at: range,
                    fixIts: [FixIt(message: "write \(day)", danish: "skriv \(day)", range: range, replacement: "\(day)")])
                // Past the date's pieces, which would each be an error of their own.
                danishDates.append(range)
                while !atEnd && current.range.lowerBound < range.upperBound { advance() }
                return nil
            }
            error(
                .malformedDate, "expected a date (YYYY-MM-DD) after '\(keyword)', found \(describe(current))",
                da: "efter '\(keyword)' skal der stå en dato (ÅÅÅÅ-MM-DD), men der står \(describeDanish(current))", at: current.range)
            return nil
        }
        let token = advance()
        guard let day = Day(iso: text(of: token)) else {
            error(
                .malformedDate, "'\(text(of: token))' is not a calendar date", da: "'\(text(of: token))' er ikke en dato i kalenderen",
                at: token.range)
            return nil
        }
        return DateSyntax(day: day, range: token.range)
    }

    /// `2019-1-1`: a year, then a month and a day without their leading zeros; how many bytes it
    /// takes and the day, or nil.
    static func unpaddedDate(in bytes: [UInt8], at offset: Int) -> (Int, Day)? {
        var index = offset
        func number(_ fewest: Int, _ most: Int) -> Int? {
            var (value, digits) = (0, 0)
            while index < bytes.count, digits < most, (0x30...0x39).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 0x30)
                (digits, index) = (digits + 1, index + 1)
            }
            return digits < fewest ? nil : value
        }
        func dash() -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "-") else { return false }
            index += 1
            return true
        }
        guard let year = number(4, 4), dash(), let month = number(1, 2), dash(), let day = number(1, 2),
            index >= bytes.count || !(0x30...0x39).contains(bytes[index]), let date = Day(year: year, month: month, day: day)
        else { return nil }
        return (index - offset, date)
    }

    /// A date written the Danish way at `offset` of a line: day, month and a four-digit year set
    /// apart by `-`, `.` or `/` (`01-01-2024`, `1.1.2024`), or a day, a point and a month's name
    /// (`1. januar 2024`); how many bytes it takes and the day, or nil (no such date, or none in the
    /// calendar).
    static func danishDate(in bytes: [UInt8], at offset: Int) -> (Int, Day)? {
        var index = offset
        func number(_ most: Int) -> Int? {
            var value = 0
            var digits = 0
            while index < bytes.count, digits < most, (0x30...0x39).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 0x30)
                (digits, index) = (digits + 1, index + 1)
            }
            return digits == 0 ? nil : value
        }
        guard let day = number(2), index < bytes.count else { return nil }
        let mark = bytes[index]
        var month: Int?
        if [UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/")].contains(mark), index + 1 < bytes.count,
            (0x30...0x39).contains(bytes[index + 1])
        {
            index += 1
            month = number(2)
            guard month != nil, index < bytes.count, bytes[index] == mark else { return nil }
            index += 1
        } else if mark == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, bytes[index] == 0x20 { index += 1 }
            let names = [
                "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december",
            ]
            for (position, name) in names.enumerated() {
                let word = Array(name.utf8)
                if index + word.count <= bytes.count, Array(bytes[index..<(index + word.count)]) == word {
                    month = position + 1
                    index += word.count
                    break
                }
            }
            guard month != nil, index < bytes.count, bytes[index] == 0x20 else { return nil }
            while index < bytes.count, bytes[index] == 0x20 { index += 1 }
        }
        let yearStart = index
        guard let month, let year = number(4), index - yearStart == 4, index == bytes.count || !(0x30...0x39).contains(bytes[index]),
            let date = Day(year: year, month: month, day: day)
        else { return nil }
        return (index - offset, date)
    }

    /// Records a clause given twice.
    mutating func duplicateClause(_ name: String, at range: Range<Int>) {
        error(
            .duplicateClause, "'\(name)' is given twice in this declaration", da: "'\(name)' står to gange i denne deklaration", at: range)
    }
}

/// Guards a parser loop against running forever: each turn must consume at least one token.
struct ProgressGuard {
    private var last = -1
    /// True if the parser moved since the last call; on a stuck loop the caller must advance itself.
    mutating func madeProgress(_ position: Int) -> Bool {
        defer { last = position }
        return position > last
    }
}
