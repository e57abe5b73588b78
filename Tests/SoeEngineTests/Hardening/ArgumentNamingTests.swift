import Foundation
import SoeTestSupport
import Testing

/// Small faults of naming found after the hardening round: standard input is named as people
/// say it, and an empty file argument is called what it is rather than "no such file".
@Suite("hardening: how arguments are named in messages")
struct ArgumentNamingTests {
    static let rules = """
        ruleset t "T"
          in force from 2015-01-01
        input a: mony
        classify
          otherwise o "O"

        """

    @Test("soe lint - and soe check - name standard input <stdin>, not -")
    func standardInputName() throws {
        let lint = try runSoe(["lint", "-"], stdin: Self.rules)
        #expect(lint.exitCode == 3, "\(lint.stdout)\(lint.stderr)")
        let lintText = lint.stdout + lint.stderr
        #expect(lintText.contains("--> <stdin>:3:10"), "\(lintText)")
        #expect(!lintText.contains("--> -:"), "\(lintText)")
        let short = try runSoe(["lint", "--format", "short", "-"], stdin: Self.rules)
        #expect((short.stdout + short.stderr).contains("<stdin>:3:10: error"), "\(short.stdout)\(short.stderr)")
        let check = try runSoe(["check", "-"], stdin: Self.rules)
        #expect(check.exitCode == 3)
        #expect((check.stdout + check.stderr).contains("<stdin>:3:10"), "\(check.stdout)\(check.stderr)")
    }

    @Test("an empty file argument is called empty, for firm data and lint; an empty --rules is a usage error")
    func emptyArgument() throws {
        let evaluate = try runSoe(["evaluate", "--rules", "rules/anden_aktoer.rules", ""])
        #expect(evaluate.exitCode == 5)
        #expect(evaluate.stderr.contains("cannot read '': the file name is empty"), "\(evaluate.stderr)")
        #expect(!evaluate.stderr.contains("no such file"))
        #expect(evaluate.stdout.isEmpty)
        // A flag's empty value is a usage error, said before anything is read (session 21).
        let rules = try runSoe(["evaluate", "--rules", "", "samples/kaffekollektivet.json"])
        #expect(rules.exitCode == 2, "\(rules.stderr)")
        #expect(rules.stderr.contains("--rules is given an empty value"), "\(rules.stderr)")
        let lint = try runSoe(["lint", ""])
        #expect(lint.exitCode == 5)
        #expect(lint.stderr.contains("the file name is empty"), "\(lint.stderr)")
    }

    @Test("one firm's record verified against a CSV batch is one clear error, not one line per line of the record")
    func singleRecordAgainstBatch() throws {
        let folder = try ScratchFolder()
        let record = folder.path + "/one.record.json"
        let made = try runSoe([
            "evaluate", "--rules", "rules/rsv_2014.rules", "samples/kaffekollektivet.json", "--format", "record", "--output", record,
        ])
        #expect(made.exitCode == 0, "\(made.stderr)")
        let before = try Data(contentsOf: URL(fileURLWithPath: record))
        let run = try runSoe(["verify", record, "--rules", "rules/rsv_2014.rules", "samples/batch/firms.csv"])
        #expect(run.exitCode == 4)
        #expect(run.stdout.isEmpty, "\(run.stdout)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("holds a decision record written across several lines"))
        #expect(run.stderr.contains("verify it against the firm file it was made from"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: record)) == before)
    }
}
