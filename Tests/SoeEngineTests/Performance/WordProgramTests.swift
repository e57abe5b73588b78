import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The compiled program computes on 64-bit words (`Slot`, `WordArithmetic`): each register holds
/// the numerator and denominator of the `Exact` that `evaluate(_:)` computes in 128 bits, or
/// `.none` when a part does not fit, so that `evaluate(_:)` takes over. These tests hold the words
/// to `Exact` itself, digit for digit (the same numerator and denominator, not only an equal
/// value, since a trace writes what it is given), on values at the edges of 64 bits: the largest
/// and smallest words, products that just fit or just overflow, negative numbers, denominators
/// near 2^63, and numbers that do not fit at all; and then hold the whole program to an evaluator
/// that runs `evaluate(_:)` alone, on generated rule sets and on the bundled ones, with such firms
/// and missing inputs.
@Suite("word program: words give Exact's own results, or leave them to evaluate(_:)")
struct WordProgramTests {
    /// A number near the edges of a word, or a plain one; some do not fit in 64 bits.
    static func number(_ random: inout SplitMix64) -> Exact {
        let max64 = Int128(Int64.max)
        let min64 = Int128(Int64.min)
        let small = Int128(random.next(2_001)) - 1_000
        switch random.next(18) {
        case 0: return .zero
        case 1: return Exact(integer: max64 - Int128(random.next(3)))
        case 2: return Exact(integer: min64 + Int128(random.next(3)))
        case 3: return Exact(integer: max64 + 1 + Int128(random.next(2)))  // just too large
        case 4: return Exact(integer: min64 - 1 - Int128(random.next(2)))  // just too small
        case 5: return Exact(integer: (Int128(1) << (30 + random.next(34))) * (random.next(2) == 0 ? 1 : -1))
        case 6: return Exact(integer: 3_037_000_499 + Int128(random.next(3)))  // squares near 2^63
        case 7: return Exact(raw: small, (Int128(1) << (60 + random.next(4))) - Int128(random.next(2)))
        case 8: return Exact(raw: max64 - Int128(random.next(2)), 3 + Int128(random.next(97)))
        case 9: return Exact(raw: small, max64 + Int128(random.next(2)))  // a denominator at the edge
        case 10: return Exact(øre: Int128(random.next(1_000_000_000)) - 500_000_000)
        case 11: return Exact(raw: small, 1 + Int128(random.next(999)))
        case 12: return Exact(raw: Int128(random.next(101)), 100)
        case 13: return Exact(raw: Int128.max - Int128(random.next(2)), 1 + Int128(random.next(2)))
        case 14: return Exact(raw: min64, 1 + Int128(random.next(3)))
        default: return Exact(integer: small)
        }
    }

    /// Whether both parts of the number fit in 64 bits.
    static func fits(_ value: Exact) -> Bool {
        Int128(Int64(truncatingIfNeeded: value.numerator)) == value.numerator
            && Int128(Int64(truncatingIfNeeded: value.denominator)) == value.denominator
    }

    /// Both parts of a number, so that two results compare digit for digit.
    static func parts(_ value: Exact?) -> String {
        value.map { "\($0.numerator)/\($0.denominator)" } ?? "nil"
    }

    /// An evaluated result with its number's parts written out.
    static func parts(_ value: Evaluated) -> String {
        if case .known(.number(let number)) = value { return "known " + parts(number) }
        return "\(value)"
    }

    @Test("each operation on words gives Exact's numerator and denominator, or nil when they do not fit")
    func arithmeticAgreesWithExact() {
        var random = SplitMix64(seed: 2_026_120_416)
        var counts = (words: 0, left: 0)
        for _ in 0..<60_000 {
            let x = WordProgramTests.number(&random)
            let y = WordProgramTests.number(&random)
            let a = Slot.of(x)
            let b = Slot.of(y)
            #expect((a.kind == .number) == WordProgramTests.fits(x), "\(WordProgramTests.parts(x)) held as \(a.kind)")
            guard a.kind == .number, b.kind == .number else { continue }
            #expect(WordProgramTests.parts(a.number) == WordProgramTests.parts(x))
            #expect(WordArithmetic.order(a, b) == Exact.order(x, y), "order of \(x) and \(y)")
            // Each operation with the denominator of Exact's formula before any reduction.
            let (ad, bd) = (x.denominator, y.denominator)
            let crossed = ad == bd ? ad : (bd == 1 ? ad : (ad == 1 ? bd : ad * bd))
            let pairs: [(String, (Int64, Int64)?, Exact?, Int128)] = [
                ("+", WordArithmetic.sum(a, b, subtract: false), x.adding(y), crossed),
                ("-", WordArithmetic.sum(a, b, subtract: true), x.subtracting(y), crossed),
                ("*", WordArithmetic.product(a, b), x.multiplying(y), ad * bd),
                ("/", y.isZero ? nil : WordArithmetic.quotient(a, b), y.isZero ? nil : x.dividing(y), Int128((ad * y.numerator).magnitude)),
            ]
            for (name, word, exact, unreduced) in pairs {
                guard let (n, d) = word else {
                    // Left to evaluate(_:) only when Exact's result does not fit in words, or Exact
                    // reduced a denominator above 10^27 (Exact.settled) to reach it.
                    let allowed = exact.map { !WordProgramTests.fits($0) || unreduced > 1_000_000_000_000_000_000_000_000_000 } ?? true
                    #expect(allowed, "\(WordProgramTests.parts(x)) \(name) \(WordProgramTests.parts(y)) left to evaluate(_:)")
                    counts.left += 1
                    continue
                }
                #expect(d > 0)
                #expect(
                    "\(n)/\(d)" == WordProgramTests.parts(exact), "\(WordProgramTests.parts(x)) \(name) \(WordProgramTests.parts(y))")
                counts.words += 1
            }
        }
        // Both kinds of result are met, many times.
        #expect(counts.words > 20_000 && counts.left > 5_000, "\(counts)")
    }

    /// A firm for any rule set: each input missing, or a value of its type, numbers near the edges.
    static func firm(_ ruleSet: RuleSet, _ random: inout SplitMix64) -> [Scalar?] {
        let missingRate = [0, 5, 30][random.next(3)]
        return ruleSet.inputs.map { input -> Scalar? in
            if random.next(100) < missingRate { return nil }
            switch input.type {
            case .money, .number, .percent, .count:
                // Half of the firms' numbers are plain ones, so that outcomes past the first are reached.
                if random.next(2) == 0 { return .number(Exact(raw: Int128(random.next(300)) - 100, [1, 100][random.next(2)])) }
                return .number(number(&random))
            case .bool: return .bool(random.next(3) != 0)
            case .date: return Day(year: 2018 + random.next(8), month: 1 + random.next(12), day: 1).map(Scalar.date)
            case .text: return .text("tekst \(random.next(2))")
            case .choice(let set): return .choice(random.next(max(1, ruleSet.choiceSets[set].count)))
            }
        }
    }

    /// The rule sets: generated ones (every operator, literals beyond 64 bits) and the bundled ones.
    static func ruleSets() -> [RuleSet] {
        var random = SplitMix64(seed: 2_026_120_417)
        var sets = EvaluatorProgramTests.ruleSets()
        while sets.count < 700 {
            var generator = RuleGenerator((0..<384).map { _ in UInt8(random.next(256)) })
            let loaded = loadRules([("fz.rules", generator.generate().rules)])
            if let ruleSet = loaded.ruleSets.first, !loaded.hasErrors { sets.append(ruleSet) }
        }
        return sets
    }

    @Test("generated rule sets and firms: the decision and every value, criterion and node, digit for digit")
    func programAgreesWithEvaluate() {
        var random = SplitMix64(seed: 2_026_120_418)
        guard let day = Day(year: 2024, month: 12, day: 31) else { return }
        var settled = 0
        // Rule sets whose program has each fused operation: the generator writes both forms.
        var fused = (sum: 0, quotient: 0)
        for ruleSet in WordProgramTests.ruleSets() {
            var compiled = Evaluator(ruleSet: ruleSet)
            var reference = Evaluator(ruleSet: ruleSet, compiled: false)
            let codes = compiled.program.map { $0.operations.map(\.code) + $0.staticOperations.map(\.code) } ?? []
            if codes.contains(.sum) { fused.sum += 1 }
            if codes.contains(.quotientUnlessZero) { fused.quotient += 1 }
            for firm in 0..<40 {
                let inputs = WordProgramTests.firm(ruleSet, &random)
                let decision = compiled.evaluate(inputs: inputs, on: day)
                let expected = reference.evaluate(inputs: inputs, on: day)
                guard decision == expected else {
                    Issue.record("\(ruleSet.name) firm \(firm): \(decision) but evaluate(_:) alone gives \(expected); inputs \(inputs)")
                    continue
                }
                if compiled.executed > 0 { settled += 1 }
                let values = compiled.valueResults.map(WordProgramTests.parts)
                let criteria = compiled.criterionResults.map(WordProgramTests.parts)
                #expect(values == reference.valueResults.map(WordProgramTests.parts), "\(ruleSet.name) firm \(firm): values")
                #expect(criteria == reference.criterionResults.map(WordProgramTests.parts), "\(ruleSet.name) firm \(firm): criteria")
                guard decision.notInForceOn == nil else { continue }
                // Every node once the whole program has run, as a trace reads them.
                compiled.settleEverything()
                reference.settleEverything()
                for node in ruleSet.nodes.indices {
                    let mine = WordProgramTests.parts(compiled.evaluate(Int32(node)))
                    let theirs = WordProgramTests.parts(reference.evaluate(Int32(node)))
                    if mine != theirs { Issue.record("\(ruleSet.name) firm \(firm): node \(node) is \(mine), not \(theirs); \(inputs)") }
                }
            }
        }
        #expect(settled > 10_000, "the program ran for \(settled) firms")
        #expect(fused.sum >= 100 && fused.quotient >= 10, "rule sets with a sum and with a guarded share: \(fused)")
    }
}
