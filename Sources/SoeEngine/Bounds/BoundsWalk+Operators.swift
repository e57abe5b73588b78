import SoeLanguage

// The operators of the bounds walk: arithmetic and comparisons with their exact forms, `if`,
// `min`/`max`, and the join of alternatives. Each follows its counterpart in
// Evaluator+Formulas.swift, and each result holds every value that one would give.

extension BoundsWalk {
    /// `left op right` for the arithmetic operators; `.negate` negates `left`.
    mutating func arithmetic(_ op: NodeOp, _ left: Bound, _ right: Bound) -> Bound {
        let depends = left.depends.union(right.depends)
        guard let l = left.number, let r = right.number else {
            return Bound(kind: .number(NumberBound(range: .empty)), mayFail: true, depends: depends)
        }
        guard let (number, fails) = combine(op, l, r) else { return .anyNumber(depends: depends) }
        return .number(number, mayFail: left.mayFail || right.mayFail || fails, depends: depends)
    }

    /// The number of `l op r` and whether it may be undefined; nil when nothing can be said.
    mutating func combine(_ op: NodeOp, _ l: NumberBound, _ r: NumberBound) -> (NumberBound, Bool)? {
        if !l.branches.isEmpty || !r.branches.isEmpty {
            let lefts = l.branches.isEmpty ? [l] : l.branches
            let rights = r.branches.isEmpty ? [r] : r.branches
            if lefts.count * rights.count <= NumberBound.branchLimit {
                var results: [NumberBound] = []
                var fails = false
                for a in lefts {
                    for b in rights {
                        guard let (result, failing) = combine(op, a, b) else { return nil }
                        results.append(result)
                        fails = fails || failing
                    }
                }
                return (BoundsWalk.alternatives(results), fails)
            }
            var (plainLeft, plainRight) = (l, r)
            plainLeft.branches = []
            plainRight.branches = []
            return combine(op, plainLeft, plainRight)
        }
        switch op {
        case .negate:
            return scale(l, by: Exact(integer: -1)).map { ($0, false) }
        case .add, .subtract:
            guard let right = op == .subtract ? scale(r, by: Exact(integer: -1)) : r else { return nil }
            return sum(l, right).map { ($0, false) }
        case .multiply:
            if let factor = r.range.point { return scale(l, by: factor).map { ($0, false) } }
            if let factor = l.range.point { return scale(r, by: factor).map { ($0, false) } }
            return l.range.multiplying(r.range).map { (NumberBound(range: $0), false) }
        case .divide:
            return quotient(l, r)
        case .constant, .input, .parameter, .value, .criterion, .not, .equal, .notEqual, .less, .lessEqual, .greater,
            .greaterEqual, .and, .or, .member, .ifThenElse, .minimum, .maximum, .isKnown:
            return nil
        }
    }

    func scale(_ number: NumberBound, by factor: Exact) -> NumberBound? {
        guard let range = number.range.scaled(by: factor) else { return nil }
        var result = NumberBound(range: range)
        if let form = number.form {
            guard let scaled = form.scaled(by: factor) else { return nil }
            result.form = scaled
        }
        if let ratio = number.ratio, !factor.isZero {
            guard let numerator = ratio.numerator.scaled(by: factor) else { return nil }
            result.ratio = Ratio(numerator: numerator, denominator: ratio.denominator, negativeDenominator: ratio.negativeDenominator)
        }
        return result
    }

    func sum(_ l: NumberBound, _ r: NumberBound) -> NumberBound? {
        if let a = l.form, let b = r.form, let form = a.adding(b), let exact = NumberBound(form: form, box: box) { return exact }
        guard let range = l.range.adding(r.range) else { return nil }
        var result = NumberBound(range: range)
        // A share plus a constant stays a ratio: n/d + c = (n + c·d)/d.
        if let ratio = l.ratio, let c = r.form, c.isConstant { result.ratio = BoundsWalk.shifted(ratio, by: c.constant) }
        if let ratio = r.ratio, let c = l.form, c.isConstant { result.ratio = BoundsWalk.shifted(ratio, by: c.constant) }
        return result
    }

    static func shifted(_ ratio: Ratio, by constant: Exact) -> Ratio? {
        guard let product = ratio.denominator.scaled(by: constant), let numerator = ratio.numerator.adding(product) else { return nil }
        return Ratio(numerator: numerator, denominator: ratio.denominator, negativeDenominator: ratio.negativeDenominator)
    }

    mutating func quotient(_ l: NumberBound, _ r: NumberBound) -> (NumberBound, Bool)? {
        // Where the divisor is zero the quotient is undefined: a point a counterfactual must try.
        if let divisor = r.form { note(divisor) }
        if let divisor = r.range.point {
            if divisor.isZero { return (NumberBound(range: .empty), true) }
            guard let inverse = Exact.one.dividing(divisor) else { return nil }
            return scale(l, by: inverse).map { ($0, false) }
        }
        let signs = Signs(r.range)
        guard !signs.zero, !(signs.negative && signs.positive), let inverse = r.range.reciprocal() else {
            // The divisor may be zero: the quotient may be undefined, and near zero unbounded.
            return (NumberBound(range: l.range.point?.isZero == true ? .point(.zero) : .all), true)
        }
        guard let range = l.range.multiplying(inverse) else { return nil }
        var result = NumberBound(range: range)
        if let numerator = l.form, let denominator = r.form {
            result.ratio = Ratio(numerator: numerator, denominator: denominator, negativeDenominator: signs.negative)
        }
        return (result, false)
    }

    /// A number that is one of several.
    static func alternatives(_ items: [NumberBound]) -> NumberBound {
        var flat: [NumberBound] = []
        for item in items { flat += item.branches.isEmpty ? [item] : item.branches }
        var range = Interval.empty
        for item in flat { range = range.hull(item.range) }
        var result = NumberBound(range: range)
        if let first = flat.first?.form, flat.allSatisfy({ $0.form == first }) {
            result.form = first
        } else if flat.count > 1 && flat.count <= NumberBound.branchLimit {
            result.branches = flat
        } else if flat.count == 1 {
            return flat[0]
        }
        return result
    }

    mutating func compare(_ op: NodeOp, _ left: Bound, _ right: Bound) -> Bound {
        let depends = left.depends.union(right.depends)
        var fails = left.mayFail || right.mayFail
        let signs: Signs
        switch (left.kind, right.kind) {
        case (.number(let l), .number(let r)):
            signs = numberSigns(l, r, varying: !depends.isEmpty)
        case (.truth(let a), .truth(let b)):
            fails = fails || a.contains(.unknown) || b.contains(.unknown)
            let equal = !a.intersection(b).intersection(.either).isEmpty
            let differ = (a.contains(.yes) && b.contains(.no)) || (a.contains(.no) && b.contains(.yes))
            signs = Signs(zero: equal, positive: differ)
        case (.scalar(let a), .scalar(let b)):
            let order: Int
            if case .date(let x) = a, case .date(let y) = b {
                order = x < y ? -1 : (x == y ? 0 : 1)
            } else {
                order = a == b ? 0 : 1
            }
            signs = Signs(negative: order < 0, zero: order == 0, positive: order > 0)
        case (.choices(let a), .scalar(.choice(let c))), (.scalar(.choice(let c)), .choices(let a)):
            let bit: UInt64 = c >= 0 && c < 64 ? UInt64(1) << UInt64(c) : 0
            signs = Signs(zero: a & bit != 0, positive: a & ~bit != 0)
        case (.choices(let a), .choices(let b)):
            signs = Signs(zero: a & b != 0, positive: !(a == b && a.nonzeroBitCount == 1))
        case (.anyValue, _), (_, .anyValue):
            signs = Signs.any
        case (.number, _), (.truth, _), (.scalar, _), (.choices, _):
            signs = Signs(zero: true, positive: true)
        }
        var truth = signs.truth(op)
        if fails { truth.insert(.unknown) }
        return .truth(truth, depends: depends)
    }

    /// The signs of `l - r`: exact from the affine forms or the ratio where there are, else
    /// from the intervals.
    mutating func numberSigns(_ l: NumberBound, _ r: NumberBound, varying: Bool) -> Signs {
        if !l.branches.isEmpty || !r.branches.isEmpty {
            let lefts = l.branches.isEmpty ? [l] : l.branches
            let rights = r.branches.isEmpty ? [r] : r.branches
            var signs = Signs()
            for a in lefts { for b in rights { signs = signs.union(numberSigns(a, b, varying: varying)) } }
            return signs
        }
        if let a = l.form, let b = r.form, let difference = a.subtracting(b), let range = difference.range(box) {
            note(difference)
            return Signs(range)
        }
        // n/d − c has the sign of (n − c·d) when d > 0, the opposite when d < 0.
        if let ratio = l.ratio, let c = r.form, c.isConstant, let product = ratio.denominator.scaled(by: c.constant),
            let difference = ratio.numerator.subtracting(product), let range = difference.range(box)
        {
            note(difference)
            return ratio.negativeDenominator ? Signs(range).flipped : Signs(range)
        }
        if let ratio = r.ratio, let c = l.form, c.isConstant, let product = ratio.denominator.scaled(by: c.constant),
            let difference = product.subtracting(ratio.numerator), let range = difference.range(box)
        {
            note(difference)
            return ratio.negativeDenominator ? Signs(range).flipped : Signs(range)
        }
        if varying { inexact = true }
        let (negative, zero, positive) = l.range.differenceSigns(r.range)
        return Signs(negative: negative, zero: zero, positive: positive)
    }

    /// Records where a linear form in one varying input is zero.
    mutating func note(_ form: Affine) {
        guard form.terms.count == 1, let point = form.constant.negated()?.dividing(form.terms[0].coefficient) else { return }
        breakpoints.append(point)
    }

    mutating func conditional(_ node: ExpressionNode) -> Bound {
        let condition = bound(node.a)
        let truth = condition.truth
        var parts: [Bound] = []
        var fails = false
        if truth.contains(.yes) { parts.append(bound(node.b)) }
        if truth.contains(.no) { parts.append(bound(node.c)) }
        if truth.contains(.unknown) {
            // An undefined condition: `evaluate(_:)` gives the branches' common value or nothing.
            let (yes, no) = (bound(node.b), bound(node.c))
            if let same = BoundsWalk.sameCertain(yes, no) { parts.append(same) } else { parts += [yes, no] }
            fails = fails || BoundsWalk.sameCertain(yes, no) == nil
        }
        guard var result = BoundsWalk.join(parts) else { return BoundsWalk.failed(node.type) }
        result.depends = result.depends.union(condition.depends)
        if fails {
            if case .truth(let value) = result.kind { result.kind = .truth(value.union(.unknown)) } else { result.mayFail = true }
        }
        return result.settled()
    }

    /// The one value both bounds have, when each has exactly that value.
    static func sameCertain(_ a: Bound, _ b: Bound) -> Bound? {
        switch (a.kind, b.kind) {
        case (.number(let x), .number(let y)):
            guard !a.mayFail, !b.mayFail, let p = x.range.point, let q = y.range.point, p == q else { return nil }
            return a
        case (.truth(let x), .truth(let y)):
            return x.certain != nil && x == y ? a : nil
        case (.scalar(let x), .scalar(let y)):
            return !a.mayFail && !b.mayFail && x == y ? a : nil
        case (.number, _), (.truth, _), (.scalar, _), (.choices, _), (.anyValue, _):
            return nil
        }
    }

    /// A value that is one of several bounds.
    static func join(_ parts: [Bound]) -> Bound? {
        guard let first = parts.first else { return nil }
        if parts.count == 1 { return first }
        var depends = InputSet()
        var mayFail = false
        for part in parts {
            depends = depends.union(part.depends)
            mayFail = mayFail || part.mayFail
        }
        let kind: BoundKind
        if case .number = first.kind, parts.allSatisfy({ $0.number != nil }) {
            kind = .number(alternatives(parts.compactMap(\.number)))
        } else if case .truth = first.kind {
            kind = .truth(parts.reduce(Truth()) { $0.union($1.truth) })
        } else {
            var mask: UInt64 = 0
            var scalars: [Scalar] = []
            var any = false
            for part in parts {
                switch part.kind {
                case .scalar(let scalar):
                    if case .choice(let c) = scalar, c >= 0, c < 64 { mask |= UInt64(1) << UInt64(c) }
                    if !scalars.contains(scalar) { scalars.append(scalar) }
                case .choices(let bits): mask |= bits
                case .anyValue, .number, .truth: any = true
                }
            }
            if !any, scalars.count == 1, mask == 0 || mask.nonzeroBitCount == 1,
                parts.allSatisfy({ if case .scalar = $0.kind { true } else { false } })
            {
                kind = .scalar(scalars[0])
            } else if !any, mask != 0, scalars.allSatisfy({ if case .choice = $0 { true } else { false } }) {
                kind = .choices(mask)
            } else {
                kind = .anyValue
            }
        }
        return Bound(kind: kind, mayFail: mayFail, depends: depends)
    }

    mutating func extremum(_ node: ExpressionNode) -> Bound {
        var items: [NumberBound] = []
        var depends = InputSet()
        var mayFail = false
        for offset in 0..<Int(node.listCount) {
            let item = bound(lists[Int(node.listStart) + offset])
            depends = depends.union(item.depends)
            mayFail = mayFail || item.mayFail
            if let number = item.number { items.append(number) }
        }
        guard let first = items.first else { return Bound(kind: .number(NumberBound(range: .empty)), mayFail: true, depends: depends) }
        let maximum = node.op == .maximum
        var range = first.range
        for item in items.dropFirst() { range = range.extremum(item.range, maximum: maximum) }
        // One argument that is always the smallest (largest) is the result, with its exact form.
        let dominant = items.indices.first { index in
            let candidate = items[index]
            return items.indices.allSatisfy { otherIndex in
                let other = items[otherIndex]
                if otherIndex == index { return true }
                guard !(other.range.isEmpty || candidate.range.isEmpty) else { return false }
                let (mine, theirs) =
                    maximum
                    ? (candidate.range.lower.value, other.range.upper.value) : (candidate.range.upper.value, other.range.lower.value)
                guard let mine, let theirs else { return false }
                return maximum ? !(mine < theirs) : !(theirs < mine)
            }
        }
        var result: NumberBound
        if let dominant {
            result = items[dominant]
        } else {
            result = BoundsWalk.alternatives(items)
            result.range = range
        }
        return .number(result, mayFail: mayFail, depends: depends)
    }
}
