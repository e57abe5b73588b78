import SoeLanguage

/// What the engine adds to a decision beyond three-valued logic: for an undetermined firm the
/// bounds over its missing inputs and the inputs that would settle it; for a decided firm the
/// counterfactuals and, with a borderline share, whether a small change would overturn it.
public struct DecisionAnalysis: Sendable, Equatable {
    /// For a firm with missing inputs (decided or not); nil otherwise.
    public var bounds: BoundsDecision?
    /// For a decided firm; nil otherwise.
    public var counterfactuals: Counterfactuals?
    /// The relative change a borderline flag allows (`--borderline 2 %`, or the rule set's
    /// `borderline`); nil when none was asked for.
    public var borderlineShare: Exact?
    /// The smallest change within `borderlineShare` that overturns the decision; nil when the
    /// decision is not borderline (or no share was asked for).
    public var borderline: Counterfactual?

    public init(
        bounds: BoundsDecision? = nil, counterfactuals: Counterfactuals? = nil, borderlineShare: Exact? = nil,
        borderline: Counterfactual? = nil
    ) {
        self.bounds = bounds
        self.counterfactuals = counterfactuals
        self.borderlineShare = borderlineShare
        self.borderline = borderline
    }
}

extension Trace {
    /// The outcome the declared limits of the missing inputs decide for a firm whose data alone
    /// leaves it undetermined: every value the missing inputs could take within their `min` and
    /// `max` gives this outcome. Shown as a result of its own ("decided by the declared limits of
    /// the missing data", `decided_by_bounds` in JSON), with the missing inputs and their limits
    /// as its grounds, never as a decision on the data. nil otherwise, and without an analysis;
    /// nil too when the bounds settle the outcome but not which of its rules decides, since the
    /// reason given would then be a guess (the bounds still say the outcome, see docs/bounds.md).
    public var decidedByBounds: Int? {
        // A trace read from a record: the result's status said it, with the route it names.
        if recordedAnalysis != nil || recordedBoundsOutcome != nil { return recordedBoundsOutcome }
        guard decision.outcome == nil, decision.notInForceOn == nil, let bounds = analysis?.bounds, bounds.ruleSettled else { return nil }
        return bounds.outcome
    }
}

extension Counterfactuals {
    /// The smallest change of at most `share` of the input's value that changes the outcome; nil
    /// when there is none. A change from 0, or of a yes/no or choice, has no relative size and is
    /// never borderline.
    public func borderline(within share: Exact) -> Counterfactual? {
        changes.first { change in change.relativeChange.map { !(share < $0) } ?? false }
    }
}

extension Evaluator {
    /// The analysis of the decision just made: bounds when inputs are missing, counterfactuals
    /// when it is decided, and the borderline flag when `borderline` (a share, 2 % = 0.02) is given.
    public func analysis(of decision: Decision, borderline share: Exact?) -> DecisionAnalysis {
        var analysis = DecisionAnalysis()
        analysis.bounds = bounds(of: decision)
        if decision.outcome != nil {
            analysis.counterfactuals = counterfactuals(of: decision)
            if let share {
                analysis.borderlineShare = share
                analysis.borderline = analysis.counterfactuals?.borderline(within: share)
            }
        }
        return analysis
    }

    /// Whether the decision just made is borderline: the cheap question a batch asks of every row.
    public func borderline(of decision: Decision, within share: Exact) -> Counterfactual? {
        guard decision.outcome != nil else { return nil }
        return counterfactuals(of: decision)?.borderline(within: share)
    }
}

/// Reads a borderline share as people write it: `2 %`, `2%`, or `2` (all meaning 2 %).
public enum BorderlineShare {
    /// The share (2 % = 0.02), or an error message in English and Danish.
    /// A number without `%` above 0 and at most 1 (`0.02`, `1`) is refused with both readings, as
    /// such a number is everywhere else: `0.02` may be the fraction 2 % or 0.02 %. A decimal comma
    /// (`2,5 %`) is refused with the same number written with a point. `flag` names the option in
    /// the messages (`--min-coverage` reads its percentage the same way).
    public static func parse(_ text: String, flag: String = "--borderline") -> Result<Exact, BorderlineError> {
        var trimmed = Substring(text.trimmingSpaces())
        var signed = false
        if trimmed.hasSuffix("%") {
            trimmed = Substring(String(trimmed.dropLast()).trimmingSpaces())
            signed = true
        }
        let error = { (kind: BorderlineError.Kind) in BorderlineError(text: text, kind: kind, flag: flag) }
        // `1.000 %` has one reading here: a thousands mark would make it 1000 %, past the 100 % a
        // share may be, so it is 1 %, and `2.125 %` is 2.125 %. (Firm data, whose range does not pick
        // a reading, refuses such a number with both.)
        let pointed = String(trimmed.map { $0 == "," ? "." : $0 })
        if trimmed.contains(","), !trimmed.contains("."), case .success(let value) = Exact.parse(Substring(pointed)) {
            // `0,02` without `%` has two readings, as `0.02` has: both are given, not one picked.
            if !signed, !value.isZero, !value.isNegative, !(Exact.one < value) {
                return .failure(error(.bareFraction(pointed)))
            }
            return .failure(error(.decimalComma(pointed + " %")))
        }
        guard case .success(let percent) = Exact.parse(trimmed), let share = percent.dividing(Exact(integer: 100)),
            !share.isNegative, !(Exact.one < share)
        else { return .failure(error(.unreadable)) }
        if !signed, !percent.isZero, !(Exact.one < percent) {
            return .failure(error(.bareFraction(String(trimmed))))
        }
        return .success(share)
    }
}

/// A borderline share (or another percentage option) that cannot be read.
public struct BorderlineError: Error, BilingualMessage, Sendable {
    enum Kind: Sendable {
        case unreadable
        /// `0.02` without `%`: the number as written.
        case bareFraction(String)
        /// `2,5 %`: the share written with a point.
        case decimalComma(String)
    }
    let text: String
    var kind: Kind = .unreadable
    var flag = "--borderline"

    /// Whether the text is no number at all (rather than one read two ways).
    public var isUnreadable: Bool {
        if case .unreadable = kind { return true }
        return false
    }

    /// The number as a percent's points: `0.02` → `2`.
    static func points(_ number: String) -> String {
        guard case .success(let value) = Exact.parse(Substring(number)), let points = value.multiplying(Exact(integer: 100)) else {
            return number
        }
        return points.exactText()
    }

    public var message: String {
        switch kind {
        case .unreadable: return "\(flag) takes a share from 0 % to 100 %, such as '2 %'; found '\(text)'"
        case .bareFraction(let number):
            let fraction = BorderlineError.points(number)
            return
                "\(flag) '\(text)' could be \(fraction) % (the fraction \(number)) or \(number) %; write the % sign: '\(fraction) %' or '\(number) %'"
        case .decimalComma(let written): return "\(flag) '\(text)' has a decimal comma; write it with a point: '\(written)'"
        }
    }
    public var danish: String? {
        switch kind {
        case .unreadable: return "\(flag) skal være en andel fra 0 % til 100 %, fx '2 %'; fandt '\(text)'"
        case .bareFraction(let number):
            let fraction = BorderlineError.points(number)
            return
                "\(flag) '\(text)' kan være \(fraction) % (brøken \(number)) eller \(number) %; skriv %-tegnet: '\(fraction) %' eller '\(number) %'"
        case .decimalComma(let written): return "\(flag) '\(text)' har decimalkomma; skriv det med punktum: '\(written)'"
        }
    }
}

extension String {
    /// Without the spaces around it, the no-break spaces a word processor puts before `%` too.
    fileprivate func trimmingSpaces() -> String {
        let spaces: Set<Character> = [" ", "\u{00A0}", "\u{202F}", "\t"]
        var result = Substring(self)
        while let first = result.first, spaces.contains(first) { result = result.dropFirst() }
        while let last = result.last, spaces.contains(last) { result = result.dropLast() }
        return String(result)
    }
}
