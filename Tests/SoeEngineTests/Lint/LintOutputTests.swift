import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The output of `soe lint` for a file with many findings, in every format, as golden files
/// (re-record with SOE_RECORD=1), and the structure SARIF consumers rely on.
@Suite("lint: output formats")
struct LintOutputTests {
    static let fixture = "Tests/SoeEngineTests/Golden/lint/findings.rules"

    @Test(
        "every format matches its golden file and exits 1",
        arguments: [
            ("human", "findings.human.txt"), ("short", "findings.short.txt"), ("json", "findings.json"), ("sarif", "findings.sarif"),
        ])
    func golden(_ format: String, _ golden: String) throws {
        let result = try runSoe(["lint", "--format", format, LintOutputTests.fixture])
        #expect(result.exitCode == 1)
        #expect(result.stderr.isEmpty)
        expectGolden(result.stdout, "lint/" + golden)
    }

    @Test("the SARIF log has what SARIF 2.1.0 requires and what viewers use")
    func sarifStructure() throws {
        let result = try runSoe(["lint", "--format", "sarif", LintOutputTests.fixture])
        let root = try #require(try? JSONReader.parse(Array(result.stdout.utf8)).get())
        #expect(root["version"]?.string == "2.1.0")
        #expect(root["$schema"]?.string?.hasPrefix("https://") == true)
        let runs = try #require(root["runs"]?.array)
        #expect(runs.count == 1)
        let run = runs[0]
        let driver = try #require(run["tool"]?["driver"])
        #expect(driver["name"]?.string == "soe")
        #expect(driver["version"]?.string == SoeVersion.current)
        let rules = try #require(driver["rules"]?.array)
        #expect(rules.count == LintRegistry.checks.count + DiagnosticCode.allCases.count)
        for rule in rules {
            for key in ["id", "name"] { #expect(rule[key]?.string != nil, "rule without \(key)") }
            for key in ["shortDescription", "fullDescription", "help"] {
                #expect(rule[key]?["text"]?.string?.isEmpty == false, "rule \(rule["id"]?.string ?? "?") without \(key).text")
            }
            #expect(["error", "warning", "note"].contains(rule["defaultConfiguration"]?["level"]?.string ?? ""))
        }
        let ids = rules.compactMap { $0["id"]?.string }
        let results = try #require(run["results"]?.array)
        #expect(results.count == 14, "13 findings and 1 suppressed")
        for item in results {
            let ruleID = try #require(item["ruleId"]?.string)
            let ruleIndex = try #require(item["ruleIndex"]?.number.flatMap { Int($0) })
            #expect(ids[ruleIndex] == ruleID)
            #expect(["error", "warning", "note"].contains(item["level"]?.string ?? ""))
            #expect(item["message"]?["text"]?.string?.isEmpty == false)
            let location = try #require(item["locations"]?.array?.first?["physicalLocation"])
            #expect(location["artifactLocation"]?["uri"]?.string == LintOutputTests.fixture)
            let region = try #require(location["region"])
            for key in ["startLine", "startColumn", "endLine", "endColumn"] {
                #expect((region[key]?.number.flatMap { Int($0) } ?? 0) >= 1, "\(ruleID): region.\(key)")
            }
        }
        let suppressed = results.filter { $0["suppressions"] != nil }
        #expect(suppressed.count == 1)
        #expect(suppressed.first?["suppressions"]?.array?.first?["justification"]?.string == "kept until the 2025 revision")
        let fixed = try #require(results.first { $0["fixes"] != nil })
        let replacement = try #require(fixed["fixes"]?.array?.first?["artifactChanges"]?.array?.first?["replacements"]?.array?.first)
        #expect(replacement["deletedRegion"]?["startLine"]?.number == "36")
        #expect(replacement["insertedContent"]?["text"]?.string == "")
    }

    @Test("SARIF artifact URIs are URI references")
    func sarifURIs() {
        #expect(SARIFRenderer.uri("rules/rsv_2014.rules") == "rules/rsv_2014.rules")
        #expect(SARIFRenderer.uri("/sager/regler for Århus.rules") == "file:///sager/regler%20for%20%C3%85rhus.rules")
    }

    @Test("the JSON report counts what it shows")
    func jsonSummary() throws {
        let report = try Linter.lint(paths: [TestPaths.root + "/" + LintOutputTests.fixture]).get()
        let json = LintRenderer.json(report)
        guard case .object(let fields) = json else {
            Issue.record("not an object")
            return
        }
        #expect(fields.map(\.0) == ["schema", "engine", "rule_sets", "files", "findings", "suppressed", "summary"])
        #expect(report.summary == "13 findings (1 error, 11 warnings, 1 note), 1 suppressed")
    }
}

extension JSONNode {
    /// A member of an object by key.
    subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }
    var string: String? { if case .string(let text) = value { text } else { nil } }
    var number: String? { if case .number(let text) = value { text } else { nil } }
    var array: [JSONNode]? { if case .array(let items) = value { items } else { nil } }
}
