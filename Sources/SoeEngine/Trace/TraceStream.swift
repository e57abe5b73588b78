import SoeLanguage

// The streaming trace format `soe-trace-stream/3`: full traces for batches of a million firms.
//
// # Why a second format
//
// A `soe-trace/1` document repeats, for every firm, everything that depends only on the rule set:
// each formula's text, operation and place, every criterion's text and citation, every parameter's
// description and legal basis. That is about 29 KB of JSON per firm and rule set, nearly all of it
// the same from row to row, and building a `Trace` and a `JSONOutput` tree for each row costs more
// than deciding. The stream says the constant part once, in a *header* line per rule set, and then
// per row only what varies: who the firm is, the result, which dated parameter value was in force,
// the input values with where they came from, and the value of every formula node that these do
// not already give (see "Which node values a row writes" below).
//
// Version 2 replaced version 1 on 2026-11-23: rows stopped writing the values of references,
// constants and definitions' top nodes, and header nodes gained `ref` and `value`. Since the
// meaning of a row's `nodes` changed, a version 1 header is refused by `expand`, not misread.
//
// # Nothing is lost
//
// The stream is a *full* trace, not a summary: `TraceStream.expand(header:row:)` rebuilds the
// `soe-trace/1` document of a row from its header line and its row, byte for byte, by decoding
// both into the same `Trace` that `TraceBuilder` builds and rendering it with `JSONTraceRenderer`.
// A test holds every sample firm under every rule set to that (`TraceStreamTests`), another the
// rows of generated firms, written from the program's registers and through `evaluate(_:)`
// alike (`TraceStreamRowTests`).
//
// # Header line (one per rule set)
//
//     {"schema":"soe-trace-stream/3","engine":{name,version},"rule_set":{…as in soe-trace/1…},
//      "choices":[[names…]…],
//      "inputs":[{name,description,type[,choice]}…],
//      "parameters":[{name,description,type[,choice],basis,citation,at,
//                     "values":[{value,from,until,at}…]}…],
//      "values":[{name,description,type[,choice],formula:NODE}…],
//      "criteria":[{name,text,cite,formula:NODE}…],
//      "outcomes":[{name,label,reason,fallback,condition:NODE|null,criteria:[names]}…],
//      "nodes":[{formula,op,at,type[,choice][,ref:INDEX][,value:VALUE][,args:[NODE…]]}|null…]
//      [,"fields":[[FIELD,COLUMN]|null…]]}
//
// NODE is an index into `nodes`; `null` stands for a node of the checked rule set that no trace
// shows (such as the formula of an overridden definition). A `choice` member gives the index into
// `choices` of a `one of` type. A reference (`op` input, parameter, value or criterion) has `ref`,
// the index of what it reads among the header's inputs, parameters, values or criteria; a constant
// has its `value`. A parameter's dated `value` and a constant's are written like a node value below.
// A stream of a CSV batch ends its header with `fields`: for each input, the column that holds it
// (its name and 1-based number) or `null`; they are the same in every row, so its rows leave them out.
//
// # Row (one per firm and rule set)
//
//     {"rule_set":NAME,"input":{…as in soe-trace/1…[,"line":LINE]},
//      "result":{"status":…,"outcome":INDEX|null,"missing":[INPUT…],"possible_outcomes":[INDEX…],
//                "problems":[[KIND,NODE or PARAMETER]…]},
//      "parameters":[INDEX of the dated value in force|null…],
//      "inputs":[[VALUE]|[VALUE,FIELD,LINE,COLUMN]…],
//      "criteria":[VALUE…],"values":[VALUE…],"nodes":[VALUE…]}
//
// Each input is `[VALUE,FIELD,LINE,COLUMN]` when it has a source, `[VALUE]` when not. In a CSV
// batch's stream every input is `[VALUE]` and the row's `input` has the record's `line`: the input's
// source is FIELD and COLUMN from the header's `fields`, on that line. Version 3 (2026-11-23) moved
// the columns to the header, a third of a CSV row's bytes; headers of versions 1 and 2 are refused.
//
// A VALUE is `true`/`false`, a string holding the exact text as in `soe-trace/1` (`"4200000.00"`,
// `"42/47"`, a date, a text), an integer for a choice, `null` for an input that is missing, or for an
// unknown result `{"missing":[INPUT…]}` with `"problem":KIND` when there is one. The display forms
// of `soe-trace/1` are not written: they follow from the exact value and the type.
//
// # Which node values a row writes
//
// A trace shows the value of every node, but most of them are already in the row or the header,
// and writing them again made up most of a row (and of the time to write it). So `nodes` holds
// the values of the *computed* nodes only, in index order: those the header lists that are not a
// reference or a constant, and, when the row was evaluated (its status is not `not_in_force`),
// not the root formula of a value or criterion either. The expansion fills in the rest:
//
// - a constant: its `value` in the header;
// - a reference to an input: the input's value in the row, or `{"missing":[INPUT]}` when null;
// - a reference to a parameter: the dated value in force; with none, `{"missing":[]}` with the
//   problem `no_parameter_value` when the row was evaluated, without one when not in force;
// - a reference to a value or criterion: the row's VALUE of that value or criterion;
// - the root of a value or criterion in an evaluated row: the VALUE of its definition, which is
//   what the evaluator computed for that node (`Evaluator.valueResult(_:)` is the root's value).
//
// When the rule set is not in force nothing was decided: the values and criteria are unknown, but
// each formula node is still shown as the evaluator computes it from the inputs, so roots are
// written with the other computed nodes.

/// Writes `soe-trace-stream/3` (see the essay at the top of this file): one header line per rule
/// set, made once, and one compact row per firm, written straight into a byte buffer.
public struct TraceStreamWriter: Sendable {
    /// The version of the streaming format.
    public static let schema = "soe-trace-stream/3"

    /// The rule set the rows describe.
    public let ruleSet: RuleSet
    /// The day the rules were taken on instead of each firm's closing date (`--as-of`), which
    /// each row's `result` then names as `as_of`; nil for a batch on the firms' own years.
    public var asOf: Day? = nil
    /// The header line, without a line break.
    public let headerLine: [UInt8]
    /// What the row loop reads, made once. One reference, so that the batch's per-row copy of the
    /// writer costs one retain rather than one per table.
    let layout: Layout

    /// The fixed pieces of every row of one rule set, copied out of the rule set so that the row
    /// loop does not copy whole definitions.
    final class Layout: Sendable {
        /// A node whose value a row writes, and whether it is written as money (two places).
        struct Computed {
            var node: Int32
            var money: Bool
        }
        /// The nodes whose values a row writes, in index order (see the essay): every traced node
        /// that computes something, and, for a row that was evaluated, only those that are not the
        /// root of a value or criterion.
        let computed: [Computed]
        let computedNonRoot: [Computed]
        /// `{"rule_set":"NAME","input":{"source":`, escaped once.
        let rowPrefix: [UInt8]
        /// For each parameter, the places of its dated values, to find the one in force.
        let datedValueRanges: [[Range<Int>]]
        /// Whether each input and value is money.
        let inputMoney: [Bool]
        let valueMoney: [Bool]
        let criterionCount: Int

        init(_ ruleSet: RuleSet, traced: [Bool]) {
            var isRoot = [Bool](repeating: false, count: ruleSet.nodes.count)
            for root in ruleSet.criteria.map(\.root) + ruleSet.values.map(\.root) where root >= 0 { isRoot[Int(root)] = true }
            let computed = ruleSet.nodes.indices.filter { traced[$0] && !TraceStreamWriter.isDerived(ruleSet.nodes[$0].op) }
            self.computed = computed.map { Computed(node: Int32($0), money: ruleSet.nodes[$0].type == .money) }
            computedNonRoot = self.computed.filter { !isRoot[Int($0.node)] }
            var prefix: [UInt8] = []
            prefix += "{\"rule_set\":".utf8
            JSONOutput.appendQuoted(ruleSet.name, to: &prefix)
            prefix += ",\"input\":{\"source\":".utf8
            rowPrefix = prefix
            datedValueRanges = ruleSet.parameters.map { $0.values.map(\.span.range) }
            inputMoney = ruleSet.inputs.map { $0.type == .money }
            valueMoney = ruleSet.values.map { $0.type == .money }
            criterionCount = ruleSet.criteria.count
        }
    }

    /// Prepares the header and the fixed pieces of each row.
    public init(ruleSet: RuleSet, engineVersion: String) {
        self.ruleSet = ruleSet
        var traced = [Bool](repeating: false, count: ruleSet.nodes.count)
        var roots = ruleSet.criteria.map(\.root) + ruleSet.values.map(\.root)
        roots += ruleSet.outcomes.compactMap(\.condition)
        while let index = roots.popLast() {
            guard index >= 0, Int(index) < traced.count, !traced[Int(index)] else { continue }
            traced[Int(index)] = true
            roots += TraceStreamWriter.children(index, ruleSet)
        }
        layout = Layout(ruleSet, traced: traced)
        var header: [UInt8] = []
        TraceStreamWriter.header(ruleSet, engineVersion: engineVersion, traced: traced).write(into: &header, pretty: false)
        headerLine = header
    }

    /// Whether a node's value follows from the rest of the row and the header (a reference to an
    /// input, parameter, value or criterion, or a constant), so that rows do not write it.
    static func isDerived(_ op: NodeOp) -> Bool {
        switch op {
        case .input, .parameter, .value, .criterion, .constant: true
        case .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and, .or,
            .member, .ifThenElse, .minimum, .maximum, .isKnown:
            false
        }
    }

    /// The operands of a node in the order a trace shows them; references and constants have none.
    static func children(_ index: Int32, _ ruleSet: RuleSet) -> [Int32] {
        let node = ruleSet.nodes[Int(index)]
        switch node.op {
        case .input, .parameter, .value, .criterion, .constant: return []
        case .and, .or, .minimum, .maximum:
            let start = Int(node.listStart)
            return (0..<Int(node.listCount)).map { ruleSet.lists[start + $0] }
        case .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .member,
            .ifThenElse, .isKnown:
            return [node.a, node.b, node.c].filter { $0 >= 0 }
        }
    }

    /// The header as a JSON value.
    static func header(_ ruleSet: RuleSet, engineVersion: String, traced: [Bool]) -> JSONOutput {
        let info = Trace.RuleSetInfo(
            name: ruleSet.name, title: ruleSet.title, version: ruleSet.version, source: ruleSet.source,
            inForceFrom: ruleSet.inForceFrom, inForceUntil: ruleSet.inForceUntil, buildsOn: ruleSet.ancestry,
            sha256: ruleSet.sha256, files: ruleSet.files.map { ($0.path, $0.sha256) })
        let text = JSONTraceRenderer.text
        let inputs: [JSONOutput] = ruleSet.inputs.map { input in
            .object([("name", .string(input.name)), ("description", text(input.description))] + typed(input.type))
        }
        let parameters: [JSONOutput] = ruleSet.parameters.map { parameter in
            let values: [JSONOutput] = parameter.values.map { dated in
                var value: [UInt8] = []
                TraceStreamWriter.append(.known(dated.value), parameter.type, to: &value)
                return .object([
                    ("value", .number(String(decoding: value, as: UTF8.self))),
                    ("from", JSONTraceRenderer.day(dated.from)), ("until", JSONTraceRenderer.day(dated.until)),
                    ("at", .string(TraceBuilder.place(dated.span))),
                ])
            }
            return .object(
                [("name", .string(parameter.name)), ("description", text(parameter.description))]
                    + typed(parameter.type)
                    + [
                        ("basis", parameter.basis.map { .string($0.rawValue) } ?? .null), ("citation", text(parameter.citation)),
                        ("at", .string(TraceBuilder.place(parameter.span))), ("values", .array(values)),
                    ])
        }
        let values: [JSONOutput] = ruleSet.values.map { value in
            .object(
                [("name", .string(value.name)), ("description", text(value.description))] + typed(value.type)
                    + [("formula", .number(String(value.root)))])
        }
        let criteria: [JSONOutput] = ruleSet.criteria.map { criterion in
            .object([
                ("name", .string(criterion.name)), ("text", text(criterion.text)), ("cite", text(criterion.cite)),
                ("formula", .number(String(criterion.root))),
            ])
        }
        let outcomes: [JSONOutput] = ruleSet.outcomes.map { outcome in
            var used: [Int] = []
            if let root = outcome.condition { TraceBuilder.collectCriteria(root, ruleSet, into: &used) }
            var fields: [(String, JSONOutput)] = [
                ("name", .string(outcome.name)), ("label", text(outcome.label)), ("reason", text(outcome.reason)),
                ("fallback", .bool(outcome.condition == nil)),
                ("condition", outcome.condition.map { .number(String($0)) } ?? .null),
                ("criteria", .array(used.map { .string(ruleSet.criteria[$0].name) })),
            ]
            // Only an outcome with several rules says where each is, so a header without routes
            // is byte for byte what it was.
            if outcome.routes > 1 { fields.append(("at", .string(TraceBuilder.place(outcome.span)))) }
            return .object(fields)
        }
        let nodes: [JSONOutput] = ruleSet.nodes.indices.map { index in
            guard traced[index] else { return .null }
            let node = ruleSet.nodes[index]
            let file = ruleSet.files[Int(node.fileIndex)].source
            var fields: [(String, JSONOutput)] =
                [
                    ("formula", .string(file.text(node.range))), ("op", .string(JSONTraceRenderer.opName(node.op))),
                    ("at", .string(TraceBuilder.place(SourceSpan(file: file, range: node.range)))),
                ] + typed(node.type)
            switch node.op {
            case .input, .parameter, .value, .criterion: fields.append(("ref", .number(String(node.a))))
            case .constant:
                var value: [UInt8] = []
                TraceStreamWriter.append(.known(ruleSet.constants[Int(node.a)]), node.type, to: &value)
                fields.append(("value", .number(String(decoding: value, as: UTF8.self))))
            case .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and,
                .or, .member, .ifThenElse, .minimum, .maximum, .isKnown:
                break
            }
            let children = TraceStreamWriter.children(Int32(index), ruleSet)
            if !children.isEmpty { fields.append(("args", .array(children.map { .number(String($0)) }))) }
            return .object(fields)
        }
        return .object([
            ("schema", .string(schema)),
            ("engine", .object([("name", .string("soe")), ("version", .string(engineVersion))])),
            ("rule_set", JSONTraceRenderer.ruleSetObject(info)),
            ("choices", .array(ruleSet.choiceSets.map { .array($0.map(JSONOutput.string)) })),
            ("inputs", .array(inputs)),
            ("parameters", .array(parameters)),
            ("values", .array(values)),
            ("criteria", .array(criteria)),
            ("outcomes", .array(outcomes)),
            ("nodes", .array(nodes)),
        ])
    }

    /// `"type":NAME`, and for a `one of` type the index of its choices.
    static func typed(_ type: ValueType) -> [(String, JSONOutput)] {
        if case .choice(let set) = type { return [("type", .string(type.displayName)), ("choice", .number(String(set)))] }
        return [("type", .string(type.displayName))]
    }
}
