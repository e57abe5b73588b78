// Fuzz target `batch`: any bytes as a batch CSV through `BatchRunner` under the bundled rule sets.
// Every way the engine has to write the same results must write the same bytes and end the same
// way, and the counts must add up:
// - streamed traces (JSON Lines), row by row and on three threads in blocks of two rows (`--jobs`);
// - result CSV in the long layout and in the wide one (`--output`'s default), each without and with
//   the borderline column (`--borderline 2 %`), by the general path (`plainResultRows` off: a
//   `Decision` per row, the reference), by the fast rows (one buffer, the kept results), by the
//   fast rows with almost no room for kept results (`keptSlotBudget`) and the input read through
//   the read-ahead ring, on three threads in blocks of two rows, and on three threads in chunks of
//   a regular file (about 256 bytes each, split where a record ends).
// The internal switches need `@testable`: `.ci/fuzz.sh` compiles the modules with -enable-testing.
import Foundation
import SoeLanguage

@testable import SoeEngine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBatch(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    runBatch(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// One way of running a batch: its runner, and whether it reads the input from a regular file.
struct Way {
    let name: String
    let runner: BatchRunner
    let file: Bool
}

/// The ways, made once per process: a runner builds the streamed-trace header of each bundled rule
/// set when it is made (`BatchRunner.streams`), the same for every input, and building them for
/// every input was most of the target's time. Each `run` still starts a fresh session. Each group's
/// first way is its reference.
let groups: [[Way]] = {
    var traces = BatchOptions(outputFormat: .jsonl, traces: true, sourceName: "fuzz.csv")
    traces.blockSize = 2
    var tracesMany = traces
    tracesMany.jobs = 3
    var groups = [[way("traces, one thread", traces), way("traces, three threads", tracesMany)]]
    for layout in BatchResultLayout.allCases {
        for borderline in [nil, Exact(raw: 1, 50)] {
            var general = BatchOptions(outputFormat: .csv, traces: false, sourceName: "fuzz.csv")
            (general.layout, general.borderline, general.blockSize, general.plainResultRows) = (layout, borderline, 2, false)
            var fast = general
            fast.plainResultRows = true
            var tight = fast
            (tight.keptSlotBudget, tight.readAhead) = (1, .always)
            var many = fast
            many.jobs = 3
            let label = "\(layout)\(borderline == nil ? "" : ", borderline 2 %")"
            groups.append([
                way("\(label), general path", general), way("\(label), fast rows", fast),
                way("\(label), fast rows, kept budget 1, read ahead", tight), way("\(label), three threads in blocks", many),
                way("\(label), three threads in file chunks", many, file: true),
            ])
        }
    }
    return groups
}()

func way(_ name: String, _ options: BatchOptions, file: Bool = false) -> Way {
    Way(name: name, runner: BatchRunner(ruleSets: Bundled.ruleSets, options: options), file: file)
}

/// The regular file the chunked ways read: this process's own, written again for every input.
let inputPath: String = {
    let folder = ProcessInfo.processInfo.environment["SOE_FUZZ_WORK"] ?? NSTemporaryDirectory()
    return folder + "/batch-input-\(getpid()).csv"
}()

func runBatch(_ bytes: [UInt8]) {
    writeInput(bytes)
    for group in groups {
        var reference: (way: Way, end: End, bytes: [UInt8])?
        for way in group {
            let (end, written) = way.file ? batchFromFile(way.runner) : batch(bytes, way.runner)
            if case .summary(_, let balanced) = end { require(balanced, "\(way.name): the counts do not add up to the rows read") }
            guard let first = reference else {
                reference = (way, end, written)
                continue
            }
            require(written == first.bytes, "\(way.name) wrote other bytes than \(first.way.name)")
            require(end == first.end, "\(way.name) ended as \(end), \(first.way.name) as \(first.end)")
        }
    }
}

/// Writes the input to `inputPath`, replacing what the last input left there.
func writeInput(_ bytes: [UInt8]) {
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    require(fd >= 0, "cannot write \(inputPath)")
    defer { close(fd) }
    var done = 0
    while done < bytes.count {
        let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
        require(count > 0, "cannot write \(inputPath)")
        done += count
    }
}

/// The batch of `inputPath`, read as a regular file (`FileDescriptorSource`: chunks with `--jobs`).
func batchFromFile(_ runner: BatchRunner) -> (End, [UInt8]) {
    let fd = open(inputPath, O_RDONLY)
    require(fd >= 0, "cannot read \(inputPath)")
    defer { close(fd) }
    return batch(FileDescriptorSource(fd: fd), runner)
}

/// How a batch ended, comparable: the kind, with the summary's counts as lines.
enum End: Equatable, CustomStringConvertible {
    case header([String])
    case summary(String, balanced: Bool)

    var description: String {
        switch self {
        case .header(let errors): "header rejected: \(errors)"
        case .summary(let kind, _): kind
        }
    }
}

func batch(_ bytes: [UInt8], _ runner: BatchRunner) -> (End, [UInt8]) { batch(ArraySource(bytes), runner) }

func batch(_ source: some ByteSource, _ runner: BatchRunner) -> (End, [UInt8]) {
    let sink = MemorySink()
    let end = runner.run(source, to: sink)
    let described: End
    switch end {
    case .headerRejected(let errors): described = .header(errors.map { "\($0.column): \($0.message)" })
    case .notBatchInput(let finding): described = .header([finding.message])
    case .finished(let summary):
        described = .summary("finished " + summary.lines(source: "fuzz.csv").joined(separator: "\n"), balanced: summary.isBalanced)
    case .inputFailed(let message, let summary):
        described = .summary("input failed \(message) \(summary.lines(source: "fuzz.csv"))", balanced: summary.isBalanced)
    case .outputFailed(let error, let summary):
        described = .summary("output failed \(error) \(summary.lines(source: "fuzz.csv"))", balanced: summary.isBalanced)
    case .interrupted(let summary): described = .summary("interrupted \(summary.lines(source: "fuzz.csv"))", balanced: summary.isBalanced)
    }
    return (described, sink.bytes)
}
