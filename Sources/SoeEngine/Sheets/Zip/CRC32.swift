// CRC-32 as ZIP (and gzip, PNG) use it: the reflected polynomial 0xEDB88320, initial value and
// final XOR 0xFFFFFFFF, one table lookup per byte. The ZIP reader checks every entry with it; the
// xlsx writer stamps every entry with it.

/// The CRC-32 checksum of ZIP entries.
public enum CRC32 {
    /// The 256 remainders of one byte, computed once.
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
        return value
    }

    /// The checksum of `bytes`; `initial` continues a running checksum (the result of an earlier
    /// call over the bytes before these), so a stream can be checked piece by piece.
    public static func checksum<C: Collection>(_ bytes: C, initial: UInt32 = 0) -> UInt32 where C.Element == UInt8 {
        var crc = ~initial
        table.withUnsafeBufferPointer { table in
            let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
                for byte in buffer { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            }
            if done == nil {
                for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            }
        }
        return ~crc
    }
}
