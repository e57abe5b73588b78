import SoeLanguage

/// A letter to the firm about one decision, as content that the text and HTML renderers only lay
/// out, so the two can never say different things.
///
/// A decision's grounds follow forvaltningsloven §§ 22-24: the rules applied (with citations), the
/// main facts relied on (the firm's figures, by their descriptions and in the language's number
/// format) and the assessment, naming each policy choice and its value. An undetermined decision
/// becomes a request for the data still missing, each item with what it would settle; one with no
/// data missing (a computation without a result: a parameter with no value on the day, a division
/// by zero) says that it is not decided yet and asks for nothing, since nothing the firm could send
/// would settle it; a rule set not in force becomes a short letter that says so. The letter holds no formula and no
/// identifier of the rule file: only the rule set's texts, the firm's figures and the engine's words.
public struct Letter: Sendable {
    /// What the letter is.
    public enum Kind: String, Sendable {
        case decision, request
        /// Undetermined with no data missing: nothing is asked of the firm.
        case pending
        case notInForce = "not_in_force"
    }

    /// A headed part of the letter: paragraphs, a list, and paragraphs after the list.
    public struct Section: Sendable, Equatable {
        public var heading: String
        public var paragraphs: [String]
        public var items: [String]
        public var after: [String]
    }

    /// What this letter says: a decided result, a request, a pending case, or rules not in force.
    public var kind: Kind
    /// What the rule set says its letters are (`letter kind`): an assessment unless it says
    /// decision. Only a decision's letters are headed "Afgørelse" and speak of a decision to come.
    public var letterKind: LetterKind = .default
    public var language: Language
    /// The firm's name (or its data file), with its CVR number when known.
    public var recipient: String
    public var cvr: String?
    /// "14. marts 2025", when a decision date was given.
    public var date: String?
    /// The authority the letter is from, its name and address (`letter sender` in the rule set's
    /// header); nil when the rule set gives none.
    public var sender: String? = nil
    /// The caseworker's case number (`--case-number`), when given.
    public var caseNumber: String? = nil
    public var subject: String
    /// The opening paragraphs: what was assessed and the result.
    public var opening: [String]
    public var sections: [Section]
    /// The closing paragraphs: the rule set's contact and appeal texts, or the engine's default.
    public var closing: [String]
    /// Who signs the letter (`--signed-by "Anne Jensen, sagsbehandler"`), below the regards; nil
    /// leaves the space blank for the caseworker's own signature or letterhead.
    public var signature: String? = nil
    /// "Regelsæt: Registreret socialøkonomisk virksomhed, version 1.0": the one line that ties the
    /// letter to the rules, without hashes (those are in the dossier and the record).
    public var reference: String
    /// The outcome's tone, for the HTML letter's result box.
    public var tone: Tone?
}

extension Letter {
    /// The letter about a decision, signed by `signature` when given.
    public init(trace: Trace, language: Language, signature: String? = nil) {
        var builder = LetterBuilder(trace: trace, language: language)
        self = builder.build()
        self.signature = signature
    }
}
