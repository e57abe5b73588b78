import SoeLanguage

/// The periods of a parameter's dated values, for the checks about dates (`L501`–`L506`).
///
/// A value applies from its `from` day to its `until` day, both included; a missing `from` means
/// "since always" and a missing `until` "until a later value starts" (the evaluator takes the
/// value with the latest start among those whose period holds the day). Covered days are
/// therefore the union of the periods; gaps are the days between them that no value holds.
struct ValuePeriods {
    /// One stretch of covered days; nil ends are open.
    struct Stretch: Equatable {
        var from: Day?
        var until: Day?
    }

    /// The values in order of their start, those with no `from` first; empty periods left out.
    let values: [DatedValue]

    /// `datedOnly` leaves out the values without a `from` (those that fill the days no dated
    /// value covers), to ask which days the dated ones cover.
    init(_ parameter: ParameterDefinition, datedOnly: Bool = false) {
        values = parameter.values
            .filter { value in
                if datedOnly && value.from == nil { return false }
                guard let from = value.from, let until = value.until else { return true }
                return !(until < from)
            }
            .sorted { a, b in
                guard let x = a.from else { return b.from != nil }
                guard let y = b.from else { return false }
                return x < y
            }
    }

    /// The covered days as disjoint stretches, in order.
    var coverage: [Stretch] {
        var result: [Stretch] = []
        for value in values {
            let stretch = Stretch(from: value.from, until: value.until)
            guard var last = result.last else {
                result.append(stretch)
                continue
            }
            // `last` already reaches to the end of time: everything later is inside it.
            guard let lastUntil = last.until else { continue }
            if let from = stretch.from, let dayAfter = lastUntil.next, dayAfter < from {
                result.append(stretch)
            } else {
                if let until = stretch.until {
                    if lastUntil < until { last.until = until }
                } else {
                    last.until = nil
                }
                result[result.count - 1] = last
            }
        }
        return result
    }

    /// The days between covered stretches, as (first day, last day) of each gap, with the values
    /// on either side.
    var gaps: [(first: Day, last: Day)] {
        var result: [(Day, Day)] = []
        let stretches = coverage
        for (before, after) in zip(stretches, stretches.dropFirst()) {
            guard let end = before.until, let first = end.next, let start = after.from, let last = start.previous else { continue }
            result.append((first, last))
        }
        return result
    }

    /// The first day from `start` on that no value covers; nil when every day from `start` on is
    /// covered.
    func firstUncovered(onOrAfter start: Day) -> Day? {
        var day = start
        for stretch in coverage {
            if let from = stretch.from, day < from { return day }
            guard let until = stretch.until else { return nil }
            if !(until < day) {
                guard let after = until.next else { return nil }
                day = after
            }
        }
        return day
    }

    /// The value whose period ends the day before `day`, for notes.
    func value(endingBefore day: Day) -> DatedValue? {
        values.first { $0.until?.next == day }
    }

    /// The value that starts on `day`, for the finding's place.
    func value(startingOn day: Day) -> DatedValue? {
        values.first { $0.from == day }
    }
}
