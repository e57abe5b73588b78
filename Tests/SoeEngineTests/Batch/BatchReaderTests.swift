import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Header problems are found before any row is read: every problem is reported at once, nothing
/// is evaluated, and nothing is written.
@Suite("batch header: checked before any row")
struct BatchHeaderTests {
    @Test(
        "header problems are reported together, each with its column",
        arguments: [
            (
                "id,cvr,fiscal_year,turnovr",
                [
                    "4: column 4 'turnovr': no rule set declares an input 'turnovr'; did you mean 'turnover'? (a column of your own may not be this close to an input's name; start its name with '_' to keep it as a note)"
                ]
            ),
            ("fiscal_year,sales,staff,sales", ["4: column 4 'sales' repeats column 2; which value is meant cannot be known"]),
            ("name,cvr,sales", ["0: there is no fiscal_year column; the rules in force depend on the fiscal year"]),
            (
                "fiscal_year,,sales",
                [
                    "2: column 2 has no name; name it, remove it, or start its name with '_' to mark it as a comment"
                ]
            ),
            (
                "fiscal_year,Sales,sales,sales",
                [
                    "2: column 2 'Sales': no rule set declares an input 'Sales'; did you mean 'sales'? (a column of your own may not be this close to an input's name; start its name with '_' to keep it as a note)",
                    "4: column 4 'sales' repeats column 3; which value is meant cannot be known",
                ]
            ),
        ] as [(String, [String])])
    func problems(header: String, expected: [String]) {
        let (end, output, _) = BatchFixtures.run(header + "\n" + BatchFixtures.goodRow(id: "X") + "\n")
        guard case .headerRejected(let errors) = end else {
            Issue.record("expected the header to be rejected, got \(end)")
            return
        }
        #expect(errors.map { "\($0.column): \($0.message)" } == expected)
        #expect(output.isEmpty, "nothing is written when the header is wrong")
    }

    @Test("accepted headers: metadata in any order, fiscal_year_end alone, comment columns, spaces trimmed")
    func accepted() {
        let input = """
            _note, fiscal_year_end ,sales,turnover,cvr
            x,2024-06-30,1,2,13748136

            """
        let (end, output, _) = BatchFixtures.run(input)
        #expect(BatchFixtures.summary(end)?.rowsRejected == 0)
        #expect(BatchFixtures.rows(output).map { BatchFixtures.field($0, "fiscal_year") } == ["2024", "2024"])
    }

    @Test("a column of a rule set loaded but not in use is skipped with a warning; an unknown one is still an error")
    func otherRuleSetColumns() throws {
        let ruleSets = BatchFixtures.ruleSets()
        let alpha = try #require(ruleSets.first)
        let beta = try #require(ruleSets.last)
        var options = BatchOptions(sourceName: "test.csv")
        options.otherInputs = Dictionary(alpha.inputs.map { ($0.name, alpha.name) }, uniquingKeysWith: { first, _ in first })
        var warnings: [BatchHeaderWarning] = []
        let sink = MemorySink()
        let input = BatchFixtures.header + "\n" + BatchFixtures.goodRow(id: "U1") + "\n"
        let end = BatchRunner(ruleSets: [beta], options: options)
            .run(ArraySource(Array(input.utf8)), to: sink, hooks: BatchHooks(headerWarnings: { warnings += $0 }))
        #expect(BatchFixtures.summary(end)?.rowsRejected == 0)
        #expect(BatchFixtures.rows(sink.text).map { BatchFixtures.field($0, "outcome") } == ["seller"])
        // turnover and sales are beta's inputs too, so only alpha's own columns are unused.
        #expect(
            warnings.map { "\($0.column): \($0.message)" } == [
                "5: column 5 'legal_form' is not used by the rule sets in use (it is an input of alpha)",
                "8: column 8 'staff' is not used by the rule sets in use (it is an input of alpha)",
                "9: column 9 'share' is not used by the rule sets in use (it is an input of alpha)",
                "10: column 10 'audited' is not used by the rule sets in use (it is an input of alpha)",
            ])
        #expect(warnings.allSatisfy { $0.danish != nil && $0.text(.danish) != $0.text(.english) })
        guard
            case .failure(let errors) = BatchLayout.check(
                header: ["fiscal_year", "staf", "staff"], ruleSets: [beta],
                otherInputs: options.otherInputs)
        else {
            Issue.record("a column no rule set declares was accepted")
            return
        }
        #expect(errors.errors.map(\.column) == [2])
    }

    @Test("an empty input has no header, which is a header problem")
    func empty() {
        let (end, _, _) = BatchFixtures.run("")
        guard case .headerRejected(let errors) = end else {
            Issue.record("expected the header to be rejected, got \(end)")
            return
        }
        #expect(errors.first?.message.contains("the input is empty") == true)
    }

    @Test("a header without rows gives a result file with only its header row")
    func headerOnly() {
        let (end, output, _) = BatchFixtures.run(BatchFixtures.header + "\n")
        #expect(BatchFixtures.summary(end)?.rowsRead == 0)
        #expect(output == BatchResultWriter.columns.joined(separator: ",") + "\n")
    }
}

/// Hands out 1 to 7 bytes at a time, as a slow pipe does, to find chunk-boundary bugs.
private struct TrickleSource: ByteSource {
    var bytes: [UInt8]
    var offset = 0, step = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        step = step % 7 + 1
        let count = Swift.min(step, buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        for index in 0..<count { buffer[index] = bytes[offset + index] }
        offset += count
        return count
    }
}

@Suite("JSON Lines reader: lines in pieces, flat memory")
struct JSONLinesReaderTests {
    /// Each item as text: the line with its number, or what went wrong.
    static func items<S: ByteSource>(_ source: S, limit: Int = 1 << 20) -> [String] {
        var reader = JSONLinesReader(source: source, maxLineBytes: limit)
        var result: [String] = []
        while let item = reader.next() {
            switch item {
            case .line(let bytes, let number): result.append("\(number): \(String(decoding: bytes, as: UTF8.self))")
            case .tooLong(let number, let limit): result.append("\(number): longer than \(limit)")
            case .failed(let error, let number): result.append("\(number): failed \(error.message)")
            }
        }
        return result
    }

    @Test("LF and CRLF line ends, a byte-order mark, blank lines and no final line break, in any pieces")
    func lines() {
        let text = "\u{FEFF}{\"a\":1}\r\n\n{\"b\":\"æø\"}\n{\"c\":3}"
        let expected = ["1: {\"a\":1}", "2: ", "3: {\"b\":\"æø\"}", "4: {\"c\":3}"]
        #expect(JSONLinesReaderTests.items(ArraySource(Array(text.utf8))) == expected)
        #expect(JSONLinesReaderTests.items(TrickleSource(bytes: Array(text.utf8))) == expected)
    }

    @Test("a line longer than the limit is skipped, not kept, and the next line is read")
    func tooLong() {
        let long = "{\"x\":\"" + String(repeating: "y", count: 300) + "\"}"
        let text = "{\"a\":1}\n" + long + "\n{\"b\":2}\n" + long
        let expected = ["1: {\"a\":1}", "2: longer than 100", "3: {\"b\":2}", "4: longer than 100"]
        #expect(JSONLinesReaderTests.items(TrickleSource(bytes: Array(text.utf8)), limit: 100) == expected)
        #expect(JSONLinesReaderTests.items(ArraySource(Array(text.utf8)), limit: 100) == expected)
    }
}
