import Foundation

// Benchmarks anyone can rerun: `swift run -c release soe-bench <lint|batch> [options]`.
// Each benchmark reports ratios against a baseline measured in the same run.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "lint": exit(LintBenchmark.run(Array(arguments.dropFirst())))
case "batch": exit(BatchBenchmark.run(Array(arguments.dropFirst())))
case "generate": exit(BatchBenchmark.generateOnly(Array(arguments.dropFirst())))
default:
    print("usage: soe-bench lint|batch [options] | soe-bench generate --rows N --output FOLDER")
    exit(2)
}
