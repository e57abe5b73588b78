// swift-tools-version: 6.0
// soe: a rules engine that tells a Danish social-economy enterprise from an "anden aktør".
// No package dependencies, by design: a public authority's decision engine with no supply chain.
//
// The targets follow the pipeline (docs/ARCHITECTURE.md), and the compiler keeps each stage to
// what it may use: the front end knows nothing of evaluation, the engine nothing of the linter,
// and no renderer can reach into the parser's internals.
import PackageDescription

let package = Package(
    name: "soe",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SoeEngine", targets: ["SoeLanguage", "SoeEngine", "SoeLint"]),
        .executable(name: "soe", targets: ["soe"]),
    ],
    targets: [
        // The language front end: source text → tokens → syntax tree → diagnostics → checked model,
        // with the exact numbers, dates and JSON the model is made of.
        .target(name: "SoeLanguage"),
        // The hot path kept together so it inlines: firm data → evaluation → trace → batch →
        // records → renderers.
        .target(name: "SoeEngine", dependencies: ["SoeLanguage", "SoeMemoryHints"]),
        // What Swift cannot spell, in C: a cache prefetch for the batch's duplicate check (inline;
        // docs/benchmark.md, "Steps of wave 3, session 11: the duplicate check's cache misses") and
        // the result file's writeback hint (`sync_file_range`, declared only for `_GNU_SOURCE`).
        // `.ci/build-static.sh` compiles it with DWARF 4 debug information (see there).
        .target(name: "SoeMemoryHints"),
        // The linter: checks over the checked model and the syntax, and its text and SARIF output.
        // It sees only the front end: the compiler keeps it from reaching into evaluation.
        .target(name: "SoeLint", dependencies: ["SoeLanguage"]),
        // The commands, as functions a test can call without a process.
        .target(name: "SoeCLI", dependencies: ["SoeLanguage", "SoeEngine", "SoeLint"]),
        // The thin executable: arguments in, exit code out. A release build on Linux carries
        // Swift's libraries inside (`-static-stdlib`, as `--static-swift-stdlib` does): resolving
        // the symbols of a dozen shared libraries took a one-firm run longer than its evaluation
        // (docs/benchmark.md, "The limit"). Debug builds, and the tests, link them as usual.
        .executableTarget(
            name: "soe", dependencies: ["SoeCLI"],
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]),
        // Benchmarks, reported as ratios against a baseline in the same run. `limit/soe-limit.c` is
        // the hand-written limit of `soe-bench limit`: plain C that the benchmark compiles with the
        // toolchain's clang, so that it links nothing of Swift's.
        .executableTarget(
            name: "soe-bench", dependencies: ["SoeLanguage", "SoeEngine", "SoeLint", "SoeCLI", "SoeTestSupport"],
            exclude: ["limit"]),
        // What only tests and benchmarks use: the one seeded generator, the synthetic rule files,
        // the golden-file helper and the fixture paths. Nothing here ships in the engine.
        .target(name: "SoeTestSupport", dependencies: ["SoeLanguage", "SoeEngine"], path: "Tests/SoeTestSupport"),
        // Golden files live in Tests/SoeEngineTests/Golden and are read from the source tree, so
        // that SOE_RECORD=1 can rewrite them in place.
        .testTarget(
            name: "SoeEngineTests",
            dependencies: ["SoeLanguage", "SoeEngine", "SoeLint", "SoeCLI", "SoeTestSupport"],
            exclude: ["Golden", "Fixtures"]),
    ]
)
