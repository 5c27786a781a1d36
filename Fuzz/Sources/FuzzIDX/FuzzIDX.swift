import Backprop
import FuzzSupport
import Foundation

/// The IDX reader (MNIST, Fashion-MNIST), with its gzip layer: an input starting with the gzip magic
/// is inflated first, so both the inflater and the IDX header are fuzzed.
let file = FuzzInput.file(named: "train-images-idx3-ubyte")

@_cdecl("FuzzIDX_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, count in
        guard let start = data.map(UnsafeRawPointer.init) else { return 0 }
        return fuzz(start, count)
    }
}

func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzInput.write(start, count, to: file)
    _ = try? IDX.loadImages(file)
    return 0
}
