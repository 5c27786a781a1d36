import Foundation

/// A parallel-coordinates chart: one vertical axis per dimension (a searched hyper-parameter) and a
/// last one for the score, one polyline per item (a search trial), coloured by its score; rendered as
/// a self-contained SVG.
///
/// Used for random searches, where a table of trials hides what a chart of all of them shows at once:
/// which values of which parameters the good trials share.
///
/// ```swift
/// var chart = ParallelCoordinatesChart(
///     title: "Random search", scoreName: "validation accuracy",
///     dimensions: [.init(name: "λ", axis: .logarithmic), .init(name: "batch", axis: .categorical(["100", "500"]))])
/// chart.add(.init(label: "random-00", values: [3e-4, 1], score: 0.52))
/// try chart.write(to: directory.appendingPathComponent("search.svg"))
/// ```
///
/// Semantics:
/// - Each line passes through its value on each dimension's axis, in order, then its score on the
///   score axis (linear, nice ticks).
/// - A line's colour runs from dark purple (lowest score) through teal to yellow (highest), as
///   Matplotlib's "viridis"; lines are drawn worst first, so the best is on top, and the best is thicker.
/// - A value that cannot be drawn (NaN, infinite, not positive on a logarithmic axis, outside a
///   categorical axis's labels) breaks the line there: the segments touching it are left out. A line
///   whose number of values differs from the number of dimensions is not drawn at all.
/// - Numeric axes cover their drawable values with nice ticks (as `LineChart`'s); a categorical axis
///   spaces its labels evenly, value i at label i. Constant values, one line or none render without
///   dividing by zero.
public struct ParallelCoordinatesChart: Sendable {
    /// How one dimension's values are laid out on its axis.
    public enum Axis: Sendable, Equatable {
        case linear
        /// Base-10 logarithmic; values that are not positive are not drawn.
        case logarithmic
        /// Values are indices 0, 1, … into these labels, spaced evenly from bottom to top.
        case categorical([String])
    }

    /// One axis: its name and layout.
    public struct Dimension: Sendable, Equatable {
        public var name: String
        public var axis: Axis

        public init(name: String, axis: Axis) {
            self.name = name
            self.axis = axis
        }
    }

    /// One item: a value per dimension and a score.
    public struct Line: Sendable, Equatable {
        /// Shown when the line is hovered (an SVG `<title>`).
        public var label: String
        public var values: [Double]
        public var score: Double

        public init(label: String, values: [Double], score: Double) {
            self.label = label
            self.values = values
            self.score = score
        }
    }

    public var title: String
    public var scoreName: String
    public var dimensions: [Dimension]
    public private(set) var lines: [Line] = []

    public init(title: String, scoreName: String, dimensions: [Dimension]) {
        self.title = title
        self.scoreName = scoreName
        self.dimensions = dimensions
    }

    public mutating func add(_ line: Line) { lines.append(line) }

    /// Writes `svg(width:height:)` to `url` atomically.
    public func write(to url: URL, width: Int = 800, height: Int = 420) throws {
        try AtomicFile.write(svg(width: width, height: height), to: url)
    }

    /// The lines that can be drawn (one value per dimension), worst score first; a NaN score counts as
    /// the worst.
    var drawnLines: [Line] {
        lines.filter { $0.values.count == dimensions.count }.sorted { a, b in
            (a.score.isNaN ? -Double.infinity : a.score) < (b.score.isNaN ? -Double.infinity : b.score)
        }
    }

    /// Where `value` lies on `axis`, from 0 (bottom) to 1 (top), or nil when it cannot be drawn.
    static func fraction(_ value: Double, on axis: Axis, numeric: ChartAxis?) -> Double? {
        guard value.isFinite else { return nil }
        switch axis {
        case .linear: return numeric?.fraction(value)
        case .logarithmic: return value > 0 ? numeric?.fraction(value) : nil
        case .categorical(let labels):
            guard let index = Int(exactly: value), labels.indices.contains(index) else { return nil }
            return labels.count == 1 ? 0.5 : Double(index) / Double(labels.count - 1)
        }
    }

    /// The colour of a score at `t` ∈ [0, 1] between the lowest and the highest: viridis, from five
    /// stops interpolated linearly.
    static func color(at t: Double) -> String {
        let stops: [(Double, Double, Double)] = [
            (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
        ]
        let clamped = t.isFinite ? min(max(t, 0), 1) : 0
        let position = clamped * Double(stops.count - 1)
        let index = min(Int(position), stops.count - 2)
        let w = position - Double(index)
        let (a, b) = (stops[index], stops[index + 1])
        func channel(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * w).rounded()) }
        return String(format: "#%02x%02x%02x", channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
    }
}
