import SoeLanguage

/// A small inline SVG that shows a share against a percent threshold on a scale: the scale from
/// 0 % to 100 % (further when a value is larger) with its ends labelled, the side of the threshold
/// where the comparison holds lightly shaded, the value as a bar with its figure, and the threshold
/// as a black mark with its figure. It shows where the firm stands, not whether that is good: the
/// colours are the same whether the comparison holds or not, since a condition that holds may be
/// bad news ("the firm is an anden aktør") as easily as good. Inline SVG rather than CSS
/// backgrounds, because browsers leave backgrounds out when printing and a dossier is printed.
struct Gauge {
    /// The value compared (left of the comparison) and the threshold (right), as fractions (0.25 = 25 %).
    var value: Exact
    var threshold: Exact
    /// Whether the comparison holds above the threshold (`>`, `>=`) rather than below it.
    var holdsAbove: Bool
    /// Text for screen readers and tooltips: "95,74 % ≥ 25 %".
    var label: String
    var formatter: ValueFormatter

    static let width = 240
    static let height = 34
    /// The bar's left and right margins, so that the end labels fit.
    static let inset = 12

    /// A gauge for a comparison node whose operands are known percentages; nil for anything else.
    static func forComparison(_ node: Explanation, label: String, formatter: ValueFormatter) -> Gauge? {
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
            case .known(.bool) = node.result
        else { return nil }
        return Gauge(value: value, threshold: threshold, holdsAbove: above, label: label, formatter: formatter)
    }

    var barWidth: Int { Gauge.width - 2 * Gauge.inset }

    /// The position of a fraction on the bar, in tenths of a pixel from the bar's start, clamped.
    func position(_ fraction: Exact, scale: Exact) -> Int {
        guard !fraction.isNegative, let share = fraction.dividing(scale),
            let scaled = share.multiplying(Exact(integer: Int128(barWidth * 10))),
            let rounded = scaled.rounded(places: 0)
        else { return 0 }
        let tenths = Int(rounded.numerator / rounded.denominator)
        return min(max(tenths, 0), barWidth * 10)
    }

    static func pixels(_ tenths: Int) -> String {
        tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }

    func percent(_ fraction: Exact) -> String { formatter.format(.number(fraction), as: .percent) }

    func text(_ content: String, x: Int, y: Int, anchor: String, bold: Bool = false) -> Markup {
        .element(
            "text",
            [
                ("x", Gauge.pixels(x)), ("y", String(y)), ("text-anchor", anchor), ("font-size", "9"),
                ("font-family", "DejaVu Sans, Arial, sans-serif"), ("fill", bold ? "#1b1b1b" : "#666"),
                ("font-weight", bold ? "bold" : nil),
            ], [.text(content)])
    }

    /// The SVG element.
    var markup: Markup {
        let scale = Exact.maximum(Exact.one, Exact.maximum(value, threshold))
        let start = Gauge.inset * 10
        let valueAt = start + position(value, scale: scale)
        let thresholdAt = start + position(threshold, scale: scale)
        let end = start + barWidth * 10
        let holdStart = holdsAbove ? thresholdAt : start
        let holdEnd = holdsAbove ? end : thresholdAt
        let px = Gauge.pixels
        var parts: [Markup] = [
            .element("title", [], [.text(label)]),
            .void("rect", [("x", px(start)), ("y", "12"), ("width", px(end - start)), ("height", "10"), ("fill", "#e4e4de")]),
        ]
        if holdEnd > holdStart {
            parts.append(
                .void(
                    "rect", [("x", px(holdStart)), ("y", "12"), ("width", px(holdEnd - holdStart)), ("height", "10"), ("fill", "#d3dbe4")]))
        }
        parts.append(
            .void("rect", [("x", px(start)), ("y", "14.5"), ("width", px(valueAt - start)), ("height", "5"), ("fill", "#37474f")]))
        parts.append(
            .void(
                "line",
                [("x1", px(thresholdAt)), ("y1", "9"), ("x2", px(thresholdAt)), ("y2", "25"), ("stroke", "#1b1b1b"), ("stroke-width", "2")])
        )
        // The figures: the value above its bar's end, the threshold above its mark (below when the
        // two would overlap), the scale's ends underneath.
        let close = abs(valueAt - thresholdAt) < 300
        parts.append(text(percent(value), x: valueAt, y: 8, anchor: "middle", bold: true))
        parts.append(text(percent(threshold), x: thresholdAt, y: close ? 33 : 8, anchor: "middle"))
        if !close || thresholdAt - start > 250 { parts.append(text(percent(.zero), x: start, y: 33, anchor: "middle")) }
        if !close || end - thresholdAt > 250 { parts.append(text(percent(scale), x: end, y: 33, anchor: "middle")) }
        return .element(
            "svg",
            [
                ("class", "gauge"), ("xmlns", "http://www.w3.org/2000/svg"), ("width", String(Gauge.width)),
                ("height", String(Gauge.height)), ("viewBox", "0 0 \(Gauge.width) \(Gauge.height)"), ("role", "img"),
                ("aria-label", label),
            ], parts)
    }
}
