import Foundation
import Testing
@testable import SoeEngine
import SoeCLI

/// Paths every test needs: the package root, the golden folder, the shared fixtures.
enum TestPaths {
    /// The folder that holds Package.swift, found from this file's path.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            url = url.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()
    static let golden = root + "/Tests/SoeEngineTests/Golden"
    static let rules = root + "/rules"
    static let samples = root + "/samples"
    /// `../shared/fixtures`, beside the project.
    static let fixtures: String = {
        let beside = URL(fileURLWithPath: root).deletingLastPathComponent().appendingPathComponent("shared/fixtures").path
        return FileManager.default.fileExists(atPath: beside) ? beside : "/work/shared/fixtures"
    }()
}

/// Compares output with a golden file in `Tests/SoeEngineTests/Golden/<name>`. With
/// `SOE_RECORD=1` in the environment the file is (re)written instead, to be reviewed as a diff.
/// A missing golden file is a failure, never a silent pass.
func expectGolden(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let path = TestPaths.golden + "/" + name
    if ProcessInfo.processInfo.environment["SOE_RECORD"] == "1" {
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data(actual.utf8))
        return
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        Issue.record("golden file \(name) is missing; run with SOE_RECORD=1 to create it", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected != actual {
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var firstDifference = 0
        while firstDifference < min(expectedLines.count, actualLines.count),
              expectedLines[firstDifference] == actualLines[firstDifference] { firstDifference += 1 }
        let want = firstDifference < expectedLines.count ? String(expectedLines[firstDifference]) : "<end>"
        let got = firstDifference < actualLines.count ? String(actualLines[firstDifference]) : "<end>"
        Issue.record("output differs from golden \(name) at line \(firstDifference + 1):\n  golden: \(want)\n  actual: \(got)\n(re-record deliberately with SOE_RECORD=1 and review the diff)",
                     sourceLocation: sourceLocation)
    }
}

/// Loads rule files given as text (name → contents) as if they were files in one folder.
func loadRules(_ files: [(String, String)]) -> RuleLoader.Result {
    RuleLoader.load(files.map { SourceFile(path: $0.0, text: $0.1) })
}

/// Checks a single rule file's text and returns the rule set and all diagnostics.
func checkRules(_ text: String, path: String = "test.rules") -> (RuleSet?, [Diagnostic]) {
    let result = loadRules([(path, text)])
    return (result.ruleSets.first, result.diagnostics)
}

/// The result of running the built `soe` binary.
struct ProcessResult {
    var stdout: String
    var stderr: String
    var exitCode: Int32
}

/// Runs the `soe` executable built beside the test bundle, with the package root as working
/// directory, so that end-to-end tests check exactly what a caseworker runs.
func runSoe(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
    let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var binary = bundleDirectory.appendingPathComponent("soe").path
    if !FileManager.default.isExecutableFile(atPath: binary) {
        binary = TestPaths.root + "/.build/debug/soe"
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: TestPaths.root)
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
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes before waiting, so a large output cannot fill a pipe and block the child.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
                         exitCode: process.terminationStatus)
}

/// Runs a command in-process with captured output.
func runInProcess(_ arguments: [String], environment: [String: String] = [:]) -> (ExitCode, String, String) {
    let captured = CapturedConsole()
    let code = SoeCommand.run(arguments, console: captured.console, environment: environment)
    return (code, captured.out, captured.error)
}
