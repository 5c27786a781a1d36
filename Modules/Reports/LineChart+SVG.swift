import Foundation

extension LineChart {
    /// The chart as a standalone SVG document of `width × height` pixels.
    ///
    /// The document is well-formed XML with the SVG namespace and no XML declaration, so it can be
    /// saved as a `.svg` file that browsers open and also be inlined as is into an HTML page. All text
    /// (title, labels, series names) is escaped. The legend sits to the right of the plot (or under it: `legendPlacement`)
    /// so that it never hides data. A title longer than the chart is wide wraps onto more lines (never clipped).
    ///
    /// A linear y axis whose positive values span more than `LineChart.automaticLogDecades` decades
    /// (a diverged run's loss, say) is drawn logarithmically instead, so that the rest of the curve is
    /// not a flat line; the axis label then says "(log scale)".
    public func svg(width: Int = 640, height: Int = 400) -> String {
        if yScale == .linear, spansManyDecades {
            var logarithmic = self
            logarithmic.yScale = .logarithmic
            if !yLabel.isEmpty { logarithmic.yLabel += " (log scale)" }
            return logarithmic.svg(width: width, height: height)
        }
        let width = max(width, 160), height = max(height, 120)
        let drawable = series.map { $0.points.filter(isDrawable) }
        let xAxis = ChartAxis(covering: drawable.flatMap { $0.map(\.x) }, scale: xScale)
        let yAxis = ChartAxis(covering: drawable.flatMap { $0.map(\.y) }, scale: yScale)

        // Layout: the legend takes a column on the right, sized to the longest name within a third of
        // the width; a name longer than its column is shortened with an ellipsis.
        // Below the plot, the legend takes a row per series instead, as wide as the chart.
        let characterWidth = 7.0
        let longestName = series.map(\.name.count).max() ?? 0
        let below = legendPlacement == .below && !series.isEmpty
        let legendWidth = series.isEmpty || below ? 0 : min(Double(width) / 3, Double(longestName) * characterWidth + 40)
        let legendHeight = below ? Double(Self.legendRowHeight * series.count + 6) : 0
        let legendCharacters = max(3, Int(((below ? Double(width) - 72 : legendWidth) - 40) / characterWidth))
        let titleLines = Self.wrapped(title, characters: max(10, Int((Double(width) - 24) / 8.5)))
        let plot = (
            left: 72.0,
            top: title.isEmpty ? 16.0 : 40.0 + 18 * Double(titleLines.count - 1),
            right: Double(width) - 16 - legendWidth,
            bottom: Double(height) - (xLabel.isEmpty ? 30.0 : 52.0) - legendHeight)
        func x(_ value: Double) -> Double { plot.left + xAxis.fraction(value) * (plot.right - plot.left) }
        func y(_ value: Double) -> Double { plot.bottom - yAxis.fraction(value) * (plot.bottom - plot.top) }

        var svg = svgOpening(width: width, height: height, title: title)

        // MARK: Grid and axes
        svg += "<g class=\"grid\" stroke=\"#e6e6e6\" stroke-width=\"1\">\n"
        for tick in xAxis.ticks {
            svg += "<line x1=\"\(f(x(tick)))\" y1=\"\(f(plot.top))\" x2=\"\(f(x(tick)))\" y2=\"\(f(plot.bottom))\"/>\n"
        }
        for tick in yAxis.ticks {
            svg += "<line x1=\"\(f(plot.left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(plot.right))\" y2=\"\(f(y(tick)))\"/>\n"
        }
        svg += "</g>\n<g class=\"axes\" stroke=\"#333333\" stroke-width=\"1\">\n"
        for tick in xAxis.ticks {
            svg += "<line x1=\"\(f(x(tick)))\" y1=\"\(f(plot.bottom))\" x2=\"\(f(x(tick)))\" y2=\"\(f(plot.bottom + 5))\"/>\n"
        }
        for tick in xAxis.minorTicks {
            svg += "<line x1=\"\(f(x(tick)))\" y1=\"\(f(plot.bottom))\" x2=\"\(f(x(tick)))\" y2=\"\(f(plot.bottom + 3))\"/>\n"
        }
        for tick in yAxis.ticks {
            svg += "<line x1=\"\(f(plot.left - 5))\" y1=\"\(f(y(tick)))\" x2=\"\(f(plot.left))\" y2=\"\(f(y(tick)))\"/>\n"
        }
        for tick in yAxis.minorTicks {
            svg += "<line x1=\"\(f(plot.left - 3))\" y1=\"\(f(y(tick)))\" x2=\"\(f(plot.left))\" y2=\"\(f(y(tick)))\"/>\n"
        }
        svg += """
            <rect x="\(f(plot.left))" y="\(f(plot.top))" width="\(f(plot.right - plot.left))" \
            height="\(f(plot.bottom - plot.top))" fill="none"/>
            </g>
            <g class="tick-labels" fill="#333333">

            """
        for tick in xAxis.ticks {
            svg += "<text x=\"\(f(x(tick)))\" y=\"\(f(plot.bottom + 19))\" text-anchor=\"middle\">\(xAxis.label(tick).markupEscaped)</text>\n"
        }
        for tick in yAxis.ticks {
            svg += "<text x=\"\(f(plot.left - 8))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(yAxis.label(tick).markupEscaped)</text>\n"
        }
        svg += "</g>\n"

        // MARK: Titles
        let centerX = f((plot.left + plot.right) / 2)
        for (index, line) in titleLines.enumerated() {
            // Centred on the whole chart rather than the plot, so that a wide line is not pushed past the left edge.
            svg += "<text class=\"chart-title\" x=\"\(f(Double(width) / 2))\" y=\"\(f(24 + 18 * Double(index)))\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">\(line.markupEscaped)</text>\n"
        }
        if !xLabel.isEmpty {
            svg += "<text class=\"x-label\" x=\"\(centerX)\" y=\"\(f(Double(height) - 12 - legendHeight))\" text-anchor=\"middle\">\(xLabel.markupEscaped)</text>\n"
        }
        if !yLabel.isEmpty {
            let centerY = f((plot.top + plot.bottom) / 2)
            svg += "<text class=\"y-label\" transform=\"translate(18 \(centerY)) rotate(-90)\" text-anchor=\"middle\">\(yLabel.markupEscaped)</text>\n"
        }
        if drawable.allSatisfy(\.isEmpty) {
            svg += "<text x=\"\(centerX)\" y=\"\(f((plot.top + plot.bottom) / 2))\" text-anchor=\"middle\" fill=\"#888888\">no data</text>\n"
        }

        // MARK: Series
        for (index, entry) in series.enumerated() {
            let color = color(ofSeries: index).markupEscaped
            // Runs of consecutive drawable points; a skipped point breaks the line.
            var runs: [[(x: Double, y: Double)]] = [[]]
            for point in entry.points {
                if isDrawable(point) {
                    runs[runs.count - 1].append((x(point.x), y(point.y)))
                } else if !runs[runs.count - 1].isEmpty {
                    runs.append([])
                }
            }
            runs.removeAll { $0.isEmpty }
            guard !runs.isEmpty else { continue }
            svg += "<g class=\"series\" fill=\"\(color)\" stroke=\"\(color)\">\n"
            if entry.style != .markers {
                let path = runs.map { run in
                    "M" + run.map { "\(f($0.x)) \(f($0.y))" }.joined(separator: " L")
                }.joined(separator: " ")
                svg += "<path d=\"\(path)\" fill=\"none\" stroke-width=\"1.8\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n"
            }
            // Markers where asked for, and for lone points of a line, which a path alone would not show.
            let markers = entry.style == .line ? runs.filter { $0.count == 1 }.flatMap { $0 } : runs.flatMap { $0 }
            for point in markers {
                svg += "<circle cx=\"\(f(point.x))\" cy=\"\(f(point.y))\" r=\"3.2\" stroke=\"none\"/>\n"
            }
            svg += "</g>\n"
        }

        // MARK: Legend
        if !series.isEmpty {
            let left = below ? plot.left : plot.right + 14
            let firstRow = below ? Double(height) - legendHeight + 6 : plot.top + 8
            svg += "<g class=\"legend\">\n"
            for (index, entry) in series.enumerated() {
                let rowY = firstRow + Double(index) * Double(Self.legendRowHeight)
                guard rowY < Double(height) - 4 else { break }
                let color = color(ofSeries: index).markupEscaped
                if entry.style != .markers {
                    svg += "<line x1=\"\(f(left))\" y1=\"\(f(rowY))\" x2=\"\(f(left + 22))\" y2=\"\(f(rowY))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
                }
                if entry.style != .line {
                    svg += "<circle cx=\"\(f(left + 11))\" cy=\"\(f(rowY))\" r=\"3.2\" fill=\"\(color)\"/>\n"
                }
                let name = entry.name.count > legendCharacters
                    ? String(entry.name.prefix(legendCharacters - 1)) + "…" : entry.name
                svg += "<text x=\"\(f(left + 28))\" y=\"\(f(rowY + 4))\" fill=\"#333333\">\(name.markupEscaped)</text>\n"
            }
            svg += "</g>\n"
        }
        svg += "</svg>\n"
        return svg
    }
}

extension LineChart {
    /// How many decades the positive y values of a linear chart may span before it is drawn on a
    /// logarithmic axis.
    public static let automaticLogDecades = 4.0

    /// Whether the finite y values are all positive and span more than `automaticLogDecades` decades.
    var spansManyDecades: Bool {
        let values = series.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
        guard let low = values.min(), let high = values.max(), low > 0 else { return false }
        return log10(high / low) > Self.automaticLogDecades
    }

    /// `text` broken at spaces into lines of at most `characters` characters (a longer word is cut).
    static func wrapped(_ text: String, characters: Int) -> [String] {
        guard !text.isEmpty else { return [] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            var word = String(word)
            while word.count > characters {
                if !line.isEmpty { lines.append(line); line = "" }
                lines.append(String(word.prefix(characters)))
                word = String(word.dropFirst(characters))
            }
            if line.isEmpty {
                line = word
            } else if line.count + 1 + word.count <= characters {
                line += " " + word
            } else {
                lines.append(line)
                line = word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

/// The opening of a chart's SVG document: the root element of `width × height` pixels with the SVG
/// namespace and the charts' font, the `title` (escaped) for tooltips and accessibility, and a white
/// background. The caller closes it with `</svg>`.
func svgOpening(width: Int, height: Int, title: String) -> String {
    var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
        viewBox="0 0 \(width) \(height)" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" \
        font-size="12">

        """
    if !title.isEmpty { svg += "<title>\(title.markupEscaped)</title>\n" }
    return svg + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
}

/// A coordinate with one decimal: finer than a pixel, and short (every chart's SVG writes its coordinates so).
///
/// Formatted by hand from tenths, which is several times faster than `String(format:)` for charts
/// with tens of thousands of points. A coordinate far off the chart (a value beyond a clipped axis) is
/// held at a million pixels, and one that is not finite at 0, so that the conversion never traps.
func f(_ value: Double) -> String {
    let clamped = value.isFinite ? min(max(value, -1e6), 1e6) : 0
    let tenths = Int((clamped * 10).rounded())
    let magnitude = tenths.magnitude
    return (tenths < 0 ? "-" : "") + "\(magnitude / 10).\(magnitude % 10)"
}
