import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The same firms written three ways (RFC 4180 CSV, Danish Excel CSV, JSON Lines) must give the
/// same results: the dialect changes how a file is read, never what a firm is.
@Suite("batch input: RFC 4180, Danish Excel and JSON Lines read the same firms alike")
struct BatchDialectTests {
    /// Five firms: good/seller, other (no staff), excluded, undetermined (no turnover), and one
    /// with a fiscal year before beta is in force.
    static let rfc = """
        \(BatchFixtures.header)
        A1,Alfa ApS,13748136,2024,aps,1234567.50,1000000.00,3,10,true,
        A2,"Beta, Gamma & Co",13906513,2024,forening,1000.00,900.00,0,12.5,false,"sagt ""ja"" nu"
        A3,Enkelt,14381651,2024,enkeltmandsvirksomhed,10.00,5.00,1,0,ja,
        A4,Uden tal,14460845,2024,aps,,500.00,2,10,true,
        A5,Gammel,14540032,2019,aps,1000.00,800.00,2,10,true,

        """

    /// The same, as Danish Excel writes it: byte-order mark, ';', decimal comma, thousands points, CRLF.
    static let danish =
        "\u{FEFF}" + """
            \(BatchFixtures.header.replacingOccurrences(of: ",", with: ";"))\r
            A1;Alfa ApS;13748136;2024;aps;1.234.567,50;1000000,00;3;10;ja;\r
            A2;Beta, Gamma & Co;13906513;2024;forening;1.000,00;900;0;12,5;nej;"sagt ""ja"" nu"\r
            A3;Enkelt;14381651;2024;enkeltmandsvirksomhed;10,00;5,00;1;0;ja;\r
            A4;Uden tal;14460845;2024;aps;;500,00;2;10;ja;\r
            A5;Gammel;14540032;2019;aps;1000,00;800,00;2;10;ja;\r

            """

    static let jsonLines = """
        {"id":"A1","name":"Alfa ApS","cvr":"13748136","fiscal_year":2024,"legal_form":"aps","turnover":"1234567.50","sales":1000000.00,"staff":3,"share":10,"audited":true}
        {"id":"A2","name":"Beta, Gamma & Co","cvr":13906513,"fiscal_year":2024,"legal_form":"forening","turnover":1000,"sales":"900.00","staff":0,"share":"12.5 %","audited":false,"note":"sagt \\"ja\\" nu"}
        {"id":"A3","name":"Enkelt","cvr":"14381651","fiscal_year":2024,"legal_form":"enkeltmandsvirksomhed","turnover":10,"sales":5,"staff":1,"share":0,"audited":"ja"}
        {"id":"A4","name":"Uden tal","cvr":"14460845","fiscal_year":2024,"legal_form":"aps","turnover":null,"sales":500,"staff":2,"share":10,"audited":true}
        {"id":"A5","name":"Gammel","cvr":"14540032","fiscal_year":2019,"legal_form":"aps","turnover":1000,"sales":800,"staff":2,"share":10,"audited":true}

        """

    /// JSON Lines results without the row number, which counts the header in CSV but not in JSON Lines.
    static func results(_ input: String, _ format: BatchOptions.InputFormat) -> [String] {
        let options = BatchOptions(inputFormat: format, outputFormat: .jsonl, sourceName: "firms")
        let (end, output, _) = BatchFixtures.run(input, options: options)
        if let summary = BatchFixtures.summary(end) {
            #expect(summary.rowsRead == 5 && summary.rowsRejected == 0 && summary.isBalanced)
        }
        return output.split(separator: "\n").map { line in String(line.drop { $0 != "," }) }
    }

    @Test("RFC 4180 gives the expected outcome for each firm, in input order")
    func rfcOutcomes() {
        let (end, output, report) = BatchFixtures.run(BatchDialectTests.rfc)
        #expect(report?.description == "rfc4180 (detected: ',' separator, decimal point)")
        let rows = BatchFixtures.rows(output)
        let got = rows.map {
            [
                BatchFixtures.field($0, "id"), BatchFixtures.field($0, "rule_set"),
                BatchFixtures.field($0, "status"), BatchFixtures.field($0, "outcome"),
            ].joined(separator: " ")
        }
        #expect(
            got == [
                "A1 alpha determined good", "A1 beta determined seller",
                "A2 alpha determined other", "A2 beta determined seller",
                "A3 alpha determined excluded", "A3 beta determined nonseller",
                "A4 alpha undetermined ", "A4 beta undetermined ",
                "A5 alpha determined good", "A5 beta not_in_force ",
            ])
        guard let summary = BatchFixtures.summary(end) else { return }
        #expect(summary.ruleSets.map(\.outcomes) == [[1, 2, 1], [2, 1]])
        #expect(summary.ruleSets.map(\.undetermined) == [1, 1])
        #expect(summary.ruleSets[1].notInForce == 1)
    }

    @Test("Danish Excel (byte-order mark, ';', decimal comma) is detected, reported, and read alike")
    func danishMatchesRFC() {
        let (_, output, report) = BatchFixtures.run(BatchDialectTests.danish)
        #expect(report?.description == "excel-da (detected: ';' separator, decimal comma, byte-order mark)")
        #expect(output.hasPrefix("\u{FEFF}row;id;cvr;"), "results are written in the input's dialect")
        #expect(BatchDialectTests.results(BatchDialectTests.danish, .csv) == BatchDialectTests.results(BatchDialectTests.rfc, .csv))
    }

    @Test("JSON Lines reads the same firms alike, row numbers being line numbers")
    func jsonLinesMatchesRFC() {
        #expect(BatchDialectTests.results(BatchDialectTests.jsonLines, .jsonl) == BatchDialectTests.results(BatchDialectTests.rfc, .csv))
        let (_, output, report) = BatchFixtures.run(BatchDialectTests.jsonLines, options: BatchOptions(inputFormat: .jsonl))
        #expect(report == nil, "JSON Lines has no dialect to report")
        #expect(BatchFixtures.rows(output).map { $0[0] } == ["1", "1", "2", "2", "3", "3", "4", "4", "5", "5"])
    }

    @Test("a dialect given with --dialect is used as given, and reported as given")
    func givenDialect() {
        let options = BatchOptions(dialect: .excelDanish, sourceName: "firms")
        let (end, _, report) = BatchFixtures.run(BatchDialectTests.danish, options: options)
        #expect(report?.description == "excel-da (as given: ';' separator, decimal comma, byte-order mark)")
        #expect(BatchFixtures.summary(end)?.rowsRejected == 0)
        // Read as RFC 4180, the Danish header is one unknown column, and nothing is evaluated.
        let (wrong, output, _) = BatchFixtures.run(BatchDialectTests.danish, options: BatchOptions(dialect: .rfc4180))
        guard case .headerRejected = wrong else {
            Issue.record("a Danish file read as RFC 4180 must fail at the header, not misread amounts")
            return
        }
        #expect(output.isEmpty)
    }

    @Test(
        "the result CSV of the bundled sample batch, under the bundled rules",
        arguments: [
            "firms.csv", "firms-excel-da.csv", "firms.jsonl",
        ])
    func sampleGolden(file: String) {
        let (code, out, _) = runInProcess([
            "evaluate", "--rules", TestPaths.rules, "--ruleset", "rsv_2014", "--ruleset", "anden_aktoer",
            "--ruleset", "haderslev_2021", TestPaths.samples + "/batch/" + file, "--lang", "en", "--layout", "long",
        ])
        #expect(code == .success)
        expectGolden(out, "batch/sample-\(file).golden")
    }
}
