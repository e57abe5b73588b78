import SoeLanguage

/// What a diff report says about itself: where the rules and firms came from, the date, and the
/// rule sets that only one side has.
public struct DiffContext: Sendable {
    /// The old and new rules as given (`rules/`, `samples/kommune/`).
    public var oldRules: String
    public var newRules: String
    /// The firms' source, as in a batch's messages.
    public var source: String
    /// `--as-of`, when given.
    public var asOf: Day?
    /// Rule sets only the old or only the new rules have: reported, not compared.
    public var onlyOld: [String]
    public var onlyNew: [String]
    /// The matched pairs' hashes, old and new, in pair order.
    public var hashes: [(old: String, new: String)]
    public var language: Language

    /// Makes a context.
    public init(
        oldRules: String, newRules: String, source: String, asOf: Day?, onlyOld: [String], onlyNew: [String],
        hashes: [(old: String, new: String)], language: Language
    ) {
        (self.oldRules, self.newRules, self.source, self.asOf) = (oldRules, newRules, source, asOf)
        (self.onlyOld, self.onlyNew, self.hashes, self.language) = (onlyOld, onlyNew, hashes, language)
    }
}

/// The totals of a diff: every row read is changed, unchanged or rejected, exactly once.
public struct DiffTotals: Sendable, Equatable {
    public var read: Int
    public var changed: Int
    public var unchanged: Int
    /// Rows rejected under at least one version of a rule set, as `evaluate` counts them.
    public var rejected: Int

    /// The totals of a finished batch.
    public init(_ summary: BatchSummary) {
        read = summary.rowsRead
        rejected = summary.rowsRejected
        changed = summary.diff?.changedRows ?? 0
        unchanged = read - rejected - changed
    }
}

/// The diff's words around the names, in Danish and English.
struct DiffReportWords {
    let danish: Bool
    init(_ language: Language) { danish = language == .danish }
    var row: String { danish ? "række" : "row" }
    var changedFirms: String { danish ? "Ændrede resultater" : "Changed results" }
    /// The heading over the rows listed: the rows rejected are listed with them (`rejected →
    /// rejected`, with the reason), and the heading says so rather than call them changes.
    func listed(rejected: Int) -> String {
        guard rejected > 0 else { return changedFirms }
        return danish ? "Ændrede resultater og afviste rækker" : "Changed results and rejected rows"
    }
    var transitions: String { danish ? "gammelt → nyt" : "old → new" }
    var firms: String { danish ? "virksomheder" : "firms" }
    var changedMark: String { danish ? "ændret" : "changed" }
    var onlyOld: String { danish ? "Kun i de gamle regler (ikke sammenlignet)" : "Only in the old rules (not compared)" }
    var onlyNew: String { danish ? "Kun i de nye regler (ikke sammenlignet)" : "Only in the new rules (not compared)" }
    var asOf: String { danish ? "vurderet pr." : "as of" }
    var none: String { danish ? "Ingen resultater ændret." : "No result changed." }
    var title: String { danish ? "Regelændringens virkning" : "Effect of the rule change" }
    var old: String { danish ? "gammelt" : "old" }
    var new: String { danish ? "nyt" : "new" }
    var explanation: String { danish ? "Forklaring" : "Explanation" }
    var name: String { danish ? "Navn" : "Name" }
    var ruleSet: String { danish ? "Regelsæt" : "Rule set" }
    func totals(_ totals: DiffTotals) -> String {
        danish
            ? "Læst \(totals.read): ændret \(totals.changed), uændret \(totals.unchanged), afvist \(totals.rejected)"
            : "Read \(totals.read): changed \(totals.changed), unchanged \(totals.unchanged), rejected \(totals.rejected)"
    }
}

/// Puts a diff's output together around the changed firms the batch wrote: what comes before
/// them (for text and HTML, the transition tables; for JSON, the opening) and after them.
public enum DiffReport {
    /// The schema name of the JSON form.
    public static let schema = "soe-diff/1"

    /// The whole output of a finished diff, for the formats that put the table first (text,
    /// HTML): `changes` are the changed firms' lines as the batch wrote them.
    public static func document(format: DiffFormat, changes: [UInt8], summary: BatchSummary, context: DiffContext) -> [UInt8] {
        switch format {
        case .text: return text(changes: changes, summary: summary, context: context)
        case .html: return Array(DiffHTML.page(changes: changes, summary: summary, context: context).utf8)
        case .json:
            return jsonOpening(context) + dropLeadingComma(changes)
                + jsonClosing(summary: summary, context: context, hadChanges: !changes.isEmpty)
        case .csv: return changes
        }
    }

    /// The JSON form up to its first change.
    public static func jsonOpening(_ context: DiffContext) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes += "{\n  \"schema\": ".utf8
        JSONOutput.appendQuoted(schema, to: &bytes)
        bytes += ",\n  \"old_rules\": ".utf8
        JSONOutput.appendQuoted(context.oldRules, to: &bytes)
        bytes += ",\n  \"new_rules\": ".utf8
        JSONOutput.appendQuoted(context.newRules, to: &bytes)
        bytes += ",\n  \"source\": ".utf8
        JSONOutput.appendQuoted(context.source, to: &bytes)
        bytes += ",\n  \"as_of\": ".utf8
        if let day = context.asOf { JSONOutput.appendQuoted("\(day)", to: &bytes) } else { bytes += "null".utf8 }
        bytes += ",\n  \"changes\": [".utf8
        return bytes
    }

    /// The changes as the batch wrote them, each after a comma: the first comma goes.
    static func dropLeadingComma(_ bytes: [UInt8]) -> [UInt8] {
        bytes.first == UInt8(ascii: ",") ? Array(bytes.dropFirst()) : bytes
    }

    /// The JSON form after its last change: the transition tables and the totals.
    public static func jsonClosing(summary: BatchSummary, context: DiffContext, hadChanges: Bool) -> [UInt8] {
        let tables = summary.diff?.tables ?? []
        let ruleSets: [JSONOutput] = tables.enumerated().map { index, table in
            var cells: [JSONOutput] = []
            for old in table.oldStates.indices {
                for new in table.newStates.indices where table.count(old: old, new: new) > 0 {
                    cells.append(
                        .object([
                            ("old", .string(table.oldStates[old])), ("new", .string(table.newStates[new])),
                            ("count", .number(String(table.count(old: old, new: new)))),
                            ("changed", .bool(table.isChange(old: old, new: new))),
                        ]))
                }
            }
            let hashes = index < context.hashes.count ? context.hashes[index] : (old: "", new: "")
            return .object([
                ("name", .string(table.name)), ("old_sha256", .string(hashes.old)), ("new_sha256", .string(hashes.new)),
                ("transitions", .array(cells)),
            ])
        }
        let totals = DiffTotals(summary)
        let closing: [(String, JSONOutput)] = [
            ("rule_sets", .array(ruleSets)),
            ("only_old", .array(context.onlyOld.map(JSONOutput.string))),
            ("only_new", .array(context.onlyNew.map(JSONOutput.string))),
            (
                "totals",
                .object([
                    ("read", .number(String(totals.read))), ("changed", .number(String(totals.changed))),
                    ("unchanged", .number(String(totals.unchanged))), ("rejected", .number(String(totals.rejected))),
                ])
            ),
        ]
        var bytes: [UInt8] = Array(hadChanges ? "\n  ],\n".utf8 : "],\n".utf8)
        for (index, (key, value)) in closing.enumerated() {
            bytes += "  ".utf8
            JSONOutput.appendQuoted(key, to: &bytes)
            bytes += ": ".utf8
            value.write(into: &bytes, pretty: false)
            bytes += (index == closing.count - 1 ? "\n" : ",\n").utf8
        }
        bytes += "}\n".utf8
        return bytes
    }

    /// The text form: the heading, each rule set's transitions, the totals, then the changed firms.
    static func text(changes: [UInt8], summary: BatchSummary, context: DiffContext) -> [UInt8] {
        let words = DiffReportWords(context.language)
        var lines: [String] = []
        var heading = "soe diff: \(context.oldRules) → \(context.newRules) · \(context.source)"
        if let day = context.asOf { heading += " · \(words.asOf) \(day)" }
        lines.append(DisplayText.line(heading))
        for table in summary.diff?.tables ?? [] {
            lines.append("")
            lines.append(table.name)
            var rows: [(String, Int, Bool)] = []
            for old in table.oldStates.indices {
                for new in table.newStates.indices where table.count(old: old, new: new) > 0 {
                    rows.append(
                        (
                            "\(table.oldStates[old]) → \(table.newStates[new])", table.count(old: old, new: new),
                            table.isChange(old: old, new: new)
                        ))
                }
            }
            let width = max(words.transitions.count, rows.map(\.0.count).max() ?? 0)
            let numbers = max(words.firms.count, rows.map { String($0.1).count }.max() ?? 0)
            lines.append(
                "  " + words.transitions.padded(width) + "  " + String(repeating: " ", count: numbers - words.firms.count) + words.firms)
            for (label, count, changed) in rows {
                let number = String(count)
                let line = "  " + label.padded(width) + "  " + String(repeating: " ", count: numbers - number.count) + number
                lines.append(changed ? line + "  " + words.changedMark : line)
            }
        }
        if !context.onlyOld.isEmpty { lines += ["", "\(words.onlyOld): \(context.onlyOld.joined(separator: ", "))"] }
        if !context.onlyNew.isEmpty { lines += ["", "\(words.onlyNew): \(context.onlyNew.joined(separator: ", "))"] }
        lines += ["", words.totals(DiffTotals(summary))]
        lines += ["", changes.isEmpty ? words.none : words.listed(rejected: DiffTotals(summary).rejected) + ":"]
        return Array((lines.joined(separator: "\n") + "\n").utf8) + changes
    }
}

extension String {
    /// Pads with spaces to a width in characters.
    fileprivate func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
