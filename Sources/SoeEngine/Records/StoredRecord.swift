import SoeLanguage

/// A decision record as read back from a file: its members, the seal it claims and the seal its
/// content actually has, and the facts verification needs (which rule files, which input).
public struct StoredRecord: Sendable {
    /// Its position in the file: 0 for a file with one record, else the index in the array.
    public var index: Int
    /// The members without the seal, in the order the file has them.
    public var members: [(String, JSONOutput)]
    /// The `record_sha256` the record carries, if any.
    public var claimedSeal: String?
    /// The SHA-256 of the record's canonical serialization.
    public var computedSeal: String
    /// The rule set's name, from the record's trace.
    public var ruleSetName: String
    /// The rule files the decision was made with (`trace.rule_set.files`), base first.
    public var ruleFiles: [(path: String, sha256: String)]
    /// The input file (`trace.input.source`) and the SHA-256 of its bytes.
    public var inputSource: String
    public var inputSHA256: String
    /// The engine version that decided.
    public var engineVersion: String

    /// The `--percent` reading the record was made with (`percent_reading`), if it holds one.
    public var percentReading: PercentReading? {
        members.first { $0.0 == DecisionRecord.percentReadingKey }?.1.stringValue.flatMap(PercentReading.init(rawValue:))
    }

    /// Whether the seal matches the content.
    public var isIntact: Bool { claimedSeal == computedSeal }

    /// The whole record without its seal, as re-evaluation can reproduce it: without the decision
    /// date, which is the caseworker's data (sealed, so an edit breaks the seal) and no rule or
    /// input gives it.
    public var body: JSONOutput { .object(members.filter { !DecisionRecord.caseworkerKeys.contains($0.0) }) }

    /// The decision date the record holds, if any (`--decision-date`).
    public var decisionDate: String? { members.first { $0.0 == DecisionRecord.decisionDateKey }?.1.stringValue }

    /// The case number the record holds, if any (`--case-number`).
    public var caseNumber: String? { members.first { $0.0 == DecisionRecord.caseNumberKey }?.1.stringValue }

    /// The decision in one phrase: the outcome's name, `undetermined` or `not_in_force`.
    public var decisionSummary: String { DecisionRecord.summary(of: body) }
}

/// Why a record file could not be read as records: the message and where, for `file:line:col`.
public struct RecordReadError: Error, Sendable, Equatable {
    public var message: String
    public var line: Int
    public var column: Int
    public init(message: String, line: Int = 1, column: Int = 1) {
        self.message = message
        self.line = line
        self.column = column
    }
}

extension DecisionRecord {
    /// Reads a file holding one record or an array of records. Every record must have the schema
    /// `soe-record/1` and the fields verification relies on; a duplicate key anywhere makes the
    /// file malformed, because readers disagree about which of two values counts.
    public static func read(_ bytes: [UInt8]) -> Result<[StoredRecord], RecordReadError> {
        let node: JSONNode
        if let utf16 = utf16Problem(bytes) { return .failure(RecordReadError(message: utf16, line: 1, column: 1)) }
        // A byte-order mark (a record saved again by Notepad) is read as white space.
        let parsing = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? [0x20, 0x20, 0x20] + bytes.dropFirst(3) : bytes
        switch JSONReader.parse(parsing) {
        case .failure(let failure):
            let (line, column) = lineAndColumn(of: failure.offset, in: bytes)
            return .failure(RecordReadError(message: "not valid JSON: \(failure.message)", line: line, column: column))
        case .success(let parsed): node = parsed
        }
        if let duplicate = firstDuplicateKey(node) {
            let (line, column) = lineAndColumn(of: duplicate.keyRange.lowerBound, in: bytes)
            return .failure(RecordReadError(message: "the key '\(duplicate.key)' appears twice in one object", line: line, column: column))
        }
        let nodes: [JSONNode]
        if case .array(let elements) = node.value {
            guard !elements.isEmpty else { return .failure(RecordReadError(message: "the file holds an empty list, not a record")) }
            nodes = elements
        } else {
            nodes = [node]
        }
        var records: [StoredRecord] = []
        records.reserveCapacity(nodes.count)
        for (index, element) in nodes.enumerated() {
            switch record(JSONOutput(element), index: index) {
            case .failure(let message):
                // Placed only on failure: placing every element from the start of the file would
                // make reading an array of n records cost n² (issue: verify of 2,000 records, 27 s).
                let (line, column) = lineAndColumn(of: element.range.lowerBound, in: bytes)
                let which = nodes.count == 1 ? "" : "record \(index + 1): "
                return .failure(RecordReadError(message: which + message.message, line: line, column: column))
            case .success(let record): records.append(record)
            }
        }
        return .success(records)
    }

    /// `knownSeal` is the seal of the members when the caller has just computed it (a record the
    /// engine made), which saves serializing and hashing them again.
    static func record(_ value: JSONOutput, index: Int, knownSeal: String? = nil) -> Result<StoredRecord, RecordReadError> {
        guard case .object(let all) = value else {
            return .failure(RecordReadError(message: "a record is a JSON object with \"schema\": \"\(schema)\""))
        }
        guard value.member("schema")?.stringValue == schema else {
            let found = value.member("schema")?.stringValue.map { "'\($0)'" } ?? "no schema"
            return .failure(RecordReadError(message: "not a decision record: expected the schema '\(schema)', found \(found)"))
        }
        let members = all.filter { $0.0 != sealKey }
        let body = JSONOutput.object(members)
        guard let name = body.at("trace", "rule_set", "name")?.stringValue,
            case .array(let fileList)? = body.at("trace", "rule_set", "files"),
            let source = body.at("trace", "input", "source")?.stringValue,
            let inputHash = body.at("trace", "input", "sha256")?.stringValue,
            let engine = body.at("engine", "version")?.stringValue
        else {
            return .failure(RecordReadError(message: "the record lacks trace.rule_set, trace.input or engine; it cannot be verified"))
        }
        if let reading = body.member(percentReadingKey), PercentReading(rawValue: reading.stringValue ?? "") == nil {
            return .failure(
                RecordReadError(message: "percent_reading is neither \"fraction\" nor \"points\"; the record cannot be verified"))
        }
        var files: [(path: String, sha256: String)] = []
        for file in fileList {
            guard let path = file.member("path")?.stringValue, let hash = file.member("sha256")?.stringValue else {
                return .failure(RecordReadError(message: "trace.rule_set.files holds an entry without path and sha256"))
            }
            files.append((path, hash))
        }
        return .success(
            StoredRecord(
                index: index, members: members, claimedSeal: value.member(sealKey)?.stringValue, computedSeal: knownSeal ?? seal(members),
                ruleSetName: name, ruleFiles: files, inputSource: source, inputSHA256: inputHash, engineVersion: engine))
    }

    /// The first object member, anywhere in the tree, whose key repeats an earlier key of the same object.
    static func firstDuplicateKey(_ node: JSONNode) -> JSONMember? {
        switch node.value {
        case .array(let elements):
            for element in elements { if let found = firstDuplicateKey(element) { return found } }
        case .object(let members):
            // Most objects of a record have a handful of members: compared pairwise, without
            // allocating a set for each (a tenth of the time of reading an array of records).
            if members.count <= 12 {
                for (index, member) in members.enumerated() {
                    if members[..<index].contains(where: { $0.key == member.key }) { return member }
                    if let found = firstDuplicateKey(member.value) { return found }
                }
                return nil
            }
            var seen: Set<String> = []
            for member in members {
                if !seen.insert(member.key).inserted { return member }
                if let found = firstDuplicateKey(member.value) { return found }
            }
        default: break
        }
        return nil
    }

    /// The decision of a record (or of a record's body) in one phrase: the outcome's name for a
    /// determined decision, else its status (`undetermined`, `not_in_force`).
    public static func summary(of record: JSONOutput) -> String {
        let status = record.at("decision", "status")?.stringValue ?? "?"
        if status == "determined", let outcome = record.at("decision", "outcome")?.stringValue { return outcome }
        return status
    }
}
