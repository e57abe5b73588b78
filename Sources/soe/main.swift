import Foundation
import SoeCLI

// The thin executable: arguments in, exit code out. Everything else is in SoeCLI and SoeEngine.
let code = SoeCommand.run(
    Array(CommandLine.arguments.dropFirst()), console: .standard(),
    environment: ProcessInfo.processInfo.environment)
exit(code.rawValue)
