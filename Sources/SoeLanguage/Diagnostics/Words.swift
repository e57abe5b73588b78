/// The engine's own words in Danish and English. Rule files supply their own texts (labels,
/// reasons, citations); these are the words around them.
public struct Words: Sendable {
    public let language: Language
    public let result, reason, ruleSet, data, fiscalYear, closing, applies, doesNotApply, unknown, notReached: String
    public let met, notMet, undetermined, missing, couldBe, or, when, otherwise, yes, no, parametersInForce: String
    public let inputs, notGiven, law, guidance, policy, from, until, outcomesTried, problems, notInForce, sha: String
    public let divisionByZero, overflow, noParameterValue, missingValue, version, criteria, rejected, line: String
    public let decidedBy, fallback: String

    public static let danish = Words(
        language: .danish, result: "Resultat", reason: "Begrundelse", ruleSet: "Regelsæt", data: "Data",
        fiscalYear: "regnskabsår", closing: "afsluttet", applies: "gælder", doesNotApply: "gælder ikke",
        unknown: "kan ikke afgøres", notReached: "ikke prøvet", met: "opfyldt", notMet: "ikke opfyldt",
        undetermined: "Kan ikke afgøres", missing: "Mangler", couldBe: "Med disse oplysninger kan resultatet blive",
        or: "eller", when: "når", otherwise: "ellers", yes: "ja", no: "nej",
        parametersInForce: "Parametre i kraft", inputs: "Oplysninger", notGiven: "mangler", law: "lov",
        guidance: "vejledning", policy: "politisk valg", from: "fra", until: "til",
        outcomesTried: "Udfald, prøvet i rækkefølge", problems: "Beregninger uden resultat",
        notInForce: "Regelsættet gælder ikke for regnskabsåret", sha: "sha256",
        divisionByZero: "division med nul", overflow: "tallet er uden for det eksakte område",
        noParameterValue: "parameteren har ingen værdi på datoen", missingValue: "mangler", version: "version",
        criteria: "Kriterier", rejected: "Afvist", line: "linje", decidedBy: "afgjort af", fallback: "når intet andet gælder")

    public static let english = Words(
        language: .english, result: "Result", reason: "Reason", ruleSet: "Rule set", data: "Data",
        fiscalYear: "fiscal year", closing: "closing", applies: "applies", doesNotApply: "does not apply",
        unknown: "cannot be decided", notReached: "not tried", met: "met", notMet: "not met",
        undetermined: "Undetermined", missing: "Missing", couldBe: "With this data the result could be",
        or: "or", when: "when", otherwise: "otherwise", yes: "yes", no: "no",
        parametersInForce: "Parameters in force", inputs: "Inputs", notGiven: "missing", law: "law",
        guidance: "guidance", policy: "policy choice", from: "from", until: "until",
        outcomesTried: "Outcomes, tried in order", problems: "Computations without a result",
        notInForce: "The rule set is not in force for the fiscal year", sha: "sha256",
        divisionByZero: "division by zero", overflow: "the number is outside the exact range",
        noParameterValue: "the parameter has no value on that date", missingValue: "missing", version: "version",
        criteria: "Criteria", rejected: "Rejected", line: "line", decidedBy: "decided by", fallback: "when nothing else applies")

    /// The words of a language.
    public static func of(_ language: Language) -> Words { language == .danish ? danish : english }

    /// The basis of a parameter in words.
    public func basis(_ basis: Basis) -> String {
        switch basis {
        case .law: law
        case .guidance: guidance
        case .policy: policy
        }
    }

}

/// Formats values for people, in the conventions of a language: `4.200.000,00 kr` and `89,36 %`
/// in Danish, `4,200,000.00 kr` and `89.36 %` in English. Display only: decisions use exact values.
public struct ValueFormatter: Sendable {
    public let words: Words
    public let choiceSets: [[String]]

    public init(language: Language, choiceSets: [[String]]) {
        words = Words.of(language)
        self.choiceSets = choiceSets
    }

    public var separators: (Character, Character) { words.language == .danish ? (",", ".") : (".", ",") }

    /// A known value for people, in this language's conventions.
    public func format(_ scalar: Scalar, as type: ValueType) -> String {
        switch scalar {
        case .bool(let value): return value ? words.yes : words.no
        case .date(let day): return day.description
        case .text(let text): return "\"\(text)\""
        case .choice(let index):
            if case .choice(let set) = type, set < choiceSets.count, index < choiceSets[set].count { return choiceSets[set][index] }
            return "#\(index)"
        case .number(let value):
            let (decimal, grouping) = separators
            switch type {
            case .money:
                return value.formatted(places: 2, decimalSeparator: decimal, groupingSeparator: grouping) + " kr"
            case .percent:
                let points = value.multiplying(Exact(integer: 100)) ?? value
                return trimmed(points, maxPlaces: 2, decimal: decimal, grouping: grouping) + " %"
            default:
                return trimmed(value, maxPlaces: 4, decimal: decimal, grouping: grouping)
            }
        }
    }

    /// As few decimals as the exact value needs, at most `maxPlaces` (then rounded).
    public func trimmed(_ value: Exact, maxPlaces: Int, decimal: Character, grouping: Character) -> String {
        for places in 0...maxPlaces {
            if let rounded = value.rounded(places: places), rounded == value {
                return value.formatted(places: places, decimalSeparator: decimal, groupingSeparator: grouping)
            }
        }
        return value.formatted(places: maxPlaces, decimalSeparator: decimal, groupingSeparator: grouping)
    }

}

/// "1 row", "2 rows": the number and the word it needs, in either language.
public func counted(_ n: Int, _ one: String, _ many: String) -> String {
    "\(n) \(n == 1 ? one : many)"
}
