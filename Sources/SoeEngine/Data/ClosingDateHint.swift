import SoeLanguage

/// Why a closing date (`fiscal_year_end`) that `CellForms.day` cannot read is not a date, for the
/// message that refuses it: a day the calendar does not have, the American month-first order, a
/// date in another layout, or a spreadsheet's day number. Nil when none of these fits; the message
/// then gives the forms alone. Only on the error path.
enum ClosingDateHint {
    static func hint(_ text: String) -> (english: String, danish: String)? {
        let trimmed = text.trimmingSpaces()
        let groups = trimmed.split(whereSeparator: { !$0.isASCII || !$0.isNumber }).map(String.init)
        guard trimmed.allSatisfy({ $0.isASCII }), !groups.isEmpty else { return nil }
        // A spreadsheet's day number: a date cell exported without its format (45473 is 2024-06-30).
        if groups.count == 1, groups[0] == trimmed, let serial = Int(trimmed), (10_000...99_999).contains(serial) {
            guard let day = spreadsheetDay(serial) else { return nil }
            return (
                "\(trimmed) is a spreadsheet's day number for \(day), not a date; format the cell as a date, or write \(day)",
                "\(trimmed) er et regnearks dagnummer for \(day), ikke en dato; formatér cellen som dato, eller skriv \(day)"
            )
        }
        // `20241231`, a date with its marks left out.
        if groups.count == 1, groups[0] == trimmed, trimmed.count == 8, let year = Int(trimmed.prefix(4)),
            let month = Int(trimmed.dropFirst(4).prefix(2)), let dayNumber = Int(trimmed.suffix(2)), (1900...2999).contains(year),
            let day = Day(year: year, month: month, day: dayNumber)
        {
            return ("if \(day) is meant, write \(day)", "menes \(day), så skriv \(day)")
        }
        guard groups.count == 3, let a = Int(groups[0]), let b = Int(groups[1]), let c = Int(groups[2]) else { return nil }
        if groups[0].count == 4 {
            return check(year: a, month: b, day: c)
        }
        // `30-06-24`, `31/12/24`: a year of two digits, whose century cannot be told.
        if groups[2].count == 2, (1...31).contains(a), (1...12).contains(b) {
            let year = 2000 + c
            let example = Day(year: year, month: b, day: a).map { "\($0)" } ?? "YYYY-MM-DD"
            return (
                "the year '\(groups[2])' has two digits, and its century cannot be told; write it with four: \(example) if \(year) is meant",
                "året '\(groups[2])' har to cifre, og århundredet kan ikke ses; skriv det med fire: \(example), hvis \(year) menes"
            )
        }
        guard groups[2].count == 4 else { return nil }
        // Month first, as American programs write it: a first number of at most 12 and a second above.
        if a >= 1, a <= 12, b > 12, let day = Day(year: c, month: a, day: b) {
            return (
                "\"\(trimmed)\" puts the month first, as American programs write dates; write \(day)",
                "\"\(trimmed)\" sætter måneden først, som amerikanske programmer skriver datoer; skriv \(day)"
            )
        }
        if a <= 12, b <= 12, a != b, trimmed.contains("/") {
            guard let dayFirst = Day(year: c, month: b, day: a), let monthFirst = Day(year: c, month: a, day: b) else { return nil }
            return (
                "\"\(trimmed)\" could be \(dayFirst) (day first) or \(monthFirst) (month first, as American programs write it); write the date as YYYY-MM-DD",
                "\"\(trimmed)\" kan være \(dayFirst) (dagen først) eller \(monthFirst) (måneden først, som amerikanske programmer skriver det); skriv datoen som ÅÅÅÅ-MM-DD"
            )
        }
        return check(year: c, month: b, day: a)
    }

    /// A year, month and day: no such day, or the date in the form to write.
    static func check(year: Int, month: Int, day: Int) -> (english: String, danish: String)? {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        guard let date = Day(year: year, month: month, day: day) else {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            let days = month == 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].contains(month) ? 30 : 31
            return (
                "there is no day \(day) in month \(month) of \(year), which has \(days) days",
                "der er ingen dag \(day) i måned \(month) i \(year), som har \(days) dage"
            )
        }
        return ("write \(date)", "skriv \(date)")
    }

    /// The day of a spreadsheet's day number in the 1900 date system (day 1 is 1900-01-01, and
    /// Excel's day 60 is the 29 February 1900 that was not, so days from 61 on count from 1899-12-30).
    static func spreadsheetDay(_ serial: Int) -> Day? {
        guard serial > 60, var day = Day(year: 1899, month: 12, day: 30) else { return nil }
        // Day by day: the error path only, at most 100,000 steps.
        for _ in 0..<serial {
            guard let next = day.next else { return nil }
            day = next
        }
        return day
    }
}

/// What a fiscal year that is not a year may have meant, for the message that refuses it: a
/// fiscal year across two calendar years (`2024/25`), or a year written as a decimal (`2024.0`).
/// Empty when nothing fits.
enum FiscalYearHint {
    static func english(_ text: String) -> String {
        switch kind(text) {
        case .across(let first, let last):
            return
                ": a fiscal year across two calendar years (\(first) to \(last)) is given by its closing date: leave fiscal_year out and give fiscal_year_end, such as \(last)-06-30"
        case .decimal(let year): return ": write \(year)"
        case nil: return ""
        }
    }

    static func danish(_ text: String) -> String {
        switch kind(text) {
        case .across(let first, let last):
            return
                ": et regnskabsår over to kalenderår (\(first) til \(last)) gives ved sin slutdato: udelad fiscal_year, og giv fiscal_year_end, fx \(last)-06-30"
        case .decimal(let year): return ": skriv \(year)"
        case nil: return ""
        }
    }

    enum Kind {
        case across(Int, Int)
        case decimal(Int)
    }

    static func kind(_ text: String) -> Kind? {
        let trimmed = text.trimmingSpaces()
        for separator: Character in ["/", "-", "–"] where trimmed.contains(separator) {
            let parts = trimmed.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let first = Int(parts[0]), (1900...9999).contains(first), let second = Int(parts[1]) else { continue }
            let last = parts[1].count == 2 ? first / 100 * 100 + second : second
            if last == first + 1 { return .across(first, last) }
        }
        let pieces = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        if pieces.count == 2, let year = Int(pieces[0]), (1900...9999).contains(year), !pieces[1].isEmpty,
            pieces[1].allSatisfy({ $0 == "0" })
        {
            return .decimal(year)
        }
        // `2.024`, a year column formatted as a number with thousands points.
        if pieces.count == 2, pieces[0].count == 1, pieces[1].count == 3, let year = Int(pieces[0] + pieces[1]),
            (1900...2999).contains(year)
        {
            return .decimal(year)
        }
        return nil
    }
}

/// The fix for a date given on the command line (`--as-of 31-12-2026`) that is not written
/// YYYY-MM-DD: the same day in that form when firm data would read it so, else why it is no date.
public enum DateFlagHint {
    public static func english(_ text: String) -> String? {
        if let day = CellForms.day(text) { return "write \(day)" }
        return ClosingDateHint.hint(text)?.english
    }
}
