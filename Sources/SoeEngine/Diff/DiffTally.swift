import SoeLanguage

/// How a diff writes the firms whose result changed.
public enum DiffFormat: String, Sendable, CaseIterable {
    case text, csv, json, html
}

/// What makes a batch a diff (`BatchOptions.diff`): the batch's rule sets are the old versions
/// followed by the new, `pairs` of each, matched by name; each row is evaluated under both
/// versions of every pair, counted in a transition table, and written only when its result changed.
public struct DiffSetup: Sendable {
    /// How many rule sets each side has: rule set `k` is the old version of rule set `pairs + k`.
    public var pairs: Int
    /// How each changed firm is written.
    public var format: DiffFormat

    /// Makes a setup.
    public init(pairs: Int, format: DiffFormat) {
        self.pairs = pairs
        self.format = format
    }
}

/// The counts of a diff: per rule set, old result × new result; and the rows whose result changed.
/// Kept in `BatchSummary.diff`, so that a parallel batch adds its workers' counts as it adds the rest.
public struct DiffTally: Sendable, Equatable {
    /// One rule set's transition table.
    public struct Table: Sendable, Equatable {
        /// The rule set's name.
        public let name: String
        /// The old version's outcomes, then `undetermined`, `not_in_force` and `rejected`.
        public let oldStates: [String]
        /// The same for the new version.
        public let newStates: [String]
        /// `counts[old * newStates.count + new]`: the rows that went from one state to the other.
        public internal(set) var counts: [Int]
        /// For each old state, the new state of the same name; -1 when the new version has none.
        let same: [Int]
        /// Whether both versions are built from the same files (the same SHA-256): their results
        /// cannot differ, and the diff evaluates the row once for both.
        let identical: Bool

        init(old: RuleSet, new: RuleSet) {
            name = RuleSetPairing.pairName(old: old, new: new)
            identical = old.sha256 == new.sha256 && old.outcomes.map(\.name) == new.outcomes.map(\.name)
            let statuses = [BatchStatus.undetermined, .notInForce, .rejected].map(\.rawValue)
            oldStates = old.outcomes.map(\.name) + statuses
            newStates = new.outcomes.map(\.name) + statuses
            counts = Array(repeating: 0, count: oldStates.count * newStates.count)
            let newStates = self.newStates
            same = oldStates.map { state in newStates.firstIndex(of: state) ?? -1 }
        }

        /// The rows that went from `old` to `new`.
        public func count(old: Int, new: Int) -> Int { counts[old * newStates.count + new] }

        /// Whether going from the old state to the new one is a change.
        public func isChange(old: Int, new: Int) -> Bool { same[old] != new }

        /// The state of a result: its outcome's index, or the index of its status after the outcomes.
        static func state(_ status: BatchStatus, outcome: Int?, outcomes: Int) -> Int {
            switch status {
            case .determined: outcome ?? outcomes
            case .undetermined: outcomes
            case .notInForce: outcomes + 1
            case .rejected: outcomes + 2
            }
        }
    }

    public internal(set) var tables: [Table]
    /// Rows evaluated under both versions whose result changed under at least one rule set.
    public internal(set) var changedRows = 0

    init(old: [RuleSet], new: [RuleSet]) {
        tables = zip(old, new).map { Table(old: $0, new: $1) }
    }

    /// Adds a worker's counts to these and sets the worker's to zero.
    mutating func take(_ other: inout DiffTally) {
        changedRows += other.changedRows
        other.changedRows = 0
        for index in tables.indices where index < other.tables.count {
            for cell in tables[index].counts.indices {
                tables[index].counts[cell] += other.tables[index].counts[cell]
                other.tables[index].counts[cell] = 0
            }
        }
    }
}

extension BatchSession {
    /// Evaluates one row under the old and the new version of every rule set pair, counts the
    /// transitions, and writes the row's changes (`DiffRowWriter`). Rule set `k` is the old version
    /// of rule set `pairs + k`; both are counted in the summary as a batch counts them, so the
    /// summary stays balanced and a rejected row is accounted for as `evaluate` accounts for it.
    mutating func evaluateDiff(_ row: inout BatchRow, setup: DiffSetup) {
        summary.rowsRead += 1
        var rejected = false
        var changed = false
        guard let layout = diffWriter else { return }
        for pair in 0..<setup.pairs {
            let (oldIndex, newIndex) = (pair, pair + setup.pairs)
            let before = evaluateSide(&row, oldIndex)
            let oldState = DiffTally.Table.state(
                before.status, outcome: before.decision?.outcome, outcomes: ruleSets[oldIndex].outcomes.count)
            if layout.identical[pair] {
                // The same files on both sides: the new result is the old one, counted under both.
                summary.count(before.status, outcome: before.decision?.outcome, ruleSet: newIndex)
                let newState = layout.same[pair][oldState]
                summary.diff?.tables[pair].counts[oldState * layout.newWidths[pair] + newState] += 1
                if before.decision == nil {
                    rejected = true
                    let explanation = DiffExplainer(old: evaluators[oldIndex], new: evaluators[oldIndex], language: options.language)
                        .explain(nil, nil, oldRejection: before.rejection, newRejection: before.rejection)
                    layout.change(
                        row: row, ruleSet: layout.names[pair], old: layout.oldStates[pair][oldState],
                        new: layout.newStates[pair][newState], explanation: explanation, into: &writer.bytes)
                }
                continue
            }
            let after = evaluateSide(&row, newIndex)
            if before.decision == nil || after.decision == nil { rejected = true }
            let newState = DiffTally.Table.state(
                after.status, outcome: after.decision?.outcome, outcomes: ruleSets[newIndex].outcomes.count)
            summary.diff?.tables[pair].counts[oldState * layout.newWidths[pair] + newState] += 1
            let isChange = layout.same[pair][oldState] != newState
            // A row rejected under both versions is no change, but it is written with its reason,
            // as `evaluate` writes a rejected result, so that no row goes unaccounted for.
            guard isChange || (before.decision == nil && after.decision == nil) else { continue }
            if isChange { changed = true }
            if before.decision != nil { evaluators[oldIndex].settleEverything() }
            if after.decision != nil { evaluators[newIndex].settleEverything() }
            let explanation = DiffExplainer(old: evaluators[oldIndex], new: evaluators[newIndex], language: options.language)
                .explain(before.decision, after.decision, oldRejection: before.rejection, newRejection: after.rejection)
            layout.change(
                row: row, ruleSet: layout.names[pair], old: layout.oldStates[pair][oldState], new: layout.newStates[pair][newState],
                explanation: explanation, into: &writer.bytes)
        }
        if rejected {
            summary.rowsRejected += 1
            if row.lines > 1 {
                summary.multiLineRejected += 1
                summary.multiLineRejectedLines += row.lines
            }
        } else if changed {
            summary.diff?.changedRows += 1
        }
    }

    /// One side of one pair: the decision (nil when the row is rejected under it), its status and
    /// the rejection's reason, counted in the summary.
    mutating func evaluateSide(_ row: inout BatchRow, _ index: Int) -> (decision: Decision?, status: BatchStatus, rejection: String?) {
        guard !row.isRejected(under: index), let closing = row.closingDay else {
            let reason = row.isRejected(under: index) ? row.rejection(under: index) : words.yearMissing
            summary.count(.rejected, outcome: nil, ruleSet: index)
            return (nil, .rejected, reason)
        }
        let decision = evaluators[index].evaluate(taking: &row.values[index], on: options.asOf ?? closing)
        let status: BatchStatus =
            decision.notInForceOn != nil ? .notInForce : (decision.isDetermined ? .determined : .undetermined)
        summary.count(status, outcome: decision.outcome, ruleSet: index)
        return (decision, status, nil)
    }
}
