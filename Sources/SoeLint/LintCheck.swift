import SoeLanguage

/// The lint checks of `soe lint`: one kind of mistake per check, one check per file in `Checks/`.
///
/// Like SwiftLint's rules, each check carries its documentation and its examples as data
/// (`LintCheckDocumentation`). The same data gives `soe lint --explain CODE`, the catalogue in
/// `docs/lint-checks.md`, the rules of the SARIF output, and a test that runs every example: the
/// triggering example must produce the check's code and the other one must not.
public protocol LintCheck: Sendable {
    /// The check's code, name, severity, documentation and examples.
    static var documentation: LintCheckDocumentation { get }
}

/// A check that looks at one checked rule set.
public protocol RuleSetCheck: LintCheck {
    init()
    /// Reports what the check finds in the rule set through `context.report`.
    func check(_ context: LintContext)
}

/// A check about the `# soe:ignore` comments themselves; it runs after the suppressions were
/// applied, and its findings cannot be suppressed.
public protocol SuppressionCheck: LintCheck {
    init()
    /// Reports problems with the suppression comments, given which of them were used.
    func check(_ suppressions: [SuppressionComment], report: (Diagnostic) -> Void)
}

/// Everything a person needs to know about a check, in the sections of ruff's rule pages.
public struct LintCheckDocumentation: Sendable {
    /// A stable code such as `L101`; never reused for another check.
    public let code: String
    /// The problem the check finds, in UpperCamelCase: `UnreachableOutcome`.
    public let name: String
    /// The default severity of its findings; `--fail-level` compares with it.
    public let severity: Severity
    /// One line, lower case, no full stop: what is wrong.
    public let summary: String
    /// What the check looks for, and how.
    public let whatItDoes: String
    /// Why a policy officer, caseworker or auditor should care.
    public let whyItMatters: String
    /// A rule file that the check reports.
    public let triggering: LintExample
    /// The same rule file written so that the check has nothing to report: "use instead".
    public let nonTriggering: LintExample
    /// What the check deliberately does not do, and the judgement calls it makes.
    public let limits: String?
    /// Related codes, such as the language error a lint check complements.
    public let related: [String]
    /// The summary in Danish, for `soe lint --explain --lang da` and the catalogue's Danish column.
    public let danishSummary: String?

    /// Documentation as data; see the fields for what each text should say.
    public init(
        code: String, name: String, severity: Severity, summary: String, whatItDoes: String,
        whyItMatters: String, triggering: LintExample, nonTriggering: LintExample, limits: String? = nil,
        related: [String] = [], danishSummary: String? = nil
    ) {
        self.code = code
        self.name = name
        self.severity = severity
        self.summary = summary
        self.whatItDoes = whatItDoes
        self.whyItMatters = whyItMatters
        self.triggering = triggering
        self.nonTriggering = nonTriggering
        self.limits = limits
        self.related = related
        self.danishSummary = danishSummary
    }
}

/// A rule file (or, for checks about `builds on`, a base file and the file that builds on it)
/// used as an example in a check's documentation and tests.
public struct LintExample: Sendable {
    /// The files, in the order they are loaded; each is `(file name, text)`.
    public let files: [(name: String, text: String)]

    /// Several files, loaded together as if they were in one folder.
    public init(files: [(name: String, text: String)]) {
        self.files = files
    }

    /// A single file named `example.rules`.
    public init(_ text: String) {
        self.files = [("example.rules", text)]
    }

    /// The files as sources the loader can read.
    public var sources: [SourceFile] { files.map { SourceFile(path: $0.name, text: $0.text) } }
}
