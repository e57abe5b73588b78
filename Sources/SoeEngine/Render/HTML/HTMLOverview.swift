import SoeLanguage

/// One row of an overview page: a firm under a rule set and what came of it.
public struct HTMLOverviewRow: Sendable, Equatable {
    /// What came of the row.
    public enum Status: String, Sendable {
        case determined, undetermined
        case notInForce = "not_in_force"
        /// The row's data was rejected (malformed or invalid); `detail` says why.
        case rejected
    }

    /// The firm's name, or its source when it has none.
    public var firm: String
    public var cvr: String?
    /// Where the data came from: a file, or `firms.csv row 17`.
    public var source: String
    public var fiscalYear: Int?
    /// The rule set's name (nil for a rejected row that was never bound to one).
    public var ruleSet: String?
    public var status: Status
    /// The outcome's name and its label in the page's language, for a determined row.
    public var outcome: String?
    public var label: String?
    /// The outcome's place in the rule set's priority order, so counts are listed in that order.
    public var rank: Int?
    /// The missing inputs of an undetermined row, or why a row was rejected.
    public var detail: String?
    /// Where the firm's dossier is: a file name or `#decision-3`.
    public var link: String?
    /// The outcome's tone, as the rule set declares it, for a determined row.
    public var tone: Tone?
    /// For a borderline row (`--borderline`): the input, by description, a small change of which
    /// would overturn the decision.
    public var borderline: String?
    /// The row's warning in the results (`an earlier row has the same CVR number and fiscal
    /// year`), shown under its result as the CSV and JSON Lines results carry it.
    public var warning: String?

    public init(
        firm: String, cvr: String? = nil, source: String, fiscalYear: Int? = nil, ruleSet: String?,
        status: Status, outcome: String? = nil, label: String? = nil, rank: Int? = nil,
        detail: String? = nil, link: String? = nil, tone: Tone? = nil, borderline: String? = nil, warning: String? = nil
    ) {
        self.borderline = borderline
        self.warning = warning
        self.firm = firm
        self.cvr = cvr
        self.source = source
        self.fiscalYear = fiscalYear
        self.ruleSet = ruleSet
        self.status = status
        self.outcome = outcome
        self.label = label
        self.rank = rank
        self.detail = detail
        self.link = link
        self.tone = tone
    }

    /// The row of a decision, with labels in `language`.
    public init(trace: Trace, language: Language, link: String? = nil) {
        let decision = trace.decision
        var status = Status.undetermined
        var outcome: Trace.OutcomeStep?
        if let index = decision.outcome {
            status = .determined
            outcome = trace.outcomes[index]
        } else if decision.notInForceOn != nil {
            status = .notInForce
        }
        let missing = decision.missing.indices.map { trace.inputs[$0].description?.text(language) ?? trace.inputs[$0].name }
        self.init(
            firm: trace.firm.name ?? trace.firm.source, cvr: trace.firm.cvr, source: trace.firm.source,
            fiscalYear: trace.firm.fiscalYear, ruleSet: trace.ruleSet.name, status: status, outcome: outcome?.name,
            label: outcome.map { $0.label?.text(language) ?? $0.name },
            // By outcome name: an outcome reached by several rules is one row group, at its first rule.
            rank: outcome.flatMap { found in trace.outcomes.firstIndex { $0.name == found.name }.map { $0 + 1 } },
            detail: status == .notInForce
                ? Words.of(language).inForcePeriod(from: trace.ruleSet.inForceFrom, until: trace.ruleSet.inForceUntil)
                : (missing.isEmpty ? nil : missing.joined(separator: "; ")),
            link: link, tone: outcome?.tone)
    }

    /// The style class of the row's result: the outcome's tone for a decided row (neutral when
    /// the rule set does not say: nothing is good news by default), else the state.
    public var styleClass: String {
        switch status {
        case .determined: "tone-\((tone ?? .neutral).rawValue)"
        default: "s-\(status.rawValue)"
        }
    }

    /// The row of input that was rejected before it could be evaluated.
    public static func rejected(source: String, message: String, firm: String? = nil, ruleSet: String? = nil) -> HTMLOverviewRow {
        HTMLOverviewRow(firm: firm ?? source, source: source, ruleSet: ruleSet, status: .rejected, detail: message)
    }
}
