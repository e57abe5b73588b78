import Foundation
import SoeEngine
import SoeLanguage
import SoeLint
import SoeTestSupport

/// `soe-bench scaling`: whether the costs that once grew faster than the work now grow with it.
///
/// Each measure is taken at N, 2N and 4N in the same run, with the ratio per doubling: about 2
/// when the cost is linear, 4 when quadratic.
///
/// - **lint**: `soe lint` of a ladder of thresholds (`o_i when s < i kr`), the worst case of the
///   outcome coverage analysis (20,000 steps took 27 s before the threshold index).
/// - **verify, batch**: `soe verify` of the JSON Lines records of a CSV batch (two rule sets, so
///   records = 2 × rows), against the batch file.
/// - **verify, array**: `soe verify` of an array of single-firm records, each against its own firm
///   file (2,000 records took 27 s before the verifier loaded and read each file once).
/// - **html**: the peak memory of `soe evaluate --format html` on a batch, up to the overview's
///   limit of rows, and one batch of twice the limit, which is refused.
enum ScalingBenchmark {
    static let usage = """
        usage: soe-bench scaling [--outcomes N] [--records N] [--array-records N] [--html-rows N] [--repeat R] [--soe PATH]
          --outcomes N        lint a ladder of N, 2N and 4N thresholds (default 5000)
          --records N         verify N, 2N and 4N batch records (default 2500)
          --array-records N   verify arrays of N, 2N and 4N single-firm records (default 1000)
          --html-rows N       HTML overview of N, 2N and 4N rows, and twice the limit (default 2500)
          --repeat R          the median of R runs for lint and verify (default 1)
          --soe PATH          the soe binary for the HTML overview (default: beside soe-bench)
        Run from the package root (it reads rules/).
        """

    static func run(_ arguments: [String]) -> Int32 {
        let given: BenchArguments
        switch BenchArguments.parse(
            arguments, numbers: ["--outcomes", "--records", "--array-records", "--html-rows", "--repeat"], texts: ["--soe"],
            usage: usage)
        {
        case .failure(let stop): return stop.code
        case .success(let parsed): given = parsed
        }
        let repeats = given.number("--repeat") ?? 1
        let soe =
            given.text("--soe")
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("soe").path
        let folder = NSTemporaryDirectory() + "soe-bench-scaling-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let signalSources = BatchBenchmark.removeOnSignal(folder)
        defer {
            for source in signalSources { source.cancel() }
            try? FileManager.default.removeItem(atPath: folder)
        }
        guard let (ruleSets, _) = BatchBenchmark.loadRules(into: folder) else { return 1 }
        print("scaling: each size doubles the one before; ×2 per doubling is linear, ×4 quadratic")

        let outcomes = given.number("--outcomes") ?? 5_000
        print("soe lint, a ladder of thresholds (o_i when s < i kr):")
        series([outcomes, 2 * outcomes, 4 * outcomes], unit: "outcomes") { size in
            let source = SourceFile(path: "ladder.rules", text: SyntheticRules.thresholdLadder(outcomes: size))
            var findings = 0
            let time = LintBenchmark.median(repeats) { findings = Linter.lint(sources: [source]).findings.count }
            return (time, "\(findings) findings")
        }

        let records = given.number("--records") ?? 2_500
        print("soe verify, JSON Lines records of a CSV batch (\(ruleSets.count) rule sets, records = \(ruleSets.count) × rows):")
        series([records, 2 * records, 4 * records], unit: "records") { size in
            verifyBatch(records: size, ruleSets: ruleSets, folder: folder, repeats: repeats)
        }

        let arrayRecords = given.number("--array-records") ?? 1_000
        print("soe verify, an array of single-firm records, each with its firm file:")
        series([arrayRecords, 2 * arrayRecords, 4 * arrayRecords], unit: "records") { size in
            verifyArray(records: size, ruleSets: ruleSets, folder: folder, repeats: repeats)
        }

        let htmlRows = given.number("--html-rows") ?? 2_500
        print("soe evaluate --format html, peak memory (the overview's limit is \(grouped(10_000)) rows):")
        var previous: Int?
        for size in [htmlRows, 2 * htmlRows, 4 * htmlRows, 20_000] {
            let csv = folder + "/html-\(size).csv"
            let columns = ["id", "name", "cvr", "fiscal_year"] + BatchBenchmark.unionOfInputs(ruleSets).map(\.name)
            BatchBenchmark.generate(rows: size, columns: columns, ruleSets: ruleSets, to: csv)
            guard
                let child = BatchBenchmark.spawn(
                    soe, ["evaluate", "--rules", folder + "/rules", csv, "--format", "html", "--output", folder + "/overview.html"],
                    pollMemory: true)
            else {
                print("  cannot run \(soe); give --soe PATH")
                return 1
            }
            let ratio = previous.map { String(format: "   ×%.2f vs. half the size", Double(child.maxResidentKB) / Double($0)) } ?? ""
            let status = child.status == 0 ? "written" : "exit \(child.status)" + (child.status == 2 ? ", refused with a hint" : "")
            print(
                String(
                    format: "  %7@ rows: peak %6.1f MB, %6.2f s, %@", grouped(size), Double(child.maxResidentKB) / 1024, child.seconds,
                    status)
                    + ratio)
            previous = child.status == 0 ? child.maxResidentKB : nil
        }
        return 0
    }

    /// Prints each size's time and its ratio to the size before.
    static func series(_ sizes: [Int], unit: String, _ measure: (Int) -> (Double, String)) {
        var previous: Double?
        for size in sizes {
            let (time, note) = measure(size)
            let ratio = previous.map { String(format: "   ×%.2f per doubling", time / $0) } ?? ""
            print(String(format: "  %7@ %@: %8.3f s  (%@)", grouped(size), unit, time, note) + ratio)
            previous = time
        }
    }

    /// Writes the records of a generated batch of `records / rule sets` rows and times their verification.
    static func verifyBatch(records: Int, ruleSets: [RuleSet], folder: String, repeats: Int) -> (Double, String) {
        let rows = max(1, records / ruleSets.count)
        let csv = folder + "/batch-\(records).csv"
        let columns = ["id", "name", "cvr", "fiscal_year"] + BatchBenchmark.unionOfInputs(ruleSets).map(\.name)
        BatchBenchmark.generate(rows: rows, columns: columns, ruleSets: ruleSets, to: csv)
        let recordPath = folder + "/batch-\(records).jsonl"
        // Written as `soe evaluate --format record` writes them, and freed before the timing.
        let size: Int = {
            guard let bytes = FileManager.default.contents(atPath: csv).map(Array.init) else { return 0 }
            let sink = MemorySink()
            let options = BatchOptions(inputFormat: .csv, outputFormat: .record, sourceName: csv)
            _ = BatchRunner(ruleSets: ruleSets, options: options).run(ArraySource(bytes), to: sink)
            ScalingBenchmark.write(Data(sink.bytes), to: recordPath)
            return sink.bytes.count
        }()
        var verified = 0
        var checked = 0
        let time = LintBenchmark.median(repeats) {
            let result = BatchRecordVerifier.verify(recordPath: recordPath, rulesPath: folder + "/rules", inputPath: csv) { _ in }
            if case .success(let summary) = result { (verified, checked) = (summary.verified, summary.records) }
        }
        return (time, "\(verified) of \(checked) verified, \(size / 1_048_576) MB of records")
    }

    /// Writes a file the timing then reads; a file that cannot be written stops the benchmark with
    /// its path, rather than timing a verification of nothing.
    static func write(_ data: Data, to path: String) {
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            printError("soe-bench: \(path) could not be written; no figure is reported")
            exit(1)
        }
    }

    /// Writes `records / rule sets` firm files and the array of their records, and times verifying it.
    static func verifyArray(records: Int, ruleSets: [RuleSet], folder: String, repeats: Int) -> (Double, String) {
        let firms = max(1, records / ruleSets.count)
        let firmFolder = folder + "/firms-\(records)"
        try? FileManager.default.createDirectory(atPath: firmFolder, withIntermediateDirectories: true)
        guard let template = try? String(contentsOfFile: "samples/kaffekollektivet.json", encoding: .utf8) else {
            return (0, "samples/kaffekollektivet.json not found")
        }
        var traces: [Trace] = []
        var paths: [String] = []
        for index in 0..<firms {
            // Each firm its own sales figure, so that every file and record differs.
            let sales = "\"market_sales\": \"\(4_200_000 + index).00\""
            let text = template.replacingOccurrences(of: "\"market_sales\": \"4200000.00\"", with: sales)
            let path = firmFolder + "/firm-\(index).json"
            ScalingBenchmark.write(Data(text.utf8), to: path)
            paths.append(path)
            guard case .success(let read) = FirmReader.read(Array(text.utf8), source: path, ruleSets: ruleSets) else { continue }
            for (ruleSet, bound) in zip(ruleSets, read.inputs) {
                var evaluator = Evaluator(ruleSet: ruleSet)
                let decision = evaluator.evaluate(inputs: bound.values, on: read.firm.closingDay)
                evaluator.settleEverything()
                traces.append(
                    TraceBuilder.build(
                        evaluator: evaluator, decision: decision, firm: read.firm, bound: bound, engineVersion: SoeVersion.current))
            }
        }
        let recordPath = folder + "/array-\(records).json"
        ScalingBenchmark.write(Data(DecisionRecord.render(traces).utf8), to: recordPath)
        var verified = 0
        let time = LintBenchmark.median(repeats) {
            if case .success(let checks) = RecordVerifier.verify(recordPath: recordPath, rulesPath: folder + "/rules", inputPaths: paths) {
                verified = checks.filter(\.isVerified).count
            }
        }
        return (time, "\(verified) of \(traces.count) verified")
    }

    static func grouped(_ value: Int) -> String { BatchBenchmark.grouped(value) }
}
