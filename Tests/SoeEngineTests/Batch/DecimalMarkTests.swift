import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// A number whose meaning depends on the decimal mark is never guessed (issue 17, class 4): in a
/// `;`-separated CSV written with decimal points, `3.600` was read as 3,600 % and the result
/// changed, exit 0.
@Suite("decimal mark: 3.600 is never guessed")
struct DecimalMarkTests {
    static let rules = """
        ruleset d "Rabat"
          in force from 2020-01-01

        input discount_rate: percent "Rabat"
        input revenue: money "Omsætning"

        classify
          high "Høj" when discount_rate > 10 %
          otherwise low "Lav"
        """

    /// Runs `soe evaluate` on a CSV (or JSON) text in a scratch folder; the input must come out
    /// byte-identical, and no other file may appear beside it.
    static func evaluate(_ data: String, name: String = "firms.csv", _ extra: [String] = []) throws -> ProcessResult {
        let folder = NSTemporaryDirectory() + "soe-decimal-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try rules.write(toFile: folder + "/d.rules", atomically: true, encoding: .utf8)
        try data.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        // A batch's results in the long layout, whose columns these tests read.
        let layout = name.hasSuffix(".csv") ? ["--layout", "long"] : []
        let result = try runSoe(["evaluate"] + layout + ["--rules", folder + "/d.rules"] + extra + [folder + "/" + name])
        #expect(try String(contentsOfFile: folder + "/" + name, encoding: .utf8) == data)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["d.rules", name].sorted())
        return result
    }

    /// The result rows of a CSV result, without the header.
    static func rows(_ stdout: String) -> [String] {
        Array(stdout.split(separator: "\n").dropFirst().map(String.init))
    }

    static let pointFile = "id;fiscal_year;discount_rate;revenue\n1;2024;12.5;1000.50\n2;2024;3.600;2000\n3;2024;4;10\n"

    @Test("a ';' file written with decimal points: 3.600 is refused with both readings and --dialect; no row is lost")
    func semicolonWithPoints() throws {
        let result = try Self.evaluate(Self.pointFile)
        #expect(result.exitCode == 4, "\(result.stderr)")
        let rows = Self.rows(result.stdout)
        #expect(rows.count == 3, "every row has its result: \(rows)")
        let refused = try #require(rows.first { $0.hasPrefix("3;2;") })
        for word in ["rejected", "3600 %", "3.6 %", "--dialect excel-da", "--dialect semicolon-point", "12.5"] {
            #expect(refused.contains(word), "'\(word)' not in \(refused)")
        }
        // The row written with a decimal point is told which dialect reads it.
        #expect(rows.first { $0.hasPrefix("2;1;") }?.contains("--dialect semicolon-point") == true)
        #expect(rows.first { $0.hasPrefix("4;3;") }?.contains(";determined;low;") == true)
    }

    @Test("given --dialect semicolon-point, the same file reads 3.600 as 3.6 %; given excel-da, as 3600 %")
    func settledByDialect() throws {
        let point = try Self.evaluate(Self.pointFile, ["--dialect", "semicolon-point"])
        #expect(point.exitCode == 0, "\(point.stdout)\(point.stderr)")
        #expect(Self.rows(point.stdout).first { $0.hasPrefix("3;2;") }?.contains(";determined;low;") == true)
        let danish = try Self.evaluate(Self.pointFile, ["--dialect", "excel-da"])
        #expect(Self.rows(danish.stdout).first { $0.hasPrefix("3;2;") }?.contains(";determined;high;") == true)
    }

    @Test("a ';' file written with decimal commas reads 3.600 as 3600, as a Dane means")
    func semicolonWithCommas() throws {
        let result = try Self.evaluate("id;fiscal_year;discount_rate;revenue\n1;2024;12,5;1000,50\n2;2024;3.600;2000\n")
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(Self.rows(result.stdout).allSatisfy { $0.contains(";determined;high;") })
    }

    @Test("the row's own cells count as evidence: 1,5 beside 3.600 settles it")
    func rowEvidence() throws {
        let result = try Self.evaluate("id;fiscal_year;discount_rate;revenue\n1;2024;3.600;1,5\n")
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(";determined;high;"))
    }

    @Test("with nothing to show the decimal mark, 3.600 is refused, in Danish with --lang da")
    func noEvidence() throws {
        let result = try Self.evaluate("id;fiscal_year;discount_rate;revenue\n1;2024;3.600;2000\n", ["--lang", "da"])
        #expect(result.exitCode == 4)
        for word in ["rejected", "kan være 3600 %", "3.6 %", "intet andet tal", "--dialect semicolon-point"] {
            #expect(result.stdout.contains(word), "'\(word)' not in \(result.stdout)")
        }
    }

    @Test("a ',' file with a Danish decimal comma elsewhere refuses 3.600; with decimal points it reads 3.6")
    func commaSeparated() throws {
        let danish = try Self.evaluate("id,fiscal_year,discount_rate,revenue\n1,2024,\"12,5\",1\n2,2024,3.600,2\n")
        let refused = try #require(Self.rows(danish.stdout).first { $0.hasPrefix("3,2,") })
        #expect(refused.contains("rejected") && refused.contains("--dialect rfc4180") && refused.contains("write 3600 without the point"))
        let point = try Self.evaluate("id,fiscal_year,discount_rate,revenue\n1,2024,12.5,1\n2,2024,3.600,2\n")
        #expect(point.exitCode == 0, "\(point.stdout)")
        #expect(point.stdout.contains("\n3,2,,,2024,d,determined,low,"), "\(point.stdout)")
    }

    @Test("the parallel batch decides as the sequential one")
    func parallel() throws {
        let result = try Self.evaluate(Self.pointFile, ["--jobs", "2"])
        let sequential = try Self.evaluate(Self.pointFile)
        #expect(result.stdout == sequential.stdout)
    }

    @Test("a JSON text \"3.600\" is refused with both readings; the JSON number 3.600 is 3.6")
    func json() throws {
        let text = try Self.evaluate(#"{"fiscal_year": 2024, "discount_rate": "3.600", "revenue": 1}"#, name: "firm.json")
        #expect(text.exitCode != 0)
        for word in ["\"3.600\" could be 3600 %", "3.6 %", "write \"3.6 %\" or \"3600 %\""] {
            #expect(text.stderr.contains(word), "'\(word)' not in \(text.stderr)")
        }
        let number = try Self.evaluate(#"{"fiscal_year": 2024, "discount_rate": 3.600, "revenue": 1}"#, name: "firm.json")
        #expect(number.exitCode == 0, "\(number.stderr)")
        #expect(number.stdout.contains("Lav"))
    }

    struct Written: Sendable, CustomTestStringConvertible {
        var text: String
        var ambiguous: Bool
        var evidence: DecimalMarkEvidence?
        var testDescription: String { text }
    }

    static let written: [Written] = [
        Written(text: "3.600", ambiguous: true, evidence: nil),
        Written(text: " -1.000 % ", ambiguous: true, evidence: nil),
        Written(text: "123.456", ambiguous: true, evidence: nil),
        Written(text: "0.125", ambiguous: false, evidence: .point),
        Written(text: "12.5", ambiguous: false, evidence: .point),
        Written(text: "1234.500", ambiguous: false, evidence: .point),
        Written(text: "12,5", ambiguous: false, evidence: .comma),
        Written(text: "1.234,50", ambiguous: false, evidence: .comma),
        Written(text: "1.234.567", ambiguous: false, evidence: .comma),
        Written(text: "1234", ambiguous: false, evidence: nil),
        Written(text: "−3.600", ambiguous: true, evidence: nil),
        Written(text: "3.6000", ambiguous: false, evidence: .point),
        Written(text: "03.600", ambiguous: false, evidence: .point),
        Written(text: "1.2.3", ambiguous: false, evidence: nil),
        Written(text: "abc", ambiguous: false, evidence: nil),
    ]

    @Test("what a written number shows about its decimal mark", arguments: written)
    func classification(_ written: Written) {
        #expect((DecimalMark.ambiguous(written.text) != nil) == written.ambiguous)
        #expect(DecimalMark.isAmbiguous(written.text) == written.ambiguous)
        #expect(DecimalMark.evidence(written.text) == written.evidence)
    }
}
