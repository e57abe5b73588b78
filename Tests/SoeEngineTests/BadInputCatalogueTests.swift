import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage
@testable import SoeLint

/// A catalogue of bad input (issue 6): the rule files and firm files that a policy officer, a
/// caseworker or a hostile sender could hand `soe`, each run through the real binary. Every case
/// expects one clear message at the right place and the documented exit code, never a crash. The
/// inputs live in `Fixtures/bad/` so that each can be tried by hand; only the huge ones, and the
/// ones whose bytes a checkout could rewrite (CRLF), are made by the test.
@Suite("bad input catalogue")
struct BadInputCatalogueTests {
    static let rules = "Tests/SoeEngineTests/Fixtures/bad/rules"
    static let firms = "Tests/SoeEngineTests/Fixtures/bad/firm"
    /// A rule set with one input of every type, so that data of every type can be given wrong.
    static let allTypes = firms + "/all_types.rules"

    /// One bad input: the command, the exit code, and what must be on standard output and error.
    struct Case: Sendable, CustomTestStringConvertible {
        var note: String
        var arguments: [String]
        var exitCode: Int32
        /// Whole lines that must appear on standard output, in this order.
        var stdout: [String] = []
        /// Whole lines that must appear on standard error, in this order.
        var stderr: [String] = []
        var testDescription: String { note }
    }

    /// What one run of the binary printed and how it ended.
    struct Run {
        var stdout: String
        var stderr: String
        var exitCode: Int32
    }

    /// Collects one pipe's bytes on a reader thread.
    final class Collected: @unchecked Sendable {
        var data = Data()
    }

    /// The sanitizers' settings, passed on to the binary: under `swift test --sanitize=address` it is
    /// instrumented too, and must be told what the test run was told (`detect_leaks=0`).
    static let sanitizerOptions = ProcessInfo.processInfo.environment.filter {
        ["ASAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"].contains($0.key)
    }

    /// Runs the built `soe` as `runSoe` does, with two differences that a catalogue of hostile input
    /// needs: both pipes are drained at once (a child that fills standard error while the test waits
    /// on standard output would block forever), and a run that does not end within `timeout` seconds
    /// is killed and fails the test, so that an engine that hangs on an input cannot hang the suite.
    static func run(
        _ arguments: [String], timeout: Double = 120,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Run {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var binary = bundleDirectory.appendingPathComponent("soe").path
        if !FileManager.default.isExecutableFile(atPath: binary) { binary = TestPaths.root + "/.build/debug/soe" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: TestPaths.root)
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C"].merging(sanitizerOptions) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let group = DispatchGroup()
        let collected = (Collected(), Collected())
        DispatchQueue.global().async(group: group) { collected.0.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { collected.1.data = err.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            Issue.record(
                "soe \(arguments.joined(separator: " ")) did not end within \(Int(timeout)) s: it was killed",
                sourceLocation: sourceLocation)
        }
        process.waitUntilExit()
        group.wait()
        return Run(
            stdout: String(decoding: collected.0.data, as: UTF8.self), stderr: String(decoding: collected.1.data, as: UTF8.self),
            exitCode: process.terminationStatus)
    }

    /// Runs a case and checks its exit code and every expected line.
    static func expect(_ testCase: Case, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let result = try run(testCase.arguments, sourceLocation: sourceLocation)
        #expect(
            result.exitCode == testCase.exitCode, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)",
            sourceLocation: sourceLocation)
        expectLines(testCase.stdout, in: result.stdout, sourceLocation: sourceLocation)
        expectLines(testCase.stderr, in: result.stderr, sourceLocation: sourceLocation)
    }

    /// Each expected line is a line of the output, after the one before it.
    static func expectLines(_ expected: [String], in output: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var from = 0
        for line in expected {
            guard let found = lines[from...].firstIndex(of: line) else {
                Issue.record("missing line:\n  \(line)\nin:\n\(output)", sourceLocation: sourceLocation)
                return
            }
            from = found + 1
        }
    }

    /// A scratch folder for generated inputs, removed by the caller.
    static func scratchFolder() throws -> String {
        let path = NSTemporaryDirectory() + "soe-bad-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    // MARK: Rule files

    static func check(_ file: String) -> [String] { ["check", "--format", "short", rules + "/" + file] }

    static let ruleCases: [Case] = [
        Case(
            note: "an empty file", arguments: check("empty.rules"), exitCode: 3,
            stdout: [
                "\(rules)/empty.rules:1:1: error: the rule file has no declarations; it should start with 'ruleset' [E112]", "1 error",
            ]),
        Case(
            note: "a file of only comments is as empty as an empty one", arguments: check("only_comments.rules"), exitCode: 3,
            stdout: ["\(rules)/only_comments.rules:1:1: error: the rule file has no declarations; it should start with 'ruleset' [E112]"]),
        Case(
            note: "an unterminated string ends at the line break, with a fix", arguments: check("unterminated_string.rules"), exitCode: 3,
            stdout: ["\(rules)/unterminated_string.rules:1:11: error: text in quotes does not end on this line [E003]", "1 error"]),
        Case(
            note: "unbalanced brackets: the missing ')' at the end of its line, the extra one where it stands",
            arguments: check("unbalanced_brackets.rules"), exitCode: 3,
            stdout: [
                "\(rules)/unbalanced_brackets.rules:7:38: error: expected ')' to close the '(' opened here, found the end of the declaration [E103]",
                "\(rules)/unbalanced_brackets.rules:8:51: error: unexpected ')' after the formula [E105]", "2 errors",
            ]),
        Case(
            note: "bytes that are not UTF-8 (Latin-1 æ): the byte, its offset and what to do", arguments: check("not_utf8.rules"),
            exitCode: 3,
            stdout: ["\(rules)/not_utf8.rules:2:19: error: the file is not valid UTF-8 (byte 0xE6 at offset 35); save it as UTF-8 [E001]"]),
        Case(
            note: "a byte-order mark, as Windows editors write it, is accepted", arguments: check("byte_order_mark.rules"), exitCode: 0,
            stdout: ["checked 1 rule set (t): no errors"]),
        Case(
            note: "after a byte-order mark, columns on line 1 count as an editor counts them",
            arguments: check("byte_order_mark_error.rules"), exitCode: 3,
            stdout: ["\(rules)/byte_order_mark_error.rules:1:11: error: text in quotes does not end on this line [E003]"]),
        Case(
            note: "tabs for indentation and between tokens are accepted", arguments: check("tabs.rules"), exitCode: 0,
            stdout: ["checked 1 rule set (t): no errors"]),
        Case(
            note: "a tab counts as one column, and the snippet shows it as one space so the caret lines up",
            arguments: ["check", rules + "/tabs_error.rules"], exitCode: 3,
            stdout: [
                "error[E206]: '1_000_000' is a bare number used with an amount; write '1_000_000 kr'",
                " --> \(rules)/tabs_error.rules:7:43",
                "  |",
                "7 | criterion big \"Stor omsætning\" = sales >= 1_000_000 and share >= 50 %",
                "  |                                           ^^^^^^^^^",
            ]),
        Case(
            note: "three rule sets that build on each other in a circle", arguments: check("cycle/a.rules"), exitCode: 3,
            stdout: ["\(rules)/cycle/c.rules:1:31: error: rule sets build on each other in a circle: a → b → c → a [E302]", "1 error"]),
        Case(
            note: "builds on a rule set whose file does not exist: the file that was looked for",
            arguments: check("missing_parent.rules"), exitCode: 3,
            stdout: [
                "\(rules)/missing_parent.rules:1:41: error: cannot find the rule set 'national_2030': expected the file \(rules)/national_2030.rules [E301]"
            ]),
        Case(
            note: "a reserved word as a name", arguments: check("reserved_yes.rules"), exitCode: 3,
            stdout: ["\(rules)/reserved_yes.rules:4:7: error: 'yes' is a reserved word and cannot be used as the input's name [E113]"]),
        // Needs the checker patch (Checker.builtinNames): before it, `min(sales, min)` checked and read as nonsense.
        Case(
            note: "a value named like the built-in function min", arguments: check("builtin_min.rules"), exitCode: 3,
            stdout: [
                "\(rules)/builtin_min.rules:7:7: error: 'min' is the built-in function min(…) and cannot be the name of a value [E113]",
                "1 error",
            ]),
        // Needs the checker patch: `kr > 5 kr` beside an input called kr.
        Case(
            note: "an input named like the unit of amounts", arguments: check("builtin_kr.rules"), exitCode: 3,
            stdout: ["\(rules)/builtin_kr.rules:4:7: error: 'kr' is the unit of amounts (12 kr) and cannot be the name of an input [E113]"]),
        // Needs the checker patch (Checker.untestableChoices): before it, `status is known` silently meant "status is given".
        Case(
            note: "a choice named 'known', which 'x is known' can never test", arguments: check("choice_known.rules"), exitCode: 3,
            stdout: [
                "\(rules)/choice_known.rules:4:22: error: 'known' cannot be a choice: 'x is known' tests whether x is given, so this choice could never be tested [E113]"
            ]),
    ]

    @Test("rule files: each bad one gives a clear error and exit code 3, each odd but good one checks", arguments: ruleCases)
    func ruleFile(_ testCase: Case) throws {
        try Self.expect(testCase)
    }

    @Test("rule files: a byte-order mark is accepted by evaluate too")
    func byteOrderMarkEvaluates() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let firm = folder + "/firm.json"
        try Data(#"{"fiscal_year": 2024, "sales": 2000000, "share": 60}"#.utf8).write(to: URL(fileURLWithPath: firm))
        try Self.expect(
            Case(
                note: "", arguments: ["evaluate", "--lang", "en", "--rules", Self.rules + "/byte_order_mark.rules", firm],
                exitCode: 0, stdout: ["Result: Stor"]))
    }

    @Test("rule files: CRLF line ends are accepted, and a mistake is placed by line and column as in an editor")
    func crlfLineEnds() throws {
        // Made here rather than kept as a fixture: a checkout with autocrlf could rewrite the line ends.
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let good = """
            ruleset t "Test"
              in force from 2015-01-01
            input sales: money "Omsætning"
            criterion big "Stor" = sales >= 1_000 kr
            classify
              big "Stor" when big
              otherwise ordinary "Ordinær"

            """.replacingOccurrences(of: "\n", with: "\r\n")
        try Data(good.utf8).write(to: URL(fileURLWithPath: folder + "/good.rules"))
        try Self.expect(
            Case(
                note: "", arguments: ["check", folder + "/good.rules"], exitCode: 0,
                stdout: ["checked 1 rule set (t): no errors"]))
        let bad = good.replacingOccurrences(of: ">= 1_000 kr", with: ">= 1_000")
        try Data(bad.utf8).write(to: URL(fileURLWithPath: folder + "/bad.rules"))
        // The snippet line carries no stray carriage return, so the caret stays under the number.
        try Self.expect(
            Case(
                note: "", arguments: ["check", folder + "/bad.rules"], exitCode: 3,
                stdout: [
                    " --> \(folder)/bad.rules:4:33",
                    "4 | criterion big \"Stor\" = sales >= 1_000",
                    "  | " + String(repeating: " ", count: 32) + "^^^^^",
                ]))
    }

    @Test("rule files: 100,000 nested parentheses give one nesting error, not a stack overflow")
    func deepParentheses() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text =
            "ruleset t \"Test\"\n  in force from 2015-01-01\ninput sales: money\nvalue v = "
            + String(repeating: "(", count: 100_000) + "sales" + String(repeating: ")", count: 100_000) + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/deep.rules"))
        try Self.expect(
            Case(
                note: "", arguments: ["check", "--format", "short", folder + "/deep.rules"], exitCode: 3,
                stdout: [
                    "\(folder)/deep.rules:4:77: error: formula nested more than \(Parser.maxDepth) levels deep (a pair of parentheses counts 3, so at most \(Parser.maxParentheses) pairs nest; 'if', 'not', a minus sign and each operator of a chain such as a + b + c … count 1 each); split it into values [E401]",
                    "1 error",
                ]))
    }

    @Test("rule files: a 50 MB file is refused by its size (E402), without being parsed")
    func fiftyMegabytes() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/huge.rules"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let header = "ruleset huge \"Huge\"\n  in force from 2015-01-01\n"
        try handle.write(contentsOf: Data(header.utf8))
        let block = Data(String(repeating: "# " + String(repeating: "x", count: 97) + "\n", count: 10_000).utf8)
        for _ in 0..<(50 * 1024 * 1024 / block.count) { try handle.write(contentsOf: block) }
        try handle.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > 50_000_000)
        // Exit code 3 like every other rule the file breaks: the size limit is the language's, not the disk's.
        try Self.expect(
            Case(
                note: "", arguments: ["check", "--format", "short", path], exitCode: 3,
                stdout: ["\(path):1:1: error: the rule file is \(size) bytes; the limit is \(RuleLoader.maxFileSize) [E402]", "1 error"]))
        try Self.expect(
            Case(
                note: "", arguments: ["evaluate", "--rules", path, "samples/minimal/cafe.json"], exitCode: 3,
                stderr: [
                    "error[E402]: the rule file is \(size) bytes; the limit is \(RuleLoader.maxFileSize)",
                    "soe evaluate: the rules have 1 error; nothing was evaluated",
                ]))
    }

    // MARK: Firm data (JSON)

    static func evaluate(_ file: String, rules: String = allTypes) -> [String] {
        ["evaluate", "--lang", "en", "--rules", rules, firms + "/" + file]
    }

    static func dataError(_ file: String, _ place: String, _ message: String) -> String {
        "\(firms)/\(file):\(place): error: \(message)"
    }

    static let firmCases: [Case] = [
        Case(
            note: "malformed JSON (a missing comma): the line and column where it went wrong",
            arguments: evaluate("malformed.json"), exitCode: 4,
            stderr: [dataError("malformed.json", "4:3", "not valid JSON: expected ',' or '}' after object member")]),
        Case(
            note: "a truncated file: the object that is never closed", arguments: evaluate("truncated.json"), exitCode: 4,
            stderr: [dataError("truncated.json", "1:1", "not valid JSON: unterminated object")]),
        Case(
            note: "an empty file", arguments: evaluate("empty.json"), exitCode: 4,
            stderr: [dataError("empty.json", "1:1", "not valid JSON: empty document")]),
        Case(
            note: "a wrong type for every type of input, all reported at once, in file order",
            arguments: evaluate("wrong_types.json"), exitCode: 4,
            stderr: [
                dataError("wrong_types.json", "4:3", "revenue: expected an amount in kroner, such as 4200000.50, found true"),
                dataError(
                    "wrong_types.json", "5:3",
                    "ownership: \"halvdelen\" is not a percent, such as 12.5 %; write it in digits with a percent sign, as 30 %"
                ),
                // Needs the Cell.swift patch: the hint used to ask for "a whole number with a decimal point".
                dataError(
                    "wrong_types.json", "6:3",
                    "staff: \"tolv\" is not a whole number, such as 12; write it in digits, as 12"),
                dataError("wrong_types.json", "7:3", "ratio: an input is a single value, not a list or an object"),
                dataError("wrong_types.json", "8:3", "registered: \"måske\" is not yes or no (ja/nej, sand/falsk, true/false)"),
                dataError(
                    "wrong_types.json", "9:3",
                    "founded: \"12/31/2020\" is not a date such as 2024-06-30, 30-06-2024 or 30.06.2024; \"12/31/2020\" puts the month first, as American programs write dates; write 2020-12-31"
                ),
                dataError("wrong_types.json", "10:3", "note: expected text in quotes, found the number 42"),
                dataError("wrong_types.json", "11:3", "legal_form: \"aktieselskab\" is not one of aps, as, forening"),
            ]),
        Case(
            note: "thousands separators in an amount", arguments: evaluate("thousands_separator.json"), exitCode: 4,
            stderr: [
                dataError(
                    "thousands_separator.json", "4:3",
                    "revenue: \"1,234,567.50\" is not an amount in kroner, such as 4200000.50; write it with a decimal point and no thousands separators"
                )
            ]),
        Case(
            note: "a Danish decimal comma in a text amount", arguments: evaluate("decimal_comma_text.json"), exitCode: 4,
            stderr: [
                dataError(
                    "decimal_comma_text.json", "4:3",
                    "revenue: \"1.234,50\" is not an amount in kroner, such as 4200000.50; write it with a decimal point and no thousands separators"
                )
            ]),
        // Needs the JSONReader patch: before it, the message asked for a key after the comma.
        Case(
            note: "a Danish decimal comma in a JSON number is named as such, at the comma",
            arguments: evaluate("decimal_comma_number.json"), exitCode: 4,
            stderr: [
                dataError(
                    "decimal_comma_number.json", "4:18",
                    "not valid JSON: a decimal comma in a number; JSON numbers use a decimal point, as in 1234.50")
            ]),
        Case(
            note: "NaN is not JSON", arguments: evaluate("nan.json"), exitCode: 4,
            stderr: [dataError("nan.json", "4:14", "not valid JSON: expected a value, found 'N'")]),
        Case(
            note: "Infinity is not JSON", arguments: evaluate("infinity.json"), exitCode: 4,
            stderr: [dataError("infinity.json", "4:14", "not valid JSON: expected a value, found 'I'")]),
        Case(
            note: "-0 is accepted as 0 for money, percent and count", arguments: evaluate("negative_zero.json"), exitCode: 0,
            stdout: [
                "  revenue = 0.00 kr (Omsætning, \(firms)/negative_zero.json /revenue line 4)",
                "  ownership = 0 % (Ejerandel, \(firms)/negative_zero.json /ownership line 5)",
                "  staff = 0 (Ansatte, \(firms)/negative_zero.json /staff line 6)",
            ]),
        Case(
            note: "1e400 is outside the exact range, not infinity", arguments: evaluate("exponent_400.json"), exitCode: 4,
            stderr: [dataError("exponent_400.json", "4:3", "revenue: 1e400 cannot be read exactly: number is outside the exact range")]),
        Case(
            note: "an amount one past the exact range (2^127 øre… kroner) is refused, not wrapped",
            arguments: evaluate("past_exact_range.json"), exitCode: 4,
            stderr: [
                dataError(
                    "past_exact_range.json", "4:3",
                    "revenue: 170141183460469231731687303715884105728 cannot be read exactly: number is outside the exact range")
            ]),
        Case(
            note: "negative revenue where the rules declare 'min 0 kr'", arguments: evaluate("negative_revenue.json"), exitCode: 4,
            stderr: [dataError("negative_revenue.json", "4:3", "revenue: -1500.00 kr is below the minimum 0.00 kr")]),
        Case(
            note: "a percent of 101 where the rules declare 'max 100 %'", arguments: evaluate("percent_101.json"), exitCode: 4,
            stderr: [dataError("percent_101.json", "4:3", "ownership: 101 % is above the maximum 100 %")]),
        // The screening counts staff by kind and adds them up; there is no total to contradict. 12
        // people on special terms in a firm of 10 can only be written as -2 ordinary employees.
        Case(
            note: "more disadvantaged staff than staff: only expressible as a negative count, which is refused",
            arguments: evaluate("more_disadvantaged_than_staff.json", rules: "rules/anden_aktoer.rules"), exitCode: 4,
            stderr: [dataError("more_disadvantaged_than_staff.json", "11:3", "ordinary_employees: a count cannot be negative")]),
        Case(
            note: "a CVR number whose check digit is wrong", arguments: evaluate("cvr_check_digit.json"), exitCode: 4,
            stderr: [
                dataError(
                    "cvr_check_digit.json", "3:3", "cvr: 13748137 is not a valid CVR number: the check digit does not match (modulus 11)")
            ]),
        Case(
            note: "the same key twice: which value is meant cannot be known", arguments: evaluate("duplicate_key.json"), exitCode: 4,
            stderr: [
                dataError("duplicate_key.json", "5:3", "revenue: the field appears more than once; which value is meant cannot be known")
            ]),
    ]

    @Test("firm data: each bad file gives file:line:col: error: field: reason and exit code 4", arguments: firmCases)
    func firmData(_ testCase: Case) throws {
        try Self.expect(testCase)
    }

    // MARK: Limits

    /// Writes a generated rule file into a scratch folder and runs `soe check --format short` on it.
    static func checkGenerated(
        _ text: String, _ expected: [String], exitCode: Int32 = 3,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/t.rules"))
        try expect(
            Case(
                note: "", arguments: ["check", "--format", "short", folder + "/t.rules"], exitCode: exitCode,
                stdout: expected.map { $0.replacingOccurrences(of: "FILE", with: folder + "/t.rules") }),
            sourceLocation: sourceLocation)
    }

    static let header = "ruleset t \"Test\"\n  in force from 2015-01-01\ninput sales: money\n"
    static let classify = "classify\n  otherwise ordinary \"Ordinær\"\n"

    // Needs the parser patch (operators count towards Parser.maxDepth): before it, the checker
    // recursed once per '+' and overflowed the stack.
    @Test("limit: a chain of 100,000 operators is as deep as 100,000 parentheses, and as refused")
    func operatorChain() throws {
        let text = Self.header + "value v = " + Array(repeating: "sales", count: 100_000).joined(separator: " + ") + "\n"
        try Self.checkGenerated(
            text,
            [
                "FILE:4:1595: error: formula nested more than \(Parser.maxDepth) levels deep (a pair of parentheses counts 3, so at most \(Parser.maxParentheses) pairs nest; 'if', 'not', a minus sign and each operator of a chain such as a + b + c … count 1 each); split it into values [E401]",
                "1 error",
            ])
    }

    // Needs the checker patch (Checker.maxNesting): before it, a chain of values defined in reverse
    // order recursed through the checker once per value and overflowed the stack.
    @Test("limit: values that use values 1,000 deep are refused with the chain, not a stack overflow")
    func definitionChain() throws {
        var text = Self.header
        for index in 0..<1_000 { text += "value v\(index) = v\(index + 1) + 1 kr\n" }
        text += "value v1000 = sales\n" + Self.classify
        try Self.checkGenerated(
            text,
            [
                "FILE:254:14: error: formula nested more than 500 levels deep, counting the 251 values and criteria it uses (v0 → v1 → v2 → … → v249 → v250); make the chain shorter [E401]",
                "1 error",
            ])
    }

    @Test("limit: a file of exactly the size limit is read; one byte more is refused")
    func fileSizeBoundary() throws {
        let body = Self.header + Self.classify + "# "
        let padding = RuleLoader.maxFileSize - body.utf8.count - 1
        let atLimit = body + String(repeating: "x", count: padding) + "\n"
        #expect(atLimit.utf8.count == RuleLoader.maxFileSize)
        try Self.checkGenerated(atLimit, ["checked 1 rule set (t): no errors"], exitCode: 0)
        try Self.checkGenerated(
            atLimit + "\n",
            ["FILE:1:1: error: the rule file is \(RuleLoader.maxFileSize + 1) bytes; the limit is \(RuleLoader.maxFileSize) [E402]"])
    }

    @Test("limit: more than Checker.maxDefinitions definitions")
    func tooManyDefinitions() throws {
        var text = Self.header
        for index in 0..<Checker.maxDefinitions { text += "value v\(index) = 1\n" }
        text += Self.classify
        // The input and 100,000 values: the last value is one too many.
        try Self.checkGenerated(
            text, ["FILE:100003:7: error: more than \(Checker.maxDefinitions) definitions in one rule set [E403]", "1 error"])
    }

    @Test("limit: more inputs than the evaluator tracks, more choices than a 'one of' holds")
    func tooManyInputsOrChoices() throws {
        var inputs = "ruleset t \"Test\"\n  in force from 2015-01-01\n"
        for index in 0...Checker.maxInputs { inputs += "input i\(index): money\n" }
        try Self.checkGenerated(
            inputs + Self.classify,
            ["FILE:259:7: error: a rule set may declare at most \(Checker.maxInputs) inputs [E403]", "1 error"])
        let choices = (0..<65).map { "k\($0)" }.joined(separator: ", ")
        try Self.checkGenerated(
            Self.header + "input kind: one of \(choices)\n" + Self.classify,
            ["FILE:4:13: error: a 'one of' type may list at most 64 choices [E403]", "1 error"])
    }

    @Test("limit: a number in a rule beyond the exact range is refused, not rounded")
    func literalPastExactRange() throws {
        let text =
            Self.header + "parameter cap: money policy \"p\" = 170141183460469231731687303715884105728 kr from 2015-01-01\n" + Self.classify
        try Self.checkGenerated(
            text,
            [
                "FILE:4:35: error: '170141183460469231731687303715884105728' cannot be read as an exact number: number is outside the exact range [E004]"
            ])
    }

    @Test("limit: a sum beyond the exact range is an overflow problem in the trace, never a wrap-around or a crash")
    func overflowWhileEvaluating() throws {
        let firm = """
            {"fiscal_year": 2024, "own_cvr": true, "public_ownership": 0,
             "market_sales": "100000000000000000000000000000000000000",
             "municipal_employment_services": "100000000000000000000000000000000000000",
             "other_public_contracts": 0, "grants": 0, "ordinary_employees": 4, "fleksjob": 1,
             "loentilskud": 0, "skaanejob": 0, "smaajob": 0, "virksomhedspraktik": 0}
            """
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(firm.utf8).write(to: URL(fileURLWithPath: folder + "/big.json"))
        try Self.expect(
            Case(
                note: "", arguments: ["evaluate", "--lang", "en", "--rules", "rules/anden_aktoer.rules", folder + "/big.json"],
                exitCode: 0,
                stdout: [
                    "Result: Undetermined",
                    "Computations without a result: market_sales + municipal_employment_services: the number is outside the exact range (rules/anden_aktoer.rules:69:3)",
                ]))
        let json = try Self.run(["evaluate", "--format", "json", "--rules", "rules/anden_aktoer.rules", folder + "/big.json"])
        #expect(json.exitCode == 0)
        #expect(json.stdout.contains(#""kind": "overflow""#))
    }

    // Needs the DiagnosticBag patch (E404): before it, each stray byte was kept and printed.
    @Test("limit: a file of garbage stops at 1,000 errors per stage, and says so")
    func tooManyErrors() throws {
        let text = Self.header + String(repeating: "@\n", count: 2_000)
        try Self.checkGenerated(
            text,
            [
                "FILE:1003:1: error: unexpected character '@' [E002]",
                "FILE:1003:1: error: too many errors; only the first 1000 are reported [E404]",
                "1001 errors",
            ])
    }

    // Needs the DiagnosticRenderer patch: before it, each of a million diagnostics printed the whole line.
    @Test("limit: a snippet of a megabyte-long line shows a window around the caret")
    func longLineSnippet() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = "ruleset t \"Test\" " + String(repeating: "x ", count: 500_000) + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/long.rules"))
        let result = try Self.run(["check", folder + "/long.rules"])
        #expect(result.exitCode == 3)
        // The first 160 bytes of the line, then an ellipsis; the caret under the first 'x'.
        Self.expectLines(
            [
                "error[E107]: unexpected 'x' in the rule set header; expected 'builds on', 'source', 'version', 'in force from', 'letter' or 'borderline'",
                "1 | ruleset t \"Test\" " + String(repeating: "x ", count: 71) + "x…",
                "  |                  ^",
            ], in: result.stdout)
        #expect(result.stdout.utf8.count < 10_000, "\(result.stdout.utf8.count) bytes of output")
    }

    // Needs the TraceBuilder patch: before it, listing the criteria an outcome uses walked each
    // shared value once per path to it, 2^60 times here.
    @Test("limit: values that each use the one before twice are explained in linear time", .timeLimit(.minutes(1)))
    func doublingValues() throws {
        var text = Self.header
        for index in 0..<60 { text += "value d\(index) = d\(index + 1) + d\(index + 1)\n" }
        text +=
            "value d60 = sales\ncriterion big \"Stor\" = d0 > 0 kr\nclassify\n  big \"Stor\" when big\n  otherwise ordinary \"Ordinær\"\n"
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/t.rules"))
        try Data(#"{"fiscal_year": 2024, "sales": 1}"#.utf8).write(to: URL(fileURLWithPath: folder + "/f.json"))
        try Self.expect(
            Case(
                note: "", arguments: ["evaluate", "--lang", "en", "--rules", folder + "/t.rules", folder + "/f.json"],
                exitCode: 0, stdout: ["Result: Stor"]))
    }

    // Needs the FirmReader patch (LineColumnCursor): before it, each key was placed by counting
    // from the start of the file, and this file took minutes.
    @Test("limit: a firm file of 50,000 keys on one line is read in one pass", .timeLimit(.minutes(1)))
    func manyKeysOnOneLine() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Comment keys are placed like any other key but print nothing, which keeps the output small.
        let keys = (0..<50_000).map { "\"_note_\($0)\": \($0)" }.joined(separator: ", ")
        try Data("{\"fiscal_year\": 2024, \(keys), \"extra\": 1}".utf8).write(to: URL(fileURLWithPath: folder + "/wide.json"))
        let result = try Self.run(["evaluate", "--lang", "en", "--rules", "rules/anden_aktoer.rules", folder + "/wide.json"])
        #expect(result.exitCode == 0)
        Self.expectLines(
            ["\(folder)/wide.json:1:1077803: warning: extra: not used by the rule sets in use (fields starting with '_' are comments)"],
            in: result.stderr)
    }

    @Test("unknown keys are placed by line and column across LF, CR LF, a lone CR and letters of two bytes")
    func keysPlacedAcrossLineBreaks() throws {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let firm = "{\"fiscal_year\": 2024,\r\n \"æøå\": 1, \"second\": 2,\r \"third\":\n\n 3, \"fourth\": 4}\r\n"
        try Data(firm.utf8).write(to: URL(fileURLWithPath: folder + "/breaks.json"))
        try Self.expect(
            Case(
                note: "", arguments: ["evaluate", "--rules", "rules/anden_aktoer.rules", folder + "/breaks.json"], exitCode: 0,
                stderr: [
                    "\(folder)/breaks.json:2:2: warning: æøå: not used by the rule sets in use (fields starting with '_' are comments)",
                    "\(folder)/breaks.json:2:12: warning: second: not used by the rule sets in use (fields starting with '_' are comments)",
                    "\(folder)/breaks.json:3:2: warning: third: not used by the rule sets in use (fields starting with '_' are comments)",
                    "\(folder)/breaks.json:5:5: warning: fourth: not used by the rule sets in use (fields starting with '_' are comments)",
                ]))
    }
}
