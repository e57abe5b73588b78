import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The summary that opens the text output and the letter to the firm: golden files in Danish and
/// English for a decided firm, an undetermined one and a rule set not in force.
@Suite("summary and letter")
struct LetterTests {
    /// A fixed engine version, so that a version bump does not rewrite the goldens.
    static let engineVersion = "0.0.0-golden"

    /// Kaffekollektivet (2024) under Haderslev's rules, in force until the end of 2023.
    static func notInForce() throws -> Trace {
        try RecordFixtures.trace(
            rules: [
                ("rules/rsv_2014.rules", RecordFixtures.bytes("rules/rsv_2014.rules")),
                ("rules/haderslev_2021.rules", RecordFixtures.bytes("rules/haderslev_2021.rules")),
            ],
            firm: RecordFixtures.bytes("samples/kaffekollektivet.json"), source: "samples/kaffekollektivet.json",
            engineVersion: engineVersion)
    }

    static func decided() throws -> Trace {
        var trace = try RecordFixtures.trace(
            rules: [("rules/rsv_2014.rules", RecordFixtures.bytes("rules/rsv_2014.rules"))],
            firm: RecordFixtures.bytes("samples/kaffekollektivet.json"), source: "samples/kaffekollektivet.json",
            engineVersion: engineVersion)
        trace.decisionDate = Day(year: 2025, month: 3, day: 14)
        return trace
    }

    static func undetermined() throws -> Trace {
        try RecordFixtures.trace(
            rules: [("rules/rsv_2014.rules", RecordFixtures.bytes("rules/rsv_2014.rules"))],
            firm: RecordFixtures.bytes("samples/mangler_regnskab.json"), source: "samples/mangler_regnskab.json",
            engineVersion: engineVersion)
    }

    /// Kaffekollektivet (2024, every figure given) under the registration rules with the first
    /// limit's value starting only in 2030: undetermined with no data missing, as a gap in a rule
    /// file's dated values leaves a firm.
    static func pending() throws -> Trace {
        let rules = String(decoding: try RecordFixtures.bytes("rules/rsv_2014.rules"), as: UTF8.self)
        let gap = rules.replacingOccurrences(of: "  = 25 % from 2015-01-01", with: "  = 25 % from 2030-01-01")
        try #require(gap != rules)
        return try RecordFixtures.trace(
            rules: [("rules/rsv_2014.rules", Array(gap.utf8))],
            firm: RecordFixtures.bytes("samples/kaffekollektivet.json"), source: "samples/kaffekollektivet.json",
            engineVersion: engineVersion)
    }

    /// The text with line breaks and runs of spaces as single spaces, so that checks do not
    /// depend on where a line was wrapped.
    /// The letter's words on one line; a no-break space (inside a date, after "ca.") reads as a space.
    static func flat(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\u{00A0}" }).joined(separator: " ")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var testDescription: String { name }
    }

    static let cases = [Case(name: "decided"), Case(name: "undetermined"), Case(name: "pending"), Case(name: "not_in_force")]

    static func trace(_ name: String) throws -> Trace {
        switch name {
        case "decided": try decided()
        case "undetermined": try undetermined()
        case "pending": try pending()
        default: try notInForce()
        }
    }

    @Test("the summary has one line per rule set with the result and the reason")
    func summary() throws {
        let traces = [try Self.decided(), try Self.notInForce(), try Self.undetermined()]
        for language in Language.allCases {
            let summary = TextSummary.render(traces, language: language)
            expectGolden(summary, "letter/summary.\(language.rawValue).txt")
            #expect(summary.split(separator: "\n").count == 5, "two firms, three rule sets")
        }
        let danish = TextSummary.render([try Self.notInForce()], language: .danish)
        #expect(danish.contains("Gælder ikke: Regelsættet gælder ikke for regnskabsåret 2024"))
        #expect(danish.contains("i kraft fra 17.02.2021 til 31.12.2023"))
        #expect(!danish.contains("Kan ikke afgøres"), "not in force is not missing data")
    }

    @Test("a rule set not in force shows both dates and no parameter table in the text trace")
    func notInForceText() throws {
        let text = TextTraceRenderer.render(try Self.notInForce(), language: .english)
        #expect(text.contains("Result: Not in force"))
        #expect(text.contains("in force from 2021-02-17 until 2023-12-31"))
        #expect(!text.contains("Parameters in force"))
        #expect(!text.contains("no value on that date"))
    }

    @Test("the letter as text and as HTML matches its golden files", arguments: cases)
    func letters(_ sample: Case) throws {
        let trace = try Self.trace(sample.name)
        for language in Language.allCases {
            expectGolden(LetterText.render([trace], language: language), "letter/\(sample.name).\(language.rawValue).txt")
        }
        let html = LetterHTML.render([trace], language: .danish)
        #expect(XHTMLChecker.check(html) == [])
        expectGolden(html, "letter/\(sample.name).da.html")
    }

    @Test("a decision letter gives the rules, the facts in Danish number formats and each policy choice")
    func groundsOfDecision() throws {
        let letter = Self.flat(LetterText.render([try Self.decided()], language: .danish))
        #expect(letter.contains("Dato: 14. marts 2025"))
        #expect(letter.contains("Resultatet er: Socialøkonomisk virksomhed (kan registreres)."))
        #expect(letter.contains("Lov nr. 711 af 25. juni 2014, § 5, stk. 1, nr. 2"))
        #expect(letter.contains("Omsætning fra salg af varer og tjenester på markedet: 4.200.000,00 kr"))
        #expect(letter.contains("Mindste andel af indtægterne fra salg: 25 % (politisk valg"))
        #expect(letter.contains("Mener virksomheden, at oplysningerne"), "the rule set's own appeal paragraph")
        // Danish comparisons before a phrase: "er ikke under grænsen", never "er mindst grænsen".
        #expect(letter.contains("er ikke under grænsen på 25 %"), "\(letter)")
        #expect(!letter.contains("er mindst grænsen") && !letter.contains("er højst grænsen"))
        // No formulas and no identifiers of the rule file.
        for identifier in ["sales_share", "commercial_share_min", "market_sales", "rsv_2014", ">=", "social_economy"] {
            #expect(!letter.contains(identifier), "the letter shows '\(identifier)'")
        }
    }

    @Test("an undetermined firm gets a request that lists the missing data and what each settles")
    func requestForInformation() throws {
        let letter = Self.flat(LetterText.render([try Self.undetermined()], language: .english))
        #expect(letter.contains("Request for information"))
        #expect(letter.contains("Information we ask for"))
        #expect(letter.contains("settles: "))
        #expect(!letter.contains("Assessment -"), "no assessment before the data is in")
    }

    @Test("an undetermined firm with no data missing gets a letter that asks for nothing and names what could not be computed")
    func pendingLetter() throws {
        let trace = try Self.pending()
        #expect(trace.decision.outcome == nil && trace.decision.missing.isEmpty && trace.decision.notInForceOn == nil)
        for language in Language.allCases {
            var builder = LetterBuilder(trace: trace, language: language)
            let letter = builder.build()
            #expect(letter.kind == .pending)
            #expect(letter.sections.isEmpty, "no list of data to send")
        }
        let english = Self.flat(LetterText.render([trace], language: .english))
        #expect(english.contains("Assessment, not yet complete"))
        #expect(english.contains("some computations could not be made: the parameter has no value on that date."))
        #expect(english.contains("We are not asking the firm for more information"))
        #expect(!english.contains("Request for information") && !english.contains("information is missing"))
        let danish = Self.flat(LetterText.render([trace], language: .danish))
        #expect(danish.contains("Vi beder ikke virksomheden om flere oplysninger"))
        #expect(!danish.contains("Anmodning om oplysninger") && !danish.contains("mangler nogle oplysninger"))
        // A firm with data missing still gets the request.
        var request = LetterBuilder(trace: try Self.undetermined(), language: .danish)
        #expect(request.build().kind == .request)
    }

    @Test("a rule set not in force gets a letter that says so, with both dates")
    func notInForceLetter() throws {
        let letter = Self.flat(LetterText.render([try Self.notInForce()], language: .danish))
        #expect(letter.contains("gælder fra 17. februar 2021 til 31. december 2023"))
        #expect(letter.contains("Haderslev Kommune, Sekretariat og Udvikling."), "the rule set's contact paragraph")
    }

    @Test("a firm name that is hostile to HTML and CSS stays text, in the letter and its running header")
    func hostileName() throws {
        var firm = String(decoding: try RecordFixtures.bytes("samples/kaffekollektivet.json"), as: UTF8.self)
        firm = firm.replacingOccurrences(of: "Kaffekollektivet ApS", with: #"Ny \"</style><script>x</script>\" & Co \\ \u0001"#)
        let trace = try RecordFixtures.trace(
            rules: [("rules/rsv_2014.rules", RecordFixtures.bytes("rules/rsv_2014.rules"))], firm: Array(firm.utf8),
            source: "samples/kaffekollektivet.json", engineVersion: Self.engineVersion)
        let html = LetterHTML.render([trace], language: .danish)
        #expect(XHTMLChecker.check(html) == [])
        #expect(!html.contains("<script"))
        #expect(html.contains(#"content: "Ny \"\3C /style\3E \3C script\3E x\3C /script\3E \" \26  Co \\ \\u{1} · CVR 13748136"#))
    }
}
