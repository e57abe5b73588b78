import SoeLanguage

/// The rule sets of two versions of the rules, matched by name.
public struct RuleSetPairing: Sendable {
    /// The matched rule sets, old and new, in the order of the old rules.
    public var old: [RuleSet]
    public var new: [RuleSet]
    /// The names only one side has: reported, never compared.
    public var onlyOld: [String]
    public var onlyNew: [String]

    /// Matches `old` and `new` by name; with `selected`, only those names (in that order). A
    /// selected `OLD=NEW` pairs the old rule set `OLD` with the new rule set `NEW` (a rule set
    /// against one that builds on it, or a renamed one), and the pair is named `OLD=NEW`.
    public static func match(old: [RuleSet], new: [RuleSet], selected: [String] = []) -> RuleSetPairing {
        var pairing = RuleSetPairing(old: [], new: [], onlyOld: [], onlyNew: [])
        let names = selected.isEmpty ? old.map(\.name) : selected
        for name in names {
            let (oldName, newName) = pairNames(name)
            let before = old.first { $0.name == oldName }
            let after = new.first { $0.name == newName }
            switch (before, after) {
            case (let before?, let after?):
                pairing.old.append(before)
                pairing.new.append(after)
            case (_?, nil): pairing.onlyOld.append(oldName)
            case (nil, _?): pairing.onlyNew.append(newName)
            case (nil, nil): break
            }
        }
        if selected.isEmpty {
            pairing.onlyNew = new.map(\.name).filter { name in !old.contains { $0.name == name } }
        }
        return pairing
    }

    /// The old and the new name of a `--ruleset` value: `OLD=NEW`, or one name for both.
    public static func pairNames(_ selected: String) -> (old: String, new: String) {
        guard let equals = selected.firstIndex(of: "=") else { return (selected, selected) }
        return (String(selected[..<equals]), String(selected[selected.index(after: equals)...]))
    }

    /// The name a pair is reported by: the rule set's, or `OLD=NEW` for two names.
    public static func pairName(old: RuleSet, new: RuleSet) -> String {
        old.name == new.name ? old.name : "\(old.name)=\(new.name)"
    }
}

/// Runs a diff: every firm of a batch under the old and the new version of each matched rule set,
/// on the batch's own readers, binders and threads (`BatchRunner` with `BatchOptions.diff`), so
/// that CSV in every dialect, JSON Lines, and every later input the batch reads, are read and
/// rejected exactly as `soe evaluate` reads and rejects them. Memory stays flat: what is kept is
/// the counts, and for text and HTML the changed firms' lines, which follow the table.
public struct DiffRunner {
    public let pairing: RuleSetPairing
    public let options: BatchOptions
    public let format: DiffFormat

    /// A runner; `options` say how the firms are read (format, dialect, threads, `asOf`, language).
    public init(pairing: RuleSetPairing, options: BatchOptions, format: DiffFormat) {
        self.pairing = pairing
        self.format = format
        var options = options
        (options.outputFormat, options.traces, options.borderline) = (.csv, false, nil)
        options.diff = DiffSetup(pairs: pairing.old.count, format: format)
        self.options = options
    }

    /// Reads the firms from `source` and writes the whole diff to `sink`.
    public func run<Source: ByteSource>(_ source: Source, to sink: BatchSink, context: DiffContext, hooks: BatchHooks = BatchHooks())
        -> BatchEnd
    {
        let runner = BatchRunner(ruleSets: pairing.old + pairing.new, options: options)
        switch format {
        case .csv:
            return runner.run(source, to: sink, hooks: hooks)
        case .json:
            let stream = DiffJSONSink(opening: DiffReport.jsonOpening(context), target: sink)
            let end = runner.run(source, to: stream, hooks: hooks)
            guard case .finished(let summary) = end else { return end }
            if !stream.started, let failure = sink.write(stream.opening) { return .outputFailed(failure, summary) }
            let closing = DiffReport.jsonClosing(summary: summary, context: context, hadChanges: stream.wroteChanges)
            if let failure = sink.write(closing) { return .outputFailed(failure, summary) }
            return end
        case .text, .html:
            let spool = MemorySink()
            let end = runner.run(source, to: spool, hooks: hooks)
            guard case .finished(let summary) = end else { return end }
            let document = DiffReport.document(format: format, changes: spool.bytes, summary: summary, context: context)
            if let failure = sink.write(document) { return .outputFailed(failure, summary) }
            return end
        }
    }
}

/// Streams the JSON form's changes: the opening goes out before the first, and the first change's
/// leading comma is dropped, so that nothing is written for a batch that ends before its first row.
final class DiffJSONSink: BatchSink {
    let opening: [UInt8]
    let target: BatchSink
    private(set) var started = false
    private(set) var wroteChanges = false

    init(opening: [UInt8], target: BatchSink) {
        self.opening = opening
        self.target = target
    }

    func write(_ bytes: [UInt8]) -> ToolError? {
        guard !bytes.isEmpty else { return nil }
        if started { return target.write(bytes) }
        started = true
        wroteChanges = true
        return target.write(opening + DiffReport.dropLeadingComma(bytes))
    }
}
