import Foundation
import SoeEngine
import SoeLanguage
import SoeLint

// `soe-bench batch [--rows N] [--trace-rows N] [--full-trace-rows N] [--soe PATH] [--runs N] [--repeat N] [--jobs N] [--classify-only]`:
// batch evaluation against baselines measured in the same run (see docs/benchmark.md).
//
// 1. N generated firms as an RFC 4180 CSV (rsv_2014 plus anden_aktoer, or a small generated
//    anden-aktør rule set when rules/anden_aktoer.rules is absent). Baseline: CSVReader reads the
//    file and the same rows are written back as CSV. Measured: the batch (read, bind, classify,
//    write the result CSV through an atomic file), as a ratio to the baseline. The two take turns,
//    --repeat times (default 3), and the fastest run of each counts.
// 2. Classification itself: the Evaluator on inputs bound beforehand, both rule sets per firm
//    (fastest of --repeat).
// 3. The batch with full traces as soe-trace-stream/3 (what `soe evaluate --trace` writes) on the
//    first --trace-rows rows (default all N), counted and dropped, as a ratio to the same rows as
//    JSON Lines without traces, and then written to a file, as `soe evaluate --trace --output` does; and one soe-trace/1 document per result
//    (the old form, BatchTraceFormat.full) on the first --full-trace-rows rows (default 20,000).
//    With --jobs N (default: the processors available), the batch and the stream also run on N
//    threads (`soe evaluate --jobs N`), and the bytes written are compared with one thread's.
// 4. One firm from a cold start of the `soe` binary, median of --runs, against spawning /bin/true.
// 5. Peak memory of the `soe` binary on 100,000 and N rows and on one firm: VmHWM from
//    /proc/PID/status while it runs, and /usr/bin/time -v's maximum resident set when present.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `soe-bench batch` and `soe-bench generate`: see the comment at the top of this file.
enum BatchBenchmark {
    static let usage = """
        usage: soe-bench batch [--rows N] [--trace-rows N] [--full-trace-rows N] [--soe PATH] [--runs N] [--repeat N]
                               [--jobs N] [--classify-only]
          --rows N             firms to generate and evaluate (default 1,000,000)
          --trace-rows N       rows of the batches with traces (default: all)
          --full-trace-rows N  rows of the batch with a soe-trace/1 document per result (default 20,000)
          --soe PATH           the soe binary for cold start and peak memory (default: beside soe-bench)
          --runs N             cold starts, of which the median counts (default 20)
          --repeat N           turns of the baseline and the batch, of which the fastest counts (default 3)
          --jobs N             threads for the parallel runs (default: the processors available)
          --classify-only      time the classification alone, for profiling
          -h, --help           show this help
        """

    static let generateUsage = """
        usage: soe-bench generate --output FOLDER [--rows N]
          --output FOLDER      where to write FOLDER/rules and FOLDER/firms.csv (required)
          --rows N             firms to generate (default 100,000)
          -h, --help           show this help
        """

    /// Runs the batch benchmark; returns the exit status.
    static func run(_ arguments: [String]) -> Int32 {
        let given: BenchArguments
        switch BenchArguments.parse(
            arguments, numbers: ["--rows", "--trace-rows", "--full-trace-rows", "--runs", "--repeat", "--jobs"],
            texts: ["--soe"], switches: ["--classify-only"], usage: usage)
        {
        case .failure(let stop): return stop.code
        case .success(let parsed): given = parsed
        }
        let rows = given.number("--rows") ?? 1_000_000
        var traceRows = min(rows, given.number("--trace-rows") ?? rows)
        let runs = given.number("--runs") ?? 20
        let repeats = given.number("--repeat") ?? 3
        let jobs = given.number("--jobs") ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        let soe =
            given.text("--soe")
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("soe").path
        let folder = NSTemporaryDirectory() + "soe-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let signalSources = removeOnSignal(folder)
        defer {
            for source in signalSources { source.cancel() }
            try? FileManager.default.removeItem(atPath: folder)
        }

        guard let (ruleSets, aktoerSource) = loadRules(into: folder) else { return 1 }
        let csv = folder + "/firms.csv"
        let small = folder + "/firms-100k.csv"
        let columns = ["id", "name", "cvr", "fiscal_year"] + unionOfInputs(ruleSets).map(\.name)
        generate(rows: rows, columns: columns, ruleSets: ruleSets, to: csv)
        generate(rows: min(rows, 100_000), columns: columns, ruleSets: ruleSets, to: small)
        let megabytes = Double((try? FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0) / 1e6
        print(
            "soe-bench batch: \(grouped(rows)) firms, rule sets \(ruleSets.map(\.name).joined(separator: " + ")) (\(aktoerSource)), CSV \(String(format: "%.0f", megabytes)) MB"
        )

        if given.has("--classify-only") {
            // For profiling the evaluator alone.
            let (evaluated, checksum) = classifyOnly(csv, ruleSets, firms: rows, pool: 1_000)
            report("classification itself", evaluated, rows, unit: "firms", note: "checksum \(checksum)")
            return 0
        }
        // The baseline and the batch take turns, `repeats` times each; the fastest run of each
        // counts, so that a moment of load on a shared machine does not decide the ratio.
        var baselines: [Double] = []
        var batches: [Double] = []
        var summary: BatchSummary?
        for _ in 0..<repeats {
            baselines.append(seconds { copyCSV(csv, to: folder + "/copy.csv") })
            batches.append(seconds { summary = runBatch(csv, ruleSets, traces: nil, to: folder + "/results.csv", limit: nil) })
        }
        let baseline = baselines.min() ?? 0
        let batch = batches.min() ?? 0
        report(
            "baseline: CSVReader read + CSV write of the same rows", baseline, rows, unit: "rows",
            note: "fastest of \(repeats): " + baselines.map { String(format: "%.2f", $0) }.joined(separator: ", ") + " s")
        report(
            "batch: read, bind, classify 2 rule sets, write result CSV", batch, rows, unit: "rows",
            note: String(format: "%.2f × baseline (target ≤ 2×); fastest of %d: ", batch / baseline, repeats)
                + batches.map { String(format: "%.2f", $0) }.joined(separator: ", ") + " s")
        if let summary { print("    " + summary.lines(source: "firms.csv").joined(separator: "\n    ")) }
        if jobs > 1 {
            let parallelBatch = seconds {
                _ = runBatch(csv, ruleSets, traces: nil, to: folder + "/results-jobs.csv", limit: nil, jobs: jobs)
            }
            let same = FileManager.default.contentsEqual(atPath: folder + "/results.csv", andPath: folder + "/results-jobs.csv")
            report(
                "the same batch with --jobs \(jobs)", parallelBatch, rows, unit: "rows",
                note: String(format: "%.2f × baseline; result file %@", parallelBatch / baseline, same ? "identical" : "DIFFERENT"))
        }

        let classifications = (0..<repeats).map { _ in classifyOnly(csv, ruleSets, firms: rows, pool: 1_000) }
        let (evaluated, checksum) = classifications.min { $0.0 < $1.0 } ?? (0, 0)
        let (fromMemory, _) = classifyOnly(csv, ruleSets, firms: rows, pool: 10_000)
        report(
            "classification itself: Evaluator, inputs bound beforehand", evaluated, rows, unit: "firms",
            note: "both rule sets per firm (target ≥ 2,000,000 firms/s); checksum \(checksum)")
        report("    the same with 10,000 firms bound, whose inputs (17 MB) do not stay in cache", fromMemory, rows, unit: "firms")

        // Traces: the stream (soe-trace-stream/3, what `--trace` writes) on --trace-rows rows, against the
        // same rows as JSON Lines without traces; the old per-row soe-trace/1 documents on --full-trace-rows.
        // The rows actually run: a limit stops the batch at the next progress report (every 4,096 rows).
        let plainCounter = CountingSink()
        let streamCounter = CountingSink()
        let fullCounter = CountingSink()
        var fullRows = min(traceRows, given.number("--full-trace-rows") ?? 20_000)
        let withoutTraces = seconds { _ = runBatch(csv, ruleSets, traces: nil, to: plainCounter, limit: traceRows) }
        let streamed = seconds {
            traceRows = runBatch(csv, ruleSets, traces: .stream, to: streamCounter, limit: traceRows)?.rowsRead ?? traceRows
        }
        let parallelCounter = CountingSink()
        var parallelRows = traceRows
        let parallel =
            jobs > 1
            ? seconds {
                parallelRows =
                    runBatch(csv, ruleSets, traces: .stream, to: parallelCounter, limit: traceRows, jobs: jobs)?.rowsRead ?? traceRows
            } : 0
        let full = seconds { fullRows = runBatch(csv, ruleSets, traces: .full, to: fullCounter, limit: fullRows)?.rowsRead ?? fullRows }
        // The same stream written to a file, as `soe evaluate --trace --output FILE` writes it (an
        // atomic file, written on a thread of its own and synced to disk before it is renamed): what
        // the counted figures leave out is the kernel's work of taking gigabytes into the page cache
        // and onto the disk, which varies from run to run, so the fastest of `repeats` counts.
        let traceFile = folder + "/traces.jsonl"
        var fileRows = traceRows
        var fileBytes = 0
        func toFile(jobs: Int) -> Double {
            var summary: BatchSummary?
            let time = seconds {
                summary = runBatch(csv, ruleSets, traces: .stream, to: traceFile, limit: traceRows, jobs: jobs, background: true)
            }
            guard let summary else {
                printError("soe-bench: the traces could not be written to \(traceFile); no figure is reported")
                exit(1)
            }
            fileRows = summary.rowsRead
            fileBytes = (try? FileManager.default.attributesOfItem(atPath: traceFile)[.size] as? Int) ?? 0
            try? FileManager.default.removeItem(atPath: traceFile)
            return time
        }
        let writtenRuns = (0..<repeats).map { _ in toFile(jobs: 1) }
        let written = writtenRuns.min() ?? 0
        let writtenRows = fileRows
        let writtenBytes = fileBytes
        let writtenParallelRuns = jobs > 1 ? (0..<repeats).map { _ in toFile(jobs: jobs) } : []
        let writtenParallel = writtenParallelRuns.min() ?? 0
        let listed = { (times: [Double]) in times.map { String(format: "%.2f", $0) }.joined(separator: ", ") + " s" }
        let perRow = { (counter: CountingSink, rows: Int) in Double(counter.bytes) / Double(max(rows, 1)) }
        report(
            "batch, JSON Lines results without traces (first \(grouped(traceRows)) rows)", withoutTraces, traceRows, unit: "firms",
            note: String(format: "%.0f bytes per row", perRow(plainCounter, traceRows)))
        report(
            "batch with full traces as soe-trace-stream/3 (first \(grouped(traceRows)) rows)", streamed, traceRows, unit: "firms",
            note: String(
                format: "%.2f × without traces; %.0f bytes per row, %.0f MB/s (target ≥ 100,000 firms/s)",
                streamed / withoutTraces, perRow(streamCounter, traceRows),
                Double(streamCounter.bytes) / streamed / 1e6))
        report(
            "    the same written to a file (first \(grouped(writtenRows)) rows)", written, writtenRows, unit: "firms",
            note: String(
                format: "%.0f MB, %.0f MB/s, synced; fastest of %d: %@ (target ≥ 100,000 firms/s)",
                Double(writtenBytes) / 1e6, Double(writtenBytes) / written / 1e6, repeats, listed(writtenRuns)))
        if jobs > 1 {
            report(
                "    the same written to a file with --jobs \(jobs) (first \(grouped(fileRows)) rows)", writtenParallel, fileRows,
                unit: "firms", note: "fastest of \(repeats): " + listed(writtenParallelRuns) + " (target ≥ 100,000 firms/s)")
            report(
                "the same traces with --jobs \(jobs) (first \(grouped(parallelRows)) rows)", parallel, parallelRows, unit: "firms",
                note: String(
                    format: "%.2f × one thread's rate; %@ (target ≥ 100,000 firms/s)",
                    (Double(parallelRows) / parallel) / (Double(traceRows) / streamed),
                    parallelRows != traceRows
                        ? "not the same rows" : parallelCounter.bytes == streamCounter.bytes ? "the same bytes" : "DIFFERENT bytes"))
        }
        report(
            "batch with a soe-trace/1 document per result (first \(grouped(fullRows)) rows)", full, fullRows, unit: "firms",
            note: String(
                format: "%.1f × the stream per row; %.0f bytes per row",
                (full / Double(max(fullRows, 1))) / (streamed / Double(max(traceRows, 1))), perRow(fullCounter, fullRows)))

        guard FileManager.default.isExecutableFile(atPath: soe) else {
            print(
                "  cold start and peak memory: skipped, no soe binary at \(soe) (build it: swift build -c release --static-swift-stdlib --product soe)"
            )
            return 0
        }
        let rulesFolder = folder + "/rules"
        let sample = "samples/kaffekollektivet.json"
        var cold: [Double] = []
        var spawnOnly: [Double] = []
        for _ in 0..<runs {
            if let child = spawn(soe, ["evaluate", "--rules", rulesFolder, sample]) { cold.append(child.seconds) }
            if let child = spawn("/bin/true", []) { spawnOnly.append(child.seconds) }
        }
        let coldMedian = median(cold)
        let spawnMedian = median(spawnOnly)
        print(
            String(
                format:
                    "  cold start: soe evaluate one firm, median of %d: %.1f ms (min %.1f); spawning /bin/true: %.1f ms; %.1f × (target < 10 ms)",
                cold.count, coldMedian * 1000, (cold.min() ?? 0) * 1000, spawnMedian * 1000, coldMedian / max(spawnMedian, 1e-9)))
        // One firm takes a few milliseconds: polling may miss it, so it is run until a sample lands
        // (and /usr/bin/time measures it below as well).
        var single: Child?
        for _ in 0..<20 where (single?.maxResidentKB ?? 0) == 0 {
            single = spawn(soe, ["evaluate", "--rules", rulesFolder, sample], pollMemory: true)
        }
        let peakSmall = spawn(
            soe, ["evaluate", "--rules", rulesFolder, small, "--output", folder + "/out-small.csv", "--no-progress"],
            pollMemory: true)
        let peakLarge = spawn(
            soe, ["evaluate", "--rules", rulesFolder, csv, "--output", folder + "/out.csv", "--no-progress"],
            pollMemory: true)
        print(
            String(
                format:
                    "  peak memory (VmHWM, sampled every 2 ms): one firm %.1f MB; %@ rows %.1f MB; %@ rows %.1f MB; ratio %.2f (target flat)",
                mb(single), grouped(min(rows, 100_000)), mb(peakSmall), grouped(rows), mb(peakLarge),
                mb(peakLarge) / max(mb(peakSmall), 0.001)))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/time"),
            let one = timeVerbose(soe, ["evaluate", "--rules", rulesFolder, sample]),
            let small = timeVerbose(
                soe, ["evaluate", "--rules", rulesFolder, small, "--output", folder + "/out-small.csv", "--no-progress"]),
            let large = timeVerbose(soe, ["evaluate", "--rules", rulesFolder, csv, "--output", folder + "/out.csv", "--no-progress"])
        {
            print(
                String(
                    format: "    /usr/bin/time -v maximum resident set: one firm %.1f MB; %@ rows %.1f MB; %@ rows %.1f MB",
                    Double(one) / 1024, grouped(min(rows, 100_000)), Double(small) / 1024, grouped(rows), Double(large) / 1024))
        }
        return 0
    }

    /// `soe-bench generate --rows N --output FOLDER`: the benchmark's rules and firms, kept for
    /// profiling `soe` itself (FOLDER/rules and FOLDER/firms.csv).
    static func generateOnly(_ arguments: [String]) -> Int32 {
        let given: BenchArguments
        switch BenchArguments.parse(arguments, numbers: ["--rows"], texts: ["--output"], usage: generateUsage) {
        case .failure(let stop): return stop.code
        case .success(let parsed): given = parsed
        }
        let rows = given.number("--rows") ?? 100_000
        guard let folder = given.text("--output") else {
            printError("soe-bench: --output is required\n\(generateUsage)")
            return 2
        }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard let (ruleSets, _) = loadRules(into: folder) else { return 1 }
        let columns = ["id", "name", "cvr", "fiscal_year"] + unionOfInputs(ruleSets).map(\.name)
        generate(rows: rows, columns: columns, ruleSets: ruleSets, to: folder + "/firms.csv")
        print("\(folder)/rules and \(folder)/firms.csv (\(grouped(rows)) firms)")
        return 0
    }

    /// Removes `folder` and exits with 128 + the signal's number on SIGINT or SIGTERM, so that an
    /// interrupted benchmark does not leave its generated files (hundreds of MB) behind. The signals
    /// are taken from a dispatch queue, not in a signal handler, where removing files is not safe;
    /// cancel the sources returned when the folder is gone.
    static func removeOnSignal(_ folder: String) -> [DispatchSourceSignal] {
        let queue = DispatchQueue(label: "soe-bench.signals")
        // Unblocked, in case this process inherited a mask that blocks them.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        return [SIGINT, SIGTERM].map { number in
            // Ignored, so that only the source sees it.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                try? FileManager.default.removeItem(atPath: folder)
                printError("soe-bench: interrupted; \(folder) removed")
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    // MARK: - The measured work

    /// The baseline: every record read with CSVReader and written back as CSV, in 64 KiB writes.
    static func copyCSV(_ path: String, to target: String) {
        guard let input = FileHandle(forReadingAtPath: path), let sink = try? AtomicFileSink.create(target).get() else { return }
        var reader = CSVReader(source: FileDescriptorSource(fileHandle: input), dialect: .rfc4180)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 17)
        while let item = reader.next() {
            guard case .success(let record) = item else { continue }
            for (index, field) in record.fields.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                if field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
                    buffer.append(UInt8(ascii: "\""))
                    for byte in field.utf8 { buffer += byte == UInt8(ascii: "\"") ? [byte, byte] : [byte] }
                    buffer.append(UInt8(ascii: "\""))
                } else {
                    buffer += field.utf8
                }
            }
            buffer.append(0x0A)
            if buffer.count >= 1 << 16 {
                _ = sink.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        _ = sink.write(buffer)
        _ = sink.commit()
    }

    /// The batch as `soe evaluate firms.csv` runs it, on the first `limit` rows when given.
    /// The batch to a result CSV file (no traces), through an atomic file as `soe` writes it.
    /// With `background`, the file is written on a thread of its own, as `soe evaluate --output`
    /// writes it; without, on the batch's thread, as the baseline writes its copy.
    static func runBatch(
        _ path: String, _ ruleSets: [RuleSet], traces: BatchTraceFormat?, to target: String, limit: Int?,
        jobs: Int = 1, background: Bool = false
    ) -> BatchSummary? {
        guard let created = try? AtomicFileSink.create(target).get() else { return nil }
        let writer = background ? BackgroundSink(created) : nil
        let summary = runBatch(path, ruleSets, traces: traces, to: writer ?? created, limit: limit, jobs: jobs)
        // A run whose file was not written whole is no measurement: nil, never a fast time.
        let failure = writer?.finish() ?? created.commit()  // committed only when every byte was written
        if let failure {
            created.discard()
            printError("soe-bench: \(failure.message)")
            return nil
        }
        return summary
    }

    /// The batch to any sink: CSV results without traces when `traces` is nil, else JSON Lines
    /// with traces in that format. `limit` stops it after that many rows (checked at each progress report, every 4,096 rows).
    static func runBatch(
        _ path: String, _ ruleSets: [RuleSet], traces: BatchTraceFormat?, to sink: BatchSink, limit: Int?,
        jobs: Int = 1
    ) -> BatchSummary? {
        guard let input = FileHandle(forReadingAtPath: path) else { return nil }
        let jsonl = traces != nil || sink is CountingSink
        var options = BatchOptions(
            outputFormat: jsonl ? .jsonl : .csv, traces: traces != nil, traceFormat: traces ?? .stream,
            sourceName: "firms.csv")
        options.jobs = jobs
        let runner = BatchRunner(ruleSets: ruleSets, options: options)
        var rowsSeen = 0
        let hooks = BatchHooks(progress: { rowsSeen = $0 }, shouldStop: { limit.map { rowsSeen >= $0 } ?? false })
        switch runner.run(FileDescriptorSource(fileHandle: input), to: sink, hooks: hooks) {
        case .finished(let summary), .interrupted(let summary):
            return summary
        default:
            return nil
        }
    }

    /// Counts what a batch writes and drops it, so that output size is measured without disk time.
    final class CountingSink: BatchSink {
        private(set) var bytes = 0
        func write(_ bytes: [UInt8]) -> ToolError? {
            self.bytes += bytes.count
            return nil
        }
    }

    /// The Evaluator alone: `pool` firms bound once, then evaluated in turn `firms` times under every
    /// rule set. In a batch, each row's inputs are evaluated right after they are bound, while they
    /// are in cache; a pool of 1,000 firms (1.7 MB of inputs) keeps them there too, where 10,000
    /// (17 MB) measure memory reads as much as classification.
    static func classifyOnly(_ path: String, _ ruleSets: [RuleSet], firms: Int, pool: Int) -> (Double, Int) {
        guard let input = FileHandle(forReadingAtPath: path) else { return (0, 0) }
        var reader = CSVReader(source: FileDescriptorSource(fileHandle: input), dialect: .rfc4180)
        guard case .success(let header)? = reader.next() else { return (0, 0) }
        let columnOf = Dictionary(header.fields.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var bound: [[[Scalar?]]] = ruleSets.map { _ in [] }
        while bound[0].count < pool, case .success(let record)? = reader.next() {
            for (index, ruleSet) in ruleSets.enumerated() {
                bound[index].append(
                    ruleSet.inputs.map { input in
                        guard let column = columnOf[input.name], !record.fields[column].isEmpty else { return nil }
                        return try? CellReader.read(.text(record.fields[column]), as: input, choices: ruleSet.choiceSets).get()
                    })
            }
        }
        guard let day = Day(year: 2024, month: 12, day: 31), !bound[0].isEmpty else { return (0, 0) }
        var evaluators = ruleSets.map(Evaluator.init)
        var checksum = 0
        let time = seconds {
            for firm in 0..<firms {
                let row = firm % bound[0].count
                for index in evaluators.indices {
                    checksum &+= evaluators[index].evaluate(inputs: bound[index][row], on: day).outcome ?? 7
                }
            }
        }
        return (time, checksum)
    }

    // MARK: - Data

    /// rsv_2014 and anden_aktoer from rules/, copied into `folder`/rules; a generated anden-aktør
    /// rule set stands in when rules/anden_aktoer.rules does not exist.
    static func loadRules(into folder: String) -> ([RuleSet], String)? {
        let rulesFolder = folder + "/rules"
        try? FileManager.default.createDirectory(atPath: rulesFolder, withIntermediateDirectories: true)
        var source = "rules/anden_aktoer.rules"
        guard let rsv = try? String(contentsOfFile: "rules/rsv_2014.rules", encoding: .utf8) else {
            print("soe-bench batch: run from the package root (rules/rsv_2014.rules not found)")
            return nil
        }
        var aktoer = (try? String(contentsOfFile: source, encoding: .utf8)) ?? ""
        if aktoer.isEmpty {
            (aktoer, source) = (generatedAktoerRules, "a generated anden-aktør rule set")
        }
        try? rsv.write(toFile: rulesFolder + "/rsv_2014.rules", atomically: true, encoding: .utf8)
        try? aktoer.write(toFile: rulesFolder + "/anden_aktoer.rules", atomically: true, encoding: .utf8)
        guard case .success(let loaded) = RuleLoader.load(path: rulesFolder), !loaded.hasErrors, loaded.ruleSets.count == 2 else {
            print("soe-bench batch: the rules do not check")
            return nil
        }
        return (loaded.ruleSets, source)
    }

    static let generatedAktoerRules = """
        ruleset anden_aktoer "Anden aktør (benchmark)" en "Other actor (benchmark)"
          source "Genereret af soe-bench"
          version "bench"
          in force from 2019-01-01
        input own_cvr: yes/no "Eget CVR-nummer"
        input market_sales: money "Markedssalg" min 0 kr
        input municipal_employment_services: money "Beskæftigelsesydelser til kommuner" min 0 kr
        input grants: money "Tilskud" min 0 kr
        parameter services_max: percent "Største andel fra beskæftigelsesydelser" policy "Seed 004" = 50 % from 2019-01-01
        value total "Omsætning" = market_sales + municipal_employment_services + grants
        value services_share "Andel fra beskæftigelsesydelser" = if total = 0 kr then 0 % else municipal_employment_services / total
        criterion eligible "Eget CVR-nummer" = own_cvr
        criterion lives_off_services "Lever af beskæftigelsesydelser" = services_share > services_max
        classify
          not_eligible "Ikke selvstændig" when not eligible
          anden_aktoer "Anden aktør" when lives_off_services
          otherwise other "Ikke anden aktør"
        """

    static func unionOfInputs(_ ruleSets: [RuleSet]) -> [(name: String, type: ValueType, choices: [String])] {
        var seen: Set<String> = []
        return ruleSets.flatMap { ruleSet in
            ruleSet.inputs.compactMap { input in
                guard seen.insert(input.name).inserted else { return nil }
                var choices: [String] = []
                if case .choice(let set) = input.type { choices = ruleSet.choiceSets[set] }
                return (input.name, input.type, choices)
            }
        }
    }

    /// Deterministic firms (a linear congruential generator), with about 2 % of cells empty so that
    /// some results are undetermined, and valid CVR numbers.
    /// N firms as an RFC 4180 CSV, the same for the same arguments. With `missingCells`, about one
    /// cell in 50 is left empty, as real data has gaps; without, every cell is filled (the limit
    /// benchmark's data: its hand-written program has no three-valued logic).
    static func generate(rows: Int, columns: [String], ruleSets: [RuleSet], to path: String, missingCells: Bool = true) {
        let inputs = unionOfInputs(ruleSets)
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else { return }
        defer { try? out.close() }
        var seed: UInt64 = 2024
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        var text = columns.joined(separator: ",") + "\n"
        for row in 0..<rows {
            var cvr = ""
            while cvr.isEmpty {
                let prefix = 1_000_000 + next(9_000_000)
                let digits = String(prefix).compactMap(\.wholeNumberValue)
                let sum = zip(digits, [2, 7, 6, 5, 4, 3, 2]).map(*).reduce(0, +)
                let check = (11 - sum % 11) % 11
                if check < 10 { cvr = "\(prefix)\(check)" }
            }
            var cells = ["F\(row + 1)", "Firma \(row + 1) ApS", cvr, "2024"]
            for input in inputs {
                if missingCells && next(50) == 0 {
                    cells.append("")
                    continue
                }
                switch input.type {
                case .money: cells.append(next(4) == 0 ? "0.00" : "\(next(5_000_000)).\(String(format: "%02d", next(100)))")
                case .percent:
                    if input.name.hasPrefix("public") {
                        cells.append(next(10) == 0 ? "60" : "0")
                    } else {
                        // Percentage points; one of 1 or less is written with its sign, since
                        // without it, it could be a fraction and is refused (docs/formats.md).
                        let (whole, tenth) = (next(40), next(10))
                        cells.append(whole == 0 || (whole == 1 && tenth == 0) ? "\(whole).\(tenth) %" : "\(whole).\(tenth)")
                    }
                case .count: cells.append("\(next(30))")
                case .number: cells.append("\(next(1000))")
                case .bool: cells.append(next(10) < (input.name.hasPrefix("public") ? 1 : 8) ? "true" : "false")
                case .choice: cells.append(input.choices.isEmpty ? "" : input.choices[next(10) < 7 ? 0 : next(input.choices.count)])
                case .date: cells.append("2024-06-30")
                case .text: cells.append("tekst")
                }
            }
            text += cells.joined(separator: ",") + "\n"
            if text.utf8.count > 1 << 20 {
                out.write(Data(text.utf8))
                text = ""
            }
        }
        out.write(Data(text.utf8))
    }

    // MARK: - Measuring

    static func seconds(_ work: () -> Void) -> Double {
        let elapsed = ContinuousClock().measure(work)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func report(_ what: String, _ time: Double, _ count: Int, unit: String, note: String = "") {
        let rate = time > 0 ? Int(Double(count) / time) : 0
        print("  \(what): " + String(format: "%.2f s", time) + ", \(grouped(rate)) \(unit)/s" + (note.isEmpty ? "" : "; " + note))
    }

    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        return String(
            digits.enumerated().flatMap { index, digit in
                (index > 0 && (digits.count - index) % 3 == 0 ? [","] : []) + [digit]
            })
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func mb(_ child: Child?) -> Double { Double(child?.maxResidentKB ?? 0) / 1024 }

    struct Child {
        var status: Int32
        var seconds: Double
        var maxResidentKB: Int
    }

    /// Runs a program with its output discarded and returns its exit status, wall time and peak memory.
    static func spawn(
        _ path: String, _ arguments: [String], stdoutTo outputPath: String = "/dev/null", stderrTo errorPath: String = "/dev/null",
        pollMemory: Bool = false
    ) -> Child? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // The benchmark ignores SIGINT and SIGTERM (see removeOnSignal); its children must not
        // inherit that, so that an interrupt stops them as well.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        var empty = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        guard posix_spawn(&pid, path, &actions, &attributes, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        var usage = rusage()
        var highWater = 0
        if pollMemory {
            // VmHWM is the child's own peak; wait4's ru_maxrss would also count this process's
            // memory, which the child shares until it execs.
            while wait4(pid, &status, WNOHANG, &usage) == 0 {
                highWater = max(highWater, vmHighWater(pid) ?? 0)
                usleep(2_000)
            }
        } else {
            guard wait4(pid, &status, 0, &usage) == pid else { return nil }
        }
        let elapsed = ContinuousClock.now - start
        let time = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Child(status: (status >> 8) & 0xFF, seconds: time, maxResidentKB: highWater)
    }

    /// The peak resident set of a running process in KB, from /proc/PID/status.
    static func vmHighWater(_ pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    /// The maximum resident set size in KB that `/usr/bin/time -v` reports for a run.
    static func timeVerbose(_ path: String, _ arguments: [String]) -> Int? {
        let log = NSTemporaryDirectory() + "soe-bench-time-\(getpid()).txt"
        defer { unlink(log) }
        guard spawn("/usr/bin/time", ["-v", path] + arguments, stderrTo: log) != nil,
            let text = try? String(contentsOfFile: log, encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.contains("Maximum resident set size") }),
            let value = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
        else { return nil }
        return value
    }
}
