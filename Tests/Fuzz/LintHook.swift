// The linter, when the engine has one (`Sources/SoeEngine/Lint/`): `.ci/fuzz.sh` compiles the
// targets with `-D SOE_LINT` then, and this file is the one place that knows the linter's API.
// If the API changes, the script says so and builds the targets without linting; update this call.
import SoeEngine

/// Lints what the loader produced. When every rule set checked, the report is rendered in every
/// format and the JSON ones must parse; when there are language errors the checks do not run, and
/// rendering those errors again (SARIF alone is half a megabyte for a file of garbage) would only
/// slow the fuzzer down, so only the short form is made.
func lintHook(_ result: RuleLoader.Result) {
    #if SOE_LINT
        let report = Linter.lint([result])
        let formats: [LintRenderer.Format] = result.hasErrors ? [.short] : LintRenderer.Format.allCases
        for format in formats {
            let text = LintRenderer.render(report, as: format)
            if format == .json || format == .sarif {
                guard case .success = JSONReader.parse(Array(text.utf8)) else { fail("lint --format \(format) is not JSON:\n\(text)") }
            }
        }
    #endif
}
