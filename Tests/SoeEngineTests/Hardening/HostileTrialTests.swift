import Foundation
import SoeTestSupport
import Testing

/// The hostile-input trial of session 22: standard output onto an input, a descriptor opened on
/// an input, a file-size limit, a rules folder saved in capitals, and several firm files of which
/// one cannot be read. Each ends with an exit code and a message, and nothing is lost.
@Suite("hardening: the hostile-input trial of session 22")
struct HostileTrialTests {
    /// A folder with the rules and the sample batch, and the batch's text.
    static func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "soe-hostile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/rules", withIntermediateDirectories: true)
        for name in ["anden_aktoer.rules", "haderslev_2021.rules", "rsv_2014.rules"] {
            try FileManager.default.copyItem(atPath: TestPaths.root + "/rules/" + name, toPath: folder + "/rules/" + name)
        }
        for name in ["samples/batch/firms.csv", "samples/kaffekollektivet.json", "samples/fonden.json"] {
            try FileManager.default.copyItem(
                atPath: TestPaths.root + "/" + name, toPath: folder + "/" + URL(fileURLWithPath: name).lastPathComponent)
        }
        return folder
    }

    @Test("standard output onto an input (>> or >) is refused before anything is read: a batch read its own results for ever")
    func standardOutputOntoAnInput() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/firms.csv"))
        for script in [
            "\"$SOE\" evaluate --rules rules --layout long firms.csv >> firms.csv",
            "\"$SOE\" evaluate --rules rules - < firms.csv >> firms.csv",
            "\"$SOE\" diff --old rules --new rules firms.csv >> firms.csv",
        ] {
            let run = try Hardening.shell(script, in: folder, timeout: 30)
            #expect(run.exitCode == 2, "\(script): \(run.stderr)")
            #expect(run.stderr.contains("standard output is "), "\(script): \(run.stderr)")
            #expect(run.stderr.contains("Nothing was read or written"))
            #expect(run.stderr.contains("(written with >>)"), "\(script): \(run.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/firms.csv")) == before, "\(script)")
        }
        // A rule file under a folder given, and a rule file read from standard input.
        let rules = try Data(contentsOf: URL(fileURLWithPath: folder + "/rules/rsv_2014.rules"))
        for script in ["\"$SOE\" check rules >> rules/rsv_2014.rules", "\"$SOE\" fmt - < rules/rsv_2014.rules >> rules/rsv_2014.rules"] {
            let run = try Hardening.shell(script, in: folder, timeout: 30)
            #expect(run.exitCode == 2, "\(script): \(run.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/rules/rsv_2014.rules")) == rules, "\(script)")
        }
        // A flag's value given with '=', and `soe test` reading its default folder.
        for script in [
            "\"$SOE\" evaluate --rules=rules firms.csv >> rules/rsv_2014.rules",
            "mkdir -p rules/tests && cp firms.csv rules/tests/cases.csv && \"$SOE\" test >> rules/tests/cases.csv",
        ] {
            let run = try Hardening.shell(script, in: folder, timeout: 30)
            #expect(run.exitCode == 2, "\(script): \(run.stderr)")
            #expect(run.stderr.contains("(written with >>)"), "\(script): \(run.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/rules/rsv_2014.rules")) == rules)
        // Another file is written as before.
        let other = try Hardening.shell("\"$SOE\" evaluate --rules rules firms.csv > results.csv", in: folder, timeout: 30)
        #expect(other.exitCode == 0, "\(other.stderr)")
        // With `>` the shell has emptied the file already: said, with the fix.
        let truncated = try Hardening.shell("\"$SOE\" evaluate --rules rules firms.csv > firms.csv", in: folder, timeout: 30)
        #expect(truncated.exitCode == 2, "\(truncated.stderr)")
        #expect(
            truncated.stderr.contains("(written with >), which the shell emptied before soe started: restore it from a copy"),
            "\(truncated.stderr)")
    }

    @Test("--output /dev/fd/3 opened on the input is refused; it overwrote the input")
    func descriptorOnAnInput() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/firms.csv"))
        let run = try Hardening.shell("\"$SOE\" evaluate --rules rules firms.csv --output /dev/fd/3 3<>firms.csv", in: folder, timeout: 30)
        #expect(run.exitCode == 2, "\(run.stderr)")
        #expect(run.stderr.contains("--output /dev/fd/3 is a descriptor open on the input file firms.csv"), "\(run.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/firms.csv")) == before)
    }

    @Test("past ulimit -f the write fails with a message and no temporary file is left, where SIGXFSZ killed soe silently")
    func fileSizeLimit() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Hardening.shell(
            "ulimit -f 1; \"$SOE\" evaluate --rules rules kaffekollektivet.json --output one.txt; echo \"rc=$?\" >&2", in: folder,
            timeout: 30)
        #expect(run.stderr.contains("rc=5"), "\(run.stderr)")
        #expect(run.stderr.contains("one.txt"), "\(run.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".soe-tmp-") }
        #expect(left.isEmpty, "\(left)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/one.txt"))
    }

    @Test("several firm files with one unreadable: --output is not written, and JSON stays an array")
    func oneFirmUnreadable() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let firm = try String(contentsOfFile: folder + "/kaffekollektivet.json", encoding: .utf8)
        try firm.replacingOccurrences(of: "\"market_sales\": \"4200000.00\"", with: "\"market_sales\": 1e400")
            .write(toFile: folder + "/huge.json", atomically: true, encoding: .utf8)
        for format in ["record", "html", "json", "text"] {
            let run = try Hardening.shell(
                "\"$SOE\" evaluate --rules rules --ruleset rsv_2014 --format \(format) kaffekollektivet.json huge.json fonden.json --output out.\(format)",
                in: folder, timeout: 30)
            #expect(run.exitCode == 4, "\(format): \(run.stderr)")
            #expect(run.stderr.contains("out.\(format) was not written: a firm file could not be read"), "\(format): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/out.\(format)"), "\(format)")
        }
        let json = try Hardening.shell(
            "\"$SOE\" evaluate --rules rules --ruleset rsv_2014 --format json kaffekollektivet.json missing.json", in: folder, timeout: 30)
        #expect(json.exitCode == 5)
        #expect(json.stdout.hasPrefix("["), "\(json.stdout.prefix(80))")
    }

    @Test("a rules folder reads a rule file whose extension is in capitals (Kommune.RULES)")
    func capitalExtension() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.moveItem(atPath: folder + "/rules/rsv_2014.rules", toPath: folder + "/rules/RSV_2014.RULES")
        let run = try Hardening.shell("\"$SOE\" check rules", in: folder, timeout: 30)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("checked 3 rule sets (") && run.stdout.contains("rsv_2014"), "\(run.stdout)")
    }

    @Test("--decision-date before the fiscal year closes is a warning naming both dates")
    func decisionDateBeforeClosing() throws {
        let early = try runSoe([
            "evaluate", "--rules", "rules/", "--ruleset", "rsv_2014", "--decision-date", "2019-01-01", "--format", "letter",
            "samples/kaffekollektivet.json",
        ])
        #expect(early.exitCode == 0)
        #expect(
            early.stderr.contains(
                "warning: samples/kaffekollektivet.json: --decision-date 2019-01-01 is before the fiscal year closes on 2024-12-31"),
            "\(early.stderr)")
        let later = try runSoe([
            "evaluate", "--rules", "rules/", "--ruleset", "rsv_2014", "--decision-date", "2025-03-14", "--format", "letter",
            "samples/kaffekollektivet.json",
        ])
        #expect(!later.stderr.contains("--decision-date"))
    }
}
