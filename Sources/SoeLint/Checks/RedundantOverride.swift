import SoeLanguage

/// L601: an override that changes nothing: it repeats the definition of the rule set it builds on.
struct RedundantOverride: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L601",
        name: "RedundantOverride",
        severity: .warning,
        summary: "an override that is identical to the definition it overrides",
        whatItDoes: """
            In a rule set that `builds on` another, compares each `override` with the definition it \
            replaces, token by token (spacing, line breaks and comments do not count). For a \
            parameter, only the parts the override writes are compared, since the others are \
            inherited: an override that repeats the base's values and basis, or writes nothing, \
            changes nothing. The fix removes the override.
            """,
        whyItMatters: """
            A municipality's rule set should show, at a glance, where it departs from the national one. \
            An override that repeats the base hides that, and it freezes a copy: when the national rule \
            set is corrected, the municipal copy silently keeps the old text.
            """,
        triggering: LintExample(files: [
            (
                "rsv.rules",
                """
                ruleset rsv "Registreret socialøkonomisk virksomhed"
                  in force from 2015-01-01

                input market_share: percent "Andel af omsætningen fra salg"

                parameter market_share_min: percent "Mindste andel fra salg"
                  policy "Loven fastsætter ingen andel"
                  = 50 % from 2015-01-01

                classify
                  soe "Socialøkonomisk virksomhed" when market_share >= market_share_min
                  otherwise ordinary "Ordinær virksomhed"
                """
            ),
            (
                "local.rules",
                """
                ruleset local "Kommunal udgave" builds on rsv
                  in force from 2021-02-17

                override parameter market_share_min = 50 % from 2015-01-01
                """
            ),
        ]),
        nonTriggering: LintExample(files: [
            (
                "rsv.rules",
                """
                ruleset rsv "Registreret socialøkonomisk virksomhed"
                  in force from 2015-01-01

                input market_share: percent "Andel af omsætningen fra salg"

                parameter market_share_min: percent "Mindste andel fra salg"
                  policy "Loven fastsætter ingen andel"
                  = 50 % from 2015-01-01

                classify
                  soe "Socialøkonomisk virksomhed" when market_share >= market_share_min
                  otherwise ordinary "Ordinær virksomhed"
                """
            ),
            (
                "local.rules",
                """
                ruleset local "Kommunal udgave" builds on rsv
                  in force from 2021-02-17

                override parameter market_share_min = 40 % from 2021-02-17
                  policy "Kommunens strategi: salg af ydelser og/eller produkter"
                """
            ),
        ]),
        related: ["E303", "E304"],
        danishSummary: "en override, der er magen til den definition, den erstatter")

    func check(_ context: LintContext) {
        let files = context.syntax
        for (fileIndex, file) in files.enumerated() where fileIndex > 0 {
            guard let file else { continue }
            let bases = files[..<fileIndex].reversed().compactMap { $0 }
            for declaration in file.declarations {
                guard let (name, isOverride) = RedundantOverride.identity(declaration), isOverride,
                    let (base, baseFile) = RedundantOverride.find(declaration, named: name, in: bases),
                    RedundantOverride.isIdentical(declaration, in: file.file, to: base, in: baseFile)
                else { continue }
                let what = name.isEmpty ? "'override classify'" : "the override of '\(name)'"
                let hvad = name.isEmpty ? "'override classify'" : "overriden af '\(name)'"
                let range = RedundantOverride.wholeLines(declaration.range, in: file.file)
                context.report(
                    RedundantOverride.self,
                    "\(what) is identical to the rule set it builds on, so it changes nothing",
                    da: "\(hvad) er magen til det regelsæt, der bygges på, så den ændrer intet",
                    at: SourceSpan(file: file.file, range: RedundantOverride.keywordRange(declaration, in: file.file)),
                    notes: [
                        DiagnosticNote(
                            message: "the definition it repeats is here", danish: "den definition, den gentager, står her",
                            span: SourceSpan(file: baseFile, range: base.range.lowerBound..<base.range.lowerBound))
                    ],
                    fixIts: [FixIt(message: "remove the override", danish: "fjern overriden", range: range, replacement: "")])
            }
        }
    }

    /// The name a declaration defines (empty for `classify`) and whether it is an override.
    static func identity(_ declaration: DeclarationSyntax) -> (String, Bool)? {
        switch declaration {
        case .input(let d): (d.name.text, d.isOverride)
        case .parameter(let d): (d.name.text, d.isOverride)
        case .value(let d): (d.name.text, d.isOverride)
        case .criterion(let d): (d.name.text, d.isOverride)
        case .classify(let d): ("", d.isOverride)
        }
    }

    /// The nearest base definition of the same kind and name.
    static func find(
        _ declaration: DeclarationSyntax, named name: String,
        in bases: [RuleFileSyntax]
    ) -> (DeclarationSyntax, SourceFile)? {
        for base in bases {
            for candidate in base.declarations {
                guard let (candidateName, _) = identity(candidate), candidateName == name else { continue }
                switch (declaration, candidate) {
                case (.input, .input), (.parameter, .parameter), (.value, .value), (.criterion, .criterion), (.classify, .classify):
                    return (candidate, base.file)
                default:
                    continue
                }
            }
        }
        return nil
    }

    static func isIdentical(
        _ declaration: DeclarationSyntax, in file: SourceFile, to base: DeclarationSyntax,
        in baseFile: SourceFile
    ) -> Bool {
        if case .parameter(let own) = declaration, case .parameter(let parent) = base {
            // Fields the override leaves out are inherited, so only the written ones can differ.
            func same(_ mine: Range<Int>?, _ theirs: Range<Int>?) -> Bool {
                guard let mine else { return true }
                guard let theirs else { return false }
                return tokens(file, mine) == tokens(baseFile, theirs)
            }
            let ownValues = own.values.map { tokens(file, $0.range) }
            let parentValues = parent.values.map { tokens(baseFile, $0.range) }
            return same(own.type?.range, parent.type?.range) && same(own.description?.range, parent.description?.range)
                && same(own.basis?.range, parent.basis?.range) && (own.values.isEmpty || ownValues == parentValues)
        }
        return Array(tokens(file, declaration.range).drop { $0 == "override" }) == tokens(baseFile, base.range)
    }

    /// The tokens of a range as text, quoted texts decoded, so that layout and comments do not count.
    static func tokens(_ file: SourceFile, _ range: Range<Int>) -> [String] {
        let piece = SourceFile(path: file.path, text: file.text(range))
        return Lexer.tokenize(piece).tokens.filter { $0.kind != .endOfFile }.map { token in
            token.kind == .string ? "\"" + token.text + "\"" : piece.text(token.range)
        }
    }

    /// `override parameter market_share_min`: where the finding points.
    static func keywordRange(_ declaration: DeclarationSyntax, in file: SourceFile) -> Range<Int> {
        let end: Int =
            switch declaration {
            case .input(let d): d.name.range.upperBound
            case .parameter(let d): d.name.range.upperBound
            case .value(let d): d.name.range.upperBound
            case .criterion(let d): d.name.range.upperBound
            case .classify(let d): d.keywordRange.upperBound
            }
        return declaration.range.lowerBound..<max(end, declaration.range.lowerBound)
    }

    /// The declaration's lines including the final line break, for the fix that removes it.
    static func wholeLines(_ range: Range<Int>, in file: SourceFile) -> Range<Int> {
        var end = range.upperBound
        while end < file.bytes.count, file.bytes[end] != 0x0A { end += 1 }
        if end < file.bytes.count { end += 1 }
        return range.lowerBound..<end
    }
}
