import SoeLanguage

// Verifying a record of an array by its bytes, as a batch record's line is verified.
//
// Reading a record of 60 KB as a tree (parsing it, converting it, looking for duplicate keys,
// serializing it again for its seal, comparing it with the re-evaluation member by member, and
// freeing it) was more than half the cost of verifying an array of records. A record the engine
// wrote, re-evaluated today with the same rules and input, is byte for byte the record it was: so
// the few members that re-evaluation needs (which rule set, which rule files, which input, the
// percent reading, the analysis's borderline share and the decision date) are read from their own
// bytes, the record is re-evaluated and sealed, and its compact serialization is compared with the
// element's bytes, whitespace between tokens aside. When they are the same, the element holds
// exactly the fresh record: its seal holds, it has no duplicate key (the engine writes none), and
// the values read in advance are the ones the element holds, which is checked once more. Any
// other element, edited, re-ordered, escaped otherwise or made by another engine, is read and
// checked as before, so every finding and every message is what it was.

/// The members of a JSON object found by a scan that builds no values, and the comparison of an
/// element with a record's compact serialization.
enum RecordBytes {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")

    /// JSON's whitespace: space, line feed, carriage return, tab.
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// The bytes JSON allows whitespace beside: `{ } [ ] : ,`.
    @inline(__always)
    static func isStructural(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ":"), UInt8(ascii: ","): true
        default: false
        }
    }

    /// What each byte is to a scan that tracks only strings and nesting: 0 nothing, 1 a quote,
    /// 2 an opening and 3 a closing bracket or brace, 4 a comma. One look-up a byte: the scans
    /// pass over every byte of a file of records twice.
    static let byteClasses: [UInt8] = (0...255).map { byte in
        switch UInt8(byte) {
        case quote: 1
        case UInt8(ascii: "{"), UInt8(ascii: "["): 2
        case UInt8(ascii: "}"), UInt8(ascii: "]"): 3
        case UInt8(ascii: ","): 4
        default: 0
        }
    }

    /// Where the value that starts at `start` ends: the position of the `,`, `}` or `]` after it
    /// at its own level; nil when the bytes end first. Tracks only strings and nesting.
    static func endOfValue(_ bytes: Bytes, from start: Int, to end: Int) -> Int? {
        byteClasses.withUnsafeBufferPointer { classes in
            var position = start
            var depth = 0
            while position < end {
                let byteClass = classes[Int(bytes[position])]
                if byteClass == 0 {
                    // Indentation, mostly: eight spaces at a time.
                    position += end - position >= 8 && word(bytes, at: position) == eightSpaces ? 8 : 1
                    continue
                }
                switch byteClass {
                case 1:
                    // A string, to its closing quote: an escaped byte is stepped over.
                    position = endOfString(bytes, from: position + 1, to: end)
                    guard position < end else { return nil }
                case 2: depth += 1
                case 3:
                    if depth == 0 { return position }
                    depth -= 1
                default:
                    if depth == 0 { return position }
                }
                position += 1
            }
            return nil
        }
    }

    /// The position of the quote that closes the string whose text starts at `start`, or `end`.
    /// Eight bytes at a time while none of them is a quote or a backslash: most of a record's
    /// bytes are in strings.
    @inline(__always)
    static func endOfString(_ bytes: Bytes, from start: Int, to end: Int) -> Int {
        var position = start
        while position < end {
            if end - position >= 8 {
                let found = quoteOrBackslash(word(bytes, at: position))
                if found == 0 {
                    position += 8
                    continue
                }
                position += found.trailingZeroBitCount / 8
            }
            let byte = bytes[position]
            if byte == quote { return position }
            position += byte == backslash ? 2 : 1
        }
        return end
    }

    /// Eight spaces, as a word.
    static let eightSpaces: UInt64 = 0x2020_2020_2020_2020

    /// The position after the whitespace at `start`: an indentation eight spaces at a time.
    @inline(__always)
    static func skipSpace(_ bytes: Bytes, from start: Int) -> Int {
        var position = start
        while position < bytes.count {
            if bytes.count - position >= 8, word(bytes, at: position) == eightSpaces {
                position += 8
                continue
            }
            guard isSpace(bytes[position]) else { break }
            position += 1
        }
        return position
    }

    /// The eight bytes at `position`, the first in the lowest bits whatever the machine's byte order.
    @inline(__always)
    static func word(_ bytes: Bytes, at position: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped).loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    /// The high bit of each byte of `word` that is a quote or a backslash: exact for the lowest
    /// such byte (the classic test for a zero byte, on the word with each of them cancelled),
    /// zero when there is none.
    @inline(__always)
    static func quoteOrBackslash(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = word ^ (ones &* UInt64(quote))
        let backslashes = word ^ (ones &* UInt64(backslash))
        return ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes) & 0x8080_8080_8080_8080
    }

    /// A member of an object: its key's bytes between the quotes, as written, and its value's range.
    typealias Member = (key: Range<Int>, value: Range<Int>)

    /// The members of the object that starts at `start` (after any whitespace), and the position
    /// after its closing brace; nil when the bytes hold anything but an object this scan can
    /// follow. The value of the member named `opening` is scanned as an object in the same pass,
    /// and its members given as `inner`.
    static func object(_ bytes: Bytes, from start: Int, to end: Int, opening: String? = nil) -> (
        members: [Member], inner: [Member]?, end: Int
    )? {
        var position = start
        func skipSpace() { while position < end, isSpace(bytes[position]) { position += 1 } }
        skipSpace()
        guard position < end, bytes[position] == UInt8(ascii: "{") else { return nil }
        position += 1
        var found: [Member] = []
        var inner: [Member]?
        while true {
            skipSpace()
            guard position < end else { return nil }
            if bytes[position] == UInt8(ascii: "}"), found.isEmpty { return (found, inner, position + 1) }
            guard bytes[position] == quote else { return nil }
            position += 1
            let keyStart = position
            while position < end, bytes[position] != quote { position += bytes[position] == backslash ? 2 : 1 }
            guard position < end else { return nil }
            let key = keyStart..<position
            position += 1
            skipSpace()
            guard position < end, bytes[position] == UInt8(ascii: ":") else { return nil }
            position += 1
            skipSpace()
            let valueStart = position
            if let opening, inner == nil, bytes[key].elementsEqual(opening.utf8) {
                guard let object = object(bytes, from: valueStart, to: end) else { return nil }
                inner = object.members
                position = object.end
                skipSpace()
                guard position < end else { return nil }
            } else {
                guard let stop = endOfValue(bytes, from: valueStart, to: end) else { return nil }
                position = stop
            }
            var valueEnd = position
            while valueEnd > valueStart, isSpace(bytes[valueEnd - 1]) { valueEnd -= 1 }
            guard valueEnd > valueStart else { return nil }
            found.append((key, valueStart..<valueEnd))
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            return bytes[position] == UInt8(ascii: "}") ? (found, inner, position + 1) : nil
        }
    }

    /// The value's range of the first member named `key`.
    static func value(_ bytes: Bytes, _ members: [Member], _ key: String) -> Range<Int>? {
        members.first { bytes[$0.key].elementsEqual(key.utf8) }?.value
    }

    /// The value at `range`, read as JSON; nil when it does not read.
    static func parsed(_ bytes: Bytes, _ range: Range<Int>) -> JSONOutput? {
        guard case .success(let node) = JSONReader.parse(Bytes(rebasing: bytes[range])) else { return nil }
        return JSONOutput(node)
    }

    /// What re-evaluating a record needs of it, read from its bytes: a record of only the members
    /// `RecordVerifier.verify` reads (the schema, the engine, the percent reading, and a trace of
    /// the rule set, the input and the analysis), and the decision date, which re-evaluation
    /// cannot give. Nil when any of them cannot be found this way.
    static func outline(_ element: Bytes, index: Int) -> (record: StoredRecord, caseworker: [(String, JSONOutput)])? {
        // One pass: the record's members, and the trace's members on the way.
        guard let (top, inner, end) = object(element, from: 0, to: element.count, opening: "trace"), let trace = inner,
            element[end...].allSatisfy(isSpace)
        else { return nil }
        var skeleton: [(String, JSONOutput)] = []
        for key in ["schema", "engine", DecisionRecord.percentReadingKey] {
            guard let range = value(element, top, key) else { continue }
            guard let member = parsed(element, range) else { return nil }
            skeleton.append((key, member))
        }
        var traceMembers: [(String, JSONOutput)] = []
        for key in ["rule_set", "input", "analysis"] {
            guard let range = value(element, trace, key) else { continue }
            guard let member = parsed(element, range) else { return nil }
            traceMembers.append((key, member))
        }
        skeleton.append(("trace", .object(traceMembers)))
        var caseworker: [(String, JSONOutput)] = []
        for key in DecisionRecord.caseworkerKeys {
            guard let range = value(element, top, key) else { continue }
            guard let member = parsed(element, range) else { return nil }
            caseworker.append((key, member))
        }
        // The seal is not computed here: the element verifies only if it is the fresh record, sealed anew.
        guard case .success(let record) = DecisionRecord.record(.object(skeleton), index: index, knownSeal: "") else { return nil }
        return (record, caseworker)
    }

    /// Whether `element` is `compact` (a compact serialization, as `JSONOutput` writes it) with at
    /// most whitespace added where JSON allows it: beside `{ } [ ] : ,`, never inside a string or
    /// a number. Such an element reads as exactly the same value.
    static func isCompact(_ element: Bytes, of compact: Bytes) -> Bool {
        var index = 0
        var at = 0
        // The byte compared last; a structural byte stands for the start of the text.
        var previous = UInt8(ascii: "[")
        while at < compact.count {
            let byte = compact[at]
            if index < element.count, isSpace(element[index]) {
                // Whitespace between two tokens, one of which is structural: the one before or the one after.
                guard isStructural(previous) || isStructural(byte) else { return false }
                index = skipSpace(element, from: index + 1)
            }
            guard index < element.count, element[index] == byte else { return false }
            index += 1
            at += 1
            previous = byte
            guard byte == quote else { continue }
            // A string, compared byte for byte to its closing quote; an escaped byte is compared with its backslash.
            while true {
                // Eight bytes at a time while they are equal and none ends the string or escapes.
                if compact.count - at >= 8, element.count - index >= 8 {
                    let next = word(compact, at: at)
                    if next == word(element, at: index), quoteOrBackslash(next) == 0 {
                        at += 8
                        index += 8
                        continue
                    }
                }
                guard at < compact.count, index < element.count else { return false }
                let inner = compact[at]
                guard element[index] == inner else { return false }
                index += 1
                at += 1
                if inner == quote { break }
                if inner == backslash {
                    guard at < compact.count, index < element.count, element[index] == compact[at] else { return false }
                    index += 1
                    at += 1
                }
            }
        }
        while index < element.count, isSpace(element[index]) { index += 1 }
        return index == element.count
    }
}

extension RecordArrayVerifier {
    /// The check of an element that is, whitespace between tokens aside, the record its rules and
    /// its input give today: verified, with the record as reading the element would give it. Nil
    /// for any other element, and for one whose rules or input changed or cannot be read: the
    /// caller then reads and checks it as a tree, which names what differs.
    static func quickCheck(
        _ element: UnsafeBufferPointer<UInt8>, index: Int, several: Bool, ruleFiles: [ArchivedFile], singleRuleFile: Bool,
        inputs: [ArchivedFile], inputByName: [String: ArchivedFile], percent: PercentReading?, engineVersion: String,
        cache: VerifyCache
    ) -> RecordCheck? {
        guard let (outline, caseworker) = RecordBytes.outline(element, index: index),
            let input = RecordVerifier.input(for: outline.inputSource, inputs, byName: inputByName),
            RecordVerifier.percentConflict(outline, given: percent, several: several) == nil
        else { return nil }
        var verified: RecordCheck?
        _ = RecordVerifier.verify(
            outline, ruleFiles: ruleFiles, singleRuleFile: singleRuleFile, input: input, percent: percent,
            engineVersion: engineVersion, cache: cache
        ) { check, evaluated in
            // Changed rules or input are findings before the comparison: the element is read as a tree.
            guard check.findings.isEmpty, check.failure == nil, case .object(var members) = evaluated else { return }
            // Where `DecisionRecord.body` puts them.
            DecisionRecord.insertCaseworkerMembers(caseworker, into: &members)
            var compact = DecisionRecord.canonicalBytes(members)
            let seal = SHA256.hex(compact)
            compact.removeLast()
            compact.append(contentsOf: ",\"\(DecisionRecord.sealKey)\":\"\(seal)\"}".utf8)
            guard compact.withUnsafeBufferPointer({ RecordBytes.isCompact(element, of: $0) }),
                case .success(let record) = DecisionRecord.record(
                    .object(members + [(DecisionRecord.sealKey, .string(seal))]), index: index, knownSeal: seal),
                record.ruleSetName == outline.ruleSetName, record.inputSource == outline.inputSource,
                record.inputSHA256 == outline.inputSHA256, record.percentReading == outline.percentReading,
                record.ruleFiles.elementsEqual(outline.ruleFiles, by: { $0 == $1 }),
                record.body.at("trace", "analysis") == outline.body.at("trace", "analysis")
            else { return }
            // What `RecordVerifier.compare` gives a record equal to its re-evaluation.
            check.record = record
            check.currentDecision = DecisionRecord.summary(of: evaluated)
            verified = check
        }
        return verified
    }
}
