import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The flat search's atoms in whole numbers (`IntegralAtom`, `CompiledSearch.integralValues`,
/// `moveWhole`) against the same search in `Exact` and against `Probe`: the same values, the same
/// counterfactuals.
@Suite("bounds: the flat search in whole numbers")
struct IntegralAtomTests {
    /// Known values with mixed denominators (whole numbers, øre, thirds, large amounts), so that the
    /// common denominator of an atom's inputs is not always one input's own.
    static let mixed: [Exact] = [
        .zero, .one, Exact(integer: -1), Exact(øre: 12_345), Exact(numerator: 1, denominator: 3) ?? .zero,
        Exact(numerator: -7, denominator: 6) ?? .zero, Exact(integer: 1_000_000), Exact(øre: 50_000_000),
        Exact(numerator: 10, denominator: 20) ?? .zero,
    ]

    static func value(_ type: ValueType, _ ruleSet: RuleSet, _ random: inout SplitMix64) -> Scalar {
        switch type {
        case .money, .percent, .number: .number(random.pick(mixed))
        case .count, .bool, .date, .text, .choice: CorpusTests.value(type, ruleSet, &random)
        }
    }

    static let day = Day(year: 2024, month: 12, day: 31) ?? Day(year: 2000, month: 1, day: 1)!

    /// A rule set of the fuzz targets' type-directed generator, from 384 random bytes, with its
    /// text for messages; nil when it does not check.
    static func generatedRuleSet(_ random: inout SplitMix64) -> (GeneratedCase, RuleSet)? {
        var generator = RuleGenerator((0..<384).map { _ in UInt8(random.next(256)) })
        let generated = generator.generate()
        guard let ruleSet = loadRules([("fz.rules", generated.rules)]).ruleSets.first else { return nil }
        return (generated, ruleSet)
    }

    @Test("generated rule sets: each atom's whole-number value is the value Exact gives")
    func atomValues() throws {
        var random = SplitMix64(seed: 4_242)
        var compared = 0
        for _ in 0..<1_000 {
            guard let (generated, ruleSet) = Self.generatedRuleSet(&random) else { continue }
            var evaluator = Evaluator(ruleSet: ruleSet)
            let day = Self.day
            let plan = evaluator.analysisPlan.compiled.plan(for: evaluator, day: day, plan: evaluator.analysisPlan)
            guard let integral = plan.integral else { continue }
            for _ in 0..<3 {
                let inputs: [Scalar?] = ruleSet.inputs.map { Self.value($0.type, ruleSet, &random) }
                _ = evaluator.evaluate(inputs: inputs, on: day)
                guard let exact = plan.conditions.atomValues(inputs) else { continue }
                // A value too large for the whole forms (the search then computes in `Exact`).
                guard let whole = CompiledSearch.integralValues(plan.tables, inputs) else { continue }
                for atom in integral.indices {
                    let value = Exact(numerator: whole.totals[atom], denominator: integral[atom].scale * whole.denominators[atom])
                    #expect(value == exact.values[atom], "\(generated.rules)\n\(inputs)\natom \(atom)")
                    #expect(whole.signs[atom] == exact.signs[atom])
                    compared += 1
                }
            }
        }
        #expect(compared > 600, "\(compared) atoms compared")
    }

    /// Values over many denominators, some near 2^63, so that an atom's common denominator is
    /// often no input's own and its 64-bit total sometimes overflows (`CompiledSearch.whole64`
    /// then gives it to the 128-bit path).
    static let narrowing: [Exact] =
        mixed + [
            Exact(øre: 123_456_789), Exact(øre: 250), Exact(numerator: 5, denominator: 7) ?? .zero,
            Exact(numerator: Int128(Int64.max / 3), denominator: 11) ?? .zero,
            Exact(numerator: Int128(-(Int64.max / 5)), denominator: 13) ?? .zero,
            Exact(numerator: Int128(Int64.max), denominator: 1 << 40) ?? .zero,
        ]

    @Test("generated rule sets and the screening: the 64-bit common denominators give the 128-bit path's parts")
    func narrowAgainstWide() throws {
        var random = SplitMix64(seed: 2_525)
        var compared = (atoms: 0, mixedDenominators: 0)
        func compare(_ evaluator: Evaluator, _ ruleSet: RuleSet, _ inputs: [Scalar?], _ text: String) {
            let plan = evaluator.analysisPlan.compiled.plan(for: evaluator, day: Self.day, plan: evaluator.analysisPlan)
            let narrow = CompiledSearch.integralValues(plan.tables, inputs)
            let wide = CompiledSearch.integralValues(plan.tables, inputs, narrow: false)
            #expect(narrow?.totals == wide?.totals, "\(text)\n\(inputs)")
            #expect(narrow?.denominators == wide?.denominators, "\(text)\n\(inputs)")
            #expect(narrow?.signs == wide?.signs, "\(text)\n\(inputs)")
            guard let wide else { return }
            compared.atoms += wide.totals.count
            let denominators = Set(
                inputs.compactMap { value -> Int128? in
                    if case .number(let number)? = value { number.denominator } else { nil }
                })
            if denominators.count > 1 { compared.mixedDenominators += 1 }
        }
        for _ in 0..<600 {
            guard let (generated, ruleSet) = Self.generatedRuleSet(&random) else { continue }
            var evaluator = Evaluator(ruleSet: ruleSet)
            for _ in 0..<3 {
                let inputs: [Scalar?] = ruleSet.inputs.map { input in
                    switch input.type {
                    case .money, .percent, .number: .number(random.pick(Self.narrowing))
                    case .count, .bool, .date, .text, .choice: CorpusTests.value(input.type, ruleSet, &random)
                    }
                }
                _ = evaluator.evaluate(inputs: inputs, on: Self.day)
                compare(evaluator, ruleSet, inputs, generated.rules)
            }
        }
        // The screening with amounts in øre (reduced: over 1, 2, 4, 5, …, 100), as the benchmark has them.
        let text = try String(contentsOfFile: TestPaths.rules + "/anden_aktoer.rules", encoding: .utf8)
        let screening = try #require(loadRules([("rules/anden_aktoer.rules", text)]).ruleSets.first)
        var evaluator = Evaluator(ruleSet: screening)
        for _ in 0..<300 {
            let inputs: [Scalar?] = screening.inputs.map { input in
                switch input.type {
                case .money: .number(Exact(øre: Int128(random.next(300_000_000))))
                case .percent: .number(Exact(numerator: Int128(random.next(60)), denominator: 100) ?? .zero)
                case .count, .number: .number(Exact(integer: Int128(random.next(12))))
                case .bool: .bool(random.next(10) != 0)
                case .choice, .date, .text: CorpusTests.value(input.type, screening, &random)
                }
            }
            _ = evaluator.evaluate(inputs: inputs, on: Self.day)
            compare(evaluator, screening, inputs, "the screening")
        }
        #expect(compared.atoms > 2_000, "\(compared)")
        #expect(compared.mixedDenominators > 300, "\(compared)")
    }

    @Test("generated rule sets: the flat search in whole numbers gives what it gives in Exact and what Probe gives")
    func searchAgainstExact() throws {
        var random = SplitMix64(seed: 2_626)
        var compared = (firms: 0, changes: 0)
        for _ in 0..<1_000 {
            guard let (generated, ruleSet) = Self.generatedRuleSet(&random) else { continue }
            var evaluator = Evaluator(ruleSet: ruleSet)
            let day = Self.day
            for _ in 0..<3 {
                let inputs: [Scalar?] = ruleSet.inputs.map { Self.value($0.type, ruleSet, &random) }
                let decision = evaluator.evaluate(inputs: inputs, on: day)
                guard decision.outcome != nil, let whole = evaluator.counterfactuals(of: decision) else { continue }
                let exact = evaluator.counterfactuals(of: decision, fastPath: true, integral: false)
                let probed = evaluator.counterfactuals(of: decision, fastPath: true, flat: false)
                #expect(whole == exact, "\(generated.rules)\n\(inputs)\nwhole: \(whole)\nexact: \(String(describing: exact))")
                #expect(whole == probed, "\(generated.rules)\n\(inputs)\nwhole: \(whole)\nprobe: \(String(describing: probed))")
                compared.firms += 1
                compared.changes += whole.changes.count
            }
        }
        #expect(compared.firms > 500, "\(compared)")
        #expect(compared.changes > 250, "\(compared)")
    }

    @Test("a share on the screening: the whole-number breakpoints are the Exact ones, one øre from the threshold")
    func screeningThreshold() throws {
        let (ruleSet, set) = try CounterfactualTests.screening(mes: "499999.99", sales: "500000.00")
        let rise = try #require(CounterfactualTests.change(set, ruleSet, input: "municipal_employment_services", rising: true))
        #expect(rise.change == Exact(øre: 2))
        let (_, evaluator, decision) = try BoundsTests.screening(
            "\"own_cvr\": true, \"public_ownership\": 0, \"market_sales\": \"500000.00\", \"municipal_employment_services\": \"499999.99\", \"other_public_contracts\": 0, \"grants\": 0, "
                + BoundsTests.staff)
        let plan = evaluator.analysisPlan.compiled.plan(
            for: evaluator, day: try #require(evaluator.day), plan: evaluator.analysisPlan)
        #expect(plan.integral != nil, "the screening's atoms have whole forms")
        #expect(evaluator.counterfactuals(of: decision, fastPath: true, integral: false) == set)
    }

    @Test("an atom whose coefficients have no common denominator in 128 bits keeps Exact")
    func noWholeForm() throws {
        let big = Int128(1) << 100
        let form = Lin(
            constant: .zero,
            terms: [
                LinTerm(input: 0, coefficient: Exact(numerator: 1, denominator: big) ?? .one),
                LinTerm(input: 1, coefficient: Exact(numerator: 1, denominator: big - 1) ?? .one),
            ])
        #expect(IntegralAtom(form) == nil)
        let halves = Lin(
            constant: Exact(numerator: 1, denominator: 4) ?? .zero,
            terms: [LinTerm(input: 0, coefficient: Exact(numerator: 50, denominator: 100) ?? .one)])
        let whole = try #require(IntegralAtom(halves))
        #expect(whole.scale == 4)
        #expect(whole.constant == 1)
        #expect(whole.terms == [IntegralTerm(input: 0, coefficient: 2)])
    }

    @Test("amounts too large for the products in 128 bits: the same counterfactuals as in Exact")
    func largeAmounts() throws {
        let (_, evaluator, decision) = try BoundsTests.small(
            "criterion c \"C\" = a / (a + b) > 1 / 3", #""a": "100000000000000000000000000000.01", "b": "3.33", "n": 1, "p": true"#)
        #expect(decision.outcome != nil)
        let whole = try #require(evaluator.counterfactuals(of: decision))
        #expect(!whole.changes.isEmpty)
        #expect(evaluator.counterfactuals(of: decision, fastPath: true, integral: false) == whole)
        #expect(evaluator.counterfactuals(of: decision, fastPath: true, flat: false) == whole)
    }
}

/// The ranking's key (`Counterfactual.rankKey`) against `relativeChange`, the value it stands for.
@Suite("bounds: the counterfactuals' ranking key")
struct RankKeyTests {
    @Test("the ranking key is the relative change's value, for small and large parts, and nil where it is")
    func sameValue() throws {
        let values: [Exact] = [
            .zero, .one, Exact(integer: -3), Exact(øre: 123_456_789), Exact(øre: -1), Exact(numerator: 2, denominator: 3) ?? .one,
            Exact(integer: Int128(Int64.max)), Exact(integer: Int128(Int64.min)), Exact(integer: Int128(1) << 100),
            Exact(numerator: 1, denominator: Int128(1) << 90) ?? .one,
        ]
        var compared = 0
        for from in values {
            for change in values + [Exact(øre: 2)] {
                let counterfactual = Counterfactual(
                    input: 0, from: .number(from), to: .number(from), change: change, beyond: false, outcome: nil, criteria: [])
                #expect(counterfactual.rankKey == counterfactual.relativeChange, "\(from) \(change)")
                if counterfactual.rankKey != nil { compared += 1 }
            }
        }
        #expect(compared > 50)
        let flag = Counterfactual(input: 0, from: .bool(true), to: .bool(false), change: nil, beyond: false, outcome: nil, criteria: [])
        #expect(flag.rankKey == nil)
    }
}
