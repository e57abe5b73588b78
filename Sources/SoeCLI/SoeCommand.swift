import SoeEngine
import SoeLanguage
import SoeLint

/// The `soe` command: dispatches to a subcommand and turns every failure into an exit code.
/// `main.swift` only calls `SoeCommand.main`; tests call `run` with a captured console.
public enum SoeCommand {
    public static let commands: [(name: String, summary: String)] = [
        ("evaluate", "classify firms under rule sets and explain the decision"),
        ("check", "parse and check rule files"),
        ("lint", "check rule files for a policy officer's mistakes"),
        ("verify", "confirm that a decision record still matches its rules and input"),
        ("dossier", "write the printable HTML dossier of recorded decisions, with their seals"),
        ("test", "run the test cases beside the rule files, with coverage"),
        ("diff", "show how a rule change changes firms' results, and why"),
        ("template", "write an empty sheet to fill in for a batch, as CSV or xlsx"),
        ("fmt", "rewrite rule files in the canonical layout"),
        ("schema", "print the JSON Schema of a firm data file for rule sets"),
    ]

    public static let help = """
        soe \(SoeVersion.current): decides whether a Danish firm is a social-economy enterprise or an "anden aktør"

        Usage: soe <command> [options]

        Commands:
        \(commands.map { "  " + $0.name.padding(12) + $0.summary }.joined(separator: "\n"))

        Options:
          --help       show help (also: soe <command> --help)
          --version    show the version

        Exit codes:
        \(ExitCode.allCases.map { "  \($0.rawValue)  \($0.summary)" }.joined(separator: "\n"))
        """

    /// The executable's whole life: signals and standard streams set up (see `Interruption`), the
    /// command run on the process's own streams, its exit code returned.
    public static func main(_ arguments: [String], environment: [String: String]) -> ExitCode {
        Interruption.install()
        if let refusal = OutputGuard.standardOutputRefusal(arguments) {
            let console = Console.standard()
            console.error(refusal + "\n")
            return .usage
        }
        return run(arguments, console: .standard(), environment: environment)
    }

    /// Runs `soe` with the arguments after the program name. A failure to write standard output
    /// overrides the command's own exit code with 5 (see `Console`).
    public static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        let code = dispatch(arguments, console: console, environment: environment)
        guard console.outputFailure != 0 else { return code }
        if !console.outputPipeBroken {
            console.error("soe: cannot write standard output: \(console.outputFailureReason); the output is incomplete\n")
        }
        return .ioError
    }

    static func dispatch(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        guard let command = arguments.first else {
            console.error(help + "\n")
            return .usage
        }
        let rest = Array(arguments.dropFirst())
        switch command {
        case "--help", "-h", "help":
            if let topic = rest.first, let text = helpText(for: topic) {
                console.out(text + "\n")
            } else {
                console.out(help + "\n")
            }
            return .success
        case "--version":
            console.out("soe \(SoeVersion.current)\n")
            return .success
        case "evaluate":
            return EvaluateCommand.run(rest, console: console, environment: environment)
        case "check":
            return CheckCommand.run(rest, console: console, environment: environment)
        case "lint":
            return LintCommand.run(rest, console: console, environment: environment)
        case "verify":
            return VerifyCommand.run(rest, console: console, environment: environment)
        case "dossier":
            return DossierCommand.run(rest, console: console, environment: environment)
        case "test":
            return TestCommand.run(rest, console: console, environment: environment)
        case "diff":
            return DiffCommand.run(rest, console: console, environment: environment)
        case "template":
            return TemplateCommand.run(rest, console: console, environment: environment)
        case "fmt":
            return FmtCommand.run(rest, console: console, environment: environment)
        case "schema":
            return SchemaCommand.run(rest, console: console, environment: environment)
        default:
            let suggestion = closestWord(to: command, in: commands.map(\.name))
            console.error(
                "soe: unknown command '\(command)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
                    + "\nRun 'soe --help' for the list of commands.\n")
            return .usage
        }
    }

    static func helpText(for command: String) -> String? {
        switch command {
        case "evaluate": EvaluateCommand.help
        case "check": CheckCommand.help
        case "lint": LintCommand.help
        case "verify": VerifyCommand.help
        case "dossier": DossierCommand.help
        case "test": TestCommand.help
        case "diff": DiffCommand.help
        case "template": TemplateCommand.help
        case "fmt": FmtCommand.help
        case "schema": SchemaCommand.help
        default: nil
        }
    }

    /// Reports a usage error the same way for every command.
    static func usage(_ error: UsageError, command: String, console: Console) -> ExitCode {
        // The message may quote an argument, which may hold anything (see `DisplayText`).
        console.error("soe \(command): \(DisplayText.line(error.message))\nRun 'soe \(command) --help' for usage.\n")
        return .usage
    }

    /// The language for people's output: `--lang`, else the locale of messages as POSIX finds it,
    /// the first set of `LC_ALL`, `LC_MESSAGES` and `LANG` (da, da_DK… → Danish), else English.
    static func language(_ flag: String?, environment: [String: String]) throws(UsageError) -> Language {
        if let flag {
            guard let language = Language(rawValue: flag) else { throw UsageError("--lang must be da or en, not '\(flag)'") }
            return language
        }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        if let locale, locale.lowercased().hasPrefix("da") { return .danish }
        return .english
    }
}

extension String {
    /// Pads with spaces to a width, for aligned help text.
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
