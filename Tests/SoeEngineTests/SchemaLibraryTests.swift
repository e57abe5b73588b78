import Foundation
import SoeTestSupport
import Testing

/// `soe schema` loads rules as the other commands do: a municipality's folder that builds on the
/// bundled national screening gives its schema without `rules/` beside it (it stopped with E301).
@Suite struct SchemaLibraryTests {
    @Test func aRuleSetBuiltOnABundledOneHasItsSchema() throws {
        let result = try runSoe(["schema", "--rules", "samples/kommune/", "--lang", "da"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("E301"))
        // The inputs come from the bundled anden_aktoer, with their Danish descriptions.
        #expect(result.stdout.contains("\"market_sales\""))
        #expect(result.stdout.contains("\"$schema\""))
    }
}
