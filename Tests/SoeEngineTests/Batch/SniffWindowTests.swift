import SoeTestSupport
import Testing

@testable import SoeEngine

/// The sniff window answers the plain forms of a cell from its bytes; whatever it answers must be
/// what `DecimalMark.evidence` answers of the cell's text, and the guard must keep the same examples.
@Suite("sniff window: plain cells from their bytes, as the decimal-mark guard reads them")
struct SniffWindowTests {
    /// Cells: plain numbers of every length around the ambiguous form, and every way out of it.
    static func cell(_ random: inout SplitMix64) -> String {
        let digits = String((0..<(1 + random.next(8))).map { _ in Character(String(random.next(10))) })
        let fraction = String((0..<random.next(5)).map { _ in Character(String(random.next(10))) })
        switch random.next(12) {
        case 0: return digits
        case 1, 2, 3: return digits + "." + fraction
        case 4: return digits + "," + fraction
        case 5: return "-" + digits + "." + fraction
        case 6: return " " + digits + "." + fraction
        case 7: return digits + "." + fraction + " %"
        case 8: return "kr. " + digits + "." + fraction
        case 9: return String(digits.prefix(3)) + "." + String(digits.dropFirst(3)) + "." + fraction
        case 10: return "." + fraction
        default: return ["3.600", "0.125", "1234.567", "12.345.678", "1.234,50", "", "x", "3.6e2", "١٢٣.٤"][random.next(9)]
        }
    }

    @Test("what the bytes answer is the text's evidence; the rest goes to the text")
    func agreesWithEvidence() {
        var random = SplitMix64(seed: 64)
        var (answered, wrong) = (0, 0)
        for _ in 0..<20_000 {
            var text = Self.cell(&random)
            let quick = text.withUTF8(SniffedCell.of)
            let evidence = DecimalMark.evidence(text)
            switch quick {
            case .nothing: if evidence != nil { wrong += 1 }
            case .point: if evidence != .point { wrong += 1 }
            case .text: continue
            }
            answered += 1
        }
        #expect(wrong == 0)
        #expect(answered > 5_000)
    }

    @Test("the guard keeps the same first examples of a point and a comma")
    func sameExamples() {
        var random = SplitMix64(seed: 65)
        for _ in 0..<300 {
            let cells = (0..<random.next(30)).map { _ in Self.cell(&random) }
            var slow = DecimalMarkGuard(style: .point, dialect: "rfc4180")
            var quick = DecimalMarkGuard(style: .point, dialect: "rfc4180")
            for cell in cells {
                slow.observe(cell)
                quick.observeSniffed(cell)
            }
            #expect(slow.pointExample == quick.pointExample && slow.commaExample == quick.commaExample, "\(cells)")
        }
    }
}
