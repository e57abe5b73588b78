import Dispatch
import SoeEngine
import SoeLanguage
import SoeLint
import Synchronization

/// What every command that loads rules owes its user beyond the language errors: the lint findings
/// of error severity (an unreachable outcome is as wrong as a type error, though only the linter
/// can see it), and the notes of the rule library (a bundled rule set shadowed by another copy).
/// `SoeLanguage` cannot import `SoeLint`, so the two meet here.
enum RuleTruth {
    /// The lint findings of error severity in what was loaded, after `# soe:ignore` comments.
    static func lintErrors(_ result: RuleLoader.Result) -> [Diagnostic] {
        guard !result.hasErrors, !result.ruleSets.isEmpty else { return [] }
        // Only the checks that can report an error run (`Linter.errors`): the same findings as
        // `Linter.lint([result])` filtered to errors, at a fraction of the cost.
        return Linter.errors([result])
    }

    /// The lint errors of `result` worked out on a thread of their own, beside whatever the
    /// command does next (`soe evaluate`: the batch or the firm), and owed to the console first
    /// as `evaluate`'s warnings (`Console.putFirst`): the same lines, in the same place of the
    /// output, as `lintErrors` printed at once, while the evaluation does not wait for the
    /// analysis (docs/benchmark.md, "Steps of wave 3, session 10: cold start"). The command
    /// settles the console before it returns.
    static func oweLintErrors(_ result: RuleLoader.Result, language: Language, console: Console) {
        guard !result.hasErrors, !result.ruleSets.isEmpty else { return }
        let pending = PendingLines { lintErrors(result).map { evaluateWarning($0, language: language) + "\n" } }
        console.putFirst(ready: { pending.isReady }, lines: { pending.wait() })
        // A queue of its own gets a thread of its own (the global queue's threads may all be a
        // batch's workers), and writes the lines as soon as they are worked out. On a busy machine
        // that thread may not have started when the command needs the lines: the command then
        // works them out itself (`PendingLines.wait`), rather than wait for a core.
        DispatchQueue(label: "soe.lint-errors").async {
            if pending.work() { console.settle() }
        }
    }

    /// Prints the library's notes to standard error, one line each.
    static func printNotes(_ result: RuleLoader.Result, command: String, language: Language, console: Console) {
        for note in result.notes { console.errorLine(DisplayText.line("soe \(command): \(note.text(language))")) }
        for file in result.skipped { console.errorLine(DisplayText.line("soe \(command): \(file.text(language))")) }
    }

    /// Prints each lint error of `result` as `command`'s warning (`soe diff`, `soe test`, `soe
    /// verify`: the rules are used as they are, and what `soe check` refuses in them is said).
    static func warnLintErrors(_ result: RuleLoader.Result, command: String, side: String? = nil, language: Language, console: Console) {
        for diagnostic in lintErrors(result) {
            console.errorLine(warning(diagnostic, command: command, side: side, language: language))
        }
    }

    /// The warning `soe evaluate` prints for a lint error: the rules run, but something in them is wrong.
    static func evaluateWarning(_ diagnostic: Diagnostic, language: Language) -> String {
        warning(diagnostic, command: "evaluate", side: nil, language: language)
    }

    /// The warning for a lint error, for `command`; `side` names the old or the new rules of a diff.
    static func warning(_ diagnostic: Diagnostic, command: String, side: String?, language: Language) -> String {
        let rules =
            switch (side, language) {
            case ("old", .danish): "de gamle regler"
            case ("new", .danish): "de nye regler"
            case (let side?, .english): "the \(side) rules"
            case (_, .danish): "reglerne"
            case (nil, .english): "the rules"
            }
        let all =
            switch (command, language) {
            case ("test", .danish): "testene er kørt alligevel"
            case ("test", .english): "the tests are run all the same"
            case ("verify", .danish): "posterne er kontrolleret alligevel"
            case ("verify", .english): "the records are checked all the same"
            case (_, .danish): "resultaterne er beregnet alligevel"
            case (_, .english): "the results are computed all the same"
            }
        let lead =
            switch language {
            case .danish: "soe \(command): advarsel: soe lint finder en fejl i \(rules) (\(all)): "
            case .english: "soe \(command): warning: soe lint finds an error in \(rules) (\(all)): "
            }
        return lead + DiagnosticRenderer.oneLine(diagnostic)
    }
}

/// Lines worked out once, by whichever thread comes first: the thread started for them (`work`)
/// or the one that needs them (`wait`), which otherwise waits for the other to finish.
final class PendingLines: Sendable {
    private let make: @Sendable () -> [String]
    private let lines = Mutex<[String]?>(nil)
    /// 0 before anyone has taken the work, 1 once someone has.
    private let taken = Atomic<Int>(0)
    private let done = DispatchSemaphore(value: 0)

    init(_ make: @escaping @Sendable () -> [String]) {
        self.make = make
    }

    /// Works the lines out unless another thread has taken that on; true when this call did.
    func work() -> Bool {
        guard taken.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing).exchanged else { return false }
        let made = make()
        lines.withLock { $0 = made }
        done.signal()
        return true
    }

    /// Whether the lines are worked out.
    var isReady: Bool { lines.withLock { $0 != nil } }

    /// The lines: worked out here if no thread has begun to, else once that thread has them.
    func wait() -> [String] {
        if !work() { done.wait() }
        return lines.withLock { $0 } ?? []
    }
}
