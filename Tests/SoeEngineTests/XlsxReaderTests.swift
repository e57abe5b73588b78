import SoeLanguage
import SoeTestSupport
import Testing

@testable import SoeEngine

/// The CSV text and problems of a workbook's sheet, with the bundled rule sets' column kinds.
func sheetCSV(_ bytes: [UInt8], sheet: String? = nil) throws(SheetError) -> (String, [Int: [String]]) {
    let kinds: [String: XlsxColumnKind] = ["share": .percent, "closing": .date, "fiscal_year_end": .date]
    let input = try XlsxTable.read(bytes, sheet: sheet, kind: { kinds[$0] ?? .other })
    return (String(decoding: input.csv, as: UTF8.self), input.rowProblems.mapValues { $0.map(\.message) })
}

@Suite("xlsx reader")
struct XlsxReaderTests {
    @Test("numbers: 15 significant digits, half away from zero, no exponent, exact")
    func numbers() {
        let cases: [(String, String)] = [
            ("0.30000000000000004", "0.3"), ("4200000.0000000009", "4200000"), ("4200000", "4200000"), ("-1.5", "-1.5"),
            ("1E-3", "0.001"), ("1.2345E+20", "123450000000000000000"), ("0.1", "0.1"), ("0", "0"), ("0.000", "0"),
            ("123456789012345678", "123456789012346000"), ("0.99999999999999999", "1"), ("999999999999999.5", "1000000000000000"),
            ("2.675", "2.675"), ("1234567.4999999999", "1234567.5"), ("-0.0000001", "-0.0000001"),
        ]
        for (stored, expected) in cases { #expect(XlsxNumbers.decimal(stored) == expected, "\(stored)") }
        #expect(XlsxNumbers.decimal("0.1", shift: 2) == "10")
        #expect(XlsxNumbers.decimal("0.035", shift: 2) == "3.5")
        #expect(XlsxNumbers.decimal("0.30000000000000004", shift: 2) == "30")
        for bad in ["", "abc", "1e", "1E999", "1.2.3", "--1", "1,5"] { #expect(XlsxNumbers.decimal(bad) == nil, "\(bad)") }
        // The shortcut for plain numbers agrees with the full rule on every short text of these characters.
        var random = SplitMix64(seed: 12)
        let alphabet = Array("0123456789.-0E".utf8)
        for _ in 0..<20_000 {
            let length = Int(random.next() % 18) + 1
            let text = String(decoding: (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }, as: UTF8.self)
            if XlsxNumbers.isPlain(text) { #expect(XlsxNumbers.rounded(text, shift: 0) == text, "\(text)") }
        }
    }

    @Test("dates: the 1900 system with its 1900-02-29, and the 1904 system")
    func dates() {
        func day(_ serial: String, _ date1904: Bool = false) -> String {
            switch XlsxNumbers.day(serial: serial, date1904: date1904) {
            case .success(let day): day.description
            case .failure(let error): "error: " + error.message
            }
        }
        #expect(day("1") == "1900-01-01")
        #expect(day("59") == "1900-02-28")
        #expect(day("60").contains("1900-02-29, a day that never was"))
        #expect(day("61") == "1900-03-01")
        #expect(day("45657") == "2024-12-31")
        #expect(day("45473.75") == "2024-06-30")
        #expect(day("2958465") == "9999-12-31")
        #expect(day("2958466").hasPrefix("error"))
        #expect(day("0").hasPrefix("error"))
        #expect(day("-5").hasPrefix("error"))
        #expect(day("0", true) == "1904-01-01")
        #expect(day("44195", true) == "2024-12-31")
    }

    @Test("number formats: built-in and custom percents and dates, quoted text and brackets ignored")
    func formats() {
        let cases: [(String, XlsxWorkbook.NumberKind)] = [
            ("0.0%", .percent), ("0%;-0%", .percent), ("#,##0.00 \"%\"", .plain), ("dd\\-mm\\-yyyy", .date), ("YYYY-MM-DD", .date),
            ("[$-406]d. mmmm yyyy", .date), ("h:mm", .plain), ("mm:ss", .plain), ("mmm", .date), ("General", .plain),
            ("#,##0.00 \"kr.\"", .plain), ("[Red]0.00", .plain), ("0.00_);[Red](0.00)", .plain), ("\\%0", .plain),
        ]
        for (code, kind) in cases { #expect(XlsxWorkbook.numberKind(ofFormat: code) == kind, "\(code)") }
        #expect(XlsxWorkbook.builtInKind(9) == .percent)
        #expect(XlsxWorkbook.builtInKind(10) == .percent)
        #expect(XlsxWorkbook.builtInKind(14) == .date)
        #expect(XlsxWorkbook.builtInKind(4) == .plain)
    }

    @Test("cell references: letters and digits within Excel's limits")
    func references() {
        #expect(XlsxSheetReader.parseReference("C17")! == (3, 17))
        #expect(XlsxSheetReader.parseReference("$AA$1")! == (27, 1))
        #expect(XlsxSheetReader.parseReference("XFD1048576")! == (16384, 1_048_576))
        for bad in ["", "17", "C", "1C", "XFE1", "A0", "A1048577", "A-1", "ABCD1"] {
            #expect(XlsxSheetReader.parseReference(bad) == nil, "\(bad)")
        }
        #expect(XlsxSheetReader.columnName(1) == "A")
        #expect(XlsxSheetReader.columnName(28) == "AB")
        #expect(XlsxSheetReader.columnName(16384) == "XFD")
    }

    static let rows: [[XlsxMaker.Cell]] = [
        [.shared("id"), .shared("name"), .shared("share"), .shared("closing"), .shared("money"), .shared("flag")],
        [
            .inline("S1"), .shared("Søren & Æble, \"kaffe\""), .number("0.1", style: 1), .number("45657", style: 2),
            .number("4200000.0000000009"), .bool(true),
        ],
        [
            .shared("S2"), .formulaText("Ørsted"), .number("0.035", style: 3), .number("45473"), .number("0.30000000000000004", style: 5),
            .bool(false),
        ],
        [.shared("S3"), .empty, .number("0.25"), .number("45473", style: 4), .error("#DIV/0!"), .empty],
    ]

    @Test("a sheet becomes rfc4180 rows: shared, inline and formula strings, percents, dates, yes/no")
    func sheet() throws {
        for deflated in [false, true] {
            var maker = XlsxMaker(sheets: [("Ark1", Self.rows)])
            maker.deflated = deflated
            let (csv, problems) = try sheetCSV(maker.bytes())
            #expect(
                csv == #"""
                    id,name,share,closing,money,flag
                    S1,"Søren & Æble, ""kaffe""",10 %,2024-12-31,4200000,true
                    S2,Ørsted,3.5 %,2024-06-30,0.3,false
                    S3,,,2024-06-30,#DIV/0!,

                    """#)
            // 0.25 in a general cell of a percent column reads two ways: refused, naming the cell.
            #expect(
                problems == [
                    4: [
                        "share (Ark1!C4): the number cell holds 0.25, which could be 25 % (a fraction, in a cell without the percent format) or 0.25 % (percentage points); format the cell as a percentage if 25 % is meant, or type 0.25 % if 0.25 % is; or give --percent fraction or --percent points for the whole sheet",
                        "Ark1!E4: the cell holds the spreadsheet error #DIV/0!; correct the formula or type the value",
                    ]
                ])
        }
    }

    @Test("the 1904 date system, cells without references, sparse rows, a second sheet by name")
    func variants() throws {
        var maker = XlsxMaker(sheets: [
            ("Noter", [[.shared("no firms here")]]),
            ("Firm data", [[.shared("id"), .shared("closing")], [.shared("S1"), .number("44195")]]),
        ])
        maker.date1904 = true
        maker.references = false
        #expect(try sheetCSV(maker.bytes(), sheet: "Firm data").0 == "id,closing\nS1,2024-12-31\n")
        #expect(try sheetCSV(maker.bytes(), sheet: "firm DATA").0 == "id,closing\nS1,2024-12-31\n")
        #expect(try sheetCSV(maker.bytes()).0 == "no firms here\n")
        #expect(
            throws: SheetError(
                "the workbook has no sheet named 'Firms'; its sheets are 'Noter', 'Firm data'",
                da: "projektmappen har intet ark, der hedder 'Firms'; dens ark er 'Noter', 'Firm data'")
        ) {
            try sheetCSV(maker.bytes(), sheet: "Firms")
        }
        // A sparse sheet: the header in row 2, a row left out, a cell in a column with no header.
        let sparse = Array(
            """
            <worksheet><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>id</t></is></c><c r="C2" t="inlineStr"><is><r><t>na</t></r><r><t>me</t></r><rPh><t>ignored</t></rPh></is></c></row>\
            <row r="5"><c r="C5" t="inlineStr"><is><t>Five</t></is></c><c r="E5"><v>7</v></c></row><row><c s="1"/><c><v>8</v></c></row>\
            </sheetData></worksheet>
            """.utf8)
        let bytes = ZipMaker.archive([
            ZipMaker.Entry("xl/workbook.xml", Array(#"<workbook><sheets><sheet name="A" r:id="r1"/></sheets></workbook>"#.utf8)),
            ZipMaker.Entry(
                "xl/_rels/workbook.xml.rels", Array(#"<Relationships><Relationship Id="r1" Target="/xl/s.xml"/></Relationships>"#.utf8)),
            ZipMaker.Entry("xl/s.xml", sparse, deflated: true),
        ])
        let (csv, problems) = try sheetCSV(bytes)
        #expect(csv == ",id,name\n\n\n,,Five,,7\n,8,\n")
        #expect(
            problems == [4: ["A!E5: a value in a column that has no header; give the column a name in the header row, or clear the cell"]])
    }

    func workbookError(_ parts: [(String, String)]) -> String? {
        do {
            _ = try sheetCSV(ZipMaker.archive(parts.map { ZipMaker.Entry($0.0, Array($0.1.utf8)) }))
            return nil
        } catch {
            return error.message
        }
    }

    @Test("broken workbooks: each error names the part or the cell and says why")
    func broken() {
        let book = #"<workbook><sheets><sheet name="Ark1" r:id="r1"/></sheets></workbook>"#
        let rels = #"<Relationships><Relationship Id="r1" Target="worksheets/sheet1.xml"/></Relationships>"#
        func sheet(_ cells: String) -> [(String, String)] {
            [
                ("xl/workbook.xml", book), ("xl/_rels/workbook.xml.rels", rels),
                ("xl/worksheets/sheet1.xml", "<worksheet><sheetData>\(cells)</sheetData></worksheet>"),
            ]
        }
        #expect(workbookError([("a.txt", "x")])?.contains("not an .xlsx workbook: it has no xl/workbook.xml") == true)
        #expect(workbookError([("xl/workbook.xml", book)])?.contains("the sheet Ark1 has no part") == true)
        #expect(workbookError([("xl/workbook.xml", "<workbook><sheets/></workbook>")]) == "the workbook has no sheet")
        #expect(workbookError(Array(sheet("").prefix(2)))?.contains("which the file does not have") == true)
        #expect(
            workbookError(sheet(#"<row r="1"><c r="B1" t="s"><v>3</v></c></row>"#))?.contains(
                "Ark1!B1: the cell refers to shared string '3'") == true)
        #expect(
            workbookError(sheet(#"<row r="1"><c r="B1" t="b"><v>2</v></c></row>"#))?.contains("Ark1!B1: a yes/no cell holds '2'") == true)
        #expect(
            workbookError(sheet(#"<row r="1"><c r="B1" t="x"><v>2</v></c></row>"#))?.contains("Ark1!B1: the cell has the unknown type 'x'")
                == true)
        #expect(workbookError(sheet(#"<row r="1"><c r="B2"><v>2</v></c></row>"#))?.contains("the cell reference 'B2' in row 1") == true)
        #expect(workbookError(sheet(#"<row r="2"/><row r="1"/>"#))?.contains("a row numbered '1' after row 2") == true)
        #expect(workbookError(sheet(#"<row r="1"><c r="B1"><v>2</v></c>"#))?.hasPrefix("xl/worksheets/sheet1.xml: malformed XML") == true)
        #expect(workbookError(sheet(#"<row r="1"><c r="B1"><v>2</v></c><c r="A1"><v>2</v></c></row>"#))?.contains("'A1'") == true)
    }

    @Test("error cells and bad numbers reject their row, naming the cell")
    func cellProblems() throws {
        let rows: [[XlsxMaker.Cell]] = [
            [.shared("id"), .shared("closing"), .shared("n")],
            [.shared("S1"), .number("60"), .number("1e999")],
            [.shared("S2"), .number("-3", style: 2), .error("#N/A")],
        ]
        let (_, problems) = try sheetCSV(XlsxMaker(sheets: [("Ark 1", rows)]).bytes())
        #expect(problems[2]?.first?.hasPrefix("'Ark 1'!B2: the date number 60 is 1900-02-29") == true)
        #expect(problems[2]?.last == "'Ark 1'!C2: the number cell holds '1e999', which is no number")
        #expect(problems[3]?.first?.hasPrefix("'Ark 1'!B3: the date number -3 is outside") == true)
        #expect(problems[3]?.last?.contains("#N/A") == true)
    }

    @Test("SpreadsheetML's _xHHHH_ escapes: a carriage return, a control, an escaped underscore, a surrogate pair")
    func characterEscapes() {
        #expect(XlsxText.unescaped("Firma_x000D_\nA/S") == "Firma\r\nA/S")
        #expect(XlsxText.unescaped("a_x0041_b_x00e6_") == "aAbæ")
        #expect(XlsxText.unescaped("_x005F_x0041_") == "_x0041_")
        #expect(XlsxText.unescaped("_xD83D__xDE42_ glad") == "🙂 glad")
        #expect(XlsxText.unescaped("snake_case _x12_ _X0041_ _x00G1_ _x0041") == "snake_case _x12_ _X0041_ _x00G1_ _x0041")
        // A lone surrogate names no character: left as written, for the reader to see.
        #expect(XlsxText.unescaped("_xD800_x") == "_xD800_x")
        // Kept whole: its closing `_` does not start the next escape.
        #expect(XlsxText.unescaped("_xD800_x0041_") == "_xD800_x0041_")
        #expect(XlsxText.unescaped("_xDC00__xD800_") == "_xDC00__xD800_")
        // What soe's own workbooks write reads back as the text it was, over an alphabet of the
        // characters the escape is about (the entities are the XML reader's, tested with it).
        let alphabet: [Character] = [
            "_", "x", "X", "0", "0", "4", "1", "F", "D", "a", "\r", "\n", "\t", "\u{0}", "\u{1F}", "\u{FFFE}", "æ", "🙂",
        ]
        var generator = SplitMix64(seed: 0x5F78)
        for _ in 0..<2000 {
            let length = Int(generator.next() % 14)
            let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            #expect(XlsxText.unescaped(XLSXWriter.escaped(text)) == text, "\(text.debugDescription)")
        }
    }

    @Test("a workbook's escaped characters are read in shared, inline and formula strings")
    func escapedCells() throws {
        let rows: [[XlsxMaker.Cell]] = [
            [.shared("id"), .shared("name"), .shared("note")],
            [.shared("S1"), .shared("Kaffe_x000D_\nKollektivet"), .inline("a_x005F_x0041_b")],
            [.inline("S_x0032_"), .formulaText("Tab_x0009_bed"), .shared("100_x0025_")],
            [.shared("S3"), .shared("Cykel_x0000_"), .empty],
        ]
        let (csv, problems) = try sheetCSV(XlsxMaker(sheets: [("Ark1", rows)]).bytes())
        #expect(csv == "id,name,note\nS1,\"Kaffe\r\nKollektivet\",a_x0041_b\nS2,Tab\tbed,100%\nS3,Cykel,\n")
        // A NUL is named at its cell, not left for the CSV reader to name by a line of its own.
        #expect(
            problems == [
                4: [
                    "Ark1!B4: the cell holds a NUL character (U+0000, written _x0000_ in the workbook), which no text holds; retype the cell"
                ]
            ])
    }

    @Test("a number typed as text in a number column: Danish forms read, 1.000 and 1,000 refused with both readings")
    func numbersTypedAsText() throws {
        let kinds: [String: XlsxColumnKind] = ["n": .number, "share": .percent]
        let rows: [[XlsxMaker.Cell]] = [
            [.shared("id"), .shared("n"), .shared("share"), .shared("note")],
            [.shared("S1"), .shared("1.250.000 kr."), .inline("12,5 %"), .shared("1.000")],
            [.shared("S2"), .shared("-1.250,50"), .shared("0,5"), .empty],
            [.shared("S3"), .shared("1.000"), .shared("3.600 %"), .empty],
            [.shared("S4"), .inline("1,000"), .shared("12.5 %"), .empty],
            [.shared("S5"), .shared("4200000.50"), .shared("tolv"), .empty],
            [.shared("S6"), .shared("1,000 kr."), .empty, .empty],
            // Groups set off by no-break spaces, as LibreOffice shows a Danish amount: Danish only.
            [.shared("S7"), .shared("4\u{00A0}200\u{00A0}000,00 kr."), .shared("12,5\u{202F}%"), .empty],
        ]
        let input = try XlsxTable.read(XlsxMaker(sheets: [("Ark1", rows)]).bytes(), sheet: nil, kind: { kinds[$0] ?? .other })
        let csv = String(decoding: input.csv, as: UTF8.self)
        // Unambiguous Danish forms are written with a decimal point; a note column is left as it is;
        // the refused cells are left empty (their row is rejected, named once).
        #expect(
            csv
                == "id,n,share,note\nS1,1250000,12.5 %,1.000\nS2,-1250.50,0.5,\nS3,,,\nS4,,12.5 %,\nS5,4200000.50,tolv,\nS6,,,\nS7,4200000.00,12.5 %,\n"
        )
        let problems = input.rowProblems.mapValues { $0.map(\.message) }
        #expect(problems.keys.sorted() == [4, 5, 7])
        // The unit's point is not the number's: `1,000 kr.` is as ambiguous as `1,000`.
        #expect(problems[7]?.first?.contains("the text cell holds '1,000 kr.', which could be 1000") == true, "\(problems[7] ?? [])")
        #expect(
            problems[4] == [
                "Ark1!B4: the text cell holds '1.000', which could be 1000 (a point between thousands, as Danes write) or 1.0 (a decimal point); type the number into a number cell, or write 1000 or 1.0",
                "Ark1!C4: the text cell holds '3.600 %', which could be 3600 % (a point between thousands, as Danes write) or 3.6 % (a decimal point); type the number into a number cell, or write 3600 or 3.6",
            ])
        #expect(
            problems[5] == [
                "Ark1!B5: the text cell holds '1,000', which could be 1000 (a comma between thousands, as English writes) or 1.0 (a decimal comma, as Danes write); type the number into a number cell, or write 1000 or 1.0"
            ])
        #expect(
            input.rowProblems[5]?.first?.danish?.contains(
                "decimalkomma, som på dansk); skriv tallet i en talcelle, eller skriv 1000 eller 1,0") == true)
        // In Danish, the decimal reading as a Danish sheet shows it.
        #expect(
            input.rowProblems[4]?.first?.danish?.contains(
                "eller 1,0 (punktummet som decimaltegn, som på engelsk); skriv tallet i en talcelle, eller skriv 1000 eller 1,0") == true)
    }

    @Test("number cells a sheet must fix: a fraction without the percent format, an amount beyond øre, an error in a read column")
    func numberCellsToFix() throws {
        let kinds: [String: XlsxColumnKind] = ["sales": .money, "share": .percent, "staff": .number]
        let rows: [[XlsxMaker.Cell]] = [
            [.shared("id"), .shared("sales"), .shared("share"), .shared("staff"), .shared("note")],
            // 0.3 in a general cell of a percent column: 30 % or 0.3 %, the fix in the cell's format.
            [.shared("S1"), .number("1250000.5"), .number("0.3"), .number("0.3"), .number("0.3")],
            // The same value formatted as a percentage is 30 %; 0 and 12.5 are not fractions.
            [.shared("S2"), .number("333333.33"), .number("0.3", style: 1), .number("0"), .empty],
            [.shared("S3"), .number("333333.333333333"), .number("12.5"), .empty, .number("333333.333333333")],
            [.shared("S4"), .number("-1", style: 5), .number("-0.25"), .empty, .empty],
            [.shared("S5"), .error("#VALUE!"), .number("2"), .empty, .error("#REF!")],
        ]
        func read(_ percent: PercentReading?) throws -> XlsxBatchInput {
            try XlsxTable.read(XlsxMaker(sheets: [("Ark1", rows)]).bytes(), sheet: nil, kind: { kinds[$0] ?? .other }, percent: percent)
        }
        let input = try read(nil)
        let csv = String(decoding: input.csv, as: UTF8.self)
        // The refused cells are empty, so that the row is named once, by its cell; the count and
        // note columns keep 0.3, and a note keeps its error value as the sheet shows it.
        #expect(
            csv
                == "id,sales,share,staff,note\nS1,1250000.5,,0.3,0.3\nS2,333333.33,30 %,0,\nS3,,12.5,,333333.333333333\nS4,-1,,,\nS5,,2,,#REF!\n",
            "\(csv)")
        #expect(input.rowProblems.keys.sorted() == [2, 4, 5, 6])
        #expect(
            input.rowProblems[2]?.map(\.message) == [
                "share (Ark1!C2): the number cell holds 0.3, which could be 30 % (a fraction, in a cell without the percent format) or 0.3 % (percentage points); format the cell as a percentage if 30 % is meant, or type 0.3 % if 0.3 % is; or give --percent fraction or --percent points for the whole sheet"
            ])
        #expect(
            input.rowProblems[2]?.first?.danish
                == "share (Ark1!C2): talcellen indeholder 0,3, som kan være 30 % (en brøkdel, i en celle uden procentformat) eller 0,3 % (procentpoint); formatér cellen som procent, hvis 30 % menes, eller skriv 0,3 %, hvis 0,3 % menes; eller angiv --percent fraction eller --percent points for hele arket"
        )
        #expect(
            input.rowProblems[4]?.map(\.message) == [
                "sales (Ark1!B4): the number cell holds 333333.333333333, more than two decimals (the sheet may show it rounded); money is kroner and øre: round it in the cell, as =ROUND(…, 2), or type the amount"
            ])
        #expect(input.rowProblems[4]?.first?.danish?.contains("talcellen indeholder 333333,333333333, mere end to decimaler") == true)
        #expect(input.rowProblems[4]?.first?.danish?.contains("=AFRUND(…;2)") == true)
        #expect(
            input.rowProblems[5]?.first?.message.hasPrefix("share (Ark1!C5): the number cell holds -0.25, which could be -25 % ") == true)
        // An error value is named once, by its cell: the read column's cell is left empty.
        #expect(input.rowProblems[6]?.count == 2)
        #expect(input.rowProblems[6]?.allSatisfy { $0.message.contains("the cell holds the spreadsheet error") } == true)
        // With --percent, the sheet's numbers are read as it says, not refused.
        for percent in [PercentReading.fraction, .points] {
            let told = try read(percent)
            #expect(told.rowProblems.keys.sorted() == [4, 6], "\(percent)")
            #expect(String(decoding: told.csv, as: UTF8.self).contains("S1,1250000.5,0.3,0.3,0.3\n"))
        }
    }

    @Test("a number cell formatted as a date in a number column rejects its row, naming the date shown and the number")
    func dateFormatInNumberColumn() throws {
        let kinds: [String: XlsxColumnKind] = ["staff": .number, "started": .date]
        let rows: [[XlsxMaker.Cell]] = [
            [.shared("id"), .shared("staff"), .shared("started"), .shared("note")],
            [.shared("S1"), .number("8", style: 2), .number("45657", style: 2), .number("8", style: 2)],
            [.shared("S2"), .number("8"), .number("45657", style: 2), .empty],
        ]
        let input = try XlsxTable.read(XlsxMaker(sheets: [("Ark1", rows)]).bytes(), sheet: nil, kind: { kinds[$0] ?? .other })
        let csv = String(decoding: input.csv, as: UTF8.self)
        // The date column and the note column read as before; the count formatted as a date is refused.
        #expect(csv == "id,staff,started,note\nS1,,2024-12-31,1900-01-08\nS2,8,2024-12-31,\n", "\(csv)")
        #expect(
            input.rowProblems[2]?.map(\.message) == [
                "Ark1!B2: the cell holds the number 8 formatted as a date (1900-01-08), in a column that holds numbers; format the cell as a number and check its value"
            ])
        #expect(input.rowProblems[3] == nil)
    }

    @Test("a cell of a merged range other than its first, in a column a rule reads, rejects its row, naming the range")
    func mergedCells() throws {
        func sheet(_ merges: String) -> [UInt8] {
            let xml = Array(
                """
                <worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>own_cvr</t></is></c>\
                <c r="C1" t="inlineStr"><is><t>note</t></is></c></row>\
                <row r="2"><c r="A2" t="inlineStr"><is><t>S1</t></is></c><c r="B2" t="b"><v>1</v></c></row>\
                <row r="3"><c r="A3" t="inlineStr"><is><t>S2</t></is></c><c r="B3"/></row>\
                <row r="4"><c r="A4" t="inlineStr"><is><t>S3</t></is></c></row>\
                <row r="5"><c r="A5" t="inlineStr"><is><t>S4</t></is></c><c r="B5" t="b"><v>0</v></c></row>\
                </sheetData><mergeCells>\(merges)</mergeCells></worksheet>
                """.utf8)
            return ZipMaker.archive([
                ZipMaker.Entry("xl/workbook.xml", Array(#"<workbook><sheets><sheet name="A" r:id="r1"/></sheets></workbook>"#.utf8)),
                ZipMaker.Entry(
                    "xl/_rels/workbook.xml.rels", Array(#"<Relationships><Relationship Id="r1" Target="/xl/s.xml"/></Relationships>"#.utf8)),
                ZipMaker.Entry("xl/s.xml", xml),
            ])
        }
        let kinds: [String: XlsxColumnKind] = ["id": .read, "own_cvr": .read]
        func read(_ merges: String) throws -> (String, [Int: [String]]) {
            let input = try XlsxTable.read(sheet(merges), sheet: nil, kind: { kinds[$0] ?? .other })
            return (String(decoding: input.csv, as: UTF8.self), input.rowProblems.mapValues { $0.map(\.message) })
        }
        let message = { (cell: String) in
            "A!\(cell) is part of the merged cells B2:B4, whose value the sheet stores in B2 only; unmerge the cells and fill in every row"
        }
        // Rows 3 and 4 under B2:B4. B5:C5 empties only the note C5, and C2:C4 only notes; a range
        // past the last row holds no firm; a range that is no range is left out.
        let (csv, problems) = try read(
            #"<mergeCell ref="B2:B4"/><mergeCell ref="B5:C5"/><mergeCell ref="C2:C4"/><mergeCell ref="A9:B12"/><mergeCell ref="nonsense"/>"#
        )
        #expect(csv == "id,own_cvr,note\nS1,true,\nS2,,\nS3,,\nS4,false,\n")
        #expect(problems == [3: [message("B3")], 4: [message("B4")]])
        // A thousand ranges over the same rows: one problem a row, from the first range.
        let many = try read(String(repeating: #"<mergeCell ref="B2:B4"/><mergeCell ref="A3:B1048576"/>"#, count: 1000)).1
        #expect(
            many == [
                3: [message("B3")], 4: [message("B4")],
                5: [
                    "A!A5 is part of the merged cells A3:B1048576, whose value the sheet stores in A3 only; unmerge the cells and fill in every row"
                ],
            ])
        // More ranges than any sheet of firms has: the sheet is refused, not held in memory.
        #expect(throws: SheetError.self) {
            try read(String(repeating: #"<mergeCell ref="B2:B4"/>"#, count: XlsxSheetReader.maxMergedRanges + 1))
        }
    }
}
