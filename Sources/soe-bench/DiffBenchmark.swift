import Foundation
import SoeEngine
import SoeLanguage

// `soe-bench diff [--rows N] [--jobs N] [--soe PATH]`: the cost of `soe diff` (see docs/benchmark.md).
//
// N generated firms (the batch benchmark's generator and rules: rsv_2014 and anden_aktoer) are
// diffed between the rules and a copy with one threshold changed (anden_aktoer's market_share_min
// 50 % → 60 %). Measured: the diff in this process on one thread and on --jobs threads, with CSV
// output counted and dropped, against the plain batch of the same rows (`evaluate`'s own work);
// then the `soe` binary's `soe diff --format csv --output` on 100,000 and on N rows, with its peak
// memory (VmHWM), which must stay flat as the rows grow.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `soe-bench diff`: see the comment at the top of this file.
enum DiffBenchmark {
    static let usage = """
        usage: soe-bench diff [--rows N] [--jobs N] [--soe PATH]
          --rows N      firms to generate and diff (default 1,000,000)
          --jobs N      threads for the parallel run (default: the processors available)
          --soe PATH    the soe binary for the end-to-end run and peak memory (default: beside soe-bench)
          -h, --help    show this help
        """

    /// Drops what it is given, counting the bytes.
    final class CountingSink: BatchSink {
        var count = 0
        func write(_ bytes: [UInt8]) -> ToolError? {
            count += bytes.count
            return nil
        }
    }

    static func run(_ arguments: [String]) -> Int32 {
        let given: BenchArguments
        switch BenchArguments.parse(arguments, numbers: ["--rows", "--jobs"], texts: ["--soe"], usage: usage) {
        case .failure(let stop): return stop.code
        case .success(let parsed): given = parsed
        }
        let rows = given.number("--rows") ?? 1_000_000
        let jobs = given.number("--jobs") ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        let soe =
            given.text("--soe")
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("soe").path
        let folder = NSTemporaryDirectory() + "soe-bench-diff-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let signalSources = BatchBenchmark.removeOnSignal(folder)
        defer {
            for source in signalSources { source.cancel() }
            try? FileManager.default.removeItem(atPath: folder)
        }
        guard let (old, _) = BatchBenchmark.loadRules(into: folder) else { return 1 }
        let (newFolder, change) = changedCopy(of: folder + "/rules", into: folder + "/new")
        guard case .success(let loaded) = RuleLoader.load(path: newFolder), !loaded.hasErrors else {
            print("soe-bench diff: the changed rules do not check")
            return 1
        }
        let csv = folder + "/firms.csv"
        let small = folder + "/firms-100k.csv"
        let columns = ["id", "name", "cvr", "fiscal_year"] + BatchBenchmark.unionOfInputs(old).map(\.name)
        BatchBenchmark.generate(rows: rows, columns: columns, ruleSets: old, to: csv)
        BatchBenchmark.generate(rows: min(rows, 100_000), columns: columns, ruleSets: old, to: small)
        print("soe-bench diff: \(BatchBenchmark.grouped(rows)) firms, \(change)")

        let pairing = RuleSetPairing.match(old: old, new: loaded.ruleSets)
        var summary: BatchSummary?
        for threads in Set([1, jobs]).sorted() {
            var options = BatchOptions(sourceName: csv)
            options.jobs = threads
            let sink = CountingSink()
            let context = DiffContext(
                oldRules: "rules", newRules: "new", source: csv, asOf: nil, onlyOld: [], onlyNew: [], hashes: [],
                language: .english)
            let time = BatchBenchmark.seconds {
                guard let input = FileHandle(forReadingAtPath: csv) else { return }
                defer { try? input.close() }
                let end = DiffRunner(pairing: pairing, options: options, format: .csv)
                    .run(FileDescriptorSource(fileHandle: input), to: sink, context: context)
                if case .finished(let finished) = end { summary = finished }
            }
            let changed = summary.map { DiffTotals($0).changed } ?? 0
            BatchBenchmark.report(
                "diff in process, \(threads) thread\(threads == 1 ? "" : "s"), CSV output", time, rows, unit: "firms",
                note: "\(BatchBenchmark.grouped(changed)) changed, \(BatchBenchmark.grouped(sink.count)) bytes written")
        }
        let plain = BatchBenchmark.seconds {
            _ = BatchBenchmark.runBatch(csv, old, traces: nil, to: folder + "/results.csv", limit: nil)
        }
        BatchBenchmark.report("plain batch of the same rows under the old rules (one thread)", plain, rows, unit: "firms")

        guard FileManager.default.isExecutableFile(atPath: soe) else {
            print("  (no soe binary at \(soe); build it to measure the command and its memory)")
            return 0
        }
        var peaks: [(Int, BatchBenchmark.Child?)] = []
        for (file, count) in [(small, min(rows, 100_000)), (csv, rows)] {
            let child = BatchBenchmark.spawn(
                soe,
                [
                    "diff", "--old", folder + "/rules", "--new", newFolder, "--format", "csv", "--output", folder + "/diff.csv",
                    "--no-progress", "--jobs", String(jobs), file,
                ], pollMemory: true)
            peaks.append((count, child))
            if let child {
                BatchBenchmark.report(
                    "soe diff --format csv --output, \(BatchBenchmark.grouped(count)) rows, --jobs \(jobs)", child.seconds, count,
                    unit: "firms", note: String(format: "peak memory %.1f MB, exit %d", BatchBenchmark.mb(child), child.status))
            }
        }
        if peaks.count == 2 {
            print(
                String(
                    format: "  peak memory ratio, N rows to 100,000 rows: %.2f (target flat)",
                    BatchBenchmark.mb(peaks[1].1) / max(BatchBenchmark.mb(peaks[0].1), 0.001)))
        }
        return 0
    }

    /// A copy of the rules folder with one threshold changed; the change, as people read it.
    static func changedCopy(of rules: String, into target: String) -> (String, String) {
        try? FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        var change = "no threshold found to change"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: rules)) ?? [] where name.hasSuffix(".rules") {
            var text = (try? String(contentsOfFile: rules + "/" + name, encoding: .utf8)) ?? ""
            for parameter in ["market_share_min", "services_max"] {
                guard let start = text.range(of: "parameter \(parameter):"),
                    let value = text.range(of: "= 50 % from", range: start.upperBound..<text.endIndex)
                else { continue }
                text.replaceSubrange(value, with: "= 60 % from")
                change = "\(parameter) 50 % → 60 % in \(name)"
                break
            }
            try? text.write(toFile: target + "/" + name, atomically: true, encoding: .utf8)
        }
        return (target, change)
    }
}
