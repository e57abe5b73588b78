import SoeLanguage

// `soe template`: the caseworker's starting point, an empty sheet whose header row names the
// columns a batch reads and whose second row says in words what each holds. The same second row
// is what the batch reader recognises and skips in a filled-in template saved as CSV
// (`isDescriptionRow`), so the two must be made here, by one function.

/// The empty sheet for the inputs of some rule sets: a header row of column names (the firm's
/// `id`, `name`, `cvr` and `fiscal_year`, then each input once, in the rule sets' order) and a row
/// of descriptions with units, in one language.
public struct SheetTemplate: Sendable {
    /// One column of the template.
    public struct Column: Sendable {
        public var name: String
        public var description: String
        /// The style of the cells typed into it (xlsx).
        public var style: SheetStyle?
        /// What the cells may hold (xlsx data validation), nil when anything goes.
        public var rule: SheetValidation.Rule?
    }

    public let columns: [Column]
    public let language: Language
    /// The rows (1-based) data validation covers in xlsx: under the two heading rows, for a thousand firms.
    public static let dataRows = 3...1002
    /// The firm fields the template has, in order.
    static let fields = ["id", "name", "cvr", "fiscal_year"]

    /// The template for the rule sets' inputs, in `language`.
    public init(ruleSets: [RuleSet], language: Language) {
        self.language = language
        var columns = SheetTemplate.fields.map { field in
            Column(
                name: field, description: SheetTemplate.description(ofField: field, language) ?? field,
                style: nil, rule: field == "fiscal_year" ? .whole(minimum: "1900", maximum: "2200") : nil)
        }
        var seen = Set(SheetTemplate.fields)
        for ruleSet in ruleSets {
            for input in ruleSet.inputs where seen.insert(input.name).inserted {
                columns.append(
                    Column(
                        name: input.name, description: SheetTemplate.description(of: input, in: ruleSet, language),
                        style: SheetTemplate.style(input.type), rule: SheetTemplate.rule(input, ruleSet, language)))
            }
        }
        self.columns = columns
    }

    /// The words of a firm field's description, nil for any other name.
    static func description(ofField field: String, _ language: Language) -> String? {
        let danish = language == .danish
        switch field {
        case "id": return danish ? "Jeres eget id for rækken (valgfrit)" : "Your own id for the row (optional)"
        case "name": return danish ? "Virksomhedens navn" : "The firm's name"
        case "cvr": return danish ? "CVR-nummer (8 cifre)" : "CVR number (8 digits)"
        case "fiscal_year": return danish ? "Regnskabsår (fx 2024)" : "Fiscal year (such as 2024)"
        default: return nil
        }
    }

    /// An input's description with its unit: `Omsætning (kr.)`, `Revideret (ja/nej)`.
    public static func description(of input: InputDefinition, in ruleSet: RuleSet? = nil, _ language: Language) -> String {
        let danish = language == .danish
        let unit: String
        switch input.type {
        case .money: unit = danish ? "kr." : "DKK"
        case .count: unit = danish ? "antal" : "count"
        case .number: unit = danish ? "tal" : "number"
        case .percent: unit = "%"
        case .bool: unit = danish ? "ja/nej" : "yes/no"
        case .date: unit = danish ? "ÅÅÅÅ-MM-DD" : "YYYY-MM-DD"
        case .text: unit = danish ? "tekst" : "text"
        case .choice(let set):
            let choices = ruleSet.flatMap { set < $0.choiceSets.count ? $0.choiceSets[set] : nil } ?? []
            unit = (danish ? "en af: " : "one of: ") + choices.joined(separator: ", ")
        }
        return "\(input.description?.text(language) ?? input.name) (\(unit))"
    }

    private static func style(_ type: ValueType) -> SheetStyle? {
        switch type {
        case .money: .money
        case .percent: .percent
        case .date: .date
        case .count: .integer
        default: nil
        }
    }

    private static func rule(_ input: InputDefinition, _ ruleSet: RuleSet, _ language: Language) -> SheetValidation.Rule? {
        let minimum = input.minimum.map { $0.exactText() }
        let maximum = input.maximum.map { $0.exactText() }
        switch input.type {
        case .bool: return .list(language == .danish ? ["ja", "nej"] : ["yes", "no"])
        case .choice(let set):
            let choices = set < ruleSet.choiceSets.count ? ruleSet.choiceSets[set] : []
            // A list formula holds at most 255 characters; a longer list is left unchecked.
            return choices.joined(separator: ",").count <= 255 ? .list(choices) : nil
        case .count: return .whole(minimum: minimum ?? "0", maximum: maximum)
        case .money, .number, .percent:
            guard minimum != nil || maximum != nil, [minimum, maximum].allSatisfy({ $0.map(XLSXWriter.isDecimal) ?? true }) else {
                return nil
            }
            return .decimal(minimum: minimum, maximum: maximum)
        case .date, .text: return nil
        }
    }

    /// The template as CSV: `;` in Danish (as Excel and LibreOffice with Danish settings write it),
    /// `,` in English, after a UTF-8 byte-order mark, so that a spreadsheet shows æ, ø and å.
    public func csv() -> [UInt8] {
        let separator = language == .danish ? UInt8(ascii: ";") : UInt8(ascii: ",")
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        for row in [columns.map(\.name), columns.map(\.description)] {
            for (index, cell) in row.enumerated() {
                if index > 0 { bytes.append(separator) }
                BatchResultWriter.appendCSV(cell, separator: separator, to: &bytes)
            }
            bytes += "\r\n".utf8
        }
        return bytes
    }

    /// The template as an .xlsx package, written to `target`: the two heading rows frozen, each
    /// column styled for its type, and data validation on `dataRows`.
    public func xlsx(to target: BatchSink) -> ToolError? {
        var sheet = XLSXWriter.sheetStart(
            widths: columns.map { max($0.name.count, min($0.description.count, 40)) + 2 }, styles: columns.map(\.style),
            frozenRows: 2)
        XLSXWriter.appendRow(columns.map { .text($0.name) }, style: .header, to: &sheet)
        XLSXWriter.appendRow(columns.map { .text($0.description) }, style: .note, to: &sheet)
        let danish = language == .danish
        let validations = columns.enumerated().compactMap { index, column in
            column.rule.map { rule in
                SheetValidation(
                    column: index, rows: SheetTemplate.dataRows, rule: rule,
                    error: danish
                        ? "Værdien passer ikke til kolonnen: \(column.description)"
                        : "The value does not fit the column: \(column.description)")
            }
        }
        sheet += XLSXWriter.sheetEnd(validations: validations)
        var zip = ZipWriter(to: target)
        for (name, text) in XLSXWriter.parts(sheetName: danish ? "Skabelon" : "Template") {
            if let error = zip.add(name, Array(text.utf8)) { return error }
        }
        return zip.add(XLSXWriter.sheetPart, sheet) ?? zip.finish()
    }

    /// Whether a batch CSV's second row is a template's description row, to be skipped: each cell
    /// under an input or a firm field holds that column's description (`description(of:)`) in Danish or
    /// English, exactly (spaces around it aside), and every other cell is blank; at least one cell
    /// is a description. Anything else is data, read as such.
    static func isDescriptionRow(_ fields: [String], columns: [String], ruleSets: [RuleSet]) -> Bool {
        guard fields.count == columns.count else { return false }
        var described = false
        for (name, cell) in zip(columns, fields) {
            let text = cell.trimmingSpaces()
            var expected: Set<String> = []
            for language in Language.allCases {
                if let field = description(ofField: name, language) { expected.insert(field) }
                for ruleSet in ruleSets {
                    for input in ruleSet.inputs where input.name == name {
                        expected.insert(description(of: input, in: ruleSet, language))
                    }
                }
            }
            if expected.isEmpty {
                guard text.isEmpty else { return false }
            } else if expected.contains(text) {
                described = true
            } else {
                return false
            }
        }
        return described
    }
}
