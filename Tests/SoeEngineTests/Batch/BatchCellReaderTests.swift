import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The batch fast path must read every cell exactly as `CellReader` does (same value, same
/// representation, same error), so that a batch can never classify a firm differently from
/// `soe evaluate firm.json`. Each case runs both readers and compares.
@Suite("batch cells: the fast path agrees with CellReader")
struct BatchCellReaderTests {
    /// Texts that cover the fast path's forms and every way out of it.
    static let texts = [
        "0", "-0", "0.00", "7", "007", "12.5", "12.50", "12.505", "-1500", "4200000.50", "1.", ".5", "-", "+5",
        "1e3", "1,5", "1.234,50", "1.234.567,50", " 12 ", "12 %", "50%", "123456789012345678", "1234567890123456789",
        "99999999999999999999", "true", "false", "yes", "no", "ja", "nej", "1", "TRUE", " ja", "aps", "APS", "forening",
        "forenig", "2024-12-31", "2024-02-30", "tekst", "−12",
        "1.5.", "--5", "-.5", "-", "5.", "00000000000000000000", "000000000000000000001", "1.2345678901234567",
        "12345678901234567.8", "0.000000000000000001", "-0.00", "1,234", "12,50", "9".padding(toLength: 19, withPad: "9", startingAt: 0),
        // The forms Danish spreadsheets write (DanishCellFormsTests has what each means).
        "4.200.000,00 kr.", "4.200.000,50\u{00A0}kr.", "kr. 1.500", "1500 DKK", "DKK 1500,25", "1500kr", "-4.200,00 kr.",
        "4\u{00A0}200\u{00A0}000,00", "4\u{202F}200\u{202F}000.50", "4.200\u{00A0}000,00", "\u{00A0}1500\u{00A0}", "12,5 %",
        "12,5\u{00A0}%", "0\u{00A0}%", "12.5\u{202F}%", "0.1", "0,1", "-0.5", "1", "-1", "1.5", "0.999", "100", "SAND", "falsk",
        "Ja", "NEJ", "30-06-2024", "30.06.2024", "1.7.2024", "06/30/2024", "3.600 kr.", "1.000\u{00A0}%",
    ]

    static func readings() -> [(String, BatchReading)] {
        let ruleSets = BatchFixtures.ruleSets()
        guard let alpha = ruleSets.first(where: { $0.name == "alpha" }), let beta = ruleSets.first(where: { $0.name == "beta" })
        else { return [] }
        var result: [(String, BatchReading)] = []
        for (index, input) in alpha.inputs.enumerated() {
            result.append((input.name, BatchReading(column: index, input: input, ruleSet: alpha)))
        }
        for (index, input) in beta.inputs.enumerated() where input.name == "note" {
            result.append((input.name, BatchReading(column: index, input: input, ruleSet: beta)))
        }
        return result
    }

    @Test(
        "every text, every input type, both number styles: the same result as CellReader",
        arguments: [NumberStyle.point, NumberStyle.danishComma])
    func agreesWithCellReader(style: NumberStyle) {
        for (name, reading) in BatchCellReaderTests.readings() {
            for text in BatchCellReaderTests.texts {
                for percent in [nil] + PercentReading.allCases.map(Optional.some) {
                    let batch = BatchCellReader.read(text, reading, style: style, percent: percent)
                    let reference = CellReader.read(
                        .text(text), as: reading.input, choices: reading.choiceSets, style: style, percent: percent)
                    #expect(describe(batch) == describe(reference), "\(name) \(style) \(String(describing: percent)) \"\(text)\"")
                }
            }
        }
    }

    @Test("a blank cell is missing for every type, where CellReader would reject some")
    func blankIsMissing() {
        for (name, reading) in BatchCellReaderTests.readings() {
            for text in ["", " ", "\t "] {
                let result = BatchCellReader.read(text, reading, style: .point)
                #expect(describe(result) == "missing", "\(name) \"\(text)\"")
            }
        }
    }

    @Test(
        "CVR numbers: eight valid digits are kept as written; anything else as CVR.validate says",
        arguments: [
            "13748136", "13748137", "03748136", "1374813", " 13748136", "1374 8136", "abcdefgh",
        ])
    func cvr(text: String) {
        #expect(describe(BatchCellReader.cvr(text)) == describe(CVR.validate(text)))
    }

    @Test("a CVR number's index is its first seven digits less 1,000,000")
    func cvrIndex() {
        #expect(BatchCellReader.cvrIndex("13748136") == 374_813)
        #expect(BatchCellReader.cvrIndex("10000000") == 0)
        #expect(BatchCellReader.cvrIndex("99999999") == 8_999_999)
        #expect(BatchCellReader.cvrIndex("1374813") == nil)
    }

    @Test(
        "fiscal years: four digits fast, other integer text as FirmReader reads it",
        arguments: [
            ("2024", 2024), ("1900", 1900), ("+2024", 2024), ("1899", nil), ("10000", nil), ("20x4", nil), ("", nil),
        ] as [(String, Int?)])
    func year(text: String, expected: Int?) {
        #expect(BatchCellReader.year(text) == expected)
    }

    /// The value with its exact representation (numerator/denominator), so a different but equal
    /// fraction would show up too.
    func describe<E>(_ result: Result<Scalar?, E>) -> String {
        switch result {
        case .success(nil): return "missing"
        case .success(.number(let value)?): return "number \(value.numerator)/\(value.denominator)"
        case .success(let value?): return "\(value)"
        case .failure(let error): return "error \(error)"
        }
    }

    func describe<E>(_ result: Result<String, E>) -> String {
        switch result {
        case .success(let value): return value
        case .failure(let error): return "error \(error)"
        }
    }
}
