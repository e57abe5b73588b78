import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The writer's view of a parsed value, so a write → read round trip can be compared structurally.
private func output(_ node: JSONNode) -> JSONOutput {
    switch node.value {
    case .null: return .null
    case .bool(let value): return .bool(value)
    case .number(let text): return .number(text)
    case .string(let text): return .string(text)
    case .array(let elements): return .array(elements.map(output))
    case .object(let members): return .object(members.map { ($0.key, output($0.value)) })
    }
}

private let sample: JSONOutput = .object([
    ("name", .string("Café \"Ø\"")),
    ("amount", .number("1.50")),
    ("flags", .array([.bool(true), .bool(false), .null])),
    ("empty", .object([])),
    ("none", .array([])),
    ("nested", .object([("a", .array([.number("-0"), .object([("b", .string("/"))])]))])),
])

@Suite struct JSONWriterTests {
    @Test func compactHasNoSpaces() {
        #expect(
            sample.serialized(pretty: false)
                == #"{"name":"Café \"Ø\"","amount":1.50,"flags":[true,false,null],"empty":{},"none":[],"nested":{"a":[-0,{"b":"/"}]}}"#)
    }

    @Test func prettyUsesTwoSpacesAndNoFinalNewline() {
        let expected = """
            {
              "name": "Café \\"Ø\\"",
              "amount": 1.50,
              "flags": [
                true,
                false,
                null
              ],
              "empty": {},
              "none": [],
              "nested": {
                "a": [
                  -0,
                  {
                    "b": "/"
                  }
                ]
              }
            }
            """
        #expect(sample.serialized(pretty: true) == expected)
        #expect(JSONOutput.array([]).serialized(pretty: true) == "[]")
        #expect(JSONOutput.object([]).serialized(pretty: true) == "{}")
        #expect(JSONOutput.string("x").serialized(pretty: true) == "\"x\"")
    }

    @Test func escapingHasOneSpelling() {
        var controls = ""
        for value in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        let expected =
            #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f""#
        #expect(JSONOutput.quoted(controls) == expected)
        #expect(JSONOutput.quoted("a\"b\\c/d\u{7F}é😀\u{2028}") == "\"a\\\"b\\\\c/d\u{7F}é😀\u{2028}\"")
        #expect(JSONOutput.quoted("") == "\"\"")
        #expect(JSONOutput.string("\n").serialized(pretty: false) == JSONOutput.quoted("\n"))
    }

    @Test func writeIntoAppendsTheSameBytes() {
        for pretty in [false, true] {
            var bytes = Array("prefix:".utf8)
            sample.write(into: &bytes, pretty: pretty)
            #expect(bytes == Array("prefix:".utf8) + Array(sample.serialized(pretty: pretty).utf8))
        }
    }

    @Test func equalityRespectsOrderAndValues() {
        #expect(JSONOutput.object([("a", .null), ("b", .null)]) != .object([("b", .null), ("a", .null)]))
        #expect(JSONOutput.object([("a", .number("1"))]) == .object([("a", .number("1"))]))
        #expect(JSONOutput.object([("a", .number("1"))]) != .object([("a", .number("1.0"))]))
        #expect(JSONOutput.object([("a", .null)]) != .object([("a", .null), ("a", .null)]))
        #expect(JSONOutput.array([.null]) != .object([]))
    }

    @Test func roundTripThroughTheReader() throws {
        for pretty in [false, true] {
            let parsed = try JSONReader.parse(Array(sample.serialized(pretty: pretty).utf8)).get()
            #expect(output(parsed) == sample)
        }
    }

    /// Every accepted JSONTestSuite document survives write → read unchanged, which exercises escaping
    /// on the awkward strings the suite collects.
    @Test func roundTripOfEveryConformingFixture() throws {
        var checked = 0
        for (name, bytes) in try jsonTestSuiteCases() where !name.hasPrefix("n_") {
            guard case .success(let node) = JSONReader.parse(bytes) else { continue }
            let original = output(node)
            for pretty in [false, true] {
                let reparsed = JSONReader.parse(Array(original.serialized(pretty: pretty).utf8))
                #expect((try? reparsed.get()).map(output) == original, "\(name)")
            }
            checked += 1
        }
        #expect(checked >= 95)
    }
}
