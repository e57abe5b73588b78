import SoeLanguage

/// The classification of a firm when its missing inputs range over every value they could take:
/// each numeric input between its declared `min` and `max` (a count never below 0), each yes/no
/// either way, each choice any of its members.
///
/// Three-valued logic treats a missing input as "anything"; the bounds know more. With market
/// sales of 1,250,000 kr and municipal employment services of 300,000 kr known, and the other
/// revenue missing but declared `min 0 kr`, the employment-services share is at most 19.4 %, so
/// "anden aktør" is ruled out. The bounds are sound: an outcome is decided, or ruled out, only
/// when every value the missing inputs could take gives the same answer. The missing inputs stay
/// missing: `Decision` and the decision record are unchanged; this is what the trace adds.
public struct BoundsDecision: Sendable, Equatable {
    /// The outcome whatever the missing values are, by index into `RuleSet.outcomes`; nil when
    /// the missing values could still change it.
    public let outcome: Int?
    /// The outcomes some values of the missing inputs would give, in priority order (empty when
    /// `outcome` is set).
    public let possibleOutcomes: [Int]
    /// Outcomes that three-valued logic left possible and the bounds rule out, in priority order.
    public let ruledOut: [Int]
    /// Every missing input that stood in the way under three-valued logic (as in `Decision`).
    public let missing: InputSet
    /// The smallest sets of missing inputs whose values would settle the case or one step of it,
    /// ranked: fewest inputs first, then by priority.
    public let settling: [SettlingSet]
    /// Each value's range over the box, by value index; nil for a value that is not a number, or
    /// has one value (nothing to show), or is never defined.
    public let valueRanges: [Interval?]

    /// The grounds of a decision by the bounds: each missing input with the range it was taken
    /// to range over (its declared `min` and `max`; nil for a yes/no, choice, date or text, which
    /// may take any of its values), in declaration order.
    public let grounds: [BoundsGround]
    /// Whether the bounds settle which rule decides, not only the outcome: false when the
    /// possible rules are several routes to one outcome, so that the outcome is certain but its
    /// reason (each route has its own) is not.
    public var ruleSettled = true

    /// The criteria that three-valued logic left unknown and the bounds settle, each with its answer
    /// whatever the missing values are, by criterion index. Not written in the trace: a letter
    /// reads it so as not to ask for an input because of a criterion the missing data cannot
    /// change. Empty in a `BoundsDecision` read back from a record.
    public var settledCriteria: [Int: Bool] = [:]

    /// Whether the bounds decide what three-valued logic could not.
    public var decidesMore: Bool { outcome != nil || !ruledOut.isEmpty }
}

/// One missing input and the range the bounds let it take.
public struct BoundsGround: Sendable, Equatable {
    /// The input, by index.
    public let input: Int
    /// Its declared range; nil when it may take any value of its type.
    public let range: Interval?
}

/// A set of missing inputs whose values, whatever they turn out to be, decide whether one outcome
/// applies ("market_sales alone decides between anden_aktoer and social_economy").
public struct SettlingSet: Sendable, Equatable {
    /// The inputs, by index, in declaration order.
    public let inputs: [Int]
    /// The outcome whose condition these inputs settle.
    public let outcome: Int
    /// The outcomes still possible after it, in priority order: what applies when it does not.
    public let alternatives: [Int]
    /// Whether these inputs settle the whole case, not only this outcome's condition.
    public let settlesAll: Bool
}

extension Evaluator {
    /// The interval a missing numeric input ranges over: its declared `min` and `max`, and for a
    /// count whole numbers from 0. nil for inputs that are not numbers.
    public static func domain(of input: InputDefinition) -> Interval? {
        switch input.type {
        case .money, .percent, .number:
            return Interval.between(input.minimum, input.maximum)
        case .count:
            let floor = input.minimum.map { Exact.maximum($0, .zero) } ?? .zero
            return Interval.between(floor, input.maximum).integral()
        case .bool, .date, .text, .choice:
            return nil
        }
    }

    /// Classifies the current firm (after `evaluate(inputs:on:)`) with its missing inputs ranging
    /// over their bounds; nil when the rule set is not in force, or the firm has no missing input.
    /// `decision` is the three-valued decision of the same firm.
    public func bounds(of decision: Decision) -> BoundsDecision? {
        guard decision.notInForceOn == nil else { return nil }
        var varying = InputSet()
        var box = [Interval?](repeating: nil, count: inputs.count)
        var grounds: [BoundsGround] = []
        for (index, input) in ruleSet.inputs.enumerated() where inputs[index] == nil {
            varying.insert(index)
            box[index] = Evaluator.domain(of: input)
            if decision.missing.contains(index) { grounds.append(BoundsGround(input: index, range: box[index])) }
        }
        guard !varying.isEmpty else { return nil }
        var walk = BoundsWalk(evaluator: self, box: box, varying: varying, reads: analysisPlan.definitions)
        var possible: [Int] = []
        var outcome: Int?
        // Outcome conditions still open, with the missing inputs each depends on.
        var open: [(outcome: Int, depends: InputSet)] = []
        for (index, condition) in outcomeConditions.enumerated() {
            guard condition >= 0 else {
                if possible.isEmpty { outcome = index } else { possible.append(index) }
                break
            }
            let bound = walk.bound(condition)
            let truth = bound.truth
            if truth == .yes {
                if possible.isEmpty { outcome = index } else { possible.append(index) }
                break
            }
            if truth.isDisjoint(with: [.yes, .unknown]) { continue }
            possible.append(index)
            open.append((index, bound.depends))
        }
        // Outcomes are kept by name: when every rule still possible leads to one outcome, that
        // outcome is decided, whichever of its rules would apply.
        let names = analysisPlan.outcomeNames
        var ruleSettled = true
        if outcome == nil, let first = possible.first, possible.allSatisfy({ names[$0] == names[first] }) {
            outcome = first
            ruleSettled = possible.count == 1
        }
        if outcome != nil { possible = [] }
        let keptNames = Set((possible + (outcome.map { [$0] } ?? [])).map { names[$0] })
        var ruledOutNames = Set<Int>()
        let ruledOut = decision.possibleOutcomes.filter { !keptNames.contains(names[$0]) && ruledOutNames.insert(names[$0]).inserted }
        var ranges: [Interval?] = []
        for root in valueRoots {
            let bound = walk.bound(root)
            if let number = bound.number, number.range.point == nil, !number.range.isEmpty, number.range != .all {
                ranges.append(number.range)
            } else {
                ranges.append(nil)
            }
        }
        var settledCriteria: [Int: Bool] = [:]
        for (index, root) in criterionRoots.enumerated() {
            guard case .unknown = criterionResult(index), let answer = walk.bound(root).truth.certain else { continue }
            settledCriteria[index] = answer
        }
        let settling = outcome == nil ? Evaluator.settlingSets(open, possible: possible) : []
        var decided = BoundsDecision(
            outcome: outcome, possibleOutcomes: possible, ruledOut: ruledOut, missing: decision.missing, settling: settling,
            valueRanges: ranges, grounds: grounds)
        decided.ruleSettled = ruleSettled
        decided.settledCriteria = settledCriteria
        return decided
    }

    /// The settling sets: for each open condition the inputs it depends on (knowing them decides
    /// whether its outcome applies), and all of them together (knowing them decides the case).
    static func settlingSets(_ open: [(outcome: Int, depends: InputSet)], possible: [Int]) -> [SettlingSet] {
        var all = InputSet()
        for step in open { all = all.union(step.depends) }
        var sets: [SettlingSet] = []
        var seen: Set<InputSet> = []
        for step in open where !step.depends.isEmpty && !seen.contains(step.depends) {
            seen.insert(step.depends)
            let after = possible.drop { $0 != step.outcome }.dropFirst()
            sets.append(
                SettlingSet(
                    inputs: step.depends.indices, outcome: step.outcome, alternatives: Array(after), settlesAll: step.depends == all))
        }
        if !all.isEmpty && !seen.contains(all), let first = open.first {
            let after = possible.drop { $0 != first.outcome }.dropFirst()
            sets.append(SettlingSet(inputs: all.indices, outcome: first.outcome, alternatives: Array(after), settlesAll: true))
        }
        return sets.enumerated().sorted { a, b in
            a.element.inputs.count != b.element.inputs.count ? a.element.inputs.count < b.element.inputs.count : a.offset < b.offset
        }.map(\.element)
    }
}
