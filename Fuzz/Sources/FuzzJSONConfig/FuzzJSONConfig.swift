import Backprop
import FuzzSupport
import Foundation

/// An experiment file: the JSON reader, then the typed configuration (every plug-in's options) built
/// from whatever JSON parses.
@_cdecl("FuzzJSONConfig_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { data, count in
        guard let start = data.map(UnsafeRawPointer.init) else { return 0 }
        return fuzz(start, count)
    }
}

func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard let json = try? JSONValue(parsing: Data(bytes: start, count: count), source: "fuzz.json") else { return 0 }
    _ = try? ExperimentConfig(json: json)
    return 0
}
