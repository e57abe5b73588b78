/// Copies of a few bytes, as a row's id, name and CVR number are, without a call to `memcpy`:
/// for a text of 8 to 32 bytes, words of eight bytes at its start (0, 8, 16, as far as they fit
/// before its last eight) and its last eight, which overlap; for a shorter one, two halves of the
/// same kind (four, two bytes), or the one byte. No byte outside the `count` bytes at either
/// pointer is read or written. A call to `memcpy` for such a copy cost about 34 instructions
/// (issue 16, docs/benchmark.md "Steps of wave 3, session 12: the row's small copies").
enum ShortCopy {
    /// The most bytes `copy` takes; a longer copy is `anyLength`'s, by `memcpy`.
    static let most = 32

    /// Copies `count` bytes of any length from `source` to `target`, which must not overlap: up to
    /// `most` by `copy`, a longer text by `memcpy`.
    @inline(__always)
    static func anyLength(from source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        if count <= most {
            copy(from: source, to: target, count: count)
        } else {
            target.update(from: source, count: count)
        }
    }

    /// Copies `count` bytes (0 to `most`) from `source` to `target`, which must not overlap.
    @inline(__always)
    static func copy(from source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        let (s, t) = (UnsafeRawPointer(source), UnsafeMutableRawPointer(target))
        if count >= 8 {
            let last = count &- 8
            let head = s.loadUnaligned(as: UInt64.self)
            let tail = s.loadUnaligned(fromByteOffset: last, as: UInt64.self)
            if last > 8 { t.storeBytes(of: s.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self) }
            if last > 16 { t.storeBytes(of: s.loadUnaligned(fromByteOffset: 16, as: UInt64.self), toByteOffset: 16, as: UInt64.self) }
            t.storeBytes(of: head, as: UInt64.self)
            t.storeBytes(of: tail, toByteOffset: last, as: UInt64.self)
        } else if count >= 4 {
            let head = s.loadUnaligned(as: UInt32.self)
            let tail = s.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            t.storeBytes(of: head, as: UInt32.self)
            t.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else if count >= 2 {
            let head = s.loadUnaligned(as: UInt16.self)
            let tail = s.loadUnaligned(fromByteOffset: count &- 2, as: UInt16.self)
            t.storeBytes(of: head, as: UInt16.self)
            t.storeBytes(of: tail, toByteOffset: count &- 2, as: UInt16.self)
        } else if count == 1 {
            target.pointee = source.pointee
        }
    }
}
