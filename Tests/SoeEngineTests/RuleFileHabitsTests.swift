import Foundation
import SoeTestSupport
import Testing

@testable import SoeLanguage

/// Danish number habits and word-processor habits in rule files (issue 17, classes 4, 6 and 7):
/// each is an error with the real reason and the fix, from `soe check` and `soe lint` alike, and
/// the rule file is never touched.
@Suite("rule-file habits")
struct RuleFileHabitsTests {
    static let folder = "Tests/SoeEngineTests/Fixtures/broken"

    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var code: String
        /// Words the message must contain.
        var words: [String]
        var testDescription: String { "\(file): \(code)" }
    }

    static let cases: [Case] = [
        Case(file: "ambiguous_thousands", code: "E007", words: ["'1.000 kr' could mean 1000 kr", "or 1.00 kr", "write 1000 kr"]),
        Case(file: "decimal_comma", code: "E008", words: ["'1,5'", "decimal comma", "write 1.5"]),
        Case(file: "exponent", code: "E008", words: ["'1e3'", "exponent notation", "write 1000 kr"]),
        Case(file: "thousands_points", code: "E008", words: ["'1.000.000.000'", "groups thousands with points", "write 1000000000"]),
        Case(file: "money_precision", code: "E216", words: ["'12.3456 kr' has 4 decimals", "kroner and øre", "12.35 kr"]),
        Case(file: "typographic_quotes", code: "E009", words: ["typographic quotes „…“", "straight quotes: \"Omsætning\""]),
        Case(file: "typographic_close", code: "E009", words: ["typographic quote ”", "straight quote: \"Omsætning\""]),
        Case(file: "decomposed_letter", code: "E010", words: ["decomposed letter", "U+030A", "'å' (U+00E5)"]),
        Case(
            file: "look_alike_letter", code: "E012",
            words: [
                "the Cyrillic letter 'а' (U+0430), which looks like 'a' but makes another name; write 'grants'"
            ]),
        Case(file: "period_reversed", code: "E217", words: ["until 2019-01-01", "into force on 2020-01-01", "swap the dates"]),
    ]

    @Test("soe check and soe lint refuse the file with the reason and the fix, and leave it unchanged", arguments: cases)
    func endToEnd(_ testCase: Case) throws {
        let path = "\(Self.folder)/\(testCase.file).rules"
        let before = try #require(FileManager.default.contents(atPath: TestPaths.root + "/" + path))
        for command in ["check", "lint"] {
            let result = try runSoe([command, "--format", "short", path])
            #expect(result.exitCode == 3, "\(command): \(result.stdout)\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").filter { $0.hasSuffix("[\(testCase.code)]") }
            #expect(!lines.isEmpty, "\(command) did not report \(testCase.code):\n\(result.stdout)")
            #expect(
                lines.contains { line in testCase.words.allSatisfy { line.contains($0) } },
                "\(command): no \(testCase.code) line holds all of \(testCase.words):\n\(result.stdout)")
        }
        #expect(FileManager.default.contents(atPath: TestPaths.root + "/" + path) == before)
    }

    // MARK: Numbers, one token at a time

    struct NumberCase: Sendable, CustomTestStringConvertible {
        var written: String
        /// The codes reported, none for a number the language reads as written.
        var codes: [String]
        /// Words the message must contain.
        var words: [String] = []
        var testDescription: String { written }
    }

    static let numberCases: [NumberCase] = [
        NumberCase(written: "1000 kr", codes: []),
        NumberCase(written: "1_000 kr", codes: []),
        NumberCase(written: "1.50 kr", codes: []),
        NumberCase(written: "0.125", codes: [], words: []),
        NumberCase(written: "1234.500", codes: []),
        NumberCase(written: "12.5 %", codes: []),
        NumberCase(written: "1.0050 %", codes: []),
        NumberCase(written: "1.500", codes: ["E007"], words: ["could mean 1500", "or 1.5 (a decimal point)"]),
        NumberCase(written: "12.500 %", codes: ["E007"], words: ["12500 %", "12.5 %"]),
        NumberCase(written: "1.005 %", codes: ["E007"], words: ["1005 %", "1.0050 %"]),
        NumberCase(written: "1.235 kr", codes: ["E007"], words: ["1235 kr", "not a whole number of øre"]),
        NumberCase(written: "1,000", codes: ["E007"], words: ["1000 (a comma grouping thousands)", "1.0 (a Danish decimal comma)"]),
        NumberCase(written: "1,5", codes: ["E008"], words: ["decimal comma", "write 1.5"]),
        NumberCase(written: "1.234,50 kr", codes: ["E008"], words: ["the Danish way", "write 1234.5"]),
        NumberCase(written: "1,234,567", codes: ["E008"], words: ["groups thousands with commas", "write 1234567"]),
        NumberCase(written: "1.000.000", codes: ["E008"], words: ["write 1000000"]),
        NumberCase(written: "2.5e3", codes: ["E008"], words: ["write 2500"]),
        NumberCase(written: "1E-3", codes: ["E008"], words: ["write 0.001"]),
        NumberCase(written: "1e999", codes: ["E008"], words: ["beyond the exact range"]),
        NumberCase(written: "1,2,3", codes: ["E004"], words: ["is not a number"]),
    ]

    @Test("a number is read as written, or refused with its readings", arguments: numberCases)
    func number(_ testCase: NumberCase) {
        let result = Lexer.tokenize(SourceFile(path: "n.rules", text: "x = \(testCase.written)\n"))
        #expect(result.diagnostics.map(\.code) == testCase.codes)
        let message = result.diagnostics.first?.message ?? ""
        for word in testCase.words { #expect(message.contains(word), "'\(word)' not in \(message)") }
        // One token for the number, however it is written: one mistake, one message.
        #expect(result.tokens.filter { $0.kind == .number }.count == 1)
    }

    @Test("a comma with a space after it still separates two values")
    func listComma() {
        let (_, diagnostics) = checkRules(
            """
            ruleset t "T"
            input a: count
            value v = min(1, 5, a)
            classify
              otherwise o "O"
            """)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.message))")
    }

    @Test("in force from and until on the same day is one day, and allowed")
    func oneDayPeriod() {
        let (ruleSet, diagnostics) = checkRules(
            """
            ruleset t "T"
              in force from 2020-01-01 until 2020-01-01
            classify
              otherwise o "O"
            """)
        #expect(ruleSet != nil, "\(diagnostics.map(\.message))")
    }

    @Test("a letter with a mark that has no composed form is a name as written")
    func markWithoutComposedForm() {
        // q with a combining ring has no precomposed letter, so there is nothing to suggest.
        let result = Lexer.tokenize(SourceFile(path: "n.rules", text: "q\u{030A}x = 1\n"))
        #expect(result.diagnostics.isEmpty)
        #expect(result.tokens.first?.kind == .word)
        #expect(result.tokens.first.map { $0.range.count } == 4)
    }

    @Test(
        "Danish keywords where a clause or a formula's keyword belongs: one error at the Danish word, with the English one as a fix-it",
        arguments: [
            ("  large \"Stor\" when ikke big reason \"r\"", "ikke", "not"),
            ("  ellers small \"Lille\" reason \"r\"", "ellers", "otherwise"),
            ("  large \"Stor\" when big begrundelse \"r\"", "begrundelse", "reason"),
            ("  large \"Stor\" when big reason \"r\" tone ugunstig", "ugunstig", "unfavourable"),
            ("  large \"Stor\" when big reason \"r\" tone gunstig", "gunstig", "favourable"),
            ("  in force from 2015-01-01 til 2030-12-31", "til", "until"),
        ])
    func danishKeywords(line: String, word: String, english: String) {
        let base = """
            ruleset t "T" en "T"
              source "s"
              in force from 2015-01-01
            input sales: money "Salg"
            criterion big "Stor" cite "c" = sales > 1000 kr
            classify
              large "Stor" when big reason "r"
              otherwise small "Lille" reason "r"
            """
        var lines = base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if english == "otherwise" { lines[7] = line } else if english == "until" { lines[2] = line } else { lines[6] = line }
        let (_, diagnostics) = checkRules(lines.joined(separator: "\n"))
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(errors.map(\.message))")
        #expect(errors.first?.message == "'\(word)' is Danish; rule files write their keywords in English: write '\(english)'")
        #expect(errors.first?.fixIts.first?.replacement == english)
        if let span = errors.first?.span {
            #expect(String(decoding: span.file.bytes[span.range], as: UTF8.self) == word)
        }
    }

    @Test("hvis … så … ellers in a value, lov before a citation and fra before a date are named as Danish")
    func danishInDeclarations() {
        let (_, value) = checkRules(
            """
            ruleset t "T"
              in force from 2015-01-01
            input total: money "Total"
            input share: percent "Andel"
            value s "S" = hvis total = 0 kr så 0 % ellers share
            classify
              otherwise o "O"
            """)
        #expect(
            value.first?.message == "'hvis' is Danish; rule files write their keywords in English: write 'if'", "\(value.map(\.message))")
        let (_, clause) = checkRules(
            """
            ruleset t "T"
              in force from 2015-01-01
            parameter cap: percent "Grænse"
              lov "Lov nr. 711 af 25. juni 2014, § 5"
              = 50 % fra 2015-01-01
            classify
              otherwise o "O"
            """)
        let messages = clause.filter { $0.severity == .error }.map(\.message)
        #expect(messages.contains("'lov' is Danish; rule files write their keywords in English: write 'law'"), "\(messages)")
        #expect(messages.contains("'fra' is Danish; rule files write their keywords in English: write 'from'"), "\(messages)")
    }

    @Test("når, alle af, // and kr. are each one error with its fix, and nothing follows from them")
    func habitsOfOtherTools() {
        func errors(_ body: String) -> [Diagnostic] {
            checkRules(
                """
                ruleset t "T"
                  in force from 2015-01-01
                input a: money "A"
                input b: yes/no "B"
                criterion c "C" = b
                criterion d "D" = a > 5 kr
                \(body)
                """
            ).1.filter { $0.severity == .error }
        }
        let cases: [(String, String, String)] = [
            (
                "classify\n  big \"Stor\" når a > 10 kr\n  otherwise small \"Lille\"",
                "'når' is Danish; rule files write their keywords in English: write 'when'", "when"
            ),
            (
                "classify\n  big \"Stor\" when alle af c, d\n  otherwise small \"Lille\"",
                "'alle af' is Danish; rule files write their keywords in English: write 'all of'", "all of"
            ),
            (
                "criterion e \"E\" = ingen af c, d\nclassify\n  big \"Stor\" when e\n  otherwise small \"Lille\"",
                "'ingen af' is Danish; rule files write their keywords in English: write 'none of'", "none of"
            ),
            (
                "// the outcomes\nclassify\n  big \"Stor\" when a > 10 kr // a note\n  otherwise small \"Lille\"",
                "'//' starts no comment in a rule file; a comment starts with '#'", "#"
            ),
            (
                "classify\n  big \"Stor\" when a > 100000 kr.\n  otherwise small \"Lille\"",
                "unexpected character '.' after 'kr'; the unit is written 'kr', without a point: delete it", ""
            ),
        ]
        for (body, message, replacement) in cases {
            let found = errors(body)
            #expect(!found.isEmpty && found.allSatisfy { $0.message == message }, "\(body): \(found.map(\.message))")
            #expect(found.allSatisfy { $0.fixIts.map(\.replacement) == [replacement] }, "\(body)")
        }
        // `//` twice in the fourth case: two errors, one per line, and no other.
        #expect(errors(cases[3].0).count == 2)
        // An outcome named `når` on a line of its own, with its label, is still an outcome's name.
        let named = checkRules(
            """
            ruleset t "T"
              in force from 2015-01-01
            input a: money "A"
            classify
              når "Når"
                when a > 10 kr
              otherwise small "Lille"
            """
        ).1.filter { $0.severity == .error }
        #expect(named.isEmpty, "\(named.map(\.message))")
    }

    @Test("a no-break space, '.5', '1 000 000 kr' and 'from 2019-1-1' are each one error with the fix")
    func printedForms() {
        let cases: [(String, String, String)] = [
            (
                "parameter p: percent \"P\"\n  policy \"Politik\"\n  = 50\u{00A0}% from 2019-01-01",
                "a no-break space (U+00A0), which shows as a space; write an ordinary space", " "
            ),
            (
                "parameter p: percent \"P\"\n  policy \"Politik\"\n  = 50\u{202F}% from 2019-01-01",
                "a no-break space (U+202F), which shows as a space; write an ordinary space", " "
            ),
            (
                "parameter p: number \"P\"\n  policy \"Politik\"\n  = .5 from 2019-01-01", "'.5' has no digit before its point; write 0.5",
                "0.5"
            ),
            (
                "input m: money \"M\" min 1 000 000 kr",
                "'1 000 000' sets its digits apart with spaces; a rule file writes a number without them: write 1000000", "1000000"
            ),
            (
                "parameter p: percent \"P\"\n  policy \"Politik\"\n  = 50 % from 2019-1-1",
                "expected a date (YYYY-MM-DD) after 'from', found '2019-1-1'; write 2019-01-01", "2019-01-01"
            ),
        ]
        for (declaration, message, replacement) in cases {
            let found = checkRules(
                """
                ruleset t "T"
                  in force from 2015-01-01
                \(declaration)
                classify
                  otherwise o "O"
                """
            ).1.filter { $0.severity == .error }
            #expect(found.map(\.message) == [message], "\(declaration): \(found.map(\.message))")
            #expect(found.first?.fixIts.map(\.replacement) == [replacement])
        }
    }

    @Test("a zero-width space is named by its code point with a fix-it; a UTF-16 rule file is named as UTF-16")
    func invisibleAndUTF16() throws {
        let found = checkRules(
            """
            ruleset t "T"
              in force from 2015-01-01
            input a: money "A"
            classify
              big "Stor" when a >\u{200B} 10 kr
              otherwise small "Lille"
            """
        ).1.filter { $0.severity == .error }
        #expect(
            found.map(\.message) == [
                "a character that shows as nothing or as a space (U+200B), as a copy from a web page or a word processor leaves it; delete it"
            ], "\(found.map(\.message))")
        #expect(found.first?.fixIts.map(\.replacement) == [""])
        let folder = try ScratchFolder()
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "ruleset t \"T\"\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try folder.write("t.rules", utf16)
        let run = try runSoe(["check", folder.path + "/t.rules"])
        #expect(run.exitCode == 3)
        #expect(run.stdout.contains("the file is not valid UTF-8 (it is UTF-16, little-endian)"), "\(run.stdout)\(run.stderr)")
    }

    @Test("firm data where the rules go (the arguments swapped) is one error saying so, not one per line")
    func dataGivenAsRules() throws {
        for (file, what) in [
            ("samples/batch/firms.csv", "this is a CSV file (firm data), not a rule file"),
            ("samples/tabsaar.json", "this is JSON (firm data or a record), not a rule file"),
            (
                "Tests/SoeEngineTests/Fixtures/spreadsheets/xlsx-firms.xlsx",
                "this is a ZIP file (such as an .xlsx workbook), not a rule file"
            ),
        ] {
            let run = try runSoe(["evaluate", "--rules", file, "samples/tabsaar.json"])
            #expect(run.exitCode == 3, "\(file)")
            #expect(run.stderr.contains("error[E106]: \(what)"), "\(run.stderr)")
            #expect(run.stderr.contains("were the rules and the firm data given the other way round?"))
            #expect(run.stderr.contains("the rules have 1 error"), "\(file): \(run.stderr)")
        }
        // A declaration with commas in its text, its header missing, is still a rule file.
        let commas = RuleLoader.load([SourceFile(path: "c.rules", bytes: Array("input a: money \"Salg, moms, afgifter\"\n".utf8))])
        #expect(
            commas.diagnostics.contains { $0.message.hasPrefix("a rule file starts with 'ruleset NAME") },
            "\(commas.diagnostics.map(\.message))")
        // A rule file whose header is missing is not data: the parser's own errors.
        let (_, found) = Parser.parse(SourceFile(path: "t.rules", bytes: Array("input a: money \"A\"\n".utf8)))
        let loaded = RuleLoader.load([SourceFile(path: "t.rules", bytes: Array("input a: money \"A\"\n".utf8))])
        #expect(loaded.diagnostics.map(\.message) == found.map(\.message))
        #expect(loaded.diagnostics.contains { $0.message.hasPrefix("a rule file starts with 'ruleset NAME") })
    }

    @Test("a file in a rules folder that looks meant as a rule file but is not read is named, with the name to give it")
    func nearRuleFiles() throws {
        let folder = try ScratchFolder()
        let rules = try String(contentsOfFile: "rules/anden_aktoer.rules", encoding: .utf8)
        _ = try folder.write("anden_aktoer.rules", rules)
        _ = try folder.write("rsv.rule", rules)
        _ = try folder.write("kommune.rules.txt", rules)
        _ = try folder.write(".skjult.rules", rules)
        _ = try folder.write("anden_aktoer.rules~", rules)
        let run = try runSoe(["check", folder.path])
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stderr.contains("/rsv.rule is not read: rule files end in .rules; rename it to rsv.rules to use it"), "\(run.stderr)")
        #expect(run.stderr.contains("/kommune.rules.txt is not read: rule files end in .rules; rename it to kommune.rules to use it"))
        #expect(run.stderr.contains("/.skjult.rules is not read: its name starts with '.', which hides it"))
        // An editor's backup is not meant as a rule file: no note.
        #expect(!run.stderr.contains("rules~"))
        for command in ["lint", "fmt"] {
            let other = try runSoe(command == "fmt" ? ["fmt", "--check", folder.path] : ["lint", folder.path])
            #expect(other.stderr.contains("soe \(command): note: \(folder.path)/rsv.rule is not read"), "\(command): \(other.stderr)")
        }
        let danish = try runSoe(["evaluate", "--lang", "da", "--rules", folder.path, "samples/tabsaar.json"])
        #expect(danish.stderr.contains("/rsv.rule læses ikke: regelfiler ender på .rules; omdøb den til rsv.rules for at bruge den"))
        // A folder with no rule file but a near one: the error names it.
        let near = try ScratchFolder()
        _ = try near.write("rsv.rule", rules)
        let none = try runSoe(["check", near.path])
        #expect(none.exitCode == 5)
        #expect(none.stderr.contains("no .rules files in the folder"))
        #expect(none.stderr.contains("rename it to rsv.rules to use it"))
    }

    @Test("a value given a type, as an input or a parameter is, is one error with the fix-it, not 'no formula' and 'unexpected ':''")
    func valueWithType() {
        let text =
            "ruleset t \"T\"\n  in force from 2015-01-01\ninput a: money \"A\"\nvalue limit: money = 2 * a\nclassify\n  high \"Høj\" when a > limit\n  otherwise low \"Lav\"\n"
        let loaded = RuleLoader.load([SourceFile(path: "t.rules", bytes: Array(text.utf8))])
        let errors = loaded.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.message) == ["a value takes no type (': money'): its type is its formula's; write 'value limit = …'"])
        #expect(errors.first?.code == "E107")
        #expect(errors.first?.fixIts.map(\.replacement) == [""])
        // With the fix-it applied the file checks.
        let fixed = text.replacingOccurrences(of: "value limit: money", with: "value limit")
        #expect(!RuleLoader.load([SourceFile(path: "t.rules", bytes: Array(fixed.utf8))]).hasErrors)
    }

    @Test("look-alike letters of every kind are named with the Latin spelling: mathematical, phonetic, full-width, Greek")
    func lookAlikeKinds() {
        for (word, meant, kind) in [
            ("m\u{1D68A}rket_sales", "market_sales", "the mathematical letter '\u{1D68A}' (U+1D68A)"),
            ("\u{1D400}\u{1D7CF}", "A1", "the mathematical letter"),
            ("m\u{0251}rket", "market", "the phonetic letter 'ɑ' (U+0251)"),
            ("\u{FF47}rants", "grants", "the full-width letter 'ｇ' (U+FF47)"),
            ("pr\u{03BF}fit", "profit", "the Greek letter 'ο' (U+03BF)"),
        ] {
            let found = Lexer.lookAlike(word)
            #expect(found?.0 == meant, "\(word)")
            #expect(found?.1.english.hasPrefix(kind) == true, "\(word): \(String(describing: found?.1.english))")
        }
        // Danish letters and the ASCII name are no look-alikes.
        #expect(Lexer.lookAlike("årsresultat_æøå") == nil)
        #expect(Lexer.lookAlike("market_sales") == nil)
    }

    @Test("an override that changes a parameter's or an input's type is an error at the override, not in the base's file")
    func overrideChangesType() {
        let base = """
            ruleset base "Base"
              in force from 2015-01-01
            input share: percent "Andel"
            parameter share_min: percent
              policy "p"
              = 20 % from 2015-01-01
            classify
              high "Høj" when share >= share_min
              otherwise low "Lav"

            """
        for (declaration, was) in [
            ("override parameter share_min: count\n  policy \"p\"\n  = 2 from 2025-01-01", "percent"),
            ("override input share: money \"Andel\"", "percent"),
        ] {
            let derived = "ruleset derived \"Afledt\"\n  builds on base\n  in force from 2025-01-01\n\n\(declaration)\n"
            let loaded = RuleLoader.load([
                SourceFile(path: "base.rules", text: base), SourceFile(path: "derived.rules", text: derived),
            ])
            let errors = loaded.diagnostics.filter { $0.severity == .error }
            #expect(errors.count == 1, "\(errors.map(\.message))")
            #expect(errors.first?.code == "E305")
            #expect(errors.first?.span?.file.path == "derived.rules")
            #expect(errors.first?.message.contains("is \(was) in the rule set this one builds on, and an override keeps its type") == true)
        }
        // The same type, or none, is no change.
        let same =
            "ruleset derived \"Afledt\"\n  builds on base\n  in force from 2025-01-01\n\noverride parameter share_min: percent\n  policy \"p\"\n  = 25 % from 2025-01-01\n"
        #expect(!RuleLoader.load([SourceFile(path: "base.rules", text: base), SourceFile(path: "derived.rules", text: same)]).hasErrors)
    }

    @Test("a decimal comma below one, with no unit, names the percent's two readings beside the fix")
    func decimalCommaPercent() {
        let found = Lexer.tokenize(SourceFile(path: "p.rules", text: "= 0,25 from 2015-01-01\n")).diagnostics
        #expect(found.first?.code == "E008")
        #expect(found.first?.notes.contains { $0.message == "if it is a percent, write 25 % for the fraction 0.25, or 0.25 %" } == true)
        // With a unit written, or at one and above, no such note.
        let unit = Lexer.tokenize(SourceFile(path: "p.rules", text: "= 0,25 %\n")).diagnostics
        #expect(unit.first?.notes.contains { $0.message.hasPrefix("if it is a percent") } == false)
        let large = Lexer.tokenize(SourceFile(path: "p.rules", text: "= 1,5\n")).diagnostics
        #expect(large.first?.notes.contains { $0.message.hasPrefix("if it is a percent") } == false)
    }
}
