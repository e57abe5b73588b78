import Foundation
import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// A wide batch (CSV in the wide layout, xlsx) leaves the long layout's texts and pieces unmade
/// (`BatchResultWriter.longPieces`), as nothing in the wide path reads them. These tests run the
/// same batches with them made (`BatchOptions.longPiecesWhenWide`) and without, and compare every
/// byte: every bundled rule set and `BatchFixtures`' (plain and hostile texts), both languages,
/// with and without `--borderline`, the one-pointer rows on and off, one thread and two. The long
/// formats always make them: a long batch must say so.
@Suite("batch: a wide batch without the long layout's pieces writes what it wrote with them")
struct WideWithoutLongPiecesTests {
    static func run(
        _ input: String, format: BatchOutputFormat, layout: BatchResultLayout, language: Language, ruleSets: [RuleSet],
        longPieces: Bool, plain: Bool = true, jobs: Int = 1, borderline: Exact? = nil
    ) -> String {
        var options = BatchOptions(language: language, sourceName: "firms.csv")
        options.plainResultRows = plain
        options.longPiecesWhenWide = longPieces
        (options.jobs, options.blockSize, options.outputFormat, options.layout) = (jobs, 5, format, layout)
        options.borderline = borderline
        let sink = MemorySink()
        _ = BatchRunner(ruleSets: ruleSets, options: options).run(ArraySource(Array(input.utf8)), to: sink)
        return sink.text
    }

    /// The wide formats: CSV in the wide layout, and xlsx (whose sheet XML the sink receives).
    static let wideFormats: [(BatchOutputFormat, BatchResultLayout)] = [(.csv, .wide), (.xlsx, .wide)]

    @Test("BatchFixtures' rule sets, plain and hostile, both languages, borderline or not, one and two threads")
    func fixtures() {
        let input = WideKeptRowsTests.input(separator: ",", seed: 151)
        let share = Exact(numerator: 1, denominator: 20)
        for (format, layout) in Self.wideFormats {
            for language in [Language.english, .danish] {
                for rules in [BatchFixtures.ruleSets(), WideKeptRowsTests.hostile()] {
                    for (plain, jobs, borderline) in [(true, 1, nil), (false, 1, nil), (true, 2, nil), (true, 1, share)] {
                        let without = Self.run(
                            input, format: format, layout: layout, language: language, ruleSets: rules, longPieces: false,
                            plain: plain, jobs: jobs, borderline: borderline)
                        let with = Self.run(
                            input, format: format, layout: layout, language: language, ruleSets: rules, longPieces: true,
                            plain: plain, jobs: jobs, borderline: borderline)
                        #expect(
                            without == with, "\(format) \(layout) \(language) plain \(plain) jobs \(jobs) \(String(describing: borderline))"
                        )
                        for expected in ["undetermined", "rejected", "determined"] {
                            #expect(with.contains(expected), "no \(expected) result in the test's output")
                        }
                    }
                }
            }
        }
    }

    @Test("every bundled rule set over the sample batch, both languages, borderline or not")
    func bundled() throws {
        guard case .success(let loaded) = RuleLoader.load(path: TestPaths.rules) else {
            Issue.record("the bundled rules do not load")
            return
        }
        #expect(loaded.ruleSets.count > 1)
        let input = try String(contentsOfFile: TestPaths.root + "/samples/batch/firms.csv", encoding: .utf8)
        for (format, layout) in Self.wideFormats {
            for language in [Language.english, .danish] {
                for borderline in [nil, Exact(numerator: 1, denominator: 10)] {
                    // All the rule sets together, and each alone (the pieces are per rule set).
                    for rules in [loaded.ruleSets] + loaded.ruleSets.map({ [$0] }) {
                        let without = Self.run(
                            input, format: format, layout: layout, language: language, ruleSets: rules, longPieces: false,
                            borderline: borderline)
                        let with = Self.run(
                            input, format: format, layout: layout, language: language, ruleSets: rules, longPieces: true,
                            borderline: borderline)
                        #expect(without == with, "\(rules.map(\.name)) \(format) \(layout) \(language)")
                        #expect(with.count > 200)
                    }
                }
            }
        }
    }

    @Test("the writer makes the long layout's pieces for long results, and for wide ones only when asked")
    func whichWriters() throws {
        let rules = BatchFixtures.ruleSets()
        for format in BatchOutputFormat.allCases {
            for layout in [BatchResultLayout.long, .wide] {
                for asked in [false, true] {
                    let writer = BatchResultWriter(
                        ruleSets: rules, format: format, separator: UInt8(ascii: ","), language: .english, layout: layout,
                        longPiecesWhenWide: asked)
                    let wide = format == .xlsx || (format == .csv && layout == .wide)
                    #expect(writer.isWide == wide)
                    #expect(writer.longPieces == (!wide || asked), "\(format) \(layout) asked \(asked)")
                    #expect(writer.texts.count == (writer.longPieces ? rules.count : 0))
                    #expect(writer.headBase.count == (writer.longPieces ? rules.count : 0))
                }
            }
        }
    }
}
