import Foundation
import SoeTestSupport
import Testing

/// docs/worked-example.md runs: every ```text block that starts with `$ soe …` is run with the
/// built binary, and its standard output must be the rest of the block, byte for byte. The page
/// is its own golden file, so it cannot show output that `soe` no longer prints.
@Suite struct WorkedExampleTests {
    /// The page's commands, each with the output it shows.
    static func examples() throws -> [(arguments: [String], output: String)] {
        let page = try String(contentsOfFile: TestPaths.root + "/docs/worked-example.md", encoding: .utf8)
        var examples: [(arguments: [String], output: String)] = []
        let blocks = page.components(separatedBy: "```text\n").dropFirst()
        for block in blocks {
            guard let end = block.range(of: "```\n") else { continue }
            let body = block[..<end.lowerBound]
            guard body.hasPrefix("$ soe "), let newline = body.firstIndex(of: "\n") else { continue }
            let command = body[body.index(body.startIndex, offsetBy: 6)..<newline]
            let arguments = command.split(separator: " ").map(String.init)
            examples.append((arguments, String(body[body.index(after: newline)...])))
        }
        return examples
    }

    @Test func thePageHasItsCommands() throws {
        let examples = try Self.examples()
        #expect(examples.count == 3)
        // The municipality's own tests with coverage (issue 13), then the diff in English and Danish.
        #expect(examples.map { $0.arguments.first } == ["test", "diff", "diff"])
        // The bundled national rule set is found through the rule library, not given as a folder.
        #expect(examples.allSatisfy { !$0.arguments.contains("rules/") })
    }

    @Test func everyCommandPrintsWhatThePageShows() throws {
        for example in try Self.examples() {
            let result = try runSoe(example.arguments)
            #expect(result.exitCode == 0, "soe \(example.arguments.joined(separator: " ")): \(result.stderr)")
            #expect(result.stdout == example.output, "soe \(example.arguments.joined(separator: " ")) printed:\n\(result.stdout)")
        }
    }
}
