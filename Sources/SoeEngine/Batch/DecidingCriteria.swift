import SoeLanguage

/// The criteria that decided a batch result, for its `criteria` column: the short answer to "why
/// this outcome?" that the full trace explains step by step.
///
/// - For an outcome that applies, the criteria in its condition whose values make the condition
///   true: all of them for `all of`, the true ones for `any of`, the false one for `not eligible`.
/// - For the fallback (`otherwise`), which applies because every earlier outcome did not, the
///   criteria that made each earlier condition false, earlier outcomes first: for `all of` the
///   unmet ones, for `not eligible` an `eligible` that holds.
///
/// Each is reported with its value (`eligible=no`), because whether a criterion counts for or
/// against a firm depends on how the condition is phrased. The walk stops at the first criterion on
/// each path (a criterion's own formula is in the trace); comparisons written straight into a
/// condition name no criterion. Nothing here allocates once `found` has grown to its largest size.
enum DecidingCriteria {
    /// Fills `found` with the deciding criteria of a determined result, in first-use order.
    /// Reads the evaluator's own node and condition arrays rather than the rule set's definitions,
    /// which would copy names and texts (with reference counting) per result.
    static func collect(outcome: Int, evaluator: borrowing Evaluator, into found: inout [Int]) {
        found.removeAll(keepingCapacity: true)
        let conditions = evaluator.outcomeConditions
        guard outcome < conditions.count else { return }
        if conditions[outcome] >= 0 {
            blame(conditions[outcome], for: true, evaluator, &found)
            return
        }
        for earlier in 0..<outcome where conditions[earlier] >= 0 {
            blame(conditions[earlier], for: false, evaluator, &found)
        }
    }

    /// Adds the criteria that give the formula at `index` the value `value`.
    private static func blame(_ index: Int32, for value: Bool, _ evaluator: borrowing Evaluator, _ found: inout [Int]) {
        let node = evaluator.nodes[Int(index)]
        switch node.op {
        case .criterion:
            let criterion = Int(node.a)
            if !found.contains(criterion) { found.append(criterion) }
        case .not:
            blame(node.a, for: !value, evaluator, &found)
        case .and, .or:
            // `and` is false because of its false operands and true because of all of them; `or` the mirror.
            let decisive = node.op == .or
            let start = Int(node.listStart)
            for offset in 0..<Int(node.listCount) {
                let child = evaluator.lists[start + offset]
                if value == decisive {
                    if evaluator.knownBool(child) == decisive { blame(child, for: decisive, evaluator, &found) }
                } else {
                    blame(child, for: value, evaluator, &found)
                }
            }
        case .ifThenElse:
            switch evaluator.knownBool(node.a) {
            case true?: blame(node.b, for: value, evaluator, &found)
            case false?: blame(node.c, for: value, evaluator, &found)
            case nil: break
            }
        default:
            break
        }
    }
}

/// `DecidingCriteria.collect` worked out once per rule set: for each outcome, the walk over its
/// condition (and, for the fallback, the earlier conditions) flattened into a short list of steps,
/// so that a result no longer walks the formula tree, searches `found`, or asks the evaluator for
/// the value of each criterion it names.
///
/// A step either names a criterion with its value, or asks whether a node is known to have a
/// value, skipping the steps that follow it when it is not. When no asking step lies within
/// another's skip, and there are at most `maxProbes` of them (`probes`), the criteria depend on
/// the row only through those answers: the result writer then keeps a decided result's text per
/// outcome and answers, made the first time it is met (`criteria(outcome:answers:)`). Where the
/// walk asks nothing of the row (a single criterion, `not eligible`, an `all of` that holds), an
/// outcome has one such text.
///
/// Why the value a step names is the criterion's own: the walk reaches a node only with the value
/// that node is known to have (an outcome's condition is known true, an earlier one known false;
/// `not` flips it; an `all of` known true has every operand true, an `any of` known false every
/// operand false; the other operands are reached only once `knownBool` says so; an `if` only
/// through the branch its known test takes), so a criterion is reached with its known value,
/// which is what `criterionIsTrue` says. `DecidingPlanTests` compares the two on generated rule
/// sets. A class, so that a result borrows a rule set's plan with one reference.
final class DecidingPlan: Sendable {
    /// One step: `node` < 0 names criterion `criterion` with `value`; otherwise, when
    /// `knownBool(node)` is not `value`, the next `skip` steps are passed over.
    struct Step: Equatable {
        var node: Int32
        var criterion: Int32
        var value: Bool
        var skip: Int32
    }

    /// The steps of outcome `o`: `steps[starts[o]..<starts[o + 1]]`.
    let steps: [Step]
    let starts: [Int]
    /// Per outcome, whether its steps are too many to have been flattened (a condition of
    /// thousands of nodes): then `DecidingCriteria.collect` walks it.
    let general: [Bool]
    /// Per outcome, how many asking steps it has when they are its probes (none nested, at most
    /// `maxProbes`), else -1.
    let probeCounts: [Int]
    /// Whether the rule set has at most 64 criteria, so that one word says which are already named.
    let smallSet: Bool
    /// The asking steps alone, in order, outcome `o`'s at `probeSteps[probeStarts[o]..<probeStarts[o + 1]]`:
    /// `answers` reads only these, not every step of an outcome.
    let probeSteps: [Step]
    let probeStarts: [Int]

    /// The most steps an outcome is flattened to.
    static let maxSteps = 1 << 14
    /// The most probes of an outcome whose criteria are kept per answers (2^6 texts, made as met).
    static let maxProbes = 6
    /// The most results a writer keeps per outcome and answers, for all its rule sets together
    /// (`BatchResultWriter.decidedRows`, `WideResultWriter.kept`; 16 bytes each, 16 MiB in all): a
    /// rule file of thousands of outcomes, or the wide layout's borderline column, which multiplies
    /// an outcome's room by its rule set's inputs, cannot make the tables grow past it. An outcome
    /// past the budget is written by the general path, to the same bytes.
    static let keptSlotBudget = 1 << 20

    init(_ ruleSet: RuleSet) {
        let conditions = ruleSet.outcomes.map { $0.condition ?? -1 }
        var steps: [Step] = []
        var starts = [0]
        var general: [Bool] = []
        var probeCounts: [Int] = []
        for outcome in conditions.indices {
            var flat: [Step] = []
            var fits = true
            if conditions[outcome] >= 0 {
                fits = DecidingPlan.flatten(conditions[outcome], for: true, ruleSet, into: &flat)
            } else {
                for earlier in 0..<outcome where conditions[earlier] >= 0 && fits {
                    fits = DecidingPlan.flatten(conditions[earlier], for: false, ruleSet, into: &flat)
                }
            }
            if !fits { flat = [] }
            general.append(!fits)
            // Probes: asking steps none of which lies within another's skip.
            var probes = 0
            var nested = false
            var blockEnd = 0
            for (position, step) in flat.enumerated() where step.node >= 0 {
                if position < blockEnd { nested = true }
                blockEnd = position + 1 + Int(step.skip)
                probes += 1
            }
            probeCounts.append(fits && !nested && probes <= DecidingPlan.maxProbes ? probes : -1)
            steps += flat
            starts.append(steps.count)
        }
        (self.steps, self.starts, self.general, self.probeCounts) = (steps, starts, general, probeCounts)
        smallSet = ruleSet.criteria.count <= 64
        var probeSteps: [Step] = []
        var probeStarts = [0]
        for outcome in conditions.indices {
            probeSteps += steps[starts[outcome]..<starts[outcome + 1]].filter { $0.node >= 0 }
            probeStarts.append(probeSteps.count)
        }
        (self.probeSteps, self.probeStarts) = (probeSteps, probeStarts)
    }

    /// Appends the steps that give the criteria making the node at `index` have `value`, as
    /// `DecidingCriteria.blame` finds them; false when they would pass `maxSteps`.
    private static func flatten(_ index: Int32, for value: Bool, _ ruleSet: RuleSet, into steps: inout [Step]) -> Bool {
        guard steps.count < maxSteps else { return false }
        let node = ruleSet.nodes[Int(index)]
        switch node.op {
        case .criterion:
            steps.append(Step(node: -1, criterion: node.a, value: value, skip: 0))
        case .not:
            return flatten(node.a, for: !value, ruleSet, into: &steps)
        case .and, .or:
            let decisive = node.op == .or
            let start = Int(node.listStart)
            for offset in 0..<Int(node.listCount) {
                let child = ruleSet.lists[start + offset]
                if value == decisive {
                    guard conditional(child, decisive, { flatten(child, for: decisive, ruleSet, into: &$0) }, &steps) else {
                        return false
                    }
                } else {
                    guard flatten(child, for: value, ruleSet, into: &steps) else { return false }
                }
            }
        case .ifThenElse:
            guard conditional(node.a, true, { flatten(node.b, for: value, ruleSet, into: &$0) }, &steps),
                conditional(node.a, false, { flatten(node.c, for: value, ruleSet, into: &$0) }, &steps)
            else { return false }
        default:
            break
        }
        return steps.count <= maxSteps
    }

    /// Appends a step that asks whether `node` is known to be `value`, then the steps of `body`,
    /// which it skips when not; nothing when `body` adds no step.
    private static func conditional(
        _ node: Int32, _ value: Bool, _ body: (inout [Step]) -> Bool, _ steps: inout [Step]
    ) -> Bool {
        let at = steps.count
        steps.append(Step(node: node, criterion: -1, value: value, skip: 0))
        guard body(&steps) else { return false }
        if steps.count == at + 1 {
            steps.removeLast()
        } else {
            steps[at].skip = Int32(steps.count - at - 1)
        }
        return true
    }

    /// The answers of an outcome's probes for the current firm: bit `i` set when the `i`-th
    /// asking step's node is known to have its value (`knownBool`). Only for an outcome with
    /// probes. The evaluator is passed in place: borrowed from a caller's `inout`, its 680 bytes
    /// were copied per call.
    func answers(outcome: Int, evaluator: inout Evaluator) -> Int {
        let (first, end) = (probeStarts[outcome], probeStarts[outcome + 1])
        var answers = 0
        // Probes whose node is not settled, by bit: `knownBool` answers them after the pass.
        var unsettled = 0
        // `knownBool`'s settled case read here for every probe in one pass, each array reached
        // through one buffer pointer (per probe, the program's two arrays, the slots and the steps
        // were each checked and released again), the slots borrowed rather than copied.
        let executed = evaluator.executed
        if let unretained = evaluator.unretainedProgram {
            unretained._withUnsafeGuaranteedRef { program in
                program.nodeRegisters.withUnsafeBufferPointer { registers in
                    program.nodeReady.withUnsafeBufferPointer { ready in
                        evaluator.slots.withUnsafeBufferPointer { slots in
                            probeSteps.withUnsafeBufferPointer { steps in
                                var bit = 1
                                for index in first..<end {
                                    let step = steps[index]
                                    let node = Int(step.node)
                                    let register = Int(registers[node])
                                    if register >= 0, ready[node] <= executed, slots[register].kind == .bool {
                                        if (slots[register].bits != 0) == step.value { answers |= bit }
                                    } else {
                                        unsettled |= bit
                                    }
                                    bit &<<= 1
                                }
                            }
                        }
                    }
                }
            }
        } else {
            unsettled = -1
        }
        guard unsettled != 0 else { return answers }
        var bit = 1
        for index in first..<end {
            let step = probeSteps[index]
            if unsettled & bit != 0, DecidingPlan.knownBool(step.node, &evaluator) == step.value { answers |= bit }
            bit &<<= 1
        }
        return answers
    }

    /// `knownBool` apart, so that the copy of the evaluator it makes is made only when it is asked.
    @inline(never)
    private static func knownBool(_ node: Int32, _ evaluator: inout Evaluator) -> Bool? { evaluator.knownBool(node) }

    /// The deciding criteria of a determined result for an outcome with probes, given their
    /// answers, each as `2 × criterion + value` (0 no, 1 yes), in first-use order.
    func criteria(outcome: Int, answers: Int) -> [Int] {
        var codes: [Int] = []
        var index = starts[outcome]
        var bit = 1
        while index < starts[outcome + 1] {
            let step = steps[index]
            index += 1
            if step.node >= 0 {
                if answers & bit == 0 { index += Int(step.skip) }
                bit <<= 1
            } else if !codes.contains(where: { $0 >> 1 == Int(step.criterion) }) {
                codes.append(2 * Int(step.criterion) + (step.value ? 1 : 0))
            }
        }
        return codes
    }

    /// Fills `found` with the deciding criteria of a determined result for `outcome`, each as
    /// `base + 2 × criterion + value` (a piece index of the result writer), as `collect` and
    /// `criterionIsTrue` give them. Only for an outcome that is not `general`.
    func run(outcome: Int, evaluator: borrowing Evaluator, base: Int, into found: inout [Int]) {
        found.removeAll(keepingCapacity: true)
        var seen: UInt64 = 0
        var index = starts[outcome]
        let end = starts[outcome + 1]
        while index < end {
            let step = steps[index]
            index += 1
            if step.node >= 0 {
                if evaluator.knownBool(step.node) != step.value { index += Int(step.skip) }
                continue
            }
            let criterion = Int(step.criterion)
            if smallSet {
                let bit = UInt64(1) << UInt64(criterion)
                if seen & bit != 0 { continue }
                seen |= bit
            } else if found.contains(where: { ($0 - base) >> 1 == criterion }) {
                continue
            }
            found.append(base + 2 * criterion + (step.value ? 1 : 0))
        }
    }
}
