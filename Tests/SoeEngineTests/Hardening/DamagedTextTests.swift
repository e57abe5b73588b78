import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// Session 20, from the hostile inputs' trial: text that no person wrote (a NUL, a lone surrogate,
/// a byte-order mark inside a file, bytes after a ZIP archive, a device given as a file) is said
/// to be what it is, where it is, and never passed on silently into results, letters or records.
@Suite("damaged text and devices")
struct DamagedTextTests {
    func folder() throws -> String { try scratchFolder("damaged") }

    func write(_ bytes: [UInt8], _ path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test("JSON Lines: a NUL in an id or a name rejects the row with both reasons, and no NUL reaches the results")
    func nulInJSONLines() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/firms.jsonl"
        let output = dir + "/results.csv"
        try write(
            Array(#"{"id":"A\u0000","name":"X\u0000Y","cvr":"13748136","fiscal_year":2024}"#.utf8) + [0x0A]
                + Array(#"{"id":"B","name":"Ærø ApS","cvr":"14381651","fiscal_year":2024}"#.utf8) + [0x0A], input)
        let run = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", input, "--output", output, "--no-progress"])
        #expect(run.exitCode == 4, "\(run.stderr)")
        let results = try #require(FileManager.default.contents(atPath: output))
        #expect(!results.contains(0), "a NUL byte reached the results")
        let text = String(decoding: results, as: UTF8.self)
        #expect(text.contains("id: the id holds a NUL character (\\u0000), which no id has (a damaged file?)"), "\(text)")
        #expect(text.contains("name: the name holds a NUL character (\\u0000), which no name has (a damaged file?)"), "\(text)")
        #expect(text.contains("B,Ærø ApS,14381651,2024"), "the next row is read: \(text)")
    }

    @Test("a single firm: a NUL in the name and a lone surrogate are errors at their place, in both languages")
    func singleFirm() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let nul = dir + "/nul.json"
        try write(Array(#"{"name": "Kaffe\u0000kollektivet", "fiscal_year": 2024}"#.utf8), nul)
        let first = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", nul])
        #expect(first.exitCode == 4, "\(first.stderr)")
        #expect(first.stderr.contains("the name holds a NUL character (\\u0000), which no name has"), "\(first.stderr)")
        let danish = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", nul, "--lang", "da"])
        #expect(danish.stderr.contains("navnet indeholder et NUL-tegn (\\u0000), som intet navn har"), "\(danish.stderr)")
        let lone = dir + "/lone.json"
        try write(Array(#"{"name": "Kaffe\ud800", "fiscal_year": 2024}"#.utf8), lone)
        let second = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", lone])
        #expect(second.exitCode == 4, "\(second.stderr)")
        #expect(
            second.stderr.contains("'\\ud800' is a high surrogate without the low one after it, so no character"), "\(second.stderr)")
        #expect(!second.stdout.contains("\u{FFFD}"))
    }

    @Test("a workbook with bytes after its archive is refused as that, not as truncated; the same archive alone is read")
    func bytesAfterTheArchive() throws {
        let workbook = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestPaths.fixtures + "/spreadsheets/xlsx-firms.xlsx")))
        #expect((try? ZipArchive(workbook)) != nil)
        let joined = workbook + Array(repeating: UInt8(ascii: "J"), count: 80)
        do {
            _ = try ZipArchive(joined)
            Issue.record("an archive with 80 bytes after it was read")
        } catch {
            #expect(
                error.text(.english)
                    == "not a readable ZIP archive: 80 bytes follow the end of the archive at byte \(workbook.count) (two files joined, or a damaged copy); open the workbook in its spreadsheet program and save it again"
            )
            #expect(error.text(.danish).contains("80 bytes følger efter arkivets afslutning ved byte \(workbook.count)"))
        }
        // A real truncation keeps its own message.
        do {
            _ = try ZipArchive(Array(workbook.dropLast(10)))
            Issue.record("a truncated archive was read")
        } catch {
            #expect(error.text(.english).contains("it has no end-of-central-directory record (truncated, or not a ZIP file)"))
        }
    }

    /// The bytes a source has handed out, seen after the source was passed on by value.
    final class Counter: @unchecked Sendable {
        var bytes = 0
    }

    /// A regular file read in pieces, counting the bytes handed out.
    struct CountingFile: ByteSource {
        var source: FileDescriptorSource
        let counter: Counter
        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let count = try source.read(into: buffer)
            counter.bytes += count
            return count
        }
        var positional: PositionalFile? { source.positional }
    }

    @Test("a workbook over the limit is refused after its first read, from its size, not read to the limit")
    func workbookOverTheLimit() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big.xlsx"
        try write([0x50, 0x4B, 0x03, 0x04], path)
        // Sparse: 300 MiB that take no room on the disk.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 300 << 20)
        try handle.close()
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var options = BatchOptions(sourceName: "big.xlsx")
        options.inputFormat = .xlsx
        let rules = try String(contentsOfFile: TestPaths.root + "/rules/anden_aktoer.rules", encoding: .utf8)
        let runner = BatchRunner(ruleSets: [try #require(checkRules(rules).0)], options: options)
        let counter = Counter()
        let end = runner.runWorkbook(
            CountingFile(source: FileDescriptorSource(fd: fd), counter: counter), ReadFailure(), MemorySink(), BatchHooks())
        guard case .notBatchInput(let finding) = end else {
            Issue.record("not refused: \(end)")
            return
        }
        #expect(finding.message.contains("the workbook is larger than 256 MiB, the limit"), "\(finding.message)")
        #expect(counter.bytes > 0 && counter.bytes <= 1 << 16, "read \(counter.bytes) bytes before refusing")
    }

    @Test("a device named as the input is refused at once (evaluate and diff); /dev/null is an empty input; - is read as given")
    func namedDevice() throws {
        let zero = try runSoe(["evaluate", "--rules", "rules/", "--input-format", "jsonl", "/dev/zero", "--no-progress"])
        #expect(zero.exitCode == 5, "\(zero.stderr)")
        #expect(
            zero.stderr.contains(
                "soe evaluate: cannot read /dev/zero: it is a device, not a file (a device such as /dev/zero gives bytes without end); give a file, or - for standard input"
            ), "\(zero.stderr)")
        let diff = try runSoe(["diff", "--old", "rules/", "--new", "rules/", "--input-format", "csv", "/dev/urandom"])
        #expect(diff.exitCode == 5, "\(diff.stderr)")
        #expect(diff.stderr.contains("soe diff: cannot read /dev/urandom: it is a device, not a file"), "\(diff.stderr)")
        // A firm file, a record and a rule file named as a device: refused the same way, not read to their limits.
        for arguments in [
            ["evaluate", "--rules", "rules/", "/dev/zero"], ["dossier", "/dev/zero"],
            ["diff", "--old", "rules/", "--new", "rules/", "/dev/zero"],
            ["check", "/dev/urandom"], ["verify", "/dev/zero", "--rules", "rules/", "samples/batch/firms.csv"],
        ] {
            let run = try runSoe(arguments)
            #expect(run.exitCode == 5, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("it is a device, not a file"), "\(arguments): \(run.stderr)")
        }
        let null = try runSoe(["evaluate", "--rules", "rules/", "--input-format", "jsonl", "/dev/null", "--no-progress"])
        #expect(null.exitCode == 0, "\(null.stderr)")
        #expect(null.stderr.contains("0 rows read from /dev/null"), "\(null.stderr)")
    }

    static let ruleFile = """
        ruleset t "Test" en "Test"
          source "test"
          in force from 2015-01-01
        input sales: money "Salg" en "Sales" min 0 kr
        criterion big "Stor" cite "test" = sales > 1000 kr
        classify
          large "Stor" when big reason "REASON"
          otherwise small "Lille" reason "r"
        """

    func codes(_ reason: String) -> [(code: String, text: String, fix: String?)] {
        let (_, diagnostics) = checkRules(Self.ruleFile.replacingOccurrences(of: "\"REASON\"", with: reason))
        return diagnostics.filter { $0.severity == .error }.map { diagnostic in
            let span = diagnostic.span.map { String(decoding: $0.file.bytes[$0.range], as: UTF8.self) } ?? ""
            return (diagnostic.code, span, diagnostic.fixIts.first?.replacement)
        }
    }

    @Test("rule files: an empty text is E011 wherever a text stands, a gloss too; a text that never closes is E003 alone")
    func emptyTexts() {
        #expect(codes(#""""#).map(\.code) == ["E011"])
        #expect(codes(#""   ""#).map { "\($0.code) \($0.text)" } == [#"E011 "   ""#])
        #expect(codes(#""Stor" en """#).map(\.code) == ["E011"])
        #expect(codes(#""Stor" en "Big""#).isEmpty)
        let (_, unterminated) = checkRules(Self.ruleFile.replacingOccurrences(of: "\"REASON\"", with: "\""))
        #expect(unterminated.map(\.code).contains("E003") && !unterminated.map(\.code).contains("E011"), "\(unterminated.map(\.code))")
        let (_, danish) = checkRules(Self.ruleFile.replacingOccurrences(of: "\"REASON\"", with: #""""#))
        #expect(
            danish.first?.danish
                == "denne tekst i anførselstegn er tom; skriv, hvad den skal sige, eller udelad leddet, hvor det kan udelades")
    }

    @Test("rule files: a control character inside a text is E002 at that byte, with a fix-it that deletes it; a tab stays")
    func controlsInText() {
        let found = codes("\"Stor\u{0}omsætning\u{1B}[31m\"")
        #expect(found.map(\.code) == ["E002", "E002"])
        #expect(found.map(\.text) == ["\u{0}", "\u{1B}"])
        #expect(found.allSatisfy { $0.fix == "" })
        let (_, diagnostics) = checkRules(Self.ruleFile.replacingOccurrences(of: "\"REASON\"", with: "\"a\u{0}b\""))
        #expect(diagnostics.first?.message == "a control character (U+0000) inside text in quotes, which no text shows; delete it")
        #expect(codes("\"Stor\tomsætning\"").isEmpty)
    }

    @Test("rule tests: a misspelt 'expected:' or 'forventet:' column is named with the spelling meant, and nothing is tested")
    func misspeltExpectationColumn() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/tests", withIntermediateDirectories: true)
        try Self.ruleFile.replacingOccurrences(of: "\"REASON\"", with: "\"r\"").write(
            toFile: dir + "/t.rules", atomically: true, encoding: .utf8)
        try "id,fiscal_year,forvented:t,expeted:t.big,sales\nA,2024,large,yes,2000\n".write(
            toFile: dir + "/tests/t.csv", atomically: true, encoding: .utf8)
        let run = try runSoe(["test", dir])
        #expect(run.exitCode != 0, "\(run.stdout) \(run.stderr)")
        let all = run.stdout + run.stderr
        #expect(all.contains("column 3 'forvented:t' looks like a column of expectations; did you mean 'forventet:t'?"), "\(all)")
        #expect(all.contains("column 4 'expeted:t.big' looks like a column of expectations; did you mean 'expected:t.big'?"), "\(all)")
        #expect(RuleTestReader.misspeltPrefix("Expected :x") == nil, "the word spelt right is no misspelling")
        // Spaces around the colon are closed up, so that such a column is read as one of expectations.
        #expect(RuleTestReader.closingUpColon("Expected : t") == "Expected:t")
        #expect(RuleTestReader.closingUpColon("Omsætning: i alt") == "Omsætning:i alt")
        #expect(RuleTestReader.closingUpColon("a note: with words") == "a note: with words")
        #expect(RuleTestReader.misspeltPrefix("_note:x") == nil && RuleTestReader.misspeltPrefix("sales") == nil)
        #expect(RuleTestReader.misspeltPrefix("expectd: t") == "expected:t")
    }
}
