import SoeEngine
import SoeLanguage

/// `--as-of DATE` and its sugar `--fiscal-year YYYY` (the year's last day), shared by `evaluate`
/// and `diff`: the day to evaluate on instead of each firm's fiscal-year closing day. It picks the
/// parameter values in force and decides whether a rule set is in force; the firm's own fiscal
/// year stays as it was given (reported, and checked for duplicates).
enum AsOfOption {
    static let flags: Set<String> = ["--as-of", "--fiscal-year"]

    static let help = """
          --as-of YYYY-MM-DD  evaluate every firm on this date instead of its fiscal year's closing date:
                              the date picks each parameter's value in force and whether a rule set is
                              in force; the firm's fiscal year is still read and reported as given
          --fiscal-year YYYY  the same as --as-of YYYY-12-31
        """

    /// The day asked for, nil when neither flag was given.
    static func day(_ parsed: Arguments) throws(UsageError) -> Day? {
        let asOf = parsed.options["--as-of"]
        let year = parsed.options["--fiscal-year"]
        if asOf != nil && year != nil { throw UsageError("give --as-of or --fiscal-year, not both") }
        if let asOf {
            guard let day = Day(iso: asOf) else {
                let hint = DateFlagHint.english(asOf).map { "; \($0)" } ?? ""
                throw UsageError("--as-of must be a calendar date written YYYY-MM-DD, such as 2027-12-31, not '\(asOf)'\(hint)")
            }
            return day
        }
        if let year {
            guard year.count == 4, let number = Int(year), let day = Day(year: number, month: 12, day: 31) else {
                throw UsageError("--fiscal-year must be a year written YYYY, such as 2027, not '\(year)'")
            }
            return day
        }
        return nil
    }
}
