import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// A caseworker who runs a batch with `--lang da` reads its reasons, warnings and summary in
/// Danish, as for one firm; the column names, statuses and outcome names stay as they are, so that
/// a spreadsheet or a script reads the same file in either language.
@Suite("batch reasons and summary in Danish and English")
struct BatchLanguageTests {
    static let danish = BatchOptions(outputFormat: .csv, language: .danish, sourceName: "test.csv")

    @Test("the bad-row batch in Danish: every reason and the warning are Danish, the rest is as in English")
    func golden() {
        let (_, output, _) = BatchFixtures.run(BatchBadRowTests.input, options: Self.danish)
        expectGolden(output, "batch/bad-rows.da.csv.golden")
        let (_, english, _) = BatchFixtures.run(BatchBadRowTests.input, options: BatchOptions(sourceName: "test.csv"))
        let columns = ["row", "id", "cvr", "name", "fiscal_year", "rule_set", "status", "outcome", "criteria", "missing"]
        let danishRows = BatchFixtures.rows(output)
        let englishRows = BatchFixtures.rows(english)
        #expect(danishRows.count == englishRows.count)
        for (da, en) in zip(danishRows, englishRows) {
            for column in columns { #expect(BatchFixtures.field(da, column) == BatchFixtures.field(en, column), "\(column)") }
            let (daReason, enReason) = (BatchFixtures.field(da, "reason"), BatchFixtures.field(en, "reason"))
            #expect(daReason.isEmpty == enReason.isEmpty)
            if !enReason.isEmpty { #expect(daReason != enReason, "not translated: \(daReason)") }
        }
    }

    @Test("Danish CSV results begin with a byte-order mark whatever the input; English ones keep the input's")
    func danishByteOrderMark() {
        let mark = "\u{FEFF}"
        let csv = BatchBadRowTests.input
        #expect(!csv.hasPrefix(mark))
        let jsonl = #"{"id":"J1","name":"Firma J1","fiscal_year":2024}"# + "\n"
        for jobs in [1, 2] {
            for layout in [BatchResultLayout.long, .wide] {
                for (input, format) in [(csv, BatchOptions.InputFormat.csv), (jsonl, .jsonl)] {
                    var danish = Self.danish
                    (danish.jobs, danish.layout, danish.inputFormat) = (jobs, layout, format)
                    var english = BatchOptions(sourceName: "test.csv")
                    (english.jobs, english.layout, english.inputFormat) = (jobs, layout, format)
                    let place = "\(format) \(layout) --jobs \(jobs)"
                    #expect(BatchFixtures.run(input, options: danish).output.hasPrefix(mark), "\(place)")
                    let plain = BatchFixtures.run(input, options: english).output
                    #expect(!plain.hasPrefix(mark) && !plain.isEmpty, "\(place)")
                    // An English batch keeps the mark its input has.
                    if format == .csv { #expect(BatchFixtures.run(mark + input, options: english).output.hasPrefix(mark), "\(place)") }
                }
            }
        }
    }

    @Test("the summary in Danish")
    func summary() {
        let (end, _, _) = BatchFixtures.run(BatchBadRowTests.input, options: Self.danish)
        guard let summary = BatchFixtures.summary(end) else { return }
        #expect(
            summary.lines(source: "test.csv", language: .danish) == [
                "12 rækker læst fra test.csv (8 afvist, 1 dublet af CVR-nummer og regnskabsår markeret, 1 tom række sprunget over)",
                "  alpha: excluded 0, good 3, other 1, kan ikke afgøres 0, afvist 8 (= 12 rækker)",
                "  beta: seller 5, nonseller 0, kan ikke afgøres 1, afvist 6 (= 12 rækker)",
            ])
    }

    /// One case per message the batch itself words: each gives a different text in each language.
    static let messages: [(String, @Sendable (BatchWords) -> String)] = {
        let ruleSets = BatchFixtures.ruleSets()
        let capped = checkRules(
            """
            ruleset capped "Loft"
              in force from 2015-01-01
            parameter cap: percent "Loft" law "§ 1" = 35 % from 2015-01-01
            classify
              otherwise ordinary "Ordinær"
            """
        ).0
        let error = CSVError(
            message: "quote inside an unquoted field", danish: "anførselstegn inde i et felt uden anførselstegn",
            line: 3, column: 4, number: 3)
        return [
            ("a broken record", { $0.broken(error) }),
            ("too few fields", { $0.fieldCount(found: 1, header: 3) }),
            ("too many fields", { $0.fieldCount(found: 4, header: 3) }),
            ("a bad fiscal year", { $0.badYear("20x4") }),
            ("a bad closing date", { $0.badClosingDate("31-12-2024") }),
            ("a closing date outside the year", { $0.closingDateOutsideYear(Day(year: 2026, month: 6, day: 30)!, 2024) }),
            ("no fiscal year", { $0.yearMissing }),
            ("a JSON line too long", { $0.lineTooLong(1024) }),
            ("not JSON", { $0.notJSON(column: 5, "expected a value") }),
            ("the duplicate warning", { $0.duplicate }),
            ("not in force", { $0.notInForce(ruleSets[1], Day(year: 2018, month: 12, day: 31)!) }),
            ("a division by zero", { $0.problem(Problem(kind: .divisionByZero, node: 0), ruleSets[1]) }),
            ("a result beyond the exact range", { $0.problem(Problem(kind: .overflow, node: 0), ruleSets[1]) }),
            ("no parameter value", { words in capped.map { words.problem(Problem(kind: .noParameterValue, node: 0), $0) } ?? "" }),
        ]
    }()

    @Test("every batch message differs between Danish and English", arguments: messages.map(\.0))
    func translated(_ name: String) throws {
        let message = try #require(Self.messages.first { $0.0 == name }?.1)
        let (danish, english) = (message(BatchWords(.danish)), message(BatchWords(.english)))
        #expect(!danish.isEmpty && !english.isEmpty)
        #expect(danish != english, "\(name): \(danish)")
    }

    /// Each kind of CSV error the reader can give, from a one-row input after a good header.
    @Test(
        "every CSV reading error has a Danish text",
        arguments: [
            "a,\"b\"c,d",  // unexpected character after closing quote
            "a,b\"c,d",  // quote inside an unquoted field
            "a,\"b,c",  // quote never closes
            "a,\u{FF}b,c",  // invalid UTF-8 (written as bytes below)
            "a,b,c,d,e",  // more fields than the limit
        ])
    func csvErrors(_ row: String) {
        var bytes = Array(("x,y,z\n" + row + "\n").utf8)
        // U+00FF stands for the invalid byte 0xFF, which a Swift string cannot hold.
        if let at = bytes.firstIndex(of: 0xC3), bytes[at + 1] == 0xBF { bytes.replaceSubrange(at...(at + 1), with: [0xFF]) }
        var reader = CSVReader(source: ArraySource(bytes), limits: CSVLimits(maxFields: 4))
        var errors: [CSVError] = []
        while let item = reader.next() { if case .failure(let error) = item { errors.append(error) } }
        #expect(errors.count == 1, "\(row)")
        for error in errors {
            #expect(error.danish != nil, "no Danish text for: \(error.message)")
            #expect(error.text(.danish) != error.text(.english))
        }
    }

    @Test(
        "every header error has a Danish text",
        arguments: [
            ["a", "b", "c"],  // not a header
            ["name", "", "fiscal_year"],  // a column without a name
            ["name", "name", "fiscal_year"],  // a repeated column
            ["name", "turnovr", "fiscal_year"],  // an unknown column
            ["name", "turnover"],  // no fiscal year column
        ])
    func headerErrors(_ header: [String]) {
        guard case .failure(let errors) = BatchLayout.check(header: header, ruleSets: BatchFixtures.ruleSets()) else {
            Issue.record("\(header) was accepted")
            return
        }
        for error in errors.errors {
            #expect(error.danish != nil, "no Danish text for: \(error.message)")
            #expect(error.text(.danish) != error.text(.english))
        }
    }

    @Test("soe evaluate --lang da: the batch's reasons, summary and dialect in Danish")
    func command() throws {
        let csv = "name,cvr,fiscal_year,market_sales\nA,13748137,2024,1\n"
        let result = try runSoe(
            ["evaluate", "--layout", "long", "--rules", "rules/rsv_2014.rules", "-", "--input-format", "csv", "--lang", "da"],
            stdin: csv)
        #expect(result.exitCode == 4)
        #expect(result.stdout.contains("rejected,,,,,,,cvr: 13748137 er ikke et gyldigt CVR-nummer"))
        #expect(result.stderr.contains("soe evaluate: dialekt: rfc4180 (genkendt: separator ',', decimalpunktum)"))
        #expect(result.stderr.contains("soe evaluate: 1 række læst fra <stdin> (1 afvist)"))
        let header = try runSoe(
            ["evaluate", "--rules", "rules/rsv_2014.rules", "-", "--input-format", "csv", "--lang", "da"],
            stdin: "name,cvr\n")
        #expect(header.stderr.contains("<stdin>:1: error: der er ingen kolonne fiscal_year"))
        #expect(header.stderr.contains("soe evaluate: overskriftsrækken har 1 problem; ingen række blev evalueret"))
    }
}
