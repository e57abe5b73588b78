// What the renderers took from Foundation for laying out text, which the engine does not link
// (loading it took longer than evaluating a firm): padding a name to a column and trimming blanks.

extension String {
    /// Exactly `width` characters: padded with spaces, or cut, as Foundation's
    /// `padding(toLength:withPad:startingAt:)` did for the ASCII names it was given.
    func padded(to width: Int) -> String {
        let length = count
        if length >= width { return String(prefix(width)) }
        return self + String(repeating: " ", count: width - length)
    }
}

extension StringProtocol {
    /// Without the blanks at either end: spaces of any width and tabs (Foundation's
    /// `CharacterSet.whitespaces`). Line breaks are not blanks; the renderer splits at them first.
    func trimmingBlanks() -> String {
        let blank: (Character) -> Bool = { $0.isWhitespace && !$0.isNewline }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
