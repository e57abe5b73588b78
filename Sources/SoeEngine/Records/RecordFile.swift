import SoeLanguage

extension DecisionRecord {
    /// The largest record file `soe verify` reads: an array of 10,000 records of one firm file
    /// each is about 600 MB (a batch's JSON Lines are read line by line and have no such limit).
    public static let fileLimit = 2 << 30

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
        guard case .success(let node) = JSONReader.parse(Array(bytes[..<end])), case .object = node.value else { return false }
        return true
    }
}
