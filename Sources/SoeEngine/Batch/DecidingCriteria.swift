import SoeLanguage

/// The criteria that decided a batch result, for its `criteria` column: the short answer to "why
/// this outcome?" that the full trace explains step by step.
///
/// - For an outcome that applies, the criteria in its condition whose values make the condition
///   true: all of them for `all of`, the true ones for `any of`, the false one for `not eligible`.
/// - For the fallback (`otherwise`), which applies because every earlier outcome did not, the
///   criteria that made each earlier condition false, earlier outcomes first: for `all of` the
///   unmet ones, for `not eligible` an `eligible` that holds.
///
/// Each is reported with its value (`eligible=no`), because whether a criterion counts for or
/// against a firm depends on how the condition is phrased. The walk stops at the first criterion on
/// each path (a criterion's own formula is in the trace); comparisons written straight into a
/// condition name no criterion. Nothing here allocates once `found` has grown to its largest size.
enum DecidingCriteria {
    /// Fills `found` with the deciding criteria of a determined result, in first-use order.
    /// Reads the evaluator's own node and condition arrays rather than the rule set's definitions,
    /// which would copy names and texts (with reference counting) per result.
    static func collect(outcome: Int, evaluator: borrowing Evaluator, into found: inout [Int]) {
        found.removeAll(keepingCapacity: true)
        let conditions = evaluator.outcomeConditions
        guard outcome < conditions.count else { return }
        if conditions[outcome] >= 0 {
            blame(conditions[outcome], for: true, evaluator, &found)
            return
        }
        for earlier in 0..<outcome where conditions[earlier] >= 0 {
            blame(conditions[earlier], for: false, evaluator, &found)
        }
    }

    /// Adds the criteria that give the formula at `index` the value `value`.
    private static func blame(_ index: Int32, for value: Bool, _ evaluator: borrowing Evaluator, _ found: inout [Int]) {
        let node = evaluator.nodes[Int(index)]
        switch node.op {
        case .criterion:
            let criterion = Int(node.a)
            if !found.contains(criterion) { found.append(criterion) }
        case .not:
            blame(node.a, for: !value, evaluator, &found)
        case .and, .or:
            // `and` is false because of its false operands and true because of all of them; `or` the mirror.
            let decisive = node.op == .or
            let start = Int(node.listStart)
            for offset in 0..<Int(node.listCount) {
                let child = evaluator.lists[start + offset]
                if value == decisive {
                    if evaluator.knownBool(child) == decisive { blame(child, for: decisive, evaluator, &found) }
                } else {
                    blame(child, for: value, evaluator, &found)
                }
            }
        case .ifThenElse:
            switch evaluator.knownBool(node.a) {
            case true?: blame(node.b, for: value, evaluator, &found)
            case false?: blame(node.c, for: value, evaluator, &found)
            case nil: break
            }
        default:
            break
        }
    }
}
