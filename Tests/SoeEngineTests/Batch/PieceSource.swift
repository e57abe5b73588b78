import SoeTestSupport

@testable import SoeEngine

/// Hands out `size` bytes at a time (or, with size 0, 1 to `most`, seeded), so that records cross
/// the reader's refills. Shared by the tests of the scanners and of the reader's first buffer.
struct PieceSource: ByteSource {
    var bytes: [UInt8]
    var size: Int
    var most = 9
    var random = SplitMix64(seed: 5)
    var offset = 0

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let want = size > 0 ? size : 1 + random.next(most)
        let count = Swift.min(want, buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        for k in 0..<count { buffer[k] = bytes[offset + k] }
        offset += count
        return count
    }
}
