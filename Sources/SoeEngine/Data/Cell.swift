import SoeLanguage

/// One raw field of firm data before it is read as an input: from JSON it keeps its JSON kind,
/// from CSV every cell is text.
public enum Cell: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A JSON number, exactly as written.
    case number(String)
    case text(String)
}

/// How numbers are written in text cells.
public enum NumberStyle: Sendable, Equatable {
    /// `1234567.50`: JSON and RFC 4180 CSV.
    case point
    /// `1234567,50` or `1.234.567,50`: what Danish Excel writes.
    case danishComma
}

/// Reads raw cells as typed input values, with a reason a caseworker understands when it cannot.
///
/// The rules are the documented data format (docs/formats.md, "Firm data"): money is kroner with at most
/// two decimals (øre); a percent is given in percentage points (`50` or `"50 %"` is 50 %);
/// a count is a whole number of people; yes/no is `true`/`false` (or `yes`/`no`, `ja`/`nej` in text);
/// a date is `YYYY-MM-DD`; a choice is one of the declared names. `null` or an empty CSV cell
/// means the value is missing, which the evaluator treats as unknown, never as zero.
public enum CellReader {
    /// The input's value, nil when missing, or the reason it cannot be read.
    public static func read(
        _ cell: Cell, as input: InputDefinition, choices: [[String]],
        style: NumberStyle = .point
    ) -> Result<Scalar?, CellError> {
        let result = convert(cell, type: input.type, choices: choices, style: style)
        guard case .success(.some(.number(let value))) = result else { return result }
        if let minimum = input.minimum, value < minimum {
            return .failure(
                CellError(
                    "\(show(value, input.type)) is below the minimum \(show(minimum, input.type))",
                    da: "\(show(value, input.type)) er under minimum \(show(minimum, input.type))"))
        }
        if let maximum = input.maximum, value > maximum {
            return .failure(
                CellError(
                    "\(show(value, input.type)) is above the maximum \(show(maximum, input.type))",
                    da: "\(show(value, input.type)) er over maksimum \(show(maximum, input.type))"))
        }
        return result
    }

    static func show(_ value: Exact, _ type: ValueType) -> String {
        switch type {
        case .money: return value.exactText(minPlaces: 2) + " kr"
        case .percent:
            let points = value.multiplying(Exact(integer: 100)) ?? value
            return points.exactText() + " %"
        default: return value.exactText()
        }
    }

    static func convert(_ cell: Cell, type: ValueType, choices: [[String]], style: NumberStyle) -> Result<Scalar?, CellError> {
        switch cell {
        case .null: return .success(nil)
        case .text(let text) where text.isEmpty && style == .danishComma: return .success(nil)
        default: break
        }
        switch type {
        case .money: return readNumber(cell, style: style, maxPlaces: 2, what: "an amount in kroner", example: "1234567.50")
        case .number: return readNumber(cell, style: style, maxPlaces: 30, what: "a number", example: "12.5")
        case .count:
            let number = readNumber(cell, style: style, maxPlaces: 30, what: wholeNumber, example: "12")
            if case .success(.some(.number(let value))) = number {
                if !value.isInteger {
                    return .failure(
                        CellError(
                            "a count is a whole number, not \(value.exactText())", da: "et antal er et helt tal, ikke \(value.exactText())")
                    )
                }
                if value.isNegative { return .failure(CellError("a count cannot be negative", da: "et antal kan ikke være negativt")) }
            }
            return number
        case .percent:
            var percentCell = cell
            if case .text(let text) = cell {
                var trimmed = text.trimmingSpaces()
                if trimmed.hasSuffix("%") { trimmed = String(trimmed.dropLast()).trimmingSpaces() }
                percentCell = .text(trimmed)
            }
            let points = readNumber(percentCell, style: style, maxPlaces: 28, what: "a percent", example: "35 or \"35 %\"")
            guard case .success(.some(.number(let value))) = points else { return points }
            guard let fraction = value.dividing(Exact(integer: 100)) else {
                return .failure(CellError("the percent is outside the exact range", da: "procenten er uden for det eksakte område"))
            }
            return .success(.number(fraction))
        case .bool:
            switch cell {
            case .bool(let value): return .success(.bool(value))
            case .text(let text):
                switch text.trimmingSpaces().lowercased() {
                case "yes", "ja", "true", "1": return .success(.bool(true))
                case "no", "nej", "false", "0": return .success(.bool(false))
                default:
                    return .failure(
                        CellError(
                            "expected yes or no (true/false, ja/nej), found \"\(DisplayText.value(text))\"",
                            da: "forventede ja eller nej (true/false, ja/nej), fandt \"\(DisplayText.value(text))\""))
                }
            default:
                return .failure(
                    CellError(
                        "expected yes or no (true/false), found \(describe(cell))",
                        da: "forventede ja eller nej (true/false), fandt \(describe(cell))"))
            }
        case .date:
            guard case .text(let text) = cell else {
                return .failure(
                    CellError(
                        "expected a date \"YYYY-MM-DD\", found \(describe(cell))",
                        da: "forventede en dato \"ÅÅÅÅ-MM-DD\", fandt \(describe(cell))"))
            }
            guard let day = Day(iso: text.trimmingSpaces()) else {
                return .failure(
                    CellError(
                        "\"\(DisplayText.value(text))\" is not a date in the form YYYY-MM-DD",
                        da: "\"\(DisplayText.value(text))\" er ikke en dato på formen ÅÅÅÅ-MM-DD"))
            }
            return .success(.date(day))
        case .text:
            switch cell {
            case .text(let text): return .success(.text(text))
            default:
                return .failure(
                    CellError(
                        "expected text in quotes, found \(describe(cell))", da: "forventede tekst i anførselstegn, fandt \(describe(cell))")
                )
            }
        case .choice(let set):
            guard case .text(let raw) = cell else {
                return .failure(
                    CellError(
                        "expected one of \(choices[set].joined(separator: ", ")), found \(describe(cell))",
                        da: "forventede en af \(choices[set].joined(separator: ", ")), fandt \(describe(cell))"))
            }
            let text = raw.trimmingSpaces()
            if let index = choices[set].firstIndex(of: text) { return .success(.choice(index)) }
            if let index = choices[set].firstIndex(where: { $0.lowercased() == text.lowercased() }) {
                return .success(.choice(index))
            }
            let suggestion = closestWord(to: text, in: choices[set])
            return .failure(
                CellError(
                    "\"\(DisplayText.value(text))\" is not one of \(choices[set].joined(separator: ", "))"
                        + (suggestion.map { "; did you mean \($0)?" } ?? ""),
                    da: "\"\(DisplayText.value(text))\" er ikke en af \(choices[set].joined(separator: ", "))"
                        + (suggestion.map { "; mente du \($0)?" } ?? "")))
        }
    }

    /// The Danish name of what was expected, for the Danish form of a message.
    static func danish(_ what: String) -> String {
        switch what {
        case "an amount in kroner": "et beløb i kroner"
        case "a number": "et tal"
        case "a whole number": "et helt tal"
        case "a percent": "en procent"
        default: what
        }
    }

    static func describe(_ cell: Cell) -> String {
        switch cell {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let text): "the number \(DisplayText.value(text))"
        case .text(let text): "\"\(DisplayText.value(text))\""
        }
    }

    static let wholeNumber = "a whole number"

    /// Reads a number from a JSON number or a text cell, exactly.
    static func readNumber(_ cell: Cell, style: NumberStyle, maxPlaces: Int, what: String, example: String) -> Result<Scalar?, CellError> {
        let text: String
        switch cell {
        case .number(let lexeme): text = lexeme
        case .text(let raw):
            let trimmed = raw.trimmingSpaces()
            if trimmed.isEmpty { return .success(nil) }
            guard let normalized = normalize(trimmed, style: style) else {
                // A whole number has no decimal mark to explain.
                let danishHint =
                    what == wholeNumber
                    ? "skriv \(danish(what)) med cifre og uden separatorer, fx \(example)"
                    : style == .point
                        ? "skriv \(danish(what)) med decimalpunktum og uden tusindtalsseparator, fx \(example)"
                        : "skriv \(danish(what)) med decimalkomma, fx 1234567,50"
                let hint =
                    what == wholeNumber
                    ? "write \(what) in digits, without separators, e.g. \(example)"
                    : style == .point
                        ? "write \(what) with a decimal point and no thousands separators, e.g. \(example)"
                        : "write \(what) with a decimal comma, e.g. 1234567,50"
                return .failure(
                    CellError(
                        "\"\(DisplayText.value(raw))\" is not \(what); \(hint)",
                        da: "\"\(DisplayText.value(raw))\" er ikke \(danish(what)); \(danishHint)"))
            }
            text = normalized
        default:
            return .failure(
                CellError("expected \(what), found \(describe(cell))", da: "forventede \(danish(what)), fandt \(describe(cell))"))
        }
        switch Exact.parseWithPlaces(Substring(text)) {
        case .failure(let failure):
            return .failure(
                CellError(
                    "\(DisplayText.value(text)) cannot be read exactly: \(failure.message)",
                    da: "\(DisplayText.value(text)) kan ikke læses eksakt: \(failure.message)"))
        case .success(let (value, places)):
            if places > maxPlaces {
                return .failure(
                    maxPlaces == 2
                        ? CellError(
                            "\(DisplayText.value(text)) has more than two decimals; money is kroner and øre",
                            da: "\(DisplayText.value(text)) har mere end to decimaler; beløb er kroner og øre")
                        : CellError(
                            "\(DisplayText.value(text)) has more than \(maxPlaces) decimals",
                            da: "\(DisplayText.value(text)) har mere end \(maxPlaces) decimaler"))
            }
            return .success(.number(value))
        }
    }

    /// Turns text in the given style into a plain decimal for `Exact.parse`, or nil if malformed.
    static func normalize(_ text: String, style: NumberStyle) -> String? {
        var bytes = Array(text.utf8)
        // A Unicode minus sign from a word processor.
        if bytes.starts(with: [0xE2, 0x88, 0x92]) { bytes = [UInt8(ascii: "-")] + bytes.dropFirst(3) }
        var body = bytes[...]
        var sign: [UInt8] = []
        if let first = body.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            sign = [first]
            body = body.dropFirst()
        }
        let decimalMark = style == .point ? UInt8(ascii: ".") : UInt8(ascii: ",")
        let groupMark = style == .point ? nil : UInt8(ascii: ".")
        var integerPart: [UInt8] = []
        var fraction: [UInt8]?
        var groups: [Int] = [0]
        for byte in body {
            if byte >= 0x30 && byte <= 0x39 {
                if fraction != nil {
                    fraction?.append(byte)
                } else {
                    integerPart.append(byte)
                    groups[groups.count - 1] += 1
                }
            } else if byte == decimalMark && fraction == nil {
                fraction = []
            } else if let groupMark, byte == groupMark, fraction == nil {
                groups.append(0)
            } else {
                return nil
            }
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

/// Why a cell could not be read: lower case, no full stop, naming the value and what was expected;
/// in English, and in Danish for the caseworker who runs with `--lang da`.
public struct CellError: Error, Sendable, Equatable, BilingualMessage {
    public let message: String
    public let danish: String?
    public init(_ message: String, da danish: String? = nil) {
        self.message = message
        self.danish = danish
    }
}
