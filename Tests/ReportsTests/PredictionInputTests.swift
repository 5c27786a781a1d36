import Backprop
import BackpropReports
import BackpropTestSupport
import Foundation
import Testing

@Suite struct PredictionInputTests {
    /// A 4 × 5 RGB PNG whose rows use the five filter types (none, sub, up, average, Paeth) in turn,
    /// written by Python's zlib, and its pixels.
    let filteredPNG = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAFCAIAAADtz9qMAAAATElEQVR4nAFBAL7/AHlCvfIhBvCEd2Lw8wHLTXaCepHTig56vnQCJ3lkfRw9m+D9q+7mAwt8LTDkRAf7SoTWxgQjVtKxXKWYgLgfunYAuh9jLpPPTAAAAABJRU5ErkJggg=="
    let filteredPixels: [UInt8] = [
        121, 66, 189, 242, 33, 6, 240, 132, 119, 98, 240, 243, 203, 77, 118, 77, 199, 7, 32, 81, 21, 154, 15, 137,
        242, 198, 218, 202, 227, 68, 187, 49, 18, 69, 253, 111, 132, 223, 154, 215, 197, 179, 208, 118, 172, 14, 143,
        83, 167, 53, 108, 136, 145, 63, 32, 246, 247, 45, 176, 34,
    ]

    var pngData: Foundation.Data { Foundation.Data(base64Encoded: filteredPNG) ?? Foundation.Data() }

    @Test func decodesEveryPNGFilter() throws {
        let image = try PNGImage.decoded(pngData, source: "f.png")
        #expect(image.width == 4 && image.height == 5)
        #expect(image.pixels == filteredPixels)
    }

    @Test func decodesWhatItEncodes() throws {
        var image = PNGImage(width: 32, height: 32)
        for y in 0..<32 { for x in 0..<32 { image[x, y] = (UInt8(x * 8), UInt8(y * 8), UInt8((x + y) % 256)) } }
        #expect(try PNGImage.decoded(image.encoded(), source: "round.png") == image)
    }

    @Test func damagedPNGsAreErrorsNamingTheFile() throws {
        let good = pngData
        #expect(good.count > 40)
        for bad in [Foundation.Data("not a png".utf8), good.prefix(40), good.prefix(8)] {
            #expect { try PNGImage.decoded(bad, source: "bad.png") } throws: { "\($0)".contains("bad.png") }
        }
    }

    @Test func readsEachFormatAsRowsOfRawPixels() throws {
        let folder = try makeDatasetFixtureDirectory("predict-inputs")
        // CIFAR-10 records.
        try writeCIFAR10BinaryFixture(to: folder, imagesPerBatch: 3, seed: 2, testImages: 2)
        let cifar = try PredictionInput.read(folder.appending(path: "test_batch.bin"))
        #expect(cifar.shape == [2, 3072])
        // A uint8 .npy of two examples, and a 1-D float one.
        let pixels = Tensor<Float>(shape: [2, 4], scalars: [0, 255, 3, 4, 5, 6, 7, 8])
        // The float array's file rewritten as uint8: the same header with '|u1' for '<f4', one byte per element.
        var npy = Array(NumpyFile.encode(pixels).prefix(128))
        let at = try #require((0..<(npy.count - 2)).first { Array(npy[$0..<($0 + 3)]) == Array("<f4".utf8) })
        npy.replaceSubrange(at..<(at + 3), with: Array("|u1".utf8))
        npy += [0, 255, 3, 4, 5, 6, 7, 8]
        try Foundation.Data(npy).write(to: folder.appending(path: "raw.npy"))
        #expect(try PredictionInput.read(folder.appending(path: "raw.npy")) == pixels)
        try NumpyFile.write(Tensor<Float>(shape: [4], scalars: [1, 2, 3, 4]), to: folder.appending(path: "one.npy"))
        #expect(try PredictionInput.read(folder.appending(path: "one.npy")).shape == [1, 4])
        // A PNG: planar, red plane first.
        var image = PNGImage(width: 2, height: 1)
        image[0, 0] = (10, 20, 30)
        image[1, 0] = (40, 50, 60)
        try image.write(to: folder.appending(path: "x.png"))
        #expect(try PredictionInput.read(folder.appending(path: "x.png")).scalars == [10, 40, 20, 50, 30, 60])
        // A file of another kind is named in the error.
        try Foundation.Data("hello".utf8).write(to: folder.appending(path: "notes.txt"))
        #expect { try PredictionInput.read(folder.appending(path: "notes.txt")) } throws: { "\($0)".contains("notes.txt") }
    }

    @Test func theTableRanksTheThreeMostProbableClasses() {
        let p = Tensor<Double>(shape: [2, 4], scalars: [0.1, 0.6, 0.2, 0.1, 0.25, 0.25, 0.4, 0.1])
        let table = PredictionTable.make(p, classNames: ["a", "b", "c", "d"])
        #expect(table.columns == ["index", "predicted", "class_1", "probability_1", "class_2", "probability_2",
                                  "class_3", "probability_3"])
        #expect(table.rows[0] == [0, "b", "b", 0.6, "c", 0.2, "a", 0.1])
        #expect(table.rows[1] == [1, "c", "c", 0.4, "a", 0.25, "b", 0.25])
    }
}
