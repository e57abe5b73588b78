/// What an auditor does next about a record that does not verify: one piece of advice per kind of
/// finding, said once after all the records a run checked (a batch's thousands share four).
public enum RecordAdvice: Int, Sendable, CaseIterable, Comparable {
    /// The record itself was changed: its seal, or its content with or without a new seal.
    case recordEdited
    /// The rule files differ from those the decision was made under.
    case rules
    /// The firm data differs from what was decided on.
    case input
    /// Another version of soe made the record and decides or explains otherwise.
    case engine

    public static func < (a: RecordAdvice, b: RecordAdvice) -> Bool { a.rawValue < b.rawValue }

    /// The advice in words, for the text report.
    public var text: String {
        switch self {
        case .recordEdited:
            "the record was changed: verify the archive's own copy of it (its record_sha256 should be the one the case file holds); "
                + "a record that cannot be restored cannot be relied on, and the decision must be made again"
        case .rules:
            "the rule files differ: verify against the rule files as they were when the decision was made (the archive or version "
                + "control; the recorded sha256 names each); a decision under today's rules is a new decision, with a record of its own"
        case .input:
            "the firm data differs: verify against the data as it was filed (the recorded sha256 names it; for a batch, the batch "
                + "file with no row added, removed or moved)"
        case .engine:
            "another version of soe made the record: verify it with that version (soe --version says which this is); "
                + "the difference is the engine's, not the record's"
        }
    }

    /// The text report's closing lines for these kinds; none when there are none.
    public static func lines(_ kinds: Set<RecordAdvice>) -> [String] {
        guard !kinds.isEmpty else { return [] }
        return ["what to do:"] + kinds.sorted().map { "  - " + $0.text }
    }
}

extension RecordCheck {
    /// The advice this check calls for: none when it verified or could not be made.
    public var advice: Set<RecordAdvice> {
        var kinds = Set<RecordAdvice>()
        for finding in findings {
            switch finding {
            case .recordEdited: kinds.insert(.recordEdited)
            case .ruleFileChanged, .ruleFileMissing, .ruleFileAdded, .ruleSetGone: kinds.insert(.rules)
            // A batch record whose own members name two rows was edited, whatever the batch holds.
            case .inputChanged: kinds.insert(rowContradicted == nil ? .input : .recordEdited)
            case .rowRejected, .rowMissing: kinds.insert(.input)
            case .decisionChanged, .explanationChanged:
                kinds.insert(record.engineVersion == currentEngine ? .recordEdited : .engine)
            }
        }
        return kinds
    }
}
