import CZlib
import Foundation

extension PNGImage {
    /// The largest image `decoded` accepts, in pixels: a bound on what a damaged or hostile header can
    /// make it allocate.
    public static let maximumDecodedPixels = 1 << 24

    /// Reads a PNG file: 8-bit grey, grey with alpha, RGB or RGBA, not interlaced (what image tools
    /// write by default). Grey is spread to RGB; alpha is dropped.
    ///
    /// - Throws: `ReportFileError.invalidImage` naming `source` for anything else: another format, a bit
    ///   depth or colour type not listed, interlacing, a damaged or truncated stream, or more pixels than
    ///   `maximumDecodedPixels`.
    public static func decoded(_ data: Data, source: String) throws -> PNGImage {
        func invalid(_ reason: String) -> ReportFileError { .invalidImage(reason: "\(source): \(reason)") }
        let bytes = [UInt8](data)
        guard bytes.count >= 8, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else {
            throw invalid("not a PNG file (no PNG signature)")
        }
        var offset = 8
        var header: (width: Int, height: Int, depth: UInt8, colour: UInt8, interlace: UInt8)?
        var compressed: [UInt8] = []
        func bigEndian(_ at: Int) -> Int { (at..<(at + 4)).reduce(0) { $0 << 8 | Int(bytes[$1]) } }
        chunks: while offset + 8 <= bytes.count {
            let length = bigEndian(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            guard length <= bytes.count - offset - 12 else { throw invalid("the \(type) chunk is truncated") }
            let body = bytes[(offset + 8)..<(offset + 8 + length)]
            switch type {
            case "IHDR":
                guard length == 13 else { throw invalid("IHDR has \(length) bytes, not 13") }
                let start = body.startIndex
                header = (bigEndian(start), bigEndian(start + 4), bytes[start + 8], bytes[start + 9], bytes[start + 12])
            case "IDAT": compressed.append(contentsOf: body)
            case "IEND": break chunks
            default: break
            }
            offset += 12 + length
        }
        guard let header else { throw invalid("no IHDR chunk") }
        guard header.width >= 1, header.height >= 1, header.width <= maximumDecodedPixels / header.height else {
            throw invalid("\(header.width) × \(header.height) pixels is empty or over the \(maximumDecodedPixels) read")
        }
        let channels: Int
        switch header.colour {
        case 0: channels = 1
        case 2: channels = 3
        case 4: channels = 2
        case 6: channels = 4
        default: throw invalid("colour type \(header.colour) (palette) is not supported; save as RGB")
        }
        guard header.depth == 8 else { throw invalid("bit depth \(header.depth) is not supported (8 is)") }
        guard header.interlace == 0 else { throw invalid("interlaced images are not supported") }

        let stride = header.width * channels
        var raw = [UInt8](repeating: 0, count: header.height * (stride + 1))
        var produced = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress!, &produced, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(produced) == raw.count else {
            throw invalid("the image data is damaged or does not match the \(header.width) × \(header.height) header")
        }
        let rows = try unfiltered(raw, rows: header.height, stride: stride, bytesPerPixel: channels, invalid: invalid)
        var pixels = [UInt8](repeating: 0, count: header.width * header.height * 3)
        for pixel in 0..<(header.width * header.height) {
            let p = pixel * channels
            for c in 0..<3 { pixels[pixel * 3 + c] = channels < 3 ? rows[p] : rows[p + c] }
        }
        return PNGImage(width: header.width, height: header.height, pixels: pixels)
    }

    /// The scanlines with PNG's per-row filters (none, sub, up, average, Paeth) undone.
    private static func unfiltered(
        _ raw: [UInt8], rows: Int, stride: Int, bytesPerPixel bpp: Int, invalid: (String) -> ReportFileError
    ) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rows * stride)
        for row in 0..<rows {
            let filter = raw[row * (stride + 1)]
            let line = row * (stride + 1) + 1, base = row * stride
            for i in 0..<stride {
                let x = raw[line + i]
                let a = i >= bpp ? Int(out[base + i - bpp]) : 0
                let b = row > 0 ? Int(out[base - stride + i]) : 0
                let c = row > 0 && i >= bpp ? Int(out[base - stride + i - bpp]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                    predictor = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
                default: throw invalid("row \(row) has unknown filter type \(filter)")
                }
                out[base + i] = x &+ UInt8(truncatingIfNeeded: predictor)
            }
        }
        return out
    }
}
