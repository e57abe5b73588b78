import SoeLanguage

/// A file given for verification: where it is now and its bytes.
public struct ArchivedFile: Sendable {
    public var path: String
    public var bytes: [UInt8]
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// Why `soe verify` could not even start comparing: a file it cannot read, a record file it cannot
/// read as records, or a command line that does not say which input belongs to which record.
public enum VerifyError: Error, Sendable {
    case io(ToolError)
    case record(path: String, RecordReadError)
    case usage(String)
    /// The rule files given do not check, so no record of a batch can be re-evaluated.
    case rules([Diagnostic])
}

/// Verifies decision records: the seal, each rule file's hash, the input's hash, and then the
/// whole record against a fresh evaluation of the archived rules and input.
///
/// Verification does not depend on where the files are kept now: the archived rule files are
/// matched to the recorded ones by file name and evaluated under the recorded paths, and the input
/// under its recorded name, so that a record made in `rules/` verifies against a copy in an archive
/// folder and every `file:line:column` in the trace is reproduced.
public enum RecordVerifier {
    /// Reads the record file, the rules (a file or a folder) and the inputs, and checks every
    /// record in the file. With one input, every record is checked against it; with several, each
    /// record against the input with the file name it recorded.
    public static func verify(
        recordPath: String, rulesPath: String, inputPaths: [String],
        engineVersion: String = SoeVersion.current
    ) -> Result<[RecordCheck], VerifyError> {
        verify(recordPath: recordPath, rulesPaths: [rulesPath], inputPaths: inputPaths, engineVersion: engineVersion)
    }

    /// As `verify(recordPath:rulesPath:inputPaths:)`, with every `--rules` given (files or
    /// folders, read together) and the library in which a rule set built upon is looked for when
    /// no file given holds it (`SOE_RULES_PATH`, the bundled copies).
    public static func verify(
        recordPath: String, rulesPaths: [String], library: RuleLibrary = .bundledOnly, inputPaths: [String],
        percent: PercentReading? = nil, engineVersion: String = SoeVersion.current
    ) -> Result<[RecordCheck], VerifyError> {
        let bytes: [UInt8]
        switch FileSystem.read(recordPath, limit: DecisionRecord.fileLimit, start: DecisionRecord.startProblem) {
        case .failure(let failure): return .failure(.io(failure))
        case .success(let read): bytes = read
        }
        var inputs: [ArchivedFile] = []
        for path in inputPaths {
            switch FileSystem.read(path, limit: FileSystem.firmFileLimit) {
            case .failure(let failure): return .failure(.io(failure))
            case .success(let bytes): inputs.append(ArchivedFile(path: path == "-" ? "<stdin>" : path, bytes: bytes))
            }
        }
        // An array of records, with rules given as folders (no rule file stands for another by
        // name): element by element, on every core (`RecordArrayVerifier`).
        if rulesPaths.allSatisfy(FileSystem.isDirectory), let elements = DecisionRecord.arrayElements(bytes), elements.count > 1 {
            switch readRules(rulesPaths, wanted: []) {
            case .failure(let failure): return .failure(.io(failure))
            case .success(let ruleFiles):
                if let done = RecordArrayVerifier.verify(
                    bytes: bytes, elements: elements, ruleFiles: ruleFiles, singleRuleFile: false, inputs: inputs, library: library,
                    percent: percent, engineVersion: engineVersion)
                {
                    return done
                }
            }
        }
        let records: [StoredRecord]
        switch DecisionRecord.read(bytes) {
        case .failure(let failure): return .failure(.record(path: recordPath, failure))
        case .success(let read): records = read
        }
        let single = rulesPaths.count == 1 && !FileSystem.isDirectory(rulesPaths[0])
        let ruleFiles: [ArchivedFile]
        // A single file stands for the recorded leaf; the files it builds on are looked for beside it.
        let bases = records.flatMap { $0.ruleFiles.dropLast().map { baseName($0.path) } }
        switch readRules(rulesPaths, wanted: bases) {
        case .failure(let failure): return .failure(.io(failure))
        case .success(let files): ruleFiles = files
        }
        var checks: [RecordCheck] = []
        checks.reserveCapacity(records.count)
        // Every record is checked against the same files: hashed, loaded and read once (a scan or
        // a reload per record made 2,000 records take 27 s).
        let cache = VerifyCache(library: library)
        var inputByName: [String: ArchivedFile] = [:]
        for input in inputs where inputByName[baseName(input.path)] == nil { inputByName[baseName(input.path)] = input }
        for record in records {
            guard let input = input(for: record.inputSource, inputs, byName: inputByName) else {
                return .failure(.usage(noInput(record, index: record.index, inputs: inputs)))
            }
            if let conflict = percentConflict(record, given: percent, several: records.count > 1) { return .failure(.usage(conflict)) }
            var check = verify(
                record, ruleFiles: ruleFiles, singleRuleFile: single, input: input, percent: percent, engineVersion: engineVersion,
                cache: cache)
            check.multiple = records.count > 1
            checks.append(check)
        }
        return .success(checks)
    }

    /// Why `--percent` cannot apply to a record that states another reading, or nil. A record that
    /// states its reading is read with it; `--percent` is for records made before records stated it.
    /// The firm file a record was made from: the only one given, or the one of the recorded name
    /// (`byName`, by base name); nil when neither.
    static func input(for source: String, _ inputs: [ArchivedFile], byName: [String: ArchivedFile]) -> ArchivedFile? {
        inputs.count == 1 ? inputs[0] : byName[baseName(source)]
    }

    /// Why a record of several got no firm file: with several given, each is matched to the
    /// records by its name, and none has the name the record was made from. Says the files given
    /// and the name to give.
    static func noInput(_ record: StoredRecord, index: Int, inputs: [ArchivedFile]) -> String {
        let names = inputs.map { baseName($0.path) }
        let given = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
        return "no input given for record \(index + 1) (it was made from \(record.inputSource)): with several firm files, each is "
            + "matched to the records by its name, and none of those given (\(given)) is named \(baseName(record.inputSource)); "
            + "give that firm's file under that name"
    }

    static func percentConflict(_ record: StoredRecord, given: PercentReading?, several: Bool) -> String? {
        guard let given, let recorded = record.percentReading, recorded != given else { return nil }
        let which = several ? "record \(record.index + 1)" : "the record"
        return "\(which) was made with --percent \(recorded.rawValue) and is read with it; --percent \(given.rawValue) contradicts it "
            + "(leave --percent out for records that state their percent_reading)"
    }

    /// The rule files to verify against: every `.rules` file of a folder, or the file given (first)
    /// plus the files beside it named `wanted` (the rule sets it builds on).
    static func readRules(_ path: String, wanted: [String]) -> Result<[ArchivedFile], ToolError> {
        readRules([path], wanted: wanted)
    }

    /// The rule files of every `--rules` given, in the order given, each file once.
    static func readRules(_ given: [String], wanted: [String]) -> Result<[ArchivedFile], ToolError> {
        var paths: [String] = []
        for path in given {
            if FileSystem.isDirectory(path) {
                switch FileSystem.list(path, extension: ".rules") {
                case .failure(let failure): return .failure(failure)
                case .success(let list): paths += list.filter { !paths.contains($0) }
                }
            } else {
                if !paths.contains(path) { paths.append(path) }
                let folder = FileSystem.directory(of: path)
                for name in wanted where name != baseName(path) {
                    let beside = folder + "/" + name
                    if !paths.contains(beside), FileSystem.exists(beside) { paths.append(beside) }
                }
            }
        }
        var files: [ArchivedFile] = []
        for file in paths {
            switch FileSystem.read(file, limit: RuleLoader.maxFileSize) {
            case .failure(let failure): return .failure(failure)
            case .success(let bytes): files.append(ArchivedFile(path: file, bytes: bytes))
            }
        }
        return .success(files)
    }

    /// Checks one record against rule files and an input already in memory. `singleRuleFile` says
    /// that the first file was named on purpose: it stands for the recorded rule set's own file
    /// (the last recorded, after those it builds on) whatever its name.
    public static func verify(
        _ record: StoredRecord, ruleFiles: [ArchivedFile], singleRuleFile: Bool,
        input: ArchivedFile, percent: PercentReading? = nil, engineVersion: String = SoeVersion.current,
        cache: VerifyCache = VerifyCache()
    ) -> RecordCheck {
        verify(
            record, ruleFiles: ruleFiles, singleRuleFile: singleRuleFile, input: input, percent: percent,
            engineVersion: engineVersion, cache: cache
        ) { check, evaluated in compare(&check, with: evaluated) }
    }

    /// As `verify(_:ruleFiles:…)`, with the last step, the comparison of the record with its
    /// re-evaluation (`evaluated`, without seal and decision date), given: `RecordArrayVerifier`
    /// first compares bytes (`RecordBytes`), and compares as here only when they differ.
    static func verify(
        _ record: StoredRecord, ruleFiles: [ArchivedFile], singleRuleFile: Bool,
        input: ArchivedFile, percent: PercentReading?, engineVersion: String,
        cache: VerifyCache, finish: (inout RecordCheck, JSONOutput) -> Void
    ) -> RecordCheck {
        var check = RecordCheck(
            record: record, findings: [], failure: nil, currentDecision: nil, currentEngine: engineVersion,
            rulesGiven: [], inputGiven: (input.path, cache.sha256(input)))
        // 1. Each recorded rule file against the one given under the same name.
        var recordedPathOf: [String: String] = [:]
        var unmatched: [(path: String, sha256: String)] = []
        for (position, recorded) in record.ruleFiles.enumerated() {
            let isLeaf = position == record.ruleFiles.count - 1
            let given = singleRuleFile && isLeaf ? ruleFiles.first : ruleFiles.first { baseName($0.path) == baseName(recorded.path) }
            guard let given else {
                unmatched.append(recorded)
                continue
            }
            recordedPathOf[given.path] = recorded.path
            let now = cache.sha256(given)
            check.rulesGiven.append((given.path, now))
            if now != recorded.sha256 {
                check.findings.append(
                    .ruleFileChanged(
                        recorded: recorded.path, given: given.path,
                        recordedSHA256: recorded.sha256, currentSHA256: now))
            }
        }
        // 2. The input's hash.
        let inputChanged = check.inputGiven.sha256 != record.inputSHA256
        if inputChanged {
            check.findings.append(
                .inputChanged(
                    recorded: record.inputSource, given: input.path,
                    recordedSHA256: record.inputSHA256, currentSHA256: check.inputGiven.sha256))
        }
        // 3. Re-evaluate under the recorded names.
        let (loadID, loaded) = cache.load(ruleFiles.map { (recordedPathOf[$0.path] ?? $0.path, $0) })
        // Two files declaring the same rule set (E307): which of them decided cannot be told, so
        // the record is not checked against either, as `soe evaluate` would not evaluate them.
        let duplicate = DiagnosticCode.duplicateRuleset.rawValue
        if loaded.diagnostics.contains(where: { $0.code == duplicate && $0.severity == .error }) {
            let actual = RuleLoader.load(ruleFiles.map { SourceFile(path: $0.path, bytes: $0.bytes) }, library: cache.library)
            check.failure = .rules(actual.diagnostics.filter { $0.code == duplicate && $0.severity == .error })
            // The seal is checked all the same: an edited record is named even when it cannot be re-evaluated.
            sealFinding(&check, differences: [])
            return check
        }
        guard let ruleSet = loaded.ruleSets.first(where: { $0.name == record.ruleSetName }) else {
            check.findings += unmatched.map { .ruleFileMissing(recorded: $0.path, recordedSHA256: $0.sha256) }
            if loaded.hasErrors {
                // Diagnostics name the files where they are now, not where they were recorded.
                let actual = RuleLoader.load(ruleFiles.map { SourceFile(path: $0.path, bytes: $0.bytes) }, library: cache.library)
                check.failure = .rules(actual.diagnostics.filter { $0.severity == .error })
            } else {
                check.findings.append(.ruleSetGone(name: record.ruleSetName))
            }
            sealFinding(&check, differences: [])
            return check
        }
        // Files the loader found by itself (a parent at its recorded place) are compared too.
        for recorded in unmatched {
            if let found = ruleSet.files.first(where: { $0.path == recorded.path }) {
                check.rulesGiven.append((found.path, found.sha256))
                if found.sha256 != recorded.sha256 {
                    check.findings.append(
                        .ruleFileChanged(
                            recorded: recorded.path, given: found.path,
                            recordedSHA256: recorded.sha256, currentSHA256: found.sha256))
                }
            } else {
                check.findings.append(.ruleFileMissing(recorded: recorded.path, recordedSHA256: recorded.sha256))
            }
        }
        for file in ruleSet.files where !record.ruleFiles.contains(where: { $0.path == file.path }) {
            check.findings.append(.ruleFileAdded(path: file.path, sha256: file.sha256))
        }
        // Read as `soe evaluate` reads: against every rule set given, so the same keys are known.
        var firm: Firm
        let bound: BoundInputs
        // Read with the reading the record states, else with the one given (`--percent`).
        switch cache.read(input, load: loadID, ruleSets: loaded, percent: record.percentReading ?? percent) {
        case .failure(let errors):
            check.failure = .data(errors)
            sealFinding(&check, differences: [])
            return check
        case .success(let read):
            guard let position = loaded.ruleSets.firstIndex(where: { $0 === ruleSet }), position < read.inputs.count else {
                check.findings.append(.ruleSetGone(name: record.ruleSetName))
                return check
            }
            firm = read.firm
            bound = read.inputs[position]
        }
        firm.source = record.inputSource
        // The trace reads every node: unfused, the program computes each (`Program(_:hoisting:fusing:)`).
        var evaluator = Evaluator(ruleSet: ruleSet, compiled: true, fusing: false)
        let decision = evaluator.evaluate(inputs: bound.values, on: firm.closingDay)
        var trace = TraceBuilder.build(evaluator: evaluator, decision: decision, firm: firm, bound: bound, engineVersion: engineVersion)
        trace.percentReading = record.percentReading
        // A record that seals the analysis (its trace is soe-trace/2) has it computed again, with
        // the borderline share it states; a record without one (soe-trace/1, every record made
        // before) is compared without, so it is byte for byte what it always was.
        if let recorded = record.body.at("trace", "analysis") {
            trace.analysis = evaluator.analysis(of: decision, borderline: recordedBorderlineShare(recorded))
        } else if BatchPlace(record.body.member("batch")) == nil {
            // Without one, the record is compared as it stands; what the analysis says today is
            // told beside the verdict, since a record whose analysis was removed (and its seal
            // recomputed) reads the same as one made before the engine wrote any. A batch's
            // records never hold one: nothing was taken out of them.
            var today = trace
            today.analysis = evaluator.analysis(of: decision, borderline: ruleSet.borderline)
            check.analysisToday = TextTraceRenderer(trace: today, language: .english).analysisSummary
        }
        finish(&check, JSONOutput.object(DecisionRecord.body(trace)))
        return check
    }

    /// The borderline share an analysis was made with (`borderline.share`, exact text such as
    /// `0.02` or `1/3`); nil when it states none, or one that cannot be read (the comparison then
    /// names the difference).
    static func recordedBorderlineShare(_ analysis: JSONOutput) -> Exact? {
        guard let text = analysis.at("borderline", "share")?.stringValue else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, case .success(let numerator) = Exact.parse(parts[0]), case .success(let denominator) = Exact.parse(parts[1]) {
            return numerator.dividing(denominator)
        }
        guard case .success(let share) = Exact.parse(Substring(text)) else { return nil }
        return share
    }

    /// 4. The whole record against the re-evaluation (`fresh`, without its seal), once the
    /// findings about the rule files and the input are in `check`.
    static func compare(_ check: inout RecordCheck, with evaluated: JSONOutput) {
        let record = check.record
        // A record made before the engine wrote a member that only restates it is compared in its own form.
        let fresh = DecisionRecord.inFormOf(recorded: record.body, evaluated)
        check.currentDecision = DecisionRecord.summary(of: fresh)
        // Equal documents, the common case, are told apart without building a pointer per value.
        let body = record.body
        var differences = body == fresh ? [] : JSONDifference.between(body, fresh)
        JSONDifference.name(&differences, recorded: body, current: fresh)
        let sourcesChanged = !check.findings.isEmpty
        sealFinding(&check, differences: sourcesChanged ? [] : differences)
        if sourcesChanged {
            check.effects = differences.filter { difference in
                ["/parameters/", "/trace/inputs/", "/decision/", "/fiscal_year", "/closing_date", "/firm/"].contains {
                    difference.path.hasPrefix($0)
                }
            }
        }
        if record.isIntact, !sourcesChanged, !differences.isEmpty, let current = check.currentDecision {
            let decisive = differences.filter { $0.path.hasPrefix("/decision/") || $0.path.hasPrefix("/trace/result/") }
            if decisive.isEmpty {
                check.findings.append(.explanationChanged(differences: differences))
            } else {
                check.findings.append(.decisionChanged(recorded: record.decisionSummary, current: current, differences: decisive))
            }
        }
    }

    /// Puts "record edited" first when the seal is broken: it is what an auditor must know first.
    static func sealFinding(_ check: inout RecordCheck, differences: [JSONDifference]) {
        guard !check.record.isIntact else { return }
        check.findings.insert(
            .recordEdited(
                claimed: check.record.claimedSeal, computed: check.record.computedSeal,
                differences: differences), at: 0)
    }
}

/// What verifying many records against the same files would otherwise compute again for each:
/// the hash of each file given, the rules loaded under a set of recorded names, and each input
/// read against them. Keeps verification linear in the number of records.
public final class VerifyCache {
    private var hashes: [String: String] = [:]
    private var loads: [String: (key: Int, result: RuleLoader.Result)] = [:]
    private var reads: [String: Result<(firm: Firm, inputs: [BoundInputs]), DataErrors>] = [:]

    /// Where a rule set built upon is looked for when no file given holds it.
    let library: RuleLibrary

    public init(library: RuleLibrary = .bundledOnly) {
        self.library = library
    }

    /// The SHA-256 of a file given, computed once per path.
    func sha256(_ file: ArchivedFile) -> String {
        if let known = hashes[file.path] { return known }
        let hash = SHA256.hex(file.bytes)
        hashes[file.path] = hash
        return hash
    }

    /// The rules loaded from the files given, each under the name it is evaluated under.
    /// Also gives the load's number, by which `read` knows it.
    func load(_ files: [(name: String, file: ArchivedFile)]) -> (id: Int, result: RuleLoader.Result) {
        let key = files.map { $0.name + "\u{0}" + $0.file.path }.joined(separator: "\u{1}")
        if let known = loads[key] { return (known.key, known.result) }
        // A parent recorded as `bundled:NAME.rules` is this binary's bundled copy; its hash is compared.
        let result = RuleLoader.load(files.map { SourceFile(path: $0.name, bytes: $0.file.bytes) }, library: library)
        loads[key] = (loads.count, result)
        return (loads.count - 1, result)
    }

    /// A firm file read against the rule sets of one load, once per file, load and percent reading.
    func read(
        _ input: ArchivedFile, load: Int, ruleSets loaded: RuleLoader.Result, percent: PercentReading? = nil
    ) -> Result<(firm: Firm, inputs: [BoundInputs]), DataErrors> {
        let key = "\(load)\u{0}\(percent?.rawValue ?? "")\u{0}" + input.path
        if let known = reads[key] { return known }
        let result = FirmReader.read(input.bytes, source: input.path, ruleSets: loaded.ruleSets, percent: percent)
        reads[key] = result
        return result
    }
}
