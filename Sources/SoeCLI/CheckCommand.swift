import SoeEngine
import SoeLanguage
import SoeLint

/// `soe check`: parse and check rule files, print every diagnostic.
enum CheckCommand {
    static let help = """
        Usage: soe check [--format human|short|json] [--lang da|en] <rules>...

        Parses and checks rule files (a file, or every .rules file in a folder), including the rule
        sets they build on. Prints every problem with file, line, column and a stable code, and the
        lint findings of error severity (such as an unreachable outcome), which are errors too.
        A rule set built upon that is not among the paths given is looked for next to the file that
        names it, then in the folders of SOE_RULES_PATH (colon-separated), then among the rule sets
        bundled with soe (see docs/rulesets.md).

        Options:
          --format human   annotated source excerpt with a caret (default)
          --format short   one line per problem: file:line:col: severity: message [CODE]
          --format json    a JSON array of diagnostics
          --lang da|en     language of messages, notes and help (default: from LC_ALL,
                           LC_MESSAGES or LANG, else en); codes are the same in both
          --help           show this help

        Exit codes: 0 the rules are sound, 3 a rule file has errors, 5 a file cannot be read, 2 usage.
        """

    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        let parsed: Arguments
        let format: String
        let language: Language
        do {
            parsed = try Arguments(arguments, valued: ["--format", "--lang"], switches: ["--help"])
            format = try parsed.choice("--format", ["human", "short", "json"], default: "human")
            language = try SoeCommand.language(parsed.options["--lang"], environment: environment)
        } catch {
            return SoeCommand.usage(error, command: "check", console: console)
        }
        if parsed.switches.contains("--help") {
            console.out(help + "\n")
            return .success
        }
        guard !parsed.positionals.isEmpty else {
            return SoeCommand.usage(UsageError("give at least one rule file or folder"), command: "check", console: console)
        }
        // One load for every path: two files declaring the same rule set are an error whether they
        // are named one by one or found in a folder, and a file named twice is checked once.
        let diagnostics: [Diagnostic]
        let ruleSets: [RuleSet]
        switch RuleLoader.load(paths: parsed.positionals, library: RuleLibrary.standard(environment: environment)) {
        case .failure(let failure):
            console.error("soe check: \(failure.message)\n")
            return .ioError
        case .success(let result):
            // `check` never says "no errors" of rules in which lint finds an error.
            diagnostics = result.diagnostics + RuleTruth.lintErrors(result)
            ruleSets = result.ruleSets
            RuleTruth.printNotes(result, command: "check", language: .english, console: console)
        }
        printDiagnostics(diagnostics, format: format, language: language, console: console)
        let errors = diagnostics.filter { $0.severity == .error }.count
        if format != "json" {
            let names = ruleSets.map(\.name).joined(separator: ", ")
            switch (language, errors) {
            case (.danish, 0):
                console.outLine("kontrollerede \(ruleSets.count) regelsæt (\(names)): ingen fejl")
            case (.danish, _):
                console.outLine("\(errors) fejl")
            case (.english, 0):
                console.outLine("checked \(ruleSets.count) rule set\(ruleSets.count == 1 ? "" : "s") (\(names)): no errors")
            case (.english, _):
                console.outLine("\(errors) error\(errors == 1 ? "" : "s")")
            }
        }
        return errors > 0 ? .rulesError : .success
    }

    /// Prints diagnostics sorted by place, in the chosen format, to standard output.
    static func printDiagnostics(_ list: [Diagnostic], format: String, language: Language = .english, console: Console) {
        let sorted = Diagnostic.sortedForOutput(list)
        switch format {
        case "json":
            console.outLine(JSONOutput.array(sorted.map { DiagnosticRenderer.json($0, language: language) }).serialized(pretty: true))
        case "short":
            for diagnostic in sorted { console.outLine(DiagnosticRenderer.oneLine(diagnostic, language: language)) }
        default:
            for diagnostic in sorted { console.outLine(DiagnosticRenderer.annotated(diagnostic, language: language) + "\n") }
        }
    }
}
