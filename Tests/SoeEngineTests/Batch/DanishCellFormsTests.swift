import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The cell forms Danish spreadsheet programs write (Excel and LibreOffice, "as shown" and raw),
/// each read by `CellReader` to one value, and by the batch reader to the same value; the forms
/// with two readings refused with both, and a refusal that names what was found and what the
/// column's type expects, with an example of that type.
@Suite("Danish spreadsheet cell forms")
struct DanishCellFormsTests {
    static let nbsp = "\u{00A0}"
    static let narrow = "\u{202F}"

    struct FormCase: Sendable, CustomTestStringConvertible {
        var input: String
        var text: String
        var style: NumberStyle
        /// The value `CellReaderTests`-style: an exact number, yes/no, a date, or "error: …" (a part of the message).
        var expected: String
        var percent: PercentReading? = nil
        var testDescription: String { "\(input) \(style) \"\(DisplayText.value(text))\"" }
    }

    static let cases: [FormCase] = [
        // Money: kr, kr. and DKK before or after; thousands points with a decimal comma; no-break spaces.
        FormCase(input: "turnover", text: "4.200.000,00 kr.", style: .danishComma, expected: "4200000"),
        FormCase(input: "turnover", text: "4.200.000,50\(nbsp)kr.", style: .danishComma, expected: "4200000.5"),
        FormCase(input: "turnover", text: "kr. 4.200.000,00", style: .danishComma, expected: "4200000"),
        FormCase(input: "turnover", text: "kr 1.500", style: .danishComma, expected: "1500"),
        FormCase(input: "turnover", text: "1500 DKK", style: .danishComma, expected: "1500"),
        FormCase(input: "turnover", text: "DKK 1500,25", style: .danishComma, expected: "1500.25"),
        FormCase(input: "turnover", text: "1500kr", style: .danishComma, expected: "1500"),
        FormCase(input: "turnover", text: "4\(nbsp)200\(nbsp)000,00", style: .danishComma, expected: "4200000"),
        FormCase(input: "turnover", text: "4\(narrow)200\(narrow)000,00\(narrow)kr.", style: .danishComma, expected: "4200000"),
        FormCase(input: "turnover", text: "4\(nbsp)200\(nbsp)000.50 DKK", style: .point, expected: "4200000.5"),
        FormCase(input: "turnover", text: "\(nbsp)1500\(nbsp)", style: .point, expected: "1500"),
        FormCase(input: "profit", text: "-4.200,00 kr.", style: .danishComma, expected: "-4200"),
        FormCase(input: "profit", text: "kr. -4.200,00", style: .danishComma, expected: "-4200"),
        // Mixed group marks, a unit on a column that is not money, a unit twice: refused.
        FormCase(input: "turnover", text: "4.200\(nbsp)000,00", style: .danishComma, expected: "error: is not an amount in kroner"),
        FormCase(input: "staff", text: "12 kr.", style: .danishComma, expected: "error: is not a whole number"),
        FormCase(input: "turnover", text: "kr. 1500 kr.", style: .danishComma, expected: "error: is not an amount in kroner"),
        FormCase(input: "turnover", text: "4.200.000,00 kr.", style: .point, expected: "error: such as 4200000.50"),
        // A count with the file's decimal mark before three digits: eight or eight thousand? Refused
        // with both readings; with the other mark (the style's thousands mark) it is eight thousand.
        FormCase(
            input: "staff", text: "8.000", style: .point,
            expected: "error: \"8.000\" could be 8000 (a point between thousands) or 8 (a decimal point); a count is a whole number"),
        FormCase(
            input: "staff", text: "8,000", style: .danishComma,
            expected: "error: \"8,000\" could be 8000 (a comma between thousands) or 8 (a decimal comma)"),
        FormCase(
            input: "staff", text: "12.500", style: .point,
            expected:
                "error: \"12.500\" with a decimal point is 12.5, not a whole number; a count is written without a mark: if 12500 is meant"),
        FormCase(input: "staff", text: "8.000", style: .danishComma, expected: "8000"),
        FormCase(input: "staff", text: "8.0", style: .point, expected: "8"),
        FormCase(input: "staff", text: "8", style: .point, expected: "8"),
        // Percent: with a sign after any space, or none.
        FormCase(input: "share", text: "12,5 %", style: .danishComma, expected: "0.125"),
        FormCase(input: "share", text: "12,5%", style: .danishComma, expected: "0.125"),
        FormCase(input: "share", text: "0\(nbsp)%", style: .danishComma, expected: "0"),
        FormCase(input: "share", text: "12,5\(narrow)%", style: .danishComma, expected: "0.125"),
        FormCase(input: "share", text: "0,5 %", style: .danishComma, expected: "0.005"),
        FormCase(input: "share", text: "35", style: .danishComma, expected: "0.35"),
        FormCase(input: "share", text: "0", style: .danishComma, expected: "0"),
        // A percent without a sign between -1 and 1: refused with both readings, unless --percent says.
        FormCase(input: "share", text: "0,1", style: .danishComma, expected: "error: 0,1 could be 10 % (a fraction"),
        FormCase(input: "share", text: "0.1", style: .point, expected: "error: 0.1 could be 10 % (a fraction"),
        FormCase(input: "share", text: "1", style: .point, expected: "error: 1 could be 100 %"),
        FormCase(input: "share", text: "0,1", style: .danishComma, expected: "0.1", percent: .fraction),
        FormCase(input: "share", text: "1", style: .danishComma, expected: "1", percent: .fraction),
        FormCase(input: "share", text: "0,1", style: .danishComma, expected: "0.001", percent: .points),
        FormCase(input: "share", text: "0,1 %", style: .danishComma, expected: "0.001", percent: .fraction),
        // Under --percent fraction a value beyond ±1 is no fraction: refused with both readings.
        FormCase(
            input: "share", text: "35", style: .danishComma,
            expected: "error: 35 read as a fraction (--percent fraction) is 3500 %, beyond the -1 to 1 of a fraction; if 35 % is meant",
            percent: .fraction),
        FormCase(
            input: "share", text: "3,6", style: .danishComma,
            expected: "error: 3,6 read as a fraction (--percent fraction) is 360 %, beyond", percent: .fraction),
        FormCase(input: "share", text: "-1,5", style: .danishComma, expected: "error: -1,5 read as a fraction", percent: .fraction),
        FormCase(input: "share", text: "-1", style: .danishComma, expected: "error: -100 % is below the minimum 0 %", percent: .fraction),
        FormCase(input: "share", text: "3,6 %", style: .danishComma, expected: "0.036", percent: .fraction),
        // A percent refused names the percent as found, with its sign, and a percent example.
        FormCase(
            input: "share", text: "ca.\(nbsp)5\(nbsp)%", style: .danishComma,
            expected: "error: \"ca.\(nbsp)5\(nbsp)%\" is not a percent, such as 12,5 %"),
        FormCase(input: "share", text: "5 kr.", style: .danishComma, expected: "error: is not a percent, such as 12,5 %"),
        // Yes/no.
        FormCase(input: "audited", text: "SAND", style: .danishComma, expected: "yes"),
        FormCase(input: "audited", text: "falsk", style: .danishComma, expected: "no"),
        FormCase(input: "audited", text: "Ja", style: .point, expected: "yes"),
        FormCase(input: "audited", text: "NEJ", style: .point, expected: "no"),
        FormCase(input: "audited", text: "TRUE", style: .point, expected: "yes"),
        FormCase(input: "audited", text: "måske", style: .point, expected: "error: is not yes or no (ja/nej, sand/falsk"),
    ]

    /// The batch fixtures' reading of an input, or the firm-data tests' (which has `profit`, money without a minimum).
    static func reading(_ name: String) -> BatchReading? {
        if let found = BatchCellReaderTests.readings().first(where: { $0.0 == name }) { return found.1 }
        guard let ruleSet = DataReadingTests.ruleSet, let index = ruleSet.inputs.firstIndex(where: { $0.name == name }) else { return nil }
        return BatchReading(column: index, input: ruleSet.inputs[index], ruleSet: ruleSet)
    }

    @Test("each form: CellReader's value or refusal, and the batch reader the same", arguments: cases)
    func form(_ testCase: FormCase) throws {
        let reading = try #require(Self.reading(testCase.input))
        let reference = CellReader.read(
            .text(testCase.text), as: reading.input, choices: reading.choiceSets, style: testCase.style, percent: testCase.percent)
        switch reference {
        case .success(.number(let value)?): #expect("\(value.exactText())" == testCase.expected)
        case .success(.bool(let value)?): #expect((value ? "yes" : "no") == testCase.expected)
        case .success(let other): Issue.record("unexpected \(String(describing: other))")
        case .failure(let error):
            #expect(testCase.expected.hasPrefix("error: "), "refused: \(error.message)")
            #expect(error.message.contains(testCase.expected.dropFirst(7)), "\(error.message)")
            #expect(error.danish != nil)
        }
        let batch = BatchCellReader.read(testCase.text, reading, style: testCase.style, percent: testCase.percent)
        #expect(describe(batch) == describe(reference))
    }

    @Test(
        "dates: ISO, and day first with - or . and a four-digit year; nothing else",
        arguments: [
            ("2024-06-30", "2024-06-30"), ("30-06-2024", "2024-06-30"), ("30.06.2024", "2024-06-30"), ("1.7.2024", "2024-07-01"),
            (" 30-06-2024\u{00A0}", "2024-06-30"), ("31-06-2024", nil), ("06/30/2024", nil), ("30-06-24", nil), ("2024.06.30", nil),
            ("30-06.2024", nil), ("", nil),
        ] as [(String, String?)])
    func dates(text: String, expected: String?) throws {
        #expect(CellForms.day(text).map { "\($0)" } == expected)
        let reading = try #require(BatchCellReaderTests.readings().first { $0.1.input.type == .date }?.1 ?? Self.dateReading())
        let reference = CellReader.read(.text(text), as: reading.input, choices: reading.choiceSets, style: .danishComma)
        if let expected {
            #expect(describe(reference) == "date \(expected)")
        } else if !text.isEmpty {
            guard case .failure(let error) = reference else {
                Issue.record("\(text) was read")
                return
            }
            #expect(error.message.contains("is not a date such as 2024-06-30, 30-06-2024 or 30.06.2024"))
        }
        #expect(describe(BatchCellReader.read(text, reading, style: .danishComma)) == describe(reference) || text.isEmpty)
    }

    /// A date input, from a rule set of its own: the batch fixtures have none.
    static func dateReading() -> BatchReading? {
        guard
            let ruleSet = checkRules(
                """
                ruleset d "D"
                  in force from 2015-01-01
                input started: date
                classify
                  otherwise ordinary "Ordinær"
                """
            ).0
        else { return nil }
        return BatchReading(column: 0, input: ruleSet.inputs[0], ruleSet: ruleSet)
    }

    @Test("1.000 and 3.600 stay ambiguous with a unit or a no-break space around them")
    func ambiguousWithUnits() {
        #expect(DecimalMark.ambiguous("3.600 kr.")?.thousands == "3600")
        #expect(DecimalMark.ambiguous("kr. -3.600")?.thousands == "-3600")
        #expect(DecimalMark.ambiguous("1.000\u{00A0}%")?.decimal == "1.0")
        #expect(DecimalMark.isAmbiguous("3.600 kr."))
        #expect(DecimalMark.isAmbiguous("3.600\u{00A0}DKK"))
        #expect(!DecimalMark.isAmbiguous("3.600,00 kr."))
        #expect(!DecimalMark.isAmbiguous("SAND"))
    }

    func describe(_ result: Result<Scalar?, CellError>) -> String {
        switch result {
        case .success(nil): return "missing"
        case .success(.number(let value)?): return "number \(value.numerator)/\(value.denominator)"
        case .success(.date(let day)?): return "date \(day)"
        case .success(let value?): return "\(value)"
        case .failure(let error): return "error \(error)"
        }
    }
}
