import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The checker: names, types and units, duplicates, cycles, and rule sets that build on each other.
@Suite("checker")
struct CheckerTests {
    /// A rule file with a few inputs of each unit, the body under test, and a classification when
    /// the body has none.
    static func rules(_ body: String) -> String {
        var text = """
            ruleset t "Test"
              in force from 2015-01-01

            input sales: money
            input profit: money
            input share: percent
            input staff: count
            input form: one of aps, as, forening
            input active: yes/no

            """
        text += body + "\n"
        if !body.contains("classify") {
            text += "classify\n  otherwise ordinary \"Ordinær\"\n"
        }
        return text
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var note: String
        var body: String
        var codes: [String]
        /// A piece of the first diagnostic's message.
        var message: String
        /// The first diagnostic's fix-it replacement, if it must have one.
        var fix: String? = nil
        /// The source text the first diagnostic points at.
        var at: String? = nil
        var testDescription: String { note }
    }

    static let cases: [Case] = [
        Case(
            note: "an unknown name suggests the nearest one, with a fix-it", body: "value v = sale + profit",
            codes: ["E201"], message: "'sale' is not defined; did you mean 'sales'?", fix: "sales", at: "sale"),
        Case(
            note: "an unknown name far from every other has no suggestion", body: "value v = turnover + profit",
            codes: ["E201"], message: "'turnover' is not defined", at: "turnover"),
        Case(
            note: "a name defined twice", body: "input sales: money",
            codes: ["E202"], message: "'sales' is defined twice", at: "sales"),
        Case(
            note: "money plus a percent", body: "value v = sales + share",
            codes: ["E204"], message: "cannot compute money plus percent", at: "+"),
        Case(
            note: "money times money", body: "value v = sales * profit",
            codes: ["E204"], message: "cannot compute money times money", at: "*"),
        Case(
            note: "a percent minus a count", body: "value v = share - staff",
            codes: ["E204"], message: "cannot compute percent minus count", at: "-"),
        Case(
            note: "a percent compared with a bare number", body: "criterion c \"c\" = share >= 50",
            codes: ["E205"], message: "'50' is a bare number compared with a percent; write '50 %'", fix: "50 %", at: "50"),
        Case(
            note: "a bare number compared with a percent, on the left", body: "criterion c \"c\" = 50 <= share",
            codes: ["E205"], message: "write '50 %'", fix: "50 %", at: "50"),
        Case(
            note: "money compared with a bare number", body: "criterion c \"c\" = profit > 0",
            codes: ["E206"], message: "'0' is a bare number used with an amount; write '0 kr'", fix: "0 kr", at: "0"),
        Case(
            note: "money plus a bare number", body: "value v = sales + 1000",
            codes: ["E206"], message: "write '1000 kr'", fix: "1000 kr", at: "1000"),
        Case(
            note: "a percent bound written as a bare number", body: "input ownership: percent max 100",
            codes: ["E205"], message: "'100' is a bare number where a percent is expected", fix: "100 %", at: "100"),
        Case(
            note: "a money parameter given as a bare number", body: "parameter floor: money policy \"p\" = 500",
            codes: ["E206"], message: "write '500 kr'", fix: "500 kr", at: "500"),
        Case(
            note: "money compared with a percent", body: "criterion c \"c\" = sales > share",
            codes: ["E204"], message: "cannot compare money with percent", at: "sales > share"),
        Case(
            note: "'is' on money", body: "criterion c \"c\" = sales is aps",
            codes: ["E203"], message: "'is' compares a choice (one of …), but this is money", at: "sales"),
        Case(
            note: "'is' on yes/no suggests '= yes'", body: "criterion c \"c\" = active is yes",
            codes: ["E203"], message: "for yes/no write '= yes' or '= no'", at: "active"),
        Case(
            note: "a choice that is not declared, with a suggestion", body: "criterion c \"c\" = form is apz",
            codes: ["E209"], message: "'apz' is not one of the choices (aps, as, forening); did you mean 'aps'?", fix: "aps", at: "apz"),
        Case(
            note: "a choice compared with '='", body: "criterion c \"c\" = form = form",
            codes: ["E203"], message: "compare a choice with 'is'", at: "form = form"),
        Case(
            note: "a criterion whose formula is money", body: "criterion c \"c\" = sales + profit",
            codes: ["E208"], message: "the condition of criterion 'c' is money, not yes/no", at: "sales + profit"),
        Case(
            note: "'and' between amounts", body: "criterion c \"c\" = active and sales",
            codes: ["E208"], message: "'and' joins yes/no conditions; this is money", at: "sales"),
        Case(
            note: "an outcome condition that is not yes/no",
            body: "classify\n  big \"Stor\" when sales\n  otherwise ordinary \"Ordinær\"",
            codes: ["E208"], message: "the condition of outcome 'big' is money, not yes/no", at: "sales"),
        Case(
            note: "two values that use each other", body: "value a = b + 1 kr\nvalue b = a + 1 kr",
            codes: ["E207"], message: "'a' depends on itself: a → b → a", at: "a"),
        Case(
            note: "a value that uses itself", body: "value a = a + 1 kr",
            codes: ["E207"], message: "'a' depends on itself: a → a", at: "a"),
        Case(
            note: "criteria that use each other", body: "criterion p \"p\" = q and active\ncriterion q \"q\" = p",
            codes: ["E207"], message: "'p' depends on itself: p → q → p", at: "p"),
        Case(
            note: "a cycle through a value and a criterion",
            body: "value v = if big then 1 kr else 0 kr\ncriterion big \"b\" = v > 0 kr",
            codes: ["E207"], message: "'v' depends on itself: v → big → v", at: "v"),
        Case(
            note: "a parameter without a value", body: "parameter cap: percent policy \"p\"",
            codes: ["E211"], message: "the parameter 'cap' has no value", at: "cap"),
        Case(
            note: "a parameter whose value is a formula", body: "parameter cap: percent policy \"p\" = 10 % + 5 %",
            codes: ["E212"], message: "not a formula", at: "10 % + 5 %"),
        Case(
            note: "an input whose minimum is above its maximum", body: "input n: count min 10 max 5",
            codes: ["E213"], message: "the minimum of 'n' is above its maximum"),
        Case(
            note: "a choice listed twice", body: "input kind: one of a, b, a",
            codes: ["E215"], message: "'a' is listed twice"),
        Case(
            note: "an outcome listed twice without reasons: two rules to one outcome, each needs its own reason",
            body: "classify\n  big \"Stor\" when active\n  big \"Stor\" when not active\n  otherwise ordinary \"Ordinær\"",
            codes: ["E219", "E219"], message: "the outcome 'big' is reached by 2 rules, and this one (the 1st rule) has no reason"),
        Case(
            note: "an outcome after otherwise",
            body: "classify\n  otherwise ordinary \"Ordinær\"\n  big \"Stor\" when active",
            codes: ["E107"], message: "outcomes after 'otherwise' can never apply"),
        Case(
            note: "override in a rule set that builds on nothing", body: "override input extra: money",
            codes: ["E303"], message: "'override' of 'extra', but this rule set does not build on another", at: "extra"),
        Case(
            note: "no classification at all (the comment names 'classify', so none is added)",
            body: "# nothing to classify with", codes: ["E111"],
            message: "the rule set has no 'classify' section"),
    ]

    @Test("each mistake gives its code, message, place and fix", arguments: cases)
    func mistakes(_ testCase: Case) throws {
        let (ruleSet, diagnostics) = checkRules(Self.rules(testCase.body))
        #expect(ruleSet == nil)
        #expect(diagnostics.map(\.code) == testCase.codes, "\(diagnostics.map(DiagnosticRenderer.oneLine))")
        let first = try #require(diagnostics.first)
        #expect(first.message.contains(testCase.message), "\(first.message)")
        if let fix = testCase.fix {
            #expect(first.fixIts.map(\.replacement) == [fix])
            // The fix-it replaces exactly what the diagnostic points at.
            #expect(first.fixIts.first?.range == first.span?.range)
        }
        if let at = testCase.at, let span = first.span {
            #expect(span.file.text(span.range) == at)
        }
    }

    @Test("a clean rule set checks without diagnostics and resolves every name")
    func cleanRuleSet() throws {
        let (ruleSet, diagnostics) = checkRules(
            Self.rules(
                """
                parameter cap: percent policy "p" = 35 % from 2015-01-01
                value limit = max(0 kr, cap * profit)
                value sales_share = if sales = 0 kr then 0 % else profit / sales
                criterion limited "Begrænset" = profit <= limit and sales_share >= 10 %
                """))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(DiagnosticRenderer.oneLine))")
        let model = try #require(ruleSet)
        #expect(model.inputs.map(\.name) == ["sales", "profit", "share", "staff", "form", "active"])
        #expect(model.inputs.map(\.type) == [.money, .money, .percent, .count, .choice(0), .bool])
        #expect(model.values.map(\.type) == [.money, .percent])
        #expect(model.choiceSets == [["aps", "as", "forening"]])
        #expect(model.outcomes.map(\.name) == ["ordinary"])
        // Values come before the criterion that uses them.
        #expect(model.evaluationOrder == [.value(0), .value(1), .criterion(0)])
    }

    @Test("a duplicate definition carries a note pointing at the first one")
    func duplicateNote() throws {
        let (_, diagnostics) = checkRules(Self.rules("value total = sales + profit\nvalue total = sales"))
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.code == "E202")
        #expect(diagnostic.span?.start == SourceLocation(line: 11, column: 7))
        #expect(diagnostic.notes.map(\.message) == ["'total' is first defined here"])
        #expect(diagnostic.notes.first?.span?.start == SourceLocation(line: 10, column: 7))
    }

    @Test("a cycle names every member in a note")
    func cycleNotes() throws {
        let (_, diagnostics) = checkRules(Self.rules("value a = b + 1 kr\nvalue b = c + 1 kr\nvalue c = a + 1 kr"))
        #expect(diagnostics.map(\.code) == ["E207"])
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.message == "'a' depends on itself: a → b → c → a")
        #expect(diagnostic.notes.map(\.message) == ["'b' is part of the cycle", "'c' is part of the cycle"])
    }

    @Test("one mistake gives one message, not a cascade through what uses it")
    func noCascade() {
        let (_, diagnostics) = checkRules(
            Self.rules(
                """
                value v = sale + profit
                value w = v * 2
                criterion c "c" = w > 0 kr and v < 10 kr
                """))
        #expect(diagnostics.map(\.code) == ["E201"])
    }

    // MARK: Building on another rule set

    static let base = """
        ruleset base "Grundregler"
          in force from 2015-01-01
        input sales: money
        input profit: money
        parameter cap: percent policy "p" = 25 % from 2015-01-01
        value limit = cap * profit
        criterion limited "Begrænset" = sales <= limit
        classify
          small "Lille" when limited
          otherwise ordinary "Ordinær"
        """

    static func child(_ body: String) -> String {
        "ruleset child \"Lokale regler\" builds on base\n  in force from 2021-01-01\n" + body + "\n"
    }

    struct InheritanceCase: Sendable, CustomTestStringConvertible {
        var note: String
        var body: String
        var code: String
        var message: String
        var testDescription: String { note }
    }

    static let inheritanceCases: [InheritanceCase] = [
        InheritanceCase(
            note: "override of a name the base does not define", body: "override parameter nope = 5 %",
            code: "E303", message: "'override' of 'nope', but no rule set it builds on defines it"),
        InheritanceCase(
            note: "redefinition without override",
            body: "parameter cap: percent policy \"q\" = 50 % from 2021-01-01",
            code: "E304",
            message: "'cap' is already defined by the rule set this one builds on; write 'override parameter cap' to change it"),
        InheritanceCase(
            note: "an override that changes a value into a criterion",
            body: "override criterion limit \"Grænse\" = sales > 0 kr",
            code: "E305", message: "'limit' is a value in the base rule set and cannot be overridden as a criterion"),
        InheritanceCase(
            note: "a second classify without override",
            body: "classify\n  otherwise other \"Andet\"",
            code: "E304", message: "write 'override classify' to replace its outcomes"),
    ]

    @Test("builds on: each mistake in an override", arguments: inheritanceCases)
    func inheritance(_ testCase: InheritanceCase) throws {
        let result = loadRules([("base.rules", Self.base), ("child.rules", Self.child(testCase.body))])
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code) == [testCase.code], "\(errors.map(DiagnosticRenderer.oneLine))")
        let first = try #require(errors.first)
        #expect(first.message.contains(testCase.message), "\(first.message)")
        #expect(first.span?.file.path == "child.rules")
        // The base rule set itself is still sound.
        #expect(result.ruleSets.map(\.name) == ["base"])
    }

    @Test("builds on: an override keeps the rest of the base and records where each file came from")
    func overrideMerges() throws {
        let result = loadRules([
            ("base.rules", Self.base),
            ("child.rules", Self.child("override parameter cap = 50 % from 2021-01-01")),
        ])
        #expect(result.diagnostics.isEmpty)
        let child = try #require(result.ruleSets.first { $0.name == "child" })
        #expect(child.ancestry == ["base"])
        #expect(child.files.map(\.path) == ["base.rules", "child.rules"])
        #expect(child.parameters.map(\.name) == ["cap"])
        // The override's type and basis come from the base; its value from the child.
        #expect(child.parameters.first?.type == .percent)
        #expect(child.parameters.first?.basis == .policy)
        #expect(child.parameters.first?.values.map(\.value) == [.number(Exact(numerator: 1, denominator: 2) ?? .zero)])
        #expect(child.outcomes.map(\.name) == ["small", "ordinary"])
    }

    @Test("builds on: a parent that cannot be found")
    func missingParent() throws {
        let result = loadRules([("/nonexistent-soe-folder/child.rules", Self.child(""))])
        #expect(result.ruleSets.isEmpty)
        #expect(result.diagnostics.map(\.code) == ["E301"])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.message == "cannot find the rule set 'base': expected the file /nonexistent-soe-folder/base.rules")
        #expect(diagnostic.span.map { $0.file.text($0.range) } == "base")
    }

    @Test("builds on: a bundled rule set's name misspelt, or written with Danish letters, gets the name meant")
    func parentMisspelt() throws {
        let folder = try scratchFolder("soe-e301")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (written, meant) in [("anden_aktør", "anden_aktoer"), ("Anden_aktoer", "anden_aktoer"), ("rsv_2041", "rsv_2014")] {
            let text = "ruleset vejle \"Vejle\"\n  builds on \(written)\n  in force from 2026-01-01\n"
            try text.write(toFile: folder + "/vejle.rules", atomically: true, encoding: .utf8)
            let run = try runSoe(["check", "--format", "short", folder + "/vejle.rules"])
            #expect(run.exitCode == 3)
            #expect(run.stdout.contains("cannot find the rule set '\(written)'"), "\(run.stdout)")
            #expect(run.stdout.contains("did you mean '\(meant)'?"), "\(run.stdout)")
        }
    }

    @Test("override: a name of the base's misspelt gets the name of the same kind it is closest to")
    func overrideMisspelt() throws {
        let text =
            "ruleset vejle \"Vejle\"\n  builds on anden_aktoer\n  in force from 2026-01-01\noverride parameter employment_service_share_max\n  = 40 % from 2026-01-01\n"
        let result = RuleLoader.load([SourceFile(path: "vejle.rules", text: text)], library: .bundledOnly)
        let messages = result.diagnostics.filter { $0.code == "E303" }.map(\.message)
        #expect(
            messages == [
                "'override' of 'employment_service_share_max', but no rule set it builds on defines it; did you mean 'employment_services_share_max'?"
            ], "\(result.diagnostics.map(\.message))")
    }

    @Test("builds on: three rule sets in a circle")
    func parentCycle() throws {
        func file(_ name: String, _ parent: String) -> (String, String) {
            ("\(name).rules", "ruleset \(name) \"\(name)\" builds on \(parent)\nclassify\n  otherwise o \"O\"\n")
        }
        let result = loadRules([file("a", "b"), file("b", "c"), file("c", "a")])
        #expect(result.ruleSets.isEmpty)
        #expect(!result.diagnostics.isEmpty)
        #expect(result.diagnostics.allSatisfy { $0.code == "E302" })
        let messages = result.diagnostics.map(\.message)
        #expect(messages.contains("rule sets build on each other in a circle: a → b → c → a"))
    }
}
