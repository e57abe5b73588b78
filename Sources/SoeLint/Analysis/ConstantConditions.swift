import SoeLanguage

/// The conditions of a rule set that are never true or always true, found once for the two
/// checks that report them (`ImpossibleCondition`, `AlwaysTrueCondition`).
///
/// Every yes/no formula is looked at from the top: a criterion's or an outcome's whole condition,
/// the parts of it joined by `and`/`or`/`not`, and the condition of every `if`. The first formula
/// on the way down that is constant is reported, and nothing inside it, so one mistake gives one
/// finding. A formula is not reported when it uses a criterion or value that is itself reported:
/// that definition is the cause.
struct ConstantConditions {
    /// One formula that is constant.
    struct Item {
        var node: Int32
        var owner: UsageAnalysis.Owner
        /// True for the whole condition of the definition, false for a part of it.
        var isWhole: Bool
        /// True when the formula is always true, false when it is never true.
        var alwaysTrue: Bool
        /// True when the formula is the condition of an `if`.
        var isIfCondition: Bool
    }

    private(set) var items: [Item] = []

    init(context: LintContext) {
        let ruleSet = context.ruleSet
        let analysis = context.conditions
        var reported: Set<UsageAnalysis.Owner> = []
        var owners: [(UsageAnalysis.Owner, Int32)] = ruleSet.evaluationOrder.map { definition in
            switch definition {
            case .value(let index): (.value(index), ruleSet.values[index].root)
            case .criterion(let index): (.criterion(index), ruleSet.criteria[index].root)
            }
        }
        for (index, outcome) in ruleSet.outcomes.enumerated() {
            if let condition = outcome.condition { owners.append((.outcome(index), condition)) }
        }
        for (owner, root) in owners {
            let isCondition: Bool =
                switch owner {
                case .value(let index): ruleSet.values[index].type == .bool
                default: true
                }
            var stack: [(node: Int32, isCondition: Bool, isIf: Bool)] = [(root, isCondition, false)]
            while let (index, condition, isIf) = stack.popLast() {
                let node = ruleSet.nodes[Int(index)]
                if condition && node.op != .criterion && node.op != .value && node.op != .input {
                    let never = analysis.normalForm(index, positive: true).isEmpty
                    let always = analysis.normalForm(index, positive: false).isEmpty
                    if never || always {
                        if !usesReported(index, reported, context: context) {
                            items.append(Item(node: index, owner: owner, isWhole: index == root, alwaysTrue: always, isIfCondition: isIf))
                            if index == root { reported.insert(owner) }
                        }
                        continue
                    }
                }
                switch node.op {
                case .and, .or, .not:
                    for child in NodeWalk.children(of: index, in: ruleSet).reversed() { stack.append((child, true, false)) }
                case .ifThenElse:
                    stack.append((node.c, ruleSet.nodes[Int(node.c)].type == .bool, false))
                    stack.append((node.b, ruleSet.nodes[Int(node.b)].type == .bool, false))
                    stack.append((node.a, true, true))
                case .constant, .input, .parameter, .value, .criterion, .negate, .add, .subtract, .multiply, .divide, .equal, .notEqual,
                    .less, .lessEqual, .greater, .greaterEqual, .member, .minimum, .maximum, .isKnown:
                    for child in NodeWalk.children(of: index, in: ruleSet).reversed() { stack.append((child, false, false)) }
                }
            }
        }
    }

    /// Whether a formula refers to a criterion or value already reported as constant.
    private func usesReported(_ root: Int32, _ reported: Set<UsageAnalysis.Owner>, context: LintContext) -> Bool {
        guard !reported.isEmpty else { return false }
        return context.usage.nodes(from: root).contains { index in
            guard let target = context.usage.referent(of: index) else { return false }
            return reported.contains(target)
        }
    }

    /// Notes that show the declared ranges of the inputs a formula uses, which often explain why
    /// a comparison is constant (`dividend >= 0 kr` with `min 0 kr`).
    static func rangeNotes(_ root: Int32, context: LintContext) -> [DiagnosticNote] {
        var seen: Set<Int> = []
        var notes: [DiagnosticNote] = []
        for index in context.usage.nodes(from: root) {
            guard case .input(let input)? = context.usage.referent(of: index), seen.insert(input).inserted else { continue }
            let definition = context.ruleSet.inputs[input]
            var parts: [String] = []
            if let low = definition.minimum { parts.append("min \(formatted(low, as: definition.type))") }
            if let high = definition.maximum { parts.append("max \(formatted(high, as: definition.type))") }
            var message = parts.isEmpty ? "" : "'\(definition.name)' is declared with \(parts.joined(separator: " and "))"
            if definition.type == .count && definition.minimum == nil {
                message = message.isEmpty ? "'\(definition.name)' is a count, which is never negative" : message + ", and is a count"
            }
            guard !message.isEmpty else { continue }
            var danish = parts.isEmpty ? "" : "'\(definition.name)' er erklæret med \(parts.joined(separator: " og "))"
            if definition.type == .count && definition.minimum == nil {
                danish = danish.isEmpty ? "'\(definition.name)' er et antal, som aldrig er negativt" : danish + ", og er et antal"
            }
            notes.append(DiagnosticNote(message: message, danish: danish, span: definition.span))
        }
        return notes
    }

    /// How to name the definition an item belongs to: `criterion 'eligible'`.
    static func describe(_ owner: UsageAnalysis.Owner, in ruleSet: RuleSet) -> String {
        switch owner {
        case .criterion(let index): "criterion '\(ruleSet.criteria[index].name)'"
        case .outcome(let index):
            "outcome '\(ruleSet.outcomes[index].name)'"
                + (ruleSet.outcomes[index].routes > 1
                    ? " (rule \(ruleSet.outcomes[index].route) of \(ruleSet.outcomes[index].routes))" : "")
        case .value(let index): "value '\(ruleSet.values[index].name)'"
        case .input(let index): "input '\(ruleSet.inputs[index].name)'"
        case .parameter(let index): "parameter '\(ruleSet.parameters[index].name)'"
        }
    }

    /// The same in Danish, in the definite form: `kriteriet 'eligible'`, `udfaldet 'x' (regel 2 af 2)`.
    static func describeDanish(_ owner: UsageAnalysis.Owner, in ruleSet: RuleSet) -> String {
        switch owner {
        case .criterion(let index): "kriteriet '\(ruleSet.criteria[index].name)'"
        case .outcome(let index):
            "udfaldet '\(ruleSet.outcomes[index].name)'"
                + (ruleSet.outcomes[index].routes > 1
                    ? " (regel \(ruleSet.outcomes[index].route) af \(ruleSet.outcomes[index].routes))" : "")
        case .value(let index): "værdien '\(ruleSet.values[index].name)'"
        case .input(let index): "inputtet '\(ruleSet.inputs[index].name)'"
        case .parameter(let index): "parameteren '\(ruleSet.parameters[index].name)'"
        }
    }

    /// Where to point for the whole condition of a definition: its name.
    static func nameSpan(_ owner: UsageAnalysis.Owner, in ruleSet: RuleSet) -> SourceSpan? {
        switch owner {
        case .criterion(let index): ruleSet.criteria[index].span
        case .outcome(let index): ruleSet.outcomes[index].span
        case .value(let index): ruleSet.values[index].span
        case .input(let index): ruleSet.inputs[index].span
        case .parameter(let index): ruleSet.parameters[index].span
        }
    }
}
