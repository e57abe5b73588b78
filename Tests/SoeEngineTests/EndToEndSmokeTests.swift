import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// The README's first command, run through the real binary.
@Suite("end to end: the README's sample command")
struct EndToEndSmokeTests {
    @Test("evaluating the bundled sample classifies it and exits 0")
    func readmeSample() throws {
        let result = try runSoe(["evaluate", "--rules", "rules/rsv_2014.rules", "samples/kaffekollektivet.json", "--lang", "en"])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("Result: Social-economy enterprise (can be registered)"))
        // The sample also carries the anden-aktør screening's data, which this rule set does not use.
        #expect(result.stderr.contains("samples/kaffekollektivet.json:32:3: warning: ordinary_employees: not used by the rule sets in use"))
        #expect(!result.stderr.contains("error"))
    }

    @Test("an unknown command is a usage error with exit code 2")
    func unknownCommand() throws {
        let result = try runSoe(["evaluat"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("did you mean 'evaluate'?"))
    }
}
