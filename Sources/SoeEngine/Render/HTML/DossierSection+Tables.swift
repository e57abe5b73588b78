import SoeLanguage

extension DossierSection {
    /// The parameters in force on the closing date: value, basis (law, guidance, policy choice),
    /// citation or justification, and the period the value applies to.
    var parameters: Markup {
        guard !trace.parameters.isEmpty else { return .empty }
        let rows = trace.parameters.map { parameter -> Markup in
            let value = parameter.value.map { formatter.format($0, as: parameter.type) } ?? "(\(words.noParameterValue))"
            var period = parameter.from.map { "\(words.from) \($0)" } ?? ""
            if let until = parameter.until { period += (period.isEmpty ? "" : " ") + "\(words.until) \(until)" }
            let basis: Markup = parameter.basis.map { .tag("span", "basis b-\($0.rawValue)", .text(words.basis($0))) } ?? .empty
            let citation: Markup = localized(parameter.citation).map { .tag("div", "basis-text", .text($0)) } ?? .empty
            return .tag(
                "tr", nil,
                .tag("td", nil, .tag("code", nil, .text(parameter.name)), description(parameter.description)),
                .tag("td", "num", .text(value)),
                .tag("td", nil, basis, citation),
                .tag("td", "nowrap", .text(period)))
        }
        return .tag("h2", nil, .text("\(words.parametersInForce) \(trace.asOf ?? trace.firm.closingDay)"))
            + .element(
                "table", [("class", "parameters")],
                [
                    .tag(
                        "thead", nil,
                        .tag(
                            "tr", nil, .tag("th", nil, .text(html.parameter)), .tag("th", nil, .text(html.value)),
                            .tag("th", nil, .text(html.basis)), .tag("th", nil, .text(html.period)))),
                    .element("tbody", [], rows),
                ])
    }

    /// Every input with its value (or that it is missing) and where in the data it was read.
    var inputs: Markup {
        let missing = Set(trace.decision.missing.indices)
        let rows = trace.inputs.enumerated().map { index, input -> Markup in
            let value: Markup =
                input.value.map { .text(formatter.format($0, as: input.type)) }
                ?? .tag("span", "missing", .text(words.notGiven))
            var place = ""
            if let field = input.field { place = "\(field.pointer), \(words.line) \(field.line)" }
            return .element(
                "tr", [("class", missing.contains(index) ? "decisive-missing" : nil)],
                [
                    .tag("td", nil, .tag("code", nil, .text(input.name)), description(input.description)),
                    .tag("td", "num", value),
                    .tag("td", "at", .text(place)),
                ])
        }
        return .tag("h2", nil, .text(words.inputs))
            + .element(
                "table", [("class", "inputs")],
                [
                    .tag(
                        "thead", nil,
                        .tag(
                            "tr", nil, .tag("th", nil, .text(html.input)), .tag("th", nil, .text(html.value)),
                            .tag("th", nil, .text("\(html.dataSource) (\(trace.firm.source))")))),
                    .element("tbody", [], rows),
                ])
    }

    /// The rule set and its files with their SHA-256, the data's SHA-256, the engine, and the
    /// command that re-checks the decision against the archived files.
    var integrity: Markup {
        let ruleSet = trace.ruleSet
        var rows: [Markup] = []
        func row(_ key: String, _ value: Markup) { rows.append(.tag("tr", nil, .tag("th", nil, .text(key)), .tag("td", nil, value))) }
        var title = "\(ruleSet.name) “\(ruleSet.title.text(language))”"
        if let version = ruleSet.version { title += ", \(words.version) \(version)" }
        row(words.ruleSet, .text(title))
        if let source = localized(ruleSet.source) { row(html.source, .text(source)) }
        if let from = ruleSet.inForceFrom {
            row(html.period, .text("\(words.from) \(from)" + (ruleSet.inForceUntil.map { " \(words.until) \($0)" } ?? "")))
        }
        row(html.ruleSetHash, .tag("span", "hash", .text(ruleSet.sha256)))
        for file in ruleSet.files {
            row(html.file, .tag("code", nil, .text(file.path)) + .tag("div", "hash", .text("sha256 \(file.sha256)")))
        }
        row(words.data, .tag("code", nil, .text(trace.firm.source)))
        row(html.inputHash, .tag("span", "hash", .text(trace.firm.sha256)))
        row(html.engine, .text("soe \(trace.engineVersion)"))
        // The seal of the record this same evaluation gives with --format record: records are
        // deterministic, so a printed dossier can be matched to its archived record by this hash.
        // The record seals the analysis the dossier shows (its trace is then soe-trace/2); a
        // dossier made from a record shows that record's own seal.
        let seal = trace.recordSeal ?? DecisionRecord.seal(DecisionRecord.body(trace))
        row(html.recordSeal, .tag("span", "hash", .text(seal)))
        row(html.format, .text(trace.recordTraceSchema ?? (trace.analysis == nil ? Trace.schemaVersion1 : Trace.schema)))
        let rulesPath = ruleSet.files.last?.path ?? ruleSet.name
        // Each path as a shell word: a pasted line must run this command and no other, whatever
        // the names hold (spaces, `;`, `$(…)`, quotes, line breaks).
        let command =
            "soe verify <record.json> --rules \(ShellWord.quote(rulesPath)) \(ShellWord.quote(trace.firm.source == "<stdin>" ? "-" : trace.firm.source))"
        return .tag("h2", nil, .text(html.traceability))
            + .element("table", [("class", "kv")], [.element("tbody", [], rows)])
            + .tag("p", "verify", .text("\(html.verifyWith): "), .tag("code", nil, .text(command)))
    }

    /// A definition's description under its name, when it has one.
    func description(_ text: LocalizedText?) -> Markup {
        localized(text).map { .tag("div", "desc", .text($0)) } ?? .empty
    }
}
