/// The batch benchmark (issue 5). Scaffolding.
enum BatchBenchmark {
    static func run(_ arguments: [String]) -> Int32 {
        print("batch benchmark: not available yet")
        return 2
    }
}
