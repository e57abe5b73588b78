import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// L301 (unused), L5xx (dated values) and L601 (redundant override).
@Suite("lint: definitions, dates and overrides (L301, L5xx, L601)")
struct LintDefinitionChecksTests {
    static let cases: [LintCase] = [
        LintCase(
            "an input no formula uses",
            """
            classify
              a "A" when x > 50 %
              otherwise z "Z"
            """, expect: ["L301"], messages: ["the input 'lf' is never used"]),
        LintCase(
            "a criterion used only by an unused criterion, and its input",
            """
            input purpose: yes/no "p"
            criterion inner "I"
              cite "c"
              = purpose
            criterion outer "O"
              cite "c"
              = inner and y
            classify
              a "A" when y
              otherwise z "Z"
            """, expect: ["L301"],
            messages: [
                "the criterion 'inner' is used only by 'outer', which no outcome depends on",
                "the criterion 'outer' is never used", "the input 'purpose' is used only by 'inner'",
            ]),
        LintCase(
            "an unused parameter and value",
            """
            parameter cap: percent "c"
              policy "p"
              = 35 % from 2015-01-01
            value doubled "D" = m + m
            classify
              a "A" when y
              otherwise z "Z"
            """, expect: ["L301"], messages: ["the parameter 'cap' is never used", "the value 'doubled' is never used"]),
        LintCase(
            "a gap between two periods",
            """
            parameter cap: percent "c"
              law "l"
              = 35 % from 2015-01-01 until 2016-12-31
              = 30 % from 2018-01-01
            classify
              a "A" when x <= cap
              otherwise z "Z"
            """, expect: ["L501"], messages: ["the parameter 'cap' has no value from 2017-01-01 to 2017-12-31"]),
        LintCase(
            "an open-ended value covers until the next one",
            """
            parameter cap: percent "c"
              law "l"
              = 35 % from 2015-01-01
              = 30 % from 2018-01-01 until 2018-12-31
              = 25 % from 2020-01-01
            classify
              a "A" when x <= cap
              otherwise z "Z"
            """, absent: ["L501", "L502", "L504"]),
        LintCase(
            "two values from the same day",
            """
            parameter cap: percent "c"
              law "l"
              = 35 % from 2015-01-01
              = 30 % from 2015-01-01
            classify
              a "A" when x <= cap
              otherwise z "Z"
            """, expect: ["L502"], messages: ["both apply from 2015-01-01"]),
        LintCase(
            "an 'until' past the next start",
            """
            parameter cap: percent "c"
              law "l"
              = 35 % from 2015-01-01 until 2019-06-30
              = 30 % from 2019-01-01
            classify
              a "A" when x <= cap
              otherwise z "Z"
            """, expect: ["L502"], absent: ["L501"],
            messages: ["is written to last until 2019-06-30, but a later value starts on 2019-01-01"]),
        LintCase(
            "a value before the rule set is in force, and one that never applies",
            """
            parameter cap: percent "c"
              law "l"
              = 40 % from 2010-01-01 until 2012-12-31
              = 35 % from 2014-01-01
            classify
              a "A" when x <= cap
              otherwise z "Z"
            """, expect: ["L503"],
            messages: [
                "starts on 2014-01-01, before the rule set is in force (2015-01-01)",
                "ends on 2012-12-31, before the rule set is in force (2015-01-01), so it is never used",
            ]),
        LintCase(
            "no value at the start of the rule set's period",
            """
            parameter cap: percent "c"
              law "l"
              = 35 % from 2016-01-01
            classify
              a "A" when x <= cap
              otherwise z "Z"
            """, expect: ["L504"], messages: ["has no value from 2015-01-01 to 2015-12-31"]),
        LintCase(
            "no value after the last one ends",
            """
            parameter cap: percent "c"
              law "l"
              = 35 % from 2015-01-01 until 2020-12-31
            classify
              a "A" when x <= cap
              otherwise z "Z"
            """, expect: ["L504"], messages: ["in force with no end date, but the parameter 'cap' has no value after 2020-12-31"]),
        LintCase(
            "a period that ends before it starts",
            """
            parameter cap: percent "c"
              law "l"
              = 35 % from 2015-01-01
              = 30 % from 2020-01-01 until 2019-12-31
            classify
              a "A" when x <= cap
              otherwise z "Z"
            """, expect: ["L505"], absent: ["L502"]),
    ]

    @Test("definitions and dated values", arguments: cases)
    func definition(_ testCase: LintCase) {
        testCase.run()
    }

    /// A rule file whose parameter `cap` has the dated values given (lines from 7 on).
    static func capRuleFile(_ values: String) -> String {
        """
        ruleset t "T" en "T"
          source "s"
          in force from 2015-01-01
        input x: percent "x"
        parameter cap: percent "c"
          law "l"
        \(values)
        classify
          a "A" when x <= cap reason "r"
          otherwise z "Z" reason "r"
        """
    }

    @Test(
        "two different values from the same day are an error naming the one used; the same value twice and an until past a later start are warnings"
    )
    func sameStartIsAnError() {
        func findings(_ values: String) -> [(String, Severity, String)] {
            let text = Self.capRuleFile(values)
            let result = loadRules([("t.rules", text)])
            return Linter.lint([result]).findings.filter { $0.code == "L502" }.map { ($0.code, $0.severity, $0.message) }
        }
        let different = findings("  = 50 % from 2015-01-01\n  = 45 % from 2026-01-01\n  = 40 % from 2026-01-01")
        #expect(different.map(\.1) == [.error])
        #expect(
            different.first?.2
                == "two values of the parameter 'cap' both apply from 2026-01-01 (45 % and 40 %): the value on line 9, 40 %, is used; delete the one that does not apply, or give them periods of their own"
        )
        // Three from one day: every pair names the value the evaluator takes, the last written.
        let three = findings("  = 50 % from 2015-01-01\n  = 45 % from 2026-01-01\n  = 40 % from 2026-01-01\n  = 35 % from 2026-01-01")
        #expect(three.count == 3 && three.allSatisfy { $0.2.contains("the value on line 10, 35 %, is used") }, "\(three.map(\.2))")
        // Two without a date: the evaluator takes the first.
        let undated = findings("  = 50 % until 2030-12-31\n  = 45 %")
        #expect(
            undated.first?.2.contains("without a 'from' date (50 % and 45 %): the value on line 7, 50 %, is used") == true, "\(undated)")
        let same = findings("  = 50 % from 2015-01-01\n  = 50 % from 2015-01-01")
        #expect(same.map(\.1) == [.warning])
        #expect(same.first?.2.hasSuffix("and are the same; delete one") == true)
        let reaching = findings("  = 50 % from 2015-01-01 until 2020-12-31\n  = 40 % from 2020-01-01")
        #expect(reaching.map(\.1) == [.warning])
    }

    @Test(
        "two values on their own lines are two values, not a comparison; one without a date below a dated one is L506, an error where it is never used"
    )
    func undatedValueAfterDated() throws {
        func findings(_ values: String) -> [(String, Severity, String)] {
            let result = loadRules([("t.rules", Self.capRuleFile(values))])
            let errors = result.diagnostics.filter { $0.severity == .error }.map { ($0.code, $0.severity, $0.message) }
            return errors + Linter.lint([result]).findings.filter { $0.code.hasPrefix("L50") }.map { ($0.code, $0.severity, $0.message) }
        }
        // `= 50 %` and `= 40 %` on two lines were read as the formula `50 % = 40 %` (E212): now two
        // undated values, which L502 names.
        #expect(findings("  = 50 %\n  = 40 %").map(\.0) == ["L502"])
        // An undated base value and a dated change: the normal way to write it, nothing to say.
        #expect(findings("  = 50 %\n  = 40 % from 2025-01-01").isEmpty)
        let base = try #require(loadRules([("t.rules", Self.capRuleFile("  = 50 %\n  = 40 % from 2025-01-01"))]).ruleSets.first)
        let cap = try #require(base.parameters.first { $0.name == "cap" })
        #expect(cap.values.count == 2)
        #expect(cap.value(on: Day(year: 2026, month: 6, day: 30)!)?.from == Day(year: 2025, month: 1, day: 1))
        // The new value written below without its date: it replaces nothing and, the rule set being
        // in force from 2015-01-01, applies on no day.
        let never = findings("  = 50 % from 2015-01-01\n  = 40 %")
        #expect(never.map(\.0) == ["L506"] && never.map(\.1) == [.error])
        #expect(
            never.first?.2
                == "this value of the parameter 'cap', 40 %, has no 'from' date, so it does not replace the value on line 7: it applies only on days no dated value covers, and every day the rule set is in force (from 2015-01-01) is covered, so it is never used; give it the day it starts (= 40 % from DATE), or write it above the dated values if it is the value before them"
        )
        // Applied on the days before the first dated value that the rule set is in force: a warning.
        let early = findings("  = 50 % from 2019-01-01\n  = 40 %")
        #expect(early.map(\.0) == ["L506"] && early.map(\.1) == [.warning])
        #expect(
            early.first?.2.contains("it applies only on days no dated value covers, the first of them in force being 2015-01-01;") == true,
            "\(early)")
        // A dated value that ends leaves the days after it to the undated one: used, a warning
        // naming the first such day, never the error that it is never used.
        let after = findings("  = 10 % from 2015-01-01 until 2021-06-30\n  = 35 %")
        #expect(after.map(\.1) == [.warning])
        #expect(after.first?.2.contains("the first of them in force being 2021-07-01;") == true, "\(after)")
        let lint = loadRules([("t.rules", Self.capRuleFile("  = 10 % from 2015-01-01 until 2021-06-30\n  = 35 %"))])
        let ended = try #require(lint.ruleSets.first?.parameters.first { $0.name == "cap" })
        #expect(ended.value(on: Day(year: 2022, month: 12, day: 31)!)?.from == nil, "the undated value is the one used after 2021-06-30")
        // Above the dated values, or with a period of its own: what the writer meant is plain.
        #expect(findings("  = 40 %\n  = 50 % from 2019-01-01").isEmpty)
        #expect(findings("  = 50 % from 2019-01-01\n  = 40 % until 2018-12-31").isEmpty)
        // A comparison in a formula may still put its `=` at the start of a continued line.
        let formula = loadRules([
            (
                "f.rules",
                """
                ruleset f "F" en "F"
                  source "s"
                  in force from 2015-01-01
                input x: percent "x"
                criterion half "Halv"
                  cite "c"
                  = x
                    = 50 %
                classify
                  a "A" when half reason "r"
                  otherwise z "Z" reason "r"
                """
            )
        ])
        #expect(formula.diagnostics.filter { $0.severity == .error }.isEmpty, "\(formula.diagnostics.map(\.message))")
    }

    @Test("a citation that names a file, not a document, is a finding (L401); a title, a paragraph and a web address are not")
    func citationNamingAFile() {
        for (text, file) in [
            ("se notat i sagsmappen / K:\\Politik\\forslag2026.docx", "K:\\Politik\\forslag2026.docx"),
            ("bilag (forslag.pdf)", "forslag.pdf"), ("\\\\server\\politik\\notat", "\\\\server\\politik\\notat"),
            ("Lov nr. 711 af 25. juni 2014, § 5, stk. 1, nr. 3", nil), ("https://www.retsinformation.dk/eli/lta/2014/711.pdf", nil),
            ("Projektet Socialøkonomisk Iværksætteri (nvs.nu), vejledning til kommuner", nil),
        ] as [(String, String?)] {
            #expect(MissingCitation.fileName(in: text) == file, "\(text)")
        }
        let text = """
            ruleset t "T" en "T"
              source "s"
              in force from 2015-01-01
            input x: percent "x"
            criterion c "C" cite "se K:\\Politik\\forslag.docx" = x > 5 %
            classify
              a "A" when c reason "r"
              otherwise z "Z" reason "r"
            """
        let findings = Linter.lint([loadRules([("t.rules", text)])]).findings.filter { $0.code == "L401" }
        #expect(
            findings.map(\.message) == [
                "the citation of the criterion 'c' names a file ('K:\\Politik\\forslag.docx'), which the reader of a decision does not have; cite the document by its title, date and paragraph"
            ])
        // A parameter's law, guidance or policy text is shown beside its threshold: the same (L402).
        let basis = Self.capRuleFile("  = 35 % from 2015-01-01").replacingOccurrences(
            of: "  law \"l\"", with: "  policy \"byrådets beslutning, se Politik.docx\"")
        let parameterFindings = Linter.lint([loadRules([("t.rules", basis)])]).findings.filter { $0.code == "L402" }
        #expect(
            parameterFindings.map(\.message) == [
                "the policy text of the parameter 'cap' names a file ('Politik.docx'), which the reader of a decision does not have; cite the document by its title, date and paragraph"
            ])
        let lawful = Linter.lint([loadRules([("t.rules", Self.capRuleFile("  = 35 % from 2015-01-01"))])]).findings
        #expect(!lawful.contains { $0.code == "L402" })
    }

    @Test("an override with values of its own and no basis is L402: the base's basis was written for the values it replaces")
    func overrideKeepsBasis() throws {
        let child = { (clause: String, values: String) in
            """
            ruleset vejle "Vejle"
              builds on anden_aktoer
              in force from 2026-01-01
            override parameter employment_services_share_max
            \(clause)\(values)
            """
        }
        func findings(_ text: String) -> [String] {
            let result = RuleLoader.load([SourceFile(path: "vejle.rules", text: text)], library: .bundledOnly)
            #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics.map(\.message))")
            return Linter.lint([result]).findings.filter { $0.code == "L402" }.map(\.message)
        }
        #expect(
            findings(child("", "  = 50 % from 2019-01-01\n  = 40 % from 2026-01-01")) == [
                "the override of the parameter 'employment_services_share_max' gives values of its own but no law, guidance or policy: every explanation shows the basis of the rule set it builds on (policy), written for the values it replaces; say the basis of these values"
            ])
        #expect(findings(child("  policy \"Vejle Byråd, beslutning af 3. marts 2026, punkt 7\"\n", "  = 40 % from 2026-01-01")).isEmpty)
    }

    @Test("a value that ends before it starts is an error: soe check refuses the file (exit 3), with the fix")
    func reversedValuePeriodIsAnError() throws {
        #expect(EmptyValuePeriod.documentation.severity == .error)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-l505-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rules = Self.capRuleFile("  = 35 % from 2015-01-01\n  = 30 % from 2020-01-01 until 2019-12-31")
        try rules.write(toFile: folder + "/t.rules", atomically: true, encoding: .utf8)
        let run = try runSoe(["check", "--format", "short", folder + "/t.rules"])
        #expect(run.exitCode == 3, "\(run.stdout)")
        #expect(
            run.stdout.contains(
                "t.rules:8:3: error: this value of the parameter 'cap' ends on 2019-12-31, before it starts on 2020-01-01, so it never applies; swap the dates or correct the wrong one [L505]"
            ), "\(run.stdout)")
    }

    static let base = """
        ruleset base "Base"
          in force from 2015-01-01

        input share: percent "Andel"

        parameter share_min: percent "Mindste andel"
          policy "p"
          = 50 % from 2015-01-01

        criterion commercial "Erhvervsdrivende"
          cite "§ 5"
          = share >= share_min

        classify
          soe "SØV" when commercial
          otherwise ordinary "Ordinær"
        """

    static let overrideCases: [(note: String, override: String, redundant: Bool)] = [
        (
            "the same criterion, written with other spacing and a comment",
            """
            override criterion commercial "Erhvervsdrivende"
              # samme som i basis
              cite "§ 5"
              =   share >= share_min
            """, true
        ),
        (
            "a criterion with another threshold",
            """
            override criterion commercial "Erhvervsdrivende"
              cite "§ 5"
              = share > share_min
            """, false
        ),
        (
            "a parameter override that only repeats the basis",
            """
            override parameter share_min
              policy "p"
            """, true
        ),
        (
            "a parameter override with a new value",
            """
            override parameter share_min = 40 % from 2015-01-01
            """, false
        ),
        (
            "the same classification",
            """
            override classify
              soe "SØV" when commercial
              otherwise ordinary "Ordinær"
            """, true
        ),
    ]

    @Test("overrides that change nothing", arguments: overrideCases.indices)
    func override(_ index: Int) throws {
        let (note, text, redundant) = LintDefinitionChecksTests.overrideCases[index]
        let local = "ruleset local \"Lokal\" builds on base\n  in force from 2015-01-01\n\n" + text + "\n"
        let report = Linter.lint(sources: [
            SourceFile(path: "base.rules", text: LintDefinitionChecksTests.base),
            SourceFile(path: "local.rules", text: local),
        ])
        #expect(!report.hasLanguageErrors, "\(note): \(report.findings.map(DiagnosticRenderer.oneLine))")
        let found = report.findings.filter { $0.code == "L601" }
        #expect(found.isEmpty != redundant, "\(note): \(found.map(DiagnosticRenderer.oneLine))")
        if redundant, let fix = found.first?.fixIts.first, let file = found.first?.span?.file {
            // Applying the fix leaves the header only: the override was the whole rest of the file.
            var bytes = file.bytes
            bytes.replaceSubrange(fix.range, with: Array(fix.replacement.utf8))
            #expect(
                String(decoding: bytes, as: UTF8.self) == "ruleset local \"Lokal\" builds on base\n  in force from 2015-01-01\n\n",
                "\(note)")
        }
    }

    @Test("a finding in a base file caused by a rule set that builds on it names that rule set")
    func findingsOfDerivedRuleSets() throws {
        let base = """
            ruleset base "Base"
              in force from 2015-01-01

            input share: percent "Andel" min 0 % max 100 %
            input reinvests: yes/no "Geninvesterer"

            parameter aktor_min: percent "Grænse"
              policy "p"
              = 70 % from 2015-01-01

            criterion reinvesting "Geninvesterer"
              cite "c"
              = reinvests

            classify
              aktor "Anden aktør" when share > aktor_min
              mostly "Overvejende" when share > 60 % and reinvesting
              otherwise soe "SØV"
            """
        let local = """
            ruleset local "Lokal" builds on base
              in force from 2015-01-01

            override parameter aktor_min = 50 % from 2015-01-01
            """
        let report = Linter.lint(sources: [SourceFile(path: "base.rules", text: base), SourceFile(path: "local.rules", text: local)])
        let unreachable = try #require(report.findings.first { $0.code == "L101" }, "\(report.findings.map(DiagnosticRenderer.oneLine))")
        #expect(unreachable.span?.file.path == "base.rules")
        #expect(unreachable.notes.contains { $0.message == "found in the rule set 'local', which builds on this file" })

        // A rule set that replaces the classification does not have to use every inherited criterion.
        let replacing =
            "ruleset local \"Lokal\" builds on base\n  in force from 2015-01-01\n\noverride classify\n  aktor \"A\" when share > aktor_min\n  otherwise soe \"S\"\n"
        let second = Linter.lint(sources: [SourceFile(path: "base.rules", text: base), SourceFile(path: "local.rules", text: replacing)])
        #expect(!second.findings.contains { $0.code == "L301" }, "\(second.findings.map(DiagnosticRenderer.oneLine))")
    }
}
