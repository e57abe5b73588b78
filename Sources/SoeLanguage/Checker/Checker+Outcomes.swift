/// The `classify` section: outcomes in priority order, several routes to one outcome, and the
/// names an outcome may not have.
///
/// An outcome may be reached by more than one rule: its name is written again, each time with its
/// own `when` and its own `reason`. The rules stay one flat list in priority order (the first that
/// applies wins), so the evaluator, the program and the bounds need not know about routes; only
/// the label and the tone belong to the outcome, and every route carries its first rule's.
extension Checker {
    /// Outcome names that are statuses of a result, with a Danish gloss for the message: an outcome
    /// of that name would read as the status in a batch's results and summary.
    static let statusNames: [String: String] = [
        "undetermined": "ikke afgjort",
        "not_in_force": "ikke i kraft",
        "rejected": "afvist",
    ]

    mutating func checkOutcomes() -> [OutcomeDefinition] {
        guard let (syntax, fileIndex) = classify else {
            let file = files.count - 1
            error(
                .missingFallback, "the rule set has no 'classify' section, so it can classify nothing",
                da: "regelsættet har intet 'classify'-afsnit og kan derfor ikke klassificere noget", file,
                files[file].header?.name.range ?? 0..<0)
            return []
        }
        let written = syntax.outcomes.filter { !$0.name.text.isEmpty }
        // The tables made with room for every rule, and each name looked up once in each: they
        // otherwise grew three times each and were asked twice (0.02 M instructions of a one-firm run).
        var routeCounts: [String: Int] = Dictionary(minimumCapacity: written.count)
        for outcome in written { routeCounts[outcome.name.text, default: 0] += 1 }
        var result: [OutcomeDefinition] = []
        result.reserveCapacity(written.count)
        var fallback: OutcomeDefinition?
        var firstRules: [String: OutcomeSyntax] = Dictionary(minimumCapacity: written.count)
        var routesSoFar: [String: Int] = Dictionary(minimumCapacity: written.count)
        for outcome in written {
            let name = outcome.name.text
            checkStatusName(outcome, fileIndex: fileIndex)
            let firstRule: OutcomeSyntax
            if let first = firstRules[name] {
                firstRule = first
                checkSameLabelAndTone(outcome, as: firstRule, fileIndex: fileIndex)
            } else {
                firstRule = outcome
                firstRules[name] = outcome
            }
            let route = (routesSoFar[name] ?? 0) + 1
            routesSoFar[name] = route
            let routes = routeCounts[name] ?? 1
            if routes > 1 && outcome.reason == nil {
                error(
                    .routeWithoutReason,
                    "the outcome '\(name)' is reached by \(routes) rules, and this one (the \(Words.ordinal(route, .english)) rule) has no reason; "
                        + "give each rule its own 'reason \"…\"' so that the explanation says which one decided",
                    da:
                        "udfaldet '\(name)' nås ad \(routes) regler, og denne (den \(Words.ordinal(route, .danish)) regel) har ingen begrundelse; "
                        + "giv hver regel sin egen 'reason \"…\"', så forklaringen viser, hvilken regel der afgjorde sagen",
                    fileIndex, outcome.name.range)
            }
            var condition: Int32?
            if let expression = outcome.condition {
                let (root, type) = lower(expression, fileIndex: fileIndex)
                if let type, type != .bool {
                    error(
                        .notBoolean, "the condition of outcome '\(name)' is \(type.displayName), not yes/no",
                        da: "betingelsen for udfaldet '\(name)' er \(Words.typeName(type, .danish)), ikke ja/nej",
                        fileIndex, expression.range)
                }
                condition = root
            }
            let definition = OutcomeDefinition(
                name: name, label: firstRule.label.map(Checker.localized),
                reason: outcome.reason.map(Checker.localized), tone: firstRule.tone, condition: outcome.isFallback ? nil : condition,
                span: span(fileIndex, outcome.name.range), route: route, routes: routes)
            if outcome.isFallback {
                if fallback != nil {
                    error(
                        .duplicateOutcome, "a classification has one 'otherwise'",
                        da: "en klassifikation har ét 'otherwise'", fileIndex, outcome.name.range)
                } else {
                    fallback = definition
                }
            } else if fallback != nil {
                error(
                    .unknownClause, "outcomes after 'otherwise' can never apply; move 'otherwise' to the end",
                    da: "udfald efter 'otherwise' kan aldrig komme i brug; flyt 'otherwise' til sidst",
                    fileIndex, outcome.name.range)
            } else {
                result.append(definition)
            }
        }
        if let fallback { result.append(fallback) }
        return result
    }

    /// `undetermined`, `not_in_force` and `rejected` are what a result is when no outcome is: an
    /// outcome of that name could not be told from the status in results and counts.
    mutating func checkStatusName(_ outcome: OutcomeSyntax, fileIndex: Int) {
        let name = outcome.name.text
        guard let danishStatus = Checker.statusNames[name] else { return }
        let suggestion = "\(name)_outcome"
        error(
            .reservedOutcomeName,
            "an outcome cannot be called '\(name)': that is the status of a result with no outcome; choose another name, e.g. '\(suggestion)'",
            da:
                "et udfald kan ikke hedde '\(name)': det er status for et resultat uden udfald (\(danishStatus)); vælg et andet navn, fx '\(suggestion)'",
            fileIndex, outcome.name.range,
            fixIts: [
                FixIt(
                    message: "rename it '\(suggestion)'", danish: "omdøb det til '\(suggestion)'", range: outcome.name.range,
                    replacement: suggestion)
            ])
    }

    /// A later route of an outcome gives no label or tone, or the very ones of its first rule: one
    /// outcome has one label in a letter, a batch and a summary.
    mutating func checkSameLabelAndTone(_ outcome: OutcomeSyntax, as first: OutcomeSyntax, fileIndex: Int) {
        let name = outcome.name.text
        let firstSpan = span(fileIndex, first.name.range)
        if let label = outcome.label, label.text != first.label?.text || label.english != first.label?.english {
            let shown = first.label.map { "\"\($0.text)\"" }
            error(
                .duplicateOutcome,
                "the outcome '\(name)' is reached by several rules, and this one gives it another label than its first rule ("
                    + (shown ?? "none") + "); one outcome has one label: give it on the first rule and leave it out here",
                da: "udfaldet '\(name)' nås ad flere regler, og denne giver det en anden betegnelse end den første regel ("
                    + (shown ?? "ingen") + "); ét udfald har én betegnelse: skriv den på den første regel, og udelad den her",
                fileIndex, label.range,
                notes: [DiagnosticNote(message: "the first rule for '\(name)'", danish: "den første regel for '\(name)'", span: firstSpan)],
                fixIts: [
                    FixIt(
                        message: "leave the label out", danish: "udelad betegnelsen",
                        range: label.range, replacement: "")
                ])
        }
        if let tone = outcome.tone, tone != first.tone {
            error(
                .duplicateOutcome,
                "the outcome '\(name)' is reached by several rules, and this one gives it another tone than its first rule "
                    + "(\(first.tone?.rawValue ?? "none")); give the tone once, on the first rule",
                da: "udfaldet '\(name)' nås ad flere regler, og denne giver det en anden tone end den første regel "
                    + "(\(first.tone?.rawValue ?? "ingen")); angiv tonen én gang, på den første regel",
                fileIndex, outcome.name.range,
                notes: [DiagnosticNote(message: "the first rule for '\(name)'", danish: "den første regel for '\(name)'", span: firstSpan)])
        }
    }
}
