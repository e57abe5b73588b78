// The linter (`Sources/SoeLint`), run by the targets that produce rule sets: the one place in the
// fuzz targets that knows the linter's API.
import SoeEngine
import SoeLanguage
import SoeLint

/// Lints what the loader produced. When every rule set checked, the report is rendered in every
/// format and the JSON ones must parse; when there are language errors the checks do not run, and
/// rendering those errors again (SARIF alone is half a megabyte for a file of garbage) would only
/// slow the fuzzer down, so only the short form is made.
func lintHook(_ result: RuleLoader.Result) {
    let report = Linter.lint([result])
    let formats: [LintRenderer.Format] = result.hasErrors ? [.short] : LintRenderer.Format.allCases
    for format in formats {
        let text = LintRenderer.render(report, as: format)
        if format == .json || format == .sarif {
            guard case .success = JSONReader.parse(Array(text.utf8)) else { fail("lint --format \(format) is not JSON:\n\(text)") }
        }
    }
}
