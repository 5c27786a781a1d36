import Backprop
import Foundation
import FuzzSupport

/// A CIFAR-10 Python batch (a pickle): an error is fine, a trap or a stack overflow is not.
private func fuzzPickle(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? CIFAR10.loadPythonBatch(fuzzScratch.write(fuzzInput(data, size), name: "data_batch_1"))
    return 0
}

exit(runFuzzer { fuzzPickle($0, $1) })
