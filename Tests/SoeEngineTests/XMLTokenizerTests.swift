import Testing

@testable import SoeEngine

/// The tokens of a document as short strings: `<name`, `<name/`, `>name`, `"text"`.
func xmlTokens(_ text: String) throws(SheetError) -> [String] {
    var xml = XMLTokenizer(Array(text.utf8))
    var out: [String] = []
    while let token = try xml.next() {
        switch token {
        case .start(let name, let selfClosing):
            var shown = "<" + String(decoding: xml.bytes[name], as: UTF8.self) + (selfClosing ? "/" : "")
            for attribute in xml.attributes {
                shown += " \(String(decoding: xml.bytes[attribute.name], as: UTF8.self))=\(try xml.text(attribute.value))"
            }
            out.append(shown)
        case .end(let name): out.append(">" + String(decoding: xml.bytes[name], as: UTF8.self))
        case .text(let range): out.append("\"" + (try xml.text(range)) + "\"")
        case .cdata(let range): out.append("[" + (try xml.utf8(range)) + "]")
        }
    }
    return out
}

func xmlError(_ text: String) -> String? {
    do {
        _ = try xmlTokens(text)
        return nil
    } catch {
        return error.message
    }
}

@Suite("XML tokenizer")
struct XMLTokenizerTests {
    @Test("elements, attributes, entities, character references, CDATA; comments and declarations skipped")
    func tokens() throws {
        let document = """
            \u{FEFF}<?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment with <tags> -->
            <x:sst xmlns:x="urn:x" count='2'><x:si><x:t xml:space="preserve">S&#248;ren &amp; &#xC6;bleg&#229;rd &lt;3&gt; &quot;&apos;</x:t></x:si>\
            <si><![CDATA[a <b> & c]]><?pi ignored?></si><e a = "1"  b="&#10;"/></x:sst>
            """
        let tokens = try xmlTokens(document)
        #expect(
            tokens == [
                "<sst x=urn:x count=2", "<si", "<t space=preserve", "\"Søren & Æblegård <3> \"'\"", ">t", ">si", "<si",
                "[a <b> & c]", ">si", "<e/ a=1 b=\n", ">sst",
            ])
    }

    @Test("every malformed document is refused with the line and the reason")
    func malformed() {
        let cases: [(String, String)] = [
            ("<a><b></a>", "does not match"),
            ("<a>", "still open"),
            ("<a", "ends inside a tag"),
            ("<a b></a>", "without '='"),
            ("<a b=1></a>", "not in quotes"),
            ("<a b=\"1></a>", "'<' inside an attribute value"),
            ("<a b=\"1\"c=\"2\"></a>", "separated by space"),
            ("<a>&bogus;</a>", "&bogus;"),
            ("<a>&#0;</a>", "&#0;"),
            ("<a>&#xD800;</a>", "&#xD800;"),
            ("<a>fish & chips</a>", "'&' that starts no entity"),
            ("<!DOCTYPE a [<!ENTITY lol \"lol\">]><a>&lol;</a>", "document type declaration"),
            ("<a><!-- never closed</a>", "comment that never ends"),
            ("<a><![CDATA[ open</a>", "CDATA section that never ends"),
            ("text<a/>", "text outside the root"),
            ("<a/ >", "'/' in a tag"),
            ("<>", "without a name"),
        ]
        for (document, expected) in cases {
            let message = xmlError(document)
            #expect(message != nil, "\(document)")
            if !expected.isEmpty { #expect(message?.contains(expected) == true, "\(document): \(message ?? "no error")") }
            #expect(message?.hasPrefix("malformed XML at line 1") == true || expected.isEmpty)
        }
        // Bytes that are not UTF-8 in text.
        var xml = XMLTokenizer([0x3C, 0x61, 0x3E, 0xFF, 0x3C, 0x2F, 0x61, 0x3E])
        #expect(throws: SheetError.self) {
            while let token = try xml.next() { if case .text(let range) = token { _ = try xml.text(range) } }
        }
        // The line is counted.
        #expect(xmlError("<a>\n\n<b></c></a>")?.hasPrefix("malformed XML at line 3") == true)
    }

    @Test("bounded: nesting deeper than 256 and more than 512 attributes are refused, quickly")
    func bounds() {
        let deep = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        #expect(xmlError(deep)?.contains("nest deeper than 256") == true)
        let fine = String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200)
        #expect(xmlError(fine) == nil)
        let wide = "<a " + (0..<600).map { "x\($0)=\"1\"" }.joined(separator: " ") + "/>"
        #expect(xmlError(wide)?.contains("more than 512 attributes") == true)
    }
}
