import Foundation

/// Paths every test and benchmark needs, all inside the repository: the package root, the golden
/// files, the bundled rules and samples, and the vendored conformance data. Nothing here names a
/// folder outside the project, so a clone alone passes its tests.
public enum TestPaths {
    /// The folder that holds Package.swift, found from this file's path.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            url = url.deletingLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()
    /// Golden files, re-recorded deliberately with `SOE_RECORD=1`.
    public static let golden = root + "/Tests/SoeEngineTests/Golden"
    /// Test fixtures of the project's own.
    public static let fixtures = root + "/Tests/SoeEngineTests/Fixtures"
    /// The bundled rule sets.
    public static let rules = root + "/rules"
    /// The bundled sample firms.
    public static let samples = root + "/samples"
    /// Public conformance data vendored into the project (`Tests/Conformance`), each folder with
    /// its upstream licence and a SOURCE.md naming the repository and commit.
    public static let conformance = root + "/Tests/Conformance"
}
