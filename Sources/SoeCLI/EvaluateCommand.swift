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
          --rules PATH        a rule file, or a folder of .rules files (required; may be repeated,
                              and every path given is loaded); a rule set built upon is also looked
                              for in the folders of SOE_RULES_PATH and among the bundled rule sets
          --ruleset NAME      evaluate only this rule set (may be repeated; a name given twice
                              is evaluated once, with a note)
          --format text|json|record|html|letter|letter-html
                              text for people (default): a summary, one line per rule set, then the
                              explanations; the JSON trace (schema soe-trace/2, with bounds for
                              missing inputs and what would change the result); a sealed decision
                              record for the archive (schema soe-record/1, checked later with
                              'soe verify'); a self-contained, printable HTML dossier; or a letter to
                              the firm, as text or as print-ready HTML: the result with its grounds
                              (an assessment unless the rule set says 'letter kind decision'), or a
                              request for the data still missing
          --brief             with --format text, print only the summary
          --decision-date YYYY-MM-DD
                              the date of the decision: shown in the dossier and the letter, and
                              recorded (and sealed) in a record; without it, nothing is dated
          --case-number TEXT  the case's number in the municipality's case system (such as 24/12345):
                              shown in the letter, the dossier and the text, and recorded (and
                              sealed) in a record; one firm file only
          --signed-by TEXT    who signs the letter (such as "Anne Jensen, sagsbehandler"), shown
                              below the regards; only with --format letter or letter-html. Without
                              it, the space is left for the caseworker's own signature
          --row N             decide row N of a batch file (CSV, JSON Lines or .xlsx; numbered as the
                              results' row column numbers it, the header being row 1) as one firm,
                              read exactly as the batch reads it: every format above but record
                              (a row's record is made with its batch), with --decision-date,
                              --case-number and --signed-by, so a firm kept in a spreadsheet gets
                              its letter
          --borderline SHARE  flag a decision that a change of at most SHARE (such as '2 %') in one input would
                              overturn, naming the input (default: the rule set's 'borderline', if any)
        \(AsOfOption.help)
          --percent fraction|points
                              how a percent written without '%' is meant, for the whole input: as a
                              fraction (0,1 is 10 %, as a raw spreadsheet export writes it) or in
                              percentage points (0,1 is 0,1 %); without it, a value between -1 and 1
                              with no '%' reads two ways and is refused with both readings
          --lang da|en        language of the engine's words (default: from LC_ALL, LC_MESSAGES or LANG, else en)
          --output FILE       write to FILE (complete or not at all) instead of standard output;
                              '-' is standard output. Never one of the inputs, never a
                              write-protected file; a file replaced keeps its permissions
          --help              show this help

        A firm file is a JSON object: {"name": …, "cvr": "13748136", "fiscal_year": 2024, <input>: <value>, …}.
        '-' reads the firm from standard input (at most 16 MiB, as a firm file).
        Any other flag given twice is a usage error.

        \(BatchEvaluation.help)

        Exit codes: 0 evaluated, 2 usage, 3 rule file errors, 4 firm data errors, 5 a file cannot be read or written,
        6 interrupted (the --output file is removed).
        """

    /// `--percent fraction|points`, or nil when it is not given.
    static func percentReading(_ parsed: Arguments) throws(UsageError) -> PercentReading? {
        guard parsed.options["--percent"] != nil else { return nil }
        return PercentReading(rawValue: try parsed.choice("--percent", PercentReading.allCases.map(\.rawValue), default: ""))
    }

    /// `--dialect`, nil for `auto` or none given (detected from the separator).
    static func dialect(_ parsed: Arguments) throws(UsageError) -> BatchDialect? {
        switch try parsed.choice("--dialect", ["auto", "rfc4180", "excel-da", "semicolon-point", "tab"], default: "auto") {
        case "rfc4180": return .rfc4180
        case "excel-da": return .excelDanish
        case "semicolon-point": return .semicolonPoint
        case "tab": return .tab
        default: return nil
        }
    }

    /// Every flag of `evaluate`, for single firms and batches alike.
    static let valuedFlags: Set<String> = [
        "--rules", "--ruleset", "--format", "--lang", "--output", "--input-format", "--dialect", "--jobs",
        "--decision-date", "--case-number", "--title", "--borderline", "--as-of", "--fiscal-year", "--layout", "--sheet", "--percent",
        "--row", "--signed-by",
    ]
    static let switchFlags: Set<String> = ["--help", "--trace", "--progress", "--no-progress", "--brief"]
    /// Formats for a single firm; `ExtraTraceFormats` adds its own.
    static let singleFormats = ["text", "json"] + ExtraTraceFormats.formats

    /// Runs `soe evaluate`. The lint errors of the rules are worked out beside the evaluation
    /// (`lintBeside`, see `RuleTruth.oweLintErrors`) or, with `lintBeside: false`, before it, as
    /// they were, which the tests compare.
    static func run(_ arguments: [String], console: Console, environment: [String: String], lintBeside: Bool = true) -> ExitCode {
        let code = evaluate(arguments, console: console, environment: environment, lintBeside: lintBeside)
        console.settle()
        return code
    }

    private static func evaluate(_ arguments: [String], console: Console, environment: [String: String], lintBeside: Bool) -> ExitCode {
        let parsed: Arguments
        let format: String
        let language: Language
        var decisionDate: Day?
        let asOf: Day?
        var percent: PercentReading?
        do throws(UsageError) {
            parsed = try Arguments(arguments, valued: valuedFlags, switches: switchFlags, repeatable: ["--rules", "--ruleset"])
            language = try SoeCommand.language(parsed.options["--lang"], environment: environment)
            if isBatchRun(parsed) {
                format = parsed.options["--format"] ?? ""
            } else {
                format = try parsed.choice("--format", singleFormats, default: "text")
            }
            decisionDate = try decisionDay(parsed)
            asOf = try AsOfOption.day(parsed)
            if asOf != nil && (format == "record" || parsed.options["--format"] == "record") {
                // A record is checked later against the firm's own fiscal year (`soe verify`).
                throw UsageError("--as-of and --fiscal-year make a what-if, not a decision: a record is made on the firm's own fiscal year")
            }
            if asOf != nil && ["letter", "letter-html"].contains(format) {
                // A letter is sent to the firm as the decision on its own fiscal year.
                throw UsageError(
                    "--as-of and --fiscal-year make a what-if, not a decision: a letter to the firm is written on its own fiscal year; use --format text or html for the what-if"
                )
            }
            percent = try percentReading(parsed)
            try checkSingleFirmFlags(parsed, format: format)
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
        let pickedRow: Int?
        do throws(UsageError) {
            pickedRow = try rowToPick(parsed)
        } catch {
            return SoeCommand.usage(error, command: "evaluate", console: console)
        }
        if !isBatchRun(parsed) {
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
        guard let rulesPaths = parsed.repeated["--rules"], !rulesPaths.isEmpty else {
            return SoeCommand.usage(UsageError("--rules is required"), command: "evaluate", console: console)
        }
        guard !parsed.positionals.isEmpty else {
            return SoeCommand.usage(UsageError("give a firm file (or - for standard input)"), command: "evaluate", console: console)
        }
        let ruleSets: [RuleSet]
        let otherInputs: [String: String]
        let ruleFiles: [String]
        let library = RuleLibrary.standard(environment: environment)
        switch loadRules(
            rulesPaths, selected: selectedRuleSets(parsed, console: console), library: library, language: language, console: console,
            lintBeside: lintBeside)
        {
        case .failure(let code): return code
        case .success(let loaded): (ruleSets, otherInputs, ruleFiles) = loaded
        }
        // Before anything is written: the output must not replace an input, nor a protected file.
        let outputPath = parsed.options["--output"].flatMap { $0 == "-" ? nil : $0 }
        // The output is looked at once for the checks that follow one another here (may it be
        // written, the temporary files beside it, does the console settle first).
        var outputTarget: OutputTarget?
        if let output = outputPath {
            let inputs = parsed.positionals + rulesPaths.flatMap(OutputGuard.files(underRules:)) + ruleFiles
            let look = OutputGuard.prepare(output: output, inputs: inputs, command: "evaluate", console: console)
            if let code = look.refused { return code }
            outputTarget = look.target
        }
        // The lint errors owed first (`Console.putFirst`) are written now when what follows may wait
        // for its input outside a batch's cooperating section (a signal there ends the process at
        // once) or write past the console: otherwise they could be lost, or come after the results.
        if settlesFirst(inputs: parsed.positionals, target: outputTarget) { console.settle() }
        if isBatchRun(parsed) {
            return BatchEvaluation.run(
                parsed, ruleSets: ruleSets, otherInputs: otherInputs, asOf: asOf, language: language,
                console: console, environment: environment)
        }
        var exit = ExitCode.success
        var traces: [Trace] = []
        var texts: [String] = []
        var documents: [JSONOutput] = []
        for path in parsed.positionals {
            let firm: Firm
            let boundInputs: [BoundInputs]
            if let pickedRow {
                // One row of a batch file, read as the batch reads it, decided as one firm.
                switch BatchRowPick.firm(
                    parsed, row: pickedRow, ruleSets: ruleSets, otherInputs: otherInputs, asOf: asOf, language: language,
                    console: console)
                {
                case .failure(let code): return code
                case .success(let picked): (firm, boundInputs) = picked
                }
            } else {
                let bytes: [UInt8]
                switch FileSystem.read(path, limit: FileSystem.firmFileLimit) {
                case .failure(let failure):
                    console.errorLine(DisplayText.line("soe evaluate: \(failure.message)"))
                    exit = worst(exit, .ioError)
                    continue
                case .success(let read): bytes = read
                }
                let source = path == "-" ? "<stdin>" : path
                switch FirmReader.read(bytes, source: source, ruleSets: ruleSets, percent: percent, otherInputs: otherInputs) {
                case .failure(let errors):
                    report(errors, language: language, console: console)
                    exit = worst(exit, .dataError)
                    continue
                case .success(let read): (firm, boundInputs) = read
                }
            }
            reportCapped(firm.warnings, source: firm.source, kind: "warning", language: language, console: console)
            if let decisionDate, decisionDate < firm.closingDay {
                // A decision on a fiscal year made before the year closed: a typo, most likely.
                console.shownErrorLine(
                    language == .danish
                        ? "soe evaluate: advarsel: \(firm.source): --decision-date \(decisionDate) er før regnskabsårets afslutning \(firm.closingDay)"
                        : "soe evaluate: warning: \(firm.source): --decision-date \(decisionDate) is before the fiscal year closes on \(firm.closingDay)"
                )
            }
            for (ruleSet, bound) in zip(ruleSets, boundInputs) {
                var evaluator = Evaluator(ruleSet: ruleSet)
                let decision = evaluator.evaluate(inputs: bound.values, on: asOf ?? firm.closingDay)
                evaluator.settleEverything()
                var trace = TraceBuilder.build(
                    evaluator: evaluator, decision: decision, firm: firm, bound: bound,
                    engineVersion: SoeVersion.current)
                trace.decisionDate = decisionDate
                trace.caseNumber = parsed.options["--case-number"]
                trace.percentReading = percent
                trace.asOf = asOf
                // Every rendering of one firm carries the analysis: text, JSON and the HTML
                // dossier show it, a letter what would change the decision, and a record seals it
                // (its trace is then soe-trace/2, which `soe verify` computes again and compares).
                if ["json", "text", "html", "letter", "letter-html", "record"].contains(format) {
                    trace.analysis = evaluator.analysis(of: decision, borderline: borderline ?? ruleSet.borderline)
                }
                traces.append(trace)
                if format == "json" {
                    documents.append(JSONTraceRenderer.document(trace, caseworker: true))
                } else if format == "text" {
                    texts.append(TextTraceRenderer.render(trace, language: language))
                }
            }
        }
        // Every firm rejected: nothing to write, and no empty output file that looks like a result.
        if traces.isEmpty { return exit }
        let output: String
        if let extra = ExtraTraceFormats.render(traces, format: format, language: language, signedBy: parsed.options["--signed-by"]) {
            output = extra
        } else if format == "json" {
            // One firm file, one document; several, an array, even where only one could be read.
            let one = documents.count == 1 && parsed.positionals.count == 1
            output = (one ? documents[0] : .array(documents)).serialized(pretty: true) + "\n"
        } else {
            // The summary first, one line per rule set; the explanations after it unless --brief.
            let summary = TextSummary.render(traces, language: language)
            output = parsed.switches.contains("--brief") ? summary : ([summary] + texts).joined(separator: "\n")
        }
        if let target = outputPath {
            // A file of the firms that could be read would look whole (an array of records, a
            // dossier titled by its count) without the one that could not: not written at all.
            guard exit == .success else {
                console.errorLine(
                    DisplayText.line(
                        "soe evaluate: \(target) was not written: a firm file could not be read (above), and the file would have held the others alone; correct that file, or leave it out"
                    ))
                return exit
            }
            if case .failure(let failure) = FileSystem.writeAtomically(Array(output.utf8), to: target) {
                console.errorLine(DisplayText.line("soe evaluate: \(failure.message)"))
                return .ioError
            }
        } else {
            console.out(output)
        }
        return exit
    }

    /// Whether the lint errors owed to the console must be written before the evaluation: when an
    /// input is not a regular file (standard input, a pipe, a FIFO: reading it may wait for as long
    /// as its writer likes), or the output is not a file written by a rename (one of this process's
    /// own descriptors, such as `/dev/stdout`, is written straight through, past the console; a
    /// FIFO or device is opened and written straight through, and opening a FIFO waits).
    static func settlesFirst(inputs: [String], output: String?) -> Bool {
        settlesFirst(inputs: inputs, target: output.map(OutputTarget.of))
    }

    /// `settlesFirst(inputs:output:)` with the output looked at already: `target` is
    /// `OutputTarget.of(output)`, nil for no output file.
    static func settlesFirst(inputs: [String], target: OutputTarget?) -> Bool {
        if inputs.contains(where: { !FileSystem.isRegularFile($0) }) { return true }
        guard let target else { return false }
        if case .file = target { return false }
        return true
    }

    /// Loads and checks the rules; prints diagnostics and returns the exit code on failure. Gives
    /// the rule sets `selected` (all when none is), and the inputs of those left out, each with the
    /// first rule set that declares it, so that a batch can tell their columns from typos.
    static func loadRules(
        _ paths: [String], selected: [String], library: RuleLibrary = .none, language: Language = .english,
        console: Console, command: String = "evaluate", lintBeside: Bool = false
    ) -> Result<(ruleSets: [RuleSet], otherInputs: [String: String], files: [String]), ExitCode> {
        let path = paths.joinedText(separator: ", ")
        switch RuleLoader.load(paths: paths, library: library) {
        case .failure(let failure):
            console.errorLine(DisplayText.line("soe \(command): \(failure.message)"))
            return .failure(.ioError)
        case .success(let result):
            let errors = result.diagnostics.filter { $0.severity == .error }
            if !errors.isEmpty {
                // In the caseworker's language, as `soe check --lang` writes them.
                for diagnostic in Diagnostic.sortedForOutput(errors) {
                    console.errorLine(DiagnosticRenderer.annotated(diagnostic, language: language) + "\n")
                }
                console.errorLine(
                    language == .danish
                        ? "soe \(command): reglerne har \(errors.count) fejl; intet blev vurderet"
                        : "soe \(command): the rules have \(errors.count) error\(errors.count == 1 ? "" : "s"); nothing was evaluated")
                return .failure(.rulesError)
            }
            RuleTruth.printNotes(result, command: command, language: language, console: console)
            // The rules run as they are; what lint finds wrong in them is said, not hidden: here,
            // or first of all that follows while the analysis runs beside (`lintBeside`).
            if lintBeside {
                RuleTruth.oweLintErrors(result, language: language, console: console)
            } else {
                for diagnostic in RuleTruth.lintErrors(result) {
                    console.errorLine(RuleTruth.evaluateWarning(diagnostic, language: language))
                }
            }
            let files = result.files.map(\.file.path).filter { !$0.hasPrefix(RuleLibrary.bundledPrefix) }
            if selected.isEmpty { return .success((result.ruleSets, [:], files)) }
            var chosen: [RuleSet] = []
            for name in selected {
                guard let ruleSet = result.ruleSets.first(where: { $0.name == name }) else {
                    let names = result.ruleSets.map(\.name)
                    console.errorLine(
                        DisplayText.line(
                            "soe \(command): no rule set '\(DisplayText.value(name))' in \(path) (there are: \(names.joined(separator: ", ")))"
                        ))
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
            return .success((chosen, otherInputs, files))
        }
    }

    /// The `--ruleset` names in the order given, each once: a name given twice would write every
    /// result twice, so the second is dropped, with a note.
    static func selectedRuleSets(_ parsed: Arguments, console: Console, command: String = "evaluate") -> [String] {
        var names: [String] = []
        for name in parsed.repeated["--ruleset"] ?? [] {
            if names.contains(name) {
                console.errorLine("soe \(command): note: --ruleset \(name) is given more than once; it is evaluated once")
            } else {
                names.append(name)
            }
        }
        return names
    }

    /// Prints every data error of a firm as `file:line:col: error: field: message`, the message in
    /// the caseworker's language (`error`/`fejl` and the code-like parts stay as editors read them).
    static func report(_ errors: DataErrors, language: Language, console: Console) {
        reportCapped(errors.errors, source: errors.source, kind: "error", language: language, console: console)
    }

    /// Prints data errors or warnings, one line each, escaped (see `DisplayText`): a field name
    /// from the data is cut short, and past `DisplayText.repeatedMessageLimit` lines the rest are
    /// counted in one line, as E404 caps the errors of a rule file.
    static func reportCapped(_ errors: [DataError], source: String, kind: String, language: Language, console: Console) {
        let limit = DisplayText.repeatedMessageLimit
        for error in errors.prefix(limit) {
            let field = error.field.isEmpty ? "" : "\(DisplayText.value(error.field)): "
            console.errorLine(DisplayText.line("\(source):\(error.line):\(error.column): \(kind): \(field)\(error.text(language))"))
        }
        guard errors.count > limit else { return }
        let more = errors.count - limit
        let line =
            switch (language, kind) {
            case (.danish, "warning"): "\(source): warning: \(counted(more, "advarsel", "advarsler")) mere; kun de første \(limit) er vist"
            case (.danish, _): "\(source): error: \(more) fejl mere; kun de første \(limit) er vist"
            case (_, "warning"): "\(source): warning: \(counted(more, "more warning", "more warnings")); only the first \(limit) are shown"
            default: "\(source): error: \(counted(more, "more error", "more errors")); only the first \(limit) are shown"
            }
        console.errorLine(DisplayText.line(line))
    }

    /// The `--decision-date`, checked as a calendar date.
    static func decisionDay(_ parsed: Arguments) throws(UsageError) -> Day? {
        guard let given = parsed.options["--decision-date"] else { return nil }
        guard let day = Day(iso: given) else {
            let hint = DateFlagHint.english(given).map { "; \($0)" } ?? ""
            throw UsageError("--decision-date must be a calendar date written YYYY-MM-DD, such as 2025-03-14, not '\(given)'\(hint)")
        }
        return day
    }

    /// Whether the command runs a batch: a batch file without `--row`, which decides one of its
    /// rows as one firm instead.
    static func isBatchRun(_ parsed: Arguments) -> Bool {
        BatchEvaluation.isBatch(parsed) && parsed.options["--row"] == nil
    }

    /// `--row N`: the row of a batch file to decide as one firm, numbered as the batch's `row`
    /// column numbers it; nil without the flag.
    static func rowToPick(_ parsed: Arguments) throws(UsageError) -> Int? {
        guard let given = parsed.options["--row"] else { return nil }
        guard BatchEvaluation.isBatch(parsed) else {
            throw UsageError(
                "--row picks a row of a batch file (CSV, JSON Lines or an .xlsx workbook); a firm file is one firm already")
        }
        guard let row = Int(given), row >= 1 else {
            throw UsageError(
                "--row takes a row number as the results' row column gives it (2 for the first firm of a CSV file), not '\(given)'")
        }
        if parsed.positionals.count != 1 {
            throw UsageError("--row picks a row of one batch file; found \(parsed.positionals.count) files")
        }
        if parsed.options["--format"] == "record" {
            // `soe verify` checks a batch's records against the batch, row by row.
            throw UsageError(
                "--row with --format record: a row's record is made and verified with its batch (soe evaluate --format record on the batch file, soe verify RECORDS --rules … BATCH)"
            )
        }
        // `--layout` and `--title` are refused with every single firm (`checkSingleFirmFlags`).
        if parsed.options["--jobs"] != nil {
            throw UsageError("--jobs applies to a batch; --row decides one row as one firm")
        }
        if parsed.switches.contains("--trace") {
            throw UsageError("--trace applies to a batch; with --row, --format json writes the row's whole trace")
        }
        return row
    }

    /// Flags that only some formats or modes use: said, rather than ignored.
    static func checkSingleFirmFlags(_ parsed: Arguments, format: String) throws(UsageError) {
        let batch = isBatchRun(parsed)
        if parsed.switches.contains("--brief") && (batch || format != "text") {
            throw UsageError("--brief shortens the text output of single firms (--format text) to its summary")
        }
        if parsed.options["--decision-date"] != nil && batch {
            throw UsageError("--decision-date applies to single firms; a batch is screened, not decided")
        }
        if let number = parsed.options["--case-number"] {
            try checkCaseNumber(number, batch: batch, firms: parsed.positionals.count)
        }
        if let name = parsed.options["--signed-by"] {
            try checkSignature(name, batch: batch, format: format)
        }
        if parsed.options["--title"] != nil && !(batch && format == "html") {
            throw UsageError("--title names the HTML overview of a batch (--format html with CSV or JSON Lines input)")
        }
        if parsed.options["--layout"] != nil && !batch {
            throw UsageError("--layout lays out the results of a batch (CSV input); one firm has no rows to lay out")
        }
    }

    /// The most characters a case number may have: case systems' numbers are short (`24/12345`,
    /// `27.12.08-P20-3-24`); a longer value is most likely another flag's text given here.
    static let caseNumberLimit = 64

    /// `--case-number`: one firm's case, a line of printable text.
    static func checkCaseNumber(_ number: String, batch: Bool, firms: Int) throws(UsageError) {
        if batch { throw UsageError("--case-number applies to single firms; a batch is screened, not decided") }
        if firms > 1 { throw UsageError("--case-number names one firm's case; give one firm file, not \(firms)") }
        try checkOneLine("--case-number", number, without: "it", fix: "; give the number as one line of text")
        if number.count > caseNumberLimit {
            throw UsageError("--case-number is \(number.count) characters long; a case number has at most \(caseNumberLimit)")
        }
    }

    /// `--signed-by`: who signs a letter, a line of printable text; only a letter is signed.
    static func checkSignature(_ name: String, batch: Bool, format: String) throws(UsageError) {
        if batch {
            throw UsageError(
                "--signed-by signs a letter to one firm; a batch writes no letters (--row N with --format letter decides one row as a firm)"
            )
        }
        if !["letter", "letter-html"].contains(format) {
            throw UsageError("--signed-by signs the letter to a firm (--format letter or letter-html); no other output is signed")
        }
        try checkOneLine(
            "--signed-by", name, without: "the name",
            fix: " (such as a line break); give the name and title as one line of text, such as \"Anne Jensen, sagsbehandler\"")
    }

    /// A flag's value printed as one line of a letter, dossier or record (`--case-number`,
    /// `--signed-by`): no space at either end, and no control or format character, which could
    /// break or hide the line. An empty value, or one of spaces only, is refused by `Arguments`
    /// already. `without` names the value in the fix, `fix` follows the control character's finding.
    static func checkOneLine(_ flag: String, _ value: String, without: String, fix: String) throws(UsageError) {
        if value.trimmingSpaces() != value {
            throw UsageError("\(flag) '\(DisplayText.value(value))' begins or ends with a space; give \(without) without")
        }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
            throw UsageError("\(flag) '\(DisplayText.value(value))' holds a control character\(fix)")
        }
    }

    static func worst(_ a: ExitCode, _ b: ExitCode) -> ExitCode { a.rawValue >= b.rawValue ? a : b }
}
