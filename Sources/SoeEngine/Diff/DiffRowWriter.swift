import SoeLanguage

/// Writes one changed firm in a diff's output format, into the batch's output buffer. Only the
/// changed firms are written, as they come; the transition table and the totals are written by
/// `DiffReport` once the batch is done.
struct DiffRowWriter {
    let format: DiffFormat
    let separator: UInt8
    let language: Language
    /// Per rule set pair: the state names, how many new states there are, the new state of the
    /// same name as each old one, and whether the two versions are the same files (one
    /// evaluation then stands for both). Kept here, apart from the counts, so that counting a row
    /// writes into the counts without copying them.
    let oldStates: [[String]]
    let newStates: [[String]]
    let newWidths: [Int]
    let same: [[Int]]
    let identical: [Bool]
    /// Each pair's name: the rule set's, or `OLD=NEW` for two rule sets paired by `--ruleset OLD=NEW`.
    let names: [String]

    init(format: DiffFormat, separator: UInt8, language: Language, tables: [DiffTally.Table]) {
        (self.format, self.separator, self.language) = (format, separator, language)
        oldStates = tables.map(\.oldStates)
        newStates = tables.map(\.newStates)
        newWidths = tables.map(\.newStates.count)
        same = tables.map(\.same)
        identical = tables.map(\.identical)
        names = tables.map(\.name)
    }

    /// The CSV columns of a diff, one row per changed firm and rule set.
    static let columns = ["row", "id", "name", "ruleset", "old", "new", "kind", "explanation", "old_value", "new_value"]

    /// What comes before the first change inside the batch's output: the CSV header row.
    func header(into bytes: inout [UInt8]) {
        guard format == .csv else { return }
        appendCSV(DiffRowWriter.columns, into: &bytes)
    }

    func change(
        row: BatchRow, ruleSet: String, old: String, new: String, explanation: DiffExplanation, into bytes: inout [UInt8]
    ) {
        let id = row.id ?? row.cvr ?? ""
        let name = row.name ?? ""
        switch format {
        case .csv:
            appendCSV(
                [
                    String(row.number), id, name, ruleSet, old, new, explanation.kind.rawValue, explanation.text,
                    explanation.oldValue, explanation.newValue,
                ], into: &bytes)
        case .json:
            // Each change starts with a comma; `DiffReport` drops the first one.
            var members: [(String, JSONOutput)] = [
                ("row", .number(String(row.number))), ("id", id.isEmpty ? .null : .string(id)),
                ("name", name.isEmpty ? .null : .string(name)), ("ruleset", .string(ruleSet)), ("old", .string(old)),
                ("new", .string(new)),
            ]
            var difference: [(String, JSONOutput)] = [
                ("kind", .string(explanation.kind.rawValue)), ("name", .string(explanation.name)),
                ("old", .string(explanation.oldValue)), ("new", .string(explanation.newValue)),
            ]
            difference.append(("outcome", explanation.outcome.map(JSONOutput.string) ?? .null))
            difference.append(("criterion", explanation.criterion.map(JSONOutput.string) ?? .null))
            difference.append(("effect", .string(explanation.effect)))
            difference.append(("text", .string(explanation.text)))
            members.append(("difference", .object(difference)))
            bytes.append(contentsOf: ",\n    ".utf8)
            JSONOutput.object(members).write(into: &bytes, pretty: false)
        case .text:
            let words = DiffReportWords(language)
            var head = "\(words.row) \(row.number)"
            if !id.isEmpty { head += " · \(DisplayText.line(id))" }
            if !name.isEmpty { head += " · \(DisplayText.line(name))" }
            bytes.append(contentsOf: "\(head) · \(ruleSet): \(old) → \(new)\n    \(DisplayText.line(explanation.text))\n".utf8)
        case .html:
            let cells: [Markup] = [
                .tag("td", "num", .text(String(row.number))), .tag("td", nil, .text(id)), .tag("td", nil, .text(name)),
                .tag("td", nil, .text(ruleSet)),
                .tag("td", nil, .element("span", [("class", "badge s-\(old)")], [.text(old)])),
                .tag("td", nil, .element("span", [("class", "badge s-\(new)")], [.text(new)])),
                .tag("td", nil, .text(explanation.text)),
            ]
            bytes.append(contentsOf: Markup.element("tr", [], cells).html.utf8)
        }
    }

    private func appendCSV(_ fields: [String], into bytes: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(separator) }
            // A cell that a spreadsheet would run as a formula gets a leading apostrophe, as in
            // the batch's results (CSV injection).
            if index > 0, let first = field.utf8.first, BatchResultWriter.startsFormula(first) {
                BatchResultWriter.appendCSV("'" + field, separator: separator, to: &bytes, quoted: true)
            } else {
                BatchResultWriter.appendCSV(field, separator: separator, to: &bytes)
            }
        }
        bytes.append(0x0A)
    }
}
