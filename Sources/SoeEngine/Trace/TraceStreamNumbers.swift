import SoeLanguage

// Exact numbers in `soe-trace-stream/3` rows: the same text as `Exact.exactText(minPlaces:)` (two
// places at least for money), written without making a String.
//
// `exactText` reduces the fraction first (a 128-bit gcd), then prints a decimal when the reduced
// denominator has no prime factors but 2 and 5, else `n/d`. Numbers in a batch are mostly amounts
// in øre, whole numbers and percentages, whose denominator is a power of ten: for those the
// reduced form only drops the common trailing zeros, so no gcd is needed at all. Everything else
// that fits 64 bits is reduced with a 64-bit gcd; wider numbers take `exactText` itself.

extension ByteWriter {
    /// The exact text of a number in quotes.
    mutating func exact(_ value: Exact, money: Bool) {
        let minPlaces = money ? 2 : 0
        if let numerator = Int64(exactly: value.numerator), numerator != .min,
            let denominator = UInt64(exactly: value.denominator), denominator > 0
        {
            room(ByteWriter.pieceRoom)
            let start = used
            base[used] = UInt8(ascii: "\"")
            used &+= 1
            if numerator < 0 {
                base[used] = UInt8(ascii: "-")
                used &+= 1
            }
            if small(numerator.magnitude, denominator, minPlaces: minPlaces) {
                base[used] = UInt8(ascii: "\"")
                used &+= 1
                return
            }
            used = start
        }
        quoted(value.exactText(minPlaces: minPlaces))
    }

    /// `magnitude / denominator` as `exactText` writes it, after the sign; false (with anything
    /// written left for the caller to discard) when it does not fit the 64-bit path.
    @inline(__always)
    private mutating func small(_ magnitude: UInt64, _ denominator: UInt64, minPlaces: Int) -> Bool {
        var m = magnitude
        if let tens = ByteWriter.powerOfTen(denominator) {
            // m / 10^tens in lowest terms is m' / 10^places, m' being m without its last
            // (tens − places) zero digits: those are the only factors m shares with 10^tens.
            var places = tens
            while places > 0, m % 10 == 0 {
                m /= 10
                places -= 1
            }
            decimal(m, places: places, minPlaces: minPlaces)
            return true
        }
        let common = gcd(m, denominator)
        m /= common
        let d = denominator / common
        var rest = d >> d.trailingZeroBitCount
        var fives = 0
        while rest % 5 == 0 {
            rest /= 5
            fives += 1
        }
        guard rest == 1 else {
            digits(m)
            base[used] = UInt8(ascii: "/")
            used &+= 1
            digits(d)
            return true
        }
        // A reduced denominator 2^a·5^b: as many places as the larger power, m scaled to them.
        let places = max(d.trailingZeroBitCount, fives)
        guard places <= 19 else { return false }
        let (scaled, overflow) = m.multipliedReportingOverflow(by: ByteWriter.tenTo(places) / d)
        guard !overflow else {
            // Exactly divisible, so whole and fraction are those of m / d.
            let (whole, remainder) = m.quotientAndRemainder(dividingBy: d)
            let wide = UInt128(remainder) * UInt128(ByteWriter.tenTo(places) / d)
            guard let fraction = UInt64(exactly: wide) else { return false }
            digits(whole)
            fraction64(fraction, places: places, minPlaces: minPlaces)
            return true
        }
        decimal(scaled, places: places, minPlaces: minPlaces)
        return true
    }

    /// `m / 10^places` with at least `minPlaces` places (room already made).
    @inline(__always)
    private mutating func decimal(_ m: UInt64, places: Int, minPlaces: Int) {
        guard places > 0 else {
            digits(m)
            fraction64(0, places: 0, minPlaces: minPlaces)
            return
        }
        if places == 2 {
            // Øre: a division by a constant, which the compiler makes a multiplication.
            digits(m / 100)
            fraction64(m % 100, places: 2, minPlaces: minPlaces)
            return
        }
        let scale = ByteWriter.tenTo(places)
        digits(m / scale)
        fraction64(m % scale, places: places, minPlaces: minPlaces)
    }

    /// `.` and the `places` digits of `fraction`, then zeros up to `minPlaces`; nothing when both
    /// are zero.
    @inline(__always)
    private mutating func fraction64(_ fraction: UInt64, places: Int, minPlaces: Int) {
        let shown = max(places, minPlaces)
        guard shown > 0 else { return }
        base[used] = UInt8(ascii: ".")
        used &+= 1
        if places > 0 { fixedDigits(fraction, count: places) }
        for _ in places..<shown {
            base[used] = UInt8(ascii: "0")
            used &+= 1
        }
    }

    /// k when `value` is 10^k, else nil.
    @inline(__always)
    static func powerOfTen(_ value: UInt64) -> Int? {
        switch value {
        case 1: 0
        case 10: 1
        case 100: 2
        case 1000: 3
        case 10000: 4
        case 100_000: 5
        case 1_000_000: 6
        default:
            // Rare: a long chain of percentages. Counted the slow way.
            value.isMultiple(of: 10) ? ByteWriter.countTens(value) : nil
        }
    }

    static func countTens(_ value: UInt64) -> Int? {
        var rest = value
        var tens = 0
        while rest % 10 == 0 {
            rest /= 10
            tens += 1
        }
        return rest == 1 ? tens : nil
    }

    /// 10^places for places 0...19.
    @inline(__always)
    static func tenTo(_ places: Int) -> UInt64 {
        switch places {
        case 0: return 1
        case 1: return 10
        case 2: return 100
        case 3: return 1000
        case 4: return 10000
        default:
            var result: UInt64 = 100_000
            for _ in 5..<places { result &*= 10 }
            return result
        }
    }

    /// gcd(m, d), from the fractions reduced lately when it is one of them.
    @inline(__always)
    private mutating func gcd(_ m: UInt64, _ d: UInt64) -> UInt64 {
        let f = reducedFractions
        if f.0.0 == m, f.0.1 == d { return f.0.2 }
        if f.1.0 == m, f.1.1 == d { return f.1.2 }
        if f.2.0 == m, f.2.1 == d { return f.2.2 }
        if f.3.0 == m, f.3.1 == d { return f.3.2 }
        let common = Exact.gcd(m, d)
        switch nextFraction {
        case 0: reducedFractions.0 = (m, d, common)
        case 1: reducedFractions.1 = (m, d, common)
        case 2: reducedFractions.2 = (m, d, common)
        default: reducedFractions.3 = (m, d, common)
        }
        nextFraction = (nextFraction + 1) & 3
        return common
    }

}

extension TraceStreamWriter {
    /// One VALUE of the format, appended to `bytes` (the header's dated and constant values).
    static func append(_ evaluated: Evaluated, _ type: ValueType, to bytes: inout [UInt8]) {
        ByteWriter.write(into: &bytes) { $0.value(evaluated, money: type == .money) }
    }

    /// The same text as `Exact.exactText(minPlaces:)` in quotes (two places at least for money).
    static func appendExact(_ value: Exact, money: Bool, to bytes: inout [UInt8]) {
        ByteWriter.write(into: &bytes) { $0.exact(value, money: money) }
    }
}
