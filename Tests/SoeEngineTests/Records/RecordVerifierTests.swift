import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// `RecordVerifier` in-process: each kind of change is detected and named, and an unchanged
/// archive verifies wherever it is kept.
@Suite("verifying decision records")
struct RecordVerifierTests {
    /// A scratch archive: the national rules, Kaffekollektivet's data, and its record.
    struct Archive {
        let folder: ScratchFolder
        var record: String { folder.path + "/record.json" }
        var rules: String { folder.path + "/rsv_2014.rules" }
        var input: String { folder.path + "/kaffekollektivet.json" }

        init() throws {
            folder = try ScratchFolder()
            try folder.copy("rules/rsv_2014.rules")
            try folder.copy("samples/kaffekollektivet.json")
            // Recorded as if made from the package root, archived elsewhere: verify must not care.
            try folder.write("record.json", DecisionRecord.render([try RecordFixtures.kaffekollektivet()]))
        }

        func verify(engineVersion: String = SoeVersion.current) throws -> RecordCheck {
            let checks = try RecordVerifier.verify(
                recordPath: record, rulesPath: rules, inputPaths: [input],
                engineVersion: engineVersion
            ).get()
            return try #require(checks.first)
        }
    }

    @Test("an unchanged archive verifies, though the files are kept somewhere else")
    func unchanged() throws {
        let check = try Archive().verify()
        #expect(check.isVerified)
        #expect(check.findings.isEmpty)
        #expect(check.currentDecision == "social_economy")
        #expect(check.report(recordPath: "record.json").first?.hasPrefix("verified: record.json") == true)
    }

    @Test("a changed rule file is detected and named")
    func changedRuleFile() throws {
        let archive = try Archive()
        try archive.folder.edit("rsv_2014.rules", replacing: "= 25 % from 2015-01-01", with: "= 99 % from 2015-01-01")
        let check = try archive.verify()
        #expect(!check.isVerified)
        guard case .ruleFileChanged(let recorded, let given, _, _)? = check.findings.first else {
            Issue.record("expected a changed rule file, found \(check.findings)")
            return
        }
        #expect(recorded == "rules/rsv_2014.rules")
        #expect(given == archive.rules)
        #expect(check.findings.count == 1)
        #expect(check.currentDecision == "ordinary")
        let report = check.report(recordPath: "record.json").joined(separator: "\n")
        #expect(report.contains("rule file changed: rules/rsv_2014.rules"))
        #expect(report.contains("the decision is no longer the same: recorded social_economy, re-evaluation gives ordinary"))
    }

    @Test("a rule file changed only in a comment is still a change, though the decision stands")
    func changedComment() throws {
        let archive = try Archive()
        try archive.folder.edit("rsv_2014.rules", replacing: "# Kilder:", with: "# Kilder (rettet):")
        let check = try archive.verify()
        #expect(check.findings.map(\.kind) == ["rule file changed"])
        #expect(check.report(recordPath: "r").contains("  the decision is unchanged: social_economy"))
    }

    @Test("a changed input is detected and named")
    func changedInput() throws {
        let archive = try Archive()
        try archive.folder.edit("kaffekollektivet.json", replacing: "\"dividend\": \"0.00\"", with: "\"dividend\": \"100000.00\"")
        let check = try archive.verify()
        guard case .inputChanged(let recorded, _, let was, let now)? = check.findings.first else {
            Issue.record("expected a changed input, found \(check.findings)")
            return
        }
        #expect(recorded == "samples/kaffekollektivet.json")
        #expect(was != now)
        #expect(check.findings.count == 1)
        #expect(check.currentDecision == "ordinary")
    }

    @Test("an edited record is detected, with the field that differs from the re-evaluation")
    func editedRecord() throws {
        let archive = try Archive()
        let stored = try #require(try DecisionRecord.read(Array(try archive.folder.read("record.json").utf8)).get().first)
        let edited = stored.members.map { key, value -> (String, JSONOutput) in
            key == "firm" ? (key, .object([("name", .string("Kaffekollektivet A/S")), ("cvr", .string("13748136"))])) : (key, value)
        }
        let keptSeal = ("record_sha256", JSONOutput.string(stored.claimedSeal ?? ""))
        try archive.folder.write("record.json", JSONOutput.object(edited + [keptSeal]).serialized(pretty: true))
        let check = try archive.verify()
        guard case .recordEdited(let claimed, let computed, let differences)? = check.findings.first else {
            Issue.record("expected an edited record, found \(check.findings)")
            return
        }
        #expect(claimed == stored.claimedSeal)
        #expect(computed != claimed)
        #expect(check.findings.count == 1)
        #expect(differences.map(\.line) == ["/firm/name: recorded \"Kaffekollektivet A/S\", now \"Kaffekollektivet ApS\""])
    }

    @Test("an edited record whose seal was recomputed shows as a decision the rules do not give")
    func resealedRecord() throws {
        let archive = try Archive()
        let stored = try #require(try DecisionRecord.read(Array(try archive.folder.read("record.json").utf8)).get().first)
        let forged = stored.members.map { key, value -> (String, JSONOutput) in
            guard key == "decision", case .object(let fields) = value else { return (key, value) }
            return (key, .object(fields.map { $0.0 == "outcome" ? ($0.0, .string("ordinary")) : $0 }))
        }
        try archive.folder.write("record.json", DecisionRecord.sealed(forged).serialized(pretty: true))
        let check = try archive.verify()
        guard case .decisionChanged(let recorded, let current, let differences)? = check.findings.first else {
            Issue.record("expected a changed decision, found \(check.findings)")
            return
        }
        #expect(recorded == "ordinary")
        #expect(current == "social_economy")
        #expect(differences.map(\.path) == ["/decision/outcome"])
        #expect(check.report(recordPath: "r").joined().contains("probably edited and its seal recomputed"))
    }

    @Test("the caseworker's decision date and case number: shown with a verified record, named when the seal breaks")
    func caseworkerMembers() throws {
        let archive = try Archive()
        let stored = try #require(try DecisionRecord.read(Array(try archive.folder.read("record.json").utf8)).get().first)
        func sealed(_ number: String) -> String {
            var members = stored.members.filter { $0.0 != "record_sha256" }
            let at = (members.firstIndex { $0.0 == "closing_date" } ?? members.count - 1) + 1
            members.insert(contentsOf: [("decision_date", .string("2025-03-14")), ("case_number", .string(number))], at: at)
            return DecisionRecord.sealed(members).serialized(pretty: true)
        }
        // Re-evaluation cannot check them: the record verifies, and the report shows them as recorded.
        try archive.folder.write("record.json", sealed("24/12345"))
        var check = try archive.verify()
        #expect(check.isVerified)
        var report = check.report(recordPath: "r").joined(separator: "\n")
        #expect(report.contains("as the caseworker recorded them: decision date 2025-03-14, case number 24/12345"), "\(report)")
        #expect(report.contains("compare them and record_sha256 with the case file"), "\(report)")
        let json = check.json(recordPath: "r").serialized(pretty: false)
        #expect(json.contains("\"decision_date\":\"2025-03-14\",\"case_number\":\"24/12345\""), "\(json)")
        // Edited without a new seal: not "only the seal was changed", but the members as they now read.
        try archive.folder.edit("record.json", replacing: "24/12345", with: "24/99999")
        check = try archive.verify()
        #expect(!check.isVerified)
        report = check.report(recordPath: "r").joined(separator: "\n")
        #expect(!report.contains("only the seal was changed"), "\(report)")
        #expect(report.contains("either the seal was changed or a member no rule or input gives"), "\(report)")
        #expect(report.contains("as the record now reads, decision_date 2025-03-14, case_number 24/99999"), "\(report)")
        // A record without them reads as before.
        let plain = try Archive().verify()
        #expect(!plain.report(recordPath: "r").joined().contains("caseworker"))
    }

    @Test("what to do after a finding, by its kind; a rule file changed only outside the decision says so")
    func advice() throws {
        // A comment added to the rule file: nothing the record holds differs but the hashes.
        let commented = try Archive()
        try commented.folder.edit("rsv_2014.rules", replacing: "ruleset rsv_2014", with: "# revideret\nruleset rsv_2014")
        var check = try commented.verify()
        #expect(check.advice == [.rules])
        var report = check.report(recordPath: "r").joined(separator: "\n")
        #expect(
            report.contains("the decision is unchanged: social_economy\n  (nothing the record holds differs but the files' hashes"),
            "\(report)")
        // A threshold changed: what it does is listed, and the note is not given.
        let changed = try Archive()
        try changed.folder.edit("rsv_2014.rules", replacing: "= 35 % from 2015-01-01", with: "= 1 % from 2015-01-01")
        report = try changed.verify().report(recordPath: "r").joined(separator: "\n")
        #expect(report.contains("what the change does to the record:") && !report.contains("nothing the record holds differs"), "\(report)")
        // An edit with a new seal: the record's own, with this engine; another engine's, with another.
        let forged = try Archive()
        let stored = try #require(try DecisionRecord.read(Array(try forged.folder.read("record.json").utf8)).get().first)
        let members = stored.members.map { key, value -> (String, JSONOutput) in
            key == "fiscal_year" ? (key, .number("2023")) : (key, value)
        }
        try forged.folder.write("record.json", DecisionRecord.sealed(members).serialized(pretty: true))
        #expect(try forged.verify().advice == [.recordEdited])
        check = try forged.verify(engineVersion: "9.9.9")
        #expect(check.advice == [.engine])
        // The firm data changed, and an edit without a new seal.
        let input = try Archive()
        try input.folder.edit("kaffekollektivet.json", replacing: "Kaffekollektivet ApS", with: "Kaffekollektivet A/S")
        #expect(try input.verify().advice == [.input])
        let unsealed = try Archive()
        try unsealed.folder.edit("record.json", replacing: "\"fiscal_year\": 2024", with: "\"fiscal_year\": 2023")
        #expect(try unsealed.verify().advice == [.recordEdited])
        #expect(try Archive().verify().advice.isEmpty)
        // Said once, in order, after every record.
        #expect(
            RecordAdvice.lines([.input, .recordEdited]).map { $0.prefix(30) } == [
                "what to do:", "  - the record was changed: ve", "  - the firm data differs: ver",
            ])
        #expect(RecordAdvice.lines([]).isEmpty)
    }

    @Test("a changed parameter is named with both values, though the decision stands")
    func changedParameter() throws {
        let archive = try Archive()
        try archive.folder.edit("rsv_2014.rules", replacing: "= 35 % from 2015-01-01", with: "= 1 % from 2015-01-01")
        let check = try archive.verify()
        guard case .ruleFileChanged? = check.findings.first else {
            Issue.record("expected a changed rule file, found \(check.findings)")
            return
        }
        #expect(check.currentDecision == "social_economy")
        #expect(check.effects.contains { $0.path.hasPrefix("/parameters/") && $0.recorded?.contains("0.35") == true })
        let report = check.report(recordPath: "record.json").joined(separator: "\n")
        #expect(report.contains("the decision is unchanged: social_economy"))
        #expect(report.contains("what the change does to the record:"))
        #expect(report.contains(": recorded 35 %, now 1 %"), "both values are shown: \(report)")
        #expect(report.contains("parameter "), "named: \(report)")
        #expect(!report.contains("/parameters/"), "no pointer in the text: \(report)")
    }

    @Test("a resealed edit that keeps the decision is still named as a probable edit when the engine is the same")
    func resealedExplanation() throws {
        let archive = try Archive()
        let stored = try #require(try DecisionRecord.read(Array(try archive.folder.read("record.json").utf8)).get().first)
        let forged = stored.members.map { key, value -> (String, JSONOutput) in
            key == "fiscal_year" ? (key, .number("2023")) : (key, value)
        }
        try archive.folder.write("record.json", DecisionRecord.sealed(forged).serialized(pretty: true))
        let check = try archive.verify()
        guard case .explanationChanged(let differences)? = check.findings.first else {
            Issue.record("expected a changed explanation, found \(check.findings)")
            return
        }
        #expect(differences.map(\.path) == ["/fiscal_year"])
        #expect(check.report(recordPath: "r").joined().contains("probably edited and its seal recomputed"))
    }

    @Test("a resealed record whose summary names another input or no rule files is not said to have the same input and rules")
    func resealedSources() throws {
        for (member, field, forgedValue) in [
            ("input", "sha256", JSONOutput.string(String(repeating: "0", count: 64))), ("rules", "files", JSONOutput.array([])),
        ] {
            let archive = try Archive()
            let stored = try #require(try DecisionRecord.read(Array(try archive.folder.read("record.json").utf8)).get().first)
            let forged = stored.members.map { key, value -> (String, JSONOutput) in
                guard key == member, case .object(let fields) = value else { return (key, value) }
                return (key, .object(fields.map { $0.0 == field ? ($0.0, forgedValue) : $0 }))
            }
            try archive.folder.write("record.json", DecisionRecord.sealed(forged).serialized(pretty: true))
            let check = try archive.verify()
            #expect(!check.findings.isEmpty)
            let report = check.report(recordPath: "r").joined(separator: "\n")
            #expect(!report.contains("same rule files, same input"), "\(member): \(report)")
            #expect(report.contains("the record's own account of its rules or input differs from its trace"), "\(member): \(report)")
        }
    }

    @Test("a record saved again with a byte-order mark (Notepad) still verifies")
    func byteOrderMark() throws {
        let archive = try Archive()
        let text = try archive.folder.read("record.json")
        try archive.folder.write("record.json", "\u{FEFF}" + text)
        let check = try archive.verify()
        #expect(check.findings.isEmpty, "\(check.findings)")
        #expect(check.failure == nil)
    }

    @Test("a text edited only in its code points (the Kelvin sign for K, a decomposed å) is an edit, shown code point by code point")
    func codePointEdits() throws {
        let archive = try Archive()
        let stored = try #require(try DecisionRecord.read(Array(try archive.folder.read("record.json").utf8)).get().first)
        let kelvin = stored.members.map { key, value -> (String, JSONOutput) in
            key == "firm" ? (key, .object([("name", .string("\u{212A}affekollektivet ApS")), ("cvr", .string("13748136"))])) : (key, value)
        }
        // Resealed: the seal holds, and the re-evaluation tells the name from the one recorded.
        try archive.folder.write("record.json", DecisionRecord.sealed(kelvin).serialized(pretty: true))
        let resealed = try archive.verify()
        #expect(!resealed.isVerified)
        let report = resealed.report(recordPath: "r").joined(separator: "\n")
        #expect(report.contains("firm name: recorded \"\\u{212A}affekollektivet ApS\", now \"Kaffekollektivet ApS\""), "\(report)")
        // Not resealed, the whole record in decomposed form: the edit is named, not the seal alone.
        let original = JSONOutput.object(stored.members + [("record_sha256", .string(stored.claimedSeal ?? ""))])
        try archive.folder.write("record.json", original.serialized(pretty: true).decomposedStringWithCanonicalMapping)
        let decomposed = try archive.verify()
        guard case .recordEdited(_, _, let differences)? = decomposed.findings.first else {
            Issue.record("expected an edited record, found \(decomposed.findings)")
            return
        }
        #expect(!differences.isEmpty)
        #expect(differences.contains { $0.namedLine.contains("\\u{30A}") }, "\(differences.map(\.namedLine))")
        #expect(!decomposed.report(recordPath: "r").joined().contains("only the seal was changed"))
        #expect(!(JSONOutput.string("Å") == JSONOutput.string("A\u{30A}")))
        #expect(JSONOutput.object([("Å", .null)]) != JSONOutput.object([("A\u{30A}", .null)]))
    }

    @Test("an exact value edited under the same display is shown by its exact values")
    func exactUnderTheSameDisplay() throws {
        let archive = try Archive()
        let stored = try #require(try DecisionRecord.read(Array(try archive.folder.read("record.json").utf8)).get().first)
        let forged = stored.members.map { key, value -> (String, JSONOutput) in
            guard key == "parameters", case .array(var parameters) = value, case .object(var first) = parameters[0] else {
                return (key, value)
            }
            first = first.map { member in
                guard member.0 == "value", case .object(let fields) = member.1 else { return member }
                return ("value", .object(fields.map { $0.0 == "exact" ? ($0.0, .string("0.35")) : $0 }))
            }
            parameters[0] = .object(first)
            return (key, .array(parameters))
        }
        try archive.folder.write("record.json", DecisionRecord.sealed(forged).serialized(pretty: true))
        let report = try archive.verify().report(recordPath: "r").joined(separator: "\n")
        #expect(report.contains("parameter commercial_share_min: recorded \"0.35\", now \"0.25\" (both shown as 25 %)"), "\(report)")
    }

    @Test("an input changed in its bytes alone says no value differs; a rule file renamed says so")
    func bytesAloneAndRenamed() throws {
        let archive = try Archive()
        try archive.folder.edit("kaffekollektivet.json", replacing: "\"4200000.00\"", with: "\"4200000.0\"")
        let report = try archive.verify().report(recordPath: "r").joined(separator: "\n")
        #expect(report.contains("input changed: "), "\(report)")
        #expect(report.contains("(no input value the rules read differs: only the file's bytes changed)"), "\(report)")
        try archive.folder.edit("kaffekollektivet.json", replacing: "\"dividend\": \"0.00\"", with: "\"dividend\": \"100000.00\"")
        #expect(!(try archive.verify().report(recordPath: "r").joined().contains("no input value the rules read differs")))
        // The archived rule file under another name, in a folder: missing and added, with the same content.
        let rules = try ScratchFolder()
        try rules.copy("rules/rsv_2014.rules", as: "national.rules")
        let checks = try RecordVerifier.verify(
            recordPath: archive.record, rulesPath: rules.path, inputPaths: [archive.input], engineVersion: SoeVersion.current
        ).get()
        let renamed = try #require(checks.first).report(recordPath: "r").joined(separator: "\n")
        #expect(renamed.contains("which is missing: renamed?"), "\(renamed)")
    }

    @Test("a record made by another engine version that explains differently is named as such")
    func otherEngine() throws {
        let check = try Archive().verify(engineVersion: "9.9.9")
        guard case .explanationChanged(let differences)? = check.findings.first else {
            Issue.record("expected a changed explanation, found \(check.findings)")
            return
        }
        #expect(differences.map(\.path) == ["/engine/version", "/trace/engine/version"])
        #expect(check.report(recordPath: "r").joined().contains("recorded by soe \(SoeVersion.current), re-evaluated by soe 9.9.9"))
    }

    @Test("a rule set built on another names the base file when the base changes")
    func changedBase() throws {
        let folder = try ScratchFolder()
        let base = """
            ruleset base_set "Grundregler"
              in force from 2015-01-01
            input sales: money "Salg"
            parameter floor: money "Bund"
              law "§ 1"
              = 100 kr from 2015-01-01
            criterion enough "Nok salg" cite "§ 1" = sales >= floor
            classify
              passes "Godkendt" when enough
              otherwise fails "Afvist"

            """
        let child = """
            ruleset child_set "Lokale regler"
              builds on base_set
              in force from 2015-01-01
            override parameter floor
              policy "Lokalt valg"
              = 50 kr from 2015-01-01

            """
        let firm = "{\"name\": \"Lille Firma\", \"fiscal_year\": 2024, \"sales\": \"75.00\"}\n"
        let trace = try RecordFixtures.trace(
            rules: [("base_set.rules", Array(base.utf8)), ("child_set.rules", Array(child.utf8))],
            firm: Array(firm.utf8), source: "firm.json")
        #expect(trace.ruleSet.name == "child_set")
        try folder.write("record.json", DecisionRecord.render([trace]))
        try folder.write("base_set.rules", base.replacing("= 100 kr", with: "= 60 kr"))
        try folder.write("child_set.rules", child)
        try folder.write("firm.json", firm)
        let checks = try RecordVerifier.verify(
            recordPath: folder.path + "/record.json", rulesPath: folder.path + "/child_set.rules",
            inputPaths: [folder.path + "/firm.json"]
        ).get()
        let findings = try #require(checks.first).findings
        #expect(findings.count == 1)
        guard case .ruleFileChanged(let recorded, _, _, _)? = findings.first else {
            Issue.record("expected the base file to be named, found \(findings)")
            return
        }
        #expect(recorded == "base_set.rules")
    }

    @Test("with several inputs, each record is checked against the input of its recorded name")
    func severalInputs() throws {
        let folder = try ScratchFolder()
        try folder.copy("rules/rsv_2014.rules")
        try folder.copy("samples/kaffekollektivet.json")
        try folder.write("smedjen.json", try RecordFixtures.undeterminedFirm())
        try folder.write("records.json", DecisionRecord.render([try RecordFixtures.kaffekollektivet(), try RecordFixtures.undetermined()]))
        let checks = try RecordVerifier.verify(
            recordPath: folder.path + "/records.json", rulesPath: folder.path,
            inputPaths: [folder.path + "/smedjen.json", folder.path + "/kaffekollektivet.json"]
        ).get()
        #expect(checks.map(\.isVerified) == [true, true])
        #expect(checks.map(\.currentDecision) == ["social_economy", "undetermined"])
    }
}
