#if canImport(Glibc)
    import SoeLanguage
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// An .xlsx is a ZIP file whose directory comes last, and an entry's size and checksum come before
// its bytes: a sheet of a large batch cannot go straight to its target. It goes to a temporary
// file, its CRC-32 and size counted on the way; at the end the package is assembled into the
// target sink (an `AtomicFileSink`, so the .xlsx appears complete or not at all).

/// Collects a worksheet's XML, as a batch writes it, in a temporary file, then writes the whole
/// .xlsx package to a target with `finish`.
public final class XLSXSink: BatchSink {
    private var fd: Int32
    private var size = 0
    private var crc: UInt32 = 0
    /// The sheet's rows so far (`<row>` tags; a text cell's `<` is escaped, so none is one), and the
    /// last bytes of the last write, where a tag may have begun.
    private(set) var rows = 0
    private var carry: [UInt8] = []
    /// The sheet's name in the workbook.
    public let sheetName: String

    /// Makes the temporary file beside `path` (the output's own folder, where the output will be
    /// written anyway), and removes its name at once: the open file is all there is, and it is
    /// gone when closed, however the run ends.
    public static func create(beside path: String, sheetName: String) -> Result<XLSXSink, ToolError> {
        var template = Array(TemporaryFiles.template(for: path + ".sheet").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { return .failure(ToolError("cannot write \(path): \(FileSystem.lastError())")) }
        template.withUnsafeBufferPointer { buffer in _ = buffer.baseAddress.map { unlink($0) } }
        return .success(XLSXSink(fd: fd, sheetName: sheetName))
    }

    private init(fd: Int32, sheetName: String) {
        self.fd = fd
        self.sheetName = sheetName
    }

    public func write(_ bytes: [UInt8]) -> ToolError? {
        guard fd >= 0 else { return ToolError("cannot write the sheet: it is already closed") }
        rows += Self.rowStarts(in: bytes, carry: &carry)
        if rows > XlsxSheetReader.maxRow {
            return ToolError(
                "the results have more rows than an .xlsx sheet holds (\(XlsxSheetReader.maxRow), the header included), "
                    + "which Excel would cut short and soe would not read back; write them as CSV (--format csv), which has no such limit")
        }
        crc = CRC32.checksum(bytes, initial: crc)
        size += bytes.count
        return bytes.withUnsafeBytes { raw in BatchIO.writeAll(fd, raw, name: "the temporary sheet") }
    }

    /// How many `<row>` tags begin in `bytes`, counting one that began in the last four bytes of
    /// the write before (`carry`, which is left holding this write's last four bytes).
    static func rowStarts(in bytes: [UInt8], carry: inout [UInt8]) -> Int {
        let tag = Array("<row>".utf8)
        var count = 0
        if !carry.isEmpty {
            // A tag that straddles the two writes: it starts in `carry`.
            let joined = carry + bytes.prefix(tag.count - 1)
            for start in 0..<carry.count where start + tag.count <= joined.count && joined[start..<start + tag.count].elementsEqual(tag) {
                count += 1
            }
        }
        // From `<` to `<` by the C library's `memchr`, which skips ahead by words, not a loop over
        // every byte of the sheet.
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var index = 0
            while index + tag.count <= buffer.count, let hit = memchr(base + index, 0x3C, buffer.count - index) {
                index = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                guard index + tag.count <= buffer.count else { break }
                if base[index + 1] == 0x72 && base[index + 2] == 0x6F && base[index + 3] == 0x77 && base[index + 4] == 0x3E { count += 1 }
                index += 1
            }
        }
        carry = Array((bytes.count >= tag.count - 1 ? bytes : carry + bytes).suffix(tag.count - 1))
        return count
    }

    /// Writes the whole .xlsx to `target`: the fixed parts, the sheet read back from the temporary
    /// file, and the ZIP directory. The temporary file is closed either way.
    public func finish(to target: BatchSink) -> ToolError? {
        defer { close() }
        var zip = ZipWriter(to: target)
        for (name, text) in XLSXWriter.parts(sheetName: sheetName) {
            if let error = zip.add(name, Array(text.utf8)) { return error }
        }
        let (fd, size) = (self.fd, self.size)
        let error = zip.add(XLSXWriter.sheetPart, size: size, crc: crc) { sink in
            guard lseek(fd, 0, SEEK_SET) == 0 else { return ToolError("cannot read the temporary sheet: \(FileSystem.lastError())") }
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var left = size
            while left > 0 {
                let count = buffer.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress, min(raw.count, left)) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return ToolError("cannot read the temporary sheet: \(FileSystem.lastError())") }
                if let error = sink.write(Array(buffer[0..<count])) { return error }
                left -= count
            }
            return nil
        }
        return error ?? zip.finish()
    }

    /// Closes the temporary file, which removes it.
    public func close() {
        guard fd >= 0 else { return }
        #if canImport(Darwin)
            _ = Darwin.close(fd)
        #elseif canImport(Musl)
            _ = Musl.close(fd)
        #else
            _ = Glibc.close(fd)
        #endif
        fd = -1
    }

    deinit { close() }
}
