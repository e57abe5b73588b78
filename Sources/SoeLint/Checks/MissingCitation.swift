import SoeLanguage

/// L401: a criterion without a citation of the law, guidance or policy it comes from.
struct MissingCitation: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L401",
        name: "MissingCitation",
        severity: .warning,
        summary: "a criterion without a citation of where it comes from",
        whatItDoes: """
            Reports every criterion that has no `cite "…"` clause naming the paragraph of the law, the \
            guidance or the policy decision it encodes, and a citation that names a file instead of a \
            document (a path such as `K:\\Politik\\forslag.docx`, a network share, a name ending in \
            `.docx` or `.pdf`).
            """,
        whyItMatters: """
            The trace shows each criterion beside its citation, and that is what lets an auditor check \
            the decision against the law years later, or a firm appeal it. A criterion without one is a \
            rule nobody can trace back to its authority.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input own_cvr: yes/no "Har eget CVR-nummer"

            criterion eligible "Eget CVR-nummer"
              = own_cvr

            classify
              registrable "Kan registreres" when eligible
              otherwise other "Kan ikke registreres"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input own_cvr: yes/no "Har eget CVR-nummer"

            criterion eligible "Eget CVR-nummer"
              cite "Lov nr. 711 af 25. juni 2014, § 4"
              = own_cvr

            classify
              registrable "Kan registreres" when eligible
              otherwise other "Kan ikke registreres"
            """),
        limits: "The check does not judge whether a citation is right, only that there is one.",
        related: ["L402"],
        danishSummary: "et kriterium uden henvisning til, hvor det kommer fra")

    func check(_ context: LintContext) {
        for criterion in context.ruleSet.criteria {
            guard let cite = criterion.cite, !cite.danish.isEmpty else {
                context.report(
                    MissingCitation.self,
                    "the criterion '\(criterion.name)' does not cite where it comes from; add 'cite \"§ …\"'",
                    da: "kriteriet '\(criterion.name)' henviser ikke til, hvor det kommer fra; tilføj 'cite \"§ …\"'",
                    at: criterion.span)
                continue
            }
            // A file on someone's machine is no citation: the reader of a decision has none of them.
            if let file = MissingCitation.fileName(in: cite.danish) {
                context.report(
                    MissingCitation.self,
                    "the citation of the criterion '\(criterion.name)' \(MissingCitation.namesFile(file).english)",
                    da: "kriteriet '\(criterion.name)' \(MissingCitation.namesFile(file).danish)",
                    at: criterion.span)
            }
        }
    }

    /// What is wrong with a text that names a file, after the words that say whose text it is:
    /// "names a file ('forslag.docx'), which the reader of a decision does not have; …".
    static func namesFile(_ file: String) -> (english: String, danish: String) {
        (
            "names a file ('\(file)'), which the reader of a decision does not have; cite the document by its title, date and paragraph",
            "henviser til en fil ('\(file)'), som den, der læser en afgørelse, ikke har; henvis til dokumentet med titel, dato og paragraf"
        )
    }

    /// The first word of a citation that names a file: a path on a drive (`K:\…`, `C:/…`), a network
    /// share (`\\server\…`), or a name with an office document's extension (`forslag.docx`); nil
    /// for a citation of a document by its title. A web address is not a file.
    static func fileName(in text: String) -> String? {
        let extensions = [".docx", ".doc", ".xlsx", ".xls", ".pdf", ".odt", ".ods", ".msg", ".eml", ".txt", ".rtf", ".pptx"]
        for word in text.split(whereSeparator: { $0 == " " }).map(String.init) {
            let bare = String(word.trimmingCharacters(in: ",;()'\""))
            let lower = bare.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.") { continue }
            let scalars = Array(bare.unicodeScalars)
            let drive =
                scalars.count > 2 && scalars[0].properties.isAlphabetic && scalars[1] == ":" && (scalars[2] == "\\" || scalars[2] == "/")
            if drive || bare.hasPrefix("\\\\") || extensions.contains(where: { lower.hasSuffix($0) && lower.count > $0.count }) {
                return bare
            }
        }
        return nil
    }
}

extension String {
    /// The string without the given characters at either end (no Foundation needed).
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var result = Substring(self)
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return result
    }
}
