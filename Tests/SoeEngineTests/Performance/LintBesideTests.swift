import Foundation
import SoeTestSupport
import Testing

@testable import SoeCLI
@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// `soe evaluate` works out the lint errors of its rules on a thread of their own, beside the
/// evaluation, and owes them to the console first (`RuleTruth.oweLintErrors`, `Console.putFirst`):
/// what each stream receives, and the order of the writes across both, must be what printing them
/// at once gave (docs/benchmark.md, "Steps of wave 3, session 10: cold start").
@Suite("cold start: the lint errors of evaluate worked out beside the evaluation")
struct LintBesideTests {
    /// Every write to a console, in order, tagged with its stream.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var writes: [String] = []
        var entries: [String] { lock.withLock { writes } }
        func add(_ entry: String) { lock.withLock { writes.append(entry) } }
        var console: Console { Console(out: { self.add("out:" + $0) }, error: { self.add("err:" + $0) }) }
    }

    /// A readiness the test sets by hand.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false
        var isRaised: Bool { lock.withLock { raised } }
        func raise() { lock.withLock { raised = true } }
    }

    @Test("owed lines come first; standard error is held while they are not ready, up to its limit")
    func owedLinesComeFirst() {
        let log = Log()
        let console = log.console
        let flag = Flag()
        console.putFirst(ready: { flag.isRaised }, lines: { ["A\n", "B\n"] })
        console.error("c\n")
        console.errorLine("d")
        #expect(log.entries.isEmpty, "standard error is held while the owed lines are not ready")
        flag.raise()
        console.error("e\n")
        #expect(log.entries == ["err:A\n", "err:B\n", "err:c\n", "err:d\n", "err:e\n"])

        // A write to standard output waits for the owed lines and what was held.
        let log2 = Log()
        let console2 = log2.console
        console2.putFirst(ready: { false }, lines: { ["F\n"] })
        console2.error("g\n")
        console2.out("h\n")
        console2.error("i\n")
        #expect(log2.entries == ["err:F\n", "err:g\n", "out:h\n", "err:i\n"])

        // Past the limit a write to standard error waits too; settling twice writes nothing more.
        let log3 = Log()
        let console3 = log3.console
        let long = String(repeating: "x", count: Console.heldLimit) + "\n"
        console3.putFirst(ready: { false }, lines: { ["J\n"] })
        console3.error("k\n")
        console3.error(long)
        #expect(log3.entries == ["err:J\n", "err:k\n", "err:" + long])
        console3.settle()
        console3.settle()
        #expect(log3.entries.count == 3)

        // The thread that works the lines out settles as soon as they are: what was held is
        // written then, not only at the next write (a batch reading a pipe may not write again).
        let log5 = Log()
        let console5 = log5.console
        let flag5 = Flag()
        console5.putFirst(ready: { flag5.isRaised }, lines: { ["M\n"] })
        console5.error("n\n")
        DispatchQueue(label: "soe.test.settle").sync {
            flag5.raise()
            console5.settle()
        }
        #expect(log5.entries == ["err:M\n", "err:n\n"])
        console5.error("o\n")
        #expect(log5.entries == ["err:M\n", "err:n\n", "err:o\n"])

        // Settling writes what is owed and held when nothing else is written.
        let log4 = Log()
        let console4 = log4.console
        console4.putFirst(ready: { false }, lines: { [] })
        console4.error("l\n")
        #expect(log4.entries.isEmpty)
        console4.settle()
        #expect(log4.entries == ["err:l\n"])
    }

    /// Counts calls from any thread.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func add() { lock.withLock { count += 1 } }
    }

    @Test("the owed lines are worked out once, by the thread started for them or by the one that needs them first")
    func pendingLinesWorkedOutOnce() {
        let calls = Counter()
        let stolen = PendingLines {
            calls.add()
            return ["a\n"]
        }
        #expect(stolen.wait() == ["a\n"], "the caller works the lines out when no thread has begun to")
        #expect(!stolen.work(), "the thread started for them finds them taken")
        #expect(calls.value == 1)
        let handed = PendingLines {
            calls.add()
            return ["b\n"]
        }
        DispatchQueue(label: "soe.test.work").sync { #expect(handed.work()) }
        #expect(handed.isReady && handed.wait() == ["b\n"])
        #expect(calls.value == 2)
        for round in 0..<300 {
            let raced = PendingLines {
                calls.add()
                return ["\(round)\n"]
            }
            let group = DispatchGroup()
            DispatchQueue(label: "soe.test.race").async(group: group) { _ = raced.work() }
            #expect(raced.wait() == ["\(round)\n"])
            group.wait()
        }
        #expect(calls.value == 302, "each worked out once")
    }

    /// `soe evaluate` with the lint beside and before, on generated classifications (many with
    /// unreachable outcomes or impossible conditions), every check's examples and the repository's
    /// rule files: the same exit code and the same writes in the same order, for a batch to a file,
    /// a batch to standard output and one firm.
    @Test("evaluate writes the same with the lint beside as before it, on generated and written rules")
    func sameOutputBesideAndBefore() throws {
        let folder = NSTemporaryDirectory() + "soe-beside-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var rules: [String] = []
        for seed in 0..<60 {
            let path = folder + "/generated\(seed).rules"
            let text = SyntheticRules.ruleFile(criteria: 2 + seed % 5, outcomes: 2 + seed % 9, seed: UInt64(seed))
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            rules.append(path)
        }
        for (index, example) in LintErrorChecksTests.examples.enumerated() {
            for (part, source) in example.sources.enumerated() {
                let path = folder + "/example\(index)-\(part).rules"
                try Data(source.bytes).write(to: URL(fileURLWithPath: path))
                rules.append(path)
            }
        }
        rules += LintErrorChecksTests.ruleFiles.filter { $0.contains("/rules/") || $0.contains("/samples/") }
        let csv = folder + "/firms.csv"
        try "id,fiscal_year,m0,p0,n0,b0,k0,municipal_share\nF1,2024,1000,50,3,true,aps,60\nF2,2024,,101,x,maybe,zz,\n".write(
            toFile: csv, atomically: true, encoding: .utf8)
        let json = folder + "/firm.json"
        try #"{"name": "F1", "fiscal_year": 2024, "m0": "1000.00", "b0": true, "municipal_share": 60}"#.write(
            toFile: json, atomically: true, encoding: .utf8)
        var warned = 0
        for path in rules {
            for arguments in [
                ["--rules", path, csv, "--output", folder + "/out.csv"], ["--rules", path, csv, "--lang", "da"],
                ["--rules", path, json],
            ] {
                var runs: [(ExitCode, [String], String?)] = []
                for beside in [false, true] {
                    try? FileManager.default.removeItem(atPath: folder + "/out.csv")
                    let log = Log()
                    let code = EvaluateCommand.run(arguments, console: log.console, environment: [:], lintBeside: beside)
                    runs.append((code, log.entries, try? String(contentsOfFile: folder + "/out.csv", encoding: .utf8)))
                }
                #expect(runs[0].0 == runs[1].0, "\(arguments)")
                #expect(runs[0].1 == runs[1].1, "\(arguments)")
                #expect(runs[0].2 == runs[1].2, "\(arguments)")
                if runs[0].1.contains(where: { $0.contains("soe lint") }) { warned += 1 }
            }
        }
        #expect(warned >= 30, "the rules have lint errors for evaluate to report")
    }

    /// What may wait for its input (a signal then ends the process at once) or write past the
    /// console makes `evaluate` write the owed lint errors first (review of h-cold11): else they
    /// could be lost, or come after results written to `/dev/stdout`.
    @Test("the owed lines are written first before an input that may wait or an output past the console")
    func settlesFirstBeforeWaitingOrWritingPast() throws {
        let folder = NSTemporaryDirectory() + "soe-settle-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = folder + "/firms.csv"
        try "id\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let fifo = folder + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let out = folder + "/out.csv"
        // Regular files in, a file written by a rename out: the lines may come while evaluating.
        #expect(!EvaluateCommand.settlesFirst(inputs: [csv], output: nil))
        #expect(!EvaluateCommand.settlesFirst(inputs: [csv, csv], output: out))
        // Standard input, a FIFO, a folder or a missing path in; a descriptor, device or FIFO out.
        for input in ["-", fifo, folder, folder + "/missing.csv"] {
            #expect(EvaluateCommand.settlesFirst(inputs: [csv, input], output: out), "\(input)")
        }
        for output in ["/dev/stdout", "/dev/stderr", "/dev/fd/1", "/proc/self/fd/2", "/dev/null", fifo] {
            #expect(EvaluateCommand.settlesFirst(inputs: [csv], output: output), "\(output)")
        }
    }
}
