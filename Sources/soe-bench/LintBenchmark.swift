/// The linter benchmark (issue 4). Scaffolding.
enum LintBenchmark {
    static func run(_ arguments: [String]) -> Int32 {
        print("lint benchmark: not available yet")
        return 2
    }
}
