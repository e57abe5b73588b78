import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The duplicate check (`FirmYearSet`) and its prefetch against a plain `Set` of firm-years: the
/// prefetch the one-thread batch and the chunk relay issue before `insert` must change nothing.
@Suite("the duplicate check against a plain set")
struct FirmYearSetTests {
    struct FirmYear: Hashable {
        let cvrIndex: Int
        let year: Int
    }

    /// What `insert` must answer, kept the plain way: out-of-range indices and years past
    /// `maxYears` distinct ones are never flagged, and the latter mark the set overflowed.
    struct Model {
        var seen: Set<FirmYear> = []
        var years: [Int] = []
        var overflowed = false

        mutating func insert(cvrIndex: Int, year: Int) -> Bool {
            guard cvrIndex >= 0, cvrIndex < FirmYearSet.possibleFirms else { return false }
            if !years.contains(year) {
                guard years.count < FirmYearSet.maxYears else {
                    overflowed = true
                    return false
                }
                years.append(year)
            }
            return !seen.insert(FirmYear(cvrIndex: cvrIndex, year: year)).inserted
        }
    }

    @Test("generated firm-years with repeats, runs of one year, out-of-range indices and too many years", arguments: [1, 2, 3])
    func generated(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let edges = [0, 1, 63, 64, 262_143, 262_144, 8_999_999, -1, -262_144, 9_000_000, 9_000_063, Int.max, Int.min]
        let pool = edges + (0..<400).map { _ in random.next(FirmYearSet.possibleFirms) }
        // More distinct years than are tracked, the later ones met only late.
        let yearPool = (0..<(FirmYearSet.maxYears + 8)).map { 1990 + $0 * 3 }
        var set = FirmYearSet()
        var model = Model()
        var year = yearPool[0]
        var flagged = 0
        for step in 0..<30_000 {
            // Years come in runs, as in a batch, with switches, and the pool widens over time.
            if random.chance(1, in: 40) { year = yearPool[random.next(min(yearPool.count, 4 + step / 300))] }
            let index = pool[random.next(pool.count)]
            // The prefetch for this firm-year, and now and then for another one (the relay's look-ahead).
            set.prefetch(cvrIndex: index, year: year)
            if random.chance(1, in: 3) {
                set.prefetch(cvrIndex: pool[random.next(pool.count)], year: yearPool[random.next(yearPool.count)])
            }
            let got = set.insert(cvrIndex: index, year: year)
            let expected = model.insert(cvrIndex: index, year: year)
            if got != expected {
                Issue.record("step \(step): insert(\(index), \(year)) is \(got), a plain set says \(expected)")
                return
            }
            if got { flagged += 1 }
            if set.overflowed != model.overflowed {
                Issue.record("step \(step): overflowed is \(set.overflowed), a plain set says \(model.overflowed)")
                return
            }
        }
        #expect(model.overflowed && flagged > 1000, "the generated steps reach every case")
    }

    @Test("a batch flags exactly the rows a plain set of CVR numbers and years would", arguments: [1, 2, 3])
    func batch(jobs: Int) throws {
        var random = SplitMix64(seed: 16)
        let cvrs = (0..<60).map { _ in PlainResultRowTests.validCVR(&random) }
        var model: Set<String> = []
        var expected: [String] = []
        var lines = [BatchFixtures.header]
        for row in 0..<3_000 {
            let cvr = random.pick(cvrs)
            let year = String(2020 + random.next(7))
            let id = "R\(row)"
            lines.append(BatchFixtures.goodRow(id: id, cvr: cvr, year: year))
            if !model.insert(cvr + "/" + year).inserted { expected.append(id) }
        }
        // From a file, as the command line reads one: with more than one job, through the chunk relay.
        let (end, bytes) = try BatchChunkTests.runFile(
            Array((lines.joined(separator: "\n") + "\n").utf8), options: BatchChunkTests.options(jobs: jobs, blockSize: 64))
        let output = String(decoding: bytes, as: UTF8.self)
        let summary = try #require(BatchFixtures.summary(end))
        let duplicate = BatchWords(.english).duplicate
        var flagged: [String] = []
        for row in BatchFixtures.rows(output) where BatchFixtures.field(row, "warning").contains(duplicate) {
            let id = BatchFixtures.field(row, "id")
            if flagged.last != id { flagged.append(id) }
        }
        #expect(flagged == expected)
        #expect(summary.duplicates == expected.count && expected.count > 1000)
    }

    @Test("the first firm-year of a set, whatever its year, is new, and its repeat is not: no year stands for 'none looked up yet'")
    func firstYearOfAnySet() {
        for year in [-1, 0, 1, 2024, Int.max] {
            var set = FirmYearSet()
            set.prefetch(cvrIndex: 5, year: year)
            let first = set.insert(cvrIndex: 5, year: year)
            set.prefetch(cvrIndex: 5, year: year)
            let again = set.insert(cvrIndex: 5, year: year)
            let other = set.insert(cvrIndex: 6, year: year)
            #expect(!first && again && !other, "year \(year)")
        }
    }
}
