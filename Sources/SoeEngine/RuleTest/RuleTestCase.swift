import SoeLanguage

// What a rule test expects, as a policy officer writes it in a CSV cell or a JSON firm file's
// `_expected` member, and the firm it is about. See docs/testing.md for the forms.

/// The expected result of one firm under one rule set.
public enum ExpectedResult: Sendable, Equatable {
    /// The outcome of this name decides (`social_economy`).
    case outcome(String)
    /// The rules cannot decide with the data given (`undetermined`, `uafgjort`).
    case undetermined
    /// The rule set is not in force on the fiscal year's closing date (`not_in_force`, `ikke_i_kraft`).
    case notInForce
    /// The firm's data is refused (`rejected`, `afvist`); with a field (`rejected: cvr`), a reason
    /// must be about that field.
    case rejected(field: String?)

    /// The words a policy officer may write for the three statuses, English and Danish.
    static let undeterminedWords: Set<String> = ["undetermined", "uafgjort"]
    static let notInForceWords: Set<String> = ["not_in_force", "ikke_i_kraft"]
    static let rejectedWords: Set<String> = ["rejected", "afvist"]

    /// Reads a cell: an outcome name, a status, or `rejected: FIELD`; nil for a blank cell.
    /// Outcome names are checked against the rule set later, where the did-you-mean is known.
    static func parse(_ text: String) -> ExpectedResult? {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty else { return nil }
        let lower = trimmed.lowercased()
        if undeterminedWords.contains(lower) { return .undetermined }
        if notInForceWords.contains(lower) { return .notInForce }
        if rejectedWords.contains(lower) { return .rejected(field: nil) }
        if let colon = lower.firstIndex(of: ":"), rejectedWords.contains(String(lower[..<colon]).trimmingSpaces()) {
            let field = String(trimmed[trimmed.index(after: colon)...]).trimmingSpaces()
            return .rejected(field: field.isEmpty ? nil : field)
        }
        return .outcome(trimmed)
    }

    /// How the result is written in a report: the outcome's name or the status's English name.
    public var name: String {
        switch self {
        case .outcome(let name): name
        case .undetermined: "undetermined"
        case .notInForce: "not_in_force"
        case .rejected(let field): field.map { "rejected: \($0)" } ?? "rejected"
        }
    }
}

/// The expected result of a criterion: yes, no, or not known for want of data.
public enum ExpectedTruth: String, Sendable, Equatable {
    case yes, no, unknown

    /// Reads `ja`/`nej`/`ukendt`, `yes`/`no`/`unknown` or `true`/`false`; nil for a blank cell.
    static func parse(_ text: String) -> Result<ExpectedTruth?, RuleTestProblem.Kind> {
        let lower = text.trimmingSpaces().lowercased()
        switch lower {
        case "": return .success(nil)
        case "ja", "yes", "true", "sand": return .success(.yes)
        case "nej", "no", "false", "falsk": return .success(.no)
        case "ukendt", "unknown", "?": return .success(.unknown)
        default: return .failure(.badTruth(text))
        }
    }

    /// The result a criterion had, as an expectation would name it.
    static func of(_ result: Evaluated) -> ExpectedTruth {
        switch result {
        case .known(.bool(true)): .yes
        case .known: .no
        case .unknown: .unknown
        }
    }
}

/// What one test case expects under one rule set.
public struct RuleTestExpectation: Sendable {
    /// The rule set's name as written.
    public var ruleSet: String
    /// The expected result; nil when only criteria are expected.
    public var result: ExpectedResult?
    /// Expected criterion results, in the order written.
    public var criteria: [(name: String, truth: ExpectedTruth)]
}

/// One firm to test: its data bound to every rule set loaded, and what it expects.
struct RuleTestCase {
    /// `rules/tests/screening.csv row 3 (S001, Kaffekollektivet ApS)`: what the report calls it.
    var label: String
    /// `file:line` of the firm, for editors.
    var place: String
    var expectations: [RuleTestExpectation]
    /// The firm as read; nil when its data could not be read at all (then every rule set rejects it).
    var firm: Firm?
    /// Problems that reject the firm under every rule set, each `field: reason`.
    var firmErrors: [String]
    /// By rule set (in load order): its inputs, or why the firm is rejected under it.
    var bound: [Result<BoundInputs, RuleTestRejection>]
}

/// Why a firm is rejected under a rule set: each problem as `field: reason`.
struct RuleTestRejection: Error {
    var reasons: [String]
}

/// A problem with a test file itself (not a failing test): the file cannot be tested as written.
public struct RuleTestProblem: Sendable, Equatable {
    /// What is wrong, for both languages.
    public enum Kind: Error, Sendable, Equatable {
        case unreadable(String)
        case notJSON(String)
        case noExpectedMember
        case expectedNotObject
        case badExpectedValue(key: String)
        case csvHeader(String)
        case csvRecord(String)
        case noExpectedColumns
        case unknownRuleSet(String, suggestion: String?, loaded: [String])
        case unknownOutcome(String, ruleSet: String, suggestion: String?, outcomes: [String])
        case unknownCriterion(String, ruleSet: String, suggestion: String?)
        case badTruth(String)
        case nothingExpected
        case noTestFiles([String])
        case emptyFile
        case noFirms
    }
    /// `file:line` (or the file alone).
    public var place: String
    public var kind: Kind
}
