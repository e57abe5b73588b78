// SHA-256 per FIPS 180-4, written out because the engine takes no dependencies and CryptoKit is not
// on Linux; used to fingerprint rule sets and inputs in traces, not for secrets. Pure stdlib.

/// An incremental SHA-256 hasher.
public struct SHA256: Sendable {
    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
    private var state: State
    /// Bytes of the current block not yet compressed; always fewer than 64 between calls.
    private var pending: [UInt8] = []
    private var totalBytes: UInt64 = 0

    private static let initialState: State = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )

    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// A hasher that has seen no input.
    public init() {
        state = SHA256.initialState
        pending.reserveCapacity(64)
    }

    /// Feeds raw bytes; whole blocks are compressed straight from the caller's memory without copying.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        totalBytes &+= UInt64(bytes.count)
        var index = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<take])
            index = take
            guard pending.count == 64 else { return }
            // Disjoint stored properties, so reading `pending` while updating `state` needs no copy.
            pending.withUnsafeBytes { SHA256.compress(&state, $0) }
            pending.removeAll(keepingCapacity: true)
        }
        while bytes.count - index >= 64 {
            SHA256.compress(&state, UnsafeRawBufferPointer(rebasing: bytes[index..<index + 64]))
            index += 64
        }
        pending.append(contentsOf: bytes[index...])
    }

    /// Feeds an array of bytes.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds a string's UTF-8.
    public mutating func update(_ string: String) {
        var string = string
        // withUTF8 gives contiguous bytes without copying for native strings; bridged ones are made native.
        string.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Pads, returns the 32-byte digest and resets the hasher to its initial state, so it can be reused
    /// and a second call cannot silently hash the padding again.
    public mutating func finalize() -> [UInt8] {
        let bitLength = totalBytes &* 8
        var tail = pending
        tail.append(0x80)
        // Pad so that the 8-byte length ends the final block.
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        tail.withUnsafeBytes { raw in
            for start in stride(from: 0, to: raw.count, by: 64) {
                SHA256.compress(&state, UnsafeRawBufferPointer(rebasing: raw[start..<start + 64]))
            }
        }
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for word in words {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        self = SHA256()
        return digest
    }

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The lowercase hex digest of `bytes` (hashes them first; to format an existing digest use `hexString`).
    public static func hex(_ bytes: [UInt8]) -> String {
        hexString(hash(bytes))
    }

    /// One 64-byte block, FIPS 180-4 section 6.2.2.
    ///
    /// Every record `soe verify` checks is hashed whole (its seal), some 550 blocks of 64 bytes a
    /// record: this loop was a fifth of verifying an array of records. So the constants are read
    /// through a pointer (no bounds check, no retain of the array per block), the rounds are
    /// unrolled eight at a time with the eight working variables renamed instead of shifted, and
    /// the choice and majority functions take one operation fewer each.
    private static func compress(_ state: inout State, _ block: UnsafeRawBufferPointer) {
        roundConstants.withUnsafeBufferPointer { constants in
            let k = constants.baseAddress.unsafelyUnwrapped
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { buffer in
                let w = buffer.baseAddress.unsafelyUnwrapped
                let bytes = block.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
                for t in 0..<16 {
                    // Big-endian words, assembled byte by byte so the block needs no alignment.
                    let b = bytes + 4 * t
                    w[t] = UInt32(b[0]) &<< 24 | UInt32(b[1]) &<< 16 | UInt32(b[2]) &<< 8 | UInt32(b[3])
                }
                for t in 16..<64 {
                    let x = w[t - 15]
                    let y = w[t - 2]
                    // σ0 and σ1 with the rotations nested: the same value, fewer copies.
                    let s0 = rotr(rotr(x, 11) ^ x, 7) ^ (x &>> 3)
                    let s1 = rotr(rotr(y, 2) ^ y, 17) ^ (y &>> 10)
                    w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                }
                var (a, b, c, d, e, f, g, h) = state
                var t = 0
                while t < 64 {
                    sha256Round(a, b, c, &d, e, f, g, &h, k[t] &+ w[t])
                    sha256Round(h, a, b, &c, d, e, f, &g, k[t + 1] &+ w[t + 1])
                    sha256Round(g, h, a, &b, c, d, e, &f, k[t + 2] &+ w[t + 2])
                    sha256Round(f, g, h, &a, b, c, d, &e, k[t + 3] &+ w[t + 3])
                    sha256Round(e, f, g, &h, a, b, c, &d, k[t + 4] &+ w[t + 4])
                    sha256Round(d, e, f, &g, h, a, b, &c, k[t + 5] &+ w[t + 5])
                    sha256Round(c, d, e, &f, g, h, a, &b, k[t + 6] &+ w[t + 6])
                    sha256Round(b, c, d, &e, f, g, h, &a, k[t + 7] &+ w[t + 7])
                    t += 8
                }
                state = (
                    state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                    state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h
                )
            }
        }
    }
}

/// One round: `h` becomes the new `a`, `d` the new `e`; the caller renames the other six.
@inline(__always)
private func sha256Round(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32,
    _ kw: UInt32
) {
    // Σ1 = rotr 6 ^ rotr 11 ^ rotr 25 and Σ0 = rotr 2 ^ rotr 13 ^ rotr 22, with the rotations
    // nested; choice, (e & f) ^ (~e & g), and majority, (a & b) ^ (a & c) ^ (b & c), each in one
    // operation fewer.
    let sum1 = rotr(rotr(rotr(e, 14) ^ e, 5) ^ e, 6)
    let choice = g ^ (e & (f ^ g))
    let temp1 = h &+ sum1 &+ choice &+ kw
    let sum0 = rotr(rotr(rotr(a, 9) ^ a, 11) ^ a, 2)
    let majority = (a & b) | (c & (a | b))
    d = d &+ temp1
    h = temp1 &+ sum0 &+ majority
}

@inline(__always)
private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
    (x &>> n) | (x &<< (32 &- n))
}

/// Lowercase hex of any bytes, two digits each; used for digests in traces and file names.
public func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
}
