import SoeLanguage

/// Numeric formulas as linear forms: `Σ coefficient × term + constant + Σ coefficient × parameter`.
///
/// A term is an input, a derived value (kept whole, so that messages can name it), or an opaque
/// sub-formula that is not linear (`dividend_cap * profit_after_tax`, `a / b`, `min(…)`), keyed by
/// its structure so that the same formula written twice is the same term. Dates are numbers of
/// days, so that `start_date < 2020-01-01` is a comparison like any other.
struct LinearExpression: Sendable {
    var terms: [Int32: Exact] = [:]
    var constant: Exact = Exact.zero
    var parameters: [Int32: Exact] = [:]

    static func constant(_ value: Exact) -> LinearExpression { LinearExpression(constant: value) }

    var isConstant: Bool { terms.isEmpty && parameters.isEmpty }

    /// The sum, or nil on overflow.
    func adding(_ other: LinearExpression, negatingOther: Bool = false) -> LinearExpression? {
        guard let right = negatingOther ? other.scaled(by: Exact(integer: -1)) : other else { return nil }
        var result = self
        guard let sum = constant.adding(right.constant) else { return nil }
        result.constant = sum
        for (term, coefficient) in right.terms {
            guard let combined = (result.terms[term] ?? Exact.zero).adding(coefficient) else { return nil }
            result.terms[term] = combined.isZero ? nil : combined
        }
        for (parameter, coefficient) in right.parameters {
            guard let combined = (result.parameters[parameter] ?? Exact.zero).adding(coefficient) else { return nil }
            result.parameters[parameter] = combined.isZero ? nil : combined
        }
        return result
    }

    /// Every coefficient times a factor, or nil on overflow.
    func scaled(by factor: Exact) -> LinearExpression? {
        if factor.isZero { return .constant(Exact.zero) }
        var result = LinearExpression()
        guard let scaledConstant = constant.multiplying(factor) else { return nil }
        result.constant = scaledConstant
        for (term, coefficient) in terms {
            guard let product = coefficient.multiplying(factor) else { return nil }
            result.terms[term] = product
        }
        for (parameter, coefficient) in parameters {
            guard let product = coefficient.multiplying(factor) else { return nil }
            result.parameters[parameter] = product
        }
        return result
    }
}

/// What a term of a linear form stands for.
struct LinearTerm: Sendable {
    /// The node where it was first met: the input or value reference, or the opaque sub-formula.
    var node: Int32
    var text: String
    var type: ValueType
}

extension ConditionAnalysis {
    /// The linear form of a numeric or date formula; never nil: what is not linear becomes a term.
    func linear(_ index: Int32) -> LinearExpression {
        let node = ruleSet.nodes[Int(index)]
        switch node.op {
        case .constant:
            switch ruleSet.constant(of: node) {
            case .number(let value): return .constant(value)
            case .date(let day): return .constant(Exact(integer: Int128(dayNumber(day))))
            default: return opaqueTerm(index)
            }
        case .input:
            return term("i\(node.a)", index, text: ruleSet.inputs[Int(node.a)].name, type: node.type)
        case .value:
            return term("v\(node.a)", index, text: ruleSet.values[Int(node.a)].name, type: node.type)
        case .parameter:
            guard node.type.isNumeric else { return opaqueTerm(index) }
            return LinearExpression(parameters: [node.a: Exact.one])
        case .negate:
            return linear(node.a).scaled(by: Exact(integer: -1)) ?? opaqueTerm(index)
        case .add, .subtract:
            return linear(node.a).adding(linear(node.b), negatingOther: node.op == .subtract) ?? opaqueTerm(index)
        case .multiply:
            let left = linear(node.a)
            let right = linear(node.b)
            if right.terms.isEmpty && right.parameters.isEmpty { return left.scaled(by: right.constant) ?? opaqueTerm(index) }
            if left.terms.isEmpty && left.parameters.isEmpty { return right.scaled(by: left.constant) ?? opaqueTerm(index) }
            return opaqueTerm(index)
        case .divide:
            let right = linear(node.b)
            if right.isConstant, !right.constant.isZero, let inverse = Exact.one.dividing(right.constant) {
                return linear(node.a).scaled(by: inverse) ?? opaqueTerm(index)
            }
            return opaqueTerm(index)
        case .criterion, .not, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and, .or, .member, .ifThenElse, .minimum,
            .maximum, .isKnown:
            return opaqueTerm(index)
        }
    }

    func opaqueTerm(_ index: Int32) -> LinearExpression {
        let node = ruleSet.nodes[Int(index)]
        return term("o:" + structuralKey(index), index, text: nodeText(index), type: node.type)
    }

    func term(_ key: String, _ index: Int32, text: String, type: ValueType) -> LinearExpression {
        let id: Int32
        if let known = termIndex[key] {
            id = known
        } else {
            id = Int32(terms.count)
            termIndex[key] = id
            terms.append(LinearTerm(node: index, text: text, type: type))
        }
        return LinearExpression(terms: [id: Exact.one])
    }

    /// The literal for `left relation right`, or a truth value when both sides are constants.
    func comparisonLiteral(_ left: Int32, _ relation: Relation, _ right: Int32) -> ComparisonAtom {
        guard let difference = linear(left).adding(linear(right), negatingOther: true) else { return .opaque }
        return literal(difference, relation)
    }

    /// The literal for `difference relation 0`.
    func literal(_ difference: LinearExpression, _ relation: Relation) -> ComparisonAtom {
        if difference.terms.isEmpty {
            guard difference.parameters.isEmpty else { return .opaque }
            let value = difference.constant
            let holds: Bool =
                switch relation {
                case .less: value < Exact.zero
                case .lessEqual: !(Exact.zero < value)
                case .greater: Exact.zero < value
                case .greaterEqual: !(value < Exact.zero)
                case .equal: value.isZero
                case .notEqual: !value.isZero
                }
            return .constant(holds)
        }
        guard difference.parameters.count <= 1 else { return .opaque }
        let ordered = difference.terms.sorted { $0.key < $1.key }
        guard let leading = ordered.first?.value, let inverse = Exact.one.dividing(leading) else { return .opaque }
        var normalized: [(Int32, Exact)] = []
        for (term, coefficient) in ordered {
            guard let scaled = coefficient.multiplying(inverse) else { return .opaque }
            normalized.append((term, scaled))
        }
        let minusInverse = inverse.negated() ?? Exact.zero
        guard let offset = difference.constant.multiplying(minusInverse) else { return .opaque }
        var bound = Bound.constant(offset)
        if let (parameter, coefficient) = difference.parameters.first {
            guard let scale = coefficient.multiplying(minusInverse) else { return .opaque }
            bound = Bound(offset: offset, parameter: parameter, scale: scale)
        }
        let variable = numericVariable(normalized)
        return .literal(.compare(variable, leading.isNegative ? relation.flipped : relation, bound))
    }

    /// The variable of a normalized linear form (leading coefficient 1).
    func numericVariable(_ form: [(Int32, Exact)]) -> Int32 {
        let key = "n:" + form.map { "\($0.0)*\($0.1.reduced())" }.joinedText(separator: ";")
        return space.variables.variable(key, kind: numericKind(form), text: formText(form))
    }

    func numericKind(_ form: [(Int32, Exact)]) -> VariableKind {
        guard form.count == 1, let (termID, coefficient) = form.first, coefficient == Exact.one else {
            let type = form.first.map { terms[Int($0.0)].type } ?? .number
            return .numeric(NumericVariable(isInteger: false, domain: nil, type: type))
        }
        let term = terms[Int(termID)]
        let node = ruleSet.nodes[Int(term.node)]
        let domain: ValueRange? =
            switch node.op {
            case .input: term.type.isNumeric ? ranges.range(ofInput: Int(node.a)) : nil
            case .constant, .parameter, .value, .criterion, .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less,
                .lessEqual, .greater, .greaterEqual, .and, .or, .member, .ifThenElse, .minimum, .maximum, .isKnown:
                term.type.isNumeric ? ranges.range(of: term.node) : nil
            }
        return .numeric(NumericVariable(isInteger: term.type == .count || term.type == .date, domain: domain, type: term.type))
    }

    /// `a + b`, `a - 2 × b`: the form as a person would write it.
    func formText(_ form: [(Int32, Exact)]) -> String {
        var text = ""
        for (position, (termID, coefficient)) in form.enumerated() {
            let name = terms[Int(termID)].text
            let magnitude = coefficient.isNegative ? (coefficient.negated() ?? coefficient) : coefficient
            let factor = magnitude == Exact.one ? "" : "\(magnitude.exactText()) × "
            if position == 0 {
                text = (coefficient.isNegative ? "-" : "") + factor + name
            } else {
                text += (coefficient.isNegative ? " - " : " + ") + factor + name
            }
        }
        return text
    }
}

/// A comparison as the analysis sees it.
enum ComparisonAtom {
    case literal(Literal)
    case constant(Bool)
    /// Not linear in one variable: the caller treats the comparison as an opaque yes/no.
    case opaque
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`), so dates compare as numbers.
func dayNumber(_ day: Day) -> Int {
    let year = day.month <= 2 ? day.year - 1 : day.year
    let era = (year >= 0 ? year : year - 399) / 400
    let yearOfEra = year - era * 400
    let shiftedMonth = (day.month + 9) % 12
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day.day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}
