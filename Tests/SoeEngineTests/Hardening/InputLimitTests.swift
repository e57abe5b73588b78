import Foundation
import SoeTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 17, class 3: unbounded input. Every whole-file read stops at a documented limit, named in
/// the message (16 MiB for a firm, from a file or standard input); a JSON Lines line stops at
/// 1 MiB; and SIGTERM or SIGINT ends a run promptly, exit 6, while it reads an endless stream or
/// an endless line, leaving no partial output.
@Suite("hardening: bounded input, and signals while reading")
struct InputLimitTests {
    @Test(
        "a firm from an endless or oversized stream stops at 16 MiB with the limit in the message, exit 5",
        arguments: [
            "head -c 17000000 /dev/zero | \"$SOE\" evaluate --rules rules -",
            "\"$SOE\" evaluate --rules rules - < /dev/zero",
            "yes | \"$SOE\" evaluate --rules rules -",
            // A named pipe without end (a device named so is refused as a device: DamagedTextTests).
            "mkfifo endless && (timeout 60 cat /dev/zero > endless 2>/dev/null &) && \"$SOE\" evaluate --rules rules endless",
            "\"$SOE\" evaluate --rules rules --format record fonden.json --output r.json && mkfifo endless"
                + " && (timeout 60 cat /dev/zero > endless 2>/dev/null &) && \"$SOE\" verify r.json --rules rules endless",
        ])
    func firmLimit(command: String) throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Hardening.shell(command, in: folder, timeout: 60)
        #expect(run.exitCode == 5, "\(run.stderr)")
        #expect(run.stderr.contains("it holds more than 16777216 bytes (16 MiB), the limit"), "\(run.stderr)")
        #expect(run.stdout.isEmpty && !run.crashed)
    }

    @Test("a rule file from a pipe without end stops at the rule file limit of 8 MiB, exit 5")
    func ruleFileLimit() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try Hardening.shell(
            "mkfifo endless.rules && (timeout 60 cat /dev/zero > endless.rules 2>/dev/null &) && \"$SOE\" check endless.rules", in: folder)
        #expect(run.exitCode == 5, "\(run.stderr)")
        #expect(run.stderr.contains("cannot read endless.rules: it holds more than 8388608 bytes (8 MiB), the limit"), "\(run.stderr)")
    }

    @Test("a JSON Lines line over 1 MiB is a rejected row naming the limit; the next line is evaluated")
    func longLine() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let long = "{\"name\": \"" + String(repeating: "a", count: 2 << 20) + "\"}"
        let good = try String(contentsOfFile: folder + "/fonden.json", encoding: .utf8).split(separator: "\n").joined(separator: " ")
        try (long + "\n" + good + "\n").write(toFile: folder + "/firms.jsonl", atomically: true, encoding: .utf8)
        let run = try Hardening.shell("\"$SOE\" evaluate --rules rules --ruleset rsv_2014 firms.jsonl --format jsonl", in: folder)
        #expect(run.exitCode == 4, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n")
        #expect(rows.count == 2)
        #expect(rows.first?.contains("the line is longer than 1048576 bytes") == true)
        #expect(rows.last?.contains("\"status\":\"determined\"") == true, "\(rows.last ?? "")")
    }

    /// Starts `soe` with `arguments` in `folder`, reading from `input`; once its handler for
    /// `signal` is in place and `ready` says so, sends the signal and collects the run.
    static func interrupt(
        _ arguments: [String], in folder: String, input: Any, signal: Int32,
        ready: @escaping () -> Bool = { true }
    ) throws -> Hardening.Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Hardening.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C"]
        process.standardInput = input
        var sent = Date()
        var run = try Hardening.collect(process, timeout: 60) { process in
            #expect(Hardening.waitForHandler(process.processIdentifier, signal: signal))
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, !ready() { usleep(20_000) }
            // Let it read for a while: the signal must stop a loop that is running, not one about to start.
            usleep(300_000)
            sent = Date()
            kill(process.processIdentifier, signal)
        }
        run.seconds = Date().timeIntervalSince(sent)
        return run
    }

    @Test("SIGTERM while a single firm is read from a silent standard input: exit 6 at once, nothing written")
    func silentStandardInput() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pipe = Pipe()
        feed(Data("{\"name\": \"Half".utf8), to: pipe.fileHandleForWriting)
        let run = try InputLimitTests.interrupt(["evaluate", "--rules", "rules", "-"], in: folder, input: pipe, signal: SIGTERM)
        try pipe.fileHandleForWriting.close()
        #expect(run.exitCode == 6, "\(run.stderr)")
        #expect(run.stderr.contains("interrupted"))
        #expect(run.stdout.isEmpty && run.seconds < 5)
    }

    @Test(
        "SIGTERM or SIGINT while a batch reads an endless line or endless rows: exit 6 promptly, no output, no temporary file",
        arguments: [
            (["--input-format", "jsonl"], "/dev/zero", SIGTERM),
            (["--input-format", "csv"], "silent", SIGINT),
            (["--input-format", "jsonl"], "yes", SIGTERM),
        ] as [([String], String, Int32)])
    func endlessBatch(flags: [String], source: String, signal: Int32) throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = Hardening.snapshot(folder)
        var feeder: Process?
        let input: Any
        if source == "yes" {
            let rows = Process()
            rows.executableURL = URL(fileURLWithPath: "/usr/bin/yes")
            rows.arguments = ["{}"]
            let pipe = Pipe()
            rows.standardOutput = pipe
            try rows.run()
            feeder = rows
            input = pipe
        } else if source == "silent" {
            // The header and a row, then nothing: the pipe stays open, as a stalled sender's would.
            let pipe = Pipe()
            let firms = try String(contentsOfFile: folder + "/firms.csv", encoding: .utf8).split(separator: "\n")
            feed(Data((firms.prefix(2).joined(separator: "\n") + "\n").utf8), to: pipe.fileHandleForWriting)
            input = pipe
        } else {
            input = try #require(FileHandle(forReadingAtPath: source))
        }
        defer {
            feeder?.terminate()
            feeder?.waitUntilExit()
        }
        let run = try InputLimitTests.interrupt(
            ["evaluate", "--rules", "rules"] + flags + ["--output", "results.out", "-"], in: folder, input: input, signal: signal
        ) { Hardening.snapshot(folder).keys.contains { $0.contains(".soe-tmp-") } }
        #expect(run.exitCode == 6, "\(run.stderr)")
        #expect(run.stderr.contains("interrupted after"), "\(run.stderr)")
        #expect(run.stdout.isEmpty && run.seconds < 5 && !run.crashed)
        #expect(Hardening.snapshot(folder) == before)
    }
}
