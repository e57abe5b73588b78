extension Array where Element == String {
    /// The strings with `separator` between them: the text `joined(separator:)` gives.
    ///
    /// The standard library's `joined(separator:)` is generic over the collection and is not
    /// specialised for the caller: its first call in a run looks up a conformance of `[String]`,
    /// a scan of every conformance record of the binary, 115,000 instructions. Used on the way of
    /// a one-firm `soe evaluate` (docs/benchmark.md, "Steps of wave 3, session 8").
    public func joinedText(separator: String) -> String {
        var text = ""
        for (index, part) in enumerated() {
            if index > 0 { text += separator }
            text += part
        }
        return text
    }
}
