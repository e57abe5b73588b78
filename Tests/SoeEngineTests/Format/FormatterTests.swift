import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// `RuleFormatter`: the canonical layout, by golden file and by the cases that shape it.
@Suite("soe fmt: the canonical layout")
struct FormatterTests {
    static func format(_ text: String) -> String? {
        guard case .success(let formatted) = RuleFormatter.format(SourceFile(path: "t.rules", text: text)) else { return nil }
        return formatted
    }

    @Test("a messy file with every construct and comment placement becomes the golden canonical file")
    func messyGolden() throws {
        let messy = try FormatProperties.text(TestPaths.fixtures + "/fmt/messy.rules")
        let formatted = try #require(FormatProperties.check(messy, path: "messy.rules"))
        expectGolden(formatted, "fmt/messy.rules")
        #expect(formatted.contains("\n\n\n") == false, "a run of blank lines is collapsed to one")
        #expect(formatted.contains("#   (indented text inside a comment is kept as written)\n"))
    }

    @Test("clauses take the reference's order and carry their comments")
    func clauseOrder() throws {
        let text = """
            ruleset r "R"
              in force from 2020-01-01
            input x: money "X"
            criterion c = x > 0 kr  # about the condition
              cite "§ 1"
              # about the text
              "Tekst"
            classify
              a tone favourable when c reason "R" "A"
              otherwise b "B"

            """
        let formatted = try #require(Self.format(text))
        #expect(
            formatted == """
                ruleset r "R"
                  in force from 2020-01-01
                input x: money "X"
                criterion c
                  # about the text
                  "Tekst"
                  cite "§ 1"
                  = x > 0 kr  # about the condition
                classify
                  a "A"
                    when c
                    reason "R"
                    tone favourable
                  otherwise b "B"

                """)
        FormatProperties.check(text)
    }

    @Test("spacing around operators, tabs, CR LF and trailing blanks become canonical")
    func spacing() throws {
        let text = "ruleset r \"R\"\r\n\tin force from 2020-01-01   \r\ninput x:money \"X\"\r\nvalue v=-x+max(x,2*x)/(x-1 kr)\r\n"
        let formatted = try #require(Self.format(text))
        #expect(formatted.contains("value v = -x + max(x, 2 * x) / (x - 1 kr)\n"))
        #expect(formatted.hasPrefix("ruleset r \"R\"\n  in force from 2020-01-01\ninput x: money \"X\"\n"))
        FormatProperties.check(text)
    }

    @Test("a long formula breaks before its operators; a long text's gloss goes on the next line")
    func lineBreaking() throws {
        let names = (1...12).map { "input_number_\($0)" }
        let inputs = names.map { "input \($0): money \"X\"" }.joined(separator: "\n")
        let text = """
            ruleset r "R"
              in force from 2020-01-01
            \(inputs)
            criterion c "\(String(repeating: "lang tekst ", count: 8))" en "\(String(repeating: "long text ", count: 3))"
              = \(names.map { "\($0) > 0 kr" }.joined(separator: " and "))

            """
        let formatted = try #require(FormatProperties.check(text))
        for line in formatted.split(separator: "\n") where !line.contains("\"") {
            #expect(line.count <= FormatPrinter.width, "too long: \(line)")
        }
        #expect(formatted.contains("\n    and input_number_"))
        #expect(formatted.contains("\n  \"lang tekst") && formatted.contains("\n    en \"long text"))
    }

    @Test("a file with errors is refused with its diagnostics, never formatted")
    func refusesErrors() {
        guard case .failure(let refusal) = RuleFormatter.format(SourceFile(path: "t.rules", text: "ruleset r \"R\"\ninput x money\n"))
        else {
            Issue.record("a file with errors was formatted")
            return
        }
        #expect(!refusal.diagnostics.isEmpty)
        #expect(refusal.internalProblem == nil)
    }

    @Test("an empty comment, a comment at the end and comments before the header survive")
    func commentPlaces() throws {
        let text = "#\n# head\n\nruleset r \"R\" #\n  in force from 2020-01-01\n\n\n# tail 1\n#tail 2   \n"
        let formatted = try #require(FormatProperties.check(text))
        #expect(formatted == "#\n# head\n\nruleset r \"R\"  #\n  in force from 2020-01-01\n\n# tail 1\n#tail 2\n")
    }
}
