import SoeLanguage

extension RecordCheck {
    /// The check for programs (`soe verify --format json`, one object per line): the record, whether
    /// it verified, and each finding with its kind and, where there are any, the differences as JSON
    /// pointers with both values in compact JSON. The pointers are stable names for programs; the
    /// text report names things as people do.
    public func json(recordPath: String) -> JSONOutput {
        let which = label ?? (record.index == 0 && !multiple ? recordPath : "\(recordPath) (record \(record.index + 1))")
        var members: [(String, JSONOutput)] = [
            ("record", .string(which)),
            ("verified", .bool(isVerified)),
            ("rule_set", .string(record.ruleSetName)),
            ("recorded_decision", .string(record.decisionSummary)),
            ("current_decision", currentDecision.map(JSONOutput.string) ?? .null),
            ("record_sha256", .string(record.computedSeal)),
            ("findings", .array(findings.map(RecordCheck.json))),
        ]
        // The caseworker's members, which re-evaluation cannot check: for the auditor to compare with the case file.
        for member in caseworkerMembers { members.append((member.key, .string(member.value))) }
        if !effects.isEmpty { members.append(("effects", RecordCheck.json(effects))) }
        if let analysisToday { members.append(("analysis_not_recorded", .string(analysisToday))) }
        if failure != nil { members.append(("failure", .string("the record could not be re-evaluated"))) }
        return .object(members)
    }

    static func json(_ finding: Finding) -> JSONOutput {
        var members: [(String, JSONOutput)] = [("kind", .string(finding.kind))]
        func text(_ key: String, _ value: String?) { members.append((key, value.map(JSONOutput.string) ?? .null)) }
        switch finding {
        case .recordEdited(let claimed, let computed, let differences):
            text("claimed_sha256", claimed)
            text("computed_sha256", computed)
            members.append(("differences", json(differences)))
        case .ruleFileChanged(let recorded, let given, let was, let now), .inputChanged(let recorded, let given, let was, let now):
            text("recorded", recorded)
            text("given", given)
            text("recorded_sha256", was)
            text("current_sha256", now)
        case .ruleFileMissing(let recorded, let hash):
            text("recorded", recorded)
            text("recorded_sha256", hash)
        case .ruleFileAdded(let path, let hash):
            text("path", path)
            text("sha256", hash)
        case .ruleSetGone(let name): text("rule_set", name)
        case .decisionChanged(let recorded, let current, let differences):
            text("recorded", recorded)
            text("current", current)
            members.append(("differences", json(differences)))
        case .explanationChanged(let differences): members.append(("differences", json(differences)))
        case .rowRejected(let place, let reason):
            text("row", place)
            text("reason", reason)
        case .rowMissing(let place): text("row", place)
        }
        return .object(members)
    }

    static func json(_ differences: [JSONDifference]) -> JSONOutput {
        .array(
            differences.map { difference in
                .object([
                    ("path", .string(difference.path)),
                    ("recorded", difference.recorded.map(JSONOutput.string) ?? .null),
                    ("current", difference.current.map(JSONOutput.string) ?? .null),
                ])
            })
    }
}
