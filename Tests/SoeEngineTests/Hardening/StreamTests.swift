import Foundation
import SoeTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 17, class 2: closed or broken standard streams. With standard input, output or error
/// closed by the shell, `soe` never traps: each failure is an exit code, with a message where one
/// can still be written; a broken pipe (`| head -1`) ends the run quietly with exit code 5.
@Suite("hardening: closed and broken standard streams")
struct StreamTests {
    /// One shell command with a stream closed, the exit code it must end with, and words that must
    /// be on standard error (or standard output, for `rc=`).
    struct Case: Sendable, CustomTestStringConvertible {
        var note: String
        var command: String
        var exitCode: Int32
        var stderr: [String] = []
        var stdout: [String] = []
        var testDescription: String { note }
    }

    static let cases: [Case] = [
        Case(
            note: "check with standard output closed", command: "\"$SOE\" check rules >&-", exitCode: 5,
            stderr: ["soe: cannot write standard output: it is closed; the output is incomplete"]),
        Case(
            note: "a single firm with standard output closed", command: "\"$SOE\" evaluate --rules rules fonden.json >&-", exitCode: 5,
            stderr: ["soe: cannot write standard output: it is closed"]),
        Case(
            note: "a batch with standard output closed", command: "\"$SOE\" evaluate --rules rules firms.csv >&-", exitCode: 5,
            stderr: ["soe: cannot write standard output: it is closed"]),
        Case(
            note: "lint --catalogue and --help with standard output closed",
            command: "\"$SOE\" lint --catalogue >&-; echo \"rc=$?\" >&2; \"$SOE\" --help >&-", exitCode: 5,
            stderr: ["rc=5", "soe: cannot write standard output: it is closed"]),
        Case(
            note: "a single firm from standard input, closed", command: "\"$SOE\" evaluate --rules rules - <&-", exitCode: 5,
            stderr: ["soe evaluate: cannot read standard input: it is closed"]),
        Case(
            note: "a batch from standard input, closed", command: "\"$SOE\" evaluate --rules rules --input-format csv - <&-", exitCode: 5,
            stderr: ["could not read input: standard input: it is closed"]),
        Case(
            note: "verify with a firm from standard input, closed",
            command:
                "\"$SOE\" evaluate --rules rules --format record fonden.json --output r.json && \"$SOE\" verify r.json --rules rules - <&-",
            exitCode: 5, stderr: ["soe verify: cannot read standard input: it is closed"]),
        Case(
            note: "standard error closed: a missing file still exits 5",
            command: "\"$SOE\" evaluate --rules rules missing.json 2>&-; echo \"rc=$?\"", exitCode: 0, stdout: ["rc=5"]),
        Case(
            note: "standard error closed: a bad flag still exits 2, bad rules 3",
            command:
                "\"$SOE\" evaluate --bogus 2>&-; echo \"rc=$?\"; echo 'ruleset' > bad.rules; \"$SOE\" evaluate --rules bad.rules fonden.json 2>&-; echo \"rc=$?\"",
            exitCode: 0, stdout: ["rc=2", "rc=3"]),
        Case(
            note: "all three closed: the exit code still tells",
            command: "\"$SOE\" evaluate --rules rules fonden.json <&- >&- 2>&-; echo \"rc=$?\" > rc.txt; cat rc.txt", exitCode: 0,
            stdout: ["rc=5"]),
        Case(
            note: "standard output closed, --output to a file: the results are written, exit 0",
            command: "\"$SOE\" evaluate --rules rules fonden.json --output out.txt >&- && grep -c Result out.txt", exitCode: 0,
            stdout: ["3"]),
    ]

    @Test("a closed standard stream is an exit code with a message where one can be written, never a trap", arguments: cases)
    func closedStream(_ testCase: Case) throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Hardening.shell(testCase.command, in: folder)
        #expect(run.exitCode == testCase.exitCode, "stdout:\n\(run.stdout)\nstderr:\n\(run.stderr)")
        for words in testCase.stderr { #expect(run.stderr.contains(words), "\(run.stderr)") }
        for words in testCase.stdout { #expect(run.stdout.contains(words), "\(run.stdout)") }
        #expect(!run.crashed, "\(run.stderr)")
    }

    @Test(
        "a broken pipe ends quietly with exit 5: a batch as CSV and as JSON Lines with traces, piped to head",
        arguments: [
            "\"$SOE\" evaluate --rules rules big.csv",
            "\"$SOE\" evaluate --rules rules --format jsonl --trace big.csv",
        ])
    func brokenPipe(command: String) throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The sample's rows 3,000 times over: far more than a pipe holds, so the writer meets the closed end.
        _ = try Hardening.shell(
            "awk 'NR == 1 { print; next } { rows[n++] = $0 } END { for (i = 0; i < 3000; i++) for (j = 0; j < n; j++) print rows[j] }' firms.csv > big.csv",
            in: folder)
        // The reader takes one byte and goes; the rest of the output meets a broken pipe.
        let run = try Hardening.shell("{ \(command); echo \"rc=$?\" >&2; } | { head -c 1 >/dev/null; }", in: folder)
        let quiet = run.stderr.split(separator: "\n").filter { !$0.hasPrefix("soe evaluate: dialect:") && !$0.contains("warning:") }
        #expect(quiet == ["rc=5"], "\(run.stderr)")
        #expect(!run.crashed)
    }
}
