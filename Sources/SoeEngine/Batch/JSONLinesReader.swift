import SoeLanguage

// JSON Lines batch input: one firm object per line, read in pieces so memory stays flat.

/// Splits a byte stream into lines, holding at most one line plus a chunk in memory.
///
/// A UTF-8 byte-order mark at the start is skipped; lines end at LF (a CR before it is dropped); a
/// final line without a line break still counts. A line longer than the limit is skipped without
/// being kept and reported as `tooLong`, so one broken line cannot take unbounded memory.
struct JSONLinesReader<Source: ByteSource> {
    enum Item {
        case line([UInt8], number: Int)
        case tooLong(number: Int, limit: Int)
        case failed(ByteSourceError, number: Int)
    }

    let maxLineBytes: Int
    private var source: Source
    private var buffer: [UInt8]
    private var start = 0, end = 0, lineNumber = 0
    private var atEnd = false, begun = false

    init(source: Source, maxLineBytes: Int = 1 << 20) {
        self.source = source
        self.maxLineBytes = max(1, maxLineBytes)
        buffer = [UInt8](repeating: 0, count: 1 << 16)
    }

    /// The next line, or nil at the end of input.
    mutating func next() -> Item? {
        if !begun {
            begun = true
            while end - start < 3 && !atEnd {
                if let failure = refill() { return failure }
            }
            if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF { start += 3 }
        }
        var skipping = false
        var scanFrom = start
        while true {
            if let newline = buffer[scanFrom..<end].firstIndex(of: 0x0A) {
                lineNumber += 1
                let range = start..<newline
                start = newline + 1
                if skipping || range.count > maxLineBytes { return .tooLong(number: lineNumber, limit: maxLineBytes) }
                return .line(line(range), number: lineNumber)
            }
            if atEnd {
                guard start < end || skipping else { return nil }
                lineNumber += 1
                let range = start..<end
                start = end
                if skipping || range.count > maxLineBytes { return .tooLong(number: lineNumber, limit: maxLineBytes) }
                return .line(line(range), number: lineNumber)
            }
            if end - start > maxLineBytes {
                // Too long to keep: drop what is buffered and look for the line's end in what follows.
                (skipping, start) = (true, end)
            }
            let scanned = end - start
            if let failure = refill() { return failure }
            scanFrom = start + scanned
        }
    }

    private func line(_ range: Range<Int>) -> [UInt8] {
        var range = range
        if let last = range.last, buffer[last] == 0x0D { range = range.lowerBound..<last }
        return Array(buffer[range])
    }

    /// Moves the pending bytes to the front, grows the buffer when it is full, and reads more.
    private mutating func refill() -> Item? {
        let pending = end - start
        if start > 0 {
            buffer.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress, pending > 0 else { return }
                base.copyMemory(from: base + start, byteCount: pending)
            }
            (start, end) = (0, pending)
        }
        if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
        let from = end
        let result = buffer.withUnsafeMutableBytes { raw in
            Result { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[from...])) }
        }
        switch result {
        case .success(let count):
            if count == 0 { atEnd = true }
            end += count
            return nil
        case .failure(let error):
            atEnd = true
            (start, end) = (0, 0)
            let failure = error as? ByteSourceError ?? ByteSourceError(message: "\(error)")
            return .failed(failure, number: lineNumber + 1)
        }
    }
}

/// Reads JSON Lines into `BatchRow`s with `FirmReader`, the same reader as for a single JSON firm.
/// The extra key `id` (text or number) identifies the row in the results and is not an input.
struct JSONLinesBinder {
    let ruleSets: [RuleSet]
    let knownInputs: Set<String>
    /// The input's name for sources and messages ("firms.jsonl").
    let sourceName: String
    /// Whether traces will be written: only then is each line hashed for the trace's `input.sha256`.
    let hashLines: Bool
    /// The language of the rejections.
    let words: BatchWords
    /// How a percent written without `%` is read (`--percent`).
    var percent: PercentReading?

    /// Whether a line holds nothing but spaces: skipped, not rejected.
    static func isBlank(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// Sets a line's id, CVR number and name from its bytes decoded leniently (U+FFFD for bytes
    /// that are not UTF-8), marked as unverified, when the line then parses as an object: a line
    /// that is rejected for its encoding still names its firm. A CVR number is kept only when valid.
    func salvageIdentity(_ bytes: [UInt8], into row: inout BatchRow) {
        guard firstInvalidUTF8(bytes) != nil,
            case .success(let node) = JSONReader.parse(Array(String(decoding: bytes, as: UTF8.self).utf8)),
            case .object(let members) = node.value
        else { return }
        for member in members {
            switch (member.key, member.value.value) {
            case ("id", .string(let text)), ("id", .number(let text)):
                row.id = CSVSalvage(fields: [text], lines: 1).value(at: 0)
            case ("name", .string(let text)):
                row.name = CSVSalvage(fields: [text], lines: 1).value(at: 0)
            case ("cvr", .string(let text)), ("cvr", .number(let text)):
                if case .success(let valid) = BatchCellReader.cvr(text) { row.cvr = valid }
            default: break
            }
        }
        row.identityUnverified = row.id != nil || row.name != nil || row.cvr != nil
    }

    /// Fills `row` from one line. Every problem is recorded; none stops the batch.
    func bind(_ bytes: [UInt8], number: Int, into row: inout BatchRow) {
        row.reset(number: number, line: number)
        var node: JSONNode
        switch JSONReader.parse(bytes) {
        case .failure(let failure):
            let (_, column) = lineAndColumn(of: failure.offset, in: bytes)
            row.rowErrors.append(words.notJSON(column: column, failure.message))
            salvageIdentity(bytes, into: &row)
            return
        case .success(let parsed): node = parsed
        }
        if case .object(var members) = node.value {
            // Identification first, so even a rejected row says which firm it was.
            for member in members {
                switch (member.key, member.value.value) {
                case ("id", .string(let text)) where text.utf8.contains(0):
                    // Not kept: the results would carry the NUL, which a program reading text stops at.
                    row.rowErrors.append(
                        words.field(
                            "id",
                            words.language == .danish
                                ? "id'et indeholder et NUL-tegn (\\u0000), som intet id har (en beskadiget fil?)"
                                : "the id holds a NUL character (\\u0000), which no id has (a damaged file?)"))
                case ("id", .string(let text)), ("id", .number(let text)): row.id = text
                case ("name", .string(let text)) where text.utf8.contains(0): break  // FirmReader words it
                case ("name", .string(let text)): row.name = text
                case ("cvr", .string(let text)), ("cvr", .number(let text)): row.cvr = text
                default: break
                }
            }
            if !knownInputs.contains("id"), members.contains(where: { $0.key == "id" }) {
                members.removeAll { $0.key == "id" }
                node.value = .object(members)
            }
        }
        let source = "\(sourceName) line \(number)"
        let hash = hashLines ? SHA256.hex(bytes) : ""
        switch FirmReader.readObject(
            node, in: bytes, source: source, sha256: hash, knownInputs: knownInputs,
            lineOffset: number - 1)
        {
        case .failure(let errors):
            row.rowErrors += errors.errors.map { words.field($0.field, $0.text(words.language)) }
            // Only a valid CVR number identifies a firm in the results.
            if let raw = row.cvr, case .failure = BatchCellReader.cvr(raw) { row.cvr = nil }
        case .success(let firm):
            (row.name, row.cvr, row.fiscalYear, row.closingDay) = (firm.name, firm.cvr, firm.fiscalYear, firm.closingDay)
            for index in ruleSets.indices {
                switch firm.bind(to: ruleSets[index], percent: percent) {
                case .success(let bound): row.values[index] = bound.values
                case .failure(let errors):
                    row.ruleSetErrors[index] = errors.errors.map { words.field($0.field, $0.text(words.language)) }
                }
            }
            row.firm = firm
        }
    }
}
