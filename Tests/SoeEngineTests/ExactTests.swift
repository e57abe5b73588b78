import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

// Exact is the ground every amount and share in a decision stands on, so these tables pin down
// value semantics, overflow behaviour (nil, never a trap), parsing and both kinds of text output.

/// Shorthand for a fraction in a table. An invalid pair (a typo) becomes a sentinel value that
/// no expectation uses, so the case fails instead of the test crashing.
private func q(_ n: Int128, _ d: Int128 = 1) -> Exact {
    Exact(numerator: n, denominator: d) ?? Exact(raw: 987_654_321, 1)
}

/// Parses a table literal; an unparsable literal yields a value no expectation uses.
private func x(_ text: String) -> Exact {
    (try? Exact.parse(text[...]).get()) ?? Exact(raw: 987_654_321, 1)
}

private let big = Int128.max / 3

// MARK: - Arithmetic

struct ArithmeticCase: Sendable, CustomTestStringConvertible {
    enum Op: Sendable { case add, subtract, multiply, divide }
    let note: String, lhs: Exact, op: Op, rhs: Exact, expected: Exact?
    var testDescription: String { note }

    func run() -> Exact? {
        switch op {
        case .add: lhs.adding(rhs)
        case .subtract: lhs.subtracting(rhs)
        case .multiply: lhs.multiplying(rhs)
        case .divide: lhs.dividing(rhs)
        }
    }
}

@Test(arguments: [
    ArithmeticCase(note: "0.1 + 0.2 is exactly 0.3", lhs: x("0.1"), op: .add, rhs: x("0.2"), expected: x("0.3")),
    ArithmeticCase(note: "1/3 + 1/6 = 1/2", lhs: q(1, 3), op: .add, rhs: q(1, 6), expected: q(1, 2)),
    ArithmeticCase(note: "integer plus fraction", lhs: q(2), op: .add, rhs: q(1, 4), expected: q(9, 4)),
    ArithmeticCase(note: "fraction minus integer", lhs: q(1, 4), op: .subtract, rhs: q(1), expected: q(-3, 4)),
    ArithmeticCase(note: "øre minus øre", lhs: x("10.05"), op: .subtract, rhs: x("0.10"), expected: x("9.95")),
    ArithmeticCase(note: "50 % of 4.200.000 kr", lhs: x("0.5"), op: .multiply, rhs: x("4200000.00"), expected: q(2_100_000)),
    ArithmeticCase(note: "negative times negative", lhs: q(-2, 3), op: .multiply, rhs: q(-3, 4), expected: q(1, 2)),
    ArithmeticCase(note: "divide by a negative moves the sign up", lhs: q(1, 2), op: .divide, rhs: q(-1, 4), expected: q(-2)),
    ArithmeticCase(note: "1 / 3 stays exact", lhs: q(1), op: .divide, rhs: q(3), expected: q(1, 3)),
    ArithmeticCase(note: "division by zero is nil", lhs: q(1), op: .divide, rhs: .zero, expected: nil),
    ArithmeticCase(note: "zero divided by zero is nil", lhs: .zero, op: .divide, rhs: q(0, 7), expected: nil),
    ArithmeticCase(note: "Int128.max + 1 overflows to nil", lhs: q(.max), op: .add, rhs: .one, expected: nil),
    ArithmeticCase(note: "Int128.min - 1 overflows to nil", lhs: q(.min), op: .subtract, rhs: .one, expected: nil),
    ArithmeticCase(note: "huge multiply overflows to nil", lhs: q(big), op: .multiply, rhs: q(big), expected: nil),
    ArithmeticCase(note: "Int128.min / -1 overflows to nil", lhs: q(.min), op: .divide, rhs: q(-1), expected: nil),
    ArithmeticCase(note: "Int128.min * -1 overflows to nil", lhs: q(.min), op: .multiply, rhs: q(-1), expected: nil),
    ArithmeticCase(note: "huge denominators overflow to nil", lhs: q(1, big), op: .add, rhs: q(1, big - 1), expected: nil),
    ArithmeticCase(note: "Int128.max - Int128.max is zero", lhs: q(.max), op: .subtract, rhs: q(.max), expected: .zero),
    ArithmeticCase(note: "Int128.min / 2 fits", lhs: q(.min), op: .divide, rhs: q(2), expected: q(.min / 2)),
    ArithmeticCase(
        note: "unreduced product overflows but reduces to fit", lhs: q(10_000_000_000_000_000_000_000_000_000_000, 10_000_000_000),
        op: .multiply, rhs: q(100_000_000_000_000_000_000, 10_000_000_000), expected: q(10_000_000_000_000_000_000_000_000_000_000)),
    ArithmeticCase(
        note: "cross products overflow 128 bits but the difference fits", lhs: q(100_000_000_000_000_000_000_000_000_000_000_000_001, 6),
        op: .subtract, rhs: q(100_000_000_000_000_000_000_000_000_000_000_000_001, 7),
        expected: q(100_000_000_000_000_000_000_000_000_000_000_000_001, 42)),
    ArithmeticCase(note: "2·Int128.max/3 does not fit", lhs: q(.max, 3), op: .add, rhs: q(.max, 3), expected: nil),
    ArithmeticCase(note: "big / big over a big value divides out", lhs: q(big, big - 1), op: .divide, rhs: q(big, big - 1), expected: .one),
])
func arithmetic(_ c: ArithmeticCase) {
    let result = c.run()
    #expect(result == c.expected)
    if let result { #expect(result.denominator > 0) }
}

@Test func moneyStaysExactOverTenThousandAdditions() {
    let cent = Exact(minorUnits: 1, scale: 2) ?? .zero
    var sum = Exact.zero
    for _ in 0..<10_000 { sum = sum.adding(cent) ?? .zero }
    #expect(sum == x("100.00"))
    // The fast path must keep the øre denominator instead of drifting or reducing.
    #expect(sum.denominator == 100 && sum.numerator == 10_000)
}

@Test func randomArithmeticIsConsistent() {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int128 {  // SplitMix64, so the run is reproducible
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int128(Int64(bitPattern: z ^ (z >> 31)) % 100_000)
    }
    var failures = 0
    for _ in 0..<2_000 {
        let a = q(next(), Int128(next().magnitude % 999 + 1))
        let b = q(next(), Int128(next().magnitude % 999 + 1))
        guard let sum = a.adding(b), let back = sum.subtracting(b), let product = a.multiplying(b) else {
            failures += 1
            continue
        }
        if back != a { failures += 1 }
        if !b.isZero, product.dividing(b) != a { failures += 1 }
        if (a < b) != (b.subtracting(a).map { !$0.isNegative && !$0.isZero } ?? false) { failures += 1 }
        if a == b, a.hashValue != b.hashValue { failures += 1 }
    }
    #expect(failures == 0)
}

// MARK: - Value semantics

struct OrderCase: Sendable, CustomTestStringConvertible {
    let note: String, lhs: Exact, rhs: Exact, expected: Int  // -1: lhs < rhs, 0: equal, 1: lhs > rhs
    var testDescription: String { note }
}

@Test(arguments: [
    OrderCase(note: "1/2 == 50/100", lhs: q(1, 2), rhs: q(50, 100), expected: 0),
    OrderCase(note: "2/4 == 50/100, so also >=", lhs: q(2, 4), rhs: q(50, 100), expected: 0),
    OrderCase(note: "-1/2 == 1/-2", lhs: q(-1, 2), rhs: q(1, -2), expected: 0),
    OrderCase(note: "0/5 == 0", lhs: q(0, 5), rhs: .zero, expected: 0),
    OrderCase(note: "4/2 == 2", lhs: q(4, 2), rhs: q(2), expected: 0),
    OrderCase(note: "49.99 % < 50 %", lhs: x("0.4999"), rhs: x("0.5"), expected: -1),
    OrderCase(note: "N/(N-1) > (N+1)/N near Int128.max/3", lhs: q(big, big - 1), rhs: q(big + 1, big), expected: 1),
    OrderCase(note: "big/7 > big/11 although naive cross products wrap", lhs: q(big, 7), rhs: q(big, 11), expected: 1),
    OrderCase(note: "-big/7 < -big/11 although naive cross products wrap", lhs: q(-big, 7), rhs: q(-big, 11), expected: -1),
    OrderCase(note: "negated huge values flip", lhs: q(-big, big - 1), rhs: q(-(big + 1), big), expected: -1),
    OrderCase(note: "max/(max-1) < (max-1)/(max-2)", lhs: q(.max, .max - 1), rhs: q(.max - 1, .max - 2), expected: -1),
    OrderCase(note: "Int128.min < max/max", lhs: q(.min), rhs: q(.max, .max), expected: -1),
    OrderCase(note: "huge equal values with different denominators", lhs: q(big - 1, big), rhs: q((big - 1) * 2, big * 2), expected: 0),
])
func ordering(_ c: OrderCase) {
    #expect((c.lhs < c.rhs) == (c.expected < 0))
    #expect((c.lhs == c.rhs) == (c.expected == 0))
    #expect((c.lhs > c.rhs) == (c.expected > 0))
    #expect((c.lhs >= c.rhs) == (c.expected >= 0))
    if c.expected == 0 {
        #expect(c.lhs.hashValue == c.rhs.hashValue)
        #expect(Set([c.lhs, c.rhs]).count == 1)
    }
    #expect(Exact.minimum(c.lhs, c.rhs) == (c.expected > 0 ? c.rhs : c.lhs))
    #expect(Exact.maximum(c.lhs, c.rhs) == (c.expected < 0 ? c.rhs : c.lhs))
}

struct InitCase: Sendable, CustomTestStringConvertible {
    let note: String, made: Exact?, expected: (Int128, Int128)?
    var testDescription: String { note }
}

@Test(arguments: [
    InitCase(note: "denominator 0 is nil", made: Exact(numerator: 1, denominator: 0), expected: nil),
    InitCase(note: "negative denominator moves the sign", made: Exact(numerator: 1, denominator: -2), expected: (-1, 2)),
    InitCase(note: "Int128.min / -1 cannot be negated", made: Exact(numerator: .min, denominator: -1), expected: nil),
    InitCase(note: "Int128.min / -2 is rescued by reducing", made: Exact(numerator: .min, denominator: -2), expected: (1 << 126, 1)),
    InitCase(note: "Int128.min / Int128.min is one", made: Exact(numerator: .min, denominator: .min), expected: (1, 1)),
    InitCase(note: "øre helper", made: Exact(øre: 12345), expected: (12345, 100)),
    InitCase(note: "minor units keep their scale", made: Exact(minorUnits: 12345, scale: 2), expected: (12345, 100)),
    InitCase(note: "scale 30 is allowed", made: Exact(minorUnits: 1, scale: 30), expected: (1, 1_000_000_000_000_000_000_000_000_000_000)),
    InitCase(note: "scale 31 is nil", made: Exact(minorUnits: 1, scale: 31), expected: nil),
    InitCase(note: "negative scale is nil", made: Exact(minorUnits: 1, scale: -1), expected: nil),
    InitCase(note: "negating Int128.min is nil", made: q(.min).negated(), expected: nil),
    InitCase(note: "negating unreduced Int128.min/2 reduces", made: q(.min, 2).negated(), expected: (1 << 126, 1)),
    InitCase(note: "reduced is lowest terms", made: q(-50, 100).reduced(), expected: (-1, 2)),
    InitCase(note: "zero reduces to 0/1", made: q(0, 9).reduced(), expected: (0, 1)),
])
func construction(_ c: InitCase) {
    #expect(c.made?.numerator == c.expected?.0)
    #expect(c.made?.denominator == c.expected?.1)
}

@Test func predicates() {
    #expect(q(4, 2).isInteger && !q(1, 2).isInteger && q(.min, 1).isInteger)
    #expect(q(0, 3).isZero && !q(1, 3).isZero)
    #expect(q(-1, 3).isNegative && !q(0, 3).isNegative && !q(1, 3).isNegative)
    #expect(Exact(integer: 7) == q(14, 2))
}

// MARK: - Parsing

struct ParseCase: Sendable, CustomTestStringConvertible {
    let text: String, expected: Exact?, places: Int, message: String?
    var testDescription: String { "\"\(text)\"" }
    init(_ text: String, _ expected: Exact?, places: Int = 0, message: String? = nil) {
        (self.text, self.expected, self.places, self.message) = (text, expected, places, message)
    }
}

@Test(arguments: [
    ParseCase("12.50", q(25, 2), places: 2),
    ParseCase("-0", .zero),
    ParseCase("-0.00", .zero, places: 2),
    ParseCase("1e3", q(1000)),
    ParseCase("1.5E-2", q(15, 1000), places: 3),
    ParseCase("1.5e1", q(15)),
    ParseCase("1e-3", q(1, 1000), places: 3),
    ParseCase("+7", q(7)),
    ParseCase("007", q(7)),
    ParseCase("0e400", .zero),
    ParseCase("170141183460469231731687303715884105727", q(.max)),
    ParseCase("-170141183460469231731687303715884105728", q(.min)),
    ParseCase("0.000000000000000000000000000001", q(1, 1_000_000_000_000_000_000_000_000_000_000), places: 30),
    ParseCase("", nil, message: "empty number"),
    ParseCase("1.", nil, message: "expected a digit after the decimal point"),
    ParseCase(".5", nil, message: "expected a digit but found '.'"),
    ParseCase("1e400", nil, message: "number is outside the exact range"),
    ParseCase("170141183460469231731687303715884105728", nil, message: "number is outside the exact range"),
    ParseCase("abc", nil, message: "expected a digit but found 'a'"),
    ParseCase("1.2.3", nil, message: "unexpected character '.'"),
    ParseCase("--1", nil, message: "expected a digit but found '-'"),
    ParseCase("-", nil, message: "expected a digit"),
    ParseCase("1e", nil, message: "expected a digit in the exponent"),
    ParseCase("1e+", nil, message: "expected a digit in the exponent"),
    ParseCase("1_000", nil, message: "unexpected character '_'"),
    ParseCase(" 1", nil, message: "expected a digit but found ' '"),
    ParseCase("1 ", nil, message: "unexpected character ' '"),
    ParseCase("1e99999999999999999999999", nil, message: "number is outside the exact range"),
    ParseCase("1e-99999999999999999999999", nil, message: "number has more than 30 decimal places"),
    ParseCase("0.1234567890123456789012345678901", nil, message: "number has more than 30 decimal places"),
    ParseCase("٣", nil, message: "expected a digit but found '٣'"),
])
func parsing(_ c: ParseCase) {
    switch Exact.parseWithPlaces(c.text[...]) {
    case .success(let parsed):
        #expect(parsed.value == c.expected)
        #expect(parsed.places == c.places)
        #expect(c.message == nil)
    case .failure(let error):
        #expect(c.expected == nil)
        #expect(error.message == c.message)
    }
}

@Test func parseWorksOnSubstringsOfLargerText() {
    let line = "amount;1234.56;kr"
    let cell = line.split(separator: ";")[1]
    #expect((try? Exact.parse(cell).get()) == Exact(øre: 123456))
}

// MARK: - Formatting

struct FormatCase: Sendable, CustomTestStringConvertible {
    let note: String, value: Exact, places: Int, english: Bool, grouping: Bool, expected: String
    var testDescription: String { note }
}

private func f(_ note: String, _ value: Exact, _ places: Int, _ expected: String, english: Bool = false, grouping: Bool = true)
    -> FormatCase
{
    FormatCase(note: note, value: value, places: places, english: english, grouping: grouping, expected: expected)
}

@Test(arguments: [
    f("Danish grouping", q(4_200_000), 2, "4.200.000,00"),
    f("English grouping", q(4_200_000), 2, "4,200,000.00", english: true),
    f("no grouping", q(4_200_000), 2, "4200000,00", grouping: false),
    f("negative Danish", x("-1234.5"), 2, "-1.234,50"),
    f("half rounds up", x("0.125"), 2, "0,13"),
    f("negative half rounds away from zero", x("-0.125"), 2, "-0,13"),
    f("2/3 to two places", q(2, 3), 2, "0,67"),
    f("tiny negative prints without sign", x("-0.004"), 2, "0,00"),
    f("carry into the integer part and a new group", x("999.995"), 2, "1.000,00"),
    f("no decimals rounds half away", x("2.5"), 0, "3"),
    f("no decimals negative", x("-2.5"), 0, "-3"),
    f("group boundary", q(1234), 0, "1.234"),
    f("under a thousand", q(123), 0, "123"),
    f("below half rounds down", x("0.1249999"), 2, "0,12"),
    f("leading zeros in the fraction", x("1.05"), 2, "1,05"),
    f("Int128.max beyond Int128 once scaled", q(.max), 2, "170,141,183,460,469,231,731,687,303,715,884,105,727.00", english: true),
    f("Int128.min rounds without overflow", q(.min), 1, "-170141183460469231731687303715884105728,0", grouping: false),
])
func formatting(_ c: FormatCase) {
    let text = c.value.formatted(
        places: c.places, decimalSeparator: c.english ? "." : ",",
        groupingSeparator: c.grouping ? (c.english ? "," : ".") : nil)
    #expect(text == c.expected)
}

struct RoundCase: Sendable, CustomTestStringConvertible {
    let note: String, value: Exact, places: Int, expected: Exact?
    var testDescription: String { note }
}

@Test(arguments: [
    RoundCase(note: "0.125 -> 0.13", value: x("0.125"), places: 2, expected: q(13, 100)),
    RoundCase(note: "-0.125 -> -0.13", value: x("-0.125"), places: 2, expected: q(-13, 100)),
    RoundCase(note: "2/3 -> 0.67", value: q(2, 3), places: 2, expected: q(67, 100)),
    RoundCase(note: "-0.004 -> 0", value: x("-0.004"), places: 2, expected: .zero),
    RoundCase(note: "result has denominator 10^places", value: q(1, 3), places: 3, expected: q(333, 1000)),
    RoundCase(note: "negative places is nil", value: q(1), places: -1, expected: nil),
    RoundCase(note: "scaled Int128.max overflows to nil", value: q(.max), places: 1, expected: nil),
])
func rounding(_ c: RoundCase) {
    let result = c.value.rounded(places: c.places)
    #expect(result == c.expected)
    if let result, c.places >= 0 { #expect(result.denominator == Exact.powersOfTen[c.places]) }
}

struct ExactTextCase: Sendable, CustomTestStringConvertible {
    let note: String, value: Exact, minPlaces: Int, expected: String, terminating: Bool
    var testDescription: String { note }
}

@Test(arguments: [
    ExactTextCase(note: "non-terminating prints a fraction", value: q(42, 47), minPlaces: 0, expected: "42/47", terminating: false),
    ExactTextCase(note: "fraction is reduced", value: q(84, 94), minPlaces: 2, expected: "42/47", terminating: false),
    ExactTextCase(note: "sign on the numerator", value: q(42, -47), minPlaces: 0, expected: "-42/47", terminating: false),
    ExactTextCase(note: "minimal decimals", value: x("4200000.50"), minPlaces: 0, expected: "4200000.5", terminating: true),
    ExactTextCase(note: "at least minPlaces", value: q(4_200_000), minPlaces: 2, expected: "4200000.00", terminating: true),
    ExactTextCase(note: "negative integer", value: q(-3), minPlaces: 0, expected: "-3", terminating: true),
    ExactTextCase(note: "one half", value: q(1, 2), minPlaces: 0, expected: "0.5", terminating: true),
    ExactTextCase(note: "negative eighth padded", value: q(-1, 8), minPlaces: 5, expected: "-0.12500", terminating: true),
    ExactTextCase(note: "1/1024 is terminating", value: q(1, 1024), minPlaces: 0, expected: "0.0009765625", terminating: true),
    ExactTextCase(note: "zero", value: q(0, 7), minPlaces: 0, expected: "0", terminating: true),
    ExactTextCase(note: "1/3 with 100/300 form", value: q(100, 300), minPlaces: 0, expected: "1/3", terminating: false),
])
func exactText(_ c: ExactTextCase) {
    #expect(c.value.exactText(minPlaces: c.minPlaces) == c.expected)
    #expect(c.value.isTerminatingDecimal == c.terminating)
    if c.minPlaces == 0 { #expect(c.value.description == c.expected) }
}

@Test func exactTextRoundTripsThroughParse() {
    let values = [q(1, 2), q(-1_234_567, 100), q(1, 1 << 20), q(.max), q(.min), q(3, 1_000_000)]
    for value in values {
        #expect((try? Exact.parse(value.exactText()[...]).get()) == value, "\(value)")
    }
}
