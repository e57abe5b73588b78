import Foundation
import SoeTestSupport
import Testing

/// The benchmark's hand-written limit (`Sources/soe-bench/limit/soe-limit.c`, see docs/benchmark.md)
/// must do the same work as soe, or its time is no limit: here both classify the same generated
/// firms under `anden_aktoer`, with values chosen to land on and beside every threshold, and
/// must give the same outcome on every row. `soe-bench limit` repeats the check on a million.
@Suite struct LimitAgreementTests {
    static let columns = [
        "id", "name", "cvr", "fiscal_year", "own_cvr", "public_ownership", "market_sales", "municipal_employment_services",
        "other_public_contracts", "grants", "ordinary_employees", "fleksjob", "loentilskud", "skaanejob", "smaajob",
        "virksomhedspraktik",
    ]

    /// Firms whose amounts are small multiples of one another, so that shares fall exactly on
    /// 50 % and 20 % often; staff around the § 65 limit of 50; zero revenue and zero staff.
    static func firms(_ count: Int) -> String {
        var random = SplitMix64(seed: 16)
        var lines = [columns.joined(separator: ",")]
        for row in 1...count {
            func money() -> String {
                random.chance(1, in: 8) ? "0.00" : "\(random.next(4) * 250_000).\(random.pick(["00", "00", "01", "99"]))"
            }
            let ordinary = random.chance(1, in: 3) ? 45 + random.next(12) : random.next(12)
            var cells = ["F\(row)", "\"Firma \(row), ApS\"", "10000009", "2024"]
            cells.append(random.chance(9, in: 10) ? "true" : "false")
            cells.append(random.pick(["0", "0", "49.99", "50", "50.00", "60"]))
            cells += [money(), money(), money(), money()]
            cells.append(String(ordinary))
            for _ in 0..<4 { cells.append(String(random.chance(1, in: 3) ? 0 : random.next(4))) }
            cells.append(String(random.next(14)))
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func theLimitAndSoeGiveTheSameOutcomeOnEveryRow() throws {
        var scratch = try HardeningScratch()
        defer { scratch.remove() }
        let csv = try scratch.write("firms.csv", Self.firms(3_000))
        let limit = scratch.path + "/soe-limit"
        let compiler = ProcessInfo.processInfo.environment["CC"] ?? "clang"
        let compile = Process()
        compile.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compile.arguments = [compiler, "-O2", "-o", limit, TestPaths.root + "/Sources/soe-bench/limit/soe-limit.c"]
        try compile.run()
        compile.waitUntilExit()
        try #require(compile.terminationStatus == 0, "the toolchain's clang compiles the limit")

        let run = Process()
        run.executableURL = URL(fileURLWithPath: limit)
        run.arguments = [csv, scratch.path + "/limit.csv"]
        try run.run()
        run.waitUntilExit()
        try #require(run.terminationStatus == 0)
        let soe = try runSoe([
            "evaluate", "--rules", "rules/anden_aktoer.rules", csv, "--output", scratch.path + "/soe.csv", "--lang", "en", "--layout",
            "long",
        ])
        try #require(soe.exitCode == 0, "\(soe.stderr)")

        let expected = try String(contentsOfFile: scratch.path + "/limit.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let rows = try String(contentsOfFile: scratch.path + "/soe.csv", encoding: .utf8).split(separator: "\n")
        let header = rows[0].split(separator: ",", omittingEmptySubsequences: false)
        let id = try #require(header.firstIndex(of: "id"))
        let status = try #require(header.firstIndex(of: "status"))
        let outcome = try #require(header.firstIndex(of: "outcome"))
        #expect(rows.count - 1 == 3_000 && expected.count == 3_000)
        var seen: [String: Int] = [:]
        for (row, limitLine) in zip(rows.dropFirst(), expected) {
            // The generated ids, names and outcomes hold no quote; a name holds a comma, so split
            // the quoted name away first.
            let fields = Self.split(String(row))
            let said = fields[status] == "determined" ? fields[outcome] : fields[status]
            #expect("\(fields[id]),\(said)" == limitLine)
            seen[said, default: 0] += 1
        }
        // Every outcome of the rule set is reached, so that each of the limit's branches was compared.
        #expect(Set(seen.keys) == ["not_eligible", "public_controlled", "anden_aktoer", "social_economy", "ordinary"], "\(seen)")
        scratch.expectNothingLost(outputs: ["soe-limit", "limit.csv", "soe.csv"])
    }

    /// Splits one CSV line of RFC 4180 fields, quotes removed.
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var previous: Character?
        for character in line {
            if character == "\"" {
                if quoted == false, previous == "\"" { field.append("\"") }
                quoted.toggle()
            } else if character == ",", !quoted {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
            previous = character
        }
        fields.append(field)
        return fields
    }
}
