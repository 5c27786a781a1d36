import BackpropTensor

/// Mirrors each image of a training batch left to right with probability `probability`.
///
/// Images are planar (channel-major): each row of the batch holds `channels` planes of `height` rows of
/// `width` pixels, as CIFAR-10 stores them; a flip reverses every pixel row of every plane. Whether an
/// image is flipped is drawn once per image, so its colour planes stay aligned: image i of a batch is
/// flipped when word i of the batch's `PhiloxStream` (keyed by the run's generator) is below
/// `PhiloxStream.threshold(probability:)`.
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
        // Each line is reversed as machine words of the scalar's size, not element by element: this
        // function runs unspecialised for the batch's scalar type, where each generic element access
        // would cost a call.
        let size = MemoryLayout<S>.stride
        let flips = generator.nextStream().bernoulli(images, threshold: PhiloxStream.threshold(probability: probability))
        batch.scalars.withUnsafeMutableBytes { x in
            for image in 0..<images where flips[image] {
                let start = x.baseAddress! + image * columns * size
                for line in 0..<lines {
                    let row = start + line * width * size
                    switch size {
                    case 4: Self.reverse(row, count: width, as: UInt32.self)
                    case 8: Self.reverse(row, count: width, as: UInt64.self)
                    default: Self.reverse(row, count: width, size: size)
                    }
                }
            }
        }
    }

    /// Reverses `count` words of type `Word` at `row`.
    private static func reverse<Word: FixedWidthInteger>(_ row: UnsafeMutableRawPointer, count: Int, as: Word.Type) {
        let step = MemoryLayout<Word>.stride
        var (left, right) = (0, count - 1)
        while left < right {
            let a = row.load(fromByteOffset: left * step, as: Word.self)
            let b = row.load(fromByteOffset: right * step, as: Word.self)
            row.storeBytes(of: b, toByteOffset: left * step, as: Word.self)
            row.storeBytes(of: a, toByteOffset: right * step, as: Word.self)
            left += 1
            right -= 1
        }
    }

    /// Reverses `count` elements of `size` bytes at `row`, byte by byte (a scalar of another size).
    private static func reverse(_ row: UnsafeMutableRawPointer, count: Int, size: Int) {
        var (left, right) = (0, count - 1)
        while left < right {
            for byte in 0..<size {
                let a = row.load(fromByteOffset: left * size + byte, as: UInt8.self)
                row.storeBytes(of: row.load(fromByteOffset: right * size + byte, as: UInt8.self),
                               toByteOffset: left * size + byte, as: UInt8.self)
                row.storeBytes(of: a, toByteOffset: right * size + byte, as: UInt8.self)
            }
            left += 1
            right -= 1
        }
    }
}
