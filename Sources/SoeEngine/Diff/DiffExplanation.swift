import SoeLanguage

/// Why one firm's result changed between two versions of a rule set: the first difference met
/// when the two evaluations are walked side by side in classify order (see `DiffExplainer`).
public struct DiffExplanation: Sendable, Equatable {
    /// What kind of definition differs; the raw value is the name in CSV and JSON.
    public enum Kind: String, Sendable, CaseIterable {
        /// A parameter's value in force differs (a new threshold, or another date's value).
        case parameter
        /// An outcome's condition is written differently.
        case condition
        /// A criterion's formula is written differently.
        case criterion
        /// A derived value's formula is written differently.
        case value
        /// An input is declared or read differently, or is declared on one side only.
        case input
        /// An outcome only the new rules have applies (or may apply) before the old result.
        case outcomeAdded = "outcome_added"
        /// The old result's outcome, or one before it, is gone from the new rules.
        case outcomeRemoved = "outcome_removed"
        /// Two outcomes are tried in another order.
        case outcomeOrder = "outcome_order"
        /// The rule set is in force on the date on one side only.
        case inForce = "in_force"
        /// The row is rejected on one side only (a value outside an input's new range, say).
        case rejected
        /// No one definition explains it; the two results are still shown.
        case unexplained
    }

    public var kind: Kind
    /// The definition that differs: a parameter, criterion, value, input or outcome name.
    public var name: String
    /// The old and new form of that definition, as people read it: a parameter's value (`50 %`),
    /// a formula as written, an input's value; empty when one side has none.
    public var oldValue: String
    public var newValue: String
    /// The outcome whose condition decided differently, when the walk reached one.
    public var outcome: String?
    /// The first criterion met on the way down from that outcome, when there is one.
    public var criterion: String?
    /// What the difference did to this firm, e.g. `market_share 55,20 % no longer ≥ market_share_min`.
    public var effect: String
    /// The whole sentence: `market_share_min 50 % → 60 %: market_share 55,20 % no longer ≥ market_share_min`.
    public var text: String
}

/// The diff's own words in Danish and English.
struct DiffWords {
    let language: Language
    var danish: Bool { language == .danish }

    init(_ language: Language) { self.language = language }

    func headline(_ kind: DiffExplanation.Kind, _ name: String, _ old: String, _ new: String) -> String {
        switch kind {
        case .parameter: return "\(name) \(old) → \(new)"
        case .input:
            return danish ? "oplysningen \(name) \(old) → \(new)" : "input \(name) \(old) → \(new)"
        case .condition:
            return danish
                ? "betingelsen for udfaldet \(name) er ændret: \(old) → \(new)"
                : "the condition of outcome \(name) changed: \(old) → \(new)"
        case .criterion:
            return danish ? "kriteriet \(name) er ændret: \(old) → \(new)" : "criterion \(name) changed: \(old) → \(new)"
        case .value:
            return danish ? "værdien \(name) er defineret om: \(old) → \(new)" : "value \(name) redefined: \(old) → \(new)"
        case .outcomeAdded: return danish ? "nyt udfald \(name)" : "new outcome \(name)"
        case .outcomeRemoved: return danish ? "udfaldet \(name) er fjernet" : "outcome \(name) removed"
        case .outcomeOrder:
            return danish ? "udfaldet \(name) prøves nu før \(old)" : "outcome \(name) is now tried before \(old)"
        case .inForce: return danish ? "i kraft \(old) → \(new)" : "in force \(old) → \(new)"
        case .rejected: return danish ? "afvist" : "rejected"
        case .unexplained:
            return danish ? "ingen enkelt definition forklarer ændringen" : "no single definition explains the change"
        }
    }

    /// `yes`, `no` or `unknown`, for a condition's result.
    func truth(_ value: Evaluated) -> String {
        switch value.bool {
        case true?: return danish ? "ja" : "yes"
        case false?: return danish ? "nej" : "no"
        case nil: return danish ? "kan ikke afgøres" : "unknown"
        }
    }

    /// `55,20 % no longer ≥` / `now ≥`.
    func comparison(_ op: String, held: Bool) -> String {
        held ? (danish ? "er nu \(op)" : "now \(op)") : (danish ? "er ikke længere \(op)" : "no longer \(op)")
    }

    var missing: String { danish ? "mangler" : "missing" }
    var unknownValue: String { danish ? "ukendt" : "unknown" }
    var noValue: String { danish ? "ingen værdi" : "no value" }
    var notDeclared: String { danish ? "ikke erklæret" : "not declared" }
    var yes: String { danish ? "ja" : "yes" }
    var no: String { danish ? "nej" : "no" }
    var otherwise: String { danish ? "ellers" : "otherwise" }
    var applies: String { danish ? "det gælder" : "it applies" }
    var mayApply: String { danish ? "det kan gælde" : "it may apply" }
    var appliedBefore: String { danish ? "det gjaldt" : "it applied" }
    func notInForce(on day: Day) -> String {
        danish ? "regelsættet gælder ikke den \(day)" : "the rule set is not in force on \(day)"
    }
    func period(_ from: Day?, _ until: Day?) -> String {
        let start = from.map { "\($0)" } ?? "…"
        let end = until.map { "\($0)" } ?? "…"
        return "\(start)–\(end)"
    }
    /// A part added to an `all of`/`any of`, which decided: `the part added, enough_staff: no`.
    func partAdded(_ part: String, _ value: String) -> String {
        danish ? "den tilføjede del, \(part): \(value)" : "the part added, \(part): \(value)"
    }
    /// A part taken out of an `all of`/`any of`, which decided before.
    func partRemoved(_ part: String, _ value: String) -> String {
        danish ? "den fjernede del, \(part), var: \(value)" : "the part taken out, \(part), was: \(value)"
    }
    func condition(of outcome: String) -> String {
        danish ? "betingelsen for \(outcome)" : "the condition of \(outcome)"
    }
    func rejectedNow(_ reason: String) -> String {
        danish ? "afvist efter de nye regler: \(reason)" : "rejected under the new rules: \(reason)"
    }
    func rejectedBefore(_ reason: String) -> String {
        danish ? "ikke længere afvist (efter de gamle regler: \(reason))" : "no longer rejected (under the old rules: \(reason))"
    }
    var rejectedWord: String { danish ? "afvist" : "rejected" }
}
