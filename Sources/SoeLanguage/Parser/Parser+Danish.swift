/// The parser's messages in Danish. The parser composes its English messages from fragments
/// passed by each declaration ("the outcome's name", "an input"); this table gives each fragment
/// in Danish, so the call sites stay as they are and the Danish message is made beside the English.
extension Parser {
    /// English fragment → Danish, for `expectName`, `unexpectedClause`, `expectText` and the like.
    static let danishPhrases: [String: String] = [
        "a choice": "et valg",
        "a choice after ','": "et valg efter ','",
        "a choice after 'is'": "et valg efter 'is'",
        "the input's name": "inputtets navn",
        "the parameter's name": "parameterens navn",
        "the value's name": "værdiens navn",
        "the criterion's name": "kriteriets navn",
        "the outcome's name": "udfaldets navn",
        "the rule set's name": "regelsættets navn",
        "the name of the rule set it builds on": "navnet på det regelsæt, det bygger på",
        "an input": "et input",
        "a parameter": "en parameter",
        "a value": "en værdi",
        "a criterion": "et kriterium",
        "an outcome": "et udfald",
        "a description in quotes, 'min' or 'max'": "en beskrivelse i anførselstegn, 'min' eller 'max'",
        "a description in quotes, 'law', 'guidance', 'policy' or '= value from DATE'":
            "en beskrivelse i anførselstegn, 'law', 'guidance', 'policy' eller '= værdi from DATO'",
        "a description in quotes or '= formula'": "en beskrivelse i anførselstegn eller '= formel'",
        "a text in quotes, 'cite' or '= condition'": "en tekst i anførselstegn, 'cite' eller '= betingelse'",
        "a label in quotes, 'when', 'reason' or 'tone'": "en betegnelse i anførselstegn, 'when', 'reason' eller 'tone'",
        "a name": "et navn",
    ]

    /// A fragment in Danish; a fragment not in the table (a keyword, a name) is kept as written.
    static func danish(_ phrase: String) -> String { danishPhrases[phrase] ?? phrase }

    /// What a token is, in Danish: `filens slutning`, `tekst i anførselstegn`, or the token in quotes.
    func describeDanish(_ token: Token) -> String {
        switch token.kind {
        case .endOfFile: "filens slutning"
        case .string: "tekst i anførselstegn"
        default: "'\(text(of: token))'"
        }
    }

    /// What was found instead, in Danish.
    var foundInsteadDanish: String { atBoundary && !atEnd ? "deklarationens slutning" : describeDanish(current) }
}
