import SoeLanguage

// The forms Danish spreadsheet programs write around a value when they save a sheet as CSV.
//
// Excel and LibreOffice with Danish settings write what the cell shows: `4.200.000,00 kr.`,
// `12,5 %` with a no-break space (U+00A0) or a narrow no-break space (U+202F) before the sign,
// `SAND`/`FALSK`, `30-06-2024`. Each form here has one reading, so it is read; a form with two
// readings (`3.600`, a percent `0,1` without its sign) is refused elsewhere with both. Nothing is
// guessed: a unit is taken off only where it belongs (`kr` on money, `%` on a percent), and a
// date is day first only with `-` or `.` and a four-digit year, as Danish programs write it.

/// How a percent written without a `%` sign is meant, when the value alone cannot tell.
///
/// `50` is 50 % (percentage points, the documented format), but `0.1` may be 10 % written as a
/// fraction, as a spreadsheet exports a percent cell raw. Without a stated reading, a value
/// between -1 and 1 (other than 0) written without `%` is refused with both readings.
public enum PercentReading: String, Sendable, CaseIterable {
    /// Every percent without a `%` sign is a fraction: `0.1` is 10 %, `1` is 100 %.
    case fraction
    /// Every percent without a `%` sign is in percentage points: `0.1` is 0.1 %.
    case points
}

/// The Danish spreadsheet forms of a cell's text.
enum CellForms {
    /// A space around a value or between digit groups: space, tab, no-break space (U+00A0) and
    /// narrow no-break space (U+202F).
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\u{00A0}" || scalar == "\u{202F}"
    }

    /// The text without the spaces (`isSpace`) around it.
    static func trimmed(_ text: some StringProtocol) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// The text without a final `%` and the spaces before it, and whether it had one.
    static func percentSign(_ text: String) -> (body: String, hasSign: Bool) {
        let trimmed = trimmed(text)
        guard trimmed.hasSuffix("%") else { return (trimmed, false) }
        return (self.trimmed(trimmed.dropLast()), true)
    }

    /// The currency marks Danish programs write before or after an amount, longest first.
    static let currencyMarks = ["kr.", "kr", "dkk"]

    /// The text without one currency mark (`kr`, `kr.`, `DKK`, in any letter case) before or
    /// after the amount, and the mark as written; the text unchanged and nil when it has none.
    /// A mark must be set off from the digits by a space or stand right against them; it is taken
    /// off once, at one end only.
    static func currency(_ text: String) -> (body: String, mark: String?) {
        let trimmed = trimmed(text)
        let lower = trimmed.lowercased()
        for mark in currencyMarks {
            if lower.hasSuffix(mark), lower.count > mark.count {
                let body = self.trimmed(trimmed.dropLast(mark.count))
                if body.last?.isNumber == true { return (body, String(trimmed.suffix(mark.count))) }
            }
            if lower.hasPrefix(mark), lower.count > mark.count {
                let body = self.trimmed(trimmed.dropFirst(mark.count))
                if let first = body.unicodeScalars.first,
                    first.properties.numericType != nil || first == "-" || first == "+" || first == "−"
                {
                    return (body, String(trimmed.prefix(mark.count)))
                }
            }
        }
        return (trimmed, nil)
    }

    /// The yes/no a text means: `true`/`false`, `yes`/`no`, `ja`/`nej`, `sand`/`falsk` (what a
    /// Danish spreadsheet shows for a boolean cell) and `1`/`0`, in any letter case.
    static func boolean(_ text: String) -> Bool? {
        switch trimmed(text).lowercased() {
        case "yes", "ja", "true", "sand", "1": true
        case "no", "nej", "false", "falsk", "0": false
        default: nil
        }
    }

    /// A date written `2024-06-30` (ISO), `30-06-2024` or `30.06.2024` (day first, as Danish
    /// programs write it; the day and month may have one digit, the year must have four); nil for
    /// anything else or an impossible date. A slash (`06/30/2024`) is refused: American programs
    /// write month first with it.
    static func day(_ text: String) -> Day? {
        let trimmed = trimmed(text)
        if let day = Day(iso: trimmed) { return day }
        for mark: Character in ["-", "."] {
            let parts = trimmed.split(separator: mark, omittingEmptySubsequences: false)
            guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 4,
                parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
                let dayNumber = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2])
            else { continue }
            return Day(year: year, month: month, day: dayNumber)
        }
        return nil
    }
}
