import Testing

@testable import SoeEngine
@testable import SoeLanguage

@Suite("ZIP and SpreadsheetML writing")
struct ZipWriterTests {
    @Test("CRC-32 gives the standard check values, also in pieces")
    func crcVectors() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("a".utf8)) == 0xE8B7_BE43)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        let whole = Array("the sheet of a large batch, in pieces".utf8)
        let first = CRC32.checksum(whole[..<11])
        #expect(CRC32.checksum(whole[11...], initial: first) == CRC32.checksum(whole))
        // A non-contiguous collection takes the same path.
        #expect(CRC32.checksum("123456789".utf8.lazy.map { $0 }) == 0xCBF4_3926)
    }

    @Test("a ZIP of stored entries reads back through its central directory")
    func zipStructure() throws {
        let sink = MemorySink()
        var zip = ZipWriter(to: sink)
        let first = Array("<a>æøå</a>".utf8)
        let second = [UInt8](repeating: 7, count: 70_000)
        #expect(zip.add("xl/first.xml", first) == nil)
        #expect(zip.add("[Content_Types].xml", []) == nil)
        #expect(zip.add("second.bin", second) == nil)
        #expect(zip.finish() == nil)
        let read = try #require(StoredZip.read(sink.bytes))
        #expect(read.entries.map(\.name) == ["xl/first.xml", "[Content_Types].xml", "second.bin"])
        #expect(read["xl/first.xml"] == first)
        #expect(read["[Content_Types].xml"] == [])
        #expect(read["second.bin"] == second)
        // Names are flagged UTF-8; every time stamp is 1980-01-01 00:00, so the bytes never vary.
        #expect(StoredZip.u16(sink.bytes, 6) == 0x0800)
        #expect(StoredZip.u16(sink.bytes, 10) == 0 && StoredZip.u16(sink.bytes, 12) == 0x21)
    }

    @Test("text is escaped so that SpreadsheetML reads back the same text")
    func xmlEscaping() {
        #expect(XLSXWriter.escaped("a & b < c > d \"e\"") == "a &amp; b &lt; c &gt; d &quot;e&quot;")
        #expect(XLSXWriter.escaped("tab\there\nline") == "tab\there\nline")
        #expect(XLSXWriter.escaped("cr\r") == "cr_x000D_")
        #expect(XLSXWriter.escaped("nul\u{0}bell\u{7}") == "nul_x0000_bell_x0007_")
        #expect(XLSXWriter.escaped("\u{FFFE}") == "_xFFFE_")
        // An underscore that would start an escape is itself escaped; others are kept.
        #expect(XLSXWriter.escaped("_x0041_") == "_x005F_x0041_")
        #expect(XLSXWriter.escaped("snake_case _x12_") == "snake_case _x12_")
        #expect(XLSXWriter.escaped("Ærø Åse Østergård 🙂") == "Ærø Åse Østergård 🙂")
    }

    @Test("cells: inline strings, numbers only when they are plain decimals, column names")
    func cells() {
        var bytes: [UInt8] = []
        XLSXWriter.appendRow(
            [.text("=SUM(A1)"), .integer(-12), .empty, .number("0.25", .percent), .number("1e5", .general)], to: &bytes)
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "<row><c t=\"inlineStr\"><is><t xml:space=\"preserve\">=SUM(A1)</t></is></c><c><v>-12</v></c><c/>"
                + "<c s=\"3\"><v>0.25</v></c><c t=\"inlineStr\"><is><t xml:space=\"preserve\">1e5</t></is></c></row>")
        #expect(XLSXWriter.isDecimal("4200000.50") && XLSXWriter.isDecimal("-1"))
        #expect(!XLSXWriter.isDecimal("1.") && !XLSXWriter.isDecimal(".5") && !XLSXWriter.isDecimal("1,5") && !XLSXWriter.isDecimal(""))
        #expect([0, 25, 26, 701, 702].map(XLSXWriter.columnName) == ["A", "Z", "AA", "ZZ", "AAA"])
    }

    @Test("the package holds every part a workbook needs, and the styles name the number formats")
    func packageParts() throws {
        let names = XLSXWriter.parts(sheetName: "Resultater").map(\.0)
        #expect(names == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"])
        #expect(XLSXWriter.styles.contains("#,##0.00 &quot;kr.&quot;"))
        #expect(XLSXWriter.styles.contains("numFmtId=\"10\""))
        #expect(XLSXWriter.styles.contains("yyyy-mm-dd"))
    }
}
