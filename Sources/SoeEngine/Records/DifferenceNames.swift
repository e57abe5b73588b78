import SoeLanguage

// What `soe verify` tells an auditor: "parameter market_share_min: recorded 50 %, now 60 %", not
// "/parameters/1/value/exact". A JSON pointer names a place by index, which means nothing to a
// reader and changes when a parameter is added; the name is what the rule file and the dossier
// use. The pointers stay in `--format json`, for programs.

extension JSONDifference {
    /// The difference as an auditor reads it: what differs, by name, and both values as displayed
    /// (`parameter market_share_min: recorded 50 %, now 60 %`); the pointer when there is no name.
    public var namedLine: String {
        guard let name else { return line }
        if let recordedText, let currentText, recordedText == currentText {
            // Shown alike, yet different: the same letters in other code points, or values that
            // display the same (an `exact` of 0.35 edited under a display of 25 %).
            if !JSONOutput.same(recordedText, currentText) {
                return "\(name): recorded \(JSONDifference.codePoints(recordedText)), now \(JSONDifference.codePoints(currentText))"
            }
            return
                "\(name): recorded \(JSONDifference.shortened(recorded)), now \(JSONDifference.shortened(current)) (both shown as \(JSONDifference.shortened(recordedText)))"
        }
        return
            "\(name): recorded \(JSONDifference.shortened(recordedText ?? recorded)), now \(JSONDifference.shortened(currentText ?? current))"
    }

    /// Names each difference after what it is in the records (`parameter …`, `input …`,
    /// `criterion …`), with the values as the record displays them. A difference inside a value
    /// (`/parameters/1/value/exact`) is named after the value, so its exact and displayed forms
    /// read as one change.
    static func name(_ differences: inout [JSONDifference], recorded: JSONOutput, current: JSONOutput) {
        for index in differences.indices {
            let tokens = JSONDifference.tokens(differences[index].path)
            guard let (name, valuePath) = JSONDifference.naming(tokens, recorded: recorded, current: current) else { continue }
            differences[index].name = name
            differences[index].recordedText = valuePath.flatMap { JSONDifference.display(recorded.at(pointer: $0)) }
            differences[index].currentText = valuePath.flatMap { JSONDifference.display(current.at(pointer: $0)) }
        }
    }

    /// The pointer's tokens, unescaped (`~1` → `/`, `~0` → `~`).
    static func tokens(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            String($0).replacing("~1", with: "/").replacing("~0", with: "~")
        }
    }

    /// The collections of a record whose elements have names, and what an auditor calls them.
    static let namedLists: [(path: [String], kind: String)] = [
        (["parameters"], "parameter"), (["trace", "parameters"], "parameter"), (["trace", "inputs"], "input"),
        (["trace", "criteria"], "criterion"), (["trace", "values"], "value"), (["trace", "outcomes"], "outcome"),
    ]

    /// The members that hold an element's value; a difference below one is shown as the value.
    static let valueMembers: Set<String> = ["value", "result", "status"]

    /// The name of the thing at `tokens` and the tokens of the value to show, or nil to keep the pointer.
    static func naming(_ tokens: [String], recorded: JSONOutput, current: JSONOutput) -> (String, [String]?)? {
        for list in namedLists where tokens.count > list.path.count && Array(tokens.prefix(list.path.count)) == list.path {
            let element = Array(tokens.prefix(list.path.count + 1))
            let nameTokens = element + ["name"]
            guard let name = recorded.at(pointer: nameTokens)?.stringValue ?? current.at(pointer: nameTokens)?.stringValue else {
                return nil
            }
            let rest = Array(tokens.dropFirst(element.count))
            guard let field = rest.first else { return ("\(list.kind) \(name)", element) }
            if valueMembers.contains(field) { return ("\(list.kind) \(name)", element + [field]) }
            return ("\(list.kind) \(name), \(rest.joined(separator: " "))", tokens)
        }
        switch tokens.first {
        case "decision", "firm", "rules", "input", "batch", "engine":
            return (tokens.joined(separator: " ").replacing("_", with: " "), tokens)
        case "fiscal_year", "closing_date":
            return (tokens[0].replacing("_", with: " "), tokens)
        case "trace" where tokens.count > 1 && tokens[1] == "result":
            return ((["result"] + tokens.dropFirst(2)).joined(separator: " "), tokens)
        case "trace" where tokens.count > 1 && tokens[1] == "input":
            return ((["firm data"] + tokens.dropFirst(2)).joined(separator: " ").replacing("_", with: " "), tokens)
        case "trace" where !tokens.contains(where: { Int($0) != nil }):
            // A place without an index has a readable path of names (`trace rule_set version`).
            return (tokens.dropFirst().joined(separator: " ").replacing("_", with: " "), tokens)
        default: return nil
        }
    }

    /// A value as the record displays it: its `display` form for a typed value, the text of a
    /// string, else compact JSON.
    static func display(_ value: JSONOutput?) -> String? {
        guard let value else { return nil }
        if value == .null { return "none" }
        if let shown = value.member("display")?.stringValue { return shown }
        // A text in both languages (a label, a reason): the English one, as the rest of the report.
        if let text = value.member("en")?.stringValue ?? value.member("da")?.stringValue { return text }
        if let text = value.stringValue { return text }
        return compact(value)
    }
}

extension JSONOutput {
    /// The value at a JSON pointer's tokens: member names, and element indexes in arrays.
    func at(pointer tokens: [String]) -> JSONOutput? {
        var current: JSONOutput? = self
        for token in tokens {
            switch current {
            case .object?: current = current?.member(token)
            case .array(let elements)?:
                guard let index = Int(token), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default: return nil
            }
        }
        return current
    }
}
