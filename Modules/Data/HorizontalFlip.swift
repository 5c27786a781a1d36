import BackpropTensor

/// Mirrors each image of a training batch left to right with probability `probability`.
///
/// Images are planar (channel-major): each row of the batch holds `channels` planes of `height` rows of
/// `width` pixels, as CIFAR-10 stores them; a flip reverses every pixel row of every plane. Whether an
/// image is flipped is drawn once per image, so its colour planes stay aligned.
public struct HorizontalFlip: Augmentation, Equatable {
    /// The chance that an image is flipped, in [0, 1].
    public let probability: Double
    /// The layout of one image.
    public let imageShape: ImageShape

    /// Flips with probability `probability` (in [0, 1]) images of shape `imageShape`.
    public init(probability: Double = 0.5, imageShape: ImageShape = .cifar) {
        precondition((0...1).contains(probability), "HorizontalFlip: probability must be in [0, 1], got \(probability)")
        self.probability = probability
        self.imageShape = imageShape
    }

    public var description: String { "HorizontalFlip(p: \(probability), \(imageShape))" }

    public func apply<S: TensorScalar>(to batch: inout Tensor<S>, generator: inout SeededGenerator) {
        let columns = imageShape.featureCount
        precondition(batch.count == 0 || batch.columns == columns,
                     "HorizontalFlip for \(imageShape) images got rows of \(batch.columns) features")
        let images = batch.count / max(columns, 1)
        let width = imageShape.width
        let lines = imageShape.channels * imageShape.height
        batch.scalars.withUnsafeMutableBufferPointer { x in
            for image in 0..<images where generator.nextUniform() < probability {
                let start = x.baseAddress! + image * columns
                for line in 0..<lines {
                    let row = start + line * width
                    var (left, right) = (0, width - 1)
                    while left < right {
                        swap(&row[left], &row[right])
                        left += 1
                        right -= 1
                    }
                }
            }
        }
    }
}
