// What a word processor does to text pasted into a rule file: typographic quotes around texts
// (“…”, „…“, »…«, ‘…’) and letters stored decomposed (`a` and a combining ring instead of `å`,
// as some macOS programs write them). Each is one error with the real reason and the fix, instead
// of a cascade of "unexpected character" messages.

/// A typographic quote that opens a text, and the quotes that may close it.
struct TypographicQuote {
    /// The quote as written, e.g. `“`.
    let written: String
    /// The length of the quote in bytes.
    let length: Int
    /// True for the single quotes ‘ ’ ‚, which close only on a single quote.
    let single: Bool

    /// The typographic quote at `offset`, or nil.
    init?(_ bytes: [UInt8], at offset: Int) {
        guard offset + 1 < bytes.count else { return nil }
        if bytes[offset] == 0xC2, bytes[offset + 1] == 0xAB || bytes[offset + 1] == 0xBB {
            (written, length, single) = (bytes[offset + 1] == 0xAB ? "«" : "»", 2, false)
            return
        }
        guard offset + 2 < bytes.count, bytes[offset] == 0xE2, bytes[offset + 1] == 0x80 else { return nil }
        switch bytes[offset + 2] {
        case 0x9C: (written, length, single) = ("“", 3, false)
        case 0x9D: (written, length, single) = ("”", 3, false)
        case 0x9E: (written, length, single) = ("„", 3, false)
        case 0x98: (written, length, single) = ("‘", 3, true)
        case 0x99: (written, length, single) = ("’", 3, true)
        case 0x9A: (written, length, single) = ("‚", 3, true)
        default: return nil
        }
    }
}

extension Lexer {
    /// Lexes a text between typographic quotes as a text token, reporting E009 with a fix-it that
    /// writes it between straight quotes. The text ends at a closing quote of the same kind (or a
    /// straight `"`) on the same line.
    mutating func lexTypographicText(_ open: TypographicQuote, start: Int, startsLine: Bool, atMargin: Bool) -> Token {
        index = start + open.length
        var content: [UInt8] = []
        var closed: String?
        while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D {
            if let quote = TypographicQuote(bytes, at: index), quote.single == open.single {
                closed = quote.written
                index += quote.length
                break
            }
            if !open.single && bytes[index] == UInt8(ascii: "\"") {
                closed = "\""
                index += 1
                break
            }
            content.append(bytes[index])
            index += 1
        }
        let text = String(decoding: content, as: UTF8.self)
        let straight = "\"" + text.replacingBackslashesAndQuotes() + "\""
        let shown = open.written + (closed == nil ? "…" : "…" + (closed ?? ""))
        let ending = closed == nil ? ", and this one does not end on this line" : ""
        diagnostics.error(
            .typographicQuote,
            "a text in typographic quotes \(shown), as a word processor writes them\(ending); rule files use straight quotes: \(straight)",
            da: "en tekst i typografiske anførselstegn \(shown), som et tekstbehandlingsprogram skriver dem"
                + (closed == nil ? ", og den slutter ikke på denne linje" : "") + "; i regelfiler bruges lige anførselstegn: \(straight)",
            at: span(start..<index),
            fixIts: [FixIt(message: "write \(straight)", danish: "skriv \(straight)", range: start..<index, replacement: straight)])
        return Token(kind: .string, range: start..<index, startsLine: startsLine, atMargin: atMargin, text: text)
    }

    /// Lexes a word. A letter followed by a combining mark (`a` + U+030A) is part of the word; when
    /// a composed letter exists for it (`å`, U+00E5), the word is reported (E010) with the composed
    /// spelling as the fix, because two spellings of one name must never be two names.
    mutating func lexWord(start: Int, startsLine: Bool, atMargin: Bool) -> Token {
        var sawMark = false
        var sawOther = false
        if fastPaths {
            // The ASCII letters, digits and `_` of the word, which the loop below would take one
            // by one (none is a combining mark); it goes on from the first other byte.
            while index < bytes.count, Lexer.isASCIIWordByte(bytes[index]) { index += 1 }
        }
        // No ASCII character is a combining mark: the byte that ends most words skips that look.
        while index < bytes.count {
            if isWordContinue(at: index) {
                if bytes[index] >= 0x80 { sawOther = true }
                index += scalarLength(at: index)
            } else if bytes[index] >= 0x80, let scalar = scalar(at: index), Lexer.isCombiningMark(scalar) {
                sawMark = true
                index += scalarLength(at: index)
            } else {
                break
            }
        }
        let token = Token(kind: .word, range: start..<index, startsLine: startsLine, atMargin: atMargin)
        if sawOther, let (meant, letter) = Lexer.lookAlike(file.text(start..<index)) {
            let written = file.text(start..<index)
            diagnostics.error(
                .lookAlikeLetter,
                "'\(written)' holds \(letter.english), which looks like '\(letter.latin)' but makes another name; write '\(meant)'",
                da: "'\(written)' indeholder \(letter.danish), der ligner '\(letter.latin)', men giver et andet navn; skriv '\(meant)'",
                at: span(start..<index),
                fixIts: [FixIt(message: "write '\(meant)'", danish: "skriv '\(meant)'", range: start..<index, replacement: meant)])
            return token
        }
        guard sawMark else { return token }
        let written = file.text(start..<index)
        guard let (composed, example) = Lexer.composed(written) else { return token }
        diagnostics.error(
            .decomposedLetter,
            "'\(written)' spells \(example.letter) as \(example.parts), a decomposed letter as some programs save it; "
                + "write the composed letter \(example.letter): '\(composed)'",
            da: "'\(written)' staver \(example.letter) som \(example.parts), et opdelt bogstav, som nogle programmer gemmer det; "
                + "skriv det samlede bogstav \(example.letter): '\(composed)'",
            at: span(start..<index),
            fixIts: [FixIt(message: "write '\(composed)'", danish: "skriv '\(composed)'", range: start..<index, replacement: composed)])
        return token
    }

    /// An ASCII letter, digit or `_`: the bytes below 0x80 that `isWordContinue` accepts.
    @inline(__always)
    static func isASCIIWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "_")
    }

    static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    /// The word with every decomposed letter composed, and the first such letter described
    /// ("'å' (U+00E5)" and "'a' followed by combining ring above (U+030A)"); nil when no letter
    /// of the word has a composed form, as for marks that exist only as combining marks.
    static func composed(_ word: String) -> (String, (letter: String, parts: String))? {
        var result = ""
        var example: (letter: String, parts: String)?
        for character in word {
            let scalars = character.unicodeScalars
            guard scalars.count > 1, let composed = composedScalar(character) else {
                result.append(character)
                continue
            }
            result.unicodeScalars.append(composed)
            if example == nil {
                let marks = scalars.dropFirst().map { "\(($0.properties.name ?? "a combining mark").lowercased()) (\(code($0)))" }
                let base = scalars.first.map { String($0) } ?? ""
                example = ("'\(composed)' (\(code(composed)))", "'\(base)' followed by " + marks.joined(separator: " and "))
            }
        }
        guard let example else { return nil }
        return (result, example)
    }

    /// The one precomposed Latin letter canonically equal to `character`, if there is one.
    static func composedScalar(_ character: Character) -> Unicode.Scalar? { composedLetters[character] }

    /// The precomposed Latin letters by character. Swift hashes and compares characters by
    /// canonical equivalence, so `a` + U+030A finds `å` here without normalisation tables; built
    /// once, so a file of many decomposed letters costs one lookup each.
    static let composedLetters: [Character: Unicode.Scalar] = {
        var letters: [Character: Unicode.Scalar] = [:]
        for range in [0x00C0...0x024F, 0x1E00...0x1EFF] {
            for value in range {
                if let scalar = Unicode.Scalar(value), scalar.properties.isAlphabetic { letters[Character(scalar)] = scalar }
            }
        }
        return letters
    }()

    static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

extension String {
    /// The text with `\` and `"` escaped, as it is written between straight quotes.
    func replacingBackslashesAndQuotes() -> String {
        var result = ""
        for character in self {
            if character == "\\" || character == "\"" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}

extension Lexer {
    /// The letters that look like Latin ones and are not: Cyrillic and Greek look-alikes (a name
    /// with `а`, U+0430, for `a` is another name than the one it looks like), the ligatures a copy
    /// from a PDF leaves (`ﬁ`), full-width letters and digits, and the Kelvin and Ångström signs.
    static let lookAlikes: [UInt32: (latin: String, script: String, skrift: String)] = {
        var table: [UInt32: (String, String, String)] = [:]
        let cyrillic: [(UInt32, String)] = [
            (0x0430, "a"), (0x0435, "e"), (0x043E, "o"), (0x0440, "p"), (0x0441, "c"), (0x0443, "y"), (0x0445, "x"),
            (0x0456, "i"), (0x0458, "j"), (0x0455, "s"), (0x0501, "d"), (0x04BB, "h"), (0x051B, "q"), (0x051D, "w"),
            (0x0410, "A"), (0x0412, "B"), (0x0415, "E"), (0x041A, "K"), (0x041C, "M"), (0x041D, "H"), (0x041E, "O"),
            (0x0420, "P"), (0x0421, "C"), (0x0422, "T"), (0x0425, "X"), (0x0406, "I"), (0x0408, "J"), (0x0405, "S"),
        ]
        for (code, latin) in cyrillic { table[code] = (latin, "the Cyrillic letter", "det kyrilliske bogstav") }
        let greek: [(UInt32, String)] = [
            (0x03B1, "a"), (0x03BF, "o"), (0x03BD, "v"), (0x03C1, "p"), (0x03B9, "i"), (0x03BA, "k"), (0x03C5, "u"),
            (0x0391, "A"), (0x0392, "B"), (0x0395, "E"), (0x0396, "Z"), (0x0397, "H"), (0x0399, "I"), (0x039A, "K"),
            (0x039C, "M"), (0x039D, "N"), (0x039F, "O"), (0x03A1, "P"), (0x03A4, "T"), (0x03A5, "Y"), (0x03A7, "X"),
        ]
        for (code, latin) in greek { table[code] = (latin, "the Greek letter", "det græske bogstav") }
        let ligatures: [(UInt32, String)] = [
            (0xFB00, "ff"), (0xFB01, "fi"), (0xFB02, "fl"), (0xFB03, "ffi"), (0xFB04, "ffl"), (0xFB05, "st"), (0xFB06, "st"),
        ]
        for (code, latin) in ligatures { table[code] = (latin, "the ligature", "ligaturen") }
        for offset in UInt32(0)..<26 {
            table[0xFF21 + offset] = (
                String(UnicodeScalar(0x41 + offset).map(Character.init) ?? "?"), "the full-width letter", "det brede bogstav"
            )
            table[0xFF41 + offset] = (
                String(UnicodeScalar(0x61 + offset).map(Character.init) ?? "?"), "the full-width letter", "det brede bogstav"
            )
        }
        for offset in UInt32(0)..<10 {
            table[0xFF10 + offset] = (
                String(UnicodeScalar(0x30 + offset).map(Character.init) ?? "?"), "the full-width digit", "det brede ciffer"
            )
        }
        for (code, latin) in [(UInt32(0x0251), "a"), (0x0261, "g"), (0x0269, "i")] {
            table[code] = (latin, "the phonetic letter", "det fonetiske bogstav")
        }
        table[0x212A] = ("K", "the Kelvin sign", "Kelvin-tegnet")
        table[0x212B] = ("Å", "the Ångström sign", "Ångström-tegnet")
        return table.mapValues { (latin: $0.0, script: $0.1, skrift: $0.2) }
    }()

    /// A letter or digit of the Mathematical Alphanumeric Symbols (bold, italic, script, monospace
    /// `𝚊`, …): thirteen styles of A–Z and a–z from U+1D400, five of 0–9 from U+1D7CE.
    static func mathematical(_ value: UInt32) -> (latin: String, script: String, skrift: String)? {
        if (0x1D400..<0x1D6A4).contains(value) {
            let place = (value - 0x1D400) % 52
            let latin = UnicodeScalar(place < 26 ? 0x41 + place : 0x61 + place - 26).map { String(Character($0)) } ?? "?"
            return (latin, "the mathematical letter", "det matematiske bogstav")
        }
        if (0x1D7CE...0x1D7FF).contains(value) {
            let latin = UnicodeScalar(0x30 + (value - 0x1D7CE) % 10).map { String(Character($0)) } ?? "?"
            return (latin, "the mathematical digit", "det matematiske ciffer")
        }
        return nil
    }

    /// The word with every look-alike letter written as the Latin letters it looks like, and the
    /// first such letter described; nil when the word has none.
    static func lookAlike(_ word: String) -> (String, (english: String, danish: String, latin: String))? {
        var result = ""
        var first: (english: String, danish: String, latin: String)?
        for scalar in word.unicodeScalars {
            guard let found = lookAlikes[scalar.value] ?? mathematical(scalar.value) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            result += found.latin
            if first == nil {
                let code = Lexer.code(scalar)
                first = ("\(found.script) '\(scalar)' (\(code))", "\(found.skrift) '\(scalar)' (\(code))", found.latin)
            }
        }
        return first.map { (result, $0) }
    }
}
