import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// A bad row never stops a batch and is never dropped: it becomes a `rejected` result with its row
/// number and reason, the rows after it are evaluated, results stay in input order, and the counts
/// add up to the rows read.
@Suite("batch bad rows: rejected, never dropped, never fatal")
struct BatchBadRowTests {
    /// Good and bad rows mixed; the comment after each row says what it tests.
    static let input =
        [
            BatchFixtures.header,
            BatchFixtures.goodRow(id: "B1"),  // good
            BatchFixtures.goodRow(id: "B2", cvr: "13748137"),  // bad CVR: both rule sets
            "B3,Tre,13906513,2024,aps,1000.00,800.00,2.5,10,true,",  // staff 2.5: alpha only
            "B4,too,few",  // too few fields
            "",  // blank: skipped
            BatchFixtures.goodRow(id: "B5") + ",extra",  // too many fields
            BatchFixtures.goodRow(id: "B6", cvr: "14381651"),  // good
            BatchFixtures.goodRow(id: "B7"),  // duplicate of B1
            "B8,Otte,14460845,2024,aps,1000.00,800.00,2,150,true,",  // share above max: alpha only
            "B9,Ni,14540032,2024,aps,0.00,0.00,2,10,true,",  // beta divides by zero
            "B10,Ti,14777601,,aps,1000.00,800.00,2,10,true,",  // no fiscal year
            "B11,Elleve,14223274,20x4,aps,1000.00,800.00,2,10,true,",  // bad fiscal year
            "B12,\"Tolv,13748136,2024,aps",  // quote never closes
        ].joined(separator: "\n") + "\n"

    @Test("every row has a result per rule set, in input order, with its row number")
    func orderAndNumbers() {
        let (_, output, _) = BatchFixtures.run(BatchBadRowTests.input)
        let rows = BatchFixtures.rows(output)
        let numbers = rows.map { Int($0[0]) ?? -1 }
        #expect(numbers == [2, 2, 3, 3, 4, 4, 5, 5, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14])
        #expect(rows.map { BatchFixtures.field($0, "rule_set") } == Array(repeating: ["alpha", "beta"], count: 12).flatMap { $0 })
    }

    @Test("the counts add up to the rows read under every rule set")
    func accounting() {
        let (end, _, _) = BatchFixtures.run(BatchBadRowTests.input)
        guard let summary = BatchFixtures.summary(end) else { return }
        #expect(summary.rowsRead == 12)
        #expect(summary.blankRowsSkipped == 1)
        #expect(summary.isBalanced)
        #expect(summary.ruleSets.map(\.total) == [12, 12])
        #expect(summary.ruleSets.map(\.rejected) == [8, 6])
        #expect(summary.rowsRejected == 8)
        #expect(summary.duplicates == 1)
        #expect(
            summary.lines(source: "test.csv") == [
                "12 rows read from test.csv (8 rejected, 1 duplicate of CVR number and fiscal year flagged, 1 blank row skipped)",
                "  alpha: excluded 0, good 3, other 1, undetermined 0, rejected 8 (= 12 rows)",
                "  beta: seller 5, nonseller 0, undetermined 1, rejected 6 (= 12 rows)",
            ])
    }

    @Test(
        "each rejection says why",
        arguments: [
            ("B2", "alpha", "cvr: 13748137 is not a valid CVR number: the check digit does not match (modulus 11)"),
            ("B3", "alpha", "staff: a count is a whole number, not 2.5"),
            ("B8", "alpha", "share: 150 % is above the maximum 100 %"),
            ("B10", "beta", "fiscal_year: the fiscal year is missing; the rules in force depend on it"),
            ("B11", "beta", "fiscal_year: the fiscal year is a year such as 2024, found \"20x4\""),
        ])
    func reasons(id: String, ruleSet: String, reason: String) {
        let (_, output, _) = BatchFixtures.run(BatchBadRowTests.input)
        let row = BatchFixtures.rows(output).first { BatchFixtures.field($0, "id") == id && BatchFixtures.field($0, "rule_set") == ruleSet }
        #expect(row.map { BatchFixtures.field($0, "status") } == "rejected")
        #expect(row.map { BatchFixtures.field($0, "reason") } == reason)
    }

    @Test("a bad value rejects a row only under the rule sets that declare that input")
    func rejectionPerRuleSet() {
        let (_, output, _) = BatchFixtures.run(BatchBadRowTests.input)
        let b3 = BatchFixtures.rows(output).filter { BatchFixtures.field($0, "id") == "B3" }.map { BatchFixtures.field($0, "status") }
        #expect(b3 == ["rejected", "determined"])
    }

    @Test("a duplicate CVR number and fiscal year is evaluated and flagged; the first is not")
    func duplicates() {
        let (_, output, _) = BatchFixtures.run(BatchBadRowTests.input)
        let warnings = BatchFixtures.rows(output).filter { ["B1", "B7"].contains(BatchFixtures.field($0, "id")) }
            .map { BatchFixtures.field($0, "status") + " " + BatchFixtures.field($0, "warning") }
        #expect(
            warnings == [
                "determined ", "determined ",
                "determined \(BatchWords(.english).duplicate)", "determined \(BatchWords(.english).duplicate)",
            ])
    }

    @Test("the result CSV and JSON Lines of a batch with bad rows", arguments: [BatchOutputFormat.csv, .jsonl])
    func golden(format: BatchOutputFormat) {
        let (_, output, _) = BatchFixtures.run(BatchBadRowTests.input, options: BatchOptions(outputFormat: format, sourceName: "test.csv"))
        expectGolden(output, "batch/bad-rows.\(format.rawValue).golden")
    }

    @Test(
        "bad JSON lines are rejected with the reason, and the lines after them are read",
        arguments: [
            ("{\"cvr\":\"13748136\",", "not valid JSON", 2),
            ("[1, 2]", "a firm is a JSON object", 2),
            ("{\"fiscal_year\":2024,\"turnovr\":1}", "did you mean 'turnover'?", 2),
            ("{\"fiscal_year\":2024,\"staff\":\"many\"}", "staff: ", 1),
            ("{\"cvr\":\"12345678\",\"fiscal_year\":2024}", "12345678 is not a valid CVR number", 2),
        ])
    func badJSONLines(line: String, reason: String, rejectedResults: Int) {
        let good = "{\"id\":\"ok\",\"cvr\":\"13748136\",\"fiscal_year\":2024,\"legal_form\":\"aps\"}"
        let input = [good, line, "", good].joined(separator: "\n")
        let (end, output, _) = BatchFixtures.run(input, options: BatchOptions(inputFormat: .jsonl))
        let rows = BatchFixtures.rows(output)
        #expect(rows.map { $0[0] } == ["1", "1", "2", "2", "4", "4"])
        let rejected = rows.filter { BatchFixtures.field($0, "status") == "rejected" }
        #expect(rejected.count == rejectedResults)
        #expect(output.contains(reason), "expected the reason \(reason) in:\n\(output)")
        guard let summary = BatchFixtures.summary(end) else { return }
        #expect(summary.rowsRead == 3 && summary.rowsRejected == 1 && summary.blankRowsSkipped == 1 && summary.isBalanced)
        #expect(summary.duplicates == 1, "the second good line repeats the first")
    }

    @Test("the duplicate check tells years apart and stays within its bound on fiscal years")
    func firmYears() {
        var seen = FirmYearSet()
        let results = [
            seen.insert(cvrIndex: 374_813, year: 2024), seen.insert(cvrIndex: 374_813, year: 2023),
            seen.insert(cvrIndex: 374_813, year: 2024),
        ]
        #expect(results == [false, false, true])
        let first = seen.insert(cvrIndex: 0, year: 2024)
        let last = seen.insert(cvrIndex: 8_999_999, year: 2024)
        #expect(!first && !last)
        for year in 0..<FirmYearSet.maxYears { _ = seen.insert(cvrIndex: 1, year: 3000 + year) }
        #expect(seen.overflowed)
        let once = seen.insert(cvrIndex: 1, year: 5000)
        let twice = seen.insert(cvrIndex: 1, year: 5000)
        #expect(!once && !twice, "untracked years flag nothing")
    }

    @Test("the duplicate check, allocated a page of firms at a time, agrees with a plain set across page edges")
    func firmYearsAgainstASet() {
        var seen = FirmYearSet()
        var plain = Set<[Int]>()
        var random = SplitMix64(seed: 17)
        // The edges of the first pages and the last firm, then firms anywhere, over a few years.
        let edges = [0, 1, 262_143, 262_144, 262_145, 524_287, 524_288, 8_912_895, 8_912_896, 8_999_999]
        var disagreements: [String] = []
        for step in 0..<6_000 {
            let cvr = step < 400 ? edges[step % edges.count] : random.next(9_000_000)
            let year = 2020 + random.next(4)
            let expected = !plain.insert([cvr, year]).inserted
            if seen.insert(cvrIndex: cvr, year: year) != expected { disagreements.append("\(cvr)/\(year)") }
        }
        #expect(disagreements.isEmpty, "seen before, or not, wrongly for \(disagreements.prefix(5))")
        #expect(!seen.overflowed)
    }

    @Test("two bad cells are both named, in the order of the rule set's inputs, and the next row starts clean")
    func twoBadCellsThenAGoodRow() {
        let input =
            [
                BatchFixtures.header,
                "C1,En,13748136,2024,aps,1000.00,-5.00,2.5,10,true,",  // sales below 0, staff 2.5: alpha; sales: beta
                BatchFixtures.goodRow(id: "C2", cvr: "14381651"),
            ].joined(separator: "\n") + "\n"
        let (_, output, _) = BatchFixtures.run(input)
        let rows = BatchFixtures.rows(output)
        #expect(rows.count == 4)
        guard rows.count == 4 else { return }
        #expect(
            BatchFixtures.field(rows[0], "reason")
                == "sales: -5.00 kr is below the minimum 0.00 kr; staff: a count is a whole number, not 2.5")
        #expect(BatchFixtures.field(rows[1], "reason") == "sales: -5.00 kr is below the minimum 0.00 kr")
        #expect(rows[2...].map { BatchFixtures.field($0, "outcome") } == ["good", "seller"])
        #expect(rows[2...].map { BatchFixtures.field($0, "reason") } == ["", ""])
    }

    @Test("a name or id a spreadsheet would run as a formula is written as text in result CSV, as given in JSON Lines")
    func formulaCellsAreDefused() {
        let input =
            [
                BatchFixtures.header,
                "=1+1,\"=HYPERLINK(\"\"http://x\"\")\",13748136,2024,aps,1000.00,800.00,3,10,true,",
                "@id,+Plus,14381651,2024,aps,1000.00,800.00,3,10,true,",
                "D3,Firma D3,14460845,2024,aps,1000.00,800.00,3,10,true,",
            ].joined(separator: "\n") + "\n"
        let (_, output, _) = BatchFixtures.run(input)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        guard lines.count == 7 else { return }
        #expect(lines[1].hasPrefix("2,\"'=1+1\",13748136,\"'=HYPERLINK(\"\"http://x\"\")\",2024,alpha,determined,good"))
        #expect(lines[3].hasPrefix("3,\"'@id\",14381651,\"'+Plus\",2024,alpha,"))
        #expect(lines[5].hasPrefix("4,D3,14460845,Firma D3,2024,alpha,"))
        // Read back, the cells hold the text with the apostrophe in front.
        let rows = BatchFixtures.rows(output)
        #expect(rows.first.map { BatchFixtures.field($0, "name") } == "'=HYPERLINK(\"http://x\")")

        var options = BatchOptions(sourceName: "test.csv")
        options.outputFormat = .jsonl
        let (_, json, _) = BatchFixtures.run(input, options: options)
        #expect(json.contains(#""id":"=1+1","cvr":"13748136","name":"=HYPERLINK(\"http://x\")""#))
    }

    @Test("a status's ordinal is its place among all statuses, which the result pieces are indexed by")
    func statusOrdinals() {
        #expect(BatchStatus.allCases.map(\.ordinal) == Array(BatchStatus.allCases.indices))
    }
}
