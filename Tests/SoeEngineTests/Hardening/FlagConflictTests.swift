import Foundation
import SoeTestSupport
import Testing

/// Issue 17, class 6: silent conflicts on the command line. A flag that takes one value given twice
/// is a usage error naming it, in every command; a flag's value that is another flag is a usage
/// error; `--output -` is standard output; `--rules` given twice loads every path; `--ruleset`
/// given twice evaluates once, with a note; and two files declaring the same rule set are an error
/// however they are given, in `check`, `lint`, `evaluate` and `verify`.
@Suite("hardening: flags given twice and other silent conflicts")
struct FlagConflictTests {
    static let twice: [(String, String)] = [
        (
            "\"$SOE\" evaluate --rules rules --format json --format text fonden.json",
            "soe evaluate: --format is given twice ('json' and 'text'); give it once"
        ),
        ("\"$SOE\" evaluate --rules rules --lang da fonden.json --lang en", "soe evaluate: --lang is given twice ('da' and 'en')"),
        (
            "\"$SOE\" evaluate --rules rules fonden.json --output a.txt --output b.txt",
            "soe evaluate: --output is given twice ('a.txt' and 'b.txt')"
        ),
        ("\"$SOE\" evaluate --rules rules --input-format csv --input-format=jsonl -", "soe evaluate: --input-format is given twice"),
        ("\"$SOE\" evaluate --rules rules --jobs 2 --jobs 3 firms.csv", "soe evaluate: --jobs is given twice ('2' and '3')"),
        ("\"$SOE\" evaluate --rules rules --dialect excel-da --dialect rfc4180 firms.csv", "soe evaluate: --dialect is given twice"),
        ("\"$SOE\" check --format short --format json rules", "soe check: --format is given twice ('short' and 'json')"),
        ("\"$SOE\" lint --format json --format sarif rules", "soe lint: --format is given twice"),
        ("\"$SOE\" lint --fail-level note --fail-level error rules", "soe lint: --fail-level is given twice ('note' and 'error')"),
        ("\"$SOE\" lint --explain L101 --explain L102", "soe lint: --explain is given twice"),
        (
            "\"$SOE\" verify r.json --rules rules --format text --format json fonden.json",
            "soe verify: --format is given twice ('text' and 'json')"
        ),
    ]

    @Test("a single-valued flag given twice is a usage error naming it, in every command", arguments: twice)
    func givenTwice(command: String, message: String) throws {
        try expectUsageError(command, message, stdoutEmpty: true)
    }

    /// Runs `command` in a fresh workspace: a usage error (exit 2) whose message holds `message`,
    /// and no file written or changed.
    func expectUsageError(
        _ command: String, _ message: String, stdoutEmpty: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = Hardening.snapshot(folder)
        let run = try Hardening.shell(command, in: folder)
        #expect(run.exitCode == 2, "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(message), "\(run.stderr)", sourceLocation: sourceLocation)
        if stdoutEmpty { #expect(run.stdout.isEmpty, sourceLocation: sourceLocation) }
        #expect(Hardening.snapshot(folder) == before, "no file was written", sourceLocation: sourceLocation)
    }

    @Test(
        "a flag's value that is another flag is a usage error, and no file named after the flag is written",
        arguments: [
            (
                "\"$SOE\" evaluate --rules rules fonden.json --output --lang en",
                "--output needs a value, but it is followed by the flag --lang"
            ),
            ("\"$SOE\" evaluate --rules --output fonden.json", "--rules needs a value, but it is followed by the flag --output"),
            ("\"$SOE\" check --format --help rules", "--format needs a value, but it is followed by the flag --help"),
            ("\"$SOE\" lint --fail-level -h rules", "--fail-level needs a value, but it is followed by the flag -h"),
            ("\"$SOE\" verify r.json --rules --help fonden.json", "--rules needs a value, but it is followed by the flag --help"),
            // An empty value (an unset shell variable) is said before any input is read, not as a
            // file that cannot be written after the whole batch was evaluated.
            ("\"$SOE\" evaluate --rules rules firms.csv --output ''", "--output is given an empty value; give --output a value"),
            ("\"$SOE\" evaluate --rules rules firms.csv --output=", "--output is given an empty value"),
            ("\"$SOE\" evaluate --rules \"$UNSET\" fonden.json", "--rules is given an empty value"),
            ("\"$SOE\" check --format ' ' rules", "--format is given an empty value (only spaces)"),
        ])
    func valueIsAFlag(command: String, message: String) throws {
        try expectUsageError(command, message)
    }

    @Test(
        "an --output file's extension says the results' format when --format does not, and never contradicts it",
        arguments: [
            (
                "\"$SOE\" evaluate --rules rules firms.csv --output r.XLSX --format csv",
                "--format csv writes text, but --output 'r.XLSX' names a workbook"
            ),
            (
                "\"$SOE\" evaluate --rules rules firms.csv --output r.csv --format xlsx",
                "--format xlsx writes a workbook, but --output 'r.csv' names a text file"
            ),
            ("\"$SOE\" evaluate --rules rules firms.csv --output r.html", "--output 'r.html' names an HTML page; give --format html"),
            ("\"$SOE\" evaluate --rules rules firms.csv --format jsonl --output r.html", "--output 'r.html' names an HTML page"),
            (
                "\"$SOE\" evaluate --rules rules firms.csv --trace --output r.xlsx",
                "--trace writes text, but --output 'r.xlsx' names a workbook"
            ),
        ])
    func outputExtension(command: String, message: String) throws {
        try expectUsageError(command, message)
    }

    @Test("--output results.xlsx without --format writes a workbook, and results.jsonl JSON Lines")
    func outputExtensionInferred() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sheet = try Hardening.shell("\"$SOE\" evaluate --rules rules firms.csv --output results.xlsx", in: folder)
        #expect(sheet.exitCode == 0, "\(sheet.stderr)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/results.xlsx")))
        #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        let lines = try Hardening.shell("\"$SOE\" evaluate --rules rules firms.csv --output results.jsonl", in: folder)
        #expect(lines.exitCode == 0, "\(lines.stderr)")
        let text = try String(contentsOfFile: folder + "/results.jsonl", encoding: .utf8)
        #expect(text.hasPrefix("{\"row\":2,"))
    }

    @Test("--output=--name names a file that starts with dashes, on purpose")
    func inlineDashValue() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Hardening.shell("\"$SOE\" evaluate --rules rules fonden.json --output=--odd.txt", in: folder)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/--odd.txt"))
    }

    @Test(
        "--output - is standard output, for one firm and for a batch; no file named '-' appears", arguments: ["fonden.json", "firms.csv"])
    func outputDash(input: String) throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let plain = try Hardening.shell("\"$SOE\" evaluate --rules rules \(input)", in: folder)
        let dash = try Hardening.shell("\"$SOE\" evaluate --rules rules \(input) --output -", in: folder)
        #expect(dash.exitCode == plain.exitCode && !dash.stdout.isEmpty)
        #expect(dash.stdout == plain.stdout)
        #expect(!FileManager.default.fileExists(atPath: folder + "/-"))
    }

    @Test("--rules given twice loads both paths: a rule set in each folder gives a result each")
    func rulesTwice() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Hardening.shell("mkdir base other && mv rules/rsv_2014.rules base/ && mv rules/anden_aktoer.rules other/", in: folder)
        let run = try Hardening.shell("\"$SOE\" evaluate --rules base --rules other fonden.json", in: folder)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.components(separatedBy: "\nResult: ").count == 3, "\(run.stdout)")
        // The same file through a folder and by name is one file: no conflict, one result.
        let same = try Hardening.shell("\"$SOE\" evaluate --rules base --rules base/rsv_2014.rules --rules ./base fonden.json", in: folder)
        #expect(same.exitCode == 0, "\(same.stderr)")
        #expect(same.stdout.components(separatedBy: "\nResult: ").count == 2, "\(same.stdout)")
        #expect(!same.stderr.contains("E307"))
    }

    @Test("--rules given twice: a rule set in one folder builds on one in another")
    func buildsOnAcrossPaths() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Hardening.shell("mkdir base city && mv rules/rsv_2014.rules base/ && mv rules/haderslev_2021.rules city/", in: folder)
        // Alone, the base is the bundled copy compiled into soe (see RuleLibraryTests), not an error.
        let alone = try Hardening.shell("\"$SOE\" evaluate --rules city --format record fonden.json", in: folder)
        #expect(alone.exitCode == 0, "\(alone.stderr)")
        #expect(alone.stdout.contains("bundled:rsv_2014.rules"), "\(alone.stdout)")
        let both = try Hardening.shell("\"$SOE\" evaluate --rules city --rules base fonden.json", in: folder)
        #expect(both.exitCode == 0, "\(both.stderr)")
        #expect(both.stdout.components(separatedBy: "\nResult: ").count == 3, "\(both.stdout)")
        #expect(both.stdout.contains("haderslev_2021") || both.stdout.contains("Haderslev"))
    }

    @Test("--ruleset given twice evaluates the rule set once, with a note")
    func rulesetTwice() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let once = try Hardening.shell("\"$SOE\" evaluate --rules rules --ruleset rsv_2014 firms.csv", in: folder)
        let run = try Hardening.shell("\"$SOE\" evaluate --rules rules --ruleset rsv_2014 --ruleset rsv_2014 firms.csv", in: folder)
        #expect(run.exitCode == once.exitCode)
        #expect(run.stdout == once.stdout && !run.stdout.isEmpty)
        #expect(run.stderr.contains("soe evaluate: note: --ruleset rsv_2014 is given more than once; it is evaluated once"))
    }

    @Test(
        "two files declaring the same rule set are an error (E307) however they are given, in every command",
        arguments: [
            ("\"$SOE\" check --format short copy/rsv_2014.rules rules/rsv_2014.rules", Int32(3)),
            ("\"$SOE\" check --format short twin", 3),
            ("\"$SOE\" lint --format short rules/rsv_2014.rules copy/rsv_2014.rules", 3),
            ("\"$SOE\" lint --format short twin", 3),
            ("\"$SOE\" evaluate --rules rules --rules copy fonden.json", 3),
            ("\"$SOE\" evaluate --rules twin fonden.json", 3),
            (
                "\"$SOE\" evaluate --rules rules --format record fonden.json --output r.json && \"$SOE\" verify r.json --rules twin fonden.json",
                3
            ),
        ] as [(String, Int32)])
    func duplicateRuleSet(command: String, exitCode: Int32) throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Hardening.shell(
            "mkdir copy twin && cp rules/rsv_2014.rules copy/ && cp rules/rsv_2014.rules twin/a.rules && cp rules/rsv_2014.rules twin/b.rules",
            in: folder)
        let run = try Hardening.shell(command, in: folder)
        #expect(run.exitCode == exitCode, "stdout:\n\(run.stdout)\nstderr:\n\(run.stderr)")
        #expect((run.stdout + run.stderr).contains("the rule set 'rsv_2014' is also declared in"), "\(run.stdout)\(run.stderr)")
        #expect((run.stdout + run.stderr).contains("E307"))
    }
}
