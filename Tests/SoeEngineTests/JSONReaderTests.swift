import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// JSONTestSuite's `test_parsing` folder, vendored in `Tests/Conformance/jsontestsuite`.
func jsonTestSuiteParsingDirectory() -> URL {
    URL(fileURLWithPath: TestPaths.conformance + "/jsontestsuite/test_parsing")
}

/// Every fixture as (file name, bytes), sorted by name so failures are reported in a stable order.
func jsonTestSuiteCases() throws -> [(name: String, bytes: [UInt8])] {
    let directory = jsonTestSuiteParsingDirectory()
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasSuffix(".json") }
        .sorted()
    return try names.map { name in
        (name, [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))))
    }
}

private func parse(_ text: String, maxDepth: Int = 512) -> Result<JSONNode, JSONSyntaxError> {
    JSONReader.parse(Array(text.utf8), maxDepth: maxDepth)
}

private func error(_ text: String) -> JSONSyntaxError? {
    if case .failure(let error) = parse(text) { return error }
    return nil
}

private func error(bytes: [UInt8]) -> JSONSyntaxError? {
    if case .failure(let error) = JSONReader.parse(bytes) { return error }
    return nil
}

private func value(_ text: String) -> JSONValue? {
    try? parse(text).get().value
}

@Suite struct JSONReaderTests {
    @Test func jsonTestSuiteConformance() throws {
        var yCount = 0
        var nCount = 0
        var iCount = 0
        var wronglyRejected: [String] = []
        var wronglyAccepted: [String] = []
        for (name, bytes) in try jsonTestSuiteCases() {
            let result = JSONReader.parse(bytes)
            switch name.first {
            case "y":
                yCount += 1
                if case .failure(let error) = result { wronglyRejected.append("\(name): \(error.message) at \(error.offset)") }
            case "n":
                nCount += 1
                if case .success = result { wronglyAccepted.append(name) }
            default:
                // Implementation-defined: either outcome is fine; getting here without crashing is the test.
                iCount += 1
            }
        }
        #expect(yCount == 95)
        #expect(nCount == 188)
        #expect(iCount == 35)
        #expect(wronglyRejected == [])
        #expect(wronglyAccepted == [])
    }

    /// Truncations and byte substitutions of every accepted fixture must fail cleanly; a crash or a
    /// bounds trap here would take down the whole test run.
    @Test func neverCrashesOnTruncatedOrMutatedInput() throws {
        var state: UInt64 = 0x1234_5678
        let replacements: [UInt8] = Array("[]{}\",:\\u0-e.".utf8) + [0x00, 0x0A, 0x7F, 0x80, 0xC0, 0xED, 0xF4, 0xFF]
        var attempts = 0
        for (name, bytes) in try jsonTestSuiteCases() where !name.hasPrefix("n_") {
            for end in 0..<bytes.count {
                _ = JSONReader.parse(Array(bytes[..<end]))
                attempts += 1
            }
            for _ in 0..<50 where !bytes.isEmpty {
                // A fixed linear congruential sequence keeps failures reproducible.
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                var mutated = bytes
                mutated[Int(state >> 33) % bytes.count] = replacements[Int(state >> 17) % replacements.count]
                _ = JSONReader.parse(mutated)
                attempts += 1
            }
        }
        #expect(attempts > 9_000)
    }

    @Test func missingCommaIsReportedWhereTheNextMemberStarts() {
        let text = "{\"a\": 1 \"b\": 2}"
        #expect(error(text) == JSONSyntaxError(message: "expected ',' or '}' after object member", offset: 8))
        #expect(error("[1 2]") == JSONSyntaxError(message: "expected ',' or ']' after array element", offset: 3))
        let multiline = Array("{\n  \"naïve\": 1\n  \"b\": 2\n}".utf8)
        guard case .failure(let failure) = JSONReader.parse(multiline) else {
            Issue.record("expected a failure")
            return
        }
        #expect(lineAndColumn(of: failure.offset, in: multiline) == (3, 3))
    }

    @Test func numbersKeepTheirExactLexeme() {
        for lexeme in ["1.50", "-0", "1e400", "0.1E-2", "-12.000e+07", "123456789012345678901234567890", "0"] {
            #expect(value(lexeme) == .number(lexeme))
            #expect(value("[\(lexeme)]") == .array([JSONNode(value: .number(lexeme), range: 1..<1 + lexeme.utf8.count)]))
        }
        #expect(error("01") == JSONSyntaxError(message: "leading zero in number", offset: 0))
        #expect(error("-") == JSONSyntaxError(message: "expected a digit after '-'", offset: 1))
        #expect(error("1.") == JSONSyntaxError(message: "expected a digit after the decimal point", offset: 2))
        #expect(error("1e+") == JSONSyntaxError(message: "expected a digit in the exponent", offset: 3))
        #expect(error(".5")?.message == "expected a value, found '.'")
        #expect(error("+1")?.message == "expected a value, found '+'")
    }

    @Test func duplicateKeysAreKeptInDocumentOrder() throws {
        let node = try parse("{\"a\":1,\"b\":2,\"a\":3}").get()
        guard case .object(let members) = node.value else {
            Issue.record("expected an object")
            return
        }
        #expect(members.map(\.key) == ["a", "b", "a"])
        #expect(members.map(\.keyRange) == [1..<4, 7..<10, 13..<16])
        #expect(members.map(\.value.value) == [.number("1"), .number("2"), .number("3")])
        #expect(members[2].value.range == 17..<18)
        #expect(node.range == 0..<19)
    }

    @Test func nestingIsLimitedWithoutRecursion() {
        let hostile = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(error(bytes: hostile) == JSONSyntaxError(message: "nesting deeper than 512 levels", offset: 512))
        let deepest = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(error(deepest) == nil)
        let tooDeep = String(repeating: "{\"k\":", count: 513) + "1" + String(repeating: "}", count: 513)
        #expect(error(tooDeep) == JSONSyntaxError(message: "nesting deeper than 512 levels", offset: 5 * 512))
        #expect(error("[[1]]") == nil)
        if case .failure(let failure) = parse("[[1]]", maxDepth: 1) {
            #expect(failure == JSONSyntaxError(message: "nesting deeper than 1 levels", offset: 1))
        } else {
            Issue.record("maxDepth 1 should reject two levels")
        }
    }

    @Test func rangesCoverWholeValues() throws {
        let node = try parse(" [true, \"x\\n\", null, {}] ").get()
        #expect(node.range == 1..<24)
        guard case .array(let elements) = node.value else {
            Issue.record("expected an array")
            return
        }
        #expect(elements.map(\.range) == [2..<6, 8..<13, 15..<19, 21..<23])
        #expect(elements.map(\.value) == [.bool(true), .string("x\n"), .null, .object([])])
    }

    @Test func escapesDecode() {
        #expect(value(#""a\"\\\/\b\f\n\r\t""#) == .string("a\"\\/\u{8}\u{c}\n\r\t"))
        #expect(value(#""\u00e9\u00E9""#) == .string("éé"))
        #expect(value(#""\ud83d\ude00""#) == .string("😀"))
        #expect(value(#""\u0000""#) == .string("\u{0}"))
        // A lone surrogate is no character: an error at its escape, never a silent U+FFFD.
        #expect(
            error(#""ab\ud800""#)
                == JSONSyntaxError(
                    message:
                        "'\\ud800' is a high surrogate without the low one after it, so no character; write the character itself, or both halves",
                    offset: 3))
        #expect(error(#""\udc00\ud800x""#)?.message.hasPrefix("'\\udc00' is a low surrogate without the high one before it") == true)
        #expect(error(#""\ud800\u0041""#)?.offset == 1)
        #expect(error(#""\uDBFF""#)?.message.hasPrefix("'\\udbff' is a high surrogate") == true)
        #expect(error(#""\x""#) == JSONSyntaxError(message: "invalid escape '\\x'", offset: 1))
        #expect(error(#""\u12G4""#) == JSONSyntaxError(message: "expected four hex digits after '\\u'", offset: 1))
        #expect(error("\"a\\\u{e9}\"")?.message == "invalid escape, '\\' followed by 'é' (U+00E9)")
    }

    @Test func stringsRejectWhatRFC8259Forbids() {
        #expect(error("\"a\tb\"") == JSONSyntaxError(message: "control character in string", offset: 2))
        #expect(error("[\"abc") == JSONSyntaxError(message: "unterminated string", offset: 1))
        #expect(error("\"ab\\") == JSONSyntaxError(message: "unterminated string", offset: 0))
        let invalid: [[UInt8]] = [
            [0xC0, 0x80],  // overlong NUL
            [0xE0, 0x80, 0xAF],  // overlong '/'
            [0xED, 0xA0, 0x80],  // UTF-8-encoded surrogate
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xE2, 0x82],  // truncated
            [0x80],  // lone continuation
            [0xFF],
        ]
        for sequence in invalid {
            #expect(error(bytes: [0x22, 0x61] + sequence + [0x22]) == JSONSyntaxError(message: "invalid UTF-8", offset: 2))
        }
        #expect(value("\"\u{7F}\u{FFFF}\u{10FFFF}é\"") == .string("\u{7F}\u{FFFF}\u{10FFFF}é"))
    }

    @Test func documentLevelErrors() {
        #expect(error("") == JSONSyntaxError(message: "empty document", offset: 0))
        #expect(error(" \n") == JSONSyntaxError(message: "empty document", offset: 2))
        #expect(
            error(bytes: [0xEF, 0xBB, 0xBF, 0x7B, 0x7D]) == JSONSyntaxError(message: "byte-order mark before the JSON value", offset: 0))
        #expect(error("{} x") == JSONSyntaxError(message: "unexpected text after the JSON value", offset: 3))
        #expect(error("\u{C}1")?.message == "expected a value, found U+000C")
        #expect(error("[1,]") == JSONSyntaxError(message: "trailing comma in array", offset: 2))
        #expect(error("{\"a\":1,}") == JSONSyntaxError(message: "trailing comma in object", offset: 6))
        #expect(error("{\"a\" 1}") == JSONSyntaxError(message: "expected ':' after object key", offset: 5))
        #expect(error("{1:1}") == JSONSyntaxError(message: "expected a string key or '}', found '1'", offset: 1))
        #expect(error("{\"a\":1, 2}")?.message == "expected a string key after ',', found '2'")
        #expect(error("[1, {\"a\": ") == JSONSyntaxError(message: "unterminated object", offset: 4))
        #expect(error("[1") == JSONSyntaxError(message: "unterminated array", offset: 0))
        #expect(error("tru") == JSONSyntaxError(message: "invalid literal, expected 'true'", offset: 0))
        #expect(error("[nul]") == JSONSyntaxError(message: "invalid literal, expected 'null'", offset: 1))
        #expect(error("“a”")?.message == "expected a value, found '“' (U+201C)")
    }

    @Test func scalarsAndWhitespaceAtTopLevel() {
        #expect(value(" \t\r\n42 \t\r\n") == .number("42"))
        #expect(value("\"\"") == .string(""))
        #expect(value("false") == .bool(false))
        #expect(value("null") == .null)
    }

    @Test func bufferParsingGivesOffsetsRelativeToTheLine() {
        let lines = Array("{\"a\":1}\n{\"a\" 2}\n".utf8)
        lines.withUnsafeBufferPointer { buffer in
            let second = UnsafeBufferPointer(rebasing: buffer[8..<15])
            #expect(JSONReader.parse(second).failureValue == JSONSyntaxError(message: "expected ':' after object key", offset: 5))
            let first = UnsafeBufferPointer(rebasing: buffer[0..<7])
            #expect(JSONReader.parse(first).failureValue == nil)
        }
        #expect(JSONReader.parse(UnsafeBufferPointer(start: nil, count: 0)).failureValue?.message == "empty document")
    }

    @Test func lineAndColumnCountsScalarsAndLineBreaks() {
        let bytes = Array("ab\r\nøx\ry\nz".utf8)
        #expect(lineAndColumn(of: 0, in: bytes) == (1, 1))
        #expect(lineAndColumn(of: 2, in: bytes) == (1, 3))
        #expect(lineAndColumn(of: 3, in: bytes) == (1, 4))  // the LF of a CR LF ends line 1
        #expect(lineAndColumn(of: 4, in: bytes) == (2, 1))
        #expect(lineAndColumn(of: 6, in: bytes) == (2, 2))
        #expect(lineAndColumn(of: 8, in: bytes) == (3, 1))
        #expect(lineAndColumn(of: 10, in: bytes) == (4, 1))
        #expect(lineAndColumn(of: 99, in: bytes) == (4, 2))
        #expect(lineAndColumn(of: -5, in: bytes) == (1, 1))
    }
}

extension Result {
    fileprivate var failureValue: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
