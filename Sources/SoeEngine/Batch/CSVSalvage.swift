import SoeLanguage

// A CSV record that cannot be read (a quote that never closes, bytes that are not UTF-8, a quote
// inside an unquoted field) is rejected, but a caseworker still needs to know which firm it was.
// `CSVSalvage` reads what it can of such a record, leniently and apart from the strict scanner,
// so that the rejected result can name the row's id, CVR number and firm, marked as unverified.

/// What could be read of a record that failed: its fields and the lines it took.
public struct CSVSalvage: Sendable, Equatable {
    /// The fields, split at separators outside quotes, bytes that are not UTF-8 decoded as U+FFFD;
    /// a quote that never closes makes the rest one field.
    public var fields: [String]
    /// The physical lines the record took, at least 1.
    public var lines: Int

    /// The longest salvaged value kept as an id or a name, in Unicode scalars; a longer one, or
    /// one with a control character (a line break inside an unclosed quote), is not a safe guess.
    public static let maxValueLength = 100

    /// Reads the record at `range` of `buffer`, which ended after `lineBreaks` line breaks.
    static func read(_ buffer: [UInt8], _ range: Range<Int>, lineBreaks: Int, separator: UInt8) -> CSVSalvage {
        let bytes = buffer[range.clamped(to: 0..<buffer.count)]
        let endsWithBreak = bytes.last.map { $0 == 0x0A || $0 == 0x0D } ?? false
        let lines = max(1, lineBreaks + (endsWithBreak ? 0 : 1))
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.endIndex && bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && field.isEmpty {
                quoted = true
            } else if byte == separator {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else if byte == 0x0A || byte == 0x0D {
                break
            } else {
                field.append(byte)
            }
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return CSVSalvage(fields: fields, lines: lines)
    }

    /// The field at `column` when it is a safe guess at a short value: present, not blank, at most
    /// `maxValueLength` scalars and without control characters; nil otherwise.
    public func value(at column: Int?) -> String? {
        guard let column, column < fields.count else { return nil }
        var text = fields[column].trimmingSpaces()
        // A byte-order mark at the start (two files joined) is no part of the id or name it precedes.
        while text.unicodeScalars.first == "\u{FEFF}" { text = String(text.unicodeScalars.dropFirst()) }
        guard !text.isEmpty, text.unicodeScalars.count <= CSVSalvage.maxValueLength,
            !text.unicodeScalars.contains(where: DisplayText.isControl)
        else { return nil }
        return text
    }
}
