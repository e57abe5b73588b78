import SoeEngine

/// `soe verify` (issue 5). Scaffolding: replaced by the decision-record work.
enum VerifyCommand {
    static let help = "Usage: soe verify <record> --rules <rules> <input> (not available yet)"
    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        console.errorLine("soe verify: not available yet")
        return .usage
    }
}
