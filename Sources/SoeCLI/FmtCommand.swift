import SoeEngine
import SoeLanguage

/// `soe fmt`: rewrite rule files in the canonical layout (docs/language.md, "Canonical layout").
enum FmtCommand {
    static let help = """
        Usage: soe fmt [--check] [--diff] <rules | ->...

        Rewrites rule files (a file, or every .rules file in a folder) in the canonical layout:
        indentation, spacing, line breaks and the order of clauses within a declaration, keeping every
        comment and blank line between groups. Formatting never changes what a file says, and a
        second run changes nothing.

        A file is rewritten in place, complete or not at all, keeping its permissions. A file that does
        not parse or check is never rewritten: its problems are printed instead.
        '-' reads a rule file from standard input and writes it, formatted, to standard output.

        Options:
          --check   write nothing; list the files that are not in the canonical layout, exit 1 if any
          --diff    write nothing; print what formatting would change, as a unified diff, exit 1 if any
          --lang da|en  language of a rule file's problems, as for check (default: from LC_ALL,
                    LC_MESSAGES or LANG, else en)
          --help    show this help

        Exit codes: 0 formatted (or, with --check and --diff, already canonical), 1 a file would change,
        2 usage, 3 a rule file has errors, 5 a file cannot be read or written.
        """

    /// What happened to one file, for the summary and the exit code.
    enum Result {
        case unchanged
        case changed
        case failed(ExitCode)
    }

    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        let parsed: Arguments
        let language: Language
        do {
            parsed = try Arguments(arguments, valued: ["--lang"], switches: ["--help", "--check", "--diff"])
            language = try SoeCommand.language(parsed.options["--lang"], environment: environment)
        } catch {
            return SoeCommand.usage(error, command: "fmt", console: console)
        }
        if parsed.switches.contains("--help") {
            console.out(help + "\n")
            return .success
        }
        guard !parsed.positionals.isEmpty else {
            return SoeCommand.usage(
                UsageError("give at least one rule file or folder, or - for standard input"), command: "fmt", console: console)
        }
        let check = parsed.switches.contains("--check")
        let diff = parsed.switches.contains("--diff")
        // `-` writes the formatted text to standard output, where the other files' lines would mix
        // into it (a file so written no longer checks); standard input can be read once.
        if !check && !diff && parsed.positionals.contains("-") && parsed.positionals.count > 1 {
            return SoeCommand.usage(
                UsageError(
                    "- writes the formatted rule file to standard output, so it cannot be given with other files or a second -; format them in a run of their own"
                ), command: "fmt", console: console)
        }
        if parsed.positionals.filter({ $0 == "-" }).count > 1 {
            return SoeCommand.usage(UsageError("- is given twice; standard input can be read once"), command: "fmt", console: console)
        }
        let library = RuleLibrary.standard(environment: environment)
        var files: [String] = []
        for path in parsed.positionals {
            guard path != "-", FileSystem.isDirectory(path) else {
                files.append(path)
                continue
            }
            switch FileSystem.list(path, extension: ".rules") {
            case .failure(let failure):
                console.errorLine(DisplayText.line("soe fmt: \(failure.message)"))
                return .ioError
            case .success(let list) where list.isEmpty:
                console.errorLine(DisplayText.line("soe fmt: no .rules files in the folder \(path)"))
                return .ioError
            case .success(let list):
                files += list
                for file in SkippedRuleFile.find(in: path) { console.errorLine(DisplayText.line("soe fmt: \(file.text(language))")) }
            }
        }
        // A file reached twice (a folder and a file in it, `./x.rules` and `x.rules`, a link) is
        // formatted and counted once, as `check` reads it once.
        var seen: Set<FileIdentity> = []
        files = files.filter { path in
            guard path != "-", let identity = FileSystem.identity(path) else { return true }
            return seen.insert(identity).inserted
        }
        var exit = ExitCode.success
        var changed = 0
        var failed = 0
        for path in files {
            switch format(path, check: check, diff: diff, library: library, language: language, console: console) {
            case .unchanged: break
            case .changed:
                changed += 1
                if check || diff { exit = worst(exit, .findings) }
            case .failed(let code):
                exit = worst(exit, code)
                if path != "-" { failed += 1 }
            }
        }
        let fileCount = files.filter { $0 != "-" }.count
        if fileCount > 0 && !(files.contains("-") && !check) {
            let verb = check || diff ? "would be reformatted" : "reformatted"
            // A file with errors (or one that could not be read or written) is neither reformatted
            // nor in the canonical layout: it is counted apart.
            let kept = fileCount - changed - failed
            console.errorLine(
                "soe fmt: \(changed) file\(changed == 1 ? "" : "s") \(verb), \(kept) already in the canonical layout"
                    + (failed == 0 ? "" : ", \(failed) left as \(failed == 1 ? "it was" : "they were") (see the problems above)"))
        }
        return exit
    }

    /// Formats one file (or standard input) as the flags say.
    static func format(
        _ path: String, check: Bool, diff: Bool, library: RuleLibrary, language: Language = .english, console: Console
    ) -> Result {
        let shown = path == "-" ? "<stdin>" : path
        let bytes: [UInt8]
        switch FileSystem.read(path, limit: RuleLoader.maxFileSize) {
        case .failure(let failure):
            console.errorLine(DisplayText.line("soe fmt: \(failure.message)"))
            return .failed(.ioError)
        case .success(let read): bytes = read
        }
        let source = SourceFile(path: shown, bytes: bytes)
        // A file that does not check is never rewritten: its problems are what the user needs.
        let loaded = RuleLoader.load([source], library: library)
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            for diagnostic in Diagnostic.sortedForOutput(errors) {
                console.errorLine(DiagnosticRenderer.annotated(diagnostic, language: language) + "\n")
            }
            console.errorLine(
                DisplayText.line("soe fmt: \(shown) has \(errors.count) error\(errors.count == 1 ? "" : "s"); it is left as it is"))
            return .failed(.rulesError)
        }
        let formatted: String
        switch RuleFormatter.format(source) {
        case .failure(let refusal):
            for diagnostic in refusal.diagnostics { console.errorLine(DiagnosticRenderer.annotated(diagnostic, language: language) + "\n") }
            console.errorLine(
                DisplayText.line(
                    "soe fmt: \(shown) cannot be formatted safely (\(refusal.internalProblem ?? "it has errors")); it is left as it is. "
                        + "Please report this with the file."))
            return .failed(.rulesError)
        case .success(let text): formatted = text
        }
        let same = Array(formatted.utf8) == bytes
        if diff, !same {
            console.out(
                LineDiff.unified(String(decoding: bytes, as: UTF8.self), formatted, oldName: shown, newName: shown + " (formatted)"))
        }
        if check, !same, !diff { console.outLine(DisplayText.line(shown)) }
        if check || diff { return same ? .unchanged : .changed }
        if path == "-" {
            console.out(formatted)
            return same ? .unchanged : .changed
        }
        if same { return .unchanged }
        // Rewritten by a new file renamed over it, which the folder's permission alone would allow:
        // a file its owner made read-only (often to keep it as sealed in decision records) is not.
        if let protection = OutputGuard.writeProtection(path) {
            let fix =
                protection.otherOwner == nil
                ? "Make it writable (chmod u+w \(shown)) to format it" : "Format a copy of your own, or ask its owner to"
            console.errorLine(DisplayText.line("soe fmt: \(protection.reason(of: shown)); it is left as it was. \(fix)"))
            return .failed(.ioError)
        }
        // A new file renamed over the old one (complete or not at all) is a new file: the old one's
        // other names (hard links) keep the old text. Said, not silently split.
        let links = OutputGuard.linkCount(path) ?? 1
        if case .failure(let failure) = FileSystem.writeAtomically(Array(formatted.utf8), to: path) {
            console.errorLine(DisplayText.line("soe fmt: \(failure.message); \(shown) is left as it was"))
            return .failed(.ioError)
        }
        console.outLine(DisplayText.line("formatted \(shown)"))
        if links > 1 {
            let others = links - 1
            console.errorLine(
                DisplayText.line(
                    "soe fmt: note: \(shown) had \(others) other name\(others == 1 ? "" : "s") (a hard link), which \(others == 1 ? "keeps" : "keep") the old text; the file was replaced, not rewritten in place"
                ))
        }
        return .changed
    }

    /// The more serious of two exit codes: an error outranks "would change".
    static func worst(_ a: ExitCode, _ b: ExitCode) -> ExitCode {
        func rank(_ code: ExitCode) -> Int {
            switch code {
            case .success: 0
            case .findings: 1
            default: 2 + Int(code.rawValue)
            }
        }
        return rank(b) > rank(a) ? b : a
    }
}
