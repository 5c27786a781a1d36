import Backprop
import Foundation
import FuzzSupport

/// An IDX image file (gunzipped when it starts with the gzip magic), and the same bytes through `Gzip.decompress`.
private func fuzzIDX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    _ = try? IDX.loadImages(fuzzScratch.write(input, name: "t10k-images-idx3-ubyte"))
    _ = try? Gzip.decompress(Array(input), source: URL(filePath: "fuzz.gz"))
    return 0
}

exit(runFuzzer { fuzzIDX($0, $1) })
