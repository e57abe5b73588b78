/// `soe fmt`'s work: a rule file in its canonical layout (see `FormatLayout` and the language
/// reference, "Canonical layout").
///
/// # Design
///
/// The formatter re-emits the lexer's tokens, byte for byte, with canonical whitespace; it never
/// prints a syntax tree back. The tree is read only to decide the layout: which tokens form a
/// clause, where a formula may break, in which order clauses go. Comments are attached to tokens
/// (`FormatTrivia`) and written with them. So, by construction:
///
/// - every token is written exactly once, so the file says the same (a text, a number, an
///   operator is never respelt, `≥` stays `≥`);
/// - every comment is written exactly once, next to the token it was next to;
/// - clauses move only as wholes, with their comments.
///
/// A pretty-printer over a tree that carried comments could do the same, but every new node kind
/// would be one more place to lose a comment. Before it returns, the formatter checks all of this
/// anyway: the output must parse without errors to an equal syntax tree (`SyntaxDump`) with the same
/// comments; otherwise it refuses, and the file is left as it is.
public enum RuleFormatter {
    /// Why a file was not formatted.
    public struct Refusal: Error, Sendable {
        /// The file's own errors: a file that does not parse is never rewritten.
        public var diagnostics: [Diagnostic]
        /// Set when the formatter's own result failed its checks (a bug in the formatter).
        public var internalProblem: String?
    }

    /// The canonical layout of a rule file, or the reason it cannot be given.
    public static func format(_ source: SourceFile) -> Result<String, Refusal> {
        let lexed = Lexer.tokenize(source)
        let (syntax, diagnostics) = Parser.parse(source)
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { return .failure(Refusal(diagnostics: errors)) }
        var layout = FormatLayout(syntax: syntax, tokens: lexed.tokens, comments: lexed.comments)
        let (text, emitted) = layout.format()
        if let problem = verify(
            source: source, syntax: syntax, comments: lexed.comments, tokenCount: lexed.tokens.count - 1,
            emitted: emitted, output: text)
        {
            return .failure(Refusal(diagnostics: [], internalProblem: problem))
        }
        return .success(text)
    }

    /// What the formatter promises, checked on its own output: nil when it holds.
    static func verify(
        source: SourceFile, syntax: RuleFileSyntax, comments: [Comment], tokenCount: Int, emitted: [Int], output: String
    ) -> String? {
        if emitted.count != tokenCount || Set(emitted).count != tokenCount {
            return "wrote \(emitted.count) tokens of \(tokenCount)"
        }
        let formatted = SourceFile(path: source.path, text: output)
        let (again, diagnostics) = Parser.parse(formatted)
        if let error = diagnostics.first(where: { $0.severity == .error }) {
            return "the formatted file does not parse: \(error.message)"
        }
        if SyntaxDump.dump(again) != SyntaxDump.dump(syntax) { return "the formatted file would say something else" }
        if commentTexts(again.comments, in: formatted) != commentTexts(comments, in: source) {
            return "a comment would be lost or changed"
        }
        return nil
    }

    /// The comments of a file as written (without trailing blanks), sorted: a multiset.
    public static func commentTexts(_ comments: [Comment], in source: SourceFile) -> [String] {
        comments.map { comment in
            var text = Substring(source.text(comment.range))
            while let last = text.last, last == " " || last == "\t" { text.removeLast() }
            return String(text)
        }.sorted()
    }
}
