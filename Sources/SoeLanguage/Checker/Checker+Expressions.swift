/// Lowering formulas: resolve names, check types and units, append nodes.
///
/// `lower` returns the node and its type, or a nil type when an error was already reported
/// below, so that one mistake gives one message rather than a cascade.
extension Checker {
    mutating func append(_ node: ExpressionNode) -> Int32 {
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    func node(_ op: NodeOp, _ type: ValueType, _ fileIndex: Int, _ range: Range<Int>) -> ExpressionNode {
        ExpressionNode(op: op, type: type, fileIndex: Int32(fileIndex), range: range)
    }

    /// A literal's value and type, or nil after reporting why it is not one.
    mutating func literal(_ syntax: ExpressionSyntax, fileIndex: Int) -> (Scalar, ValueType)? {
        switch syntax {
        case .number(let text, let unit, let range):
            let digits = Substring(text)
            switch Exact.parseWithPlaces(digits) {
            case .failure(let failure):
                error(
                    .malformedNumber, "'\(text)' cannot be read as an exact number: \(failure.message)",
                    da: "'\(text)' kan ikke læses som et eksakt tal: \(failure.message)", fileIndex, range)
                return nil
            case .success(let (value, places)):
                switch unit {
                case .none: return (.number(value), value.isInteger ? .count : .number)
                case .kroner:
                    // Firm data refuses an amount finer than øre; a rule's amount is held to the same.
                    guard places <= 2 else {
                        let down = value.formatted(places: 2, decimalSeparator: ".", groupingSeparator: nil)
                        error(
                            .moneyPrecision,
                            "'\(text) kr' has \(places) decimals, but money is kroner and øre (two decimals); "
                                + "write the amount in whole øre, e.g. \(down) kr",
                            da: "'\(text) kr' har \(places) decimaler, men beløb er kroner og øre (to decimaler); "
                                + "skriv beløbet i hele øre, fx \(down) kr",
                            fileIndex, range)
                        return nil
                    }
                    return (.number(value), .money)
                case .percent:
                    guard let fraction = value.dividing(Exact(integer: 100)) else {
                        error(
                            .malformedNumber, "'\(text) %' is outside the exact range", da: "'\(text) %' er uden for det eksakte område",
                            fileIndex, range)
                        return nil
                    }
                    return (.number(fraction), .percent)
                }
            }
        case .negate(let inner, let range):
            guard case .some(let (value, type)) = literal(inner, fileIndex: fileIndex) else { return nil }
            guard case .number(let number) = value, let negated = number.negated() else {
                error(.parameterValueNotLiteral, "only numbers can be negative", da: "kun tal kan være negative", fileIndex, range)
                return nil
            }
            return (.number(negated), type == .count ? .number : type)
        case .boolean(let value, _): return (.bool(value), .bool)
        case .date(let date): return (.date(date.day), .date)
        case .text(let value, _): return (.text(value), .text)
        case .parenthesized(let inner, _): return literal(inner, fileIndex: fileIndex)
        case .missing: return nil
        default:
            error(
                .parameterValueNotLiteral, "a parameter value or bound is a plain number, amount, percent, date or yes/no, not a formula",
                da: "en parameterværdi eller grænse er et tal, et beløb, en procent, en dato eller ja/nej, ikke en formel",
                fileIndex, syntax.range)
            return nil
        }
    }

    /// Checks that a literal has the unit its place expects, with a fix-it for the usual slips.
    mutating func checkLiteralUnit(_ actual: ValueType, expected: ValueType, syntax: ExpressionSyntax, fileIndex: Int) -> Bool {
        if actual == expected || (expected == .number && actual == .count) { return true }
        let range = syntax.range
        let written = files[fileIndex].file.text(range)
        if expected == .percent && (actual == .number || actual == .count) {
            percentAsBareNumber(written, place: "where a percent is expected", da: "hvor der skal stå en procent", fileIndex, range)
        } else if expected == .money && (actual == .number || actual == .count) {
            error(
                .moneyAsBareNumber, "'\(written)' is a bare number where an amount is expected; write '\(written) kr'",
                da: "'\(written)' er et tal uden enhed, hvor der skal stå et beløb; skriv '\(written) kr'",
                fileIndex, range,
                fixIts: [
                    FixIt(message: "write '\(written) kr'", danish: "skriv '\(written) kr'", range: range, replacement: "\(written) kr")
                ])
        } else if expected == .count && actual == .number {
            error(
                .typeMismatch, "'\(written)' is not a whole number, but a count is expected",
                da: "'\(written)' er ikke et helt tal, men her skal stå et antal", fileIndex, range)
        } else {
            error(
                .typeMismatch, "expected \(expected.displayName), found \(actual.displayName) '\(written)'",
                da: "her skal stå \(Words.typeName(expected, .danish)), men der står \(Words.typeName(actual, .danish)) '\(written)'",
                fileIndex, range)
        }
        return false
    }

    /// Lowers one formula node. Only a dispatcher: each form is lowered in its own function, so that
    /// this frame, which recurses once per level of nesting, stays small even in a debug build.
    mutating func lower(_ syntax: ExpressionSyntax, fileIndex: Int) -> (Int32, ValueType?) {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Checker.maxNesting else { return nestedTooDeep(syntax, fileIndex: fileIndex) }
        switch syntax {
        case .number, .boolean, .date, .text:
            return lowerLiteral(syntax, fileIndex: fileIndex)
        case .missing(let range):
            return (append(node(.constant, .number, fileIndex, range)), nil)
        case .parenthesized(let inner, _):
            return lower(inner, fileIndex: fileIndex)
        case .name(let name):
            return lowerName(name, fileIndex: fileIndex)
        case .negate(let inner, let range):
            return lowerNegate(inner, range: range, fileIndex: fileIndex)
        case .not(let inner, let range):
            return lowerNot(inner, range: range, fileIndex: fileIndex)
        case .binary(let op, let lhs, let rhs, let operatorRange, let range):
            return lowerBinary(op, lhs, rhs, operatorRange: operatorRange, range: range, fileIndex: fileIndex)
        case .isMember(let subject, let members, let negated, let range):
            return lowerMember(subject, members: members, negated: negated, range: range, fileIndex: fileIndex)
        case .isKnown(let subject, let negated, let range):
            return lowerIsKnown(subject, negated: negated, range: range, fileIndex: fileIndex)
        case .ifThenElse(let condition, let thenBranch, let elseBranch, let range):
            return lowerIf(condition, thenBranch, elseBranch, range: range, fileIndex: fileIndex)
        case .call(let function, let arguments, let range):
            return lowerMinMax(function, arguments, range: range, fileIndex: fileIndex)
        case .quantifier(let quantifier, let items, let range):
            return lowerQuantifier(quantifier, items, range: range, fileIndex: fileIndex)
        }
    }

    mutating func lowerLiteral(_ syntax: ExpressionSyntax, fileIndex: Int) -> (Int32, ValueType?) {
        guard case .some(let (value, type)) = literal(syntax, fileIndex: fileIndex) else {
            return (append(node(.constant, .number, fileIndex, syntax.range)), nil)
        }
        constants.append(value)
        var leaf = node(.constant, type, fileIndex, syntax.range)
        leaf.a = Int32(constants.count - 1)
        return (append(leaf), type)
    }

    mutating func lowerNegate(_ inner: ExpressionSyntax, range: Range<Int>, fileIndex: Int) -> (Int32, ValueType?) {
        let (child, type) = lower(inner, fileIndex: fileIndex)
        var result = node(.negate, type == .count ? .number : (type ?? .number), fileIndex, range)
        result.a = child
        if let type, !type.isNumeric {
            error(
                .typeMismatch, "only numbers, amounts and percents can be negative, not \(type.displayName)",
                da: "kun tal, beløb og procenter kan være negative, ikke \(Words.typeName(type, .danish))", fileIndex, range)
            return (append(result), nil)
        }
        return (append(result), type.map { $0 == .count ? .number : $0 })
    }

    mutating func lowerNot(_ inner: ExpressionSyntax, range: Range<Int>, fileIndex: Int) -> (Int32, ValueType?) {
        let (child, type) = lower(inner, fileIndex: fileIndex)
        var result = node(.not, .bool, fileIndex, range)
        result.a = child
        if let type, type != .bool {
            error(
                .notBoolean, "'not' needs a yes/no condition, found \(type.displayName)",
                da: "'not' kræver en ja/nej-betingelse, men her står \(Words.typeName(type, .danish))", fileIndex, inner.range)
        }
        return (append(result), .bool)
    }

    mutating func lowerIsKnown(_ subject: ExpressionSyntax, negated: Bool, range: Range<Int>, fileIndex: Int) -> (Int32, ValueType?) {
        let (child, _) = lower(subject, fileIndex: fileIndex)
        var result = node(.isKnown, .bool, fileIndex, range)
        result.a = child
        result.flag = negated
        return (append(result), .bool)
    }

    mutating func lowerIf(
        _ condition: ExpressionSyntax, _ thenBranch: ExpressionSyntax, _ elseBranch: ExpressionSyntax,
        range: Range<Int>, fileIndex: Int
    ) -> (Int32, ValueType?) {
        let (c, conditionType) = lower(condition, fileIndex: fileIndex)
        let (a, thenType) = lower(thenBranch, fileIndex: fileIndex)
        let (b, elseType) = lower(elseBranch, fileIndex: fileIndex)
        if let conditionType, conditionType != .bool {
            error(
                .notBoolean, "the condition after 'if' is \(conditionType.displayName), not yes/no",
                da: "betingelsen efter 'if' er \(Words.typeName(conditionType, .danish)), ikke ja/nej", fileIndex, condition.range)
        }
        var type: ValueType?
        if let thenType, let elseType {
            type = unify(thenType, elseType)
            if type == nil {
                error(
                    .typeMismatch, "'then' gives \(thenType.displayName) but 'else' gives \(elseType.displayName)",
                    da: "'then' giver \(Words.typeName(thenType, .danish)), men 'else' giver \(Words.typeName(elseType, .danish))",
                    fileIndex, range)
            }
        }
        var result = node(.ifThenElse, type ?? .number, fileIndex, range)
        result.a = c
        result.b = a
        result.c = b
        return (append(result), type)
    }

    mutating func lowerQuantifier(
        _ quantifier: Quantifier, _ items: [ExpressionSyntax], range: Range<Int>,
        fileIndex: Int
    ) -> (Int32, ValueType?) {
        var children: [Int32] = []
        var ok = true
        for item in items {
            let (child, type) = lower(item, fileIndex: fileIndex)
            if let type, type != .bool {
                error(
                    .notBoolean, "'\(quantifier.rawValue) of' lists yes/no conditions; this is \(type.displayName)",
                    da: "'\(quantifier.rawValue) of' opregner ja/nej-betingelser; dette er \(Words.typeName(type, .danish))",
                    fileIndex, item.range)
                ok = false
            }
            children.append(child)
        }
        var result = node(quantifier == .all ? .and : .or, .bool, fileIndex, range)
        result.listStart = Int32(lists.count)
        result.listCount = Int32(children.count)
        lists.append(contentsOf: children)
        let index = append(result)
        if quantifier == .none {
            var negation = node(.not, .bool, fileIndex, range)
            negation.a = index
            return (append(negation), ok ? .bool : nil)
        }
        return (index, ok ? .bool : nil)
    }

    /// Reports, once per rule set, a formula that nests too deeply through the definitions it uses,
    /// with the chain that leads there; the formula is then left untyped.
    mutating func nestedTooDeep(_ syntax: ExpressionSyntax, fileIndex: Int) -> (Int32, ValueType?) {
        if !reportedNesting {
            reportedNesting = true
            let names = stack.map(\.name)
            let chain = names.count <= 6 ? names : names.prefix(3) + ["…"] + names.suffix(2)
            var message = "formula nested more than \(Checker.maxNesting) levels deep"
            var danish = "formlen er indlejret i mere end \(Checker.maxNesting) niveauer"
            var notes: [DiagnosticNote] = []
            if let first = stack.first {
                message +=
                    ", counting the \(names.count) values and criteria it uses (\(chain.joined(separator: " → "))); make the chain shorter"
                danish +=
                    ", når de \(names.count) værdier og kriterier, den bruger, regnes med (\(chain.joined(separator: " → "))); gør kæden kortere"
                notes.append(
                    DiagnosticNote(
                        message: "the chain starts at '\(first.name)'", danish: "kæden begynder ved '\(first.name)'", span: first.span))
            }
            error(.nestingTooDeep, message, da: danish, fileIndex, syntax.range, notes: notes)
        }
        return (append(node(.constant, .number, fileIndex, syntax.range)), nil)
    }

    /// Count and number are interchangeable where a result is concerned; the rest must match.
    func unify(_ a: ValueType, _ b: ValueType) -> ValueType? {
        if a == b { return a }
        if (a == .count && b == .number) || (a == .number && b == .count) { return .number }
        return nil
    }

    mutating func lowerName(_ name: NameSyntax, fileIndex: Int) -> (Int32, ValueType?) {
        guard let symbol = symbols[name.text] else {
            // The search is quadratic over a file of unknown names; past the error limit nobody reads it.
            let suggestion = diagnostics.isFull ? nil : closestWord(to: name.text, in: allNames)
            var message = "'\(name.text)' is not defined"
            var danish = "'\(name.text)' er ikke defineret"
            var fixIts: [FixIt] = []
            if let english = Parser.danishKeywords[name.text.lowercased()], ["yes", "no", "not"].contains(english) {
                // `= ja`, `ikke x`: the language's own word for it.
                message += "; rule files write their keywords in English: write '\(english)'"
                danish += "; regelfiler skriver nøgleordene på engelsk: skriv '\(english)'"
                fixIts.append(FixIt(message: "write '\(english)'", danish: "skriv '\(english)'", range: name.range, replacement: english))
            } else if let suggestion {
                message += "; did you mean '\(suggestion)'?"
                danish += "; mente du '\(suggestion)'?"
                fixIts.append(
                    FixIt(message: "use '\(suggestion)'", danish: "brug '\(suggestion)'", range: name.range, replacement: suggestion))
            }
            error(.unknownName, message, da: danish, fileIndex, name.range, fixIts: fixIts)
            return (append(node(.constant, .number, fileIndex, name.range)), nil)
        }
        var leaf = node(.input, .number, fileIndex, name.range)
        leaf.a = Int32(symbol.index)
        var type: ValueType?
        switch symbol.kind {
        case .input:
            type = inputs[symbol.index].type
        case .parameter:
            leaf.op = .parameter
            type = parameters[symbol.index].type
        case .value:
            leaf.op = .value
            type = checkValue(symbol.index)
        case .criterion:
            leaf.op = .criterion
            type = checkCriterion(symbol.index) ? .bool : nil
        }
        leaf.type = type ?? .number
        return (append(leaf), type)
    }

    mutating func lowerMember(
        _ subject: ExpressionSyntax, members: [NameSyntax], negated: Bool,
        range: Range<Int>, fileIndex: Int
    ) -> (Int32, ValueType?) {
        let (child, type) = lower(subject, fileIndex: fileIndex)
        var result = node(.member, .bool, fileIndex, range)
        result.a = child
        result.flag = negated
        guard let type else { return (append(result), .bool) }
        guard case .choice(let set) = type else {
            let hint = type == .bool ? "; for yes/no write '= yes' or '= no'" : ""
            let vink = type == .bool ? "; for ja/nej skriv '= yes' eller '= no'" : ""
            error(
                .typeMismatch, "'is' compares a choice (one of …), but this is \(type.displayName)\(hint)",
                da: "'is' sammenligner et valg (one of …), men dette er \(Words.typeName(type, .danish))\(vink)",
                fileIndex, subject.range)
            return (append(result), nil)
        }
        for member in members where !member.text.isEmpty {
            if let position = choiceSets[set].firstIndex(of: member.text) {
                result.mask |= UInt64(1) << UInt64(position)
            } else {
                let suggestion = closestWord(to: member.text, in: choiceSets[set])
                let allowed = choiceSets[set].joined(separator: ", ")
                error(
                    .unknownMember,
                    "'\(member.text)' is not one of the choices (\(allowed))\(suggestion.map { "; did you mean '\($0)'?" } ?? "")",
                    da: "'\(member.text)' er ikke et af valgene (\(allowed))\(suggestion.map { "; mente du '\($0)'?" } ?? "")",
                    fileIndex, member.range,
                    fixIts: suggestion.map { [FixIt(message: "use '\($0)'", danish: "brug '\($0)'", range: member.range, replacement: $0)] }
                        ?? [])
            }
        }
        return (append(result), .bool)
    }

    mutating func lowerMinMax(
        _ function: NameSyntax, _ arguments: [ExpressionSyntax], range: Range<Int>,
        fileIndex: Int
    ) -> (Int32, ValueType?) {
        var children: [Int32] = []
        var type: ValueType?
        var ok = true
        for argument in arguments {
            let (child, argumentType) = lower(argument, fileIndex: fileIndex)
            children.append(child)
            guard let argumentType else {
                ok = false
                continue
            }
            if !argumentType.isNumeric {
                error(
                    .typeMismatch, "\(function.text) compares numbers, amounts or percents, not \(argumentType.displayName)",
                    da: "\(function.text) sammenligner tal, beløb eller procenter, ikke \(Words.typeName(argumentType, .danish))",
                    fileIndex, argument.range)
                ok = false
            } else if let known = type {
                if let unified = unify(known, argumentType) {
                    type = unified
                } else {
                    unitError(known, argumentType, at: argument, fileIndex: fileIndex, verb: "in \(function.text)(…) with")
                    ok = false
                }
            } else {
                type = argumentType
            }
        }
        var result = node(function.text == "min" ? .minimum : .maximum, type ?? .number, fileIndex, range)
        result.listStart = Int32(lists.count)
        result.listCount = Int32(children.count)
        lists.append(contentsOf: children)
        return (append(result), ok ? type : nil)
    }

    /// E205, a bare number where a percent belongs. Above 1 it can only be percentage points
    /// (`50`: write `50 %`, with that fix-it). From 0 to 1 it may just as well be a fraction, as
    /// spreadsheets and statistics give shares (`0.3` for 30 %): both readings are given and no
    /// fix-it, so that neither is applied as a guess. 0 is 0 % either way.
    mutating func percentAsBareNumber(_ written: String, place: String, da: String, _ fileIndex: Int, _ range: Range<Int>) {
        let value = try? Exact.parse(Substring(written)).get()
        if let value, !value.isZero, !value.isNegative, !(Exact.one < value), let points = value.multiplying(Exact(integer: 100)) {
            let fraction = points.exactText() + " %"
            error(
                .percentAsBareNumber,
                "'\(written)' is a bare number \(place): write '\(fraction)' if the fraction \(written) is meant, or '\(written) %'",
                da: "'\(written)' er et tal uden enhed, \(da): skriv '\(fraction)', hvis brøken \(written) er ment, eller '\(written) %'",
                fileIndex, range)
            return
        }
        error(
            .percentAsBareNumber, "'\(written)' is a bare number \(place); write '\(written) %'",
            da: "'\(written)' er et tal uden enhed, \(da); skriv '\(written) %'", fileIndex, range,
            fixIts: [FixIt(message: "write '\(written) %'", danish: "skriv '\(written) %'", range: range, replacement: "\(written) %")])
    }

    /// Reports two units that do not fit, with a fix-it when one side is a bare literal.
    mutating func unitError(_ left: ValueType, _ right: ValueType, at syntax: ExpressionSyntax, fileIndex: Int, verb: String) {
        let range = syntax.range
        let written = files[fileIndex].file.text(range)
        let isBareLiteral: Bool
        if case .number(_, .none, _) = syntax { isBareLiteral = true } else { isBareLiteral = false }
        if isBareLiteral && left == .percent {
            percentAsBareNumber(written, place: "compared with a percent", da: "der sammenlignes med en procent", fileIndex, range)
        } else if isBareLiteral && left == .money {
            error(
                .moneyAsBareNumber, "'\(written)' is a bare number used with an amount; write '\(written) kr'",
                da: "'\(written)' er et tal uden enhed, der bruges sammen med et beløb; skriv '\(written) kr'",
                fileIndex, range,
                fixIts: [
                    FixIt(message: "write '\(written) kr'", danish: "skriv '\(written) kr'", range: range, replacement: "\(written) kr")
                ])
        } else {
            error(
                .unitMismatch, "cannot use \(left.displayName) \(verb) \(right.displayName)",
                da:
                    "\(Words.typeName(left, .danish)) kan ikke bruges \(Checker.danishVerbs[verb] ?? verb) \(Words.typeName(right, .danish))",
                fileIndex, range)
        }
    }
}
