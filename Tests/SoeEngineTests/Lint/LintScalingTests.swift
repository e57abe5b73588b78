import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Ladders of thresholds, the worst case of the outcome coverage analysis: thousands of outcomes
/// on one variable, filed in a `ThresholdIndex`. Each ladder has a known answer, so the index
/// cannot skip a cover (a lost finding) nor invent one.
@Suite("lint: ladders of thresholds stay linear and lose no finding")
struct LintScalingTests {
    /// The outcomes L101 reports as unreachable, by name, and the outcome named as covering each.
    static func unreachable(_ text: String) -> [String: String] {
        let report = Linter.lint(sources: [SourceFile(path: "ladder.rules", text: text)])
        var found: [String: String] = [:]
        for finding in report.findings where finding.code == "L101" {
            // "the outcome 'o7' can never be the result: 'o1' applies first"
            let quoted = finding.message.split(separator: "'").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            if quoted.count >= 2 { found[quoted[0]] = quoted[1] }
        }
        return found
    }

    static func ladder(_ steps: [String]) -> String {
        var lines = ["ruleset ladder \"Trin\"", "  source \"test\"", "  in force from 2015-01-01", "", "input s: money \"S\" min 0 kr"]
        lines += ["input n: count \"N\"", "", "classify"]
        for (index, condition) in steps.enumerated() { lines.append("  o\(index + 1) \"Trin \(index + 1)\" when \(condition)") }
        lines.append("  otherwise rest \"Resten\"")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("an ascending ladder (s < i kr) has no unreachable step")
    func ascending() {
        #expect(Self.unreachable(SyntheticRules.thresholdLadder(outcomes: 3_000)).isEmpty)
    }

    @Test("a descending ladder: every step after the first is covered by the first")
    func descending() {
        let steps = (1...2_000).map { "s < \(3_000 - $0) kr" }
        let found = Self.unreachable(Self.ladder(steps))
        #expect(found.count == 1_999)
        #expect(found.values.allSatisfy { $0 == "o1" })
    }

    @Test("lower bounds: s > i kr, each step after the first is covered by the first")
    func lowerBounds() {
        let steps = (1...2_000).map { "s > \($0) kr" }
        let found = Self.unreachable(Self.ladder(steps))
        #expect(found.count == 1_999)
        #expect(found["o2000"] == "o1")
    }

    @Test("a cover far back in a long ladder is found, and whole numbers narrow (n < 6 covers n <= 5)")
    func farAndInteger() {
        var steps = ["n < 6"] + (1...1_500).map { "s < \($0) kr" }
        steps.append("n <= 5")
        steps.append("s < 1 kr")
        let found = Self.unreachable(Self.ladder(steps))
        #expect(found["o1502"] == "o1", "n <= 5 follows from n < 6 on whole numbers: \(found)")
        #expect(found["o1503"] == "o2", "s < 1 kr is the second step again: \(found)")
        #expect(found.count == 2)
    }

    @Test("two steps together still cover a third (the search keeps its candidates)")
    func searchStillRuns() {
        let steps = ["s >= 60 kr", "s < 60 kr and n > 2", "s < 60 kr and n <= 2", "s > 10 kr"]
        #expect(Self.unreachable(Self.ladder(steps))["o4"] != nil)
    }
}
