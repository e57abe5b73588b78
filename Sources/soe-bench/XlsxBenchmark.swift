import Foundation
import SoeEngine
import SoeLanguage
import SoeTestSupport

// `soe-bench xlsx [--rows N] [--repeat R]`: the same N generated firms read from an .xlsx workbook
// and from CSV, in the same run (see docs/benchmark.md). The firms are the batch benchmark's
// (`BatchBenchmark.generate`); the workbook is written here from that CSV, as a spreadsheet program
// would store it: text as shared strings, numbers as numbers, percentages as fractions with a
// percent format, every cell with its `r` reference, entries stored (the ZIP writer of
// SoeTestSupport), and once more with the sheet deflated (one fixed-Huffman block of literals, the
// slowest kind of stream to inflate). Each batch runs to the same counting sink; the fastest of
// --repeat runs counts. Then inflating alone, in MB/s of output.
enum XlsxBenchmark {
    static let usage = """
        usage: soe-bench xlsx [--rows N] [--repeat R]
          --rows N     firms to generate (default 100,000)
          --repeat R   turns of each batch, of which the fastest counts (default 3)
          -h, --help   show this help
        """

    static func run(_ arguments: [String]) -> Int32 {
        let given: BenchArguments
        switch BenchArguments.parse(arguments, numbers: ["--rows", "--repeat"], texts: [], switches: [], usage: usage) {
        case .failure(let stop): return stop.code
        case .success(let parsed): given = parsed
        }
        let rows = given.number("--rows") ?? 100_000
        let repeats = given.number("--repeat") ?? 3
        let folder = NSTemporaryDirectory() + "soe-bench-xlsx-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard let (ruleSets, _) = BatchBenchmark.loadRules(into: folder) else { return 1 }
        let inputs = BatchBenchmark.unionOfInputs(ruleSets)
        let columns = ["id", "name", "cvr", "fiscal_year"] + inputs.map(\.name)
        let csv = folder + "/firms.csv"
        BatchBenchmark.generate(rows: rows, columns: columns, ruleSets: ruleSets, to: csv)
        let percent = Set(inputs.filter { $0.type == .percent }.map(\.name))
        guard let csvBytes = FileManager.default.contents(atPath: csv).map(Array.init),
            let (stored, deflated, sheetBytes) = workbooks(fromCSV: csvBytes, percent: percent)
        else {
            printError("soe-bench xlsx: could not make the workbook")
            return 1
        }
        print(
            "soe-bench xlsx: \(BatchBenchmark.grouped(rows)) firms; CSV \(csvBytes.count / 1_000_000) MB, sheet XML \(sheetBytes / 1_000_000) MB, .xlsx stored \(stored.count / 1_000_000) MB, deflated \(deflated.count / 1_000_000) MB"
        )
        var csvTimes: [Double] = []
        var storedTimes: [Double] = []
        var deflatedTimes: [Double] = []
        var outputs: [Int] = []
        for _ in 0..<repeats {
            for (format, bytes, index) in [(BatchOptions.InputFormat.csv, csvBytes, 0), (.xlsx, stored, 1), (.xlsx, deflated, 2)] {
                let sink = BatchBenchmark.CountingSink()
                var ok = false
                let time = BatchBenchmark.seconds {
                    var options = BatchOptions(inputFormat: format, outputFormat: .csv, sourceName: "firms")
                    options.dialect = format == .csv ? .rfc4180 : nil
                    if case .finished(let summary) = BatchRunner(ruleSets: ruleSets, options: options).run(ArraySource(bytes), to: sink) {
                        ok = summary.rowsRead == rows
                    }
                }
                guard ok else {
                    printError("soe-bench xlsx: the \(format.rawValue) batch did not read every row")
                    return 1
                }
                outputs.append(sink.bytes)
                [0: { csvTimes.append(time) }, 1: { storedTimes.append(time) }, 2: { deflatedTimes.append(time) }][index]?()
            }
        }
        let base = csvTimes.min() ?? 0
        let fromStored = storedTimes.min() ?? 0
        let fromDeflated = deflatedTimes.min() ?? 0
        let same = Set(outputs).count == 1
        BatchBenchmark.report("batch from CSV (rfc4180)", base, rows, unit: "rows", note: "fastest of \(repeats)")
        BatchBenchmark.report(
            "the same firms from .xlsx, entries stored", fromStored, rows, unit: "rows",
            note: String(format: "%.2f × CSV; results %@", fromStored / base, same ? "the same size" : "DIFFERENT"))
        BatchBenchmark.report(
            "the same firms from .xlsx, sheet deflated", fromDeflated, rows, unit: "rows",
            note: String(format: "%.2f × CSV", fromDeflated / base))
        // Inflating alone.
        var archive = try? ZipArchive(deflated)
        if let entry = archive?.entries.last {
            let time = BatchBenchmark.seconds { _ = try? archive?.data(of: entry) }
            print(
                String(
                    format: "  inflate (literal blocks) + CRC-32: %.0f MB/s of output (%d MB in %.2f s)", Double(entry.size) / time / 1e6,
                    entry.size / 1_000_000, time))
        }
        return same ? 0 : 1
    }

    /// The CSV as a workbook, stored and with the sheet deflated, and the sheet's size.
    static func workbooks(fromCSV bytes: [UInt8], percent: Set<String>) -> ([UInt8], [UInt8], Int)? {
        var reader = CSVReader(source: ArraySource(bytes), dialect: .rfc4180)
        guard case .success(let header)? = reader.next() else { return nil }
        let isPercent = header.fields.map { percent.contains($0) }
        var strings: [String] = []
        var stringIndex: [String: Int] = [:]
        var sheet: [UInt8] = []
        sheet.reserveCapacity(bytes.count * 4)
        sheet += Array(#"<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>"#.utf8)
        func append(_ text: String) { sheet += Array(text.utf8) }
        func row(_ fields: [String], _ number: Int, header: Bool) {
            append(#"<row r="\#(number)">"#)
            for (index, field) in fields.enumerated() where !field.isEmpty {
                let reference = XlsxSheetReader.columnName(index + 1) + String(number)
                let numeric = !header && field.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 } && field != "-"
                if numeric && isPercent[index], let fraction = XlsxNumbers.decimal(field, shift: -2) {
                    append(#"<c r="\#(reference)" s="1"><v>\#(fraction)</v></c>"#)
                } else if numeric {
                    append(#"<c r="\#(reference)"><v>\#(field)</v></c>"#)
                } else {
                    let position = stringIndex[field] ?? strings.count
                    if stringIndex[field] == nil {
                        stringIndex[field] = position
                        strings.append(field)
                    }
                    append(#"<c r="\#(reference)" t="s"><v>\#(position)</v></c>"#)
                }
            }
            append("</row>")
        }
        row(header.fields, 1, header: true)
        var number = 1
        while let next = reader.next() {
            guard case .success(let record) = next else { return nil }
            number += 1
            row(record.fields, number, header: false)
        }
        append("</sheetData></worksheet>")
        var shared = "<sst>"
        for text in strings {
            shared +=
                "<si><t>" + text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") + "</t></si>"
        }
        shared += "</sst>"
        let workbook = #"<workbook><sheets><sheet name="Ark1" r:id="r1"/></sheets></workbook>"#
        let rels =
            #"<Relationships><Relationship Id="r1" Target="worksheets/sheet1.xml"/><Relationship Id="r2" Type="x/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="r3" Type="x/styles" Target="styles.xml"/></Relationships>"#
        let styles = #"<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="9"/></cellXfs></styleSheet>"#
        func make(_ deflate: Bool) -> [UInt8] {
            ZipMaker.archive([
                ZipMaker.Entry("xl/workbook.xml", Array(workbook.utf8)),
                ZipMaker.Entry("xl/_rels/workbook.xml.rels", Array(rels.utf8)),
                ZipMaker.Entry("xl/sharedStrings.xml", Array(shared.utf8), deflated: deflate),
                ZipMaker.Entry("xl/styles.xml", Array(styles.utf8)),
                ZipMaker.Entry("xl/worksheets/sheet1.xml", sheet, deflated: deflate),
            ])
        }
        return (make(false), make(true), sheet.count)
    }
}
