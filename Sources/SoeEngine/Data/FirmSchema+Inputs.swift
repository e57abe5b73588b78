import SoeLanguage

// One declared input as a JSON Schema: the JSON kinds `CellReader` takes for its type (with the
// point as decimal mark, as JSON has no dialect), its range, its choices, its unit and its
// description. Every input may be null: a missing value, which soe treats as unknown.

extension FirmSchema {
    /// The schema of one input's value in a JSON firm.
    static func inputSchema(_ input: InputDefinition, ruleSet: RuleSet, danish: Bool) -> JSONOutput {
        var members: [(String, JSONOutput)] = []
        if let description = input.description {
            members.append(("description", .string(danish ? description.danish : description.english ?? description.danish)))
        }
        let (kind, unit, forms) = alternatives(input, ruleSet: ruleSet, danish: danish)
        members.append(("x-soe-type", .string(kind)))
        if let unit { members.append(("x-soe-unit", .string(unit))) }
        members.append(("anyOf", .array(forms + [.object([("type", .string("null"))])])))
        return .object(members)
    }

    /// The input's type name, its unit, and the JSON forms of a value other than null.
    static func alternatives(_ input: InputDefinition, ruleSet: RuleSet, danish: Bool) -> (String, String?, [JSONOutput]) {
        let spaces = "^\(space)*"
        let end = "\(space)*$"
        switch input.type {
        case .money:
            let mark = "(\(anyCase("kr."))|\(anyCase("kr"))|\(anyCase("dkk")))"
            let text = "\(spaces)(\(mark)\(space)*)?\(number(places: "{1,2}"))(\(space)*\(mark))?\(end)"
            return ("money", "kr", [numberForm(input, scale: 1, integer: false), string(text)])
        case .percent:
            let text = "\(spaces)\(number(places: "+"))(\(space)*%)?\(end)"
            var form = numberForm(input, scale: 100, integer: false)
            // Without --percent, a number between -1 and 1 other than 0 reads two ways and is refused.
            if case .object(var members) = form {
                members.append(
                    (
                        "not",
                        .object([
                            (
                                "anyOf",
                                .array([
                                    .object([("exclusiveMinimum", .number("0")), ("maximum", .number("1"))]),
                                    .object([("minimum", .number("-1")), ("exclusiveMaximum", .number("0"))]),
                                ])
                            )
                        ])
                    ))
                form = .object(members)
            }
            return ("percent", "%", [form, string(text)])
        case .count:
            return ("count", nil, [numberForm(input, scale: 1, integer: true), string("\(spaces)\\+?[0-9]+\(end)")])
        case .number:
            return ("number", nil, [numberForm(input, scale: 1, integer: false), string("\(spaces)\(number(places: "+"))\(end)")])
        case .bool:
            let words = ["yes", "no", "ja", "nej", "true", "false", "sand", "falsk", "1", "0"].map(anyCase).joined(separator: "|")
            return ("yes/no", nil, [.object([("type", .string("boolean"))]), string("\(spaces)(\(words))\(end)")])
        case .date:
            return ("date", nil, [date(nullable: false)])
        case .text:
            return ("text", nil, [.object([("type", .string("string"))])])
        case .choice(let set):
            let names = set < ruleSet.choiceSets.count ? ruleSet.choiceSets[set] : []
            return ("one of", nil, [.object([("type", .string("string")), ("enum", .array(names.map(JSONOutput.string)))])])
        }
    }

    static func string(_ pattern: String) -> JSONOutput {
        .object([("type", .string("string")), ("pattern", .string(pattern))])
    }

    /// A JSON number within the input's range; a percent's range in percentage points (`scale` 100).
    static func numberForm(_ input: InputDefinition, scale: Int, integer: Bool) -> JSONOutput {
        var members: [(String, JSONOutput)] = [("type", .string(integer ? "integer" : "number"))]
        var minimum = input.minimum
        if integer, minimum.map({ $0.isNegative }) ?? true { minimum = .zero }
        if let minimum, let scaled = minimum.multiplying(Exact(integer: Int128(scale))) {
            members.append(("minimum", .number(scaled.exactText())))
        }
        if let maximum = input.maximum, let scaled = maximum.multiplying(Exact(integer: Int128(scale))) {
            members.append(("maximum", .number(scaled.exactText())))
        }
        return .object(members)
    }
}
