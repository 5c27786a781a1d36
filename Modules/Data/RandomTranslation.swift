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
        // Rows are moved as bytes (a copy and a zero fill per row), not element by element: this
        // function runs unspecialised for the batch's scalar type, where each generic element access
        // would cost a call. All-zero bytes are +0 in both Float and Double.
        let size = MemoryLayout<S>.stride, rowBytes = width * size
        var plane = [UInt8](repeating: 0, count: width * height * size)
        batch.scalars.withUnsafeMutableBytes { x in
            plane.withUnsafeMutableBytes { plane in
                let copy = plane.baseAddress!
                for image in 0..<images {
                    let dx = generator.nextIndex(below: span) - maxShift
                    let dy = generator.nextIndex(below: span) - maxShift
                    if dx == 0 && dy == 0 { continue }
                    for channel in 0..<imageShape.channels {
                        let start = x.baseAddress! + (image * columns + channel * width * height) * size
                        copy.copyMemory(from: start, byteCount: plane.count)
                        // out[r][c] = in[r − dy][c − dx], or 0 outside the image.
                        let kept = (width - abs(dx)) * size
                        for row in 0..<height {
                            let out = start + row * rowBytes, source = row - dy
                            guard source >= 0 && source < height else {
                                out.initializeMemory(as: UInt8.self, repeating: 0, count: rowBytes)
                                continue
                            }
                            let from = copy + source * rowBytes
                            if dx >= 0 {
                                out.initializeMemory(as: UInt8.self, repeating: 0, count: dx * size)
                                (out + dx * size).copyMemory(from: from, byteCount: kept)
                            } else {
                                out.copyMemory(from: from + (-dx) * size, byteCount: kept)
                                (out + kept).initializeMemory(as: UInt8.self, repeating: 0, count: (-dx) * size)
                            }
                        }
                    }
                }
            }
        }
    }
}
