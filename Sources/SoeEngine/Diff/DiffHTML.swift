import SoeLanguage

/// The diff as one self-contained HTML page: each rule set's transition table (old outcome ×
/// new outcome, with counts), the totals, and a row per changed firm with its explanation. Built
/// from `Markup`, so every name and text from the rules or the data is escaped.
enum DiffHTML {
    static func page(changes: [UInt8], summary: BatchSummary, context: DiffContext) -> String {
        let words = DiffReportWords(context.language)
        var sections: [Markup] = []
        var intro: [Markup] = [.tag("h1", nil, .text(words.title))]
        var meta = "\(context.oldRules) → \(context.newRules) · \(context.source)"
        if let day = context.asOf { meta += " · \(words.asOf) \(day)" }
        intro.append(.tag("p", "meta", .text(meta)))
        intro.append(.tag("p", nil, .text(words.totals(DiffTotals(summary)))))
        if !context.onlyOld.isEmpty { intro.append(.tag("p", nil, .text("\(words.onlyOld): \(context.onlyOld.joined(separator: ", "))"))) }
        if !context.onlyNew.isEmpty { intro.append(.tag("p", nil, .text("\(words.onlyNew): \(context.onlyNew.joined(separator: ", "))"))) }
        for table in summary.diff?.tables ?? [] {
            intro.append(.tag("h2", nil, .text(table.name)))
            intro.append(matrix(table, words))
        }
        sections.append(.element("section", [("class", "overview")], intro))
        let head = Markup.element(
            "thead", [],
            [
                .element(
                    "tr", [],
                    [
                        .tag("th", "num", .text(words.row)), .tag("th", nil, .text("id")), .tag("th", nil, .text(words.name)),
                        .tag("th", nil, .text(words.ruleSet)), .tag("th", nil, .text(words.old)), .tag("th", nil, .text(words.new)),
                        .tag("th", nil, .text(words.explanation)),
                    ])
            ])
        var changed: [Markup] = [.tag("h2", nil, .text(words.listed(rejected: DiffTotals(summary).rejected)))]
        if changes.isEmpty {
            changed.append(.tag("p", nil, .text(words.none)))
        } else {
            // The rows were written by `DiffRowWriter` with `Markup`, escaped as they were made.
            changed.append(.element("table", [], [head, .element("tbody", [], [Markup(raw: String(decoding: changes, as: UTF8.self))])]))
        }
        sections.append(.element("section", [("class", "overview")], changed))
        return HTMLDossier.document(title: words.title, language: context.language, main: sections, engine: SoeVersion.current)
    }

    /// Old states down, new states across; a cell that is a change is marked.
    static func matrix(_ table: DiffTally.Table, _ words: DiffReportWords) -> Markup {
        let usedOld = table.oldStates.indices.filter { old in table.newStates.indices.contains { table.count(old: old, new: $0) > 0 } }
        let usedNew = table.newStates.indices.filter { new in table.oldStates.indices.contains { table.count(old: $0, new: new) > 0 } }
        let header = Markup.element(
            "tr", [],
            [.tag("th", nil, .text(words.transitions))] + usedNew.map { Markup.tag("th", "num", .text(table.newStates[$0])) })
        let rows = usedOld.map { old in
            Markup.element(
                "tr", [],
                [.tag("th", nil, .text(table.oldStates[old]))]
                    + usedNew.map { new in
                        let count = table.count(old: old, new: new)
                        let text = count == 0 ? "" : String(count)
                        return Markup.element(
                            "td", [("class", count > 0 && table.isChange(old: old, new: new) ? "num s-unknown" : "num")], [.text(text)])
                    })
        }
        return .element("table", [("class", "transitions")], [.element("thead", [], [header]), .element("tbody", [], rows)])
    }
}
