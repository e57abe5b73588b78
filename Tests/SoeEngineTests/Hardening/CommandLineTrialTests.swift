import Foundation
import SoeTestSupport
import Testing

@testable import SoeCLI
@testable import SoeEngine
@testable import SoeLanguage

/// Session 20's second outside trial (a hostile tester and a policy officer with the docs alone):
/// the command line where it wrote a broken file, mixed a report into a document, let the last of
/// two floors win, named the wrong flag, read a number by a guess, or waited for ever.
@Suite("command line: what the second outside trial found")
struct CommandLineTrialTests {
    func folder() throws -> String { try scratchFolder("trial") }

    @Test("soe fmt: - with other files, or - twice, is a usage error and no file is rewritten")
    func formatStandardInputWithFiles() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let unformatted = "ruleset t \"T\"\n    source \"s\"\n  in force from 2015-01-01\nclassify\n  otherwise z \"Z\" reason \"r\"\n"
        try unformatted.write(toFile: dir + "/t.rules", atomically: true, encoding: .utf8)
        for arguments in [["fmt", "-", dir + "/t.rules"], ["fmt", dir + "/t.rules", "-"], ["fmt", "-", "-"]] {
            let run = try runSoe(arguments, stdin: unformatted)
            #expect(run.exitCode == 2, "\(arguments): \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(arguments): nothing on standard output: \(run.stdout)")
            #expect(try String(contentsOfFile: dir + "/t.rules", encoding: .utf8) == unformatted, "\(arguments) rewrote the file")
        }
        let alone = try runSoe(["fmt", "-"], stdin: unformatted)
        #expect(alone.exitCode == 0 && alone.stdout.hasPrefix("ruleset t \"T\"\n  source \"s\""), "\(alone.stdout) \(alone.stderr)")
        let checked = try runSoe(["fmt", "--check", "-", dir + "/t.rules"], stdin: unformatted)
        #expect(checked.exitCode == 1, "--check reads both and writes nothing: \(checked.stderr)")
    }

    @Test("soe test: --coverage-json - is JSON alone on standard output; both reports to - is a usage error")
    func coverageToStandardOutput() throws {
        let run = try runSoe(["test", "rules", "--coverage-json", "-", "--coverage"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(json?["schema"] as? String == "soe-coverage/1")
        #expect(run.stderr.contains("64 expectations: 64 passed, 0 failed"), "the report goes to standard error: \(run.stderr)")
        let lcov = try runSoe(["test", "rules", "--coverage-lcov", "-"])
        #expect(lcov.stdout.hasPrefix("TN:soe_test\n"), "\(lcov.stdout.prefix(80))")
        let both = try runSoe(["test", "rules", "--coverage-json", "-", "--coverage-lcov", "-"])
        #expect(both.exitCode == 2 && both.stdout.isEmpty, "\(both.stdout.prefix(80))")
        #expect(both.stderr.contains("would both write to standard output"), "\(both.stderr)")
    }

    @Test("soe test: the same --min-coverage kind twice is a usage error in either order; a floor for all then one kind is as documented")
    func minimumCoverageTwice() throws {
        for floors in [["operands=100", "operands=0"], ["operands=0", "operands=100"], ["90", "80"]] {
            let run = try runSoe(["test", "rules"] + floors.flatMap { ["--min-coverage", $0] })
            #expect(run.exitCode == 2, "\(floors): \(run.stderr)")
            #expect(run.stderr.contains("twice") && run.stderr.contains("('\(floors[0])' and '\(floors[1])'); give one"), "\(run.stderr)")
        }
        // A kind's own floor holds in either order: a later floor for every kind does not lower it.
        for given in [["90", "operands=95"], ["operands=95", "90"], ["operands=50", "90"]] {
            let refined = try TestCommand.minimumCoverage(given)
            let own = Int(given.first { $0.hasPrefix("operands=") }!.dropFirst(9))!
            #expect(refined[.operands]?.numerator == own && refined[.outcomes]?.numerator == 90, "\(given)")
        }
    }

    @Test("soe test: a report file naming a test file is refused naming its own flag")
    func reportFlagNamed() throws {
        let run = try runSoe(["test", "rules", "--coverage-json", "rules/tests/rsv_2014.csv"])
        #expect(run.exitCode == 2)
        #expect(run.stderr.contains("soe test: --coverage-json rules/tests/rsv_2014.csv is the input file"), "\(run.stderr)")
        #expect(!run.stderr.contains("--output"))
    }

    @Test("--borderline: a number without % from 0 to 1 is refused with both readings; a decimal comma with the point; 2 and 2 % are read")
    func borderlineReadings() throws {
        func message(_ text: String) -> String? {
            if case .failure(let error) = BorderlineShare.parse(text) { return error.message }
            return nil
        }
        #expect(message("0.02") == "--borderline '0.02' could be 2 % (the fraction 0.02) or 0.02 %; write the % sign: '2 %' or '0.02 %'")
        #expect(message("1")?.contains("could be 100 % (the fraction 1) or 1 %") == true)
        #expect(message("2,5 %") == "--borderline '2,5 %' has a decimal comma; write it with a point: '2.5 %'")
        #expect(message("150 %") == "--borderline takes a share from 0 % to 100 %, such as '2 %'; found '150 %'")
        for (text, share) in [("2", "0.02"), ("2 %", "0.02"), ("0.02 %", "0.0002"), ("0", "0"), ("1 %", "0.01")] {
            guard case .success(let value) = BorderlineShare.parse(text) else {
                Issue.record("'\(text)' refused")
                continue
            }
            #expect(value.exactText() == share, "\(text)")
        }
        if case .failure(let error) = BorderlineShare.parse("0.5") {
            #expect(error.danish == "--borderline '0.5' kan være 50 % (brøken 0.5) eller 0.5 %; skriv %-tegnet: '50 %' eller '0.5 %'")
        }
        // A point before three digits has one reading in a share: a thousands mark would pass 100 %.
        #expect(try BorderlineShare.parse("1.000 %").get().exactText() == "0.01")
        #expect(try BorderlineShare.parse("2.125 %").get().exactText() == "0.02125")
        #expect(message("1,000")?.contains("could be 100 % (the fraction 1.000) or 1.000 %") == true)
        // The no-break spaces a word processor puts before % are spaces.
        for text in ["2\u{00A0}%", "2\u{202F}%", "\u{00A0}2 %"] {
            #expect(try BorderlineShare.parse(text).get().exactText() == "0.02", "\(text.unicodeScalars.map(\.value))")
        }
    }

    @Test("soe test: the JSON and lcov reports to one file is a usage error; the second replaced the first")
    func reportsToOneFile() throws {
        let run = try runSoe(["test", "rules", "--coverage-json", ".build/cov-one.txt", "--coverage-lcov", ".build/cov-one.txt"])
        #expect(run.exitCode == 2, "\(run.stderr)")
        #expect(run.stderr.contains("--coverage-json and --coverage-lcov name the same file (.build/cov-one.txt)"), "\(run.stderr)")
        let both = try runSoe(["test", "rules", "--coverage-json", "-", "--coverage-lcov", "-"])
        #expect(both.exitCode == 2)
    }

    @Test("--min-coverage reads its percentage as --borderline does: 0.8, 1, 0,8 and 1.000 are refused, not read as under 1 %")
    func minimumCoverageReadings() throws {
        for (given, words) in [
            ("0.8", "--min-coverage '0.8' could be 80 % (the fraction 0.8) or 0.8 %"),
            ("1", "--min-coverage '1' could be 100 % (the fraction 1) or 1 %"),
            ("0,8", "--min-coverage '0,8' could be 80 %"),
            ("1.000", "--min-coverage '1.000' could be 100 % (the fraction 1.000) or 1.000 %"),
            ("branches=0.5", "--min-coverage '0.5' could be 50 %"),
            ("90,5 %", "--min-coverage '90,5 %' has a decimal comma; write it with a point: '90.5 %'"),
            ("150", "--min-coverage takes a percentage from 0 to 100, such as 90 or operands=95, not '150'"),
        ] {
            let run = try runSoe(["test", "rules", "--min-coverage", given])
            #expect(run.exitCode == 2, "\(given): \(run.stderr)")
            #expect(run.stderr.contains(words), "\(given): \(run.stderr)")
        }
        // Read as percentage points, whatever the form.
        for (given, floor) in [("80", (80, 1)), ("80 %", (80, 1)), ("80\u{00A0}%", (80, 1)), ("87.5 %", (175, 2)), ("99.125", (793, 8))] {
            let floors = try TestCommand.minimumCoverage([given])
            #expect(floors.count == CoverageKind.allCases.count)
            #expect(floors.values.allSatisfy { $0.numerator == floor.0 && $0.denominator == floor.1 }, "\(given): \(floors)")
        }
        #expect(try TestCommand.minimumCoverage(["operands=1.000 %"])[.operands].map { [$0.numerator, $0.denominator] } == [1, 1])
    }

    @Test("a firm file that is a named pipe with its writer already waiting is read, not waited on for ever")
    func namedPipeFirm() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/firm.json"
        #expect(mkfifo(fifo, 0o600) == 0)
        // The writer first, as `cat firm > pipe &` before soe starts: before, soe's look for a ZIP
        // opened the pipe, let the writer in and closed it, and the real read then waited for ever.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "cat samples/kaffekollektivet.json > '\(fifo)'"]
        writer.currentDirectoryURL = URL(fileURLWithPath: TestPaths.root)
        try writer.run()
        usleep(200_000)
        let run = try BadInputCatalogueTests.run(["evaluate", "--rules", "rules/", fifo, "--brief"], timeout: 20)
        writer.terminate()
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Kaffekollektivet ApS"), "\(run.stdout)")
    }

    @Test("a letter's changes name the nearest value as a value, not as a bound that a further value would break")
    func letterChangesAreValues() throws {
        let run = try runSoe([
            "evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "samples/kaffekollektivet.json", "--format", "letter", "--lang",
            "da",
        ])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let text = run.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(
            text.contains(
                "hvis omsætning fra salg af varer og tjenester på markedet var 499.999,99 kr i stedet for 4.200.000,00 kr, ville virksomheden blive vurderet som ordinær virksomhed"
            ), "\(run.stdout)")
        #expect(!text.contains("var højst"), "\(run.stdout)")
        // The source after its label, as written; a value's phrase after "er ikke over", not "er højst".
        let mangler = try runSoe([
            "evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "samples/haderslev_mangler.json", "--format", "letter",
            "--lang", "da",
        ])
        let flat = mangler.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(flat.contains("Reglernes kilde: Kommunal praksis: Projektet"), "\(mangler.stdout)")
        #expect(flat.contains("(1) er ikke over højeste antal i praktik eller løntilskud efter § 65 (1,6)"), "\(mangler.stdout)")
        #expect(!flat.contains("er højst højeste"))
        // The claim holds at that value: the firm with 499.999,99 kr is ordinary.
        let firm = try String(contentsOfFile: TestPaths.root + "/samples/kaffekollektivet.json", encoding: .utf8)
            .replacingOccurrences(of: "\"market_sales\": \"4200000.00\"", with: "\"market_sales\": \"499999.99\"")
        #expect(firm.contains("499999.99"), "the sample's market_sales is written as expected")
        let moved = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "-", "--brief"], stdin: firm)
        #expect(moved.stdout.contains("Ordinary"), "\(moved.stdout) \(moved.stderr)")
    }
}
