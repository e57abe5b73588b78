import Foundation
import SoeLanguage
import Testing

/// `FileSystem.read` reads into a buffer that is not zeroed first (a one-firm run's page faults,
/// docs/benchmark.md, "Steps of wave 3, session 7: cold start"): every byte of the file must come
/// back, in order, whatever its length against the 64 KiB chunk, from a file and from a pipe.
@Suite("FileSystem.read: every byte back, across the chunk boundaries")
struct FileReadTests {
    static let sizes = [0, 1, 2, 4095, 4096, 65_535, 65_536, 65_537, 131_072, 200_003]

    /// Seeded bytes of every value, no two files alike.
    static func bytes(_ count: Int) -> [UInt8] {
        var state = UInt64(count) &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    /// A scratch folder (removed by the caller) holding `f.bin`, `size` seeded bytes; the bytes too.
    static func seededFile(_ size: Int) throws -> (folder: String, path: String, bytes: [UInt8]) {
        let folder = try EndToEndTests.scratchFolder()
        let path = folder + "/f.bin"
        let written = bytes(size)
        try Data(written).write(to: URL(fileURLWithPath: path))
        return (folder, path, written)
    }

    @Test("from a file", arguments: sizes)
    func file(size: Int) throws {
        let (folder, path, written) = try Self.seededFile(size)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let read = try FileSystem.read(path).get()
        #expect(read.count == written.count)
        #expect(read == written)
    }

    @Test("from a pipe, which comes in pieces", arguments: [0, 1, 65_536, 65_537, 200_003])
    func pipe(size: Int) throws {
        let (folder, path, written) = try Self.seededFile(size)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "cat \"$0\" > \"$1\"", path, fifo]
        try writer.run()
        let read = try FileSystem.read(fifo).get()
        writer.waitUntilExit()
        #expect(read == written)
    }
}
