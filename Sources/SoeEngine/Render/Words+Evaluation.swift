import SoeLanguage

// The engine's words for what only evaluation produces: problems and unknown values. They live
// here, not beside `Words`, because the front end knows nothing of evaluation.

extension Words {
    /// A problem in words.
    public func problem(_ kind: Problem.Kind) -> String {
        switch kind {
        case .divisionByZero: divisionByZero
        case .overflow: overflow
        case .noParameterValue: noParameterValue
        }
    }
}

extension ValueFormatter {
    /// A value for people, or why it is not known.
    public func format(_ evaluated: Evaluated, as type: ValueType) -> String {
        switch evaluated {
        case .known(let scalar): return format(scalar, as: type)
        case .unknown(let unknown):
            if let problem = unknown.problem, unknown.missing.isEmpty { return "(\(words.problem(problem.kind)))" }
            return "(\(words.missingValue))"
        }
    }
}
