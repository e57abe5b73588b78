import SoeLanguage

/// A set of input indices, as four machine words: inputs that are missing travel with every
/// unknown result, and a fixed-size set costs no allocation on the evaluator's hot path.
public struct InputSet: Sendable, Equatable, Hashable {
    /// The most inputs one rule set may declare.
    public static let capacity = Checker.maxInputs
    /// The inputs the four words hold: `capacity`, written as a constant so that `contains` and
    /// `insert` need not read the checker's (another module's) lazily made one per call, and are
    /// inlined (`InputSetTests` checks the two agree).
    static let bits = 256
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init() {}
    public init(_ index: Int) { insert(index) }

    public var isEmpty: Bool { words.0 | words.1 | words.2 | words.3 == 0 }

    /// Adds an input index; indices past the capacity are ignored (the checker rejects such rule sets).
    @inline(__always)
    public mutating func insert(_ index: Int) {
        guard index >= 0, index < InputSet.bits else { return }
        let bit = UInt64(1) << UInt64(index & 63)
        switch index >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    /// Whether the input index is in the set.
    @inline(__always)
    public func contains(_ index: Int) -> Bool {
        guard index >= 0, index < InputSet.bits else { return false }
        let bit = UInt64(1) << UInt64(index & 63)
        switch index >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    /// The inputs in either set.
    public func union(_ other: InputSet) -> InputSet {
        var result = InputSet()
        result.words = (words.0 | other.words.0, words.1 | other.words.1, words.2 | other.words.2, words.3 | other.words.3)
        return result
    }

    /// The members in increasing order.
    public var indices: [Int] { (0..<InputSet.capacity).filter(contains) }

    /// Two sets are equal when they hold the same inputs.
    public static func == (lhs: InputSet, rhs: InputSet) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }
    /// Hashes the four words.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}

/// Why a value could not be computed even though its inputs are known.
public struct Problem: Sendable, Equatable, Hashable {
    /// The kinds of undefined computation; the raw value is the name in JSON traces.
    public enum Kind: String, Sendable {
        /// A division whose divisor is zero, such as a share of a turnover of 0 kr.
        case divisionByZero = "division_by_zero"
        /// A result beyond the exact range (about ±1.7 × 10^38).
        case overflow
        /// A parameter with no value in force on the fiscal year's closing date.
        case noParameterValue = "no_parameter_value"
    }
    public let kind: Kind
    /// The node where it happened (for `noParameterValue`, the parameter's index).
    public let node: Int32
}

/// What is not known about a result: the inputs whose values are missing, and the first problem
/// met on the way (a value may lack both an input and a defined computation).
public struct Unknown: Sendable, Equatable {
    public var missing: InputSet
    public var problem: Problem?

    public init(missing: InputSet = InputSet(), problem: Problem? = nil) {
        self.missing = missing
        self.problem = problem
    }

    /// Both unknowns together: the union of missing inputs and the first problem.
    public func merged(with other: Unknown) -> Unknown {
        Unknown(missing: missing.union(other.missing), problem: problem ?? other.problem)
    }
}

/// The result of evaluating a formula for one firm: a known value, or not known and why.
///
/// # Unknown values
///
/// Missing data is a first-class state, not an error and never a silent zero. Conditions follow
/// Kleene's three-valued logic: `no and unknown` is `no`, `yes or unknown` is `yes`, so an outcome
/// that can be decided without a missing value is decided. Where it cannot, the unknown carries the
/// exact set of missing inputs that stood in the way, and the classification reports those and
/// the outcomes still possible. Arithmetic and comparisons are strict: a sum with a missing term is
/// unknown. Division by zero and overflow are unknowns with a `Problem` and no missing input, so they
/// are reported with their reason and never crash or wrap around.
public enum Evaluated: Sendable, Equatable {
    case known(Scalar)
    case unknown(Unknown)

    public var isKnown: Bool {
        if case .known = self { return true }
        return false
    }

    /// The value as yes/no, if known.
    public var bool: Bool? {
        if case .known(.bool(let value)) = self { return value }
        return nil
    }
}
