import SoeLanguage

/// The atoms of the condition analysis: a yes/no variable, a choice test, or a linear comparison
/// of one numeric variable with a constant or a parameter.
///
/// Every condition of a rule set is turned into a disjunction of conjunctions of these literals
/// (see `ConditionNormalizer`). Variables are independent of each other by construction: a
/// "numeric variable" is a whole linear form such as `market_sales + grants`, and two different
/// forms are treated as unrelated. That loses some precision (the analysis does not know that
/// `a + b > 0 kr` follows from `a > 0 kr and b > 0 kr`), but it keeps every question about a
/// conjunction a question about one variable at a time, and it never claims more than is true:
/// the real firms are a subset of the worlds the analysis considers.

/// How a numeric variable relates to its bound.
enum Relation: UInt8, Sendable, Hashable {
    case less, lessEqual, greater, greaterEqual, equal, notEqual

    /// The relation that holds exactly when this one does not.
    var negated: Relation {
        switch self {
        case .less: .greaterEqual
        case .lessEqual: .greater
        case .greater: .lessEqual
        case .greaterEqual: .less
        case .equal: .notEqual
        case .notEqual: .equal
        }
    }

    /// The relation with both sides swapped: `a < b` is `b > a`.
    var flipped: Relation {
        switch self {
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        case .equal, .notEqual: self
        }
    }

    init?(_ op: NodeOp) {
        switch op {
        case .less: self = .less
        case .lessEqual: self = .lessEqual
        case .greater: self = .greater
        case .greaterEqual: self = .greaterEqual
        case .equal: self = .equal
        case .notEqual: self = .notEqual
        case .constant, .input, .parameter, .value, .criterion, .negate, .not, .add, .subtract, .multiply, .divide, .and, .or, .member,
            .ifThenElse, .minimum, .maximum, .isKnown:
            return nil
        }
    }

    var symbol: String {
        switch self {
        case .less: "<"
        case .lessEqual: "<="
        case .greater: ">"
        case .greaterEqual: ">="
        case .equal: "="
        case .notEqual: "!="
        }
    }
}

/// A bound `scale × parameter + offset`, or just `offset` when there is no parameter.
///
/// Parameters have a value per period, so a bound that names one is not a single number; the
/// analysis compares such bounds only when the comparison holds on every date (the same
/// parameter on both sides, or the ranges of its values do not overlap).
struct Bound: Sendable, Hashable {
    var offset: Exact
    /// Index into `RuleSet.parameters`, or -1.
    var parameter: Int32
    var scale: Exact

    static func constant(_ value: Exact) -> Bound { Bound(offset: value, parameter: -1, scale: Exact.zero) }

    var isConstant: Bool { parameter < 0 }
}

/// One atom of a condition.
enum Literal: Sendable, Hashable {
    /// A yes/no variable has this value.
    case flag(Int32, Bool)
    /// A choice variable is one of the members in the mask.
    case choice(Int32, UInt64)
    /// A numeric variable stands in this relation to the bound.
    case compare(Int32, Relation, Bound)

    var variable: Int32 {
        switch self {
        case .flag(let v, _), .choice(let v, _), .compare(let v, _, _): v
        }
    }
}

/// What a variable of the analysis stands for, for the solver (domains) and for messages.
enum VariableKind: Sendable {
    /// A yes/no input, or an opaque yes/no formula (`x is known`, a text comparison).
    case flag
    /// A choice input with the mask of all its members.
    case choice(domain: UInt64, members: [String])
    /// A linear form over inputs, values and opaque sub-formulas.
    case numeric(NumericVariable)
}

/// A numeric variable: a linear form, with what is known about it.
struct NumericVariable: Sendable {
    /// Whether it only takes whole values (a count input, a date as a day number).
    var isInteger: Bool
    /// The values it can take, when it is a single input or value with a known range.
    var domain: ValueRange?
    /// Its type, to print bounds as `50 %` or `1.000 kr`.
    var type: ValueType
}

/// Interns variables: each distinct key gets one index, a kind and a text for messages.
final class VariableTable {
    private(set) var kinds: [VariableKind] = []
    /// The formula as written where the variable was first met, for messages.
    private(set) var texts: [String] = []
    private var index: [String: Int32] = [:]

    /// The variable for a key, created with the given kind and text the first time.
    func variable(_ key: String, kind: @autoclosure () -> VariableKind, text: @autoclosure () -> String) -> Int32 {
        if let known = index[key] { return known }
        let id = Int32(kinds.count)
        index[key] = id
        kinds.append(kind())
        texts.append(text())
        return id
    }

    var count: Int { kinds.count }

    /// The literal that holds exactly when `literal` does not.
    func negate(_ literal: Literal) -> Literal {
        switch literal {
        case .flag(let v, let value):
            return .flag(v, !value)
        case .choice(let v, let mask):
            guard case .choice(let domain, _) = kinds[Int(v)] else { return .choice(v, ~mask) }
            return .choice(v, domain & ~mask)
        case .compare(let v, let relation, let bound):
            return .compare(v, relation.negated, bound)
        }
    }

    func numeric(_ variable: Int32) -> NumericVariable? {
        guard variable >= 0, Int(variable) < kinds.count, case .numeric(let info) = kinds[Int(variable)] else { return nil }
        return info
    }

    func text(_ variable: Int32) -> String {
        variable >= 0 && Int(variable) < texts.count ? texts[Int(variable)] : "?"
    }
}
