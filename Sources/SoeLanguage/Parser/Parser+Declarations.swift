/// Declarations: the header, inputs, parameters, values, criteria and the classification.
extension Parser {
    mutating func parseFile() -> RuleFileSyntax {
        var header: RulesetHeaderSyntax?
        var declarations: [DeclarationSyntax] = []
        if atEnd {
            error(
                .emptyRuleFile, "the rule file has no declarations; it should start with 'ruleset'",
                da: "regelfilen har ingen deklarationer; den skal begynde med 'ruleset'", at: 0..<0)
            return RuleFileSyntax(file: file, header: nil, declarations: [], comments: [])
        }
        if !current.atMargin {
            // Only reachable here: every declaration consumes its own indented lines.
            error(
                .expectedDeclaration, "this line is indented but belongs to no declaration",
                da: "linjen er rykket ind, men hører ikke til nogen deklaration", at: current.range)
            skipToBoundary()
        }
        if isWord("ruleset") {
            header = parseHeader()
        } else {
            error(
                .missingRulesetHeader, "a rule file starts with 'ruleset NAME \"title\"', found \(describe(current))",
                da: "en regelfil begynder med 'ruleset NAVN \"titel\"', men her står \(describeDanish(current))", at: current.range)
        }
        var progress = ProgressGuard()
        while !atEnd {
            if !progress.madeProgress(position) {
                advance()
                continue
            }
            if !current.atMargin {
                error(
                    .expectedDeclaration, "this line is indented but belongs to no declaration",
                    da: "linjen er rykket ind, men hører ikke til nogen deklaration", at: current.range)
                skipToBoundary()
                continue
            }
            if let declaration = parseDeclaration() { declarations.append(declaration) }
        }
        return RuleFileSyntax(file: file, header: header, declarations: declarations, comments: [])
    }

    mutating func parseHeader() -> RulesetHeaderSyntax {
        let start = advance().range.lowerBound
        let name = expectName("the rule set's name")
        var header = RulesetHeaderSyntax(name: name, range: start..<start)
        if current.kind == .string && !atBoundary { header.title = parseText() }
        var progress = ProgressGuard()
        while !atBoundary {
            if !progress.madeProgress(position) {
                skipRestOfLine()
                continue
            }
            let token = current
            if isWord("builds") {
                advance()
                if isWord("on") { advance() } else { expect(.word, "on") }
                if header.buildsOn != nil { duplicateClause("builds on", at: token.range) }
                header.buildsOn = expectName("the name of the rule set it builds on")
            } else if isWord("source") {
                advance()
                if header.source != nil { duplicateClause("source", at: token.range) }
                header.source = expectText(after: "source")
            } else if isWord("version") {
                advance()
                if header.version != nil { duplicateClause("version", at: token.range) }
                header.version = expectText(after: "version")
            } else if isWord("borderline") {
                advance()
                if header.borderline != nil { duplicateClause("borderline", at: token.range) }
                header.borderline = parseUnary()
            } else if isWord("in") {
                advance()
                if isWord("force") { advance() } else { expect(.word, "force") }
                if isWord("from") { advance() } else { expect(.word, "from") }
                if header.inForceFrom != nil { duplicateClause("in force from", at: token.range) }
                header.inForceFrom = expectDate(after: "in force from")
                if isWord("until") {
                    advance()
                    header.inForceUntil = expectDate(after: "until")
                } else if current.kind == .word, !current.atMargin, text(of: current).lowercased() == "til" {
                    // `in force from 2015-01-01 til 2030-12-31`: the Danish word, read as `until`.
                    danishWord(current, "until")
                    advance()
                    header.inForceUntil = expectDate(after: "until")
                }
            } else if isWord("letter") {
                advance()
                parseLetterText(into: &header, start: token.range.lowerBound)
            } else {
                error(
                    .unknownClause,
                    "unexpected \(describe(token)) in the rule set header; expected 'builds on', 'source', 'version', 'in force from', 'letter' or 'borderline'",
                    da:
                        "uventet \(describeDanish(token)) i regelsættets hoved; her kan stå 'builds on', 'source', 'version', 'in force from', 'letter' eller 'borderline'",
                    at: token.range)
                skipRestOfLine()
            }
        }
        header.range = rangeFrom(start)
        return header
    }

    /// The words that may follow `letter` in a header: the texts' kinds, then `kind`.
    static let letterWords = LetterTextKind.allCases.map(\.rawValue) + ["kind"]

    /// `letter contact "…" en "…"`, `letter appeal "…"`, `letter sender "…"` or `letter kind
    /// decision`, after the word `letter`.
    mutating func parseLetterText(into header: inout RulesetHeaderSyntax, start: Int) {
        if isWord("kind"), !atBoundary {
            parseLetterKind(into: &header, start: start)
            return
        }
        let names = Parser.letterWords.map { "'\($0)'" }
        let kinds = names.dropLast().joinedText(separator: ", ") + " or " + (names.last ?? "")
        guard current.kind == .word, !atBoundary, let kind = LetterTextKind(rawValue: text(of: current)) else {
            // `letter apeal "…"`: a word misspelt, with the one meant as the fix.
            let meant = current.kind == .word && !atBoundary ? closestWord(to: text(of: current), in: Parser.letterWords) : nil
            error(
                .expectedToken,
                "expected \(kinds) after 'letter', found \(describe(current))" + (meant.map { "; did you mean '\($0)'?" } ?? ""),
                da:
                    "efter 'letter' skal der stå \(kinds.replacing(" or ", with: " eller ")), men der står \(describeDanish(current))"
                    + (meant.map { "; mente du '\($0)'?" } ?? ""),
                at: current.range,
                fixIts: meant.map { [FixIt(message: "write '\($0)'", danish: "skriv '\($0)'", range: current.range, replacement: $0)] }
                    ?? [])
            skipRestOfLine()
            return
        }
        let kindToken = advance()
        if header.letterTexts.contains(where: { $0.kind == kind }) {
            duplicateClause("letter \(kind.rawValue)", at: kindToken.range)
        }
        guard let text = expectText(after: "letter \(kind.rawValue)") else {
            skipRestOfLine()
            return
        }
        header.letterTexts.append(LetterTextSyntax(kind: kind, text: text, range: rangeFrom(start)))
    }

    /// Danish words for what letters are, as a Danish author writes them by habit.
    static let danishLetterKinds: [String: LetterKind] = ["vurdering": .assessment, "afgørelse": .decision]

    /// `letter kind assessment` or `letter kind decision`, at the word `kind`.
    mutating func parseLetterKind(into header: inout RulesetHeaderSyntax, start: Int) {
        let kindToken = advance()
        if header.letterKind != nil { duplicateClause("letter kind", at: kindToken.range) }
        let expected = "expected 'assessment' or 'decision' after 'letter kind'"
        let expectedDanish = "efter 'letter kind' skal der stå 'assessment' eller 'decision'"
        guard !atBoundary, !current.startsLine, current.kind == .word || current.kind == .string else {
            error(
                .expectedToken, "\(expected), found \(describe(current))", da: "\(expectedDanish), men der står \(describeDanish(current))",
                at: current.range)
            // A clause on the next line is read as such, not skipped with this one.
            if !atBoundary && !current.startsLine { skipRestOfLine() }
            return
        }
        let word = advance()
        let written = text(of: word)
        let bare = word.kind == .string ? String(written.dropFirst().dropLast()) : written
        var kind = word.kind == .word ? LetterKind(rawValue: written) : nil
        if kind == nil {
            let danish = Parser.danishLetterKinds[bare.lowercased()]
            if word.kind == .word, let danish {
                // `letter kind afgørelse`: the Danish word, with the English one as the fix.
                danishWord(word, danish.rawValue)
                kind = danish
            } else {
                // A word misspelt (`decison`), or one in quotes (`"decision"`): the word meant as the fix.
                let meant =
                    LetterKind(rawValue: bare)?.rawValue ?? danish?.rawValue
                    ?? closestWord(to: bare, in: LetterKind.allCases.map(\.rawValue))
                error(
                    .expectedToken, "\(expected), found \(describe(word))" + (meant.map { "; write '\($0)'" } ?? ""),
                    da: "\(expectedDanish), men der står \(describeDanish(word))" + (meant.map { "; skriv '\($0)'" } ?? ""),
                    at: word.range,
                    fixIts: meant.map { [FixIt(message: "write '\($0)'", danish: "skriv '\($0)'", range: word.range, replacement: $0)] }
                        ?? [])
                kind = meant.flatMap(LetterKind.init(rawValue:))
            }
        }
        if let kind, header.letterKind == nil {
            header.letterKind = LetterKindSyntax(kind: kind, wordRange: word.range, range: rangeFrom(start))
        }
    }

    mutating func parseDeclaration() -> DeclarationSyntax? {
        let start = current.range.lowerBound
        var isOverride = false
        if isWord("override") {
            advance()
            isOverride = true
        }
        let keywordToken = current
        let keyword = current.kind == .word ? text(of: current) : ""
        if isOverride && (atBoundary || !Parser.declarationKeywords.contains(keyword)) {
            error(
                .expectedDeclaration,
                "expected input, parameter, value, criterion or classify after 'override', found \(describe(current))",
                da:
                    "efter 'override' skal der stå input, parameter, value, criterion eller classify, men der står \(describeDanish(current))",
                at: current.range)
            skipToBoundary()
            return nil
        }
        switch keyword {
        case "input": return .input(parseInput(start: start, isOverride: isOverride))
        case "parameter": return .parameter(parseParameter(start: start, isOverride: isOverride))
        case "value": return .value(parseValue(start: start, isOverride: isOverride))
        case "criterion": return .criterion(parseCriterion(start: start, isOverride: isOverride))
        case "classify": return .classify(parseClassify(start: start, isOverride: isOverride))
        case "ruleset":
            error(
                .expectedDeclaration, "a rule file has one 'ruleset' header, at its start",
                da: "en regelfil har ét 'ruleset'-hoved, i begyndelsen af filen", at: keywordToken.range)
        default:
            let suggestion = closestWord(to: keyword, in: Parser.declarationKeywords + ["override"])
            let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            let forslag = suggestion.map { "; mente du '\($0)'?" } ?? ""
            error(
                .expectedDeclaration,
                "expected a declaration (input, parameter, value, criterion, classify), found \(describe(keywordToken))\(hint)",
                da:
                    "her skal stå en deklaration (input, parameter, value, criterion, classify), men der står \(describeDanish(keywordToken))\(forslag)",
                at: keywordToken.range)
        }
        advance()
        skipToBoundary()
        return nil
    }

    mutating func parseType() -> TypeSyntax {
        let start = current.range.lowerBound
        guard current.kind == .word && !atBoundary else {
            error(
                .unknownType, "expected a type (money, percent, count, number, yes/no, date, text, one of …), found \(describe(current))",
                da:
                    "her skal stå en type (money, percent, count, number, yes/no, date, text, one of …), men der står \(describeDanish(current))",
                at: current.range)
            return TypeSyntax(kind: .number, range: start..<start)
        }
        let word = text(of: advance())
        let kind: TypeSyntax.Kind
        switch word {
        case "money": kind = .money
        case "percent": kind = .percent
        case "count": kind = .count
        case "number": kind = .number
        case "date": kind = .date
        case "text": kind = .text
        case "yes":
            if current.kind == .slash, isWord("no", peek()) {
                advance()
                advance()
            } else {
                expect(.slash, "/no")
            }
            kind = .yesNo
        case "one":
            if isWord("of") { advance() } else { expect(.word, "of") }
            var members: [NameSyntax] = [expectName("a choice", allowReserved: true)]
            while current.kind == .comma && !atBoundary {
                advance()
                members.append(expectName("a choice after ','", allowReserved: true))
            }
            kind = .oneOf(members)
        default:
            // The words other languages and spreadsheets use for the types, then a near spelling.
            let synonyms = [
                "boolean": "yes/no", "bool": "yes/no", "ja": "yes/no", "integer": "count", "int": "count", "antal": "count",
                "kroner": "money", "kr": "money", "dkk": "money", "amount": "money", "currency": "money", "beløb": "money",
                "decimal": "number", "float": "number", "double": "number", "real": "number", "tal": "number",
                "procent": "percent", "pct": "percent", "share": "percent", "andel": "percent", "string": "text", "tekst": "text",
                "dato": "date", "enum": "one of", "choice": "one of",
            ]
            let suggestion =
                synonyms[word.lowercased()]
                ?? closestWord(to: word, in: ["money", "percent", "count", "number", "date", "text", "yes/no", "one of"])
            let types = "money, percent, count, number, date, text, yes/no and one of …"
            error(
                .unknownType, "'\(word)' is not a type\(suggestion.map { "; did you mean '\($0)'?" } ?? "; the types are \(types)")",
                da: "'\(word)' er ikke en type\(suggestion.map { "; mente du '\($0)'?" } ?? "; typerne er \(types)")",
                at: start..<(start + word.utf8.count))
            kind = .number
        }
        return TypeSyntax(kind: kind, range: rangeFrom(start))
    }

    mutating func parseInput(start: Int, isOverride: Bool) -> InputSyntax {
        advance()
        let name = expectName("the input's name")
        var type = TypeSyntax(kind: .number, range: current.range.lowerBound..<current.range.lowerBound)
        if expect(.colon, ":") { type = parseType() } else if current.kind == .word && !atBoundary { type = parseType() }
        var input = InputSyntax(name: name, type: type, isOverride: isOverride, range: start..<start)
        var progress = ProgressGuard()
        while !atBoundary {
            if !progress.madeProgress(position) {
                skipRestOfLine()
                continue
            }
            let token = current
            if token.kind == .string {
                if input.description != nil { duplicateClause("description", at: token.range) }
                input.description = parseText()
            } else if isWord("min") {
                advance()
                if input.minimum != nil { duplicateClause("min", at: token.range) }
                input.minimum = parseUnary()
            } else if isWord("max") {
                advance()
                if input.maximum != nil { duplicateClause("max", at: token.range) }
                input.maximum = parseUnary()
            } else {
                unexpectedClause(token, in: "an input", expected: "a description in quotes, 'min' or 'max'")
            }
        }
        input.range = rangeFrom(start)
        return input
    }

    mutating func parseParameter(start: Int, isOverride: Bool) -> ParameterSyntax {
        advance()
        let name = expectName("the parameter's name")
        var parameter = ParameterSyntax(name: name, values: [], isOverride: isOverride, range: start..<start)
        if current.kind == .colon && !atBoundary {
            advance()
            parameter.type = parseType()
        }
        var progress = ProgressGuard()
        while !atBoundary {
            if !progress.madeProgress(position) {
                skipRestOfLine()
                continue
            }
            let token = current
            if token.kind == .string {
                if parameter.description != nil { duplicateClause("description", at: token.range) }
                parameter.description = parseText()
            } else if token.kind == .word, let basis = Basis(rawValue: text(of: token)) {
                advance()
                if parameter.basis != nil {
                    error(
                        .duplicateClause, "a parameter is law, guidance or policy, not several",
                        da: "en parameter er enten law, guidance eller policy, ikke flere af dem", at: token.range)
                }
                if let citation = expectText(after: basis.rawValue) {
                    parameter.basis = BasisSyntax(kind: basis, text: citation, range: rangeFrom(token.range.lowerBound))
                }
            } else if token.kind == .equal {
                advance()
                inParameterValue = true
                let value = parseExpression()
                inParameterValue = false
                var dated = DatedValueSyntax(value: value, range: token.range.lowerBound..<token.range.lowerBound)
                if isWord("from") && !atBoundary {
                    advance()
                    dated.from = expectDate(after: "from")
                }
                if isWord("until") && !atBoundary {
                    advance()
                    dated.until = expectDate(after: "until")
                }
                dated.range = rangeFrom(token.range.lowerBound)
                parameter.values.append(dated)
            } else {
                unexpectedClause(
                    token, in: "a parameter",
                    expected: "a description in quotes, 'law', 'guidance', 'policy' or '= value from DATE'")
            }
        }
        parameter.range = rangeFrom(start)
        return parameter
    }

    mutating func parseValue(start: Int, isOverride: Bool) -> ValueSyntax {
        advance()
        let name = expectName("the value's name")
        var value = ValueSyntax(name: name, isOverride: isOverride, range: start..<start)
        // `value limit: money = …`, by analogy with an input or a parameter: a value's type is its
        // formula's. One error with the fix, not "no formula" and "unexpected ':'".
        if current.kind == .colon && !atBoundary {
            let colon = advance()
            var end = colon.range.upperBound
            if current.kind == .word && !atBoundary { end = advance().range.upperBound }
            let typeText = file.text(colon.range.lowerBound..<end)
            error(
                .unknownClause,
                "a value takes no type ('\(typeText)'): its type is its formula's; write 'value \(name.text) = …'",
                da: "en værdi har ingen type ('\(typeText)'): typen er formlens; skriv 'value \(name.text) = …'",
                at: colon.range.lowerBound..<end,
                fixIts: [
                    FixIt(
                        message: "delete '\(typeText)'", danish: "slet '\(typeText)'", range: colon.range.lowerBound..<end, replacement: "")
                ])
        }
        var progress = ProgressGuard()
        while !atBoundary {
            if !progress.madeProgress(position) {
                skipRestOfLine()
                continue
            }
            let token = current
            if token.kind == .string {
                if value.description != nil { duplicateClause("description", at: token.range) }
                value.description = parseText()
            } else if token.kind == .equal {
                advance()
                if value.expression != nil { duplicateClause("=", at: token.range) }
                value.expression = parseExpression()
            } else {
                unexpectedClause(token, in: "a value", expected: "a description in quotes or '= formula'")
            }
        }
        if value.expression == nil {
            error(
                .expectedExpression, "the value '\(name.text)' has no formula; add '= …'",
                da: "værdien '\(name.text)' har ingen formel; tilføj '= …'", at: name.range)
        }
        value.range = rangeFrom(start)
        return value
    }

    mutating func parseCriterion(start: Int, isOverride: Bool) -> CriterionSyntax {
        advance()
        let name = expectName("the criterion's name")
        var criterion = CriterionSyntax(name: name, isOverride: isOverride, range: start..<start)
        var progress = ProgressGuard()
        while !atBoundary {
            if !progress.madeProgress(position) {
                skipRestOfLine()
                continue
            }
            let token = current
            if token.kind == .string {
                if criterion.text != nil { duplicateClause("text", at: token.range) }
                criterion.text = parseText()
            } else if isWord("cite") {
                advance()
                if criterion.cite != nil { duplicateClause("cite", at: token.range) }
                criterion.cite = expectText(after: "cite")
            } else if token.kind == .equal {
                advance()
                if criterion.expression != nil { duplicateClause("=", at: token.range) }
                criterion.expression = parseExpression()
            } else {
                unexpectedClause(token, in: "a criterion", expected: "a text in quotes, 'cite' or '= condition'")
            }
        }
        if criterion.expression == nil {
            error(
                .expectedExpression, "the criterion '\(name.text)' has no condition; add '= …'",
                da: "kriteriet '\(name.text)' har ingen betingelse; tilføj '= …'", at: name.range)
        }
        criterion.range = rangeFrom(start)
        return criterion
    }

    mutating func parseClassify(start: Int, isOverride: Bool) -> ClassifySyntax {
        let keyword = advance()
        var classify = ClassifySyntax(outcomes: [], isOverride: isOverride, keywordRange: keyword.range, range: start..<start)
        var progress = ProgressGuard()
        while !atBoundary {
            if !progress.madeProgress(position) {
                skipRestOfLine()
                continue
            }
            classify.outcomes.append(parseOutcome())
        }
        if !classify.outcomes.contains(where: \.isFallback) {
            error(
                .missingFallback,
                "the classification has no fallback; end it with 'otherwise NAME \"label\"' so every firm gets an outcome",
                da:
                    "klassifikationen har intet udfald, når intet andet gælder; afslut den med 'otherwise NAVN \"betegnelse\"', så alle virksomheder får et udfald",
                at: keyword.range)
        }
        classify.range = rangeFrom(start)
        return classify
    }

    mutating func parseOutcome() -> OutcomeSyntax {
        let start = current.range.lowerBound
        var isFallback = false
        if isWord("otherwise") {
            advance()
            isFallback = true
        } else if current.kind == .word, peek().kind == .word, !peek().startsLine,
            !["when", "reason", "tone"].contains(where: { isWord($0, peek()) }),
            closestWord(to: text(of: current), in: ["otherwise"]) != nil || ["ellers", "ellers:"].contains(text(of: current).lowercased())
        {
            // `otherwse ordinary "…"`: a name followed by another name on its line is the fallback
            // misspelt, not an outcome with a stray word (which would also leave no fallback);
            // `ellers ordinary "…"` is the fallback in Danish.
            let typo = advance()
            if text(of: typo).lowercased() == "ellers" {
                danishWord(typo, "otherwise")
            } else {
                error(
                    .unknownClause, "unexpected '\(text(of: typo))' before the outcome's name; did you mean 'otherwise'?",
                    da: "uventet '\(text(of: typo))' før udfaldets navn; mente du 'otherwise'?", at: typo.range,
                    fixIts: [FixIt(message: "write 'otherwise'", danish: "skriv 'otherwise'", range: typo.range, replacement: "otherwise")])
            }
            isFallback = true
        }
        let name = expectName("the outcome's name")
        var outcome = OutcomeSyntax(name: name, isFallback: isFallback, range: start..<start)
        var progress = ProgressGuard()
        while !atBoundary {
            if !progress.madeProgress(position) {
                skipRestOfLine()
                continue
            }
            let token = current
            if token.kind == .string {
                if outcome.label != nil { duplicateClause("label", at: token.range) }
                outcome.label = parseText()
            } else if isWord("when") {
                advance()
                if isFallback {
                    error(
                        .unknownClause, "the 'otherwise' outcome applies when no other does; it takes no 'when'",
                        da: "udfaldet 'otherwise' gælder, når intet andet gør; det har ingen 'when'", at: token.range)
                }
                if outcome.condition != nil { duplicateClause("when", at: token.range) }
                outcome.condition = parseExpression()
            } else if isWord("reason") {
                advance()
                if outcome.reason != nil { duplicateClause("reason", at: token.range) }
                outcome.reason = expectText(after: "reason")
            } else if isWord("tone"), peek().kind == .word, !peek().startsLine, !isWord("when", peek()) {
                // A tone is followed by its word on the same line; an outcome named `tone` by a
                // label in quotes or `when`, so it may still start the next outcome.
                advance()
                if outcome.tone != nil { duplicateClause("tone", at: token.range) }
                let word = advance()
                let danishTones: [String: Tone] = ["gunstig": .favourable, "ugunstig": .unfavourable, "neutral": .neutral]
                if let tone = Tone(rawValue: text(of: word)) {
                    outcome.tone = tone
                } else if let tone = danishTones[text(of: word).lowercased()] {
                    // `tone ugunstig`: the Danish word for the tone, with the English one as a fix-it.
                    danishWord(word, tone.rawValue)
                    outcome.tone = tone
                } else {
                    error(
                        .expectedToken,
                        "expected 'favourable', 'unfavourable' or 'neutral' after 'tone', found '\(text(of: word))'",
                        da: "efter 'tone' skal der stå 'favourable', 'unfavourable' eller 'neutral', men der står '\(text(of: word))'",
                        at: word.range)
                }
            } else if token.kind == .word, Parser.danishClauses[text(of: token).lowercased()] == "when",
                !(token.startsLine && peek().kind == .string), !isFallback, outcome.condition == nil
            {
                // `big "Stor" når a > 10 kr`: named as Danish, and read as the condition it is, so
                // that no "has no condition" follows.
                advance()
                danishWord(token, "when")
                outcome.condition = parseExpression()
            } else if token.kind == .word && token.startsLine && peek().kind != .string && !peek().startsLine,
                let meant = closestWord(to: text(of: token), in: ["when", "reason", "tone"])
            {
                // `wehn all of …` on a line of its own: a clause misspelt, not the next outcome (whose
                // name is followed by its label in quotes).
                advance()
                error(
                    .unknownClause, "unexpected '\(text(of: token))' in an outcome; did you mean '\(meant)'?",
                    da: "uventet '\(text(of: token))' i et udfald; mente du '\(meant)'?", at: token.range,
                    fixIts: [FixIt(message: "write '\(meant)'", danish: "skriv '\(meant)'", range: token.range, replacement: meant)])
                if meant == "when" && !isFallback && outcome.condition == nil {
                    outcome.condition = parseExpression()
                } else {
                    skipRestOfLine()
                }
            } else if token.kind == .word && token.startsLine {
                break  // the next outcome
            } else {
                unexpectedClause(token, in: "an outcome", expected: "a label in quotes, 'when', 'reason' or 'tone'")
            }
        }
        if !isFallback && outcome.condition == nil && !name.text.isEmpty {
            error(
                .expectedExpression, "the outcome '\(name.text)' has no condition; add 'when …' or make it 'otherwise'",
                da: "udfaldet '\(name.text)' har ingen betingelse; tilføj 'when …', eller gør det til 'otherwise'", at: name.range)
        }
        outcome.range = rangeFrom(start)
        return outcome
    }

    /// Danish words for the language's keywords and units, as a Danish author writes them by habit.
    static let danishKeywords = [
        "og": "and", "eller": "or", "ikke": "not", "hvis": "if", "så": "then", "ellers": "else", "ja": "yes", "nej": "no",
        "procent": "%", "pct": "%", "kroner": "kr",
    ]

    /// Danish for the lists of criteria (`alle af a, b`), before their `af`.
    static let danishQuantifiers = ["alle": "all of", "nogen": "any of", "en": "any of", "et": "any of", "ingen": "none of"]

    /// Danish words for the clause keywords, as a Danish author starts a clause by habit.
    static let danishClauses = [
        "når": "when", "begrundelse": "reason", "lov": "law", "vejledning": "guidance", "politik": "policy", "kilde": "source",
        "fra": "from", "til": "until", "citat": "cite", "henvisning": "cite",
    ]

    /// E107 for a Danish word where the language writes an English keyword (`units`: or a unit),
    /// at the word, with the English one as a fix-it.
    mutating func danishWord(_ token: Token, _ english: String, units: Bool = false) {
        let word = text(of: token)
        let what = units ? ("keywords and units", "nøgleord og enheder") : ("keywords", "nøgleord")
        error(
            .unknownClause, "'\(word)' is Danish; rule files write their \(what.0) in English: write '\(english)'",
            da: "'\(word)' er dansk; regelfiler skriver \(what.1) på engelsk: skriv '\(english)'", at: token.range,
            fixIts: [FixIt(message: "write '\(english)'", danish: "skriv '\(english)'", range: token.range, replacement: english)])
    }

    /// Reports a token that starts no clause of the current declaration and skips the rest of its line.
    mutating func unexpectedClause(_ token: Token, in what: String, expected: String) {
        // `when ikke eligible`, `= hvis x = 0 kr så …`: the Danish word was read as a name, and the
        // word after it is what does not fit; the Danish word is what to fix.
        if token.kind == .word, !token.startsLine, position > 0, tokens[position - 1].kind == .word,
            let english = Parser.danishKeywords[text(of: tokens[position - 1]).lowercased()],
            ["not", "if", "then", "else"].contains(english)
        {
            danishWord(tokens[position - 1], english)
            skipRestOfLine()
            return
        }
        if token.kind == .word, !token.startsLine, text(of: token).lowercased() == "af", position > 0,
            tokens[position - 1].kind == .word,
            let english = Parser.danishQuantifiers[text(of: tokens[position - 1]).lowercased()]
        {
            // `when alle af a, b`: `alle` was read as a name, and `af` does not fit after it.
            let words = tokens[position - 1].range.lowerBound..<token.range.upperBound
            let written = "\(text(of: tokens[position - 1])) \(text(of: token))"
            error(
                .unknownClause, "'\(written)' is Danish; rule files write their keywords in English: write '\(english)'",
                da: "'\(written)' er dansk; regelfiler skriver nøgleord på engelsk: skriv '\(english)'", at: words,
                fixIts: [FixIt(message: "write '\(english)'", danish: "skriv '\(english)'", range: words, replacement: english)])
            skipRestOfLine()
            return
        }
        if token.kind == .word, let english = Parser.danishClauses[text(of: token).lowercased()] {
            // `lov "…"`, `fra 2026-01-01`: the clause keyword in Danish.
            danishWord(token, english)
            skipRestOfLine()
            return
        }
        if token.kind == .word, !token.startsLine, let english = Parser.danishKeywords[text(of: token).lowercased()] {
            // `x > 5 og y < 3`, `30 procent`: the keyword or unit the language writes in English.
            danishWord(token, english, units: true)
            skipRestOfLine()
            return
        }
        let afterFormula = !token.startsLine
        if afterFormula, token.kind == .number, position > 0, tokens[position - 1].kind == .number,
            tokens[position - 1].range.upperBound + 1 == token.range.lowerBound,
            file.bytes[tokens[position - 1].range.upperBound] == 0x20, text(of: token).utf8.count == 3,
            text(of: token).utf8.allSatisfy({ (0x30...0x39).contains($0) })
        {
            // `1 000 000 kr`: digit groups set apart by spaces, as Danish prints large numbers.
            var first = position - 1
            while first > 0, tokens[first - 1].kind == .number, tokens[first - 1].range.upperBound + 1 == tokens[first].range.lowerBound {
                first -= 1
            }
            var last = position
            while last + 1 < tokens.count, tokens[last + 1].kind == .number,
                tokens[last].range.upperBound + 1 == tokens[last + 1].range.lowerBound, text(of: tokens[last + 1]).utf8.count == 3
            {
                last += 1
            }
            let range = tokens[first].range.lowerBound..<tokens[last].range.upperBound
            let written = file.text(range)
            let joined = written.filter { $0 != " " }
            error(
                .unexpectedAfterExpression,
                "'\(written)' sets its digits apart with spaces; a rule file writes a number without them: write \(joined)",
                da: "'\(written)' har mellemrum mellem cifrene; en regelfil skriver et tal uden dem: skriv \(joined)", at: range,
                fixIts: [FixIt(message: "write \(joined)", danish: "skriv \(joined)", range: range, replacement: joined)])
            skipRestOfLine()
            return
        }
        if afterFormula && token.kind != .string && token.kind != .word {
            error(
                .unexpectedAfterExpression, "unexpected \(describe(token)) after the formula",
                da: "uventet \(describeDanish(token)) efter formlen", at: token.range)
        } else {
            error(
                .unknownClause, "unexpected \(describe(token)) in \(what); expected \(expected)",
                da: "uventet \(describeDanish(token)) i \(Parser.danish(what)); her kan stå \(Parser.danish(expected))", at: token.range)
        }
        skipRestOfLine()
    }
}

/// The closest word within an edit distance of about a third of its length, for "did you mean".
/// Ties go to the alphabetically first candidate, so that the suggestion does not depend on the
/// order of a `Set` or a dictionary's keys.
public func closestWord(to word: String, in candidates: some Sequence<String>) -> String? {
    let limit = max(1, word.count / 3)
    var best: (String, Int)?
    let lowered = word.lowercased()
    let length = lowered.unicodeScalars.count
    for candidate in candidates where candidate != word {
        let other = candidate.lowercased()
        // The distance is at least the difference in length: skip the quadratic count when that is too far.
        guard abs(other.unicodeScalars.count - length) <= limit else { continue }
        let distance = editDistance(lowered, other)
        guard distance <= limit else { continue }
        if let (current, currentDistance) = best, distance > currentDistance || (distance == currentDistance && current < candidate) {
            continue
        }
        best = (candidate, distance)
    }
    return best?.0
}

/// Edit distance over Unicode scalars, counting a swap of two neighbours as one edit (optimal
/// string alignment), since `inptu` for `input` is the commonest slip of all.
public func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars)
    let y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var beforePrevious = [Int](repeating: 0, count: y.count + 1)
    var previous = Array(0...y.count)
    var row = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        row[0] = i
        for j in 1...y.count {
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                row[j] = min(row[j], beforePrevious[j - 2] + 1)
            }
        }
        (beforePrevious, previous, row) = (previous, row, beforePrevious)
    }
    return previous[y.count]
}
