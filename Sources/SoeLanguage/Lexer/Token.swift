/// The kinds of token in a rule file. Words are not split into keywords here: most keywords are
/// contextual (the parser decides), so that legal-form values such as `as` and `is` stay usable.
public enum TokenKind: UInt8, Sendable, Equatable {
    case word, number, date, string
    case leftParen, rightParen, comma, colon, equal, notEqual
    case less, lessEqual, greater, greaterEqual
    case plus, minus, star, slash, percent
    case endOfFile
}

/// One token: its kind, where it is, and whether it opens a line at the left margin.
///
/// `atMargin` is the layout rule of the language: a token in column 1 always starts a new
/// declaration, which bounds every declaration and lets the parser recover at the next one.
public struct Token: Sendable, Equatable {
    public var kind: TokenKind
    public var range: Range<Int>
    /// First token on its line.
    public var startsLine: Bool
    /// First token on its line and in column 1.
    public var atMargin: Bool
    /// For strings: the decoded text (escapes resolved); for other tokens empty.
    public var text: String

    public init(kind: TokenKind, range: Range<Int>, startsLine: Bool, atMargin: Bool, text: String = "") {
        self.kind = kind
        self.range = range
        self.startsLine = startsLine
        self.atMargin = atMargin
        self.text = text
    }
}

/// A comment, kept so that lint suppressions (`# soe:ignore L201 -- reason`) can be found.
public struct Comment: Sendable, Equatable {
    public var range: Range<Int>
    /// The text after `#`, trimmed.
    public var text: String
}
