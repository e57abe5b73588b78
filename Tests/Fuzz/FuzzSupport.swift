// Shared by every fuzz target (see `.ci/fuzz.sh`). Not part of the SwiftPM package: the script
// compiles it with swiftc against the engine, instrumented for libFuzzer and AddressSanitizer.
import Foundation
import SoeEngine
import SoeLanguage

/// The bundled rule sets, loaded once per process from `$SOE_FUZZ_ROOT/rules` (the script sets it;
/// the working directory otherwise). Targets feed fuzzed data to them and build on them.
enum Bundled {
    static let root: String =
        ProcessInfo.processInfo.environment["SOE_FUZZ_ROOT"]
        ?? FileManager.default.currentDirectoryPath

    /// The bundled rule files, as the loader reads them.
    static let sources: [SourceFile] = {
        guard case .success(let paths) = FileSystem.list(root + "/rules", extension: ".rules"), !paths.isEmpty else {
            fail("no rule files under \(root)/rules; set SOE_FUZZ_ROOT to the project folder")
        }
        return paths.compactMap { path in
            guard case .success(let bytes) = FileSystem.read(path) else { return nil }
            return SourceFile(path: path, bytes: bytes)
        }
    }()

    /// The rule set each bundled file declares, by path.
    static let names: [String: String] = {
        var names: [String: String] = [:]
        for ruleSet in ruleSets { for file in ruleSet.files.suffix(1) { names[file.path] = ruleSet.name } }
        return names
    }()

    /// The checked bundled rule sets; a fuzz run without them would test nothing.
    static let ruleSets: [RuleSet] = {
        let result = RuleLoader.load(sources)
        if result.hasErrors || result.ruleSets.isEmpty { fail("the bundled rules do not check") }
        return result.ruleSets
    }()

    /// Every input name the bundled rule sets declare, as `soe evaluate --rules rules/` passes them.
    static let inputNames: Set<String> = Set(ruleSets.flatMap { $0.inputs.map(\.name) })

    /// One input of each distinct kind (type, bounds, choices), with the rule set it belongs to, so
    /// that a CSV cell is read under every reading rule without repeating identical ones.
    static let distinctInputs: [(input: InputDefinition, ruleSet: RuleSet)] = {
        var seen: Set<String> = []
        var result: [(InputDefinition, RuleSet)] = []
        for ruleSet in ruleSets {
            for input in ruleSet.inputs {
                var key = "\(input.type.displayName)|\(input.minimum?.description ?? "")|\(input.maximum?.description ?? "")"
                if case .choice(let set) = input.type { key += "|" + ruleSet.choiceSets[set].joined(separator: ",") }
                if seen.insert(key).inserted { result.append((input, ruleSet)) }
            }
        }
        return result
    }()
}

/// Stops the process so libFuzzer records the input as a crash. Used for broken invariants.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("soe fuzz: invariant broken: \(message)\n".utf8))
    abort()
}

/// Checks an invariant; a failure is a finding, saved by libFuzzer like a crash.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fail(message()) }
}

/// Evaluates a firm under a rule set, builds the trace, renders it in every form, and checks what
/// must hold for any decision. Shared by the data and evaluation targets.
func evaluateAndRender(_ firm: Firm, _ bound: BoundInputs, _ ruleSet: RuleSet) {
    var evaluator = Evaluator(ruleSet: ruleSet)
    let decision = evaluator.evaluate(inputs: bound.values, on: firm.closingDay)
    checkDecision(decision, ruleSet: ruleSet, inputs: bound.values, day: firm.closingDay)
    let trace = TraceBuilder.build(evaluator: evaluator, decision: decision, firm: firm, bound: bound, engineVersion: "fuzz")
    for language in Language.allCases {
        _ = TextTraceRenderer.render(trace, language: language)
    }
    let json = JSONTraceRenderer.render(trace)
    guard case .success(let parsed) = JSONReader.parse(Array(json.utf8)) else { fail("the JSON trace does not parse:\n\(json)") }
    guard case .object(let top) = parsed.value, top.first?.key == "schema" else { fail("the JSON trace is not an object") }
    // The same input gives byte-identical output (README, "The JSON trace").
    var again = Evaluator(ruleSet: ruleSet)
    let second = again.evaluate(inputs: bound.values, on: firm.closingDay)
    require(second == decision, "a second evaluation decided differently")
    let retrace = TraceBuilder.build(evaluator: again, decision: second, firm: firm, bound: bound, engineVersion: "fuzz")
    require(JSONTraceRenderer.render(retrace) == json, "a second run rendered a different JSON trace")
}

/// What must hold for every decision, whatever the rules and data.
func checkDecision(_ decision: Decision, ruleSet: RuleSet, inputs: [Scalar?], day: Day) {
    let count = ruleSet.outcomes.count
    require(count > 0, "a checked rule set without outcomes")
    if let notInForce = decision.notInForceOn {
        require(notInForce == day, "not in force on another day than the closing day")
        let before = ruleSet.inForceFrom.map { day < $0 } ?? false
        let after = ruleSet.inForceUntil.map { day > $0 } ?? false
        require(before || after, "'not in force' on \(day), inside the rule set's period")
        require(decision.outcome == nil && decision.possibleOutcomes.isEmpty, "'not in force' with an outcome")
        return
    }
    if let outcome = decision.outcome {
        require((0..<count).contains(outcome), "outcome index \(outcome) out of 0..<\(count)")
        require(decision.possibleOutcomes.isEmpty && decision.missing.isEmpty, "a determined decision with open questions")
        return
    }
    let possible = decision.possibleOutcomes
    require(!possible.isEmpty, "undetermined without any possible outcome")
    require(possible.allSatisfy { (0..<count).contains($0) }, "a possible outcome out of range: \(possible)")
    require(possible == possible.sorted() && Set(possible).count == possible.count, "possible outcomes not in priority order: \(possible)")
    require(possible.count >= 2, "undetermined with only one possible outcome \(possible): that one would be the decision")
    require(
        !decision.missing.isEmpty || !decision.problems.isEmpty,
        "undetermined with neither a missing input nor a problem to say why")
    for index in decision.missing.indices {
        require(index < inputs.count && inputs[index] == nil, "input \(index) reported missing but it was given")
    }
}

/// Every data error names a place in the file and says what is wrong.
func checkDataErrors(_ errors: DataErrors, bytes: [UInt8]) {
    require(!errors.errors.isEmpty, "a failure without an error")
    let lines = 1 + bytes.filter { $0 == 0x0A || $0 == 0x0D }.count
    for error in errors.errors {
        require(!error.message.isEmpty, "an error without a message")
        require(
            error.line >= 1 && error.line <= lines && error.column >= 1,
            "error placed at \(error.line):\(error.column), outside the file: \(error.message)")
    }
}
