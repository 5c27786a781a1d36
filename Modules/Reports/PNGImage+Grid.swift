extension PNGImage {
    /// Tiles `images` left to right, top to bottom, in a grid of `columns` columns.
    ///
    /// Each image is enlarged `scale` times by repeating pixels (nearest neighbour, so weights stay
    /// crisp squares), placed at the top left of a cell as large as the largest scaled image, and
    /// separated from its neighbours and the border by `padding` pixels of `background` grey.
    ///
    /// - Parameters:
    ///   - images: the images, placed row by row.
    ///   - columns: cells per row; values below 1 count as 1, and fewer images than columns shrink the
    ///     grid to one row of just those images.
    ///   - padding: pixels between cells and around the grid; negative counts as 0.
    ///   - scale: the integer enlargement; values below 1 count as 1.
    ///   - background: the grey level of the padding.
    /// - Returns: the grid, or a 1 × 1 background image when `images` is empty.
    public static func grid(
        _ images: [PNGImage], columns: Int, padding: Int, scale: Int, background: UInt8 = 255
    ) -> PNGImage {
        let scale = max(1, scale), padding = max(0, padding)
        guard !images.isEmpty else {
            return PNGImage(width: 1, height: 1, red: background, green: background, blue: background)
        }
        let columns = min(max(1, columns), images.count)
        let rows = (images.count + columns - 1) / columns
        let cellWidth = (images.map(\.width).max() ?? 0) * scale
        let cellHeight = (images.map(\.height).max() ?? 0) * scale
        let width = columns * cellWidth + (columns + 1) * padding
        let height = rows * cellHeight + (rows + 1) * padding
        var grid = PNGImage(width: width, height: height, red: background, green: background, blue: background)
        grid.pixels.withUnsafeMutableBufferPointer { target in
            for (index, image) in images.enumerated() {
                let left = padding + (index % columns) * (cellWidth + padding)
                let top = padding + (index / columns) * (cellHeight + padding)
                for y in 0..<(image.height * scale) {
                    let sourceRow = (y / scale) * image.width
                    let targetRow = (top + y) * width + left
                    for x in 0..<(image.width * scale) {
                        let source = (sourceRow + x / scale) * 3
                        let destination = (targetRow + x) * 3
                        target[destination] = image.pixels[source]
                        target[destination + 1] = image.pixels[source + 1]
                        target[destination + 2] = image.pixels[source + 2]
                    }
                }
            }
        }
        return grid
    }
}
