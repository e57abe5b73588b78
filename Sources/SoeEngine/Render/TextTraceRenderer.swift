import SoeLanguage

/// Renders a trace as text a caseworker reads: the result first, then each outcome in the order
/// tried with the criteria that decided it, the values against the thresholds, and the data used.
public struct TextTraceRenderer {
    let trace: Trace
    let words: Words
    let language: Language
    let formatter: ValueFormatter
    var lines: [String] = []

    /// The trace as text in the given language, ending with a line break. Each line is passed
    /// through `DisplayText.line`: a name, a file name or a text value from data that holds a line
    /// break or a terminal escape code is shown escaped (`\n`, `\u{1B}`), so it can neither start a
    /// line that looks like output ("Result: …") nor hide the real one.
    public static func render(_ trace: Trace, language: Language) -> String {
        var renderer = TextTraceRenderer(trace: trace, language: language)
        renderer.renderAll()
        return renderer.lines.map(DisplayText.line).joined(separator: "\n") + "\n"
    }

    init(trace: Trace, language: Language) {
        self.trace = trace
        self.language = language
        words = Words.of(language)
        formatter = ValueFormatter(language: language, choiceSets: trace.choiceSets)
    }

    func text(_ localized: LocalizedText?) -> String? { localized?.text(language) }

    mutating func renderAll() {
        renderHeader()
        renderMissing()
        // A rule set not in force was not applied: no outcomes tried, and its parameters and the
        // inputs it would have read are beside the point (its parameters mostly have no value then).
        guard trace.decision.notInForceOn == nil else { return }
        renderBounds()
        lines.append("")
        renderCounterfactuals()
        lines.append("\(words.outcomesTried):")
        for outcome in trace.outcomes { renderOutcome(outcome) }
        lines.append("")
        renderParameters()
        renderInputs()
    }

    /// Why the rule set was not applied, with both ends of its period.
    var notInForceSentence: String {
        words.notInForceSentence(
            fiscalYear: trace.firm.fiscalYear, closing: trace.firm.closingDay, from: trace.ruleSet.inForceFrom,
            until: trace.ruleSet.inForceUntil, evaluatedOn: trace.decision.notInForceOn)
    }

    /// The name of an outcome as people read it: its label, or its name.
    func label(_ outcome: Trace.OutcomeStep) -> String { text(outcome.label) ?? outcome.name }

    mutating func renderHeader() {
        let firm = trace.firm
        var who = firm.name ?? firm.source
        if let cvr = firm.cvr { who += " (CVR \(cvr))" }
        let year = firm.fiscalYear.map(String.init) ?? "\(firm.closingDay.year)"
        let asOf = trace.asOf.map { "; \(words.rulesAsOf($0))" } ?? ""
        lines.append("\(who), \(words.fiscalYear) \(year) (\(words.closing) \(words.date(firm.closingDay))\(asOf))")
        let decision = trace.decision
        if let index = decision.outcome {
            let outcome = trace.outcomes[index]
            lines.append("\(words.result): \(label(outcome))")
            // An outcome reached by several rules: say which decided, before its own reason.
            if let rule = trace.decidingRule(language) {
                let reason = text(outcome.reason).map { ": \($0)" } ?? ""
                lines.append("\(words.reason): \(words.decidedBy) \(rule)\(reason)")
            } else if let reason = text(outcome.reason) {
                lines.append("\(words.reason): \(reason)")
            }
        } else if decision.notInForceOn != nil {
            lines.append("\(words.result): \(words.notInForceResult)")
            lines.append("\(words.reason): \(notInForceSentence)")
        } else if let bounded = trace.decidedByBounds {
            // Decided, but by the declared limits of the missing data rather than by the data: said
            // on the result line, with the limits as the grounds; the missing data is still listed.
            let outcome = trace.outcomes[bounded]
            lines.append("\(words.result): \(label(outcome)) (\(analysisWords.decidedByBounds))")
            if let reason = text(outcome.reason) { lines.append("\(words.reason): \(reason)") }
            lines.append("\(analysisWords.grounds): \(boundsGrounds)")
        } else {
            lines.append("\(words.result): \(words.undetermined)")
        }
        let version = trace.ruleSet.version.map { ", \(words.version) \($0)" } ?? ""
        lines.append(
            "\(words.ruleSet): \(trace.ruleSet.name) \"\(trace.ruleSet.title.text(language))\"\(version), \(words.sha) \(trace.ruleSet.sha256)"
        )
        lines.append("\(words.data): \(firm.source), \(words.sha) \(firm.sha256)")
        if let date = trace.decisionDate { lines.append("\(words.decisionDate): \(words.date(date))") }
        if let number = trace.caseNumber { lines.append("\(words.caseNumber) \(number)") }
    }

    mutating func renderMissing() {
        let decision = trace.decision
        guard decision.outcome == nil, decision.notInForceOn == nil else { return }
        let missing = decision.missing.indices.map { index -> String in
            let input = trace.inputs[index]
            return input.name + (text(input.description).map { " (\($0))" } ?? "")
        }
        // With bounds, the inputs that would settle it take the flat list's place (the JSON keeps it).
        if !missing.isEmpty && !renderSettling() { lines.append("\(words.missing): \(missing.joined(separator: ", "))") }
        for problem in trace.problems {
            lines.append("\(words.problems): \(oneLine(problem.formula)): \(words.problem(problem.kind)) (\(problem.at))")
        }
        let possible = trace.distinctOutcomes(trace.outcomesLeft).map {
            label(trace.outcomes[$0])
        }
        if !possible.isEmpty {
            let list =
                possible.count == 1
                ? possible[0]
                : possible.dropLast().joined(separator: ", ") + " \(words.or) " + (possible.last ?? "")
            lines.append("\(words.couldBe): \(list).")
        }
    }

    func status(_ status: Trace.OutcomeStatus) -> String {
        switch status {
        case .applies: words.applies
        case .doesNotApply: words.doesNotApply
        case .unknown: words.unknown
        case .notReached: words.notReached
        }
    }

    mutating func renderOutcome(_ outcome: Trace.OutcomeStep) {
        let rule = outcome.routes > 1 ? ", \(words.rule) \(outcome.route)/\(outcome.routes)" : ""
        lines.append("\(outcome.rank). \(label(outcome)) [\(outcome.name)\(rule)]: \(status(outcome.status))")
        guard outcome.status != .notReached else { return }
        guard let condition = outcome.condition else {
            lines.append("     \(words.otherwise): \(words.fallback)")
            return
        }
        lines.append("     \(words.when) \(oneLine(condition.formula)) → \(truth(condition.result))")
        var shownValues: Set<Int> = []
        for criterion in outcome.criteria {
            renderCriterion(criterion, shownValues: &shownValues)
        }
        if outcome.criteria.isEmpty {
            renderAtoms(condition, indent: "       ", shownValues: &shownValues)
        }
    }

    func truth(_ result: Evaluated) -> String {
        switch result {
        case .known(.bool(let value)): value ? words.yes : words.no
        case .known: "?"
        case .unknown(let unknown):
            if let problem = unknown.problem, unknown.missing.isEmpty {
                "? (\(words.problem(problem.kind)))"
            } else {
                "? (\(words.missingValue))"
            }
        }
    }

    func criterionStatus(_ result: Evaluated) -> String {
        switch result {
        case .known(.bool(true)): words.met
        case .known: words.notMet
        default: words.unknown
        }
    }

    mutating func renderCriterion(_ index: Int, shownValues: inout Set<Int>) {
        let criterion = trace.criteria[index]
        let title = text(criterion.text) ?? criterion.name
        let cite = text(criterion.cite).map { " (\($0))" } ?? ""
        lines.append("     \(title)\(cite) [\(criterion.name)]: \(criterionStatus(criterion.result))")
        renderAtoms(criterion.formula, indent: "       ", shownValues: &shownValues)
    }

    /// The comparisons and tests inside a condition, each with the values it compared.
    mutating func renderAtoms(_ node: Explanation, indent: String, shownValues: inout Set<Int>) {
        switch node.op {
        case .and, .or, .not:
            for child in node.children { renderAtoms(child, indent: indent, shownValues: &shownValues) }
        case .criterion:
            break  // shown as its own criterion
        case .ifThenElse:
            for child in node.children { renderAtoms(child, indent: indent, shownValues: &shownValues) }
        case .constant, .input, .parameter, .value, .negate, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual,
            .greater, .greaterEqual, .member, .minimum, .maximum, .isKnown:
            for value in referencedValues(node) where !shownValues.contains(value) {
                shownValues.insert(value)
                renderValue(value, indent: indent, shownValues: &shownValues)
            }
            if node.reference != nil || node.op == .constant {
                lines.append("\(indent)\(oneLine(node.formula)) = \(value(node))")
            } else {
                lines.append("\(indent)\(oneLine(node.formula)): \(substituted(node)) → \(formatter.format(node.result, as: node.type))")
            }
        }
    }

    /// A formula as written in the rule file, on one line: a formula a policy officer spread over
    /// several lines reads as one line of the explanation (its line breaks and indentation become
    /// one space), rather than as escaped `\\n`s or lines that look like the explanation's own.
    func oneLine(_ formula: String) -> String {
        guard formula.contains(where: \.isNewline) else { return formula }
        return formula.split(whereSeparator: \.isNewline).map { $0.trimmingBlanks() }.joined(separator: " ")
    }

    /// The derived values a formula uses directly.
    func referencedValues(_ node: Explanation) -> [Int] {
        if case .value(let index) = node.reference { return [index] }
        return node.children.flatMap(referencedValues)
    }

    mutating func renderValue(_ index: Int, indent: String, shownValues: inout Set<Int>) {
        let value = trace.values[index]
        for inner in referencedValues(value.formula) where !shownValues.contains(inner) {
            shownValues.insert(inner)
            renderValue(inner, indent: indent, shownValues: &shownValues)
        }
        let formula = value.formula
        var line = "\(indent)\(value.name) = \(oneLine(formula.formula))"
        let shown = substituted(formula)
        if shown != formula.formula { line += " = \(shown)" }
        line += " = \(formatter.format(value.result, as: value.type))"
        lines.append(line)
    }

    /// The formula with each operand replaced by its value: `4.200.000,00 kr / 4.700.000,00 kr`.
    /// Nested operations are substituted too, so every number that went into a result is shown.
    func substituted(_ node: Explanation) -> String {
        switch node.op {
        case .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            guard node.children.count == 2 else { return node.formula }
            if let (left, right) = comparedValues(node) { return "\(left) \(symbol(node.op)) \(right)" }
            return
                "\(operand(node.children[0], parent: node.op, isLeft: true)) \(symbol(node.op)) \(operand(node.children[1], parent: node.op, isLeft: false))"
        case .member, .isKnown:
            return node.children.first.map { "\($0.formula) = \(operand($0, parent: node.op, isLeft: true))" } ?? node.formula
        case .minimum, .maximum:
            let name = node.op == .minimum ? "min" : "max"
            return "\(name)(\(node.children.map { operand($0, parent: node.op, isLeft: true) }.joined(separator: ", ")))"
        case .negate:
            return node.children.first.map { "−\(operand($0, parent: node.op, isLeft: true))" } ?? node.formula
        case .ifThenElse:
            // Show the branch that was taken; with an unknown condition, the value itself.
            guard node.children.count == 3 else { return node.formula }
            switch node.children[0].result {
            case .known(.bool(true)): return substituted(node.children[1])
            case .known: return substituted(node.children[2])
            default: return value(node)
            }
        default:
            return value(node)
        }
    }

    /// The two values of a comparison of two values, shown with the decimals it takes for the
    /// shown values to compare as the values do (`1,23 kr ≥ 1,234 kr → nej`, never
    /// `1,23 kr ≥ 1,23 kr → nej`); nil when an operand is a formula or not a known number.
    func comparedValues(_ node: Explanation) -> (String, String)? {
        guard isComparison(node.op), node.children.count == 2 else { return nil }
        let (a, b) = (node.children[0], node.children[1])
        guard isLeaf(a), isLeaf(b), case .known(let x) = a.result, case .known(let y) = b.result else { return nil }
        guard case .number = x, case .number = y else { return nil }
        let type = a.type == .money || a.type == .percent ? a.type : b.type
        let (left, right) = formatter.formatCompared(x, y, as: type)
        return (withBasis(left, a), withBasis(right, b))
    }

    /// Whether `operand` shows a node as its value, not as a formula.
    func isLeaf(_ node: Explanation) -> Bool {
        switch node.op {
        case .add, .subtract, .multiply, .divide, .negate, .minimum, .maximum: false
        default: true
        }
    }

    /// A value for people, with the basis of a parameter beside it ("50 % (politisk valg)").
    func value(_ node: Explanation) -> String {
        withBasis(formatter.format(node.result, as: node.type), node)
    }

    /// A shown value with the basis of a parameter beside it.
    func withBasis(_ shown: String, _ node: Explanation) -> String {
        if case .parameter(let index) = node.reference, let basis = trace.parameters[index].basis {
            return "\(shown) (\(words.basis(basis)))"
        }
        return shown
    }

    /// An operand inside a substituted formula: a value for a leaf, the substituted formula for an
    /// operation (flattening chains like `a + b + c`, bracketing the rest).
    func operand(_ child: Explanation, parent: NodeOp, isLeft: Bool) -> String {
        switch child.op {
        case .add, .subtract, .multiply, .divide:
            let sameLevel = (isAdditive(parent) && isAdditive(child.op)) || (isMultiplicative(parent) && isMultiplicative(child.op))
            let inner = substituted(child)
            if isComparison(parent) || parent == .minimum || parent == .maximum || (sameLevel && isLeft)
                || (isAdditive(parent) && isMultiplicative(child.op))
            {
                return inner
            }
            return "(\(inner))"
        case .negate, .minimum, .maximum:
            return substituted(child)
        case .constant, .input, .parameter, .value, .criterion, .not, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and,
            .or, .member, .ifThenElse, .isKnown:
            return value(child)
        }
    }

    func isAdditive(_ op: NodeOp) -> Bool { op == .add || op == .subtract }
    func isMultiplicative(_ op: NodeOp) -> Bool { op == .multiply || op == .divide }
    func isComparison(_ op: NodeOp) -> Bool {
        switch op {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
        case .constant, .input, .parameter, .value, .criterion, .negate, .not, .add, .subtract, .multiply, .divide, .and, .or, .member,
            .ifThenElse, .minimum, .maximum, .isKnown:
            false
        }
    }

    /// The sign people read for an operation (`≥` rather than `>=`), shared with the syntax tree.
    func symbol(_ op: NodeOp) -> String {
        BinaryOperator.allCases.first { Checker.nodeOp($0) == op }?.symbol ?? ""
    }

    mutating func renderParameters() {
        guard !trace.parameters.isEmpty else { return }
        lines.append("\(words.parametersInForce) \(words.date(trace.asOf ?? trace.firm.closingDay)):")
        for parameter in trace.parameters {
            let value = parameter.value.map { formatter.format($0, as: parameter.type) } ?? "(\(words.noParameterValue))"
            var basis = ""
            if let kind = parameter.basis {
                basis = " (\(words.basis(kind))" + (text(parameter.citation).map { ": \($0)" } ?? "") + ")"
            }
            // In the language's own date style, as the heading's date above (31.12.2024 in Danish).
            let period =
                (parameter.from.map { ", \(words.from) \(words.date($0))" } ?? "")
                + (parameter.until.map { " \(words.until) \(words.date($0))" } ?? "")
            lines.append("  \(parameter.name) = \(value)\(basis)\(period)")
        }
        lines.append("")
    }

    mutating func renderInputs() {
        lines.append("\(words.inputs):")
        for input in trace.inputs {
            let value = input.value.map { formatter.format($0, as: input.type) } ?? "(\(words.notGiven))"
            var place = ""
            if let field = input.field {
                place = ", \(trace.firm.source) \(field.pointer) \(words.line) \(field.line)"
            }
            let description = text(input.description).map { " (\($0)\(place))" } ?? (place.isEmpty ? "" : " (\(place.dropFirst(2)))")
            lines.append("  \(input.name) = \(value)\(description)")
        }
    }
}
