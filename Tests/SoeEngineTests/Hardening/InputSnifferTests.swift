import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The file-kind checks (`InputSniffer`) must say what a wrong file is, and must never take a good
/// file for a wrong one; `CSVSalvage` must read what it can of a broken record.
@Suite("input sniffer and CSV salvage")
struct InputSnifferTests {
    /// Every sample and fixture a user may give is left alone.
    @Test("no sample firm file or batch is taken for a file of another kind")
    func samplesPass() throws {
        let folder = TestPaths.samples
        var checked = 0
        for name in try FileManager.default.subpathsOfDirectory(atPath: folder).sorted() {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name), !name.hasSuffix("/") else { continue }
            let bytes = [UInt8](data)
            if name.hasSuffix(".json") || name.hasSuffix(".csv") || name.hasSuffix(".jsonl") {
                #expect(InputSniffer.container(bytes, what: "JSON") == nil, "\(name)")
                #expect(InputSniffer.notUTF8(bytes) == nil, "\(name)")
                checked += 1
            }
            if name.hasSuffix(".jsonl") { #expect(InputSniffer.jsonLines(bytes) == nil, "\(name)") }
        }
        #expect(checked > 10)
    }

    @Test("UTF-16 is told from its byte-order mark or its zero bytes; binary and UTF-8 are not UTF-16")
    func wideEncodings() {
        let text = "{\"name\": \"Kaffe\"}"
        let little = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(InputSniffer.wideEncoding(little) == "UTF-16 (little-endian, without a byte-order mark)")
        #expect(InputSniffer.wideEncoding(big) == "UTF-16 (big-endian, without a byte-order mark)")
        #expect(InputSniffer.wideEncoding([0xFF, 0xFE] + little) == "UTF-16 (little-endian, with a byte-order mark)")
        #expect(InputSniffer.wideEncoding([0xFF, 0xFE, 0, 0, 0x7B, 0, 0, 0]) == "UTF-32 (little-endian, with a byte-order mark)")
        #expect(InputSniffer.wideEncoding(Array(text.utf8)) == nil)
        #expect(InputSniffer.wideEncoding([UInt8](repeating: 0, count: 64)) == nil)
        #expect(InputSniffer.wideEncoding(Array("æøå".utf8)) == nil)
    }

    @Test("Windows-1252 is named with the character the byte stands for; other bytes are only not UTF-8")
    func windows1252() {
        let finding = InputSniffer.notUTF8(Array("{\"name\": \"Bj".utf8) + [0xF8] + Array("rn\"}".utf8))
        #expect(finding?.message.contains("Windows-1252") == true)
        #expect(finding?.message.contains("byte 0xF8 at line 1, column 13 is 'ø'") == true)
        let undefined = InputSniffer.notUTF8([0x7B, 0x81, 0x7D])
        #expect(undefined?.message.contains("Windows-1252") == false)
        #expect(undefined?.message.contains("cannot start a character") == true)
    }

    @Test("a record schema counts only as the value of a schema member, not as text that mentions it")
    func recordSchema() {
        #expect(InputSniffer.containsRecordSchema(Array("{\"schema\": \"soe-record/1\"}".utf8)))
        #expect(InputSniffer.containsRecordSchema(Array("{\n  \"schema\":\"soe-record/1\"}".utf8)))
        #expect(!InputSniffer.containsRecordSchema(Array("{\"note\": \"see \\\"soe-record/1\\\"\"}".utf8)))
        #expect(!InputSniffer.containsRecordSchema(Array("{\"note\": \"\\\"schema\\\": \\\"soe-record/1\"}".utf8)))
    }

    @Test("a JSON array and a pretty-printed object are not JSON Lines; one object per line is")
    func jsonLines() {
        #expect(InputSniffer.jsonLines(Array("[{\"a\":1}]".utf8)) != nil)
        #expect(InputSniffer.jsonLines(Array("\n  {\n  \"a\": 1\n}\n".utf8)) != nil)
        #expect(InputSniffer.jsonLines(Array("{\"a\":1}\n{\"a\":2}\n".utf8)) == nil)
        #expect(InputSniffer.jsonLines(Array("\n\n{\"a\":1}\n".utf8)) == nil)
    }

    @Test("a broken record is split leniently, with the lines it took")
    func salvage() {
        let bytes = Array("a,\"b\"\"c\",d\n".utf8)
        let salvaged = CSVSalvage.read(bytes, 0..<bytes.count, lineBreaks: 1, separator: UInt8(ascii: ","))
        #expect(salvaged.fields == ["a", "b\"c", "d"])
        #expect(salvaged.lines == 1)
        let open = Array("x,\"open\nmore\nlines".utf8)
        let unclosed = CSVSalvage.read(open, 0..<open.count, lineBreaks: 2, separator: UInt8(ascii: ","))
        #expect(unclosed.fields == ["x", "open\nmore\nlines"])
        #expect(unclosed.lines == 3)
        #expect(unclosed.value(at: 0) == "x")
        #expect(unclosed.value(at: 1) == nil)
        #expect(unclosed.value(at: 5) == nil)
        let invalid: [UInt8] = [0x41, 0xE6, 0x2C, 0x42]
        let lossy = CSVSalvage.read(invalid, 0..<invalid.count, lineBreaks: 0, separator: UInt8(ascii: ","))
        #expect(lossy.fields == ["A\u{FFFD}", "B"])
        #expect(CSVSalvage(fields: [String(repeating: "x", count: 101)], lines: 1).value(at: 0) == nil)
    }
}
