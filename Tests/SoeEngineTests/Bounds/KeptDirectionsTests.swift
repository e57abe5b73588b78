import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The directions left unsearched (h-cf14, `CompiledSearch.keptDirections`): where the signs the
/// moved input's atoms can take in a direction cannot change the outcome (every outcome before the
/// firm's can only be no, the firm's only yes), that direction's search is not run. Each against
/// the search that runs every direction (`settle: false`), the search as it was before the 64-bit
/// and incremental steps (`incremental: false`), `Probe` through the compiled conditions and (on
/// the screening) the general search, as text, so that every exact number's parts agree.
@Suite("bounds: directions no candidate can change, left unsearched (h-cf14)")
struct KeptDirectionsTests {
    /// The firm's counterfactuals with kept directions left out, and with every direction searched.
    static func pair(_ evaluator: Evaluator, _ decision: Decision) -> (kept: String, searched: String)? {
        guard let kept = evaluator.counterfactuals(of: decision),
            let searched = evaluator.counterfactuals(of: decision, fastPath: true, settle: false)
        else { return nil }
        return (String(describing: kept), String(describing: searched))
    }

    /// The directions `keptDirections` leaves out for each numeric input of the firm (up, down),
    /// after `move` as the search makes it; and, from the search of every direction, whether that
    /// direction found a change (it must not have where it was left out).
    static func keptCounts(_ evaluator: Evaluator, _ decision: Decision) -> (kept: Int, wrong: [String]) {
        guard let outcome = decision.outcome, let day = evaluator.day else { return (0, []) }
        let analysis = evaluator.analysisPlan
        let plan = analysis.compiled.plan(for: evaluator, day: day, plan: analysis)
        guard
            var search = CompiledSearch(
                plan, evaluator: evaluator, reads: analysis.conditionReads, outcome: outcome, names: analysis.outcomeNames),
            let searched = evaluator.counterfactuals(of: decision, fastPath: true, settle: false)
        else { return (0, []) }
        var kept = 0
        var wrong: [String] = []
        for index in evaluator.inputs.indices {
            guard case .number(let value) = evaluator.inputs[index], let range = plan.ranges[index],
                !plan.conditions.conditionsOpaque.contains(index), search.move(index, from: value)
            else { continue }
            let directions = search.keptDirections(value: value, range: range)
            for (bit, up) in [(UInt8(1), true), (UInt8(2), false)] where directions & bit != 0 {
                kept += 1
                // A change of 0 (every value past the firm's own, `beyond`) tells no direction.
                let moved = searched.changes.filter { change in
                    change.input == index && (change.change.map { !$0.isZero && (up ? !$0.isNegative : $0.isNegative) } ?? false)
                }
                if !moved.isEmpty || searched.inconclusive.contains(index) { wrong.append("input \(index) up \(up): \(moved)") }
            }
        }
        return (kept, wrong)
    }

    /// The check's answer for each numeric input of the firm by position (h-cf15: only the atoms the
    /// conditions read get sets, and only the formulas reading one of them), with the breakpoints
    /// filtered first and without, against the walk of the whole list (`positions: false`), after
    /// the same `move`: how many inputs were compared, and those that differ.
    static func byPosition(_ evaluator: Evaluator, _ decision: Decision) -> (compared: Int, settled: Int, wrong: [String]) {
        guard let pair = SearchPair(evaluator, decision, positions: false) else { return (0, 0, []) }
        let plan = pair.plan
        var positioned = pair.usual
        var walked = pair.without
        var compared = 0
        var settled = 0
        var wrong: [String] = []
        for index in evaluator.inputs.indices {
            guard case .number(let value) = evaluator.inputs[index], let range = plan.ranges[index],
                !plan.conditions.conditionsOpaque.contains(index), positioned.move(index, from: value), walked.move(index, from: value),
                positioned.byPosition
            else { continue }
            let reference = walked.keptDirections(value: value, range: range)
            // With the breakpoints filtered first (the range read from `filter`), as the search
            // runs it, and without (each zero compared with the range).
            _ = positioned.filter(value: value, range: range)
            let filtered = positioned.keptDirections(value: value, range: range)
            guard positioned.move(index, from: value) else { continue }
            let unfiltered = positioned.keptDirections(value: value, range: range)
            if filtered != reference || unfiltered != reference {
                wrong.append("input \(index): filtered \(filtered), unfiltered \(unfiltered), walked \(reference)")
            }
            compared += 1
            if reference != 0 { settled += 1 }
        }
        return (compared, settled, wrong)
    }

    /// Values around the edges the check reads: 2^40 (its limit on the parts), 2^63, 0, and the
    /// mixed denominators of `IntegralAtomTests.mixed`.
    static let edges: [Exact] =
        IntegralAtomTests.mixed + [
            Exact(øre: (1 << 40) - 1), Exact(øre: 1 << 40), Exact(øre: (1 << 40) + 1), Exact(integer: (1 << 40) - 1),
            Exact(integer: 1 << 40),
            Exact(integer: -(1 << 40) + 1), Exact(øre: 9_223_372_036_854_775_807), Exact(øre: 9_223_372_036_854_775_808),
            Exact(numerator: 1, denominator: (1 << 40) - 1) ?? .zero, Exact(numerator: 1, denominator: 1 << 40) ?? .zero, Exact(øre: 1),
        ]

    @Test("generated rule sets: leaving kept directions out gives what searching them gives, part for part")
    func generated() throws {
        var random = SplitMix64(seed: 14_141)
        var compared = (firms: 0, kept: 0, changes: 0, positioned: 0, settled: 0)
        for _ in 0..<1_000 {
            guard let (generated, ruleSet) = IntegralAtomTests.generatedRuleSet(&random) else { continue }
            var evaluator = Evaluator(ruleSet: ruleSet)
            for round in 0..<4 {
                let inputs: [Scalar?] = ruleSet.inputs.map { input in
                    switch input.type {
                    case .money, .percent, .number: .number(random.pick(round == 3 ? Self.edges : IntegralAtomTests.mixed))
                    case .count, .bool, .date, .text, .choice: CorpusTests.value(input.type, ruleSet, &random)
                    }
                }
                let decision = evaluator.evaluate(inputs: inputs, on: IntegralAtomTests.day)
                guard decision.outcome != nil, let (kept, searched) = Self.pair(evaluator, decision) else { continue }
                #expect(kept == searched, "\(generated.rules)\n\(inputs)\nkept: \(kept)\nsearched: \(searched)")
                let (fast, reference, probe, masked) = try #require(IncrementalSearchTests.compare(evaluator, decision))
                #expect(fast == reference, "\(generated.rules)\n\(inputs)\nfast: \(fast)\nreference: \(reference)")
                #expect(fast == probe, "\(generated.rules)\n\(inputs)\nfast: \(fast)\nprobe: \(probe)")
                #expect(fast == masked, "\(generated.rules)\n\(inputs)\nfast: \(fast)\nmasked: \(masked)")
                let (count, wrong) = Self.keptCounts(evaluator, decision)
                #expect(wrong.isEmpty, "\(generated.rules)\n\(inputs)\n\(wrong)")
                let (positioned, settled, differing) = Self.byPosition(evaluator, decision)
                #expect(differing.isEmpty, "\(generated.rules)\n\(inputs)\n\(differing)")
                compared.positioned += positioned
                compared.settled += settled
                compared.firms += 1
                compared.kept += count
                compared.changes += evaluator.counterfactuals(of: decision)?.changes.count ?? 0
            }
        }
        #expect(compared.firms > 500, "\(compared)")
        #expect(compared.kept > 500, "\(compared)")
        #expect(compared.changes > 250, "\(compared)")
        #expect(compared.positioned > 200 && compared.settled > 1, "\(compared)")
    }

    @Test("the screening: on its thresholds, one øre either side, a total of 0 (a divisor of 0), and staff around theirs")
    func screening() throws {
        let amounts = ["0.00", "0.01", "499999.99", "500000.00", "500000.01", "1000000.00"]
        let staffs = [
            BoundsTests.staff,
            #""ordinary_employees": 0, "fleksjob": 0, "loentilskud": 0, "skaanejob": 0, "smaajob": 0, "virksomhedspraktik": 0"#,
            #""ordinary_employees": 4, "fleksjob": 1, "loentilskud": 0, "skaanejob": 0, "smaajob": 0, "virksomhedspraktik": 1"#,
            #""ordinary_employees": 50, "fleksjob": 0, "loentilskud": 10, "skaanejob": 3, "smaajob": 0, "virksomhedspraktik": 0"#,
        ]
        var kept = 0
        var compared = 0
        var positioned = 0
        var positionedSettled = 0
        for ms in amounts {
            for mes in amounts {
                for (s, staff) in staffs.enumerated() {
                    let other = ["0", "0.01", "250000.00"][(s + compared) % 3]
                    let ownership = ["0", "49.99", "50", "10"][s]
                    let (_, evaluator, decision) = try BoundsTests.screening(
                        "\"own_cvr\": true, \"public_ownership\": \(ownership), \"market_sales\": \"\(ms)\", \"municipal_employment_services\": \"\(mes)\", \"other_public_contracts\": \"\(other)\", \"grants\": 0, "
                            + staff)
                    guard decision.outcome != nil else { continue }
                    let (fast, searched) = try #require(Self.pair(evaluator, decision))
                    #expect(fast == searched, "\(ms) \(mes) \(staff)\nkept: \(fast)\nsearched: \(searched)")
                    SearchStepTests.expectSame(try SearchStepTests.all(evaluator, decision), "\(ms) \(mes) \(staff)")
                    let (count, wrong) = Self.keptCounts(evaluator, decision)
                    #expect(wrong.isEmpty, "\(ms) \(mes) \(staff)\n\(wrong)")
                    let (inputs, settled, differing) = Self.byPosition(evaluator, decision)
                    #expect(differing.isEmpty, "\(ms) \(mes) \(staff)\n\(differing)")
                    positioned += inputs
                    positionedSettled += settled
                    kept += count
                    compared += 1
                }
            }
        }
        #expect(compared > 100, "\(compared)")
        #expect(kept > 100, "\(kept)")
        #expect(positioned > 100 && positionedSettled > 50, "\(positioned) \(positionedSettled)")
    }

    @Test("amounts around 2^40 and 2^63 øre, thresholds hit exactly and one øre off: the check's limit and past it")
    func tameLimit() throws {
        let rules = """
            ruleset t "Test"
              in force from 2015-01-01
            input a: money min 0 kr
            input b: money
            input n: count
            BODY
            classify
              first_outcome "Først" when d
              yes_outcome "Ja" when c
              otherwise no_outcome "Nej"

            """
        // 2^40 øre is 10,995,116,277.76 kr.
        let bodies = [
            "criterion c \"C\" = a > 10995116277.76 kr\ncriterion d \"D\" = n > 5",
            "criterion c \"C\" = a + b >= 10995116277.75 kr\ncriterion d \"D\" = b < 0 kr and n > 2",
            "criterion c \"C\" = a / (a + b) > 50 %\ncriterion d \"D\" = n >= 3",
            "criterion c \"C\" = 3 * a - b > 92233720368547758.07 kr\ncriterion d \"D\" = a < 1 kr",
            "criterion c \"C\" = b > 0 kr or a > 10995116277.77 kr\ncriterion d \"D\" = n > 5 and a > 0 kr",
            // A breakpoint far ahead that changes nothing, with the ray's far end (twice it) near
            // the exact range's end: past the check's limit, so the direction is searched.
            "criterion c \"C\" = a > 1 kr or a > 900000000000000000000000000000000000 kr\ncriterion d \"D\" = n > 5",
        ]
        let amounts: [Int128] = [
            0, 1, 100, 1_099_511_627_775, 1_099_511_627_776, 1_099_511_627_777, -1_099_511_627_776, 9_223_372_036_854_775_807,
            9_223_372_036_854_775_808, -9_223_372_036_854_775_808,
        ]
        var compared = 0
        var kept = 0
        for body in bodies {
            let text = rules.replacingOccurrences(of: "BODY", with: body)
            for a in amounts {
                for b in amounts {
                    for n in [0, 3, 6] {
                        let (evaluator, decision) = try MoveStepTests.firm(
                            text, [MoveStepTests.money(a), MoveStepTests.money(b), .number(Exact(integer: Int128(n)))])
                        guard decision.outcome != nil else { continue }
                        let (fast, searched) = try #require(Self.pair(evaluator, decision))
                        #expect(fast == searched, "\(body) \(a) \(b) \(n)\nkept: \(fast)\nsearched: \(searched)")
                        // Not the general search: with amounts below their range's 0 it differs from
                        // every compiled search alike (the shares' divisors), kept directions or not.
                        let (same, reference, probe, _) = try #require(IncrementalSearchTests.compare(evaluator, decision))
                        #expect(same == reference, "\(body) \(a) \(b) \(n)\nfast: \(same)\nreference: \(reference)")
                        #expect(same == probe, "\(body) \(a) \(b) \(n)\nfast: \(same)\nprobe: \(probe)")
                        let (count, wrong) = Self.keptCounts(evaluator, decision)
                        #expect(wrong.isEmpty, "\(body) \(a) \(b) \(n)\n\(wrong)")
                        kept += count
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 300, "\(compared)")
        #expect(kept > 100, "\(kept)")

    }

    @Test("a value outside its range, on a breakpoint or beside it: atoms whose zero lies outside the range are held only within it")
    func outsideRange() throws {
        let rules = """
            ruleset t "Test"
              in force from 2015-01-01
            input a: money min 0 kr max 100 kr
            input b: money
            input n: count
            BODY
            classify
              yes_outcome "Ja" when c
              otherwise no_outcome "Nej"

            """
        // The value below the range's 0 (or above its 100 kr) on the zero of an atom: the search tries
        // the step beside it, outside the range, where that atom has changed its sign.
        let bodies = [
            "criterion c \"C\" = a > -5 kr", "criterion c \"C\" = a >= -5 kr", "criterion c \"C\" = a < -5 kr",
            "criterion c \"C\" = a <= 105 kr", "criterion c \"C\" = a > 105 kr or n > 3", "criterion c \"C\" = a + b > 0 kr",
            "criterion c \"C\" = a / (a + b) > 50 %",
        ]
        let amounts: [Int128] = [-500, -501, -499, 0, 1, 300, 10_000, 10_500, 10_499, 10_501, -1]
        var compared = 0
        var found = 0
        for body in bodies {
            let text = rules.replacingOccurrences(of: "BODY", with: body)
            for a in amounts {
                for b: Int128 in [500, -500, 0] {
                    let (evaluator, decision) = try MoveStepTests.firm(
                        text, [MoveStepTests.money(a), MoveStepTests.money(b), .number(Exact(integer: 2))])
                    guard decision.outcome != nil else { continue }
                    let (fast, searched) = try #require(Self.pair(evaluator, decision))
                    #expect(fast == searched, "\(body) \(a) \(b)\nkept: \(fast)\nsearched: \(searched)")
                    let (same, reference, probe, _) = try #require(IncrementalSearchTests.compare(evaluator, decision))
                    #expect(same == reference, "\(body) \(a) \(b)\nfast: \(same)\nreference: \(reference)")
                    #expect(same == probe, "\(body) \(a) \(b)\nfast: \(same)\nprobe: \(probe)")
                    found += evaluator.counterfactuals(of: decision)?.changes.count ?? 0
                    compared += 1
                }
            }
        }
        #expect(compared > 150, "\(compared)")
        #expect(found > 150, "\(found)")
    }

    @Test("the sets of a sign test, a ratio and a choice hold every answer the formulas give, and no other")
    func sets() {
        // Every set of signs (three bits), for every test: the answers over the signs in the set.
        let tests: [SignTest] = [.positive, .nonNegative, .zero, .nonZero, .negative, .nonPositive]
        for test in tests {
            for signs in UInt8(1)...7 {
                var expected: UInt8 = 0
                for sign in [-1, 0, 1] where signs & Reach.bit(Int8(sign)) != 0 { expected |= test.holds(sign) ? 2 : 1 }
                #expect(Reach.tested(signs, Reach.passing(test)) == expected, "\(test) \(signs)")
                for divisors in UInt8(1)...7 {
                    var ratio: UInt8 = 0
                    for d in [-1, 0, 1] where divisors & Reach.bit(Int8(d)) != 0 {
                        for n in [-1, 0, 1] where signs & Reach.bit(Int8(n)) != 0 { ratio |= d == 0 ? 4 : (test.holds(n * d) ? 2 : 1) }
                    }
                    #expect(Reach.ratio(signs, divisors, Reach.passing(test)) == ratio, "\(test) \(signs) \(divisors)")
                }
            }
        }
    }
}
