import SoeEngine
import SoeLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `--output` may not do, checked before anything is written or any temporary file made:
/// replace one of the command's own inputs (the firm data, a rule file, any file of a `--rules`
/// folder, standard input redirected from a file), whatever link leads to it, or replace a file
/// that is write-protected. Also sweeps the temporary files that killed runs left in the output's
/// folder (see `TemporaryFiles`).
enum OutputGuard {
    /// The checks before a command writes `output` (a file, not `-`), on one look at the path: the
    /// refusal, said on standard error, with its exit code; else the temporary files dead runs left
    /// beside it swept. Nothing is written between the look and the checks but the sweep's removal of
    /// dead runs' temporary files, which are files before and after, and the writer looks again right
    /// before it writes. The look is returned for the command's further checks
    /// (`EvaluateCommand.settlesFirst`).
    static func prepare(output: String, inputs: [String], command: String, console: Console) -> (target: OutputTarget, refused: ExitCode?) {
        let target = OutputTarget.of(output)
        if let (code, message) = refusal(output: output, target: target, inputs: inputs, command: command) {
            console.errorLine(message)
            return (target, code)
        }
        sweep(beside: output, target: target, command: command, console: console)
        return (target, nil)
    }

    /// Why `output` must not be written, with the exit code (2 for an input named as output, 5 for
    /// a write-protected file); nil when it may be. `output` of `-` is standard output.
    /// `flag`: the option that named the output, as the message names it.
    static func refusal(output: String, inputs: [String], command: String, flag: String = "--output") -> (ExitCode, String)? {
        refusal(output: output, target: OutputTarget.of(output), inputs: inputs, command: command, flag: flag)
    }

    /// `refusal(output:inputs:command:)` with the output looked at already: `target` is
    /// `OutputTarget.of(output)`, taken by the caller just before, so that the checks that follow one
    /// another before a command writes (this one, `sweep`, `EvaluateCommand.settlesFirst`) resolve
    /// the path's links once, not once each (four `readlink` and two `stat` a look).
    static func refusal(output: String, target: OutputTarget, inputs: [String], command: String, flag: String = "--output")
        -> (ExitCode, String)?
    {
        guard output != "-" else { return nil }
        if case .descriptor(let fd) = target, let written = FileSystem.identity(descriptor: fd) {
            // `--output /dev/fd/3` with `3<>firms.csv`: a descriptor opened on an input.
            for input in inputs where (input == "-" ? FileSystem.identity(descriptor: 0) : FileSystem.identity(input)) == written {
                let what = input == "-" ? "standard input" : "the input file \(input)"
                return (
                    .usage,
                    "soe \(command): \(flag) \(output) is a descriptor open on \(what); the results would replace it."
                        + " Nothing was written; choose another output file"
                )
            }
            return nil
        }
        guard case .file(let resolved) = target else { return nil }
        guard let target = FileSystem.identity(output) else { return nil }
        for input in inputs {
            let same: Bool
            if input == "-" {
                same = FileSystem.identity(descriptor: 0) == target
            } else {
                same = FileSystem.identity(input) == target
            }
            guard same else { continue }
            let what = input == "-" ? "standard input (redirected from that file)" : "the input file \(input)"
            let how = input == output || input == "-" ? "" : ", the same file by another path or link"
            return (
                .usage,
                "soe \(command): \(flag) \(output) is \(what)\(how); the results would replace it."
                    + " Nothing was written; choose another output file"
            )
        }
        if let protection = writeProtection(resolved) {
            return (
                .ioError,
                "soe \(command): cannot write \(output): \(protection.reason); it was left as it was."
                    + " \(protection.otherOwner == nil ? "Make it writable (chmod u+w \(output)) or choose" : "Choose") another output file"
            )
        }
        return nil
    }

    /// Why a regular file at `path` may not be written by this process: no write permission for
    /// anyone, or none for this process (root passes `access`, so the mode is asked first). Nil for
    /// a file that may be written, and for no file or another kind of file.
    static func writeProtection(_ path: String) -> WriteProtection? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o222 == 0 || access(path, W_OK) != 0 else {
            return nil
        }
        // Writable by its owner, who is someone else: `chmod u+w` would not help this user.
        let other = info.st_mode & 0o200 != 0 && info.st_uid != geteuid() ? UInt32(info.st_uid) : nil
        return WriteProtection(mode: String(info.st_mode & 0o777, radix: 8), otherOwner: other)
    }

    /// The number of names (hard links) of a regular file, 1 for none other; nil for no such file.
    static func linkCount(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_nlink)
    }

    /// Every rule file a `--rules` path stands for: the file, or every `.rules` file in the folder,
    /// whether it loaded or not; and the rule tests `soe test` reads with them, the `.csv`, `.json`
    /// and `.xlsx` files of the `tests` folder beside the rule files (their expectations are part of
    /// the rules). Other files kept there (last month's results beside the rules) are not inputs,
    /// and may be replaced.
    static func files(underRules path: String) -> [String] {
        let isFolder = FileSystem.isDirectory(path)
        let folder = isFolder ? path : FileSystem.directory(of: path)
        let rules = isFolder ? (try? FileSystem.list(path, extension: ".rules").get()) ?? [] : [path]
        return rules + RuleTestRunner.testFiles(in: (folder.hasSuffix("/") ? folder : folder + "/") + "tests")
    }

    /// The refusal when standard output is a file the command reads (`soe evaluate f.csv >> f.csv`,
    /// `soe fmt - < a.rules >> a.rules`): a batch would read its own results back as rows, for
    /// ever, and any other command would append to or replace its input. The inputs are the
    /// arguments that are not flags, nor the file after an output flag, with the rule files and
    /// tests under a folder, and standard input where `-` is one. Nil when standard output is no
    /// regular file (a terminal, a pipe) or no input is it.
    static func standardOutputRefusal(_ arguments: [String]) -> String? {
        guard let command = arguments.first, let out = FileSystem.identity(descriptor: 1) else { return nil }
        let outputFlags: Set<String> = ["--output", "--coverage-json", "--coverage-lcov"]
        var skipNext = false
        var named: [String] = []
        for argument in arguments.dropFirst() {
            if skipNext {
                skipNext = false
                continue
            }
            if outputFlags.contains(argument) {
                skipNext = true
                continue
            }
            if argument.hasPrefix("--") {
                // `--rules=rules`: the value is an input, unless the flag names an output.
                if let equals = argument.firstIndex(of: "="), !outputFlags.contains(String(argument[..<equals])) {
                    named.append(String(argument[argument.index(after: equals)...]))
                }
                continue
            }
            named.append(argument)
        }
        // `soe test` with no path reads the folder `rules` here.
        if command == "test" && !arguments.dropFirst().contains(where: { !$0.hasPrefix("-") }) { named.append("rules") }
        for argument in named where !argument.isEmpty {
            var same = false
            var shown = argument
            if argument == "-" {
                same = FileSystem.identity(descriptor: 0) == out
            } else if FileSystem.isDirectory(argument) {
                if let file = files(underRules: argument).first(where: { FileSystem.identity($0) == out }) {
                    same = true
                    shown = file
                }
            } else {
                same = FileSystem.identity(argument) == out
            }
            if same {
                let what = argument == "-" ? "the file standard input is read from" : "the input file \(shown)"
                // With `>` (no O_APPEND) the shell emptied the file before soe started: said, since
                // the data must come back from a copy.
                let appending = fcntl(1, F_GETFL) & O_APPEND != 0
                let how =
                    appending
                    ? "(written with >>); the output would be appended to what is read. Nothing was read or written"
                    : "(written with >), which the shell emptied before soe started: restore it from a copy. Nothing was read or written"
                return "soe \(command): standard output is \(what) \(how); send the output to another file"
            }
        }
        return nil
    }

    /// Removes the temporary files killed runs left beside `output`, and says so on standard error;
    /// those of a process that still runs are named and left.
    static func sweep(beside output: String, command: String, console: Console) {
        sweep(beside: output, target: OutputTarget.of(output), command: command, console: console)
    }

    /// `sweep(beside:command:console:)` with the output looked at already (`OutputTarget.of(output)`).
    static func sweep(beside output: String, target: OutputTarget, command: String, console: Console) {
        guard output != "-", case .file(let resolved) = target else { return }
        for found in TemporaryFiles.sweep(folder: FileSystem.directory(of: resolved)) {
            if found.removed {
                console.errorLine(
                    "soe \(command): removed \(found.path), a temporary file left by an interrupted run (process \(found.process) is gone)")
            } else {
                console.errorLine(
                    "soe \(command): note: \(found.path) is a temporary file of process \(found.process), which still runs;"
                        + " left as it is (remove it by hand if that is not soe)")
            }
        }
    }
}

/// Why a file may not be written: its mode, and the owner when it is another user who may write it.
struct WriteProtection {
    let mode: String
    let otherOwner: UInt32?

    /// "the file is write-protected (mode 444)", or that it belongs to another user.
    var reason: String { reason(of: "the file") }

    /// The reason with `subject` for "the file": "messy.rules is write-protected (mode 444)".
    func reason(of subject: String) -> String {
        otherOwner.map { "\(subject) belongs to another user (uid \($0)) and only they may write it (mode \(mode))" }
            ?? "\(subject) is write-protected (mode \(mode))"
    }
}
