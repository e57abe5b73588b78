import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// `soe test` end to end: the built binary on a small rule set with its tests, a file of
/// deliberately wrong expectations, the bundled rules, and the coverage reports, each against a
/// golden file (re-record with `SOE_RECORD=1`, then review the diff).
@Suite("soe test")
struct RuleTestCommandTests {
    static let fixture = "Tests/SoeEngineTests/Fixtures/ruletest"
    static let wrong = "Tests/SoeEngineTests/Fixtures/ruletest-failing/wrong.csv"

    @Test("a passing run lists each test file and the summary, and exits 0")
    func passingRun() throws {
        let result = try runSoe(["test", Self.fixture])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        expectGolden(result.stdout, "ruletest/pass.txt")
        #expect(result.stdout.contains("6 firms, 11 expectations: 11 passed, 0 failed"))
    }

    @Test("a wrong expectation fails with exit 1 and the difference in the explanation, not only the outcome")
    func failingRun() throws {
        let result = try runSoe(["test", Self.fixture + "/screening.rules", Self.wrong])
        #expect(result.exitCode == 1)
        expectGolden(result.stdout, "ruletest/fail.txt")
        // The outcome, then the criterion, then the comparison with its values and the value's formula.
        #expect(
            result.stdout.contains(
                "expected social_economy, got other_actor: criterion market_based was no: market_share 45 % < market_share_min 50 % (policy choice)"
            ))
        #expect(result.stdout.contains("criterion market_based was no"))
        #expect(result.stdout.contains("market_share 45 % < market_share_min 50 % (policy choice)"))
        #expect(result.stdout.contains("market_share = market_sales / total_revenue = 450,000.00 kr / 1,000,000.00 kr = 45 %"))
        #expect(result.stdout.contains("criterion eligible: expected yes, got no"))
        #expect(result.stdout.contains("none of the reasons is about own_cvr"))
        #expect(result.stdout.contains("13 firms, 19 expectations: 11 passed, 8 failed"))
    }

    @Test("the failure report in Danish")
    func failingRunDanish() throws {
        let result = try runSoe(["test", "--lang", "da", Self.fixture + "/screening.rules", Self.wrong])
        #expect(result.exitCode == 1)
        expectGolden(result.stdout, "ruletest/fail-da.txt")
        #expect(result.stdout.contains("forventet social_economy, fik other_actor"))
        #expect(result.stdout.contains("kriterium market_based var nej"))
        #expect(result.stdout.contains("market_share 45 % < market_share_min 50 % (politisk valg)"))
    }

    @Test("coverage as text, JSON and lcov")
    func coverageReports() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-ruletest-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let json = folder + "/coverage.json"
        let lcov = folder + "/coverage.info"
        let result = try runSoe(["test", "--coverage", "--coverage-json", json, "--coverage-lcov", lcov, Self.fixture])
        #expect(result.exitCode == 0, "\(result.stderr)")
        expectGolden(result.stdout, "ruletest/coverage.txt")
        expectGolden(try String(contentsOfFile: json, encoding: .utf8), "ruletest/coverage.json")
        let tracefile = try String(contentsOfFile: lcov, encoding: .utf8)
        expectGolden(tracefile, "ruletest/coverage.lcov")
        // The lcov totals agree with the records they sum.
        let lines = tracefile.split(separator: "\n").map(String.init)
        let branches = lines.filter { $0.hasPrefix("BRDA:") }
        #expect(lines.contains("BRF:\(branches.count)"))
        let taken = branches.filter { line in
            let count = line.split(separator: ",").last.map(String.init) ?? "-"
            return count != "-" && count != "0"
        }
        #expect(lines.contains("BRH:\(taken.count)"))
        #expect(lines.first == "TN:soe_test" && lines.last == "end_of_record")
    }

    @Test("the bundled rule sets pass their tests and reach every outcome, criterion and dated value")
    func bundledRules() throws {
        let result = try runSoe([
            "test", "rules/", "--min-coverage", "100", "--min-coverage", "operands=96", "--min-coverage", "branches=50",
        ])
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("0 failed"))
        #expect(!result.stdout.contains("note:"), "every bundled rule set has tests")
    }

    @Test("a coverage floor that is not reached fails with exit 1 and names the rule set and kind")
    func belowFloor() throws {
        let result = try runSoe(["test", Self.fixture, "--min-coverage", "100"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("coverage below the floor: screening operands 90 % < 100 %"))
        #expect(result.stderr.contains("screening branches 50 % < 100 %"))
        let kind = try runSoe(["test", Self.fixture, "--min-coverage", "outcomes=100", "--min-coverage", "dated_values=100"])
        #expect(kind.exitCode == 0, "\(kind.stderr)")
        // A floor with decimals is shown as given, whatever its reduced denominator (87.5 = 175/2
        // was shown as 87.1 %, 75.75 as 75.3 %).
        for (floor, shown, danish) in [("90.5", "90.5 %", "90,5 %"), ("90.75", "90.75 %", "90,75 %"), ("93.888", "93.888 %", "93,888 %")] {
            let run = try runSoe(["test", Self.fixture, "--min-coverage", "operands=\(floor)"])
            #expect(run.stderr.contains("screening operands 90 % < \(shown)"), "\(run.stderr)")
            let da = try runSoe(["test", "--lang", "da", Self.fixture, "--min-coverage", "operands=\(floor)"])
            #expect(da.stderr.contains("< \(danish)"), "\(da.stderr)")
        }
        #expect(RuleCoverage.decimal(175, 2, .english) == "87.5")
    }

    @Test("a bad --min-coverage is a usage error")
    func badFloor() throws {
        for bad in ["101", "ninety", "operand=90", "-5"] {
            let result = try runSoe(["test", Self.fixture, "--min-coverage=\(bad)"])
            #expect(result.exitCode == 2, "\(bad)")
            #expect(result.stderr.contains("--min-coverage"), "\(bad)")
        }
        let suggestion = try runSoe(["test", Self.fixture, "--min-coverage", "operand=90"])
        #expect(suggestion.stderr.contains("did you mean operands?"))
    }

    @Test("a test file that cannot be read as written exits 4 and says where and why")
    func badTestFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-ruletest-bad-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = folder + "/bad.csv"
        try """
        id,fiscal_year,expected:screening,expected:screening.eligble,expected:screning,legal_form
        B1,2024,ordinary,,,aps
        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let header = try runSoe(["test", Self.fixture + "/screening.rules", csv])
        #expect(header.exitCode == 4)
        #expect(header.stderr.contains("bad.csv:1:4: error: screening has no criterion 'eligble'; did you mean 'eligible'?"))
        #expect(header.stderr.contains("bad.csv:1:5: error: no rule set loaded is called 'screning'; did you mean 'screening'?"))
        #expect(header.stdout.contains("bad.csv: 0 firms") && header.stdout.contains("ERROR /"), "the file is marked as not tested")
        try """
        id,fiscal_year,expected:screening,expected:screening.eligible,legal_form
        B1,2024,social_econmy,,aps
        B2,2024,ordinary,maybe,aps
        B3,2024,,,aps
        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let result = try runSoe(["test", Self.fixture + "/screening.rules", csv])
        #expect(result.exitCode == 4)
        #expect(result.stderr.contains("bad.csv:2:3: error: screening has no outcome 'social_econmy'; did you mean 'social_economy'?"))
        #expect(result.stderr.contains("bad.csv:3:4: error: an expected criterion is yes, no or unknown"))
        #expect(result.stderr.contains("bad.csv:4: error: the firm expects nothing"))
        // Expectations without a firm test nothing.
        let empty = folder + "/empty.csv"
        try "fiscal_year,expected:screening\n\n".write(toFile: empty, atomically: true, encoding: .utf8)
        let noFirms = try runSoe(["test", Self.fixture + "/screening.rules", empty])
        #expect(noFirms.exitCode == 4)
        #expect(noFirms.stderr.contains("empty.csv: error: the file has no firms below its header row"))
        // A workbook saved as .xlsx but named .csv.
        let workbook = folder + "/book.csv"
        try Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]).write(to: URL(fileURLWithPath: workbook))
        let zipped = try runSoe(["test", Self.fixture + "/screening.rules", workbook])
        #expect(zipped.exitCode == 4)
        #expect(zipped.stderr.contains("book.csv: error: the file is a ZIP archive"))
        // A JSON firm file without _expected.
        let json = folder + "/firm.json"
        try #"{"name": "X", "fiscal_year": 2024}"#.write(toFile: json, atomically: true, encoding: .utf8)
        let missing = try runSoe(["test", Self.fixture + "/screening.rules", json])
        #expect(missing.exitCode == 4)
        #expect(missing.stderr.contains("firm.json: error: the firm file has no \"_expected\""))
    }

    @Test("no test files, rules with errors, an output over a rule file: each its own exit code")
    func otherExits() throws {
        // A test file that is not there, or a folder under a test file's name, cannot be read: exit 5.
        let absent = try runSoe(["test", "rules/anden_aktoer.rules", "no-such-tests.csv"])
        #expect(absent.exitCode == 5, "\(absent.stderr)")
        #expect(absent.stderr.contains("no-such-tests.csv: error: cannot read no-such-tests.csv"))
        // A header past the reader's limit is said as such, not as an empty file.
        let wideFolder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-ruletest-wide-\(getpid())").path
        try FileManager.default.createDirectory(atPath: wideFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: wideFolder) }
        try ((0..<12_000).map { "c\($0)" }.joined(separator: ";") + "\n").write(
            toFile: wideFolder + "/wide.csv", atomically: true, encoding: .utf8)
        let wide = try runSoe(["test", "rules/anden_aktoer.rules", wideFolder + "/wide.csv"])
        #expect(wide.exitCode == 4)
        #expect(wide.stderr.contains("more than 10000 fields"), "\(wide.stderr)")
        #expect(!wide.stderr.contains("the file is empty"))
        let none = try runSoe(["test", "samples/minimal/minimal.rules"])
        #expect(none.exitCode == 4)
        #expect(none.stderr.contains("no test files (.csv, .json, .xlsx) in samples/minimal/tests"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-ruletest-broken-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder + "/tests", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "ruleset broken \"x\"\ncriterion c = nothing_declared\n".write(
            toFile: folder + "/broken.rules", atomically: true, encoding: .utf8)
        try "fiscal_year,expected:broken\n2024,x\n".write(toFile: folder + "/tests/t.csv", atomically: true, encoding: .utf8)
        let broken = try runSoe(["test", folder])
        #expect(broken.exitCode == 3, "\(broken.stderr)")
        #expect(broken.stderr.contains("nothing was tested"))
        let overwrite = try runSoe(["test", Self.fixture, "--coverage-lcov", Self.fixture + "/screening.rules"])
        #expect(overwrite.exitCode == 2)
        #expect(
            try String(contentsOfFile: TestPaths.root + "/" + Self.fixture + "/screening.rules", encoding: .utf8).contains(
                "ruleset screening"))
        let onlyTests = try runSoe(["test", Self.wrong])
        #expect(onlyTests.exitCode == 2)
        #expect(onlyTests.stderr.contains("give a rule file or a folder of rule files"))
    }

    @Test("the tests of rule sets not loaded are skipped, and said")
    func skippedRuleSets() throws {
        let result = try runSoe(["test", "rules/rsv_2014.rules"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("note: rules/tests/anden_aktoer.csv skipped: it tests only anden_aktoer, which is not loaded"))
        #expect(result.stdout.contains("ok    rules/tests/rsv_2014.csv: 21 firms"))
    }

    @Test("a column or member no tested rule set reads, and an input no column holds, are warned about, not passed in silence")
    func unreadColumns() throws {
        let scratch = try ScratchFolder()
        let folder = scratch.path
        // `andre_tilskud_i_alt` is far from every input (not refused as a typo of `grants`): the
        // firm is not_eligible whatever its grants, so the test passes, and the column is never read.
        let csv = folder + "/t.csv"
        try """
        id;fiscal_year;forventet:anden_aktoer;own_cvr;public_ownership;market_sales;municipal_employment_services;other_public_contracts;andre_tilskud_i_alt;ordinary_employees;fleksjob;loentilskud;skaanejob;smaajob;virksomhedspraktik
        A;2024;not_eligible;nej;0;900000;100000;0;0;8;2;0;0;1;1

        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let result = try runSoe(["test", "rules/anden_aktoer.rules", csv])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "t.csv:1: warning: column 'andre_tilskud_i_alt' is not an input of the rule sets tested and not read; start a name with '_' to keep the column as a note"
            ))
        #expect(
            result.stderr.contains("t.csv:1: warning: no column for the input 'grants' (anden_aktoer): every firm in the file lacks it"))
        let danish = try runSoe(["test", "--lang", "da", "rules/anden_aktoer.rules", csv])
        #expect(danish.stderr.contains("kolonnen 'andre_tilskud_i_alt' er ikke en oplysning til de regelsæt, der testes, og læses ikke"))
        #expect(danish.stderr.contains("ingen kolonne til oplysningen 'grants' (anden_aktoer): alle virksomheder i filen mangler den"))
        // A JSON test file's member no tested rule set reads: the warning `soe evaluate` gives.
        let json = folder + "/t.json"
        try """
        {"_expected": {"anden_aktoer": "not_eligible"}, "name": "A", "fiscal_year": 2024, "own_cvr": false, "andre_tilskud": 5}

        """.write(toFile: json, atomically: true, encoding: .utf8)
        let member = try runSoe(["test", "rules/anden_aktoer.rules", json])
        #expect(member.exitCode == 0, "\(member.stderr)")
        #expect(member.stderr.contains("t.json:1:101: warning: andre_tilskud: not used by the rule sets in use"))
        // The batch says the same of an input no column holds, and nothing of an input that the
        // outcomes never read (haderslev_2021 declares rsv_2014's inputs and reads few of them).
        let batch = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", csv])
        #expect(batch.stderr.contains("warning: no column for the input 'grants' (anden_aktoer)"), "\(batch.stderr)")
        let inherited = try runSoe(["evaluate", "--rules", "rules/haderslev_2021.rules", "rules/tests/haderslev_2021.csv"])
        #expect(!inherited.stderr.contains("no column for the input"), "\(inherited.stderr)")
        // A file that also tests a rule set not loaded may hold that rule set's inputs: no warning.
        let bundled = try runSoe(["test", "rules/anden_aktoer.rules", "samples/tabsaar.json"])
        #expect(!bundled.stderr.contains("warning"), "\(bundled.stderr)")
    }

    @Test("--percent and --dialect read test files as soe evaluate reads firm data, so the hints that name them hold")
    func percentAndDialect() throws {
        let scratch = try ScratchFolder()
        let folder = scratch.path
        // The rule file alone in the folder: the bundled tests beside it are not read.
        let rules = folder + "/anden_aktoer.rules"
        try FileManager.default.copyItem(atPath: "rules/anden_aktoer.rules", toPath: rules)
        let header =
            "id;fiscal_year;forventet:anden_aktoer;own_cvr;public_ownership;market_sales;municipal_employment_services;other_public_contracts;grants;ordinary_employees;fleksjob;loentilskud;skaanejob;smaajob;virksomhedspraktik"
        let danish = folder + "/da.csv"
        try "\(header)\nA;2024;public_controlled;ja;0,6;900000;100000;0;0;8;2;0;0;1;1\n".write(
            toFile: danish, atomically: true, encoding: .utf8)
        let refused = try runSoe(["test", rules, danish])
        #expect(refused.exitCode == 1)
        #expect(refused.stdout.contains("give --percent fraction or --percent points for the whole file"), "\(refused.stdout)")
        // 0,6 as a fraction is 60 %: public control; as points, 0,6 % is not.
        let fraction = try runSoe(["test", "--percent", "fraction", rules, danish])
        #expect(fraction.exitCode == 0, "\(fraction.stdout)\(fraction.stderr)")
        let points = try runSoe(["test", "--percent", "points", rules, danish])
        #expect(points.exitCode == 1)
        #expect(points.stdout.contains("expected public_controlled, got"))
        // Semicolons and no decimal mark elsewhere: `900.000` reads two ways until --dialect says which.
        let pointed = folder + "/point.csv"
        try "\(header)\nA;2024;public_controlled;ja;60 %;900.000;100.000;0;0;8;2;0;0;1;1\n".write(
            toFile: pointed, atomically: true, encoding: .utf8)
        let ambiguous = try runSoe(["test", rules, pointed])
        #expect(ambiguous.exitCode == 1)
        #expect(ambiguous.stdout.contains("--dialect semicolon-point"), "\(ambiguous.stdout)")
        let given = try runSoe(["test", "--dialect", "excel-da", rules, pointed])
        #expect(given.exitCode == 0, "\(given.stdout)\(given.stderr)")
        let bad = try runSoe(["test", "--percent", "procent", "rules/"])
        #expect(bad.exitCode == 2)
    }

    @Test("a named pipe in a folder of rules is refused by what it is, and one in tests/ passed over, never read for ever")
    func namedPipes() throws {
        let scratch = try ScratchFolder()
        let folder = scratch.path
        try FileManager.default.createDirectory(atPath: folder + "/tests", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "rules/anden_aktoer.rules", toPath: folder + "/anden_aktoer.rules")
        // A test file written with Windows' upper-case extension is a test file.
        try FileManager.default.copyItem(atPath: "rules/tests/anden_aktoer.csv", toPath: folder + "/tests/B.CSV")
        #expect(mkfifo(folder + "/tests/f.csv", 0o644) == 0)
        let tests = try runSoe(["test", folder])
        #expect(tests.exitCode == 0, "\(tests.stderr)")
        #expect(tests.stdout.contains("ok    \(folder)/tests/B.CSV: 12 firms"), "\(tests.stdout)")
        #expect(mkfifo(folder + "/p.rules", 0o644) == 0)
        for command in [["check", folder], ["lint", folder], ["test", folder], ["fmt", "--check", folder]] {
            let run = try runSoe(command)
            #expect(run.exitCode == 5, "\(command): \(run.stderr)")
            #expect(run.stderr.contains("/p.rules is a named pipe (FIFO), not a file; a folder of rules holds rule files only"))
        }
    }

    @Test("two answers to one expectation, an expectation with no rule set, are errors, never the last one silently")
    func conflictingExpectations() throws {
        let scratch = try ScratchFolder()
        let folder = scratch.path
        let rest =
            "own_cvr;public_ownership;market_sales;municipal_employment_services;other_public_contracts;grants;ordinary_employees;fleksjob;loentilskud;skaanejob;smaajob;virksomhedspraktik"
        let row = "ja;0;900000;100000;0;0;8;2;0;0;1;1"
        for (name, header, cells, message) in [
            (
                "both.csv", "id;fiscal_year;forventet:anden_aktoer;expected:anden_aktoer", "A;2024;ordinary;social_economy",
                "expects again what column 3 expects; keep one of them"
            ),
            ("empty.csv", "id;fiscal_year;expected:", "A;2024;ordinary", "names no rule set to expect"),
            ("colon.csv", "id;fiscal_year;expected:anden_aktoer:market_based", "A;2024;ja", "names no rule set to expect"),
        ] {
            try "\(header);\(rest)\n\(cells);\(row)\n".write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
            let run = try runSoe(["test", "rules/anden_aktoer.rules", folder + "/" + name])
            #expect(run.exitCode == 4, "\(name): \(run.stdout)\(run.stderr)")
            #expect(run.stderr.contains(message), "\(name): \(run.stderr)")
        }
        try #"{"_expected": {"anden_aktoer": "ordinary", "anden_aktoer": "social_economy"}, "name": "A", "fiscal_year": 2024}"#
            .write(toFile: folder + "/twice.json", atomically: true, encoding: .utf8)
        let json = try runSoe(["test", "rules/anden_aktoer.rules", folder + "/twice.json"])
        #expect(json.exitCode == 4)
        #expect(json.stderr.contains("'anden_aktoer' is expected twice in _expected; keep one"), "\(json.stderr)")
        // `_forventet` is read as `_expected`, as `forventet:` is in a CSV.
        try #"{"_forventet": {"anden_aktoer": "not_eligible"}, "name": "A", "fiscal_year": 2024, "own_cvr": false}"#
            .write(toFile: folder + "/da.json", atomically: true, encoding: .utf8)
        let danish = try runSoe(["test", "rules/anden_aktoer.rules", folder + "/da.json"])
        #expect(danish.exitCode == 0, "\(danish.stdout)\(danish.stderr)")
        // An unknown outcome lists the outcomes, and an outcome's label names its outcome.
        try "id;fiscal_year;forventet:anden_aktoer;\(rest)\nA;2024;Ordinær virksomhed;\(row)\n".write(
            toFile: folder + "/label.csv", atomically: true, encoding: .utf8)
        let label = try runSoe(["test", "rules/anden_aktoer.rules", folder + "/label.csv"])
        #expect(
            label.stderr.contains(
                "anden_aktoer has no outcome 'Ordinær virksomhed'; did you mean 'ordinary'? (its outcomes: not_eligible, public_controlled, anden_aktoer, social_economy, ordinary; or undetermined, not_in_force or rejected)"
            ), "\(label.stderr)")
    }

    @Test("a test CSV as Danish Excel saves it (Windows-1252) is read as soe evaluate reads it; two reports to one file are refused")
    func encodingsAndWorkbooks() throws {
        let scratch = try ScratchFolder()
        let folder = scratch.path
        // The bundled file's lines already end in CR LF, as Excel writes them.
        let text = try String(contentsOfFile: "rules/tests/anden_aktoer.csv", encoding: .utf8)
        #expect(text.contains("\r\n"))
        let bytes = try #require(text.data(using: .windowsCP1252))
        try bytes.write(to: URL(fileURLWithPath: folder + "/t.csv"))
        let run = try runSoe(["test", "rules/anden_aktoer.rules", folder + "/t.csv"])
        #expect(run.exitCode == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("Windows-1252"), "\(run.stderr)")
        // The coverage reports to one file by two spellings, neither written yet: a usage error.
        let twice = try runSoe([
            "test", "rules/anden_aktoer.rules", "--coverage-lcov", folder + "/new.x", "--coverage-json", folder + "/./new.x",
        ])
        #expect(twice.exitCode == 2, "\(twice.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/new.x"))
    }

    @Test("a rule set built on a bundled one: lcov names only files an editor can open, and the note names the one left out")
    func lcovLeavesOutBundledFiles() throws {
        let scratch = try ScratchFolder()
        let lcov = scratch.path + "/k.info"
        let run = try runSoe(["test", "samples/kommune", "--coverage-lcov", lcov, "--coverage-json", scratch.path + "/k.json"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let files = try String(contentsOfFile: lcov, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("SF:") }
        #expect(files == ["SF:samples/kommune/kommune.rules"], "\(files)")
        #expect(run.stderr.contains("the lcov report leaves out bundled:anden_aktoer.rules"), "\(run.stderr)")
        // The JSON report keeps the bundled file's items, which the note points to.
        #expect(try String(contentsOfFile: scratch.path + "/k.json", encoding: .utf8).contains("bundled:anden_aktoer.rules:"))
        // No lcov asked for: no note.
        let plain = try runSoe(["test", "samples/kommune"])
        #expect(!plain.stderr.contains("lcov"), "\(plain.stderr)")
    }

    @Test("a misspelt expectation prefix and a misspelt input in one header are said in one run")
    func headerProblemsAtOnce() throws {
        let scratch = try ScratchFolder()
        let folder = scratch.path
        let text = try String(contentsOfFile: "rules/tests/anden_aktoer.csv", encoding: .utf8)
            .replacingOccurrences(of: "forventet:anden_aktoer;", with: "forvented:anden_aktoer;")
            .replacingOccurrences(of: ";fleksjob;", with: ";flexjob;")
        try text.write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        let run = try runSoe(["test", "rules/anden_aktoer.rules", folder + "/t.csv"])
        #expect(run.exitCode == 4)
        #expect(run.stderr.contains("'forvented:anden_aktoer' looks like a column of expectations"), "\(run.stderr)")
        #expect(run.stderr.contains("'flexjob': no rule set declares an input 'flexjob'; did you mean 'fleksjob'?"), "\(run.stderr)")
    }

    @Test("test files that test only rule sets not loaded are named, not called no test files")
    func onlySkippedFiles() throws {
        let scratch = try ScratchFolder()
        let folder = scratch.path
        try FileManager.default.createDirectory(atPath: folder + "/tests", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "rules/anden_aktoer.rules", toPath: folder + "/anden_aktoer.rules")
        let text = try String(contentsOfFile: "rules/tests/anden_aktoer.csv", encoding: .utf8)
            .replacingOccurrences(of: "forventet:anden_aktoer", with: "forventet:aarhus_kommune")
        try text.write(toFile: folder + "/tests/t.csv", atomically: true, encoding: .utf8)
        let run = try runSoe(["test", folder])
        #expect(run.exitCode == 4)
        #expect(run.stderr.contains("/tests/t.csv tests only aarhus_kommune, which is not loaded"), "\(run.stderr)")
        #expect(run.stderr.contains("no test file tests the rule sets loaded (anden_aktoer)"))
        #expect(!run.stderr.contains("no test files"))
    }

    @Test("the samples' _expected is a rule test as it stands")
    func samplesAsTests() throws {
        let result = try runSoe(["test", "rules/", "samples/"])
        #expect(result.exitCode == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("ok    samples/fonden.json: 1 firm"))
    }

    @Test("soe --help lists test, and soe test --help documents its forms and exit codes")
    func help() throws {
        let result = try runSoe(["test", "--help"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("expected:RULESET"))
        #expect(result.stdout.contains("--coverage-lcov"))
        let top = try runSoe(["--help"])
        #expect(top.stdout.contains("test        run the test cases beside the rule files"))
    }

    @Test("a workbook given as a test file is refused as one, saying to save it as CSV, not parsed as a rule file")
    func workbookAsTestFile() throws {
        // A workbook with no expectation column is said to be that, not read as a rule file.
        let firms = "Tests/SoeEngineTests/Fixtures/spreadsheets/xlsx-firms.xlsx"
        let plain = try runSoe(["test", "rules/", firms])
        #expect(plain.exitCode == 4, "\(plain.stderr)")
        #expect(!plain.stderr.contains("E001"))
        // A workbook of tests, as a policy officer keeps them: expectations read from the sheet,
        // a percent cell as a percentage; a wrong one fails with its explanation.
        let scratch = try ScratchFolder()
        let folder = scratch.path
        let header = ["id", "name", "cvr", "fiscal_year", "own_cvr", "public_ownership", "expected:anden_aktoer"]
        func workbook(_ expected: String) -> [UInt8] {
            XlsxMaker(sheets: [
                (
                    "Test",
                    [
                        header.map { .shared($0) },
                        [
                            .shared("T1"), .shared("Uden CVR"), .number("13748136"), .number("2024"), .bool(false), .empty,
                            .shared("not_eligible"),
                        ],
                        [
                            .shared("T2"), .shared("Kommunens"), .number("13906513"), .number("2024"), .bool(true),
                            .number("0.6", style: 1),
                            .shared(expected),
                        ],
                    ]
                )
            ]).bytes()
        }
        let passing = folder + "/tests.xlsx"
        try Data(workbook("public_controlled")).write(to: URL(fileURLWithPath: passing))
        let passed = try runSoe(["test", "rules/anden_aktoer.rules", passing])
        #expect(passed.exitCode == 0, "\(passed.stdout)\(passed.stderr)")
        // `--dialect` is for CSV test files: a workbook beside them is read as it is.
        let dialect = try runSoe(["test", "--dialect", "excel-da", "rules/anden_aktoer.rules", passing])
        #expect(dialect.exitCode == 0, "\(dialect.stdout)\(dialect.stderr)")
        try Data(workbook("ordinary")).write(to: URL(fileURLWithPath: passing))
        let failed = try runSoe(["test", "rules/anden_aktoer.rules", passing])
        #expect(failed.exitCode == 1, "\(failed.stdout)\(failed.stderr)")
        #expect((failed.stdout + failed.stderr).contains("expected ordinary, got public_controlled"))
    }

    @Test("soe test with no path where there is no rules folder says that rules/ is its default, exit 5")
    func noRulesHere() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-norules-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Hardening.shell("\"$SOE\" test", in: folder)
        #expect(run.exitCode == 5)
        #expect(run.stderr.contains("with no path given, soe test reads the folder rules/ here, and there is none"), "\(run.stderr)")
    }
}
