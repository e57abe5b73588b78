import SoeLanguage

/// Builds a `Trace` from an evaluator that has just decided.
public enum TraceBuilder {
    /// The trace of the decision the evaluator has just made for this firm.
    public static func build(
        evaluator: Evaluator, decision: Decision, firm: Firm, bound: BoundInputs,
        engineVersion: String
    ) -> Trace {
        let ruleSet = evaluator.ruleSet
        let info = Trace.RuleSetInfo(
            name: ruleSet.name, title: ruleSet.title, version: ruleSet.version, source: ruleSet.source,
            inForceFrom: ruleSet.inForceFrom, inForceUntil: ruleSet.inForceUntil, buildsOn: ruleSet.ancestry,
            sha256: ruleSet.sha256, files: ruleSet.files.map { ($0.path, $0.sha256) }, letterTexts: ruleSet.letterTexts,
            letterKind: ruleSet.letterKind)
        let firmInfo = Trace.FirmInfo(
            source: firm.source, sha256: firm.sha256, name: firm.name, cvr: firm.cvr,
            fiscalYear: firm.fiscalYear, closingDay: firm.closingDay)
        let evaluated = decision.notInForceOn == nil

        var outcomes: [Trace.OutcomeStep] = []
        var reached = evaluated
        for (index, outcome) in ruleSet.outcomes.enumerated() {
            var status: Trace.OutcomeStatus = .notReached
            var condition: Explanation?
            if reached {
                if let root = outcome.condition { condition = explain(root, evaluator) }
                status = .of(condition: condition?.result, outcome: index, decision: decision)
                if status == .applies { reached = false }
            }
            var used: [Int] = []
            if let root = outcome.condition { collectCriteria(root, ruleSet, into: &used) }
            outcomes.append(
                Trace.OutcomeStep(
                    rank: index + 1, name: outcome.name, label: outcome.label, reason: outcome.reason,
                    isFallback: outcome.condition == nil, status: status, condition: condition, criteria: used,
                    tone: outcome.tone, route: outcome.route, routes: outcome.routes,
                    at: outcome.routes > 1 ? place(outcome.span) : nil))
        }

        let criteria = ruleSet.criteria.enumerated().map { index, criterion in
            Trace.CriterionStep(
                name: criterion.name, text: criterion.text, cite: criterion.cite,
                result: evaluated ? evaluator.criterionResult(index) : .unknown(Unknown()),
                formula: explain(criterion.root, evaluator))
        }
        let values = ruleSet.values.enumerated().map { index, value in
            Trace.ValueStep(
                name: value.name, description: value.description, type: value.type,
                result: evaluated ? evaluator.valueResult(index) : .unknown(Unknown()),
                formula: explain(value.root, evaluator))
        }
        let parameters = ruleSet.parameters.enumerated().map { index, parameter in
            let chosen = evaluated ? evaluator.parameterChoices[index] : nil
            return Trace.ParameterStep(
                name: parameter.name, description: parameter.description, type: parameter.type, basis: parameter.basis,
                citation: parameter.citation, value: chosen?.value, from: chosen?.from, until: chosen?.until,
                at: place(chosen?.span ?? parameter.span))
        }
        let inputs = ruleSet.inputs.enumerated().map { index, input in
            Trace.InputStep(
                name: input.name, description: input.description, type: input.type,
                value: bound.values[index], field: bound.sources[index])
        }
        let problems = decision.problems.map { problem -> Trace.ProblemInfo in
            if problem.kind == .noParameterValue {
                let parameter = ruleSet.parameters[Int(problem.node)]
                return Trace.ProblemInfo(kind: problem.kind, formula: parameter.name, at: place(parameter.span))
            }
            let node = ruleSet.nodes[Int(problem.node)]
            let file = ruleSet.files[Int(node.fileIndex)].source
            return Trace.ProblemInfo(
                kind: problem.kind, formula: file.text(node.range),
                at: place(SourceSpan(file: file, range: node.range)))
        }
        return Trace(
            ruleSet: info, firm: firmInfo, engineVersion: engineVersion, decision: decision,
            outcomes: outcomes, criteria: criteria, values: values, parameters: parameters,
            inputs: inputs, problems: problems, choiceSets: ruleSet.choiceSets)
    }

    static func place(_ span: SourceSpan) -> String {
        let start = span.start
        return "\(span.file.path):\(start.line):\(start.column)"
    }

    /// The formula at `index` with the value of each sub-formula; references are leaves.
    static func explain(_ index: Int32, _ evaluator: Evaluator) -> Explanation {
        let ruleSet = evaluator.ruleSet
        let node = ruleSet.nodes[Int(index)]
        let file = ruleSet.files[Int(node.fileIndex)].source
        var children: [Explanation] = []
        var reference: Explanation.Reference?
        switch node.op {
        case .input: reference = .input(Int(node.a))
        case .parameter: reference = .parameter(Int(node.a))
        case .value: reference = .value(Int(node.a))
        case .criterion: reference = .criterion(Int(node.a))
        case .constant: break
        case .and, .or, .minimum, .maximum:
            let start = Int(node.listStart)
            children = (0..<Int(node.listCount)).map { explain(ruleSet.lists[start + $0], evaluator) }
        case .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .member,
            .ifThenElse, .isKnown:
            for child in [node.a, node.b, node.c] where child >= 0 {
                children.append(explain(child, evaluator))
            }
        }
        return Explanation(
            formula: file.text(node.range), op: node.op, type: node.type, result: evaluator.evaluate(index),
            children: children, reference: reference,
            at: place(SourceSpan(file: file, range: node.range)))
    }

    /// The criteria a formula uses, directly or through values and other criteria, in first-use order.
    static func collectCriteria(_ index: Int32, _ ruleSet: RuleSet, into list: inout [Int]) {
        var seen = Set<Definition>()
        collectCriteria(index, ruleSet, into: &list, seen: &seen)
    }

    /// Visits each value and criterion once: a value used twice by each of the next ones would
    /// otherwise be walked 2^n times.
    static func collectCriteria(_ index: Int32, _ ruleSet: RuleSet, into list: inout [Int], seen: inout Set<Definition>) {
        let node = ruleSet.nodes[Int(index)]
        switch node.op {
        case .criterion:
            let criterion = Int(node.a)
            guard seen.insert(.criterion(criterion)).inserted else { return }
            list.append(criterion)
            collectCriteria(ruleSet.criteria[criterion].root, ruleSet, into: &list, seen: &seen)
        case .value:
            guard seen.insert(.value(Int(node.a))).inserted else { return }
            collectCriteria(ruleSet.values[Int(node.a)].root, ruleSet, into: &list, seen: &seen)
        case .and, .or, .minimum, .maximum:
            let start = Int(node.listStart)
            for offset in 0..<Int(node.listCount) {
                collectCriteria(ruleSet.lists[start + offset], ruleSet, into: &list, seen: &seen)
            }
        case .constant, .input, .parameter, .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual,
            .greater, .greaterEqual, .member, .ifThenElse, .isKnown:
            for child in [node.a, node.b, node.c] where child >= 0 && node.op != .constant && node.op != .input && node.op != .parameter {
                collectCriteria(child, ruleSet, into: &list, seen: &seen)
            }
        }
    }
}
