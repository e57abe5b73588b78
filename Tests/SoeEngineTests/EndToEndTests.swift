import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The built `soe` binary, as a caseworker and a script run it: standard output, standard error
/// and the exit code of each kind of success and failure.
@Suite("end to end")
struct EndToEndTests {
    static let rules = "samples/minimal/minimal.rules"
    static let cafe = "samples/minimal/cafe.json"
    static let incomplete = "samples/minimal/incomplete.json"
    static let broken = "Tests/SoeEngineTests/Fixtures/broken/unknown_type.rules"

    /// A scratch folder of this test run, removed by the caller.
    static func scratchFolder() throws -> String {
        let path = NSTemporaryDirectory() + "soe-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    // MARK: Exit code 0

    @Test("0: a decided firm, explained in English on standard output")
    func decided() throws {
        let result = try runSoe(["evaluate", "--rules", Self.rules, Self.cafe, "--lang", "en"])
        #expect(result.exitCode == 0)
        #expect(result.stderr == "")
        // The summary first, then the explanation.
        #expect(result.stdout.hasPrefix("Café Solsiden ApS (CVR 13748136), fiscal year 2024\n  minimal  Social-economy enterprise: "))
        #expect(
            result.stdout.contains(
                "\n\nCafé Solsiden ApS (CVR 13748136), fiscal year 2024 (closing 2024-12-31)\nResult: Social-economy enterprise\n"))
        #expect(result.stdout.contains("Data: \(Self.cafe), sha256 "))
    }

    @Test("0: the language follows LANG when --lang is not given")
    func languageFromEnvironment() throws {
        let danish = try runSoe(["evaluate", "--rules", Self.rules, Self.cafe], environment: ["LANG": "da_DK.UTF-8"])
        #expect(danish.exitCode == 0)
        #expect(danish.stdout.contains("Resultat: Socialøkonomisk virksomhed\n"))
        let english = try runSoe(["evaluate", "--rules", Self.rules, Self.cafe])
        #expect(english.stdout.contains("Result: Social-economy enterprise\n"))
    }

    @Test(
        "0: LC_ALL, then LC_MESSAGES, then LANG decide, as POSIX orders them",
        arguments: [
            (["LC_ALL": "da_DK.UTF-8", "LANG": "C"], true),
            (["LC_ALL": "C", "LANG": "da_DK.UTF-8"], false),
            (["LC_MESSAGES": "da_DK.UTF-8", "LANG": "en_GB.UTF-8"], true),
            (["LC_ALL": "", "LC_MESSAGES": "", "LANG": "da"], true),
        ])
    func localePrecedence(_ environment: [String: String], _ danish: Bool) throws {
        let result = try runSoe(["evaluate", "--rules", Self.rules, Self.cafe], environment: environment)
        #expect(result.stdout.contains(danish ? "Resultat: Socialøkonomisk virksomhed\n" : "Result: Social-economy enterprise\n"))
    }

    @Test("0: an undetermined firm is a valid answer, with what is missing")
    func undetermined() throws {
        let result = try runSoe(["evaluate", "--rules", Self.rules, Self.incomplete, "--lang", "en"])
        #expect(result.exitCode == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.contains("Result: Undetermined\n"))
        // The inputs that would settle it take the flat list's place (docs/bounds.md).
        #expect(
            result.stdout.contains(
                "Missing data that would settle it:\n  - market_sales alone decides between Other actor and Ordinary business\n"))
        #expect(
            result.stdout.contains(
                "  - market_sales and social_purpose together decide between Social-economy enterprise, Other actor and Ordinary business (this settles the case)\n"
            ))
        #expect(
            result.stdout.contains("With this data the result could be: Social-economy enterprise, Other actor or Ordinary business.\n"))
    }

    /// The national rule set is maintained elsewhere; only its answer for the bundled sample is checked here.
    @Test("0: the national rule set classifies the bundled sample firm")
    func nationalRuleSet() throws {
        let result = try runSoe(["evaluate", "--rules", "rules/rsv_2014.rules", "samples/kaffekollektivet.json", "--lang", "en"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("\nResult: Social-economy enterprise (can be registered)\n"))
    }

    @Test("0: the firm may come from standard input as '-'")
    func standardInput() throws {
        let firm = try String(contentsOfFile: TestPaths.root + "/" + Self.cafe, encoding: .utf8)
        let result = try runSoe(["evaluate", "--rules", Self.rules, "--lang", "en", "-"], stdin: firm)
        #expect(result.exitCode == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.contains("Result: Social-economy enterprise\n"))
        #expect(result.stdout.contains("Data: <stdin>, sha256 \(SHA256.hex(Array(firm.utf8)))\n"))
    }

    @Test("0: --format json writes the soe-trace/2 document of the running engine, with its analysis")
    func jsonFormat() throws {
        let result = try runSoe(["evaluate", "--rules", Self.rules, "--format", "json", Self.cafe])
        #expect(result.exitCode == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.hasSuffix("}\n"))
        let trace = try JSONReader.parse(Array(result.stdout.utf8)).get()
        #expect(TraceGoldenTests.string(TraceGoldenTests.member(trace, "schema")) == "soe-trace/2")
        #expect(TraceGoldenTests.member(trace, "analysis") != nil)
        #expect(TraceGoldenTests.string(TraceGoldenTests.member(TraceGoldenTests.member(trace, "engine"), "version")) == SoeVersion.current)
        #expect(TraceGoldenTests.string(TraceGoldenTests.member(TraceGoldenTests.member(trace, "input"), "source")) == Self.cafe)
    }

    @Test("0: two firms in JSON give an array of two traces")
    func twoFirmsInJSON() throws {
        let result = try runSoe(["evaluate", "--rules", Self.rules, "--format", "json", Self.cafe, Self.incomplete])
        #expect(result.exitCode == 0)
        guard case .array(let traces) = try JSONReader.parse(Array(result.stdout.utf8)).get().value else {
            Issue.record("expected a JSON array")
            return
        }
        #expect(
            traces.map { TraceGoldenTests.string(TraceGoldenTests.member(TraceGoldenTests.member($0, "result"), "status")) }
                == ["determined", "undetermined"])
    }

    @Test("0: --output writes the file, complete, and nothing to standard output")
    func outputFile() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let target = folder + "/trace.json"
        let written = try runSoe(["evaluate", "--rules", Self.rules, "--format", "json", "--output", target, Self.cafe])
        #expect(written.exitCode == 0)
        #expect(written.stdout == "")
        #expect(written.stderr == "")
        let printed = try runSoe(["evaluate", "--rules", Self.rules, "--format", "json", Self.cafe])
        let file = try #require(FileManager.default.contents(atPath: target))
        #expect(String(decoding: file, as: UTF8.self) == printed.stdout)
        // Only the target is left in the folder: no temporary file.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["trace.json"])
    }

    @Test("0: soe check on sound rules says so")
    func checkSound() throws {
        let result = try runSoe(["check", Self.rules])
        #expect(result.exitCode == 0)
        #expect(result.stdout == "checked 1 rule set (minimal): no errors\n")
        #expect(result.stderr == "")
    }

    // MARK: Help and version

    struct HelpCase: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var firstLine: String
        var mentions: [String]
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let helpCases: [HelpCase] = [
        HelpCase(
            arguments: ["--help"],
            firstLine: "soe \(SoeVersion.current): decides whether a Danish firm is a social-economy enterprise or an \"anden aktør\"",
            mentions: ["evaluate", "check", "Exit codes:", "  5  a file or standard stream could not be read or written"]),
        HelpCase(
            arguments: ["evaluate", "--help"], firstLine: "Usage: soe evaluate --rules <file-or-folder> [options] <firm.json | ->...",
            mentions: ["--rules PATH", "--ruleset NAME", "--format text|json", "--lang da|en", "--output FILE", "Exit codes:"]),
        HelpCase(
            arguments: ["help", "evaluate"], firstLine: "Usage: soe evaluate --rules <file-or-folder> [options] <firm.json | ->...",
            mentions: ["--rules PATH"]),
        HelpCase(
            arguments: ["check", "--help"], firstLine: "Usage: soe check [--format human|short|json] [--lang da|en] <rules>...",
            mentions: ["--format human", "--format short", "--format json", "Exit codes:"]),
    ]

    @Test("help goes to standard output with exit code 0", arguments: helpCases)
    func help(_ testCase: HelpCase) throws {
        let result = try runSoe(testCase.arguments)
        #expect(result.exitCode == 0)
        #expect(result.stderr == "")
        #expect(result.stdout.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) == testCase.firstLine)
        for mention in testCase.mentions {
            #expect(result.stdout.contains(mention), "help does not mention \(mention)")
        }
        #expect(result.stdout.hasSuffix("\n"))
    }

    @Test("--version prints the engine version")
    func version() throws {
        let result = try runSoe(["--version"])
        #expect(result.exitCode == 0)
        #expect(result.stdout == "soe \(SoeVersion.current)\n")
        #expect(result.stderr == "")
    }

    // MARK: Exit code 2

    struct UsageCase: Sendable, CustomTestStringConvertible {
        var note: String
        var arguments: [String]
        var stderr: String
        var testDescription: String { note }
    }

    static let usageCases: [UsageCase] = [
        UsageCase(
            note: "an unknown flag, with did-you-mean", arguments: ["evaluate", "--rules", rules, "--formt", "json", cafe],
            stderr: "soe evaluate: unknown option --formt; did you mean --format?\nRun 'soe evaluate --help' for usage.\n"),
        UsageCase(
            note: "an unknown flag of check", arguments: ["check", "--fromat", "short", rules],
            stderr: "soe check: unknown option --fromat; did you mean --format?\nRun 'soe check --help' for usage.\n"),
        UsageCase(
            note: "an unknown command, with did-you-mean", arguments: ["chekc", rules],
            stderr: "soe: unknown command 'chekc'; did you mean 'check'?\nRun 'soe --help' for the list of commands.\n"),
        UsageCase(
            note: "no --rules", arguments: ["evaluate", cafe],
            stderr: "soe evaluate: --rules is required\nRun 'soe evaluate --help' for usage.\n"),
        UsageCase(
            note: "no firm", arguments: ["evaluate", "--rules", rules],
            stderr: "soe evaluate: give a firm file (or - for standard input)\nRun 'soe evaluate --help' for usage.\n"),
        UsageCase(
            note: "a flag without its value", arguments: ["evaluate", cafe, "--rules"],
            stderr: "soe evaluate: --rules needs a value\nRun 'soe evaluate --help' for usage.\n"),
        UsageCase(
            note: "a language the engine does not speak", arguments: ["evaluate", "--rules", rules, "--lang", "fr", cafe],
            stderr: "soe evaluate: --lang must be da or en, not 'fr'\nRun 'soe evaluate --help' for usage.\n"),
        UsageCase(
            note: "a format that does not exist", arguments: ["evaluate", "--rules", rules, "--format", "xml", cafe],
            stderr:
                "soe evaluate: --format must be one of text, json, record, html, letter, letter-html, not 'xml'\nRun 'soe evaluate --help' for usage.\n"
        ),
        UsageCase(
            note: "a rule set that is not in the file", arguments: ["evaluate", "--rules", rules, "--ruleset", "rsv", cafe],
            stderr: "soe evaluate: no rule set 'rsv' in samples/minimal/minimal.rules (there are: minimal)\n"),
        UsageCase(
            note: "check without a file", arguments: ["check"],
            stderr: "soe check: give at least one rule file or folder\nRun 'soe check --help' for usage.\n"),
    ]

    @Test("2: usage errors explain themselves on standard error", arguments: usageCases)
    func usage(_ testCase: UsageCase) throws {
        let result = try runSoe(testCase.arguments)
        #expect(result.exitCode == 2)
        #expect(result.stdout == "")
        #expect(result.stderr == testCase.stderr)
    }

    @Test("2: no command at all prints the help on standard error")
    func noCommand() throws {
        let result = try runSoe([])
        #expect(result.exitCode == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("soe \(SoeVersion.current): decides"))
    }

    // MARK: Exit code 3

    @Test("3: evaluate with a broken rule file shows the place and evaluates nothing")
    func brokenRules() throws {
        let result = try runSoe(["evaluate", "--rules", Self.broken, Self.cafe])
        #expect(result.exitCode == 3)
        #expect(result.stdout == "")
        #expect(
            result.stderr == """
                error[E110]: 'mony' is not a type; did you mean 'money'?
                 --> \(Self.broken):4:21
                  |
                4 | input market_sales: mony "Omsætning"
                  |                     ^^^^

                soe evaluate: the rules have 1 error; nothing was evaluated

                """)
    }

    @Test("3: check --format short prints file:line:col: error: message [CODE]")
    func checkShort() throws {
        let result = try runSoe(["check", "--format", "short", Self.broken])
        #expect(result.exitCode == 3)
        #expect(result.stdout == "\(Self.broken):4:21: error: 'mony' is not a type; did you mean 'money'? [E110]\n1 error\n")
        #expect(result.stderr == "")
    }

    @Test("3: check reports every error of every file given")
    func checkSeveralFiles() throws {
        let three = "Tests/SoeEngineTests/Fixtures/broken/three_errors.rules"
        let result = try runSoe(["check", "--format", "short", three, Self.broken, Self.rules])
        #expect(result.exitCode == 3)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // The two broken files both declare the rule set 'broken': named together, that is E307 too,
        // as it is for a folder holding both (issue 17).
        #expect(
            lines.map { $0.split(separator: " ").last.map(String.init) ?? "" } == [
                "[E110]", "[E104]", "[E111]", "[E307]", "[E110]", "errors",
            ])
        #expect(lines.last == "5 errors")
    }

    @Test("3: check --format json gives machine-readable diagnostics")
    func checkJSON() throws {
        let result = try runSoe(["check", "--format", "json", Self.broken])
        #expect(result.exitCode == 3)
        guard case .array(let list) = try JSONReader.parse(Array(result.stdout.utf8)).get().value else {
            Issue.record("expected a JSON array")
            return
        }
        #expect(list.map { TraceGoldenTests.string(TraceGoldenTests.member($0, "code")) } == ["E110"])
        let location = TraceGoldenTests.member(list.first, "location")
        #expect(TraceGoldenTests.string(TraceGoldenTests.member(location, "file")) == Self.broken)
        #expect(TraceGoldenTests.member(location, "line")?.value == .number("4"))
        #expect(TraceGoldenTests.member(location, "column")?.value == .number("21"))
    }

    // MARK: Exit code 4

    @Test("4: bad firm data lists every bad field as file:line:col: error: field: reason")
    func badData() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let firm = folder + "/bad.json"
        try Data(
            """
            {
              "fiscal_year": 2024,
              "market_sales": "1.234,50",
              "legal_form": "apz"
            }
            """.utf8
        ).write(to: URL(fileURLWithPath: firm))
        let result = try runSoe(["evaluate", "--rules", Self.rules, firm])
        #expect(result.exitCode == 4)
        #expect(result.stdout == "")
        #expect(
            result.stderr == """
                \(firm):3:3: error: market_sales: "1.234,50" is not an amount in kroner, such as 4200000.50; write it with a decimal point and no thousands separators
                \(firm):4:3: error: legal_form: "apz" is not one of aps, as, forening, enkeltmandsvirksomhed; did you mean aps?

                """)
    }

    @Test("4: one bad firm among good ones: the good ones are explained, the exit code tells")
    func badAmongGood() throws {
        let result = try runSoe(["evaluate", "--rules", Self.rules, "--lang", "en", Self.cafe, "-"], stdin: "{\"fiscal_year\": 2024, ")
        #expect(result.exitCode == 4)
        #expect(result.stdout.contains("Result: Social-economy enterprise\n"))
        #expect(result.stderr.hasPrefix("<stdin>:1:"))
        #expect(result.stderr.contains(": error: not valid JSON: "))
    }

    // MARK: Exit code 5

    @Test("5: a firm file that does not exist")
    func missingFirmFile() throws {
        let result = try runSoe(["evaluate", "--rules", Self.rules, "samples/minimal/nope.json"])
        #expect(result.exitCode == 5)
        #expect(result.stdout == "")
        #expect(result.stderr == "soe evaluate: cannot read samples/minimal/nope.json: no such file\n")
    }

    @Test("5: a rule file that does not exist")
    func missingRuleFile() throws {
        for command in [["evaluate", "--rules", "rules/nope.rules", Self.cafe], ["check", "rules/nope.rules"]] {
            let result = try runSoe(command)
            #expect(result.exitCode == 5)
            #expect(result.stdout == "")
            #expect(result.stderr == "soe \(command[0]): cannot read rules/nope.rules: no such file\n")
        }
    }

    @Test("5: an output file that cannot be written, and nothing is left behind")
    func unwritableOutput() throws {
        let target = "/nonexistent-soe-folder/trace.json"
        let result = try runSoe(["evaluate", "--rules", Self.rules, "--output", target, Self.cafe])
        #expect(result.exitCode == 5)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("soe evaluate: cannot write \(target)"))
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
