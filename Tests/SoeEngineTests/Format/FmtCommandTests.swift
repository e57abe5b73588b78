import Foundation
import SoeTestSupport
import Testing

@testable import SoeCLI
@testable import SoeEngine
@testable import SoeLanguage

/// `soe fmt` end to end: the built binary, its exit codes, and what it writes and does not write.
@Suite("soe fmt: the command")
struct FmtCommandTests {
    /// A scratch folder with the messy fixture and the rule set it builds on.
    static func messyFolder() throws -> ScratchFolder {
        let folder = try ScratchFolder()
        try folder.copy("Tests/SoeEngineTests/Fixtures/fmt/messy.rules")
        try folder.copy("Tests/SoeEngineTests/Fixtures/fmt/base_set.rules")
        return folder
    }

    static func golden() throws -> String { try FormatProperties.text(TestPaths.golden + "/fmt/messy.rules") }

    @Test("--check lists the file that would change, exits 1 and writes nothing; a canonical file exits 0")
    func check() throws {
        let folder = try Self.messyFolder()
        let before = try folder.read("messy.rules")
        let result = try runSoe(["fmt", "--check", folder.path + "/messy.rules"])
        #expect(result.exitCode == 1)
        #expect(result.stdout == folder.path + "/messy.rules\n")
        #expect(result.stderr.contains("1 file would be reformatted"))
        #expect(try folder.read("messy.rules") == before)
        try folder.write("canonical.rules", try Self.golden())
        try folder.write("canonical.rules", try Self.golden())
        let clean = try runSoe(["fmt", "--check", folder.path + "/canonical.rules"])
        #expect(clean.exitCode == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.isEmpty)
    }

    @Test("a rule file's problems follow --lang, then LANG, as check's do; the file is left as it was")
    func problemsInTheLanguage() throws {
        let folder = try ScratchFolder()
        let broken = "ruleset x \"X\"\ninput a: money \"A\"\nvalue v \"V\" = a +\n"
        try folder.write("x.rules", broken)
        let path = folder.path + "/x.rules"
        for (arguments, environment, said) in [
            (["fmt", "--lang", "da", path], [:], "fejl[E"),
            (["fmt", path], ["LANG": "da_DK.UTF-8"], "fejl[E"),
            (["fmt", "--lang", "en", path], ["LANG": "da_DK.UTF-8"], "error[E"),
        ] {
            let run = try runSoe(arguments, environment: environment)
            #expect(run.exitCode == 3, "\(arguments): \(run.stderr)")
            #expect(run.stderr.hasPrefix(said), "\(arguments) \(environment): \(run.stderr)")
        }
        #expect(try folder.read("x.rules") == broken)
        let wrong = try runSoe(["fmt", "--lang", "de", path])
        #expect(wrong.exitCode == 2 && wrong.stderr.contains("--lang must be da or en"), "\(wrong.stderr)")
    }

    @Test("without flags the file is rewritten in place, keeps its permissions, and a second run changes nothing")
    func inPlace() throws {
        let folder = try Self.messyFolder()
        let path = folder.path + "/messy.rules"
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let result = try runSoe(["fmt", path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == "formatted \(path)\n")
        #expect(try folder.read("messy.rules") == (try Self.golden()))
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o640)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(leftovers == ["base_set.rules", "messy.rules"], "no temporary file is left")
        let again = try runSoe(["fmt", path])
        #expect(again.exitCode == 0)
        #expect(again.stdout.isEmpty)
        #expect(again.stderr.contains("0 files reformatted, 1 already in the canonical layout"))
    }

    @Test("one file given three ways is formatted and counted once; a hard link that keeps the old text is said")
    func oneFileManyNames() throws {
        let folder = try Self.messyFolder()
        let path = folder.path + "/messy.rules"
        let check = try runSoe(["fmt", "--check", folder.path, path, folder.path + "/./messy.rules"])
        #expect(check.exitCode == 1)
        #expect(check.stdout == "\(folder.path)/messy.rules\n", "\(check.stdout)")
        #expect(check.stderr.contains("1 file would be reformatted, 1 already in the canonical layout"), "\(check.stderr)")
        let link = folder.path + "/other-name.rules.bak"
        try FileManager.default.linkItem(atPath: path, toPath: link)
        let before = try folder.read("other-name.rules.bak")
        let result = try runSoe(["fmt", path])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(try folder.read("messy.rules") == (try Self.golden()))
        #expect(try folder.read("other-name.rules.bak") == before)
        #expect(
            result.stderr.contains(
                "soe fmt: note: \(path) had 1 other name (a hard link), which keeps the old text; the file was replaced, not rewritten in place"
            ), "\(result.stderr)")
    }

    @Test("a file of another user is not called write-protected with a chmod that would not help")
    func otherUsersFile() {
        let own = WriteProtection(mode: "444", otherOwner: nil)
        #expect(own.reason == "the file is write-protected (mode 444)")
        let other = WriteProtection(mode: "644", otherOwner: 0)
        #expect(other.reason == "the file belongs to another user (uid 0) and only they may write it (mode 644)")
    }

    @Test("- reads standard input and writes the formatted file to standard output")
    func standardInput() throws {
        let messy = try FormatProperties.text(TestPaths.fixtures + "/fmt/base_set.rules").replacing("\n  ", with: "\n      ")
        let result = try runSoe(["fmt", "-"], stdin: messy)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout == (try FormatProperties.text(TestPaths.fixtures + "/fmt/base_set.rules")))
        let check = try runSoe(["fmt", "--check", "-"], stdin: messy)
        #expect(check.exitCode == 1)
        #expect(check.stdout == "<stdin>\n")
    }

    @Test("a file that does not parse or check is refused with its problems, exit 3, and left as it is")
    func refusesBrokenFile() throws {
        let folder = try ScratchFolder()
        let broken = "ruleset b \"B\"\n    in force from 2020-01-01\ninput x   money\n"
        let path = try folder.write("broken.rules", broken)
        let result = try runSoe(["fmt", path])
        #expect(result.exitCode == 3)
        #expect(result.stderr.contains("E1"), "\(result.stderr)")
        #expect(result.stderr.contains("it is left as it is"))
        #expect(try folder.read("broken.rules") == broken)
        // A type error is refused too: the formatter never writes a file that does not check.
        let typed = "ruleset t \"T\"\n  in force from 2020-01-01\ninput x: money \"X\"\ncriterion c \"C\" =   x > 5\n"
        let typedPath = try folder.write("typed.rules", typed)
        let refused = try runSoe(["fmt", typedPath])
        #expect(refused.exitCode == 3)
        #expect(try folder.read("typed.rules") == typed)
        // Counted as left as it was, not as already in the canonical layout.
        let checked = try runSoe(["fmt", "--check", typedPath])
        #expect(checked.exitCode == 3)
        #expect(
            checked.stderr.contains("0 files would be reformatted, 0 already in the canonical layout, 1 left as it was"),
            "\(checked.stderr)")
    }

    @Test("a write-protected file is not rewritten: exit 5, its bytes and mode as they were")
    func writeProtected() throws {
        let folder = try Self.messyFolder()
        let path = folder.path + "/messy.rules"
        let before = try folder.read("messy.rules")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path) }
        let result = try runSoe(["fmt", path])
        #expect(result.exitCode == 5)
        #expect(result.stderr.contains("messy.rules is write-protected (mode 444); it is left as it was"), "\(result.stderr)")
        #expect(result.stderr.contains("0 files reformatted, 0 already in the canonical layout, 1 left as it was"))
        #expect(try folder.read("messy.rules") == before)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o444)
        // --check and --diff only read it.
        #expect(try runSoe(["fmt", "--check", path]).exitCode == 1)
    }

    @Test("--diff prints a unified diff of what would change, exits 1 and writes nothing")
    func diff() throws {
        let folder = try Self.messyFolder()
        let before = try folder.read("messy.rules")
        let result = try runSoe(["fmt", "--diff", folder.path + "/messy.rules"])
        #expect(result.exitCode == 1)
        #expect(result.stdout.hasPrefix("--- \(folder.path)/messy.rules\n+++ \(folder.path)/messy.rules (formatted)\n@@ -"))
        #expect(result.stdout.contains("\n-input  paid:money max 1_000_000 kr min -5 kr \"Betalt\" en \"Paid\"\n"))
        #expect(result.stdout.contains("\n+input paid: money \"Betalt\" en \"Paid\"\n"))
        #expect(try folder.read("messy.rules") == before)
    }

    @Test("usage: no path is exit 2; an unreadable path is exit 5")
    func usage() throws {
        #expect(try runSoe(["fmt"]).exitCode == 2)
        #expect(try runSoe(["fmt", "--frobnicate", "rules"]).exitCode == 2)
        let missing = try runSoe(["fmt", "no-such-file.rules"])
        #expect(missing.exitCode == 5)
    }
}
