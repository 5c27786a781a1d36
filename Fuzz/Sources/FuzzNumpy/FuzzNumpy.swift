import Backprop
import FuzzSupport
import Foundation

/// The `.npy` reader (parameters of a run directory, `predict --input`), as Float and as Double.
@_cdecl("FuzzNumpy_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, count in
        guard let start = data.map(UnsafeRawPointer.init) else { return 0 }
        return fuzz(start, count)
    }
}

func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    _ = try? NumpyFile.decode(data, as: Float.self, source: "fuzz.npy")
    _ = try? NumpyFile.decode(data, as: Double.self, source: "fuzz.npy")
    return 0
}
