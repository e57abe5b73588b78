import Synchronization

/// The checked model of one rule set: every name resolved to an index, every formula typed and
/// flattened into an array of nodes. The evaluator and the trace read only this.
///
/// Formulas are stored as a flat array (`nodes`) with children by index rather than as a tree of
/// objects: evaluation then touches plain structs in one array, with no reference counting, which
/// is what lets a batch classify millions of firms a second.
public final class RuleSet: Sendable {
    public let name: String
    public let title: LocalizedText
    public let source: LocalizedText?
    public let version: String?
    public let inForceFrom: Day?
    public let inForceUntil: Day?
    /// The rule set's own paragraphs for letters (`letter contact "…"`), from its own header only:
    /// a rule set that builds on another speaks for a different authority, so it inherits none.
    public let letterTexts: [LetterTextKind: LocalizedText]
    /// What its letters are (`letter kind decision`), from its own header only, as its letter
    /// texts: an assessment unless the header says they are decisions.
    public let letterKind: LetterKind
    /// The rule files this rule set was built from, the base first.
    public let files: [RuleFileInfo]
    /// The rule sets it builds on, nearest first.
    public let ancestry: [String]
    public let inputs: [InputDefinition]
    public let parameters: [ParameterDefinition]
    /// Derived values in an order where each comes after those it uses.
    public let values: [ValueDefinition]
    public let criteria: [CriterionDefinition]
    /// Outcomes in priority order; the last one is the fallback (`otherwise`).
    public let outcomes: [OutcomeDefinition]
    public let nodes: [ExpressionNode]
    /// Children of n-ary nodes (and, or, min, max), referenced by `ExpressionNode.listStart/listCount`.
    public let lists: [Int32]
    public let constants: [Scalar]
    /// The members of each `one of` type, referenced by `ValueType.choice(index)`.
    public let choiceSets: [[String]]
    /// The order in which values and criteria are evaluated: each after everything it depends on.
    public let evaluationOrder: [Definition]
    /// The SHA-256 over all rule files of this rule set (see `RuleFileInfo`), as lowercase hex:
    /// of the lines `<file's sha256>  <file's base name>`, one per file, the base first. Computed
    /// at the first use and kept: a batch that writes no trace and no record never needs it, and
    /// hashing the files cost a one-firm run 4 % of its instructions (docs/benchmark.md).
    public var sha256: String {
        digest.withLock { cached in
            if let cached { return cached }
            var combined = ""
            for info in files {
                combined += "\(info.sha256)  \(baseName(info.path))\n"
            }
            let made = SHA256.hex(Array(combined.utf8))
            cached = made
            return made
        }
    }
    private let digest = Mutex<String?>(nil)
    /// The header's `borderline` share: flag a decision that a change of at most this relative
    /// size in one input would overturn; nil when the rule set sets none.
    public let borderline: Exact?
    /// The outcome names in priority order, each once (an outcome reached by several rules is
    /// listed at its first): what counts and summaries are kept by. Made once with the rule set:
    /// the batch's writer, summary and analysis plan each asked for it, 0.06 M instructions of a
    /// one-firm run when it was made at every use (docs/benchmark.md).
    public let outcomeNames: [String]
    /// For each rule of `outcomes`, the index of its name in `outcomeNames`.
    public let outcomeNameIndices: [Int]

    init(
        name: String, title: LocalizedText, source: LocalizedText?, version: String?, inForceFrom: Day?,
        inForceUntil: Day?, letterTexts: [LetterTextKind: LocalizedText] = [:], letterKind: LetterKind = .default, files: [RuleFileInfo],
        ancestry: [String],
        inputs: [InputDefinition],
        parameters: [ParameterDefinition], values: [ValueDefinition], criteria: [CriterionDefinition],
        outcomes: [OutcomeDefinition], nodes: [ExpressionNode], lists: [Int32], constants: [Scalar],
        choiceSets: [[String]], evaluationOrder: [Definition], borderline: Exact? = nil
    ) {
        self.name = name
        self.title = title
        self.source = source
        self.version = version
        self.inForceFrom = inForceFrom
        self.inForceUntil = inForceUntil
        self.letterTexts = letterTexts
        self.letterKind = letterKind
        self.files = files
        self.ancestry = ancestry
        self.inputs = inputs
        self.parameters = parameters
        self.values = values
        self.criteria = criteria
        self.outcomes = outcomes
        self.nodes = nodes
        self.lists = lists
        self.constants = constants
        self.choiceSets = choiceSets
        self.evaluationOrder = evaluationOrder
        self.borderline = borderline
        (outcomeNames, outcomeNameIndices) = RuleSet.outcomeNaming(outcomes)
    }

    /// The index of an input by name.
    public func inputIndex(named name: String) -> Int? { inputs.firstIndex { $0.name == name } }
}

/// A rule file that went into a rule set, with the hash an auditor checks.
public struct RuleFileInfo: Sendable {
    public let path: String
    public let source: SourceFile
    /// The SHA-256 of the file's bytes, as lowercase hex (computed once, at the first use).
    public var sha256: String { source.sha256 }
}

/// A text in Danish with an optional English gloss.
public struct LocalizedText: Sendable, Equatable {
    public var danish: String
    public var english: String?
    public init(_ danish: String, english: String? = nil) {
        self.danish = danish
        self.english = english
    }
    /// The text in the requested language, falling back to Danish (the rule file's own language).
    public func text(_ language: Language) -> String {
        language == .english ? (english ?? danish) : danish
    }
}

/// The languages the engine speaks.
public enum Language: String, Sendable, CaseIterable {
    case danish = "da"
    case english = "en"
}

/// A message of the engine's own in English, with a Danish text where there is one: the errors of
/// cells, firm data, CSV records and batch headers. `text(_:)` picks the language.
public protocol BilingualMessage {
    /// The message in English, lower case, no full stop.
    var message: String { get }
    /// The same in Danish, for `--lang da`.
    var danish: String? { get }
}

extension BilingualMessage {
    /// The message in a language, falling back to English.
    public func text(_ language: Language) -> String { language == .danish ? (danish ?? message) : message }
}

/// The type of a value. Money, percent, count and number are all exact rationals at run time; the
/// type is what keeps a policy officer from adding kroner to a percentage.
public enum ValueType: Sendable, Equatable, Hashable {
    case money, percent, count, number, bool, date, text
    /// One of a declared set of choices; the index is into `RuleSet.choiceSets`.
    case choice(Int)

    public var isNumeric: Bool {
        switch self {
        case .money, .percent, .count, .number: true
        default: false
        }
    }

    /// The name a policy officer would use, for messages.
    public var displayName: String {
        switch self {
        case .money: "money"
        case .percent: "percent"
        case .count: "count"
        case .number: "number"
        case .bool: "yes/no"
        case .date: "date"
        case .text: "text"
        case .choice: "choice"
        }
    }
}

/// A known value at run time.
public enum Scalar: Sendable, Equatable {
    case number(Exact)
    case bool(Bool)
    case date(Day)
    case text(String)
    case choice(Int)
}

/// A reference to a value or criterion, for the evaluation order.
public enum Definition: Sendable, Equatable, Hashable {
    case value(Int)
    case criterion(Int)
}

/// A declared input: what a caseworker supplies, with its type and valid range.
public struct InputDefinition: Sendable {
    public let name: String
    public let type: ValueType
    public let description: LocalizedText?
    public let minimum: Exact?
    public let maximum: Exact?
    public let span: SourceSpan
}

/// One dated value of a parameter: it applies from `from` (inclusive) to `until` (inclusive).
public struct DatedValue: Sendable {
    public let value: Scalar
    public let from: Day?
    public let until: Day?
    public let span: SourceSpan
}

/// A threshold with its legal basis and its values over time.
public struct ParameterDefinition: Sendable {
    public let name: String
    public let type: ValueType
    public let description: LocalizedText?
    public let basis: Basis?
    public let citation: LocalizedText?
    public let values: [DatedValue]
    public let span: SourceSpan

    /// The value in force on a day: among the values whose period holds the day, the one that
    /// started last (a value without `from` counts as the earliest). Overlaps are the linter's concern.
    public func value(on day: Day) -> DatedValue? {
        var best: DatedValue?
        for candidate in values {
            if let from = candidate.from, from > day { continue }
            if let until = candidate.until, until < day { continue }
            guard let current = best else {
                best = candidate
                continue
            }
            if let from = candidate.from, current.from.map({ from >= $0 }) ?? true { best = candidate }
        }
        return best
    }
}

/// A derived value: a named formula.
public struct ValueDefinition: Sendable {
    public let name: String
    public let description: LocalizedText?
    public let root: Int32
    public let type: ValueType
    public let span: SourceSpan
}

/// A named yes/no test with the text and citation shown to people.
public struct CriterionDefinition: Sendable {
    public let name: String
    public let text: LocalizedText?
    public let cite: LocalizedText?
    public let root: Int32
    public let span: SourceSpan
}

/// One outcome of the classification, in priority order.
public struct OutcomeDefinition: Sendable {
    public let name: String
    public let label: LocalizedText?
    public let reason: LocalizedText?
    /// Whether the outcome is good or bad news for the firm; nil when the rule file does not say,
    /// which every rendering shows as neutral (never as good news).
    public let tone: Tone?
    /// nil for the fallback.
    public let condition: Int32?
    public let span: SourceSpan
    /// Which of the rules for this outcome name it is, from 1 in priority order: an outcome may be
    /// reached by several rules (routes), each with its own condition and reason.
    public var route: Int = 1
    /// How many rules lead to this outcome name; 1 for an outcome with one rule.
    public var routes: Int = 1
}

extension RuleSet {
    /// `outcomeNames` and `outcomeNameIndices` as they were computed at every use (a set of the
    /// names seen, then a dictionary of their positions): the reference the one-pass
    /// `outcomeNaming` is tested against.
    static func outcomeNamingByDefinition(_ outcomes: [OutcomeDefinition]) -> (names: [String], indices: [Int]) {
        var seen = Set<String>()
        let names = outcomes.map(\.name).filter { seen.insert($0).inserted }
        var position: [String: Int] = [:]
        for (index, name) in names.enumerated() { position[name] = index }
        return (names, outcomes.map { position[$0.name] ?? 0 })
    }

    /// The outcome names in priority order, each once, and for each rule the index of its name, in
    /// one pass: a name is looked for among those already listed (a few dozen at most in a real
    /// rule set, so by comparing them, without hashing), or, past `linearLimit` names, in a
    /// dictionary of their positions.
    static func outcomeNaming(_ outcomes: [OutcomeDefinition], linearLimit: Int = 32) -> (names: [String], indices: [Int]) {
        var names: [String] = []
        var indices: [Int] = []
        names.reserveCapacity(outcomes.count)
        indices.reserveCapacity(outcomes.count)
        var position: [String: Int]?
        for outcome in outcomes {
            let name = outcome.name
            let found: Int?
            if let table = position {
                found = table[name]
            } else {
                found = names.firstIndex(of: name)
            }
            if let found {
                indices.append(found)
                continue
            }
            indices.append(names.count)
            names.append(name)
            if position != nil {
                position?[name] = names.count - 1
            } else if names.count > linearLimit {
                var table: [String: Int] = [:]
                for (index, listed) in names.enumerated() { table[listed] = index }
                position = table
            }
        }
        return (names, indices)
    }
}

/// The operation of one formula node.
public enum NodeOp: UInt8, Sendable {
    case constant, input, parameter, value, criterion
    case negate, not
    case add, subtract, multiply, divide
    case equal, notEqual, less, lessEqual, greater, greaterEqual
    case and, or
    case member, ifThenElse, minimum, maximum, isKnown
}

/// One node of a checked formula. `a`, `b`, `c` are child node indices, or for leaves the index
/// of the constant, input, parameter, value or criterion; `flag` negates `member` and `isKnown`.
public struct ExpressionNode: Sendable {
    public var op: NodeOp
    public var type: ValueType
    public var a: Int32 = -1
    public var b: Int32 = -1
    public var c: Int32 = -1
    public var listStart: Int32 = 0
    public var listCount: Int32 = 0
    /// For `member`: the choices, as bits.
    public var mask: UInt64 = 0
    public var flag: Bool = false
    /// Where the node is written, for traces: the file (index into `RuleSet.files`) and byte range.
    public var fileIndex: Int32
    public var range: Range<Int>
}
