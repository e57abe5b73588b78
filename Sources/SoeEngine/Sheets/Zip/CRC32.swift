// The CRC-32 of ZIP (and of gzip and PNG): the reflected polynomial 0xEDB88320, starting from and
// finishing with all bits inverted. Table-driven, one byte at a time: fast enough for a results
// sheet, and small enough to read.

/// CRC-32 as ZIP uses it (ISO 3309, ITU-T V.42): `checksum(Array("123456789".utf8)) == 0xCBF43926`.
public enum CRC32 {
    /// The checksum of `bytes`, continuing from `initial`: the checksum of the bytes before them, so
    /// that a long stream can be checked in pieces (`checksum(b, initial: checksum(a))` is the
    /// checksum of `a` followed by `b`); 0 for the start.
    public static func checksum<C: Collection>(_ bytes: C, initial: UInt32 = 0) -> UInt32 where C.Element == UInt8 {
        var crc = ~initial
        let table = CRC32.table
        if let done = bytes.withContiguousStorageIfAvailable({ raw -> UInt32 in
            for byte in raw { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            return crc
        }) {
            return ~done
        }
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }

    /// The remainder of each byte value, computed once.
    private static let table: [UInt32] = (0..<256).map { value in
        var crc = UInt32(value)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        return crc
    }
}
