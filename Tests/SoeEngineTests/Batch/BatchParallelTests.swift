import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// A CSV batch on several threads gives the same bytes, in the same order, with the same counts, as
/// row by row: for bad rows, duplicates, blank lines, traces, and rounds that end mid-block.
@Suite("batch on several threads: the same output as row by row")
struct BatchParallelTests {
    /// Rows of every kind the runner treats differently, in a deterministic mix.
    /// With `closingDates`, a `fiscal_year_end` column too, some cells blank, some bad, some in
    /// another year than `fiscal_year`: the duplicate check must read the year as `bind` does.
    static func mixedInput(rows: Int, closingDates: Bool = false) -> String {
        var seed: UInt64 = 7
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let cvrs = ["13748136", "14381651", "14460845", "14540032", "14777601", "14223274", "13906513"]
        var lines = [BatchFixtures.header + (closingDates ? ",fiscal_year_end" : "")]
        for row in 0..<rows {
            let cvr = cvrs[next(cvrs.count)]
            let year = ["2024", "2023", "2019", ""][next(4)]
            let form = ["aps", "forening", "enkeltmandsvirksomhed", "", "nope"][next(5)]
            let turnover = ["1000.00", "0.00", "", "-1.00", "12,5"][next(5)]
            let sales = ["800.00", "400.00", "", "x"][next(4)]
            let staff = ["3", "0", "2.5", ""][next(4)]
            let share = ["10", "60", "150", ""][next(4)]
            let audited = ["true", "false", "", "ja"][next(4)]
            switch next(40) {
            case 0: lines.append("")  // blank: skipped
            case 1: lines.append("P\(row),too,few")  // too few fields
            default:
                let end = closingDates ? "," + ["", "2024-12-31", "2024-06-30", "bad", "2025-03-31", " 2019-12-31 "][next(6)] : ""
                lines.append("P\(row),Firma \(row),\(cvr),\(year),\(form),\(turnover),\(sales),\(staff),\(share),\(audited),note" + end)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func options(jobs: Int, blockSize: Int, traces: Bool = false) -> BatchOptions {
        var options = BatchOptions(outputFormat: traces ? .jsonl : .csv, traces: traces, sourceName: "test.csv")
        options.jobs = jobs
        options.blockSize = blockSize
        return options
    }

    @Test(
        "1,000 mixed rows: output and counts are those of one thread",
        arguments: [(2, 1, false), (2, 7, true), (3, 64, false), (3, 13, true), (4, 512, true)])
    func sameAsOneThread(jobs: Int, blockSize: Int, closingDates: Bool) {
        let input = BatchParallelTests.mixedInput(rows: 1_000, closingDates: closingDates)
        let (serialEnd, serial, _) = BatchFixtures.run(input, options: BatchParallelTests.options(jobs: 1, blockSize: blockSize))
        let (parallelEnd, parallel, _) = BatchFixtures.run(input, options: BatchParallelTests.options(jobs: jobs, blockSize: blockSize))
        #expect(parallel == serial)
        guard let one = BatchFixtures.summary(serialEnd), let many = BatchFixtures.summary(parallelEnd) else { return }
        #expect(many == one)
        #expect(many.isBalanced && many.rowsRead > 900 && many.rowsRejected > 0 && many.duplicates > 0 && many.blankRowsSkipped > 0)
    }

    @Test("with traces streamed, every row's trace is the same as one thread's")
    func tracesAreTheSame() {
        let input = BatchParallelTests.mixedInput(rows: 300)
        let (_, serial, _) = BatchFixtures.run(input, options: BatchParallelTests.options(jobs: 1, blockSize: 512, traces: true))
        let (_, parallel, _) = BatchFixtures.run(input, options: BatchParallelTests.options(jobs: 3, blockSize: 5, traces: true))
        #expect(parallel == serial)
        #expect(serial.contains("\"trace\":{"))
    }

    @Test("stopping ends after whole rounds: every result written is whole, and the counts add up")
    func interrupted() {
        let input = BatchParallelTests.mixedInput(rows: 500)
        let sink = MemorySink()
        var polls = 0
        let runner = BatchRunner(ruleSets: BatchFixtures.ruleSets(), options: BatchParallelTests.options(jobs: 2, blockSize: 50))
        let end = runner.run(
            ArraySource(Array(input.utf8)), to: sink,
            hooks: BatchHooks(shouldStop: {
                polls += 1
                return polls == 2
            }))
        guard case .interrupted(let summary) = end else {
            Issue.record("expected the batch to be interrupted, got \(end)")
            return
        }
        #expect(summary.isBalanced)
        #expect(summary.rowsRead > 0 && summary.rowsRead < 500)
        // The counts are those of the rows evaluated, not of the round read ahead.
        let firstRows = BatchParallelTests.mixedInput(rows: 500).split(separator: "\n", omittingEmptySubsequences: false)
        var whole = [String]()
        for line in firstRows.dropFirst() {
            whole.append(String(line))
            if whole.filter({ !$0.isEmpty }).count == summary.rowsRead { break }
        }
        let prefix = ([BatchFixtures.header] + whole).joined(separator: "\n") + "\n"
        let (serialEnd, serial, _) = BatchFixtures.run(prefix, options: BatchParallelTests.options(jobs: 1, blockSize: 512))
        #expect(BatchFixtures.summary(serialEnd) == summary)
        #expect(serial == sink.text)
        // A header line plus two results per row read, each a whole line.
        #expect(sink.text.split(separator: "\n", omittingEmptySubsequences: false).count == 1 + 2 * summary.rowsRead + 1)
    }

    /// Fails from its `failAt`-th write on.
    final class FailingSink: BatchSink {
        let failAt: Int
        private(set) var writes = 0
        private(set) var bytes: [UInt8] = []
        init(failAt: Int) { self.failAt = failAt }
        func write(_ bytes: [UInt8]) -> ToolError? {
            writes += 1
            guard writes < failAt else { return ToolError("cannot write results: no space left on device") }
            self.bytes += bytes
            return nil
        }
    }

    @Test("an output failure ends the batch with counts that add up, of the rows evaluated only")
    func outputFailure() {
        let input = BatchParallelTests.mixedInput(rows: 500)
        let sink = FailingSink(failAt: 4)
        let runner = BatchRunner(ruleSets: BatchFixtures.ruleSets(), options: BatchParallelTests.options(jobs: 2, blockSize: 40))
        guard case .outputFailed(let error, let summary) = runner.run(ArraySource(Array(input.utf8)), to: sink) else {
            Issue.record("expected the output to fail")
            return
        }
        #expect(error.message.contains("no space left"))
        #expect(summary.isBalanced && summary.rowsRead > 0 && summary.rowsRead < 500)
        // Blank lines and duplicates are those among the rows counted, as one thread counts them.
        let lines = input.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
        var prefix = [BatchFixtures.header]
        var rows = 0
        for line in lines where rows < summary.rowsRead {
            prefix.append(String(line))
            if !line.isEmpty { rows += 1 }
        }
        let (serialEnd, _, _) = BatchFixtures.run(
            prefix.joined(separator: "\n") + "\n", options: BatchParallelTests.options(jobs: 1, blockSize: 512))
        let serial = BatchFixtures.summary(serialEnd)
        #expect(serial?.duplicates == summary.duplicates)
        #expect(serial?.blankRowsSkipped == summary.blankRowsSkipped)
    }

    @Test("full soe-trace/1 documents per result on several threads are those of one thread")
    func fullTraces() {
        let input = BatchParallelTests.mixedInput(rows: 60)
        var one = BatchParallelTests.options(jobs: 1, blockSize: 512, traces: true)
        var three = BatchParallelTests.options(jobs: 3, blockSize: 4, traces: true)
        (one.traceFormat, three.traceFormat) = (.full, .full)
        let (_, serial, _) = BatchFixtures.run(input, options: one)
        let (_, parallel, _) = BatchFixtures.run(input, options: three)
        #expect(parallel == serial)
        #expect(serial.contains("\"schema\":\"soe-trace/1\""))
    }
}
