/// Dates and the period a rule set is in force, in the words of each language. "Not in force" is
/// its own state, not missing data, so it has its own words wherever a result is shown, and it
/// always names both ends of the period: a reader who sees only the start would think the rules
/// still apply.
extension Words {
    static let danishMonths = [
        "januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december",
    ]
    static let englishMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// A date as people write it in tables and summaries: `17.02.2021` in Danish, `2021-02-17` in English.
    public func date(_ day: Day) -> String {
        guard language == .danish else { return day.description }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(two(day.day)).\(two(day.month)).\(day.year)"
    }

    /// A date as a letter writes it: `17. februar 2021`, `17 February 2021`.
    public func longDate(_ day: Day) -> String {
        let index = min(max(day.month - 1, 0), 11)
        return language == .danish
            ? "\(day.day). \(Words.danishMonths[index]) \(day.year)"
            : "\(day.day) \(Words.englishMonths[index]) \(day.year)"
    }

    /// The rules taken on another day than the closing date (`--as-of` or `--fiscal-year`): "rules
    /// as of 2026-12-31 (what-if), not on the closing date", said wherever the closing date is. It
    /// names neither flag: either may have chosen the day.
    public func rulesAsOf(_ day: Day) -> String {
        language == .danish
            ? "regler pr. \(date(day)) (hvad nu hvis), ikke pr. afslutningsdatoen"
            : "rules as of \(date(day)) (what-if), not on the closing date"
    }

    /// "Afgørelsesdato", "Decision date".
    public var decisionDate: String { language == .danish ? "Afgørelsesdato" : "Decision date" }
    /// "Sagsnr.", "Case no.": the caseworker's case number (`--case-number`).
    public var caseNumber: String { language == .danish ? "Sagsnr." : "Case no." }

    /// The result of a rule set not in force, in a word or two: "Gælder ikke", "Not in force".
    public var notInForceResult: String { language == .danish ? "Gælder ikke" : "Not in force" }

    /// The period a rule set is in force: "i kraft fra 17.02.2021 til 31.12.2023", "in force from
    /// 2021-02-17"; nil when the rule set gives no dates.
    public func inForcePeriod(from: Day?, until: Day?) -> String? {
        var parts: [String] = []
        if let from { parts.append("\(self.from) \(date(from))") }
        if let until { parts.append("\(self.until) \(date(until))") }
        guard !parts.isEmpty else { return nil }
        return (language == .danish ? "i kraft " : "in force ") + parts.joined(separator: " ")
    }

    /// Why a rule set was not applied: "Regelsættet gælder ikke for regnskabsåret 2024 (afsluttet
    /// 31.12.2024): i kraft fra 17.02.2021 til 31.12.2023".
    /// With `evaluatedOn` other than `closing` (`--as-of`, `--fiscal-year`), the sentence names that date instead.
    public func notInForceSentence(fiscalYear: Int?, closing: Day, from: Day?, until: Day?, evaluatedOn: Day? = nil) -> String {
        let year = fiscalYear ?? closing.year
        let head =
            if let day = evaluatedOn, day != closing {
                language == .danish
                    ? "Regelsættet gælder ikke pr. \(date(day)) (hvad nu hvis)" : "The rule set does not apply on \(date(day)) (what-if)"
            } else if language == .danish {
                "Regelsættet gælder ikke for regnskabsåret \(year) (afsluttet \(date(closing)))"
            } else {
                "The rule set does not apply to the fiscal year \(year) (closing \(date(closing)))"
            }
        return head + (inForcePeriod(from: from, until: until).map { ": \($0)" } ?? "")
    }
}
