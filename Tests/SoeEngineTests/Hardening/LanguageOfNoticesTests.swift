import Foundation
import SoeTestSupport
import Testing

@testable import SoeCLI

/// Lines that were English under `--lang da`, or named the wrong command, or promised what the
/// command does not do: the dialect and notice lines, the rule-file errors of `soe evaluate`, the
/// carried-columns notice of `soe diff` and its progress line.
@Suite("the notices speak the user's language and name their command")
struct LanguageOfNoticesTests {
    @Test("under --lang da the dialect and the encoding notice are Danish; under en, English")
    func dialectAndNotice() throws {
        let scratch = try ScratchFolder()
        // A Windows-1252 batch: "Grønne" with ø as the single byte F8.
        let csv = String(decoding: try RecordFixtures.bytes("samples/batch/firms.csv"), as: UTF8.self)
        let latin1 = try #require(csv.data(using: .isoLatin1))
        let path = try scratch.write("latin1.csv", [UInt8](latin1))
        let danish = try runSoe(["evaluate", "--rules", "rules/rsv_2014.rules", path, "--lang", "da"])
        #expect(danish.stderr.contains("soe evaluate: dialekt: "), "\(danish.stderr)")
        #expect(danish.stderr.contains("soe evaluate: bemærk: "), "\(danish.stderr)")
        #expect(!danish.stderr.contains("dialect:") && !danish.stderr.contains("notice:"), "\(danish.stderr)")
        let english = try runSoe(["evaluate", "--rules", "rules/rsv_2014.rules", path, "--lang", "en"])
        #expect(english.stderr.contains("soe evaluate: dialect: ") && english.stderr.contains("soe evaluate: notice: "))
        #expect(danish.stdout.split(separator: "\n").count == english.stdout.split(separator: "\n").count, "no row lost")
        #expect(FileManager.default.contents(atPath: path) == latin1, "the input is untouched")
    }

    @Test("soe evaluate --lang da gives rule-file errors in Danish, as soe check --lang da does")
    func ruleErrorsInDanish() throws {
        let scratch = try ScratchFolder()
        let rules = try scratch.write(
            "bad.rules", "ruleset bad \"Dårlig\"\ninput x: money\nclassify\n  a \"A\" when y > 1 kr\n  otherwise b \"B\"\n")
        let check = try runSoe(["check", "--lang", "da", rules])
        #expect(check.exitCode == 3)
        let firstDanish = try #require(check.stdout.split(separator: "\n").first.map(String.init))
        let danish = try runSoe(["evaluate", "--rules", rules, "samples/kaffekollektivet.json", "--lang", "da"])
        #expect(danish.exitCode == 3)
        #expect(danish.stderr.contains(firstDanish), "\(danish.stderr)\nvs\n\(check.stdout)")
        #expect(danish.stderr.contains("reglerne har 1 fejl; intet blev vurderet"), "\(danish.stderr)")
        let english = try runSoe(["evaluate", "--rules", rules, "samples/kaffekollektivet.json", "--lang", "en"])
        #expect(english.stderr.contains("the rules have 1 error; nothing was evaluated"))
        #expect(english.stderr != danish.stderr)
    }

    @Test("soe diff's notice does not promise carried columns in its output, and its progress line names diff")
    func diffNoticeAndProgress() throws {
        let scratch = try ScratchFolder()
        let csv = String(decoding: try RecordFixtures.bytes("samples/batch/firms.csv"), as: UTF8.self)
        // The sample ends its lines with CRLF, as Excel writes them.
        #expect(csv.hasSuffix("\r\n"))
        var extended = csv.replacingOccurrences(of: "\r\n", with: ",Hanne\r\n")
        if let first = extended.range(of: ",Hanne\r\n") { extended.replaceSubrange(first, with: ",Sagsbehandler\r\n") }
        let path = try scratch.write("firms.csv", extended)
        for language in ["en", "da"] {
            let run = try runSoe(["diff", "--old", "rules", "--new", "rules", path, "--lang", language])
            #expect(run.exitCode == 0, "\(run.stderr)")
            #expect(run.stderr.contains("Sagsbehandler"), "\(run.stderr)")
            #expect(!run.stderr.contains("to the results") && !run.stderr.contains("i resultaterne"), "\(run.stderr)")
            #expect(run.stderr.contains(language == "en" ? "not read" : "læses ikke"), "\(run.stderr)")
        }
        // evaluate still says the column goes to the results, as it does.
        let evaluate = try runSoe(["evaluate", "--rules", "rules", path, "--lang", "en"])
        #expect(evaluate.stderr.contains("carried through to the results"), "\(evaluate.stderr)")

        var shown = ""
        let console = Console(out: { _ in }, error: { shown += $0 })
        let progress = ProgressLine(console: console, enabled: true, language: .english, command: "diff")
        Thread.sleep(forTimeInterval: 0.6)
        progress.update(1_000)
        #expect(shown.contains("soe diff: "), "\(shown)")
        #expect(!shown.contains("soe evaluate"))
    }
}
