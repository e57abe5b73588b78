import SoeLanguage

/// The HTML dossier of one or more decisions, for the case file and for appeals: a single
/// self-contained document (inline CSS, no scripts, no external assets) that reads on screen and
/// prints on paper, in Danish or English. With several decisions it opens with an overview and
/// has one section per decision. The batch overview page is `overview(rows:language:title:)`.
public enum HTMLDossier {
    /// The dossier of the decisions, as one HTML document.
    public static func render(_ traces: [Trace], language: Language) -> String {
        let htmlWords = HTMLWords.of(language)
        let sections = traces.enumerated().map { index, trace in
            DossierSection(trace: trace, language: language, id: "decision-\(index + 1)").markup
        }
        var body: [Markup] = []
        let title: String
        if traces.count == 1, let trace = traces.first {
            let firm = trace.firm
            let year = firm.fiscalYear.map(String.init) ?? String(firm.closingDay.year)
            title = "\(htmlWords.decision): \(firm.name ?? firm.source), \(Words.of(language).fiscalYear) \(year)"
        } else {
            title = "\(htmlWords.decisions): \(traces.count) \(htmlWords.firmsAndRuleSets)"
            let rows = traces.enumerated().map { index, trace in
                HTMLOverviewRow(trace: trace, language: language, link: "#decision-\(index + 1)")
            }
            body.append(
                .element("section", [("class", "overview")], [.tag("h1", nil, .text(title))] + overviewTables(rows, language: language)))
        }
        body += sections
        let engine = traces.first?.engineVersion ?? SoeVersion.current
        // On paper every page of a decision is headed with its firm and rule set.
        let pages = traces.enumerated().map { index, trace in
            PagedMedia.Page(name: "page-decision-\(index + 1)", header: PagedMedia.header(trace, language: language))
        }
        // The footer names the trace schemas the decisions were made in: soe-trace/2 where one
        // carries an analysis, or as read from a record.
        var schemas: [String] = []
        for trace in traces {
            let schema = trace.recordTraceSchema ?? (trace.analysis == nil ? Trace.schemaVersion1 : Trace.schema)
            if !schemas.contains(schema) { schemas.append(schema) }
        }
        return document(title: title, language: language, main: body, engine: engine, pages: pages, schemas: schemas)
    }

    /// A batch overview page: counts per outcome (per rule set), then one row per firm with its
    /// outcome, linked to the firm's dossier when the row has a `link`. For the batch command; the
    /// rows come from traces (`HTMLOverviewRow(trace:language:link:)`) or from rejected input
    /// (`HTMLOverviewRow.rejected(source:message:)`).
    public static func overview(rows: [HTMLOverviewRow], language: Language, title: String? = nil) -> String {
        let words = HTMLWords.of(language)
        let heading = title ?? "\(words.overview): \(rows.count) \(words.firmsAndRuleSets)"
        let section = Markup.element(
            "section", [("class", "overview")],
            [.tag("h1", nil, .text(heading))]
                + overviewTables(rows, language: language))
        return document(title: heading, language: language, main: [section], engine: SoeVersion.current)
    }

    /// The whole document around the main content: head with the inline style, a footer naming the engine.
    static func document(
        title: String, language: Language, main: [Markup], engine: String, pages: [PagedMedia.Page] = [],
        schemas: [String] = [Trace.schemaVersion1]
    ) -> String {
        let words = HTMLWords.of(language)
        let head = Markup.element(
            "head", [],
            [
                .void("meta", [("charset", "utf-8")]),
                .void("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")]),
                .void("meta", [("name", "generator"), ("content", "soe \(engine)")]),
                .tag("title", nil, .text(title)),
                .element(
                    "style", [],
                    [Markup(raw: "\n" + HTMLStyle.css + "\n" + PagedMedia.css(pages, language: language, margins: "18mm 14mm 16mm"))]),
            ])
        let footer = Markup.tag(
            "footer", nil,
            .tag(
                "p", nil,
                .text("\(words.producedBy) soe \(engine) · \((schemas.isEmpty ? [Trace.schemaVersion1] : schemas).joined(separator: ", "))")
            ))
        let body = Markup.element("body", [], [.element("main", [], main), footer])
        let html = Markup.element("html", [("lang", language.rawValue)], [head, body])
        return "<!DOCTYPE html>\n" + html.html
    }
}
