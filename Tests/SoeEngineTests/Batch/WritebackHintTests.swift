import Foundation
import Testing

@testable import SoeEngine

/// `BatchIO.startWriteback` reaches `sync_file_range` through the C target `SoeMemoryHints`
/// (it was declared by its symbol before, an assumption about the calling convention).
@Suite("The writeback hint")
struct WritebackHintTests {
    @Test("a file's written range is accepted; a closed descriptor and a pipe are refused by the kernel, as sync_file_range refuses them")
    func kernelAnswers() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("soe-writeback-\(UUID().uuidString)").path
        defer { unlink(path) }
        let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        let bytes = [UInt8](repeating: 0x41, count: 1 << 20)
        #expect(bytes.withUnsafeBytes { BatchIO.writeAll(fd, $0, name: path) } == nil)
        #expect(BatchIO.startWriteback(fd, from: 0, to: bytes.count) == 0)
        #expect(BatchIO.startWriteback(fd, from: 8, to: 8) == 0, "an empty range asks nothing")
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        #if os(Linux)
            #expect(BatchIO.startWriteback(-1, from: 0, to: 4_096) == -1 && errno == EBADF)
            #expect(BatchIO.startWriteback(ends[1], from: 0, to: 4_096) == -1 && errno == ESPIPE)
        #else
            #expect(BatchIO.startWriteback(-1, from: 0, to: 4_096) == 0, "only a hint elsewhere")
        #endif
    }
}
