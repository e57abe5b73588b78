// The sandbox of the `cli` target: a folder of its own per process, filled afresh for every input
// with copies of a rule file, a firm's JSON, a small batch CSV and a decision record, so that a
// command that overwrites, deletes or leaves something beside them is seen. Also the process's
// standard streams, set for each run and put back after it.
import Foundation
import SoeCLI
import SoeEngine
import SoeLanguage

#if canImport(Glibc)
    import Glibc
#endif

enum Sandbox {
    /// `$SOE_FUZZ_WORK/cli-sandbox-PID`: under the project's ignored build folder by default, and
    /// one per process so that parallel fuzzers (`-jobs`) do not share one.
    static let folder: String = {
        let work = ProcessInfo.processInfo.environment["SOE_FUZZ_WORK"] ?? (Bundled.root + "/.build/fuzz")
        let folder = "\(work)/cli-sandbox-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }()

    /// Where standard input is read from in a run: a file beside the sandbox, never inside it.
    static let stdinPath = folder + ".stdin"

    /// The files every run starts with, by name: the inputs that must come out byte-identical.
    static let inputs: [(name: String, bytes: [UInt8])] = {
        let root = Bundled.root
        guard case .success(let rules) = FileSystem.read(root + "/rules/rsv_2014.rules"),
            case .success(let firm) = FileSystem.read(root + "/samples/kaffekollektivet.json"),
            case .success(let csv) = FileSystem.read(root + "/samples/batch/firms.csv")
        else { fail("the sandbox's fixtures are not under \(root)/rules and \(root)/samples") }
        // The header and two rows: enough for every batch path, small enough for a fast run.
        let lines = csv.split(separator: 0x0A, omittingEmptySubsequences: false)
        let small = Array(lines.prefix(3).joined(separator: [0x0A])) + [0x0A]
        var files: [(String, [UInt8])] = [("rules.rules", rules), ("firm.json", firm), ("firms.csv", small)]
        files.append(("record.json", record(files)))
        return files
    }()

    /// A decision record of the sandbox's firm, made once by the command itself, for `verify`.
    static func record(_ files: [(String, [UInt8])]) -> [UInt8] {
        reset(files)
        let captured = CapturedConsole()
        let code = SoeCommand.run(
            ["evaluate", "--rules", "rules.rules", "--format", "record", "firm.json"], console: captured.console,
            environment: [:])
        guard code == .success, !captured.out.isEmpty else { fail("no decision record for the sandbox: \(captured.error)") }
        return Array(captured.out.utf8)
    }

    /// Empties the sandbox and writes the inputs again (a symbolic link to the CSV too, so that an
    /// output that links to an input is tried), then makes it the working directory.
    static func reset(_ files: [(name: String, bytes: [UInt8])]? = nil) {
        guard chdir(folder) == 0 else { fail("cannot enter the sandbox \(folder)") }
        for name in entries() { remove(name) }
        for (name, bytes) in files ?? inputs {
            guard FileManager.default.createFile(atPath: name, contents: Data(bytes)) else { fail("cannot write \(name) in the sandbox") }
        }
        guard symlink("firms.csv", "link.csv") == 0, mkdir("folder", 0o755) == 0 else { fail("cannot prepare the sandbox") }
    }

    /// The names in the sandbox, sorted.
    static func entries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    static func remove(_ name: String) {
        // Not FileManager.removeItem for a link: it must not follow it.
        if unlink(name) != 0 { try? FileManager.default.removeItem(atPath: name) }
    }

    /// The bytes of a file in the sandbox, or nil when it is absent or not a regular file.
    static func bytes(_ name: String) -> [UInt8]? {
        var info = stat()
        guard lstat(name, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        // `./`: FileSystem.read takes `-` for standard input, and a run may write a file named `-`.
        guard case .success(let bytes) = FileSystem.read("./" + name) else { return nil }
        return bytes
    }
}

/// What a standard stream is during a run.
enum StreamMode: CaseIterable {
    /// Standard input: the fuzzed bytes (a regular file). Output and error: captured by the console.
    case normal
    /// `/dev/null`: empty input; output thrown away.
    case null
    /// Closed, as by `<&-`, `>&-`, `2>&-`.
    case closed
    /// `/dev/full`: every write fails with "no space left on device".
    case full
}

/// Sets the process's descriptors 0, 1 and 2 for a run and puts them back after it. Outside a run,
/// 0 and 1 are `/dev/null` (a command that writes to `/dev/stdout` writes nowhere) and 2 is the
/// fuzzer's own standard error, kept in `savedError`.
enum Streams {
    static let savedError: Int32 = dup(2)

    static func prepare() {
        _ = savedError
        redirect(0, to: "/dev/null", O_RDONLY)
        redirect(1, to: "/dev/null", O_WRONLY)
    }

    static func set(input: StreamMode, output: StreamMode, error: StreamMode) {
        switch input {
        case .normal: redirect(0, to: Sandbox.stdinPath, O_RDONLY)
        case .null, .full: redirect(0, to: "/dev/null", O_RDONLY)
        case .closed: close(0)
        }
        for (fd, mode) in [(Int32(1), output), (2, error)] {
            switch mode {
            case .normal where fd == 2: redirect(fd, to: Sandbox.folder + ".stderr", O_WRONLY | O_CREAT | O_TRUNC)
            case .normal, .null: redirect(fd, to: "/dev/null", O_WRONLY)
            case .full: redirect(fd, to: "/dev/full", O_WRONLY)
            case .closed: close(fd)
            }
        }
    }

    static func restore() {
        redirect(0, to: "/dev/null", O_RDONLY)
        redirect(1, to: "/dev/null", O_WRONLY)
        dup2(savedError, 2)
    }

    static func redirect(_ fd: Int32, to path: String, _ flags: Int32) {
        let opened = open(path, flags, 0o644)
        guard opened >= 0 else { fail("cannot open \(path)") }
        if opened != fd {
            dup2(opened, fd)
            close(opened)
        }
    }
}
