import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// A batch row of one rule set trades its register file with the evaluator
/// (`Evaluator.programOutcome(taking:file:on:)`, `RegisterFile`): after its first decision the row
/// holds a whole register file of the program, the binder writes the inputs' registers into it,
/// and the evaluator takes it as its registers, handing its own back, instead of copying the
/// inputs' registers. The files circulate among the rows and the evaluator, each with the
/// parameters and static results of the day it was last loaded for; a file that held another
/// day's must be loaded again. Here two rows take turns with one evaluator, on days that change
/// the parameter (and the static operation computed from it) and one on which the rule set is
/// not in force, and every outcome, decision, value and criterion must be that of an evaluator
/// that loads the same inputs from `values` into its own registers.
@Suite("batch binding: the register files a row trades with the evaluator")
struct BatchRegisterFileTests {
    static let gamma = """
        ruleset gamma "Gamma" en "Gamma"
          source "Testregler"
          version "1"
          in force from 2015-01-01

        input turnover: money "Omsætning" min 0 kr
        input staff: count "Ansatte"

        parameter limit: money "Grænse"
          = 1000 kr from 2015-01-01
          = 5000 kr from 2020-01-01

        value half "Halv grænse" = limit / 2
        criterion big "Stor" = turnover > limit
        criterion mid "Mellem" = turnover > half
        criterion staffed "Ansatte" = staff >= 1

        classify
          large "Stor" en "Large" when big
          middle "Mellem" en "Middle" when all of mid, staffed
          otherwise small "Lille" en "Small"
        """

    @Test("two rows taking turns, days that change the parameter: the same results as registers loaded from the inputs")
    func tradedFilesAgree() throws {
        let result = loadRules([("gamma.rules", Self.gamma)])
        #expect(!result.hasErrors, "the test rules do not check")
        let ruleSets = result.ruleSets
        guard ruleSets.count == 1 else { return }
        let header = ["turnover", "staff", "id", "name", "cvr", "fiscal_year"]
        let layout = try BatchLayout.check(header: header, ruleSets: ruleSets).get()
        var binder = CSVRowBinder(layout: layout, style: .point, language: .english)
        var rows = [BatchRow(ruleSets: ruleSets), BatchRow(ruleSets: ruleSets)]
        var (traded, loaded) = (Evaluator(ruleSet: ruleSets[0]), Evaluator(ruleSet: ruleSets[0]))
        let days = [(2016, 12, 31), (2024, 12, 31), (2014, 12, 31), (2019, 6, 30)].compactMap { Day(year: $0.0, month: $0.1, day: $0.2) }
        #expect(days.count == 4)
        var random = SplitMix64(seed: 24_062)
        var text = header.joined(separator: ",") + "\n"
        for number in 0..<3_000 {
            let turnover = random.chance(1, in: 8) ? "" : "\(random.next(6_000)).\(random.next(90) + 10)"
            let staff = random.chance(1, in: 8) ? "" : "\(random.next(3))"
            text += "\(turnover),\(staff),F\(number),Firma \(number),13748136,2024\n"
        }
        var reader = CSVReader(source: ArraySource(Array(text.utf8)), dialect: .rfc4180)
        _ = reader.next()
        var (compared, tradedFiles, byOutcome) = (0, 0, [Int: Int]())
        while let item = reader.next() {
            guard case .success(let record) = item else { continue }
            // Runs of one row and changes of day, so that a file meets a day it was not loaded for.
            let which = random.chance(1, in: 3) ? 0 : 1
            let day = random.chance(1, in: 4) ? random.pick(days) : days[compared / 500 % days.count]
            // The row in hand, taken out of `rows` whole (no copy: its arrays stay unique).
            var row = BatchRow(ruleSets: [])
            swap(&row, &rows[which])
            defer { swap(&row, &rows[which]) }
            binder.bind(record, into: &row)
            guard row.registersBound else {
                Issue.record("record \(record.number) not bound straight")
                continue
            }
            if row.registers.program != nil { tradedFiles += 1 }
            var inputs = row.values[0]
            let first = traded.programOutcome(taking: &row.values[0], file: &row.registers, on: day)
            let second = loaded.programOutcome(taking: &inputs, registers: nil, on: day)
            #expect(first == second, "record \(record.number), \(day)")
            let (one, other) = (traded.decision(after: first, on: day), loaded.decision(after: second, on: day))
            #expect("\(one)" == "\(other)", "record \(record.number), \(day)")
            #expect("\(traded.valueResults)" == "\(loaded.valueResults)", "record \(record.number), \(day)")
            #expect("\(traded.criterionResults)" == "\(loaded.criterionResults)", "record \(record.number), \(day)")
            byOutcome[first, default: 0] += 1
            compared += 1
        }
        #expect(compared == 3_000)
        // Nearly every row after the first two brings a file of the program to trade.
        #expect(tradedFiles > 2_900, "\(tradedFiles) files traded")
        // Every outcome met, and rows the program leaves to the evaluator (missing inputs, not in force).
        #expect(byOutcome.count == 4 && byOutcome.values.allSatisfy { $0 > 50 }, "\(byOutcome)")
    }
}
