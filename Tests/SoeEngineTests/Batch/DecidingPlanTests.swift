import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The deciding criteria worked out once per rule set (`DecidingPlan`) against the walk over the
/// formula tree (`DecidingCriteria.collect` with `criterionIsTrue`), on generated rule sets whose
/// conditions nest `all of`, `any of`, `none of`, `not`, `and`, `or` and `if`, and firms with
/// missing values.
@Suite("batch: deciding criteria from the plan equal the walk's")
struct DecidingPlanTests {
    /// The walk's criteria of a determined result, as `2 × criterion + value`.
    static func walked(_ outcome: Int, _ evaluator: Evaluator) -> [Int] {
        var found: [Int] = []
        DecidingCriteria.collect(outcome: outcome, evaluator: evaluator, into: &found)
        return found.map { 2 * $0 + (evaluator.criterionIsTrue($0) ? 1 : 0) }
    }

    /// The plan's, by its steps and, for an outcome with probes, by its answers too.
    static func planned(_ plan: DecidingPlan, _ outcome: Int, _ given: Evaluator) -> (run: [Int], byAnswers: [Int]?) {
        var evaluator = given
        var found: [Int] = []
        plan.run(outcome: outcome, evaluator: evaluator, base: 0, into: &found)
        guard plan.probeCounts[outcome] >= 0 else { return (found, nil) }
        return (found, plan.criteria(outcome: outcome, answers: plan.answers(outcome: outcome, evaluator: &evaluator)))
    }

    static func value(_ type: ValueType, _ ruleSet: RuleSet, _ random: inout SplitMix64) -> Scalar? {
        guard random.next(4) != 0 else { return nil }
        switch type {
        case .money, .percent, .number: return .number(Exact(integer: Int128(random.next(200) - 50)))
        case .count: return .number(Exact(integer: Int128(random.next(60))))
        case .bool: return .bool(random.next(2) == 0)
        case .date: return .date(Day(year: 2000 + random.next(30), month: 1 + random.next(12), day: 1 + random.next(28))!)
        case .text: return .text(random.pick(["", "abc", "æøå"]))
        case .choice(let set): return .choice(random.next(max(ruleSet.choiceSets[set].count, 1)))
        }
    }

    @Test("generated rule sets: the same criteria, with the same values, for every determined result")
    func generated() {
        var random = SplitMix64(seed: 2026_12_04)
        var counts = (results: 0, named: 0, probed: 0, nested: 0, fixed: 0)
        for _ in 0..<1_500 {
            var generator = RuleGenerator((0..<384).map { _ in UInt8(random.next(256)) })
            let loaded = loadRules([("fz.rules", generator.generate().rules)])
            guard let ruleSet = loaded.ruleSets.first, !loaded.hasErrors else { continue }
            let plan = DecidingPlan(ruleSet)
            for outcome in ruleSet.outcomes.indices {
                if plan.probeCounts[outcome] == 0 { counts.fixed += 1 }
                if plan.probeCounts[outcome] < 0 { counts.nested += 1 }
            }
            var evaluator = Evaluator(ruleSet: ruleSet)
            for _ in 0..<20 {
                let inputs = ruleSet.inputs.map { Self.value($0.type, ruleSet, &random) }
                let decision = evaluator.evaluate(inputs: inputs, on: Day(year: 2024, month: 12, day: 31)!)
                guard decision.notInForceOn == nil, decision.isDetermined, let outcome = decision.outcome,
                    !plan.general[outcome]
                else { continue }
                let expected = Self.walked(outcome, evaluator)
                let (run, byAnswers) = Self.planned(plan, outcome, evaluator)
                #expect(run == expected, "the plan's steps differ from the walk")
                if let byAnswers {
                    #expect(byAnswers == expected, "the plan's answers differ from the walk")
                    counts.probed += 1
                }
                counts.results += 1
                if !expected.isEmpty { counts.named += 1 }
            }
        }
        // The corpus must reach what it tests: criteria named, outcomes of each kind.
        #expect(counts.results > 5_000, "\(counts)")
        #expect(counts.named > 1_000, "\(counts)")
        #expect(counts.probed > 1_000 && counts.nested > 20 && counts.fixed > 100, "\(counts)")
    }

    @Test("the bundled anden_aktoer rule set: fixed criteria for four outcomes, three probes for the fallback")
    func bundled() throws {
        guard case .success(let loaded) = RuleLoader.load(path: TestPaths.rules),
            let ruleSet = loaded.ruleSets.first(where: { $0.name == "anden_aktoer" })
        else {
            Issue.record("the bundled rules do not load")
            return
        }
        let plan = DecidingPlan(ruleSet)
        #expect(plan.probeCounts == [0, 0, 0, 0, 3])
        // The fallback with every earlier condition false and each of the last one's criteria
        // unmet or met: the unmet ones are named, after the three earlier criteria.
        let names = ruleSet.criteria.map(\.name)
        let criteria = { (answers: Int) in
            plan.criteria(outcome: 4, answers: answers).map { names[$0 >> 1] + ($0 & 1 == 1 ? "=yes" : "=no") }
        }
        #expect(criteria(0b000) == ["eligible=yes", "publicly_controlled=no", "lives_off_employment_services=no"])
        #expect(criteria(0b101) == criteria(0b000) + ["market_based=no", "placements_reasonable=no"])
        #expect(criteria(0b010) == criteria(0b000) + ["creates_paid_jobs=no"])
    }
}
