import Foundation

// Benchmarks anyone can rerun: `swift run -c release soe-bench <lint|batch> [options]`.
// Each benchmark reports ratios against a baseline measured in the same run.
let arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
    usage: soe-bench lint [--outcomes N] [--repeat R] [--file RULES]
           soe-bench batch [--rows N] [--trace-rows N] [--full-trace-rows N] [--soe PATH] [--runs N] [--repeat N]
                           [--jobs N] [--classify-only]
           soe-bench generate --output FOLDER [--rows N]
           soe-bench scaling [--outcomes N] [--records N] [--array-records N] [--html-rows N] [--repeat R] [--soe PATH]
           soe-bench bounds [--firms N] [--rules FILE]
           soe-bench limit [--rows N] [--repeat N] [--runs N] [--soe PATH] [--limit PATH]
           soe-bench diff [--rows N] [--jobs N] [--soe PATH]
           soe-bench xlsx [--rows N] [--repeat R]
    'soe-bench batch --help', 'soe-bench generate --help' and 'soe-bench scaling --help' say what each flag does.
    """
switch arguments.first {
case "lint": exit(LintBenchmark.run(Array(arguments.dropFirst())))
case "batch": exit(BatchBenchmark.run(Array(arguments.dropFirst())))
case "generate": exit(BatchBenchmark.generateOnly(Array(arguments.dropFirst())))
case "scaling": exit(ScalingBenchmark.run(Array(arguments.dropFirst())))
case "bounds": exit(BoundsBenchmark.run(Array(arguments.dropFirst())))
case "limit": exit(LimitBenchmark.run(Array(arguments.dropFirst())))
case "diff": exit(DiffBenchmark.run(Array(arguments.dropFirst())))
case "xlsx": exit(XlsxBenchmark.run(Array(arguments.dropFirst())))
case "--help", "-h":
    print(usage)
    exit(0)
default:
    printError(usage)
    exit(2)
}
