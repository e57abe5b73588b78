import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

@Suite("xlsx results and the template, end to end")
struct SheetEndToEndTests {
    @Test("soe evaluate --format xlsx --output writes a workbook with a row per firm")
    func xlsxResults() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let input = try scratch.write("firms.csv", WideFixtures.input)
        try scratch.write("gamma.rules", WideFixtures.gamma)
        let output = scratch.path + "/results.xlsx"
        let run = try runSoe([
            "evaluate", "--rules", scratch.path + "/gamma.rules", input, "--format", "xlsx", "--output", output, "--lang", "da",
        ])
        #expect(run.exitCode == 4, "one row is rejected: \(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("'Sagsbehandler'"))
        let bytes = try #require(FileManager.default.contents(atPath: output))
        let zip = try #require(StoredZip.read(Array(bytes)))
        #expect(
            zip.entries.map(\.name) == [
                "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                "xl/worksheets/sheet1.xml",
            ])
        let sheet = String(decoding: zip["xl/worksheets/sheet1.xml"] ?? [], as: UTF8.self)
        #expect(sheet.components(separatedBy: "<row>").count - 1 == 5)
        for text in ["Ærø Café ApS", "Søren Ærø", "Resultat (gamma)", "Bager &quot;Brød&quot;", "=HYPERLINK(&quot;x&quot;)"] {
            #expect(sheet.contains(text), "\(text) is missing from the sheet")
        }
        #expect(String(decoding: zip["xl/workbook.xml"] ?? [], as: UTF8.self).contains("name=\"Resultater\""))
        scratch.expectNothingLost(outputs: ["results.xlsx"])
    }

    @Test("xlsx is never written to standard output, nor the long layout as xlsx")
    func xlsxRefusals() throws {
        let toTerminal = try runSoe(["evaluate", "--rules", "rules/", "samples/batch/firms.csv", "--format", "xlsx"])
        #expect(toTerminal.exitCode == 2)
        #expect(toTerminal.stderr.contains("--output FILE.xlsx"))
        #expect(toTerminal.stdout.isEmpty)
        let long = try runSoe([
            "evaluate", "--rules", "rules/", "samples/batch/firms.csv", "--format", "xlsx", "--layout", "long", "--output", "x.xlsx",
        ])
        #expect(long.exitCode == 2 && long.stderr.contains("--layout long"))
        let wideJSON = try runSoe(["evaluate", "--rules", "rules/", "samples/batch/firms.csv", "--format", "jsonl", "--layout", "wide"])
        #expect(wideJSON.exitCode == 2 && wideJSON.stderr.contains("jsonl results are long"))
        let template = try runSoe(["template", "--rules", "rules/", "--format", "xlsx"])
        #expect(template.exitCode == 2 && template.stderr.contains("--output"))
    }

    @Test("the CSV template in Danish and English (golden)")
    func templateGoldens() throws {
        let danish = try runSoe(["template", "--rules", "samples/minimal/minimal.rules", "--lang", "da"])
        #expect(danish.exitCode == 0)
        expectGolden(danish.stdout, "sheets/template.minimal.da.csv.golden")
        let english = try runSoe(["template", "--rules", "samples/minimal/minimal.rules", "--lang", "en"])
        expectGolden(english.stdout, "sheets/template.minimal.en.csv.golden")
    }

    @Test("the xlsx template: its sheet with validation (golden), in a readable package")
    func templateXLSX() throws {
        let template = SheetTemplate(ruleSets: WideFixtures.ruleSets(), language: .danish)
        let sink = MemorySink()
        #expect(template.xlsx(to: sink) == nil)
        let zip = try #require(StoredZip.read(sink.bytes))
        let sheet = String(decoding: zip["xl/worksheets/sheet1.xml"] ?? [], as: UTF8.self)
        expectGolden(sheet, "sheets/template.gamma.da.sheet.xml.golden")
        #expect(sheet.contains("<formula1>\"ja,nej\"</formula1>"))
    }

    @Test("a filled-in template saved as Danish CSV is read back by soe evaluate")
    func templateRoundTrip() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let template = scratch.path + "/skabelon.csv"
        let made = try runSoe(["template", "--rules", "rules/", "--ruleset", "rsv_2014", "--lang", "da", "--output", template])
        #expect(made.exitCode == 0, "\(made.stderr)")
        var text = String(decoding: try #require(FileManager.default.contents(atPath: template)), as: UTF8.self)
        let header =
            text.split(separator: "\r\n").first.map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) } ?? []
        let values = ["id": "T1", "name": "Ærøskøbing Café ApS", "cvr": "13748136", "fiscal_year": "2024", "market_sales": "4200000,50"]
        text += header.map { values[$0] ?? "" }.joined(separator: ";") + "\r\n"
        let filled = try scratch.write("udfyldt.csv", text)
        scratch.remember("skabelon.csv")
        let run = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "rsv_2014", filled, "--lang", "da"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stderr.contains("række 2 rummer skabelonens beskrivelser"))
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.last?.contains("Ærøskøbing Café ApS") == true)
        #expect(lines.last?.contains("Kan ikke afgøres") == true)
        // Results in the input's dialect: ';' and the byte-order mark the template gave the file.
        #expect(run.stdout.hasPrefix("\u{FEFF}Række;Id;Navn;CVR-nummer;Regnskabsår;Resultat (rsv_2014)"))
        scratch.expectNothingLost()
    }
}
