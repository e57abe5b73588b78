import SoeLanguage

/// Generates large, realistic rule files for the lint benchmark and for tests that the analysis
/// stays fast and correct on thousands of outcomes.
///
/// The file has a fixed vocabulary (200 inputs of every type, 50 parameters with one or two
/// dated values, 100 derived values: sums and guarded shares) and then as many criteria and
/// outcomes as asked. Criteria mix the forms real rule files use: amounts and shares against
/// constants and parameters, choice tests, yes/no inputs, counts, and combinations of earlier
/// criteria. Outcomes combine two or three criteria with `all of`, `any of`, `and not`. The
/// choices come from a seeded generator, so the same arguments always give the same file.
public enum SyntheticRules {
    /// The text of a rule file with the given numbers of criteria and outcomes.
    public static func ruleFile(criteria: Int, outcomes: Int, seed: UInt64 = 2024) -> String {
        var random = SplitMix64(seed: seed)
        var lines = [
            "ruleset synthetic \"Syntetisk regelsæt\"",
            "  source \"soe-bench\"",
            "  in force from 2015-01-01",
            "",
        ]
        let members = ["aps", "as", "fond", "forening", "amba", "smba", "is", "ks"]
        for index in 0..<40 {
            lines.append("input m\(index): money \"Beløb \(index)\" min 0 kr")
            lines.append("input p\(index): percent \"Andel \(index)\" min 0 % max 100 %")
            lines.append("input n\(index): count \"Antal \(index)\"")
            lines.append("input b\(index): yes/no \"Ja/nej \(index)\"")
            lines.append("input k\(index): one of \(members.joined(separator: ", ")) \"Valg \(index)\"")
        }
        lines.append("")
        for index in 0..<50 {
            let percent = 10 + random.next(80)
            lines.append("parameter q\(index): percent \"Tærskel \(index)\"")
            lines.append("  policy \"Syntetisk tærskel\"")
            lines.append("  = \(percent) % from 2015-01-01")
            if index % 3 == 0 { lines.append("  = \(percent + 5) % from 2020-01-01") }
        }
        lines.append("")
        for index in 0..<50 {
            lines.append("value total\(index) \"Sum \(index)\" = m\(index % 40) + m\((index + 1) % 40)")
            lines.append("value share\(index) \"Andel \(index)\" =")
            lines.append("  if total\(index) = 0 kr then 0 % else m\(index % 40) / total\(index)")
        }
        lines.append("")
        for index in 0..<criteria {
            let input = random.next(40)
            let formula: String
            switch index % 6 {
            case 0: formula = "m\(input) > \(random.next(100) * 1000) kr"
            case 1:
                formula =
                    "p\(input) >= q\(random.next(50)) and k\(input) is one of \(members[random.next(4)]), \(members[4 + random.next(4)])"
            case 2: formula = "b\(input) and n\(input) >= \(1 + random.next(20))"
            case 3: formula = "k\(input) is not \(members[random.next(8)])"
            case 4: formula = "share\(random.next(50)) >= \(5 + random.next(90)) %"
            default: formula = "c\(index - 5) and not c\(index - 3)"
            }
            lines.append("criterion c\(index) \"Kriterium \(index)\"")
            lines.append("  cite \"§ \(index)\"")
            lines.append("  = \(formula)")
        }
        lines += ["", "classify"]
        for index in 0..<outcomes {
            let own = criteria > 0 ? index % criteria : 0
            let other = criteria > 0 ? random.next(criteria) : 0
            let third = criteria > 0 ? random.next(criteria) : 0
            let condition: String
            switch random.next(20) {
            case 0..<8: condition = "all of c\(own), c\(other)"
            case 8..<13: condition = "c\(own) and not c\(other)"
            case 13: condition = "any of c\(own), c\(other), c\(third)"
            default: condition = "c\(own) and n\(random.next(40)) > \(random.next(10))"
            }
            lines.append("  o\(index) \"Udfald \(index)\" when \(condition)")
        }
        lines.append("  otherwise rest \"Resten\"")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A ladder of thresholds: `o_i when s < i kr` for i from 1 to `outcomes`, each on the same
    /// input. No outcome covers a later one, and every earlier outcome is a candidate for each, so
    /// it is the worst case of `OutcomeCoverage` and the shape of a real tariff table.
    public static func thresholdLadder(outcomes: Int) -> String {
        var lines = [
            "ruleset ladder \"Tærskler\"",
            "  source \"soe-bench\"",
            "  in force from 2015-01-01",
            "",
            "input s: money \"Omsætning\" min 0 kr",
            "",
            "classify",
        ]
        for index in 1...max(1, outcomes) { lines.append("  o\(index) \"Trin \(index)\" when s < \(index) kr") }
        lines.append("  otherwise rest \"Resten\"")
        return lines.joined(separator: "\n") + "\n"
    }
}
