import SoeLanguage

// Reading `soe-trace-stream/3` back (format in TraceStream.swift): a header line and a row become
// the `Trace` that `TraceBuilder` would have built, which `JSONTraceRenderer` then writes. Going
// through the same `Trace` and the same renderer is what makes the expansion byte-identical to the
// `soe-trace/1` document written directly, rather than a second printer that could drift from it.

/// Why a header or row could not be expanded.
public struct TraceStreamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, lower case, no full stop.
    public let message: String
    /// An error with its message.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Expands `soe-trace-stream/3` rows into `soe-trace/1` documents.
public enum TraceStream {
    /// The `soe-trace/1` document of one row: `row` is the compact row, or a batch result line that
    /// carries it as its `trace` member; `header` is the header line of its rule set.
    public static func expand(header: [UInt8], row: [UInt8]) -> Result<JSONOutput, TraceStreamError> {
        do {
            return .success(JSONTraceRenderer.document(try trace(header: Header(parsing: header), row: row)))
        } catch let error as TraceStreamError {
            return .failure(error)
        } catch {
            return .failure(TraceStreamError("\(error)"))
        }
    }

    /// Like `expand(header:row:)` for several rows of one rule set: the header is decoded once.
    public static func expand(header: [UInt8], rows: [[UInt8]]) -> Result<[JSONOutput], TraceStreamError> {
        do {
            let decoded = try Header(parsing: header)
            return .success(try rows.map { JSONTraceRenderer.document(try trace(header: decoded, row: $0)) })
        } catch let error as TraceStreamError {
            return .failure(error)
        } catch {
            return .failure(TraceStreamError("\(error)"))
        }
    }

    /// Whether a line of a stream is a header line (as opposed to a row or a result line).
    public static func isHeader(_ line: [UInt8]) -> Bool {
        guard case .success(let node) = JSONReader.parse(line), case .object(let members) = node.value else { return false }
        return members.first.map { $0.key == "schema" && $0.value.value == .string(TraceStreamWriter.schema) } ?? false
    }

    /// The rule set's name of a header line, to match rows to their header.
    public static func ruleSetName(ofHeader line: [UInt8]) -> String? {
        guard case .success(let node) = JSONReader.parse(line) else { return nil }
        return try? Header.string(Header.member(Header.member(node.value, "rule_set"), "name"))
    }

    /// The `rule_set` name of a row or result line, and whether it carries a trace.
    public static func ruleSetName(ofRow line: [UInt8]) -> (name: String, hasTrace: Bool)? {
        guard case .success(let node) = JSONReader.parse(line), let name = try? Header.string(Header.member(node.value, "rule_set"))
        else { return nil }
        if case .object(let members) = node.value, members.contains(where: { $0.key == "trace" || $0.key == "nodes" }) {
            return (name, true)
        }
        return (name, false)
    }

    // MARK: - Decoding a row

    static func trace(header: Header, row bytes: [UInt8]) throws -> Trace {
        guard case .success(let parsed) = JSONReader.parse(bytes) else { throw TraceStreamError("the row is not valid JSON") }
        var row = parsed.value
        if case .object(let members) = row, let trace = members.first(where: { $0.key == "trace" }) { row = trace.value.value }
        let name = try Header.string(Header.member(row, "rule_set"))
        guard name == header.info.name else {
            throw TraceStreamError("the row is for rule set \(name), the header for \(header.info.name)")
        }
        let input = try Header.member(row, "input")
        let closing = try Header.string(Header.member(input, "closing_date"))
        guard let closingDay = Day(iso: closing) else { throw TraceStreamError("bad closing_date \(closing)") }
        let firm = Trace.FirmInfo(
            source: try Header.string(Header.member(input, "source")), sha256: try Header.string(Header.member(input, "sha256")),
            name: try Header.optionalString(Header.member(input, "name")), cvr: try Header.optionalString(Header.member(input, "cvr")),
            fiscalYear: try Header.optionalInt(Header.member(input, "fiscal_year")), closingDay: closingDay)

        let result = try Header.member(row, "result")
        let status = try Header.string(Header.member(result, "status"))
        let evaluated = status != "not_in_force"
        let problems: [Problem] = try Header.array(Header.member(result, "problems")).map { item in
            let pair = try Header.array(item)
            guard pair.count == 2, let kind = Problem.Kind(rawValue: try Header.string(pair[0])),
                let node = Int32(exactly: try Header.int(pair[1]))
            else {
                throw TraceStreamError("bad problem in row")
            }
            return Problem(kind: kind, node: node)
        }
        let decision: Decision
        if !evaluated {
            // Judged on the closing date unless the row names another day (`--as-of`).
            var day = closingDay
            if let on = try Header.optionalMember(result, "on"), let given = try Header.day(on) { day = given }
            decision = Decision(notInForce: day)
        } else if let outcome = try Header.optionalInt(Header.member(result, "outcome")) {
            decision = Decision(outcome: outcome)
        } else {
            decision = Decision(
                missing: try Header.inputSet(Header.member(result, "missing")),
                possible: try Header.array(Header.member(result, "possible_outcomes")).map(Header.int),
                problems: problems)
        }

        let criterionValues = try Header.array(Header.member(row, "criteria"))
        let valueValues = try Header.array(Header.member(row, "values"))
        guard criterionValues.count == header.criteria.count, valueValues.count == header.values.count else {
            throw TraceStreamError("the row's criteria or values do not match the header")
        }
        let criterionResults = try criterionValues.map { try Header.evaluated($0, .bool) }
        let valueResults = try zip(valueValues, header.values).map { try Header.evaluated($0, $1.type) }
        let chosen = try Header.array(Header.member(row, "parameters"))
        guard chosen.count == header.parameters.count else { throw TraceStreamError("the row's parameters do not match the header") }
        let parameters = try header.parameters.enumerated().map { index, parameter in
            var step = Trace.ParameterStep(
                name: parameter.name, description: parameter.description, type: parameter.type,
                basis: parameter.basis, citation: parameter.citation, value: nil, from: nil,
                until: nil, at: parameter.at)
            if let position = try Header.optionalInt(chosen[index]) {
                guard position >= 0, position < parameter.values.count, parameter.values[position].value != nil else {
                    throw TraceStreamError("no dated value \(position) of \(parameter.name)")
                }
                let dated = parameter.values[position]
                step.value = dated.value
                step.from = dated.from
                step.until = dated.until
                step.at = dated.at
            }
            return step
        }
        let inputValues = try Header.array(Header.member(row, "inputs"))
        guard inputValues.count == header.inputs.count else { throw TraceStreamError("the row's inputs do not match the header") }
        // From a CSV, the header gives each input's column and the row its line.
        let line = header.fields == nil ? nil : try Header.int(Header.member(input, "line"))
        let inputs = try header.inputs.enumerated().map { index, input in
            let item = try Header.array(inputValues[index])
            guard item.count == 1 || item.count == 4 && line == nil else { throw TraceStreamError("bad input \(input.name) in row") }
            var step = Trace.InputStep(name: input.name, description: input.description, type: input.type, value: nil, field: nil)
            if item[0].value != .null, case .known(let value) = try Header.evaluated(item[0], input.type) { step.value = value }
            if item.count == 4 {
                step.field = Firm.Field(
                    cell: .null, pointer: try Header.string(item[1]), line: try Header.int(item[2]),
                    column: try Header.int(item[3]))
            } else if let line, let field = header.fields?[index] {
                step.field = Firm.Field(cell: .null, pointer: field.name, line: line, column: field.column)
            }
            return step
        }

        let results = try nodeResults(
            header, row: try Header.array(Header.member(row, "nodes")), evaluated: evaluated,
            inputs: inputs, parameters: parameters, criteria: criterionResults, values: valueResults)
        // A header from outside may describe a formula that contains itself, or nests deeper than
        // any rule file can: both are errors, not an endless or too deep recursion.
        var explained: [Int: Explanation] = [:]
        var open = Set<Int>()
        func explain(_ index: Int) throws -> Explanation {
            if let done = explained[index] { return done }
            guard index >= 0, index < header.nodes.count, let node = header.nodes[index], let result = results[index] else {
                throw TraceStreamError("node \(index) is not in the header")
            }
            guard open.count < Parser.maxDepth * 2, open.insert(index).inserted else {
                throw TraceStreamError("node \(index) contains itself or nests too deep")
            }
            defer { open.remove(index) }
            let explanation = Explanation(
                formula: node.formula, op: node.op, type: node.type, result: result,
                children: try node.args.map(explain), reference: node.reference, at: node.at)
            explained[index] = explanation
            return explanation
        }

        var outcomes: [Trace.OutcomeStep] = []
        var reached = evaluated
        let routes = Trace.OutcomeStep.routes(of: header.outcomes.map(\.name))
        for (index, outcome) in header.outcomes.enumerated() {
            var status: Trace.OutcomeStatus = .notReached
            var condition: Explanation?
            if reached {
                if let root = outcome.condition { condition = try explain(root) }
                status = .of(condition: condition?.result, outcome: index, decision: decision)
                if status == .applies { reached = false }
            }
            outcomes.append(
                Trace.OutcomeStep(
                    rank: index + 1, name: outcome.name, label: outcome.label, reason: outcome.reason,
                    isFallback: outcome.condition == nil, status: status, condition: condition,
                    criteria: outcome.criteria, route: routes[index].route, routes: routes[index].routes, at: outcome.at))
        }
        let criteria = try header.criteria.enumerated().map { index, criterion in
            Trace.CriterionStep(
                name: criterion.name, text: criterion.text, cite: criterion.cite,
                result: criterionResults[index], formula: try explain(criterion.formula))
        }
        let values = try header.values.enumerated().map { index, value in
            Trace.ValueStep(
                name: value.name, description: value.description, type: value.type,
                result: valueResults[index], formula: try explain(value.formula))
        }
        let problemInfos = try problems.map { problem -> Trace.ProblemInfo in
            if problem.kind == .noParameterValue {
                guard problem.node >= 0, Int(problem.node) < header.parameters.count else {
                    throw TraceStreamError("bad problem parameter")
                }
                let parameter = header.parameters[Int(problem.node)]
                return Trace.ProblemInfo(kind: problem.kind, formula: parameter.name, at: parameter.at)
            }
            guard problem.node >= 0, Int(problem.node) < header.nodes.count, let node = header.nodes[Int(problem.node)] else {
                throw TraceStreamError("bad problem node \(problem.node)")
            }
            return Trace.ProblemInfo(kind: problem.kind, formula: node.formula, at: node.at)
        }
        var trace = Trace(
            ruleSet: header.info, firm: firm, engineVersion: header.engineVersion, decision: decision,
            outcomes: outcomes, criteria: criteria, values: values, parameters: parameters, inputs: inputs,
            problems: problemInfos, choiceSets: header.choiceSets)
        // A what-if on another day's rules (`--as-of`), as the trace written directly says it.
        if let given = try Header.optionalMember(result, "as_of") { trace.asOf = try Header.day(given) }
        return trace
    }

    /// The value of every node the header lists (nil for the others): the computed ones from the
    /// row's `nodes`, in index order; the rest as the essay says, from what the row already holds.
    static func nodeResults(
        _ header: Header, row: [JSONNode], evaluated: Bool, inputs: [Trace.InputStep],
        parameters: [Trace.ParameterStep], criteria: [Evaluated],
        values: [Evaluated]
    ) throws -> [Evaluated?] {
        var roots: [Int: Evaluated] = [:]
        if evaluated {
            for (index, criterion) in header.criteria.enumerated() { roots[criterion.formula] = criteria[index] }
            for (index, value) in header.values.enumerated() { roots[value.formula] = values[index] }
        }
        var results = [Evaluated?](repeating: nil, count: header.nodes.count)
        var next = 0
        for (index, node) in header.nodes.enumerated() {
            guard let node else { continue }
            switch node.reference {
            case .input(let input)?:
                guard input >= 0, input < inputs.count else { throw TraceStreamError("node \(index) reads no input") }
                results[index] = inputs[input].value.map(Evaluated.known) ?? .unknown(Unknown(missing: InputSet(input)))
            case .parameter(let parameter)?:
                guard parameter >= 0, parameter < parameters.count else { throw TraceStreamError("node \(index) reads no parameter") }
                if let value = parameters[parameter].value {
                    results[index] = .known(value)
                } else {
                    // Evaluated with no value in force is a problem; not in force, nothing was loaded.
                    let problem = evaluated ? Problem(kind: .noParameterValue, node: Int32(parameter)) : nil
                    results[index] = .unknown(Unknown(problem: problem))
                }
            case .value(let value)?:
                guard value >= 0, value < values.count else { throw TraceStreamError("node \(index) reads no value") }
                results[index] = values[value]
            case .criterion(let criterion)?:
                guard criterion >= 0, criterion < criteria.count else { throw TraceStreamError("node \(index) reads no criterion") }
                results[index] = criteria[criterion]
            case nil:
                if let constant = node.constant {
                    results[index] = constant
                } else if let root = roots[index] {
                    results[index] = root
                } else {
                    guard next < row.count else { throw TraceStreamError("the row has too few node values") }
                    results[index] = try Header.evaluated(row[next], node.type)
                    next += 1
                }
            }
        }
        guard next == row.count else { throw TraceStreamError("the row has \(row.count) node values, the header \(next) computed nodes") }
        return results
    }
}
