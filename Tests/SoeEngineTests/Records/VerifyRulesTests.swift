import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// `soe verify` finds the rules as `soe evaluate` found them: `--rules` given more than once, and
/// a rule set built upon looked for in `SOE_RULES_PATH` and among the bundled copies.
@Suite("soe verify: the rules given and the library")
struct VerifyRulesTests {
    @Test("--rules given twice: a record made from two folders verifies against both, not against one")
    func repeatedRules() throws {
        let folder = try ScratchFolder()
        for name in ["mine", "base"] {
            try FileManager.default.createDirectory(atPath: folder.path + "/" + name, withIntermediateDirectories: true)
        }
        let mine = try folder.write("mine/mine.rules", RuleLibraryTests.mine)
        let base = try folder.copy("rules/rsv_2014.rules", as: "base/rsv_2014.rules")
        let firm = "samples/kaffekollektivet.json"
        let made = try runSoe(["evaluate", "--rules", mine, "--rules", base, "--ruleset", "mine", "--format", "record", firm])
        #expect(made.exitCode == 0, "\(made.stderr)")
        #expect(made.stdout.contains("\"path\": \"\(base)\""), "the parent is recorded where it was given")
        let record = try folder.write("record.json", made.stdout)

        let both = try runSoe(["verify", record, "--rules", mine, "--rules", base, firm])
        #expect(both.exitCode == 0, "\(both.stdout)\(both.stderr)")
        #expect(both.stdout.contains("verified"))
        #expect(both.stdout.contains("rule file: \(base)"), "\(both.stdout)")

        // Without the parent's folder the bundled copy is read instead, at another path: named.
        let one = try runSoe(["verify", record, "--rules", mine, firm])
        #expect(one.exitCode == 1, "\(one.stdout)\(one.stderr)")
        #expect(one.stdout.contains("NOT VERIFIED"))
        #expect(one.stdout.contains("rule file missing"), "\(one.stdout)")
        #expect(try folder.read("record.json") == made.stdout, "the record is untouched")
    }

    @Test("a parent found through SOE_RULES_PATH when the record was made is found there again")
    func searchPath() throws {
        let folder = try ScratchFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/lib", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.path + "/leaf", withIntermediateDirectories: true)
        try folder.copy("rules/rsv_2014.rules", as: "lib/rsv_2014.rules")
        try folder.edit("lib/rsv_2014.rules", replacing: "= 35 % from 2015-01-01", with: "= 40 % from 2015-01-01")
        let mine = try folder.write("leaf/mine.rules", RuleLibraryTests.mine)
        let environment = ["SOE_RULES_PATH": folder.path + "/lib"]
        let firm = "samples/kaffekollektivet.json"
        let made = try runSoe(["evaluate", "--rules", mine, "--format", "record", firm], environment: environment)
        #expect(made.exitCode == 0, "\(made.stderr)")
        #expect(made.stdout.contains("\"path\": \"\(folder.path)/lib/rsv_2014.rules\""), "\(made.stdout)")
        let record = try folder.write("record.json", made.stdout)

        let verified = try runSoe(["verify", record, "--rules", mine, firm], environment: environment)
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("rule file: \(folder.path)/lib/rsv_2014.rules"), "\(verified.stdout)")

        // Without SOE_RULES_PATH the bundled copy, which differs, is not taken for the archived one.
        let without = try runSoe(["verify", record, "--rules", mine, firm])
        #expect(without.exitCode == 1, "\(without.stdout)\(without.stderr)")
        #expect(without.stdout.contains("NOT VERIFIED"))
    }
}
