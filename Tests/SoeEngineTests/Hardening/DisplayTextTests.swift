import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The one escaping rule of every text renderer (`DisplayText`) and the shell quoting of the
/// dossier's `soe verify` line (`ShellWord`).
@Suite("display text: escaping, cutting short, shell words")
struct DisplayTextTests {
    @Test("every control character is escaped visibly, everything else is kept")
    func escaping() {
        #expect(DisplayText.line("a\nb\rc\td") == "a\\nb\\rc\\td")
        #expect(DisplayText.line("\u{1B}[2J\u{7F}\u{85}\u{9B}") == "\\u{1B}[2J\\u{7F}\\u{85}\\u{9B}")
        #expect(DisplayText.line("x\u{2028}y\u{2029}z") == "x\\u{2028}y\\u{2029}z")
        let bidi = "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}"
        #expect(
            DisplayText.line(bidi)
                == "\\u{202A}\\u{202B}\\u{202C}\\u{202D}\\u{202E}\\u{2066}\\u{2067}\\u{2068}\\u{2069}\\u{200E}\\u{200F}\\u{61C}")
        #expect(DisplayText.line("Kaffekollektivet ApS, § 4 æøå \\n «»") == "Kaffekollektivet ApS, § 4 æøå \\n «»")
        #expect(DisplayText.line("\u{0}") == "\\u{0}")
        // Nothing escaped is left with a control character.
        for value in UInt32(0)...0x30FF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let shown = DisplayText.line("a" + String(scalar) + "b")
            #expect(!shown.unicodeScalars.contains(where: DisplayText.isControl), "U+\(String(value, radix: 16))")
        }
    }

    @Test("multi-line text keeps its own line breaks and escapes the rest")
    func lines() {
        #expect(DisplayText.lines("one\ntwo\u{1B}\n") == "one\ntwo\\u{1B}\n")
    }

    @Test("a long value is cut after 60 characters with the bytes left out")
    func cutting() {
        let long = String(repeating: "ø", count: 1_000)
        let shown = DisplayText.value(long)
        #expect(shown == String(repeating: "ø", count: 60) + "… (+1880 bytes)")
        #expect(DisplayText.value(String(repeating: "a", count: 60)) == String(repeating: "a", count: 60))
        #expect(DisplayText.value("a\nb") == "a\\nb")
        // A character of many combining marks is cut too: the limit counts scalars.
        let zalgo = "e" + String(repeating: "\u{301}", count: 10_000)
        #expect(DisplayText.value(zalgo).unicodeScalars.count < 100)
    }

    /// Hostile file names, each of which must come back from the shell as exactly itself.
    static let hostileNames = [
        "plain.json", "with space.json", "semi;rm -rf x.json", "$(touch pwned).json", "`touch pwned`.json",
        "it's.json", "quote\"d.json", "new\nline.json", "back\\slash.json", "-flag.json", "tab\there.json", "'", "''", "a'b'c",
        "star*.json", "ampersand&.json", "pipe|.json", "dollar$HOME.json", "<stdin>", "æøå.json", "e\u{301}'.json",
    ]

    @Test("a shell word reads back as exactly the text, and runs nothing", arguments: hostileNames)
    func shellWord(name: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("soe-shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let quoted = ShellWord.quote(name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "printf '%s' " + quoted]
        process.currentDirectoryURL = folder
        process.environment = ["HOME": "/nonexistent", "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let expected = name.hasPrefix("-") ? "./" + name : name
        #expect(String(decoding: data, as: UTF8.self) == expected)
        #expect(process.terminationStatus == 0)
        // Nothing was run: no file appeared.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("a plain name is left bare; anything else is single-quoted")
    func shellWordForms() {
        #expect(ShellWord.quote("rules/rsv_2014.rules") == "rules/rsv_2014.rules")
        #expect(ShellWord.quote("a b") == "'a b'")
        #expect(ShellWord.quote("it's") == "'it'\\''s'")
        #expect(ShellWord.quote("") == "''")
        #expect(ShellWord.quote("-x") == "./-x")
        #expect(ShellWord.quote("a\nb") == "'a\nb'")
    }
}
