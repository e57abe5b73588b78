import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The kept-direction check read from the plan's table (`KeptMemo`, h-cf16) against the check
/// computed every time (`memo: false`), input by input, over many firms of one evaluator (so that
/// the table answers for firms it did not compute them for), and the firms' counterfactuals with
/// and without the table (which also holds the yes/no inputs' flips), as text.
@Suite("bounds: the kept-direction check's table (h-cf16)")
struct KeptMemoTests {
    /// For each numeric input of the firm, the check with the table and without, after the same
    /// `move` and `filter` as the search makes them (and without `filter`), and the table read before
    /// the move (`keptAhead`) where it answers: how many inputs were compared, how many of them the
    /// table answered (no new entry), how many it answered before the move, and those that differ.
    static func memoized(_ evaluator: Evaluator, _ decision: Decision) -> (compared: Int, answered: Int, ahead: Int, wrong: [String]) {
        guard let pair = SearchPair(evaluator, decision, memo: false) else { return (0, 0, 0, []) }
        let plan = pair.plan
        var memoized = pair.usual
        var computed = pair.without
        var compared = 0
        var answered = 0
        var aheadAnswered = 0
        var wrong: [String] = []
        for index in evaluator.inputs.indices {
            guard case .number(let value) = evaluator.inputs[index], let range = plan.ranges[index],
                !plan.conditions.conditionsOpaque.contains(index), memoized.move(index, from: value), computed.move(index, from: value)
            else { continue }
            _ = computed.filter(value: value, range: range)
            let reference = computed.keptDirections(value: value, range: range)
            // The table read before the move, where it answers: the check's answer.
            let ahead = memoized.keptAhead(index, value: value, range: range)
            if ahead >= 0 {
                if ahead != Int(reference) { wrong.append("input \(index) ahead: table \(ahead), computed \(reference)") }
                aheadAnswered += 1
            }
            for filtered in [true, false] {
                if !filtered { guard memoized.move(index, from: value) else { continue } }
                if filtered { _ = memoized.filter(value: value, range: range) }
                let before = plan.keptMemo.count
                let kept = memoized.keptDirections(value: value, range: range)
                if kept != reference { wrong.append("input \(index) filtered \(filtered): table \(kept), computed \(reference)") }
                compared += 1
                if memoized.memoizes && memoized.byPosition && plan.keptMemo.count == before && before > 0 { answered += 1 }
            }
        }
        return (compared, answered, aheadAnswered, wrong)
    }

    /// The firm's answers of every compiled yes/no and its outcome by the compiled conditions
    /// (`CompiledSearch.makeState`), read from the plan's table of firms' answers (h-cf18) and
    /// computed (`memo: false`): whether the table answered (no new row), and what differs.
    static func states(_ evaluator: Evaluator, _ decision: Decision) -> (answered: Bool, wrong: String?) {
        guard let pair = SearchPair(evaluator, decision, memo: false) else { return (false, nil) }
        let plan = pair.plan
        var memoized = pair.usual
        var computed = pair.without
        let before = plan.keptMemo.stateCount
        memoized.makeState()
        computed.makeState()
        let answered = memoized.memoizes && plan.keptMemo.states && before > 0 && plan.keptMemo.stateCount == before
        let count = plan.tables.boolCount
        let table = (0..<count).map { memoized.firm[$0] }
        let reference = (0..<count).map { computed.firm[$0] }
        let candidates = (0..<count).map { memoized.answers[$0] }
        guard table == reference, candidates == reference, memoized.firmOutcome == computed.firmOutcome else {
            return (
                answered,
                "table \(table) \(String(describing: memoized.firmOutcome)), computed \(reference) \(String(describing: computed.firmOutcome))"
            )
        }
        return (answered, nil)
    }

    /// The firm's counterfactuals with the table and without, as text.
    static func pair(_ evaluator: Evaluator, _ decision: Decision) -> (memo: String, computed: String)? {
        guard let memo = evaluator.counterfactuals(of: decision),
            let computed = evaluator.counterfactuals(of: decision, fastPath: true, memo: false)
        else { return nil }
        return (String(describing: memo), String(describing: computed))
    }

    @Test("generated rule sets: the table's answers are the check's, for firms it did not compute them for")
    func generated() throws {
        var random = SplitMix64(seed: 16_161)
        var totals = (firms: 0, compared: 0, answered: 0, ahead: 0, states: 0)
        for _ in 0..<600 {
            guard let (generated, ruleSet) = IntegralAtomTests.generatedRuleSet(&random) else { continue }
            var evaluator = Evaluator(ruleSet: ruleSet)
            for round in 0..<12 {
                let inputs: [Scalar?] = ruleSet.inputs.map { input in
                    switch input.type {
                    case .money, .percent, .number:
                        .number(random.pick(round % 4 == 3 ? KeptDirectionsTests.edges : IntegralAtomTests.mixed))
                    case .count, .bool, .date, .text, .choice: CorpusTests.value(input.type, ruleSet, &random)
                    }
                }
                let decision = evaluator.evaluate(inputs: inputs, on: IntegralAtomTests.day)
                guard decision.outcome != nil else { continue }
                let (compared, answered, ahead, wrong) = Self.memoized(evaluator, decision)
                #expect(wrong.isEmpty, "\(generated.rules)\n\(inputs)\n\(wrong)")
                let state = Self.states(evaluator, decision)
                #expect(state.wrong == nil, "\(generated.rules)\n\(inputs)\n\(state.wrong ?? "")")
                totals.states += state.answered ? 1 : 0
                let (memo, computed) = try #require(Self.pair(evaluator, decision))
                #expect(memo == computed, "\(generated.rules)\n\(inputs)\ntable: \(memo)\ncomputed: \(computed)")
                totals.firms += 1
                totals.compared += compared
                totals.answered += answered
                totals.ahead += ahead
            }
        }
        #expect(
            totals.firms > 1_000 && totals.compared > 500 && totals.answered > 200 && totals.ahead > 100 && totals.states > 200,
            "\(totals)")
    }

    @Test("the screening: thresholds, one øre either side, a total of 0, and the benchmark's firms, in one evaluator")
    func screening() throws {
        let text = try String(contentsOfFile: TestPaths.rules + "/anden_aktoer.rules", encoding: .utf8)
        let ruleSet = try #require(loadRules([("anden_aktoer.rules", text)]).ruleSets.first)
        var evaluator = Evaluator(ruleSet: ruleSet)
        let names = ruleSet.inputs.map(\.name)
        func firm(_ values: [String: Scalar]) -> [Scalar?] { names.map { values[$0] } }
        func money(_ text: String) -> Scalar { .number(Exact(øre: Int128(text.replacingOccurrences(of: ".", with: "")) ?? 0)) }
        var firms: [[Scalar?]] = []
        let amounts = ["0.00", "0.01", "499999.99", "500000.00", "500000.01", "1000000.00"]
        let staffs: [[Int]] = [[3, 1, 1, 0, 0, 1], [0, 0, 0, 0, 0, 0], [4, 1, 0, 0, 0, 1], [50, 0, 10, 3, 0, 0], [5, 1, 1, 0, 0, 2]]
        let staffNames = ["ordinary_employees", "fleksjob", "loentilskud", "skaanejob", "smaajob", "virksomhedspraktik"]
        for ms in amounts {
            for mes in amounts {
                for (s, staff) in staffs.enumerated() {
                    for other in ["0", "0.01", "250000.00"] {
                        var values: [String: Scalar] = [
                            "own_cvr": .bool(s != 4),
                            "public_ownership": .number(Exact(numerator: [0, 4999, 5000, 1000, 4999][s], denominator: 10_000)!),
                            "market_sales": money(ms), "municipal_employment_services": money(mes), "other_public_contracts": money(other),
                            "grants": money("0"),
                        ]
                        for (name, count) in zip(staffNames, staff) { values[name] = .number(Exact(integer: Int128(count))) }
                        firms.append(firm(values))
                    }
                }
            }
        }
        // The benchmark's firms (`soe-bench bounds`): amounts up to 3,000,000 kr, staff up to 11.
        var random = SplitMix64(seed: 15)
        for _ in 0..<1_500 {
            firms.append(
                ruleSet.inputs.map { input in
                    switch input.type {
                    case .money: .number(Exact(øre: Int128(random.next(300_000_000))))
                    case .percent: .number(Exact(numerator: Int128(random.next(60)), denominator: 100) ?? .zero)
                    case .count: .number(Exact(integer: Int128(random.next(12))))
                    case .bool: .bool(random.next(10) != 0)
                    case .number, .choice, .date, .text: nil
                    }
                })
        }
        var totals = (firms: 0, compared: 0, answered: 0, ahead: 0, states: 0)
        for inputs in firms {
            let decision = evaluator.evaluate(inputs: inputs, on: IntegralAtomTests.day)
            guard decision.outcome != nil else { continue }
            let (compared, answered, ahead, wrong) = Self.memoized(evaluator, decision)
            #expect(wrong.isEmpty, "\(inputs)\n\(wrong)")
            let state = Self.states(evaluator, decision)
            #expect(state.wrong == nil, "\(inputs)\n\(state.wrong ?? "")")
            totals.states += state.answered ? 1 : 0
            let (memo, computed) = try #require(Self.pair(evaluator, decision))
            #expect(memo == computed, "\(inputs)\ntable: \(memo)\ncomputed: \(computed)")
            totals.firms += 1
            totals.compared += compared
            totals.answered += answered
            totals.ahead += ahead
        }
        #expect(totals.firms > 1_500 && totals.answered > 1_000 && totals.ahead > 1_000 && totals.states > 1_000, "\(totals)")
        // The yes/no input's flips were read from the table too (its key: the firm's, the input and
        // the outcome), and compared above with the flips computed.
        let plan = evaluator.analysisPlan.compiled.plan(for: evaluator, day: IntegralAtomTests.day, plan: evaluator.analysisPlan)
        #expect(plan.keptMemo.flipCount > 0 && plan.keptMemo.flipCount < totals.firms, "\(plan.keptMemo.flipCount)")
    }

    @Test("the table stays bounded: emptied when half full, and answers what it holds")
    func bounded() {
        let text =
            "ruleset t \"T\"\n  in force from 2015-01-01\ninput a: money\ncriterion c \"C\" = a > 0 kr\nclassify\n  y \"Y\" when c\n  otherwise n \"N\"\n"
        guard let plan = Self.compiledPlan(text) else { return }
        let memo = plan.keptMemo
        var random = SplitMix64(seed: 7)
        var recent: [(KeptMemo.Key, UInt8)] = []
        for round in 0..<(3 * KeptMemo.capacity) {
            let key = KeptMemo.Key(
                firm: KeptMemo.FirmKey(low: random.next(), high: UInt64(round % 3)), freed: random.next() & 0xFF, input: Int32(round % 5),
                outcome: Int32(round % 2))
            let kept = UInt8(random.next(4))
            memo.note(key, kept)
            recent.append((key, kept))
            #expect(memo.count <= KeptMemo.capacity / 2)
            #expect(memo.answer(key) == kept)
        }
        // The last one noted since the table was last emptied are all there.
        for (key, kept) in recent.suffix(memo.count) { #expect(memo.answer(key) == kept) }
        #expect(memo.answer(KeptMemo.Key(firm: KeptMemo.FirmKey(low: 1, high: 9), freed: 0, input: 0, outcome: 0)) == nil)
    }

    @Test("the table of firms' answers stays bounded: emptied when half full, and gives back the rows it holds")
    func boundedStates() {
        let text =
            "ruleset t \"T\"\n  in force from 2015-01-01\ninput a: money\ninput b: yes/no\ncriterion c \"C\" = a > 0 kr and b\nclassify\n  y \"Y\" when c\n  otherwise n \"N\"\n"
        guard let plan = Self.compiledPlan(text) else { return }
        let memo = plan.keptMemo
        let width = plan.tables.boolCount
        #expect(memo.states && width >= 2, "\(width)")
        // A row per key, its answers read from the key's bits.
        func row(_ key: KeptMemo.FirmKey) -> [Kleene] {
            (0..<width).map { Kleene(rawValue: UInt8(truncatingIfNeeded: key.low >> UInt64(2 * ($0 % 32))) & 3) ?? .no }
        }
        var random = SplitMix64(seed: 18)
        var recent: [KeptMemo.FirmKey] = []
        // The row the table gives for a key, nil where it has none.
        func read(_ key: KeptMemo.FirmKey) -> [Kleene]? {
            var out = [Kleene](repeating: .no, count: width)
            let found = out.withUnsafeMutableBufferPointer { memo.state(key, into: $0.baseAddress!) }
            return found ? out : nil
        }
        for round in 0..<(3 * KeptMemo.capacity) {
            let key = KeptMemo.FirmKey(low: random.next(), high: UInt64(round % 3))
            var answers = row(key)
            answers.withUnsafeMutableBufferPointer { memo.note(key, state: $0.baseAddress!) }
            recent.append(key)
            #expect(memo.stateCount <= KeptMemo.capacity / 2)
            #expect(read(key) == answers)
        }
        // The last ones noted since the table was last emptied are all there, each with its row.
        for key in recent.suffix(memo.stateCount) { #expect(read(key) == row(key)) }
        #expect(read(KeptMemo.FirmKey(low: 1, high: 9)) == nil)
    }

    /// Keys that differ only in their high entries must spread over the table's 4,096 slots: before
    /// `KeptMemo.finish`, the 6,561 keys below all had one slot (a product's low bits do not see its
    /// word's high bits), and each lookup walked the cluster.
    @Test("keys that differ only in their high entries spread over the slots, in both tables")
    func highEntriesSpread() {
        let mask = KeptMemo.capacity - 1
        var kept = Set<Int>()
        var flips = Set<Int>()
        var combination = 0
        while combination < 6_561 {
            // Entries 22 to 29 of the low word and 0 to 7 of the high word, each 0, 1 or 2.
            var low: UInt64 = 0
            var high: UInt64 = 0
            var rest = combination
            for entry in 0..<8 {
                low |= UInt64(rest % 3) << UInt64(2 * (22 + entry))
                high |= UInt64(rest % 3) << UInt64(2 * entry)
                rest /= 3
            }
            let key = KeptMemo.Key(firm: KeptMemo.FirmKey(low: low, high: 0), freed: 0, input: 3, outcome: 1)
            kept.insert(key.hash & mask)
            let flip = KeptMemo.FlipKey(low: 0, high: high << 48, input: 2, outcome: 0)
            flips.insert(KeptMemo.hash(flip) & mask)
            combination += 1
        }
        // 6,561 keys thrown at 4,096 slots fill about 3,270 of them when spread well.
        #expect(kept.count > 3_000, "\(kept.count) slots")
        #expect(flips.count > 3_000, "\(flips.count) slots")
    }

    /// The compiled plan of the one rule set of `text`, for the tables' own tests; nil (recorded) if
    /// it does not load.
    static func compiledPlan(_ text: String) -> CompiledPlan? {
        guard let ruleSet = loadRules([("t.rules", text)]).ruleSets.first else {
            Issue.record("rules")
            return nil
        }
        let evaluator = Evaluator(ruleSet: ruleSet)
        return CompiledPlan(evaluator, plan: evaluator.analysisPlan)
    }
}
