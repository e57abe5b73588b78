import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// `soe evaluate --signed-by "Anne Jensen, sagsbehandler"`: the name below the regards of a letter,
/// as text and HTML, for a firm file and for a row of a batch; refused with any other output.
@Suite("a signed letter (--signed-by)")
struct LetterSignatureTests {
    static let base = ["evaluate", "--rules", "rules/anden_aktoer.rules", "samples/kaffekollektivet.json"]

    @Test("the name stands below the regards in the text letter, in Danish and English; without it the space is blank as before")
    func text() throws {
        let danish = try runSoe(Self.base + ["--format", "letter", "--lang", "da", "--signed-by", "Anne Jensen, sagsbehandler"])
        #expect(danish.exitCode == 0, "\(danish.stderr)")
        #expect(danish.stdout.contains("\nMed venlig hilsen\n\n\nAnne Jensen, sagsbehandler\n\nRegelsæt: "), "\(danish.stdout)")
        let english = try runSoe(Self.base + ["--format", "letter", "--lang", "en", "--signed-by", "Anne Jensen, caseworker"])
        #expect(english.stdout.contains("\nYours sincerely\n\n\nAnne Jensen, caseworker\n\nRule set: "), "\(english.stdout)")
        let unsigned = try runSoe(Self.base + ["--format", "letter", "--lang", "da"])
        #expect(unsigned.stdout.contains("\nMed venlig hilsen\n\n\nRegelsæt: "), "\(unsigned.stdout)")
        // Only the signature differs.
        #expect(danish.stdout.replacingOccurrences(of: "Anne Jensen, sagsbehandler\n\n", with: "") == unsigned.stdout)
    }

    @Test("the name stands below the regards in the HTML letter, as text; each of several letters is signed")
    func html() throws {
        let signed = try runSoe([
            "evaluate", "--rules", "rules/", "samples/kaffekollektivet.json", "--format", "letter-html", "--lang", "da", "--signed-by",
            "Anne Jensen <sagsbehandler> & co",
        ])
        #expect(signed.exitCode == 0, "\(signed.stderr)")
        let mark = "<p class=\"regards\">Med venlig hilsen</p>\n<p class=\"signature\">Anne Jensen &lt;sagsbehandler&gt; &amp; co</p>"
        #expect(signed.stdout.components(separatedBy: mark).count - 1 == 3, "one signature per letter: \(signed.stdout)")
        #expect(XHTMLChecker.check(signed.stdout) == [])
        let unsigned = try runSoe(Self.base + ["--format", "letter-html", "--lang", "da"])
        #expect(!unsigned.stdout.contains("class=\"signature\""))
    }

    @Test("--row signs the letter of a row of a batch file")
    func row() throws {
        let letter = try runSoe([
            "evaluate", "--rules", "rules/anden_aktoer.rules", "samples/batch/firms.csv", "--row", "2", "--format", "letter", "--lang",
            "da",
            "--signed-by", "Anne Jensen, sagsbehandler",
        ])
        #expect(letter.exitCode == 0, "\(letter.stderr)")
        #expect(letter.stdout.contains("\nMed venlig hilsen\n\n\nAnne Jensen, sagsbehandler\n\n"), "\(letter.stdout)")
    }

    @Test("--signed-by with any other format, with a batch, empty, with a control character or edge spaces: a usage error (exit 2)")
    func refusals() throws {
        for (arguments, said) in [
            (Self.base + ["--signed-by", "Anne Jensen"], "--signed-by signs the letter to a firm (--format letter or letter-html)"),
            (Self.base + ["--format", "html", "--signed-by", "Anne Jensen"], "--signed-by signs the letter to a firm"),
            (Self.base + ["--format", "json", "--signed-by", "Anne Jensen"], "--signed-by signs the letter to a firm"),
            (Self.base + ["--format", "record", "--signed-by", "Anne Jensen"], "--signed-by signs the letter to a firm"),
            (
                ["evaluate", "--rules", "rules/anden_aktoer.rules", "samples/batch/firms.csv", "--signed-by", "Anne Jensen"],
                "--signed-by signs a letter to one firm; a batch writes no letters"
            ),
            (Self.base + ["--format", "letter", "--signed-by", ""], "--signed-by is given an empty value"),
            (Self.base + ["--format", "letter", "--signed-by", "   "], "--signed-by is given an empty value (only spaces)"),
            (Self.base + ["--format", "letter", "--signed-by", "Anne Jensen\nsagsbehandler"], "holds a control character"),
            (Self.base + ["--format", "letter-html", "--signed-by", "Anne\u{7}Jensen"], "holds a control character"),
            (Self.base + ["--format", "letter", "--signed-by", "Anne Jensen "], "begins or ends with a space"),
        ] {
            let run = try runSoe(arguments)
            #expect(run.exitCode == 2 && run.stderr.contains(said), "\(arguments): \(run.exitCode) \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(arguments): \(run.stdout)")
        }
    }

    @Test("a letter made in the library is signed only when asked")
    func library() throws {
        let trace = try LetterTests.decided()
        #expect(Letter(trace: trace, language: .danish).signature == nil)
        #expect(Letter(trace: trace, language: .danish, signature: "Anne Jensen").signature == "Anne Jensen")
        #expect(LetterText.render([trace], language: .danish, signature: "Anne Jensen").contains("\n\nAnne Jensen\n\n"))
    }
}
