import SoeLanguage

/// The classification of one firm under one rule set.
///
/// A batch makes one per row and rule set, and nearly all are determined: their possible outcomes
/// and problems are empty. Those two lists are therefore kept together in one box that only an
/// undetermined decision has, so that making, copying and dropping a determined decision retains
/// and releases no array.
public struct Decision: Sendable, Equatable {
    /// The outcome that applies, by index into `RuleSet.outcomes`; nil when undetermined.
    public let outcome: Int?
    /// The inputs whose values would decide it (empty when determined).
    public let missing: InputSet
    /// Set when the rule set is not in force on the fiscal year's closing date: no outcome was tried.
    public let notInForceOn: Day?
    /// The possible outcomes and problems of an undetermined decision; nil when both are empty.
    private let details: Details?

    /// An undetermined decision's lists.
    private final class Details: Sendable {
        let possibleOutcomes: [Int]
        let problems: [Problem]

        init(possibleOutcomes: [Int], problems: [Problem]) {
            self.possibleOutcomes = possibleOutcomes
            self.problems = problems
        }
    }

    /// The outcomes still possible, in priority order (empty when determined).
    public var possibleOutcomes: [Int] { details?.possibleOutcomes ?? [] }
    /// Computations that were undefined on the way (division by zero, overflow, no parameter value).
    public var problems: [Problem] { details?.problems ?? [] }

    init(outcome: Int) {
        self.outcome = outcome
        missing = InputSet()
        notInForceOn = nil
        details = nil
    }

    init(missing: InputSet, possible: [Int], problems: [Problem]) {
        outcome = nil
        self.missing = missing
        notInForceOn = nil
        details = possible.isEmpty && problems.isEmpty ? nil : Details(possibleOutcomes: possible, problems: problems)
    }

    init(notInForce day: Day) {
        outcome = nil
        missing = InputSet()
        notInForceOn = day
        details = nil
    }

    public var isDetermined: Bool { outcome != nil }

    /// Equal when every field is: the lists by their contents, however they are kept.
    public static func == (left: Decision, right: Decision) -> Bool {
        left.outcome == right.outcome && left.missing == right.missing && left.notInForceOn == right.notInForceOn
            && left.possibleOutcomes == right.possibleOutcomes && left.problems == right.problems
    }
}
