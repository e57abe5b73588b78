import SoeLanguage
import SoeTestSupport
import Testing

@testable import SoeCLI

/// `EnvironmentEntry.split` (how `soe` reads each `NAME=value` of its environment) splits an ASCII
/// entry at its first `=` byte; it must give what the general way gives, `String(cString:)` and then
/// the first character that is `=`, for every entry.
@Suite("an environment entry is split where the first character '=' is")
struct EnvironmentEntryTests {
    /// The general way, as `Sources/soe/main.swift` read the environment before.
    static func reference(_ bytes: [UInt8]) -> (name: String, value: String)? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let equals = text.firstIndex(of: "=") else { return nil }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    static func split(_ bytes: [UInt8]) -> (name: String, value: String)? {
        (bytes + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { EnvironmentEntry.split($0.baseAddress!) }
        }
    }

    static func agree(_ bytes: [UInt8]) -> Bool {
        let (got, expected) = (split(bytes), reference(bytes))
        return got?.name == expected?.name && got?.value == expected?.value && (got == nil) == (expected == nil)
    }

    /// Pieces an entry is made of: ASCII (with `=`, CR and LF), a combining acute accent (joins the
    /// `=` before it into one character), U+0600 (a prepended mark: joins the `=` after it), a
    /// zero-width joiner, Danish letters, and bytes that are not UTF-8.
    static let pieces: [[UInt8]] = [
        Array("=".utf8), Array("=".utf8), Array("A".utf8), Array("PATH".utf8), Array("/usr/bin:".utf8), Array(" ".utf8),
        [0x0D], [0x0A], [0x0D, 0x0A], Array("\u{301}".utf8), Array("\u{600}".utf8), Array("\u{200D}".utf8),
        Array("æøå".utf8), Array("É".utf8), [0xFF], [0xC3], [0x80], [0xE2, 0x80],
    ]

    @Test("the fixed cases: ASCII, no '=', '=' first or last, and the '=' that is not a character of its own")
    func fixedCases() {
        let cases: [String] = [
            "HOME=/root", "A=b=c", "=x", "X=", "=", "", "NOEQUALS", "LANG=da_DK.UTF-8", "K\r\n=V",
            "A=\u{301}B=C", "\u{600}=X=Y", "Æ=ø", "A\u{200D}=B",
        ]
        for text in cases { #expect(Self.agree(Array(text.utf8)), "\(text.debugDescription)") }
        #expect(Self.split(Array("A=\u{301}B=C".utf8))?.name == "A=\u{301}B", "the '=' with a combining mark is not split at")
        #expect(Self.split(Array("HOME=/root".utf8))! == ("HOME", "/root"))
        #expect(Self.split(Array("NOEQUALS".utf8)) == nil)
    }

    @Test("10,000 seeded entries of ASCII, marks, joiners, Danish letters and broken UTF-8 agree with the general way")
    func seeded() {
        var random = SplitMix64(seed: 2026_12_04)
        for _ in 0..<10_000 {
            var bytes: [UInt8] = []
            let asciiOnly = random.next() % 2 == 0
            for _ in 0..<Int(random.next() % 12) {
                let piece = Self.pieces[Int(random.next() % UInt64(asciiOnly ? 9 : Self.pieces.count))]
                bytes += piece
            }
            #expect(Self.agree(bytes), "\(bytes)")
        }
    }

    @Test("joinedText(separator:) gives the text joined(separator:) gives")
    func joinedText() {
        var random = SplitMix64(seed: 16)
        let parts = ["", "a.rules", "rules/", "x y", "æ.rules", "\u{301}", ", ", " or "]
        for _ in 0..<2_000 {
            let strings = (0..<Int(random.next() % 6)).map { _ in parts[Int(random.next() % UInt64(parts.count))] }
            for separator in [", ", " or ", "", "\u{301}"] {
                #expect(strings.joinedText(separator: separator) == strings.joined(separator: separator), "\(strings)")
            }
        }
    }
}
