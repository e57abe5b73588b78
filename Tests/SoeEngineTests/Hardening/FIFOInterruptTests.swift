import Foundation
import SoeTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A signal that arrives while `soe evaluate` waits to open a FIFO given as `--output` (a named pipe
/// blocks until something reads it) is an interruption, exit 6, not a failure of the file.
///
/// Made reliable by waiting until the process is really blocked in the open: on Linux,
/// `/proc/PID/wchan` names the kernel function it sleeps in (`wait_for_partner`, in a FIFO's open). Where
/// that cannot be read, the test says so instead of guessing with a sleep.
@Suite("hardening: a signal while opening a FIFO output")
struct FIFOInterruptTests {
    @Test("SIGTERM while the batch waits for the FIFO's reader: exit 6, 'interrupted', nothing else written")
    func signalWhileOpening() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-fifo-signal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/results.csv"
        guard mkfifo(fifo, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        let firms = try Data(contentsOf: URL(fileURLWithPath: TestPaths.root + "/samples/batch/firms.csv"))

        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var binary = bundle.appendingPathComponent("soe").path
        if !FileManager.default.isExecutableFile(atPath: binary) { binary = TestPaths.root + "/.build/debug/soe" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["evaluate", "--rules", "rules/", "samples/batch/firms.csv", "--no-progress", "--output", fifo]
        process.currentDirectoryURL = URL(fileURLWithPath: TestPaths.root)
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier

        // Wait (up to 60 s on a busy machine) until it sleeps in the FIFO's open.
        var blocked = false
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            let wchan = (try? String(contentsOfFile: "/proc/\(pid)/wchan", encoding: .utf8)) ?? ""
            if wchan.contains("wait_for_partner") || wchan.contains("fifo") || wchan.contains("pipe") {
                blocked = true
                break
            }
            usleep(20_000)
        }
        guard blocked else {
            kill(pid, SIGKILL)
            process.waitUntilExit()
            Issue.record("soe never blocked opening the FIFO (or /proc/PID/wchan cannot be read here)")
            return
        }
        kill(pid, SIGTERM)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 6, "\(message)")
        #expect(message.contains("interrupted before any row was read"), "\(message)")
        // The FIFO is still a FIFO, the input is intact, and nothing else was left in the folder.
        let type = try FileManager.default.attributesOfItem(atPath: fifo)[.type] as? FileAttributeType
        #expect(type != .typeRegular)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["results.csv"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: TestPaths.root + "/samples/batch/firms.csv")) == firms)
    }
}
