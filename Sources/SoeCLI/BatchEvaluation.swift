import SoeEngine

/// Batch evaluation of many firms from CSV or JSON Lines (issue 5). Scaffolding: replaced by the batch work.
enum BatchEvaluation {
    static func isBatch(_ arguments: Arguments) -> Bool {
        if arguments.options["--input-format"] != nil { return true }
        return arguments.positionals.contains { $0.hasSuffix(".csv") || $0.hasSuffix(".jsonl") || $0.hasSuffix(".ndjson") }
    }

    static func run(_ arguments: Arguments, ruleSets: [RuleSet], language: Language, console: Console,
                    environment: [String: String]) -> ExitCode {
        console.errorLine("soe evaluate: batch input is not supported yet")
        return .usage
    }
}
