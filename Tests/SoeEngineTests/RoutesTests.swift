import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Several routes to one outcome: an outcome name written again in `classify`, each rule with its
/// own condition and reason, in priority order; and the outcome names that are statuses.
@Suite("routes: several rules to one outcome")
struct RoutesTests {
    static let folder = "Tests/SoeEngineTests/Fixtures/routes"
    static let rules = folder + "/routes.rules"

    /// A rule file with the given classify section, under a header and two inputs.
    static func ruleFile(_ classify: String) -> String {
        """
        ruleset r "Regler"
          in force from 2020-01-01

        input a: yes/no "A"
        input b: yes/no "B"

        classify
        \(classify)
        """
    }

    static func routesRuleSet() throws -> RuleSet {
        let bytes = try #require(FileManager.default.contents(atPath: TestPaths.root + "/" + rules))
        let loaded = RuleLoader.load([SourceFile(path: rules, bytes: Array(bytes))])
        return try #require(loaded.ruleSets.first, "\(loaded.diagnostics.map(\.message))")
    }

    // MARK: Checker

    @Test("a name written twice is two rules of one outcome, in order; the label and tone are the first rule's")
    func routesChecked() throws {
        let ruleSet = try Self.routesRuleSet()
        #expect(ruleSet.outcomes.map(\.name) == ["anden_aktoer", "anden_aktoer", "social_economy"])
        #expect(ruleSet.outcomes.map(\.route) == [1, 2, 1])
        #expect(ruleSet.outcomes.map(\.routes) == [2, 2, 1])
        #expect(ruleSet.outcomes[1].label?.danish == "Anden aktør")
        #expect(ruleSet.outcomes[1].tone == .unfavourable)
        #expect(ruleSet.outcomes[0].reason?.danish != ruleSet.outcomes[1].reason?.danish)
        #expect(ruleSet.outcomeNames == ["anden_aktoer", "social_economy"])
        #expect(ruleSet.outcomeNameIndices == [0, 0, 1])
    }

    @Test("the label repeated exactly, and 'otherwise' as the last rule of an outcome, are accepted")
    func sameLabelAndFallbackRoute() {
        let (ruleSet, diagnostics) = checkRules(
            Self.ruleFile(
                """
                  x "X" when a
                    reason "a"
                  y "Y" when b
                    reason "b"
                  otherwise x "X"
                    reason "ingen af dem"
                """))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.message))")
        #expect(ruleSet?.outcomes.map(\.route) == [1, 1, 2])
        #expect(ruleSet?.outcomeNames == ["x", "y"])
    }

    @Test("another label on a later rule is E214, which says how to write several rules, with a fix that removes it")
    func differentLabel() {
        let (ruleSet, diagnostics) = checkRules(
            Self.ruleFile(
                """
                  x "X" when a
                    reason "a"
                  x "Noget andet" when b
                    reason "b"
                  otherwise y "Y"
                """))
        #expect(ruleSet == nil)
        let error = diagnostics.first { $0.code == "E214" }
        #expect(error?.message.contains("one outcome has one label") == true, "\(diagnostics.map(\.message))")
        #expect(error?.message.contains("\"X\"") == true)
        #expect(error?.danish?.contains("ét udfald har én betegnelse") == true)
        #expect(error?.fixIts.first?.replacement == "")
        #expect(error?.notes.first?.message == "the first rule for 'x'")
    }

    @Test("another tone on a later rule is E214")
    func differentTone() {
        let (_, diagnostics) = checkRules(
            Self.ruleFile(
                """
                  x "X" when a
                    reason "a"
                    tone favourable
                  x when b
                    reason "b"
                    tone unfavourable
                  otherwise y "Y"
                """))
        #expect(diagnostics.map(\.code) == ["E214"])
        #expect(diagnostics.first?.message.contains("another tone") == true)
    }

    @Test("each of several rules needs its own reason (E219); one rule alone does not")
    func routeWithoutReason() {
        let (_, diagnostics) = checkRules(
            Self.ruleFile(
                """
                  x "X" when a
                    reason "a"
                  x when b
                  otherwise y "Y"
                """))
        #expect(diagnostics.map(\.code) == ["E219"])
        #expect(diagnostics.first?.message.contains("the 2nd rule") == true)
        #expect(diagnostics.first?.danish?.contains("den 2. regel") == true)
        #expect(diagnostics.first.map { $0.span?.start.line } == 10)
    }

    @Test("two 'otherwise' are still E214")
    func twoFallbacks() {
        let (_, diagnostics) = checkRules(
            Self.ruleFile(
                """
                  x "X" when a
                  otherwise y "Y"
                  otherwise y "Y"
                """))
        #expect(diagnostics.contains { $0.code == "E214" && $0.message == "a classification has one 'otherwise'" })
    }

    @Test("an outcome named as a status is E218, with a new name as the fix", arguments: ["undetermined", "not_in_force", "rejected"])
    func reservedOutcomeName(_ name: String) {
        let (ruleSet, diagnostics) = checkRules(
            Self.ruleFile(
                """
                  \(name) "X" when a
                  otherwise y "Y"
                """))
        #expect(ruleSet == nil)
        #expect(diagnostics.map(\.code) == ["E218"])
        let error = diagnostics.first
        #expect(error?.message.contains("choose another name, e.g. '\(name)_outcome'") == true)
        #expect(error?.danish?.contains("vælg et andet navn") == true)
        #expect(error?.fixIts.first?.replacement == "\(name)_outcome")
        // The fallback is refused too.
        let fallback = checkRules(Self.ruleFile("  x \"X\" when a\n  otherwise \(name) \"Y\"")).1
        #expect(fallback.map(\.code) == ["E218"])
    }

    @Test("a rule set that builds on another may override its classification with routes")
    func overrideWithRoutes() {
        let base = """
            ruleset base "Grund"
              in force from 2020-01-01

            input a: yes/no "A"
            input b: yes/no "B"

            classify
              x "X" when a
              otherwise y "Y"
            """
        let local = """
            ruleset local "Lokal" builds on base

            override classify
              x "X" when a
                reason "a"
              x when b
                reason "b"
              otherwise y "Y"
            """
        let result = loadRules([("base.rules", base), ("local.rules", local)])
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics.map(\.message))")
        let ruleSet = result.ruleSets.first { $0.name == "local" }
        #expect(ruleSet?.outcomes.map(\.route) == [1, 2, 1])
        guard let ruleSet, let day = Day(year: 2024, month: 12, day: 31) else { return }
        var evaluator = Evaluator(ruleSet: ruleSet)
        #expect(evaluator.evaluate(inputs: [.bool(false), .bool(true)], on: day).outcome == 1)
    }

    // MARK: Evaluation and traces

    @Test("the right rule decides: the first that applies, in order; undetermined lists the outcome once")
    func rightRuleDecides() throws {
        let ruleSet = try Self.routesRuleSet()
        let day = try #require(Day(year: 2024, month: 12, day: 31))
        var evaluator = Evaluator(ruleSet: ruleSet)
        func firm(_ share: Int?, _ placements: Int?, _ jobs: Int?) -> [Scalar?] {
            [
                share.map { .number(Exact(numerator: Int128($0), denominator: 100) ?? .zero) },
                placements.map { .number(Exact(integer: Int128($0))) }, jobs.map { .number(Exact(integer: Int128($0))) },
            ]
        }
        #expect(evaluator.evaluate(inputs: firm(60, 9, 1), on: day).outcome == 0)
        #expect(evaluator.evaluate(inputs: firm(20, 9, 1), on: day).outcome == 1)
        #expect(evaluator.evaluate(inputs: firm(20, 1, 9), on: day).outcome == 2)
        let open = evaluator.evaluate(inputs: firm(nil, nil, 1), on: day)
        #expect(open.possibleOutcomes == [0, 1, 2])
        #expect(Set(open.distinctPossibleOutcomes(in: ruleSet)) == [0, 2])
    }

    @Test("the explanation names the rule that decided: text in both languages and JSON, as in the golden files")
    func traceNamesTheRule() throws {
        let firm = Self.folder + "/placements.json"
        let text = try runSoe(["evaluate", "--lang", "en", "--rules", Self.rules, firm])
        #expect(text.exitCode == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Reason: decided by the 2nd rule for anden_aktoer (line 22): More people in placements"))
        expectGolden(text.stdout, "routes/placements.txt")
        let danish = try runSoe(["evaluate", "--lang", "da", "--rules", Self.rules, firm])
        #expect(danish.stdout.contains("Begrundelse: afgjort af 2. regel for anden_aktoer (linje 22): Flere i praktik"))
        let json = try runSoe(["evaluate", "--format", "json", "--rules", Self.rules, firm])
        #expect(json.exitCode == 0)
        #expect(json.stdout.contains("\"route\": 2,\n    \"routes\": 2,\n    \"rule_at\": \"\(Self.rules):22:3\""))
        expectGolden(
            json.stdout.replacingOccurrences(of: SoeVersion.current, with: "VERSION"), "routes/placements.json")
    }

    @Test("the HTML dossier names the rule that decided, and each rule of the outcome")
    func htmlNamesTheRule() throws {
        let html = try runSoe(["evaluate", "--lang", "da", "--format", "html", "--rules", Self.rules, Self.folder + "/placements.json"])
        #expect(html.exitCode == 0, "\(html.stderr)")
        #expect(html.stdout.contains("afgjort af 2. regel for anden_aktoer (linje 22): Flere i praktik end i lønnede job"))
        #expect(html.stdout.contains("(regel 1/2)") && html.stdout.contains("(regel 2/2)"))
    }

    @Test("with data missing and every possible rule leading to one outcome, the bounds say it is decided; the result stays undetermined")
    func boundsByName() throws {
        let firm = NSTemporaryDirectory() + "soe-routes-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: firm) }
        try #"{"name": "Uvis ApS", "cvr": "14460845", "fiscal_year": 2023, "placements": 9, "paid_jobs": 3}"#
            .write(toFile: firm, atomically: true, encoding: .utf8)
        let text = try runSoe(["evaluate", "--lang", "en", "--rules", Self.rules, firm])
        #expect(text.stdout.contains("Result: Undetermined"))
        #expect(text.stdout.contains("whatever the missing values are, the result is Other actor"))
        #expect(!text.stdout.contains("With this data the result could be"))
    }

    @Test("a record of a decision by the 2nd rule verifies")
    func recordVerifies() throws {
        let firm = Self.folder + "/placements.json"
        let record = try runSoe(["evaluate", "--format", "record", "--rules", Self.rules, firm])
        #expect(record.exitCode == 0)
        let path = NSTemporaryDirectory() + "soe-routes-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try record.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let verified = try runSoe(["verify", path, "--rules", Self.rules, firm])
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("decision: anden_aktoer"))
    }

    @Test("the trace stream of a rule set with routes expands to the same documents")
    func traceStream() throws {
        let ruleSet = try Self.routesRuleSet()
        let stream = TraceStreamWriter(ruleSet: ruleSet, engineVersion: TraceStreamTests.engineVersion)
        #expect(String(decoding: stream.headerLine, as: UTF8.self).contains("\"at\":\"\(Self.rules):22:3\""))
        var documents = 0
        for (share, placements) in [("60", "1"), ("20", "9"), ("20", "0"), ("null", "9"), ("20", "null")] {
            let json = #"{"name": "F", "fiscal_year": 2024, "municipal_share": \#(share), "placements": \#(placements), "paid_jobs": 3}"#
            let firm = try FirmReader.readJSON(Array(json.utf8), source: "f.json", knownInputs: Set(ruleSet.inputs.map(\.name))).get()
            if TraceStreamTests.compare(ruleSet, stream, firm: firm) != nil { documents += 1 }
        }
        #expect(documents == 5)
    }

    @Test("a batch counts by outcome name, whichever rule decided, and lists a possible outcome once")
    func batchCountsByName() throws {
        let csv = NSTemporaryDirectory() + "soe-routes-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        try """
        name,cvr,fiscal_year,municipal_share,placements,paid_jobs
        A,14460845,2023,60,1,1
        B,14460845,2022,10,5,1
        C,14460845,2021,10,,1
        D,14460845,2020,10,0,1

        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let result = try runSoe(["evaluate", "--rules", Self.rules, "--layout", "long", csv])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.contains("routes: anden_aktoer 2, social_economy 1, undetermined 1, rejected 0 (= 4 rows)"))
        #expect(result.stdout.contains(",undetermined,,,,placements,anden_aktoer social_economy,"))
        #expect(result.stdout.split(separator: "\n").count == 5)
    }

    // MARK: Lint

    @Test("a rule that never decides is a warning while its outcome has another; an error when none of its rules can")
    func lintPerRoute() {
        let shadowed = Linter.lint(
            sources: [
                SourceFile(
                    path: "r.rules",
                    text: Self.ruleFile(
                        """
                          x "X" when a
                            reason "a"
                          x when a and b
                            reason "a og b"
                          otherwise y "Y"
                        """))
            ])
        let route = shadowed.findings.filter { $0.code == "L101" }
        #expect(route.map(\.severity) == [.warning])
        #expect(route.first?.message.hasPrefix("the 2nd rule for 'x' never decides: the 1st rule for 'x' applies first") == true)
        #expect(route.first?.danish?.contains("2. regel for 'x' bliver aldrig afgørende") == true)

        let unreachable = Linter.lint(
            sources: [
                SourceFile(
                    path: "r.rules",
                    text: Self.ruleFile(
                        """
                          y "Y" when a or b
                            reason "a eller b"
                          x "X" when a
                            reason "a"
                          x when b
                            reason "b"
                          otherwise z "Z"
                        """))
            ])
        let errors = unreachable.findings.filter { $0.code == "L101" }
        #expect(errors.map(\.severity) == [.error, .error])
        #expect(errors.first?.message.hasPrefix("the outcome 'x' can never be the result: none of its 2 rules ever decides") == true)

        // Both rules can decide: no finding.
        let clean = Linter.lint(sources: [
            SourceFile(
                path: "r.rules",
                text: Self.ruleFile("  x \"X\" when a\n    reason \"a\"\n  x when b\n    reason \"b\"\n  otherwise y \"Y\""))
        ])
        #expect(!clean.findings.contains { $0.code == "L101" })
    }

    @Test("the routes fixture checks and lints clean")
    func fixtureIsClean() throws {
        let result = try runSoe(["lint", Self.rules])
        #expect(result.exitCode == 0, "\(result.stdout)")
    }
}
