import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The decision record (`soe-record/1`): what it holds, how it is sealed, how it is read back.
@Suite("decision records")
struct DecisionRecordTests {
    @Test("the record of Kaffekollektivet matches its golden file")
    func golden() throws {
        let record = DecisionRecord.render([try RecordFixtures.kaffekollektivet()])
        expectGolden(record, "records/kaffekollektivet.record.json")
    }

    @Test("a record holds the outcome, the trace, the hashes, the fiscal year, the parameters and the engine")
    func contents() throws {
        let trace = try RecordFixtures.kaffekollektivet()
        let record = DecisionRecord.document(trace)
        #expect(record.member("schema") == .string("soe-record/1"))
        #expect(record.at("engine", "version") == .string(SoeVersion.current))
        #expect(record.at("decision", "status") == .string("determined"))
        #expect(record.at("decision", "outcome") == .string("social_economy"))
        #expect(record.member("fiscal_year") == .number("2024"))
        #expect(record.member("closing_date") == .string("2024-12-31"))
        #expect(record.at("rules", "sha256") == .string(trace.ruleSet.sha256))
        #expect(record.at("rules", "version") == .string("1.0"))
        #expect(record.at("input", "sha256") == .string(SHA256.hex(try RecordFixtures.bytes("samples/kaffekollektivet.json"))))
        #expect(record.at("trace", "schema") == .string("soe-trace/1"))
        guard case .array(let parameters)? = record.member("parameters"), let first = parameters.first else {
            Issue.record("the record has no parameters")
            return
        }
        #expect(first.member("basis") == .string("policy"))
        #expect(first.at("value", "exact") == .string("0.25"))
        guard case .object(let members) = record else { return }
        #expect(members.last?.0 == "record_sha256", "the seal is the last member")
    }

    @Test("the seal is the SHA-256 of the compact serialization of everything but the seal")
    func sealIsCanonical() throws {
        let record = DecisionRecord.document(try RecordFixtures.kaffekollektivet())
        guard case .object(let members) = record, let seal = record.member("record_sha256")?.stringValue else {
            Issue.record("not a sealed object")
            return
        }
        let body = JSONOutput.object(Array(members.dropLast())).serialized(pretty: false)
        #expect(seal == SHA256.hex(Array(body.utf8)))
    }

    @Test("a record reads back intact, pretty or compact")
    func readsBackIntact() throws {
        let record = DecisionRecord.document(try RecordFixtures.kaffekollektivet())
        for pretty in [true, false] {
            let read = DecisionRecord.read(Array(record.serialized(pretty: pretty).utf8))
            let records = try read.get()
            #expect(records.count == 1)
            #expect(records.first?.isIntact == true, "pretty: \(pretty)")
            #expect(records.first?.ruleSetName == "rsv_2014")
            #expect(records.first?.ruleFiles.map(\.path) == ["rules/rsv_2014.rules"])
            #expect(records.first?.inputSource == "samples/kaffekollektivet.json")
            #expect(records.first?.decisionSummary == "social_economy")
        }
    }

    @Test(
        "any change of content breaks the seal",
        arguments: [
            ("\"outcome\": \"social_economy\"", "\"outcome\": \"ordinary\""),
            ("\"fiscal_year\": 2024", "\"fiscal_year\": 2023"),
            ("\"exact\": \"0.25\"", "\"exact\": \"0.5\""),
            ("\"name\": \"Kaffekollektivet ApS\"", "\"name\": \"Kaffekollektivet A/S\""),
        ])
    func editBreaksSeal(edit: (String, String)) throws {
        let text = DecisionRecord.render([try RecordFixtures.kaffekollektivet()])
        #expect(text.contains(edit.0))
        let edited = text.replacing(edit.0, with: edit.1, maxReplacements: 1)
        let records = try DecisionRecord.read(Array(edited.utf8)).get()
        #expect(records.first?.isIntact == false)
    }

    @Test("several decisions make an array of records, each sealed on its own")
    func several() throws {
        let text = DecisionRecord.render([try RecordFixtures.kaffekollektivet(), try RecordFixtures.undetermined()])
        let records = try DecisionRecord.read(Array(text.utf8)).get()
        #expect(records.map(\.index) == [0, 1])
        let intact = records.allSatisfy { $0.isIntact }
        #expect(intact)
        #expect(records.map(\.decisionSummary) == ["social_economy", "undetermined"])
    }

    @Test(
        "a file that is not a record is rejected with the reason and the place",
        arguments: [
            ("{", "not valid JSON"),
            ("[]", "empty list"),
            ("{\"schema\": \"soe-trace/1\"}", "expected the schema 'soe-record/1', found 'soe-trace/1'"),
            ("{\"schema\": \"soe-record/1\"}", "lacks trace.rule_set"),
            ("{\"schema\": \"soe-record/1\", \"schema\": \"soe-record/1\"}", "the key 'schema' appears twice"),
            ("[{\"schema\": \"soe-record/1\"}]", "lacks trace.rule_set"),
            ("42", "a record is a JSON object"),
        ])
    func malformed(text: String, message: String) {
        switch DecisionRecord.read(Array(text.utf8)) {
        case .success: Issue.record("\(text) was read as a record")
        case .failure(let failure): #expect(failure.message.contains(message), "\(failure.message)")
        }
    }
}

/// Field-by-field differences, which name what an edit changed.
@Suite("JSON differences")
struct JSONDifferenceTests {
    @Test(
        "differences are named by JSON pointer",
        arguments: [
            (JSONOutput.object([("a", .number("1"))]), JSONOutput.object([("a", .number("2"))]), ["/a: recorded 1, now 2"]),
            (
                .object([("a", .object([("b", .string("x"))]))]), .object([("a", .object([("b", .string("y"))]))]),
                ["/a/b: recorded \"x\", now \"y\""]
            ),
            (.array([.null, .bool(true)]), .array([.null]), ["/1: recorded true, now (absent)"]),
            (.object([("a/b", .null)]), .object([]), ["/a~1b: recorded null, now (absent)"]),
            (.object([("a", .null), ("b", .null)]), .object([("b", .null), ("a", .null)]), ["/: recorded keys a,b, now keys b,a"]),
            (.string("same"), .string("same"), []),
        ])
    func named(recorded: JSONOutput, current: JSONOutput, lines: [String]) {
        #expect(JSONDifference.between(recorded, current).map(\.line) == lines)
    }
}
