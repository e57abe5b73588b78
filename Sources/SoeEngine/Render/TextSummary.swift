import SoeLanguage

/// The summary that opens `soe evaluate`'s text output: for each firm, one line per rule set with
/// the rule set, the result and the reason, so a caseworker sees all results before any explanation.
///
///     Kaffekollektivet ApS (CVR 13748136), regnskabsår 2024
///       rsv_2014        Socialøkonomisk virksomhed (kan registreres): Alle kriterier i § 5 er opfyldt
///       haderslev_2021  Gælder ikke: Regelsættet gælder ikke for regnskabsåret 2024 (…): i kraft fra …
public enum TextSummary {
    /// The summary of the traces, in the order given, grouped by firm; ends with a line break.
    public static func render(_ traces: [Trace], language: Language) -> String {
        let words = Words.of(language)
        var lines: [String] = []
        var index = 0
        while index < traces.count {
            let firm = traces[index].firm
            var end = index + 1
            while end < traces.count, traces[end].firm.source == firm.source, traces[end].firm.sha256 == firm.sha256 { end += 1 }
            lines.append(firmLine(traces[index], words: words))
            let group = traces[index..<end]
            let width = group.map(\.ruleSet.name.count).max() ?? 0
            for trace in group {
                let name = trace.ruleSet.name.padded(to: width)
                let result = ResultWords(trace: trace, language: language)
                lines.append("  \(name)  \(result.headline)" + (result.reason.map { ": \($0)" } ?? ""))
                // A borderline decision says so under its result, where `--brief` shows it too.
                if let borderline = TextTraceRenderer(trace: trace, language: language).borderlineLine {
                    lines.append("  " + String(repeating: " ", count: width) + "  " + borderline)
                }
            }
            index = end
        }
        // Names and reasons come from data and rule files: shown, never obeyed (`DisplayText`).
        return lines.map(DisplayText.line).joined(separator: "\n") + "\n"
    }

    /// "Kaffekollektivet ApS (CVR 13748136), regnskabsår 2024".
    static func firmLine(_ trace: Trace, words: Words) -> String {
        let firm = trace.firm
        var who = firm.name ?? firm.source
        if let cvr = firm.cvr { who += " (CVR \(cvr))" }
        let year = firm.fiscalYear ?? firm.closingDay.year
        return "\(who), \(words.fiscalYear) \(year)" + (trace.asOf.map { " (\(words.rulesAsOf($0)))" } ?? "")
    }
}

/// A decision's result in words, the same in the summary, the letter and the dossier: the
/// headline (the outcome's label, "Kan ikke afgøres" or "Gælder ikke") and a reason (the
/// outcome's reason, what is missing, or the period the rules are in force).
public struct ResultWords: Sendable {
    /// The decision's state, for styles and for choosing words.
    public enum State: String, Sendable {
        case determined, undetermined
        case notInForce = "not_in_force"
        /// Undetermined by the data, decided by the declared limits of the missing data (only
        /// where the trace carries the analysis: text and JSON).
        case decidedByBounds = "decided_by_bounds"
    }

    public let state: State
    public let headline: String
    public let reason: String?
    /// The outcome's tone, for a determined decision whose rule set declares one.
    public let tone: Tone?

    public init(trace: Trace, language: Language) {
        let words = Words.of(language)
        let decision = trace.decision
        if let index = decision.outcome {
            let outcome = trace.outcomes[index]
            state = .determined
            headline = outcome.label?.text(language) ?? outcome.name
            // Which of several rules decided, before its reason (`decided by the 2nd rule for …`).
            if let rule = trace.decidingRule(language) {
                reason = "\(words.decidedBy) \(rule)" + (outcome.reason.map { ": \($0.text(language))" } ?? "")
            } else {
                reason = outcome.reason?.text(language)
            }
            tone = outcome.tone
        } else if let bounded = trace.decidedByBounds {
            let outcome = trace.outcomes[bounded]
            state = .decidedByBounds
            headline = (outcome.label?.text(language) ?? outcome.name) + " (\(AnalysisWords.of(language).decidedByBounds))"
            reason = outcome.reason?.text(language)
            tone = outcome.tone
        } else if decision.notInForceOn != nil {
            state = .notInForce
            headline = words.notInForceResult
            reason = words.notInForceSentence(
                fiscalYear: trace.firm.fiscalYear, closing: trace.firm.closingDay, from: trace.ruleSet.inForceFrom,
                until: trace.ruleSet.inForceUntil, evaluatedOn: trace.decision.notInForceOn)
            tone = nil
        } else {
            state = .undetermined
            headline = words.undetermined
            let missing = decision.missing.indices.map { trace.inputs[$0].description?.text(language) ?? trace.inputs[$0].name }
            if !missing.isEmpty {
                reason = "\(words.missing): " + missing.joined(separator: "; ")
            } else if !trace.problems.isEmpty {
                reason = "\(words.problems): " + trace.problems.map { words.problem($0.kind) }.joined(separator: "; ")
            } else {
                reason = nil
            }
            tone = nil
        }
    }
}
