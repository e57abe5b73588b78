import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The steps of h-cf11 on the flat search (`CompiledSearch`): a moved atom's line in 64-bit
/// arithmetic where the atom's total, the coefficient and the value fit (`moveWhole`); the search's
/// walk along the breakpoints without comparing each with the value and the range's end again; a
/// value below a range from zero by its numerator's sign; the criteria's check for formulas read
/// opaquely done once per candidate (`CompiledPlan.criteriaOpaqueAny`); and the firm's signs and
/// answers restored only after an input that read a candidate. Each against the search as it was
/// (`incremental: false`), `Probe` through the compiled conditions and the general search, as text,
/// so that every exact number's parts agree.
@Suite("bounds: the flat search's moves and walk (h-cf11)")
struct MoveStepTests {
    static func firm(_ rules: String, _ inputs: [Scalar?]) throws -> (Evaluator, Decision) {
        let loaded = loadRules([("t.rules", rules)])
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(DiagnosticRenderer.oneLine))")
        let ruleSet = try #require(loaded.ruleSets.first)
        var evaluator = Evaluator(ruleSet: ruleSet)
        let decision = evaluator.evaluate(inputs: inputs, on: IntegralAtomTests.day)
        return (evaluator, decision)
    }

    /// An amount in øre, as firms' amounts are bound.
    static func money(_ øre: Int128) -> Scalar? { .number(Exact(øre: øre)) }

    static let ranged = """
        ruleset t "Test"
          in force from 2015-01-01
        input a: money min 0 kr max 100 kr
        input s: percent min 0 % max 100 %
        input n: count
        input b: money min 0 kr
        BODY
        classify
          yes_outcome "Ja" when c
          otherwise no_outcome "Nej"

        """

    @Test("breakpoints on a range's closed ends, the value on them, one step inside, and below a range from zero")
    func rangeEnds() throws {
        let bodies = [
            "criterion c \"C\" = a >= 100 kr", "criterion c \"C\" = a <= 0 kr", "criterion c \"C\" = a > 99.99 kr",
            "criterion c \"C\" = s >= 100 %", "criterion c \"C\" = s > 0 %", "criterion c \"C\" = s <= 0 % or a >= 100 kr",
            "criterion c \"C\" = n >= 10", "criterion c \"C\" = n <= 0", "criterion c \"C\" = b <= 0 kr", "criterion c \"C\" = b > 0 kr",
            "criterion c \"C\" = a + b >= 100 kr", "criterion c \"C\" = a - b >= 100 kr",
        ]
        let amounts: [Int128] = [0, 1, 5_000, 9_999, 10_000, -1, -500]
        let shares = [Exact.zero, Exact(raw: 1, 2), Exact.one, Exact(raw: -1, 100)]
        var compared = 0
        for body in bodies {
            let rules = Self.ranged.replacingOccurrences(of: "BODY", with: body)
            for a in amounts {
                for (s, share) in shares.enumerated() {
                    for n in [0, 1, 10, -1] {
                        let b = amounts[(s + n + 7) % amounts.count]
                        let inputs: [Scalar?] = [Self.money(a), .number(share), .number(Exact(integer: Int128(n))), Self.money(b)]
                        let (evaluator, decision) = try Self.firm(rules, inputs)
                        guard decision.outcome != nil else { continue }
                        SearchStepTests.expectSame(try SearchStepTests.all(evaluator, decision), "\(body) \(inputs)")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 1_000, "\(compared)")
    }

    @Test("a criterion read opaquely over the moved input hands that input to Probe, as the check per criterion did")
    func opaqueCriterion() throws {
        let rules = """
            ruleset t "Test"
              in force from 2015-01-01
            input a: money min 0 kr
            input n: count
            criterion c "C" = n > 3 or a > 10 kr
            criterion d "D" = n * n > 50
            criterion e "E" = a >= 5 kr
            classify
              yes_outcome "Ja" when c
              otherwise no_outcome "Nej"

            """
        var flippedD = 0
        for n in [0, 2, 3, 4, 7, 8] {
            for a: Int128 in [0, 500, 1_000, 1_001] {
                let (evaluator, decision) = try Self.firm(rules, [Self.money(a), .number(Exact(integer: Int128(n)))])
                let sets = try SearchStepTests.all(evaluator, decision)
                SearchStepTests.expectSame(sets, "n = \(n), a = \(a)")
                flippedD += sets[0].changes.filter { $0.input == 1 && $0.criteria.contains(1) }.count
            }
        }
        // The opaque criterion does flip where n crosses 7 to 8: the answers must come from Probe.
        #expect(flippedD > 0)
    }

    @Test("amounts past 64 bits: the moves take the 128-bit path and give the same breakpoints")
    func pastSixtyFourBits() throws {
        let rules = """
            ruleset t "Test"
              in force from 2015-01-01
            input a: money min 0 kr
            input b: money
            input n: count
            BODY
            classify
              yes_outcome "Ja" when c
              otherwise no_outcome "Nej"

            """
        let bodies = [
            "criterion c \"C\" = a + b > 1 kr", "criterion c \"C\" = 3 * a - b > 92233720368547758.07 kr",
            "criterion c \"C\" = a / (a + b) > 50 %", "criterion c \"C\" = 1000 * a > b",
        ]
        // Around 2^63 øre (92,233,720,368,547,758.07 kr), and far past it.
        let amounts: [Int128] = [
            9_223_372_036_854_775_807, 9_223_372_036_854_775_808, 3_074_457_345_618_258_602, 3_074_457_345_618_258_603, 100,
            -9_223_372_036_854_775_808, 100_000_000_000_000_000_000_000,
        ]
        var compared = 0
        for body in bodies {
            let text = rules.replacingOccurrences(of: "BODY", with: body)
            for a in amounts {
                for b in amounts {
                    let (evaluator, decision) = try Self.firm(text, [Self.money(a), Self.money(b), .number(Exact(integer: 3))])
                    guard decision.outcome != nil else { continue }
                    let fast = try #require(evaluator.counterfactuals(of: decision))
                    let reference = try #require(evaluator.counterfactuals(of: decision, fastPath: true, incremental: false))
                    let probe = try #require(evaluator.counterfactuals(of: decision, fastPath: true, flat: false))
                    let exact = try #require(evaluator.counterfactuals(of: decision, fastPath: true, integral: false))
                    let texts = [fast, reference, probe, exact].map { String(describing: $0) }
                    #expect(texts[0] == texts[1], "\(body) \(a) \(b)\nfast: \(texts[0])\nreference: \(texts[1])")
                    #expect(texts[0] == texts[2], "\(body) \(a) \(b)\nfast: \(texts[0])\nprobe: \(texts[2])")
                    #expect(texts[0] == texts[3], "\(body) \(a) \(b)\nfast: \(texts[0])\nexact: \(texts[3])")
                    compared += 1
                }
            }
        }
        #expect(compared > 100, "\(compared)")
    }

    @Test("the ray's far end in 64 bits: the same value in the same parts as Probe.rayStep")
    func rayStep() {
        var random = SplitMix64(seed: 1_511)
        var values: [Exact] = [
            .zero, .one, Exact(raw: -1, 1), Exact(raw: 2, 1), Exact(raw: -2, 1), Exact(raw: 3, 2), Exact(raw: 1, 2), Exact(raw: 100, 100),
            Exact(raw: 200, 100), Exact(raw: 199, 100), Exact(raw: -200, 100), Exact(raw: 201, 100), Exact(raw: 4, 2), Exact(raw: 3, 3),
            Exact(raw: Int128(Int64.max), 1), Exact(raw: Int128(Int64.min), 1), Exact(raw: Int128(Int64.min) + 1, 1),
            Exact(raw: Int128(1) << 70, 3), Exact(raw: 5, Int128(1) << 70), Exact(raw: -(Int128(1) << 90), 1),
        ]
        for _ in 0..<20_000 {
            let denominator = Int128([1, 2, 3, 100, 7][random.next(5)])
            values.append(Exact(raw: Int128(random.next(1_001)) - 500, denominator))
        }
        for type in [ValueType.money, .count, .percent, .number] {
            for value in values {
                let fast = CompiledSearch.rayStep(past: value, type)
                let probe = Probe.rayStep(past: value, type)
                #expect(fast.numerator == probe.numerator && fast.denominator == probe.denominator, "\(type) \(value): \(fast) \(probe)")
            }
        }
    }
}
