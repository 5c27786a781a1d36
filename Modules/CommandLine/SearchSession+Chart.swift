import Backprop
import BackpropReports

extension SearchSession {
    /// The search's chart as an SVG document (`search.svg`): with one charted dimension
    /// (`HyperparameterSearch.chartedDimensions`), accuracy against it (`lineChart(of:)`, a λ search's
    /// accuracy against λ); with several, every trial across all of them (`parallelCoordinatesChart()`).
    public func chartSVG(width: Int = 720, height: Int = 420) -> String {
        let charted = search.chartedDimensions.compactMap { name in search.dimensions.first { $0.name == name } }
        if charted.count == 1 { return lineChart(of: charted[0]).svg(width: width, height: height) }
        return parallelCoordinatesChart().svg(width: width, height: height)
    }

    /// Validation and training accuracy against one dimension, each stage a series: the λ search's
    /// chart. A categorical dimension is drawn by the index of each value in its choices.
    public func lineChart(of dimension: SearchDimension) -> LineChart {
        let scale: LineChart.Scale = dimension.scale == .logarithmic ? .logarithmic : .linear
        var xLabel = dimension.name
        if case .categorical = dimension.scale { xLabel += " (index of the choice)" }
        var chart = LineChart(title: "\(search.name): accuracy against \(dimension.name)", xLabel: xLabel,
                              yLabel: "accuracy", xScale: scale)
        for stage in search.stages {
            let points = outcomes(stage).map { (x: position(of: $0.trial, on: dimension), outcome: $0) }
                .sorted { $0.x < $1.x }
            guard !points.isEmpty else { continue }
            let prefix = search.stages.count > 1 ? "\(stage) " : ""
            chart.add(.init(name: prefix + "validation", x: points.map(\.x), y: points.map(\.outcome.validationAccuracy),
                            style: .lineAndMarkers))
            chart.add(.init(name: prefix + "training", x: points.map(\.x), y: points.map(\.outcome.trainAccuracy),
                            style: .markers))
        }
        return chart
    }

    /// Every finished trial as a line across the charted dimensions, ending at its validation accuracy,
    /// coloured by it.
    public func parallelCoordinatesChart() -> ParallelCoordinatesChart {
        let charted = search.chartedDimensions.compactMap { name in search.dimensions.first { $0.name == name } }
        var chart = ParallelCoordinatesChart(
            title: "\(search.name): \(ranking.count) trial(s)", scoreName: "validation accuracy",
            dimensions: charted.map { dimension in
                switch dimension.scale {
                case .linear: .init(name: dimension.name, axis: .linear)
                case .logarithmic: .init(name: dimension.name, axis: .logarithmic)
                case .categorical(let values): .init(name: dimension.name, axis: .categorical(values.map { SearchSession.text($0) }))
                }
            })
        for outcome in ranking {
            chart.add(.init(label: outcome.trial.id, values: charted.map { position(of: outcome.trial, on: $0) },
                            score: outcome.validationAccuracy))
        }
        return chart
    }

    /// Where a trial lies on a dimension: its number, or the index of its value among the choices (NaN
    /// when it has none).
    private func position(of trial: SearchTrial, on dimension: SearchDimension) -> Double {
        guard case .categorical(let values) = dimension.scale else { return trial.number(dimension.name) }
        return trial.parameters[dimension.name].flatMap { value in values.firstIndex(of: value).map(Double.init) } ?? .nan
    }
}
