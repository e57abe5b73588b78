import Foundation
import SoeCLI
import SoeTestSupport
import Testing

/// docs/cli.md's introduction and exit-code table are what a user reads first; they went stale
/// once (four commands listed when there were nine, exit 1 without `soe fmt --check`). These
/// tests tie them to the commands and exit codes the binary has.
@Suite struct CLIDocsAgreementTests {
    static func page() throws -> String {
        try String(contentsOfFile: TestPaths.root + "/docs/cli.md", encoding: .utf8)
    }

    /// The introduction up to the first section after the exit codes.
    static func introduction() throws -> String {
        let page = try page()
        guard let end = page.range(of: "\n## `soe evaluate`") else { return page }
        return String(page[..<end.lowerBound])
    }

    @Test func theIntroductionListsEveryCommand() throws {
        let intro = try Self.introduction()
        for command in SoeCommand.commands {
            #expect(intro.contains("| `soe \(command.name) "), "docs/cli.md's command table has no row for soe \(command.name)")
        }
        let count = SoeCommand.commands.count
        let words = [4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve"]
        #expect(intro.contains("`soe` has \(words[count] ?? String(count)) commands"), "the introduction miscounts the commands")
    }

    @Test func theExitCodeTableSaysWhatTheHelpSays() throws {
        let intro = try Self.introduction()
        for code in ExitCode.allCases {
            let row = intro.split(separator: "\n").first { $0.hasPrefix("| \(code.rawValue) |") }
            #expect(row != nil, "docs/cli.md has no row for exit \(code.rawValue)")
            guard let row, code != .success else { continue }
            // The table writes flags in backticks; the help text without them.
            let plain = row.replacingOccurrences(of: "`", with: "")
            #expect(plain.contains(code.summary), "exit \(code.rawValue): docs say \(plain), soe --help says \(code.summary)")
        }
    }

    @Test func soeHelpListsEveryCommand() throws {
        let result = try runSoe(["--help"])
        #expect(result.exitCode == 0)
        for command in SoeCommand.commands {
            #expect(result.stdout.contains("  \(command.name) "), "soe --help does not list \(command.name)")
        }
    }

    @Test func everyFlagInACommandsHelpIsInTheDocs() throws {
        let page = try Self.page()
        let flag = /--[a-z][a-z-]+/
        for command in SoeCommand.commands {
            let help = try runSoe([command.name, "--help"])
            #expect(help.exitCode == 0, "soe \(command.name) --help")
            for match in help.stdout.matches(of: flag) {
                let name = String(match.output)
                #expect(page.contains("`" + name), "soe \(command.name) --help names \(name), docs/cli.md does not")
            }
        }
    }
}

/// Outputs the docs quote went stale when the rule files moved on (a coverage report's line numbers,
/// a heading the text output renamed): these hold the quotes to what the binary prints now.
@Suite struct QuotedOutputAgreementTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: TestPaths.root + "/" + path, encoding: .utf8)
    }

    @Test("docs/testing.md's coverage example is what soe test --coverage prints for the bundled rules")
    func coverageExample() throws {
        let page = try Self.text("docs/testing.md")
        guard let start = page.range(of: "```\nCoverage\nanden_aktoer:"),
            let end = page.range(of: "```", range: start.upperBound..<page.endIndex)
        else {
            Issue.record("docs/testing.md has no coverage example for anden_aktoer")
            return
        }
        let quoted = page[page.index(start.lowerBound, offsetBy: 4)..<end.lowerBound]
        let run = try runSoe(["test", "rules/", "--coverage"])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains(quoted), "docs/testing.md quotes:\n\(quoted)\nsoe test prints:\n\(run.stdout)")
    }

    @Test("the README's undetermined example names the heading the text output gives the missing data")
    func undeterminedExample() throws {
        let readme = try Self.text("README.md")
        let run = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "rsv_2014", "samples/mangler_regnskab.json"])
        #expect(readme.contains("prints `Result: Undetermined`, then `Missing data that would settle it:`"))
        #expect(run.stdout.contains("Result: Undetermined") && run.stdout.contains("\nMissing data that would settle it:"), "\(run.stdout)")
        #expect(
            run.stdout.contains("With this data the result could be: Social-economy enterprise (can be registered) or Ordinary business."))
    }
}
