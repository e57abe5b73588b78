import SoeLanguage

extension DecisionRecord {
    /// The largest record file `soe verify` reads: an array of 10,000 records of one firm file
    /// each is about 600 MB (a batch's JSON Lines are read line by line and have no such limit).
    public static let fileLimit = 2 << 30

    /// What is wrong with the first bytes of a file given as a record, or nil where they cannot tell:
    /// a record is a JSON object and a file of records a JSON array, so the first byte that is not
    /// white space (after a byte-order mark) is `{` or `[`. Refused there, a device or a file of
    /// another kind is not read on to `fileLimit` (2 GiB of memory for `/dev/zero`).
    public static func startProblem(_ bytes: UnsafeRawBufferPointer) -> String? {
        // UTF-16, as Notepad's "Unicode" saves a file again: named, with the fix (the seal is over
        // the text, so a record saved back as UTF-8 verifies).
        if let utf16 = utf16Problem(bytes) { return utf16 }
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] != UInt8(ascii: "{"), bytes[index] != UInt8(ascii: "[") else { return nil }
        return "it is not a decision record: a record is a JSON object ({ …}) and a file of records a JSON array ([ …]), "
            + "but the file starts with " + startByte(bytes[index])
    }

    /// "it is UTF-16 (little-endian) …" for a record file saved again as UTF-16 (by its byte-order
    /// mark, or a zero byte beside the first character), else nil.
    static func utf16Problem<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String? where Bytes.Index == Int {
        guard bytes.count >= 2 else { return nil }
        let (first, second) = (bytes[bytes.startIndex], bytes[bytes.startIndex + 1])
        let little = (first == 0xFF && second == 0xFE) || (first != 0 && second == 0)
        let big = (first == 0xFE && second == 0xFF) || (first == 0 && second != 0)
        guard little || big else { return nil }
        return "it is UTF-16 (\(little ? "little" : "big")-endian), as a program such as Notepad saves it again, "
            + "not the UTF-8 soe writes records in; save it as UTF-8 (its seal is over the text, so it verifies as before)"
    }

    /// A byte as a message shows it: a printable ASCII character in quotes, else its value.
    static func startByte(_ byte: UInt8) -> String {
        if (0x21..<0x7F).contains(byte) { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "the byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    /// The most records one dossier shows: each decision is a few printed pages, so a dossier of a
    /// whole batch would be thousands of pages nobody files. More is refused with the hint to pick lines.
    public static let dossierLimit = 500

    /// Reads any file `soe evaluate --format record` writes: one record, an array of records, or
    /// JSON Lines of batch records (one per line; blank lines are skipped). An error names the line
    /// of the record it is about.
    public static func readAny(_ bytes: [UInt8]) -> Result<[StoredRecord], RecordReadError> {
        let whole = read(bytes)
        guard case .failure(let failure) = whole, failure.message.hasPrefix("not valid JSON"), isJSONLines(bytes) else { return whole }
        var records: [StoredRecord] = []
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let text = Array(line)
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            switch read(text) {
            case .failure(let problem):
                return .failure(
                    RecordReadError(message: "line \(lineNumber): \(problem.message)", line: lineNumber, column: problem.column))
            case .success(let found):
                guard found.count == 1, var record = found.first else {
                    return .failure(RecordReadError(message: "line \(lineNumber): a line of JSON Lines holds one record", line: lineNumber))
                }
                record.index = records.count
                records.append(record)
            }
        }
        return records.isEmpty ? whole : .success(records)
    }

    /// Whether the bytes look like JSON Lines: the first line is a whole JSON object by itself.
    static func isJSONLines(_ bytes: [UInt8]) -> Bool {
        guard let end = bytes.firstIndex(of: 0x0A) else { return false }
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard start < end, case .success(let node) = JSONReader.parse(Array(bytes[start..<end])), case .object = node.value else {
            return false
        }
        return true
    }
}
