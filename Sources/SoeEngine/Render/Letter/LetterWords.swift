import SoeLanguage

/// The words of a letter to a firm, in Danish and English. Kept apart from `Words` because a
/// letter speaks to the firm in whole sentences, where the trace speaks to a caseworker in labels.
struct LetterWords: Sendable {
    let language: Language
    /// What the rule set says its letters are (`letter kind`): the words "afgørelse" and
    /// "decision" are written only in a decision's letters; an assessment's speak of the assessment.
    var kind: LetterKind = .default
    var danish: Bool { language == .danish }
    var decides: Bool { kind == .decision }

    /// The subject of a letter about a decided firm: "Vurdering: …" for an assessment,
    /// "Afgørelse: …" for a decision (`letter kind decision`).
    func subjectDecided(_ title: String, _ year: Int) -> String {
        switch (danish, decides) {
        case (true, true): "Afgørelse: \(title), regnskabsåret \(year)"
        case (true, false): "Vurdering: \(title), regnskabsåret \(year)"
        case (false, true): "Decision: \(title), fiscal year \(year)"
        case (false, false): "Assessment: \(title), fiscal year \(year)"
        }
    }
    func subjectRequest(_ title: String, _ year: Int) -> String {
        danish ? "Anmodning om oplysninger: \(title), regnskabsåret \(year)" : "Request for information: \(title), fiscal year \(year)"
    }
    func subjectPending(_ title: String, _ year: Int) -> String {
        switch (danish, decides) {
        case (true, true): "Vurdering, endnu uden afgørelse: \(title), regnskabsåret \(year)"
        case (true, false): "Vurdering, endnu ikke afsluttet: \(title), regnskabsåret \(year)"
        case (false, true): "Assessment, not yet decided: \(title), fiscal year \(year)"
        case (false, false): "Assessment, not yet complete: \(title), fiscal year \(year)"
        }
    }
    /// "Vi kan endnu ikke træffe afgørelse" in a decision's letters, "Vi kan endnu ikke afslutte
    /// vurderingen" in an assessment's, before the reason.
    var notYet: String {
        switch (danish, decides) {
        case (true, true): "Vi kan endnu ikke træffe afgørelse"
        case (true, false): "Vi kan endnu ikke afslutte vurderingen"
        case (false, true): "We cannot decide yet"
        case (false, false): "We cannot complete the assessment yet"
        }
    }
    /// What the firm will be sent when the case is done: "en afgørelse", or "vurderingen".
    var willSend: String {
        switch (danish, decides) {
        case (true, true): "sender virksomheden en afgørelse"
        case (true, false): "sender virksomheden vurderingen"
        case (false, true): "will send the firm a decision"
        case (false, false): "will send the firm the assessment"
        }
    }
    /// The opening of a letter about an undetermined firm with no data missing (`Letter.Kind.pending`).
    func pending(_ firm: String, _ title: String, _ year: Int, _ closing: String, problems: [String]) -> String {
        let list = problems.joined(separator: "; ")
        return danish
            ? "Vi er ved at vurdere \(firm) efter reglerne \(quoted(title)) for regnskabsåret \(year), afsluttet \(closing). \(notYet), fordi nogle beregninger ikke kunne gennemføres"
                + (list.isEmpty ? "." : ": \(list).")
                + " Vi beder ikke virksomheden om flere oplysninger; vi undersøger sagen og \(willSend)."
            : "We are assessing \(firm) under the rules \(quoted(title)) for the fiscal year \(year), closing \(closing). \(notYet), because some computations could not be made"
                + (list.isEmpty ? "." : ": \(list).")
                + " We are not asking the firm for more information; we are looking into the matter and \(willSend)."
    }
    func subjectNotInForce(_ title: String, _ year: Int) -> String {
        danish
            ? "\(title): reglerne gælder ikke for regnskabsåret \(year)"
            : "\(title): the rules do not apply to the fiscal year \(year)"
    }
    func assessed(_ firm: String, _ title: String, _ year: Int, _ closing: String) -> String {
        danish
            ? "Vi har vurderet \(firm) efter reglerne \(quoted(title)) for regnskabsåret \(year), afsluttet \(closing)."
            : "We have assessed \(firm) under the rules \(quoted(title)) for the fiscal year \(year), closing \(closing)."
    }
    func assessing(_ firm: String, _ title: String, _ year: Int, _ closing: String) -> String {
        danish
            ? "Vi er ved at vurdere \(firm) efter reglerne \(quoted(title)) for regnskabsåret \(year), afsluttet \(closing). \(notYet), fordi vi mangler nogle oplysninger."
            : "We are assessing \(firm) under the rules \(quoted(title)) for the fiscal year \(year), closing \(closing). \(notYet), because some information is missing."
    }
    func resultIs(_ label: String) -> String { danish ? "Resultatet er: \(label)." : "The result is: \(label)." }
    func reasonIs(_ reason: String) -> String { (danish ? "Begrundelse: " : "Reason: ") + sentence(reason) }

    var rulesHeading: String { danish ? "Regler, vi har anvendt" : "Rules applied" }
    /// The rule set's source as its author wrote it, after a label rather than inside a sentence:
    /// a source begins with a name (`Haderslev Kommune, …`) as often as with a common word
    /// (`Kommunal praksis: …`), and neither may have its capital changed.
    func rulesRestOn(_ source: String) -> String {
        sentence((danish ? "Reglernes kilde: " : "Source of the rules: ") + source)
    }
    var rulesIntro: String {
        danish ? "Vi har vurderet virksomheden efter disse bestemmelser:" : "We have assessed the firm against these provisions:"
    }
    var factsHeading: String { danish ? "Oplysninger, vi har lagt vægt på" : "Facts relied on" }
    var factsIntro: String {
        danish
            ? "Vi har lagt disse oplysninger om virksomheden til grund (beregnede tal er udregnet af de øvrige):"
            : "We have relied on this information about the firm (computed figures are worked out from the others):"
    }
    var computed: String { danish ? "beregnet" : "computed" }
    var assessmentHeading: String { danish ? "Vurdering" : "Assessment" }
    var limitsIntro: String {
        danish
            ? "Vurderingen bruger disse grænser. Hvor reglerne ikke selv fastsætter en grænse, er den et politisk valg, og valget er begrundet her:"
            : "The assessment uses these limits. Where the rules do not set a limit themselves, it is a policy choice, and the choice is explained here:"
    }
    var requestHeading: String { danish ? "Oplysninger, vi beder om" : "Information we ask for" }
    var requestIntro: String {
        danish ? "Vi beder virksomheden sende os disse oplysninger:" : "We ask the firm to send us this information:"
    }
    func settles(_ what: String) -> String { danish ? "har betydning for: \(what)" : "settles: \(what)" }
    /// Where the declared limits of the missing data decide the outcome: the letter still asks for
    /// the data (the decision is to rest on the firm's own figures), and says that it cannot
    /// change the result, instead of "the result could be" with one outcome.
    func decidedByLimits(_ outcome: String) -> String {
        danish
            ? "Uanset hvad oplysningerne viser, inden for de grænser reglerne sætter for dem, bliver resultatet: \(outcome). Vi beder om dem, så vurderingen kan bygge på virksomhedens egne tal."
            : "Whatever the information shows, within the limits the rules set for it, the result will be: \(outcome). We ask for it so that the assessment can rest on the firm's own figures."
    }
    var requestClose: String {
        switch (danish, decides) {
        case (true, true): "Når vi har oplysningerne, færdiggør vi vurderingen og sender virksomheden en afgørelse."
        case (true, false): "Når vi har oplysningerne, færdiggør vi vurderingen og sender den til virksomheden."
        case (false, true): "When we have the information, we will complete the assessment and send the firm a decision."
        case (false, false): "When we have the information, we will complete the assessment and send it to the firm."
        }
    }
    func problems(_ list: String) -> String {
        danish
            ? "Nogle beregninger kunne ikke gennemføres med de oplysninger, vi har: \(list)."
            : "Some computations could not be made with the information we have: \(list)."
    }
    func notInForce(_ title: String, _ period: String?, _ year: Int, _ closing: String) -> String {
        let rules = danish ? "Reglerne \(quoted(title))" : "The rules \(quoted(title))"
        let inForce =
            period.map { danish ? " gælder \($0)." : " apply \($0)." }
            ?? (danish ? " gælder ikke på datoen." : " do not apply on that date.")
        let outside =
            danish
            ? " Regnskabsåret \(year), afsluttet \(closing), ligger uden for denne periode, og virksomheden er derfor ikke vurderet efter disse regler."
            : " The fiscal year \(year), closing \(closing), lies outside this period, so the firm has not been assessed under these rules."
        return rules + inForce + outside
    }
    func period(_ from: String?, _ until: String?) -> String? {
        switch (from, until) {
        case (let from?, let until?): danish ? "fra \(from) til \(until)" : "from \(from) until \(until)"
        case (let from?, nil): danish ? "fra \(from)" : "from \(from)"
        case (nil, let until?): danish ? "til og med \(until)" : "until \(until)"
        default: nil
        }
    }
    var defaultContact: String {
        danish
            ? "Har virksomheden spørgsmål til brevet, er den velkommen til at kontakte os."
            : "If the firm has any questions about this letter, please contact us."
    }
    var regards: String { danish ? "Med venlig hilsen" : "Yours sincerely" }
    var date: String { danish ? "Dato" : "Date" }
    /// The date's label in the HTML letter's running header: "Afgørelsesdato" only on a decision.
    var runningDate: String { decides ? Words.of(language).decisionDate : date }
    var from: String { danish ? "Fra" : "From" }
    func reference(_ title: String, _ version: String?) -> String {
        (danish ? "Regelsæt: " : "Rule set: ") + title + (version.map { ", version \($0)" } ?? "")
    }

    // Facts in words: a comparison as a statement of what is, never as a formula.

    /// The relation a comparison states, or the one that holds when it does not: "mindst", "under".
    /// Before a phrase (`grænsen på 50 %`, `højeste antal … (1,6)`) Danish says "er ikke over" and
    /// "er ikke under": "er højst højeste antal" and "er mindst grænsen" are no Danish.
    func relation(_ op: NodeOp, holds: Bool, beforePhrase: Bool = false) -> String? {
        let shown: NodeOp
        switch (op, holds) {
        case (_, true): shown = op
        case (.greaterEqual, false): shown = .less
        case (.greater, false): shown = .lessEqual
        case (.lessEqual, false): shown = .greater
        case (.less, false): shown = .greaterEqual
        case (.equal, false): shown = .notEqual
        case (.notEqual, false): shown = .equal
        default: return nil
        }
        if danish && beforePhrase && shown == .greaterEqual { return "er ikke under" }
        if danish && beforePhrase && shown == .lessEqual { return "er ikke over" }
        switch shown {
        case .greaterEqual: return danish ? "er mindst" : "is at least"
        case .greater: return danish ? "er over" : "is more than"
        case .lessEqual: return danish ? "er højst" : "is at most"
        case .less: return danish ? "er under" : "is less than"
        case .equal: return danish ? "er" : "is"
        case .notEqual: return danish ? "er ikke" : "is not"
        default: return nil
        }
    }
    func limit(_ value: String) -> String { danish ? "grænsen på \(value)" : "the limit of \(value)" }
    func criterion(_ text: String, _ status: String) -> String { "\(text): \(status)." }

    /// A title inside a sentence: »…« in Danish, “…” in English.
    func quoted(_ title: String) -> String { danish ? "»\(title)«" : "“\(title)”" }

    /// A text as a sentence: with a full stop unless it already ends with one.
    func sentence(_ text: String) -> String {
        guard let last = text.last else { return text }
        return ".!?".contains(last) ? text : text + "."
    }
}
