import SoeLanguage

// The SpreadsheetML (ECMA-376, "Office Open XML") subset that a results sheet and a template
// need: one worksheet of inline strings and numbers, a frozen header, column widths, a few number
// formats and data validation. The package parts besides the sheet are fixed texts; the sheet is
// written in pieces (start, rows, end) so that a batch streams it to a temporary file row by row.

/// One cell of a sheet.
public enum SheetCell: Sendable, Equatable {
    case empty
    /// Text, written as an inline string: never read as a formula or a number.
    case text(String)
    /// A whole number.
    case integer(Int)
    /// A number as exact decimal text (`-1234.5`; digits, at most one point, an optional leading
    /// minus), in a style: a share as a fraction (`0.25`) with `.percent` shows as 25,00 %.
    case number(String, SheetStyle)
}

/// The cell styles of `XLSXWriter.styles`, by their index in `cellXfs`.
public enum SheetStyle: Int, Sendable, CaseIterable {
    case general = 0
    /// The header row: bold.
    case header = 1
    /// `#,##0.00 "kr."`.
    case money = 2
    /// `0.00%`.
    case percent = 3
    /// `yyyy-mm-dd`.
    case date = 4
    /// `0`.
    case integer = 5
    /// The template's description row: italic, wrapped.
    case note = 6
}

/// A data validation rule over a range of a column, as Excel and LibreOffice check it on entry.
public struct SheetValidation: Sendable, Equatable {
    public enum Rule: Sendable, Equatable {
        /// One of the words (at most 255 characters together, the limit of a list formula).
        case list([String])
        /// A whole number from `minimum` up to `maximum` (either may be open).
        case whole(minimum: String?, maximum: String?)
        /// A number from `minimum` up to `maximum`, as exact decimal text.
        case decimal(minimum: String?, maximum: String?)
    }
    /// 0-based column.
    public var column: Int
    /// 1-based rows, inclusive.
    public var rows: ClosedRange<Int>
    public var rule: Rule
    /// The message shown when a value breaks the rule.
    public var error: String

    public init(column: Int, rows: ClosedRange<Int>, rule: Rule, error: String) {
        (self.column, self.rows, self.rule, self.error) = (column, rows, rule, error)
    }
}

/// Writes the parts of an .xlsx package.
public enum XLSXWriter {
    /// The package's parts other than the worksheet, by name, in the order they are stored.
    static func parts(sheetName: String) -> [(String, String)] {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let package = "http://schemas.openxmlformats.org/package/2006"
        let head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        return [
            (
                "[Content_Types].xml",
                head + "<Types xmlns=\"\(package)/content-types\">"
                    + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                    + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                    + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                    + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                    + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
                    + "</Types>"
            ),
            (
                "_rels/.rels",
                head + "<Relationships xmlns=\"\(package)/relationships\">"
                    + "<Relationship Id=\"rId1\" Type=\"\(relationships)/officeDocument\" Target=\"xl/workbook.xml\"/>"
                    + "</Relationships>"
            ),
            (
                "xl/workbook.xml",
                head + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(relationships)\"><sheets>"
                    + "<sheet name=\"\(escaped(sheetName))\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
            (
                "xl/_rels/workbook.xml.rels",
                head + "<Relationships xmlns=\"\(package)/relationships\">"
                    + "<Relationship Id=\"rId1\" Type=\"\(relationships)/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                    + "<Relationship Id=\"rId2\" Type=\"\(relationships)/styles\" Target=\"styles.xml\"/>"
                    + "</Relationships>"
            ),
            ("xl/styles.xml", head + styles),
        ]
    }

    /// The path of the worksheet part.
    static let sheetPart = "xl/worksheets/sheet1.xml"

    /// The number formats, fonts and cell formats that `SheetStyle` names, in its order.
    static let styles =
        "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        + "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"#,##0.00 &quot;kr.&quot;\"/>"
        + "<numFmt numFmtId=\"165\" formatCode=\"yyyy-mm-dd\"/></numFmts>"
        + "<fonts count=\"3\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
        + "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font>"
        + "<font><i/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
        + "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>"
        + "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"7\">"
        + "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
        + "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
        + "<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"10\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"1\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"0\" fontId=\"2\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\" applyAlignment=\"1\">"
        + "<alignment wrapText=\"1\" vertical=\"top\"/></xf>"
        + "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        + "</styleSheet>"

    /// The worksheet up to its first row: the rows above `frozenRows` stay in view when scrolling,
    /// each column gets its width (in characters) and, when given, a style for the cells typed into it.
    static func sheetStart(widths: [Int], styles: [SheetStyle?] = [], frozenRows: Int) -> [UInt8] {
        var xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        if frozenRows > 0 {
            xml +=
                "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"\(frozenRows)\" topLeftCell=\"A\(frozenRows + 1)\""
                + " activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
        }
        xml += "<sheetFormatPr defaultRowHeight=\"15\"/>"
        if !widths.isEmpty {
            xml += "<cols>"
            for (index, width) in widths.enumerated() {
                let style = index < styles.count ? styles[index].map { " style=\"\($0.rawValue)\"" } ?? "" : ""
                xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(min(max(width, 8), 80))\" customWidth=\"1\"\(style)/>"
            }
            xml += "</cols>"
        }
        return Array((xml + "<sheetData>").utf8)
    }

    /// The end of the worksheet, with its data validation.
    static func sheetEnd(validations: [SheetValidation] = []) -> [UInt8] {
        var xml = "</sheetData>"
        if !validations.isEmpty {
            xml += "<dataValidations count=\"\(validations.count)\">"
            for validation in validations {
                let letter = columnName(validation.column)
                let range = "\(letter)\(validation.rows.lowerBound):\(letter)\(validation.rows.upperBound)"
                let (type, operatorText, formulas) = XLSXWriter.formulas(validation.rule)
                xml +=
                    "<dataValidation type=\"\(type)\"\(operatorText) allowBlank=\"1\" showErrorMessage=\"1\""
                    + " error=\"\(escaped(validation.error))\" sqref=\"\(range)\">" + formulas + "</dataValidation>"
            }
            xml += "</dataValidations>"
        }
        return Array((xml + "</worksheet>").utf8)
    }

    private static func formulas(_ rule: SheetValidation.Rule) -> (String, String, String) {
        func bounds(_ minimum: String?, _ maximum: String?) -> (String, String) {
            switch (minimum, maximum) {
            case (let low?, let high?): (" operator=\"between\"", "<formula1>\(low)</formula1><formula2>\(high)</formula2>")
            case (let low?, nil): (" operator=\"greaterThanOrEqual\"", "<formula1>\(low)</formula1>")
            case (nil, let high?): (" operator=\"lessThanOrEqual\"", "<formula1>\(high)</formula1>")
            case (nil, nil): (" operator=\"greaterThanOrEqual\"", "<formula1>-1E+300</formula1>")
            }
        }
        switch rule {
        case .list(let words):
            return ("list", "", "<formula1>\"\(escaped(words.joined(separator: ",")))\"</formula1>")
        case .whole(let minimum, let maximum):
            let (operatorText, formulas) = bounds(minimum, maximum)
            return ("whole", operatorText, formulas)
        case .decimal(let minimum, let maximum):
            let (operatorText, formulas) = bounds(minimum, maximum)
            return ("decimal", operatorText, formulas)
        }
    }

    /// Appends one row; `style` applies to its text cells (the header's bold).
    static func appendRow(_ cells: [SheetCell], style: SheetStyle = .general, to bytes: inout [UInt8]) {
        bytes += "<row>".utf8
        let styled = style == .general ? "" : " s=\"\(style.rawValue)\""
        for cell in cells {
            switch cell {
            case .empty:
                bytes += "<c/>".utf8
            case .text(let text):
                bytes += "<c t=\"inlineStr\"\(styled)><is><t xml:space=\"preserve\">".utf8
                appendEscaped(text, to: &bytes)
                bytes += "</t></is></c>".utf8
            case .integer(let value):
                bytes += "<c><v>\(value)</v></c>".utf8
            case .number(let text, let numberStyle):
                guard isDecimal(text) else {
                    // Never a number the sheet could misread: such a value is kept as text.
                    bytes += "<c t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8
                    appendEscaped(text, to: &bytes)
                    bytes += "</t></is></c>".utf8
                    continue
                }
                let numberStyled = numberStyle == .general ? "" : " s=\"\(numberStyle.rawValue)\""
                bytes += "<c\(numberStyled)><v>\(text)</v></c>".utf8
            }
        }
        bytes += "</row>".utf8
    }

    /// Whether a text is a plain decimal: an optional minus, digits, and at most one point with digits after it.
    static func isDecimal(_ text: String) -> Bool {
        var digits = text.utf8[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        let parts = digits.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }) else { return false }
        return true
    }

    /// The letters of a 0-based column: 0 → A, 25 → Z, 26 → AA.
    static func columnName(_ index: Int) -> String {
        var index = index + 1
        var letters: [Character] = []
        while index > 0 {
            let remainder = (index - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + remainder))), at: 0)
            index = (index - 1) / 26
        }
        return String(letters)
    }

    static func escaped(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendEscaped(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Text as XML character data that SpreadsheetML reads back to the same text: `&`, `<`, `>`
    /// and `"` as entities; a character XML 1.0 cannot hold (controls other than tab and line
    /// feed, U+FFFE, U+FFFF) and the carriage return, which XML would turn into a line feed, as
    /// SpreadsheetML's `_xHHHH_`; and an underscore that would start such an escape as `_x005F_`.
    static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        // Most cells need nothing: one scan of the bytes, one copy. 0xEF leads U+FFFE and U+FFFF.
        let plain = !text.utf8.contains {
            $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x5F || $0 == 0xEF
        }
        if plain {
            bytes += text.utf8
            return
        }
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar.value {
            case 0x26: bytes += "&amp;".utf8
            case 0x3C: bytes += "&lt;".utf8
            case 0x3E: bytes += "&gt;".utf8
            case 0x22: bytes += "&quot;".utf8
            case 0x09, 0x0A: bytes.append(UInt8(scalar.value))
            case 0..<0x20, 0xFFFE, 0xFFFF: bytes += hexEscape(scalar.value).utf8
            case 0x5F where startsEscape(scalars, at: index): bytes += "_x005F_".utf8
            default: UTF8.encode(scalar) { bytes.append($0) }
            }
        }
    }

    private static func hexEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "_x" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "_"
    }

    /// Whether `_xHHHH_` starts at `index`, which a reader would take for an escape.
    private static func startsEscape(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 6 < scalars.count, scalars[index + 1] == "x" || scalars[index + 1] == "X", scalars[index + 6] == "_" else {
            return false
        }
        return scalars[(index + 2)...(index + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }
}
