import SoeLanguage

// The cells of one worksheet part (`xl/worksheets/sheetN.xml`), row by row: `<row r="17">` holding
// `<c r="C17" t="…" s="…">` with a `<v>` value or an inline string `<is><t>…</t></is>`. Rows and
// cells may be left out (a sparse sheet) and their `r` attributes too (then each follows the one
// before). A formula (`<f>`) is skipped: its last computed value is in `<v>`. A formula with no
// `<v>` (a workbook written by a program that does not calculate, and never opened and saved since)
// has no value to read: it is `uncomputedFormula`, never a blank cell.

/// A cell's value as the sheet stores it.
public enum XlsxValue: Equatable, Sendable {
    /// A number as written in `<v>`: the shortest text that reads back as the binary double.
    case number(String)
    case text(String)
    case bool(Bool)
    /// An error value (`#DIV/0!`, `#N/A`, `#VALUE!` …).
    case error(String)
    /// A date written as ISO 8601 text (`t="d"`), as some programs store dates.
    case isoDate(String)
    /// A formula whose value was never computed and stored (`<f>` without `<v>`).
    case uncomputedFormula
}

/// A range of merged cells (`E2:E4`): its first and last cell, as 1-based column and row, and the
/// range as written. A merged range shows one value, which the sheet stores in its first cell only.
public struct XlsxMergedRange: Equatable, Sendable {
    public var first: (column: Int, row: Int)
    public var last: (column: Int, row: Int)
    public var text: String

    public static func == (a: Self, b: Self) -> Bool { a.first == b.first && a.last == b.last && a.text == b.text }
}

/// One non-empty cell: its 1-based column, its value, and its style index (into `cellXfs`).
public struct XlsxCell: Equatable, Sendable {
    public var column: Int
    public var value: XlsxValue
    public var style: Int
}

/// Reads a worksheet part.
public enum XlsxSheetReader {
    /// The largest row and column of a sheet (Excel's own limits: 1,048,576 rows, column XFD).
    public static let maxRow = 1_048_576
    public static let maxColumn = 16_384
    /// Merged ranges in one sheet, at most: a sheet of firms has a handful; the cap bounds what a
    /// crafted sheet of millions of `<mergeCell>` would hold in memory.
    public static let maxMergedRanges = 100_000

    /// Calls `row` for each row that has cells, in order, with its 1-based number and its cells in
    /// column order. `sheet` names the sheet in errors (`Ark1!C17: …`). Returns the sheet's merged
    /// ranges (`<mergeCell ref="E2:E4"/>`, after the cells), as their first and last cells.
    @discardableResult
    public static func read(
        _ bytes: [UInt8], sheet: String, sharedStrings: [String], row: (Int, [XlsxCell]) throws(SheetError) -> Void
    ) throws(SheetError) -> [XlsxMergedRange] {
        var merged: [XlsxMergedRange] = []
        var xml = XMLTokenizer(bytes)
        var cells: [XlsxCell] = []
        var rowNumber = 0
        var inRow = false
        var inData = false
        // The cell being read.
        var cellColumn = 0
        // The column of the last cell met in the row, empty ones too, for a cell without `r`.
        var lastColumn = 0
        var cellType = "n"
        var cellStyle = 0
        var inCell = false
        var value: String?
        var inline = ""
        var hasInline = false
        var hasFormula = false
        var textTarget = 0  // 1 = inside <v>, 2 = inside <is>…<t>
        var inInline = false
        var phonetic = 0
        var raw = ""
        func place(_ column: Int) -> String { "\(sheet)!\(columnName(column))\(rowNumber)" }
        do {
            while let token = try xml.next() {
                switch token {
                case .start(let name, let selfClosing):
                    if xml.name(name, is: "sheetData") {
                        inData = !selfClosing
                    } else if !inData && xml.name(name, is: "mergeCell"), let ref = xml.attribute("ref") {
                        // A range the reader cannot parse is left out: it only ever adds a problem.
                        let text = try xml.text(ref)
                        let ends = text.split(separator: ":", omittingEmptySubsequences: false)
                        if ends.count == 2, let first = parseReference(String(ends[0])), let last = parseReference(String(ends[1])),
                            first.column <= last.column, first.row <= last.row
                        {
                            guard merged.count < maxMergedRanges else {
                                throw SheetError(
                                    "\(sheet): more than \(maxMergedRanges) merged ranges",
                                    da: "\(sheet): mere end \(maxMergedRanges) flettede områder")
                            }
                            merged.append(XlsxMergedRange(first: first, last: last, text: text))
                        }
                    } else if inData && xml.name(name, is: "row") {
                        var number = rowNumber + 1
                        if let r = xml.attribute("r") {
                            guard let given = Int(try xml.text(r)), given > rowNumber, given <= maxRow else {
                                throw SheetError(
                                    "\(sheet): a row numbered '\(DisplayText.value(try xml.text(r)))' after row \(rowNumber) (rows must be numbered 1 to \(maxRow), in order)",
                                    da:
                                        "\(sheet): en række med nummeret '\(DisplayText.value(try xml.text(r)))' efter række \(rowNumber) (rækker skal have numrene 1 til \(maxRow) i rækkefølge)"
                                )
                            }
                            number = given
                        }
                        guard number <= maxRow else {
                            throw SheetError("\(sheet): more than \(maxRow) rows", da: "\(sheet): mere end \(maxRow) rækker")
                        }
                        rowNumber = number
                        cells.removeAll(keepingCapacity: true)
                        lastColumn = 0
                        inRow = !selfClosing
                    } else if inRow && xml.name(name, is: "c") {
                        var column = lastColumn + 1
                        if let r = xml.attribute("r") {
                            let reference = try xml.text(r)
                            guard let (parsedColumn, parsedRow) = parseReference(reference), parsedRow == rowNumber,
                                parsedColumn > lastColumn
                            else {
                                throw SheetError(
                                    "\(sheet): the cell reference '\(DisplayText.value(reference))' in row \(rowNumber) is not a cell of that row after the ones before it",
                                    da:
                                        "\(sheet): cellereferencen '\(DisplayText.value(reference))' i række \(rowNumber) er ikke en celle i den række efter de foregående"
                                )
                            }
                            column = parsedColumn
                        }
                        guard column <= maxColumn else {
                            throw SheetError(
                                "\(sheet): row \(rowNumber) has more than \(maxColumn) columns",
                                da: "\(sheet): række \(rowNumber) har mere end \(maxColumn) kolonner")
                        }
                        cellColumn = column
                        lastColumn = column
                        cellType = try xml.attribute("t").map { range throws(SheetError) in try xml.text(range) } ?? "n"
                        cellStyle =
                            try xml.attribute("s").map { range throws(SheetError) in try xml.text(range) }.flatMap { Int($0) }.flatMap {
                                $0 >= 0 ? $0 : nil
                            } ?? 0
                        (value, inline, hasInline, inInline, phonetic, textTarget) = (nil, "", false, false, 0, 0)
                        hasFormula = false
                        inCell = !selfClosing
                        // `<c r="B2"/>` (a styled empty cell) holds nothing.
                    } else if inCell && xml.name(name, is: "v") && !selfClosing {
                        textTarget = 1
                        raw = ""
                    } else if inCell && xml.name(name, is: "f") {
                        hasFormula = true
                    } else if inCell && xml.name(name, is: "is") {
                        inInline = !selfClosing
                        hasInline = true
                    } else if inInline && xml.name(name, is: "rPh") && !selfClosing {
                        phonetic += 1
                    } else if inInline && xml.name(name, is: "t") && !selfClosing {
                        textTarget = phonetic == 0 ? 2 : 0
                    }
                case .end(let name):
                    if xml.name(name, is: "sheetData") {
                        inData = false
                    } else if inRow && !inCell && xml.name(name, is: "row") {
                        inRow = false
                        if !cells.isEmpty { try row(rowNumber, cells) }
                    } else if inCell && xml.name(name, is: "c") {
                        inCell = false
                        if hasFormula && value == nil && !hasInline {
                            cells.append(XlsxCell(column: cellColumn, value: .uncomputedFormula, style: cellStyle))
                        } else if let cell = try makeCell(
                            column: cellColumn, type: cellType, style: cellStyle, value: value, inline: hasInline ? inline : nil,
                            sharedStrings: sharedStrings, place: { place(cellColumn) })
                        {
                            cells.append(cell)
                        }
                    } else if inCell && xml.name(name, is: "v") {
                        textTarget = 0
                        value = raw
                    } else if xml.name(name, is: "is") {
                        inInline = false
                    } else if xml.name(name, is: "rPh") {
                        phonetic -= 1
                    } else if xml.name(name, is: "t") {
                        textTarget = 0
                    }
                case .text(let range):
                    if textTarget == 1 { raw += try xml.text(range) } else if textTarget == 2 { inline += try xml.text(range) }
                case .cdata(let range):
                    if textTarget == 1 { raw += try xml.utf8(range) } else if textTarget == 2 { inline += try xml.utf8(range) }
                }
            }
        }
        return merged
    }

    /// A cell from its type attribute and what it held; nil for a cell with no value.
    static func makeCell(
        column: Int, type: String, style: Int, value: String?, inline: String?, sharedStrings: [String], place: () -> String
    ) throws(SheetError) -> XlsxCell? {
        func cell(_ value: XlsxValue) -> XlsxCell { XlsxCell(column: column, value: value, style: style) }
        switch type {
        case "inlineStr":
            return (inline ?? value).map { cell(.text(XlsxText.unescaped($0))) }
        case "s":
            guard let value else { return nil }
            guard let index = Int(value.trimmingSpaces()), index >= 0, index < sharedStrings.count else {
                throw SheetError(
                    "\(place()): the cell refers to shared string '\(DisplayText.value(value))', which the workbook does not have (\(sharedStrings.count) strings)",
                    da:
                        "\(place()): cellen henviser til den delte tekst '\(DisplayText.value(value))', som projektmappen ikke har (\(sharedStrings.count) tekster)"
                )
            }
            return cell(.text(sharedStrings[index]))
        case "str":
            return value.map { cell(.text(XlsxText.unescaped($0))) }
        case "b":
            guard let value else { return nil }
            switch value.trimmingSpaces() {
            case "1", "true": return cell(.bool(true))
            case "0", "false": return cell(.bool(false))
            default:
                throw SheetError(
                    "\(place()): a yes/no cell holds '\(DisplayText.value(value))', not 1 or 0",
                    da: "\(place()): en ja/nej-celle indeholder '\(DisplayText.value(value))', ikke 1 eller 0")
            }
        case "e":
            return cell(.error(value ?? "#N/A"))
        case "d":
            return value.map { cell(.isoDate($0.trimmingSpaces())) }
        case "n":
            if let inline { return cell(.text(inline)) }
            guard let value else { return nil }
            return cell(.number(value.trimmingSpaces()))
        default:
            throw SheetError(
                "\(place()): the cell has the unknown type '\(DisplayText.value(type))'",
                da: "\(place()): cellen har den ukendte type '\(DisplayText.value(type))'")
        }
    }

    /// "C17" → (3, 17); nil for anything that is not a cell reference within the sheet's limits.
    /// Absolute markers (`$C$17`) are allowed.
    public static func parseReference(_ text: String) -> (column: Int, row: Int)? {
        var column = 0
        var row = 0
        var letters = 0
        var digits = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "$"): continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard digits == 0, letters < 3 else { return nil }
                column = column * 26 + Int((byte | 0x20) - UInt8(ascii: "a")) + 1
                letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard letters > 0, digits < 7 else { return nil }
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            default: return nil
            }
        }
        guard letters > 0, digits > 0, (1...maxColumn).contains(column), (1...maxRow).contains(row) else { return nil }
        return (column, row)
    }

    /// A column's letters: 1 → A, 27 → AA.
    public static func columnName(_ column: Int) -> String {
        var number = column
        var letters: [Character] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + remainder))), at: 0)
            number = (number - 1) / 26
        }
        return String(letters)
    }
}
