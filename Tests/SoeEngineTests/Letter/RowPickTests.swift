import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// `soe evaluate --row N`: one row of a spreadsheet decided as one firm, so that a firm kept in a
/// caseworker's sheet gets its letter, dossier and trace without a firm file written by hand.
@Suite("a row of a batch file decided as one firm (--row)")
struct RowPickTests {
    /// The batch's own result of each row (long layout: row, status, outcome), by row number.
    static func batchResults(_ arguments: [String]) throws -> [Int: (status: String, outcome: String)] {
        let run = try runSoe(["evaluate"] + arguments + ["--layout", "long", "--lang", "en"])
        var results: [Int: (String, String)] = [:]
        let lines = run.stdout.split(separator: "\n")
        // The results are written in the input's dialect: `;` for a Danish export.
        let separator: Character = lines.first?.contains(";") == true ? ";" : ","
        let header = lines.first.map { $0.split(separator: separator, omittingEmptySubsequences: false).map(String.init) } ?? []
        let status = try #require(header.firstIndex(of: "status"))
        let outcome = try #require(header.firstIndex(of: "outcome"))
        for line in lines.dropFirst() {
            // The rows of the samples hold no quoted commas before these columns.
            let cells = line.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            guard let row = Int(cells[0]) else { continue }
            results[row] = (cells[status], cells[outcome])
        }
        return results
    }

    @Test("every row picked gets the batch's own decision: plain CSV, a Danish export as shown, JSON Lines")
    func sameAsTheBatch() throws {
        for (file, extra) in [
            ("samples/batch/firms.csv", [String]()), ("Tests/SoeEngineTests/Fixtures/spreadsheets/da-som-vist.csv", []),
            ("samples/batch/firms.jsonl", []),
        ] {
            let rules = ["--rules", "rules/anden_aktoer.rules"]
            let batch = try Self.batchResults(rules + [file] + extra)
            #expect(batch.count >= 8, "\(file): \(batch.count) rows")
            for (row, expected) in batch {
                let picked = try runSoe(["evaluate"] + rules + [file, "--row", String(row), "--format", "json"] + extra)
                #expect(picked.exitCode == 0, "\(file) row \(row): \(picked.stderr)")
                let trace = try #require(try JSONSerialization.jsonObject(with: Data(picked.stdout.utf8)) as? [String: Any])
                let result = try #require(trace["result"] as? [String: Any])
                #expect(result["status"] as? String == expected.status, "\(file) row \(row)")
                #expect((result["outcome"] as? String ?? "") == expected.outcome, "\(file) row \(row)")
                let input = try #require(trace["input"] as? [String: Any])
                // A JSON Lines row is named by its line, as the batch names it.
                #expect(input["source"] as? String == "\(file) \(file.hasSuffix(".jsonl") ? "line" : "row") \(row)")
            }
        }
    }

    @Test("a letter for a row of a workbook, with its decision date and case number")
    func letterFromAWorkbookRow() throws {
        let workbook = "Tests/SoeEngineTests/Fixtures/spreadsheets/xlsx-firms.xlsx"
        let letter = try runSoe([
            "evaluate", "--rules", "rules/anden_aktoer.rules", workbook, "--row", "3", "--format", "letter", "--lang", "da",
            "--decision-date", "2025-03-14", "--case-number", "24/12345",
        ])
        #expect(letter.exitCode == 0, "\(letter.stderr)")
        #expect(letter.stdout.hasPrefix("Kursuscentret Vejen ApS\nCVR 93167163\nDato: 14."), "\(letter.stdout)")
        #expect(letter.stdout.contains("2025\nSagsnr. 24/12345\n"), "\(letter.stdout)")
        #expect(letter.stdout.contains("Vurdering: Reel socialøkonomisk virksomhed eller anden aktør"), "\(letter.stdout)")
        // The batch's note on the unused columns is about its results, which a letter has not.
        #expect(!letter.stderr.contains("bruges ikke"), "\(letter.stderr)")
    }

    @Test("a row that is not there, the header, a rejected row, and flags a row cannot take: each said, nothing guessed")
    func refusals() throws {
        let folder = try ScratchFolder()
        try folder.write(
            "bad.csv",
            "id,name,cvr,fiscal_year,own_cvr,public_ownership,market_sales,municipal_employment_services,"
                + "other_public_contracts,grants,ordinary_employees,fleksjob,loentilskud,skaanejob,smaajob,virksomhedspraktik\n"
                + "F1,A,59903268,2024,true,0,100,100,0,0,9,1,1,1,1,1\nF2,B,13748136,2024,true,0,abc,900,0,0,9,1,1,1,1,1\n")
        let base = ["evaluate", "--rules", "rules/anden_aktoer.rules"]
        let bad = folder.path + "/bad.csv"
        for (arguments, exit, said) in [
            (
                [bad, "--row", "3", "--lang", "da"], Int32(4),
                "række 3, id F2: rækken er afvist under anden_aktoer: market_sales: \"abc\" er ikke et beløb"
            ),
            ([bad, "--row", "1"], 4, "has no row 1 of a firm: row 1 is the header row"),
            ([bad, "--row", "9"], 4, "has no row 9 of a firm: its last row is 3"),
            ([bad, "--row", "x"], 2, "--row takes a row number as the results' row column gives it"),
            (["samples/kaffekollektivet.json", "--row", "2"], 2, "a firm file is one firm already"),
            ([bad, "--row", "2", "--format", "record"], 2, "a row's record is made and verified with its batch"),
            ([bad, "--row", "2", "--jobs", "2"], 2, "--jobs applies to a batch; --row decides one row as one firm"),
            ([bad, "samples/batch/firms.csv", "--row", "2"], 2, "--row picks a row of one batch file; found 2 files"),
        ] {
            let run = try runSoe(base + arguments)
            #expect(run.exitCode == exit && run.stderr.contains(said), "\(arguments): \(run.exitCode) \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(arguments): \(run.stdout)")
        }
        // The batch's own records name the rejected row in the message's language.
        let records = try runSoe(base + [bad, "--format", "record", "--lang", "da"])
        #expect(records.stderr.contains("bad.csv række 3, id F2: ingen afgørelsespost under anden_aktoer"), "\(records.stderr)")
        // The good row of the same file is decided.
        let good = try runSoe(base + [bad, "--row", "2", "--brief"])
        #expect(good.exitCode == 0 && good.stdout.contains("A (CVR 59903268), fiscal year 2024"), "\(good.stdout)\(good.stderr)")
    }
}
