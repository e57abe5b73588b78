/// Small words that diagnostics and explanations share in both languages: ordinals, type names, lists.
extension Words {
    /// `rule`/`regel`, for one of several rules that lead to an outcome.
    public var rule: String { language == .danish ? "regel" : "rule" }

    /// `1st`, `2nd`, `3rd`, `11th` in English; `1.`, `2.` in Danish.
    public static func ordinal(_ number: Int, _ language: Language) -> String {
        if language == .danish { return "\(number)." }
        let lastTwo = number % 100
        if (11...13).contains(lastTwo) { return "\(number)th" }
        switch number % 10 {
        case 1: return "\(number)st"
        case 2: return "\(number)nd"
        case 3: return "\(number)rd"
        default: return "\(number)th"
        }
    }

    /// The name a policy officer uses for a type: `money`, `yes/no`; `beløb`, `ja/nej`.
    public static func typeName(_ type: ValueType, _ language: Language) -> String {
        guard language == .danish else { return type.displayName }
        switch type {
        case .money: return "beløb"
        case .percent: return "procent"
        case .count: return "antal"
        case .number: return "tal"
        case .bool: return "ja/nej"
        case .date: return "dato"
        case .text: return "tekst"
        case .choice: return "valg"
        }
    }

    /// `a, b and c` / `a, b og c`.
    public static func list(_ items: [String], _ language: Language) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        let and = language == .danish ? "og" : "and"
        return items.dropLast().joined(separator: ", ") + " \(and) " + (items.last ?? "")
    }
}
