/// The syntax tree of one rule file, exactly as written: names are not resolved and types are
/// not known yet. Every node carries the byte range it covers; the parser fills in placeholder
/// nodes (`.missing`) where text was missing, so later stages always get a whole tree.
public struct RuleFileSyntax: Sendable {
    public let file: SourceFile
    public var header: RulesetHeaderSyntax?
    public var declarations: [DeclarationSyntax]
    public var comments: [Comment]
}

/// A name as written, with its place.
public struct NameSyntax: Sendable, Equatable {
    public var text: String
    public var range: Range<Int>
}

/// A text in quotes with an optional English gloss: `"Socialøkonomisk virksomhed" en "Social-economy enterprise"`.
public struct TextSyntax: Sendable, Equatable {
    public var text: String
    public var english: String?
    public var range: Range<Int>
}

/// `ruleset NAME "title" [builds on NAME]` with its clauses.
public struct RulesetHeaderSyntax: Sendable {
    public var name: NameSyntax
    public var title: TextSyntax?
    public var buildsOn: NameSyntax?
    public var source: TextSyntax?
    public var version: TextSyntax?
    public var inForceFrom: DateSyntax?
    public var inForceUntil: DateSyntax?
    /// `letter contact "…"` and `letter appeal "…"`: the rule set's own paragraphs for letters.
    public var letterTexts: [LetterTextSyntax] = []
    /// `letter kind decision`: what the rule set's letters are; nil when the header does not say
    /// (they are then assessments).
    public var letterKind: LetterKindSyntax?
    /// `borderline 2 %`: the rule set's default for flagging a decision that so small a change
    /// of one input would overturn.
    public var borderline: ExpressionSyntax?
    public var range: Range<Int>
}

/// `letter KIND "text" en "text"` in a rule set header: a paragraph a letter to the firm carries.
public struct LetterTextSyntax: Sendable, Equatable {
    public var kind: LetterTextKind
    public var text: TextSyntax
    public var range: Range<Int>
}

/// The paragraphs a rule set may supply to letters: who to contact, and how to appeal.
public enum LetterTextKind: String, Sendable, CaseIterable {
    case contact, appeal
    /// Who the letter is from (`letter sender "Eksempel Kommune, Jobcenteret, Torvet 1, 1234 Byen"`): the
    /// authority's name and address at the head of its letters.
    case sender
}

/// `letter kind assessment` or `letter kind decision` in a rule set header, with the place of its word.
public struct LetterKindSyntax: Sendable, Equatable {
    public var kind: LetterKind
    /// The word after `letter kind`.
    public var wordRange: Range<Int>
    /// The whole line, from `letter`.
    public var range: Range<Int>
}

/// What a rule set's letters to a firm are. An assessment (`vurdering`) is the authority's view,
/// a screening or a step before a decision, and claims no more; a decision (`afgørelse`) is one in
/// the sense of forvaltningsloven, which owes the firm its grounds (§§ 22-24) and a note on how to
/// appeal (§ 25). The engine calls its letters decisions only when the rule set says they are.
public enum LetterKind: String, Sendable, CaseIterable {
    case assessment, decision

    /// The kind a rule set's letters have when its header does not say.
    public static let `default` = LetterKind.assessment
}

/// Whether an outcome is good or bad news for the firm, as the rule set's authors judge it. Only
/// the authors can say: "Anden aktør" is unfavourable under one policy and neutral under another.
public enum Tone: String, Sendable, CaseIterable {
    case favourable, unfavourable, neutral
}

/// A calendar date as written (`2015-01-01`), already validated by the parser.
public struct DateSyntax: Sendable, Equatable {
    public var day: Day
    public var range: Range<Int>
}

/// The declared type of an input or parameter.
public struct TypeSyntax: Sendable {
    /// The type named in the rule file.
    public enum Kind: Sendable, Equatable {
        case money, percent, count, number, yesNo, date, text
        case oneOf([NameSyntax])
    }
    public var kind: Kind
    public var range: Range<Int>
}

/// Whether a number in a rule comes from the law, from official guidance, or is a policy choice.
public enum Basis: String, Sendable, CaseIterable {
    case law, guidance, policy
}

/// `law "§ 5, stk. 2"`, `guidance "…"` or `policy "…"`.
public struct BasisSyntax: Sendable {
    public var kind: Basis
    public var text: TextSyntax
    public var range: Range<Int>
}

/// `= 35 % from 2015-01-01 until 2020-12-31`.
public struct DatedValueSyntax: Sendable {
    public var value: ExpressionSyntax
    public var from: DateSyntax?
    public var until: DateSyntax?
    public var range: Range<Int>
}

/// `input NAME: TYPE "description" [min …] [max …]`.
public struct InputSyntax: Sendable {
    public var name: NameSyntax
    public var type: TypeSyntax
    public var description: TextSyntax?
    public var minimum: ExpressionSyntax?
    public var maximum: ExpressionSyntax?
    public var isOverride: Bool
    public var range: Range<Int>
}

/// `parameter NAME[: TYPE] "description"` with its basis and dated values.
public struct ParameterSyntax: Sendable {
    public var name: NameSyntax
    public var type: TypeSyntax?
    public var description: TextSyntax?
    public var basis: BasisSyntax?
    public var values: [DatedValueSyntax]
    public var isOverride: Bool
    public var range: Range<Int>
}

/// `value NAME "description" = formula`.
public struct ValueSyntax: Sendable {
    public var name: NameSyntax
    public var description: TextSyntax?
    public var expression: ExpressionSyntax?
    public var isOverride: Bool
    public var range: Range<Int>
}

/// `criterion NAME "text" cite "…" = condition`.
public struct CriterionSyntax: Sendable {
    public var name: NameSyntax
    public var text: TextSyntax?
    public var cite: TextSyntax?
    public var expression: ExpressionSyntax?
    public var isOverride: Bool
    public var range: Range<Int>
}

/// One outcome line of `classify`, or the `otherwise` fallback.
public struct OutcomeSyntax: Sendable {
    public var name: NameSyntax
    public var label: TextSyntax?
    public var condition: ExpressionSyntax?
    public var reason: TextSyntax?
    /// `tone favourable|unfavourable|neutral`; nil when not given.
    public var tone: Tone?
    public var isFallback: Bool
    public var range: Range<Int>
}

/// The `classify` section: outcomes in priority order.
public struct ClassifySyntax: Sendable {
    public var outcomes: [OutcomeSyntax]
    public var isOverride: Bool
    public var keywordRange: Range<Int>
    public var range: Range<Int>
}

/// One top-level declaration.
public enum DeclarationSyntax: Sendable {
    case input(InputSyntax)
    case parameter(ParameterSyntax)
    case value(ValueSyntax)
    case criterion(CriterionSyntax)
    case classify(ClassifySyntax)

    public var range: Range<Int> {
        switch self {
        case .input(let d): d.range
        case .parameter(let d): d.range
        case .value(let d): d.range
        case .criterion(let d): d.range
        case .classify(let d): d.range
        }
    }
}

/// Operators of the expression language, with their usual precedence (see the parser).
public enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case and, or

    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
        case .add, .subtract, .multiply, .divide, .and, .or: false
        }
    }
    public var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide: true
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and, .or: false
        }
    }
    /// The sign shown in traces: `≥` rather than `>=`.
    public var symbol: String {
        switch self {
        case .add: "+"
        case .subtract: "−"
        case .multiply: "×"
        case .divide: "/"
        case .equal: "="
        case .notEqual: "≠"
        case .less: "<"
        case .lessEqual: "≤"
        case .greater: ">"
        case .greaterEqual: "≥"
        case .and: "and"
        case .or: "or"
        }
    }
}

/// The unit written after a number literal.
public enum LiteralUnit: String, Sendable {
    case none, percent, kroner
}

/// A formula. Indirect, so nesting is bounded by the parser's depth limit, not by the stack.
public indirect enum ExpressionSyntax: Sendable {
    case number(text: String, unit: LiteralUnit, range: Range<Int>)
    case boolean(Bool, range: Range<Int>)
    case date(DateSyntax)
    case text(String, range: Range<Int>)
    case name(NameSyntax)
    case negate(ExpressionSyntax, range: Range<Int>)
    case not(ExpressionSyntax, range: Range<Int>)
    case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax, operatorRange: Range<Int>, range: Range<Int>)
    /// `x is [not] member` and `x is [not] one of a, b`.
    case isMember(ExpressionSyntax, members: [NameSyntax], negated: Bool, range: Range<Int>)
    case ifThenElse(ExpressionSyntax, ExpressionSyntax, ExpressionSyntax, range: Range<Int>)
    /// `min(a, b, …)` and `max(a, b, …)`.
    case call(NameSyntax, [ExpressionSyntax], range: Range<Int>)
    /// `all of a, b, c`, `any of …`, `none of …`.
    case quantifier(Quantifier, [ExpressionSyntax], range: Range<Int>)
    /// `x is known` / `x is missing`: lets a rule decide what a missing input means.
    case isKnown(ExpressionSyntax, negated: Bool, range: Range<Int>)
    case parenthesized(ExpressionSyntax, range: Range<Int>)
    /// What the parser put where a formula was missing; an error has already been reported.
    case missing(range: Range<Int>)

    public var range: Range<Int> {
        switch self {
        case .number(_, _, let r), .boolean(_, let r), .text(_, let r), .negate(_, let r), .not(_, let r),
            .binary(_, _, _, _, let r), .isMember(_, _, _, let r), .ifThenElse(_, _, _, let r),
            .call(_, _, let r), .quantifier(_, _, let r), .isKnown(_, _, let r), .parenthesized(_, let r),
            .missing(let r):
            r
        case .date(let d): d.range
        case .name(let n): n.range
        }
    }
}

/// The n-ary forms of and, or and nor, which policy texts use ("all of the following").
public enum Quantifier: String, Sendable {
    case all, any, none
}
