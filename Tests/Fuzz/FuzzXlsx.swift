// Fuzz target `xlsx`: the sheet reader. The first byte chooses: 0 reads the rest as a whole
// workbook file; any other byte puts the rest, as the sheet's XML, into a workbook made here
// (stored entries, shared strings and styles with percent and date formats, the 1904 system when
// the byte is odd), so that the fuzzer works on SpreadsheetML rather than on ZIP headers. The
// tokenizer also reads the rest alone. Nothing may crash or hang; the CSV made is UTF-8 with
// one line per record at least, and every problem names a cell of the sheet.
import SoeEngine
import SoeLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXlsx(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    runXlsx(bytes)
    return 0
}

let kinds: [String: XlsxColumnKind] = [
    "share": .percent, "public_ownership": .percent, "closing": .date, "fiscal_year_end": .date, "market_sales": .money, "staff": .number,
]

func runXlsx(_ bytes: [UInt8]) {
    guard let mode = bytes.first else { return }
    let rest = Array(bytes.dropFirst())
    var xml = XMLTokenizer(rest)
    var tokens = 0
    do {
        while let token = try xml.next() {
            tokens += 1
            require(tokens <= rest.count + 1, "more tokens than bytes: the tokenizer does not advance")
            if case .text(let range) = token { _ = try xml.text(range) }
        }
    } catch {
        require(error.message.hasPrefix("malformed XML at line "), "an XML error without its line")
    }
    let workbook = mode == 0 ? rest : storedWorkbook(sheet: rest, date1904: mode & 1 == 1)
    var limits = UnpackLimits()
    (limits.entryBytes, limits.totalBytes) = (1 << 20, 4 << 20)
    do {
        let input = try XlsxTable.read(workbook, sheet: nil, kind: { kinds[$0] ?? .other }, limits: limits)
        require(String(validating: input.csv, as: UTF8.self) != nil, "the CSV made is not UTF-8")
        for (record, problems) in input.rowProblems {
            require(record >= 1, "a problem on record \(record)")
            for problem in problems { require(problem.message.contains("!"), "a cell problem without its cell: \(problem.message)") }
        }
    } catch {
        require(!error.message.isEmpty && error.danish?.isEmpty == false, "a workbook error without both texts")
    }
}

/// A workbook of one sheet with the given XML, its entries stored.
func storedWorkbook(sheet: [UInt8], date1904: Bool) -> [UInt8] {
    let parts: [(String, [UInt8])] = [
        (
            "xl/workbook.xml",
            Array(
                #"<workbook><workbookPr date1904="\#(date1904 ? 1 : 0)"/><sheets><sheet name="Ark1" r:id="r1"/></sheets></workbook>"#.utf8)
        ),
        (
            "xl/_rels/workbook.xml.rels",
            Array(
                #"<Relationships><Relationship Id="r1" Target="worksheets/sheet1.xml"/><Relationship Id="r2" Type="x/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="r3" Type="x/styles" Target="styles.xml"/></Relationships>"#
                    .utf8)
        ),
        (
            "xl/sharedStrings.xml",
            Array("<sst><si><t>id</t></si><si><t>share</t></si><si><r><t>clos</t></r><r><t>ing</t></r></si></sst>".utf8)
        ),
        (
            "xl/styles.xml",
            Array(
                #"<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>"#
                    .utf8)
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ]
    var out: [UInt8] = []
    var directory: [UInt8] = []
    func le(_ value: Int, _ count: Int, _ into: inout [UInt8]) {
        for index in 0..<count { into.append(UInt8((value >> (8 * index)) & 0xFF)) }
    }
    for (name, data) in parts {
        let crc = Int(CRC32.checksum(data))
        let offset = out.count
        le(0x0403_4B50, 4, &out)
        for value in [20, 0, 0, 0, 0] { le(value, 2, &out) }
        le(crc, 4, &out)
        le(data.count, 4, &out)
        le(data.count, 4, &out)
        le(name.utf8.count, 2, &out)
        le(0, 2, &out)
        out += Array(name.utf8) + data
        le(0x0201_4B50, 4, &directory)
        for value in [20, 20, 0, 0, 0, 0] { le(value, 2, &directory) }
        le(crc, 4, &directory)
        le(data.count, 4, &directory)
        le(data.count, 4, &directory)
        le(name.utf8.count, 2, &directory)
        for _ in 0..<4 { le(0, 2, &directory) }
        le(0, 4, &directory)
        le(offset, 4, &directory)
        directory += Array(name.utf8)
    }
    let start = out.count
    out += directory
    le(0x0605_4B50, 4, &out)
    le(0, 2, &out)
    le(0, 2, &out)
    le(parts.count, 2, &out)
    le(parts.count, 2, &out)
    le(directory.count, 4, &out)
    le(start, 4, &out)
    le(0, 2, &out)
    return out
}
