import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine

/// Hex to bytes, for vectors made by zlib (`compressobj(level, DEFLATED, -15)`).
func hexBytes(_ hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}

func inflateError(_ bytes: [UInt8], limits: UnpackLimits = UnpackLimits()) -> String? {
    do {
        _ = try Inflate.inflate(bytes[...], limits: limits)
        return nil
    } catch {
        return error.message
    }
}

@Suite("ZIP and DEFLATE")
struct ZipInflateTests {
    @Test("CRC-32: the check values of the standard, and a running checksum continues")
    func crc() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        let whole = Array("The quick brown fox jumps over the lazy dog".utf8)
        let first = CRC32.checksum(whole[0..<10])
        #expect(CRC32.checksum(whole[10...], initial: first) == 0x414F_A339)
    }

    /// The text zlib compressed into the dynamic-Huffman vector below.
    static let text =
        "Socialoekonomisk virksomhed: " + (0..<40).map { "firma \($0) har \($0 * 7 % 13) ansatte i fleksjob" }.joined(separator: " ")
    static let dynamic =
        "85d34b0ec3200c45d1adb084d8e6db6d7405b44d149a0f521275fdada0537813465708fb887b7ea6b8e671c97bded2b9a84f3a96336ff3f8baa9291d5b54839ae3f13be37ec6eb1a5552d33a2ee73b3ffe0195c0b5032e01b50329816f07ba04dc0e4c09423bb0259076e0ea233b73fa52e87610ea159d41a92ed3748aba4deacc4a759fb6530834d3088d0c52238bd8c82137f2088e"

    static let dynamicTail =
        "0292e301d231213b6688c782f058433c36088f2dc263077f9c47781c109e0c084f08e109233c1188271ae189817862119e3888271ee14968e27d01"

    @Test("inflate: zlib's empty, stored, fixed and dynamic streams give back their bytes")
    func vectors() throws {
        #expect(try Inflate.inflate(hexBytes("0300")[...]) == [])
        #expect(try Inflate.inflate(hexBytes("010300fcff616263")[...]) == Array("abc".utf8))
        #expect(try Inflate.inflate(hexBytes("4b4c4a4e444200")[...]) == Array("abcabcabcabcabc".utf8))
        let dynamic = try Inflate.inflate(hexBytes(Self.dynamic + Self.dynamicTail)[...])
        #expect(dynamic == Array(Self.text.utf8))
        #expect(CRC32.checksum(dynamic) == 3_828_560_991)
        // The test's own literal encoder, over every byte value.
        let all = (0..<1000).map { UInt8($0 % 256) }
        #expect(try Inflate.inflate(DeflateMaker.literals(all)[...]) == all)
    }

    @Test("inflate: every malformed stream is refused with what is wrong")
    func malformed() {
        // Block type 3 (reserved).
        #expect(inflateError([0x07]) ?? "" == "the compressed data has a block of the reserved type 3")
        // Stored block whose NLEN is not the complement of LEN.
        #expect(inflateError(hexBytes("010300fcfe616263"))?.contains("does not match its check") == true)
        // Truncated: stored data cut short, fixed block cut short, nothing at all.
        #expect(inflateError(hexBytes("010300fcff6162"))?.contains("ends in the middle") == true)
        #expect(inflateError(hexBytes("4b4c4a"))?.contains("ends in the middle") == true)
        #expect(inflateError([])?.contains("ends in the middle") == true)
        // A match 1 byte back with nothing written yet.
        var bits = BitWriter()
        bits.write(1, 1)
        bits.write(1, 2)
        bits.code(0b0000001, 7)  // length code 257: 3 bytes
        bits.code(0, 5)  // distance 1
        bits.code(0, 7)
        #expect(inflateError(bits.finish())?.contains("before its start") == true)
        // Fixed-code length symbols 286 and 287 and distance codes 30 and 31 do not exist.
        var length = BitWriter()
        length.write(1, 1)
        length.write(1, 2)
        length.code(0xC6, 8)  // 286
        #expect(inflateError(length.finish())?.contains("invalid length code 286") == true)
        var distance = BitWriter()
        distance.write(1, 1)
        distance.write(1, 2)
        distance.code(0x30 + 65, 8)  // 'A'
        distance.code(0b0000001, 7)
        distance.code(30, 5)
        #expect(inflateError(distance.finish())?.contains("invalid distance code 30") == true)
    }

    /// A dynamic block header: literal/length and distance code lengths as given, sent with a
    /// code-length code that gives every length 0…15 a 5-bit code (over-complete on purpose when
    /// `codeLengthLengths` says so).
    static func dynamicHeader(
        literals: [UInt8], distances: [UInt8], codeLengthLengths: [UInt8]? = nil, _ bits: inout BitWriter
    ) {
        bits.write(1, 1)
        bits.write(2, 2)
        bits.write(literals.count - 257, 5)
        bits.write(distances.count - 1, 5)
        bits.write(19 - 4, 4)
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        // Lengths 0…15 get 4 bits each, 16–18 none: 16 codes of 4 bits, complete.
        let lengths = codeLengthLengths ?? (0..<19).map { $0 < 16 ? 4 : 0 }
        for symbol in order { bits.write(Int(lengths[symbol]), 3) }
        for length in literals + distances { bits.code(Int(length), 4) }
    }

    @Test("inflate: over-subscribed and incomplete codes, and code lengths that break the rules")
    func badCodes() {
        var literals = [UInt8](repeating: 8, count: 288)
        for index in 144..<256 { literals[index] = 9 }
        for index in 256..<280 { literals[index] = 7 }
        // Over-subscribed: one 8-bit code too many.
        var over = BitWriter()
        var tooMany = Array(literals[0..<286])
        for index in 280..<286 { tooMany[index] = 7 }
        Self.dynamicHeader(literals: tooMany, distances: [UInt8](repeating: 5, count: 30), &over)
        #expect(inflateError(over.finish())?.contains("over-subscribed") == true)
        // Incomplete: two literal codes of length 2 and nothing else.
        var incomplete = BitWriter()
        var two = [UInt8](repeating: 0, count: 257)
        (two[65], two[256]) = (2, 2)
        Self.dynamicHeader(literals: two, distances: [1], &incomplete)
        #expect(inflateError(incomplete.finish())?.contains("incomplete") == true)
        // No end-of-block code.
        var noEnd = BitWriter()
        var withoutEnd = [UInt8](repeating: 0, count: 257)
        (withoutEnd[65], withoutEnd[66]) = (1, 1)
        Self.dynamicHeader(literals: withoutEnd, distances: [1], &noEnd)
        #expect(inflateError(noEnd.finish())?.contains("no end-of-block code") == true)
        // The code-length code itself over-subscribed (19 codes of 1 bit).
        var badLengths = BitWriter()
        Self.dynamicHeader(literals: two, distances: [1], codeLengthLengths: [UInt8](repeating: 1, count: 19), &badLengths)
        #expect(inflateError(badLengths.finish())?.contains("code-length code lengths are over-subscribed") == true)
        // More than 286 literal/length codes declared (HLIT 30 → 287).
        var tooLong = BitWriter()
        tooLong.write(1, 1)
        tooLong.write(2, 2)
        tooLong.write(30, 5)
        tooLong.write(0, 5)
        tooLong.write(0, 4)
        #expect(inflateError(tooLong.finish())?.contains("more than DEFLATE has") == true)
        // A repeat (code 16) before any length.
        var repeatFirst = BitWriter()
        repeatFirst.write(1, 1)
        repeatFirst.write(2, 2)
        repeatFirst.write(0, 5)
        repeatFirst.write(0, 5)
        repeatFirst.write(0, 4)
        // HCLEN 4: lengths of 16, 17, 18, 0 → give 16 and 0 one bit each.
        for length in [1, 0, 0, 1] { repeatFirst.write(length, 3) }
        repeatFirst.code(1, 1)  // symbol 16 (code 1: 0 < 16 in canonical order)
        repeatFirst.write(0, 2)
        #expect(inflateError(repeatFirst.finish())?.contains("repeats the previous one, but there is none") == true)
    }

    /// A dynamic block that makes `matches` × 258 zero bytes from 2 bits each: the highest ratio
    /// DEFLATE allows, about 1,000 to 1.
    static func bomb(matches: Int) -> [UInt8] {
        var bits = BitWriter()
        bits.write(1, 1)
        bits.write(2, 2)
        bits.write(286 - 257, 5)
        bits.write(0, 5)  // one distance code
        bits.write(18 - 4, 4)  // code-length codes up to the one of length 1 in the order
        // Code-length code: 18 → 1 bit (0), 1 → 2 bits (10), 2 → 2 bits (11).
        var codeLengths = [UInt8](repeating: 0, count: 19)
        (codeLengths[18], codeLengths[1], codeLengths[2]) = (1, 2, 2)
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1]
        for symbol in order { bits.write(Int(codeLengths[symbol]), 3) }
        // Literal 0: length 2; 1…255: 0 (138 + 117 zeros); 256: 2; 257…284: 0 (28); 285: 1; distance 0: 1.
        bits.code(0b11, 2)
        bits.code(0, 1)
        bits.write(138 - 11, 7)
        bits.code(0, 1)
        bits.write(117 - 11, 7)
        bits.code(0b11, 2)
        bits.code(0, 1)
        bits.write(28 - 11, 7)
        bits.code(0b10, 2)
        bits.code(0b10, 2)
        // Lengths: 285 → 1 bit (code 0), 0 → 2 bits (10), 256 → 2 bits (11); distance 0 → 1 bit.
        bits.code(0b10, 2)
        for _ in 0..<matches {
            bits.code(0, 1)
            bits.code(0, 1)
        }
        bits.code(0b11, 2)
        return bits.finish()
    }

    @Test("zip bomb: a stream that would inflate to 2 GiB is refused after about 1 MiB, at once")
    func bomb() throws {
        let small = Self.bomb(matches: 100)
        #expect(try Inflate.inflate(small[...]) == [UInt8](repeating: 0, count: 1 + 258 * 100))
        let bomb = Self.bomb(matches: (2 << 30) / 258)
        let started = ContinuousClock.now
        let message = inflateError(bomb)
        #expect(message?.contains("more than 200 times its compressed size") == true)
        #expect(ContinuousClock.now - started < .seconds(2))
        // The size cap, on its own: 10 MiB of a legitimate stream against a cap of 1 MiB.
        var limits = UnpackLimits()
        limits.entryBytes = 1 << 20
        limits.ratio = 10_000
        #expect(inflateError(Self.bomb(matches: 40_000), limits: limits)?.contains("more than 1 MiB") == true)
    }

    @Test("ZIP: stored and deflated entries, a trailing comment, CRC and size checked")
    func archive() throws {
        let data = Array("<x>æøå</x>".utf8)
        for comment in ["", "made by a test, with a comment that mentions PK\u{5}\u{6}"] {
            var zip = try ZipArchive(
                ZipMaker.archive([ZipMaker.Entry("a.xml", data), ZipMaker.Entry("b/c.xml", data, deflated: true)], comment: comment))
            #expect(zip.entries.map(\.name) == ["a.xml", "b/c.xml"])
            #expect(try zip.data(of: try #require(zip.entry(named: "a.xml"))) == data)
            #expect(try zip.data(of: try #require(zip.entry(named: "B/C.XML"))) == data)
            #expect(zip.inflatedTotal == 2 * data.count)
        }
    }

    func zipError(_ bytes: [UInt8], entry: String = "a.xml") -> String? {
        do {
            var zip = try ZipArchive(bytes)
            guard let found = zip.entry(named: entry) else { return "no entry" }
            _ = try zip.data(of: found)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("ZIP: every archive soe does not read is refused with the reason")
    func refused() {
        let good = ZipMaker.archive([ZipMaker.Entry("a.xml", Array("hello".utf8))])
        #expect(zipError(good) == nil)
        #expect(zipError(Array(good.dropLast(3)))?.contains("no end-of-central-directory record") == true)
        #expect(zipError([0x50, 0x4B])?.contains("too short") == true)
        // The data damaged: the CRC no longer matches.
        var damaged = good
        damaged[30 + 5] ^= 0x20
        #expect(zipError(damaged)?.contains("CRC-32") == true)
        // Encrypted (flag bit 0), method 12 (bzip2), a size that does not match.
        func patched(_ offset: (Int) -> Int, _ value: UInt8) -> [UInt8] {
            var bytes = good
            let directory = bytes.count - 22 - 46 - 5
            bytes[offset(directory)] = value
            return bytes
        }
        #expect(zipError(patched({ $0 + 8 }, 1))?.contains("encrypted") == true)
        #expect(zipError(patched({ $0 + 10 }, 12))?.contains("method 12") == true)
        #expect(zipError(patched({ $0 + 24 }, 6))?.contains("the directory says 6") == true)
        #expect(zipError(patched({ $0 + 42 }, 7))?.contains("local header") == true)
        // Two entries of one name; a ZIP64 locator; a directory that lies outside the file.
        let twice = ZipMaker.archive([ZipMaker.Entry("a.xml", [1]), ZipMaker.Entry("A.xml", [2])])
        #expect(zipError(twice)?.contains("two entries are named") == true)
        var zip64 = good
        let end = zip64.count - 22
        zip64.insert(contentsOf: [0x50, 0x4B, 0x06, 0x07] + [UInt8](repeating: 0, count: 16), at: end)
        // Four bytes that read as a ZIP64 locator before a record that marks nothing: read as
        // the plain archive it is; with the record's offset marked 0xFFFFFFFF, the locator must hold.
        #expect(zipError(zip64) == nil)
        for index in (zip64.count - 6)..<(zip64.count - 2) { zip64[index] = 0xFF }
        #expect(zipError(zip64)?.contains("ZIP64 end-of-central-directory record is missing or damaged") == true)
        var outside = good
        outside[outside.count - 22 + 16] = 0xFF
        #expect(zipError(outside)?.contains("outside the file") == true)
        // Too large to read at all.
        var limits = UnpackLimits()
        limits.archiveBytes = 10
        #expect(throws: SheetError.self) { try ZipArchive(good, limits: limits) }
    }

    /// The bytes of a committed fixture.
    func fixture(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestPaths.fixtures + "/spreadsheets/" + name)))
    }

    /// Every entry's name and data, read whole.
    func contents(_ bytes: [UInt8]) throws -> [String: [UInt8]] {
        var zip = try ZipArchive(bytes)
        var result: [String: [UInt8]] = [:]
        for entry in zip.entries { result[entry.name] = try zip.data(of: entry) }
        return result
    }

    @Test(
        "a ZIP64 archive of a few KB, as Info-ZIP's zip -fz writes it, reads as the archive it was made from; damaged ZIP64 parts are named"
    )
    func zip64() throws {
        let wide = try fixture("xlsx-firms-zip64.xlsx")
        let plain = try contents(fixture("xlsx-firms.xlsx"))
        #expect(try contents(wide) == plain)
        #expect(plain.count == 9)
        // Where the ZIP64 parts are: the locator 20 bytes before the end record, the ZIP64 record
        // it points at, and the directory entries' extra fields (every entry's size is marked).
        let end = wide.count - 22
        #expect(ZipArchive.u32(wide, end - 20) == 0x0706_4B50 && ZipArchive.u32(wide, end + 16) == 0xFFFF_FFFF)
        let record = try #require(ZipArchive.u64(wide, end - 20 + 8))
        #expect(ZipArchive.u32(wide, record) == 0x0606_4B50)
        func damaged(_ change: (inout [UInt8]) -> Void) -> String? {
            var bytes = wide
            change(&bytes)
            do {
                _ = try contents(bytes)
                return nil
            } catch let error as SheetError {
                return error.message
            } catch {
                return "\(error)"
            }
        }
        // The locator pointing one byte off, and the end record's marks with no locator.
        #expect(damaged { $0[end - 20 + 8] &+= 1 }?.contains("ZIP64 end-of-central-directory record is missing or damaged") == true)
        #expect(damaged { $0[end - 20] = 0 }?.contains("marks ZIP64 values, but no ZIP64 record precedes it") == true)
        // A count no file of this size can hold, in the ZIP64 record (on this disk and in all), where
        // the end record marks its counts for it (0xFFFF): read from there, and refused.
        #expect(
            damaged {
                for field in [record + 24, record + 32] { $0[field + 5] = 0x01 }
                for field in (end + 8)..<(end + 12) { $0[field] = 0xFF }
            }?.contains("more than the file can hold") == true)
        // Unmarked, the end record's own count stands, as APPNOTE 4.4.1.4 says.
        #expect(damaged { for field in [record + 24, record + 32] { $0[field + 5] = 0x01 } } == nil)
        // The first directory entry's ZIP64 field renamed (id 0x0001 to 0x0099): its size is unknown.
        let directory = try #require(ZipArchive.u64(wide, record + 48))
        let extra = directory + 46 + ZipArchive.u16(wide, directory + 28)
        #expect(ZipArchive.u16(wide, extra) == 1)
        #expect(
            damaged { $0[extra] = 0x99 }?.contains("marks ZIP64 sizes, but its ZIP64 field is missing or damaged") == true)
        // Any ZIP64 value at its largest (a size near Int.max): refused, never a crash.
        #expect(damaged { for byte in (extra + 4)..<(extra + 11) { $0[byte] = 0xFF } } != nil)
        // A local header's offset near Int.max, as a ZIP64 field may give it: refused, never an
        // overflow in the bounds check.
        var archive = try ZipArchive(wide)
        var far = try #require(archive.entries.first)
        far.localOffset = Int.max - 10
        do {
            _ = try archive.data(of: far)
            Issue.record("an entry at Int.max - 10 was read")
        } catch {
            #expect(error.message.contains("its local header is missing or damaged"), "\(error.message)")
        }
        // Bytes of the ZIP64 parts changed at random, a thousand times: an error or the same
        // entries, never a crash nor other data (the CRC-32 holds the data to what was written).
        var generator = SplitMix64(seed: 0x64)
        let spots = Array((end - 20)..<(end + 22)) + Array(record..<(record + 56)) + Array(extra..<(extra + 12))
        for _ in 0..<1000 {
            var bytes = wide
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                bytes[spots[Int(generator.next() % UInt64(spots.count))]] = UInt8(truncatingIfNeeded: generator.next())
            }
            if let read = try? contents(bytes) { #expect(read == plain) }
        }
        // The ZIP64 field shorter than the values it must hold.
        #expect(
            damaged { $0[extra + 2] = 4 }?.contains("marks ZIP64 sizes, but its ZIP64 field is missing or damaged") == true)
    }
}
