import Foundation
import SoeEngine
import SoeLanguage
import SoeTestSupport

/// `soe-bench bounds`: counterfactuals and bounds against plain classification, in one run.
///
/// Generated firms under the bundled screening (rules/anden_aktoer.rules): decided ones for the
/// counterfactuals (every input given), and ones with one to three amounts missing for the bounds.
/// Plain classification of the same firms is the baseline; the targets are counterfactuals at
/// most 5× plain classification, and each undetermined firm's bounds in under 1 ms.
enum BoundsBenchmark {
    static let usage = """
        usage: soe-bench bounds [--firms N] [--rules FILE] [--dump FILE]
          --firms N     firms per measurement (default 100000)
          --rules FILE  the rule file (default rules/anden_aktoer.rules)
          --dump FILE   also write every firm's counterfactuals and bounds, one line each, to
                        FILE: two builds' dumps compared show that a change kept the results
        """

    static func run(_ arguments: [String]) -> Int32 {
        var firmCount = 100_000
        var path = TestPaths.rules + "/anden_aktoer.rules"
        var dump: String?
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            let value = index + 1 < arguments.count ? arguments[index + 1] : nil
            switch (flag, value) {
            case ("--firms", let text?):
                guard let count = Int(text), count > 0 else {
                    printError("--firms takes a positive whole number")
                    return 2
                }
                firmCount = count
            case ("--rules", let text?): path = text
            case ("--dump", let text?): dump = text
            case ("--help", _):
                print(usage)
                return 0
            case (_, _):
                printError(usage)
                return 2
            }
            index += 2
        }
        guard case .success(let loaded) = RuleLoader.load(path: path), !loaded.hasErrors, let ruleSet = loaded.ruleSets.first else {
            printError("cannot load \(path)")
            return 3
        }
        var random = SplitMix64(seed: 15)
        let day = Day(year: 2024, month: 12, day: 31) ?? ruleSet.inForceFrom ?? Day(year: 2000, month: 1, day: 1)
        guard let day else { return 3 }
        let decided = (0..<firmCount).map { _ in firm(ruleSet, &random, missing: 0) }
        let partial = (0..<firmCount).map { _ in firm(ruleSet, &random, missing: 1 + random.next(3)) }
        var evaluator = Evaluator(ruleSet: ruleSet)
        print("bounds benchmark: \(ruleSet.name), \(firmCount) firms per measurement")

        // Plain classification: the baseline, for both sets of firms.
        var outcomes = 0
        let plain = time {
            for inputs in decided where evaluator.evaluate(inputs: inputs, on: day).outcome != nil { outcomes += 1 }
        }
        let plainPartial = time {
            for inputs in partial where evaluator.evaluate(inputs: inputs, on: day).outcome != nil { outcomes += 1 }
        }
        // Counterfactuals for every decided firm (classification included).
        var changes = 0
        let counterfactuals = time {
            for inputs in decided {
                let decision = evaluator.evaluate(inputs: inputs, on: day)
                changes += evaluator.counterfactuals(of: decision)?.changes.count ?? 0
            }
        }
        // Bounds for every firm with missing data (classification included), and the slowest firm.
        var single: [Double] = []
        single.reserveCapacity(firmCount)
        var undetermined = 0
        var decidedByBounds = 0
        let bounds = time {
            for inputs in partial {
                let start = DispatchTime.now().uptimeNanoseconds
                let decision = evaluator.evaluate(inputs: inputs, on: day)
                let result = evaluator.bounds(of: decision)
                if decision.outcome == nil {
                    undetermined += 1
                    if result?.outcome != nil { decidedByBounds += 1 }
                    single.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                }
            }
        }
        if let dump, !write(dump, ruleSet, decided, partial, &evaluator, day) { return 5 }
        let batch = batchTimes(ruleSet, rows: firmCount)
        let perFirm = { (seconds: Double) in seconds / Double(firmCount) * 1e6 }
        print(String(format: "  plain classification, decided firms:   %9.3f µs/firm", perFirm(plain)))
        print(
            String(
                format: "  counterfactuals (%d changes found):    %9.3f µs/firm   ratio %.1f× plain (target ≤ 5×)", changes,
                perFirm(counterfactuals), counterfactuals / plain))
        if let batch {
            print(
                String(
                    format: "  as a batch pays: --borderline 2 %% %.3f s against %.3f s without, %d firms: ratio %.1f× (the same target)",
                    batch.borderline, batch.plain, firmCount, batch.borderline / batch.plain))
        }
        print(String(format: "  plain classification, missing data:    %9.3f µs/firm", perFirm(plainPartial)))
        print(
            String(
                format: "  bounds, missing data:                  %9.3f µs/firm   ratio %.1f× plain", perFirm(bounds),
                bounds / plainPartial))
        single.sort()
        let quantile = { (q: Double) in single.isEmpty ? 0 : single[min(single.count - 1, Int(Double(single.count) * q))] * 1000 }
        print("  undetermined firms: \(undetermined), decided by the bounds: \(decidedByBounds)")
        // The slowest firm on a shared machine is mostly the scheduler; the quantiles are the firm's own cost.
        print(
            String(
                format: "  one undetermined firm with bounds: median %.3f ms, 99th percentile %.3f ms, slowest %.3f ms (target < 1 ms)",
                quantile(0.5), quantile(0.99), quantile(1)))
        return outcomes >= 0 ? 0 : 1
    }

    /// Counterfactuals as a batch pays for them: the limit's generated firms (`BatchBenchmark.generate`,
    /// every input given) classified by `BatchRunner` in this process into the long CSV, with the
    /// borderline column (`--borderline 2 %`: every decided firm's counterfactuals, the smallest
    /// change compared with 2 %) and without it; the fastest of three runs each. Nil when the firms
    /// cannot be written to the temporary folder.
    static func batchTimes(_ ruleSet: RuleSet, rows: Int) -> (plain: Double, borderline: Double)? {
        let folder = NSTemporaryDirectory() + "/soe-bench-bounds-\(ProcessInfo.processInfo.processIdentifier)"
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil else { return nil }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/firms.csv"
        let columns = ["id", "name", "cvr", "fiscal_year"] + ruleSet.inputs.map(\.name)
        BatchBenchmark.generate(rows: rows, columns: columns, ruleSets: [ruleSet], to: path, missingCells: false)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = [UInt8](data)
        func run(_ share: Exact?) -> Double {
            var options = BatchOptions(language: .english, sourceName: "firms.csv")
            (options.layout, options.borderline) = (.long, share)
            let sink = MemorySink()
            return time { _ = BatchRunner(ruleSets: [ruleSet], options: options).run(ArraySource(bytes), to: sink) }
        }
        var (plain, borderline) = (Double.infinity, Double.infinity)
        for _ in 0..<3 {
            plain = min(plain, run(nil))
            borderline = min(borderline, run(Exact(raw: 1, 50)))
        }
        return (plain, borderline)
    }

    /// Every decided firm's counterfactuals and every partial firm's bounds, one line each, outside
    /// the timed runs.
    static func write(
        _ path: String, _ ruleSet: RuleSet, _ decided: [[Scalar?]], _ partial: [[Scalar?]], _ evaluator: inout Evaluator, _ day: Day
    ) -> Bool {
        var text = ""
        for (index, inputs) in decided.enumerated() {
            let decision = evaluator.evaluate(inputs: inputs, on: day)
            text += "decided \(index): \(String(describing: evaluator.counterfactuals(of: decision)))\n"
        }
        for (index, inputs) in partial.enumerated() {
            let decision = evaluator.evaluate(inputs: inputs, on: day)
            text += "partial \(index): \(String(describing: evaluator.bounds(of: decision)))\n"
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            printError("cannot write \(path): \(error)")
            return false
        }
        return true
    }

    static func time(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// A plausible firm: amounts in kroner and øre, small staff counts, `missing` amounts left out.
    static func firm(_ ruleSet: RuleSet, _ random: inout SplitMix64, missing: Int) -> [Scalar?] {
        var inputs: [Scalar?] = ruleSet.inputs.map { input in
            switch input.type {
            case .money: .number(Exact(øre: Int128(random.next(300_000_000))))
            case .percent: .number(Exact(numerator: Int128(random.next(60)), denominator: 100) ?? .zero)
            case .count: .number(Exact(integer: Int128(random.next(12))))
            case .number: .number(Exact(integer: Int128(random.next(100))))
            case .bool: .bool(random.next(10) != 0)
            case .choice: .choice(0)
            case .date: .date(Day(year: 2020, month: 1, day: 1) ?? Day(year: 2000, month: 1, day: 1)!)
            case .text: .text("")
            }
        }
        let amounts = ruleSet.inputs.indices.filter { ruleSet.inputs[$0].type == .money }
        for _ in 0..<missing where !amounts.isEmpty { inputs[random.pick(amounts)] = nil }
        return inputs
    }
}
