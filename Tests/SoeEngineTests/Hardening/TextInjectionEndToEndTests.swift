import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// Class 5 of issue 17: text from data (a firm's name, an id, a cell, a file name) that holds a
/// line break, a fake `Result:` line or a terminal escape code must not put a line into any text
/// rendering, nor an escape code on the terminal. Each test runs the built binary.
@Suite("text that pretends to be output (end to end)")
struct TextInjectionEndToEndTests {
    static let rules = TestPaths.rules + "/rsv_2014.rules"

    @Test("evaluate: a hostile firm name is one escaped line; the real result is the only result line")
    func evaluateText() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let firm = try scratch.write("evil.json", HardeningScratch.firm(replacing: ["name": hostileName]))
        let run = try runSoe(["evaluate", "--rules", Self.rules, firm])
        #expect(run.exitCode == 0)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("Evil ApS\\nResult: Social economy\\u{1B}[2K\\u{1B}[31m\\u{202E}x\\r (CVR ") == true)
        #expect(lines.filter { $0.hasPrefix("Result:") }.count == 1)
        // The summary comes first (one line per rule set, then a blank line); the explanation's own
        // header follows, escaped alike, and the real result is the line under it.
        let explanation = (lines.firstIndex(of: "") ?? 0) + 1
        #expect(lines.count > explanation + 1 && lines[explanation].hasPrefix("Evil ApS\\nResult: "))
        #expect(lines.count > explanation + 1 && lines[explanation + 1].hasPrefix("Result: "))
        #expect(!holdsRawControl(run.stdout))
        #expect(!holdsRawControl(run.stderr))
        scratch.expectNothingLost()
    }

    @Test("evaluate: a file name with a line break and an escape code is escaped in the text and in messages")
    func fileNames() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let name = "firm\nResult: Social economy\u{1B}[31m.json"
        let firm = try scratch.write(name, HardeningScratch.firm(replacing: ["market_sales": "12,5"]))
        let run = try runSoe(["evaluate", "--rules", Self.rules, firm])
        #expect(run.exitCode == 4)
        #expect(run.stderr.contains("firm\\nResult: Social economy\\u{1B}[31m.json:"))
        #expect(run.stderr.contains("market_sales"))
        #expect(run.stderr.split(separator: "\n").allSatisfy { !$0.hasPrefix("Result") })
        #expect(!holdsRawControl(run.stderr))
        scratch.expectNothingLost()
    }

    @Test("evaluate: a choice value and an unknown key from the data are escaped in the error message")
    func dataValuesInMessages() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let firm = try scratch.write(
            "choice.json",
            HardeningScratch.firm(replacing: ["legal_form": "aps\nResult: ok\u{1B}[2K", "fiscal_year_end": "2024-12-31\n\u{1B}[1A"]))
        let run = try runSoe(["evaluate", "--rules", Self.rules, firm])
        #expect(run.exitCode == 4)
        #expect(run.stderr.contains("legal_form: \"aps\\nResult: ok\\u{1B}[2K\" is not one of"))
        #expect(run.stderr.contains("fiscal_year_end"))
        #expect(!holdsRawControl(run.stderr))
        #expect(run.stderr.split(separator: "\n").allSatisfy { !$0.hasPrefix("Result") })
        scratch.expectNothingLost()
    }

    @Test("HTML: control characters are escaped visibly, and the verify line quotes every path as a shell word")
    func html() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let name = "x; touch pwned $(id) `id` 'q'\n.json"
        // (A NUL in a name is refused since session 20: `DamagedTextTests`; U+0001 stands for the C0 controls.)
        let firm = try scratch.write(name, HardeningScratch.firm(replacing: ["name": hostileName + "\u{1}\u{FFFF}"]))
        let run = try runSoe(["evaluate", "--rules", Self.rules, "--format", "html", firm])
        #expect(run.exitCode == 0)
        #expect(!run.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" })
        #expect(!run.stdout.unicodeScalars.contains { DisplayTextProbe.isControl($0) && $0 != "\t" && $0 != "\r" })
        #expect(run.stdout.contains("\\u{1B}[2K"))
        #expect(run.stdout.contains("\\u{1}"))
        #expect(run.stdout.contains("\\u{FFFF}"))
        #expect(XHTMLChecker.check(run.stdout) == [])
        let quoted = ShellWord.quote(firm)
        #expect(quoted.hasPrefix("'") && quoted.contains("'\\''q'\\''"))
        let escaped = Markup.escape(quoted)
        #expect(run.stdout.contains("--rules " + Self.rules + " " + escaped + "</code>"))
        scratch.expectNothingLost()
    }

    @Test("batch: a hostile id, name and cell never reach standard error raw; the summary is intact")
    func batch() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let header = "id,name,cvr,fiscal_year,legal_form"
        let csv =
            header + "\n\"A\n1\",\"" + hostileName.replacingOccurrences(of: "\"", with: "\"\"")
            + "\",13748136,2024,\"aps\nResult\u{1B}[2K\"\n"
        let input = try scratch.write("evil\u{1B}[31m.csv", csv)
        let run = try runSoe(["evaluate", "--rules", Self.rules, "--no-progress", input])
        #expect(run.exitCode == 4)
        #expect(!holdsRawControl(run.stderr))
        #expect(run.stderr.contains("1 row read from "))
        #expect(run.stderr.contains("evil\\u{1B}[31m.csv"))
        // The results are data: CSV quoting keeps the name whole, and one row has one result.
        #expect(run.stdout.contains("Evil ApS\nResult: Social economy"))
        scratch.expectNothingLost()
    }

    @Test("batch: a hostile column name in the header is escaped in the header errors")
    func batchHeader() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        // Repeated, so that the name is an error (once, it would be a column of one's own, carried).
        let input = try scratch.write(
            "h.csv", "id,\"nme\nResult: ok\u{1B}[2K\",\"nme\nResult: ok\u{1B}[2K\",fiscal_year\n1,x,y,2024\n")
        let run = try runSoe(["evaluate", "--rules", Self.rules, input])
        #expect(run.exitCode == 4)
        #expect(run.stderr.contains("'nme\\nResult: ok\\u{1B}[2K'"))
        #expect(!holdsRawControl(run.stderr))
        #expect(run.stdout.isEmpty)
        scratch.expectNothingLost()
    }

    @Test("verify: a firm name and file names from the record are escaped in the report")
    func verify() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let firm = try scratch.write("evil\nverified: x.json", HardeningScratch.firm(replacing: ["name": hostileName]))
        let made = try runSoe(["evaluate", "--rules", Self.rules, "--format", "record", firm])
        #expect(made.exitCode == 0)
        let record = try scratch.write("record.json", made.stdout)
        let run = try runSoe(["verify", record, "--rules", Self.rules, firm])
        #expect(run.exitCode == 0)
        #expect(run.stdout.hasPrefix("verified: "))
        #expect(run.stdout.split(separator: "\n").filter { $0.hasPrefix("verified") }.count == 1)
        #expect(run.stdout.contains("Evil ApS\\nResult: Social economy\\u{1B}[2K"))
        #expect(!holdsRawControl(run.stdout))
        scratch.expectNothingLost()
    }

    @Test("check and lint: an escape code or bidi control in a rule file is escaped, and the caret still points at it")
    func checkAndLint() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let file = try scratch.write("esc\nerror: fake.rules", "ruleset x \"T\u{1B}[31mX\"\n  bogus \u{202E} here\n")
        let check = try runSoe(["check", file])
        #expect(check.exitCode == 3)
        #expect(!holdsRawControl(check.stdout + check.stderr))
        #expect(check.stdout.contains("2 |   bogus \\u{202E} here\n  |         ^^^^^^^^\n"))
        #expect(check.stdout.contains("esc\\nerror: fake.rules:2:9"))
        let lint = try runSoe(["lint", "--format", "short", file])
        #expect(!holdsRawControl(lint.stdout + lint.stderr))
        // Named by its code point, as every character that shows as nothing is (session 22).
        #expect(lint.stdout.contains("(U+202E)"))
        scratch.expectNothingLost()
    }
}
