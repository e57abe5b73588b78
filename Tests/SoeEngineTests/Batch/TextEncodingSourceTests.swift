import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// Windows-1252 batches: detected at the first byte above 0x7F, read whole as Windows-1252 with
/// one notice, in pieces of any size; UTF-8 passed through as it is; a file of neither encoding,
/// or of both, stopped with where and why.
@Suite("batch input encodings: UTF-8 as it is, Windows-1252 decoded")
struct TextEncodingSourceTests {
    /// Serves bytes in pieces of at most `piece` bytes, as a pipe may.
    struct Pieces: ByteSource {
        let bytes: [UInt8]
        let piece: Int
        var offset = 0
        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let count = min(piece, buffer.count, bytes.count - offset)
            guard count > 0 else { return 0 }
            bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + count])) }
            offset += count
            return count
        }
    }

    /// Everything the source serves, read into buffers of `buffer` bytes, with the notices and the error.
    static func drain(_ bytes: [UInt8], piece: Int, buffer: Int) -> (text: [UInt8], notices: Int, error: String?) {
        var notices = 0
        var source = TextEncodingSource(Pieces(bytes: bytes, piece: piece), language: .english) { _ in notices += 1 }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: buffer)
        while true {
            do {
                let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
                if count == 0 { return (out, notices, nil) }
                out += chunk[..<count]
            } catch {
                return (out, notices, "\(error)")
            }
        }
    }

    static let danish = "id;name\nA;Kaffekøkkenet ÆØÅ æøå – € ”\nB;Åbent hus\n"
    static let windows1252: [UInt8] = Array(
        danish.unicodeScalars.map { scalar -> UInt8 in
            switch scalar {
            case "–": 0x96
            case "€": 0x80
            case "”": 0x94
            default: UInt8(scalar.value)
            }
        })

    @Test(
        "Windows-1252 is decoded to the same text as the UTF-8 file, in pieces of any size, with one notice",
        arguments: [1, 2, 3, 5, 7, 4096])
    func windows1252(piece: Int) {
        for buffer in [1, 2, 3, 4, 64, 1 << 16] {
            let read = Self.drain(Self.windows1252, piece: piece, buffer: buffer)
            #expect(String(decoding: read.text, as: UTF8.self) == Self.danish, "piece \(piece), buffer \(buffer)")
            #expect(read.notices == 1)
            #expect(read.error == nil)
        }
    }

    @Test("UTF-8 and ASCII pass through unchanged, with no notice", arguments: [1, 3, 4096])
    func utf8(piece: Int) {
        for text in [Self.danish, "id;name\nA;B\n", ""] {
            let read = Self.drain(Array(text.utf8), piece: piece, buffer: 5)
            #expect(read.text == Array(text.utf8))
            #expect(read.notices == 0)
            #expect(read.error == nil)
        }
    }

    @Test("a byte neither encoding has stops the file with the line and the byte")
    func neither() {
        let read = Self.drain(Array("id;name\nA;ab".utf8) + [0x81] + Array("c\n".utf8), piece: 3, buffer: 64)
        #expect(read.error?.contains("neither UTF-8 nor Windows-1252: byte 0x81 at line 2") == true)
    }

    @Test("a UTF-8 letter after Windows-1252 ones stops the file: it would be misread either way")
    func mixed() {
        let read = Self.drain(Array("id;name\nA;K".utf8) + [0xF8] + Array("k\nB;Å\n".utf8), piece: 4, buffer: 64)
        #expect(read.notices == 1)
        #expect(
            read.error?.contains("mixes Windows-1252 and UTF-8: it was read as Windows-1252, but the bytes from 0xC3 at line 3") == true)
    }

    @Test(
        "the line of a byte of neither encoding is counted right after a long ASCII stretch, eight bytes at a time",
        arguments: [1, 7, 4096, 1 << 16])
    func lineAfterLongASCII(piece: Int) {
        // Lines of every length 0 to 20, so line feeds fall at every place of an eight-byte word.
        var bytes: [UInt8] = []
        var lines = 1
        for round in 0..<300 {
            bytes += Array(repeating: UInt8(ascii: "a"), count: round % 21) + [0x0A]
            lines += 1
        }
        bytes += Array("x;".utf8) + [0x81, 0x0A]
        let read = Self.drain(bytes, piece: piece, buffer: 1 << 16)
        #expect(read.error?.contains("byte 0x81 at line \(lines)") == true, "\(read.error ?? "no error")")
    }

    /// The notices' texts, gathered by a closure.
    final class NoticeTexts { var texts: [String] = [] }

    /// Everything a source serves through `TextEncodingSource` into buffers of `buffer` bytes, with
    /// the notices' texts and the error.
    static func drainAll<Source: ByteSource>(_ source: Source, buffer: Int) -> (text: [UInt8], notices: [String], error: String?) {
        let notices = NoticeTexts()
        var decoded = TextEncodingSource(source, language: .english) { notices.texts.append($0.message) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: buffer)
        while true {
            do {
                let count = try chunk.withUnsafeMutableBytes { try decoded.read(into: $0) }
                if count == 0 { return (out, notices.texts, nil) }
                out += chunk[..<count]
            } catch {
                return (out, notices.texts, "\(error)")
            }
        }
    }

    @Test("a regular file's lines counted only for a message name the same line as lines counted as they pass, the CSV reader's")
    func linesOfAFile() throws {
        var random = SplitMix64(seed: 1252)
        var wrong: [String] = []
        var messages = 0
        for round in 0..<400 {
            // Rows of every length with every kind of line end, then a byte above 0x7F: a
            // Windows-1252 letter, a byte of neither encoding, or a UTF-8 letter (no message).
            var bytes: [UInt8] = []
            let length = round % 5 == 0 ? 70_000 + random.next(70_000) : random.next(3_000)
            let endings: [[UInt8]] = [[0x0A], [0x0D], [0x0D, 0x0A]]
            while bytes.count < length {
                bytes += Array(repeating: UInt8(ascii: "a"), count: random.next(30)) + endings[random.next(3)]
            }
            let high: [[UInt8]] = [[0xF8], [0x81], Array("ø".utf8)]
            bytes += high[round % 3] + Array("b\n".utf8) + (round % 2 == 0 ? [0xC3, 0xB8] : [0x81]) + [0x0A]
            // The reference: 1 + the CSV reader's lines before the first byte above 0x7F.
            let first = bytes.firstIndex { $0 >= 0x80 } ?? bytes.count
            var lines = 1
            for index in 0..<first where bytes[index] == 0x0A || (bytes[index] == 0x0D && bytes[index + 1] != 0x0A) { lines += 1 }
            let passing = Self.drainAll(Pieces(bytes: bytes, piece: 1 + random.next(5_000)), buffer: 1 << 16)
            let file = try withFileDescriptor(bytes) { fd in
                Self.drainAll(FileDescriptorSource(fd: fd), buffer: [64, 4096, 1 << 16][round % 3])
            }
            if file.text != passing.text || file.error != passing.error || file.notices != passing.notices {
                wrong.append("round \(round): \(file.error ?? "-") against \(passing.error ?? "-")")
            }
            let message = (file.notices.first ?? "") + (file.error ?? "")
            if round % 3 != 2 {
                messages += 1
                if !message.contains("at line \(lines)") { wrong.append("round \(round): line \(lines) expected in \(message)") }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        #expect(messages > 250)
    }
}
