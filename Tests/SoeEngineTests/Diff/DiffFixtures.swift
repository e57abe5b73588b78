import SoeLanguage

@testable import SoeEngine

/// A small rule set in many versions, one change each, so that every kind of first difference
/// has a firm that shows it (see `DiffTests`).
enum DiffFixtures {
    /// The parts of the small rule set that a version may change.
    struct Version {
        var name: String
        var salesMin = "100 kr"
        var staffed = "staff >= staff_min"
        var double = "sales * 2"
        var large = "all of big, staffed"
        var medium = false
        var excluded = true
        var salesMax = ""
        var inForce = "2020-01-01"
        var swapped = false
        var certified = false
    }

    /// The rule file of a version.
    static func text(_ version: Version) -> String {
        var outcomes: [String] = []
        if version.excluded { outcomes.append("  excluded \"Udelukket\"\n    when not flag") }
        let large = "  large \"Stor\"\n    when \(version.large)"
        let medium = "  medium \"Mellem\"\n    when big"
        if version.swapped {
            outcomes += [medium, large]
        } else {
            outcomes.append(large)
            if version.medium { outcomes.append(medium) }
        }
        outcomes.append("  otherwise small \"Lille\"")
        return """
            ruleset \(version.name) "Test \(version.name)"
              in force from \(version.inForce)

            input sales: money
              min 0 kr\(version.salesMax)
            input staff: count
            input flag: yes/no
            \(version.certified ? "input certified: yes/no" : "")

            parameter sales_min: money
              policy "test"
              = \(version.salesMin) from 2020-01-01
            parameter staff_min: count
              policy "test"
              = 2 from 2020-01-01

            value double_sales = \(version.double)

            criterion big = double_sales >= sales_min
            criterion staffed = \(version.staffed)

            classify
            \(outcomes.joined(separator: "\n"))

            """
    }

    /// Every version pair: the old version is the default, the new one changes one thing.
    static let changes: [Version] = [
        Version(name: "p_parameter", salesMin: "150 kr"),
        Version(name: "c_condition", large: "big"),
        Version(name: "k_criterion", staffed: "staff > staff_min"),
        Version(name: "v_value", double: "sales * 3"),
        Version(name: "n_new_outcome", medium: true),
        Version(name: "r_removed_outcome", excluded: false),
        Version(name: "i_new_input", staffed: "staff >= staff_min and certified", certified: true),
        Version(name: "x_range", salesMax: " max 1000 kr"),
        Version(name: "f_in_force", inForce: "2025-01-01"),
        Version(name: "o_order", medium: true, swapped: true),
    ]

    /// The old rules: each name with no change (`o_order` has `medium` after `large`).
    static var oldRules: [RuleSet] {
        let sources = changes.map { change in
            var base = Version(name: change.name)
            if change.name == "o_order" { base.medium = true }
            return SourceFile(path: "old/\(change.name).rules", text: text(base))
        }
        return RuleLoader.load(sources).ruleSets
    }

    static var newRules: [RuleSet] {
        RuleLoader.load(changes.map { SourceFile(path: "new/\($0.name).rules", text: text($0)) }).ruleSets
    }

    /// Firms chosen so that each version pair changes at least one of them.
    static let firms = """
        id,name,fiscal_year,sales,staff,flag
        F1,Tærskel ApS,2024,60,3,true
        F2,Få ansatte ApS,2024,100,1,true
        F3,Præcis to ApS,2024,100,2,true
        F4,Udelukket ApS,2024,100,3,false
        F5,Stor ApS,2024,2000,3,true
        F6,Uden år ApS,,100,3,true
        F7,Lille ApS,2024,40,3,true

        """
}
