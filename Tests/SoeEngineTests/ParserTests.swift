import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The parser: good files give the syntax written, broken files give every diagnostic at once,
/// each with a stable code (asserted here) and its full text (in a golden file).
@Suite("parser")
struct ParserTests {
    static let header = """
        ruleset t "Test"
          in force from 2015-01-01

        """

    /// Parses `value v = <formula>` and returns the formula's syntax.
    static func formula(_ text: String) -> (ExpressionSyntax?, [Diagnostic], SourceFile) {
        let file = SourceFile(path: "formula.rules", text: header + "value v = " + text + "\n")
        let (syntax, diagnostics) = Parser.parse(file)
        guard case .value(let value) = syntax.declarations.first else { return (nil, diagnostics, file) }
        return (value.expression, diagnostics, file)
    }

    /// A formula as a compact prefix form: `(+ a (* b c))`; `[…]` marks parentheses.
    static func shape(_ syntax: ExpressionSyntax) -> String {
        switch syntax {
        case .number(let text, let unit, _):
            switch unit {
            case .none: return text
            case .percent: return text + "%"
            case .kroner: return text + "kr"
            }
        case .boolean(let value, _): return value ? "yes" : "no"
        case .date(let date): return date.day.description
        case .text(let text, _): return "\"\(text)\""
        case .name(let name): return name.text
        case .negate(let inner, _): return "(neg \(shape(inner)))"
        case .not(let inner, _): return "(not \(shape(inner)))"
        case .binary(let op, let lhs, let rhs, _, _): return "(\(op.rawValue) \(shape(lhs)) \(shape(rhs)))"
        case .isMember(let subject, let members, let negated, _):
            return "(\(negated ? "is-not" : "is") \(shape(subject)) \(members.map(\.text).joined(separator: " ")))"
        case .ifThenElse(let condition, let then, let otherwise, _):
            return "(if \(shape(condition)) \(shape(then)) \(shape(otherwise)))"
        case .call(let name, let arguments, _): return "(\(name.text) \(arguments.map(shape).joined(separator: " ")))"
        case .quantifier(let quantifier, let items, _):
            return "(\(quantifier.rawValue)-of \(items.map(shape).joined(separator: " ")))"
        case .isKnown(let subject, let negated, _): return "(\(negated ? "missing" : "known") \(shape(subject)))"
        case .parenthesized(let inner, _): return "[\(shape(inner))]"
        case .missing: return "<missing>"
        }
    }

    // MARK: Good files

    @Test("the minimal sample parses into the declarations written, with no diagnostics")
    func minimalSample() throws {
        let path = TestPaths.samples + "/minimal/minimal.rules"
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let (syntax, diagnostics) = Parser.parse(SourceFile(path: "minimal.rules", bytes: Array(bytes)))
        #expect(diagnostics.isEmpty)
        let header = try #require(syntax.header)
        #expect(header.name.text == "minimal")
        #expect(header.title?.text == "Minimalt regelsæt" && header.title?.english == "Minimal rule set")
        #expect(header.version?.text == "1.0")
        #expect(header.source?.english == "Example for tests and documentation")
        #expect(header.inForceFrom?.day == Day(year: 2015, month: 1, day: 1))
        #expect(header.inForceUntil == nil && header.buildsOn == nil)
        #expect(syntax.comments.count == 3)

        let summary = syntax.declarations.map { declaration -> String in
            switch declaration {
            case .input(let d): "input \(d.name.text)"
            case .parameter(let d): "parameter \(d.name.text)"
            case .value(let d): "value \(d.name.text)"
            case .criterion(let d): "criterion \(d.name.text)"
            case .classify(let d):
                "classify " + d.outcomes.map { ($0.isFallback ? "otherwise " : "") + $0.name.text }.joined(separator: ", ")
            }
        }
        #expect(
            summary == [
                "input legal_form", "input market_sales", "input municipal_services", "input social_purpose",
                "parameter market_share_min", "value total_revenue", "value market_share",
                "criterion purpose", "criterion commercial",
                "classify not_eligible, social_economy, other_actor, otherwise ordinary",
            ])

        guard case .input(let legalForm) = syntax.declarations[0], case .oneOf(let members) = legalForm.type.kind else {
            Issue.record("legal_form is not a 'one of' input")
            return
        }
        #expect(members.map(\.text) == ["aps", "as", "forening", "enkeltmandsvirksomhed"])
        #expect(legalForm.description?.text == "Virksomhedsform")

        guard case .input(let sales) = syntax.declarations[1] else { return }
        #expect(sales.type.kind == .money)
        #expect(sales.minimum.map(Self.shape) == "0kr")

        guard case .parameter(let parameter) = syntax.declarations[4] else { return }
        #expect(parameter.type?.kind == .percent)
        #expect(parameter.basis?.kind == .policy)
        #expect(parameter.values.map { Self.shape($0.value) } == ["25%", "40%"])
        #expect(parameter.values.map { $0.from?.day.description } == ["2015-01-01", "2020-01-01"])
        #expect(parameter.values.map { $0.until?.day.description } == ["2019-12-31", nil])

        guard case .criterion(let commercial) = syntax.declarations[8] else { return }
        #expect(commercial.cite?.text == "§ 5, stk. 1, nr. 2")
        #expect(commercial.expression.map(Self.shape) == "(>= market_share market_share_min)")

        guard case .classify(let classify) = syntax.declarations[9] else { return }
        #expect(
            classify.outcomes.map { $0.condition.map(Self.shape) ?? "-" } == [
                "(is legal_form enkeltmandsvirksomhed)", "(all-of purpose commercial)",
                "(> municipal_services market_sales)", "-",
            ])
        #expect(classify.outcomes[2].reason?.english == "Most of the revenue is employment services sold to municipalities")
    }

    struct FormulaCase: Sendable, CustomTestStringConvertible {
        var note: String
        var formula: String
        var shape: String
        var testDescription: String { note }
    }

    static let formulaCases: [FormulaCase] = [
        FormulaCase(note: "× binds tighter than +", formula: "a + b * c", shape: "(+ a (* b c))"),
        FormulaCase(note: "- is left-associative", formula: "a - b - c", shape: "(- (- a b) c)"),
        FormulaCase(note: "/ is left-associative", formula: "a / b / c", shape: "(/ (/ a b) c)"),
        FormulaCase(note: "parentheses are kept in the tree", formula: "(a + b) * c", shape: "(* [(+ a b)] c)"),
        FormulaCase(note: "unary minus binds tightest", formula: "-a * b", shape: "(* (neg a) b)"),
        FormulaCase(note: "a Unicode minus sign is a minus", formula: "a − b", shape: "(- a b)"),
        FormulaCase(note: "and binds tighter than or", formula: "a or b and not c", shape: "(or a (and b (not c)))"),
        FormulaCase(note: "not binds looser than a comparison", formula: "not a = b", shape: "(not (= a b))"),
        FormulaCase(note: "a comparison binds tighter than or", formula: "a = b or c", shape: "(or (= a b) c)"),
        FormulaCase(note: "a percent literal", formula: "share >= 12.5 %", shape: "(>= share 12.5%)"),
        FormulaCase(note: "an amount with grouped digits and ≥", formula: "sales ≥ 1_000_000 kr", shape: "(>= sales 1000000kr)"),
        FormulaCase(note: "<> and ≠ are not-equal", formula: "a <> b and c ≠ d", shape: "(and (!= a b) (!= c d))"),
        FormulaCase(note: "is NAME tests a choice", formula: "form is aps", shape: "(is form aps)"),
        FormulaCase(note: "a choice may be called as or is", formula: "form is as or form is is", shape: "(or (is form as) (is form is))"),
        FormulaCase(
            note: "is not one of lists choices", formula: "form is not one of aps, as, is",
            shape: "(is-not form aps as is)"),
        FormulaCase(note: "is missing is a negated is known", formula: "x is missing", shape: "(missing x)"),
        FormulaCase(note: "is not known is the same test", formula: "x is not known", shape: "(missing x)"),
        FormulaCase(note: "is known", formula: "x is known", shape: "(known x)"),
        FormulaCase(
            note: "if-then-else", formula: "if total = 0 kr then 0 % else a / total",
            shape: "(if (= total 0kr) 0% (/ a total))"),
        FormulaCase(
            note: "min and max take any number of arguments", formula: "max(0 kr, min(a, b, c))",
            shape: "(max 0kr (min a b c))"),
        FormulaCase(note: "min without a parenthesis is a name", formula: "min + 1", shape: "(+ min 1)"),
        FormulaCase(note: "all of a list of conditions", formula: "all of p, q, not r", shape: "(all-of p q (not r))"),
        FormulaCase(note: "none of", formula: "none of p, q", shape: "(none-of p q)"),
        FormulaCase(
            note: "dates, texts and yes/no literals", formula: "d = 2024-12-31 and t = \"x\" and yes and false",
            shape: "(and (and (and (= d 2024-12-31) (= t \"x\")) yes) no)"),
        FormulaCase(note: "a formula may be wrapped on indented lines", formula: "a +\n    b *\n    c", shape: "(+ a (* b c))"),
    ]

    @Test("formulas parse with the documented precedence", arguments: formulaCases)
    func formulas(_ testCase: FormulaCase) {
        let (syntax, diagnostics, file) = Self.formula(testCase.formula)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(DiagnosticRenderer.oneLine))")
        #expect(syntax.map(Self.shape) == testCase.shape)
        // The formula's range covers exactly what was written.
        #expect(syntax.map { file.text($0.range) } == testCase.formula)
    }

    @Test("the operator of a binary formula has its own range, for the caret under it")
    func operatorRange() throws {
        let (syntax, _, file) = Self.formula("sales * profit")
        guard case .binary(.multiply, _, _, let operatorRange, _) = try #require(syntax) else {
            Issue.record("not a product")
            return
        }
        #expect(file.text(operatorRange) == "*")
    }

    @Test("a formula nested past the limit is one diagnostic, not a stack overflow")
    func nestingLimit() {
        let deep = String(repeating: "(", count: 5_000) + "a" + String(repeating: ")", count: 5_000)
        let (syntax, diagnostics, _) = Self.formula(deep)
        #expect(diagnostics.map(\.code) == ["E401"])
        #expect(
            diagnostics.first?.message.hasPrefix(
                "formula nested more than 200 levels deep (a pair of parentheses counts 3, so at most 65 pairs nest") == true)
        #expect(syntax != nil)
        // The number of pairs the message gives is the number that nests: 65 pass, 66 do not.
        func nested(_ pairs: Int) -> String { String(repeating: "(", count: pairs) + "a" + String(repeating: ")", count: pairs) }
        #expect(Self.formula(nested(Parser.maxParentheses)).1.isEmpty)
        #expect(Self.formula(nested(Parser.maxParentheses + 1)).1.map(\.code) == ["E401"])
        // A flat chain counts a level per operator, which the message says: 201 terms are past it.
        let chain = (1...201).map { _ in "a" }.joined(separator: " + ")
        #expect(Self.formula(chain).1.map(\.code) == ["E401"])
        #expect(Self.formula((1...150).map { _ in "a" }.joined(separator: " + ")).1.isEmpty)
    }

    @Test("builds on and override are read from the header and the declarations")
    func buildsOnAndOverride() throws {
        let text = """
            ruleset haderslev "Haderslev" builds on rsv_2014
              in force from 2021-01-01 until 2023-12-31
            override parameter dividend_cap = 50 % from 2021-01-01
            override classify
              otherwise ordinary "Ordinær"
            """
        let (syntax, diagnostics) = Parser.parse(SourceFile(path: "h.rules", text: text))
        #expect(diagnostics.isEmpty)
        #expect(syntax.header?.buildsOn?.text == "rsv_2014")
        #expect(syntax.header?.inForceUntil?.day == Day(year: 2023, month: 12, day: 31))
        guard case .parameter(let parameter) = syntax.declarations.first, case .classify(let classify) = syntax.declarations.last else {
            Issue.record("expected an overridden parameter and classify")
            return
        }
        #expect(parameter.isOverride && parameter.type == nil && parameter.values.count == 1)
        #expect(classify.isOverride)
    }

    // MARK: Did you mean

    struct SuggestionCase: Sendable, CustomTestStringConvertible {
        var note: String
        var word: String
        var candidates: [String]
        var expected: String?
        var testDescription: String { note }
    }

    static let suggestionCases: [SuggestionCase] = [
        SuggestionCase(note: "one letter off", word: "imput", candidates: ["input", "value"], expected: "input"),
        SuggestionCase(note: "two letters swapped count as one edit", word: "inptu", candidates: ["input", "value"], expected: "input"),
        SuggestionCase(note: "case does not matter", word: "Market_Sale", candidates: ["market_sales"], expected: "market_sales"),
        SuggestionCase(note: "too far to be a typo", word: "grants", candidates: ["market_sales"], expected: nil),
        SuggestionCase(
            note: "a tie goes to the first in alphabetical order", word: "sales_c",
            candidates: ["sales_b", "sales_a"], expected: "sales_a"),
        SuggestionCase(
            note: "the nearer word wins over alphabetical order", word: "cap_bx",
            candidates: ["cap_a", "cap_b"], expected: "cap_b"),
        SuggestionCase(note: "the word itself is never suggested", word: "aps", candidates: ["aps"], expected: nil),
    ]

    @Test("did-you-mean suggestions", arguments: suggestionCases)
    func suggestions(_ testCase: SuggestionCase) {
        #expect(closestWord(to: testCase.word, in: testCase.candidates) == testCase.expected)
        #expect(closestWord(to: testCase.word, in: testCase.candidates.reversed()) == testCase.expected)
    }

    // MARK: Broken files

    struct BrokenCase: Sendable, CustomTestStringConvertible {
        var name: String
        var codes: [String]
        var note: String
        var testDescription: String { "\(name): \(note)" }
    }

    /// Every file in `Fixtures/broken`, with the codes it must report in order of place. The codes
    /// are asserted here as well as in the golden file, so a careless re-record cannot accept a
    /// wrong one.
    static let brokenCases: [BrokenCase] = [
        BrokenCase(name: "missing_header", codes: ["E106"], note: "the file starts with an input, not 'ruleset'"),
        BrokenCase(name: "empty", codes: ["E112"], note: "an empty file"),
        BrokenCase(name: "unknown_keyword", codes: ["E101"], note: "'inptu' at the margin, with did-you-mean 'input'"),
        BrokenCase(name: "missing_colon", codes: ["E103"], note: "'input x money' lacks ':', with a fix-it"),
        BrokenCase(name: "unknown_type", codes: ["E110"], note: "'mony' is not a type; did you mean 'money'"),
        BrokenCase(name: "unterminated_string", codes: ["E003"], note: "a text in quotes that runs to the line end"),
        BrokenCase(name: "unbalanced_parentheses", codes: ["E103"], note: "a '(' never closed, with a note at the '('"),
        BrokenCase(name: "chained_comparison", codes: ["E109"], note: "'0 % <= x < 50 %'"),
        BrokenCase(name: "missing_fallback", codes: ["E111"], note: "classify without 'otherwise'"),
        BrokenCase(name: "when_on_otherwise", codes: ["E107"], note: "'otherwise' takes no 'when'"),
        BrokenCase(name: "missing_expression", codes: ["E104"], note: "'value v =' with nothing after '='"),
        BrokenCase(name: "reserved_name", codes: ["E113"], note: "an input called 'not'"),
        BrokenCase(name: "duplicate_clause", codes: ["E108"], note: "'cite' given twice"),
        BrokenCase(name: "bad_date", codes: ["E005"], note: "2023-02-30 is not a calendar date"),
        BrokenCase(name: "indented_orphan", codes: ["E101"], note: "an indented line before any declaration"),
        BrokenCase(name: "three_errors", codes: ["E110", "E104", "E111"], note: "three independent errors are all reported"),
        BrokenCase(name: "override_without_kind", codes: ["E101"], note: "'override NAME' without saying what it overrides"),
        BrokenCase(name: "invalid_utf8", codes: ["E001"], note: "a Latin-1 'æ' in a UTF-8 file"),
        BrokenCase(
            name: "unexpected_character", codes: ["E002", "E107"],
            note: "'&' for 'and': the sign, then the word left without an operator"),
        BrokenCase(name: "ambiguous_thousands", codes: ["E007"], note: "'1.000 kr': one thousand to a Dane, 1.00 kr to the language"),
        BrokenCase(name: "decimal_comma", codes: ["E008"], note: "'1,5 %' written with a decimal comma"),
        BrokenCase(name: "exponent", codes: ["E008"], note: "'1e3 kr' in exponent notation"),
        BrokenCase(name: "thousands_points", codes: ["E008"], note: "'1.000.000.000 kr' grouped with points"),
        BrokenCase(name: "typographic_quotes", codes: ["E009", "E009", "E009"], note: "“…”, „…“ and »…« pasted from a word processor"),
        BrokenCase(name: "typographic_close", codes: ["E009"], note: "a straight quote closed by a typographic ”"),
        BrokenCase(name: "decomposed_letter", codes: ["E010"], note: "'a' and a combining ring (NFD) for 'å' in a name"),
        BrokenCase(
            name: "look_alike_letter", codes: ["E012", "E012"], note: "a Cyrillic 'а' and a PDF's ligature 'ﬁ' in names that look Latin"),
        BrokenCase(name: "money_precision", codes: ["E216"], note: "'12.3456 kr' is finer than øre"),
        BrokenCase(name: "period_reversed", codes: ["E217"], note: "in force from 2020-01-01 until 2019-01-01"),
    ]

    static let brokenFolder = TestPaths.root + "/Tests/SoeEngineTests/Fixtures/broken"

    /// Loads a broken fixture as `broken/<name>.rules`, so that paths in goldens do not depend on the checkout.
    static func diagnostics(ofBroken name: String) throws -> [Diagnostic] {
        let bytes = try #require(FileManager.default.contents(atPath: "\(brokenFolder)/\(name).rules"), "no fixture \(name)")
        let result = RuleLoader.load([SourceFile(path: "broken/\(name).rules", bytes: Array(bytes))])
        #expect(result.ruleSets.isEmpty)
        return Diagnostic.sortedForOutput(result.diagnostics)
    }

    /// The golden form: each diagnostic annotated for people, then all of them in the one-line form.
    static func rendered(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { DiagnosticRenderer.annotated($0) + "\n\n" }.joined()
            + "-- one line each --\n"
            + diagnostics.map { DiagnosticRenderer.oneLine($0) + "\n" }.joined()
    }

    @Test("each broken file reports exactly its expected codes, as in its golden file", arguments: brokenCases)
    func brokenFile(_ testCase: BrokenCase) throws {
        let diagnostics = try Self.diagnostics(ofBroken: testCase.name)
        #expect(diagnostics.map(\.code) == testCase.codes)
        #expect(diagnostics.allSatisfy { $0.severity == .error && $0.span != nil })
        expectGolden(Self.rendered(diagnostics), "diagnostics/\(testCase.name).txt")
    }

    @Test("every broken fixture has a case above, and there are at least 15")
    func everyFixtureIsCovered() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.brokenFolder)
            .filter { $0.hasSuffix(".rules") }.map { String($0.dropLast(6)) }.sorted()
        #expect(files == Self.brokenCases.map(\.name).sorted())
        #expect(files.count >= 15)
    }

    @Test("the did-you-mean and fix-it details that goldens show are data, not just text")
    func fixItDetails() throws {
        let keyword = try Self.diagnostics(ofBroken: "unknown_keyword")
        #expect(keyword.first?.message.hasSuffix("did you mean 'input'?") == true)
        let colon = try #require(try Self.diagnostics(ofBroken: "missing_colon").first)
        #expect(colon.fixIts.map(\.replacement) == [":"])
        let file = try #require(colon.span?.file)
        // The fix inserts ':' right after the name.
        #expect(colon.fixIts.first.map { file.text(($0.range.lowerBound - 12)..<$0.range.lowerBound) } == "market_sales")
        let parenthesis = try #require(try Self.diagnostics(ofBroken: "unbalanced_parentheses").first)
        #expect(parenthesis.notes.map { $0.span.map { file in file.file.text(file.range) } } == ["("])
    }

    @Test("an unknown type is matched by the words other languages and spreadsheets use, else the types are listed")
    func typeSynonyms() {
        func message(_ type: String) -> String? {
            let (_, diagnostics) = checkRules(
                "ruleset r \"R\"\n  in force from 2020-01-01\ninput x: \(type) \"X\"\nclassify\n  otherwise o \"O\"\n")
            return diagnostics.first(where: { $0.code == DiagnosticCode.unknownType.rawValue })?.message
        }
        #expect(message("boolean") == "'boolean' is not a type; did you mean 'yes/no'?")
        #expect(message("Kroner") == "'Kroner' is not a type; did you mean 'money'?")
        #expect(message("integer") == "'integer' is not a type; did you mean 'count'?")
        #expect(message("procent") == "'procent' is not a type; did you mean 'percent'?")
        #expect(message("mony") == "'mony' is not a type; did you mean 'money'?")
        #expect(message("zzz") == "'zzz' is not a type; the types are money, percent, count, number, date, text, yes/no and one of …")
    }

    @Test("a date written the Danish way after from or until is given back as the language writes it, with a fix-it, and no other error")
    func danishDates() {
        func diagnostics(_ date: String) -> [Diagnostic] {
            let rules =
                "ruleset r \"R\"\n  in force from 2020-01-01\nparameter p: percent \"P\"\n  law \"Lov nr. 1\"\n  = 40 % from \(date)\nclassify\n  otherwise o \"O\"\n"
            return checkRules(rules).1.filter { $0.severity == .error }
        }
        for (written, day) in [
            ("01-01-2024", "2024-01-01"), ("1.1.2024", "2024-01-01"), ("31/12/2023", "2023-12-31"), ("1. januar 2024", "2024-01-01"),
            ("17. februar 2021", "2021-02-17"),
        ] {
            let found = diagnostics(written)
            #expect(found.count == 1, "\(written): \(found.map(\.message))")
            #expect(found.first?.message == "expected a date (YYYY-MM-DD) after 'from', found '\(written)'; write \(day)")
            #expect(found.first?.fixIts.first?.replacement == day)
        }
        // Not a date in the calendar, or not a date at all: no date offered.
        for written in ["31.02.2024", "01-01-24", "soon"] {
            let found = diagnostics(written)
            #expect(!found.isEmpty)
            #expect(!found.contains { $0.message.contains("; write 20") }, "\(written): \(found.map(\.message))")
        }
    }

    @Test("a misspelt 'when' on a line of its own and a misspelt 'otherwise' are named with the fix, not taken for outcomes")
    func misspeltOutcomeWords() {
        let rules = """
            ruleset r "R"
              in force from 2020-01-01
            input x: money "X"
            classify
              high "Høj"
                wehn x > 10 kr
              otherwse low "Lav"
            """
        let errors = checkRules(rules + "\n").1.filter { $0.severity == .error }
        #expect(
            errors.map(\.message) == [
                "unexpected 'wehn' in an outcome; did you mean 'when'?",
                "unexpected 'otherwse' before the outcome's name; did you mean 'otherwise'?",
            ])
        #expect(errors.map { $0.fixIts.first?.replacement } == ["when", "otherwise"])
        // An outcome named near 'otherwise' but followed by its label, and one named near 'when'
        // on a line of its own with its label, are outcomes.
        let named = """
            ruleset r "R"
              in force from 2020-01-01
            input x: money "X"
            classify
              otherwize "O" when x > 1 kr
              wen "W" when x > 2 kr
              otherwise rest "R"
            """
        #expect(checkRules(named + "\n").1.filter { $0.severity == .error }.isEmpty)
    }

    @Test("Danish keywords and units in a formula get the English word the language writes, with a fix-it")
    func danishKeywords() {
        func errors(_ formula: String) -> [Diagnostic] {
            let rules = """
                ruleset r "R"
                  in force from 2020-01-01
                input x: percent "X"
                input y: money "Y"
                input c: yes/no "C"
                criterion a "A"
                  cite "Notat af 1. marts 2024"
                  = \(formula)
                classify
                  h "H" when a
                  otherwise l "L"
                """
            return checkRules(rules + "\n").1.filter { $0.severity == .error }
        }
        let og = errors("x > 30 % og y < 3 kr")
        #expect(og.map(\.message) == ["'og' is Danish; rule files write their keywords and units in English: write 'and'"])
        #expect(og.first?.fixIts.first?.replacement == "and")
        #expect(errors("x > 30 procent").first?.fixIts.first?.replacement == "%")
        #expect(errors("y > 3 kroner").first?.message.hasSuffix("write 'kr'") == true)
        let ja = errors("c = ja")
        #expect(ja.map(\.message) == ["'ja' is not defined; rule files write their keywords in English: write 'yes'"])
        #expect(ja.first?.fixIts.first?.replacement == "yes")
        // An input named like a Danish word is a name like any other.
        #expect(errors("x > 30 % and y < 3 kr").isEmpty)
    }
}
