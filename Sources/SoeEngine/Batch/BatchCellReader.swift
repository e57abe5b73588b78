import SoeLanguage

// Reading CSV cells at batch speed without a second definition of what a cell means.
//
// `CellReader` is the one definition of how text becomes an input value. This file adds a fast
// path for the forms that make up nearly every real cell (`4200000.50`, `12,5`, `true`, `aps`),
// read straight from the string's UTF-8 bytes with no intermediate string. The fast path either
// gives exactly the value `CellReader` would give, built the same way, or declines; every cell it
// declines (spaces, thousands separators, a `%` sign, an exponent, anything out of bounds, anything
// wrong) goes to `CellReader`, which decides it and words the error. A test compares the two on
// every form, so the fast path cannot change a classification.

/// Reads batch cells: blank means missing, common forms fast, everything else through `CellReader`.
enum BatchCellReader {
    /// The cell's value for an input, nil when it is blank, or why it cannot be read.
    static func read(_ text: String, _ reading: BatchReading, style: NumberStyle, percent: PercentReading? = nil) -> Result<
        Scalar?, CellError
    > {
        if isBlank(text) { return .success(nil) }
        if let value = fast(text, reading.hot, choices: reading.choices, style: style, percent: percent) { return .success(value) }
        return slow(text, reading, style: style, percent: percent)
    }

    /// What a cell's bytes alone decide: blank, a value in a plain form, or nothing (`text`): then
    /// the cell is read as text, the decimal-mark guard first, exactly as it always was.
    enum Quick {
        case blank
        case value(Scalar)
        case text
    }

    /// A blank cell, or a number or yes/no in a form `fast` reads, from the bytes without a
    /// `String`. With `guarded` (a detected dialect), a number in the ambiguous form (`3.600`), or
    /// one with a unit, goes to the text path, where the guard decides it.
    @inline(__always)
    static func quick(
        _ bytes: UnsafeBufferPointer<UInt8>, _ reading: BatchReading.Hot, style: NumberStyle, percent: PercentReading?,
        guarded: Bool
    ) -> Quick {
        if isBlank(bytes: bytes) { return .blank }
        guard reading.kind.isNumber || reading.kind == .bool else { return .text }
        // A plain number has no unit or space, so the one ambiguous form it can take is checked
        // as it is parsed; every other form goes to the text path, where the guard looks at it.
        return fast(bytes: bytes, reading, style: style, percent: percent, refusingAmbiguous: guarded).map(Quick.value) ?? .text
    }

    /// `CellReader`'s answer, for the cells the fast path declines.
    static func slow(_ text: String, _ reading: BatchReading, style: NumberStyle, percent: PercentReading? = nil) -> Result<
        Scalar?, CellError
    > {
        CellReader.read(.text(text), as: reading.input, choices: reading.choiceSets, style: style, percent: percent)
    }

    /// An empty cell, or one of spaces and tabs only: missing, whatever the input's type.
    static func isBlank(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// The value when the text is in a common form and within the input's bounds; nil to decline.
    /// A percent that could be a fraction (`0.1`) is declined unless `percent` says how to read it.
    static func fast(
        _ text: String, _ reading: BatchReading.Hot, choices: [String], style: NumberStyle, percent: PercentReading? = nil
    ) -> Scalar? {
        switch reading.kind {
        case .money, .number, .count, .percent, .bool:
            var text = text
            return text.withUTF8 { fast(bytes: $0, reading, style: style, percent: percent) }
        case .choice:
            return choices.firstIndex(of: text).map(Scalar.choice)
        case .text:
            return .text(text)
        case .date:
            return nil
        }
    }

    /// `fast` for a cell given as its UTF-8 bytes, for the kinds read without a `String`: numbers
    /// and yes/no. Nil declines, as for `fast`; the other kinds always decline here. With
    /// `refusingAmbiguous`, a number `DecimalMark.isAmbiguous` would call ambiguous (`3.600`)
    /// declines too, for the decimal-mark guard to decide on the text path.
    static func fast(
        bytes: UnsafeBufferPointer<UInt8>, _ reading: BatchReading.Hot, style: NumberStyle, percent: PercentReading?,
        refusingAmbiguous: Bool = false
    ) -> Scalar? {
        switch reading.kind {
        case .money, .number, .count, .percent:
            return number(bytes: bytes, reading, style: style, percent: percent, refusingAmbiguous: refusingAmbiguous)
                .map(Scalar.number)
        case .bool:
            return boolean(bytes: bytes).map(Scalar.bool)
        case .choice, .text, .date:
            return nil
        }
    }

    /// The number part of `fast(bytes:)`: a cell of a number kind (money, number, count,
    /// percent) in a plain form and within the input's bounds, as the exact value, or nil to
    /// decline. Read by the reading's `NumberPlan`, the one definition the batch binder also
    /// uses (it makes the plan once per reading instead of once per cell).
    static func number(
        bytes: UnsafeBufferPointer<UInt8>, _ reading: BatchReading.Hot, style: NumberStyle, percent: PercentReading?,
        refusingAmbiguous: Bool = false
    ) -> Exact? {
        guard let base = bytes.baseAddress else { return nil }
        return NumberPlan(reading, style: style, percent: percent, refusingAmbiguous: refusingAmbiguous).read(base, count: bytes.count)
    }

    /// `-?digits(mark digits)?` with at most 18 digits and `maxPlaces` decimals, as the exact value
    /// `Exact.parseWithPlaces` makes of the same text: zero is `Exact.zero`, anything else is the
    /// digits over 10^places.
    static func decimal(_ text: String, decimalMark: UInt8, maxPlaces: Int) -> Exact? {
        var text = text
        return text.withUTF8 { decimal(bytes: $0, decimalMark: decimalMark, maxPlaces: maxPlaces) }
    }

    /// `decimal` of a cell's UTF-8 bytes. With `refusingAmbiguous`, nil for the form
    /// `DecimalMark.isAmbiguous` finds in a plain number: one to three digits, the first not 0,
    /// a point, and three digits (`3.600`, `-12.500`).
    @inline(__always)
    static func decimal(bytes: UnsafeBufferPointer<UInt8>, decimalMark: UInt8, maxPlaces: Int, refusingAmbiguous: Bool = false)
        -> Exact?
    {
        let count = bytes.count
        guard count > 0, count <= 20 else { return nil }
        var index = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var places = 0
        // 10^places, built as the places are read: the denominator `Exact(minorUnits:scale:)` takes.
        var scale: UInt64 = 1
        while index < count, bytes[index] &- 0x30 < 10 {
            mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 0x30)
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        if index < count && bytes[index] == decimalMark {
            index += 1
            while index < count, bytes[index] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[index] &- 0x30)
                places += 1
                scale = scale &* 10
                index += 1
            }
            guard places > 0 else { return nil }
        }
        guard index == count, digits + places <= 18, places <= maxPlaces else { return nil }
        if refusingAmbiguous && decimalMark == UInt8(ascii: ".") && places == 3 && digits <= 3
            && bytes[negative ? 1 : 0] != UInt8(ascii: "0")
        {
            return nil
        }
        // As `Exact.zero` and `Exact(minorUnits:scale:)` are built, without their shared tables.
        if mantissa == 0 { return Exact(raw: 0, 1) }
        let magnitude = Int128(mantissa)
        return Exact(raw: negative ? -magnitude : magnitude, Int128(scale))
    }

    /// The lower-case spellings `CellReader` accepts for yes/no; anything else declines.
    static func boolean(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8(boolean(bytes:))
    }

    /// `boolean` of a cell's UTF-8 bytes: the words are ASCII, and no other text is canonically
    /// equivalent to one of them, so comparing bytes decides as comparing strings does.
    /// Read by `yesNo`, the binder's one comparison, so that the words are written down once.
    static func boolean(bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let base = bytes.baseAddress else { return nil }
        return yesNo(base, count: bytes.count)
    }

    /// A valid CVR number written as exactly eight digits is returned as is, with no new string;
    /// any other text goes through `CVR.validate`, which trims spaces and words the error.
    static func cvr(_ text: String) -> Result<String, CellError> {
        var bytes = text
        if bytes.withUTF8(isPlainCVR) { return .success(text) }
        return CVR.validate(text)
    }

    /// Whether the bytes are a valid CVR number written as exactly eight digits: then the number
    /// is the text as it stands.
    static func isPlainCVR(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 8, bytes[0] != UInt8(ascii: "0") else { return false }
        var sum = 0
        for (index, byte) in bytes.enumerated() {
            let digit = byte &- 0x30
            guard digit < 10 else { return false }
            sum += Int(digit) * CVR.weights[index]
        }
        return sum % 11 == 0
    }

    /// A fiscal year between 1900 and 9999, as `FirmReader` accepts it, or nil.
    static func year(_ text: String) -> Int? {
        var bytes = text
        let year = bytes.withUTF8(fourDigits) ?? Int(text)
        guard let year, (1900...9999).contains(year) else { return nil }
        return year
    }

    /// The value of exactly four ASCII digits, or nil.
    static func fourDigits(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count == 4 else { return nil }
        var year = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            year = year * 10 + Int(digit)
        }
        return year
    }

    /// A fiscal year from a cell's bytes: four digits in range fast, anything else as `year` reads its text.
    static func year(bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if let year = fourDigits(bytes) { return (1900...9999).contains(year) ? year : nil }
        return year(String(decoding: bytes, as: UTF8.self))
    }

    /// `year(bytes:)` of a cell with spaces and tabs around it taken off: the second look of a cell
    /// whose bytes as they are give no year (an error path, so a `String` is made).
    static func year(trimming text: String) -> Int? {
        Array(text.trimmingSpaces().utf8).withUnsafeBufferPointer(year(bytes:))
    }

    /// An empty cell, or one of spaces and tabs only, given as bytes.
    static func isBlank(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }

    /// The index of a valid CVR number among all possible ones, for duplicate detection: the
    /// check digit follows from the first seven, so those (minus 1,000,000) identify it.
    static func cvrIndex(_ cvr: String) -> Int? {
        var cvr = cvr
        return cvr.withUTF8(cvrIndex(bytes:))
    }

    /// `cvrIndex` of a CVR number's bytes.
    static func cvrIndex(bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var prefix = 0
        var digits = 0
        for byte in bytes {
            guard byte &- 0x30 < 10 else { return nil }
            if digits < 7 { prefix = prefix * 10 + Int(byte &- 0x30) }
            digits += 1
        }
        guard digits == 8, prefix >= 1_000_000 else { return nil }
        return prefix - 1_000_000
    }
}

extension BatchCellReader {
    /// The yes/no of the `count` bytes at `cell` (`boolean(bytes:)`): `true`, `yes`, `ja`, `1` or
    /// `false`, `no`, `nej`, `0`, by one comparison of the bytes packed into a word with their
    /// count (so that `1` and `1` followed by a zero byte differ); nil for anything else.
    @inline(__always)
    static func yesNo(_ cell: UnsafePointer<UInt8>, count: Int) -> Bool? {
        guard count >= 1, count <= 5 else { return nil }
        var word = UInt64(truncatingIfNeeded: count) &<< 56
        for index in 0..<count { word |= UInt64(cell[index]) &<< UInt64(8 &* index) }
        return yesNo(packed: word)
    }

    /// `yesNo` from one load of the eight bytes at `cell`, of which only the first `count` are
    /// the cell's (the caller must know the others may be read: they are masked off).
    @inline(__always)
    static func yesNoWord(_ cell: UnsafePointer<UInt8>, count: Int) -> Bool? {
        guard count >= 1, count <= 5 else { return nil }
        let word = UInt64(littleEndian: UnsafeRawPointer(cell).loadUnaligned(as: UInt64.self))
        return yesNo(packed: (word & ((1 &<< UInt64(truncatingIfNeeded: 8 &* count)) &- 1)) | UInt64(truncatingIfNeeded: count) &<< 56)
    }

    /// The yes/no of up to five bytes packed into a word, the first in the lowest byte, with
    /// their count in the top byte.
    @inline(__always)
    static func yesNo(packed word: UInt64) -> Bool? {
        switch word {
        // The bytes of `true`, `yes`, `ja` and `1`, the first in the lowest byte, the count on top.
        case 0x0400_0000_6575_7274, 0x0300_0000_0073_6579, 0x0200_0000_0000_616A, 0x0100_0000_0000_0031: return true
        // `false`, `no`, `nej` and `0`.
        case 0x0500_0065_736C_6166, 0x0200_0000_0000_6F6E, 0x0300_0000_006A_656E, 0x0100_0000_0000_0030: return false
        default: return nil
        }
    }

    /// `number(bytes:…)` for one reading, with everything that depends only on the reading, the
    /// number style, `--percent` and the decimal-mark guard decided once, when the binder is made,
    /// rather than for every cell: the decimal mark, the most decimals, which checks the kind
    /// needs. `BatchNumberPlanTests` holds `read` to the reading written before it and to
    /// `BatchCellReader.read`, on generated and edge cells.
    struct NumberPlan {
        /// Whether the reading is of a number kind at all; the other fields mean nothing otherwise.
        let isNumber: Bool
        let mark: UInt8
        let maxPlaces: Int
        /// The ambiguous form (`3.600`) declines, for the decimal-mark guard: only with a point.
        let refusingAmbiguous: Bool
        let isCount: Bool
        /// A percent read as points: the value over 100.
        let scalesPercent: Bool
        /// A percent with no `--percent`: a value that could be a fraction (`0.1`) declines.
        let declinesFractions: Bool
        /// A percent under `--percent fraction`: a value beyond ±1 (`3.6`, 360 % as a fraction)
        /// declines, for `CellReader` to refuse with both readings.
        let declinesBeyondOne: Bool
        let minimumIsZero: Bool
        let minimum: Exact?
        let maximum: Exact?
        /// No percent scaling and no bound but a zero minimum (money's usual `min 0 kr`, a count
        /// with no bounds): then the value needs only the sign check `refusesNegative` after it is
        /// read, and the rest of the plan (scaling, the bounds' comparisons) is never looked at.
        let plain: Bool
        /// For a plain plan: a value below zero declines (a count, or a zero minimum).
        let refusesNegative: Bool
        /// A plain plan with no decimals (a count): a cell of digits only is its value over 1.
        let wholeOnly: Bool
        /// Whether every bound's numerator and denominator is below 2^56 in magnitude (or there is
        /// none): then a value read (numerator below 10^18, denominator at most 10^20) is compared
        /// with a bound by one cross multiplication in Int128, which cannot overflow. Otherwise the
        /// cell is read by `readComparingExact`, with `Exact`'s comparison.
        let boundsAreSmall: Bool
        /// The bounds' parts, for the cross multiplication: a missing bound is never looked at.
        let minimumNumerator: Int128, minimumDenominator: Int128
        let maximumNumerator: Int128, maximumDenominator: Int128

        init(_ reading: BatchReading.Hot, style: NumberStyle, percent: PercentReading?, refusingAmbiguous: Bool) {
            isNumber = reading.kind.isNumber
            mark = style == .point ? UInt8(ascii: ".") : UInt8(ascii: ",")
            maxPlaces = reading.kind == .money ? 2 : (reading.kind == .count ? 0 : 18)
            // `decimal` refuses the ambiguous form only when the mark is a point.
            self.refusingAmbiguous = refusingAmbiguous && mark == UInt8(ascii: ".")
            isCount = reading.kind == .count
            scalesPercent = reading.kind == .percent && percent != .fraction
            declinesFractions = reading.kind == .percent && percent == nil
            declinesBeyondOne = reading.kind == .percent && percent == .fraction
            minimumIsZero = reading.minimumIsZero
            (minimum, maximum) = (reading.minimum, reading.maximum)
            plain = !scalesPercent && !declinesBeyondOne && maximum == nil && (minimum == nil || minimumIsZero)
            refusesNegative = isCount || minimumIsZero
            wholeOnly = plain && maxPlaces == 0
            func isSmall(_ bound: Exact?) -> Bool {
                guard let bound else { return true }
                let limit: Int128 = 1 << 56
                return bound.numerator > -limit && bound.numerator < limit && bound.denominator > 0 && bound.denominator < limit
            }
            boundsAreSmall = isSmall(minimum) && isSmall(maximum)
            (minimumNumerator, minimumDenominator) = (minimum?.numerator ?? 0, minimum?.denominator ?? 1)
            (maximumNumerator, maximumDenominator) = (maximum?.numerator ?? 0, maximum?.denominator ?? 1)
        }

        /// The value of the `count` bytes at `cell` (`number(bytes:)`), or nil to decline.
        func read(_ cell: UnsafePointer<UInt8>, count: Int) -> Exact? {
            withUnsafePointer(to: self) { NumberPlan.read($0, cell, count: count) }
        }

        /// `read` by a pointer to the plan: the binder's loop calls it so, which copies no plan
        /// (with its bounds, over a hundred bytes) for each cell.
        ///
        /// The cell is `-?digits(mark digits)?`, at most 20 bytes, at most 18 digits and
        /// `maxPlaces` decimals; its value is the digits over 10^places (zero is 0/1), as
        /// `decimal` makes it. The first eight bytes of a cell that long are read as one word: its
        /// leading digits are found and valued by a few word operations (`leadingDigits`) instead
        /// of a loop over them; the rest, and shorter cells, byte by byte. Every form the loop
        /// declined still declines: a cell is declined as soon as it cannot be read, and nothing
        /// else is.
        ///
        /// Inlined into the binder's loop for one rule set (`CSVRowBinder`'s straight store), where
        /// a call returned its `Exact?` through memory and saved and restored six registers for
        /// each cell (issue 16, docs/benchmark.md "Steps of wave 3, session 9: number cells").
        /// Transparent, inlined before the optimizer's size limit applies: with the word reads of
        /// the usual cells in the loop (session 13), `@inline(__always)` left it a call.
        @_transparent
        static func read(_ plan: UnsafePointer<NumberPlan>, _ cell: UnsafePointer<UInt8>, count: Int) -> Exact? {
            if !plan.pointee.boundsAreSmall { return readComparingExact(plan, cell, count: count) }
            guard count > 0, count <= 20 else { return nil }
            if plan.pointee.wholeOnly && count < 8 {
                // A count of one to seven digits, the usual one: no sign, mark or scale to look
                // for, and no digit count to check. Any other cell is read below.
                var whole: UInt64 = 0
                var index = 0
                while index < count {
                    let digit = cell[index] &- 0x30
                    if digit >= 10 { break }
                    whole = whole &* 10 &+ UInt64(digit)
                    index &+= 1
                }
                if index == count { return Exact(raw: Int128(whole), 1) }
            }
            let negative = cell[0] == UInt8(ascii: "-")
            let start = negative ? 1 : 0
            var index = start
            var mantissa: UInt64 = 0
            if count &- index >= 8 {
                // Eight bytes within the cell: the digits among them before the first other byte.
                let word = UInt64(littleEndian: UnsafeRawPointer(cell + index).loadUnaligned(as: UInt64.self))
                let (run, value) = leadingDigits(word)
                guard run > 0 else { return nil }
                mantissa = value
                index &+= run
            }
            // The remaining digits (all of them in a cell under eight bytes), each checked; more
            // than 18 only wrap a mantissa that the digit count declines below.
            while index < count {
                let digit = cell[index] &- 0x30
                guard digit < 10 else { break }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                index &+= 1
            }
            let digits = index &- start
            guard digits > 0 else { return nil }
            var places = 0
            // 10^places, built as the places are read: the denominator `decimal` makes.
            var scale: UInt64 = 1
            if index < count {
                guard cell[index] == plan.pointee.mark else { return nil }
                index &+= 1
                // Every byte after the mark must be a digit: declining more places than
                // `maxPlaces` before looking at them declines what reading them all would.
                places = count &- index
                guard places > 0, places <= plan.pointee.maxPlaces else { return nil }
                if places == 2 {
                    // Øre, the usual decimals: both at once.
                    let (tens, ones) = (cell[index] &- 0x30, cell[index &+ 1] &- 0x30)
                    guard tens < 10, ones < 10 else { return nil }
                    mantissa = mantissa &* 100 &+ UInt64(tens &* 10 &+ ones)
                    scale = 100
                    index = count
                }
                while index < count {
                    let digit = cell[index] &- 0x30
                    guard digit < 10 else { return nil }
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    scale = scale &* 10
                    index &+= 1
                }
            }
            guard digits &+ places <= 18 else { return nil }
            if plan.pointee.refusingAmbiguous && places == 3 && digits <= 3 && cell[start] != UInt8(ascii: "0") { return nil }
            // Negative means below zero: `-0` is zero, 0/1, as `decimal` makes it.
            let belowZero = negative && mantissa != 0
            if plan.pointee.plain {
                if belowZero && plan.pointee.refusesNegative { return nil }
                if mantissa == 0 { return Exact(raw: 0, 1) }
                let magnitude = Int128(mantissa)
                return Exact(raw: belowZero ? 0 &- magnitude : magnitude, Int128(scale))
            }
            // Scaling and bounds, as `readComparingExact` has them, the comparisons by cross
            // multiplication (`boundsAreSmall`).
            if plan.pointee.isCount && belowZero { return nil }
            let magnitude = Int128(mantissa)
            let numerator = belowZero ? 0 &- magnitude : magnitude
            var denominator = mantissa == 0 ? 1 : Int128(scale)
            if plan.pointee.declinesBeyondOne && mantissa > scale { return nil }
            if plan.pointee.scalesPercent {
                // `CellReader.isPossibleFraction`: not zero, and numerator at most the denominator.
                if plan.pointee.declinesFractions && mantissa != 0 && mantissa <= scale { return nil }
                denominator = denominator &* 100
            }
            if plan.pointee.minimumIsZero {
                if belowZero { return nil }
            } else if plan.pointee.minimum != nil {
                // Below the minimum: n/d < mn/md.
                if numerator &* plan.pointee.minimumDenominator < plan.pointee.minimumNumerator &* denominator { return nil }
            }
            if plan.pointee.maximum != nil {
                // Above the maximum: mn/md < n/d.
                if plan.pointee.maximumNumerator &* denominator < numerator &* plan.pointee.maximumDenominator { return nil }
            }
            return Exact(raw: numerator, denominator)
        }

        /// `read` as it was before the word read, comparing with the bounds by `Exact`'s own
        /// comparison: for a plan whose bounds are not `boundsAreSmall`. Out of line, so that the
        /// usual cell's code stays short.
        @inline(never)
        static func readComparingExact(_ plan: UnsafePointer<NumberPlan>, _ cell: UnsafePointer<UInt8>, count: Int) -> Exact? {
            let (mark, maxPlaces, refusingAmbiguous) = (plan.pointee.mark, plan.pointee.maxPlaces, plan.pointee.refusingAmbiguous)
            guard count > 0, count <= 20 else { return nil }
            let negative = cell[0] == UInt8(ascii: "-")
            var index = negative ? 1 : 0
            var mantissa: UInt64 = 0
            while index < count {
                let digit = cell[index] &- 0x30
                guard digit < 10 else { break }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                index &+= 1
            }
            let digits = index &- (negative ? 1 : 0)
            guard digits > 0 else { return nil }
            var places = 0
            var scale: UInt64 = 1
            if index < count {
                guard cell[index] == mark else { return nil }
                index &+= 1
                while index < count {
                    let digit = cell[index] &- 0x30
                    guard digit < 10 else { return nil }
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    scale = scale &* 10
                    index &+= 1
                    places &+= 1
                }
                guard places > 0 else { return nil }
            }
            guard digits &+ places <= 18, places <= maxPlaces else { return nil }
            if refusingAmbiguous && places == 3 && digits <= 3 && cell[negative ? 1 : 0] != UInt8(ascii: "0") { return nil }
            let belowZero = negative && mantissa != 0
            if plan.pointee.isCount && belowZero { return nil }
            var value: Exact
            if mantissa == 0 {
                value = Exact(raw: 0, 1)
            } else {
                let magnitude = Int128(mantissa)
                value = Exact(raw: belowZero ? -magnitude : magnitude, Int128(scale))
            }
            if plan.pointee.declinesBeyondOne && mantissa > scale { return nil }
            if plan.pointee.scalesPercent {
                if plan.pointee.declinesFractions && mantissa != 0 && mantissa <= scale { return nil }
                value = Exact(raw: value.numerator, value.denominator &* 100)
            }
            if plan.pointee.minimumIsZero {
                if belowZero { return nil }
            } else if let minimum = plan.pointee.minimum, value < minimum {
                return nil
            }
            if let maximum = plan.pointee.maximum, value > maximum { return nil }
            return value
        }

        /// How many of a word's eight bytes (the first in the lowest byte) are ASCII digits before
        /// the first that is not one, and the number those digits make. After the xor a digit
        /// byte holds its value, 0 to 9; any other byte is above 9, and adding 0x76 sets its top
        /// bit (or it was set). A sum can carry into the next byte only from a byte that is not a
        /// digit, so the lowest flagged byte is exactly the first that is not a digit. The digits
        /// moved to the top bytes, with zeros (leading zero digits) below, are valued by pairs,
        /// then fours, then all eight ("parse eight digits", Lemire). The value means nothing
        /// when the count is 0.
        @inline(__always)
        static func leadingDigits(_ word: UInt64) -> (count: Int, value: UInt64) {
            let values = word ^ 0x3030_3030_3030_3030
            let others = ((values &+ 0x7676_7676_7676_7676) | values) & 0x8080_8080_8080_8080
            let count = others.trailingZeroBitCount &>> 3
            return (count, topDigits(values &<< UInt64(truncatingIfNeeded: (8 &- count) &* 8)))
        }

        /// The number made by the digit values (0 to 9, one a byte) of a word whose lowest bytes
        /// are zero and whose top bytes hold the digits, the first digit in the lowest of them.
        @inline(__always)
        static func topDigits(_ word: UInt64) -> UInt64 {
            // Each pair of bytes: ten times the first digit plus the second, in the lower byte.
            let digits = (word &* 10) &+ (word &>> 8)
            // Each pair of pairs, then both halves: 100 and 1 for the pairs, 1,000,000 and 10,000 above.
            let low = (digits & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064
            let high = ((digits &>> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001
            return (low &+ high) &>> 32
        }

        /// The value of a cell of one to eight bytes that are all ASCII digits, from one load of
        /// the eight bytes at `cell`, of which only the first `count` are the cell's (the caller
        /// must know the other bytes may be read: they are never used); nil for any other cell.
        /// After the xor a digit byte holds its value; any other byte gets its top bit by adding
        /// 0x76 (or had it), and a sum carries into the next byte only from a byte that is not a
        /// digit, so the cell's bytes are all digits exactly when none of theirs is flagged.
        /// The batch's straight store reads a count's usual cell so (`CSVRowBinder.CellShape`).
        @inline(__always)
        static func wordDigits(_ cell: UnsafePointer<UInt8>, count: Int) -> UInt64? {
            guard UInt(bitPattern: count &- 1) < 8 else { return nil }
            let values = UInt64(littleEndian: UnsafeRawPointer(cell).loadUnaligned(as: UInt64.self)) ^ 0x3030_3030_3030_3030
            let others = ((values &+ 0x7676_7676_7676_7676) | values) & 0x8080_8080_8080_8080
            // The cell's bytes moved to the top, the bytes after it shifted out.
            let shift = UInt64(truncatingIfNeeded: (8 &- count) &* 8)
            guard others &<< shift == 0 else { return nil }
            return topDigits(values &<< shift)
        }

        /// A percent read as points (`scalesPercent`) whose cell is one to eight digits, as `read`
        /// makes it: the digits over 100 (zero too, as `read` scales 0/1), declined when `--percent`
        /// is not given and the value could be a fraction (the digits are 1), or out of bounds
        /// (by cross multiplication: the plan's bounds are `boundsAreSmall`); nil for any other
        /// cell. The eight bytes at `cell` must be readable (`wordDigits`).
        @inline(__always)
        static func wordPoints(_ plan: UnsafePointer<NumberPlan>, _ cell: UnsafePointer<UInt8>, count: Int) -> Exact? {
            guard let digits = wordDigits(cell, count: count) else { return nil }
            if plan.pointee.declinesFractions && digits == 1 { return nil }
            let numerator = Int128(digits)
            if !plan.pointee.minimumIsZero && plan.pointee.minimum != nil
                && numerator &* plan.pointee.minimumDenominator < plan.pointee.minimumNumerator &* 100
            {
                return nil
            }
            if plan.pointee.maximum != nil && plan.pointee.maximumNumerator &* 100 < numerator &* plan.pointee.maximumDenominator {
                return nil
            }
            return Exact(raw: numerator, 100)
        }

        /// A cell `digits mark digit digit` with one to eight digits before the mark `mark` and no
        /// sign, money's usual cell (`1234567.89`): its digits as one number, the value in
        /// hundredths, from one load of the eight bytes at `cell` (the caller must know they may
        /// be read) and one of the two decimals; nil for any other cell.
        @inline(__always)
        static func wordMoney(_ cell: UnsafePointer<UInt8>, count: Int, mark: UInt8) -> UInt64? {
            let whole = count &- 3
            guard UInt(bitPattern: whole &- 1) < 8, cell[whole] == mark else { return nil }
            let decimals = UInt16(littleEndian: UnsafeRawPointer(cell + (whole &+ 1)).loadUnaligned(as: UInt16.self)) ^ 0x3030
            guard ((decimals &+ 0x7676) | decimals) & 0x8080 == 0 else { return nil }
            let values = UInt64(littleEndian: UnsafeRawPointer(cell).loadUnaligned(as: UInt64.self)) ^ 0x3030_3030_3030_3030
            let others = ((values &+ 0x7676_7676_7676_7676) | values) & 0x8080_8080_8080_8080
            let shift = UInt64(truncatingIfNeeded: (8 &- whole) &* 8)
            guard others &<< shift == 0 else { return nil }
            return topDigits(values &<< shift) &* 100 &+ UInt64(truncatingIfNeeded: (decimals & 0xFF) &* 10 &+ (decimals &>> 8))
        }
    }
}
