import SoeLanguage

extension HTMLDossier {
    /// The counts table and the firms table of an overview: counts per rule set and outcome, each
    /// in the outcome's own tone, then one row per firm with a column per rule set.
    static func overviewTables(_ rows: [HTMLOverviewRow], language: Language) -> [Markup] {
        [.tag("h2", nil, .text(HTMLWords.of(language).outcomes)), countsTable(rows, language: language)]
            + [.tag("h2", nil, .text(HTMLWords.of(language).firms)), firmsTable(rows, language: language)]
    }

    /// A row's result in words: the outcome's label, or the state.
    static func statusText(_ row: HTMLOverviewRow, language: Language) -> String {
        let words = Words.of(language)
        switch row.status {
        case .determined: return row.label ?? row.outcome ?? ""
        case .undetermined: return words.undetermined
        case .notInForce: return words.notInForceResult
        case .rejected: return words.rejected
        }
    }

    /// The rule sets in the order the rows first name them.
    static func ruleSetOrder(_ rows: [HTMLOverviewRow]) -> [String] {
        var order: [String] = []
        for row in rows where !order.contains(row.ruleSet ?? "") { order.append(row.ruleSet ?? "") }
        return order
    }

    static func countsTable(_ rows: [HTMLOverviewRow], language: Language) -> Markup {
        let words = Words.of(language)
        let html = HTMLWords.of(language)
        // Counts per rule set and outcome, in the rule set's priority order, then the other states.
        struct Key: Hashable {
            var ruleSet: String
            var status: String
            var outcome: String
        }
        var counts: [Key: (text: String, style: String, order: Int, count: Int)] = [:]
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
            counts[key, default: (statusText(row, language: language), row.styleClass, order, 0)].count += 1
        }
        let ruleSets = ruleSetOrder(rows)
        keys.sort { a, b in
            let ra = ruleSets.firstIndex(of: a.ruleSet) ?? 0
            let rb = ruleSets.firstIndex(of: b.ruleSet) ?? 0
            if ra != rb { return ra < rb }
            return (counts[a]?.order ?? 0) < (counts[b]?.order ?? 0)
        }
        // A share is of the firms decided under the same rule set: with several rule sets, each row
        // of the batch appears once per rule set.
        var perRuleSet: [String: Int] = [:]
        for row in rows { perRuleSet[row.ruleSet ?? "", default: 0] += 1 }
        let countRows = keys.map { key -> Markup in
            let entry = counts[key] ?? ("", "", 0, 0)
            let total = max(perRuleSet[key.ruleSet] ?? 1, 1)
            let percent = (entry.count * 1000 + total / 2) / total
            let share = "\(percent / 10)\(language == .danish ? "," : ".")\(percent % 10) %"
            let bar = Markup.element(
                "span", [("class", "bar")],
                [.element("span", [("class", "fill \(entry.style)"), ("style", "width: \(percent / 10).\(percent % 10)%")], [])])
            return .tag(
                "tr", nil, .tag("td", nil, .text(key.ruleSet)),
                .tag(
                    "td", nil, .element("span", [("class", "badge \(entry.style)")], [.text(entry.text)]),
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
        return .element(
            "table", [("class", "counts")],
            [
                .tag(
                    "thead", nil,
                    .tag(
                        "tr", nil, .tag("th", nil, .text(words.ruleSet)), .tag("th", nil, .text(html.outcome)),
                        .tag("th", "num", .text(html.count)), .tag("th", "num", .text(html.share)))),
                .element("tbody", [], countRows + [totalRow]),
            ])
    }

    /// One row per firm (rows with the same source), a column per rule set with the result, its
    /// tone and what is missing or why the row was rejected.
    static func firmsTable(_ rows: [HTMLOverviewRow], language: Language) -> Markup {
        let words = Words.of(language)
        let html = HTMLWords.of(language)
        let ruleSets = ruleSetOrder(rows)
        var firms: [[HTMLOverviewRow]] = []
        var position: [String: Int] = [:]
        for row in rows {
            if let index = position[row.source] {
                firms[index].append(row)
            } else {
                position[row.source] = firms.count
                firms.append([row])
            }
        }
        let firmRows = firms.enumerated().map { index, group -> Markup in
            let first = group[0]
            let link = group.lazy.compactMap(\.link).first
            let name: Markup = link.map { .element("a", [("href", $0)], [.text(first.firm)]) } ?? .text(first.firm)
            var cells: [Markup] = [
                .tag("td", "num", .text(String(index + 1))),
                .tag("td", nil, name, first.source == first.firm ? .empty : .tag("div", "desc", .text(first.source))),
                .tag("td", "nowrap", .text(first.cvr ?? "")),
                .tag("td", "num", .text(first.fiscalYear.map(String.init) ?? "")),
            ]
            for ruleSet in ruleSets {
                let results = group.filter { ($0.ruleSet ?? "") == ruleSet }
                let content = results.map { row -> Markup in
                    let badge = Markup.element("span", [("class", "badge \(row.styleClass)")], [.text(statusText(row, language: language))])
                    let detail: Markup =
                        row.status == .determined ? .empty : (row.detail.map { .tag("div", "detail", .text($0)) } ?? .empty)
                    let linked: Markup = row.link.map { .element("a", [("href", $0)], [badge]) } ?? badge
                    // A decision a small change of one input would overturn, with the input named.
                    let marker: Markup =
                        row.borderline.map {
                            .tag("div", "detail borderline-mark", .text("\(AnalysisWords.of(language).borderline): \($0)"))
                        } ?? .empty
                    let warning: Markup = row.warning.map { .tag("div", "detail warning-mark", .text($0)) } ?? .empty
                    return linked + detail + marker + warning
                }
                cells.append(.element("td", [("class", "result")], content))
            }
            return .element("tr", [], cells)
        }
        let headers: [Markup] =
            [
                .tag("th", "num", .text(html.rank)), .tag("th", nil, .text(html.firm)), .tag("th", nil, .text("CVR")),
                .tag("th", "num", .text(html.fiscalYear)),
            ] + ruleSets.map { .tag("th", nil, .text($0.isEmpty ? words.rejected : $0)) }
        return .element(
            "table", [("class", "firms")],
            [.tag("thead", nil, .element("tr", [], headers)), .element("tbody", [], firmRows)])
    }
}
