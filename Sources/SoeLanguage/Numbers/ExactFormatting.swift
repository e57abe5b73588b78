// Turning exact values into text: rounded for people (letters, reports) and exact for machines
// and auditors, so a printed amount can always be traced back to the value that was decided on.

/// How a value is brought to a fixed number of decimals. Only the rule Danish administrative
/// practice uses exists today; the enum keeps call sites explicit about it.
public enum RoundingRule: Sendable, Hashable, CaseIterable {
    /// Half away from zero: 0.125 → 0.13 and -0.125 → -0.13, as on a paper calculation.
    case toNearestOrAwayFromZero
}

extension Exact {
    /// The value rounded exactly to `places` decimals (0...38), with denominator 10^places.
    /// Nil for places outside that range or when the rounded value does not fit Int128.
    public func rounded(places: Int, rule: RoundingRule = .toNearestOrAwayFromZero) -> Exact? {
        guard (0..<Exact.powersOfTen.count).contains(places) else { return nil }
        let parts = roundedParts(places: places, rule: rule)
        let scale = Exact.powersOfTen[places]
        let (whole, o1) = parts.integer.multipliedReportingOverflow(by: scale)
        let (magnitude, o2) = whole.addingReportingOverflow(parts.fraction)
        guard !o1, !o2 else { return nil }
        return Exact.make(magnitude: magnitude, negative: parts.negative, denominator: scale)
    }

    /// Human-readable amount such as "4.200.000,00" (Danish) or "4,200,000.00" (English); no
    /// grouping when `groupingSeparator` is nil. Rounds with `rule`, and never prints "-0,00":
    /// a value that rounds to zero has no sign. `places` is clamped to 0...38.
    public func formatted(
        places: Int, decimalSeparator: Character, groupingSeparator: Character?,
        rule: RoundingRule = .toNearestOrAwayFromZero
    ) -> String {
        let places = min(max(places, 0), Exact.powersOfTen.count - 1)
        // Works on the magnitude, so even Int128.max with two decimals prints instead of failing.
        let parts = roundedParts(places: places, rule: rule)
        let digits = String(parts.integer)
        var text = parts.negative ? "-" : ""
        text.reserveCapacity(digits.count * 4 / 3 + places + 2)
        for (offset, digit) in digits.enumerated() {
            if let separator = groupingSeparator, offset > 0, (digits.count - offset) % 3 == 0 {
                text.append(separator)
            }
            text.append(digit)
        }
        if places > 0 {
            let fraction = String(parts.fraction)
            text.append(decimalSeparator)
            text.append(String(repeating: "0", count: places - fraction.count))
            text.append(fraction)
        }
        return text
    }

    /// Exact text for machines and auditors: a terminating decimal prints with the fewest
    /// decimals that are exact, but at least `minPlaces` ("4200000.00", "0.5", "-3"); any other
    /// value prints as a reduced fraction with the sign on the numerator ("-42/47"), since no
    /// finite decimal would be honest about it.
    public func exactText(minPlaces: Int = 0) -> String {
        let r = reduced()
        let d = UInt128(r.denominator)
        let twos = d.trailingZeroBitCount
        var rest = d >> twos
        var fives = 0
        while rest % 5 == 0 {
            rest /= 5
            fives += 1
        }
        guard rest == 1 else { return "\(r.numerator)/\(r.denominator)" }

        let places = max(twos, fives, minPlaces)
        var (integer, remainder) = r.numerator.magnitude.quotientAndRemainder(dividingBy: d)
        var text = r.numerator < 0 ? "-" : ""
        text += String(integer)
        if places > 0 { text.append(".") }
        for _ in 0..<places {
            // remainder < d, so the quotient is a single digit and cannot trap.
            (integer, remainder) = d.dividingFullWidth(remainder.multipliedFullWidth(by: 10))
            text += String(integer)
        }
        return text
    }

    /// `exactText` the Danish way, for messages to a Danish reader: the same exact digits, with a
    /// decimal comma and points between thousands ("-1.000,00", "12,5"); a fraction stays one.
    public func danishExactText(minPlaces: Int = 0) -> String {
        guard isTerminatingDecimal else { return exactText(minPlaces: minPlaces) }
        let text = exactText(minPlaces: minPlaces)
        let places = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? 0
        // The digits are exact at `places` decimals, so rounding to them changes nothing.
        return formatted(places: places, decimalSeparator: ",", groupingSeparator: ".")
    }

    /// Whether `exactText` prints a decimal: the reduced denominator has no prime factors
    /// other than 2 and 5.
    public var isTerminatingDecimal: Bool {
        let d = UInt128(reduced().denominator)
        var rest = d >> d.trailingZeroBitCount
        while rest % 5 == 0 { rest /= 5 }
        return rest == 1
    }

    /// |value| rounded to `places` (0...38) as integer and fraction digits, so callers never
    /// need the scaled value to fit Int128. `negative` is false when the result is zero.
    private func roundedParts(places: Int, rule: RoundingRule)
        -> (negative: Bool, integer: UInt128, fraction: UInt128)
    {
        let d = UInt128(denominator)
        var (integer, remainder) = numerator.magnitude.quotientAndRemainder(dividingBy: d)
        let scale = Exact.powersOfTen[places]
        // remainder < d, so remainder·scale / d < scale: the quotient fits and cannot trap.
        var (fraction, rest) = d.dividingFullWidth(remainder.multipliedFullWidth(by: scale))
        switch rule {
        case .toNearestOrAwayFromZero:
            // rest >= d - rest is 2·rest >= d without the overflow.
            if rest != 0 && rest >= d - rest { fraction += 1 }
        }
        if fraction == scale {
            fraction = 0
            integer += 1
        }
        return (numerator < 0 && (integer != 0 || fraction != 0), integer, fraction)
    }
}

extension Exact: CustomStringConvertible {
    /// The exact text, so string interpolation can never silently round a value.
    public var description: String { exactText() }
}
