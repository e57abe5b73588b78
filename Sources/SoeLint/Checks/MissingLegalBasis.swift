import SoeLanguage

/// L402: a parameter that does not say whether its value is law, guidance or a policy choice.
struct MissingLegalBasis: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L402",
        name: "MissingLegalBasis",
        severity: .warning,
        summary: "a parameter that does not say whether it is law, guidance or a policy choice",
        whatItDoes: """
            Reports every parameter without a `law "…"`, `guidance "…"` or `policy "…"` clause, and a \
            clause whose text names a file (a drive path, a network share, an office document's name) \
            instead of a document, as `L401` does for a criterion's citation. In a rule set that builds \
            on another, an override that leaves the clause out keeps the base rule set's basis; when it \
            gives values of its own, that basis was written for the values it replaces, and the override \
            is reported too.
            """,
        whyItMatters: """
            Some thresholds are set by law (the 35 % dividend cap of § 5, stk. 2), some by official \
            guidance (50 % public ownership), and many are a municipality's own choice (the share of \
            revenue from employment services that makes a firm an "anden aktør"). The difference \
            decides who may change a number and how a decision can be appealed, so the rule file must \
            say which it is; the trace shows it beside every threshold.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input municipal_share: percent "Andel af omsætningen fra kommunale ydelser"

            parameter aktor_share_min: percent "Andel, hvorover virksomheden er en anden aktør"
              = 50 % from 2015-01-01

            classify
              aktor "Anden aktør" when municipal_share > aktor_share_min
              otherwise soe "Socialøkonomisk virksomhed"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input municipal_share: percent "Andel af omsætningen fra kommunale ydelser"

            parameter aktor_share_min: percent "Andel, hvorover virksomheden er en anden aktør"
              policy "Kommunens praksis: 'den største del' af omsætningen læses som mere end halvdelen"
              = 50 % from 2015-01-01

            classify
              aktor "Anden aktør" when municipal_share > aktor_share_min
              otherwise soe "Socialøkonomisk virksomhed"
            """),
        related: ["L401"],
        danishSummary: "en parameter, der ikke angiver, om den er lov, vejledning eller et politisk valg")

    func check(_ context: LintContext) {
        for parameter in context.ruleSet.parameters {
            guard let basis = parameter.basis else {
                context.report(
                    MissingLegalBasis.self,
                    "the parameter '\(parameter.name)' does not say whether it is law, guidance or policy; add 'law \"…\"', 'guidance \"…\"' or 'policy \"…\"'",
                    da:
                        "parameteren '\(parameter.name)' angiver ikke, om den er lov, vejledning eller et politisk valg; tilføj 'law \"…\"', 'guidance \"…\"' eller 'policy \"…\"'",
                    at: parameter.span)
                continue
            }
            // An override with values of its own and no basis: the explanation would show the base's
            // basis, written for the values replaced, beside the new ones.
            if let override = overrideWithoutBasis(parameter.name, context) {
                context.report(
                    MissingLegalBasis.self,
                    "the override of the parameter '\(parameter.name)' gives values of its own but no law, guidance or policy: every explanation shows the basis of the rule set it builds on (\(basis.rawValue)), written for the values it replaces; say the basis of these values",
                    da:
                        "overriden af parameteren '\(parameter.name)' giver sine egne værdier, men ingen law, guidance eller policy: alle forklaringer viser grundlaget fra det regelsæt, den bygger på (\(basis.rawValue)), skrevet til de værdier, den erstatter; angiv grundlaget for disse værdier",
                    at: override)
            }
            // The basis is shown beside the threshold in every explanation: a file on someone's
            // machine is no basis a reader can look up (as for a criterion's citation, L401).
            if let citation = parameter.citation, let file = MissingCitation.fileName(in: citation.danish) {
                context.report(
                    MissingLegalBasis.self,
                    "the \(basis.rawValue) text of the parameter '\(parameter.name)' \(MissingCitation.namesFile(file).english)",
                    da: "\(basis.rawValue)-teksten til parameteren '\(parameter.name)' \(MissingCitation.namesFile(file).danish)",
                    at: parameter.span)
            }
        }
    }

    /// Where an override of the parameter that gives values but no basis is written, in a rule
    /// file after the first of the chain (the last such override, the one that decides); nil when
    /// there is none.
    func overrideWithoutBasis(_ name: String, _ context: LintContext) -> SourceSpan? {
        var found: SourceSpan?
        for (fileIndex, file) in context.syntax.enumerated() where fileIndex > 0 {
            guard let file else { continue }
            for declaration in file.declarations {
                guard case .parameter(let syntax) = declaration, syntax.isOverride, syntax.name.text == name else { continue }
                found = syntax.basis == nil && !syntax.values.isEmpty ? SourceSpan(file: file.file, range: syntax.name.range) : nil
            }
        }
        return found
    }
}
