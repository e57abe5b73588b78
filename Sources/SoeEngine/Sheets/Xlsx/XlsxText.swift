// SpreadsheetML's escape for a character XML cannot carry (ECMA-376 Part 1, 22.9.2.19, ST_Xstring):
// `_xHHHH_`, four hexadecimal digits naming a UTF-16 code unit. Excel writes a carriage return in
// a cell (text pasted from Windows) as `_x000D_`, a control character as `_x0001_`, and an
// underscore that would start such an escape as `_x005F_`, so that the text `_x0041_` is written
// `_x005F_x0041_`. soe's own workbooks write the same (`XLSXWriter.appendEscaped`). A reader that
// took the escapes literally would put `Firma_x000D_` in a result where the sheet shows `Firma`.
//
// The escape is read where the schema's type is ST_Xstring: a shared string's text, an inline
// string's text, and the value of a formula's text result (`t="str"`). The `x` is lower case and
// the digits either case, as Excel and LibreOffice read them. A surrogate pair is two escapes in a
// row; a lone surrogate names no character and is left as written, for the reader to see.

enum XlsxText {
    /// The text with each `_xHHHH_` escape replaced by the character it names.
    static func unescaped(_ text: String) -> String {
        let underscore = UInt8(ascii: "_")
        guard text.utf8.contains(underscore) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        var changed = false
        while index < bytes.count {
            guard let unit = codeUnit(bytes, at: index) else {
                out.append(bytes[index])
                index += 1
                continue
            }
            var scalar: Unicode.Scalar?
            var length = 7
            if UTF16.isLeadSurrogate(unit) {
                if let trail = codeUnit(bytes, at: index + 7), UTF16.isTrailSurrogate(trail) {
                    scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(trail) - 0xDC00))
                    length = 14
                }
            } else if !UTF16.isTrailSurrogate(unit) {
                scalar = Unicode.Scalar(unit)
            }
            guard let scalar else {
                // Kept whole, so that its closing `_` does not start another escape.
                out.append(contentsOf: bytes[index..<(index + 7)])
                index += 7
                continue
            }
            UTF8.encode(scalar) { out.append($0) }
            index += length
            changed = true
        }
        return changed ? String(decoding: out, as: UTF8.self) : text
    }

    /// The code unit of an escape `_xHHHH_` starting at `index`, if one starts there.
    private static func codeUnit(_ bytes: [UInt8], at index: Int) -> UInt16? {
        guard index + 6 < bytes.count, bytes[index] == UInt8(ascii: "_"), bytes[index + 1] == UInt8(ascii: "x"),
            bytes[index + 6] == UInt8(ascii: "_")
        else { return nil }
        var value: UInt16 = 0
        for byte in bytes[(index + 2)...(index + 5)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
