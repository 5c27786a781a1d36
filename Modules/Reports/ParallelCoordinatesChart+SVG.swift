import Foundation

extension ParallelCoordinatesChart {
    /// The chart as a standalone SVG document of `width × height` pixels: well-formed XML with the SVG
    /// namespace and no XML declaration, so that it can be saved as a `.svg` file or inlined into an
    /// HTML page. All text is escaped; axis names and category labels longer than the room between two
    /// axes are shortened with an ellipsis; a long title wraps.
    public func svg(width: Int = 800, height: Int = 420) -> String {
        let width = max(width, 240), height = max(height, 200)
        let drawn = drawnLines
        // Numeric axes cover the values that can be drawn on them; the score axis, the finite scores.
        let numeric: [ChartAxis?] = dimensions.indices.map { d in
            switch dimensions[d].axis {
            case .linear: ChartAxis(covering: drawn.map { $0.values[d] }.filter(\.isFinite), scale: .linear, targetTickCount: 5)
            case .logarithmic:
                ChartAxis(covering: drawn.map { $0.values[d] }.filter { $0.isFinite && $0 > 0 }, scale: .logarithmic,
                          targetTickCount: 5)
            case .categorical: nil
            }
        }
        let scores = drawn.map(\.score).filter(\.isFinite)
        let scoreAxis = ChartAxis(covering: scores, scale: .linear, targetTickCount: 5)
        let (lowest, highest) = (scores.min() ?? 0, scores.max() ?? 1)

        let titleLines = LineChart.wrapped(title, characters: max(10, Int((Double(width) - 24) / 8.5)))
        let plot = (left: 64.0, top: 40.0 + 18 * Double(max(titleLines.count, 1)), right: Double(width) - 64,
                    bottom: Double(height) - 48)
        let axes = dimensions.count + 1
        let spacing = axes > 1 ? (plot.right - plot.left) / Double(axes - 1) : 0
        func axisX(_ index: Int) -> Double { axes > 1 ? plot.left + Double(index) * spacing : (plot.left + plot.right) / 2 }
        func y(_ fraction: Double) -> Double { plot.bottom - fraction * (plot.bottom - plot.top) }
        let characters = max(4, Int((axes > 1 ? spacing : plot.right - plot.left) / 6.5))
        func shortened(_ text: String, _ limit: Int) -> String {
            text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
        }

        var svg = svgOpening(width: width, height: height, title: title)
        for (index, line) in titleLines.enumerated() {
            svg += "<text x=\"\(width / 2)\" y=\"\(22 + 18 * index)\" text-anchor=\"middle\" font-size=\"14\" "
                + "font-weight=\"600\" fill=\"#222222\">\(line.markupEscaped)</text>\n"
        }

        // MARK: Lines, worst first so that the best ends on top.
        svg += "<g class=\"lines\" fill=\"none\" stroke-linejoin=\"round\">\n"
        for (rank, line) in drawn.enumerated() {
            let t = highest > lowest ? (line.score - lowest) / (highest - lowest) : 1
            let best = rank == drawn.count - 1
            let fractions = dimensions.indices.map { Self.fraction(line.values[$0], on: dimensions[$0].axis, numeric: numeric[$0]) }
                + [line.score.isFinite ? scoreAxis.fraction(line.score) : nil]
            // Runs of consecutive drawable points; a point that cannot be drawn breaks the line.
            var runs: [[(Double, Double)]] = [[]]
            for (index, fraction) in fractions.enumerated() {
                if let fraction { runs[runs.count - 1].append((axisX(index), y(fraction))) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
            }
            let color = Self.color(at: t)
            svg += "<g stroke=\"\(color)\" stroke-width=\"\(best ? "3" : "1.5")\" stroke-opacity=\"\(best ? "1" : "0.75")\">"
                + "<title>\(line.label.markupEscaped): \(scoreName.markupEscaped) \(Self.number(line.score).markupEscaped)</title>\n"
            for run in runs where !run.isEmpty {
                if run.count == 1 {
                    svg += "<circle cx=\"\(f(run[0].0))\" cy=\"\(f(run[0].1))\" r=\"2.5\" fill=\"\(color)\"/>\n"
                } else {
                    svg += "<polyline points=\"" + run.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ") + "\"/>\n"
                }
            }
            svg += "</g>\n"
        }
        svg += "</g>\n"

        // MARK: Axes, ticks and names
        svg += "<g class=\"axes\" font-size=\"10\" fill=\"#444444\">\n"
        for index in 0..<axes {
            let x = axisX(index)
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(plot.top))\" x2=\"\(f(x))\" y2=\"\(f(plot.bottom))\" stroke=\"#888888\"/>\n"
            let name = index < dimensions.count ? dimensions[index].name : scoreName
            var ticks: [(Double, String)] = []
            if index == dimensions.count {
                ticks = scoreAxis.ticks.map { (scoreAxis.fraction($0), scoreAxis.label($0)) }
            } else if case .categorical(let labels) = dimensions[index].axis {
                ticks = labels.indices.map { (Self.fraction(Double($0), on: dimensions[index].axis, numeric: nil) ?? 0, labels[$0]) }
            } else if let axis = numeric[index] {
                ticks = axis.ticks.map { (axis.fraction($0), axis.label($0)) }
            }
            for (fraction, label) in ticks {
                svg += "<line x1=\"\(f(x - 4))\" y1=\"\(f(y(fraction)))\" x2=\"\(f(x))\" y2=\"\(f(y(fraction)))\" stroke=\"#888888\"/>"
                    + "<text x=\"\(f(x - 6))\" y=\"\(f(y(fraction) + 3))\" text-anchor=\"end\">"
                    + "\(shortened(label, max(4, characters / 2)).markupEscaped)</text>\n"
            }
            svg += "<text x=\"\(f(x))\" y=\"\(f(plot.bottom + 18))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#222222\">"
                + "\(shortened(name, characters).markupEscaped)</text>\n"
        }
        svg += "</g>\n"

        // MARK: Colour key: the ramp from the lowest score to the highest.
        if !scores.isEmpty {
            let keyY = Double(height) - 14, keyLeft = plot.right - 150
            svg += "<g class=\"key\" font-size=\"10\" fill=\"#444444\">\n"
            svg += "<text x=\"\(f(keyLeft - 6))\" y=\"\(f(keyY + 4))\" text-anchor=\"end\">\(Self.number(lowest).markupEscaped)</text>\n"
            for step in 0..<10 {
                svg += "<rect x=\"\(f(keyLeft + Double(step) * 15))\" y=\"\(f(keyY - 5))\" width=\"15\" height=\"10\" "
                    + "fill=\"\(Self.color(at: Double(step) / 9))\"/>\n"
            }
            svg += "<text x=\"\(f(keyLeft + 156))\" y=\"\(f(keyY + 4))\">\(Self.number(highest).markupEscaped)</text>\n"
            svg += "</g>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    /// A score or value for a label: four significant digits, "n/a" when it is not finite (a diverged trial).
    static func number(_ value: Double) -> String { value.isFinite ? String(format: "%.4g", value) : "n/a" }
}
