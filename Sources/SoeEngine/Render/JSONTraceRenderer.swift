import SoeLanguage

/// Renders a trace as JSON in the `soe-trace/1` format (`soe-trace/2` with an analysis) (documented in docs/formats.md). Keys are in a
/// fixed order and numbers are written exactly, so the same inputs give byte-identical output.
public enum JSONTraceRenderer {
    /// The trace as JSON text.
    public static func render(_ trace: Trace, pretty: Bool = true) -> String {
        document(trace).serialized(pretty: pretty)
    }

    /// The trace as a JSON value, for callers that embed it (records, arrays of traces).
    ///
    /// `caseworker: true` (`soe evaluate --format json`) adds the caseworker's `--decision-date`
    /// and `--case-number`, where given, to `input` after `closing_date`: the case's own data, which
    /// no rule or input gives. A record's trace leaves them out (the record holds them beside its
    /// closing date, and `soe verify` computes its trace again without them), and so does a trace
    /// without them, byte for byte as before.
    public static func document(_ trace: Trace, caseworker: Bool = false) -> JSONOutput {
        let formatter = ValueFormatter(language: .english, choiceSets: trace.choiceSets)
        let decision = trace.decision
        let status: String
        let bounded = trace.decidedByBounds
        if decision.notInForceOn != nil {
            status = "not_in_force"
        } else if bounded != nil {
            status = "decided_by_bounds"
        } else {
            status = decision.isDetermined ? "determined" : "undetermined"
        }
        var result: [(String, JSONOutput)] = [("status", .string(status))]
        if let index = decision.outcome ?? bounded {
            let outcome = trace.outcomes[index]
            result += [("outcome", .string(outcome.name)), ("label", text(outcome.label)), ("reason", text(outcome.reason))]
            // Which rule decided, for an outcome reached by several; absent otherwise, so that a
            // trace without routes is byte for byte what it was (and old records verify).
            if outcome.routes > 1 { result += routeFields(outcome) }
        } else {
            result += [("outcome", .null), ("label", .null), ("reason", .null)]
        }
        result.append(("missing", .array(decision.missing.indices.map { .string(trace.inputs[$0].name) })))
        result.append(
            ("possible_outcomes", .array(trace.distinctOutcomes(decision.possibleOutcomes).map { .string(trace.outcomes[$0].name) })))
        result.append(
            (
                "problems",
                .array(
                    trace.problems.map { problem in
                        .object([
                            ("kind", .string(problem.kind.rawValue)), ("formula", .string(problem.formula)), ("at", .string(problem.at)),
                        ])
                    })
            ))
        // "Not in force" in its own words, with both ends of the period: added after the members
        // every trace has, so a record made before (without them) is byte for byte what it was.
        if let day = decision.notInForceOn { result.append(("not_in_force", notInForceObject(trace, on: day))) }
        // A what-if on another day's rules says so; a decision on the firm's own year has no member.
        if let day = trace.asOf { result.append(("as_of", .string(day.description))) }

        let top: [(String, JSONOutput)] = [
            ("schema", .string(trace.analysis == nil && trace.recordedAnalysis == nil ? Trace.schemaVersion1 : Trace.schema)),
            ("engine", .object([("name", .string("soe")), ("version", .string(trace.engineVersion))])),
            ("rule_set", ruleSetObject(trace.ruleSet)),
            ("input", caseworker ? firmObject(trace.firm, trace) : firmObject(trace.firm)),
            ("result", .object(result)),
            ("outcomes", .array(trace.outcomes.map { outcomeObject($0, trace, formatter) })),
            ("criteria", .array(trace.criteria.map { criterionObject($0, trace, formatter) })),
            ("values", .array(trace.values.map { valueObject($0, trace, formatter) })),
            ("parameters", .array(trace.parameters.map { parameterObject($0, formatter) })),
            ("inputs", .array(trace.inputs.map { inputObject($0, trace.firm, formatter) })),
        ]
        // A trace read from a record gives back the analysis it held, as it was, never as decoded.
        if let recorded = trace.recordedAnalysis { return .object(top + [("analysis", recorded)]) }
        guard let analysis = trace.analysis else { return .object(top) }
        return .object(top + [("analysis", analysisObject(analysis, trace, formatter))])
    }

    /// Why a rule set was not applied, for a reader of the JSON: the period it is in force
    /// (`in_force_from`, `in_force_until`, either null when open), the date it was judged on
    /// (`on`: the closing date, or `--as-of`), and the words every other rendering shows
    /// (`label`, `reason`, each `{da, en}`).
    static func notInForceObject(_ trace: Trace, on day: Day) -> JSONOutput {
        let ruleSet = trace.ruleSet
        func sentence(_ language: Language) -> String {
            Words.of(language).notInForceSentence(
                fiscalYear: trace.firm.fiscalYear, closing: trace.firm.closingDay, from: ruleSet.inForceFrom,
                until: ruleSet.inForceUntil, evaluatedOn: day)
        }
        return .object([
            ("in_force_from", self.day(ruleSet.inForceFrom)),
            ("in_force_until", self.day(ruleSet.inForceUntil)),
            ("on", .string(day.description)),
            (
                "label",
                .object([
                    ("da", .string(Words.of(.danish).notInForceResult)), ("en", .string(Words.of(.english).notInForceResult)),
                ])
            ),
            ("reason", .object([("da", .string(sentence(.danish))), ("en", .string(sentence(.english)))])),
        ])
    }

    static func ruleSetObject(_ ruleSet: Trace.RuleSetInfo) -> JSONOutput {
        let files: [JSONOutput] = ruleSet.files.map { .object([("path", .string($0.path)), ("sha256", .string($0.sha256))]) }
        let fields: [(String, JSONOutput)] = [
            ("name", .string(ruleSet.name)),
            ("title", text(ruleSet.title)),
            ("version", ruleSet.version.map(JSONOutput.string) ?? .null),
            ("source", text(ruleSet.source)),
            ("in_force_from", day(ruleSet.inForceFrom)),
            ("in_force_until", day(ruleSet.inForceUntil)),
            ("builds_on", .array(ruleSet.buildsOn.map(JSONOutput.string))),
            ("sha256", .string(ruleSet.sha256)),
            ("files", .array(files)),
        ]
        return .object(fields)
    }

    static func day(_ day: Day?) -> JSONOutput { day.map { .string($0.description) } ?? .null }

    /// `input` with the caseworker's decision date and case number after `closing_date`, each
    /// where given.
    static func firmObject(_ firm: Trace.FirmInfo, _ trace: Trace) -> JSONOutput {
        var fields = firmFields(firm)
        if let date = trace.decisionDate { fields.append(("decision_date", .string(date.description))) }
        if let number = trace.caseNumber { fields.append(("case_number", .string(number))) }
        return .object(fields)
    }

    static func firmObject(_ firm: Trace.FirmInfo) -> JSONOutput { .object(firmFields(firm)) }

    static func firmFields(_ firm: Trace.FirmInfo) -> [(String, JSONOutput)] {
        [
            ("source", .string(firm.source)),
            ("sha256", .string(firm.sha256)),
            ("name", firm.name.map(JSONOutput.string) ?? .null),
            ("cvr", firm.cvr.map(JSONOutput.string) ?? .null),
            ("fiscal_year", firm.fiscalYear.map { .number(String($0)) } ?? .null),
            ("closing_date", .string(firm.closingDay.description)),
        ]
    }

    static func outcomeObject(_ outcome: Trace.OutcomeStep, _ trace: Trace, _ formatter: ValueFormatter) -> JSONOutput {
        let fields: [(String, JSONOutput)] = [
            ("rank", .number(String(outcome.rank))),
            ("name", .string(outcome.name)),
            ("label", text(outcome.label)),
            ("reason", text(outcome.reason)),
            ("fallback", .bool(outcome.isFallback)),
            ("status", .string(outcome.status.rawValue)),
            ("condition", outcome.condition.map { explanation($0, formatter) } ?? .null),
            ("criteria", .array(outcome.criteria.map { .string(trace.criteria[$0].name) })),
        ]
        return .object(outcome.routes > 1 ? fields + routeFields(outcome) : fields)
    }

    /// `route` (which rule for the outcome, from 1), `routes` (how many) and `rule_at` (where it is).
    static func routeFields(_ outcome: Trace.OutcomeStep) -> [(String, JSONOutput)] {
        [
            ("route", .number(String(outcome.route))), ("routes", .number(String(outcome.routes))),
            ("rule_at", outcome.at.map(JSONOutput.string) ?? .null),
        ]
    }

    static func criterionObject(_ criterion: Trace.CriterionStep, _ trace: Trace, _ formatter: ValueFormatter) -> JSONOutput {
        let fields: [(String, JSONOutput)] = [
            ("name", .string(criterion.name)),
            ("text", text(criterion.text)),
            ("cite", text(criterion.cite)),
            ("result", value(criterion.result, .bool, formatter, trace)),
            ("formula", explanation(criterion.formula, formatter)),
        ]
        return .object(fields)
    }

    static func valueObject(_ step: Trace.ValueStep, _ trace: Trace, _ formatter: ValueFormatter) -> JSONOutput {
        let fields: [(String, JSONOutput)] = [
            ("name", .string(step.name)),
            ("description", text(step.description)),
            ("type", .string(step.type.displayName)),
            ("result", value(step.result, step.type, formatter, trace)),
            ("formula", explanation(step.formula, formatter)),
        ]
        return .object(fields)
    }

    static func parameterObject(_ parameter: Trace.ParameterStep, _ formatter: ValueFormatter) -> JSONOutput {
        let fields: [(String, JSONOutput)] = [
            ("name", .string(parameter.name)),
            ("description", text(parameter.description)),
            ("type", .string(parameter.type.displayName)),
            ("basis", parameter.basis.map { .string($0.rawValue) } ?? .null),
            ("citation", text(parameter.citation)),
            ("value", parameter.value.map { scalar($0, parameter.type, formatter) } ?? .null),
            ("from", day(parameter.from)),
            ("until", day(parameter.until)),
            ("at", .string(parameter.at)),
        ]
        return .object(fields)
    }

    static func inputObject(_ input: Trace.InputStep, _ firm: Trace.FirmInfo, _ formatter: ValueFormatter) -> JSONOutput {
        var source: JSONOutput = .null
        if let field = input.field {
            source = .object([
                ("file", .string(firm.source)),
                ("field", .string(field.pointer)),
                ("line", .number(String(field.line))),
                ("column", .number(String(field.column))),
            ])
        }
        let fields: [(String, JSONOutput)] = [
            ("name", .string(input.name)),
            ("description", text(input.description)),
            ("type", .string(input.type.displayName)),
            ("value", input.value.map { scalar($0, input.type, formatter) } ?? .null),
            ("source", source),
        ]
        return .object(fields)
    }

    static func text(_ localized: LocalizedText?) -> JSONOutput {
        guard let localized else { return .null }
        return .object([("da", .string(localized.danish)), ("en", localized.english.map(JSONOutput.string) ?? .null)])
    }

    /// A known value: its type, its exact value and a display form; numbers as exact decimals or fractions.
    static func scalar(_ scalar: Scalar, _ type: ValueType, _ formatter: ValueFormatter, display: String? = nil) -> JSONOutput {
        let exact: JSONOutput
        switch scalar {
        case .number(let value):
            exact = .string(type == .money ? value.exactText(minPlaces: 2) : value.exactText())
        case .bool(let value): exact = .bool(value)
        case .date(let day): exact = .string(day.description)
        case .text(let text): exact = .string(text)
        case .choice: exact = .string(formatter.format(scalar, as: type))
        }
        return .object([
            ("type", .string(type.displayName)), ("exact", exact), ("display", .string(display ?? formatter.format(scalar, as: type))),
        ])
    }

    static func value(
        _ evaluated: Evaluated, _ type: ValueType, _ formatter: ValueFormatter, _ trace: Trace?, display: String? = nil
    ) -> JSONOutput {
        switch evaluated {
        case .known(let known): return scalar(known, type, formatter, display: display)
        case .unknown(let unknown):
            return .object([
                ("type", .string(type.displayName)),
                ("unknown", .bool(true)),
                (
                    "missing",
                    .array(
                        unknown.missing.indices.map { index in
                            .string(trace.map { index < $0.inputs.count ? $0.inputs[index].name : "#\(index)" } ?? "#\(index)")
                        })
                ),
                ("problem", unknown.problem.map { .string($0.kind.rawValue) } ?? .null),
            ])
        }
    }

    /// A node of a formula's explanation. `display` is the display of its value when a comparison
    /// shows it beside the value it is compared with (see `ValueFormatter.formatCompared`).
    static func explanation(_ node: Explanation, _ formatter: ValueFormatter, display: String? = nil) -> JSONOutput {
        var fields: [(String, JSONOutput)] = [
            ("formula", .string(node.formula)),
            ("op", .string(opName(node.op))),
            ("at", .string(node.at)),
            ("value", value(node.result, node.type, formatter, nil, display: display)),
        ]
        if let reference = node.reference {
            let kind: String
            switch reference {
            case .input: kind = "input"
            case .parameter: kind = "parameter"
            case .value: kind = "value"
            case .criterion: kind = "criterion"
            }
            fields.append(("ref", .string(kind)))
        }
        if !node.children.isEmpty {
            var displays: [String?] = node.children.map { _ in nil }
            if let (left, right) = comparedDisplays(node, formatter) { displays = [left, right] }
            fields.append(("args", .array(zip(node.children, displays).map { explanation($0, formatter, display: $1) })))
        }
        return .object(fields)
    }

    /// The displays of the two numbers a comparison compares, so that they compare as the values do.
    static func comparedDisplays(_ node: Explanation, _ formatter: ValueFormatter) -> (String, String)? {
        switch node.op {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: break
        default: return nil
        }
        guard node.children.count == 2, case .known(let x) = node.children[0].result, case .known(let y) = node.children[1].result,
            case .number = x, case .number = y
        else { return nil }
        let (a, b) = (node.children[0], node.children[1])
        return formatter.formatCompared(x, y, as: a.type == .money || a.type == .percent ? a.type : b.type)
    }

    static func opName(_ op: NodeOp) -> String {
        switch op {
        case .constant: "constant"
        case .input: "input"
        case .parameter: "parameter"
        case .value: "value"
        case .criterion: "criterion"
        case .negate: "negate"
        case .not: "not"
        case .add: "add"
        case .subtract: "subtract"
        case .multiply: "multiply"
        case .divide: "divide"
        case .equal: "equal"
        case .notEqual: "not_equal"
        case .less: "less"
        case .lessEqual: "less_or_equal"
        case .greater: "greater"
        case .greaterEqual: "greater_or_equal"
        case .and: "and"
        case .or: "or"
        case .member: "is_one_of"
        case .ifThenElse: "if"
        case .minimum: "min"
        case .maximum: "max"
        case .isKnown: "is_known"
        }
    }
}
