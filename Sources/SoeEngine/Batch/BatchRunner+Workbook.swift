import SoeLanguage

// An .xlsx batch: the workbook is read whole (at most `UnpackLimits.archiveBytes`), its sheet
// turned into `rfc4180` CSV rows by `XlsxTable`, and those rows run through the CSV batch, so a
// workbook gets the same header check, cell rules, rejected-row accounting, output formats and
// parallel evaluation as a CSV file. A cell the sheet itself marks as wrong (an error value, a
// date number that is no day) rejects its row, naming the cell (`Ark1!C17`).

/// The sheet an .xlsx batch read, reported on standard error as the dialect of a CSV batch is.
public struct XlsxSheetReport: Sendable, Equatable {
    public var sheet: String
    public var position: Int
    public var sheets: Int
    public var date1904: Bool

    /// E.g. `sheet 'Ark1' (1 of 2), 1900 date system`.
    public func text(_ language: Language) -> String {
        let name = DisplayText.value(sheet)
        let system = date1904 ? "1904" : "1900"
        return language == .danish
            ? "ark '\(name)' (\(position) af \(sheets)), \(system)-datosystemet"
            : "sheet '\(name)' (\(position) of \(sheets)), \(system) date system"
    }
}

extension BatchRunner {
    /// How each header name's numbers are read: percentages and dates by the rule sets' inputs.
    func columnKinds() -> [String: XlsxColumnKind] { Self.columnKinds(ruleSets) }

    /// How a workbook's number cells are read, by the input their column names: percentages and
    /// dates (a closing date among them); every other column as it is.
    static func columnKinds(_ ruleSets: [RuleSet]) -> [String: XlsxColumnKind] {
        var kinds: [String: XlsxColumnKind] = [
            "fiscal_year_end": .date, "id": .read, "name": .read, "cvr": .read, "fiscal_year": .read,
        ]
        for ruleSet in ruleSets {
            for input in ruleSet.inputs {
                switch input.type {
                case .percent: kinds[input.name] = .percent
                case .date: kinds[input.name] = .date
                case .money: kinds[input.name] = .money
                case .count, .number: kinds[input.name] = .number
                default: kinds[input.name] = .read
                }
            }
        }
        return kinds
    }

    func runWorkbook<Source: ByteSource>(_ source: Source, _ failure: ReadFailure, _ sink: BatchSink, _ hooks: BatchHooks) -> BatchEnd {
        var source = source
        let limit = options.unpackLimits.archiveBytes
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let declaredSize = source.positional?.size
        let tooLarge = BatchEnd.notBatchInput(
            InputSniffer.Finding(
                message: "the workbook is larger than \(limit >> 20) MiB, the limit; save the sheet as CSV, which is read as a stream",
                danish: "projektmappen er større end \(limit >> 20) MiB, grænsen; gem arket som CSV, der læses som en strøm"))
        while bytes.count <= limit {
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            } catch {
                return .inputFailed(failure.message ?? "could not read input: \(error)", BatchSummary(ruleSets: ruleSets))
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            // What does not start as a ZIP archive is refused below whatever follows: not read on
            // to the limit first (`/dev/zero` given as a workbook would be 256 MiB in memory).
            if bytes.count >= 4 && !bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { break }
            // A regular file says its size: one over the limit is refused after its first read,
            // not read to the limit first.
            if bytes.count >= 4, let size = declaredSize, size > limit {
                return tooLarge
            }
        }
        if bytes.count > limit { return tooLarge }
        guard bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) else {
            if bytes.isEmpty {
                return .notBatchInput(
                    InputSniffer.Finding(
                        message:
                            "the file is empty (0 bytes), not an .xlsx workbook: saved while it was being written, or copied before it was?",
                        danish:
                            "filen er tom (0 byte), ikke en .xlsx-projektmappe: gemt, mens den blev skrevet, eller kopieret før den var?"))
            }
            if let finding = InputSniffer.container(bytes, what: "an .xlsx workbook") { return .notBatchInput(finding) }
            return .notBatchInput(
                InputSniffer.Finding(
                    message:
                        "the file is not an .xlsx workbook (it does not start as a ZIP archive does); an old .xls or .ods file must be saved as .xlsx or CSV first",
                    danish:
                        "filen er ikke en .xlsx-projektmappe (den begynder ikke som et ZIP-arkiv); en gammel .xls- eller .ods-fil skal først gemmes som .xlsx eller CSV"
                ))
        }
        let kinds = columnKinds()
        let input: XlsxBatchInput
        do throws(SheetError) {
            input = try XlsxTable.read(
                bytes, sheet: options.sheetName, kind: { kinds[$0] ?? .other }, percent: options.percent, limits: options.unpackLimits)
        } catch {
            return .notBatchInput(
                InputSniffer.Finding(
                    message: "cannot read the workbook: " + error.message,
                    danish: "projektmappen kan ikke læses: " + (error.danish ?? error.message)))
        }
        bytes = []
        // A sheet with no cell at all (the firms on another sheet): said with the sheets there are,
        // where the CSV it becomes would only be "empty".
        if !input.csv.contains(where: { $0 != 0x0A }) {
            let others = input.sheets.filter { $0 != input.sheet }.map { "'\(DisplayText.value($0))'" }
            let shown = "'\(DisplayText.value(input.sheet))'"
            return .notBatchInput(
                InputSniffer.Finding(
                    message: others.isEmpty
                        ? "the sheet \(shown), the workbook's only one, has no cells: no header and no firms"
                        : "the sheet \(shown) has no cells; the workbook's other sheets are \(others.joined(separator: ", ")): give --sheet NAME for the one with the firms",
                    danish: others.isEmpty
                        ? "arket \(shown), projektmappens eneste, har ingen celler: ingen overskrift og ingen virksomheder"
                        : "arket \(shown) har ingen celler; projektmappens andre ark er \(others.joined(separator: ", ")): angiv --sheet NAVN for det med virksomhederne"
                ))
        }
        hooks.sheet(
            XlsxSheetReport(
                sheet: input.sheet, position: (input.sheets.firstIndex(of: input.sheet) ?? 0) + 1, sheets: input.sheets.count,
                date1904: input.date1904))
        var rowOptions = options
        (rowOptions.inputFormat, rowOptions.dialect, rowOptions.rowProblems) = (.csv, .rfc4180, input.rowProblems)
        rowOptions.sheetPlace = SheetPlace(sheet: XlsxTable.quotedName(input.sheet), headerRow: input.headerRow)
        var rowHooks = hooks
        rowHooks.dialect = { _ in }
        let rows = BatchRunner(ruleSets: ruleSets, options: rowOptions, streams: streams)
        // CSV results of a workbook go back to a spreadsheet program: with a byte-order mark, and
        // in Danish separated by `;`, as Danish Excel and LibreOffice open a CSV file into columns
        // (their list separator; a `,` file opens as one column). Results hold no fractions, so
        // the separator is all that differs.
        let separator = options.language == .danish ? CSVDialect.excelDanish.separator : CSVDialect.rfc4180.separator
        return rows.runCSV(ArraySource(input.csv), ReadFailure(), sink, rowHooks, byteOrderMark: true, resultSeparator: separator)
    }
}
