import SoeLanguage

// Members a later engine adds to a record, and how verification treats a record made before them.
//
// A record is compared with a fresh evaluation member by member, so a member the engine now
// writes would make every older record "explanation changed". A member that only restates what the
// record already holds, in words, is therefore left out of the fresh evaluation when the record
// has none: the record verifies byte for byte as it did, and nothing it states goes unchecked.

extension DecisionRecord {
    /// The member of a trace's `result` that says, in words, why a rule set was not applied
    /// (2026-12-03, wave 3). Everything it says follows from the period in `trace.rule_set`, the
    /// fiscal year and the closing date, which the record holds and the seal covers.
    static let notInForceWordsKey = "not_in_force"

    /// The fresh record body in the form of the recorded one: without the not-in-force words when
    /// the record was made before traces carried them. Any other difference stays.
    static func inFormOf(recorded: JSONOutput, _ fresh: JSONOutput) -> JSONOutput {
        withoutNewFalling(recorded: recorded, withoutNewNotInForce(recorded: recorded, fresh))
    }

    static func withoutNewNotInForce(recorded: JSONOutput, _ fresh: JSONOutput) -> JSONOutput {
        guard let result = fresh.at("trace", "result"), result.member(notInForceWordsKey) != nil,
            let recordedResult = recorded.at("trace", "result"), recordedResult.member(notInForceWordsKey) == nil
        else { return fresh }
        return fresh.replacing(["trace", "result"]) { value in
            guard case .object(let members) = value else { return value }
            return .object(members.filter { $0.0 != notInForceWordsKey })
        }
    }

    /// The member of a counterfactual that says a change of 0 beyond the firm's value lies below it
    /// (session 22). A record made before has none: its changes then said nothing of the direction
    /// (and were read as rising), so the fresh changes are compared without it. Everything else a
    /// change holds (the values, the outcome, the criteria) is compared as before.
    static let fallingKey = "falling"

    static func withoutNewFalling(recorded: JSONOutput, _ fresh: JSONOutput) -> JSONOutput {
        let path = ["trace", "analysis", "counterfactuals", "changes"]
        guard case .array(let changes)? = fresh.at("trace", "analysis", "counterfactuals", "changes"),
            changes.contains(where: { $0.member(fallingKey) != nil }),
            case .array(let recordedChanges)? = recorded.at("trace", "analysis", "counterfactuals", "changes"),
            !recordedChanges.contains(where: { $0.member(fallingKey) != nil })
        else { return fresh }
        return fresh.replacing(path[...]) { value in
            guard case .array(let items) = value else { return value }
            return .array(
                items.map { item in
                    guard case .object(let members) = item else { return item }
                    return .object(members.filter { $0.0 != fallingKey })
                })
        }
    }
}

extension JSONOutput {
    /// The value with the member at `path` (object keys) changed by `change`; unchanged when the
    /// path leads nowhere.
    func replacing(_ path: ArraySlice<String>, _ change: (JSONOutput) -> JSONOutput) -> JSONOutput {
        guard let key = path.first else { return change(self) }
        guard case .object(let members) = self else { return self }
        return .object(members.map { $0.0 == key ? ($0.0, $0.1.replacing(path.dropFirst(), change)) : $0 })
    }
}
