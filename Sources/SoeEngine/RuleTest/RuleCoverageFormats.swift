import SoeLanguage

// The three forms of a coverage report: text for the policy officer, JSON for scripts
// (`soe-coverage/1`), and lcov, which editors (Coverage Gutters) and CI services (Codecov,
// Coveralls, GitLab) read to mark covered and missed lines in the rule files themselves.

extension RuleCoverage {
    /// The text report: per rule set the fraction of each kind, then what was not reached with
    /// its `file:line:column`, then what no outcome uses (not counted).
    public func text(language: Language) -> String {
        let danish = language == .danish
        var lines = [danish ? "Dækning" : "Coverage"]
        for index in counts.indices {
            let ruleSet = counts[index].model.ruleSet
            let evaluations = counts[index].evaluations
            lines.append(
                "\(ruleSet.name): "
                    + (danish ? counted(evaluations, "vurdering", "vurderinger") : counted(evaluations, "decision", "decisions")))
            for kind in CoverageKind.allCases {
                let (covered, total) = fraction(kind, ruleSet: index)
                let name = kind.name(language).padded(to: 17)
                let count = "\(covered)/\(total)"
                let pad = String(repeating: " ", count: max(0, 8 - count.count))
                lines.append("  \(name)\(pad)\(count)  \(Self.percent(covered, total, language))")
            }
            let missed = items(index).flatMap { item in
                item.parts.filter { $0.hits == 0 }.map { (item, $0.way) }
            }
            if !missed.isEmpty {
                lines.append(danish ? "  ikke nået:" : "  not reached:")
                for (item, way) in missed {
                    lines.append(
                        "    \(item.place.description)  \(Self.kindWord(item.kind, language)) \(item.what): \(Self.never(way, language))")
                }
            }
            let unused = unused(index)
            if !unused.isEmpty {
                lines.append(danish ? "  bruges ikke af noget udfald (tælles ikke med):" : "  not used by any outcome (not counted):")
                for (what, place) in unused { lines.append("    \(place.description)  \(what)") }
            }
        }
        return lines.map(DisplayText.line).joined(separator: "\n") + "\n"
    }

    static func kindWord(_ kind: CoverageKind, _ language: Language) -> String {
        let danish = language == .danish
        switch kind {
        case .outcomes: return danish ? "udfald" : "outcome"
        case .criteria: return danish ? "kriterium" : "criterion"
        case .operands: return "operand"
        case .branches: return danish ? "gren" : "branch"
        case .datedValues: return danish ? "dateret værdi" : "dated value"
        }
    }

    static func never(_ way: String, _ language: Language) -> String {
        let danish = language == .danish
        switch way {
        case "decided": return danish ? "afgjorde aldrig" : "never decided"
        case "reached": return danish ? "aldrig nået" : "never reached"
        case "true": return danish ? "aldrig ja" : "never yes"
        case "false": return danish ? "aldrig nej" : "never no"
        case "then": return danish ? "then aldrig valgt" : "then never taken"
        case "else": return danish ? "else aldrig valgt" : "else never taken"
        default: return danish ? "aldrig brugt" : "never used"
        }
    }

    /// The JSON report, schema `soe-coverage/1`.
    public func json() -> JSONOutput {
        var ruleSets: [JSONOutput] = []
        for index in counts.indices {
            let ruleSet = counts[index].model.ruleSet
            let summary: [(String, JSONOutput)] = CoverageKind.allCases.map { kind in
                let (covered, total) = fraction(kind, ruleSet: index)
                return (kind.rawValue, .object([("covered", .number("\(covered)")), ("total", .number("\(total)"))]))
            }
            let items = items(index).map { item -> JSONOutput in
                var members: [(String, JSONOutput)] = [
                    ("kind", .string(item.kind.rawValue)), ("at", .string(item.place.description)), ("what", .string(item.what)),
                ]
                for part in item.parts { members.append((part.way, .number("\(part.hits)"))) }
                if let results = item.results {
                    members.append(("yes", .number("\(results.yes)")))
                    members.append(("no", .number("\(results.no)")))
                    members.append(("unknown", .number("\(results.unknown)")))
                }
                return .object(members)
            }
            let unused = unused(index).map { JSONOutput.object([("what", .string($0.what)), ("at", .string($0.place.description))]) }
            ruleSets.append(
                .object([
                    ("name", .string(ruleSet.name)), ("decisions", .number("\(counts[index].evaluations)")),
                    ("summary", .object(summary)), ("items", .array(items)), ("unused", .array(unused)),
                ]))
        }
        return .object([("schema", .string("soe-coverage/1")), ("rule_sets", .array(ruleSets))])
    }

    /// The bundled rule files that coverage reached and the lcov tracefile leaves out, by name.
    public var lcovLeftOut: [String] {
        var left: Set<String> = []
        for index in counts.indices {
            let model = counts[index].model
            for node in model.nodes {
                let path = model.place(node).path
                if path.hasPrefix(RuleLibrary.bundledPrefix) { left.insert(path) }
            }
            for item in items(index) where item.place.path.hasPrefix(RuleLibrary.bundledPrefix) { left.insert(item.place.path) }
        }
        return left.sorted()
    }

    /// The lcov tracefile: per rule file, `DA` for each line that holds something coverage counts
    /// (how often it was reached), `BRDA` for each operand (branch 0 yes, 1 no) and each `if`
    /// (0 then, 1 else), with their totals. A file two rule sets share (a rule set that builds on
    /// another) is one record with the counts of both. A bundled rule file (`bundled:…`) has no
    /// file an editor or `genhtml` could open, so it is left out (`lcovLeftOut` names them).
    public func lcov() -> String {
        struct FileCounts {
            var lines: [Int: Int] = [:]
            /// By (line, node key): the counts of branch 0 and 1, and whether the node was reached.
            var branches: [BranchKey: (hits: [Int], reached: Bool)] = [:]
        }
        struct BranchKey: Hashable, Comparable {
            let line: Int, column: Int, kind: Int
            static func < (a: BranchKey, b: BranchKey) -> Bool { (a.line, a.column, a.kind) < (b.line, b.column, b.kind) }
        }
        var files: [String: FileCounts] = [:]
        var order: [String] = []
        for index in counts.indices {
            let counts = counts[index]
            // Per rule set the most any item on a line was reached, then summed over rule sets.
            var lineMax: [String: [Int: Int]] = [:]
            func hit(_ place: SourcePlace, _ hits: Int) {
                lineMax[place.path, default: [:]][place.line] = max(lineMax[place.path]?[place.line] ?? 0, hits)
            }
            let model = counts.model
            for node in model.nodes { hit(model.place(node), counts.nodeHits[node] ?? 0) }
            for item in items(index) {
                switch item.kind {
                case .outcomes: hit(item.place, counts.tried[item.key])
                case .criteria, .datedValues: hit(item.place, item.parts[0].hits)
                case .operands, .branches:
                    let key = BranchKey(line: item.place.line, column: item.place.column, kind: item.kind.order)
                    let reached = (counts.nodeHits[Int32(item.key)] ?? 0) > 0
                    if files[item.place.path] == nil {
                        files[item.place.path] = FileCounts()
                        order.append(item.place.path)
                    }
                    let old = files[item.place.path]?.branches[key] ?? ([0, 0], false)
                    files[item.place.path]?.branches[key] = (
                        [old.hits[0] + item.parts[0].hits, old.hits[1] + item.parts[1].hits], old.reached || reached
                    )
                }
            }
            for (path, lines) in lineMax {
                if files[path] == nil {
                    files[path] = FileCounts()
                    order.append(path)
                }
                for (line, hits) in lines { files[path]?.lines[line, default: 0] += hits }
            }
        }
        var out = ["TN:soe_test"]
        for path in order.sorted() where !path.hasPrefix(RuleLibrary.bundledPrefix) {
            guard let file = files[path] else { continue }
            out.append("SF:\(path)")
            let branches = file.branches.keys.sorted()
            for (block, key) in branches.enumerated() {
                guard let entry = file.branches[key] else { continue }
                for branch in 0..<2 {
                    out.append("BRDA:\(key.line),\(block),\(branch),\(entry.reached ? "\(entry.hits[branch])" : "-")")
                }
            }
            let branchTotal = branches.count * 2
            let branchHit = branches.reduce(0) { total, key in total + (file.branches[key]?.hits.filter { $0 > 0 }.count ?? 0) }
            out.append("BRF:\(branchTotal)")
            out.append("BRH:\(branchHit)")
            let lines = file.lines.keys.sorted()
            for line in lines { out.append("DA:\(line),\(file.lines[line] ?? 0)") }
            out.append("LF:\(lines.count)")
            out.append("LH:\(lines.filter { (file.lines[$0] ?? 0) > 0 }.count)")
            out.append("end_of_record")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
