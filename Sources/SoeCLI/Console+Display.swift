import SoeLanguage

extension Console {
    /// Writes one line to standard error with every control character made visible (see
    /// `DisplayText`): for messages that quote a path, a name or a value from the data, which
    /// must not add a line that looks like output or send an escape code to the terminal.
    func shownErrorLine(_ text: String) { errorLine(DisplayText.line(text)) }

    /// Writes one line to standard output, escaped as `shownErrorLine` does.
    func shownOutLine(_ text: String) { outLine(DisplayText.line(text)) }
}
