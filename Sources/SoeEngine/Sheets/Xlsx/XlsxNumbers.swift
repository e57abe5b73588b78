import SoeLanguage

// How a spreadsheet's numbers become soe's exact decimals. A sheet stores a number as the shortest
// text that reads back as its binary double: 0.1 + 0.2 is stored `0.30000000000000004`, and
// 4,200,000.00 that went through a formula may be `4200000.0000000009`. The one rule: round the
// stored text to 15 significant digits, half away from zero (what Excel shows and keeps as a
// number's precision), and drop trailing zeros. Then the column's own rule applies to the
// result (money: at most 2 decimals, or the cell is refused). It is done on the decimal digits
// themselves; no binary floating point is involved.
//
// Dates are serial numbers of days: in the 1900 system day 1 is 1900-01-01 and day 60 is
// 1900-02-29, a day that never was (Lotus 1-2-3's leap-year bug, which Excel keeps), so from day
// 61 on a serial is one more than the days since 1899-12-31; in the 1904 system day 0 is
// 1904-01-01. A time of day (the fraction) is dropped.

/// Reads a sheet's stored numbers exactly.
public enum XlsxNumbers {
    /// Significant digits kept of a stored number.
    public static let significantDigits = 15

    /// A stored number as decimal text, rounded to 15 significant digits, no exponent, no trailing
    /// zeros (`0.30000000000000004` → `0.3`, `1E-3` → `0.001`); `shift` moves the decimal point to
    /// the right (2 turns a fraction into percentage points). Nil when the text is not a number or
    /// its exponent is beyond ±400.
    public static func decimal(_ text: String, shift: Int = 0) -> String? {
        if shift == 0 && isPlain(text) { return text }
        return rounded(text, shift: shift)
    }

    /// `decimal` without the shortcut for plain numbers: the reference the shortcut must agree with.
    static func rounded(_ text: String, shift: Int) -> String? {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var point: Int?
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte - UInt8(ascii: "0"))
            } else if byte == UInt8(ascii: ".") && point == nil {
                point = digits.count
            } else {
                break
            }
            index += 1
        }
        guard !digits.isEmpty, digits.count <= 1000 else { return nil }
        var exponent = 0
        if index < bytes.endIndex {
            guard bytes[index] == UInt8(ascii: "E") || bytes[index] == UInt8(ascii: "e") else { return nil }
            guard let value = Int(String(decoding: bytes[(index + 1)...], as: UTF8.self)), abs(value) <= 400 else { return nil }
            exponent = value
        }
        // value = 0.d1d2d3… × 10^position, with position counted from the first digit.
        var position = (point ?? digits.count) + exponent + shift
        while let first = digits.first, first == 0 {
            digits.removeFirst()
            position -= 1
        }
        if digits.isEmpty { return "0" }
        if digits.count > significantDigits {
            let roundUp = digits[significantDigits] >= 5
            digits.removeLast(digits.count - significantDigits)
            if roundUp {
                var carry = significantDigits - 1
                while carry >= 0 {
                    if digits[carry] == 9 {
                        digits[carry] = 0
                        carry -= 1
                    } else {
                        digits[carry] += 1
                        break
                    }
                }
                if carry < 0 {
                    digits.insert(1, at: 0)
                    digits.removeLast()
                    position += 1
                }
            }
        }
        while let last = digits.last, last == 0 { digits.removeLast() }
        var result = negative ? "-" : ""
        let characters = digits.map { Character(Unicode.Scalar($0 + 48)) }
        if position <= 0 {
            result += "0." + String(repeating: "0", count: -position) + String(characters)
        } else if position >= characters.count {
            result += String(characters) + String(repeating: "0", count: position - characters.count)
        } else {
            result += String(characters[0..<position]) + "." + String(characters[position...])
        }
        return result
    }

    /// Whether a stored number is already what `decimal` would make of it: at most 15 digits, an
    /// optional minus, no exponent, no leading zero before other digits, no trailing zero or point
    /// after a point. Most cells are, and skip the digit work.
    static func isPlain(_ text: String) -> Bool {
        var utf8 = text.utf8[...]
        guard utf8.count <= 16 else { return false }
        if utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
        guard let first = utf8.first, first != UInt8(ascii: ".") else { return false }
        var digits = 0
        var point = false
        for byte in utf8 {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
            } else if byte == UInt8(ascii: ".") && !point {
                point = true
            } else {
                return false
            }
        }
        guard digits <= 15 else { return false }
        // A leading zero is plain only as "0" itself or "0.x" without a minus ("-0" reads as 0).
        if first == UInt8(ascii: "0") && utf8.count > 1 {
            guard utf8.dropFirst().first == UInt8(ascii: "."), text.utf8.first != UInt8(ascii: "-") else { return false }
        }
        if first == UInt8(ascii: "0") && utf8.count == 1 && text.utf8.first == UInt8(ascii: "-") { return false }
        if point, let last = utf8.last, last == UInt8(ascii: "0") || last == UInt8(ascii: ".") { return false }
        // "0.05" is plain; "0.0" was refused above by its trailing zero.
        return true
    }

    /// The day a serial date number stands for, or why it stands for none.
    public static func day(serial text: String, date1904: Bool) -> Result<Day, SheetError> {
        guard let exact = decimal(text) else {
            return .failure(
                SheetError("'\(DisplayText.value(text))' is not a date number", da: "'\(DisplayText.value(text))' er ikke et datotal"))
        }
        let whole = exact.split(separator: ".").first.map(String.init) ?? exact
        guard !whole.hasPrefix("-"), let serial = Int(whole), serial <= 2_958_465 else {
            return .failure(
                SheetError(
                    "the date number \(DisplayText.value(exact)) is outside the dates a spreadsheet can show (1900 to 9999)",
                    da: "datotallet \(DisplayText.value(exact)) ligger uden for de datoer, et regneark kan vise (1900 til 9999)"))
        }
        let day: Int
        if date1904 {
            day = daysFromCivil(1904, 1, 1) + serial
        } else {
            if serial == 60 {
                return .failure(
                    SheetError(
                        "the date number 60 is 1900-02-29, a day that never was (a spreadsheet's leap-year error); type the date again",
                        da: "datotallet 60 er 1900-02-29, en dag, der aldrig fandtes (et regnearks skudårsfejl); skriv datoen igen"))
            }
            guard serial > 0 else {
                return .failure(
                    SheetError("the date number 0 is no day in the 1900 system", da: "datotallet 0 er ingen dag i 1900-systemet"))
            }
            day = daysFromCivil(1899, 12, 31) + serial - (serial > 60 ? 1 : 0)
        }
        let (year, month, date) = civilFromDays(day)
        guard let result = Day(year: year, month: month, day: date) else {
            return .failure(SheetError("the date number \(serial) is no day", da: "datotallet \(serial) er ingen dag"))
        }
        return .success(result)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a count of days since 1970-01-01.
    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPart = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPart + 2) / 5 + 1
        let month = monthPart < 10 ? monthPart + 3 : monthPart - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
