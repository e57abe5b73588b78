// Fuzz target `evaluate`: fuzz bytes → a small rule set that checks and a firm for it (see
// `RuleGenerator`) → lint (when the engine has a linter), read, bind, evaluate, trace, render as
// text (Danish and English) and JSON.
// Beyond "no crash" it checks the decision's invariants (`checkDecision`), that the JSON trace
// parses and is byte-identical on a second run, and that three-valued logic is monotone: filling in
// the missing inputs never changes a decided outcome, and lands on one of the possible outcomes.
// With SOE_FUZZ_PRINT=1 it prints the generated rule file and firm, to turn a finding into a fixture.
import Foundation
import SoeLanguage

// Testable: the register program is held to `evaluate(_:)` alone (`Evaluator(ruleSet:compiled:)`),
// as `WordProgramTests` does on its own generated rule sets.
@testable import SoeEngine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEvaluate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    runEvaluate(bytes)
    return 0
}

/// Read once: a lookup per run would cost time and fill the fuzzer's dictionary with variable names.
let printCases = ProcessInfo.processInfo.environment["SOE_FUZZ_PRINT"] == "1"

func runEvaluate(_ bytes: [UInt8]) {
    var generator = RuleGenerator(bytes)
    let generated = generator.generate()
    if printCases {
        print("--- rules\n\(generated.rules)--- firm\n\(generated.firm)\n---")
    }
    let result = RuleLoader.load([SourceFile(path: "fuzz.rules", text: generated.rules)])
    guard let ruleSet = result.ruleSets.first, !result.hasErrors else {
        let shown = result.diagnostics.map(DiagnosticRenderer.oneLine).joined(separator: "\n")
        fail("a generated rule file does not check:\n\(generated.rules)\n\(shown)")
    }
    lintHook(result)
    let names = Set(ruleSet.inputs.map(\.name))
    let firm: Firm
    switch FirmReader.readJSON(Array(generated.firm.utf8), source: "fuzz.json", knownInputs: names) {
    case .failure(let errors):
        checkDataErrors(errors, bytes: Array(generated.firm.utf8))
        return
    case .success(let read): firm = read
    }
    switch firm.bind(to: ruleSet) {
    case .failure(let errors):
        checkDataErrors(errors, bytes: Array(generated.firm.utf8))
    case .success(let bound):
        evaluateAndRender(firm, bound, ruleSet)
        checkProgram(ruleSet, bound.values, firm.closingDay)
        if !generated.usesIsKnown { checkRefinement(ruleSet, bound.values, firm.closingDay, &generator.input) }
    }
}

/// The register program, fused (as a batch without traces and one firm run it) and unfused (as a
/// batch with traces does), against `evaluate(_:)` alone: the same decision, values and criteria,
/// and every node's value once the whole program has run, as a trace reads them.
func checkProgram(_ ruleSet: RuleSet, _ values: [Scalar?], _ day: Day) {
    var reference = Evaluator(ruleSet: ruleSet, compiled: false)
    let expected = reference.evaluate(inputs: values, on: day)
    reference.settleEverything()
    for fusing in [true, false] {
        var compiled = Evaluator(ruleSet: ruleSet, compiled: true, fusing: fusing)
        let decision = compiled.evaluate(inputs: values, on: day)
        require(decision == expected, "the register program (fusing \(fusing)) decided \(decision); evaluate(_:) alone \(expected)")
        require(compiled.valueResults == reference.valueResults, "the register program (fusing \(fusing)) gave other values")
        require(compiled.criterionResults == reference.criterionResults, "the register program (fusing \(fusing)) gave other criteria")
        guard decision.notInForceOn == nil else { continue }
        compiled.settleEverything()
        for node in ruleSet.nodes.indices {
            require(
                compiled.evaluate(Int32(node)) == reference.evaluate(Int32(node)),
                "the register program (fusing \(fusing)) gave node \(node) another value")
        }
    }
}

/// Kleene logic is monotone: knowing more can turn unknown into known, never change a known result.
/// So with every missing input filled in, a decided firm keeps its outcome, and an undecided one
/// gets one of the outcomes it was told were still possible.
func checkRefinement(_ ruleSet: RuleSet, _ values: [Scalar?], _ day: Day, _ bytes: inout FuzzBytes) {
    guard values.contains(where: { $0 == nil }) else { return }
    var evaluator = Evaluator(ruleSet: ruleSet)
    let before = evaluator.evaluate(inputs: values, on: day)
    var filled = values
    for (index, input) in ruleSet.inputs.enumerated() where filled[index] == nil {
        filled[index] = fillValue(input, ruleSet, &bytes)
    }
    let after = evaluator.evaluate(inputs: filled, on: day)
    guard before.notInForceOn == nil else { return }
    if let outcome = before.outcome {
        require(
            after.outcome == outcome,
            "filling in missing inputs changed the decided outcome \(outcome) to \(String(describing: after.outcome))")
    } else if let outcome = after.outcome {
        require(
            before.possibleOutcomes.contains(outcome),
            "the outcome \(outcome) after filling in was not among the possible \(before.possibleOutcomes)")
    } else {
        require(Set(after.possibleOutcomes).isSubset(of: before.possibleOutcomes), "filling in made other outcomes possible")
    }
}

/// A valid value for an input, within its bounds.
func fillValue(_ input: InputDefinition, _ ruleSet: RuleSet, _ bytes: inout FuzzBytes) -> Scalar {
    switch input.type {
    case .bool: return .bool(bytes.bool())
    case .date:
        guard let day = Day(year: 2000 + bytes.int(30), month: 1 + bytes.int(12), day: 1 + bytes.int(28)) else { fail("no such day") }
        return .date(day)
    case .text: return .text(bytes.pick(["", "abc"]))
    case .choice(let set): return .choice(bytes.int(ruleSet.choiceSets[set].count))
    case .money, .percent, .count, .number:
        let candidates = [Exact.zero, Exact.one, Exact(integer: 7), Exact(øre: 250), Exact(integer: 1_000_000)]
        var value = bytes.pick(candidates)
        if let maximum = input.maximum, value > maximum { value = maximum }
        if let minimum = input.minimum, value < minimum { value = minimum }
        return .number(value)
    }
}
