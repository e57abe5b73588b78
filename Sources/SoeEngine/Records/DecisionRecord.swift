import SoeLanguage

// Decision records: what an auditor archives beside the case file, years before anyone asks.
//
// A record is the `soe-trace/1` document of one decision wrapped with a short summary (the
// outcome, the rule files and their hashes, the input's hash, the fiscal year, the parameter
// values in force, the engine version) and sealed with `record_sha256`.
//
// # The seal
//
// `record_sha256` is the SHA-256 of the record's *canonical serialization*: every member except
// `record_sha256` itself, in the order the record has them, written as compact JSON by
// `JSONOutput` (no whitespace, the one escaping rule of `JSONOutput.appendQuoted`, numbers as
// written). A record re-indented by an editor therefore keeps its seal, while any change of
// content breaks it. The seal is not a signature: whoever edits a record can recompute it. That
// is why `soe verify` does not stop at the seal but re-evaluates the archived rules and input and
// compares the whole record with the result, field by field; an edit with a recomputed seal then
// shows up as a decision that the rules and the input no longer give.
//
// # Determinism
//
// A record holds no clock time and no host name (a `decision_date` is the caseworker's data): the same rules and input give a byte-identical
// record, which is what lets verification compare instead of interpret.

/// Builds decision records (schema `soe-record/1`, documented in docs/formats.md) from traces.
public enum DecisionRecord {
    /// The version of the record format. A change that removes, renames or changes the meaning of
    /// a field makes a new version.
    public static let schema = "soe-record/1"
    /// The name of the member that seals the record; always the last one.
    public static let sealKey = "record_sha256"
    /// The name of the member that holds the decision date, when one was given.
    public static let decisionDateKey = "decision_date"
    /// The case number (`--case-number`), after the decision date: the caseworker's data too.
    public static let caseNumberKey = "case_number"
    /// The members no rule or input gives, which re-evaluation leaves out and takes from the record.
    public static let caseworkerKeys = [decisionDateKey, caseNumberKey]

    /// Puts the caseworker's members (`caseworkerKeys`, in that order) into a record's members,
    /// each where `body` writes it: after the closing date, in that order.
    static func insertCaseworkerMembers(_ given: [(String, JSONOutput)], into members: inout [(String, JSONOutput)]) {
        var at = (members.firstIndex { $0.0 == "closing_date" } ?? members.count - 2) + 1
        for key in caseworkerKeys {
            guard let value = given.first(where: { $0.0 == key })?.1 else { continue }
            members.insert((key, value), at: at)
            at += 1
        }
    }
    /// The name of the member that holds the `--percent` reading the input was read with, when one was given.
    public static let percentReadingKey = "percent_reading"

    /// The records of several decisions as a document: one object for one decision, an array for
    /// several, pretty-printed with a final newline.
    public static func render(_ traces: [Trace]) -> String {
        let records = traces.map { document($0) }
        let top: JSONOutput = records.count == 1 ? records[0] : .array(records)
        return top.serialized(pretty: true) + "\n"
    }

    /// The sealed record of one decision; `batch` says which row of a batch it was made from.
    public static func document(_ trace: Trace, batch: BatchPlace? = nil) -> JSONOutput {
        sealed(body(trace, batch: batch))
    }

    /// The record's members without the seal, in their fixed order. A record made from a row of a
    /// batch has a `batch` member after `input` (the batch file, the row, its line and its id);
    /// a record of one firm file has none, so its bytes are what they always were.
    public static func body(_ trace: Trace, batch: BatchPlace? = nil) -> [(String, JSONOutput)] {
        let traceDocument = JSONTraceRenderer.document(trace)
        let result = traceDocument.member("result") ?? .null
        let decision: [(String, JSONOutput)] = ["status", "outcome", "label", "missing", "possible_outcomes"].map { key in
            (key, result.member(key) ?? .null)
        }
        let formatter = ValueFormatter(language: .english, choiceSets: trace.choiceSets)
        let ruleSet = trace.ruleSet
        let rules: [(String, JSONOutput)] = [
            ("name", .string(ruleSet.name)),
            ("version", ruleSet.version.map(JSONOutput.string) ?? .null),
            ("sha256", .string(ruleSet.sha256)),
            ("files", .array(ruleSet.files.map { .object([("path", .string($0.path)), ("sha256", .string($0.sha256))]) })),
        ]
        let firm = trace.firm
        var members: [(String, JSONOutput)] = [
            ("schema", .string(schema)),
            ("engine", .object([("name", .string("soe")), ("version", .string(trace.engineVersion))])),
            ("decision", .object(decision)),
            (
                "firm",
                .object([
                    ("name", firm.name.map(JSONOutput.string) ?? .null),
                    ("cvr", firm.cvr.map(JSONOutput.string) ?? .null),
                ])
            ),
            ("fiscal_year", firm.fiscalYear.map { .number(String($0)) } ?? .null),
            ("closing_date", .string(firm.closingDay.description)),
            ("rules", .object(rules)),
            ("input", .object([("source", .string(firm.source)), ("sha256", .string(firm.sha256))])),
            ("parameters", .array(trace.parameters.map { parameter($0, formatter) })),
            ("trace", traceDocument),
        ]
        // The decision date is data the caseworker gave (`--decision-date`), not a clock reading:
        // sealed with the rest, and present only when given, so a record without it is the same
        // bytes as before and still verifies.
        var caseworker: [(String, JSONOutput)] = []
        if let date = trace.decisionDate { caseworker.append((decisionDateKey, .string(date.description))) }
        if let number = trace.caseNumber { caseworker.append((caseNumberKey, .string(number))) }
        insertCaseworkerMembers(caseworker, into: &members)
        // A batch record names its row (source, row, line, id) just after the input it came from.
        if let batch {
            let at = (members.firstIndex { $0.0 == "input" } ?? members.count - 3) + 1
            members.insert(("batch", batch.json), at: at)
        }
        // How the input's percents were read belongs with the input; present only when
        // `--percent` was given, so a record made without it is the same bytes as before.
        if let reading = trace.percentReading {
            let at = (members.firstIndex { $0.0 == "batch" } ?? members.firstIndex { $0.0 == "input" } ?? members.count - 3) + 1
            members.insert((percentReadingKey, .string(reading.rawValue)), at: at)
        }
        return members
    }

    /// One parameter as it was in force: its value, its basis and citation, and its period.
    static func parameter(_ step: Trace.ParameterStep, _ formatter: ValueFormatter) -> JSONOutput {
        .object([
            ("name", .string(step.name)),
            ("value", step.value.map { JSONTraceRenderer.scalar($0, step.type, formatter) } ?? .null),
            ("basis", step.basis.map { .string($0.rawValue) } ?? .null),
            ("citation", JSONTraceRenderer.text(step.citation)),
            ("from", JSONTraceRenderer.day(step.from)),
            ("until", JSONTraceRenderer.day(step.until)),
        ])
    }

    /// The bytes the seal is computed over: the members as compact JSON.
    public static func canonicalBytes(_ members: [(String, JSONOutput)]) -> [UInt8] {
        var bytes: [UInt8] = []
        JSONOutput.object(members).write(into: &bytes, pretty: false)
        return bytes
    }

    /// The seal of a record's members (without the seal itself), as lowercase hex.
    public static func seal(_ members: [(String, JSONOutput)]) -> String {
        SHA256.hex(canonicalBytes(members))
    }

    /// The sealed record and its compact serialization, one line of a batch's record file, with
    /// the members serialized once: the line is the canonical bytes with the seal member put
    /// before the closing brace, which is what serializing the sealed record would give.
    public static func sealedLine(_ members: [(String, JSONOutput)]) -> (record: JSONOutput, line: [UInt8]) {
        var line = canonicalBytes(members)
        let seal = SHA256.hex(line)
        line.removeLast()
        line.append(contentsOf: ",\"\(sealKey)\":\"\(seal)\"}".utf8)
        return (.object(members + [(sealKey, .string(seal))]), line)
    }

    /// The members followed by their seal.
    public static func sealed(_ members: [(String, JSONOutput)]) -> JSONOutput {
        .object(members + [(sealKey, .string(seal(members)))])
    }
}

extension JSONOutput {
    /// The value of an object's member, or nil when this is not an object or has no such member.
    public func member(_ key: String) -> JSONOutput? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The text of a string value.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value at a path of member names.
    public func at(_ path: String...) -> JSONOutput? {
        var current: JSONOutput? = self
        for key in path { current = current?.member(key) }
        return current
    }

    /// The value as it was read, converted without loss: numbers keep their lexeme, members their order.
    public init(_ node: JSONNode) {
        switch node.value {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let lexeme): self = .number(lexeme)
        case .string(let text): self = .string(text)
        case .array(let elements): self = .array(elements.map(JSONOutput.init))
        case .object(let members): self = .object(members.map { ($0.key, JSONOutput($0.value)) })
        }
    }
}

/// Where in a batch a record's firm came from: what an auditor needs to find the row again.
public struct BatchPlace: Sendable, Equatable {
    /// The batch file's name as given (`firms.csv`).
    public var source: String
    /// The row number as the batch reports it (the CSV record number, the header being row 1, or
    /// the JSON Lines line number).
    public var row: Int
    /// The physical line where the row starts.
    public var line: Int
    /// The row's `id` cell, when the batch has one.
    public var id: String?

    public init(source: String, row: Int, line: Int, id: String?) {
        self.source = source
        self.row = row
        self.line = line
        self.id = id
    }

    /// The `batch` member of a record.
    var json: JSONOutput {
        .object([
            ("source", .string(source)), ("row", .number(String(row))), ("line", .number(String(line))),
            ("id", id.map(JSONOutput.string) ?? .null),
        ])
    }

    /// Reads the `batch` member of a record; nil when it is absent or not in this form.
    public init?(_ value: JSONOutput?) {
        guard let value, let source = value.member("source")?.stringValue,
            case .number(let row)? = value.member("row"), let rowNumber = Int(row),
            case .number(let line)? = value.member("line"), let lineNumber = Int(line)
        else { return nil }
        self.init(source: source, row: rowNumber, line: lineNumber, id: value.member("id")?.stringValue)
    }

    /// `firms.csv row 5 (id S004)`, as verification names a row.
    public var description: String {
        "\(source) row \(row)" + (id.map { ", id \($0)" } ?? "")
    }

    /// The same in a message's language: `firms.csv række 5, id S004` inside a Danish sentence.
    public func description(in language: Language) -> String {
        language == .danish ? "\(source) række \(row)" + (id.map { ", id \($0)" } ?? "") : description
    }
}
