import SoeEngine
import SoeLanguage
import SoeLint

/// `soe verify`: confirm that a decision record still matches the archived rules and input, or
/// say exactly what changed. The checks are `RecordVerifier`'s; this maps flags and exit codes.
enum VerifyCommand {
    static let help = """
        Usage: soe verify <record.json> --rules <file-or-folder> <firm.json>...

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

        Options:
          --rules PATH   the archived rule file, or a folder of .rules files (required)
          --help         show this help

        Exit codes: 0 verified, 1 the record does not verify, 2 usage, 3 the rules do not check,
        4 the record or the firm data is malformed, 5 a file cannot be read.
        """

    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        let parsed: Arguments
        do {
            parsed = try Arguments(arguments, valued: ["--rules"], switches: ["--help"])
        } catch {
            return SoeCommand.usage(error, command: "verify", console: console)
        }
        if parsed.switches.contains("--help") {
            console.out(help + "\n")
            return .success
        }
        guard let rules = parsed.options["--rules"] else {
            return SoeCommand.usage(
                UsageError("--rules is required: the archived rule file or folder"), command: "verify", console: console)
        }
        guard parsed.positionals.count >= 2, let recordPath = parsed.positionals.first else {
            return SoeCommand.usage(
                UsageError("give the record and the firm file it was made from: soe verify <record.json> --rules <rules> <firm.json>"),
                command: "verify", console: console)
        }
        let checks: [RecordCheck]
        switch RecordVerifier.verify(recordPath: recordPath, rulesPath: rules, inputPaths: Array(parsed.positionals.dropFirst())) {
        case .failure(.io(let failure)):
            console.shownErrorLine("soe verify: \(failure.message)")
            return .ioError
        case .failure(.record(let path, let failure)):
            console.shownErrorLine("\(path):\(failure.line):\(failure.column): error: \(failure.message)")
            return .dataError
        case .failure(.usage(let message)):
            return SoeCommand.usage(UsageError(message), command: "verify", console: console)
        case .success(let done): checks = done
        }
        var exit = ExitCode.success
        for check in checks {
            for line in check.report(recordPath: recordPath) { console.shownOutLine(line) }
            switch check.failure {
            case .rules(let diagnostics):
                for diagnostic in Diagnostic.sortedForOutput(diagnostics) {
                    console.errorLine(DiagnosticRenderer.annotated(diagnostic) + "\n")
                }
                console.shownErrorLine(
                    "soe verify: the rules have \(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s"); the record cannot be re-evaluated"
                )
                exit = EvaluateCommand.worst(exit, .rulesError)
            case .data(let errors):
                EvaluateCommand.report(errors, language: .english, console: console)
                exit = EvaluateCommand.worst(exit, .dataError)
            case nil:
                if !check.isVerified { exit = EvaluateCommand.worst(exit, .findings) }
            }
        }
        return exit
    }
}
