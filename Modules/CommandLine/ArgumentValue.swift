import Foundation

/// A type a command-line word can be read as, for ``ParsedArguments/value(_:as:)``.
///
/// Semantics:
/// - `init(argument:)` returns nil for a word that is not a value of the type; it never traps.
/// - `expectation` completes "--name must be …" in the error for such a word: `a whole number`.
///
/// Backprop reads `String`, `Int`, `UInt64`, `Double` (finite), `URL` (a file path) and ``OutputFile``. A
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

/// A file the command writes (`--plot lr.svg`): a path that is not a directory, in a directory that
/// exists. Checked when read, so that a mistyped folder is an error naming the option instead of a tree
/// of directories created somewhere unexpected.
public struct OutputFile: ArgumentValue, Equatable, Sendable {
    public var url: URL

    public init?(argument: String) {
        guard let url = URL(argument: argument) else { return nil }
        var isDirectory: ObjCBool = false
        let parent = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue,
              !(FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue)
        else { return nil }
        self.url = url
    }

    public static var expectation: String { "a file path in an existing directory" }
}
