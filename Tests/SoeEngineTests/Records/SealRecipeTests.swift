import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// Whether python3 is on the PATH the tests run with; the seal recipe is a Python script.
let python3 = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// docs/verify-seal.py, the documented way to check a record's seal without soe: on one record,
/// an array and JSON Lines, with every kind of byte a firm name can hold, and loudly refusing
/// input it does not handle (the old `jq … | sha256sum` recipe hashed empty input on an array).
@Suite("the seal recipe: docs/verify-seal.py", .enabled(if: python3 != nil, "python3 is not installed"))
struct SealRecipeTests {
    struct Run {
        var status: Int32
        var out: String
        var err: String
    }

    static func recipe(_ input: String) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(python3))
        process.arguments = [TestPaths.root + "/docs/verify-seal.py"]
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        (process.standardInput, process.standardOutput, process.standardError) = (stdin, stdout, stderr)
        try process.run()
        feed(Data(input.utf8), to: stdin.fileHandleForWriting)
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, out: String(decoding: out, as: UTF8.self), err: String(decoding: err, as: UTF8.self))
    }

    /// Records of firms whose names hold control characters, quotes, a backslash, DEL, a line
    /// separator and letters beyond ASCII, written by the engine as one per line.
    static func awkwardRecords() throws -> [String] {
        let names = [
            "Café \"Ø\" \\ A/S", "Tab\there, bell\u{07}, escape\u{1B}[31m", "Line\nbreak\r\nand \u{7F} DEL",
            "\u{2028}separator\u{2029} 😀 \u{0}nul", "Æblehaven ÆØÅ æøå",
        ]
        let trace = try RecordFixtures.kaffekollektivet()
        return names.map { name in
            var renamed = trace
            renamed.firm.name = name
            return DecisionRecord.document(renamed).serialized(pretty: false)
        }
    }

    @Test("a single record, pretty or compact, is sealed")
    func single() throws {
        let trace = try RecordFixtures.kaffekollektivet()
        let pretty = try Self.recipe(DecisionRecord.render([trace]))
        #expect(pretty.status == 0, "\(pretty.out)\(pretty.err)")
        #expect(pretty.out == "sealed: record: \(DecisionRecord.seal(DecisionRecord.body(trace)))\n")
    }

    @Test("an array of records: each is checked, by its number")
    func array() throws {
        let traces = [try RecordFixtures.kaffekollektivet(), try RecordFixtures.undetermined()]
        let run = try Self.recipe(DecisionRecord.render(traces))
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.split(separator: "\n").map { $0.prefix(16) } == ["sealed: record 1", "sealed: record 2"])
    }

    @Test("JSON Lines with control characters, quotes and non-ASCII in firm names")
    func jsonLines() throws {
        let lines = try Self.awkwardRecords()
        let run = try Self.recipe(lines.joined(separator: "\n") + "\n")
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.split(separator: "\n").count == lines.count)
        #expect(!run.out.contains("BROKEN"))
    }

    @Test("an edited record is BROKEN, exit 1, by its line")
    func edited() throws {
        var lines = try Self.awkwardRecords()
        lines[2] = lines[2].replacing("\"fiscal_year\":2024", with: "\"fiscal_year\":2023")
        let run = try Self.recipe(lines.joined(separator: "\n"))
        #expect(run.status == 1)
        #expect(run.out.contains("BROKEN: line 3: record_sha256 says"))
        #expect(run.out.contains("sealed: line 1"))
    }

    @Test("input it does not handle fails loudly, exit 2", arguments: ["", "[]", "{}", "[1, 2]", "not json", "{\"a\": 1, \"a\": 2}"])
    func refuses(input: String) throws {
        let run = try Self.recipe(input)
        #expect(run.status == 2, "\(input): \(run.out)")
        #expect(run.err.hasPrefix("verify-seal: "))
        #expect(run.out.isEmpty)
    }
}
