import Backprop
import Foundation
import FuzzSupport

/// A PNG image for `backprop predict`.
private func fuzzPNG(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? PNGImage.decoded(Data(buffer: fuzzInput(data, size)), source: "fuzz.png")
    return 0
}

exit(runFuzzer { fuzzPNG($0, $1) })
