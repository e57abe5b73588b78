import SoeLanguage

/// The kinds of coverage `soe test --coverage` reports, in report order.
public enum CoverageKind: String, Sendable, CaseIterable {
    /// Each outcome rule of `classify`, by position: did a test decide by it?
    case outcomes
    /// Each criterion an outcome uses: did evaluation reach it?
    case criteria
    /// Each operand of `and`/`or`/`not`, each comparison: reached as yes, and as no?
    case operands
    /// Each `if`: its `then` taken, and its `else`?
    case branches
    /// Each dated value of a parameter an outcome uses: in force for, and used by, a decision?
    case datedValues = "dated_values"

    func name(_ language: Language) -> String {
        guard language == .danish else { return rawValue.replacing("_", with: " ") }
        switch self {
        case .outcomes: return "udfald"
        case .criteria: return "kriterier"
        case .operands: return "operander"
        case .branches: return "grene"
        case .datedValues: return "daterede værdier"
        }
    }
}

/// One thing coverage counts, with the ways it can be reached and how often each was.
struct CoverageItem {
    let kind: CoverageKind
    let place: SourcePlace
    /// What it is: `social_economy`, `market_share >= market_share_min`, `market_share_min = 50 % from 2019-01-01`.
    let what: String
    /// The ways, each with its count: `decided`, `reached`, `true`/`false`, `then`/`else`, `selected`.
    let parts: [(way: String, hits: Int)]
    /// The node or definition, so that two rule sets sharing a file count the same thing once in lcov.
    let key: Int
    /// For a criterion: how often it was yes, no and unknown.
    var results: (yes: Int, no: Int, unknown: Int)? = nil
}

/// Coverage of every rule set tested, with its text, JSON and lcov forms.
public struct RuleCoverage {
    var counts: [RuleCoverageCounts]

    init(ruleSets: [RuleSet]) {
        counts = ruleSets.map { RuleCoverageCounts(RuleCoverageModel($0)) }
    }

    /// The covered and total ways of a kind in a rule set.
    public func fraction(_ kind: CoverageKind, ruleSet index: Int) -> (covered: Int, total: Int) {
        let list = items(index).filter { $0.kind == kind }
        return (list.reduce(0) { $0 + $1.parts.filter { $0.hits > 0 }.count }, list.reduce(0) { $0 + $1.parts.count })
    }

    /// The names of the rule sets, in report order.
    public var ruleSetNames: [String] { counts.map(\.model.ruleSet.name) }

    /// Everything coverage counts in the rule set at `index`, by kind, then place.
    func items(_ index: Int) -> [CoverageItem] {
        let counts = counts[index]
        let model = counts.model
        let ruleSet = model.ruleSet
        var items: [CoverageItem] = []
        for (position, outcome) in ruleSet.outcomes.enumerated() {
            items.append(
                CoverageItem(
                    kind: .outcomes, place: SourcePlace(outcome.span), what: "\(position + 1). \(outcome.name)",
                    parts: [("decided", counts.decided[position])], key: position))
        }
        for criterion in model.criteria {
            let definition = ruleSet.criteria[criterion]
            var item = CoverageItem(
                kind: .criteria, place: SourcePlace(definition.span), what: definition.name,
                parts: [("reached", counts.criterionHits[criterion])], key: criterion)
            item.results = (counts.criterionTrue[criterion], counts.criterionFalse[criterion], counts.criterionUnknown[criterion])
            items.append(item)
        }
        for node in model.conditions {
            items.append(
                CoverageItem(
                    kind: .operands, place: model.place(node), what: formula(node, model),
                    parts: [("true", counts.conditionTrue[node] ?? 0), ("false", counts.conditionFalse[node] ?? 0)], key: Int(node)))
        }
        for node in model.branches {
            items.append(
                CoverageItem(
                    kind: .branches, place: model.place(node), what: formula(node, model),
                    parts: [("then", counts.branchThen[node] ?? 0), ("else", counts.branchElse[node] ?? 0)], key: Int(node)))
        }
        for parameter in model.parameters {
            let definition = ruleSet.parameters[parameter]
            let formatter = ValueFormatter(language: .english, choiceSets: ruleSet.choiceSets)
            for (position, dated) in definition.values.enumerated() {
                var what = "\(definition.name) = \(formatter.format(dated.value, as: definition.type))"
                if let from = dated.from { what += " from \(from)" }
                if let until = dated.until { what += " until \(until)" }
                items.append(
                    CoverageItem(
                        kind: .datedValues, place: SourcePlace(dated.span), what: what,
                        parts: [("selected", counts.selected[parameter][position])], key: parameter << 16 | position))
            }
        }
        return items.sorted { ($0.kind.order, $0.place) < ($1.kind.order, $1.place) }
    }

    /// A formula on one line, at most 60 characters.
    func formula(_ node: Int32, _ model: RuleCoverageModel) -> String {
        let expression = model.ruleSet.nodes[Int(node)]
        let text = model.ruleSet.files[Int(expression.fileIndex)].source.text(expression.range)
        let line = text.split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces() }.joined(separator: " ")
        return line.count > 60 ? String(line.prefix(59)) + "…" : line
    }

    /// The criteria, values and parameters of a rule set that no outcome uses.
    func unused(_ index: Int) -> [(what: String, place: SourcePlace)] {
        let model = counts[index].model
        let ruleSet = model.ruleSet
        var list: [(String, SourcePlace)] = []
        for (criterion, definition) in ruleSet.criteria.enumerated() where !model.criteria.contains(criterion) {
            list.append(("criterion \(definition.name)", SourcePlace(definition.span)))
        }
        for (parameter, definition) in ruleSet.parameters.enumerated() where !model.parameters.contains(parameter) {
            list.append(("parameter \(definition.name)", SourcePlace(definition.span)))
        }
        return list.sorted { $0.1 < $1.1 }
    }
}

extension CoverageKind {
    var order: Int { CoverageKind.allCases.firstIndex(of: self) ?? 0 }
}

extension RuleCoverage {
    /// Whether every kind of every rule set reaches its floor; the kinds that do not, in words.
    /// A floor is a percentage as `numerator / denominator` (90.5 % is 905/10).
    public func shortfalls(_ floors: [CoverageKind: (numerator: Int, denominator: Int)], language: Language) -> [String] {
        var found: [String] = []
        let words = RuleTestWords(language)
        for index in counts.indices {
            for kind in CoverageKind.allCases {
                guard let floor = floors[kind] else { continue }
                let (covered, total) = fraction(kind, ruleSet: index)
                guard total > 0, covered * 100 * floor.denominator < floor.numerator * total else { continue }
                let shown = Self.percent(covered, total, language)
                let floorText = Self.decimal(floor.numerator, floor.denominator, language) + " %"
                found.append(words.belowFloor(kind.name(language), counts[index].model.ruleSet.name, shown, floorText))
            }
        }
        return found
    }

    /// `97 %`, rounded down so that a report never shows 100 % for 199 of 200.
    static func percent(_ covered: Int, _ total: Int, _ language: Language) -> String {
        guard total > 0 else { return "100 %" }
        return "\(covered * 100 / total) %"
    }

    /// `90,5` or `90.5`: the floor `numerator / denominator` as written, whatever the denominator
    /// (87.5 % arrives reduced, as 175/2).
    static func decimal(_ numerator: Int, _ denominator: Int, _ language: Language) -> String {
        let value = Exact(raw: Int128(numerator), Int128(denominator))
        return language == .danish ? value.danishExactText() : value.exactText()
    }
}
