import Backprop
import Foundation
import FuzzSupport

/// A JSON configuration: parsed, and when it parses, printed and parsed again to the same value.
private func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let value = try? JSONValue(parsing: Data(buffer: fuzzInput(data, size)), source: "fuzz.json") else { return 0 }
    guard let again = try? JSONValue(parsing: value.jsonText, source: "printed") else {
        fatalError("printed JSON does not parse: \(value.jsonText)")
    }
    // Numbers print shortest-exact, so the round trip is the identity (parsed JSON holds no NaN).
    precondition(again == value, "printed JSON reads back differently: \(value.jsonText)")
    return 0
}

exit(runFuzzer { fuzzJSON($0, $1) })
