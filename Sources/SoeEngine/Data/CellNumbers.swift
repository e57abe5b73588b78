import SoeLanguage

// Numbers in cells: money, counts, plain numbers and percentages, exactly, in the number style of
// the file, with the marks Danish spreadsheets write around them (`kr.`, `%`, no-break spaces).
// A message names what was found, as written, and what that column's type expects, with an
// example in the file's own style: a percent example for a percent, never an amount.

/// What a cell of each type is expected to hold, for messages: "an amount in kroner, such as
/// 4.200.000,50 kr.", in English and Danish.
struct Expected: Sendable {
    let english: String
    let danish: String

    static let bool = Expected(
        english: "yes or no (ja/nej, sand/falsk, true/false)", danish: "ja eller nej (ja/nej, sand/falsk, true/false)")
    static let date = Expected(
        english: "a date such as 2024-06-30, 30-06-2024 or 30.06.2024", danish: "en dato som 2024-06-30, 30-06-2024 eller 30.06.2024")

    /// What a numeric type expects, with an example written in `style`.
    static func number(_ type: ValueType, style: NumberStyle) -> Expected {
        let comma = style == .danishComma
        switch type {
        case .money:
            let example = comma ? "4.200.000,50 kr." : "4200000.50"
            return Expected(english: "an amount in kroner, such as \(example)", danish: "et beløb i kroner, fx \(example)")
        case .percent:
            let example = comma ? "12,5 %" : "12.5 %"
            return Expected(english: "a percent, such as \(example)", danish: "en procent, fx \(example)")
        case .count:
            return Expected(english: "a whole number, such as 12", danish: "et helt tal, fx 12")
        default:
            let example = comma ? "12,5" : "12.5"
            return Expected(english: "a number, such as \(example)", danish: "et tal, fx \(example)")
        }
    }
}

extension CellReader {
    /// Reads a money, count, number or percent cell: a JSON number as written, or text in `style`
    /// with the marks its type allows (`kr`/`kr.`/`DKK` for money, `%` for a percent).
    static func readNumeric(_ cell: Cell, type: ValueType, style: NumberStyle, percent: PercentReading?) -> Result<Scalar?, CellError> {
        let expected = Expected.number(type, style: style)
        let text: String
        var hasPercentSign = false
        switch cell {
        case .number(let lexeme): text = lexeme
        case .text(let raw):
            var body = CellForms.trimmed(raw)
            if body.isEmpty { return .success(nil) }
            if type == .percent { (body, hasPercentSign) = CellForms.percentSign(body) }
            if type == .money { body = CellForms.currency(body).body }
            if type == .count, let refusal = countWithDecimalMark(body, style: style) { return .failure(refusal) }
            guard let normalized = normalize(body, style: style) else {
                return .failure(notWritten(raw, type: type, style: style, expected: expected))
            }
            text = normalized
        default:
            return .failure(
                CellError(
                    "expected \(expected.english), found \(describe(cell))", da: "forventede \(expected.danish), fandt \(describe(cell))"))
        }
        let maxPlaces = type == .money ? 2 : (type == .percent ? 28 : 30)
        let value: Exact
        switch Exact.parseWithPlaces(Substring(text)) {
        case .failure(let failure):
            return .failure(
                CellError(
                    "\(DisplayText.value(text)) cannot be read exactly: \(failure.message)",
                    da: "\(DisplayText.value(text)) kan ikke læses eksakt: \(failure.message)"))
        case .success(let (parsed, places)):
            if places > maxPlaces {
                // As the cell was written (`1,000` in a Danish file, not the `1.000` it was read as);
                // three decimals after a comma may be an English thousands comma.
                var written = DisplayText.value(text)
                var english = ""
                var danish = ""
                if case .text(let raw) = cell {
                    written = "\"\(DisplayText.value(CellForms.trimmed(raw)))\""
                    if style == .danishComma,
                        let (thousands, _) = DecimalMark.markOrThousands(Substring(CellForms.currency(CellForms.trimmed(raw)).body))
                    {
                        english = "; if \(thousands) kr is meant (a comma between thousands, as English writes), write \(thousands)"
                        danish = "; menes \(thousands) kr (komma mellem tusinder, som på engelsk), så skriv \(thousands)"
                    }
                }
                return .failure(
                    maxPlaces == 2
                        ? CellError(
                            "\(written) has more than two decimals; money is kroner and øre\(english)",
                            da: "\(written) har mere end to decimaler; beløb er kroner og øre\(danish)")
                        : CellError(
                            "\(DisplayText.value(text)) has more than \(maxPlaces) decimals",
                            da: "\(DisplayText.value(text)) har mere end \(maxPlaces) decimaler"))
            }
            value = parsed
        }
        switch type {
        case .count:
            if !value.isInteger {
                return .failure(
                    CellError(
                        "a count is a whole number, not \(value.exactText())",
                        da: "et antal er et helt tal, ikke \(value.danishExactText())"))
            }
            if value.isNegative { return .failure(CellError("a count cannot be negative", da: "et antal kan ikke være negativt")) }
            return .success(.number(value))
        case .percent:
            return percentValue(value, hasSign: hasPercentSign, style: style, percent: percent)
        default:
            return .success(.number(value))
        }
    }

    /// A count written with the file's decimal mark before three digits (`8.000` where decimals
    /// are written with a point, `8,000` where with a comma): as a decimal it is 8 (or not a whole
    /// number, `12.500`), but a count has no decimals, and the same text is eight thousand with the
    /// mark between thousands, as the other half of Denmark's spreadsheets write it. Refused with
    /// both readings, never read as either.
    static func countWithDecimalMark(_ body: String, style: NumberStyle) -> CellError? {
        let decimalMark: Character = style == .danishComma ? "," : "."
        guard body.contains(decimalMark), let (thousands, decimal) = DecimalMark.markOrThousands(Substring(body)) else { return nil }
        let written = DisplayText.value(body)
        let (mark, markDa) = style == .danishComma ? ("comma", "komma") : ("point", "punktum")
        let decimalDa = DecimalMark.withDecimalComma(decimal)
        guard !decimal.contains(".") else {
            // `12.500`: not a whole number as a decimal, so only the thousands reading is a count.
            return CellError(
                "\"\(written)\" with a decimal \(mark) is \(decimal), not a whole number; a count is written without a mark: "
                    + "if \(thousands) is meant (a \(mark) between thousands), write \(thousands)",
                da: "\"\(written)\" med decimal\(markDa) er \(decimalDa), ikke et helt tal; et antal skrives uden skilletegn: "
                    + "menes \(thousands) (\(markDa) mellem tusinder), så skriv \(thousands)")
        }
        return CellError(
            "\"\(written)\" could be \(thousands) (a \(mark) between thousands) or \(decimal) (a decimal \(mark)); "
                + "a count is a whole number, written without a mark: write \(thousands) or \(decimal)",
            da: "\"\(written)\" kan være \(thousands) (\(markDa) mellem tusinder) eller \(decimalDa) (decimal\(markDa)); "
                + "et antal er et helt tal, skrevet uden skilletegn: skriv \(thousands) eller \(decimalDa)")
    }

    /// The share a percent cell stands for. With `%` the value is percentage points; without it,
    /// `percent` decides, and when it is nil, 0 is 0 % and a value beyond ±1 is percentage points
    /// (as a fraction it would be over 100 %), while one between is refused with both readings.
    static func percentValue(_ value: Exact, hasSign: Bool, style: NumberStyle, percent: PercentReading?) -> Result<Scalar?, CellError> {
        if !hasSign && percent == .fraction {
            // `--percent fraction` says every percent without `%` is a fraction; one beyond ±1
            // (`3.6`, a rate written in points beside the fractions) would be 360 %: refused.
            if value.numerator.magnitude > value.denominator.magnitude { return .failure(beyondFraction(value, style: style)) }
            return .success(.number(value))
        }
        if !hasSign && percent == nil && isPossibleFraction(value) {
            return .failure(ambiguousPercent(value, style: style))
        }
        guard let fraction = value.dividing(Exact(integer: 100)) else {
            return .failure(CellError("the percent is outside the exact range", da: "procenten er uden for det eksakte område"))
        }
        return .success(.number(fraction))
    }

    /// Whether a percent written without `%` could be a fraction as well as percentage points:
    /// not zero, and between -1 and 1.
    static func isPossibleFraction(_ value: Exact) -> Bool {
        !value.isZero && value.numerator.magnitude <= value.denominator.magnitude
    }

    /// A percent without its sign as written, and as the percent it is when read as a fraction
    /// (`0,1` and `10 %`), in the file's style.
    static func percentReadings(_ value: Exact, style: NumberStyle) -> (written: String, asFraction: String) {
        func written(_ number: Exact) -> String {
            let text = number.exactText()
            return style == .danishComma ? DecimalMark.withDecimalComma(text) : text
        }
        let asWritten = written(value)
        return (asWritten, (value.multiplying(Exact(integer: 100)).map(written) ?? asWritten) + " %")
    }

    /// The refusal of a percent that reads two ways, with both readings written in the file's style.
    static func ambiguousPercent(_ value: Exact, style: NumberStyle) -> CellError {
        let (asWritten, asFraction) = percentReadings(value, style: style)
        let asPoints = asWritten + " %"
        return CellError(
            "\(asWritten) could be \(asFraction) (a fraction, as a raw spreadsheet export writes it) or \(asPoints) "
                + "(percentage points); write \(asFraction) or \(asPoints), or give --percent fraction or --percent points for the whole file",
            da: "\(asWritten) kan være \(asFraction) (en brøkdel, som et rå regnearksudtræk skriver det) eller \(asPoints) "
                + "(procentpoint); skriv \(asFraction) eller \(asPoints), eller angiv --percent fraction eller --percent points for hele filen"
        )
    }

    /// The refusal of a percent beyond ±1 under `--percent fraction`, with both readings.
    static func beyondFraction(_ value: Exact, style: NumberStyle) -> CellError {
        let (asWritten, asFraction) = percentReadings(value, style: style)
        return CellError(
            "\(asWritten) read as a fraction (--percent fraction) is \(asFraction), beyond the -1 to 1 of a fraction; "
                + "if \(asWritten) % is meant, write \(asWritten) %; if \(asFraction) is, write \(asFraction)",
            da: "\(asWritten) læst som en brøkdel (--percent fraction) er \(asFraction), uden for en brøkdels -1 til 1; "
                + "menes \(asWritten) %, så skriv \(asWritten) %; menes \(asFraction), så skriv \(asFraction)")
    }

    /// Words, in lower case, that a cell holds where its figure is not known: Danish and English, as
    /// caseworkers' sheets are kept.
    static let missingWords: Set<String> = [
        "afventer", "afventes", "ukendt", "ukendte", "mangler", "manglende", "ikke oplyst", "ej oplyst", "ikke modtaget", "følger",
        "ved ikke", "ikke relevant", "i.r", "n/a", "na", "nan", "null", "none", "?", "??", "???", "pending", "unknown", "missing",
        "tbd", "tba", "not available", "not known",
    ]

    /// Why a text is not a number of its type: the text as found, and the type's example in `style`.
    static func notWritten(_ raw: String, type: ValueType, style: NumberStyle, expected: Expected) -> CellError {
        let found = DisplayText.value(raw)
        let (hint, danishHint) = hint(raw, type: type, style: style)
        return CellError(
            "\"\(found)\" is not \(expected.english); \(hint)", da: "\"\(found)\" er ikke \(expected.danish); \(danishHint)")
    }

    /// The fix for a cell that is not a number: for what is wrong with it where that can be told (a
    /// dash for nothing, a negative number in parentheses, a word beside the number, digits set
    /// apart by ordinary spaces), else how the type and the file's style write a number.
    static func hint(_ raw: String, type: ValueType, style: NumberStyle) -> (String, String) {
        let body = CellForms.trimmed(raw)
        if ["-", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}"].contains(body) {
            return (
                "a dash is no number: leave the cell empty where the figure is missing, or write 0",
                "en tankestreg er ikke et tal: lad cellen være tom, hvor tallet mangler, eller skriv 0"
            )
        }
        if body.count > 2 && body.hasPrefix("(") && body.hasSuffix(")") {
            return (
                "a negative number is written with a minus sign, as -1250, not in parentheses",
                "et negativt tal skrives med minus, som -1250, ikke i parentes"
            )
        }
        // A dash for a minus sign (`–5`, as a word processor turns `-5` into it), a minus after the
        // number (`5-`, as some accounting programs write it), digits of another script (`５`).
        if let first = body.unicodeScalars.first, ["\u{2012}", "\u{2013}", "\u{2014}"].contains(first),
            body.unicodeScalars.dropFirst().contains(where: { $0.properties.numericType != nil })
        {
            return (
                "write the minus sign as -, not as a dash: -\(String(body.unicodeScalars.dropFirst()))",
                "skriv minus som -, ikke som tankestreg: -\(String(body.unicodeScalars.dropFirst()))"
            )
        }
        // `1.250,-`: whole kroner as Danes write them on a price tag.
        if body.count > 2, body.hasSuffix(",-") || body.hasSuffix(".-"),
            body.dropLast(2).allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") })
        {
            let whole = String(body.dropLast(2))
            let digits = whole.filter(\.isNumber)
            let mark = String(body.suffix(2))
            // The øre as the file writes decimals: `1000.00` in JSON and point files, `1.000,00` in Danish ones.
            let withOere = style == .point ? digits + ".00" : whole + ",00"
            return (
                "'\(mark)' after whole kroner is not read: write \(digits) or \(withOere)",
                "'\(mark)' efter hele kroner læses ikke: skriv \(digits) eller \(withOere)"
            )
        }
        if body.count > 1, body.hasSuffix("-"), body.dropLast().allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }) {
            return ("write the minus sign before the number: -\(body.dropLast())", "skriv minus foran tallet: -\(body.dropLast())")
        }
        if body.unicodeScalars.contains(where: { $0.properties.numericType == .decimal && !$0.isASCII }) {
            let ascii = String(
                String.UnicodeScalarView(
                    body.unicodeScalars.map { scalar in
                        guard scalar.properties.numericType == .decimal, !scalar.isASCII, let value = scalar.properties.numericValue else {
                            return scalar
                        }
                        return Unicode.Scalar(UInt8(0x30 + Int(value)))
                    }))
            return (
                "write the digits 0 to 9 as a keyboard types them (\(ascii)), not digits of another script or width",
                "skriv cifrene 0 til 9, som et tastatur skriver dem (\(ascii)), ikke cifre fra en anden skrift eller bredde"
            )
        }
        // A percent where an amount belongs.
        if type == .money, CellForms.percentSign(body).body != body {
            return (
                "an amount is in kroner, not in percent: write the amount, as 1250 kr",
                "et beløb er i kroner, ikke i procent: skriv beløbet, som 1250 kr"
            )
        }
        // What is left when the marks the type allows are taken off.
        var bare = body
        if type == .percent { bare = CellForms.percentSign(bare).body }
        if type == .money { bare = CellForms.currency(bare).body }
        if bare.isEmpty {
            return (
                "the cell holds a mark without a number: write the number, or leave the cell empty where it is missing",
                "cellen har et tegn uden et tal: skriv tallet, eller lad cellen være tom, hvor det mangler"
            )
        }
        // A number with an exponent (`1e5`, `1,2E+06`), as a spreadsheet shows a large one.
        let scalars = Array(bare.unicodeScalars)
        if let e = scalars.firstIndex(where: { $0 == "e" || $0 == "E" }), e > 0, e + 1 < scalars.count,
            scalars[..<e].allSatisfy({ $0.properties.numericType != nil || $0 == "." || $0 == "," || $0 == "-" || $0 == "+" }),
            scalars[(e + 1)...].enumerated().allSatisfy({
                $0.element.properties.numericType != nil || ($0.offset == 0 && ($0.element == "-" || $0.element == "+"))
            }),
            scalars[(e + 1)...].contains(where: { $0.properties.numericType != nil })
        {
            return (
                "write the number out in full, without an exponent (1e5 is 100000), as the spreadsheet shows it when the column is made wider",
                "skriv tallet helt ud, uden eksponent (1e5 er 100000), som regnearket viser det, når kolonnen gøres bredere"
            )
        }
        // A word a spreadsheet is kept with where a figure is not known (`afventer`, `ukendt`, `n/a`):
        // the cell is to be empty, which the result reports as missing data, or 0 where there is none.
        var word = Substring(bare.lowercased())
        while word.last == "." { word = word.dropLast() }
        if missingWords.contains(String(word)) {
            return (
                "for a figure not known yet, leave the cell empty (the result then names it as missing data); where there is none, write 0",
                "er tallet ikke kendt endnu, så lad cellen være tom (resultatet nævner det så som en manglende oplysning); er der ingen, så skriv 0"
            )
        }
        // A number written as a word (`tolv`, `halvdelen`).
        if !bare.unicodeScalars.contains(where: { $0.properties.numericType != nil }) {
            switch type {
            case .percent: return ("write it in digits with a percent sign, as 30 %", "skriv det med cifre og et procenttegn, som 30 %")
            case .money: return ("write it in digits, as 1250 kr", "skriv det med cifre, som 1250 kr")
            default: return ("write it in digits, as 12", "skriv det med cifre, som 12")
            }
        }
        if bare.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) {
            switch type {
            case .percent:
                return (
                    "write the number and a percent sign, as 30 %, with no word beside it",
                    "skriv tallet og et procenttegn, som 30 %, uden ord ved siden af"
                )
            case .money:
                return ("write the amount alone, or with kr after it, as 1250 kr", "skriv beløbet alene eller med kr efter, som 1250 kr")
            default:
                return ("write the number alone, with no word beside it", "skriv tallet alene, uden ord ved siden af")
            }
        }
        if scalars.indices.dropFirst().dropLast().contains(where: {
            scalars[$0] == " " && scalars[$0 - 1].properties.numericType != nil && scalars[$0 + 1].properties.numericType != nil
        }) {
            return style == .danishComma && type != .count
                ? (
                    "write the digits without spaces between them, or with points between the thousands, as 1.250.000",
                    "skriv cifrene uden mellemrum imellem, eller med punktum mellem tusinderne, som 1.250.000"
                )
                : ("write the digits without spaces between them", "skriv cifrene uden mellemrum imellem")
        }
        if type == .count {
            return ("write it in digits, without separators", "skriv det med cifre og uden separatorer")
        } else if style == .point {
            return ("write it with a decimal point and no thousands separators", "skriv det med decimalpunktum og uden tusindtalsseparator")
        } else {
            return ("write it with a decimal comma", "skriv det med decimalkomma")
        }
    }

    /// Turns text in the given style into a plain decimal for `Exact.parse`, or nil if malformed.
    /// Digit groups may be set off by points (in the Danish style) or by no-break or narrow
    /// no-break spaces (in either style), one kind in one number.
    static func normalize(_ text: String, style: NumberStyle) -> String? {
        var bytes = Array(text.utf8)
        // A Unicode minus sign from a word processor.
        if bytes.starts(with: [0xE2, 0x88, 0x92]) { bytes = [UInt8(ascii: "-")] + bytes.dropFirst(3) }
        var sign: [UInt8] = []
        var index = 0
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            sign = [first]
            index = 1
        }
        let decimalMark = style == .point ? UInt8(ascii: ".") : UInt8(ascii: ",")
        let pointGroups = style == .danishComma
        var integerPart: [UInt8] = []
        var fraction: [UInt8]?
        var groups: [Int] = [0]
        // The group mark in use: a point, or 0x20 for either no-break space.
        var groupMark: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            var spaceLength = 0
            if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 { spaceLength = 2 }
            if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xAF { spaceLength = 3 }
            if byte >= 0x30 && byte <= 0x39 {
                if fraction != nil {
                    fraction?.append(byte)
                } else {
                    integerPart.append(byte)
                    groups[groups.count - 1] += 1
                }
            } else if byte == decimalMark && fraction == nil {
                fraction = []
            } else if fraction == nil, (pointGroups && byte == UInt8(ascii: ".")) || spaceLength > 0 {
                let mark = spaceLength > 0 ? 0x20 : byte
                if let groupMark, groupMark != mark { return nil }
                groupMark = mark
                groups.append(0)
                index += max(spaceLength, 1)
                continue
            } else {
                return nil
            }
            index += 1
        }
        if integerPart.isEmpty { return nil }
        if let fraction, fraction.isEmpty { return nil }
        // Thousands groups, if any, must be 1-3 digits then groups of exactly three.
        if groups.count > 1 {
            guard (1...3).contains(groups[0]), groups.dropFirst().allSatisfy({ $0 == 3 }) else { return nil }
        }
        var result = sign + integerPart
        if let fraction { result += [UInt8(ascii: ".")] + fraction }
        return String(decoding: result, as: UTF8.self)
    }
}
