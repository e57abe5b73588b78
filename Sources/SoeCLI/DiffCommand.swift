import SoeEngine
import SoeLanguage

/// `soe diff`: the effect of a rule change on firms already classified. Each firm is evaluated
/// under the old and the new version of every rule set both have; for each whose result changed,
/// the first difference that explains it, with its old and new value; and a transition table.
enum DiffCommand {
    static let help = """
        Usage: soe diff --old <rules> --new <rules> [options] <firms.csv | firms.xlsx | firms.jsonl | firm.json | ->

        Evaluates each firm under the old and the new rules and shows, for every firm whose result
        changed, the old and new outcome and the first difference that explains it, with its old and
        new value (a parameter, a condition, a value's or input's definition, an outcome added,
        removed or moved); then how many firms went from each old result to each new one.

        Options:
          --old PATH          the rules before the change: a rule file or a folder (required; may be repeated)
          --new PATH          the rules after the change (required; may be repeated)
          --ruleset NAME      compare only this rule set (may be repeated); rule sets are matched by name
          --ruleset OLD=NEW   compare the old rule set OLD with the new rule set NEW (a rule set with one
                              that builds on it, or a renamed one); the pair is named OLD=NEW
          --format text|csv|json|html
                              the transition tables and the changed firms as text (default); CSV, one
                              row per changed firm and rule set, in the input's dialect; JSON (schema
                              soe-diff/1); or a self-contained HTML page
        \(AsOfOption.help)
          --input-format csv|jsonl|xlsx  how to read the firms when the name does not say (.csv,
                              .jsonl, .ndjson, .xlsx, .xlsm); a file that starts as a ZIP archive is a
                              workbook; any other file is one firm (a JSON firm file)
          --sheet NAME        the sheet of an .xlsx workbook to read (default: the first), as for evaluate
          --dialect auto|rfc4180|excel-da|semicolon-point|tab   the CSV dialect, as for evaluate
          --percent fraction|points   how a percent written without % is meant, as for evaluate
          --jobs N            evaluate a CSV on N threads (1 to 64); the output is the same
          --lang da|en        language of the words (default: from LC_ALL, LC_MESSAGES or LANG, else en)
          --output FILE       write to FILE (complete or not at all) instead of standard output
          --progress, --no-progress   progress on standard error, as for evaluate
          --help              show this help

        A rule set that builds on a bundled one (anden_aktoer) finds it by itself; one that builds on
        a rule set of your own in another folder needs both folders: --new base/ --new mine/.
        Rows are read and rejected exactly as 'soe evaluate' reads them; a summary goes to standard error.

        Exit codes: 0 compared, 2 usage (also: no rule set in common), 3 rule file errors, 4 a row was
        rejected, 5 a file cannot be read or written, 6 interrupted (the --output file is removed).
        """

    static let valued: Set<String> = Set([
        "--old", "--new", "--ruleset", "--format", "--lang", "--output", "--input-format", "--dialect", "--jobs",
        "--sheet", "--percent",
    ]).union(AsOfOption.flags)

    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        let parsed: Arguments
        let language: Language
        let format: DiffFormat
        let asOf: Day?
        do {
            parsed = try Arguments(
                arguments, valued: valued, switches: ["--help", "--progress", "--no-progress"],
                repeatable: ["--old", "--new", "--ruleset"])
            language = try SoeCommand.language(parsed.options["--lang"], environment: environment)
            format = DiffFormat(rawValue: try parsed.choice("--format", DiffFormat.allCases.map(\.rawValue), default: "text")) ?? .text
            asOf = try AsOfOption.day(parsed)
        } catch {
            return SoeCommand.usage(error, command: "diff", console: console)
        }
        if parsed.switches.contains("--help") {
            console.out(help + "\n")
            return .success
        }
        guard let oldPaths = parsed.repeated["--old"], let newPaths = parsed.repeated["--new"] else {
            return SoeCommand.usage(UsageError("give the rules before and after: --old PATH --new PATH"), command: "diff", console: console)
        }
        guard parsed.positionals.count == 1 else {
            let message = "give one file of firms (or - with --input-format); found \(parsed.positionals.count)"
            return SoeCommand.usage(UsageError(message), command: "diff", console: console)
        }
        var loaded: [[RuleSet]] = []
        for (side, paths) in [("old", oldPaths), ("new", newPaths)] {
            switch load(paths, side: side, library: RuleLibrary.standard(environment: environment), language: language, console: console) {
            case .failure(let code): return code
            case .success(let ruleSets): loaded.append(ruleSets)
            }
        }
        let selected = EvaluateCommand.selectedRuleSets(parsed, console: console)
        for name in selected {
            if name.contains("=") {
                let (oldName, newName) = RuleSetPairing.pairNames(name)
                for (side, wanted, ruleSets) in [("old", oldName, loaded[0]), ("new", newName, loaded[1])]
                where !ruleSets.contains(where: { $0.name == wanted }) {
                    // The two names the other way round: the old rule set's name comes first.
                    let reversed =
                        loaded[0].contains { $0.name == newName } && loaded[1].contains { $0.name == oldName }
                        ? "; did you mean --ruleset \(DisplayText.value(newName))=\(DisplayText.value(oldName))?" : ""
                    let message =
                        "--ruleset \(DisplayText.value(name)): no rule set '\(DisplayText.value(wanted))' in the \(side) rules"
                        + " (\(side): \(names(ruleSets))); a pair is written OLD=NEW" + reversed
                    return SoeCommand.usage(UsageError(message), command: "diff", console: console)
                }
            } else if !(loaded[0] + loaded[1]).contains(where: { $0.name == name }) {
                let message = "no rule set '\(DisplayText.value(name))' in the old or the new rules"
                return SoeCommand.usage(UsageError(message), command: "diff", console: console)
            }
        }
        let pairing = RuleSetPairing.match(old: loaded[0], new: loaded[1], selected: selected)
        guard !pairing.old.isEmpty else {
            console.errorLine(
                DisplayText.line(
                    "soe diff: the old and the new rules have no rule set in common (old: \(names(loaded[0])); new: \(names(loaded[1])));"
                        + " rule sets are matched by the name after 'ruleset'"
                        + pairHint(old: loaded[0], new: loaded[1])))
            return .usage
        }
        for name in pairing.onlyOld { console.errorLine("soe diff: note: the rule set \(name) is only in the old rules; not compared") }
        for name in pairing.onlyNew { console.errorLine("soe diff: note: the rule set \(name) is only in the new rules; not compared") }
        let outputPath = parsed.options["--output"].flatMap { $0 == "-" ? nil : $0 }
        if let output = outputPath {
            let inputs = parsed.positionals + (oldPaths + newPaths).flatMap(OutputGuard.files(underRules:))
            if let code = OutputGuard.prepare(output: output, inputs: inputs, command: "diff", console: console).refused { return code }
        }
        var options: BatchOptions
        do throws(UsageError) {
            options = try batchOptions(parsed, language: language)
        } catch {
            return SoeCommand.usage(error, command: "diff", console: console)
        }
        options.asOf = asOf
        let compared = Set(pairing.old.map(\.name) + pairing.new.map(\.name))
        for ruleSet in loaded[0] + loaded[1] where !compared.contains(ruleSet.name) {
            for input in ruleSet.inputs where options.otherInputs[input.name] == nil { options.otherInputs[input.name] = ruleSet.name }
        }
        let context = DiffContext(
            oldRules: oldPaths.joined(separator: " "), newRules: newPaths.joined(separator: " "), source: options.sourceName,
            asOf: asOf, onlyOld: pairing.onlyOld, onlyNew: pairing.onlyNew,
            hashes: zip(pairing.old, pairing.new).map { ($0.sha256, $1.sha256) }, language: language)
        return DiffRun.run(
            parsed, pairing: pairing, options: options, format: format, context: context, console: console)
    }

    /// How to compare rule sets of different names, with the pair to give where a new rule set
    /// builds on an old one (a municipality's set against the screening it starts from).
    static func pairHint(old: [RuleSet], new: [RuleSet]) -> String {
        let pairs = new.compactMap { after in
            after.ancestry.first { base in old.contains { $0.name == base } }.map { "--ruleset \($0)=\(after.name)" }
        }
        guard !pairs.isEmpty else { return "; to compare two rule sets of different names, pair them: --ruleset OLD=NEW" }
        return "; to compare a rule set with the one it builds on, pair them: " + pairs.joined(separator: ", ")
    }

    static func names(_ ruleSets: [RuleSet]) -> String {
        ruleSets.isEmpty ? "none" : ruleSets.map(\.name).joined(separator: ", ")
    }

    /// Loads one side's rules; prints the diagnostics and returns the exit code on failure. What
    /// lint finds wrong in rules that load (L502: two values from one day) and the library's notes
    /// (a bundled rule set shadowed by a copy) are said as `soe evaluate` says them: the rules are
    /// compared as they are, and the policy officer learns what in them `soe check` refuses.
    static func load(
        _ paths: [String], side: String, library: RuleLibrary, language: Language, console: Console
    ) -> Result<[RuleSet], ExitCode> {
        switch RuleLoader.load(paths: paths, library: library) {
        case .failure(let failure):
            console.errorLine(DisplayText.line("soe diff: the \(side) rules: \(failure.message)"))
            return .failure(.ioError)
        case .success(let result):
            let errors = result.diagnostics.filter { $0.severity == .error }
            guard errors.isEmpty else {
                for diagnostic in Diagnostic.sortedForOutput(errors) { console.errorLine(DiagnosticRenderer.annotated(diagnostic) + "\n") }
                console.errorLine(
                    "soe diff: the \(side) rules have \(errors.count) error\(errors.count == 1 ? "" : "s"); nothing was compared")
                return .failure(.rulesError)
            }
            RuleTruth.printNotes(result, command: "diff", language: language, console: console)
            RuleTruth.warnLintErrors(result, command: "diff", side: side, language: language, console: console)
            return .success(result.ruleSets)
        }
    }

    /// How the firms are read: as a batch of `evaluate` reads them; a file that is neither CSV nor
    /// JSON Lines by name or `--input-format` is one firm, a JSON firm file.
    static func batchOptions(_ parsed: Arguments, language: Language) throws(UsageError) -> BatchOptions {
        let path = parsed.positionals[0]
        var inputFormat = BatchOptions.InputFormat.jsonl
        if let given = parsed.options["--input-format"] {
            guard let format = BatchOptions.InputFormat(rawValue: given) else {
                throw UsageError("--input-format must be one of csv, jsonl, xlsx, not '\(given)'")
            }
            inputFormat = format
        } else if let byName = BatchEvaluation.inputFormat(ofPath: path) {
            inputFormat = byName
        } else if BatchEvaluation.startsAsZip(path) {
            // A workbook under another name (`firms.bin`, a download), as `evaluate` reads it.
            inputFormat = .xlsx
        } else if path == "-" {
            throw UsageError("with - give --input-format csv or jsonl")
        }
        let dialect = try EvaluateCommand.dialect(parsed)
        if inputFormat != .csv && parsed.options["--dialect"] != nil {
            throw UsageError("--dialect applies to CSV input, not \(inputFormat == .xlsx ? "an .xlsx workbook" : "JSON Lines")")
        }
        if parsed.options["--sheet"] != nil && inputFormat != .xlsx {
            throw UsageError("--sheet names a sheet of an .xlsx workbook; the input is \(inputFormat.rawValue)")
        }
        var options = BatchOptions(
            inputFormat: inputFormat, dialect: dialect, outputFormat: .csv, language: language,
            sourceName: path == "-" ? "<stdin>" : path)
        if let given = parsed.options["--jobs"] {
            guard let count = Int(given), (1...64).contains(count) else {
                throw UsageError("--jobs must be a whole number from 1 to 64, not '\(given)'")
            }
            guard inputFormat == .csv || count == 1 else { throw UsageError("--jobs applies to CSV input") }
            options.jobs = count
        }
        options.sheetName = parsed.options["--sheet"]
        options.percent = try EvaluateCommand.percentReading(parsed)
        return options
    }
}
