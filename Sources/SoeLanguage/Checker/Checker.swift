/// The checker: syntax trees of a rule set and the files it builds on in, a `RuleSet` out.
///
/// It merges the files (a later file overrides an earlier one only where it says `override`),
/// resolves every name (suggesting the closest one when a name is unknown), checks types and
/// units, rejects duplicates and cycles, and lowers formulas into the flat node array of the model.
/// Like the parser it reports everything it finds; it returns a model only when there is no error.
public struct Checker {
    enum Kind: String {
        case input, parameter, value, criterion
    }

    struct Entry {
        var kind: Kind
        var fileIndex: Int
        var declaration: DeclarationSyntax
        /// For a parameter override: the parent's declaration, for fields the override leaves out.
        var inherited: ParameterSyntax?
        var inheritedFile = 0
    }

    enum State { case unvisited, visiting, done }

    let files: [RuleFileSyntax]
    var diagnostics = DiagnosticBag()
    var entries: [Entry] = []
    var entryIndex: [String: Int] = [:]
    var classify: (syntax: ClassifySyntax, fileIndex: Int)?

    // Model under construction.
    var inputs: [InputDefinition] = []
    var parameters: [ParameterDefinition] = []
    var values: [ValueDefinition?] = []
    var criteria: [CriterionDefinition?] = []
    var nodes: [ExpressionNode] = []
    var lists: [Int32] = []
    var constants: [Scalar] = []
    var choiceSets: [[String]] = []
    var symbols: [String: (kind: Kind, index: Int)] = [:]
    var valueEntries: [Int] = []
    var criterionEntries: [Int] = []
    var valueState: [State] = []
    var criterionState: [State] = []
    var valueTypes: [ValueType?] = []
    var order: [Definition] = []
    /// The chain of definitions being checked, to show a cycle.
    var stack: [(name: String, span: SourceSpan)] = []
    /// How deep `lower` is: the formula's own nesting plus that of the values and criteria it uses,
    /// which are checked from inside it.
    var nesting = 0
    var reportedNesting = false
    /// Whether the checker reserves room for its tables and skips looking up names too long to be
    /// built in; false takes the general way, for the tests.
    var fastPaths = true

    /// The most definitions of each kind one rule set may have; far above any real rule set, low
    /// enough that a generated or corrupted file cannot exhaust memory.
    public static let maxDefinitions = 100_000
    /// How deep a formula may nest, counting the values and criteria it uses, each of which is
    /// checked from inside it (`a` uses `b` uses `c` …). The parser caps one formula's own nesting
    /// (`Parser.maxDepth`); this caps chains of definitions, so that checking, and every later walk
    /// of a formula through what it uses (the trace's), stays well within a thread's stack.
    public static let maxNesting = 500
    /// Inputs are tracked as a 256-bit set while evaluating (see `InputSet`).
    public static let maxInputs = 256

    init(files: [RuleFileSyntax]) {
        self.files = files
    }

    /// Checks a rule set given as its files, the base first and the rule set itself last.
    public static func check(_ files: [RuleFileSyntax], ancestry: [String] = []) -> (ruleSet: RuleSet?, diagnostics: [Diagnostic]) {
        check(files, ancestry: ancestry, fastPaths: true)
    }

    /// `check(_:ancestry:)` with the checker's fast paths on or off (for the tests).
    static func check(_ files: [RuleFileSyntax], ancestry: [String], fastPaths: Bool) -> (ruleSet: RuleSet?, diagnostics: [Diagnostic]) {
        var checker = Checker(files: files)
        checker.fastPaths = fastPaths
        let ruleSet = checker.run(ancestry: ancestry)
        return (checker.diagnostics.hasErrors ? nil : ruleSet, checker.diagnostics.items)
    }

    func span(_ fileIndex: Int, _ range: Range<Int>) -> SourceSpan {
        SourceSpan(file: files[fileIndex].file, range: range)
    }

    mutating func error(
        _ code: DiagnosticCode, _ message: String, da danish: String? = nil, _ fileIndex: Int, _ range: Range<Int>,
        notes: [DiagnosticNote] = [], fixIts: [FixIt] = []
    ) {
        diagnostics.error(code, message, da: danish, at: span(fileIndex, range), notes: notes, fixIts: fixIts)
    }

    mutating func run(ancestry: [String]) -> RuleSet? {
        guard let last = files.last, let header = last.header else { return nil }
        checkPeriod(header, fileIndex: files.count - 1)
        if fastPaths {
            // Room for every declaration at once: the tables otherwise grow five or six times, each
            // time hashing every name again (0.03 M instructions of a one-firm run).
            let declared = min(files.reduce(0) { $0 + $1.declarations.count }, Checker.maxDefinitions + 1)
            entries.reserveCapacity(declared)
            entryIndex = Dictionary(minimumCapacity: declared)
            symbols = Dictionary(minimumCapacity: declared)
        }
        merge()
        declareInputs()
        declareParameters()
        declareValuesAndCriteria()
        for index in values.indices { _ = checkValue(index) }
        for index in criteria.indices { _ = checkCriterion(index) }
        let outcomes = checkOutcomes()
        let borderline = checkBorderline(header.borderline, fileIndex: files.count - 1)
        if diagnostics.hasErrors { return nil }
        let fileInfos = files.map { RuleFileInfo(path: $0.file.path, source: $0.file) }
        return RuleSet(
            name: header.name.text,
            title: header.title.map(Checker.localized) ?? LocalizedText(header.name.text),
            source: header.source.map(Checker.localized), version: header.version?.text,
            inForceFrom: header.inForceFrom?.day, inForceUntil: header.inForceUntil?.day,
            letterTexts: Dictionary(header.letterTexts.map { ($0.kind, Checker.localized($0.text)) }) { first, _ in first },
            letterKind: header.letterKind?.kind ?? .default, files: fileInfos, ancestry: ancestry, inputs: inputs, parameters: parameters,
            values: values.compactMap { $0 }, criteria: criteria.compactMap { $0 }, outcomes: outcomes,
            nodes: nodes, lists: lists, constants: constants, choiceSets: choiceSets,
            evaluationOrder: order, borderline: borderline)
    }

    /// Reads the header's `borderline` share: a percent literal from 0 % to 100 %.
    mutating func checkBorderline(_ syntax: ExpressionSyntax?, fileIndex: Int) -> Exact? {
        guard let syntax, let share = bound(syntax, of: .percent, fileIndex: fileIndex, what: "borderline") else { return nil }
        guard !share.isNegative, !(Exact.one < share) else {
            error(
                .invalidRange, "'borderline' must be a share from 0 % to 100 %, such as 'borderline 2 %'",
                da: "'borderline' skal være en andel fra 0 % til 100 %, fx 'borderline 2 %'", fileIndex, syntax.range)
            return nil
        }
        return share
    }

    static func localized(_ text: TextSyntax) -> LocalizedText {
        LocalizedText(text.text, english: text.english)
    }

    // MARK: Merging files

    static func name(of declaration: DeclarationSyntax) -> (NameSyntax, Kind, Bool)? {
        switch declaration {
        case .input(let d): (d.name, .input, d.isOverride)
        case .parameter(let d): (d.name, .parameter, d.isOverride)
        case .value(let d): (d.name, .value, d.isOverride)
        case .criterion(let d): (d.name, .criterion, d.isOverride)
        case .classify: nil
        }
    }

    mutating func merge() {
        var tooMany = false
        for (fileIndex, file) in files.enumerated() {
            for declaration in file.declarations {
                if case .classify(let syntax) = declaration {
                    mergeClassify(syntax, fileIndex: fileIndex)
                    continue
                }
                guard let (name, kind, isOverride) = Checker.name(of: declaration), !name.text.isEmpty else { continue }
                // Every built-in name has at most three letters (ASCII, which no other text equals):
                // a longer name is none, without hashing it.
                if !fastPaths || name.text.utf8.count <= 3, let meaning = Checker.builtinNames[name.text] {
                    error(
                        .reservedName, "'\(name.text)' is \(meaning) and cannot be the name of \(article(kind)) \(kind.rawValue)",
                        da:
                            "'\(name.text)' er \(Checker.builtinNamesDanish[name.text] ?? meaning) og kan ikke være navnet på \(Checker.danish(kind))",
                        fileIndex, name.range)
                }
                guard let existing = entryIndex[name.text] else {
                    if isOverride {
                        let base = fileIndex == 0 ? "this rule set does not build on another" : "no rule set it builds on defines it"
                        let grund =
                            fileIndex == 0 ? "dette regelsæt bygger ikke på et andet" : "intet regelsæt, det bygger på, definerer det"
                        // A misspelt name of the base's: the one of the same kind it is closest to.
                        let sameKind = entries.filter { $0.kind == kind && $0.fileIndex < fileIndex }.compactMap {
                            Checker.name(of: $0.declaration)?.0.text
                        }
                        let meant = fileIndex == 0 ? nil : closestWord(to: name.text, in: sameKind)
                        error(
                            .overrideOfUnknown,
                            "'override' of '\(name.text)', but \(base)" + (meant.map { "; did you mean '\($0)'?" } ?? ""),
                            da: "'override' af '\(name.text)', men \(grund)" + (meant.map { "; mente du '\($0)'?" } ?? ""),
                            fileIndex, name.range)
                    }
                    if entries.count >= Checker.maxDefinitions {
                        // Once; the rest of the files are still merged, so that `classify` is not reported missing.
                        if !tooMany {
                            error(
                                .tooManyDefinitions, "more than \(Checker.maxDefinitions) definitions in one rule set",
                                da: "mere end \(Checker.maxDefinitions) definitioner i ét regelsæt", fileIndex, name.range)
                            tooMany = true
                        }
                        continue
                    }
                    entryIndex[name.text] = entries.count
                    entries.append(Entry(kind: kind, fileIndex: fileIndex, declaration: declaration))
                    continue
                }
                let previous = entries[existing]
                let previousName = Checker.name(of: previous.declaration)?.0.range ?? 0..<0
                let note = DiagnosticNote(
                    message: "'\(name.text)' is first defined here", danish: "'\(name.text)' defineres første gang her",
                    span: span(previous.fileIndex, previousName))
                if previous.fileIndex == fileIndex {
                    error(
                        .duplicateDefinition, "'\(name.text)' is defined twice", da: "'\(name.text)' er defineret to gange", fileIndex,
                        name.range, notes: [note])
                } else if !isOverride {
                    error(
                        .redefinitionWithoutOverride,
                        "'\(name.text)' is already defined by the rule set this one builds on; write 'override \(kind.rawValue) \(name.text)' to change it",
                        da:
                            "'\(name.text)' er allerede defineret i det regelsæt, dette bygger på; skriv 'override \(kind.rawValue) \(name.text)' for at ændre det",
                        fileIndex, name.range, notes: [note])
                } else if previous.kind != kind {
                    error(
                        .overrideKindMismatch,
                        "'\(name.text)' is \(article(previous.kind)) \(previous.kind.rawValue) in the base rule set and cannot be overridden as \(article(kind)) \(kind.rawValue)",
                        da:
                            "'\(name.text)' er \(Checker.danish(previous.kind)) i det regelsæt, der bygges på, og kan ikke erstattes af \(Checker.danish(kind))",
                        fileIndex, name.range, notes: [note])
                } else if let (was, _, at) = Checker.changedType(previous.declaration, declaration) {
                    // The base's formulas read the name as its own type: an override that changes it
                    // would be reported in the base's file, where nothing is wrong.
                    error(
                        .overrideKindMismatch,
                        "'\(name.text)' is \(was) in the rule set this one builds on, and an override keeps its type (the formulas there read it as \(was)); write \(was) here, or leave the type out",
                        da:
                            "'\(name.text)' er \(was) i det regelsæt, dette bygger på, og en erstatning beholder typen (formlerne dér læser den som \(was)); skriv \(was) her, eller udelad typen",
                        fileIndex, at, notes: [note])
                } else {
                    var inherited: ParameterSyntax?
                    if case .parameter(let parent) = previous.declaration { inherited = parent }
                    entries[existing] = Entry(
                        kind: kind, fileIndex: fileIndex, declaration: declaration,
                        inherited: inherited, inheritedFile: previous.fileIndex)
                }
            }
        }
    }

    func article(_ kind: Kind) -> String { kind == .input ? "an" : "a" }

    /// The type a parameter or input had and the other type its override gives it, with where the
    /// override writes it; nil where the override keeps the type or gives none.
    static func changedType(_ base: DeclarationSyntax, _ override: DeclarationSyntax) -> (String, String, Range<Int>)? {
        let pair: (TypeSyntax?, TypeSyntax?)
        switch (base, override) {
        case (.parameter(let a), .parameter(let b)): pair = (a.type, b.type)
        case (.input(let a), .input(let b)): pair = (a.type, b.type)
        default: return nil
        }
        guard let was = pair.0, let now = pair.1 else { return nil }
        func words(_ type: TypeSyntax) -> String {
            switch type.kind {
            case .money: "money"
            case .percent: "percent"
            case .count: "count"
            case .number: "number"
            case .yesNo: "yes/no"
            case .date: "date"
            case .text: "text"
            case .oneOf(let names): "one of " + names.map(\.text).joined(separator: ", ")
            }
        }
        let (before, after) = (words(was), words(now))
        return before == after ? nil : (before, after, now.range)
    }

    /// A kind of definition with its article, in Danish: `et input`, `en parameter`.
    static func danish(_ kind: Kind) -> String {
        switch kind {
        case .input: "et input"
        case .parameter: "en parameter"
        case .value: "en værdi"
        case .criterion: "et kriterium"
        }
    }

    /// `builtinNames` in Danish.
    static let builtinNamesDanish: [String: String] = [
        "min": "den indbyggede funktion min(…)",
        "max": "den indbyggede funktion max(…)",
        "kr": "enheden for beløb (12 kr)",
    ]

    /// `untestableChoices` in Danish.
    static let untestableChoicesDanish: [String: String] = [
        "known": "'x is known' tester, om x er oplyst",
        "missing": "'x is missing' tester, om x mangler",
        "not": "'x is not …' vender testen om",
    ]

    /// Words that are not reserved but have a meaning of their own inside a formula; a definition
    /// named like them would read as that meaning (`min(a, min)`, `12 kr` beside an input `kr`).
    static let builtinNames: [String: String] = [
        "min": "the built-in function min(…)",
        "max": "the built-in function max(…)",
        "kr": "the unit of amounts (12 kr)",
    ]

    /// Choices that `NAME is CHOICE` cannot test, because after `is` the word means something else.
    static let untestableChoices: [String: String] = [
        "known": "'x is known' tests whether x is given",
        "missing": "'x is missing' tests whether x is missing",
        "not": "'x is not …' negates the test",
    ]

    mutating func mergeClassify(_ syntax: ClassifySyntax, fileIndex: Int) {
        if let previous = classify {
            let note = DiagnosticNote(
                message: "the first classification is here", danish: "den første klassifikation står her",
                span: span(previous.fileIndex, previous.syntax.keywordRange))
            if previous.fileIndex == fileIndex {
                error(
                    .duplicateDefinition, "a rule file has one 'classify'", da: "en regelfil har ét 'classify'", fileIndex,
                    syntax.keywordRange,
                    notes: [note])
                return
            }
            if !syntax.isOverride {
                error(
                    .redefinitionWithoutOverride,
                    "the rule set this one builds on already classifies; write 'override classify' to replace its outcomes",
                    da: "det regelsæt, dette bygger på, klassificerer allerede; skriv 'override classify' for at erstatte dets udfald",
                    fileIndex, syntax.keywordRange, notes: [note])
                return
            }
        } else if syntax.isOverride {
            error(
                .overrideOfUnknown, "'override classify', but no rule set this one builds on classifies",
                da: "'override classify', men intet regelsæt, dette bygger på, klassificerer", fileIndex, syntax.keywordRange)
        }
        classify = (syntax, fileIndex)
    }

    // MARK: Names

    /// All names a formula may use, for "did you mean".
    var allNames: [String] { Array(symbols.keys) }

    mutating func declareInputs() {
        for entry in entries {
            guard case .input(let syntax) = entry.declaration else { continue }
            if inputs.count >= Checker.maxInputs {
                error(
                    .tooManyDefinitions, "a rule set may declare at most \(Checker.maxInputs) inputs",
                    da: "et regelsæt kan højst have \(Checker.maxInputs) input", entry.fileIndex, syntax.name.range)
                continue
            }
            let type = resolveType(syntax.type, fileIndex: entry.fileIndex)
            let minimum = bound(syntax.minimum, of: type, fileIndex: entry.fileIndex, what: "min")
            let maximum = bound(syntax.maximum, of: type, fileIndex: entry.fileIndex, what: "max")
            if let low = minimum, let high = maximum, low > high {
                error(
                    .invalidRange, "the minimum of '\(syntax.name.text)' is above its maximum",
                    da: "mindsteværdien for '\(syntax.name.text)' er større end højesteværdien", entry.fileIndex, syntax.range)
            }
            symbols[syntax.name.text] = (.input, inputs.count)
            inputs.append(
                InputDefinition(
                    name: syntax.name.text, type: type, description: syntax.description.map(Checker.localized),
                    minimum: minimum, maximum: maximum, span: span(entry.fileIndex, syntax.name.range)))
        }
    }

    mutating func resolveType(_ syntax: TypeSyntax, fileIndex: Int) -> ValueType {
        switch syntax.kind {
        case .money: return .money
        case .percent: return .percent
        case .count: return .count
        case .number: return .number
        case .yesNo: return .bool
        case .date: return .date
        case .text: return .text
        case .oneOf(let members):
            var seen: [String: Range<Int>] = [:]
            var names: [String] = []
            for member in members where !member.text.isEmpty {
                if let meaning = Checker.untestableChoices[member.text] {
                    error(
                        .reservedName, "'\(member.text)' cannot be a choice: \(meaning), so this choice could never be tested",
                        da: "'\(member.text)' kan ikke være et valg: \(Checker.untestableChoicesDanish[member.text] ?? meaning), "
                            + "så valget kunne aldrig testes",
                        fileIndex, member.range)
                }
                if let first = seen[member.text] {
                    error(
                        .duplicateMember, "'\(member.text)' is listed twice", da: "'\(member.text)' står to gange", fileIndex, member.range,
                        notes: [DiagnosticNote(message: "first listed here", danish: "står første gang her", span: span(fileIndex, first))])
                    continue
                }
                seen[member.text] = member.range
                names.append(member.text)
            }
            if names.count > 64 {
                error(
                    .tooManyDefinitions, "a 'one of' type may list at most 64 choices", da: "en 'one of'-type kan højst have 64 valg",
                    fileIndex, syntax.range)
            }
            choiceSets.append(names)
            return .choice(choiceSets.count - 1)
        }
    }

    /// Reads a `min`/`max` bound, which must be a literal of the input's unit.
    mutating func bound(_ syntax: ExpressionSyntax?, of type: ValueType, fileIndex: Int, what: String) -> Exact? {
        guard let syntax else { return nil }
        guard type.isNumeric else {
            error(
                .invalidRange, "'\(what)' applies only to money, percent, count and number inputs",
                da: "'\(what)' kan kun bruges på input af typen money, percent, count og number", fileIndex, syntax.range)
            return nil
        }
        guard case .some(let (value, literalType)) = literal(syntax, fileIndex: fileIndex) else { return nil }
        if !checkLiteralUnit(literalType, expected: type, syntax: syntax, fileIndex: fileIndex) { return nil }
        guard case .number(let number) = value else { return nil }
        return number
    }
}

extension Checker {
    /// A rule set whose `until` is before its `from` is in force on no day: every firm would come
    /// out "not in force", which a reader of the file would never guess. `until` is the last day in
    /// force, so `from` and `until` on the same day is one day, and allowed.
    mutating func checkPeriod(_ header: RulesetHeaderSyntax, fileIndex: Int) {
        guard let from = header.inForceFrom, let until = header.inForceUntil, until.day < from.day else { return }
        error(
            .inForcePeriodReversed,
            "the rule set is in force until \(until.day), before it comes into force on \(from.day), so it would apply on no day; "
                + "swap the dates if they are in the wrong order, or correct the one that is wrong",
            da: "regelsættet gælder til \(until.day), før det træder i kraft \(from.day), så det ville ikke gælde nogen dag; "
                + "byt om på datoerne, hvis de står i forkert rækkefølge, eller ret den, der er forkert",
            fileIndex, until.range,
            notes: [
                DiagnosticNote(message: "in force from \(from.day)", danish: "i kraft fra \(from.day)", span: span(fileIndex, from.range))
            ])
    }
}

/// The last path component, so that a rule set's hash does not depend on where it is stored.
public func baseName(_ path: String) -> String {
    // A bundled rule file hashes as the file it was made from: `bundled:rsv_2014.rules` is `rsv_2014.rules`.
    if path.hasPrefix(RuleLibrary.bundledPrefix) { return String(path.dropFirst(RuleLibrary.bundledPrefix.count)) }
    if let slash = path.lastIndex(of: "/") { return String(path[path.index(after: slash)...]) }
    return path
}
