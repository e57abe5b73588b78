import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// An element of an array of records that is the record its rules and input give today is
/// verified by its bytes (`RecordArrayVerifier.quickCheck`); every other is read as a tree. Both
/// ways must give the same check, and no element that reading refuses may pass by its bytes.
@Suite("soe verify: an array's records verified by their bytes")
struct ArrayVerifyBytesTests {
    /// The array's elements as text, the rule files and the firm files.
    struct Fixture {
        var elements: [String]
        var ruleFiles: [ArchivedFile]
        var inputs: [ArchivedFile]
    }

    static func fixture(firms: Int, in folder: ScratchFolder) throws -> Fixture {
        let (_, paths, text) = try ArrayVerifyTests.array(firms: firms, in: folder)
        let bytes = Array(text.utf8)
        let ranges = try #require(DecisionRecord.arrayElements(bytes))
        let rules = try RecordVerifier.readRules("rules", wanted: []).get()
        let inputs = try paths.map {
            ArchivedFile(path: $0, bytes: Array(try folder.read(URL(fileURLWithPath: $0).lastPathComponent).utf8))
        }
        return Fixture(elements: ranges.map { String(decoding: bytes[$0], as: UTF8.self) }, ruleFiles: rules, inputs: inputs)
    }

    /// The check of one element, by its bytes first (`quick`) or as a tree only.
    static func check(_ element: String, index: Int, _ fixture: Fixture, quick: Bool) -> RecordArrayVerifier.Slot {
        var byName: [String: ArchivedFile] = [:]
        for input in fixture.inputs { byName[baseName(input.path)] = input }
        return Array(element.utf8).withUnsafeBufferPointer { bytes in
            RecordArrayVerifier.check(
                bytes, index: index, several: true, ruleFiles: fixture.ruleFiles, singleRuleFile: false, inputs: fixture.inputs,
                inputByName: byName, percent: nil, engineVersion: SoeVersion.current, cache: VerifyCache(), quick: quick)
        }
    }

    /// Whether `element` is verified by its bytes, without being read as a tree.
    static func quick(_ element: String, index: Int, _ fixture: Fixture) -> RecordCheck? {
        var byName: [String: ArchivedFile] = [:]
        for input in fixture.inputs { byName[baseName(input.path)] = input }
        return Array(element.utf8).withUnsafeBufferPointer { bytes in
            RecordArrayVerifier.quickCheck(
                bytes, index: index, several: true, ruleFiles: fixture.ruleFiles, singleRuleFile: false, inputs: fixture.inputs,
                inputByName: byName, percent: nil, engineVersion: SoeVersion.current, cache: VerifyCache())
        }
    }

    /// The two checks give the same report, the same JSON and the same record.
    static func expectSame(_ quick: RecordArrayVerifier.Slot, _ tree: RecordArrayVerifier.Slot) {
        guard case .checked(let fast) = quick, case .checked(let slow) = tree else {
            Issue.record("expected two checks: \(quick) and \(tree)")
            return
        }
        #expect(fast.isVerified == slow.isVerified)
        #expect(fast.findings == slow.findings)
        #expect(fast.report(recordPath: "r.json") == slow.report(recordPath: "r.json"))
        #expect(fast.json(recordPath: "r.json") == slow.json(recordPath: "r.json"))
        #expect(JSONOutput.object(fast.record.members) == JSONOutput.object(slow.record.members))
        #expect(fast.record.claimedSeal == slow.record.claimedSeal)
        #expect(fast.record.computedSeal == slow.record.computedSeal)
    }

    @Test("a record as written, re-indented or compact, is verified by its bytes, with the check reading it gives")
    func sameCheck() throws {
        let folder = try ScratchFolder()
        let fixture = try Self.fixture(firms: 3, in: folder)
        #expect(fixture.elements.count == 9)
        for (index, element) in fixture.elements.enumerated() {
            let compact = JSONOutput(try JSONReader.parse(Array(element.utf8)).get()).serialized(pretty: false)
            let reindented = element.replacingOccurrences(of: "\n  ", with: "\n\t   ")
            for form in [element, compact, reindented] {
                #expect(Self.quick(form, index: index, fixture) != nil, "element \(index + 1) is verified by its bytes")
                Self.expectSame(
                    Self.check(form, index: index, fixture, quick: true), Self.check(form, index: index, fixture, quick: false))
            }
        }
    }

    @Test("an element that reading refuses or that differs in any byte of content is read as a tree")
    func differentBytes() throws {
        let folder = try ScratchFolder()
        let fixture = try Self.fixture(firms: 1, in: folder)
        let element = fixture.elements[0]
        #expect(Self.quick(element, index: 0, fixture) != nil)
        let year = try #require(element.range(of: "\"fiscal_year\": 2024"))
        let cases: [(String, String)] = [
            // Whitespace inside a number: not JSON, refused by the reader.
            ("a space inside a number", element.replacingCharacters(in: year, with: "\"fiscal_year\": 20 24")),
            // A duplicate key: refused by the reader.
            (
                "a duplicate key",
                element.replacingOccurrences(
                    of: "\"schema\": \"soe-record/1\",", with: "\"schema\": \"soe-record/1\", \"schema\": \"soe-record/1\",")
            ),
            // The same text written with an escape: the same value, so the seal holds, but other bytes.
            ("an escaped letter", element.replacingOccurrences(of: "\"name\": \"soe\"", with: "\"name\": \"so\\u0065\"")),
            // A changed seal.
            ("another seal", element.replacingOccurrences(of: "\"record_sha256\": \"", with: "\"record_sha256\": \"0")),
            // A changed firm name, a whitespace change inside a string.
            ("another firm name", element.replacingOccurrences(of: "Kaffekollektivet ApS", with: "Kaffekollektivet  ApS")),
        ]
        for (what, edited) in cases {
            #expect(edited != element, "\(what): the edit applies")
            #expect(Self.quick(edited, index: 0, fixture) == nil, "\(what) is not verified by its bytes")
        }
        // Reading refuses the first two; the escaped letter verifies as a tree; the rest are findings.
        for (what, edited) in cases.prefix(2) {
            guard case .unreadable = Self.check(edited, index: 0, fixture, quick: true) else {
                Issue.record("\(what): expected an element that does not read")
                continue
            }
        }
        guard case .checked(let escaped) = Self.check(cases[2].1, index: 0, fixture, quick: true) else {
            Issue.record("the escaped letter: expected a check")
            return
        }
        #expect(escaped.isVerified)
        for (what, edited) in cases.suffix(2) {
            guard case .checked(let check) = Self.check(edited, index: 0, fixture, quick: true) else {
                Issue.record("\(what): expected a check")
                continue
            }
            #expect(check.findings.first?.kind == "record edited", "\(what): \(check.findings)")
        }
    }

    @Test("a record with a decision date, alone and in an array made of two such files, is verified by its bytes")
    func decisionDate() throws {
        let folder = try ScratchFolder()
        let template = String(decoding: try RecordFixtures.bytes("samples/kaffekollektivet.json"), as: UTF8.self)
        let firm = try folder.write("firm.json", template)
        let made = try runSoe(["evaluate", "--rules", "rules/rsv_2014.rules", "--format", "record", "--decision-date", "2025-03-14", firm])
        #expect(made.exitCode == 0, "\(made.stderr)")
        let one = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(one.contains("\"decision_date\": \"2025-03-14\""))
        let fixture = Fixture(
            elements: [one], ruleFiles: try RecordVerifier.readRules("rules", wanted: []).get(),
            inputs: [ArchivedFile(path: firm, bytes: Array(template.utf8))])
        #expect(Self.quick(one, index: 0, fixture) != nil)
        Self.expectSame(Self.check(one, index: 0, fixture, quick: true), Self.check(one, index: 0, fixture, quick: false))
        // Another date, sealed anew by whoever edited it: not the record's bytes, and named as an edit.
        let moved = one.replacingOccurrences(of: "2025-03-14", with: "2025-03-15")
        #expect(Self.quick(moved, index: 0, fixture) == nil)

        let array = try folder.write("records.json", "[\n" + one + ",\n" + one + "\n]\n")
        let run = try runSoe(["verify", array, "--rules", "rules", firm])
        #expect(run.exitCode == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.split(separator: "\n").filter { $0.hasPrefix("verified: ") }.count == 2, "\(run.stdout)")
    }
}
