import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Reading a firm's data: every field checked against its declared type, every problem reported
/// with its place, and no typo allowed to turn silently into missing data.
@Suite("firm data")
struct DataReadingTests {
    static let ruleSet: RuleSet? = checkRules(
        """
        ruleset t "Test"
          in force from 2015-01-01
        input market_sales: money min 0 kr
        input profit: money
        input share: percent min 0 % max 100 %
        input staff: count max 1_000
        input active: yes/no
        input started: date
        input form: one of aps, as, forening
        input note: text
        classify
          otherwise ordinary "Ordinær"
        """
    ).0

    /// Reads a firm given as JSON and binds it to the rule set above, as `soe evaluate` does.
    static func read(_ json: String) throws -> Result<BoundInputs, DataErrors> {
        let ruleSet = try #require(ruleSet)
        switch FirmReader.read(Array(json.utf8), source: "firm.json", ruleSets: [ruleSet]) {
        case .failure(let errors): return .failure(errors)
        case .success(let read): return .success(read.inputs[0])
        }
    }

    /// The errors as `line:column: field: message`.
    static func errors(_ json: String) throws -> [String] {
        guard case .failure(let errors) = try read(json) else { return [] }
        return errors.errors.map { "\($0.line):\($0.column): \($0.field): \($0.message)" }
    }

    struct FieldCase: Sendable, CustomTestStringConvertible {
        var note: String
        var field: String
        /// The JSON value as written.
        var json: String
        /// The exact value read, or the error message.
        var expected: String
        var testDescription: String { note }
    }

    static let accepted: [FieldCase] = [
        FieldCase(note: "money as a JSON number", field: "market_sales", json: "4200000.5", expected: "4200000.5"),
        FieldCase(note: "money as text with øre", field: "market_sales", json: #""4200000.50""#, expected: "4200000.5"),
        FieldCase(note: "a loss is negative money", field: "profit", json: "-1500", expected: "-1500"),
        FieldCase(note: "money with a plus sign in text", field: "profit", json: #""+12.30""#, expected: "12.3"),
        FieldCase(note: "money with an exponent", field: "profit", json: "4.2e6", expected: "4200000"),
        FieldCase(note: "percent as percentage points", field: "share", json: "50", expected: "0.5"),
        FieldCase(note: "percent as text with a sign", field: "share", json: #""50 %""#, expected: "0.5"),
        FieldCase(note: "percent with a decimal and no space", field: "share", json: #""12.5%""#, expected: "0.125"),
        FieldCase(note: "a percent below 1 with its sign is percentage points", field: "share", json: #""0.5 %""#, expected: "0.005"),
        FieldCase(note: "a count", field: "staff", json: "12", expected: "12"),
        FieldCase(note: "yes/no as a JSON boolean", field: "active", json: "true", expected: "yes"),
        FieldCase(note: "yes/no in Danish", field: "active", json: #""nej""#, expected: "no"),
        FieldCase(note: "yes/no in English", field: "active", json: #""yes""#, expected: "yes"),
        FieldCase(note: "a date", field: "started", json: #""2024-02-29""#, expected: "2024-02-29"),
        FieldCase(note: "a choice", field: "form", json: #""forening""#, expected: "choice 2"),
        FieldCase(note: "text", field: "note", json: #""Åbent hus""#, expected: "\"Åbent hus\""),
        FieldCase(note: "null is missing, not zero", field: "market_sales", json: "null", expected: "missing"),
        FieldCase(note: "the minimum itself is allowed", field: "market_sales", json: "0", expected: "0"),
        FieldCase(note: "the maximum itself is allowed", field: "share", json: "100", expected: "1"),
    ]

    static let rejected: [FieldCase] = [
        FieldCase(
            note: "money with three decimals", field: "market_sales", json: "1.234",
            expected: "1.234 has more than two decimals; money is kroner and øre"),
        FieldCase(
            note: "money with thousands separators", field: "market_sales", json: #""4,200,000.00""#,
            expected:
                "\"4,200,000.00\" is not an amount in kroner, such as 4200000.50; write it with a decimal point and no thousands separators"
        ),
        FieldCase(
            note: "money with a Danish decimal comma", field: "market_sales", json: #""1.234,50""#,
            expected:
                "\"1.234,50\" is not an amount in kroner, such as 4200000.50; write it with a decimal point and no thousands separators"
        ),
        FieldCase(
            note: "money as a boolean", field: "market_sales", json: "true",
            expected: "expected an amount in kroner, such as 4200000.50, found true"),
        FieldCase(
            note: "percent as a word", field: "share", json: #""halvtreds""#,
            expected:
                "\"halvtreds\" is not a percent, such as 12.5 %; write it in digits with a percent sign, as 30 %"),
        FieldCase(
            note: "a percent between -1 and 1 without its sign reads two ways", field: "share", json: "0.5",
            expected:
                "0.5 could be 50 % (a fraction, as a raw spreadsheet export writes it) or 0.5 % (percentage points); "
                + "write 50 % or 0.5 %, or give --percent fraction or --percent points for the whole file"),
        FieldCase(note: "a count with a fraction", field: "staff", json: "2.5", expected: "a count is a whole number, not 2.5"),
        FieldCase(note: "a negative count", field: "staff", json: "-1", expected: "a count cannot be negative"),
        FieldCase(
            note: "yes/no that is neither", field: "active", json: #""måske""#,
            expected: "\"måske\" is not yes or no (ja/nej, sand/falsk, true/false)"),
        FieldCase(note: "yes/no as a number", field: "active", json: "1", expected: "expected yes or no (true/false), found the number 1"),
        FieldCase(
            note: "an impossible date", field: "started", json: #""2023-02-30""#,
            expected:
                "\"2023-02-30\" is not a date such as 2024-06-30, 30-06-2024 or 30.06.2024; there is no day 30 in month 2 of 2023, which has 28 days"
        ),
        FieldCase(
            note: "a choice that is not declared, with a suggestion", field: "form", json: #""apz""#,
            expected: "\"apz\" is not one of aps, as, forening; did you mean aps?"),
        FieldCase(note: "below the minimum", field: "market_sales", json: "-0.01", expected: "-0.01 kr is below the minimum 0.00 kr"),
        FieldCase(note: "above the maximum", field: "share", json: "100.5", expected: "100.5 % is above the maximum 100 %"),
        FieldCase(note: "a count above the maximum", field: "staff", json: "1001", expected: "1001 is above the maximum 1000"),
        FieldCase(
            note: "a list where a value belongs", field: "profit", json: "[1, 2]",
            expected: "an input is a single value, not a list or an object"),
    ]

    @Test("values each type accepts", arguments: accepted)
    func acceptedValues(_ testCase: FieldCase) throws {
        let ruleSet = try #require(Self.ruleSet)
        let bound = try Self.read(#"{"fiscal_year": 2024, "\#(testCase.field)": \#(testCase.json)}"#).get()
        let index = try #require(ruleSet.inputIndex(named: testCase.field))
        let shown = bound.values[index].map { EvaluatorTests.show(.known($0), ruleSet) } ?? "missing"
        #expect(shown == testCase.expected)
    }

    @Test("values each type rejects, with the reason", arguments: rejected)
    func rejectedValues(_ testCase: FieldCase) throws {
        let errors = try Self.errors(#"{"fiscal_year": 2024, "\#(testCase.field)": \#(testCase.json)}"#)
        #expect(errors == ["1:23: \(testCase.field): \(testCase.expected)"])
    }

    @Test("every bad field is reported at once, each at its own line")
    func everyBadField() throws {
        let errors = try Self.errors(
            """
            {
              "fiscal_year": 2024,
              "market_sales": "1.234,50",
              "profit": 10,
              "staff": 2.5,
              "form": "apz"
            }
            """)
        #expect(
            errors == [
                "3:3: market_sales: \"1.234,50\" is not an amount in kroner, such as 4200000.50; write it with a decimal point and no thousands separators",
                "5:3: staff: a count is a whole number, not 2.5",
                "6:3: form: \"apz\" is not one of aps, as, forening; did you mean aps?",
            ])
    }

    @Test("errors come in the order of the file, not the order the rules declare the inputs")
    func fileOrder() throws {
        let errors = try Self.errors(#"{"form": "apz", "fiscal_year": 2024, "market_sales": "1,5"}"#)
        #expect(errors.map { $0.prefix(while: { $0 != " " }) } == ["1:2:", "1:38:"])
    }

    @Test("the firm's own fields: name, CVR number and fiscal year")
    func metadata() throws {
        let firm = try FirmReader.readJSON(
            Array(#"{"name": "Café Solsiden ApS", "cvr": "13748136", "fiscal_year": 2024}"#.utf8),
            source: "f.json", knownInputs: []
        ).get()
        #expect(firm.name == "Café Solsiden ApS")
        #expect(firm.cvr == "13748136")
        #expect(firm.fiscalYear == 2024)
        #expect(firm.closingDay == Day(year: 2024, month: 12, day: 31))
        #expect(firm.fields.isEmpty)
        // A CVR number may be a JSON number too.
        #expect(try Self.errors(#"{"fiscal_year": 2024, "cvr": 13748136}"#) == [])
    }

    @Test("a firm file with a byte-order mark (UTF-8 as Notepad saves it) is read, on one line or many, its hash of the file as it is")
    func byteOrderMark() throws {
        for json in [#"{"name": "A", "cvr": "13748136", "fiscal_year": 2024}"#, "{\n  \"name\": \"A\",\n  \"fiscal_year\": 2024\n}\n"] {
            let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(json.utf8)
            let firm = try FirmReader.readJSON(bytes, source: "f.json", knownInputs: []).get()
            #expect(firm.name == "A")
            #expect(firm.sha256 == SHA256.hex(bytes))
        }
        // A field's place is the file's: the mark is a character before the brace.
        guard
            case .failure(let errors) = FirmReader.readJSON(
                [0xEF, 0xBB, 0xBF] + Array(#"{"name": "A", "fiscal_year": "x"}"#.utf8), source: "f.json", knownInputs: [])
        else {
            Issue.record("a fiscal year 'x' was read")
            return
        }
        #expect(errors.errors.first?.line == 1)
        #expect(errors.errors.first?.message.contains("fiscal year") == true, "\(errors.errors)")
    }

    struct DocumentCase: Sendable, CustomTestStringConvertible {
        var note: String
        var json: String
        var errors: [String]
        var testDescription: String { note }
    }

    static let documentCases: [DocumentCase] = [
        DocumentCase(
            note: "a CVR number whose check digit is wrong", json: #"{"fiscal_year": 2024, "cvr": "13748137"}"#,
            errors: ["1:23: cvr: 13748137 is not a valid CVR number: the check digit does not match (modulus 11)"]),
        DocumentCase(
            note: "a CVR number with seven digits", json: #"{"fiscal_year": 2024, "cvr": "1374813"}"#,
            errors: ["1:23: cvr: a CVR number has eight digits, found \"1374813\""]),
        DocumentCase(
            note: "a CVR number with a leading zero", json: #"{"fiscal_year": 2024, "cvr": "03748136"}"#,
            errors: ["1:23: cvr: a CVR number does not start with 0, found \"03748136\""]),
        DocumentCase(
            note: "a key no rule set declares, with a did-you-mean", json: #"{"fiscal_year": 2024, "market_sale": 1}"#,
            errors: ["1:23: market_sale: no rule set in use declares an input 'market_sale'; did you mean 'market_sales'?"]),
        DocumentCase(
            note: "keys starting with _ are comments, whatever their value",
            json: #"{"_comment": "Tal fra årsrapporten", "_kilde": {"side": 4}, "fiscal_year": 2024}"#, errors: []),
        DocumentCase(
            note: "a key given twice", json: #"{"fiscal_year": 2024, "profit": 1, "profit": 2}"#,
            errors: ["1:36: profit: the field appears more than once; which value is meant cannot be known"]),
        DocumentCase(
            note: "a metadata key given twice", json: #"{"fiscal_year": 2024, "fiscal_year": 2025}"#,
            errors: ["1:23: fiscal_year: the field appears more than once; which value is meant cannot be known"]),
        DocumentCase(
            note: "no fiscal year", json: #"{"name": "X", "profit": 1}"#,
            errors: ["1:1: fiscal_year: the fiscal year is missing; the rules in force depend on it"]),
        DocumentCase(
            note: "a fiscal year that is not a year", json: #"{"fiscal_year": "sidste år"}"#,
            errors: ["1:2: fiscal_year: the fiscal year is a year such as 2024, found \"sidste år\""]),
        DocumentCase(
            note: "a closing date that is not a date", json: #"{"fiscal_year_end": "2024-06-31"}"#,
            errors: [
                "1:2: fiscal_year_end: fiscal_year_end is the closing date of the fiscal year, \"YYYY-MM-DD\", found \"2024-06-31\": there is no day 31 in month 6 of 2024, which has 30 days"
            ]),
        DocumentCase(
            note: "a closing date that does not close the fiscal year",
            json: #"{"fiscal_year": 2020, "fiscal_year_end": "2024-06-30"}"#,
            errors: ["1:1: fiscal_year_end: fiscal_year_end 2024-06-30 does not close fiscal year 2020"]),
        DocumentCase(
            note: "a name that is not text", json: #"{"fiscal_year": 2024, "name": 7}"#,
            errors: ["1:23: name: the firm's name is text in quotes"]),
        DocumentCase(
            note: "a document that is not an object", json: "[1, 2]",
            errors: ["1:1: : a firm is a JSON object { \"name\": …, \"fiscal_year\": …, … }"]),
        DocumentCase(
            note: "text that is not JSON, with the place of the mistake", json: "{\n  \"fiscal_year\": 2024,\n}",
            errors: ["2:22: : not valid JSON: trailing comma in object"]),
    ]

    @Test("problems with the document as a whole", arguments: documentCases)
    func documents(_ testCase: DocumentCase) throws {
        let errors = try Self.errors(testCase.json)
        #expect(errors == testCase.errors)
    }

    @Test("a key far from every declared input is data for another rule set: a warning, not an error")
    func unusedKeyIsAWarning() throws {
        let firm = try FirmReader.readJSON(
            Array(#"{"fiscal_year": 2024, "ordinary_employees": 3}"#.utf8), source: "f.json",
            knownInputs: ["market_sales", "profit"]
        ).get()
        #expect(
            firm.warnings.map { "\($0.line):\($0.column): \($0.field): \($0.message)" } == [
                "1:23: ordinary_employees: not used by the rule sets in use (fields starting with '_' are comments)"
            ])
        #expect(firm.fields.isEmpty)
    }

    @Test("a key that is an input of a rule set loaded but not in use is named as that rule set's, even close to one in use")
    func otherRuleSetsInput() throws {
        let (ruleSet, _) = checkRules(
            "ruleset a \"A\"\n  in force from 2020-01-01\ninput market_sales: money \"Salg\"\nclassify\n  otherwise x \"X\"\n")
        let rules = try #require(ruleSet)
        let json = Array(#"{"fiscal_year": 2024, "market_sales": 1, "market_sale": 2, "dividend": 3}"#.utf8)
        let read = FirmReader.read(json, source: "f.json", ruleSets: [rules], otherInputs: ["market_sale": "b", "dividend": "b"])
        let firm = try read.get().firm
        #expect(
            firm.warnings.map { "\($0.field): \($0.message)" } == [
                "market_sale: not used by the rule sets in use (it is an input of b)",
                "dividend: not used by the rule sets in use (it is an input of b)",
            ])
        #expect(firm.warnings.first?.danish == "bruges ikke af regelsættene i brug (det er en oplysning til b)")
        // Without the other rule set, the near name is a typo: an error.
        let alone = FirmReader.read(json, source: "f.json", ruleSets: [rules])
        guard case .failure(let errors) = alone else {
            Issue.record("market_sale beside market_sales was taken as data")
            return
        }
        #expect(errors.errors.contains { $0.message.contains("did you mean 'market_sales'?") })
        // End to end: a sample firm of both rule sets with one chosen.
        let run = try runSoe(["evaluate", "--rules", "rules/", "--ruleset", "anden_aktoer", "samples/kaffekollektivet.json"])
        #expect(run.exitCode == 0)
        #expect(run.stderr.contains("legal_form: not used by the rule sets in use (it is an input of haderslev_2021)"), "\(run.stderr)")
        #expect(!run.stderr.contains("fields starting with '_' are comments"))
    }

    @Test("a cell that is not a number gets the fix for what is wrong with it, not the decimal mark's where that is not it")
    func notANumberHints() {
        func message(_ text: String, _ type: ValueType, _ style: NumberStyle = .danishComma) -> String {
            guard case .failure(let error) = CellReader.readNumeric(.text(text), type: type, style: style, percent: nil) else {
                return "read"
            }
            return error.message
        }
        #expect(
            message("1 250 000", .money).hasSuffix(
                "write the digits without spaces between them, or with points between the thousands, as 1.250.000"))
        #expect(message("1 250 000", .money, .point).hasSuffix("write the digits without spaces between them"))
        #expect(message("(15.000,00)", .money).hasSuffix("a negative number is written with a minus sign, as -1250, not in parentheses"))
        #expect(message("30 pct.", .percent).hasSuffix("write the number and a percent sign, as 30 %, with no word beside it"))
        #expect(message("ca. 12", .count).hasSuffix("write the number alone, with no word beside it"))
        #expect(message("-", .money).hasSuffix("a dash is no number: leave the cell empty where the figure is missing, or write 0"))
        #expect(message("\u{2013}", .number).hasSuffix("a dash is no number: leave the cell empty where the figure is missing, or write 0"))
        #expect(message("kr.", .money).hasSuffix("write it in digits, as 1250 kr"))
        #expect(message("tolv", .count).hasSuffix("write it in digits, as 12"))
        // A word for a figure not known: the cell is to be empty (missing data), or 0.
        for word in ["afventer", "Ukendt", "n/a", "?", "ikke oplyst", "MANGLER."] {
            for type in [ValueType.money, .percent, .count, .number] {
                #expect(
                    message(word, type).hasSuffix(
                        "for a figure not known yet, leave the cell empty (the result then names it as missing data); where there is none, write 0"
                    ),
                    "\(word) \(type)")
            }
        }
        #expect(message("afventer", .money).hasPrefix("\"afventer\" is not an amount in kroner"))
        #expect(
            message("1e5", .money, .point).hasSuffix(
                "write the number out in full, without an exponent (1e5 is 100000), as the spreadsheet shows it when the column is made wider"
            ))
        #expect(
            message("1,2E+06", .number).hasSuffix(
                "without an exponent (1e5 is 100000), as the spreadsheet shows it when the column is made wider"))
        #expect(message("1250 kroner", .money).hasSuffix("write the amount alone, or with kr after it, as 1250 kr"))
        #expect(
            message("%", .percent).hasSuffix(
                "the cell holds a mark without a number: write the number, or leave the cell empty where it is missing"))
        // The decimal mark's fix where the mark is what is wrong.
        #expect(message("1200.2.5", .money).hasSuffix("write it with a decimal comma"))
        #expect(message("12,5,1", .number, .point).hasSuffix("write it with a decimal point and no thousands separators"))
        guard case .failure(let danish) = CellReader.readNumeric(.text("(15.000,00)"), type: .money, style: .danishComma, percent: nil)
        else {
            Issue.record("(15.000,00) was read")
            return
        }
        #expect(danish.danish?.hasSuffix("et negativt tal skrives med minus, som -1250, ikke i parentes") == true)
    }

    @Test("CVR numbers: modulus 11 over the weights 2, 7, 6, 5, 4, 3, 2, 1")
    func cvrCheckDigit() {
        #expect((try? CVR.validate("13748136").get()) == "13748136")
        #expect((try? CVR.validate(" 1374 8136 ").get()) == "13748136")
        #expect((try? CVR.validate("13748137").get()) == nil)
        #expect((try? CVR.validate("1374813a").get()) == nil)
    }

    @Test("a bad field name, a bad value and a missing fiscal year are reported together, in file order")
    func unknownKeyAndBadValueTogether() throws {
        let errors = try Self.errors(#"{"fiscal_year": 2024, "market_sale": 1, "staff": 2.5}"#)
        #expect(errors.count == 2)
        #expect(errors.first?.contains("market_sale") == true)
        let withoutYear = try Self.errors(#"{"market_sale": 1, "staff": 2.5}"#)
        #expect(withoutYear.count == 3, "the missing fiscal year does not hide the field errors")
    }
}
