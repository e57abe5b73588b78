import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Two small rule sets for batch tests, kept here so that a change to the bundled rules cannot
/// change what these tests check. `alpha` (in force from 2015) has every common input type;
/// `beta` (from 2020) shares two inputs with it and divides without a guard, to meet a problem.
enum BatchFixtures {
    static let alpha = """
        ruleset alpha "Alfa" en "Alpha"
          source "Testregler"
          version "1"
          in force from 2015-01-01

        input legal_form: one of aps, forening, enkeltmandsvirksomhed "Virksomhedsform"
        input turnover: money "Omsætning" min 0 kr
        input sales: money "Salg" min 0 kr
        input staff: count "Ansatte"
        input share: percent "Ejerandel" min 0 % max 100 %
        input audited: yes/no "Revideret"

        value sales_share "Andel fra salg" = if turnover = 0 kr then 0 % else sales / turnover

        criterion legal "Juridisk person" = legal_form is not enkeltmandsvirksomhed
        criterion commercial "Mindst halvdelen fra salg" = sales_share >= 50 %
        criterion staffed "Har ansatte" = staff >= 1
        criterion owned "Ejerandel under halvdelen" = share < 50 %
        criterion checked "Revideret regnskab" = audited

        classify
          excluded "Udelukket" en "Excluded" when not legal
          good "God" en "Good" when all of commercial, staffed, owned, checked
          otherwise other "Anden" en "Other"
        """

    static let beta = """
        ruleset beta "Beta" en "Beta"
          source "Testregler"
          version "1"
          in force from 2020-01-01

        input turnover: money "Omsætning" min 0 kr
        input sales: money "Salg" min 0 kr
        input note: text "Bemærkning"

        value ratio "Andel fra salg" = sales / turnover
        criterion mostly_sales "Mest salg" = ratio > 50 %

        classify
          seller "Sælger" en "Seller" when mostly_sales
          otherwise nonseller "Ikke sælger" en "Not a seller"
        """

    /// Both rule sets, checked; a failure here fails the calling test.
    static func ruleSets(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [RuleSet] {
        let result = loadRules([("alpha.rules", alpha), ("beta.rules", beta)])
        #expect(!result.hasErrors, "the batch test rules do not check", sourceLocation: sourceLocation)
        return result.ruleSets
    }

    /// A header with every input of both rule sets and the metadata columns.
    static let header = "id,name,cvr,fiscal_year,legal_form,turnover,sales,staff,share,audited,note"

    /// A firm that is `good` under alpha and a `seller` under beta, as a CSV row.
    static func goodRow(id: String, cvr: String = "13748136", year: String = "2024") -> String {
        "\(id),Firma \(id),\(cvr),\(year),aps,1000.00,800.00,3,10,true,"
    }

    /// Runs a batch over text in memory; returns how it ended, the output, and the dialect report.
    static func run(
        _ input: String, options: BatchOptions = BatchOptions(sourceName: "test.csv"),
        ruleSets: [RuleSet]? = nil
    ) -> (end: BatchEnd, output: String, dialect: BatchDialectReport?) {
        let sink = MemorySink()
        var report: BatchDialectReport?
        let runner = BatchRunner(ruleSets: ruleSets ?? BatchFixtures.ruleSets(), options: options)
        let end = runner.run(ArraySource(Array(input.utf8)), to: sink, hooks: BatchHooks(dialect: { report = $0 }))
        return (end, sink.text, report)
    }

    /// The summary of a batch that ran to the end, or nil (recording an issue) when it did not.
    static func summary(_ end: BatchEnd, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> BatchSummary? {
        guard case .finished(let summary) = end else {
            Issue.record("the batch did not finish: \(end)", sourceLocation: sourceLocation)
            return nil
        }
        return summary
    }

    /// The result rows of CSV output (header dropped), each as its fields, read back with `CSVReader`.
    static func rows(_ output: String) -> [[String]] {
        let reader = CSVReader(source: ArraySource(Array(output.utf8)))
        return reader.dropFirst().map { result in
            switch result {
            case .success(let record): record.fields
            case .failure(let error): ["unreadable output: \(error.message)"]
            }
        }
    }

    /// The value of a column in a result row, by column name.
    static func field(_ row: [String], _ column: String) -> String {
        guard let index = BatchResultWriter.columns.firstIndex(of: column), index < row.count else { return "<none>" }
        return row[index]
    }
}
