/// Formulas: written on one line when they fit, else broken at their outermost structure.
extension FormatLayout {
    /// Writes a formula from the current position. `continuation` is the indent of its broken lines.
    mutating func expression(_ formula: ExpressionSyntax, continuation: Int) {
        let (first, last) = span(formula.range)
        guard first <= last else { return }
        printer.continuation = continuation
        if printer.fits(printer.flatWidth(first...last)) {
            plain(first...last)
            return
        }
        switch formula {
        case .ifThenElse(let condition, let thenBranch, let elseBranch, _):
            printer.token(first)
            expression(condition, continuation: continuation + 2)
            for branch in [thenBranch, elseBranch] {
                // The keyword is the token just before the branch.
                let keyword = index(from: branch.range.lowerBound) - 1
                printer.startLine(before: keyword, indent: continuation, keepBlank: false)
                printer.token(keyword)
                expression(branch, continuation: continuation + 2)
            }
        case .binary(let op, let lhs, let rhs, let operatorRange, _):
            // The chain `a + b - c` is the tree `(a + b) - c`: unwind its left spine.
            var operands: [(op: Int, operand: ExpressionSyntax)] = [(index(from: operatorRange.lowerBound), rhs)]
            var left = lhs
            while case .binary(let inner, let innerLeft, let innerRight, let innerRange, _) = left,
                FormatLayout.sameChain(op, inner)
            {
                operands.insert((index(from: innerRange.lowerBound), innerRight), at: 0)
                left = innerLeft
            }
            expression(left, continuation: continuation + 2)
            for (op, operand) in operands {
                let (_, operandLast) = span(operand.range)
                printer.continuation = continuation
                if !printer.fits(printer.flatWidth(op...operandLast)) {
                    printer.startLine(before: op, indent: continuation, keepBlank: false)
                }
                printer.token(op)
                expression(operand, continuation: continuation + 2)
            }
        case .parenthesized(let inner, _):
            printer.token(first)
            expression(inner, continuation: continuation)
            printer.continuation = continuation
            if tokens[last].kind == .rightParen { printer.token(last) }
        case .not(let inner, _):
            printer.token(first)
            expression(inner, continuation: continuation)
        default:
            plain(first...last)
        }
    }

    /// Whether two operators are of one precedence level, so that a chain of them breaks as one.
    static func sameChain(_ a: BinaryOperator, _ b: BinaryOperator) -> Bool {
        func level(_ op: BinaryOperator) -> Int {
            switch op {
            case .or: 0
            case .and: 1
            case .add, .subtract: 2
            case .multiply, .divide: 3
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: 4
            }
        }
        return level(a) == level(b) && level(a) != 4
    }

    /// Marks the tokens written without a space: a unary minus, `min`/`max` before `(`, the `/` of `yes/no`.
    mutating func markTightTokens() {
        var formulas: [ExpressionSyntax] = []
        for declaration in syntax.declarations {
            switch declaration {
            case .input(let input):
                markType(input.type)
                formulas += [input.minimum, input.maximum].compactMap { $0 }
            case .parameter(let parameter):
                if let type = parameter.type { markType(type) }
                formulas += parameter.values.map(\.value)
            case .value(let value): formulas += [value.expression].compactMap { $0 }
            case .criterion(let criterion): formulas += [criterion.expression].compactMap { $0 }
            case .classify(let classify): formulas += classify.outcomes.compactMap(\.condition)
            }
        }
        formulas += [syntax.header?.borderline].compactMap { $0 }
        for formula in formulas { mark(formula) }
    }

    mutating func markType(_ type: TypeSyntax) {
        guard case .yesNo = type.kind else { return }
        let (first, last) = span(type.range)
        for index in first...max(first, last) where tokens[index].kind == .slash {
            printer.tightBefore.insert(index)
            printer.tightAfter.insert(index)
        }
    }

    /// Walks a formula with an explicit stack: nesting is bounded by the parser, but a loop costs nothing.
    mutating func mark(_ formula: ExpressionSyntax) {
        var stack = [formula]
        while let next = stack.popLast() {
            switch next {
            case .negate(let inner, let range):
                printer.tightAfter.insert(index(from: range.lowerBound))
                stack.append(inner)
            case .call(let name, let arguments, _):
                printer.tightAfter.insert(index(from: name.range.lowerBound))
                stack.append(contentsOf: arguments)
            case .not(let inner, _), .parenthesized(let inner, _), .isKnown(let inner, _, _), .isMember(let inner, _, _, _):
                stack.append(inner)
            case .binary(_, let lhs, let rhs, _, _): stack.append(contentsOf: [lhs, rhs])
            case .ifThenElse(let a, let b, let c, _): stack.append(contentsOf: [a, b, c])
            case .quantifier(_, let items, _): stack.append(contentsOf: items)
            case .number, .boolean, .date, .text, .name, .missing: break
            }
        }
    }
}
