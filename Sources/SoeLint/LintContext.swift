import SoeLanguage

/// What a check gets: the checked rule set, the syntax of its files, shared analyses computed
/// once on first use, and a place to report findings.
public final class LintContext {
    /// The rule set being linted.
    public let ruleSet: RuleSet
    /// The syntax tree of each file of the rule set, in the order of `ruleSet.files` (base first);
    /// nil where the loader did not keep one.
    public let syntax: [RuleFileSyntax?]
    /// What the checks found, in the order reported.
    public private(set) var findings: [Diagnostic] = []

    /// Normal forms of conditions, shared by the checks that reason about them.
    private(set) lazy var conditions: ConditionAnalysis = {
        let analysis = ConditionAnalysis(ruleSet: ruleSet)
        analysis.prepare()
        return analysis
    }()

    /// Who uses what, shared by the checks that follow references.
    private(set) lazy var usage = UsageAnalysis(ruleSet: ruleSet)

    /// The outcome conditions in normal form, shared by the checks about outcomes.
    private(set) lazy var outcomeForms: [NormalForm?] = ruleSet.outcomes.map { outcome in
        outcome.condition.map { conditions.normalForm($0, positive: true) }
    }

    /// The conditions that are never or always true, shared by the two checks that report them.
    private(set) lazy var constantConditions = ConstantConditions(context: self)

    /// Which outcomes earlier ones cover, shared by the checks about outcomes.
    private(set) lazy var coverage = OutcomeCoverage.analyse(
        forms: outcomeForms, analysis: conditions, coversEverything: needsCoversEverything)

    /// Whether a check that runs asks if the outcomes cover every case (`ClassificationGap`, by
    /// `coverage.coversEverything`); when none does, `coverage` leaves that answer out and skips
    /// the search only it needs. Set by `Linter` before the checks run.
    var needsCoversEverything = true

    /// A context for one rule set; the analyses are computed when a check first asks for them.
    public init(ruleSet: RuleSet, syntax: [RuleFileSyntax?]) {
        self.ruleSet = ruleSet
        self.syntax = syntax
    }

    /// Reports a finding of a check, with the check's code and default severity.
    /// `severity` overrides the check's default, for a finding that is milder than the check's
    /// usual one (one route of several that never decides, while its outcome still can).
    public func report(
        _ check: any LintCheck.Type, _ message: String, da danish: String? = nil, at span: SourceSpan?,
        severity: Severity? = nil, notes: [DiagnosticNote] = [], fixIts: [FixIt] = []
    ) {
        let documentation = check.documentation
        findings.append(
            Diagnostic(
                code: documentation.code, severity: severity ?? documentation.severity, message: message, danish: danish,
                span: span, notes: notes, fixIts: fixIts))
    }

    /// Where a formula node is written.
    public func span(ofNode index: Int32) -> SourceSpan? {
        guard index >= 0, Int(index) < ruleSet.nodes.count else { return nil }
        let node = ruleSet.nodes[Int(index)]
        guard Int(node.fileIndex) < ruleSet.files.count else { return nil }
        return SourceSpan(file: ruleSet.files[Int(node.fileIndex)].source, range: node.range)
    }

    /// A formula node as written.
    public func text(ofNode index: Int32) -> String {
        guard let span = span(ofNode: index) else { return "?" }
        return span.file.text(span.range)
    }

    /// The syntax of the file a span lies in.
    func syntax(of span: SourceSpan) -> RuleFileSyntax? {
        syntax.compactMap { $0 }.first { $0.file.path == span.file.path }
    }

    /// The file of the rule set itself (the last one), whose header says when it is in force.
    var leafFile: SourceFile? { ruleSet.files.last?.source }
}

/// How numbers of a given type are written in a rule file, for messages: `50 %`, `1000 kr`, `3`.
func formatted(_ value: Exact, as type: ValueType) -> String {
    switch type {
    case .percent:
        let points = value.multiplying(Exact(integer: 100)) ?? value
        return points.exactText() + " %"
    case .money:
        return value.exactText() + " kr"
    case .date:
        return value.exactText()
    default:
        return value.exactText()
    }
}
