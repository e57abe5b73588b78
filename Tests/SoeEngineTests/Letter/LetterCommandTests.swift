import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// `soe evaluate` end to end: the summary first, --brief, the letter formats, --decision-date in
/// a record that still verifies, and the batch overview's title.
@Suite("summary, letter and overview from the command line")
struct LetterCommandTests {
    @Test("the batch overview shows a row's warning, as the CSV results carry it: a second row of one firm-year")
    func overviewShowsDuplicates() throws {
        let header =
            "id,name,cvr,fiscal_year,own_cvr,public_ownership,market_sales,municipal_employment_services,"
            + "other_public_contracts,grants,ordinary_employees,fleksjob,loentilskud,skaanejob,smaajob,virksomhedspraktik\n"
        let csv = header + "F1,A,59903268,2024,true,0,100,100,0,0,9,1,1,1,1,1\nF2,B,59903268,2024,true,0,100,900,0,0,9,1,1,1,1,1\n"
        let run = try runSoe(
            ["evaluate", "--rules", "rules/anden_aktoer.rules", "--input-format", "csv", "--format", "html", "--lang", "da", "-"],
            stdin: csv)
        #expect(run.exitCode == 0, "\(run.stderr)")
        let marks = run.stdout.components(separatedBy: "warning-mark\">en tidligere række har samme CVR-nummer og regnskabsår").count - 1
        #expect(marks == 1, "\(run.stdout)")
    }

    @Test("a letter asking for data names only the outcomes the declared limits of the missing data leave")
    func letterOutcomesByBounds() throws {
        // The case of issue 15's "Why": the other revenue missing, declared at least 0 kr; the
        // employment-services share is then at most 5 %, so the firm cannot be an anden aktør.
        let firm = """
            {"name": "Mangler Data ApS", "cvr": "73423023", "fiscal_year": 2024, "own_cvr": true, "public_ownership": "0 %",
             "market_sales": 2000000.00, "municipal_employment_services": 100000.00, "other_public_contracts": null, "grants": null,
             "ordinary_employees": 5, "fleksjob": 2, "loentilskud": 0, "skaanejob": 0, "smaajob": 0, "virksomhedspraktik": 0}
            """
        let text = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", "--lang", "da", "-"], stdin: firm)
        #expect(text.stdout.contains("udelukket: Anden aktør"), "\(text.stdout)")
        let letter = try runSoe(
            ["evaluate", "--rules", "rules/anden_aktoer.rules", "--format", "letter", "--lang", "da", "-"], stdin: firm)
        #expect(letter.exitCode == 0, "\(letter.stderr)")
        let flat = letter.stdout.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(
            flat.contains("Med disse oplysninger kan resultatet blive: reel socialøkonomisk virksomhed eller ordinær virksomhed."),
            "\(flat)")
        #expect(!flat.contains("kan resultatet blive: anden aktør"))
    }

    @Test("a letter for a firm the declared limits decide: the data is asked for, the result it cannot change is said, no criterion listed")
    func letterDecidedByLimits() throws {
        // Grants missing (at least 0 kr): market sales stay under half the revenue and employment
        // services under half whatever they are, so the firm is an ordinary business.
        let firm = """
            {"name": "Grænse ApS", "cvr": "13748136", "fiscal_year": 2024, "own_cvr": true, "public_ownership": 0,
             "market_sales": "300000.00", "municipal_employment_services": "200000.00", "other_public_contracts": "200000.00",
             "grants": null, "ordinary_employees": 8, "fleksjob": 2, "loentilskud": 0, "skaanejob": 1, "smaajob": 2, "virksomhedspraktik": 1}
            """
        let base = ["evaluate", "--rules", "rules/anden_aktoer.rules", "--format", "letter"]
        let danish = try runSoe(base + ["--lang", "da", "-"], stdin: firm)
        #expect(danish.exitCode == 0, "\(danish.stderr)")
        let flat = danish.stdout.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(flat.contains("- Tilskud, puljer, fondsmidler og donationer Uanset hvad oplysningerne viser,"), "\(flat)")
        #expect(
            flat.contains("inden for de grænser reglerne sætter for dem, bliver resultatet: ordinær virksomhed. Vi beder om dem,"),
            "\(flat)")
        #expect(!flat.contains("kan resultatet blive") && !flat.contains("har betydning for"), "\(flat)")
        let english = try runSoe(base + ["--lang", "en", "-"], stdin: firm)
        let flatEnglish = english.stdout.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        #expect(flatEnglish.contains("the result will be: ordinary business. We ask for it"), "\(flatEnglish)")
        #expect(!flatEnglish.contains("settles:"), "\(flatEnglish)")
        // A firm the limits do not decide keeps what each missing input settles.
        let open = try runSoe(base + ["--lang", "da", "-"], stdin: firm.replacingOccurrences(of: "\"300000.00\"", with: "\"3000000.00\""))
        // What a missing input settles leaves out a criterion the bounds settle: the employment-services
        // share is at most 200,000 of 3,400,000 kr whatever the grants are, so only the market share is open.
        let flatOpen = open.stdout.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        #expect(
            flatOpen.contains(
                "- Tilskud, puljer, fondsmidler og donationer – har betydning for: Produktion af varer og tjenester på et marked "),
            "\(flatOpen)")
        #expect(!flatOpen.contains("beskæftigelsesrettede ydelser til kommuner"), "\(flatOpen)")
    }

    @Test("a letter from the rule set's sender, with the case number: text and HTML; the record seals the case number")
    func senderAndCaseNumber() throws {
        let folder = try ScratchFolder()
        let rules = try String(contentsOfFile: TestPaths.root + "/samples/kommune/kommune.rules", encoding: .utf8)
            .replacingOccurrences(
                of: "  version \"1.0\"\n",
                with: "  version \"1.0\"\n  letter sender \"Eksempel Kommune, Jobcenteret, Torvet 1, 1234 Byen\"\n"
                    + "    en \"Example Municipality, Job Centre, Torvet 1, 1234 Byen\"\n")
        #expect(rules.contains("letter sender"))
        try folder.write("kommune.rules", rules)
        let base = ["evaluate", "--rules", folder.path + "/kommune.rules", "--decision-date", "2025-03-14", "--case-number", "24/12345"]
        let text = try runSoe(base + ["--format", "letter", "--lang", "da", "samples/kaffekollektivet.json"])
        #expect(text.exitCode == 0, "\(text.stderr)")
        expectGolden(
            String(text.stdout.split(separator: "\n\n", maxSplits: 2).prefix(2).joined(separator: "\n\n")) + "\n",
            "letter/sender_case.da.txt")
        let english = try runSoe(base + ["--format", "letter", "--lang", "en", "samples/kaffekollektivet.json"])
        #expect(
            english.stdout.hasPrefix("From: Example Municipality, Job Centre, Torvet 1, 1234 Byen\n\nKaffekollektivet ApS\n"),
            "\(english.stdout)")
        #expect(english.stdout.contains("\nDate: 14\u{00A0}March\u{00A0}2025\nCase no. 24/12345\n"), "\(english.stdout)")
        let html = try runSoe(base + ["--format", "letter-html", "--lang", "da", "samples/kaffekollektivet.json"])
        #expect(
            html.stdout.contains("<div class=\"sender\"><p class=\"from\">Eksempel Kommune, Jobcenteret, Torvet 1, 1234 Byen</p>"),
            "\(html.stdout)")
        #expect(html.stdout.contains("<p class=\"case\">Sagsnr. 24/12345</p>"), "\(html.stdout)")
        // The rule set the sample builds on has no sender: its letters begin with the firm, as before.
        let plain = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", "--format", "letter", "samples/kaffekollektivet.json"])
        #expect(plain.stdout.hasPrefix("Kaffekollektivet ApS\n"), "\(plain.stdout)")
        // The record seals the case number with the decision date; it verifies, and the dossier made from it shows it.
        let record = folder.path + "/k.record.json"
        let made = try runSoe(base + ["--format", "record", "--output", record, "samples/kaffekollektivet.json"])
        #expect(made.exitCode == 0, "\(made.stderr)")
        let sealed = try folder.read("k.record.json")
        let compact = sealed.filter { !$0.isWhitespace }
        #expect(compact.contains("\"decision_date\":\"2025-03-14\",\"case_number\":\"24/12345\","), "\(sealed)")
        let verified = try runSoe(["verify", record, "--rules", folder.path + "/kommune.rules", "samples/kaffekollektivet.json"])
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        let dossier = try runSoe(["dossier", record, "--lang", "da"])
        #expect(dossier.stdout.contains(">Sagsnr. 24/12345</p>"), "\(dossier.stdout)")
        // An edited case number breaks the seal.
        try folder.write("k.record.json", sealed.replacingOccurrences(of: "24/12345", with: "24/99999"))
        let edited = try runSoe(["verify", record, "--rules", folder.path + "/kommune.rules", "samples/kaffekollektivet.json"])
        #expect(edited.exitCode == 1 && edited.stdout.contains("record edited"), "\(edited.stdout)")
    }

    @Test("the JSON trace carries the decision date and the case number in its input, where given; a record's trace does not")
    func caseInJSONTrace() throws {
        let base = ["evaluate", "--rules", "rules/anden_aktoer.rules", "--format", "json", "samples/kaffekollektivet.json"]
        let given = try runSoe(base + ["--decision-date", "2025-03-14", "--case-number", "24/12345"])
        #expect(given.exitCode == 0, "\(given.stderr)")
        let compact = given.stdout.filter { !$0.isWhitespace }
        #expect(compact.contains("\"closing_date\":\"2024-12-31\",\"decision_date\":\"2025-03-14\",\"case_number\":\"24/12345\"},"))
        // One without the other: only that one.
        let dated = try runSoe(base + ["--decision-date", "2025-03-14"]).stdout.filter { !$0.isWhitespace }
        #expect(dated.contains("\"closing_date\":\"2024-12-31\",\"decision_date\":\"2025-03-14\"},"))
        let numbered = try runSoe(base + ["--case-number", "24/12345"]).stdout.filter { !$0.isWhitespace }
        #expect(numbered.contains("\"closing_date\":\"2024-12-31\",\"case_number\":\"24/12345\"},"))
        // Without either the trace is what it was: the same bytes as with them, less the two members.
        let plain = try runSoe(base)
        #expect(!plain.stdout.contains("decision_date") && !plain.stdout.contains("case_number"))
        let without = given.stdout.replacingOccurrences(
            of: ",\n    \"decision_date\": \"2025-03-14\",\n    \"case_number\": \"24/12345\"", with: "")
        #expect(without == plain.stdout)
        // A record holds them once, beside its closing date, not again in its trace's input.
        let record = try runSoe(base.filter { $0 != "json" && $0 != "--format" } + ["--format", "record", "--case-number", "24/12345"])
        #expect(record.stdout.components(separatedBy: "24/12345").count == 2, "\(record.stdout)")
    }

    @Test("--case-number: one firm's case, one line of printable text")
    func caseNumberRefusals() throws {
        let base = ["evaluate", "--rules", "rules/anden_aktoer.rules", "--format", "letter"]
        for (value, firms, said) in [
            ("", ["samples/kaffekollektivet.json"], "--case-number is given an empty value"),
            ("  ", ["samples/kaffekollektivet.json"], "--case-number is given an empty value (only spaces)"),
            (" 24/1", ["samples/kaffekollektivet.json"], "begins or ends with a space"),
            ("24/1\n2", ["samples/kaffekollektivet.json"], "holds a control character"),
            (String(repeating: "9", count: 65), ["samples/kaffekollektivet.json"], "a case number has at most 64"),
            ("24/1", ["samples/kaffekollektivet.json", "samples/fonden.json"], "give one firm file, not 2"),
            ("24/1", ["samples/batch/firms.csv"], "--case-number applies to single firms"),
        ] {
            let run = try runSoe(base + ["--case-number", value] + firms)
            #expect(run.exitCode == 2 && run.stderr.contains(said), "\(value): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
    }

    @Test("the text output opens with the summary; --brief prints only the summary")
    func summaryFirst() throws {
        let full = try runSoe(["evaluate", "--rules", "rules/", "--lang", "da", "samples/kaffekollektivet.json"])
        #expect(full.exitCode == 0)
        let lines = full.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "Kaffekollektivet ApS (CVR 13748136), regnskabsår 2024")
        #expect(lines.dropFirst().prefix(3).allSatisfy { $0.hasPrefix("  ") }, "one line per rule set")
        #expect(full.stdout.contains("Udfald, prøvet i rækkefølge"))
        let brief = try runSoe(["evaluate", "--rules", "rules/", "--lang", "en", "--brief", "samples/kaffekollektivet.json"])
        #expect(brief.exitCode == 0)
        #expect(brief.stdout.split(separator: "\n").count == 4)
        #expect(brief.stdout.contains("haderslev_2021  Not in force: The rule set does not apply to the fiscal year 2024"))
        #expect(!brief.stdout.contains("Outcomes, tried in order"))
    }

    @Test("wrong uses of the new flags are usage errors that say why")
    func usage() throws {
        let brief = try runSoe(["evaluate", "--rules", "rules/", "--brief", "--format", "json", "samples/kaffekollektivet.json"])
        #expect(brief.exitCode == 2)
        #expect(brief.stderr.contains("--brief"))
        let date = try runSoe(["evaluate", "--rules", "rules/", "--decision-date", "14.03.2025", "samples/kaffekollektivet.json"])
        #expect(date.exitCode == 2)
        #expect(date.stderr.contains("YYYY-MM-DD"))
        let title = try runSoe(["evaluate", "--rules", "rules/", "--title", "X", "samples/kaffekollektivet.json"])
        #expect(title.exitCode == 2)
        #expect(title.stderr.contains("--title"))
    }

    @Test("--format letter and letter-html write the letter; HTML is print-ready A4 with page numbers")
    func letterFormats() throws {
        let text = try runSoe([
            "evaluate", "--rules", "rules/rsv_2014.rules", "--lang", "da", "--format", "letter", "--decision-date", "2025-03-14",
            "samples/kaffekollektivet.json",
        ])
        #expect(text.exitCode == 0)
        // The date with no-break spaces, so that it is never broken across lines.
        #expect(text.stdout.hasPrefix("Kaffekollektivet ApS\nCVR 13748136\nDato: 14.\u{00A0}marts\u{00A0}2025\n"))
        let html = try runSoe([
            "evaluate", "--rules", "rules/rsv_2014.rules", "--lang", "en", "--format", "letter-html", "samples/mangler_regnskab.json",
        ])
        #expect(html.exitCode == 0)
        #expect(html.stdout.contains("@page { size: A4;"))
        #expect(html.stdout.contains("counter(page) \" of \" counter(pages)"))
        #expect(html.stdout.contains("Request for information"))
    }

    @Test("a decision date is recorded and sealed as data; the record still verifies, and one without it too")
    func decisionDateInRecord() throws {
        let folder = try ScratchFolder()
        let dated = folder.path + "/dated.json"
        let plain = folder.path + "/plain.json"
        for (path, extra) in [(dated, ["--decision-date", "2025-03-14"]), (plain, [])] {
            let made = try runSoe(
                ["evaluate", "--rules", "rules/rsv_2014.rules", "--format", "record", "--output", path] + extra
                    + ["samples/kaffekollektivet.json"])
            #expect(made.exitCode == 0, "\(made.stderr)")
        }
        let record = try String(contentsOfFile: dated, encoding: .utf8)
        #expect(record.contains("\"decision_date\": \"2025-03-14\""))
        #expect(!(try String(contentsOfFile: plain, encoding: .utf8)).contains("decision_date"))
        for path in [dated, plain] {
            let verified = try runSoe(["verify", path, "--rules", "rules/rsv_2014.rules", "samples/kaffekollektivet.json"])
            #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        }
        // An edited date breaks the seal.
        let edited = folder.path + "/edited.json"
        try record.replacingOccurrences(of: "2025-03-14", with: "2025-03-15").write(toFile: edited, atomically: true, encoding: .utf8)
        let broken = try runSoe(["verify", edited, "--rules", "rules/rsv_2014.rules", "samples/kaffekollektivet.json"])
        #expect(broken.exitCode != 0)
    }

    @Test("the batch overview: a row per firm, a column per rule set, tones, and the title")
    func batchOverview() throws {
        let page = try runSoe(["evaluate", "--rules", "rules/", "--format", "html", "--no-progress", "samples/batch/firms.csv"])
        #expect(page.exitCode == 0, "\(page.stderr)")
        #expect(page.stdout.contains("<title>firms.csv</title>"), "the file's name without its folder")
        #expect(page.stdout.contains("<th>anden_aktoer</th>") && page.stdout.contains("<th>rsv_2014</th>"))
        #expect(page.stdout.contains("badge tone-unfavourable"))
        #expect(!page.stdout.contains("s-determined"), "no outcome is green by default")
        let titled = try runSoe([
            "evaluate", "--rules", "rules/", "--format", "html", "--no-progress", "--title", "Screening <2024>", "samples/batch/firms.csv",
        ])
        #expect(titled.stdout.contains("<title>Screening &lt;2024&gt;</title>"))
    }
}

/// The printed dossier carries the seal of the record the same evaluation gives, so that paper and
/// archive can be matched.
@Suite("dossier and record")
struct DossierSealTests {
    @Test("the dossier shows the record's seal, with and without a decision date")
    func sealInDossier() throws {
        for extra in [[], ["--decision-date", "2025-03-14"]] {
            let arguments = ["evaluate", "--rules", "rules/rsv_2014.rules"] + extra
            let record = try runSoe(arguments + ["--format", "record", "samples/kaffekollektivet.json"])
            let dossier = try runSoe(arguments + ["--format", "html", "samples/kaffekollektivet.json"])
            #expect(record.exitCode == 0 && dossier.exitCode == 0)
            let node = try JSONReader.parse(Array(record.stdout.utf8)).get()
            let seal = try #require(JSONOutput(node).member(DecisionRecord.sealKey)?.stringValue)
            #expect(dossier.stdout.contains("<span class=\"hash\">\(seal)</span>"), "seal \(seal) not in the dossier")
        }
    }
}
