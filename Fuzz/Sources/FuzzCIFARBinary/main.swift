import Backprop
import Foundation
import FuzzSupport

/// A CIFAR-10 binary batch, or (when the first byte is odd) a `batches.meta.txt`: an error is fine, a trap is not.
private func fuzzCIFARBinary(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    if let first = input.first, first & 1 == 1 {
        let meta = fuzzScratch.write(input, name: "batches.meta.txt")
        _ = try? CIFAR10.loadClassNames(fuzzScratch.directory)
        try? FileManager.default.removeItem(at: meta)
    } else {
        _ = try? CIFAR10.loadBinaryBatch(fuzzScratch.write(input, name: "data_batch_1.bin"))
    }
    return 0
}

exit(runFuzzer { fuzzCIFARBinary($0, $1) })
