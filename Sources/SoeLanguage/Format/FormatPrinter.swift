/// Writes tokens in the order and on the lines the layout chooses, with canonical spacing, and
/// with every comment attached to them (see `FormatTrivia`).
///
/// The layout says where a line starts and at which indent; the printer adds the breaks that
/// comments force: a token with comments before it starts a new line after them, and a token with
/// a comment after it ends its line.
struct FormatPrinter {
    /// The widest line the layout aims for, in characters. Texts in quotes cannot be broken, so a
    /// line holding a long text is longer.
    static let width = 100

    let file: SourceFile
    let tokens: [Token]
    let comments: [Comment]
    let trivia: FormatTrivia
    /// Tokens written without a space after them: `(`, a unary minus, `min` before its `(`.
    var tightAfter: Set<Int> = []
    /// Tokens written without a space before them: `,` `)` `:`, and the `/` of `yes/no`.
    var tightBefore: Set<Int> = []
    /// The indent of a line the printer must start inside the current clause.
    var continuation = 2

    private(set) var lines: [String] = []
    private var line = ""
    private var column = 0
    private var lineHasToken = false
    private var lastToken: Int?
    private var forcedBreak = false
    private var commentsDone: Set<Int> = []
    private(set) var emitted: [Int] = []
    private var widths: [Int]

    init(file: SourceFile, tokens: [Token], comments: [Comment]) {
        self.file = file
        self.tokens = tokens
        self.comments = comments
        self.trivia = FormatTrivia(tokens: tokens, comments: comments, bytes: file.bytes)
        self.widths = tokens.map { file.text($0.range).count }
        for (index, token) in tokens.enumerated() {
            switch token.kind {
            case .comma, .rightParen, .colon: tightBefore.insert(index)
            case .leftParen: tightAfter.insert(index)
            default: break
            }
        }
    }

    /// The text of a token as written.
    func text(_ index: Int) -> String { file.text(tokens[index].range) }

    /// Whether `width` more characters (after a space) fit on the current line.
    func fits(_ width: Int) -> Bool { column + 1 + width <= FormatPrinter.width }

    /// The width of tokens written on one line, with their spaces.
    func flatWidth(_ range: ClosedRange<Int>) -> Int {
        var total = 0
        for index in range {
            total += widths[index]
            if index > range.lowerBound, space(between: index - 1, and: index) { total += 1 }
        }
        return total
    }

    func space(between previous: Int, and next: Int) -> Bool {
        !tightAfter.contains(previous) && !tightBefore.contains(next)
    }

    /// Starts a new line at `indent` before the token `index`: its leading comments first, each on
    /// its own line; an empty line before it when the source had one and `keepBlank` (clause starts).
    mutating func startLine(before index: Int, indent: Int, keepBlank: Bool) {
        flush()
        writeLeadingComments(of: index, indent: indent)
        if keepBlank && trivia.blankBeforeToken[index] { blankLine() }
        begin(indent)
    }

    /// Writes one token, with the spacing before it and the comment after it.
    mutating func token(_ index: Int) {
        let hasComments = !trivia.leading[index].isEmpty && !commentsDone.contains(trivia.leading[index][0])
        if lineHasToken && (forcedBreak || hasComments) {
            flush()
            writeLeadingComments(of: index, indent: continuation)
            begin(continuation)
        } else if hasComments {
            // A line begun but still empty: the comments go above it, at its indent.
            let indent = column
            line = ""
            writeLeadingComments(of: index, indent: indent)
            begin(indent)
        }
        if lineHasToken, let lastToken, space(between: lastToken, and: index) {
            line += " "
            column += 1
        }
        line += text(index)
        column += widths[index]
        lineHasToken = true
        lastToken = index
        emitted.append(index)
        forcedBreak = false
        if let comment = trivia.trailing[index] {
            line += "  " + commentText(comment)
            forcedBreak = true
        }
    }

    /// Writes tokens one after the other on the current line (comments may still break it).
    mutating func tokens(_ range: ClosedRange<Int>) {
        for index in range { token(index) }
    }

    /// Ends the file: the comments after the last token, and one final line break.
    mutating func finish(endOfFile index: Int) -> String {
        flush()
        writeLeadingComments(of: index, indent: 0)
        while lines.last == "" { lines.removeLast() }
        return lines.map { $0 + "\n" }.joined()
    }

    // MARK: Lines

    private mutating func writeLeadingComments(of index: Int, indent: Int) {
        for comment in trivia.leading[index] where !commentsDone.contains(comment) {
            commentsDone.insert(comment)
            if trivia.blankBeforeComment[comment] { blankLine() }
            lines.append(String(repeating: " ", count: indent) + commentText(comment))
        }
    }

    /// A comment as written, from `#` to the end of its line, without trailing blanks.
    private func commentText(_ index: Int) -> String {
        var text = Substring(file.text(comments[index].range))
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }

    private mutating func blankLine() {
        if let last = lines.last, !last.isEmpty { lines.append("") }
    }

    private mutating func begin(_ indent: Int) {
        line = String(repeating: " ", count: indent)
        column = indent
        lineHasToken = false
        forcedBreak = false
    }

    private mutating func flush() {
        if lineHasToken { lines.append(line) }
        line = ""
        column = 0
        lineHasToken = false
        forcedBreak = false
    }
}
