import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// `letter kind assessment|decision` in a rule set's header: parsed, checked, laid out by `soe fmt`,
/// and the words of every letter: "Vurdering" unless the rule set says its letters are decisions.
@Suite("letter kind: assessment or decision")
struct LetterKindTests {
    static func load(_ text: String, path: String = "t.rules") -> RuleLoader.Result {
        RuleLoader.load([SourceFile(path: path, bytes: Array(text.utf8))])
    }

    static let rules = """
        ruleset t "T"
          in force from 2015-01-01
          letter kind decision
          letter appeal "Klag til nævnet"
        input sales: money "Salg"
        classify
          good "God" when sales > 0 kr
          otherwise bad "Dårlig"

        """

    /// The one-line form of each error, `t.rules:3:15: error: … [E103]`.
    static func errors(_ text: String) -> [Diagnostic] {
        load(text).diagnostics.filter { $0.severity == .error }
    }

    @Test("'letter kind decision' reaches the model and the trace; without it, and with 'assessment', the letters are assessments")
    func parsed() throws {
        let decision = try #require(Self.load(Self.rules).ruleSets.first)
        #expect(decision.letterKind == .decision)
        let none = try #require(Self.load(Self.rules.replacingOccurrences(of: "  letter kind decision\n", with: "")).ruleSets.first)
        #expect(none.letterKind == .assessment, "the default claims no decision")
        let assessment = try #require(
            Self.load(Self.rules.replacingOccurrences(of: "letter kind decision", with: "letter kind assessment")).ruleSets.first)
        #expect(assessment.letterKind == .assessment)
        let trace = try RecordFixtures.trace(
            rules: [("t.rules", Array(Self.rules.utf8))], firm: Array(#"{"name": "A", "fiscal_year": 2024, "sales": 10}"#.utf8),
            source: "a.json", engineVersion: "0.0.0-golden")
        #expect(trace.ruleSet.letterKind == .decision)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var note: String
        var line: String
        /// The message must contain this.
        var message: String
        /// Where the error is: line and column.
        var at: (Int, Int)
        /// The fix-it's replacement, if the error has one.
        var fix: String?
        var testDescription: String { note }
    }

    static let badCases = [
        BadCase(
            note: "a misspelt word", line: "  letter kind decison",
            message: "expected 'assessment' or 'decision' after 'letter kind', found 'decison'",
            at: (3, 15), fix: "decision"),
        BadCase(
            note: "the Danish word", line: "  letter kind afgørelse",
            message: "'afgørelse' is Danish; rule files write their keywords in English: write 'decision'",
            at: (3, 15), fix: "decision"),
        BadCase(
            note: "the word in quotes", line: "  letter kind \"assessment\"", message: "found text in quotes; write 'assessment'",
            at: (3, 15),
            fix: "assessment"),
        BadCase(
            note: "a word that is neither", line: "  letter kind formal", message: "after 'letter kind', found 'formal'", at: (3, 15),
            fix: nil),
        BadCase(note: "no word", line: "  letter kind", message: "after 'letter kind', found ", at: (4, 3), fix: nil),
        BadCase(
            note: "'kind' misspelt", line: "  letter knid decision",
            message: "expected 'contact', 'appeal', 'sender' or 'kind' after 'letter', found 'knid'; did you mean 'kind'?", at: (3, 10),
            fix: "kind"),
        BadCase(
            note: "given twice", line: "  letter kind decision\n  letter kind assessment", message: "'letter kind' is given twice",
            at: (4, 10), fix: nil),
    ]

    @Test("a wrong 'letter kind' is an error at its line and column, with the word meant as the fix", arguments: badCases)
    func errors(_ bad: BadCase) throws {
        let text = Self.rules.replacingOccurrences(of: "  letter kind decision", with: bad.line)
        try #require(text != Self.rules)
        let errors = Self.errors(text)
        let error = try #require(errors.first { $0.message.contains(bad.message) }, "\(errors.map(DiagnosticRenderer.oneLine))")
        let start = try #require(error.span?.start)
        #expect((start.line, start.column) == bad.at, "\(DiagnosticRenderer.oneLine(error))")
        #expect(DiagnosticRenderer.oneLine(error).hasPrefix("t.rules:\(bad.at.0):\(bad.at.1): error: "))
        #expect(error.fixIts.first?.replacement == bad.fix, "\(error.fixIts.map(\.replacement))")
        #expect(error.danish != nil, "every message has its Danish")
        #expect(errors.count == 1, "one error, not a cascade: \(errors.map(DiagnosticRenderer.oneLine))")
    }

    @Test("a rule set that builds on another does not inherit its letter kind, as it inherits none of its letter texts")
    func buildsOn() throws {
        let base = Self.rules.replacingOccurrences(of: "ruleset t \"T\"", with: "ruleset base \"Base\"")
        let local = """
            ruleset local "Lokal" builds on base
              in force from 2020-01-01

            """
        let loaded = RuleLoader.load([
            SourceFile(path: "base.rules", bytes: Array(base.utf8)), SourceFile(path: "local.rules", bytes: Array(local.utf8)),
        ])
        #expect(loaded.diagnostics.filter { $0.severity == .error }.isEmpty, "\(loaded.diagnostics.map(DiagnosticRenderer.oneLine))")
        #expect(loaded.ruleSets.first { $0.name == "base" }?.letterKind == .decision)
        #expect(loaded.ruleSets.first { $0.name == "local" }?.letterKind == .assessment)
    }

    @Test("soe fmt puts 'letter kind' before the letter texts, and its output formats to itself")
    func canonicalLayout() throws {
        let text = """
            ruleset t "T"
              letter appeal "Klag til nævnet"
              letter   kind    decision   # what the letters are
              borderline 2 %
              in force from 2015-01-01
            input sales: money "Salg"
            classify
              good "God" when sales > 0 kr
              otherwise bad "Dårlig"

            """
        guard case .success(let formatted) = RuleFormatter.format(SourceFile(path: "t.rules", text: text)) else {
            Issue.record("does not format")
            return
        }
        #expect(
            formatted.hasPrefix(
                """
                ruleset t "T"
                  in force from 2015-01-01
                  letter kind decision  # what the letters are
                  letter appeal "Klag til nævnet"
                  borderline 2 %

                """), "\(formatted)")
        FormatProperties.check(text)
        guard case .success(let again) = RuleFormatter.format(SourceFile(path: "t.rules", text: formatted)) else {
            Issue.record("the formatted file does not format")
            return
        }
        #expect(again == formatted, "formatting is idempotent")
        #expect(try #require(Self.load(formatted).ruleSets.first).letterKind == .decision, "the meaning is kept")
    }

    // MARK: The words of the letters

    /// rsv_2014 with `letter kind decision` in its header, or as bundled (an assessment).
    static func rules(decision: Bool) throws -> [UInt8] {
        let bundled = String(decoding: try RecordFixtures.bytes("rules/rsv_2014.rules"), as: UTF8.self)
        guard decision else { return Array(bundled.utf8) }
        let changed = bundled.replacingOccurrences(
            of: "  in force from 2015-01-01\n", with: "  in force from 2015-01-01\n  letter kind decision\n")
        try #require(changed != bundled)
        return Array(changed.utf8)
    }

    static func trace(firm: String, decision: Bool, gap: Bool = false) throws -> Trace {
        var rules = try Self.rules(decision: decision)
        if gap {
            // The first limit's value starting only in 2030: undetermined with no data missing.
            let text = String(decoding: rules, as: UTF8.self)
            let changed = text.replacingOccurrences(of: "  = 25 % from 2015-01-01", with: "  = 25 % from 2030-01-01")
            try #require(changed != text)
            rules = Array(changed.utf8)
        }
        var trace = try RecordFixtures.trace(
            rules: [("rules/rsv_2014.rules", rules)], firm: RecordFixtures.bytes("samples/\(firm).json"), source: "samples/\(firm).json",
            engineVersion: LetterTests.engineVersion)
        trace.decisionDate = Day(year: 2025, month: 3, day: 14)
        return trace
    }

    @Test(
        "a decided firm's letter is headed 'Vurdering' unless the rule set's letters are decisions, in text, HTML title, heading and running header"
    )
    func decidedHeading() throws {
        for decision in [false, true] {
            let trace = try Self.trace(firm: "kaffekollektivet", decision: decision)
            let danish = LetterText.render([trace], language: .danish)
            let english = LetterText.render([trace], language: .english)
            let html = LetterHTML.render([trace], language: .danish)
            let subject = decision ? "Afgørelse: " : "Vurdering: "
            let englishSubject = decision ? "Decision: " : "Assessment: "
            #expect(danish.contains("\n\(subject)Registreret socialøkonomisk virksomhed, regnskabsåret 2024\n"), "\(danish)")
            #expect(english.contains("\n\(englishSubject)Registered social-economy enterprise, fiscal year 2024\n"), "\(english)")
            #expect(html.contains("<title>\(subject)Registreret socialøkonomisk virksomhed, regnskabsåret 2024</title>"))
            #expect(html.contains("<h1>\(subject)Registreret socialøkonomisk virksomhed, regnskabsåret 2024</h1>"))
            #expect(html.contains(decision ? "· Afgørelsesdato 14.03.2025" : "· Dato 14.03.2025"), "the running header")
            #expect(!danish.contains(decision ? "Vurdering: " : "Afgørelse: "))
            #expect(!english.contains(decision ? "Assessment: " : "Decision: "))
        }
    }

    @Test("a request and a pending letter speak of a decision only when the rule set's letters are decisions")
    func requestAndPending() throws {
        for decision in [false, true] {
            for trace in [
                try Self.trace(firm: "mangler_regnskab", decision: decision),
                try Self.trace(firm: "kaffekollektivet", decision: decision, gap: true),
            ] {
                #expect(trace.decision.outcome == nil && trace.decision.notInForceOn == nil)
                let danish = LetterTests.flat(LetterText.render([trace], language: .danish))
                let english = LetterTests.flat(LetterText.render([trace], language: .english))
                let html = LetterHTML.render([trace], language: .danish)
                if decision {
                    #expect(danish.contains("Vi kan endnu ikke træffe afgørelse, fordi"), "\(danish)")
                    #expect(danish.contains("sender virksomheden en afgørelse."), "\(danish)")
                    #expect(english.contains("We cannot decide yet, because"), "\(english)")
                    #expect(english.contains("send the firm a decision."), "\(english)")
                } else {
                    // No word of a decision anywhere: subject, opening, closing, title, running header.
                    #expect(!danish.lowercased().contains("afgørelse"), "\(danish)")
                    #expect(!html.lowercased().contains("afgørelse"), "\(html)")
                    #expect(!english.lowercased().contains("decision") && !english.contains("decide"), "\(english)")
                    #expect(danish.contains("Vi kan endnu ikke afslutte vurderingen, fordi"), "\(danish)")
                    #expect(english.contains("We cannot complete the assessment yet, because"), "\(english)")
                }
            }
        }
        let pending = LetterTests.flat(
            LetterText.render([try Self.trace(firm: "kaffekollektivet", decision: false, gap: true)], language: .danish))
        #expect(pending.contains("Vurdering, endnu ikke afsluttet: Registreret"), "\(pending)")
        #expect(pending.contains("vi undersøger sagen og sender virksomheden vurderingen."), "\(pending)")
        let request = LetterTests.flat(LetterText.render([try Self.trace(firm: "mangler_regnskab", decision: false)], language: .danish))
        #expect(request.contains("Når vi har oplysningerne, færdiggør vi vurderingen og sender den til virksomheden."), "\(request)")
        let pendingDecision = LetterTests.flat(
            LetterText.render([try Self.trace(firm: "kaffekollektivet", decision: true, gap: true)], language: .english))
        #expect(pendingDecision.contains("Assessment, not yet decided: Registered"), "\(pendingDecision)")
    }

    @Test("the letter of a rule set not in force is the same whichever kind its letters are: it neither decides nor assesses")
    func notInForce() throws {
        let base = try Self.rules(decision: false)
        let haderslev = String(decoding: try RecordFixtures.bytes("rules/haderslev_2021.rules"), as: UTF8.self)
        let decided = haderslev.replacingOccurrences(
            of: "  in force from 2021-02-17 until 2023-12-31\n",
            with: "  in force from 2021-02-17 until 2023-12-31\n  letter kind decision\n")
        try #require(decided != haderslev)
        var letters: [String] = []
        for text in [haderslev, decided] {
            var trace = try RecordFixtures.trace(
                rules: [("rules/rsv_2014.rules", base), ("rules/haderslev_2021.rules", Array(text.utf8))],
                firm: RecordFixtures.bytes("samples/kaffekollektivet.json"), source: "samples/kaffekollektivet.json",
                engineVersion: LetterTests.engineVersion)
            trace.decisionDate = nil
            #expect(trace.decision.notInForceOn != nil)
            letters.append(LetterText.render([trace], language: .danish))
        }
        #expect(letters[0] == letters[1])
        #expect(!letters[0].lowercased().contains("afgørelse"), "\(letters[0])")
    }
}
