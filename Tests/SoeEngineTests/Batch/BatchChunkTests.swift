import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// A regular file on several threads is read in chunks by the workers (`BatchRunner.runInChunks`):
/// the output must be that of one thread, byte for byte, wherever the chunks begin and end.
/// Chunks of `blockSize` × 128 bytes: a block size of 1 puts a boundary every line or two.
@Suite("batch in chunks of a file: the same output as one thread")
struct BatchChunkTests {
    /// Writes `bytes` to a new file and runs the batch on it, read through its descriptor as the
    /// command line reads a file.
    static func runFile(
        _ bytes: [UInt8], options: BatchOptions, ruleSets: [RuleSet]? = nil, hooks: BatchHooks = BatchHooks()
    ) throws -> (end: BatchEnd, output: [UInt8]) {
        try withFileDescriptor(bytes) { fd in
            let sink = MemorySink()
            let runner = BatchRunner(ruleSets: ruleSets ?? BatchFixtures.ruleSets(), options: options)
            let end = runner.run(FileDescriptorSource(fd: fd), to: sink, hooks: hooks)
            return (end, sink.bytes)
        }
    }

    static func options(jobs: Int, blockSize: Int = 1, format: BatchOutputFormat = .csv, traces: Bool = false) -> BatchOptions {
        var options = BatchOptions(outputFormat: format, traces: traces, sourceName: "test.csv")
        options.jobs = jobs
        options.blockSize = blockSize
        return options
    }

    /// Runs `input` on one thread and on `jobs`, from a file, and expects the same bytes and counts.
    static func expectSame(
        _ input: String, jobs: Int = 2, blockSizes: [Int] = [1, 3], format: BatchOutputFormat = .csv, traces: Bool = false,
        layout: BatchResultLayout = .long, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        try expectSame(
            Array(input.utf8), jobs: jobs, blockSizes: blockSizes, format: format, traces: traces, layout: layout,
            sourceLocation: sourceLocation)
    }

    static func expectSame(
        _ input: [UInt8], jobs: Int = 2, blockSizes: [Int] = [1, 3], format: BatchOutputFormat = .csv, traces: Bool = false,
        layout: BatchResultLayout = .long, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        var one = options(jobs: 1, format: format, traces: traces)
        one.layout = layout
        let (serialEnd, serial) = try runFile(input, options: one)
        #expect(!serial.isEmpty, sourceLocation: sourceLocation)
        for blockSize in blockSizes {
            var many = options(jobs: jobs, blockSize: blockSize, format: format, traces: traces)
            many.layout = layout
            let (parallelEnd, parallel) = try runFile(input, options: many)
            let same = parallel == serial
            let differ =
                zip(parallel, serial).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(parallel.count, serial.count)
            #expect(same, "block size \(blockSize): the output differs from byte \(differ) on", sourceLocation: sourceLocation)
            #expect("\(parallelEnd)" == "\(serialEnd)", "block size \(blockSize)", sourceLocation: sourceLocation)
        }
    }

    /// A firm's row with a name that is quoted and holds `lines` line breaks and a doubled quote.
    static func quotedRow(_ row: Int, cvr: String, lines: Int) -> String {
        let name = (0...lines).map { "Firma \(row) linje \($0) med \"\"citat\"\", komma, og mere tekst" }.joined(separator: "\n")
        return "P\(row),\"\(name)\",\(cvr),2024,aps,1000.00,800.00,3,10,true,note"
    }

    @Test("mixed rows: broken records, blank lines and duplicates across chunks, counts included")
    func mixedRows() throws {
        try BatchChunkTests.expectSame(BatchParallelTests.mixedInput(rows: 1_000, closingDates: true), blockSizes: [1, 2, 7, 512])
        try BatchChunkTests.expectSame(BatchParallelTests.mixedInput(rows: 600), jobs: 3, blockSizes: [1, 5])
    }

    @Test("a quoted field with line breaks across the chunk's natural end: the chunk ends after the record")
    func quotedLineBreaks() throws {
        let cvrs = ["13748136", "14381651", "14460845"]
        var lines = [BatchFixtures.header]
        for row in 0..<120 {
            lines.append(
                row % 3 == 0
                    ? BatchChunkTests.quotedRow(row, cvr: cvrs[row % 3], lines: row % 5)
                    : "P\(row),Firma \(row),\(cvrs[row % 3]),2023,aps,1000.00,800.00,3,10,true,note")
        }
        let input = lines.joined(separator: "\n") + "\n"
        try BatchChunkTests.expectSame(input, blockSizes: [1, 2, 3, 4])
        // The plan puts every boundary after a record, never inside the quotes.
        try withPositionalFile(Array(input.utf8)) { file throws in
            var planner = BatchChunkPlanner(file: file)
            let bytes = Array(input.utf8)
            var starts: Set<Int> = [0]
            var offset = 0
            for line in lines {
                offset += line.utf8.count + 1
                starts.insert(offset)
            }
            var start = 0
            var boundaries = 0
            while let end = try planner.boundary(from: start, target: start + 100) {
                #expect(starts.contains(end), "boundary at \(end) is inside a record")
                #expect(end - start >= 100 && bytes[end - 1] == 0x0A)
                (start, boundaries) = (end, boundaries + 1)
            }
            #expect(boundaries > 50)
        }
    }

    @Test("a stray quote inside an unquoted field misleads the plan; the readers decide, and the output is one thread's")
    func strayQuotes() throws {
        var lines = [BatchFixtures.header]
        for row in 0..<200 {
            switch row % 17 {
            case 3: lines.append("P\(row),Fir\"ma \(row),13748136,2024,aps,1000.00,800.00,3,10,true,note")
            case 9: lines.append("P\(row),\"Firma\" \(row),14381651,2024,aps,1000.00,800.00,3,10,true,note")
            case 11: lines.append("P\(row),Firma \(row),14460845,2024,aps,1000.00,800.00,3,10,true,\"note\"x")
            default: lines.append("P\(row),Firma \(row),14540032,\(2000 + row % 25),aps,1000.00,800.00,3,10,true,note")
            }
        }
        try BatchChunkTests.expectSame(lines.joined(separator: "\n") + "\n", blockSizes: [1, 2, 3])
    }

    @Test("a quote that never closes, at a boundary: its error names the true lines, and it takes the rest")
    func unclosedQuote() throws {
        var lines = [BatchFixtures.header]
        for row in 0..<40 { lines.append("P\(row),Firma \(row),13748136,\(2000 + row),aps,1000.00,800.00,3,10,true,note") }
        lines.append("P40,\"Firma uden ende,13748136,2024,aps,1000.00,800.00,3,10,true,note")
        for row in 41..<60 { lines.append("P\(row),Firma \(row),14381651,2024,aps,1000.00,800.00,3,10,true,note") }
        let input = lines.joined(separator: "\n") + "\n"
        try BatchChunkTests.expectSame(input, blockSizes: [1, 2, 3, 5])
        let (_, output) = try BatchChunkTests.runFile(Array(input.utf8), options: BatchChunkTests.options(jobs: 2))
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.contains("line 42, column 5: quote opened at line 42 never closes: lines 42 to 61 (20 lines)"))
    }

    @Test("line numbers in errors and row numbers after quoted line breaks are those of the whole file")
    func numbers() throws {
        var lines = [BatchFixtures.header]
        // Where each stray-quote row starts, and the row P78's record.
        var strays: [(id: String, line: Int)] = []
        var line = 2
        for row in 0..<80 {
            if row % 4 == 1 {
                lines.append(BatchChunkTests.quotedRow(row, cvr: "13748136", lines: 2))
                line += 3
                continue
            }
            if row % 9 == 5 {
                lines.append("P\(row),Fir\"ma,14381651,2024,aps,1000.00,800.00,3,10,true,note")
                strays.append(("P\(row)", line))
            } else {
                lines.append("P\(row),Firma \(row),14381651,\(1990 + row),aps,1000.00,x,3,10,true,note")
            }
            line += 1
        }
        let input = lines.joined(separator: "\n") + "\n"
        try BatchChunkTests.expectSame(input, blockSizes: [1, 2])
        let (_, output) = try BatchChunkTests.runFile(Array(input.utf8), options: BatchChunkTests.options(jobs: 2))
        let rows = BatchFixtures.rows(String(decoding: output, as: UTF8.self))
        #expect(strays.count > 3)
        for stray in strays {
            let reasons = rows.filter { $0.count > 2 && $0[1] == stray.id }.map { $0.joined(separator: ",") }
            #expect(
                reasons.count == 2 && reasons.allSatisfy { $0.contains("line \(stray.line), column 8: quote inside an unquoted field") },
                "\(stray): \(reasons.first ?? "")")
        }
        // P78 is the 80th record, the header being the first.
        #expect(rows.filter { $0.count > 2 && $0[1] == "P78" }.map { $0[0] } == ["80", "80"])
    }

    /// A generated hostile CSV: quoted fields with doubled quotes, separators and line breaks (LF
    /// and CRLF) wherever a chunk may be cut, stray quotes that mislead the plan and break records,
    /// too few and too many fields, blank and space-only lines, CVR numbers and fiscal years in
    /// plain and odd forms (so firm-years repeat across chunks, read from the year or from the
    /// closing date), and a byte-order mark and CRLF line ends in some seeds.
    static func hostileInput(seed: UInt64, rows: Int) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        // Plain forms mostly, so that firm-years repeat across chunks; odd ones now and then.
        let cvrs = ["13748136", "14381651", "14460845", "14540032"]
        let oddCVRs = [" 14540032", "DK14777601", "14 22 32 74", "13906514", "", "1374813"]
        let years = ["2024", "2023", "2019"]
        let oddYears = [" 2019", "", "20x4", "2024.0", "1899"]
        let ends = ["", "", "", "2024-12-31", "2023-06-30"]
        let oddEnds = ["bad", " 2019-12-31 ", "31-12-2024"]
        // Good values for turnover, sales, staff and share, and odd ones for any of them.
        let numbers = [["1000.00", "0.00", "800.00", "12.50"], ["800.00", "400.00", "0.00"], ["3", "0", "12"], ["10", "60", "100"]]
        let oddNumbers = ["", "-1.00", "12,5", "\"1,000.00\"", "x", "1e3", " 7 "]
        let crlf = random.chance(1, in: 2)
        let newline = crlf ? "\r\n" : "\n"
        func quotedName(_ row: Int) -> String {
            var text = "Firma \(row)"
            for _ in 0..<random.next(4) {
                text += ["\"\"", ",", "\n", "\r\n", " med ", "ø", ";"][random.next(7)]
            }
            return "\"" + text + "\""
        }
        var lines = [BatchFixtures.header + ",fiscal_year_end"]
        for row in 0..<rows {
            let cvr = random.chance(1, in: 10) ? oddCVRs[random.next(oddCVRs.count)] : cvrs[random.next(cvrs.count)]
            let year = random.chance(1, in: 10) ? oddYears[random.next(oddYears.count)] : years[random.next(years.count)]
            let name = random.chance(1, in: 3) ? quotedName(row) : "Firma \(row)"
            let cells = numbers.map { good in
                random.chance(1, in: 15) ? oddNumbers[random.next(oddNumbers.count)] : good[random.next(good.count)]
            }
            let end = random.chance(1, in: 10) ? oddEnds[random.next(oddEnds.count)] : ends[random.next(ends.count)]
            var line = "P\(row),\(name),\(cvr),\(year),aps,\(cells[0]),\(cells[1]),\(cells[2]),\(cells[3]),true,note,\(end)"
            switch random.next(60) {
            case 0: line = ""
            case 1: line = "   "
            case 2: line = "P\(row),too,few"
            case 3: line += ",extra"
            case 4: line = "P\(row),Fir\"ma \(row),\(cvr),\(year),aps,1,1,1,1,true,note,\(end)"
            case 5: line = "P\(row),\"Firma\" \(row),\(cvr),\(year),aps,1,1,1,1,true,note,\(end)"
            case 6: line = "P\(row),Firma \(row),\(cvr),\(year),aps,1,1,1,1,true,\"note\"x,\(end)"
            default: break
            }
            lines.append(line)
        }
        let bom: [UInt8] = random.chance(1, in: 3) ? [0xEF, 0xBB, 0xBF] : []
        return bom + Array((lines.joined(separator: newline) + (random.chance(1, in: 4) ? "" : newline)).utf8)
    }

    @Test("generated hostile CSV: quotes across chunk cuts, firm-years repeated across chunks, rejected rows", arguments: 0..<6)
    func hostile(seed: Int) throws {
        let input = BatchChunkTests.hostileInput(seed: UInt64(seed), rows: 400)
        // Hostile indeed: duplicates and rejected rows among them.
        let (end, _) = try BatchChunkTests.runFile(input, options: BatchChunkTests.options(jobs: 1))
        let summary = try #require(BatchFixtures.summary(end))
        #expect(summary.duplicates > 20 && summary.rowsRejected > 20 && summary.blankRowsSkipped > 0)
        #expect(summary.rowsRead - summary.rowsRejected > 100, "\(summary)")
        try BatchChunkTests.expectSame(input, blockSizes: [1, 2, 3, 5, 512])
        try BatchChunkTests.expectSame(input, jobs: 3, blockSizes: [1, 4])
        try BatchChunkTests.expectSame(input, blockSizes: [1, 3], layout: .wide)
        // With traces: the rounds, whose plan guesses at line feeds until a chunk ends elsewhere.
        try BatchChunkTests.expectSame(input, blockSizes: [1, 3], format: .jsonl, traces: true)
    }

    @Test("the plan's cut and the first byte above 0x7F, sixteen and sixty-four bytes at a time, are those of a byte-by-byte count")
    func plannerAgainstBytes() throws {
        var random = SplitMix64(seed: 16)
        for round in 0..<40 {
            // Runs of quotes, line feeds and plain bytes at every offset from a 16-byte boundary,
            // longer than the planner's 64 KiB buffer in some rounds.
            let length = round % 8 == 7 ? 70_000 + random.next(2_000) : 1 + random.next(600)
            let pool: [UInt8] = [0x22, 0x0A, 0x2C, 0x41, 0x22, 0x0A, 0x61, 0x20]
            var bytes = (0..<length).map { _ in random.chance(1, in: 9) ? pool[random.next(pool.count)] : 0x41 }
            // A high byte now and then: an 'ø' in UTF-8, or a byte that begins no UTF-8 sequence.
            var utf8 = true
            if round % 3 == 0 && length > 1 {
                let at = random.next(length - 1)
                if random.chance(1, in: 2) {
                    (bytes[at], bytes[at + 1]) = (0xC3, 0xB8)
                } else {
                    (bytes[at], utf8) = ([0xF8, 0x80][random.next(2)], false)
                }
            }
            try withPositionalFile(bytes) { file throws in
                var planner = BatchChunkPlanner(file: file)
                for _ in 0..<20 {
                    let start = random.next(length)
                    let target = start + random.next(length - start + 40)
                    // Byte by byte: the first line feed at or past the target with an even count of
                    // quotes from the start.
                    var odd = false
                    var expected: Int?
                    for index in start..<length {
                        if bytes[index] == 0x22 { odd.toggle() }
                        if bytes[index] == 0x0A && !odd && index >= target {
                            expected = index + 1
                            break
                        }
                    }
                    #expect(try planner.boundary(from: start, target: target) == expected, "round \(round) from \(start) to \(target)")
                }
                #expect(try Self.firstHighByteIsUTF8(file, bytes) == utf8, "round \(round)")
            }
        }
    }

    /// What the chunks decide the encoding by: the file's first byte above 0x7F, found sixty-four
    /// bytes at a time (`HighByteWatch.first`), and whether it begins a UTF-8 sequence, read back
    /// from the file (`PositionalFile.beginsUTF8`); true when there is none.
    static func firstHighByteIsUTF8(_ file: PositionalFile, _ bytes: [UInt8]) throws -> Bool {
        guard let first = bytes.withUnsafeBytes({ HighByteWatch.first(in: $0) }) else { return true }
        #expect(bytes.firstIndex { $0 >= 0x80 } == first)
        return try file.beginsUTF8(at: first)
    }

    @Test("the first byte above 0x7F decides at every offset in a block of sixty-four bytes")
    func firstHighByteAtEveryOffset() throws {
        for at in 0..<140 {
            for (high, utf8) in [([UInt8(0xF8)], false), ([0xC3, 0xB8], true)] {
                var bytes = [UInt8](repeating: 0x41, count: 200)
                bytes.replaceSubrange(at..<(at + high.count), with: high)
                // A later byte of the other kind: only the first decides.
                bytes[199] = utf8 ? 0xF8 : 0x80
                try withPositionalFile(bytes) { file throws in
                    #expect(try Self.firstHighByteIsUTF8(file, bytes) == utf8, "at \(at)")
                }
            }
        }
    }

    @Test("a stray quote puts the plan's cut inside a quoted field, and the chunk after it reads cleanly there: it is read again")
    func misplacedCleanChunk() throws {
        // After the stray quote the plan counts quotes one off, so it cuts at the line break inside
        // a note of a line break alone ("\n"); read from there, every later line is valid CSV too (a
        // note of "," closes a quoted field and opens the next), with no broken record, so only the
        // check that the chunk began where the chunk before it ended finds the wrong start.
        let cvrs = ["13748136", "14381651", "14460845"]
        var lines = [BatchFixtures.header]
        for row in 0..<30 { lines.append("P\(row),Firma \(row),\(cvrs[row % 3]),2024,aps,1000.00,800.00,3,10,true,note") }
        lines.append("P30,Fir\"ma,13748136,2024,aps,1000.00,800.00,3,10,true,note")
        for row in 31..<240 {
            let note = row % 3 == 0 ? "\"\n\"" : "\",\""
            lines.append("P\(row),Firma \(row),\(cvrs[row % 3]),\(2000 + row % 7),aps,1000.00,800.00,3,10,true,\(note)")
        }
        try BatchChunkTests.expectSame(lines.joined(separator: "\n") + "\n", blockSizes: [1, 2, 3, 5])
    }

    @Test("CRLF with a byte-order mark, a last line without a line break, a header alone, blank lines alone")
    func edges() throws {
        let body = BatchParallelTests.mixedInput(rows: 150).split(separator: "\n", omittingEmptySubsequences: false)
        let crlf = [0xEF, 0xBB, 0xBF] + Array(body.joined(separator: "\r\n").utf8)
        try BatchChunkTests.expectSame(crlf, blockSizes: [1, 3])
        let unterminated = body.dropLast().joined(separator: "\n")
        #expect(!unterminated.hasSuffix("\n"))
        try BatchChunkTests.expectSame(unterminated, blockSizes: [1, 3])
        try BatchChunkTests.expectSame(BatchFixtures.header + "\n")
        try BatchChunkTests.expectSame(BatchFixtures.header)
        try BatchChunkTests.expectSame(BatchFixtures.header + "\n\n\n\n")
        try BatchChunkTests.expectSame(
            BatchFixtures.header.replacingOccurrences(of: ",", with: ";") + "\n"
                + (0..<50).map { "P\($0);Firma;13748136;2024;aps;1000,00;800,00;3;10;true;n" }.joined(separator: "\n") + "\n")
    }

    @Test("every output format, both layouts, traces streamed and full: the same bytes")
    func formats() throws {
        let input = BatchParallelTests.mixedInput(rows: 200)
        for format in [BatchOutputFormat.csv, .jsonl] {
            for layout in [BatchResultLayout.long, .wide] {
                try BatchChunkTests.expectSame(input, blockSizes: [1, 4], format: format, layout: layout)
            }
        }
        try BatchChunkTests.expectSame(input, blockSizes: [1, 4], format: .jsonl, traces: true)
    }

    /// What `BatchRunner.chunkableFile` makes of `bytes` in a file, read as the batch reads it, once
    /// the header is read: the file to read in chunks, or nil for one thread.
    static func chunkableFile(_ bytes: [UInt8], traces: Bool) throws -> PositionalFile? {
        try withFileDescriptor(bytes) { fd in
            let failure = ReadFailure()
            let source = FailureRecordingSource(
                source: TextEncodingSource(SniffedSource(FileDescriptorSource(fd: fd)), language: .english, notice: { _ in }),
                failure: failure)
            var reader = CSVReader(source: source)
            _ = reader.next()
            let runner = BatchRunner(ruleSets: BatchFixtures.ruleSets(), options: BatchChunkTests.options(jobs: 2, traces: traces))
            return runner.chunkableFile(reader, failure)
        }
    }

    @Test("only a regular file, UTF-8 or still undecided, is read in chunks")
    func whichInputs() throws {
        func chunkable(_ bytes: [UInt8], traces: Bool = false) throws -> Bool {
            try Self.chunkableFile(bytes, traces: traces) != nil
        }
        let ascii = Array((BatchFixtures.header + "\nP1,Firma,13748136,2024,aps,1,1,1,1,true,n\n").utf8)
        #expect(try chunkable(ascii))
        #expect(try chunkable(ascii + Array("P2,Søren,13748136,2023,aps,1,1,1,1,true,n\n".utf8)))
        // A Windows-1252 'ø' far after the header: read in chunks until the chunk that meets it,
        // which hands the rest to one reader (BatchChunkEncodingTests), with traces or without.
        let filler = Array(String(repeating: "P1,Firma,13748136,2024,aps,1,1,1,1,true,n\n", count: 3_000).utf8)
        #expect(try chunkable(ascii + filler + [0x50, 0x32, 0x2C, 0x53, 0xF8, 0x0A], traces: true))
        #expect(try chunkable(ascii + filler + [0x50, 0x32, 0x2C, 0x53, 0xF8, 0x0A]))
        // A pipe cannot be read from an offset.
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        ascii.withUnsafeBytes { _ = write(ends[1], $0.baseAddress, $0.count) }
        close(ends[1])
        #expect(PositionalFile(fd: ends[0], origin: PositionalFile.offset(of: ends[0])) == nil)
        // The Windows-1252 file itself: one thread's output either way.
        try BatchChunkTests.expectSame(ascii + filler + [0x50, 0x32, 0x2C, 0x53, 0xF8, 0x0A], blockSizes: [1])
    }

    @Test("every sample and fixture CSV under the bundled rules, in chunks of one or two lines: the same bytes")
    func samplesAndFixtures() throws {
        guard case .success(let loaded) = RuleLoader.load(path: TestPaths.rules), !loaded.hasErrors else {
            Issue.record("the bundled rules do not load")
            return
        }
        let files = ["samples", "Tests"].flatMap { folder in
            (FileManager.default.enumerator(atPath: TestPaths.root + "/" + folder)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".csv") }.map { TestPaths.root + "/" + folder + "/" + $0 }
        }
        #expect(files.count > 20)
        for path in files.sorted() {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            for layout in [BatchResultLayout.long, .wide] {
                var one = BatchChunkTests.options(jobs: 1)
                one.layout = layout
                let (serialEnd, serial) = try BatchChunkTests.runFile(bytes, options: one, ruleSets: loaded.ruleSets)
                for blockSize in [1, 2] {
                    var two = BatchChunkTests.options(jobs: 2, blockSize: blockSize)
                    two.layout = layout
                    let (parallelEnd, parallel) = try BatchChunkTests.runFile(bytes, options: two, ruleSets: loaded.ruleSets)
                    let same = parallel == serial
                    #expect(same, "\(path) \(layout) block size \(blockSize)")
                    #expect("\(parallelEnd)" == "\(serialEnd)", "\(path) \(layout) block size \(blockSize)")
                }
            }
        }
    }

    @Test("stopping ends after whole chunks: the results written are one thread's for the rows counted")
    func interrupted() throws {
        try Self.expectStopMatchesOneThread(jobs: 2, blockSize: 2, stopAt: 3)
    }

    /// Stops a batch of 500 mixed rows at the `stopAt`-th poll of `shouldStop` and expects what it
    /// wrote to be what one thread writes for the rows it counted, and the same counts.
    static func expectStopMatchesOneThread(jobs: Int, blockSize: Int, stopAt: Int) throws {
        let input = BatchParallelTests.mixedInput(rows: 500)
        var polls = 0
        let (end, output) = try BatchChunkTests.runFile(
            Array(input.utf8), options: BatchChunkTests.options(jobs: jobs, blockSize: blockSize),
            hooks: BatchHooks(shouldStop: {
                polls += 1
                return polls == stopAt
            }))
        guard case .interrupted(let summary) = end else {
            Issue.record("expected the batch to be interrupted, got \(end)")
            return
        }
        #expect(summary.isBalanced && summary.rowsRead > 0 && summary.rowsRead < 500)
        var prefix = [BatchFixtures.header]
        var rows = 0
        for line in input.split(separator: "\n", omittingEmptySubsequences: false).dropFirst() where rows < summary.rowsRead {
            prefix.append(String(line))
            if !line.isEmpty { rows += 1 }
        }
        let (serialEnd, serial) = try BatchChunkTests.runFile(
            Array((prefix.joined(separator: "\n") + "\n").utf8), options: BatchChunkTests.options(jobs: 1))
        let serialSummary = try #require(BatchFixtures.summary(serialEnd))
        #expect(serialSummary.rowsRead == summary.rowsRead && serialSummary.duplicates == summary.duplicates)
        // The interrupted batch writes no footer; CSV has none, so the bytes are the same.
        #expect(serial == output, "\(jobs) workers stopped at poll \(stopAt)")
    }

    @Test("until it counts quotes, the plan cuts at the first line feed at or past the target, read from there")
    func plannerFirstLineFeed() throws {
        var random = SplitMix64(seed: 61)
        for round in 0..<40 {
            // Line feeds seldom, so that stretches without one pass the first 1 KiB window, and
            // quotes that the cut must not count; some files longer than the 64 KiB buffer.
            let length = round % 8 == 7 ? 70_000 + random.next(2_000) : 1 + random.next(4_000)
            let feedOneIn = [40, 900, 3_000][round % 3]
            let bytes: [UInt8] = (0..<length).map { _ in
                random.chance(1, in: feedOneIn) ? 0x0A : (random.chance(1, in: 7) ? 0x22 : 0x41)
            }
            try withPositionalFile(bytes) { file throws in
                var planner = BatchChunkPlanner(file: file, countsQuotes: false)
                for _ in 0..<20 {
                    let start = random.next(length)
                    let target = start + random.next(length - start + 40)
                    let expected = (target..<max(target, length)).first { bytes[$0] == 0x0A }.map { $0 + 1 }
                    #expect(try planner.boundary(from: start, target: target) == expected, "round \(round) from \(start) to \(target)")
                }
            }
        }
    }

    @Test("the relay's plan cuts at line feeds until a chunk ends elsewhere than planned, then counts quotes")
    func relayCountsQuotesAfterAMiss() throws {
        let input = Array(("id,note\n" + (0..<200).map { "P\($0),\"a\nb\"" }.joined(separator: "\n") + "\n").utf8)
        try withPositionalFile(input) { file throws in
            let relay = ChunkRelay(file: file, next: 8, lines: 1, records: 1, jobs: 2, chunkBytes: 100, zero: BatchSummary(ruleSets: []))
            #expect(!relay.countsQuotes)
            // The first cut is the line feed inside a quoted note: not a record's end.
            let first = try #require(relay.take())
            #expect(first.start == 8 && input[first.limit - 2] == UInt8(ascii: "a"))
            relay.replan(from: first.limit + 2)
            #expect(relay.countsQuotes)
            relay.stop()
        }
    }

    @Test("a chunk's source stops its reads at the planned end, and past it reads a little at a time: the same bytes")
    func chunkSourceStopsAtLimit() throws {
        var random = SplitMix64(seed: 62)
        let bytes = (0..<20_000).map { _ in UInt8(truncatingIfNeeded: random.next(256)) }
        try withPositionalFile(bytes) { file throws in
            for round in 0..<200 {
                let start = random.next(bytes.count)
                let limit = round % 10 == 0 ? Int.max : start + random.next(bytes.count - start + 100)
                let ask = 1 + random.next(round % 2 == 0 ? 70_000 : 300)
                var source = PositionalFileSource(file: file, offset: start, limit: limit)
                var served: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: ask)
                while true {
                    let at = start + served.count
                    let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
                    if count == 0 { break }
                    if at < limit {
                        #expect(at + count <= limit, "round \(round): a read from \(at) passed the limit \(limit)")
                    } else {
                        #expect(count <= PositionalFileSource.pastLimit, "round \(round): \(count) bytes read past the limit")
                    }
                    served += buffer[..<count]
                }
                #expect(served == Array(bytes[start...]), "round \(round)")
            }
        }
    }
}
