import SoeLanguage

// A caseworker's spreadsheet has columns of its own (`Sagsbehandler`, notes) beside the firms'
// data. Such a column must not stop the batch, but a misspelt input must never pass for one: its
// values would silently become "missing". The line between the two is drawn here, once, and
// documented in docs/formats.md ("Columns of your own").

/// Decides whether a header name that no rule set in use declares is a typo of an input (an error
/// with a did-you-mean) or a column of the caseworker's own (carried through to the results).
///
/// A name is taken for a typo, and refused, when
/// - written in another case or with spaces, hyphens or points for underscores, it is an input's or a
///   firm field's name (`Legal Form` for `legal_form`);
/// - it is within `closestWord`'s edit distance (a third of its length, at least 1) of an input's
///   or a firm field's name, of the rule sets in use or loaded (`turnvoer` for `turnover`);
/// - it is an input's description in Danish or English, or its template description (`Omsætning`,
///   `Omsætning (kr.)`), or the description's head before its first comma or parenthesis when no
///   other input's description has that head (`Tilskud`): the column means the input, under
///   another name;
/// - it is the Danish or English name of a firm field (`Navn`, `CVR-nummer`, `Regnskabsår`), as the
///   wide results and the template write them.
///
/// Anything else is the caseworker's own column.
struct CarriedColumns {
    /// Input and firm field names, for the did-you-mean.
    private let names: [String]
    /// Lower-cased descriptions and headings → the input they describe.
    private let described: [String: String]

    /// The firm fields' names in people's words, lower case → the field.
    static let fieldWords: [String: String] = [
        "navn": "name", "name": "name", "firma": "name", "virksomhed": "name",
        "cvr": "cvr", "cvr-nummer": "cvr", "cvr-nr": "cvr", "cvr-nr.": "cvr", "cvr number": "cvr",
        "regnskabsår": "fiscal_year", "fiscal year": "fiscal_year", "år": "fiscal_year",
        "regnskabsårets slutdato": "fiscal_year_end", "fiscal year end": "fiscal_year_end",
        "række": "row", "row": "row",
    ]

    init(ruleSets: [RuleSet], otherInputs: [String: String]) {
        let metadata = Firm.metadataKeys.union(["id"])
        names = Set(ruleSets.flatMap { $0.inputs.map(\.name) }).union(metadata).union(otherInputs.keys).sorted()
        var described: [String: String] = [:]
        for ruleSet in ruleSets {
            for input in ruleSet.inputs {
                for language in Language.allCases {
                    let texts = [input.description?.text(language), SheetTemplate.description(of: input, in: ruleSet, language)]
                    for text in texts.compactMap({ $0 }) where described[CarriedColumns.folded(text)] == nil {
                        described[CarriedColumns.folded(text)] = input.name
                    }
                }
            }
        }
        // A description's head, before its first comma or parenthesis (`Tilskud` of `Tilskud,
        // puljer, fondsmidler og donationer`), is how a spreadsheet names the column; used only
        // where one input has that head.
        var heads: [String: Set<String>] = [:]
        for ruleSet in ruleSets {
            for input in ruleSet.inputs {
                for language in Language.allCases {
                    guard let text = input.description?.text(language), let head = CarriedColumns.head(of: text) else { continue }
                    heads[head, default: []].insert(input.name)
                }
            }
        }
        for (head, inputs) in heads where inputs.count == 1 && described[head] == nil { described[head] = inputs.first }
        for (word, field) in CarriedColumns.fieldWords where field != "row" { described[word] = field }
        self.described = described
    }

    /// Characters that show as nothing or as an ordinary space: the no-break spaces, the zero-width
    /// space, joiners and word joiner, the soft hyphen and the byte-order mark.
    static let invisible: Set<UInt32> = [0x00A0, 0x00AD, 0x2007, 0x202F, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]

    /// Lower case, spaces around trimmed, inner runs of spaces made one.
    static func folded(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\u{A0}" }).joined(separator: " ")
    }

    /// The folded text before a description's first comma or opening parenthesis, nil when there is
    /// none or it is the whole description: `Tilskud, puljer, …` → `tilskud`.
    static func head(of text: String) -> String? {
        guard let cut = text.firstIndex(where: { $0 == "," || $0 == "(" }) else { return nil }
        let head = folded(String(text[..<cut]))
        return head.isEmpty ? nil : head
    }

    /// The name with spaces, hyphens and points as underscores, lower case: `Legal Form` → `legal_form`.
    static func underscored(_ text: String) -> String {
        String(text.lowercased().map { $0 == " " || $0 == "-" || $0 == "." ? "_" : $0 })
    }

    /// The header error for a name that looks like an input or a firm field, nil for a column of the
    /// caseworker's own. `column` is 1-based.
    func typo(_ name: String, column: Int) -> BatchHeaderError? {
        let shown = DisplayText.value(name)
        let underscored = CarriedColumns.underscored(name)
        let meant =
            names.first { $0 == underscored } ?? described[CarriedColumns.folded(name)]
            ?? closestWord(to: underscored, in: names)
        guard let meant else { return nil }
        // A character that shows as nothing or as a space (pasted from a web page or a word
        // processor) makes the name and the one meant look alike: named, with its code point.
        if let hidden = name.unicodeScalars.first(where: { CarriedColumns.invisible.contains($0.value) }) {
            let hex = String(hidden.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return BatchHeaderError(
                column: column,
                message:
                    "column \(column) '\(shown)' holds an invisible character (\(code)) that makes it another name than '\(meant)'; write '\(meant)'",
                danish:
                    "kolonne \(column) '\(shown)' indeholder et usynligt tegn (\(code)), der gør navnet til et andet end '\(meant)'; skriv '\(meant)'"
            )
        }
        return BatchHeaderError(
            column: column,
            message:
                "column \(column) '\(shown)': no rule set declares an input '\(shown)'; did you mean '\(meant)'? (a column of your own may not be this close to an input's name; start its name with '_' to keep it as a note)",
            danish:
                "kolonne \(column) '\(shown)': intet regelsæt i brug har oplysningen '\(shown)'; mente du '\(meant)'? (en kolonne af jeres egne må ikke ligge så tæt på en oplysnings navn; lad navnet begynde med '_' for at beholde den som bemærkning)"
        )
    }

    /// The one notice that names the carried columns, or nil when there are none. `carried` is
    /// false for `soe diff`, whose rows of changes do not carry them: the notice then says they are
    /// not read, rather than promise them in the results.
    static func notice(_ names: [String], carried: Bool = true) -> BatchHeaderWarning? {
        guard !names.isEmpty else { return nil }
        let list = names.map { "'\(DisplayText.value($0))'" }.joined(separator: ", ")
        let many = names.count > 1
        guard carried else {
            return BatchHeaderWarning(
                column: 0,
                message: "\(many ? "columns" : "column") \(list) \(many ? "are" : "is") not used by any rule set; not read",
                danish: "\(many ? "kolonnerne" : "kolonnen") \(list) bruges ikke af noget regelsæt; \(many ? "de" : "den") læses ikke")
        }
        return BatchHeaderWarning(
            column: 0,
            message:
                "\(many ? "columns" : "column") \(list) \(many ? "are" : "is") not used by any rule set; carried through to the results unchanged",
            danish:
                "\(many ? "kolonnerne" : "kolonnen") \(list) bruges ikke af noget regelsæt; \(many ? "de" : "den") følger med uændret i resultaterne"
        )
    }
}
