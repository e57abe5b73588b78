/// The canonical layout of a rule file: which clause goes on which line, in which order, at which
/// indent. It works on the parser's syntax tree for the structure and on the lexer's tokens for
/// the text, so that what is written is exactly the tokens read (see `RuleFormatter`).
///
/// - A declaration starts at the left margin; its clauses follow on lines indented by 2, in the
///   order of the language reference; an outcome's clauses are indented by 4.
/// - A declaration's text (description, title, label) stays on its first line when it fits in
///   100 columns; a gloss (`en "…"`) that does not fit goes on the next line, 2 further in.
/// - A value's formula stays on its first line when the whole fits, else it goes on its own line.
/// - A formula longer than the line is broken before `then` and `else`, then before the operators
///   of its outermost chain of `or`, `and`, `+ -` or `* /`, then after the commas of a list.
struct FormatLayout {
    var printer: FormatPrinter
    let syntax: RuleFileSyntax
    let tokens: [Token]
    /// Whether the first line of the current declaration had to be broken (a long `one of` list):
    /// its text then goes on a line of its own.
    var headWrapped = false

    init(syntax: RuleFileSyntax, tokens: [Token], comments: [Comment]) {
        self.syntax = syntax
        self.tokens = tokens
        printer = FormatPrinter(file: syntax.file, tokens: tokens, comments: comments)
    }

    /// A part of a declaration that takes its own place in the canonical order.
    struct Clause {
        var first: Int
        var last: Int
        var rank: Int
        var body: Body

        enum Body {
            /// Tokens as they come, filled after commas.
            case plain
            /// The declaration's own text: on the first line when it fits.
            case headText(TextSyntax)
            /// Keyword tokens, then a text with its gloss.
            case text(TextSyntax)
            /// Keyword tokens, then a formula, then any tokens after it (`from DATE`).
            case formula(ExpressionSyntax)
            /// A value's `= formula`: on the first line when the whole fits.
            case valueFormula(ExpressionSyntax)
            /// `max …` after `min …`, on the same line when it fits.
            case joinedFormula(ExpressionSyntax)
        }
    }

    // MARK: Token positions

    /// The index of the first token that starts at or after `offset`.
    func index(from offset: Int) -> Int {
        var low = 0
        var high = tokens.count - 1
        while low < high {
            let middle = (low + high) / 2
            if tokens[middle].range.lowerBound < offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The index of the last token that ends at or before `offset`.
    func index(through offset: Int) -> Int { index(from: offset) - 1 }

    /// The tokens of a syntax node's byte range, with `before` keyword tokens in front of it.
    func span(_ range: Range<Int>, before: Int = 0) -> (Int, Int) {
        (index(from: range.lowerBound) - before, index(through: range.upperBound))
    }

    func clause(_ range: Range<Int>, before: Int = 0, rank: Int, _ body: Clause.Body) -> Clause {
        let (first, last) = span(range, before: before)
        return Clause(first: first, last: last, rank: rank, body: body)
    }

    // MARK: The file

    mutating func format() -> (text: String, emitted: [Int]) {
        markTightTokens()
        if let header = syntax.header { emitHeader(header) }
        for declaration in syntax.declarations { emit(declaration) }
        let text = printer.finish(endOfFile: tokens.count - 1)
        return (text, printer.emitted)
    }

    mutating func emitHeader(_ header: RulesetHeaderSyntax) {
        let first = index(from: header.range.lowerBound)
        var clauses: [Clause] = []
        if let title = header.title { clauses.append(clause(title.range, rank: 0, .headText(title))) }
        if let name = header.buildsOn { clauses.append(clause(name.range, before: 2, rank: 1, .plain)) }
        if let source = header.source { clauses.append(clause(source.range, before: 1, rank: 2, .text(source))) }
        if let version = header.version { clauses.append(clause(version.range, before: 1, rank: 3, .text(version))) }
        if let from = header.inForceFrom {
            let end = header.inForceUntil?.range.upperBound ?? from.range.upperBound
            clauses.append(clause(from.range.lowerBound..<end, before: 3, rank: 4, .plain))
        }
        // What the letters are, before the texts they carry.
        if let kind = header.letterKind { clauses.append(clause(kind.wordRange, before: 2, rank: 5, .plain)) }
        for letter in header.letterTexts {
            clauses.append(clause(letter.text.range, before: 2, rank: 6, .text(letter.text)))
        }
        if let borderline = header.borderline {
            clauses.append(clause(borderline.range, before: 1, rank: 7, .formula(borderline)))
        }
        emitDeclaration(first: first, headLast: index(through: header.name.range.upperBound), clauses, indent: 0)
    }

    mutating func emit(_ declaration: DeclarationSyntax) {
        let first = index(from: declaration.range.lowerBound)
        var clauses: [Clause] = []
        let headLast: Int
        switch declaration {
        case .input(let input):
            headLast = index(through: max(input.type.range.upperBound, input.name.range.upperBound))
            if let text = input.description { clauses.append(clause(text.range, rank: 0, .headText(text))) }
            if let minimum = input.minimum { clauses.append(clause(minimum.range, before: 1, rank: 1, .formula(minimum))) }
            if let maximum = input.maximum {
                let body: Clause.Body = input.minimum == nil ? .formula(maximum) : .joinedFormula(maximum)
                clauses.append(clause(maximum.range, before: 1, rank: 2, body))
            }
        case .parameter(let parameter):
            headLast = index(through: max(parameter.type?.range.upperBound ?? 0, parameter.name.range.upperBound))
            if let text = parameter.description { clauses.append(clause(text.range, rank: 0, .headText(text))) }
            if let basis = parameter.basis { clauses.append(clause(basis.text.range, before: 1, rank: 1, .text(basis.text))) }
            for value in parameter.values {
                var dated = clause(value.range, rank: 2, .formula(value.value))
                dated.first = index(from: value.range.lowerBound)
                clauses.append(dated)
            }
        case .value(let value):
            headLast = index(through: value.name.range.upperBound)
            if let text = value.description { clauses.append(clause(text.range, rank: 0, .headText(text))) }
            if let formula = value.expression { clauses.append(clause(formula.range, before: 1, rank: 1, .valueFormula(formula))) }
        case .criterion(let criterion):
            headLast = index(through: criterion.name.range.upperBound)
            if let text = criterion.text { clauses.append(clause(text.range, rank: 0, .headText(text))) }
            if let cite = criterion.cite { clauses.append(clause(cite.range, before: 1, rank: 1, .text(cite))) }
            if let condition = criterion.expression {
                clauses.append(clause(condition.range, before: 1, rank: 2, .formula(condition)))
            }
        case .classify(let classify):
            headLast = index(through: classify.keywordRange.upperBound)
            emitDeclaration(first: first, headLast: headLast, [], indent: 0)
            for outcome in classify.outcomes { emit(outcome) }
            return
        }
        emitDeclaration(first: first, headLast: headLast, clauses, indent: 0)
    }

    mutating func emit(_ outcome: OutcomeSyntax) {
        let first = index(from: outcome.range.lowerBound)
        let headLast = index(through: outcome.name.range.upperBound)
        var clauses: [Clause] = []
        if let label = outcome.label { clauses.append(clause(label.range, rank: 0, .headText(label))) }
        if let condition = outcome.condition {
            clauses.append(clause(condition.range, before: 1, rank: 1, .formula(condition)))
        }
        if let reason = outcome.reason { clauses.append(clause(reason.range, before: 1, rank: 2, .text(reason))) }
        // `tone WORD` keeps no range in the tree: it is what remains of the outcome's tokens.
        let covered = Set(clauses.flatMap { Array($0.first...$0.last) } + Array(first...headLast))
        let last = index(through: outcome.range.upperBound)
        let pending = headLast < last ? ((headLast + 1)...last).filter { !covered.contains($0) } : []
        if let start = pending.first, let end = pending.last {
            clauses.append(Clause(first: start, last: end, rank: 3, body: .plain))
        }
        emitDeclaration(first: first, headLast: headLast, clauses, indent: 2)
    }

    /// Writes a declaration (or an outcome): its first line, then its clauses in canonical order.
    mutating func emitDeclaration(first: Int, headLast: Int, _ clauses: [Clause], indent: Int) {
        printer.startLine(before: first, indent: indent, keepBlank: true)
        printer.continuation = indent + 4
        let linesBefore = printer.lines.count
        plain(first...headLast)
        headWrapped = printer.lines.count != linesBefore
        let ordered = clauses.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }.map(\.element)
        var previousRank = -1
        for clause in ordered {
            emit(clause, indent: indent, previousRank: previousRank)
            previousRank = clause.rank
        }
    }

    mutating func emit(_ clause: Clause, indent: Int, previousRank: Int) {
        let clauseIndent = indent + 2
        switch clause.body {
        case .headText(let text):
            printer.continuation = clauseIndent
            let string = index(from: text.range.lowerBound)
            if headWrapped || !printer.fits(printer.flatWidth(string...string)) {
                printer.startLine(before: clause.first, indent: clauseIndent, keepBlank: true)
                emitText(text, keywords: clause.first, lineIndent: clauseIndent)
            } else {
                emitText(text, keywords: clause.first, lineIndent: indent)
            }
        case .text(let text):
            printer.startLine(before: clause.first, indent: clauseIndent, keepBlank: true)
            emitText(text, keywords: clause.first, lineIndent: clauseIndent)
        case .plain:
            printer.startLine(before: clause.first, indent: clauseIndent, keepBlank: true)
            printer.continuation = clauseIndent + 2
            plain(clause.first...clause.last)
        case .formula(let formula):
            printer.startLine(before: clause.first, indent: clauseIndent, keepBlank: true)
            emitFormula(formula, clause: clause, continuation: clauseIndent + 2)
        case .joinedFormula(let formula):
            if previousRank != clause.rank - 1 || !printer.fits(printer.flatWidth(clause.first...clause.last)) {
                printer.startLine(before: clause.first, indent: clauseIndent, keepBlank: true)
            }
            emitFormula(formula, clause: clause, continuation: clauseIndent + 2)
        case .valueFormula(let formula):
            printer.continuation = clauseIndent
            if printer.fits(printer.flatWidth(clause.first...clause.last)) {
                emitFormula(formula, clause: clause, continuation: clauseIndent + 2)
            } else {
                let (start, _) = span(formula.range)
                plain(clause.first...(start - 1))
                printer.startLine(before: start, indent: clauseIndent, keepBlank: false)
                var rest = clause
                rest.first = start
                emitFormula(formula, clause: rest, continuation: clauseIndent)
            }
        }
    }

    /// Keyword tokens from `keywords`, the text, and its gloss, on the next line when it does not fit.
    mutating func emitText(_ text: TextSyntax, keywords: Int, lineIndent: Int) {
        let string = index(from: text.range.lowerBound)
        printer.continuation = lineIndent + 2
        plain(keywords...string)
        guard text.english != nil else { return }
        let gloss = index(through: text.range.upperBound)
        if !printer.fits(printer.flatWidth((string + 1)...gloss)) {
            printer.startLine(before: string + 1, indent: lineIndent + 2, keepBlank: false)
        }
        plain((string + 1)...gloss)
    }

    /// The keyword tokens of a clause, its formula, and what follows the formula in the clause.
    mutating func emitFormula(_ formula: ExpressionSyntax, clause: Clause, continuation: Int) {
        let (start, end) = span(formula.range)
        printer.continuation = continuation
        if clause.first < start { plain(clause.first...(start - 1)) }
        expression(formula, continuation: continuation)
        if end < clause.last {
            printer.continuation = continuation
            plain((end + 1)...clause.last)
        }
    }

    /// Tokens one after the other; after a comma, a line break when the next item does not fit.
    mutating func plain(_ range: ClosedRange<Int>) {
        for index in range {
            if index > range.lowerBound, tokens[index - 1].kind == .comma {
                let trailingComma = index + 1 <= range.upperBound && tokens[index + 1].kind == .comma ? 1 : 0
                if !printer.fits(printer.flatWidth(index...index) + trailingComma) {
                    printer.startLine(before: index, indent: printer.continuation, keepBlank: false)
                }
            }
            printer.token(index)
        }
    }
}
