// Text from data (a firm's name, an id, a cell, a file name) is shown to people in lines of text.
// Shown raw, a newline in a name starts a line that looks like output ("Result: …"), a terminal
// escape code repaints the screen, and a bidi control reorders what is read. Every text rendering
// therefore passes such text through `DisplayText`, which makes every control character visible
// and cuts long values short, so that one line of output is always one line of the screen.

/// Makes text from data safe to show in a line of text: the one escaping rule of every text renderer.
///
/// The rule: each control character becomes a visible escape: `\n`, `\r`, `\t`, and otherwise
/// `\u{1B}` with the code point in hexadecimal. Control characters are C0 (U+0000-U+001F), DEL
/// (U+007F), C1 (U+0080-U+009F), the line and paragraph separators U+2028 and U+2029, and the
/// bidirectional controls U+061C, U+200E, U+200F, U+202A-U+202E and U+2066-U+2069. Everything else,
/// a backslash included, is shown as it is.
public enum DisplayText {
    /// How many characters (Unicode scalars) of a long value a message quotes before cutting it short.
    public static let valueLimit = 60

    /// How many messages of one kind are shown before the rest are counted in one line.
    public static let repeatedMessageLimit = 100

    /// Whether the scalar is shown as an escape.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The visible escape of a control character: `\n`, `\r`, `\t` or `\u{1B}`.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default: return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        }
    }

    /// The text with every control character escaped, so it stays on one line and repaints nothing.
    public static func line(_ text: String) -> String {
        guard mayNeedEscaping(text) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isControl(scalar) { result += escape(scalar) } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    /// Each line of a multi-line text escaped on its own: the line breaks the text was built
    /// with stay, any other control character is escaped.
    public static func lines(_ text: String) -> String {
        guard mayNeedEscaping(text) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line(String($0)) }.joined(separator: "\n")
    }

    /// A value from data for a message: escaped as `line`, and when longer than `limit` characters,
    /// cut after them with `… (+N bytes)`, N counting the UTF-8 bytes left out, so that a
    /// megabyte cell makes a line a person can read. The mark reads the same in Danish and in
    /// English ("bytes" is Danish too), since the value goes into both texts of a message.
    public static func value(_ text: String, limit: Int = valueLimit) -> String {
        var kept = 0
        var index = text.unicodeScalars.startIndex
        while index < text.unicodeScalars.endIndex && kept < limit {
            text.unicodeScalars.formIndex(after: &index)
            kept += 1
        }
        guard index < text.unicodeScalars.endIndex else { return line(text) }
        let head = String(text.unicodeScalars[..<index])
        let rest = text.utf8.count - head.utf8.count
        return line(head) + "… (+\(rest) bytes)"
    }

    /// Whether any byte could start a control character: a cheap test, so that ordinary text is
    /// returned as it is without looking at its scalars.
    static func mayNeedEscaping(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }
    }
}

/// Quoting for a command line a person may copy and paste into a shell.
public enum ShellWord {
    /// The text as one POSIX shell word that the shell reads back as exactly the text: as it is
    /// when it holds only letters, digits and `_ - . / + , : = @ %` (and does not start with `-`),
    /// else in single quotes, each `'` written `'\''`. A newline stays inside the quotes, so a
    /// pasted line cannot run a second command. A relative name starting with `-` gets `./`, so it
    /// is not read as a flag.
    public static func quote(_ text: String) -> String {
        if text.isEmpty { return "''" }
        let word = text.hasPrefix("-") ? "./" + text : text
        let plain = word.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".", "/", "+", ",", ":", "=", "@", "%": true
            default: false
            }
        }
        if plain { return word }
        return "'" + word.replacingAll("'", with: "'\\''") + "'"
    }
}

extension String {
    /// Every occurrence of the scalar `target` replaced, without Foundation. Scalars, not
    /// characters: a quote followed by a combining mark is one character but still ends a quote.
    func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        var result = ""
        for scalar in unicodeScalars {
            if scalar == target { result += replacement } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }
}
