import SoeEngine
import SoeLanguage
import SoeLint

/// `soe evaluate`: classify firms under rule sets and print the explanation.
enum EvaluateCommand {
    static let help = """
        Usage: soe evaluate --rules <file-or-folder> [options] <firm.json | ->...

        Classifies each firm under each rule set and explains the decision: every outcome tried in
        order, the criteria with their citations, the values against the thresholds, and the data used.
        When data is missing, the result is "undetermined" with the exact inputs that would decide it.

        Options:
          --rules PATH        a rule file, or a folder of .rules files (required)
          --ruleset NAME      evaluate only this rule set (may be repeated)
          --format text|json|record|html
                              text for people (default); the JSON trace (schema soe-trace/2, with bounds
                              for missing inputs and what would change the result); a sealed
                              decision record for the archive (schema soe-record/1, checked later with
                              'soe verify'); or a self-contained, printable HTML dossier
          --lang da|en        language of the engine's words (default: from LC_ALL, LC_MESSAGES or LANG, else en)
          --borderline SHARE  flag a decision that a change of at most SHARE (such as '2 %') in one input would
                              overturn, naming the input (default: the rule set's 'borderline', if any)
          --output FILE       write to FILE (complete or not at all) instead of standard output
          --help              show this help

        A firm file is a JSON object: {"name": …, "cvr": "13748136", "fiscal_year": 2024, <input>: <value>, …}.
        '-' reads the firm from standard input.

        \(BatchEvaluation.help)

        Exit codes: 0 evaluated, 2 usage, 3 rule file errors, 4 firm data errors, 5 a file cannot be read or written,
        6 interrupted (the --output file is removed).
        """

    /// Every flag of `evaluate`, for single firms and batches alike.
    static let valuedFlags: Set<String> = [
        "--rules", "--ruleset", "--format", "--lang", "--output", "--input-format", "--dialect", "--jobs", "--borderline",
    ]
    static let switchFlags: Set<String> = ["--help", "--trace", "--progress", "--no-progress"]
    /// Formats for a single firm; `ExtraTraceFormats` adds its own.
    static let singleFormats = ["text", "json"] + ExtraTraceFormats.formats

    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        let parsed: Arguments
        let format: String
        let language: Language
        do {
            parsed = try Arguments(arguments, valued: valuedFlags, switches: switchFlags)
            language = try SoeCommand.language(parsed.options["--lang"], environment: environment)
            if BatchEvaluation.isBatch(parsed) {
                format = parsed.options["--format"] ?? ""
            } else {
                format = try parsed.choice("--format", singleFormats, default: "text")
            }
        } catch {
            return SoeCommand.usage(error, command: "evaluate", console: console)
        }
        if parsed.switches.contains("--help") {
            console.out(help + "\n")
            return .success
        }
        var borderline: Exact?
        if let text = parsed.options["--borderline"] {
            switch BorderlineShare.parse(text) {
            case .success(let share): borderline = share
            case .failure(let error): return SoeCommand.usage(UsageError(error.text(language)), command: "evaluate", console: console)
            }
        }
        if !BatchEvaluation.isBatch(parsed) {
            // Batch flags would do nothing here; said, rather than ignored.
            if parsed.options["--jobs"] != nil {
                let error = UsageError("--jobs applies to a batch (CSV input), not a single firm")
                return SoeCommand.usage(error, command: "evaluate", console: console)
            }
            if parsed.switches.contains("--trace") {
                let error = UsageError("--trace applies to a batch; for one firm, --format json writes the whole trace")
                return SoeCommand.usage(error, command: "evaluate", console: console)
            }
        }
        guard let rulesPath = parsed.options["--rules"] else {
            return SoeCommand.usage(UsageError("--rules is required"), command: "evaluate", console: console)
        }
        guard !parsed.positionals.isEmpty else {
            return SoeCommand.usage(UsageError("give a firm file (or - for standard input)"), command: "evaluate", console: console)
        }
        let ruleSets: [RuleSet]
        let otherInputs: [String: String]
        switch loadRules(rulesPath, selected: parsed.repeated["--ruleset"] ?? [], console: console) {
        case .failure(let code): return code
        case .success(let loaded): (ruleSets, otherInputs) = loaded
        }
        if BatchEvaluation.isBatch(parsed) {
            return BatchEvaluation.run(
                parsed, ruleSets: ruleSets, otherInputs: otherInputs, language: language,
                console: console, environment: environment)
        }
        var exit = ExitCode.success
        var traces: [Trace] = []
        var texts: [String] = []
        var documents: [JSONOutput] = []
        for path in parsed.positionals {
            let bytes: [UInt8]
            switch FileSystem.read(path) {
            case .failure(let failure):
                console.errorLine("soe evaluate: \(failure.message)")
                exit = worst(exit, .ioError)
                continue
            case .success(let read): bytes = read
            }
            let source = path == "-" ? "<stdin>" : path
            let firm: Firm
            let boundInputs: [BoundInputs]
            switch FirmReader.read(bytes, source: source, ruleSets: ruleSets) {
            case .failure(let errors):
                report(errors, language: language, console: console)
                exit = worst(exit, .dataError)
                continue
            case .success(let read): (firm, boundInputs) = read
            }
            for warning in firm.warnings {
                console.errorLine("\(firm.source):\(warning.line):\(warning.column): warning: \(warning.field): \(warning.text(language))")
            }
            for (ruleSet, bound) in zip(ruleSets, boundInputs) {
                var evaluator = Evaluator(ruleSet: ruleSet)
                let decision = evaluator.evaluate(inputs: bound.values, on: firm.closingDay)
                evaluator.settleEverything()
                var trace = TraceBuilder.build(
                    evaluator: evaluator, decision: decision, firm: firm, bound: bound,
                    engineVersion: SoeVersion.current)
                // Records and dossiers stay as they were (soe-trace/1 inside a record, which
                // `soe verify` re-renders); text and JSON show the analysis.
                if format == "json" || format == "text" {
                    trace.analysis = evaluator.analysis(of: decision, borderline: borderline ?? ruleSet.borderline)
                }
                traces.append(trace)
                if format == "json" {
                    documents.append(JSONTraceRenderer.document(trace))
                } else if format == "text" {
                    texts.append(TextTraceRenderer.render(trace, language: language))
                }
            }
        }
        // Every firm rejected: nothing to write, and no empty output file that looks like a result.
        if traces.isEmpty { return exit }
        let output: String
        if let extra = ExtraTraceFormats.render(traces, format: format, language: language) {
            output = extra
        } else if format == "json" {
            output = (documents.count == 1 ? documents[0] : .array(documents)).serialized(pretty: true) + "\n"
        } else {
            output = texts.joined(separator: "\n")
        }
        if let target = parsed.options["--output"] {
            if case .failure(let failure) = FileSystem.writeAtomically(Array(output.utf8), to: target) {
                console.errorLine("soe evaluate: \(failure.message)")
                return .ioError
            }
        } else {
            console.out(output)
        }
        return exit
    }

    /// Loads and checks the rules; prints diagnostics and returns the exit code on failure. Gives
    /// the rule sets `selected` (all when none is), and the inputs of those left out, each with the
    /// first rule set that declares it, so that a batch can tell their columns from typos.
    static func loadRules(
        _ path: String, selected: [String],
        console: Console
    ) -> Result<(ruleSets: [RuleSet], otherInputs: [String: String]), ExitCode> {
        switch RuleLoader.load(path: path) {
        case .failure(let failure):
            console.errorLine("soe evaluate: \(failure.message)")
            return .failure(.ioError)
        case .success(let result):
            let errors = result.diagnostics.filter { $0.severity == .error }
            if !errors.isEmpty {
                for diagnostic in Diagnostic.sortedForOutput(errors) {
                    console.errorLine(DiagnosticRenderer.annotated(diagnostic) + "\n")
                }
                console.errorLine(
                    "soe evaluate: the rules have \(errors.count) error\(errors.count == 1 ? "" : "s"); nothing was evaluated")
                return .failure(.rulesError)
            }
            if selected.isEmpty { return .success((result.ruleSets, [:])) }
            var chosen: [RuleSet] = []
            for name in selected {
                guard let ruleSet = result.ruleSets.first(where: { $0.name == name }) else {
                    let names = result.ruleSets.map(\.name)
                    console.errorLine("soe evaluate: no rule set '\(name)' in \(path) (there are: \(names.joined(separator: ", ")))")
                    return .failure(.usage)
                }
                chosen.append(ruleSet)
            }
            var otherInputs: [String: String] = [:]
            for ruleSet in result.ruleSets where !selected.contains(ruleSet.name) {
                for input in ruleSet.inputs where otherInputs[input.name] == nil {
                    otherInputs[input.name] = ruleSet.name
                }
            }
            return .success((chosen, otherInputs))
        }
    }

    /// Prints every data error of a firm as `file:line:col: error: field: message`, the message in
    /// the caseworker's language (`error`/`fejl` and the code-like parts stay as editors read them).
    static func report(_ errors: DataErrors, language: Language, console: Console) {
        for error in errors.errors {
            let field = error.field.isEmpty ? "" : "\(error.field): "
            console.errorLine("\(errors.source):\(error.line):\(error.column): error: \(field)\(error.text(language))")
        }
    }

    static func worst(_ a: ExitCode, _ b: ExitCode) -> ExitCode { a.rawValue >= b.rawValue ? a : b }
}
