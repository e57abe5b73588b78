import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// What a one-firm run no longer pays for before its first row (docs/benchmark.md, "The limit"),
/// and that what replaced it does what the old way did.
@Suite("cold start: no Foundation, no casts, nothing built that is not used")
struct ColdStartTests {
    /// The lists written out in `LintRegistry` are exactly what casting every check finds, in order.
    @Test func lintListsAgreeWithTheProtocols() {
        let cast = LintRegistry.checks.compactMap { $0 as? any RuleSetCheck.Type }
        #expect(cast.map { $0.documentation.code } == LintRegistry.ruleSetChecks.map { $0.documentation.code })
        let suppression = LintRegistry.checks.compactMap { $0 as? any SuppressionCheck.Type }
        #expect(suppression.map { $0.documentation.code } == LintRegistry.suppressionChecks.map { $0.documentation.code })
        let codes = LintRegistry.checks.map { $0.documentation.code }
        #expect(codes == codes.sorted(), "checks in code order")
        #expect(codes.count == 23 && Set(codes).count == 23)
    }

    /// The shipped binary loads no Foundation (nor ICU): checked on the built `soe`.
    @Test func theBinaryLinksNoFoundation() throws {
        #if os(Linux)
            let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            var binary = bundle.appendingPathComponent("soe").path
            if !FileManager.default.isExecutableFile(atPath: binary) { binary = TestPaths.root + "/.build/debug/soe" }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["ldd", binary]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let listing = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0 || listing.contains("not a dynamic executable"))
            #expect(!listing.contains("Foundation"), "soe links Foundation:\n\(listing)")
            #expect(!listing.contains("ICU"), "soe links ICU:\n\(listing)")
        #endif
    }

    /// `FileSystem` with the system's calls answers as Foundation's `FileManager` did.
    @Test func fileSystemAnswersAsFileManagerDid() throws {
        let folder = NSTemporaryDirectory() + "soe-cold-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["b.rules", "a.rules", "æøå.rules", ".hidden.rules", "c.txt"] {
            #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("x".utf8)))
        }
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: folder + "/sub")
        #expect(
            Set(FileSystem.names(in: folder) ?? [])
                == Set(try FileManager.default.contentsOfDirectory(atPath: folder)))
        #expect(FileSystem.names(in: folder + "/none") == nil)
        #expect(
            try FileSystem.list(folder, extension: ".rules").get()
                == ["a.rules", "b.rules", "æøå.rules"].map { folder + "/" + $0 })
        #expect(FileSystem.isDirectory(folder + "/sub") && FileSystem.isDirectory(folder + "/link"))
        #expect(!FileSystem.isDirectory(folder + "/a.rules") && !FileSystem.isDirectory(folder + "/none"))
        #expect(FileSystem.exists(folder + "/link") && !FileSystem.exists(folder + "/none"))
        #expect(FileSystem.size(of: folder + "/a.rules") == 1)
        let linkSize = try FileManager.default.attributesOfItem(atPath: folder + "/link")[.size] as? Int
        #expect(FileSystem.size(of: folder + "/link") == linkSize)
        #expect(FileSystem.size(of: "-") == nil && FileSystem.size(of: folder + "/none") == nil)
    }

    /// A temporary file's process id is read after the last marker, as `range(of:options:.backwards)` did.
    @Test func temporaryNamesReadAfterTheLastMarker() {
        #expect(TemporaryFiles.process(inName: ".out.csv.soe-tmp-123-abcdef") == 123)
        #expect(TemporaryFiles.process(inName: ".a.soe-tmp-9-x.soe-tmp-45-ABCDEF") == 45)
        #expect(TemporaryFiles.process(inName: "out.csv.soe-tmp-123-abcdef") == nil)
        #expect(TemporaryFiles.process(inName: ".out.csv.soe-tmp-123-abc") == nil)
        #expect(TemporaryFiles.process(inName: ".out.csv") == nil)
    }

    /// The sweep's byte search for its marker answers as `String.contains` on every name, and the
    /// folder listing with a byte filter keeps exactly the names the filter accepts.
    @Test func temporaryNamesFoundByTheirBytes() throws {
        let marker = Array(TemporaryFiles.marker.utf8)
        var generator = SystemRandomNumberGenerator()
        let pieces = [".", "soe", "-tmp-", ".soe-tmp", ".soe-tmp-", "x", "æ", "-", "12", ""]
        for _ in 0..<5_000 {
            let name = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                .joined()
            let found = Array(name.utf8).withUnsafeBytes { TemporaryFiles.contains(marker, in: $0) }
            #expect(found == name.contains(TemporaryFiles.marker), "\(name)")
        }
        let folder = NSTemporaryDirectory() + "soe-sweep-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var names: [String] = []
        for index in 0..<300 {
            let name = index % 7 == 0 ? ".r\(index).csv.soe-tmp-\(index)-abcdef" : index % 5 == 0 ? ".hidden\(index)" : "f\(index).csv"
            #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data()))
            names.append(name)
        }
        let kept = FileSystem.names(in: folder) { $0.first == 0x2E && TemporaryFiles.contains(marker, in: $0) }
        #expect(Set(kept ?? []) == Set(names.filter { $0.hasPrefix(".") && $0.contains(TemporaryFiles.marker) }))
        #expect(kept?.count == 43)
        #expect(FileSystem.names(in: folder + "/none") { _ in true } == nil)
    }

    /// The rule file's UTF-8 check and line table, which skip eight plain bytes at a time, answer
    /// as the byte-by-byte loops they replaced on generated files: ASCII runs of every length around
    /// the eight-byte steps, CR, LF and CR LF, valid and broken multi-byte sequences, at every offset.
    @Test func ruleFileScansAgreeWithByteLoops() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("abcdefg".utf8), Array("abcdefgh".utf8), Array("abcdefghijklmnop".utf8), [0x0A], [0x0D],
            [0x0D, 0x0A], Array("ø".utf8), Array("€".utf8), Array("😀".utf8), [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
            [0x80], [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0x7F],
        ]
        var checked = 0
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                bytes += pieces.randomElement(using: &generator)!
            }
            #expect(firstInvalidUTF8(bytes) == Self.firstInvalidUTF8ByBytes(bytes), "\(bytes)")
            #expect(SourceFile.lineStarts(of: bytes) == Self.lineStartsByBytes(bytes), "\(bytes)")
            checked += 1
        }
        #expect(checked == 20_000)
        // Every word of 8 bytes with one byte set to each value, at each place.
        for place in 0..<8 {
            for value in 0...255 {
                var word = [UInt8](repeating: 0x61, count: 8)
                word[place] = UInt8(value)
                let packed = word.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                #expect(SourceFile.hasLineBreak(packed) == (value == 0x0A || value == 0x0D), "\(place) \(value)")
            }
        }
    }

    /// The UTF-8 check one byte at a time, as it was before its eight-byte steps.
    static func firstInvalidUTF8ByBytes(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                index += 1
                continue
            }
            let (length, minimum, lead): (Int, UInt32, UInt8)
            switch byte {
            case 0xC2...0xDF: (length, minimum, lead) = (2, 0x80, 0x1F)
            case 0xE0...0xEF: (length, minimum, lead) = (3, 0x800, 0x0F)
            case 0xF0...0xF4: (length, minimum, lead) = (4, 0x10000, 0x07)
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            var scalar = UInt32(byte & lead)
            for offset in 1..<length {
                guard bytes[index + offset] & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(bytes[index + offset] & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return index }
            index += length
        }
        return nil
    }

    /// The line table one byte at a time, as it was before its eight-byte steps.
    static func lineStartsByBytes(_ bytes: [UInt8]) -> [Int] {
        var starts = [0]
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0A {
                starts.append(index + 1)
            } else if bytes[index] == 0x0D {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                starts.append(index + 1)
            }
            index += 1
        }
        return starts
    }

    /// The renderers' padding and trimming, as Foundation's were for their texts.
    @Test func paddingAndTrimming() {
        #expect("rsv".padded(to: 6) == "rsv   ")
        #expect("anden_aktoer".padded(to: 5) == "anden")
        #expect("".padded(to: 2) == "  ")
        #expect(" \t a  b \u{00A0}".trimmingBlanks() == "a  b")
        #expect("  ".trimmingBlanks() == "")
        #expect("x".trimmingBlanks() == "x")
    }
}
