import Foundation
import SoeTestSupport
import Testing

@testable import SoeCLI
@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// `soe evaluate` on batch files, through the built binary: flags, exit codes, standard error, and
/// an `--output` file that is complete or absent, never half written.
@Suite("batch command: soe evaluate FILE.csv|.jsonl")
struct BatchCommandTests {
    /// A fresh folder with the fixture rules and a CSV of three rows, one of them rejected.
    static func workspace(rows: [String]? = nil) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-batch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try BatchFixtures.alpha.write(toFile: folder + "/alpha.rules", atomically: true, encoding: .utf8)
        try BatchFixtures.beta.write(toFile: folder + "/beta.rules", atomically: true, encoding: .utf8)
        let body =
            rows ?? [
                BatchFixtures.goodRow(id: "C1"), BatchFixtures.goodRow(id: "C2", cvr: "13748137"),
                BatchFixtures.goodRow(id: "C3", cvr: "14381651"),
            ]
        try ([BatchFixtures.header] + body).joined(separator: "\n").appending("\n")
            .write(toFile: folder + "/firms.csv", atomically: true, encoding: .utf8)
        return folder
    }

    static func files(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test("--output writes the results to the file, leaves no temporary file, and exits 4 for a rejected row")
    func outputFile() throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let toStdout = try runSoe(["evaluate", "--rules", folder, folder + "/firms.csv"])
        let toFile = try runSoe(["evaluate", "--rules", folder, folder + "/firms.csv", "--output", folder + "/results.csv"])
        #expect(toStdout.exitCode == 4 && toFile.exitCode == 4)
        #expect(toFile.stdout.isEmpty)
        #expect((try? String(contentsOfFile: folder + "/results.csv", encoding: .utf8)) == toStdout.stdout)
        #expect(BatchCommandTests.files(in: folder) == ["alpha.rules", "beta.rules", "firms.csv", "results.csv"])
        #expect(toFile.stderr.contains("soe evaluate: 3 rows read from \(folder)/firms.csv (1 rejected)"))
        #expect(toFile.stderr.contains("soe evaluate:   alpha: excluded 0, good 2, other 0, undetermined 0, rejected 1 (= 3 rows)"))
        #expect(!toFile.stderr.contains("\r"), "no progress line when standard error is not a terminal")
    }

    @Test("--jobs 3 writes the same results file as one thread")
    func jobs() throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let one = try runSoe(["evaluate", "--rules", folder, folder + "/firms.csv"])
        let three = try runSoe(["evaluate", "--rules", folder, folder + "/firms.csv", "--jobs", "3"])
        #expect(three.exitCode == one.exitCode && three.exitCode == 4)
        // Standard error the same, but for the notice of more threads than processors, where this
        // machine has fewer than three.
        let notice = BatchEvaluation.jobsNotice(jobs: 3, processors: BatchOptions.usableProcessors, language: .english)
        #expect(three.stdout == one.stdout && three.stderr == (notice.map { "soe evaluate: \($0)\n" } ?? "") + one.stderr)
    }

    @Test("--jobs above the processors the process may use gets a notice, in English and Danish; at or below them none")
    func jobsAboveProcessors() throws {
        #expect(
            BatchEvaluation.jobsNotice(jobs: 8, processors: 2, language: .english)
                == "notice: --jobs 8 asks for 8 threads, and this process may use 2 processors at once: the results are the same, "
                + "and come no sooner than with --jobs 2")
        #expect(
            BatchEvaluation.jobsNotice(jobs: 2, processors: 1, language: .danish)
                == "bemærk: --jobs 2 beder om 2 tråde, og processen kan bruge 1 processor ad gangen: resultaterne er de samme og "
                + "kommer ikke hurtigere end med --jobs 1")
        #expect(BatchEvaluation.jobsNotice(jobs: 2, processors: 2, language: .english) == nil)
        #expect(BatchEvaluation.jobsNotice(jobs: 1, processors: 1, language: .english) == nil)
        #expect(BatchEvaluation.jobsNotice(jobs: 1, processors: 0, language: .english) == nil, "a count of 0 is read as 1")
        #expect(BatchOptions.usableProcessors >= 1)
        // End to end, with more threads than any machine this runs on is likely to let it use; the
        // results as with one thread, the notice on standard error before the summary, and soe
        // diff the same.
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let processors = BatchOptions.usableProcessors
        try #require(processors < 64, "this machine lets the process use 64 processors: the notice cannot be shown")
        let one = try runSoe(["evaluate", "--rules", folder, folder + "/firms.csv", "--output", folder + "/one.csv"])
        let many = try runSoe(["evaluate", "--rules", folder, folder + "/firms.csv", "--output", folder + "/many.csv", "--jobs", "64"])
        let words = "--jobs 64 asks for 64 threads, and this process may use \(counted(processors, "processor", "processors")) at once"
        #expect(many.exitCode == one.exitCode)
        #expect(many.stderr.hasPrefix("soe evaluate: notice: " + words), "\(many.stderr)")
        #expect(!one.stderr.contains("--jobs"))
        #expect(
            try String(contentsOfFile: folder + "/many.csv", encoding: .utf8)
                == String(contentsOfFile: folder + "/one.csv", encoding: .utf8))
        let diff = try runSoe([
            "diff", "--old", folder + "/alpha.rules", "--new", folder + "/alpha.rules", "--jobs", "64", folder + "/firms.csv",
        ])
        #expect(diff.stderr.contains("soe diff: notice: " + words), "\(diff.stderr)")
    }

    @Test("a first row of the inputs' descriptions is named as such, with the names it stands for; a title row gets the fix")
    func descriptionsForHeader() throws {
        let csv = "Har eget CVR-nummer;Offentlig ejerandel;Revenue from market sales\nja;0;100\n"
        let run = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "--input-format", "csv", "-"], stdin: csv)
        #expect(run.exitCode == 4)
        #expect(
            run.stderr.contains(
                "holds the inputs' descriptions, not their names: the header row names each column by its input ('own_cvr', 'public_ownership', 'market_sales')"
            ), "\(run.stderr)")
        let title = try runSoe(
            ["evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "--input-format", "csv", "-"],
            stdin: "Firmaer 2024;;\nid;name;cvr\n")
        #expect(title.exitCode == 4)
        #expect(title.stderr.contains("so delete any title or note rows above it"), "\(title.stderr)")
    }

    @Test("a header error writes nothing: an existing output file is left as it was")
    func headerErrorKeepsOldOutput() throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "name,fiscal_year,turnovr\nA,2024,1\n".write(toFile: folder + "/bad.csv", atomically: true, encoding: .utf8)
        try "old results\n".write(toFile: folder + "/results.csv", atomically: true, encoding: .utf8)
        let result = try runSoe(["evaluate", "--rules", folder, folder + "/bad.csv", "--output", folder + "/results.csv"])
        #expect(result.exitCode == 4)
        #expect(result.stderr.contains("\(folder)/bad.csv:1: error: column 3 'turnovr'"))
        #expect(result.stderr.contains("no row was evaluated"))
        #expect((try? String(contentsOfFile: folder + "/results.csv", encoding: .utf8)) == "old results\n")
        #expect(BatchCommandTests.files(in: folder) == ["alpha.rules", "bad.csv", "beta.rules", "firms.csv", "results.csv"])
    }

    @Test("an output folder that does not exist is an I/O error (exit 5)")
    func unwritableOutput() throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try runSoe(["evaluate", "--rules", folder, folder + "/firms.csv", "--output", folder + "/no/such/results.csv"])
        #expect(result.exitCode == 5)
        #expect(result.stderr.contains("cannot write \(folder)/no/such/results.csv"))
    }

    @Test("standard input with --input-format, and JSON Lines results with traces")
    func standardInput() throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = BatchFixtures.header + "\n" + BatchFixtures.goodRow(id: "S1") + "\n"
        let result = try runSoe(["evaluate", "--rules", folder, "--input-format", "csv", "--trace", "-"], stdin: input)
        #expect(result.exitCode == 0)
        // soe-trace-stream/3: one header line per rule set, then the results with their trace rows.
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.prefix(2).allSatisfy { $0.hasPrefix("{\"schema\":\"soe-trace-stream/3\"") })
        let results = lines.dropFirst(2)
        let expectedHash = SHA256.hex(Array(BatchFixtures.goodRow(id: "S1").utf8))
        #expect(results.allSatisfy { $0.contains("\"trace\":{\"rule_set\":") && $0.contains("\"sha256\":\"\(expectedHash)\"") })
        #expect(results.first?.contains("\"source\":\"<stdin> row 2\"") == true)
    }

    @Test(
        "wrong batch flags are usage errors (exit 2)",
        arguments: [
            (["--trace", "--format", "csv"], "--trace writes JSON traces, so it needs --format jsonl"),
            (["--format", "json"], "--format must be one of csv, jsonl, record, xlsx, html, not 'json'"),
            (["--dialect", "excel"], "--dialect must be one of auto, rfc4180, excel-da, semicolon-point, tab, not 'excel'"),
            (["--input-format", "xml"], "--input-format must be one of csv, jsonl, xlsx, not 'xml'"),
            (["--input-format", "jsonl", "--dialect", "excel-da"], "--dialect applies to CSV input, not JSON Lines"),
            (["other.csv"], "give one batch file at a time"),
            (["--jobs", "0"], "--jobs must be a whole number from 1 to 64, not '0'"),
            (["--jobs", "two"], "--jobs must be a whole number from 1 to 64, not 'two'"),
            (["--input-format", "jsonl", "--jobs", "2"], "--jobs applies to CSV input, not JSON Lines"),
        ])
    func usage(flags: [String], message: String) throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try runSoe(["evaluate", "--rules", folder, folder + "/firms.csv"] + flags)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    }

    @Test("an input file that does not exist is an I/O error (exit 5)")
    func missingInput() throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try runSoe(["evaluate", "--rules", folder, folder + "/none.csv"])
        #expect(result.exitCode == 5)
        #expect(result.stderr.contains("cannot read \(folder)/none.csv"))
    }

    @Test(
        "SIGINT during a batch removes the partial output file and exits 6; the message in the batch's language",
        arguments: [
            ([], "interrupted after 1 row; the partial output was removed"),
            (["--lang", "da"], "afbrudt efter 1 række; det delvise resultat blev fjernet"),
        ] as [([String], String)])
    func interrupted(flags: [String], message: String) throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soeBinaryPath())
        // Not the machine's locale: the English cases expect English (see runSoe).
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C"]
        process.arguments = ["evaluate", "--rules", folder, "--input-format", "csv", "--output", folder + "/results.csv", "-"] + flags
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        feed(Data((BatchFixtures.header + "\n" + BatchFixtures.goodRow(id: "I1") + "\n").utf8), to: input.fileHandleForWriting)
        // The dialect line comes after the header is read, so the signal handler is installed by then.
        var seen = BatchCommandTests.readError(errors, until: ["dialect:", "dialekt:"])
        #expect(BatchCommandTests.files(in: folder).contains { $0.hasPrefix(".results.csv.soe-") }, "the temporary file exists")
        process.interrupt()
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        seen.append(errors.fileHandleForReading.readDataToEndOfFile())
        #expect(process.terminationStatus == 6)
        #expect(String(decoding: seen, as: UTF8.self).contains(message))
        #expect(BatchCommandTests.files(in: folder) == ["alpha.rules", "beta.rules", "firms.csv"])
    }

    @Test(
        "--progress shows the progress line on standard error, in the batch's language",
        arguments: [
            ([], "\rsoe evaluate: 4096 rows, ", " rows/s"),
            (["--lang", "da"], "\rsoe evaluate: 4096 rækker, ", " rækker/s"),
        ] as [([String], String, String)])
    func progress(flags: [String], count: String, rate: String) throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soeBinaryPath())
        // Not the machine's locale: the English cases expect English (see runSoe).
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C"]
        process.arguments = ["evaluate", "--rules", folder, "--input-format", "csv", "--progress", "-"] + flags
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Progress is reported every 4,096 rows and shown at most twice a second: the row that
        // completes the first 4,096 comes well over half a second after the batch started.
        let rows = (1..<BatchHooks.progressInterval).map { BatchFixtures.goodRow(id: "P\($0)") }
        feed(Data(([BatchFixtures.header] + rows).joined(separator: "\n").appending("\n").utf8), to: input.fileHandleForWriting)
        var seen = BatchCommandTests.readError(errors, until: ["dialect:", "dialekt:"])
        Thread.sleep(forTimeInterval: 0.7)
        feed(Data((BatchFixtures.goodRow(id: "P4096") + "\n").utf8), to: input.fileHandleForWriting)
        try input.fileHandleForWriting.close()
        seen.append(errors.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        let text = String(decoding: seen, as: UTF8.self)
        #expect(process.terminationStatus == 0, "stderr: \(text)")
        #expect(text.contains(count) && text.contains(rate), "stderr: \(text)")
    }

    /// Reads a child's standard error until one of `markers` has appeared (or the pipe closes): the
    /// dialect line is `dialect:` in English and `dialekt:` in Danish.
    static func readError(_ errors: Pipe, until markers: [String]) -> Data {
        var seen = Data()
        while !markers.contains(where: { String(decoding: seen, as: UTF8.self).contains($0) }) {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        return seen
    }

    @Test("an upper-case extension is a batch too: FIRMS.CSV is read as CSV, FIRMS.NDJSON as JSON Lines")
    func upperCaseExtension() throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = folder + "/FIRMS.CSV"
        let lines = folder + "/FIRMS.NDJSON"
        try FileManager.default.copyItem(atPath: TestPaths.root + "/samples/batch/firms.csv", toPath: csv)
        try FileManager.default.copyItem(atPath: TestPaths.root + "/samples/batch/firms.jsonl", toPath: lines)
        let lower = try runSoe(["evaluate", "--rules", "rules/", "samples/batch/firms.csv"])
        let upper = try runSoe(["evaluate", "--rules", "rules/", csv])
        #expect(lower.exitCode == 0 && upper.exitCode == 0, "stderr: \(upper.stderr)")
        #expect(upper.stdout == lower.stdout)
        #expect(upper.stderr.contains("soe evaluate: 8 rows read from \(csv)"))
        let jsonLines = try runSoe(["evaluate", "--rules", "rules/", lines])
        #expect(jsonLines.exitCode == 0, "stderr: \(jsonLines.stderr)")
        #expect(jsonLines.stderr.contains("soe evaluate: 8 rows read from \(lines)"))
    }

    @Test(
        "batch flags with one firm are usage errors (exit 2), not ignored",
        arguments: [
            (["--jobs", "2"], "--jobs applies to a batch (CSV input), not a single firm"),
            (["--trace"], "--trace applies to a batch; for one firm, --format json writes the whole trace"),
        ])
    func singleFirmFlags(flags: [String], message: String) throws {
        let result = try runSoe(["evaluate", "--rules", "rules/", "samples/kaffekollektivet.json"] + flags)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("soe evaluate: " + message), "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("--ruleset: a column of a rule set loaded but not selected is not an error; it is said once, in the batch's language")
    func unselectedRuleSetColumns() throws {
        let all = try runSoe(["evaluate", "--layout", "long", "--rules", "rules/", "samples/batch/firms.csv"])
        let one = try runSoe(["evaluate", "--layout", "long", "--rules", "rules/", "--ruleset", "rsv_2014", "samples/batch/firms.csv"])
        #expect(one.exitCode == 0, "stderr: \(one.stderr)")
        #expect(
            one.stderr.contains(
                "samples/batch/firms.csv:1: warning: column 28 'fleksjob' is not used by the rule sets in use (it is an input of anden_aktoer)"
            ))
        #expect(one.stderr.components(separatedBy: "'fleksjob'").count == 2, "said once: \(one.stderr)")
        // The rule set in use gives the same results as when every rule set is used.
        let rsv = { (output: String) in output.split(separator: "\n").filter { $0.contains(",rsv_2014,") } }
        #expect(!rsv(one.stdout).isEmpty && rsv(one.stdout) == rsv(all.stdout))
        let danish = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "rsv_2014", "samples/batch/firms.csv", "--lang", "da"])
        #expect(danish.exitCode == 0)
        #expect(
            danish.stderr.contains(
                "samples/batch/firms.csv:1: warning: kolonne 28 'fleksjob' bruges ikke af regelsættene i brug (den er en oplysning i anden_aktoer)"
            ))
    }

    @Test("--ruleset: a column that no loaded rule set declares is still an error (exit 4), with a did-you-mean")
    func unknownColumnWithRuleset() throws {
        let folder = try BatchCommandTests.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sample = try String(contentsOfFile: TestPaths.root + "/samples/batch/firms.csv", encoding: .utf8)
        let path = folder + "/typo.csv"
        try sample.replacingOccurrences(of: "market_sales", with: "markt_sales").write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "rsv_2014", path])
        #expect(result.exitCode == 4)
        #expect(
            result.stderr.contains("column 10 'markt_sales': no rule set declares an input 'markt_sales'; did you mean 'market_sales'?"),
            "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}

/// The `soe` binary the tests run, found as `runSoe` finds it.
private func soeBinaryPath() -> String {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("soe").path
    return FileManager.default.isExecutableFile(atPath: beside) ? beside : TestPaths.root + "/.build/debug/soe"
}

/// The HTML overview holds the batch in memory, so it has a documented limit of rows.
@Suite("batch HTML overview: refused above its limit of rows")
struct BatchHTMLLimitTests {
    @Test("a batch of more rows than the overview's limit is refused with a hint, and no file is written")
    func tooLarge() throws {
        let header = "id,name,cvr,fiscal_year,market_sales\n"
        let rows = (0...10_000).map { "R\($0),Firma \($0),,2024,100.00" }
        let folder = try PackageScratch("html-limit")
        let csv = try folder.write("firms.csv", header + rows.joined(separator: "\n") + "\n")
        let output = folder.relative + "/overview.html"
        let result = try runSoe(["evaluate", "--rules", "rules/rsv_2014.rules", csv, "--format", "html", "--output", output])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("the HTML overview shows at most 10000 rows"))
        #expect(result.stderr.contains("use --format csv or jsonl"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/overview.html"))
        let byLimit = try runSoe(
            ["evaluate", "--rules", "rules/rsv_2014.rules", csv, "--format", "html"], environment: ["LANG": "da_DK.UTF-8"])
        #expect(byLimit.stderr.contains("HTML-oversigten viser højst 10000 rækker"))
    }
}
