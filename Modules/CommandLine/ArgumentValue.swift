import Foundation

/// A type a command-line word can be read as, for ``ParsedArguments/value(_:as:)``.
///
/// Semantics:
/// - `init(argument:)` returns nil for a word that is not a value of the type; it never traps.
/// - `expectation` completes "--name must be …" in the error for such a word: `a whole number`.
///
/// Backprop reads `String`, `Int`, `UInt64`, `Double` (finite) and `URL` (a file path). A
/// `String`-backed enumeration is read with ``ParsedArguments/choice(_:as:)`` instead.
public protocol ArgumentValue {
    init?(argument: String)
    static var expectation: String { get }
}

extension String: ArgumentValue {
    public init?(argument: String) { self = argument }
    public static var expectation: String { "text" }
}

extension Int: ArgumentValue {
    public init?(argument: String) { self.init(argument) }
    public static var expectation: String { "a whole number" }
}

extension UInt64: ArgumentValue {
    public init?(argument: String) { self.init(argument) }
    public static var expectation: String { "a non-negative whole number" }
}

extension Double: ArgumentValue {
    public init?(argument: String) {
        guard let value = Double(argument), value.isFinite else { return nil }
        self = value
    }

    public static var expectation: String { "a finite number" }
}

/// A file or directory path, relative to the working directory unless absolute.
extension URL: ArgumentValue {
    public init?(argument: String) {
        guard !argument.isEmpty else { return nil }
        self.init(fileURLWithPath: argument)
    }

    public static var expectation: String { "a path" }
}
