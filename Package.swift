// swift-tools-version: 6.0
// soe: a rules engine that tells a Danish social-economy enterprise from an "anden aktør".
// No package dependencies, by design: a public authority's decision engine with no supply chain.
import PackageDescription

let package = Package(
    name: "soe",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SoeEngine", targets: ["SoeEngine"]),
        .executable(name: "soe", targets: ["soe"]),
    ],
    targets: [
        // The whole engine: source text → tokens → syntax tree → checked model → evaluation → trace → renderers.
        .target(name: "SoeEngine"),
        // The commands, as functions a test can call without a process.
        .target(name: "SoeCLI", dependencies: ["SoeEngine"]),
        // The thin executable: arguments in, exit code out.
        .executableTarget(name: "soe", dependencies: ["SoeCLI"]),
        // Benchmarks, reported as ratios against a baseline in the same run.
        .executableTarget(name: "soe-bench", dependencies: ["SoeEngine", "SoeCLI"]),
        // Golden files live in Tests/SoeEngineTests/Golden and are read from the source tree (by
        // #filePath), so that SOE_RECORD=1 can rewrite them in place.
        .testTarget(name: "SoeEngineTests", dependencies: ["SoeEngine", "SoeCLI"], exclude: ["Golden", "Fixtures"]),
    ]
)
