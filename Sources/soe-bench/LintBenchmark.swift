import Foundation
import SoeEngine
import SoeLanguage
import SoeLint
import SoeTestSupport

/// `soe-bench lint [--outcomes N] [--repeat R]`: how much the lint analysis costs on a large
/// rule file, and whether it grows linearly.
///
/// It generates a rule file with N outcomes and N criteria (`SyntheticRules`, default 5,000),
/// then times, in the same process:
///
/// - the **baseline**: load the file as `soe check` does (lex, parse, check), and
/// - **lint**: the whole of `soe lint` on the same text (load, every check, suppressions),
///
/// and prints lint / baseline, so the ratio says what the analysis costs on top of checking.
/// Then it lints files of N/4, N/2 and N outcomes and prints each time over the previous one:
/// about 2 when the analysis is linear, 4 when quadratic. Each figure is the median of R runs.
enum LintBenchmark {
    static func run(_ arguments: [String]) -> Int32 {
        var outcomes = 5_000
        var repeats = 3
        var file: String?
        var index = 0
        let usage = "usage: soe-bench lint [--outcomes N] [--repeat R] [--file RULES]"
        while index + 1 < arguments.count {
            let (flag, value) = (arguments[index], arguments[index + 1])
            switch flag {
            case "--outcomes": outcomes = Int(value) ?? 0
            case "--repeat": repeats = Int(value) ?? 0
            case "--file": file = value
            default: outcomes = 0
            }
            index += 2
        }
        guard index == arguments.count, outcomes > 0, repeats > 0 else {
            print(usage)
            return 2
        }

        let source: SourceFile
        if let file {
            guard case .success(let bytes) = FileSystem.read(file) else {
                print("cannot read \(file)")
                return 5
            }
            source = SourceFile(path: file, bytes: bytes)
            print("lint benchmark: \(file), \(bytes.count / 1024) KiB, median of \(repeats) runs")
        } else {
            let text = SyntheticRules.ruleFile(criteria: outcomes, outcomes: outcomes)
            source = SourceFile(path: "synthetic.rules", text: text)
            print("lint benchmark: \(outcomes) outcomes, \(outcomes) criteria, \(text.utf8.count / 1024) KiB, median of \(repeats) runs")
        }

        var checked: RuleLoader.Result?
        let baseline = median(repeats) { checked = RuleLoader.load([source]) }
        guard let checked, let ruleSet = checked.ruleSets.first, !checked.hasErrors else {
            print("the synthetic rule file does not check: \(checked?.diagnostics.first?.message ?? "?")")
            return 1
        }
        var report: LintReport?
        let lint = median(repeats) { report = Linter.lint(sources: [source]) }
        let counts = Dictionary(grouping: report?.findings ?? [], by: \.code).mapValues(\.count)
        print(String(format: "  baseline (read, parse, check): %8.1f ms", baseline * 1000))
        print(String(format: "  soe lint (check + all checks): %8.1f ms   ratio %.2f× baseline", lint * 1000, lint / baseline))
        print("  rule set: \(ruleSet.outcomes.count) outcomes, \(ruleSet.criteria.count) criteria, \(ruleSet.nodes.count) formula nodes")
        print("  findings: " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        print("  by check (one run; shared analyses count for the first check that needs them):")
        let context = LintContext(ruleSet: ruleSet, syntax: checked.files)
        for check in LintRegistry.ruleSetChecks {
            let time = median(1) { check.init().check(context) }
            if time >= 0.001 {
                print(String(format: "    %@ %-26@ %8.1f ms", check.documentation.code, check.documentation.name, time * 1000))
            }
        }
        if file != nil { return 0 }

        print("scaling (lint time; each step doubles the outcomes and criteria):")
        var previous: Double?
        for size in [outcomes / 4, outcomes / 2, outcomes] where size > 0 {
            let scaled = SourceFile(path: "synthetic.rules", text: SyntheticRules.ruleFile(criteria: size, outcomes: size))
            let time = median(repeats) { _ = Linter.lint(sources: [scaled]) }
            let ratio = previous.map { String(format: "   ×%.2f vs. half the size", time / $0) } ?? ""
            print(String(format: "  %6d outcomes: %8.1f ms", size, time * 1000) + ratio)
            previous = time
        }
        return 0
    }

    /// The median wall-clock time of `body` in seconds.
    static func median(_ repeats: Int, _ body: () -> Void) -> Double {
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        return times[times.count / 2]
    }
}
