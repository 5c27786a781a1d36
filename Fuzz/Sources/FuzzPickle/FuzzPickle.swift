import Backprop
import FuzzSupport
import Foundation

/// The CIFAR-10 Python batch reader: a pickle, interpreted by Backprop's own reader (never executed).
let file = FuzzInput.file(named: "data_batch_1")

@_cdecl("FuzzPickle_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, count in
        guard let start = data.map(UnsafeRawPointer.init) else { return 0 }
        return fuzz(start, count)
    }
}

func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzInput.write(start, count, to: file)
    _ = try? CIFAR10.loadPythonBatch(file)
    return 0
}
