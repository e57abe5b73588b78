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
            ? "Vurderingen bygger på oplysningerne ovenfor. For hvert af disse tal er her den nærmeste værdi, der alene ville give et andet resultat:"
            : "The assessment rests on the figures above. For each of these figures, the nearest value that would on its own give another result:"
    }

    /// The nearest value, said as a value and not as a bound: "at most 499.999,99 kr" would claim
    /// that every smaller figure gives the same result, where a figure further off may give a third
    /// one (a change is the nearest that changes the result, no more). Where the nearest value is not
    /// attained (a strict threshold), "just above" or "just below" it.
    func value(_ to: String, rising: Bool, beyond: Bool) -> String {
        guard beyond else { return to }
        switch (language == .danish, rising) {
        case (true, true): return "lige over \(to)"
        case (true, false): return "lige under \(to)"
        case (false, true): return "just above \(to)"
        case (false, false): return "just below \(to)"
        }
    }

    func item(_ what: String, _ value: String, now: String, result: String?) -> String {
        if language == .danish {
            let then = result.map { "ville virksomheden blive vurderet som \($0)" } ?? "kunne resultatet ikke afgøres"
            return "hvis \(what) var \(value) i stedet for \(now), \(then)"
        }
        let then = result.map { "the firm would be assessed as \($0)" } ?? "the result could not be decided"
        return "if \(what) were \(value) instead of \(now), \(then)"
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
            let rising = change.rising ?? !amount.isNegative
            let result = change.outcome.map {
                (trace.outcomes[$0].label?.text(language) ?? trace.outcomes[$0].name).lowercasedStart(language)
            }
            items.append(
                words.item(
                    what.lowercasedStart(language),
                    words.value(formatter.format(change.to, as: input.type), rising: rising, beyond: change.beyond),
                    now: formatter.format(change.from, as: input.type), result: result))
            if items.count == LetterBuilder.shownChanges { break }
        }
        guard !items.isEmpty else { return nil }
        return Letter.Section(heading: words.heading, paragraphs: [words.intro], items: items, after: [])
    }
}
