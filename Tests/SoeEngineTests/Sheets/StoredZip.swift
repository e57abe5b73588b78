import Testing

@testable import SoeEngine

/// Reads a ZIP of stored entries the way a spreadsheet program does: from the end-of-central-
/// directory record, through the central directory, to each local header and its bytes. Every
/// structural check is an expectation, so that a writer bug fails the test that found it.
struct StoredZip {
    var entries: [(name: String, bytes: [UInt8])] = []

    subscript(name: String) -> [UInt8]? { entries.first { $0.name == name }?.bytes }

    static func u16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    static func u32(_ bytes: [UInt8], _ at: Int) -> Int { u16(bytes, at) | u16(bytes, at + 2) << 16 }

    /// Nil (with a recorded issue) when the archive is not what a reader needs.
    static func read(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> StoredZip? {
        guard bytes.count >= 22, u32(bytes, bytes.count - 22) == 0x0605_4B50 else {
            Issue.record("no end-of-central-directory record at the end", sourceLocation: sourceLocation)
            return nil
        }
        let end = bytes.count - 22
        let count = u16(bytes, end + 10)
        #expect(u16(bytes, end + 8) == count, "entries on this disk and in all", sourceLocation: sourceLocation)
        let size = u32(bytes, end + 12)
        var at = u32(bytes, end + 16)
        #expect(at + size == end, "the central directory ends where the end record starts", sourceLocation: sourceLocation)
        var zip = StoredZip()
        for _ in 0..<count {
            guard at + 46 <= end, u32(bytes, at) == 0x0201_4B50 else {
                Issue.record("central directory entry signature missing at \(at)", sourceLocation: sourceLocation)
                return nil
            }
            let method = u16(bytes, at + 10)
            let crc = UInt32(u32(bytes, at + 16))
            let compressed = u32(bytes, at + 20)
            let length = u32(bytes, at + 24)
            let nameLength = u16(bytes, at + 28)
            let extra = u16(bytes, at + 30)
            let comment = u16(bytes, at + 32)
            let local = u32(bytes, at + 42)
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            #expect(method == 0 && compressed == length, "\(name) is stored", sourceLocation: sourceLocation)
            guard u32(bytes, local) == 0x0403_4B50 else {
                Issue.record("no local header for \(name) at \(local)", sourceLocation: sourceLocation)
                return nil
            }
            #expect(u32(bytes, local + 14) == Int(crc), "the local header's CRC of \(name)", sourceLocation: sourceLocation)
            let start = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28)
            guard start + length <= bytes.count else {
                Issue.record("\(name) runs past the end", sourceLocation: sourceLocation)
                return nil
            }
            let data = Array(bytes[start..<(start + length)])
            #expect(CRC32.checksum(data) == crc, "the CRC-32 of \(name)", sourceLocation: sourceLocation)
            zip.entries.append((name, data))
            at += 46 + nameLength + extra + comment
        }
        return zip
    }
}
