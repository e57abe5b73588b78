import SoeLanguage

/// Several routes to one outcome, as the explanations show them: an outcome listed once among
/// the possible ones, and a sentence that says which of its rules decided.
extension Trace {
    /// The outcomes the missing data could still give: where the bounds were computed, those the
    /// declared limits of the missing inputs leave (none when they decide the outcome); else those
    /// three-valued logic leaves. By index, one per rule; `distinctOutcomes` names each once.
    public var outcomesLeft: [Int] { analysis?.bounds?.possibleOutcomes ?? decision.possibleOutcomes }

    /// The outcomes at these indices with each name once, at its first rule: the possible outcomes
    /// of an undetermined firm name an outcome, not each rule that leads to it.
    public func distinctOutcomes(_ indices: [Int]) -> [Int] {
        var seen = Set<String>()
        return indices.filter { seen.insert(outcomes[$0].name).inserted }
    }

    /// Which rule decided, for an outcome reached by several: `the 2nd rule for anden_aktoer
    /// (line 87)`, `2. regel for anden_aktoer (linje 87)`; nil for an outcome with one rule.
    public func decidingRule(_ language: Language) -> String? {
        guard let index = decision.outcome, outcomes[index].routes > 1 else { return nil }
        let outcome = outcomes[index]
        let line = outcome.at.flatMap(Trace.line(of:)).map { language == .danish ? " (linje \($0))" : " (line \($0))" } ?? ""
        let ordinal = Words.ordinal(outcome.route, language)
        return language == .danish
            ? "\(ordinal) regel for \(outcome.name)\(line)"
            : "the \(ordinal) rule for \(outcome.name)\(line)"
    }

    /// The line of a `file:line:column` place.
    static func line(of place: String) -> Int? {
        let parts = place.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        return Int(parts[parts.count - 2])
    }
}

/// Several routes to one decision, for code that has the decision and the rule set but no trace.
extension Decision {
    /// The possible outcomes with each name once, at its first rule.
    public func distinctPossibleOutcomes(in ruleSet: RuleSet) -> [Int] {
        var seen = Set<String>()
        return possibleOutcomes.filter { seen.insert(ruleSet.outcomes[$0].name).inserted }
    }
}
