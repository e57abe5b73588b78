import Foundation
import SoeTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the end-to-end hardening tests (issue 17) share: a scratch folder holding copies of the
/// project's rules and samples, a snapshot of every byte in it (hidden files too, so that a stray
/// temporary file shows), and runs of the built binary through `/bin/sh`, which is how a user
/// closes a stream (`>&-`) or breaks a pipe (`| head -1`).
enum Hardening {
    /// The `soe` executable beside the test bundle.
    static var binary: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("soe").path
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : TestPaths.root + "/.build/debug/soe"
    }

    /// A fresh folder with `rules/` (the project's three rule files), `fonden.json` and `firms.csv`.
    static func workspace() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-hard-\(UUID().uuidString)").path
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder + "/rules", withIntermediateDirectories: true)
        for name in ["rsv_2014.rules", "haderslev_2021.rules", "anden_aktoer.rules"] {
            try manager.copyItem(atPath: TestPaths.root + "/rules/" + name, toPath: folder + "/rules/" + name)
        }
        try manager.copyItem(atPath: TestPaths.root + "/samples/fonden.json", toPath: folder + "/fonden.json")
        try manager.copyItem(atPath: TestPaths.root + "/samples/batch/firms.csv", toPath: folder + "/firms.csv")
        return folder
    }

    /// Every file under `folder` (hidden ones included) with its bytes and permissions.
    static func snapshot(_ folder: String) -> [String: String] {
        var files: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return files }
        while let name = walker.nextObject() as? String {
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { continue }
            let bytes = FileManager.default.contents(atPath: path) ?? Data()
            files[name] = String(info.st_mode & 0o777, radix: 8) + " " + bytes.base64EncodedString()
        }
        return files
    }

    /// What one run printed and how it ended.
    struct Run {
        var stdout: String
        var stderr: String
        var exitCode: Int32
        var seconds: Double
        /// A trap, a crash or a sanitizer report: never acceptable, whatever the exit code.
        var crashed: Bool {
            ["Fatal error", "Trace/breakpoint", "Illegal instruction", "Segmentation", "Stack dump", "SUMMARY:"].contains {
                stderr.contains($0)
            }
        }
    }

    /// Runs `script` with `/bin/sh -c` in `folder`, with `$SOE` naming the binary; a run longer than
    /// `timeout` seconds is killed and fails the test.
    static func shell(
        _ script: String, in folder: String, timeout: Double = 60, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C", "SOE": binary]
        return try collect(process, timeout: timeout, sourceLocation: sourceLocation)
    }

    /// Starts `process` with piped output and error (and no input unless set), waits at most
    /// `timeout` seconds, and collects both streams.
    static func collect(
        _ process: Process, timeout: Double, whileRunning: (Process) -> Void = { _ in },
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Run {
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if process.standardInput == nil { process.standardInput = FileHandle.nullDevice }
        let started = Date()
        try process.run()
        let group = DispatchGroup()
        let collected = (BadInputCatalogueTests.Collected(), BadInputCatalogueTests.Collected())
        DispatchQueue.global().async(group: group) { collected.0.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { collected.1.data = err.fileHandleForReading.readDataToEndOfFile() }
        whileRunning(process)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("the run did not end within \(Int(timeout)) s: it was killed", sourceLocation: sourceLocation)
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        group.wait()
        return Run(
            stdout: String(decoding: collected.0.data, as: UTF8.self), stderr: String(decoding: collected.1.data, as: UTF8.self),
            exitCode: process.terminationStatus, seconds: seconds)
    }

    /// Waits until process `pid` has a handler for `signal` (Linux: `SigCgt` in /proc), so that a
    /// signal sent next tests the handler, not the default action; false after `timeout` seconds.
    static func waitForHandler(_ pid: Int32, signal: Int32, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
                let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16),
                mask & (1 << UInt64(signal - 1)) != 0
            {
                return true
            }
            usleep(20_000)
        }
        return false
    }
}
