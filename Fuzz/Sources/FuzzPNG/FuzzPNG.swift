import Backprop
import FuzzSupport
import Foundation

/// The PNG decoder behind `backprop predict --input image.png`.
@_cdecl("FuzzPNG_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, count in
        guard let start = data.map(UnsafeRawPointer.init) else { return 0 }
        return fuzz(start, count)
    }
}

func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    _ = try? PNGImage.decoded(Data(bytes: start, count: count), source: "fuzz.png")
    return 0
}
