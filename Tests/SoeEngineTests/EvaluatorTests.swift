import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The evaluator: exact arithmetic, three-valued logic over missing data, undefined results as
/// problems, and parameter values chosen by the fiscal year's closing date.
@Suite("evaluator")
struct EvaluatorTests {
    static let header = """
        ruleset t "Test"
          in force from 2015-01-01 until 2030-12-31
        input a: money
        input b: money
        input c: money
        input p: yes/no
        input q: yes/no
        input n: count
        input d: date
        input form: one of aps, as, forening

        """

    /// One firm evaluated under one rule set, with results looked up by name.
    struct Run {
        var ruleSet: RuleSet
        var evaluator: Evaluator
        var decision: Decision

        func value(_ name: String) -> Evaluated {
            guard let index = ruleSet.values.firstIndex(where: { $0.name == name }) else { return .unknown(Unknown()) }
            return evaluator.valueResults[index]
        }
        var outcome: String? { decision.outcome.map { ruleSet.outcomes[$0].name } }
        var missing: [String] { decision.missing.indices.map { ruleSet.inputs[$0].name } }
        var possible: [String] { decision.possibleOutcomes.map { ruleSet.outcomes[$0].name } }
        func show(_ name: String) -> String { EvaluatorTests.show(value(name), ruleSet) }
    }

    /// Checks the rule files, reads the firm from JSON as `soe evaluate` does, and evaluates it.
    static func run(
        _ files: [(String, String)], ruleSet name: String? = nil, firm: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Run {
        let loaded = loadRules(files)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.map(DiagnosticRenderer.oneLine))", sourceLocation: sourceLocation)
        let ruleSet = try #require(
            name.map { name in loaded.ruleSets.first { $0.name == name } } ?? loaded.ruleSets.first,
            sourceLocation: sourceLocation)
        let read = FirmReader.readJSON(Array(firm.utf8), source: "firm.json", knownInputs: Set(ruleSet.inputs.map(\.name)))
        let parsed = try read.get()
        let bound = try parsed.bind(to: ruleSet).get()
        var evaluator = Evaluator(ruleSet: ruleSet)
        let decision = evaluator.evaluate(inputs: bound.values, on: parsed.closingDay)
        return Run(ruleSet: ruleSet, evaluator: evaluator, decision: decision)
    }

    /// A rule set of the common inputs plus `body`, with a lone `otherwise` unless the body classifies.
    static func run(_ body: String, firm: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Run {
        var text = header + body + "\n"
        if !body.contains("classify") { text += "classify\n  otherwise ordinary \"Ordinær\"\n" }
        return try run([("t.rules", text)], firm: firm, sourceLocation: sourceLocation)
    }

    /// A result in a compact form: an exact number, yes/no, or `unknown(missing a, b; problem)`.
    static func show(_ evaluated: Evaluated, _ ruleSet: RuleSet) -> String {
        switch evaluated {
        case .known(.number(let value)): return value.exactText()
        case .known(.bool(let value)): return value ? "yes" : "no"
        case .known(.date(let day)): return day.description
        case .known(.text(let text)): return "\"\(text)\""
        case .known(.choice(let index)): return "choice \(index)"
        case .unknown(let unknown):
            var parts: [String] = []
            if !unknown.missing.isEmpty {
                parts.append("missing " + unknown.missing.indices.map { ruleSet.inputs[$0].name }.joined(separator: ", "))
            }
            if let problem = unknown.problem { parts.append(problem.kind.rawValue) }
            return "unknown(\(parts.joined(separator: "; ")))"
        }
    }

    // MARK: Formulas

    struct FormulaCase: Sendable, CustomTestStringConvertible {
        var note: String
        var formula: String
        /// Firm fields besides `fiscal_year`, as JSON members.
        var firm: String
        var expected: String
        var testDescription: String { note }
    }

    static let formulaCases: [FormulaCase] = [
        // Exactness.
        FormulaCase(note: "0.1 + 0.2 is exactly 0.3", formula: "a + b", firm: #""a": "0.1", "b": "0.2""#, expected: "0.3"),
        FormulaCase(note: "0.1 + 0.2 compares equal to 0.3 kr", formula: "a + b = 0.3 kr", firm: #""a": 0.1, "b": 0.2"#, expected: "yes"),
        FormulaCase(note: "a share of exactly one half", formula: "a / b", firm: #""a": 1, "b": 2"#, expected: "0.5"),
        FormulaCase(
            note: "a share of exactly 50 % equals 50 %", formula: "a / b = 50 %", firm: #""a": "2100000.00", "b": "4200000.00""#,
            expected: "yes"),
        FormulaCase(note: "and is not above 50 %", formula: "a / b > 50 %", firm: #""a": "2100000.00", "b": "4200000.00""#, expected: "no"),
        FormulaCase(note: "a third is a fraction, not a rounded decimal", formula: "a / b", firm: #""a": 1, "b": 3"#, expected: "1/3"),
        FormulaCase(
            note: "a third three times is exactly one", formula: "a / b + a / b + a / b = 100 %", firm: #""a": 1, "b": 3"#,
            expected: "yes"),
        FormulaCase(note: "a percent of an amount is exact", formula: "35 % * a", firm: #""a": "150000.01""#, expected: "52500.0035"),
        FormulaCase(note: "negation", formula: "-a", firm: #""a": "-12.50""#, expected: "12.5"),
        // Undefined results.
        FormulaCase(
            note: "division by zero is a problem, not a crash", formula: "a / b", firm: #""a": 1, "b": 0"#,
            expected: "unknown(division_by_zero)"),
        FormulaCase(
            note: "a guarded division is defined", formula: "if b = 0 kr then 0 % else a / b", firm: #""a": 1, "b": 0"#,
            expected: "0"),
        FormulaCase(
            note: "the guard lets the division through when it is safe", formula: "if b = 0 kr then 0 % else a / b",
            firm: #""a": 1, "b": 4"#, expected: "0.25"),
        FormulaCase(
            note: "a sum past the exact range is an overflow problem, not a wrap-around",
            formula: "a + b", firm: #""a": "100000000000000000000000000000000000000", "b": "100000000000000000000000000000000000000""#,
            expected: "unknown(overflow)"),
        FormulaCase(
            note: "a product past the exact range is an overflow problem",
            formula: "a * 2", firm: #""a": "100000000000000000000000000000000000000""#, expected: "unknown(overflow)"),
        FormulaCase(
            note: "a comparison with an overflow is unknown", formula: "a * 2 > 0 kr",
            firm: #""a": "100000000000000000000000000000000000000""#, expected: "unknown(overflow)"),
        FormulaCase(note: "a missing amount is unknown, never zero", formula: "a + b", firm: #""a": 1"#, expected: "unknown(missing b)"),
        FormulaCase(
            note: "an unknown sum lists every missing term", formula: "a + b + c", firm: #""b": 1"#,
            expected: "unknown(missing a, c)"),
        FormulaCase(note: "null is missing", formula: "a + b", firm: #""a": 1, "b": null"#, expected: "unknown(missing b)"),
        // Kleene logic.
        FormulaCase(note: "no and unknown is no", formula: "p and q", firm: #""p": false"#, expected: "no"),
        FormulaCase(note: "unknown and no is no", formula: "q and p", firm: #""p": false"#, expected: "no"),
        FormulaCase(note: "yes or unknown is yes", formula: "p or q", firm: #""p": true"#, expected: "yes"),
        FormulaCase(note: "unknown or yes is yes", formula: "q or p", firm: #""p": true"#, expected: "yes"),
        FormulaCase(note: "yes and unknown is unknown", formula: "p and q", firm: #""p": true"#, expected: "unknown(missing q)"),
        FormulaCase(note: "no or unknown is unknown", formula: "p or q", firm: #""p": false"#, expected: "unknown(missing q)"),
        FormulaCase(note: "not unknown is unknown", formula: "not q", firm: "", expected: "unknown(missing q)"),
        FormulaCase(
            note: "a false comparison decides and over a missing input", formula: "a > 1 kr and b > 1 kr",
            firm: #""a": 0"#, expected: "no"),
        FormulaCase(note: "all of: one no decides", formula: "all of p, q, a > 0 kr", firm: #""p": false"#, expected: "no"),
        FormulaCase(note: "any of: one yes decides", formula: "any of q, p", firm: #""p": true"#, expected: "yes"),
        FormulaCase(note: "none of: one yes decides", formula: "none of q, p", firm: #""p": true"#, expected: "no"),
        FormulaCase(note: "none of: all no", formula: "none of q, p", firm: #""p": false, "q": false"#, expected: "yes"),
        FormulaCase(
            note: "a division by zero under a deciding no does not matter", formula: "p and a / b > 50 %",
            firm: #""p": false, "a": 1, "b": 0"#, expected: "no"),
        // Known and missing.
        FormulaCase(note: "is known of a missing input", formula: "q is known", firm: "", expected: "no"),
        FormulaCase(note: "is missing of a missing input", formula: "q is missing", firm: "", expected: "yes"),
        FormulaCase(note: "is missing of a given input", formula: "a is missing", firm: #""a": 0"#, expected: "no"),
        FormulaCase(note: "is known of a division by zero", formula: "a / b is known", firm: #""a": 1, "b": 0"#, expected: "no"),
        FormulaCase(note: "a rule may decide what missing means", formula: "if q is missing then no else q", firm: "", expected: "no"),
        // min, max, if.
        FormulaCase(note: "max with a floor", formula: "max(0 kr, a - b)", firm: #""a": 1, "b": 3"#, expected: "0"),
        FormulaCase(note: "min of three", formula: "min(a, b, c)", firm: #""a": 5, "b": -2, "c": 7"#, expected: "-2"),
        FormulaCase(
            note: "max with a missing argument is unknown", formula: "max(a, c)", firm: #""a": 5"#,
            expected: "unknown(missing c)"),
        FormulaCase(
            note: "if with an unknown condition and equal branches is known", formula: "if q then 1 kr else 1 kr",
            firm: "", expected: "1"),
        FormulaCase(
            note: "if with an unknown condition and different branches is unknown", formula: "if q then a else b",
            firm: #""a": 1, "b": 2"#, expected: "unknown(missing q)"),
        FormulaCase(
            note: "if takes the branch its condition chooses", formula: "if p then a else b", firm: #""p": false, "a": 1, "b": 2"#,
            expected: "2"),
        // Choices, counts, dates.
        FormulaCase(note: "is NAME", formula: "form is aps", firm: #""form": "as""#, expected: "no"),
        FormulaCase(note: "is not one of", formula: "form is not one of aps, forening", firm: #""form": "as""#, expected: "yes"),
        FormulaCase(note: "a choice is read without regard to case", formula: "form is aps", firm: #""form": "ApS""#, expected: "yes"),
        FormulaCase(note: "is on a missing choice is unknown", formula: "form is aps", firm: "", expected: "unknown(missing form)"),
        FormulaCase(note: "counts compare with bare numbers", formula: "n >= 3", firm: #""n": 3"#, expected: "yes"),
        FormulaCase(note: "dates compare in calendar order", formula: "d < 2020-01-01", firm: #""d": "2019-12-31""#, expected: "yes"),
    ]

    @Test("formulas evaluate exactly and in three-valued logic", arguments: formulaCases)
    func formulas(_ testCase: FormulaCase) throws {
        let separator = testCase.firm.isEmpty ? "" : ", "
        let run = try Self.run("value v = \(testCase.formula)", firm: #"{"fiscal_year": 2024\#(separator)\#(testCase.firm)}"#)
        #expect(run.show("v") == testCase.expected)
    }

    // MARK: Outcomes

    static let classification = """
        criterion big "Stor" = a + b > 1_000_000 kr
        classify
          excluded "Udelukket" when p and q
          large "Stor" when big
          small "Lille" when c > 0 kr
          otherwise ordinary "Ordinær"
        """

    struct OutcomeCase: Sendable, CustomTestStringConvertible {
        var note: String
        var firm: String
        var outcome: String?
        var missing: [String] = []
        var possible: [String] = []
        var testDescription: String { note }
    }

    static let outcomeCases: [OutcomeCase] = [
        OutcomeCase(
            note: "all data: the first outcome that applies", firm: #""p": false, "q": true, "a": 2000000, "b": 0, "c": 0"#,
            outcome: "large"),
        OutcomeCase(
            note: "a missing input that cannot change the answer does not stop it",
            firm: #""p": false, "a": 2000000, "b": 0"#, outcome: "large"),
        OutcomeCase(note: "no data that matters: the fallback", firm: #""p": false, "a": 1, "b": 1, "c": 0"#, outcome: "ordinary"),
        OutcomeCase(
            note: "an earlier unknown outcome makes a later one that applies only possible",
            firm: #""p": true, "a": 2000000, "b": 0"#, outcome: nil, missing: ["q"], possible: ["excluded", "large"]),
        OutcomeCase(
            note: "undetermined lists exactly the missing inputs and the outcomes still possible",
            firm: #""p": false, "a": 1"#, outcome: nil, missing: ["b", "c"], possible: ["large", "small", "ordinary"]),
        OutcomeCase(
            note: "an input missing from an outcome that cannot apply is not listed",
            firm: #""p": false, "a": 1, "b": 1"#, outcome: nil, missing: ["c"], possible: ["small", "ordinary"]),
    ]

    @Test("the first outcome that applies decides; otherwise the result is undetermined", arguments: outcomeCases)
    func outcomes(_ testCase: OutcomeCase) throws {
        let run = try Self.run(Self.classification, firm: #"{"fiscal_year": 2024, \#(testCase.firm)}"#)
        #expect(run.outcome == testCase.outcome)
        #expect(run.missing == testCase.missing)
        #expect(run.possible == testCase.possible)
        #expect(run.decision.isDetermined == (testCase.outcome != nil))
        #expect(run.decision.problems.isEmpty)
    }

    struct ProblemCase: Sendable, CustomTestStringConvertible {
        var note: String
        var condition: String
        var firm: String
        var kind: Problem.Kind
        var at: String
        var testDescription: String { note }
    }

    static let problemCases: [ProblemCase] = [
        ProblemCase(
            note: "a division by zero", condition: "a / b >= 25 %", firm: #""a": 100, "b": 0"#,
            kind: .divisionByZero, at: "a / b"),
        ProblemCase(
            note: "an overflow", condition: "a * 2 > 0 kr", firm: #""a": "100000000000000000000000000000000000000""#,
            kind: .overflow, at: "a * 2"),
    ]

    @Test(
        "an undefined result in an outcome's condition leaves it undetermined, with the problem at its node",
        arguments: problemCases)
    func problems(_ testCase: ProblemCase) throws {
        let run = try Self.run(
            """
            classify
              commercial "Erhvervsdrivende" when \(testCase.condition)
              otherwise ordinary "Ordinær"
            """, firm: #"{"fiscal_year": 2024, \#(testCase.firm)}"#)
        #expect(run.outcome == nil)
        #expect(run.missing.isEmpty)
        #expect(run.possible == ["commercial", "ordinary"])
        #expect(run.decision.problems.map(\.kind) == [testCase.kind])
        let problem = try #require(run.decision.problems.first)
        let node = run.ruleSet.nodes[Int(problem.node)]
        #expect(run.ruleSet.files[Int(node.fileIndex)].source.text(node.range) == testCase.at)
    }

    // MARK: Dates

    static let dated = """
        parameter cap: percent policy "p"
          = 25 % from 2015-01-01 until 2019-12-31
          = 40 % from 2020-01-01
        value v = cap
        """

    struct DateCase: Sendable, CustomTestStringConvertible {
        var note: String
        var firm: String
        var expected: String
        var testDescription: String { note }
    }

    static let dateCases: [DateCase] = [
        DateCase(note: "the last year of the first value", firm: #""fiscal_year": 2019"#, expected: "0.25"),
        DateCase(note: "the first year of the second value", firm: #""fiscal_year": 2020"#, expected: "0.4"),
        DateCase(
            note: "a fiscal year closing mid-2020 takes the 2020 value",
            firm: #""fiscal_year": 2019, "fiscal_year_end": "2020-06-30""#, expected: "0.4"),
        DateCase(note: "a fiscal year closing mid-2019 takes the 2019 value", firm: #""fiscal_year_end": "2019-06-30""#, expected: "0.25"),
        DateCase(note: "the closing day is the day that counts, to the day", firm: #""fiscal_year_end": "2019-12-31""#, expected: "0.25"),
    ]

    @Test("a parameter's value is the one in force on the fiscal year's closing date", arguments: dateCases)
    func datedParameters(_ testCase: DateCase) throws {
        let run = try Self.run(Self.dated, firm: "{\(testCase.firm)}")
        #expect(run.show("v") == testCase.expected)
    }

    @Test("a fiscal year off the calendar closes on fiscal_year_end and keeps its year")
    func offCalendarFiscalYear() throws {
        let firm = try FirmReader.readJSON(
            Array(#"{"fiscal_year": 2019, "fiscal_year_end": "2020-06-30"}"#.utf8),
            source: "f.json", knownInputs: []
        ).get()
        #expect(firm.fiscalYear == 2019)
        #expect(firm.closingDay == Day(year: 2020, month: 6, day: 30))
        let calendar = try FirmReader.readJSON(Array(#"{"fiscal_year": 2019}"#.utf8), source: "f.json", knownInputs: []).get()
        #expect(calendar.closingDay == Day(year: 2019, month: 12, day: 31))
    }

    @Test("a year in a gap between a parameter's values is a problem, and what uses it is undetermined")
    func noParameterValue() throws {
        let run = try Self.run(
            """
            parameter cap: percent policy "p"
              = 25 % from 2015-01-01 until 2016-12-31
              = 40 % from 2018-01-01
            classify
              limited "Begrænset" when a / b <= cap
              otherwise ordinary "Ordinær"
            """, firm: #"{"fiscal_year": 2017, "a": 1, "b": 4}"#)
        #expect(run.outcome == nil)
        #expect(run.possible == ["limited", "ordinary"])
        #expect(run.decision.problems == [Problem(kind: .noParameterValue, node: 0)])
        #expect(run.evaluator.parameterChoices.count == 1 && run.evaluator.parameterChoices[0] == nil)
        #expect(run.evaluator.parameterResults.first.map { Self.show($0, run.ruleSet) } == "unknown(no_parameter_value)")
    }

    struct InForceCase: Sendable, CustomTestStringConvertible {
        var note: String
        var firm: String
        var notInForceOn: String?
        var testDescription: String { note }
    }

    static let inForceCases: [InForceCase] = [
        InForceCase(note: "before the rule set came into force", firm: #""fiscal_year": 2014"#, notInForceOn: "2014-12-31"),
        InForceCase(note: "after it ceased to apply", firm: #""fiscal_year": 2031"#, notInForceOn: "2031-12-31"),
        InForceCase(note: "closing on the first day in force", firm: #""fiscal_year_end": "2015-01-01""#, notInForceOn: nil),
        InForceCase(note: "closing on the last day in force", firm: #""fiscal_year": 2030"#, notInForceOn: nil),
    ]

    @Test("a rule set not in force on the closing date gives no outcome", arguments: inForceCases)
    func notInForce(_ testCase: InForceCase) throws {
        let run = try Self.run("value v = a", firm: "{\(testCase.firm), \"a\": 1}")
        #expect(run.decision.notInForceOn?.description == testCase.notInForceOn)
        #expect(run.outcome == (testCase.notInForceOn == nil ? "ordinary" : nil))
        #expect(run.decision.possibleOutcomes.isEmpty && run.decision.missing.isEmpty)
    }

    @Test("an evaluator reused across firms and years gives what a fresh one gives")
    func reuse() throws {
        let loaded = loadRules([("t.rules", Self.header + Self.dated + "\nclassify\n  otherwise o \"O\"\n")])
        let ruleSet = try #require(loaded.ruleSets.first)
        var reused = Evaluator(ruleSet: ruleSet)
        for year in [2019, 2020, 2019, 2014, 2020] {
            let day = try #require(Day(year: year, month: 12, day: 31))
            var fresh = Evaluator(ruleSet: ruleSet)
            let expected = fresh.evaluate(inputs: [], on: day)
            #expect(reused.evaluate(inputs: [], on: day) == expected)
            #expect(reused.valueResults == fresh.valueResults, "year \(year)")
            #expect(reused.parameterResults == fresh.parameterResults, "year \(year)")
        }
    }

    // MARK: Building on another rule set

    @Test("an overridden parameter changes the outcome of the rule set that builds on the base")
    func overriddenParameter() throws {
        let base =
            Self.header + """
                parameter cap: percent policy "p" = 25 % from 2015-01-01
                classify
                  limited "Begrænset udbytte" when a <= cap * b
                  otherwise ordinary "Ordinær"
                """
        let child = """
            ruleset local "Lokal" builds on t
              in force from 2015-01-01
            override parameter cap = 50 % from 2015-01-01
            """
        let files = [("t.rules", base), ("local.rules", child)]
        let firm = #"{"fiscal_year": 2024, "a": 40, "b": 100}"#
        #expect(try Self.run(files, ruleSet: "t", firm: firm).outcome == "ordinary")
        let local = try Self.run(files, ruleSet: "local", firm: firm)
        #expect(local.outcome == "limited")
        #expect(local.evaluator.parameterChoices.first??.value == .number(Exact(numerator: 1, denominator: 2) ?? .zero))
    }
}
