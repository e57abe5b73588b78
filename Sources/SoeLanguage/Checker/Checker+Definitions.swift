/// Parameters, values, criteria and outcomes.
extension Checker {
    mutating func declareParameters() {
        for entry in entries {
            guard case .parameter(let own) = entry.declaration else { continue }
            let fileIndex = entry.fileIndex
            let parent = entry.inherited
            let typeSyntax = own.type ?? parent?.type
            var type = typeSyntax.map { resolveType($0, fileIndex: fileIndex) }
            var dated: [DatedValue] = []
            for valueSyntax in own.values {
                guard case .some(let (value, literalType)) = literal(valueSyntax.value, fileIndex: fileIndex) else { continue }
                if let declared = type {
                    if !checkLiteralUnit(literalType, expected: declared, syntax: valueSyntax.value, fileIndex: fileIndex) { continue }
                } else {
                    type = literalType
                }
                dated.append(
                    DatedValue(
                        value: value, from: valueSyntax.from?.day, until: valueSyntax.until?.day,
                        span: span(fileIndex, valueSyntax.range)))
            }
            if own.values.isEmpty, let parent {
                // An override that leaves out the values keeps the base rule set's values and their places.
                let parentFile = entry.inheritedFile
                for valueSyntax in parent.values {
                    if case .some(let (value, _)) = literal(valueSyntax.value, fileIndex: parentFile) {
                        dated.append(
                            DatedValue(
                                value: value, from: valueSyntax.from?.day, until: valueSyntax.until?.day,
                                span: span(parentFile, valueSyntax.range)))
                    }
                }
            }
            if own.values.isEmpty && parent == nil {
                error(
                    .parameterNeedsValue, "the parameter '\(own.name.text)' has no value; add '= … from YYYY-MM-DD'",
                    da: "parameteren '\(own.name.text)' har ingen værdi; tilføj '= … from ÅÅÅÅ-MM-DD'", fileIndex, own.name.range)
            }
            let basis = own.basis ?? parent?.basis
            symbols[own.name.text] = (.parameter, parameters.count)
            parameters.append(
                ParameterDefinition(
                    name: own.name.text, type: type ?? .number,
                    description: (own.description ?? parent?.description).map(Checker.localized),
                    basis: basis?.kind, citation: basis.map { Checker.localized($0.text) }, values: dated,
                    span: span(fileIndex, own.name.range)))
        }
    }

    mutating func declareValuesAndCriteria() {
        if fastPaths {
            // Room for all of them at once: the seven arrays otherwise grow four or five times each
            // (0.02 M instructions of a one-firm run). `kind` says which without copying the entry.
            var valueCount = 0
            var criterionCount = 0
            for index in entries.indices {
                switch entries[index].kind {
                case .value: valueCount += 1
                case .criterion: criterionCount += 1
                default: break
                }
            }
            values.reserveCapacity(valueCount)
            valueEntries.reserveCapacity(valueCount)
            valueState.reserveCapacity(valueCount)
            valueTypes.reserveCapacity(valueCount)
            criteria.reserveCapacity(criterionCount)
            criterionEntries.reserveCapacity(criterionCount)
            criterionState.reserveCapacity(criterionCount)
        }
        for (number, entry) in entries.enumerated() {
            switch entry.declaration {
            case .value(let syntax):
                symbols[syntax.name.text] = (.value, values.count)
                values.append(nil)
                valueEntries.append(number)
                valueState.append(.unvisited)
                valueTypes.append(nil)
            case .criterion(let syntax):
                symbols[syntax.name.text] = (.criterion, criteria.count)
                criteria.append(nil)
                criterionEntries.append(number)
                criterionState.append(.unvisited)
            default:
                break
            }
        }
    }

    /// Checks a derived value (once) and returns its type; nil if it could not be typed.
    mutating func checkValue(_ index: Int) -> ValueType? {
        let entry = entries[valueEntries[index]]
        guard case .value(let syntax) = entry.declaration else { return nil }
        switch valueState[index] {
        case .done: return valueTypes[index]
        case .visiting:
            reportCycle(at: syntax.name.text, span: span(entry.fileIndex, syntax.name.range))
            return nil
        case .unvisited: break
        }
        valueState[index] = .visiting
        stack.append((syntax.name.text, span(entry.fileIndex, syntax.name.range)))
        defer { stack.removeLast() }
        guard let expression = syntax.expression else {
            valueState[index] = .done
            return nil
        }
        let (root, type) = lower(expression, fileIndex: entry.fileIndex)
        valueState[index] = .done
        valueTypes[index] = type
        values[index] = ValueDefinition(
            name: syntax.name.text, description: syntax.description.map(Checker.localized), root: root,
            type: type ?? .number, span: span(entry.fileIndex, syntax.name.range))
        order.append(.value(index))
        return type
    }

    /// Checks a criterion (once); its formula must be yes/no.
    mutating func checkCriterion(_ index: Int) -> Bool {
        let entry = entries[criterionEntries[index]]
        guard case .criterion(let syntax) = entry.declaration else { return false }
        switch criterionState[index] {
        case .done: return true
        case .visiting:
            reportCycle(at: syntax.name.text, span: span(entry.fileIndex, syntax.name.range))
            return false
        case .unvisited: break
        }
        criterionState[index] = .visiting
        stack.append((syntax.name.text, span(entry.fileIndex, syntax.name.range)))
        defer { stack.removeLast() }
        guard let expression = syntax.expression else {
            criterionState[index] = .done
            return false
        }
        let (root, type) = lower(expression, fileIndex: entry.fileIndex)
        if let type, type != .bool {
            error(
                .notBoolean, "the condition of criterion '\(syntax.name.text)' is \(type.displayName), not yes/no",
                da: "betingelsen for kriteriet '\(syntax.name.text)' er \(Words.typeName(type, .danish)), ikke ja/nej",
                entry.fileIndex, expression.range)
        }
        criterionState[index] = .done
        criteria[index] = CriterionDefinition(
            name: syntax.name.text, text: syntax.text.map(Checker.localized), cite: syntax.cite.map(Checker.localized),
            root: root, span: span(entry.fileIndex, syntax.name.range))
        order.append(.criterion(index))
        return true
    }

    mutating func reportCycle(at name: String, span: SourceSpan) {
        guard let start = stack.firstIndex(where: { $0.name == name }) else { return }
        let chain = stack[start...].map(\.name) + [name]
        let notes = stack[start...].dropFirst().map {
            DiagnosticNote(message: "'\($0.name)' is part of the cycle", danish: "'\($0.name)' indgår i kredsen", span: $0.span)
        }
        diagnostics.error(
            .cycle, "'\(name)' depends on itself: \(chain.joined(separator: " → "))",
            da: "'\(name)' afhænger af sig selv: \(chain.joined(separator: " → "))", at: stack[start].span, notes: Array(notes))
    }
}
