import SoeEngine
import SoeLanguage

/// `soe evaluate --row N firms.csv`: one row of a batch file, read and bound exactly as the batch
/// reads it (the dialect, Danish numbers, an `.xlsx` sheet, `--percent`), then decided as one firm,
/// so that a firm kept in a spreadsheet gets what a firm file gets: the text, the JSON trace with
/// its analysis, the dossier, and a letter with its decision date and case number (its decision
/// record is made with its batch, which `soe verify` checks it against). The row is numbered as the batch's `row` column numbers it: the header is row 1 of a
/// CSV file or a sheet, and a JSON Lines file's rows are its lines.
enum BatchRowPick {
    /// The picked row's firm and its inputs under each rule set, or the exit code after the
    /// reason was said: no such row, the row rejected (with the batch's own reason), or the file
    /// not read.
    static func firm(
        _ arguments: Arguments, row wanted: Int, ruleSets: [RuleSet], otherInputs: [String: String], asOf: Day?,
        language: Language, console: Console
    ) -> Result<(Firm, [BoundInputs]), ExitCode> {
        let path = arguments.positionals[0]
        let options: BatchOptions
        do throws(UsageError) {
            options = try batchOptions(arguments, otherInputs: otherInputs, asOf: asOf, language: language)
        } catch {
            return .failure(SoeCommand.usage(error, command: "evaluate", console: console))
        }
        guard let input = BatchEvaluation.openInput(path, console: console) else { return .failure(.ioError) }
        defer { input.close() }
        var firm: Firm?
        var bound = [BoundInputs?](repeating: nil, count: ruleSets.count)
        var rejections: [String] = []
        var rows = 0
        // The header's warnings are about the batch's results (the columns no rule set reads are
        // carried into them): a row decided as one firm has none, and they are not said.
        var hooks = BatchHooks(
            // Every rule set of the row answered: the rows after it are not read.
            shouldStop: { Interruption.requested || (firm != nil || !rejections.isEmpty) && rows > wanted })
        BatchEvaluation.addNotices(to: &hooks, language: language, console: console)
        hooks.rowBound = { place, index, made, inputs in
            rows = max(rows, place.row)
            guard place.row == wanted else { return }
            firm = made
            bound[index] = inputs
        }
        hooks.rejected = { rejection in
            rows = max(rows, rejection.place.row)
            guard rejection.place.row == wanted else { return }
            let place = rejection.place.description(in: language)
            rejections.append(
                language == .danish
                    ? "\(place): rækken er afvist under \(rejection.ruleSet): \(rejection.reason)"
                    : "\(place): the row is rejected under \(rejection.ruleSet): \(rejection.reason)")
        }
        let end = Interruption.cooperating {
            BatchRunner(ruleSets: ruleSets, options: options).run(input.source, to: MemorySink(), hooks: hooks)
        }
        let words = language == .danish
        if !rejections.isEmpty {
            for rejection in rejections { console.shownErrorLine("soe evaluate: " + rejection) }
            return .failure(.dataError)
        }
        if let firm, bound.allSatisfy({ $0 != nil }) {
            return .success((firm, bound.compactMap { $0 }))
        }
        switch end {
        case .finished,
            .interrupted where !Interruption.requested:
            let first = options.inputFormat == .jsonl ? 1 : 2
            let why =
                wanted < first
                ? (words ? "række \(wanted) er overskriftsrækken" : "row \(wanted) is the header row")
                : rows == 0
                    ? (words ? "filen har ingen rækker med firmaer" : "the file has no rows of firms")
                    : (words ? "dens sidste række er \(rows)" : "its last row is \(rows)")
            console.shownErrorLine(
                words
                    ? "soe evaluate: \(options.sourceName) har ingen række \(wanted) med et firma: \(why); rækkerne tælles som resultaternes kolonne row"
                    : "soe evaluate: \(options.sourceName) has no row \(wanted) of a firm: \(why); rows are numbered as the results' row column numbers them"
            )
            return .failure(.dataError)
        default:
            return .failure(
                BatchEvaluation.finish(
                    BatchEvaluation.interruptedIfRequested(end), atomic: nil, source: options.sourceName, language: language,
                    console: console))
        }
    }

    /// The batch's reading of the file, as `BatchEvaluation.parseOptions` has it, without its
    /// output: a row picked is decided as one firm, so records (which carry the firm and its
    /// bound inputs) are asked for, one row at a time.
    static func batchOptions(
        _ arguments: Arguments, otherInputs: [String: String], asOf: Day?, language: Language
    ) throws(UsageError) -> BatchOptions {
        guard arguments.positionals.count == 1 else {
            throw UsageError("--row picks a row of one batch file; found \(arguments.positionals.count) files")
        }
        let path = arguments.positionals[0]
        let (inputFormat, dialect) = try BatchEvaluation.inputReading(arguments)
        var options = BatchOptions(
            inputFormat: inputFormat, dialect: dialect, outputFormat: .record, language: language,
            sourceName: path == "-" ? "<stdin>" : path)
        options.sheetName = arguments.options["--sheet"]
        options.percent = try EvaluateCommand.percentReading(arguments)
        options.otherInputs = otherInputs
        options.asOf = asOf
        return options
    }
}
