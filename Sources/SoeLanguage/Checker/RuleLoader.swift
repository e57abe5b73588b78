/// Finds, reads, parses and checks rule files: the first stages of the pipeline, in order.
///
///     read → lex → parse → resolve `builds on` → check
///
/// Like jlox, it stops after a failing stage: a rule set whose files do not parse is not checked,
/// and one that does not check is not returned. `builds on NAME` is resolved among the files
/// being loaded, then as `NAME.rules` in the same folder as the file that says it, then in the
/// library (`RuleLibrary`: the folders of `SOE_RULES_PATH`, then the bundled rule sets).
public struct RuleLoader {
    /// The largest rule file accepted; a real one is a few kilobytes.
    public static let maxFileSize = 8 << 20

    /// What loading produced: the checked rule sets, and every diagnostic met on the way.
    public struct Result: Sendable {
        public var ruleSets: [RuleSet]
        public var diagnostics: [Diagnostic]
        /// Every file parsed, including those found through `builds on`.
        public var files: [RuleFileSyntax]
        /// Rule sets built upon that were found in a file shadowing a different bundled copy.
        public var notes: [LibraryNote] = []
        /// Files in a folder of rules that look meant as rule files but are not read (`x.rule`,
        /// `x.rules.txt`, a hidden `.x.rules`): said, so that a rule set is not left out in silence.
        public var skipped: [SkippedRuleFile] = []
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    private var parsed: [String: RuleFileSyntax] = [:]
    private var byName: [String: String] = [:]
    private var order: [String] = []
    private var diagnostics: [Diagnostic] = []
    private var library = RuleLibrary.none
    private var notes: [LibraryNote] = []

    /// Loads a rule file, or every `*.rules` file in a folder. A tool error means nothing could be read.
    public static func load(path: String, library: RuleLibrary = .none) -> Swift.Result<Result, ToolError> {
        load(paths: [path], library: library)
    }

    /// Loads every rule file given (`--rules` more than once, or `check a.rules b.rules`), each a
    /// file or a folder of `*.rules` files, as one whole: a file reached twice (a folder and a file
    /// in it, or a link) is read once, and two files that declare the same rule set are an error
    /// (E307) however they were given.
    public static func load(paths given: [String], library: RuleLibrary = .none) -> Swift.Result<Result, ToolError> {
        var paths: [String] = []
        var seen: Set<FileIdentity> = []
        var skipped: [SkippedRuleFile] = []
        for path in given {
            var files = [path]
            if FileSystem.isDirectory(path) {
                // Listed once, for the rule files and for the files that look meant as ones.
                guard let names = FileSystem.names(in: path) else { return .failure(ToolError("cannot list the folder \(path)")) }
                switch FileSystem.list(path, extension: ".rules", names: names) {
                case .failure(let failure): return .failure(failure)
                case .success(let list): files = list
                }
                let found = SkippedRuleFile.find(in: path, names: names)
                skipped += found
                if files.isEmpty {
                    let near = found.isEmpty ? "" : " (" + found.map { $0.text(.english) }.joined(separator: "; ") + ")"
                    return .failure(ToolError("no .rules files in the folder \(path)\(near)"))
                }
            }
            for file in files {
                if let identity = FileSystem.identity(file), !seen.insert(identity).inserted { continue }
                if !paths.contains(file) { paths.append(file) }
            }
        }
        var sources: [SourceFile] = []
        var tooLarge: [Diagnostic] = []
        for file in paths {
            // A file over the limit is reported from its size alone: reading gigabytes to say so would
            // be the very exhaustion the limit is there to prevent.
            if let size = FileSystem.size(of: file), size > maxFileSize {
                tooLarge.append(fileTooLarge(SourceFile(path: file, bytes: []), size: size))
                continue
            }
            switch FileSystem.read(file, limit: maxFileSize) {
            case .failure(let failure): return .failure(failure)
            case .success(let bytes): sources.append(SourceFile(path: file, bytes: bytes))
            }
        }
        var result = load(sources, library: library)
        result.diagnostics = tooLarge + result.diagnostics
        result.skipped = skipped
        return .success(result)
    }

    /// E106 for a file that is data, not rules: what it looks like, and the likely mix-up.
    static func dataFile(_ source: SourceFile, english: String, danish: String) -> Diagnostic {
        Diagnostic(
            code: DiagnosticCode.missingRulesetHeader.rawValue, severity: .error,
            message:
                "this is \(english), not a rule file, which starts with 'ruleset NAME \"title\"'; were the rules and the firm data given the other way round?",
            danish:
                "dette er \(danish), ikke en regelfil, som begynder med 'ruleset NAVN \"titel\"'; blev reglerne og virksomhedsdata givet i omvendt rækkefølge?",
            span: SourceSpan(file: source, range: 0..<min(source.bytes.count, 1)))
    }

    /// What a file that does not start with `ruleset` looks like when it is data: JSON (its first
    /// character `{` or `[`) or CSV (a first line of three or more fields between `,`, `;` or tabs,
    /// with no `#` comment before it); nil when it looks like neither (a rule file with its header
    /// missing or misspelt, which the parser's errors describe).
    static func dataKind(_ bytes: [UInt8]) -> (english: String, danish: String)? {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard start < bytes.count else { return nil }
        if bytes[start] == UInt8(ascii: "{") || bytes[start] == UInt8(ascii: "[") {
            return ("JSON (firm data or a record)", "JSON (virksomhedsdata eller en afgørelsespost)")
        }
        if bytes[start] == UInt8(ascii: "#") { return nil }
        let line = bytes[start...].prefix { $0 != 0x0A && $0 != 0x0D }
        // A declaration whose header is missing (`input a: money "Salg, moms, afgifter"`) is a rule
        // file, whatever commas its texts hold.
        let word = String(decoding: line.prefix { $0 != 0x20 && $0 != 0x09 && $0 != UInt8(ascii: ":") }, as: UTF8.self)
        if ["input", "parameter", "value", "criterion", "classify", "override", "ruleset", "builds", "in"].contains(word) {
            return nil
        }
        for separator in [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09] where line.filter({ $0 == separator }).count >= 2 {
            return ("a CSV file (firm data)", "en CSV-fil (virksomhedsdata)")
        }
        return nil
    }

    /// E402 for a file of `size` bytes.
    static func fileTooLarge(_ source: SourceFile, size: Int) -> Diagnostic {
        Diagnostic(
            code: DiagnosticCode.fileTooLarge.rawValue, severity: .error,
            message: "the rule file is \(size) bytes; the limit is \(RuleLoader.maxFileSize)",
            danish: "regelfilen fylder \(size) byte; grænsen er \(RuleLoader.maxFileSize)",
            span: SourceSpan(file: source, range: 0..<0))
    }

    /// Loads rule files already in memory (tests, generated files). Parents named by `builds on`
    /// that are not among them are read from disk next to the file that names them.
    public static func load(_ sources: [SourceFile], library: RuleLibrary = .none) -> Result {
        var loader = RuleLoader()
        loader.library = library
        for source in sources { _ = loader.parse(source) }
        var ruleSets: [RuleSet] = []
        for path in sources.map(\.path) {
            if let ruleSet = loader.checkRuleSet(at: path) { ruleSets.append(ruleSet) }
        }
        let files = loader.order.compactMap { loader.parsed[$0] }
        return Result(
            ruleSets: ruleSets, diagnostics: RuleLoader.deduplicated(loader.diagnostics), files: files, notes: loader.notes)
    }

    /// Parses one file (once), with the checks that come before parsing: size and UTF-8.
    mutating func parse(_ source: SourceFile) -> RuleFileSyntax? {
        if let done = parsed[source.path] { return done }
        if source.bytes.count > RuleLoader.maxFileSize {
            diagnostics.append(RuleLoader.fileTooLarge(source, size: source.bytes.count))
            return nil
        }
        // A workbook given where the rules go (`--rules firms.xlsx`): one error, not its bytes.
        if source.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            diagnostics.append(
                RuleLoader.dataFile(
                    source, english: "a ZIP file (such as an .xlsx workbook)", danish: "en ZIP-fil (fx en .xlsx-projektmappe)"))
            return nil
        }
        if let bad = firstInvalidUTF8(source.bytes) {
            // UTF-16 (as Notepad's "Unicode" saves it) by its byte-order mark, named as what it is.
            let head = source.bytes.prefix(2)
            let utf16 =
                head.elementsEqual([0xFF, 0xFE])
                ? " (it is UTF-16, little-endian)" : head.elementsEqual([0xFE, 0xFF]) ? " (it is UTF-16, big-endian)" : ""
            let utf16da = utf16.isEmpty ? "" : utf16.contains("little") ? " (den er UTF-16, little-endian)" : " (den er UTF-16, big-endian)"
            let byte = String(source.bytes[bad], radix: 16, uppercase: true)
            diagnostics.append(
                Diagnostic(
                    code: DiagnosticCode.invalidUTF8.rawValue, severity: .error,
                    message: "the file is not valid UTF-8\(utf16) (byte 0x\(byte) at offset \(bad)); save it as UTF-8",
                    danish: "filen er ikke gyldig UTF-8\(utf16da) (byte 0x\(byte) ved position \(bad)); gem den som UTF-8",
                    span: SourceSpan(file: source, range: bad..<(bad + 1))))
            return nil
        }
        let (syntax, found) = Parser.parse(source)
        // Firm data given where the rules go (`--rules firms.csv`, the arguments swapped): one
        // error that says so, not one per line of data.
        if found.contains(where: { $0.code == DiagnosticCode.missingRulesetHeader.rawValue }), let what = RuleLoader.dataKind(source.bytes)
        {
            diagnostics.append(RuleLoader.dataFile(source, english: what.english, danish: what.danish))
            return nil
        }
        diagnostics.append(contentsOf: found)
        parsed[source.path] = syntax
        order.append(source.path)
        if let name = syntax.header?.name.text, !name.isEmpty {
            if let other = byName[name], other != source.path {
                diagnostics.append(
                    Diagnostic(
                        code: DiagnosticCode.duplicateRuleset.rawValue, severity: .error,
                        message: "the rule set '\(name)' is also declared in \(other)",
                        danish: "regelsættet '\(name)' er også erklæret i \(other)",
                        span: syntax.header.map { SourceSpan(file: source, range: $0.name.range) }))
            } else {
                byName[name] = source.path
            }
        }
        return syntax
    }

    /// Resolves the chain of `builds on` from a file and checks the whole rule set.
    mutating func checkRuleSet(at path: String) -> RuleSet? {
        guard let leaf = parsed[path] else { return nil }
        var chain = [leaf]
        var names: [String] = [leaf.header?.name.text ?? ""]
        var current = leaf
        while let parentName = current.header?.buildsOn, !parentName.text.isEmpty {
            let span = SourceSpan(file: current.file, range: parentName.range)
            if names.contains(parentName.text) {
                let cycle = (names + [parentName.text]).joined(separator: " → ")
                diagnostics.append(
                    Diagnostic(
                        code: DiagnosticCode.parentCycle.rawValue, severity: .error,
                        message: "rule sets build on each other in a circle: \(cycle)",
                        danish: "regelsættene bygger på hinanden i ring: \(cycle)", span: span))
                return nil
            }
            guard let parent = findParent(parentName.text, from: current.file.path, span: span) else { return nil }
            chain.append(parent)
            names.append(parentName.text)
            current = parent
        }
        let hasParseErrors = diagnostics.contains { diagnostic in
            diagnostic.severity == .error && chain.contains { $0.file.path == diagnostic.span?.file.path }
        }
        if hasParseErrors { return nil }
        let (ruleSet, found) = Checker.check(chain.reversed(), ancestry: Array(names.dropFirst()))
        diagnostics.append(contentsOf: found)
        return ruleSet
    }

    mutating func findParent(_ name: String, from path: String, span: SourceSpan) -> RuleFileSyntax? {
        if let known = byName[name], let syntax = parsed[known] {
            noteShadowing(name, by: syntax)
            return syntax
        }
        // The file's own folder, then the library's folders; the bundled copy last.
        let folders = (path.hasPrefix(RuleLibrary.bundledPrefix) ? [] : [FileSystem.directory(of: path)]) + library.folders
        var tried: [String] = []
        for folder in folders {
            let candidate = (folder.hasSuffix("/") ? folder : folder + "/") + name + ".rules"
            tried.append(candidate)
            if let size = FileSystem.size(of: candidate), size > RuleLoader.maxFileSize {
                diagnostics.append(RuleLoader.fileTooLarge(SourceFile(path: candidate, bytes: []), size: size))
                return nil
            }
            guard FileSystem.exists(candidate), case .success(let bytes) = FileSystem.read(candidate, limit: RuleLoader.maxFileSize)
            else { continue }
            guard let syntax = parse(SourceFile(path: candidate, bytes: bytes)) else { return nil }
            let declared = syntax.header?.name.text ?? ""
            if declared != name {
                diagnostics.append(
                    Diagnostic(
                        code: DiagnosticCode.rulesetNameMismatch.rawValue, severity: .error,
                        message: "\(candidate) declares the rule set '\(declared)', not '\(name)'",
                        danish: "\(candidate) erklærer regelsættet '\(declared)', ikke '\(name)'", span: span))
                return nil
            }
            noteShadowing(name, by: syntax)
            return syntax
        }
        if library.bundled, let bundled = RuleLibrary.bundledFile(name) {
            return parse(bundled)
        }
        let expected = tried.count == 1 ? "expected the file \(tried[0])" : "looked for \(tried.joined(separator: ", "))"
        let forventet = tried.count == 1 ? "filen \(tried[0]) skulle findes" : "ledte efter \(tried.joined(separator: ", "))"
        // The rule sets that could be meant: the bundled ones and the rule files in the folders
        // looked in (`anden_aktør` for `anden_aktoer`, a name written as the title reads).
        var known = library.bundled ? BundledRules.files.map { String($0.name.dropLast(".rules".count)) } : []
        for folder in folders {
            for file in FileSystem.names(in: folder) ?? [] where file.hasSuffix(".rules") {
                known.append(String(file.dropLast(".rules".count)))
            }
        }
        let meant = closestWord(to: name, in: known) ?? closestWord(to: RuleLoader.ascii(name), in: known)
        let hint = meant.map { "; did you mean '\($0)'?" } ?? ""
        let forslag = meant.map { "; mente du '\($0)'?" } ?? ""
        diagnostics.append(
            Diagnostic(
                code: DiagnosticCode.parentNotFound.rawValue, severity: .error,
                message: "cannot find the rule set '\(name)': \(expected)\(hint)",
                danish: "kan ikke finde regelsættet '\(name)': \(forventet)\(forslag)", span: span))
        return nil
    }

    /// A name with the Danish letters written as a name may hold them (`ø` as `oe`, `æ` as `ae`,
    /// `å` as `aa`), to find the rule set a title's spelling stood for.
    static func ascii(_ name: String) -> String {
        var out = ""
        for character in name.lowercased() {
            switch character {
            case "æ": out += "ae"
            case "ø": out += "oe"
            case "å": out += "aa"
            default: out.append(character)
            }
        }
        return out
    }

    /// Notes a rule set built upon that is read from a file while a different bundled copy exists.
    mutating func noteShadowing(_ name: String, by syntax: RuleFileSyntax) {
        guard library.bundled, !syntax.file.path.hasPrefix(RuleLibrary.bundledPrefix),
            let bundled = RuleLibrary.bundledFile(name), bundled.bytes != syntax.file.bytes
        else { return }
        let note = LibraryNote(name: name, path: syntax.file.path)
        if !notes.contains(note) { notes.append(note) }
    }

    /// The same finding reached through two rule sets (a shared base) is reported once.
    public static func deduplicated(_ list: [Diagnostic]) -> [Diagnostic] {
        var seen: Set<String> = []
        return list.filter { diagnostic in
            let key =
                "\(diagnostic.code)|\(diagnostic.span?.file.path ?? "")|\(diagnostic.span?.range.lowerBound ?? -1)|\(diagnostic.message)"
            return seen.insert(key).inserted
        }
    }
}

/// A file in a folder of rules whose name looks meant as a rule file but which is not read: only
/// `*.rules` files (in any letter case) not starting with `.` are.
public struct SkippedRuleFile: Sendable, Equatable {
    public enum Why: Sendable, Equatable {
        /// `x.rule`, `x.rules.txt`: the name meant, `x.rules`.
        case name(meant: String)
        /// `.x.rules`.
        case hidden
    }
    public var path: String
    public var why: Why

    /// The files of `folder` that look meant as rule files and are not read, by path.
    public static func find(in folder: String) -> [SkippedRuleFile] {
        guard let names = FileSystem.names(in: folder) else { return [] }
        return find(in: folder, names: names)
    }

    /// `find(in:)` of the folder's names already listed.
    public static func find(in folder: String, names: [String]) -> [SkippedRuleFile] {
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        var found: [SkippedRuleFile] = []
        for name in names.sorted() {
            let lower = name.lowercased()
            if lower.hasSuffix(".rules") {
                if name.hasPrefix(".") && name.count > ".rules".count + 1 { found.append(SkippedRuleFile(path: base + name, why: .hidden)) }
            } else if lower.hasSuffix(".rule") && !name.hasPrefix(".") {
                found.append(SkippedRuleFile(path: base + name, why: .name(meant: name + "s")))
            } else if lower.hasSuffix(".rules.txt") && !name.hasPrefix(".") {
                found.append(SkippedRuleFile(path: base + name, why: .name(meant: String(name.dropLast(4)))))
            }
        }
        return found
    }

    /// The note, in Danish or English.
    public func text(_ language: Language) -> String {
        switch (why, language) {
        case (.name(let meant), .english): "note: \(path) is not read: rule files end in .rules; rename it to \(meant) to use it"
        case (.name(let meant), .danish): "bemærk: \(path) læses ikke: regelfiler ender på .rules; omdøb den til \(meant) for at bruge den"
        case (.hidden, .english): "note: \(path) is not read: its name starts with '.', which hides it"
        case (.hidden, .danish): "bemærk: \(path) læses ikke: navnet begynder med '.', som skjuler filen"
        }
    }
}
