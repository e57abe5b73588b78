import SoeEngine

/// `soe lint` (issue 4). Scaffolding: replaced by the linter work.
enum LintCommand {
    static let help = "Usage: soe lint <rules>... (not available yet)"
    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        console.errorLine("soe lint: not available yet")
        return .usage
    }
}
