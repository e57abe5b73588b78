import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// One corpus through every evaluator: the fuzz targets' type-directed rule generator (seeded with
/// SplitMix64) makes thousands of rule sets, each with firms that have missing values, and each
/// firm goes through the register program, `evaluate(_:)` alone, and the bounds evaluator. The
/// bounds are checked against brute force: every missing input is filled in with each value of a
/// small set within its bounds, and whatever the bounds decide, rule out or bound must hold for
/// every such firm.
@Suite("bounds: one corpus through every evaluator")
struct CorpusTests {
    static let ruleSetCount = 2_000
    static let firmsPerRuleSet = 3

    /// Values a missing number is filled in with, where its bounds allow: the edges people write
    /// thresholds at, and a few beyond.
    static let fills: [Exact] = [
        .zero, .one, Exact(integer: -1), Exact(integer: 3), Exact(integer: 50), Exact(integer: 100),
        Exact(numerator: 1, denominator: 2) ?? .zero, Exact(integer: 1_000_000), Exact(integer: -500),
    ]

    /// A known value of a type: small, so that sums stay far from the exact range's limit.
    static func value(_ type: ValueType, _ ruleSet: RuleSet, _ random: inout SplitMix64) -> Scalar {
        switch type {
        case .money, .percent, .number: .number(random.pick(fills))
        case .count: .number(Exact(integer: Int128(random.next(60))))
        case .bool: .bool(random.next(2) == 0)
        case .date:
            .date(
                Day(year: 2000 + random.next(30), month: 1 + random.next(12), day: 1 + random.next(28)) ?? Day(
                    year: 2020, month: 1, day: 1)!)
        case .text: .text(random.pick(["", "abc", "æøå"]))
        case .choice(let set): .choice(random.next(max(ruleSet.choiceSets[set].count, 1)))
        }
    }

    /// The values brute force fills a missing input with: a few within its bounds.
    static func fillings(_ input: InputDefinition, _ ruleSet: RuleSet) -> [Scalar] {
        switch input.type {
        case .money, .percent, .number, .count:
            guard let domain = Evaluator.domain(of: input) else { return [] }
            var values = fills.filter { domain.contains($0) && (input.type != .count || $0.isInteger) }
            for end in [domain.lower, domain.upper] { if end.closed, let edge = end.value, !values.contains(edge) { values.append(edge) } }
            return Array(values.prefix(5)).map { .number($0) }
        case .bool: return [.bool(true), .bool(false)]
        case .choice(let set): return ruleSet.choiceSets[set].indices.map { .choice($0) }
        case .date: return [.date(Day(year: 2000, month: 1, day: 1)!), .date(Day(year: 2025, month: 6, day: 30)!)]
        case .text: return [.text(""), .text("abc")]
        }
    }

    @Test("generated rule sets: the program agrees with evaluate(_:), and the bounds with brute force")
    func corpus() throws {
        var random = SplitMix64(seed: 15)
        var counts = (ruleSets: 0, firms: 0, boundsDecided: 0, ruledOut: 0, completions: 0)
        for _ in 0..<Self.ruleSetCount {
            let bytes = (0..<384).map { _ in UInt8(random.next(256)) }
            var generator = RuleGenerator(bytes)
            let generated = generator.generate()
            let loaded = loadRules([("fz.rules", generated.rules)])
            guard let ruleSet = loaded.ruleSets.first, !loaded.hasErrors else {
                Issue.record("a generated rule set does not check:\n\(generated.rules)")
                continue
            }
            counts.ruleSets += 1
            var program = Evaluator(ruleSet: ruleSet)
            var reference = Evaluator(ruleSet: ruleSet, compiled: false)
            var completing = Evaluator(ruleSet: ruleSet)
            for _ in 0..<Self.firmsPerRuleSet {
                let day = Day(year: 2000 + random.next(30), month: 12, day: 31) ?? Day(year: 2024, month: 12, day: 31)!
                var inputs: [Scalar?] = ruleSet.inputs.map { random.next(3) == 0 ? nil : Self.value($0.type, ruleSet, &random) }
                if inputs.allSatisfy({ $0 != nil }), !inputs.isEmpty { inputs[random.next(inputs.count)] = nil }
                counts.firms += 1
                let decision = program.evaluate(inputs: inputs, on: day)
                let expected = reference.evaluate(inputs: inputs, on: day)
                #expect(decision == expected, "program and evaluate(_:) differ:\n\(generated.rules)")
                #expect(program.valueResults == reference.valueResults)
                #expect(program.criterionResults == reference.criterionResults)
                guard let bounds = program.bounds(of: decision) else { continue }
                #expect(bounds.missing == decision.missing)
                if decision.outcome != nil { #expect(bounds.outcome == decision.outcome, "bounds undo a decision:\n\(generated.rules)") }
                if bounds.outcome != nil && decision.outcome == nil { counts.boundsDecided += 1 }
                if !bounds.ruledOut.isEmpty { counts.ruledOut += 1 }
                // `is known` asks about the data as given; filled-in firms would answer it otherwise.
                guard !generated.usesIsKnown else { continue }
                let missing = ruleSet.inputs.indices.filter { inputs[$0] == nil }
                let choices = missing.map { Self.fillings(ruleSet.inputs[$0], ruleSet) }
                guard choices.reduce(1, { $0 * max($1.count, 1) }) <= 256, choices.allSatisfy({ !$0.isEmpty }) else { continue }
                var positions = [Int](repeating: 0, count: missing.count)
                while true {
                    var filled = inputs
                    for (slot, index) in missing.enumerated() { filled[index] = choices[slot][positions[slot]] }
                    let completed = completing.evaluate(inputs: filled, on: day)
                    // A value past the exact range is outside what the bounds promise (docs/bounds.md).
                    if !completed.problems.contains(where: { $0.kind == .overflow }) {
                        counts.completions += 1
                        check(bounds, completed, completing, ruleSet, generated.rules, filled)
                    }
                    var slot = 0
                    while slot < positions.count {
                        positions[slot] += 1
                        if positions[slot] < choices[slot].count { break }
                        positions[slot] = 0
                        slot += 1
                    }
                    if slot == positions.count { break }
                }
            }
        }
        #expect(counts.ruleSets == Self.ruleSetCount)
        // The corpus must reach what it tests: the bounds decide or rule out something somewhere.
        #expect(counts.boundsDecided > 20, "\(counts)")
        #expect(counts.ruledOut > 20, "\(counts)")
        #expect(counts.completions > 10_000, "\(counts)")
    }

    @Test("generated rule sets: each counterfactual changes the outcome, and no nearer value does")
    func counterfactuals() throws {
        var random = SplitMix64(seed: 1_515)
        var checked = (firms: 0, changes: 0, between: 0)
        for _ in 0..<Self.ruleSetCount {
            let bytes = (0..<384).map { _ in UInt8(random.next(256)) }
            var generator = RuleGenerator(bytes)
            let generated = generator.generate()
            guard let ruleSet = loadRules([("fz.rules", generated.rules)]).ruleSets.first else { continue }
            var evaluator = Evaluator(ruleSet: ruleSet)
            var probe = Evaluator(ruleSet: ruleSet)
            let day = Day(year: 2024, month: 12, day: 31) ?? Day(year: 2000, month: 1, day: 1)!
            let inputs: [Scalar?] = ruleSet.inputs.map { Self.value($0.type, ruleSet, &random) }
            let decision = evaluator.evaluate(inputs: inputs, on: day)
            guard let outcome = decision.outcome, let set = evaluator.counterfactuals(of: decision) else { continue }
            checked.firms += 1
            // Counts by brute force: the nearest whole number in each direction (up to 80) that
            // changes the outcome is the one reported, and none is reported when there is none.
            for (index, input) in ruleSet.inputs.enumerated() where input.type == .count && !set.inconclusive.contains(index) {
                guard case .number(let value)? = inputs[index], let domain = Evaluator.domain(of: input),
                    let start = Int(exactly: value.numerator)
                else { continue }
                for rising in [true, false] {
                    var moved = inputs
                    let nearest = stride(from: start + (rising ? 1 : -1), through: rising ? 80 : 0, by: rising ? 1 : -1).first {
                        candidate in
                        guard domain.contains(Exact(integer: Int128(candidate))) else { return false }
                        moved[index] = .number(Exact(integer: Int128(candidate)))
                        return probe.evaluate(inputs: moved, on: day).outcome != outcome
                    }
                    let reported = set.changes.first { $0.input == index && ($0.change.map { $0.isNegative != rising } ?? false) }
                    if let nearest {
                        #expect(
                            reported?.to == .number(Exact(integer: Int128(nearest))),
                            "\(input.name) from \(start):\n\(generated.rules)\n\(inputs)")
                    } else if let reported, case .number(let to) = reported.to {
                        #expect(
                            rising ? Exact(integer: 80) < to : to < .zero, "\(input.name) from \(start):\n\(generated.rules)\n\(inputs)")
                    }
                    checked.between += 1
                }
            }
            for change in set.changes {
                checked.changes += 1
                var moved = inputs
                moved[change.input] = change.to
                let there = probe.evaluate(inputs: moved, on: day).outcome
                if !change.beyond { #expect(there != outcome, "the change does not change it:\n\(generated.rules)\n\(inputs)") }
                // Every whole step between the value and the change keeps the outcome (counts, and money within 10 kr).
                guard case .number(let from) = change.from, case .number(let to) = change.to,
                    let step = ruleSet.inputs[change.input].type == .count
                        ? Exact.one : (ruleSet.inputs[change.input].type == .money ? Exact(øre: 1) : nil),
                    let distance = to.subtracting(from), let steps = distance.dividing(step), steps.isInteger
                else { continue }
                guard let count = Int(exactly: steps.numerator / steps.denominator), abs(count) <= 1_000 else { continue }
                for offset in stride(from: count > 0 ? 1 : -1, to: count, by: count > 0 ? 1 : -1) {
                    guard let delta = step.multiplying(Exact(integer: Int128(offset))), let value = from.adding(delta) else { continue }
                    moved[change.input] = .number(value)
                    checked.between += 1
                    #expect(
                        probe.evaluate(inputs: moved, on: day).outcome == outcome,
                        "a nearer value \(value.exactText()) of \(ruleSet.inputs[change.input].name) changes it:\n\(generated.rules)\n\(inputs)"
                    )
                }
            }
        }
        #expect(checked.changes > 300, "\(checked)")
        #expect(checked.between > 100, "\(checked)")
    }

    @Test("generated rule sets: the counterfactuals' fast path gives what the general search gives, or a nearer change it proves")
    func counterfactualFastPath() throws {
        var random = SplitMix64(seed: 1_516)
        var compared = (firms: 0, identical: 0, fast: 0, changes: 0, nearer: 0)
        for _ in 0..<Self.ruleSetCount {
            let bytes = (0..<384).map { _ in UInt8(random.next(256)) }
            var generator = RuleGenerator(bytes)
            let generated = generator.generate()
            guard let ruleSet = loadRules([("fz.rules", generated.rules)]).ruleSets.first else { continue }
            var evaluator = Evaluator(ruleSet: ruleSet)
            var probe = Evaluator(ruleSet: ruleSet)
            let day = Day(year: 2024, month: 12, day: 31) ?? Day(year: 2000, month: 1, day: 1)!
            for _ in 0..<Self.firmsPerRuleSet {
                let inputs: [Scalar?] = ruleSet.inputs.map { Self.value($0.type, ruleSet, &random) }
                let decision = evaluator.evaluate(inputs: inputs, on: day)
                guard let outcome = decision.outcome,
                    let fast = evaluator.counterfactuals(of: decision, fastPath: true),
                    let reference = evaluator.counterfactuals(of: decision, fastPath: false)
                else { continue }
                compared.firms += 1
                compared.changes += fast.changes.count
                for index in ruleSet.inputs.indices where inputs[index] != nil {
                    var line = LineWalk(evaluator: evaluator, plan: evaluator.analysisPlan, input: index)
                    if line.walkConditions() { compared.fast += 1 }
                }
                if fast == reference {
                    compared.identical += 1
                    continue
                }
                // They differ only where the general search gave up or missed a nearer change: every
                // change the fast path reports that the reference does not is checked here by
                // evaluating the firm, and is never farther than the reference's.
                let context = "\(generated.rules)\n\(inputs)\nfast: \(fast)\nreference: \(reference)"
                #expect(fast.outcome == reference.outcome, "\(context)")
                func direction(_ change: Counterfactual) -> Bool? { change.change.map { !$0.isNegative } }
                for change in fast.changes where !reference.changes.contains(change) {
                    let rival = reference.changes.first { $0.input == change.input && direction($0) == direction(change) }
                    if let rival, let mine = change.change, let theirs = rival.change {
                        let near = mine.isNegative ? (mine.negated() ?? mine) : mine
                        let far = theirs.isNegative ? (theirs.negated() ?? theirs) : theirs
                        #expect(!(far < near), "the fast path's change is farther:\n\(context)")
                    }
                    var moved = inputs
                    if change.beyond, case .number(let limit) = change.to, let up = direction(change) {
                        // Just past the limit: a hundredth of the way to the reference's change, and no
                        // more than a thousandth of the limit's size (or 1/1,000,000 past 0).
                        let size = limit.isNegative ? (limit.negated() ?? limit) : limit
                        var past =
                            size.isZero
                            ? (Exact(numerator: 1, denominator: 1_000_000) ?? .one) : (size.dividing(Exact(integer: 1_000)) ?? size)
                        if let rival, case .number(let other) = rival.to, let gap = other.subtracting(limit),
                            let part = gap.dividing(Exact(integer: 100)), !part.isZero
                        {
                            past = Exact.minimum(past, part.isNegative ? (part.negated() ?? part) : part)
                        }
                        moved[change.input] = (up ? limit.adding(past) : limit.subtracting(past)).map(Scalar.number)
                    } else {
                        moved[change.input] = change.to
                    }
                    #expect(probe.evaluate(inputs: moved, on: day).outcome != outcome, "the change does not change it:\n\(context)")
                    compared.nearer += 1
                }
                for change in reference.changes where !fast.changes.contains(change) {
                    #expect(
                        fast.changes.contains { $0.input == change.input && direction($0) == direction(change) },
                        "the fast path lost a change:\n\(context)")
                }
                for input in fast.unmovable {
                    #expect(!reference.changes.contains { $0.input == input }, "unmovable, but the reference moves it:\n\(context)")
                }
            }
        }
        #expect(compared.firms > 1_000, "\(compared)")
        #expect(compared.fast > 1_000, "\(compared)")
        #expect(compared.changes > 500, "\(compared)")
        // Nearly all identical: the differences are the reference's own limits.
        #expect(compared.identical * 100 >= compared.firms * 98, "\(compared)")
    }

    @Test("generated rule sets: the compiled conditions give exactly what the line pass and an evaluation per candidate give")
    func counterfactualCompiled() throws {
        var random = SplitMix64(seed: 1_517)
        var compared = (firms: 0, changes: 0, compiledInputs: 0, flatInputs: 0)
        for _ in 0..<Self.ruleSetCount {
            let bytes = (0..<384).map { _ in UInt8(random.next(256)) }
            var generator = RuleGenerator(bytes)
            let generated = generator.generate()
            guard let ruleSet = loadRules([("fz.rules", generated.rules)]).ruleSets.first else { continue }
            var evaluator = Evaluator(ruleSet: ruleSet)
            let day = Day(year: 2024, month: 12, day: 31) ?? Day(year: 2000, month: 1, day: 1)!
            for _ in 0..<Self.firmsPerRuleSet {
                let inputs: [Scalar?] = ruleSet.inputs.map { Self.value($0.type, ruleSet, &random) }
                let decision = evaluator.evaluate(inputs: inputs, on: day)
                guard decision.outcome != nil, let compiled = evaluator.counterfactuals(of: decision, fastPath: true),
                    let lines = evaluator.counterfactuals(of: decision, fastPath: true, compiled: false)
                else { continue }
                compared.firms += 1
                compared.changes += compiled.changes.count
                // How many inputs the compiled conditions answer for: the comparison must not be empty.
                let probe = Probe(evaluator: evaluator, day: day, outcome: decision.outcome ?? 0)
                if probe.compiled != nil {
                    for index in ruleSet.inputs.indices
                    where probe.compiledAnswers(index) && evaluator.analysisPlan.conditionReads.contains(index) {
                        compared.compiledInputs += 1
                    }
                }
                // How many inputs the flat search answers for itself, without `Probe`.
                let plan = evaluator.analysisPlan
                let outcome = decision.outcome ?? 0
                if var flat = CompiledSearch(
                    plan.compiled.plan(for: evaluator, day: day, plan: plan), evaluator: evaluator, reads: plan.conditionReads,
                    outcome: outcome, names: plan.outcomeNames)
                {
                    var found: [Counterfactual] = []
                    for index in ruleSet.inputs.indices where plan.conditionsUpTo[outcome].contains(index) {
                        if let value = inputs[index], flat.answer(index, value, upTo: plan.conditionsUpTo[outcome], into: &found) != nil {
                            compared.flatInputs += 1
                        }
                    }
                }
                #expect(compiled == lines, "\(generated.rules)\n\(inputs)\ncompiled: \(compiled)\nlines: \(lines)")
                // The flat search against the compiled conditions as `Probe` runs them.
                let probed = evaluator.counterfactuals(of: decision, fastPath: true, compiled: true, flat: false)
                #expect(compiled == probed, "\(generated.rules)\n\(inputs)\nflat: \(compiled)\nprobe: \(String(describing: probed))")
            }
        }
        #expect(compared.firms > 1_000, "\(compared)")
        #expect(compared.changes > 500, "\(compared)")
        #expect(compared.compiledInputs > 1_000, "\(compared)")
        #expect(compared.flatInputs > 1_000, "\(compared)")
    }

    /// Whatever the bounds say holds for one filled-in firm.
    func check(
        _ bounds: BoundsDecision, _ completed: Decision, _ evaluator: Evaluator, _ ruleSet: RuleSet, _ rules: String, _ firm: [Scalar?]
    ) {
        if let outcome = bounds.outcome {
            #expect(
                completed.outcome == outcome,
                "bounds decide \(outcome), a filled-in firm \(String(describing: completed.outcome)):\n\(rules)\n\(firm)")
        }
        if let outcome = completed.outcome {
            #expect(
                bounds.outcome == outcome || bounds.possibleOutcomes.contains(outcome), "bounds rule out \(outcome):\n\(rules)\n\(firm)")
        }
        for (index, range) in bounds.valueRanges.enumerated() {
            guard let range, case .known(.number(let value)) = evaluator.valueResult(index) else { continue }
            #expect(range.contains(value), "\(ruleSet.values[index].name) = \(value.exactText()) outside \(range):\n\(rules)\n\(firm)")
        }
    }
}
