import SoeLanguage

// A CSV saved by a spreadsheet with Western European settings ("CSV (semikolonsepareret)" in
// Danish Excel, "Western Europe (Windows-1252)" in LibreOffice) is Windows-1252, not UTF-8: `æ`
// is the one byte 0xE6. Read as UTF-8, every row with a Danish letter failed, and came out
// without its id, CVR number and name. The file is read whole, as Windows-1252, with one notice.
//
// Decided while streaming, at the first byte above 0x7F: until then the text is ASCII, which both
// encodings write alike, so nothing read before the decision is read differently after it. That
// byte and what follows it decide: a UTF-8 sequence makes the file UTF-8 (passed through as it
// is, at no cost; a later bad byte rejects its row as before); a byte Windows-1252 defines makes
// it Windows-1252, decoded to UTF-8 from there to the end. A byte neither encoding has (0x81,
// 0x8D, 0x8F, 0x90, 0x9D), or a UTF-8 sequence in a file read as Windows-1252, stops the batch
// with where and why: a file of two encodings cannot be read either way without misreading rows.
//
// Excel for Mac saves "Comma Separated Values" in Mac Roman, with lines that end in a carriage
// return alone: its 'ø' is the byte 0xBF, Windows-1252's '¿'. Read as Windows-1252, such a file
// would come out with every Danish letter wrong and no word said. So a deciding byte that is not
// UTF-8, on a line that ends in a carriage return alone, stops the batch with both readings.

/// Serves a CSV batch's bytes as UTF-8: UTF-8 as it is, Windows-1252 decoded, anything else refused.
struct TextEncodingSource<Source: ByteSource>: ByteSource {
    enum Mode { case undecided, utf8, windows1252 }

    private var source: Source
    private(set) var mode = Mode.undecided
    /// Bytes read from the source and not yet served; `carry[carryStart...]` is pending.
    private var carry: [UInt8] = []
    private var carryStart = 0
    private var ended = false
    /// Windows-1252 decoded to UTF-8 and not yet served.
    private var staged: [UInt8] = []
    private var stagedStart = 0
    /// The line the next byte served is on, counted until the file is known to be UTF-8, as the
    /// CSV reader counts lines (`LineBreaks`: a line feed, or a carriage return alone), so that a
    /// message's line is the line of the rows around it. A regular file read as it is counts
    /// nothing while its bytes pass: `settleLine()` reads it again up to the byte a message names.
    private var line = 1
    /// Whether the last byte counted was a carriage return (a line feed after it ends no other line).
    private var afterCR = false
    /// The regular file, while its lines are not counted yet (`settleLine()`).
    private var uncounted: PositionalFile?
    /// Bytes served while the encoding is undecided: each the source's own byte, in order.
    private var served = 0
    private let words: Language
    /// Called once, when the file turns out to be Windows-1252.
    private let notice: (InputSniffer.Finding) -> Void

    /// `line` is the line of the source's first byte: 1, or where a chunked batch hands over.
    /// A source that is a regular file read as it is (`ByteSource.positional`) has its lines
    /// counted only when a message needs one.
    init(_ source: Source, language: Language, notice: @escaping (InputSniffer.Finding) -> Void, line: Int = 1) {
        self.source = source
        self.words = language
        self.notice = notice
        self.line = line
        uncounted = source.positional
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        if mode == .windows1252 { return try decode(into: buffer) }
        if carryStart == carry.count {
            if mode == .utf8 { return try source.read(into: buffer) }
            if mode == .undecided {
                // Straight into the caller's buffer: ASCII is served as read, with no copy.
                let count = try source.read(into: buffer)
                let bytes = UnsafeBufferPointer(start: buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), count: count)
                let first = HighByteWatch.first(in: UnsafeRawBufferPointer(bytes))
                tally(UnsafeBufferPointer(rebasing: bytes[..<(first ?? count)]))
                guard let first else { return count }
                carry = Array(bytes[first...])
                carryStart = 0
                if first > 0 { return first }
            }
        }
        if carryStart == carry.count {
            try fill(atLeast: 1)
            if carryStart == carry.count { return 0 }
        }
        switch mode {
        case .utf8: return serveCarry(into: buffer)
        case .undecided: return try undecided(into: buffer)
        case .windows1252: return try decode(into: buffer)
        }
    }

    /// `read(into:)`'s bytes as they pass, lent by the source: while nothing is carried and the
    /// file is not read as Windows-1252 (which is decoded into `staged` and copied from there).
    /// Undecided, the new bytes are looked at as `read(into:)` looks at those it reads: counted up
    /// to the first byte above 0x7F, which with the bytes after it is carried and decided on.
    mutating func lend(_ buffer: inout [UInt8], keeping: Range<Int>, ask: Int) throws -> Range<Int>? {
        guard mode != .windows1252, carryStart == carry.count,
            let lent = try source.lend(&buffer, keeping: keeping, ask: ask)
        else { return nil }
        if mode == .utf8 { return lent }
        let new = lent.lowerBound + keeping.count..<lent.upperBound
        let first = buffer.withUnsafeBufferPointer { all in
            let bytes = UnsafeBufferPointer(rebasing: all[new])
            let first = HighByteWatch.first(in: UnsafeRawBufferPointer(bytes))
            tally(UnsafeBufferPointer(rebasing: bytes[..<(first ?? bytes.count)]))
            return first
        }
        guard let first else { return lent }
        carry = Array(buffer[(new.lowerBound + first)..<new.upperBound])
        carryStart = 0
        if first > 0 { return lent.lowerBound..<(new.lowerBound + first) }
        // No byte before it: served from the carry as `read(into:)` serves it, into the room the
        // carried bytes leave, `ask` bytes of it as `read(into:)` had (a copy of a lent array, once a
        // file at most).
        let room = new.lowerBound + ask
        if buffer.count < room { buffer.append(contentsOf: repeatElement(0, count: room - buffer.count)) }
        let count = try buffer.withUnsafeMutableBytes { raw in
            try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[new.lowerBound..<room]))
        }
        return lent.lowerBound..<(new.lowerBound + count)
    }

    /// Serves ASCII from the carry up to the first byte above 0x7F, and decides at that byte.
    private mutating func undecided(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let pending = carry[carryStart...]
        if let first = pending.firstIndex(where: { $0 >= 0x80 }) {
            if first > carryStart { return serveCarry(into: buffer, upTo: first) }
            try fill(atLeast: 4)
            let sequence = utf8Sequence(at: carryStart)
            if sequence > 0 {
                mode = .utf8
                return serveCarry(into: buffer)
            }
            let byte = carry[carryStart]
            settleLine()
            if try lineEndsInCarriageReturn() { throw macRoman(byte) }
            guard let character = InputSniffer.windows1252(byte) else { throw neither(byte) }
            mode = .windows1252
            let hex = String(byte, radix: 16, uppercase: true)
            notice(
                InputSniffer.Finding(
                    message:
                        "the file is not UTF-8 but Windows-1252, as spreadsheets save \"CSV\" with Western European settings "
                        + "(byte 0x\(hex) at line \(line) is '\(character)'); it is read as Windows-1252. Save it as \"CSV UTF-8\" to be sure",
                    danish:
                        "filen er ikke UTF-8, men Windows-1252, som regneark gemmer \"CSV\" med vesteuropæiske indstillinger "
                        + "(byte 0x\(hex) i linje \(line) er '\(character)'); den læses som Windows-1252. Gem den som \"CSV UTF-8\" for at være sikker"
                ))
            return try decode(into: buffer)
        }
        return serveCarry(into: buffer)
    }

    /// Serves Windows-1252 decoded to UTF-8, from a staging buffer a chunk of the carry is decoded into.
    private mutating func decode(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if stagedStart == staged.count {
            staged.removeAll(keepingCapacity: true)
            stagedStart = 0
            try decodeChunk()
            if staged.isEmpty { return 0 }
        }
        let end = min(staged.count, stagedStart + buffer.count)
        staged.withUnsafeBytes { all in buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[stagedStart..<end])) }
        defer { stagedStart = end }
        return end - stagedStart
    }

    /// Decodes the pending carry (reading more when it is empty) into `staged`.
    private mutating func decodeChunk() throws {
        if carryStart == carry.count { try fill(atLeast: 1) }
        while carryStart < carry.count {
            let byte = carry[carryStart]
            if byte < 0x80 {
                line += LineBreaks.count(byte, afterCR: &afterCR)
                staged.append(byte)
                carryStart += 1
                continue
            }
            if byte >= 0xC2 && carry.count - carryStart < 4 && !ended {
                // A UTF-8 sequence may go on in the bytes not read yet: look at them before deciding.
                if !staged.isEmpty { return }
                try fill(atLeast: 4)
            }
            if utf8Sequence(at: carryStart) > 0 { throw mixed(byte) }
            let encoded = Windows1252.utf8[Int(byte) - 0x80]
            if encoded.isEmpty { throw neither(byte) }
            staged += encoded
            afterCR = false
            carryStart += 1
        }
    }

    /// The length of the valid UTF-8 sequence of more than one byte at `index` of the carry, or 0.
    private func utf8Sequence(at index: Int) -> Int {
        TextEncodingSource.utf8Sequence(carry[index...])
    }

    /// The length of the valid UTF-8 sequence of more than one byte at the start of `bytes`, or 0:
    /// at the first byte above 0x7F, with at least 4 bytes from it (or all up to the end), what
    /// decides that a file is UTF-8.
    static func utf8Sequence(_ bytes: some Sequence<UInt8>) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        switch parser.parseScalar(from: &iterator) {
        case .valid(let encoded): return encoded.count > 1 ? encoded.count : 0
        case .emptyInput, .error: return 0
        }
    }

    /// Serves carried bytes as they are, up to `limit` (the end of the carry by default).
    private mutating func serveCarry(into buffer: UnsafeMutableRawBufferPointer, upTo limit: Int? = nil) -> Int {
        let end = min(limit ?? carry.count, carryStart + buffer.count)
        let count = end - carryStart
        carry.withUnsafeBytes { all in buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[carryStart..<end])) }
        if mode != .utf8 { carry[carryStart..<end].withUnsafeBufferPointer { tally($0) } }
        carryStart = end
        return count
    }

    /// Counts the lines of ASCII bytes served while the encoding is undecided: as they pass, or,
    /// for a regular file, only how many there were (`settleLine()` counts their lines).
    private mutating func tally(_ bytes: UnsafeBufferPointer<UInt8>) {
        if uncounted != nil {
            served += bytes.count
        } else {
            line += LineBreaks.count(bytes, afterCR: &afterCR)
        }
    }

    /// Makes `line` the line of the next byte of a regular file, by counting the lines of the
    /// bytes served so far in the file itself (at most once, when a message first needs the line:
    /// at the first byte above 0x7F, which for most files is in their first rows). Should the file
    /// no longer be readable, the count stops where the read failed: a message's line is then too
    /// small, never a reason to stop.
    private mutating func settleLine() {
        guard let file = uncounted else { return }
        uncounted = nil
        var piece = [UInt8](repeating: 0, count: 1 << 16)
        var offset = 0
        while offset < served {
            let ask = min(piece.count, served - offset)
            let read = piece.withUnsafeMutableBytes {
                (try? file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<ask]))) ?? 0
            }
            guard read > 0 else { return }
            line += piece.withUnsafeBufferPointer { LineBreaks.count(UnsafeBufferPointer(rebasing: $0[..<read]), afterCR: &afterCR) }
            offset += read
        }
    }

    /// Whether the line from the pending byte on ends in a carriage return alone, as Excel for Mac
    /// ends the lines of a "CSV" in Mac Roman; false when it ends otherwise or not within 64 KiB.
    /// Only bytes from the pending one on are looked at, so that one thread and the chunks' reader
    /// that takes over at a record's start (`decodingRest`) decide alike.
    private mutating func lineEndsInCarriageReturn() throws -> Bool {
        var searched = 0
        while true {
            let pending = carry[carryStart...]
            if let end = pending.dropFirst(searched).firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                guard carry[end] == 0x0D else { return false }
                let offset = end - carryStart
                if end + 1 == carry.count && !ended { try fill(atLeast: offset + 2) }
                return carryStart + offset + 1 == carry.count || carry[carryStart + offset + 1] != 0x0A
            }
            if ended || pending.count >= 1 << 16 { return false }
            searched = pending.count
            try fill(atLeast: pending.count + 1)
        }
    }

    /// Reads until the carry holds `count` pending bytes or the source has ended.
    private mutating func fill(atLeast count: Int) throws {
        if carryStart > 0 {
            carry.removeFirst(carryStart)
            carryStart = 0
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while carry.count < count && !ended {
            let read = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if read == 0 { ended = true } else { carry += chunk[..<read] }
        }
    }

    private func neither(_ byte: UInt8) -> ByteSourceError {
        let hex = String(byte, radix: 16, uppercase: true)
        return ByteSourceError(
            message: words == .danish
                ? "filen er hverken UTF-8 eller Windows-1252: byte 0x\(hex) i linje \(line) er ikke et tegn i nogen af dem; gem filen som \"CSV UTF-8\""
                : "the file is neither UTF-8 nor Windows-1252: byte 0x\(hex) at line \(line) is a character in neither; save the file as \"CSV UTF-8\""
        )
    }

    private func macRoman(_ byte: UInt8) -> ByteSourceError {
        let hex = String(byte, radix: 16, uppercase: true)
        let mac = MacRoman.character(byte)
        let windows = InputSniffer.windows1252(byte)
        let english = windows.map { "'\($0)' in Windows-1252" } ?? "no character in Windows-1252"
        let danish = windows.map { "'\($0)' i Windows-1252" } ?? "intet tegn i Windows-1252"
        return ByteSourceError(
            message: words == .danish
                ? "filen er ikke UTF-8, og dens linjer slutter med vognretur (CR) alene, som Excel til Mac gemmer \"CSV\" i Mac Roman: "
                    + "byte 0x\(hex) i linje \(line) er '\(mac)' i Mac Roman og \(danish), så filen kan ikke læses uden at gætte; "
                    + "gem den som \"CSV UTF-8\""
                : "the file is not UTF-8, and its lines end in a carriage return alone, as Excel for Mac saves \"CSV\" in Mac Roman: "
                    + "byte 0x\(hex) at line \(line) is '\(mac)' in Mac Roman and \(english), so the file cannot be read without "
                    + "guessing; save it as \"CSV UTF-8\""
        )
    }

    private func mixed(_ byte: UInt8) -> ByteSourceError {
        let hex = String(byte, radix: 16, uppercase: true)
        return ByteSourceError(
            message: words == .danish
                ? "filen blander Windows-1252 og UTF-8: den blev læst som Windows-1252, men bytene fra 0x\(hex) i linje \(line) er et UTF-8-tegn; gem filen som \"CSV UTF-8\""
                : "the file mixes Windows-1252 and UTF-8: it was read as Windows-1252, but the bytes from 0x\(hex) at line \(line) are a UTF-8 character; save the file as \"CSV UTF-8\""
        )
    }
}

/// Line breaks as the CSV reader counts them (`CSVReader.line`): a line feed, a carriage return
/// followed by a line feed once, a carriage return alone (old Mac files, "CSV (Macintosh)") once.
enum LineBreaks {
    /// The line breaks in `bytes`; `afterCR` says whether the byte before them was a carriage
    /// return (a line feed first then ends no new line), and is left saying it of their last byte.
    /// Eight bytes at a time: a byte is a line feed or a carriage return when it XORs to zero with
    /// it (the zero-byte test used is exact for every byte), and a line feed after a carriage
    /// return, in the same word or across two, is left out.
    static func count(_ bytes: UnsafeBufferPointer<UInt8>, afterCR: inout Bool) -> Int {
        var breaks = 0
        var index = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            let high: UInt64 = 0x8080_8080_8080_8080
            @inline(__always) func zeros(_ x: UInt64) -> UInt64 { ~(((x & low7) &+ low7) | x) & high }
            var carried: UInt64 = afterCR ? 0x80 : 0
            while index + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let feeds = zeros(word ^ 0x0A0A_0A0A_0A0A_0A0A)
                let returns = zeros(word ^ 0x0D0D_0D0D_0D0D_0D0D)
                // A line feed whose byte before (one lane lower, or the last word's top lane) is a return.
                let paired = ((returns &<< 8) | carried) & feeds
                let lanes = ((feeds & ~paired) | returns) &>> 7
                // One per lane, summed by a multiplication: x86-64's baseline has no population count.
                breaks &+= Int(truncatingIfNeeded: (lanes &* 0x0101_0101_0101_0101) &>> 56)
                carried = returns &>> 56
                index += 8
            }
            afterCR = carried != 0
        }
        while index < bytes.count {
            breaks += count(bytes[index], afterCR: &afterCR)
            index += 1
        }
        return breaks
    }

    /// The line breaks one byte ends (0 or 1), the rule of `count(_:afterCR:)` byte by byte.
    @inline(__always)
    static func count(_ byte: UInt8, afterCR: inout Bool) -> Int {
        defer { afterCR = byte == 0x0D }
        return byte == 0x0D || (byte == 0x0A && !afterCR) ? 1 : 0
    }
}

/// Mac Roman above 0x7F, for the message that refuses a file Excel for Mac saved as "CSV".
enum MacRoman {
    /// The characters of 0x80 to 0xFF in order (0xF0 is Apple's logo, a private-use character).
    static let upper = Array(
        "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»…\u{A0}ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄€‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\u{F8FF}ÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ"
    )

    /// The character of a byte above 0x7F.
    static func character(_ byte: UInt8) -> Character { upper[Int(byte) - 0x80] }
}

/// Windows-1252 above 0x7F as UTF-8 bytes: empty for the five bytes it leaves undefined.
enum Windows1252 {
    static let utf8: [[UInt8]] = (0x80...0xFF).map { byte in
        InputSniffer.windows1252(UInt8(byte)).map { Array(String($0).utf8) } ?? []
    }
}

extension TextEncodingSource {
    /// The file's bytes as they are while nothing is decoded; whether a first byte above 0x7F is
    /// still to come and decide is for the caller to find out.
    var positional: PositionalFile? {
        guard mode != .windows1252, var file = source.positional else { return nil }
        file.encodingUndecided = mode == .undecided
        return file
    }
}
