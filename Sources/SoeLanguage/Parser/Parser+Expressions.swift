/// Formulas, by recursive descent with one function per precedence level (see the grammar in
/// `Parser.swift`). Nesting is counted in `depth` and capped at `Parser.maxDepth`.
extension Parser {
    /// Parses a formula; on a missing formula reports and returns `.missing`.
    mutating func parseExpression() -> ExpressionSyntax {
        guard enter() else { return tooDeep() }
        defer { depth -= 1 }
        if isWord("if") && !atBoundary { return parseIf() }
        return parseOr()
    }

    /// Enters one level of nesting; false when the limit is reached.
    mutating func enter() -> Bool {
        depth += 1
        return depth <= Parser.maxDepth
    }

    /// Reports nesting past the limit once, skips the rest of the declaration and returns a placeholder.
    mutating func tooDeep() -> ExpressionSyntax {
        depth -= 1
        let start = current.range.lowerBound
        error(
            .nestingTooDeep,
            "formula nested more than \(Parser.maxDepth) levels deep (a pair of parentheses counts 3, so at most \(Parser.maxParentheses) pairs nest; 'if', 'not', a minus sign and each operator of a chain such as a + b + c … count 1 each); split it into values",
            da:
                "formlen er indlejret i mere end \(Parser.maxDepth) niveauer (et par parenteser tæller 3, så højst \(Parser.maxParentheses) par kan indlejres; 'if', 'not', et minustegn og hver operator i en kæde som a + b + c … tæller 1 hver); del den op i værdier",
            at: current.range)
        skipToBoundary()
        // The enclosing levels now meet the boundary instead of their ')': that is this error again.
        lastErrorOffset = missingSpot.lowerBound
        return .missing(range: start..<start)
    }

    /// Enters one more level for an operator of a left-associative chain: `a + b + c` is the tree
    /// `(a + b) + c`, so each operator nests the formula one level deeper for every later stage
    /// (checker, evaluator, trace), exactly as a pair of parentheses does. False past the limit,
    /// after reporting it; the caller then stops the chain. The caller restores `depth` when done.
    mutating func enterChain() -> Bool {
        guard enter() else {
            _ = tooDeep()
            return false
        }
        return true
    }

    mutating func parseIf() -> ExpressionSyntax {
        let start = advance().range.lowerBound
        let condition = parseExpression()
        if isWord("then") && !atBoundary { advance() } else { expect(.word, "then") }
        let thenBranch = parseExpression()
        if isWord("else") && !atBoundary { advance() } else { expect(.word, "else") }
        let elseBranch = parseExpression()
        return .ifThenElse(condition, thenBranch, elseBranch, range: rangeFrom(start))
    }

    mutating func parseOr() -> ExpressionSyntax {
        var lhs = parseAnd()
        let outer = depth
        defer { depth = outer }
        var progress = ProgressGuard()
        while isWord("or") && !atBoundary && progress.madeProgress(position) && enterChain() {
            let op = advance()
            let rhs = parseAnd()
            lhs = .binary(.or, lhs, rhs, operatorRange: op.range, range: lhs.range.lowerBound..<rhs.range.upperBound)
        }
        return lhs
    }

    mutating func parseAnd() -> ExpressionSyntax {
        var lhs = parseNot()
        let outer = depth
        defer { depth = outer }
        var progress = ProgressGuard()
        while isWord("and") && !atBoundary && progress.madeProgress(position) && enterChain() {
            let op = advance()
            let rhs = parseNot()
            lhs = .binary(.and, lhs, rhs, operatorRange: op.range, range: lhs.range.lowerBound..<rhs.range.upperBound)
        }
        return lhs
    }

    mutating func parseNot() -> ExpressionSyntax {
        guard enter() else { return tooDeep() }
        defer { depth -= 1 }
        if isWord("not") && !atBoundary {
            let start = advance().range.lowerBound
            let operand = parseNot()
            return .not(operand, range: start..<operand.range.upperBound)
        }
        return parseComparison()
    }

    func comparisonOperator(_ token: Token) -> BinaryOperator? {
        switch token.kind {
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        default: nil
        }
    }

    mutating func parseComparison() -> ExpressionSyntax {
        let lhs = parseAdditive()
        if atBoundary { return lhs }
        if inParameterValue && current.kind == .equal && current.startsLine { return lhs }
        if let op = comparisonOperator(current) {
            let opToken = advance()
            let rhs = parseAdditive()
            let result = ExpressionSyntax.binary(
                op, lhs, rhs, operatorRange: opToken.range,
                range: lhs.range.lowerBound..<rhs.range.upperBound)
            if !atBoundary, comparisonOperator(current) != nil {
                error(
                    .chainedComparison,
                    "comparisons cannot be chained; write 'a < b and b < c'",
                    da: "sammenligninger kan ikke kædes sammen; skriv 'a < b and b < c'", at: current.range)
                advance()
                _ = parseAdditive()
            }
            return result
        }
        if isWord("is") {
            let start = lhs.range.lowerBound
            advance()
            var negated = false
            if isWord("not") && !atBoundary {
                advance()
                negated = true
            }
            if isWord("known") && !atBoundary {
                advance()
                return .isKnown(lhs, negated: negated, range: rangeFrom(start))
            }
            if isWord("missing") && !atBoundary {
                advance()
                return .isKnown(lhs, negated: !negated, range: rangeFrom(start))
            }
            var members: [NameSyntax] = []
            if isWord("one") && isWord("of", peek()) && !atBoundary {
                advance()
                advance()
                members.append(expectName("a choice", allowReserved: true))
                while current.kind == .comma && !atBoundary {
                    advance()
                    members.append(expectName("a choice after ','", allowReserved: true))
                }
            } else {
                members.append(expectName("a choice after 'is'", allowReserved: true))
            }
            return .isMember(lhs, members: members, negated: negated, range: rangeFrom(start))
        }
        return lhs
    }

    mutating func parseAdditive() -> ExpressionSyntax {
        var lhs = parseMultiplicative()
        let outer = depth
        defer { depth = outer }
        var progress = ProgressGuard()
        while !atBoundary, current.kind == .plus || current.kind == .minus, progress.madeProgress(position), enterChain() {
            let opToken = advance()
            let rhs = parseMultiplicative()
            lhs = .binary(
                opToken.kind == .plus ? .add : .subtract, lhs, rhs, operatorRange: opToken.range,
                range: lhs.range.lowerBound..<rhs.range.upperBound)
        }
        return lhs
    }

    mutating func parseMultiplicative() -> ExpressionSyntax {
        var lhs = parseUnary()
        let outer = depth
        defer { depth = outer }
        var progress = ProgressGuard()
        while !atBoundary, current.kind == .star || current.kind == .slash, progress.madeProgress(position), enterChain() {
            let opToken = advance()
            let rhs = parseUnary()
            lhs = .binary(
                opToken.kind == .star ? .multiply : .divide, lhs, rhs, operatorRange: opToken.range,
                range: lhs.range.lowerBound..<rhs.range.upperBound)
        }
        return lhs
    }

    mutating func parseUnary() -> ExpressionSyntax {
        guard enter() else { return tooDeep() }
        defer { depth -= 1 }
        if current.kind == .minus && !atBoundary {
            let start = advance().range.lowerBound
            let operand = parseUnary()
            return .negate(operand, range: start..<operand.range.upperBound)
        }
        return parsePrimary()
    }

    mutating func parsePrimary() -> ExpressionSyntax {
        let token = current
        if atBoundary {
            let spot = missingSpot
            error(
                .expectedExpression, "expected a formula, found \(foundInstead)",
                da: "her skal stå en formel, men der står \(foundInsteadDanish)", at: spot)
            return .missing(range: spot)
        }
        switch token.kind {
        case .number:
            advance()
            // A number the lexer already reported carries a readable stand-in, so parsing goes on.
            let digits = (token.text.isEmpty ? text(of: token) : token.text).filter { $0 != "_" }
            if current.kind == .percent && !atBoundary {
                let unit = advance()
                return .number(text: digits, unit: .percent, range: token.range.lowerBound..<unit.range.upperBound)
            }
            if isWord("kr") && !atBoundary {
                let unit = advance()
                return .number(text: digits, unit: .kroner, range: token.range.lowerBound..<unit.range.upperBound)
            }
            return .number(text: digits, unit: .none, range: token.range)
        case .date:
            advance()
            guard let day = Day(iso: text(of: token)) else {
                error(
                    .malformedDate, "'\(text(of: token))' is not a calendar date", da: "'\(text(of: token))' er ikke en dato i kalenderen",
                    at: token.range)
                return .missing(range: token.range)
            }
            return .date(DateSyntax(day: day, range: token.range))
        case .string:
            advance()
            return .text(token.text, range: token.range)
        case .leftParen:
            advance()
            let inner = parseExpression()
            if current.kind == .rightParen && !atBoundary {
                advance()
            } else {
                error(
                    .expectedToken, "expected ')' to close the '(' opened here, found \(foundInstead)",
                    da: "her mangler ')' til at lukke den '(' der åbnes her; der står \(foundInsteadDanish)",
                    at: missingSpot,
                    notes: [DiagnosticNote(message: "'(' opened here", danish: "'(' åbnes her", span: span(token.range))])
            }
            return .parenthesized(inner, range: rangeFrom(token.range.lowerBound))
        case .word:
            return parseWordPrimary(token)
        default:
            error(
                .expectedExpression, "expected a formula, found \(describe(token))",
                da: "her skal stå en formel, men der står \(describeDanish(token))", at: token.range)
            return .missing(range: token.range.lowerBound..<token.range.lowerBound)
        }
    }

    mutating func parseWordPrimary(_ token: Token) -> ExpressionSyntax {
        let word = text(of: token)
        // Every word named below has two to five letters; a longer word, as most names are, is a
        // name, without comparing it with each of them (0.04 M instructions of a one-firm run).
        if fastPaths && word.utf8.count > 5 {
            advance()
            return .name(NameSyntax(text: word, range: token.range))
        }
        switch word {
        case "yes", "true":
            advance()
            return .boolean(true, range: token.range)
        case "no", "false":
            advance()
            return .boolean(false, range: token.range)
        case "if":
            return parseIf()
        case "not":
            return parseNot()
        case "min" where peek().kind == .leftParen, "max" where peek().kind == .leftParen:
            advance()
            advance()
            var arguments = [parseExpression()]
            var progress = ProgressGuard()
            while current.kind == .comma && !atBoundary && progress.madeProgress(position) {
                advance()
                arguments.append(parseExpression())
            }
            if current.kind == .rightParen && !atBoundary { advance() } else { expect(.rightParen, ")") }
            return .call(NameSyntax(text: word, range: token.range), arguments, range: rangeFrom(token.range.lowerBound))
        case "all" where isWord("of", peek()), "any" where isWord("of", peek()), "none" where isWord("of", peek()):
            advance()
            advance()
            let quantifier = Quantifier(rawValue: word) ?? .all
            var items = [parseNot()]
            var progress = ProgressGuard()
            while current.kind == .comma && !atBoundary && progress.madeProgress(position) {
                advance()
                items.append(parseNot())
            }
            return .quantifier(quantifier, items, range: rangeFrom(token.range.lowerBound))
        case "and", "or", "then", "else":
            error(.expectedExpression, "expected a formula before '\(word)'", da: "der mangler en formel før '\(word)'", at: token.range)
            return .missing(range: token.range.lowerBound..<token.range.lowerBound)
        default:
            advance()
            return .name(NameSyntax(text: word, range: token.range))
        }
    }
}
