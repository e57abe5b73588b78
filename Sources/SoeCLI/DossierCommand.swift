import SoeEngine
import SoeLanguage

/// `soe dossier`: the printable HTML dossier of decisions already recorded, made from the records
/// alone (their traces), with each record's own seal. A record whose seal does not match its
/// content is refused: the dossier would show an edited decision as the sealed one.
enum DossierCommand {
    static let help = """
        Usage: soe dossier <records> [--lang da|en] [--output FILE]

        Writes the HTML dossier (as 'soe evaluate --format html' does) of the decisions in a
        decision record file: one record (record.json), an array of records, or the JSON Lines of a
        batch's records (records.jsonl). Everything shown comes from the records themselves, so no
        rule files or firm data are needed: the explanation and, for a record of 'soe evaluate
        --format record', the analysis it seals (what the missing data leaves open, what would
        change the result, the borderline flag). Each decision shows its record's seal (record_sha256),
        by which the printed page is matched to the archived record. The outcome colours are
        neutral: a record does not say which outcomes are good news for the firm.

        Each record's seal is checked first. A record whose seal does not match its content was
        edited after it was made: nothing is written, and the message names the record. The seal
        says the record is as it was made; whether the rules and the data still give the same
        decision is what 'soe verify' checks.

        A dossier holds at most 500 decisions (a few printed pages each); pick the lines you need
        from a larger batch file first (sed -n '12p;40p' records.jsonl > some.jsonl).

        Options:
          --lang da|en     language of the dossier (default: from LC_ALL, LC_MESSAGES or LANG, else en)
          --output FILE    write the dossier to FILE instead of standard output (never over the record file)
          --help           show this help

        Exit codes: 0 written, 1 a record's seal does not match (nothing written), 2 usage,
        4 the file is not decision records, 5 a file cannot be read or written.
        """

    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        let parsed: Arguments
        let language: Language
        do {
            parsed = try Arguments(arguments, valued: ["--lang", "--output"], switches: ["--help"])
            language = try SoeCommand.language(parsed.options["--lang"], environment: environment)
        } catch {
            return SoeCommand.usage(error, command: "dossier", console: console)
        }
        if parsed.switches.contains("--help") {
            console.out(help + "\n")
            return .success
        }
        let danish = language == .danish
        guard parsed.positionals.count == 1, let path = parsed.positionals.first else {
            let message =
                danish
                ? "angiv én fil med afgørelsesposter: soe dossier <records.json|records.jsonl>"
                : "give one file of decision records: soe dossier <records.json|records.jsonl>"
            return SoeCommand.usage(UsageError(message), command: "dossier", console: console)
        }
        let outputPath = parsed.options["--output"].flatMap { $0 == "-" ? nil : $0 }
        if let output = outputPath {
            if let code = OutputGuard.prepare(output: output, inputs: [path], command: "dossier", console: console).refused { return code }
        }
        let records: [StoredRecord]
        switch FileSystem.read(path) {
        case .failure(let failure):
            console.shownErrorLine("soe dossier: \(failure.message)")
            return .ioError
        case .success(let bytes):
            switch DecisionRecord.readAny(bytes) {
            case .failure(let failure):
                console.shownErrorLine("\(path):\(failure.line):\(failure.column): \(danish ? "fejl" : "error"): \(failure.message)")
                return .dataError
            case .success(let read): records = read
            }
        }
        guard records.count <= DecisionRecord.dossierLimit else {
            let limit = DecisionRecord.dossierLimit
            let message =
                danish
                ? "\(path) har \(records.count) afgørelser; et dossier rummer højst \(limit). Vælg de linjer, du skal bruge "
                    + "(sed -n '12p;40p' \(ShellWord.quote(path)) > udvalgte.jsonl), og lav dossieret af dem"
                : "\(path) holds \(records.count) decisions; a dossier holds at most \(limit). Pick the lines you need "
                    + "(sed -n '12p;40p' \(ShellWord.quote(path)) > some.jsonl) and make the dossier of those"
            return SoeCommand.usage(UsageError(message), command: "dossier", console: console)
        }
        var traces: [Trace] = []
        for record in records {
            let which = records.count == 1 ? path : "\(path) (\(danish ? "post" : "record") \(record.index + 1))"
            switch record.trace() {
            case .success(let trace): traces.append(trace)
            case .failure(let failure):
                let edited = !record.isIntact
                let message =
                    edited
                    ? (danish
                        ? "posten er ændret, efter at den blev forseglet: dens record_sha256 er \(record.claimedSeal ?? "fraværende"), "
                            + "men indholdet giver \(record.computedSeal); kør soe verify for at se, hvad der er ændret"
                        : failure.message)
                    : (danish ? "posten kan ikke vises: \(failure.message)" : "the record cannot be shown: \(failure.message)")
                let head = danish ? "intet dossier" : "no dossier"
                console.shownErrorLine("soe dossier: \(which): \(message); \(head)")
                return edited ? .findings : .dataError
            }
        }
        let html = HTMLDossier.render(traces, language: language)
        if let target = outputPath {
            if case .failure(let failure) = FileSystem.writeAtomically(Array(html.utf8), to: target) {
                console.shownErrorLine("soe dossier: \(failure.message)")
                return .ioError
            }
        } else {
            console.out(html)
        }
        return .success
    }
}
