import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// `BatchRow.put` (issue 16, docs/benchmark.md "Steps of wave 3, session 7: the numbers path"):
/// writing a cell's value over an input's old value without an outlined destroy when the old value
/// holds no reference. Every pair of old and new values must leave the slot as an assignment does.
@Suite("batch row: put writes a value over every kind of old value as an assignment does")
struct BatchRowPutTests {
    /// One value of every kind, a long text (a heap string) and a short one included.
    static func values(_ random: inout SplitMix64) -> [Scalar?] {
        let numerator = Int128(Int64(bitPattern: random.next()))
        let text = String(repeating: "ø", count: Int(random.next() % 40) + 1)
        return [
            nil, .number(Exact(raw: numerator, 100)), .number(Exact(raw: 0, 1)), .bool(random.next() % 2 == 0),
            .choice(Int(random.next() % 7)), .date(Day(year: 2024, month: 12, day: 31)!), .text(text), .text("a"),
        ]
    }

    @Test("every old value, every new value: the slot holds the new one")
    func putAgreesWithAssignment() {
        var random = SplitMix64(seed: 716)
        for _ in 0..<50 {
            let olds = BatchRowPutTests.values(&random)
            let news = BatchRowPutTests.values(&random)
            for old in olds {
                for new in news {
                    var assigned: [Scalar?] = [old, old]
                    assigned[1] = new
                    var put: [Scalar?] = [old, old]
                    put.withUnsafeMutableBufferPointer { slots in BatchRow.put(new, into: slots.baseAddress! + 1) }
                    #expect(put == assigned, "old \(String(describing: old)), new \(String(describing: new))")
                }
            }
        }
    }
}
