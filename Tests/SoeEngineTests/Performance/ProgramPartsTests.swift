import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The parts of the compiled program that the whole-program comparisons (`WordProgramTests`,
/// `EvaluatorProgramTests`) reach only through generated rule sets, each held to its own
/// definition here: the inputs' one-pass load against `Slot.init(_:)`, a member test's set of
/// choices kept in two 32-bit halves against the node's 64-bit mask, a decision's lists kept in a
/// box only an undetermined decision has against the lists it was made with; shares with a
/// guarded divisor, on firms at their edges, and the fused forms (chains of `+`, guarded shares),
/// against `evaluate(_:)`.
@Suite("program parts: the input load, member tests and decisions keep their meaning")
struct ProgramPartsTests {
    /// An input of any kind: numbers at the edges of words (some do not fit), yes/no, choices
    /// (negative and large ones too), dates, texts, or missing.
    static func scalar(_ random: inout SplitMix64) -> Scalar? {
        switch random.next(8) {
        case 0: return nil
        case 1: return .bool(random.next(2) == 0)
        case 2: return .choice([0, 1, 5, 63, 64, -1, Int.max, Int.min][random.next(8)])
        case 3: return Day(year: 2024, month: 1 + random.next(12), day: 1).map(Scalar.date)
        case 4: return .text("tekst")
        default: return .number(WordProgramTests.number(&random))
        }
    }

    /// A register as a string: its kind, and the words that kind gives meaning to.
    static func words(_ slot: Slot) -> String {
        switch slot.kind {
        case .none: "none"
        case .number: "number \(slot.numerator)/\(slot.denominator)"
        case .bool, .choice: "\(slot.kind) \(slot.numerator)"
        }
    }

    @Test("the one-pass load gives each input's register as Slot.init(_:) does, over any earlier firm's")
    func loadAgreesWithSlot() {
        var random = SplitMix64(seed: 2_026_120_419)
        var kinds: Set<String> = []
        for _ in 0..<4_000 {
            let count = random.next(12)
            // Fewer inputs than registers now and then: the rest must be left unsettled.
            let inputs = (0..<max(0, count - (random.next(4) == 0 ? random.next(3) : 0))).map { _ in
                ProgramPartsTests.scalar(&random)
            }
            // Registers that still hold another firm's values.
            var registers = (0..<count).map { _ in Slot(ProgramPartsTests.scalar(&random)) }
            registers.withUnsafeMutableBufferPointer { registers in
                inputs.withUnsafeBufferPointer { inputs in
                    if let base = registers.baseAddress { Program.load(inputs, into: base, count: count) }
                }
            }
            for index in 0..<count {
                let expected = Slot(index < inputs.count ? inputs[index] : nil)
                let got = ProgramPartsTests.words(registers[index])
                #expect(got == ProgramPartsTests.words(expected), "input \(index): \(String(describing: inputs[safe: index]))")
                kinds.insert("\(expected.kind)")
            }
        }
        #expect(kinds == ["none", "number", "bool", "choice"])
    }

    @Test("a member test's choices survive the two halves, and the test agrees with the node's meaning")
    func memberChoices() {
        var random = SplitMix64(seed: 2_026_120_420)
        for round in 0..<3_000 {
            // Masks with bits in both halves, the top bit, and none.
            let mask: UInt64 =
                switch round % 4 {
                case 0: UInt64(random.next(1 << 30)) << 34 | UInt64(random.next(1 << 30))
                case 1: UInt64(1) << UInt64(random.next(64))
                case 2: 0
                default: ~UInt64(random.next(1 << 20))
                }
            let (b, c) = Program.Operation.halves(mask)
            let flag = random.next(2) == 0
            let operation = Program.Operation(
                code: .member, small: flag ? 1 : 0, target: 0, a: Int32(MemoryLayout<Slot>.stride), b: b, c: c)
            #expect(operation.choices == mask)
            let choice = [random.next(70) - 3, Int.max, Int.min, 31, 32, 63, 64][random.next(7)]
            var registers = [Slot.unsettled, Slot(.choice(choice))]
            registers.withUnsafeMutableBufferPointer { registers in
                guard let base = registers.baseAddress else { return }
                [Int32]().withUnsafeBufferPointer { Program.execute(operation, UnsafeMutableRawPointer(base), $0) }
            }
            // `Evaluator.evaluate(_:)`'s definition of a member test.
            let isIn = choice >= 0 && choice < 64 && mask & (UInt64(1) << UInt64(choice)) != 0
            #expect(ProgramPartsTests.words(registers[0]) == "bool \(isIn != flag ? 1 : 0)", "choice \(choice) in \(mask)")
        }
    }

    @Test("a decision's lists are the ones it was made with, and equality compares them")
    func decisionLists() {
        let problem = Problem(kind: .divisionByZero, node: 3)
        let undetermined = Decision(missing: InputSet(2), possible: [1, 3], problems: [problem])
        #expect(undetermined.possibleOutcomes == [1, 3])
        #expect(undetermined.problems == [problem])
        #expect(undetermined.missing == InputSet(2))
        #expect(undetermined.outcome == nil && !undetermined.isDetermined && undetermined.notInForceOn == nil)
        #expect(undetermined == Decision(missing: InputSet(2), possible: [1, 3], problems: [problem]))
        #expect(undetermined != Decision(missing: InputSet(2), possible: [1], problems: [problem]))
        #expect(undetermined != Decision(missing: InputSet(2), possible: [1, 3], problems: []))
        #expect(undetermined != Decision(missing: InputSet(1), possible: [1, 3], problems: [problem]))
        let empty = Decision(missing: InputSet(), possible: [], problems: [])
        #expect(empty.possibleOutcomes.isEmpty && empty.problems.isEmpty)
        #expect(empty != Decision(outcome: 0))
        let determined = Decision(outcome: 2)
        #expect(determined.outcome == 2 && determined.isDetermined)
        #expect(determined.possibleOutcomes.isEmpty && determined.problems.isEmpty && determined.missing.isEmpty)
        #expect(determined == Decision(outcome: 2) && determined != Decision(outcome: 1))
        guard let day = Day(year: 2018, month: 12, day: 31) else { return }
        let notInForce = Decision(notInForce: day)
        #expect(notInForce.notInForceOn == day && notInForce.outcome == nil && notInForce.possibleOutcomes.isEmpty)
        #expect(notInForce != empty)
    }
    /// Shares with a guarded divisor, the rule sets' commonest form, in several shapes: the guard
    /// `=` or `<=` against a constant or an input, the share on the left or the right of the
    /// comparison that follows, a share not compared at once, a then-branch that is another share,
    /// and a division in the then-branch. `share` and `staff_share` are compiled to one operation
    /// each (`Program.Code.quotientUnlessZero`); `fusedFormsAgree` holds the fused forms to
    /// `evaluate(_:)` in more shapes.
    static let shareRules = """
        ruleset shares "Shares"
          source "Test"
          version "1.0"
          in force from 2019-01-01

        input part: money "Part"
        input whole: money "Whole"
        input other: money "Other"
        input staff: count "Staff"
        input special: count "Special"

        parameter limit: percent "Limit"
          policy "Test"
          = 50 % from 2019-01-01

        value share "Share" = if whole = 0 kr then 0 % else part / whole
        value share_of_other "Share of other" = if whole <= other then 100 % else other / whole
        value staff_share "Staff share" = if staff = 0 then 0 % else special / staff
        value guarded "Guarded" = if whole > 0 kr then part / whole else 1 %
        value fallback_share "Fallback share" = if whole = other then part / other else other / whole
        value then_share "Then share" = if part = 0 kr then share else part / whole

        criterion over "Over" cite "Test" = share > limit
        criterion at_most "At most" cite "Test" = limit >= share_of_other
        criterion exactly "Exactly" cite "Test" = staff_share = limit
        criterion differs "Differs" cite "Test" = share_of_other != share
        criterion low "Low" cite "Test" = guarded < limit
        criterion same "Same" cite "Test" = limit = fallback_share
        criterion plus "Plus" cite "Test" = then_share + share > limit

        classify
          a "A" when over reason "A"
          b "B" when all of at_most, exactly reason "B"
          c "C" when all of differs, plus reason "C"
          d "D" when any of low, same reason "D"
          otherwise e "E" reason "E"
        """

    /// A rule file's rule set, with an evaluator that runs the program and one that runs
    /// `evaluate(_:)` alone, and the closing day the tests evaluate on; nil (with the issue
    /// recorded) when the file does not load or has no program.
    static func evaluators(_ name: String, _ text: String) -> (RuleSet, compiled: Evaluator, reference: Evaluator, Program, Day)? {
        let loaded = loadRules([(name, text)])
        guard let ruleSet = loaded.ruleSets.first, !loaded.hasErrors else {
            Issue.record("the rule set does not load: \(loaded.diagnostics)")
            return nil
        }
        let compiled = Evaluator(ruleSet: ruleSet)
        guard let program = compiled.program, let day = Day(year: 2024, month: 12, day: 31) else {
            Issue.record("no program")
            return nil
        }
        return (ruleSet, compiled, Evaluator(ruleSet: ruleSet, compiled: false), program, day)
    }

    /// After both evaluators decided the same firm: each node's yes/no where the program stopped
    /// (what the result writers read), the values and criteria, and every node once the whole
    /// program has run (what a trace reads), digit for digit.
    static func expectSameReadings(
        _ compiled: inout Evaluator, _ reference: inout Evaluator, _ ruleSet: RuleSet, firm: Int, inputs: [Scalar?]
    ) {
        for node in ruleSet.nodes.indices {
            let known = compiled.knownBool(Int32(node))
            if known != reference.evaluate(Int32(node)).bool {
                Issue.record("firm \(firm): node \(node) read as \(String(describing: known)); \(inputs)")
            }
        }
        #expect(compiled.valueResults.map(WordProgramTests.parts) == reference.valueResults.map(WordProgramTests.parts))
        #expect(compiled.criterionResults == reference.criterionResults, "firm \(firm): \(inputs)")
        compiled.settleEverything()
        reference.settleEverything()
        for node in ruleSet.nodes.indices {
            let (mine, theirs) = (
                WordProgramTests.parts(compiled.evaluate(Int32(node))), WordProgramTests.parts(reference.evaluate(Int32(node)))
            )
            if mine != theirs { Issue.record("firm \(firm): node \(node) is \(mine), not \(theirs); \(inputs)") }
        }
    }

    /// The forms the compiler makes one operation of, in shapes that fuse and shapes that must
    /// not: chains of `+` (`Program.Code.sum`, a term twice, an inner `+` another formula uses
    /// too, an overflow inside the chain), and the guarded share `if d = 0 then k else n / d`
    /// (`Program.Code.quotientUnlessZero`, zero on either side, a then-branch that is itself a
    /// formula, a comparison another criterion uses too), beside guarded shares whose divisor
    /// differs from the guard's, which stay three operations.
    static let fusedRules = """
        ruleset fused "Fused"
          source "Test"
          version "1.0"
          in force from 2019-01-01

        input a: money "A"
        input b: money "B"
        input c: money "C"
        input d: money "D"
        input n: count "N"
        input k: count "K"

        parameter limit: percent "Limit"
          policy "Test"
          = 50 % from 2019-01-01

        value total "Total" = a + b + c + d
        value pair "Pair" = a + b
        value heads "Heads" = n + k + n
        value left_share "Left share" = if 0 kr = total then 0 % else a / total
        value formula_then "Formula then" = if total = 0 kr then pair / c else b / total
        value per_head "Per head" = if heads = 0 then 0 kr else total / heads
        value per_k "Per K" = if k = 0 then 1 kr else total / k
        value other_divisor "Other divisor" = if total = 0 kr then 0 % else a / pair
        value inner_sum "Inner sum" = if c + d = 0 kr then 100 % else c / (c + d)

        criterion empty "Empty" cite "Test" = total = 0 kr
        criterion over "Over" cite "Test" = left_share > limit
        criterion then_over "Then over" cite "Test" = formula_then >= limit
        criterion many "Many" cite "Test" = per_head < 100000 kr
        criterion few "Few" cite "Test" = per_k > 2 kr
        criterion other "Other" cite "Test" = other_divisor <= limit
        criterion inner "Inner" cite "Test" = inner_sum != limit

        classify
          first "First" when empty reason "First"
          second "Second" when all of over, then_over reason "Second"
          third "Third" when any of many, other, few reason "Third"
          fourth "Fourth" when inner reason "Fourth"
          otherwise fifth "Fifth" reason "Fifth"
        """

    @Test("fused chains of + and guarded shares: the operations are made, and every result agrees with evaluate(_:)")
    func fusedFormsAgree() {
        guard
            case (let ruleSet, var compiled, var reference, let program, let day)? =
                ProgramPartsTests.evaluators("fused.rules", ProgramPartsTests.fusedRules)
        else { return }
        let codes = program.operations.map(\.code)
        // `total` and `heads`; not `pair` (two terms), nor `c + d` (two terms).
        #expect(codes.filter { $0 == .sum }.count == 2, "\(codes)")
        // `left_share`, `formula_then`, `per_head` and `per_k` (a divisor that may be a yes/no); not
        // `inner_sum`, whose two `c + d` are two nodes, not the same value by their nodes alone ...
        #expect(codes.filter { $0 == .quotientUnlessZero }.count == 4, "\(codes)")
        // ... and `other_divisor` keeps its comparison, its quotient and its `if`.
        #expect(codes.contains(.ifThenElse) && codes.contains(.divide), "\(codes)")
        // Unfused, as a batch with traces compiles it: every node its own operation, the same decisions.
        var unfused = Evaluator(ruleSet: ruleSet, compiled: true, fusing: false)
        let unfusedCodes = unfused.program.map { $0.operations.map(\.code) } ?? []
        #expect(!unfusedCodes.isEmpty && !unfusedCodes.contains(.sum) && !unfusedCodes.contains(.quotientUnlessZero))
        #expect(unfusedCodes.count > codes.count, "\(unfusedCodes)")
        var random = SplitMix64(seed: 2_026_120_501)
        func money() -> Scalar? {
            switch random.next(12) {
            case 0: return nil
            case 1, 2: return .number(.zero)
            case 3: return .number(WordProgramTests.number(&random))
            case 4: return random.next(3) == 0 ? .text("x") : .number(Exact(øre: -Int128(random.next(10_000))))
            case 5: return .number(Exact(integer: Int128(Int64.max / 3) + Int128(random.next(3))))
            default: return .number(Exact(øre: Int128(random.next(1_000_000))))
            }
        }
        func count() -> Scalar? {
            switch random.next(6) {
            case 0: return nil
            case 1: return .number(.zero)
            case 2: return random.next(2) == 0 ? .bool(true) : .number(Exact(integer: Int128(Int64.max / 2)))
            default: return .number(Exact(integer: Int128(random.next(20))))
            }
        }
        var outcomes: Set<Int?> = []
        for firm in 0..<20_000 {
            let inputs: [Scalar?] = [money(), money(), money(), money(), count(), count()]
            let decision = compiled.evaluate(inputs: inputs, on: day)
            let expected = reference.evaluate(inputs: inputs, on: day)
            guard decision == expected, unfused.evaluate(inputs: inputs, on: day) == expected else {
                Issue.record("firm \(firm): \(decision), not \(expected); \(inputs)")
                continue
            }
            outcomes.insert(decision.outcome)
            ProgramPartsTests.expectSameReadings(&compiled, &reference, ruleSet, firm: firm, inputs: inputs)
        }
        #expect(outcomes.isSuperset(of: [0, 1, 2, 3, 4, nil]), "\(outcomes)")
    }

    /// An amount for the shares: missing, zero, small, half or twice another (exact thresholds),
    /// a number whose words do not fit, or text.
    static func amount(_ random: inout SplitMix64, _ base: Exact?) -> Scalar? {
        switch random.next(10) {
        case 0: return nil
        case 1: return .number(.zero)
        case 2: return base.flatMap { $0.multiplying(Exact(integer: 2)) }.map(Scalar.number)
        case 3: return base.map { Scalar.number($0) }
        case 4: return .number(WordProgramTests.number(&random))
        case 5: return random.next(4) == 0 ? .text("x") : .number(Exact(øre: -Int128(random.next(10_000))))
        default: return .number(Exact(øre: Int128(random.next(1_000_000))))
        }
    }

    @Test("guarded shares: decisions, values, criteria, every node and every register read agree with evaluate(_:)")
    func sharesAgree() {
        guard
            case (let ruleSet, var compiled, var reference, _, let day)? =
                ProgramPartsTests.evaluators("shares.rules", ProgramPartsTests.shareRules)
        else { return }
        var random = SplitMix64(seed: 2_026_120_421)
        var outcomes: Set<Int?> = []
        for firm in 0..<20_000 {
            let part = ProgramPartsTests.amount(&random, nil)
            let partNumber: Exact? = if case .number(let value)? = part { value } else { nil }
            let whole = ProgramPartsTests.amount(&random, partNumber)
            let other = ProgramPartsTests.amount(&random, partNumber)
            let special = random.next(8) == 0 ? nil : Exact(integer: Int128(random.next(6)))
            let staff: Scalar? =
                switch random.next(4) {
                case 0: special.flatMap { $0.multiplying(Exact(integer: 2)) }.map(Scalar.number)
                case 1: .number(.zero)
                default: random.next(10) == 0 ? nil : .number(Exact(integer: Int128(random.next(12))))
                }
            let inputs: [Scalar?] = [part, whole, other, staff, special.map(Scalar.number)]
            let decision = compiled.evaluate(inputs: inputs, on: day)
            let expected = reference.evaluate(inputs: inputs, on: day)
            guard decision == expected else {
                Issue.record("firm \(firm): \(decision), not \(expected); \(inputs)")
                continue
            }
            outcomes.insert(decision.outcome)
            ProgramPartsTests.expectSameReadings(&compiled, &reference, ruleSet, firm: firm, inputs: inputs)
        }
        // Every outcome with a condition is reached, and undetermined firms; so every share is computed.
        #expect(outcomes.isSuperset(of: [0, 1, 2, 3, nil]), "\(outcomes)")
    }

    /// Comparisons with the number zero, every kind, with zero on either side, in kroner, counts
    /// and percent (`Program.Code.signCompare`).
    static let zeroRules = """
        ruleset zeros "Zeros"
          source "Test"
          version "1.0"
          in force from 2019-01-01

        input amount: money "Amount"
        input number_in: count "Number"
        input share_in: percent "Share"

        criterion c1 "C1" cite "Test" = amount = 0 kr
        criterion c2 "C2" cite "Test" = 0 kr < amount
        criterion c3 "C3" cite "Test" = number_in >= 0
        criterion c4 "C4" cite "Test" = 0 > number_in
        criterion c5 "C5" cite "Test" = share_in != 0 %
        criterion c6 "C6" cite "Test" = 0 % <= share_in
        criterion c7 "C7" cite "Test" = amount <= 0 kr
        criterion c8 "C8" cite "Test" = 0 = number_in

        classify
          a "A" when all of c1, c8 reason "A"
          b "B" when any of c2, c4 reason "B"
          c "C" when all of c5, c6, c7 reason "C"
          d "D" when c3 reason "D"
          otherwise e "E" reason "E"
        """

    @Test("comparisons with zero by the sign agree with evaluate(_:), zero on either side, every kind of operand")
    func zeroComparisonsAgree() {
        guard
            case (let ruleSet, var compiled, var reference, let program, let day)? =
                ProgramPartsTests.evaluators("zeros.rules", ProgramPartsTests.zeroRules)
        else { return }
        let signed = program.operations.filter { $0.code == .signCompare }
        #expect(signed.count == 8, "\(program.operations.map(\.code))")
        #expect(signed.filter { $0.small & 0b1000 != 0 }.count == 4)
        var random = SplitMix64(seed: 2_026_120_422)
        func value() -> Scalar? {
            switch random.next(9) {
            case 0: return nil
            case 1, 2: return .number(Exact(raw: 0, [1, 100, 7][random.next(3)]))
            case 3: return .number(Exact(raw: Int128(random.next(3)) - 1, [1, 100][random.next(2)]))
            case 4: return .number(WordProgramTests.number(&random))
            case 5: return [.text("x"), .bool(random.next(2) == 0), .choice(0)][random.next(3)]
            default: return .number(Exact(øre: Int128(random.next(2_001)) - 1_000))
            }
        }
        var outcomes: Set<Int?> = []
        for firm in 0..<20_000 {
            let inputs = [value(), value(), value()]
            let decision = compiled.evaluate(inputs: inputs, on: day)
            let expected = reference.evaluate(inputs: inputs, on: day)
            guard decision == expected else {
                Issue.record("firm \(firm): \(decision), not \(expected); \(inputs)")
                continue
            }
            outcomes.insert(decision.outcome)
            for node in ruleSet.nodes.indices where compiled.knownBool(Int32(node)) != reference.evaluate(Int32(node)).bool {
                Issue.record("firm \(firm): node \(node) read wrongly; \(inputs)")
            }
            #expect(compiled.criterionResults == reference.criterionResults, "firm \(firm): \(inputs)")
            compiled.settleEverything()
            reference.settleEverything()
            for node in ruleSet.nodes.indices where compiled.evaluate(Int32(node)) != reference.evaluate(Int32(node)) {
                Issue.record("firm \(firm): node \(node) differs once settled; \(inputs)")
            }
        }
        // Every outcome with a condition is reached, and undetermined firms.
        #expect(outcomes.isSuperset(of: [0, 1, 2, 3, nil]), "\(outcomes)")
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
