import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The straight store's usual cells read by one word (issue 16, docs/benchmark.md "Steps of wave 3,
/// session 13: reading the row"): a count's digits (`NumberPlan.wordDigits`), money's digits, mark
/// and two decimals (`wordMoney`), a percent's points (`wordPoints`) and a yes/no word
/// (`BatchCellReader.yesNoWord`), each for the
/// readings whose `CSVRowBinder.CellShape` says so. Each must give exactly the value the reading's
/// plan (or `yesNo`) gives, or decline, whatever follows the cell in memory; and take every cell of
/// its form, so that the usual cell is not left to the longer path.
@Suite("batch binding: a cell's usual form read by one word agrees with its plan")
struct CellWordTests {
    /// Cells for the word reads: the word read's cells (every digit count, every stranger at every
    /// place), the plan's hostile and edge cells, and money's form at every length with a stranger
    /// at every place.
    static func cells() -> [[UInt8]] {
        var random = SplitMix64(seed: 1414)
        var cells = BatchNumberPlanTests.wordCells(&random)
        cells += BatchNumberPlanTests.hostile.map { Array($0.utf8) }
        let strangers: [UInt8] = [0x00, 0x2F, 0x3A, 0x2E, 0x2C, 0x2D, 0x2B, 0x20, 0x25, 0x65, 0x7F, 0x80, 0x8A, 0xC6, 0xFA, 0xFF]
        for whole in 0...10 {
            for places in 0...3 {
                for mark in [UInt8(ascii: "."), UInt8(ascii: ",")] {
                    let digits = { (count: Int) in (0..<count).map { _ in UInt8(0x30 + random.next() % 10) } }
                    let plain = digits(whole) + (places > 0 ? [mark] + digits(places) : [])
                    cells.append(plain)
                    cells.append(Array(repeating: 0x30, count: whole) + (places > 0 ? [mark] + Array(repeating: 0x30, count: places) : []))
                    cells.append(Array(repeating: 0x39, count: whole) + (places > 0 ? [mark] + Array(repeating: 0x39, count: places) : []))
                    for position in plain.indices {
                        for stranger in strangers {
                            var cell = plain
                            cell[position] = stranger
                            cells.append(cell)
                        }
                    }
                }
            }
        }
        // Random counts and money of every length the word reads, and one past it.
        for _ in 0..<3000 {
            let digits = (0..<(1 + Int(random.next() % 9))).map { _ in UInt8(0x30 + random.next() % 10) }
            cells.append(digits)
            cells.append(
                digits + [random.next() % 2 == 0 ? 0x2E : 0x2C] + [UInt8(0x30 + random.next() % 10), UInt8(0x30 + random.next() % 10)])
        }
        return cells
    }

    /// The bytes that may follow a cell in a record's storage: the word reads load them and must
    /// not use them.
    static let tails: [[UInt8]] = [
        Array("12345678".utf8), Array(".55,0000".utf8), [0xFF, 0x39, 0x2E, 0x30, 0x30, 0x80, 0x00, 0x31], Array(repeating: 0, count: 8),
        Array(",,,,,,,,".utf8),
    ]

    func describe(_ value: Exact?) -> String {
        guard let value else { return "declined" }
        return "\(value.numerator)/\(value.denominator)"
    }

    @Test(
        "counts, money and points: a word read gives the plan's value, and takes every cell of its form",
        arguments: [NumberStyle.point, .danishComma])
    func numbersAgree(style: NumberStyle) {
        let cells = CellWordTests.cells()
        var (counts, moneys, points, declined, shaped) = (0, 0, 0, 0, 0)
        for reading in BatchNumberPlanTests.readings() {
            for guarded in [false, true] {
                let percents: [PercentReading?] = reading.kind == .percent ? [nil] + PercentReading.allCases.map(Optional.some) : [nil]
                for percent in percents {
                    let plan = BatchCellReader.NumberPlan(reading, style: style, percent: percent, refusingAmbiguous: guarded)
                    let shape = CSVRowBinder.CellShape(plan, isBool: false)
                    guard shape != .general else { continue }
                    shaped += 1
                    #expect(shape != .bool)
                    for (number, cell) in cells.enumerated() {
                        let bytes = cell + CellWordTests.tails[number % CellWordTests.tails.count]
                        let planned = bytes.withUnsafeBufferPointer { plan.read($0.baseAddress!, count: cell.count) }
                        let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
                        let word: Exact?
                        let ofForm: Bool
                        if shape == .points {
                            // Within bounds or not: the word reads every cell of one to eight digits, as the plan does.
                            word = bytes.withUnsafeBufferPointer { cellBytes in
                                withUnsafePointer(to: plan) {
                                    BatchCellReader.NumberPlan.wordPoints($0, cellBytes.baseAddress!, count: cell.count)
                                }
                            }
                            ofForm = (1...8).contains(cell.count) && cell.allSatisfy(isDigit) && planned != nil
                            if word != nil { points += 1 }
                        } else if shape == .count {
                            word = bytes.withUnsafeBufferPointer {
                                BatchCellReader.NumberPlan.wordDigits($0.baseAddress!, count: cell.count).map { Exact(raw: Int128($0), 1) }
                            }
                            ofForm = (1...8).contains(cell.count) && cell.allSatisfy(isDigit)
                            if word != nil { counts += 1 }
                        } else {
                            word = bytes.withUnsafeBufferPointer {
                                BatchCellReader.NumberPlan.wordMoney($0.baseAddress!, count: cell.count, mark: plan.mark).map {
                                    $0 == 0 ? Exact(raw: 0, 1) : Exact(raw: Int128($0), 100)
                                }
                            }
                            let whole = cell.count - 3
                            ofForm =
                                (1...8).contains(whole) && cell[whole] == plan.mark && cell[0..<whole].allSatisfy(isDigit)
                                && cell[(whole + 1)...].allSatisfy(isDigit)
                            if word != nil { moneys += 1 }
                        }
                        if word == nil { declined += 1 }
                        // The word's value is the plan's; a cell of the form is always read by the word.
                        if word != nil && describe(word) != describe(planned) || ofForm != (word != nil) {
                            Issue.record(
                                "\(shape) \(reading.kind) \(String(describing: reading.minimum)) \(style) guarded \(guarded) \(cell): \(describe(word)), the plan \(describe(planned)), of the form \(ofForm)"
                            )
                        }
                    }
                }
            }
        }
        #expect(
            shaped >= 8 && counts > 10_000 && moneys > 5000 && points > 10_000 && declined > 100_000,
            "\(shaped) \(counts) \(moneys) \(points) \(declined)")
    }

    @Test("yes/no: the word read answers as yesNo, whatever follows the cell")
    func yesNoAgrees() {
        var random = SplitMix64(seed: 2525)
        var cells: [[UInt8]] = ["true", "yes", "ja", "1", "false", "no", "nej", "0", "", "truex", "fals", "ja ", "nej\u{0}"].map {
            Array($0.utf8)
        }
        let alphabet = Array("truefalsyjanoi01 ".utf8) + [0x00, 0xFF, 0x80]
        for _ in 0..<20_000 {
            let length = Int(random.next() % 8)
            if random.next() % 3 == 0 {
                var word = Array(["true", "yes", "ja", "1", "false", "no", "nej", "0"][Int(random.next() % 8)].utf8)
                if random.next() % 2 == 0 { word[Int(random.next() % UInt64(word.count))] ^= UInt8(1 << (random.next() % 8)) }
                cells.append(word)
                continue
            }
            cells.append((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
        }
        var found = 0
        for (number, cell) in cells.enumerated() {
            var bytes = cell + CellWordTests.tails[number % CellWordTests.tails.count]
            // The packed word's top byte is the count: what follows must not be taken for it.
            if number % 2 == 0 { bytes[cell.count] = UInt8(cell.count) }
            let word = bytes.withUnsafeBufferPointer { BatchCellReader.yesNoWord($0.baseAddress!, count: cell.count) }
            let loop = bytes.withUnsafeBufferPointer { BatchCellReader.yesNo($0.baseAddress!, count: cell.count) }
            #expect(word == loop, "\(cell)")
            if word != nil { found += 1 }
        }
        #expect(found > 3000, "\(found)")
    }

    @Test("the shapes: a count, money with a zero or no minimum, a percent as points, yes/no; nothing else")
    func shapes() {
        for reading in BatchNumberPlanTests.readings() {
            let plan = BatchCellReader.NumberPlan(reading, style: .point, percent: nil, refusingAmbiguous: false)
            let shape = CSVRowBinder.CellShape(plan, isBool: false)
            let unbounded = reading.maximum == nil && (reading.minimum == nil || reading.minimumIsZero)
            var expected: CSVRowBinder.CellShape =
                unbounded && reading.kind == .count ? .count : (unbounded && reading.kind == .money ? .money : .general)
            // A percent read as points, whatever its bounds, when they are small enough to compare by cross multiplication.
            if reading.kind == .percent && plan.boundsAreSmall { expected = .points }
            #expect(shape == expected, "\(reading.kind) \(String(describing: reading.minimum)) \(String(describing: reading.maximum))")
        }
        let yesNo = BatchReading.Hot(column: 0, kind: .bool, minimum: nil, maximum: nil, minimumIsZero: false)
        let plan = BatchCellReader.NumberPlan(yesNo, style: .point, percent: nil, refusingAmbiguous: false)
        #expect(CSVRowBinder.CellShape(plan, isBool: true) == .bool)
    }
}
