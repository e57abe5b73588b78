import SoeEngine
import SoeLanguage
import SoeLint

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

    /// Prints the library's notes to standard error, one line each.
    static func printNotes(_ result: RuleLoader.Result, command: String, language: Language, console: Console) {
        for note in result.notes { console.errorLine(DisplayText.line("soe \(command): \(note.text(language))")) }
    }

    /// The warning `soe evaluate` prints for a lint error: the rules run, but something in them is wrong.
    static func evaluateWarning(_ diagnostic: Diagnostic, language: Language) -> String {
        let lead =
            switch language {
            case .danish: "soe evaluate: advarsel: soe lint finder en fejl i reglerne (resultaterne er beregnet alligevel): "
            case .english: "soe evaluate: warning: soe lint finds an error in the rules (the results are computed all the same): "
            }
        return lead + DiagnosticRenderer.oneLine(diagnostic)
    }
}
