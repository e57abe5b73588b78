import SoeLanguage

// The batch's own words in English and Danish: why a row was rejected, the duplicate warning, why a
// rule set was not in force or could not decide, and the summary. `--lang` (or `LANG`) chooses, as
// for one firm; the field names, the outcome names and the status column stay as they are, since
// they are the names a spreadsheet or a script looks for.

/// The batch's words in one language, for the engine and for the command that runs it.
public struct BatchWords: Sendable {
    public let language: Language
    private var danish: Bool { language == .danish }

    /// The words of `language`.
    public init(_ language: Language) {
        self.language = language
    }

    // MARK: The command

    /// `the header row has 2 problems; no row was evaluated`.
    public func headerProblems(_ count: Int) -> String {
        danish
            ? "overskriftsrækken har \(counted(count, "problem", "problemer")); ingen række blev evalueret"
            : "the header row has \(counted(count, "problem", "problems")); no row was evaluated"
    }

    /// `interrupted after 40192 rows`.
    public func interrupted(after rows: Int) -> String {
        danish ? "afbrudt efter \(counted(rows, "række", "rækker"))" : "interrupted after \(counted(rows, "row", "rows"))"
    }

    /// What became of an output file removed after an interruption.
    public var partialOutputRemoved: String {
        danish ? "det delvise resultat blev fjernet" : "the partial output was removed"
    }

    /// What became of output written straight through (a device, a pipe) when the batch stopped early.
    public func resultsWent(to path: String) -> String {
        danish ? "resultaterne indtil da gik til \(path)" : "the results before it went to \(path)"
    }

    /// After an input that is not a batch of the format asked for.
    public var nothingEvaluated: String {
        danish ? "ingen række blev læst eller evalueret" : "no row was read or evaluated"
    }

    /// The line after the first `shown` of many problems: `12 more problems; only the first 100 are shown`.
    public func moreNotShown(_ count: Int, shown: Int) -> String {
        danish
            ? "\(counted(count, "problem", "problemer")) mere; kun de første \(shown) er vist"
            : "\(counted(count, "more problem", "more problems")); only the first \(shown) are shown"
    }

    /// `--jobs 8 asks for 8 threads, and this process may use 2 processors at once: the results are
    /// the same, and come no sooner than with --jobs 2`.
    public func jobsAboveProcessors(jobs: Int, processors: Int) -> String {
        danish
            ? "--jobs \(jobs) beder om \(jobs) tråde, og processen kan bruge \(counted(processors, "processor", "processorer")) ad gangen: resultaterne er de samme og kommer ikke hurtigere end med --jobs \(processors)"
            : "--jobs \(jobs) asks for \(jobs) threads, and this process may use \(counted(processors, "processor", "processors")) at once: the results are the same, and come no sooner than with --jobs \(processors)"
    }

    /// The progress line: `8192 rows, 16384 rows/s`.
    public func progress(rows: Int, rate: Int) -> String {
        danish ? "\(rows) rækker, \(rate) rækker/s" : "\(rows) rows, \(rate) rows/s"
    }

    // MARK: Rows

    /// A CSV record that could not be read, with its place.
    func broken(_ error: CSVError) -> String {
        (danish ? "linje \(error.line), kolonne \(error.column): " : "line \(error.line), column \(error.column): ")
            + error.text(language)
    }

    /// A record with another number of fields than the header, with a hint when it has more.
    func fieldCount(found: Int, header: Int) -> String {
        let more = found > header
        return danish
            ? "rækken har \(counted(found, "felt", "felter")); overskriften har \(header)"
                + (more ? " (en separator i en værdi, der ikke står i anførselstegn?)" : "")
            : "the row has \(counted(found, "field", "fields")); the header has \(header)"
                + (more ? " (a separator inside a value that is not in quotes?)" : "")
    }

    func badYear(_ text: String) -> String {
        danish
            ? "fiscal_year: regnskabsåret er et år, fx 2024, fandt \"\(DisplayText.value(text))\"" + FiscalYearHint.danish(text)
            : "fiscal_year: the fiscal year is a year such as 2024, found \"\(DisplayText.value(text))\"" + FiscalYearHint.english(text)
    }

    func badClosingDate(_ text: String) -> String {
        let hint = ClosingDateHint.hint(text)
        return danish
            ? "fiscal_year_end: regnskabsårets slutdato skrives \"ÅÅÅÅ-MM-DD\" (eller \"DD-MM-ÅÅÅÅ\"), fandt \"\(DisplayText.value(text))\""
                + (hint.map { ": \($0.danish)" } ?? "")
            : "fiscal_year_end: the closing date of the fiscal year is \"YYYY-MM-DD\" (or \"DD-MM-YYYY\"), found \"\(DisplayText.value(text))\""
                + (hint.map { ": \($0.english)" } ?? "")
    }

    func closingDateOutsideYear(_ end: Day, _ year: Int) -> String {
        danish
            ? "fiscal_year_end: \(end) afslutter ikke regnskabsåret \(year)"
            : "fiscal_year_end: \(end) does not close fiscal year \(year)"
    }

    var yearMissing: String {
        danish
            ? "fiscal_year: regnskabsåret mangler; de gældende regler afhænger af det"
            : "fiscal_year: the fiscal year is missing; the rules in force depend on it"
    }

    func lineTooLong(_ limit: Int) -> String {
        danish ? "linjen er længere end \(limit) bytes" : "the line is longer than \(limit) bytes"
    }

    func notJSON(column: Int, _ message: String) -> String {
        danish ? "kolonne \(column): ikke gyldig JSON: \(message)" : "column \(column): not valid JSON: \(message)"
    }

    /// A field's problem, "field: reason"; a problem of the whole row has no field.
    func field(_ name: String, _ reason: String) -> String {
        name.isEmpty ? reason : "\(DisplayText.value(name)): \(reason)"
    }

    /// The mark of a rejected row whose id, CVR number and name were read from a
    /// record that could not be read whole.
    var unverifiedIdentity: String {
        danish
            ? "id, cvr og name er læst fra en række, der ikke kunne læses hel; tjek dem mod inputtet"
            : "id, cvr and name were read from a row that could not be read whole; check them against the input"
    }

    var duplicate: String {
        danish
            ? "en tidligere række har samme CVR-nummer og regnskabsår"
            : "an earlier row has the same CVR number and fiscal year"
    }

    // MARK: Rule sets

    func notInForce(_ ruleSet: RuleSet, _ day: Day, asOf: Bool = false) -> String {
        var period: [String] = []
        if let from = ruleSet.inForceFrom { period.append((danish ? "fra " : "from ") + "\(from)") }
        if let until = ruleSet.inForceUntil { period.append((danish ? "til " : "until ") + "\(until)") }
        if asOf {
            return danish
                ? "vurderet pr. \(day) (hvad nu hvis); regelsættet gælder \(period.joined(separator: " "))"
                : "evaluated as of \(day) (what-if); the rule set is in force \(period.joined(separator: " "))"
        }
        return danish
            ? "regnskabsåret afsluttes \(day); regelsættet gælder \(period.joined(separator: " "))"
            : "the fiscal year closes on \(day); the rule set is in force \(period.joined(separator: " "))"
    }

    /// A computation that stood in the way of a decision, with the formula and where it is written.
    func problem(_ problem: Problem, _ ruleSet: RuleSet) -> String {
        if problem.kind == .noParameterValue {
            let parameter = ruleSet.parameters[Int(problem.node)]
            let place = TraceBuilder.place(parameter.span)
            return danish
                ? "parameteren \(parameter.name) har ingen gældende værdi (\(place))"
                : "no value of parameter \(parameter.name) is in force (\(place))"
        }
        let node = ruleSet.nodes[Int(problem.node)]
        let file = ruleSet.files[Int(node.fileIndex)].source
        let place = TraceBuilder.place(SourceSpan(file: file, range: node.range))
        let what =
            switch (problem.kind == .divisionByZero, danish) {
            case (true, false): "division by zero in"
            case (true, true): "division med nul i"
            case (false, false): "a result beyond the exact range in"
            case (false, true): "et resultat uden for det eksakte talområde i"
            }
        return "\(what) \(file.text(node.range)) (\(place))"
    }

    // MARK: Summary

    /// The summary for standard error: a line for the batch, then one per rule set that spells out
    /// the sum, e.g. `rsv_2014: social_economy 2, ordinary 1, undetermined 1, rejected 1 (= 5 rows)`.
    func summary(_ summary: BatchSummary, source: String) -> [String] {
        func rows(_ n: Int) -> String { danish ? counted(n, "række", "rækker") : counted(n, "row", "rows") }
        var head = rows(summary.rowsRead) + (danish ? " læst fra \(source)" : " read from \(source)")
        var notes: [String] = []
        if summary.rowsRejected > 0 { notes.append("\(summary.rowsRejected) " + (danish ? "afvist" : "rejected")) }
        if summary.multiLineRejected > 0 {
            notes.append(
                danish
                    ? counted(summary.multiLineRejected, "afvist række", "afviste rækker") + " fyldte "
                        + counted(summary.multiLineRejectedLines, "linje", "linjer")
                    : counted(summary.multiLineRejected, "rejected row", "rejected rows") + " took "
                        + counted(summary.multiLineRejectedLines, "line", "lines"))
        }
        if summary.duplicates > 0 {
            notes.append(
                danish
                    ? counted(summary.duplicates, "dublet", "dubletter") + " af CVR-nummer og regnskabsår markeret"
                    : counted(summary.duplicates, "duplicate", "duplicates") + " of CVR number and fiscal year flagged")
        }
        if summary.blankRowsSkipped > 0 {
            notes.append(
                danish
                    ? counted(summary.blankRowsSkipped, "tom række", "tomme rækker") + " sprunget over"
                    : counted(summary.blankRowsSkipped, "blank row", "blank rows") + " skipped")
        }
        if summary.duplicateCheckIncomplete {
            notes.append(
                danish
                    ? "mere end \(FirmYearSet.maxYears) regnskabsår: senere år er ikke tjekket for dubletter"
                    : "more than \(FirmYearSet.maxYears) fiscal years: later years not checked for duplicates")
        }
        if !notes.isEmpty { head += " (" + notes.joinedText(separator: ", ") + ")" }
        var result = [head]
        for counts in summary.ruleSets {
            var parts = zip(counts.outcomeNames, counts.outcomes).map { "\($0) \($1)" }
            parts.append((danish ? "kan ikke afgøres " : "undetermined ") + "\(counts.undetermined)")
            if counts.notInForce > 0 { parts.append((danish ? "gælder ikke " : "not in force ") + "\(counts.notInForce)") }
            parts.append((danish ? "afvist " : "rejected ") + "\(counts.rejected)")
            result.append("  \(counts.name): " + parts.joinedText(separator: ", ") + " (= \(rows(counts.total)))")
        }
        if let missing = missingColumns(summary) { result.append(missing) }
        return result
    }

    /// The inputs no column held, of the rule sets that were in force for some row that was not
    /// rejected (a rule set not in force for the batch's years needs no column): every row lacked
    /// them, and an outcome that depends on them could not be decided. At most eight names in all,
    /// then how many more: a sheet made for one rule set, read with a folder of several, would
    /// otherwise list every input of the others. Nil when there are none.
    public func missingColumns(_ summary: BatchSummary) -> String? {
        var missing: [(ruleSet: String, names: [String])] = []
        for (counts, names) in zip(summary.ruleSets, summary.missingColumns) where !names.isEmpty {
            guard counts.total - counts.notInForce - counts.rejected > 0 else { continue }
            // `soe diff` runs a rule set twice, old and new: one entry, each name once.
            if let index = missing.firstIndex(where: { $0.ruleSet == counts.name }) {
                missing[index].names += names.filter { !missing[index].names.contains($0) }
            } else {
                missing.append((counts.name, names))
            }
        }
        guard !missing.isEmpty else { return nil }
        let count = missing.reduce(0) { $0 + $1.names.count }
        var shown: [String] = []
        var left = 8
        for (ruleSet, names) in missing where left > 0 {
            let taken = names.prefix(left)
            left -= taken.count
            shown.append(taken.map { "'\($0)'" }.joined(separator: ", ") + " (\(ruleSet))")
        }
        let list = shown.joined(separator: "; ")
        let many = count > 1
        return danish
            ? "advarsel: ingen kolonne til \(many ? "oplysningerne" : "oplysningen") \(list)\(count > 8 ? " og \(count - 8) flere" : ""): alle rækker mangler \(many ? "dem" : "den"), og et udfald, der afhænger af \(many ? "dem" : "den"), kunne ikke afgøres; tilføj \(many ? "kolonnerne" : "kolonnen") (soe template laver et ark med dem alle)"
            : "warning: no column for the \(many ? "inputs" : "input") \(list)\(count > 8 ? ", and \(count - 8) more" : ""): every row lacks \(many ? "them" : "it"), and an outcome that depends on \(many ? "them" : "it") could not be decided; add the \(many ? "columns" : "column") (soe template makes a sheet with every one)"
    }

    // MARK: Records

    /// `firms.csv row 7 (id S006): no record under soe_2024, the row was rejected: cvr: …`.
    public func noRecord(_ rejection: BatchRejection) -> String {
        danish
            ? "\(rejection.place.description(in: .danish)): ingen afgørelsespost under \(rejection.ruleSet), rækken blev afvist: \(rejection.reason)"
            : "\(rejection.place.description): no record under \(rejection.ruleSet), the row was rejected: \(rejection.reason)"
    }
}
