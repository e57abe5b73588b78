/// Renders diagnostics in the three forms people and tools read: the one-line form editors jump
/// to, the annotated snippet with a caret for people, and JSON for machines.
public enum DiagnosticRenderer {
    /// `rules/x.rules:12:5: error: 'market_sale' is not defined [E201]`
    public static func oneLine(_ diagnostic: Diagnostic) -> String {
        var place = ""
        if let span = diagnostic.span {
            let start = span.start
            place = "\(span.file.path):\(start.line):\(start.column): "
        }
        return "\(place)\(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.code)]"
    }

    /// The message, the place, the source line with a caret under the problem, notes and fixes.
    public static func annotated(_ diagnostic: Diagnostic) -> String {
        var lines = ["\(diagnostic.severity.rawValue)[\(diagnostic.code)]: \(diagnostic.message)"]
        if let span = diagnostic.span {
            lines += snippet(span)
        }
        for note in diagnostic.notes {
            if let span = note.span {
                let start = span.start
                lines.append("   = note: \(note.message) (\(span.file.path):\(start.line):\(start.column))")
            } else {
                lines.append("   = note: \(note.message)")
            }
        }
        for fix in diagnostic.fixIts {
            lines.append("   = help: \(fix.message)")
        }
        return lines.joined(separator: "\n")
    }

    /// The `-->` line, the source line and the caret line.
    static func snippet(_ span: SourceSpan) -> [String] {
        let start = span.start
        let lineText = span.file.lineText(start.line).replacingTabs()
        let gutter = String(repeating: " ", count: String(start.line).count)
        // Width of the caret: the scalars of the range that lie on the first line, at least one.
        let end = span.file.location(of: span.range.upperBound)
        let lineLength = lineText.unicodeScalars.count
        let width = end.line == start.line ? max(1, end.column - start.column) : max(1, lineLength - start.column + 1)
        let caret = String(repeating: " ", count: max(0, start.column - 1)) + String(repeating: "^", count: width)
        return [
            "\(gutter)--> \(span.file.path):\(start.line):\(start.column)",
            "\(gutter) |",
            "\(start.line) | \(lineText)",
            "\(gutter) | \(caret)",
        ]
    }

    /// One JSON object per diagnostic, with 1-based positions and the byte range.
    public static func json(_ diagnostic: Diagnostic) -> JSONOutput {
        var fields: [(String, JSONOutput)] = [
            ("code", .string(diagnostic.code)),
            ("severity", .string(diagnostic.severity.rawValue)),
            ("message", .string(diagnostic.message)),
        ]
        if let span = diagnostic.span {
            fields.append(("location", location(span)))
        }
        fields.append(("notes", .array(diagnostic.notes.map { note in
            var noteFields: [(String, JSONOutput)] = [("message", .string(note.message))]
            if let span = note.span { noteFields.append(("location", location(span))) }
            return .object(noteFields)
        })))
        fields.append(("fixes", .array(diagnostic.fixIts.map { fix in
            .object([
                ("message", .string(fix.message)),
                ("start_byte", .number(String(fix.range.lowerBound))),
                ("end_byte", .number(String(fix.range.upperBound))),
                ("replacement", .string(fix.replacement)),
            ])
        })))
        return .object(fields)
    }

    static func location(_ span: SourceSpan) -> JSONOutput {
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

extension String {
    /// Tabs as single spaces, so that the caret lines up with the column count.
    func replacingTabs() -> String {
        String(unicodeScalars.map { $0 == "\t" ? " " : Character($0) })
    }
}
