import SoeLanguage

/// The record scanner that words every error: `CSVScanner` hands a record to it whenever it finds
/// anything wrong (or anything it does not handle), so the errors, their order and their positions
/// are this scanner's. Outside the generic reader so it is compiled once, not per source type.
enum CSVCheckingScanner {
    enum Outcome {
        case needMore
        case record([String], next: Int, lines: Int)
        case failed(CSVError, next: Int, lines: Int)
        case tooLong(openQuoteLine: Int?)
    }

    struct Context {
        var start: Int, end: Int, atEndOfInput: Bool, separator: UInt8, limits: CSVLimits
        var line: Int, number: Int, fieldCountHint: Int
    }

    /// Takes the array, not a pointer, so the closure below is compiled here once: inside the generic
    /// reader it cost a metadata lookup per record.
    static func scan(_ buffer: [UInt8], _ c: Context, _ scratch: inout [UInt8]) -> Outcome {
        buffer.withUnsafeBufferPointer { bytes in scan(bytes, c, &scratch) }
    }

    private static func scan(_ p: UnsafeBufferPointer<UInt8>, _ c: Context, _ scratch: inout [UInt8]) -> Outcome {
        let quote = UInt8(ascii: "\"")
        let lf: UInt8 = 0x0A
        let cr: UInt8 = 0x0D
        let separator = c.separator
        // Bytes past the limit are never looked at: reaching `stop` early means the record is too long.
        let stop = Swift.min(c.end, c.start + c.limits.maxRecordBytes + 2)
        let limited = stop < c.end
        let eof = c.atEndOfInput && !limited
        let short: Outcome = limited ? .tooLong(openQuoteLine: nil) : .needMore
        var i = c.start
        var lines = 0
        var lineStart = c.start
        var fields: [String] = []
        fields.reserveCapacity(c.fieldCountHint)
        var failure: CSVError?

        func fail(_ message: String, _ danish: String, at position: Int, lineOffset: Int, lineStart: Int) {
            guard failure == nil else { return }
            failure = CSVError(
                message: message, danish: danish, line: c.line + lineOffset,
                column: column(p, from: lineStart, to: position), number: c.number)
        }
        // No spreadsheet writes a NUL byte into a CSV file, and a program that reads text stops
        // at one: it is damage, or a file that is not text, never a firm's data.
        func failNUL(at position: Int, lineOffset: Int, lineStart: Int) {
            fail(
                "NUL byte (U+0000) in field \(fields.count + 1): a CSV file holds none (a damaged file, or one that is not text?)",
                "NUL-byte (U+0000) i felt \(fields.count + 1): en CSV-fil indeholder ingen (en beskadiget fil, eller en der ikke er tekst?)",
                at: position, lineOffset: lineOffset, lineStart: lineStart)
        }
        func add(_ value: String?, at position: Int, lineOffset: Int, lineStart: Int) {
            guard failure == nil else { return }
            if fields.count == c.limits.maxFields {
                fail(
                    "record has more than \(c.limits.maxFields) fields", "posten har mere end \(c.limits.maxFields) felter", at: position,
                    lineOffset: lineOffset, lineStart: lineStart)
            } else if let value {
                var text = value
                if text.withUTF8(startsWithByteOrderMark) {
                    fail(
                        "field \(fields.count + 1) starts with a byte-order mark (U+FEFF), which belongs only at the start of a file (were two files joined into one?); delete it",
                        "felt \(fields.count + 1) begynder med et byte-order-mærke (U+FEFF), der kun hører til i starten af en fil (er to filer sat sammen til én?); slet det",
                        at: position, lineOffset: lineOffset, lineStart: lineStart)
                }
                fields.append(value)
            } else {
                fail(
                    "invalid UTF-8 in field \(fields.count + 1) (saved as Windows-1252? save the file as UTF-8)",
                    "ugyldig UTF-8 i felt \(fields.count + 1) (gemt som Windows-1252? gem filen som UTF-8)", at: position,
                    lineOffset: lineOffset, lineStart: lineStart)
            }
        }

        while true {
            let fieldStart = i
            let fieldLines = lines
            let fieldLineStart = lineStart
            var value: String?
            if i < stop && p[i] == quote {
                i += 1
                var segment = i
                var escaped = false
                while true {
                    if i == stop {
                        if limited { return .tooLong(openQuoteLine: c.line + fieldLines) }
                        if !eof { return .needMore }
                        // Reported even after an earlier error: it explains why the rest of the input is gone,
                        // and names the lines it took, which are not rows of their own.
                        let opened = c.line + fieldLines
                        let last = c.line + lines - (stop > 0 && (p[stop - 1] == 0x0A || p[stop - 1] == 0x0D) ? 1 : 0)
                        let count = last - opened + 1
                        let taken =
                            last > opened
                            ? ": lines \(opened) to \(last) (\(count) lines), to the end of the input, are one unfinished field" : ""
                        let takenDanish =
                            last > opened
                            ? ": linje \(opened) til \(last) (\(count) linjer), til slutningen af input, er ét ufærdigt felt" : ""
                        let error = CSVError(
                            message: "quote opened at line \(opened) never closes" + taken,
                            danish: "anførselstegnet i linje \(opened) lukkes aldrig" + takenDanish,
                            line: c.line + fieldLines,
                            column: column(p, from: fieldLineStart, to: fieldStart), number: c.number)
                        return .failed(error, next: stop, lines: lines)
                    }
                    let byte = p[i]
                    if byte == quote {
                        if i + 1 < stop && p[i + 1] == quote {
                            if failure == nil {
                                if !escaped { scratch.removeAll(keepingCapacity: true) }
                                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[segment...i]))
                            }
                            (escaped, i, segment) = (true, i + 2, i + 2)
                            continue
                        }
                        if failure == nil && escaped {
                            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[segment..<i]))
                            value = scratch.withUnsafeBufferPointer(string)
                        } else if failure == nil {
                            value = string(UnsafeBufferPointer(rebasing: p[segment..<i]))
                        }
                        i += 1
                        break
                    }
                    if byte == lf || (byte == cr && !(i + 1 < stop && p[i + 1] == lf)) {
                        (lines, lineStart) = (lines + 1, i + 1)
                    } else if byte == 0 {
                        failNUL(at: i, lineOffset: lines, lineStart: lineStart)
                    }
                    i += 1
                }
                if i < stop && p[i] != separator && p[i] != lf && p[i] != cr {
                    fail(
                        "unexpected character after closing quote", "uventet tegn efter afsluttende anførselstegn", at: i,
                        lineOffset: lines, lineStart: lineStart)
                    while i < stop && p[i] != separator && p[i] != lf && p[i] != cr { i += 1 }
                }
            } else {
                while i < stop {
                    let byte = p[i]
                    if byte == separator || byte == lf || byte == cr { break }
                    if byte == quote {
                        fail(
                            "quote inside an unquoted field", "anførselstegn inde i et felt uden anførselstegn", at: i, lineOffset: lines,
                            lineStart: lineStart)
                    } else if byte == 0 {
                        failNUL(at: i, lineOffset: lines, lineStart: lineStart)
                    }
                    i += 1
                }
                if i == stop && !eof { return short }
                if failure == nil { value = string(UnsafeBufferPointer(rebasing: p[fieldStart..<i])) }
            }
            if i == stop && !eof { return short }
            add(value, at: fieldStart, lineOffset: fieldLines, lineStart: fieldLineStart)
            // The field has ended: at a separator, a line break, or the end of input.
            var next = i
            if i < stop {
                let byte = p[i]
                if byte == separator {
                    i += 1
                    continue
                }
                if byte == cr && i + 1 == stop && !eof { return short }
                next = byte == cr && i + 1 < stop && p[i + 1] == lf ? i + 2 : i + 1
                lines += 1
            }
            if i - c.start > c.limits.maxRecordBytes {
                let error = CSVError(
                    message: "record is longer than \(c.limits.maxRecordBytes) bytes",
                    danish: "posten er længere end \(c.limits.maxRecordBytes) bytes",
                    line: c.line, column: 1, number: c.number)
                return .failed(error, next: next, lines: lines)
            }
            if let failure { return .failed(failure, next: next, lines: lines) }
            return .record(fields, next: next, lines: lines)
        }
    }

    /// Whether a field starts with a UTF-8 byte-order mark (EF BB BF): left in a row where two
    /// files were joined into one, it makes `S001` another id than the `S001` it looks like.
    @inline(__always)
    static func startsWithByteOrderMark(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        field.count >= 3 && field[0] == 0xEF && field[1] == 0xBB && field[2] == 0xBF
    }

    /// The field's text, or nil when it is not UTF-8. Checked here because `String(validating:)` is
    /// generic and unspecialised, and took a third of the run time.
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.contains(where: { $0 >= 0x80 }) {
            var parser = Unicode.UTF8.ForwardParser()
            var iterator = bytes.makeIterator()
            parsing: while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid: continue
                case .emptyInput: break parsing
                case .error: return nil
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Columns count Unicode scalars, not bytes, so "æ" is one column as a person sees it.
    private static func column(_ p: UnsafeBufferPointer<UInt8>, from lineStart: Int, to position: Int) -> Int {
        var column = 1
        for i in lineStart..<position where p[i] & 0xC0 != 0x80 { column += 1 }
        return column
    }
}
