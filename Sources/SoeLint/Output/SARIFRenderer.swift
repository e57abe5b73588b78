import SoeLanguage

/// Writes a lint report as a SARIF 2.1.0 log, the format code-scanning services and editors read.
///
/// One run, with `tool.driver.rules` listing every lint check and every language error (so a
/// result's `ruleIndex` is stable), and one result per finding. Suppressed findings are included
/// with an `inSource` suppression and its justification, as SARIF intends, so that a viewer can
/// show what was overruled and why. Columns count Unicode code points (`columnKind`), as the rest
/// of `soe` does, and end columns point just past the region, as SARIF specifies.
public enum SARIFRenderer {
    /// The SARIF log of a report.
    public static func log(_ report: LintReport) -> JSONOutput {
        let rules = ruleDescriptors
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($0.element.id, $0.offset) })
        var results: [JSONOutput] = report.findings.map { result($0, ruleIndex: index[$0.code], suppression: nil) }
        results += report.suppressed.map { result($0.diagnostic, ruleIndex: index[$0.diagnostic.code], suppression: $0) }
        let driver: JSONOutput = .object([
            ("name", .string("soe")),
            ("version", .string(SoeVersion.current)),
            ("semanticVersion", .string(SoeVersion.current)),
            ("rules", .array(rules.map(\.json))),
        ])
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        ("tool", .object([("driver", driver)])),
                        ("columnKind", .string("unicodeCodePoints")),
                        ("results", .array(results)),
                    ])
                ])
            ),
        ])
    }

    /// A rule descriptor: id, name and the descriptions SARIF viewers show.
    struct Rule: Sendable {
        var id: String
        var json: JSONOutput
    }

    /// The descriptors of every check and language error: the same for every report, and costly
    /// (each check's help lints its examples), so made once per process.
    static let ruleDescriptors: [Rule] = makeRuleDescriptors()

    static func makeRuleDescriptors() -> [Rule] {
        var rules: [Rule] = LintRegistry.documentation.map { doc in
            Rule(
                id: doc.code,
                json: .object([
                    ("id", .string(doc.code)),
                    ("name", .string(doc.name)),
                    ("shortDescription", .object([("text", .string(doc.summary))])),
                    ("fullDescription", .object([("text", .string(doc.whatItDoes))])),
                    ("help", .object([("text", .string(doc.whyItMatters)), ("markdown", .string(LintCatalogue.section(doc)))])),
                    ("defaultConfiguration", .object([("level", .string(level(doc.severity)))])),
                ]))
        }
        for code in DiagnosticCode.allCases {
            rules.append(
                Rule(
                    id: code.rawValue,
                    json: .object([
                        ("id", .string(code.rawValue)),
                        ("name", .string(LintCatalogue.name(of: code))),
                        ("shortDescription", .object([("text", .string(code.summary))])),
                        ("fullDescription", .object([("text", .string(code.summary + "; a language error, as reported by soe check"))])),
                        ("help", .object([("text", .string(LintCatalogue.languageErrorHelp))])),
                        ("defaultConfiguration", .object([("level", .string(code == .byteOrderMark ? "note" : "error"))])),
                    ])))
        }
        return rules
    }

    static func level(_ severity: Severity) -> String { severity.rawValue }

    static func result(_ diagnostic: Diagnostic, ruleIndex: Int?, suppression: SuppressedFinding?) -> JSONOutput {
        var text = diagnostic.message
        for note in diagnostic.notes where note.span == nil { text += "\n= note: \(note.message)" }
        var fields: [(String, JSONOutput)] = [("ruleId", .string(diagnostic.code))]
        if let ruleIndex { fields.append(("ruleIndex", .number(String(ruleIndex)))) }
        fields.append(("level", .string(level(diagnostic.severity))))
        fields.append(("message", .object([("text", .string(text))])))
        if let span = diagnostic.span { fields.append(("locations", .array([location(span)]))) }
        let related = diagnostic.notes.compactMap { note -> (DiagnosticNote, SourceSpan)? in
            note.span.map { (note, $0) }
        }
        if !related.isEmpty {
            fields.append(
                (
                    "relatedLocations",
                    .array(
                        related.enumerated().map { position, item in
                            guard case .object(var object) = location(item.1) else { return .null }
                            object.insert(("id", .number(String(position))), at: 0)
                            object.append(("message", .object([("text", .string(item.0.message))])))
                            return .object(object)
                        })
                ))
        }
        if let file = diagnostic.span?.file, !diagnostic.fixIts.isEmpty {
            fields.append(("fixes", .array(diagnostic.fixIts.map { fix($0, in: file) })))
        }
        if let suppression {
            fields.append(
                (
                    "suppressions",
                    .array([
                        .object([
                            ("kind", .string("inSource")),
                            ("justification", .string(suppression.reason)),
                            ("location", location(suppression.comment)),
                        ])
                    ])
                ))
        }
        return .object(fields)
    }

    static func location(_ span: SourceSpan) -> JSONOutput {
        .object([
            (
                "physicalLocation",
                .object([
                    ("artifactLocation", .object([("uri", .string(uri(span.file.path)))])),
                    ("region", region(span.file, span.range)),
                ])
            )
        ])
    }

    static func region(_ file: SourceFile, _ range: Range<Int>) -> JSONOutput {
        let start = file.location(of: range.lowerBound)
        let end = file.location(of: range.upperBound)
        return .object([
            ("startLine", .number(String(start.line))),
            ("startColumn", .number(String(start.column))),
            ("endLine", .number(String(end.line))),
            ("endColumn", .number(String(end.column))),
        ])
    }

    static func fix(_ fix: FixIt, in file: SourceFile) -> JSONOutput {
        .object([
            ("description", .object([("text", .string(fix.message))])),
            (
                "artifactChanges",
                .array([
                    .object([
                        ("artifactLocation", .object([("uri", .string(uri(file.path)))])),
                        (
                            "replacements",
                            .array([
                                .object([
                                    ("deletedRegion", region(file, fix.range)),
                                    ("insertedContent", .object([("text", .string(fix.replacement))])),
                                ])
                            ])
                        ),
                    ])
                ])
            ),
        ])
    }

    /// A path as a URI reference: relative paths stay relative, absolute ones become `file://`
    /// URIs; everything but unreserved characters and `/` is percent-encoded.
    static func uri(_ path: String) -> String {
        var encoded = ""
        for byte in path.utf8 {
            let isUnreserved =
                (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
                || byte == UInt8(ascii: "/")
            if isUnreserved {
                encoded.append(Character(Unicode.Scalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}
