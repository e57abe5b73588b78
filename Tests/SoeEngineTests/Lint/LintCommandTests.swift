import Foundation
import SoeCLI
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// `soe lint` end to end through the built binary: exit codes, `--fail-level`, `--explain`,
/// `--catalogue`, and the catalogue in docs/ kept in step with the checks.
@Suite("lint: the command")
struct LintCommandTests {
    static let findings = "Tests/SoeEngineTests/Golden/lint/findings.rules"

    @Test(
        "exit codes",
        arguments: [
            (["lint", "rules/rsv_2014.rules"], Int32(0), "the bundled rules lint clean"),
            (["lint", findings], 1, "warnings fail at the default level"),
            (["lint", "--fail-level", "note", findings], 1, "a lower level fails too"),
            (["lint", "--fail-level", "error", "rules/rsv_2014.rules"], 0, "nothing at error level"),
            (["lint"], 2, "no rule file"),
            (["lint", "--format", "xml", findings], 2, "an unknown format"),
            (["lint", "--fail-level", "fatal", findings], 2, "an unknown level"),
            (["lint", "--explain", "L999"], 2, "an unknown code"),
            (["lint", "--fial-level", "note", findings], 2, "a misspelt flag"),
            (["lint", "no/such/file.rules"], 5, "a file that cannot be read"),
        ])
    func exitCodes(_ arguments: [String], _ expected: Int32, _ note: String) throws {
        let result = try runSoe(arguments)
        #expect(result.exitCode == expected, "\(note): \(result.stderr)")
    }

    @Test("a rule file with language errors exits with 3 and shows them")
    func languageErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("broken.rules").path
        try LintFixture.file("classify\n  a \"A\" when unknown_thing > 5 %\n  otherwise z \"Z\"\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let result = try runSoe(["lint", "--format", "short", path])
        #expect(result.exitCode == 3)
        #expect(result.stdout.contains("error: 'unknown_thing' is not defined [E201]"))
    }

    @Test("--fail-level error passes a file with only warnings and notes")
    func failLevelError() throws {
        let text = LintFixture.file("classify\n  a \"A\" when x > 50 %\n  otherwise z \"Z\"\n")
        let (code, out, _) = LintCommandTests.run(text, ["--fail-level", "error", "--format", "short"])
        #expect(code == .success, "\(out)")
        #expect(out.contains("[L301]"))
    }

    @Test("--explain prints a check's documentation in ruff's sections")
    func explain() throws {
        let result = try runSoe(["lint", "--explain", "L101"])
        #expect(result.exitCode == 0)
        for heading in ["# L101 UnreachableOutcome", "## What it does", "## Why it matters", "## Example", "## Use instead"] {
            #expect(result.stdout.contains(heading + "\n"), "missing \(heading)")
        }
        #expect(result.stdout.contains("example.rules:9:3: error: the outcome 'mainly_municipal' can never be the result"))
        let byName = try runSoe(["lint", "--explain", "UnreachableOutcome"])
        #expect(byName.stdout == result.stdout)
        let languageError = try runSoe(["lint", "--explain", "E201"])
        #expect(languageError.stdout.hasPrefix("# E201 UnknownName\n"))
    }

    @Test("--help documents the options and the suppression syntax")
    func help() throws {
        let result = try runSoe(["lint", "--help"])
        #expect(result.exitCode == 0)
        for text in ["--format", "--fail-level", "--explain", "--catalogue", "# soe:ignore L104 -- reason"] {
            #expect(result.stdout.contains(text))
        }
    }

    @Test("docs/lint-checks.md is generated from the checks and up to date")
    func catalogueIsUpToDate() throws {
        let path = TestPaths.root + "/" + LintCatalogue.path
        let generated = LintCatalogue.markdown()
        if ProcessInfo.processInfo.environment["SOE_RECORD"] == "1" {
            try generated.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let onDisk = try? String(contentsOfFile: path, encoding: .utf8)
        #expect(
            onDisk == generated,
            "\(LintCatalogue.path) is out of date; regenerate it with `\(LintCatalogue.regenerateCommand)` (or SOE_RECORD=1 swift test) and review the diff"
        )
        let result = try runSoe(["lint", "--catalogue"])
        #expect(result.stdout == generated)
    }

    @Test("the catalogue documents every check and every language error")
    func catalogueIsComplete() {
        let markdown = LintCatalogue.markdown()
        for doc in LintRegistry.documentation {
            #expect(markdown.contains("## \(doc.code) \(doc.name)\n"))
        }
        for code in DiagnosticCode.allCases {
            #expect(markdown.contains("| \(code.rawValue) |"))
        }
    }

    /// Runs `soe lint` in process on rule text written to a temporary file.
    static func run(_ text: String, _ options: [String]) -> (ExitCode, String, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("soe-lint-\(UUID().uuidString).rules").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return runInProcess(["lint"] + options + [path])
    }
}
