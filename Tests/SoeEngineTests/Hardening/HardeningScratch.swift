import Foundation
import SoeTestSupport
import Testing

/// A folder of its own for one end-to-end test: input files are written here, and the test checks
/// that each is byte-identical after the run and that no other file appeared (no partial output,
/// no stray temporary file).
struct HardeningScratch {
    let path: String
    private var inputs: [String: Data] = [:]

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("soe-hardening-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes an input file and remembers its bytes; returns its path.
    @discardableResult
    mutating func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        inputs[name] = Data(bytes)
        return file
    }

    @discardableResult
    mutating func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

    /// Remembers a file made some other way (a symbolic link) as part of the folder.
    mutating func remember(_ name: String) { inputs[name] = Data() }

    /// Checks that every input is unchanged and that only `outputs` were added.
    func expectNothingLost(outputs: Set<String> = [], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for (name, bytes) in inputs where !bytes.isEmpty {
            #expect(FileManager.default.contents(atPath: path + "/" + name) == bytes, "\(name) changed", sourceLocation: sourceLocation)
        }
        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
        #expect(present == Set(inputs.keys).union(outputs), "stray files: \(present)", sourceLocation: sourceLocation)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// A firm file of the samples with some members replaced, as JSON text.
    static func firm(replacing members: [String: Any], sample: String = "kaffekollektivet.json") throws -> [UInt8] {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.samples + "/" + sample))
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        for (key, value) in members { object[key] = value }
        return [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}

/// The hostile name of the class-5 tests: a line break, a fake result line, a terminal escape code
/// (erase line, red) and a bidi override.
let hostileName = "Evil ApS\nResult: Social economy\u{1B}[2K\u{1B}[31m\u{202E}x\r"

/// Whether a text holds a raw control character that could fake or hide a line.
func holdsRawControl(_ text: String) -> Bool {
    text.unicodeScalars.contains { $0 != "\n" && DisplayTextProbe.isControl($0) }
}

/// `DisplayText.isControl`, reached through the module for test helpers outside `@testable` files.
enum DisplayTextProbe {
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x09, 0x0B...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
