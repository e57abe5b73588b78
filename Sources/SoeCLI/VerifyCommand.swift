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

/// `soe verify`: confirm that a decision record still matches the archived rules and input, or
/// say exactly what changed. The checks are `RecordVerifier`'s; this maps flags and exit codes.
enum VerifyCommand {
    static let help = """
        Usage: soe verify <record.json> --rules <file-or-folder> <firm.json>...
               soe verify <records.jsonl> --rules <file-or-folder> <firms.csv | firms.jsonl>

        Confirms that a decision record (written by 'soe evaluate --format record', schema
        soe-record/1) still matches the rule files and the firm data it was made from: the record's
        own seal (record_sha256), the SHA-256 of each rule file and of the input, and then the whole
        record against a fresh evaluation. Prints 'verified: …' when everything agrees; otherwise
        'NOT VERIFIED: …' and one line per finding:

          record edited        the record's content no longer matches its record_sha256 (with the
                               fields that differ from the re-evaluation)
          rule file changed    a rule file's SHA-256 differs from the recorded one (the file is named)
          rule file missing    a recorded rule file is not among the rules given
          rule file added      the rule set now also reads a file the decision did not use
          rule set gone        the rules given do not declare the recorded rule set
          input changed        the firm data's SHA-256 differs from the recorded one
          decision changed     same rule files and input, but re-evaluation decides otherwise
          explanation changed  same rule files, input and decision, but the trace differs

        Rule files are matched to the recorded ones by file name, so archived copies in another
        folder verify. A record file may hold an array of records: with one firm file, every record
        is checked against it; with several, each record against the firm file of the same name.

          row rejected         (batch) the row the record was made from is now rejected
          row missing          (batch) the batch input has no such row

        Records of a batch ('soe evaluate --format record' on a CSV or JSON Lines file, one record
        per line) are verified against the batch file: give it as the firm data. Each record is
        checked with its row, in one pass over each file; a record is named by its line in the
        record file and by its row and id in the batch ('records.jsonl line 12 (firms.csv row 5,
        id S004)'). A verified record takes one line; a row of the batch without a record is noted.
        The batch's CSV dialect is detected again from its header row.

        Options:
          --rules PATH         the archived rule file, or a folder of .rules files (required; may be
                               repeated, the files of all read together). A rule set built upon
                               that no file given holds is looked for in SOE_RULES_PATH and among
                               the bundled copies, as 'soe evaluate' looks for it
          --percent fraction|points
                               how a percent written without '%' was read, as 'soe evaluate --percent'
                               read it: for records made before records stated it. A record made with
                               --percent states it (percent_reading) and is read with it; a different
                               --percent is then a usage error
          --format text|json   text for people (default): what differs, by name ("parameter
                               market_share_min: recorded 50 %, now 60 %"); or JSON Lines for
                               programs, one object per record, differences as JSON pointers
          --help               show this help

        Exit codes: 0 verified, 1 the record does not verify, 2 usage, 3 the rules do not check,
        4 the record or the firm data is malformed, 5 a file cannot be read.
        """

    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        let parsed: Arguments
        let json: Bool
        let percent: PercentReading?
        do {
            parsed = try Arguments(arguments, valued: ["--rules", "--format", "--percent"], switches: ["--help"], repeatable: ["--rules"])
            json = try parsed.choice("--format", ["text", "json"], default: "text") == "json"
            percent = try EvaluateCommand.percentReading(parsed)
        } catch {
            return SoeCommand.usage(error, command: "verify", console: console)
        }
        if parsed.switches.contains("--help") {
            console.out(help + "\n")
            return .success
        }
        guard let rulesPaths = parsed.repeated["--rules"], !rulesPaths.isEmpty else {
            return SoeCommand.usage(
                UsageError("--rules is required: the archived rule file or folder"), command: "verify", console: console)
        }
        guard parsed.positionals.count >= 2, let recordPath = parsed.positionals.first else {
            return SoeCommand.usage(
                UsageError("give the record and the firm file it was made from: soe verify <record.json> --rules <rules> <firm.json>"),
                command: "verify", console: console)
        }
        let inputs = Array(parsed.positionals.dropFirst())
        // A rule set built upon is found as evaluate found it: among the files given, in
        // SOE_RULES_PATH, or as this binary's bundled copy.
        let library = RuleLibrary.standard(environment: environment)
        // What `soe check` refuses in rules that load (L502, two values from one day) is said, as
        // `soe evaluate` said it when the record was made: the record is checked all the same.
        if case .success(let loaded) = RuleLoader.load(paths: rulesPaths, library: library) {
            RuleTruth.warnLintErrors(loaded, command: "verify", language: .english, console: console)
        }
        if inputs.count == 1, BatchEvaluation.inputFormat(ofPath: inputs[0]) != nil {
            return verifyBatch(
                recordPath: recordPath, rules: rulesPaths, library: library, input: inputs[0], percent: percent, json: json,
                console: console, environment: environment)
        }
        let checks: [RecordCheck]
        switch RecordVerifier.verify(
            recordPath: recordPath, rulesPaths: rulesPaths, library: library, inputPaths: inputs, percent: percent)
        {
        case .failure(let failure): return report(failure, command: "verify", console: console)
        case .success(let done): checks = done
        }
        var exit = ExitCode.success
        var advice = Set<RecordAdvice>()
        for check in checks {
            exit = EvaluateCommand.worst(exit, show(check, recordPath: recordPath, json: json, console: console))
            advice.formUnion(check.advice)
        }
        if !json { for line in RecordAdvice.lines(advice) { console.shownOutLine(line) } }
        return exit
    }

    /// Prints why verification could not start, and gives its exit code.
    static func report(_ failure: VerifyError, command: String, console: Console) -> ExitCode {
        switch failure {
        case .io(let failure):
            console.shownErrorLine("soe verify: \(failure.message)")
            return .ioError
        case .record(let path, let failure):
            console.shownErrorLine("\(path):\(failure.line):\(failure.column): error: \(failure.message)")
            return .dataError
        case .usage(let message):
            return SoeCommand.usage(UsageError(message), command: command, console: console)
        case .rules(let diagnostics):
            for diagnostic in Diagnostic.sortedForOutput(diagnostics) { console.errorLine(DiagnosticRenderer.annotated(diagnostic) + "\n") }
            console.shownErrorLine(
                "soe verify: the rules have \(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s"); no record can be re-evaluated")
            return .rulesError
        }
    }

    /// Prints one record's check and gives the exit code it calls for.
    static func show(_ check: RecordCheck, recordPath: String, json: Bool, console: Console) -> ExitCode {
        if json {
            console.outLine(check.json(recordPath: recordPath).serialized(pretty: false))
        } else {
            for line in check.report(recordPath: recordPath) { console.shownOutLine(line) }
        }
        switch check.failure {
        case .rules(let diagnostics):
            for diagnostic in Diagnostic.sortedForOutput(diagnostics) {
                console.errorLine(DiagnosticRenderer.annotated(diagnostic) + "\n")
            }
            console.shownErrorLine(
                "soe verify: the rules have \(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s"); the record cannot be re-evaluated"
            )
            return .rulesError
        case .data(let errors):
            EvaluateCommand.report(errors, language: .english, console: console)
            return .dataError
        case nil:
            return check.isVerified ? .success : .findings
        }
    }

    /// `soe verify records.jsonl --rules … firms.csv`: every record of a batch against its row.
    static func verifyBatch(
        recordPath: String, rules: [String], library: RuleLibrary, input: String, percent: PercentReading?, json: Bool,
        console: Console, environment: [String: String]
    ) -> ExitCode {
        // A record written across lines (one firm's record, or an array of them) read as JSON Lines
        // gave one "not a decision record" per line: one clear error instead.
        if let opening = firstLine(recordPath), opening == "{" || opening == "[" {
            console.shownErrorLine(
                "soe verify: \(recordPath) holds a decision record written across several lines (one firm's record, or an array of them), "
                    + "not batch records one per line; verify it against the firm file it was made from "
                    + "(soe verify \(recordPath) \(rules.map { "--rules " + $0 }.joined(separator: " ")) FIRM.json); \(input) is a batch, whose records are made with "
                    + "soe evaluate --format record on the batch")
            return .dataError
        }
        var exit = ExitCode.success
        var advice = Set<RecordAdvice>()
        let result = BatchRecordVerifier.verify(
            recordPath: recordPath, rulesPaths: rules, library: library, inputPath: input, percent: percent
        ) { event in
            switch event {
            case .checked(let check):
                exit = EvaluateCommand.worst(exit, show(check, recordPath: recordPath, json: json, console: console))
                advice.formUnion(check.advice)
            case .malformed(let line, let message):
                exit = EvaluateCommand.worst(exit, .dataError)
                if json {
                    let object = JSONOutput.object([
                        ("record", .string("\(recordPath) line \(line)")), ("verified", .bool(false)), ("error", .string(message)),
                    ])
                    console.outLine(object.serialized(pretty: false))
                } else {
                    console.shownOutLine("NOT VERIFIED: \(recordPath) line \(line): not a decision record: \(message)")
                }
            case .unrecorded(let place, let ruleSet, let recordedAs):
                // The file given is named, as the user knows it; the records' own name for it too when it differs.
                if json {
                    var members: [(String, JSONOutput)] = [("row", .string(place.description)), ("rule_set", .string(ruleSet))]
                    if let recordedAs { members.append(("recorded_source", .string(recordedAs))) }
                    members.append(("record", .null))
                    console.outLine(JSONOutput.object(members).serialized(pretty: false))
                } else {
                    let recorded = recordedAs.map { " (recorded as \($0))" } ?? ""
                    console.shownOutLine("note: \(place.description)\(recorded) has no record under \(ruleSet) in \(recordPath)")
                }
            }
        }
        if !json { for line in RecordAdvice.lines(advice) { console.shownOutLine(line) } }
        switch result {
        case .failure(let failure): return report(failure, command: "verify", console: console)
        case .success(let summary):
            var line = "soe verify: \(summary.verified) of \(summary.records) record\(summary.records == 1 ? "" : "s") verified"
            if summary.notVerified > 0 { line += ", \(summary.notVerified) NOT VERIFIED" }
            if summary.malformed > 0 { line += ", \(summary.malformed) line\(summary.malformed == 1 ? "" : "s") not a record" }
            if summary.unrecorded > 0 {
                line += "; \(summary.unrecorded) row\(summary.unrecorded == 1 ? "" : "s") of \(input) without a record"
            }
            console.shownErrorLine(line)
            if summary.records == 0 && summary.malformed == 0 { return .dataError }
            return exit
        }
    }

    /// The first line of a file without its surrounding spaces, read from at most its first 4 KiB;
    /// nil when it cannot be read or the line is longer.
    static func firstLine(_ path: String) -> String? {
        guard path != "-", let fd = FileSystem.openDescriptor(path, O_RDONLY) else { return nil }
        defer { _ = close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let count = buffer.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress, raw.count) }
        guard count > 0, let end = buffer[..<count].firstIndex(of: 0x0A) else { return nil }
        var line = buffer[..<end]
        while let last = line.last, last == 0x20 || last == 0x09 || last == 0x0D { line = line.dropLast() }
        while let first = line.first, first == 0x20 || first == 0x09 || first == 0xEF || first == 0xBB || first == 0xBF {
            line = line.dropFirst()
        }
        return String(decoding: line, as: UTF8.self)
    }
}
