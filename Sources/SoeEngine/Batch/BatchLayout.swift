import SoeLanguage

// The header row of a batch CSV, checked against the rule sets before any row is read: a column
// name that no rule set declares is a typo until proven otherwise, and a typo must never turn a
// million firms' data into "missing".

/// One thing to say about a batch CSV's header row, in English and Danish: an error
/// (`BatchHeaderError`), which stops the batch before any row, or a warning (`BatchHeaderWarning`),
/// which does not: a column that names an input of a rule set loaded but not selected (`--ruleset`),
/// so it is not read. Said once, on standard error.
public struct BatchHeaderNote: Error, Sendable, Equatable, BilingualMessage {
    /// The 1-based column, or 0 for the header as a whole.
    public var column: Int
    /// What is wrong or worth knowing, lower case, no full stop.
    public var message: String
    /// The same in Danish, for `--lang da`.
    public var danish: String?

    /// Makes a note on the header.
    public init(column: Int, message: String, danish: String? = nil) {
        self.column = column
        self.message = message
        self.danish = danish
    }
}

/// A header problem that stops the batch before any row.
public typealias BatchHeaderError = BatchHeaderNote
/// A header note that does not stop the batch.
public typealias BatchHeaderWarning = BatchHeaderNote

/// Every problem with a batch CSV's header row, reported at once.
public struct BatchHeaderErrors: Error, Sendable, Equatable {
    public var errors: [BatchHeaderError]
    public init(_ errors: [BatchHeaderError]) { self.errors = errors }
}

/// How to read one column as one rule set's input. Two rule sets that declare the same input the
/// same way (same type, choices and bounds) share a reading, so the cell is parsed once per row.
struct BatchReading {
    /// How the cell's text is read, decided once so the row loop does not switch on `ValueType`.
    enum Kind {
        case money, count, number, percent, bool, date, text, choice

        /// Money, counts, numbers and percentages: the kinds whose cells a decimal mark can change.
        var isNumber: Bool { self == .money || self == .count || self == .number || self == .percent }
    }

    /// 0-based column index.
    let column: Int
    let input: InputDefinition
    let kind: Kind
    /// The choice names for a `one of` input, else empty.
    let choices: [String]
    /// The declaring rule set's choice sets, for `CellReader`, which words the slow-path messages.
    let choiceSets: [[String]]

    init(column: Int, input: InputDefinition, ruleSet: RuleSet) {
        self.column = column
        self.input = input
        choiceSets = ruleSet.choiceSets
        switch input.type {
        case .money: kind = .money
        case .count: kind = .count
        case .number: kind = .number
        case .percent: kind = .percent
        case .bool: kind = .bool
        case .date: kind = .date
        case .text: kind = .text
        case .choice(let set):
            kind = .choice
            choices = set < ruleSet.choiceSets.count ? ruleSet.choiceSets[set] : []
            return
        }
        choices = []
    }

    /// What the row loop needs of a reading, with no reference inside, so that reading it from an
    /// array copies bytes instead of retaining the input definition's names and texts.
    struct Hot {
        let column: Int
        let kind: Kind
        let minimum: Exact?
        let maximum: Exact?
        /// Whether the minimum is 0, the usual bound of money, so that a sign check decides it.
        let minimumIsZero: Bool
    }

    var hot: Hot {
        Hot(column: column, kind: kind, minimum: input.minimum, maximum: input.maximum, minimumIsZero: input.minimum?.isZero == true)
    }

    /// Whether a cell read this way gives the same value as `other` would: then one parse serves both.
    func reads(like other: BatchReading) -> Bool {
        column == other.column && kind == other.kind && choices == other.choices
            && input.minimum == other.input.minimum && input.maximum == other.input.maximum
    }
}

/// Which column of a batch CSV holds what, and for each rule set which column feeds each input.
///
/// The header may name the declared inputs of any of the rule sets in use, `name`, `cvr`,
/// `fiscal_year`, `fiscal_year_end` and `id`; names starting with `_` are comment columns. A name
/// declared only by a rule set that was loaded but not selected is skipped, with a warning. A name
/// that looks like an input (`CarriedColumns.typo`) is an error with a did-you-mean; any other
/// name is the caseworker's own column, carried through to the results with one notice, as the
/// comment columns are without one. A repeated name, an empty name, and a header with neither
/// `fiscal_year` nor `fiscal_year_end` (the rules in force depend on the year) are errors.
public struct BatchLayout: Sendable {
    /// The column names as written (spaces around them trimmed).
    public let columns: [String]
    /// 0-based column of each metadata field, nil when the header lacks it.
    public let idColumn: Int?, nameColumn: Int?, cvrColumn: Int?, fiscalYearColumn: Int?, fiscalYearEndColumn: Int?
    /// The distinct ways cells are read.
    let readings: [BatchReading]
    /// For each rule set, for each of its inputs: the index into `readings`, or -1 when no column holds it.
    let inputReadings: [[Int]]
    /// The columns that name an input of a rule set loaded but not in use: not read, and said once.
    public let unusedColumns: [BatchHeaderWarning]
    /// The columns carried through to the results as written, in input order: the caseworker's own
    /// (`Sagsbehandler`, notes) and the comment columns (`_…`). See `CarriedColumns`.
    public let carriedColumns: [Int]
    /// The one notice naming the carried columns that are not comment columns, nil when there are none.
    public let carriedNotice: BatchHeaderWarning?
    /// The same notice for a run whose output does not carry columns (`soe diff`).
    public var uncarriedNotice: BatchHeaderWarning? { CarriedColumns.notice(carriedNoticeNames, carried: false) }
    /// The names the notices list.
    var carriedNoticeNames: [String] = []
    /// For each rule set in use, the names of its inputs that no column holds (every row lacks
    /// them), in the rule set's order: said after the batch for the rule sets that were in force
    /// for some row (`BatchWords.missingColumns`).
    public var missingInputNames: [[String]] {
        zip(layoutRuleSets, inputReadings).map { ruleSet, readings in
            guard readings.contains(where: { $0 < 0 }) else { return [] }
            // Only the inputs the classification reads: a rule set that builds on another declares
            // the other's inputs, and those its own outcomes never read decide nothing.
            let read = DefinitionInputs.classificationReads(ruleSet)
            return ruleSet.inputs.indices.filter { readings[$0] < 0 && read.contains($0) }.map { ruleSet.inputs[$0].name }
        }
    }
    /// The rule sets in use, in the order of `inputReadings`.
    var layoutRuleSets: [RuleSet] = []

    /// "wide" or "long" when a header row is that of soe's own results (`WideResultWriter`'s
    /// `Row`/`Række` first and a `Result (…)`/`Resultat (…)` column; `BatchResultWriter`'s `row`
    /// first with `rule_set`, `status` and `outcome`), else nil.
    static func resultsLayout(_ names: [String]) -> String? {
        guard let first = names.first else { return nil }
        if first == "Row" || first == "Række", names.contains(where: { $0.hasPrefix("Result (") || $0.hasPrefix("Resultat (") }) {
            return "wide"
        }
        if first == "row", names.contains("rule_set"), names.contains("status"), names.contains("outcome") { return "long" }
        return nil
    }

    /// Checks a header row against the rule sets; reports every problem at once. `otherInputs`
    /// maps each input of the rule sets loaded but not in use to the name of one that declares it:
    /// a column named so is not a typo but data for another rule set, so it is skipped with a warning.
    public static func check(
        header: [String], ruleSets: [RuleSet],
        otherInputs: [String: String] = [:]
    ) -> Result<BatchLayout, BatchHeaderErrors> {
        var errors: [BatchHeaderError] = []
        var unused: [BatchHeaderWarning] = []
        var columnOf: [String: Int] = [:]
        var metadata: [String: Int] = [:]
        var carried: [Int] = []
        var carriedNames: [String] = []
        // Made only for a name no rule set declares: building it folds every input's descriptions
        // in both languages, which cost a one-firm batch more than its evaluation.
        var typos: CarriedColumns?
        let metadataNames: Set<String> = Firm.metadataKeys.union(["id"])
        let declared = Set(ruleSets.flatMap { $0.inputs.map(\.name) })
        let names = header.map { $0.trimmingSpaces() }
        // soe's own results given back as firms: they hold outcomes, not the figures they were
        // decided from, and the long layout's `cvr`, `name` and `fiscal_year` would pass as a header.
        if let layout = resultsLayout(names) {
            return .failure(
                BatchHeaderErrors([
                    BatchHeaderError(
                        column: 0,
                        message:
                            "the header row is that of soe's results (\(layout) layout), not of a file of firms: results hold outcomes, not the figures they were decided from; give the file of firms the results were made from",
                        danish:
                            "overskriftsrækken er fra soes resultater (\(layout == "wide" ? "bred" : "lang") form), ikke en fil med virksomheder: resultater rummer udfald, ikke de tal, de blev afgjort ud fra; giv den fil med virksomheder, resultaterne blev lavet ud fra"
                    )
                ]))
        }
        // A first row in which no name is known is data, not a header: one clear message rather
        // than one "unknown column" per value.
        // A name in another letter case (`MARKET_SALES`) counts: each such column then gets its
        // own did-you-mean, where "not a header" would hide what is wrong.
        let known = names.contains {
            declared.contains($0) || metadataNames.contains($0) || otherInputs[$0] != nil || $0.hasPrefix("_")
                || declared.contains($0.lowercased()) || metadataNames.contains($0.lowercased())
        }
        if !known && names.contains(where: { !$0.isEmpty }) {
            let shown = names.prefix(3).map { "'\(DisplayText.value($0))'" }.joined(separator: ", ") + (names.count > 3 ? ", …" : "")
            // The row of descriptions `soe template` writes under the names, kept and the names
            // deleted: it is said as such, with the names it stands for.
            let descriptions = Dictionary(
                ruleSets.flatMap { ruleSet in
                    ruleSet.inputs.flatMap { input in
                        [input.description?.danish, input.description?.english].compactMap { $0.map { ($0, input.name) } }
                    }
                },
                uniquingKeysWith: { first, _ in first })
            let described = names.compactMap { descriptions[$0] }
            if !described.isEmpty {
                let meant = described.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (described.count > 3 ? ", …" : "")
                return .failure(
                    BatchHeaderErrors([
                        BatchHeaderError(
                            column: 0,
                            message:
                                "the first row (\(shown)) holds the inputs' descriptions, not their names: the header row names each column by its input (\(meant)), as the first row of soe template's sheet does; put that row first",
                            danish:
                                "første række (\(shown)) indeholder oplysningernes beskrivelser, ikke deres navne: overskriftsrækken navngiver hver kolonne med dens oplysning (\(meant)), som første række i soe templates ark gør; sæt den række først"
                        )
                    ]))
            }
            return .failure(
                BatchHeaderErrors([
                    BatchHeaderError(
                        column: 0,
                        message:
                            "the first row (\(shown)) is not a header: none of its names is an input of the rule sets or name, cvr, fiscal_year; a batch (a CSV file or a sheet) starts with a header row that names its columns, so delete any title or note rows above it",
                        danish:
                            "første række (\(shown)) er ikke en overskriftsrække: ingen af dens navne er en oplysning i regelsættene eller name, cvr, fiscal_year; en batch (en CSV-fil eller et ark) begynder med en overskriftsrække, der navngiver kolonnerne, så slet eventuelle titel- eller noterækker over den"
                    )
                ]))
        }
        for (index, name) in names.enumerated() {
            let column = index + 1
            if name.isEmpty {
                errors.append(
                    BatchHeaderError(
                        column: column,
                        message:
                            "column \(column) has no name; name it, remove it, or start its name with '_' to mark it as a comment",
                        danish:
                            "kolonne \(column) har intet navn; giv den et navn, fjern den, eller lad navnet begynde med '_' for at gøre den til en kommentar"
                    ))
                continue
            }
            if let earlier = columnOf[name] {
                errors.append(
                    BatchHeaderError(
                        column: column,
                        message:
                            "column \(column) '\(DisplayText.value(name))' repeats column \(earlier + 1); which value is meant cannot be known",
                        danish:
                            "kolonne \(column) '\(DisplayText.value(name))' gentager kolonne \(earlier + 1); det kan ikke afgøres, hvilken værdi der menes"
                    ))
                continue
            }
            columnOf[name] = index
            if name.hasPrefix("_") {
                carried.append(index)
                continue
            }
            if metadataNames.contains(name) {
                metadata[name] = index
            } else if !declared.contains(name), let owner = otherInputs[name] {
                unused.append(
                    BatchHeaderWarning(
                        column: column,
                        message:
                            "column \(column) '\(DisplayText.value(name))' is not used by the rule sets in use (it is an input of \(owner))",
                        danish:
                            "kolonne \(column) '\(DisplayText.value(name))' bruges ikke af regelsættene i brug (den er en oplysning i \(owner))"
                    ))
            } else if !declared.contains(name) {
                // Not an input: a typo of one (refused with a did-you-mean), or the caseworker's own
                // column, carried through to the results.
                if typos == nil { typos = CarriedColumns(ruleSets: ruleSets, otherInputs: otherInputs) }
                if let error = typos?.typo(name, column: column) {
                    errors.append(error)
                } else {
                    carried.append(index)
                    carriedNames.append(name)
                }
            }
        }
        if metadata["fiscal_year"] == nil && metadata["fiscal_year_end"] == nil {
            errors.append(
                BatchHeaderError(
                    column: 0,
                    message:
                        "there is no fiscal_year column; the rules in force depend on the fiscal year",
                    danish: "der er ingen kolonne fiscal_year; de gældende regler afhænger af regnskabsåret"))
        }
        if !errors.isEmpty { return .failure(BatchHeaderErrors(errors)) }

        var readings: [BatchReading] = []
        var inputReadings: [[Int]] = []
        for ruleSet in ruleSets {
            var map: [Int] = []
            for input in ruleSet.inputs {
                guard let column = columnOf[input.name] else {
                    map.append(-1)
                    continue
                }
                let reading = BatchReading(column: column, input: input, ruleSet: ruleSet)
                if let shared = readings.firstIndex(where: { $0.reads(like: reading) }) {
                    map.append(shared)
                } else {
                    readings.append(reading)
                    map.append(readings.count - 1)
                }
            }
            inputReadings.append(map)
        }
        return .success(
            BatchLayout(
                columns: names, idColumn: metadata["id"], nameColumn: metadata["name"], cvrColumn: metadata["cvr"],
                fiscalYearColumn: metadata["fiscal_year"], fiscalYearEndColumn: metadata["fiscal_year_end"],
                readings: readings, inputReadings: inputReadings, unusedColumns: unused, carriedColumns: carried,
                carriedNotice: CarriedColumns.notice(carriedNames), carriedNoticeNames: carriedNames,
                layoutRuleSets: ruleSets))
    }
}
