import Foundation
import SoeCLI
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Compares output with a golden file in `Tests/SoeEngineTests/Golden/<name>` (see `GoldenFile`);
/// with `SOE_RECORD=1` the file is re-recorded instead, to be reviewed as a diff.
func expectGolden(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    if let mismatch = GoldenFile.mismatch(actual, name) { Issue.record(Comment(rawValue: mismatch), sourceLocation: sourceLocation) }
}

/// Loads rule files given as text (name → contents) as if they were files in one folder.
func loadRules(_ files: [(String, String)]) -> RuleLoader.Result {
    RuleLoader.load(files.map { SourceFile(path: $0.0, text: $0.1) })
}

/// A fresh folder under the temporary directory, named `soe-PREFIX-UUID`; the caller removes it.
func scratchFolder(_ prefix: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("soe-\(prefix)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Checks a single rule file's text and returns the rule set and all diagnostics.
func checkRules(_ text: String, path: String = "test.rules") -> (RuleSet?, [Diagnostic]) {
    let result = loadRules([(path, text)])
    return (result.ruleSets.first, result.diagnostics)
}

/// Writes `data` to a child's standard input. A child may exit without reading it (a usage error
/// exits at once, and on a loaded machine it can exit before the first byte is written): the write
/// then fails with EPIPE, and the test goes on to check the child's answer. Without this, the
/// kernel's SIGPIPE ended the whole test process ("exited with unexpected signal code 13"), so
/// the test process ignores SIGPIPE from the first call on, as `soe` itself does
/// (`Interruption.install`).
func feed(_ data: Data, to handle: FileHandle) {
    _ = brokenPipesIgnored
    try? handle.write(contentsOf: data)
}

/// Set once, on first use, by `feed(_:to:)`.
private let brokenPipesIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

/// The result of running the built `soe` binary.
struct ProcessResult {
    var stdout: String
    var stderr: String
    var exitCode: Int32
}

/// Runs the `soe` executable built beside the test bundle, with the package root as working
/// directory (or `directory`), so that end-to-end tests check exactly what a caseworker runs.
func runSoe(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], directory: String = TestPaths.root
) throws -> ProcessResult {
    let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var binary = bundleDirectory.appendingPathComponent("soe").path
    if !FileManager.default.isExecutableFile(atPath: binary) {
        binary = TestPaths.root + "/.build/debug/soe"
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var env = ["PATH": "/usr/bin:/bin", "LANG": "C"]
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { feed(Data(stdin.utf8), to: input.fileHandleForWriting) }
    try input.fileHandleForWriting.close()
    // Read both pipes before waiting, so a large output cannot fill a pipe and block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(
        stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
        exitCode: process.terminationStatus)
}

/// Runs a command in-process with captured output.
func runInProcess(_ arguments: [String], environment: [String: String] = [:]) -> (ExitCode, String, String) {
    let captured = CapturedConsole()
    let code = SoeCommand.run(arguments, console: captured.console, environment: environment)
    return (code, captured.out, captured.error)
}
