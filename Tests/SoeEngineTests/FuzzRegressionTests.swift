import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Inputs that made a fuzz target (`.ci/fuzz.sh`, `Tests/Fuzz/`) crash, hang or break one of its
/// invariants, each run through the same stages as the target that found it, and expected now to
/// end cleanly: diagnostics or data errors, or a decision and a trace, never a crash.
///
/// To add a finding: save the input under `Fixtures/fuzz-regressions/TARGET/` (for `evaluate`, the
/// rule file and firm that `SOE_FUZZ_PRINT=1 .ci/fuzz.sh evaluate CRASH-FILE` prints, as NAME.rules
/// and NAME.json, because the bytes themselves mean nothing without the generator of the day), add
/// a line to `findings`, then fix the engine. A test fails when a saved input is not in the table.
///
/// Each input runs on a thread of its own with the stack the command-line tool has (8 MiB) and a
/// time limit, so that a regression is a failing test, not a test run that crashes or never ends.
@Suite("fuzz regressions")
struct FuzzRegressionTests {
    static let folder = TestPaths.root + "/Tests/SoeEngineTests/Fixtures/fuzz-regressions"

    struct Finding: Sendable, CustomTestStringConvertible {
        /// What went wrong and what fixed it.
        var note: String
        /// The target that found it: rules, firm-json, firm-csv, evaluate, xlsx or batch.
        var target: String
        /// The saved input, under `fuzz-regressions/TARGET/` (for evaluate, the name without extension).
        var name: String
        /// What the clean result must say: diagnostic codes for rules, the outcome's name for evaluate.
        var expected: [String] = []
        var testDescription: String { note }
    }

    static let findings: [Finding] = [
        // Needs the TraceBuilder patch; without it this case is reported as a hang after 60 s.
        Finding(
            note: "evaluate: a value used twice by each of 60 others hung the trace (2^60 walks); found by review, "
                + "the kind of hang the target's 10 s timeout reports; fixed in TraceBuilder.collectCriteria",
            target: "evaluate", name: "doubling_values", expected: ["big"]),
        Finding(
            note: "xlsx: a cell's style attribute s=\"-3\" indexed the workbook's styles below 0 (Index out of range); "
                + "fixed in XlsxSheetReader (a negative s is no style) and XlsxTable (only a style the workbook defines is looked up)",
            target: "xlsx", name: "negative-style"),
        Finding(
            note: "batch: lines ending in a carriage return alone before a byte of neither encoding; three threads in chunks "
                + "of the file named line 4 (the CSV reader's count), one thread line 3 (line feeds only); fixed in "
                + "TextEncodingSource, which counts the CSV reader's lines (LineBreaks)",
            target: "batch", name: "lone-cr-encoding-line", expected: ["byte 0x8F at line 4"]),
    ]

    @Test("each saved finding ends cleanly on the path of the target that found it", arguments: findings)
    func finding(_ finding: Finding) {
        let path = Self.folder + "/" + finding.target + "/" + finding.name
        let problems = Self.guarded(seconds: 60) { () -> [String] in
            switch finding.target {
            case "rules": return Self.rules(path, expected: finding.expected)
            case "firm-json": return Self.firmJSON(path)
            case "firm-csv": return Self.firmCSV(path)
            case "evaluate": return Self.evaluate(path, expected: finding.expected)
            case "xlsx": return Self.xlsx(path)
            case "batch": return Self.batch(path, expected: finding.expected)
            default: return ["unknown fuzz target '\(finding.target)'"]
            }
        }
        for problem in problems { Issue.record(Comment(rawValue: problem)) }
    }

    @Test("every saved input is in the table, so none is silently skipped")
    func everyInputListed() throws {
        let listed = Set(Self.findings.map { "\($0.target)/\($0.name)" })
        for target in ["rules", "firm-json", "firm-csv", "evaluate", "xlsx"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: Self.folder + "/" + target)) ?? []
            for name in names where !name.hasPrefix(".") {
                let key = target + "/" + (target == "evaluate" ? String(name.prefix { $0 != "." }) : name)
                #expect(listed.contains(key), "\(key) is saved but not in FuzzRegressionTests.findings")
            }
        }
    }

    /// Holds a worker thread's answer.
    final class Outcome: @unchecked Sendable {
        var problems: [String]?
    }

    /// Runs `body` on a thread with an 8 MiB stack and waits at most `seconds` for it. A thread that
    /// does not finish is left running (it ends with the test process) and reported as a hang.
    static func guarded(seconds: Double, _ body: @escaping @Sendable () -> [String]) -> [String] {
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            outcome.problems = body()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        guard done.wait(timeout: .now() + seconds) == .success else { return ["did not finish within \(Int(seconds)) s: a hang"] }
        return outcome.problems ?? []
    }

    // MARK: The targets' paths (Tests/Fuzz/Fuzz*.swift), in process; each returns what is wrong

    static let bundled: [SourceFile] = {
        guard case .success(let paths) = FileSystem.list(TestPaths.rules, extension: ".rules") else { return [] }
        return paths.compactMap { path in (try? FileSystem.read(path).get()).map { SourceFile(path: path, bytes: $0) } }
    }()

    static let bundledRuleSets: [RuleSet] = RuleLoader.load(bundled).ruleSets

    /// `rules`: the bytes as a rule file, beside each bundled file whose rule set it names; every
    /// diagnostic rendered three ways.
    static func rules(_ path: String, expected: [String]) -> [String] {
        guard case .success(let bytes) = FileSystem.read(path) else { return ["cannot read \(path)"] }
        var problems: [String] = []
        let text = String(decoding: bytes, as: UTF8.self)
        let named = bundled.filter { source in
            bundledRuleSets.contains { $0.files.last?.path == source.path && text.contains($0.name) }
        }
        let fuzzed = SourceFile(path: "/nonexistent-soe-fuzz/fuzz.rules", bytes: bytes)
        let result = RuleLoader.load(named + [fuzzed])
        if result.ruleSets.isEmpty && !result.hasErrors { problems.append("no rule set and no error") }
        for diagnostic in result.diagnostics {
            _ = DiagnosticRenderer.annotated(diagnostic)
            let json = DiagnosticRenderer.json(diagnostic).serialized(pretty: false)
            if case .failure = JSONReader.parse(Array(json.utf8)) { problems.append("a diagnostic's JSON does not parse: \(json)") }
            if let span = diagnostic.span, span.range.upperBound > span.file.bytes.count {
                problems.append("\(diagnostic.code) points outside its file")
            }
        }
        let codes = Set(result.diagnostics.map(\.code))
        for code in expected where !codes.contains(code) {
            problems.append("expected \(code), found \(result.diagnostics.map(DiagnosticRenderer.oneLine))")
        }
        return problems
    }

    /// `firm-json`: the bytes as a firm read against the bundled rule sets, bound, evaluated, traced.
    static func firmJSON(_ path: String) -> [String] {
        guard case .success(let bytes) = FileSystem.read(path) else { return ["cannot read \(path)"] }
        let names = Set(bundledRuleSets.flatMap { $0.inputs.map(\.name) })
        guard case .success(let firm) = FirmReader.readJSON(bytes, source: path, knownInputs: names) else { return [] }
        var problems: [String] = []
        for ruleSet in bundledRuleSets {
            guard case .success(let bound) = firm.bind(to: ruleSet) else { continue }
            problems += decideAndRender(firm, bound, ruleSet).problems
        }
        return problems
    }

    /// `firm-csv`: the bytes as CSV in every dialect; every cell read as every kind of bundled input.
    static func firmCSV(_ path: String) -> [String] {
        guard case .success(let bytes) = FileSystem.read(path) else { return ["cannot read \(path)"] }
        for dialect in [nil, CSVDialect.rfc4180, .excelDanish, .tab] {
            var reader = CSVReader(source: ArraySource(bytes), dialect: dialect)
            var records = 0
            while let next = reader.next() {
                records += 1
                if records > bytes.count + 1 { return ["the CSV reader does not advance"] }
                guard case .success(let record) = next else { continue }
                for field in record.fields {
                    for ruleSet in bundledRuleSets {
                        for input in ruleSet.inputs {
                            for style in [NumberStyle.point, .danishComma] {
                                _ = CellReader.read(
                                    field.isEmpty ? .null : .text(field), as: input, choices: ruleSet.choiceSets, style: style)
                            }
                        }
                    }
                }
            }
        }
        return []
    }

    /// `xlsx`: a 0 byte and a whole workbook (a finding in a sheet the target wrapped is saved with
    /// its workbook), read for a batch as the target reads it; every problem names its cell.
    static func xlsx(_ path: String) -> [String] {
        guard case .success(let bytes) = FileSystem.read(path), bytes.first == 0 else { return ["cannot read \(path) as 0 and a workbook"] }
        let kinds: [String: XlsxColumnKind] = ["share": .percent, "closing": .date]
        var limits = UnpackLimits()
        (limits.entryBytes, limits.totalBytes) = (1 << 20, 4 << 20)
        do throws(SheetError) {
            let input = try XlsxTable.read(Array(bytes.dropFirst()), sheet: nil, kind: { kinds[$0] ?? .other }, limits: limits)
            var problems: [String] = []
            for (_, errors) in input.rowProblems {
                for error in errors where !error.message.contains("!") {
                    problems.append("a cell problem without its cell: \(error.message)")
                }
            }
            return problems
        } catch {
            return error.message.isEmpty || error.danish?.isEmpty != false ? ["a workbook error without both texts"] : []
        }
    }

    /// `batch`: the input under the bundled rule sets, in the long layout, on one thread from memory
    /// and on three threads in chunks of a file (about 256 bytes each), as the target runs it: the
    /// same bytes and the same end, which holds each of `expected`.
    static func batch(_ path: String, expected: [String]) -> [String] {
        guard case .success(let bytes) = FileSystem.read(path) else { return ["cannot read \(path)"] }
        var options = BatchOptions(outputFormat: .csv, traces: false, sourceName: "fuzz.csv")
        options.blockSize = 2
        let one = MemorySink()
        let oneEnd = "\(BatchRunner(ruleSets: bundledRuleSets, options: options).run(ArraySource(bytes), to: one))"
        options.jobs = 3
        let chunks: (end: String, bytes: [UInt8])
        do {
            chunks = try withFileDescriptor(bytes) { fd in
                let sink = MemorySink()
                let end = BatchRunner(ruleSets: bundledRuleSets, options: options).run(FileDescriptorSource(fd: fd), to: sink)
                return ("\(end)", sink.bytes)
            }
        } catch {
            return ["cannot write the input to a file: \(error)"]
        }
        var problems: [String] = []
        if chunks.bytes != one.bytes { problems.append("three threads in chunks wrote other bytes than one thread") }
        if chunks.end != oneEnd { problems.append("three threads in chunks ended as \(chunks.end), one thread as \(oneEnd)") }
        for text in expected where !oneEnd.contains(text) { problems.append("the end does not say \(text): \(oneEnd)") }
        return problems
    }

    /// `evaluate`: the generated rule file must check; its firm is read, bound, decided and traced.
    static func evaluate(_ path: String, expected: [String]) -> [String] {
        guard case .success(let rules) = FileSystem.read(path + ".rules"),
            case .success(let bytes) = FileSystem.read(path + ".json")
        else { return ["cannot read \(path).rules and .json"] }
        let result = RuleLoader.load([SourceFile(path: path + ".rules", bytes: rules)])
        guard let ruleSet = result.ruleSets.first else {
            return ["the rule file does not check: \(result.diagnostics.map(DiagnosticRenderer.oneLine))"]
        }
        let read = FirmReader.readJSON(bytes, source: path + ".json", knownInputs: Set(ruleSet.inputs.map(\.name)))
        guard case .success(let firm) = read else { return ["the firm does not read: \(read)"] }
        guard case .success(let bound) = firm.bind(to: ruleSet) else { return ["the firm does not bind"] }
        var (decision, problems) = decideAndRender(firm, bound, ruleSet)
        if let outcome = expected.first, decision.outcome.map({ ruleSet.outcomes[$0].name }) != outcome {
            problems.append("expected the outcome \(outcome), decided \(String(describing: decision.outcome))")
        }
        return problems
    }

    /// Decides, traces and renders as the fuzz targets do, with their invariants.
    static func decideAndRender(_ firm: Firm, _ bound: BoundInputs, _ ruleSet: RuleSet) -> (decision: Decision, problems: [String]) {
        var problems: [String] = []
        var evaluator = Evaluator(ruleSet: ruleSet)
        let decision = evaluator.evaluate(inputs: bound.values, on: firm.closingDay)
        if let outcome = decision.outcome {
            if !ruleSet.outcomes.indices.contains(outcome) { problems.append("outcome \(outcome) out of range") }
        } else if decision.notInForceOn == nil {
            if decision.possibleOutcomes.isEmpty { problems.append("undetermined without a possible outcome") }
            if decision.missing.isEmpty && decision.problems.isEmpty { problems.append("undetermined without a reason") }
        }
        let trace = TraceBuilder.build(evaluator: evaluator, decision: decision, firm: firm, bound: bound, engineVersion: "test")
        for language in Language.allCases where TextTraceRenderer.render(trace, language: language).isEmpty {
            problems.append("an empty text trace")
        }
        if case .failure(let failure) = JSONReader.parse(Array(JSONTraceRenderer.render(trace).utf8)) {
            problems.append("the JSON trace does not parse: \(failure.message)")
        }
        return (decision, problems)
    }
}
