import SoeLanguage

/// Why a test failed, from the trace of the decision: not only the expected and the actual
/// outcome, but the path through the explanation that made the difference, down to the
/// comparison and the values that decided it (`criterion market_based was no` →
/// `market_share 45,00 % < market_share_min 50 % (politisk valg)`). It reads the same `Trace`
/// and formats values with the same `TextTraceRenderer` as `soe evaluate`, so a failure says
/// what the caseworker's explanation would say.
struct RuleTestExplanation {
    let trace: Trace
    let renderer: TextTraceRenderer
    let words: RuleTestWords
    var lines: [String] = []
    /// The first path down the explanation below the current headline (`criterion market_based
    /// was no`, `market_share 45 % < market_share_min 50 %`), added to the headline so that one
    /// line, as a CI log shows it, says what differed.
    var chain: [String] = []
    var chainOpen = false
    var headline: Int?

    init(trace: Trace, language: Language) {
        self.trace = trace
        renderer = TextTraceRenderer(trace: trace, language: language)
        words = RuleTestWords(language)
    }

    /// The name of what the trace decided: an outcome's name, `undetermined` or `not_in_force`.
    var actualName: String {
        if let index = trace.decision.outcome { return trace.outcomes[index].name }
        return trace.decision.notInForceOn != nil ? ExpectedResult.notInForce.name : ExpectedResult.undetermined.name
    }

    /// Whether the decision is the one expected.
    func matches(_ expected: ExpectedResult) -> Bool {
        switch expected {
        case .outcome(let name): trace.decision.outcome.map { trace.outcomes[$0].name == name } ?? false
        case .undetermined: trace.decision.outcome == nil && trace.decision.notInForceOn == nil
        case .notInForce: trace.decision.notInForceOn != nil
        case .rejected: false
        }
    }

    /// Starts the explanation of one difference with its headline (`expected X, got Y`).
    mutating func startHeadline(_ text: String) {
        finish()
        lines.append(text)
        headline = lines.count - 1
        chain = []
        chainOpen = true
    }

    /// Ends the first path at a comparison or a value.
    mutating func endChain(_ text: String) {
        guard chainOpen else { return }
        chain.append(text)
        chainOpen = false
    }

    /// Adds the first path to the last headline; called after the last difference.
    mutating func finish() {
        if let headline, !chain.isEmpty { lines[headline] += ": " + chain.joined(separator: ": ") }
        headline = nil
        chain = []
        chainOpen = false
    }

    /// The lines that explain why the decision is not `expected`, the first being
    /// `expected X, got Y`.
    mutating func outcomeDifference(_ expected: ExpectedResult) {
        startHeadline(words.expectedGot(expected.name, actualName))
        let decision = trace.decision
        if decision.notInForceOn != nil {
            lines.append("  " + renderer.notInForceSentence)
            return
        }
        switch expected {
        case .notInForce:
            let period = Words.of(words.language).inForcePeriod(from: trace.ruleSet.inForceFrom, until: trace.ruleSet.inForceUntil)
            lines.append("  " + words.inForce(period, closing: trace.firm.closingDay))
        case .rejected:
            lines.append("  " + words.dataAccepted)
        case .undetermined, .outcome:
            break
        }
        let expectedIndices: [Int]
        if case .outcome(let name) = expected {
            expectedIndices = trace.outcomes.indices.filter { trace.outcomes[$0].name == name }
        } else {
            expectedIndices = []
        }
        if let actual = decision.outcome {
            // An expected outcome tried before the actual one did not apply: that is the difference.
            for index in expectedIndices where index < actual { explainOutcome(index) }
            if expectedIndices.allSatisfy({ $0 < actual }) && !expectedIndices.isEmpty { return }
            // Otherwise the actual outcome applied before the expected one was tried.
            explainOutcome(actual, first: true)
            return
        }
        // Undetermined: what is missing, and the conditions that could not be decided.
        let missing = decision.missing.indices.map { trace.inputs[$0].name }
        if !missing.isEmpty { lines.append("  " + words.missing(missing)) }
        for problem in trace.problems {
            lines.append("  \(renderer.oneLine(problem.formula)): \(renderer.words.problem(problem.kind)) (\(problem.at))")
        }
        for index in trace.outcomes.indices where trace.outcomes[index].status == .unknown || expectedIndices.contains(index) {
            explainOutcome(index)
        }
    }

    /// An outcome with its status, and why its condition had the value it had.
    mutating func explainOutcome(_ index: Int, first: Bool = false) {
        let outcome = trace.outcomes[index]
        let status: String
        switch outcome.status {
        case .applies: status = first ? words.appliesFirst : words.applies
        case .doesNotApply: status = words.doesNotApply
        case .unknown: status = words.cannotBeDecided
        case .notReached: status = renderer.words.notReached
        }
        guard let condition = outcome.condition else {
            let why = outcome.status == .applies ? " (\(words.fallbackApplies))" : ""
            lines.append("  \(outcome.rank). \(outcome.name): \(status)\(why)")
            return
        }
        lines.append("  \(outcome.rank). \(outcome.name): \(status): \(renderer.oneLine(condition.formula))")
        why(condition, indent: "    ")
    }

    /// Why a criterion expectation failed.
    mutating func criterionDifference(_ index: Int, expected: ExpectedTruth) {
        let criterion = trace.criteria[index]
        let actual = ExpectedTruth.of(criterion.result)
        startHeadline(words.criterionExpectedGot(criterion.name, words.truth(expected), words.truth(actual)))
        if case .criterion = criterion.formula.reference {
            why(criterion.formula, indent: "  ")
        } else {
            lines.append("  \(renderer.oneLine(criterion.formula.formula))")
            why(criterion.formula, indent: "    ")
        }
    }

    /// The reasons a yes/no formula has its value: for `and` the operand that made it false (or
    /// every operand, when true), for `or` the mirror, through `not`, criteria and yes/no values,
    /// down to the comparisons with their values.
    mutating func why(_ node: Explanation, indent: String) {
        switch node.op {
        case .criterion:
            guard case .criterion(let index) = node.reference else { return }
            let criterion = trace.criteria[index]
            let was = words.criterionWas(criterion.name, ExpectedTruth.of(criterion.result))
            lines.append(indent + was)
            if chainOpen { chain.append(was) }
            why(criterion.formula, indent: indent + "  ")
        case .value:
            guard case .value(let index) = node.reference else { return }
            let value = trace.values[index]
            lines.append("\(indent)\(value.name) = \(renderer.value(node))")
            why(value.formula, indent: indent + "  ")
        case .not:
            for child in node.children { why(child, indent: indent) }
        case .and, .or:
            let decisive = node.op == .or
            switch node.result {
            case .known(.bool(let value)) where value == decisive:
                // The first operand with the deciding value: the one evaluation stopped at.
                if let child = node.children.first(where: { $0.result.bool == decisive }) { why(child, indent: indent) }
            case .known:
                for child in node.children { why(child, indent: indent) }
            default:
                for child in node.children where !child.result.isKnown { why(child, indent: indent) }
            }
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            lines.append(indent + comparison(node))
            endChain(comparison(node))
            for child in node.children {
                guard case .value(let index) = child.reference else { continue }
                valueLine(index, indent: indent + "  ")
            }
        case .ifThenElse:
            lines.append("\(indent)\(renderer.oneLine(node.formula)) → \(renderer.truth(node.result))")
            guard node.children.count == 3 else { return }
            switch node.children[0].result.bool {
            case true?: why(node.children[1], indent: indent + "  ")
            case false?: why(node.children[2], indent: indent + "  ")
            case nil: why(node.children[0], indent: indent + "  ")
            }
        case .input, .parameter, .constant:
            lines.append("\(indent)\(renderer.oneLine(node.formula)) = \(renderer.value(node))")
            endChain("\(renderer.oneLine(node.formula)) = \(renderer.value(node))")
        case .member, .isKnown, .negate, .add, .subtract, .multiply, .divide, .minimum, .maximum:
            let line = "\(renderer.oneLine(node.formula)): \(renderer.substituted(node)) → \(renderer.truth(node.result))"
            lines.append(indent + line)
            endChain(line)
        }
    }

    /// A comparison as it came out: `market_share 45,00 % < market_share_min 50 %`, the operator
    /// turned round when the comparison is false, so the line states what is true; an operand
    /// that is a formula is shown as the formula with its values.
    func comparison(_ node: Explanation) -> String {
        guard node.children.count == 2 else { return renderer.oneLine(node.formula) }
        let (left, right) = (node.children[0], node.children[1])
        let shown: (String, String)
        if let compared = renderer.comparedValues(node) {
            shown = compared
        } else {
            shown = (renderer.operand(left, parent: node.op, isLeft: true), renderer.operand(right, parent: node.op, isLeft: false))
        }
        let op: NodeOp
        var suffix = ""
        switch node.result {
        case .known(.bool(false)): op = Self.negated(node.op)
        case .known: op = node.op
        default:
            op = node.op
            suffix = " → " + renderer.truth(node.result)
        }
        return "\(named(left, shown.0)) \(renderer.symbol(op)) \(named(right, shown.1))\(suffix)"
    }

    /// An operand with its name before its value (`market_share 45,00 %`); a constant or a
    /// formula stands alone.
    func named(_ node: Explanation, _ shown: String) -> String {
        switch node.reference {
        case .input?, .parameter?, .value?, .criterion?: "\(renderer.oneLine(node.formula)) \(shown)"
        case nil:
            renderer.isLeaf(node) ? shown : "(\(renderer.oneLine(node.formula)) = \(shown))"
        }
    }

    /// A derived value with its formula and values, one level deep: `market_share = market_sales
    /// / total_revenue = 450.000,00 kr / 1.000.000,00 kr = 45,00 %`.
    mutating func valueLine(_ index: Int, indent: String) {
        let value = trace.values[index]
        // For `if … then … else …`, the branch taken: the formula that gave the value.
        var formula = value.formula
        while formula.op == .ifThenElse, formula.children.count == 3, let taken = formula.children[0].result.bool {
            formula = formula.children[taken ? 1 : 2]
        }
        var line = "\(indent)\(value.name) = \(renderer.oneLine(formula.formula))"
        let shown = renderer.substituted(formula)
        let result = renderer.formatter.format(value.result, as: value.type)
        if shown != formula.formula && shown != result { line += " = \(shown)" }
        line += " = \(result)"
        lines.append(line)
    }

    /// The comparison that holds when `op` does not.
    static func negated(_ op: NodeOp) -> NodeOp {
        switch op {
        case .equal: .notEqual
        case .notEqual: .equal
        case .less: .greaterEqual
        case .lessEqual: .greater
        case .greater: .lessEqual
        case .greaterEqual: .less
        default: op
        }
    }
}
