import SoeEngine
import SoeLanguage

/// `soe test`: runs the test cases written beside the rule files and reports what they reached.
enum TestCommand {
    static let help = """
        Usage: soe test [options] [PATH...]

        Runs rule tests: firms with the outcome a policy officer expects under each rule set.
        Each PATH is a rule file or a folder of rule files (default: rules/), whose tests are the
        .csv and .json files in the folder tests/ beside them; a .csv or .json file, or a folder
        holding no rule files, is taken as tests itself. See docs/testing.md for the forms:
          CSV   one firm per row, with a column expected:RULESET (or forventet:RULESET) holding
                an outcome name, undetermined, not_in_force or rejected, and optionally columns
                expected:RULESET.CRITERION holding yes/no/unknown (ja/nej/ukendt)
          JSON  a firm file with "_expected": {"RULESET": "outcome", "RULESET.CRITERION": true}

        A failure shows where the explanation differs: the outcome that did or did not apply, the
        criterion, and the comparison with its values.

        Options:
          --coverage            print which outcomes, criteria, operands (each yes and no), if
                                branches and dated parameter values the tests reached
          --coverage-json FILE  write the coverage as JSON (schema soe-coverage/1)
          --coverage-lcov FILE  write the coverage as an lcov tracefile, for editors and CI
          --min-coverage P      fail (exit 1) when any kind of coverage of any rule set is below
                                P percent; KIND=P sets one kind (outcomes, criteria, operands,
                                branches, dated_values); may be repeated
          --dialect auto|rfc4180|excel-da|semicolon-point|tab
                                how the CSV test files are written, as for soe evaluate
                                (default auto: from the separator)
          --percent fraction|points
                                how a percent written without % in the test files is meant,
                                as for soe evaluate (default: 0 < |x| < 1 without % is refused)
          --lang da|en          language of the report (default: from LC_ALL, LC_MESSAGES or LANG, else en)
          --help                show this help

        Exit codes: 0 every test passed (and coverage reached its floor), 1 a test failed or
        coverage is below the floor, 2 usage, 3 rule file errors, 4 a test file cannot be read as
        written (or there are none), 5 a file cannot be read or written.
        """

    static func run(_ arguments: [String], console: Console, environment: [String: String]) -> ExitCode {
        let parsed: Arguments
        let language: Language
        let floors: [CoverageKind: (numerator: Int, denominator: Int)]
        let dialect: BatchDialect?
        let percent: PercentReading?
        do throws(UsageError) {
            parsed = try Arguments(
                arguments, valued: ["--coverage-json", "--coverage-lcov", "--min-coverage", "--lang", "--dialect", "--percent"],
                switches: ["--help", "--coverage"], repeatable: ["--min-coverage"])
            language = try SoeCommand.language(parsed.options["--lang"], environment: environment)
            dialect = try EvaluateCommand.dialect(parsed)
            percent = try EvaluateCommand.percentReading(parsed)
            floors = try minimumCoverage(parsed.repeated["--min-coverage"] ?? [])
            if parsed.options["--coverage-json"] == "-" && parsed.options["--coverage-lcov"] == "-" {
                throw UsageError(
                    "--coverage-json - and --coverage-lcov - would both write to standard output, one document after the other; write one of them to a file"
                )
            }
        } catch {
            return SoeCommand.usage(error, command: "test", console: console)
        }
        if parsed.switches.contains("--help") {
            console.out(help + "\n")
            return .success
        }
        let paths = parsed.positionals.isEmpty ? ["rules"] : parsed.positionals
        let located = RuleTestRunner.locate(paths)
        guard !located.rules.isEmpty else {
            let error = UsageError("give a rule file or a folder of rule files (the test files alone do not say which rules they test)")
            return SoeCommand.usage(error, command: "test", console: console)
        }
        let ruleSets: [RuleSet]
        let ruleFiles: [String]
        switch RuleLoader.load(paths: located.rules, library: RuleLibrary.standard(environment: environment)) {
        case .failure(let failure):
            // Without a path the default is a folder `rules` here: say so where it is not.
            let hint =
                parsed.positionals.isEmpty && !FileSystem.isDirectory("rules")
                ? " (with no path given, soe test reads the folder rules/ here, and there is none: give the rule files or folder to test)"
                : ""
            console.errorLine(DisplayText.line("soe test: \(failure.message)\(hint)"))
            return .ioError
        case .success(let result):
            let errors = result.diagnostics.filter { $0.severity == .error }
            if !errors.isEmpty {
                for diagnostic in Diagnostic.sortedForOutput(errors) { console.errorLine(DiagnosticRenderer.annotated(diagnostic) + "\n") }
                console.errorLine("soe test: the rules have \(errors.count) error\(errors.count == 1 ? "" : "s"); nothing was tested")
                return .rulesError
            }
            ruleSets = result.ruleSets
            ruleFiles = result.files.map(\.file.path)
            // The tests run the rules as they are; what `soe check` refuses in them is said.
            RuleTruth.printNotes(result, command: "test", language: language, console: console)
            RuleTruth.warnLintErrors(result, command: "test", language: language, console: console)
        }
        // The two reports to one file: the second would replace the first without a word.
        // By identity where the file exists, else by its folder's identity and its name (`new.x`
        // and `./new.x`, neither written yet).
        func sameFile(_ a: String, _ b: String) -> Bool {
            if a == b { return true }
            guard a != "-", b != "-" else { return false }
            if let first = FileSystem.identity(a) { return first == FileSystem.identity(b) }
            guard FileSystem.identity(b) == nil, baseName(a) == baseName(b),
                let folder = FileSystem.identity(FileSystem.directory(of: a))
            else { return false }
            return folder == FileSystem.identity(FileSystem.directory(of: b))
        }
        if let json = parsed.options["--coverage-json"], let lcov = parsed.options["--coverage-lcov"], sameFile(json, lcov) {
            let error = UsageError("--coverage-json and --coverage-lcov name the same file (\(json)); give each report a file of its own")
            return SoeCommand.usage(error, command: "test", console: console)
        }
        // Before anything is written: a report must not replace a rule file or a test file.
        for flag in ["--coverage-json", "--coverage-lcov"] {
            guard let output = parsed.options[flag] else { continue }
            if let (code, message) = OutputGuard.refusal(output: output, inputs: ruleFiles + located.tests, command: "test", flag: flag) {
                console.errorLine(message)
                return code
            }
        }
        // A report written to standard output is a document of its own: the test report goes to
        // standard error beside it, so that `--coverage-json - | jq` reads JSON alone.
        let reportToError = ["--coverage-json", "--coverage-lcov"].contains { parsed.options[$0] == "-" }
        let run = RuleTestRunner.run(ruleSets: ruleSets, files: located.tests, language: language, dialect: dialect, percent: percent)
        var exit = ExitCode.success
        if located.tests.isEmpty || (run.files.isEmpty && run.problems.isEmpty) {
            let words = RuleTestWords(language)
            // Test files were found, and each tests only rule sets not loaded (a rule set renamed
            // since its tests were written): said so, not "no test files".
            if !run.skippedFiles.isEmpty {
                let loaded = ruleSets.map(\.name).joined(separator: ", ")
                for file in run.skippedFiles {
                    let names = file.ruleSets.joined(separator: ", ")
                    console.errorLine(
                        DisplayText.line(
                            language == .danish
                                ? "soe test: \(file.path) tester kun \(names), som ikke er indlæst"
                                : "soe test: \(file.path) tests only \(names), which is not loaded"))
                }
                console.errorLine(
                    DisplayText.line(
                        language == .danish
                            ? "soe test: ingen testfil tester de indlæste regelsæt (\(loaded)); er et regelsæt omdøbt, så ret navnet i testfilernes forventet:-kolonner"
                            : "soe test: no test file tests the rule sets loaded (\(loaded)); if a rule set was renamed, rename it in the test files' expected: columns too"
                    ))
                return .dataError
            }
            console.errorLine(DisplayText.line("soe test: " + words.problem(.noTestFiles(located.searched))))
            return .dataError
        }
        console.error(run.warningText)
        if reportToError { console.error(run.text(language: language)) } else { console.out(run.text(language: language)) }
        if !run.problems.isEmpty {
            console.error(run.problemText(language: language))
            // A test file that could not be read at all (missing, a folder, unreadable) is exit 5,
            // as for any file; one read and found wrong is exit 4.
            let unreadable = run.problems.contains { if case .unreadable = $0.kind { true } else { false } }
            exit = unreadable ? .ioError : .dataError
        }
        if parsed.switches.contains("--coverage") {
            let text = "\n" + run.coverage.text(language: language)
            if reportToError { console.error(text) } else { console.out(text) }
        }
        if parsed.options["--coverage-lcov"] != nil {
            for name in run.coverage.lcovLeftOut {
                console.errorLine(
                    DisplayText.line(
                        "soe test: note: the lcov report leaves out \(name), a bundled rule file with no file an editor could open; its coverage is in the text and JSON reports"
                    ))
            }
        }
        for (flag, text) in [
            ("--coverage-json", run.coverage.json().serialized(pretty: true) + "\n"), ("--coverage-lcov", run.coverage.lcov()),
        ] {
            guard let path = parsed.options[flag] else { continue }
            let written: Result<Void, ToolError> =
                path == "-" ? .success(console.out(text)) : FileSystem.writeAtomically(Array(text.utf8), to: path)
            if case .failure(let failure) = written {
                console.errorLine(DisplayText.line("soe test: \(failure.message)"))
                return .ioError
            }
        }
        let shortfalls = run.coverage.shortfalls(floors, language: language)
        for shortfall in shortfalls { console.errorLine("soe test: \(shortfall)") }
        if exit == .success && (!run.failures.isEmpty || !shortfalls.isEmpty) { exit = .findings }
        return exit
    }

    /// `--min-coverage 90` (every kind) and `--min-coverage operands=95` (one kind): a kind's own
    /// floor holds for it, in whichever order the two are given, and the floor for every kind holds
    /// for the others. The same kind named twice, or two floors for every kind, is a usage error:
    /// which was meant cannot be told, and the last one winning silently could lower a CI's floor.
    static func minimumCoverage(_ given: [String]) throws(UsageError) -> [CoverageKind: (numerator: Int, denominator: Int)] {
        var floors: [CoverageKind: (numerator: Int, denominator: Int)] = [:]
        var named: [String: String] = [:]
        // The floor for every kind first, then the kinds' own, so that order does not matter.
        let ordered = given.filter { !$0.contains("=") } + given.filter { $0.contains("=") }
        for text in ordered {
            let key = text.firstIndex(of: "=").map { String(text[..<$0]).trimmingSpaces() } ?? ""
            if let earlier = named[key] {
                throw UsageError(
                    key.isEmpty
                        ? "--min-coverage is given twice for every kind ('\(earlier)' and '\(text)'); give one"
                        : "--min-coverage gives the kind \(key) twice ('\(earlier)' and '\(text)'); give one")
            }
            named[key] = text
            var kinds = CoverageKind.allCases
            var number = text
            if let equals = text.firstIndex(of: "=") {
                let name = String(text[..<equals]).trimmingSpaces()
                guard let kind = CoverageKind(rawValue: name) else {
                    let names = CoverageKind.allCases.map(\.rawValue)
                    let hint = closestWord(to: name, in: names).map { "; did you mean \($0)?" } ?? ""
                    throw UsageError("--min-coverage: no kind '\(name)'\(hint) (kinds: \(names.joined(separator: ", ")))")
                }
                kinds = [kind]
                number = String(text[text.index(after: equals)...])
            }
            // Read as --borderline reads a share: `0.8` (80 % or 0.8 %?) and `1.000` are refused
            // with both readings, so that a CI floor written as a fraction cannot pass everything.
            let floor: (numerator: Int, denominator: Int)
            switch BorderlineShare.parse(number, flag: "--min-coverage") {
            case .success(let share):
                guard let points = share.multiplying(Exact(integer: 100))?.reduced(), let n = Int(exactly: points.numerator),
                    let d = Int(exactly: points.denominator)
                else { throw UsageError("--min-coverage takes a percentage from 0 to 100, such as 90 or operands=95, not '\(text)'") }
                floor = (n, d)
            case .failure(let error):
                if error.isUnreadable {
                    throw UsageError("--min-coverage takes a percentage from 0 to 100, such as 90 or operands=95, not '\(text)'")
                }
                throw UsageError(error.message)
            }
            for kind in kinds { floors[kind] = floor }
        }
        return floors
    }
}
