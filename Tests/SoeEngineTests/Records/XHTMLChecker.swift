/// A small, strict well-formedness checker for the HTML that `soe` writes, stricter than a browser:
/// tags balanced and properly nested, void elements never closed, every attribute quoted and not
/// repeated, every `&` the start of a valid entity, no raw `<` or `>` in text, no control
/// characters, one root `<html>`, and the few nesting rules of HTML whose breach makes a browser
/// silently restructure the page (a `<p>` that holds a block, a `<tr>` outside a table).
struct XHTMLChecker {
    /// Elements that have no content and no closing tag.
    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr",
    ]
    /// Elements whose content is raw text up to their closing tag.
    static let rawText: Set<String> = ["style", "script"]
    /// Elements a `<p>` cannot contain: the browser would close the paragraph before them.
    static let blocks: Set<String> = [
        "address", "article", "aside", "blockquote", "div", "dl", "fieldset", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
        "section", "table", "ul",
    ]
    /// Where some elements may appear: the element and the parents allowed.
    static let parents: [String: Set<String>] = [
        "li": ["ul", "ol"], "tr": ["thead", "tbody", "tfoot", "table"], "td": ["tr"], "th": ["tr"],
        "thead": ["table"], "tbody": ["table"], "dt": ["dl"], "dd": ["dl"], "head": ["html"], "body": ["html"],
    ]
    static let namedEntities: Set<String> = ["amp", "lt", "gt", "quot", "apos", "nbsp"]

    let text: [Character]
    var index = 0
    var stack: [String] = []
    var roots = 0
    var errors: [String] = []

    /// The problems found, each with its character offset; empty when the document is well formed.
    static func check(_ html: String) -> [String] {
        var checker = XHTMLChecker(text: Array(html))
        checker.run()
        return checker.errors
    }

    mutating func fail(_ message: String) { errors.append("at \(index): \(message)") }

    mutating func run() {
        if starts(with: "<!DOCTYPE html>") { index += 15 }
        while index < text.count, errors.count < 20 {
            let character = text[index]
            if character == "<" {
                if starts(with: "<!--") {
                    guard let end = find("-->", from: index + 4) else { return fail("unterminated comment") }
                    index = end + 3
                } else if starts(with: "</") {
                    closingTag()
                } else {
                    openingTag()
                }
            } else {
                textCharacter(character, inAttribute: false)
            }
        }
        if !stack.isEmpty { fail("unclosed elements at the end: \(stack.joined(separator: " > "))") }
        if roots != 1 { fail("expected exactly one root element, found \(roots)") }
    }

    mutating func textCharacter(_ character: Character, inAttribute: Bool) {
        switch character {
        case "&": entity()
        case ">" where !inAttribute:
            fail("raw '>' in text")
            index += 1
        case "<":
            fail("raw '<' in \(inAttribute ? "an attribute" : "text")")
            index += 1
        default:
            if stack.isEmpty, !inAttribute, !character.isWhitespace { fail("text outside the root element") }
            if let scalar = character.unicodeScalars.first, scalar.value < 0x20, !"\t\n\r".unicodeScalars.contains(scalar) {
                fail("control character U+\(String(scalar.value, radix: 16))")
            }
            index += 1
        }
    }

    mutating func entity() {
        guard let end = (index..<min(index + 12, text.count)).first(where: { text[$0] == ";" }) else {
            fail("'&' that does not start an entity")
            index += 1
            return
        }
        let name = String(text[(index + 1)..<end])
        if name.hasPrefix("#x") || name.hasPrefix("#X") {
            if UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) == nil { fail("bad character reference &\(name);") }
        } else if name.hasPrefix("#") {
            if UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init) == nil { fail("bad character reference &\(name);") }
        } else if !XHTMLChecker.namedEntities.contains(name) {
            fail("unknown entity &\(name);")
        }
        index = end + 1
    }

    mutating func openingTag() {
        index += 1
        let name = readName()
        guard !name.isEmpty else { return fail("'<' not followed by a tag name") }
        if name != name.lowercased() { fail("tag <\(name)> is not lower case") }
        var seen: Set<String> = []
        var selfClosing = false
        while index < text.count {
            skipSpaces()
            if starts(with: "/>") {
                selfClosing = true
                index += 2
                break
            }
            if starts(with: ">") {
                index += 1
                break
            }
            let attribute = readName()
            guard !attribute.isEmpty else { return fail("bad character '\(text[index])' in <\(name)>") }
            if !seen.insert(attribute).inserted { fail("attribute \(attribute) repeated in <\(name)>") }
            guard starts(with: "=\"") || starts(with: "='") else { return fail("attribute \(attribute) of <\(name)> has no quoted value") }
            let quote = text[index + 1]
            index += 2
            while index < text.count, text[index] != quote { textCharacter(text[index], inAttribute: true) }
            index += 1
        }
        if stack.isEmpty {
            roots += 1
            if name != "html" { fail("the root element is <\(name)>, not <html>") }
        }
        if let parent = stack.last, parent == "p", XHTMLChecker.blocks.contains(name) { fail("<\(name)> inside <p>") }
        if let allowed = XHTMLChecker.parents[name], !allowed.contains(stack.last ?? "") {
            fail("<\(name)> inside <\(stack.last ?? "nothing")>")
        }
        if XHTMLChecker.voidElements.contains(name) || selfClosing { return }
        if XHTMLChecker.rawText.contains(name) {
            guard let end = find("</\(name)>", from: index) else { return fail("unterminated <\(name)>") }
            index = end + name.count + 3
            return
        }
        stack.append(name)
    }

    mutating func closingTag() {
        index += 2
        let name = readName()
        skipSpaces()
        guard starts(with: ">") else { return fail("bad closing tag </\(name)") }
        index += 1
        if XHTMLChecker.voidElements.contains(name) { return fail("void element </\(name)> closed") }
        guard let open = stack.last else { return fail("</\(name)> closes nothing") }
        if open != name { return fail("</\(name)> closes <\(open)>") }
        stack.removeLast()
    }

    mutating func readName() -> String {
        var name = ""
        while index < text.count, text[index].isLetter || text[index].isNumber || text[index] == "-" || text[index] == ":" {
            name.append(text[index])
            index += 1
        }
        return name
    }

    mutating func skipSpaces() { while index < text.count, text[index].isWhitespace { index += 1 } }

    func starts(with prefix: String) -> Bool {
        let characters = Array(prefix)
        return index + characters.count <= text.count && Array(text[index..<(index + characters.count)]) == characters
    }

    func find(_ needle: String, from start: Int) -> Int? {
        let characters = Array(needle)
        var position = start
        while position + characters.count <= text.count {
            if Array(text[position..<(position + characters.count)]) == characters { return position }
            position += 1
        }
        return nil
    }
}
