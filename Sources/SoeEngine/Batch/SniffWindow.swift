// The sniff window of the decimal-mark guard: what the rows that came with the header show about
// the decimal mark. `DecimalMark.evidence` reads a cell as text, through the spreadsheet forms
// (spaces, `%`, currency marks), about 25,000 instructions a cell; the two plain forms nearly
// every cell of a batch has are answered here from the bytes, exactly as it answers them.

/// What a plain cell shows about the decimal mark, from its bytes.
enum SniffedCell: Equatable {
    /// Nothing: `DecimalMark.evidence` is nil.
    case nothing
    /// Only a decimal point reads it: `DecimalMark.evidence` is `.point`.
    case point
    /// Not a plain form: `DecimalMark.evidence` of its text decides.
    case text

    /// A cell with no point and no comma shows nothing (evidence looks for them in what is left of
    /// the cell once spaces, signs, `%` and currency marks are taken off, all of them pieces of the
    /// cell). Digits, a point and digits (`12345.67`) read only with a decimal point, except in
    /// the ambiguous form (1 to 3 digits not starting with 0, a point, 3 digits: `3.600`), which
    /// shows nothing; the Danish reading takes a point for one between thousands only when 1 to 3
    /// digits come before it and exactly 3 after, and `0.125` has a decimal point. Anything else:
    /// `.text`.
    static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> SniffedCell {
        var point = -1
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") {
                guard byte == UInt8(ascii: "."), point < 0 else { return .text }
                point = index
            }
        }
        if point < 0 { return .nothing }
        let (integer, fraction) = (point, bytes.count - point - 1)
        guard integer > 0, fraction > 0 else { return .text }
        for index in bytes.indices where index != point && !(bytes[index] >= 0x30 && bytes[index] <= 0x39) { return .text }
        if fraction == 3 && integer <= 3 && bytes[0] != UInt8(ascii: "0") { return .nothing }
        return .point
    }
}

extension DecimalMarkGuard {
    /// For a dialect detected, not given: what the rows read with the header (`rows`, the reader's
    /// look-ahead) show about the decimal mark in the layout's numeric columns, and the notice when
    /// they contradict the dialect. Batches and rule tests alike.
    static func sniffed(_ rows: [[String]], layout: BatchLayout, dialect: BatchDialect) -> (DecimalMarkGuard, BatchHeaderNote?) {
        var sniffed = DecimalMarkGuard(style: dialect.numbers, dialect: dialect.name)
        let numeric = layout.readings.filter { $0.kind.isNumber }.map(\.column)
        for fields in rows where fields.count == layout.columns.count {
            for column in numeric { sniffed.observeSniffed(fields[column]) }
        }
        return (sniffed, sniffed.pointsInCommaDialect ?? sniffed.commasInPointDialect)
    }

    /// `observe(text)`, with the plain forms answered from the bytes: the same examples kept.
    mutating func observeSniffed(_ text: String) {
        var text = text
        switch text.withUTF8(SniffedCell.of) {
        case .nothing: return
        case .point: if pointExample == nil { pointExample = text }
        case .text: observe(text)
        }
    }
}
