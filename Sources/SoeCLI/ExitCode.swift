/// The exit codes of `soe`, by kind of failure, so that scripts can tell them apart.
/// Documented in docs/cli.md; a test checks each.
public enum ExitCode: Int32, CaseIterable, Sendable, Error {
    /// The command did what was asked (an undetermined classification is a valid answer).
    case success = 0
    /// `lint` found problems at or above `--fail-level`; `verify` found that a record does not match;
    /// `test` found a rule test that fails, or coverage below `--min-coverage`; `fmt --check` or
    /// `--diff` found a file that is not in the canonical layout.
    case findings = 1
    /// The command line is wrong: unknown command or flag, missing argument, a single-valued flag
    /// given twice, a flag where a value belongs, an `--output` that is one of the inputs.
    case usage = 2
    /// A rule file does not parse or check.
    case rulesError = 3
    /// Firm data is malformed or invalid (in a batch: at least one row was rejected).
    case dataError = 4
    /// A file could not be read or written: standard input, output or error closed or broken too,
    /// an input over its size limit, a write-protected `--output`.
    case ioError = 5
    /// Interrupted by SIGINT, SIGTERM or SIGHUP before finishing.
    case interrupted = 6

    public var summary: String {
        switch self {
        case .success: "success"
        case .findings:
            "lint findings at or above --fail-level, a decision record that does not verify, a rule test that fails"
                + " (or coverage below --min-coverage), or a rule file that soe fmt --check/--diff would change"
        case .usage: "usage error: unknown command or flag, missing or bad argument, a flag given twice, --output naming an input"
        case .rulesError: "a rule file does not parse or check"
        case .dataError: "firm data is malformed or invalid (in a batch: at least one row was rejected)"
        case .ioError: "a file or standard stream could not be read or written, or an input is over its size limit"
        case .interrupted: "interrupted (SIGINT/SIGTERM/SIGHUP) before finishing; partial output was removed"
        }
    }
}
