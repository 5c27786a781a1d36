import BackpropTensor

extension PNGImage {
    /// The picture of one unit's weights over a colour image, as the course shows class templates.
    ///
    /// `values` holds `3 × width × height` weights in CIFAR-10's planar order: the red plane first
    /// (row-major), then green, then blue. They are stretched to 0…255 by (w − min) / (max − min) over
    /// the whole image, all three channels together, as the course's montage code does, so the smallest
    /// weight is black and the largest white. A constant image has no contrast to stretch and is drawn
    /// mid-grey (128); NaN or infinite weights are ignored for the range and drawn as 0.
    ///
    /// - Throws: `ReportFileError.invalidImage` when `values.count` is not `3 × width × height`.
    public static func weightImage<S: BinaryFloatingPoint>(
        fromPlanarRGB values: [S], width: Int = 32, height: Int = 32
    ) throws -> PNGImage {
        try weightImage(planar: values.map { Double($0) }, width: width, height: height)
    }

    /// One weight picture per output unit of a fully connected layer whose weight has shape
    /// `[inputs, outputs]` (Backprop's `Linear`): column `j` holds the input weights of unit `j`.
    ///
    /// For a linear classifier on CIFAR-10 this gives the ten class templates.
    ///
    /// - Throws: `ReportFileError.invalidImage` when the weight is not rank 2 with
    ///   `3 × width × height` rows.
    public static func weightImages<S: TensorScalar>(
        columnsOf weights: Tensor<S>, width: Int = 32, height: Int = 32
    ) throws -> [PNGImage] {
        guard weights.rank == 2 else {
            throw ReportFileError.invalidImage(reason: "weights of shape \(weights.shape) are not a matrix")
        }
        let (inputs, outputs) = (weights.shape[0], weights.shape[1])
        let doubles = weights.scalars.map { Double($0) }
        return try (0..<outputs).map { unit in
            try weightImage(planar: (0..<inputs).map { doubles[$0 * outputs + unit] }, width: width, height: height)
        }
    }

    /// The work of `weightImage(fromPlanarRGB:)`, on `Double`s so that it runs specialised.
    private static func weightImage(planar values: [Double], width: Int, height: Int) throws -> PNGImage {
        let plane = width * height
        guard width > 0, height > 0, values.count == 3 * plane else {
            throw ReportFileError.invalidImage(
                reason: "\(values.count) weights cannot be drawn as a \(width) × \(height) RGB image, which needs \(3 * max(0, plane))")
        }
        var low = Double.infinity, high = -Double.infinity
        for value in values where value.isFinite {
            low = min(low, value)
            high = max(high, value)
        }
        var pixels = [UInt8](repeating: 0, count: 3 * plane)
        for channel in 0..<3 {
            for index in 0..<plane {
                let value = values[channel * plane + index]
                let byte: UInt8
                if !value.isFinite {
                    byte = 0
                } else if high > low {
                    byte = UInt8(max(0, min(255, (255 * (value - low) / (high - low)).rounded())))
                } else {
                    byte = 128
                }
                pixels[index * 3 + channel] = byte
            }
        }
        return PNGImage(width: width, height: height, pixels: pixels)
    }
}
