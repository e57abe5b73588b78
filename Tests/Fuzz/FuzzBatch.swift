// Fuzz target `batch`: any bytes as a batch CSV through `BatchRunner` under the bundled rule sets,
// row by row and on three threads in blocks of two rows (`--jobs`), with results as CSV and with
// streamed traces. Both must end the same way with the same bytes, and the counts must add up.
import SoeEngine
import SoeLanguage

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBatch(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    runBatch(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// The four runners, made once per process: a runner builds the streamed-trace header of each
/// bundled rule set when it is made (`BatchRunner.streams`), the same for every input, and building
/// them for every input was most of the target's time. Each `run` still starts a fresh session.
let runners: [(traces: Bool, one: BatchRunner, many: BatchRunner)] = [false, true].map { traces in
    var one = BatchOptions(outputFormat: traces ? .jsonl : .csv, traces: traces, sourceName: "fuzz.csv")
    one.blockSize = 2
    var many = one
    many.jobs = 3
    return (traces, BatchRunner(ruleSets: Bundled.ruleSets, options: one), BatchRunner(ruleSets: Bundled.ruleSets, options: many))
}

func runBatch(_ bytes: [UInt8]) {
    for (traces, one, many) in runners {
        let (oneEnd, oneBytes) = batch(bytes, one)
        let (manyEnd, manyBytes) = batch(bytes, many)
        require(oneBytes == manyBytes, "three threads wrote other bytes than one (traces: \(traces))")
        require(oneEnd == manyEnd, "three threads ended as \(manyEnd), one as \(oneEnd)")
        if case .summary(_, let balanced) = oneEnd { require(balanced, "the counts do not add up to the rows read") }
    }
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

func batch(_ bytes: [UInt8], _ runner: BatchRunner) -> (End, [UInt8]) {
    let sink = MemorySink()
    let end = runner.run(ArraySource(bytes), to: sink)
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
