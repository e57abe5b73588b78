import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The rule language's `tone` on outcomes and `letter` texts in the header.
@Suite("tone and letter texts in the rule language")
struct RuleLanguageLetterTests {
    static func load(_ text: String) -> RuleLoader.Result {
        RuleLoader.load([SourceFile(path: "t.rules", bytes: Array(text.utf8))])
    }

    static let rules = """
        ruleset t "T"
          in force from 2015-01-01
          letter contact "Ring til os" en "Call us"
          letter appeal "Klag til nævnet"
        input sales: money "Salg"
        classify
          good "God" when sales > 0 kr
            tone favourable
          tone "Et udfald der hedder tone" when sales > 10 kr
          otherwise bad "Dårlig"
            tone unfavourable

        """

    @Test("tones and letter texts reach the model and the trace")
    func parsed() throws {
        let loaded = Self.load(Self.rules)
        #expect(loaded.diagnostics.filter { $0.severity == .error }.isEmpty, "\(loaded.diagnostics.map(\.message))")
        let ruleSet = try #require(loaded.ruleSets.first)
        #expect(ruleSet.outcomes.map(\.name) == ["good", "tone", "bad"], "an outcome may still be named tone")
        #expect(ruleSet.outcomes.map(\.tone) == [.favourable, nil, .unfavourable])
        #expect(ruleSet.letterTexts[.contact] == LocalizedText("Ring til os", english: "Call us"))
        #expect(ruleSet.letterTexts[.appeal] == LocalizedText("Klag til nævnet"))
    }

    @Test("a wrong tone, an unknown letter text and a repeated one are errors that say what is expected")
    func errors() {
        let badTone = Self.load(Self.rules.replacingOccurrences(of: "tone favourable", with: "tone green"))
        #expect(badTone.diagnostics.contains { $0.message.contains("'favourable', 'unfavourable' or 'neutral'") })
        let badKind = Self.load(Self.rules.replacingOccurrences(of: "letter appeal", with: "letter signature"))
        #expect(badKind.diagnostics.contains { $0.message.contains("expected 'contact', 'appeal', 'sender' or 'kind' after 'letter'") })
        let twice = Self.load(Self.rules.replacingOccurrences(of: "letter appeal", with: "letter contact"))
        #expect(twice.diagnostics.contains { $0.message.contains("given twice") })
    }

    @Test("the bundled rule sets give every outcome a tone, and none is favourable by default")
    func bundled() throws {
        for name in ["rsv_2014", "anden_aktoer"] {
            let path = "rules/\(name).rules"
            let loaded = RuleLoader.load([SourceFile(path: path, bytes: try RecordFixtures.bytes(path))])
            let ruleSet = try #require(loaded.ruleSets.first)
            #expect(ruleSet.outcomes.allSatisfy { $0.tone != nil }, "\(name)")
            #expect(ruleSet.outcomes.first { $0.name == "public_controlled" }?.tone != .favourable)
        }
    }
}
