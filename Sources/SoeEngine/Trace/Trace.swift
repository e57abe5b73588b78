import SoeLanguage

/// The explanation of one decision, for auditors: every outcome tried in order and why it did or
/// did not apply, every criterion and derived value with the formula and the values that decided
/// it, the parameter values in force with their legal basis, and every input with where it came from.
///
/// # Format
///
/// A trace is plain data built after the decision from the same evaluator that made it, so it
/// cannot disagree with the decision. Renderers (`TextTraceRenderer`, `JSONTraceRenderer`) only
/// format it. The JSON form is versioned by `Trace.schema`; a change that removes or renames a
/// field, or changes its meaning, makes a new version. Values are given exactly (`42/47` rather
/// than `0.8936…`) beside a rounded display form.
public struct Trace: Sendable {
    /// The version of the JSON trace format: `soe-trace/2` adds `analysis` (bounds for missing
    /// inputs, the inputs that would settle a case, counterfactuals, the borderline flag). A trace
    /// without an analysis is written as `soe-trace/1`, byte for byte as before, which is what
    /// decision records and the batch's trace stream hold, and what `soe verify` reads.
    public static let schema = "soe-trace/2"
    /// The version of a trace without an analysis.
    public static let schemaVersion1 = "soe-trace/1"

    /// Which rules decided: name, version, dates in force and the hashes of the files.
    public struct RuleSetInfo: Sendable {
        public var name: String
        public var title: LocalizedText
        public var version: String?
        public var source: LocalizedText?
        public var inForceFrom: Day?
        public var inForceUntil: Day?
        public var buildsOn: [String]
        public var sha256: String
        public var files: [(path: String, sha256: String)]
        /// The rule set's own paragraphs for letters; not part of the JSON trace (letters are
        /// written from a fresh evaluation, and a trace read back carries none).
        public var letterTexts: [LetterTextKind: LocalizedText] = [:]
        /// What the rule set's letters are (`letter kind`); not part of the JSON trace either, so a
        /// trace read back gives assessments, the kind that claims least.
        public var letterKind: LetterKind = .default
    }

    /// Which data was decided on: the source, its hash, and who and when it is about.
    public struct FirmInfo: Sendable {
        public var source: String
        public var sha256: String
        public var name: String?
        public var cvr: String?
        public var fiscalYear: Int?
        public var closingDay: Day
    }

    /// What happened to one outcome.
    public enum OutcomeStatus: String, Sendable {
        case applies
        case doesNotApply = "does_not_apply"
        case unknown
        case notReached = "not_reached"

        /// The status of a reached outcome: by its condition's result, or for the fallback (no
        /// condition) by the decision. The one rule that `TraceBuilder` and the stream's expansion share.
        static func of(condition: Evaluated?, outcome index: Int, decision: Decision) -> OutcomeStatus {
            guard let condition else {
                return decision.outcome == index ? .applies : (decision.possibleOutcomes.contains(index) ? .unknown : .notReached)
            }
            switch condition {
            case .known(.bool(true)): return .applies
            case .known: return .doesNotApply
            case .unknown: return .unknown
            }
        }
    }

    /// One outcome as tried, with its condition's explanation.
    public struct OutcomeStep: Sendable {
        public var rank: Int
        public var name: String
        public var label: LocalizedText?
        public var reason: LocalizedText?
        public var isFallback: Bool
        public var status: OutcomeStatus
        public var condition: Explanation?
        /// The criteria this outcome's condition uses, directly or through other criteria.
        public var criteria: [Int]
        /// Good or bad news for the firm, as the rule set declares; nil when it does not say.
        public var tone: Tone? = nil
        /// Which of the rules for this outcome name this is (from 1), and how many there are: an
        /// outcome may be reached by several rules, each with its own condition and reason.
        public var route: Int = 1
        public var routes: Int = 1
        /// Where the rule is written (`file:line:column`); set for an outcome with several rules,
        /// so that the explanation can say which one decided.
        public var at: String? = nil

        /// The rule numbers of outcomes given by name in priority order: for each, which of the
        /// rules with that name it is and how many there are.
        public static func routes(of names: [String]) -> [(route: Int, routes: Int)] {
            var totals: [String: Int] = [:]
            for name in names { totals[name, default: 0] += 1 }
            var seen: [String: Int] = [:]
            return names.map { name in
                seen[name, default: 0] += 1
                return (seen[name] ?? 1, totals[name] ?? 1)
            }
        }
    }

    /// One criterion with its result and the formula that gave it.
    public struct CriterionStep: Sendable {
        public var name: String
        public var text: LocalizedText?
        public var cite: LocalizedText?
        public var result: Evaluated
        public var formula: Explanation
    }

    /// One derived value with its result and formula.
    public struct ValueStep: Sendable {
        public var name: String
        public var description: LocalizedText?
        public var type: ValueType
        public var result: Evaluated
        public var formula: Explanation
    }

    /// One parameter with the value in force and its basis.
    public struct ParameterStep: Sendable {
        public var name: String
        public var description: LocalizedText?
        public var type: ValueType
        public var basis: Basis?
        public var citation: LocalizedText?
        public var value: Scalar?
        public var from: Day?
        public var until: Day?
        public var at: String
    }

    /// One input with its value and where it came from.
    public struct InputStep: Sendable {
        public var name: String
        public var description: LocalizedText?
        public var type: ValueType
        public var value: Scalar?
        /// Where it came from: file, field (JSON pointer or CSV column), line and column.
        public var field: Firm.Field?
    }

    /// An undefined computation met on the way, with its place in the rules.
    public struct ProblemInfo: Sendable {
        public var kind: Problem.Kind
        /// The formula where it happened, or the parameter's name.
        public var formula: String
        public var at: String
    }

    public var ruleSet: RuleSetInfo
    public var firm: FirmInfo
    public var engineVersion: String
    public var decision: Decision
    public var outcomes: [OutcomeStep]
    public var criteria: [CriterionStep]
    public var values: [ValueStep]
    public var parameters: [ParameterStep]
    public var inputs: [InputStep]
    public var problems: [ProblemInfo]
    /// The choices of `one of` types, to show `.choice(2)` as `aps`.
    public var choiceSets: [[String]]
    /// The date of the decision, when the caseworker gave one (`--decision-date`): data about the
    /// case, recorded and sealed, never the clock of the machine that evaluated.
    public var decisionDate: Day? = nil
    /// The case number the caseworker gave (`--case-number`), as the municipality's case system
    /// writes it: data about the case like the decision date, recorded and sealed.
    public var caseNumber: String? = nil
    /// The day the rules were taken on when the caseworker gave one instead of the closing date
    /// (`--as-of`, `--fiscal-year`): a what-if, which every rendering says, with the parameters in
    /// force on that day. Nil for a decision on the firm's own fiscal year.
    public var asOf: Day? = nil
    /// How a percent without a `%` sign was read (`--percent`), when the caseworker said: recorded
    /// and sealed, so that verification reads the input the same way.
    public var percentReading: PercentReading? = nil
    /// Bounds, settling inputs, counterfactuals and the borderline flag, when they were asked for.
    public var analysis: DecisionAnalysis? = nil
    /// The seal of the decision record this trace was read from (`soe dossier`), shown as it is
    /// rather than recomputed; nil for a trace of an evaluation. Not part of the JSON trace.
    public var recordSeal: String? = nil
    /// The schema of the trace in the record this trace was read from (`soe dossier`): a record
    /// holds `soe-trace/1` or `soe-trace/2`, and its schema is shown as recorded.
    public var recordTraceSchema: String? = nil
    /// The `analysis` member of a record's trace, kept as read (`soe dossier`): the trace written
    /// again carries it verbatim, so nothing is lost and the seal stays; the renderers show it
    /// from `analysis`, decoded from this member.
    public var recordedAnalysis: JSONOutput? = nil
    /// The outcome a record's trace says the declared limits decided (`decided_by_bounds`), for
    /// a trace read from a record whose analysis is kept as read.
    public var recordedBoundsOutcome: Int? = nil
}

/// One node of a formula with its value: the tree an auditor reads to see how a result came about.
public struct Explanation: Sendable {
    /// What a leaf of a formula refers to.
    public enum Reference: Sendable, Equatable {
        case input(Int)
        case parameter(Int)
        case value(Int)
        case criterion(Int)
    }
    /// The formula as written in the rule file.
    public var formula: String
    public var op: NodeOp
    public var type: ValueType
    public var result: Evaluated
    public var children: [Explanation]
    public var reference: Reference?
    /// `file:line:column` of the formula.
    public var at: String
}
