/// An error a command line reports on standard error and exits with (see ``runProgram(_:)``).
///
/// Semantics:
/// - ``usage(_:)``: the command line itself is wrong (an unknown option, a bad value); exit status 64,
///   `EX_USAGE` of sysexits.h.
/// - ``failed(_:)``: the command was understood but could not do its work; exit status 1, as for any
///   other error thrown out of a program's body.
public enum CLIError: Error, Equatable, CustomStringConvertible {
    case usage(String)
    case failed(String)

    public var description: String {
        switch self {
        case .usage(let text), .failed(let text): text
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .usage: 64
        case .failed: 1
        }
    }
}
