import Foundation
import SoeCLI
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// `soe evaluate --format record` and `soe verify`, in-process and through the built binary:
/// the messages, and an exit code for each kind of failure.
@Suite("soe verify")
struct VerifyCommandTests {
    /// A scratch archive made by `soe evaluate --format record` itself.
    struct Archive {
        let folder: ScratchFolder
        var rules: String { folder.path + "/rsv_2014.rules" }
        var input: String { folder.path + "/kaffekollektivet.json" }
        var record: String { folder.path + "/kaffekollektivet.record.json" }

        init() throws {
            folder = try ScratchFolder()
            try folder.copy("rules/rsv_2014.rules")
            try folder.copy("samples/kaffekollektivet.json")
            let (code, _, error) = runInProcess(["evaluate", "--rules", rules, "--format", "record", "--output", record, input])
            #expect(code == .success, "\(error)")
        }

        var arguments: [String] { ["verify", record, "--rules", rules, input] }
    }

    @Test("a record saved again as UTF-16 is named as such by verify and dossier, with the fix")
    func utf16Record() throws {
        let archive = try Archive()
        let text = try String(contentsOfFile: archive.record, encoding: .utf8)
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Data(bytes).write(to: URL(fileURLWithPath: archive.record))
        let expected = "it is UTF-16 (little-endian), as a program such as Notepad saves it again, not the UTF-8 soe writes records in"
        let (code, _, error) = runInProcess(archive.arguments)
        #expect(code != .success)
        #expect(error.contains(expected), "\(error)")
        let (_, _, dossier) = runInProcess(["dossier", archive.record])
        #expect(dossier.contains(expected), "\(dossier)")
    }

    @Test("in-process: an unchanged record verifies with exit 0 and a 'verified' line")
    func verifiedInProcess() throws {
        let archive = try Archive()
        let (code, out, error) = runInProcess(archive.arguments)
        #expect(code == .success)
        #expect(out.hasPrefix("verified: \(archive.record): the rules and the input give the same decision"))
        #expect(out.contains("decision: social_economy, Kaffekollektivet ApS (CVR 13748136), fiscal year 2024"))
        #expect(error.isEmpty)
    }

    @Test(
        "in-process: each change is detected, named, and exits 1",
        arguments: [
            ("rsv_2014.rules", "= 35 % from 2015-01-01", "= 30 % from 2015-01-01", "rule file changed: "),
            ("kaffekollektivet.json", "\"grants\": \"200000.00\"", "\"grants\": \"200001.00\"", "input changed: "),
            ("kaffekollektivet.record.json", "\"fiscal_year\": 2024", "\"fiscal_year\": 2023", "record edited: "),
        ])
    func changeDetected(file: String, old: String, new: String, kind: String) throws {
        let archive = try Archive()
        try archive.folder.edit(file, replacing: old, with: new)
        let (code, out, _) = runInProcess(archive.arguments)
        #expect(code == .findings)
        #expect(out.hasPrefix("NOT VERIFIED: \(archive.record): 1 finding"))
        #expect(out.contains("\n  \(kind)"), "\(out)")
        if kind == "rule file changed: " { #expect(out.contains("rule file changed: \(archive.rules): recorded sha256")) }
        if kind == "record edited: " { #expect(out.contains("fiscal year: recorded 2023, now 2024"), "named: \(out)") }
    }

    @Test(
        "in-process: exit codes for usage, broken rules, bad data, a bad record and a missing file",
        arguments: [
            (["verify"], ExitCode.usage, "--rules is required"),
            (["verify", "--rules", "R"], .usage, "give the record and the firm file"),
            (["verify", "REC", "--rules", "R", "IN", "--bogus"], .usage, "unknown option --bogus"),
            (["verify", "REC", "--rules", "BROKEN", "IN"], .rulesError, "the record cannot be re-evaluated"),
            (["verify", "REC", "--rules", "R", "BADDATA"], .dataError, "error:"),
            (["verify", "NOTRECORD", "--rules", "R", "IN"], .dataError, "not a decision record"),
            (["verify", "REC", "--rules", "R", "NOFILE"], .ioError, "no such file"),
        ])
    func exitCodes(arguments: [String], expected: ExitCode, message: String) throws {
        let archive = try Archive()
        try archive.folder.write("broken.rules", try archive.folder.read("rsv_2014.rules").replacing("classify", with: "clasify"))
        try archive.folder.write(
            "bad.json",
            try archive.folder.read("kaffekollektivet.json")
                .replacing("\"grants\": \"200000.00\"", with: "\"grants\": \"1.234,50\""))
        try archive.folder.write("trace.json", "{\"schema\": \"soe-trace/1\"}")
        let names = [
            "REC": archive.record, "R": archive.rules, "IN": archive.input, "BROKEN": archive.folder.path + "/broken.rules",
            "BADDATA": archive.folder.path + "/bad.json", "NOTRECORD": archive.folder.path + "/trace.json",
            "NOFILE": archive.folder.path + "/nothing.json",
        ]
        let (code, out, error) = runInProcess(arguments.map { names[$0] ?? $0 })
        #expect(code == expected, "\(out)\(error)")
        #expect((out + error).contains(message), "\(out)\(error)")
    }

    @Test("--help explains the findings and the exit codes")
    func help() {
        let (code, out, _) = runInProcess(["verify", "--help"])
        #expect(code == .success)
        for phrase in [
            "Usage: soe verify <record.json> --rules", "record edited", "rule file changed", "input changed",
            "decision changed", "Exit codes: 0 verified, 1",
        ] {
            #expect(out.contains(phrase), "missing: \(phrase)")
        }
    }

    @Test("end to end: the built binary writes a record, verifies it, and names each change")
    func endToEnd() throws {
        let folder = try ScratchFolder()
        let rules = try folder.copy("rules/rsv_2014.rules")
        let input = try folder.copy("samples/kaffekollektivet.json")
        let record = folder.path + "/record.json"
        let written = try runSoe(["evaluate", "--rules", rules, "--format", "record", "--output", record, input])
        #expect(written.exitCode == 0, "\(written.stderr)")

        let verified = try runSoe(["verify", record, "--rules", rules, input])
        #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("verified: "))

        try folder.edit("rsv_2014.rules", replacing: "= 50 % from 2015-01-01", with: "= 40 % from 2015-01-01")
        let ruleChanged = try runSoe(["verify", record, "--rules", rules, input])
        #expect(ruleChanged.exitCode == 1)
        #expect(ruleChanged.stdout.contains("rule file changed: \(rules): recorded sha256"))
        try folder.copy("rules/rsv_2014.rules")

        try folder.edit("kaffekollektivet.json", replacing: "\"cvr\": \"13748136\"", with: "\"cvr\": \"13748136\" ")
        let inputChanged = try runSoe(["verify", record, "--rules", rules, input])
        #expect(inputChanged.exitCode == 1)
        #expect(inputChanged.stdout.contains("input changed: \(input): recorded sha256"))
        #expect(inputChanged.stdout.contains("the decision is unchanged: social_economy"))
        try folder.copy("samples/kaffekollektivet.json")

        try folder.edit("record.json", replacing: "\"status\": \"determined\"", with: "\"status\": \"undetermined\"")
        let edited = try runSoe(["verify", record, "--rules", rules, input])
        #expect(edited.exitCode == 1)
        #expect(edited.stdout.contains("record edited: its record_sha256 is "))
        #expect(edited.stdout.contains("decision status: recorded undetermined, now determined"), "named, not by pointer: \(edited.stdout)")
        #expect(!edited.stdout.contains("/decision/status"))
    }

    @Test("a file that does not start as JSON is refused at its first bytes, not read to the 2 GiB limit")
    func notARecord() throws {
        // A device without end: before, read to 2 GiB (and, with memory limited, stopped by the
        // allocator instead of a message); since session 20 refused as a device before its first read.
        let zero = try runSoe(["verify", "/dev/zero", "--rules", "rules/rsv_2014.rules", "samples/kaffekollektivet.json"])
        #expect(zero.exitCode == 5, "\(zero.stderr)")
        #expect(zero.stderr.contains("cannot read /dev/zero: it is a device, not a file"), "\(zero.stderr)")
        // Zeros in a file: refused at the first bytes as no record.
        let folder = NSTemporaryDirectory() + "soe-zeros-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(count: 1 << 20).write(to: URL(fileURLWithPath: folder + "/zeros.json"))
        let zeros = try runSoe(["verify", folder + "/zeros.json", "--rules", "rules/rsv_2014.rules", "samples/kaffekollektivet.json"])
        #expect(zeros.exitCode == 5, "\(zeros.stderr)")
        #expect(zeros.stderr.contains("zeros.json: it is not a decision record"), "\(zeros.stderr)")
        #expect(zeros.stderr.contains("starts with the byte 0x00"))
        // The check's own verdicts: white space and a byte-order mark before `{` or `[`, and
        // nothing said where the first bytes cannot tell.
        func problem(_ bytes: [UInt8]) -> String? { bytes.withUnsafeBytes { DecisionRecord.startProblem($0) } }
        #expect(problem(Array("\u{FEFF} \n\t{\"a\": 1}".utf8)) == nil)
        #expect(problem(Array("  [".utf8)) == nil)
        #expect(problem(Array("   ".utf8)) == nil, "only white space so far: cannot tell")
        #expect(problem([]) == nil)
        #expect(problem(Array("id,name".utf8))?.contains("starts with 'i'") == true)
    }
}
