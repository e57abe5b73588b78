import SoeEngine
import SoeLanguage
import SoeLint

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `soe evaluate` on many firms: a CSV file (RFC 4180 or Danish Excel) or JSON Lines, one result
/// per row and rule set, streamed. Maps the flags to `BatchRunner` and its outcome to an exit code:
/// 0 when every row was evaluated, 4 when a row was rejected or the header is wrong, 5 when the
/// input cannot be read or the output written, 6 when interrupted (the output file is removed).
enum BatchEvaluation {
    /// The batch part of `soe evaluate --help`.
    static let help = """
        Batch input (a .csv, .jsonl, .ndjson or .xlsx file, in any letter case, or --input-format with any file or -):
          --input-format csv|jsonl|xlsx  read many firms: CSV with a header row, one JSON object per line,
                              or a workbook's sheet with a header row (a file that starts as a ZIP
                              archive is read as a workbook)
          --sheet NAME        the sheet of an .xlsx workbook to read (default: the first)
          --dialect auto|rfc4180|excel-da|semicolon-point|tab
                              CSV dialect: ',' and decimal point, ';' and decimal comma (Danish
                              Excel), ';' and decimal point, or tab and decimal point; auto
                              (default) decides from the header row and says so, and refuses a
                              number such as 3.600 that reads two ways unless the file shows which
          --format csv|xlsx|jsonl|record|html  results as CSV (default), as an .xlsx workbook (needs
                              --output FILE), or JSON Lines, one per row and rule set;
                              sealed decision records (soe-record/1) as JSON Lines, one per row and
                              rule set, for 'soe verify'; or an HTML overview (counts per outcome, a
                              row per firm) for batches of up to \(BatchHTML.maxRows) rows
          --layout wide|long  CSV results: one row per firm with the results of every rule set in words
                              and headers in the --lang language (wide, the default), or one row per
                              firm and rule set with identifiers, for machines (long); xlsx is wide,
                              JSON Lines and records are long
          --title TEXT        the HTML overview's title (default: the input file's name without its folder)
          --trace             add the full trace to each result (JSON Lines only), as soe-trace-stream/3:
                              a header line per rule set first, then each result's "trace" holds
                              what varies by row; it expands to the soe-trace/1 documents exactly
          --jobs N            evaluate a CSV batch on N threads (1 to 64, default 1); the results
                              are the same, byte for byte, in the same order
          --borderline SHARE  add a borderline column: the input a change of at most SHARE (such as
                              '2 %') in which would overturn the decision (also with a rule set's 'borderline')
          --progress          show progress on standard error even when it is not a terminal
          --no-progress       never show progress
        --trace and --jobs apply to a batch only. With --ruleset, a CSV column of a rule set left out is
        not read, with a warning. A summary goes to standard error. Exit code 4 when any row was rejected.
        """

    /// Whether the command line asks for a batch: `--input-format`, a file whose name says it, or
    /// a file that starts as a ZIP archive (a workbook, whatever its name).
    static func isBatch(_ arguments: Arguments) -> Bool {
        if arguments.options["--input-format"] != nil || arguments.options["--sheet"] != nil { return true }
        return arguments.positionals.contains { inputFormat(ofPath: $0) != nil || startsAsZip($0) }
    }

    /// Whether the file at `path` begins with the ZIP signature `PK\u{3}\u{4}` (`InputSniffer.isZip`);
    /// false for standard input and anything but a regular file, which are not read ahead here.
    static func startsAsZip(_ path: String) -> Bool {
        // A named pipe is not even opened: a writer waiting on it would be let in, write into a
        // pipe that this look then closes, and the firm's bytes were gone for the real read, which
        // then waited for a writer for ever.
        guard FileSystem.isRegularFile(path), let fd = FileSystem.openDescriptor(path, O_RDONLY | O_NONBLOCK) else {
            return false
        }
        defer { InputFile(fd: fd, owned: true).close() }
        // Only a regular file is looked into: reading ahead in a pipe (`<(cat firm.json)`) would
        // take its first bytes from the reader that comes after.
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return false }
        var head = [UInt8](repeating: 0, count: 4)
        #if canImport(Darwin)
            let count = head.withUnsafeMutableBytes { Darwin.read(fd, $0.baseAddress, 4) }
        #elseif canImport(Musl)
            let count = head.withUnsafeMutableBytes { Musl.read(fd, $0.baseAddress, 4) }
        #else
            let count = head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 4) }
        #endif
        return count == 4 && InputSniffer.isZip(head)
    }

    /// The batch format a file's name says: `.csv` is CSV, `.jsonl` and `.ndjson` are JSON Lines,
    /// in any letter case (`FIRMS.CSV`, as some systems name their exports); nil for any other name.
    static func inputFormat(ofPath path: String) -> BatchOptions.InputFormat? {
        let name = path.lowercased()
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonl }
        if name.hasSuffix(".xlsx") || name.hasSuffix(".xlsm") { return .xlsx }
        return nil
    }

    /// The results' format an `--output` file's extension names, in any letter case: `xlsx`,
    /// `csv`, `jsonl` (also `.ndjson`) or `html` (also `.htm`); nil for any other name.
    static func formatOfOutput(_ path: String) -> String? {
        let name = path.lowercased()
        if name.hasSuffix(".xlsx") { return "xlsx" }
        if name.hasSuffix(".csv") { return "csv" }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return "jsonl" }
        if name.hasSuffix(".html") || name.hasSuffix(".htm") { return "html" }
        return nil
    }

    /// Runs the batch the command line describes. `otherInputs` are the inputs of the rule sets
    /// loaded but not selected (see `BatchOptions.otherInputs`).
    static func run(
        _ arguments: Arguments, ruleSets: [RuleSet], otherInputs: [String: String] = [:], asOf: Day? = nil,
        language: Language, console: Console, environment: [String: String]
    ) -> ExitCode {
        var options: BatchOptions
        let wantsHTML = arguments.options["--format"] == "html"
        do throws(UsageError) {
            options = try parseOptions(arguments, language: language)
            if wantsHTML && options.traces { throw UsageError("--trace writes JSON traces, so it needs --format jsonl, not html") }
        } catch {
            return SoeCommand.usage(error, command: "evaluate", console: console)
        }
        options.otherInputs = otherInputs
        options.asOf = asOf
        guard let input = openInput(arguments.positionals[0], console: console) else { return .ioError }
        defer { input.close() }
        // From the temporary file's creation on, the batch stops by itself on a signal (between
        // rows, or in a read) to report how far it got and remove its partial output.
        return Interruption.cooperating {
            run(arguments, input: input, ruleSets: ruleSets, options: options, wantsHTML: wantsHTML, console: console)
        }
    }

    /// The batch file given, open for reading; nil when it cannot be read, after saying why (a
    /// folder, a missing file, a device).
    static func openInput(_ path: String, console: Console) -> InputFile? {
        guard let input = InputFile.open(path) else {
            let code = errno  // before anything else can change it
            console.shownErrorLine(
                "soe evaluate: cannot read \(path): \(FileSystem.isDirectory(path) ? "it is a folder" : FileSystem.openProblem(path, code))"
            )
            return nil
        }
        if let problem = input.deviceProblem {
            input.close()
            console.shownErrorLine("soe evaluate: cannot read \(path): \(problem)")
            return nil
        }
        return input
    }

    /// The notices a batch's reading gives on standard error in any run: a Windows-1252 input read
    /// as such, and the sheet of a workbook.
    static func addNotices(to hooks: inout BatchHooks, language: Language, console: Console) {
        hooks.encoding = { finding in
            console.shownErrorLine("soe evaluate: \(noticeLabel(language)): " + (language == .danish ? finding.danish : finding.message))
        }
        hooks.sheet = { report in console.shownErrorLine("soe evaluate: \(report.text(language))") }
    }

    /// The batch once its input is open: the output, the run, and how it ended.
    static func run(
        _ arguments: Arguments, input: InputFile, ruleSets: [RuleSet], options: BatchOptions, wantsHTML: Bool, console: Console
    ) -> ExitCode {
        let language = options.language
        let sink: BatchSink
        var atomic: AtomicFileSink?
        var background: BackgroundSink?
        var sheet: XLSXSink?
        if let target = arguments.options["--output"], target != "-", options.outputFormat == .xlsx {
            // The sheet is collected beside the output, then packed into it (see XLSXSink).
            switch XLSXSink.create(beside: target, sheetName: language == .danish ? "Resultater" : "Results") {
            case .failure(let failure):
                console.shownErrorLine("soe evaluate: \(failure.message)")
                return .ioError
            case .success(let created): sheet = created
            }
        }
        if let target = arguments.options["--output"], target != "-" {
            switch AtomicFileSink.create(target) {
            case .failure(let failure):
                // A signal while opening (a FIFO waits for its reader) is the interruption, not a
                // failure of the file: the same exit and words as a batch stopped between rows.
                if Interruption.requested {
                    console.shownErrorLine("soe evaluate: interrupted before any row was read; nothing was written")
                    return .interrupted
                }
                console.shownErrorLine("soe evaluate: \(failure.message)")
                return .ioError
            case .success(let created):
                atomic = created
                // The file is written on a thread of its own, beside the evaluation (see BackgroundSink).
                let writer = BackgroundSink(created)
                background = writer
                sink = writer
            }
        } else {
            // Standard output too is written on a thread of its own (a batch's results redirected
            // to a file, `> results.csv`, are as many bytes as with --output). The console keeps
            // its first failure, which ends the batch at the next hand-over.
            let writer = BackgroundSink(ConsoleSink(console: console))
            background = writer
            sink = writer
        }
        if let notice = BatchEvaluation.jobsNotice(
            jobs: options.jobs, processors: BatchOptions.usableProcessors, language: options.language)
        {
            console.shownErrorLine("soe evaluate: " + notice)
        }
        let switches = arguments.switches
        let showProgress = !switches.contains("--no-progress") && (switches.contains("--progress") || console.errorIsTerminal)
        let progress = ProgressLine(console: console, enabled: showProgress, language: options.language)
        var hooks = BatchHooks(
            dialect: { report in
                console.shownErrorLine("soe evaluate: \(BatchEvaluation.dialectLabel(options.language)): \(report.text(options.language))")
            },
            headerWarnings: { warnings in
                let limit = DisplayText.repeatedMessageLimit
                for warning in warnings.prefix(limit) {
                    console.shownErrorLine("\(options.sourceName):1: warning: \(warning.text(options.language))")
                }
                if warnings.count > limit {
                    let more = BatchWords(options.language).moreNotShown(warnings.count - limit, shown: limit)
                    console.shownErrorLine("\(options.sourceName):1: warning: " + more)
                }
            },
            progress: { rows in progress.update(rows) },
            shouldStop: { Interruption.requested })
        addNotices(to: &hooks, language: options.language, console: console)
        // A rejected row has no record: said on standard error, row by row, so that none disappears.
        hooks.rejected = { rejection in console.shownErrorLine("soe evaluate: " + BatchWords(options.language).noRecord(rejection)) }
        // HTML is drawn from the JSON Lines results once the batch is done (see BatchHTML).
        let memory = OverviewSink(limit: BatchHTML.maxRows * max(1, ruleSets.count))
        var end = BatchRunner(ruleSets: ruleSets, options: options).run(
            input.source, to: wantsHTML ? memory : sheet ?? sink, hooks: hooks)
        progress.finish()
        if let sheet {
            if case .finished(let summary) = end, let failure = sheet.finish(to: sink) { end = .outputFailed(failure, summary) }
            sheet.close()
        }
        if memory.overflowed {
            _ = background?.finish()
            atomic?.discard()
            console.errorLine("soe evaluate: " + BatchHTML.tooLarge(language))
            return .usage
        }
        if wantsHTML, case .finished(let summary) = end {
            let title = arguments.options["--title"] ?? BatchHTML.title(ofSource: options.sourceName)
            let page = BatchHTML.overview(
                results: memory.bytes, ruleSets: ruleSets, language: language,
                source: BatchHTML.title(ofSource: options.sourceName), title: title)
            if let failure = sink.write(Array(page.utf8)) { end = .outputFailed(failure, summary) }
        }
        // Every byte handed over is written before the file is committed or removed.
        if let failure = background?.finish(), case .finished(let summary) = end { end = .outputFailed(failure, summary) }
        // A read or a write that a signal cut short is the interruption, not a failure of the file.
        end = BatchEvaluation.interruptedIfRequested(end)
        // Standard output closed or its pipe broken: `SoeCommand` reports it once (or ends quietly).
        if case .outputFailed = end, console.outputFailure != 0 {
            atomic?.discard()
            return .ioError
        }
        return finish(end, atomic: atomic, source: options.sourceName, language: options.language, console: console)
    }

    /// Reports how the batch ended, commits or removes the output file, and picks the exit code.
    static func finish(_ end: BatchEnd, atomic: AtomicFileSink?, source: String, language: Language, console: Console) -> ExitCode {
        let words = BatchWords(language)
        // A failed read or write is told in English, as every message about files is (docs/cli.md,
        // Languages), and the note about the output file with it, so that a line has one language.
        let notWritten = "the output file was not written"
        func printSummary(_ summary: BatchSummary) {
            for line in summary.lines(source: source, language: language) { console.shownErrorLine("soe evaluate: " + line) }
        }
        switch end {
        case .headerRejected(let errors):
            atomic?.discard()
            // At most `DisplayText.repeatedMessageLimit` lines, then the count of the rest.
            let limit = DisplayText.repeatedMessageLimit
            for error in errors.prefix(limit) {
                console.shownErrorLine("\(source):1: error: \(error.text(language))")
            }
            if errors.count > limit {
                console.shownErrorLine("\(source):1: error: " + words.moreNotShown(errors.count - limit, shown: limit))
            }
            console.shownErrorLine("soe evaluate: " + words.headerProblems(errors.count))
            return .dataError
        case .notBatchInput(let finding):
            atomic?.discard()
            console.shownErrorLine("\(source): error: \(language == .danish ? finding.danish : finding.message)")
            console.shownErrorLine("soe evaluate: " + words.nothingEvaluated)
            return .dataError
        case .inputFailed(let message, let summary):
            atomic?.discard()
            printSummary(summary)
            console.shownErrorLine("soe evaluate: \(message)" + BatchEvaluation.outputNote(atomic, partial: notWritten, language: .english))
            return .ioError
        case .outputFailed(let failure, let summary):
            let message = failure.message
            atomic?.discard()
            printSummary(summary)
            console.shownErrorLine("soe evaluate: \(message)" + BatchEvaluation.outputNote(atomic, partial: notWritten, language: .english))
            return .ioError
        case .interrupted(let summary):
            atomic?.discard()
            printSummary(summary)
            console.shownErrorLine(
                "soe evaluate: " + words.interrupted(after: summary.rowsRead)
                    + BatchEvaluation.outputNote(atomic, partial: words.partialOutputRemoved, language: language))
            return .interrupted
        case .finished(let summary):
            if let failure = atomic?.commit() {
                console.shownErrorLine("soe evaluate: \(failure.message)")
                return .ioError
            }
            printSummary(summary)
            return summary.rowsRejected > 0 ? .dataError : .success
        }
    }

    /// What became of `--output` after a batch stopped early: for a file, `partial` (already in
    /// `language`); for a device or pipe, written straight through, that the results so far went out.
    static func outputNote(_ atomic: AtomicFileSink?, partial: String, language: Language) -> String {
        guard let atomic else { return "" }
        return "; " + (atomic.isAtomic ? partial : BatchWords(language).resultsWent(to: atomic.path))
    }

    /// The batch flags as options; a wrong combination is a usage error.
    /// How the one batch file given is read: its format (`--input-format`, else its name or its
    /// first bytes), and its CSV dialect (`--dialect`, CSV only); `--sheet` for a workbook only.
    static func inputReading(_ arguments: Arguments) throws(UsageError) -> (BatchOptions.InputFormat, BatchDialect?) {
        let path = arguments.positionals[0]
        let inputFormat: BatchOptions.InputFormat
        if let given = arguments.options["--input-format"] {
            guard let format = BatchOptions.InputFormat(rawValue: given) else {
                throw UsageError("--input-format must be one of csv, jsonl, xlsx, not '\(given)'")
            }
            inputFormat = format
        } else {
            inputFormat = BatchEvaluation.inputFormat(ofPath: path) ?? (startsAsZip(path) ? .xlsx : .jsonl)
        }
        if arguments.options["--sheet"] != nil && inputFormat != .xlsx {
            throw UsageError("--sheet names a sheet of an .xlsx workbook; the input is \(inputFormat.rawValue)")
        }
        let dialect = try EvaluateCommand.dialect(arguments)
        if inputFormat != .csv && arguments.options["--dialect"] != nil {
            throw UsageError("--dialect applies to CSV input, not \(inputFormat == .xlsx ? "an .xlsx workbook" : "JSON Lines")")
        }
        return (inputFormat, dialect)
    }

    static func parseOptions(_ arguments: Arguments, language: Language) throws(UsageError) -> BatchOptions {
        guard arguments.positionals.count == 1 else {
            throw UsageError("give one batch file at a time (or - with --input-format); found \(arguments.positionals.count)")
        }
        let path = arguments.positionals[0]
        let (inputFormat, dialect) = try inputReading(arguments)
        let traces = arguments.switches.contains("--trace")
        // Without --format, an --output file's extension says it (`results.xlsx` is a workbook);
        // with one, a workbook and a text file are never written under each other's extension.
        let target = arguments.options["--output"].flatMap { $0 == "-" ? nil : $0 }
        let named = target.flatMap(Self.formatOfOutput)
        if let target, named == "html", arguments.options["--format"] != "html" {
            throw UsageError(
                "--output '\(target)' names an HTML page; give --format html for the overview, or an --output for the results' own format")
        }
        var output = try arguments.choice(
            "--format", BatchOutputFormat.allCases.map(\.rawValue) + ["html"],
            default: traces ? "jsonl" : named ?? "csv")
        if let named, let target, named != "html", (named == "xlsx") != (output == "xlsx") {
            // Also without --format: `--trace` writes JSON Lines, never a workbook.
            let written = arguments.options["--format"].map { "--format \($0)" } ?? "--trace"
            throw UsageError(
                output == "xlsx"
                    ? "--format xlsx writes a workbook, but --output '\(target)' names a text file; give --output FILE.xlsx"
                    : "\(written) writes text, but --output '\(target)' names a workbook (.xlsx), which it would not be; give --format xlsx, or an --output that ends in .\(output == "html" ? "html" : output)"
            )
        }
        if output == "html" { output = "jsonl" }
        if traces && output != "jsonl" { throw UsageError("--trace writes JSON traces, so it needs --format jsonl") }
        if output == BatchOutputFormat.xlsx.rawValue && (arguments.options["--output"] ?? "-") == "-" {
            throw UsageError("--format xlsx writes a workbook, not text; give --output FILE.xlsx")
        }
        let layout = try arguments.choice("--layout", BatchResultLayout.allCases.map(\.rawValue), default: "wide")
        if let given = arguments.options["--layout"] {
            if given == "wide" && output != "csv" && output != "xlsx" {
                throw UsageError("--layout wide applies to csv and xlsx results; \(output) results are long")
            }
            if given == "long" && output == "xlsx" {
                throw UsageError("xlsx results are wide; for the long layout give --format csv --layout long")
            }
        }
        var jobs = 1
        if let given = arguments.options["--jobs"] {
            guard let count = Int(given), (1...64).contains(count) else {
                throw UsageError("--jobs must be a whole number from 1 to 64, not '\(given)'")
            }
            guard inputFormat != .jsonl || count == 1 else { throw UsageError("--jobs applies to CSV input, not JSON Lines") }
            jobs = count
        }
        if output == BatchOutputFormat.record.rawValue && jobs > 1 {
            throw UsageError("--jobs applies to csv and jsonl results; records are made row by row")
        }
        var options = BatchOptions(
            inputFormat: inputFormat, dialect: dialect, outputFormat: BatchOutputFormat(rawValue: output) ?? .csv,
            traces: traces, traceFormat: .stream, language: language, sourceName: path == "-" ? "<stdin>" : path)
        options.jobs = jobs
        options.layout = BatchResultLayout(rawValue: layout) ?? .wide
        options.sheetName = arguments.options["--sheet"]
        options.percent = try EvaluateCommand.percentReading(arguments)
        if let given = arguments.options["--borderline"] {
            switch BorderlineShare.parse(given) {
            case .success(let share): options.borderline = share
            case .failure(let error): throw UsageError(error.text(language))
            }
        }
        return options
    }
}

/// The batch input: a file opened for reading, or standard input for `-`.
struct InputFile {
    let fd: Int32
    let owned: Bool
    var source: FileDescriptorSource { FileDescriptorSource(fd: fd) }

    static func open(_ path: String) -> InputFile? {
        if path == "-" { return InputFile(fd: 0, owned: false) }
        guard !FileSystem.isDirectory(path), let fd = FileSystem.openDescriptor(path, O_RDONLY) else { return nil }
        return InputFile(fd: fd, owned: true)
    }

    /// Why a named input that is a device is refused (`FileSystem.deviceProblem`): a batch would
    /// read `/dev/zero` until a signal. Standard input (`-`) is read as it is given.
    var deviceProblem: String? { owned ? FileSystem.deviceProblem(fd) : nil }

    func close() {
        #if canImport(Darwin)
            if owned { _ = Darwin.close(fd) }
        #elseif canImport(Musl)
            if owned { _ = Musl.close(fd) }
        #else
            if owned { _ = Glibc.close(fd) }
        #endif
    }
}

/// Results to standard output through the console, so in-process tests capture them.
final class ConsoleSink: BatchSink {
    let console: Console
    init(console: Console) { self.console = console }
    func write(_ bytes: [UInt8]) -> ToolError? {
        console.out(bytes: bytes)
        // Stop the batch at once when standard output fails: nobody gets the rest.
        guard console.outputFailure != 0 else { return nil }
        return ToolError("cannot write standard output: \(console.outputFailureReason)")
    }
}

extension BatchEvaluation {
    /// The label of a line about the CSV dialect: "dialect", "dialekt".
    static func dialectLabel(_ language: Language) -> String { language == .danish ? "dialekt" : "dialect" }
    /// The label of a notice about the input (its text encoding): "notice", "bemærk".
    static func noticeLabel(_ language: Language) -> String { language == .danish ? "bemærk" : "notice" }

    /// The notice for `--jobs` above the processors this process may use at once
    /// (`BatchOptions.usableProcessors`): the threads would take turns, so the batch is no faster
    /// than with as many as there are processors. Nil at or below them: the flag is used as given
    /// either way, and the results are the same.
    /// `processors` is read only for more than one job: a batch of one thread (every one-firm run)
    /// reads no control group files at start-up for it.
    static func jobsNotice(jobs: Int, processors: @autoclosure () -> Int, language: Language) -> String? {
        guard jobs > 1 else { return nil }
        let processors = max(1, processors())
        guard jobs > processors else { return nil }
        return noticeLabel(language) + ": " + BatchWords(language).jobsAboveProcessors(jobs: jobs, processors: processors)
    }
}

/// A progress line on standard error, rewritten in place with `\r` at most twice a second, in the
/// language of the batch's other words.
final class ProgressLine {
    let console: Console
    let enabled: Bool
    let language: Language
    private let started = ContinuousClock.now
    private var shown = ContinuousClock.now
    private var width = 0

    /// Makes a progress line; a disabled one shows nothing.
    /// The command the line names (`soe diff` shows its own name, not evaluate's).
    let command: String

    init(console: Console, enabled: Bool, language: Language = .english, command: String = "evaluate") {
        self.console = console
        self.enabled = enabled
        self.language = language
        self.command = command
    }

    /// Shows `rows` read so far, unless the line was rewritten less than half a second ago.
    func update(_ rows: Int) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard now - shown >= .milliseconds(500) else { return }
        shown = now
        let elapsed = now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Int(Double(rows) / seconds) : 0
        let text = "soe \(command): " + BatchWords(language).progress(rows: rows, rate: rate)
        width = max(width, text.count)
        console.error("\r" + text.padding(width))
    }

    /// Clears the line so the summary starts at the left margin.
    func finish() {
        guard enabled, width > 0 else { return }
        console.error("\r" + String(repeating: " ", count: width) + "\r")
    }
}

extension BatchEvaluation {
    /// A run that a signal cut short ends as the interruption, whatever read or write the signal
    /// broke: the input and the output did not fail. Shared by `evaluate` and `diff`.
    static func interruptedIfRequested(_ end: BatchEnd) -> BatchEnd {
        guard Interruption.requested else { return end }
        switch end {
        case .finished(let summary), .inputFailed(_, let summary), .outputFailed(_, let summary): return .interrupted(summary)
        case .headerRejected, .notBatchInput, .interrupted: return end
        }
    }
}
