import SoeLanguage

/// One firm's data as read from a file: who it is, the fiscal year, and its raw fields by name.
///
/// Reading is in two steps so that one file can be evaluated under several rule sets: the file is
/// parsed once into a `Firm`, then `bind(to:)` reads the fields each rule set declares.
public struct Firm: Sendable {
    /// Where the data came from ("samples/kaffekollektivet.json", "<stdin>", "firms.csv row 17").
    public var source: String
    /// SHA-256 of the bytes the firm was read from (the file, the JSON line or the CSV row).
    public var sha256: String
    public var name: String?
    public var cvr: String?
    public var fiscalYear: Int?
    /// The fiscal year's closing date: the rules and parameter values in force on this day apply.
    public var closingDay: Day
    /// The raw fields by name, with where each one is.
    public var fields: [String: Field]
    /// Fields that no rule set in use declares, reported but not fatal.
    public var warnings: [DataError] = []

    /// A raw field and its place in the file.
    public struct Field: Sendable {
        public var cell: Cell
        /// A JSON pointer (`/market_sales`) or a CSV column name.
        public var pointer: String
        /// 1-based line and column in the file, when known.
        public var line: Int
        public var column: Int
    }

    /// Keys that describe the firm rather than feed a rule.
    public static let metadataKeys: Set<String> = ["name", "cvr", "fiscal_year", "fiscal_year_end"]

    public init(
        source: String, sha256: String, name: String?, cvr: String?, fiscalYear: Int?, closingDay: Day,
        fields: [String: Field]
    ) {
        self.source = source
        self.sha256 = sha256
        self.name = name
        self.cvr = cvr
        self.fiscalYear = fiscalYear
        self.closingDay = closingDay
        self.fields = fields
    }

    /// Reads the fields a rule set declares. Every field that cannot be read is reported, not just the first.
    /// `percent` says how a percent written without `%` is meant (`--percent`).
    public func bind(to ruleSet: RuleSet, style: NumberStyle = .point, percent: PercentReading? = nil) -> Result<BoundInputs, DataErrors> {
        let (bound, errors) = Firm.bind(fields: fields, to: ruleSet, style: style, percent: percent)
        return errors.isEmpty ? .success(bound) : .failure(DataErrors(source: source, errors: errors))
    }

    /// Reads raw fields as the inputs of a rule set; every field that cannot be read is reported.
    static func bind(
        fields: [String: Field], to ruleSet: RuleSet, style: NumberStyle, percent: PercentReading? = nil
    ) -> (BoundInputs, [DataError]) {
        var values: [Scalar?] = Array(repeating: nil, count: ruleSet.inputs.count)
        var sources: [Field?] = Array(repeating: nil, count: ruleSet.inputs.count)
        var errors: [DataError] = []
        for (index, input) in ruleSet.inputs.enumerated() {
            guard let field = fields[input.name] else { continue }
            sources[index] = field
            // A JSON text such as "3.600" has no dialect to say whether its point is a decimal point.
            if case .text(let text) = field.cell, input.type.isNumeric, let readings = DecimalMark.ambiguous(text) {
                let failure = DecimalMark.jsonTextError(text, readings, unit: input.type == .percent ? " %" : "")
                errors.append(
                    DataError(field: input.name, message: failure.message, danish: failure.danish, line: field.line, column: field.column))
                continue
            }
            switch CellReader.read(field.cell, as: input, choices: ruleSet.choiceSets, style: style, percent: percent) {
            case .success(let value): values[index] = value
            case .failure(let failure):
                errors.append(
                    DataError(field: input.name, message: failure.message, danish: failure.danish, line: field.line, column: field.column))
            }
        }
        // In the order of the file, as an editor lists them, not in the order the rules declare the inputs.
        return (BoundInputs(values: values, sources: sources), errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }
}

/// A firm's inputs for one rule set, by input index, with where each came from.
public struct BoundInputs: Sendable {
    public var values: [Scalar?]
    public var sources: [Firm.Field?]
}

/// One thing wrong with firm data: the field, why, and where.
public struct DataError: Error, Sendable, Equatable, BilingualMessage {
    /// The field name, or empty for a problem with the whole document.
    public var field: String
    /// The reason in English.
    public var message: String
    /// The reason in Danish, for `--lang da`.
    public var danish: String?
    public var line: Int
    public var column: Int
    public init(field: String, message: String, danish: String? = nil, line: Int, column: Int) {
        self.field = field
        self.message = message
        self.danish = danish
        self.line = line
        self.column = column
    }
}

/// Everything wrong with one firm's data, reported at once.
public struct DataErrors: Error, Sendable {
    public var source: String
    public var errors: [DataError]
    public init(source: String, errors: [DataError]) {
        self.source = source
        self.errors = errors
    }
}
