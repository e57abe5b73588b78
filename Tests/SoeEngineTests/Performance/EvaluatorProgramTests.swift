import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The compiled program (`Evaluator+Program.swift`) must give exactly what `evaluate(_:)` alone
/// gives: the decision (outcome, missing inputs, possible outcomes, problems), every value, every
/// criterion and every node a trace would show, on generated firms. The firms are chosen to reach
/// the program's edges: missing inputs, zero revenues (divisions by zero), negative profits,
/// exact ties (a share of exactly 50 %), values near the ±2^127 limit (overflow), fractions with
/// large denominators, text and dates, and fiscal years in and out of force.
@Suite("evaluator program: the same results as evaluate(_:) alone")
struct EvaluatorProgramTests {
    /// Every bundled rule set, the minimal sample's, the batch test rule sets, and one whose
    /// outcome is reached by two rules (the program runs the rules in order, whatever their names).
    static func ruleSets() -> [RuleSet] {
        var sets = BatchFixtures.ruleSets()
        for path in [TestPaths.rules, TestPaths.samples + "/minimal/minimal.rules", TestPaths.fixtures + "/routes/routes.rules"] {
            guard case .success(let loaded) = RuleLoader.load(path: path), !loaded.hasErrors else {
                Issue.record("\(path) does not load")
                continue
            }
            sets += loaded.ruleSets
        }
        return sets
    }

    /// A number from one of several families: small round amounts (ties and zeros are common),
    /// øre amounts, negatives, fractions with large denominators, and values near the limit.
    static func number(_ random: inout SplitMix64, type: ValueType) -> Exact {
        let huge = Int128.max
        switch random.next(16) {
        case 0: return .zero
        case 1, 2, 3: return Exact(integer: Int128(random.next(5) * 100))
        case 4, 5: return Exact(øre: Int128(random.next(1_000_000_000)))
        case 6: return Exact(øre: -Int128(random.next(1_000_000_000)))
        case 7:
            return Exact(numerator: Int128(random.next(2_000) - 1_000), denominator: Int128(1 + random.next(999))) ?? .zero
        case 8: return Exact(numerator: Int128(random.next(7) + 1), denominator: 1_000_000_000_000_000_000_000_000_000) ?? .zero
        case 9: return Exact(integer: huge - Int128(random.next(3)))
        case 10: return Exact(integer: -huge - Int128(random.next(2)))
        case 11: return Exact(numerator: huge / Int128(1 + random.next(4)), denominator: 100) ?? .zero
        case 12: return Exact(integer: Int128(1) << (60 + random.next(8)))
        case 13:
            // Large numerator and denominator together: the 256-bit comparison path.
            return Exact(numerator: (Int128(1) << 100) + Int128(random.next(1_000)), denominator: (Int128(1) << 90) + 1) ?? .zero
        default:
            if type == .percent { return Exact(numerator: Int128(random.next(101)), denominator: 100) ?? .zero }
            return Exact(integer: Int128(random.next(60)))
        }
    }

    /// A firm: each input missing, or a value of its type (sometimes of the wrong kind: the
    /// evaluator must agree with itself on anything it is given, not only on checked input).
    static func firm(_ ruleSet: RuleSet, _ random: inout SplitMix64) -> [Scalar?] {
        let missingRate = [0, 2, 10, 50][random.next(4)]
        // A third of the firms are plausible ones (every yes/no mostly yes, small non-negative
        // amounts, the first choice), so that the outcomes at the end of the order are reached too.
        if random.next(3) == 0 {
            return ruleSet.inputs.map { input -> Scalar? in
                switch input.type {
                case .money, .number, .count: return .number(Exact(integer: Int128(random.next(6) * 100)))
                case .percent: return .number(Exact(numerator: Int128(random.next(3) * 10), denominator: 100) ?? .zero)
                case .bool: return .bool(random.next(40) != 0)
                case .date: return Day(year: 2022, month: 6, day: 30).map(Scalar.date)
                case .text: return .text("tekst")
                case .choice: return .choice(0)
                }
            }
        }
        return ruleSet.inputs.map { input -> Scalar? in
            if random.next(100) < missingRate { return nil }
            if random.next(200) == 0 { return .text("odd") }
            switch input.type {
            case .money, .number, .percent, .count: return .number(number(&random, type: input.type))
            case .bool: return .bool(random.next(4) != 0)
            case .date: return Day(year: 2018 + random.next(8), month: 1 + random.next(12), day: 1).map(Scalar.date)
            case .text: return .text("tekst \(random.next(3))")
            case .choice(let set): return .choice(random.next(max(1, ruleSet.choiceSets[set].count) + (random.next(50) == 0 ? 1 : 0)))
            }
        }
    }

    @Test("generated firms per rule set and fiscal year: decisions, values, criteria and nodes agree")
    func agreesWithEvaluate() {
        var random = SplitMix64(seed: 20_260_523)
        var outcomes: Set<String> = []
        var problems: Set<String> = []
        let days = [(2024, 12, 31), (2022, 6, 30), (2014, 12, 31)].compactMap { Day(year: $0.0, month: $0.1, day: $0.2) }
        for ruleSet in EvaluatorProgramTests.ruleSets() {
            var compiled = Evaluator(ruleSet: ruleSet)
            var reference = Evaluator(ruleSet: ruleSet, compiled: false)
            for firm in 0..<6_000 {
                let day = days[firm % 7 == 6 ? 2 : firm % 2]
                let inputs = EvaluatorProgramTests.firm(ruleSet, &random)
                let decision = compiled.evaluate(inputs: inputs, on: day)
                let expected = reference.evaluate(inputs: inputs, on: day)
                guard decision == expected else {
                    Issue.record("\(ruleSet.name) firm \(firm): \(decision) but evaluate(_:) alone gives \(expected); inputs \(inputs)")
                    continue
                }
                #expect(compiled.valueResults == reference.valueResults, "\(ruleSet.name) firm \(firm): values")
                #expect(compiled.criterionResults == reference.criterionResults, "\(ruleSet.name) firm \(firm): criteria")
                #expect(compiled.parameterResults == reference.parameterResults, "\(ruleSet.name) firm \(firm): parameters")
                if decision.notInForceOn == nil {
                    for node in ruleSet.nodes.indices where compiled.evaluate(Int32(node)) != reference.evaluate(Int32(node)) {
                        Issue.record("\(ruleSet.name) firm \(firm): node \(node) differs; inputs \(inputs)")
                    }
                }
                // An outcome reached by several rules counts each rule, so that every route is shown reached.
                let name =
                    decision.outcome.map {
                        ruleSet.outcomes[$0].routes > 1
                            ? "\(ruleSet.outcomes[$0].name)#\(ruleSet.outcomes[$0].route)" : ruleSet.outcomes[$0].name
                    }
                    ?? (decision.notInForceOn == nil ? "undetermined" : "not in force")
                outcomes.insert("\(ruleSet.name).\(name)")
                for problem in decision.problems { problems.insert(problem.kind.rawValue) }
            }
        }
        // The firms reach every outcome of the bundled rule sets, undetermined ones, and every problem.
        for expected in [
            "rsv_2014.not_eligible", "rsv_2014.public_controlled", "rsv_2014.social_economy",
            "rsv_2014.ordinary", "rsv_2014.undetermined", "anden_aktoer.not_eligible",
            "anden_aktoer.public_controlled", "anden_aktoer.anden_aktoer", "anden_aktoer.social_economy",
            "anden_aktoer.ordinary", "anden_aktoer.undetermined", "haderslev_2021.social_economy",
            "haderslev_2021.not in force", "alpha.good", "beta.seller", "routes.anden_aktoer#1", "routes.anden_aktoer#2",
            "routes.social_economy", "routes.undetermined",
        ] {
            #expect(outcomes.contains(expected), "\(expected) not reached: \(outcomes.sorted())")
        }
        #expect(problems.isSuperset(of: ["division_by_zero", "overflow"]), "\(problems.sorted())")
    }

    @Test("a reused evaluator shows no result of the previous firm")
    func reuseLeavesNothingBehind() {
        var random = SplitMix64(seed: 7)
        guard let day = Day(year: 2024, month: 12, day: 31) else { return }
        for ruleSet in EvaluatorProgramTests.ruleSets() {
            var reused = Evaluator(ruleSet: ruleSet)
            for _ in 0..<200 {
                let inputs = EvaluatorProgramTests.firm(ruleSet, &random)
                var fresh = Evaluator(ruleSet: ruleSet)
                #expect(reused.evaluate(inputs: inputs, on: day) == fresh.evaluate(inputs: inputs, on: day))
                #expect(reused.valueResults == fresh.valueResults && reused.criterionResults == fresh.criterionResults)
            }
        }
    }
}
