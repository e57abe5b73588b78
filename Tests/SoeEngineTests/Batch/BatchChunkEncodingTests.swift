import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// A file whose header's reader saw no byte above 0x7F is read in chunks at once: each chunk's
/// reader notes its first such byte, and the chunks' turns decide the encoding there, in input
/// order (`ChunkRelay.encodingUndecided`). A UTF-8 sequence goes on in chunks; anything else hands
/// the rest, from that chunk's start, to one reader that decodes Windows-1252 or refuses the byte
/// (`ChunkRelay.handedOff`). With traces the rounds decide the same way, in input order as they take
/// the chunks (`runInChunks`). Either way: one thread's output, end and notices, byte for byte.
@Suite("batch in chunks: the encoding decided at the file's first byte above 0x7F, as one thread decides it")
struct BatchChunkEncodingTests {
    /// `rows` ASCII rows, with `special` rows put in at their indexes.
    static func file(rows: Int, special: [Int: [UInt8]]) -> [UInt8] {
        var bytes = Array((BatchFixtures.header + "\n").utf8)
        for row in 0..<rows {
            if let line = special[row] {
                bytes += line
            } else {
                // Firm-years repeat every five rows: duplicates on both sides of a hand-over.
                bytes += Array("P\(row),Firma \(row),13748136,\(2020 + row % 5),aps,1000.00,800.00,3,10,true,\n".utf8)
            }
        }
        return bytes
    }

    /// A row whose name holds `name`'s bytes as they are.
    static func row(_ id: Int, name: [UInt8]) -> [UInt8] {
        Array("P\(id),".utf8) + name + Array(",13748136,2024,aps,1000.00,800.00,3,10,true,\n".utf8)
    }

    /// The output, the end and the encoding notices of a batch of `bytes`; with `traces`, JSON Lines
    /// with a trace per result, which `--jobs` reads in rounds (`runInChunks`) instead of the relay.
    static func run(
        _ bytes: [UInt8], jobs: Int, blockSize: Int, traces: Bool = false
    ) throws -> (output: [UInt8], end: String, notices: [String]) {
        final class Notices: @unchecked Sendable { var found: [String] = [] }
        let notices = Notices()
        var hooks = BatchHooks()
        hooks.encoding = { notices.found.append($0.message + " | " + $0.danish) }
        let options =
            traces
            ? BatchChunkTests.options(jobs: jobs, blockSize: blockSize, format: .jsonl, traces: true)
            : BatchChunkTests.options(jobs: jobs, blockSize: blockSize)
        let (end, output) = try BatchChunkTests.runFile(bytes, options: options, hooks: hooks)
        return (output, "\(end)", notices.found)
    }

    static func expectOneThread(
        _ bytes: [UInt8], _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        for traces in [false, true] {
            try expectOneThread(bytes, what + (traces ? ", traces" : ""), traces: traces, sourceLocation: sourceLocation)
        }
    }

    static func expectOneThread(
        _ bytes: [UInt8], _ what: String, traces: Bool, sourceLocation: Testing.SourceLocation
    ) throws {
        let one = try run(bytes, jobs: 1, blockSize: 1, traces: traces)
        #expect(!one.output.isEmpty, "\(what)", sourceLocation: sourceLocation)
        for jobs in [2, 3] {
            for blockSize in [1, 3, 40] {
                let many = try run(bytes, jobs: jobs, blockSize: blockSize, traces: traces)
                let differ =
                    zip(many.output, one.output).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(many.output.count, one.output.count)
                // Compared as Booleans, with the first difference named: the outputs run to kilobytes.
                let (sameOutput, sameEnd, sameNotices) = (many.output == one.output, many.end == one.end, many.notices == one.notices)
                #expect(
                    sameOutput, "\(what), jobs \(jobs), block size \(blockSize): differs from byte \(differ)",
                    sourceLocation: sourceLocation)
                #expect(
                    sameEnd, "\(what), jobs \(jobs), block size \(blockSize): \(many.end) against \(one.end)",
                    sourceLocation: sourceLocation)
                #expect(
                    sameNotices, "\(what), jobs \(jobs), block size \(blockSize): \(many.notices) against \(one.notices)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    /// Windows-1252 'ø' (0xF8), 'æ' (0xE6); UTF-8 'ø'; 0x81, a byte neither encoding has.
    static let windowsName: [UInt8] = [0x53, 0xF8, 0x72, 0x65, 0x6E, 0x20, 0xE6, 0x62, 0x6C, 0x65]
    static let utf8Name = Array("Søren".utf8)
    static let neitherName: [UInt8] = [0x41, 0x81, 0x42]

    @Test("Windows-1252 first seen early, in the middle, in the last row: decoded from there, with the notice's line")
    func windows1252() throws {
        for at in [0, 1, 7, 60, 199] {
            let bytes = Self.file(rows: 200, special: [at: Self.row(at, name: Self.windowsName), at + 3: Self.row(at + 3, name: [0xE5])])
            let one = try Self.run(bytes, jobs: 1, blockSize: 1)
            #expect(one.notices.count == 1, "row \(at)")
            #expect(one.end.contains("rowsRead: 200, blankRowsSkipped: 0, rowsRejected: 0"), "row \(at): \(one.end)")
            #expect(one.notices.first?.contains("at line \(at + 2)") == true, "row \(at): \(one.notices)")
            try Self.expectOneThread(bytes, "Windows-1252 at row \(at)")
        }
    }

    @Test("a byte of neither encoding first: the batch stops with its line, after the rows before it")
    func neither() throws {
        for at in [1, 50, 199] {
            let bytes = Self.file(rows: 200, special: [at: Self.row(at, name: Self.neitherName)])
            let one = try Self.run(bytes, jobs: 1, blockSize: 1)
            #expect(one.end.contains("line \(at + 2)"), "row \(at): \(one.end)")
            try Self.expectOneThread(bytes, "0x81 at row \(at)")
        }
    }

    /// `file(rows:special:)` with each row's line feed replaced by `endings[row % endings.count]`:
    /// a line feed, a carriage return and line feed, or a carriage return alone (old Mac files,
    /// Excel for Mac's "CSV (Macintosh)"), which the CSV reader counts as lines too.
    static func file(rows: Int, special: [Int: [UInt8]], endings: [[UInt8]]) -> [UInt8] {
        var bytes = Array((BatchFixtures.header + "\n").utf8)
        let plain = file(rows: rows, special: special)
        var row = 0
        for byte in plain[bytes.count...] {
            if byte == 0x0A {
                bytes += endings[row % endings.count]
                row += 1
            } else {
                bytes.append(byte)
            }
        }
        return bytes
    }

    /// The fuzz target `batch` found the chunks naming another line than one thread when lines
    /// ended in a carriage return alone: the chunks counted them, as the CSV reader does, and the
    /// encoding check counted line feeds only. Both count the CSV reader's lines now, so that the
    /// message's line is that of the rows around it, in every way of reading.
    @Test(
        "lines ending in a carriage return alone, or mixed with others: the encoding's messages name the CSV reader's line, on one thread and in chunks"
    )
    func carriageReturns() throws {
        let endings: [[[UInt8]]] = [[[0x0D]], [[0x0D, 0x0A]], [[0x0D], [0x0A], [0x0D, 0x0A]], [[0x0D, 0x0A], [0x0D]]]
        for (index, ending) in endings.enumerated() {
            for at in [0, 7, 120] {
                let windows = Self.file(rows: 160, special: [at: Self.row(at, name: Self.windowsName)], endings: ending)
                let one = try Self.run(windows, jobs: 1, blockSize: 1)
                if ending[at % ending.count] == [0x0D] {
                    // The letter's own line ends in a carriage return alone: Excel for Mac's "CSV", refused.
                    #expect(
                        one.end.contains("in Mac Roman") && one.end.contains("at line \(at + 2)"), "endings \(index), row \(at): \(one.end)"
                    )
                } else {
                    #expect(one.notices.first?.contains("at line \(at + 2)") == true, "endings \(index), row \(at): \(one.notices)")
                    #expect(
                        one.end.contains("rowsRead: 160, blankRowsSkipped: 0, rowsRejected: 0"), "endings \(index), row \(at): \(one.end)")
                }
                try Self.expectOneThread(windows, "endings \(index), Windows-1252 at row \(at)")
                let neither = Self.file(rows: 160, special: [at: Self.row(at, name: Self.neitherName)], endings: ending)
                #expect(try Self.run(neither, jobs: 1, blockSize: 1).end.contains("at line \(at + 2)"), "endings \(index), row \(at)")
                try Self.expectOneThread(neither, "endings \(index), 0x81 at row \(at)")
            }
        }
    }

    /// Excel for Mac's "Comma Separated Values": Mac Roman, lines ending in a carriage return alone.
    /// 'ø' (0xBF) is '¿' in Windows-1252, 'Å' (0x81) no character there, 'æ' (0xBE) '¾'.
    @Test(
        "Excel for Mac's \"CSV\" (Mac Roman, lines ending in CR alone): refused with both readings, as one thread refuses it, in both languages"
    )
    func macRoman() throws {
        let names: [(bytes: [UInt8], mac: String, windows: String)] = [
            ([0x42, 0x6A, 0xBF, 0x72, 0x6E], "'ø' in Mac Roman", "'¿' in Windows-1252"),
            ([0x81, 0x62, 0x65, 0x6E], "'Å' in Mac Roman", "no character in Windows-1252"),
            ([0x4C, 0xBE, 0x72, 0x65], "'æ' in Mac Roman", "'¾' in Windows-1252"),
        ]
        for (bytes, mac, windows) in names {
            for at in [0, 30, 150] {
                let file = Self.file(rows: 160, special: [at: Self.row(at, name: bytes)], endings: [[0x0D]])
                let one = try Self.run(file, jobs: 1, blockSize: 1)
                // The end's description escapes the message's quotes.
                let end = one.end.replacingOccurrences(of: "\\", with: "")
                #expect(end.contains("byte 0x\(String(bytes.first { $0 >= 0x80 } ?? 0, radix: 16, uppercase: true)) at line \(at + 2)"))
                #expect(end.contains(mac) && end.contains(windows), "\(end)")
                #expect(end.contains("save it as \"CSV UTF-8\""), "\(end)")
                #expect(one.notices.isEmpty)
                try Self.expectOneThread(file, "Mac Roman \(mac) at row \(at)")
            }
        }
        // Danish, through the source itself.
        var source = TextEncodingSource(ArraySource(Array("id;navn\r".utf8) + [0x41, 0x3B, 0xBF, 0x0D]), language: .danish) { _ in }
        var buffer = [UInt8](repeating: 0, count: 64)
        var message = ""
        do {
            while try buffer.withUnsafeMutableBytes({ try source.read(into: $0) }) > 0 {}
        } catch {
            message = "\(error)"
        }
        #expect(message.contains("byte 0xBF i linje 2 er 'ø' i Mac Roman og '¿' i Windows-1252"), "\(message)")
        #expect(message.contains("gem den som \"CSV UTF-8\""), "\(message)")
    }

    @Test("a Windows-1252 letter on a line that ends in a line feed is decoded, whatever the lines before it end in")
    func windowsAfterCarriageReturns() throws {
        for ending: [UInt8] in [[0x0A], [0x0D, 0x0A]] {
            var file = Self.file(rows: 40, special: [:], endings: [[0x0D]])
            file += Self.row(40, name: Self.windowsName).dropLast() + ending
            let one = try Self.run(file, jobs: 1, blockSize: 1)
            #expect(one.notices.count == 1 && one.end.contains("rowsRead: 41"), "\(one.end)")
            try Self.expectOneThread(file, "Windows-1252 after lines ending in CR, itself ending in \(ending)")
        }
        // The table: 128 characters, the Danish letters where Mac Roman has them.
        #expect(MacRoman.upper.count == 128)
        #expect([0x81, 0x8C, 0xAE, 0xAF, 0xBE, 0xBF].map { MacRoman.character(UInt8($0)) } == ["Å", "å", "Æ", "Ø", "æ", "ø"])
    }

    /// 200 rows with the name `first` at row `at` and `later` twenty rows on.
    static func twoNames(_ first: [UInt8], at: Int, then later: [UInt8]) -> [UInt8] {
        file(rows: 200, special: [at: row(at, name: first), at + 20: row(at + 20, name: later)])
    }

    @Test("UTF-8 first: read in chunks as UTF-8, a later Windows-1252 byte rejects only its row")
    func utf8First() throws {
        for at in [1, 50, 150] {
            try Self.expectOneThread(Self.twoNames(Self.utf8Name, at: at, then: Self.windowsName), "UTF-8 at row \(at)")
        }
    }

    @Test("Windows-1252 first, UTF-8 later: the file mixes the two and the batch stops where one thread stops")
    func mixed() throws {
        for at in [1, 50, 150] {
            let bytes = Self.twoNames(Self.windowsName, at: at, then: Self.utf8Name)
            let one = try Self.run(bytes, jobs: 1, blockSize: 1)
            #expect(one.end.contains("mixes Windows-1252 and UTF-8"), "row \(at): \(one.end)")
            try Self.expectOneThread(bytes, "mixed at row \(at)")
        }
    }

    @Test("the first byte above 0x7F inside a quoted field that spans the chunks' cuts")
    func quotedAcrossCuts() throws {
        for at in [2, 90] {
            let name = Array("\"Linje et\nlinje to ".utf8) + Self.windowsName + Array("\nlinje tre\"".utf8)
            let bytes = Self.file(rows: 120, special: [at: Self.row(at, name: name)])
            try Self.expectOneThread(bytes, "quoted Windows-1252 at row \(at)")
            let utf8 = Array("\"Linje et\nlinje to ".utf8) + Self.utf8Name + Array("\nlinje tre\"".utf8)
            try Self.expectOneThread(Self.file(rows: 120, special: [at: Self.row(at, name: utf8)]), "quoted UTF-8 at row \(at)")
        }
    }

    @Test("a file decided late is read in chunks, with traces or without, with no look through the whole file first")
    func readInChunks() throws {
        let bytes = Self.file(rows: 3_000, special: [2_900: Self.row(2_900, name: Self.windowsName)])
        for traces in [false, true] {
            let file = try #require(try BatchChunkTests.chunkableFile(bytes, traces: traces))
            #expect(file.encodingUndecided)
        }
    }

    @Test("a chunk's source notes the first byte above 0x7F it serves, at any offset, across reads")
    func watchNotesFirstHighByte() throws {
        var bytes = [UInt8](repeating: 0x41, count: 300)
        for at in [0, 7, 8, 63, 64, 65, 127, 128, 200, 299] {
            bytes[at] = 0xC3
            if at > 0 { bytes[at - 1] = 0xE6 }
            defer { bytes = [UInt8](repeating: 0x41, count: 300) }
            try withPositionalFile(bytes) { file in
                for start in [0, 5, 100] {
                    let watch = HighByteWatch()
                    var source = PositionalFileSource(file: file, offset: start, highBytes: watch)
                    var buffer = [UInt8](repeating: 0, count: 37)
                    while try buffer.withUnsafeMutableBytes({ try source.read(into: $0) }) > 0 {}
                    let expected = bytes.indices.first { $0 >= start && bytes[$0] >= 0x80 }
                    #expect(watch.first == expected, "high byte at \(at), from \(start)")
                }
            }
        }
    }
}
