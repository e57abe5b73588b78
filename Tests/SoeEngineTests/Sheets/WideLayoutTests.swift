import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// A rule set whose outcomes give reasons, and a batch with a column of the caseworker's own, a
/// comment column, Danish letters, a formula-like cell and a rejected row.
enum WideFixtures {
    static let gamma = """
        ruleset gamma "Gamma" en "Gamma"
          source "Testregler"
          version "1"
          in force from 2015-01-01

        input turnover: money "Omsætning" en "Turnover" min 0 kr
        input sales: money "Salg" en "Sales" min 0 kr
        input audited: yes/no "Revideret" en "Audited"

        criterion sells "Sælger mest" en "Mostly sales" = sales * 2 >= turnover
        criterion checked "Revideret regnskab" en "Audited accounts" = audited

        classify
          good "God" en "Good" when all of sells, checked
            reason "Sælger og er revideret" en "Sells and is audited"
          otherwise other "Anden" en "Other"
            reason "Et kriterium er ikke opfyldt" en "A criterion is not met"
        """

    static let input = #"""
        id,name,Sagsbehandler,cvr,fiscal_year,turnover,sales,audited,_note
        G1,Ærø Café ApS,Søren Ærø,13748136,2024,1000.00,800.00,true,første
        G2,"Bager ""Brød""",Åse,13906513,2024,1000.00,,true,"=HYPERLINK(""x"")"
        G3,Tom,,12345678,2024,1000.00,100.00,false,
        G4,Lille,Bo,14381651,2024,1000.00,100.00,false,

        """#

    static func ruleSets(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [RuleSet] {
        let result = loadRules([("gamma.rules", gamma)])
        #expect(!result.hasErrors, "gamma does not check: \(result.diagnostics)", sourceLocation: sourceLocation)
        return result.ruleSets
    }

    static func run(
        _ input: String = WideFixtures.input, format: BatchOutputFormat = .csv, layout: BatchResultLayout = .wide,
        language: Language = .english, jobs: Int = 1
    ) -> (end: BatchEnd, output: String, notes: [BatchHeaderWarning]) {
        var options = BatchOptions(outputFormat: format, language: language, sourceName: "firms.csv")
        options.layout = layout
        options.jobs = jobs
        options.blockSize = 1
        var notes: [BatchHeaderWarning] = []
        let sink = MemorySink()
        let end = BatchRunner(ruleSets: ruleSets(), options: options)
            .run(ArraySource(Array(input.utf8)), to: sink, hooks: BatchHooks(headerWarnings: { notes += $0 }))
        return (end, sink.text, notes)
    }
}

@Suite("Wide results, carried columns and reasons")
struct WideLayoutTests {
    @Test("wide CSV results in Danish and English (golden)")
    func wideGoldens() {
        let danish = WideFixtures.run(language: .danish)
        #expect(BatchFixtures.summary(danish.end)?.rowsRejected == 1)
        expectGolden(danish.output, "batch/wide.da.csv.golden")
        let english = WideFixtures.run(language: .english)
        expectGolden(english.output, "batch/wide.en.csv.golden")
        // One notice, naming the caseworker's column; the comment column needs none.
        #expect(
            english.notes.map(\.message) == [
                "column 'Sagsbehandler' is not used by any rule set; carried through to the results unchanged"
            ])
        #expect(
            danish.notes.map { $0.danish ?? "" } == [
                "kolonnen 'Sagsbehandler' bruges ikke af noget regelsæt; den følger med uændret i resultaterne"
            ])
    }

    @Test("the wide layout gives the same bytes on several threads")
    func wideParallel() {
        #expect(WideFixtures.run(jobs: 3).output == WideFixtures.run(jobs: 1).output)
        #expect(WideFixtures.run(format: .xlsx, jobs: 2).output == WideFixtures.run(format: .xlsx, jobs: 1).output)
    }

    @Test("long results carry the caseworker's columns after their own, and every decided row its reason")
    func longCarried() throws {
        let run = WideFixtures.run(layout: .long)
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.first == BatchResultWriter.columns.joined(separator: ",") + ",Sagsbehandler,_note")
        let rows = BatchFixtures.rows(run.output)
        #expect(rows.count == 4)
        #expect(rows.map { $0.suffix(2) } == [["Søren Ærø", "første"], ["Åse", "'=HYPERLINK(\"x\")"], ["", ""], ["Bo", ""]])
        let decided = rows.filter { BatchFixtures.field($0, "status") == "determined" }
        #expect(decided.count == 2)
        #expect(decided.map { BatchFixtures.field($0, "reason") } == ["Sells and is audited", "A criterion is not met"])
        // Long keeps identifiers for machines.
        #expect(BatchFixtures.field(rows[1], "missing") == "sales")
    }

    @Test("JSON Lines results carry the columns in a 'carried' object")
    func jsonCarried() {
        let run = WideFixtures.run(format: .jsonl, layout: .long)
        let first = run.output.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.contains(#""reason":"Sells and is audited","carried":{"Sagsbehandler":"Søren Ærø","_note":"første"}}"#))
    }

    @Test("a column that looks like an input is refused with a did-you-mean; a column of one's own is not")
    func typosStayErrors() {
        let cases: [(String, String)] = [
            ("turnvoer", "did you mean 'turnover'?"),
            ("Turn Over", "did you mean 'turnover'?"),
            ("Omsætning", "did you mean 'turnover'?"),
            ("omsætning (kr.)", "did you mean 'turnover'?"),
            ("Navn", "did you mean 'name'?"),
            ("Audited", "did you mean 'audited'?"),
        ]
        for (name, expected) in cases {
            let header = "id,name,cvr,fiscal_year,turnover,sales,audited,\(name)"
            let run = WideFixtures.run(header + "\nG1,A,13748136,2024,1,1,true,x\n")
            guard case .headerRejected(let errors) = run.end else {
                Issue.record("'\(name)' was not refused: \(run.end)")
                continue
            }
            #expect(errors.map(\.message).joined().contains(expected), "\(name): \(errors.map(\.message))")
        }
        let own = WideFixtures.run("id,name,cvr,fiscal_year,turnover,sales,audited,Bemærkninger\nG1,A,13748136,2024,1,1,true,x\n")
        #expect(BatchFixtures.summary(own.end)?.rowsRead == 1)
    }

    @Test("a column named by the head of an input's description (Tilskud) is that input; a head two inputs share is not")
    func descriptionHeads() throws {
        #expect(CarriedColumns.head(of: "Tilskud, puljer, fondsmidler og donationer") == "tilskud")
        #expect(CarriedColumns.head(of: "Ansatte i småjob (få løntimer om ugen)") == "ansatte i småjob")
        #expect(CarriedColumns.head(of: "Omsætning") == nil)
        #expect(CarriedColumns.head(of: ", alene") == nil)
        let folder = try ScratchFolder()
        let firms = folder.path + "/firms.csv"
        for header in ["tilskud", "Tilskud", "TILSKUD", "Ansatte i småjob"] {
            try "cvr;fiscal_year;market_sales;\(header)\n13906513;2024;1000000;5000\n".write(
                toFile: firms, atomically: true, encoding: .utf8)
            let run = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", firms])
            #expect(run.exitCode != 0, "\(header): \(run.stdout)")
            #expect(
                run.stderr.contains("did you mean '\(header == "Ansatte i småjob" ? "smaajob" : "grants")'?"), "\(header): \(run.stderr)")
        }
        // Two inputs whose descriptions start alike: the head names neither, and the column is carried.
        let rules = """
            ruleset twin "Twin"
              in force from 2015-01-01
            input a: money "Støtte, fra staten"
            input b: money "Støtte, fra kommunen"
            classify
              big "Stor" when a + b > 10 kr
              otherwise small "Lille"
            """
        try rules.write(toFile: folder.path + "/twin.rules", atomically: true, encoding: .utf8)
        try "cvr;fiscal_year;a;b;Støtte\n13906513;2024;1;2;x\n".write(toFile: firms, atomically: true, encoding: .utf8)
        let twin = try runSoe(["evaluate", "--rules", folder.path + "/twin.rules", firms])
        #expect(twin.exitCode == 0, "\(twin.stderr)")
        #expect(twin.stderr.contains("column 'Støtte' is not used by any rule set"), "\(twin.stderr)")
    }

    @Test("a template's description row is skipped, with a notice; a data row like it is not")
    func descriptionRowSkipped() {
        let template = SheetTemplate(ruleSets: WideFixtures.ruleSets(), language: .danish)
        let header = template.columns.map(\.name)
        let descriptions = template.columns.map { "\"\($0.description)\"" }
        let firm = "G1,A,13748136,2024,1000,800,true"
        let run = WideFixtures.run([header.joined(separator: ","), descriptions.joined(separator: ","), firm, ""].joined(separator: "\n"))
        #expect(BatchFixtures.summary(run.end)?.rowsRead == 1)
        #expect(run.notes.map(\.message) == ["row 2 holds the template's descriptions of the columns; it is skipped"])
        // One cell off, and the row is data (rejected for its values, never dropped).
        var changed = descriptions
        changed[4] = "\"Omsætning\""
        let data = WideFixtures.run([header.joined(separator: ","), changed.joined(separator: ","), firm, ""].joined(separator: "\n"))
        #expect(BatchFixtures.summary(data.end)?.rowsRead == 2)
        #expect(data.notes.isEmpty)
    }

    @Test("a rule set not in force says so in the words a single firm's summary uses")
    func notInForceSentence() {
        let run = WideFixtures.run("id,name,cvr,fiscal_year,turnover,sales,audited\nG1,A,13748136,2010,1,1,true\n", language: .danish)
        let row = BatchFixtures.rows(run.output).first ?? []
        #expect(row.count == 11)
        #expect(
            row.dropFirst(5).prefix(2) == [
                "Gælder ikke", "Regelsættet gælder ikke for regnskabsåret 2010 (afsluttet 31.12.2010): i kraft fra 01.01.2015",
            ])
        #expect(row.dropFirst(9).first == "not_in_force")
    }

    @Test("xlsx results: the sheet's XML (golden), one row per firm")
    func xlsxSheet() {
        let run = WideFixtures.run(format: .xlsx, language: .danish)
        #expect(BatchFixtures.summary(run.end)?.rowsRead == 4)
        expectGolden(run.output, "sheets/results.da.sheet.xml.golden")
        #expect(run.output.components(separatedBy: "<row>").count - 1 == 5)
        #expect(run.output.hasSuffix("</sheetData></worksheet>"))
    }
}
