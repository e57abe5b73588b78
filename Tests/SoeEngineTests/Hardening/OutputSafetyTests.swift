import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Issue 17, class 1: output that destroys input. `--output` never replaces one of the command's
/// own inputs, by whatever path or link it is named, nor a write-protected file; a file replaced
/// keeps its permissions; temporary files left by a killed run are cleaned up by the next one; and
/// SIGHUP removes the partial output as SIGTERM does.
@Suite("hardening: --output never destroys an input")
struct OutputSafetyTests {
    /// One way of naming an input as the output: a shell command run in the workspace, after
    /// `setup`, with the words the refusal must say.
    struct Case: Sendable, CustomTestStringConvertible {
        var note: String
        var setup: String = ":"
        var command: String
        var says: [String]
        var testDescription: String { note }
    }

    static let cases: [Case] = [
        Case(
            note: "a batch CSV given as its own output", command: "\"$SOE\" evaluate --rules rules firms.csv --output firms.csv",
            says: ["--output firms.csv is the input file firms.csv;", "Nothing was written"]),
        Case(
            note: "a firm JSON given as its own output",
            command: "\"$SOE\" evaluate --rules rules fonden.json --output fonden.json",
            says: ["--output fonden.json is the input file fonden.json;"]),
        Case(
            note: "a symbolic link to the firm file", setup: "ln -s fonden.json link.json",
            command: "\"$SOE\" evaluate --rules rules fonden.json --output link.json",
            says: ["--output link.json is the input file fonden.json, the same file by another path or link"]),
        Case(
            note: "a hard link to the batch file", setup: "ln firms.csv hard.csv",
            command: "\"$SOE\" evaluate --rules rules firms.csv --output hard.csv",
            says: ["--output hard.csv is the input file firms.csv, the same file by another path or link"]),
        Case(
            note: "a rule file of the --rules folder", command: "\"$SOE\" evaluate --rules rules fonden.json --output rules/rsv_2014.rules",
            says: ["--output rules/rsv_2014.rules is the input file rules/rsv_2014.rules;"]),
        Case(
            note: "a rule test beside the rules of the --rules folder", setup: "mkdir -p rules/tests && cp firms.csv rules/tests/mine.csv",
            command: "\"$SOE\" evaluate --rules rules firms.csv --output rules/tests/mine.csv",
            says: ["--output rules/tests/mine.csv is the input file rules/tests/mine.csv;"]),
        Case(
            note: "a rule test beside a named rule file", setup: "mkdir -p rules/tests && cp fonden.json rules/tests/mine.json",
            command: "\"$SOE\" evaluate --rules rules/rsv_2014.rules fonden.json --output rules/tests/mine.json",
            says: ["--output rules/tests/mine.json is the input file rules/tests/mine.json;"]),
        Case(
            note: "the rule file a named rule file builds on",
            command: "\"$SOE\" evaluate --rules rules/haderslev_2021.rules fonden.json --output rules/rsv_2014.rules",
            says: ["--output rules/rsv_2014.rules is the input file rules/rsv_2014.rules;"]),
        Case(
            note: "a rule file given with a second --rules",
            command:
                "\"$SOE\" evaluate --rules rules/rsv_2014.rules --rules rules/anden_aktoer.rules fonden.json --output ./rules/anden_aktoer.rules",
            says: ["is the input file rules/anden_aktoer.rules, the same file by another path or link"]),
        Case(
            note: "standard input redirected from the output file",
            command: "\"$SOE\" evaluate --rules rules --input-format csv - --output firms.csv < firms.csv",
            says: ["--output firms.csv is standard input (redirected from that file);"]),
        Case(
            note: "a record format output onto the firm file",
            command: "\"$SOE\" evaluate --rules rules --format record fonden.json --output fonden.json",
            says: ["--output fonden.json is the input file fonden.json;"]),
    ]

    @Test("an input named as --output is refused with exit 2, every file byte-identical, no temporary file", arguments: cases)
    func inputAsOutput(_ testCase: Case) throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Hardening.shell(testCase.setup, in: folder)
        let before = Hardening.snapshot(folder)
        let run = try Hardening.shell(testCase.command, in: folder)
        #expect(run.exitCode == 2, "\(run.stderr)")
        for words in testCase.says { #expect(run.stderr.contains(words), "\(run.stderr)") }
        #expect(run.stdout.isEmpty && !run.crashed)
        #expect(Hardening.snapshot(folder) == before)
    }

    @Test("a write-protected output file is not replaced: exit 5, it says so, and the file is as it was")
    func writeProtected() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Hardening.shell("echo 'kept' > results.csv && chmod 444 results.csv", in: folder)
        let before = Hardening.snapshot(folder)
        for input in ["firms.csv", "fonden.json"] {
            let run = try Hardening.shell("\"$SOE\" evaluate --rules rules \(input) --output results.csv", in: folder)
            #expect(run.exitCode == 5, "\(run.stderr)")
            #expect(run.stderr.contains("cannot write results.csv: the file is write-protected (mode 444); it was left as it was"))
            #expect(Hardening.snapshot(folder) == before)
        }
    }

    @Test("a replaced output file keeps its permissions, single firm and batch alike", arguments: ["fonden.json", "firms.csv"])
    func keepsPermissions(input: String) throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Hardening.shell("echo old > results.txt && chmod 640 results.txt", in: folder)
        let run = try Hardening.shell("\"$SOE\" evaluate --rules rules \(input) --output results.txt", in: folder)
        #expect(run.exitCode == 0 || run.exitCode == 4, "\(run.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/results.txt")
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
        #expect(try String(contentsOfFile: folder + "/results.txt", encoding: .utf8) != "old\n")
        #expect(!Hardening.snapshot(folder).keys.contains { $0.contains(".soe-tmp-") })
    }

    @Test("an output name near the file system's 255 bytes is written: its temporary file's name is cut, and still recognised")
    func longOutputName() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let name = String(repeating: "b", count: 246) + "æø.csv"  // 254 bytes, two letters of two bytes each
        let run = try Hardening.shell("\"$SOE\" evaluate --rules rules firms.csv --output \(name)", in: folder)
        #expect(run.exitCode == 0 || run.exitCode == 4, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/" + name))
        #expect(!Hardening.snapshot(folder).keys.contains { $0.contains(".soe-tmp-") })
        let template = TemporaryFiles.template(for: folder + "/" + name)
        let file = String(template.split(separator: "/").last ?? "")
        #expect(file.utf8.count <= 255 && file.hasPrefix(".bbbb"))
        #expect(String(decoding: Array(file.utf8), as: UTF8.self) == file, "cut at a character's end")
        let made = file.replacingOccurrences(of: "XXXXXX", with: "abc123")
        #expect(TemporaryFiles.process(inName: made) == getpid())
    }

    /// The id of a process that has ended: it names no process now.
    static func endedProcess() throws -> Int32 {
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        return gone.processIdentifier
    }

    @Test("a temporary file of a killed run is removed by the next run into that folder; one of a live process is reported")
    func staleTemporaryFiles() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let stale = ".results.csv.soe-tmp-\(try Self.endedProcess())-a1b2c3"
        let live = ".other.csv.soe-tmp-\(getpid())-d4e5f6"
        _ = try Hardening.shell("echo half > \(stale) && echo half > \(live)", in: folder)
        let run = try Hardening.shell("\"$SOE\" evaluate --rules rules firms.csv --output results.csv", in: folder)
        #expect(run.exitCode == 0 || run.exitCode == 4, "\(run.stderr)")
        #expect(run.stderr.contains("removed ") && run.stderr.contains(stale + ", a temporary file left by an interrupted run"))
        #expect(run.stderr.contains(live + " is a temporary file of process \(getpid()), which still runs; left as it is"))
        let names = Set(Hardening.snapshot(folder).keys)
        #expect(!names.contains(stale) && names.contains(live) && names.contains("results.csv"))
    }

    @Test("a temporary file whose writer's lock is held is left, though its process id names no process here (another PID namespace)")
    func lockedTemporaryFile() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A run in a container on a shared folder: its id is not one this namespace knows, but it
        // holds its lock, as `AtomicFileSink` takes it.
        let other = ".results.csv.soe-tmp-\(try Self.endedProcess())-z9y8x7"
        _ = try Hardening.shell("echo writing > \(other)", in: folder)
        let fd = open(folder + "/" + other, O_RDWR)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        #expect(TemporaryFiles.isLocked(folder + "/" + other))
        let run = try Hardening.shell("\"$SOE\" evaluate --rules rules firms.csv --output results.csv", in: folder)
        #expect(run.exitCode == 0 || run.exitCode == 4, "\(run.stderr)")
        #expect(!run.stderr.contains("removed "), "\(run.stderr)")
        #expect(Hardening.snapshot(folder).keys.contains(other))
        close(fd)
        #expect(!TemporaryFiles.isLocked(folder + "/" + other))
        // The lock let go (the run ended), the next run removes it as stale.
        let after = try Hardening.shell("\"$SOE\" evaluate --rules rules firms.csv --output results.csv", in: folder)
        #expect(after.stderr.contains("removed ") && after.stderr.contains(other), "\(after.stderr)")
    }

    /// Starts a batch on endless rows (`yes '{}'`) writing `--output results.jsonl` in `folder`, waits
    /// until its temporary file exists, sends `signal`, and collects the run.
    static func signalBusyBatch(in folder: String, signal: Int32) throws -> Hardening.Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Hardening.binary)
        process.arguments = ["evaluate", "--rules", "rules", "--input-format", "jsonl", "--output", "results.jsonl", "-"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C"]
        let rows = Process()
        rows.executableURL = URL(fileURLWithPath: "/usr/bin/yes")
        rows.arguments = ["{}"]
        let pipe = Pipe()
        rows.standardOutput = pipe
        process.standardInput = pipe
        try rows.run()
        defer {
            rows.terminate()
            rows.waitUntilExit()
        }
        return try Hardening.collect(process, timeout: 60) { process in
            #expect(Hardening.waitForHandler(process.processIdentifier, signal: SIGTERM))
            // Until the temporary file exists, the batch has not begun.
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, !Hardening.snapshot(folder).keys.contains(where: { $0.contains(".soe-tmp-") }) { usleep(20_000) }
            kill(process.processIdentifier, signal)
        }
    }

    @Test("a run killed outright (SIGKILL) leaves a temporary file named for it, and the next run removes it")
    func killedRun() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let killed = try OutputSafetyTests.signalBusyBatch(in: folder, signal: SIGKILL)
        #expect(killed.exitCode == SIGKILL)
        let left = Hardening.snapshot(folder).keys.filter { $0.hasPrefix(".results.jsonl.soe-tmp-") }
        #expect(left.count == 1, "\(left)")
        #expect(!Hardening.snapshot(folder).keys.contains("results.jsonl"))
        let next = try Hardening.shell("\"$SOE\" evaluate --rules rules fonden.json --output results.txt", in: folder)
        #expect(next.exitCode == 0, "\(next.stderr)")
        for name in left {
            #expect(next.stderr.contains("/\(name), a temporary file left by an interrupted run (process "), "\(next.stderr)")
        }
        #expect(!Hardening.snapshot(folder).keys.contains { $0.contains(".soe-tmp-") })
    }

    @Test("SIGHUP during a batch is handled like SIGTERM: exit 6, the partial output and its temporary file removed")
    func hangUp() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = Hardening.snapshot(folder)
        let run = try OutputSafetyTests.signalBusyBatch(in: folder, signal: SIGHUP)
        #expect(run.exitCode == 6, "\(run.stderr)")
        #expect(run.stderr.contains("interrupted after ") && run.stderr.contains("the partial output was removed"))
        #expect(Hardening.snapshot(folder) == before)
    }
}
