import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// `Exact.dividing(_:)`, `adding(_:)` and `subtracting(_:)` have paths without overflow checks
/// for operands whose parts fit in 64 bits; they must build exactly the fraction (numerator and
/// denominator, not only the value) that the checked `divided(by:)` and `checkedSum` build, so
/// that everything after them takes the same paths. Operands straddle the
/// 2^63 boundary, signs, zero, and the range limits.
@Suite("exact: the unchecked fast paths give the checked paths' fractions")
struct ExactFastPathTests {
    static let parts: [Int128] = {
        let edge = Int128(1) << 63
        return [
            0, 1, -1, 2, 3, 7, 100, -100, 12_345, 1_000_000_007, edge - 1, edge, edge + 1, -(edge - 1), -edge, -edge - 1,
            Int128(Int64.max), Int128(Int64.min), Int128.max, Int128.min, Int128.max / 3, 1 << 100,
        ]
    }()

    @Test("every pair of fractions built from boundary parts")
    func divisionAgrees() {
        let parts = ExactFastPathTests.parts
        var fractions: [Exact] = []
        for numerator in parts {
            for denominator in parts where denominator > 0 {
                if let value = Exact(numerator: numerator, denominator: denominator) { fractions.append(value) }
            }
        }
        for x in fractions {
            for y in fractions {
                let fast = x.dividing(y)
                let general = x.divided(by: y)
                #expect(
                    fast?.numerator == general?.numerator && fast?.denominator == general?.denominator,
                    "\(x.numerator)/\(x.denominator) ÷ \(y.numerator)/\(y.denominator)")
                let sum = x.adding(y)
                let difference = x.subtracting(y)
                let checkedSum = x.checkedSum(y, subtract: false)
                let checkedDifference = x.checkedSum(y, subtract: true)
                #expect(sum?.numerator == checkedSum?.numerator && sum?.denominator == checkedSum?.denominator)
                #expect(
                    difference?.numerator == checkedDifference?.numerator
                        && difference?.denominator == checkedDifference?.denominator)
                #expect(sum.map { $0 == y.adding(x) ?? .zero } ?? (y.adding(x) == nil))
                if let sum, let back = sum.subtracting(y) { #expect(back == x) }
                if let difference, let back = difference.adding(y) { #expect(back == x) }
            }
        }
    }
}
