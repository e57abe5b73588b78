import SoeLanguage

/// L104: outcomes whose thresholds leave a band of values between them to the fallback.
struct ClassificationGap: RuleSetCheck {
    static let documentation = LintCheckDocumentation(
        code: "L104",
        name: "ClassificationGap",
        severity: .warning,
        summary: "outcomes whose thresholds leave a band of values between them to the fallback",
        whatItDoes: """
            Looks at the outcomes that test the same number (an input, a value or a sum) under the same \
            other conditions, and finds values that lie *between* the ranges they cover: `share > 50 %` \
            and `share < 40 %` leave 40 % to 50 % to the `otherwise` outcome, and `share > 50 %` and \
            `share < 50 %` leave exactly 50 %. Before reporting, it confirms that no other outcome \
            applies in the band. Bands outside an input's declared `min`/`max`, and bands of a count \
            that hold no whole number, are not gaps.

            A classification with no `otherwise` at all is the language error `E111`, which `soe lint` \
            reports as `soe check` does.
            """,
        whyItMatters: """
            The fallback is meant for firms that meet none of the tests, not for the firms whose share \
            happens to fall between two thresholds. A band between `> 50 %` and `< 50 %` is the classic \
            off-by-one of policy texts ("more than half" against "less than half"): the firms at exactly \
            50 % get a result nobody decided on.
            """,
        triggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input municipal_share: percent "Andel af omsætningen fra kommunale ydelser"
              min 0 % max 100 %

            classify
              aktor "Anden aktør" when municipal_share > 50 %
              soe "Socialøkonomisk virksomhed" when municipal_share < 40 %
              otherwise unclear "Kræver vurdering"
            """),
        nonTriggering: LintExample(
            """
            ruleset example "Eksempel"
              in force from 2015-01-01

            input municipal_share: percent "Andel af omsætningen fra kommunale ydelser"
              min 0 % max 100 %

            classify
              aktor "Anden aktør" when municipal_share > 50 %
              soe "Socialøkonomisk virksomhed" when municipal_share <= 50 %
              otherwise unclear "Kræver vurdering"
            """),
        limits: """
            Sometimes the band is meant for the fallback (a "needs assessment" outcome between two \
            clear cases); then suppress the finding with a reason. Only thresholds that are constants, \
            or parameters with a single value, are compared. In a classification of more than 64 \
            alternatives, only the outcomes that test the same quantities as the band are ruled out \
            in it, and the check gives up (no finding) when there are more than 64 of those.
            """,
        related: ["E111", "L101"],
        danishSummary: "udfald, hvis tærskler lader et bånd af værdier imellem sig gå til udfaldet 'otherwise'")

    struct GroupKey: Hashable {
        var variable: Int32
        var context: Set<Literal>
    }

    struct Segment {
        var lower: Exact?
        var lowerClosed = false
        var upper: Exact?
        var upperClosed = false
        var outcome: Int
    }

    func check(_ context: LintContext) {
        let outcomes = context.ruleSet.outcomes
        guard let fallback = outcomes.last, fallback.condition == nil else { return }
        let forms = context.outcomeForms
        let analysis = context.conditions
        // When the outcomes cover every case, the fallback never applies and there is no gap.
        if context.coverage.coversEverything { return }
        // Grouped by the variable and the other literals of the conjunction, in the order first met.
        var groups: [GroupKey: (variable: Int32, context: [Literal], segments: [Segment])] = [:]
        var order: [GroupKey] = []
        var unconditional: [Int32: [Segment]] = [:]
        var index: [Int32: [Conjunction]] = [:]
        let everything = forms.flatMap { $0 ?? [] }
        for (outcome, form) in forms.enumerated() {
            for conjunction in form ?? [] {
                // In the order of the conjunction, not of a `Set`, so that the findings come in the
                // same order on every run (OutcomeCoverage.variables(of:)).
                let variables = OutcomeCoverage.variables(of: conjunction)
                for variable in variables { index[variable, default: []].append(conjunction) }
                for variable in variables {
                    guard let info = analysis.space.variables.numeric(variable), info.type != .date,
                        let segment = ClassificationGap.segment(conjunction, variable, outcome, analysis)
                    else { continue }
                    let rest = conjunction.filter { $0.variable != variable }
                    if rest.isEmpty {
                        unconditional[variable, default: []].append(segment)
                    }
                    let key = GroupKey(variable: variable, context: Set(rest))
                    if groups[key] == nil { order.append(key) }
                    groups[key, default: (variable, rest, [])].segments.append(segment)
                }
            }
        }
        var reported: Set<String> = []
        for key in order {
            guard let group = groups[key] else { continue }
            var segments = group.segments
            if !group.context.isEmpty { segments += unconditional[group.variable] ?? [] }
            for (below, hole, above) in ClassificationGap.holes(segments) {
                var band = analysis.store()
                guard let info = analysis.space.variables.numeric(group.variable),
                    band.add(group.context), band.add(hole.literals(group.variable)),
                    ClassificationGap.fallbackApplies(band, group, everything: everything, index: index, analysis: analysis)
                else { continue }
                let text = hole.describe(analysis.space.variables.text(group.variable), type: info.type)
                guard reported.insert(text).inserted else { continue }
                // Point at the later of the two outcomes around the band: the one written last.
                let (primary, other, side) = above.outcome > below.outcome ? (above, below, "below") : (below, above, "above")
                let others = group.context.isEmpty ? "" : " and the other conditions of '\(outcomes[primary.outcome].name)' hold"
                let andre = group.context.isEmpty ? "" : ", og de øvrige betingelser for '\(outcomes[primary.outcome].name)' er opfyldt"
                let sideDa = side == "below" ? "under" : "over"
                context.report(
                    ClassificationGap.self,
                    "no outcome but the fallback '\(fallback.name)' applies when \(text)\(others)",
                    da: "kun udfaldet '\(fallback.name)' (otherwise) gælder, når \(text)\(andre)",
                    at: outcomes[primary.outcome].span,
                    notes: [
                        DiagnosticNote(
                            message: "'\(outcomes[other.outcome].name)' covers the values \(side)",
                            danish: "'\(outcomes[other.outcome].name)' dækker værdierne \(sideDa)", span: outcomes[other.outcome].span),
                        DiagnosticNote(message: "the fallback is here", danish: "udfaldet 'otherwise' står her", span: fallback.span),
                    ])
            }
        }
    }

    /// Whether the band (in `store`) is a real gap: a firm in it meets no outcome's condition.
    /// In a small classification every conjunction is ruled out; in a large one, those that share
    /// a variable with the band. Gives up (false) when there are too many to rule out.
    static func fallbackApplies(
        _ store: ConstraintStore, _ group: (variable: Int32, context: [Literal], segments: [Segment]),
        everything: [Conjunction], index: [Int32: [Conjunction]], analysis: ConditionAnalysis
    ) -> Bool {
        var clauses: [[Literal]] = []
        if everything.count <= 64 {
            clauses = everything.map { $0.map { analysis.space.variables.negate($0) } }
        } else {
            var seen: Set<[Literal]> = []
            // Sorted: the clauses' order decides where the search's budget ends.
            for variable in Set([group.variable] + group.context.map(\.variable)).sorted() {
                let list = index[variable] ?? []
                if list.count > 64 { return false }
                for conjunction in list where seen.insert(conjunction).inserted {
                    clauses.append(conjunction.map { analysis.space.variables.negate($0) })
                }
            }
        }
        guard clauses.count <= 64 else { return false }
        var budget = OutcomeCoverage.searchBudget
        return OutcomeCoverage.refute(store, clauses, budget: &budget) == false
    }

    /// The range a conjunction allows for one variable, when every test on it has a fixed bound.
    static func segment(_ conjunction: Conjunction, _ variable: Int32, _ outcome: Int, _ analysis: ConditionAnalysis) -> Segment? {
        var segment = Segment(outcome: outcome)
        for literal in conjunction where literal.variable == variable {
            guard case .compare(_, let relation, let bound) = literal,
                let range = analysis.space.range(of: bound), let value = range.lower, range.upper == value
            else { return nil }
            switch relation {
            case .less, .lessEqual:
                if let upper = segment.upper, upper < value || (upper == value && !segment.upperClosed) { continue }
                segment.upper = value
                segment.upperClosed = relation == .lessEqual
            case .greater, .greaterEqual:
                if let lower = segment.lower, value < lower || (lower == value && !segment.lowerClosed) { continue }
                segment.lower = value
                segment.lowerClosed = relation == .greaterEqual
            case .equal:
                segment.lower = value
                segment.upper = value
                segment.lowerClosed = true
                segment.upperClosed = true
            case .notEqual:
                return nil
            }
        }
        return segment
    }

    /// The bands between the segments' union: (segment below, band, segment above).
    static func holes(_ segments: [Segment]) -> [(Segment, Hole, Segment)] {
        let sorted = segments.sorted { a, b in
            guard let x = a.lower else { return b.lower != nil }
            guard let y = b.lower else { return false }
            return x < y || (x == y && a.lowerClosed && !b.lowerClosed)
        }
        guard var current = sorted.first else { return [] }
        var result: [(Segment, Hole, Segment)] = []
        for next in sorted.dropFirst() {
            guard let reach = current.upper else { return result }
            if let start = next.lower, reach < start || (reach == start && !current.upperClosed && !next.lowerClosed) {
                result.append(
                    (
                        current,
                        Hole(
                            lower: reach, lowerClosed: !current.upperClosed, upper: start,
                            upperClosed: !next.lowerClosed), next
                    ))
                current = next
            } else if let end = next.upper, end > reach || (end == reach && next.upperClosed) {
                current.upper = end
                current.upperClosed = next.upperClosed
                current.outcome = next.outcome
            } else if next.upper == nil {
                return result
            }
        }
        return result
    }

    /// A band of values no outcome covers.
    struct Hole {
        var lower: Exact
        var lowerClosed: Bool
        var upper: Exact
        var upperClosed: Bool

        func literals(_ variable: Int32) -> [Literal] {
            [
                .compare(variable, lowerClosed ? .greaterEqual : .greater, .constant(lower)),
                .compare(variable, upperClosed ? .lessEqual : .less, .constant(upper)),
            ]
        }

        func describe(_ name: String, type: ValueType) -> String {
            if lower == upper { return "\(name) = \(formatted(lower, as: type))" }
            return
                "\(formatted(lower, as: type)) \(lowerClosed ? "<=" : "<") \(name) \(upperClosed ? "<=" : "<") \(formatted(upper, as: type))"
        }
    }
}
