import SoeLanguage

// What would change a decision, in a letter: the few smallest changes of one figure that the
// counterfactuals found, in words and the firm's own units, with no identifier and no formula.
// Only where the trace carries the analysis (`soe evaluate --format letter`); never for an input
// without a description, which a letter cannot name.

/// The words of the section, in English and Danish.
struct LetterChangeWords: Sendable {
    let language: Language

    var heading: String { language == .danish ? "Hvad der ville ændre vurderingen" : "What would change the assessment" }
    var intro: String {
        language == .danish
            ? "Vurderingen bygger på oplysningerne ovenfor. Hver af disse ændringer ville alene give et andet resultat:"
            : "The assessment rests on the figures above. Each of these changes would on its own give another result:"
    }

    /// "at least", "at most", "above", "below": how far the figure must go.
    func bound(rising: Bool, beyond: Bool) -> String {
        switch (language == .danish, rising, beyond) {
        case (true, true, false): "mindst"
        case (true, false, false): "højst"
        case (true, true, true): "over"
        case (true, false, true): "under"
        case (false, true, false): "at least"
        case (false, false, false): "at most"
        case (false, true, true): "above"
        case (false, false, true): "below"
        }
    }

    func item(_ what: String, _ bound: String, _ to: String, now: String, result: String?) -> String {
        if language == .danish {
            let then = result.map { "ville virksomheden blive vurderet som \($0)" } ?? "kunne resultatet ikke afgøres"
            return "hvis \(what) var \(bound) \(to) (nu \(now)), \(then)"
        }
        let then = result.map { "the firm would be assessed as \($0)" } ?? "the result could not be decided"
        return "if \(what) were \(bound) \(to) (now \(now)), \(then)"
    }
}

extension LetterBuilder {
    /// The most changes a letter lists; the dossier and the JSON trace list them all.
    static let shownChanges = 3

    var changesSection: Letter.Section? {
        guard let set = trace.analysis?.counterfactuals else { return nil }
        let words = LetterChangeWords(language: language)
        var items: [String] = []
        for change in set.changes {
            let input = trace.inputs[change.input]
            guard let what = input.description?.text(language), let amount = change.change, !amount.isZero || change.beyond else {
                continue
            }
            let rising = !amount.isNegative
            let result = change.outcome.map { trace.outcomes[$0].label?.text(language) ?? trace.outcomes[$0].name }
            items.append(
                words.item(
                    what, words.bound(rising: rising, beyond: change.beyond), formatter.format(change.to, as: input.type),
                    now: formatter.format(change.from, as: input.type), result: result))
            if items.count == LetterBuilder.shownChanges { break }
        }
        guard !items.isEmpty else { return nil }
        return Letter.Section(heading: words.heading, paragraphs: [words.intro], items: items, after: [])
    }
}
