import Backprop
import FuzzSupport
import Foundation

/// The CIFAR-10 binary batch reader (`data_batch_1.bin`): records of 1 label byte and 3,072 pixels.
let file = FuzzInput.file(named: "data_batch_1.bin")

@_cdecl("FuzzCIFARBinary_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, count in
        guard let start = data.map(UnsafeRawPointer.init) else { return 0 }
        return fuzz(start, count)
    }
}

func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzInput.write(start, count, to: file)
    _ = try? CIFAR10.loadBinaryBatch(file)
    return 0
}
