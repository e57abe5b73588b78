import SoeEngine
import SoeLanguage
import SoeLint

/// Output formats for single firms beyond text and JSON: the decision record an auditor archives
/// (`record`, schema `soe-record/1`), the HTML dossier for the case file and appeals (`html`), and
/// the letter to the firm (`letter`, `letter-html`).
/// The work is done in the engine (`DecisionRecord`, `HTMLDossier`); this only picks one.
enum ExtraTraceFormats {
    /// The extra values of `--format`, in the order the help lists them.
    static let formats: [String] = ["record", "html", "letter", "letter-html"]

    /// The whole output for `format`, or nil when the format is not one of these (or when there is
    /// nothing to write because every firm was rejected). `signedBy` signs the letters.
    static func render(_ traces: [Trace], format: String, language: Language, signedBy: String? = nil) -> String? {
        guard !traces.isEmpty else { return nil }
        switch format {
        case "record": return DecisionRecord.render(traces)
        case "html": return HTMLDossier.render(traces, language: language)
        case "letter": return LetterText.render(traces, language: language, signature: signedBy)
        case "letter-html": return LetterHTML.render(traces, language: language, signature: signedBy)
        default: return nil
        }
    }
}
