import SoeLanguage

/// Reads a firm from a JSON document: one object whose keys are the declared input names plus
/// `name`, `cvr`, `fiscal_year` and optionally `fiscal_year_end`. Keys starting with `_` are
/// comments and ignored. A key that no rule set in use declares is an error when it is close to a
/// declared name (a typo must not turn into "missing data"), and otherwise a warning: one firm file
/// may carry the data of several rule sets.
public enum FirmReader {
    /// Reads a JSON firm. `knownInputs` is the union of input names of the rule sets in use.
    public static func readJSON(_ bytes: [UInt8], source: String, knownInputs: Set<String>) -> Result<Firm, DataErrors> {
        let node: JSONNode
        switch parse(bytes, source: source) {
        case .failure(let errors): return .failure(errors)
        case .success(let parsed): node = parsed
        }
        return readObject(node, in: bytes, source: source, sha256: SHA256.hex(bytes), knownInputs: knownInputs)
    }

    /// Reads a firm and binds it to every rule set in use, reporting every problem at once: the
    /// keys, the metadata and each field's value under each rule set that declares it.
    /// `otherInputs`: the inputs of rule sets loaded but not in use (`--ruleset` chose others), by
    /// name, with a rule set that declares each: such a field is named as that rule set's, not as a
    /// typo or a stray field.
    public static func read(
        _ bytes: [UInt8], source: String, ruleSets: [RuleSet],
        style: NumberStyle = .point, percent: PercentReading? = nil, otherInputs: [String: String] = [:]
    ) -> Result<(firm: Firm, inputs: [BoundInputs]), DataErrors> {
        let knownInputs = Set(ruleSets.flatMap { $0.inputs.map(\.name) })
        let node: JSONNode
        switch parse(bytes, source: source) {
        case .failure(let errors): return .failure(errors)
        case .success(let parsed): node = parsed
        }
        let parts = readParts(
            node, in: bytes, source: source, sha256: SHA256.hex(bytes), knownInputs: knownInputs, lineOffset: 0, otherInputs: otherInputs)
        var errors = parts.errors
        var inputs: [BoundInputs] = []
        for ruleSet in ruleSets {
            let (bound, found) = Firm.bind(fields: parts.fields, to: ruleSet, style: style, percent: percent)
            inputs.append(bound)
            // A field two rule sets declare alike fails alike: report it once.
            for error in found where !errors.contains(error) { errors.append(error) }
        }
        guard errors.isEmpty, let firm = parts.firm else {
            return .failure(DataErrors(source: source, errors: errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }))
        }
        return .success((firm, inputs))
    }

    /// The JSON value of a firm file, or the one error that says what the file is instead: a
    /// compressed file, UTF-16 or Windows-1252 text, CSV, JSON Lines (see `InputSniffer`), or not
    /// valid JSON and where.
    static func parse(_ bytes: [UInt8], source: String) -> Result<JSONNode, DataErrors> {
        func failed(_ message: String, _ danish: String, line: Int = 1, column: Int = 1) -> Result<JSONNode, DataErrors> {
            .failure(
                DataErrors(source: source, errors: [DataError(field: "", message: message, danish: danish, line: line, column: column)]))
        }
        if let finding = InputSniffer.container(bytes, what: "JSON") ?? InputSniffer.notUTF8(bytes) {
            return failed(finding.message, finding.danish)
        }
        // A byte-order mark, as Windows' Notepad saves UTF-8, is read as white space: the offsets
        // the value's members keep are then those of the file, mark included.
        let parsing = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? [0x20, 0x20, 0x20] + bytes.dropFirst(3) : bytes
        switch JSONReader.parse(parsing) {
        case .failure(let failure):
            if let finding = InputSniffer.afterJSONFailure(parsing, message: failure.message) {
                return failed(finding.message, finding.danish)
            }
            let (line, column) = lineAndColumn(of: failure.offset, in: bytes)
            return failed("not valid JSON: \(failure.message)", "ikke gyldig JSON: \(failure.message)", line: line, column: column)
        case .success(let parsed): return .success(parsed)
        }
    }

    /// Reads a firm from an already parsed JSON value (also used for JSON Lines).
    public static func readObject(
        _ node: JSONNode, in bytes: [UInt8], source: String, sha256: String,
        knownInputs: Set<String>, lineOffset: Int = 0
    ) -> Result<Firm, DataErrors> {
        let parts = readParts(node, in: bytes, source: source, sha256: sha256, knownInputs: knownInputs, lineOffset: lineOffset)
        guard parts.errors.isEmpty, let firm = parts.firm else { return .failure(DataErrors(source: source, errors: parts.errors)) }
        return .success(firm)
    }

    /// What an object holds: the firm (nil when its metadata is unusable), its raw fields, and
    /// every problem with its keys and metadata.
    static func readParts(
        _ node: JSONNode, in bytes: [UInt8], source: String, sha256: String,
        knownInputs: Set<String>, lineOffset: Int, otherInputs: [String: String] = [:]
    ) -> (firm: Firm?, fields: [String: Firm.Field], errors: [DataError]) {
        // Members come in file order, so each is placed from the one before: linear, not quadratic.
        var cursor = LineColumnCursor(bytes)
        func place(_ offset: Int) -> (Int, Int) {
            let (line, column) = cursor.place(offset)
            return (line + lineOffset, column)
        }
        guard case .object(let members) = node.value else {
            let (line, column) = place(node.range.lowerBound)
            return (
                nil, [:],
                [
                    DataError(
                        field: "", message: "a firm is a JSON object { \"name\": …, \"fiscal_year\": …, … }",
                        danish: "en virksomhed er et JSON-objekt { \"name\": …, \"fiscal_year\": …, … }", line: line, column: column)
                ]
            )
        }
        // A record or a trace soe wrote is not firm data, though it has a name and a fiscal year.
        for member in members where member.key == "schema" {
            if case .string(let schema) = member.value.value, let finding = InputSniffer.ownDocument(schema: schema) {
                let (line, column) = place(member.keyRange.lowerBound)
                return (nil, [:], [DataError(field: "", message: finding.message, danish: finding.danish, line: line, column: column)])
            }
        }
        var errors: [DataError] = []
        var fields: [String: Firm.Field] = [:]
        var name: String?
        var cvr: String?
        var fiscalYear: Int?
        var closing: Day?
        var seenKeys: Set<String> = []
        var warnings: [DataError] = []
        for member in members {
            let (line, column) = place(member.keyRange.lowerBound)
            func fail(_ message: String, _ danish: String) {
                errors.append(DataError(field: member.key, message: message, danish: danish, line: line, column: column))
            }
            if !seenKeys.insert(member.key).inserted {
                fail(
                    "the field appears more than once; which value is meant cannot be known",
                    "feltet står der mere end én gang; det kan ikke afgøres, hvilken værdi der menes")
                continue
            }
            if member.key.hasPrefix("_") { continue }
            switch member.key {
            case "name":
                switch member.value.value {
                case .string(let text) where text.utf8.contains(0):
                    fail(
                        "the name holds a NUL character (\\u0000), which no name has (a damaged file?)",
                        "navnet indeholder et NUL-tegn (\\u0000), som intet navn har (en beskadiget fil?)")
                case .string(let text): name = text
                case .null: break
                default: fail("the firm's name is text in quotes", "virksomhedens navn er tekst i anførselstegn")
                }
            case "cvr":
                let text: String?
                switch member.value.value {
                case .string(let value): text = value
                case .number(let value): text = value
                case .null: text = nil
                default:
                    text = nil
                    fail("a CVR number is eight digits, as text or a number", "et CVR-nummer er otte cifre, som tekst eller tal")
                }
                if let text {
                    switch CVR.validate(text) {
                    case .success(let valid): cvr = valid
                    case .failure(let failure): fail(failure.message, failure.danish ?? failure.message)
                    }
                }
            case "fiscal_year":
                if case .number(let lexeme) = member.value.value, let year = Int(lexeme), (1900...9999).contains(year) {
                    fiscalYear = year
                } else if case .string(let text) = member.value.value, let year = Int(text), (1900...9999).contains(year) {
                    fiscalYear = year
                } else {
                    let found: String
                    switch member.value.value {
                    case .string(let text), .number(let text): found = text
                    default: found = ""
                    }
                    fail(
                        "the fiscal year is a year such as 2024, found \"\(DisplayText.value(found))\"" + FiscalYearHint.english(found),
                        "regnskabsåret er et år, fx 2024, fandt \"\(DisplayText.value(found))\"" + FiscalYearHint.danish(found))
                }
            case "fiscal_year_end":
                if case .string(let text) = member.value.value, let day = CellForms.day(text) {
                    closing = day
                } else {
                    let found: String
                    switch member.value.value {
                    case .string(let text), .number(let text): found = text
                    default: found = ""
                    }
                    let hint = ClosingDateHint.hint(found)
                    fail(
                        "fiscal_year_end is the closing date of the fiscal year, \"YYYY-MM-DD\", found \"\(DisplayText.value(found))\""
                            + (hint.map { ": \($0.english)" } ?? ""),
                        "fiscal_year_end er regnskabsårets slutdato, \"ÅÅÅÅ-MM-DD\", fandt \"\(DisplayText.value(found))\""
                            + (hint.map { ": \($0.danish)" } ?? ""))
                }
            default:
                guard knownInputs.contains(member.key) else {
                    // A name close to a declared input is almost surely a typo: an error, so that it
                    // cannot turn into missing data. Any other name is data for other rule sets: a warning.
                    if let owner = otherInputs[member.key] {
                        warnings.append(
                            DataError(
                                field: member.key, message: "not used by the rule sets in use (it is an input of \(owner))",
                                danish: "bruges ikke af regelsættene i brug (det er en oplysning til \(owner))", line: line,
                                column: column))
                    } else if let suggestion = closestWord(to: member.key, in: knownInputs) {
                        fail(
                            "no rule set in use declares an input '\(DisplayText.value(member.key))'; did you mean '\(suggestion)'?",
                            "intet regelsæt i brug har oplysningen '\(DisplayText.value(member.key))'; mente du '\(suggestion)'?")
                    } else {
                        warnings.append(
                            DataError(
                                field: member.key, message: "not used by the rule sets in use (fields starting with '_' are comments)",
                                danish: "bruges ikke af regelsættene (felter, der begynder med '_', er kommentarer)",
                                line: line, column: column))
                    }
                    continue
                }
                let cell: Cell
                switch member.value.value {
                case .null: cell = .null
                case .bool(let value): cell = .bool(value)
                case .number(let lexeme): cell = .number(lexeme)
                case .string(let text): cell = .text(text)
                case .array, .object:
                    fail("an input is a single value, not a list or an object", "en oplysning er én værdi, ikke en liste eller et objekt")
                    continue
                }
                fields[member.key] = Firm.Field(cell: cell, pointer: "/" + member.key, line: line, column: column)
            }
        }
        if let year = fiscalYear, let day = closing, day.year != year && day.year != year + 1 {
            let (line, column) = place(node.range.lowerBound)
            errors.append(
                DataError(
                    field: "fiscal_year_end", message: "fiscal_year_end \(day) does not close fiscal year \(year)",
                    danish: "fiscal_year_end \(day) afslutter ikke regnskabsåret \(year)",
                    line: line, column: column))
        }
        let closingDay = closing ?? fiscalYear.flatMap { Day(year: $0, month: 12, day: 31) }
        if closingDay == nil && errors.allSatisfy({ $0.field != "fiscal_year" && $0.field != "fiscal_year_end" }) {
            let (line, column) = place(node.range.lowerBound)
            errors.append(
                DataError(
                    field: "fiscal_year", message: "the fiscal year is missing; the rules in force depend on it",
                    danish: "regnskabsåret mangler; de gældende regler afhænger af det",
                    line: line, column: column))
        }
        guard let closingDay else { return (nil, fields, errors) }
        var firm = Firm(
            source: source, sha256: sha256, name: name, cvr: cvr, fiscalYear: fiscalYear ?? closingDay.year,
            closingDay: closingDay, fields: fields)
        firm.warnings = warnings
        return (firm, fields, errors)
    }
}
