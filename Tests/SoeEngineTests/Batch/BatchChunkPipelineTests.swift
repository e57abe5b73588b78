import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// Chunks bound as read (`BatchRunner.runInChunksBound`) with no rounds: each worker takes the next
/// chunk as soon as it is done, the chunks take turns in input order, and the worker that finishes
/// a chunk writes every chunk ready in input order. Whatever the threads' timing, the output must be one thread's, byte for
/// byte: these runs cut the file every line or two, with several workers, many times over.
@Suite("chunks without rounds: one thread's output whatever the timing")
struct BatchChunkPipelineTests {
    /// A hostile file whose trouble comes late: the generated rows, then long quoted names across
    /// many chunk cuts, firm-years of the first rows again, a stray quote and a quote inside an
    /// unquoted field (broken records whose errors name lines), and last a quote that never closes.
    static func lateTrouble(seed: UInt64, rows: Int) -> [UInt8] {
        var text = String(decoding: BatchChunkTests.hostileInput(seed: seed, rows: rows), as: UTF8.self)
        if !text.hasSuffix("\n") && !text.hasSuffix("\r\n") { text += "\n" }
        var late: [String] = []
        for row in 0..<40 {
            switch row % 8 {
            case 1: late.append(BatchChunkTests.quotedRow(9_000 + row, cvr: "13748136", lines: 3 + row % 5) + ",2024-12-31")
            case 3: late.append("Q\(row),Fir\"ma,14381651,2024,aps,1000.00,800.00,3,10,true,note,")
            case 5: late.append("Q\(row),Firma,14460845,2023,aps,1000.00,800.00,3,10,true,\"note\"x,")
            default: late.append("Q\(row),Firma \(row),14540032,2024,aps,1000.00,800.00,3,10,true,note,")
            }
        }
        late.append("Q99,\"Firma uden ende,13748136,2024,aps,1000.00,800.00,3,10,true,note,")
        late.append("Q100,Firma,13748136,2019,aps,1000.00,800.00,3,10,true,note,")
        return Array((text + late.joined(separator: "\n") + "\n").utf8)
    }

    @Test("late trouble in chunks of a line or two, on two, three and four workers", arguments: 0..<4)
    func lateTroubleInSmallChunks(seed: Int) throws {
        let input = BatchChunkPipelineTests.lateTrouble(seed: UInt64(seed), rows: 300)
        let (end, output) = try BatchChunkTests.runFile(input, options: BatchChunkTests.options(jobs: 1))
        let summary = try #require(BatchFixtures.summary(end))
        #expect(summary.duplicates > 20 && summary.rowsRejected > 20)
        #expect(String(decoding: output, as: UTF8.self).contains("never closes"))
        for jobs in 2...4 {
            try BatchChunkTests.expectSame(input, jobs: jobs, blockSizes: [1, 2])
        }
        try BatchChunkTests.expectSame(input, jobs: 3, blockSizes: [1], layout: .wide)
    }

    @Test("the same file forty times on two to four workers: never another byte (ordering races)")
    func manyTimes() throws {
        let input = BatchChunkPipelineTests.lateTrouble(seed: 11, rows: 200)
        let (serialEnd, serial) = try BatchChunkTests.runFile(input, options: BatchChunkTests.options(jobs: 1))
        var differing: [String] = []
        for run in 0..<40 {
            let jobs = 2 + run % 3
            let (end, output) = try BatchChunkTests.runFile(
                input, options: BatchChunkTests.options(jobs: jobs, blockSize: 1 + run % 2))
            if output != serial || "\(end)" != "\(serialEnd)" { differing.append("run \(run) on \(jobs) workers") }
        }
        #expect(differing.isEmpty, "\(differing)")
    }

    @Test("a write error: the batch ends at it, what was written is the start of one thread's output, the counts add up")
    func writeError() throws {
        let input = BatchChunkPipelineTests.lateTrouble(seed: 3, rows: 300)
        let (_, serial) = try BatchChunkTests.runFile(input, options: BatchChunkTests.options(jobs: 1))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("soe-pipe-\(UUID().uuidString).csv").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(input)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        for failAt in [1, 2, 5, 30] {
            for jobs in [2, 3] {
                let fd = open(path, O_RDONLY)
                try #require(fd >= 0)
                defer { close(fd) }
                let sink = BatchParallelTests.FailingSink(failAt: failAt)
                let runner = BatchRunner(
                    ruleSets: BatchFixtures.ruleSets(), options: BatchChunkTests.options(jobs: jobs, blockSize: 1))
                guard case .outputFailed(let error, let summary) = runner.run(FileDescriptorSource(fd: fd), to: sink) else {
                    Issue.record("write \(failAt) on \(jobs) workers: expected the output to fail")
                    continue
                }
                #expect(error.message.contains("no space left"))
                #expect(summary.isBalanced && summary.rowsRead < 340, "write \(failAt) on \(jobs) workers")
                #expect(sink.writes == failAt, "write \(failAt) on \(jobs) workers: no write after the failure")
                let prefix = sink.bytes.count <= serial.count && Array(serial[0..<sink.bytes.count]) == sink.bytes
                #expect(prefix, "write \(failAt) on \(jobs) workers: the bytes written are not one thread's")
            }
        }
    }

    @Test("stopped on three workers: the results written are one thread's for the rows counted")
    func interruptedOnThree() throws {
        for stopAt in [1, 4, 9] { try BatchChunkTests.expectStopMatchesOneThread(jobs: 3, blockSize: 1, stopAt: stopAt) }
    }

    @Test("a stray quote puts the plan inside quoted fields; planned again from a record's start, the next chunk begins at one")
    func replanFromRecordStart() throws {
        // As in `misplacedCleanChunk`: after the stray quote every cut of the plan counting quotes
        // (as it does after a first miss) falls inside a note of a line break alone, and stays off
        // from chunk to chunk.
        let cvrs = ["13748136", "14381651", "14460845"]
        var lines = [BatchFixtures.header]
        for row in 0..<10 { lines.append("P\(row),Firma \(row),\(cvrs[row % 3]),2024,aps,1000.00,800.00,3,10,true,note") }
        lines.append("P10,Fir\"ma,13748136,2024,aps,1000.00,800.00,3,10,true,note")
        for row in 11..<200 {
            lines.append("P\(row),Firma \(row),\(cvrs[row % 3]),2024,aps,1000.00,800.00,3,10,true,\"\n\"")
        }
        let input = lines.joined(separator: "\n") + "\n"
        var starts: Set<Int> = []
        var offset = 0
        for line in lines {
            starts.insert(offset)
            offset += line.utf8.count + 1
        }
        try withPositionalFile(Array(input.utf8)) { file throws in
            let header = lines[0].utf8.count + 1
            let relay = ChunkRelay(
                file: file, next: header, lines: 1, records: 0, jobs: 1, chunkBytes: 300,
                zero: BatchSummary(ruleSets: BatchFixtures.ruleSets()), countsQuotes: true)
            // Chunks taken by the plan alone (a slot handed back after each) until two in a row begin
            // inside a record: the plan is off.
            var taken: [(index: Int, start: Int, limit: Int)] = []
            while taken.count < 2 || taken.suffix(2).contains(where: { starts.contains($0.start) }) {
                let chunk = try #require(relay.take())
                taken.append(chunk)
                relay.free.signal()
            }
            #expect(taken.count < 20)
            // The reader of the last chunk that began at a record's start ends at the first record end
            // at or past its limit; planned again from there, the next chunk begins at a record's start.
            let last = try #require(taken.last { starts.contains($0.start) })
            let end = try #require(starts.sorted().first { $0 >= last.limit })
            relay.replan(from: end)
            let next = try #require(relay.take())
            #expect(starts.contains(next.start), "the chunk after the new plan begins at \(next.start), inside a record")
            #expect(next.start >= taken.last!.limit)
            relay.stop()
        }
    }
}
