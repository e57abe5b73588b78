import SoeLanguage

// A ZIP archive (APPNOTE 6.3.x, the subset every reader knows) with stored entries only: an .xlsx
// need not be compressed, and a writer without DEFLATE is one that can be read in a sitting. Each
// entry's CRC-32 and size are known before its local header is written (a results sheet is first
// written whole to a temporary file), so there are no data descriptors, and no ZIP64: an archive
// of 4 GiB or more is refused, not written wrong.

/// Writes a ZIP archive of stored (uncompressed) entries to a sink, in order, then its central
/// directory. Every time stamp is 1980-01-01 00:00, the earliest ZIP can hold, so that the same
/// entries always make the same bytes; names are UTF-8 (general purpose flag bit 11).
struct ZipWriter {
    private let sink: BatchSink
    /// Where the next local header starts: the bytes written so far.
    private var offset = 0
    /// The central directory, built as the entries are written.
    private var directory: [UInt8] = []
    private var count = 0
    /// The largest offset or size ZIP without ZIP64 can hold.
    static let limit = Int(UInt32.max) - 1

    init(to sink: BatchSink) { self.sink = sink }

    /// Adds an entry held in memory.
    mutating func add(_ name: String, _ contents: [UInt8]) -> ToolError? {
        add(name, size: contents.count, crc: CRC32.checksum(contents)) { $0.write(contents) }
    }

    /// Adds an entry of `size` bytes with checksum `crc`, whose bytes `write` sends to the sink
    /// after the local header (from a file, piece by piece).
    mutating func add(_ name: String, size: Int, crc: UInt32, write: (BatchSink) -> ToolError?) -> ToolError? {
        guard offset + size + 30 + name.utf8.count <= ZipWriter.limit, count < 0xFFFF else {
            return ToolError("the sheet is larger than 4 GiB, the most a ZIP file without ZIP64 holds; write CSV instead")
        }
        var header: [UInt8] = []
        ZipWriter.put32(0x0403_4B50, &header)
        entryFields(name, size: size, crc: crc, into: &header)
        header += name.utf8
        var central: [UInt8] = []
        ZipWriter.put32(0x0201_4B50, &central)
        ZipWriter.put16(20, &central)  // made by: MS-DOS attributes, APPNOTE 2.0
        entryFields(name, size: size, crc: crc, into: &central)
        ZipWriter.put16(0, &central)  // comment length
        ZipWriter.put16(0, &central)  // disk number
        ZipWriter.put16(0, &central)  // internal attributes
        ZipWriter.put32(0, &central)  // external attributes
        ZipWriter.put32(UInt32(offset), &central)
        central += name.utf8
        if let error = sink.write(header) ?? write(sink) { return error }
        directory += central
        offset += header.count + size
        count += 1
        return nil
    }

    /// Writes the central directory and its end record; the archive is then complete.
    mutating func finish() -> ToolError? {
        guard offset + directory.count + 22 <= ZipWriter.limit else {
            return ToolError("the sheet is larger than 4 GiB, the most a ZIP file without ZIP64 holds; write CSV instead")
        }
        var end: [UInt8] = []
        ZipWriter.put32(0x0605_4B50, &end)
        ZipWriter.put16(0, &end)  // this disk
        ZipWriter.put16(0, &end)  // the disk where the directory starts
        ZipWriter.put16(UInt16(count), &end)
        ZipWriter.put16(UInt16(count), &end)
        ZipWriter.put32(UInt32(directory.count), &end)
        ZipWriter.put32(UInt32(offset), &end)
        ZipWriter.put16(0, &end)  // comment length
        return sink.write(directory + end)
    }

    /// The fields a local header and a central directory entry share, from "version needed" to
    /// "extra field length".
    private func entryFields(_ name: String, size: Int, crc: UInt32, into bytes: inout [UInt8]) {
        ZipWriter.put16(20, &bytes)  // version needed: 2.0
        ZipWriter.put16(0x0800, &bytes)  // flags: the name is UTF-8
        ZipWriter.put16(0, &bytes)  // method: stored
        ZipWriter.put16(0, &bytes)  // time 00:00:00
        ZipWriter.put16(0x21, &bytes)  // date 1980-01-01
        ZipWriter.put32(crc, &bytes)
        ZipWriter.put32(UInt32(size), &bytes)  // compressed size
        ZipWriter.put32(UInt32(size), &bytes)  // uncompressed size
        ZipWriter.put16(UInt16(name.utf8.count), &bytes)
        ZipWriter.put16(0, &bytes)  // extra field length
    }

    static func put16(_ value: UInt16, _ bytes: inout [UInt8]) {
        bytes.append(UInt8(value & 0xFF))
        bytes.append(UInt8(value >> 8))
    }

    static func put32(_ value: UInt32, _ bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
