import SoeLanguage

// A sheet of firms turned into the rows of text cells the batch reads: CSV in the `rfc4180`
// dialect, in which every cell is unambiguous (a decimal point, no thousands separators, ISO
// dates), so that a workbook goes through the very pipeline a CSV file does: the same header
// rules, cell rules, rejected-row accounting, output formats and limits.
//
// Each cell becomes text by its stored type and its number format:
// - a number: the 15-significant-digit rule of `XlsxNumbers`; with a percent format (built-in 9
//   or 10, or a custom format with an unquoted `%`) it is a fraction and becomes percentage points
//   with `%` (0.1 → `10 %`); with a date format, or in a column of a date input, the ISO date of
//   the serial number in the workbook's date system;
// - a shared, inline or formula string: its text; a yes/no: `true` or `false`;
// - an error value (`#DIV/0!`): the row is rejected, naming the cell (`Ark1!C17`).
// The header is the first row with a cell; a row's CSV record number is its sheet row counted
// from the header (with the header in row 1, the same number), so messages name the rows the
// caseworker sees.

/// A sheet read for a batch.
public struct XlsxBatchInput: Sendable {
    /// The sheet as CSV (`rfc4180`).
    public var csv: [UInt8]
    /// Problems of cells, by CSV record number: each rejects its row, naming the cell.
    public var rowProblems: [Int: [SheetError]]
    /// The sheet read, and all the workbook's sheets.
    public var sheet: String
    public var sheets: [String]
    public var date1904: Bool
    /// The sheet row of the header (CSV record 1).
    public var headerRow: Int
}

/// How a column's numbers are read, by the input it names: percentages, dates, other numbers
/// (money, counts, numbers: `number`), or not numbers at all.
public enum XlsxColumnKind: Sendable {
    /// A column a rule set reads: a percent, a date, an amount of money, another number (count,
    /// number), or anything else it reads (yes/no, a choice, the id, name, CVR number, fiscal year).
    case percent, date, money, number, read
    /// A column no rule set reads: the caseworker's own (notes), carried through as written.
    case other

    /// Whether a text cell in the column is a number typed as text (`'1.000`), read by
    /// `XlsxTable.numberTypedAsText`.
    var isNumeric: Bool { self == .percent || self == .money || self == .number }
}

/// Reads a sheet into CSV for a batch.
public enum XlsxTable {
    /// Reads the sheet `name` (or the first) of the workbook in `bytes`; `kind` tells, by header
    /// name, which columns are percentages or dates.
    /// `percent` is the batch's `--percent`: without it, a number cell between -1 and 1 in a
    /// percent column that is not formatted as a percentage is refused with both readings.
    public static func read(
        _ bytes: [UInt8], sheet name: String?, kind: @escaping (String) -> XlsxColumnKind, percent: PercentReading? = nil,
        limits: UnpackLimits = UnpackLimits()
    ) throws(SheetError) -> XlsxBatchInput {
        var workbook = try XlsxWorkbook(bytes, limits: limits)
        let sheet = try workbook.sheet(named: name)
        let data: [UInt8]
        do throws(SheetError) { data = try workbook.data(of: sheet) } catch { throw error.at(sheet.part) }
        let shown = quotedName(sheet.name)
        var table = Builder(workbook: workbook, sheet: shown, kind: kind, percent: percent)
        let merged: [XlsxMergedRange]
        do throws(SheetError) {
            merged = try XlsxSheetReader.read(data, sheet: shown, sharedStrings: workbook.sharedStrings) {
                number, cells throws(SheetError) in
                table.add(row: number, cells: cells)
            }
        } catch {
            throw error.at(sheet.part)
        }
        table.reject(merged)
        return XlsxBatchInput(
            csv: table.csv, rowProblems: table.problems, sheet: sheet.name, sheets: workbook.sheets.map(\.name),
            date1904: workbook.date1904, headerRow: table.headerRow ?? 1)
    }

    /// A sheet's name as a cell reference writes it: quoted when it holds more than letters,
    /// digits and `_` (`'Firm data'!C17`).
    static func quotedName(_ name: String) -> String {
        let shown = DisplayText.value(name, limit: 40)
        if shown.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { return shown }
        return "'" + shown.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }

    struct Builder {
        let workbook: XlsxWorkbook
        let sheet: String
        let kind: (String) -> XlsxColumnKind
        let percent: PercentReading?
        var csv: [UInt8] = []
        var problems: [Int: [SheetError]] = [:]
        var headerRow: Int?
        var kinds: [XlsxColumnKind] = []
        /// The header's names, as the batch's messages name a column's cells (`market_sales (Ark1!E4)`).
        var names: [String] = []
        var lastRecord = 0
        var fields: [String] = []

        init(workbook: XlsxWorkbook, sheet: String, kind: @escaping (String) -> XlsxColumnKind, percent: PercentReading?) {
            (self.workbook, self.sheet, self.kind, self.percent) = (workbook, sheet, kind, percent)
        }

        mutating func add(row: Int, cells: [XlsxCell]) {
            let record: Int
            if let headerRow {
                record = row - headerRow + 1
            } else {
                headerRow = row
                record = 1
            }
            // Rows the sheet leaves out are empty lines: skipped as blank, counted, numbers kept.
            while lastRecord + 1 < record {
                csv.append(0x0A)
                lastRecord += 1
            }
            lastRecord = record
            let width = max(kinds.count, cells.last?.column ?? 0)
            fields.removeAll(keepingCapacity: true)
            fields.append(contentsOf: repeatElement("", count: width))
            for cell in cells {
                let columnKind = cell.column <= kinds.count ? kinds[cell.column - 1] : .other
                fields[cell.column - 1] = text(of: cell, kind: columnKind, row: row, record: record)
                if record > 1 && cell.column > kinds.count {
                    let place = place(cell.column, row)
                    problems[record, default: []].append(
                        SheetError(
                            "\(place): a value in a column that has no header; give the column a name in the header row, or clear the cell",
                            da:
                                "\(place): en værdi i en kolonne uden overskrift; giv kolonnen et navn i overskriftsrækken, eller ryd cellen"
                        ))
                }
            }
            if record == 1 {
                names = fields.map { $0.trimmingSpaces() }
                kinds = names.map(kind)
            }
            for (index, field) in fields.enumerated() {
                if index > 0 { csv.append(UInt8(ascii: ",")) }
                Self.appendField(field, to: &csv)
            }
            csv.append(0x0A)
        }

        mutating func text(of cell: XlsxCell, kind columnKind: XlsxColumnKind, row: Int, record: Int) -> String {
            var place: String { self.place(cell.column, row) }
            // A style the workbook does not define (the `s` attribute is any text in the file,
            // negative too) shows the number plainly, as a spreadsheet program does.
            let format = workbook.styles.indices.contains(cell.style) ? workbook.styles[cell.style] : .plain
            switch cell.value {
            case .text(let text):
                if record > 1 && columnKind.isNumeric, let read = numberTypedAsText(text, column: cell.column, row: row, record: record) {
                    return read
                }
                // A NUL reaches a cell only through the escape `_x0000_`; a text holds none, and the
                // CSV the sheet becomes could only name its line, not the cell.
                guard text.utf8.contains(0) else { return text }
                problem(
                    record,
                    SheetError(
                        "\(place): the cell holds a NUL character (U+0000, written _x0000_ in the workbook), which no text holds; retype the cell",
                        da:
                            "\(place): cellen indeholder et NUL-tegn (U+0000, skrevet _x0000_ i projektmappen), som ingen tekst indeholder; skriv cellen igen"
                    ))
                return String(decoding: text.utf8.filter { $0 != 0 }, as: UTF8.self)
            case .bool(let value): return value ? "true" : "false"
            case .error(let code):
                problem(
                    record,
                    SheetError(
                        "\(place): the cell holds the spreadsheet error \(DisplayText.value(code)); correct the formula or type the value",
                        da: "\(place): cellen indeholder regnearksfejlen \(DisplayText.value(code)); ret formlen, eller skriv værdien"))
                // A column a rule set reads gets nothing from the cell: the row is rejected for the
                // error already, and its text would be refused a second time as no number or date.
                // The caseworker's own columns carry it through as the sheet shows it.
                return columnKind == .other ? code : ""
            case .uncomputedFormula:
                problem(
                    record,
                    SheetError(
                        "\(place): the cell holds a formula whose value was never computed (the workbook was written by a program that does not calculate); open it in Excel or LibreOffice and save it, or type the value",
                        da:
                            "\(place): cellen indeholder en formel, hvis værdi aldrig er beregnet (projektmappen er skrevet af et program, der ikke regner); åbn den i Excel eller LibreOffice og gem den, eller skriv værdien"
                    ))
                return ""
            case .isoDate(let text):
                if let day = Day(iso: text.prefix(10)), text.count == 10 || text.dropFirst(10).first == "T" { return day.description }
                problem(
                    record,
                    SheetError(
                        "\(place): the date cell holds '\(DisplayText.value(text))', which is no date",
                        da: "\(place): datocellen indeholder '\(DisplayText.value(text))', som ikke er en dato"))
                return text
            case .number(let raw):
                if format == .date, record > 1, columnKind.isNumeric,
                    let decimal = XlsxNumbers.decimal(raw, shift: 0)
                {
                    // A number cell given a date format by mistake: the sheet shows a date, the
                    // column a rule reads holds a number. Which was meant cannot be told.
                    let shown = (try? XlsxNumbers.day(serial: raw, date1904: workbook.date1904).get()).map { " (\($0))" } ?? ""
                    problem(
                        record,
                        SheetError(
                            "\(place): the cell holds the number \(decimal) formatted as a date\(shown), in a column that holds numbers; format the cell as a number and check its value",
                            da:
                                "\(place): cellen indeholder tallet \(decimal) formateret som en dato\(shown), i en kolonne med tal; formatér cellen som tal, og kontrollér værdien"
                        ))
                    return ""
                }
                if format == .date || (columnKind == .date && record > 1) {
                    switch XlsxNumbers.day(serial: raw, date1904: workbook.date1904) {
                    case .success(let day): return day.description
                    case .failure(let failure):
                        problem(record, failure.at(place))
                        return raw
                    }
                }
                guard let decimal = XlsxNumbers.decimal(raw, shift: format == .percent ? 2 : 0) else {
                    problem(
                        record,
                        SheetError(
                            "\(place): the number cell holds '\(DisplayText.value(raw))', which is no number",
                            da: "\(place): talcellen indeholder '\(DisplayText.value(raw))', som ikke er et tal"))
                    return raw
                }
                if record > 1, format != .percent, let refusal = numberRefusal(decimal, kind: columnKind, column: cell.column, row: row) {
                    problem(record, refusal)
                    return ""
                }
                return format == .percent ? decimal + " %" : decimal
            }
        }

        /// A number cell that the cell reader would refuse, worded for a sheet, where the fix lies
        /// in the cell's format or formula, and the number in the message's own notation (`0,3` in
        /// Danish: the workbook stores no notation, a Danish sheet shows a decimal comma):
        /// - in a percent column, a number between -1 and 1 (not 0) in a cell without the percent
        ///   format, unless `--percent` says how to read it: `0.3` could be 30 % (the cell lacks the
        ///   format) or 0.3 %;
        /// - in a money column, more than two decimals: a formula's value, which the sheet may
        ///   show rounded to øre.
        /// The row is rejected, naming the cell, and the cell is left empty so that the CSV reader
        /// does not word it again. Nil for every other number, which is read as it is.
        func numberRefusal(_ decimal: String, kind: XlsxColumnKind, column: Int, row: Int) -> SheetError? {
            guard kind == .percent || kind == .money, case .success(let (value, places)) = Exact.parseWithPlaces(Substring(decimal))
            else { return nil }
            // Only a column of the header has a kind other than `other`, so it has a name.
            let place = "\(DisplayText.value(names[column - 1])) (\(self.place(column, row)))"
            func danish(_ text: String) -> String { DecimalMark.withDecimalComma(text) }
            if kind == .money {
                guard places > 2 else { return nil }
                return SheetError(
                    "\(place): the number cell holds \(decimal), more than two decimals (the sheet may show it rounded); money is kroner and øre: round it in the cell, as =ROUND(…, 2), or type the amount",
                    da:
                        "\(place): talcellen indeholder \(danish(decimal)), mere end to decimaler (arket viser det måske afrundet); beløb er kroner og øre: afrund det i cellen, som =AFRUND(…;2), eller skriv beløbet"
                )
            }
            guard percent == nil, CellReader.isPossibleFraction(value),
                let asFraction = value.multiplying(Exact(integer: 100)).map({ $0.exactText() })
            else { return nil }
            return SheetError(
                "\(place): the number cell holds \(decimal), which could be \(asFraction) % (a fraction, in a cell without the percent format) or \(decimal) % (percentage points); format the cell as a percentage if \(asFraction) % is meant, or type \(decimal) % if \(decimal) % is; or give --percent fraction or --percent points for the whole sheet",
                da:
                    "\(place): talcellen indeholder \(danish(decimal)), som kan være \(danish(asFraction)) % (en brøkdel, i en celle uden procentformat) eller \(danish(decimal)) % (procentpoint); formatér cellen som procent, hvis \(danish(asFraction)) % menes, eller skriv \(danish(decimal)) %, hvis \(danish(decimal)) % menes; eller angiv --percent fraction eller --percent points for hele arket"
            )
        }

        /// A number typed as text in a number column (a cell formatted as text, or typed with a
        /// leading `'`), as the CSV the sheet becomes must hold it: a text cell has no dialect, so
        /// its decimal mark is the one its own form shows. `1.250.000 kr.` and `12,5 %` (only the
        /// Danish convention reads them) are written with a decimal point. `1.000` and `1,000`,
        /// which either convention reads (a mark between thousands, or a decimal mark), reject the
        /// row with both readings, as a JSON text does, and leave the cell empty so that the CSV
        /// reader does not word it again. Nil for any other text, which the CSV reader reads and
        /// words as it does every cell.
        mutating func numberTypedAsText(_ text: String, column: Int, row: Int, record: Int) -> String? {
            // Made only for a cell that is refused: most number cells typed as text are read.
            var unit: String { CellForms.percentSign(text).hasSign ? " %" : "" }
            var shown: String { DisplayText.value(text) }
            var place: String { self.place(column, row) }
            if let readings = DecimalMark.ambiguous(text) {
                // In Danish the decimal reading as a Danish sheet would show it: `1,0`.
                let decimal = DecimalMark.withDecimalComma(readings.decimal)
                problem(
                    record,
                    SheetError(
                        "\(place): the text cell holds '\(shown)', which could be \(readings.thousands)\(unit) (a point between thousands, as Danes write) or \(readings.decimal)\(unit) (a decimal point); type the number into a number cell, or write \(readings.thousands) or \(readings.decimal)",
                        da:
                            "\(place): tekstcellen indeholder '\(shown)', som kan være \(readings.thousands)\(unit) (punktum mellem tusinder, som på dansk) eller \(decimal)\(unit) (punktummet som decimaltegn, som på engelsk); skriv tallet i en talcelle, eller skriv \(readings.thousands) eller \(decimal)"
                    ))
                return ""
            }
            // `1,000`: a comma between thousands to an English eye, a decimal comma to a Danish one
            // (`1,000 kr.` too: the unit's point is not the number's).
            if let body = DecimalMark.signedBody(text)?.body, body.contains(","), !body.contains("."),
                let readings = DecimalMark.ambiguous(String(text.map { $0 == "," ? "." : $0 }))
            {
                let decimal = DecimalMark.withDecimalComma(readings.decimal)
                problem(
                    record,
                    SheetError(
                        "\(place): the text cell holds '\(shown)', which could be \(readings.thousands)\(unit) (a comma between thousands, as English writes) or \(readings.decimal)\(unit) (a decimal comma, as Danes write); type the number into a number cell, or write \(readings.thousands) or \(readings.decimal)",
                        da:
                            "\(place): tekstcellen indeholder '\(shown)', som kan være \(readings.thousands)\(unit) (komma mellem tusinder, som på engelsk) eller \(decimal)\(unit) (decimalkomma, som på dansk); skriv tallet i en talcelle, eller skriv \(readings.thousands) eller \(decimal)"
                    ))
                return ""
            }
            guard DecimalMark.evidence(text) == .comma, let (negative, body) = DecimalMark.signedBody(text),
                let plain = CellReader.normalize(body, style: .danishComma)
            else { return nil }
            return (negative ? "-" : "") + plain + unit
        }

        /// Rejects each data row that holds a cell of a merged range other than its first, in a
        /// column a rule set reads: the sheet shows the range's one value across its cells, but
        /// stores it in the first cell only, so the others read empty (a `ja` merged down over three
        /// firms is the first firm's alone). Filling the value in would be a guess; the row names
        /// the range and the fix. A merge in a column of the caseworker's own (notes) is left alone,
        /// as are rows past the last one read. One problem a row, from the first range (in the
        /// sheet's order) that reaches it: ranges are turned into row intervals and swept once, so
        /// that the work is in the ranges and rows, never their product.
        mutating func reject(_ merged: [XlsxMergedRange]) {
            guard let headerRow, lastRecord > 1 else { return }
            let lastRow = headerRow + lastRecord - 1
            // The first column from `from` to `to` that a rule set reads, if any.
            func firstRead(_ from: Int, _ to: Int) -> Int? {
                guard from <= min(to, kinds.count) else { return nil }
                return (from...min(to, kinds.count)).first { kinds[$0 - 1] != .other }
            }
            // For each range, the rows it empties in a read column, as at most two intervals: its
            // first row (the cells after its first), and the rows below (every cell of them).
            var intervals: [(from: Int, to: Int, range: Int, column: Int)] = []
            for (index, range) in merged.enumerated() {
                if let column = firstRead(range.first.column + 1, range.last.column),
                    range.first.row > headerRow, range.first.row <= lastRow
                {
                    intervals.append((range.first.row, range.first.row, index, column))
                }
                if let column = firstRead(range.first.column, range.last.column) {
                    let from = max(range.first.row + 1, headerRow + 1)
                    let to = min(range.last.row, lastRow)
                    if from <= to { intervals.append((from, to, index, column)) }
                }
            }
            intervals.sort { ($0.from, $0.range) < ($1.from, $1.range) }
            var next = headerRow + 1
            for interval in intervals where interval.to >= next {
                let range = merged[interval.range]
                let firstName = "\(XlsxSheetReader.columnName(range.first.column))\(range.first.row)"
                let shownRange = DisplayText.value(range.text)
                for row in max(interval.from, next)...interval.to {
                    let place = place(interval.column, row)
                    problem(
                        row - headerRow + 1,
                        SheetError(
                            "\(place) is part of the merged cells \(shownRange), whose value the sheet stores in \(firstName) only; unmerge the cells and fill in every row",
                            da:
                                "\(place) er en del af de flettede celler \(shownRange), hvis værdi arket kun gemmer i \(firstName); ophæv fletningen, og udfyld hver række"
                        ))
                }
                next = interval.to + 1
            }
        }

        /// A cell as a spreadsheet names it, with its sheet: `Ark1!C17`, `'Firm data'!C17`.
        func place(_ column: Int, _ row: Int) -> String { "\(sheet)!\(XlsxSheetReader.columnName(column))\(row)" }

        mutating func problem(_ record: Int, _ error: SheetError) {
            problems[record, default: []].append(error)
        }

        /// A field as RFC 4180 writes it: in quotes, doubled inside, when it holds a comma, a quote
        /// or a line break.
        static func appendField(_ field: String, to csv: inout [UInt8]) {
            let utf8 = field.utf8
            if utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
                csv.append(UInt8(ascii: "\""))
                for byte in utf8 {
                    if byte == UInt8(ascii: "\"") { csv.append(byte) }
                    csv.append(byte)
                }
                csv.append(UInt8(ascii: "\""))
            } else {
                csv.append(contentsOf: utf8)
            }
        }
    }
}
