// Turns fuzz bytes into a small rule set that type-checks, and a firm for it, so that the
// evaluator, the trace and the renderers meet formulas no hand-written rule set contains.
//
// The generator is type-directed: asked for a formula of a type, it picks a production that the
// checker's unit algebra (`Checker+Operators.swift`) gives exactly that type, so every generated
// file must check; one that does not is a finding (the generator or the checker is wrong). A
// definition only uses those generated before it, so there are no cycles, but the file lists them
// in a shuffled order, because the language resolves names regardless of order.
//
// It lives in the test-support target so that the tests can run it too (seeded with SplitMix64,
// one corpus through every evaluator); the fuzz target `evaluate` compiles this file directly.

/// Reads choices from the fuzz bytes; past the end every choice is 0, so any input is a program.
struct FuzzBytes {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    /// A number in 0..<bound (bound ≤ 256).
    mutating func int(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(byte()) % bound }
    mutating func bool() -> Bool { byte() & 1 == 1 }
    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }
}

/// The types a generated formula can have; `choice` indexes the generated `one of` sets.
enum GenType: Equatable {
    case money, percent, count, number, bool, date, text
    case choice(Int)

    var isNumeric: Bool { [.money, .percent, .count, .number].contains(self) }

    var declared: String {
        switch self {
        case .money: "money"
        case .percent: "percent"
        case .count: "count"
        case .number: "number"
        case .bool: "yes/no"
        case .date: "date"
        case .text: "text"
        case .choice: "one of"
        }
    }
}

/// A generated rule set and a firm for it, as the text of a rule file and of a JSON document.
public struct GeneratedCase: Sendable {
    public var rules: String
    public var firm: String
    /// True when a formula tests `is known`/`is missing`: the only non-monotone construct, so the
    /// refinement check (filling in missing data never changes a known result) does not apply.
    public var usesIsKnown: Bool
}

public struct RuleGenerator {
    var input: FuzzBytes
    var symbols: [(name: String, type: GenType)] = []
    var choiceSets: [[String]] = []
    var usesIsKnown = false
    /// Literals that reach the edges of the exact range, so that overflow is met, not just sums.
    static let bigIntegers = ["170141183460469231731687303715884105727", "99999999999999999999", "4294967296", "1"]

    public init(_ bytes: [UInt8]) { input = FuzzBytes(bytes) }

    /// A rule file that type-checks, and a firm for it, from the bytes.
    public mutating func generate() -> GeneratedCase {
        let newline = input.int(4) == 0 ? "\r\n" : "\n"
        let indent = input.int(4) == 0 ? "\t" : "  "
        var declarations: [String] = []
        // Mostly in force for every fiscal year the firm may have, so that most runs evaluate.
        let notInForce = input.int(8) == 0
        let from = notInForce ? date() : "1999-01-01"
        var header = "ruleset fz \"Fuzz\" en \"Fuzz\"\(newline)\(indent)in force from \(from)"
        // A period ends on or after its start (E217 refuses the other order); ISO dates sort as text.
        if notInForce && input.bool() { header += " until \(max(from, date()))" }

        // Inputs, which everything may use.
        let inputCount = 1 + input.int(6)
        var inputs: [(String, GenType)] = []
        for number in 0..<inputCount {
            let name = (input.int(8) == 0 ? "æ" : "") + "i\(number)"
            var type = pickType(allowChoice: true)
            var text = "input \(name): "
            if case .choice = type {
                let members = Array(["aps", "as", "is", "fond", "forening", "ø_x"].prefix(2 + input.int(5)))
                choiceSets.append(members)
                type = .choice(choiceSets.count - 1)
                text += "one of " + members.joined(separator: ", ")
            } else {
                text += type.declared
            }
            text += " \"Input \(number)\""
            text += bounds(for: type)
            declarations.append(text)
            inputs.append((name, type))
        }
        symbols += inputs.map { (name: $0.0, type: $0.1) }

        // Parameters: literal values with dates, some of which may not be in force.
        for number in 0..<input.int(3) {
            let type = pickType(allowChoice: false)
            let name = "p\(number)"
            var text = "parameter \(name)"
            let declareType = input.bool() || type == .number || type == .count
            if declareType { text += ": \(type.declared)" }
            text += " \"Parameter\" \(input.pick(["law", "guidance", "policy"])) \"§ \(number)\""
            for _ in 0..<(1 + input.int(2)) {
                text += "\(newline)\(indent)= \(literal(type)) from \(date())"
                if input.int(4) == 0 { text += " until \(date())" }
            }
            declarations.append(text)
            symbols.append((name, type))
        }

        // Values and criteria, each using only what came before it.
        for number in 0..<input.int(6) {
            if input.bool() {
                let type = pickType(allowChoice: false)
                let formula = expression(type, depth: 1 + input.int(4))
                let wrap = input.int(4) == 0 ? "\(newline)\(indent)" : " "
                declarations.append("value v\(number) \"Value \(number)\" =\(wrap)\(formula)")
                symbols.append(("v\(number)", type))
            } else {
                let formula = expression(.bool, depth: 1 + input.int(4))
                declarations.append(
                    "criterion c\(number) \"Criterion \(number)\"\(newline)\(indent)cite \"§ \(number)\"\(newline)\(indent)= \(formula)")
                symbols.append(("c\(number)", .bool))
            }
        }

        // Declarations in any order: a later one may be listed first.
        var ordered: [String] = []
        var pool = declarations
        while !pool.isEmpty { ordered.append(pool.remove(at: input.int(pool.count))) }

        var classify = "classify"
        for number in 0..<(1 + input.int(3)) {
            classify += "\(newline)\(indent)o\(number) \"Outcome \(number)\" when \(expression(.bool, depth: 1 + input.int(3)))"
            if input.bool() { classify += "\(newline)\(indent)\(indent)reason \"Because \(number)\"" }
        }
        classify += "\(newline)\(indent)otherwise fallback \"Fallback\" en \"Fallback\""
        let comment = input.bool() ? "# generated\(newline)" : ""
        let rules = comment + ([header] + ordered + [classify]).joined(separator: newline) + newline
        return GeneratedCase(rules: rules, firm: firm(inputs), usesIsKnown: usesIsKnown)
    }

    mutating func pickType(allowChoice: Bool) -> GenType {
        let types: [GenType] = [.money, .percent, .count, .number, .bool, .date, .text] + (allowChoice ? [.choice(0)] : [])
        return input.pick(types)
    }

    mutating func date() -> String {
        let year = 1999 + input.int(33)
        let month = 1 + input.int(12)
        let day = 1 + input.int(28)
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    mutating func bounds(for type: GenType) -> String {
        switch type {
        case .money where input.bool(): return input.bool() ? " min 0 kr" : " min -500 kr max 1_000_000 kr"
        case .percent where input.bool(): return " min 0 % max 100 %"
        case .count where input.bool(): return " min 0 max \(1 + input.int(50))"
        case .number where input.bool(): return " min -2.5 max 1000.75"
        default: return ""
        }
    }

    /// A literal of exactly this type (only for types that have literals).
    mutating func literal(_ type: GenType) -> String {
        switch type {
        case .money: return input.pick(["0 kr", "1_000 kr", "12.50 kr", "-3 kr", "\(input.pick(Self.bigIntegers)) kr"])
        case .percent: return input.pick(["0 %", "35 %", "12.5 %", "100 %", "-5 %", "0.000001 %"])
        case .count: return input.pick(["0", "1", "3", "50", input.pick(Self.bigIntegers)])
        case .number: return input.pick(["2.5", "0.1", "-3", "0.000000000000000000000000000001", "1000000.75"])
        case .bool: return input.bool() ? "yes" : "no"
        case .date: return date()
        case .text: return input.pick(["\"\"", "\"abc\"", "\"æøå\"", "\"a \\\"q\\\"\""])
        case .choice: return "x"  // never asked for: choices have no literals
        }
    }

    func names(of type: GenType) -> [String] { symbols.filter { $0.type == type }.map(\.name) }

    /// A formula of exactly `type`, at most `depth` levels of operators deep.
    mutating func expression(_ type: GenType, depth: Int) -> String {
        let known = names(of: type)
        if depth <= 0 || input.int(4) == 0 {
            // Names before literals, so that outcomes use the criteria and values generated for them.
            if !known.isEmpty && (input.int(4) != 3 || isChoice(type)) { return input.pick(known) }
            if isChoice(type) { return known.first ?? "x" }
            return literal(type)
        }
        let d = depth - 1
        func sub(_ t: GenType) -> String { "(\(expression(t, depth: d)))" }
        // Forms every type has.
        switch input.int(8) {
        case 0: return "if \(sub(.bool)) then \(sub(type)) else \(sub(type))"
        case 1 where type.isNumeric && type != .count:
            return "-\(sub(type == .number ? input.pick([GenType.number, .count]) : type))"
        case 2 where type.isNumeric:
            let function = input.bool() ? "min" : "max"
            let arguments = (0..<(1 + input.int(3))).map { _ in sub(type == .number ? input.pick([GenType.number, .count]) : type) }
            // min/max of only counts is a count, so a number needs one number among them.
            let all = type == .number ? [sub(.number)] + arguments : arguments
            return "\(function)(\(all.joined(separator: ", ")))"
        default: break
        }
        switch type {
        case .money:
            switch input.int(6) {
            case 0: return "\(sub(.money)) \(input.pick(["+", "-"])) \(sub(.money))"
            case 1: return "\(sub(.money)) \(input.pick(["*", "×"])) \(sub(input.pick([.percent, .number, .count])))"
            case 2: return "\(sub(input.pick([.percent, .number, .count]))) * \(sub(.money))"
            case 3: return "\(sub(.money)) / \(sub(input.pick([.percent, .number, .count])))"
            // A chain of `+`, unparenthesized (the register program's `sum`).
            case 4: return "\(sub(.money)) + \(sub(.money)) + \(sub(.money))"
            default: return literal(.money)
            }
        case .percent:
            switch input.int(7) {
            case 0: return "\(sub(.percent)) \(input.pick(["+", "-", "−"])) \(sub(.percent))"
            case 1: return "\(sub(.percent)) * \(sub(input.pick([.percent, .number])))"
            case 2: return "\(sub(.number)) * \(sub(.percent))"
            case 3: return "\(sub(.money)) / \(sub(.money))"
            case 4: return "\(sub(.count)) / \(sub(.count))"
            // The guarded share, the rule files' commonest form (the register program's
            // `quotientUnlessZero`): a named divisor, zero on either side of `=`.
            case 5:
                let (divisorType, zero, part): (GenType, String, GenType) =
                    input.bool() ? (.money, "0 kr", .money) : (.count, "0", .count)
                let divisors = names(of: divisorType)
                guard !divisors.isEmpty else { return "\(sub(.money)) / \(sub(.money))" }
                let divisor = input.pick(divisors)
                let guardText = input.bool() ? "\(divisor) = \(zero)" : "\(zero) = \(divisor)"
                return "if \(guardText) then \(sub(.percent)) else \(sub(part)) / \(divisor)"
            default: return "\(sub(.percent)) / \(sub(input.pick([.number, .count])))"
            }
        case .count:
            // Now and then a chain of `+`, unparenthesized (the register program's `sum`).
            if input.int(4) == 0 { return "\(sub(.count)) + \(sub(.count)) + \(sub(.count))" }
            return "\(sub(.count)) \(input.pick(["+", "-", "*"])) \(sub(.count))"
        case .number:
            switch input.int(5) {
            case 0: return "\(sub(.number)) \(input.pick(["+", "-", "*", "/"])) \(sub(input.pick([.number, .count])))"
            case 1: return "\(sub(.count)) \(input.pick(["+", "-", "*"])) \(sub(.number))"
            case 2: return "\(sub(.percent)) * \(sub(.count))"
            case 3: return "\(sub(.percent)) / \(sub(.percent))"
            default: return "\(sub(.count)) / \(sub(.number))"
            }
        case .bool:
            return condition(depth: d)
        case .date, .text, .choice:
            return known.isEmpty ? literal(type) : input.pick(known)
        }
    }

    func isChoice(_ type: GenType) -> Bool {
        if case .choice = type { return true }
        return false
    }

    mutating func condition(depth d: Int) -> String {
        func sub(_ t: GenType, _ g: inout RuleGenerator) -> String { "(\(g.expression(t, depth: d)))" }
        switch input.int(9) {
        case 0:
            let type = input.pick([GenType.money, .percent, .count, .number, .date])
            let other = type == .count ? input.pick([GenType.count, .number]) : type
            let op = input.pick(["<", "<=", "=", "!=", ">", ">=", "≥", "≤", "≠", "<>"])
            return "\(sub(type, &self)) \(op) \(sub(other, &self))"
        case 1:
            let type = input.pick([GenType.bool, .text])
            return "\(sub(type, &self)) \(input.pick(["=", "!="])) \(sub(type, &self))"
        case 2:
            let choices = symbols.filter { isChoice($0.type) }
            guard !choices.isEmpty else { return literal(.bool) }
            let (name, type) = input.pick(choices)
            guard case .choice(let set) = type else { return "yes" }
            let members = choiceSets[set]
            let negation = input.bool() ? "not " : ""
            if input.bool() { return "\(name) is \(negation)\(input.pick(members))" }
            let list = (0..<(1 + input.int(3))).map { _ in input.pick(members) }
            // A member listed twice in a test is harmless; the checker accepts it.
            return "\(name) is \(negation)one of \(list.joined(separator: ", "))"
        case 3:
            usesIsKnown = true
            let type = pickType(allowChoice: false)
            return "\(sub(type, &self)) is \(input.pick(["known", "missing", "not known", "not missing"]))"
        case 4:
            return "\(sub(.bool, &self)) \(input.pick(["and", "or"])) \(sub(.bool, &self))"
        case 5:
            return "not \(sub(.bool, &self))"
        case 6:
            let items = (0..<(1 + input.int(4))).map { _ in sub(.bool, &self) }
            return "\(input.pick(["all", "any", "none"])) of \(items.joined(separator: ", "))"
        case 7:
            let known = names(of: .bool)
            return known.isEmpty ? literal(.bool) : input.pick(known)
        default:
            return literal(.bool)
        }
    }

    /// A firm for the generated inputs: each given, null or left out, some values deliberately bad.
    mutating func firm(_ inputs: [(String, GenType)]) -> String {
        var members: [String] = ["\"name\": \"Fuzz ApS\""]
        if input.int(4) == 0 {
            members.append("\"fiscal_year_end\": \"\(date())\"")
        } else {
            members.append("\"fiscal_year\": \(1999 + input.int(33))")
        }
        for (name, type) in inputs {
            switch input.int(6) {
            case 0: continue
            case 1: members.append("\"\(name)\": null")
            default: members.append("\"\(name)\": \(jsonValue(type))")
            }
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    mutating func jsonValue(_ type: GenType) -> String {
        switch type {
        case .money:
            return input.pick([
                "0", "1500", "\"4200000.50\"", "-1500", "12.345", "\"1.234,50\"", "1e3", "\"99999999999999999999999999999999999999\"",
            ])
        case .percent: return input.pick(["0", "50", "\"12.5 %\"", "100", "101", "-1", "\"35%\""])
        case .count: return input.pick(["0", "1", "12", "2.5", "-1", "100000000000000000000"])
        case .number: return input.pick(["0", "2.5", "-0", "1e-30", "\"3.75\""])
        case .bool: return input.pick(["true", "false", "\"ja\"", "\"nej\"", "1"])
        case .date: return "\"\(date())\""
        case .text: return input.pick(["\"abc\"", "\"\"", "3"])
        case .choice(let set): return "\"\(input.pick(choiceSets[set] + ["APS", "unknown"]))\""
        }
    }
}
