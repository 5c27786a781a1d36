/// The layout of one example when it is an image: `channels` planes of `height × width` pixels.
///
/// Examples are stored planar (channel-major, "CHW"): all of the first channel's rows, then the second
/// channel's, as in the CIFAR-10 files. Augmentations that move pixels (flips) and reports that draw
/// weights as pictures need this to find a pixel in a feature row.
public struct ImageShape: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    public init(channels: Int, height: Int, width: Int) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// CIFAR-10's 3 × 32 × 32 colour images.
    public static let cifar = ImageShape(channels: 3, height: 32, width: 32)
    /// MNIST's and Fashion-MNIST's 1 × 28 × 28 grey images.
    public static let mnist = ImageShape(channels: 1, height: 28, width: 28)

    /// The number of features of one image: `channels · height · width`.
    public var featureCount: Int { channels * height * width }

    public var description: String { "\(channels)×\(height)×\(width)" }
}
