import BackpropTraining

extension ConfusionMatrix {
    /// The matrix as an SVG heat map: a cell per (true, predicted) pair shaded by the share of its true
    /// class, with its count written in it and the class names on both axes.
    public func svg(classNames: [String], cellSize: Int = 44) -> String {
        let k = classCount
        let margin = 110, top = 40
        let width = margin + k * cellSize + 20, height = top + margin + k * cellSize
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
            viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="11" role="img">
            <title>Confusion matrix: rows are true classes, columns predicted classes</title>
            <text x="\(margin + k * cellSize / 2)" y="16" text-anchor="middle" font-size="13">predicted class</text>

            """
        for t in 0..<k {
            let rowTotal = max(support(t), 1)
            for p in 0..<k {
                let share = Double(counts[t][p]) / Double(rowTotal)
                let (x, y) = (margin + p * cellSize, top + t * cellSize)
                // Correct predictions in blue, mistakes in red; white for none.
                let (r, g, b) = t == p
                    ? (Int(255 - 200 * share), Int(255 - 130 * share), 255)
                    : (255, Int(255 - 200 * share), Int(255 - 200 * share))
                let ink = share > 0.55 ? "#fff" : "#222"
                svg += """
                    <rect x="\(x)" y="\(y)" width="\(cellSize)" height="\(cellSize)" fill="rgb(\(r),\(g),\(b))" \
                    stroke="#ccc"><title>\(classNames[t].markupEscaped) predicted as \
                    \(classNames[p].markupEscaped): \(counts[t][p])</title></rect>
                    <text x="\(x + cellSize / 2)" y="\(y + cellSize / 2 + 4)" text-anchor="middle" \
                    fill="\(ink)">\(counts[t][p])</text>

                    """
            }
            svg += """
                <text x="\(margin - 6)" y="\(top + t * cellSize + cellSize / 2 + 4)" \
                text-anchor="end">\(classNames[t].markupEscaped)</text>

                """
        }
        for p in 0..<k {
            let x = margin + p * cellSize + cellSize / 2, y = top + k * cellSize + 8
            svg += """
                <text x="\(x)" y="\(y)" text-anchor="end" transform="rotate(-60 \(x) \(y))">\
                \(classNames[p].markupEscaped)</text>

                """
        }
        svg += """
            <text x="14" y="\(top + k * cellSize / 2)" text-anchor="middle" font-size="13" \
            transform="rotate(-90 14 \(top + k * cellSize / 2))">true class</text>
            </svg>
            """
        return svg
    }
}
