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
///
/// A shown value never pretends to be what it is not: a value with up to `exactPlaces` decimals is
/// shown exactly, with as many decimals as it needs (`1.234 kr`, not `1.23 kr`, so that a limit of
/// 1.234 kr is never shown equal to an amount of 1.23 kr); any other value (a share such as 42/47)
/// is rounded and marked `≈` (`≈89,36 %`). Two values compared with each other are shown by
/// `formatCompared`, which adds decimals until the shown values are in the order of the values.
public struct ValueFormatter: Sendable {
    public let words: Words
    public let choiceSets: [[String]]
    /// The most decimals a value is shown with exactly; beyond it a value is rounded and marked `≈`.
    public static let exactPlaces = 10
    /// The sign before a rounded value.
    public static let approximately = "≈"
    /// What this formatter writes before a rounded value: `≈`, or in a Danish letter's prose `ca. `.
    public var approximateMark = ValueFormatter.approximately

    public init(language: Language, choiceSets: [[String]]) {
        words = Words.of(language)
        self.choiceSets = choiceSets
    }

    public var separators: (Character, Character) { words.language == .danish ? (",", ".") : (".", ",") }

    /// A known value for people, in this language's conventions.
    public func format(_ scalar: Scalar, as type: ValueType) -> String {
        guard case .number(let value) = scalar else { return formatOther(scalar, as: type) }
        let style = NumberDisplay(type)
        guard let shown = style.shown(value) else { return formatOther(scalar, as: type) }
        return number(shown, places: nil, style: style)
    }

    /// Two values that a comparison compares, each as `format` shows it, with more decimals when
    /// that is needed for the shown values to compare as the values do: never equal when the values
    /// differ, never in the opposite order. As a last resort, exact fractions.
    public func formatCompared(_ a: Scalar, _ b: Scalar, as type: ValueType) -> (String, String) {
        let style = NumberDisplay(type)
        guard case .number(let x) = a, case .number(let y) = b, let sx = style.shown(x), let sy = style.shown(y) else {
            return (format(a, as: type), format(b, as: type))
        }
        let truth = ValueFormatter.order(sx, sy)
        var places = style.roundedPlaces
        while places <= 38 {
            let dx = ValueFormatter.displayed(sx, places: places)
            let dy = ValueFormatter.displayed(sy, places: places)
            if let dx, let dy, ValueFormatter.order(dx, dy) == truth {
                return (number(sx, places: places, style: style), number(sy, places: places, style: style))
            }
            places += 1
        }
        let fraction = { (value: Exact) in "\(value.exactText())\(style.unit)" }
        return (fraction(sx), fraction(sy))
    }

    /// The value shown: exact with the decimals it needs (at least `minPlaces`) when it has at most
    /// `exactPlaces`; else rounded to `places` (or the style's default) and marked `≈`.
    func number(_ value: Exact, places rounding: Int?, style: NumberDisplay) -> String {
        let (decimal, grouping) = separators
        if let places = ValueFormatter.exactDecimals(value) {
            let shown = value.formatted(places: max(places, style.minPlaces), decimalSeparator: decimal, groupingSeparator: grouping)
            return shown + style.unit
        }
        let places = rounding ?? style.roundedPlaces
        let shown = value.formatted(places: places, decimalSeparator: decimal, groupingSeparator: grouping)
        return approximateMark + shown + style.unit
    }

    /// The fewest decimals that show `value` exactly, or nil when more than `exactPlaces` are needed.
    static func exactDecimals(_ value: Exact) -> Int? {
        for places in 0...exactPlaces {
            if let rounded = value.rounded(places: places), rounded == value { return places }
        }
        return nil
    }

    /// The value a reader takes from the display at `places` decimals: the exact value when it is
    /// shown exactly, else the rounded one.
    static func displayed(_ value: Exact, places: Int) -> Exact? {
        exactDecimals(value) != nil ? value : value.rounded(places: places)
    }

    static func order(_ a: Exact, _ b: Exact) -> Int { a < b ? -1 : (a == b ? 0 : 1) }

    func formatOther(_ scalar: Scalar, as type: ValueType) -> String {
        switch scalar {
        case .bool(let value): return value ? words.yes : words.no
        case .date(let day): return day.description
        case .text(let text): return "\"\(text)\""
        case .choice(let index):
            if case .choice(let set) = type, set < choiceSets.count, index < choiceSets[set].count { return choiceSets[set][index] }
            return "#\(index)"
        case .number(let value): return value.exactText()
        }
    }
}

/// How a number of a type is shown: money with at least two decimals and `kr`, a percent in
/// percentage points with `%`, other numbers bare; the decimals of a rounded value.
struct NumberDisplay {
    let minPlaces: Int
    let roundedPlaces: Int
    let unit: String
    let percent: Bool

    init(_ type: ValueType) {
        switch type {
        case .money: (minPlaces, roundedPlaces, unit, percent) = (2, 2, " kr", false)
        case .percent: (minPlaces, roundedPlaces, unit, percent) = (0, 2, " %", true)
        default: (minPlaces, roundedPlaces, unit, percent) = (0, 4, "", false)
        }
    }

    /// The number that is shown for a value: percentage points for a percent; nil when that does
    /// not fit the exact range.
    func shown(_ value: Exact) -> Exact? {
        percent ? value.multiplying(Exact(integer: 100)) : value
    }
}

/// "1 row", "2 rows": the number and the word it needs, in either language.
public func counted(_ n: Int, _ one: String, _ many: String) -> String {
    "\(n) \(n == 1 ? one : many)"
}
