import Foundation
import SoeTestSupport
import Testing

/// `soe diff` and `--as-of` end to end: the built binary, its exit codes and messages, and that no
/// row is lost.
@Suite struct DiffCommandTests {
    static let kommune = ["diff", "--old", "rules/", "--old", "samples/kommune/", "--new", "rules/", "--new", "samples/kommune/forslag/"]

    /// A temporary folder, removed by the caller.
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "soe-diff-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func theOldAndNewRulesAreRequired() throws {
        let result = try runSoe(["diff", "--new", "rules/", "samples/batch/firms.csv"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--old PATH --new PATH"))
    }

    @Test func noRuleSetInCommonIsAUsageError() throws {
        let result = try runSoe(["diff", "--old", "rules/anden_aktoer.rules", "--new", "rules/rsv_2014.rules", "samples/batch/firms.csv"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("no rule set in common"))
        #expect(result.stderr.contains("old: anden_aktoer; new: rsv_2014"))
        #expect(result.stdout.isEmpty)
    }

    @Test("a rule set against one that builds on it: the error names the pair; --ruleset OLD=NEW compares them")
    func aRuleSetAgainstTheOneItBuildsOn() throws {
        let base = ["diff", "--old", "rules/anden_aktoer.rules", "--new", "samples/kommune/forslag/"]
        let unpaired = try runSoe(base + ["samples/batch/firms.csv"])
        #expect(unpaired.exitCode == 2)
        #expect(unpaired.stderr.contains("pair them: --ruleset anden_aktoer=kommune"), "\(unpaired.stderr)")
        let unrelated = try runSoe([
            "diff", "--old", "rules/anden_aktoer.rules", "--new", "rules/rsv_2014.rules", "samples/batch/firms.csv",
        ])
        #expect(unrelated.stderr.contains("pair them: --ruleset OLD=NEW"), "\(unrelated.stderr)")
        // The proposal raises market_share_min from 50 % to 85 %: one firm of the sample changes, named by the pair.
        let text = try runSoe(base + ["--ruleset", "anden_aktoer=kommune", "samples/batch/firms.csv"])
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("\nanden_aktoer=kommune\n"), "\(text.stdout)")
        #expect(text.stdout.contains("Grøn Løbehjul ApS · anden_aktoer=kommune: social_economy → ordinary"), "\(text.stdout)")
        #expect(text.stdout.contains("market_share_min 50 % → 85 %"), "\(text.stdout)")
        let csv = try runSoe(base + ["--ruleset", "anden_aktoer=kommune", "--format", "csv", "samples/batch/firms.csv"])
        #expect(csv.stdout.contains("\n8,S007,Grøn Løbehjul ApS,anden_aktoer=kommune,social_economy,ordinary,parameter,"), "\(csv.stdout)")
        // Either name missing on its side is a usage error that names the side and what it has.
        for (pair, said) in [
            ("anden_aktoer=kommun", "no rule set 'kommun' in the new rules (new: kommune)"),
            ("kommune=kommune", "no rule set 'kommune' in the old rules (old: anden_aktoer)"),
        ] {
            let wrong = try runSoe(base + ["--ruleset", pair, "samples/batch/firms.csv"])
            #expect(wrong.exitCode == 2 && wrong.stderr.contains(said), "\(pair): \(wrong.stderr)")
            #expect(!wrong.stderr.contains("did you mean"), "\(pair): \(wrong.stderr)")
        }
        // The pair written the other way round: the old rule set's name comes first, and the error says so.
        let reversed = try runSoe(base + ["--ruleset", "kommune=anden_aktoer", "samples/batch/firms.csv"])
        #expect(
            reversed.exitCode == 2
                && reversed.stderr.contains(
                    "no rule set 'kommune' in the old rules (old: anden_aktoer); a pair is written OLD=NEW;"
                        + " did you mean --ruleset anden_aktoer=kommune?"),
            "\(reversed.stderr)")
    }

    @Test func aRuleSetOnOneSideIsNoted() throws {
        let result = try runSoe(["diff", "--old", "rules/", "--new", "rules/anden_aktoer.rules", "samples/batch/firms.csv"])
        #expect(result.exitCode == 0)
        #expect(result.stderr.contains("the rule set rsv_2014 is only in the old rules; not compared"))
        #expect(result.stdout.contains("Read 8: changed 0, unchanged 8, rejected 0"))
    }

    @Test func anUnknownRuleSetIsAUsageError() throws {
        let result = try runSoe(Self.kommune + ["--ruleset", "kommunen", "samples/batch/firms.csv"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("no rule set 'kommunen'"))
    }

    /// Firms whose header misspells an input of the rules: the header is refused, nothing is
    /// written. (A column no rule set knows is a caseworker's own and is carried; a near miss of an
    /// input's name is a typo, as in `evaluate`.)
    @Test func firmsThatDoNotFitTheRulesAreRefused() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "name,cvr,fiscal_year,legal_form,market_sale,municipal_services,social_purpose\nA,13748136,2024,aps,1,1,true\n".write(
            toFile: dir + "/firms.csv", atomically: true, encoding: .utf8)
        let result = try runSoe(["diff", "--old", "samples/minimal/", "--new", "samples/minimal/", dir + "/firms.csv"])
        #expect(result.exitCode == 4)
        #expect(result.stderr.contains("firms.csv:1: error"))
        #expect(result.stderr.contains("did you mean 'market_sales'?"))
        #expect(result.stdout.isEmpty)
    }

    @Test func rulesWithErrorsStopBeforeAnyFirm() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "ruleset broken \"B\"\n  in force from 2020-01-01\ncriterion x = nope\n".write(
            toFile: dir + "/broken.rules", atomically: true, encoding: .utf8)
        let result = try runSoe(["diff", "--old", "rules/", "--new", dir, "samples/batch/firms.csv"])
        #expect(result.exitCode == 3)
        #expect(result.stderr.contains("the new rules have"))
        #expect(result.stdout.isEmpty)
    }

    /// A rejected row is written with its reason and counted; the exit code says so.
    @Test func rejectedRowsAreAccountedFor() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = try String(contentsOfFile: TestPaths.root + "/samples/batch/firms.csv", encoding: .utf8).split(
            whereSeparator: \.isNewline)
        let broken = lines[1].replacingOccurrences(of: ",2024,", with: ",,")
        try (lines + [Substring(broken)]).joined(separator: "\n").appending("\n").write(
            toFile: dir + "/firms.csv", atomically: true, encoding: .utf8)
        let result = try runSoe(Self.kommune + ["--ruleset", "kommune", "--format", "csv", dir + "/firms.csv"])
        #expect(result.exitCode == 4)
        #expect(result.stdout.contains("10,S001,Kaffekollektivet ApS,kommune,rejected,rejected,rejected,"))
        #expect(result.stderr.contains("read 9: changed 1, unchanged 7, rejected 1"))
    }

    @Test func aFirmFileIsOneFirm() throws {
        let result = try runSoe(Self.kommune + ["--ruleset", "kommune", "--format", "json", "samples/udbytte_35.json"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("\"schema\": \"soe-diff/1\""))
        #expect(result.stdout.contains("\"totals\": {\"read\":1,"))
    }

    @Test func outputGoesToAFileWhole() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/diff.html"
        let result = try runSoe(Self.kommune + ["--ruleset", "kommune", "--format", "html", "--output", output, "samples/batch/firms.csv"])
        #expect(result.exitCode == 0)
        let page = try String(contentsOfFile: output, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("Grøn Løbehjul ApS"))
        #expect(result.stdout.isEmpty)
    }

    @Test func theOutputMayNotReplaceAnInput() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let firms = dir + "/firms.csv"
        try FileManager.default.copyItem(atPath: TestPaths.root + "/samples/batch/firms.csv", toPath: firms)
        let before = try Data(contentsOf: URL(fileURLWithPath: firms))
        let result = try runSoe(Self.kommune + ["--output", firms, firms])
        #expect(result.exitCode == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: firms)) == before)
    }

    @Test func asOfMovesTheDiffToAnotherDate() throws {
        // haderslev_2021 is in force 2021-2023: the 2024 firms are not, unless evaluated as of 2022.
        let plain = try runSoe(["diff", "--old", "rules/", "--new", "rules/", "--ruleset", "haderslev_2021", "samples/batch/firms.csv"])
        #expect(plain.stdout.contains("not_in_force → not_in_force      8"))
        let moved = try runSoe([
            "diff", "--old", "rules/", "--new", "rules/", "--ruleset", "haderslev_2021", "--fiscal-year", "2022", "samples/batch/firms.csv",
        ])
        #expect(moved.exitCode == 0)
        #expect(!moved.stdout.contains("not_in_force"))
        #expect(moved.stdout.contains("as of 2022-12-31"))
    }

    @Test("diff reads firms as evaluate does: a workbook by its content, --sheet, --percent; --dialect on a workbook is a usage error")
    func readsAsEvaluate() throws {
        let folder = try ScratchFolder()
        let workbook = "Tests/SoeEngineTests/Fixtures/spreadsheets/xlsx-firms.xlsx"
        try folder.copy(workbook, as: "firms.bin")
        let renamed = try runSoe(["diff", "--old", "rules/", "--new", "rules/", folder.path + "/firms.bin"])
        #expect(renamed.exitCode == 0, "\(renamed.stderr)")
        #expect(renamed.stdout.contains("No result changed."))
        let named = try runSoe(["diff", "--old", "rules/", "--new", "rules/", workbook])
        #expect(named.stdout.split(separator: "\n").dropFirst() == renamed.stdout.split(separator: "\n").dropFirst())
        let sheet = try runSoe(["diff", "--old", "rules/", "--new", "rules/", "--sheet", "Nope", workbook])
        #expect(sheet.exitCode != 0)
        #expect(sheet.stderr.contains("the workbook has no sheet named 'Nope'"), "\(sheet.stderr)")
        let dialect = try runSoe(["diff", "--old", "rules/", "--new", "rules/", "--dialect", "excel-da", workbook])
        #expect(dialect.exitCode == 2)
        #expect(dialect.stderr.contains("--dialect applies to CSV input, not an .xlsx workbook"))
        let sheetOfCSV = try runSoe(["diff", "--old", "rules/", "--new", "rules/", "--sheet", "Ark1", "samples/batch/firms.csv"])
        #expect(sheetOfCSV.exitCode == 2)
        // --percent, which the refusal of a bare fraction names, is there to give.
        let firms = try String(contentsOfFile: TestPaths.root + "/samples/batch/firms.csv", encoding: .utf8)
        var lines = firms.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let column = try #require(header.firstIndex(of: "public_ownership"))
        var cells = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[column] = "0.3"
        lines[1] = cells.joined(separator: ",")
        try folder.write("fractions.csv", lines.joined(separator: "\n") + "\n")
        let refused = try runSoe(["diff", "--old", "rules/", "--new", "rules/", folder.path + "/fractions.csv"])
        #expect(refused.exitCode == 4)
        #expect(refused.stdout.contains("give --percent fraction or --percent points"), "\(refused.stdout)")
        #expect(refused.stdout.contains("Changed results and rejected rows:"), "\(refused.stdout)")
        let points = try runSoe(["diff", "--old", "rules/", "--new", "rules/", "--percent", "points", folder.path + "/fractions.csv"])
        #expect(points.exitCode == 0, "\(points.stderr)")
    }

    @Test("diff says what lint finds wrong in either side's rules, as evaluate does, and compares them as they are")
    func lintErrorsSaid() throws {
        let folder = try ScratchFolder()
        let rules = try String(contentsOfFile: TestPaths.root + "/samples/kommune/kommune.rules", encoding: .utf8)
        let twice = rules.replacingOccurrences(
            of: "  = 50 % from 2019-01-01\n", with: "  = 50 % from 2019-01-01\n  = 85 % from 2019-01-01\n")
        #expect(twice != rules)
        try folder.write("kommune.rules", twice)
        let run = try runSoe(["diff", "--old", "samples/kommune/", "--new", folder.path, "samples/batch/firms.csv"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stderr.contains("soe diff: warning: soe lint finds an error in the new rules"), "\(run.stderr)")
        #expect(run.stderr.contains("[L502]"))
        #expect(!run.stderr.contains("in the old rules"))
        // soe test and soe verify run such rules too, and say so.
        let tested = try runSoe(["test", folder.path])
        #expect(tested.stderr.contains("soe test: warning: soe lint finds an error in the rules (the tests are run all the same)"))
        let record = folder.path + "/record.json"
        let made = try runSoe([
            "evaluate", "--rules", folder.path, "samples/kaffekollektivet.json", "--format", "record", "--output", record,
        ])
        #expect(made.exitCode == 0, "\(made.stderr)")
        let verified = try runSoe(["verify", record, "--rules", folder.path, "samples/kaffekollektivet.json"])
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(
            verified.stderr.contains("soe verify: warning: soe lint finds an error in the rules (the records are checked all the same)"))
        #expect(verified.stderr.contains("[L502]"))
    }

    @Test("diff names the inputs no column holds, once per rule set, where the new rules read one the file lacks")
    func missingColumnSaid() throws {
        let folder = try ScratchFolder()
        try folder.write(
            "old.rules",
            "ruleset t \"T\"\n  in force from 2015-01-01\ninput a: money \"A\"\nclassify\n  big \"Stor\" when a > 10 kr\n  otherwise small \"Lille\"\n"
        )
        try folder.write(
            "new.rules",
            "ruleset t \"T\"\n  in force from 2015-01-01\ninput a: money \"A\"\ninput b: yes/no \"B\"\ninput c: count \"C\"\nclassify\n  big \"Stor\" when a > 10 kr and b and c > 0\n  otherwise small \"Lille\"\n"
        )
        try folder.write("firms.csv", "cvr,fiscal_year,a\n13748136,2024,100\n")
        let run = try runSoe(["diff", "--old", folder.path + "/old.rules", "--new", folder.path + "/new.rules", folder.path + "/firms.csv"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("big → undetermined"))
        #expect(run.stderr.contains("soe diff: warning: no column for the inputs 'b', 'c' (t): every row lacks them"), "\(run.stderr)")
    }

    @Test func evaluateTakesAsOf() throws {
        let single = try runSoe([
            "evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "--brief", "--as-of", "2018-06-30",
            "samples/kaffekollektivet.json",
        ])
        #expect(single.exitCode == 0)
        #expect(single.stdout.contains("The rule set does not apply on 2018-06-30 (what-if): in force from 2019-01-01"))
        let batch = try runSoe([
            "evaluate", "--rules", "rules/", "--ruleset", "haderslev_2021", "--fiscal-year", "2022", "--layout", "long",
            "samples/batch/firms.csv",
        ])
        #expect(batch.exitCode == 0)
        #expect(!batch.stdout.contains("not_in_force"))
        // The firm's own fiscal year is still what the results show.
        #expect(batch.stdout.contains(",2024,haderslev_2021,determined,"))
        let notInForce = try runSoe([
            "evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "--as-of", "2018-01-01", "--layout", "long",
            "samples/batch/firms.csv",
        ])
        #expect(notInForce.stdout.contains("evaluated as of 2018-01-01 (what-if)"))
    }

    @Test func asOfIsCheckedAndNeverMakesARecord() throws {
        let bad = try runSoe(["evaluate", "--rules", "rules/", "--as-of", "2024-02-30", "samples/kaffekollektivet.json"])
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("--as-of must be a calendar date"))
        #expect(bad.stderr.contains("there is no day 30 in month 2 of 2024, which has 29 days"), "\(bad.stderr)")
        let danish = try runSoe(["evaluate", "--rules", "rules/", "--as-of", "31-12-2026", "samples/kaffekollektivet.json"])
        #expect(danish.exitCode == 2)
        #expect(danish.stderr.contains("not '31-12-2026'; write 2026-12-31"), "\(danish.stderr)")
        let decided = try runSoe(["evaluate", "--rules", "rules/", "--decision-date", "14.03.2025", "samples/kaffekollektivet.json"])
        #expect(decided.stderr.contains("not '14.03.2025'; write 2025-03-14"), "\(decided.stderr)")
        let both = try runSoe([
            "diff", "--old", "rules/", "--new", "rules/", "--as-of", "2024-01-01", "--fiscal-year", "2024", "samples/batch/firms.csv",
        ])
        #expect(both.exitCode == 2)
        let record = try runSoe([
            "evaluate", "--rules", "rules/", "--format", "record", "--fiscal-year", "2027", "samples/kaffekollektivet.json",
        ])
        #expect(record.exitCode == 2)
        #expect(record.stderr.contains("a record is made on the firm's own fiscal year"))
    }

    @Test("a what-if on another day's rules says so in every rendering, with that day's parameters; a letter is refused")
    func asOfIsSaidInTheExplanation() throws {
        let folder = try ScratchFolder()
        let rules = try String(contentsOfFile: "rules/anden_aktoer.rules", encoding: .utf8)
        let changed = rules.replacingOccurrences(
            of: "  = 50 % from 2019-01-01\nparameter market_share_min",
            with: "  = 50 % from 2019-01-01\n  = 40 % from 2026-01-01\nparameter market_share_min")
        #expect(changed != rules)
        try changed.write(toFile: folder.path + "/anden_aktoer.rules", atomically: true, encoding: .utf8)
        let args = ["evaluate", "--rules", folder.path, "--as-of", "2026-12-31", "samples/kursuscentret.json"]
        let text = try runSoe(args)
        #expect(text.exitCode == 0, "\(text.stderr)")
        // The closing date is the firm's; the parameters are those in force on the day asked for.
        #expect(text.stdout.contains("fiscal year 2024 (closing 2024-12-31; rules as of 2026-12-31 (what-if), not on the closing date)"))
        #expect(text.stdout.contains("Parameters in force 2026-12-31:\n  employment_services_share_max = 40 %"), "\(text.stdout)")
        #expect(!text.stdout.contains("Parameters in force 2024-12-31"))
        let danish = try runSoe(args + ["--lang", "da"])
        #expect(danish.stdout.contains("regler pr. 31.12.2026 (hvad nu hvis), ikke pr. afslutningsdatoen"))
        #expect(danish.stdout.contains("Parametre i kraft 31.12.2026:"))
        // --fiscal-year chooses the same day; the explanation names no flag it was not given.
        let year = try runSoe(["evaluate", "--rules", folder.path, "--fiscal-year", "2026", "samples/kursuscentret.json"])
        #expect(year.stdout.contains("rules as of 2026-12-31 (what-if), not on the closing date"), "\(year.stdout)")
        #expect(!year.stdout.contains("--as-of"))
        let json = try runSoe(args + ["--format", "json"])
        #expect(json.stdout.contains("\"as_of\": \"2026-12-31\""), "\(json.stdout)")
        let own = try runSoe(["evaluate", "--rules", folder.path, "--format", "json", "samples/kursuscentret.json"])
        #expect(own.exitCode == 0 && !own.stdout.contains("as_of"))
        let html = try runSoe(args + ["--format", "html"])
        #expect(html.stdout.contains("rules as of 2026-12-31 (what-if), not on the closing date"))
        #expect(html.stdout.contains("Parameters in force 2026-12-31"))
        for format in ["letter", "letter-html"] {
            let letter = try runSoe(args + ["--format", format])
            #expect(letter.exitCode == 2)
            #expect(letter.stderr.contains("a letter to the firm is written on its own fiscal year"), "\(letter.stderr)")
        }
    }
}
