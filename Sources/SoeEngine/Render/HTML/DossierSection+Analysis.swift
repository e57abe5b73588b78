import SoeLanguage

// The analysis in the dossier, in the page's language: for an undetermined firm what the declared
// limits of the missing data rule out and the smallest sets of missing data that would settle the
// case, by the inputs' descriptions; for a decided firm what single change of one input would
// change it, in the input's unit, and the borderline flag. The sentences are the text trace's
// (`AnalysisWords`, `TextTraceRenderer.describe`), so the two never say it differently.

/// The dossier's words for the analysis beyond `AnalysisWords`, in English and Danish.
struct DossierAnalysisWords: Sendable {
    var change: String
    var resultThen: String
    var unmovable: String
    var inconclusive: String
    var valueRanges: String

    static let english = DossierAnalysisWords(
        change: "Change", resultThen: "Result then",
        unmovable: "No value within its limits changes the result", inconclusive: "The search could not settle the nearest change",
        valueRanges: "Range of each derived value")
    static let danish = DossierAnalysisWords(
        change: "Ændring", resultThen: "Resultat i så fald",
        unmovable: "Ingen værdi inden for grænserne ændrer resultatet", inconclusive: "Søgningen kunne ikke afgøre den nærmeste ændring",
        valueRanges: "Mulige værdier af de afledte størrelser")

    static func of(_ language: Language) -> DossierAnalysisWords { language == .danish ? danish : english }
}

extension DossierSection {
    var analysisWords: AnalysisWords { AnalysisWords.of(language) }
    var dossierAnalysisWords: DossierAnalysisWords { DossierAnalysisWords.of(language) }

    /// An input by its description, with its name as code: "Markedsomsætning (`market_sales`)".
    func inputName(_ index: Int) -> Markup {
        let input = trace.inputs[index]
        let name = Markup.tag("code", nil, .text(input.name))
        guard let description = localized(input.description), !description.isEmpty else { return name }
        return .text(description + " (") + name + .text(")")
    }

    /// Fragments joined as a list in words: "a, b and c".
    func spoken(_ items: [Markup]) -> Markup {
        guard let last = items.last else { return .empty }
        guard items.count > 1 else { return last }
        return .join(Array(items.dropLast()), separator: .text(", ")) + .text(" \(analysisWords.and) ") + last
    }

    /// The whole analysis, or nothing when the trace has none.
    var analysis: Markup {
        guard let analysis = trace.analysis, trace.decision.notInForceOn == nil else { return .empty }
        if trace.decision.outcome == nil { return settling + boundsFindings }
        return counterfactualTable(analysis)
    }

    /// The grounds of a decision by the bounds: each missing input, by description, and its range.
    var boundsGrounds: Markup {
        let words = analysisWords
        let items = (trace.analysis?.bounds?.grounds ?? []).map { ground -> Markup in
            let input = trace.inputs[ground.input]
            guard let range = ground.range, range.lower.value != nil || range.upper.value != nil else {
                return .tag("li", nil, inputName(ground.input), .text(": \(words.anyValue)"))
            }
            return .tag("li", nil, inputName(ground.input), .text(": \(text.describe(range, input.type))"))
        }
        return .tag("p", "reason", .text("\(words.grounds): \(words.groundsSentence):"))
            + .element("ul", [("class", "grounds")], items)
    }

    /// The smallest sets of missing data that would settle the case, fewest inputs first.
    var settling: Markup {
        guard let bounds = trace.analysis?.bounds, !bounds.settling.isEmpty else { return .empty }
        let words = analysisWords
        let items = bounds.settling.map { set -> Markup in
            let verb = set.inputs.count == 1 ? words.alone : words.together
            let outcome = text.label(trace.outcomes[set.outcome])
            var sentence: String
            if set.alternatives.isEmpty {
                sentence = " \(verb) \(words.decidesWhether) \(outcome)"
            } else {
                let labels = [outcome] + trace.distinctOutcomes(set.alternatives).map { text.label(trace.outcomes[$0]) }
                sentence = " \(verb) \(words.decidesBetween) \(text.list(labels))"
            }
            if set.settlesAll { sentence += " (\(words.settlesAll))" }
            return .element(
                "li", [("class", set.settlesAll ? "settles" : nil)], [spoken(set.inputs.map(inputName)), .text(sentence)])
        }
        return .tag("h2", nil, .text(words.settleHeading)) + .element("ol", [("class", "settling")], items)
    }

    /// What the declared limits of the missing inputs decide or rule out, and the ranges of the
    /// derived values; nothing when they add nothing to the three-valued decision.
    var boundsFindings: Markup {
        guard let bounds = trace.analysis?.bounds, bounds.decidesMore else { return .empty }
        let words = analysisWords
        var items: [Markup] = []
        // A decision by the bounds is in the outcome box itself, with its grounds.
        if let outcome = bounds.outcome, trace.decidedByBounds == nil {
            items.append(
                .tag("li", nil, .text("\(words.decidedWhatever) "), .tag("strong", nil, .text(text.label(trace.outcomes[outcome])))))
        }
        if !bounds.ruledOut.isEmpty {
            items.append(.tag("li", nil, .text("\(words.ruledOut): \(text.list(bounds.ruledOut.map { text.label(trace.outcomes[$0]) }))")))
        }
        var rows: [Markup] = []
        for (index, range) in bounds.valueRanges.enumerated() {
            guard let range else { continue }
            let value = trace.values[index]
            rows.append(
                .tag(
                    "tr", nil, .tag("td", nil, .tag("code", nil, .text(value.name))),
                    .tag("td", "num", .text(text.describe(range, value.type)))))
        }
        var parts: [Markup] = [.tag("h2", nil, .text(words.boundsHeading)), .element("ul", [("class", "bounds")], items)]
        if !rows.isEmpty {
            parts.append(
                .element(
                    "table", [("class", "ranges")],
                    [
                        .tag(
                            "thead", nil,
                            .tag("tr", nil, .tag("th", nil, .text(dossierAnalysisWords.valueRanges)), .tag("th", nil, .text(html.value)))),
                        .element("tbody", [], rows),
                    ]))
        }
        return .join(parts)
    }

    /// Every single-input change that would change a decided firm's result, smallest first, in the
    /// input's unit; "no single input can change it" when so; the inputs no value moves; the
    /// borderline flag when a share was asked for.
    func counterfactualTable(_ analysis: DecisionAnalysis) -> Markup {
        guard let set = analysis.counterfactuals else { return .empty }
        let words = analysisWords
        let extra = dossierAnalysisWords
        var parts: [Markup] = [.tag("h2", nil, .text(words.changeHeading))]
        if let share = analysis.borderlineShare {
            let shown = formatter.format(.number(share), as: .percent)
            if let change = analysis.borderline, let relative = change.relativeChange {
                let size = formatter.format(.number(relative), as: .percent)
                parts.append(
                    .tag(
                        "p", "borderline flagged", .tag("strong", nil, .text("\(words.borderline) (≤ \(shown)): ")),
                        inputName(change.input),
                        .text(", \(size): \(changePhrase(change))\(separator(change)) \(words.forFirm) \(target(change))")))
            } else {
                parts.append(.tag("p", "borderline", .text("\(words.notBorderline) (≤ \(shown)).")))
            }
        }
        if set.changes.isEmpty {
            parts.append(.tag("p", "no-change", .text(words.noSingleChange)))
        } else {
            let rows = set.changes.map { change -> Markup in
                .element(
                    "tr", [("class", change == analysis.borderline ? "borderline-row" : nil)],
                    [
                        .tag("td", nil, inputName(change.input)), .tag("td", nil, .text(changePhrase(change))),
                        .tag("td", nil, .text(target(change))),
                    ])
            }
            parts.append(
                .element(
                    "table", [("class", "changes")],
                    [
                        .tag(
                            "thead", nil,
                            .tag(
                                "tr", nil, .tag("th", nil, .text(html.input)), .tag("th", nil, .text(extra.change)),
                                .tag("th", nil, .text(extra.resultThen)))),
                        .element("tbody", [], rows),
                    ]))
        }
        if !set.unmovable.isEmpty {
            parts.append(.tag("p", "sub", .text("\(extra.unmovable): "), spoken(set.unmovable.map(inputName)), .text(".")))
        }
        if !set.inconclusive.isEmpty {
            parts.append(.tag("p", "sub", .text("\(extra.inconclusive): "), spoken(set.inconclusive.map(inputName)), .text(".")))
        }
        return .join(parts)
    }

    /// The comma the text trace writes after "to 499.999,99 kr" before "for the firm to be".
    func separator(_ change: Counterfactual) -> String { change.change != nil && !change.beyond ? "," : "" }

    /// The outcome a change leads to, or "undetermined".
    func target(_ change: Counterfactual) -> String {
        change.outcome.map { text.label(trace.outcomes[$0]) } ?? analysisWords.undetermined
    }

    /// "would have to rise by 1.200.000,00 kr, to 2.350.000,00 kr," without the input's name (the
    /// row names it) and without the outcome (its own column).
    func changePhrase(_ change: Counterfactual) -> String {
        let words = analysisWords
        let input = trace.inputs[change.input]
        let to = formatter.format(change.to, as: input.type)
        guard let amount = change.change, let rising = change.rising else { return "\(words.wouldBe) \(to)" }
        if change.beyond { return "\(rising ? words.beyondRise : words.beyondFall) \(to)" }
        let size = words.size(rising ? amount : amount.negated() ?? amount, as: input.type, formatter)
        return "\(rising ? words.rise : words.fall) \(size), \(words.to) \(to)"
    }
}
