import SoeTestSupport
import Testing

@testable import SoeEngine

/// Everything a caller can see of a reader: each record or error, the bytes `withLastRecordBytes`
/// hands out, what was salvaged of a failed record, what `lookAhead()` shows after the header, the
/// dialect and the byte-order mark.
private struct Seen: Equatable {
    var items: [String] = []
}

private func seen(
    _ bytes: [UInt8], fill: UInt8?, fast: Bool = true, chunk: Int, limits: CSVLimits = .standard, dialect: CSVDialect? = nil
) -> Seen {
    var reader = CSVReader(
        source: PieceSource(bytes: bytes, size: chunk, random: SplitMix64(seed: 11)), dialect: dialect, limits: limits,
        firstBufferFill: fill)
    reader.fastScanning = fast
    var out = Seen()
    var first = true
    while let item = reader.next() {
        switch item {
        case .success(let record): out.items.append("record \(record.fields) line \(record.line) number \(record.number)")
        case .failure(let error):
            out.items.append("error \(error.message) \(error.line):\(error.column) #\(error.number)")
            if let salvaged = reader.salvaged { out.items.append("salvaged \(salvaged)") }
        }
        out.items.append("raw \(reader.withLastRecordBytes { Array($0) })")
        if first {
            out.items.append("look \(reader.lookAhead()) \(reader.lookAhead(atLeast: 2))")
            first = false
        }
    }
    out.items.append("dialect \(String(describing: reader.dialect)) mark \(reader.hadByteOrderMark) read \(reader.recordsRead)")
    return out
}

/// The reader's first buffer (64 KiB, or the most a record may take) is not zeroed: a one-firm run
/// wrote 65,536 zeros into it, 65,000 instructions and 16 page faults for a file of 300 bytes. That
/// is right only if the reader looks at no byte past what its reads put there. Here the buffer is
/// filled with a hostile byte (a quote, a separator, a line break, a byte-order mark's first byte, a
/// byte that is not UTF-8) before the first read, and everything a caller sees must be what a zeroed
/// buffer gives, for generated files shorter and longer than the buffer, records longer than it (the
/// buffer grows), small record limits, every dialect, whole and trickled reads, and both scanners.
/// The words of flags the fast scanner reads (`CSVReader.flags`), not zeroed either since session
/// 15, are filled with the same byte in each of their eight places: 0xEF and 0xFF mark every byte.
@Suite("CSV reader: the first buffer's bytes past the input are never looked at")
struct CSVFirstBufferTests {
    static let fills: [UInt8?] = [nil, 0x22, 0x2C, 0x3B, 0x09, 0x0A, 0x0D, 0xEF, 0xFF]

    static let pieces: [[UInt8]] = [
        [0x2C], [0x3B], [0x09], [0x22], [0x22, 0x22], [0x0A], [0x0D], [0x0D, 0x0A], [0x00], [0x7F], [0xC3, 0xA6],
        [0xE2, 0x88, 0x92], [0xC3], [0xFF], Array("12.5".utf8), Array("ja".utf8), [0xEF, 0xBB, 0xBF],
    ]

    static func generated(_ random: inout SplitMix64, round: Int) -> [UInt8] {
        var bytes: [UInt8] = round % 9 == 0 ? [0xEF, 0xBB, 0xBF] : []
        bytes += Array("id,name,amount\n".utf8)
        // Mostly short files, as a caseworker's one firm is; some past the first buffer.
        let parts = round % 25 == 0 ? 3_000 + random.next(4_000) : random.next(60)
        for _ in 0..<parts {
            if random.chance(1, in: 5) {
                bytes += [0x22] + [UInt8](repeating: 0x71, count: random.next(9)) + pieces[random.next(pieces.count)] + [0x22]
            } else if round % 50 == 0 && random.chance(1, in: 500) {
                // A field longer than the first buffer: the buffer grows, its new bytes zeroed.
                bytes += [UInt8](repeating: 0x62, count: 70_000 + random.next(5_000))
            } else {
                bytes += pieces[random.next(pieces.count)]
            }
        }
        // Ending with or without a line break, or inside a quote.
        bytes += [[], [0x0A], [0x0D], [0x22]][random.next(4)]
        return bytes
    }

    @Test("generated files: the same records, errors, salvage, look-ahead and raw bytes as a zeroed buffer")
    func sameAsZeroed() {
        var random = SplitMix64(seed: 2_026_12_04)
        var mismatches = 0
        for round in 0..<200 {
            let bytes = Self.generated(&random, round: round)
            let limits = round % 6 == 0 ? CSVLimits(maxRecordBytes: 1 + random.next(90), maxFields: 1 + random.next(8)) : .standard
            let dialect: CSVDialect? = round % 3 == 0 ? nil : [CSVDialect.rfc4180, .excelDanish, .tab][random.next(3)]
            // Trickled reads (1 to 9 bytes) for the short files only: the long ones cross refills anyway.
            let ways = bytes.count < 4_000 ? [(1 << 16, true), (0, true), (1 << 16, false)] : [(1 << 16, true), (4_093, true)]
            for (chunk, fast) in ways {
                let reference = seen(bytes, fill: 0, fast: fast, chunk: chunk, limits: limits, dialect: dialect)
                for fill in Self.fills
                where seen(bytes, fill: fill, fast: fast, chunk: chunk, limits: limits, dialect: dialect) != reference {
                    mismatches += 1
                    if mismatches <= 3 {
                        Issue.record("round \(round), fill \(String(describing: fill)), chunk \(chunk), fast \(fast), \(bytes.count) bytes")
                    }
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("a file of one firm, as a cold start reads it, at every length of a last line without a break")
    func oneFirm() {
        let text = Array(
            "id,name,cvr,fiscal_year,own_cvr,public_ownership\nF1,Firma 1 ApS,59903268,2024,true,0\n".utf8)
        var mismatches = 0
        for cut in 0...text.count {
            let bytes = Array(text[..<cut])
            for chunk in [1 << 16, 0, 1] {
                let reference = seen(bytes, fill: 0, chunk: chunk)
                for fill in Self.fills where seen(bytes, fill: fill, chunk: chunk) != reference { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }
}
