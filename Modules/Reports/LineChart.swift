import Foundation

/// A line or scatter chart of named series, rendered as a self-contained SVG.
///
/// Used for learning curves (loss, cost and accuracy per update step), cyclical learning rates, and
/// λ searches (validation accuracy against λ on a logarithmic axis, one marker per trial).
///
/// ```swift
/// var chart = LineChart(title: "Cost", xLabel: "update step", yLabel: "cost")
/// chart.add(.init(name: "training", points: trainingCost))
/// chart.add(.init(name: "validation", points: validationCost))
/// try AtomicFile.write(chart.svg(), to: run.appendingPathComponent("cost.svg"))
///
/// var search = LineChart(title: "Search", xLabel: "λ", yLabel: "validation accuracy", xScale: .logarithmic)
/// search.add(.init(name: "trials", points: trials, style: .markers))
/// ```
///
/// Points that cannot be drawn are skipped: NaN and infinite coordinates (a diverged run), and zero or
/// negative ones on a logarithmic axis. A line is broken where points are skipped rather than bridged
/// over them. Empty charts, single points and constant data render without dividing by zero. Axes extend
/// to "nice" tick values (steps of 1, 2 or 5 times a power of ten; whole decades on logarithmic axes).
public struct LineChart: Sendable {
    /// How an axis maps values to positions.
    public enum Scale: Sendable, Equatable {
        case linear
        /// Base-10 logarithmic; values that are not positive are not drawn.
        case logarithmic
    }

    /// How a series is drawn.
    public enum Style: Sendable, Equatable {
        /// A polyline through the points in the order given.
        case line
        /// A dot per point, for scatter plots such as search trials.
        case markers
        /// Both.
        case lineAndMarkers
    }

    /// One named set of points drawn in one colour.
    public struct Series: Sendable {
        /// The name shown in the legend.
        public var name: String
        /// The points, drawn in this order.
        public var points: [(x: Double, y: Double)]
        /// Any CSS colour (`#1f77b4`, `red`); `nil` takes the next colour of `LineChart.palette`.
        public var color: String?
        public var style: Style

        public init(name: String, points: [(x: Double, y: Double)], color: String? = nil, style: Style = .line) {
            self.name = name
            self.points = points
            self.color = color
            self.style = style
        }

        /// A series from parallel arrays of coordinates, which must have the same length.
        public init(name: String, x: [Double], y: [Double], color: String? = nil, style: Style = .line) {
            precondition(x.count == y.count, "LineChart.Series '\(name)': \(x.count) x values for \(y.count) y values")
            self.init(name: name, points: Array(zip(x, y)).map { (x: $0.0, y: $0.1) }, color: color, style: style)
        }
    }

    /// The colours given to series without one, in order (Matplotlib's "tab10", familiar from the
    /// course's plots and distinguishable by most colour-blind readers).
    public static let palette = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ]

    /// Where the legend goes.
    public enum LegendPlacement: Sendable, Equatable {
        /// A column right of the plot, a third of the width at most (names longer are shortened).
        case right
        /// One row per series under the plot, as wide as the chart: for long names, such as runs
        /// compared (`backprop compare`); the plot is `LineChart.legendRowHeight` shorter per series.
        case below
    }

    /// The height of one legend row, which a legend below the plot takes from it per series.
    public static let legendRowHeight = 18

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xScale: Scale
    public var yScale: Scale
    public var series: [Series]
    /// Where the legend goes; right of the plot unless set.
    public var legendPlacement: LegendPlacement = .right

    public init(
        title: String, xLabel: String, yLabel: String,
        xScale: Scale = .linear, yScale: Scale = .linear, series: [Series] = []
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xScale = xScale
        self.yScale = yScale
        self.series = series
    }

    /// Appends a series; it is drawn above the ones added before it.
    public mutating func add(_ series: Series) {
        self.series.append(series)
    }

    /// Writes `svg(width:height:)` to `url` atomically, creating parent directories.
    ///
    /// - Throws: `ReportFileError.cannotWrite` naming the path.
    public func write(to url: URL, width: Int = 640, height: Int = 400) throws {
        try AtomicFile.write(svg(width: width, height: height), to: url)
    }

    /// The colour series `index` is drawn in.
    func color(ofSeries index: Int) -> String {
        series[index].color ?? Self.palette[index % Self.palette.count]
    }

    /// Whether a point can be placed on the chart's axes.
    func isDrawable(_ point: (x: Double, y: Double)) -> Bool {
        point.x.isFinite && point.y.isFinite
            && (xScale == .linear || point.x > 0) && (yScale == .linear || point.y > 0)
    }
}
