import SoeLanguage

/// The classification of one firm under one rule set.
public struct Decision: Sendable, Equatable {
    /// The outcome that applies, by index into `RuleSet.outcomes`; nil when undetermined.
    public let outcome: Int?
    /// The inputs whose values would decide it (empty when determined).
    public let missing: InputSet
    /// The outcomes still possible, in priority order (empty when determined).
    public let possibleOutcomes: [Int]
    /// Computations that were undefined on the way (division by zero, overflow, no parameter value).
    public let problems: [Problem]
    /// Set when the rule set is not in force on the fiscal year's closing date: no outcome was tried.
    public let notInForceOn: Day?

    init(outcome: Int) {
        self.outcome = outcome
        missing = InputSet()
        possibleOutcomes = []
        problems = []
        notInForceOn = nil
    }

    init(missing: InputSet, possible: [Int], problems: [Problem]) {
        outcome = nil
        self.missing = missing
        possibleOutcomes = possible
        self.problems = problems
        notInForceOn = nil
    }

    init(notInForce day: Day) {
        outcome = nil
        missing = InputSet()
        possibleOutcomes = []
        problems = []
        notInForceOn = day
    }

    public var isDetermined: Bool { outcome != nil }
}
