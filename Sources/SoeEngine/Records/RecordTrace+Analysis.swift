import SoeLanguage

// The `analysis` member of a record's `soe-trace/2` document read back into a `DecisionAnalysis`,
// so that a dossier made from the record shows the same bounds, settling sets, counterfactuals and
// borderline flag as the dossier `soe evaluate --format html` made at the time. Each member is
// decoded as `JSONTraceRenderer.analysisObject` writes it; a name the document does not define, a
// number that is not exact, a missing member: an error, never a guess. What the JSON does not
// carry is taken from what it does: a result `decided_by_bounds` says the bounds settled the rule,
// an outcome named in the analysis is the trace's first outcome of that name (the routes of one
// outcome share its name and label; the decided outcome keeps the route the result names).
//
// The JSON of the trace is still written from the member as read (`Trace.recordedAnalysis`), byte
// for byte, never from this decoding: the seal stays what it was.

extension RecordTraceDecoder {
    /// The analysis of a trace already decoded (`trace`), from the document's `analysis` member.
    mutating func analysis(_ value: JSONOutput, of trace: Trace, boundsDecided: Bool) throws -> DecisionAnalysis {
        var analysis = DecisionAnalysis()
        let bounds = try member(value, "bounds")
        if bounds != .null { analysis.bounds = try boundsDecision(bounds, trace, boundsDecided: boundsDecided) }
        let counterfactuals = try member(value, "counterfactuals")
        if counterfactuals != .null {
            let named = try outcome(member(counterfactuals, "outcome"), trace)
            // The decided outcome, with the route the result names, when it is the one named here.
            let decided = trace.decision.outcome.flatMap { trace.outcomes[$0].name == trace.outcomes[named].name ? $0 : nil }
            analysis.counterfactuals = Counterfactuals(
                outcome: decided ?? named,
                changes: try array(counterfactuals, "changes").map { try change($0, trace) },
                unmovable: try array(counterfactuals, "unmovable").map { try index(of: $0, in: inputNames, "input") },
                inconclusive: try array(counterfactuals, "inconclusive").map { try index(of: $0, in: inputNames, "input") })
        }
        let borderline = try member(value, "borderline")
        if borderline != .null {
            analysis.borderlineShare = try exact(member(borderline, "share"))
            let change = try member(borderline, "change")
            analysis.borderline = change == .null ? nil : try self.change(change, trace)
            guard try bool(member(borderline, "flagged")) == (analysis.borderline != nil) else {
                throw RecordTraceError("the borderline flag disagrees with its change")
            }
        }
        return analysis
    }

    mutating func boundsDecision(_ value: JSONOutput, _ trace: Trace, boundsDecided: Bool) throws -> BoundsDecision {
        let outcomeValue = try member(value, "outcome")
        let outcome = outcomeValue == .null ? nil : try outcome(outcomeValue, trace)
        var missing = InputSet()
        for name in try array(value, "missing") { missing.insert(try index(of: name, in: inputNames, "input")) }
        var valueRanges = [Interval?](repeating: nil, count: trace.values.count)
        for item in try array(value, "values") {
            let index = try self.index(of: member(item, "name"), in: valueNames, "value")
            valueRanges[index] = Interval(lower: try end(member(item, "lower")), upper: try end(member(item, "upper")))
        }
        let settling = try array(value, "settling").map { item in
            SettlingSet(
                inputs: try array(item, "inputs").map { try index(of: $0, in: inputNames, "input") },
                outcome: try self.outcome(member(item, "decides"), trace),
                alternatives: try array(item, "alternatives").map { try self.outcome($0, trace) },
                settlesAll: try bool(member(item, "settles_all")))
        }
        let grounds = try array(value, "grounds").map { item -> BoundsGround in
            let lower = try member(item, "lower")
            let upper = try member(item, "upper")
            return BoundsGround(
                input: try index(of: member(item, "input"), in: inputNames, "input"),
                range: lower == .null && upper == .null ? nil : Interval(lower: try end(lower), upper: try end(upper)))
        }
        var decision = BoundsDecision(
            outcome: outcome, possibleOutcomes: try array(value, "possible_outcomes").map { try self.outcome($0, trace) },
            ruledOut: try array(value, "ruled_out").map { try self.outcome($0, trace) }, missing: missing, settling: settling,
            valueRanges: valueRanges, grounds: grounds)
        // The JSON says whether the bounds settled the rule only through the result's status.
        decision.ruleSettled = outcome == nil || boundsDecided || trace.decision.outcome != nil
        return decision
    }

    /// A counterfactual change `{input, from, to, change, relative_change, beyond, outcome, criteria}`;
    /// `relative_change` is computed from `change` and `from`, and must agree with them.
    mutating func change(_ value: JSONOutput, _ trace: Trace) throws -> Counterfactual {
        let input = try index(of: member(value, "input"), in: inputNames, "input")
        guard let from = try scalar(member(value, "from")), let to = try scalar(member(value, "to")) else {
            throw RecordTraceError("a change of '\(inputNames[input])' lacks its values")
        }
        let changeValue = try member(value, "change")
        let outcomeValue = try member(value, "outcome")
        let change = Counterfactual(
            input: input, from: from, to: to, change: changeValue == .null ? nil : try exact(changeValue),
            beyond: try bool(member(value, "beyond")), outcome: outcomeValue == .null ? nil : try outcome(outcomeValue, trace),
            criteria: try array(value, "criteria").map { try index(of: $0, in: criterionNames, "criterion") },
            falling: value.member("falling") == .bool(true))
        let relative = try member(value, "relative_change")
        guard (relative == .null ? nil : try exact(relative)) == change.relativeChange else {
            throw RecordTraceError("the relative change of '\(inputNames[input])' disagrees with its change")
        }
        return change
    }

    /// An interval's end `{exact, display, included}`, or null for unbounded.
    func end(_ value: JSONOutput) throws -> IntervalEnd {
        guard value != .null else { return .unbounded }
        return IntervalEnd(value: try exact(member(value, "exact")), closed: try bool(member(value, "included")))
    }

    func exact(_ value: JSONOutput) throws -> Exact {
        let text = try stringValue(value)
        guard let number = TraceStream.Header.exact(text) else { throw RecordTraceError("'\(text)' is not an exact number") }
        return number
    }

    /// An outcome by name: the trace's first outcome of that name.
    func outcome(_ value: JSONOutput, _ trace: Trace) throws -> Int {
        let name = try stringValue(value)
        guard let index = trace.outcomes.firstIndex(where: { $0.name == name }) else {
            throw RecordTraceError("the analysis names the outcome '\(name)', which is not among the trace's outcomes")
        }
        return index
    }
}
