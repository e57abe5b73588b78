import SoeEngine
import SoeLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `soe diff` once the rules are loaded: opens the firms and the output, runs `DiffRunner`, and
/// turns how it ended into messages and an exit code, as a batch of `evaluate` does.
enum DiffRun {
    static func run(
        _ parsed: Arguments, pairing: RuleSetPairing, options: BatchOptions, format: DiffFormat, context: DiffContext,
        console: Console
    ) -> ExitCode {
        let path = parsed.positionals[0]
        let firmFile =
            options.inputFormat == .jsonl && parsed.options["--input-format"] == nil && path != "-"
            && BatchEvaluation.inputFormat(ofPath: path) == nil
        var firmLine: [UInt8]?
        if firmFile {
            switch FileSystem.read(path, limit: FileSystem.firmFileLimit) {
            case .failure(let failure):
                console.errorLine(DisplayText.line("soe diff: \(failure.message)"))
                return .ioError
            case .success(let bytes):
                // A JSON firm file is one JSON object; its line breaks can only be white space
                // between tokens (a string holds none unescaped), so as one line it is the same
                // object, read by the batch's JSON Lines reader, with the same columns.
                firmLine = bytes.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
            }
        }
        let input = firmFile ? nil : InputFile.open(path)
        if !firmFile && input == nil {
            let code = errno
            console.shownErrorLine(
                "soe diff: cannot read \(path): \(FileSystem.isDirectory(path) ? "it is a folder" : FileSystem.openProblem(path, code))")
            return .ioError
        }
        defer { input?.close() }
        if let problem = input?.deviceProblem {
            console.shownErrorLine("soe diff: cannot read \(path): \(problem)")
            return .ioError
        }
        return Interruption.cooperating {
            return run(
                parsed, input: input, firmLine: firmLine, pairing: pairing, options: options, format: format, context: context,
                console: console)
        }
    }

    static func run(
        _ parsed: Arguments, input: InputFile?, firmLine: [UInt8]?, pairing: RuleSetPairing, options: BatchOptions,
        format: DiffFormat, context: DiffContext, console: Console
    ) -> ExitCode {
        let language = options.language
        let sink: BatchSink
        var atomic: AtomicFileSink?
        if let target = parsed.options["--output"], target != "-" {
            switch AtomicFileSink.create(target) {
            case .failure(let failure):
                if Interruption.requested {
                    console.shownErrorLine("soe diff: interrupted before any row was read; nothing was written")
                    return .interrupted
                }
                console.shownErrorLine("soe diff: \(failure.message)")
                return .ioError
            case .success(let created):
                atomic = created
                sink = created
            }
        } else {
            sink = ConsoleSink(console: console)
        }
        if let notice = BatchEvaluation.jobsNotice(jobs: options.jobs, processors: BatchOptions.usableProcessors, language: language) {
            console.shownErrorLine("soe diff: " + notice)
        }
        let switches = parsed.switches
        let showProgress = !switches.contains("--no-progress") && (switches.contains("--progress") || console.errorIsTerminal)
        let progress = ProgressLine(console: console, enabled: showProgress, language: language, command: "diff")
        let hooks = BatchHooks(
            dialect: { report in console.shownErrorLine("soe diff: \(BatchEvaluation.dialectLabel(language)): \(report.text(language))") },
            headerWarnings: { warnings in
                for warning in warnings.prefix(DisplayText.repeatedMessageLimit) {
                    console.shownErrorLine("\(options.sourceName):1: warning: \(warning.text(language))")
                }
            },
            progress: { rows in progress.update(rows) },
            shouldStop: { Interruption.requested })
        let runner = DiffRunner(pairing: pairing, options: options, format: format)
        var end: BatchEnd
        if let firmLine {
            end = runner.run(ArraySource(firmLine), to: sink, context: context, hooks: hooks)
        } else if let input {
            end = runner.run(input.source, to: sink, context: context, hooks: hooks)
        } else {
            return .ioError
        }
        progress.finish()
        end = BatchEvaluation.interruptedIfRequested(end)
        if case .outputFailed = end, console.outputFailure != 0 {
            atomic?.discard()
            return .ioError
        }
        return finish(end, atomic: atomic, source: options.sourceName, language: language, console: console)
    }

    /// Reports how the diff ended, commits or removes the output file, and picks the exit code.
    static func finish(_ end: BatchEnd, atomic: AtomicFileSink?, source: String, language: Language, console: Console) -> ExitCode {
        let words = BatchWords(language)
        func totals(_ summary: BatchSummary) {
            let totals = DiffTotals(summary)
            let line =
                language == .danish
                ? "læst \(totals.read): ændret \(totals.changed), uændret \(totals.unchanged), afvist \(totals.rejected)"
                : "read \(totals.read): changed \(totals.changed), unchanged \(totals.unchanged), rejected \(totals.rejected)"
            console.shownErrorLine("soe diff: \(source): " + line)
        }
        switch end {
        case .headerRejected(let errors):
            atomic?.discard()
            for error in errors.prefix(DisplayText.repeatedMessageLimit) {
                console.shownErrorLine("\(source):1: error: \(error.text(language))")
            }
            console.shownErrorLine("soe diff: " + words.headerProblems(errors.count))
            return .dataError
        case .notBatchInput(let finding):
            atomic?.discard()
            console.shownErrorLine("\(source): error: \(language == .danish ? finding.danish : finding.message)")
            console.shownErrorLine("soe diff: " + words.nothingEvaluated)
            return .dataError
        case .inputFailed(let message, let summary):
            atomic?.discard()
            totals(summary)
            console.shownErrorLine("soe diff: \(message)" + (atomic == nil ? "" : "; the output file was not written"))
            return .ioError
        case .outputFailed(let failure, let summary):
            let message = failure.message
            atomic?.discard()
            totals(summary)
            console.shownErrorLine("soe diff: \(message)" + (atomic == nil ? "" : "; the output file was not written"))
            return .ioError
        case .interrupted(let summary):
            atomic?.discard()
            totals(summary)
            console.shownErrorLine(
                "soe diff: " + words.interrupted(after: summary.rowsRead) + (atomic == nil ? "" : "; " + words.partialOutputRemoved))
            return .interrupted
        case .finished(let summary):
            if let failure = atomic?.commit() {
                console.shownErrorLine("soe diff: \(failure.message)")
                return .ioError
            }
            totals(summary)
            // Inputs no column held: every row lacks them, in the old rules or the new (a
            // criterion added on a new input), and a result that turned undetermined says why here.
            if let missing = words.missingColumns(summary) { console.shownErrorLine("soe diff: " + missing) }
            return summary.rowsRejected > 0 ? .dataError : .success
        }
    }
}
