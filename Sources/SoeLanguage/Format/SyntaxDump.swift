/// A rule file's syntax tree as text, without the places of its parts: two files with equal dumps
/// say the same thing, however they are laid out. The formatter compares the dump of its output
/// with the dump of its input before it writes anything, and the property tests do the same.
public enum SyntaxDump {
    /// The dump of a whole file: header, declarations in order, every clause and formula.
    public static func dump(_ syntax: RuleFileSyntax) -> String {
        var lines: [String] = []
        if let header = syntax.header {
            lines.append("ruleset \(header.name.text) \(text(header.title))")
            lines.append("  builds on \(header.buildsOn?.text ?? "-")")
            lines.append("  source \(text(header.source)) version \(text(header.version))")
            lines.append("  in force \(date(header.inForceFrom)) until \(date(header.inForceUntil))")
            lines.append("  letter kind \(header.letterKind?.kind.rawValue ?? "-")")
            for letter in header.letterTexts { lines.append("  letter \(letter.kind.rawValue) \(text(letter.text))") }
            lines.append("  borderline \(header.borderline.map(expression) ?? "-")")
        }
        for declaration in syntax.declarations { lines.append(contentsOf: dump(declaration)) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func dump(_ declaration: DeclarationSyntax) -> [String] {
        switch declaration {
        case .input(let d):
            return [
                "\(d.isOverride ? "override " : "")input \(d.name.text): \(type(d.type)) \(text(d.description))"
                    + " min \(d.minimum.map(expression) ?? "-") max \(d.maximum.map(expression) ?? "-")"
            ]
        case .parameter(let d):
            var lines = [
                "\(d.isOverride ? "override " : "")parameter \(d.name.text): \(d.type.map(type) ?? "-") \(text(d.description))"
                    + " \(d.basis.map { "\($0.kind.rawValue) \(text($0.text))" } ?? "-")"
            ]
            for value in d.values {
                lines.append("  = \(expression(value.value)) from \(date(value.from)) until \(date(value.until))")
            }
            return lines
        case .value(let d):
            return [
                "\(d.isOverride ? "override " : "")value \(d.name.text) \(text(d.description)) = \(d.expression.map(expression) ?? "-")"
            ]
        case .criterion(let d):
            return [
                "\(d.isOverride ? "override " : "")criterion \(d.name.text) \(text(d.text)) cite \(text(d.cite))"
                    + " = \(d.expression.map(expression) ?? "-")"
            ]
        case .classify(let d):
            return ["\(d.isOverride ? "override " : "")classify"]
                + d.outcomes.map { outcome in
                    "  \(outcome.isFallback ? "otherwise " : "")\(outcome.name.text) \(text(outcome.label))"
                        + " when \(outcome.condition.map(expression) ?? "-") reason \(text(outcome.reason))"
                        + " tone \(outcome.tone?.rawValue ?? "-")"
                }
        }
    }

    static func text(_ text: TextSyntax?) -> String {
        guard let text else { return "-" }
        return quoted(text.text) + (text.english.map { " en " + quoted($0) } ?? "")
    }

    static func quoted(_ text: String) -> String { "\"" + text.replacingBackslashesAndQuotes() + "\"" }

    static func date(_ date: DateSyntax?) -> String { date.map { "\($0.day)" } ?? "-" }

    static func type(_ type: TypeSyntax) -> String {
        switch type.kind {
        case .oneOf(let names): "one of " + names.map(\.text).joined(separator: ", ")
        default: "\(type.kind)"
        }
    }

    /// A formula fully parenthesised, so that two trees print alike only when they are alike.
    public static func expression(_ formula: ExpressionSyntax) -> String {
        switch formula {
        case .number(let digits, let unit, _): "\(digits)\(unit == .none ? "" : " " + unit.rawValue)"
        case .boolean(let value, _): value ? "yes" : "no"
        case .date(let d): "\(d.day)"
        case .text(let value, _): quoted(value)
        case .name(let name): name.text
        case .negate(let inner, _): "(-\(expression(inner)))"
        case .not(let inner, _): "(not \(expression(inner)))"
        case .binary(let op, let lhs, let rhs, _, _): "(\(expression(lhs)) \(op.rawValue) \(expression(rhs)))"
        case .isMember(let inner, let members, let negated, _):
            "(\(expression(inner)) is\(negated ? " not" : "") one of \(members.map(\.text).joined(separator: ", ")))"
        case .ifThenElse(let c, let a, let b, _): "(if \(expression(c)) then \(expression(a)) else \(expression(b)))"
        case .call(let name, let arguments, _): "\(name.text)(\(arguments.map(expression).joined(separator: ", ")))"
        case .quantifier(let q, let items, _): "(\(q.rawValue) of \(items.map(expression).joined(separator: ", ")))"
        case .isKnown(let inner, let negated, _): "(\(expression(inner)) is \(negated ? "missing" : "known"))"
        case .parenthesized(let inner, _): "[\(expression(inner))]"
        case .missing: "<missing>"
        }
    }
}
