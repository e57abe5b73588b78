import SoeLanguage

/// A letter as a print-ready HTML document: A4 with the margins of a letter, the firm and the rule
/// set in a running header, page numbers at the foot, one letter per page run. Self-contained like
/// the dossier (inline CSS, no scripts, no external assets).
public enum LetterHTML {
    /// The letters of the decisions, one per trace, as one document; each signed by `signature`
    /// when given (`--signed-by`).
    public static func render(_ traces: [Trace], language: Language, signature: String? = nil) -> String {
        let letters = traces.map { Letter(trace: $0, language: language, signature: signature) }
        var pages: [PagedMedia.Page] = []
        var sections: [Markup] = []
        for (index, (trace, letter)) in zip(traces, letters).enumerated() {
            let page = "letter-\(index + 1)"
            // The date in the running header is an "Afgørelsesdato" only on a decision's letter.
            let dateLabel = LetterWords(language: language, kind: letter.letterKind).runningDate
            pages.append(PagedMedia.Page(name: page, header: PagedMedia.header(trace, language: language, dateLabel: dateLabel)))
            sections.append(section(letter, className: page))
        }
        let title = letters.count == 1 ? (letters.first?.subject ?? "") : letters.map(\.recipient).joined(separator: ", ")
        let css = LetterStyle.css + PagedMedia.css(pages, language: language, margins: "22mm 22mm 20mm 25mm")
        let head = Markup.element(
            "head", [],
            [
                .void("meta", [("charset", "utf-8")]),
                .void("meta", [("name", "generator"), ("content", "soe \(traces.first?.engineVersion ?? SoeVersion.current)")]),
                .tag("title", nil, .text(title)),
                .element("style", [], [Markup(raw: "\n" + css)]),
            ])
        let body = Markup.element("body", [], [.element("main", [], sections)])
        return "<!DOCTYPE html>\n" + Markup.element("html", [("lang", language.rawValue)], [head, body]).html
    }

    /// One letter as a `<section>`.
    static func section(_ letter: Letter, className: String) -> Markup {
        let words = LetterWords(language: letter.language)
        var address: [Markup] = [.tag("p", "recipient", .text(letter.recipient))]
        if let cvr = letter.cvr { address.append(.tag("p", nil, .text("CVR \(cvr)"))) }
        let date: Markup = letter.date.map { .tag("p", "date", .text("\(words.date): \($0)")) } ?? .empty
        // The sender and the case number beside the date, as an authority's letterhead has them;
        // without either, the date alone, as before.
        let beside: Markup =
            letter.sender == nil && letter.caseNumber == nil
            ? date
            : .element(
                "div", [("class", "sender")],
                [
                    letter.sender.map { .tag("p", "from", .text($0)) } ?? .empty, date,
                    letter.caseNumber.map { .tag("p", "case", .text("\(Words.of(letter.language).caseNumber) \($0)")) } ?? .empty,
                ])
        var parts: [Markup] = [
            .element("header", [], [.element("div", [("class", "address")], address), beside]),
            .tag("h1", nil, .text(letter.subject)),
        ]
        let tone = letter.kind == .decision ? "tone-\(letter.tone?.rawValue ?? "neutral")" : "kind-\(letter.kind.rawValue)"
        parts.append(.element("div", [("class", "result \(tone)")], letter.opening.map { .tag("p", nil, .text($0)) }))
        for section in letter.sections {
            parts.append(.tag("h2", nil, .text(section.heading)))
            parts += section.paragraphs.map { .tag("p", nil, .text($0)) }
            if !section.items.isEmpty { parts.append(.element("ul", [], section.items.map { .tag("li", nil, .text($0)) })) }
            parts += section.after.map { .tag("p", nil, .text($0)) }
        }
        parts.append(.element("div", [("class", "closing")], letter.closing.map { .tag("p", nil, .text($0)) }))
        parts.append(.tag("p", "regards", .text(words.regards)))
        if let signature = letter.signature { parts.append(.tag("p", "signature", .text(signature))) }
        parts.append(.tag("p", "reference", .text(letter.reference)))
        return .element("section", [("class", "letter \(className)")], parts)
    }
}

/// The letter's style sheet: a quiet serif page, as letters from an authority look. No `<` or `>`.
enum LetterStyle {
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #ecece8; color: #111; font: 11pt/1.5 "DejaVu Serif", Georgia, "Times New Roman", serif; }
        main { padding: 24px 0; }
        section.letter { background: #fff; width: 210mm; min-height: 297mm; margin: 0 auto 24px; padding: 22mm 22mm 20mm 25mm; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
        header { display: flex; justify-content: space-between; align-items: flex-start; margin-bottom: 18mm; }
        .address p { margin: 0; }
        .recipient { font-weight: bold; }
        .date { margin: 0; }
        .sender { text-align: right; max-width: 70mm; }
        .sender p { margin: 0; }
        .from { font-weight: bold; margin-bottom: 4px !important; }
        h1 { font-size: 14pt; margin: 0 0 12px; line-height: 1.3; }
        h2 { font-size: 11.5pt; margin: 18px 0 6px; }
        p { margin: 0 0 8px; }
        ul { margin: 0 0 8px; padding-left: 20px; }
        li { margin: 0 0 3px; }
        .result { margin: 0 0 14px; padding: 8px 12px; border-left: 4px solid #9e9e9e; background: #f5f5f3; }
        .result p:last-child { margin-bottom: 0; }
        .tone-favourable { border-color: #2e7d32; background: #f0f7f0; }
        .tone-unfavourable { border-color: #b3261e; background: #fbf0ef; }
        .kind-request, .kind-pending { border-color: #c77700; background: #fff6e8; }
        .closing { margin-top: 16px; }
        .regards { margin-top: 18px; }
        .reference { margin-top: 28px; color: #555; font-size: 9pt; }
        @media print {
          body { background: #fff; }
          main { padding: 0; }
          section.letter { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; break-after: page; }
          section.letter:last-child { break-after: auto; }
          h2 { break-after: avoid; }
          li, .result { break-inside: avoid; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }

        """
}
