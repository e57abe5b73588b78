import Dispatch
import SoeLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Verifying an array of records, as `soe evaluate --format record` writes them for many firm
// files. Each record is about 60 KB of JSON; 10,000 of them are 600 MB. Read as one document, the
// whole array became two trees in memory (the parsed nodes and the records' members, 3.5 GB for
// 10,000) before the first record was checked, all on one thread: 25 s. Here the array's elements
// are found by a scan that builds nothing, and each is then parsed, sealed and checked on its own,
// on every core, keeping of a verified record only what its report needs. The checks are those of
// `RecordVerifier.verify(_:ruleFiles:…)`, record by record, exactly as strict; a file with any
// element that does not read as a record is read again as one document, which names the fault as
// it always did.

/// Lets the result slots and the file's bytes cross into the worker threads; each worker writes
/// only its own slots, and the caller reads none until all are done; the bytes are only read.
private struct Slots: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<RecordArrayVerifier.Slot>
    let bytes: UnsafeBufferPointer<UInt8>
}

enum RecordArrayVerifier {
    /// What became of one element.
    enum Slot {
        case pending
        case checked(RecordCheck)
        /// The element is not a record that reads: the whole file is read again for the message.
        case unreadable
        /// A usage error about this record (no input for it, a contradicting `--percent`).
        case usage(String)
    }

    /// The records of the array per worker and round: enough that a hand-over costs little.
    static let blockSize = 32

    /// Checks every element of an array of records; nil when some element does not read as a
    /// record (the caller then reads the file as one document to report where).
    static func verify(
        bytes: [UInt8], elements: [Range<Int>], ruleFiles: [ArchivedFile], singleRuleFile: Bool, inputs: [ArchivedFile],
        library: RuleLibrary, percent: PercentReading?, engineVersion: String
    ) -> Result<[RecordCheck], VerifyError>? {
        let count = elements.count
        var inputByName: [String: ArchivedFile] = [:]
        for input in inputs where inputByName[baseName(input.path)] == nil {
            inputByName[baseName(input.path)] = input
        }
        let jobs = max(1, min(8, onlineProcessors(), (count + blockSize - 1) / blockSize))
        let storage = UnsafeMutableBufferPointer<Slot>.allocate(capacity: count)
        storage.initialize(repeating: .pending)
        defer {
            storage.deinitialize()
            storage.deallocate()
        }
        let lookup = inputByName
        bytes.withUnsafeBufferPointer { file in
            let slots = Slots(base: storage, bytes: file)
            DispatchQueue.concurrentPerform(iterations: jobs) { worker in
                // Each worker its own cache: the rules are loaded and each firm file read once per worker.
                let cache = VerifyCache(library: library)
                var block = worker
                while block * blockSize < count {
                    for index in (block * blockSize)..<min(count, (block + 1) * blockSize) {
                        slots.base[index] = check(
                            UnsafeBufferPointer(rebasing: slots.bytes[elements[index]]), index: index, several: count > 1,
                            ruleFiles: ruleFiles, singleRuleFile: singleRuleFile, inputs: inputs, inputByName: lookup,
                            percent: percent, engineVersion: engineVersion, cache: cache)
                    }
                    block += jobs
                }
            }
        }
        var checks: [RecordCheck] = []
        checks.reserveCapacity(count)
        for slot in storage {
            switch slot {
            case .checked(let check): checks.append(check)
            case .usage(let message): return .failure(.usage(message))
            case .unreadable, .pending: return nil
            }
        }
        return .success(checks)
    }

    /// One element: read as a record, matched to its input, checked, and slimmed. An element that
    /// is the record the rules and its input give today is verified by its bytes (`quickCheck`);
    /// `quick: false` (for tests) reads every element as a tree.
    static func check(
        _ element: UnsafeBufferPointer<UInt8>, index: Int, several: Bool, ruleFiles: [ArchivedFile], singleRuleFile: Bool,
        inputs: [ArchivedFile], inputByName: [String: ArchivedFile], percent: PercentReading?, engineVersion: String,
        cache: VerifyCache, quick: Bool = true
    ) -> Slot {
        if quick,
            var check = quickCheck(
                element, index: index, several: several, ruleFiles: ruleFiles, singleRuleFile: singleRuleFile, inputs: inputs,
                inputByName: inputByName, percent: percent, engineVersion: engineVersion, cache: cache)
        {
            check.multiple = several
            check.record.members.removeAll { $0.0 == "trace" || $0.0 == "parameters" }
            return .checked(check)
        }
        guard case .success(let node) = JSONReader.parse(element), DecisionRecord.firstDuplicateKey(node) == nil,
            case .success(let record) = DecisionRecord.record(JSONOutput(node), index: index)
        else { return .unreadable }
        guard let input = RecordVerifier.input(for: record.inputSource, inputs, byName: inputByName) else {
            return .usage(RecordVerifier.noInput(record, index: index, inputs: inputs))
        }
        if let conflict = RecordVerifier.percentConflict(record, given: percent, several: several) { return .usage(conflict) }
        var check = RecordVerifier.verify(
            record, ruleFiles: ruleFiles, singleRuleFile: singleRuleFile, input: input, percent: percent,
            engineVersion: engineVersion, cache: cache)
        check.multiple = several
        // A verified record's report names the firm, the year, the rule set and the seal: its trace
        // and parameters (nine tenths of it) are not kept for 10,000 records at once.
        if check.isVerified { check.record.members.removeAll { $0.0 == "trace" || $0.0 == "parameters" } }
        return .checked(check)
    }
}

extension DecisionRecord {
    /// The byte ranges of the elements of a document that is a JSON array, found by a scan that
    /// tracks only strings and nesting; nil when the document is not an array or the scan meets
    /// anything unexpected (the document reader then says what).
    static func arrayElements(_ bytes: [UInt8]) -> [Range<Int>]? {
        bytes.withUnsafeBufferPointer { arrayElements($0) }
    }

    /// As `arrayElements(_:)`, on the bytes in place (a scan of 600 MB was a tenth of verifying them).
    static func arrayElements(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>]? {
        var position = 0
        func skipSpace() { while position < bytes.count, RecordBytes.isSpace(bytes[position]) { position += 1 } }
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "[") else { return nil }
        position += 1
        var elements: [Range<Int>] = []
        while true {
            skipSpace()
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: "]"), elements.isEmpty { return nil }
            let start = position
            guard let stop = RecordBytes.endOfValue(bytes, from: start, to: bytes.count) else { return nil }
            position = stop
            var end = position
            while end > start, RecordBytes.isSpace(bytes[end - 1]) { end -= 1 }
            guard end > start else { return nil }
            elements.append(start..<end)
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == UInt8(ascii: "]") else { return nil }
            position += 1
            skipSpace()
            return position == bytes.count ? elements : nil
        }
    }
}

/// The processors online, from the system (`sysconf`): the engine imports no Foundation, whose
/// loading was most of a cold start (docs/benchmark.md).
private func onlineProcessors() -> Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
