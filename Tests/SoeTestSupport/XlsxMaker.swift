import SoeEngine

// A tiny .xlsx writer for tests and the benchmark: a ZIP archive with stored entries, or entries
// deflated as one fixed-Huffman block of literals (valid DEFLATE, no matching), and the few
// SpreadsheetML parts a workbook needs. Workbooks made by a real spreadsheet program are the
// LibreOffice fixtures; this one makes the variants a test needs (1904 dates, inline strings, a
// second sheet, broken parts) without a program.

/// Builds ZIP archives in memory.
public enum ZipMaker {
    /// One entry: its name, data, and whether it is deflated.
    public struct Entry {
        public var name: String
        public var data: [UInt8]
        public var deflated: Bool
        public init(_ name: String, _ data: [UInt8], deflated: Bool = false) {
            (self.name, self.data, self.deflated) = (name, data, deflated)
        }
    }

    /// The archive of the entries, in order, with an optional trailing comment.
    public static func archive(_ entries: [Entry], comment: String = "") -> [UInt8] {
        var out: [UInt8] = []
        var directory: [UInt8] = []
        for entry in entries {
            let name = Array(entry.name.utf8)
            let body = entry.deflated ? DeflateMaker.literals(entry.data) : entry.data
            let crc = CRC32.checksum(entry.data)
            let offset = out.count
            var local: [UInt8] = []
            le32(0x0403_4B50, &local)
            le16(20, &local)
            le16(0, &local)
            le16(entry.deflated ? 8 : 0, &local)
            le16(0, &local)
            le16(0x21, &local)
            le32(crc, &local)
            le32(UInt32(body.count), &local)
            le32(UInt32(entry.data.count), &local)
            le16(name.count, &local)
            le16(0, &local)
            out += local + name + body
            le32(0x0201_4B50, &directory)
            le16(20, &directory)
            le16(20, &directory)
            le16(0, &directory)
            le16(entry.deflated ? 8 : 0, &directory)
            le16(0, &directory)
            le16(0x21, &directory)
            le32(crc, &directory)
            le32(UInt32(body.count), &directory)
            le32(UInt32(entry.data.count), &directory)
            le16(name.count, &directory)
            le16(0, &directory)
            le16(0, &directory)
            le16(0, &directory)
            le16(0, &directory)
            le32(0, &directory)
            le32(UInt32(offset), &directory)
            directory += name
        }
        let directoryOffset = out.count
        out += directory
        let commentBytes = Array(comment.utf8)
        le32(0x0605_4B50, &out)
        le16(0, &out)
        le16(0, &out)
        le16(entries.count, &out)
        le16(entries.count, &out)
        le32(UInt32(directory.count), &out)
        le32(UInt32(directoryOffset), &out)
        le16(commentBytes.count, &out)
        return out + commentBytes
    }

    public static func le16(_ value: Int, _ out: inout [UInt8]) {
        out.append(UInt8(value & 0xFF))
        out.append(UInt8((value >> 8) & 0xFF))
    }

    public static func le32(_ value: UInt32, _ out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}

/// Writes bits least significant first, as DEFLATE reads them.
public struct BitWriter {
    public private(set) var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var count = 0
    public init() {}

    /// `length` bits of `value`, lowest first (extra bits, header fields).
    public mutating func write(_ value: Int, _ length: Int) {
        buffer |= UInt64(value) << UInt64(count)
        count += length
        while count >= 8 {
            bytes.append(UInt8(buffer & 0xFF))
            buffer >>= 8
            count -= 8
        }
    }

    /// A Huffman code of `length` bits, highest bit first, as DEFLATE packs codes.
    public mutating func code(_ value: Int, _ length: Int) {
        var reversed = 0
        for bit in 0..<length where value & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
        write(reversed, length)
    }

    /// The bytes, the last one padded with zeros.
    public mutating func finish() -> [UInt8] {
        if count > 0 { write(0, 8 - count) }
        return bytes
    }
}

/// DEFLATE streams for tests.
public enum DeflateMaker {
    /// One final fixed-Huffman block holding every byte as a literal.
    public static func literals(_ data: [UInt8]) -> [UInt8] {
        var bits = BitWriter()
        bits.write(1, 1)
        bits.write(1, 2)
        for byte in data {
            if byte < 144 { bits.code(0x30 + Int(byte), 8) } else { bits.code(0x190 + Int(byte) - 144, 9) }
        }
        bits.code(0, 7)
        return bits.finish()
    }
}

/// Builds an .xlsx workbook.
public struct XlsxMaker {
    /// A cell as the test writes it.
    public enum Cell: Sendable {
        case shared(String)
        case inline(String)
        case number(String, style: Int = 0)
        case bool(Bool)
        case error(String)
        case formulaText(String)
        /// A formula with no stored value, as programs that do not calculate write it.
        case uncomputed(String)
        case empty
    }

    /// The styles every made workbook has, by index: 0 general, 1 percent (built-in 9), 2 date
    /// (built-in 14), 3 custom percent `0.0%`, 4 custom date `dd\-mm\-yyyy`, 5 money `#,##0.00 "kr."`.
    public static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3">\
        <numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="dd\\-mm\\-yyyy"/>\
        <numFmt numFmtId="166" formatCode="#,##0.00&quot; kr.&quot;"/></numFmts>\
        <cellStyleXfs count="1"><xf numFmtId="9"/></cellStyleXfs>\
        <cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="9" applyNumberFormat="1"/><xf numFmtId="14"/><xf numFmtId="164"/>\
        <xf numFmtId="165"/><xf numFmtId="166"/></cellXfs></styleSheet>
        """

    public var sheets: [(name: String, rows: [[Cell]])]
    public var date1904 = false
    public var deflated = false
    /// Whether cells carry their `r` references (`C17`); without, each follows the one before.
    public var references = true

    public init(sheets: [(name: String, rows: [[Cell]])]) { self.sheets = sheets }

    /// The workbook's bytes.
    public func bytes() -> [UInt8] {
        var strings: [String] = []
        var index: [String: Int] = [:]
        var parts: [ZipMaker.Entry] = []
        for (number, sheet) in sheets.enumerated() {
            var xml =
                #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
            for (rowIndex, row) in sheet.rows.enumerated() {
                let rowNumber = rowIndex + 1
                xml += references ? #"<row r="\#(rowNumber)">"# : "<row>"
                for (columnIndex, cell) in row.enumerated() {
                    let reference = references ? #" r="\#(XlsxSheetReader.columnName(columnIndex + 1))\#(rowNumber)""# : ""
                    switch cell {
                    case .empty: continue
                    case .shared(let text):
                        let position = index[text] ?? strings.count
                        if index[text] == nil {
                            index[text] = position
                            strings.append(text)
                        }
                        xml += #"<c\#(reference) t="s"><v>\#(position)</v></c>"#
                    case .inline(let text): xml += #"<c\#(reference) t="inlineStr"><is><t>\#(Self.escape(text))</t></is></c>"#
                    case .number(let text, let style): xml += #"<c\#(reference) s="\#(style)"><v>\#(text)</v></c>"#
                    case .bool(let value): xml += #"<c\#(reference) t="b"><v>\#(value ? 1 : 0)</v></c>"#
                    case .error(let code): xml += #"<c\#(reference) t="e"><f>1/0</f><v>\#(code)</v></c>"#
                    case .formulaText(let text): xml += #"<c\#(reference) t="str"><f>A1</f><v>\#(Self.escape(text))</v></c>"#
                    case .uncomputed(let formula): xml += #"<c\#(reference)><f>\#(Self.escape(formula))</f></c>"#
                    }
                }
                xml += "</row>"
            }
            xml += "</sheetData></worksheet>"
            parts.append(ZipMaker.Entry("xl/worksheets/sheet\(number + 1).xml", Array(xml.utf8), deflated: deflated))
        }
        var shared = #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        for text in strings { shared += "<si><t>\(Self.escape(text))</t></si>" }
        shared += "</sst>"
        var workbook =
            #"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        workbook += date1904 ? #"<workbookPr date1904="1"/>"# : "<workbookPr/>"
        workbook += "<sheets>"
        var rels =
            #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for (number, sheet) in sheets.enumerated() {
            workbook += #"<sheet name="\#(Self.escape(sheet.name))" sheetId="\#(number + 1)" r:id="rId\#(number + 1)"/>"#
            rels +=
                #"<Relationship Id="rId\#(number + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#(number + 1).xml"/>"#
        }
        workbook += "</sheets></workbook>"
        rels +=
            #"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
            + #"<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#
        let root =
            #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        let entries =
            [
                ZipMaker.Entry("_rels/.rels", Array(root.utf8), deflated: deflated),
                ZipMaker.Entry("xl/workbook.xml", Array(workbook.utf8), deflated: deflated),
                ZipMaker.Entry("xl/_rels/workbook.xml.rels", Array(rels.utf8), deflated: deflated),
                ZipMaker.Entry("xl/sharedStrings.xml", Array(shared.utf8), deflated: deflated),
                ZipMaker.Entry("xl/styles.xml", Array(Self.styles.utf8), deflated: deflated),
            ] + parts
        return ZipMaker.archive(entries)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
