import SoeLanguage

/// A formula as `constant + Σ coefficient × input` over the missing inputs, with the known inputs
/// and parameters folded into the constant. Its range over the box of the missing inputs is exact
/// (each input occurs once after collecting terms), which is how a formula that uses one input
/// twice, such as `a - a` or `a + b - a`, is bounded without treating the two uses as independent.
struct Affine: Sendable, Equatable {
    /// (input index, coefficient), sorted by input, no zero coefficient.
    var terms: [(input: Int, coefficient: Exact)]
    var constant: Exact

    static func constant(_ value: Exact) -> Affine { Affine(terms: [], constant: value) }
    static func variable(_ input: Int) -> Affine { Affine(terms: [(input, .one)], constant: .zero) }

    static func == (lhs: Affine, rhs: Affine) -> Bool {
        lhs.constant == rhs.constant && lhs.terms.count == rhs.terms.count
            && zip(lhs.terms, rhs.terms).allSatisfy { $0.input == $1.input && $0.coefficient == $1.coefficient }
    }

    var isConstant: Bool { terms.isEmpty }

    /// The sum, or nil on overflow.
    func adding(_ other: Affine) -> Affine? {
        guard let sum = constant.adding(other.constant) else { return nil }
        var result: [(input: Int, coefficient: Exact)] = []
        var (i, j) = (0, 0)
        while i < terms.count || j < other.terms.count {
            if j == other.terms.count || (i < terms.count && terms[i].input < other.terms[j].input) {
                result.append(terms[i])
                i += 1
            } else if i == terms.count || other.terms[j].input < terms[i].input {
                result.append(other.terms[j])
                j += 1
            } else {
                guard let combined = terms[i].coefficient.adding(other.terms[j].coefficient) else { return nil }
                if !combined.isZero { result.append((terms[i].input, combined)) }
                i += 1
                j += 1
            }
        }
        return Affine(terms: result, constant: sum)
    }

    /// Every coefficient times a factor, or nil on overflow.
    func scaled(by factor: Exact) -> Affine? {
        if factor.isZero { return .constant(.zero) }
        guard let scaledConstant = constant.multiplying(factor) else { return nil }
        var result: [(input: Int, coefficient: Exact)] = []
        result.reserveCapacity(terms.count)
        for term in terms {
            guard let product = term.coefficient.multiplying(factor) else { return nil }
            result.append((term.input, product))
        }
        return Affine(terms: result, constant: scaledConstant)
    }

    func subtracting(_ other: Affine) -> Affine? {
        guard let negated = other.scaled(by: Exact(integer: -1)) else { return nil }
        return adding(negated)
    }

    /// The exact range over a box of input intervals (indexed by input), or nil on overflow.
    func range(_ box: [Interval?]) -> Interval? {
        var result = Interval.point(constant)
        for term in terms {
            guard let interval = box[term.input], let scaled = interval.scaled(by: term.coefficient),
                let sum = result.adding(scaled)
            else { return nil }
            result = sum
        }
        return result
    }

    /// The value with every input given, or nil on overflow.
    func value(at values: (Int) -> Exact?) -> Exact? {
        var result = constant
        for term in terms {
            guard let value = values(term.input), let product = value.multiplying(term.coefficient),
                let sum = result.adding(product)
            else { return nil }
            result = sum
        }
        return result
    }

    /// The inputs it depends on.
    var inputs: InputSet {
        var set = InputSet()
        for term in terms { set.insert(term.input) }
        return set
    }
}

/// The values a yes/no formula can take over the box, with `unknown` for a computation that may
/// be undefined (division by zero, overflow, no parameter value): Kleene's three values as a set.
public struct Truth: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let yes = Truth(rawValue: 1)
    public static let no = Truth(rawValue: 2)
    public static let unknown = Truth(rawValue: 4)
    public static let either: Truth = [.yes, .no]

    init(_ value: Bool) { self = value ? .yes : .no }

    /// The one value it can take, when it is a known yes/no.
    public var certain: Bool? {
        if self == .yes { return true }
        if self == .no { return false }
        return nil
    }

    var negated: Truth {
        var result: Truth = intersection(.unknown)
        if contains(.yes) { result.insert(.no) }
        if contains(.no) { result.insert(.yes) }
        return result
    }

    /// Kleene's `and` (or `or` with `decisive: true`) over independent sets of values.
    static func junction(_ parts: [Truth], decisive: Bool) -> Truth {
        let win: Truth = decisive ? .yes : .no
        let lose: Truth = decisive ? .no : .yes
        var result = Truth()
        if parts.contains(where: { $0.contains(win) }) { result.insert(win) }
        if parts.allSatisfy({ $0.contains(lose) }) { result.insert(lose) }
        if parts.allSatisfy({ !$0.intersection([lose, .unknown]).isEmpty }), parts.contains(where: { $0.contains(.unknown) }) {
            result.insert(.unknown)
        }
        return result
    }
}
