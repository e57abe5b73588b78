import SoeLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What verifying a file of batch records reports, as it goes.
public enum BatchVerifyEvent {
    /// A record checked against its row: verified, or with its findings.
    case checked(RecordCheck)
    /// A line of the record file that is not a decision record, and why.
    case malformed(line: Int, message: String)
    /// A row of the input that has no record under a rule set the file has records of. The place
    /// names the batch file as given; `recordedAs` is the name the records give it, when another.
    case unrecorded(BatchPlace, ruleSet: String, recordedAs: String?)
}

/// The counts of a batch verification, for its last line and its exit code.
public struct BatchVerifySummary: Sendable, Equatable {
    public var records = 0
    public var verified = 0
    public var malformed = 0
    public var unrecorded = 0
    /// Records whose rules or row could not be re-evaluated at all.
    public var notVerified: Int { records - verified }
}

/// Verifies a JSON Lines file of batch records (`soe evaluate --format record` on a CSV or JSON
/// Lines batch) against the rule files and the batch input, in one pass over each.
///
/// # How, and why it is linear
///
/// The rules are loaded once. The batch is evaluated again exactly as `soe evaluate` did, row by
/// row, and each fresh record is matched with the stored one of the same row and rule set while
/// the record file is read alongside: records come in row order, so the stored record is almost
/// always the next line. One that comes out of order is kept aside until its row comes; reading
/// ahead stops at the first record of a later row, so a missing line costs one record of memory,
/// not the rest of the file. Each record is then compared as `RecordVerifier` compares a single
/// one: its seal, its rule files' hashes, the hash of its row's bytes, and the whole record.
public enum BatchRecordVerifier {
    /// The longest record line read; a record of a very large rule set is some megabytes.
    static let maxLineBytes = 64 << 20

    /// Checks every record of `recordPath` against the rules and the batch input at `inputPath`,
    /// calling `report` for each record, each line that is not a record, and each row without a
    /// record. Fails before any record is checked when a file cannot be read or the rules do not check.
    public static func verify(
        recordPath: String, rulesPath: String, inputPath: String, language: Language = .english,
        engineVersion: String = SoeVersion.current, report: @escaping (BatchVerifyEvent) -> Void
    ) -> Result<BatchVerifySummary, VerifyError> {
        verify(
            recordPath: recordPath, rulesPaths: [rulesPath], inputPath: inputPath, language: language,
            engineVersion: engineVersion, report: report)
    }

    /// As `verify(recordPath:rulesPath:inputPath:…)`, with every `--rules` given and the library
    /// in which a rule set built upon is looked for when no file given holds it.
    public static func verify(
        recordPath: String, rulesPaths: [String], library: RuleLibrary = .bundledOnly, inputPath: String,
        percent: PercentReading? = nil, language: Language = .english, engineVersion: String = SoeVersion.current,
        report: @escaping (BatchVerifyEvent) -> Void
    ) -> Result<BatchVerifySummary, VerifyError> {
        guard let fd = FileSystem.openDescriptor(recordPath, O_RDONLY) else {
            return .failure(.io(ToolError("cannot read \(recordPath): \(FileSystem.lastError())")))
        }
        defer { _ = close(fd) }
        if let problem = FileSystem.deviceProblem(fd) { return .failure(.io(ToolError("cannot read \(recordPath): \(problem)"))) }
        var stored = StoredLines(reader: JSONLinesReader(source: FileDescriptorSource(fd: fd), maxLineBytes: maxLineBytes))
        var malformedLines = 0
        // The first record says where the rules and the batch were when the records were made.
        guard
            let first = stored.next({ line, message in
                malformedLines += 1
                report(.malformed(line: line, message: message))
            })
        else {
            if let failure = stored.failure { return .failure(.io(ToolError("cannot read \(recordPath): \(failure)"))) }
            guard malformedLines == 0 else { return .success(BatchVerifySummary(malformed: malformedLines)) }
            return .failure(.record(path: recordPath, RecordReadError(message: "the file holds no record")))
        }
        stored.putBack(first)
        if let conflict = RecordVerifier.percentConflict(first.record, given: percent, several: false) {
            return .failure(.usage(conflict.replacing("the record", with: "\(recordPath) line \(first.line)")))
        }
        let ruleFiles: [ArchivedFile]
        switch RecordVerifier.readRules(rulesPaths, wanted: first.record.ruleFiles.dropLast().map { baseName($0.path) }) {
        case .failure(let failure): return .failure(.io(failure))
        case .success(let files): ruleFiles = files
        }
        let single = rulesPaths.count == 1 && !FileSystem.isDirectory(rulesPaths[0])
        let names = recordedNames(ruleFiles, first: first.record, single: single)
        let loaded = RuleLoader.load(
            ruleFiles.map { SourceFile(path: names[$0.path] ?? $0.path, bytes: $0.bytes) }, library: library)
        if loaded.hasErrors {
            let actual = RuleLoader.load(ruleFiles.map { SourceFile(path: $0.path, bytes: $0.bytes) }, library: library)
            return .failure(.rules(actual.diagnostics.filter { $0.severity == .error }))
        }
        guard let input = FileSystem.isDirectory(inputPath) ? nil : FileSystem.openDescriptor(inputPath, O_RDONLY) else {
            return .failure(.io(ToolError("cannot read \(inputPath): \(FileSystem.lastError())")))
        }
        defer { _ = close(input) }
        if let problem = FileSystem.deviceProblem(input) { return .failure(.io(ToolError("cannot read \(inputPath): \(problem)"))) }
        let matcher = BatchRecordMatcher(
            stored: stored, ruleSets: loaded.ruleSets, ruleFiles: ruleFiles, names: names, single: single,
            recordPath: recordPath, engineVersion: engineVersion, report: report)
        matcher.inputPath = inputPath
        matcher.summary.malformed = malformedLines
        let lower = inputPath.lowercased()
        var options = BatchOptions(
            inputFormat: lower.hasSuffix(".csv") ? .csv : lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") ? .xlsx : .jsonl,
            outputFormat: .record, language: language,
            sourceName: first.place?.source ?? inputPath)
        options.jobs = 1
        // Rows are read as they were: with the reading the records state, else the one given. A
        // record made before records stated it gets none in its fresh copy either.
        options.percent = first.record.percentReading ?? percent
        options.recordsPercent = first.record.percentReading != nil
        var hooks = BatchHooks()
        hooks.recordMade = { fresh, line, place in
            matcher.fresh(.record(fresh, line), place: place, ruleSet: fresh.at("trace", "rule_set", "name")?.stringValue ?? "")
        }
        hooks.rejected = { rejection in matcher.fresh(.rejected(rejection.reason), place: rejection.place, ruleSet: rejection.ruleSet) }
        let end = BatchRunner(ruleSets: loaded.ruleSets, options: options).run(
            FileDescriptorSource(fd: input), to: MemorySink(), hooks: hooks)
        switch end {
        case .headerRejected(let errors):
            let message = errors.map { $0.text(language) }.joined(separator: "; ")
            return .failure(.usage("\(inputPath) is not the batch the records were made from: \(message)"))
        case .notBatchInput(let finding):
            return .failure(.usage("\(inputPath) is not the batch the records were made from: \(finding.message)"))
        case .inputFailed(let message, _): return .failure(.io(ToolError("\(inputPath): \(message)")))
        case .outputFailed(let failure, _): return .failure(.io(failure))
        case .interrupted, .finished: break
        }
        matcher.finish()
        return .success(matcher.summary)
    }

    /// The name each rule file given was evaluated under when the records were made: the recorded
    /// path of the same file name, or the given file's name in the recorded folder.
    static func recordedNames(_ files: [ArchivedFile], first: StoredRecord, single: Bool) -> [String: String] {
        var names: [String: String] = [:]
        // The recorded folder as it was written (`./` of `./anden_aktoer.rules`, `rules/`, or
        // nothing), so that a file of another rule set gets the name it was recorded under.
        let leafPath = first.ruleFiles.last?.path ?? ""
        let folder = String(leafPath.dropLast(baseName(leafPath).count))
        for (position, file) in files.enumerated() {
            if single, position == 0, let leaf = first.ruleFiles.last {
                names[file.path] = leaf.path
            } else if let recorded = first.ruleFiles.first(where: { baseName($0.path) == baseName(file.path) }) {
                names[file.path] = recorded.path
            } else {
                names[file.path] = folder + baseName(file.path)
            }
        }
        return names
    }
}

/// A record read from a line of the record file, with where it is.
struct StoredLine {
    var record: StoredRecord
    var line: Int
    var place: BatchPlace?
}

/// The record file, line by line, with one record that can be put back.
struct StoredLines {
    var reader: JSONLinesReader<FileDescriptorSource>
    var back: StoredLine?
    /// A line looked at but not yet taken (see `peek`).
    var peeked: (bytes: [UInt8], number: Int)?
    var failure: String?

    init(reader: JSONLinesReader<FileDescriptorSource>) { self.reader = reader }

    mutating func putBack(_ line: StoredLine) { back = line }

    /// The bytes of the next line that is not blank, without taking it; nil at the end, or when a
    /// record was put back. Lines too long to hold are left for `next` to report.
    mutating func peek() -> [UInt8]? {
        guard back == nil else { return nil }
        if let peeked { return peeked.bytes }
        while let item = reader.next() {
            switch item {
            case .failed(let error, _):
                failure = error.message
                return nil
            case .tooLong(let number, _):
                // Kept as an empty line of its number: `next` reads it again as too long.
                peeked = ([], -number)
                return nil
            case .line(let bytes, let number):
                if Self.isBlank(bytes) { continue }
                peeked = (bytes, number)
                return bytes
            }
        }
        return nil
    }

    /// Takes the line `peek` gave, and gives its number.
    mutating func take() -> Int {
        defer { peeked = nil }
        return peeked?.number ?? 0
    }

    static func isBlank(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }

    /// The next line, as the reader gives it, after the one peeked at.
    mutating func nextItem() -> JSONLinesReader<FileDescriptorSource>.Item? {
        if let line = peeked {
            peeked = nil
            return line.number < 0 ? .tooLong(number: -line.number, limit: reader.maxLineBytes) : .line(line.bytes, number: line.number)
        }
        return reader.next()
    }

    /// The next record; lines that are not records go to `malformed` on the way.
    mutating func next(_ malformed: (Int, String) -> Void) -> StoredLine? {
        if let kept = back {
            back = nil
            return kept
        }
        while let item = nextItem() {
            switch item {
            case .failed(let error, _):
                failure = error.message
                return nil
            case .tooLong(let number, let limit):
                malformed(number, "the line is longer than \(limit) bytes")
            case .line(let bytes, let number):
                if Self.isBlank(bytes) { continue }
                switch DecisionRecord.read(bytes) {
                case .failure(let error): malformed(number, error.message)
                case .success(let records) where records.count == 1:
                    return StoredLine(record: records[0], line: number, place: BatchPlace(records[0].body.member("batch")))
                case .success: malformed(number, "a line of a record file holds one record, not a list")
                }
            }
        }
        return nil
    }
}

/// Matches the fresh records of a batch run with the stored ones and checks each pair.
final class BatchRecordMatcher {
    /// What the batch run made for a row and rule set.
    enum Fresh {
        /// A record and its line.
        case record(JSONOutput, [UInt8])
        case rejected(String)
    }

    struct Key: Hashable, Comparable {
        var row: Int
        var ruleSet: Int
        static func < (a: Key, b: Key) -> Bool { (a.row, a.ruleSet) < (b.row, b.ruleSet) }
    }

    var stored: StoredLines
    let ruleSets: [RuleSet]
    let ruleSetIndex: [String: Int]
    let ruleFiles: [ArchivedFile]
    /// The given rule files' recorded names, and the SHA-256 of each given file.
    let names: [String: String]
    let hashes: [String: String]
    let single: Bool
    let recordPath: String
    let engineVersion: String
    let report: (BatchVerifyEvent) -> Void
    var summary = BatchVerifySummary()
    /// Stored records read ahead of their row, by row and rule set.
    var aside: [Key: StoredLine] = [:]
    /// Rule sets the file has records of; rows without a record are reported only for these.
    var recordedRuleSets: Set<String> = []
    var unrecorded: [(BatchPlace, String)] = []
    /// The batch file as given, which notes name (its rows are read under the recorded name, so
    /// that fresh records come out byte for byte as stored).
    var inputPath: String?

    init(
        stored: StoredLines, ruleSets: [RuleSet], ruleFiles: [ArchivedFile], names: [String: String], single: Bool,
        recordPath: String, engineVersion: String, report: @escaping (BatchVerifyEvent) -> Void
    ) {
        self.stored = stored
        self.ruleSets = ruleSets
        var index: [String: Int] = [:]
        for (position, ruleSet) in ruleSets.enumerated() where index[ruleSet.name] == nil { index[ruleSet.name] = position }
        ruleSetIndex = index
        self.ruleFiles = ruleFiles
        self.names = names
        hashes = Dictionary(ruleFiles.map { ($0.path, SHA256.hex($0.bytes)) }, uniquingKeysWith: { first, _ in first })
        self.single = single
        self.recordPath = recordPath
        self.engineVersion = engineVersion
        self.report = report
    }

    /// Numbers for the rule sets the records name that the rules given do not declare, after those
    /// that they do: each its own, so that two such rule sets of one row are not one key (which
    /// called the second "a second record").
    var missingRuleSets: [String: Int] = [:]

    func key(of line: StoredLine) -> Key {
        let name = line.record.ruleSetName
        let index: Int
        if let known = ruleSetIndex[name] {
            index = known
        } else if let missing = missingRuleSets[name] {
            index = missing
        } else {
            index = ruleSetIndex.count + missingRuleSets.count
            missingRuleSets[name] = index
        }
        return Key(row: line.place?.row ?? Int.max, ruleSet: index)
    }

    func malformed(_ line: Int, _ message: String) {
        summary.malformed += 1
        report(.malformed(line: line, message: message))
    }

    /// The next stored record, with a second one for the same row and rule set reported as such.
    func nextStored() -> StoredLine? {
        stored.next { [self] line, message in malformed(line, message) }
    }

    /// The rows and rule sets whose stored record has been taken, one bit each (row × rule sets +
    /// rule set, of the rule sets given): a record for one of them met later is a second record
    /// for the row, not one whose row is missing. An eighth of a byte per row and rule set.
    var taken: [UInt64] = []

    func markTaken(_ key: Key) {
        guard key.ruleSet < ruleSets.count, key.row >= 0, key.row < Int.max / (ruleSets.count + 1) else { return }
        let bit = key.row * ruleSets.count + key.ruleSet
        if bit >> 6 >= taken.count { taken.append(contentsOf: repeatElement(0, count: (bit >> 6) + 1 - taken.count + taken.count / 2)) }
        taken[bit >> 6] |= 1 << UInt64(bit & 63)
    }

    func wasTaken(_ key: Key) -> Bool {
        guard key.ruleSet < ruleSets.count, key.row >= 0, key.row < Int.max / (ruleSets.count + 1) else { return false }
        let bit = key.row * ruleSets.count + key.ruleSet
        return bit >> 6 < taken.count && taken[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    /// Keeps a stored record aside for its row; a second record for the same row and rule set
    /// cannot be the one the row was decided by twice, so it is checked as a row of its own.
    func putAside(_ line: StoredLine) {
        recordedRuleSets.insert(line.record.ruleSetName)
        let key = key(of: line)
        if wasTaken(key) {
            malformed(
                line.line,
                "a second record for \(line.place?.description ?? "the same row") under \(line.record.ruleSetName), not checked: a record on an earlier line was checked against this row already; a line repeated, or the row of one of the two records changed (see that record's findings)?"
            )
            return
        }
        if let earlier = aside[key] {
            malformed(
                line.line,
                "a second record for \(line.place?.description ?? "the same row") under \(line.record.ruleSetName) (the first is on line \(earlier.line))"
            )
            return
        }
        aside[key] = line
    }

    /// The stored record of a row and rule set: kept aside, or read ahead up to the first record
    /// of a later row.
    func storedRecord(for wanted: Key) -> StoredLine? {
        if let kept = aside.removeValue(forKey: wanted) {
            markTaken(wanted)
            return kept
        }
        while let line = nextStored() {
            recordedRuleSets.insert(line.record.ruleSetName)
            let key = key(of: line)
            if key == wanted {
                markTaken(key)
                return line
            }
            putAside(line)
            // A row's records come in the order its rule sets were asked for (`--ruleset b
            // --ruleset a`), which need not be the order they are loaded in: only a later row ends
            // the look.
            if wanted.row < key.row { break }
        }
        return nil
    }

    /// Checks the stored record of the row and rule set against what the batch run made for it.
    func fresh(_ fresh: Fresh, place: BatchPlace, ruleSet name: String) {
        if case .record(let document, let bytes) = fresh, aside.isEmpty, let next = stored.peek() {
            // The common case, and the fast one: the next line is byte for byte the record the
            // rules and the row give today. Its seal then holds, and so does everything it records.
            if bytes == next, case .object(let members) = document, case .string(let seal)? = members.last?.1,
                case .success(let record) = DecisionRecord.record(document, index: 0, knownSeal: seal)
            {
                let line = StoredLine(record: record, line: stored.take(), place: place)
                recordedRuleSets.insert(name)
                if let index = ruleSetIndex[name] { markTaken(Key(row: place.row, ruleSet: index)) }
                var check = RecordCheck(
                    record: record, findings: [], failure: nil, currentDecision: record.decisionSummary,
                    currentEngine: engineVersion, rulesGiven: [], inputGiven: (place.description, record.inputSHA256))
                check.label = label(line)
                check.brief = true
                count(check)
                return
            }
        }
        guard let index = ruleSetIndex[name], let line = storedRecord(for: Key(row: place.row, ruleSet: index)) else {
            unrecorded.append((place, name))
            return
        }
        var check = RecordCheck(
            record: line.record, findings: [], failure: nil, currentDecision: nil, currentEngine: engineVersion,
            rulesGiven: [], inputGiven: (place.description, ""))
        check.label = label(line)
        check.brief = true
        ruleFileFindings(&check, ruleSet: ruleSets[index])
        switch fresh {
        case .rejected(let reason):
            check.findings.append(.rowRejected(place: place.description, reason: reason))
            RecordVerifier.sealFinding(&check, differences: [])
        case .record(let document, _):
            guard case .object(let members) = document else { return }
            let body = Array(members.dropLast())
            let source = JSONOutput.object(body).at("input", "source")?.stringValue ?? place.description
            let hash = JSONOutput.object(body).at("input", "sha256")?.stringValue ?? ""
            check.inputGiven = (source, hash)
            if hash != line.record.inputSHA256 {
                // The row's recorded id beside the one it holds now: a row deleted or moved above
                // it shows as another firm in its place.
                check.findings.append(
                    .inputChanged(
                        recorded: line.place?.description ?? place.description, given: place.description,
                        recordedSHA256: line.record.inputSHA256, currentSHA256: hash))
            }
            RecordVerifier.compare(&check, with: .object(body))
        }
        count(check)
    }

    func count(_ check: RecordCheck) {
        summary.records += 1
        if check.isVerified { summary.verified += 1 }
        report(.checked(check))
    }

    /// `records.jsonl line 12 (firms.csv row 5, id S004)`.
    func label(_ line: StoredLine) -> String {
        "\(recordPath) line \(line.line) (\(line.place?.description ?? line.record.inputSource))"
    }

    /// The recorded rule files against those given, as `RecordVerifier` compares them.
    func ruleFileFindings(_ check: inout RecordCheck, ruleSet: RuleSet) {
        let record = check.record
        for (position, recorded) in record.ruleFiles.enumerated() {
            let isLeaf = position == record.ruleFiles.count - 1
            let given =
                single && isLeaf
                ? ruleFiles.first : ruleFiles.first { baseName($0.path) == baseName(recorded.path) }
            guard let given, let now = hashes[given.path] else {
                check.findings.append(.ruleFileMissing(recorded: recorded.path, recordedSHA256: recorded.sha256))
                continue
            }
            check.rulesGiven.append((given.path, now))
            if now != recorded.sha256 {
                check.findings.append(
                    .ruleFileChanged(recorded: recorded.path, given: given.path, recordedSHA256: recorded.sha256, currentSHA256: now))
            }
        }
        // A file given for a recorded one (`rsv_2014.rules` for the recorded `./rsv_2014.rules`,
        // by its name) is that file, not one added.
        for file in ruleSet.files
        where !record.ruleFiles.contains(where: { $0.path == file.path }) && !check.rulesGiven.contains(where: { $0.path == file.path }) {
            check.findings.append(.ruleFileAdded(path: file.path, sha256: file.sha256))
        }
    }

    /// Reports the stored records no row matched, and the rows without a record.
    func finish() {
        while let line = nextStored() { putAside(line) }
        for line in aside.values.sorted(by: { $0.line < $1.line }) {
            var check = RecordCheck(
                record: line.record, findings: [], failure: nil, currentDecision: nil, currentEngine: engineVersion,
                rulesGiven: [], inputGiven: ("", ""))
            check.label = label(line)
            if ruleSetIndex[line.record.ruleSetName] == nil {
                check.findings.append(.ruleSetGone(name: line.record.ruleSetName))
            } else {
                check.findings.append(.rowMissing(place: line.place?.description ?? line.record.inputSource))
            }
            RecordVerifier.sealFinding(&check, differences: [])
            count(check)
        }
        aside.removeAll()
        for (place, ruleSet) in unrecorded where recordedRuleSets.contains(ruleSet) {
            summary.unrecorded += 1
            var given = place
            given.source = inputPath ?? place.source
            report(.unrecorded(given, ruleSet: ruleSet, recordedAs: given.source == place.source ? nil : place.source))
        }
    }
}
