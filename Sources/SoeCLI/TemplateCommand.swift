import SoeEngine
import SoeLanguage

/// `soe template`: an empty sheet for a batch, with the inputs of the rule sets as headers and a
/// row that describes them, as CSV or as an .xlsx workbook with data validation.
enum TemplateCommand {
    static let help = """
        Usage: soe template --rules <file-or-folder> [--ruleset NAME]... [--format csv|xlsx] [--lang da|en] [--output FILE]

        Writes an empty sheet to fill in and give to 'soe evaluate': a header row with id, name, cvr,
        fiscal_year and every input of the rule sets (each once), and a second row that describes
        each column with its unit, in the chosen language. 'soe evaluate' recognises that second row
        and skips it, so the filled-in sheet, saved as CSV, is read as it is.

        Options:
          --rules PATH        a rule file, or a folder of .rules files (required; may be repeated)
          --ruleset NAME      only the inputs of this rule set (may be repeated; default: all)
          --format csv|xlsx   CSV (default; ';' in Danish, ',' in English, with a byte-order mark so
                              that spreadsheets show æøå) or an .xlsx workbook, whose columns are
                              formatted by type (kr., %, dates) and checked on entry (choices, ja/nej,
                              whole numbers, bounds) for the first \(SheetTemplate.dataRows.count) firms;
                              xlsx needs --output
          --lang da|en        the language of the descriptions (default: from LC_ALL, LC_MESSAGES or LANG, else en)
          --output FILE       write to FILE (complete or not at all) instead of standard output
          --help              show this help

        Exit codes: 0 written, 2 usage, 3 rule file errors, 5 a file cannot be read or written.
        """

    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        let parsed: Arguments
        let format: String
        let language: Language
        do throws(UsageError) {
            parsed = try Arguments(
                arguments, valued: ["--rules", "--ruleset", "--format", "--lang", "--output"], switches: ["--help"],
                repeatable: ["--rules", "--ruleset"])
            format = try parsed.choice("--format", ["csv", "xlsx"], default: "csv")
            language = try SoeCommand.language(parsed.options["--lang"], environment: environment)
            if !parsed.positionals.isEmpty {
                throw UsageError("soe template takes no file; give the rules with --rules and the output with --output")
            }
            if format == "xlsx" && (parsed.options["--output"] ?? "-") == "-" {
                throw UsageError("--format xlsx writes a workbook, not text; give --output FILE.xlsx")
            }
        } catch {
            return SoeCommand.usage(error, command: "template", console: console)
        }
        if parsed.switches.contains("--help") {
            console.out(help + "\n")
            return .success
        }
        guard let rulesPaths = parsed.repeated["--rules"], !rulesPaths.isEmpty else {
            return SoeCommand.usage(UsageError("--rules is required"), command: "template", console: console)
        }
        let ruleSets: [RuleSet]
        let ruleFiles: [String]
        let selected = EvaluateCommand.selectedRuleSets(parsed, console: console, command: "template")
        switch EvaluateCommand.loadRules(
            rulesPaths, selected: selected, library: RuleLibrary.standard(environment: environment), language: language, console: console,
            command: "template")
        {
        case .failure(let code): return code
        case .success(let loaded): (ruleSets, ruleFiles) = (loaded.ruleSets, loaded.files)
        }
        let template = SheetTemplate(ruleSets: ruleSets, language: language)
        guard let output = parsed.options["--output"], output != "-" else {
            console.out(String(decoding: template.csv(), as: UTF8.self))
            return .success
        }
        let inputs = rulesPaths.flatMap(OutputGuard.files(underRules:)) + ruleFiles
        if let (code, message) = OutputGuard.refusal(output: output, inputs: inputs, command: "template") {
            console.errorLine(message)
            return code
        }
        let sink: AtomicFileSink
        switch AtomicFileSink.create(output) {
        case .failure(let failure):
            console.shownErrorLine("soe template: \(failure.message)")
            return .ioError
        case .success(let created): sink = created
        }
        let failure = format == "xlsx" ? template.xlsx(to: sink) : sink.write(template.csv())
        if let failure = failure ?? sink.commit() {
            sink.discard()
            console.shownErrorLine("soe template: \(failure.message)")
            return .ioError
        }
        return .success
    }
}
