import Foundation
import Testing

/// The end-to-end tests hand `soe` its standard input through a pipe. A child that exits before
/// reading it must not take the test process down with it.
@Suite("A child that exits without reading its input")
struct ChildInputTests {
    @Test("a usage error with 1 MB waiting on standard input: exit 2 and its message, the tests go on")
    func usageErrorWithInputWaiting() throws {
        // More than a pipe holds (64 KB on Linux): the write waits until the child has exited, and
        // then meets a pipe with no reader. Before `feed(_:to:)` ignored SIGPIPE, this ended the
        // whole test process with signal 13.
        let input = String(repeating: "P1,Firma,13748136,2024,aps,1,1,1,1,true,n\n", count: 25_000)
        let result = try runSoe(["evaluate", "--rules", "rules", "--input-format", "csv", "--jobs", "0", "-"], stdin: input)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--jobs must be a whole number from 1 to 64, not '0'"), "stderr: \(result.stderr)")
    }
}
