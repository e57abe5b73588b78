import SoeLanguage

/// An affine form over the rule set's inputs, `constant + Σ coefficient × input`, kept exact.
/// The counterfactual search writes each comparison the outcome conditions make as the sign of
/// one such form (see `CompiledConditions`): moving one input then moves each form along a line.
struct Lin: Sendable, Equatable {
    var constant: Exact
    /// By input, ascending, no zero coefficient.
    var terms: [LinTerm]

    static func constant(_ value: Exact) -> Lin { Lin(constant: value, terms: []) }
    static func input(_ index: Int) -> Lin { Lin(constant: .zero, terms: [LinTerm(input: index, coefficient: .one)]) }

    var constantValue: Exact? { terms.isEmpty ? constant : nil }

    /// `self + factor × other`; nil on overflow.
    func adding(_ other: Lin, times factor: Exact = .one) -> Lin? {
        guard let scaledConstant = other.constant.multiplying(factor), let sum = constant.adding(scaledConstant) else { return nil }
        var result: [LinTerm] = []
        result.reserveCapacity(terms.count + other.terms.count)
        var (i, j) = (0, 0)
        while i < terms.count || j < other.terms.count {
            if j == other.terms.count || (i < terms.count && terms[i].input < other.terms[j].input) {
                result.append(terms[i])
                i += 1
                continue
            }
            guard let scaled = other.terms[j].coefficient.multiplying(factor) else { return nil }
            if i < terms.count && terms[i].input == other.terms[j].input {
                guard let combined = terms[i].coefficient.adding(scaled) else { return nil }
                if !combined.isZero { result.append(LinTerm(input: terms[i].input, coefficient: combined)) }
                i += 1
            } else if !scaled.isZero {
                result.append(LinTerm(input: other.terms[j].input, coefficient: scaled))
            }
            j += 1
        }
        return Lin(constant: sum, terms: result)
    }

    /// `factor × self`; nil on overflow.
    func scaled(by factor: Exact) -> Lin? {
        if factor.isZero { return .constant(.zero) }
        guard let value = constant.multiplying(factor) else { return nil }
        var result: [LinTerm] = []
        result.reserveCapacity(terms.count)
        for term in terms {
            guard let coefficient = term.coefficient.multiplying(factor) else { return nil }
            result.append(LinTerm(input: term.input, coefficient: coefficient))
        }
        return Lin(constant: value, terms: result)
    }
}

struct LinTerm: Sendable, Equatable {
    let input: Int
    let coefficient: Exact
}

/// Which signs of a form make a comparison true: `a > b` is `a − b` positive, and so on.
enum SignTest: UInt8, Sendable {
    case positive, nonNegative, zero, nonZero, negative, nonPositive

    init?(_ op: NodeOp) {
        switch op {
        case .greater: self = .positive
        case .greaterEqual: self = .nonNegative
        case .equal: self = .zero
        case .notEqual: self = .nonZero
        case .less: self = .negative
        case .lessEqual: self = .nonPositive
        case .constant, .input, .parameter, .value, .criterion, .not, .negate, .add, .subtract, .multiply, .divide, .and, .or,
            .member, .ifThenElse, .minimum, .maximum, .isKnown:
            return nil
        }
    }

    /// The test of the same comparison with its sides swapped (`k < x` is `x > k`).
    var mirrored: SignTest {
        switch self {
        case .positive: .negative
        case .nonNegative: .nonPositive
        case .zero: .zero
        case .nonZero: .nonZero
        case .negative: .positive
        case .nonPositive: .nonNegative
        }
    }

    /// Whether a sign (-1, 0 or 1) passes.
    @inline(__always)
    func holds(_ sign: Int) -> Bool {
        switch self {
        case .positive: sign > 0
        case .nonNegative: sign >= 0
        case .zero: sign == 0
        case .nonZero: sign != 0
        case .negative: sign < 0
        case .nonPositive: sign <= 0
        }
    }
}

/// A yes/no formula of the outcome conditions and criteria, compiled: comparisons become signs of
/// affine forms (`Lin`, by atom index), so its answer for a moved input is read off which side of
/// each form's zero the input is on. Children are indices into `CompiledConditions.bools`, lists
/// into `CompiledConditions.lists`; no case holds a reference, so evaluating one costs no
/// reference counting.
enum CompiledBool: Sendable {
    /// Yes, no, or unknown (`Kleene`).
    case constant(Kleene)
    /// The sign of a form passes the test.
    case sign(atom: Int32, test: SignTest)
    /// `n / d` compared with a constant `k`: the sign of `n − k·d` (atom `numerator`) times the sign
    /// of `d` (atom `denominator`) passes the test; unknown where `d` is zero, as the division is.
    case ratio(numerator: Int32, denominator: Int32, test: SignTest)
    /// A yes/no input.
    case input(Int32)
    case not(Int32)
    case and(start: Int32, count: Int32)
    case or(start: Int32, count: Int32)
    /// `if c then a else b` where `c` is never unknown for known inputs (an `if` the compiler
    /// accepts), or the choice a `min`/`max` makes, where `c` is unknown exactly when an argument
    /// is and the result is then unknown too. `strict` marks the latter: an unknown `c` of an `if`
    /// (a missing input) asks the evaluator, whose `if` may still be known when both branches agree.
    case choose(condition: Int32, then: Int32, otherwise: Int32, strict: Bool)
    /// A formula the compiler does not write in forms: the evaluator's result for the firm, which
    /// holds as long as the moved input is not among those it reads.
    case opaque(node: Int32)
}

/// Kleene's three values, and a fourth for the compiled search: the evaluator must be asked.
enum Kleene: UInt8, Sendable {
    case no, yes, unknown, ask
}

/// A number of the outcome conditions, compiled: a form, a ratio of two forms, or a choice between
/// two numbers by a compiled yes/no; nil in the compiler stands for a number it cannot write so.
indirect enum CompiledNumber: Sendable {
    case line(Lin)
    case ratio(Lin, Lin)
    case choose(condition: Int32, then: CompiledNumber, otherwise: CompiledNumber, strict: Bool)

    var leaves: Int {
        switch self {
        case .line, .ratio: 1
        case .choose(_, let a, let b, _): a.leaves + b.leaves
        }
    }
}
