import SoeLanguage

/// Every lint check, in code order. Adding a check means adding its file under `Checks/` and one
/// line here; the catalogue test then asks for `docs/lint-checks.md` to be regenerated.
///
/// Codes are grouped like ruff's: `L1xx` conditions and outcomes, `L2xx` numbers and units,
/// `L3xx` definitions nobody uses, `L4xx` documentation and legal basis, `L5xx` dated values,
/// `L6xx` rule sets that build on others, `L9xx` the suppression comments themselves.
public enum LintRegistry {
    /// Every check, in code order.
    public static let checks: [any LintCheck.Type] = [
        UnreachableOutcome.self,
        ImpossibleCondition.self,
        AlwaysTrueCondition.self,
        ClassificationGap.self,
        ThresholdOutOfRange.self,
        PercentWrittenAsFraction.self,
        UnguardedDivision.self,
        UnusedDefinition.self,
        MissingCitation.self,
        MissingLegalBasis.self,
        MissingDescription.self,
        DatedValueGap.self,
        DatedValueOverlap.self,
        ValueBeforeInForce.self,
        ParameterValueMissing.self,
        EmptyValuePeriod.self,
        RedundantOverride.self,
        SuppressionWithoutReason.self,
        UnusedSuppression.self,
        InvalidSuppression.self,
    ]

    /// The checks that look at a rule set.
    public static var ruleSetChecks: [any RuleSetCheck.Type] { checks.compactMap { $0 as? any RuleSetCheck.Type } }

    /// The checks about suppression comments.
    public static var suppressionChecks: [any SuppressionCheck.Type] { checks.compactMap { $0 as? any SuppressionCheck.Type } }

    /// Every check's documentation, in code order.
    public static var documentation: [LintCheckDocumentation] { checks.map { $0.documentation } }

    /// The documentation of one check, by code (`L101`) or name (`UnreachableOutcome`).
    public static func documentation(for codeOrName: String) -> LintCheckDocumentation? {
        documentation.first { $0.code == codeOrName.uppercased() || $0.name == codeOrName }
    }

    /// The codes a `# soe:ignore` comment may name: every check but the suppression checks.
    public static var suppressibleCodes: Set<String> {
        Set(ruleSetChecks.map { $0.documentation.code })
    }
}
