import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The evaluator's compiled program (`Evaluator+Program.swift`) must store exactly what `evaluate(_:)`
/// computes: every value, every criterion and the decision, on generated firms with missing
/// values, zeros (divisions by zero) and every outcome.
@Suite("evaluator fast lane: the same results as evaluate(_:)")
struct EvaluatorFastLaneTests {
    /// The bundled national and anden-aktør rule sets, and the batch test rule sets.
    static func ruleSets() -> [RuleSet] {
        var sets = BatchFixtures.ruleSets()
        if case .success(let loaded) = RuleLoader.load(path: TestPaths.rules) { sets += loaded.ruleSets }
        // Two rules to one outcome: the registers are read by rule, as `evaluate(_:)` reads them.
        if case .success(let loaded) = RuleLoader.load(path: TestPaths.fixtures + "/routes/routes.rules") { sets += loaded.ruleSets }
        return sets
    }

    /// A deterministic firm: each input missing, zero or a varied value.
    static func firm(_ ruleSet: RuleSet, seed: inout UInt64) -> [Scalar?] {
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        return ruleSet.inputs.map { input -> Scalar? in
            let roll = next(10)
            if roll == 0 { return nil }
            switch input.type {
            case .money, .number: return .number(roll == 1 ? .zero : Exact(øre: Int128(next(1_000_000_000))))
            case .count: return .number(Exact(integer: Int128(roll == 1 ? 0 : next(40))))
            case .percent: return .number(Exact(numerator: Int128(next(101)), denominator: 100) ?? .zero)
            case .bool: return .bool(next(4) != 0)
            case .date: return Day(year: 2020 + next(5), month: 1 + next(12), day: 1).map(Scalar.date)
            case .text: return .text("tekst \(next(3))")
            case .choice(let set): return .choice(next(max(1, ruleSet.choiceSets[set].count)))
            }
        }
    }

    /// The decision as `classify` would reach it with `evaluate(_:)` alone.
    static func referenceDecision(_ evaluator: Evaluator) -> (Int?, InputSet, [Int]) {
        var missing = InputSet()
        var possible: [Int] = []
        for (index, outcome) in evaluator.ruleSet.outcomes.enumerated() {
            guard let condition = outcome.condition else {
                return possible.isEmpty ? (index, missing, []) : (nil, missing, possible + [index])
            }
            switch evaluator.evaluate(condition) {
            case .known(.bool(true)): return possible.isEmpty ? (index, missing, []) : (nil, missing, possible + [index])
            case .known: continue
            case .unknown(let unknown):
                missing = missing.union(unknown.missing)
                possible.append(index)
            }
        }
        return (nil, missing, possible)
    }

    @Test("2,000 generated firms per rule set, every stored result checked")
    func agreesWithEvaluate() {
        var seed: UInt64 = 11
        guard let day = Day(year: 2024, month: 12, day: 31) else { return }
        var outcomes: Set<String> = []
        for ruleSet in EvaluatorFastLaneTests.ruleSets() {
            var evaluator = Evaluator(ruleSet: ruleSet)
            for _ in 0..<2_000 {
                let decision = evaluator.evaluate(inputs: EvaluatorFastLaneTests.firm(ruleSet, seed: &seed), on: day)
                if decision.notInForceOn != nil { break }
                for (index, value) in ruleSet.values.enumerated() where evaluator.valueResults[index] != evaluator.evaluate(value.root) {
                    Issue.record(
                        "\(ruleSet.name): value \(value.name) is \(evaluator.valueResults[index]), evaluate says \(evaluator.evaluate(value.root))"
                    )
                }
                for (index, criterion) in ruleSet.criteria.enumerated()
                where evaluator.criterionResults[index] != evaluator.evaluate(criterion.root) {
                    Issue.record("\(ruleSet.name): criterion \(criterion.name) differs from evaluate(_:)")
                }
                let (outcome, missing, possible) = EvaluatorFastLaneTests.referenceDecision(evaluator)
                #expect(decision.outcome == outcome && decision.missing == missing && decision.possibleOutcomes == possible)
                outcomes.insert("\(ruleSet.name).\(outcome.map { ruleSet.outcomes[$0].name } ?? "undetermined")")
            }
        }
        // The generated firms reach every outcome of the test rule sets, and undetermined ones.
        #expect(
            outcomes.isSuperset(of: [
                "alpha.excluded", "alpha.good", "alpha.other", "alpha.undetermined",
                "beta.seller", "beta.nonseller", "beta.undetermined",
            ]), "\(outcomes.sorted())")
    }

    @Test("evaluate(taking:) decides as evaluate(inputs:) and hands back the previous firm's array; registers read as evaluate(_:)")
    func takingAgreesWithInputs() throws {
        var seed: UInt64 = 29
        let day = try #require(Day(year: 2024, month: 12, day: 31))
        for ruleSet in EvaluatorFastLaneTests.ruleSets() {
            // The reference runs `evaluate(_:)` alone, so the registers are checked against the definition.
            var taking = Evaluator(ruleSet: ruleSet)
            var plain = Evaluator(ruleSet: ruleSet, compiled: false)
            var previous: [Scalar?] = Array(repeating: nil, count: ruleSet.inputs.count)
            for _ in 0..<500 {
                let firm = EvaluatorFastLaneTests.firm(ruleSet, seed: &seed)
                var row = firm
                let decision = taking.evaluate(taking: &row, on: day)
                #expect(decision == plain.evaluate(inputs: firm, on: day))
                #expect(taking.inputs == firm)
                #expect(row == previous, "the array handed back holds the previous firm's inputs")
                #expect(taking.criterionResults == plain.criterionResults && taking.valueResults == plain.valueResults)
                for criterion in ruleSet.criteria.indices {
                    #expect(taking.criterionIsTrue(criterion) == (plain.criterionResult(criterion).bool ?? false))
                }
                for node in ruleSet.nodes.indices where taking.knownBool(Int32(node)) != plain.evaluate(Int32(node)).bool {
                    Issue.record("\(ruleSet.name): node \(node): the register's yes/no differs from evaluate(_:)")
                }
                previous = firm
            }
        }
    }
}
