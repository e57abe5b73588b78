// The common CSV result, written through one pointer: a decided row whose id, CVR number and name
// need no quoting, with nothing after its criteria but its outcome's reason. Formatting it piece by
// piece cost about 2,600 instructions a row (an `Array.append` per piece, the row's own columns
// formatted into a second array and copied); here the pieces are copied straight into the room past
// the end of `bytes` (with a compiler before Swift 6.2, into `line`, reserved once, and appended to
// `bytes` in one call). The bytes are the general path's, piece for piece: the row's columns as
// `startRow` writes them, then the same pool pieces `result` appends.

import SoeLanguage

extension BatchResultWriter {
    /// Writes the result of a decided row in the plain CSV form and returns true; returns false,
    /// having written nothing, when a column of the row needs quoting or a formula guard, or the
    /// result would be longer than 64 KiB: then the general path writes it.
    mutating func plainCSVResult(_ row: inout BatchRow, ruleSet index: Int, outcome: Int, evaluator: inout Evaluator) -> Bool {
        let duplicate = row.duplicate ? 1 : 0
        // The head (from `rule_set` to the criteria) and the tail (after them) are looked up only
        // where they are used: for a result kept per answers, only when it is first met.
        var (head, tail) = (0..<0, 0..<0)
        let base = criterionBase[index]
        // The deciding criteria: with the result's text kept for the probes' answers, none (the
        // piece is the whole result from `rule_set` on); else as indices of their pieces, by the
        // rule set's plan, or for a condition too large for one by the walk.
        // The plan is borrowed, not retained and released per row: `plans` keeps it alive.
        let rowBase = decidedRowBase[outcomeBase[index] + outcome]
        unretainedPlans[index]._withUnsafeGuaranteedRef { plan in
            if rowBase >= 0 {
                let slot = rowBase + 2 * plan.answers(outcome: outcome, evaluator: &evaluator) + duplicate
                if decidedRows[slot].isEmpty {
                    keepDecidedRow(
                        slot, plan, ruleSet: index, outcome: outcome, head: decidedHead(ruleSet: index, outcome: outcome),
                        tail: reasonTails[reasonTailBase[index] + 2 * outcome + duplicate])
                }
                head = decidedRows[slot]
                // Emptied only when it holds something: an empty array is shared storage, which
                // `removeAll` replaces, with a release, every time.
                if !found.isEmpty { found.removeAll(keepingCapacity: true) }
                return
            }
            (head, tail) = (decidedHead(ruleSet: index, outcome: outcome), reasonTails[reasonTailBase[index] + 2 * outcome + duplicate])
            if plan.general[outcome] {
                DecidingCriteria.collect(outcome: outcome, evaluator: evaluator, into: &found)
                for position in found.indices {
                    let criterion = found[position]
                    found[position] = base + 2 * criterion + (evaluator.criterionIsTrue(criterion) ? 1 : 0)
                }
            } else {
                plan.run(outcome: outcome, evaluator: evaluator, base: base, into: &found)
            }
        }
        // Two integers of at most 20 characters, four separators, the three texts, the pieces.
        // (and 8 bytes of room past a short text, which `writePlain` may write).
        // Sums of counts of arrays in memory, far below `Int.max`: added without overflow checks.
        var most = 52 &+ head.count &+ tail.count
        let (id, cvr, name) = (row.idSpan, row.cvrSpan, row.nameSpan)
        most &+= Swift.max(id.count, 0) &+ Swift.max(cvr.count, 0) &+ Swift.max(name.count, 0)
        // The closure below must not capture the evaluator, which would copy it (a retain and
        // release of each of its arrays). The general path collects the criteria again if it is taken.
        for position in found.indices { most &+= 1 &+ criterionPieces[found[position]].count }
        guard most <= 1 << 16 else { return false }
        // The row's texts are moved out while the line is written, which lent from the `inout`
        // row to the closure cost a retain and a release per row.
        var rowTexts: [UInt8] = []
        row.exchangeTexts(with: &rowTexts)
        let (number, fiscalYear, cvrDigits) = (row.number, row.fiscalYear, row.cvrIsDigits)
        let separator = self.separator
        // The id and name need no quotes when the row says so for this writer's separator.
        let unquoted = row.textsPlainFor != 0 && row.textsPlainFor == separator
        // Constants for `write`, which captures no variable (a captured `var` is boxed, its
        // accesses checked at run time) and is lent the criteria and their pieces (copies of the
        // arrays were retained and released per row).
        let (headPiece, tailPiece) = (head, tail)
        /// The line at `start`, from the row's texts, the pool at `source` and the criteria's
        /// pieces: its length, or nil when a text needs the general path. Writes below
        /// `start + most` only.
        func write(
            _ texts: UnsafeBufferPointer<UInt8>, _ source: UnsafePointer<UInt8>, _ criteria: UnsafeBufferPointer<Int>,
            _ pieces: UnsafeBufferPointer<Range<Int>>,
            at start: UnsafeMutablePointer<UInt8>
        ) -> Int? {
            func copy(_ piece: Range<Int>, to target: inout UnsafeMutablePointer<UInt8>) {
                target.update(from: source + piece.lowerBound, count: piece.count)
                target += piece.count
            }
            var p = BatchResultWriter.writeInteger(number, at: start)
            p.pointee = separator
            let atID = p + 1
            // The id's and the name's two ways are written out here and in the wide writer, not
            // through one shared function: one cost 30 instructions a row here and 54 in the wide
            // layout (callgrind, session 24's review).
            let writtenID =
                unquoted
                ? BatchResultWriter.writeUnquoted(texts, id, at: atID)
                : BatchResultWriter.writePlain(texts, id, at: atID, separator: separator)
            guard let afterID = writtenID else { return nil }
            afterID.pointee = separator
            guard let afterCVR = BatchResultWriter.writeCVR(texts, cvr, digits: cvrDigits, at: afterID + 1, separator: separator)
            else {
                return nil
            }
            afterCVR.pointee = separator
            let atName = afterCVR + 1
            let writtenName =
                unquoted
                ? BatchResultWriter.writeUnquoted(texts, name, at: atName)
                : BatchResultWriter.writePlain(texts, name, at: atName, separator: separator)
            guard let afterName = writtenName else {
                return nil
            }
            afterName.pointee = separator
            p = afterName + 1
            if let year = fiscalYear { p = BatchResultWriter.writeInteger(year, at: p) }
            copy(headPiece, to: &p)
            for position in criteria.indices {
                if position > 0 {
                    p.pointee = UInt8(ascii: " ")
                    p += 1
                }
                copy(pieces[criteria[position]], to: &p)
            }
            // A kept result has no tail: its piece ends the line.
            if !tailPiece.isEmpty { copy(tailPiece, to: &p) }
            return p - start
        }
        let written: Int?
        // `SOE_APPEND_COPY` builds the second path with a compiler that has the first: CI runs the
        // plain result's tests so (.ci/run, step 11), as a toolchain before 6.2 would build them.
        #if compiler(>=6.2) && !SOE_APPEND_COPY
            // Written straight into the output buffer's room past its end (`bytes` moved out while
            // it is, so that reading the writer's other arrays does not overlap the write access
            // to it), and counted in only when the whole line was written: one copy of the line,
            // where writing it into `line` and appending that to `bytes` copied it twice (about 100
            // instructions a row, docs/benchmark.md, "Steps of session 24").
            var out: [UInt8] = []
            swap(&out, &bytes)
            var length: Int?
            rowTexts.withUnsafeBufferPointer { texts in
                pool.withUnsafeBufferPointer { pool in
                    found.withUnsafeBufferPointer { criteria in
                        criterionPieces.withUnsafeBufferPointer { pieces in
                            out.append(addingCapacity: most) { span in
                                span.withUnsafeMutableBufferPointer { room, count in
                                    guard let start = room.baseAddress, let source = pool.baseAddress else { return }
                                    length = write(texts, source, criteria, pieces, at: start)
                                    if let length { count = length }
                                }
                            }
                        }
                    }
                }
            }
            written = length
            swap(&out, &bytes)
        #else
            if line.count < most { line = [UInt8](repeating: 0, count: Swift.max(most, 2 * line.count, 1024)) }
            // `line` is moved out while it is written, so that reading the writer's other arrays
            // does not overlap the write access to it.
            var out: [UInt8] = []
            swap(&out, &line)
            written = rowTexts.withUnsafeBufferPointer { texts in
                pool.withUnsafeBufferPointer { pool in
                    found.withUnsafeBufferPointer { criteria in
                        criterionPieces.withUnsafeBufferPointer { pieces in
                            out.withUnsafeMutableBufferPointer { out -> Int? in
                                guard let start = out.baseAddress, let source = pool.baseAddress else { return nil }
                                return write(texts, source, criteria, pieces, at: start)
                            }
                        }
                    }
                }
            }
            swap(&out, &line)
            if let written { line.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<written])) } }
        #endif
        row.exchangeTexts(with: &rowTexts)
        return written != nil
    }

    /// The head piece of a determined result of `outcome` under rule set `index`.
    @inline(__always)
    func decidedHead(ruleSet index: Int, outcome: Int) -> Range<Int> {
        headPieces[headBase[index] + BatchStatus.determined.ordinal * (texts[index].outcomes.count + 1) + outcome]
    }

    /// An integer in decimal at `target`, as `appendInteger` writes it; returns the end. The
    /// digits are counted by a few comparisons with powers of ten (no division), then written two
    /// at a time from the end, each pair copied from a table of "00" to "99": one division by 100
    /// per pair instead of one by 10 per digit.
    @inline(__always)
    static func writeInteger(_ value: Int, at target: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var start = target
        if value < 0 {
            start.pointee = UInt8(ascii: "-")
            start += 1
        }
        var magnitude = value.magnitude
        let digits = digitCount(magnitude)
        // A static string's bytes are constant data: no lazy initialisation, no bounds check.
        let pairs: StaticString =
            "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
        let table = pairs.utf8Start
        var p = start + digits
        while magnitude >= 100 {
            let rest = Int(truncatingIfNeeded: magnitude % 100)
            magnitude /= 100
            p -= 2
            p[0] = table[2 &* rest]
            p[1] = table[2 &* rest &+ 1]
        }
        if magnitude >= 10 {
            let pair = Int(truncatingIfNeeded: magnitude)
            p -= 2
            p[0] = table[2 &* pair]
            p[1] = table[2 &* pair &+ 1]
        } else {
            p -= 1
            p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
        }
        return start + digits
    }

    /// The number of decimal digits of `magnitude`: comparisons arranged for the row numbers and
    /// years a result holds (at most five of them below 10^8), then one per digit.
    @inline(__always)
    static func digitCount(_ magnitude: UInt) -> Int {
        if magnitude < 10_000 {
            if magnitude < 100 { return magnitude < 10 ? 1 : 2 }
            return magnitude < 1000 ? 3 : 4
        }
        if magnitude < 100_000_000 {
            if magnitude < 1_000_000 { return magnitude < 100_000 ? 5 : 6 }
            return magnitude < 10_000_000 ? 7 : 8
        }
        var digits = 9
        var power: UInt = 1_000_000_000
        // 10^19 is the largest power of ten a UInt holds; a magnitude at or past it has 20 digits.
        while digits < 20 && magnitude >= power {
            digits &+= 1
            power = digits < 20 ? power &* 10 : power
        }
        return digits
    }

    /// A row's text (`BatchRow.texts` at `span`) as `appendCSVText` writes it when it needs neither
    /// quotes nor the formula guard (nothing for `TextSpan.none`); returns the end, or nil when it
    /// needs either, and the general path must write it. A text of at most 16 bytes (an id, a CVR
    /// number, most names) is checked and copied as one or two words, without a call: of 8 to 16
    /// bytes, its first and last eight (which overlap); of fewer, the eight from its start when
    /// `texts` holds them, the bytes past its end replaced by its first for the check. Such a
    /// short text may write up to 7 bytes past its end, which what follows overwrites: `target`
    /// must have 8 bytes of room past the text.
    @inline(__always)
    static func writePlain(
        _ texts: UnsafeBufferPointer<UInt8>, _ span: TextSpan, at target: UnsafeMutablePointer<UInt8>, separator: UInt8
    ) -> UnsafeMutablePointer<UInt8>? {
        guard span.start >= 0, span.count > 0, let base = texts.baseAddress else { return target }
        let source = base + span.start
        let count = span.count
        if count <= 16 && (count >= 8 || texts.count &- span.start >= 8) {
            let first = source[0]
            if startsFormula(first) { return nil }
            let head = UnsafeRawPointer(source).loadUnaligned(as: UInt64.self)
            if count >= 8 {
                let tail = UnsafeRawPointer(source + (count &- 8)).loadUnaligned(as: UInt64.self)
                if quoteLanes(head, separator) | quoteLanes(tail, separator) != 0 { return nil }
                UnsafeMutableRawPointer(target).storeBytes(of: head, as: UInt64.self)
                UnsafeMutableRawPointer(target + (count &- 8)).storeBytes(of: tail, as: UInt64.self)
            } else {
                // Little-endian: the text's bytes are the word's low lanes.
                let kept: UInt64 = (1 &<< UInt64(8 &* count)) &- 1
                let checked = (head & kept) | (0x0101_0101_0101_0101 &* UInt64(first) & ~kept)
                if quoteLanes(checked, separator) != 0 { return nil }
                UnsafeMutableRawPointer(target).storeBytes(of: head, as: UInt64.self)
            }
            return target + count
        }
        let raw = UnsafeBufferPointer(start: source, count: count)
        guard isPlainCSV(raw, separator: separator) else { return nil }
        target.update(from: source, count: count)
        return target + count
    }

    /// `writePlain` of the CVR number's text, which the row knows to be eight ASCII digits when
    /// `digits` (`BatchRow.cvrIsDigits`): then it is copied as one word, without the check for
    /// quotes and the formula guard (a digit needs neither; a separator that is a digit, which no
    /// dialect has, takes `writePlain`). Otherwise `writePlain`.
    @inline(__always)
    static func writeCVR(
        _ texts: UnsafeBufferPointer<UInt8>, _ span: TextSpan, digits: Bool, at target: UnsafeMutablePointer<UInt8>, separator: UInt8
    ) -> UnsafeMutablePointer<UInt8>? {
        if digits, span.start >= 0, span.count == 8, span.end <= texts.count, separator &- 0x30 >= 10, let base = texts.baseAddress {
            UnsafeMutableRawPointer(target).storeBytes(
                of: UnsafeRawPointer(base + span.start).loadUnaligned(as: UInt64.self), as: UInt64.self)
            return target + 8
        }
        return writePlainOutlined(texts, span, at: target, separator: separator)
    }

    /// `writePlain`, called rather than inlined: `writeCVR`'s fallback, so that its fast path is
    /// small enough to be inlined where it is used (as one call, it cost about 44 instructions a row).
    @inline(never)
    static func writePlainOutlined(
        _ texts: UnsafeBufferPointer<UInt8>, _ span: TextSpan, at target: UnsafeMutablePointer<UInt8>, separator: UInt8
    ) -> UnsafeMutablePointer<UInt8>? {
        writePlain(texts, span, at: target, separator: separator)
    }

    /// `writePlain` of a text known to hold nothing that needs quotes (`BatchRow.textsPlainFor`
    /// for this writer's separator): only the formula guard is looked at (nil when the text
    /// starts like a formula, for the general path); the text copied by `ShortCopy` (no byte
    /// written past it).
    @inline(__always)
    static func writeUnquoted(_ texts: UnsafeBufferPointer<UInt8>, _ span: TextSpan, at target: UnsafeMutablePointer<UInt8>)
        -> UnsafeMutablePointer<UInt8>?
    {
        guard span.start >= 0, span.count > 0, span.end <= texts.count, let base = texts.baseAddress else { return target }
        let (source, count) = (base + span.start, span.count)
        if startsFormula(source[0]) { return nil }
        ShortCopy.anyLength(from: source, to: target, count: count)
        return target + count
    }

    /// Not zero when one of the eight bytes of `word` is the separator, a quote or a line break: a
    /// lane equal to one of them is marked by `ByteLanes.equal`.
    @inline(__always)
    static func quoteLanes(_ word: UInt64, _ separator: UInt8) -> UInt64 {
        ByteLanes.equal(word, separator) | ByteLanes.equal(word, 0x22) | ByteLanes.equal(word, 0x0A) | ByteLanes.equal(word, 0x0D)
    }

    /// Whether `appendCSVText` writes the bytes as they are: no formula start, nothing to quote.
    /// Eight bytes at a time, `quoteLanes`'s test with the lanes made once for the loop; the last
    /// bytes one by one.
    @inline(__always)
    static func isPlainCSV(_ raw: UnsafeBufferPointer<UInt8>, separator: UInt8) -> Bool {
        guard let base = raw.baseAddress, raw.count > 0 else { return true }
        if startsFormula(base[0]) { return false }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let (lanes, quote, lineFeed, carriage) = (ones &* UInt64(separator), ones &* 0x22, ones &* 0x0A, ones &* 0x0D)
        var offset = 0
        while offset &+ 8 <= raw.count {
            let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
            let (a, b, c, d) = (word ^ lanes, word ^ quote, word ^ lineFeed, word ^ carriage)
            let zero = ((a &- ones) & ~a) | ((b &- ones) & ~b) | ((c &- ones) & ~c) | ((d &- ones) & ~d)
            if zero & (ones &* 0x80) != 0 { return false }
            offset &+= 8
        }
        while offset < raw.count {
            let byte = base[offset]
            if byte == separator || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D { return false }
            offset &+= 1
        }
        return true
    }
}
