import Foundation
import SoeTestSupport
import Testing

@testable import SoeLanguage
@testable import SoeLint

/// `soe check` and `soe lint` speak Danish with `--lang da` (or a Danish locale): every message,
/// note and fix, with the same codes.
@Suite("diagnostics in Danish")
struct DanishDiagnosticsTests {
    /// The words that would show that an English text slipped into a Danish one.
    static let englishWords = [" the ", " is not ", " cannot ", " found ", " expected ", " write "]

    /// Whether a diagnostic, its notes and fixes all have a Danish text that is not the English one.
    static func missingDanish(_ diagnostic: Diagnostic) -> [String] {
        var missing: [String] = []
        if diagnostic.danish == nil || diagnostic.danish == diagnostic.message { missing.append(diagnostic.message) }
        for note in diagnostic.notes where note.danish == nil { missing.append("note: \(note.message)") }
        for fix in diagnostic.fixIts where fix.danish == nil { missing.append("fix: \(fix.message)") }
        return missing
    }

    @Test("every language error code has a Danish summary, different from the English one")
    func everyCodeHasDanish() {
        for code in DiagnosticCode.allCases {
            #expect(!code.danishSummary.isEmpty && code.danishSummary != code.summary, "\(code.rawValue)")
        }
    }

    @Test("every lint check has a Danish summary")
    func everyCheckHasDanish() {
        for documentation in LintRegistry.documentation {
            let danish = documentation.danishSummary ?? ""
            #expect(!danish.isEmpty && danish != documentation.summary, "\(documentation.code) \(documentation.name)")
        }
    }

    @Test("every finding of every check's triggering example has a Danish message, notes and fixes")
    func everyCheckFindingInDanish() {
        var checked = 0
        for documentation in LintRegistry.documentation {
            let report = Linter.lint(sources: documentation.triggering.sources)
            let own = report.findings.filter { $0.code == documentation.code }
            #expect(!own.isEmpty, "\(documentation.code): the example finds nothing")
            for finding in report.findings {
                let missing = Self.missingDanish(finding)
                #expect(missing.isEmpty, "\(finding.code): no Danish for \(missing)")
                checked += 1
            }
        }
        #expect(checked >= LintRegistry.documentation.count)
    }

    @Test("every diagnostic of every broken fixture has a Danish message, notes and fixes")
    func everyBrokenFixtureInDanish() throws {
        var codes = Set<String>()
        for testCase in ParserTests.brokenCases {
            for diagnostic in try ParserTests.diagnostics(ofBroken: testCase.name) {
                let missing = Self.missingDanish(diagnostic)
                #expect(missing.isEmpty, "\(testCase.name) \(diagnostic.code): no Danish for \(missing)")
                codes.insert(diagnostic.code)
            }
        }
        #expect(codes.count >= 20)
    }

    @Test("the checker's mistakes, one per case of CheckerTests, all have Danish")
    func everyCheckerCaseInDanish() {
        for testCase in CheckerTests.cases {
            let (_, diagnostics) = checkRules(CheckerTests.rules(testCase.body))
            for diagnostic in diagnostics {
                let missing = Self.missingDanish(diagnostic)
                #expect(missing.isEmpty, "\(testCase.note) \(diagnostic.code): no Danish for \(missing)")
                if let danish = diagnostic.danish {
                    for word in Self.englishWords { #expect(!danish.contains(word), "\(diagnostic.code): '\(word)' in \(danish)") }
                }
            }
        }
    }

    static let goldenFixtures = ["unknown_type", "three_errors", "decimal_comma", "missing_fallback", "typographic_quotes"]

    @Test("soe check --lang da on broken files: Danish messages, notes and help, the same codes", arguments: goldenFixtures)
    func checkInDanish(_ name: String) throws {
        let path = "Tests/SoeEngineTests/Fixtures/broken/\(name).rules"
        let danish = try runSoe(["check", "--lang", "da", path])
        let english = try runSoe(["check", "--lang", "en", path])
        #expect(danish.exitCode == 3 && english.exitCode == 3)
        #expect(danish.stdout.contains("fejl["))
        #expect(!danish.stdout.contains("error["))
        let codes = { (text: String) in text.matches(of: /\[(E\d{3})\]/).map { String($0.output.1) } }
        #expect(codes(danish.stdout) == codes(english.stdout))
        expectGolden(danish.stdout, "diagnostics/da/\(name).txt")
    }

    @Test("the locale chooses Danish when --lang is not given; --lang en wins over it")
    func localeChoosesDanish() throws {
        let path = "Tests/SoeEngineTests/Fixtures/broken/unknown_type.rules"
        let fromLocale = try runSoe(["check", "--format", "short", path], environment: ["LANG": "da_DK.UTF-8"])
        #expect(fromLocale.stdout.contains("'mony' er ikke en type; mente du 'money'? [E110]"))
        #expect(fromLocale.stdout.hasSuffix("1 fejl\n"))
        let english = try runSoe(["check", "--lang", "en", "--format", "short", path], environment: ["LC_ALL": "da_DK.UTF-8"])
        #expect(english.stdout.contains("'mony' is not a type; did you mean 'money'? [E110]"))
        let bad = try runSoe(["check", "--lang", "de", path])
        #expect(bad.exitCode == 2 && bad.stderr.contains("--lang must be da or en"))
    }

    @Test("soe lint --lang da: findings and summary in Danish, as in the golden file; SARIF stays English")
    func lintInDanish() throws {
        let path = LintOutputTests.fixture
        let human = try runSoe(["lint", "--lang", "da", path])
        #expect(human.exitCode == 1)
        #expect(human.stdout.contains("advarsel[") || human.stdout.contains("fejl["))
        expectGolden(human.stdout, "lint/findings.da.txt")
        let json = try runSoe(["lint", "--lang", "da", "--format", "json", path])
        #expect(json.stdout.contains("\"severity\": \"warning\"") || json.stdout.contains("\"severity\": \"error\""))
        let sarif = try runSoe(["lint", "--lang", "da", "--format", "sarif", path])
        let englishSarif = try runSoe(["lint", "--format", "sarif", path])
        #expect(sarif.stdout == englishSarif.stdout)
    }

    @Test("a route without a reason, checked in Danish")
    func routeInDanish() throws {
        let (_, diagnostics) = checkRules(
            "ruleset r \"R\"\n  in force from 2020-01-01\n\ninput a: yes/no \"A\"\n\nclassify\n  x \"X\" when a\n    reason \"a\"\n  x when not a\n  otherwise y \"Y\"\n"
        )
        let rendered = diagnostics.map { DiagnosticRenderer.annotated($0, language: .danish) }.joined(separator: "\n")
        #expect(rendered.contains("fejl[E219]: udfaldet 'x' nås ad 2 regler, og denne (den 2. regel) har ingen begrundelse"))
    }
}
