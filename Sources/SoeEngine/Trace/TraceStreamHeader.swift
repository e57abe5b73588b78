import SoeLanguage

// Decoding the header line of `soe-trace-stream/3` (format in TraceStream.swift) into the parts of
// a `Trace` that are the same for every row, and the small readers of JSON values both the header
// and the rows use.

extension TraceStream {
    /// A decoded header line: the rule set's constant part of every trace.
    struct Header {
        struct Node {
            var formula: String
            var op: NodeOp
            var at: String
            var type: ValueType
            var reference: Explanation.Reference?
            var args: [Int]
            /// A constant's value, from the header; nil for every other node.
            var constant: Evaluated?
        }
        struct Outcome {
            var name: String
            var label: LocalizedText?
            var reason: LocalizedText?
            var condition: Int?
            var criteria: [Int]
            /// Where the rule is written; only for an outcome with several rules.
            var at: String?
        }
        struct Criterion {
            var name: String
            var text: LocalizedText?
            var cite: LocalizedText?
            var formula: Int
        }
        struct Value {
            var name: String
            var description: LocalizedText?
            var type: ValueType
            var formula: Int
        }
        struct Dated {
            var value: Scalar?
            var from: Day?
            var until: Day?
            var at: String
        }
        struct Parameter {
            var name: String
            var description: LocalizedText?
            var type: ValueType
            var basis: Basis?
            var citation: LocalizedText?
            var at: String
            var values: [Dated]
        }
        struct Input {
            var name: String
            var description: LocalizedText?
            var type: ValueType
        }

        var engineVersion: String
        var info: Trace.RuleSetInfo
        var choiceSets: [[String]]
        var inputs: [Input]
        var parameters: [Parameter]
        var values: [Value]
        var criteria: [Criterion]
        var outcomes: [Outcome]
        var nodes: [Node?]
        /// From a CSV batch: each input's column, `(name, number)`, or nil when the CSV has none;
        /// the rows then give only their line. Nil for other streams, whose rows place each input.
        var fields: [(name: String, column: Int)?]?

        /// The operations by their names in traces.
        static let operations: [String: NodeOp] = Dictionary(
            (0...UInt8.max).compactMap(NodeOp.init(rawValue:)).map { (JSONTraceRenderer.opName($0), $0) },
            uniquingKeysWith: { first, _ in first })
        /// The types other than `one of`, by their names in traces.
        static let types: [String: ValueType] = Dictionary(
            [ValueType.money, .percent, .count, .number, .bool, .date, .text].map { ($0.displayName, $0) },
            uniquingKeysWith: { first, _ in first })

        init(parsing bytes: [UInt8]) throws {
            guard case .success(let parsed) = JSONReader.parse(bytes) else { throw TraceStreamError("the header is not valid JSON") }
            let root = parsed.value
            guard (try? Header.string(Header.member(root, "schema"))) == TraceStreamWriter.schema else {
                throw TraceStreamError("the header is not \(TraceStreamWriter.schema)")
            }
            engineVersion = try Header.string(Header.member(Header.member(root, "engine"), "version"))
            let ruleSet = try Header.member(root, "rule_set")
            info = Trace.RuleSetInfo(
                name: try Header.string(Header.member(ruleSet, "name")),
                title: try Header.localized(Header.member(ruleSet, "title")) ?? LocalizedText(""),
                version: try Header.optionalString(Header.member(ruleSet, "version")),
                source: try Header.localized(Header.member(ruleSet, "source")),
                inForceFrom: try Header.day(Header.member(ruleSet, "in_force_from")),
                inForceUntil: try Header.day(Header.member(ruleSet, "in_force_until")),
                buildsOn: try Header.array(Header.member(ruleSet, "builds_on")).map(Header.string),
                sha256: try Header.string(Header.member(ruleSet, "sha256")),
                files: try Header.array(Header.member(ruleSet, "files")).map { file in
                    (try Header.string(Header.member(file.value, "path")), try Header.string(Header.member(file.value, "sha256")))
                })
            choiceSets = try Header.array(Header.member(root, "choices")).map { try Header.array($0).map(Header.string) }
            inputs = try Header.array(Header.member(root, "inputs")).map { item in
                Input(
                    name: try Header.string(Header.member(item.value, "name")),
                    description: try Header.localized(Header.member(item.value, "description")), type: try Header.type(item.value))
            }
            parameters = try Header.array(Header.member(root, "parameters")).map { item in
                let type = try Header.type(item.value)
                let basis = try Header.optionalString(Header.member(item.value, "basis"))
                return Parameter(
                    name: try Header.string(Header.member(item.value, "name")),
                    description: try Header.localized(Header.member(item.value, "description")), type: type,
                    basis: try basis.map { text in
                        guard let basis = Basis(rawValue: text) else { throw TraceStreamError("bad basis \(text)") }
                        return basis
                    },
                    citation: try Header.localized(Header.member(item.value, "citation")),
                    at: try Header.string(Header.member(item.value, "at")),
                    values: try Header.array(Header.member(item.value, "values")).map { dated in
                        var value: Scalar?
                        if case .known(let known) = try Header.evaluated(Header.member(dated.value, "value"), type) { value = known }
                        return Dated(
                            value: value, from: try Header.day(Header.member(dated.value, "from")),
                            until: try Header.day(Header.member(dated.value, "until")),
                            at: try Header.string(Header.member(dated.value, "at")))
                    })
            }
            values = try Header.array(Header.member(root, "values")).map { item in
                Value(
                    name: try Header.string(Header.member(item.value, "name")),
                    description: try Header.localized(Header.member(item.value, "description")), type: try Header.type(item.value),
                    formula: try Header.int(Header.member(item.value, "formula")))
            }
            criteria = try Header.array(Header.member(root, "criteria")).map { item in
                Criterion(
                    name: try Header.string(Header.member(item.value, "name")),
                    text: try Header.localized(Header.member(item.value, "text")),
                    cite: try Header.localized(Header.member(item.value, "cite")),
                    formula: try Header.int(Header.member(item.value, "formula")))
            }
            let criterionIndex = Dictionary(criteria.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
            outcomes = try Header.array(Header.member(root, "outcomes")).map { item in
                Outcome(
                    name: try Header.string(Header.member(item.value, "name")),
                    label: try Header.localized(Header.member(item.value, "label")),
                    reason: try Header.localized(Header.member(item.value, "reason")),
                    condition: try Header.optionalInt(Header.member(item.value, "condition")),
                    criteria: try Header.array(Header.member(item.value, "criteria")).map { name in
                        guard let index = criterionIndex[try Header.string(name)] else {
                            throw TraceStreamError("unknown criterion in outcome")
                        }
                        return index
                    },
                    at: try Header.optionalMember(item.value, "at").map(Header.string))
            }
            nodes = try Header.array(Header.member(root, "nodes")).map { item in
                if item.value == .null { return nil }
                let opName = try Header.string(Header.member(item.value, "op"))
                guard let op = Header.operations[opName] else { throw TraceStreamError("unknown operation \(opName)") }
                var args: [Int] = []
                var reference: Explanation.Reference?
                var constant: Evaluated?
                let type = try Header.type(item.value)
                if case .object(let members) = item.value {
                    if let list = members.first(where: { $0.key == "args" }) { args = try Header.array(list.value.value).map(Header.int) }
                    // A reference names what it reads: the row's value of that input, parameter,
                    // value or criterion is the reference's value too.
                    if let ref = members.first(where: { $0.key == "ref" }) {
                        let index = try Header.int(ref.value)
                        switch op {
                        case .input: reference = .input(index)
                        case .parameter: reference = .parameter(index)
                        case .value: reference = .value(index)
                        case .criterion: reference = .criterion(index)
                        case .constant, .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater,
                            .greaterEqual, .and, .or, .member, .ifThenElse, .minimum, .maximum, .isKnown:
                            throw TraceStreamError("a reference in a node of operation \(opName)")
                        }
                    }
                    if let value = members.first(where: { $0.key == "value" }) { constant = try Header.evaluated(value.value, type) }
                }
                let complete =
                    op == .constant
                    ? constant?.isKnown == true
                    : reference != nil && constant == nil || !TraceStreamWriter.isDerived(op) && reference == nil && constant == nil
                guard complete else {
                    throw TraceStreamError("node of operation \(opName) without its reference or value")
                }
                return Node(
                    formula: try Header.string(Header.member(item.value, "formula")), op: op,
                    at: try Header.string(Header.member(item.value, "at")), type: type,
                    reference: reference, args: args, constant: constant)
            }
            if case .object(let members) = root, let given = members.first(where: { $0.key == "fields" }) {
                let fields = try Header.array(given.value.value).map { item -> (name: String, column: Int)? in
                    if item.value == .null { return nil }
                    let pair = try Header.array(item)
                    guard pair.count == 2 else { throw TraceStreamError("a field is [NAME, COLUMN]") }
                    return (try Header.string(pair[0]), try Header.int(pair[1]))
                }
                // A CSV column holds the input of its name (`BatchLayout`), in a column numbered from 1.
                guard fields.count == inputs.count,
                    zip(fields, inputs).allSatisfy({ field, input in
                        field.map { $0.name == input.name && $0.column >= 1 } ?? true
                    })
                else { throw TraceStreamError("the header's fields do not match its inputs") }
                self.fields = fields
            }
        }

        // MARK: - Reading JSON values

        static func member(_ value: JSONValue, _ key: String) throws -> JSONValue {
            guard case .object(let members) = value, let member = members.first(where: { $0.key == key }) else {
                throw TraceStreamError("missing member \(key)")
            }
            return member.value.value
        }

        /// A member that may be absent (added by a later engine only where it has something to say).
        static func optionalMember(_ value: JSONValue, _ key: String) throws -> JSONValue? {
            guard case .object(let members) = value else { throw TraceStreamError("expected an object") }
            return members.first(where: { $0.key == key })?.value.value
        }

        static func string(_ value: JSONValue) throws -> String {
            guard case .string(let text) = value else { throw TraceStreamError("expected a string") }
            return text
        }
        static func string(_ node: JSONNode) throws -> String { try string(node.value) }

        static func optionalString(_ value: JSONValue) throws -> String? {
            if value == .null { return nil }
            return try string(value)
        }

        static func int(_ value: JSONValue) throws -> Int {
            guard case .number(let text) = value, let number = Int(text) else { throw TraceStreamError("expected an integer") }
            return number
        }
        static func int(_ node: JSONNode) throws -> Int { try int(node.value) }

        static func optionalInt(_ value: JSONValue) throws -> Int? {
            if value == .null { return nil }
            return try int(value)
        }
        static func optionalInt(_ node: JSONNode) throws -> Int? { try optionalInt(node.value) }

        static func array(_ value: JSONValue) throws -> [JSONNode] {
            guard case .array(let items) = value else { throw TraceStreamError("expected an array") }
            return items
        }
        static func array(_ node: JSONNode) throws -> [JSONNode] { try array(node.value) }

        static func day(_ value: JSONValue) throws -> Day? {
            guard let text = try optionalString(value) else { return nil }
            guard let day = Day(iso: text) else { throw TraceStreamError("bad date \(text)") }
            return day
        }

        static func localized(_ value: JSONValue) throws -> LocalizedText? {
            if value == .null { return nil }
            return LocalizedText(try string(member(value, "da")), english: try optionalString(member(value, "en")))
        }

        static func inputSet(_ value: JSONValue) throws -> InputSet {
            var set = InputSet()
            for item in try array(value) { set.insert(try int(item)) }
            return set
        }

        /// `"type"` and, for `one of`, `"choice"` of a header entry.
        static func type(_ value: JSONValue) throws -> ValueType {
            let name = try string(member(value, "type"))
            if let type = types[name] { return type }
            guard name == ValueType.choice(0).displayName else { throw TraceStreamError("unknown type \(name)") }
            return .choice(try int(member(value, "choice")))
        }

        /// A VALUE of the format, read as a value of `type`.
        static func evaluated(_ node: JSONNode, _ type: ValueType) throws -> Evaluated { try evaluated(node.value, type) }

        static func evaluated(_ value: JSONValue, _ type: ValueType) throws -> Evaluated {
            switch value {
            case .bool(let flag): return .known(.bool(flag))
            case .number(let text):
                guard let index = Int(text) else { throw TraceStreamError("bad choice \(text)") }
                return .known(.choice(index))
            case .string(let text):
                switch type {
                case .money, .percent, .count, .number:
                    guard let exact = exact(text) else { throw TraceStreamError("bad number \(text)") }
                    return .known(.number(exact))
                case .date:
                    guard let day = Day(iso: text) else { throw TraceStreamError("bad date \(text)") }
                    return .known(.date(day))
                default: return .known(.text(text))
                }
            case .object:
                var unknown = Unknown(missing: try inputSet(member(value, "missing")))
                if case .object(let members) = value, let problem = members.first(where: { $0.key == "problem" }) {
                    guard let kind = Problem.Kind(rawValue: try string(problem.value)) else { throw TraceStreamError("bad problem") }
                    unknown.problem = Problem(kind: kind, node: -1)
                }
                return .unknown(unknown)
            case .null: return .unknown(Unknown())
            case .array: throw TraceStreamError("unexpected array as a value")
            }
        }

        /// The exact text of `soe-trace/1` (`-12.50`, `42/47`) as a number. A decimal `D/10^p` (D its
        /// digits without the point) is brought to lowest terms on the digits themselves, so that
        /// one whose digits do not fit 128 bits is still read when its value fits `Exact`: money
        /// near the limit with `.00`, or 1/2^100, whose 100 places are 5^100 over 10^100.
        static func exact(_ text: String) -> Exact? {
            if let slash = text.firstIndex(of: "/") {
                guard let numerator = Int128(text[..<slash]), let denominator = Int128(text[text.index(after: slash)...]) else {
                    return nil
                }
                return Exact(numerator: numerator, denominator: denominator)
            }
            guard let point = text.firstIndex(of: ".") else { return Int128(text).map { Exact(integer: $0) } }
            let negative = text.hasPrefix("-")
            let whole = text[text.index(text.startIndex, offsetBy: negative ? 1 : 0)..<point]
            let fraction = text[text.index(after: point)...]
            var digits: [UInt8] = []
            for character in whole + fraction {
                guard let ascii = character.asciiValue, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(ascii) else { return nil }
                digits.append(ascii - UInt8(ascii: "0"))
            }
            guard !whole.isEmpty, !fraction.isEmpty else { return nil }
            // D/(2^twos·5^fives): cancel each factor 2 and 5 that D shares with 10^p.
            var twos = fraction.count
            var fives = fraction.count
            while twos > 0, let last = digits.last, last % 2 == 0, divide(&digits, by: 2) { twos -= 1 }
            while fives > 0, let last = digits.last, last % 5 == 0, divide(&digits, by: 5) { fives -= 1 }
            var denominator: Int128 = 1
            for factor in Array(repeating: Int128(2), count: twos) + Array(repeating: Int128(5), count: fives) {
                let (product, overflow) = denominator.multipliedReportingOverflow(by: factor)
                guard !overflow else { return nil }
                denominator = product
            }
            let magnitude = digits.drop { $0 == 0 }.map { Character(Unicode.Scalar($0 + UInt8(ascii: "0"))) }
            guard let numerator = Int128((negative ? "-" : "") + (magnitude.isEmpty ? "0" : String(magnitude))) else { return nil }
            return Exact(numerator: numerator, denominator: denominator)
        }

        /// Divides decimal digits (most significant first) by 2 or 5 in place when it goes evenly.
        static func divide(_ digits: inout [UInt8], by divisor: UInt8) -> Bool {
            var quotient: [UInt8] = []
            quotient.reserveCapacity(digits.count)
            var remainder = 0
            for digit in digits {
                let current = remainder * 10 + Int(digit)
                quotient.append(UInt8(current / Int(divisor)))
                remainder = current % Int(divisor)
            }
            guard remainder == 0 else { return false }
            digits = quotient
            return true
        }
    }
}
