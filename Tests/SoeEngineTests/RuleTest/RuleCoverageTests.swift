import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// Coverage derived from traces: what evaluation did not reach is not covered (an `and` after
/// its first `no`, an `or` after its first `yes`, the `if` branch not taken, the outcomes after
/// the deciding one), and a rule set not in force reaches nothing.
@Suite("rule test coverage")
struct RuleCoverageTests {
    static let rules = """
        ruleset cov "Dækning"
          in force from 2020-01-01
        input a: yes/no
        input b: yes/no
        input c: yes/no
        input x: number
        parameter limit: number
          policy "eksempel"
          = 10 from 2020-01-01 until 2022-12-31
          = 20 from 2023-01-01
        value y "y" = if c then x else 0
        criterion both "both" = a and b
        criterion either "either" = a or b
        criterion big "big" = y > limit
        classify
          first "first" when both
          second "second" when either
          third "third" when not big
          otherwise rest "rest"
        """

    /// Runs tests written as CSV rows against the rule set above.
    static func run(_ rows: [String]) throws -> RuleTestRun {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-coverage-\(getpid())-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ruleSets = loadRules([("cov.rules", rules)]).ruleSets
        try #require(ruleSets.count == 1)
        let csv = folder + "/t.csv"
        try (["fiscal_year,expected:cov,a,b,c,x"] + rows).joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        return RuleTestRunner.run(ruleSets: ruleSets, files: [csv], language: .english)
    }

    static func item(_ run: RuleTestRun, _ kind: CoverageKind, _ what: String) -> CoverageItem? {
        run.coverage.items(0).first { $0.kind == kind && $0.what == what }
    }

    @Test("an and stops at its first no: the operand after it is not covered")
    func andShortCircuit() throws {
        let run = try Self.run(["2024,second,false,true,false,5"])
        #expect(run.failures.isEmpty, "\(run.failures.map(\.lines))")
        // `a` is no in `both = a and b` and in `either = a or b`.
        let a = run.coverage.items(0).filter { $0.kind == .operands && $0.what == "a" }
        #expect(a.map { $0.parts.map(\.hits) } == [[0, 1], [0, 1]])
        // In `a and b`, b after a's no is not evaluated; in `a or b` it is, and is yes.
        let b = run.coverage.items(0).filter { $0.kind == .operands && $0.what == "b" }
        #expect(b.map { $0.parts.map(\.hits) } == [[0, 0], [1, 0]])
    }

    @Test("an or stops at its first yes; outcomes after the deciding one are not tried")
    func orShortCircuit() throws {
        let run = try Self.run(["2024,first,true,true,true,50"])
        #expect(run.failures.isEmpty)
        let decided = run.coverage.items(0).filter { $0.kind == .outcomes }.map { $0.parts[0].hits }
        #expect(decided == [1, 0, 0, 0])
        // `big` belongs to the third outcome, which was not tried: not reached, nor its dated value.
        #expect(Self.item(run, .criteria, "big")?.parts[0].hits == 0)
        #expect(run.coverage.fraction(.datedValues, ruleSet: 0) == (0, 2))
        #expect(run.coverage.fraction(.branches, ruleSet: 0) == (0, 2))
    }

    @Test("an if counts the branch taken; each dated value counts when a decision used it")
    func branchesAndDatedValues() throws {
        let run = try Self.run(["2021,third,false,false,false,5", "2024,rest,false,false,true,50", "2024,first,true,true,,"])
        #expect(run.failures.isEmpty, "\(run.failures.map(\.lines))")
        #expect(run.coverage.fraction(.branches, ruleSet: 0) == (2, 2))
        #expect(run.coverage.fraction(.datedValues, ruleSet: 0) == (2, 2))
        #expect(run.coverage.fraction(.outcomes, ruleSet: 0) == (3, 4))
    }

    @Test("an if with an unknown condition takes no branch")
    func unknownCondition() throws {
        let run = try Self.run(["2024,undetermined,false,false,,5"])
        #expect(run.failures.isEmpty, "\(run.failures.map(\.lines))")
        #expect(run.coverage.fraction(.branches, ruleSet: 0) == (0, 2))
        #expect(Self.item(run, .criteria, "big")?.results?.unknown == 1)
    }

    @Test("a rule set not in force reaches nothing")
    func notInForce() throws {
        let run = try Self.run(["2019,not_in_force,true,true,true,5"])
        #expect(run.failures.isEmpty)
        #expect(run.coverage.counts[0].evaluations == 0)
        #expect(run.coverage.fraction(.outcomes, ruleSet: 0) == (0, 4))
    }

    @Test("a deliberately wrong expectation fails with the criterion and the comparison that decided")
    func wrongExpectation() throws {
        let run = try Self.run(["2024,rest,false,false,false,5"])
        let failure = try #require(run.failures.first)
        #expect(failure.failedChecks == 1)
        #expect(failure.lines.first == "expected rest, got third: criterion big was no: y 0 ≤ limit 20 (policy choice)")
        #expect(failure.lines.contains("  3. third: applies first: not big"))
        #expect(failure.lines.contains("    criterion big was no"))
        #expect(failure.lines.contains("      y 0 ≤ limit 20 (policy choice)"))
    }

    @Test("a wrong expected criterion fails with its formula's deciding operand")
    func wrongCriterion() throws {
        let ruleSets = loadRules([("cov.rules", Self.rules)]).ruleSets
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-coverage-json-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let json = folder + "/firm.json"
        try #"{"_expected": {"cov": "second", "cov.both": true}, "fiscal_year": 2024, "a": true, "b": false, "x": 1}"#
            .write(toFile: json, atomically: true, encoding: .utf8)
        let run = RuleTestRunner.run(ruleSets: ruleSets, files: [json], language: .danish)
        let failure = try #require(run.failures.first)
        #expect(failure.lines.first == "kriterium both: forventet ja, fik nej: b = nej")
        #expect(failure.lines.contains("    b = nej"))
        #expect(run.checks == 2 && run.failedChecks == 1)
    }

    @Test("a firm whose data is refused passes `rejected`, and `rejected: FIELD` only for a reason about that field")
    func rejectedFirm() throws {
        let ruleSets = loadRules([("cov.rules", Self.rules)]).ruleSets
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-coverage-rejected-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var files: [String] = []
        for (name, expected) in [("field", "rejected: a"), ("any", "afvist"), ("other", "rejected: b"), ("outcome", "first")] {
            let path = folder + "/\(name).json"
            try #"{"_expected": {"cov": "\#(expected)"}, "fiscal_year": 2024, "a": "maybe", "b": true}"#
                .write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        let run = RuleTestRunner.run(ruleSets: ruleSets, files: files, language: .english)
        #expect(run.checks == 4)
        #expect(run.failures.map { $0.label.hasSuffix("other.json") || $0.label.hasSuffix("outcome.json") } == [true, true])
        let other = try #require(run.failures.first { $0.label.hasSuffix("other.json") })
        #expect(other.lines.contains("  none of the reasons is about b"))
        let outcome = try #require(run.failures.first { $0.label.hasSuffix("outcome.json") })
        #expect(outcome.lines.first == "expected first, got rejected")
        #expect(outcome.lines.contains { $0.hasPrefix("  rejected: a: ") })
        #expect(run.coverage.counts[0].evaluations == 0, "a refused firm reaches nothing")
    }

    @Test("expected results and truths are read in English and Danish")
    func expectationWords() throws {
        #expect(ExpectedResult.parse("uafgjort") == .undetermined)
        #expect(ExpectedResult.parse(" Not_In_Force ") == .notInForce)
        #expect(ExpectedResult.parse("afvist: cvr") == .rejected(field: "cvr"))
        #expect(ExpectedResult.parse("rejected") == .rejected(field: nil))
        #expect(ExpectedResult.parse("") == nil)
        #expect(ExpectedResult.parse("social_economy") == .outcome("social_economy"))
        #expect(try ExpectedTruth.parse("Ja").get() == .yes)
        #expect(try ExpectedTruth.parse("ukendt").get() == .unknown)
        #expect(try ExpectedTruth.parse("").get() == nil)
        #expect((try? ExpectedTruth.parse("måske").get()) == nil)
    }
}
