import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// A displayed value never contradicts the comparison it explains (issue 17, class 4): a limit of
/// 1.234 kr was shown as 1.23 kr, so the trace read `1.23 kr ≥ 1.23 kr → no`.
@Suite("honest display of compared values")
struct HonestDisplayTests {
    /// The value a reader takes from a display: `≈`, the unit and the grouping dropped, the decimal
    /// mark made a point; a fraction `n/d` read as one.
    static func read(_ shown: String, language: Language) -> Exact? {
        var text = shown.replacingOccurrences(of: ValueFormatter.approximately, with: "")
        for unit in [" kr", " %"] where text.hasSuffix(unit) { text = String(text.dropLast(unit.count)) }
        let (decimal, grouping): (Character, Character) = language == .danish ? (",", ".") : (".", ",")
        text = String(text.filter { $0 != grouping }.map { $0 == decimal ? "." : $0 })
        if let slash = text.firstIndex(of: "/") {
            guard case .success(let n) = Exact.parse(text[..<slash]), case .success(let d) = Exact.parse(text[text.index(after: slash)...])
            else { return nil }
            return n.dividing(d)
        }
        guard case .success(let value) = Exact.parse(Substring(text)) else { return nil }
        return value
    }

    /// A random value of the kinds a rule set computes: øre amounts, shares of amounts (more
    /// decimals), ratios that do not end (thirds, sevenths), and near neighbours of each other.
    static func value(_ random: inout SplitMix64) -> Exact {
        let numerator = Int128(random.next(2_000_001)) - 1_000_000
        let denominators: [Int128] = [1, 100, 1_000, 10_000, 3, 7, 300, 47, 1_000_000_000_000, 99_999_999_999]
        let denominator = denominators[random.next(denominators.count)]
        return Exact(raw: numerator, denominator)
    }

    static let operators: [(String, @Sendable (Exact, Exact) -> Bool)] = [
        ("=", { $0 == $1 }), ("≠", { $0 != $1 }), ("<", { $0 < $1 }), ("≤", { $0 <= $1 }), (">", { $0 > $1 }), ("≥", { $0 >= $1 }),
    ]

    @Test(
        "for random pairs and every comparison, the shown values compare as the values do",
        arguments: [Language.danish, .english], [ValueType.money, .percent, .number])
    func randomPairs(language: Language, type: ValueType) throws {
        var random = SplitMix64(seed: 17)
        let formatter = ValueFormatter(language: language, choiceSets: [])
        for _ in 0..<4_000 {
            let a = Self.value(&random)
            // Half the pairs are near neighbours: equal at two or four decimals, but not equal.
            let b =
                random.next(2) == 0
                ? Self.value(&random) : (a.adding(Exact(raw: Int128(random.next(3)) - 1, 1_000_000_000_000)) ?? a)
            let (left, right) = formatter.formatCompared(.number(a), .number(b), as: type)
            let scale = type == .percent ? Exact(integer: 100) : Exact.one
            let shownA = try #require(Self.read(left, language: language), "cannot read \(left)")
            let shownB = try #require(Self.read(right, language: language), "cannot read \(right)")
            let (valueA, valueB) = (try #require(a.multiplying(scale)), try #require(b.multiplying(scale)))
            for (symbol, holds) in Self.operators {
                #expect(
                    holds(shownA, shownB) == holds(valueA, valueB),
                    "\(a) \(symbol) \(b) is \(holds(valueA, valueB)), but shown as \(left) \(symbol) \(right)")
            }
            // Equal displays only for equal values, whatever the marks.
            if a != b { #expect(left != right, "\(a) and \(b) both shown as \(left)") }
        }
    }

    @Test("a value is shown exactly when it has at most ten decimals, else rounded and marked ≈")
    func singleValues() {
        let danish = ValueFormatter(language: .danish, choiceSets: [])
        let english = ValueFormatter(language: .english, choiceSets: [])
        #expect(danish.format(.number(Exact(raw: 1234, 1000)), as: .money) == "1,234 kr")
        #expect(danish.format(.number(Exact(øre: 420_000_000)), as: .money) == "4.200.000,00 kr")
        #expect(english.format(.number(Exact(raw: 12341, 10_000)), as: .money) == "1.2341 kr")
        #expect(english.format(.number(Exact(raw: 42, 47)), as: .percent) == "≈89.36 %")
        #expect(english.format(.number(Exact(raw: 1, 2)), as: .percent) == "50 %")
        #expect(danish.format(.number(Exact(raw: 1, 3)), as: .number) == "≈0,3333")
        #expect(danish.format(.number(Exact(raw: 12, 1)), as: .count) == "12")
    }

    @Test("1.23 kr against a limit of 35 % of 3.52 kr (1.232 kr) reads 1,23 kr ≥ 1,232 kr → nej, end to end")
    func limitWithFourDecimals() throws {
        let folder = NSTemporaryDirectory() + "soe-display-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rules = """
            ruleset display "Visning"
              in force from 2020-01-01

            input revenue: money "Omsætning"
            input surplus: money "Overskud"
            parameter share: percent = 35 %

            value limit "Grænse" = revenue * share

            criterion enough "Overskud over grænsen" = surplus ≥ limit

            classify
              yes_enough "Nok" when enough
              otherwise not_enough "Ikke nok"
            """
        // 35 % of 3.52 kr is 1.232 kr: above 1.23 kr by a tenth of an øre.
        let firm = #"{"fiscal_year": 2024, "revenue": "3.52", "surplus": "1.23"}"#
        try rules.write(toFile: folder + "/display.rules", atomically: true, encoding: .utf8)
        try firm.write(toFile: folder + "/firm.json", atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/firm.json"))
        let result = try runSoe(["evaluate", "--rules", folder + "/display.rules", "--lang", "da", folder + "/firm.json"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("surplus ≥ limit: 1,23 kr ≥ 1,232 kr → nej"), "\(result.stdout)")
        #expect(result.stdout.contains("= 1,232 kr"), "\(result.stdout)")
        #expect(!result.stdout.contains("1,23 kr ≥ 1,23 kr"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/firm.json")) == before)
    }
}
