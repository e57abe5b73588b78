import SoeLanguage

/// The print layout of a dossier or a letter in CSS paged media, as Chromium prints it: A4, a
/// running header on every page naming the firm, its CVR number and the rule set (so a page that
/// comes loose from the case file can be put back), and "side 2 af 5" at the foot. Each decision
/// gets a named page of its own, because each names a different firm.
enum PagedMedia {
    /// What a decision's pages are headed with.
    struct Page {
        var name: String
        var header: String
    }

    /// The page rules: a default page with page numbers, and one named page per decision with its header.
    static func css(_ pages: [Page], language: Language, margins: String) -> String {
        let pageOf = language == .danish ? ("Side ", " af ") : ("Page ", " of ")
        let numbers =
            "@bottom-right { content: \"\(pageOf.0)\" counter(page) \"\(pageOf.1)\" counter(pages); font: 9pt \"DejaVu Sans\", Arial, sans-serif; color: #555; }"
        var css = "@page { size: A4; margin: \(margins); \(numbers) }\n"
        for page in pages {
            css +=
                "@page \(page.name) { @top-left { content: \(quoted(page.header)); font: 9pt \"DejaVu Sans\", Arial, sans-serif; color: #555; } }\n"
            css += "@media print { .\(page.name) { page: \(page.name); } }\n"
        }
        return css
    }

    /// A text as a CSS string: quotes and backslashes escaped, `<` and `>` as escapes (the sheet sits
    /// in a `<style>` element and must not close it), control characters shown visibly (`\\u{1B}`).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "<": result += "\\3C "
            case ">": result += "\\3E "
            case "&": result += "\\26 "
            default:
                if DisplayText.isControl(scalar) || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    // Shown visibly, as everywhere else (`DisplayText`), its backslash escaped for CSS.
                    for part in DisplayText.escape(scalar).unicodeScalars {
                        if part == "\\" { result += "\\\\" } else { result.unicodeScalars.append(part) }
                    }
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// "Kaffekollektivet ApS · CVR 13748136 · Registreret socialøkonomisk virksomhed", and the
    /// decision date when there is one ("Afgørelsesdato 14.03.2025").
    /// `dateLabel` names the decision date (`Words.decisionDate` unless given: a letter that is an
    /// assessment calls it its date).
    static func header(_ trace: Trace, language: Language, dateLabel: String? = nil) -> String {
        let words = Words.of(language)
        var parts = [trace.firm.name ?? trace.firm.source]
        if let cvr = trace.firm.cvr { parts.append("CVR \(cvr)") }
        parts.append(trace.ruleSet.title.text(language))
        if let date = trace.decisionDate { parts.append("\(dateLabel ?? words.decisionDate) \(words.date(date))") }
        if let number = trace.caseNumber { parts.append("\(words.caseNumber) \(number)") }
        return parts.joined(separator: " · ")
    }
}
