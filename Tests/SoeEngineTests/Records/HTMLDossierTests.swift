import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The HTML dossier and the overview page: golden files, well-formedness, escaping, and that the
/// document stands alone.
@Suite("HTML dossier")
struct HTMLDossierTests {
    @Test("the Danish dossier of Kaffekollektivet matches its golden file and is well formed")
    func kaffekollektivet() throws {
        let html = HTMLDossier.render([try RecordFixtures.kaffekollektivet()], language: .danish)
        #expect(XHTMLChecker.check(html) == [])
        expectGolden(html, "html/kaffekollektivet.da.html")
    }

    @Test("the English dossier of an undetermined firm matches its golden file and is well formed")
    func undetermined() throws {
        let html = HTMLDossier.render([try RecordFixtures.undetermined()], language: .english)
        #expect(XHTMLChecker.check(html) == [])
        expectGolden(html, "html/smedjen.en.html")
        #expect(html.contains("<h2>Missing data</h2>"))
        #expect(html.contains("<code>market_sales</code>"))
        #expect(html.contains("With this data the result could be: Social-economy enterprise (can be registered) or Ordinary business."))
    }

    @Test("several decisions make one document: an overview, then a section per decision")
    func several() throws {
        let traces = [try RecordFixtures.kaffekollektivet(), try RecordFixtures.undetermined()]
        let html = HTMLDossier.render(traces, language: .danish)
        #expect(XHTMLChecker.check(html) == [])
        #expect(html.components(separatedBy: "<section class=\"decision page-decision-").count == 3)
        #expect(html.contains("<section class=\"overview\">"))
        #expect(html.contains("<a href=\"#decision-2\">Smedjen &amp; Søn &lt;Værksted&gt; &quot;A/S&quot;</a>"))
        #expect(html.contains("<title>Afgørelser: 2 virksomheder og regelsæt</title>"))
    }

    @Test("the overview page counts outcomes per rule set and lists every row")
    func overview() throws {
        let kaffe = try RecordFixtures.kaffekollektivet()
        let rows = [
            HTMLOverviewRow(trace: kaffe, language: .english, link: "kaffekollektivet.html"),
            HTMLOverviewRow(trace: try RecordFixtures.undetermined(), language: .english),
            HTMLOverviewRow(trace: kaffe, language: .english),
            .rejected(source: "firms.csv row 4", message: "market_sales: \"1.234,50\" is not an amount"),
        ]
        let html = HTMLDossier.overview(rows: rows, language: .english, title: "Batch <2024>")
        #expect(XHTMLChecker.check(html) == [])
        expectGolden(html, "html/overview.en.html")
        #expect(html.contains("<td class=\"num\">2</td>"), "two firms are social-economy enterprises")
        #expect(html.contains(">66.7 % <"), "a share is of the decisions under the same rule set: 2 of 3")
        #expect(html.contains("<title>Batch &lt;2024&gt;</title>"))
    }

    @Test("a share compared with a percent threshold gets a gauge; other comparisons do not")
    func gauges() throws {
        let html = HTMLDossier.render([try RecordFixtures.kaffekollektivet()], language: .english)
        // sales_share, public_ownership, public_board_share, annual_return: four percent comparisons.
        #expect(html.components(separatedBy: "<svg class=\"gauge\"").count - 1 == 4)
        #expect(html.contains("aria-label=\"≈95.74 % ≥ 25 % (policy choice)\""))
    }

    @Test("gauges show the scale, the threshold and the value, in the same colours whether the comparison holds or not")
    func neutralGauges() throws {
        let html = HTMLDossier.render([try RecordFixtures.kaffekollektivet()], language: .danish)
        let gauges = html.components(separatedBy: "<svg class=\"gauge\"").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
        #expect(gauges.count == 4)
        for gauge in gauges {
            #expect(!gauge.contains("#2e7d32") && !gauge.contains("#c62828"), "no green or red in a gauge")
            #expect(gauge.contains(">0 %</text>") || gauge.contains(">100 %</text>"), "the scale is labelled")
        }
        #expect(gauges[0].contains(">≈95,74 %</text>") && gauges[0].contains(">25 %</text>"), "the value and the threshold")
    }

    @Test("an outcome without a tone is neutral, never green; a rule set not in force shows both dates and no parameters")
    func tonesAndNotInForce() throws {
        let rules = """
            ruleset plain "Uden toner"
              in force from 2015-01-01 until 2019-12-31
            input sales: money "Salg"
            parameter floor: money "Bund" policy "Valg" = 1 kr from 2015-01-01 until 2019-12-31
            classify
              passes "Godkendt" when sales >= floor
              otherwise fails "Afvist"

            """
        let firm = Array(#"{"name": "Firma", "fiscal_year": 2018, "sales": "5.00"}"#.utf8)
        let decided = try RecordFixtures.trace(rules: [("plain.rules", Array(rules.utf8))], firm: firm, source: "f.json")
        let html = HTMLDossier.render([decided], language: .danish)
        #expect(html.contains("<div class=\"outcome determined tone-neutral\">"))
        #expect(HTMLOverviewRow(trace: decided, language: .danish).styleClass == "tone-neutral")
        let late = Array(#"{"name": "Firma", "fiscal_year": 2024, "sales": "5.00"}"#.utf8)
        let notInForce = try RecordFixtures.trace(rules: [("plain.rules", Array(rules.utf8))], firm: late, source: "f.json")
        let page = HTMLDossier.render([notInForce], language: .danish)
        #expect(page.contains("<p class=\"value\">Gælder ikke</p>"))
        #expect(page.contains("i kraft fra 01.01.2015 til 31.12.2019"))
        #expect(!page.contains("Parametre i kraft") && !page.contains("ingen værdi på datoen"))
    }

    @Test("text from firm data and rule files is escaped wherever it appears")
    func escaping() throws {
        let rules = """
            ruleset hostile "Regler <script>alert('x')</script> & co"
              in force from 2015-01-01
            input sales: money "Salg </td></tr></table>"
            criterion enough "Salg & mere <b>" cite "§ 1 <i>" = sales >= 1 kr
            classify
              passes "Godkendt <img src=x>" when enough
                reason "Fordi & derfor"
              otherwise fails "Afvist"

            """
        let firm = "{\"name\": \"A <b>bold</b> & \\u0001 firm\", \"fiscal_year\": 2024, \"sales\": \"5.00\"}"
        let trace = try RecordFixtures.trace(rules: [("hostile.rules", Array(rules.utf8))], firm: Array(firm.utf8), source: "x<y>.json")
        for language in Language.allCases {
            let html = HTMLDossier.render([trace], language: language)
            #expect(XHTMLChecker.check(html) == [], "\(language)")
            #expect(!html.contains("<script"))
            #expect(!html.contains("<b>"))
            #expect(!html.contains("<img"))
            #expect(html.contains("Regler &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"))
            // A control character is shown as its escape, never raw (see `DisplayText`).
            #expect(html.contains("A &lt;b&gt;bold&lt;/b&gt; &amp; \\u{1} firm"))
        }
    }

    @Test("the document stands alone: inline style, no scripts, no external resources, a print style")
    func selfContained() throws {
        let html = HTMLDossier.render([try RecordFixtures.kaffekollektivet(), try RecordFixtures.undetermined()], language: .english)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.contains("<meta charset=\"utf-8\"/>"))
        #expect(html.contains("@media print"))
        for forbidden in ["<script", "<link", "src=", "url(", "@import", "<iframe"] {
            #expect(!html.contains(forbidden), "found \(forbidden)")
        }
        // A citation's text may name a web address (the law's ELI); an attribute never fetches one.
        let external = html.components(separatedBy: "=\"http").count - 1
        let namespaces = html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1
        #expect(external == namespaces, "the only URLs in attributes are SVG namespace names, which are never fetched")
        #expect(html.contains("https://www.retsinformation.dk/eli/lta/2014/711"), "the law's ELI address is shown as text")
    }

    @Test("the dossier follows --lang: Danish and English words, and the html lang attribute")
    func languages() throws {
        let trace = try RecordFixtures.kaffekollektivet()
        let danish = HTMLDossier.render([trace], language: .danish)
        let english = HTMLDossier.render([trace], language: .english)
        #expect(danish.contains("<html lang=\"da\">"))
        #expect(danish.contains("<h2>Parametre i kraft 2024-12-31</h2>"))
        #expect(danish.contains("4.200.000,00 kr"))
        #expect(english.contains("<html lang=\"en\">"))
        #expect(english.contains("<h2>Parameters in force 2024-12-31</h2>"))
        #expect(english.contains("4,200,000.00 kr"))
        #expect(english.contains("Social-economy enterprise (can be registered)"))
    }
}

/// The checker must itself be able to fail, or its silence proves nothing.
@Suite("XHTML well-formedness checker")
struct XHTMLCheckerTests {
    @Test(
        "bad documents are caught",
        arguments: [
            ("<html><body><p>x</body></html>", "closes <p>"),
            ("<html><b><i>x</b></i></html>", "closes <i>"),
            ("<html><p class=x>y</p></html>", "no quoted value"),
            ("<html><p class=\"a\" class=\"b\">y</p></html>", "repeated"),
            ("<html>a &nbspx b</html>", "does not start an entity"),
            ("<html>a &bogus; b</html>", "unknown entity"),
            ("<html>a < b</html>", "'<' not followed by a tag name"),
            ("<html>a > b</html>", "raw '>'"),
            ("<html><br></br></html>", "void element"),
            ("<html><p><div>x</div></p></html>", "<div> inside <p>"),
            ("<html><td>x</td></html>", "<td> inside <html>"),
            ("<html></html><html></html>", "exactly one root"),
            ("<html><p>x</p>", "unclosed"),
            ("<html>\u{1}</html>", "control character"),
        ])
    func catches(html: String, message: String) {
        let errors = XHTMLChecker.check(html)
        #expect(errors.contains { $0.contains(message) }, "\(errors)")
    }

    @Test("a good document passes")
    func passes() {
        let html =
            "<!DOCTYPE html>\n<html lang=\"da\"><head><meta charset=\"utf-8\"/><style>a { b: c; }</style></head>"
            + "<body><p>&amp; &#39; &#x1F600; <code>x</code></p><svg><rect x=\"1\"/></svg><!-- c --></body></html>"
        #expect(XHTMLChecker.check(html) == [])
    }
}
