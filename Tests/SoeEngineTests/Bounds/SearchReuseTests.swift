import Dispatch
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The counterfactual search's plan and block kept from firm to firm (`SearchReuse`, h-cf20)
/// against the search without them (the plan looked up in the cache and a block made per firm):
/// firms of two rule sets and two days interleaved through one reuse, a reuse another search holds,
/// copies of one evaluator on two threads, and the reuse's own answers.
@Suite("bounds: the search's plan and block kept from firm to firm (h-cf20)")
struct SearchReuseTests {
    /// The minimal rule set (its market share's minimum 25 % until 2019, 40 % from 2020) and the
    /// screening.
    static func ruleSets() throws -> [RuleSet] {
        let minimal = try String(contentsOfFile: TestPaths.samples + "/minimal/minimal.rules", encoding: .utf8)
        let screening = try String(contentsOfFile: TestPaths.rules + "/anden_aktoer.rules", encoding: .utf8)
        return [
            try #require(loadRules([("minimal.rules", minimal)]).ruleSets.first),
            try #require(loadRules([("anden_aktoer.rules", screening)]).ruleSets.first),
        ]
    }

    /// Two days on which the minimal rule set's parameter differs (the screening's are the same).
    static let days = [Day(year: 2019, month: 6, day: 30)!, Day(year: 2021, month: 12, day: 31)!]

    /// A firm's inputs: amounts around the minimal rule set's thresholds and the generated tests'
    /// values, the other types as the corpus tests make them.
    static func firm(_ ruleSet: RuleSet, _ random: inout SplitMix64) -> [Scalar?] {
        ruleSet.inputs.map { input in
            switch input.type {
            case .money:
                random.next(3) == 0
                    ? .number(random.pick(IntegralAtomTests.mixed)) : .number(Exact(øre: Int128(random.next(100_000_000))))
            case .percent, .number: .number(random.pick(KeptDirectionsTests.edges))
            case .count, .bool, .date, .text, .choice: CorpusTests.value(input.type, ruleSet, &random)
            }
        }
    }

    @Test("two rule sets and two days interleaved through one reuse: the same as without it")
    func interleaved() throws {
        let ruleSets = try Self.ruleSets()
        var evaluators = ruleSets.map { Evaluator(ruleSet: $0) }
        let shared = SearchReuse()
        var random = SplitMix64(seed: 20_020)
        var compared = [[0, 0], [0, 0]]
        var changes = 0
        for _ in 0..<1_600 {
            let (set, day) = (random.next(2), random.next(2))
            let inputs = Self.firm(ruleSets[set], &random)
            let decision = evaluators[set].evaluate(inputs: inputs, on: Self.days[day])
            guard decision.outcome != nil else { continue }
            let reference = try #require(evaluators[set].counterfactuals(of: decision, fastPath: true))
            // Through the reuse both rule sets and both days share, and through the evaluator's own.
            let reused = try #require(evaluators[set].counterfactuals(of: decision, fastPath: true, reuse: shared))
            let own = try #require(evaluators[set].counterfactuals(of: decision))
            #expect(reused == reference, "\(ruleSets[set].name) \(Self.days[day]) \(inputs)\nreused: \(reused)\nwithout: \(reference)")
            #expect(own == reference, "\(ruleSets[set].name) \(Self.days[day]) \(inputs)\nown: \(own)\nwithout: \(reference)")
            compared[set][day] += 1
            changes += reference.changes.count
        }
        #expect(compared.allSatisfy { $0.allSatisfy { $0 > 200 } } && changes > 1_000, "\(compared) \(changes)")
    }

    @Test("a reuse another search holds: the search does without it, and leaves it held")
    func held() throws {
        let ruleSet = try Self.ruleSets()[1]
        var evaluator = Evaluator(ruleSet: ruleSet)
        var random = SplitMix64(seed: 20_021)
        var compared = 0
        for round in 0..<200 {
            let decision = evaluator.evaluate(inputs: Self.firm(ruleSet, &random), on: Self.days[round % 2])
            guard decision.outcome != nil else { continue }
            let reference = try #require(evaluator.counterfactuals(of: decision, fastPath: true))
            #expect(evaluator.analysisPlan.compiled.reuse.take())
            let without = try #require(evaluator.counterfactuals(of: decision))
            // Still held: the search did not give back what it did not take.
            #expect(!evaluator.analysisPlan.compiled.reuse.take())
            evaluator.analysisPlan.compiled.reuse.give()
            #expect(without == reference)
            compared += 1
        }
        #expect(compared > 100)
    }

    @Test("the reuse's plan is the cache's for the same rule set and day, and its block large enough")
    func answers() throws {
        let ruleSets = try Self.ruleSets()
        let evaluators = ruleSets.map { Evaluator(ruleSet: $0) }
        let reuse = SearchReuse()
        #expect(reuse.take())
        defer { reuse.give() }
        // The same rule set on the other day, then the other rule set on the same day, and so on.
        for round in 0..<12 {
            let evaluator = evaluators[(round / 2) % 2]
            let day = Self.days[((round + 1) / 2) % 2]
            let analysis = evaluator.analysisPlan
            let plan = reuse.plan(for: evaluator, day: day, analysis: analysis)
            #expect(plan === analysis.compiled.plan(for: evaluator, day: day, plan: analysis))
            #expect(plan === reuse.plan(for: evaluator, day: day, analysis: analysis))
        }
        let first = reuse.block(bytes: 1_000)
        first.values = [.one]
        let second = reuse.block(bytes: 500)
        #expect(second === first && second.values.isEmpty)
        let third = reuse.block(bytes: 4_000)
        #expect(third !== first && third.bytes >= 4_000)
        #expect(reuse.block(bytes: 4_000) === third)
    }

    @Test("a block's shared lists (flipped criteria, unmovable inputs): each set's own indices, ascending, in any order of sets")
    func flippedLists() {
        let storage = SearchStorage(bytes: 64)
        var random = SplitMix64(seed: 20_023)
        // Few sets, met again and again (as on the screening), and many (places taken over).
        let few: [UInt64] = [1, 2, 3, 1 << 5, 1 << 63, (1 << 63) | 1, 0b1011_0110]
        var shared = 0
        for round in 0..<6_000 {
            let set: UInt64 =
                round % 3 == 0
                ? random.next() | 1 : (round % 3 == 1 ? random.pick(few) : UInt64(1) << UInt64(random.next(64)))
            let expected = (0..<64).filter { set >> UInt64($0) & 1 == 1 }
            let list = storage.list(of: set)
            #expect(list == expected, "set \(String(set, radix: 2))")
            // The same set again: the list just placed.
            let again = storage.list(of: set)
            #expect(again == expected)
            shared += again.withUnsafeBufferPointer { a in list.withUnsafeBufferPointer { $0.baseAddress == a.baseAddress } } ? 1 : 0
        }
        #expect(shared == 6_000)
    }

    @Test("more than 64 inputs: the unmovable ones past 63 follow the shared list, as the general search has them")
    func wideUnmovable() throws {
        var text = """
            ruleset wide "Bred" en "Wide"
              source "Test" en "Test"
              version "1.0"
              in force from 2015-01-01

            """
        for index in 0..<70 { text += "input a\(index): money \"A\(index)\" en \"A\(index)\"\n  min 0 kr\n" }
        text += """
            value total "I alt" en "Total" = a1 + a3 + a65 + a68
            criterion big "Stor" en "Big"
              cite "§ 1"
              = total >= 100 kr

            classify
              large "Stor" en "Large"
                when big
                reason "Stor" en "Big"
              otherwise small "Lille" en "Small"

            """
        let ruleSet = try #require(loadRules([("wide.rules", text)]).ruleSets.first)
        var evaluator = Evaluator(ruleSet: ruleSet)
        var random = SplitMix64(seed: 20_024)
        var compared = 0
        for _ in 0..<40 {
            let inputs: [Scalar?] = (0..<70).map { _ in .number(Exact(øre: Int128(random.next(8_000)))) }
            let decision = evaluator.evaluate(inputs: inputs, on: Self.days[1])
            let fast = try #require(evaluator.counterfactuals(of: decision))
            let general = try #require(evaluator.counterfactuals(of: decision, fastPath: false))
            #expect(fast == general, "\(fast)\n\(general)")
            // Every input the total does not read (past 63 too), ascending, with those it reads that
            // no value within the range moves.
            let unread = (0..<70).filter { ![1, 3, 65, 68].contains($0) }
            #expect(fast.unmovable.filter { ![1, 3, 65, 68].contains($0) } == unread && fast.unmovable == fast.unmovable.sorted())
            compared += 1
        }
        #expect(compared == 40)
    }

    @Test("copies of one evaluator on two threads at once: every firm's counterfactuals as on one")
    func threads() throws {
        let ruleSet = try Self.ruleSets()[1]
        var evaluator = Evaluator(ruleSet: ruleSet)
        var random = SplitMix64(seed: 20_022)
        let firms = (0..<400).map { _ in Self.firm(ruleSet, &random) }
        var expected: [String] = []
        for (index, inputs) in firms.enumerated() {
            let decision = evaluator.evaluate(inputs: inputs, on: Self.days[index % 2])
            expected.append(String(describing: evaluator.counterfactuals(of: decision, fastPath: true)))
        }
        // Copies share the evaluator's reuse: each search takes it or does without. Each thread
        // touches only its own copy and list.
        let copies = UnsafeMutableBufferPointer<Evaluator>.allocate(capacity: 2)
        _ = copies.initialize(from: [evaluator, evaluator])
        let lists = UnsafeMutableBufferPointer<[String]>.allocate(capacity: 2)
        _ = lists.initialize(from: [[], []])
        defer {
            _ = copies.deinitialize()
            copies.deallocate()
            _ = lists.deinitialize()
            lists.deallocate()
        }
        let threads = ThreadShares(copies: copies, lists: lists)
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            for round in 0..<3 {
                for (index, inputs) in firms.enumerated() where (index + round) % 2 == thread || round == 2 {
                    let decision = threads.copies[thread].evaluate(inputs: inputs, on: Self.days[index % 2])
                    threads.lists[thread].append("\(index) " + String(describing: threads.copies[thread].counterfactuals(of: decision)))
                }
            }
        }
        let all = Array(lists)
        var checked = 0
        for list in all {
            for line in list {
                let (index, text) = (Int(line.prefix { $0 != " " })!, line.drop { $0 != " " }.dropFirst())
                #expect(String(text) == expected[index], "firm \(index)")
                checked += 1
            }
        }
        #expect(checked == 2 * (400 + 400 / 2 * 2))
    }
}

/// Lets the copies and their lists cross into the threads, where each touches only its own.
private struct ThreadShares: @unchecked Sendable {
    let copies: UnsafeMutableBufferPointer<Evaluator>
    let lists: UnsafeMutableBufferPointer<[String]>
}
