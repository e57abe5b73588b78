import SoeLanguage

/// Every lint check, in code order. Adding a check means adding its file under `Checks/` and one
/// line in its list here; the catalogue test then asks for `docs/lint-checks.md` to be regenerated.
///
/// Codes are grouped like ruff's: `L1xx` conditions and outcomes, `L2xx` numbers and units,
/// `L3xx` definitions nobody uses, `L4xx` documentation and legal basis, `L5xx` dated values,
/// `L6xx` rule sets that build on others, `L9xx` the suppression comments themselves.
public enum LintRegistry {
    /// The checks that look at a rule set, in code order. Listed as such, not found by casting
    /// `checks` (`as? any RuleSetCheck.Type`): a cast searches every protocol conformance of the
    /// process, which cost a `soe evaluate` of one firm more than its whole evaluation.
    public static let ruleSetChecks: [any RuleSetCheck.Type] = [
        UnreachableOutcome.self,
        ImpossibleCondition.self,
        AlwaysTrueCondition.self,
        ClassificationGap.self,
        ThresholdOutOfRange.self,
        PercentWrittenAsFraction.self,
        UnguardedDivision.self,
        ConstantOutOfRange.self,
        UnusedDefinition.self,
        MissingCitation.self,
        MissingLegalBasis.self,
        MissingDescription.self,
        MissingAppealText.self,
        DatedValueGap.self,
        DatedValueOverlap.self,
        ValueBeforeInForce.self,
        ParameterValueMissing.self,
        EmptyValuePeriod.self,
        UndatedValueAfterDated.self,
        RedundantOverride.self,
    ]

    /// The rule-set checks that can report a finding of error severity: those whose default
    /// severity is `error` (no check raises a finding above its default; `LintErrorChecksTests`
    /// holds every check to that). `Linter.errors` runs only these.
    public static let errorChecks: [any RuleSetCheck.Type] = ruleSetChecks.filter { $0.documentation.severity == .error }

    /// The checks about suppression comments, in code order (all after the rule set checks').
    public static let suppressionChecks: [any SuppressionCheck.Type] = [
        SuppressionWithoutReason.self,
        UnusedSuppression.self,
        InvalidSuppression.self,
    ]

    /// Every check, in code order.
    public static let checks: [any LintCheck.Type] =
        ruleSetChecks.map { $0 as any LintCheck.Type } + suppressionChecks.map { $0 as any LintCheck.Type }

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
