// Fuzz target `fmt`: the formatter's promises on any rule file. Bytes that start with 0x00 drive
// the rule generator (`RuleGenerator`), whose files always check; other bytes are a rule file as
// they are. Whenever the formatter accepts a file: formatting again changes nothing, the result
// parses to the same syntax (`SyntaxDump`) with the same comments, and when the file checked, the
// result checks too, with the same rule sets. A refusal is only allowed for a file with errors.
import SoeEngine
import SoeLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormat(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if bytes.first == 0 {
        var generator = RuleGenerator(Array(bytes.dropFirst()))
        runFormat(Array(generator.generate().rules.utf8))
    } else {
        runFormat(bytes)
    }
    return 0
}

func runFormat(_ bytes: [UInt8]) {
    guard bytes.count <= RuleLoader.maxFileSize, firstInvalidUTF8(bytes) == nil else { return }
    let source = SourceFile(path: "/nonexistent-soe-fuzz/fuzz.rules", bytes: bytes)
    let original = Parser.parse(source)
    let once: String
    switch RuleFormatter.format(source) {
    case .failure(let refusal):
        if let problem = refusal.internalProblem { fail("the formatter failed its own check: \(problem)") }
        require(original.diagnostics.contains { $0.severity == .error }, "a file without errors was refused")
        return
    case .success(let text): once = text
    }
    let formatted = SourceFile(path: source.path, text: once)
    guard case .success(let twice) = RuleFormatter.format(formatted) else { fail("the formatted file is refused") }
    require(twice == once, "not idempotent:\n\(once)\n---\n\(twice)")
    let again = Parser.parse(formatted)
    require(SyntaxDump.dump(again.syntax) == SyntaxDump.dump(original.syntax), "the meaning changed")
    require(
        RuleFormatter.commentTexts(again.syntax.comments, in: formatted)
            == RuleFormatter.commentTexts(original.syntax.comments, in: source), "a comment changed")
    let before = RuleLoader.load([source])
    let after = RuleLoader.load([formatted])
    require(before.hasErrors == after.hasErrors, "checks before and not after, or the other way")
    require(before.ruleSets.map(\.name) == after.ruleSets.map(\.name), "other rule sets after formatting")
    require(
        before.ruleSets.map(\.nodes.count) == after.ruleSets.map(\.nodes.count), "other formulas after formatting")
}
