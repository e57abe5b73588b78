import SoeEngine
import SoeLanguage
import SoeLint

/// `soe schema`: the JSON Schema (draft 2020-12) of a firm data file for the chosen rule sets,
/// for the systems that send firm data to soe (see `FirmSchema`).
enum SchemaCommand {
    static let help = """
        Usage: soe schema --rules <file-or-folder> [--ruleset NAME]... [--lang da|en]

        Prints the JSON Schema (draft 2020-12) of a firm data file (the JSON firm format of
        'soe evaluate') for the chosen rule sets: each input's type, unit, range, choices and
        description, and name, cvr, fiscal_year and fiscal_year_end. soe checks more than the
        schema can say (a CVR number's check digit, a key that is a typo of an input's name).

        Options:
          --rules PATH        a rule file, or a folder of .rules files (required; may be repeated)
          --ruleset NAME      only this rule set's inputs (may be repeated; default: every rule set loaded)
          --lang da|en        language of the descriptions (default: from LC_ALL, LC_MESSAGES or LANG, else en)
          --help              show this help

        Exit codes: 0 printed, 2 usage, 3 rule file errors, 5 a file cannot be read.
        """

    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        let parsed: Arguments
        let language: Language
        do {
            parsed = try Arguments(
                arguments, valued: ["--rules", "--ruleset", "--lang"], switches: ["--help"], repeatable: ["--rules", "--ruleset"])
            language = try SoeCommand.language(parsed.options["--lang"], environment: environment)
        } catch {
            return SoeCommand.usage(error, command: "schema", console: console)
        }
        if parsed.switches.contains("--help") {
            console.out(help + "\n")
            return .success
        }
        guard let paths = parsed.repeated["--rules"], !paths.isEmpty else {
            return SoeCommand.usage(UsageError("--rules is required"), command: "schema", console: console)
        }
        if let extra = parsed.positionals.first {
            return SoeCommand.usage(
                UsageError("unexpected argument '\(extra)'; the rules are given with --rules"), command: "schema", console: console)
        }
        let loaded: [RuleSet]
        // A rule set that builds on a bundled one finds it through the library, as evaluate and template do.
        switch RuleLoader.load(paths: paths, library: RuleLibrary.standard(environment: environment)) {
        case .failure(let failure):
            console.errorLine(DisplayText.line("soe schema: \(failure.message)"))
            return .ioError
        case .success(let result):
            let errors = result.diagnostics.filter { $0.severity == .error }
            if !errors.isEmpty {
                for diagnostic in Diagnostic.sortedForOutput(errors) { console.errorLine(DiagnosticRenderer.annotated(diagnostic) + "\n") }
                console.errorLine("soe schema: the rules have \(errors.count) error\(errors.count == 1 ? "" : "s"); no schema was written")
                return .rulesError
            }
            loaded = result.ruleSets
        }
        var chosen: [RuleSet] = []
        for name in parsed.repeated["--ruleset"] ?? [] where !chosen.contains(where: { $0.name == name }) {
            guard let ruleSet = loaded.first(where: { $0.name == name }) else {
                let names = loaded.map(\.name).joined(separator: ", ")
                console.errorLine(DisplayText.line("soe schema: no rule set '\(DisplayText.value(name))' (there are: \(names))"))
                return .usage
            }
            chosen.append(ruleSet)
        }
        let schema = FirmSchema.build(ruleSets: chosen.isEmpty ? loaded : chosen, language: language)
        console.outLine(schema.serialized(pretty: true))
        return .success
    }
}
