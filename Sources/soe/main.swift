import Foundation
import SoeCLI

// The thin executable: arguments in, exit code out. Everything else is in SoeCLI and SoeEngine.
let code = SoeCommand.main(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
exit(code.rawValue)
