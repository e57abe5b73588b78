import SoeLanguage

// The JSON Schema (draft 2020-12) of a firm data file, for the systems that send soe firm data:
// what `FirmReader` and `CellReader` accept, written as a schema, so a sender can validate before
// sending. The schema says less than soe checks (a CVR number's check digit, a key so close to an
// input's name that it must be a typo, `3.600` written as text), never more, with one exception:
// a choice is listed in its declared spelling, where soe also takes it in another letter case.

/// Builds the JSON Schema of the firm data the given rule sets read.
public enum FirmSchema {
    /// The draft the schema follows.
    public static let draft = "https://json-schema.org/draft/2020-12/schema"

    /// The schema of one firm file for `ruleSets`, its descriptions in `language`.
    public static func build(ruleSets: [RuleSet], language: Language) -> JSONOutput {
        let danish = language == .danish
        var properties: [(String, JSONOutput)] = [
            (
                "name",
                describe(
                    .object([("type", .array([.string("string"), .string("null")]))]), danish ? "Virksomhedens navn" : "The firm's name")
            ),
            (
                "cvr",
                describe(
                    cvr,
                    danish ? "CVR-nummer: otte cifre, kontrolleret med modulus 11" : "CVR number: eight digits, checked with modulus 11")
            ),
            ("fiscal_year", describe(fiscalYear, danish ? "Regnskabsåret, fx 2024" : "The fiscal year, such as 2024")),
            (
                "fiscal_year_end",
                describe(
                    date(nullable: false),
                    danish
                        ? "Regnskabsårets slutdato, når året ikke følger kalenderåret"
                        : "The closing date of the fiscal year, when it does not follow the calendar"
                )
            ),
        ]
        var seen: [String: Int] = [:]
        var definitions: [[JSONOutput]] = []
        for ruleSet in ruleSets {
            for input in ruleSet.inputs {
                let schema = inputSchema(input, ruleSet: ruleSet, danish: danish)
                if let index = seen[input.name] {
                    if !definitions[index].contains(schema) { definitions[index].append(schema) }
                } else {
                    seen[input.name] = definitions.count
                    definitions.append([schema])
                    properties.append((input.name, .null))
                }
            }
        }
        for (name, index) in seen {
            guard let place = properties.firstIndex(where: { $0.0 == name }) else { continue }
            // An input two rule sets declare differently must satisfy both.
            properties[place].1 = definitions[index].count == 1 ? definitions[index][0] : .object([("allOf", .array(definitions[index]))])
        }
        let names = ruleSets.map { ruleSet in ruleSet.version.map { "\(ruleSet.name) \($0)" } ?? ruleSet.name }.joined(separator: ", ")
        return .object([
            ("$schema", .string(draft)),
            ("title", .string(danish ? "Virksomhedsdata til soe (\(names))" : "Firm data for soe (\(names))")),
            (
                "description",
                .string(
                    danish
                        ? "Én virksomhed som ét JSON-objekt. null er en manglende oplysning. Nøgler, der begynder med _, er kommentarer; "
                            + "andre nøgler, som regelsættene ikke har, giver en advarsel, men en nøgle, der ligner en oplysnings navn, er en fejl."
                        : "One firm as one JSON object. null is a missing value. Keys starting with _ are comments; other keys the "
                            + "rule sets do not declare give a warning, but a key close to an input's name is an error (a typo)."
                )
            ),
            ("type", .string("object")),
            ("properties", .object(properties)),
            ("patternProperties", .object([("^_", .object([]))])),
            ("additionalProperties", .bool(true)),
            (
                "anyOf",
                .array([
                    .object([("required", .array([.string("fiscal_year")]))]),
                    .object([("required", .array([.string("fiscal_year_end")]))]),
                ])
            ),
        ])
    }

    static func describe(_ schema: JSONOutput, _ description: String) -> JSONOutput {
        guard case .object(var members) = schema else { return schema }
        members.insert(("description", .string(description)), at: 0)
        return .object(members)
    }

    static let cvr: JSONOutput = .object([
        (
            "anyOf",
            .array([
                .object([("type", .string("string")), ("pattern", .string("^[ \\t]*[1-9]( *[0-9]){7}[ \\t]*$"))]),
                .object([("type", .string("integer")), ("minimum", .number("10000000")), ("maximum", .number("99999999"))]),
                .object([("type", .string("null"))]),
            ])
        )
    ])

    static let fiscalYear: JSONOutput = .object([
        (
            "anyOf",
            .array([
                .object([("type", .string("integer")), ("minimum", .number("1900")), ("maximum", .number("9999"))]),
                .object([("type", .string("string")), ("pattern", .string("^\\+?(19|[2-9][0-9])[0-9]{2}$"))]),
            ])
        )
    ])

    /// Spaces around a value or between digit groups, as `CellForms` takes them.
    static let space = "[ \\t\\u00A0\\u202F]"
    /// A number in text, with the point as decimal mark and optionally no-break spaces between groups.
    static func number(places: String) -> String {
        "[-+\\u2212]?([0-9]+|[1-9][0-9]{0,2}([\\u00A0\\u202F][0-9]{3})+)(\\.[0-9]\(places))?"
    }

    /// A word in any letter case: `[kK][rR]`.
    static func anyCase(_ word: String) -> String {
        word.map { $0.isLetter ? "[\($0.lowercased())\($0.uppercased())]" : ($0 == "." ? "\\." : String($0)) }.joined()
    }

    static func date(nullable: Bool) -> JSONOutput {
        let forms = "[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}|[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{4}"
        return .object([
            ("type", nullable ? .array([.string("string"), .string("null")]) : .string("string")),
            ("pattern", .string("^\(space)*(\(forms))\(space)*$")),
        ])
    }
}
