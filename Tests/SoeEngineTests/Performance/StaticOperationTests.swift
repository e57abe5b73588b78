import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The compiled program runs the operations that read only constants, parameters and other such
/// operations once per day (`Program.staticOperations`, when the day's parameters are loaded),
/// not per firm. These tests hold that program to one that runs every operation per firm
/// (`hoisting: false`, the program as it was), register for register: the decision (outcome,
/// status, missing inputs, possible outcomes, problems), every value and criterion, what every
/// node is known to be (the deciding criteria's probes), and every register once the whole program
/// has run, on generated rule sets and on rule sets whose parameters divide by zero, overflow,
/// have no value on some days and change from day to day, with firms at the edges of 64 bits,
/// equal to the thresholds, and with missing inputs.
@Suite("static operations: once per day gives what once per firm gave")
struct StaticOperationTests {
    /// Parameters that change over the years, one with no value before 2021, one zero, one near
    /// 2^63; formulas of parameters alone (divisions by a zero one, products that overflow words,
    /// comparisons, `if`, `max`) feeding formulas of the inputs.
    static let parameterRules = """
        ruleset statics "Statics"
          source "Test"
          version "1.0"
          in force from 2019-01-01 until 2025-12-31

        input amount: money "Amount"
        input staff: count "Staff"
        input share_in: percent "Share"

        parameter limit: money "Limit" policy "Test"
          = 1000 kr from 2019-01-01
          = 2500 kr from 2022-01-01
        parameter ratio: number "Ratio" policy "Test"
          = 5 from 2019-01-01
          = 0 from 2023-01-01
          = 4 from 2024-01-01
        parameter late: percent "Late" policy "Test"
          = 30 % from 2021-01-01
        parameter huge: money "Huge" policy "Test"
          = 92233720368547758.07 kr from 2019-01-01
          = 3037000500 kr from 2022-01-01

        value per_head "Per head" = limit / ratio
        value squared "Squared" = huge * ratio * ratio
        value half "Half" = if ratio > 0 then limit / ratio else limit
        value top "Top" = max(limit, huge / 1000000000, 7 kr)
        value scaled "Scaled" = amount * ratio - limit / ratio
        value blended "Blended" = late + share_in

        criterion big "Big" cite "Test" = amount >= per_head
        criterion heavy "Heavy" cite "Test" = squared > amount
        criterion halved "Halved" cite "Test" = staff * half <= amount
        criterion topped "Topped" cite "Test" = amount < top
        criterion fixed "Fixed" cite "Test" = limit / ratio > 100 kr and late >= 20 %
        criterion mixed "Mixed" cite "Test" = scaled > 0 kr or blended = 50 %

        classify
          a "A" when fixed reason "A"
          b "B" when all of big, heavy reason "B"
          c "C" when any of halved, topped reason "C"
          d "D" when mixed reason "D"
          otherwise e "E" reason "E"
        """

    /// A number: plain, on a threshold, at the edges of words, or one that does not fit.
    static func number(_ random: inout SplitMix64) -> Exact {
        switch random.next(8) {
        case 0: return Exact(integer: Int128([0, 200, 250, 500, 625, 1000, 2500][random.next(7)]))
        case 1: return Exact(raw: Int128([0, 20_000, 25_000, 50_000, 62_500, 100_000, 250_000][random.next(7)]), 100)
        case 2, 3: return WordProgramTests.number(&random)
        default: return Exact(øre: Int128(random.next(1_000_000)) - 100_000)
        }
    }

    /// A firm: each input missing now and then, else a number, a yes/no or a choice of its type.
    static func firm(_ ruleSet: RuleSet, _ random: inout SplitMix64) -> [Scalar?] {
        if random.next(2) == 0 { return WordProgramTests.firm(ruleSet, &random) }
        return ruleSet.inputs.map { input -> Scalar? in
            if random.next(10) == 0 { return nil }
            switch input.type {
            case .money, .number, .percent, .count: return .number(number(&random))
            case .bool: return .bool(random.next(2) == 0)
            case .choice(let set): return .choice(random.next(max(1, ruleSet.choiceSets[set].count)))
            case .date, .text: return nil
            }
        }
    }

    /// A register as a string: its kind and the words that kind gives meaning to.
    static func words(_ slots: [Slot]) -> [String] { slots.map(ProgramPartsTests.words) }

    /// Holds the two evaluators to each other on `firms` firms of the rule set, over changing days;
    /// returns how many firms the hoisted program decided.
    static func compare(_ ruleSet: RuleSet, firms: Int, _ random: inout SplitMix64) -> Int {
        var hoisted = Evaluator(ruleSet: ruleSet)
        var reference = Evaluator(ruleSet: ruleSet, compiled: true, hoisting: false)
        let days = [(2018, 6), (2019, 12), (2020, 12), (2021, 12), (2022, 12), (2023, 6), (2024, 12), (2026, 1)]
        var decided = 0
        for firm in 0..<firms {
            // Mostly one day at a time, as a batch runs, now and then another.
            let (year, month) = days[(firm / 25 + (random.next(10) == 0 ? random.next(days.count) : 0)) % days.count]
            guard let day = Day(year: year, month: month, day: month == 6 ? 30 : 31) else { continue }
            let inputs = firm % 7 == 0 ? hoisted.inputs : StaticOperationTests.firm(ruleSet, &random)
            let decision = hoisted.evaluate(inputs: inputs, on: day)
            let expected = reference.evaluate(inputs: inputs, on: day)
            let label = "\(ruleSet.name) firm \(firm) on \(day): \(inputs)"
            guard decision == expected else {
                Issue.record("\(label): \(decision), not \(expected)")
                continue
            }
            if hoisted.executed >= 0 { decided += 1 }
            #expect(hoisted.valueResults.map(WordProgramTests.parts) == reference.valueResults.map(WordProgramTests.parts), "\(label)")
            #expect(
                hoisted.criterionResults.map(WordProgramTests.parts) == reference.criterionResults.map(WordProgramTests.parts), "\(label)")
            for node in ruleSet.nodes.indices where hoisted.knownBool(Int32(node)) != reference.knownBool(Int32(node)) {
                Issue.record("\(label): node \(node) known as \(String(describing: hoisted.knownBool(Int32(node))))")
            }
            guard decision.notInForceOn == nil else { continue }
            // The whole program run, as for a trace: every register the same.
            hoisted.settleEverything()
            reference.settleEverything()
            if StaticOperationTests.words(hoisted.slots) != StaticOperationTests.words(reference.slots) {
                Issue.record("\(label): registers differ")
            }
            for node in ruleSet.nodes.indices {
                let mine = WordProgramTests.parts(hoisted.evaluate(Int32(node)))
                let theirs = WordProgramTests.parts(reference.evaluate(Int32(node)))
                if mine != theirs { Issue.record("\(label): node \(node) is \(mine), not \(theirs)") }
            }
        }
        return decided
    }

    @Test("parameters that divide by zero, overflow, change and go missing: the same decisions and registers")
    func parameterFormulasAgree() {
        let loaded = loadRules([("statics.rules", StaticOperationTests.parameterRules)])
        guard let ruleSet = loaded.ruleSets.first, !loaded.hasErrors else {
            Issue.record("the rule set does not load: \(loaded.diagnostics)")
            return
        }
        guard let program = Evaluator(ruleSet: ruleSet).program else {
            Issue.record("no program")
            return
        }
        // limit / ratio (three times), huge * ratio * ratio, ratio > 0, the if, huge / 10^9, the max,
        // limit / ratio > 100 kr, late >= 20 %, and their `and`, are the same for every firm.
        #expect(program.staticOperations.count >= 10, "\(program.staticOperations.map(\.code))")
        var random = SplitMix64(seed: 2_026_120_431)
        let decided = StaticOperationTests.compare(ruleSet, firms: 6_000, &random)
        #expect(decided > 4_000, "\(decided)")
    }

    @Test("generated and bundled rule sets: the same decisions and registers")
    func generatedRuleSetsAgree() {
        var random = SplitMix64(seed: 2_026_120_432)
        var withStatic = 0
        var decided = 0
        for ruleSet in WordProgramTests.ruleSets() {
            if Evaluator(ruleSet: ruleSet).program?.staticOperations.isEmpty == false { withStatic += 1 }
            decided += StaticOperationTests.compare(ruleSet, firms: 12, &random)
        }
        #expect(withStatic >= 50, "rule sets with static operations: \(withStatic)")
        #expect(decided > 3_000, "\(decided)")
    }
}
