import BackpropReports
import BackpropTensor
import CZlib
import Foundation
import Testing

@Suite("PNGImage")
struct PNGImageTests {
    struct Chunk {
        let type: String
        let data: [UInt8]
        let storedCRC: UInt32
        var computedCRC: UInt32 {
            let bytes = Array(type.utf8) + data
            return UInt32(truncatingIfNeeded: bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
        }
    }

    static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The chunks of a PNG file, after checking its signature.
    static func chunks(_ file: [UInt8]) throws -> [Chunk] {
        try #require(file.count >= 8)
        #expect(Array(file.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var chunks: [Chunk] = []
        var offset = 8
        while offset < file.count {
            try #require(offset + 12 <= file.count)
            let length = Int(bigEndian(file[offset..<(offset + 4)]))
            try #require(offset + 12 + length <= file.count)
            let type = String(decoding: file[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let data = Array(file[(offset + 8)..<(offset + 8 + length)])
            let crc = bigEndian(file[(offset + 8 + length)..<(offset + 12 + length)])
            chunks.append(Chunk(type: type, data: data, storedCRC: crc))
            offset += 12 + length
        }
        return chunks
    }

    static func inflate(_ compressed: [UInt8], expectedSize: Int) throws -> [UInt8] {
        var size = uLongf(expectedSize + 16)
        var output = [UInt8](repeating: 0, count: Int(size))
        let status = output.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { uncompress(out.baseAddress, &size, $0.baseAddress, uLong($0.count)) }
        }
        try #require(status == Z_OK)
        return Array(output.prefix(Int(size)))
    }

    /// A 3 × 2 image whose every byte differs.
    static let sample = PNGImage(width: 3, height: 2, pixels: (0..<18).map { UInt8($0 * 13 + 1) })

    // MARK: - Encoding

    @Test("the file is the signature, then IHDR, IDAT and IEND chunks with correct CRCs")
    func structure() throws {
        let chunks = try Self.chunks([UInt8](Self.sample.encoded()))
        #expect(chunks.map(\.type) == ["IHDR", "IDAT", "IEND"])
        for chunk in chunks {
            #expect(chunk.storedCRC == chunk.computedCRC, "CRC of \(chunk.type)")
        }
        let header = chunks[0].data
        #expect(header.count == 13)
        #expect(Self.bigEndian(header[0..<4]) == 3 && Self.bigEndian(header[4..<8]) == 2)
        #expect(Array(header[8...]) == [8, 2, 0, 0, 0]) // 8-bit RGB, deflate, no interlace
        #expect(chunks[2].data.isEmpty)
    }

    @Test("IDAT inflates to the scanlines, each prefixed by filter type 0")
    func scanlines() throws {
        let chunks = try Self.chunks([UInt8](Self.sample.encoded()))
        let idat = try #require(chunks.first { $0.type == "IDAT" })
        let p = Self.sample.pixels
        let expected: [UInt8] = [0] + p[0..<9] + [0] + p[9..<18]
        #expect(Self.sample.filteredScanlines == expected)
        #expect(try Self.inflate(idat.data, expectedSize: expected.count) == expected)
    }

    @Test("a larger image compresses and still inflates exactly")
    func larger() throws {
        var image = PNGImage(width: 97, height: 31)
        for y in 0..<31 { for x in 0..<97 { image[x, y] = (UInt8(x), UInt8(y * 8), UInt8((x * y) & 0xFF)) } }
        let file = [UInt8](try image.encoded())
        let chunks = try Self.chunks(file)
        #expect(chunks.allSatisfy { $0.storedCRC == $0.computedCRC })
        let idat = try #require(chunks.first { $0.type == "IDAT" })
        #expect(try Self.inflate(idat.data, expectedSize: 31 * (1 + 97 * 3)) == image.filteredScanlines)
        #expect(image[5, 3] == (5, 24, 15))
    }

    @Test("an image without pixels cannot be encoded")
    func empty() {
        #expect(throws: ReportFileError.self) { try PNGImage(width: 0, height: 4).encoded() }
    }

    @Test("write(to:) writes the encoded bytes")
    func write() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let url = directory.url.appendingPathComponent("images/a.png")
        try Self.sample.write(to: url)
        #expect(try Data(contentsOf: url) == Self.sample.encoded())
    }

    // MARK: - Grid

    @Test("a grid has padding around and between scaled cells, filled with the background")
    func grid() {
        let a = PNGImage(width: 2, height: 2, red: 10, green: 20, blue: 30)
        var b = PNGImage(width: 2, height: 2, red: 40, green: 50, blue: 60)
        b[1, 0] = (1, 2, 3)
        let c = PNGImage(width: 1, height: 2, red: 70, green: 80, blue: 90)
        let grid = PNGImage.grid([a, b, c], columns: 2, padding: 1, scale: 3, background: 200)
        #expect(grid.width == 2 * 6 + 3 * 1 && grid.height == 2 * 6 + 3 * 1)
        #expect(grid[0, 0] == (200, 200, 200))
        #expect(grid[1, 1] == (10, 20, 30) && grid[6, 6] == (10, 20, 30))
        #expect(grid[7, 1] == (200, 200, 200))                     // the gap between columns
        #expect(grid[8, 1] == (40, 50, 60) && grid[10, 1] == (40, 50, 60))
        #expect(grid[11, 1] == (1, 2, 3) && grid[13, 3] == (1, 2, 3)) // b's pixel (1, 0), scaled 3×
        #expect(grid[1, 8] == (70, 80, 90) && grid[3, 13] == (70, 80, 90))
        #expect(grid[4, 8] == (200, 200, 200))                     // c is narrower than its cell
        #expect(grid[10, 10] == (200, 200, 200))                   // the missing fourth cell
    }

    @Test("grid dimensions for the course's 10 class templates and edge cases")
    func gridSizes() {
        let template = PNGImage(width: 32, height: 32)
        let row = PNGImage.grid(Array(repeating: template, count: 10), columns: 10, padding: 2, scale: 3)
        #expect(row.width == 10 * 96 + 11 * 2 && row.height == 96 + 4)
        let two = PNGImage.grid(Array(repeating: template, count: 10), columns: 5, padding: 0, scale: 1)
        #expect(two.width == 160 && two.height == 64)
        let few = PNGImage.grid([template], columns: 10, padding: 1, scale: 0)
        #expect(few.width == 34 && few.height == 34)
        let none = PNGImage.grid([], columns: 3, padding: 2, scale: 2)
        #expect(none.width == 1 && none.height == 1)
    }

    // MARK: - Weight images

    @Test("weights are stretched from min → 0 to max → 255 over the whole image, planes R, G, B")
    func weightScaling() throws {
        var values = [Double](repeating: 0.5, count: 3 * 4 * 2)
        values[0] = -2       // red of pixel (0, 0): the minimum
        values[8 + 5] = 6    // green of pixel (1, 1): the maximum
        values[16 + 7] = 2   // blue of pixel (3, 1): halfway
        let image = try PNGImage.weightImage(fromPlanarRGB: values, width: 4, height: 2)
        #expect(image.width == 4 && image.height == 2)
        #expect(image[0, 0].red == 0)
        #expect(image[1, 1].green == 255)
        #expect(image[3, 1].blue == 128)
        #expect(image[2, 0] == (80, 80, 80)) // 255 × 2.5 / 8 = 79.7
        #expect(image.pixels.min() == 0 && image.pixels.max() == 255)
    }

    @Test("Float weights scale the same way; constant weights are mid-grey; NaN is black")
    func weightEdgeCases() throws {
        let floats = try PNGImage.weightImage(fromPlanarRGB: (0..<3072).map { Float($0) })
        #expect(floats.width == 32 && floats.height == 32)
        #expect(floats[0, 0] == (0, 85, 170) && floats[31, 31].blue == 255)
        let constant = try PNGImage.weightImage(fromPlanarRGB: [Float](repeating: 0.3, count: 12), width: 2, height: 2)
        #expect(constant.pixels.allSatisfy { $0 == 128 })
        let withNaN = try PNGImage.weightImage(fromPlanarRGB: [Double.nan, 1, 3] + [Double](repeating: 2, count: 9), width: 2, height: 2)
        #expect(withNaN[0, 0].red == 0 && withNaN[1, 0].red == 0 && withNaN[1, 1].red == 128)
    }

    @Test("the wrong number of weights is an error")
    func weightCount() {
        #expect(throws: ReportFileError.self) { try PNGImage.weightImage(fromPlanarRGB: [Double](repeating: 0, count: 3071)) }
        #expect(throws: ReportFileError.self) {
            try PNGImage.weightImages(columnsOf: Tensor<Float>(zeros: [100, 10]))
        }
        #expect(throws: ReportFileError.self) {
            try PNGImage.weightImages(columnsOf: Tensor<Float>(zeros: [3072]))
        }
    }

    @Test("weightImages(columnsOf:) draws column j of an [inputs, outputs] weight as image j")
    func weightColumns() throws {
        let inputs = 3 * 2 * 2, outputs = 3
        // Column j is a ramp whose maximum sits at input j.
        let scalars = (0..<(inputs * outputs)).map { index -> Double in
            let (input, unit) = (index / outputs, index % outputs)
            return input == unit ? 10 : Double(input) * 0.1
        }
        let images = try PNGImage.weightImages(columnsOf: Tensor(shape: [inputs, outputs], scalars: scalars), width: 2, height: 2)
        #expect(images.count == 3)
        #expect(images[0][0, 0].red == 255 && images[1][1, 0].red == 255 && images[2][0, 1].red == 255)
        #expect(images[1][0, 0].red == 0)
    }
}
