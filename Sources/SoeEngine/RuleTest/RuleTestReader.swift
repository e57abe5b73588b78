import SoeLanguage

// Reads rule test files: JSON firm files with `_expected`, and CSV files (any dialect the batch
// reader detects) with `expected:RULESET` columns. Firm data is read by the same code as
// `soe evaluate`: `FirmReader` for JSON, the batch's `CSVRowBinder` for CSV, so a test firm means
// what it would mean to a caseworker.

/// Reads test files into test cases, collecting every problem with the files themselves.
struct RuleTestReader {
    let ruleSets: [RuleSet]
    let language: Language
    var cases: [RuleTestCase] = []
    var problems: [RuleTestProblem] = []
    /// Expectations for rule sets not loaded, by rule set name: not tested, and said.
    var skipped: [String: Int] = [:]
    /// Files that test only rule sets not loaded, with those rule sets' names.
    var skippedFiles: [(path: String, ruleSets: [String])] = []
    /// Each file read, with how many firms it gave.
    var files: [(path: String, firms: Int)] = []
    /// What a test file holds that the tests will not read, or lacks (a column or member no rule
    /// set tested reads, an input no column holds): said, in the report's language, not refused.
    var warnings: [(place: String, text: String)] = []
    /// `--dialect` (nil: detected from the separator, as `soe evaluate` does) and `--percent`.
    var dialect: BatchDialect?
    var percent: PercentReading?

    init(ruleSets: [RuleSet], language: Language, dialect: BatchDialect? = nil, percent: PercentReading? = nil) {
        self.ruleSets = ruleSets
        self.language = language
        self.dialect = dialect
        self.percent = percent
    }

    /// A problem with a test file's header (or `_expected`) at `place`, in the report's language.
    mutating func headerProblem(_ place: String, _ english: String, _ danish: String) {
        problems.append(RuleTestProblem(place: place, kind: .csvHeader(language == .danish ? danish : english)))
    }

    /// The batch layout's problems with a test CSV's header, each at its column.
    mutating func layoutProblems(_ errors: BatchHeaderErrors, path: String) {
        for error in errors.errors {
            let column = error.column > 0 ? ":\(error.column)" : ""
            problems.append(RuleTestProblem(place: "\(path):1\(column)", kind: .csvHeader(error.text(language))))
        }
    }

    /// Whether every rule set a file's expectations name is loaded: only then is a column or member
    /// that no loaded rule set reads surely unread (with one of them not loaded, it may be its input).
    func namesOnlyLoaded(_ keys: [String]) -> Bool {
        keys.allSatisfy { key in
            let name = key.firstIndex(of: ".").map { String(key[..<$0]) } ?? key
            return ruleSets.contains { $0.name == name }
        }
    }

    /// The prefixes of an expectation column, English and Danish.
    static let columnPrefixes = ["expected:", "forventet:"]

    /// Reads one test file by its extension (`.csv` or `.json`).
    mutating func read(_ path: String) {
        let bytes: [UInt8]
        switch FileSystem.read(path, limit: FileSystem.firmFileLimit) {
        case .failure(let failure):
            problems.append(RuleTestProblem(place: path, kind: .unreadable(failure.message)))
            return
        case .success(let read): bytes = read
        }
        let before = (cases.count, skippedFiles.count)
        if path.lowercased().hasSuffix(".xlsx") {
            readWorkbook(bytes, path: path)
        } else if path.lowercased().hasSuffix(".csv") {
            readCSV(bytes, path: path)
        } else {
            readJSON(bytes, path: path)
        }
        if skippedFiles.count == before.1 { files.append((path, cases.count - before.0)) }
    }

    // MARK: JSON

    mutating func readJSON(_ bytes: [UInt8], path: String) {
        let node: JSONNode
        switch FirmReader.parse(bytes, source: path) {
        case .failure(let errors):
            let first = errors.errors.first
            let place = "\(path):\(first?.line ?? 1):\(first?.column ?? 1)"
            problems.append(RuleTestProblem(place: place, kind: .notJSON(first?.text(language) ?? "")))
            return
        case .success(let parsed): node = parsed
        }
        // `_forventet` as a CSV has `forventet:`.
        guard case .object(let members) = node.value,
            let expected = members.first(where: { $0.key == "_expected" || $0.key == "_forventet" })
        else {
            problems.append(RuleTestProblem(place: path, kind: .noExpectedMember))
            return
        }
        let at = lineAndColumn(of: expected.keyRange.lowerBound, in: bytes)
        let place = "\(path):\(at.line):\(at.column)"
        guard case .object(let pairs) = expected.value.value else {
            problems.append(RuleTestProblem(place: place, kind: .expectedNotObject))
            return
        }
        var cells: [(key: String, text: String, place: String)] = []
        for pair in pairs {
            let spot = lineAndColumn(of: pair.keyRange.lowerBound, in: bytes)
            if pair.key.isEmpty {
                // A question with no rule set, or two answers to one: nothing is tested.
                headerProblem(
                    "\(path):\(spot.line):\(spot.column)", "an expectation without a rule set's name",
                    "en forventning uden navn på et regelsæt")
                return
            }
            if cells.contains(where: { $0.key == pair.key }) {
                let key = DisplayText.value(pair.key)
                headerProblem(
                    "\(path):\(spot.line):\(spot.column)", "'\(key)' is expected twice in _expected; keep one",
                    "'\(key)' forventes to gange i _expected; behold én")
                return
            }
            let text: String
            switch pair.value.value {
            case .string(let value): text = value
            case .bool(let value): text = value ? "yes" : "no"
            case .null: text = pair.key.contains(".") ? "unknown" : ""
            default:
                problems.append(RuleTestProblem(place: "\(path):\(spot.line):\(spot.column)", kind: .badExpectedValue(key: pair.key)))
                continue
            }
            cells.append((pair.key, text, "\(path):\(spot.line):\(spot.column)"))
        }
        if skipsWhole(cells.map(\.key), path: path) { return }
        guard checkKeys(cells.map { ($0.key, $0.place) }) else { return }
        let knownInputs = Set(ruleSets.flatMap { $0.inputs.map(\.name) })
        let parts = FirmReader.readParts(
            node, in: bytes, source: path, sha256: SHA256.hex(bytes), knownInputs: knownInputs, lineOffset: 0)
        let firmErrors = parts.errors.map { describe($0) }
        if namesOnlyLoaded(cells.map(\.key)) {
            for warning in parts.firm?.warnings ?? [] {
                warnings.append(("\(path):\(warning.line):\(warning.column)", describe(warning)))
            }
        }
        let bound: [Result<BoundInputs, RuleTestRejection>] = ruleSets.map { ruleSet in
            let (inputs, errors) = Firm.bind(fields: parts.fields, to: ruleSet, style: .point, percent: percent)
            if !firmErrors.isEmpty || parts.firm == nil || !errors.isEmpty {
                return .failure(RuleTestRejection(reasons: firmErrors + errors.map { describe($0) }))
            }
            return .success(inputs)
        }
        let label = path + (parts.firm?.name.map { " (\(DisplayText.value($0)))" } ?? "")
        guard let expectations = expectations(cells, place: place) else { return }
        cases.append(
            RuleTestCase(
                label: label, place: place, expectations: expectations, firm: parts.firm, firmErrors: firmErrors, bound: bound))
    }

    func describe(_ error: DataError) -> String {
        error.field.isEmpty ? error.text(language) : "\(DisplayText.value(error.field)): \(error.text(language))"
    }

    // MARK: Workbooks

    /// A workbook of tests: its first sheet read as a batch reads it (`XlsxTable`: percent cells
    /// as percentages, date cells as dates), then as a CSV of tests. A cell the sheet cannot give
    /// (an error value such as `#DIV/0!`) is a problem of the test file, with its cell.
    mutating func readWorkbook(_ bytes: [UInt8], path: String) {
        let kinds = BatchRunner.columnKinds(ruleSets)
        let sheet: XlsxBatchInput
        do throws(SheetError) {
            sheet = try XlsxTable.read(bytes, sheet: nil, kind: { kinds[$0] ?? .other }, percent: percent)
        } catch {
            // Read, and found to be no workbook soe can read as written (encrypted, damaged): exit 4.
            problems.append(RuleTestProblem(place: path, kind: .csvHeader(error.text(language))))
            return
        }
        let cellProblems = sheet.rowProblems.sorted { $0.key < $1.key }.flatMap { $0.value }
        for problem in cellProblems {
            problems.append(RuleTestProblem(place: path, kind: .csvHeader(problem.text(language))))
        }
        // The CSV made from the sheet is soe's own (RFC 4180, decimal points): `--dialect` is for
        // the CSV test files a person saved, not for it.
        if cellProblems.isEmpty { readCSV(sheet.csv, path: path, dialect: .rfc4180) }
    }

    /// A header with the spaces before and after its first `:` taken out, when the text before it
    /// is a single word (`Expected : rsv_2014` → `Expected:rsv_2014`); any other header as it is.
    static func closingUpColon(_ header: String) -> String {
        guard let colon = header.firstIndex(of: ":") else { return header }
        let before = String(header[..<colon]).trimmingSpaces()
        guard !before.isEmpty, !before.contains(" ") else { return header }
        return before + ":" + String(header[header.index(after: colon)...]).trimmingSpaces()
    }

    /// The column a header was meant to be when its text before `:` is a misspelling of
    /// `expected` or `forventet` (two edits at most: `forvented:`, `expeted:`), as written with the
    /// prefix spelt right; nil for any other header.
    static func misspeltPrefix(_ header: String) -> String? {
        guard let colon = header.firstIndex(of: ":") else { return nil }
        let written = String(header[..<colon]).trimmingSpaces().lowercased()
        guard !written.isEmpty, !written.hasPrefix("_") else { return nil }
        for prefix in columnPrefixes {
            let word = String(prefix.dropLast())
            if written != word && editDistance(written, word) <= 2 {
                return prefix + String(header[header.index(after: colon)...]).trimmingSpaces()
            }
        }
        return nil
    }

    // MARK: CSV

    mutating func readCSV(_ bytes: [UInt8], path: String, dialect given: BatchDialect? = nil) {
        let dialect = given ?? self.dialect
        // A spreadsheet saved as .xlsx, a compressed or UTF-16 file: said as what it is.
        if let finding = InputSniffer.container(bytes, what: "CSV") {
            problems.append(RuleTestProblem(place: path, kind: .csvHeader(language == .danish ? finding.danish : finding.message)))
            return
        }
        // Windows-1252 (Danish Excel's "CSV") read as `soe evaluate` reads it, with its notice.
        let encoding = EncodingNotice()
        var reader = CSVReader(
            source: TextEncodingSource(ArraySource(bytes), language: language) { encoding.finding = $0 }, dialect: dialect?.csv)
        defer {
            if let finding = encoding.finding { warnings.append((path, language == .danish ? finding.danish : finding.message)) }
        }
        let headerRecord: CSVRecord
        switch reader.next() {
        case nil:
            problems.append(RuleTestProblem(place: path, kind: .emptyFile))
            return
        case .failure(let error)?:
            // A header past the reader's limits (more than 10,000 fields) is not an empty file.
            problems.append(RuleTestProblem(place: "\(path):\(error.line):\(error.column)", kind: .csvRecord(error.text(language))))
            return
        case .success(let record)?: headerRecord = record
        }
        var header = headerRecord.fields
        var expectationColumns: [(column: Int, key: String)] = []
        var misspelt = false
        var malformed = false
        for (column, name) in header.enumerated() {
            // `Expected : rsv_2014`: spaces around the colon are not part of the prefix.
            let trimmed = Self.closingUpColon(name.trimmingSpaces())
            guard let prefix = Self.columnPrefixes.first(where: { trimmed.lowercased().hasPrefix($0) }) else {
                if let meant = Self.misspeltPrefix(trimmed) {
                    misspelt = true
                    // Kept out of the firm's columns, so that the header's other problems are said too.
                    header[column] = "_" + trimmed
                    headerProblem(
                        "\(path):1:\(column + 1)",
                        "column \(column + 1) '\(DisplayText.value(trimmed))' looks like a column of expectations; did you mean '\(DisplayText.value(meant))'?",
                        "kolonne \(column + 1) '\(DisplayText.value(trimmed))' ligner en kolonne med forventninger; mente du '\(DisplayText.value(meant))'?"
                    )
                }
                continue
            }
            let key = String(trimmed.dropFirst(prefix.count)).trimmingSpaces()
            let shown = DisplayText.value(trimmed)
            if key.isEmpty || key.contains(":") || key.hasPrefix(".") || key.hasSuffix(".") {
                // `expected:` with no rule set, `expected:rsv_2014:eligible`: not a name to test.
                malformed = true
                headerProblem(
                    "\(path):1:\(column + 1)",
                    "column \(column + 1) '\(shown)' names no rule set to expect; write '\(prefix)RULESET' or '\(prefix)RULESET.CRITERION'",
                    "kolonne \(column + 1) '\(shown)' nævner intet regelsæt som forventet; skriv '\(prefix)REGELSÆT' eller '\(prefix)REGELSÆT.KRITERIUM'"
                )
            } else if let earlier = expectationColumns.first(where: { $0.key == key }) {
                // `forventet:x` and `expected:x` both: which of two answers is expected cannot be told.
                malformed = true
                headerProblem(
                    "\(path):1:\(column + 1)",
                    "column \(column + 1) '\(shown)' expects again what column \(earlier.column + 1) expects; keep one of them",
                    "kolonne \(column + 1) '\(shown)' forventer igen det, som kolonne \(earlier.column + 1) forventer; behold én af dem")
            }
            expectationColumns.append((column, key))
            // A comment column to the batch layout, so that the firm's columns keep their numbers.
            header[column] = "_" + trimmed
        }
        // A misspelt prefix would leave its column's expectations untested, a malformed one test
        // nothing: nothing in the file is tested, and the firm columns' problems are said with them,
        // not one run at a time.
        if malformed || misspelt {
            if case .failure(let errors) = BatchLayout.check(header: header, ruleSets: ruleSets) { layoutProblems(errors, path: path) }
            return
        }
        guard !expectationColumns.isEmpty else {
            problems.append(RuleTestProblem(place: "\(path):1", kind: .noExpectedColumns))
            return
        }
        if skipsWhole(expectationColumns.map(\.key), path: path) { return }
        guard checkKeys(expectationColumns.map { ($0.key, "\(path):1:\($0.column + 1)") }) else { return }
        let layout: BatchLayout
        switch BatchLayout.check(header: header, ruleSets: ruleSets) {
        case .failure(let errors):
            layoutProblems(errors, path: path)
            return
        case .success(let checked): layout = checked
        }
        let chosen = dialect ?? BatchDialect.forSeparator(reader.dialect?.separator ?? CSVDialect.rfc4180.separator)
        // The decimal mark's evidence and a template's row of descriptions, as a batch reads them.
        var decimalGuard: DecimalMarkGuard?
        if dialect == nil {
            let (sniffed, notice) = DecimalMarkGuard.sniffed(reader.lookAhead(), layout: layout, dialect: chosen)
            decimalGuard = sniffed
            if let notice { warnings.append(("\(path):1", notice.text(language))) }
        }
        warnUnread(layout, keys: expectationColumns.map(\.key), path: path)
        var binder = CSVRowBinder(
            layout: layout, style: chosen.numbers, language: language, decimalGuard: decimalGuard, percent: percent)
        if let skipped = BatchRunner.skipTemplateDescriptions(&reader, layout: layout, ruleSets: ruleSets) {
            warnings.append(("\(path):2", skipped.text(language)))
        }
        var row = BatchRow(ruleSets: ruleSets)
        var records = 0
        defer {
            // A file of expectations without a firm tests nothing: said, not passed.
            if records == 0 { problems.append(RuleTestProblem(place: path, kind: .noFirms)) }
        }
        while let item = reader.next() {
            let record: CSVRecord
            switch item {
            case .failure(let error):
                records += 1
                problems.append(RuleTestProblem(place: "\(path):\(error.line):\(error.column)", kind: .csvRecord(error.text(language))))
                continue
            case .success(let read): record = read
            }
            if CSVRowBinder.isBlank(record.fields) { continue }
            records += 1
            let place = "\(path):\(record.line)"
            guard record.fields.count == layout.columns.count else {
                let words = BatchWords(language)
                problems.append(
                    RuleTestProblem(
                        place: place, kind: .csvRecord(words.fieldCount(found: record.fields.count, header: layout.columns.count))))
                continue
            }
            binder.bind(record, into: &row)
            var firm: Firm?
            if let day = row.closingDay {
                let hash = SHA256.hex(Array(record.fields.joined(separator: "\u{1F}").utf8))
                firm = binder.firm(for: record, row: row, closingDay: day, source: "\(path) row \(record.number)", sha256: hash)
            }
            let firmErrors = row.rowErrors
            let bound: [Result<BoundInputs, RuleTestRejection>] = ruleSets.indices.map { index in
                guard let firm, !row.isRejected(under: index) else {
                    return .failure(RuleTestRejection(reasons: row.rowErrors + row.ruleSetErrors[index]))
                }
                return .success(BoundInputs(values: row.values[index], sources: layout.sources(ruleSet: index, firm: firm)))
            }
            let cells = expectationColumns.map { (key: $0.key, text: record.fields[$0.column], place: "\(place):\($0.column + 1)") }
            var who: [String] = [row.id, row.name].compactMap { $0 }.map { DisplayText.value($0) }
            if who.isEmpty, let cvr = row.cvr { who = ["CVR \(cvr)"] }
            let label =
                "\(path) \(language == .danish ? "række" : "row") \(record.number)"
                + (who.isEmpty ? "" : " (\(who.joined(separator: ", ")))")
            guard let expectations = expectations(cells, place: place) else { continue }
            cases.append(
                RuleTestCase(label: label, place: place, expectations: expectations, firm: firm, firmErrors: firmErrors, bound: bound))
        }
    }

    /// The warnings of a test CSV's header: columns that no rule set tested reads (a name far from
    /// every input, so not refused as a typo: the tests would pass without it ever being read), and
    /// the inputs of a rule set the file tests that no column holds (every firm lacks them).
    mutating func warnUnread(_ layout: BatchLayout, keys: [String], path: String) {
        let danish = language == .danish
        if namesOnlyLoaded(keys), !layout.carriedNoticeNames.isEmpty {
            let names = layout.carriedNoticeNames
            let list = names.map { "'\(DisplayText.value($0))'" }.joined(separator: ", ")
            let many = names.count > 1
            warnings.append(
                (
                    "\(path):1",
                    danish
                        ? "\(many ? "kolonnerne" : "kolonnen") \(list) er ikke en oplysning til de regelsæt, der testes, og læses ikke; lad navnet begynde med '_' for at beholde den som bemærkning"
                        : "\(many ? "columns" : "column") \(list) \(many ? "are" : "is") not an input of the rule sets tested and not read; start a name with '_' to keep the column as a note"
                ))
        }
        let expected = Set(keys.map { key in key.firstIndex(of: ".").map { String(key[..<$0]) } ?? key })
        // Inputs of loaded rule sets that this file tests none of: read, but by no test here.
        var tested: Set<Int> = []
        for (index, readings) in layout.inputReadings.enumerated() where expected.contains(ruleSets[index].name) {
            for reading in readings where reading >= 0 { tested.insert(layout.readings[reading].column) }
        }
        var untested: [(column: Int, owners: [String])] = []
        for reading in layout.readings where !tested.contains(reading.column) && !untested.contains(where: { $0.column == reading.column })
        {
            let owners = layout.inputReadings.indices.filter { index in
                layout.inputReadings[index].contains { $0 >= 0 && layout.readings[$0].column == reading.column }
            }.map { ruleSets[$0].name }
            untested.append((reading.column, owners))
        }
        if !untested.isEmpty {
            let names = untested.map { "'\(DisplayText.value(layout.columns[$0.column]))'" }.joined(separator: ", ")
            let owners = Array(Set(untested.flatMap(\.owners))).sorted().joined(separator: ", ")
            let many = untested.count > 1
            warnings.append(
                (
                    "\(path):1",
                    danish
                        ? "\(many ? "kolonnerne" : "kolonnen") \(names) er kun oplysninger til \(owners), som filen ikke tester, og læses af ingen test her"
                        : "\(many ? "columns" : "column") \(names) \(many ? "are inputs" : "is an input") only of \(owners), which the file does not test, and read by no test here"
                ))
        }
        for (index, names) in layout.missingInputNames.enumerated() where !names.isEmpty && expected.contains(ruleSets[index].name) {
            let list = names.map { "'\($0)'" }.joined(separator: ", ")
            let many = names.count > 1
            warnings.append(
                (
                    "\(path):1",
                    danish
                        ? "ingen kolonne til \(many ? "oplysningerne" : "oplysningen") \(list) (\(ruleSets[index].name)): alle virksomheder i filen mangler \(many ? "dem" : "den")"
                        : "no column for the \(many ? "inputs" : "input") \(list) (\(ruleSets[index].name)): every firm in the file lacks \(many ? "them" : "it")"
                ))
        }
    }

    // MARK: Expectations

    /// Checks the names of a file's expectations once (a CSV's header, a JSON file's
    /// `_expected`): a rule set name close to a loaded one is a typo, and so is a criterion the
    /// rule set does not have. Returns whether all are sound; the problems are recorded.
    mutating func checkKeys(_ keys: [(key: String, place: String)]) -> Bool {
        let names = ruleSets.map(\.name)
        var sound = true
        for (key, place) in keys {
            let dot = key.firstIndex(of: ".")
            let ruleSetName = dot.map { String(key[..<$0]) } ?? key
            guard let ruleSet = ruleSets.first(where: { $0.name == ruleSetName }) else {
                if let suggestion = closestWord(to: ruleSetName, in: names) {
                    problems.append(
                        RuleTestProblem(place: place, kind: .unknownRuleSet(ruleSetName, suggestion: suggestion, loaded: names)))
                    sound = false
                }
                continue
            }
            guard let dot else { continue }
            let criterion = String(key[key.index(after: dot)...])
            if !ruleSet.criteria.contains(where: { $0.name == criterion }) {
                let suggestion = closestWord(to: criterion, in: ruleSet.criteria.map(\.name))
                problems.append(
                    RuleTestProblem(place: place, kind: .unknownCriterion(criterion, ruleSet: ruleSetName, suggestion: suggestion)))
                sound = false
            }
        }
        return sound
    }

    /// Whether a file tests only rule sets that are not loaded (`soe test rules/rsv_2014.rules`
    /// finds the tests of the other rule sets in the same folder): then it is skipped, and said,
    /// rather than refused for data those rule sets declare. A name close to a loaded rule set is
    /// a typo, and the file is read so that it is reported.
    mutating func skipsWhole(_ keys: [String], path: String) -> Bool {
        let names = Set(keys.map { key in key.firstIndex(of: ".").map { String(key[..<$0]) } ?? key })
        let loaded = ruleSets.map(\.name)
        guard !names.isEmpty, names.allSatisfy({ !loaded.contains($0) && closestWord(to: $0, in: loaded) == nil }) else { return false }
        skippedFiles.append((path, names.sorted()))
        return true
    }

    /// The expectations of one firm, grouped by rule set in the order first named, each checked
    /// against the rule sets loaded; nil (with the problems recorded) when any is wrong or none is given.
    mutating func expectations(_ cells: [(key: String, text: String, place: String)], place: String) -> [RuleTestExpectation]? {
        var list: [RuleTestExpectation] = []
        var failed = false
        for cell in cells {
            let ruleSetName: String
            var criterion: String?
            if let dot = cell.key.firstIndex(of: ".") {
                ruleSetName = String(cell.key[..<dot])
                criterion = String(cell.key[cell.key.index(after: dot)...])
            } else {
                ruleSetName = cell.key
            }
            guard let ruleSet = ruleSets.first(where: { $0.name == ruleSetName }) else {
                // A rule set not loaded this time (`soe test rules/rsv_2014.rules` with tests for
                // all three; `checkKeys` has refused the names close to a loaded one): skipped, and said.
                if !cell.text.trimmingSpaces().isEmpty { skipped[ruleSetName, default: 0] += 1 }
                continue
            }
            var index = list.firstIndex { $0.ruleSet == ruleSetName }
            if let criterion {
                let truth: ExpectedTruth?
                switch ExpectedTruth.parse(cell.text) {
                case .failure(let kind):
                    problems.append(RuleTestProblem(place: cell.place, kind: kind))
                    failed = true
                    continue
                case .success(let parsed): truth = parsed
                }
                guard let truth else { continue }
                guard ruleSet.criteria.contains(where: { $0.name == criterion }) else {
                    let suggestion = closestWord(to: criterion, in: ruleSet.criteria.map(\.name))
                    problems.append(
                        RuleTestProblem(place: cell.place, kind: .unknownCriterion(criterion, ruleSet: ruleSetName, suggestion: suggestion))
                    )
                    failed = true
                    continue
                }
                if index == nil {
                    list.append(RuleTestExpectation(ruleSet: ruleSetName, result: nil, criteria: []))
                    index = list.count - 1
                }
                if let index { list[index].criteria.append((criterion, truth)) }
                continue
            }
            guard let result = ExpectedResult.parse(cell.text) else { continue }
            if case .outcome(let name) = result, !ruleSet.outcomes.contains(where: { $0.name == name }) {
                // The outcome's label written for its name (`Ordinær virksomhed` for `ordinary`) is
                // that outcome; any other text gets the nearest name.
                let byLabel = ruleSet.outcomes.first { outcome in
                    guard let label = outcome.label else { return false }
                    return [label.danish, label.english].compactMap { $0?.lowercased() }.contains(name.lowercased())
                }
                let suggestion = byLabel?.name ?? closestWord(to: name, in: ruleSet.outcomes.map(\.name))
                var names: [String] = []
                for outcome in ruleSet.outcomes where !names.contains(outcome.name) { names.append(outcome.name) }
                problems.append(
                    RuleTestProblem(
                        place: cell.place, kind: .unknownOutcome(name, ruleSet: ruleSetName, suggestion: suggestion, outcomes: names)))
                failed = true
                continue
            }
            if let index {
                list[index].result = result
            } else {
                list.append(RuleTestExpectation(ruleSet: ruleSetName, result: result, criteria: []))
            }
        }
        if failed { return nil }
        if list.isEmpty {
            // Only expectations for rule sets not loaded: nothing to test here, and not a mistake.
            if cells.contains(where: { cell in !ruleSets.contains { cell.key.hasPrefix($0.name) } && !cell.text.trimmingSpaces().isEmpty })
            {
                return nil
            }
            problems.append(RuleTestProblem(place: place, kind: .nothingExpected))
            return nil
        }
        return list
    }
}

/// The encoding notice of a test CSV read as Windows-1252, kept until the file is read.
final class EncodingNotice {
    var finding: InputSniffer.Finding?
}
