import SoeLanguage

// The analysis in the text trace: for an undetermined firm, the missing inputs that would settle
// it (in place of the flat list, which stays in the JSON) and what the declared limits of the
// missing inputs rule out; for a decided firm, what would change it and the borderline flag.

/// The words of the analysis, in English and Danish.
struct AnalysisWords: Sendable {
    var settleHeading: String
    var alone: String
    var together: String
    var decidesBetween: String
    var decidesWhether: String
    var settlesAll: String
    var boundsHeading: String
    var decidedWhatever: String
    var ruledOut: String
    var atMost: String
    var atLeast: String
    var below: String
    var above: String
    var from: String
    var to: String
    var notIncluded: String
    var changeHeading: String
    var rise: String
    var fall: String
    var beyondRise: String
    var beyondFall: String
    var forFirm: String
    var undetermined: String
    var wouldBe: String
    var noSingleChange: String
    var more: String
    var borderline: String
    var notBorderline: String
    var and: String
    var decidedByBounds: String
    var grounds: String
    var groundsSentence: String
    var anyValue: String
    /// The unit of a change in a percent: a change from 10 % to 60 % is 50 percentage points.
    var points: String

    static let english = AnalysisWords(
        settleHeading: "Missing data that would settle it", alone: "alone decides", together: "together decide",
        decidesBetween: "between", decidesWhether: "whether the firm is", settlesAll: "this settles the case",
        boundsHeading: "From the declared limits of the missing inputs", decidedWhatever: "whatever the missing values are, the result is",
        ruledOut: "ruled out", atMost: "at most", atLeast: "at least", below: "below", above: "above", from: "from", to: "to",
        notIncluded: "not included", changeHeading: "What would change it (one input at a time)", rise: "would have to rise by",
        fall: "would have to fall by", beyondRise: "would have to rise above", beyondFall: "would have to fall below",
        forFirm: "for the firm to be", undetermined: "undetermined", wouldBe: "would have to be",
        noSingleChange: "No change of a single input within its limits changes the result.",
        more: "more in the JSON trace", borderline: "Borderline", notBorderline: "Not borderline", and: "and",
        decidedByBounds: "decided by the declared limits of the missing data", grounds: "Grounds",
        groundsSentence: "every value the missing data could take within its declared limits gives this result",
        anyValue: "any value", points: "percentage points")

    static let danish = AnalysisWords(
        settleHeading: "Manglende data, der ville afgøre sagen", alone: "afgør alene", together: "afgør tilsammen",
        decidesBetween: "mellem", decidesWhether: "om virksomheden er", settlesAll: "det afgør sagen",
        boundsHeading: "Ud fra de erklærede grænser for de manglende input", decidedWhatever: "uanset de manglende værdier er resultatet",
        ruledOut: "udelukket", atMost: "højst", atLeast: "mindst", below: "under", above: "over", from: "fra", to: "til",
        notIncluded: "ikke medregnet", changeHeading: "Hvad der ville ændre det (ét input ad gangen)", rise: "skulle stige med",
        fall: "skulle falde med", beyondRise: "skulle stige til over", beyondFall: "skulle falde til under",
        forFirm: "for at virksomheden vurderes som", undetermined: "uafgjort", wouldBe: "skulle være",
        noSingleChange: "Ingen ændring af ét enkelt input inden for dets grænser ændrer resultatet.",
        more: "flere i JSON-sporet", borderline: "Grænsetilfælde", notBorderline: "Ikke et grænsetilfælde", and: "og",
        decidedByBounds: "afgjort ud fra de erklærede grænser for de manglende data", grounds: "Grundlag",
        groundsSentence: "enhver værdi, de manglende data kan have inden for deres erklærede grænser, giver dette resultat",
        anyValue: "enhver værdi", points: "procentpoint")

    static func of(_ language: Language) -> AnalysisWords { language == .danish ? danish : english }
}

extension TextTraceRenderer {
    /// The most changes listed in text; the JSON lists all.
    static let shownChanges = 6

    var analysisWords: AnalysisWords { AnalysisWords.of(language) }

    func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        return items.count == 1 ? last : items.dropLast().joined(separator: ", ") + " \(analysisWords.and) " + last
    }

    /// The settling sets, in place of the flat list of missing inputs; false when there are none.
    mutating func renderSettling() -> Bool {
        guard let bounds = trace.analysis?.bounds, !bounds.settling.isEmpty else { return false }
        let words = analysisWords
        lines.append("\(words.settleHeading):")
        for set in bounds.settling {
            let inputs = list(set.inputs.map { trace.inputs[$0].name })
            let verb = set.inputs.count == 1 ? words.alone : words.together
            let outcome = label(trace.outcomes[set.outcome])
            var line = "  - \(inputs) \(verb) "
            if set.alternatives.isEmpty {
                line += "\(words.decidesWhether) \(outcome)"
            } else {
                line +=
                    "\(words.decidesBetween) \(list([outcome] + trace.distinctOutcomes(set.alternatives).map { label(trace.outcomes[$0]) }))"
            }
            if set.settlesAll { line += " (\(words.settlesAll))" }
            lines.append(line)
        }
        return true
    }

    /// What the declared limits of the missing inputs decide or rule out, and the values they bound.
    mutating func renderBounds() {
        guard let bounds = trace.analysis?.bounds, trace.decision.outcome == nil, bounds.decidesMore else { return }
        let words = analysisWords
        lines.append("\(words.boundsHeading):")
        // A decision by the bounds is the result line itself (see `renderHeader`).
        if let outcome = bounds.outcome, trace.decidedByBounds == nil {
            lines.append("  \(words.decidedWhatever) \(label(trace.outcomes[outcome]))")
        }
        if !bounds.ruledOut.isEmpty { lines.append("  \(words.ruledOut): \(list(bounds.ruledOut.map { label(trace.outcomes[$0]) }))") }
        for (index, range) in bounds.valueRanges.enumerated() {
            guard let range else { continue }
            lines.append("  \(trace.values[index].name): \(describe(range, trace.values[index].type))")
        }
    }

    /// The grounds of a decision by the bounds: each missing input and the range it may take.
    var boundsGrounds: String {
        let words = analysisWords
        let items = (trace.analysis?.bounds?.grounds ?? []).map { ground -> String in
            let input = trace.inputs[ground.input]
            guard let range = ground.range, range.lower.value != nil || range.upper.value != nil else {
                return "\(input.name) \(words.anyValue)"
            }
            return "\(input.name) \(describe(range, input.type))"
        }
        return "\(words.groundsSentence): \(items.joined(separator: "; "))"
    }

    func describe(_ range: Interval, _ type: ValueType) -> String {
        let words = analysisWords
        func show(_ value: Exact) -> String { formatter.format(.number(value), as: type) }
        switch (range.lower.value, range.upper.value) {
        case (let low?, let high?):
            var text = "\(words.from) \(show(low)) \(words.to) \(show(high))"
            let open = [(range.lower, low), (range.upper, high)].filter { !$0.0.closed }.map { show($0.1) }
            if !open.isEmpty { text += " (\(list(open)) \(words.notIncluded))" }
            return text
        case (let low?, nil): return "\(range.lower.closed ? words.atLeast : words.above) \(show(low))"
        case (nil, let high?): return "\(range.upper.closed ? words.atMost : words.below) \(show(high))"
        case (nil, nil): return "?"
        }
    }

    /// What would change a decided firm's result, and the borderline flag.
    mutating func renderCounterfactuals() {
        guard let set = trace.analysis?.counterfactuals else { return }
        let words = analysisWords
        lines.append("\(words.changeHeading):")
        if set.changes.isEmpty { lines.append("  \(words.noSingleChange)") }
        for change in set.changes.prefix(TextTraceRenderer.shownChanges) { lines.append("  - " + sentence(change)) }
        if set.changes.count > TextTraceRenderer.shownChanges {
            lines.append("  (\(set.changes.count - TextTraceRenderer.shownChanges) \(words.more))")
        }
        if let share = trace.analysis?.borderlineShare {
            let shown = formatter.format(.number(share), as: .percent)
            if let line = borderlineLine {
                lines.append(line)
            } else {
                lines.append("\(words.notBorderline) (≤ \(shown)).")
            }
        }
        lines.append("")
    }

    /// `Borderline (≤ 2 %): market_sales, ≈0.00 %: market_sales would have to …` for a decision a
    /// change within the share asked for (`--borderline`) would overturn; nil otherwise. The full
    /// text gives it with the counterfactuals, the summary (`--brief` too) under the result.
    var borderlineLine: String? {
        guard let share = trace.analysis?.borderlineShare, let change = trace.analysis?.borderline,
            let relative = change.relativeChange
        else { return nil }
        let shown = formatter.format(.number(share), as: .percent)
        let size = formatter.format(.number(relative), as: .percent)
        return "\(analysisWords.borderline) (≤ \(shown)): \(trace.inputs[change.input].name), \(size): " + sentence(change)
    }

    /// "municipal_employment_services would have to rise by 1.200.000,00 kr, to 2.350.000,00 kr,
    /// for the firm to be Anden aktør".
    func sentence(_ change: Counterfactual) -> String {
        let words = analysisWords
        let input = trace.inputs[change.input]
        let target = change.outcome.map { label(trace.outcomes[$0]) } ?? words.undetermined
        let to = formatter.format(change.to, as: input.type)
        guard let amount = change.change, let rising = change.rising else {
            return "\(input.name) \(words.wouldBe) \(to) \(words.forFirm) \(target)"
        }
        if change.beyond { return "\(input.name) \(rising ? words.beyondRise : words.beyondFall) \(to) \(words.forFirm) \(target)" }
        let size = words.size(rising ? amount : amount.negated() ?? amount, as: input.type, formatter)
        return "\(input.name) \(rising ? words.rise : words.fall) \(size), \(words.to) \(to), \(words.forFirm) \(target)"
    }
}

extension AnalysisWords {
    /// How much a figure must change, in its own unit: for a percent in percentage points ("rise by
    /// 50 percentage points, to 60 %"), since "by 50 %" would read as a relative change.
    func size(_ amount: Exact, as type: ValueType, _ formatter: ValueFormatter) -> String {
        let shown = formatter.format(.number(amount), as: type)
        guard type == .percent, shown.hasSuffix(" %") else { return shown }
        return String(shown.dropLast(2)) + " " + points
    }
}

extension TextTraceRenderer {
    /// The analysis in one sentence, for `soe verify`'s note on a record that holds none: the
    /// borderline flag where the rule set asks for one and the decision is borderline, else the
    /// nearest change that overturns the decision (or that no single change does); for an
    /// undetermined firm, the outcome the declared limits of the missing data decide, or that
    /// they decide none.
    var analysisSummary: String {
        let words = analysisWords
        if let line = borderlineLine { return line }
        if let set = trace.analysis?.counterfactuals {
            guard let nearest = set.changes.first else { return words.noSingleChange }
            return "the nearest change: " + sentence(nearest) + "."
        }
        if let outcome = trace.decidedByBounds { return "\(words.decidedByBounds): \(label(trace.outcomes[outcome]))." }
        return "the declared limits of the missing data decide no outcome."
    }
}
