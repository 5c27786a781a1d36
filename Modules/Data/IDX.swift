import CBackpropKernels
import BackpropTensor
import Foundation

/// The IDX format of MNIST and Fashion-MNIST: a big-endian header, then unsigned bytes.
///
/// An IDX file starts with the magic number `0x000008NN` (`08` = unsigned bytes, `NN` = number of axes),
/// then one 32-bit big-endian extent per axis, then the data in row-major order. Images are
/// `0x00000803` (`[count, rows, columns]`) and labels `0x00000801` (`[count]`). Files may be
/// gzip-compressed, as distributed: a name ending in `.gz` must be gzip, other files are read raw.
///
/// Hostile files: the header's extents are multiplied with overflow checks and compared with the bytes
/// actually present before anything is allocated; gzip output is capped by `Gzip.Limit.standard`.
///
/// ```swift
/// let train = try IDX.load(images: dir.appending(path: "train-images-idx3-ubyte.gz"),
///                          labels: dir.appending(path: "train-labels-idx1-ubyte.gz"),
///                          classNames: FashionMNIST.classNames)
/// ```
public enum IDX {
    /// The magic number of an unsigned-byte image file with axes `[count, rows, columns]`.
    public static let imagesMagic: UInt32 = 0x0000_0803
    /// The magic number of an unsigned-byte label file with axis `[count]`.
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// Reads an image file and its label file into a data set of `count × (rows · columns)` features
    /// with pixel values 0...255.
    ///
    /// - Throws: `DatasetError` naming the file: missing, not gzip (for `.gz` names), corrupt gzip,
    ///   wrong magic, truncated, label out of range, or image and label counts that differ.
    public static func load(images: URL, labels: URL, classNames: [String], cache: DataFileCache? = nil) throws -> Dataset {
        let imageBytes = try contents(of: images, cache: cache)
        let (imageShape, imageStart) = try header(imageBytes, url: images, magic: imagesMagic)
        let labelBytes = try contents(of: labels, cache: cache)
        let (labelShape, labelStart) = try header(labelBytes, url: labels, magic: labelsMagic)
        guard imageShape[0] == labelShape[0] else {
            throw DatasetError.shapeMismatch(images, labels, reason: "\(imageShape[0]) images but \(labelShape[0]) labels")
        }
        let (count, rows, columns) = (imageShape[0], imageShape[1], imageShape[2])
        let pixels = rows * columns
        var labelValues = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let label = Int(labelBytes[labelStart + i])
            guard label < classNames.count else {
                throw DatasetError.labelOutOfRange(labels, record: i, label: label, classCount: classNames.count)
            }
            labelValues[i] = label
        }
        let scalars = floats(from: imageBytes[imageStart...])
        return Dataset(features: Tensor(shape: [count, pixels], scalars: scalars), labels: labelValues,
                       classNames: classNames, imageShape: ImageShape(channels: 1, height: rows, width: columns))
    }

    /// Reads an image file alone (for prediction, where there are no labels): `count × (rows · columns)`
    /// features with pixel values 0...255, and the images' shape.
    ///
    /// - Throws: `DatasetError` naming the file, as for `load`.
    public static func loadImages(_ url: URL) throws -> (features: Tensor<Float>, imageShape: ImageShape) {
        let bytes = try contents(of: url)
        let (shape, start) = try header(bytes, url: url, magic: imagesMagic)
        return (Tensor(shape: [shape[0], shape[1] * shape[2]], scalars: floats(from: bytes[start...])),
                ImageShape(channels: 1, height: shape[1], width: shape[2]))
    }

    /// The file's bytes, gunzipped when its name ends in `.gz` (or it starts with the gzip magic); kept
    /// gunzipped in `cache`, if given.
    static func contents(of url: URL, cache: DataFileCache? = nil) throws -> [UInt8] {
        try cache.contents(of: url) { url in
            let bytes = try FileReading.bytes(of: url)
            if url.pathExtension == "gz" || Gzip.isGzip(bytes) {
                return try Gzip.decompress(bytes, source: url)
            }
            return bytes
        }
    }

    /// Checks the magic number and the size, and returns the axes and the offset of the data.
    static func header(_ bytes: [UInt8], url: URL, magic: UInt32) throws -> (shape: [Int], dataStart: Int) {
        func word(at offset: Int) -> UInt32 {
            bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
        }
        guard bytes.count >= 4 else { throw DatasetError.truncated(url, expected: 4, found: bytes.count) }
        let found = word(at: 0)
        guard found == magic else { throw DatasetError.wrongMagic(url, found: found, expected: magic) }
        let axes = Int(magic & 0xff)
        let dataStart = 4 + 4 * axes
        guard bytes.count >= dataStart else {
            throw DatasetError.truncated(url, expected: dataStart, found: bytes.count)
        }
        let shape = (0..<axes).map { Int(word(at: 4 + 4 * $0)) }
        // Checked: three 32-bit extents can multiply past Int.max (2³¹ × 2³¹ × 4). Zero extents are left
        // out of the check so that every partial product (rows × columns of zero images) fits too.
        var nonZero = 1
        for extent in shape where extent > 0 {
            let (product, overflow) = nonZero.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= Int.max - dataStart else {
                throw DatasetError.malformed(url, reason: "the header announces \(shape.map(String.init).joined(separator: " × ")) "
                    + "bytes of data, more than any file holds (this one holds \(bytes.count))")
            }
            nonZero = product
        }
        let needed = dataStart + (shape.contains(0) ? 0 : nonZero)
        guard bytes.count >= needed else { throw DatasetError.truncated(url, expected: needed, found: bytes.count) }
        guard bytes.count == needed else {
            throw DatasetError.malformed(url, reason: "\(bytes.count - needed) bytes follow the \(shape) data the header announces")
        }
        return (shape, dataStart)
    }
}

/// The bytes as `Float` values 0...255, widened by `bp_widen_records` in rows of 4 KiB (on both cores
/// when large) and a shorter last row.
func floats(from bytes: ArraySlice<UInt8>) -> [Float] {
    let count = bytes.count
    guard count > 0 else { return [] }
    return [Float](unsafeUninitializedCapacity: count) { out, initialized in
        bytes.withUnsafeBufferPointer { source in
            let row = 4096, rows = count / row, rest = count - rows * row
            if rows > 0 { bp_widen_records(source.baseAddress!, row, 0, row, rows, out.baseAddress!) }
            if rest > 0 { bp_widen_records(source.baseAddress! + rows * row, rest, 0, rest, 1, out.baseAddress! + rows * row) }
        }
        initialized = count
    }
}
