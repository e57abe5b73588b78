import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The batch's fast paths for binding (issue 16, docs/benchmark.md "Steps of wave 3, session 5"):
/// the numbers read from a cell's bytes, the percent built without a division, and the values
/// written through a pointer to the row's storage (one rule set) or to its array of arrays (more),
/// checked against the general paths on generated values, edge values included.
@Suite("batch binding: the fast paths agree with the general ones on generated values")
struct BatchBindingFastPathTests {
    /// A number's text: up to 18 digits, up to `maxPlaces` decimals, either sign, in either style,
    /// sometimes with thousands separators (which the fast path declines) or leading zeros.
    static func numberText(_ random: inout SplitMix64, maxPlaces: Int, style: NumberStyle) -> String {
        let digits = Int(random.next() % 18) + 1
        let places = min(maxPlaces, Int(random.next() % 19), 18 - min(digits, 17))
        var whole = String(random.next() % 10 == 0 ? 0 : Int(random.next() % 9) + 1)
        for _ in 1..<max(1, digits - places) { whole.append(String(random.next() % 10)) }
        var fraction = ""
        for _ in 0..<places { fraction.append(String(random.next() % 10)) }
        let mark = style == .point ? "." : ","
        if random.next() % 8 == 0 && whole.count > 3 {
            // Thousands separators: the general path's form.
            let separator = style == .point ? "," : "."
            var grouped = ""
            for (offset, character) in whole.reversed().enumerated() {
                if offset > 0 && offset % 3 == 0 { grouped.append(separator) }
                grouped.append(character)
            }
            whole = String(grouped.reversed())
        }
        let sign = random.next() % 5 == 0 ? "-" : ""
        return sign + whole + (fraction.isEmpty ? "" : mark + fraction)
    }

    /// Edge values: zero in its forms, one øre, the most digits the fast path takes and one more,
    /// negatives, a decimal comma, thousands separators, the ambiguous `1.000`.
    static let edges = [
        "0", "-0", "0.00", "0,00", "0.01", "0,01", "-0.01", "1", "100", "100.00", "100,5", "999999999999999999",
        "-999999999999999999", "9999999999999999.99", "9999999999999999,99", "99999999999999999.9", "9999999999999999999",
        "0.000000000000000001", "0,000000000000000001", "1.000", "1,000", "1.000,50", "1,000.50", "12.345.678,90",
        "-12.500", "-12,5", "50", "50.5", "0.5", "0,5", "1.5", "101", "-1",
    ]

    /// `BatchCellReader.read` (the fast path first) against `CellReader.read` alone, value and
    /// representation, for every number kind, both styles and every percent reading.
    @Test(
        "generated and edge numbers: the fast path gives CellReader's value and representation",
        arguments: [NumberStyle.point, .danishComma])
    func numbersAgree(style: NumberStyle) {
        var random = SplitMix64(seed: style == .point ? 16 : 61)
        let readings = BatchCellReaderTests.readings().filter { $0.1.kind.isNumber }
        #expect(readings.count >= 3, "the fixtures have money, count and percent inputs")
        var fastHits = 0
        for (name, reading) in readings {
            let maxPlaces = reading.kind == .money ? 2 : (reading.kind == .count ? 0 : 18)
            var texts = BatchBindingFastPathTests.edges
            for _ in 0..<400 { texts.append(BatchBindingFastPathTests.numberText(&random, maxPlaces: maxPlaces, style: style)) }
            for text in texts {
                for percent in [nil] + PercentReading.allCases.map(Optional.some) {
                    let batch = BatchCellReader.read(text, reading, style: style, percent: percent)
                    let reference = CellReader.read(
                        .text(text), as: reading.input, choices: reading.choiceSets, style: style, percent: percent)
                    #expect(describe(batch) == describe(reference), "\(name) \(style) \(String(describing: percent)) \"\(text)\"")
                    if BatchCellReader.fast(text, reading.hot, choices: [], style: style, percent: percent) != nil { fastHits += 1 }
                }
            }
        }
        // The comparison is worth something only if the fast path took most of the cells.
        #expect(fastHits > 1000, "the fast path read \(fastHits) cells")
    }

    /// The percent fast path builds the value as the division by 100 does: the same numerator and
    /// denominator, zero included.
    @Test("a percent read fast is the number over 100 with the division's representation")
    func percentRepresentation() {
        let reading = BatchCellReaderTests.readings().first { $0.1.kind == .percent }
        #expect(reading != nil)
        guard let hot = reading?.1.hot else { return }
        for text in ["0", "1", "10", "12.5", "99.99", "100", "0.00000000000000001", "33.333333333333333"] {
            guard let parsed = BatchCellReader.decimal(text, decimalMark: UInt8(ascii: "."), maxPlaces: 18),
                let expected = parsed.dividing(Exact(integer: 100))
            else {
                Issue.record("\(text) does not parse")
                continue
            }
            let fast = BatchCellReader.fast(text, hot, choices: [], style: .point, percent: .points)
            guard case .number(let value)? = fast else {
                Issue.record("\(text) was declined")
                continue
            }
            #expect(value.numerator == expected.numerator && value.denominator == expected.denominator, "\(text)")
        }
    }

    /// A row bound for one rule set (written straight into its inputs) and for two (through the
    /// array of arrays) gives the first rule set the same results, on generated rows with edge values,
    /// blanks and bad cells among them.
    @Test("one rule set and two: the same results for the first, row by row")
    func oneAndTwoRuleSetsAgree() {
        let ruleSets = BatchFixtures.ruleSets()
        guard let alpha = ruleSets.first(where: { $0.name == "alpha" }) else {
            Issue.record("no alpha")
            return
        }
        var random = SplitMix64(seed: 1616)
        var lines = [BatchFixtures.header]
        let forms = ["aps", "forening", "enkeltmandsvirksomhed", "", "APS"]
        let flags = ["true", "false", "ja", "nej", "", "maybe"]
        func money() -> String {
            switch random.next() % 6 {
            case 0: return ""
            case 1: return BatchBindingFastPathTests.edges[Int(random.next() % UInt64(BatchBindingFastPathTests.edges.count))]
            default: return BatchBindingFastPathTests.numberText(&random, maxPlaces: 2, style: .point)
            }
        }
        for index in 0..<300 {
            let staff = random.next() % 7 == 0 ? "-3" : String(random.next() % 60)
            let share = ["0", "10", "49.99", "50", "100", "100.01", "0.5", ""][Int(random.next() % 8)]
            let fields = [
                "F\(index)", "Firma \(index)", "13748136", "2024", forms[Int(random.next() % UInt64(forms.count))],
                "\"\(money())\"", "\"\(money())\"", staff, share, flags[Int(random.next() % UInt64(flags.count))], "",
            ]
            lines.append(fields.joined(separator: ","))
        }
        let input = lines.joined(separator: "\n") + "\n"
        // Alone, alpha carries beta's `note` column through; the columns of the decision compare.
        let columns = ["row", "id", "cvr", "name", "fiscal_year", "rule_set", "status", "outcome", "criteria", "missing", "reason"]
        func decisions(_ output: String) -> [[String]] {
            BatchFixtures.rows(output).filter { BatchFixtures.field($0, "rule_set") == "alpha" }.map { row in
                columns.map { BatchFixtures.field(row, $0) }
            }
        }
        let one = decisions(BatchFixtures.run(input, ruleSets: [alpha]).output)
        let two = decisions(BatchFixtures.run(input, ruleSets: ruleSets).output)
        #expect(one.count == 300)
        #expect(one == two)
        let statuses = Set(one.map { $0[6] })
        #expect(statuses.count >= 2, "both decided and rejected rows: \(statuses)")
    }

    func describe(_ result: Result<Scalar?, CellError>) -> String {
        switch result {
        case .success(nil): return "missing"
        case .success(.number(let value)?): return "number \(value.numerator)/\(value.denominator)"
        case .success(let value?): return "\(value)"
        case .failure(let error): return "error \(error)"
        }
    }
}

/// The binder reads a number cell with `BatchCellReader.number(bytes:)` and stores its value
/// straight into the inputs it feeds (issue 16, docs/benchmark.md "Steps of wave 3, session 7").
/// Each bound value, row by row, must be `BatchCellReader.read`'s (which `BatchCellReaderTests`
/// holds to `CellReader`'s), value and representation; a cell it cannot read leaves the row rejected.
@Suite("batch binding: a number cell stored straight from its bytes")
struct BatchNumberCellTests {
    @Test("generated rows, both rule sets, both styles: every bound number is the reader's", arguments: [NumberStyle.point, .danishComma])
    func boundNumbersAreTheReaders(style: NumberStyle) throws {
        let ruleSets = BatchFixtures.ruleSets()
        let header = BatchFixtures.header.split(separator: ",").map(String.init)
        let layout = try BatchLayout.check(header: header, ruleSets: ruleSets).get()
        var binder = CSVRowBinder(layout: layout, style: style, language: .english)
        var row = BatchRow(ruleSets: ruleSets)
        var random = SplitMix64(seed: style == .point ? 707 : 770)
        let edges = BatchBindingFastPathTests.edges
        var compared = 0
        var stored = 0
        for number in 1...600 {
            var fields = ["F\(number)", "Firma \(number)", "13748136", "2024", "aps"]
            for column in 5..<header.count {
                let kind = layout.readings.first { $0.column == column }?.kind
                switch random.next() % 5 {
                case 0: fields.append(edges[Int(random.next() % UInt64(edges.count))])
                case 1: fields.append(["", " ", "x", "1e3", "12 %", "-", "7,5", "7.5"][Int(random.next() % 8)])
                default:
                    let places = kind == .money ? 2 : (kind == .count ? 0 : 3)
                    fields.append(BatchBindingFastPathTests.numberText(&random, maxPlaces: places, style: style))
                }
            }
            binder.bind(CSVRecord(fields: fields, line: number + 1, number: number), into: &row)
            for (ruleSet, map) in layout.inputReadings.enumerated() {
                // Exactly the cells the reader refuses leave an error, each naming its column: none
                // is left over from an earlier row, whichever path read the cell.
                let refused = map.filter { $0 >= 0 }.map { layout.readings[$0] }.filter { reading in
                    if case .failure = BatchCellReader.read(fields[reading.column], reading, style: style) { return true }
                    return false
                }
                #expect(row.ruleSetErrors[ruleSet].count == refused.count, "row \(number): \(row.ruleSetErrors[ruleSet])")
                for reading in refused {
                    let column = header[reading.column]
                    #expect(row.ruleSetErrors[ruleSet].contains { $0.contains(column) }, "row \(number) \(column)")
                }
                for (input, source) in map.enumerated() where source >= 0 {
                    let reading = layout.readings[source]
                    guard reading.kind.isNumber else { continue }
                    let text = fields[reading.column]
                    switch BatchCellReader.read(text, reading, style: style) {
                    case .success(let expected):
                        #expect(
                            describe(row.values[ruleSet][input]) == describe(expected),
                            "row \(number) \(reading.input.name) \"\(text)\"")
                        compared += 1
                        if expected != nil { stored += 1 }
                    case .failure:
                        #expect(row.isRejected(under: ruleSet), "row \(number) \(reading.input.name) \"\(text)\" must reject the row")
                    }
                }
            }
        }
        // Worth something only if most cells were numbers the binder stored.
        #expect(stored > 1000, "\(stored) numbers stored of \(compared) compared")
    }

    /// Numerator and denominator as written, so that a value equal but built otherwise differs.
    func describe(_ value: Scalar?) -> String {
        guard let value else { return "missing" }
        if case .number(let exact) = value { return "\(exact.numerator)/\(exact.denominator)" }
        return "\(value)"
    }
}

/// The binder reads a number cell by its reading's `BatchCellReader.NumberPlan`, decided once per
/// reading (issue 16, docs/benchmark.md "Steps of wave 3, session 8: cells"). For every cell the
/// plan must give exactly what the reading before it gave (`referenceNumber`, on `decimal(bytes:)`), value and representation,
/// and decline exactly the cells it declines; a value it gives must be the general path's
/// (`BatchCellReader.read`). Checked for every number kind, bounds of every shape, both styles,
/// every percent reading, with and without the decimal-mark guard.
@Suite("batch binding: a number cell read by its reading's plan")
struct BatchNumberPlanTests {
    /// The yes/no words as `boolean(bytes:)` compared them before `yesNo`: its reference.
    static func referenceYesNo(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        func equals(_ word: StaticString) -> Bool {
            word.utf8CodeUnitCount == bytes.count && word.withUTF8Buffer { $0.elementsEqual(bytes) }
        }
        if equals("true") || equals("yes") || equals("ja") || equals("1") { return true }
        if equals("false") || equals("no") || equals("nej") || equals("0") { return false }
        return nil
    }

    /// The number reading as it was written before the plan, on `decimal(bytes:)`: the plan's
    /// independent reference, kept here now that `number(bytes:)` is the plan.
    static func referenceNumber(
        bytes: UnsafeBufferPointer<UInt8>, _ reading: BatchReading.Hot, style: NumberStyle, percent: PercentReading?,
        refusingAmbiguous: Bool = false
    ) -> Exact? {
        let mark = style == .point ? UInt8(ascii: ".") : UInt8(ascii: ",")
        let maxPlaces = reading.kind == .money ? 2 : (reading.kind == .count ? 0 : 18)
        guard
            var value = BatchCellReader.decimal(
                bytes: bytes, decimalMark: mark, maxPlaces: maxPlaces, refusingAmbiguous: refusingAmbiguous)
        else { return nil }
        if reading.kind == .count && value.isNegative { return nil }
        // Under --percent fraction, a value beyond ±1 is no fraction: `CellReader` refuses it.
        if reading.kind == .percent && percent == .fraction && value.numerator.magnitude > value.denominator.magnitude { return nil }
        if reading.kind == .percent && percent != .fraction {
            if percent == nil && CellReader.isPossibleFraction(value) { return nil }
            value = Exact(raw: value.numerator, value.denominator &* 100)
        }
        if reading.minimumIsZero {
            if value.isNegative { return nil }
        } else if let minimum = reading.minimum, value < minimum {
            return nil
        }
        if let maximum = reading.maximum, value > maximum { return nil }
        return value
    }

    /// Hostile and edge cells beyond `BatchBindingFastPathTests.edges`: signs, marks and digits
    /// in every wrong place, the longest cells the fast path takes and the shortest it refuses,
    /// the ambiguous forms with and without a leading zero, non-ASCII digits.
    static let hostile = [
        "-", "--1", "+1", "1-", "1.", ".5", ",5", "-.5", "1..2", "1,,2", "1.2.3", "1,2,3", "1.2,3", " 1", "1 ", "1\t",
        "1e3", "12 %", "12%", "0x10", "١٢", "１２", "\u{0}", "1\u{0}", "3.600", "-3.600", "03.600", "0.600", "999.999",
        "1000.000", "3,600", "-0", "-0.00", "-0,00", "00", "000.000", "0.0", "12345678901234567.8", "1234567890123456789",
        "12345678901234567890", "123456789012345678901", "-12345678901234567.8", "99999999999999999,9", "1.0000000000000000000",
        "100", "100.00", "100.01", "1", "0.01", "0.009", "1.005", "-100", "50", "-50.5", "1000.5", "1000.51", "-5", "-5.01",
    ]

    /// Readings of every number kind with bounds of every shape: none, a zero minimum, a
    /// negative or fractional minimum, a maximum, both.
    static func readings() -> [BatchReading.Hot] {
        let bounds: [(Exact?, Exact?)] = [
            (nil, nil), (Exact.zero, nil), (Exact.zero, Exact.one), (Exact(raw: -5, 1), Exact(raw: 10005, 10)),
            (Exact(raw: 1, 100), nil), (nil, Exact(raw: 100, 1)),
            // Parts of 2^56 and more: compared by `Exact` (`readComparingExact`), a half and three
            // written large, a tiny negative minimum and a maximum near 2^60; and parts just
            // below 2^56, compared by cross multiplication.
            (Exact(raw: 1 << 57, 1 << 58), Exact(raw: 3 << 57, 1 << 57)),
            (Exact(raw: -1, 1 << 60), Exact(raw: (1 << 100) + 1, 1 << 40)),
            (Exact(raw: -((1 << 56) - 1), (1 << 56) - 1), Exact(raw: (1 << 56) - 1, (1 << 55) + 1)),
        ]
        var readings: [BatchReading.Hot] = []
        for kind in [BatchReading.Kind.money, .count, .number, .percent] {
            for (minimum, maximum) in bounds {
                readings.append(
                    BatchReading.Hot(
                        column: 0, kind: kind, minimum: minimum, maximum: maximum, minimumIsZero: minimum?.isZero == true))
            }
        }
        return readings
    }

    /// Random cells over the characters a number cell is made of, up to 22 bytes.
    static func scrambled(_ random: inout SplitMix64) -> String {
        let alphabet = Array("0123456789012345678900000.,-- %e")
        let length = Int(random.next() % 23)
        return String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }

    @Test(
        "generated, edge and hostile cells: the plan reads as number(bytes:) and the general path",
        arguments: [NumberStyle.point, .danishComma])
    func planAgrees(style: NumberStyle) {
        var random = SplitMix64(seed: style == .point ? 808 : 880)
        var texts = BatchBindingFastPathTests.edges + BatchNumberPlanTests.hostile
        for _ in 0..<300 {
            texts.append(BatchBindingFastPathTests.numberText(&random, maxPlaces: Int(random.next() % 4), style: style))
            texts.append(BatchNumberPlanTests.scrambled(&random))
        }
        var read = 0
        var declined = 0
        var generalReadings = 0
        for reading in BatchNumberPlanTests.readings() {
            let general = BatchReading.Hot.generalReading(reading)
            if general != nil { generalReadings += 1 }
            for guarded in [false, true] {
                for percent in [nil] + PercentReading.allCases.map(Optional.some) {
                    let plan = BatchCellReader.NumberPlan(reading, style: style, percent: percent, refusingAmbiguous: guarded)
                    for text in texts {
                        var bytes = Array(text.utf8)
                        // The plan reads only the cell's bytes: what follows in the record must not matter.
                        bytes.append(contentsOf: Array("7.5,".utf8))
                        let count = text.utf8.count
                        let planned = bytes.withUnsafeBufferPointer { plan.read($0.baseAddress!, count: count) }
                        let reference = bytes.withUnsafeBufferPointer {
                            BatchNumberPlanTests.referenceNumber(
                                bytes: UnsafeBufferPointer(rebasing: $0[0..<count]), reading, style: style, percent: percent,
                                refusingAmbiguous: guarded)
                        }
                        let context =
                            "\(reading.kind) \(String(describing: reading.minimum))...\(String(describing: reading.maximum)) \(style) \(String(describing: percent)) guarded \(guarded) \"\(text)\""
                        #expect(describe(planned) == describe(reference), "\(context)")
                        guard let planned else {
                            declined += 1
                            continue
                        }
                        read += 1
                        if let general {
                            let result = BatchCellReader.read(text, general, style: style, percent: percent)
                            #expect(describeResult(result) == describe(planned), "general path: \(context)")
                        }
                    }
                }
            }
        }
        // Worth something only if the plan both read and declined many cells.
        #expect(read > 5000 && declined > 5000, "\(read) read, \(declined) declined")
        // Most bound shapes can be declared, so that the general path checks most readings.
        #expect(generalReadings >= 20, "\(generalReadings) of \(BatchNumberPlanTests.readings().count) readings declared")
    }

    /// Cells of every length the word read sees (issue 16, session 9): integer parts of 1 to 22
    /// digits with 0 to 20 places, all nines (the largest that fit, 18 digits, and the first that
    /// do not), powers of ten, 2^a·5^b (trailing zeros), leading and trailing zeros, random
    /// digits, either sign; and digit cells of 1 to 21 bytes with one byte at every position
    /// replaced by a byte next to the digits, a mark, a sign, a space or a byte above ASCII (which
    /// must not be taken for a digit, nor hide the next byte). All given as bytes, so a cell need
    /// not be UTF-8.
    static func wordCells(_ random: inout SplitMix64) -> [[UInt8]] {
        var cells: [[UInt8]] = []
        func digitRuns(_ length: Int) -> [String] {
            var runs = [String(repeating: "9", count: length), "1" + String(repeating: "0", count: length - 1)]
            // 2^a·5^b with this many digits, when there is one: trailing zeros and the factors of ten apart.
            for (a, b) in [(length * 3, 0), (0, length), (length, length - 1), (length * 2, length / 2)] {
                var value: [UInt8] = [1]
                for factor in Array(repeating: 2, count: a) + Array(repeating: 5, count: b) {
                    var carry = 0
                    for index in value.indices {
                        let product = Int(value[index]) * factor + carry
                        value[index] = UInt8(product % 10)
                        carry = product / 10
                    }
                    while carry > 0 {
                        value.append(UInt8(carry % 10))
                        carry /= 10
                    }
                }
                let text = String(value.reversed().map { Character(String($0)) })
                let prefix = String(text.prefix(length))
                runs.append(prefix + String(repeating: "0", count: length - prefix.count))
            }
            for _ in 0..<3 { runs.append(String((0..<length).map { _ in Character(String(random.next() % 10)) })) }
            runs.append(String(repeating: "0", count: length))
            runs.append(String(repeating: "0", count: length - 1) + "7")
            return runs
        }
        for whole in 1...22 {
            for places in 0...20 where whole + places <= 23 {
                let wholes = digitRuns(whole)
                let fractions = places == 0 ? [""] : digitRuns(places)
                for (index, run) in wholes.enumerated() {
                    let fraction = fractions[index % fractions.count]
                    for sign in ["", "-"] {
                        for mark in [".", ","] {
                            cells.append(Array((sign + run + (places == 0 ? "" : mark + fraction)).utf8))
                        }
                    }
                }
            }
        }
        let strangers: [UInt8] = [
            0x00, 0x2F, 0x3A, 0x2E, 0x2C, 0x2D, 0x2B, 0x20, 0x25, 0x65, 0x7F, 0x80, 0x89, 0x8A, 0xC3, 0xF9, 0xFA, 0xFF,
        ]
        for length in 1...21 {
            for position in 0..<length {
                for stranger in strangers {
                    var cell = (0..<length).map { _ in UInt8(0x30 + random.next() % 10) }
                    cell[position] = stranger
                    cells.append(cell)
                    // The same with a fraction after it, and with a sign before.
                    cells.append(cell + Array(".5".utf8))
                    cells.append(Array("-".utf8) + cell)
                }
            }
        }
        return cells
    }

    @Test(
        "every digit count, trailing zeros, the largest and the first too large, a stranger at every byte: the plan reads as number(bytes:)",
        arguments: [NumberStyle.point, .danishComma])
    func wordReadAgrees(style: NumberStyle) {
        var random = SplitMix64(seed: style == .point ? 909 : 990)
        let cells = BatchNumberPlanTests.wordCells(&random)
        var read = 0
        var declined = 0
        var generalChecked = 0
        for reading in BatchNumberPlanTests.readings() {
            let general = BatchReading.Hot.generalReading(reading)
            for guarded in [false, true] {
                let percents: [PercentReading?] = reading.kind == .percent ? [nil] + PercentReading.allCases.map(Optional.some) : [nil]
                for percent in percents {
                    let plan = BatchCellReader.NumberPlan(reading, style: style, percent: percent, refusingAmbiguous: guarded)
                    for (number, cell) in cells.enumerated() {
                        // What follows the cell in the record must not matter: digits, a mark, or a byte above ASCII.
                        let tail: [UInt8] = number % 3 == 0 ? Array("12345678".utf8) : (number % 3 == 1 ? [0x2E, 0x35] : [0xFF, 0x39])
                        let bytes = cell + tail
                        let planned = bytes.withUnsafeBufferPointer { plan.read($0.baseAddress!, count: cell.count) }
                        let reference = bytes.withUnsafeBufferPointer {
                            BatchNumberPlanTests.referenceNumber(
                                bytes: UnsafeBufferPointer(rebasing: $0[0..<cell.count]), reading, style: style, percent: percent,
                                refusingAmbiguous: guarded)
                        }
                        if describe(planned) != describe(reference) {
                            Issue.record(
                                "\(reading.kind) \(String(describing: reading.minimum))...\(String(describing: reading.maximum)) \(style) \(String(describing: percent)) guarded \(guarded) \(cell): \(describe(planned)), not \(describe(reference))"
                            )
                        }
                        guard let planned else {
                            declined += 1
                            continue
                        }
                        read += 1
                        // A value read must be the general path's too (a sample: the general path is slow).
                        if let general, number % 7 == 0, let text = String(validating: cell, as: UTF8.self) {
                            generalChecked += 1
                            let result = BatchCellReader.read(text, general, style: style, percent: percent)
                            #expect(describeResult(result) == describe(planned), "general path: \(reading.kind) \(style) \(text)")
                        }
                    }
                }
            }
        }
        #expect(
            read > 50_000 && declined > 50_000 && generalChecked > 1000, "\(read) read, \(declined) declined, \(generalChecked) checked")
    }

    /// `NumberPlan.leadingDigits`, the word read, against counting and valuing the digits one
    /// byte at a time: for every run length and every byte after the run, and random words.
    @Test("the word read: the leading digits of eight bytes, counted and valued")
    func leadingDigitsAgree() {
        var random = SplitMix64(seed: 4242)
        var words: [[UInt8]] = []
        for run in 0...8 {
            for stranger in 0...255 where !(0x30...0x39).contains(stranger) {
                var word = (0..<8).map { _ in UInt8(0x30 + random.next() % 10) }
                if run < 8 { word[run] = UInt8(stranger) }
                // After the stranger, anything: bytes that carry, digits.
                for index in min(run + 1, 8)..<8 where random.next() % 2 == 0 { word[index] = UInt8(truncatingIfNeeded: random.next()) }
                words.append(word)
            }
            words.append(Array(repeating: 0x39, count: run) + Array(repeating: 0xFF, count: 8 - run))
            words.append(Array(repeating: 0x30, count: run) + Array(repeating: 0x2F, count: 8 - run))
        }
        for _ in 0..<20_000 {
            words.append(
                (0..<8).map { _ in random.next() % 4 == 0 ? UInt8(truncatingIfNeeded: random.next()) : UInt8(0x30 + random.next() % 10) })
        }
        for word in words {
            var count = 0
            var value: UInt64 = 0
            while count < 8, (0x30...0x39).contains(word[count]) {
                value = value * 10 + UInt64(word[count] - 0x30)
                count += 1
            }
            let packed = word.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
            let (wordCount, wordValue) = BatchCellReader.NumberPlan.leadingDigits(packed)
            #expect(wordCount == count, "\(word)")
            if count > 0 { #expect(wordValue == value, "\(word)") }
        }
    }

    /// The binder reads a yes/no cell with `BatchCellReader.yesNo`, one comparison of the packed
    /// bytes: it must answer as the word list (`referenceYesNo`) for every cell, the words, their neighbours and
    /// cells that pack alike but for their length.
    @Test("yes/no cells: the packed comparison answers as boolean(bytes:)")
    func yesNoAgrees() {
        var random = SplitMix64(seed: 1717)
        var texts = [
            "true", "yes", "ja", "1", "false", "no", "nej", "0", "True", "TRUE", "Yes", "JA", "Nej", "trUe", "truee", "tru",
            "fals", "falsee", "1\u{0}", "\u{0}1", "0\u{0}", "ja\u{0}", "no\u{0}\u{0}", "true\u{0}", "01", "10", "00", "11",
            " 1", "1 ", " ", "", "yes ", " nej", "æ", "jå", "nej\u{0}\u{0}\u{0}", "-1", "2", "sand", "falsk",
        ]
        let alphabet = Array("truefalsyjanoi01\u{0} ")
        let words = ["true", "yes", "ja", "1", "false", "no", "nej", "0"]
        for _ in 0..<3000 {
            let length = Int(random.next() % 7)
            if random.next() % 3 == 0 {
                // A word, or a word with one byte changed.
                var word = Array(words[Int(random.next() % 8)].utf8)
                if random.next() % 2 == 0 { word[Int(random.next() % UInt64(word.count))] ^= 1 }
                texts.append(String(decoding: word, as: UTF8.self))
                continue
            }
            texts.append(String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }))
        }
        var found = 0
        for text in texts {
            var bytes = Array(text.utf8)
            let count = bytes.count
            bytes.append(contentsOf: Array("true,".utf8))
            let packed = bytes.withUnsafeBufferPointer { BatchCellReader.yesNo($0.baseAddress!, count: count) }
            let reference = bytes.withUnsafeBufferPointer {
                BatchNumberPlanTests.referenceYesNo(UnsafeBufferPointer(rebasing: $0[0..<count]))
            }
            #expect(packed == reference, "\"\(text)\"")
            if reference != nil { found += 1 }
        }
        #expect(found > 300, "\(found) of the cells were yes/no words")
    }

    func describe(_ value: Exact?) -> String {
        guard let value else { return "declined" }
        return "\(value.numerator)/\(value.denominator)"
    }

    func describeResult(_ result: Result<Scalar?, CellError>) -> String {
        if case .success(.number(let value)?) = result { return describe(value) }
        return "\(result)"
    }
}

extension BatchReading.Hot {
    /// A whole reading (`BatchReading`) with the same kind and bounds, for the general path: made
    /// from a declared input of a small rule set written for it; nil for shapes it cannot declare.
    static func generalReading(_ hot: BatchReading.Hot) -> BatchReading? {
        let type: String
        let unit: String
        switch hot.kind {
        case .money: (type, unit) = ("money", " kr")
        case .count: (type, unit) = ("count", "")
        case .number: (type, unit) = ("number", "")
        case .percent: (type, unit) = ("percent", " %")
        default: return nil
        }
        func written(_ value: Exact) -> String {
            let scaled = hot.kind == .percent ? value.multiplying(Exact(integer: 100)) ?? value : value
            return scaled.exactText() + unit
        }
        var bounds = ""
        if let minimum = hot.minimum { bounds += " min \(written(minimum))" }
        if let maximum = hot.maximum { bounds += " max \(written(maximum))" }
        let text = """
            ruleset gamma "Gamma" en "Gamma"
              source "Testregler"
              version "1"
              in force from 2015-01-01

            input amount: \(type) "Beløb"\(bounds)
            criterion some "Noget" = amount > 0\(unit.isEmpty ? "" : unit)
            classify
              high "Ja" en "Yes" when some
              otherwise low "Nej" en "No"
            """
        let result = loadRules([("gamma.rules", text)])
        guard !result.hasErrors, let ruleSet = result.ruleSets.first, let input = ruleSet.inputs.first else { return nil }
        let reading = BatchReading(column: 0, input: input, ruleSet: ruleSet)
        // The declared bounds must be the ones given, or the comparison would be of other readings.
        guard reading.hot.minimum == hot.minimum, reading.hot.maximum == hot.maximum else { return nil }
        return reading
    }
}
