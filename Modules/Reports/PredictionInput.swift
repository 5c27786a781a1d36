import BackpropData
import BackpropTensor
import Foundation

/// Reads the raw examples `backprop predict` is given, one row each, in the data set's own units
/// (pixel values 0...255): the model's standardiser is applied afterwards.
///
/// | file | read as |
/// |---|---|
/// | `*.bin` | CIFAR-10 binary records (label byte + 3,072 pixels); the labels are ignored |
/// | `*.npy` | an `N × d` array of `uint8`, `float32` or `float64` (a 1-D array is one example) |
/// | `*.png` | one 8-bit image, planar RGB (CHW, as CIFAR-10) or grey |
/// | anything else | an IDX image file (`0x00000803`), gzipped or not |
public enum PredictionInput {
    /// The examples of `url`, one per row.
    ///
    /// - Throws: an error naming the file when it is missing, damaged or not one of the formats above.
    public static func read(_ url: URL) throws -> Tensor<Float> {
        switch url.pathExtension.lowercased() {
        case "bin":
            return try CIFAR10.loadBinaryBatch(url).features
        case "npy":
            let array = try NumpyFile.read(url, as: Float.self)
            switch array.shape.count {
            case 1: return array.reshaped([1, array.count])
            case 2: return array
            default:
                throw ReportFileError.malformedNumpy(
                    path: url.path, reason: "shape \(array.shape): give one example per row (N × d) or one example (d)")
            }
        case "png":
            let image = try PNGImage.decoded(InputFile.data(of: url), source: url.path)
            return planar(image)
        default:
            return try IDX.loadImages(url).features
        }
    }

    /// One row holding the image's red plane, then green, then blue (CIFAR-10's layout). A grey image
    /// (all three channels equal) gives one plane, as MNIST stores it.
    static func planar(_ image: PNGImage) -> Tensor<Float> {
        let n = image.width * image.height
        let pixels = image.pixels
        let grey = (0..<n).allSatisfy { (i: Int) -> Bool in
            let red = pixels[3 * i]
            return red == pixels[3 * i + 1] && red == pixels[3 * i + 2]
        }
        let planes = grey ? 1 : 3
        var scalars = [Float](repeating: 0, count: planes * n)
        for plane in 0..<planes {
            for pixel in 0..<n { scalars[plane * n + pixel] = Float(image.pixels[3 * pixel + plane]) }
        }
        return Tensor(shape: [1, planes * n], scalars: scalars)
    }
}

/// The table `backprop predict` writes: per example its index, the predicted class and the three most
/// probable classes with their probabilities.
public enum PredictionTable {
    public static func make(_ probabilities: Tensor<Double>, classNames: [String], top: Int = 3) -> CSVTable {
        let k = min(top, classNames.count)
        var columns = ["index", "predicted"]
        for rank in 1...k { columns += ["class_\(rank)", "probability_\(rank)"] }
        var table = CSVTable(columns: columns)
        for row in 0..<probabilities.rows {
            let p = Array(probabilities.scalars[(row * classNames.count)..<((row + 1) * classNames.count)])
            // Most probable first; equal probabilities keep class order, as argmax does.
            let ranked = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }.prefix(k)
            var cells: [CSVTable.Cell] = [.integer(row), .text(classNames[ranked.first!])]
            for c in ranked { cells += [.text(classNames[c]), .number(p[c])] }
            table.append(cells)
        }
        return table
    }
}
