import SoeLanguage

/// A letter as plain text, wrapped at 78 columns, ready to paste into a case system or print.
/// Several letters are separated by a form feed, which starts a new page on a printer.
public enum LetterText {
    /// The width lines are wrapped to.
    static let width = 78

    /// The letters of the decisions, one per trace, ending with a line break; each signed by
    /// `signature` when given (`--signed-by`).
    public static func render(_ traces: [Trace], language: Language, signature: String? = nil) -> String {
        traces.map { render(Letter(trace: $0, language: language, signature: signature)) }.joined(separator: "\u{0C}\n")
    }

    /// One letter.
    public static func render(_ letter: Letter) -> String {
        let letterWords = LetterWords(language: letter.language)
        var lines: [String] = []
        if let sender = letter.sender { lines += wrap("\(letterWords.from): \(sender)") + [""] }
        lines.append(letter.recipient)
        if let cvr = letter.cvr { lines.append("CVR \(cvr)") }
        if let date = letter.date { lines.append("\(letterWords.date): \(date)") }
        if let number = letter.caseNumber { lines.append("\(Words.of(letter.language).caseNumber) \(number)") }
        lines.append("")
        lines += wrap(letter.subject)
        lines.append(String(repeating: "=", count: min(letter.subject.count, width)))
        for paragraph in letter.opening {
            lines.append("")
            lines += wrap(paragraph)
        }
        for section in letter.sections {
            lines.append("")
            lines.append(section.heading)
            lines.append(String(repeating: "-", count: min(section.heading.count, width)))
            for paragraph in section.paragraphs {
                lines += wrap(paragraph)
                lines.append("")
            }
            for item in section.items { lines += wrap(item, first: "  - ", rest: "    ") }
            if !section.items.isEmpty { lines.append("") }
            for paragraph in section.after {
                lines += wrap(paragraph)
                lines.append("")
            }
            if lines.last == "" { lines.removeLast() }
        }
        for paragraph in letter.closing {
            lines.append("")
            lines += wrap(paragraph)
        }
        // Two blank lines below the regards: room for a signature by hand, then the name when given.
        lines += ["", letterWords.regards, "", ""]
        if let signature = letter.signature { lines += wrap(signature) + [""] }
        lines.append(letter.reference)
        // A name or a text from data is shown, never obeyed (`DisplayText`).
        return lines.map(DisplayText.line).joined(separator: "\n") + "\n"
    }

    /// A paragraph wrapped at word boundaries; a word longer than a line (a web address) stays whole.
    static func wrap(_ text: String, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        var line = first
        var lineHasWord = false
        // A unit stays with its number and a paragraph sign with its number: "300.000,00 kr", "§ 65".
        var words: [String] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            if let last = words.last, word == "kr" || word == "%" || last == "§" || last == "§§" {
                words[words.count - 1] = last + " " + word
            } else {
                words.append(word)
            }
        }
        for word in words {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }
}
