import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// Rule sets as a library: `builds on` finds a rule set among the paths given, next to the file,
/// in `SOE_RULES_PATH`, then among the bundled rule sets, without a copy.
@Suite("rule sets as a library")
struct RuleLibraryTests {
    static let mine = """
        ruleset mine "Min kommune"
          builds on rsv_2014
          source "Min Kommune, notat af 1. januar 2024"
          version "1.0"
          in force from 2024-01-01
        override parameter dividend_cap
          policy "Min Kommune, notat af 1. januar 2024, punkt 2"
          = 30 % from 2024-01-01

        """

    @Test("a rule set building on a bundled one needs no copy; the record names bundled:rsv_2014.rules and its hash")
    func bundledFallback() throws {
        let folder = try ScratchFolder()
        let mine = try folder.write("mine.rules", Self.mine)
        let check = try runSoe(["check", mine])
        #expect(check.exitCode == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("checked 1 rule set (mine): no errors"))
        let record = try runSoe(["evaluate", "--rules", mine, "--format", "record", "samples/kaffekollektivet.json"])
        #expect(record.exitCode == 0, "\(record.stderr)")
        let hash = SHA256.hex(try RecordFixtures.bytes("rules/rsv_2014.rules"))
        #expect(record.stdout.contains("\"path\": \"bundled:rsv_2014.rules\""), "\(record.stdout)")
        #expect(record.stdout.contains(hash))
        // soe verify re-evaluates the record with the bundled copy and compares its hash.
        let recordPath = try folder.write("record.json", record.stdout)
        let verify = try runSoe(["verify", recordPath, "--rules", mine, "samples/kaffekollektivet.json"])
        #expect(verify.exitCode == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("rule file: bundled:rsv_2014.rules, sha256 \(hash)"), "\(verify.stdout)")
        // Without the library (an in-memory load), the parent is not found: nothing is found by accident.
        let alone = RuleLoader.load([SourceFile(path: mine, text: Self.mine)])
        #expect(alone.diagnostics.contains { $0.code == "E301" })
    }

    @Test("SOE_RULES_PATH: folders searched in order after the paths given; without it the parent is not found")
    func searchPath() throws {
        let folder = try ScratchFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/lib", withIntermediateDirectories: true)
        try folder.write(
            "lib/base.rules", "ruleset base \"Base\"\n  in force from 2020-01-01\ninput x: money \"X\"\nclassify\n  otherwise o \"O\"\n")
        let leaf = try folder.write(
            "leaf.rules", "ruleset leaf \"Leaf\"\n  builds on base\n  in force from 2020-01-01\ncriterion c \"C\" = x > 0 kr\n")
        let without = try runSoe(["check", leaf])
        #expect(without.exitCode == 3)
        #expect(without.stdout.contains("E301"))
        let with = try runSoe(["check", leaf], environment: ["SOE_RULES_PATH": "/nonexistent:" + folder.path + "/lib"])
        #expect(with.exitCode == 0, "\(with.stdout)\(with.stderr)")
        #expect(with.stdout.contains("checked 1 rule set (leaf): no errors"))
    }

    @Test("a given copy of a bundled rule set shadows it without an error, with a note when the two differ")
    func shadowing() throws {
        let folder = try ScratchFolder()
        try folder.copy("rules/rsv_2014.rules")
        try folder.edit("rsv_2014.rules", replacing: "= 35 % from 2015-01-01", with: "= 40 % from 2015-01-01")
        let mine = try folder.write("mine.rules", Self.mine)
        let result = try runSoe(["check", mine, folder.path + "/rsv_2014.rules"])
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("E307"))
        #expect(
            result.stderr.contains(
                "note: the rule set 'rsv_2014' is read from \(folder.path)/rsv_2014.rules, not from the bundled copy (bundled:rsv_2014.rules), which differs"
            ), "\(result.stderr)")
        // An unchanged copy (the project's own rules/) shadows silently.
        let same = try runSoe(["check", "rules/"])
        #expect(same.exitCode == 0)
        #expect(!same.stderr.contains("note:"))
    }

    @Test("two given declarations of one rule set are E307, across folders")
    func duplicateAcrossPaths() throws {
        let folder = try ScratchFolder()
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: folder.path + "/" + name, withIntermediateDirectories: true)
            try folder.write(name + "/x.rules", "ruleset x \"X\"\n  in force from 2020-01-01\nclassify\n  otherwise o \"O\"\n")
        }
        let result = try runSoe(["check", folder.path + "/a", folder.path + "/b"])
        #expect(result.exitCode == 3)
        #expect(result.stdout.contains("E307"))
        let lint = try runSoe(["lint", folder.path + "/a", folder.path + "/b"])
        #expect(lint.exitCode == 3)
    }

    @Test("the bundled copies compiled into soe are the files in rules/ (regenerate with SOE_RECORD=1)")
    func bundledCopyIsCurrent() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: TestPaths.rules).filter { $0.hasSuffix(".rules") }.sorted()
        let files = try names.map { ($0, try FormatProperties.text(TestPaths.rules + "/" + $0)) }
        let generated = Self.bundledSource(files)
        let path = TestPaths.root + "/Sources/SoeLanguage/Library/BundledRules.swift"
        if ProcessInfo.processInfo.environment["SOE_RECORD"] == "1" {
            try generated.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(
            (try? FormatProperties.text(path)) == generated,
            "BundledRules.swift is out of date with rules/; regenerate it with SOE_RECORD=1 swift test --filter RuleLibraryTests and rebuild"
        )
        #expect(BundledRules.files.map(\.name) == names)
        for (name, text) in files {
            #expect(BundledRules.files.first { $0.name == name }?.text == text, "\(name) differs from its bundled copy")
        }
    }

    /// The Swift source that holds the bundled rule files, as the test writes it.
    static func bundledSource(_ files: [(String, String)]) -> String {
        var lines = [
            "// Generated from rules/*.rules by RuleLibraryTests (SOE_RECORD=1 swift test --filter RuleLibraryTests); do not edit.",
            "// The bundled rule sets, compiled into `soe` so that `builds on rsv_2014` finds them without a copy.",
            "",
            "/// The text of every bundled rule file (`rules/*.rules`), by file name, sorted.",
            "enum BundledRules {",
            "    static let files: [(name: String, text: String)] = [",
        ]
        for (name, text) in files {
            lines += ["        (", "            \"\(name)\",", "            #\"\"\""]
            for line in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(line.isEmpty ? "" : "            " + line)
            }
            lines += ["            \"\"\"# + \"\\n\"", "        ),"]
        }
        lines += ["    ]", "}"]
        return lines.joined(separator: "\n") + "\n"
    }
}
