import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The flat search read incrementally (`CompiledSearch.outcome(at:)`: only the formulas reading an
/// atom whose sign changed, only as far as the first outcome that holds), the inputs settled at once
/// (no breakpoint within the range), and the grid steps in whole øre (`Probe.interior`,
/// `Probe.onGrid`), each against the way it was computed before: the same counterfactuals, written
/// the same (the parts of every exact number, as `soe-bench bounds --dump` writes them).
@Suite("bounds: the flat search read incrementally")
struct IncrementalSearchTests {
    /// The counterfactuals incrementally, read again in full, and through `Probe`, as text.
    /// `masked`: the candidates' formulas found by walking the moved input's list with masks
    /// instead of by the positions of the changed atoms (`CompiledPlan.positionsOfBit`).
    static func compare(_ evaluator: Evaluator, _ decision: Decision) -> (
        fast: String, reference: String, probe: String, masked: String
    )? {
        guard let fast = evaluator.counterfactuals(of: decision),
            let reference = evaluator.counterfactuals(of: decision, fastPath: true, incremental: false),
            let probe = evaluator.counterfactuals(of: decision, fastPath: true, flat: false),
            let masked = evaluator.counterfactuals(of: decision, fastPath: true, positions: false)
        else { return nil }
        return (String(describing: fast), String(describing: reference), String(describing: probe), String(describing: masked))
    }

    @Test("generated rule sets: the incremental search gives what reading every formula again gives, part for part")
    func generated() throws {
        var random = SplitMix64(seed: 9_151)
        var compared = (firms: 0, changes: 0, unmovable: 0, byPosition: 0)
        for _ in 0..<1_000 {
            guard let (generated, ruleSet) = IntegralAtomTests.generatedRuleSet(&random) else { continue }
            var evaluator = Evaluator(ruleSet: ruleSet)
            for _ in 0..<3 {
                let inputs: [Scalar?] = ruleSet.inputs.map { IntegralAtomTests.value($0.type, ruleSet, &random) }
                let decision = evaluator.evaluate(inputs: inputs, on: IntegralAtomTests.day)
                guard decision.outcome != nil, let (fast, reference, probe, masked) = Self.compare(evaluator, decision),
                    let set = evaluator.counterfactuals(of: decision)
                else { continue }
                #expect(fast == reference, "\(generated.rules)\n\(inputs)\nfast: \(fast)\nreference: \(reference)")
                #expect(fast == probe, "\(generated.rules)\n\(inputs)\nfast: \(fast)\nprobe: \(probe)")
                #expect(fast == masked, "\(generated.rules)\n\(inputs)\nfast: \(fast)\nmasked: \(masked)")
                compared.firms += 1
                compared.changes += set.changes.count
                compared.unmovable += set.unmovable.count
                let plan = evaluator.analysisPlan
                if plan.compiled.plan(for: evaluator, day: IntegralAtomTests.day, plan: plan).positionsOfBit.contains(where: { !$0.isEmpty }
                ) {
                    compared.byPosition += 1
                }
                // The ranking in place against the standard library's stable sort, from a shuffled order.
                var shuffled = set.changes
                for index in shuffled.indices.reversed() where index > 0 {
                    shuffled.swapAt(index, random.next(index + 1))
                }
                var ranked = shuffled
                Evaluator.rank(&ranked)
                #expect(ranked == Evaluator.rankedBySort(shuffled), "\(shuffled)")
            }
        }
        #expect(compared.byPosition > 500, "\(compared)")
        #expect(compared.firms > 500, "\(compared)")
        #expect(compared.changes > 250, "\(compared)")
        #expect(compared.unmovable > 100, "\(compared)")
    }

    @Test("the range read once per input answers as Interval.contains, on random ends and values")
    func rangeCheck() throws {
        var random = SplitMix64(seed: 7_117)
        func number() -> Exact { Exact(numerator: Int128(random.next(21)) - 10, denominator: Int128(1 + random.next(4))) ?? .zero }
        func end() -> IntervalEnd { random.next(3) == 0 ? .unbounded : IntervalEnd(value: number(), closed: random.next(2) == 0) }
        var inside = 0
        for _ in 0..<20_000 {
            let domain = Interval(lower: end(), upper: end())
            let value = number()
            let expected = domain.contains(value)
            #expect(RangeCheck(domain).contains(value) == expected, "\(domain) \(value)")
            if expected { inside += 1 }
        }
        #expect(inside > 2_000 && inside < 18_000, "\(inside)")
    }

    @Test("the compiled plans by day: the last day asked for answers at once, and each day keeps its own plan")
    func plansByDay() throws {
        let (_, evaluator, _) = try BoundsTests.screening(
            "\"own_cvr\": true, \"public_ownership\": 0, \"market_sales\": 1, \"municipal_employment_services\": 1, \"other_public_contracts\": 0, \"grants\": 0, "
                + BoundsTests.staff)
        let cache = evaluator.analysisPlan.compiled
        let days = try [Day(year: 2024, month: 12, day: 31), Day(year: 2025, month: 6, day: 30)].map { try #require($0) }
        let first = cache.plan(for: evaluator, day: days[0], plan: evaluator.analysisPlan)
        #expect(cache.plan(for: evaluator, day: days[0], plan: evaluator.analysisPlan) === first)
        let second = cache.plan(for: evaluator, day: days[1], plan: evaluator.analysisPlan)
        #expect(second !== first)
        // Each day after the other: the kept last day must not answer for another day.
        for _ in 0..<3 {
            #expect(cache.plan(for: evaluator, day: days[0], plan: evaluator.analysisPlan) === first)
            #expect(cache.plan(for: evaluator, day: days[1], plan: evaluator.analysisPlan) === second)
        }
    }

    @Test("the screening exactly on the threshold and one øre from it: the same as read again in full")
    func screeningThreshold() throws {
        for (mes, expected) in [("500000.00", Exact(øre: 1)), ("499999.99", Exact(øre: 2))] {
            let (ruleSet, evaluator, decision) = try BoundsTests.screening(
                "\"own_cvr\": true, \"public_ownership\": 0, \"market_sales\": \"500000.00\", \"municipal_employment_services\": \"\(mes)\", \"other_public_contracts\": 0, \"grants\": 0, "
                    + BoundsTests.staff)
            let set = try #require(evaluator.counterfactuals(of: decision))
            let rise = try #require(CounterfactualTests.change(set, ruleSet, input: "municipal_employment_services", rising: true))
            #expect(rise.change == expected)
            let (fast, reference, probe, masked) = try #require(Self.compare(evaluator, decision))
            #expect(fast == reference)
            #expect(fast == probe)
            #expect(fast == masked)
        }
    }

    @Test("an input used twice in one share, on the threshold and one øre from it")
    func inputUsedTwice() throws {
        for (a, rise) in [("100.00", Exact(øre: 1)), ("99.99", Exact(øre: 2))] {
            let (_, evaluator, decision) = try BoundsTests.small(
                "criterion c \"C\" = a / (a + b) <= 50 %", "\"a\": \"\(a)\", \"b\": \"100.00\", \"n\": 1, \"p\": true")
            #expect(decision.outcome == 0)
            let set = try #require(evaluator.counterfactuals(of: decision))
            let change = try #require(set.changes.first { $0.input == 0 && $0.change.map { !$0.isNegative } == true })
            #expect(change.change == rise)
            let (fast, reference, probe, masked) = try #require(Self.compare(evaluator, decision))
            #expect(fast == reference)
            #expect(fast == probe)
            #expect(fast == masked)
        }
    }

    @Test("an input with no breakpoint within its range is settled at once, as the full search settles it")
    func settledAtOnce() throws {
        let (_, evaluator, decision) = try BoundsTests.small(
            "criterion c \"C\" = a + 5 kr > 0 kr and b < 1000 kr", #""a": "10.00", "b": "3.00", "n": 4, "p": true"#)
        #expect(decision.outcome == 0)
        let set = try #require(evaluator.counterfactuals(of: decision))
        // `a` never reaches -5 kr (min 0 kr): no value moves it; `b` does at 1,000 kr.
        #expect(set.unmovable.contains(0))
        #expect(set.changes.contains { $0.input == 1 && $0.to == .number(Exact(øre: 100_000)) })
        let (fast, reference, probe, masked) = try #require(Self.compare(evaluator, decision))
        #expect(fast == reference)
        #expect(fast == probe)
        #expect(fast == masked)
    }

    @Test("a candidate that stops at the first outcome leaves later formulas to be read when a later candidate needs them")
    func laterFormulasReadWhenNeeded() throws {
        // At 60 kr and 60.01 kr `above` changes but `low` still holds, so `above` is not read; at
        // 80 kr `below` fails and `above`, unchanged since 60.01 kr, must be read with its new sign.
        let text = """
            ruleset t "Test"
              in force from 2015-01-01
            input x: money min 0 kr
            criterion below "Below" = x < 80 kr
            criterion above "Above" = x > 60 kr
            classify
              low "Low" when below
              middle "Middle" when above
              otherwise high "High"

            """
        let (ruleSet, evaluator, decision) = try BoundsTests.evaluate([("t.rules", text)], #""x": "50.00""#)
        #expect(decision.outcome.map { ruleSet.outcomes[$0].name } == "low")
        let set = try #require(evaluator.counterfactuals(of: decision))
        let rise = try #require(set.changes.first { $0.change.map { !$0.isNegative } == true })
        #expect(rise.to == .number(Exact(øre: 8_000)))
        #expect(rise.outcome.map { ruleSet.outcomes[$0].name } == "middle")
        let (fast, reference, probe, masked) = try #require(Self.compare(evaluator, decision))
        #expect(fast == reference)
        #expect(fast == probe)
        #expect(fast == masked)
    }

    @Test("the ranking in place: equal relative changes in other parts, changes from 0 and yes/no changes keep their order")
    func rankingTies() throws {
        func change(_ input: Int, from: Scalar, by: Exact?) -> Counterfactual {
            Counterfactual(input: input, from: from, to: from, change: by, beyond: false, outcome: nil, criteria: [input])
        }
        let changes = [
            change(0, from: .bool(true), by: nil),
            change(1, from: .number(Exact(øre: 20_000)), by: Exact(øre: 10_000)),  // 1/2
            change(2, from: .number(Exact(øre: 0)), by: Exact(øre: 100)),  // from 0: no relative size
            change(3, from: .number(Exact(raw: 4, 1)), by: Exact(raw: 2, 1)),  // 1/2 again, other parts
            change(4, from: .number(Exact(øre: 40_000)), by: Exact(øre: -10_000)),  // 1/4
            change(5, from: .number(Exact(øre: 10_000)), by: Exact(øre: 10_000)),  // 1
            change(6, from: .bool(false), by: nil),
        ]
        var ranked = changes
        Evaluator.rank(&ranked)
        #expect(ranked.map(\.input) == [4, 1, 3, 5, 0, 2, 6])
        #expect(ranked == Evaluator.rankedBySort(changes))
        var reversed = Array(changes.reversed())
        Evaluator.rank(&reversed)
        #expect(reversed == Evaluator.rankedBySort(Array(changes.reversed())))
        #expect(reversed.map(\.input) == [4, 3, 1, 5, 6, 2, 0])
    }

    @Test("grid steps in whole øre and counts: the same value in the same parts as by Exact division")
    func gridSteps() throws {
        var random = SplitMix64(seed: 77)
        let denominators: [Int128] = [1, 2, 3, 7, 100, 200, 300, 1_000, 9_999]
        var compared = 0
        for _ in 0..<20_000 {
            let from = Exact(raw: Int128(random.next(2_000_000)) - 1_000_000, random.pick(denominators))
            let to = Exact(raw: Int128(random.next(2_000_000)) - 1_000_000, random.pick(denominators))
            for type in [ValueType.money, .count] {
                #expect(Probe.onGrid(from, type) == Probe.onGridByDivision(from, type), "\(from) \(type)")
                for up in [true, false] {
                    let whole = Probe.interior(from, to, up: up, type: type)
                    let division = Probe.interiorByDivision(from, to, up: up, type: type)
                    #expect(whole?.numerator == division?.numerator && whole?.denominator == division?.denominator, "\(from) \(to) \(up)")
                    if whole != nil { compared += 1 }
                }
            }
        }
        #expect(compared > 10_000)
        // Parts past 64 bits take the division.
        let (large, far) = (Exact(raw: Int128(1) << 80, 3), Exact(raw: Int128(1) << 90, 1))
        let step = try #require(Probe.interior(large, far, up: true, type: .money))
        #expect(step == Probe.interiorByDivision(large, far, up: true, type: .money))
        #expect(Probe.onGrid(large, .money) == Probe.onGridByDivision(large, .money))
    }
}
