/// The unit algebra: which operations a policy officer's formula may combine.
///
///     money ± money = money         percent ± percent = percent      count ± count = count
///     money × percent|number|count = money                          percent × percent = percent
///     percent × number = percent    percent × count = number        number and count mix freely
///     money / money = percent       count / count = percent          percent / percent = number
///     money / number|count|percent = money                           percent / number|count = percent
///
/// Comparisons need the same unit (count and number compare freely); `and`, `or` need yes/no.
/// Anything else, such as money × money or money + percent, is an error.
extension Checker {
    /// The verbs of unit messages in Danish: `cannot compute money plus percent`.
    static let danishVerbs: [String: String] = [
        "plus": "plus", "minus": "minus", "times": "gange", "divided by": "divideret med", "with": "sammen med",
        "compared with": "sammenlignet med",
    ]

    static func arithmeticType(_ op: BinaryOperator, _ left: ValueType, _ right: ValueType) -> ValueType? {
        func isPlain(_ type: ValueType) -> Bool { type == .number || type == .count }
        switch op {
        case .add, .subtract:
            if left == right, left.isNumeric { return left }
            if isPlain(left) && isPlain(right) { return .number }
            return nil
        case .multiply:
            switch (left, right) {
            case (.money, .percent), (.percent, .money): return .money
            case (.money, let other) where isPlain(other): return .money
            case (let other, .money) where isPlain(other): return .money
            case (.percent, .percent): return .percent
            case (.percent, .number), (.number, .percent): return .percent
            case (.percent, .count), (.count, .percent): return .number
            case (.count, .count): return .count
            case (let a, let b) where isPlain(a) && isPlain(b): return .number
            default: return nil
            }
        case .divide:
            switch (left, right) {
            case (.money, .money), (.count, .count): return .percent
            case (.percent, .percent): return .number
            case (.money, .percent): return .money
            case (.money, let other) where isPlain(other): return .money
            case (.percent, let other) where isPlain(other): return .percent
            case (let a, let b) where isPlain(a) && isPlain(b): return .number
            default: return nil
            }
        default:
            return nil
        }
    }

    mutating func lowerBinary(
        _ op: BinaryOperator, _ lhs: ExpressionSyntax, _ rhs: ExpressionSyntax,
        operatorRange: Range<Int>, range: Range<Int>, fileIndex: Int
    ) -> (Int32, ValueType?) {
        let (a, leftType) = lower(lhs, fileIndex: fileIndex)
        let (b, rightType) = lower(rhs, fileIndex: fileIndex)
        var result = node(Checker.nodeOp(op), .bool, fileIndex, range)
        result.a = a
        result.b = b
        if op == .and || op == .or {
            for (side, type) in [(lhs, leftType), (rhs, rightType)] {
                if let type, type != .bool {
                    error(
                        .notBoolean, "'\(op.rawValue)' joins yes/no conditions; this is \(type.displayName)",
                        da: "'\(op.rawValue)' forbinder ja/nej-betingelser; dette er \(Words.typeName(type, .danish))", fileIndex,
                        side.range)
                }
            }
            // Flatten chains of the same operator into one n-ary node, as the trace shows them.
            var children: [Int32] = []
            for child in [a, b] {
                let childNode = nodes[Int(child)]
                if child == a && childNode.op == result.op && isUnparenthesizedChain(lhs, op) {
                    let start = Int(childNode.listStart)
                    children.append(contentsOf: lists[start..<(start + Int(childNode.listCount))])
                } else {
                    children.append(child)
                }
            }
            result.listStart = Int32(lists.count)
            result.listCount = Int32(children.count)
            lists.append(contentsOf: children)
            return (append(result), .bool)
        }
        guard let leftType, let rightType else {
            result.type = op.isComparison ? .bool : (leftType ?? rightType ?? .number)
            return (append(result), op.isComparison ? .bool : nil)
        }
        if op.isComparison {
            if !comparable(op, leftType, rightType, lhs: lhs, rhs: rhs, fileIndex: fileIndex) {
                return (append(result), nil)
            }
            return (append(result), .bool)
        }
        guard let type = Checker.arithmeticType(op, leftType, rightType) else {
            // Point at the literal if one side is a bare number next to money or a percent.
            if case .number(_, .none, _) = rhs, leftType == .money || leftType == .percent, op == .add || op == .subtract {
                unitError(leftType, rightType, at: rhs, fileIndex: fileIndex, verb: "with")
            } else if case .number(_, .none, _) = lhs, rightType == .money || rightType == .percent, op == .add || op == .subtract {
                unitError(rightType, leftType, at: lhs, fileIndex: fileIndex, verb: "with")
            } else {
                let verb: String
                switch op {
                case .add: verb = "plus"
                case .subtract: verb = "minus"
                case .multiply: verb = "times"
                case .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and, .or: verb = "divided by"
                }
                error(
                    leftType.isNumeric && rightType.isNumeric ? .unitMismatch : .typeMismatch,
                    "cannot compute \(leftType.displayName) \(verb) \(rightType.displayName)",
                    da:
                        "kan ikke beregne \(Words.typeName(leftType, .danish)) \(Checker.danishVerbs[verb] ?? verb) \(Words.typeName(rightType, .danish))",
                    fileIndex, operatorRange)
            }
            result.type = .number
            return (append(result), nil)
        }
        result.type = type
        return (append(result), type)
    }

    /// True when `lhs` is itself an unparenthesized `op` chain, so `a and b and c` becomes one node.
    func isUnparenthesizedChain(_ lhs: ExpressionSyntax, _ op: BinaryOperator) -> Bool {
        if case .binary(let inner, _, _, _, _) = lhs { return inner == op }
        return false
    }

    mutating func comparable(
        _ op: BinaryOperator, _ left: ValueType, _ right: ValueType,
        lhs: ExpressionSyntax, rhs: ExpressionSyntax, fileIndex: Int
    ) -> Bool {
        if unify(left, right) != nil {
            switch left {
            case .bool, .text, .choice:
                if op != .equal && op != .notEqual {
                    error(
                        .typeMismatch, "\(left.displayName) values can only be compared with '=' or '!='",
                        da: "værdier af typen \(Words.typeName(left, .danish)) kan kun sammenlignes med '=' eller '!='", fileIndex,
                        lhs.range.lowerBound..<rhs.range.upperBound)
                    return false
                }
                if case .choice = left {
                    error(
                        .typeMismatch, "compare a choice with 'is', as in 'legal_form is aps'",
                        da: "sammenlign et valg med 'is', som i 'legal_form is aps'", fileIndex,
                        lhs.range.lowerBound..<rhs.range.upperBound)
                    return false
                }
            default: break
            }
            return true
        }
        let bareRight: Bool
        if case .number(_, .none, _) = rhs { bareRight = true } else { bareRight = false }
        let bareLeft: Bool
        if case .number(_, .none, _) = lhs { bareLeft = true } else { bareLeft = false }
        if bareRight && (left == .percent || left == .money) {
            unitError(left, right, at: rhs, fileIndex: fileIndex, verb: "compared with")
        } else if bareLeft && (right == .percent || right == .money) {
            unitError(right, left, at: lhs, fileIndex: fileIndex, verb: "compared with")
        } else {
            error(
                left.isNumeric && right.isNumeric ? .unitMismatch : .typeMismatch,
                "cannot compare \(left.displayName) with \(right.displayName)",
                da: "\(Words.typeName(left, .danish)) kan ikke sammenlignes med \(Words.typeName(right, .danish))", fileIndex,
                lhs.range.lowerBound..<rhs.range.upperBound)
        }
        return false
    }

    public static func nodeOp(_ op: BinaryOperator) -> NodeOp {
        switch op {
        case .add: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        case .and: .and
        case .or: .or
        }
    }
}
