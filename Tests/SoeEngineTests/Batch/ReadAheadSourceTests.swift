import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// Serves `bytes` in pieces of 1 to `most` bytes (seeded; as a regular file, each read whole, with
/// `most` nil), and once `failAt` bytes are served (when given), fails at every read as a disk does:
/// a read that meets the failure serves the bytes before it, and the next one fails.
private struct FailingPieces: ByteSource {
    var bytes: [UInt8]
    var failAt: Int?
    var most: Int?
    var random: SplitMix64
    var offset = 0

    init(_ bytes: [UInt8], failAt: Int? = nil, most: Int?, seed: UInt64) {
        (self.bytes, self.failAt, self.most, random) = (bytes, failAt, most, SplitMix64(seed: seed))
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let limit = Swift.min(failAt ?? bytes.count, bytes.count)
        if let failAt, offset >= failAt { throw ByteSourceError(message: "input/output error after \(offset) bytes", code: 5) }
        let count = Swift.min(most.map { 1 + random.next($0) } ?? buffer.count, buffer.count, limit - offset)
        guard count > 0 else { return 0 }
        for k in 0..<count { buffer[k] = bytes[offset + k] }
        offset += count
        return count
    }
}

/// Everything a source serves, read in asks of 1 to `most` bytes (the first of one byte), with the
/// error that ended it, if one did; the source as it was left.
private func drain<S: ByteSource>(_ source: S, most: Int = 300, seed: UInt64 = 7) -> (bytes: [UInt8], error: String?, source: S) {
    var source = source
    var random = SplitMix64(seed: seed)
    var bytes: [UInt8] = []
    var ask = 1
    while true {
        var chunk = [UInt8](repeating: 0, count: ask)
        do {
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            bytes += chunk[..<count]
        } catch {
            return (bytes, "\(error)", source)
        }
        ask = 1 + random.next(most)
    }
    return (bytes, nil, source)
}

/// A generated CSV of `rows` rows, some quoted across lines, for the readers to compare on.
private func generatedCSV(rows: Int, seed: UInt64) -> [UInt8] {
    var random = SplitMix64(seed: seed)
    var text = "id,name,amount\n"
    for row in 1...rows {
        let name = random.pick(["Firma \(row)", "\"Smith, Jones\"", "\"two\nlines\"", "Ærø", "\"open \"\"quote\"\"\"", ""])
        text += "F\(row),\(name),\(random.next(100_000))" + random.pick(["\n", "\r\n", "\n"])
    }
    return Array(text.utf8)
}

/// Each record's fields, or its error as message, line and record number.
private func records<S: ByteSource>(_ source: S) -> [String] {
    Array(CSVReader(source: source)).map { result in
        switch result {
        case .success(let record): record.fields.joined(separator: "|")
        case .failure(let error): "error: \(error.message) @\(error.line):\(error.column) #\(error.number)"
        }
    }
}

@Suite("batch: reading ahead on a thread of its own serves what reading directly serves")
struct ReadAheadSourceTests {
    @Test("generated inputs in awkward pieces, through rings of every small size: the same bytes")
    func sameBytes() {
        for size in [0, 1, 2, 5, 7, 64, 100, 1_000, 4_097] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 3) }
            for (bufferSize, buffers) in [(1, 2), (7, 2), (7, 4), (64, 3), (1 << 12, 4)] {
                for most in [1, 9, 300] {
                    let direct = drain(FailingPieces(bytes, most: most, seed: UInt64(size)))
                    let ahead = drain(
                        ReadAheadSource(
                            FailingPieces(bytes, most: most, seed: UInt64(size)), policy: .always, bufferSize: bufferSize,
                            buffers: buffers, minimumAsk: 1))
                    #expect(direct.bytes == bytes && direct.error == nil)
                    #expect(ahead.bytes == bytes, "size \(size), ring \(buffers) × \(bufferSize), pieces up to \(most)")
                    #expect(ahead.error == nil)
                    // Past its first read, the input is read on the thread.
                    #expect(ahead.source.readsAhead == (size > 0), "size \(size)")
                }
            }
        }
    }

    @Test("an input that ends exactly at a buffer's end, or one byte either side of it")
    func endingAtBufferEnd() throws {
        for bufferSize in [1, 8, 256] {
            for buffers in 1...5 {
                // One byte read directly, then `buffers` buffers' worth read ahead.
                for size in [1 + buffers * bufferSize - 1, 1 + buffers * bufferSize, 1 + buffers * bufferSize + 1] {
                    let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0) }
                    var ahead = ReadAheadSource(ArraySource(bytes), policy: .always, bufferSize: bufferSize, buffers: 2)
                    var served: [UInt8] = []
                    var chunk = [UInt8](repeating: 0, count: 1)
                    // The first ask fills one byte; later asks are of a whole buffer, so that every
                    // read takes one buffer whole.
                    while true {
                        let count = try chunk.withUnsafeMutableBytes { try ahead.read(into: $0) }
                        if count == 0 { break }
                        served += chunk[..<count]
                        if chunk.count == 1 { chunk = [UInt8](repeating: 0, count: bufferSize) }
                    }
                    #expect(served == bytes, "size \(size), buffers of \(bufferSize)")
                    #expect(ahead.readsAhead)
                    // The end stays the end.
                    #expect(try chunk.withUnsafeMutableBytes { try ahead.read(into: $0) } == 0)
                }
            }
        }
    }

    @Test("an empty input: nothing served, no thread")
    func emptyInput() throws {
        for policy in [ReadAhead.always, .regularFiles, .never] {
            var ahead = ReadAheadSource(ArraySource([]), policy: policy, bufferSize: 8, minimumAsk: 1)
            var chunk = [UInt8](repeating: 0, count: 64)
            #expect(try chunk.withUnsafeMutableBytes { try ahead.read(into: $0) } == 0)
            #expect(try chunk.withUnsafeMutableBytes { try ahead.read(into: $0) } == 0)
            #expect(!ahead.readsAhead)
        }
    }

    @Test("a read error after every number of bytes: the same bytes before it, the same error, the same records")
    func errorsAtEveryPosition() {
        let bytes = generatedCSV(rows: 12, seed: 3)
        for failAt in 0...bytes.count {
            for (bufferSize, most) in [(5, 3), (64, 40), (5, nil), (64, nil)] as [(Int, Int?)] {
                let failing = FailingPieces(bytes, failAt: failAt, most: most, seed: UInt64(failAt))
                let direct = drain(failing)
                let ahead = drain(ReadAheadSource(failing, policy: .always, bufferSize: bufferSize, buffers: 3))
                #expect(ahead.bytes == direct.bytes, "failing after \(failAt) bytes")
                #expect(ahead.error != nil && ahead.error == direct.error, "failing after \(failAt) bytes")
                // The records before the error depend on where the reads stop (the reader drops the
                // record of a failing refill): the same as a regular file's, read whole.
                guard most == nil else { continue }
                let directRecords = records(failing)
                let aheadRecords = records(ReadAheadSource(failing, policy: .always, bufferSize: bufferSize, buffers: 3))
                #expect(aheadRecords == directRecords, "failing after \(failAt) bytes")
            }
        }
    }

    @Test("the CSV reader over generated rows: the same records read ahead as read directly")
    func sameRecords() {
        for seed: UInt64 in 1...4 {
            let bytes = generatedCSV(rows: 400, seed: seed)
            let direct = records(FailingPieces(bytes, most: 50, seed: seed))
            for bufferSize in [3, 100, 1 << 12] {
                let pieces = ReadAheadSource(FailingPieces(bytes, most: 50, seed: seed), policy: .always, bufferSize: bufferSize)
                #expect(records(pieces) == direct, "seed \(seed), buffers of \(bufferSize)")
                let whole = ReadAheadSource(ArraySource(bytes), policy: .always, bufferSize: bufferSize)
                #expect(records(whole) == direct, "seed \(seed), buffers of \(bufferSize)")
            }
        }
    }

    @Test("records read in the ring's own buffers (lent, not copied): the same records, a read error after every byte")
    func lentBuffers() {
        // Records of at most 40 bytes: the reader asks for 43 bytes a read, which rings of 43 bytes
        // and more lend (with 10 bytes of room in front, only where little is kept). The Danish
        // letters are UTF-8 in one input and Windows-1252 in the other, through the encoding's
        // source as a batch reads them: lent until the first letter decides.
        let limits = CSVLimits(maxRecordBytes: 40)
        let utf8 = generatedCSV(rows: 40, seed: 5)
        let windows1252 = Array(String(decoding: utf8, as: UTF8.self).unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        func records<S: ByteSource>(_ source: S) -> (records: [String], lends: Int) {
            var reader = CSVReader(source: TextEncodingSource(source, language: .english, notice: { _ in }), limits: limits)
            var lines: [String] = []
            while let result = reader.next() {
                switch result {
                case .success(let record): lines.append(record.fields.joined(separator: "|"))
                case .failure(let error): lines.append("error: \(error.message) @\(error.line):\(error.column) #\(error.number)")
                }
            }
            return (lines, reader.lends)
        }
        var lent = 0
        for bytes in [utf8, windows1252] {
            for failAt in [nil] + Array(0...bytes.count) as [Int?] {
                let failing = FailingPieces(bytes, failAt: failAt, most: nil, seed: 1)
                let direct = records(failing).records
                for (bufferSize, headroom) in [(43, 43), (50, 64), (200, 43), (1_000, 100), (43, 10)] {
                    let ahead = records(
                        ReadAheadSource(failing, policy: .always, bufferSize: bufferSize, buffers: 3, headroom: headroom))
                    #expect(ahead.records == direct, "failing after \(failAt.map(String.init) ?? "no") bytes, buffers of \(bufferSize)")
                    lent += ahead.lends
                }
            }
        }
        #expect(lent > 10_000)
    }

    @Test("regular files: read ahead once a read of the reader's size came back full; a short file and a pipe never")
    func regularFilesOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "soe-read-ahead-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A process that may run on one processor only (`taskset -c 0 swift test`) never reads ahead.
        for (size, expected) in [(300, false), (1 << 16, false), (200_000, ReadAhead.spareProcessor)] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let path = folder.appendingPathComponent("input-\(size)").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let fd = open(path, O_RDONLY)
            #expect(fd >= 0)
            defer { close(fd) }
            // As a batch reads: the sniffing's 4 KiB, then the reader's buffer of 64 KiB at a time.
            var source = ReadAheadSource(FileDescriptorSource(fd: fd), policy: .regularFiles)
            var served: [UInt8] = []
            var ask = InputSniffer.prefixBytes
            while true {
                var chunk = [UInt8](repeating: 0, count: ask)
                let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
                if count == 0 { break }
                served += chunk[..<count]
                ask = 1 << 16
            }
            #expect(served == bytes)
            #expect(source.readsAhead == expected, "a file of \(size) bytes")
        }
        // A pipe is read directly even when its reads come back full.
        let pipe = Pipe()
        let bytes = [UInt8](repeating: 0x41, count: 3 * ReadAhead.minimumAsk)
        try pipe.fileHandleForWriting.write(contentsOf: Data(bytes))
        try pipe.fileHandleForWriting.close()
        var source = ReadAheadSource(FileDescriptorSource(fd: pipe.fileHandleForReading.fileDescriptor), policy: .regularFiles)
        var served: [UInt8] = []
        while true {
            var chunk = [UInt8](repeating: 0, count: ReadAhead.minimumAsk)
            let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            served += chunk[..<count]
        }
        #expect(served == bytes)
        #expect(!source.readsAhead)
    }

    @Test("read ahead only where the process may run on two processors or more: its affinity, counted")
    func processors() throws {
        #expect(!ReadAhead.worthAThread(processors: 1))
        #expect(ReadAhead.worthAThread(processors: 2) && ReadAhead.worthAThread(processors: 64))
        let count = ReadAhead.availableProcessors()
        #expect(count >= 1)
        #expect(ReadAhead.spareProcessor == (ReadAhead.usableProcessors(affinity: count, quota: CPUQuota.processors()) > 1))
        #if os(Linux)
            // The kernel's own list of the processors this process may run on, as "0-1,4".
            let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
            let list = try #require(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") })
            let ranges = list.dropFirst("Cpus_allowed_list:".count).split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).split(separator: "-").compactMap { Int($0) }
            }
            #expect(count == ranges.reduce(0) { $0 + ($1.count == 2 ? $1[1] - $1[0] + 1 : 1) })
        #endif
    }

    @Test("a batch read ahead writes what a batch read directly writes, and ends as it does at a read error")
    func sameBatch() {
        let input = Array(PlainResultRowTests.generatedInput(rows: 600, seed: 2026_12_05).utf8)
        let ruleSets = BatchFixtures.ruleSets()
        for failAt in [nil, 0, 10, 4_096, input.count / 3, input.count - 1] as [Int?] {
            var outputs: [String] = []
            var ends: [String] = []
            for policy in [ReadAhead.never, .always] {
                var options = BatchOptions(language: .english, sourceName: "firms.csv")
                options.readAhead = policy
                let sink = MemorySink()
                let end = BatchRunner(ruleSets: ruleSets, options: options).run(
                    FailingPieces(input, failAt: failAt, most: nil, seed: 11), to: sink)
                outputs.append(sink.text)
                ends.append("\(end)")
            }
            #expect(outputs[0] == outputs[1], "failing after \(failAt.map(String.init) ?? "no") bytes")
            #expect(ends[0] == ends[1], "failing after \(failAt.map(String.init) ?? "no") bytes")
            if failAt == nil { #expect(outputs[0].split(separator: "\n").count > 600) }
        }
    }
}

@Suite("batch: a signal stops a batch read ahead, and no thread keeps it running")
struct ReadAheadInterruptionTests {
    @Test("SIGTERM while reading a 200 GB file ahead (a sparse one, a record of zero bytes that never ends): exit 6, output removed")
    func interruptedWhileReading() throws {
        let folder = try Hardening.workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The sample's rows over again (so that the zero bytes begin well after the sniffed head of
        // 4 KiB), then a record without end: the reader skips it, read after read, on the reading
        // thread's buffers, until the signal stops it. Bytes, not a String's lines: the sample's
        // line breaks are CRLF, one Character in Swift.
        let path = folder + "/big.csv"
        let sample = [UInt8](FileManager.default.contents(atPath: folder + "/firms.csv") ?? Data())
        let headerEnd = (sample.firstIndex(of: 0x0A) ?? sample.count - 1) + 1
        var bytes = Array(sample[..<headerEnd])
        let rows = sample[headerEnd...]
        #expect(!rows.isEmpty && rows.last == 0x0A)
        while !rows.isEmpty && bytes.count < 2 * InputSniffer.prefixBytes { bytes += rows }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        #expect(truncate(path, 200 << 30) == 0)
        // Names only: the folder's 200 GB file must never be read whole.
        func names() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Hardening.binary)
        process.arguments = ["evaluate", "--rules", "rules", "big.csv", "--output", "results.csv", "--jobs", "1"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C"]
        let run = try Hardening.collect(process, timeout: 60) { process in
            #expect(Hardening.waitForHandler(process.processIdentifier, signal: SIGTERM))
            // Until the temporary file exists, the batch has not begun.
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, !names().contains(where: { $0.contains(".soe-tmp-") }) { usleep(20_000) }
            // Most likely in the endless record by then; a signal before the batch began ends the
            // run as well (the second message below), so the test holds either way.
            usleep(200_000)
            kill(process.processIdentifier, SIGTERM)
        }
        #expect(run.exitCode == 6, "\(run.stderr)")
        #expect(run.stderr.contains("the partial output was removed") || run.stderr.contains("nothing more was written"), "\(run.stderr)")
        #expect(!run.crashed, "\(run.stderr)")
        #expect(!names().contains { $0.hasPrefix("results.csv") || $0.contains(".soe-tmp-") })
    }
}
