import SoeLanguage

// A small pull tokenizer for the XML of an .xlsx workbook: start and end tags with attributes,
// text with the five named entities and numeric references (`&#229;`, `&#xE5;`) decoded, CDATA,
// and comments, processing instructions and the XML declaration skipped. Namespace prefixes are
// tolerated: names are compared by their local part (`x:c` is `c`). A document type declaration is
// refused: SpreadsheetML has none, and its entities are how "billion laughs" attacks are made.
// Bounded: nesting at most `maxDepth`, at most `maxAttributes` attributes per tag; everything else
// is bounded by the part's size, which the ZIP reader caps.

/// One piece of an XML document.
public enum XMLToken: Equatable, Sendable {
    /// A start tag: its local name's bytes; `selfClosing` for `<x/>`. Its attributes are in the
    /// tokenizer's `attributes` until the next token.
    case start(Range<Int>, selfClosing: Bool)
    /// An end tag, its local name's bytes.
    case end(Range<Int>)
    /// Character data, raw (entities still in it): decode with `text(_:)`.
    case text(Range<Int>)
    /// A CDATA section's content, taken as it is.
    case cdata(Range<Int>)
}

/// An attribute of the current start tag: its local name and raw value (entities still in it).
public struct XMLAttribute: Equatable, Sendable {
    public var name: Range<Int>
    public var value: Range<Int>
}

/// Reads the tokens of an XML document in order.
public struct XMLTokenizer {
    public let bytes: [UInt8]
    public private(set) var position = 0
    /// The attributes of the last start tag.
    public private(set) var attributes: [XMLAttribute] = []
    /// Open elements, checked against their end tags.
    private var open: [Range<Int>] = []
    static let maxDepth = 256
    static let maxAttributes = 512

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        attributes.reserveCapacity(8)
        // A UTF-8 byte-order mark before the declaration is allowed.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The line of a byte offset, for messages.
    public func line(of offset: Int) -> Int {
        1 + bytes[0..<min(offset, bytes.count)].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    func problem(_ english: String, _ danish: String, at offset: Int) -> SheetError {
        let line = line(of: offset)
        return SheetError("malformed XML at line \(line): \(english)", da: "fejl i XML i linje \(line): \(danish)")
    }

    /// The next token, or nil at the end of the document (where every element must be closed).
    public mutating func next() throws(SheetError) -> XMLToken? {
        while position < bytes.count {
            if bytes[position] != UInt8(ascii: "<") {
                let start = position
                while position < bytes.count && bytes[position] != UInt8(ascii: "<") { position += 1 }
                if open.isEmpty {
                    // Outside the root only white space may stand.
                    if bytes[start..<position].contains(where: { $0 > 0x20 }) {
                        throw problem("text outside the root element", "tekst uden for rodelementet", at: start)
                    }
                    continue
                }
                return .text(start..<position)
            }
            let start = position
            guard position + 1 < bytes.count else {
                throw problem("the document ends inside a tag", "dokumentet slutter inde i et tag", at: start)
            }
            switch bytes[position + 1] {
            case UInt8(ascii: "?"):
                try skip(past: [UInt8]("?>".utf8), from: position + 2, what: "processing instruction", start: start)
            case UInt8(ascii: "!"):
                if matches("<!--", at: position) {
                    try skip(past: [UInt8]("-->".utf8), from: position + 4, what: "comment", start: start)
                } else if matches("<![CDATA[", at: position) {
                    let content = position + 9
                    try skip(past: [UInt8]("]]>".utf8), from: content, what: "CDATA section", start: start)
                    guard !open.isEmpty else { throw problem("CDATA outside the root element", "CDATA uden for rodelementet", at: start) }
                    return .cdata(content..<(position - 3))
                } else {
                    throw problem(
                        "a document type declaration (<!DOCTYPE …>), which a workbook never has and soe does not read",
                        "en dokumenttypeerklæring (<!DOCTYPE …>), som en projektmappe aldrig har, og som soe ikke læser", at: start)
                }
            case UInt8(ascii: "/"):
                position += 2
                let name = try readName(start: start)
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ">") else {
                    throw problem("an end tag is not closed with '>'", "et sluttag er ikke lukket med '>'", at: start)
                }
                position += 1
                guard let opened = open.popLast(), bytes[opened] == bytes[name] else {
                    throw problem(
                        "the end tag </\(shown(name))> does not match the element open",
                        "sluttagget </\(shown(name))> passer ikke til det åbne element",
                        at: start)
                }
                return .end(local(name))
            default:
                position += 1
                let name = try readName(start: start)
                attributes.removeAll(keepingCapacity: true)
                while true {
                    let hadSpace = skipSpace()
                    guard position < bytes.count else {
                        throw problem("the document ends inside a tag", "dokumentet slutter inde i et tag", at: start)
                    }
                    let byte = bytes[position]
                    if byte == UInt8(ascii: ">") {
                        position += 1
                        guard open.count < Self.maxDepth else {
                            throw problem(
                                "elements nest deeper than \(Self.maxDepth)", "elementer er indlejret dybere end \(Self.maxDepth)",
                                at: start)
                        }
                        open.append(name)
                        return .start(local(name), selfClosing: false)
                    }
                    if byte == UInt8(ascii: "/") {
                        guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ">") else {
                            throw problem("'/' in a tag not followed by '>'", "'/' i et tag uden '>' efter", at: position)
                        }
                        position += 2
                        return .start(local(name), selfClosing: true)
                    }
                    guard hadSpace else {
                        throw problem("attributes must be separated by space", "attributter skal adskilles af mellemrum", at: position)
                    }
                    let attributeName = try readName(start: start)
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
                        throw problem("an attribute without '=' and a value", "en attribut uden '=' og værdi", at: position)
                    }
                    position += 1
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
                        throw problem("an attribute value not in quotes", "en attributværdi uden anførselstegn", at: position)
                    }
                    let quote = bytes[position]
                    let valueStart = position + 1
                    position = valueStart
                    while position < bytes.count && bytes[position] != quote {
                        if bytes[position] == UInt8(ascii: "<") {
                            throw problem("'<' inside an attribute value", "'<' i en attributværdi", at: position)
                        }
                        position += 1
                    }
                    guard position < bytes.count else {
                        throw problem("an attribute value never ends", "en attributværdi slutter aldrig", at: valueStart)
                    }
                    guard attributes.count < Self.maxAttributes else {
                        throw problem(
                            "more than \(Self.maxAttributes) attributes in one tag", "mere end \(Self.maxAttributes) attributter i ét tag",
                            at: start)
                    }
                    attributes.append(XMLAttribute(name: local(attributeName), value: valueStart..<position))
                    position += 1
                }
            }
        }
        if let unclosed = open.last {
            throw problem(
                "the document ends with <\(shown(unclosed))> still open", "dokumentet slutter, mens <\(shown(unclosed))> stadig er åbent",
                at: bytes.count)
        }
        return nil
    }

    /// Whether a name (from a token or attribute) is `expected`, as ASCII bytes.
    @inline(__always) public func name(_ range: Range<Int>, is expected: StaticString) -> Bool {
        guard range.count == expected.utf8CodeUnitCount else { return false }
        return expected.withUTF8Buffer { buffer in
            var index = range.lowerBound
            for byte in buffer {
                if bytes[index] != byte { return false }
                index += 1
            }
            return true
        }
    }

    /// The raw value of the current tag's attribute of a local name, or nil.
    public func attribute(_ expected: StaticString) -> Range<Int>? {
        for attribute in attributes where name(attribute.name, is: expected) { return attribute.value }
        return nil
    }

    /// Text with its entity and character references decoded; an unknown entity, a reference to
    /// a character XML does not allow, or bytes that are not UTF-8 are errors.
    public func text(_ range: Range<Int>) throws(SheetError) -> String {
        var index = range.lowerBound
        guard bytes[range].contains(UInt8(ascii: "&")) else { return try utf8(range) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count)
        while index < range.upperBound {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "&") else {
                decoded.append(byte)
                index += 1
                continue
            }
            guard let semicolon = bytes[index..<range.upperBound].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                throw problem("'&' that starts no entity (write &amp;)", "'&', der ikke indleder en entitet (skriv &amp;)", at: index)
            }
            let entity = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch entity {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Self.allowed)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst(1), radix: 10).flatMap(Self.allowed)
                }
            }
            guard let scalar else {
                throw problem(
                    "the entity &\(DisplayText.value(entity));, which XML does not define",
                    "entiteten &\(DisplayText.value(entity));, som XML ikke definerer",
                    at: index)
            }
            decoded.append(contentsOf: Array(String(Character(scalar)).utf8))
            index = semicolon + 1
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw problem("text that is not UTF-8", "tekst, der ikke er UTF-8", at: range.lowerBound)
        }
        return text
    }

    /// Bytes as UTF-8 text, or an error.
    public func utf8(_ range: Range<Int>) throws(SheetError) -> String {
        guard let text = String(validating: bytes[range], as: UTF8.self) else {
            throw problem("text that is not UTF-8", "tekst, der ikke er UTF-8", at: range.lowerBound)
        }
        return text
    }

    /// A character XML 1.0 allows: tab, line feed, carriage return, and from space on, without
    /// surrogates and the two non-characters at the end of the BMP.
    static func allowed(_ value: UInt32) -> Unicode.Scalar? {
        guard value == 9 || value == 10 || value == 13 || (value >= 0x20 && value != 0xFFFE && value != 0xFFFF) else { return nil }
        return Unicode.Scalar(value)
    }

    private func matches(_ text: StaticString, at offset: Int) -> Bool {
        let count = text.utf8CodeUnitCount
        guard offset + count <= bytes.count else { return false }
        return name(offset..<(offset + count), is: text)
    }

    private mutating func skip(past terminator: [UInt8], from: Int, what: String, start: Int) throws(SheetError) {
        var index = from
        while index + terminator.count <= bytes.count {
            if bytes[index] == terminator[0] && bytes[index..<(index + terminator.count)].elementsEqual(terminator) {
                position = index + terminator.count
                return
            }
            index += 1
        }
        throw problem("a \(what) that never ends", "en \(Self.danishName(what)), der aldrig slutter", at: start)
    }

    static func danishName(_ what: String) -> String {
        switch what {
        case "comment": "kommentar"
        case "CDATA section": "CDATA-sektion"
        default: "behandlingsinstruktion"
        }
    }

    @discardableResult private mutating func skipSpace() -> Bool {
        let start = position
        while position < bytes.count,
            bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09
        {
            position += 1
        }
        return position > start
    }

    private mutating func readName(start: Int) throws(SheetError) -> Range<Int> {
        let first = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
                || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
            {
                break
            }
            position += 1
        }
        guard position > first else { throw problem("a tag or attribute without a name", "et tag eller en attribut uden navn", at: start) }
        return first..<position
    }

    /// The local part of a name: after its prefix and colon, if any.
    private func local(_ name: Range<Int>) -> Range<Int> {
        if let colon = bytes[name].lastIndex(of: UInt8(ascii: ":")), colon + 1 < name.upperBound { return (colon + 1)..<name.upperBound }
        return name
    }

    private func shown(_ range: Range<Int>) -> String { DisplayText.value(String(decoding: bytes[range], as: UTF8.self), limit: 40) }
}
