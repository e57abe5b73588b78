import SoeTestSupport
import Testing

@testable import SoeEngine

/// A batch reads its records with `CSVReader.next(into:)`, which trades arrays with the caller's
/// record instead of making a new record per row (no reference counting per row). It must read
/// what `next()` reads, record for record and error for error, whichever scanner read the record.
@Suite("CSV reader: next(into:) reads what next() reads")
struct RecordIntoTests {
    /// A record or an error as one line: where it is, and its fields or its message.
    static func describe(_ result: Result<CSVRecord, CSVError>, salvaged: CSVSalvage?) -> String {
        switch result {
        case .success(let record):
            "record \(record.line):\(record.number) \(record.count) [" + record.fields.joined(separator: "|") + "]"
        case .failure(let error):
            "error \(error.line):\(error.column):\(error.number) \(error.message) salvaged \(salvaged.map { "\($0)" } ?? "none")"
        }
    }

    static func byNext(_ bytes: [UInt8], limits: CSVLimits) -> [String] {
        var reader = CSVReader(source: ArraySource(bytes), dialect: .rfc4180, limits: limits)
        var out: [String] = []
        while let result = reader.next() { out.append(describe(result, salvaged: reader.salvaged)) }
        return out
    }

    /// `next(into:)` into one record kept throughout, which starts with fields of its own, and the
    /// number of records the fast scanner read.
    static func byNextInto(_ bytes: [UInt8], limits: CSVLimits) -> (lines: [String], fast: Int) {
        var reader = CSVReader(source: ArraySource(bytes), dialect: .rfc4180, limits: limits)
        var record = CSVRecord(fields: ["stale", "fields", "left", "over"], line: 99, number: 99)
        var out: [String] = []
        while let step = reader.next(into: &record) {
            switch step {
            case .record: out.append(describe(.success(record), salvaged: reader.salvaged))
            case .failure(let error): out.append(describe(.failure(error), salvaged: reader.salvaged))
            }
        }
        return (out, reader.recordsScannedFast)
    }

    @Test("random records, plain and quoted, broken and too long: the same records and errors")
    func randomInputs() {
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("bcdefghijk".utf8), Array(",".utf8), Array(",".utf8), Array("\"".utf8), Array("\"\"".utf8),
            Array("\n".utf8), Array("\n".utf8), Array("\r\n".utf8), Array("\r".utf8), Array("æ".utf8), Array("12345".utf8),
            Array("\"x, \ny\"".utf8), [0xC3],
        ]
        var generator = SplitMix64(seed: 2026_12_04)
        func random(_ bound: Int) -> Int { generator.next(bound) }
        var mismatches = 0
        var fast = 0
        for round in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random(120) { bytes += pieces[random(pieces.count)] }
            // Mostly plain rows, which the fast scanner reads, between the random pieces.
            for row in 0..<random(30) { bytes += Array("F\(row),Firma \(row),12345678,2024\n".utf8) }
            for _ in 0..<random(40) { bytes += pieces[random(pieces.count)] }
            let limits = round % 3 == 0 ? CSVLimits(maxRecordBytes: 8 + random(40), maxFields: 2 + random(6)) : .standard
            let expected = Self.byNext(bytes, limits: limits)
            let (got, scannedFast) = Self.byNextInto(bytes, limits: limits)
            fast += scannedFast
            if got != expected {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("input \(String(decoding: bytes, as: UTF8.self).debugDescription): \(got) vs \(expected)")
                }
            }
        }
        #expect(mismatches == 0)
        // The comparison means something only if the fast scanner, whose arrays are traded, read many.
        #expect(fast > 10_000, "too few records read by the fast scanner: \(fast)")
    }
}
