import Testing

@testable import SoeEngine

/// The result writers' bytes made without a String: integers digit by digit, and CSV text in one
/// pass, the same bytes as before.
@Suite("result writer: integers and CSV text straight into the buffer")
struct ResultWriterBytesTests {
    @Test(arguments: [0, 1, 9, 10, 99, 100, 2024, 123_456, -1, -10, -2024, Int.max, Int.min, 1_000_000_000_000])
    func integerAsStringWrote(_ value: Int) {
        var bytes: [UInt8] = [0x41]
        BatchResultWriter.appendInteger(value, to: &bytes)
        #expect(bytes == [0x41] + Array(String(value).utf8))
    }

    /// Each case against the slow path it replaced: quoted when needed, a formula start protected.
    @Test(arguments: [
        "F1", "Firma 1 ApS", "59903268", "", "a,b", "say \"hi\"", "two\nlines", "cr\r", "=SUM(A1)", "+45 1234", "-3", "@x",
        "\tx", "Ærø Kaffe", "semi;colon",
    ])
    func csvTextAsBefore(_ value: String) {
        for separator in [UInt8(ascii: ","), UInt8(ascii: ";")] {
            var fast: [UInt8] = []
            BatchResultWriter.appendCSVText(value, separator: separator, to: &fast)
            var expected: [UInt8] = []
            if let first = value.utf8.first, BatchResultWriter.startsFormula(first) {
                BatchResultWriter.appendCSV("'" + value, separator: separator, to: &expected, quoted: true)
            } else {
                BatchResultWriter.appendCSV(value, separator: separator, to: &expected)
            }
            #expect(fast == expected, "\(value) with separator \(separator)")
        }
    }
}
