// A hand-written JSON reader: Foundation's parsers turn numbers into Doubles and forget where values
// were, but fact files need exact decimal text and byte positions for diagnostics. Pure stdlib.

/// One parsed JSON value with the byte range it covers in the input, so a diagnostic can point at it.
public struct JSONNode: Sendable, Equatable {
    /// The value itself.
    public var value: JSONValue
    /// From the value's first byte to one past its last; strings include their quotes.
    public var range: Range<Int>

    /// Pairs a value with its position; mostly for tests that build expected trees.
    public init(value: JSONValue, range: Range<Int>) {
        self.value = value
        self.range = range
    }
}

/// A JSON value as written, without any lossy conversion.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The lexeme exactly as written ("1.50", "-0", "1e400"): validated against the RFC 8259 grammar but
    /// never converted, because rounding through Double would change amounts.
    case number(String)
    /// Escapes decoded; a lone surrogate escape such as `\ud800` is an error (`loneSurrogate`).
    case string(String)
    case array([JSONNode])
    /// Members in document order with duplicates kept, so the caller can report them instead of silently
    /// taking the last one.
    case object([JSONMember])
}

/// One `"key": value` member of an object.
public struct JSONMember: Sendable, Equatable {
    /// The decoded key.
    public var key: String
    /// The key's byte range, quotes included.
    public var keyRange: Range<Int>
    /// The member's value.
    public var value: JSONNode

    /// Builds a member; mostly for tests that build expected trees.
    public init(key: String, keyRange: Range<Int>, value: JSONNode) {
        self.key = key
        self.keyRange = keyRange
        self.value = value
    }
}

/// A syntax error: a lower-case message without a full stop, and the byte offset where it was found.
public struct JSONSyntaxError: Error, Sendable, Equatable {
    /// What is wrong, e.g. "expected ',' or '}' after object member".
    public var message: String
    /// Byte offset into the parsed input.
    public var offset: Int

    /// Builds an error; public so callers can construct their own in the same shape.
    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
}

/// A strict RFC 8259 parser that keeps number lexemes and byte positions.
public enum JSONReader {
    /// Parses one complete JSON text; anything but whitespace after the value is an error.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) -> Result<JSONNode, JSONSyntaxError> {
        bytes.withUnsafeBufferPointer { parse($0, maxDepth: maxDepth) }
    }

    /// The same engine over borrowed memory, so JSON Lines can be parsed line by line without copying;
    /// offsets are relative to the buffer's start.
    public static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int = 512
    ) -> Result<JSONNode, JSONSyntaxError> {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        do {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(error)
        }
    }
}

/// Line and column (1-based, column counted in Unicode scalars) of a byte offset, for error messages.
/// CR LF and a lone CR each count as one line break, as in `SourceFile`.
public func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    let end = max(0, min(offset, bytes.count))
    var line = 1
    var lineStart = 0
    var index = 0
    while index < end {
        if bytes[index] == 0x0A || bytes[index] == 0x0D {
            // A break counts only once its last byte lies before the offset, so the LF of a CR LF
            // still belongs to the line it ends.
            let isCRLF = bytes[index] == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A
            let last = isCRLF ? index + 1 : index
            guard last < end else { break }
            line += 1
            lineStart = last + 1
            index = last
        }
        index += 1
    }
    var column = 1
    for position in lineStart..<end where bytes[position] & 0xC0 != 0x80 { column += 1 }
    return (line, column)
}

/// Line and column of one offset after another in the same document, each found from where the
/// last one was: placing every member of a large object (a minified file is one long line) costs
/// one pass over it, not one pass per member. Gives exactly what `lineAndColumn(of:in:)` gives.
public struct LineColumnCursor {
    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    private var column = 1

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The place of `target`; from the start of the document again if it lies before the last one.
    public mutating func place(_ target: Int) -> (line: Int, column: Int) {
        let end = max(0, min(target, bytes.count))
        if end < offset { (offset, line, column) = (0, 1, 1) }
        while offset < end {
            let byte = bytes[offset]
            if byte == 0x0A || (byte == 0x0D && !(offset + 1 < bytes.count && bytes[offset + 1] == 0x0A)) {
                (line, column) = (line + 1, 1)
                offset += 1
            } else if byte == 0x0D {
                // CR LF is one break, counted once its LF lies before the target too.
                if offset + 1 < end {
                    (line, column) = (line + 1, 1)
                    offset += 2
                } else {
                    column += 1
                    offset += 1
                }
            } else {
                if byte & 0xC0 != 0x80 { column += 1 }
                offset += 1
            }
        }
        return (line, column)
    }
}

/// An open array or object. The parser keeps these on an explicit stack rather than recursing, so
/// the depth limit is a policy, not what stands between a hostile file and a stack overflow.
private struct OpenContainer {
    var start: Int
    var isObject: Bool
    var elements: [JSONNode] = []
    var members: [JSONMember] = []
    /// The key whose value is being parsed.
    var key = ""
    var keyRange = 0..<0

    var closed: JSONValue { isObject ? .object(members) : .array(elements) }
    var unterminated: JSONSyntaxError {
        JSONSyntaxError(message: isObject ? "unterminated object" : "unterminated array", offset: start)
    }
}

private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var pos = 0

    func fail(_ message: String, at offset: Int) -> JSONSyntaxError {
        JSONSyntaxError(message: message, offset: offset)
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONNode {
        // Reject rather than skip: RFC 8259 forbids emitting a BOM, and callers that accept one strip it
        // themselves, so a silent skip would hide where offsets start.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw fail("byte-order mark before the JSON value", at: 0)
        }
        skipWhitespace()
        guard pos < bytes.count else { throw fail("empty document", at: pos) }
        let node = try parseValue()
        skipWhitespace()
        if pos < bytes.count { throw fail("unexpected text after the JSON value", at: pos) }
        return node
    }

    /// Parses one value starting at `pos` (whitespace already skipped), containers included.
    mutating func parseValue() throws(JSONSyntaxError) -> JSONNode {
        var stack: [OpenContainer] = []
        while true {
            // Here a value must start.
            guard pos < bytes.count else {
                throw stack.last?.unterminated ?? fail("unexpected end of input", at: pos)
            }
            var node: JSONNode
            let byte = bytes[pos]
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                guard stack.count < maxDepth else { throw fail("nesting deeper than \(maxDepth) levels", at: pos) }
                let isObject = byte == UInt8(ascii: "{")
                stack.append(OpenContainer(start: pos, isObject: isObject))
                pos += 1
                skipWhitespace()
                if pos < bytes.count, bytes[pos] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    pos += 1
                    let closed = stack.removeLast()
                    node = JSONNode(value: closed.closed, range: closed.start..<pos)
                } else {
                    if isObject { try readKey(into: &stack[stack.count - 1], afterComma: nil) }
                    continue
                }
            } else {
                node = try parseScalar()
            }

            // Hand the finished value to its container; one closing bracket may finish several.
            while let top = stack.indices.last {
                if stack[top].isObject {
                    let member = JSONMember(key: stack[top].key, keyRange: stack[top].keyRange, value: node)
                    stack[top].members.append(member)
                } else {
                    stack[top].elements.append(node)
                }
                skipWhitespace()
                guard pos < bytes.count else { throw stack[top].unterminated }
                let isObject = stack[top].isObject
                let next = bytes[pos]
                if next == UInt8(ascii: ",") {
                    let comma = pos
                    pos += 1
                    skipWhitespace()
                    if isObject {
                        try readKey(into: &stack[top], afterComma: comma)
                    } else if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") {
                        throw fail("trailing comma in array", at: comma)
                    }
                    break
                } else if next == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    pos += 1
                    let closed = stack.removeLast()
                    node = JSONNode(value: closed.closed, range: closed.start..<pos)
                } else {
                    let message =
                        isObject
                        ? "expected ',' or '}' after object member" : "expected ',' or ']' after array element"
                    throw fail(message, at: pos)
                }
            }
            if stack.isEmpty { return node }
        }
    }

    /// Reads `"key" :` and leaves `pos` at the member's value.
    mutating func readKey(into container: inout OpenContainer, afterComma comma: Int?) throws(JSONSyntaxError) {
        guard pos < bytes.count else { throw container.unterminated }
        guard bytes[pos] == UInt8(ascii: "\"") else {
            if let comma, bytes[pos] == UInt8(ascii: "}") { throw fail("trailing comma in object", at: comma) }
            // `"amount": 1234,50`, as a Danish keyboard writes it: say so rather than ask for a key.
            if let comma, pos == comma + 1, isDigit(at: pos), comma > 0, isDigit(at: comma - 1) {
                throw fail("a decimal comma in a number; JSON numbers use a decimal point, as in 1234.50", at: comma)
            }
            let expected = comma == nil ? "expected a string key or '}'" : "expected a string key after ','"
            throw fail("\(expected), found \(describe(at: pos))", at: pos)
        }
        let start = pos
        container.key = try parseString()
        container.keyRange = start..<pos
        skipWhitespace()
        guard pos < bytes.count else { throw container.unterminated }
        guard bytes[pos] == UInt8(ascii: ":") else { throw fail("expected ':' after object key", at: pos) }
        pos += 1
        skipWhitespace()
    }

    mutating func parseScalar() throws(JSONSyntaxError) -> JSONNode {
        let start = pos
        let byte = bytes[pos]
        let value: JSONValue
        switch byte {
        case UInt8(ascii: "\""): value = .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = .number(try parseNumber())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            value = .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            value = .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            value = .null
        default:
            throw fail("expected a value, found \(describe(at: pos))", at: pos)
        }
        return JSONNode(value: value, range: start..<pos)
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        let matches =
            pos + count <= bytes.count
            && literal.withUTF8Buffer { expected in
                (0..<count).allSatisfy { bytes[pos + $0] == expected[$0] }
            }
        guard matches else { throw fail("invalid literal, expected '\(literal)'", at: pos) }
        pos += count
    }

    /// Validates `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` and returns the lexeme.
    mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = pos
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        guard isDigit(at: pos) else { throw fail("expected a digit after '-'", at: pos) }
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            // Leading zeros are reported here; otherwise "01" would surface as a confusing missing comma.
            if isDigit(at: pos) { throw fail("leading zero in number", at: start) }
        } else {
            skipDigits()
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard isDigit(at: pos) else { throw fail("expected a digit after the decimal point", at: pos) }
            skipDigits()
        }
        if pos < bytes.count, bytes[pos] | 0x20 == UInt8(ascii: "e") {
            pos += 1
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard isDigit(at: pos) else { throw fail("expected a digit in the exponent", at: pos) }
            skipDigits()
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
    }

    func isDigit(at index: Int) -> Bool {
        index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
    }

    mutating func skipDigits() {
        while isDigit(at: pos) { pos += 1 }
    }

    mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    /// Parses a string starting at its opening quote and leaves `pos` after the closing quote.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = pos
        pos += 1
        // Strings without escapes, the common case, are decoded straight from the input.
        var decoded: [UInt8] = []
        var hasEscapes = false
        var runStart = pos
        while true {
            guard pos < bytes.count else { throw fail("unterminated string", at: start) }
            let byte = bytes[pos]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<pos])
                pos += 1
                guard hasEscapes else { return String(decoding: run, as: UTF8.self) }
                decoded.append(contentsOf: run)
                return String(decoding: decoded, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                guard pos + 1 < bytes.count else { throw fail("unterminated string", at: start) }
                hasEscapes = true
                decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<pos]))
                try parseEscape(into: &decoded)
                runStart = pos
            } else if byte < 0x20 {
                throw fail("control character in string", at: pos)
            } else if byte < 0x80 {
                pos += 1
            } else {
                guard let length = utf8Length(at: pos) else { throw fail("invalid UTF-8", at: pos) }
                pos += length
            }
        }
    }

    /// Decodes the escape at `pos` (the caller checked a byte follows the backslash) into `buffer`.
    mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONSyntaxError) {
        let start = pos
        let letter = bytes[pos + 1]
        pos += 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(letter)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            guard let unit = hexQuad(at: pos) else {
                throw fail("expected four hex digits after '\\u'", at: start)
            }
            pos += 4
            var scalar = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                // Only a directly following low-surrogate escape completes the pair; anything else leaves
                // a lone surrogate, which JSON's grammar permits but text cannot hold: an error.
                if pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u"),
                    let low = hexQuad(at: pos + 2), (0xDC00...0xDFFF).contains(low)
                {
                    scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    pos += 6
                } else {
                    throw loneSurrogate(unit, at: start)
                }
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw loneSurrogate(unit, at: start)
            }
            appendUTF8(scalar, to: &buffer)
        default:
            let message =
                letter > 0x20 && letter < 0x7F
                ? "invalid escape '\\\(UnicodeScalar(letter))'"
                : "invalid escape, '\\' followed by \(describe(at: start + 1))"
            throw fail(message, at: start)
        }
    }

    /// A surrogate escape without its other half: JSON's grammar lets it through, but it is no
    /// character, and text cannot hold it (I-JSON, RFC 7493, section 2.1, forbids it). Read as
    /// U+FFFD it would change a name or an id without a word, so it is an error.
    func loneSurrogate(_ unit: UInt16, at offset: Int) -> JSONSyntaxError {
        let hex = String(unit, radix: 16, uppercase: false)
        let half =
            (0xD800...0xDBFF).contains(unit)
            ? "a high surrogate without the low one after it" : "a low surrogate without the high one before it"
        return fail("'\\u\(hex)' is \(half), so no character; write the character itself, or both halves", at: offset)
    }

    func hexQuad(at index: Int) -> UInt16? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            // A byte maps to U+0000...U+00FF, where the only hex digits are ASCII ones.
            guard let digit = Character(Unicode.Scalar(bytes[index + offset])).hexDigitValue else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
        // Surrogates were replaced before this point, so every value here is a scalar.
        guard let scalar = Unicode.Scalar(scalar) else { return }
        UTF8.encode(scalar) { buffer.append($0) }
    }

    /// The length of the well-formed UTF-8 sequence at `index` (Unicode Table 3-7), which rules out
    /// overlongs, encoded surrogates, code points above U+10FFFF and truncated sequences.
    func utf8Length(at index: Int) -> Int? {
        let lead = bytes[index]
        var length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xED:
            length = 3
            high = 0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF4:
            length = 4
            high = 0x8F
        case 0xF1...0xF3: length = 4
        default: return nil
        }
        guard index + length <= bytes.count, (low...high).contains(bytes[index + 1]) else { return nil }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return nil }
        return length
    }

    /// Names the byte at `index` for a message: the character when it is printable, else a code.
    func describe(at index: Int) -> String {
        let byte = bytes[index]
        if byte > 0x20 && byte < 0x7F { return "'\(UnicodeScalar(byte))'" }
        if byte < 0x80 { return "U+" + hex(UInt32(byte), digits: 4) }
        guard let length = utf8Length(at: index) else { return "byte 0x" + hex(UInt32(byte), digits: 2) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<index + length]), as: UTF8.self)
        let scalar = text.unicodeScalars.first.map { $0.value } ?? 0xFFFD
        return "'\(text)' (U+\(hex(scalar, digits: 4)))"
    }

    func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
