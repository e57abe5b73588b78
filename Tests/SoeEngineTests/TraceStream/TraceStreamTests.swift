import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// `soe-trace-stream/3` is a full trace: for every sample firm under every bundled rule set, the
/// header line plus the firm's row expand to exactly the `soe-trace/1` document written directly.
@Suite("trace stream")
struct TraceStreamTests {
    static let engineVersion = "0.0.0-golden"

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        let path = TestPaths.root + "/" + relativePath
        return Array(try #require(FileManager.default.contents(atPath: path), "cannot read \(path)"))
    }

    /// The bundled rule sets (loaded together, as `--rules rules/` does) and the minimal one, with
    /// paths relative to the package root.
    static func ruleSets() throws -> [RuleSet] {
        let names = try FileManager.default.contentsOfDirectory(atPath: TestPaths.rules).filter { $0.hasSuffix(".rules") }.sorted()
        let bundled = RuleLoader.load(try names.map { SourceFile(path: "rules/\($0)", bytes: try bytes("rules/\($0)")) })
        #expect(bundled.diagnostics.allSatisfy { $0.severity != .error })
        let minimalPath = "samples/minimal/minimal.rules"
        let minimal = RuleLoader.load([SourceFile(path: minimalPath, bytes: try bytes(minimalPath))])
        return bundled.ruleSets + minimal.ruleSets
    }

    /// Every sample firm file, relative to the package root.
    static func sampleFirms() throws -> [String] {
        let top = try FileManager.default.contentsOfDirectory(atPath: TestPaths.samples).filter { $0.hasSuffix(".json") }
        let minimal = try FileManager.default.contentsOfDirectory(atPath: TestPaths.samples + "/minimal").filter { $0.hasSuffix(".json") }
        return (top.map { "samples/\($0)" } + minimal.map { "samples/minimal/\($0)" }).sorted()
    }

    /// The direct document and the expanded one, compact and pretty, for one firm under one rule set.
    static func compare(
        _ ruleSet: RuleSet, _ stream: TraceStreamWriter, firm: Firm,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> String? {
        guard case .success(let bound) = firm.bind(to: ruleSet) else { return nil }
        var evaluator = Evaluator(ruleSet: ruleSet)
        let decision = evaluator.evaluate(inputs: bound.values, on: firm.closingDay)
        let direct = TraceBuilder.build(
            evaluator: evaluator, decision: decision, firm: firm, bound: bound,
            engineVersion: engineVersion)
        var row: [UInt8] = []
        stream.appendRow(into: &row, evaluator: evaluator, decision: decision, firm: firm, bound: bound)
        switch TraceStream.expand(header: stream.headerLine, row: row) {
        case .failure(let error):
            Issue.record("\(firm.source) under \(ruleSet.name): \(error)", sourceLocation: sourceLocation)
        case .success(let expanded):
            #expect(
                expanded.serialized(pretty: true) == JSONTraceRenderer.render(direct),
                "\(firm.source) under \(ruleSet.name)", sourceLocation: sourceLocation)
            #expect(
                expanded.serialized(pretty: false) == JSONTraceRenderer.render(direct, pretty: false),
                "\(firm.source) under \(ruleSet.name)", sourceLocation: sourceLocation)
        }
        return JSONTraceRenderer.document(direct).serialized(pretty: false)
    }

    @Test("every sample firm under every rule set: expand(header, row) is byte-identical to the soe-trace/1 document")
    func samplesExpandExactly() throws {
        let ruleSets = try Self.ruleSets()
        #expect(ruleSets.count >= 4)
        var compared = 0
        var statuses: Set<String> = []
        for ruleSet in ruleSets {
            let stream = TraceStreamWriter(ruleSet: ruleSet, engineVersion: Self.engineVersion)
            let known = Set(ruleSet.inputs.map(\.name))
            var firms: [Firm] = []
            for path in try Self.sampleFirms() {
                if case .success(let firm) = FirmReader.readJSON(try Self.bytes(path), source: path, knownInputs: known) {
                    firms.append(firm)
                }
            }
            // A fiscal year before any rule set came into force: nothing is evaluated.
            let old = Array(#"{"name": "Gammel Café", "fiscal_year": 2010}"#.utf8)
            if case .success(let firm) = FirmReader.readJSON(old, source: "old.json", knownInputs: known) { firms.append(firm) }
            for firm in firms {
                guard let document = Self.compare(ruleSet, stream, firm: firm) else { continue }
                compared += 1
                for status in ["determined", "undetermined", "not_in_force"] where document.contains("\"status\":\"\(status)\"") {
                    statuses.insert(status)
                }
            }
        }
        // 20 samples plus the old firm under 4 rule sets; a firm whose data a rule set rejects is skipped.
        #expect(compared >= 40)
        #expect(statuses == ["determined", "undetermined", "not_in_force"])
    }

    @Test(
        "an older header is refused, not misread: the meaning of a row's nodes changed in version 2, of its inputs in 3",
        arguments: ["soe-trace-stream/1", "soe-trace-stream/2"])
    func olderVersionsRefused(_ schema: String) throws {
        guard let ruleSet = try TraceStreamTests.ruleSets().first else { return }
        let stream = TraceStreamWriter(ruleSet: ruleSet, engineVersion: TraceStreamTests.engineVersion)
        let old = Array(
            String(decoding: stream.headerLine, as: UTF8.self)
                .replacingOccurrences(of: "soe-trace-stream/3", with: schema).utf8)
        #expect(!TraceStream.isHeader(old) && TraceStream.isHeader(stream.headerLine))
        guard case .failure(let error) = TraceStream.expand(header: old, rows: []) else {
            Issue.record("a \(schema) header was accepted")
            return
        }
        #expect(error.message == "the header is not soe-trace-stream/3")
    }

    @Test("a division by zero: the problem and the unknown values survive the round trip")
    func divisionByZero() throws {
        let ruleSets = try Self.ruleSets()
        var problems = 0
        for ruleSet in ruleSets {
            let stream = TraceStreamWriter(ruleSet: ruleSet, engineVersion: Self.engineVersion)
            var json = #"{"name": "Nul", "cvr": "13748136", "fiscal_year": 2024"#
            for input in ruleSet.inputs where input.type.isNumeric { json += ", \"\(input.name)\": 0" }
            json += "}"
            let firm = try FirmReader.readJSON(
                Array(json.utf8), source: "zero.json",
                knownInputs: Set(ruleSet.inputs.map(\.name))
            ).get()
            if let document = Self.compare(ruleSet, stream, firm: firm), document.contains("division_by_zero") { problems += 1 }
        }
        #expect(problems >= 1)
    }

    @Test(
        "batch samples: the stream's header lines and rows expand to the full traces of --trace-format full",
        arguments: [
            ("samples/batch/firms.csv", BatchOptions.InputFormat.csv),
            ("samples/batch/firms-excel-da.csv", .csv),
            ("samples/batch/firms.jsonl", .jsonl),
        ])
    func batchSamples(_ path: String, _ format: BatchOptions.InputFormat) throws {
        let rules = try Self.ruleSets().filter { !$0.name.hasPrefix("minimal") }
        let input = try Self.bytes(path)
        func run(_ traceFormat: BatchTraceFormat) -> [[UInt8]] {
            let options = BatchOptions(inputFormat: format, outputFormat: .jsonl, traces: true, traceFormat: traceFormat, sourceName: path)
            let sink = MemorySink()
            _ = BatchRunner(ruleSets: rules, options: options).run(ArraySource(input), to: sink)
            return sink.bytes.split(separator: 0x0A).map(Array.init)
        }
        let full = run(.full)
        let streamed = run(.stream)
        #expect(streamed.count == full.count + rules.count)
        let headers = Array(streamed.prefix(rules.count))
        #expect(headers.allSatisfy(TraceStream.isHeader))
        let headerFor = Dictionary(
            headers.compactMap { line in TraceStream.ruleSetName(ofHeader: line).map { ($0, line) } },
            uniquingKeysWith: { first, _ in first })
        let marker = Array(",\"trace\":".utf8)
        var expanded = 0
        for (fullLine, streamLine) in zip(full, streamed.dropFirst(rules.count)) {
            guard let fullCut = Self.find(marker, in: fullLine) else {
                #expect(fullLine == streamLine, "a result without a trace is the same in both")
                continue
            }
            let streamCut = try #require(Self.find(marker, in: streamLine))
            #expect(fullLine[..<fullCut] == streamLine[..<streamCut], "the result fields are the same in both")
            let name = try #require(TraceStream.ruleSetName(ofRow: streamLine)?.name)
            let header = try #require(headerFor[name])
            let document = try TraceStream.expand(header: header, row: streamLine).get()
            let expected = String(decoding: fullLine[(fullCut + marker.count)..<(fullLine.count - 1)], as: UTF8.self)
            #expect(document.serialized(pretty: false) == expected)
            expanded += 1
        }
        #expect(expanded >= 10)
    }

    @Test("a CSV batch's header gives each input's column once; its rows give their line, and none of them a place")
    func csvColumnsInHeader() throws {
        let rules = try Self.ruleSets().filter { !$0.name.hasPrefix("minimal") }
        let options = BatchOptions(outputFormat: .jsonl, traces: true, sourceName: "firms.csv")
        let sink = MemorySink()
        _ = BatchRunner(ruleSets: rules, options: options).run(ArraySource(try Self.bytes("samples/batch/firms.csv")), to: sink)
        let lines = sink.bytes.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
        let headers = lines.prefix(rules.count)
        let rows = lines.dropFirst(rules.count).filter { $0.contains("\"trace\":") }
        #expect(headers.allSatisfy { $0.contains(",\"fields\":[") && $0.contains("[\"market_sales\",") })
        #expect(!rows.isEmpty)
        for row in rows {
            let trace = row.components(separatedBy: "\"trace\":").last ?? ""
            #expect(trace.contains(",\"line\":"))
            #expect(!trace.contains("\"market_sales\","), "an input's place is in the header, not in the row")
        }
        // Without its line, a row of a CSV stream cannot say where its inputs came from: an error, not a guess.
        let header = Array(try #require(headers.first { $0.contains("\"name\":\"\(rules[0].name)\"") }).utf8)
        let row = try #require(rows.first { $0.contains("\"rule_set\":\"\(rules[0].name)\"") && $0.contains("\"status\":\"determined\"") })
        let withoutLine = row.replacingOccurrences(of: #","line":\d+"#, with: "", options: .regularExpression)
        #expect(withoutLine != row)
        guard case .failure(let error) = TraceStream.expand(header: header, row: Array(withoutLine.utf8)) else {
            Issue.record("a CSV stream row without its line was expanded")
            return
        }
        #expect(error.message == "missing member line")
    }

    /// A header and a determined row of the first bundled rule set, from the CSV batch sample.
    static func csvHeaderAndRow() throws -> (header: String, row: String) {
        let rules = try Self.ruleSets().filter { !$0.name.hasPrefix("minimal") }
        let options = BatchOptions(outputFormat: .jsonl, traces: true, sourceName: "firms.csv")
        let sink = MemorySink()
        _ = BatchRunner(ruleSets: rules, options: options).run(ArraySource(try Self.bytes("samples/batch/firms.csv")), to: sink)
        let lines = sink.bytes.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
        let header = try #require(lines.first { $0.contains("\"name\":\"\(rules[0].name)\"") && $0.hasPrefix("{\"schema\"") })
        let row = try #require(
            lines.first {
                $0.contains("\"rule_set\":\"\(rules[0].name)\"") && $0.contains("\"status\":\"determined\"") && $0.contains("\"trace\":")
            })
        return (header, row)
    }

    @Test(
        "a malformed or hostile header or row is an error value, never a crash or a false source",
        arguments: [
            ("fields that are not pairs", "header", #","fields":["#, #","fields":[1,"#),
            ("a field named after another input", "header", #","fields":[["own_cvr","#, #","fields":[["grants","#),
            ("a field in column 0", "header", #"["own_cvr",6]"#, #"["own_cvr",0]"#),
            ("fields for fewer inputs", "header", #","fields":[["own_cvr",6],"#, #","fields":["#),
            ("an input with its own place under a header with fields", "row", #""inputs":[[true]"#, #""inputs":[[true,"own_cvr",2,6]"#),
            ("a problem node beyond 32 bits", "row", #""problems":[]"#, #""problems":[["overflow",99999999999]]"#),
        ])
    func hostile(_ note: String, _ part: String, _ find: String, _ replace: String) throws {
        let (header, row) = try Self.csvHeaderAndRow()
        let (changedHeader, changedRow) =
            part == "header"
            ? (header.replacingOccurrences(of: find, with: replace), row)
            : (header, row.replacingOccurrences(of: find, with: replace))
        #expect(changedHeader != header || changedRow != row, "\(note): the test changed nothing")
        #expect(TraceStream.expand(header: Array(header.utf8), row: Array(row.utf8)).map { _ in true } == .success(true))
        guard case .failure = TraceStream.expand(header: Array(changedHeader.utf8), row: Array(changedRow.utf8)) else {
            Issue.record("\(note) was expanded")
            return
        }
    }

    @Test("a header whose formula contains itself is an error, not an endless recursion")
    func cyclicNode() throws {
        let (header, row) = try Self.csvHeaderAndRow()
        var document = try #require(try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])
        var nodes = try #require(document["nodes"] as? [Any])
        // The first node with operands is made its own first operand.
        let index = try #require(nodes.firstIndex { (($0 as? [String: Any])?["args"] as? [Int])?.isEmpty == false })
        var node = try #require(nodes[index] as? [String: Any])
        var args = try #require(node["args"] as? [Int])
        args[0] = index
        node["args"] = args
        nodes[index] = node
        document["nodes"] = nodes
        let cyclic = try JSONSerialization.data(withJSONObject: document)
        guard case .failure(let error) = TraceStream.expand(header: Array(cyclic), row: Array(row.utf8)) else {
            Issue.record("a cyclic formula was expanded")
            return
        }
        #expect(error.message == "node \(index) contains itself or nests too deep")
    }

    @Test("the stream of the minimal samples matches its golden file")
    func golden() throws {
        let ruleSet = try #require(try Self.ruleSets().first { $0.name.hasPrefix("minimal") })
        let stream = TraceStreamWriter(ruleSet: ruleSet, engineVersion: Self.engineVersion)
        var bytes = stream.headerLine + [0x0A]
        for name in ["cafe", "incomplete"] {
            let path = "samples/minimal/\(name).json"
            let firm = try FirmReader.readJSON(try Self.bytes(path), source: path, knownInputs: Set(ruleSet.inputs.map(\.name))).get()
            let bound = try firm.bind(to: ruleSet).get()
            var evaluator = Evaluator(ruleSet: ruleSet)
            let decision = evaluator.evaluate(inputs: bound.values, on: firm.closingDay)
            stream.appendRow(into: &bytes, evaluator: evaluator, decision: decision, firm: firm, bound: bound)
            bytes.append(0x0A)
        }
        expectGolden(String(decoding: bytes, as: UTF8.self), "tracestream/minimal.jsonl")
    }

    @Test(
        "a row expanded with another rule set's header, or a header that is not one, is an error value",
        arguments: [
            ("another rule set", true),
            ("not a header", false),
        ])
    func mismatch(_ note: String, _ wrongRuleSet: Bool) throws {
        let ruleSets = try Self.ruleSets()
        let minimal = try #require(ruleSets.first { $0.name.hasPrefix("minimal") })
        let other = try #require(ruleSets.first { !$0.name.hasPrefix("minimal") })
        let path = "samples/minimal/cafe.json"
        let firm = try FirmReader.readJSON(try Self.bytes(path), source: path, knownInputs: Set(minimal.inputs.map(\.name))).get()
        let bound = try firm.bind(to: minimal).get()
        var evaluator = Evaluator(ruleSet: minimal)
        let decision = evaluator.evaluate(inputs: bound.values, on: firm.closingDay)
        var row: [UInt8] = []
        TraceStreamWriter(ruleSet: minimal, engineVersion: "x").appendRow(
            into: &row, evaluator: evaluator, decision: decision,
            firm: firm, bound: bound)
        let header = wrongRuleSet ? TraceStreamWriter(ruleSet: other, engineVersion: "x").headerLine : row
        guard case .failure(let error) = TraceStream.expand(header: header, row: row) else {
            Issue.record("expanded with \(note)")
            return
        }
        #expect(!error.message.isEmpty)
    }

    @Test(
        "numbers are written exactly as soe-trace/1 writes them, for money and other types",
        arguments: [
            (4_200_000_00, 100), (-150, 100), (5, 100), (50, 100), (120, 100), (0, 1), (7, 1), (-3, 1),  // øre and whole numbers
            (8, 71), (-60, 71), (1, 3),  // fractions
            (36, 1000), (1, 8), (-1, 1024), (3, 40),  // other decimals
            (Int(Int64.max), 7), (Int(Int64.max), 1000),  // beyond 64-bit digits: the general path
        ])
    func exactText(_ numerator: Int, _ denominator: Int) throws {
        let value = try #require(
            Exact(
                numerator: Int128(numerator) * (denominator == 1000 && numerator == Int(Int64.max) ? 1000 : 1),
                denominator: Int128(denominator)))
        for money in [false, true] {
            var bytes: [UInt8] = []
            TraceStreamWriter.appendExact(value, money: money, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "\"" + value.exactText(minPlaces: money ? 2 : 0) + "\"")
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return start }
        }
        return nil
    }
}
