import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// What `Evaluator.counterfactuals(of:)` does around the flat search, each against the general way:
/// the firm's result gathered with room for five changes at first, the ranking by positions with one
/// move per change, and `InputSet` bounded by its constant.
@Suite("bounds: the counterfactuals' set-up and result")
struct FirmSetupTests {
    @Test("more changes than the room made at first, inputs unmovable and skipped: the same as `Probe` and the general search")
    func manyChanges() throws {
        let text = """
            ruleset t "Test"
              in force from 2015-01-01
            input w: money min 0 kr
            input x: money min 0 kr
            input y: money min 0 kr
            input z: money min 0 kr
            input u: money min 0 kr
            input d: date
            input p: yes/no
            criterion c "C" = w + x + y + z >= 100 kr and w + x + y + z <= 200 kr and p
            classify
              yes_outcome "Ja" when c
              otherwise no_outcome "Nej"

            """
        // Each of w, x, y, z moves the outcome both ways (8 changes), p once: 9, past the 5 made
        // room for at first; u is read by no condition (unmovable), d is a date (skipped).
        for firm in [
            #""w": "30.00", "x": "30.00", "y": "30.00", "z": "30.00", "u": "5.00", "d": "2024-01-01", "p": true"#,
            #""w": "0.00", "x": "0.00", "y": "0.00", "z": "150.00", "u": "0.00", "d": "2024-01-01", "p": true"#,
            #""w": "30.00", "x": "30.00", "y": "30.00", "z": "30.00", "u": "5.00", "d": "2024-01-01", "p": false"#,
        ] {
            let (_, evaluator, decision) = try BoundsTests.evaluate([("t.rules", text)], firm)
            let fast = try #require(evaluator.counterfactuals(of: decision))
            let probe = try #require(evaluator.counterfactuals(of: decision, fastPath: true, flat: false))
            let general = try #require(evaluator.counterfactuals(of: decision, fastPath: false))
            #expect(String(describing: fast) == String(describing: probe))
            #expect(String(describing: fast) == String(describing: general))
            #expect(fast.unmovable.contains(4))
        }
        let (_, evaluator, decision) = try BoundsTests.evaluate(
            [("t.rules", text)], #""w": "30.00", "x": "30.00", "y": "30.00", "z": "30.00", "u": "5.00", "d": "2024-01-01", "p": true"#)
        #expect(try #require(evaluator.counterfactuals(of: decision)).changes.count == 9)
    }

    @Test("the ranking by positions against the standard library's stable sort, on random lists with ties")
    func rankingByPositions() {
        var random = SplitMix64(seed: 12)
        func change(_ input: Int) -> Counterfactual {
            // Few distinct relative changes (ties in other parts), changes from 0 and yes/no changes.
            let from: Scalar
            let by: Exact?
            switch random.next(6) {
            case 0: (from, by) = (.bool(random.next(2) == 0), nil)
            case 1: (from, by) = (.number(.zero), Exact(øre: Int128(1 + random.next(5))))
            default:
                let base = Int128(1 + random.next(4))
                let scale = Int128(1 + random.next(3))
                (from, by) = (
                    .number(Exact(raw: base * scale, 1)), Exact(raw: Int128(1 + random.next(3)) * scale * (random.next(2) == 0 ? 1 : -1), 1)
                )
            }
            return Counterfactual(input: input, from: from, to: from, change: by, beyond: false, outcome: input, criteria: [input])
        }
        for _ in 0..<5_000 {
            let changes = (0..<random.next(25)).map { change($0) }
            var ranked = changes
            Evaluator.rank(&ranked)
            let expected = Evaluator.rankedBySort(changes)
            #expect(ranked.map(\.input) == expected.map(\.input))
            #expect(String(describing: ranked) == String(describing: expected))
        }
    }

    @Test("InputSet: its constant is the checker's limit, and insert and contains agree with a set of numbers")
    func inputSetBound() {
        #expect(InputSet.bits == InputSet.capacity)
        #expect(InputSet.bits == Checker.maxInputs)
        var random = SplitMix64(seed: 256)
        let edges = [-1, 0, 1, 63, 64, 127, 128, 191, 192, 254, 255, 256, 257, 1_000, Int.min, Int.max]
        for _ in 0..<2_000 {
            var set = InputSet()
            var reference = Set<Int>()
            for _ in 0..<random.next(12) {
                let index = random.next(3) == 0 ? edges[random.next(edges.count)] : random.next(300) - 10
                set.insert(index)
                if index >= 0 && index < Checker.maxInputs { reference.insert(index) }
            }
            for index in edges + (0..<260).map({ $0 }) { #expect(set.contains(index) == reference.contains(index)) }
            #expect(set.indices == reference.sorted())
        }
    }
}
