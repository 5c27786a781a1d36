import BackpropReports
import Foundation
import Testing

/// Charts of values that span everything a diverging run can produce render, without a trap or a hang
/// (each of these cases did one or the other).
@Suite struct ChartExtremesTests {
    @Test(arguments: [[1.0, 1e300], [-1e308, 1e308], [2.0, Double.greatestFiniteMagnitude], [0.0, 3 * Double.leastNonzeroMagnitude]])
    func hugeAndTinyFiniteValuesRender(values: [Double]) {
        for scale in [LineChart.Scale.linear, .logarithmic] {
            let chart = LineChart(title: "t", xLabel: "x", yLabel: "y", xScale: .linear, yScale: scale,
                                  series: [.init(name: "s", x: [0, 1], y: values)])
            let svg = chart.svg(width: 400, height: 300)
            #expect(svg.contains("</svg>") && !svg.contains("nan") && svg.count < 200_000, "\(values) \(scale)")
        }
    }
}
