import SoeLanguage

// HTML is built as values, not by printing strings: text becomes markup only through `Markup.text`,
// which escapes it, and elements only through `Markup.element`, which writes the closing tag. A
// dossier is therefore well formed by construction (balanced, nested, attributes quoted) whatever a
// firm's name or a rule file's label contains, and the well-formedness test checks that claim.

/// A fragment of well-formed HTML.
public struct Markup: Sendable, Equatable {
    /// The HTML text of the fragment.
    public let html: String

    init(raw: String) { html = raw }

    /// Text, escaped for HTML.
    public static func text(_ text: String) -> Markup { Markup(raw: escape(text)) }

    /// Nothing.
    public static let empty = Markup(raw: "")

    /// Elements after which a line break is written, so golden files are readable as diffs.
    static let blockElements: Set<String> = [
        "html", "head", "body", "main", "header", "footer", "section", "nav", "div", "p", "h1", "h2", "h3",
        "table", "thead", "tbody", "tr", "ol", "ul", "li", "dl", "dt", "dd", "title", "style", "meta",
    ]
    /// Elements whose content starts on a new line.
    static let containerElements: Set<String> = [
        "html", "head", "body", "main", "header", "footer", "section", "nav", "table", "thead", "tbody", "tr", "ol", "ul", "dl",
    ]

    /// An element with attributes (values escaped; nil values left out) and content.
    public static func element(_ name: String, _ attributes: [(String, String?)] = [], _ content: [Markup]) -> Markup {
        var html = "<" + name + attributeText(attributes) + ">"
        if containerElements.contains(name) { html += "\n" }
        for part in content { html += part.html }
        html += "</" + name + ">"
        if blockElements.contains(name) { html += "\n" }
        return Markup(raw: html)
    }

    /// An element with a class and content: the common case.
    static func tag(_ name: String, _ className: String? = nil, _ content: Markup...) -> Markup {
        element(name, [("class", className)], content)
    }

    /// An element that has no content and no closing tag, written `<name … />`.
    public static func void(_ name: String, _ attributes: [(String, String?)] = []) -> Markup {
        Markup(raw: "<" + name + attributeText(attributes) + "/>" + (blockElements.contains(name) ? "\n" : ""))
    }

    /// Fragments one after the other.
    public static func join(_ parts: [Markup], separator: Markup = .empty) -> Markup {
        Markup(raw: parts.map(\.html).joined(separator: separator.html))
    }

    static func attributeText(_ attributes: [(String, String?)]) -> String {
        attributes.compactMap { name, value in value.map { " \(name)=\"\(escape($0))\"" } }.joined()
    }

    /// Escapes text for element content and double-quoted attribute values. Tab and line breaks
    /// stay; every other control character (see `DisplayText`: C0, DEL, C1, the line separators,
    /// bidi controls), and U+FFFE and U+FFFF, which XML forbids, is written as its visible escape
    /// (`\u{1B}`), never raw: no input can make the document invalid or reorder what is read.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if DisplayText.isControl(scalar) || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result += DisplayText.escape(scalar)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// Appends another fragment.
    static func + (lhs: Markup, rhs: Markup) -> Markup { Markup(raw: lhs.html + rhs.html) }
}
