import SoeLanguage

/// One expectation that did not hold: which firm, under which rule set, and the lines that
/// explain the difference (the first is `expected X, got Y`).
public struct RuleTestFailure: Sendable {
    public var label: String
    public var place: String
    public var ruleSet: String
    public var lines: [String]
    /// How many of the firm's expectations under the rule set failed.
    public var failedChecks: Int
}

/// The result of running rule tests: what passed and failed, the problems with the test files,
/// and what the tests reached.
public struct RuleTestRun {
    /// Each test file with the number of firms it gave.
    public var files: [(path: String, firms: Int)]
    public var firms: Int
    /// Expectations checked: one per expected result, one per expected criterion.
    public var checks: Int
    public var failures: [RuleTestFailure]
    public var problems: [RuleTestProblem]
    /// What the test files hold that no test reads, or lack (`RuleTestReader.warnings`).
    public var warnings: [(place: String, text: String)] = []
    /// Expectations for rule sets not loaded, by name.
    public var skipped: [String: Int]
    /// Files that test only rule sets not loaded, with their names.
    public var skippedFiles: [(path: String, ruleSets: [String])]
    /// The rule sets (by load order) that at least one expectation names.
    public var tested: Set<Int>
    public var coverage: RuleCoverage

    /// How many expectations failed.
    public var failedChecks: Int { failures.reduce(0) { $0 + $1.failedChecks } }

    /// The report for people: one line per test file, each failure with its explanation, the
    /// problems with test files, and the summary line.
    public func text(language: Language) -> String {
        let words = RuleTestWords(language)
        var lines: [String] = []
        for file in files {
            let failed = failures.filter { $0.place.hasPrefix(file.path + ":") }.reduce(0) { $0 + $1.failedChecks }
            let broken = problems.contains { $0.place == file.path || $0.place.hasPrefix(file.path + ":") }
            let status = broken ? words.error : failed == 0 ? "ok   " : words.fail + " "
            lines.append("\(status) \(file.path): " + words.fileLine(firms: file.firms, failed: failed))
        }
        for failure in failures {
            lines.append("")
            lines.append("\(words.fail) \(failure.label) \(words.under) \(failure.ruleSet) (\(failure.place))")
            lines.append(contentsOf: failure.lines.map { "  " + $0 })
        }
        if !failures.isEmpty { lines.append("") }
        for file in skippedFiles {
            lines.append(
                language == .danish
                    ? "note: \(file.path) blev sprunget over: den tester kun \(file.ruleSets.joined(separator: ", ")), som ikke er indlæst"
                    : "note: \(file.path) skipped: it tests only \(file.ruleSets.joined(separator: ", ")), which is not loaded")
        }
        for (name, count) in skipped.sorted(by: { $0.key < $1.key }) {
            lines.append(
                language == .danish
                    ? "note: \(counted(count, "forventning", "forventninger")) for regelsættet \(name), som ikke er indlæst, blev sprunget over"
                    : "note: \(counted(count, "expectation", "expectations")) for the rule set \(name), which is not loaded, skipped")
        }
        // A test file that could not be read may name the rule set: the note would mislead then.
        for (index, name) in coverage.ruleSetNames.enumerated() where !tested.contains(index) && problems.isEmpty {
            lines.append(
                language == .danish
                    ? "note: ingen test nævner regelsættet \(name)" : "note: no test names the rule set \(name)")
        }
        lines.append(words.testFiles(files.count) + ", " + words.summary(firms: firms, checks: checks, failed: failedChecks))
        return lines.map(DisplayText.line).joined(separator: "\n") + "\n"
    }

    /// The warnings on test files, one line each: `file:line:column: warning: message`.
    public var warningText: String {
        warnings.map { DisplayText.line("\($0.place): warning: \($0.text)") + "\n" }.joined()
    }

    /// The problems with test files, one line each: `file:line:column: error: message`.
    public func problemText(language: Language) -> String {
        let words = RuleTestWords(language)
        var lines = problems.map { "\($0.place): error: \(words.problem($0.kind))" }
        if !problems.isEmpty { lines.append(words.problems(problems.count)) }
        return lines.map(DisplayText.line).joined(separator: "\n") + (lines.isEmpty ? "" : "\n")
    }
}

/// Runs rule tests: reads the test files, evaluates each firm under each rule set it names,
/// compares, explains each difference from the trace, and counts what was reached.
public enum RuleTestRunner {
    /// The test files for the paths given to `soe test`, and the rule paths among them: a rule
    /// file or a folder of rule files gives the `.csv` and `.json` files in the folder `tests`
    /// beside it; a `.csv` or `.json` file is a test file; a folder without rule files is a
    /// folder of test files.
    /// The test files of a folder, `.csv`, `.json` and `.xlsx`, sorted by path: one listing of the
    /// folder. Also what `--output` may not replace beside the rules (`OutputGuard`).
    public static func testFiles(in folder: String) -> [String] {
        guard FileSystem.isDirectory(folder), let names = FileSystem.names(in: folder) else { return [] }
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        // In any letter case, as `.RULES` is a rule file (a Windows program saves `B.CSV`); a named
        // pipe or a device under such a name is no test file, and would be read for ever.
        return names.filter { name in !name.hasPrefix(".") && [".csv", ".json", ".xlsx"].contains { name.lowercased().hasSuffix($0) } }
            .map { base + $0 }.filter { FileSystem.specialKind($0) == nil && !FileSystem.isDirectory($0) }.sorted()
    }

    public static func locate(_ paths: [String]) -> (rules: [String], tests: [String], searched: [String]) {
        var rules: [String] = []
        var tests: [String] = []
        var searched: [String] = []
        func add(_ files: [String]) {
            for file in files where !tests.contains(file) { tests.append(file) }
        }
        for path in paths {
            let lower = path.lowercased()
            if FileSystem.isDirectory(path) {
                // A folder that cannot be listed as rules (a named pipe under a rule file's name)
                // goes to the loader, which says why.
                let listed = FileSystem.list(path, extension: ".rules")
                let ruleFiles = (try? listed.get()) ?? []
                if ruleFiles.isEmpty, case .success = listed {
                    searched.append(path)
                    add(testFiles(in: path))
                } else {
                    rules.append(path)
                    let folder = (path.hasSuffix("/") ? path : path + "/") + "tests"
                    searched.append(folder)
                    add(testFiles(in: folder))
                }
            } else if lower.hasSuffix(".csv") || lower.hasSuffix(".json") || lower.hasSuffix(".xlsx") {
                // A workbook is a test file a policy officer meant, not a rule file: the reader
                // says how to give it, instead of the rule parser calling it invalid UTF-8.
                add([path])
            } else {
                rules.append(path)
                let folder = FileSystem.directory(of: path) + "/tests"
                searched.append(folder)
                add(testFiles(in: folder))
            }
        }
        return (rules, tests, searched)
    }

    /// Runs the tests in `files` against the rule sets.
    /// `dialect` and `percent` read the test files' cells as `soe evaluate --dialect --percent` does.
    public static func run(
        ruleSets: [RuleSet], files: [String], language: Language, dialect: BatchDialect? = nil, percent: PercentReading? = nil
    ) -> RuleTestRun {
        var reader = RuleTestReader(ruleSets: ruleSets, language: language, dialect: dialect, percent: percent)
        for file in files { reader.read(file) }
        var coverage = RuleCoverage(ruleSets: ruleSets)
        // Each case's trace reads every node: unfused, the program computes each (`Program(_:hoisting:fusing:)`).
        var evaluators = ruleSets.map { Evaluator(ruleSet: $0, compiled: true, fusing: false) }
        var failures: [RuleTestFailure] = []
        var checks = 0
        var tested: Set<Int> = []
        let words = RuleTestWords(language)
        for testCase in reader.cases {
            for expectation in testCase.expectations {
                guard let index = ruleSets.firstIndex(where: { $0.name == expectation.ruleSet }) else { continue }
                checks += (expectation.result == nil ? 0 : 1) + expectation.criteria.count
                tested.insert(index)
                var lines: [String] = []
                var failed = 0
                switch testCase.bound[index] {
                case .failure(let rejection):
                    (lines, failed) = rejected(rejection, expectation, words)
                case .success(let bound):
                    guard let firm = testCase.firm else { continue }
                    let decision = evaluators[index].evaluate(inputs: bound.values, on: firm.closingDay)
                    evaluators[index].settleEverything()
                    let trace = TraceBuilder.build(
                        evaluator: evaluators[index], decision: decision, firm: firm, bound: bound, engineVersion: SoeVersion.current)
                    coverage.counts[index].record(trace)
                    (lines, failed) = compare(trace, expectation, language: language)
                }
                if !lines.isEmpty {
                    failures.append(
                        RuleTestFailure(
                            label: testCase.label, place: testCase.place, ruleSet: expectation.ruleSet, lines: lines, failedChecks: failed))
                }
            }
        }
        return RuleTestRun(
            files: reader.files, firms: reader.cases.count, checks: checks, failures: failures, problems: reader.problems,
            warnings: reader.warnings, skipped: reader.skipped, skippedFiles: reader.skippedFiles, tested: tested, coverage: coverage)
    }

    /// The difference lines of a firm whose data was rejected; empty when `rejected` was expected.
    static func rejected(
        _ rejection: RuleTestRejection, _ expectation: RuleTestExpectation, _ words: RuleTestWords
    ) -> (lines: [String], failed: Int) {
        var lines: [String] = []
        var failed = expectation.criteria.count
        if let result = expectation.result {
            if case .rejected(let field) = result {
                if let field, !rejection.reasons.contains(where: { $0.hasPrefix(field + ":") }) {
                    failed += 1
                    lines.append(words.expectedGot(result.name, ExpectedResult.rejected(field: nil).name))
                    lines.append("  " + words.noReasonAbout(field))
                    lines.append("  " + words.rejectedBecause(rejection.reasons))
                }
            } else {
                failed += 1
                lines.append(words.expectedGot(result.name, ExpectedResult.rejected(field: nil).name))
                lines.append("  " + words.rejectedBecause(rejection.reasons))
            }
        }
        for (name, truth) in expectation.criteria {
            lines.append(words.criterionExpectedGot(name, words.truth(truth), ExpectedResult.rejected(field: nil).name))
            lines.append("  " + words.criterionNotEvaluated)
        }
        return (lines, failed)
    }

    /// The difference lines of an evaluated firm; empty when every expectation holds.
    static func compare(_ trace: Trace, _ expectation: RuleTestExpectation, language: Language) -> (lines: [String], failed: Int) {
        var explanation = RuleTestExplanation(trace: trace, language: language)
        var failed = 0
        if let result = expectation.result, !explanation.matches(result) {
            failed += 1
            explanation.outcomeDifference(result)
        }
        for (name, truth) in expectation.criteria {
            guard let index = trace.criteria.firstIndex(where: { $0.name == name }) else { continue }
            if trace.decision.notInForceOn != nil {
                failed += 1
                explanation.lines.append(
                    RuleTestWords(language).criterionExpectedGot(name, RuleTestWords(language).truth(truth), ExpectedResult.notInForce.name)
                )
                continue
            }
            if ExpectedTruth.of(trace.criteria[index].result) != truth {
                failed += 1
                explanation.criterionDifference(index, expected: truth)
            }
        }
        explanation.finish()
        return (explanation.lines, failed)
    }
}
