// Fuzz target `rules`: any bytes as a rule file, through the loader's whole pipeline (size and
// UTF-8 checks, lex, parse, `builds on`, check) and, when the engine has one, the linter; then
// every diagnostic through every renderer. The fuzzed file is loaded beside the bundled rule files,
// so `builds on rsv_2014` and `override …` are resolved in memory and exercised too.
import SoeEngine
import SoeLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    runRules(bytes)
    return 0
}

func runRules(_ bytes: [UInt8]) {
    // The fuzzed file lives in a folder of its own, so a `builds on` of an unknown name reads nothing.
    let fuzzed = SourceFile(path: "/nonexistent-soe-fuzz/fuzz.rules", bytes: bytes)
    // A bundled file only when the fuzzed one names its rule set: parsing them costs most of a run.
    let named = Bundled.sources.filter { source in
        guard let name = Bundled.names[source.path] else { return false }
        return bytes.indices.contains { bytes[$0...].starts(with: name.utf8) }
    }
    let result = RuleLoader.load(named + [fuzzed])
    require(!result.ruleSets.isEmpty || result.hasErrors, "no rule set and no error")
    for diagnostic in result.diagnostics {
        _ = DiagnosticRenderer.oneLine(diagnostic)
        _ = DiagnosticRenderer.annotated(diagnostic)
        let json = DiagnosticRenderer.json(diagnostic).serialized(pretty: false)
        guard case .success = JSONReader.parse(Array(json.utf8)) else { fail("a diagnostic's JSON does not parse: \(json)") }
        require(!diagnostic.message.isEmpty, "a diagnostic without a message")
        if let span = diagnostic.span {
            require(
                span.range.lowerBound >= 0 && span.range.upperBound <= span.file.bytes.count,
                "\(diagnostic.code) points outside its file: \(span.range) of \(span.file.bytes.count) bytes")
        }
    }
    // The bundled files check on their own, so every error must be about the fuzzed file.
    for diagnostic in result.diagnostics where diagnostic.severity == .error {
        require(
            diagnostic.span?.file.path == fuzzed.path || diagnostic.span == nil
                || diagnostic.code.hasPrefix("E3") || diagnostic.code == "E207",
            "an error in a bundled file: \(DiagnosticRenderer.oneLine(diagnostic))")
    }
    // The bundled rule sets named are checked and linted the same way for every input; only the
    // rule sets of the fuzzed file (with their bundled bases, which the linter reads through them)
    // depend on it. Linting the bundled ones again was a tenth of a run.
    var own = result
    own.ruleSets = result.ruleSets.filter { $0.files.last?.path == fuzzed.path }
    let ownFiles = Set(own.ruleSets.flatMap { $0.files.map(\.path) } + [fuzzed.path])
    own.files = result.files.filter { ownFiles.contains($0.file.path) }
    lintHook(own)
}
