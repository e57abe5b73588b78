import SoeLanguage

/// Writes a `Letter` from a trace: picks the criteria that decided, the facts and limits they
/// used, and puts each comparison into words ("Andel af indtægterne fra salg (95,74 %) er mindst
/// Mindste andel af indtægterne fra salg (25 %)").
struct LetterBuilder {
    let trace: Trace
    let language: Language
    let words: Words
    let letter: LetterWords
    let formatter: ValueFormatter

    init(trace: Trace, language: Language) {
        self.trace = trace
        self.language = language
        words = Words.of(language)
        letter = LetterWords(language: language, kind: trace.ruleSet.letterKind)
        var formatter = ValueFormatter(language: language, choiceSets: trace.choiceSets)
        // A letter is prose: "ca. 95,74 %" where a trace writes "≈95,74 %".
        if language == .danish { formatter.approximateMark = "ca.\u{00A0}" }
        self.formatter = formatter
    }

    var firmName: String { trace.firm.name ?? trace.firm.source }
    var year: Int { trace.firm.fiscalYear ?? trace.firm.closingDay.year }
    var title: String { trace.ruleSet.title.text(language) }
    var closing: String { LetterBuilder.unbroken(words.longDate(trace.firm.closingDay)) }

    /// A date with no-break spaces, so that a line is never broken inside it ("17. / februar 2021").
    static func unbroken(_ date: String) -> String { date.replacing(" ", with: "\u{00A0}") }

    mutating func build() -> Letter {
        let decision = trace.decision
        var result = Letter(
            kind: .decision, language: language, recipient: firmName, cvr: trace.firm.cvr,
            date: trace.decisionDate.map { LetterBuilder.unbroken(words.longDate($0)) }, subject: "", opening: [], sections: [],
            closing: [],
            reference: letter.reference(title, trace.ruleSet.version), tone: nil)
        result.sender = trace.ruleSet.letterTexts[.sender]?.text(language)
        result.caseNumber = trace.caseNumber
        result.letterKind = trace.ruleSet.letterKind
        if let index = decision.outcome {
            let outcome = trace.outcomes[index]
            result.subject = letter.subjectDecided(title, year)
            result.opening = [
                letter.assessed(firmName, title, year, closing), letter.resultIs(outcome.label?.text(language) ?? outcome.name),
            ]
            // The reason of the rule that decided: an outcome reached by several rules has one each.
            if let reason = outcome.reason?.text(language) { result.opening.append(letter.reasonIs(reason)) }
            result.sections = [rulesSection, factsSection, assessmentSection, changesSection].compactMap { $0 }
            result.tone = outcome.tone
        } else if decision.notInForceOn != nil {
            result.kind = .notInForce
            result.subject = letter.subjectNotInForce(title, year)
            let period = letter.period(
                trace.ruleSet.inForceFrom.map { LetterBuilder.unbroken(words.longDate($0)) },
                trace.ruleSet.inForceUntil.map { LetterBuilder.unbroken(words.longDate($0)) })
            result.opening = [letter.notInForce(title, period, year, closing)]
        } else if decision.missing.isEmpty {
            // No input is missing: what stopped the decision is a computation without a result (a
            // parameter with no value on the day, a division by zero), which nothing the firm could
            // send would settle. Saying "we lack some information" would ask it for nothing it has.
            result.kind = .pending
            result.subject = letter.subjectPending(title, year)
            let problems = trace.problems.map { words.problem($0.kind) }
            result.opening = [letter.pending(firmName, title, year, closing, problems: Array(Set(problems)).sorted())]
        } else {
            result.kind = .request
            result.subject = letter.subjectRequest(title, year)
            result.opening = [letter.assessing(firmName, title, year, closing)]
            result.sections = [requestSection]
        }
        var closingParagraphs: [String] = []
        if result.kind == .request { closingParagraphs.append(letter.requestClose) }
        closingParagraphs.append(trace.ruleSet.letterTexts[.contact]?.text(language) ?? letter.defaultContact)
        if result.kind == .decision, let appeal = trace.ruleSet.letterTexts[.appeal] { closingParagraphs.append(appeal.text(language)) }
        result.closing = closingParagraphs
        return result
    }

    // MARK: What decided

    /// The criteria the outcomes tried used, in the rule file's order.
    var decidingCriteria: [Int] {
        var used = Set<Int>()
        for outcome in trace.outcomes where outcome.status != .notReached { used.formUnion(outcome.criteria) }
        return used.sorted()
    }

    /// What a formula refers to, through the derived values it uses (not through other criteria,
    /// which are listed on their own).
    func references(_ node: Explanation, into found: inout [Explanation.Reference]) {
        if let reference = node.reference {
            if !found.contains(reference) { found.append(reference) }
            if case .value(let index) = reference { references(trace.values[index].formula, into: &found) }
            return
        }
        for child in node.children { references(child, into: &found) }
    }

    func references(ofCriteria criteria: [Int]) -> [Explanation.Reference] {
        var found: [Explanation.Reference] = []
        for index in criteria { references(trace.criteria[index].formula, into: &found) }
        return found
    }

    func criterionText(_ index: Int) -> String {
        let criterion = trace.criteria[index]
        return criterion.text?.text(language) ?? criterion.cite?.text(language) ?? words.criteria
    }

    // MARK: Sections of a decision

    var rulesSection: Letter.Section? {
        var paragraphs: [String] = []
        if let source = trace.ruleSet.source?.text(language) { paragraphs.append(letter.rulesRestOn(source)) }
        let items = decidingCriteria.map { index -> String in
            let text = criterionText(index)
            return trace.criteria[index].cite.map { "\(text) (\($0.text(language)))" } ?? text
        }
        if !items.isEmpty { paragraphs.append(letter.rulesIntro) }
        return Letter.Section(heading: letter.rulesHeading, paragraphs: paragraphs, items: items, after: [])
    }

    var factsSection: Letter.Section? {
        let used = references(ofCriteria: decidingCriteria)
        var items: [String] = []
        for (index, input) in trace.inputs.enumerated() where used.contains(.input(index)) {
            guard let value = input.value else { continue }
            items.append("\(input.description?.text(language) ?? input.name): \(formatter.format(value, as: input.type))")
        }
        for (index, value) in trace.values.enumerated() where used.contains(.value(index)) {
            guard let description = value.description?.text(language) else { continue }
            items.append("\(description): \(formatter.format(value.result, as: value.type)) (\(letter.computed))")
        }
        guard !items.isEmpty else { return nil }
        return Letter.Section(heading: letter.factsHeading, paragraphs: [letter.factsIntro], items: items, after: [])
    }

    var assessmentSection: Letter.Section? {
        var paragraphs: [String] = []
        for index in decidingCriteria {
            let criterion = trace.criteria[index]
            var sentence = letter.criterion(criterionText(index), criterionStatus(criterion.result))
            let facts = statements(criterion.formula)
            if !facts.isEmpty { sentence += " " + facts.map(letter.sentence).joined(separator: " ") }
            paragraphs.append(sentence)
        }
        let used = references(ofCriteria: decidingCriteria)
        var limits: [String] = []
        for (index, parameter) in trace.parameters.enumerated() where used.contains(.parameter(index)) {
            let name = parameter.description?.text(language) ?? parameter.citation?.text(language) ?? words.parametersInForce
            var item = "\(name): " + (parameter.value.map { formatter.format($0, as: parameter.type) } ?? words.noParameterValue)
            if let basis = parameter.basis {
                item += " (\(words.basis(basis))" + (parameter.citation.map { ": \($0.text(language))" } ?? "") + ")"
            }
            limits.append(item)
        }
        if !limits.isEmpty { paragraphs.append(letter.limitsIntro) }
        guard !paragraphs.isEmpty else { return nil }
        return Letter.Section(heading: letter.assessmentHeading, paragraphs: paragraphs, items: limits, after: [])
    }

    func criterionStatus(_ result: Evaluated) -> String {
        switch result {
        case .known(.bool(true)): words.met
        case .known: words.notMet
        default: words.unknown
        }
    }

    /// The comparisons and tests inside a condition as statements of fact about the firm.
    func statements(_ node: Explanation) -> [String] {
        switch node.op {
        case .and, .or, .not, .ifThenElse: return node.children.flatMap(statements)
        case .criterion, .isKnown, .constant: return []
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            let right = node.children.count == 2 ? node.children[1] : nil
            let phrase: Bool = {
                guard let right else { return false }
                if case .parameter = right.reference { return true }
                return describe(right.reference) != nil
            }()
            guard node.children.count == 2, case .known(.bool(let holds)) = node.result,
                let relation = letter.relation(node.op, holds: holds, beforePhrase: phrase)
            else { return [] }
            return ["\(operand(node.children[0], first: true)) \(relation) \(operand(node.children[1], first: false))"]
        case .member:
            return node.children.first.flatMap(fact).map { [$0] } ?? []
        default:
            return fact(node).map { [$0] } ?? []
        }
    }

    /// "Har eget CVR-nummer: ja": a described value and what it is.
    func fact(_ node: Explanation) -> String? {
        guard case .known(let scalar) = node.result, let description = describe(node.reference) else { return nil }
        return "\(description): \(formatter.format(scalar, as: node.type))"
    }

    /// An operand in words: its description with its value, a limit as "grænsen på 25 %" (the
    /// limits are listed with their descriptions and basis after), or the value alone.
    func operand(_ node: Explanation, first: Bool) -> String {
        let value = formatter.format(node.result, as: node.type)
        if case .parameter = node.reference { return letter.limit(value) }
        guard let description = describe(node.reference) else { return value }
        return "\(first ? description : description.lowercasedStart(language)) (\(value))"
    }

    func describe(_ reference: Explanation.Reference?) -> String? {
        switch reference {
        case .input(let index): trace.inputs[index].description?.text(language)
        case .parameter(let index): trace.parameters[index].description?.text(language)
        case .value(let index): trace.values[index].description?.text(language)
        default: nil
        }
    }

    // MARK: A request for information

    var requestSection: Letter.Section {
        var items: [String] = []
        // Where the declared limits decide the outcome, no missing value settles anything that
        // would change it: the criteria an input reads are not listed as what it "settles".
        let decidedByLimits = trace.analysis?.bounds?.outcome
        for index in trace.decision.missing.indices {
            let input = trace.inputs[index]
            var item = input.description?.text(language) ?? input.name
            let settles = trace.criteria.indices.filter { criterion in
                // Nor is a criterion the bounds settle (the employment-services share at most
                // 28.57 % whatever the grants are): the missing input cannot change it.
                guard decidedByLimits == nil, trace.analysis?.bounds?.settledCriteria[criterion] == nil else { return false }
                guard case .unknown = trace.criteria[criterion].result else { return false }
                var found: [Explanation.Reference] = []
                references(trace.criteria[criterion].formula, into: &found)
                return found.contains(.input(index))
            }
            if !settles.isEmpty { item += " – " + letter.settles(settles.map(criterionText).joined(separator: "; ")) }
            items.append(item)
        }
        var paragraphs = [letter.requestIntro]  // before the list; what could come of it after
        var after: [String] = []
        // A letter must not warn a firm of an outcome no value of its missing data can bring about;
        // where the declared limits decide the outcome, that one is what the data could give.
        let outcomes = trace.analysis?.bounds?.outcome.map { [$0] } ?? trace.outcomesLeft
        let possible = trace.distinctOutcomes(outcomes).map {
            (trace.outcomes[$0].label?.text(language) ?? trace.outcomes[$0].name).lowercasedStart(language)
        }
        if decidedByLimits != nil, possible.count == 1 {
            after.append(letter.decidedByLimits(possible[0]))
        } else if !possible.isEmpty {
            let list =
                possible.count == 1 ? possible[0] : possible.dropLast().joined(separator: ", ") + " \(words.or) " + (possible.last ?? "")
            after.append("\(words.couldBe): \(list).")
        }
        if !trace.problems.isEmpty {
            after.append(letter.problems(trace.problems.map { words.problem($0.kind) }.joined(separator: "; ")))
        }
        if items.isEmpty { paragraphs = [] }
        return Letter.Section(heading: letter.requestHeading, paragraphs: paragraphs, items: items, after: after)
    }
}

extension String {
    /// A description inside a sentence, first letter in lower case ("andel af indtægterne"),
    /// unless the second letter is upper case too, as in an abbreviation ("CVR-nummer", "EU").
    func lowercasedStart(_ language: Language) -> String {
        guard let first, first.isUppercase else { return self }
        let rest = dropFirst()
        if let second = rest.first, second.isUppercase || second == "-" { return self }
        return first.lowercased() + rest
    }
}
