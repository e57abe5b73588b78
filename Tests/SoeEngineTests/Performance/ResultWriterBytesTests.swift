import SoeTestSupport
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

    /// The plain row's integer writer (two digits at a time, digits counted by powers of ten)
    /// against `String(value)`: every power of ten and its neighbours, both signs, the extremes,
    /// and generated values of every length; the bytes after the number are left alone.
    @Test("writeInteger writes what String(value) spells, and nothing past it")
    func writeIntegerAsString() {
        var values: [Int] = [0, Int.max, Int.min, Int.min + 1, Int.max - 1]
        var power = 1
        for _ in 0..<19 {
            values += [power - 1, power, power + 1, -power, -(power - 1), -(power + 1)]
            power = power.multipliedReportingOverflow(by: 10).overflow ? power : power * 10
        }
        var random = SplitMix64(seed: 1204)
        for _ in 0..<20_000 {
            let digits = random.next(19) + 1
            var value = 0
            for _ in 0..<digits { value = value &* 10 &+ random.next(10) }
            values.append(random.next(2) == 0 ? value : 0 &- value)
        }
        var buffer = [UInt8](repeating: 0xEE, count: 32)
        for value in values {
            for index in buffer.indices { buffer[index] = 0xEE }
            let written = buffer.withUnsafeMutableBufferPointer { buffer in
                BatchResultWriter.writeInteger(value, at: buffer.baseAddress! + 1) - (buffer.baseAddress! + 1)
            }
            let expected = Array(String(value).utf8)
            #expect(Array(buffer[1..<(1 + written)]) == expected, "\(value)")
            #expect(buffer[0] == 0xEE && buffer[1 + written] == 0xEE, "\(value) wrote outside its digits")
        }
    }

    /// `writePlain`'s words (a text of at most 16 bytes checked and copied as one or two words)
    /// against the check and copy it replaces (`isPlainCSV`, then the bytes), for every start and
    /// length in a buffer of mostly letters with now and then a byte that needs quotes or starts a
    /// formula, and bytes beyond ASCII: the same answer, the same bytes, and nothing written past
    /// the text's 8 bytes of room.
    @Test("writePlain writes what the plainness check and a copy write, at every start and length")
    func writePlainAsChecked() {
        var random = SplitMix64(seed: 1205)
        let special = Array("\",;\n\r=+-@\t|".utf8) + [0xC3, 0xA6, 0xF0]
        var refused = 0
        for _ in 0..<300 {
            let length = 1 + random.next(40)
            let texts = (0..<length).map { _ in random.next(10) == 0 ? random.pick(special) : UInt8(ascii: "a") + UInt8(random.next(26)) }
            for separator in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")] {
                for start in 0..<length {
                    for end in start...min(length, start + 24) {
                        let span = TextSpan(start: start, end: end)
                        var target = [UInt8](repeating: 0xEE, count: 64)
                        let written: Int? = texts.withUnsafeBufferPointer { texts in
                            target.withUnsafeMutableBufferPointer { target in
                                BatchResultWriter.writePlain(texts, span, at: target.baseAddress! + 4, separator: separator)
                                    .map { $0 - (target.baseAddress! + 4) }
                            }
                        }
                        let raw = Array(texts[start..<end])
                        let plain = raw.withUnsafeBufferPointer { BatchResultWriter.isPlainCSV($0, separator: separator) }
                        #expect((written != nil) == plain, "\(raw) with separator \(separator)")
                        if let written {
                            #expect(written == raw.count)
                            #expect(Array(target[4..<(4 + written)]) == raw, "\(raw)")
                            #expect(target[0..<4].allSatisfy { $0 == 0xEE } && target[(12 + written)...].allSatisfy { $0 == 0xEE })
                        } else {
                            refused += 1
                        }
                    }
                }
            }
        }
        #expect(refused > 10_000)
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
