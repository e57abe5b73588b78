/// One entry of the process environment, `NAME=value`, as `soe` reads it (`Sources/soe/main.swift`):
/// split at its first `=`, by characters, its bytes decoded as UTF-8 with invalid sequences repaired.
///
/// The general way (`String(cString:)`, then `firstIndex(of: "=")`) walks the text character by
/// character, and a run's 40 or so entries (`PATH` among them) cost a quarter of a million
/// instructions at every start (docs/benchmark.md, "Steps of wave 3, session 8"). An entry of ASCII
/// bytes only is split at its first `=` byte instead, which is the same place: no ASCII character
/// joins its neighbour into one character but a carriage return before a line feed (there are no
/// combining or prepended marks in ASCII), so there every `=` byte is a character of its own. Any
/// other entry goes the general way, where a `=` with a combining mark after it, or with a
/// prepended mark before it, is not a `=`.
public enum EnvironmentEntry {
    /// The name and the value of the NUL-terminated entry, or nil when it has no `=`.
    public static func split(_ entry: UnsafePointer<CChar>) -> (name: String, value: String)? {
        let bytes = UnsafeRawPointer(entry)
        var length = 0
        var equals = -1
        var isASCII = true
        while true {
            let byte = bytes.load(fromByteOffset: length, as: UInt8.self)
            if byte == 0 { break }
            if byte >= 0x80 {
                isASCII = false
            } else if byte == UInt8(ascii: "="), equals < 0 {
                equals = length
            }
            length += 1
        }
        guard isASCII else { return splitByCharacters(String(cString: entry)) }
        guard equals >= 0 else { return nil }
        let name = String(decoding: UnsafeRawBufferPointer(start: bytes, count: equals), as: UTF8.self)
        let value = String(
            decoding: UnsafeRawBufferPointer(start: bytes + equals + 1, count: length - equals - 1), as: UTF8.self)
        return (name, value)
    }

    /// The general way: split at the first character that is `=`.
    static func splitByCharacters(_ text: String) -> (name: String, value: String)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }
}
