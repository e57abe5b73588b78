import SoeLanguage

/// A byte source whose first bytes are read ahead, so that the batch can tell what kind of input
/// it is (`InputSniffer`) before a reader trips over it, and then served again from the start.
struct SniffedSource<Source: ByteSource>: ByteSource {
    private var source: Source
    /// The bytes read ahead, served before any more are read.
    private(set) var head: [UInt8] = []
    private var offset = 0
    /// An error met while reading ahead, thrown when the bytes before it have been served.
    private var pending: Error?
    /// Whether the input ended while reading ahead.
    private(set) var ended = false

    /// Reads ahead until the first line that holds more than spaces has ended, or
    /// `InputSniffer.prefixBytes` bytes are read, or the input ends: a batch that arrives
    /// slowly, line by line, is not held up longer than its first line.
    init(_ source: Source) {
        self.source = source
        var chunk = [UInt8](repeating: 0, count: InputSniffer.prefixBytes)
        while head.count < InputSniffer.prefixBytes && !ended && pending == nil {
            let wanted = InputSniffer.prefixBytes - head.count
            do {
                let count = try chunk.withUnsafeMutableBytes { raw in
                    try self.source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<wanted]))
                }
                if count == 0 { ended = true } else { head += chunk[0..<count] }
            } catch {
                pending = error
            }
            if head.count >= 4, let firstContent = head.firstIndex(where: { $0 > 0x20 }),
                head[firstContent...].contains(0x0A)
            {
                break
            }
        }
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if offset < head.count {
            let count = min(buffer.count, head.count - offset)
            head.withUnsafeBytes { all in buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[offset..<(offset + count)])) }
            offset += count
            return count
        }
        if let error = pending {
            pending = nil
            throw error
        }
        return ended ? 0 : try source.read(into: buffer)
    }

    /// Lends what the source lends once the bytes read ahead are served (`read(into:)` serves them,
    /// the error met while reading ahead and the end).
    mutating func lend(_ buffer: inout [UInt8], keeping: Range<Int>, ask: Int) throws -> Range<Int>? {
        guard offset >= head.count, pending == nil, !ended else { return nil }
        return try source.lend(&buffer, keeping: keeping, ask: ask)
    }
}

extension SniffedSource {
    /// The bytes read ahead are the file's first ones, served again: offsets are the source's.
    var positional: PositionalFile? { source.positional }
}
