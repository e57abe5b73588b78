import SoeLanguage

/// A small inline SVG bar that shows a share against a percent threshold: the scale from 0 % to
/// 100 % (further when a value is larger), the side of the threshold that passes shaded, the value
/// as a bar in green when the comparison holds and red when it does not, and the threshold as a
/// black mark. Inline SVG rather than CSS backgrounds, because browsers leave backgrounds out
/// when printing and a dossier is printed for the case file.
struct Gauge {
    /// The value compared (left of the comparison) and the threshold (right), as fractions (0.25 = 25 %).
    var value: Exact
    var threshold: Exact
    /// Whether passing means being above the threshold (`>`, `>=`) rather than below it.
    var passesAbove: Bool
    var holds: Bool
    /// Text for screen readers and tooltips: "95,74 % ≥ 25 %".
    var label: String

    static let width = 240
    static let height = 18

    /// A gauge for a comparison node whose operands are known percentages; nil for anything else.
    static func forComparison(_ node: Explanation, label: String) -> Gauge? {
        let above: Bool
        switch node.op {
        case .greater, .greaterEqual: above = true
        case .less, .lessEqual: above = false
        case .constant, .input, .parameter, .value, .criterion, .negate, .not, .add, .subtract, .multiply, .divide, .equal, .notEqual, .and,
            .or, .member, .ifThenElse, .minimum, .maximum, .isKnown:
            return nil
        }
        guard node.children.count == 2, node.children.allSatisfy({ $0.type == .percent }),
            case .known(.number(let value)) = node.children[0].result,
            case .known(.number(let threshold)) = node.children[1].result,
            case .known(.bool(let holds)) = node.result
        else { return nil }
        return Gauge(value: value, threshold: threshold, passesAbove: above, holds: holds, label: label)
    }

    /// The position of a fraction on the bar, in tenths of a pixel, clamped to the bar.
    func position(_ fraction: Exact, scale: Exact) -> Int {
        guard !fraction.isNegative, let share = fraction.dividing(scale),
            let scaled = share.multiplying(Exact(integer: Int128(Gauge.width * 10))),
            let rounded = scaled.rounded(places: 0)
        else { return 0 }
        let tenths = Int(rounded.numerator / rounded.denominator)
        return min(max(tenths, 0), Gauge.width * 10)
    }

    static func pixels(_ tenths: Int) -> String {
        tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }

    /// The SVG element.
    var markup: Markup {
        let scale = Exact.maximum(Exact.one, Exact.maximum(value, threshold))
        let valueAt = position(value, scale: scale)
        let thresholdAt = position(threshold, scale: scale)
        let full = Gauge.width * 10
        let passStart = passesAbove ? thresholdAt : 0
        let passEnd = passesAbove ? full : thresholdAt
        let px = Gauge.pixels
        var parts: [Markup] = [
            .element("title", [], [.text(label)]),
            .void("rect", [("x", "0"), ("y", "4"), ("width", px(full)), ("height", "10"), ("rx", "2"), ("fill", "#e4e4de")]),
        ]
        if passEnd > passStart {
            parts.append(
                .void(
                    "rect",
                    [
                        ("x", px(passStart)), ("y", "4"), ("width", px(passEnd - passStart)), ("height", "10"),
                        ("fill", "#cfe6d0"),
                    ]))
        }
        parts.append(
            .void(
                "rect",
                [
                    ("x", "0"), ("y", "6.5"), ("width", px(valueAt)), ("height", "5"),
                    ("fill", holds ? "#2e7d32" : "#c62828"),
                ]))
        let mark = px(min(max(thresholdAt, 10), full - 10))
        parts.append(
            .void(
                "line",
                [
                    ("x1", mark), ("y1", "1"), ("x2", mark), ("y2", "17"), ("stroke", "#1b1b1b"),
                    ("stroke-width", "2"),
                ]))
        return .element(
            "svg",
            [
                ("class", "gauge"), ("xmlns", "http://www.w3.org/2000/svg"), ("width", String(Gauge.width)),
                ("height", String(Gauge.height)), ("viewBox", "0 0 \(Gauge.width) \(Gauge.height)"), ("role", "img"),
                ("aria-label", label),
            ], parts)
    }
}
