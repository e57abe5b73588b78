import SoeLanguage

/// Finds the first difference that explains why one firm's result changed between two versions of
/// a rule set.
///
/// Both evaluators hold the same firm, each under its own version, with every value and criterion
/// settled. The walk follows classify order: the outcomes of both versions side by side, skipping
/// those that apply on neither side, to the first outcome whose decision differs (or one that is
/// new, removed or moved). Then it descends from that outcome's condition into the first operand
/// whose value differs, through criteria and values, to the definition that differs by name or by
/// formula: a parameter's value, a formula written differently, an input read differently. The
/// innermost comparison on the way says what that did to the firm (`market_share 55,20 % no
/// longer ≥ market_share_min`). Definitions are matched by name; formulas compare by structure,
/// so a change of layout or comment is no difference.
public struct DiffExplainer {
    let old: Evaluator
    let new: Evaluator
    let words: DiffWords
    let oldFormatter: ValueFormatter
    let newFormatter: ValueFormatter

    /// An explainer for a firm evaluated under both versions (`settleEverything()` done on both).
    public init(old: Evaluator, new: Evaluator, language: Language) {
        self.old = old
        self.new = new
        words = DiffWords(language)
        oldFormatter = ValueFormatter(language: language, choiceSets: old.ruleSet.choiceSets)
        newFormatter = ValueFormatter(language: language, choiceSets: new.ruleSet.choiceSets)
    }

    /// Explains the change from `oldDecision` to `newDecision`. `rejected` gives the reason a side
    /// rejected the row (nil when it was evaluated); a rejected side has no decision to walk.
    public func explain(
        _ oldDecision: Decision?, _ newDecision: Decision?, oldRejection: String? = nil, newRejection: String? = nil
    ) -> DiffExplanation {
        guard let oldDecision, let newDecision else {
            if oldDecision == nil, newDecision == nil, let reason = oldRejection ?? newRejection {
                // Rejected under both: no change, but written, so that no row goes unaccounted for.
                let reasons = oldRejection == newRejection ? reason : "\(oldRejection ?? "") → \(newRejection ?? "")"
                return DiffExplanation(
                    kind: .rejected, name: "", oldValue: oldRejection ?? "", newValue: newRejection ?? "", outcome: nil,
                    criterion: nil, effect: "", text: "\(words.rejectedWord): \(reasons)")
            }
            let text =
                newRejection.map { words.rejectedNow($0) } ?? oldRejection.map { words.rejectedBefore($0) } ?? words.rejectedWord
            return DiffExplanation(
                kind: .rejected, name: "", oldValue: oldRejection ?? "", newValue: newRejection ?? "", outcome: nil,
                criterion: nil, effect: "", text: text)
        }
        if (oldDecision.notInForceOn == nil) != (newDecision.notInForceOn == nil) {
            let (o, n) = (old.ruleSet, new.ruleSet)
            let day = oldDecision.notInForceOn ?? newDecision.notInForceOn
            return make(
                .inForce, new.ruleSet.name, words.period(o.inForceFrom, o.inForceUntil),
                words.period(n.inForceFrom, n.inForceUntil), effect: day.map(words.notInForce(on:)) ?? "")
        }
        return walkOutcomes()
    }

    /// A condition's result on one side: the fallback always holds.
    enum Truth: Equatable {
        case yes, no, unknown
    }

    func truth(_ evaluator: Evaluator, outcome index: Int) -> Truth {
        guard let condition = evaluator.ruleSet.outcomes[index].condition else { return .yes }
        switch evaluator.evaluate(condition).bool {
        case true?: return .yes
        case false?: return .no
        case nil: return .unknown
        }
    }

    func walkOutcomes() -> DiffExplanation {
        let oldOutcomes = old.ruleSet.outcomes
        let newOutcomes = new.ruleSet.outcomes
        let oldTruths = oldOutcomes.indices.map { truth(old, outcome: $0) }
        let newTruths = newOutcomes.indices.map { truth(new, outcome: $0) }
        var oldByName: [String: Int] = [:]
        var newByName: [String: Int] = [:]
        for (index, outcome) in oldOutcomes.enumerated() { oldByName[outcome.name] = index }
        for (index, outcome) in newOutcomes.enumerated() { newByName[outcome.name] = index }
        // An outcome that applies on neither side, whatever its place, decides nothing.
        func idleOld(_ index: Int) -> Bool {
            oldTruths[index] == .no && (newByName[oldOutcomes[index].name].map { newTruths[$0] == .no } ?? true)
        }
        func idleNew(_ index: Int) -> Bool {
            newTruths[index] == .no && (oldByName[newOutcomes[index].name].map { oldTruths[$0] == .no } ?? true)
        }
        var i = 0
        var j = 0
        while true {
            while i < oldOutcomes.count && idleOld(i) { i += 1 }
            while j < newOutcomes.count && idleNew(j) { j += 1 }
            guard i < oldOutcomes.count, j < newOutcomes.count else { break }
            let a = oldOutcomes[i]
            let b = newOutcomes[j]
            if a.name == b.name {
                if oldTruths[i] != newTruths[j] { return explainCondition(outcome: a.name, a.condition, b.condition) }
                if oldTruths[i] == .yes { break }
                (i, j) = (i + 1, j + 1)
                continue
            }
            if oldByName[b.name] == nil {
                let effect = newTruths[j] == .yes ? words.applies : words.mayApply
                return make(.outcomeAdded, b.name, "", formula(new, b.condition), outcome: b.name, effect: effect)
            }
            if newByName[a.name] == nil {
                let effect = oldTruths[i] == .yes ? words.appliedBefore : words.mayApply
                return make(.outcomeRemoved, a.name, formula(old, a.condition), "", outcome: a.name, effect: effect)
            }
            return make(.outcomeOrder, b.name, a.name, b.name, outcome: b.name, effect: words.applies)
        }
        return make(.unexplained, "", "", "", effect: "")
    }

    /// The outcome's condition decided differently: written differently, or the same formula with
    /// a different operand.
    func explainCondition(outcome: String, _ oldCondition: Int32?, _ newCondition: Int32?) -> DiffExplanation {
        var trail = Trail(outcome: outcome)
        guard let oldCondition, let newCondition, sameShape(oldCondition, newCondition) else {
            let oldResult = oldCondition.map { words.truth(old.evaluate($0)) } ?? words.yes
            let newResult = newCondition.map { words.truth(new.evaluate($0)) } ?? words.yes
            let changed = {
                make(
                    .condition, outcome, formula(old, oldCondition), formula(new, newCondition), outcome: outcome,
                    effect: "\(words.condition(of: outcome)): \(oldResult) → \(newResult)")
            }
            guard let oldCondition, let newCondition else { return changed() }
            return throughParts(oldCondition, newCondition, &trail) { part in
                make(
                    .condition, outcome, formula(old, oldCondition), formula(new, newCondition), outcome: outcome,
                    effect: part ?? "\(words.condition(of: outcome)): \(oldResult) → \(newResult)")
            }
        }
        return descend(oldCondition, newCondition, &trail)
    }

    /// Two `all of`/`any of` (or `and`/`or`) whose parts differ, a part added or taken out: the
    /// part that decided on the side where the result now is, when the other side has it too,
    /// and its value differs there, is what changed the result, and the walk descends into it
    /// (`all of a, b` → `all of a, b, c` where `b` turned to no through a threshold is about `b`,
    /// not the `c` added). Where the deciding part is the one added or taken out, `changed` says
    /// the formula changed, with that part (`the part added, c: no`); `changed(nil)` where neither
    /// tells.
    func throughParts(
        _ a: Int32, _ b: Int32, _ trail: inout Trail, changed: (String?) -> DiffExplanation
    ) -> DiffExplanation {
        let p = old.ruleSet.nodes[Int(a)]
        let q = new.ruleSet.nodes[Int(b)]
        guard p.op == q.op, p.op == .and || p.op == .or,
            let before = old.evaluate(a).bool, let after = new.evaluate(b).bool, before != after
        else { return changed(nil) }
        // `and`: the parts that are no decide a no; `or`: the parts that are yes decide a yes.
        let deciding = p.op == .or
        // The side whose result the deciding parts explain: a no of `and` (a yes of `or`) now, or before.
        let newDecides = after == deciding
        let (ours, theirs) = (
            children(newDecides ? new.ruleSet : old.ruleSet, newDecides ? q : p),
            children(newDecides ? old.ruleSet : new.ruleSet, newDecides ? p : q)
        )
        let evaluator = newDecides ? new : old
        let other = newDecides ? old : new
        for part in ours where evaluator.evaluate(part).bool == deciding {
            if let match = theirs.first(where: { newDecides ? sameShape($0, part) : sameShape(part, $0) }) {
                guard other.evaluate(match) != evaluator.evaluate(part) else { continue }
                return newDecides ? descend(match, part, &trail) : descend(part, match, &trail)
            }
            let text = formula(evaluator, part)
            return changed(
                newDecides
                    ? words.partAdded(text, words.truth(new.evaluate(part))) : words.partRemoved(text, words.truth(old.evaluate(part))))
        }
        return changed(nil)
    }

    /// What the walk has passed on its way down: the deciding criterion, the innermost comparison.
    struct Trail {
        var outcome: String
        var criterion: String?
        /// The comparison node on each side and which operand (0 or 1) the walk took.
        var comparison: (old: Int32, new: Int32, side: Int)?
    }

    /// Descends from two nodes of the same shape whose results differ.
    func descend(_ a: Int32, _ b: Int32, _ trail: inout Trail) -> DiffExplanation {
        let node = old.ruleSet.nodes[Int(a)]
        let other = new.ruleSet.nodes[Int(b)]
        switch node.op {
        case .criterion:
            let name = old.ruleSet.criteria[Int(node.a)].name
            let (x, y) = (old.ruleSet.criteria[Int(node.a)].root, new.ruleSet.criteria[Int(other.a)].root)
            if !sameShape(x, y) {
                let effect = "\(name): \(words.truth(old.evaluate(a))) → \(words.truth(new.evaluate(b)))"
                let formulas = (formula(old, x), formula(new, y))
                let passed = trail
                var inner = trail
                if inner.criterion == nil { inner.criterion = name }
                return throughParts(x, y, &inner) { part in
                    make(.criterion, name, formulas.0, formulas.1, trail: passed, effect: part.map { "\(effect); \($0)" } ?? effect)
                }
            }
            if trail.criterion == nil { trail.criterion = name }
            trail.comparison = nil
            return descend(x, y, &trail)
        case .value:
            let definition = old.ruleSet.values[Int(node.a)]
            let (x, y) = (definition.root, new.ruleSet.values[Int(other.a)].root)
            if !sameShape(x, y) {
                let effect = "\(definition.name) \(shown(old, a)) → \(shown(new, b))"
                return make(.value, definition.name, formula(old, x), formula(new, y), trail: trail, effect: effect)
            }
            return descend(x, y, &trail)
        case .parameter:
            let name = old.ruleSet.parameters[Int(node.a)].name
            return make(.parameter, name, shown(old, a), shown(new, b), trail: trail, effect: comparisonEffect(trail))
        case .input:
            let x = old.ruleSet.inputs[Int(node.a)]
            return make(.input, x.name, shown(old, a), shown(new, b), trail: trail, effect: comparisonEffect(trail))
        default:
            let oldChildren = children(old.ruleSet, node)
            let newChildren = children(new.ruleSet, other)
            for (position, (x, y)) in zip(oldChildren, newChildren).enumerated() where old.evaluate(x) != new.evaluate(y) {
                if Self.isComparison(node.op) && position < 2 { trail.comparison = (a, b, position) }
                return descend(x, y, &trail)
            }
            return make(.unexplained, "", "", "", trail: trail, effect: comparisonEffect(trail))
        }
    }

    /// `market_share 55,20 % no longer ≥ market_share_min`: the innermost comparison passed, seen
    /// from the operand that did not change; empty when the walk passed none.
    func comparisonEffect(_ trail: Trail) -> String {
        guard let (a, b, side) = trail.comparison else {
            guard let criterion = trail.criterion else { return "" }
            let index = old.ruleSet.criteria.firstIndex { $0.name == criterion }
            let newIndex = new.ruleSet.criteria.firstIndex { $0.name == criterion }
            guard let index, let newIndex else { return "" }
            return "\(criterion): \(words.truth(old.criterionResult(index))) → \(words.truth(new.criterionResult(newIndex)))"
        }
        let node = new.ruleSet.nodes[Int(b)]
        let (before, after) = (old.evaluate(a).bool, new.evaluate(b).bool)
        guard let before, let after, before != after else {
            return "\(formula(new, b)): \(words.truth(old.evaluate(a))) → \(words.truth(new.evaluate(b)))"
        }
        let symbol = Self.symbol(node.op)
        let (left, right) = (node.a, node.b)
        if side == 1 {
            return "\(formula(new, left)) \(shown(new, left)) \(words.comparison(symbol, held: after)) \(formula(new, right))"
        }
        return "\(formula(new, left)) \(words.comparison(symbol, held: after)) \(formula(new, right)) \(shown(new, right))"
    }

    static func isComparison(_ op: NodeOp) -> Bool {
        switch op {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
        default: false
        }
    }

    static func symbol(_ op: NodeOp) -> String {
        switch op {
        case .equal: "="
        case .notEqual: "≠"
        case .less: "<"
        case .lessEqual: "≤"
        case .greater: ">"
        default: "≥"
        }
    }

    func children(_ ruleSet: RuleSet, _ node: ExpressionNode) -> [Int32] {
        switch node.op {
        case .and, .or, .minimum, .maximum:
            let start = Int(node.listStart)
            return (0..<Int(node.listCount)).map { ruleSet.lists[start + $0] }
        default:
            return [node.a, node.b, node.c].filter { $0 >= 0 }
        }
    }

    /// Whether two formulas, one in each version, are the same: the same operations on the same
    /// constants and the same names, whatever their layout or place in the files.
    func sameShape(_ a: Int32, _ b: Int32) -> Bool {
        let (x, y) = (old.ruleSet, new.ruleSet)
        let p = x.nodes[Int(a)]
        let q = y.nodes[Int(b)]
        guard p.op == q.op, p.flag == q.flag, p.listCount == q.listCount else { return false }
        switch p.op {
        case .constant: return x.constants[Int(p.a)] == y.constants[Int(q.a)]
        case .input: return x.inputs[Int(p.a)].name == y.inputs[Int(q.a)].name
        case .parameter: return x.parameters[Int(p.a)].name == y.parameters[Int(q.a)].name
        case .value: return x.values[Int(p.a)].name == y.values[Int(q.a)].name
        case .criterion: return x.criteria[Int(p.a)].name == y.criteria[Int(q.a)].name
        case .member:
            guard p.mask == q.mask else { return false }
        default: break
        }
        let (first, second) = (children(x, p), children(y, q))
        return first.count == second.count && zip(first, second).allSatisfy { sameShape($0, $1) }
    }

    /// A formula as written, or `otherwise` for the fallback.
    func formula(_ evaluator: Evaluator, _ node: Int32?) -> String {
        guard let node else { return words.otherwise }
        let ruleSet = evaluator.ruleSet
        let expression = ruleSet.nodes[Int(node)]
        return ruleSet.files[Int(expression.fileIndex)].source.text(expression.range)
    }

    /// A node's value for people: `55,20 %`, `yes`, `missing`.
    func shown(_ evaluator: Evaluator, _ node: Int32) -> String {
        let formatter = evaluator.ruleSet === old.ruleSet ? oldFormatter : newFormatter
        let type = evaluator.ruleSet.nodes[Int(node)].type
        switch evaluator.evaluate(node) {
        case .known(let scalar): return formatter.format(scalar, as: type)
        case .unknown(let unknown):
            if unknown.problem?.kind == .noParameterValue { return words.noValue }
            return unknown.missing.isEmpty ? words.unknownValue : words.missing
        }
    }

    func make(
        _ kind: DiffExplanation.Kind, _ name: String, _ oldValue: String, _ newValue: String, outcome: String? = nil,
        trail: Trail? = nil, effect: String
    ) -> DiffExplanation {
        let headline = words.headline(kind, name, oldValue, newValue)
        return DiffExplanation(
            kind: kind, name: name, oldValue: oldValue, newValue: newValue, outcome: trail?.outcome ?? outcome,
            criterion: trail?.criterion, effect: effect, text: effect.isEmpty ? headline : "\(headline): \(effect)")
    }
}
