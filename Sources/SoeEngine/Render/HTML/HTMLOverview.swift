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

    public init(
        firm: String, cvr: String? = nil, source: String, fiscalYear: Int? = nil, ruleSet: String?,
        status: Status, outcome: String? = nil, label: String? = nil, rank: Int? = nil,
        detail: String? = nil, link: String? = nil
    ) {
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
        let missing = decision.missing.indices.map { trace.inputs[$0].name }
        self.init(
            firm: trace.firm.name ?? trace.firm.source, cvr: trace.firm.cvr, source: trace.firm.source,
            fiscalYear: trace.firm.fiscalYear, ruleSet: trace.ruleSet.name, status: status, outcome: outcome?.name,
            label: outcome.map { $0.label?.text(language) ?? $0.name }, rank: outcome?.rank,
            detail: missing.isEmpty ? nil : missing.joined(separator: ", "), link: link)
    }

    /// The row of input that was rejected before it could be evaluated.
    public static func rejected(source: String, message: String, firm: String? = nil, ruleSet: String? = nil) -> HTMLOverviewRow {
        HTMLOverviewRow(firm: firm ?? source, source: source, ruleSet: ruleSet, status: .rejected, detail: message)
    }
}

extension HTMLDossier {
    /// The counts table and the rows table of an overview.
    static func overviewTables(_ rows: [HTMLOverviewRow], language: Language) -> [Markup] {
        let words = Words.of(language)
        let html = HTMLWords.of(language)
        func statusText(_ row: HTMLOverviewRow) -> String {
            switch row.status {
            case .determined: row.label ?? row.outcome ?? ""
            case .undetermined: words.undetermined
            case .notInForce: html.notInForceShort
            case .rejected: words.rejected
            }
        }
        // Counts per rule set and outcome, in the rule set's priority order, then the other states.
        struct Key: Hashable {
            var ruleSet: String
            var status: String
            var outcome: String
        }
        var counts: [Key: (text: String, order: Int, count: Int)] = [:]
        var keys: [Key] = []
        for row in rows {
            let key = Key(ruleSet: row.ruleSet ?? "", status: row.status.rawValue, outcome: row.outcome ?? "")
            let order: Int
            switch row.status {
            case .determined: order = row.rank ?? 0
            case .undetermined: order = 10_001
            case .notInForce: order = 10_002
            case .rejected: order = 10_003
            }
            if counts[key] == nil { keys.append(key) }
            counts[key, default: (statusText(row), order, 0)].count += 1
        }
        let ruleSetOrder = keys.map(\.ruleSet).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        keys.sort { a, b in
            let ra = ruleSetOrder.firstIndex(of: a.ruleSet) ?? 0
            let rb = ruleSetOrder.firstIndex(of: b.ruleSet) ?? 0
            if ra != rb { return ra < rb }
            return (counts[a]?.order ?? 0) < (counts[b]?.order ?? 0)
        }
        // A share is of the firms decided under the same rule set: with several rule sets, each row
        // of the batch appears once per rule set.
        var perRuleSet: [String: Int] = [:]
        for row in rows { perRuleSet[row.ruleSet ?? "", default: 0] += 1 }
        let countRows = keys.map { key -> Markup in
            let entry = counts[key] ?? ("", 0, 0)
            let total = max(perRuleSet[key.ruleSet] ?? 1, 1)
            let percent = (entry.count * 1000 + total / 2) / total
            let share = "\(percent / 10)\(language == .danish ? "," : ".")\(percent % 10) %"
            let bar = Markup.element(
                "span", [("class", "bar")],
                [
                    .element("span", [("class", "fill s-\(key.status)"), ("style", "width: \(percent / 10).\(percent % 10)%")], [])
                ])
            return .tag(
                "tr", nil, .tag("td", nil, .text(key.ruleSet)),
                .tag(
                    "td", nil, .element("span", [("class", "badge s-\(key.status)")], [.text(entry.text)]),
                    key.outcome.isEmpty ? .empty : .text(" ") + .tag("code", nil, .text(key.outcome))),
                .tag("td", "num", .text(String(entry.count))),
                .tag("td", "num nowrap", .text(share + " "), bar))
        }
        // The total counts results: each firm once per rule set, which the row says.
        let firmCount = Set(rows.map(\.source)).count
        let ruleSetCount = perRuleSet.count
        let product =
            language == .danish
            ? counted(firmCount, "virksomhed", "virksomheder") + " × " + counted(ruleSetCount, "regelsæt", "regelsæt")
            : counted(firmCount, "firm", "firms") + " × " + counted(ruleSetCount, "rule set", "rule sets")
        // Said only when it is the whole truth: every firm once under every rule set, as in a batch.
        let explained = firmCount * ruleSetCount == rows.count && ruleSetCount > 1
        let totalRow = Markup.tag(
            "tr", "total", .tag("td", nil, .text(html.total)),
            .tag("td", nil, explained ? .text(product) : .empty),
            .tag("td", "num", .text(String(rows.count))), .tag("td", nil, .empty))
        let countsTable = Markup.element(
            "table", [("class", "counts")],
            [
                .tag(
                    "thead", nil,
                    .tag(
                        "tr", nil, .tag("th", nil, .text(words.ruleSet)), .tag("th", nil, .text(html.outcome)),
                        .tag("th", "num", .text(html.count)), .tag("th", "num", .text(html.share)))),
                .element("tbody", [], countRows + [totalRow]),
            ])
        let firmRows = rows.enumerated().map { index, row -> Markup in
            let name: Markup = row.link.map { .element("a", [("href", $0)], [.text(row.firm)]) } ?? .text(row.firm)
            let outcome: Markup = .element("span", [("class", "badge s-\(row.status.rawValue)")], [.text(statusText(row))])
            return .tag(
                "tr", nil, .tag("td", "num", .text(String(index + 1))),
                .tag("td", nil, name, row.source == row.firm ? .empty : .tag("div", "desc", .text(row.source))),
                .tag("td", "nowrap", .text(row.cvr ?? "")),
                .tag("td", "num", .text(row.fiscalYear.map(String.init) ?? "")),
                .tag("td", nil, .text(row.ruleSet ?? "")),
                .tag("td", nil, outcome),
                .tag("td", "detail", .text(row.detail ?? "")))
        }
        let firmsTable = Markup.element(
            "table", [("class", "firms")],
            [
                .tag(
                    "thead", nil,
                    .tag(
                        "tr", nil, .tag("th", "num", .text(html.rank)), .tag("th", nil, .text(html.firm)),
                        .tag("th", nil, .text("CVR")), .tag("th", "num", .text(html.fiscalYear)),
                        .tag("th", nil, .text(words.ruleSet)), .tag("th", nil, .text(words.result)),
                        .tag("th", nil, .text(html.note)))),
                .element("tbody", [], firmRows),
            ])
        return [.tag("h2", nil, .text(html.outcomes)), countsTable, .tag("h2", nil, .text(html.firms)), firmsTable]
    }
}
