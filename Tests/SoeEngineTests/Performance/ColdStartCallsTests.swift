import Foundation
import SoeTestSupport
import Testing

@testable import SoeCLI
@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// A one-firm run's system calls (docs/benchmark.md, "Steps of wave 3, session 13: cold start,
/// system calls"): `evaluate` looks at its output path once for the checks before the batch, and
/// a batch's result buffer starts small and its last buffer is handed over without a new one made
/// in its place. The same answers and the same bytes as before.
@Suite("cold start: the output looked at once, the result buffer's room")
struct ColdStartCallsTests {
    /// A folder with the paths an output may name: files, links to them and to nothing, a folder, a
    /// FIFO, a write-protected file, and the process's own descriptors and devices.
    static func paths(in folder: String) throws -> (outputs: [String], inputs: [String]) {
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        let csv = folder + "/firms.csv"
        try "id\n1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let rules = folder + "/sub/a.rules"
        try "# rules\n".write(toFile: rules, atomically: true, encoding: .utf8)
        let old = folder + "/old.csv"
        try "old\n".write(toFile: old, atomically: true, encoding: .utf8)
        let locked = folder + "/locked.csv"
        try "locked\n".write(toFile: locked, atomically: true, encoding: .utf8)
        #expect(chmod(locked, 0o444) == 0)
        let fifo = folder + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(symlink(csv, folder + "/link-to-input") == 0)
        #expect(symlink("sub/a.rules", folder + "/relative-link-to-rules") == 0)
        #expect(symlink(folder + "/not-yet.csv", folder + "/link-to-nothing") == 0)
        #expect(symlink(folder + "/link-to-input", folder + "/link-to-link") == 0)
        #expect(symlink(folder + "/sub", folder + "/link-to-folder") == 0)
        let outputs = [
            csv, rules, old, locked, fifo, folder + "/new.csv", folder + "/sub/new.csv", folder + "/missing/new.csv",
            folder + "/link-to-input", folder + "/relative-link-to-rules", folder + "/link-to-nothing",
            folder + "/link-to-link", folder + "/link-to-folder", folder + "/link-to-folder/a.rules", folder, folder + "/sub",
            folder + "/./sub/../firms.csv", "/dev/null", "/dev/stdout", "/dev/stderr", "/dev/fd/1", "/proc/self/fd/2",
            "/dev/zero", "/proc/version", "/dev/shm", "-",
        ]
        return (outputs, [csv, rules, "-", fifo, folder + "/missing.csv", folder])
    }

    @Test("refusal and settlesFirst with the output looked at once answer as with a look each")
    func outputLookedAtOnce() throws {
        let folder = NSTemporaryDirectory() + "soe-output-once-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (outputs, inputs) = try ColdStartCallsTests.paths(in: folder)
        var compared = 0
        for output in outputs {
            let target = OutputTarget.of(output)
            for count in 0...2 {
                // Every run of `count` inputs from the list, the first one rotated through it.
                for start in count == 0 ? [0] : Array(inputs.indices) {
                    let chosen = (0..<count).map { inputs[(start + $0) % inputs.count] }
                    let once = OutputGuard.refusal(output: output, target: target, inputs: chosen, command: "evaluate")
                    let each = OutputGuard.refusal(output: output, inputs: chosen, command: "evaluate")
                    #expect(once?.0 == each?.0 && once?.1 == each?.1, "refusal: \(output) \(chosen)")
                    let settlesOnce = EvaluateCommand.settlesFirst(inputs: chosen, target: output == "-" ? nil : target)
                    let settlesEach = EvaluateCommand.settlesFirst(inputs: chosen, output: output == "-" ? nil : output)
                    #expect(settlesOnce == settlesEach, "settlesFirst: \(output) \(chosen)")
                    compared += 1
                }
            }
        }
        #expect(settlesFirstCases(folder: folder), "the cases of LintBesideTests")
        #expect(compared > 200)
    }

    /// The answers `LintBesideTests.settlesFirstBeforeWaitingOrWritingPast` expects, through the
    /// target taken once.
    func settlesFirstCases(folder: String) -> Bool {
        let csv = folder + "/firms.csv"
        let file = OutputTarget.of(folder + "/out.csv")
        guard !EvaluateCommand.settlesFirst(inputs: [csv], target: nil),
            !EvaluateCommand.settlesFirst(inputs: [csv, csv], target: file)
        else { return false }
        for output in ["/dev/stdout", "/dev/null", folder + "/fifo"]
        where !EvaluateCommand.settlesFirst(inputs: [csv], target: OutputTarget.of(output)) {
            return false
        }
        return EvaluateCommand.settlesFirst(inputs: [csv, "-"], target: file)
    }

    @Test("the sweep with the output looked at once removes what a look of its own removes")
    func sweepLookedAtOnce() throws {
        for once in [false, true] {
            let folder = NSTemporaryDirectory() + "soe-sweep-once-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
            // A temporary file of a process that is gone (pid far above any in use), beside the
            // file a link leads to, not beside the link.
            let stale = folder + "/sub/.out.csv\(TemporaryFiles.marker)999999999-abcdef"
            try "half\n".write(toFile: stale, atomically: false, encoding: .utf8)
            let besideLink = folder + "/.out.csv\(TemporaryFiles.marker)999999999-ghijkl"
            try "half\n".write(toFile: besideLink, atomically: false, encoding: .utf8)
            #expect(symlink(folder + "/sub/out.csv", folder + "/link.csv") == 0)
            let console = Console(out: { _ in }, error: { _ in })
            let output = folder + "/link.csv"
            if once {
                OutputGuard.sweep(beside: output, target: OutputTarget.of(output), command: "evaluate", console: console)
            } else {
                OutputGuard.sweep(beside: output, command: "evaluate", console: console)
            }
            #expect(!FileManager.default.fileExists(atPath: stale), "swept beside the resolved output (once: \(once))")
            #expect(FileManager.default.fileExists(atPath: besideLink), "left beside the link (once: \(once))")
        }
    }

    /// A sink that records every write it gets.
    final class Recorder: BatchSink {
        var writes: [[UInt8]] = []
        func write(_ bytes: [UInt8]) -> ToolError? {
            writes.append(bytes)
            return nil
        }
    }

    @Test("the last buffer is handed over as it is, and no buffer of its room is made in its place")
    func lastBufferHandedOver() {
        let ruleSets = BatchFixtures.ruleSets()
        for size in [1, 600, BatchResultWriter.firstRoom + 1, BatchRunner.flushThreshold - 1] {
            for background in [false, true] {
                var session = BatchSession(
                    ruleSets: ruleSets, options: BatchOptions(sourceName: "test.csv"), separator: UInt8(ascii: ","),
                    streams: [], traceSources: { _, _ in [] })
                #expect(session.writer.bytes.capacity >= BatchResultWriter.firstRoom)
                #expect(session.writer.bytes.capacity < 1 << 17, "the first room comes from the heap, not mmap")
                let made = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
                session.writer.bytes.append(contentsOf: made)
                let recorder = Recorder()
                let sink = BackgroundSink(recorder)
                let end = session.end(.interrupted(session.summary), background ? sink : recorder)
                guard case .interrupted = end else {
                    Issue.record("the batch did not end as interrupted: \(end)")
                    continue
                }
                if background { #expect(sink.finish() == nil) }
                #expect(recorder.writes == [made], "size \(size), background \(background)")
                #expect(session.writer.bytes.isEmpty)
                #expect(session.writer.bytes.capacity == 0, "no room made after the last buffer (size \(size))")
            }
        }
    }

    @Test("a session of a batch on several threads has the full room from the start, one on one thread the first room")
    func roomByJobs() {
        for jobs in [1, 2, 4] {
            var options = BatchOptions(sourceName: "test.csv")
            options.jobs = jobs
            let session = BatchSession(
                ruleSets: BatchFixtures.ruleSets(), options: options, separator: UInt8(ascii: ","), streams: [],
                traceSources: { _, _ in [] })
            if jobs == 1 {
                #expect(session.writer.bytes.capacity < 1 << 17)
                #expect(session.flushAt == BatchResultWriter.firstRoom / 2)
            } else {
                #expect(session.writer.bytes.capacity >= BatchResultWriter.flushRoom, "jobs \(jobs)")
                #expect(session.flushAt == BatchRunner.flushThreshold, "jobs \(jobs)")
            }
        }
    }

    @Test("batches across the flush threshold write the same bytes through a background sink and in memory")
    func batchesAcrossTheThreshold() {
        let rows = (1...4_000).map { BatchFixtures.goodRow(id: "F\($0)", cvr: String(10_000_000 + $0 * 7)) }
        for count in [0, 1, 2, 10, 37, 200, 1_500, 4_000] {
            for layout in [BatchResultLayout.long, .wide] {
                let input = ([BatchFixtures.header] + rows.prefix(count)).joined(separator: "\n") + "\n"
                var options = BatchOptions(sourceName: "test.csv")
                options.layout = layout
                let memory = MemorySink()
                let recorder = Recorder()
                let background = BackgroundSink(recorder)
                let runner = BatchRunner(ruleSets: BatchFixtures.ruleSets(), options: options)
                let first = runner.run(ArraySource(Array(input.utf8)), to: memory, hooks: BatchHooks())
                let second = runner.run(ArraySource(Array(input.utf8)), to: background, hooks: BatchHooks())
                #expect(background.finish() == nil)
                #expect(BatchFixtures.summary(first)?.rowsRead == count && BatchFixtures.summary(second)?.rowsRead == count)
                let written = recorder.writes.flatMap { $0 }
                #expect(written == memory.bytes, "\(count) rows, \(layout)")
                // Every buffer but the last reached the threshold; the output holds every row, in order.
                #expect(recorder.writes.dropLast().allSatisfy { $0.count >= BatchRunner.flushThreshold })
                #expect(memory.bytes.count < BatchRunner.flushThreshold || recorder.writes.count > 1)
                // A few rows stay in the first room; more get a flush's worth of room at once, not
                // by doubling (every buffer written had it).
                let rooms = recorder.writes.map(\.capacity)
                if memory.bytes.count < BatchResultWriter.firstRoom / 2 {
                    #expect(rooms.allSatisfy { $0 < 1 << 17 }, "\(count) rows, \(layout): \(rooms)")
                } else {
                    #expect(rooms.allSatisfy { $0 >= BatchResultWriter.flushRoom }, "\(count) rows, \(layout): \(rooms)")
                }
                let ids = BatchFixtures.rows(memory.text).compactMap { $0.first { $0.hasPrefix("F") } }
                if layout == .wide {
                    #expect(ids == (0..<count).map { "F\($0 + 1)" }, "\(count) rows")
                } else {
                    #expect(Set(ids) == Set((0..<count).map { "F\($0 + 1)" }), "\(count) rows")
                }
            }
        }
    }
}
