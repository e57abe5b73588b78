/// Renders diagnostics in the three forms people and tools read: the one-line form editors jump
/// to, the annotated snippet with a caret for people, and JSON for machines.
public enum DiagnosticRenderer {
    /// `rules/x.rules:12:5: error: 'market_sale' is not defined [E201]`. In Danish only the message
    /// changes: the severity word stays `error`/`warning`/`note`, which editors' problem matchers read.
    public static func oneLine(_ diagnostic: Diagnostic) -> String { oneLine(diagnostic, language: .english) }

    /// The one-line form in a language.
    public static func oneLine(_ diagnostic: Diagnostic, language: Language) -> String {
        var place = ""
        if let span = diagnostic.span {
            let start = span.start
            place = "\(span.file.displayName):\(start.line):\(start.column): "
        }
        // One line, whatever the path or a quoted text holds (see `DisplayText`).
        return DisplayText.line("\(place)\(diagnostic.severity.rawValue): \(diagnostic.text(language)) [\(diagnostic.code)]")
    }

    /// The message, the place, the source line with a caret under the problem, notes and fixes.
    public static func annotated(_ diagnostic: Diagnostic) -> String { annotated(diagnostic, language: .english) }

    /// The annotated form in a language. In Danish the words for people are Danish too
    /// (`fejl[E201]`, `= bemærkning:`, `= hjælp:`).
    public static func annotated(_ diagnostic: Diagnostic, language: Language) -> String {
        let words = SeverityWords(language)
        var lines = ["\(words.severity(diagnostic.severity))[\(diagnostic.code)]: \(diagnostic.text(language))"]
        if let span = diagnostic.span {
            lines += snippet(span)
        }
        for note in diagnostic.notes {
            if let span = note.span {
                let start = span.start
                lines.append("   = \(words.note): \(note.text(language)) (\(span.file.displayName):\(start.line):\(start.column))")
            } else {
                lines.append("   = \(words.note): \(note.text(language))")
            }
        }
        for fix in diagnostic.fixIts {
            lines.append("   = \(words.help): \(fix.text(language))")
        }
        // Each line escaped on its own: a path, a quoted text or the source line itself cannot add
        // a line or an escape code (see `DisplayText`).
        return lines.map(DisplayText.line).joined(separator: "\n")
    }

    /// The longest source line, in bytes, that a snippet shows whole; of a longer one (a minified or
    /// generated file) it shows `snippetWindowBytes` around the caret, or one diagnostic could print megabytes.
    static let maxSnippetBytes = 400
    static let snippetWindowBytes = 160

    /// The `-->` line, the source line and the caret line.
    static func snippet(_ span: SourceSpan) -> [String] {
        let start = span.start
        let file = span.file
        let gutter = String(repeating: " ", count: String(start.line).count)
        let lineStart = start.line == 1 ? file.textStart : file.lineStarts[start.line - 1]
        var lineEnd = start.line < file.lineStarts.count ? file.lineStarts[start.line] : file.bytes.count
        while lineEnd > lineStart, file.bytes[lineEnd - 1] == 0x0A || file.bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        var lineText: String
        var caretColumn = start.column
        var shownEnd = Int.max
        if lineEnd - lineStart <= maxSnippetBytes {
            lineText = file.lineText(start.line).replacingTabs()
        } else {
            // Whole scalars from about half a window before the problem to half a window after it.
            var first = max(lineStart, min(span.range.lowerBound, lineEnd) - snippetWindowBytes / 2)
            while first > lineStart, file.bytes[first] & 0xC0 == 0x80 { first -= 1 }
            var last = min(lineEnd, first + snippetWindowBytes)
            while last < lineEnd, file.bytes[last] & 0xC0 == 0x80 { last += 1 }
            let skipped = file.location(of: first).column - 1
            lineText = (first > lineStart ? "…" : "") + file.text(first..<last).replacingTabs() + (last < lineEnd ? "…" : "")
            caretColumn = start.column - skipped + (first > lineStart ? 1 : 0)
            shownEnd = file.location(of: last).column
        }
        // Width of the caret: the scalars of the range that lie on the first line (and are shown), at least one.
        let end = file.location(of: span.range.upperBound)
        let lineLength = lineText.unicodeScalars.count
        let lastColumn = end.line == start.line ? min(end.column, shownEnd) : min(lineLength + 1, shownEnd)
        let width =
            end.line == start.line || shownEnd != Int.max
            ? max(1, lastColumn - start.column) : max(1, lineLength - start.column + 1)
        // A control character in the line is shown as its escape (`\u{1B}`), several columns wide:
        // the caret is moved by the same amount, so it still points at the problem.
        let scalars = Array(lineText.unicodeScalars)
        func shownColumn(_ column: Int) -> Int {
            var shown = column
            for scalar in scalars.prefix(max(0, column - 1)) where DisplayText.isControl(scalar) {
                shown += DisplayText.escape(scalar).unicodeScalars.count - 1
            }
            return shown
        }
        let caretStart = shownColumn(caretColumn)
        let caretWidth = max(1, shownColumn(caretColumn + width) - caretStart)
        let caret = String(repeating: " ", count: max(0, caretStart - 1)) + String(repeating: "^", count: caretWidth)
        lineText = DisplayText.line(lineText)
        return [
            "\(gutter)--> \(span.file.displayName):\(start.line):\(start.column)",
            "\(gutter) |",
            "\(start.line) | \(lineText)",
            "\(gutter) | \(caret)",
        ]
    }

    /// One JSON object per diagnostic, with 1-based positions and the byte range.
    public static func json(_ diagnostic: Diagnostic) -> JSONOutput { json(diagnostic, language: .english) }

    /// The JSON object in a language: the messages are in it; the code and the severity keyword
    /// are the same in both.
    public static func json(_ diagnostic: Diagnostic, language: Language) -> JSONOutput {
        var fields: [(String, JSONOutput)] = [
            ("code", .string(diagnostic.code)),
            ("severity", .string(diagnostic.severity.rawValue)),
            ("message", .string(diagnostic.text(language))),
        ]
        if let span = diagnostic.span {
            fields.append(("location", location(span)))
        }
        fields.append(
            (
                "notes",
                .array(
                    diagnostic.notes.map { note in
                        var noteFields: [(String, JSONOutput)] = [("message", .string(note.text(language)))]
                        if let span = note.span { noteFields.append(("location", location(span))) }
                        return .object(noteFields)
                    })
            ))
        fields.append(
            (
                "fixes",
                .array(
                    diagnostic.fixIts.map { fix in
                        .object([
                            ("message", .string(fix.text(language))),
                            ("start_byte", .number(String(fix.range.lowerBound))),
                            ("end_byte", .number(String(fix.range.upperBound))),
                            ("replacement", .string(fix.replacement)),
                        ])
                    })
            ))
        return .object(fields)
    }

    public static func location(_ span: SourceSpan) -> JSONOutput {
        let start = span.start
        let end = span.file.location(of: span.range.upperBound)
        return .object([
            ("file", .string(span.file.path)),
            ("line", .number(String(start.line))),
            ("column", .number(String(start.column))),
            ("end_line", .number(String(end.line))),
            ("end_column", .number(String(end.column))),
            ("start_byte", .number(String(span.range.lowerBound))),
            ("end_byte", .number(String(span.range.upperBound))),
        ])
    }
}

/// The words around a diagnostic in the annotated form, in English or Danish.
public struct SeverityWords: Sendable {
    public let language: Language
    public init(_ language: Language) { self.language = language }

    /// `error`, `warning`, `note`; `fejl`, `advarsel`, `bemærkning`.
    public func severity(_ severity: Severity) -> String {
        guard language == .danish else { return severity.rawValue }
        switch severity {
        case .error: return "fejl"
        case .warning: return "advarsel"
        case .note: return "bemærkning"
        }
    }
    /// The word before a note.
    public var note: String { language == .danish ? "bemærkning" : "note" }
    /// The word before a fix.
    public var help: String { language == .danish ? "hjælp" : "help" }
}

extension String {
    /// Tabs as single spaces, so that the caret lines up with the column count.
    func replacingTabs() -> String {
        String(unicodeScalars.map { $0 == "\t" ? " " : Character($0) })
    }
}
