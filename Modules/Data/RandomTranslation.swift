import BackpropTensor

/// Shifts each image of a training batch by a random whole number of pixels, up to `maxShift` in each
/// direction, filling the pixels shifted in with 0 (the mean of standardised features).
///
/// The shift (dx, dy) is drawn once per image, uniformly from [−maxShift, maxShift]², and applied to
/// every colour plane alike: a random crop of the image padded by `maxShift` zeros, as the common
/// "pad 4, crop 32" augmentation of CIFAR-10. Images are planar, as `HorizontalFlip` expects.
public struct RandomTranslation: Augmentation, Equatable {
    /// The largest shift in pixels, each way and each direction.
    public let maxShift: Int
    /// The layout of one image.
    public let imageShape: ImageShape

    /// Shifts by up to `maxShift` pixels (at least 0, less than the image's width and height) images of
    /// shape `imageShape`.
    public init(maxShift: Int, imageShape: ImageShape = .cifar) {
        precondition(maxShift >= 0 && maxShift < min(imageShape.width, imageShape.height),
                     "RandomTranslation: the shift must be in 0..<\(min(imageShape.width, imageShape.height)), got \(maxShift)")
        self.maxShift = maxShift
        self.imageShape = imageShape
    }

    public var description: String { "RandomTranslation(pixels: \(maxShift), \(imageShape))" }

    public func apply<S: TensorScalar>(to batch: inout Tensor<S>, generator: inout SeededGenerator) {
        guard maxShift > 0 else { return }
        let columns = imageShape.featureCount
        precondition(batch.count == 0 || batch.columns == columns,
                     "RandomTranslation for \(imageShape) images got rows of \(batch.columns) features")
        let images = batch.count / max(columns, 1)
        let (width, height) = (imageShape.width, imageShape.height)
        let span = 2 * maxShift + 1
        var plane = [S](repeating: 0, count: width * height)
        batch.scalars.withUnsafeMutableBufferPointer { x in
            for image in 0..<images {
                let dx = generator.nextIndex(below: span) - maxShift
                let dy = generator.nextIndex(below: span) - maxShift
                if dx == 0 && dy == 0 { continue }
                for channel in 0..<imageShape.channels {
                    let start = x.baseAddress! + image * columns + channel * width * height
                    // out[r][c] = in[r − dy][c − dx], or 0 outside the image.
                    for row in 0..<height {
                        let source = row - dy
                        for column in 0..<width {
                            let from = column - dx
                            plane[row * width + column] = source >= 0 && source < height && from >= 0 && from < width
                                ? start[source * width + from] : 0
                        }
                    }
                    for index in 0..<plane.count { start[index] = plane[index] }
                }
            }
        }
    }
}
