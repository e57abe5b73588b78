import SoeLanguage

// A ZIP archive read from memory (APPNOTE 6.3): the end-of-central-directory record (found from the
// end, past a trailing comment), the central directory, each entry's local header, and its data,
// stored (method 0) or deflated (method 8), checked against its CRC-32 and declared size. ZIP64
// records and fields are read where a writer used them. What a workbook never needs is refused
// with the reason: archives split over disks, encryption, other compression methods, two entries
// of the same name.

/// The entries of a ZIP archive, read on demand within `UnpackLimits`.
public struct ZipArchive {
    /// One entry as the central directory describes it.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var method: Int
        public var flags: Int
        public var crc: UInt32
        public var compressedSize: Int
        public var size: Int
        public var localOffset: Int
    }

    let bytes: [UInt8]
    /// The entries in the central directory's order.
    public let entries: [Entry]
    public let limits: UnpackLimits
    /// The bytes inflated so far, against `limits.totalBytes`.
    public private(set) var inflatedTotal = 0

    static func refused(_ english: String, _ danish: String) -> SheetError {
        SheetError("not a readable ZIP archive: \(english)", da: "ikke et læsbart ZIP-arkiv: \(danish)")
    }

    /// Reads the central directory of `bytes`; the entries' data is read by `data(of:)`.
    public init(_ bytes: [UInt8], limits: UnpackLimits = UnpackLimits()) throws(SheetError) {
        self.bytes = bytes
        self.limits = limits
        guard bytes.count <= limits.archiveBytes else {
            throw Self.refused(
                "the file is larger than \(limits.archiveBytes >> 20) MiB, the limit",
                "filen er større end \(limits.archiveBytes >> 20) MiB, grænsen")
        }
        guard bytes.count >= 22 else { throw Self.refused("the file is too short to be one", "filen er for kort til at være et") }
        // The record is 22 bytes and its comment at most 65535: search back that far for the
        // signature whose comment length reaches exactly to the end.
        var end: Int?
        var candidate = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while candidate >= lowest {
            if Self.u32(bytes, candidate) == 0x0605_4B50 && candidate + 22 + Self.u16(bytes, candidate + 20) == bytes.count {
                end = candidate
                break
            }
            candidate -= 1
        }
        guard let end else {
            // A record whose comment ends before the file does, and whose directory ends at it:
            // the archive is whole and bytes follow it, which a reader cannot tell apart from a
            // damaged copy; say so, rather than "truncated".
            candidate = bytes.count - 22
            while candidate >= lowest {
                if Self.u32(bytes, candidate) == 0x0605_4B50,
                    case let archiveEnd = candidate + 22 + Self.u16(bytes, candidate + 20), archiveEnd < bytes.count,
                    Int(Self.u32(bytes, candidate + 16)) + Int(Self.u32(bytes, candidate + 12)) == candidate
                {
                    let extra = bytes.count - archiveEnd
                    throw Self.refused(
                        "\(extra) bytes follow the end of the archive at byte \(archiveEnd) (two files joined, or a damaged copy); open the workbook in its spreadsheet program and save it again",
                        "\(extra) bytes følger efter arkivets afslutning ved byte \(archiveEnd) (to filer sat sammen, eller en beskadiget kopi); åbn projektmappen i regnearksprogrammet, og gem den igen"
                    )
                }
                candidate -= 1
            }
            throw Self.refused(
                "it has no end-of-central-directory record (truncated, or not a ZIP file)",
                "det har ingen afslutning af det centrale katalog (afkortet, eller ikke en ZIP-fil)")
        }
        var disk = Self.u16(bytes, end + 4)
        var directoryDisk = Self.u16(bytes, end + 6)
        var onDisk = Self.u16(bytes, end + 8)
        var count = Self.u16(bytes, end + 10)
        var directorySize = Int(Self.u32(bytes, end + 12))
        var directoryOffset = Int(Self.u32(bytes, end + 16))
        // ZIP64 (APPNOTE 4.3.14, 4.3.15): a locator just before the record points at a ZIP64 record
        // with the counts and offsets in 8 bytes, which replace the record's values marked 0xFFFF or
        // 0xFFFFFFFF. Some writers use it for any archive, however small (Info-ZIP's `zip -fz` and
        // `zip` when streaming, libraries set to "always"): it is read, and the caps on the file and
        // on what it unpacks hold as for any archive.
        var directoryEnd = end
        let marked =
            disk == 0xFFFF || directoryDisk == 0xFFFF || onDisk == 0xFFFF || count == 0xFFFF
            || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF
        if end >= 20 && Self.u32(bytes, end - 20) == 0x0706_4B50 {
            let locator = end - 20
            if let record = Self.u64(bytes, locator + 8), record <= locator - 56, Self.u32(bytes, record) == 0x0606_4B50,
                let wideOnDisk = Self.u64(bytes, record + 24), let wideCount = Self.u64(bytes, record + 32),
                let wideSize = Self.u64(bytes, record + 40), let wideOffset = Self.u64(bytes, record + 48)
            {
                if disk == 0xFFFF { disk = Int(Self.u32(bytes, record + 16)) }
                if directoryDisk == 0xFFFF { directoryDisk = Int(Self.u32(bytes, record + 20)) }
                if onDisk == 0xFFFF { onDisk = wideOnDisk }
                if count == 0xFFFF { count = wideCount }
                if directorySize == 0xFFFF_FFFF { directorySize = wideSize }
                if directoryOffset == 0xFFFF_FFFF { directoryOffset = wideOffset }
                guard Self.u32(bytes, locator + 4) == 0, Self.u32(bytes, locator + 16) <= 1 else {
                    throw Self.refused("it is split over several disks", "det er delt over flere diske")
                }
                directoryEnd = record
            } else if marked {
                throw Self.refused(
                    "its ZIP64 end-of-central-directory record is missing or damaged",
                    "dets ZIP64-afslutning af det centrale katalog mangler eller er beskadiget")
            }
            // Else four bytes that happen to read as a locator before a record that needs none
            // (nothing marked 0xFFFF): the plain record is read as it stands.
        } else if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            throw Self.refused(
                "its end-of-central-directory record marks ZIP64 values, but no ZIP64 record precedes it (damaged?)",
                "dets afslutning af det centrale katalog markerer ZIP64-værdier, men ingen ZIP64-afslutning står før den (beskadiget?)")
        }
        guard disk == 0, directoryDisk == 0, onDisk == count else {
            throw Self.refused("it is split over several disks", "det er delt over flere diske")
        }
        // Every directory entry is at least 46 bytes: a count beyond what the file can hold is damage,
        // said before any entry is read.
        guard count <= bytes.count / 46 else {
            throw Self.refused(
                "its directory claims \(count) entries, more than the file can hold",
                "dets katalog angiver \(count) poster, flere end filen kan rumme")
        }
        guard directoryOffset <= directoryEnd, directorySize <= directoryEnd - directoryOffset else {
            throw Self.refused(
                "its central directory lies outside the file (truncated?)", "dets centrale katalog ligger uden for filen (afkortet?)")
        }
        var entries: [Entry] = []
        var seen = Set<String>()
        var offset = directoryOffset
        for number in 0..<count {
            guard offset + 46 <= directoryEnd, Self.u32(bytes, offset) == 0x0201_4B50 else {
                throw Self.refused(
                    "central directory entry \(number + 1) of \(count) is damaged",
                    "post \(number + 1) af \(count) i det centrale katalog er beskadiget")
            }
            let nameLength = Self.u16(bytes, offset + 28)
            let extraLength = Self.u16(bytes, offset + 30)
            let commentLength = Self.u16(bytes, offset + 32)
            let next = offset + 46 + nameLength + extraLength + commentLength
            guard next <= directoryEnd else {
                throw Self.refused(
                    "central directory entry \(number + 1) runs past the directory", "post \(number + 1) løber ud over det centrale katalog"
                )
            }
            let name = String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self)
            var entry = Entry(
                name: name, method: Self.u16(bytes, offset + 10), flags: Self.u16(bytes, offset + 8), crc: Self.u32(bytes, offset + 16),
                compressedSize: Int(Self.u32(bytes, offset + 20)), size: Int(Self.u32(bytes, offset + 24)),
                localOffset: Int(Self.u32(bytes, offset + 42)))
            if entry.compressedSize == 0xFFFF_FFFF || entry.size == 0xFFFF_FFFF || entry.localOffset == 0xFFFF_FFFF {
                let extra = (offset + 46 + nameLength)..<(offset + 46 + nameLength + extraLength)
                guard let wide = Self.zip64Values(bytes, extra: extra, entry: entry) else {
                    throw Self.refused(
                        "entry \(DisplayText.value(name)) marks ZIP64 sizes, but its ZIP64 field is missing or damaged",
                        "posten \(DisplayText.value(name)) markerer ZIP64-størrelser, men dens ZIP64-felt mangler eller er beskadiget")
                }
                entry = wide
            }
            guard seen.insert(name.lowercased()).inserted else {
                throw Self.refused(
                    "two entries are named \(DisplayText.value(name)), so which one counts is ambiguous",
                    "to poster hedder \(DisplayText.value(name)), så det er tvetydigt, hvilken der gælder")
            }
            entries.append(entry)
            offset = next
        }
        self.entries = entries
    }

    /// The entry of a name, compared without letter case (OPC part names are case-insensitive).
    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name } ?? entries.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The data of an entry, inflated and checked against its CRC-32 and size.
    public mutating func data(of entry: Entry) throws(SheetError) -> [UInt8] {
        let name = DisplayText.value(entry.name)
        func problem(_ english: String, _ danish: String) -> SheetError {
            SheetError("ZIP entry \(name): \(english)", da: "ZIP-posten \(name): \(danish)")
        }
        if entry.flags & 1 != 0 {
            throw problem(
                "it is encrypted; save the workbook without a password", "den er krypteret; gem projektmappen uden adgangskode")
        }
        let local = entry.localOffset
        guard local >= 0, local <= bytes.count - 30, Self.u32(bytes, local) == 0x0403_4B50 else {
            throw problem("its local header is missing or damaged", "dens lokale hoved mangler eller er beskadiget")
        }
        let start = local + 30 + Self.u16(bytes, local + 26) + Self.u16(bytes, local + 28)
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw problem("its data runs past the end of the file (truncated?)", "dens data løber ud over filens slutning (afkortet?)")
        }
        let remaining = min(limits.entryBytes, limits.totalBytes - inflatedTotal)
        guard entry.size <= remaining else {
            throw problem(
                "it declares \(entry.size) bytes, more than the \(remaining >> 20) MiB left under the limit",
                "den angiver \(entry.size) byte, flere end de \(remaining >> 20) MiB, grænsen levner")
        }
        let raw = bytes[start..<(start + entry.compressedSize)]
        var data: [UInt8]
        switch entry.method {
        case 0: data = Array(raw)
        case 8:
            do throws(SheetError) {
                data = try Inflate.inflate(raw, expected: entry.size, limits: limits, limit: remaining)
            } catch {
                throw problem(error.message, error.danish ?? error.message)
            }
        default:
            throw problem(
                "it is compressed with method \(entry.method); soe reads stored (0) and deflated (8) entries, as every spreadsheet program writes them",
                "den er komprimeret med metode \(entry.method); soe læser ukomprimerede (0) og deflate-komprimerede (8) poster, som alle regnearksprogrammer skriver"
            )
        }
        guard data.count == entry.size else {
            throw problem(
                "it holds \(data.count) bytes, but the directory says \(entry.size)",
                "den har \(data.count) byte, men kataloget siger \(entry.size)")
        }
        guard CRC32.checksum(data) == entry.crc else {
            throw problem(
                "its CRC-32 checksum does not match: the file is damaged", "dens CRC-32-kontrolsum passer ikke: filen er beskadiget")
        }
        inflatedTotal += data.count
        return data
    }

    /// An 8-byte little-endian count or offset, nil when it does not fit an `Int` (no archive soe
    /// reads comes near) or the bytes run past the end.
    static func u64(_ bytes: [UInt8], _ offset: Int) -> Int? {
        guard offset >= 0, offset <= bytes.count - 8 else { return nil }
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        return value <= UInt64(Int.max) ? Int(value) : nil
    }

    /// The entry with its sizes and offset from the ZIP64 extended information extra field (id
    /// 0x0001, APPNOTE 4.5.3), which holds, in this order, only the values the directory entry
    /// marks with 0xFFFFFFFF: the size, the compressed size, the local header's offset. Nil when
    /// the field is missing or too short for them.
    static func zip64Values(_ bytes: [UInt8], extra: Range<Int>, entry: Entry) -> Entry? {
        var at = extra.lowerBound
        while at + 4 <= extra.upperBound {
            let id = u16(bytes, at)
            let length = u16(bytes, at + 2)
            guard at + 4 + length <= extra.upperBound else { return nil }
            if id == 0x0001 {
                var entry = entry
                var field = at + 4
                let fieldEnd = field + length
                func next() -> Int? {
                    guard field + 8 <= fieldEnd, let value = u64(bytes, field) else { return nil }
                    field += 8
                    return value
                }
                if entry.size == 0xFFFF_FFFF {
                    guard let value = next() else { return nil }
                    entry.size = value
                }
                if entry.compressedSize == 0xFFFF_FFFF {
                    guard let value = next() else { return nil }
                    entry.compressedSize = value
                }
                if entry.localOffset == 0xFFFF_FFFF {
                    guard let value = next() else { return nil }
                    entry.localOffset = value
                }
                return entry
            }
            at += 4 + length
        }
        return nil
    }

    @inline(__always) static func u16(_ bytes: [UInt8], _ offset: Int) -> Int {
        Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    @inline(__always) static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }
}
