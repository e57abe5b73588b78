import SoeTestSupport
import Testing

@testable import SoeEngine
@testable import SoeLanguage

/// The steps of h-cf9 on the flat search (`CompiledSearch`): one comparison with the firm's value
/// per breakpoint (whether the value is itself a breakpoint, and the filter), a range from zero
/// checked by the numerator's sign (`RangeCheck.fromZero`), the declared end read out of the
/// range's fields (read once per rule set and day, `CompiledPlan.ranges`); and a moved atom's sign
/// past 128 bits, from its zero.
/// Each against the search it replaces (`Probe` through the compiled conditions, the search reading
/// every formula again, the general search), as text, so that every exact number's parts agree.
@Suite("bounds: the flat search's breakpoints and ranges (h-cf9)")
struct SearchStepTests {
    /// The firm's counterfactuals by the flat search, by `Probe` through the compiled conditions, by
    /// the flat search reading every formula again, and by the general search alone.
    static func all(_ evaluator: Evaluator, _ decision: Decision) throws -> [Counterfactuals] {
        let fast = try #require(evaluator.counterfactuals(of: decision))
        let probe = try #require(evaluator.counterfactuals(of: decision, fastPath: true, flat: false))
        let reference = try #require(evaluator.counterfactuals(of: decision, fastPath: true, incremental: false))
        let general = try #require(evaluator.counterfactuals(of: decision, fastPath: false))
        return [fast, probe, reference, general]
    }

    /// The same text from each search. The general search may give up on an input (inconclusive)
    /// that the compiled conditions settle (`CorpusTests`: a share of a total that is 0 at the
    /// firm's values): then its changes must still be the same, and each input it gave up on must
    /// be settled by the fast path.
    static func expectSame(_ sets: [Counterfactuals], _ note: String) {
        let texts = sets.map { String(describing: $0) }
        #expect(texts[0] == texts[1], "\(note)\nfast: \(texts[0])\nprobe: \(texts[1])")
        #expect(texts[0] == texts[2], "\(note)\nfast: \(texts[0])\nread again: \(texts[2])")
        let (fast, general) = (sets[0], sets[3])
        if general.inconclusive.isEmpty {
            #expect(texts[0] == texts[3], "\(note)\nfast: \(texts[0])\ngeneral: \(texts[3])")
        } else {
            #expect(
                String(describing: fast.changes) == String(describing: general.changes), "\(note)\nfast: \(texts[0])\ngeneral: \(texts[3])")
            for input in general.inconclusive {
                #expect(fast.unmovable.contains(input) || fast.changes.contains { $0.input == input }, "\(note) \(input)")
            }
        }
    }

    @Test("the screening on the threshold, one øre either side, and at zero: the flat search as every other search")
    func screeningEdges() throws {
        let cases = [
            ("500000.00", "500000.00"), ("500000.00", "499999.99"), ("500000.00", "500000.01"), ("0.00", "500000.00"),
            ("500000.00", "0.00"), ("0.00", "0.00"), ("0.01", "0.01"),
        ]
        for (ms, mes) in cases {
            let (_, evaluator, decision) = try BoundsTests.screening(
                "\"own_cvr\": true, \"public_ownership\": 0, \"market_sales\": \"\(ms)\", \"municipal_employment_services\": \"\(mes)\", \"other_public_contracts\": 0, \"grants\": 0, "
                    + BoundsTests.staff)
            #expect(decision.outcome != nil)
            Self.expectSame(try Self.all(evaluator, decision), "\(ms) \(mes)")
        }
    }

    @Test("a breakpoint on the firm's value and on the range's closed end (min 0 kr), and one øre from it")
    func breakpointAtValue() throws {
        // `a > 0 kr` at a = 0: the value is a breakpoint and the range's own end; at 0.01 kr the
        // breakpoint is one øre below, on the end; `a - a + b` reads `a` twice and cancels it.
        let bodies = ["criterion c \"C\" = a > 0 kr", "criterion c \"C\" = a >= 0.01 kr", "criterion c \"C\" = a - a + b > 0 kr"]
        for body in bodies {
            for a in ["0.00", "0.01", "0.02"] {
                let (_, evaluator, decision) = try BoundsTests.small(body, "\"a\": \"\(a)\", \"b\": \"1.00\", \"n\": 1, \"p\": true")
                Self.expectSame(try Self.all(evaluator, decision), "\(body) a = \(a)")
            }
        }
        // The breakpoint at the value itself: no change below 0 kr, the next one øre above it.
        let (_, evaluator, decision) = try BoundsTests.small(
            "criterion c \"C\" = a > 0 kr", #""a": "0.00", "b": "1.00", "n": 1, "p": true"#)
        let set = try #require(evaluator.counterfactuals(of: decision))
        #expect(set.changes.map(\.change) == [Exact(øre: 1)])
    }

    @Test("an input used twice in one share, and a firm no single change moves")
    func usedTwiceAndUnmovable() throws {
        for a in ["100.00", "99.99", "100.01", "0.00"] {
            let (_, evaluator, decision) = try BoundsTests.small(
                "criterion c \"C\" = a / (a + b) <= 50 %", "\"a\": \"\(a)\", \"b\": \"100.00\", \"n\": 1, \"p\": true")
            Self.expectSame(try Self.all(evaluator, decision), "a = \(a)")
        }
        let (_, evaluator, decision) = try BoundsTests.small("criterion c \"C\" = a >= 0 kr or p", #""a": "10.00", "p": true"#)
        Self.expectSame(try Self.all(evaluator, decision), "unmovable")
        let set = try #require(evaluator.counterfactuals(of: decision))
        #expect(set.changes.isEmpty && set.unmovable == [0, 3])
    }

    @Test("a range from zero (amounts, counts) is checked by the numerator's sign, as Interval.contains checks it")
    func rangeFromZero() throws {
        var random = SplitMix64(seed: 4_242)
        let fromZero = Interval(lower: IntervalEnd(value: .zero, closed: true), upper: .unbounded)
        // Ranges that must not take the shortcut: open at 0, with an upper end, from another value,
        // from a zero written over another denominator.
        let others = [
            Interval(lower: IntervalEnd(value: .zero, closed: false), upper: .unbounded),
            Interval(lower: IntervalEnd(value: .zero, closed: true), upper: IntervalEnd(value: Exact(øre: 100), closed: true)),
            Interval(lower: IntervalEnd(value: Exact(øre: 1), closed: true), upper: .unbounded),
            Interval(lower: IntervalEnd(value: Exact(raw: 0, 100), closed: true), upper: .unbounded),
            Interval(lower: .unbounded, upper: .unbounded),
        ]
        #expect(RangeCheck(fromZero).fromZero)
        #expect(RangeCheck(others[3]).fromZero)
        #expect(!RangeCheck(others[0]).fromZero && !RangeCheck(others[1]).fromZero && !RangeCheck(others[2]).fromZero)
        var values: [Exact] = [.zero, Exact(raw: 0, 100), Exact(øre: 1), Exact(øre: -1), Exact(integer: 1), Exact(integer: -1)]
        for _ in 0..<5_000 {
            let denominator = Int128([1, 2, 3, 100, 7][random.next(5)])
            values.append(Exact(raw: Int128(random.next(401)) - 200, denominator))
        }
        var inside = 0
        for domain in [fromZero] + others {
            let range = RangeCheck(domain)
            for value in values {
                #expect(range.contains(value) == domain.contains(value), "\(domain) \(value)")
                if range.fromZero && domain.contains(value) { inside += 1 }
            }
        }
        #expect(inside > 2_000, "\(inside)")
    }

    @Test("a range's tameness, made once with the range (h-cf19), is the check of its ends the searches made per input")
    func rangeTameness() throws {
        var random = SplitMix64(seed: 1_915)
        let limit = Int128(1) << 40
        // Around the limit 2^40 in the numerator and in the denominator, both signs, and small ones.
        var ends: [Exact] = [.zero, Exact(øre: 1), Exact(integer: -1)]
        for numerator in [limit - 1, limit, limit + 1, -limit + 1, -limit, -limit - 1, 12_345] {
            for denominator in [Int128(1), 100, limit - 1, limit, limit + 1] { ends.append(Exact(raw: numerator, denominator)) }
        }
        for _ in 0..<300 {
            let numerator = Int128(random.next(1 << 20)) << random.next(30) - Int128(random.next(1 << 20)) << random.next(30)
            let denominator = Int128(random.next(1 << 20) + 1) << random.next(30)
            ends.append(Exact(raw: numerator, denominator))
        }
        var tame = 0
        var wild = 0
        for _ in 0..<4_000 {
            let low =
                random.next(4) == 0 ? IntervalEnd.unbounded : IntervalEnd(value: ends[random.next(ends.count)], closed: random.next(2) == 0)
            let high =
                random.next(4) == 0 ? IntervalEnd.unbounded : IntervalEnd(value: ends[random.next(ends.count)], closed: random.next(2) == 0)
            let range = RangeCheck(Interval(lower: low, upper: high))
            // The checks `keptDirections` and `keptAhead` made for every input before h-cf19.
            let expected = !(range.hasLow && !CompiledSearch.tame(range.low)) && !(range.hasHigh && !CompiledSearch.tame(range.high))
            #expect(range.tame == expected, "\(low) \(high)")
            if expected { tame += 1 } else { wild += 1 }
        }
        #expect(tame > 500 && wild > 500, "\(tame) \(wild)")
    }

    @Test("containsTame (h-cf19) against contains, for tame values and ranges: generated, at the ends, one step off, 2^40 - 1")
    func containsTame() throws {
        var random = SplitMix64(seed: 1_916)
        let big = (Int128(1) << 40) - 1
        @inline(__always) func part(_ limit: Int128) -> Int128 {
            switch random.next(4) {
            case 0: return Int128(random.next(201)) - 100
            case 1: return [big, -big, big - 1, -big + 1, 0, 1, -1][random.next(7)]
            default: return (Int128(random.next(1 << 30)) << random.next(11)) % limit * (random.next(2) == 0 ? 1 : -1)
            }
        }
        @inline(__always) func denominator() -> Int128 {
            let d = part(big).magnitude
            return d == 0 ? 1 : Int128(d)
        }
        var ranges: [RangeCheck] = [
            RangeCheck(Interval(lower: IntervalEnd(value: .zero, closed: true), upper: .unbounded)),
            RangeCheck(
                Interval(lower: IntervalEnd(value: .zero, closed: true), upper: IntervalEnd(value: Exact(integer: 1), closed: true))),
            RangeCheck(
                Interval(lower: IntervalEnd(value: .zero, closed: false), upper: IntervalEnd(value: Exact(integer: 1), closed: false))),
            RangeCheck(Interval(lower: .unbounded, upper: .unbounded)),
        ]
        for _ in 0..<60 {
            let low =
                random.next(4) == 0
                ? IntervalEnd.unbounded : IntervalEnd(value: Exact(raw: part(big), denominator()), closed: random.next(2) == 0)
            let high =
                random.next(4) == 0
                ? IntervalEnd.unbounded : IntervalEnd(value: Exact(raw: part(big), denominator()), closed: random.next(2) == 0)
            ranges.append(RangeCheck(Interval(lower: low, upper: high)))
        }
        var inside = 0
        var outside = 0
        for range in ranges where range.tame {
            // The ends themselves, over their own and other denominators, one step either side.
            var values: [Exact] = []
            for end in [range.low, range.high] {
                for scale in [Int128(1), 3] {
                    for step in [Int128(-1), 0, 1] where (end.numerator * scale + step).magnitude <= big && end.denominator * scale <= big {
                        values.append(Exact(raw: end.numerator * scale + step, end.denominator * scale))
                    }
                }
            }
            for _ in 0..<200 { values.append(Exact(raw: part(big), denominator())) }
            for value in values {
                let fast = range.containsTame(
                    numerator: Int64(truncatingIfNeeded: value.numerator), denominator: Int64(truncatingIfNeeded: value.denominator))
                #expect(fast == range.contains(value), "\(range) \(value)")
                if fast { inside += 1 } else { outside += 1 }
            }
        }
        #expect(inside > 2_000 && outside > 2_000, "\(inside) \(outside)")
    }

    @Test("a moved atom's sign past 128 bits, from its zero, against signs worked out by hand")
    func signBeyond128Bits() throws {
        let (_, evaluator, decision) = try BoundsTests.screening(
            "\"own_cvr\": true, \"public_ownership\": 0, \"market_sales\": \"500000.00\", \"municipal_employment_services\": \"400000.00\", \"other_public_contracts\": 0, \"grants\": 0, "
                + BoundsTests.staff)
        let plan = evaluator.analysisPlan
        let outcome = try #require(decision.outcome)
        let search = try #require(
            CompiledSearch(
                plan.compiled.plan(for: evaluator, day: IntegralAtomTests.day, plan: plan), evaluator: evaluator,
                reads: plan.conditionReads,
                outcome: outcome, names: plan.outcomeNames))
        #expect(search.whole)
        let big = Int128(1) << 100
        let (n, m) = ((Int128(1) << 40) + 1, Int128(1) << 40)
        // rest + gain × n / m has the sign of rest × m + gain × n, each product past 128 bits:
        //   2^100 · 2^40 − (2^100 − 1)(2^40 + 1) = −2^100 + 2^40 + 1 < 0;
        //   at n / m = 2^60 / 2^60: 2^160 − (2^100 − 1) 2^60 = 2^60 > 0;
        //   at 2^100 / (2^100 − 1), the zero itself: 0.
        let cases: [(rest: Int128, gain: Int128, value: Exact, sign: Int8)] = [
            (big, -(big - 1), Exact(raw: n, m), -1),
            (-big, big - 1, Exact(raw: n, m), 1),
            (big, -(big - 1), Exact(raw: 1 << 60, 1 << 60), 1),
            (-big, big - 1, Exact(raw: 1 << 60, 1 << 60), -1),
            (big, -(big - 1), Exact(raw: big, big - 1), 0),
            (-big, big - 1, Exact(raw: big, big - 1), 0),
        ]
        for (rest, gain, value, sign) in cases {
            // The zero as `recordWhole` writes it.
            let point = gain > 0 ? Exact(raw: -rest, gain) : Exact(raw: rest, -gain)
            let atom = MovingAtom(atom: 0, slope: gain > 0 ? 1 : -1, rest: rest, gain: gain, point: point, whole: true)
            #expect(search.sign(of: atom, at: value) == sign, "\(rest) \(gain) \(value)")
        }
    }
}
