import Foundation
import SoeEngine
import SoeLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `soe-bench limit`: soe's whole process against the hand-written limit (`soe-limit`, C compiled
/// by the toolchain's clang) on the same work, in the same run (docs/benchmark.md, "The limit").
///
/// The work: N generated firms with the columns of the bundled `anden_aktoer` rule set, every cell
/// present (the limit has no three-valued logic), classified under that one rule set, `id` and the
/// outcome written to a file. Measured as processes, as a user runs them:
/// - the batch on one core (`soe evaluate --rules anden_aktoer.rules firms.csv --output FILE`) and
///   with `--jobs 2`, in the long layout and in the wide one, each against the limit, the turns
///   taken alternately and every turn printed;
/// - the CSV reader alone, in MB/s;
/// - one firm from a cold start, median of --runs, against the limit's cold start on the same firm;
/// - soe's peak memory on 100,000 and N rows.
/// The outcomes of soe and the limit are compared on every row: a benchmark of a wrong answer is no benchmark.
enum LimitBenchmark {
    static let usage = """
        usage: soe-bench limit [--rows N] [--repeat N] [--runs N] [--soe PATH] [--limit PATH] [--keep FOLDER]
          --rows N       firms to generate (default 1,000,000)
          --repeat N     turns of the limit and of soe, taken alternately (default 5)
          --runs N       cold starts, of which the median counts (default 20)
          --soe PATH     the soe binary (default: beside soe-bench)
          --limit PATH   a soe-limit binary (default: Sources/soe-bench/limit/soe-limit.c compiled
                         here with 'clang -O2', the toolchain's clang found on PATH or in $CC)
          --keep FOLDER  also copy the generated firms.csv and one.csv (its first firm) into FOLDER,
                         for profiling soe on the same data (.ci/callgrind-rows.sh)
          -h, --help     show this help
        """

    static func run(_ arguments: [String]) -> Int32 {
        let given: BenchArguments
        switch BenchArguments.parse(
            arguments, numbers: ["--rows", "--repeat", "--runs"], texts: ["--soe", "--limit", "--keep"], usage: usage)
        {
        case .failure(let stop): return stop.code
        case .success(let parsed): given = parsed
        }
        let rows = given.number("--rows") ?? 1_000_000
        let repeats = given.number("--repeat") ?? 5
        let runs = given.number("--runs") ?? 20
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let soe = given.text("--soe") ?? here.appendingPathComponent("soe").path
        guard FileManager.default.isExecutableFile(atPath: soe) else {
            printError("soe-bench limit: no soe binary at \(soe); build it with 'swift build -c release --product soe'")
            return 1
        }
        let folder = NSTemporaryDirectory() + "soe-bench-limit-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let signalSources = BatchBenchmark.removeOnSignal(folder)
        defer {
            for source in signalSources { source.cancel() }
            try? FileManager.default.removeItem(atPath: folder)
        }
        let limit: String
        if let given = given.text("--limit") {
            limit = given
        } else {
            switch compileLimit(into: folder, environment: ProcessInfo.processInfo.environment) {
            case .success(let path): limit = path
            case .failure(let problem):
                printError("soe-bench limit: \(problem.message)")
                return 1
            }
        }
        guard let rules = try? String(contentsOfFile: "rules/anden_aktoer.rules", encoding: .utf8) else {
            printError("soe-bench limit: run from the package root (rules/anden_aktoer.rules not found)")
            return 1
        }
        let rulesPath = folder + "/anden_aktoer.rules"
        try? rules.write(toFile: rulesPath, atomically: true, encoding: .utf8)
        guard case .success(let loaded) = RuleLoader.load(path: rulesPath), !loaded.hasErrors else {
            printError("soe-bench limit: rules/anden_aktoer.rules does not check")
            return 1
        }
        let inputs = BatchBenchmark.unionOfInputs(loaded.ruleSets)
        let columns = ["id", "name", "cvr", "fiscal_year"] + inputs.map(\.name)
        let csv = folder + "/firms.csv"
        BatchBenchmark.generate(rows: rows, columns: columns, ruleSets: loaded.ruleSets, to: csv, missingCells: false)
        let small = folder + "/firms-100k.csv"
        BatchBenchmark.generate(rows: min(rows, 100_000), columns: columns, ruleSets: loaded.ruleSets, to: small, missingCells: false)
        let one = folder + "/one.csv"
        BatchBenchmark.generate(rows: 1, columns: columns, ruleSets: loaded.ruleSets, to: one, missingCells: false)
        if let keep = given.text("--keep") {
            do {
                try FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
                for name in ["firms.csv", "one.csv"] {
                    try? FileManager.default.removeItem(atPath: keep + "/" + name)
                    try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: keep + "/" + name)
                }
                print("soe-bench limit: kept firms.csv and one.csv in \(keep)")
            } catch {
                printError("soe-bench limit: cannot keep the generated firms in \(keep): \(error.localizedDescription)")
                return 1
            }
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0
        print(
            "soe-bench limit: \(BatchBenchmark.grouped(rows)) firms, rule set anden_aktoer, CSV of \(columns.count) columns, "
                + String(format: "%.0f MB", Double(bytes) / 1e6))

        // Whole processes, alternately, so that a moment of load on a shared machine falls on both.
        func soeBatch(_ jobs: Int, _ output: String) -> [String] {
            ["evaluate", "--rules", rulesPath, csv, "--output", output, "--jobs", String(jobs), "--lang", "en"]
                + (soeHasLayout(soe) ? ["--layout", "long"] : [])
        }
        // The wide layout, which `--output FILE` writes when no `--layout` is given: one row per
        // firm for people, the criteria and reasons in words.
        let hasLayout = soeHasLayout(soe)
        func soeWide(_ jobs: Int, _ output: String) -> [String] {
            ["evaluate", "--rules", rulesPath, csv, "--output", output, "--jobs", String(jobs), "--lang", "en"]
                + (hasLayout ? ["--layout", "wide"] : [])
        }
        var limitTurns: [Double] = []
        var soeTurns: [Double] = []
        var soeJobsTurns: [Double] = []
        var soeWideTurns: [Double] = []
        var soeWideJobsTurns: [Double] = []
        // Every turn writes new files, as a batch writing its result usually does: replacing the last
        // turn's 234 MB file made the kernel free that file's pages inside the timed process (about
        // 0.04 s more for soe, almost nothing for the limit's 19 MB), which is not this batch's work.
        let outputs = ["limit.csv", "soe.csv", "soe-jobs.csv", "soe-wide.csv", "soe-wide-jobs.csv"].map { folder + "/" + $0 }
        for turn in 1...repeats {
            for output in outputs { unlink(output) }
            guard let bound = BatchBenchmark.spawn(limit, [csv, folder + "/limit.csv"]), bound.status == 0,
                let one = BatchBenchmark.spawn(soe, soeBatch(1, folder + "/soe.csv"), stderrTo: folder + "/soe.err"), one.status == 0,
                let two = BatchBenchmark.spawn(soe, soeBatch(2, folder + "/soe-jobs.csv")), two.status == 0,
                let wide = BatchBenchmark.spawn(soe, soeWide(1, folder + "/soe-wide.csv")), wide.status == 0,
                let wideTwo = BatchBenchmark.spawn(soe, soeWide(2, folder + "/soe-wide-jobs.csv")), wideTwo.status == 0
            else {
                printError("soe-bench limit: a run failed; see \(folder)/soe.err")
                return 1
            }
            limitTurns.append(bound.seconds)
            soeTurns.append(one.seconds)
            soeJobsTurns.append(two.seconds)
            soeWideTurns.append(wide.seconds)
            soeWideJobsTurns.append(wideTwo.seconds)
            print(
                String(
                    format:
                        "  turn %d: limit %.3f s, soe %.3f s (%.2f×), soe --jobs 2 %.3f s (%.2f×), soe wide %.3f s (%.2f×), soe wide --jobs 2 %.3f s (%.2f×)",
                    turn, bound.seconds, one.seconds, one.seconds / bound.seconds, two.seconds, two.seconds / bound.seconds,
                    wide.seconds, wide.seconds / bound.seconds, wideTwo.seconds, wideTwo.seconds / bound.seconds))
        }
        let best = limitTurns.min() ?? 1
        let bestSoe = soeTurns.min() ?? 0
        let bestJobs = soeJobsTurns.min() ?? 0
        print(
            String(
                format: "  limit (soe-limit, C): %.3f s, %.0f MB/s; fastest of %d", best, Double(bytes) / 1e6 / best, repeats))
        print(
            String(
                format: "  soe whole process, 1 core: %.3f s = %.2f × the limit (target ≤ 2×); median %.2f ×", bestSoe,
                bestSoe / best, BatchBenchmark.median(soeTurns) / BatchBenchmark.median(limitTurns)))
        print(
            String(
                format: "  soe whole process, --jobs 2: %.3f s = %.2f × the limit (target ≤ 1.2×); median %.2f ×", bestJobs,
                bestJobs / best, BatchBenchmark.median(soeJobsTurns) / BatchBenchmark.median(limitTurns)))
        let bestWide = soeWideTurns.min() ?? 0
        print(
            String(
                format:
                    "  soe whole process, 1 core, the wide layout (the default of --output): %.3f s = %.2f × the limit; median %.2f ×",
                bestWide, bestWide / best, BatchBenchmark.median(soeWideTurns) / BatchBenchmark.median(limitTurns)))
        let bestWideJobs = soeWideJobsTurns.min() ?? 0
        print(
            String(
                format: "  soe whole process, --jobs 2, the wide layout: %.3f s = %.2f × the limit; median %.2f ×",
                bestWideJobs, bestWideJobs / best, BatchBenchmark.median(soeWideJobsTurns) / BatchBenchmark.median(limitTurns)))

        switch agreement(soe: folder + "/soe.csv", limit: folder + "/limit.csv") {
        case .success(let count): print("  outcomes: soe and the limit agree on all \(BatchBenchmark.grouped(count)) rows")
        case .failure(let problem):
            print("  outcomes: DISAGREE: \(problem.message)")
            return 1
        }
        if !FileManager.default.contentsEqual(atPath: folder + "/soe.csv", andPath: folder + "/soe-jobs.csv") {
            print("  --jobs 2 wrote different bytes from one thread")
            return 1
        }
        if !FileManager.default.contentsEqual(atPath: folder + "/soe-wide.csv", andPath: folder + "/soe-wide-jobs.csv") {
            print("  the wide layout with --jobs 2 wrote different bytes from one thread")
            return 1
        }

        // The CSV reader alone: every field of every record, nothing else.
        var readTimes: [Double] = []
        var fields = 0
        for _ in 0..<repeats {
            readTimes.append(BatchBenchmark.seconds { fields = readAll(csv) })
        }
        let read = readTimes.min() ?? 1
        print(
            String(
                format: "  CSV reader alone: %.3f s, %.0f MB/s (target ≥ 500 MB/s), %@ fields; fastest of %d", read,
                Double(bytes) / 1e6 / read, BatchBenchmark.grouped(fields), repeats))

        // One firm from a cold start, each the median of `runs`.
        var limitCold: [Double] = []
        var soeCold: [Double] = []
        for _ in 0..<runs {
            if let child = BatchBenchmark.spawn(limit, [one, folder + "/one-limit.csv"]) { limitCold.append(child.seconds) }
            if let child = BatchBenchmark.spawn(soe, ["evaluate", "--rules", rulesPath, one, "--output", folder + "/one-soe.csv"]) {
                soeCold.append(child.seconds)
            }
        }
        let coldLimit = BatchBenchmark.median(limitCold)
        let coldSoe = BatchBenchmark.median(soeCold)
        print(
            String(
                format: "  one firm, cold start: soe %.1f ms, limit %.1f ms = %.2f × (target ≤ 2×); medians of %d", coldSoe * 1000,
                coldLimit * 1000, coldSoe / max(coldLimit, 1e-9), runs))

        // Peak memory, flat in the number of rows.
        let smallPeak = BatchBenchmark.spawn(soe, soeBatch(1, folder + "/peak-small.csv").map { $0 == csv ? small : $0 }, pollMemory: true)
        let peak = BatchBenchmark.spawn(soe, soeBatch(1, folder + "/peak.csv"), pollMemory: true)
        print(
            String(
                format: "  soe peak memory (VmHWM): %.1f MB on 100,000 rows, %.1f MB on %@ rows (target ≤ 32 MB)",
                BatchBenchmark.mb(smallPeak), BatchBenchmark.mb(peak), BatchBenchmark.grouped(rows)))
        return 0
    }

    /// The limit's source, relative to the package root.
    static let limitSource = "Sources/soe-bench/limit/soe-limit.c"

    /// Compiles the limit with `clang -O2` (`$CC` when set) into `folder`; the binary's path.
    static func compileLimit(into folder: String, environment: [String: String]) -> Result<String, ToolError> {
        let output = folder + "/soe-limit"
        let log = folder + "/clang.log"
        let compiler = environment["CC"].map { [$0] } ?? ["clang"]
        guard FileManager.default.fileExists(atPath: limitSource) else {
            return .failure(ToolError("run from the package root (\(limitSource) not found)"))
        }
        guard let child = BatchBenchmark.spawn("/usr/bin/env", compiler + ["-O2", "-o", output, limitSource], stderrTo: log),
            child.status == 0
        else {
            let reason = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return .failure(ToolError("cannot compile \(limitSource) with \(compiler[0]) (give --limit PATH or set CC): \(reason)"))
        }
        return .success(output)
    }

    /// Whether this soe knows `--layout` (the long layout is the one with an `outcome` per rule set).
    static func soeHasLayout(_ soe: String) -> Bool {
        let log = NSTemporaryDirectory() + "soe-bench-help-\(getpid()).txt"
        defer { unlink(log) }
        guard BatchBenchmark.spawn(soe, ["evaluate", "--help"], stdoutTo: log) != nil,
            let text = try? String(contentsOfFile: log, encoding: .utf8)
        else { return false }
        return text.contains("--layout")
    }

    /// Every field of every record of a CSV file through soe's reader; the count of fields.
    static func readAll(_ path: String) -> Int {
        guard let input = FileHandle(forReadingAtPath: path) else { return 0 }
        var reader = CSVReader(source: FileDescriptorSource(fileHandle: input), dialect: .rfc4180)
        var fields = 0
        while let item = reader.next() {
            if case .success(let record) = item { fields += record.count }
        }
        return fields
    }

    /// Compares soe's result CSV (long layout: `id`, `status`, `outcome`) with the limit's
    /// `id,outcome`, row by row: the outcome when determined, else the status.
    static func agreement(soe: String, limit: String) -> Result<Int, ToolError> {
        guard let soeFile = FileHandle(forReadingAtPath: soe), let limitFile = FileHandle(forReadingAtPath: limit) else {
            return .failure(ToolError("cannot read the results"))
        }
        var soeRows = CSVReader(source: FileDescriptorSource(fileHandle: soeFile), dialect: .rfc4180)
        var limitRows = CSVReader(source: FileDescriptorSource(fileHandle: limitFile), dialect: .rfc4180)
        guard case .success(let header)? = soeRows.next(), case .success? = limitRows.next(),
            let id = header.fields.firstIndex(of: "id"), let status = header.fields.firstIndex(of: "status"),
            let outcome = header.fields.firstIndex(of: "outcome")
        else { return .failure(ToolError("soe's result has no id, status and outcome columns")) }
        var count = 0
        while case .success(let row)? = soeRows.next() {
            guard case .success(let expected)? = limitRows.next(), expected.fields.count == 2 else {
                return .failure(ToolError("the limit wrote fewer rows than soe (\(count))"))
            }
            let fields = row.fields
            let said = fields[status] == "determined" ? fields[outcome] : fields[status]
            guard fields[id] == expected.fields[0], said == expected.fields[1] else {
                return .failure(
                    ToolError(
                        "row \(count + 1), firm \(fields[id]): soe says \(said), the limit \(expected.fields[0]) \(expected.fields[1])"))
            }
            count += 1
        }
        if case .some = limitRows.next() { return .failure(ToolError("the limit wrote more rows than soe (\(count))")) }
        return .success(count)
    }
}
