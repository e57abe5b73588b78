// Exact rational arithmetic for money and shares. A legal decision must never hinge on binary
// rounding: 50 % has to equal 50 %, and 0.1 + 0.2 has to equal 0.3.

/// An exact rational number, numerator / denominator with denominator > 0, not necessarily in
/// lowest terms: keeping øre values over 100 lets the hot path add them without any gcd.
public struct Exact: Sendable {
    /// Carries the sign, so the denominator never has to be inspected for it.
    public let numerator: Int128
    /// Always positive, which keeps comparison a plain cross multiplication.
    public let denominator: Int128

    /// For internal callers that already guarantee `denominator > 0`; skips all checks.
    @inlinable @inline(__always)
    public init(raw numerator: Int128, _ denominator: Int128) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Whole numbers need no denominator bookkeeping, so this cannot fail.
    @inlinable
    public init(integer: Int128) {
        self.init(raw: integer, 1)
    }

    /// Builds a fraction from untrusted parts; nil for a zero denominator or when moving the sign
    /// to the numerator overflows even after cancelling common factors (e.g. Int128.min / -1).
    @inlinable
    public init?(numerator: Int128, denominator: Int128) {
        if denominator > 0 {
            self.init(raw: numerator, denominator)
        } else if denominator == 0 {
            return nil
        } else if numerator != .min && denominator != .min {
            self.init(raw: -numerator, -denominator)
        } else {
            let g = Exact.gcd(numerator.magnitude, denominator.magnitude)
            guard
                let value = Exact.make(
                    magnitude: numerator.magnitude / g, negative: numerator > 0,
                    denominator: denominator.magnitude / g)
            else { return nil }
            self = value
        }
    }

    /// Money arrives as whole minor units (øre) with a fixed scale; the denominator stays 10^scale
    /// so sums of amounts with the same scale take the equal-denominator fast path.
    /// Nil when `scale` is outside 0...30.
    @inlinable
    public init?(minorUnits: Int128, scale: Int) {
        guard (0...Exact.maxPlaces).contains(scale) else { return nil }
        self.init(raw: minorUnits, Int128(Exact.powersOfTen[scale]))
    }

    /// Danish kroner are counted in øre, so `Exact(øre: 12345)` is 123.45 kr; cannot overflow.
    @inlinable
    public init(øre: Int128) {
        self.init(raw: øre, 100)
    }

    /// The additive identity, shared so callers need not build it repeatedly.
    public static let zero = Exact(raw: 0, 1)
    /// The multiplicative identity, e.g. a 100 % share.
    public static let one = Exact(raw: 1, 1)

    /// True for any zero fraction such as 0/7; callers test it before dividing.
    public var isZero: Bool { numerator == 0 }
    /// The denominator is positive, so the sign lives in the numerator alone.
    public var isNegative: Bool { numerator < 0 }
    /// Value-wise, so 4/2 counts as an integer even though it is not reduced.
    public var isInteger: Bool { denominator == 1 || numerator % denominator == 0 }

    /// Lowest terms, for hashing, display and rescuing operations that would otherwise overflow.
    @inlinable
    public func reduced() -> Exact {
        if denominator == 1 { return self }
        // g divides the denominator, so it fits in Int128 and the divisions below are exact.
        let g = Exact.gcd(numerator.magnitude, UInt128(denominator))
        if g == 1 { return self }
        return Exact(raw: numerator / Int128(g), denominator / Int128(g))
    }

    /// Nil only when the value is exactly -2^127 in lowest terms, whose negation has no Int128.
    @inlinable
    public func negated() -> Exact? {
        if numerator != .min { return Exact(raw: -numerator, denominator) }
        let r = reduced()
        guard r.numerator != .min else { return nil }
        return Exact(raw: -r.numerator, r.denominator)
    }

    /// Picks the smaller value; on a tie the first argument, so results stay predictable.
    @inlinable
    public static func minimum(_ a: Exact, _ b: Exact) -> Exact { b < a ? b : a }
    /// Picks the larger value; on a tie the first argument, so results stay predictable.
    @inlinable
    public static func maximum(_ a: Exact, _ b: Exact) -> Exact { a < b ? b : a }
}

// MARK: - Arithmetic

extension Exact {
    /// Above this denominator results are reduced, so repeated operations do not drift towards
    /// overflow; below it the gcd is skipped because it is the expensive part.
    @usableFromInline
    static var denominatorLimit: Int128 { 1_000_000_000_000_000_000_000_000 }
    /// The most decimal places parsing and `init(minorUnits:scale:)` accept.
    @usableFromInline
    static var maxPlaces: Int { 30 }
    /// 10^0 ... 10^38: every power of ten that fits in Int128.
    @usableFromInline
    static let powersOfTen: [UInt128] = (0..<38).reduce(into: [1]) { table, _ in
        table.append((table.last ?? 1) * 10)
    }

    /// Nil on overflow that survives reduction to lowest terms; never traps. The equal-denominator
    /// case (amounts in øre) is inlined into the caller; it is the first case of `sum` as well.
    @inline(__always)
    @inlinable
    public func adding(_ other: Exact) -> Exact? {
        if denominator == other.denominator {
            let (s, o) = numerator.addingReportingOverflow(other.numerator)
            if !o { return Exact(raw: s, denominator) }
        }
        return sum(other, subtract: false)
    }

    /// Nil on overflow that survives reduction to lowest terms; never traps.
    @inline(__always)
    @inlinable
    public func subtracting(_ other: Exact) -> Exact? {
        if denominator == other.denominator {
            let (s, o) = numerator.subtractingReportingOverflow(other.numerator)
            if !o { return Exact(raw: s, denominator) }
        }
        return sum(other, subtract: true)
    }

    /// Nil on overflow that survives cross-cancelling the operands; never traps.
    @inlinable
    public func multiplying(_ other: Exact) -> Exact? {
        let (n, o1) = numerator.multipliedReportingOverflow(by: other.numerator)
        if denominator == 1 && other.denominator == 1 {
            if !o1 { return Exact(raw: n, 1) }
        } else {
            let (d, o2) = denominator.multipliedReportingOverflow(by: other.denominator)
            if !o1 && !o2 { return Exact.settled(n, d) }
        }
        let x = reduced()
        let y = other.reduced()
        return Exact.crossReducedProduct(
            x.numerator.magnitude, UInt128(x.denominator),
            y.numerator.magnitude, UInt128(y.denominator),
            negative: (x.numerator < 0) != (y.numerator < 0))
    }

    /// Nil on overflow and also on division by zero, so a bad rule can never crash the engine.
    /// When every part fits in 64 bits the cross products cannot overflow, so the result is the
    /// one `divided(by:)` computes, without its overflow checks; inlined into the caller.
    @inline(__always)
    @inlinable
    public func dividing(_ other: Exact) -> Exact? {
        if other.numerator != 0 && Exact.smallCrossProducts(self, other) {
            let n = numerator &* other.denominator
            let d = denominator &* other.numerator
            return d > 0 ? Exact.settled(n, d) : Exact.settled(0 &- n, 0 &- d)
        }
        return divided(by: other)
    }

    /// `dividing(_:)` in general.
    @inlinable
    func divided(by other: Exact) -> Exact? {
        guard other.numerator != 0 else { return nil }
        let (n, o1) = numerator.multipliedReportingOverflow(by: other.denominator)
        let (d, o2) = denominator.multipliedReportingOverflow(by: other.numerator)
        if !o1 && !o2 {
            if d > 0 { return Exact.settled(n, d) }
            if n != .min && d != .min { return Exact.settled(-n, -d) }
        }
        let x = reduced()
        let y = other.reduced()
        return Exact.crossReducedProduct(
            x.numerator.magnitude, UInt128(x.denominator),
            UInt128(y.denominator), y.numerator.magnitude,
            negative: (x.numerator < 0) != (y.numerator < 0))
    }

    /// Shared by adding and subtracting so the fast paths exist once. When every part fits in 64
    /// bits no product or sum below can overflow, so each case is `checkedSum`'s own case without
    /// its overflow checks, giving the same fraction.
    @inlinable
    func sum(_ other: Exact, subtract: Bool) -> Exact? {
        if Exact.smallCrossProducts(self, other) {
            @inline(__always) func combine(_ a: Int128, _ b: Int128) -> Int128 { subtract ? a &- b : a &+ b }
            if denominator == other.denominator { return Exact(raw: combine(numerator, other.numerator), denominator) }
            if other.denominator == 1 { return Exact(raw: combine(numerator, other.numerator &* denominator), denominator) }
            if denominator == 1 { return Exact(raw: combine(numerator &* other.denominator, other.numerator), other.denominator) }
            return Exact.settled(
                combine(numerator &* other.denominator, other.numerator &* denominator),
                denominator &* other.denominator)
        }
        return checkedSum(other, subtract: subtract)
    }

    /// `sum` with every step checked for overflow, falling back to the exact 256-bit path.
    @inlinable
    func checkedSum(_ other: Exact, subtract: Bool) -> Exact? {
        @inline(__always) func combine(_ a: Int128, _ b: Int128) -> (partialValue: Int128, overflow: Bool) {
            subtract ? a.subtractingReportingOverflow(b) : a.addingReportingOverflow(b)
        }
        if denominator == other.denominator {
            let (s, o) = combine(numerator, other.numerator)
            if !o { return Exact(raw: s, denominator) }
        } else if other.denominator == 1 {
            let (scaled, o1) = other.numerator.multipliedReportingOverflow(by: denominator)
            let (s, o2) = combine(numerator, scaled)
            if !o1 && !o2 { return Exact(raw: s, denominator) }
        } else if denominator == 1 {
            let (scaled, o1) = numerator.multipliedReportingOverflow(by: other.denominator)
            let (s, o2) = combine(scaled, other.numerator)
            if !o1 && !o2 { return Exact(raw: s, other.denominator) }
        } else {
            let (a, o1) = numerator.multipliedReportingOverflow(by: other.denominator)
            let (b, o2) = other.numerator.multipliedReportingOverflow(by: denominator)
            let (d, o3) = denominator.multipliedReportingOverflow(by: other.denominator)
            let (s, o4) = combine(a, b)
            if !(o1 || o2 || o3 || o4) { return Exact.settled(s, d) }
        }
        return Exact.exactSum(reduced(), other.reduced(), subtract: subtract)
    }

    /// Keeps denominators small without paying for a gcd on every operation.
    @inline(__always)
    @inlinable
    static func settled(_ n: Int128, _ d: Int128) -> Exact {
        let value = Exact(raw: n, d)
        return d > denominatorLimit ? value.reduced() : value
    }

    /// Slow path for sums of reduced operands (Knuth, TAOCP 4.5.1): the 256-bit intermediate
    /// means nil is returned only when the lowest-terms result itself does not fit.
    @inlinable
    static func exactSum(_ x: Exact, _ y: Exact, subtract: Bool) -> Exact? {
        let xd = UInt128(x.denominator)
        let yd = UInt128(y.denominator)
        let g = gcd(xd, yd)
        // Each product is below 2^254 in magnitude, so neither negation nor the sum overflows.
        let p = wide(x.numerator.multipliedFullWidth(by: Int128(yd / g)))
        let q = wide(y.numerator.multipliedFullWidth(by: Int128(xd / g)))
        let t = add(p, subtract ? negate(q) : q)
        let negative = t.high >> 127 == 1
        let m = negative ? negate(t) : t
        // The only factor t can share with xd·yd/g is one of g.
        let g2 = gcd(divide(m, by: g).remainder, g)
        let quotient = divide(m, by: g2)
        let (den, overflow) = (xd / g).multipliedReportingOverflow(by: yd / g2)
        guard quotient.high == 0, !overflow else { return nil }
        return make(magnitude: quotient.low, negative: negative, denominator: den)
    }

    /// (an/ad)·(bn/bd) for reduced operands; cancelling crosswise first makes the result lowest
    /// terms, so an overflow here is a real one.
    @inlinable
    static func crossReducedProduct(
        _ an: UInt128, _ ad: UInt128, _ bn: UInt128, _ bd: UInt128, negative: Bool
    ) -> Exact? {
        if an == 0 || bn == 0 { return .zero }
        let g1 = gcd(an, bd)
        let g2 = gcd(bn, ad)
        let (n, o1) = (an / g1).multipliedReportingOverflow(by: bn / g2)
        let (d, o2) = (ad / g2).multipliedReportingOverflow(by: bd / g1)
        guard !o1, !o2 else { return nil }
        return make(magnitude: n, negative: negative, denominator: d)
    }

    /// Sign-magnitude results from the slow paths; nil when they do not fit Int128.
    @inlinable
    static func make(magnitude: UInt128, negative: Bool, denominator: UInt128) -> Exact? {
        let limit = UInt128(Int128.max)
        guard denominator != 0, denominator <= limit else { return nil }
        guard magnitude <= (negative ? limit + 1 : limit) else { return nil }
        let n = negative ? Int128(bitPattern: 0 &- magnitude) : Int128(magnitude)
        return Exact(raw: n, Int128(denominator))
    }

    /// Binary gcd: shifts and subtractions only, as 128-bit division is slow. gcd(0, b) == b.
    /// Generic so that the 64-bit fast paths (the trace stream's number text) use the same code;
    /// each width is specialized.
    @inline(__always)
    @inlinable
    public static func gcd<Word: FixedWidthInteger & UnsignedInteger>(_ a: Word, _ b: Word) -> Word {
        if a == 0 { return b }
        if b == 0 { return a }
        let shift = (a | b).trailingZeroBitCount
        var a = a >> a.trailingZeroBitCount
        var b = b
        repeat {
            b >>= b.trailingZeroBitCount
            if a > b { swap(&a, &b) }
            b -= a
        } while b != 0
        return a << shift
    }

    /// A 256-bit two's complement value, enough for any product of two Int128 values.
    @usableFromInline
    typealias Wide = (high: UInt128, low: UInt128)

    @inlinable
    static func wide(_ p: (high: Int128, low: UInt128)) -> Wide {
        (UInt128(bitPattern: p.high), p.low)
    }

    @inlinable
    static func negate(_ w: Wide) -> Wide {
        (~w.high &+ (w.low == 0 ? 1 : 0), 0 &- w.low)
    }

    @inlinable
    static func add(_ a: Wide, _ b: Wide) -> Wide {
        let low = a.low &+ b.low
        return (a.high &+ b.high &+ (low < a.low ? 1 : 0), low)
    }

    /// Unsigned 256-by-128 division, done as two full-width steps so neither can trap.
    @inlinable
    static func divide(_ w: Wide, by d: UInt128) -> (high: UInt128, low: UInt128, remainder: UInt128) {
        let (qHigh, r) = w.high.quotientAndRemainder(dividingBy: d)
        let (qLow, remainder) = d.dividingFullWidth((r, w.low))
        return (qHigh, qLow, remainder)
    }
}

// MARK: - Comparison and hashing

extension Exact: Comparable, Hashable {
    /// By value (1/2 == 50/100), through a 256-bit cross product that cannot overflow.
    @inlinable
    public static func == (lhs: Exact, rhs: Exact) -> Bool {
        if lhs.denominator == rhs.denominator { return lhs.numerator == rhs.numerator }
        if smallCrossProducts(lhs, rhs) { return lhs.numerator &* rhs.denominator == rhs.numerator &* lhs.denominator }
        let a = lhs.numerator.multipliedFullWidth(by: rhs.denominator)
        let b = rhs.numerator.multipliedFullWidth(by: lhs.denominator)
        return a.high == b.high && a.low == b.low
    }

    /// By value, through a 256-bit cross product that cannot overflow; denominators are positive
    /// so the inequality keeps its direction.
    @inlinable
    public static func < (lhs: Exact, rhs: Exact) -> Bool {
        if lhs.denominator == rhs.denominator { return lhs.numerator < rhs.numerator }
        if smallCrossProducts(lhs, rhs) { return lhs.numerator &* rhs.denominator < rhs.numerator &* lhs.denominator }
        let a = lhs.numerator.multipliedFullWidth(by: rhs.denominator)
        let b = rhs.numerator.multipliedFullWidth(by: lhs.denominator)
        return a.high < b.high || (a.high == b.high && a.low < b.low)
    }

    /// -1, 0 or 1 as `lhs` is below, equal to or above `rhs`: one cross multiplication where `<`
    /// followed by `==` would make two.
    @inline(__always)
    @inlinable
    public static func order(_ lhs: Exact, _ rhs: Exact) -> Int {
        if lhs.denominator == rhs.denominator {
            return lhs.numerator < rhs.numerator ? -1 : (lhs.numerator == rhs.numerator ? 0 : 1)
        }
        if smallCrossProducts(lhs, rhs) {
            let l = lhs.numerator &* rhs.denominator
            let r = rhs.numerator &* lhs.denominator
            return l < r ? -1 : (l == r ? 0 : 1)
        }
        return lhs < rhs ? -1 : (lhs == rhs ? 0 : 1)
    }

    /// Whether every part fits in 64 bits (-2^63 ... 2^63 - 1), so both cross products fit in Int128
    /// (at most 2^126 in magnitude) and need no 256-bit multiplication: the usual case, amounts and shares.
    @inline(__always)
    @inlinable
    static func smallCrossProducts(_ lhs: Exact, _ rhs: Exact) -> Bool {
        // A part fits when it equals its own low 64 bits sign-extended: a few instructions, where
        // `magnitude` of an Int128 takes a negation and a 128-bit comparison.
        @inline(__always) func fits(_ value: Int128) -> Bool { Int128(Int64(truncatingIfNeeded: value)) == value }
        return fits(lhs.numerator) && fits(rhs.numerator) && fits(lhs.denominator) && fits(rhs.denominator)
    }

    /// Hashes the lowest terms, so values that compare equal hash equal.
    @inlinable
    public func hash(into hasher: inout Hasher) {
        let r = reduced()
        hasher.combine(r.numerator)
        hasher.combine(r.denominator)
    }
}

// MARK: - Parsing

/// Why a numeric literal was rejected, phrased to be embedded in a diagnostic.
public struct ExactParseError: Error, Equatable, Sendable {
    /// Lower-case and without a full stop, so callers can prefix a location.
    public let message: String

    /// Public so other lexers can report number problems in the same shape.
    public init(message: String) {
        self.message = message
    }
}

extension Exact {
    /// Parses a plain decimal such as "-12.50" or "1.5E-2" without ever going through binary
    /// floating point. Rejects underscores, "1." and ".5"; JSON-specific rules are checked elsewhere.
    public static func parse(_ text: Substring) -> Result<Exact, ExactParseError> {
        parseWithPlaces(text).map { $0.value }
    }

    /// Like `parse`, plus the decimal places the text carries after the exponent is applied
    /// ("12.50" → 2, "1e-3" → 3, "1.5e1" → 0), so callers can reject money with more than 2.
    public static func parseWithPlaces(_ text: Substring) -> Result<(value: Exact, places: Int), ExactParseError> {
        typealias Outcome = Result<(value: Exact, places: Int), ExactParseError>
        let bytes = text.utf8
        var index = bytes.startIndex
        func fail(_ message: String) -> Outcome { .failure(ExactParseError(message: message)) }
        func expected(_ what: String) -> Outcome {
            guard let found = text.unicodeScalars[index...].first else { return fail("expected \(what)") }
            return fail("expected \(what) but found '\(found.escaped(asASCII: false))'")
        }
        func peek(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
            guard index != bytes.endIndex else { return false }
            let c = bytes[index]
            return c == UInt8(ascii: a) || c == UInt8(ascii: b)
        }
        func digit() -> UInt8? {
            guard index != bytes.endIndex else { return nil }
            let d = bytes[index] &- UInt8(ascii: "0")
            return d < 10 ? d : nil
        }
        guard index != bytes.endIndex else { return fail("empty number") }
        let negative = peek("-", "-")
        if negative || peek("+", "+") { bytes.formIndex(after: &index) }

        var mantissa: UInt128 = 0
        var tooLarge = false
        var integerDigits = 0
        var fractionDigits = 0
        while let d = digit() {
            accumulate(d, into: &mantissa, tooLarge: &tooLarge)
            integerDigits += 1
            bytes.formIndex(after: &index)
        }
        guard integerDigits > 0 else { return expected("a digit") }
        if peek(".", ".") {
            bytes.formIndex(after: &index)
            while let d = digit() {
                accumulate(d, into: &mantissa, tooLarge: &tooLarge)
                fractionDigits += 1
                bytes.formIndex(after: &index)
            }
            guard fractionDigits > 0 else { return expected("a digit after the decimal point") }
        }
        var exponent = 0
        if peek("e", "E") {
            bytes.formIndex(after: &index)
            let negativeExponent = peek("-", "-")
            if negativeExponent || peek("+", "+") { bytes.formIndex(after: &index) }
            var exponentDigits = 0
            while let d = digit() {
                // Clamped: anything this large is out of range anyway, and Int must not overflow.
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(d) }
                exponentDigits += 1
                bytes.formIndex(after: &index)
            }
            guard exponentDigits > 0 else { return expected("a digit in the exponent") }
            if negativeExponent { exponent = -exponent }
        }
        if let extra = text.unicodeScalars[index...].first {
            return fail("unexpected character '\(extra.escaped(asASCII: false))'")
        }

        let places = fractionDigits - exponent
        guard places <= maxPlaces else { return fail("number has more than \(maxPlaces) decimal places") }
        let outOfRange = fail("number is outside the exact range")
        guard !tooLarge else { return outOfRange }
        if mantissa == 0 { return .success((.zero, max(places, 0))) }
        if places >= 0 {
            guard let value = make(magnitude: mantissa, negative: negative, denominator: powersOfTen[places])
            else { return outOfRange }
            return .success((value, places))
        }
        guard -places < powersOfTen.count else { return outOfRange }
        let (scaled, overflow) = mantissa.multipliedReportingOverflow(by: powersOfTen[-places])
        guard !overflow, let value = make(magnitude: scaled, negative: negative, denominator: 1)
        else { return outOfRange }
        return .success((value, 0))
    }

    /// Keeps scanning after an overflow so syntax errors are still reported before range errors.
    private static func accumulate(_ digit: UInt8, into mantissa: inout UInt128, tooLarge: inout Bool) {
        let (m, o1) = mantissa.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(UInt128(digit))
        mantissa = s
        tooLarge = tooLarge || o1 || o2
    }
}
