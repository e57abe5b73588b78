/// How serious a finding is. Errors stop the pipeline after the stage that found them.
public enum Severity: String, Sendable, Comparable, CaseIterable {
    case note, warning, error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }
    /// Notes rank below warnings, warnings below errors.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A replacement that repairs a finding when applied to the source text.
public struct FixIt: Sendable, BilingualMessage {
    /// What the fix does, shown to the user ("write `50 %`").
    public let message: String
    /// The same in Danish, for `--lang da`; nil falls back to English.
    public let danish: String?
    public let range: Range<Int>
    public let replacement: String
    public init(message: String, danish: String? = nil, range: Range<Int>, replacement: String) {
        self.message = message
        self.danish = danish
        self.range = range
        self.replacement = replacement
    }
}

/// A secondary message pointing at another place ("first defined here").
public struct DiagnosticNote: Sendable, BilingualMessage {
    public let message: String
    /// The same in Danish, for `--lang da`; nil falls back to English.
    public let danish: String?
    public let span: SourceSpan?
    public init(message: String, danish: String? = nil, span: SourceSpan?) {
        self.message = message
        self.danish = danish
        self.span = span
    }
}

/// A finding about a rule file: data, not text. Renderers turn it into the one-line editor form,
/// the annotated snippet, JSON or SARIF.
///
/// Messages are lower case without a full stop, so that they read well after `error:`. Each
/// carries its text in English (`message`) and in Danish (`danish`), as do its notes and fixes;
/// the renderers pick one (`text(_:)`), and the code is the same in both.
public struct Diagnostic: Sendable, BilingualMessage {
    /// A stable code such as `E104` (language errors) or `L201` (lint checks); never reused.
    public let code: String
    public let severity: Severity
    public let message: String
    /// The message in Danish, for `--lang da`; nil falls back to English.
    public let danish: String?
    /// Where the problem is; nil only for problems with no place in a file (e.g. an empty rule folder).
    public let span: SourceSpan?
    public var notes: [DiagnosticNote]
    public var fixIts: [FixIt]

    public init(
        code: String, severity: Severity, message: String, danish: String? = nil, span: SourceSpan?,
        notes: [DiagnosticNote] = [], fixIts: [FixIt] = []
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.danish = danish
        self.span = span
        self.notes = notes
        self.fixIts = fixIts
    }
}

/// Collects diagnostics in the order they are found; stages append, renderers sort.
///
/// A stage reports at most `maxErrors` errors; the last one kept says that more were left out.
/// A file of garbage (a binary, a minified JSON file given as rules) could otherwise yield one error
/// per byte: gigabytes of diagnostics and a report nobody reads.
public struct DiagnosticBag: Sendable {
    /// The most errors one stage reports for one rule set.
    public static let maxErrors = 1_000
    public private(set) var items: [Diagnostic] = []
    private var errorCount = 0
    public init() {}

    /// Adds one diagnostic.
    public mutating func append(_ diagnostic: Diagnostic) { items.append(diagnostic) }
    /// Adds several diagnostics, keeping their order.
    public mutating func append(contentsOf other: [Diagnostic]) { items.append(contentsOf: other) }

    /// True once `maxErrors` errors are kept: further errors are dropped, so a caller may skip
    /// the work of composing them (such as a did-you-mean search).
    public var isFull: Bool { errorCount >= DiagnosticBag.maxErrors }

    /// Reports an error with the given code at a span.
    public mutating func error(
        _ code: DiagnosticCode, _ message: String, da danish: String? = nil, at span: SourceSpan?,
        notes: [DiagnosticNote] = [], fixIts: [FixIt] = []
    ) {
        guard !isFull else { return }
        errorCount += 1
        items.append(
            Diagnostic(
                code: code.rawValue, severity: .error, message: message, danish: danish, span: span,
                notes: notes, fixIts: fixIts))
        if isFull {
            items.append(
                Diagnostic(
                    code: DiagnosticCode.tooManyErrors.rawValue, severity: .error,
                    message: "too many errors; only the first \(DiagnosticBag.maxErrors) are reported",
                    danish: "for mange fejl; kun de første \(DiagnosticBag.maxErrors) vises", span: span))
        }
    }

    /// Reports a warning with the given code at a span.
    public mutating func warning(
        _ code: DiagnosticCode, _ message: String, da danish: String? = nil, at span: SourceSpan?,
        notes: [DiagnosticNote] = [], fixIts: [FixIt] = []
    ) {
        items.append(
            Diagnostic(
                code: code.rawValue, severity: .warning, message: message, danish: danish, span: span,
                notes: notes, fixIts: fixIts))
    }

    public var hasErrors: Bool { items.contains { $0.severity == .error } }
}

extension Diagnostic {
    /// Orders diagnostics by file, then position, then code, so that output is stable.
    public static func sortedForOutput(_ list: [Diagnostic]) -> [Diagnostic] {
        list.enumerated().sorted { a, b in
            let pa = a.element.span?.file.path ?? ""
            let pb = b.element.span?.file.path ?? ""
            if pa != pb { return pa < pb }
            let oa = a.element.span?.range.lowerBound ?? -1
            let ob = b.element.span?.range.lowerBound ?? -1
            if oa != ob { return oa < ob }
            return a.offset < b.offset
        }.map(\.element)
    }
}
