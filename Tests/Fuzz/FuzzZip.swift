// Fuzz target `zip`: any bytes as a raw DEFLATE stream and as a ZIP archive whose every entry is
// read, under small caps (1 MiB an entry, 2 MiB in all, ratio 200 past 64 KiB), so that the caps
// themselves are reached. Nothing may crash or hang; an inflated entry is never larger than its
// cap, and the archive's total never passes its own.
import SoeEngine
import SoeLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZip(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    runZip(bytes)
    return 0
}

func runZip(_ bytes: [UInt8]) {
    var limits = UnpackLimits()
    (limits.entryBytes, limits.totalBytes, limits.ratioFloor) = (1 << 20, 2 << 20, 1 << 16)
    do {
        let output = try Inflate.inflate(bytes[...], limits: limits)
        require(output.count <= limits.entryBytes, "inflated past the entry cap")
    } catch {
        require(!error.message.isEmpty && error.danish?.isEmpty == false, "a DEFLATE error without both texts")
    }
    do {
        var archive = try ZipArchive(bytes, limits: limits)
        for entry in archive.entries {
            do {
                let data = try archive.data(of: entry)
                require(data.count == entry.size, "an entry of another size than declared was accepted")
                require(CRC32.checksum(data) == entry.crc, "an entry with a wrong CRC was accepted")
            } catch {
                require(!error.message.isEmpty, "a ZIP entry error without a message")
            }
            require(archive.inflatedTotal <= limits.totalBytes, "inflated past the archive's cap")
        }
    } catch {
        require(!error.message.isEmpty && error.danish?.isEmpty == false, "a ZIP error without both texts")
    }
}
