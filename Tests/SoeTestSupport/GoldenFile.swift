import Foundation

/// Golden files for multi-line output: `Tests/SoeEngineTests/Golden/<name>`, compared byte for
/// byte. With `SOE_RECORD=1` in the environment the file is (re)written instead, to be reviewed as
/// a diff. A missing golden file is a failure, never a silent pass.
public enum GoldenFile {
    /// Whether this run records golden files instead of comparing with them.
    public static var recording: Bool { ProcessInfo.processInfo.environment["SOE_RECORD"] == "1" }

    /// Compares `actual` with the golden file `name` (or records it); nil when they agree, else a
    /// message naming the first line that differs and how to re-record.
    public static func mismatch(_ actual: String, _ name: String) -> String? {
        let path = TestPaths.golden + "/" + name
        if recording {
            try? FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            return FileManager.default.createFile(atPath: path, contents: Data(actual.utf8))
                ? nil : "cannot record golden file \(name)"
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return "golden file \(name) is missing; run with SOE_RECORD=1 to create it"
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return nil }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var line = 0
        while line < min(expectedLines.count, actualLines.count), expectedLines[line] == actualLines[line] { line += 1 }
        let want = line < expectedLines.count ? String(expectedLines[line]) : "<end>"
        let got = line < actualLines.count ? String(actualLines[line]) : "<end>"
        return "output differs from golden \(name) at line \(line + 1):\n  golden: \(want)\n  actual: \(got)\n"
            + "(re-record deliberately with SOE_RECORD=1 and review the diff)"
    }
}
