import SoeLanguage

/// A CSV dialect of batch input: how fields are separated and how numbers are written.
public struct BatchDialect: Sendable, Equatable {
    /// The separator.
    public var csv: CSVDialect
    /// How numbers are written in cells.
    public var numbers: NumberStyle

    /// Makes a dialect.
    public init(csv: CSVDialect, numbers: NumberStyle) {
        self.csv = csv
        self.numbers = numbers
    }

    /// RFC 4180: comma-separated, decimal point.
    public static let rfc4180 = BatchDialect(csv: .rfc4180, numbers: .point)
    /// What Excel writes with a Danish locale: semicolon-separated, decimal comma (`1234567,50`).
    public static let excelDanish = BatchDialect(csv: .excelDanish, numbers: .danishComma)
    /// Tab-separated, decimal point, as spreadsheets copy to the clipboard.
    public static let tab = BatchDialect(csv: .tab, numbers: .point)
    /// Semicolon-separated with decimal points, as some exports write: the `;` of `excel-da`
    /// without its decimal comma. Never detected; given to settle a number such as `3.600`.
    public static let semicolonPoint = BatchDialect(csv: .excelDanish, numbers: .point)

    /// The dialect that goes with a separator found in a header row.
    public static func forSeparator(_ separator: UInt8) -> BatchDialect {
        switch separator {
        case UInt8(ascii: ";"): .excelDanish
        case UInt8(ascii: "\t"): .tab
        default: .rfc4180
        }
    }

    /// The name `--dialect` takes: `rfc4180`, `excel-da`, `semicolon-point` or `tab`.
    public var name: String {
        switch csv.separator {
        case UInt8(ascii: ";"): numbers == .point ? "semicolon-point" : "excel-da"
        case UInt8(ascii: "\t"): "tab"
        default: "rfc4180"
        }
    }
}

/// Which dialect a batch read its CSV in, and whether it was detected: reported on standard error,
/// because a Danish file read as RFC 4180 (or the reverse) would misread every amount.
public struct BatchDialectReport: Sendable, Equatable, CustomStringConvertible {
    public var dialect: BatchDialect
    /// True when detected from the header row, false when given with `--dialect`.
    public var detected: Bool
    /// Whether the input began with a UTF-8 byte-order mark.
    public var byteOrderMark: Bool

    /// E.g. `excel-da (detected: ';' separator, decimal comma, byte-order mark)`.
    public var description: String { text(.english) }

    /// The report in a language: `excel-da (genkendt: separator ';', decimalkomma, byte-order mark)`.
    public func text(_ language: Language) -> String {
        let danish = language == .danish
        let separator =
            switch dialect.csv.separator {
            case UInt8(ascii: ";"): danish ? "separator ';'" : "';' separator"
            case UInt8(ascii: "\t"): danish ? "separator tabulator" : "tab separator"
            case UInt8(ascii: ","): danish ? "separator ','" : "',' separator"
            default: danish ? "separatorbyte \(dialect.csv.separator)" : "separator byte \(dialect.csv.separator)"
            }
        let comma = dialect.numbers == .danishComma
        var parts = [separator, danish ? (comma ? "decimalkomma" : "decimalpunktum") : (comma ? "decimal comma" : "decimal point")]
        if byteOrderMark { parts.append("byte-order mark") }
        let how = danish ? (detected ? "genkendt" : "som angivet") : (detected ? "detected" : "as given")
        return "\(dialect.name) (\(how): \(parts.joinedText(separator: ", ")))"
    }
}

/// How a batch with traces writes them.
public enum BatchTraceFormat: String, Sendable, CaseIterable {
    /// `soe-trace-stream/3`: one header line per rule set before the results, and each result's
    /// `trace` member holding only what varies by row; `TraceStream.expand` gives the full documents.
    case stream
    /// A whole `soe-trace/1` document in each result's `trace` member: about 29 KB per row and rule
    /// set, and about 18 times slower than the stream; for readers that cannot expand the stream.
    case full
}

/// How a batch is read and written.
public struct BatchOptions: Sendable {
    /// The formats of batch input.
    public enum InputFormat: String, Sendable, CaseIterable {
        /// `xlsx` is a workbook, read whole and turned into `rfc4180` CSV rows (`XlsxTable`).
        case csv, jsonl, xlsx
    }

    public var inputFormat: InputFormat
    /// The CSV dialect, or nil to detect it from the header row.
    public var dialect: BatchDialect?
    public var outputFormat: BatchOutputFormat
    /// Whether each JSON Lines result carries the full trace, in the form `traceFormat` says.
    public var traces: Bool
    /// How traces are written: the compact stream (`soe-trace-stream/3`, the default) or a whole
    /// `soe-trace/1` document in every result.
    public var traceFormat: BatchTraceFormat
    /// The language of outcome labels.
    public var language: Language
    /// The input's name in messages and traces ("firms.csv", "<stdin>").
    public var sourceName: String
    /// How many threads evaluate a CSV batch: 1 evaluates row by row on the calling thread; more
    /// bind, evaluate and format blocks of rows side by side (`BatchParallel.swift`), with the same
    /// output byte for byte. JSON Lines input is always read row by row.
    public var jobs = 1
    /// The processors this process may use at once: those it may run on (its affinity, which
    /// `taskset` and a container's CPU set limit), no more than its control groups' CPU quota
    /// allows (`docker run --cpus`, a Kubernetes CPU limit). `jobs` above it gives the same
    /// results, no sooner: the threads take turns.
    public static var usableProcessors: Int { ReadAhead.processors }
    /// Rows per thread per round when `jobs` > 1: 512 by default; small in tests and the fuzzer, to
    /// make many rounds of few rows.
    public var blockSize = 512
    /// Whether the common CSV result row takes the one-buffer path (`plainCSVResult`); tests turn
    /// it off to compare that path with the general one byte for byte.
    var plainResultRows = true
    /// Whether a wide batch (CSV in the wide layout, xlsx) builds the long layout's pieces as well
    /// (`BatchResultWriter.longPieces`), which it never reads; tests turn it on to compare a batch
    /// without them with one that has them, byte for byte.
    var longPiecesWhenWide = false
    /// The most results the writers keep per outcome and answers (`DecidingPlan.keptSlotBudget`):
    /// tests lower it to compare the kept rows with the general path's.
    var keptSlotBudget = DecidingPlan.keptSlotBudget
    /// When a CSV batch of one thread reads its input ahead on a thread of its own
    /// (`ReadAheadSource`): regular files; tests read generated sources through it (`always`) or
    /// not at all (`never`), to compare the two byte for byte.
    var readAhead = ReadAhead.regularFiles
    /// The inputs of rule sets loaded but not in use (`--ruleset` chose others): input name → the
    /// name of a rule set that declares it. A CSV column so named is skipped with a warning
    /// (`BatchLayout.unusedColumns`) instead of being rejected as unknown.
    public var otherInputs: [String: String] = [:]
    /// How CSV results are laid out: one row per input row and rule set (`long`, the default here,
    /// for machines), or one row per firm with a group of columns per rule set (`wide`, which the
    /// command makes the default for CSV and xlsx). JSON Lines and records are always long; xlsx
    /// is always wide.
    public var layout: BatchResultLayout = .long
    /// `--borderline 2 %` as a share (0.02): flag each decided result that a change of at most this
    /// relative size in one input would overturn. With it, or with a rule set that declares
    /// `borderline`, results get a `borderline` column naming the input (empty when not borderline).
    public var borderline: Exact?
    /// `--as-of`: the day every row is evaluated on instead of its fiscal year's closing day. It
    /// picks the dated parameter values and decides whether a rule set is in force; the row's
    /// fiscal year is still read, checked and reported as data.
    public var asOf: Day?
    /// Set by `DiffRunner`: the batch is a diff of two versions of its rule sets.
    public var diff: DiffSetup?
    /// For `xlsx` input: the sheet to read (`--sheet`), or nil for the first.
    public var sheetName: String?
    /// For `xlsx` input: the caps on the workbook's size and on inflating it.
    public var unpackLimits = UnpackLimits()
    /// Problems found before the rows reached the batch (a workbook's error cells), by record
    /// number: each rejects its row under every rule set, in the batch's language.
    public var rowProblems: [Int: [SheetError]] = [:]
    /// For `xlsx` input: the sheet its rows come from, so that a cell's problem names its cell.
    public var sheetPlace: SheetPlace?
    /// How a percent written without a `%` sign is meant, for the whole input (`--percent`): nil
    /// reads 0 as 0 % and a value beyond ±1 as percentage points, and refuses one between, which
    /// could be a fraction (`0.1`, as a raw spreadsheet export writes 10 %) or percentage points.
    /// Every reader of firm data takes it: CSV, JSON Lines and a single JSON firm.
    public var percent: PercentReading?
    /// Whether a record states the `percent` reading (`percent_reading`). Verification turns it
    /// off for records made before records stated it, which it re-reads with `--percent`.
    public var recordsPercent = true

    /// Makes options; by default CSV in a detected dialect, CSV results, no traces, English labels.
    public init(
        inputFormat: InputFormat = .csv, dialect: BatchDialect? = nil, outputFormat: BatchOutputFormat = .csv,
        traces: Bool = false, traceFormat: BatchTraceFormat = .stream, language: Language = .english,
        sourceName: String = "<stdin>"
    ) {
        self.inputFormat = inputFormat
        self.traceFormat = traceFormat
        self.dialect = dialect
        self.outputFormat = outputFormat
        self.traces = traces
        self.language = language
        self.sourceName = sourceName
    }
}

/// How batch results are laid out in a sheet.
public enum BatchResultLayout: String, Sendable, CaseIterable {
    /// One row per input row and rule set, with identifiers (`BatchResultWriter.columns`): for machines.
    case long
    /// One row per firm: its own columns, then per rule set the result, the reason, the deciding
    /// criteria and the missing data in words, with headers in the batch's language (`WideResultWriter`).
    case wide
}

/// Callbacks a batch makes while it runs; all optional.
public struct BatchHooks {
    /// Called once, after the header row, with the CSV dialect in use.
    public var dialect: (BatchDialectReport) -> Void
    /// Called once, after a header row that passed its check, with its warnings when there are any.
    public var headerWarnings: ([BatchHeaderWarning]) -> Void
    /// Called every `BatchHooks.progressInterval` rows with the number of rows read so far.
    public var progress: (Int) -> Void
    /// Polled every few hundred rows; returning true stops the batch (`BatchEnd.interrupted`).
    public var shouldStop: () -> Bool
    /// With `BatchOutputFormat.record`: called for each row and rule set that gets no record
    /// because the row was rejected, so that no row disappears without a word.
    public var rejected: (BatchRejection) -> Void = { _ in }
    /// With `BatchOutputFormat.record`: when set, each record is handed here instead of being
    /// written (`soe verify` compares them as they come).
    /// The record comes with its compact serialization, the line the record file would hold.
    public var recordMade: ((JSONOutput, [UInt8], BatchPlace) -> Void)?
    /// With `BatchOutputFormat.record`: when set, each row's firm and its inputs as bound under
    /// each rule set (by index) are handed here, and no record is made (`soe evaluate --row`, which
    /// decides that row as one firm). A rejected row goes to `rejected` as before.
    public var rowBound: ((BatchPlace, Int, Firm, BoundInputs) -> Void)?
    /// Called at most once, when a CSV batch turns out to be Windows-1252 and is read as such
    /// (`TextEncodingSource`): a notice for standard error, in English and Danish.
    public var encoding: (InputSniffer.Finding) -> Void = { _ in }

    /// With `xlsx` input: called once, before the header is checked, with the sheet read.
    public var sheet: (XlsxSheetReport) -> Void = { _ in }

    /// Rows between two `progress` calls: often enough for a 0.5 s display, rare enough to cost nothing.
    public static let progressInterval = 4096

    /// Makes hooks; each left out does nothing.
    public init(
        dialect: @escaping (BatchDialectReport) -> Void = { _ in },
        headerWarnings: @escaping ([BatchHeaderWarning]) -> Void = { _ in }, progress: @escaping (Int) -> Void = { _ in },
        shouldStop: @escaping () -> Bool = { false }
    ) {
        self.dialect = dialect
        self.headerWarnings = headerWarnings
        self.progress = progress
        self.shouldStop = shouldStop
    }
}

/// A row that got no record under a rule set, and why.
public struct BatchRejection: Sendable, Equatable {
    public var place: BatchPlace
    /// The rule set's name.
    public var ruleSet: String
    /// Every problem with the row, in the batch's language, separated by "; ".
    public var reason: String
}

/// How a batch ended. Every case but `headerRejected` carries the counts so far.
public enum BatchEnd {
    /// Every row was read, and each has a result.
    case finished(BatchSummary)
    /// The header row has problems; no row was read and nothing was written.
    case headerRejected([BatchHeaderError])
    /// The input is not of the kind asked for (compressed, UTF-16, a JSON array for JSON Lines):
    /// nothing was read or written.
    case notBatchInput(InputSniffer.Finding)
    /// Reading the input failed; the rest of it cannot be trusted.
    case inputFailed(String, BatchSummary)
    /// Writing the results failed.
    case outputFailed(ToolError, BatchSummary)
    /// `shouldStop` asked the batch to stop.
    case interrupted(BatchSummary)
}
