// Deterministic JSON output: traces and reports are compared byte for byte and hashed, so the writer
// never reorders keys, never reformats numbers and escapes exactly one way. Pure stdlib.

/// A JSON value to write; objects keep the order given, so output is byte-identical for the same input.
public indirect enum JSONOutput: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// Written verbatim: the caller guarantees valid JSON number text, so decimals keep their exact form.
    case number(String)
    /// A string, escaped on output.
    case string(String)
    /// Elements in order.
    case array([JSONOutput])
    /// Members in the order given; duplicate keys are written as given, so callers must not create them.
    case object([(String, JSONOutput)])

    /// Structural equality; written by hand because tuples cannot conform to `Equatable`. Texts and
    /// keys are equal when their code points are, not by Swift's canonical equivalence: `Å` written
    /// as `A` and a combining ring, or `K` as the Kelvin sign, is another text, as its bytes and its
    /// seal are.
    public static func == (lhs: JSONOutput, rhs: JSONOutput) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return JSONOutput.same(a, b)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { JSONOutput.same($0.0, $1.0) && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The same code points, as the bytes of the document compare.
    public static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// The JSON text: compact without any spaces, or pretty with 2-space indentation and `": "` after
    /// keys. No final newline, so callers decide how documents are separated.
    public func serialized(pretty: Bool) -> String {
        var bytes: [UInt8] = []
        write(into: &bytes, pretty: pretty)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the same text as `serialized(pretty:)` as UTF-8, for writers that build one large buffer.
    public func write(into bytes: inout [UInt8], pretty: Bool) {
        write(into: &bytes, pretty: pretty, indent: 0)
    }

    /// A string as a JSON string literal with quotes, for streaming writers that emit keys themselves.
    public static func quoted(_ string: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count + 2)
        appendQuoted(string, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func write(into bytes: inout [UInt8], pretty: Bool, indent: Int) {
        switch self {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .string(let text): JSONOutput.appendQuoted(text, to: &bytes)
        case .array(let elements):
            guard !elements.isEmpty else { return bytes.append(contentsOf: "[]".utf8) }
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                if pretty { JSONOutput.newline(indent + 1, into: &bytes) }
                element.write(into: &bytes, pretty: pretty, indent: indent + 1)
            }
            if pretty { JSONOutput.newline(indent, into: &bytes) }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else { return bytes.append(contentsOf: "{}".utf8) }
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                if pretty { JSONOutput.newline(indent + 1, into: &bytes) }
                JSONOutput.appendQuoted(member.0, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                if pretty { bytes.append(UInt8(ascii: " ")) }
                member.1.write(into: &bytes, pretty: pretty, indent: indent + 1)
            }
            if pretty { JSONOutput.newline(indent, into: &bytes) }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ indent: Int, into bytes: inout [UInt8]) {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    /// The one escaping rule: only what JSON requires is escaped, using the short forms where they
    /// exist; DEL, "/" and non-ASCII stay raw so output is readable and has a single spelling.
    public static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Runs of bytes that need no escape are copied whole; traces are mostly such runs.
        let copied: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscaped(byte, to: &bytes)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        if copied == nil {
            for byte in string.utf8 { appendEscaped(byte, to: &bytes) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// One byte of a string literal, escaped if JSON requires it.
    private static func appendEscaped(_ byte: UInt8, to bytes: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
        case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
        case 0x08: bytes.append(contentsOf: "\\b".utf8)
        case 0x0C: bytes.append(contentsOf: "\\f".utf8)
        case 0x0A: bytes.append(contentsOf: "\\n".utf8)
        case 0x0D: bytes.append(contentsOf: "\\r".utf8)
        case 0x09: bytes.append(contentsOf: "\\t".utf8)
        case 0..<0x20:
            let digits = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: "\\u00".utf8)
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        default: bytes.append(byte)
        }
    }
}
