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
/// two decimals (øre), optionally with `kr`, `kr.` or `DKK`; a percent is given in percentage points
/// (`50 %`, or `50`); a value without `%` between -1 and 1 could be a fraction and is refused unless
/// `percent` says how to read it; a count is a whole number of people; yes/no is `true`/`false`
/// (or `yes`/`no`, `ja`/`nej`, `sand`/`falsk` in text); a date is `YYYY-MM-DD`, `DD-MM-YYYY` or
/// `DD.MM.YYYY`; a choice is one of the declared names. `null` or an empty CSV cell means the value
/// is missing, which the evaluator treats as unknown, never as zero. The forms Danish spreadsheets
/// write are in `CellForms`.
public enum CellReader {
    /// The input's value, nil when missing, or the reason it cannot be read. `percent` says how a
    /// percent written without `%` is meant (`--percent`); nil refuses one that could be either.
    public static func read(
        _ cell: Cell, as input: InputDefinition, choices: [[String]],
        style: NumberStyle = .point, percent: PercentReading? = nil
    ) -> Result<Scalar?, CellError> {
        let result = convert(cell, type: input.type, choices: choices, style: style, percent: percent)
        guard case .success(.some(.number(let value))) = result else { return result }
        if let minimum = input.minimum, value < minimum {
            return .failure(
                CellError(
                    "\(show(value, input.type)) is below the minimum \(show(minimum, input.type))",
                    da: "\(show(value, input.type, danish: true)) er under minimum \(show(minimum, input.type, danish: true))"))
        }
        if let maximum = input.maximum, value > maximum {
            return .failure(
                CellError(
                    "\(show(value, input.type)) is above the maximum \(show(maximum, input.type))",
                    da: "\(show(value, input.type, danish: true)) er over maksimum \(show(maximum, input.type, danish: true))"))
        }
        return result
    }

    /// A value in a message, exact, the Danish way (`-1.000,00 kr`, `12,5 %`) for a Danish reader.
    static func show(_ value: Exact, _ type: ValueType, danish: Bool = false) -> String {
        let text = { (value: Exact, places: Int) in
            danish ? value.danishExactText(minPlaces: places) : value.exactText(minPlaces: places)
        }
        switch type {
        case .money: return text(value, 2) + " kr"
        case .percent:
            let points = value.multiplying(Exact(integer: 100)) ?? value
            return text(points, 0) + " %"
        default: return text(value, 0)
        }
    }

    static func convert(
        _ cell: Cell, type: ValueType, choices: [[String]], style: NumberStyle, percent: PercentReading? = nil
    ) -> Result<Scalar?, CellError> {
        switch cell {
        case .null: return .success(nil)
        case .text(let text) where text.isEmpty && style == .danishComma: return .success(nil)
        default: break
        }
        switch type {
        case .money, .number, .count, .percent:
            return readNumeric(cell, type: type, style: style, percent: percent)
        case .bool:
            switch cell {
            case .bool(let value): return .success(.bool(value))
            case .text(let text):
                if let value = CellForms.boolean(text) { return .success(.bool(value)) }
                return .failure(
                    CellError(
                        "\"\(DisplayText.value(text))\" is not \(Expected.bool.english)",
                        da: "\"\(DisplayText.value(text))\" er ikke \(Expected.bool.danish)"))
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
            guard let day = CellForms.day(text) else {
                // Why, where it can be told: a two-digit year, month first, no such day.
                let hint = ClosingDateHint.hint(text)
                return .failure(
                    CellError(
                        "\"\(DisplayText.value(text))\" is not \(Expected.date.english)" + (hint.map { "; \($0.english)" } ?? ""),
                        da: "\"\(DisplayText.value(text))\" er ikke \(Expected.date.danish)" + (hint.map { "; \($0.danish)" } ?? "")))
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
            let text = CellForms.trimmed(raw)
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

    static func describe(_ cell: Cell) -> String {
        switch cell {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let text): "the number \(DisplayText.value(text))"
        case .text(let text): "\"\(DisplayText.value(text))\""
        }
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
