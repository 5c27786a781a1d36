import Foundation

/// One axis of a chart: its range, tick values and the mapping of values to the unit interval.
///
/// The range is widened to whole tick steps so that the data never touches an unlabelled edge: steps
/// of 1, 2 or 5 times a power of ten on linear axes, whole decades on logarithmic ones. Degenerate data
/// (none, one value, all equal) gets a sensible range instead of a zero-width one.
struct ChartAxis {
    let scale: LineChart.Scale
    /// The ends of the axis, in data units.
    let lower: Double
    let upper: Double
    /// Labelled ticks, ascending, within `lower...upper`.
    let ticks: [Double]
    /// Unlabelled small ticks (2…9 times each decade on logarithmic axes).
    let minorTicks: [Double]
    /// The tick step on linear axes; decides the decimals of labels.
    private let step: Double

    /// An axis covering `values`, which must all be finite (and positive for a logarithmic scale).
    init(covering values: [Double], scale: LineChart.Scale, targetTickCount: Int = 6) {
        self.scale = scale
        var low = values.min() ?? (scale == .linear ? 0 : 1)
        var high = values.max() ?? (scale == .linear ? 1 : 10)
        switch scale {
        case .linear:
            // A diverging run's values can reach ±1.8e308, whose span overflows: the axis stops at ±1e300
            // (points beyond are drawn at the edge), so the span, step and ticks stay finite and few.
            (low, high) = (min(max(low, -1e300), 1e300), min(max(high, -1e300), 1e300))
            // Equal values, or a span too small for a tick step (subnormal): padded around them.
            if !(high - low > 1e-290) {
                let pad = low == 0 ? 1 : abs(low) * 0.1
                low -= pad
                high += pad
            }
            let step = Self.niceStep((high - low) / Double(max(1, targetTickCount - 1)))
            let first = (low / step + 1e-9).rounded(.down)
            let last = (high / step - 1e-9).rounded(.up)
            self.step = step
            lower = first * step
            upper = last * step
            // Multiples of the step computed from integers, so that 0.1 × 3 is not 0.30000000000000004.
            ticks = stride(from: first, through: last, by: 1).map { Self.cleaned($0 * step) }
            minorTicks = []
        case .logarithmic:
            // Decades between 1e-300 and 1e300, so that every tick is a finite, positive power of ten.
            (low, high) = (min(max(low, 1e-300), 1e300), min(max(high, 1e-300), 1e300))
            var firstDecade = (log10(low) + 1e-9).rounded(.down)
            var lastDecade = (log10(high) - 1e-9).rounded(.up)
            if firstDecade >= lastDecade {
                // A single value, or values within one decade that touch a power of ten.
                if log10(low) - firstDecade < 1e-9 { firstDecade -= 1 }
                if lastDecade <= firstDecade { lastDecade = firstDecade + 1 }
                if lastDecade - firstDecade < 2, low == high { lastDecade += 1 }
            }
            let decades = Int(lastDecade - firstDecade)
            let every = max(1, (decades + 7) / 8)
            step = Double(every)
            lower = pow(10, firstDecade)
            upper = pow(10, lastDecade)
            ticks = stride(from: 0, through: decades, by: every).map { pow(10, firstDecade + Double($0)) }
            minorTicks = decades > 6 ? [] : (0..<decades).flatMap { decade in
                (2...9).map { Double($0) * pow(10, firstDecade + Double(decade)) }
            }
        }
    }

    /// Where `value` falls between `lower` (0) and `upper` (1).
    func fraction(_ value: Double) -> Double {
        switch scale {
        case .linear:
            return (value - lower) / (upper - lower)
        case .logarithmic:
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// The text of a tick label: decimals suited to the step on linear axes, `10⁻⁵` on logarithmic ones.
    func label(_ value: Double) -> String {
        switch scale {
        case .logarithmic:
            let exponent = Int(log10(value).rounded())
            return "10" + Self.superscript(exponent)
        case .linear:
            let largest = max(abs(lower), abs(upper))
            if largest >= 1e6 || step < 1e-4 {
                return value == 0 ? "0" : Self.compactScientific(value)
            }
            let decimals = max(0, -Int((log10(step) + 1e-9).rounded(.down)))
            return String(format: "%.*f", Int32(decimals), value)
        }
    }

    // MARK: - Helpers

    /// The smallest of 1, 2, 5 or 10 times a power of ten that is at least `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let magnitude = pow(10, log10(rough).rounded(.down))
        let residual = rough / magnitude
        let factor: Double = residual <= 1 + 1e-9 ? 1 : residual <= 2 + 1e-9 ? 2 : residual <= 5 + 1e-9 ? 5 : 10
        return factor * magnitude
    }

    /// `value` with float noise below a billionth of its size removed (and -0 made 0).
    private static func cleaned(_ value: Double) -> Double {
        guard value != 0 else { return 0 }
        let digits = 12 - Int(log10(abs(value)).rounded(.down))
        let scale = pow(10, Double(max(-300, min(300, digits))))
        let rounded = (value * scale).rounded() / scale
        return rounded == 0 ? 0 : rounded
    }

    /// `2e-5`, `1.5e6`: `%g` without the exponent's padding and plus sign.
    private static func compactScientific(_ value: Double) -> String {
        let text = String(format: "%.3g", value)
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = text[..<e]
        guard let exponent = Int(text[text.index(after: e)...]) else { return text }
        return "\(mantissa)e\(exponent)"
    }

    private static func superscript(_ exponent: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let body = String(abs(exponent)).map { digits[Int(String($0)) ?? 0] }
        return (exponent < 0 ? "⁻" : "") + String(body)
    }
}
