import SoeLanguage

/// One decision of a dossier as an HTML `<section>`: the firm, the outcome, the outcomes tried in
/// order, each criterion with its citation and calculation, what was missing, the parameters in
/// force with their basis, the inputs with where they came from, and the hashes that tie the page
/// to the rule files and the data. The calculations are the text renderer's, so the dossier and
/// the text trace can never explain the same decision differently.
struct DossierSection {
    let trace: Trace
    let language: Language
    let words: Words
    let html: HTMLWords
    let formatter: ValueFormatter
    /// The text renderer, for its substituted formulas (`4.200.000,00 kr / 4.700.000,00 kr`).
    let text: TextTraceRenderer
    /// The anchor of the section, `decision-1`.
    let id: String

    init(trace: Trace, language: Language, id: String) {
        self.trace = trace
        self.language = language
        self.id = id
        words = Words.of(language)
        html = HTMLWords.of(language)
        formatter = ValueFormatter(language: language, choiceSets: trace.choiceSets)
        text = TextTraceRenderer(trace: trace, language: language)
    }

    func localized(_ text: LocalizedText?) -> String? { text?.text(language) }

    /// The whole section.
    var markup: Markup {
        var parts = [header, outcomeBox]
        if trace.decision.outcome == nil && trace.decision.notInForceOn == nil { parts.append(missingData) }
        // What the bounds and counterfactuals add (docs/bounds.md), when the evaluation made them.
        parts.append(analysis)
        // A rule set not in force was not applied: no path, no criteria, and no parameter table
        // (most of its parameters have no value outside the period) and no inputs it did not read.
        if trace.decision.notInForceOn == nil {
            parts += [path, criteria, parameters, inputs]
        }
        parts.append(integrity)
        return .element("section", [("class", "decision page-\(id)"), ("id", id)], parts)
    }

    /// Who and which year: the firm's name (or its file), CVR, fiscal year and closing date.
    var header: Markup {
        let firm = trace.firm
        let year = firm.fiscalYear.map(String.init) ?? String(firm.closingDay.year)
        var meta: [String] = []
        if let cvr = firm.cvr { meta.append("CVR \(cvr)") }
        meta.append("\(words.fiscalYear) \(year) (\(words.closing) \(words.date(firm.closingDay)))")
        if let day = trace.asOf { meta.append(words.rulesAsOf(day)) }
        let date: Markup =
            trace.decisionDate.map { .tag("p", "decision-date", .text("\(words.decisionDate): \(words.date($0))")) } ?? .empty
        let caseNumber: Markup =
            trace.caseNumber.map { .tag("p", "decision-date case-number", .text("\(words.caseNumber) \($0)")) } ?? .empty
        return .element(
            "header", [],
            [
                .tag("p", "kicker", .text("\(html.decision) · \(trace.ruleSet.title.text(language))")),
                .tag("h1", nil, .text(firm.name ?? firm.source)),
                .tag("p", "meta", .text(meta.joined(separator: " · "))),
                date,
                caseNumber,
            ])
    }

    /// The outcome, large, with its reason; for an undetermined decision what it could still be.
    var outcomeBox: Markup {
        let decision = trace.decision
        var parts: [Markup] = [.tag("p", "label", .text(words.result))]
        let kind: String
        if let index = decision.outcome {
            let outcome = trace.outcomes[index]
            // The rule set says whether the outcome is good news; when it does not, it is neutral.
            kind = "determined tone-\((outcome.tone ?? .neutral).rawValue)"
            parts.append(.tag("p", "value", .text(text.label(outcome))))
            // For an outcome reached by several rules, which of them decided, before its reason.
            let rule = trace.decidingRule(language).map { "\(words.decidedBy) \($0)" }
            let reason = [rule, localized(outcome.reason)].compactMap { $0 }.joined(separator: ": ")
            if !reason.isEmpty { parts.append(.tag("p", "reason", .text("\(words.reason): \(reason)"))) }
        } else if let bounded = trace.decidedByBounds {
            // Decided, but by the declared limits of the missing data, not by the data: said in
            // the box, with the limits it rests on; the missing data is still listed below.
            let outcome = trace.outcomes[bounded]
            kind = "bounded tone-\((outcome.tone ?? .neutral).rawValue)"
            parts.append(.tag("p", "value", .text(text.label(outcome))))
            parts.append(.tag("p", "bounded-note", .text("(\(analysisWords.decidedByBounds))")))
            if let reason = localized(outcome.reason) { parts.append(.tag("p", "reason", .text("\(words.reason): \(reason)"))) }
            parts.append(boundsGrounds)
        } else if decision.notInForceOn != nil {
            kind = "not-in-force"
            parts.append(.tag("p", "value", .text(words.notInForceResult)))
            parts.append(.tag("p", "reason", .text(text.notInForceSentence)))
        } else {
            kind = "undetermined"
            parts.append(.tag("p", "value", .text(words.undetermined)))
            let possible = trace.distinctOutcomes(decision.possibleOutcomes).map { text.label(trace.outcomes[$0]) }
            if !possible.isEmpty {
                let list =
                    possible.count == 1
                    ? possible[0]
                    : possible.dropLast().joined(separator: ", ") + " \(words.or) " + (possible.last ?? "")
                parts.append(.tag("p", "reason", .text("\(words.couldBe): \(list).")))
            }
        }
        let version = trace.ruleSet.version.map { ", \(words.version) \($0)" } ?? ""
        parts.append(
            .tag(
                "p", "sub", .text("\(words.ruleSet) \(trace.ruleSet.name)\(version)"),
                decision.outcome.map { .text(" · \(html.outcome) ") + .tag("code", nil, .text(trace.outcomes[$0].name)) } ?? .empty))
        return .element("div", [("class", "outcome \(kind)")], parts)
    }

    /// The data that would decide an undetermined decision, and the computations without a result.
    var missingData: Markup {
        var rows: [Markup] = trace.decision.missing.indices.map { index in
            let input = trace.inputs[index]
            return .tag(
                "tr", nil, .tag("td", nil, .tag("code", nil, .text(input.name))),
                .tag("td", nil, .text(localized(input.description) ?? "")),
                .tag("td", nil, .tag("span", "missing", .text(words.notGiven))))
        }
        rows += trace.problems.map { problem in
            .tag(
                "tr", nil, .tag("td", nil, .tag("code", nil, .text(problem.formula))),
                .tag("td", nil, .text(words.problem(problem.kind))),
                .tag("td", "at", .text(problem.at)))
        }
        if rows.isEmpty { return .empty }
        return .tag("h2", nil, .text(html.missingData))
            + .element(
                "table", [("class", "missing-data")],
                [
                    .tag(
                        "thead", nil,
                        .tag(
                            "tr", nil, .tag("th", nil, .text(html.input)), .tag("th", nil, .text(html.description)),
                            .tag("th", nil, .text(html.value)))),
                    .element("tbody", [], rows),
                ])
    }

    /// The outcomes in the order tried, each with its status, condition and the criteria it uses.
    var path: Markup {
        let items = trace.outcomes.map { outcome -> Markup in
            var body: [Markup] = [
                .tag("span", "rank", .text(String(outcome.rank))),
                .tag("span", "name", .text(text.label(outcome))), .text(" "), .tag("code", nil, .text(outcome.name)),
                outcome.routes > 1 ? .text(" (\(words.rule) \(outcome.route)/\(outcome.routes))") : .empty,
                .text(" "), badge(outcomeStatus: outcome.status),
            ]
            if outcome.status != .notReached {
                if let condition = outcome.condition {
                    body.append(
                        .tag(
                            "div", "cond", .text("\(words.when) "), .tag("code", nil, .text(condition.formula)),
                            .text(" → "), truth(condition.result)))
                } else {
                    body.append(.tag("div", "cond", .text("\(words.otherwise): \(words.fallback)")))
                }
            }
            if !outcome.criteria.isEmpty, outcome.status != .notReached {
                let chips = outcome.criteria.map { index -> Markup in
                    let criterion = trace.criteria[index]
                    return .element(
                        "a", [("class", "chip \(criterionClass(criterion.result))"), ("href", "#\(id)-\(criterion.name)")],
                        [.text(criterion.name)])
                }
                body.append(.tag("div", "chips", .join(chips, separator: .text(" "))))
            }
            if outcome.status == .applies, let reason = localized(outcome.reason) {
                body.append(.tag("div", "cond", .text("\(words.reason): \(reason)")))
            }
            return .element("li", [("class", "o-\(outcome.status.rawValue)")], body)
        }
        return .tag("h2", nil, .text(words.outcomesTried)) + .element("ol", [("class", "path")], items)
    }

    /// Every criterion with its citation, its calculation against the thresholds, and its result.
    var criteria: Markup {
        let rows = trace.criteria.map { criterion -> Markup in
            var shown: Set<Int> = []
            let lines = atoms(criterion.formula, shown: &shown)
            var first: [Markup] = [
                .tag("span", "name", .text(localized(criterion.text) ?? criterion.name)), .text(" "),
                .tag("code", nil, .text(criterion.name)),
            ]
            if !lines.isEmpty { first.append(.element("ul", [("class", "calc")], lines)) }
            return .element(
                "tr", [("id", "\(id)-\(criterion.name)")],
                [
                    .element("td", [], first),
                    .tag("td", "cite", .text(localized(criterion.cite) ?? "")),
                    .tag("td", nil, badge(criterion: criterion.result)),
                ])
        }
        return .tag("h2", nil, .text(words.criteria))
            + .element(
                "table", [("class", "criteria")],
                [
                    .tag(
                        "thead", nil,
                        .tag(
                            "tr", nil, .tag("th", nil, .text(html.criterion)), .tag("th", nil, .text(html.citation)),
                            .tag("th", nil, .text(html.result)))),
                    .element("tbody", [], rows),
                ])
    }

    /// The comparisons and tests inside a condition, each with the values it compared, after the
    /// derived values they use; a gauge beside each share compared with a percent threshold.
    func atoms(_ node: Explanation, shown: inout Set<Int>) -> [Markup] {
        switch node.op {
        case .and, .or, .not, .ifThenElse:
            var lines: [Markup] = []
            for child in node.children { lines += atoms(child, shown: &shown) }
            return lines
        case .criterion:
            return []
        case .constant, .input, .parameter, .value, .negate, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual,
            .greater, .greaterEqual, .member, .minimum, .maximum, .isKnown:
            var lines: [Markup] = []
            for value in text.referencedValues(node) where !shown.contains(value) {
                shown.insert(value)
                lines += valueLines(value, shown: &shown)
            }
            if node.reference != nil || node.op == .constant {
                lines.append(.tag("li", nil, .tag("code", nil, .text(node.formula)), .text(" = " + text.value(node))))
                return lines
            }
            let substituted = text.substituted(node)
            var line: [Markup] = [.tag("code", nil, .text(node.formula)), .text(": \(substituted) → ")]
            line.append(node.type == .bool ? truth(node.result) : .tag("strong", nil, .text(formatter.format(node.result, as: node.type))))
            if let gauge = Gauge.forComparison(node, label: substituted, formatter: formatter) { line.append(gauge.markup) }
            lines.append(.element("li", [], line))
            return lines
        }
    }

    /// A derived value with its formula, the formula with the values put in, and its result.
    func valueLines(_ index: Int, shown: inout Set<Int>) -> [Markup] {
        let value = trace.values[index]
        var lines: [Markup] = []
        for inner in text.referencedValues(value.formula) where !shown.contains(inner) {
            shown.insert(inner)
            lines += valueLines(inner, shown: &shown)
        }
        var line: [Markup] = [.tag("code", nil, .text(value.name)), .text(" = "), .tag("code", nil, .text(value.formula.formula))]
        let substituted = text.substituted(value.formula)
        if substituted != value.formula.formula { line.append(.text(" = \(substituted)")) }
        line += [.text(" = "), .tag("strong", nil, .text(formatter.format(value.result, as: value.type)))]
        lines.append(.element("li", [("class", "value")], line))
        return lines
    }

    func truth(_ result: Evaluated) -> Markup {
        let shown = text.truth(result)
        switch result {
        case .known(.bool(true)): return .tag("span", "t-yes", .text(shown))
        case .known(.bool(false)): return .tag("span", "t-no", .text(shown))
        default: return .tag("span", "t-unknown", .text(shown))
        }
    }

    func badge(outcomeStatus status: Trace.OutcomeStatus) -> Markup {
        .tag("span", "badge s-\(status.rawValue)", .text(text.status(status)))
    }

    func criterionClass(_ result: Evaluated) -> String {
        switch result {
        case .known(.bool(true)): "s-met"
        case .known: "s-not_met"
        default: "s-unknown"
        }
    }

    func badge(criterion result: Evaluated) -> Markup {
        .tag("span", "badge \(criterionClass(result))", .text(text.criterionStatus(result)))
    }
}
