// Numbers as people write them, and as the rule language reads them.
//
// The language has one way to write a number: digits, `_` between digits to group them, and one
// decimal point (`1_234_567.50`). People write others: a Dane writes one thousand as `1.000` and
// one and a half as `1,5`; a spreadsheet exports `1e3`. None of them is ever read silently. A
// spelling the language would read differently from what a Dane means (`1.000 kr`: one thousand,
// or 1.00 kr?) is an error that shows both readings (E007); a spelling the language does not have
// at all (`1,5`, `1.000.000`, `1e3`) is an error that says what was meant and how to write it
// (E008). The rule is documented in docs/hardening.md, "Danish number habits".

extension Lexer {
    /// The unit written after a number, for messages that show a reading with its unit.
    enum WrittenUnit {
        case none, kroner, percent

        var suffix: String {
            switch self {
            case .none: ""
            case .kroner: " kr"
            case .percent: " %"
            }
        }
    }

    /// Lexes a number from `start`: digits, `_` between digits, and any `.` or `,` followed by a
    /// digit, then an exponent if one is written. The common form is one token and no work; every
    /// other form is one token too, so that one mistake gives one message, not a cascade.
    mutating func lexNumber(start: Int, startsLine: Bool, atMargin: Bool) -> Token {
        var marks = 0
        var commas = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                index += 1
            } else if byte == UInt8(ascii: "_"), isDigit(1), index > start {
                index += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ","), isDigit(1) {
                marks += 1
                if byte == UInt8(ascii: ",") { commas += 1 }
                index += 1
            } else {
                break
            }
        }
        let mantissaEnd = index
        if fastPaths, marks == 0, index == bytes.count || (bytes[index] | 0x20) != UInt8(ascii: "e") {
            // Digits (and `_` between them) with no exponent after them: the general way below
            // reports nothing for them and gives the token no text.
            return Token(kind: .number, range: start..<index, startsLine: startsLine, atMargin: atMargin)
        }
        let exponent = lexExponent()
        let written = file.text(start..<index)
        let digits = String(file.text(start..<mantissaEnd).filter { $0 != "_" })
        func token(_ text: String = "") -> Token {
            Token(kind: .number, range: start..<index, startsLine: startsLine, atMargin: atMargin, text: text)
        }
        let unit = unitAfter(index)
        if let exponent {
            reportExponent(written, mantissa: digits, exponent: exponent, unit: unit, range: start..<index)
            return token(commas == 0 && marks <= 1 ? digits : "0")
        }
        if commas == 0 && marks <= 1 {
            if let reading = AmbiguousThousands(digits) { reportAmbiguous(reading, written: written, unit: unit, range: start..<index) }
            return token()
        }
        let danish = NumberSpelling.plain(digits, group: ".", decimal: ",")
        let english = NumberSpelling.plain(digits, group: ",", decimal: ".")
        let range = start..<index
        switch (danish, english) {
        case (let danish?, let english?) where danish != english:
            diagnostics.error(
                .ambiguousNumber,
                "'\(written)\(unit.suffix)' could mean \(NumberSpelling.unambiguous(english))\(unit.suffix) (a comma grouping "
                    + "thousands) or \(NumberSpelling.unambiguous(danish))\(unit.suffix) (a Danish decimal comma); "
                    + "write \(NumberSpelling.unambiguous(english))\(unit.suffix) or \(NumberSpelling.unambiguous(danish))\(unit.suffix)",
                da:
                    "'\(written)\(unit.suffix)' kan betyde \(NumberSpelling.unambiguous(english))\(unit.suffix) (komma som tusindtalsadskiller) "
                    + "eller \(NumberSpelling.unambiguous(danish))\(unit.suffix) (dansk decimalkomma); "
                    + "skriv \(NumberSpelling.unambiguous(english))\(unit.suffix) eller \(NumberSpelling.unambiguous(danish))\(unit.suffix)",
                at: span(range))
            return token(danish)
        case (let reading?, _), (nil, let reading?):
            let fixed = NumberSpelling.unambiguous(reading)
            let why: String
            let hvorfor: String
            if danish != nil && marks == commas {
                why = "is written with a decimal comma; rule files write decimals with a point"
                hvorfor = "er skrevet med decimalkomma; i regelfiler skrives decimaler med punktum"
            } else if danish != nil && commas > 0 {
                why =
                    "is written the Danish way, with thousands points and a decimal comma; rule files write a decimal point and no thousands separator"
                hvorfor =
                    "er skrevet på dansk med tusindtalspunktum og decimalkomma; i regelfiler skrives decimalpunktum og ingen tusindtalsadskiller"
            } else if danish != nil {
                why = "groups thousands with points, as Danes write; rule files write no thousands separator"
                hvorfor = "har punktum mellem tusinderne, som man skriver på dansk; i regelfiler skrives ingen tusindtalsadskiller"
            } else {
                why = "groups thousands with commas; rule files write no thousands separator"
                hvorfor = "har komma mellem tusinderne; i regelfiler skrives ingen tusindtalsadskiller"
            }
            var notes: [DiagnosticNote] = []
            if commas == 1 && marks == 1 {
                notes.append(
                    DiagnosticNote(
                        message: "if these are two values in a list, put a space after the comma",
                        danish: "hvis det er to værdier i en liste, så sæt et mellemrum efter kommaet", span: nil))
            }
            // `= 0,25` for a percent: the point alone would give E205 next (a fraction compared
            // with a percent); both readings are named here, where the number is written.
            if unit == .none, reading.hasPrefix("0."), case .success(let value) = Exact.parse(Substring(reading)),
                let points = value.multiplying(Exact(integer: 100))
            {
                notes.append(
                    DiagnosticNote(
                        message: "if it is a percent, write \(points.exactText()) % for the fraction \(reading), or \(reading) %",
                        danish: "er det en procent, så skriv \(points.danishExactText()) % for brøken \(reading), eller \(reading) %",
                        span: nil))
            }
            diagnostics.error(
                .numberNotation, "'\(written)' \(why): write \(fixed)", da: "'\(written)' \(hvorfor): skriv \(fixed)", at: span(range),
                notes: notes, fixIts: [FixIt(message: "write \(fixed)", danish: "skriv \(fixed)", range: range, replacement: fixed)])
            return token(reading)
        case (nil, nil):
            diagnostics.error(
                .malformedNumber, "'\(written)' is not a number; write digits with at most one decimal point, e.g. 1234567.50",
                da: "'\(written)' er ikke et tal; skriv cifre med højst ét decimalpunktum, fx 1234567.50", at: span(range))
            return token("0")
        }
    }

    /// The exponent after a mantissa (`e3`, `E-2`, `e+6`), consumed; nil when none is written.
    mutating func lexExponent() -> Int?? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") else { return nil }
        var offset = 1
        var negative = false
        if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            offset = 2
        }
        guard isDigit(offset) else { return nil }
        index += offset
        var value: Int? = 0
        while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 {
            if let current = value {
                let next = current * 10 + Int(bytes[index] - 0x30)
                value = next > 1_000 ? nil : next
            }
            index += 1
        }
        return .some(value.map { negative ? -$0 : $0 })
    }

    /// The unit written after the number ending at `end`: `%`, or the word `kr`, after blanks.
    func unitAfter(_ end: Int) -> WrittenUnit {
        var i = end
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        guard i < bytes.count else { return .none }
        if bytes[i] == UInt8(ascii: "%") { return .percent }
        if bytes[i] == UInt8(ascii: "k"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "r"),
            i + 2 == bytes.count || !isWordContinue(at: i + 2)
        {
            return .kroner
        }
        return .none
    }

    mutating func reportExponent(_ written: String, mantissa: String, exponent: Int?, unit: WrittenUnit, range: Range<Int>) {
        var fixed: String?
        if let exponent, abs(exponent) <= 30, case .success(let value) = Exact.parse(Substring(mantissa)) {
            let scale = Exact(integer: Int128(Exact.powersOfTen[abs(exponent)]))
            let scaled = exponent >= 0 ? value.multiplying(scale) : value.dividing(scale)
            fixed = scaled.map { NumberSpelling.unambiguous($0.exactText()) }
        }
        guard let fixed else {
            diagnostics.error(
                .numberNotation, "'\(written)' is exponent notation, which rule files do not use, and it is beyond the exact range",
                da: "'\(written)' er skrevet med eksponent, som regelfiler ikke bruger, og tallet er uden for det eksakte område",
                at: span(range))
            return
        }
        diagnostics.error(
            .numberNotation, "'\(written)' is exponent notation, which rule files do not use: write \(fixed)\(unit.suffix)",
            da: "'\(written)' er skrevet med eksponent, som regelfiler ikke bruger: skriv \(fixed)\(unit.suffix)",
            at: span(range), fixIts: [FixIt(message: "write \(fixed)", danish: "skriv \(fixed)", range: range, replacement: fixed)])
    }

    mutating func reportAmbiguous(_ reading: AmbiguousThousands, written: String, unit: WrittenUnit, range: Range<Int>) {
        let thousands = reading.thousands + unit.suffix
        let shown = "'\(written)\(unit.suffix)'"
        let grouping = "a point grouping thousands, as Danes write"
        if unit == .kroner, !reading.hasWholeOreReading {
            diagnostics.error(
                .ambiguousNumber,
                "\(shown) could mean \(thousands) (\(grouping)), or \(written) kr, which is not a whole number of øre; "
                    + "write \(thousands) if a thousands point was meant",
                da: "\(shown) kan betyde \(thousands) (punktum som tusindtalsadskiller, som man skriver på dansk), eller \(written) kr, "
                    + "som ikke er et helt antal øre; skriv \(thousands), hvis punktummet skulle adskille tusinder",
                at: span(range))
            return
        }
        let decimal = (unit == .kroner ? reading.decimalMoney : reading.decimal) + unit.suffix
        diagnostics.error(
            .ambiguousNumber,
            "\(shown) could mean \(thousands) (\(grouping)) or \(decimal) (a decimal point); "
                + "write \(thousands) if a thousands point was meant, or \(decimal)",
            da: "\(shown) kan betyde \(thousands) (punktum som tusindtalsadskiller, som man skriver på dansk) eller \(decimal) "
                + "(decimalpunktum); skriv \(thousands), hvis punktummet skulle adskille tusinder, ellers \(decimal)",
            at: span(range))
    }
}

/// A number written `1.000`: one to three digits, not starting with 0, a point and exactly three
/// digits. The language would read a decimal point (1.000 = 1); a Dane means a thousands point
/// (1.000 = 1000). Both readings are plausible, so the language refuses to choose. `0.125`,
/// `1234.500` and `1.50` have only one reading and are not refused.
struct AmbiguousThousands {
    let integer: Substring
    let fraction: Substring

    init?(_ digits: String) {
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...3).contains(parts[0].count), parts[0].first != "0", parts[1].count == 3 else { return nil }
        (integer, fraction) = (parts[0], parts[1])
    }

    /// The thousands reading: `1000`.
    var thousands: String { String(integer + fraction) }
    /// The decimal reading, spelled so that it is not ambiguous itself: `1.0`, `12.5`, `1.0050`.
    var decimal: String { NumberSpelling.unambiguous(String(integer + "." + fraction)) }
    /// Whether the decimal reading is a whole number of øre: the third decimal is 0.
    var hasWholeOreReading: Bool { fraction.last == "0" }
    /// The decimal reading as an amount: `1.00`.
    var decimalMoney: String { String(integer + "." + fraction.prefix(2)) }
}

/// Spelling numbers the way the rule language reads them.
enum NumberSpelling {
    /// The plain decimal (`1234.5`) of a number written with `group` between thousands and
    /// `decimal` before the fraction, or nil when it is not written that way: groups after the
    /// first are three digits, the first one to three digits and not a lone 0 before a group.
    static func plain(_ text: String, group: Character, decimal: Character) -> String? {
        let halves = text.split(separator: decimal, omittingEmptySubsequences: false)
        guard halves.count <= 2, !halves[0].isEmpty else { return nil }
        if halves.count == 2 && (halves[1].isEmpty || halves[1].contains(group)) { return nil }
        let groups = halves[0].split(separator: group, omittingEmptySubsequences: false)
        if groups.count > 1 {
            guard (1...3).contains(groups[0].count), groups[0].first != "0", groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return nil
            }
        }
        let integer = groups.joined()
        return halves.count == 2 ? integer + "." + halves[1] : integer
    }

    /// A plain decimal as the language should be given it: as written (`1234.50`, `0.00`: an amount
    /// keeps its øre) where that cannot be read as a Danish thousands point; else trailing zeros of
    /// the fraction dropped (one kept), and a 0 added when what is left still would (`1.500` is
    /// given as `1.5`, `1.250` as `1.25`).
    static func unambiguous(_ plain: String) -> String {
        guard let point = plain.firstIndex(of: ".") else { return plain }
        if AmbiguousThousands(plain.hasPrefix("-") ? String(plain.dropFirst()) : plain) == nil { return plain }
        var fraction = plain[plain.index(after: point)...]
        while fraction.count > 1, fraction.last == "0" { fraction = fraction.dropLast() }
        let spelled = String(plain[..<point]) + "." + fraction
        let digits = spelled.hasPrefix("-") ? String(spelled.dropFirst()) : spelled
        return AmbiguousThousands(digits) == nil ? spelled : spelled + "0"
    }
}
