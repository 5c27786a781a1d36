import Backprop
import Foundation
import FuzzSupport

/// A `.npy` file, decoded as Float and as Double.
private func fuzzNumpy(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Data(buffer: fuzzInput(data, size))
    _ = try? NumpyFile.decode(bytes, as: Float.self, source: "fuzz.npy")
    _ = try? NumpyFile.decode(bytes, as: Double.self, source: "fuzz.npy")
    return 0
}

exit(runFuzzer { fuzzNumpy($0, $1) })
