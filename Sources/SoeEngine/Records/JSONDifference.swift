import SoeLanguage

/// One place where two JSON documents differ, named by a JSON pointer (`/decision/outcome`), with
/// both values in compact JSON (nil where the member or element does not exist on that side).
public struct JSONDifference: Sendable, Equatable {
    /// The JSON pointer (RFC 6901) of the differing value.
    public var path: String
    /// The value in the first document (the record), compact; nil if absent there.
    public var recorded: String?
    /// The value in the second document (the re-evaluation), compact; nil if absent there.
    public var current: String?
    /// What differs, by name (`parameter market_share_min`), when the record names it; nil for a
    /// place known only by its pointer. Set by `name(_:recorded:current:)`.
    public var name: String?
    /// The two values as the record displays them (`50 %`), when named.
    public var recordedText: String?
    public var currentText: String?

    public init(path: String, recorded: String?, current: String?) {
        self.path = path
        self.recorded = recorded
        self.current = current
    }

    /// Every leaf-most difference between `recorded` and `current`, in document order. Objects are
    /// compared member by member by key; arrays element by element, with surplus elements reported
    /// one by one. A value whose type differs is reported whole.
    public static func between(_ recorded: JSONOutput, _ current: JSONOutput, path: String = "") -> [JSONDifference] {
        var found: [JSONDifference] = []
        collect(recorded, current, path: path, into: &found)
        return found
    }

    static func collect(_ recorded: JSONOutput, _ current: JSONOutput, path: String, into found: inout [JSONDifference]) {
        switch (recorded, current) {
        case (.object(let left), .object(let right)):
            for (key, value) in left {
                let child = path + "/" + escape(key)
                if let other = right.first(where: { JSONOutput.same($0.0, key) })?.1 {
                    collect(value, other, path: child, into: &found)
                } else {
                    found.append(JSONDifference(path: child, recorded: compact(value), current: nil))
                }
            }
            for (key, value) in right where !left.contains(where: { JSONOutput.same($0.0, key) }) {
                found.append(JSONDifference(path: path + "/" + escape(key), recorded: nil, current: compact(value)))
            }
            if found.isEmpty, !left.map(\.0).elementsEqual(right.map(\.0), by: JSONOutput.same) {
                // Same members in another order: the seal changes, so the order is content.
                found.append(
                    JSONDifference(
                        path: path.isEmpty ? "/" : path, recorded: "keys " + left.map(\.0).joined(separator: ","),
                        current: "keys " + right.map(\.0).joined(separator: ",")))
            }
        case (.array(let left), .array(let right)):
            for index in 0..<max(left.count, right.count) {
                let child = path + "/" + String(index)
                switch (index < left.count, index < right.count) {
                case (true, true): collect(left[index], right[index], path: child, into: &found)
                case (true, false): found.append(JSONDifference(path: child, recorded: compact(left[index]), current: nil))
                default: found.append(JSONDifference(path: child, recorded: nil, current: compact(right[index])))
                }
            }
        case (.string(let left), .string(let right)) where !JSONOutput.same(left, right) && left == right:
            // The same letters to the eye and to Swift, in other code points (a decomposed `å`, the
            // Kelvin sign for `K`): shown with every letter past ASCII as its code point.
            found.append(JSONDifference(path: path.isEmpty ? "/" : path, recorded: codePoints(left), current: codePoints(right)))
        default:
            if recorded != current {
                found.append(JSONDifference(path: path.isEmpty ? "/" : path, recorded: compact(recorded), current: compact(current)))
            }
        }
    }

    static func compact(_ value: JSONOutput) -> String { value.serialized(pretty: false) }

    /// A text in quotes with each code point past ASCII written `\u{212A}`: `"\u{212A}affe"`.
    static func codePoints(_ text: String) -> String {
        var shown = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80, scalar.value >= 0x20, scalar != "\\", scalar != "\"" {
                shown.unicodeScalars.append(scalar)
            } else {
                shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return "\"" + shown + "\""
    }

    /// A member name as a JSON pointer token: `~` → `~0`, `/` → `~1`.
    static func escape(_ key: String) -> String {
        // Member names almost never hold either character; `replacing` on every key of every
        // record was half the time of verifying a batch.
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
        return key.replacing("~", with: "~0").replacing("/", with: "~1")
    }

    /// The difference in one line: `/decision/outcome: recorded "ordinary", now "social_economy"`,
    /// with long values shortened so a line stays readable.
    public var line: String {
        "\(path): recorded \(JSONDifference.shortened(recorded)), now \(JSONDifference.shortened(current))"
    }

    static func shortened(_ value: String?) -> String {
        guard let value else { return "(absent)" }
        let limit = 72
        guard value.count > limit else { return value }
        return String(value.prefix(limit)) + "…"
    }
}
