import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Decisions, records and scratch folders for the record, verify and dossier tests.
enum RecordFixtures {
    /// A firm whose accounts are not in: no market sales and no municipal sales, so `commercial`
    /// cannot be decided. Its name carries characters that HTML must escape. A file, so that
    /// `.ci/render-html.sh` renders the same firm.
    static let undeterminedFirmPath = "Tests/SoeEngineTests/Golden/records/smedjen.json"

    static func undeterminedFirm() throws -> String { String(decoding: try bytes(undeterminedFirmPath), as: UTF8.self) }

    /// The bytes of a file in the package, or a test failure.
    static func bytes(_ relativePath: String) throws -> [UInt8] {
        let data = try #require(
            FileManager.default.contents(atPath: TestPaths.root + "/" + relativePath),
            "cannot read \(relativePath)")
        return [UInt8](data)
    }

    /// Decides a firm under rule files given as (label, bytes), labelled as the CLI would label
    /// them when run from the package root, so that goldens do not depend on where the package is.
    static func trace(
        rules: [(String, [UInt8])], firm: [UInt8], source: String,
        engineVersion: String = SoeVersion.current
    ) throws -> Trace {
        let loaded = RuleLoader.load(rules.map { SourceFile(path: $0.0, bytes: $0.1) })
        #expect(!loaded.hasErrors, "the rules have errors: \(loaded.diagnostics.map(\.message))")
        let ruleSet = try #require(loaded.ruleSets.last)
        let known = Set(loaded.ruleSets.flatMap { $0.inputs.map(\.name) })
        let read = FirmReader.readJSON(firm, source: source, knownInputs: known)
        guard case .success(let parsed) = read else {
            Issue.record("the firm does not read: \(read)")
            throw FixtureError()
        }
        guard case .success(let bound) = parsed.bind(to: ruleSet) else {
            Issue.record("the firm does not bind")
            throw FixtureError()
        }
        var evaluator = Evaluator(ruleSet: ruleSet)
        let decision = evaluator.evaluate(inputs: bound.values, on: parsed.closingDay)
        return TraceBuilder.build(evaluator: evaluator, decision: decision, firm: parsed, bound: bound, engineVersion: engineVersion)
    }

    /// Kaffekollektivet ApS under the national rules: a determined decision.
    static func kaffekollektivet() throws -> Trace {
        try trace(
            rules: [("rules/rsv_2014.rules", bytes("rules/rsv_2014.rules"))],
            firm: bytes("samples/kaffekollektivet.json"), source: "samples/kaffekollektivet.json")
    }

    /// The undetermined firm under the national rules.
    static func undetermined() throws -> Trace {
        try trace(
            rules: [("rules/rsv_2014.rules", bytes("rules/rsv_2014.rules"))],
            firm: bytes(undeterminedFirmPath), source: undeterminedFirmPath)
    }

    struct FixtureError: Error {}
}

/// A fresh folder under the system's temporary folder, removed when the test is done with it.
final class ScratchFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("soe-records-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes a file into the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// A file's text.
    func read(_ name: String) throws -> String {
        String(decoding: try #require(FileManager.default.contents(atPath: path + "/" + name)), as: UTF8.self)
    }

    /// Copies a file of the package into the folder under the same file name.
    @discardableResult
    func copy(_ relativePath: String, as name: String? = nil) throws -> String {
        let bytes = try RecordFixtures.bytes(relativePath)
        return try write(name ?? URL(fileURLWithPath: relativePath).lastPathComponent, bytes)
    }

    /// Replaces text in a file of the folder; the replacement must happen.
    func edit(_ name: String, replacing old: String, with new: String) throws {
        let text = try read(name)
        #expect(text.contains(old), "\(name) does not contain \(old)")
        try write(name, text.replacing(old, with: new))
    }
}
