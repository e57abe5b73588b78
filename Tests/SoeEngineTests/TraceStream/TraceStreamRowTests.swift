import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The row writer's fast paths against the definitions they stand in for: a row written from the
/// program's registers after `settleEverything()` is the row written through `evaluate(_:)`, and
/// both expand to the document `TraceBuilder` builds; numbers are `exactText`; derived node values
/// are really derived (a row with a node value too many or too few is refused).
@Suite("trace stream rows")
struct TraceStreamRowTests {
    static let engineVersion = "0.0.0-rows"

    /// The generated firms of `EvaluatorProgramTests` (missing inputs, zeros, overflow, huge
    /// fractions, text and dates where numbers belong), under every rule set the tests know, on
    /// days in and out of force: each row, written with and without settling first and by an
    /// evaluator without a program, is the same, and expands to the direct document.
    @Test("generated firms: settled, unsettled and reference rows are identical and expand exactly")
    func generatedFirmsExpandExactly() throws {
        var random = SplitMix64(seed: 20_261_123)
        let days = [(2024, 12, 31), (2022, 6, 30), (2014, 12, 31)].compactMap { Day(year: $0.0, month: $0.1, day: $0.2) }
        var settledNodes = 0
        var openNodes = 0
        var notInForce = 0
        var expanded = 0
        for ruleSet in EvaluatorProgramTests.ruleSets() {
            let stream = TraceStreamWriter(ruleSet: ruleSet, engineVersion: Self.engineVersion)
            var compiled = Evaluator(ruleSet: ruleSet)
            var reference = Evaluator(ruleSet: ruleSet, compiled: false)
            for number in 0..<100 {
                let day = days[number % 5 == 4 ? 2 : number % 2]
                let values = EvaluatorProgramTests.firm(ruleSet, &random)
                // Every other firm has the places of a JSON file; the rest have none.
                let sources: [Firm.Field?] = ruleSet.inputs.indices.map { index in
                    number % 2 == 0 ? Firm.Field(cell: .null, pointer: "/\(ruleSet.inputs[index].name)", line: index + 2, column: 3) : nil
                }
                let firm = Firm(
                    source: "generated-\(number).json", sha256: String(repeating: "ab", count: 32),
                    name: number % 3 == 0 ? nil : "Firma \"\(number)\"", cvr: number % 4 == 0 ? nil : "13748136",
                    fiscalYear: day.year, closingDay: day, fields: [:])
                let bound = BoundInputs(values: values, sources: sources)
                let decision = compiled.evaluate(inputs: values, on: day)
                #expect(reference.evaluate(inputs: values, on: day) == decision)
                let direct = TraceBuilder.build(
                    evaluator: compiled, decision: decision, firm: firm, bound: bound,
                    engineVersion: Self.engineVersion)
                var unsettled: [UInt8] = []
                var settled: [UInt8] = []
                var general: [UInt8] = []
                stream.appendRow(into: &unsettled, evaluator: compiled, decision: decision, firm: firm, bound: bound)
                compiled.settleEverything()
                stream.appendRow(into: &settled, evaluator: compiled, decision: decision, firm: firm, bound: bound)
                stream.appendRow(into: &general, evaluator: reference, decision: decision, firm: firm, bound: bound)
                #expect(settled == unsettled, "\(ruleSet.name) firm \(number): settling first changes the row")
                #expect(settled == general, "\(ruleSet.name) firm \(number): the program's row differs from evaluate(_:)'s")
                if decision.notInForceOn == nil, let program = compiled.program {
                    for node in stream.layout.computedNonRoot.map(\.node) {
                        if compiled.slots[Int(node)].kind == .none { openNodes += 1 } else { settledNodes += 1 }
                    }
                    #expect(compiled.executed == program.operations.count)
                } else {
                    notInForce += 1
                }
                // A scalar of the wrong kind (text in an amount) never comes out of binding a firm,
                // and a row cannot say it: such firms test only that the three rows agree.
                guard Self.wellTyped(values, ruleSet) else { continue }
                let document = try TraceStream.expand(header: stream.headerLine, row: settled).get()
                #expect(
                    document.serialized(pretty: false) == JSONTraceRenderer.render(direct, pretty: false),
                    "\(ruleSet.name) firm \(number): the expansion differs from the direct document")
                expanded += 1
            }
        }
        // Both kinds of node are written, and rows out of force too.
        #expect(expanded >= 300, "\(expanded)")
        #expect(settledNodes > 500 && openNodes > 100 && notInForce > 50, "\(settledNodes) \(openNodes) \(notInForce)")
    }

    /// Whether every input is missing or of the kind its type says, as binding a firm ensures.
    static func wellTyped(_ values: [Scalar?], _ ruleSet: RuleSet) -> Bool {
        zip(values, ruleSet.inputs).allSatisfy { value, input in
            switch (value, input.type) {
            case (nil, _), (.number?, .money), (.number?, .percent), (.number?, .count), (.number?, .number),
                (.bool?, .bool), (.date?, .date), (.text?, .text), (.choice?, .choice):
                true
            default: false
            }
        }
    }

    /// A row of the minimal rule set for the café sample, and its header.
    static func cafe() throws -> (TraceStreamWriter, [UInt8]) {
        let ruleSet = try #require(try TraceStreamTests.ruleSets().first { $0.name.hasPrefix("minimal") })
        let stream = TraceStreamWriter(ruleSet: ruleSet, engineVersion: Self.engineVersion)
        let path = "samples/minimal/cafe.json"
        let firm = try FirmReader.readJSON(
            try TraceStreamTests.bytes(path), source: path,
            knownInputs: Set(ruleSet.inputs.map(\.name))
        ).get()
        let bound = try firm.bind(to: ruleSet).get()
        var evaluator = Evaluator(ruleSet: ruleSet)
        let decision = evaluator.evaluate(inputs: bound.values, on: firm.closingDay)
        evaluator.settleEverything()
        var row: [UInt8] = []
        stream.appendRow(into: &row, evaluator: evaluator, decision: decision, firm: firm, bound: bound)
        return (stream, row)
    }

    @Test(
        "a row writes only computed nodes: one value more or less is refused, not misread",
        arguments: [
            ("one more", true),
            ("one fewer", false),
        ])
    func nodeCountMustMatch(_ note: String, _ extra: Bool) throws {
        let (stream, row) = try Self.cafe()
        let text = String(decoding: row, as: UTF8.self)
        let marker = "\"nodes\":["
        let range = try #require(text.range(of: marker))
        let changed: String
        if extra {
            changed = text.replacingCharacters(in: range, with: marker + "true,")
        } else {
            let rest = text[range.upperBound...]
            let comma = try #require(rest.firstIndex(of: ","))
            changed = text.replacingCharacters(in: range.upperBound...comma, with: "")
        }
        #expect(TraceStream.expand(header: stream.headerLine, row: row).map { _ in true } == .success(true))
        guard case .failure(let error) = TraceStream.expand(header: stream.headerLine, row: Array(changed.utf8)) else {
            Issue.record("a row with \(note) node value expanded")
            return
        }
        #expect(error.message.contains("node value"), "\(error.message)")
    }

    @Test("the header names what each reference reads and the value of each constant")
    func headerReferencesAndConstants() throws {
        let (stream, _) = try Self.cafe()
        let header = try TraceStream.Header(parsing: stream.headerLine)
        let ruleSet = stream.ruleSet
        var references = 0
        var constants = 0
        for (index, node) in ruleSet.nodes.enumerated() {
            guard let decoded = header.nodes[index] else { continue }
            switch node.op {
            case .input:
                #expect(decoded.reference == .input(Int(node.a)))
                references += 1
            case .value:
                #expect(decoded.reference == .value(Int(node.a)))
                references += 1
            case .criterion:
                #expect(decoded.reference == .criterion(Int(node.a)))
                references += 1
            case .parameter:
                #expect(decoded.reference == .parameter(Int(node.a)))
                references += 1
            case .constant:
                #expect(decoded.constant == .known(ruleSet.constants[Int(node.a)]))
                constants += 1
            default:
                #expect(decoded.reference == nil && decoded.constant == nil)
            }
        }
        #expect(references >= 10 && constants >= 2)
        // A reference without its index is not a header this version reads.
        let text = String(decoding: stream.headerLine, as: UTF8.self).replacingOccurrences(of: "\"ref\":0", with: "\"ref\":\"input\"")
        #expect(throws: TraceStreamError.self) { try TraceStream.Header(parsing: Array(text.utf8)) }
    }

    @Test("numbers of every kind are written as exactText writes them")
    func numbersAsExactText() throws {
        var random = SplitMix64(seed: 99)
        let denominators: [Int128] = [
            1, 2, 3, 4, 5, 7, 8, 10, 16, 20, 25, 40, 64, 71, 100, 125, 128, 1000, 1024, 3125, 10_000,
            100_000, 1_000_000, 10_000_000, 1_000_000_000_000, 1_000_000_000_000_000_000,
            10_000_000_000_000_000_000, 1 << 40, 1 << 62, 1 << 63, 1 << 64, 5_960_464_477_539_062_500,
            1_531_919_684, 999_999_937, Int128(UInt64.max), Int128(UInt64.max) + 1,
        ]
        var cases: [Exact] = []
        for denominator in denominators {
            for _ in 0..<60 {
                let magnitude: Int128
                switch random.next(5) {
                case 0: magnitude = Int128(random.next(1_000))
                case 1: magnitude = Int128(random.next(1_000_000_000)) * Int128(random.next(1_000_000_000))
                case 2: magnitude = Int128(UInt64.max) - Int128(random.next(3))
                case 3: magnitude = Int128(random.next(100)) * denominator
                default: magnitude = Int128(Int64.max) + Int128(random.next(3)) - 1
                }
                let sign: Int128 = random.next(3) == 0 ? -1 : 1
                if let value = Exact(numerator: sign * magnitude, denominator: denominator) { cases.append(value) }
            }
        }
        cases += [Exact(integer: Int128.max), Exact(integer: -Int128.max), .zero]
        #expect(cases.count > 2_000)
        for value in cases {
            for money in [false, true] {
                var bytes: [UInt8] = [0x78]
                TraceStreamWriter.appendExact(value, money: money, to: &bytes)
                let expected = "x\"" + value.exactText(minPlaces: money ? 2 : 0) + "\""
                #expect(String(decoding: bytes, as: UTF8.self) == expected, "\(value.numerator)/\(value.denominator) money \(money)")
            }
        }
    }

    @Test("the expansion reads back every exact text, also those whose digits do not fit 128 bits")
    func exactTextReadsBack() throws {
        let values: [Exact?] = [
            Exact(integer: Int128.min), Exact(integer: Int128.max), Exact(numerator: 1, denominator: Int128(1) << 100),
            Exact(numerator: -Int128.max, denominator: Int128(1) << 126), Exact(numerator: 7, denominator: 5_960_464_477_539_062_500),
            Exact(numerator: 12_345, denominator: 100), Exact(numerator: -5, denominator: 10), Exact(numerator: 8, denominator: 71), .zero,
        ]
        for case let value? in values {
            for money in [false, true] {
                let text = value.exactText(minPlaces: money ? 2 : 0)
                let read = try #require(TraceStream.Header.exact(text), "\(text) is not read")
                #expect(read == value, "\(text) reads as \(read.numerator)/\(read.denominator)")
            }
        }
        for bad in ["", "1.", ".5", "-", "1.2.3", "1e5", "--1.0", "1.-5", "+1.5", "١.٥"] {
            #expect(TraceStream.Header.exact(bad) == nil, "\(bad) is read")
        }
    }

    @Test("the byte writer: strings longer than its buffer, escapes, and many pieces in a row")
    func byteWriterFlushes() {
        let long = String(repeating: "æøå \"citat\" \\ ", count: 600) + "\u{1}"
        for text in ["", "kort", "Café Solsiden ApS", long, String(repeating: "a", count: 4094), String(repeating: "b", count: 4095)] {
            var bytes: [UInt8] = [0x2A]
            ByteWriter.write(into: &bytes) { writer in
                writer.quoted(text)
                writer.raw(",")
                writer.optional(nil)
            }
            var expected: [UInt8] = [0x2A]
            JSONOutput.appendQuoted(text, to: &expected)
            expected += ",null".utf8
            #expect(bytes == expected, "\(text.prefix(20))… (\(text.utf8.count) bytes)")
        }
        var bytes: [UInt8] = []
        ByteWriter.write(into: &bytes) { writer in
            for index in 0..<5_000 {
                writer.integer(Int64(index) - 2_500)
                writer.raw(UnsafeBufferPointer(start: nil, count: 0))
                [UInt8](",\"felt\",".utf8).withUnsafeBufferPointer { writer.raw($0) }
            }
        }
        let expected = (0..<5_000).map { "\($0 - 2_500),\"felt\"," }.joined()
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }
}
