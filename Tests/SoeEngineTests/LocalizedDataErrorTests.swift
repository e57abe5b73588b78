import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// A caseworker who runs with `--lang da` reads every data error in Danish: each message the
/// firm-data readers can produce carries a Danish text, and the command picks it.
@Suite("data errors in Danish and English")
struct LocalizedDataErrorTests {
    static let ruleSet: RuleSet? = checkRules(
        """
        ruleset t "Test"
          in force from 2015-01-01
        input sales: money min 0 kr
        input share: percent max 100 %
        input staff: count
        input active: yes/no
        input started: date
        input form: one of aps, forening
        input note: text
        input ratio: number
        classify
          otherwise ordinary "Ordinær"
        """
    ).0

    /// One bad document per kind of message; each must give errors that all have Danish texts.
    static let documents: [(String, String)] = [
        ("an amount with thousands separators", #"{"fiscal_year": 2024, "sales": "1.234,50"}"#),
        ("an amount with three decimals", #"{"fiscal_year": 2024, "sales": 1.234}"#),
        ("below the minimum", #"{"fiscal_year": 2024, "sales": -1}"#),
        ("above the maximum", #"{"fiscal_year": 2024, "share": 101}"#),
        ("a fractional count", #"{"fiscal_year": 2024, "staff": 2.5}"#),
        ("a negative count", #"{"fiscal_year": 2024, "staff": -2}"#),
        ("yes/no as text", #"{"fiscal_year": 2024, "active": "maybe"}"#),
        ("yes/no as a number", #"{"fiscal_year": 2024, "active": 1}"#),
        ("a date that is no date", #"{"fiscal_year": 2024, "started": "2023-02-30"}"#),
        ("a date as a number", #"{"fiscal_year": 2024, "started": 20230101}"#),
        ("text as a number", #"{"fiscal_year": 2024, "note": 5}"#),
        ("a choice not declared", #"{"fiscal_year": 2024, "form": "apz"}"#),
        ("a choice as a number", #"{"fiscal_year": 2024, "form": 1}"#),
        ("a number past the exact range", #"{"fiscal_year": 2024, "ratio": 1e400}"#),
        ("a CVR number with a bad check digit", #"{"fiscal_year": 2024, "cvr": "13748137"}"#),
        ("a CVR number too short", #"{"fiscal_year": 2024, "cvr": "1374813"}"#),
        ("a duplicate key", #"{"fiscal_year": 2024, "sales": 1, "sales": 2}"#),
        ("a typo in a key", #"{"fiscal_year": 2024, "sale": 1}"#),
        ("a list as a value", #"{"fiscal_year": 2024, "sales": [1]}"#),
        ("no fiscal year", #"{"sales": 1}"#),
        ("a bad fiscal year", #"{"fiscal_year": "next year"}"#),
        ("not an object", #"[1, 2]"#),
        ("not JSON", #"{"fiscal_year": 2024,"#),
    ]

    @Test("every data error has a Danish text that differs from the English one", arguments: documents.map(\.0))
    func danishText(_ note: String) throws {
        let ruleSet = try #require(Self.ruleSet)
        let json = try #require(Self.documents.first { $0.0 == note }?.1)
        guard case .failure(let errors) = FirmReader.read(Array(json.utf8), source: "f.json", ruleSets: [ruleSet]) else {
            Issue.record("\(note) was accepted")
            return
        }
        #expect(!errors.errors.isEmpty)
        for error in errors.errors {
            let danish = error.text(.danish)
            #expect(error.danish != nil, "no Danish text for: \(error.message)")
            #expect(danish != error.text(.english), "\(note): \(danish)")
        }
    }

    @Test("a Danish data error writes its numbers the Danish way, exactly; the English one as JSON does")
    func danishNumbers() throws {
        let ruleSet = try #require(Self.ruleSet)
        let cases: [(String, String, String)] = [
            (#"{"fiscal_year": 2024, "sales": -1234567.5}"#, "-1.234.567,50 kr er under minimum 0,00 kr", "-1234567.50 kr is below"),
            (#"{"fiscal_year": 2024, "share": 1012.25}"#, "1.012,25 % er over maksimum 100 %", "1012.25 % is above the maximum 100 %"),
            (#"{"fiscal_year": 2024, "staff": 1000.5}"#, "et antal er et helt tal, ikke 1.000,5", "a count is a whole number, not 1000.5"),
        ]
        for (json, danish, english) in cases {
            guard case .failure(let errors) = FirmReader.read(Array(json.utf8), source: "f.json", ruleSets: [ruleSet]) else {
                Issue.record("\(json) was accepted")
                continue
            }
            let texts = errors.errors.map { ($0.text(.danish), $0.text(.english)) }
            #expect(texts.contains { $0.0.contains(danish) }, "\(texts)")
            #expect(texts.contains { $0.1.contains(english) }, "\(texts)")
        }
        // A Danish file's `1,000` is quoted as written, with the English thousands reading offered.
        let sales = try #require(ruleSet.inputs.first { $0.name == "sales" })
        guard case .failure(let comma) = CellReader.read(.text("1,000"), as: sales, choices: [], style: .danishComma) else {
            Issue.record("1,000 was read")
            return
        }
        #expect(
            comma.message
                == "\"1,000\" has more than two decimals; money is kroner and øre; if 1000 kr is meant (a comma between thousands, as English writes), write 1000"
        )
        #expect(
            comma.danish
                == "\"1,000\" har mere end to decimaler; beløb er kroner og øre; menes 1000 kr (komma mellem tusinder, som på engelsk), så skriv 1000"
        )
        #expect(Exact(integer: -1000).danishExactText(minPlaces: 2) == "-1.000,00")
        #expect(Exact(numerator: 1, denominator: 3)?.danishExactText() == "1/3")
    }

    @Test("whole kroner written 1000,- in JSON get a fix JSON reads: 1000 or 1000.00, and the mark as written")
    func wholeKronerInJSON() throws {
        let ruleSet = try #require(Self.ruleSet)
        for (json, words) in [
            (#"{"fiscal_year": 2024, "sales": "1000,-"}"#, "',-' after whole kroner is not read: write 1000 or 1000.00"),
            (#"{"fiscal_year": 2024, "sales": "1000.-"}"#, "'.-' after whole kroner is not read: write 1000 or 1000.00"),
        ] {
            guard case .failure(let errors) = FirmReader.read(Array(json.utf8), source: "f.json", ruleSets: [ruleSet]) else {
                Issue.record("\(json) was accepted")
                continue
            }
            #expect(errors.errors.contains { $0.message.contains(words) }, "\(errors.errors.map(\.message))")
        }
    }

    @Test("a date with a two-digit year or without marks, a year and a CVR number with thousands points get the fix")
    func exportedForms() throws {
        let ruleSet = try #require(Self.ruleSet)
        for (json, words) in [
            (
                #"{"fiscal_year": 2024, "started": "30-06-24"}"#,
                "the year '24' has two digits, and its century cannot be told; write it with four: 2024-06-30 if 2024 is meant"
            ),
            (#"{"fiscal_year": 2024, "started": "31/12/24"}"#, "write it with four: 2024-12-31 if 2024 is meant"),
            (#"{"fiscal_year": 2024, "started": "20241231"}"#, "if 2024-12-31 is meant, write 2024-12-31"),
            (#"{"fiscal_year": 2024, "started": "06/30/2024"}"#, "puts the month first"),
            (#"{"fiscal_year": "2.024"}"#, "write 2024"),
            (
                #"{"fiscal_year": 2024, "cvr": "13.748.136"}"#,
                "a number format put marks between them; write 13748136, and format the column as text"
            ),
            (#"{"fiscal_year": 2024, "cvr": "1,37E+07"}"#, "the spreadsheet showed the number with an exponent and its digits are lost"),
        ] {
            guard case .failure(let errors) = FirmReader.read(Array(json.utf8), source: "f.json", ruleSets: [ruleSet]) else {
                Issue.record("\(json) was accepted")
                continue
            }
            #expect(errors.errors.contains { $0.message.contains(words) }, "\(json): \(errors.errors.map(\.message))")
            #expect(errors.errors.allSatisfy { $0.danish != nil && $0.danish != $0.message })
        }
    }

    @Test("soe evaluate --lang da prints data errors in Danish, --lang en in English")
    func commandLanguage() throws {
        let firm = #"{"fiscal_year": 2024, "cvr": "13748137"}"#
        let danish = try runSoe(["evaluate", "--rules", "rules/rsv_2014.rules", "-", "--lang", "da"], stdin: firm)
        #expect(danish.exitCode == 4)
        #expect(
            danish.stderr.contains(
                "<stdin>:1:23: error: cvr: 13748137 er ikke et gyldigt CVR-nummer: kontrolcifferet passer ikke (modulus 11)"))
        let english = try runSoe(["evaluate", "--rules", "rules/rsv_2014.rules", "-", "--lang", "en"], stdin: firm)
        #expect(english.stderr.contains("13748137 is not a valid CVR number: the check digit does not match (modulus 11)"))
    }
}
