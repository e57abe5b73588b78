import SoeLanguage

/// Inline suppressions: `# soe:ignore L201 -- reason text`, on the line before a finding or at
/// the end of its line.
///
/// A suppression must say why: the reason is what an auditor reads when a check was overruled.
/// One without a reason, or naming a code that does not exist or cannot be suppressed, does not
/// suppress anything and is itself a finding (`L901`, `L903`); one that suppresses nothing is a
/// finding too (`L902`), so that suppressions do not outlive the problem they excused.
public struct SuppressionComment: Sendable {
    /// Why a suppression comment is not valid.
    public enum Problem: Sendable, Equatable {
        case noCode
        case missingReason
        /// A code that is not a lint check's.
        case unknownCode(String)
        /// A language error (`E…`) or a suppression finding (`L9…`).
        case notSuppressible(String)
    }

    /// The comment, from `#` to the end of the line.
    public let span: SourceSpan
    /// The codes it names, as written.
    public let codes: [String]
    /// The text after `--`; nil when there is none.
    public let reason: String?
    /// The 1-based line whose findings it suppresses.
    public let targetLine: Int
    /// The edit that removes the comment (the fix for an unused one).
    public let removal: FixIt
    /// What is wrong with it, if anything; only a suppression without problems suppresses.
    public let problems: [Problem]
    /// The codes that suppressed at least one finding.
    public internal(set) var usedCodes: Set<String> = []

    /// Whether the comment suppresses findings: it names only lint checks and gives a reason.
    public var isValid: Bool { problems.isEmpty }

    /// The marker that starts a suppression comment.
    public static let marker = "soe:ignore"

    /// The suppression comments of a file, valid or not.
    public static func scan(_ syntax: RuleFileSyntax, suppressible: Set<String>) -> [SuppressionComment] {
        syntax.comments.compactMap { parse($0, in: syntax.file, suppressible: suppressible) }
    }

    /// Reads one comment; nil when it is an ordinary comment.
    static func parse(_ comment: Comment, in file: SourceFile, suppressible: Set<String>) -> SuppressionComment? {
        guard comment.text.hasPrefix(marker) else { return nil }
        var rest = Substring(comment.text.dropFirst(marker.count))
        // `soe:ignored` or `soe:ignore-all` are not this marker.
        if let first = rest.first, !first.isWhitespace { return nil }
        var reason: String?
        if let separator = rest.firstRange(of: "--") {
            let text = rest[separator.upperBound...].trimmedOfWhitespace()
            reason = text.isEmpty ? nil : text
            rest = rest[..<separator.lowerBound]
        }
        let codes = rest.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        var problems: [Problem] = []
        if codes.isEmpty { problems.append(.noCode) }
        for code in codes where !suppressible.contains(code) {
            let isLanguageError = code.hasPrefix("E") && DiagnosticCode(rawValue: code) != nil
            let isSuppressionFinding = code.hasPrefix("L9") && LintRegistry.documentation(for: code) != nil
            problems.append(isLanguageError || isSuppressionFinding ? .notSuppressible(code) : .unknownCode(code))
        }
        if reason == nil { problems.append(.missingReason) }

        let start = file.location(of: comment.range.lowerBound)
        let lineStart = file.lineStarts[start.line - 1]
        let before = file.bytes[lineStart..<comment.range.lowerBound]
        let isTrailing = before.contains { $0 != 0x20 && $0 != 0x09 }
        let removal: FixIt
        if isTrailing {
            var cut = comment.range.lowerBound
            while cut > lineStart, file.bytes[cut - 1] == 0x20 || file.bytes[cut - 1] == 0x09 { cut -= 1 }
            removal = FixIt(
                message: "remove the suppression", danish: "fjern undertrykkelsen", range: cut..<comment.range.upperBound, replacement: "")
        } else {
            let end = start.line < file.lineStarts.count ? file.lineStarts[start.line] : file.bytes.count
            removal = FixIt(message: "remove the suppression", danish: "fjern undertrykkelsen", range: lineStart..<end, replacement: "")
        }
        return SuppressionComment(
            span: SourceSpan(file: file, range: comment.range), codes: codes, reason: reason,
            targetLine: isTrailing ? start.line : start.line + 1, removal: removal,
            problems: problems)
    }
}

/// A finding that a suppression comment silenced, kept for the JSON and SARIF output.
public struct SuppressedFinding: Sendable {
    /// The finding, as it would have been reported.
    public let diagnostic: Diagnostic
    /// The reason given in the comment.
    public let reason: String
    /// Where the comment is.
    public let comment: SourceSpan
}

extension Substring {
    /// The text without leading and trailing blanks.
    func trimmedOfWhitespace() -> String {
        var text = self
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
