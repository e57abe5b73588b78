import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The promises of `soe fmt`, checked on one file: formatting twice equals formatting once, the
/// result says the same (equal syntax dump; when the original checks, so does the result), and
/// every comment survives (equal multisets of comment texts).
enum FormatProperties {
    /// Checks the properties; returns the formatted text, or nil when the file is refused (it has errors).
    @discardableResult
    static func check(_ text: String, path: String = "t.rules", sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String? {
        let source = SourceFile(path: path, text: text)
        let original = Parser.parse(source)
        guard case .success(let once) = RuleFormatter.format(source) else {
            #expect(
                original.diagnostics.contains { $0.severity == .error }, "a file without errors was refused: \(path)",
                sourceLocation: sourceLocation)
            return nil
        }
        let formatted = SourceFile(path: path, text: once)
        guard case .success(let twice) = RuleFormatter.format(formatted) else {
            Issue.record("the formatted file is refused: \(path)", sourceLocation: sourceLocation)
            return nil
        }
        #expect(twice == once, "not idempotent: \(path)\n--- once\n\(once)--- twice\n\(twice)", sourceLocation: sourceLocation)
        let again = Parser.parse(formatted)
        #expect(
            SyntaxDump.dump(again.syntax) == SyntaxDump.dump(original.syntax), "the meaning changed: \(path)",
            sourceLocation: sourceLocation)
        #expect(
            RuleFormatter.commentTexts(again.syntax.comments, in: formatted)
                == RuleFormatter.commentTexts(original.syntax.comments, in: source),
            "a comment changed: \(path)", sourceLocation: sourceLocation)
        #expect(!once.contains("\r") && !once.contains("\t"), "blanks not canonical: \(path)", sourceLocation: sourceLocation)
        return once
    }

    /// Every `.rules` file under a folder, recursively.
    static func ruleFiles(under folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".rules") }.sorted().map { folder + "/" + $0 }
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
    }
}
