import CZlib
import Foundation

/// An 8-bit RGB image that encodes itself as a PNG file, for weight visualisations and image grids.
///
/// ```swift
/// let templates = try PNGImage.weightImages(columnsOf: linear.weight.value)   // one per class
/// try PNGImage.grid(templates, columns: 10, padding: 2, scale: 4).write(to: run.appendingPathComponent("W.png"))
/// ```
///
/// The encoder writes the PNG signature, an `IHDR` chunk (8-bit truecolour, no interlace), one `IDAT`
/// chunk holding the zlib-compressed scanlines (each with filter type 0, "None") and `IEND`, with each
/// chunk's CRC-32 computed by zlib. No filtering keeps the encoder short; images here are small.
public struct PNGImage: Sendable, Equatable {
    /// The number of columns of pixels.
    public let width: Int
    /// The number of rows of pixels.
    public let height: Int
    /// Row-major pixels, three bytes (red, green, blue) each: `width × height × 3` bytes.
    public var pixels: [UInt8]

    /// An image with the given pixels, which must number `width × height × 3` bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * 3,
                     "PNGImage: \(pixels.count) bytes for \(width) × \(height) RGB pixels")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image filled with one colour.
    public init(width: Int, height: Int, red: UInt8 = 0, green: UInt8 = 0, blue: UInt8 = 0) {
        let pixel = [red, green, blue]
        self.init(width: width, height: height,
                  pixels: Array((0..<(width * height)).map { _ in pixel }.joined()))
    }

    /// The colour of the pixel in column `x` of row `y`.
    public subscript(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        get {
            let offset = (y * width + x) * 3
            return (pixels[offset], pixels[offset + 1], pixels[offset + 2])
        }
        set {
            let offset = (y * width + x) * 3
            pixels[offset] = newValue.red
            pixels[offset + 1] = newValue.green
            pixels[offset + 2] = newValue.blue
        }
    }

    // MARK: - Encoding

    /// The scanlines as the `IDAT` data holds them before compression: each row prefixed by its filter
    /// type byte (0).
    public var filteredScanlines: [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(height * (1 + width * 3))
        for row in 0..<height {
            bytes.append(0)
            bytes.append(contentsOf: pixels[(row * width * 3)..<((row + 1) * width * 3)])
        }
        return bytes
    }

    /// The PNG file bytes.
    ///
    /// - Throws: `ReportFileError.invalidImage` for an empty image (PNG requires at least one pixel in
    ///   each direction) or if zlib fails to compress.
    public func encoded() throws -> Data {
        guard width > 0, height > 0, width < Int(Int32.max), height < Int(Int32.max) else {
            throw ReportFileError.invalidImage(reason: "a PNG must be between 1 and 2³¹ − 1 pixels wide and high, not \(width) × \(height)")
        }
        var header = [UInt8]()
        Self.appendBigEndian(UInt32(width), to: &header)
        Self.appendBigEndian(UInt32(height), to: &header)
        // Bit depth 8, colour type 2 (truecolour), deflate compression, adaptive filtering, no interlace.
        header += [8, 2, 0, 0, 0]

        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        Self.appendChunk("IHDR", header, to: &file)
        Self.appendChunk("IDAT", try Self.zlibCompressed(filteredScanlines), to: &file)
        Self.appendChunk("IEND", [], to: &file)
        return Data(file)
    }

    /// Writes the PNG to `url` atomically, creating parent directories.
    ///
    /// - Throws: `ReportFileError.invalidImage` for an empty image, `ReportFileError.cannotWrite`
    ///   naming the path.
    public func write(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
    }

    private static func zlibCompressed(_ bytes: [UInt8]) throws -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBufferPointer { destination in
            bytes.withUnsafeBufferPointer { source in
                compress2(destination.baseAddress, &capacity, source.baseAddress, uLong(source.count), 9)
            }
        }
        guard status == Z_OK else {
            throw ReportFileError.invalidImage(reason: "zlib compress2 failed with status \(status)")
        }
        output.removeLast(output.count - Int(capacity))
        return output
    }

    /// Appends a chunk: length, type, data and the CRC-32 of type and data.
    private static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeAndData = Array(type.utf8) + data
        appendBigEndian(UInt32(data.count), to: &file)
        file += typeAndData
        let checksum = typeAndData.withUnsafeBufferPointer { buffer in
            crc32(crc32(0, nil, 0), buffer.baseAddress, uInt(buffer.count))
        }
        appendBigEndian(UInt32(truncatingIfNeeded: checksum), to: &file)
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
