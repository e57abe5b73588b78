import SoeEngine
import SoeLanguage
import SoeLint

/// The HTML overview of a batch: counts per outcome and a row per firm and rule set.
///
/// The batch runs as usual into JSON Lines in memory, and the overview is drawn from those
/// results, so the page shows exactly what the CSV or JSON Lines output would. It holds the whole
/// batch in memory: it is meant for the tens to hundreds of firms a municipality works with. A
/// batch of more than `maxRows` rows is refused as soon as its row `maxRows + 1` is evaluated,
/// with a hint to use CSV or JSON Lines, so memory stays bounded (50,000 rows once took 277 MB;
/// the limit keeps the peak near 60 MB, see docs/hardening.md).
enum BatchHTML {
    /// The most firm rows an overview shows; a page of more is neither readable nor printable.
    static let maxRows = 10_000

    /// Why a batch is too large for an overview, and what to do instead.
    static func tooLarge(_ language: Language) -> String {
        language == .danish
            ? "HTML-oversigten viser højst \(maxRows) rækker, og denne batch har flere; brug --format csv eller jsonl (eller del filen op)"
            : "the HTML overview shows at most \(maxRows) rows and this batch has more; use --format csv or jsonl (or split the file)"
    }

    /// The overview's title when `--title` gives none: the input file's name without its folder
    /// (a caseworker's folders are nobody else's business), or "standard input".
    static func title(ofSource source: String) -> String {
        let name = source.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? source
        return name.isEmpty ? source : name
    }

    /// The overview document from the batch's JSON Lines results, headed by `title`.
    /// Rows are named by `source`, the input's name without its folder (`firms.csv row 3`).
    static func overview(results: [UInt8], ruleSets: [RuleSet], language: Language, source: String, title: String) -> String {
        var rows: [HTMLOverviewRow] = []
        var start = 0
        while start < results.count {
            var end = start
            while end < results.count, results[end] != 0x0A { end += 1 }
            if end > start, case .success(let node) = JSONReader.parse(Array(results[start..<end])),
                let row = row(from: node, ruleSets: ruleSets, language: language, source: source)
            {
                rows.append(row)
            }
            start = end + 1
        }
        return HTMLDossier.overview(rows: rows, language: language, title: title)
    }

    static func row(from node: JSONNode, ruleSets: [RuleSet], language: Language, source: String) -> HTMLOverviewRow? {
        guard case .object(let members) = node.value else { return nil }
        func text(_ key: String) -> String? {
            if case .string(let value)? = members.first(where: { $0.key == key })?.value.value { return value }
            return nil
        }
        func number(_ key: String) -> Int? {
            if case .number(let value)? = members.first(where: { $0.key == key })?.value.value { return Int(value) }
            return nil
        }
        func strings(_ key: String) -> [String] {
            guard case .array(let items)? = members.first(where: { $0.key == key })?.value.value else { return [] }
            return items.compactMap { if case .string(let value) = $0.value { value } else { nil } }
        }
        guard let ruleSetName = text("rule_set") else { return nil }
        let status = HTMLOverviewRow.Status(rawValue: text("status") ?? "") ?? .rejected
        let ruleSet = ruleSets.first { $0.name == ruleSetName }
        let outcome = text("outcome")
        let rank = outcome.flatMap { name in ruleSet?.outcomes.firstIndex { $0.name == name }.map { $0 + 1 } }
        let label = outcome.flatMap { name in ruleSet?.outcomes.first { $0.name == name }?.label?.text(language) } ?? text("label")
        var detail = text("reason")
        if status == .notInForce, let ruleSet {
            // The period, in the page's words and dates; the fiscal year is in its own column.
            detail = Words.of(language).inForcePeriod(from: ruleSet.inForceFrom, until: ruleSet.inForceUntil) ?? detail
        }
        if status == .undetermined {
            // The descriptions the caseworker asks the firm about, not the rule file's names.
            detail = strings("missing").map { name in
                ruleSet?.inputs.first { $0.name == name }?.description?.text(language) ?? name
            }.joined(separator: "; ")
        }
        let row = (language == .danish ? "række " : "row ") + "\(number("row") ?? 0)"
        let firm = text("name") ?? text("id") ?? row
        return HTMLOverviewRow(
            firm: firm, cvr: text("cvr"), source: "\(source) \(row)",
            fiscalYear: number("fiscal_year"), ruleSet: ruleSetName, status: status, outcome: outcome,
            label: label, rank: rank, detail: detail,
            tone: outcome.flatMap { name in ruleSet?.outcomes.first { $0.name == name }?.tone },
            borderline: text("borderline").map { name in ruleSet?.inputs.first { $0.name == name }?.description?.text(language) ?? name },
            warning: text("warning"))
    }
}

/// Keeps the JSON Lines results of a batch for its overview, and refuses more than a number of
/// results: the batch then stops with an output failure, which the command reports as too large.
final class OverviewSink: BatchSink {
    private(set) var bytes: [UInt8] = []
    private var results = 0
    let limit: Int
    private(set) var overflowed = false

    init(limit: Int) { self.limit = limit }

    func write(_ bytes: [UInt8]) -> ToolError? {
        results += bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        guard results <= limit else {
            overflowed = true
            return ToolError("too many rows for an HTML overview")
        }
        self.bytes += bytes
        return nil
    }
}
