import SoeLanguage

/// The result of verifying one decision record against archived rule files and input: what was
/// found, in the order an auditor should read it, and whether the record stands.
public struct RecordCheck: Sendable {
    /// One way in which the record, the rules and the input no longer agree. Each kind has its own
    /// message, so an auditor can tell an edited record from changed rules, changed data or a
    /// changed engine.
    public enum Finding: Sendable, Equatable {
        /// The seal does not match the record's content: the record was edited after it was made.
        /// `differences` are the fields that differ from the re-evaluation (empty when the rules or
        /// the input changed too, since the edit can then not be told apart from their effect).
        case recordEdited(claimed: String?, computed: String, differences: [JSONDifference])
        /// A rule file's bytes differ from those the decision was made with.
        case ruleFileChanged(recorded: String, given: String, recordedSHA256: String, currentSHA256: String)
        /// A rule file the decision was made with is not among the rules given.
        case ruleFileMissing(recorded: String, recordedSHA256: String)
        /// The rule set now reads a file the decision was not made with (a new `builds on`).
        case ruleFileAdded(path: String, sha256: String)
        /// No rule set of the recorded name is declared in the rules given.
        case ruleSetGone(name: String)
        /// The input's bytes differ from those the decision was made with.
        case inputChanged(recorded: String, given: String, recordedSHA256: String, currentSHA256: String)
        /// Same rules, same input, intact seal, but re-evaluating decides otherwise.
        case decisionChanged(recorded: String, current: String, differences: [JSONDifference])
        /// Same rules, same input, intact seal, same decision, but the explanation differs.
        case explanationChanged(differences: [JSONDifference])
        /// The batch row the record was made from is now rejected (`reason`), so it has no decision.
        case rowRejected(place: String, reason: String)
        /// The batch input has no row of the record's number (or the record names another batch file).
        case rowMissing(place: String)

        /// The stable name of the kind of finding, which starts its message.
        public var kind: String {
            switch self {
            case .recordEdited: "record edited"
            case .ruleFileChanged: "rule file changed"
            case .ruleFileMissing: "rule file missing"
            case .ruleFileAdded: "rule file added"
            case .ruleSetGone: "rule set gone"
            case .inputChanged: "input changed"
            case .decisionChanged: "decision changed"
            case .explanationChanged: "explanation changed"
            case .rowRejected: "row rejected"
            case .rowMissing: "row missing"
            }
        }
    }

    /// Why re-evaluation could not be done: the rules do not check, or the input cannot be read.
    public enum Failure: Sendable {
        case rules([Diagnostic])
        case data(DataErrors)
    }

    /// The record that was checked.
    public var record: StoredRecord
    public var findings: [Finding]
    public var failure: Failure?
    /// The decision the archived rules and input give today (nil when re-evaluation failed).
    public var currentDecision: String?
    /// The engine that re-evaluated.
    public var currentEngine: String
    /// When the rule files or the input changed: what that did to the record, in the parameters
    /// in force, the inputs' values and the decision (`/parameters/…`, `/trace/inputs/…`,
    /// `/decision/…`), so that an auditor sees the effect of the change and not only that there was one.
    public var effects: [JSONDifference] = []
    /// For a record without an analysis (its trace is `soe-trace/1`): what the analysis says
    /// today, in one sentence (the nearest change that overturns the decision, that no single
    /// change does, or the outcome the declared limits of the missing data decide); nil for a
    /// record with one, or when re-evaluation failed.
    public var analysisToday: String?
    /// The rule files and the input as given, for the "verified" message.
    public var rulesGiven: [(path: String, sha256: String)]
    public var inputGiven: (path: String, sha256: String)

    /// Whether the record stands: intact, and reproduced exactly by the rules and the input.
    public var isVerified: Bool { findings.isEmpty && failure == nil }

    /// The most differences listed under one finding; the rest are counted.
    static let shownDifferences = 8

    /// The report for people: a first line that says `verified` or `NOT VERIFIED`, then one
    /// indented line per finding, beginning with its kind.
    public func report(recordPath: String) -> [String] {
        let which = label ?? (record.index == 0 && !multiple ? recordPath : "\(recordPath) (record \(record.index + 1))")
        guard isVerified else {
            var lines: [String] = []
            let count = findings.count
            let head = count == 0 ? "could not re-evaluate" : "\(count) finding\(count == 1 ? "" : "s")"
            lines.append("NOT VERIFIED: \(which): \(head)")
            for finding in findings { lines += describe(finding).map { "  " + $0 } }
            if let current = currentDecision, findings.contains(where: isChangeOfSources) {
                let recorded = record.decisionSummary
                lines.append(
                    recorded == current
                        ? "  the decision is unchanged: \(current)"
                        : "  the decision is no longer the same: recorded \(recorded), re-evaluation gives \(current)")
                if !effects.isEmpty {
                    lines.append("  what the change does to the record:")
                    lines += differenceLines(effects)
                } else if findings.contains(where: { if case .ruleFileChanged = $0 { true } else { false } }) {
                    // As the input's note says for other bytes with the same values.
                    lines.append(
                        "  (nothing the record holds differs but the files' hashes: the change lies outside what this decision reads, as a comment does)"
                    )
                }
            }
            return lines
        }
        let body = record.body
        var who = body.at("firm", "name")?.stringValue ?? record.inputSource
        if let cvr = body.at("firm", "cvr")?.stringValue { who += " (CVR \(cvr))" }
        if brief { return ["verified: \(which): \(record.ruleSetName): \(record.decisionSummary), \(who)"] }
        let year = body.member("fiscal_year").map(JSONDifference.compact) ?? "?"
        let version = body.at("rules", "version")?.stringValue.map { " \($0)" } ?? ""
        let ruleSetHash = body.at("rules", "sha256")?.stringValue ?? "?"
        var lines = ["verified: \(which): the rules and the input give the same decision and the same record"]
        lines.append("  decision: \(record.decisionSummary), \(who), fiscal year \(year)")
        lines.append("  rule set: \(record.ruleSetName)\(version), sha256 \(ruleSetHash)")
        for file in rulesGiven { lines.append("  rule file: \(file.path), sha256 \(file.sha256)") }
        lines.append("  input: \(inputGiven.path), sha256 \(inputGiven.sha256)")
        lines.append("  engine: soe \(record.engineVersion); record_sha256 \(record.computedSeal)")
        lines += caseworkerLines
        if let analysisToday { lines += RecordCheck.noAnalysisLines(today: analysisToday, engine: currentEngine) }
        return lines
    }

    /// The note under a verified record that holds no analysis. Records made before the engine
    /// wrote one have none, and one whose analysis was removed and its seal recomputed reads the
    /// same, so the record cannot say which it is: the note says both, and what the analysis
    /// gives today, for the auditor to weigh.
    static func noAnalysisLines(today: String, engine: String) -> [String] {
        [
            "  note: the record holds no analysis (its trace is soe-trace/1), as records made before the engine wrote one;",
            "    soe \(engine) writes one into every record of a single firm, so if this record was made since, its analysis was removed",
            "    and its seal recomputed. The analysis today: \(today)",
        ]
    }

    /// The caseworker's members of the record (`decision_date`, `case_number`), as the record holds
    /// them, with what they rest on: no rule or input gives them, so re-evaluation cannot check them,
    /// and whoever edits one and recomputes the seal gets a record that verifies. The auditor
    /// compares them, and `record_sha256`, with the case file. None for a record without them.
    var caseworkerLines: [String] {
        let held = caseworkerMembers.map { "\($0.words) \(DisplayText.value($0.value))" }
        guard !held.isEmpty else { return [] }
        return [
            "  as the caseworker recorded them: \(held.joined(separator: ", "))",
            "    (no rule or input gives these, so re-evaluation cannot check them: only the seal covers them, and whoever",
            "    edits one can recompute the seal; compare them and record_sha256 with the case file)",
        ]
    }

    /// The caseworker's members the record holds, in its order: the key, what a person calls it,
    /// and the value.
    var caseworkerMembers: [(key: String, words: String, value: String)] {
        [
            record.decisionDate.map { (DecisionRecord.decisionDateKey, "decision date", $0) },
            record.caseNumber.map { (DecisionRecord.caseNumberKey, "case number", $0) },
        ].compactMap { $0 }
    }

    /// Set when the record came from a file with several records, so that each is numbered.
    public var multiple = false
    /// How the report names the record instead of the file and its number: for a batch record,
    /// `records.jsonl line 12 (firms.csv row 5, id S004)`.
    public var label: String?
    /// Whether a verified record takes one line instead of the full list of what was compared,
    /// as in a batch of thousands.
    public var brief = false

    func isChangeOfSources(_ finding: Finding) -> Bool {
        switch finding {
        case .ruleFileChanged, .ruleFileMissing, .ruleFileAdded, .inputChanged: true
        default: false
        }
    }

    func describe(_ finding: Finding) -> [String] {
        let kind = finding.kind + ": "
        switch finding {
        case .recordEdited(let claimed, let computed, let differences):
            let said = claimed.map { "its record_sha256 is \($0)" } ?? "it has no record_sha256"
            var lines = [kind + "\(said), but its content hashes to \(computed)"]
            if differences.isEmpty {
                let unchecked = caseworkerMembers.map { "\($0.key) \(DisplayText.value($0.value))" }
                // The caseworker's members are left out of the comparison: an edit of one shows no
                // difference, so the seal is not the only thing that may have changed.
                let why =
                    findings.contains(where: isChangeOfSources)
                    ? "the rules or the input changed too, so the edited fields cannot be told apart"
                    : unchecked.isEmpty
                        ? "its content matches the re-evaluation; only the seal was changed"
                        : "its content matches the re-evaluation, so either the seal was changed or a member no rule or input gives,"
                            + " which re-evaluation cannot check: as the record now reads, \(unchecked.joined(separator: ", "))"
                if currentDecision != nil { lines.append("  (\(why))") }
            } else {
                lines.append("  fields that differ from the re-evaluation:")
                lines += differenceLines(differences)
            }
            return lines
        case .ruleFileChanged(let recorded, let given, let was, let now):
            let place = given == recorded ? "" : " (given as \(given))"
            return [kind + "\(recorded)\(place): recorded sha256 \(was), now \(now)"]
        case .ruleFileMissing(let recorded, let was):
            return [kind + "\(recorded) (sha256 \(was)) is not among the rules given"]
        case .ruleFileAdded(let path, let hash):
            // A file renamed in the archive: the one missing has the same content.
            let renamed = findings.compactMap { finding -> String? in
                guard case .ruleFileMissing(let recorded, let was) = finding, was == hash else { return nil }
                return recorded
            }.first
            let same = renamed.map { "; it has the same content as \($0), which is missing: renamed?" } ?? ""
            return [kind + "the rule set now also reads \(path) (sha256 \(hash)), which the decision did not use\(same)"]
        case .ruleSetGone(let name):
            return [kind + "no rule set named \(name) is declared in the rules given"]
        case .inputChanged(let recorded, let given, let was, let now):
            let place = given == recorded ? "" : " (given as \(given))"
            var lines = [kind + "\(recorded)\(place): recorded sha256 \(was), now \(now)"]
            if given != recorded, let batch = BatchPlace(record.body.member("batch")) {
                if let read = rowContradicted {
                    // A record soe made names one row in both members: the batch member was edited.
                    lines.append(
                        "  (the record contradicts itself: its batch member names row \(batch.row), but its input was read from row \(read) (input.source \(record.inputSource)): the record was edited after it was made)"
                    )
                } else {
                    lines.append("  (the row holds another firm than the one recorded: were rows deleted, added or moved in the batch?)")
                }
            }
            // Other bytes, the same values (`4200000.0` for `4200000.00`, other spacing): said.
            let valued = ["/trace/inputs/", "/firm/", "/fiscal_year", "/closing_date"]
            if currentDecision != nil, !effects.contains(where: { effect in valued.contains { effect.path.hasPrefix($0) } }) {
                lines.append("  (no input value the rules read differs: only the file's bytes changed)")
            }
            return lines
        case .decisionChanged(let recorded, let current, let differences):
            let engines =
                record.engineVersion == currentEngine
                ? "the engine has the same version (\(currentEngine)), so the record was probably edited and its seal recomputed"
                : "recorded by soe \(record.engineVersion), re-evaluated by soe \(currentEngine): the engine's behaviour changed"
            let head =
                current == recorded
                ? "the rule files and the input are unchanged, and re-evaluation gives the same result (\(current)), but the record's account of it differs"
                : "the rule files and the input are unchanged, but re-evaluation gives \(current) where the record says \(recorded)"
            return [kind + head, "  (\(engines))"] + differenceLines(differences)
        case .rowRejected(let place, let reason):
            return [kind + "\(place) is now rejected, so it has no decision: \(reason)"]
        case .rowMissing(let place):
            return [kind + "the batch input has no \(place)"]
        case .explanationChanged(let differences):
            let engines =
                record.engineVersion == currentEngine
                ? "the engine has the same version (\(currentEngine)), so the record was probably edited and its seal recomputed"
                : "recorded by soe \(record.engineVersion), re-evaluated by soe \(currentEngine): the engine's explanation changed"
            // The record's summary of its sources (`input`, `rules`) edited, not the files: the
            // files are as its trace recorded them, but the record no longer says which they were.
            let sources = differences.filter {
                $0.path.hasPrefix("/input/") || $0.path.hasPrefix("/rules/") || $0.path == "/input" || $0.path == "/rules"
            }
            if !sources.isEmpty {
                return [
                    kind
                        + "the record's own account of its rules or input differs from its trace and from the files given "
                        + "(the files are those its trace names, but the record says otherwise)",
                    "  (\(engines))",
                ] + differenceLines(differences)
            }
            return [
                kind + "same rule files, same input, same decision, but the record differs from the re-evaluation",
                "  (\(engines))",
            ] + differenceLines(differences)
        }
    }

    /// The differences by name, each change once: a value's exact and displayed forms, and a
    /// parameter in the record's summary and in its trace, are one line.
    func differenceLines(_ differences: [JSONDifference]) -> [String] {
        var seen: Set<String> = []
        let named = differences.map(\.namedLine).filter { seen.insert($0).inserted }
        var lines = named.prefix(RecordCheck.shownDifferences).map { "    " + $0 }
        if named.count > RecordCheck.shownDifferences {
            lines.append("    … and \(named.count - RecordCheck.shownDifferences) more")
        }
        return lines
    }
}

extension RecordCheck {
    /// The row a batch record's input was read from, where its batch member names another row: a
    /// record soe made names one row in both, so the record was edited. Nil for a record of one
    /// firm, or one whose input source has another form.
    var rowContradicted: Int? {
        guard let batch = BatchPlace(record.body.member("batch")), let read = Self.rowRead(record.inputSource, batch: batch),
            read != batch.row
        else { return nil }
        return read
    }

    /// The row a batch record's input was read from, by its `input.source` (`firms.csv row 4`,
    /// `firms.jsonl line 4`, as the batch writes it for its own `batch.source`); nil for any other
    /// form, of which nothing is said.
    static func rowRead(_ inputSource: String, batch: BatchPlace) -> Int? {
        for word in [" row ", " line "] where inputSource.hasPrefix(batch.source + word) {
            let number = inputSource.dropFirst(batch.source.count + word.count)
            if !number.isEmpty, number.allSatisfy(\.isASCII), number.allSatisfy(\.isNumber) { return Int(number) }
        }
        return nil
    }
}
