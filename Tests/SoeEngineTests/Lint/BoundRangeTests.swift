import SoeTestSupport
import Testing

@testable import SoeLanguage
@testable import SoeLint

/// `ConditionSpace.range(of:)` gives the range of a bound that is the parameter itself (scale 1,
/// offset 0) as the parameter's range, without the interval arithmetic (`ConditionSpace.scaled`):
/// the same range, by value, as the arithmetic gives, for every bound and parameter range.
@Suite("lint: the range of a bound that is its parameter")
struct BoundRangeTests {
    @Test("range(of:) equals the interval arithmetic on generated bounds and parameter ranges")
    func rangeOfBoundAgreesWithIntervalArithmetic() throws {
        var random = SplitMix64(seed: 16)
        let big = Int128(Int64.max) * 1_000_000
        let values: [Exact] = [
            Exact.zero, Exact.one, Exact(integer: -1), Exact(integer: 100), Exact(integer: big), Exact(integer: -big),
            try #require(Exact(numerator: 1, denominator: 2)), try #require(Exact(numerator: 50, denominator: 100)),
            try #require(Exact(numerator: -3, denominator: 7)), try #require(Exact(numerator: big, denominator: 3)),
        ]
        let scales: [Exact] = [
            Exact.one, Exact.one, Exact.one, try #require(Exact(numerator: 2, denominator: 2)), Exact(integer: -1),
            Exact(integer: 2), Exact.zero, try #require(Exact(numerator: 1, denominator: 2)), Exact(integer: big),
        ]
        let offsets: [Exact] = [
            Exact.zero, Exact.zero, Exact.zero, try #require(Exact(numerator: 0, denominator: 5)), Exact.one,
            try #require(Exact(numerator: -1, denominator: 3)), Exact(integer: big),
        ]
        var fast = 0
        for _ in 0..<20_000 {
            var range = ValueRange(lower: random.pick(values), upper: random.pick(values))
            switch random.next() % 8 {
            case 0: range.lower = nil
            case 1: range.upper = nil
            case 2: range = .unbounded
            default: break
            }
            let known: ValueRange? = random.next() % 10 == 0 ? nil : range
            let ranges: [ValueRange?] = [known, .point(Exact.one)]
            let space = ConditionSpace(parameterRanges: ranges)
            let parameter = Int32(random.next() % 3) - (random.next() % 9 == 0 ? 3 : 0)
            let bound = Bound(offset: random.pick(offsets), parameter: parameter, scale: random.pick(scales))
            var expected: ValueRange?
            if bound.isConstant {
                expected = .point(bound.offset)
            } else if Int(bound.parameter) < ranges.count, let given = ranges[Int(bound.parameter)] {
                expected = ConditionSpace.scaled(given, by: bound)
            }
            #expect(space.range(of: bound) == expected, "\(bound) of \(String(describing: known))")
            if !bound.isConstant, bound.scale == Exact.one, bound.offset.isZero { fast += 1 }
        }
        #expect(fast > 2_000, "the bounds that are their parameter are among those compared")
    }
}
