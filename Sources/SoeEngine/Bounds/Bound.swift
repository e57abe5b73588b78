import SoeLanguage

/// What the bounds evaluator knows about a formula over a box of missing inputs: the set of values
/// it can take, whether it may be undefined, and which missing inputs it still depends on.
struct Bound: Sendable {
    var kind: BoundKind
    /// Whether the formula may have no value (division by zero, overflow, no parameter value) for
    /// some point of the box; a yes/no keeps this in `Truth.unknown` instead.
    var mayFail: Bool = false
    /// The missing inputs the value may depend on; empty when it has one value over the whole box.
    var depends = InputSet()

    static func number(_ number: NumberBound, mayFail: Bool = false, depends: InputSet = InputSet()) -> Bound {
        Bound(kind: .number(number), mayFail: mayFail, depends: depends).settled()
    }

    static func truth(_ truth: Truth, depends: InputSet = InputSet()) -> Bound {
        Bound(kind: .truth(truth), depends: depends).settled()
    }

    /// A number that is never defined.
    static let failedNumber = Bound(kind: .number(NumberBound(range: .empty)), mayFail: true)
    /// Anything: a number of unknown size that may also be undefined.
    static func anyNumber(depends: InputSet) -> Bound {
        Bound(kind: .number(NumberBound(range: .all)), mayFail: true, depends: depends)
    }

    /// Drops the dependencies of a formula that has one value over the whole box: knowing more
    /// inputs cannot change it.
    func settled() -> Bound {
        var result = self
        switch kind {
        case .number(let number): if !mayFail && number.range.point != nil { result.depends = InputSet() }
        case .truth(let truth): if truth.certain != nil || truth == .unknown { result.depends = InputSet() }
        case .scalar: if !mayFail { result.depends = InputSet() }
        case .choices, .anyValue: break
        }
        return result
    }

    var number: NumberBound? {
        if case .number(let number) = kind { return number }
        return nil
    }

    /// The yes/no values, with `unknown` for a value that may be undefined or is not a yes/no.
    var truth: Truth {
        switch kind {
        case .truth(let truth): truth
        case .number, .scalar, .choices, .anyValue: .unknown
        }
    }
}

/// The kinds of value a formula can have over the box.
enum BoundKind: Sendable {
    /// A number in a range, with an exact form when there is one.
    case number(NumberBound)
    /// A yes/no, as the set of values it can take.
    case truth(Truth)
    /// A known date, text or choice.
    case scalar(Scalar)
    /// A missing choice: one of the members in the mask.
    case choices(UInt64)
    /// A missing date or text: any value of its type.
    case anyValue
}

/// A number over the box: its range, and where it is exact, its form as an affine function of
/// the missing inputs, or as a ratio of two affine functions, or as one of several alternatives
/// (`if` with an unsettled condition, `min`/`max` whose arguments overlap).
struct NumberBound: Sendable {
    var range: Interval
    var form: Affine?
    var ratio: Ratio?
    /// The value is one of these (each with its own exact form), when not empty.
    var branches: [NumberBound] = []

    /// The most alternatives kept: beyond them only the range is kept.
    static let branchLimit = 8

    init(range: Interval, form: Affine? = nil, ratio: Ratio? = nil) {
        self.range = range
        self.form = form
        self.ratio = ratio
    }

    /// An exact form, with the range it gives over the box.
    init?(form: Affine, box: [Interval?]) {
        guard let range = form.range(box) else { return nil }
        self.init(range: range, form: form)
    }
}

/// `numerator / denominator` where the denominator's range excludes zero: a share such as
/// `market_sales / total_revenue`, compared with a threshold exactly by cross-multiplying.
struct Ratio: Sendable {
    var numerator: Affine
    var denominator: Affine
    /// Whether the denominator is negative over the whole box (else it is positive).
    var negativeDenominator: Bool
}

/// The sign of a difference `left - right` over the box: which of below, equal, above zero occur.
struct Signs: Sendable {
    var negative = false
    var zero = false
    var positive = false

    init(negative: Bool = false, zero: Bool = false, positive: Bool = false) {
        self.negative = negative
        self.zero = zero
        self.positive = positive
    }

    init(_ interval: Interval) {
        (negative, zero, positive) = interval.signs
    }

    static let any = Signs(negative: true, zero: true, positive: true)

    func union(_ other: Signs) -> Signs {
        Signs(negative: negative || other.negative, zero: zero || other.zero, positive: positive || other.positive)
    }

    var flipped: Signs { Signs(negative: positive, zero: zero, positive: negative) }

    /// The truth of a comparison whose difference has these signs.
    func truth(_ op: NodeOp) -> Truth {
        var truth = Truth()
        func add(_ yes: Bool, _ no: Bool) {
            if yes { truth.insert(.yes) }
            if no { truth.insert(.no) }
        }
        switch op {
        case .equal: add(zero, negative || positive)
        case .notEqual: add(negative || positive, zero)
        case .less: add(negative, zero || positive)
        case .lessEqual: add(negative || zero, positive)
        case .greater: add(positive, negative || zero)
        case .greaterEqual: add(positive || zero, negative)
        case .constant, .input, .parameter, .value, .criterion, .negate, .not, .add, .subtract, .multiply, .divide, .and, .or,
            .member, .ifThenElse, .minimum, .maximum, .isKnown:
            truth = .either
        }
        return truth
    }
}
