import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The analysis must never claim more than is true. These tests lint large synthetic rule sets,
/// then classify thousands of generated firms with the evaluator, and check that no firm ever
/// gets an outcome the linter called unreachable, meets a criterion it called impossible, or
/// fails one it called always true. The firms' values cluster around the thresholds of the rule
/// file, where a wrong implication would show.
@Suite("lint: findings about conditions hold for every firm")
struct LintSoundnessTests {
    @Test("unreachable outcomes are never decided; constant criteria never change", arguments: [UInt64(7), 2024, 99])
    func findingsHoldOnFirms(seed: UInt64) throws {
        let text = SyntheticRules.ruleFile(criteria: 300, outcomes: 300, seed: seed)
        let loaded = RuleLoader.load([SourceFile(path: "synthetic.rules", text: text)])
        let ruleSet = try #require(loaded.ruleSets.first, "\(loaded.diagnostics.map(DiagnosticRenderer.oneLine))")
        let context = LintContext(ruleSet: ruleSet, syntax: loaded.files)
        let unreachable = Set(context.coverage.unreachable.keys)
        var never: Set<Int> = []
        var always: Set<Int> = []
        for item in context.constantConditions.items where item.isWhole {
            if case .criterion(let index) = item.owner {
                if item.alwaysTrue { always.insert(index) } else { never.insert(index) }
            }
        }
        #expect(!unreachable.isEmpty, "the synthetic file should have some unreachable outcomes to test")

        var random = SplitMix64(seed: seed &+ 1)
        var evaluator = Evaluator(ruleSet: ruleSet)
        var exercised = 0
        for firm in 0..<1_500 {
            let inputs = ruleSet.inputs.map { LintSoundnessTests.value(for: $0, ruleSet: ruleSet, random: &random) }
            let day = try #require(Day(year: firm % 2 == 0 ? 2018 : 2022, month: 12, day: 31))
            let decision = evaluator.evaluate(inputs: inputs, on: day)
            if let outcome = decision.outcome {
                #expect(!unreachable.contains(outcome), "firm \(firm) got '\(ruleSet.outcomes[outcome].name)', reported unreachable")
            }
            // The claim itself: whenever an unreachable outcome's condition holds, an earlier one's does.
            var earlierHolds = false
            for (index, outcome) in ruleSet.outcomes.enumerated() {
                guard let condition = outcome.condition else { break }
                let holds: Bool = if case .known(.bool(true)) = evaluator.evaluate(condition) { true } else { false }
                if holds && unreachable.contains(index) {
                    exercised += 1
                    #expect(earlierHolds, "firm \(firm) meets '\(outcome.name)' and no earlier outcome, but it was reported unreachable")
                }
                earlierHolds = earlierHolds || holds
            }
            for (index, result) in evaluator.criterionResults.enumerated() {
                if never.contains(index), case .known(.bool(true)) = result {
                    Issue.record("criterion '\(ruleSet.criteria[index].name)' reported impossible is met by firm \(firm)")
                }
                if always.contains(index), case .known(.bool(false)) = result {
                    Issue.record("criterion '\(ruleSet.criteria[index].name)' reported always true fails for firm \(firm)")
                }
            }
        }
        #expect(exercised > 1_000, "the firms should meet the conditions of unreachable outcomes often, met \(exercised)")
    }

    /// A value inside the input's declared range, mostly at or next to a round threshold.
    static func value(for input: InputDefinition, ruleSet: RuleSet, random: inout SplitMix64) -> Scalar? {
        switch input.type {
        case .money:
            let thousands = Int128(random.next(101)) * 100_000
            let offset = Int128([0, 0, 100, -100][random.next(4)])
            return .number(Exact(øre: max(0, thousands + offset)))
        case .percent:
            let points = Int128(random.next(101)) * 2 + Int128([0, 0, 1, -1][random.next(4)])
            return .number(Exact(numerator: min(max(points, 0), 200), denominator: 200) ?? Exact.zero)
        case .count:
            return .number(Exact(integer: Int128(random.next(25))))
        case .bool:
            return .bool(random.next(2) == 1)
        case .choice(let set):
            return .choice(random.next(ruleSet.choiceSets[set].count))
        default:
            return nil
        }
    }
}
