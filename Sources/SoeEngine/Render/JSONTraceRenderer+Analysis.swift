import SoeLanguage

// The `analysis` member of a `soe-trace/2` document:
//
//     "analysis": {
//       "bounds": null | {"outcome": NAME|null, "possible_outcomes": [NAME…], "ruled_out": [NAME…],
//                 "missing": [INPUT…], "settling": [{"inputs": [INPUT…], "decides": NAME,
//                 "alternatives": [NAME…], "settles_all": BOOL}…],
//                 "values": [{"name": VALUE, "lower": END|null, "upper": END|null}…]},
//       "counterfactuals": null | {"outcome": NAME, "changes": [CHANGE…], "unmovable": [INPUT…],
//                 "inconclusive": [INPUT…]},
//       "borderline": null | {"share": EXACT, "flagged": BOOL, "change": CHANGE|null}
//     }
//
// END is {"exact": EXACT, "display": TEXT, "included": BOOL} (null: unbounded). CHANGE is
// {"input": INPUT, "from": VALUE, "to": VALUE, "change": EXACT|null, "relative_change": EXACT|null,
// "beyond": BOOL, "outcome": NAME|null, "criteria": [CRITERION…]}, VALUE as in `values` of soe-trace/1.
// `missing` is the flat list of missing inputs, as in `result.missing`. `grounds` lists each missing
// input with the range the bounds let it take: {"input": INPUT, "lower": END|null, "upper": END|null}
// (both null for a yes/no, choice, date or text, which may take any of its values). When the bounds
// decide (`outcome` set) and the data alone does not, `result.status` is `decided_by_bounds`, and
// `result.outcome`, `label` and `reason` are the outcome's; `result.missing` and
// `result.possible_outcomes` stay those of the data alone.

extension JSONTraceRenderer {
    static func analysisObject(_ analysis: DecisionAnalysis, _ trace: Trace, _ formatter: ValueFormatter) -> JSONOutput {
        let bounds = analysis.bounds.map { boundsObject($0, trace, formatter) } ?? .null
        let counterfactuals = analysis.counterfactuals.map { set -> JSONOutput in
            .object([
                ("outcome", .string(trace.outcomes[set.outcome].name)),
                ("changes", .array(set.changes.map { changeObject($0, trace, formatter) })),
                ("unmovable", .array(set.unmovable.map { .string(trace.inputs[$0].name) })),
                ("inconclusive", .array(set.inconclusive.map { .string(trace.inputs[$0].name) })),
            ])
        }
        let borderline = analysis.borderlineShare.map { share -> JSONOutput in
            .object([
                ("share", .string(share.exactText())),
                ("flagged", .bool(analysis.borderline != nil)),
                ("change", analysis.borderline.map { changeObject($0, trace, formatter) } ?? .null),
            ])
        }
        return .object([("bounds", bounds), ("counterfactuals", counterfactuals ?? .null), ("borderline", borderline ?? .null)])
    }

    static func boundsObject(_ bounds: BoundsDecision, _ trace: Trace, _ formatter: ValueFormatter) -> JSONOutput {
        func names(_ outcomes: [Int]) -> JSONOutput { .array(trace.distinctOutcomes(outcomes).map { .string(trace.outcomes[$0].name) }) }
        let settling: [JSONOutput] = bounds.settling.map { set in
            .object([
                ("inputs", .array(set.inputs.map { .string(trace.inputs[$0].name) })),
                ("decides", .string(trace.outcomes[set.outcome].name)),
                ("alternatives", names(set.alternatives)),
                ("settles_all", .bool(set.settlesAll)),
            ])
        }
        var values: [JSONOutput] = []
        for (index, range) in bounds.valueRanges.enumerated() {
            guard let range else { continue }
            let type = trace.values[index].type
            values.append(
                .object([
                    ("name", .string(trace.values[index].name)),
                    ("lower", end(range.lower, type, formatter)),
                    ("upper", end(range.upper, type, formatter)),
                ]))
        }
        return .object([
            ("outcome", bounds.outcome.map { .string(trace.outcomes[$0].name) } ?? .null),
            ("possible_outcomes", names(bounds.possibleOutcomes)),
            ("ruled_out", names(bounds.ruledOut)),
            ("missing", .array(bounds.missing.indices.map { .string(trace.inputs[$0].name) })),
            ("settling", .array(settling)),
            ("values", .array(values)),
            (
                "grounds",
                .array(
                    bounds.grounds.map { ground in
                        let type = trace.inputs[ground.input].type
                        return .object([
                            ("input", .string(trace.inputs[ground.input].name)),
                            ("lower", ground.range.map { end($0.lower, type, formatter) } ?? .null),
                            ("upper", ground.range.map { end($0.upper, type, formatter) } ?? .null),
                        ])
                    })
            ),
        ])
    }

    static func end(_ end: IntervalEnd, _ type: ValueType, _ formatter: ValueFormatter) -> JSONOutput {
        guard let value = end.value else { return .null }
        return .object([
            ("exact", .string(type == .money ? value.exactText(minPlaces: 2) : value.exactText())),
            ("display", .string(formatter.format(.number(value), as: type))),
            ("included", .bool(end.closed)),
        ])
    }

    static func changeObject(_ change: Counterfactual, _ trace: Trace, _ formatter: ValueFormatter) -> JSONOutput {
        let input = trace.inputs[change.input]
        var members: [(String, JSONOutput)] = [
            ("input", .string(input.name)),
            ("from", scalar(change.from, input.type, formatter)),
            ("to", scalar(change.to, input.type, formatter)),
            ("change", change.change.map { .string(input.type == .money ? $0.exactText(minPlaces: 2) : $0.exactText()) } ?? .null),
            ("relative_change", change.relativeChange.map { .string($0.exactText()) } ?? .null),
            ("beyond", .bool(change.beyond)),
        ]
        // Only for a change of 0 beyond the firm's own value, whose direction its sign cannot give
        // (a percent on its threshold): written where it says something, so that every other
        // change, and the records made before, keep their bytes.
        if change.falling { members.append(("falling", .bool(true))) }
        members += [
            ("outcome", change.outcome.map { .string(trace.outcomes[$0].name) } ?? .null),
            ("criteria", .array(change.criteria.map { .string(trace.criteria[$0].name) })),
        ]
        return .object(members)
    }
}
