import SoeLanguage

// A record's trace read back into the `Trace` the renderers take, so that a dossier can be made
// from an archived record without the rule files or the firm data: everything the dossier shows is
// in the record's `soe-trace/1` document. Each member is decoded as `JSONTraceRenderer` writes it;
// what the document does not say is not invented: an outcome's tone is not in a trace, so a dossier
// from a record shows every outcome in the neutral colour.

/// Why a record's trace cannot be shown: what is wrong, lower case, no full stop.
public struct RecordTraceError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension StoredRecord {
    /// The decision the record holds, as a `Trace` for the renderers, with the record's decision
    /// date and its seal. A record whose seal does not match its content is refused: a dossier
    /// must not show an edited record as the one that was sealed.
    public func trace() -> Result<Trace, RecordTraceError> {
        guard isIntact else {
            let claimed = claimedSeal.map { "its record_sha256 is \($0)" } ?? "it has no record_sha256"
            return .failure(
                RecordTraceError(
                    "the record was edited after it was sealed: \(claimed), but its content hashes to \(computedSeal); "
                        + "run soe verify to see what differs"))
        }
        guard let document = members.first(where: { $0.0 == "trace" })?.1 else {
            return .failure(RecordTraceError("the record has no trace"))
        }
        do {
            var decoder = RecordTraceDecoder(document)
            var decoded = try decoder.trace()
            decoded.decisionDate = try decisionDate.map { text in
                guard let day = Day(iso: text) else { throw RecordTraceError("decision_date \(text) is not a date") }
                return day
            }
            if let number = members.first(where: { $0.0 == DecisionRecord.caseNumberKey })?.1 {
                guard let text = number.stringValue else { throw RecordTraceError("case_number is not a string") }
                decoded.caseNumber = text
            }
            decoded.percentReading = percentReading
            decoded.recordSeal = computedSeal
            decoded.recordTraceSchema = decoder.schema
            decoded.recordedAnalysis = document.member("analysis")
            decoded.recordedBoundsOutcome = decoder.boundsOutcome
            // The analysis for the renderers (the dossier shows it); the JSON keeps the member as read.
            if let analysis = decoded.recordedAnalysis, analysis != .null {
                decoded.analysis = try decoder.analysis(analysis, of: decoded, boundsDecided: decoder.boundsOutcome != nil)
                // A change to a choice may name a member the rest of the trace never used.
                decoded.choiceSets = [decoder.choices]
            }
            return .success(decoded)
        } catch let error as RecordTraceError {
            return .failure(error)
        } catch {
            return .failure(RecordTraceError("\(error)"))
        }
    }
}

/// Decodes one `soe-trace/1` document. Names are resolved to the indices the renderers use; a
/// name the document does not define is an error, never a guess.
struct RecordTraceDecoder {
    let root: JSONOutput
    var inputNames: [String] = []
    var parameterNames: [String] = []
    var valueNames: [String] = []
    var criterionNames: [String] = []
    /// Every choice named in the document, as one set: `.choice(0)` with the index of its name.
    var choices: [String] = []
    /// The document's schema, as it reads.
    var schema: String?
    /// The outcome of a `decided_by_bounds` result: the decision itself is undetermined.
    var boundsOutcome: Int?

    init(_ root: JSONOutput) { self.root = root }

    mutating func trace() throws -> Trace {
        let schema = try string(root, "schema")
        self.schema = schema
        guard schema == Trace.schemaVersion1 || schema == Trace.schema else {
            throw RecordTraceError("the record's trace has the schema '\(schema)', not \(Trace.schemaVersion1)")
        }
        let engine = try string(member(root, "engine"), "version")
        let ruleSet = try ruleSetInfo(member(root, "rule_set"))
        let firm = try firmInfo(member(root, "input"))
        let inputList = try array(root, "inputs")
        let parameterList = try array(root, "parameters")
        let valueList = try array(root, "values")
        let criterionList = try array(root, "criteria")
        inputNames = try inputList.map { try string($0, "name") }
        parameterNames = try parameterList.map { try string($0, "name") }
        valueNames = try valueList.map { try string($0, "name") }
        criterionNames = try criterionList.map { try string($0, "name") }

        let inputs = try inputList.map { item -> Trace.InputStep in
            let type = try valueType(item)
            var field: Firm.Field?
            let source = try member(item, "source")
            if source != .null {
                field = Firm.Field(
                    cell: .null, pointer: try string(source, "field"), line: try int(member(source, "line")),
                    column: try int(member(source, "column")))
            }
            return Trace.InputStep(
                name: try string(item, "name"), description: try localized(member(item, "description")), type: type,
                value: try scalar(member(item, "value")), field: field)
        }
        let parameters = try parameterList.map { item -> Trace.ParameterStep in
            let basis = try optionalString(member(item, "basis"))
            return Trace.ParameterStep(
                name: try string(item, "name"), description: try localized(member(item, "description")), type: try valueType(item),
                basis: try basis.map { text in
                    guard let basis = Basis(rawValue: text) else { throw RecordTraceError("parameter basis '\(text)' is unknown") }
                    return basis
                }, citation: try localized(member(item, "citation")), value: try scalar(member(item, "value")),
                from: try day(member(item, "from")), until: try day(member(item, "until")), at: try string(item, "at"))
        }
        let values = try valueList.map { item in
            Trace.ValueStep(
                name: try string(item, "name"), description: try localized(member(item, "description")), type: try valueType(item),
                result: try evaluated(member(item, "result")), formula: try node(member(item, "formula")))
        }
        let criteria = try criterionList.map { item in
            Trace.CriterionStep(
                name: try string(item, "name"), text: try localized(member(item, "text")), cite: try localized(member(item, "cite")),
                result: try evaluated(member(item, "result")), formula: try node(member(item, "formula")))
        }
        let outcomes = try array(root, "outcomes").map { item -> Trace.OutcomeStep in
            let statusName = try string(item, "status")
            guard let status = Trace.OutcomeStatus(rawValue: statusName) else {
                throw RecordTraceError("outcome status '\(statusName)' is unknown")
            }
            let condition = try member(item, "condition")
            var step = Trace.OutcomeStep(
                rank: try int(member(item, "rank")), name: try string(item, "name"), label: try localized(member(item, "label")),
                reason: try localized(member(item, "reason")), isFallback: try bool(member(item, "fallback")), status: status,
                condition: condition == .null ? nil : try node(condition),
                criteria: try array(item, "criteria").map { try index(of: $0, in: criterionNames, "criterion") })
            if let route = item.member("route") { step.route = try int(route) }
            if let routes = item.member("routes") { step.routes = try int(routes) }
            if let at = item.member("rule_at") { step.at = try optionalString(at) }
            return step
        }
        let result = try member(root, "result")
        let problems = try array(result, "problems").map { item -> Trace.ProblemInfo in
            let kind = try string(item, "kind")
            guard let known = Problem.Kind(rawValue: kind) else { throw RecordTraceError("problem kind '\(kind)' is unknown") }
            return Trace.ProblemInfo(kind: known, formula: try string(item, "formula"), at: try string(item, "at"))
        }
        let decision = try decisionOf(result, outcomes: outcomes, firm: firm, problems: problems)
        if try string(result, "status") == "decided_by_bounds" {
            let name = try string(result, "outcome")
            let route = try result.member("route").map(int) ?? 1
            guard let index = outcomes.firstIndex(where: { $0.name == name && $0.route == route }) else {
                throw RecordTraceError("the outcome '\(name)' the limits decided is not among the trace's outcomes")
            }
            boundsOutcome = index
        }
        return Trace(
            ruleSet: ruleSet, firm: firm, engineVersion: engine, decision: decision, outcomes: outcomes, criteria: criteria,
            values: values, parameters: parameters, inputs: inputs, problems: problems, choiceSets: [choices])
    }

    func decisionOf(_ result: JSONOutput, outcomes: [Trace.OutcomeStep], firm: Trace.FirmInfo, problems: [Trace.ProblemInfo]) throws
        -> Decision
    {
        let status = try string(result, "status")
        switch status {
        case "determined":
            let name = try string(result, "outcome")
            let route = try result.member("route").map(int) ?? 1
            guard let index = outcomes.firstIndex(where: { $0.name == name && $0.route == route }) else {
                throw RecordTraceError("the decided outcome '\(name)' is not among the trace's outcomes")
            }
            return Decision(outcome: index)
        case "undetermined", "decided_by_bounds":
            var missing = InputSet()
            for name in try array(result, "missing") { missing.insert(try index(of: name, in: inputNames, "input")) }
            let possible = try array(result, "possible_outcomes").map { name -> Int in
                let text = try stringValue(name)
                guard let index = outcomes.firstIndex(where: { $0.name == text }) else {
                    throw RecordTraceError("possible outcome '\(text)' is not among the trace's outcomes")
                }
                return index
            }
            let kinds = problems.map { Problem(kind: $0.kind, node: -1) }
            return Decision(missing: missing, possible: possible, problems: kinds)
        case "not_in_force":
            // Judged on the closing date unless the trace names the day (`--as-of`).
            let on = try result.member("not_in_force").flatMap { try day(member($0, "on")) }
            return Decision(notInForce: on ?? firm.closingDay)
        default:
            throw RecordTraceError("a decision of status '\(status)' is not one a record holds")
        }
    }

    func ruleSetInfo(_ value: JSONOutput) throws -> Trace.RuleSetInfo {
        Trace.RuleSetInfo(
            name: try string(value, "name"), title: try localized(member(value, "title")) ?? LocalizedText(""),
            version: try optionalString(member(value, "version")), source: try localized(member(value, "source")),
            inForceFrom: try day(member(value, "in_force_from")), inForceUntil: try day(member(value, "in_force_until")),
            buildsOn: try array(value, "builds_on").map(stringValue), sha256: try string(value, "sha256"),
            files: try array(value, "files").map { (try string($0, "path"), try string($0, "sha256")) })
    }

    func firmInfo(_ value: JSONOutput) throws -> Trace.FirmInfo {
        let closing = try string(value, "closing_date")
        guard let closingDay = Day(iso: closing) else { throw RecordTraceError("closing_date \(closing) is not a date") }
        return Trace.FirmInfo(
            source: try string(value, "source"), sha256: try string(value, "sha256"), name: try optionalString(member(value, "name")),
            cvr: try optionalString(member(value, "cvr")),
            fiscalYear: try member(value, "fiscal_year") == .null
                ? nil : try int(member(value, "fiscal_year")), closingDay: closingDay)
    }

    /// A formula node with its operands; a reference is resolved by the name it is written with.
    mutating func node(_ value: JSONOutput) throws -> Explanation {
        let opName = try string(value, "op")
        guard let op = TraceStream.Header.operations[opName] else { throw RecordTraceError("operation '\(opName)' is unknown") }
        let formula = try string(value, "formula")
        let result = try member(value, "value")
        var reference: Explanation.Reference?
        if let kind = value.member("ref") {
            switch try stringValue(kind) {
            case "input": reference = .input(try index(of: .string(formula), in: inputNames, "input"))
            case "parameter": reference = .parameter(try index(of: .string(formula), in: parameterNames, "parameter"))
            case "value": reference = .value(try index(of: .string(formula), in: valueNames, "value"))
            case "criterion": reference = .criterion(try index(of: .string(formula), in: criterionNames, "criterion"))
            default: throw RecordTraceError("reference kind of '\(formula)' is unknown")
            }
        }
        var children: [Explanation] = []
        if let args = value.member("args") {
            guard case .array(let items) = args else { throw RecordTraceError("args of '\(formula)' is not a list") }
            for item in items { children.append(try node(item)) }
        }
        return Explanation(
            formula: formula, op: op, type: try valueType(result), result: try evaluated(result), children: children,
            reference: reference, at: try string(value, "at"))
    }

    /// A value `{type, exact, display}`, or `{type, unknown: true, missing, problem}`.
    mutating func evaluated(_ value: JSONOutput) throws -> Evaluated {
        if let scalar = try scalar(value) { return .known(scalar) }
        var unknown = Unknown()
        for name in try array(value, "missing") { unknown.missing.insert(try missingInput(name)) }
        if let kind = try optionalString(member(value, "problem")) {
            guard let known = Problem.Kind(rawValue: kind) else { throw RecordTraceError("problem kind '\(kind)' is unknown") }
            unknown.problem = Problem(kind: known, node: -1)
        }
        return .unknown(unknown)
    }

    /// A known value, or nil for null and for an unknown value.
    mutating func scalar(_ value: JSONOutput) throws -> Scalar? {
        guard value != .null, value.member("unknown") == nil else { return nil }
        let type = try valueType(value)
        let exact = try member(value, "exact")
        switch type {
        case .money, .percent, .count, .number:
            let text = try stringValue(exact)
            guard let number = TraceStream.Header.exact(text) else { throw RecordTraceError("'\(text)' is not an exact number") }
            return .number(number)
        case .bool: return .bool(try bool(exact))
        case .date:
            let text = try stringValue(exact)
            guard let day = Day(iso: text) else { throw RecordTraceError("'\(text)' is not a date") }
            return .date(day)
        case .text: return .text(try stringValue(exact))
        case .choice:
            let name = try stringValue(exact)
            if let known = choices.firstIndex(of: name) { return .choice(known) }
            choices.append(name)
            return .choice(choices.count - 1)
        }
    }

    func valueType(_ value: JSONOutput) throws -> ValueType {
        let name = try string(value, "type")
        if let type = TraceStream.Header.types[name] { return type }
        guard name == ValueType.choice(0).displayName else { throw RecordTraceError("type '\(name)' is unknown") }
        return .choice(0)
    }

    /// An input in a `missing` list: by name, or in a formula node's value by number (`#5`), as
    /// `JSONTraceRenderer` writes a node's value without the trace at hand.
    func missingInput(_ name: JSONOutput) throws -> Int {
        let text = try stringValue(name)
        if text.hasPrefix("#"), let number = Int(text.dropFirst()), number >= 0, number < inputNames.count { return number }
        return try index(of: name, in: inputNames, "input")
    }

    // MARK: - Reading members

    func index(of name: JSONOutput, in names: [String], _ kind: String) throws -> Int {
        let text = try stringValue(name)
        guard let index = names.firstIndex(of: text) else {
            throw RecordTraceError("the trace names the \(kind) '\(text)' but does not define it")
        }
        return index
    }

    func member(_ value: JSONOutput, _ key: String) throws -> JSONOutput {
        guard let found = value.member(key) else { throw RecordTraceError("the record's trace lacks '\(key)'") }
        return found
    }

    func string(_ value: JSONOutput, _ key: String) throws -> String { try stringValue(member(value, key)) }

    func stringValue(_ value: JSONOutput) throws -> String {
        guard case .string(let text) = value else { throw RecordTraceError("expected a string, found \(JSONDifference.compact(value))") }
        return text
    }

    func optionalString(_ value: JSONOutput) throws -> String? { value == .null ? nil : try stringValue(value) }

    func int(_ value: JSONOutput) throws -> Int {
        guard case .number(let text) = value, let number = Int(text) else { throw RecordTraceError("expected an integer") }
        return number
    }

    func bool(_ value: JSONOutput) throws -> Bool {
        guard case .bool(let flag) = value else { throw RecordTraceError("expected true or false") }
        return flag
    }

    func array(_ value: JSONOutput, _ key: String) throws -> [JSONOutput] {
        guard case .array(let items) = try member(value, key) else { throw RecordTraceError("'\(key)' is not a list") }
        return items
    }

    func day(_ value: JSONOutput) throws -> Day? {
        guard let text = try optionalString(value) else { return nil }
        guard let day = Day(iso: text) else { throw RecordTraceError("'\(text)' is not a date") }
        return day
    }

    func localized(_ value: JSONOutput) throws -> LocalizedText? {
        if value == .null { return nil }
        return LocalizedText(try string(value, "da"), english: try optionalString(member(value, "en")))
    }
}
